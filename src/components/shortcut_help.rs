//! "Keyboard shortcuts" (`?`): every shortcut and what it does, in a modal dialog.

use leptos::prelude::*;
use parley_domain::keys::HELP;

use super::Modal;

#[component]
pub fn ShortcutHelp(
    /// Escape or Close (the owner removes the dialog and returns the focus).
    on_close: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    view! {
        <Modal title=t.keyboard_shortcuts on_close>
            <p class="shortcut-help__note">
                {t.single_keys}
            </p>
            <table class="shortcut-help">
                <thead>
                    <tr>
                        <th scope="col">{t.key}</th>
                        <th scope="col">{t.action}</th>
                    </tr>
                </thead>
                <tbody>
                    {HELP
                        .into_iter()
                        .zip(t.help)
                        .map(|((keys, _), what)| {
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
                    {t.close}
                </button>
            </div>
        </Modal>
    }
}
