//! The side panel's standard and team inboxes: which a user sees, what each holds, the
//! open counts and the blue new-message indicator.
//!
//! The indicator rule, from PRODUCT.md: each conversation with unseen incoming messages
//! lights exactly one inbox, the first of Mine > Team (side-panel order) > Unassigned >
//! All that the user sees and that holds it; its number counts conversations. A team
//! inbox holds its members' contacts and the contacts assigned to the team itself (no
//! user), which Unassigned does not hold.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ids::TeamId;
use crate::model::{Assignee, Permission, Restriction, User};
use crate::visibility::{Directory, can_see};

/// A standard or team inbox. Its string form (`all`, `mine`, `unassigned`, `team-<id>`)
/// is used in URLs and on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum InboxId {
    All,
    Mine,
    Unassigned,
    Team(TeamId),
    /// Conversations of blocked contacts: only for users allowed to see them, and only
    /// while someone is blocked.
    Blocked,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InboxKind {
    Standard,
    Team,
    Blocked,
}

crate::names::wire_names!(InboxKind { Standard = "standard", Team = "team", Blocked = "blocked" });

impl InboxId {
    pub fn kind(&self) -> InboxKind {
        match self {
            InboxId::Team(_) => InboxKind::Team,
            InboxId::Blocked => InboxKind::Blocked,
            _ => InboxKind::Standard,
        }
    }

    /// The name shown in the side panel.
    pub fn name(&self, dir: &Directory) -> String {
        match self {
            InboxId::All => "All".into(),
            InboxId::Mine => "Mine".into(),
            InboxId::Unassigned => "Unassigned".into(),
            InboxId::Team(t) => dir.team(t).map_or_else(|| t.to_string(), |t| t.name.clone()),
            InboxId::Blocked => "Blocked contacts".into(),
        }
    }
}

impl fmt::Display for InboxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InboxId::All => f.write_str("all"),
            InboxId::Mine => f.write_str("mine"),
            InboxId::Unassigned => f.write_str("unassigned"),
            InboxId::Team(t) => write!(f, "team-{t}"),
            InboxId::Blocked => f.write_str("blocked"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownInbox(pub String);

impl fmt::Display for UnknownInbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown inbox {:?}", self.0)
    }
}

impl std::error::Error for UnknownInbox {}

impl FromStr for InboxId {
    type Err = UnknownInbox;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "all" => Ok(InboxId::All),
            "mine" => Ok(InboxId::Mine),
            "unassigned" => Ok(InboxId::Unassigned),
            "blocked" => Ok(InboxId::Blocked),
            _ => match s.strip_prefix("team-") {
                Some(t) if !t.is_empty() => Ok(InboxId::Team(TeamId::from(t))),
                _ => Err(UnknownInbox(s.to_owned())),
            },
        }
    }
}

