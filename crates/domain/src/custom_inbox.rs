//! Custom inboxes: saved filter views, private or shared. Unlike standard and team
//! inboxes they are not live (the app refreshes them on demand), have no blue dot and
//! no open count; only their creator changes them.

use serde::{Deserialize, Serialize};

use crate::filter::StatusFilter;
use crate::ids::{ChannelId, CustomInboxId, TeamId, UserId};
use crate::model::{Contact, Timestamp, User};
use crate::visibility::{Directory, can_see};
use crate::wire::ConversationSummary;

/// Longest text a contact-field filter may search for.
pub const MAX_FILTER_TEXT: usize = 200;

/// Who may open a custom inbox besides its creator.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sharing {
    Private,
    Everyone,
    Users(Vec<UserId>),
}

/// Which assignee a filter keeps.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssigneeFilter {
    Unassigned,
    User(UserId),
}

/// A contact field and the text it must contain (case-insensitive).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldFilter {
    pub field: ContactField,
    pub contains: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactField {
    Name,
    Phone,
    Email,
    Country,
    Language,
}

/// The saved filter; every condition present must hold.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedFilter {
    #[serde(default)]
    pub channel: Option<ChannelId>,
    /// `open`, `new`, `pending`, `snoozed`, `closed` or `all` (default `open`).
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub assignee: Option<AssigneeFilter>,
    /// The contact is assigned to a member of this team.
    #[serde(default)]
    pub team: Option<TeamId>,
    /// Latest activity within this many days (the recent end of the range).
    #[serde(default)]
    pub active_within_days: Option<u32>,
    /// Latest activity at least this many days ago (the old end: "quiet for a week").
    #[serde(default)]
    pub inactive_for_days: Option<u32>,
    #[serde(default)]
    pub contact_field: Option<FieldFilter>,
    /// The contact has this tag.
    #[serde(default)]
    pub tag: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomInbox {
    pub id: CustomInboxId,
    pub name: String,
    pub owner: UserId,
    pub owner_name: String,
    pub filter: SavedFilter,
    pub sharing: Sharing,
}

/// `POST /custom-inboxes`, `PUT /custom-inboxes/{id}`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomInboxInput {
    pub name: String,
    pub filter: SavedFilter,
    pub sharing: Sharing,
}

impl SavedFilter {
    /// Why the last-activity range is empty, if it is.
    pub fn check_activity_range(&self) -> Result<(), String> {
        match (self.inactive_for_days, self.active_within_days) {
            (Some(0), _) | (_, Some(0)) => Err("last activity: days must be at least 1".into()),
            (Some(old), Some(recent)) if old > recent => {
                Err(format!("last activity: at least {old} days ago and within {recent} days cannot both hold"))
            }
            _ => Ok(()),
        }
    }

    /// The status filter, or why it is invalid.
    pub fn status_filter(&self) -> Result<StatusFilter, String> {
        match &self.status {
            None => Ok(StatusFilter::default()),
            Some(s) => StatusFilter::parse(s).ok_or_else(|| format!("unknown status {s:?}")),
        }
    }

    /// Whether the conversation passes every condition. Visibility is checked too: a
    /// shared view never shows anyone more than they may see.
    pub fn matches(
        &self,
        dir: &Directory,
        viewer: &User,
        c: &ConversationSummary,
        contact: &Contact,
        now: Timestamp,
    ) -> bool {
        let assigned = c.assigned();
        if !can_see(dir, viewer, assigned.as_ref()) || c.contact.blocked {
            return false;
        }
        let status = self.status_filter().is_ok_and(|f| f.matches(c.status));
        let channel = self.channel.as_ref().is_none_or(|ch| &c.channel.id == ch);
        let assignee = match &self.assignee {
            None => true,
            // About users, as a list's `?assignee=`: a team's contact has no user.
            Some(AssigneeFilter::Unassigned) => c.assignee.is_none(),
            Some(AssigneeFilter::User(u)) => c.assignee.as_ref() == Some(u),
        };
        // A team's: its members' contacts and the team's own (as its inbox holds them).
        let team = self.team.as_ref().is_none_or(|t| match &assigned {
            Some(crate::model::Assignee::User(a)) => dir.is_member(a, t),
            Some(crate::model::Assignee::Team(own)) => own == t,
            None => false,
        });
        let idle = now.0 - c.last_activity_at.0;
        let recent = self.active_within_days.is_none_or(|d| idle <= i64::from(d) * 86_400_000)
            && self.inactive_for_days.is_none_or(|d| idle >= i64::from(d) * 86_400_000);
        let field = self.contact_field.as_ref().is_none_or(|f| {
            let value = match f.field {
                ContactField::Name => Some(contact.name.as_str()),
                ContactField::Phone => contact.phone.as_deref(),
                ContactField::Email => contact.email.as_deref(),
                ContactField::Country => contact.country.as_deref(),
                ContactField::Language => contact.language.as_deref(),
            };
            value.is_some_and(|v| v.to_lowercase().contains(&f.contains.to_lowercase()))
        });
        let tag = self.tag.as_ref().is_none_or(|t| contact.tags.contains(&t.trim().to_lowercase()));
        status && channel && assignee && team && recent && field && tag
    }
}

