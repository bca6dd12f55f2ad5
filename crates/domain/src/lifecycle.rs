//! A conversation's queue state and how agents move it: pending, snooze (the boomerang),
//! close with a note and reason, reopen — and the scheduler's wake-up.

use serde::{Deserialize, Serialize};

use crate::ids::ClosingReasonId;
use crate::model::{Status, Timestamp};
use crate::wire::ClosingReason;

/// What an agent asks for (`POST /conversations/{id}/lifecycle`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Transition {
    /// Waiting on the contact; their next message returns it to new.
    Pending,
    /// Out of the queue until `until`, then back to new with `note` as a reminder.
    Snooze {
        until: Timestamp,
        #[serde(default)]
        note: Option<String>,
    },
    /// Resolved, with an optional closing note and reason.
    Close {
        #[serde(default)]
        note: Option<String>,
        #[serde(default)]
        reason: Option<String>,
    },
    /// Back to new: a closed conversation reopened, or a pending/snoozed one taken back.
    Reopen,
}

/// Why a transition is refused; the server answers 409 with this text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LifecycleError {
    Already(Status),
    SnoozeInThePast,
    NotClosedOrWaiting,
    TooLong(&'static str),
}

impl std::fmt::Display for LifecycleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LifecycleError::Already(s) => write!(f, "the conversation is already {}", s.as_str()),
            LifecycleError::SnoozeInThePast => f.write_str("choose a snooze time in the future"),
            LifecycleError::NotClosedOrWaiting => {
                f.write_str("only a closed, pending or snoozed conversation can be reopened")
            }
            LifecycleError::TooLong(what) => write!(f, "the {what} is longer than {MAX_NOTE_CHARS} characters"),
        }
    }
}

impl std::error::Error for LifecycleError {}

/// Longest closing note, snooze note or reason, in characters.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// The status after `t`, or why it cannot happen now.
pub fn transition(status: Status, t: &Transition, now: Timestamp) -> Result<Status, LifecycleError> {
    let check_len = |s: &Option<String>, what| match s {
        Some(s) if s.chars().count() > MAX_NOTE_CHARS => Err(LifecycleError::TooLong(what)),
        _ => Ok(()),
    };
    match t {
        Transition::Pending if status == Status::Pending => Err(LifecycleError::Already(status)),
        Transition::Pending if status == Status::Closed => Err(LifecycleError::Already(status)),
        Transition::Pending => Ok(Status::Pending),
        Transition::Snooze { until, note } => {
            check_len(note, "snooze note")?;
            if status == Status::Closed {
                Err(LifecycleError::Already(status))
            } else if *until <= now {
                Err(LifecycleError::SnoozeInThePast)
            } else {
                Ok(Status::Snoozed)
            }
        }
        Transition::Close { note, reason } => {
            check_len(note, "closing note")?;
            check_len(reason, "reason")?;
            if status == Status::Closed { Err(LifecycleError::Already(status)) } else { Ok(Status::Closed) }
        }
        Transition::Reopen if status == Status::New => Err(LifecycleError::NotClosedOrWaiting),
        Transition::Reopen => Ok(Status::New),
    }
}

/// Longest closing reason, in characters.
pub const MAX_REASON_CHARS: usize = 80;

/// Why a closing reason was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReasonError {
    Empty,
    TooLong,
    /// The name of the reason it repeats (ignoring case).
    Taken(String),
}

impl std::fmt::Display for ReasonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReasonError::Empty => f.write_str("the closing reason must not be empty"),
            ReasonError::TooLong => write!(f, "the closing reason must be at most {MAX_REASON_CHARS} characters"),
            ReasonError::Taken(name) => write!(f, "the closing reason \"{name}\" already exists"),
        }
    }
}

impl std::error::Error for ReasonError {}

