//! Calls wired to the store: the incoming-calls section and the active call card in the
//! side panel, and the Calls tab of the conversation-list column.

use std::time::Duration;

use leptos::prelude::*;
use parley_domain::call::{CallState, CallTab};
use parley_domain::{ContactId, InboxId};

use crate::components::{CallCard, CallLog, IncomingCalls};
use crate::format::now_millis;
use crate::store::{use_calls, use_session};

/// Shown only to users with the calls permission.
#[component]
pub fn CallsPanel() -> impl IntoView {
    let calls = use_calls();
    let handles = calls.handles_calls();
    move || handles.get().then(|| crate::lazy_view(crate::lazy::calls_panel, || ().into_any()))
}

/// [`CallsPanel`]'s content, a chunk of its own (`crate::lazy::calls_panel`).
#[component]
pub fn CallsPanelInner() -> impl IntoView {
    let calls = use_calls();
    let session = use_session();
    let me = session.me();
    let my_id = session.my_id();
    let tabs = me.with_untracked(|m| m.as_ref().map_or(&[CallTab::Mine][..], |m| CallTab::for_user(&m.user)));
    let members =
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.workspace.members.clone()).unwrap_or_default()));
    let live = calls.live_calls();
    let ringing = Signal::derive(move || {
        live.with(|calls| calls.iter().filter(|c| c.state == CallState::Ringing).cloned().collect::<Vec<_>>())
    });
    let active = Memo::new(move |_| {
        let me = my_id.get()?;
        live.with(|calls| {
            calls.iter().find(|c| c.state == CallState::Ongoing && c.agent.as_ref() == Some(&me)).cloned()
        })
    });
    // The card's timer shows seconds: its own one-second clock, in server time.
    let tick = RwSignal::new(now_millis());
    if let Ok(handle) = set_interval_with_handle(move || tick.set(now_millis()), Duration::from_secs(1)) {
        on_cleanup(move || handle.clear());
    }
    let offset = session.clock_offset();
    let now = Signal::derive(move || tick.get() + offset.get());
    view! {
        {move || {
            active
                .get()
                .map(|call| {
                    let id = call.id.clone();
                    let end_id = call.id.clone();
                    view! {
                        <CallCard
                            call=Signal::derive(move || active.get().unwrap_or_else(|| call.clone()))
                            now
                            on_record=Callback::new(move |on: bool| {
                                calls.call_action(id.clone(), if on { "record" } else { "stop_recording" })
                            })
                            on_end=Callback::new(move |()| calls.call_action(end_id.clone(), "end"))
                        />
                    }
                })
        }}
        <IncomingCalls
            calls=ringing
            tabs
            me=my_id
            members
            teams=session.teams()
            on_accept=Callback::new(move |id| calls.call_action(id, "accept"))
            on_decline=Callback::new(move |id| calls.call_action(id, "decline"))
        />
    }
}

/// The Calls tab: the selected inbox's call log, reloaded when a call rings or changes.
#[component]
pub fn InboxCalls(#[prop(into)] inbox: Signal<InboxId>, #[prop(into)] now: Signal<i64>) -> impl IntoView {
    let calls = use_calls();
    let live = calls.live_calls();
    Effect::new(move |_| {
        live.track();
        calls.load_call_log(inbox.get());
    });
    view! {
        <section class="call-log-panel" aria-label=crate::i18n::t().calls>
            <CallLog calls=calls.call_log(inbox) label=crate::i18n::t().call_log with_contact=true now />
        </section>
    }
}

/// The sidebar's Call activities: the contact's calls, reloaded when a call changes.
#[component]
pub fn ContactCalls(#[prop(into)] contact: Signal<ContactId>, #[prop(into)] now: Signal<i64>) -> impl IntoView {
    let calls = use_calls();
    let live = calls.live_calls();
    Effect::new(move |_| {
        live.track();
        calls.load_contact_calls(contact.get());
    });
    let calls = calls.contact_calls(Signal::derive(move || Some(contact.get())));
    view! { <CallLog calls label=crate::i18n::t().call_activities now /> }
}
