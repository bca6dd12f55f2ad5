//! Who may see a conversation: the last column of PRODUCT.md's "Who sees what" table.
//!
//! Visibility depends only on the contact's assignee (a user, a team or nobody), so it is
//! decided from the [`Assignee`] and a [`Directory`] of team memberships. The server filters every REST response and
//! every WebSocket event through [`can_see`]; the app uses the same function to decide
//! whether an event still belongs on screen.

use std::collections::{HashMap, HashSet};

use crate::ids::{TeamId, UserId};
use crate::model::{Assignee, Restriction, Team, User};

/// Teams in side-panel order and who belongs to which: everything the rules need to
/// know about the workspace beyond the viewer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directory {
    teams: Vec<Team>,
    members: HashMap<UserId, HashSet<TeamId>>,
}

impl Directory {
    /// `teams` is in side-panel order (the order used to pick which team inbox lights).
    pub fn new<'a>(teams: Vec<Team>, users: impl IntoIterator<Item = (&'a UserId, &'a [TeamId])>) -> Self {
        let members = users.into_iter().map(|(id, teams)| (id.clone(), teams.iter().cloned().collect())).collect();
        Directory { teams, members }
    }

    pub fn from_users(teams: Vec<Team>, users: &[User]) -> Self {
        Self::new(teams, users.iter().map(|u| (&u.id, u.teams.as_slice())))
    }

    pub fn teams(&self) -> &[Team] {
        &self.teams
    }

    pub fn team(&self, id: &TeamId) -> Option<&Team> {
        self.teams.iter().find(|t| &t.id == id)
    }

    pub fn is_member(&self, user: &UserId, team: &TeamId) -> bool {
        self.members.get(user).is_some_and(|teams| teams.contains(team))
    }

    /// The teams `user` belongs to.
    pub fn teams_of<'a>(&'a self, user: &UserId) -> impl Iterator<Item = &'a TeamId> {
        self.members.get(user).into_iter().flatten()
    }

    /// Every user of the directory.
    pub fn users(&self) -> impl Iterator<Item = &UserId> {
        self.members.keys()
    }

    /// The members of `team`.
    pub fn members_of<'a>(&'a self, team: &'a TeamId) -> impl Iterator<Item = &'a UserId> {
        self.members.iter().filter(move |(_, teams)| teams.contains(team)).map(|(u, _)| u)
    }

    /// Whether `a` and `b` share at least one team.
    pub fn are_teammates(&self, a: &UserId, b: &UserId) -> bool {
        match (self.members.get(a), self.members.get(b)) {
            (Some(ta), Some(tb)) => !ta.is_disjoint(tb),
            _ => false,
        }
    }
}

/// Whether `viewer` may see a contact (and its conversations) assigned to `assignee`:
/// a blocked contact only with `view_blocked`, on top of [`can_see`].
pub fn can_see_contact(dir: &Directory, viewer: &User, assignee: Option<&Assignee>, blocked: bool) -> bool {
    (!blocked || viewer.has(crate::model::Permission::ViewBlocked)) && can_see(dir, viewer, assignee)
}