/// The side panel's choice of custom inboxes: all, those I created, or others' shared with me
/// (the `scope` query of `GET /custom-inboxes`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    #[default]
    All,
    Mine,
    Others,
}

crate::names::wire_names!(Scope { All = "all", Mine = "mine", Others = "others" });

impl Scope {
    /// Whether `inbox` belongs in this scope for the user `me`.
    pub fn includes(self, inbox: &CustomInbox, me: &UserId) -> bool {
        match self {
            Scope::All => true,
            Scope::Mine => inbox.owner == *me,
            Scope::Others => inbox.owner != *me,
        }
    }
}

impl CustomInbox {
    /// The creator, and whoever it is shared with.
    pub fn visible_to(&self, user: &User) -> bool {
        self.owner == user.id
            || match &self.sharing {
                Sharing::Private => false,
                Sharing::Everyone => true,
                Sharing::Users(users) => users.contains(&user.id),
            }
    }

    /// Only the creator edits a custom inbox's settings.
    pub fn editable_by(&self, user: &User) -> bool {
        self.owner == user.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChannelKind, Restriction, Role, Status, Team};
    use crate::wire::{ChannelRef, ContactRef};

    fn user(id: &str, restriction: Restriction, teams: &[&str]) -> User {
        User {
            id: id.into(),
            name: id.into(),
            email: format!("{id}@t"),
            role: Role::Agent,
            restriction,
            teams: teams.iter().map(|t| TeamId::from(*t)).collect(),
            permissions: vec![],
            availability: Default::default(),
        }
    }

    fn conv(assignee: Option<&str>, status: Status, channel: &str, days_ago: i64) -> ConversationSummary {
        let base = crate::testing::conversation("c");
        ConversationSummary {
            contact: ContactRef { id: "k".into(), name: "Alice".into(), ..base.contact.clone() },
            channel: ChannelRef { id: channel.into(), kind: ChannelKind::Whatsapp, name: channel.into() },
            status,
            // `team:<id>`: assigned to a team.
            assignee: assignee.filter(|a| !a.starts_with("team:")).map(Into::into),
            assigned_team: assignee.and_then(|a| a.strip_prefix("team:")).map(Into::into),
            last_activity_at: Timestamp(100 * 86_400_000 - days_ago * 86_400_000),
            ..base
        }
    }

    fn contact() -> Contact {
        Contact {
            id: "k".into(),
            name: "Alice Martin".into(),
            phone: Some("+33612345678".into()),
            country: Some("FR".into()),
            language: Some("fr".into()),
            tags: vec!["vip".into(), "billing".into()],
            ..crate::testing::contact("k")
        }
    }

