//! The reply box: Enter sends, Shift+Enter starts a new line, empty text is not sent.
//! "Internal note" switches it to writing a note for the team, which looks different
//! so that nobody sends the customer what was meant for colleagues. `:`, `/` and `$`
//! open the pickers (`composer_picker.rs`); the text is kept as a draft as it is typed.

use leptos::html::Textarea;
use leptos::prelude::*;
use parley_domain::keys::Action;
use parley_domain::{composer, text};

use super::ai_assist::{AssistMenu, AssistPreview, AssistSupport};
use super::composer_picker::{ComposerPicker, Picker, PickerSources};

/// What the composer needs from its page besides sending: the conversation's saved
/// draft and where to keep it, and the pickers' data.
#[derive(Clone)]
pub struct ComposerSupport {
    /// The draft to start from ("" for none).
    pub draft: String,
    /// Receives the text whenever it changes (empty once sent).
    pub on_draft: Callback<String>,
    pub sources: PickerSources,
    /// Take the focus when mounted (not when `j`/`k` opened the conversation: the focus
    /// stays in the list).
    pub autofocus: bool,
    /// The last action asked by a shortcut or the palette, numbered: `Reply` and `Note`
    /// switch the mode and focus the text.
    pub request: Signal<Option<(u64, Action)>>,
    /// AI assist, when the server has it (`Me.ai_assist`).
    pub assist: Option<AssistSupport>,
}

