//! The status filter of a conversation list (`?status=` on the wire and in the app's
//! URL): one definition, so that the server's pages and the app's live updates keep the
//! same conversations.

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
}
