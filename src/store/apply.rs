//! How live events change what the store holds, as pure functions over domain types so
//! that they are tested natively; `live.rs` wraps each batch in one signal update.

use parley_domain::inbox::{self, InboxId};
use parley_domain::list::{Change, ConversationList};
use parley_domain::wire::{Activity, ConversationSummary, Event, EventKind, Note};
use parley_domain::{Direction, Directory, Message, MessageId, User};

use super::list::Selection;
use super::thread::OpenConversation;

/// Who is looking at what: what the rules need to place a conversation.
pub(super) struct Viewer<'a> {
    pub user: &'a User,
    pub dir: &'a Directory,
    pub selection: &'a Selection,
}

impl Viewer<'_> {
    /// Whether the selected list should show `conv` now: the inbox holds it and it
    /// passes the status and assignee filters.
    pub fn belongs(&self, conv: &ConversationSummary) -> bool {
        inbox::holds(self.dir, self.user, &self.selection.inbox, &conv.facts(false))
            && self.selection.filter.matches(conv.status)
            && self.selection.assignee.matches(conv.assignee.as_ref())
    }

    /// Whether an incoming message in `conv` would light the selected inbox's dot,
    /// which must not happen while the user is looking at that inbox.
    pub fn lights_selected(&self, conv: &ConversationSummary) -> bool {
        inbox::lit_inbox(self.dir, self.user, &conv.facts(true)).as_ref() == Some(&self.selection.inbox)
    }
}

/// Upserts every conversation the events carry; returns whether the list changed.
pub(super) fn apply_to_list(viewer: &Viewer, list: &mut ConversationList, events: &[Event]) -> bool {
    let mut changed = false;
    for conv in events.iter().filter_map(|e| e.kind.conversation()) {
        let belongs = viewer.belongs(conv);
        changed |= list.upsert(conv.clone(), belongs) != Change::Ignored;
    }
    changed
}

/// Whether any event is an incoming message lighting the selected inbox (then the store
/// acknowledges the inbox again).
pub(super) fn lights_selected(viewer: &Viewer, events: &[Event]) -> bool {
    events.iter().any(|e| match &e.kind {
        EventKind::MessageCreated { conversation, message } => {
            message.direction == Direction::Incoming && viewer.lights_selected(conversation)
        }
        _ => false,
    })
}

/// What applying events to the open conversation did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct OpenOutcome {
    pub changed: bool,
    /// An incoming message arrived while the user had the conversation open.
    pub incoming: bool,
}

pub(super) fn apply_to_open(open: &mut OpenConversation, events: &[Event]) -> OpenOutcome {
    let mut out = OpenOutcome::default();
    for event in events {
        match &event.kind {
            EventKind::MessageUpdated { message } if message.conversation == open.summary.id => {
                merge_message(&mut open.messages, message.clone());
                out.changed = true;
            }
            EventKind::MessageCreated { conversation, message } if conversation.id == open.summary.id => {
                merge_message(&mut open.messages, message.clone());
                update_summary(&mut open.summary, conversation);
                out.changed = true;
                out.incoming |= message.direction == Direction::Incoming;
            }
            EventKind::ConversationUpdated { conversation } if conversation.id == open.summary.id => {
                out.changed |= update_summary(&mut open.summary, conversation);
            }
            EventKind::ContactUpdated { contact } if contact.id == open.contact.id => {
                open.contact = contact.clone();
                out.changed = true;
            }
            EventKind::NoteCreated { note } | EventKind::NoteUpdated { note }
                if note.conversation == open.summary.id =>
            {
                merge_note(&mut open.notes, note.clone());
                out.changed = true;
            }
            EventKind::NoteDeleted { conversation, note } if *conversation == open.summary.id => {
                let before = open.notes.len();
                open.notes.retain(|n| &n.id != note);
                out.changed |= open.notes.len() != before;
            }
            EventKind::ActivityCreated { activity } if activity.conversation == open.summary.id => {
                out.changed |= merge_activity(&mut open.activities, activity.clone());
            }
            _ => {}
        }
    }
    out
}

