//! Work done once (issue 13, item 3): of several instances on one database, the one whose
//! connection holds the session-level advisory lock [`SCHEDULER_LOCK`] runs the scheduled
//! jobs (snooze wake-ups, orphan uploads, the session purge); the others only try to take
//! the lock on each tick. The lock belongs to the leader's session, so when the leader dies
//! (process killed, connection lost) PostgreSQL frees it and another instance takes over at
//! its next tick.
//!
//! One lock for all jobs, held across ticks, rather than a `pg_try_advisory_xact_lock` per
//! job: every write transaction already queues on [`super::WRITE_LOCK`] before anything
//! else, so a per-job lock taken inside it would be free every time and save no work; and
//! the session purge is not a write transaction. (Correctness does not rest on this lock:
//! a job run twice finds nothing left, each run being serialised by the write lock and
//! reading what the other committed. The lock saves every instance doing every job.)

use std::sync::{Arc, Mutex};

use super::conn::{PgConn, params};

/// The advisory lock the instance running the scheduled jobs holds.
pub const SCHEDULER_LOCK: i64 = super::WRITE_LOCK + 1;

/// This instance's claim to the scheduled jobs: a connection of its own and whether its
/// session holds the lock. Dropping it closes the connection, which frees the lock.
pub struct Leader {
    url: Arc<str>,
    slot: Arc<Mutex<Option<(PgConn, bool)>>>,
}

impl Leader {
    pub fn new(url: Arc<str>) -> Leader {
        Leader { url, slot: Arc::default() }
    }

    /// Whether this instance runs the jobs now: takes the lock if it is free, and checks
    /// that the session holding it is still there (a dead connection has lost it).
    pub async fn leads(&self) -> bool {
        let (url, slot) = (self.url.clone(), self.slot.clone());
        tokio::task::spawn_blocking(move || {
            let mut slot = slot.lock().unwrap_or_else(|p| p.into_inner());
            let before = slot.as_ref().is_some_and(|(_, leads)| *leads);
            let now = check(&url, &mut slot);
            if now != before {
                if now {
                    tracing::info!("this instance runs the scheduled jobs");
                } else {
                    tracing::warn!("this instance lost the scheduled jobs (its connection is gone)");
                }
            }
            now
        })
        .await
        .unwrap_or(false)
    }
}

fn check(url: &str, slot: &mut Option<(PgConn, bool)>) -> bool {
    if slot.is_none() {
        // The server probes this session's TCP connection: if the machine holding the
        // lock vanishes without closing it, the session (and the lock) ends in ~15 s, not
        // after the system's 2-hour keepalive default.
        let keepalive = "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 4";
        match PgConn::connect(url).and_then(|conn| conn.batch(keepalive).map(|()| conn)) {
            Ok(conn) => *slot = Some((conn, false)),
            Err(e) => {
                tracing::warn!(error = %e, "the scheduler cannot reach PostgreSQL");
                return false;
            }
        }
    }
    let (conn, leads) = slot.as_mut().expect("connected above");
    // Held: a round trip proves the session (and so the lock) is still there.
    let answer = if *leads {
        conn.query_row("SELECT true", params![], |r| r.get::<_, bool>(0))
    } else {
        conn.query_row("SELECT pg_try_advisory_lock(?1)", params![SCHEDULER_LOCK], |r| r.get(0))
    };
    match answer {
        Ok(held) => {
            *leads = held;
            held
        }
        Err(e) => {
            tracing::warn!(error = %e, "the scheduler's connection failed");
            *slot = None;
            false
        }
    }
}
