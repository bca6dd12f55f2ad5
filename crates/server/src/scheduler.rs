//! Work the server does by itself: waking snoozed conversations when their time comes.
//! Driven by the database (`snoozed_until`), so a restart loses nothing.

use std::time::Duration;

use crate::{AppState, ops};

/// How often due snoozes are looked for; a wake-up is at most this late.
const TICK: Duration = Duration::from_millis(500);

pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = state.now();
        match state.db.write(move |tx| ops::wake_due(tx, now)).await {
            Ok(Some(seq)) => state.hub.published(seq),
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "waking snoozed conversations failed"),
        }
    }
}
