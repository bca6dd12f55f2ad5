//! Merge suggestions.

use leptos::prelude::*;
use parley_domain::{Contact, ContactId};

/// Merge suggestions, each merged only after a confirmation.
#[component]
pub(super) fn PossibleDuplicates(
    contact: Signal<Contact>,
    duplicates: Signal<Vec<Contact>>,
    on_merge: Callback<ContactId>,
) -> impl IntoView {
    let t = crate::i18n::t();
    // The suggestion waiting for confirmation.
    let confirming = RwSignal::new(None::<Contact>);
    let confirm_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = confirm_button.get() {
            let _ = button.focus();
        }
    });
    let item = move |other: Contact| {
        let detail = [other.phone.clone(), other.email.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
        let label = (t.merge_into_this)(&other.name);
        view! {
            <li class="contact-sidebar__duplicate">
                <span class="contact-sidebar__duplicate-name">{other.name.clone()}</span>
                <span class="contact-sidebar__muted">{detail}</span>
                <button type="button" class="button" on:click=move |_| confirming.set(Some(other.clone()))>
                    {label}
                </button>
            </li>
        }
    };
    let confirmation = move || {
        confirming.get().map(|other| {
            let question = contact.with(|c| (t.merge_question)(&other.name, &c.name));
            let id = other.id.clone();
            view! {
                <div class="contact-sidebar__confirm" role="group" aria-label=t.confirm_merge>
                    <p>{question}</p>
                    <button
                        type="button"
                        class="button button--primary"
                        node_ref=confirm_button
                        on:click=move |_| {
                            on_merge.run(id.clone());
                            confirming.set(None);
                        }
                    >
                        {t.confirm_merge}
                    </button>
                    <button type="button" class="button" on:click=move |_| confirming.set(None)>
                        {t.cancel}
                    </button>
                </div>
            }
        })
    };
    move || {
        let list = duplicates.get();
        (!list.is_empty()).then(|| {
            view! {
                <section class="contact-sidebar__section" aria-labelledby="contact-duplicates">
                    <h3 id="contact-duplicates" class="contact-sidebar__heading">{t.possible_duplicates}</h3>
                    <ul class="contact-sidebar__duplicates" aria-label=t.possible_duplicates>
                        {list.into_iter().map(item).collect_view()}
                    </ul>
                    {confirmation}
                </section>
            }
        })
    }
}
