//! Calls: the states a call moves through, who may move it, and how a phone number is
//! shown when the workspace masks numbers.
//!
//! A call belongs to a contact, like a conversation, so the same visibility rule decides
//! who sees it (the contact's assignee). Only users with the `calls` permission handle
//! calls at all.

use serde::{Deserialize, Serialize};

use crate::ids::{CallId, ChannelId, ContactId, TeamId, UserId};
use crate::model::{Assignee, ChannelKind, Direction, Timestamp};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CallState {
    Ringing,
    Ongoing,
    /// Answered, then hung up by either side.
    Ended,
    /// Rang until the caller gave up, nobody answered.
    Missed,
    Declined,
}

crate::names::wire_names!(CallState { Ringing = "ringing", Ongoing = "ongoing", Ended = "ended", Missed = "missed", Declined = "declined" });

impl CallState {
    pub const fn label(self) -> &'static str {
        match self {
            CallState::Ringing => "Ringing",
            CallState::Ongoing => "Ongoing",
            CallState::Ended => "Completed",
            CallState::Missed => "Missed",
            CallState::Declined => "Declined",
        }
    }

    pub const fn is_live(self) -> bool {
        matches!(self, CallState::Ringing | CallState::Ongoing)
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    pub id: CallId,
    pub contact: ContactId,
    pub contact_name: String,
    /// The contact's assignee when the call last changed (decides who sees it).
    #[serde(default)]
    pub assignee: Option<UserId>,
    /// The contact's team when no user is assigned (issue 14, item 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_team: Option<TeamId>,
    pub channel: ChannelId,
    pub channel_kind: ChannelKind,
    pub direction: Direction,
    pub state: CallState,
    /// Who answered or placed it.
    #[serde(default)]
    pub agent: Option<UserId>,
    /// The number as this workspace shows it (masked when numbers are masked).
    #[serde(default)]
    pub phone: Option<String>,
    pub started_at: Timestamp,
    #[serde(default)]
    pub answered_at: Option<Timestamp>,
    #[serde(default)]
    pub ended_at: Option<Timestamp>,
    #[serde(default)]
    pub recording: bool,
}

impl Call {
    /// Who the contact is assigned to: a user, a team or nobody (decides who sees the call).
    pub fn assigned(&self) -> Option<Assignee> {
        Assignee::of(self.assignee.as_ref(), self.assigned_team.as_ref())
    }

    /// Talking time: from answer to end (or to `now` while ongoing).
    pub fn duration_ms(&self, now: Timestamp) -> i64 {
        match self.answered_at {
            Some(a) => (self.ended_at.unwrap_or(now).0 - a.0).max(0),
            None => 0,
        }
    }
}

/// What someone does to a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallAction {
    Accept,
    Decline,
    /// The agent hangs up.
    End,
    Record,
    StopRecording,
    /// The contact hangs up (or gives up while it rings).
    Hangup,
}

crate::names::wire_names!(CallAction { Accept = "accept", Decline = "decline", End = "end", Record = "record", StopRecording = "stop_recording", Hangup = "hangup" });

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallError {
    /// Someone else already answered, declined, or it ended.
    NotRinging,
    NotOngoing,
    /// Only the agent on the call records or ends it.
    NotYourCall,
}

impl CallError {
    pub const fn message(self) -> &'static str {
        match self {
            CallError::NotRinging => "this call is no longer ringing (someone answered it, or the caller hung up)",
            CallError::NotOngoing => "this call is not in progress",
            CallError::NotYourCall => "only the agent on the call can do that",
        }
    }
}

/// The call after `action` by `by` (None: the contact's side) at `now`.
pub fn apply(call: &Call, action: CallAction, by: Option<&UserId>, now: Timestamp) -> Result<Call, CallError> {
    let mut next = call.clone();
    let mine = by.is_some() && call.agent.as_ref() == by;
    match (action, call.state) {
        (CallAction::Accept, CallState::Ringing) => {
            next.state = CallState::Ongoing;
            next.agent = by.cloned();
            next.answered_at = Some(now);
        }
        (CallAction::Decline, CallState::Ringing) => {
            next.state = CallState::Declined;
            next.agent = by.cloned();
            next.ended_at = Some(now);
        }
        (CallAction::Accept | CallAction::Decline, _) => return Err(CallError::NotRinging),
        (CallAction::Hangup, CallState::Ringing) => {
            next.state = CallState::Missed;
            next.ended_at = Some(now);
        }
        (CallAction::Hangup, CallState::Ongoing) => {
            next.state = CallState::Ended;
            next.recording = false;
            next.ended_at = Some(now);
        }
        (_, s) if s != CallState::Ongoing => return Err(CallError::NotOngoing),
        _ if !mine => return Err(CallError::NotYourCall),
        (CallAction::End, _) => {
            next.state = CallState::Ended;
            next.recording = false;
            next.ended_at = Some(now);
        }
        (CallAction::Record, _) => next.recording = true,
        (CallAction::StopRecording, _) => next.recording = false,
        (CallAction::Hangup, _) => unreachable!("matched above"),
    }
    Ok(next)
}