#[component]
pub fn Composer(
    /// Receives the reply to send (already checked to be non-blank).
    on_send: Callback<String>,
    /// Receives the internal note to add (already checked to be non-blank).
    on_note: Callback<String>,
    /// The user changed the reply text (for "is typing…").
    on_typing: Callback<()>,
    /// Why replying is not possible now, if it is not (notes stay possible).
    #[prop(into)]
    disabled_reason: Signal<Option<String>>,
    /// Files are ready to go with the reply, so an empty text may be sent (media).
    #[prop(into, optional)]
    attachments_ready: Signal<bool>,
    /// Text to add once, numbered (a quoted message to reply under).
    #[prop(optional, into)]
    insert: MaybeProp<(u64, String)>,
    support: ComposerSupport,
) -> impl IntoView {
    let t = crate::i18n::t();
    let ComposerSupport { draft, on_draft, sources, autofocus, request, assist } = support;
    let text = RwSignal::new(draft);
    let caret = RwSignal::new(0u32);
    // The picker the text before the caret opens, if any.
    let trigger = Memo::new(move |_| text.with(|t| composer::trigger(t, composer::byte_offset(t, caret.get()))));
    let note_mode = RwSignal::new(false);
    let input: NodeRef<Textarea> = NodeRef::new();
    let disabled = move || disabled_reason.with(Option::is_some) && !note_mode.get();
    // Near the limit the agent sees what is left; over it, nothing is sent.
    let left = Memo::new(move |_| text.with(|t| text::chars_left(t)));
    let over = move || left.get().is_some_and(|n| n < 0);
    let focus = move || {
        // Also runs a frame later, possibly after the composer went: `try_` then finds nothing.
        if let Some(el) = input.try_get_untracked().flatten() {
            let _ = el.focus();
        }
    };
    // Opening a conversation puts the cursor where the agent will type (after the draft).
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let end = el.value().encode_utf16().count() as u32;
            let _ = el.set_selection_range(end, end);
            caret.set(end);
            if autofocus {
                focus();
            }
        }
    });
    // `r` / `n` (or the palette): reply or note mode, and the cursor in the text. What was
    // asked before this composer mounted belongs to another conversation.
    let handled = StoredValue::new(request.get_untracked().map(|(n, _)| n));
    Effect::new(move |_| {
        let Some((n, action)) = request.get().filter(|(n, _)| handled.get_value() != Some(*n)) else { return };
        handled.set_value(Some(n));
        if matches!(action, Action::Reply | Action::Note) {
            note_mode.set(action == Action::Note);
            request_animation_frame(focus);
        }
    });
    // Inserted text (a quote) goes at the end, once per number, and the agent types under
    // it. What was asked before this composer mounted belongs to another conversation.
    let inserted = StoredValue::new(insert.get_untracked().map(|(n, _)| n));
    Effect::new(move |_| {
        if let Some((n, quoted)) = insert.get().filter(|(n, _)| inserted.get_value() != Some(*n)) {
            inserted.set_value(Some(n));
            text.update(|t| {
                if !t.is_empty() && !t.ends_with('\n') {
                    t.push('\n');
                }
                t.push_str(&quoted);
            });
            request_animation_frame(focus);
        }
    });
    // Every change is kept, so a draft survives navigation and reloads.
    Effect::new(move |first: Option<()>| {
        let value = text.get();
        if first.is_some() {
            on_draft.run(value);
        }
    });
    let on_choose = Callback::new(move |insert: String| {
        let Some(trigger) = trigger.get_untracked() else { return };
        let (value, at) = text.with_untracked(|t| composer::replace(t, &trigger, &insert));
        let units = composer::utf16_offset(&value, at);
        if let Some(el) = input.get_untracked() {
            el.set_value(&value);
            let _ = el.set_selection_range(units, units);
        }
        text.set(value);
        caret.set(units);
    });
    let picker = Picker::new(trigger, sources, on_choose);
    // The caret, in UTF-16 units as the browser counts it.
    let sync_caret = move || {
        if let Some(el) = input.get_untracked() {
            caret.set(el.selection_start().ok().flatten().unwrap_or(0));
        }
    };
    let submit = move || {
        let value = text.get_untracked();
        // Files alone make a reply; a note needs text (media).
        if value.trim().is_empty() && (note_mode.get_untracked() || !attachments_ready.get_untracked()) {
            return;
        }
        if left.get_untracked().is_some_and(|n| n < 0) {
            return;
        }
        if note_mode.get_untracked() {
            on_note.run(value);
        } else if disabled_reason.with_untracked(Option::is_none) {
            on_send.run(value);
        } else {
            return;
        }
        text.set(String::new());
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if picker.on_keydown(&ev) {
            return;
        }
        // While an input method composes (Japanese, Chinese…), Enter confirms the
        // composition, not the message.
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            submit();
        }
    };
    let placeholder = move || {
        if note_mode.get() { t.note_placeholder } else { t.reply_placeholder }
    };
    view! {
        <form
            class="composer"
            class:composer--note=note_mode
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            {move || disabled_reason.get().map(|r| view! { <p class="composer__notice">{r}</p> })}
            {move || {
                left.get()
                    .map(|n| {
                        view! {
                            <p
                                class="composer__count"
                                class:composer__count--over=n < 0
                                id="composer-count"
                                role=(n < 0).then_some("alert")
                            >
                                {count_words(t, n)}
                            </p>
                        }
                    })
            }}
            <div class="composer__row">
                <ComposerPicker picker />
                <textarea
                    class="composer__input"
                    aria-label=t.message
                    placeholder=placeholder
                    rows="3"
                    node_ref=input
                    disabled=disabled
                    aria-autocomplete="list"
                    aria-controls=move || picker.is_open().then(|| picker.listbox_id())
                    aria-activedescendant=move || picker.active_descendant()
                    aria-describedby=move || left.get().map(|_| "composer-count")
                    bind:value=text
                    on:keydown=on_keydown
                    on:keyup=move |_| sync_caret()
                    on:click=move |_| sync_caret()
                    on:blur=move |_| picker.dismiss()
                    on:input=move |_| {
                        sync_caret();
                        if !note_mode.get_untracked() {
                            on_typing.run(());
                        }
                    }
                ></textarea>
                <div class="composer__buttons">
                    <button
                        type="button"
                        class="button composer__mode"
                        aria-pressed=move || if note_mode.get() { "true" } else { "false" }
                        on:click=move |_| {
                            note_mode.update(|n| *n = !*n);
                            request_animation_frame(focus);
                        }
                    >
                        {t.internal_note}
                    </button>
                    <button
                        type="submit"
                        class="button button--primary composer__send"
                        disabled=move || disabled() || over()
                    >
                        {t.send}
                    </button>
                    {assist.map(|support| view! { <AssistMenu support draft=text /> })}
                </div>
            </div>
            {assist.map(|support| {
                // Accept puts the suggestion in place of the draft, the cursor after it.
                let on_replace = Callback::new(move |value: String| {
                    text.set(value);
                    request_animation_frame(focus);
                });
                view! { <AssistPreview support on_replace on_note /> }
            })}
        </form>
    }
}

/// What the composer says near the text limit.
fn count_words(t: &crate::i18n::Words, left: i64) -> String {
    match left {
        0.. => (t.chars_left)(left),
        _ => (t.chars_over)(-left, text::MAX_TEXT_CHARS),
    }
}
