//! A modal dialog on the native `<dialog>`: `showModal()` makes the rest of the page
//! inert and moves focus inside, which a hand-rolled overlay would have to imitate.
//! Escape closes it through `on_close`, so that the owner's state stays the truth
//! (the owner also returns focus to the control that opened it). Tab and Shift+Tab wrap
//! around inside it: the browser would let the focus leave the page.

use leptos::html::Dialog;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What Tab can reach inside a dialog.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), \
                         textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";

#[component]
pub fn Modal(
    /// The dialog's heading and accessible name.
    title: &'static str,
    /// Escape was pressed (the owner removes the dialog).
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let dialog: NodeRef<Dialog> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(el) = dialog.get()
            && !el.open()
        {
            let _ = el.show_modal();
        }
    });
    view! {
        <dialog
            class="modal"
            aria-label=title
            node_ref=dialog
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Tab"
                    && let Some(el) = dialog.get_untracked()
                {
                    trap_tab(&el, &ev);
                }
            }
            on:cancel=move |ev: leptos::ev::Event| {
                // The browser would close the element itself; let the owner remove it.
                ev.prevent_default();
                on_close.run(());
            }
        >
            <h2 class="modal__title">{title}</h2>
            {children()}
        </dialog>
    }
}

/// Keeps Tab inside `dialog`: from its last focusable element to its first, and Shift+Tab
/// the other way.
fn trap_tab(dialog: &web_sys::HtmlDialogElement, ev: &leptos::ev::KeyboardEvent) {
    let Ok(all) = dialog.query_selector_all(FOCUSABLE) else { return };
    let element = |i: u32| all.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok());
    let (Some(first), Some(last)) = (element(0), element(all.length().saturating_sub(1))) else {
        ev.prevent_default();
        return;
    };
    let active = document().active_element();
    let (edge, other) = if ev.shift_key() { (&first, &last) } else { (&last, &first) };
    if active.as_ref().is_none_or(|a| a == edge.unchecked_ref::<web_sys::Element>() || !dialog.contains(Some(a))) {
        ev.prevent_default();
        let _ = other.focus();
    }
}