/// Replaces `target` with `fresh` unless `fresh` is an older copy.
pub(super) fn update_summary(target: &mut ConversationSummary, fresh: &ConversationSummary) -> bool {
    if fresh.version < target.version || fresh == target {
        return false;
    }
    *target = fresh.clone();
    true
}

/// Adds `message` to a timeline, replacing the copy with the same id or the optimistic
/// copy with the same `client_id` (the socket and the send answer both bring it back).
pub(super) fn merge_message(messages: &mut Vec<Message>, message: Message) {
    let same = |m: &Message| m.id == message.id || (message.client_id.is_some() && m.client_id == message.client_id);
    if let Some(i) = messages.iter().position(same) {
        messages[i] = message;
        return;
    }
    // Usually the newest: insert from the end, keeping equal times in arrival order.
    let at = messages.iter().rposition(|m| m.at <= message.at).map_or(0, |i| i + 1);
    messages.insert(at, message);
}

/// Adds a message of ours not yet sent unless the server's copy (same `client_id`) is
/// already there: a reload must not put "sending" back over a message that went.
pub(super) fn merge_unsent(messages: &mut Vec<Message>, unsent: Message) {
    if !messages.iter().any(|m| m.client_id.is_some() && m.client_id == unsent.client_id && m.id != unsent.id) {
        merge_message(messages, unsent);
    }
}

/// Adds or replaces `note` (by id), keeping time order.
pub(super) fn merge_note(notes: &mut Vec<Note>, note: Note) {
    if let Some(existing) = notes.iter_mut().find(|n| n.id == note.id) {
        *existing = note;
        return;
    }
    let at = notes.iter().rposition(|n| n.at <= note.at).map_or(0, |i| i + 1);
    notes.insert(at, note);
}

/// Adds `activity` unless it is already there (a reload may race the socket); returns
/// whether it was added.
pub(super) fn merge_activity(activities: &mut Vec<Activity>, activity: Activity) -> bool {
    if activities.iter().any(|a| a.id == activity.id) {
        return false;
    }
    let at = activities.iter().rposition(|a| a.at <= activity.at).map_or(0, |i| i + 1);
    activities.insert(at, activity);
    true
}

/// Where the agent stopped reading: the first of the last `unread` incoming messages
/// (the earliest loaded one when fewer are loaded).
pub(super) fn first_unread(messages: &[Message], unread: u32) -> Option<MessageId> {
    let unread = usize::try_from(unread).unwrap_or(usize::MAX);
    messages.iter().rev().filter(|m| m.direction == Direction::Incoming).take(unread).last().map(|m| m.id.clone())
}

/// The inbox to acknowledge after events, if any (see [`lights_selected`]).
pub(super) fn ack_target(viewer: Option<&Viewer>, events: &[Event]) -> Option<InboxId> {
    let viewer = viewer?;
    lights_selected(viewer, events).then(|| viewer.selection.inbox.clone())
}

#[cfg(test)]
mod tests {
    use parley_domain::filter::StatusFilter;
    use parley_domain::list::SortOrder;
    use parley_domain::wire::Preview;
    use parley_domain::{Role, Status, Team, Timestamp, testing};

    use super::*;

    fn user() -> User {
        User {
            id: "me".into(),
            name: "Me".into(),
            email: "me@example.test".into(),
            role: Role::Agent,
            restriction: Default::default(),
            teams: vec!["sales".into()],
            permissions: vec![],
            availability: Default::default(),
        }
    }

    fn dir(user: &User) -> Directory {
        Directory::from_users(vec![Team { id: "sales".into(), name: "Sales".into() }], std::slice::from_ref(user))
    }

    fn conv(id: &str, assignee: Option<&str>, status: Status, version: u64) -> ConversationSummary {
        ConversationSummary {
            status,
            // `team:<id>`: assigned to a team.
            assignee: assignee.filter(|a| !a.starts_with("team:")).map(Into::into),
            assigned_team: assignee.and_then(|a| a.strip_prefix("team:")).map(Into::into),
            last_message: Some(Preview { direction: Direction::Incoming, text: "hi".into(), at: Timestamp(0) }),
            last_activity_at: Timestamp(version as i64),
            unread: 1,
            version,
            ..testing::conversation(id)
        }
    }

