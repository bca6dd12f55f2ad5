//! The contact sidebar of the open conversation: wires the store's contact commands
//! (edit, merge, activities, integrations, calls, blocking) to `ContactSidebar`.

use leptos::prelude::*;
use parley_domain::integration::Integration;
use parley_domain::wire::{ContactActivities, Member};
use parley_domain::{Contact, ContactId};

use super::ContactCalls;
use crate::components::{ContactActivityList, ContactSidebar, SaveContact, SaveIntegration};
use crate::store::use_store;

#[component]
pub fn ContactPanel(contact: Memo<Contact>, members: Signal<Vec<Member>>, now: Signal<i64>) -> impl IntoView {
    let store = use_store();
    let me = store.me();
    let open = store.open();
    let channels =
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.workspace.channels.clone()).unwrap_or_default()));
    let id = Memo::new(move |_| contact.with(|c| c.id.clone()));
    let duplicates = RwSignal::new(Vec::<Contact>::new());
    let integrations = RwSignal::new(Vec::<Integration>::new());
    // Any change to the contact (an edit here or elsewhere, a merge) can change its duplicates.
    Effect::new(move |_| {
        contact.track();
        store.load_duplicates(id.get_untracked(), duplicates);
    });
    Effect::new(move |_| store.load_integrations(id.get(), integrations));
    let on_save: SaveContact = Callback::new(move |(patch, done)| store.edit_contact(id.get_untracked(), patch, done));
    let reload = Callback::new(move |()| store.load_duplicates(id.get_untracked(), duplicates));
    let on_merge =
        Callback::new(move |secondary: ContactId| store.merge_contact(id.get_untracked(), secondary, reload));
    let on_save_integration: SaveIntegration = Callback::new(move |(integration, update, done)| {
        store.save_integration(id.get_untracked(), integration, update, integrations, done)
    });
    // The open conversation's notes and events: when they change, the Activities tab reloads.
    let trail = Memo::new(move |_| open.with(|o| o.as_ref().map(|o| (o.notes.clone(), o.activities.clone()))));
    let activities = ViewFn::from(move || {
        let found = RwSignal::new(None::<ContactActivities>);
        Effect::new(move |_| {
            trail.track();
            store.load_contact_activities(id.get(), found);
        });
        view! { <ContactActivityList activities=found now /> }
    });
    move || {
        // What the user may do decides which tabs and actions the sidebar offers.
        let on_assign = Callback::new(move |assignee| store.assign(assignee));
        let calls = store.handles_calls().get();
        let contact_id = Signal::derive(move || id.get());
        let call_activities = calls.then(|| ViewFn::from(move || view! { <ContactCalls contact=contact_id now /> }));
        let on_call = calls.then(|| Callback::new(move |()| store.place_call(id.get_untracked())));
        let on_block = store.may_block().get().then(|| Callback::new(move |b| store.set_blocked(b)));
        view! {
            <ContactSidebar
                contact
                members
                on_assign
                channels
                on_save=Some(on_save)
                duplicates
                on_merge=Some(on_merge)
                activities=Some(activities.clone())
                call_activities
                integrations
                on_save_integration=Some(on_save_integration)
                on_call
                on_block
            />
        }
    }
}
