//! English phrases: the parts of `Words` with numbers and names in them.

use parley_domain::assist::AssistAction;
use parley_domain::call::{CallState, CallTab};
use parley_domain::filter::StatusFilter;
use parley_domain::inbox::{InboxCount, InboxId};
use parley_domain::keys::Action;
use parley_domain::rules::{Action as RuleAction, Condition, RuleError, Trigger};
use parley_domain::template::{Category, TemplateError};
use parley_domain::wire::ActivityKind;
use parley_domain::{ChannelKind, Direction, Status, Timestamp};

use crate::format::clock_duration;

use super::one_en as one;
use super::words::ItemParts;

pub(super) fn inbox_link(name: &str, open: u64, new: u64) -> String {
    let mut s = format!("{name}, {open} open");
    if new > 0 {
        s.push_str(&format!(", {new} new"));
    }
    s
}

pub(super) fn inbox_name(c: &InboxCount) -> String {
    match c.id {
        InboxId::All => "All".into(),
        InboxId::Mine => "Mine".into(),
        InboxId::Unassigned => "Unassigned".into(),
        _ => c.name.clone(),
    }
}

pub(super) fn status_filter(f: StatusFilter) -> &'static str {
    f.label()
}

pub(super) fn status_name(s: Status) -> &'static str {
    StatusFilter::Only(s).label()
}

pub(super) fn channel(kind: ChannelKind) -> &'static str {
    kind.label()
}

pub(super) fn conversation_item(p: &ItemParts) -> String {
    let mut name = format!("{}, {}", p.contact, p.channel);
    if p.online {
        name.push_str(", online");
    }
    if p.closed {
        name.push_str(", closed");
    }
    if let Some(a) = p.assignee {
        name.push_str(&format!(", assigned to {a}"));
    }
    if p.unread > 0 {
        name.push_str(&format!(", {} unread", p.unread));
    }
    if !p.preview.is_empty() {
        name.push_str(": ");
        name.push_str(p.preview);
    }
    name
}

pub(super) fn own_preview(text: &str) -> String {
    format!("You: {text}")
}

pub(super) fn assigned_to(who: &str) -> String {
    format!("Assigned to {who}")
}

pub(super) fn conversation_with(who: &str) -> String {
    format!("Conversation with {who}")
}

pub(super) fn snoozed_until(when: &str) -> String {
    format!("Snoozed until {when}")
}

pub(super) fn typing(who: &str) -> String {
    format!("{who} is typing…")
}

pub(super) fn viewing(who: &str) -> String {
    format!("{who} is viewing")
}

pub(super) fn chars_left(n: i64) -> String {
    format!("{n} {} left", if one(n as u64) { "character" } else { "characters" })
}

pub(super) fn chars_over(n: i64, max: usize) -> String {
    format!(
        "{n} {} over the limit of {max}: shorten the message to send it",
        if one(n as u64) { "character" } else { "characters" }
    )
}

pub(super) fn minutes_ago(n: i64) -> String {
    format!("{n} min")
}

pub(super) fn transcript_sent_to(to: &str) -> String {
    format!("Transcript sent to {to}")
}

pub(super) fn assist_action(action: AssistAction) -> &'static str {
    match action {
        AssistAction::Improve => "Improve",
        AssistAction::Shorten => "Shorten",
        AssistAction::FixGrammar => "Fix spelling and grammar",
        AssistAction::Translate => "Translate to the contact's language",
        AssistAction::Friendlier => "Make friendlier",
        AssistAction::Formal => "Make more formal",
        AssistAction::Summarize => "Summarize the conversation",
    }
}

pub(super) fn refused_because(message: &str) -> String {
    format!("The request was refused: {message}")
}

pub(super) fn conflict_because(message: &str) -> String {
    format!("That is not possible now: {message}")
}

pub(super) fn refused_status(status: u16) -> String {
    format!("The request was refused (HTTP {status}).")
}

pub(super) fn file_too_large(what: &str, size: &str, limit_mb: u64) -> String {
    format!("{what} ({size}) is too large to send: files can be at most {limit_mb} MB.")
}

