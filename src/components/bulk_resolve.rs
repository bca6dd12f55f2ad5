//! "Bulk resolve" (users with the permission): a button in the list header opens a
//! dialog — older than N days, an optional reason from the workspace's list — that
//! closes the quiet conversations of the list as it is filtered; the outcome is
//! announced in the header.

use leptos::html::Button;
use leptos::prelude::*;

use super::{Modal, ReasonSelect};

/// Where a bulk resolve stands, as the owner (the page) reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum BulkOutcome {
    #[default]
    Idle,
    Working,
    /// How many conversations closed.
    Done(u32),
    /// The words for the failure.
    Failed(String),
}

#[component]
pub fn BulkResolve(
    /// What it acts on, e.g. "Unassigned, Open, Léa Moreau" (said in the dialog).
    #[prop(into)]
    scope: Signal<String>,
    #[prop(into)] outcome: Signal<BulkOutcome>,
    /// Older than (days) and the reason ("" for none).
    on_resolve: Callback<(u32, String)>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let open = RwSignal::new(false);
    let days = RwSignal::new("7".to_owned());
    let reason = RwSignal::new(String::new());
    let invalid = RwSignal::new(false);
    let button: NodeRef<Button> = NodeRef::new();
    let close = move || {
        open.set(false);
        // Once the modal dialog is gone (while it is open the page is inert).
        request_animation_frame(move || {
            if let Some(b) = button.get_untracked() {
                let _ = b.focus();
            }
        });
    };
    // Done: the dialog goes and the header says how many closed.
    Effect::new(move |_| {
        if matches!(outcome.get(), BulkOutcome::Done(_)) && open.get_untracked() {
            close();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match days.get_untracked().trim().parse::<u32>() {
            Ok(n) if n >= 1 => {
                invalid.set(false);
                on_resolve.run((n, reason.get_untracked()));
            }
            _ => invalid.set(true),
        }
    };
    let working = move || outcome.get() == BulkOutcome::Working;
    view! {
        <div class="bulk-resolve">
            <button
                type="button"
                class="button button--quiet"
                node_ref=button
                on:click=move |_| {
                    invalid.set(false);
                    // The reasons' select starts at "None" each time.
                    reason.set(String::new());
                    open.set(true);
                }
            >
                {t.bulk_resolve}
            </button>
            <p class="bulk-resolve__result" role="status">
                {move || match outcome.get() {
                    BulkOutcome::Done(n) => (t.conversations_closed)(n.into()),
                    _ => String::new(),
                }}
            </p>
            <Show when=move || open.get()>
                <Modal title=t.bulk_resolve on_close=Callback::new(move |()| close())>
                    <form class="modal__form" on:submit=submit>
                        <p>
                            {t.bulk_before} <strong>{scope}</strong> {t.bulk_after}
                        </p>
                        <label class="field">
                            <span class="field__label">{t.older_than_days}</span>
                            <input
                                type="number"
                                min="1"
                                step="1"
                                required
                                bind:value=days
                                aria-invalid=move || invalid.get().then_some("true")
                            />
                        </label>
                        {move || {
                            invalid.get().then(|| view! { <p class="field__error" role="alert">{t.whole_days}</p> })
                        }}
                        <ReasonSelect value=reason />
                        {move || match outcome.get() {
                            BulkOutcome::Failed(words) => Some(view! { <p class="field__error" role="alert">{words}</p> }),
                            _ => None,
                        }}
                        <div class="modal__actions">
                            <button type="button" class="button" on:click=move |_| close()>
                                {t.cancel}
                            </button>
                            <button type="submit" class="button button--primary" disabled=working>
                                {t.resolve}
                            </button>
                        </div>
                    </form>
                </Modal>
            </Show>
        </div>
    }
}
