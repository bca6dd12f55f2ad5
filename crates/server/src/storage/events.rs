//! The event log: every change is recorded as an event row in the same transaction as the
//! change, with the next workspace sequence number; the fan-out reads it once and sockets
//! replay gaps from it. Live delivery and resume after a reconnect are then one log, which
//! is what makes "no lost, no duplicated events" hold by construction.

use crate::error::ApiResult;
use parley_domain::UserId;
use parley_domain::wire::{Event, EventKind};
use rusqlite::{Connection, params};

use super::*;

/// How many events the log keeps by default; a client further behind than this resyncs.
/// `Config::log_capacity` changes it (kept in `meta` as `log_capacity`).
pub const LOG_CAPACITY: u64 = 10_000;
/// How often (in seqs) the log is trimmed.
const PRUNE_EVERY: u64 = 100;

/// The events part of [`Store`](super::Store).
pub trait EventStore {
    /// Events after `since`, oldest first, at most `limit`, with their audience; `None`
    /// when the log was pruned past `since` (whoever reads from there must resync).
    fn events_after(&self, since: u64, limit: usize) -> ApiResult<Option<Vec<(Event, Vec<Option<UserId>>)>>>;
    /// Reserves the next sequence number. Callers hold the write transaction, so numbers
    /// are handed out in commit order.
    fn next_seq(&self) -> ApiResult<u64>;
    /// Appends an event. `audience`: the assignees whose viewers may see it (the state
    /// before and after the change), so visibility is decided as things stood then.
    fn record(&self, seq: u64, now: i64, audience: &[Option<UserId>], kind: &EventKind) -> ApiResult<()>;
}

impl EventStore for Connection {
    fn events_after(&self, since: u64, limit: usize) -> ApiResult<Option<Vec<(Event, Vec<Option<UserId>>)>>> {
        if self.pruned_through()? > since {
            return Ok(None);
        }
        let mut stmt =
            self.prepare_cached("SELECT seq, audience, payload FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
        let rows = stmt.query_map(params![since as i64, limit as i64], |r| {
            let seq: u64 = r.get(0)?;
            let audience: Vec<Option<UserId>> = parse_json(&r.get::<_, String>(1)?)?;
            let kind: EventKind = parse_json(&r.get::<_, String>(2)?)?;
            Ok((Event { seq, kind }, audience))
        })?;
        Ok(Some(rows.collect::<rusqlite::Result<_>>()?))
    }
    fn next_seq(&self) -> ApiResult<u64> {
        let seq = self.current_seq()? + 1;
        self.set_meta("seq", &seq.to_string())?;
        Ok(seq)
    }
    fn record(&self, seq: u64, now: i64, audience: &[Option<UserId>], kind: &EventKind) -> ApiResult<()> {
        let audience = serde_json::to_string(audience).expect("ids serialise");
        let payload = serde_json::to_string(kind).expect("events serialise");
        self.execute(
            "INSERT INTO events (seq, at, audience, payload) VALUES (?1, ?2, ?3, ?4)",
            params![seq as i64, now, audience, payload],
        )?;
        if seq.is_multiple_of(PRUNE_EVERY) {
            let capacity = self.meta("log_capacity")?.and_then(|c| c.parse().ok()).unwrap_or(LOG_CAPACITY);
            if seq > capacity {
                let cut = seq - capacity;
                self.execute("DELETE FROM events WHERE seq <= ?1", [cut as i64])?;
                self.set_meta("pruned_through", &cut.to_string())?;
            }
        }
        Ok(())
    }
}