/// "too many sign-in attempts; try again in 42 s" → "Too many sign-in attempts; try again in 42 s."
pub(super) fn too_many_because(message: &str) -> String {
    format!("{}.", capital(message))
}

pub(super) fn field_refused(message: &str) -> String {
    capital(message)
}

fn capital(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

pub(super) fn window_closed(hours: i64, channel: &str, others: bool) -> String {
    let other = if others { " or reply via another channel" } else { "" };
    format!(
        "The {hours}-hour {channel} customer-service window has closed: a free-form reply is possible again once the \
         contact writes. You can still add an internal note{other}."
    )
}

pub(super) fn labelled(label: &str, value: &str) -> String {
    format!("{label}: {value}")
}

pub(super) fn activity(kind: &ActivityKind, who: &str, time: &dyn Fn(Timestamp) -> String) -> String {
    match kind {
        ActivityKind::Opened => "Conversation opened".to_owned(),
        ActivityKind::Closed { .. } => format!("{who} closed the conversation"),
        ActivityKind::Reopened => format!("{who} reopened the conversation"),
        ActivityKind::Assigned { assignee_name, .. } => format!("{who} assigned the conversation to {assignee_name}"),
        ActivityKind::AssignedTeam { team_name, .. } => {
            format!("{who} assigned the conversation to the team {team_name}")
        }
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
        ActivityKind::TranscriptSent { to } => format!("{who} sent the transcript to {to}"),
        ActivityKind::AiAssist { action } => format!("{who} used AI assist: {}", assist_action(*action)),
        ActivityKind::RuleApplied { action, .. } => {
            format!("{who} (rule): {}", action_text(action, action.target().unwrap_or_default()))
        }
    }
}

pub(super) fn sla_left(time: &str) -> String {
    format!("SLA: {time} left")
}

pub(super) fn sla_due_in(time: &str) -> String {
    format!("SLA: due in {time}")
}

pub(super) fn sla_overdue(time: &str) -> String {
    format!("SLA: overdue by {time}")
}

pub(super) fn added_note(who: &str, text: &str) -> String {
    format!("{who} added a note: {text}")
}

pub(super) fn merge_into_this(other: &str) -> String {
    format!("Merge {other} into this contact")
}

pub(super) fn merge_question(other: &str, this: &str) -> String {
    format!(
        "Merge {other} into {this}? Their conversations move to {this} and {other} is removed. This cannot be undone."
    )
}

pub(super) fn attribute_twice(key: &str) -> String {
    format!("Attributes: the attribute \"{key}\" is given twice")
}

pub(super) fn remove_attribute(key: &str) -> String {
    format!("Remove attribute {key}")
}

pub(super) fn assignee_of(who: &str) -> String {
    format!("Assignee of {who}:")
}

pub(super) fn action_name(a: Action) -> &'static str {
    a.label()
}

pub(super) fn not_possible_action(action: &str, status: &str) -> String {
    format!("{action}: not possible, the conversation is {}.", status.to_lowercase())
}

pub(super) fn picker_loading(name: &str) -> String {
    format!("Loading {}…", name.to_lowercase())
}

pub(super) fn picker_none(name: &str) -> String {
    format!("No {} match.", name.to_lowercase())
}

pub(super) fn picker_count(n: u64, name: &str) -> String {
    format!("{n} {}", name.to_lowercase())
}

pub(super) fn conversations_closed(n: u64) -> String {
    format!("{} closed", conversation_count(n))
}

pub(super) fn conversation_count(n: u64) -> String {
    if one(n) { format!("{n} conversation") } else { format!("{n} conversations") }
}

pub(super) fn call_state(s: CallState) -> &'static str {
    s.label()
}

pub(super) fn call_tab(t: CallTab) -> &'static str {
    t.label()
}

pub(super) fn accept_call_from(who: &str) -> String {
    format!("Accept call from {who}")
}

pub(super) fn decline_call_from(who: &str) -> String {
    format!("Decline call from {who}")
}

pub(super) fn by_owner(who: &str) -> String {
    format!("by {who}")
}

pub(super) fn last_updated(minutes: i64) -> String {
    match minutes {
        0 => "Last updated just now".to_owned(),
        m if m < 60 => format!("Last updated {m} min ago"),
        m if m < 60 * 24 => format!("Last updated {} h ago", m / 60),
        m => format!("Last updated {} d ago", m / (60 * 24)),
    }
}

