//! Workflow rules (issue 15, item 3): "when this happens to a conversation, and these
//! conditions hold, do these actions". Owners and managers keep an ordered list; the
//! server runs them inside the transaction of the change that triggered them.
//!
//! Everything here is pure: which rules fire for an event and in what order ([`plan`]),
//! how the actions of one rule change what the next rules see, whether a moment is inside
//! business hours (from a local weekday and minute: the server converts from UTC), and
//! which team member a round robin picks.
//!
//! No loops: a rule fires at most once for one triggering change, however its own actions
//! (a close, say) trigger further rules, and the chain of follow-up events is bounded by
//! [`MAX_CHAIN`].

use serde::{Deserialize, Serialize};

use crate::contact_fields::normalize_tag;
use crate::text::MAX_TEXT_CHARS;
use crate::{ChannelKind, RuleId, Status, TeamId, TemplateId, UserId};

/// Longest rule name, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// Most conditions, and most actions, a rule holds.
pub const MAX_PARTS: usize = 10;
/// Longest wait of "no reply for N minutes", and longest snooze: 30 days.
pub const MAX_MINUTES: u32 = 30 * 24 * 60;
/// Longest chain of events one triggering change may cause (the change, then what the
/// rules' actions caused, …).
pub const MAX_CHAIN: u8 = 4;
/// Most intervals in one day of the business-hours schedule.
pub const MAX_INTERVALS: usize = 4;

/// The built-in rule for `settings.auto_assign`: new conversations of unassigned contacts
/// go to the available agents, round robin.
pub const AUTO_ASSIGN: &str = "auto_assign";
/// The built-in rule for `settings.unassign_on_close`.
pub const UNASSIGN_ON_CLOSE: &str = "unassign_on_close";

/// What starts a rule.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    ConversationOpened,
    MessageReceived,
    ConversationClosed,
    /// The contact's last message has waited this many minutes for an answer (once per
    /// conversation and rule).
    NoReply(u32),
}

/// What happened to a conversation, as rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Opened,
    MessageReceived,
    Closed,
    /// The contact has waited `minutes` for an answer.
    NoReply {
        minutes: u32,
    },
}

impl Trigger {
    pub fn matches(self, event: Event) -> bool {
        match (self, event) {
            (Trigger::ConversationOpened, Event::Opened)
            | (Trigger::MessageReceived, Event::MessageReceived)
            | (Trigger::ConversationClosed, Event::Closed) => true,
            (Trigger::NoReply(n), Event::NoReply { minutes }) => minutes >= n,
            _ => false,
        }
    }
}

/// When a rule applies; all of a rule's conditions must hold.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// The conversation's channel is of this kind.
    Channel(ChannelKind),
    /// The contact has this tag.
    HasTag(String),
    /// The contact does not have this tag.
    LacksTag(String),
    Status(Status),
    /// Inside the workspace's business hours.
    InsideHours,
    OutsideHours,
}

/// What a rule does, in its order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    AssignUser(UserId),
    AssignTeam(TeamId),
    /// The next available member of the team, in turn ([`round_robin`]).
    RoundRobin(TeamId),
    AddTag(String),
    RemoveTag(String),
    /// A message to the contact on the conversation's channel.
    AutoReply(String),
    /// An approved template without placeholders.
    SendTemplate(TemplateId),
    Close,
    /// Snooze for this many minutes.
    Snooze(u32),
    /// Unassigned contacts waiting go to the available agents, round robin (the built-in
    /// `auto_assign`).
    AutoAssign,
    /// The contact is assigned to nobody.
    Unassign,
}

impl Trigger {
    /// Its wire name (the settings page's picker).
    pub fn kind(&self) -> &'static str {
        match self {
            Trigger::ConversationOpened => "conversation_opened",
            Trigger::MessageReceived => "message_received",
            Trigger::ConversationClosed => "conversation_closed",
            Trigger::NoReply(_) => "no_reply",
        }
    }
}

impl Condition {
    /// Its wire name (the settings page's picker).
    pub fn kind(&self) -> &'static str {
        match self {
            Condition::Channel(_) => "channel",
            Condition::HasTag(_) => "has_tag",
            Condition::LacksTag(_) => "lacks_tag",
            Condition::Status(_) => "status",
            Condition::InsideHours => "inside_hours",
            Condition::OutsideHours => "outside_hours",
        }
    }
}

