//! Who the contact is assigned to: a colleague, a team or nobody.

use leptos::prelude::*;
use parley_domain::wire::Member;
use parley_domain::{Assignee, Contact, Team};

/// The select's value of a team (users' values are their ids).
const TEAM: &str = "team:";

#[component]
pub(super) fn AssignPicker(
    contact: Signal<Contact>,
    members: Signal<Vec<Member>>,
    teams: Signal<Vec<Team>>,
    on_assign: Callback<Option<Assignee>>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let assignee_value = move || {
        contact.with(|c| match c.assigned() {
            Some(Assignee::User(u)) => u.to_string(),
            Some(Assignee::Team(team)) => format!("{TEAM}{team}"),
            None => String::new(),
        })
    };
    let option = move |value: String, name: String| {
        let current = {
            let value = value.clone();
            move || assignee_value() == value
        };
        view! {
            <option value=value prop:selected=current>
                {name}
            </option>
        }
    };
    view! {
        <label class="contact-sidebar__label" for="contact-assignee">{t.assign_to}</label>
        <select
            id="contact-assignee"
            class="contact-sidebar__assign"
            on:change=move |ev| {
                let value = event_target_value(&ev);
                on_assign.run(match value.strip_prefix(TEAM) {
                    Some(team) => Some(Assignee::Team(team.into())),
                    None => (!value.is_empty()).then(|| Assignee::User(value.as_str().into())),
                });
            }
        >
            <option value="" prop:selected=move || assignee_value().is_empty()>
                {t.unassigned}
            </option>
            {move || members.get().into_iter().map(|m| option(m.id.to_string(), m.name)).collect_view()}
            {move || {
                teams
                    .get()
                    .into_iter()
                    .map(|team| option(format!("{TEAM}{}", team.id), (t.team_named)(&team.name)))
                    .collect_view()
            }}
        </select>
    }
}