pub(super) fn delete_custom_question(name: &str) -> String {
    format!("Delete \u{201c}{name}\u{201d}? It disappears for everyone it is shared with; the conversations stay.")
}

pub(super) fn custom_inbox_named(name: &str) -> String {
    format!("Custom inbox {name}")
}

pub(super) fn created_by_you(sharing: &str) -> String {
    format!("Created by you · {sharing}")
}

pub(super) fn created_by(who: &str) -> String {
    format!("Created by {who}")
}

pub(super) fn shared_with_people(n: u64) -> String {
    if one(n) { format!("shared with {n} person") } else { format!("shared with {n} people") }
}

pub(super) fn recording_capped(limit: &str) -> String {
    format!("Recording stopped at the {limit} limit.")
}

pub(super) fn remove_named(name: &str) -> String {
    format!("Remove {name}")
}

pub(super) fn edit_named(name: &str) -> String {
    format!("Edit {name}")
}

pub(super) fn delete_named(name: &str) -> String {
    format!("Delete {name}")
}

pub(super) fn new_message_from(who: &str) -> String {
    format!("New message from {who}")
}

pub(super) fn assigned_you(who: &str, contact: Option<&str>) -> String {
    match contact {
        Some(name) => format!("{who} assigned you the conversation with {name}"),
        None => format!("{who} assigned you a conversation"),
    }
}

pub(super) fn open_count(n: u64) -> String {
    format!("{n} open")
}

pub(super) fn reason_too_long(max: usize) -> String {
    format!("A closing reason has at most {max} characters.")
}

pub(super) fn reason_taken(name: &str) -> String {
    format!("The list already has \u{201c}{name}\u{201d}.")
}

pub(super) fn rename_reason(name: &str) -> String {
    format!("New name for {name}")
}

pub(super) fn via_channel(channel: &str) -> String {
    format!("via {channel}")
}

pub(super) fn sending_from(identity: &str) -> String {
    format!("Sending from {identity}")
}

pub(super) fn template_category_name(c: Category) -> &'static str {
    match c {
        Category::Marketing => "Marketing",
        Category::Utility => "Utility",
        Category::Authentication => "Authentication",
    }
}

pub(super) fn template_problem(e: &TemplateError) -> String {
    match e {
        TemplateError::EmptyName => "Give the template a name.".into(),
        TemplateError::NameTooLong { max } => format!("A template's name has at most {max} characters."),
        TemplateError::BadLanguage { language } => {
            format!("\u{201c}{language}\u{201d} is not a language code such as en, fr or pt_BR.")
        }
        TemplateError::EmptyBody => "Write the template's body.".into(),
        TemplateError::BodyTooLong { chars, max } => {
            format!("The body has {chars} characters; a template has at most {max}.")
        }
        TemplateError::BadPlaceholder { at } => {
            format!("The placeholder at character {at} is not {{{{1}}}}, {{{{2}}}}… (numbered from 1).")
        }
        TemplateError::MissingPlaceholder { number } => {
            format!("Placeholder {{{{{number}}}}} is missing: number them from 1 without gaps.")
        }
    }
}

pub(super) fn placeholder_value(n: u32) -> String {
    format!("Value for {{{{{n}}}}}")
}

pub(super) fn team_named(name: &str) -> String {
    format!("Team: {name}")
}

pub(super) fn report_zone(offset: &str) -> String {
    format!(
        "Days run midnight to midnight in your time zone (UTC{offset}). A median is the middle time (the lower of the two middle ones)."
    )
}

pub(super) fn rule_saved(name: &str, enabled: bool) -> String {
    format!("Rule “{name}” saved, {}.", if enabled { "on" } else { "off" })
}

pub(super) fn rule_switch(name: &str) -> String {
    format!("Run “{name}”")
}

pub(super) fn move_up_named(name: &str) -> String {
    format!("Move “{name}” up")
}

pub(super) fn move_down_named(name: &str) -> String {
    format!("Move “{name}” down")
}