impl Action {
    /// Its wire name (the settings page's picker).
    pub fn kind(&self) -> &'static str {
        match self {
            Action::AssignUser(_) => "assign_user",
            Action::AssignTeam(_) => "assign_team",
            Action::RoundRobin(_) => "round_robin",
            Action::AddTag(_) => "add_tag",
            Action::RemoveTag(_) => "remove_tag",
            Action::AutoReply(_) => "auto_reply",
            Action::SendTemplate(_) => "send_template",
            Action::Close => "close",
            Action::Snooze(_) => "snooze",
            Action::AutoAssign => "auto_assign",
            Action::Unassign => "unassign",
        }
    }

    /// The id of the user, team or template it names.
    pub fn target(&self) -> Option<&str> {
        match self {
            Action::AssignUser(u) => Some(u.as_str()),
            Action::AssignTeam(t) | Action::RoundRobin(t) => Some(t.as_str()),
            Action::SendTemplate(t) => Some(t.as_str()),
            _ => None,
        }
    }
}

/// A rule as stored and listed (`GET /rules`), in the order rules run.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub id: RuleId,
    pub name: String,
    pub enabled: bool,
    /// 1 for the first rule to run.
    pub position: u32,
    pub trigger: Trigger,
    pub conditions: Vec<Condition>,
    pub actions: Vec<Action>,
    /// A built-in rule (the former settings): only its switch changes.
    #[serde(default)]
    pub builtin: bool,
}

/// `POST /rules`, `PUT /rules/{id}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInput {
    /// 1 to 80 characters.
    pub name: String,
    pub enabled: bool,
    pub trigger: Trigger,
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// At least one.
    pub actions: Vec<Action>,
}

/// `PUT /rules/order`: every rule's id, in the new order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleOrder {
    pub ids: Vec<RuleId>,
}

/// Whether `given` names each of `all` exactly once (a reorder's check).
pub fn every_once<T: Ord>(given: &[T], all: &[&T]) -> bool {
    let mut sorted: Vec<&T> = given.iter().collect();
    sorted.sort();
    sorted.dedup();
    sorted.len() == given.len() && sorted.len() == all.len() && all.iter().all(|t| sorted.binary_search(t).is_ok())
}

/// The two built-in rules, as a new workspace has them (both off).
pub fn builtins() -> [Rule; 2] {
    [
        Rule {
            id: RuleId::new(AUTO_ASSIGN),
            name: "Assign new conversations to available agents".into(),
            enabled: false,
            position: 1,
            trigger: Trigger::ConversationOpened,
            conditions: Vec::new(),
            actions: vec![Action::AutoAssign],
            builtin: true,
        },
        Rule {
            id: RuleId::new(UNASSIGN_ON_CLOSE),
            name: "Unassign the contact when a conversation closes".into(),
            enabled: false,
            position: 2,
            trigger: Trigger::ConversationClosed,
            conditions: Vec::new(),
            actions: vec![Action::Unassign],
            builtin: true,
        },
    ]
}

/// Why a rule or a schedule is refused; the English `Display` starts with the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleError {
    EmptyName,
    NameTooLong,
    NoActions,
    /// More than [`MAX_PARTS`] in `field` ("conditions", "actions").
    TooMany {
        field: &'static str,
    },
    /// Minutes out of 1…[`MAX_MINUTES`] in `field` ("trigger", "actions").
    BadMinutes {
        field: &'static str,
    },
    /// Not a tag (`contact_fields::normalize_tag`), in `field`.
    BadTag {
        field: &'static str,
        tag: String,
    },
    /// An empty auto-reply, or one longer than a message may be.
    BadReply,
    /// Both "inside" and "outside" business hours.
    ContradictoryHours,
    /// A built-in rule changes only its switch.
    Builtin,
    /// The schedule's time zone is not an IANA name.
    BadTimeZone,
    /// Not seven days, a time that is not HH:MM, an interval that ends before it starts,
    /// overlaps another or comes in more than [`MAX_INTERVALS`]; `day` from 0 (Monday).
    BadDay {
        day: usize,
    },
}

impl RuleError {
    /// The field a form marks.
    pub fn field(&self) -> &'static str {
        match self {
            RuleError::EmptyName | RuleError::NameTooLong => "name",
            RuleError::NoActions | RuleError::BadReply => "actions",
            RuleError::TooMany { field } | RuleError::BadMinutes { field } | RuleError::BadTag { field, .. } => field,
            RuleError::ContradictoryHours => "conditions",
            RuleError::Builtin => "builtin",
            RuleError::BadTimeZone => "time_zone",
            RuleError::BadDay { .. } => "days",
        }
    }
}

