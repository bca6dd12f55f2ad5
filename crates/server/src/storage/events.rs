//! The event log: every change is recorded as an event row in the same transaction as the
//! change, with the next workspace sequence number; the fan-out reads it once and sockets
//! replay gaps from it. Live delivery and resume after a reconnect are then one log, which
//! is what makes "no lost, no duplicated events" hold by construction.

use crate::error::ApiResult;
use parley_domain::wire::{Event, EventKind};
use parley_domain::{Assignee, TeamId, UserId};
use rusqlite::{Connection, OptionalExtension, params};

use super::*;

/// How many events the log keeps by default; a client further behind than this resyncs.
/// `Config::log_capacity` changes it (kept in `meta` as `log_capacity`).
pub const LOG_CAPACITY: u64 = 10_000;
/// How often (in seqs) the log is trimmed.
const PRUNE_EVERY: u64 = 100;

/// Who may receive an event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Audience {
    /// The assignees whose viewers may see it (before and after the change).
    pub assignees: Vec<Option<Assignee>>,
    /// It is about a blocked contact: only holders of `view_blocked` receive it.
    pub blocked: bool,
}

/// An audience entry as stored: a user's id (the only kind before teams could be
/// assigned, so older rows read the same), or a team as `{"team": id}`; null is nobody.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub(crate) enum StoredAssignee {
    User(UserId),
    Team { team: TeamId },
}

pub(crate) fn audience_json(audience: &[Option<Assignee>]) -> String {
    let stored: Vec<Option<StoredAssignee>> = audience
        .iter()
        .map(|a| {
            a.clone().map(|a| match a {
                Assignee::User(u) => StoredAssignee::User(u),
                Assignee::Team(team) => StoredAssignee::Team { team },
            })
        })
        .collect();
    serde_json::to_string(&stored).expect("ids serialise")
}

/// Audience entries as [`audience_json`] stored them (parse with the backend's `parse_json`).
pub(crate) fn audience_of(stored: Vec<Option<StoredAssignee>>) -> Vec<Option<Assignee>> {
    stored
        .into_iter()
        .map(|a| {
            a.map(|a| match a {
                StoredAssignee::User(u) => Assignee::User(u),
                StoredAssignee::Team { team } => Assignee::Team(team),
            })
        })
        .collect()
}

/// The events part of [`Store`](super::Store).
pub trait EventStore {
    /// Events after `since`, oldest first, at most `limit`, with their audience; `None`
    /// when the log was pruned past `since` (whoever reads from there must resync).
    fn events_after(&self, since: u64, limit: usize) -> ApiResult<Option<Vec<(Event, Audience)>>>;
    /// Reserves the next sequence number. Callers hold the write transaction, so numbers
    /// are handed out in commit order.
    fn next_seq(&self) -> ApiResult<u64>;
    /// Appends an event. `audience`: the assignees whose viewers may see it (the state
    /// before and after the change), so visibility is decided as things stood then. An
    /// event about a contact that is blocked now is marked for `view_blocked` only.
    fn record(&self, seq: u64, now: i64, audience: &[Option<Assignee>], kind: &EventKind) -> ApiResult<()>;
    /// Lets the events `from..=to` reach their audience even though their contact is
    /// blocked: the blocking itself, so that lists drop the contact.
    fn reveal(&self, from: u64, to: u64) -> ApiResult<()>;
    /// The acknowledgements logged after `since` (up to `upto`, if given), oldest first.
    fn acks_after(&self, since: u64, upto: Option<u64>) -> ApiResult<Vec<LoggedAcks>>;
}

/// Acknowledgements as logged: their seq, whose they are, (conversation, seq) pairs.
pub type LoggedAcks = (u64, UserId, Vec<(parley_domain::ConversationId, u64)>);

impl EventStore for Connection {
    fn events_after(&self, since: u64, limit: usize) -> ApiResult<Option<Vec<(Event, Audience)>>> {
        if self.pruned_through()? > since {
            return Ok(None);
        }
        let mut stmt = self.prepare_cached(
            "SELECT seq, audience, payload, blocked FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![since as i64, limit as i64], |r| {
            let seq: u64 = r.get(0)?;
            let assignees = audience_of(parse_json(&r.get::<_, String>(1)?)?);
            let kind: EventKind = parse_json(&r.get::<_, String>(2)?)?;
            Ok((Event { seq, kind }, Audience { assignees, blocked: r.get(3)? }))
        })?;
        Ok(Some(rows.collect::<rusqlite::Result<_>>()?))
    }
    fn next_seq(&self) -> ApiResult<u64> {
        let seq = self.current_seq()? + 1;
        self.set_meta("seq", &seq.to_string())?;
        Ok(seq)
    }
    fn record(&self, seq: u64, now: i64, audience: &[Option<Assignee>], kind: &EventKind) -> ApiResult<()> {
        let audience = audience_json(audience);
        let payload = serde_json::to_string(kind).expect("events serialise");
        let of_conversation = |id: &parley_domain::ConversationId| -> ApiResult<bool> {
            Ok(self
                .query_row(
                    "SELECT k.blocked FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE c.id = ?1",
                    [id.as_str()],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(false))
        };
        let blocked = match kind {
            EventKind::MessageCreated { conversation, .. } | EventKind::ConversationUpdated { conversation } => {
                conversation.contact.blocked
            }
            EventKind::ContactUpdated { contact } => contact.blocked,
            EventKind::MessageUpdated { message } => of_conversation(&message.conversation)?,
            EventKind::NoteCreated { note } | EventKind::NoteUpdated { note } => of_conversation(&note.conversation)?,
            EventKind::NoteDeleted { conversation, .. } => of_conversation(conversation)?,
            EventKind::ActivityCreated { activity } => of_conversation(&activity.conversation)?,
            EventKind::CallUpdated { call } => self
                .query_row("SELECT blocked FROM contacts WHERE id = ?1", [call.contact.as_str()], |r| r.get(0))
                .optional()?
                .unwrap_or(false),
        };
        self.execute(
            "INSERT INTO events (seq, at, audience, payload, blocked) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![seq as i64, now, audience, payload, blocked],
        )?;
        if seq.is_multiple_of(PRUNE_EVERY) {
            let capacity = self.meta("log_capacity")?.and_then(|c| c.parse().ok()).unwrap_or(LOG_CAPACITY);
            if seq > capacity {
                let cut = seq - capacity;
                self.execute("DELETE FROM events WHERE seq <= ?1", [cut as i64])?;
                self.execute("DELETE FROM ack_log WHERE seq <= ?1", [cut as i64])?;
                self.set_meta("pruned_through", &cut.to_string())?;
            }
        }
        Ok(())
    }
    fn reveal(&self, from: u64, to: u64) -> ApiResult<()> {
        self.execute("UPDATE events SET blocked = 0 WHERE seq BETWEEN ?1 AND ?2", params![from as i64, to as i64])?;
        Ok(())
    }
    fn acks_after(&self, since: u64, upto: Option<u64>) -> ApiResult<Vec<LoggedAcks>> {
        let mut stmt =
            self.prepare_cached("SELECT seq, user_id, acks FROM ack_log WHERE seq > ?1 AND seq <= ?2 ORDER BY seq")?;
        let upto = upto.map_or(i64::MAX, |u| u as i64);
        let rows = stmt.query_map(params![since as i64, upto], |r| {
            Ok((r.get(0)?, UserId(r.get(1)?), parse_json(&r.get::<_, String>(2)?)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
