//! Calls in the store: the ringing/ongoing calls, an inbox's call log and a contact's
//! calls, each loaded over REST and then kept current by `call_updated` events.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::call::{self, Call};
use parley_domain::{CallId, ContactId, InboxId, Permission};

use super::state::Store;

impl Store {
    /// Whether the signed-in user handles calls.
    pub fn handles_calls(&self) -> Signal<bool> {
        let me = self.me;
        Signal::derive(move || me.with(|m| m.as_ref().is_some_and(|m| m.user.has(Permission::Calls))))
    }

    /// Ringing and ongoing calls the user may see, newest first.
    pub fn live_calls(&self) -> Signal<Vec<Call>> {
        self.live_calls.into()
    }

    /// The call log of `inbox`, once loaded (see [`Store::load_call_log`]).
    pub fn call_log(&self, inbox: Signal<InboxId>) -> Signal<Option<Vec<Call>>> {
        let log = self.call_log;
        Signal::derive(move || {
            let inbox = inbox.get();
            log.with(|l| l.as_ref().filter(|(i, _)| *i == inbox).map(|(_, calls)| calls.clone()))
        })
    }

    /// The calls of `contact`, once loaded (see [`Store::load_contact_calls`]).
    pub fn contact_calls(&self, contact: Signal<Option<ContactId>>) -> Signal<Option<Vec<Call>>> {
        let calls = self.contact_calls;
        Signal::derive(move || {
            let contact = contact.get()?;
            calls.with(|c| c.as_ref().filter(|(id, _)| *id == contact).map(|(_, calls)| calls.clone()))
        })
    }

    pub(super) fn load_live_calls(self) {
        let Some(api) = self.api() else { return };
        if !self.handles_calls().get_untracked() {
            return;
        }
        spawn_local(async move {
            match api.live_calls().await {
                Ok(calls) => self.live_calls.set(calls),
                Err(e) => self.fail(e),
            }
        });
    }

    pub fn load_call_log(self, inbox: InboxId) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.call_log(&inbox).await {
                Ok(calls) => self.call_log.set(Some((inbox, calls))),
                Err(e) => self.fail(e),
            }
        });
    }

    pub fn load_contact_calls(self, contact: ContactId) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.contact_calls(&contact).await {
                Ok(calls) => self.contact_calls.set(Some((contact, calls))),
                Err(e) => self.fail(e),
            }
        });
    }

    /// Accept, decline, record, stop_recording or end. A refusal (someone else answered
    /// first) shows its reason; the event stream brings the call's new state either way.
    pub fn call_action(self, id: CallId, action: &'static str) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.call_action(&id, action).await {
                Ok(call) => self.apply_call(&call),
                Err(e) => self.fail(e),
            }
        });
    }

    /// Calls the contact out.
    pub fn place_call(self, contact: ContactId) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.place_call(&contact).await {
                Ok(call) => self.apply_call(&call),
                Err(e) => self.fail(e),
            }
        });
    }

    /// A call changed (from an event or a command's answer).
    pub(super) fn apply_call(self, changed: &Call) {
        self.live_calls.update(|calls| call::upsert(calls, changed, changed.state.is_live()));
        // Logs gain new calls only on reload; here they follow state changes and the
        // contact's list takes its new calls.
        self.call_log.update(|log| {
            if let Some((_, calls)) = log.as_mut()
                && calls.iter().any(|c| c.id == changed.id)
            {
                call::upsert(calls, changed, true);
            }
        });
        self.contact_calls.update(|c| {
            if let Some((contact, calls)) = c.as_mut()
                && *contact == changed.contact
            {
                call::upsert(calls, changed, true);
            }
        });
    }

    pub(super) fn clear_calls(self) {
        self.live_calls.set(Vec::new());
        self.call_log.set(None);
        self.contact_calls.set(None);
    }
}
