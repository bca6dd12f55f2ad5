//! The thread slice: the open conversation (messages, notes, audit trail), who else is
//! in it, its lifecycle, and the replies on their way out (`outbox.rs`).

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::lifecycle::{self, Transition};
use parley_domain::outbox::Outbox;
use parley_domain::wire::{
    Activity, ClientFrame, ConversationSummary, Event, EventKind, Note, PresenceActivity, ServerFrame, TranscriptSent,
};
use parley_domain::{
    Attachment, ChannelId, Contact, ConversationId, DeliveryState, Direction, Message, MessageId, NoteId, Sender,
    SenderKind, Timestamp,
};

use super::apply::{apply_to_open, first_unread, merge_message, merge_note, merge_unsent};
use super::presence::{self, Presence};
use super::session::{Failure, Session, Write};
use crate::format::now_millis;

/// How often `viewing` is repeated while a conversation stays open.
const HEARTBEAT: Duration = Duration::from_secs(10);
/// The least time between two `typing` frames.
const TYPING_EVERY_MS: i64 = 3_000;

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

/// The thread handle (`Copy`; see [`super::use_thread`]).
#[derive(Clone, Copy)]
pub struct Thread {
    pub(super) session: Session,
    /// The conversation the URL asks for; `open` catches up when it has loaded.
    wanted: RwSignal<Option<ConversationId>>,
    pub(super) open: RwSignal<Option<OpenConversation>>,
    /// Loading `wanted` failed (the reason is in the session's error).
    open_failed: RwSignal<bool>,
    /// The first message that was unread when the open conversation opened: the
    /// timeline opens there, under a "New messages" divider.
    first_unread: RwSignal<Option<MessageId>>,
    /// Other users viewing or typing, per conversation.
    presence: RwSignal<Vec<Presence>>,
    /// Repeats `viewing` for the open conversation while it stays open.
    heartbeat: StoredValue<Option<IntervalHandle>>,
    /// When `typing` was last sent (local ms), to send it at most every 3 s.
    typing_sent: StoredValue<i64>,
    /// A conversation the agent asked to see from outside the page (a notification's
    /// click); the signed-in screen navigates to it.
    open_request: RwSignal<Option<ConversationId>>,
    /// Replies not yet answered for by the server, oldest first (`outbox.rs`).
    pub(super) outbox: RwSignal<Outbox>,
    /// The `client_id` being posted right now, if any.
    pub(super) sending: RwSignal<Option<String>>,
    /// A flush is under way (one at a time keeps the order), and which one.
    pub(super) flushing: StoredValue<bool>,
    pub(super) flush_generation: StoredValue<u64>,
    transition: Write<(ConversationId, Transition, ConversationSummary), ConversationSummary>,
    read: Write<ConversationId, ConversationSummary>,
    add_note: Write<(ConversationId, String), Note>,
    edit_note: Write<(ConversationId, Note, String), Note>,
    delete_note: Write<(ConversationId, Note), ()>,
    /// Emails a conversation's thread to an address; a failure stays in the dialog.
    transcript: Write<(ConversationId, String), TranscriptSent>,
}

impl Thread {
    pub(super) fn new(session: Session) -> Self {
        let open = RwSignal::new(None::<OpenConversation>);
        let update_open =
            move |id: &ConversationId, change: &dyn Fn(&mut OpenConversation)| update_open(open, id, change);
        // A REST answer carries no event seq; versions keep it from undoing newer state.
        let publish = move |summary: ConversationSummary| {
            session.publish(vec![Event { seq: 0, kind: EventKind::ConversationUpdated { conversation: summary } }]);
        };
        let thread = Self {
            session,
            wanted: RwSignal::new(None),
            open,
            open_failed: RwSignal::new(false),
            first_unread: RwSignal::new(None),
            presence: RwSignal::new(Vec::new()),
            heartbeat: StoredValue::new(None),
            typing_sent: StoredValue::new(0),
            open_request: RwSignal::new(None),
            outbox: RwSignal::new(Outbox::default()),
            sending: RwSignal::new(None),
            flushing: StoredValue::new(false),
            flush_generation: StoredValue::new(0),
            transition: session.write(
                Failure::Banner,
                move |api, (id, transition, before): (_, Transition, ConversationSummary)| {
                    async move {
                        match api.lifecycle(&id, &transition).await {
                            Ok(summary) => {
                                publish(summary.clone());
                                Ok(summary)
                            }
                            Err(e) => {
                                // Undo the guess unless the server has said something since.
                                update_open(&id, &|o| {
                                    if o.summary.version == before.version {
                                        o.summary = before.clone();
                                    }
                                });
                                Err(e)
                            }
                        }
                    }
                },
            ),
            read: session.write(Failure::Banner, move |api, id: ConversationId| async move {
                let summary = api.read(&id).await?;
                publish(summary.clone());
                Ok(summary)
            }),
            add_note: session.write(Failure::Banner, move |api, (id, text): (ConversationId, String)| async move {
                let note = api.add_note(&id, text).await?;
                update_open(&id, &|o| merge_note(&mut o.notes, note.clone()));
                Ok(note)
            }),
            edit_note: session.write(
                Failure::Banner,
                move |api, (id, before, text): (ConversationId, Note, String)| async move {
                    match api.edit_note(&before.id, text).await {
                        Ok(fresh) => {
                            update_open(&id, &|o| merge_note(&mut o.notes, fresh.clone()));
                            Ok(fresh)
                        }
                        Err(e) => {
                            update_open(&id, &|o| merge_note(&mut o.notes, before.clone()));
                            Err(e)
                        }
                    }
                },
            ),
            delete_note: session.write(Failure::Banner, move |api, (id, before): (ConversationId, Note)| async move {
                let result = api.delete_note(&before.id).await;
                if result.is_err() {
                    update_open(&id, &|o| merge_note(&mut o.notes, before.clone()));
                }
                result
            }),
            transcript: session.write(Failure::Kept, move |api, (id, to): (ConversationId, String)| async move {
                let sent = api.send_transcript(&id, to).await?;
                session.announce((crate::i18n::t().transcript_sent_to)(&sent.to));
                Ok(sent)
            }),
        };
        session.on_end(move || thread.clear());
        thread
    }

