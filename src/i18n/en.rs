//! English phrases: the parts of `Words` with numbers and names in them.

use parley_domain::call::CallState;
use parley_domain::filter::StatusFilter;
use parley_domain::inbox::{InboxCount, InboxId};
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
