//! Work the server does by itself: waking snoozed conversations when their time comes,
//! running the "no reply for N minutes" rules, and removing uploads that no message took within a day. Driven by the database
//! (`snoozed_until`, `created_at`), so a restart loses nothing. With several instances on
//! PostgreSQL, only the one holding the scheduler's advisory lock does the database's jobs
//! ([`crate::storage::pg::leader`]); each still forgets its own idle throttle keys.

use std::time::Duration;

use crate::{AppState, auth, ops};

/// How often due snoozes are looked for; a wake-up is at most this late.
const TICK: Duration = Duration::from_millis(500);
/// An upload that no message took after this long is removed.
pub const ORPHAN_AFTER_MS: i64 = 24 * 3_600_000;

/// Ticks between two purges of ended sessions and idle sign-in throttle keys (a minute).
const PURGE_EVERY: u32 = 120;

pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut ticks = 0u32;
    // Dropped with this task: a stopped instance's session ends and frees the lock.
    let leader = state.db.leader();
    loop {
        tick.tick().await;
        let now = state.now();
        let purge_due = ticks % PURGE_EVERY == 0;
        ticks = ticks.wrapping_add(1);
        if purge_due {
            // In this process's memory: every instance forgets its own.
            state.sign_ins.forget_idle();
            state.sso_failures.forget_idle();
        }
        if let Some(leader) = &leader
            && !leader.leads().await
        {
            continue;
        }
        if purge_due {
            purge(&state, now).await;
        }
        // The database wakes the sockets at commit.
        if let Err(e) = state.db.write(move |tx| ops::wake_due(tx, now)).await {
            tracing::error!(error = %e, "waking snoozed conversations failed");
        }
        // "No reply for N minutes" rules, once per conversation and rule.
        if let Err(e) = state.db.write(move |tx| ops::run_no_reply(tx, now)).await {
            tracing::error!(error = %e, "running the no-reply rules failed");
        }
        let cutoff = now - ORPHAN_AFTER_MS;
        match state.db.write(move |tx| tx.forget_orphan_uploads(cutoff)).await {
            Ok(ids) => {
                for id in ids {
                    let _ = tokio::fs::remove_file(state.files.join(id.as_str())).await;
                    tracing::info!(attachment = %id, "removed an upload no message took");
                }
            }
            Err(e) => tracing::error!(error = %e, "removing orphan uploads failed"),
        }
    }
}

/// Sessions past their idle or absolute lifetime are deleted (they could no longer sign
/// anyone in).
async fn purge(state: &AppState, now: i64) {
    let (idle, created) = (now - auth::SESSION_IDLE_MS, now - auth::SESSION_LIFETIME_MS);
    match state.db.call(move |conn| conn.purge_sessions(idle, created)).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(sessions = n, "purged ended sessions"),
        Err(e) => tracing::error!(error = %e, "purging sessions failed"),
    }
}