/// The server's English refusal (a `400`'s message).
impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let field = self.field();
        match self {
            RuleError::EmptyName => write!(f, "{field}: a rule needs a name"),
            RuleError::NameTooLong => write!(f, "{field}: at most {MAX_NAME_CHARS} characters"),
            RuleError::NoActions => write!(f, "{field}: a rule needs at least one action"),
            RuleError::TooMany { .. } => write!(f, "{field}: at most {MAX_PARTS}"),
            RuleError::BadMinutes { .. } => write!(f, "{field}: minutes from 1 to {MAX_MINUTES}"),
            RuleError::BadTag { tag, .. } => write!(f, "{field}: {tag:?} is not a tag"),
            RuleError::BadReply => write!(f, "{field}: an auto-reply holds 1 to {MAX_TEXT_CHARS} characters"),
            RuleError::ContradictoryHours => write!(f, "{field}: both inside and outside business hours"),
            RuleError::Builtin => write!(f, "{field}: a built-in rule can only be switched on or off"),
            RuleError::BadTimeZone => write!(f, "{field}: not a time zone name such as Europe/Paris"),
            RuleError::BadDay { day } => {
                write!(
                    f,
                    "{field}: day {day} needs HH:MM intervals that start before they end, do not overlap, at most {MAX_INTERVALS}"
                )
            }
        }
    }
}

