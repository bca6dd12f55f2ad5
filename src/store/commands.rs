//! Commands: what views may ask of the store. Each one updates state optimistically
//! where that helps, runs its request, and turns a failure into a visible message.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::lifecycle::{self, Transition};
use parley_domain::list::ConversationList;
use parley_domain::wire::{BulkResolve, ConversationSummary, Event, EventKind, Inboxes, Me};
use parley_domain::{
    Attachment, Availability, ConversationId, DeliveryState, Direction, InboxId, Message, MessageId, NoteId, Sender,
    SenderKind, Timestamp, UserId,
};

use super::apply::{first_unread, merge_message, merge_note, merge_unsent};
use super::state::{OpenConversation, Selection, SessionState, Store};
use super::storage::{clear_token, load_token, save_show_activities, save_token};
use super::words::describe;
use crate::api::{self, ApiError, AuthorizedApi, ConnectionState, ListQuery};
use crate::format::now_millis;

/// Conversations per list page: a virtualized list renders a few dozen of them, so a
/// larger page only saves round trips when scrolling far.
const PAGE_SIZE: u32 = 100;
/// How long events coalesce before the assignee counts are fetched again.
const COUNTS_REFRESH_MS: u64 = 400;

impl Store {
    /// Restores the saved session, if any (called once by `provide_store`, and by the
    /// "Try again" button when the server could not be reached).
    pub fn restore(self) {
        let Some(token) = load_token() else {
            self.session.set(SessionState::SignedOut);
            return;
        };
        self.session.set(SessionState::Restoring);
        self.error.set(None);
        let api = AuthorizedApi::from_token(token);
        spawn_local(async move {
            match api.me().await {
                Ok(me) => self.start(api, me),
                Err(ApiError::Unauthorized) => {
                    clear_token();
                    self.session.set(SessionState::SignedOut);
                }
                // Offline is not signed out: keep the token and let the user retry.
                Err(e) => self.error.set(Some(describe(&e))),
            }
        });
    }

    /// Signs in; on failure returns the words to show under the form.
    pub async fn sign_in(self, email: String, password: String) -> Result<(), String> {
        let (api, me) = api::sign_in(&email, &password).await.map_err(|e| describe(&e))?;
        save_token(api.token());
        self.just_signed_in.set_value(true);
        self.error.set(None);
        self.start(api, me);
        Ok(())
    }

    /// Forgets the session here and revokes it on the server.
    pub fn sign_out(self) {
        let api = self.api();
        super::storage::forget_drafts();
        self.clear_outbox();
        self.end_session(None);
        if let Some(api) = api {
            spawn_local(async move {
                // Signed out locally either way; a failed revoke is still worth knowing.
                if let Err(e) = api.sign_out().await
                    && e != ApiError::Unauthorized
                {
                    self.error.set(Some(describe(&e)));
                }
            });
        }
    }

    /// Shows the inbox, status filter and order the URL names: loads the first page and,
    /// when the inbox changed, acknowledges it (opening an inbox clears its dot).
    pub fn select(self, selection: Selection) {
        let previous = self.selection.get_untracked();
        if previous.as_ref() == Some(&selection) {
            return;
        }
        let inbox_changed = previous.map(|p| p.inbox) != Some(selection.inbox.clone());
        self.selection.set(Some(selection.clone()));
        self.reset_list();
        self.refresh_assignee_counts();
        if inbox_changed {
            self.ack(selection.inbox);
        }
    }

    /// Loads the next page of the selected list (a no-op while one is loading).
    pub fn load_more(self) {
        let cursor = self.cursor.get_untracked();
        if cursor.is_some() && !self.list_loading.get_untracked() {
            self.load_page(cursor);
        }
    }

    /// Shows the conversation the URL names (or none), then marks it read.
    pub fn open_conversation(self, id: Option<ConversationId>) {
        let previous = self.wanted.get_untracked();
        if previous == id {
            return;
        }
        self.presence_moved(previous, id.clone());
        self.reset_media();
        self.wanted.set(id.clone());
        self.open.set(None);
        self.open_failed.set(false);
        if let Some(id) = id {
            self.load_conversation(id);
        }
    }

