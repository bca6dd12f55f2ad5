//! The contacts slice: the contacts page's search, assigning and blocking contacts, and
//! the sidebar's editing, merging, activities, conversations and integration tabs. Forms wait on their `Write`s, and show a
//! refusal next to themselves in the words of `words::form_error`.

use leptos::prelude::*;
use parley_domain::integration::{Integration, IntegrationUpdate};
use parley_domain::wire::{ContactActivities, ContactConversation, ContactPatch};
use parley_domain::{Assignee, Contact, ContactId, IntegrationId, Permission};

use super::session::{Failure, Session, Write};
use super::thread::Thread;
use crate::api::ApiError;

/// The contacts handle (`Copy`; see [`super::use_contacts`]).
#[derive(Clone, Copy)]
pub struct Contacts {
    session: Session,
    thread: Thread,
    assign: Write<(ContactId, Option<Assignee>), Contact>,
    block: Write<(ContactId, bool), Contact>,
    /// Saves the sidebar's contact form.
    pub edit: Write<(ContactId, ContactPatch), Contact>,
    /// Merges the second contact into the first.
    pub merge: Write<(ContactId, ContactId), Contact>,
    /// Saves one integration's fields: (contact, integration id, values).
    pub save_integration: Write<(ContactId, IntegrationId, IntegrationUpdate), Integration>,
    /// Bumped by each successful save: the integrations reload then, and only then (a
    /// refused save keeps what the agent typed).
    integrations_saved: RwSignal<u64>,
    found: RwSignal<FoundContacts>,
}

/// The contacts page's search: the pages loaded so far for `query`, by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FoundContacts {
    pub query: String,
    pub items: Vec<Contact>,
    /// The cursor of the next page (`None`: all loaded, or nothing yet).
    pub next: Option<String>,
    /// A page is on its way.
    pub loading: bool,
}

impl Contacts {
    pub(super) fn new(session: Session, thread: Thread) -> Self {
        let show = move |contact: &Contact| thread.show_contact(contact.clone());
        let integrations_saved = RwSignal::new(0);
        Self {
            session,
            thread,
            assign: session.write(
                Failure::Banner,
                move |api, (contact, assignee): (ContactId, Option<Assignee>)| async move {
                    let updated = api.assign(&contact, assignee).await?;
                    show(&updated);
                    Ok(updated)
                },
            ),
            block: session.write(Failure::Banner, move |api, (contact, blocked): (ContactId, bool)| async move {
                let updated = api.set_blocked(&contact, blocked).await?;
                show(&updated);
                Ok(updated)
            }),
            edit: session.write(Failure::Kept, move |api, (contact, patch): (ContactId, ContactPatch)| async move {
                let updated = api.update_contact(&contact, &patch).await?;
                show(&updated);
                Ok(updated)
            }),
            merge: session.write(
                Failure::Banner,
                move |api, (contact, secondary): (ContactId, ContactId)| async move {
                    let updated = api.merge_contact(&contact, secondary).await?;
                    show(&updated);
                    Ok(updated)
                },
            ),
            save_integration: session.write(
                Failure::Kept,
                move |api, (contact, integration, update): (ContactId, IntegrationId, IntegrationUpdate)| async move {
                    let saved = api.save_integration(&contact, &integration, &update).await?;
                    integrations_saved.update(|n| *n += 1);
                    Ok(saved)
                },
            ),
            integrations_saved,
            found: RwSignal::new(FoundContacts::default()),
        }
    }

    /// The contacts page's results so far.
    pub fn found(&self) -> ReadSignal<FoundContacts> {
        self.found.read_only()
    }

    /// Searches contacts on the server (empty: everyone the user sees), replacing the
    /// results; the answer of an older query is dropped.
    pub fn search(self, query: String) {
        self.found.set(FoundContacts { query: query.clone(), loading: true, ..FoundContacts::default() });
        self.fetch(query, None);
    }

    /// The next page of the current search, if there is one and none is on its way.
    pub fn load_more(self) {
        let next = self.found.with_untracked(|f| f.next.clone().filter(|_| !f.loading).map(|c| (f.query.clone(), c)));
        if let Some((query, cursor)) = next {
            self.found.update(|f| f.loading = true);
            self.fetch(query, Some(cursor));
        }
    }