impl Serialize for InboxId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for InboxId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// On the wire as its name: `all`, `mine`, `unassigned`, `blocked` or `team-<team id>`.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for InboxId {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^(all|mine|unassigned|blocked|team-.+)$"))
            .description(Some("`all`, `mine`, `unassigned`, `blocked` or `team-<team id>`"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for InboxId {}

/// What the inbox rules need to know about one conversation, from one user's point of
/// view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    /// The contact's assignee: a user, a team or nobody.
    pub assignee: Option<Assignee>,
    pub blocked: bool,
    pub open: bool,
    /// The conversation has an incoming message this user has not acknowledged.
    pub unseen: bool,
}

/// The standard and team inboxes `user` sees, in side-panel order: All, Mine,
/// Unassigned, then teams in workspace order.
pub fn side_panel(dir: &Directory, user: &User) -> Vec<InboxId> {
    let restriction = user.effective_restriction();
    let mut inboxes = Vec::with_capacity(3 + dir.teams().len());
    if restriction == Restriction::None {
        inboxes.push(InboxId::All);
    }
    inboxes.push(InboxId::Mine);
    if restriction == Restriction::None {
        inboxes.push(InboxId::Unassigned);
    }
    if restriction != Restriction::SelfOnly {
        let supervisor = user.role.is_supervisor();
        inboxes.extend(
            dir.teams()
                .iter()
                .filter(|t| supervisor || user.teams.contains(&t.id))
                .map(|t| InboxId::Team(t.id.clone())),
        );
    }
    inboxes
}

/// Whether `inbox` holds the conversation for `user`. Blocked contacts' conversations
/// live only in the blocked inbox, and nothing the user may not see is held anywhere.
pub fn holds(dir: &Directory, user: &User, inbox: &InboxId, facts: &Facts) -> bool {
    if !can_see(dir, user, facts.assignee.as_ref()) {
        return false;
    }
    match inbox {
        InboxId::Blocked => facts.blocked && user.has(Permission::ViewBlocked),
        _ if facts.blocked => false,
        InboxId::All => true,
        InboxId::Mine => facts.assignee.as_ref().and_then(Assignee::user) == Some(&user.id),
        InboxId::Unassigned => facts.assignee.is_none(),
        InboxId::Team(team) => match &facts.assignee {
            Some(Assignee::User(a)) => dir.is_member(a, team),
            Some(Assignee::Team(t)) => t == team,
            None => false,
        },
    }
}

/// The inboxes of `panel` in indicator priority: Mine > teams (panel order) > Unassigned > All.
fn by_priority(panel: &[InboxId]) -> impl Iterator<Item = &InboxId> {
    let rank = |i: &InboxId| match i {
        InboxId::Mine => 0,
        InboxId::Team(_) => 1,
        InboxId::Unassigned => 2,
        InboxId::All => 3,
        // No blue dot: it is not one of the indicator's inboxes.
        InboxId::Blocked => 4,
    };
    (0..4).flat_map(move |r| panel.iter().filter(move |i| rank(i) == r))
}

/// The one inbox whose dot a conversation would light for `user`, whether or not it has
/// unseen messages: the first inbox by priority that the user sees and that holds it.
pub fn lit_inbox(dir: &Directory, user: &User, facts: &Facts) -> Option<InboxId> {
    let panel = side_panel(dir, user);
    lit_in_panel(dir, user, &panel, facts)
}

fn lit_in_panel(dir: &Directory, user: &User, panel: &[InboxId], facts: &Facts) -> Option<InboxId> {
    by_priority(panel).find(|i| holds(dir, user, i, facts)).cloned()
}

/// Whether the conversation currently shows in a blue dot (it is open and unseen).
pub fn is_new(facts: &Facts) -> bool {
    facts.open && facts.unseen
}

/// Whether opening `inbox` acknowledges this conversation: it does exactly when the
/// conversation is what lights that inbox's dot.
pub fn acknowledged_by_opening(dir: &Directory, user: &User, inbox: &InboxId, facts: &Facts) -> bool {
    is_new(facts) && lit_inbox(dir, user, facts).as_ref() == Some(inbox)
}

/// One side-panel entry's numbers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxCount {
    pub id: InboxId,
    pub kind: InboxKind,
    pub name: String,
    /// Open conversations held.
    pub open: u32,
    /// Conversations whose unseen messages light this inbox's blue dot.
    pub new: u32,
}

/// The side panel's totals, as an embedding portal shows them: `new` counts the
/// conversations lighting any dot (each lights exactly one inbox, so the dots add up),
/// `open` the open conversations the user sees (All's count).
pub fn totals(counts: &[InboxCount]) -> (u32, u32) {
    let new = counts.iter().map(|c| c.new).sum();
    let open = counts.iter().find(|c| c.id == InboxId::All).map_or(0, |c| c.open);
    (new, open)
}

/// Whether `user` may open `inbox`: one of their side-panel inboxes, or the blocked
/// inbox with the permission (it shows in the panel only while someone is blocked).
pub fn may_open(dir: &Directory, user: &User, inbox: &InboxId) -> bool {
    match inbox {
        InboxId::Blocked => user.has(Permission::ViewBlocked),
        _ => side_panel(dir, user).contains(inbox),
    }
}

/// Open counts and blue-dot numbers for every inbox of `user`'s side panel, in panel
/// order, then the blocked inbox when the user may see it and someone visible is blocked.
pub fn counts<'a>(dir: &Directory, user: &User, all: impl IntoIterator<Item = &'a Facts>) -> Vec<InboxCount> {
    counts_weighted(dir, user, all.into_iter().map(|f| (f, 1)))
}

