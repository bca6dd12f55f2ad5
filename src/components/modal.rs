//! A modal dialog on the native `<dialog>`: `showModal()` makes the rest of the page
//! inert and moves focus inside, which a hand-rolled overlay would have to imitate.
//! Escape closes it through `on_close`, so that the owner's state stays the truth
//! (the owner also returns focus to the control that opened it).

use leptos::html::Dialog;
use leptos::prelude::*;

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
