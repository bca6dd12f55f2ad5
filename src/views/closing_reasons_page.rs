//! `/settings/closing-reasons`: the reasons the close dialog and bulk resolve offer.
//! Owners, managers and holders of the permission add, rename and delete them (checked
//! with the domain's rule before sending, and by the server); others read the list.

use leptos::html::Input;
use leptos::prelude::*;
use parley_domain::ClosingReasonId;
use parley_domain::lifecycle::{ReasonError, check_reason};
use parley_domain::wire::ClosingReason;

use super::{RequireSession, SettingsTop, loaded_list};
use crate::store::{describe, form_error, on_answer, use_closing_reasons};

#[component]
pub fn ClosingReasonsPage() -> impl IntoView {
    view! {
        <RequireSession>
            <ClosingReasonSettings />
        </RequireSession>
    }
}

/// The agent's words for a name the domain refuses.
fn refusal(e: &ReasonError) -> String {
    let t = crate::i18n::t();
    match e {
        ReasonError::Empty => t.reason_empty.to_owned(),
        ReasonError::TooLong => (t.reason_too_long)(parley_domain::lifecycle::MAX_REASON_CHARS),
        ReasonError::Taken(name) => (t.reason_taken)(name),
    }
}

#[component]
fn ClosingReasonSettings() -> impl IntoView {
    let t = crate::i18n::t();
    let reasons = use_closing_reasons();
    reasons.load();
    let list = reasons.list();
    let can_edit = reasons.can_manage();
    let (save, delete) = (reasons.save, reasons.delete);
    // The new reason's name, the reason being renamed and its new name, the last refusal.
    let name = RwSignal::new(String::new());
    let renaming = RwSignal::new(None::<ClosingReasonId>);
    let new_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    on_answer(save, move |answer| match answer {
        Ok(saved) => {
            error.set(None);
            if renaming.with_untracked(|r| r.as_ref() == Some(&saved.id)) {
                renaming.set(None);
            } else {
                name.set(String::new());
            }
        }
        Err(e) => error.set(Some(form_error(&e))),
    });
    on_answer(delete, move |answer| {
        if let Err(e) = answer {
            error.set(Some(describe(&e)));
        }
    });
    // Checked here with the server's own rule, so the refusal is in the agent's language.
    let send = move |id: Option<ClosingReasonId>, typed: String| {
        let current = list.with_untracked(|l| l.as_ref().and_then(|l| l.as_ref().ok()).cloned().unwrap_or_default());
        match check_reason(&typed, &current, id.as_ref()) {
            Ok(checked) => {
                error.set(None);
                save.dispatch((id, checked));
            }
            Err(e) => error.set(Some(refusal(&e))),
        }
    };

    let row = move |r: ClosingReason| {
        let editable = can_edit.get();
        let ClosingReason { id, name: shown } = r;
        let editing = {
            let id = id.clone();
            move || renaming.with(|e| e.as_ref() == Some(&id))
        };
        view! {
            <li class="reason-row">
                {move || {
                    let (id, shown) = (id.clone(), shown.clone());
                    if editing() {
                        let input: NodeRef<Input> = NodeRef::new();
                        // The Edit button that opened the form is gone: the name takes the focus.
                        Effect::new(move |_| {
                            if let Some(el) = input.get() {
                                let _ = el.focus();
                            }
                        });
                        view! {
                            <form
                                class="reason-row__form"
                                on:submit=move |ev| {
                                    ev.prevent_default();
                                    send(Some(id.clone()), new_name.get_untracked());
                                }
                            >
                                <label>
                                    <span class="visually-hidden">{(t.rename_reason)(&shown)}</span>
                                    <input type="text" node_ref=input bind:value=new_name />
                                </label>
                                <button type="submit" class="button button--small button--primary">{t.save}</button>
                                <button type="button" class="button button--small" on:click=move |_| renaming.set(None)>
                                    {t.cancel}
                                </button>
                            </form>
                        }
                        .into_any()
                    } else {
                        let (edit_id, delete_id, edit_name) = (id.clone(), id, shown.clone());
                        let buttons = editable.then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="button button--small"
                                    aria-label=(t.edit_named)(&shown)
                                    on:click=move |_| {
                                        error.set(None);
                                        new_name.set(edit_name.clone());
                                        renaming.set(Some(edit_id.clone()));
                                    }
                                >
                                    {t.edit}
                                </button>
                                <button
                                    type="button"
                                    class="button button--small"
                                    aria-label=(t.delete_named)(&shown)
                                    on:click=move |_| {
                                        error.set(None);
                                        delete.dispatch(delete_id.clone());
                                    }
                                >
                                    {t.delete}
                                </button>
                            }
                        });
                        view! {
                            <span class="reason-row__name">{shown.clone()}</span>
                            {buttons}
                        }
                        .into_any()
                    }
                }}
            </li>
        }
    };

    let shown = loaded_list(list, t.loading_closing_reasons, t.no_closing_reasons, move |all| {
        view! { <ul class="reason-list" aria-label=t.closing_reasons>{all.into_iter().map(row).collect_view()}</ul> }
    });

    view! {
        <main class="settings">
            <SettingsTop title=t.closing_reasons />
            <p>{move || if can_edit.get() { t.closing_reasons_hint } else { t.closing_reasons_read_only }}</p>
            {move || {
                can_edit
                    .get()
                    .then(|| {
                        view! {
                            <form
                                class="reason-add"
                                on:submit=move |ev| {
                                    ev.prevent_default();
                                    send(None, name.get_untracked());
                                }
                            >
                                <label>
                                    <span class="field__label">{t.new_closing_reason}</span>
                                    <input type="text" bind:value=name />
                                </label>
                                <button type="submit" class="button button--primary" disabled=save.pending()>
                                    {t.add_reason}
                                </button>
                            </form>
                        }
                    })
            }}
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            {shown}
        </main>
    }
}
