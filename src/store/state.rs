//! The store handle: every piece of shared state, as signals only the store writes.
//!
//! Views read through the accessors (signals and memos) and change things only through
//! commands (`commands.rs`); socket frames arrive in `live.rs`.

use leptos::prelude::*;
use parley_domain::filter::{AssigneeFilter, StatusFilter};
use parley_domain::inbox::{self, InboxCount};
use parley_domain::list::{ConversationList, SortOrder};
use parley_domain::sla::SlaTargets;
use parley_domain::wire::{Activity, AssigneeCount, ConversationSummary, Me, Note};
use parley_domain::{Contact, ConversationId, Directory, InboxId, Message, Permission, UserId};

use super::presence::{self, Presence};
use super::storage::load_show_activities;
use crate::api::{AuthorizedApi, ConnectionState, Socket};
use crate::format::now_millis;

/// Where the session stands. "Signed in" carries the token, so no code path can call
/// the API without one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// A stored token is being checked with `GET /me`.
    Restoring,
    SignedOut,
    SignedIn(AuthorizedApi),
}

/// The conversation shown in the middle column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenConversation {
    pub summary: ConversationSummary,
    pub contact: Contact,
    /// Oldest first; includes optimistic messages (delivery `sending` or `failed`).
    pub messages: Vec<Message>,
    /// Cursor for older messages, if there are any.
    pub older: Option<String>,
    /// Internal notes, oldest first.
    pub notes: Vec<Note>,
    /// The audit trail, oldest first.
    pub activities: Vec<Activity>,
}

/// The selected inbox and how its list is filtered and sorted (all from the URL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    pub inbox: InboxId,
    pub filter: StatusFilter,
    pub order: SortOrder,
    pub assignee: AssigneeFilter,
}

/// The app's state, as a `Copy` handle (see [`provide_store`] and [`use_store`]).
#[derive(Clone, Copy)]
pub struct Store {
    pub(super) session: RwSignal<SessionState>,
    pub(super) me: RwSignal<Option<Me>>,
    pub(super) directory: Memo<Option<Directory>>,
    pub(super) inboxes: RwSignal<Vec<InboxCount>>,
    pub(super) selection: RwSignal<Option<Selection>>,
    pub(super) list: RwSignal<ConversationList>,
    /// `next` of the last page loaded into `list`.
    pub(super) cursor: RwSignal<Option<String>>,
    pub(super) list_loading: RwSignal<bool>,
    /// Bumped when the list is emptied, so that a page loaded for an earlier list is dropped.
    pub(super) list_generation: StoredValue<u64>,
    /// The conversation the URL asks for; `open` catches up when it has loaded.
    pub(super) wanted: RwSignal<Option<ConversationId>>,
    pub(super) open: RwSignal<Option<OpenConversation>>,
    /// Loading `wanted` failed (the reason is in `error`).
    pub(super) open_failed: RwSignal<bool>,
    /// The last event sequence number applied; a socket resumes after it.
    pub(super) seq: StoredValue<Option<u64>>,
    pub(super) connection: RwSignal<ConnectionState>,
    pub(super) error: RwSignal<Option<String>>,
    pub(super) socket: StoredValue<Option<Socket>, LocalStorage>,
    /// Set by sign-in, taken by the first inbox page to focus the inbox search.
    pub(super) just_signed_in: StoredValue<bool>,
    /// Server time minus browser time, from the last `clock` frame: SLA colours and
    /// snooze times follow the server's clock, not a possibly wrong local one.
    pub(super) clock_offset: RwSignal<i64>,
    /// Other users viewing or typing, per conversation.
    pub(super) presence: RwSignal<Vec<Presence>>,
    /// Repeats `viewing` for the open conversation while it stays open.
    pub(super) heartbeat: StoredValue<Option<IntervalHandle>>,
    /// When `typing` was last sent (local ms), to send it at most every 3 s.
    pub(super) typing_sent: StoredValue<i64>,
    /// Whether the timeline shows the audit trail (persisted).
    pub(super) show_activities: RwSignal<bool>,
    /// The selected inbox's conversations per assignee (status filter applied), for the
    /// assignee filter; refreshed after events touching conversations.
    pub(super) assignee_counts: RwSignal<Vec<AssigneeCount>>,
    /// A refresh of `assignee_counts` is scheduled (events coalesce into one request).
    pub(super) counts_refresh: StoredValue<bool>,
}

