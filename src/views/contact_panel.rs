//! The contact sidebar of the open conversation: wires the contacts slice (edit, merge,
//! activities, integrations, blocking) and the calls slice to `ContactSidebar`.

use leptos::prelude::*;
use parley_domain::wire::Member;
use parley_domain::{Contact, ContactId};

use super::{ContactCalls, submit};
use crate::components::{ContactActivityList, ContactSidebar};
use crate::store::{use_calls, use_contacts, use_session, use_thread};

#[component]
pub fn ContactPanel(contact: Memo<Contact>, members: Signal<Vec<Member>>, now: Signal<i64>) -> impl IntoView {
    let calls = use_calls();
    let contacts = use_contacts();
    let session = use_session();
    let thread = use_thread();
    let me = session.me();
    let open = thread.open();
    let channels =
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.workspace.channels.clone()).unwrap_or_default()));
    let id = Memo::new(move |_| contact.with(|c| c.id.clone()));
    let found = contacts.duplicates(contact.into());
    let duplicates = Signal::derive(move || found.get().and_then(Result::ok).unwrap_or_default());
    let loaded = contacts.integrations(id.into());
    let integrations = Signal::derive(move || loaded.get().and_then(Result::ok).unwrap_or_default());
    let on_save = submit(contacts.edit, move |patch| (id.get_untracked(), patch));
    let on_merge = Callback::new(move |secondary: ContactId| {
        contacts.merge.dispatch((id.get_untracked(), secondary));
    });
    let on_save_integration =
        submit(contacts.save_integration, move |(integration, update)| (id.get_untracked(), integration, update));
    // The open conversation's notes and events: when they change, the Activities tab reloads.
    let trail = Memo::new(move |_| open.with(|o| o.as_ref().map(|o| (o.notes.clone(), o.activities.clone()))));
    let activities = ViewFn::from(move || {
        let loaded = contacts.activities(id.into(), Signal::derive(move || trail.track()));
        let found = Signal::derive(move || loaded.get().and_then(Result::ok));
        view! { <ContactActivityList activities=found now /> }
    });
    let conversations = super::contacts_page::conversations_tab(contact.into());
    let start = super::contacts_page::new_conversation(contact.into());
    move || {
        // What the user may do decides which tabs and actions the sidebar offers.
        let on_assign = Callback::new(move |assignee| contacts.assign_open(assignee));
        let handles = calls.handles_calls().get();
        let contact_id = Signal::derive(move || id.get());
        let call_activities = handles.then(|| ViewFn::from(move || view! { <ContactCalls contact=contact_id now /> }));
        let on_call = handles.then(|| Callback::new(move |()| calls.place_call(id.get_untracked())));
        let on_block = contacts.may_block().get().then(|| Callback::new(move |b| contacts.set_blocked(b)));
        view! {
            <ContactSidebar
                contact
                members
                teams=session.teams()
                on_assign
                channels
                on_save=Some(on_save)
                duplicates
                on_merge=Some(on_merge)
                activities=Some(activities.clone())
                conversations=Some(conversations.clone())
                call_activities
                integrations
                on_save_integration=Some(on_save_integration)
                on_call
                on_block
                new_conversation=Some(start)
            />
        }
    }
}
