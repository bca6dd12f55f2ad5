//! One line of the audit trail, as a sentence with who and when: "Aaron Diallo closed
//! the conversation. Reason: Spam. Note: customer gone".

use leptos::prelude::*;
use parley_domain::call::CallState;
use parley_domain::wire::{Activity, ActivityKind};
use parley_domain::{Direction, Timestamp};

use super::close_dialog::reason_label;
use crate::format::{clock_duration, iso, message_time};

/// The sentence; `time` formats the snooze end (a parameter so that tests run natively).
fn sentence(a: &Activity, time: impl Fn(Timestamp) -> String) -> String {
    let who = &a.actor.name;
    let mut parts = vec![match &a.kind {
        ActivityKind::Opened => "Conversation opened".to_owned(),
        ActivityKind::Closed { .. } => format!("{who} closed the conversation"),
        ActivityKind::Reopened => format!("{who} reopened the conversation"),
        ActivityKind::Assigned { assignee_name, .. } => format!("{who} assigned the conversation to {assignee_name}"),
        ActivityKind::Unassigned => format!("{who} unassigned the conversation"),
        ActivityKind::Pending => format!("{who} marked the conversation pending"),
        ActivityKind::Snoozed { until, .. } => format!("{who} snoozed the conversation until {}", time(*until)),
        ActivityKind::Woken { .. } => format!("{who} woke the conversation"),
        ActivityKind::BulkResolved { older_than_days, .. } => {
            format!("{who} closed the conversation in a bulk resolve (quiet for over {older_than_days} days)")
        }
        ActivityKind::Call { state, direction, duration_ms, .. } => {
            let call = if *direction == Direction::Incoming { "Incoming call" } else { "Outgoing call" };
            match state {
                CallState::Ongoing if *direction == Direction::Incoming => format!("{call} answered by {who}"),
                CallState::Ongoing => format!("{call} placed by {who}"),
                CallState::Ended => format!("{call} ended ({})", clock_duration(duration_ms.unwrap_or(0))),
                CallState::Declined => format!("{call} declined by {who}"),
                CallState::Missed => format!("Missed call from {who}"),
                CallState::Ringing => format!("{call} ringing"),
            }
        }
    }];
    let non_empty = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    match &a.kind {
        ActivityKind::Closed { note, reason } => {
            if let Some(reason) = non_empty(reason) {
                parts.push(format!("Reason: {}", reason_label(&reason)));
            }
            if let Some(note) = non_empty(note) {
                parts.push(format!("Note: {note}"));
            }
        }
        ActivityKind::BulkResolved { reason, .. } => {
            parts.extend(non_empty(reason).map(|r| format!("Reason: {}", reason_label(&r))));
        }
        ActivityKind::Snoozed { note, .. } => parts.extend(non_empty(note).map(|n| format!("Note: {n}"))),
        ActivityKind::Woken { note } => parts.extend(non_empty(note).map(|n| format!("Reminder: {n}"))),
        _ => {}
    }
    parts.join(". ")
}

#[component]
pub fn TimelineActivity(activity: Activity, #[prop(into)] now: Signal<i64>) -> impl IntoView {
    let at = activity.at;
    let text = move || sentence(&activity, |t| message_time(t, now.get()));
    view! {
        <li class="activity">
            <span class="activity__text">{text}</span>
            <time class="activity__time" datetime=iso(at)>
                {move || message_time(at, now.get())}
            </time>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use parley_domain::wire::Actor;

    use super::*;

    fn check(actor: &str, kind: ActivityKind, expected: &str) {
        let a = Activity {
            id: "a1".into(),
            conversation: "c1".into(),
            actor: Actor { id: None, name: actor.into() },
            at: Timestamp(0),
            kind,
        };
        assert_eq!(sentence(&a, |t| format!("T{}", t.millis())), expected);
    }

    #[test]
    fn activities_read_as_sentences() {
        let s = |v: &str| Some(v.to_owned());
        #[rustfmt::skip]
        let rows = [
            ("Aaron Diallo", ActivityKind::Closed { note: s("customer gone"), reason: s("spam") },
                "Aaron Diallo closed the conversation. Reason: Spam. Note: customer gone"),
            ("Aaron Diallo", ActivityKind::Closed { note: s("  "), reason: None }, "Aaron Diallo closed the conversation"),
            ("Max Martin", ActivityKind::Assigned { assignee: "u-lea".into(), assignee_name: "Léa Moreau".into() },
                "Max Martin assigned the conversation to Léa Moreau"),
            ("Aaron Diallo", ActivityKind::Unassigned, "Aaron Diallo unassigned the conversation"),
            ("Aaron Diallo", ActivityKind::Pending, "Aaron Diallo marked the conversation pending"),
            ("Aaron Diallo", ActivityKind::Snoozed { until: Timestamp(5), note: s("call back") },
                "Aaron Diallo snoozed the conversation until T5. Note: call back"),
            ("Parley", ActivityKind::Woken { note: s("call back") }, "Parley woke the conversation. Reminder: call back"),
            ("Parley", ActivityKind::Opened, "Conversation opened"),
            ("Aaron Diallo", ActivityKind::Reopened, "Aaron Diallo reopened the conversation"),
            ("Max Martin", ActivityKind::BulkResolved { reason: s("resolved"), older_than_days: 30 },
                "Max Martin closed the conversation in a bulk resolve (quiet for over 30 days). Reason: Resolved"),
            ("Aaron Diallo", ActivityKind::Closed { note: None, reason: s("Moved abroad") },
                "Aaron Diallo closed the conversation. Reason: Moved abroad"),
        ];
        for (actor, kind, expected) in rows {
            check(actor, kind, expected);
        }
    }
}
