//! "Snooze conversation": until when, and a reminder shown when it comes back.

use leptos::prelude::*;
use parley_domain::Timestamp;

use super::Modal;
use crate::format::{datetime_local, parse_datetime_local};

#[component]
pub fn SnoozeDialog(
    /// Where the time picker starts (an hour from now).
    default_until: Timestamp,
    /// Receives the chosen time and the reminder note, if any.
    on_snooze: Callback<(Timestamp, Option<String>)>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let until = RwSignal::new(datetime_local(default_until));
    let note = RwSignal::new(String::new());
    let invalid = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match parse_datetime_local(&until.get_untracked()) {
            Some(at) => {
                let note = note.get_untracked().trim().to_owned();
                on_snooze.run((at, (!note.is_empty()).then_some(note)));
            }
            None => invalid.set(true),
        }
    };
    view! {
        <Modal title=t.snooze_conversation on_close=on_cancel>
            <form class="modal__form" on:submit=submit>
                <label class="field">
                    <span class="field__label">{t.snooze_until}</span>
                    <input type="datetime-local" required bind:value=until aria-invalid=move || invalid.get().then_some("true") />
                </label>
                <label class="field">
                    <span class="field__label">{t.reminder_note}</span>
                    <textarea rows="3" bind:value=note></textarea>
                </label>
                <div class="modal__actions">
                    <button type="button" class="button" on:click=move |_| on_cancel.run(())>
                        {t.cancel}
                    </button>
                    <button type="submit" class="button button--primary">
                        {t.snooze}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