    #[test]
    fn filters() {
        let me = user("me", Restriction::None, &["sales"]);
        let ana = user("ana", Restriction::None, &["sales"]);
        let dir = Directory::from_users(vec![Team { id: "sales".into(), name: "Sales".into() }], &[me.clone(), ana]);
        let now = Timestamp(100 * 86_400_000);
        let field = |field, contains: &str| Some(FieldFilter { field, contains: contains.into() });
        let rows: Vec<(SavedFilter, ConversationSummary, bool)> = vec![
            (SavedFilter::default(), conv(None, Status::New, "wa", 0), true),
            (SavedFilter::default(), conv(None, Status::Closed, "wa", 0), false),
            (
                SavedFilter { status: Some("all".into()), ..Default::default() },
                conv(None, Status::Closed, "wa", 0),
                true,
            ),
            (
                SavedFilter { status: Some("bogus".into()), ..Default::default() },
                conv(None, Status::New, "wa", 0),
                false,
            ),
            (
                SavedFilter { channel: Some("mail".into()), ..Default::default() },
                conv(None, Status::New, "wa", 0),
                false,
            ),
            (SavedFilter { channel: Some("wa".into()), ..Default::default() }, conv(None, Status::New, "wa", 0), true),
            (
                SavedFilter { assignee: Some(AssigneeFilter::Unassigned), ..Default::default() },
                conv(Some("me"), Status::New, "wa", 0),
                false,
            ),
            (
                SavedFilter { assignee: Some(AssigneeFilter::User("me".into())), ..Default::default() },
                conv(Some("me"), Status::New, "wa", 0),
                true,
            ),
            (
                SavedFilter { team: Some("sales".into()), ..Default::default() },
                conv(Some("ana"), Status::New, "wa", 0),
                true,
            ),
            (SavedFilter { team: Some("sales".into()), ..Default::default() }, conv(None, Status::New, "wa", 0), false),
            (
                SavedFilter { team: Some("sales".into()), ..Default::default() },
                conv(Some("team:sales"), Status::New, "wa", 0),
                true,
            ),
            (
                SavedFilter { team: Some("sales".into()), ..Default::default() },
                conv(Some("team:support"), Status::New, "wa", 0),
                false,
            ),
            (
                SavedFilter { assignee: Some(AssigneeFilter::Unassigned), ..Default::default() },
                conv(Some("team:sales"), Status::New, "wa", 0),
                true,
            ),
            (SavedFilter { active_within_days: Some(7), ..Default::default() }, conv(None, Status::New, "wa", 7), true),
            (
                SavedFilter { active_within_days: Some(7), ..Default::default() },
                conv(None, Status::New, "wa", 8),
                false,
            ),
            (SavedFilter { inactive_for_days: Some(3), ..Default::default() }, conv(None, Status::New, "wa", 3), true),
            (SavedFilter { inactive_for_days: Some(3), ..Default::default() }, conv(None, Status::New, "wa", 2), false),
            (
                SavedFilter { inactive_for_days: Some(3), active_within_days: Some(7), ..Default::default() },
                conv(None, Status::New, "wa", 5),
                true,
            ),
            (
                SavedFilter { inactive_for_days: Some(3), active_within_days: Some(7), ..Default::default() },
                conv(None, Status::New, "wa", 8),
                false,
            ),
            (
                SavedFilter { contact_field: field(ContactField::Name, "martin"), ..Default::default() },
                conv(None, Status::New, "wa", 0),
                true,
            ),
            (
                SavedFilter { contact_field: field(ContactField::Country, "de"), ..Default::default() },
                conv(None, Status::New, "wa", 0),
                false,
            ),
            (
                SavedFilter { contact_field: field(ContactField::Email, "a"), ..Default::default() },
                conv(None, Status::New, "wa", 0),
                false,
            ),
            (SavedFilter { tag: Some("vip".into()), ..Default::default() }, conv(None, Status::New, "wa", 0), true),
            (SavedFilter { tag: Some(" VIP ".into()), ..Default::default() }, conv(None, Status::New, "wa", 0), true),
            (SavedFilter { tag: Some("vi".into()), ..Default::default() }, conv(None, Status::New, "wa", 0), false),
            (SavedFilter { tag: Some("churn".into()), ..Default::default() }, conv(None, Status::New, "wa", 0), false),
            (
                SavedFilter { tag: Some("billing".into()), status: Some("closed".into()), ..Default::default() },
                conv(None, Status::New, "wa", 0),
                false,
            ),
        ];
        for (i, (f, c, expected)) in rows.into_iter().enumerate() {
            assert_eq!(f.matches(&dir, &me, &c, &contact(), now), expected, "row {i}: {f:?}");
        }
        // A restricted viewer never sees beyond their visibility through a shared view.
        let restricted = user("me", Restriction::SelfOnly, &[]);
        assert!(!SavedFilter::default().matches(
            &dir,
            &restricted,
            &conv(Some("ana"), Status::New, "wa", 0),
            &contact(),
            now
        ));
    }

    #[test]
    fn an_activity_range_must_not_be_empty() {
        let range = |inactive_for_days, active_within_days| SavedFilter {
            inactive_for_days,
            active_within_days,
            ..Default::default()
        };
        let rows = [
            (None, None, true),
            (Some(3), None, true),
            (None, Some(7), true),
            (Some(3), Some(7), true),
            (Some(7), Some(7), true),
            (Some(8), Some(7), false),
            (Some(0), None, false),
            (None, Some(0), false),
        ];
        for (old, recent, ok) in rows {
            assert_eq!(range(old, recent).check_activity_range().is_ok(), ok, "{old:?}..{recent:?}");
        }
    }

    #[test]
    fn sharing_and_editing() {
        let inbox = |sharing| CustomInbox {
            id: "ci".into(),
            name: "VIP".into(),
            owner: "me".into(),
            owner_name: "me".into(),
            filter: SavedFilter::default(),
            sharing,
        };
        let me = user("me", Restriction::None, &[]);
        let ana = user("ana", Restriction::None, &[]);
        let bob = user("bob", Restriction::None, &[]);
        let rows = [
            (Sharing::Private, [true, false, false]),
            (Sharing::Everyone, [true, true, true]),
            (Sharing::Users(vec!["ana".into()]), [true, true, false]),
        ];
        for (sharing, visible) in rows {
            let i = inbox(sharing);
            assert_eq!([i.visible_to(&me), i.visible_to(&ana), i.visible_to(&bob)], visible, "{:?}", i.sharing);
            assert!(i.editable_by(&me) && !i.editable_by(&ana));
        }
    }

    #[test]
    fn scopes() {
        let inbox = CustomInbox {
            id: "ci".into(),
            name: "VIP".into(),
            owner: "me".into(),
            owner_name: "me".into(),
            filter: SavedFilter::default(),
            sharing: Sharing::Everyone,
        };
        let rows = [
            (Scope::All, "me", true),
            (Scope::All, "ana", true),
            (Scope::Mine, "me", true),
            (Scope::Mine, "ana", false),
            (Scope::Others, "me", false),
            (Scope::Others, "ana", true),
        ];
        for (scope, viewer, expected) in rows {
            assert_eq!(scope.includes(&inbox, &UserId::from(viewer)), expected, "{scope:?} for {viewer}");
        }
    }
}
