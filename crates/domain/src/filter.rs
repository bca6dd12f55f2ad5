//! The status filter of a conversation list (`?status=` on the wire and in the app's
//! URL): one definition, so that the server's pages and the app's live updates keep the
//! same conversations.

use crate::ids::UserId;
use crate::model::Status;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum StatusFilter {
    /// New, pending and snoozed: what still needs someone.
    #[default]
    Open,
    Only(Status),
    All,
}

impl StatusFilter {
    /// Every filter, in the order a status picker lists them.
    pub const ALL: [StatusFilter; 6] = [
        StatusFilter::Open,
        StatusFilter::Only(Status::New),
        StatusFilter::Only(Status::Pending),
        StatusFilter::Only(Status::Snoozed),
        StatusFilter::Only(Status::Closed),
        StatusFilter::All,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            StatusFilter::Open => "open",
            StatusFilter::Only(s) => s.as_str(),
            StatusFilter::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<StatusFilter> {
        match s {
            "open" => Some(StatusFilter::Open),
            "all" => Some(StatusFilter::All),
            other => Status::parse(other).map(StatusFilter::Only),
        }
    }

    /// Human label, as a status picker shows it.
    pub const fn label(self) -> &'static str {
        match self {
            StatusFilter::Open => "Open",
            StatusFilter::Only(Status::New) => "New",
            StatusFilter::Only(Status::Pending) => "Pending",
            StatusFilter::Only(Status::Snoozed) => "Snoozed",
            StatusFilter::Only(Status::Closed) => "Closed",
            StatusFilter::All => "All",
        }
    }

    /// Whether a conversation with `status` passes the filter.
    pub const fn matches(self, status: Status) -> bool {
        match self {
            StatusFilter::Open => status.is_open(),
            StatusFilter::Only(wanted) => wanted as u8 == status as u8,
            StatusFilter::All => true,
        }
    }
}

/// The assignee filter of a conversation list (`?assignee=` on the wire and in the app's
/// URL: a user id, or `none`): the same rule for server pages and live updates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum AssigneeFilter {
    #[default]
    Anyone,
    Unassigned,
    User(UserId),
}

impl AssigneeFilter {
    /// `None` for [`AssigneeFilter::Anyone`] (no parameter at all).
    pub fn as_param(&self) -> Option<&str> {
        match self {
            AssigneeFilter::Anyone => None,
            AssigneeFilter::Unassigned => Some("none"),
            AssigneeFilter::User(id) => Some(id.as_str()),
        }
    }

    /// An absent or empty parameter keeps everyone.
    pub fn parse(raw: Option<&str>) -> AssigneeFilter {
        match raw {
            None | Some("") => AssigneeFilter::Anyone,
            Some("none") => AssigneeFilter::Unassigned,
            Some(id) => AssigneeFilter::User(UserId::from(id)),
        }
    }

    /// The filter that picks the conversations of `assignee` (`None`: unassigned).
    pub fn of(assignee: Option<&UserId>) -> AssigneeFilter {
        assignee.map_or(AssigneeFilter::Unassigned, |a| AssigneeFilter::User(a.clone()))
    }

    /// Whether a conversation assigned to `assignee` passes the filter.
    pub fn matches(&self, assignee: Option<&UserId>) -> bool {
        match self {
            AssigneeFilter::Anyone => true,
            AssigneeFilter::Unassigned => assignee.is_none(),
            AssigneeFilter::User(id) => assignee == Some(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(filter: &str, status: Status, expected: bool) {
        let f = StatusFilter::parse(filter).unwrap();
        assert_eq!(f.matches(status), expected, "{filter} keeps {status:?}");
        assert_eq!(f.as_str(), filter, "round trip");
    }

    #[test]
    fn filters() {
        use Status::*;
        #[rustfmt::skip]
        let rows: &[(&str, Status, bool)] = &[
            ("open", New, true), ("open", Pending, true), ("open", Snoozed, true), ("open", Closed, false),
            ("all", New, true), ("all", Closed, true),
            ("new", New, true), ("new", Pending, false), ("pending", Pending, true),
            ("snoozed", Snoozed, true), ("snoozed", New, false), ("closed", Closed, true), ("closed", New, false),
        ];
        for &(f, s, expected) in rows {
            check(f, s, expected);
        }
    }

    #[test]
    fn unknown_filter_is_rejected() {
        assert_eq!(StatusFilter::parse("archived"), None);
        assert_eq!(StatusFilter::parse(""), None);
    }

    #[test]
    fn assignee_filters() {
        let (aaron, lea) = (UserId::from("u-aaron"), UserId::from("u-lea"));
        #[rustfmt::skip]
        let rows: &[(Option<&str>, Option<&UserId>, bool, Option<&str>)] = &[
            (None, None, true, None), (None, Some(&aaron), true, None), (Some(""), Some(&lea), true, None),
            (Some("none"), None, true, Some("none")), (Some("none"), Some(&aaron), false, Some("none")),
            (Some("u-aaron"), Some(&aaron), true, Some("u-aaron")), (Some("u-aaron"), Some(&lea), false, Some("u-aaron")),
            (Some("u-aaron"), None, false, Some("u-aaron")),
        ];
        for &(raw, assignee, expected, param) in rows {
            let f = AssigneeFilter::parse(raw);
            assert_eq!(f.matches(assignee), expected, "{raw:?} keeps {assignee:?}");
            assert_eq!(f.as_param(), param, "round trip of {raw:?}");
        }
        assert_eq!(AssigneeFilter::of(None), AssigneeFilter::Unassigned);
        assert_eq!(AssigneeFilter::of(Some(&aaron)), AssigneeFilter::User(aaron));
    }
}
