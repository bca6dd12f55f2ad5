//! The reply box: Enter sends, Shift+Enter starts a new line, empty text is not sent.

use leptos::html::Textarea;
use leptos::prelude::*;

#[component]
pub fn Composer(
    /// Receives the text to send (already checked to be non-blank).
    on_send: Callback<String>,
    /// Why replying is not possible now, if it is not.
    #[prop(into)]
    disabled_reason: Signal<Option<String>>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let input: NodeRef<Textarea> = NodeRef::new();
    let disabled = move || disabled_reason.with(Option::is_some);
    // Opening a conversation puts the cursor where the agent will type.
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let submit = move || {
        let value = text.get_untracked();
        if value.trim().is_empty() || disabled_reason.with_untracked(Option::is_some) {
            return;
        }
        on_send.run(value);
        text.set(String::new());
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        // While an input method composes (Japanese, Chinese…), Enter confirms the
        // composition, not the message.
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            submit();
        }
    };
    view! {
        <form
            class="composer"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            {move || disabled_reason.get().map(|r| view! { <p class="composer__notice">{r}</p> })}
            <div class="composer__row">
                <textarea
                    class="composer__input"
                    aria-label="Message"
                    placeholder="Write a reply… (Enter to send, Shift+Enter for a new line)"
                    rows="3"
                    node_ref=input
                    disabled=disabled
                    bind:value=text
                    on:keydown=on_keydown
                ></textarea>
                <button type="submit" class="button button--primary composer__send" disabled=disabled>
                    "Send"
                </button>
            </div>
        </form>
    }
}
