//! "Keyboard shortcuts" (`?`): every shortcut and what it does, in a modal dialog.

use leptos::prelude::*;
use parley_domain::keys::HELP;

use super::Modal;

#[component]
pub fn ShortcutHelp(
    /// Escape or Close (the owner removes the dialog and returns the focus).
    on_close: Callback<()>,
) -> impl IntoView {
    view! {
        <Modal title="Keyboard shortcuts" on_close>
            <p class="shortcut-help__note">
                "Single keys work anywhere except while typing in a text field or with a dialog open."
            </p>
            <table class="shortcut-help">
                <thead>
                    <tr>
                        <th scope="col">"Key"</th>
                        <th scope="col">"Action"</th>
                    </tr>
                </thead>
                <tbody>
                    {HELP
                        .map(|(keys, what)| {
                            view! {
                                <tr>
                                    <td>
                                        <kbd>{keys}</kbd>
                                    </td>
                                    <td>{what}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <div class="modal__actions">
                <button type="button" class="button" on:click=move |_| on_close.run(())>
                    "Close"
                </button>
            </div>
        </Modal>
    }
}