/// A closing reason's name as a manager typed it, checked against the list: trimmed,
/// not empty, at most [`MAX_REASON_CHARS`], unique ignoring case (`renaming` is the reason
/// being renamed, which may keep its own name in another case).
pub fn check_reason(
    name: &str,
    list: &[ClosingReason],
    renaming: Option<&ClosingReasonId>,
) -> Result<String, ReasonError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ReasonError::Empty);
    }
    if name.chars().count() > MAX_REASON_CHARS {
        return Err(ReasonError::TooLong);
    }
    match list.iter().find(|r| Some(&r.id) != renaming && same_reason(&r.name, name)) {
        Some(r) => Err(ReasonError::Taken(r.name.clone())),
        None => Ok(name.to_owned()),
    }
}

/// The listed reason an agent's `given` reason names (trimmed, ignoring case): a close
/// records the list's own spelling; a reason not in the list is refused by the caller.
pub fn listed_reason<'a>(list: &'a [ClosingReason], given: &str) -> Option<&'a ClosingReason> {
    list.iter().find(|r| same_reason(&r.name, given.trim()))
}

fn same_reason(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// Whether the scheduler wakes a snoozed conversation at `now`.
pub fn due_to_wake(status: Status, snoozed_until: Option<Timestamp>, now: Timestamp) -> bool {
    status == Status::Snoozed && snoozed_until.is_some_and(|u| u <= now)
}

/// Why a closed conversation was closed: the reason of the latest close (by hand or by
/// bulk resolve) in its audit trail, if that close gave one. A later reopen forgets it.
pub fn closing_reason(status: Status, activities: &[crate::wire::Activity]) -> Option<String> {
    use crate::wire::ActivityKind::{BulkResolved, Closed, Reopened};
    if status != Status::Closed {
        return None;
    }
    let last = activities
        .iter()
        .filter(|a| matches!(a.kind, Closed { .. } | BulkResolved { .. } | Reopened))
        .max_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)))?;
    match &last.kind {
        Closed { reason, .. } | BulkResolved { reason, .. } => reason.clone(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn the_closing_reason_is_the_last_close_since_the_last_reopen() {
        use crate::wire::{Activity, ActivityKind, Actor};
        let line = |id: &str, at: i64, kind: ActivityKind| Activity {
            id: id.into(),
            conversation: "cv".into(),
            actor: Actor { id: None, name: "Ana".into() },
            at: Timestamp(at),
            kind,
        };
        let closed = |r: Option<&str>| ActivityKind::Closed { note: Some("n".into()), reason: r.map(Into::into) };
        let bulk = ActivityKind::BulkResolved { reason: Some("stale".into()), older_than_days: 3 };
        #[rustfmt::skip]
        let rows: Vec<(Status, Vec<Activity>, Option<&str>)> = vec![
            (Closed, vec![line("a1", 1, closed(Some("spam")))], Some("spam")),
            (Closed, vec![line("a1", 1, closed(Some("spam"))), line("a2", 2, ActivityKind::Reopened),
                          line("a3", 3, closed(None))], None),
            (Closed, vec![line("a3", 3, bulk.clone()), line("a1", 1, closed(Some("spam")))], Some("stale")),
            (Closed, vec![line("a1", 1, ActivityKind::Opened)], None),
            (New, vec![line("a1", 1, closed(Some("spam"))), line("a2", 2, ActivityKind::Reopened)], None),
        ];
        for (status, activities, expected) in rows {
            assert_eq!(closing_reason(status, &activities).as_deref(), expected, "{status:?} {activities:?}");
        }
    }

    fn check(from: Status, t: Transition, expected: Result<Status, LifecycleError>) {
        assert_eq!(transition(from, &t, Timestamp(1_000)), expected, "{from:?} --{t:?}-->");
    }

    #[test]
    fn transitions() {
        let snooze = |until| Transition::Snooze { until: Timestamp(until), note: None };
        let close = Transition::Close { note: Some("done".into()), reason: None };
        #[rustfmt::skip]
        let rows: Vec<(Status, Transition, Result<Status, LifecycleError>)> = vec![
            (New, Transition::Pending, Ok(Pending)),
            (Snoozed, Transition::Pending, Ok(Pending)),
            (Pending, Transition::Pending, Err(LifecycleError::Already(Pending))),
            (Closed, Transition::Pending, Err(LifecycleError::Already(Closed))),
            (New, snooze(2_000), Ok(Snoozed)),
            (Pending, snooze(2_000), Ok(Snoozed)),
            (Snoozed, snooze(5_000), Ok(Snoozed)),
            (New, snooze(1_000), Err(LifecycleError::SnoozeInThePast)),
            (Closed, snooze(2_000), Err(LifecycleError::Already(Closed))),
            (New, close.clone(), Ok(Closed)),
            (Snoozed, close.clone(), Ok(Closed)),
            (Closed, close, Err(LifecycleError::Already(Closed))),
            (Closed, Transition::Reopen, Ok(New)),
            (Pending, Transition::Reopen, Ok(New)),
            (Snoozed, Transition::Reopen, Ok(New)),
            (New, Transition::Reopen, Err(LifecycleError::NotClosedOrWaiting)),
            (New, Transition::Close { note: Some("x".repeat(MAX_NOTE_CHARS + 1)), reason: None }, Err(LifecycleError::TooLong("closing note"))),
        ];
        for (from, t, expected) in rows {
            check(from, t, expected);
        }
    }

    #[test]
    fn wake() {
        let rows = [
            (Snoozed, Some(1_000), 1_000, true),
            (Snoozed, Some(1_001), 1_000, false),
            (Snoozed, None, 1_000, false),
            (New, Some(0), 1_000, false),
            (Closed, Some(0), 1_000, false),
        ];
        for (status, until, now, expected) in rows {
            assert_eq!(
                due_to_wake(status, until.map(Timestamp), Timestamp(now)),
                expected,
                "{status:?} {until:?} {now}"
            );
        }
    }

    #[test]
    fn transitions_are_tagged_on_the_wire() {
        let t: Transition = serde_json::from_str(r#"{"action":"close","reason":"spam"}"#).unwrap();
        assert_eq!(t, Transition::Close { note: None, reason: Some("spam".into()) });
        assert!(serde_json::from_str::<Transition>(r#"{"action":"explode"}"#).is_err());
    }

    #[test]
    fn closing_reason_names_are_checked_and_matched() {
        let r = |id: &str, name: &str| ClosingReason { id: ClosingReasonId(id.into()), name: name.into() };
        let list = [r("r1", "Resolved"), r("r2", "Spam")];
        let id = |s: &str| ClosingReasonId(s.into());
        let (longest, too_long) = ("é".repeat(MAX_REASON_CHARS), "é".repeat(MAX_REASON_CHARS + 1));
        let rows: &[(&str, Option<ClosingReasonId>, Result<&str, ReasonError>)] = &[
            ("  Refund issued ", None, Ok("Refund issued")),
            ("", None, Err(ReasonError::Empty)),
            ("   ", None, Err(ReasonError::Empty)),
            (longest.as_str(), None, Ok(longest.as_str())),
            (too_long.as_str(), None, Err(ReasonError::TooLong)),
            ("spam", None, Err(ReasonError::Taken("Spam".into()))),
            (" RÉSOLU ", None, Ok("RÉSOLU")),
            ("SPAM", Some(id("r2")), Ok("SPAM")),
            ("spam", Some(id("r1")), Err(ReasonError::Taken("Spam".into()))),
        ];
        for (name, renaming, want) in rows {
            let got = check_reason(name, &list, renaming.as_ref());
            assert_eq!(got.as_deref().map_err(Clone::clone), want.clone(), "{name:?} {renaming:?}");
        }
        let found = |given: &str| listed_reason(&list, given).map(|r| r.name.as_str());
        assert_eq!(found(" SPAM "), Some("Spam"));
        assert_eq!(found("resolved"), Some("Resolved"));
        assert_eq!(found("stale"), None);
        let unicode = [r("r3", "Résolu")];
        assert_eq!(listed_reason(&unicode, "RÉSOLU").map(|r| r.id.clone()), Some(id("r3")));
    }
}
