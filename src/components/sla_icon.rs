//! The SLA clock of a list item: grey while time is ample, orange near the target, red
//! once breached. Colour is never the only signal: the accessible name says it in words.

use leptos::prelude::*;
use parley_domain::sla::SlaState;

use crate::format::minutes;

const MINUTE: i64 = 60_000;

/// The level (a CSS modifier) and the words, at `now`.
fn describe(t: &crate::i18n::Words, state: SlaState, now: i64) -> (&'static str, String) {
    // Time left rounds up (a 30-second remainder is not "0 min left"); overdue time
    // rounds down, but never to zero.
    let left = |due: i64| (due - now + MINUTE - 1).max(0) / MINUTE;
    match state {
        SlaState::Ample { due_at } => ("grey", (t.sla_left)(&minutes(left(due_at.millis())))),
        SlaState::Near { due_at } => ("orange", (t.sla_due_in)(&minutes(left(due_at.millis())))),
        SlaState::Breached { overdue_ms } => ("red", (t.sla_overdue)(&minutes((overdue_ms / MINUTE).max(1)))),
    }
}

/// Nothing when the conversation does not await the team.
#[component]
pub fn SlaIcon(#[prop(into)] state: Signal<Option<SlaState>>, #[prop(into)] now: Signal<i64>) -> impl IntoView {
    let t = crate::i18n::t();
    // Changes once a minute at most, whatever the clock's tick.
    let described = Memo::new(move |_| state.get().map(|s| describe(t, s, now.get())));
    move || {
        described.get().map(|(level, words)| {
            view! { <span class=format!("sla-icon sla-icon--{level}") role="img" aria-label=words.clone() title=words></span> }
        })
    }
}

#[cfg(test)]
mod tests {
    use parley_domain::Timestamp;

    use super::*;

    #[test]
    fn levels_read_in_words() {
        #[rustfmt::skip]
        let rows = [
            (SlaState::Ample { due_at: Timestamp(12 * MINUTE) }, 0, ("grey", "SLA: 12 min left")),
            (SlaState::Ample { due_at: Timestamp(12 * MINUTE) }, 30_000, ("grey", "SLA: 12 min left")),
            (SlaState::Near { due_at: Timestamp(3 * MINUTE) }, 0, ("orange", "SLA: due in 3 min")),
            (SlaState::Breached { overdue_ms: 5 * MINUTE + 20_000 }, 0, ("red", "SLA: overdue by 5 min")),
            (SlaState::Breached { overdue_ms: 1_000 }, 0, ("red", "SLA: overdue by 1 min")),
            (SlaState::Breached { overdue_ms: 65 * MINUTE }, 0, ("red", "SLA: overdue by 1 h 05 min")),
        ];
        for (state, now, (level, words)) in rows {
            assert_eq!(describe(crate::i18n::Locale::En.words(), state, now), (level, words.to_owned()), "{state:?}");
        }
    }
}
