//! "Close conversation": an optional closing note and reason.

use leptos::prelude::*;

use super::Modal;
use crate::i18n::Words;

/// Reasons as sent (stable ids) and as shown.
fn reasons(t: &Words) -> [(&'static str, &'static str); 4] {
    [("resolved", t.resolved), ("spam", t.spam), ("duplicate", t.duplicate), ("no_response", t.no_response)]
}

/// How a closing reason reads; one this app does not know is shown as sent.
pub fn reason_label<'a>(t: &Words, reason: &'a str) -> &'a str {
    reasons(t).into_iter().find(|(id, _)| *id == reason).map_or(reason, |(_, label)| label)
}

#[component]
pub fn CloseDialog(
    /// Receives the closing note and the reason id, each if given.
    on_close: Callback<(Option<String>, Option<String>)>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let note = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let note = note.get_untracked().trim().to_owned();
        let reason = reason.get_untracked();
        on_close.run(((!note.is_empty()).then_some(note), (!reason.is_empty()).then_some(reason)));
    };
    view! {
        <Modal title=t.close_conversation on_close=on_cancel>
            <form class="modal__form" on:submit=submit>
                <label class="field">
                    <span class="field__label">{t.closing_note}</span>
                    <textarea rows="3" bind:value=note></textarea>
                </label>
                <label class="field">
                    <span class="field__label">{t.reason}</span>
                    <select on:change=move |ev| reason.set(event_target_value(&ev))>
                        <option value="">{t.none}</option>
                        {reasons(t).map(|(id, label)| view! { <option value=id>{label}</option> })}
                    </select>
                </label>
                <div class="modal__actions">
                    <button type="button" class="button" on:click=move |_| on_cancel.run(())>
                        {t.cancel}
                    </button>
                    <button type="submit" class="button button--primary">
                        {t.close}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