pub(super) fn trigger_text(t: &Trigger) -> String {
    match t {
        Trigger::NoReply(n) => format!("When the contact has waited {n} min for a reply"),
        other => format!("When {}", rule_part(other.kind()).to_lowercase()),
    }
}

pub(super) fn condition_text(c: &Condition) -> String {
    match c {
        Condition::Channel(kind) => format!("channel is {}", kind.label()),
        Condition::HasTag(tag) => format!("contact has tag {tag}"),
        Condition::LacksTag(tag) => format!("contact does not have tag {tag}"),
        Condition::Status(s) => format!("status is {}", status_name(*s).to_lowercase()),
        Condition::InsideHours => "inside business hours".into(),
        Condition::OutsideHours => "outside business hours".into(),
    }
}

pub(super) fn action_text(a: &RuleAction, target: &str) -> String {
    match a {
        RuleAction::AssignUser(_) => format!("assign to {target}"),
        RuleAction::AssignTeam(_) => format!("assign to the team {target}"),
        RuleAction::RoundRobin(_) => format!("assign in turn to the available members of {target}"),
        RuleAction::AddTag(tag) => format!("add tag {tag}"),
        RuleAction::RemoveTag(tag) => format!("remove tag {tag}"),
        RuleAction::AutoReply(text) => format!("reply “{text}”"),
        RuleAction::SendTemplate(_) => format!("send the template {target}"),
        RuleAction::Close => "close".into(),
        RuleAction::Snooze(n) => format!("snooze for {n} min"),
        RuleAction::AutoAssign => "assign to the available agents in turn".into(),
        RuleAction::Unassign => "unassign".into(),
    }
}

pub(super) fn rule_part(name: &str) -> &'static str {
    match name {
        "conversation_opened" => "A conversation opens",
        "message_received" => "A message comes in",
        "conversation_closed" => "A conversation closes",
        "no_reply" => "No reply for some minutes",
        "channel" => "Channel is",
        "has_tag" => "Contact has tag",
        "lacks_tag" => "Contact does not have tag",
        "status" => "Status is",
        "inside_hours" => "Inside business hours",
        "outside_hours" => "Outside business hours",
        "assign_user" => "Assign to a user",
        "assign_team" => "Assign to a team",
        "round_robin" => "Round robin in a team",
        "add_tag" => "Add tag",
        "remove_tag" => "Remove tag",
        "auto_reply" => "Send an auto-reply",
        "send_template" => "Send a template",
        "close" => "Close",
        "snooze" => "Snooze (minutes)",
        "auto_assign" => "Assign to available agents",
        "unassign" => "Unassign",
        _ => "",
    }
}

pub(super) fn rule_problem(e: &RuleError) -> String {
    use parley_domain::rules::{MAX_MINUTES, MAX_NAME_CHARS, MAX_PARTS};
    match e {
        RuleError::EmptyName => "Give the rule a name.".into(),
        RuleError::NameTooLong => format!("A rule's name has at most {MAX_NAME_CHARS} characters."),
        RuleError::NoActions => "Add at least one action.".into(),
        RuleError::TooMany { .. } => format!("At most {MAX_PARTS} conditions and {MAX_PARTS} actions."),
        RuleError::BadMinutes { .. } => format!("Minutes go from 1 to {MAX_MINUTES}."),
        RuleError::BadTag { tag, .. } => format!("“{tag}” is not a tag (letters, digits, - and _)."),
        RuleError::BadReply => "Write the auto-reply.".into(),
        RuleError::ContradictoryHours => "A rule cannot ask for both inside and outside business hours.".into(),
        RuleError::Builtin => "A built-in rule can only be switched on or off.".into(),
        RuleError::BadTimeZone => "Give a time zone such as Europe/Paris.".into(),
        RuleError::BadDay { day } => format!("{}: the opening time must come before the closing time.", weekday(*day)),
    }
}

pub(super) fn weekday(day: usize) -> &'static str {
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].get(day).copied().unwrap_or("")
}

pub(super) fn day_opens(day: usize) -> String {
    format!("{} opens", weekday(day))
}

pub(super) fn day_closes(day: usize) -> String {
    format!("{} closes", weekday(day))
}
