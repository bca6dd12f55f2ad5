//! Writing the event log and waking the sockets.
//!
//! Every change is recorded as an event row in the same transaction as the change, with
//! the next workspace sequence number; sockets stream the log. Live delivery and resume
//! after a reconnect are then one code path ("read the log after my last seq"), which is
//! what makes "no lost, no duplicated events" hold by construction.

use parley_domain::wire::{EventKind, PresenceActivity};
use parley_domain::{ConversationId, UserId};
use rusqlite::{Connection, params};
use tokio::sync::{broadcast, watch};

use crate::error::ApiResult;
use crate::repo;

/// How many events the log keeps; a client further behind than this resyncs.
pub const LOG_CAPACITY: u64 = 10_000;

/// Reserves the next sequence number. Callers hold the write transaction, so numbers
/// are handed out in commit order.
pub fn next_seq(tx: &Connection) -> ApiResult<u64> {
    let seq = repo::current_seq(tx)? + 1;
    repo::set_meta(tx, "seq", &seq.to_string())?;
    Ok(seq)
}

/// Appends an event. `audience`: the assignees whose viewers may see it (the state
/// before and after the change), so visibility is decided as things stood then.
pub fn record(tx: &Connection, seq: u64, now: i64, audience: &[Option<UserId>], kind: &EventKind) -> ApiResult<()> {
    let audience = serde_json::to_string(audience).expect("ids serialise");
    let payload = serde_json::to_string(kind).expect("events serialise");
    tx.execute(
        "INSERT INTO events (seq, at, audience, payload) VALUES (?1, ?2, ?3, ?4)",
        params![seq as i64, now, audience, payload],
    )?;
    if seq.is_multiple_of(500) && seq > LOG_CAPACITY {
        let cut = seq - LOG_CAPACITY;
        tx.execute("DELETE FROM events WHERE seq <= ?1", [cut as i64])?;
        repo::set_meta(tx, "pruned_through", &cut.to_string())?;
    }
    Ok(())
}

/// Wakes sockets: `seq` when the log grew, `user` pings when only one user's counts
/// changed (an acknowledgement).
#[derive(Clone)]
pub struct Hub {
    seq: watch::Sender<u64>,
    pings: broadcast::Sender<UserId>,
    clock: watch::Sender<u64>,
    presence: broadcast::Sender<Presence>,
}

/// One user's presence in a conversation, relayed live and never stored.
#[derive(Clone, Debug)]
pub struct Presence {
    pub conversation: ConversationId,
    /// The conversation's assignee, to decide who may see it.
    pub assignee: Option<UserId>,
    pub user: UserId,
    pub name: String,
    pub activity: PresenceActivity,
}

impl Hub {
    pub fn new(seq: u64) -> Hub {
        Hub {
            seq: watch::Sender::new(seq),
            pings: broadcast::Sender::new(256),
            clock: watch::Sender::new(0),
            presence: broadcast::Sender::new(256),
        }
    }

    /// The test clock moved: sockets send the new time.
    pub fn clock_moved(&self) {
        self.clock.send_modify(|n| *n += 1);
    }

    pub fn clock_watch(&self) -> watch::Receiver<u64> {
        self.clock.subscribe()
    }

    pub fn announce(&self, presence: Presence) {
        let _ = self.presence.send(presence);
    }

    pub fn presence_feed(&self) -> broadcast::Receiver<Presence> {
        self.presence.subscribe()
    }

    pub fn published(&self, seq: u64) {
        self.seq.send_if_modified(|cur| {
            let grew = seq > *cur;
            if grew {
                *cur = seq;
            }
            grew
        });
    }

    pub fn ping(&self, user: &UserId) {
        // No receiver simply means no socket is open.
        let _ = self.pings.send(user.clone());
    }

    pub fn subscribe(&self) -> (watch::Receiver<u64>, broadcast::Receiver<UserId>) {
        (self.seq.subscribe(), self.pings.subscribe())
    }
}
