//! Who the contact is assigned to.

use leptos::prelude::*;
use parley_domain::wire::Member;
use parley_domain::{Contact, UserId};

#[component]
pub(super) fn AssignPicker(
    contact: Signal<Contact>,
    members: Signal<Vec<Member>>,
    on_assign: Callback<Option<UserId>>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let assignee_value = move || contact.with(|c| c.assignee.as_ref().map(|a| a.to_string()).unwrap_or_default());
    view! {
        <label class="contact-sidebar__label" for="contact-assignee">{t.assign_to}</label>
        <select
            id="contact-assignee"
            class="contact-sidebar__assign"
            on:change=move |ev| {
                let value = event_target_value(&ev);
                on_assign.run((!value.is_empty()).then(|| UserId::new(value)));
            }
        >
            <option value="" prop:selected=move || assignee_value().is_empty()>
                {t.unassigned}
            </option>
            {move || {
                members
                    .get()
                    .into_iter()
                    .map(|m| {
                        let id = m.id.to_string();
                        let current = {
                            let id = id.clone();
                            move || assignee_value() == id
                        };
                        view! {
                            <option value=id prop:selected=current>
                                {m.name}
                            </option>
                        }
                    })
                    .collect_view()
            }}
        </select>
    }
}
