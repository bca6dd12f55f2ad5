//! "Close conversation": an optional closing note and a reason from the workspace's
//! list (fetched again each time a dialog opens, so the settings page's changes show).

use leptos::prelude::*;
use parley_domain::wire::ClosingReason;

use super::Modal;
use crate::i18n::Words;

/// The workspace's closing reasons, as the close dialog and bulk resolve read them
/// (provided by the views for every signed-in screen).
#[derive(Clone, Copy)]
pub struct ReasonChoices {
    pub reasons: Signal<Option<Result<Vec<ClosingReason>, String>>>,
    /// A dialog opened: fetch the list again.
    pub load: Callback<()>,
}

/// How a recorded closing reason reads: the ids the app sent before the list existed
/// in the agent's language, any other as recorded (the list's own spelling).
pub fn reason_label<'a>(t: &Words, reason: &'a str) -> &'a str {
    let legacy =
        [("resolved", t.resolved), ("spam", t.spam), ("duplicate", t.duplicate), ("no_response", t.no_response)];
    legacy.into_iter().find(|(id, _)| *id == reason).map_or(reason, |(_, label)| label)
}

/// The `<select>` of closing reasons ("None" first, then the list by name, as sent);
/// while the list loads or if it failed, a status or alert says so next to it.
#[component]
pub fn ReasonSelect(value: RwSignal<String>) -> impl IntoView {
    let t = crate::i18n::t();
    let choices = use_context::<ReasonChoices>();
    if let Some(c) = choices {
        c.load.run(());
    }
    let reasons = move || choices.and_then(|c| c.reasons.get());
    view! {
        <label class="field">
            <span class="field__label">{t.reason}</span>
            <select on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">{t.none}</option>
                {move || {
                    reasons()
                        .and_then(Result::ok)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|r| {
                            // The list is fetched again on opening: a choice made meanwhile stays.
                            let chosen = value.with_untracked(|v| *v == r.name);
                            let shown = r.name.clone();
                            view! { <option value=r.name selected=chosen>{shown}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </label>
        {move || match reasons() {
            None => Some(view! { <p role="status">{t.loading_closing_reasons}</p> }.into_any()),
            Some(Err(why)) => Some(view! { <p role="alert" class="field__error">{why}</p> }.into_any()),
            Some(Ok(_)) => None,
        }}
    }
}

#[component]
pub fn CloseDialog(
    /// Receives the closing note and the reason (as the list names it), each if given.
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
                <ReasonSelect value=reason />
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
