//! Service-level targets: how long the team may take to answer. A conversation awaiting
//! the team shows a clock icon: grey while time is ample, orange in the last quarter of
//! the target, red once breached (with how long overdue).

use serde::{Deserialize, Serialize};

use crate::model::{Status, Timestamp};

/// Workspace targets, in minutes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaTargets {
    /// For the first reply of a conversation.
    pub first_response_minutes: i64,
    /// For every later reply.
    pub next_response_minutes: i64,
}

impl Default for SlaTargets {
    fn default() -> Self {
        SlaTargets { first_response_minutes: 15, next_response_minutes: 60 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "level", rename_all = "snake_case")]
pub enum SlaState {
    /// Grey: more than a quarter of the target left.
    Ample { due_at: Timestamp },
    /// Orange: in the last quarter of the target.
    Near { due_at: Timestamp },
    /// Red: the target passed `overdue_ms` ago.
    Breached { overdue_ms: i64 },
}

/// The SLA clock of a conversation at `now`, or `None` when it does not await the team
/// (closed, pending, snoozed, or answered since the contact last wrote).
pub fn sla_state(
    targets: SlaTargets,
    status: Status,
    awaiting_since: Option<Timestamp>,
    replied_before: bool,
    now: Timestamp,
) -> Option<SlaState> {
    if status != Status::New {
        return None;
    }
    let since = awaiting_since?;
    let minutes = if replied_before { targets.next_response_minutes } else { targets.first_response_minutes };
    let target_ms = minutes * 60_000;
    let due_at = Timestamp(since.0 + target_ms);
    let left = due_at.0 - now.0;
    Some(if left < 0 {
        SlaState::Breached { overdue_ms: -left }
    } else if left * 4 <= target_ms {
        SlaState::Near { due_at }
    } else {
        SlaState::Ample { due_at }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn check(status: Status, since_min: Option<i64>, replied: bool, now_min: i64, expected: Option<&str>) {
        let targets = SlaTargets { first_response_minutes: 20, next_response_minutes: 60 };
        let got = sla_state(targets, status, since_min.map(|m| Timestamp(m * MIN)), replied, Timestamp(now_min * MIN));
        let level = got.map(|s| match s {
            SlaState::Ample { .. } => "grey",
            SlaState::Near { .. } => "orange",
            SlaState::Breached { .. } => "red",
        });
        assert_eq!(level, expected, "{status:?} since={since_min:?} replied={replied} now={now_min}: {got:?}");
    }

    #[test]
    fn levels() {
        use Status::*;
        #[rustfmt::skip]
        let rows: &[(Status, Option<i64>, bool, i64, Option<&str>)] = &[
            // first response: 20 min target, orange from 15 min
            (New, Some(0), false, 0, Some("grey")), (New, Some(0), false, 14, Some("grey")),
            (New, Some(0), false, 15, Some("orange")), (New, Some(0), false, 20, Some("orange")),
            (New, Some(0), false, 21, Some("red")),
            // next response: 60 min target, orange from 45 min
            (New, Some(0), true, 44, Some("grey")), (New, Some(0), true, 45, Some("orange")),
            (New, Some(0), true, 61, Some("red")),
            // not awaiting the team
            (New, None, false, 100, None), (Pending, Some(0), false, 100, None),
            (Snoozed, Some(0), false, 100, None), (Closed, Some(0), false, 100, None),
        ];
        for &(status, since, replied, now, expected) in rows {
            check(status, since, replied, now, expected);
        }
    }

    #[test]
    fn breach_reports_how_late() {
        let s = sla_state(SlaTargets::default(), Status::New, Some(Timestamp(0)), false, Timestamp(20 * MIN));
        assert_eq!(s, Some(SlaState::Breached { overdue_ms: 5 * MIN }));
    }
}