/// Puts a changed call into a newest-first list: replaced in place when known, otherwise
/// in front (only if `keep`, e.g. "still ringing" for the incoming-calls panel, so a call
/// answered elsewhere leaves it).
pub fn upsert(calls: &mut Vec<Call>, call: &Call, keep: bool) {
    match calls.iter().position(|c| c.id == call.id) {
        Some(i) if keep => calls[i] = call.clone(),
        Some(i) => {
            calls.remove(i);
        }
        None if keep => calls.insert(0, call.clone()),
        None => {}
    }
}

/// Which calls the incoming-calls panel shows under each tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CallTab {
    All,
    Mine,
    Unassigned,
}

impl CallTab {
    pub const fn label(self) -> &'static str {
        match self {
            CallTab::All => "All",
            CallTab::Mine => "Assigned to me",
            CallTab::Unassigned => "Unassigned",
        }
    }

    /// The tabs a user gets: an agent who sees only their own contacts has just "Assigned to me".
    pub fn for_user(user: &crate::model::User) -> &'static [CallTab] {
        if user.effective_restriction() == crate::model::Restriction::SelfOnly {
            &[CallTab::Mine]
        } else {
            &[CallTab::All, CallTab::Mine, CallTab::Unassigned]
        }
    }

    /// Whether a ringing call belongs under this tab for `me`.
    pub fn holds(self, call: &Call, me: &UserId) -> bool {
        match self {
            CallTab::All => true,
            CallTab::Mine => call.assignee.as_ref() == Some(me),
            CallTab::Unassigned => call.assigned().is_none(),
        }
    }
}

impl ChannelKind {
    /// Channels whose API carries voice calls.
    pub const fn supports_calls(self) -> bool {
        matches!(self, ChannelKind::Whatsapp | ChannelKind::Messenger | ChannelKind::Telegram | ChannelKind::Viber)
    }
}

/// ITU-T E.164 country codes of two digits; `1` and `7` are the one-digit codes and
/// every other code is three digits long (the numbering plan is zoned this way).
const TWO_DIGIT_CODES: [u8; 44] = [
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60, 61, 62,
    63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
];

