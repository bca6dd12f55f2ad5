//! The workspace's left column, shared by the inbox and custom-inbox pages.

use leptos::prelude::*;
use parley_domain::User;
use parley_domain::inbox::InboxId;

use super::CallsPanel;
use super::custom_inboxes::{CustomEditing, CustomInboxPanel};
use crate::components::{AccountBar, Connection, SidePanel};
use crate::store::{ConnectionState, use_closing_reasons, use_inboxes, use_preferences, use_session, use_store};

/// The workspace's left column: account bar, inboxes, custom inboxes and calls.
#[component]
pub fn WorkspacePanel(
    #[prop(into)] selected: Signal<Option<InboxId>>,
    /// The open custom inbox's id.
    #[prop(into, optional)]
    custom: Signal<Option<parley_domain::CustomInboxId>>,
    /// The dialog's state, when the page also opens it (Edit in the list column).
    #[prop(optional)]
    editing: Option<RwSignal<Option<CustomEditing>>>,
) -> impl IntoView {
    let store = use_store();
    let inboxes = use_inboxes();
    let preferences = use_preferences();
    let session = use_session();
    let me = session.me();
    let user_name = Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.user.name.clone()).unwrap_or_default()));
    let availability = Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.user.availability).unwrap_or_default()));
    let prefs = preferences.notify_prefs();
    let notify = Signal::derive(move || prefs.with(|p| (p.desktop, p.sound)));
    let connection = session.connection();
    let connection = Signal::derive(move || match connection.get() {
        ConnectionState::Connecting => Connection::Connecting,
        ConnectionState::Open => Connection::Live,
        ConnectionState::Reconnecting => Connection::Reconnecting,
    });
    let editing = editing.unwrap_or_else(|| RwSignal::new(None));
    view! {
        <div class="workspace__panel">
            <AccountBar
                user_name
                connection
                availability
                on_availability=Callback::new(move |a| store.set_availability(a))
                notify
                on_desktop=Callback::new(move |on| preferences.set_desktop_notifications(on))
                on_sound=Callback::new(move |on| preferences.set_sound(on))
                on_locale=Callback::new(move |l| preferences.set_locale(l))
                on_sign_out=Callback::new(move |()| store.sign_out())
                closing_reasons=use_closing_reasons().can_manage()
                templates=session.allows(User::may_manage_templates)
                reports=session.is_supervisor()
                rules=session.is_supervisor()
            />
            // Calls first: a ringing call is in view at once. The column scrolls as a whole,
            // so no section covers another.
            <CallsPanel />
            <SidePanel inboxes=inboxes.counts() selected autofocus=session.take_just_signed_in() />
            <CustomInboxPanel selected=custom editing />
        </div>
    }
}
