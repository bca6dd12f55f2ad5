//! "Close conversation": an optional closing note and reason.

use leptos::prelude::*;

use super::Modal;

/// Reasons as sent (stable ids) and as shown.
const REASONS: [(&str, &str); 4] =
    [("resolved", "Resolved"), ("spam", "Spam"), ("duplicate", "Duplicate"), ("no_response", "No response")];

/// How a closing reason reads; one this app does not know is shown as sent.
pub fn reason_label(reason: &str) -> &str {
    REASONS.iter().find(|(id, _)| *id == reason).map_or(reason, |(_, label)| label)
}

#[component]
pub fn CloseDialog(
    /// Receives the closing note and the reason id, each if given.
    on_close: Callback<(Option<String>, Option<String>)>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let note = note.get_untracked().trim().to_owned();
        let reason = reason.get_untracked();
        on_close.run(((!note.is_empty()).then_some(note), (!reason.is_empty()).then_some(reason)));
    };
    view! {
        <Modal title="Close conversation" on_close=on_cancel>
            <form class="modal__form" on:submit=submit>
                <label class="field">
                    <span class="field__label">"Closing note"</span>
                    <textarea rows="3" bind:value=note></textarea>
                </label>
                <label class="field">
                    <span class="field__label">"Reason"</span>
                    <select on:change=move |ev| reason.set(event_target_value(&ev))>
                        <option value="">"None"</option>
                        {REASONS.map(|(id, label)| view! { <option value=id>{label}</option> })}
                    </select>
                </label>
                <div class="modal__actions">
                    <button type="button" class="button" on:click=move |_| on_cancel.run(())>
                        "Cancel"
                    </button>
                    <button type="submit" class="button button--primary">
                        "Close"
                    </button>
                </div>
            </form>
        </Modal>
    }
}
