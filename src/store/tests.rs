//! The store's slices, tested natively under a reactive owner: frames go in through
//! `Store::on_frame` as the socket would deliver them, and the tests read the slices'
//! signals as views would. Nobody is signed in (no token), so no request leaves; the
//! futures the store spawns are dropped by a test executor that never runs them.

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use leptos::prelude::*;
use parley_domain::filter::StatusFilter;
use parley_domain::inbox::{InboxCount, InboxId, InboxKind};
use parley_domain::list::SortOrder;
use parley_domain::wire::{ConversationSummary, ErrorCode, Event, EventKind, Me, Member, ServerFrame, Workspace};
use parley_domain::{
    ChannelKind, DeliveryState, Direction, Message, Role, Sender, SenderKind, Status, Timestamp, User, testing,
};

use super::{OpenConversation, Selection, Store};
use crate::api::ApiError;

/// Drops what it is given: the store's requests never run in these tests.
struct Drop;

impl CustomExecutor for Drop {
    fn spawn(&self, _: PinnedFuture<()>) {}
    fn spawn_local(&self, _: PinnedLocalFuture<()>) {}
    fn poll_local(&self) {}
}

/// A store for "me", an agent looking at the All inbox, with the sound off (no audio
/// outside a browser).
fn store() -> (Owner, Store) {
    let _ = Executor::init_custom_executor(Drop);
    let owner = Owner::new();
    owner.set();
    let store = Store::new();
    let me = User {
        id: "me".into(),
        name: "Me".into(),
        email: "me@example.test".into(),
        role: Role::Agent,
        restriction: Default::default(),
        teams: vec![],
        permissions: vec![],
        availability: Default::default(),
    };
    let workspace = Workspace {
        teams: vec![],
        members: vec![Member { id: "me".into(), name: "Me".into(), role: Role::Agent, teams: vec![] }],
        channels: vec![],
        sla: Default::default(),
    };
    store.session.pretend(Me { user: me, workspace, transcripts: false, ai_assist: false });
    store.preferences.set_sound(false);
    store.select(Selection {
        inbox: InboxId::All,
        filter: StatusFilter::Open,
        order: SortOrder::NewestFirst,
        assignee: Default::default(),
    });
    (owner, store)
}

/// A conversation of someone else's (so that nothing alerts me), at `version`.
fn conversation(id: &str, version: u64) -> ConversationSummary {
    ConversationSummary {
        assignee: Some("other".into()),
        version,
        last_activity_at: Timestamp(version as i64),
        ..testing::conversation(id)
    }
}

fn updated(seq: u64, conversation: ConversationSummary) -> Event {
    Event { seq, kind: EventKind::ConversationUpdated { conversation } }
}

fn batch(events: Vec<Event>) -> ServerFrame {
    ServerFrame::Batch { events, inboxes: None }
}

fn listed(store: &Store) -> Vec<(String, u64)> {
    store.list.list().with(|l| l.items().iter().map(|c| (c.id.to_string(), c.version)).collect())
}

#[test]
fn a_batch_is_applied_to_the_list_the_counts_and_the_sequence() {
    let (_owner, store) = store();
    let counts = vec![InboxCount { id: InboxId::All, kind: InboxKind::Standard, name: "All".into(), open: 2, new: 1 }];
    store.on_frame(ServerFrame::Batch {
        events: vec![updated(1, conversation("c1", 1)), updated(2, conversation("c2", 1))],
        inboxes: Some(counts.clone()),
    });
    assert_eq!(listed(&store), [("c2".to_owned(), 1), ("c1".to_owned(), 1)]);
    assert_eq!(store.inboxes.counts().get_untracked(), counts);
    assert_eq!(store.session.seq(), Some(2));
    // A closed conversation leaves an open list.
    store.on_frame(batch(vec![updated(3, ConversationSummary { status: Status::Closed, ..conversation("c1", 2) })]));
    assert_eq!(listed(&store), [("c2".to_owned(), 1)]);
}

#[test]
fn a_stale_version_or_a_replayed_event_is_ignored() {
    let (_owner, store) = store();
    store.on_frame(batch(vec![updated(1, conversation("c1", 5))]));
    // An older copy of the conversation, under a newer sequence number.
    store.on_frame(batch(vec![updated(2, conversation("c1", 3))]));
    assert_eq!(listed(&store), [("c1".to_owned(), 5)]);
    // An event the store has applied already (a replay overlapping what it had).
    store.on_frame(batch(vec![updated(2, conversation("c1", 9))]));
    assert_eq!(listed(&store), [("c1".to_owned(), 5)]);
    assert_eq!(store.session.seq(), Some(2));
}

#[test]
fn a_resync_empties_the_list_and_resumes_after_its_sequence() {
    let (_owner, store) = store();
    store.on_frame(batch(vec![updated(1, conversation("c1", 1))]));
    store.on_frame(ServerFrame::Resync { seq: 10 });
    // What the list held may be gone: it waits for the reload.
    assert_eq!(listed(&store), []);
    assert_eq!(store.session.seq(), Some(10));
    // The replay of the reconnected socket: only what came after the resync counts.
    store.on_frame(batch(vec![updated(9, conversation("c9", 1)), updated(11, conversation("c11", 1))]));
    assert_eq!(listed(&store), [("c11".to_owned(), 1)]);
    assert_eq!(store.session.seq(), Some(11));
}