/// Creates the store, puts it in context and starts restoring a saved session.
///
/// ```text
/// #[component]
/// fn App() -> impl IntoView {
///     provide_store();
///     view! { <Router>...</Router> }
/// }
/// ```
pub fn provide_store() -> Store {
    let me = RwSignal::new(None::<Me>);
    let store = Store {
        session: RwSignal::new(SessionState::Restoring),
        me,
        directory: Memo::new(move |_| me.with(|m| m.as_ref().map(|m| m.workspace.directory()))),
        inboxes: RwSignal::new(Vec::new()),
        selection: RwSignal::new(None),
        list: RwSignal::new(ConversationList::default()),
        cursor: RwSignal::new(None),
        list_loading: RwSignal::new(false),
        list_generation: StoredValue::new(0),
        wanted: RwSignal::new(None),
        open: RwSignal::new(None),
        open_failed: RwSignal::new(false),
        seq: StoredValue::new(None),
        connection: RwSignal::new(ConnectionState::Connecting),
        error: RwSignal::new(None),
        socket: StoredValue::new_local(None),
        just_signed_in: StoredValue::new(false),
        clock_offset: RwSignal::new(0),
        presence: RwSignal::new(Vec::new()),
        heartbeat: StoredValue::new(None),
        typing_sent: StoredValue::new(0),
        show_activities: RwSignal::new(load_show_activities()),
        assignee_counts: RwSignal::new(Vec::new()),
        counts_refresh: StoredValue::new(false),
    };
    provide_context(store);
    store.restore();
    store
}

/// The store provided by [`provide_store`].
///
/// ```text
/// let store = use_store();
/// let counts = store.inboxes();
/// ```
pub fn use_store() -> Store {
    expect_context::<Store>()
}

impl Store {
    pub fn session(&self) -> Signal<SessionState> {
        self.session.into()
    }

    pub fn me(&self) -> Signal<Option<Me>> {
        self.me.into()
    }

    /// Teams and memberships, for the inbox rules.
    pub fn directory(&self) -> Signal<Option<Directory>> {
        self.directory.into()
    }

    /// Side-panel counts, in side-panel order.
    pub fn inboxes(&self) -> Signal<Vec<InboxCount>> {
        self.inboxes.into()
    }

    /// The inbox `/` leads to: the first of the user's side panel.
    pub fn home_inbox(&self) -> Signal<Option<InboxId>> {
        let (me, directory) = (self.me, self.directory);
        Signal::derive(move || {
            me.with(|me| {
                let me = me.as_ref()?;
                directory.with(|d| inbox::side_panel(d.as_ref()?, &me.user).into_iter().next())
            })
        })
    }

    pub fn selection(&self) -> Signal<Option<Selection>> {
        self.selection.into()
    }

    pub fn list(&self) -> Signal<ConversationList> {
        self.list.into()
    }

    pub fn list_loading(&self) -> Signal<bool> {
        self.list_loading.into()
    }

    pub fn wanted(&self) -> Signal<Option<ConversationId>> {
        self.wanted.into()
    }

    pub fn open(&self) -> Signal<Option<OpenConversation>> {
        self.open.into()
    }

    pub fn open_failed(&self) -> Signal<bool> {
        self.open_failed.into()
    }

    pub fn connection(&self) -> Signal<ConnectionState> {
        self.connection.into()
    }

    /// The last failure, in words for the user.
    pub fn error(&self) -> Signal<Option<String>> {
        self.error.into()
    }

    /// Whether this is the first page shown since the user signed in (asked once).
    pub fn take_just_signed_in(&self) -> bool {
        let was = self.just_signed_in.get_value();
        self.just_signed_in.set_value(false);
        was
    }

    /// Milliseconds to add to the browser's clock to get the server's.
    pub fn clock_offset(&self) -> Signal<i64> {
        self.clock_offset.into()
    }

    /// The workspace's SLA targets.
    pub fn sla_targets(&self) -> Signal<SlaTargets> {
        let me = self.me;
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.workspace.sla).unwrap_or_default()))
    }

    /// The signed-in user's id (notes show Edit and Delete to their author only).
    pub fn my_id(&self) -> Signal<Option<UserId>> {
        let me = self.me;
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.user.id.clone())))
    }

    /// Who else is in the open conversation: (name, typing), typists first. Expired
    /// entries are pruned by timers, so this needs no clock of its own.
    pub fn presence_here(&self) -> Signal<Vec<(String, bool)>> {
        let (all, wanted) = (self.presence, self.wanted);
        Signal::derive(move || {
            let Some(id) = wanted.get() else { return Vec::new() };
            all.with(|all| presence::in_conversation(all, &id, now_millis()))
        })
    }

    /// Conversations of the selected inbox per assignee (`None`: unassigned), most first.
    pub fn assignee_counts(&self) -> Signal<Vec<AssigneeCount>> {
        self.assignee_counts.into()
    }

    /// Whether the user may bulk-resolve (the button shows only then).
    pub fn can_bulk_resolve(&self) -> Signal<bool> {
        let me = self.me;
        Signal::derive(move || me.with(|m| m.as_ref().is_some_and(|m| m.user.has(Permission::BulkResolve))))
    }

    pub fn show_activities(&self) -> Signal<bool> {
        self.show_activities.into()
    }

    pub(super) fn api(&self) -> Option<AuthorizedApi> {
        match self.session.get_untracked() {
            SessionState::SignedIn(api) => Some(api),
            _ => None,
        }
    }
}