/// Shows an E.164 number with everything but the country code, the first digit and the
/// last two digits hidden: `+33612345642` → `+33 6•• ••• •42`. Agents can still tell
/// two callers apart and recognise a callback, without reading the number out.
pub fn mask_phone(number: &str) -> String {
    // Stored numbers may carry display spacing ("+33 6 51 29 60 93").
    let e164: String = number.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')')).collect();
    let Some(digits) = e164.strip_prefix('+').filter(|d| d.len() > 4 && d.bytes().all(|b| b.is_ascii_digit())) else {
        return "•".repeat(e164.chars().count().min(12));
    };
    let code_len = match digits.as_bytes()[0] {
        b'1' | b'7' => 1,
        _ if TWO_DIGIT_CODES.contains(&digits[..2].parse::<u8>().unwrap_or(0)) => 2,
        _ => 3,
    };
    let (code, national) = digits.split_at(code_len);
    let n = national.len();
    let shown: String = national.chars().enumerate().map(|(i, c)| if i == 0 || i + 2 >= n { c } else { '•' }).collect();
    // Groups of three from the second digit: "6 •• ••• •42" reads as "6•• ••• •42".
    let (first, rest) = shown.split_at(1);
    let mut out = format!("+{code} {first}");
    let head = rest.chars().count() % 3;
    for (i, c) in rest.chars().enumerate() {
        if i > 0 && i >= head && (i - head).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ringing() -> Call {
        Call {
            id: CallId::new("call-1"),
            contact: ContactId::new("k-1"),
            contact_name: "Alice".into(),
            assignee: None,
            assigned_team: None,
            channel: ChannelId::new("ch-whatsapp"),
            channel_kind: ChannelKind::Whatsapp,
            direction: Direction::Incoming,
            state: CallState::Ringing,
            agent: None,
            phone: None,
            started_at: Timestamp(1_000),
            answered_at: None,
            ended_at: None,
            recording: false,
        }
    }

    fn in_state(state: CallState, agent: Option<&str>) -> Call {
        Call { state, agent: agent.map(UserId::from), answered_at: Some(Timestamp(2_000)), ..ringing() }
    }

    #[test]
    fn transitions() {
        use CallAction::*;
        use CallState::*;
        let a = UserId::from("u-a");
        let b = UserId::from("u-b");
        // (state, agent on call, action, by, expected state or error)
        type Row<'a> = (CallState, Option<&'a str>, CallAction, Option<&'a UserId>, Result<CallState, CallError>);
        let table: &[Row] = &[
            (Ringing, None, Accept, Some(&a), Ok(Ongoing)),
            (Ringing, None, Decline, Some(&a), Ok(Declined)),
            (Ringing, None, Hangup, None, Ok(Missed)),
            (Ongoing, Some("u-a"), Accept, Some(&b), Err(CallError::NotRinging)),
            (Declined, Some("u-a"), Accept, Some(&b), Err(CallError::NotRinging)),
            (Missed, None, Decline, Some(&b), Err(CallError::NotRinging)),
            (Ongoing, Some("u-a"), Hangup, None, Ok(Ended)),
            (Ongoing, Some("u-a"), End, Some(&a), Ok(Ended)),
            (Ongoing, Some("u-a"), End, Some(&b), Err(CallError::NotYourCall)),
            (Ongoing, Some("u-a"), Record, Some(&a), Ok(Ongoing)),
            (Ongoing, Some("u-a"), Record, Some(&b), Err(CallError::NotYourCall)),
            (Ringing, None, Record, Some(&a), Err(CallError::NotOngoing)),
            (Ringing, None, End, Some(&a), Err(CallError::NotOngoing)),
            (Ended, Some("u-a"), End, Some(&a), Err(CallError::NotOngoing)),
            (Ended, Some("u-a"), Hangup, None, Err(CallError::NotOngoing)),
        ];
        for (state, agent, action, by, want) in table {
            let got = apply(&in_state(*state, *agent), *action, *by, Timestamp(5_000)).map(|c| c.state);
            assert_eq!(got, *want, "{state:?} {action:?} by {by:?}");
        }
    }

    #[test]
    fn accepting_sets_agent_and_time_and_ending_stops_recording() {
        let a = UserId::from("u-a");
        let on = apply(&ringing(), CallAction::Accept, Some(&a), Timestamp(3_000)).unwrap();
        assert_eq!((on.agent.as_ref(), on.answered_at), (Some(&a), Some(Timestamp(3_000))));
        let rec = apply(&on, CallAction::Record, Some(&a), Timestamp(4_000)).unwrap();
        assert!(rec.recording);
        assert_eq!(rec.duration_ms(Timestamp(10_000)), 7_000);
        let done = apply(&rec, CallAction::Hangup, None, Timestamp(63_000)).unwrap();
        assert!(!done.recording);
        assert_eq!(done.duration_ms(Timestamp(99_000)), 60_000);
        assert_eq!(ringing().duration_ms(Timestamp(99_000)), 0);
    }

    #[test]
    fn a_changed_call_replaces_its_old_self_or_leaves_when_not_kept() {
        let first = ringing();
        let second = Call { id: CallId::new("call-2"), ..ringing() };
        let mut calls = vec![];
        upsert(&mut calls, &first, true);
        upsert(&mut calls, &second, true);
        assert_eq!(calls.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["call-2", "call-1"]);
        let answered = Call { state: CallState::Ongoing, ..first.clone() };
        upsert(&mut calls, &answered, true);
        assert_eq!((calls.len(), calls[1].state), (2, CallState::Ongoing));
        upsert(&mut calls, &answered, false);
        assert_eq!(calls.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["call-2"]);
        upsert(&mut calls, &answered, false);
        assert_eq!(calls.len(), 1);
    }

    #[test]
    fn call_tabs_split_by_assignee_and_a_self_agent_gets_only_theirs() {
        let me = UserId::from("u-a");
        let mine = Call { assignee: Some(me.clone()), ..ringing() };
        let theirs = Call { assignee: Some(UserId::from("u-b")), ..ringing() };
        let nobody = ringing();
        let team = Call { assigned_team: Some(TeamId::from("t-sales")), ..ringing() };
        for (tab, want) in [
            (CallTab::All, [true, true, true, true]),
            (CallTab::Mine, [true, false, false, false]),
            (CallTab::Unassigned, [false, false, true, false]),
        ] {
            assert_eq!([&mine, &theirs, &nobody, &team].map(|c| tab.holds(c, &me)), want, "{tab:?}");
        }
        let mut user = crate::model::User {
            id: me.clone(),
            name: "A".into(),
            email: "a@test".into(),
            role: crate::model::Role::Agent,
            restriction: crate::model::Restriction::None,
            teams: vec![],
            permissions: vec![],
            availability: Default::default(),
        };
        assert_eq!(CallTab::for_user(&user).len(), 3);
        user.restriction = crate::model::Restriction::SelfOnly;
        assert_eq!(CallTab::for_user(&user), [CallTab::Mine]);
    }

    #[test]
    fn masking() {
        for (number, shown) in [
            ("+33612345642", "+33 6•• ••• •42"),
            ("+14155550123", "+1 4••• ••• •23"),
            ("+447700900123", "+44 7••• ••• •23"),
            ("+351912345678", "+351 9•• ••• •78"),
            ("+79161234567", "+7 9••• ••• •67"),
            ("+4915112345", "+49 1• ••• •45"),
            ("+33 6 51 29 60 93", "+33 6•• ••• •93"),
            ("nonsense", "••••••••"),
            ("+123", "••••"),
        ] {
            assert_eq!(mask_phone(number), shown, "{number}");
        }
    }

    #[test]
    fn a_masked_number_never_shows_more_than_five_digits() {
        for n in ["+33612345642", "+14155550123", "+351912345678", "+2348031234567"] {
            let digits = mask_phone(n).chars().filter(char::is_ascii_digit).count();
            let code = if n.starts_with("+1") {
                1
            } else if n.starts_with("+23") || n.starts_with("+35") {
                3
            } else {
                2
            };
            assert_eq!(digits, code + 3, "{n}");
        }
    }
}