    fn message(id: &str, client_id: Option<&str>, at: i64, direction: Direction) -> Message {
        Message { direction, client_id: client_id.map(Into::into), ..testing::message(id, at) }
    }

    fn created(seq: u64, conversation: ConversationSummary, direction: Direction) -> Event {
        let message = message(&format!("m{seq}"), None, seq as i64, direction);
        Event { seq, kind: EventKind::MessageCreated { conversation, message } }
    }

    /// One row: (inbox, filter, assignee, status, expected to belong, expected to light it).
    fn check(
        inbox: InboxId,
        filter: StatusFilter,
        assignee: Option<&str>,
        status: Status,
        belongs: bool,
        lights: bool,
    ) {
        let me = user();
        let d = dir(&me);
        let selection =
            Selection { inbox: inbox.clone(), filter, order: SortOrder::NewestFirst, assignee: Default::default() };
        let viewer = Viewer { user: &me, dir: &d, selection: &selection };
        let mut list = ConversationList::new(SortOrder::NewestFirst);
        let events = [created(5, conv("c1", assignee, status, 5), Direction::Incoming)];
        let changed = apply_to_list(&viewer, &mut list, &events);
        let label = format!("{inbox} {filter:?} assigned to {assignee:?} {status:?}");
        assert_eq!((changed, list.items().len() == 1), (belongs, belongs), "{label}: belongs");
        assert_eq!(ack_target(Some(&viewer), &events).is_some(), lights, "{label}: acknowledges");
    }

    #[test]
    fn events_reach_the_right_list_and_dot() {
        use InboxId::*;
        use Status::*;
        let open = StatusFilter::Open;
        let team = || Team("sales".into());
        #[rustfmt::skip]
        let rows: &[(InboxId, StatusFilter, Option<&str>, Status, bool, bool)] = &[
            (Mine, open, Some("me"), New, true, true),
            (All, open, Some("me"), New, true, false),
            (team(), open, Some("me"), New, true, false),
            (Unassigned, open, None, New, true, true),
            (All, open, None, New, true, false),
            (Mine, open, None, New, false, false),
            (Mine, open, Some("me"), Closed, false, true),
            (Mine, StatusFilter::Only(Closed), Some("me"), Closed, true, true),
            (Mine, StatusFilter::All, Some("me"), Pending, true, true),
            // Assigned to my team and nobody in it: the team's list and dot, not Unassigned's.
            (team(), open, Some("team:sales"), New, true, true),
            (Unassigned, open, Some("team:sales"), New, false, false),
            (All, open, Some("team:sales"), New, true, false),
            (Mine, open, Some("team:sales"), New, false, false),
        ];
        for (inbox, filter, assignee, status, belongs, lights) in rows {
            check(inbox.clone(), *filter, *assignee, *status, *belongs, *lights);
        }
    }

    #[test]
    fn outgoing_messages_do_not_acknowledge() {
        let me = user();
        let d = dir(&me);
        let selection = Selection {
            inbox: InboxId::Mine,
            filter: StatusFilter::Open,
            order: SortOrder::NewestFirst,
            assignee: Default::default(),
        };
        let viewer = Viewer { user: &me, dir: &d, selection: &selection };
        let events = [created(5, conv("c1", Some("me"), Status::New, 5), Direction::Outgoing)];
        assert_eq!(ack_target(Some(&viewer), &events), None);
    }