/// The open conversation `c1` on a web-chat channel, with no messages yet.
fn open_c1(store: &Store) {
    let summary = ConversationSummary {
        channel: parley_domain::wire::ChannelRef { id: "ch".into(), kind: ChannelKind::Webchat, name: "Chat".into() },
        ..conversation("c1", 1)
    };
    store.thread.open.set(Some(OpenConversation {
        summary,
        contact: testing::contact("k-c1"),
        messages: vec![],
        older: None,
        notes: vec![],
        activities: vec![],
    }));
}

fn messages(store: &Store) -> Vec<(String, DeliveryState)> {
    store
        .thread
        .open()
        .with(|o| o.as_ref().unwrap().messages.iter().map(|m| (m.text.clone(), m.delivery)).collect::<Vec<_>>())
}

/// What the server answers for a reply: its copy, with its own id.
fn servers_copy(reply: &Message) -> Message {
    Message {
        id: "m-server".into(),
        delivery: DeliveryState::Sent,
        sender: Sender { kind: SenderKind::User, id: Some("me".into()), name: "Me".into() },
        ..reply.clone()
    }
}

fn sent(store: &Store) -> Message {
    store.thread.open().with(|o| o.as_ref().unwrap().messages[0].clone())
}

#[test]
fn a_reply_shows_at_once_then_becomes_the_servers_copy() {
    let (_owner, store) = store();
    open_c1(&store);
    store.composer().send("  Hello  ".to_owned());
    assert_eq!(messages(&store), [("Hello".to_owned(), DeliveryState::Sending)]);
    let reply = sent(&store);
    assert_eq!(reply.direction, Direction::Outgoing);
    assert_eq!(store.thread.waiting().get_untracked(), [reply.client_id.clone().unwrap()]);
    // The socket brings the server's copy (same client id): it replaces the optimistic
    // one, and the outbox lets the reply go.
    let conversation = store.thread.open().with(|o| o.as_ref().unwrap().summary.clone());
    store.on_frame(batch(vec![Event {
        seq: 1,
        kind: EventKind::MessageCreated { conversation, message: servers_copy(&reply) },
    }]));
    assert_eq!(messages(&store), [("Hello".to_owned(), DeliveryState::Sent)]);
    assert_eq!(sent(&store).id.as_str(), "m-server");
    assert!(store.thread.waiting().get_untracked().is_empty());
}

#[test]
fn a_refused_reply_stays_as_failed_and_a_reply_without_verdict_waits() {
    let (_owner, store) = store();
    open_c1(&store);
    store.composer().send("Refused".to_owned());
    let reply = sent(&store);
    let refused = ApiError::Http { status: 422, code: Some(ErrorCode::BadRequest), message: "closed".into() };
    assert_eq!(store.thread.answered(&reply, Err(refused)), None);
    assert_eq!(messages(&store), [("Refused".to_owned(), DeliveryState::Failed)]);
    assert!(store.thread.waiting().get_untracked().is_empty(), "a refused reply leaves the outbox");
    assert!(store.session.error().get_untracked().is_some(), "and the agent is told why");

    // Retry sends it again with the same client id; the server is unreachable this time.
    store.thread.retry(reply.client_id.clone().unwrap());
    assert_eq!(messages(&store), [("Refused".to_owned(), DeliveryState::Sending)]);
    let offline = ApiError::Network("down".into());
    assert_eq!(store.thread.answered(&reply, Err(offline.clone())), Some(offline));
    assert_eq!(messages(&store), [("Refused".to_owned(), DeliveryState::Sending)]);
    assert_eq!(store.thread.waiting().get_untracked(), [reply.client_id.clone().unwrap()]);

    // Then it goes: the answer is the server's copy.
    assert_eq!(store.thread.answered(&reply, Ok(servers_copy(&reply))), None);
    assert_eq!(messages(&store), [("Refused".to_owned(), DeliveryState::Sent)]);
    assert!(store.thread.waiting().get_untracked().is_empty());
}

#[test]
fn signing_out_empties_every_slice() {
    let (_owner, store) = store();
    store.on_frame(batch(vec![updated(1, conversation("c1", 1))]));
    open_c1(&store);
    store.session.end(None);
    assert_eq!(listed(&store), []);
    assert_eq!(store.list.selection().get_untracked(), None);
    assert_eq!(store.thread.open().get_untracked(), None);
    assert_eq!(store.session.me().get_untracked(), None);
    assert_eq!(store.session.seq(), None);
}

#[test]
fn a_slice_built_on_first_use_outlives_the_view_that_asked_and_stays_one() {
    let (owner, store) = store();
    // A view (its own owner) asks first; then it goes, as a page does when left.
    let view = Owner::new();
    view.with(|| store.composer().quote("Quoted".to_owned()));
    view.cleanup();
    drop(view);
    owner.set();
    let insert = store.composer().insert().get_untracked();
    assert_eq!(insert, Some((1, parley_domain::text::quote("Quoted"))));
    // Asked again, it is the same slice: the next quote is numbered after the first.
    store.composer().quote("Again".to_owned());
    assert_eq!(store.composer().insert().get_untracked(), Some((2, parley_domain::text::quote("Again"))));
}
