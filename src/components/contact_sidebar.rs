//! The right-most column: who the contact is, and who they are assigned to.

use leptos::prelude::*;
use parley_domain::wire::Member;
use parley_domain::{Contact, UserId};

use super::Avatar;

/// `<aside aria-label="Contact details">` with a definition list, and an assignee picker.
#[component]
pub fn ContactSidebar(
    #[prop(into)] contact: Signal<Contact>,
    /// Colleagues the contact can be assigned to.
    #[prop(into)]
    members: Signal<Vec<Member>>,
    /// `None` unassigns.
    on_assign: Callback<Option<UserId>>,
    /// The contact's calls, for users who handle calls (adds the "Call activities" tab).
    #[prop(default = None)]
    call_activities: Option<ViewFn>,
    /// Calls the contact out (users who handle calls).
    #[prop(default = None)]
    on_call: Option<Callback<()>>,
    /// Blocks (`true`) or unblocks the contact (users with the permission).
    #[prop(default = None)]
    on_block: Option<Callback<bool>>,
) -> impl IntoView {
    let tab = RwSignal::new(SidebarTab::Details);
    let name = Signal::derive(move || contact.with(|c| c.name.clone()));
    let optional =
        move |f: fn(&Contact) -> Option<String>| move || contact.with(|c| f(c).unwrap_or_else(|| "—".into()));
    let assignee_name = move || {
        contact.with(|c| match &c.assignee {
            None => "Unassigned".to_owned(),
            Some(id) => members
                .with(|m| m.iter().find(|m| &m.id == id).map(|m| m.name.clone()))
                .unwrap_or_else(|| id.to_string()),
        })
    };
    let assignee_value = move || contact.with(|c| c.assignee.as_ref().map(|a| a.to_string()).unwrap_or_default());
    let tab_button = move |which: SidebarTab, label: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="contact-sidebar__tab"
                aria-selected=move || if tab.get() == which { "true" } else { "false" }
                on:click=move |_| tab.set(which)
            >
                {label}
            </button>
        }
    };
    let has_calls = call_activities.is_some();
    let details = move || {
        view! {
            <dl class="contact-sidebar__details">
                <dt>"Phone"</dt>
                <dd>{optional(|c| c.phone.clone())}</dd>
                <dt>"Email"</dt>
                <dd>{optional(|c| c.email.clone())}</dd>
                <dt>"Country"</dt>
                <dd>{optional(|c| c.country.clone())}</dd>
                <dt>"Language"</dt>
                <dd>{optional(|c| c.language.clone())}</dd>
                <dt>"Assignee"</dt>
                <dd>{assignee_name}</dd>
            </dl>
            <label class="contact-sidebar__label" for="contact-assignee">"Assign to"</label>
            <select
                id="contact-assignee"
                class="contact-sidebar__assign"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    on_assign.run((!value.is_empty()).then(|| UserId::new(value)));
                }
            >
                <option value="" prop:selected=move || assignee_value().is_empty()>
                    "Unassigned"
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
    };
    view! {
        <aside class="contact-sidebar" aria-label="Contact details">
            <header class="contact-sidebar__header">
                <Avatar name class="avatar--large" />
                <h2 class="contact-sidebar__name">{name}</h2>
                {move || contact.with(|c| c.blocked).then(|| view! { <p class="contact-sidebar__blocked">"Blocked"</p> })}
                {on_block
                    .map(|block| {
                        let blocked = move || contact.with(|c| c.blocked);
                        view! {
                            <button type="button" class="button" on:click=move |_| block.run(!blocked())>
                                {move || if blocked() { "Unblock contact" } else { "Block contact" }}
                            </button>
                        }
                    })}
                {on_call
                    .map(|call| {
                        view! {
                            <button type="button" class="button" on:click=move |_| call.run(())>
                                "Call contact"
                            </button>
                        }
                    })}
            </header>
            {has_calls
                .then(|| {
                    view! {
                        <div class="contact-sidebar__tabs" role="tablist" aria-label="Contact">
                            {tab_button(SidebarTab::Details, "Contact details")}
                            {tab_button(SidebarTab::Calls, "Call activities")}
                        </div>
                    }
                })}
            <div class="contact-sidebar__panel" role=has_calls.then_some("tabpanel")>
                {move || match (tab.get(), &call_activities) {
                    (SidebarTab::Calls, Some(calls)) => calls.run(),
                    _ => details().into_any(),
                }}
            </div>
        </aside>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SidebarTab {
    Details,
    Calls,
}