    #[test]
    fn merging_replaces_the_optimistic_copy_and_keeps_time_order() {
        let mut timeline =
            vec![message("m1", None, 10, Direction::Incoming), message("local", Some("k"), 30, Direction::Outgoing)];
        merge_message(&mut timeline, message("m2", Some("k"), 31, Direction::Outgoing));
        merge_message(&mut timeline, message("m0", None, 5, Direction::Incoming));
        merge_message(&mut timeline, message("m2", Some("k"), 31, Direction::Outgoing));
        let ids: Vec<&str> = timeline.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["m0", "m1", "m2"]);
    }

    #[test]
    fn an_unsent_copy_never_replaces_the_servers() {
        let mut timeline = vec![message("m1", Some("k"), 30, Direction::Outgoing)];
        merge_unsent(&mut timeline, message("local-k", Some("k"), 29, Direction::Outgoing));
        merge_unsent(&mut timeline, message("local-j", Some("j"), 31, Direction::Outgoing));
        merge_unsent(&mut timeline, message("local-j", Some("j"), 31, Direction::Outgoing));
        let ids: Vec<&str> = timeline.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["m1", "local-j"]);
    }

    #[test]
    fn the_open_conversation_ignores_stale_copies_and_counts_arrivals() {
        let mut open = OpenConversation {
            summary: conv("c1", Some("me"), Status::New, 7),
            contact: parley_domain::Contact { name: "c1".into(), ..testing::contact("k-c1") },
            messages: vec![],
            older: None,
            notes: vec![],
            activities: vec![],
        };
        let stale = Event {
            seq: 3,
            kind: EventKind::ConversationUpdated { conversation: conv("c1", None, Status::Closed, 3) },
        };
        assert_eq!(apply_to_open(&mut open, &[stale]), OpenOutcome::default());
        let other = created(8, conv("c2", Some("me"), Status::New, 8), Direction::Incoming);
        let mine = created(9, conv("c1", Some("me"), Status::New, 9), Direction::Incoming);
        assert_eq!(apply_to_open(&mut open, &[other, mine]), OpenOutcome { changed: true, incoming: true });
        assert_eq!((open.messages.len(), open.summary.version), (1, 9));
    }

    #[test]
    fn the_first_unread_is_where_the_unread_incoming_messages_start() {
        let timeline = [
            message("m1", None, 10, Direction::Incoming),
            message("m2", None, 20, Direction::Outgoing),
            message("m3", None, 30, Direction::Incoming),
            message("m4", None, 40, Direction::Incoming),
        ];
        let table = [(0, None), (1, Some("m4")), (2, Some("m3")), (3, Some("m1")), (9, Some("m1"))];
        for (unread, expected) in table {
            assert_eq!(first_unread(&timeline, unread), expected.map(MessageId::from), "unread {unread}");
        }
        assert_eq!(first_unread(&[], 2), None);
    }

    #[test]
    fn notes_and_activities_follow_the_open_conversation() {
        use parley_domain::wire::{Activity, ActivityKind, Actor};
        let note = |id: &str, conversation: &str, text: &str, at: i64| Note {
            id: id.into(),
            conversation: conversation.into(),
            author: "me".into(),
            author_name: "Me".into(),
            text: text.into(),
            at: Timestamp(at),
            edited_at: None,
        };
        let activity = |id: &str, at: i64| Activity {
            id: id.into(),
            conversation: "c1".into(),
            actor: Actor { id: None, name: "Parley".into() },
            at: Timestamp(at),
            kind: ActivityKind::Pending,
        };
        let mut open = OpenConversation {
            summary: conv("c1", Some("me"), Status::New, 7),
            contact: parley_domain::Contact { name: "c1".into(), ..testing::contact("k-c1") },
            messages: vec![],
            older: None,
            notes: vec![],
            activities: vec![],
        };
        let ev = |seq, kind| Event { seq, kind };
        let events = [
            ev(1, EventKind::NoteCreated { note: note("n2", "c1", "second", 20) }),
            ev(2, EventKind::NoteCreated { note: note("n1", "c1", "first", 10) }),
            ev(3, EventKind::NoteCreated { note: note("x", "c2", "elsewhere", 10) }),
            ev(4, EventKind::NoteUpdated { note: note("n2", "c1", "edited", 20) }),
            ev(5, EventKind::ActivityCreated { activity: activity("a1", 30) }),
            ev(6, EventKind::ActivityCreated { activity: activity("a1", 30) }),
        ];
        assert!(apply_to_open(&mut open, &events).changed);
        let texts: Vec<&str> = open.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts, ["first", "edited"]);
        assert_eq!(open.activities.len(), 1);
        let deleted = [ev(7, EventKind::NoteDeleted { conversation: "c1".into(), note: "n1".into() })];
        assert!(apply_to_open(&mut open, &deleted).changed);
        assert_eq!(open.notes.len(), 1);
        assert!(!apply_to_open(&mut open, &deleted).changed);
    }
}
