//! Contact commands beyond assignment: blocking (more to come with the sidebar's
//! editing and merging).

use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::Permission;

use super::state::Store;

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
}
