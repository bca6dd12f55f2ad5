//! The current time as a signal, so that relative times ("5 min") age on screen
//! without each component running its own timer.

use std::time::Duration;

use leptos::prelude::*;

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
    let now = RwSignal::new(now_millis());
    if let Ok(handle) = set_interval_with_handle(move || now.set(now_millis()), TICK) {
        on_cleanup(move || handle.clear());
    }
    let signal = now.into();
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
