//! The event log: every change is recorded as an event row in the same transaction as the
//! change, with the next workspace sequence number; the fan-out reads it once and sockets
//! replay gaps from it. Live delivery and resume after a reconnect are then one log, which
//! is what makes "no lost, no duplicated events" hold by construction.

use super::conn::{OptionalExtension, PgConn as Connection, params, parse_json};
use crate::error::ApiResult;
use parley_domain::wire::{Event, EventKind};
use parley_domain::{Assignee, UserId};

use crate::storage::*;

/// How often (in seqs) the log is trimmed.
const PRUNE_EVERY: u64 = 100;

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
            let assignees = crate::storage::events::audience_of(parse_json(&r.get::<_, String>(1)?)?);
            let kind: EventKind = parse_json(&r.get::<_, String>(2)?)?;
            Ok((Event { seq, kind }, Audience { assignees, blocked: r.get(3)? }))
        })?;
        Ok(Some(rows.collect::<super::conn::Result<_>>()?))
    }
    fn next_seq(&self) -> ApiResult<u64> {
        // The row lock taken here is held to commit: seqs increase in commit order.
        let seq: String = self.query_row(
            "INSERT INTO meta (key, value) VALUES ('seq', '1')
             ON CONFLICT (key) DO UPDATE SET value = (meta.value::bigint + 1)::text RETURNING value",
            params![],
            |r| r.get(0),
        )?;
        let seq: u64 = seq.parse().map_err(|e| crate::error::ApiError::Internal(format!("meta seq {seq:?}: {e}")))?;
        // Told to the other instances at commit (`Db::write`).
        self.took_seq(seq);
        Ok(seq)
    }
    fn record(&self, seq: u64, now: i64, audience: &[Option<Assignee>], kind: &EventKind) -> ApiResult<()> {
        let audience = crate::storage::events::audience_json(audience);
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
        Ok(rows.collect::<super::conn::Result<_>>()?)
    }
}