    fn fetch(self, query: String, cursor: Option<String>) {
        let (session, found) = (self.session, self.found);
        leptos::task::spawn_local(async move {
            let q = query.clone();
            let answer =
                read(session, move |api| async move { api.search_contacts(&q, cursor.as_deref()).await }).await;
            found.update(|f| {
                if f.query != query {
                    return;
                }
                f.loading = false;
                if let Ok(page) = answer {
                    f.items.extend(page.items);
                    f.next = page.next;
                }
            });
        });
    }

    /// One contact by id (the contacts page's open one), reloaded after an edit or an
    /// assignment made here.
    pub fn contact(self, id: Signal<Option<ContactId>>) -> LocalResource<Option<Result<Contact, ApiError>>> {
        let (session, edited, assigned) = (self.session, self.edit.version(), self.assign.version());
        LocalResource::new(move || {
            let id = id.get();
            edited.track();
            assigned.track();
            async move {
                let id = id?;
                Some(read(session, move |api| async move { api.contact(&id).await }).await)
            }
        })
    }

    /// Every conversation of the contact, past and current, most recent first.
    pub fn conversations(
        self,
        contact: Signal<ContactId>,
    ) -> LocalResource<Result<Vec<ContactConversation>, ApiError>> {
        let session = self.session;
        LocalResource::new(move || {
            let id = contact.get();
            read(session, move |api| async move { api.contact_conversations(&id).await })
        })
    }

    /// Whether the signed-in user may block contacts and see the blocked inbox.
    pub fn may_block(&self) -> Signal<bool> {
        self.session.may(Permission::ViewBlocked)
    }

    /// Assigns the open conversation's contact to `assignee` (or unassigns it).
    pub fn assign_open(self, assignee: Option<Assignee>) {
        if let Some(contact) = self.open_contact() {
            self.assign_contact(contact, assignee);
        }
    }

    /// Assigns any contact (from a list item); the events update every list and count.
    pub fn assign_contact(self, contact: ContactId, assignee: Option<Assignee>) {
        self.assign.dispatch((contact, assignee));
    }

    /// Blocks or unblocks the open conversation's contact. The events that follow move
    /// its conversations between the blocked inbox and the others, and fix the counts.
    pub fn set_blocked(self, blocked: bool) {
        if let Some(contact) = self.open_contact() {
            self.block.dispatch((contact, blocked));
        }
    }

    /// Other contacts sharing a phone or email with `contact`, reloaded when it changes
    /// and after a merge.
    pub fn duplicates(self, contact: Signal<Contact>) -> LocalResource<Result<Vec<Contact>, ApiError>> {
        let (session, merged) = (self.session, self.merge.version());
        LocalResource::new(move || {
            // Any change to the contact (an edit here or elsewhere, a merge) can change them.
            let id = contact.with(|c| c.id.clone());
            merged.track();
            read(session, move |api| async move { api.duplicates(&id).await })
        })
    }

    /// The contact's notes and audit trail across its conversations, reloaded whenever
    /// `changed` changes.
    pub fn activities(
        self,
        contact: Signal<ContactId>,
        changed: Signal<()>,
    ) -> LocalResource<Result<ContactActivities, ApiError>> {
        let session = self.session;
        LocalResource::new(move || {
            let id = contact.get();
            changed.track();
            read(session, move |api| async move { api.contact_activities(&id).await })
        })
    }

    /// The contact's integration tabs with their values, reloaded after each save.
    pub fn integrations(self, contact: Signal<ContactId>) -> LocalResource<Result<Vec<Integration>, ApiError>> {
        let (session, saved) = (self.session, self.integrations_saved);
        LocalResource::new(move || {
            let id = contact.get();
            saved.track();
            read(session, move |api| async move { api.integrations(&id).await })
        })
    }

    fn open_contact(&self) -> Option<ContactId> {
        self.thread.open().with_untracked(|o| o.as_ref().map(|o| o.contact.id.clone()))
    }
}

/// A read for a resource: signed out reads nothing, and a failure is reported (the
/// resource keeps it too, for a view that shows it in place).
async fn read<T, Fu>(session: Session, call: impl FnOnce(crate::api::AuthorizedApi) -> Fu) -> Result<T, ApiError>
where
    Fu: std::future::Future<Output = Result<T, ApiError>>,
{
    let api = session.api().ok_or(ApiError::Unauthorized)?;
    let result = call(api).await;
    if let Err(e) = &result {
        session.fail(e.clone());
    }
    result
}
