//! The store handle: every piece of shared state, as signals only the store writes.
//!
//! Views read through the accessors (signals and memos) and change things only through
//! commands (`commands.rs`); socket frames arrive in `live.rs`.

use std::sync::Arc;

use leptos::prelude::*;
use parley_domain::call::Call;
use parley_domain::composer::EmojiData;
use parley_domain::filter::{AssigneeFilter, StatusFilter};
use parley_domain::inbox::{self, InboxCount};
use parley_domain::list::{ConversationList, SortOrder};
use parley_domain::sla::SlaTargets;
use parley_domain::wire::{Activity, AssigneeCount, ConversationSummary, Me, Note, Snippet};
use parley_domain::{
    Attachment, Channel, ChannelId, Contact, ContactId, ConversationId, Directory, InboxId, Message, MessageId,
    Permission, UserId, reply, window,
};

use super::attention::{Alerts, NotifyPrefs};
use super::composer::Loaded;
use super::presence::{self, Presence};
use super::storage::{load_notify_prefs, load_show_activities};
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

/// A file attached to the reply being written (uploaded as soon as it is picked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    /// Tells uploads apart, even two of the same file.
    pub key: u64,
    pub filename: String,
    pub size: u64,
    /// The server's record once uploaded; `None` while uploading.
    pub attachment: Option<Attachment>,
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
    /// Ringing and ongoing calls the user may see (users with the calls permission).
    pub(super) live_calls: RwSignal<Vec<Call>>,
    /// The call log of an inbox, as last loaded and kept current by events.
    pub(super) call_log: RwSignal<Option<(InboxId, Vec<Call>)>>,
    /// A contact's calls (the sidebar's Call activities), kept current by events.
    pub(super) contact_calls: RwSignal<Option<(ContactId, Vec<Call>)>>,
    // ---- composer media (attachments, voice notes, reply channel) ----
    /// Files attached to the reply being written in the open conversation.
    pub(super) uploads: RwSignal<Vec<Upload>>,
    pub(super) upload_key: StoredValue<u64>,
    /// Why a file or voice note could not be added or sent, in words.
    pub(super) media_error: RwSignal<Option<String>>,
    /// A voice note whose upload failed, kept for "Try again" (a recording cannot be
    /// made twice).
    pub(super) failed_voice: StoredValue<Option<(web_sys::Blob, u64)>, LocalStorage>,
    pub(super) voice_retry: RwSignal<bool>,
    /// The reply channel the agent picked; `None` follows `reply::default_reply_channel`.
    pub(super) reply_choice: RwSignal<Option<ChannelId>>,
    /// Object URLs of the open conversation's attachments fetched so far: (id, URL).
    pub(super) attachment_urls: RwSignal<Vec<(String, String)>>,
    /// Attachment ids being fetched, so a file is fetched once.
    pub(super) attachment_fetching: StoredValue<Vec<String>>,
    /// The first message that was unread when the open conversation opened: the
    /// timeline opens there, under a "New messages" divider.
    pub(super) first_unread: RwSignal<Option<MessageId>>,
    /// Text for the composer to insert (a quoted message), numbered so that quoting the
    /// same message twice inserts it twice.
    pub(super) insert: RwSignal<Option<(u64, String)>>,
    /// A short confirmation for screen readers and eyes ("Copied").
    pub(super) notice: RwSignal<Option<String>>,
    /// Desktop notifications and sound (persisted per browser).
    pub(super) notify_prefs: RwSignal<NotifyPrefs>,
    /// The audio context of the notification sound, made on first use.
    pub(super) alerts: StoredValue<Alerts, LocalStorage>,
    /// A conversation the agent asked to see from outside the page (a notification's
    /// click); the signed-in screen navigates to it.
    pub(super) open_request: RwSignal<Option<ConversationId>>,
    /// The composer's emoji table, fetched when the picker first opens.
    pub(super) emoji: RwSignal<Loaded<Arc<EmojiData>>>,
    pub(super) emoji_loading: StoredValue<bool>,
    /// Saved replies (`/` in the composer, and their settings page).
    pub(super) snippets: RwSignal<Loaded<Vec<Snippet>>>,
    /// The selected inbox's conversations per assignee (status filter applied), for the
    /// assignee filter; refreshed after events touching conversations.
    pub(super) assignee_counts: RwSignal<Vec<AssigneeCount>>,
    /// A refresh of `assignee_counts` is scheduled (events coalesce into one request).
    pub(super) counts_refresh: StoredValue<bool>,
    /// Custom inboxes I may open (not live: loaded on demand).
    pub(super) custom_inboxes: RwSignal<Loaded<Vec<parley_domain::custom_inbox::CustomInbox>>>,
    /// The open custom inbox's conversations, as computed when last (re)loaded.
    pub(super) custom_list: RwSignal<Option<super::custom_inboxes::CustomList>>,
    pub(super) custom_list_loading: RwSignal<bool>,
    /// Replies not yet answered for by the server, oldest first (`outbox.rs`).
    pub(super) outbox: RwSignal<parley_domain::outbox::Outbox>,
    /// The `client_id` being posted right now, if any.
    pub(super) sending: RwSignal<Option<String>>,
    /// A flush is under way (one at a time keeps the order), and which one.
    pub(super) flushing: StoredValue<bool>,
    pub(super) flush_generation: StoredValue<u64>,
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
        live_calls: RwSignal::new(Vec::new()),
        call_log: RwSignal::new(None),
        contact_calls: RwSignal::new(None),
        uploads: RwSignal::new(Vec::new()),
        upload_key: StoredValue::new(0),
        media_error: RwSignal::new(None),
        failed_voice: StoredValue::new_local(None),
        voice_retry: RwSignal::new(false),
        reply_choice: RwSignal::new(None),
        attachment_urls: RwSignal::new(Vec::new()),
        attachment_fetching: StoredValue::new(Vec::new()),
        first_unread: RwSignal::new(None),
        insert: RwSignal::new(None),
        notice: RwSignal::new(None),
        notify_prefs: RwSignal::new(load_notify_prefs()),
        alerts: StoredValue::new_local(Alerts::default()),
        open_request: RwSignal::new(None),
        emoji: RwSignal::new(None),
        emoji_loading: StoredValue::new(false),
        snippets: RwSignal::new(None),
        assignee_counts: RwSignal::new(Vec::new()),
        counts_refresh: StoredValue::new(false),
        custom_inboxes: RwSignal::new(None),
        custom_list: RwSignal::new(None),
        custom_list_loading: RwSignal::new(false),
        outbox: RwSignal::new(Default::default()),
        sending: RwSignal::new(None),
        flushing: StoredValue::new(false),
        flush_generation: StoredValue::new(0),
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

    /// Files attached to the reply being written.
    pub fn uploads(&self) -> Signal<Vec<Upload>> {
        self.uploads.into()
    }

    /// Why the last file or voice note could not be added or sent.
    pub fn media_error(&self) -> Signal<Option<String>> {
        self.media_error.into()
    }

    /// A failed voice note can be sent again.
    pub fn voice_retry(&self) -> Signal<bool> {
        self.voice_retry.into()
    }

    /// Object URLs of fetched attachments: (attachment id, URL).
    pub fn attachment_urls(&self) -> Signal<Vec<(String, String)>> {
        self.attachment_urls.into()
    }

    /// The channels a reply to the open conversation may go out on: its own channel
    /// first, then the contact's other connected channels.
    pub fn reply_options(&self) -> Signal<Vec<Channel>> {
        let store = *self;
        Signal::derive(move || store.reply_options_now())
    }

    /// The channel the reply goes out on: the agent's pick, else the domain's default
    /// (email for a web-chat visitor who left, web chat while they are online).
    pub fn reply_channel(&self) -> Signal<Option<Channel>> {
        let store = *self;
        Signal::derive(move || store.reply_channel_now())
    }

    /// The customer-service window of the reply channel at `now` (server time).
    pub fn reply_window(&self, now: Signal<i64>) -> Signal<window::ServiceWindow> {
        let store = *self;
        Signal::derive(move || {
            let Some(channel) = store.reply_channel_now() else { return window::ServiceWindow::Unlimited };
            let last = store.open.with(|o| {
                let o = o.as_ref()?;
                window::last_incoming_on(
                    &channel.id,
                    &o.summary.channel.id,
                    o.summary.sla.last_incoming_at,
                    &o.messages,
                )
            });
            window::service_window(channel.kind, last, parley_domain::Timestamp(now.get()), false)
        })
    }

    fn reply_options_now(self) -> Vec<Channel> {
        self.open.with(|o| {
            let Some(o) = o else { return Vec::new() };
            let own = &o.summary.channel;
            let mut options = vec![Channel { id: own.id.clone(), kind: own.kind, name: own.name.clone() }];
            self.me.with(|me| {
                let Some(me) = me else { return };
                for id in o.contact.channels.iter().filter(|id| **id != own.id) {
                    if let Some(c) = me.workspace.channels.iter().find(|c| &c.id == id) {
                        options.push(c.clone());
                    }
                }
            });
            options
        })
    }

    /// Reads (and, in a reactive context, tracks) what [`Store::reply_channel`] says.
    pub(super) fn reply_channel_now(self) -> Option<Channel> {
        let options = self.reply_options_now();
        let conversation = options.first()?;
        let choice = self.reply_choice.get();
        if let Some(picked) = options.iter().find(|o| Some(&o.id) == choice.as_ref()) {
            return Some(picked.clone());
        }
        let online = self.open.with(|o| o.as_ref().is_some_and(|o| o.contact.online));
        Some(reply::default_reply_channel(conversation, &options, online).clone())
    }

    /// The first message that was unread when the open conversation opened.
    pub fn first_unread(&self) -> Signal<Option<MessageId>> {
        self.first_unread.into()
    }

    /// Text the composer should insert once (see [`Store::quote`]).
    pub fn insert(&self) -> Signal<Option<(u64, String)>> {
        self.insert.into()
    }

    pub fn notice(&self) -> Signal<Option<String>> {
        self.notice.into()
    }

    pub fn notify_prefs(&self) -> Signal<NotifyPrefs> {
        self.notify_prefs.into()
    }

    /// A conversation to open, asked for from outside the page; taking it clears it.
    pub fn take_open_request(&self) -> Option<ConversationId> {
        let wanted = self.open_request.get()?;
        self.open_request.set(None);
        Some(wanted)
    }

    /// The blue-dot count of Mine: my conversations with new messages (the tab title).
    pub fn my_new(&self) -> Signal<u32> {
        let inboxes = self.inboxes;
        Signal::derive(move || inboxes.with(|all| all.iter().find(|c| c.id == InboxId::Mine).map_or(0, |c| c.new)))
    }

    pub(super) fn api(&self) -> Option<AuthorizedApi> {
        match self.session.get_untracked() {
            SessionState::SignedIn(api) => Some(api),
            _ => None,
        }
    }
}