    pub fn wanted(&self) -> Signal<Option<ConversationId>> {
        self.wanted.into()
    }

    pub fn open(&self) -> Signal<Option<OpenConversation>> {
        self.open.into()
    }

    /// `POST /conversations/{id}/transcript`, announced in the status region when sent.
    pub fn transcript(&self) -> Write<(ConversationId, String), TranscriptSent> {
        self.transcript
    }

    pub fn open_failed(&self) -> Signal<bool> {
        self.open_failed.into()
    }

    /// The first message that was unread when the open conversation opened.
    pub fn first_unread(&self) -> Signal<Option<MessageId>> {
        self.first_unread.into()
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

    /// A conversation to open, asked for from outside the page; taking it clears it.
    pub fn take_open_request(&self) -> Option<ConversationId> {
        let wanted = self.open_request.get()?;
        self.open_request.set(None);
        Some(wanted)
    }

    /// Asks the signed-in screen to open `id` (a notification's click).
    pub(super) fn request_open(&self, id: ConversationId) {
        self.open_request.set(Some(id));
    }

    /// Loads the messages before the oldest one shown.
    pub fn load_older(self) {
        let Some(api) = self.session.api() else { return };
        let Some((id, before)) =
            self.open.with_untracked(|o| o.as_ref().and_then(|o| Some((o.summary.id.clone(), o.older.clone()?))))
        else {
            return;
        };
        spawn_local(async move {
            match api.messages(&id, &before).await {
                Ok(page) => self.update_open(&id, |open| {
                    for message in page.items {
                        merge_message(&mut open.messages, message);
                    }
                    open.older = page.next;
                }),
                Err(e) => self.session.fail(e),
            }
        });
    }

    /// Moves the open conversation through its lifecycle (pending, snooze, close,
    /// reopen). The status changes at once when the domain rules allow it; a refusal
    /// the rules foresee is shown without asking the server.
    pub fn transition(self, transition: Transition) {
        let Some(before) = self.open.with_untracked(|o| o.as_ref().map(|o| o.summary.clone())) else { return };
        let status = match lifecycle::transition(before.status, &transition, Timestamp(self.session.now())) {
            Ok(status) => status,
            Err(e) => {
                self.session.report((crate::i18n::t().conflict_because)(&e.to_string()));
                return;
            }
        };
        let id = before.id.clone();
        self.update_open(&id, |open| {
            open.summary.status = status;
            open.summary.snoozed_until = match &transition {
                Transition::Snooze { until, .. } => Some(*until),
                _ => None,
            };
        });
        self.transition.dispatch((id, transition, before));
    }

    /// Adds an internal note to the open conversation. Not optimistic: a note has no
    /// client id, so an early copy could not be matched with the socket's.
    pub fn add_note(self, text: String) {
        let text = text.trim().to_owned();
        let Some(id) = self.open_id() else { return };
        if !text.is_empty() {
            self.add_note.dispatch((id, text));
        }
    }

    /// Replaces the text of one of the user's notes (shown at once, undone on failure).
    pub fn edit_note(self, note: NoteId, text: String) {
        let text = text.trim().to_owned();
        let Some((id, before)) = self.find_note(&note) else { return };
        if text.is_empty() || text == before.text {
            return;
        }
        let mut edited = before.clone();
        edited.text = text.clone();
        edited.edited_at = Some(Timestamp(self.session.now()));
        self.update_open(&id, |open| merge_note(&mut open.notes, edited));
        self.edit_note.dispatch((id, before, text));
    }

    /// Deletes one of the user's notes (gone at once, back on failure).
    pub fn delete_note(self, note: NoteId) {
        let Some((id, before)) = self.find_note(&note) else { return };
        self.update_open(&id, |open| open.notes.retain(|n| n.id != note));
        self.delete_note.dispatch((id, before));
    }

    /// Sends a failed message again with the same `client_id`, so that a message the
    /// server did receive is not duplicated.
    pub fn retry(self, client_id: String) {
        let mut found = None;
        self.open.update(|open| {
            let Some(open) = open else { return };
            if let Some(m) = open
                .messages
                .iter_mut()
                .find(|m| m.client_id.as_deref() == Some(&client_id) && m.delivery == DeliveryState::Failed)
            {
                m.delivery = DeliveryState::Sending;
                found = Some(m.clone());
            }
        });
        if let Some(reply) = found {
            self.queue(reply);
        }
    }

    /// The user typed in the composer: `typing`, at most every 3 s.
    pub fn typing(self) {
        let Some(id) = self.wanted.get_untracked() else { return };
        let now = now_millis();
        if now - self.typing_sent.get_value() >= TYPING_EVERY_MS {
            self.typing_sent.set_value(now);
            self.send_presence(id, PresenceActivity::Typing);
        }
    }

    // ---- for the store's flows ----------------------------------------------------------

    /// The open conversation's id, untracked.
    pub(super) fn open_id(&self) -> Option<ConversationId> {
        self.open.with_untracked(|o| o.as_ref().map(|o| o.summary.id.clone()))
    }

    /// The conversation shown or being loaded, untracked.
    pub(super) fn wanted_id(&self) -> Option<ConversationId> {
        self.wanted.get_untracked()
    }

    /// Shows the conversation `id` (or none): presence moves with it, then it loads and
    /// is marked read. Answers whether anything changed.
    pub(super) fn show(self, id: Option<ConversationId>) -> bool {
        let previous = self.wanted.get_untracked();
        if previous == id {
            return false;
        }
        self.presence_moved(previous, id.clone());
        self.wanted.set(id.clone());
        self.open.set(None);
        self.open_failed.set(false);
        if let Some(id) = id {
            self.load(id);
        }
        true
    }

    /// Loads the wanted conversation again (after a resync).
    pub(super) fn reload(self) {
        if let Some(id) = self.wanted.get_untracked() {
            self.load(id);
        }
    }

    /// Puts an optimistic reply (delivery `sending`) in the open conversation and
    /// queues it.
    pub(super) fn send(self, text: String, attachments: Vec<Attachment>, channel: ChannelId) {
        let Some(me) = self.session.with_me(|m| m.map(|m| m.user.clone())) else { return };
        let Some(conversation) = self.open_id() else { return };
        let client_id = new_client_id();
        let optimistic = Message {
            id: MessageId::new(format!("local-{client_id}")),
            conversation: conversation.clone(),
            channel,
            direction: Direction::Outgoing,
            sender: Sender { kind: SenderKind::User, id: Some(me.id.to_string()), name: me.name },
            text,
            at: Timestamp(now_millis()),
            delivery: DeliveryState::Sending,
            client_id: Some(client_id),
            attachments,
            template: None,
        };
        self.update_open(&conversation, |open| merge_message(&mut open.messages, optimistic.clone()));
        self.queue(optimistic);
    }

    /// Puts a contact the server returned into the open conversation.
    pub(super) fn show_contact(self, updated: Contact) {
        self.open.update(|open| {
            if let Some(open) = open.as_mut().filter(|o| o.contact.id == updated.id) {
                open.contact = updated;
            }
        });
    }

    /// Applies a batch to the open conversation (one update, none when nothing changed)
    /// and marks read what arrived while the user has it in front of them.
    pub(super) fn apply(self, events: &[Event]) {
        self.outbox_confirmed(events.iter().filter_map(|e| match &e.kind {
            EventKind::MessageCreated { message, .. } => Some(message),
            _ => None,
        }));
        let mut read = None;
        self.open.maybe_update(|open| {
            let Some(open) = open else { return false };
            let outcome = apply_to_open(open, events);
            if outcome.incoming {
                read = Some(open.summary.id.clone());
            }
            outcome.changed
        });
        if let Some(id) = read {
            self.read.dispatch(id);
        }
    }

    /// A `presence` frame from someone else.
    pub(super) fn apply_presence(self, frame: ServerFrame) {
        let ServerFrame::Presence { conversation, user, name, activity } = frame else { return };
        if self.session.user_id().as_ref() == Some(&user) {
            return;
        }
        let mut expiry = None;
        self.presence.update(|all| {
            expiry = presence::apply(all, conversation, user, name, activity, now_millis());
        });
        if let Some(ms) = expiry {
            // A little after the expiry, so that the entry has lapsed by then.
            set_timeout(
                move || {
                    self.presence.try_maybe_update(|all| (presence::prune(all, now_millis()), ()));
                },
                Duration::from_millis(ms as u64 + 50),
            );
        }
    }

    /// Others forget us 25 s after our last `viewing`: say it again at once after a
    /// reconnection rather than at the next heartbeat.
    pub(super) fn welcome(self) {
        if let Some(id) = self.wanted.get_untracked() {
            self.send_presence(id, PresenceActivity::Viewing);
        }
        self.flush_anew();
    }

    pub(super) fn update_open(self, id: &ConversationId, change: impl FnOnce(&mut OpenConversation)) {
        update_open(self.open, id, change);
    }

    fn clear(self) {
        self.presence_moved(self.wanted.get_untracked(), None);
        self.presence.set(Vec::new());
        self.wanted.set(None);
        self.open.set(None);
        // In memory only: stored replies go out when the user signs in again.
        self.outbox.set(Outbox::default());
    }

    fn find_note(&self, note: &NoteId) -> Option<(ConversationId, Note)> {
        self.open.with_untracked(|o| {
            let o = o.as_ref()?;
            Some((o.summary.id.clone(), o.notes.iter().find(|n| &n.id == note)?.clone()))
        })
    }

    fn load(self, id: ConversationId) {
        let Some(api) = self.session.api() else { return };
        spawn_local(async move {
            let result = api.conversation(&id).await;
            if self.wanted.try_get_untracked().flatten().as_ref() != Some(&id) {
                return;
            }
            match result {
                Ok(detail) => {
                    let mut fresh = OpenConversation {
                        summary: detail.conversation,
                        contact: detail.contact,
                        messages: detail.messages.items,
                        older: detail.messages.next,
                        notes: detail.notes,
                        activities: detail.activities,
                    };
                    self.arrived(&mut fresh);
                    self.open.set(Some(fresh));
                    self.read.dispatch(id);
                }
                Err(e) => {
                    self.open_failed.set(true);
                    self.session.fail(e);
                }
            }
        });
    }

    /// Replies the server has answer for themselves; the others show as waiting (after
    /// a reload too), and after a resync unsent ones stay.
    pub(super) fn arrived(self, fresh: &mut OpenConversation) {
        let id = fresh.summary.id.clone();
        self.outbox_confirmed(&fresh.messages);
        for m in self.queued_messages(&id) {
            merge_unsent(&mut fresh.messages, m);
        }
        if let Some(previous) = self.open.get_untracked().filter(|o| o.summary.id == id) {
            for m in previous.messages.into_iter().filter(is_unsent) {
                merge_unsent(&mut fresh.messages, m);
            }
        } else {
            self.first_unread.set(first_unread(&fresh.messages, fresh.summary.unread));
        }
    }

    fn send_presence(self, conversation: ConversationId, activity: PresenceActivity) {
        self.session.send(&ClientFrame::Presence { conversation, activity });
    }

    /// Presence follows the open conversation: `left` for the one closed, `viewing` for
    /// the one opened, repeated every 10 s while it stays open.
    fn presence_moved(self, from: Option<ConversationId>, to: Option<ConversationId>) {
        if let Some(handle) = self.heartbeat.get_value() {
            handle.clear();
        }
        self.heartbeat.set_value(None);
        self.typing_sent.set_value(0);
        if let Some(from) = from {
            self.send_presence(from, PresenceActivity::Left);
        }
        let Some(to) = to else { return };
        self.send_presence(to, PresenceActivity::Viewing);
        let handle = set_interval_with_handle(
            move || {
                if let Some(id) = self.wanted.try_get_untracked().flatten() {
                    self.send_presence(id, PresenceActivity::Viewing);
                }
            },
            HEARTBEAT,
        );
        self.heartbeat.set_value(handle.ok());
    }
}

/// Changes the open conversation if it is still `id` (an answer may outlive it).
fn update_open(
    open: RwSignal<Option<OpenConversation>>,
    id: &ConversationId,
    change: impl FnOnce(&mut OpenConversation),
) {
    open.update(|open| {
        if let Some(open) = open.as_mut().filter(|o| &o.summary.id == id) {
            change(open);
        }
    });
}

fn is_unsent(m: &Message) -> bool {
    matches!(m.delivery, DeliveryState::Sending | DeliveryState::Failed) && m.id.as_str().starts_with("local-")
}

/// A client id unique enough for idempotent sending: time plus 53 random bits.
/// (`crypto.randomUUID` was rejected: it exists only in secure contexts.)
pub(super) fn new_client_id() -> String {
    format!("{:x}-{:x}", now_millis(), crate::format::random_53())
}