/// Checks a rule as given; returns it with the name trimmed and tags normalised.
pub fn validate(input: &RuleInput) -> Result<RuleInput, RuleError> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(RuleError::EmptyName);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(RuleError::NameTooLong);
    }
    if let Trigger::NoReply(n) = input.trigger
        && !(1..=MAX_MINUTES).contains(&n)
    {
        return Err(RuleError::BadMinutes { field: "trigger" });
    }
    if input.conditions.len() > MAX_PARTS {
        return Err(RuleError::TooMany { field: "conditions" });
    }
    if input.actions.is_empty() {
        return Err(RuleError::NoActions);
    }
    if input.actions.len() > MAX_PARTS {
        return Err(RuleError::TooMany { field: "actions" });
    }
    let tag = |field, t: &str| normalize_tag(t).map_err(|_| RuleError::BadTag { field, tag: t.trim().to_owned() });
    let conditions = input
        .conditions
        .iter()
        .map(|c| {
            Ok(match c {
                Condition::HasTag(t) => Condition::HasTag(tag("conditions", t)?),
                Condition::LacksTag(t) => Condition::LacksTag(tag("conditions", t)?),
                other => other.clone(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if conditions.contains(&Condition::InsideHours) && conditions.contains(&Condition::OutsideHours) {
        return Err(RuleError::ContradictoryHours);
    }
    let actions = input
        .actions
        .iter()
        .map(|a| {
            Ok(match a {
                Action::AddTag(t) => Action::AddTag(tag("actions", t)?),
                Action::RemoveTag(t) => Action::RemoveTag(tag("actions", t)?),
                Action::AutoReply(text) => {
                    let text = text.trim();
                    if text.is_empty() || text.chars().count() > MAX_TEXT_CHARS {
                        return Err(RuleError::BadReply);
                    }
                    Action::AutoReply(text.to_owned())
                }
                Action::Snooze(n) if !(1..=MAX_MINUTES).contains(n) => {
                    return Err(RuleError::BadMinutes { field: "actions" });
                }
                other => other.clone(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RuleInput { name: name.to_owned(), enabled: input.enabled, trigger: input.trigger, conditions, actions })
}

/// A built-in rule changes only its switch: the input must say what it already says.
pub fn builtin_change(rule: &Rule, input: &RuleInput) -> Result<bool, RuleError> {
    let same = input.name.trim() == rule.name
        && input.trigger == rule.trigger
        && input.conditions == rule.conditions
        && input.actions == rule.actions;
    if same { Ok(input.enabled) } else { Err(RuleError::Builtin) }
}

/// What the conditions look at: the conversation and its contact now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    pub channel: ChannelKind,
    pub status: Status,
    /// The contact's tags (normalised).
    pub tags: Vec<String>,
    pub inside_hours: bool,
}

impl Condition {
    pub fn holds(&self, facts: &Facts) -> bool {
        match self {
            Condition::Channel(kind) => facts.channel == *kind,
            Condition::HasTag(t) => facts.tags.contains(t),
            Condition::LacksTag(t) => !facts.tags.contains(t),
            Condition::Status(s) => facts.status == *s,
            Condition::InsideHours => facts.inside_hours,
            Condition::OutsideHours => !facts.inside_hours,
        }
    }
}

impl Action {
    /// How the action changes the facts the next rules see, and the event it causes.
    fn apply(&self, facts: &mut Facts) -> Option<Event> {
        match self {
            Action::AddTag(t) if !facts.tags.contains(t) => facts.tags.push(t.clone()),
            Action::RemoveTag(t) => facts.tags.retain(|x| x != t),
            Action::Close if facts.status.is_open() => {
                facts.status = Status::Closed;
                return Some(Event::Closed);
            }
            Action::Snooze(_) if facts.status.is_open() => facts.status = Status::Snoozed,
            _ => {}
        }
        None
    }
}

/// One rule that fires, with its actions to carry out in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Firing {
    pub rule: RuleId,
    pub name: String,
    pub actions: Vec<Action>,
    /// 0 for the triggering change, 1 for what a rule's action caused, …
    pub depth: u8,
}

/// Which rules fire for `event` on a conversation described by `facts`, in order, and
/// what follows from their actions: rules run in `position` order, disabled ones never;
/// each sees the facts as the rules before it left them; an action that causes an event
/// (a close) runs the rules again for it, up to [`MAX_CHAIN`] deep. A rule fires at most
/// once in all of it, and never if it is in `already` (the no-reply rules that fired for
/// the conversation before).
pub fn plan(rules: &[Rule], event: Event, facts: &Facts, already: &[RuleId]) -> Vec<Firing> {
    let mut ordered: Vec<&Rule> = rules.iter().filter(|r| r.enabled).collect();
    ordered.sort_by_key(|r| r.position);
    let mut fired: Vec<&RuleId> = Vec::new();
    let mut facts = facts.clone();
    let mut out = Vec::new();
    let mut events = std::collections::VecDeque::from([(event, 0u8)]);
    while let Some((event, depth)) = events.pop_front() {
        for rule in &ordered {
            if fired.contains(&&rule.id)
                || already.contains(&rule.id)
                || !rule.trigger.matches(event)
                || !rule.conditions.iter().all(|c| c.holds(&facts))
            {
                continue;
            }
            fired.push(&rule.id);
            for action in &rule.actions {
                if let Some(next) = action.apply(&mut facts)
                    && depth + 1 < MAX_CHAIN
                {
                    events.push_back((next, depth + 1));
                }
            }
            out.push(Firing { rule: rule.id.clone(), name: rule.name.clone(), actions: rule.actions.clone(), depth });
        }
    }
    out
}

/// The next of `candidates` after `last` in id order, wrapping around; `None` when there
/// are none. The caller passes the available members only.
pub fn round_robin<'a>(candidates: &'a [UserId], last: Option<&str>) -> Option<&'a UserId> {
    let mut sorted: Vec<&UserId> = candidates.iter().collect();
    sorted.sort();
    sorted.iter().find(|id| last.is_none_or(|l| id.as_str() > l)).or(sorted.first()).copied()
}

/// One opening interval of a day, "HH:MM" to "HH:MM" (the end may be "24:00").
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interval {
    pub open: String,
    pub close: String,
}

/// The workspace's weekly schedule (`GET`/`PUT /business-hours`): an IANA time zone and,
/// Monday first, each day's opening intervals. No interval on any day (a new workspace):
/// every moment is outside business hours.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessHours {
    pub time_zone: String,
    /// Seven days, Monday first.
    pub days: Vec<Vec<Interval>>,
}

impl Default for BusinessHours {
    fn default() -> Self {
        BusinessHours { time_zone: "UTC".into(), days: vec![Vec::new(); 7] }
    }
}

/// Minutes since midnight of "HH:MM" (00:00 to 24:00).
pub fn minute_of(hhmm: &str) -> Option<u16> {
    let (h, m) = hhmm.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    let minute = h * 60 + m;
    (h <= 24 && m < 60 && minute <= 24 * 60).then_some(minute)
}

impl BusinessHours {
    /// Checks the schedule (the time zone's existence is the server's to check).
    pub fn validate(&self) -> Result<(), RuleError> {
        let tz = self.time_zone.trim();
        let tz_ok = !tz.is_empty()
            && tz.len() <= 64
            && tz.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'));
        if !tz_ok {
            return Err(RuleError::BadTimeZone);
        }
        if self.days.len() != 7 {
            return Err(RuleError::BadDay { day: self.days.len().min(7) });
        }
        for (day, intervals) in self.days.iter().enumerate() {
            let mut spans = Vec::new();
            for i in intervals {
                match (minute_of(&i.open), minute_of(&i.close)) {
                    (Some(a), Some(b)) if a < b && a < 24 * 60 => spans.push((a, b)),
                    _ => return Err(RuleError::BadDay { day }),
                }
            }
            spans.sort();
            if spans.len() > MAX_INTERVALS || spans.windows(2).any(|w| w[1].0 < w[0].1) {
                return Err(RuleError::BadDay { day });
            }
        }
        Ok(())
    }

    /// Whether the local `weekday` (0 = Monday) at `minute` after midnight is inside an
    /// opening interval (its start included, its end not).
    pub fn inside(&self, weekday: usize, minute: u16) -> bool {
        self.days.get(weekday).is_some_and(|intervals| {
            intervals.iter().any(|i| {
                matches!((minute_of(&i.open), minute_of(&i.close)), (Some(a), Some(b)) if a <= minute && minute < b)
            })
        })
    }
}

#[cfg(test)]
mod tests;
