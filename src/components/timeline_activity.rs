//! One line of the audit trail, as a sentence with who and when: "Aaron Diallo closed
//! the conversation. Reason: Spam. Note: customer gone".

use leptos::prelude::*;
use parley_domain::Timestamp;
use parley_domain::wire::{Activity, ActivityKind};

use super::close_dialog::reason_label;
use crate::format::{iso, message_time};
use crate::i18n::Words;

/// The sentence; `time` formats the snooze end (a parameter so that tests run natively).
fn sentence(t: &Words, a: &Activity, time: impl Fn(Timestamp) -> String) -> String {
    let mut parts = vec![(t.activity)(&a.kind, &a.actor.name, &time)];
    let non_empty = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let reason = |r: String| (t.labelled)(t.reason, reason_label(t, &r));
    match &a.kind {
        ActivityKind::Closed { note, reason: r } => {
            parts.extend(non_empty(r).map(reason));
            parts.extend(non_empty(note).map(|n| (t.labelled)(t.note, &n)));
        }
        ActivityKind::BulkResolved { reason: r, .. } => parts.extend(non_empty(r).map(reason)),
        ActivityKind::Snoozed { note, .. } => parts.extend(non_empty(note).map(|n| (t.labelled)(t.note, &n))),
        ActivityKind::Woken { note } => parts.extend(non_empty(note).map(|n| (t.labelled)(t.reminder, &n))),
        _ => {}
    }
    parts.join(". ")
}

#[component]
pub fn TimelineActivity(activity: Activity, #[prop(into)] now: Signal<i64>) -> impl IntoView {
    let at = activity.at;
    let t = crate::i18n::t();
    let text = move || sentence(t, &activity, |at| message_time(at, now.get()));
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
        assert_eq!(sentence(crate::i18n::Locale::En.words(), &a, |t| format!("T{}", t.millis())), expected);
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
            ("Max Martin", ActivityKind::AssignedTeam { team: "t-sales".into(), team_name: "Sales".into() },
                "Max Martin assigned the conversation to the team Sales"),
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
            ("Aaron Diallo", ActivityKind::TranscriptSent { to: "alice@example.com".into() },
                "Aaron Diallo sent the transcript to alice@example.com"),
            ("Aaron Diallo", ActivityKind::AiAssist { action: parley_domain::assist::AssistAction::Summarize },
                "Aaron Diallo used AI assist: Summarize the conversation"),
        ];
        for (actor, kind, expected) in rows {
            check(actor, kind, expected);
        }
    }
}
