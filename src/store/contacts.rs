//! Contact commands beyond assignment: blocking, and the sidebar's editing, merging,
//! activities and integration tabs. Commands that a form waits on answer through a
//! `done` callback with the readable error, so the form can show it next to itself.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::integration::{Integration, IntegrationUpdate};
use parley_domain::wire::{ContactActivities, ContactPatch};
use parley_domain::{Contact, ContactId, Permission};

use super::state::Store;
use super::words::describe;
use crate::api::ApiError;

/// What a form shows for a refused save: the server's `400` message ("phone: the phone
/// number must be …") with a capital, anything else in the usual words.
fn form_error(error: &ApiError) -> String {
    match error {
        ApiError::Http { status: 400, message, .. } if !message.is_empty() => {
            let mut chars = message.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
        other => describe(other),
    }
}

impl Store {
    /// Whether the signed-in user may block contacts and see the blocked inbox.
    pub fn may_block(&self) -> Signal<bool> {
        let me = self.me;
        Signal::derive(move || me.with(|m| m.as_ref().is_some_and(|m| m.user.has(Permission::ViewBlocked))))
    }

    /// Blocks or unblocks the open conversation's contact. The events that follow move
    /// its conversations between the blocked inbox and the others, and fix the counts.
    pub fn set_blocked(self, blocked: bool) {
        let Some(api) = self.api() else { return };
        let Some(contact) = self.open.with_untracked(|o| o.as_ref().map(|o| o.contact.id.clone())) else {
            return;
        };
        spawn_local(async move {
            match api.set_blocked(&contact, blocked).await {
                Ok(updated) => self.open.update(|open| {
                    if let Some(open) = open.as_mut().filter(|o| o.contact.id == updated.id) {
                        open.contact = updated;
                    }
                }),
                Err(e) => self.fail(e),
            }
        });
    }

    /// Puts a contact the server returned into the open conversation.
    fn show_contact(self, updated: Contact) {
        self.open.update(|open| {
            if let Some(open) = open.as_mut().filter(|o| o.contact.id == updated.id) {
                open.contact = updated;
            }
        });
    }

    /// Saves the sidebar's contact form; `done` gets `None` or the readable error.
    pub fn edit_contact(self, contact: ContactId, patch: ContactPatch, done: Callback<Option<String>>) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.update_contact(&contact, &patch).await {
                Ok(updated) => {
                    self.show_contact(updated);
                    let _ = done.try_run(None);
                }
                Err(ApiError::Unauthorized) => self.fail(ApiError::Unauthorized),
                Err(e) => {
                    let _ = done.try_run(Some(form_error(&e)));
                }
            }
        });
    }

    /// Loads the merge suggestions for `contact` into `into`.
    pub fn load_duplicates(self, contact: ContactId, into: RwSignal<Vec<Contact>>) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.duplicates(&contact).await {
                Ok(list) => into.try_set(list).map(drop).unwrap_or(()),
                Err(e) => self.fail(e),
            }
        });
    }

    /// Merges `secondary` into `contact`; `done` runs after a success (to reload the
    /// suggestions).
    pub fn merge_contact(self, contact: ContactId, secondary: ContactId, done: Callback<()>) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.merge_contact(&contact, secondary).await {
                Ok(updated) => {
                    self.show_contact(updated);
                    let _ = done.try_run(());
                }
                Err(e) => self.fail(e),
            }
        });
    }

    /// Loads the contact's notes and audit trail across its conversations.
    pub fn load_contact_activities(self, contact: ContactId, into: RwSignal<Option<ContactActivities>>) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.contact_activities(&contact).await {
                Ok(found) => into.try_set(Some(found)).map(drop).unwrap_or(()),
                Err(e) => self.fail(e),
            }
        });
    }

    /// Loads the contact's integration tabs.
    pub fn load_integrations(self, contact: ContactId, into: RwSignal<Vec<Integration>>) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.integrations(&contact).await {
                Ok(list) => into.try_set(list).map(drop).unwrap_or(()),
                Err(e) => self.fail(e),
            }
        });
    }

    /// Saves one integration's fields; the saved integration replaces its old copy in
    /// `into`, and `done` gets `None` or the readable error.
    pub fn save_integration(
        self,
        contact: ContactId,
        integration: String,
        update: IntegrationUpdate,
        into: RwSignal<Vec<Integration>>,
        done: Callback<Option<String>>,
    ) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.save_integration(&contact, &integration, &update).await {
                Ok(saved) => {
                    into.try_update(|list| {
                        if let Some(slot) = list.iter_mut().find(|i| i.id == saved.id) {
                            *slot = saved;
                        }
                    });
                    let _ = done.try_run(None);
                }
                Err(ApiError::Unauthorized) => self.fail(ApiError::Unauthorized),
                Err(e) => {
                    let _ = done.try_run(Some(form_error(&e)));
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_fields_read_as_sentences() {
        let http =
            |status, message: &str| ApiError::Http { status, code: "bad_request".into(), message: message.into() };
        #[rustfmt::skip]
        let rows = [
            (http(400, "phone: the phone number must be in international format, like +33612345678"),
                "Phone: the phone number must be in international format, like +33612345678"),
            (http(400, "Deal value: must be a number, like 1200.50"), "Deal value: must be a number, like 1200.50"),
            (http(403, "forbidden"), "You are not allowed to do that."),
            (ApiError::Network("down".into()), "Cannot reach the server. Check your connection and try again."),
        ];
        for (error, expected) in rows {
            assert_eq!(form_error(&error), expected);
        }
    }
}
