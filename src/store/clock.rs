//! The current time as a signal, so that relative times ("5 min") and SLA clocks age on
//! screen without each component running its own timer. It is the server's time (the
//! browser's plus the offset from the last `clock` frame): SLA deadlines and snooze
//! times are the server's, and a browser clock off by minutes would misplace them.

use std::time::Duration;

use leptos::prelude::*;

use super::use_session;
use crate::format::now_millis;

/// How often the clock ticks: relative times show minutes at best.
const TICK: Duration = Duration::from_secs(30);

#[derive(Clone, Copy)]
struct Clock(Signal<i64>);

/// Starts a clock for this part of the tree (stopped when it unmounts).
///
/// ```text
/// let now = provide_clock();
/// view! { <ConversationList now … /> }
/// ```
pub fn provide_clock() -> Signal<i64> {
    let tick = Trigger::new();
    if let Ok(handle) = set_interval_with_handle(move || tick.notify(), TICK) {
        on_cleanup(move || handle.clear());
    }
    let offset = use_session().clock_offset();
    // Reads the time when something changed (a tick or a new offset), so that a new
    // server clock is applied to the time now, not to the time of the last tick.
    let signal = Memo::new(move |_| {
        tick.track();
        now_millis() + offset.get()
    })
    .into();
    provide_context(Clock(signal));
    signal
}

/// The clock provided above, or a fixed "now" outside one.
///
/// ```text
/// let now = use_clock();
/// ```
pub fn use_clock() -> Signal<i64> {
    use_context::<Clock>().map_or_else(|| Signal::stored(now_millis()), |Clock(now)| now)
}