/// [`counts`] over conversations grouped by identical facts: `(facts, how many)`. The
/// server's live counts ([`live::LiveCounts`]) keep such groups instead of every row, so
/// a count costs the number of groups, not the number of conversations.
pub fn counts_weighted<'a>(
    dir: &Directory,
    user: &User,
    all: impl IntoIterator<Item = (&'a Facts, u32)>,
) -> Vec<InboxCount> {
    let panel = side_panel(dir, user);
    let mut blocked: Option<InboxCount> = None;
    let mut out: Vec<InboxCount> = panel
        .iter()
        .map(|id| InboxCount { id: id.clone(), kind: id.kind(), name: id.name(dir), open: 0, new: 0 })
        .collect();
    for (facts, n) in all {
        if n == 0 {
            continue;
        }
        if holds(dir, user, &InboxId::Blocked, facts) {
            let slot = blocked.get_or_insert_with(|| InboxCount {
                id: InboxId::Blocked,
                kind: InboxKind::Blocked,
                name: InboxId::Blocked.name(dir),
                open: 0,
                new: 0,
            });
            if facts.open {
                slot.open += n;
            }
        }
        for (slot, id) in out.iter_mut().zip(&panel) {
            if facts.open && holds(dir, user, id, facts) {
                slot.open += n;
            }
        }
        if is_new(facts)
            && let Some(lit) = lit_in_panel(dir, user, &panel, facts)
            && let Some(slot) = out.iter_mut().find(|c| c.id == lit)
        {
            slot.new += n;
        }
    }
    out.extend(blocked);
    out
}

/// Which conversations an inbox holds for a user, as a condition a database can use:
/// the contact's blocked flag and a set of assignees, users and teams (visibility and the
/// inbox's own rule intersected). `scope(..).contains(facts) == holds(..)` for every conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub blocked: bool,
    pub assignees: Assignees,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Assignees {
    Any,
    /// Exactly these (`None`: unassigned), sorted; empty holds nothing.
    Only(Vec<Option<Assignee>>),
}

impl Assignees {
    pub fn contains(&self, assignee: Option<&Assignee>) -> bool {
        match self {
            Assignees::Any => true,
            Assignees::Only(set) => set.iter().any(|a| a.as_ref() == assignee),
        }
    }

    pub fn intersect(self, other: Assignees) -> Assignees {
        match (self, other) {
            (Assignees::Any, x) | (x, Assignees::Any) => x,
            (Assignees::Only(a), Assignees::Only(b)) => {
                Assignees::Only(a.into_iter().filter(|x| b.contains(x)).collect())
            }
        }
    }

    fn only(mut set: Vec<Option<Assignee>>) -> Assignees {
        set.sort();
        set.dedup();
        Assignees::Only(set)
    }
}

impl Scope {
    pub fn contains(&self, facts: &Facts) -> bool {
        self.blocked == facts.blocked && self.assignees.contains(facts.assignee.as_ref())
    }
}

/// The assignees whose contacts `user` may see (`visibility::can_see` as a set, for SQL);
/// blocked contacts need `view_blocked` on top.
pub fn visible_assignees(dir: &Directory, user: &User) -> Assignees {
    let me = || Some(Assignee::User(user.id.clone()));
    match user.effective_restriction() {
        Restriction::None => Assignees::Any,
        Restriction::Team => Assignees::only(
            dir.users()
                .filter(|u| *u == &user.id || dir.are_teammates(&user.id, u))
                .map(|u| Some(Assignee::User(u.clone())))
                .chain(dir.teams_of(&user.id).map(|t| Some(Assignee::Team(t.clone()))))
                .chain([me()])
                .collect(),
        ),
        Restriction::SelfOnly => Assignees::only(vec![me()]),
    }
}

/// The [`Scope`] of `inbox` for `user`: what [`holds`] decides, as sets.
pub fn scope(dir: &Directory, user: &User, inbox: &InboxId) -> Scope {
    let visible = visible_assignees(dir, user);
    let (blocked, held) = match inbox {
        InboxId::Blocked if user.has(Permission::ViewBlocked) => (true, Assignees::Any),
        InboxId::Blocked => (true, Assignees::Only(Vec::new())),
        InboxId::All => (false, Assignees::Any),
        InboxId::Mine => (false, Assignees::only(vec![Some(Assignee::User(user.id.clone()))])),
        InboxId::Unassigned => (false, Assignees::only(vec![None])),
        InboxId::Team(team) => (
            false,
            Assignees::only(
                dir.members_of(team)
                    .map(|u| Some(Assignee::User(u.clone())))
                    .chain([Some(Assignee::Team(team.clone()))])
                    .collect(),
            ),
        ),
    };
    Scope { blocked, assignees: visible.intersect(held) }
}

pub mod live;

#[cfg(test)]
mod tests;