    /// Loads the messages before the oldest one shown.
    pub fn load_older(self) {
        let Some(api) = self.api() else { return };
        let Some((id, before)) =
            self.open.with_untracked(|o| o.as_ref().and_then(|o| Some((o.summary.id.clone(), o.older.clone()?))))
        else {
            return;
        };
        spawn_local(async move {
            match api.messages(&id, &before).await {
                Ok(page) => self.open.update(|open| {
                    if let Some(open) = open.as_mut().filter(|o| o.summary.id == id) {
                        for message in page.items {
                            merge_message(&mut open.messages, message);
                        }
                        open.older = page.next;
                    }
                }),
                Err(e) => self.fail(e),
            }
        });
    }

    /// Sends `text` in the open conversation, with the attachments uploaded so far, on
    /// the reply channel: it shows at once as "sending" (or waiting, while the connection
    /// is down: the outbox keeps it across reloads), then becomes the server's copy, or
    /// stays as "failed" with a Retry button when the server refuses it.
    pub fn send(self, text: String) {
        let text = text.trim().to_owned();
        let attachments = self.take_uploaded();
        if text.is_empty() && attachments.is_empty() {
            return;
        }
        self.send_message(text, attachments);
    }

    pub(super) fn send_message(self, text: String, attachments: Vec<Attachment>) {
        let Some(me) = self.me.get_untracked() else { return };
        let Some(conversation) = self.open.with_untracked(|o| o.as_ref().map(|o| o.summary.id.clone())) else {
            return;
        };
        let Some(channel) = untrack(|| self.reply_channel_now()).map(|c| c.id) else { return };
        let client_id = new_client_id();
        let optimistic = Message {
            id: MessageId::new(format!("local-{client_id}")),
            conversation: conversation.clone(),
            channel,
            direction: Direction::Outgoing,
            sender: Sender { kind: SenderKind::User, id: Some(me.user.id.to_string()), name: me.user.name },
            text,
            at: Timestamp(js_sys::Date::now() as i64),
            delivery: DeliveryState::Sending,
            client_id: Some(client_id),
            attachments,
        };
        self.update_open(&conversation, |open| merge_message(&mut open.messages, optimistic.clone()));
        self.queue(optimistic);
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

    /// Assigns the open conversation's contact to `assignee` (or unassigns it).
    pub fn assign(self, assignee: Option<UserId>) {
        if let Some(contact) = self.open.with_untracked(|o| o.as_ref().map(|o| o.contact.id.clone())) {
            self.assign_contact(contact, assignee);
        }
    }

    /// Assigns any contact (from a list item); the events update every list and count.
    pub fn assign_contact(self, contact: parley_domain::ContactId, assignee: Option<UserId>) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.assign(&contact, assignee).await {
                Ok(updated) => self.open.update(|open| {
                    if let Some(open) = open.as_mut().filter(|o| o.contact.id == updated.id) {
                        open.contact = updated;
                    }
                }),
                Err(e) => self.fail(e),
            }
        });
    }

    /// Available or away: shown at once, saved with `PUT /me/availability`, put back on
    /// failure.
    pub fn set_availability(self, availability: Availability) {
        let Some(api) = self.api() else { return };
        let Some(before) = self.me.with_untracked(|m| m.as_ref().map(|m| m.user.availability)) else { return };
        if before == availability {
            return;
        }
        let set = move |a: Availability| self.me.update(|m| m.iter_mut().for_each(|m| m.user.availability = a));
        set(availability);
        spawn_local(async move {
            match api.set_availability(availability).await {
                Ok(user) => set(user.availability),
                Err(e) => {
                    set(before);
                    self.fail(e);
                }
            }
        });
    }

    /// Moves the open conversation through its lifecycle (pending, snooze, close,
    /// reopen). The status changes at once when the domain rules allow it; a refusal
    /// the rules foresee is shown without asking the server.
    pub fn transition(self, transition: Transition) {
        let Some(api) = self.api() else { return };
        let Some(before) = self.open.with_untracked(|o| o.as_ref().map(|o| o.summary.clone())) else { return };
        let now = Timestamp(now_millis() + self.clock_offset.get_untracked());
        let status = match lifecycle::transition(before.status, &transition, now) {
            Ok(status) => status,
            Err(e) => {
                self.error.set(Some(format!("That is not possible now: {e}")));
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
        spawn_local(async move {
            match api.lifecycle(&id, &transition).await {
                Ok(summary) => self.apply_summary(summary),
                Err(e) => {
                    // Undo the guess unless the server has said something since.
                    self.update_open(&id, |open| {
                        if open.summary.version == before.version {
                            open.summary = before;
                        }
                    });
                    self.fail(e);
                }
            }
        });
    }

    /// Adds an internal note to the open conversation. Not optimistic: a note has no
    /// client id, so an early copy could not be matched with the socket's.
    pub fn add_note(self, text: String) {
        let text = text.trim().to_owned();
        let Some(api) = self.api() else { return };
        let Some(id) = self.open.with_untracked(|o| o.as_ref().map(|o| o.summary.id.clone())) else { return };
        if text.is_empty() {
            return;
        }
        spawn_local(async move {
            match api.add_note(&id, text).await {
                Ok(note) => self.update_open(&id, |open| merge_note(&mut open.notes, note)),
                Err(e) => self.fail(e),
            }
        });
    }

    /// Replaces the text of one of the user's notes (shown at once, undone on failure).
    pub fn edit_note(self, note: NoteId, text: String) {
        let text = text.trim().to_owned();
        let Some(api) = self.api() else { return };
        let Some((id, before)) = self.open.with_untracked(|o| {
            let o = o.as_ref()?;
            Some((o.summary.id.clone(), o.notes.iter().find(|n| n.id == note)?.clone()))
        }) else {
            return;
        };
        if text.is_empty() || text == before.text {
            return;
        }
        let mut edited = before.clone();
        edited.text = text.clone();
        edited.edited_at = Some(Timestamp(now_millis() + self.clock_offset.get_untracked()));
        self.update_open(&id, |open| merge_note(&mut open.notes, edited));
        spawn_local(async move {
            match api.edit_note(&note, text).await {
                Ok(fresh) => self.update_open(&id, |open| merge_note(&mut open.notes, fresh)),
                Err(e) => {
                    self.update_open(&id, |open| merge_note(&mut open.notes, before));
                    self.fail(e);
                }
            }
        });
    }

    /// Deletes one of the user's notes (gone at once, back on failure).
    pub fn delete_note(self, note: NoteId) {
        let Some(api) = self.api() else { return };
        let Some((id, before)) = self.open.with_untracked(|o| {
            let o = o.as_ref()?;
            Some((o.summary.id.clone(), o.notes.iter().find(|n| n.id == note)?.clone()))
        }) else {
            return;
        };
        self.update_open(&id, |open| open.notes.retain(|n| n.id != note));
        spawn_local(async move {
            if let Err(e) = api.delete_note(&note).await {
                self.update_open(&id, |open| merge_note(&mut open.notes, before));
                self.fail(e);
            }
        });
    }

    /// Closes every open conversation of the selected list (inbox, status and assignee
    /// filters) quiet for more than `older_than_days`; answers how many closed, or the
    /// words for the failure. The closed conversations leave the list through the
    /// events the server records.
    pub async fn bulk_resolve(self, older_than_days: u32, reason: String) -> Result<u32, String> {
        let api = self.api().ok_or_else(|| "You are signed out.".to_owned())?;
        let selection = self.selection.get_untracked().ok_or_else(|| "No inbox is selected.".to_owned())?;
        let reason = reason.trim().to_owned();
        let body = BulkResolve {
            status: Some(selection.filter.as_str().to_owned()),
            older_than_days,
            reason: (!reason.is_empty()).then_some(reason),
            assignee: selection.assignee.as_param().map(str::to_owned),
        };
        match api.bulk_resolve(&selection.inbox, &body).await {
            Ok(answer) => {
                self.refresh_assignee_counts();
                Ok(answer.closed)
            }
            Err(e) => {
                let words = describe(&e);
                self.fail(e);
                Err(words)
            }
        }
    }

    /// Shows or hides the audit trail in every timeline, and remembers the choice.
    pub fn set_show_activities(self, show: bool) {
        save_show_activities(show);
        self.show_activities.set(show);
    }

    pub fn dismiss_error(self) {
        self.error.set(None);
    }

    // ---- internals shared with live.rs ------------------------------------------------

    /// Reports a failure; a dead session sends the user back to sign-in.
    pub(super) fn fail(self, error: ApiError) {
        if error == ApiError::Unauthorized {
            self.end_session(Some(describe(&error)));
        } else {
            self.error.set(Some(describe(&error)));
        }
    }

    /// Everything the last resync invalidated, loaded again over REST.
    pub(super) fn reload(self) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.inboxes().await {
                Ok(inboxes) => self.apply_counts(inboxes),
                Err(e) => self.fail(e),
            }
        });
        if self.selection.get_untracked().is_some() {
            self.reset_list();
            self.refresh_assignee_counts();
        }
        if let Some(id) = self.wanted.get_untracked() {
            self.load_conversation(id);
        }
        self.load_live_calls();
    }

    /// Side-panel counts from a REST answer, unless a later batch already brought newer.
    pub(super) fn apply_counts(self, inboxes: Inboxes) {
        if self.seq.get_value().is_some_and(|applied| inboxes.seq < applied) {
            return;
        }
        self.inboxes.set(inboxes.inboxes);
    }

    /// Fetches the selected list's counts per assignee (dropped if the selection's
    /// inbox or status changed meanwhile).
    pub(super) fn refresh_assignee_counts(self) {
        let Some(api) = self.api() else { return };
        let Some(selection) = self.selection.get_untracked() else { return };
        spawn_local(async move {
            let result = api.assignees(&selection.inbox, selection.filter).await;
            let current = self.selection.get_untracked();
            if current.is_none_or(|c| c.inbox != selection.inbox || c.filter != selection.filter) {
                return;
            }
            match result {
                Ok(counts) => self.assignee_counts.set(counts),
                Err(e) => self.fail(e),
            }
        });
    }

    /// Refreshes the assignee counts soon, once for a burst of events.
    pub(super) fn schedule_assignee_counts(self) {
        if self.counts_refresh.get_value() {
            return;
        }
        self.counts_refresh.set_value(true);
        set_timeout(
            move || {
                self.counts_refresh.set_value(false);
                self.refresh_assignee_counts();
            },
            std::time::Duration::from_millis(COUNTS_REFRESH_MS),
        );
    }

    /// `POST /inboxes/{inbox}/ack`: the user is looking at the inbox.
    pub(super) fn ack(self, inbox: InboxId) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.ack(&inbox).await {
                Ok(inboxes) => self.apply_counts(inboxes),
                Err(e) => self.fail(e),
            }
        });
    }

    /// `POST /conversations/{id}/read`: the user is looking at the conversation.
    pub(super) fn mark_read(self, id: ConversationId) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.read(&id).await {
                Ok(summary) => self.apply_summary(summary),
                Err(e) => self.fail(e),
            }
        });
    }

    fn apply_summary(self, summary: ConversationSummary) {
        // A REST answer carries no event seq; versions keep it from undoing newer state.
        let event = Event { seq: 0, kind: EventKind::ConversationUpdated { conversation: summary } };
        self.apply_events(&[event]);
    }

    fn start(self, api: AuthorizedApi, me: Me) {
        // `me` first: views that appear on `SignedIn` read it at once.
        self.me.set(Some(me));
        self.load_outbox();
        self.session.set(SessionState::SignedIn(api.clone()));
        spawn_local(async move {
            let since = match api.inboxes().await {
                Ok(inboxes) => {
                    let seq = inboxes.seq;
                    self.inboxes.set(inboxes.inboxes);
                    Some(seq)
                }
                Err(e) => {
                    self.fail(e);
                    None
                }
            };
            // Signed out (or in as someone else) while the counts loaded.
            if self.api().as_ref() != Some(&api) {
                return;
            }
            // The socket replays every event after the counts it starts from.
            self.seq.set_value(since);
            self.connect(&api);
            self.load_live_calls();
        });
    }

    fn end_session(self, message: Option<String>) {
        self.presence_moved(self.wanted.get_untracked(), None);
        self.reset_media();
        self.presence.set(Vec::new());
        if let Some(socket) = self.socket.get_value() {
            socket.close();
        }
        self.socket.set_value(None);
        clear_token();
        self.seq.set_value(None);
        self.selection.set(None);
        self.list.set(ConversationList::default());
        self.cursor.set(None);
        self.list_loading.set(false);
        self.wanted.set(None);
        self.open.set(None);
        self.inboxes.set(Vec::new());
        self.clear_calls();
        self.clear_custom_inboxes();
        self.snippets.set(None);
        self.assignee_counts.set(Vec::new());
        // In memory only: stored replies go out when the user signs in again.
        self.outbox.set(Default::default());
        self.connection.set(ConnectionState::Connecting);
        self.session.set(SessionState::SignedOut);
        self.me.set(None);
        self.error.set(message);
    }

    /// Empties the selected list and loads its first page.
    fn reset_list(self) {
        let Some(selection) = self.selection.get_untracked() else { return };
        self.list_generation.update_value(|g| *g += 1);
        self.list.set(ConversationList::new(selection.order));
        self.cursor.set(None);
        self.load_page(None);
    }

    fn load_page(self, cursor: Option<String>) {
        let Some(api) = self.api() else { return };
        let Some(selection) = self.selection.get_untracked() else { return };
        let generation = self.list_generation.get_value();
        self.list_loading.set(true);
        spawn_local(async move {
            let query = ListQuery {
                status: selection.filter,
                order: selection.order,
                cursor,
                limit: Some(PAGE_SIZE),
                assignee: selection.assignee.clone(),
            };
            let result = api.conversations(&selection.inbox, &query).await;
            // Another selection (or a reload) owns the list now.
            if self.list_generation.get_value() != generation {
                return;
            }
            self.list_loading.set(false);
            match result {
                Ok(page) => {
                    let has_more = page.next.is_some();
                    self.cursor.set(page.next);
                    self.list.update(|list| list.append_page(page.items, has_more));
                }
                Err(e) => self.fail(e),
            }
        });
    }

    fn load_conversation(self, id: ConversationId) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            let result = api.conversation(&id).await;
            if self.wanted.get_untracked().as_ref() != Some(&id) {
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
                    // Replies the server has answer for themselves; the others show as
                    // waiting (after a reload too), and after a resync unsent ones stay.
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
                    self.open.set(Some(fresh));
                    self.mark_read(id);
                }
                Err(e) => {
                    self.open_failed.set(true);
                    self.fail(e);
                }
            }
        });
    }

    pub(super) fn update_open(self, id: &ConversationId, change: impl FnOnce(&mut OpenConversation)) {
        self.open.update(|open| {
            if let Some(open) = open.as_mut().filter(|o| &o.summary.id == id) {
                change(open);
            }
        });
    }
}

fn is_unsent(m: &Message) -> bool {
    matches!(m.delivery, DeliveryState::Sending | DeliveryState::Failed) && m.id.as_str().starts_with("local-")
}

/// A client id unique enough for idempotent sending: time plus 53 random bits.
/// (`crypto.randomUUID` was rejected: it exists only in secure contexts.)
fn new_client_id() -> String {
    let random = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
    format!("{:x}-{random:x}", js_sys::Date::now() as u64)
}
