//! Calls in the store: the ringing/ongoing calls, an inbox's call log and a contact's
//! calls, each loaded over REST and then kept current by `call_updated` events.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::call::{self, Call};
use parley_domain::{CallId, ContactId, InboxId, Permission};

use super::session::{Failure, Session, Write};

/// The calls handle (`Copy`; see [`super::use_calls`]).
#[derive(Clone, Copy)]
pub struct Calls {
    session: Session,
    /// Ringing and ongoing calls the user may see (users with the calls permission).
    live_calls: RwSignal<Vec<Call>>,
    /// The call log of an inbox, as last loaded and kept current by events.
    call_log: RwSignal<Option<(InboxId, Vec<Call>)>>,
    /// A contact's calls (the sidebar's Call activities), kept current by events.
    contact_calls: RwSignal<Option<(ContactId, Vec<Call>)>>,
    act: Write<(CallId, &'static str), Call>,
    /// Call events applied so far (a REST answer older than one must not undo it).
    applied: StoredValue<u64>,
    place: Write<ContactId, Call>,
}

impl Calls {
    pub(super) fn new(session: Session) -> Self {
        let live_calls = RwSignal::new(Vec::new());
        let call_log = RwSignal::new(None);
        let contact_calls = RwSignal::new(None);
        let apply = move |call: &Call| apply_call(live_calls, call_log, contact_calls, call);
        let calls = Self {
            session,
            live_calls,
            call_log,
            contact_calls,
            applied: StoredValue::new(0),
            act: session.write(Failure::Banner, move |api, (id, action): (CallId, &'static str)| async move {
                let call = api.call_action(&id, action).await?;
                apply(&call);
                Ok(call)
            }),
            place: session.write(Failure::Banner, move |api, contact: ContactId| async move {
                let call = api.place_call(&contact).await?;
                apply(&call);
                Ok(call)
            }),
        };
        session.on_end(move || {
            live_calls.set(Vec::new());
            call_log.set(None);
            contact_calls.set(None);
        });
        calls
    }

    /// Whether the signed-in user handles calls.
    pub fn handles_calls(&self) -> Signal<bool> {
        self.session.may(Permission::Calls)
    }

    /// Ringing and ongoing calls the user may see, newest first.
    pub fn live_calls(&self) -> Signal<Vec<Call>> {
        self.live_calls.into()
    }

    /// The call log of `inbox`, once loaded (see [`Calls::load_call_log`]).
    pub fn call_log(&self, inbox: Signal<InboxId>) -> Signal<Option<Vec<Call>>> {
        let log = self.call_log;
        Signal::derive(move || {
            let inbox = inbox.get();
            log.with(|l| l.as_ref().filter(|(i, _)| *i == inbox).map(|(_, calls)| calls.clone()))
        })
    }

    /// The calls of `contact`, once loaded (see [`Calls::load_contact_calls`]).
    pub fn contact_calls(&self, contact: Signal<Option<ContactId>>) -> Signal<Option<Vec<Call>>> {
        let calls = self.contact_calls;
        Signal::derive(move || {
            let contact = contact.get()?;
            calls.with(|c| c.as_ref().filter(|(id, _)| *id == contact).map(|(_, calls)| calls.clone()))
        })
    }

    pub(super) fn load_live_calls(self) {
        let Some(api) = self.session.api() else { return };
        let applied = self.applied.get_value();
        if !self.handles_calls().get_untracked() {
            return;
        }
        spawn_local(async move {
            match api.live_calls().await {
                // A `call_updated` applied while this answer was on its way is newer
                // than it: then the answer only adds the live calls the events have not
                // brought; otherwise it is the whole truth.
                Ok(answer) if self.applied.try_get_value() != Some(applied) => self.live_calls.update(|calls| {
                    for call in answer.into_iter().filter(|c| c.state.is_live()) {
                        if !calls.iter().any(|c| c.id == call.id) {
                            calls.push(call);
                        }
                    }
                }),
                Ok(answer) => self.live_calls.set(answer),
                Err(e) => self.session.fail(e),
            }
        });
    }

    pub fn load_call_log(self, inbox: InboxId) {
        let Some(api) = self.session.api() else { return };
        spawn_local(async move {
            match api.call_log(&inbox).await {
                Ok(calls) => self.call_log.set(Some((inbox, calls))),
                Err(e) => self.session.fail(e),
            }
        });
    }

    pub fn load_contact_calls(self, contact: ContactId) {
        let Some(api) = self.session.api() else { return };
        spawn_local(async move {
            match api.contact_calls(&contact).await {
                Ok(calls) => self.contact_calls.set(Some((contact, calls))),
                Err(e) => self.session.fail(e),
            }
        });
    }

    /// Accept, decline, record, stop_recording or end. A refusal (someone else answered
    /// first) shows its reason; the event stream brings the call's new state either way.
    pub fn call_action(self, id: CallId, action: &'static str) {
        self.act.dispatch((id, action));
    }

    /// Calls the contact out.
    pub fn place_call(self, contact: ContactId) {
        self.place.dispatch(contact);
    }

    /// A call changed (from an event).
    pub(super) fn apply(self, changed: &Call) {
        self.applied.update_value(|n| *n += 1);
        apply_call(self.live_calls, self.call_log, self.contact_calls, changed);
    }
}

fn apply_call(
    live_calls: RwSignal<Vec<Call>>,
    call_log: RwSignal<Option<(InboxId, Vec<Call>)>>,
    contact_calls: RwSignal<Option<(ContactId, Vec<Call>)>>,
    changed: &Call,
) {
    live_calls.update(|calls| call::upsert(calls, changed, changed.state.is_live()));
    // Logs gain new calls only on reload; here they follow state changes and the
    // contact's list takes its new calls.
    call_log.update(|log| {
        if let Some((_, calls)) = log.as_mut()
            && calls.iter().any(|c| c.id == changed.id)
        {
            call::upsert(calls, changed, true);
        }
    });
    contact_calls.update(|c| {
        if let Some((contact, calls)) = c.as_mut()
            && *contact == changed.contact
        {
            call::upsert(calls, changed, true);
        }
    });
}
