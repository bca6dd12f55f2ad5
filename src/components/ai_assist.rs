//! AI assist in the composer (issue 15, item 1): the "AI assist" menu button (WAI-ARIA APG
//! menu button: `aria-haspopup="menu"`, ↑/↓/Home/End move, Enter/Space choose, Escape and
//! Tab close, the focus goes back to the button) and the suggestion's preview under the
//! draft, a labelled region with Accept and Discard. The page adds them only when the
//! server has an AI endpoint (`Me.ai_assist`).

use leptos::html::Button;
use leptos::prelude::*;
use parley_domain::assist::AssistAction;
use wasm_bindgen::JsCast;

/// What the composer's AI assist needs from the page (the store's, wired there).
#[derive(Clone, Copy)]
pub struct AssistSupport {
    /// Asks for an action on the draft (the summary ignores it).
    pub ask: Callback<(AssistAction, String)>,
    pub pending: Signal<bool>,
    /// The suggestion for this conversation: its action and text.
    pub suggestion: Signal<Option<(AssistAction, String)>>,
    /// Why the last request gave nothing, in words.
    pub error: Signal<Option<String>>,
    /// Ends the suggestion (after Accept, or Discard).
    pub dismiss: Callback<()>,
}

const MENU_ID: &str = "ai-assist-menu";

fn item_id(i: usize) -> String {
    format!("{MENU_ID}-{i}")
}

/// Where a key moves the focus in a menu of `len` items from `current` (wrapping).
fn menu_move(key: &str, current: usize, len: usize) -> Option<usize> {
    match key {
        "ArrowDown" => Some((current + 1) % len),
        "ArrowUp" => Some((current + len - 1) % len),
        "Home" => Some(0),
        "End" => Some(len - 1),
        _ => None,
    }
}

fn focus_item(i: usize) {
    if let Some(el) = document().get_element_by_id(&item_id(i)) {
        let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}

/// The menu button and its menu.
#[component]
pub fn AssistMenu(support: AssistSupport, #[prop(into)] draft: Signal<String>) -> impl IntoView {
    let t = crate::i18n::t();
    let open = RwSignal::new(false);
    let active = RwSignal::new(0usize);
    let button: NodeRef<Button> = NodeRef::new();
    let len = AssistAction::ALL.len();
    let show = move |at: usize| {
        open.set(true);
        active.set(at);
        request_animation_frame(move || focus_item(at));
    };
    let close = move |refocus: bool| {
        open.set(false);
        if refocus && let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };
    let choose = move |action: AssistAction| {
        close(true);
        support.ask.run((action, draft.get_untracked()));
    };
    let on_button_key = move |ev: web_sys::KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" | "Enter" | " " => {
            ev.prevent_default();
            show(0);
        }
        "ArrowUp" => {
            ev.prevent_default();
            show(len - 1);
        }
        _ => {}
    };
    let on_menu_key = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        if let Some(next) = menu_move(&key, active.get_untracked(), len) {
            ev.prevent_default();
            active.set(next);
            focus_item(next);
            return;
        }
        match key.as_str() {
            "Escape" => {
                ev.prevent_default();
                ev.stop_propagation();
                close(true);
            }
            "Tab" => close(false),
            "Enter" | " " => {
                ev.prevent_default();
                choose(AssistAction::ALL[active.get_untracked()]);
            }
            _ => {}
        }
    };
    let items = AssistAction::ALL
        .iter()
        .enumerate()
        .map(|(i, &action)| {
            view! {
                <li
                    role="menuitem"
                    id=item_id(i)
                    tabindex="-1"
                    class="ai-assist__item"
                    on:click=move |_| choose(action)
                >
                    {(t.assist_action)(action)}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="ai-assist" on:focusout=move |ev: web_sys::FocusEvent| {
            // Leaving the whole widget (a click elsewhere) closes the menu.
            let inside = ev
                .related_target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                .zip(ev.current_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()))
                .is_some_and(|(to, root)| root.contains(Some(&to)));
            if !inside {
                open.set(false);
            }
        }>
            <button
                type="button"
                class="button ai-assist__button"
                node_ref=button
                aria-haspopup="menu"
                aria-controls=MENU_ID
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-busy=move || support.pending.get().then_some("true")
                disabled=support.pending
                on:click=move |_| if open.get_untracked() { close(true) } else { show(0) }
                on:keydown=on_button_key
            >
                {move || if support.pending.get() { t.ai_working } else { t.ai_assist }}
            </button>
            <ul
                role="menu"
                id=MENU_ID
                class="ai-assist__menu"
                aria-label=t.ai_assist
                hidden=move || !open.get()
                on:keydown=on_menu_key
            >
                {items}
            </ul>
        </div>
    }
}

/// The suggestion under the draft (Accept replaces the draft, or for a summary adds the
/// internal note), and failures in a live region.
#[component]
pub fn AssistPreview(
    support: AssistSupport,
    /// Replaces the composer's text.
    on_replace: Callback<String>,
    /// Adds an internal note.
    on_note: Callback<String>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let preview = move || {
        support.suggestion.get().map(|(action, text)| {
            let summary = action == AssistAction::Summarize;
            let accepted = text.clone();
            view! {
                <section class="ai-assist__preview" role="region" aria-label=t.ai_suggestion>
                    <h3 class="ai-assist__title">{t.ai_suggestion} " · " {(t.assist_action)(action)}</h3>
                    <p class="ai-assist__text">{text}</p>
                    {summary.then(|| view! { <p class="ai-assist__hint">{t.ai_summary_hint}</p> })}
                    <div class="ai-assist__actions">
                        <button
                            type="button"
                            class="button button--primary"
                            on:click=move |_| {
                                if summary {
                                    on_note.run(accepted.clone());
                                } else {
                                    on_replace.run(accepted.clone());
                                }
                                support.dismiss.run(());
                            }
                        >
                            {t.accept}
                        </button>
                        <button type="button" class="button" on:click=move |_| support.dismiss.run(())>
                            {t.discard}
                        </button>
                    </div>
                </section>
            }
        })
    };
    view! {
        {preview}
        // Always in the page, so that screen readers announce what appears in it.
        <p class="ai-assist__status" role="status" aria-live="polite">
            {move || support.error.get()}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::menu_move;

    #[test]
    fn arrows_wrap_and_home_end_jump() {
        let rows = [
            ("ArrowDown", 0, Some(1)),
            ("ArrowDown", 6, Some(0)),
            ("ArrowUp", 0, Some(6)),
            ("ArrowUp", 3, Some(2)),
            ("Home", 4, Some(0)),
            ("End", 1, Some(6)),
            ("a", 1, None),
        ];
        for (key, from, to) in rows {
            assert_eq!(menu_move(key, from, 7), to, "{key} from {from}");
        }
    }
}