/// Whether `viewer` may see a conversation whose contact is assigned to `assignee`: a
/// team-restricted agent sees their own, their teammates' and their teams' contacts.
pub fn can_see(dir: &Directory, viewer: &User, assignee: Option<&Assignee>) -> bool {
    match (viewer.effective_restriction(), assignee) {
        (Restriction::None, _) => true,
        (_, None) => false,
        (Restriction::Team, Some(Assignee::User(a))) => a == &viewer.id || dir.are_teammates(&viewer.id, a),
        (Restriction::Team, Some(Assignee::Team(t))) => dir.is_member(&viewer.id, t),
        (Restriction::SelfOnly, Some(a)) => a.user() == Some(&viewer.id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    pub(crate) fn user(id: &str, role: Role, restriction: Restriction, teams: &[&str]) -> User {
        User {
            id: id.into(),
            name: id.to_uppercase(),
            email: format!("{id}@example.test"),
            role,
            restriction,
            teams: teams.iter().map(|t| TeamId::from(*t)).collect(),
            permissions: vec![],
            availability: Default::default(),
        }
    }

    /// Sales = {me, ana}; Support = {ana, bob}; carl is in no team.
    fn dir(users: &[User]) -> Directory {
        let teams = vec![
            Team { id: "sales".into(), name: "Sales".into() },
            Team { id: "support".into(), name: "Support".into() },
        ];
        Directory::from_users(teams, users)
    }

    fn check(role: Role, restriction: Restriction, assignee: Option<&str>, expected: bool) {
        let me = user("me", role, restriction, &["sales"]);
        let others = [
            user("ana", Role::Agent, Restriction::None, &["sales", "support"]),
            user("bob", Role::Agent, Restriction::None, &["support"]),
            user("carl", Role::Agent, Restriction::None, &[]),
        ];
        let mut all = others.to_vec();
        all.push(me.clone());
        let d = dir(&all);
        let assignee = assignee.map(crate::testing::assignee);
        assert_eq!(
            can_see(&d, &me, assignee.as_ref()),
            expected,
            "{role:?}/{restriction:?} viewing a conversation assigned to {assignee:?}"
        );
    }

    #[test]
    fn visibility_matrix() {
        use Restriction::*;
        use Role::*;
        #[rustfmt::skip]
        let rows: &[(Role, Restriction, Option<&str>, bool)] = &[
            // owners and managers see everything, whatever restriction is stored
            (Owner, None, Option::None, true), (Owner, SelfOnly, Some("bob"), true),
            (Owner, Team, Some("carl"), true), (Manager, None, Some("me"), true),
            (Manager, SelfOnly, Option::None, true), (Manager, Team, Some("bob"), true),
            // agent without restriction: everything
            (Agent, None, Option::None, true), (Agent, None, Some("me"), true),
            (Agent, None, Some("ana"), true), (Agent, None, Some("bob"), true),
            (Agent, None, Some("carl"), true),
            // team restriction: self or a member of an own team
            (Agent, Team, Some("me"), true), (Agent, Team, Some("ana"), true),
            (Agent, Team, Some("bob"), false), (Agent, Team, Some("carl"), false),
            (Agent, Team, Option::None, false),
            // team restriction and a contact assigned to a team: only that team's members
            (Agent, Team, Some("team:sales"), true), (Agent, Team, Some("team:support"), false),
            (Agent, None, Some("team:support"), true), (Manager, SelfOnly, Some("team:support"), true),
            // self restriction: only own
            (Agent, SelfOnly, Some("me"), true), (Agent, SelfOnly, Some("ana"), false),
            (Agent, SelfOnly, Some("bob"), false), (Agent, SelfOnly, Option::None, false),
            (Agent, SelfOnly, Some("team:sales"), false),
        ];
        for &(role, restriction, assignee, expected) in rows {
            check(role, restriction, assignee, expected);
        }
    }

    #[test]
    fn unknown_assignee_is_not_a_teammate() {
        check(Role::Agent, Restriction::Team, Some("ghost"), false);
    }

    #[test]
    fn blocked_contacts_need_view_blocked_on_top_of_the_assignee_rule() {
        let mut holder = user("me", Role::Agent, Restriction::None, &["sales"]);
        holder.permissions = vec![crate::model::Permission::ViewBlocked];
        let plain = user("me", Role::Agent, Restriction::None, &["sales"]);
        let mut restricted = user("me", Role::Agent, Restriction::SelfOnly, &["sales"]);
        restricted.permissions = vec![crate::model::Permission::ViewBlocked];
        let d = dir(std::slice::from_ref(&plain));
        let bob = Assignee::User("bob".into());
        let own = Assignee::User(restricted.id.clone());
        let rows: [(&User, Option<&Assignee>, bool, bool); 6] = [
            (&plain, Some(&bob), false, true),
            (&plain, Some(&bob), true, false),
            (&holder, Some(&bob), true, true),
            (&holder, None, true, true),
            // view_blocked does not widen a restriction.
            (&restricted, Some(&bob), true, false),
            (&restricted, Some(&own), true, true),
        ];
        for (viewer, assignee, blocked, expected) in rows {
            assert_eq!(
                can_see_contact(&d, viewer, assignee, blocked),
                expected,
                "{:?} viewing {assignee:?} blocked={blocked}",
                viewer.permissions
            );
        }
    }
}
