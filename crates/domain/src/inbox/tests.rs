use proptest::prelude::*;

use super::*;
use crate::model::{Role, Team};

pub(super) fn user(id: &str, role: Role, restriction: Restriction, teams: &[&str]) -> User {
    User {
        id: id.into(),
        name: id.into(),
        email: format!("{id}@example.test"),
        role,
        restriction,
        teams: teams.iter().map(|t| TeamId::from(*t)).collect(),
        permissions: vec![],
        availability: Default::default(),
    }
}

/// Sales (first in the panel) = {ana, me?}; Support = {ana, bob}; carl has no team.
fn directory(me: &User) -> Directory {
    let teams =
        vec![Team { id: "sales".into(), name: "Sales".into() }, Team { id: "support".into(), name: "Support".into() }];
    let users = vec![
        me.clone(),
        user("ana", Role::Agent, Restriction::None, &["sales", "support"]),
        user("bob", Role::Agent, Restriction::None, &["support"]),
        user("carl", Role::Agent, Restriction::None, &[]),
    ];
    Directory::from_users(teams, &users)
}

/// `assignee` as in the tables: `team:<id>` is a team, anything else a user.
fn facts(assignee: Option<&str>) -> Facts {
    Facts { assignee: assignee.map(crate::testing::assignee), blocked: false, open: true, unseen: true }
}

fn inbox(s: &str) -> InboxId {
    s.parse().unwrap()
}

/// One row: who I am, who the contact is assigned to, which dot lights (None: no dot).
fn check(me: &User, assignee: Option<&str>, expected: Option<&str>) {
    let dir = directory(me);
    let got = lit_inbox(&dir, me, &facts(assignee));
    assert_eq!(
        got,
        expected.map(inbox),
        "{:?}/{:?} in {:?}, conversation assigned to {assignee:?}",
        me.role,
        me.restriction,
        me.teams
    );
    // The counts agree with lit_inbox: exactly that inbox shows 1 new, every other 0.
    let counts = counts(&dir, me, [&facts(assignee)]);
    for c in &counts {
        let want = u32::from(Some(&c.id) == got.as_ref());
        assert_eq!(c.new, want, "new count of {} for assignee {assignee:?}", c.id);
    }
}

#[test]
fn indicator_priority() {
    use Restriction as R;
    let agent = user("me", Role::Agent, R::None, &["sales"]);
    let two_teams = user("me", Role::Agent, R::None, &["sales", "support"]);
    let manager = user("me", Role::Manager, R::None, &[]);
    let owner = user("me", Role::Owner, R::SelfOnly, &["support"]);
    let team_agent = user("me", Role::Agent, R::Team, &["sales"]);
    let self_agent = user("me", Role::Agent, R::SelfOnly, &["sales"]);
    #[rustfmt::skip]
    let rows: &[(&User, Option<&str>, Option<&str>)] = &[
        // Mine beats everything, including a team the user is in and All.
        (&agent, Some("me"), Some("mine")),
        (&two_teams, Some("me"), Some("mine")),
        (&manager, Some("me"), Some("mine")),
        (&team_agent, Some("me"), Some("mine")),
        (&self_agent, Some("me"), Some("mine")),
        // A teammate's conversation lights that team only.
        (&agent, Some("ana"), Some("team-sales")),
        (&team_agent, Some("ana"), Some("team-sales")),
        // In two teams with the assignee in both, the first in side-panel order wins.
        (&two_teams, Some("ana"), Some("team-sales")),
        (&two_teams, Some("bob"), Some("team-support")),
        // Managers see every team inbox, in panel order.
        (&manager, Some("ana"), Some("team-sales")),
        (&manager, Some("bob"), Some("team-support")),
        (&owner, Some("bob"), Some("team-support")),
        // Unassigned beats All.
        (&agent, None, Some("unassigned")),
        (&manager, None, Some("unassigned")),
        // Someone outside my teams: All.
        (&agent, Some("bob"), Some("all")),
        (&agent, Some("carl"), Some("all")),
        (&manager, Some("carl"), Some("all")),
        // Restricted agents get no dot for what they cannot see.
        // Assigned to a team and nobody in it: that team's inbox for its members (even
        // before Unassigned), All for the others, nothing for restricted outsiders.
        (&agent, Some("team:sales"), Some("team-sales")),
        (&team_agent, Some("team:sales"), Some("team-sales")),
        (&two_teams, Some("team:support"), Some("team-support")),
        (&manager, Some("team:support"), Some("team-support")),
        (&agent, Some("team:support"), Some("all")),
        (&team_agent, Some("team:support"), None),
        (&self_agent, Some("team:sales"), None),
        (&team_agent, Some("bob"), None),
        (&team_agent, None, None),
        (&self_agent, Some("ana"), None),
        (&self_agent, None, None),
    ];
    for &(me, assignee, expected) in rows {
        check(me, assignee, expected);
    }
}

#[test]
fn side_panel_per_role_and_restriction() {
    use Restriction as R;
    let rows: &[(User, &[&str])] = &[
        (user("me", Role::Owner, R::SelfOnly, &[]), &["all", "mine", "unassigned", "team-sales", "team-support"]),
        (
            user("me", Role::Manager, R::Team, &["support"]),
            &["all", "mine", "unassigned", "team-sales", "team-support"],
        ),
        (user("me", Role::Agent, R::None, &["support"]), &["all", "mine", "unassigned", "team-support"]),
        (user("me", Role::Agent, R::Team, &["sales"]), &["mine", "team-sales"]),
        (user("me", Role::Agent, R::SelfOnly, &["sales"]), &["mine"]),
    ];
    for (me, expected) in rows {
        let got: Vec<String> = side_panel(&directory(me), me).iter().map(ToString::to_string).collect();
        assert_eq!(got, *expected, "{:?}/{:?}", me.role, me.restriction);
    }
}

#[test]
fn blocked_closed_and_seen_conversations_light_nothing() {
    let me = user("me", Role::Agent, Restriction::None, &["sales"]);
    let dir = directory(&me);
    let blocked = Facts { blocked: true, ..facts(Some("me")) };
    let closed = Facts { open: false, ..facts(Some("me")) };
    let seen = Facts { unseen: false, ..facts(Some("me")) };
    for f in [&blocked, &closed, &seen] {
        assert!(counts(&dir, &me, [f]).iter().all(|c| c.new == 0), "{f:?}");
    }
    // Blocked conversations leave the open counts; closed ones never counted.
    assert!(counts(&dir, &me, [&blocked, &closed]).iter().all(|c| c.open == 0));
    // A seen open conversation still counts as open in every inbox that holds it.
    let open: Vec<(String, u32)> = counts(&dir, &me, [&seen]).into_iter().map(|c| (c.id.to_string(), c.open)).collect();
    assert_eq!(open, [("all".into(), 1), ("mine".into(), 1), ("unassigned".into(), 0), ("team-sales".into(), 1)]);
}

#[test]
fn the_blocked_inbox_shows_with_the_permission_while_someone_visible_is_blocked() {
    let mut me = user("me", Role::Agent, Restriction::None, &["sales"]);
    let dir = directory(&me);
    let blocked_open = Facts { blocked: true, ..facts(None) };
    let blocked_closed = Facts { blocked: true, open: false, ..facts(Some("me")) };
    let ids = |me: &User, all: &[&Facts]| -> Vec<(String, u32)> {
        counts(&dir, me, all.iter().copied())
            .into_iter()
            .filter(|c| c.kind == InboxKind::Blocked)
            .map(|c| (c.id.to_string(), c.open))
            .collect()
    };
    // Without the permission: never, and the inbox cannot be opened.
    assert!(ids(&me, &[&blocked_open]).is_empty());
    assert!(!may_open(&dir, &me, &InboxId::Blocked));
    me.permissions.push(crate::model::Permission::ViewBlocked);
    // With it: only while someone is blocked; closed conversations show but are not open.
    assert!(ids(&me, &[&facts(None)]).is_empty());
    assert_eq!(ids(&me, &[&blocked_open, &blocked_closed, &facts(None)]), [("blocked".to_owned(), 1)]);
    assert!(may_open(&dir, &me, &InboxId::Blocked));
    // It holds only blocked contacts' conversations, and they light no dot.
    assert!(holds(&dir, &me, &InboxId::Blocked, &blocked_open));
    assert!(!holds(&dir, &me, &InboxId::Blocked, &facts(None)));
    assert!(!holds(&dir, &me, &InboxId::All, &blocked_open));
    assert_eq!(lit_inbox(&dir, &me, &blocked_open), None);
    // A self agent with the permission sees only their own blocked contacts.
    let mut sam = user("sam", Role::Agent, Restriction::SelfOnly, &[]);
    sam.permissions.push(crate::model::Permission::ViewBlocked);
    let dir = directory(&sam);
    assert!(!holds(&dir, &sam, &InboxId::Blocked, &blocked_open));
}

#[test]
fn a_team_assigned_conversation_sits_in_its_team_inbox_not_in_unassigned() {
    let me = user("me", Role::Agent, Restriction::None, &["sales"]);
    let dir = directory(&me);
    let sales = facts(Some("team:sales"));
    let support = facts(Some("team:support"));
    #[rustfmt::skip]
    let rows: [(&Facts, &str, bool); 8] = [
        (&sales, "team-sales", true), (&sales, "unassigned", false), (&sales, "mine", false), (&sales, "all", true),
        (&support, "team-support", true), (&support, "team-sales", false), (&support, "unassigned", false),
        (&facts(None), "team-sales", false),
    ];
    for (f, id, expected) in rows {
        assert_eq!(holds(&dir, &me, &inbox(id), f), expected, "{id} holds {:?}", f.assignee);
    }
    let open: Vec<(String, u32)> =
        counts(&dir, &me, [&sales, &support]).into_iter().map(|c| (c.id.to_string(), c.open)).collect();
    assert_eq!(open, [("all".into(), 2), ("mine".into(), 0), ("unassigned".into(), 0), ("team-sales".into(), 1)]);
}

#[test]
fn two_unseen_conversations_count_two_and_messages_do_not_matter() {
    let me = user("me", Role::Agent, Restriction::None, &["sales"]);
    let dir = directory(&me);
    let c = counts(&dir, &me, [&facts(None), &facts(None), &facts(Some("me"))]);
    let new: Vec<u32> = c.iter().map(|c| c.new).collect();
    assert_eq!(new, [0, 1, 2, 0]);
}

#[test]
fn opening_an_inbox_acknowledges_exactly_what_it_lit() {
    let me = user("me", Role::Agent, Restriction::None, &["sales"]);
    let dir = directory(&me);
    let mine = facts(Some("me"));
    let un = facts(None);
    assert!(acknowledged_by_opening(&dir, &me, &InboxId::Mine, &mine));
    assert!(!acknowledged_by_opening(&dir, &me, &InboxId::All, &mine));
    assert!(!acknowledged_by_opening(&dir, &me, &InboxId::Mine, &un));
    assert!(acknowledged_by_opening(&dir, &me, &InboxId::Unassigned, &un));
}

#[test]
fn inbox_ids_round_trip() {
    for s in ["all", "mine", "unassigned", "team-sales", "team-a-b", "blocked"] {
        assert_eq!(inbox(s).to_string(), s);
        let json = serde_json::to_string(&inbox(s)).unwrap();
        assert_eq!(serde_json::from_str::<InboxId>(&json).unwrap(), inbox(s));
    }
    for bad in ["", "team-", "Mine", "Blocked"] {
        assert!(bad.parse::<InboxId>().is_err(), "{bad:?}");
    }
}

// ---- property tests: random workspaces --------------------------------------------

const TEAMS: [&str; 3] = ["t0", "t1", "t2"];

fn arb_user(id: &'static str) -> impl Strategy<Value = User> {
    (
        prop_oneof![Just(Role::Owner), Just(Role::Manager), Just(Role::Agent), Just(Role::Agent)],
        prop_oneof![Just(Restriction::None), Just(Restriction::Team), Just(Restriction::SelfOnly)],
        proptest::sample::subsequence(TEAMS.to_vec(), 0..=3),
    )
        .prop_map(move |(role, restriction, teams)| user(id, role, restriction, &teams))
}

const USERS: [&str; 5] = ["u0", "u1", "u2", "u3", "u4"];
/// Contacts may be assigned to a team too (t3: a team nobody is in, nor in the panel).
const TEAM_ASSIGNEES: [&str; 4] = ["team:t0", "team:t1", "team:t2", "team:t3"];

fn arb_workspace() -> impl Strategy<Value = (Vec<User>, Vec<Facts>)> {
    let users = (arb_user("u0"), arb_user("u1"), arb_user("u2"), arb_user("u3"), arb_user("u4"))
        .prop_map(|(a, b, c, d, e)| vec![a, b, c, d, e]);
    let fact = (
        proptest::option::of(proptest::sample::select([USERS.as_slice(), &TEAM_ASSIGNEES].concat())),
        proptest::bool::weighted(0.1),
        proptest::bool::weighted(0.8),
        any::<bool>(),
    )
        .prop_map(|(a, blocked, open, unseen)| Facts {
            assignee: a.map(crate::testing::assignee),
            blocked,
            open,
            unseen,
        });
    (users, proptest::collection::vec(fact, 0..40))
}

fn dir_of(users: &[User]) -> Directory {
    let teams = TEAMS.iter().map(|t| Team { id: (*t).into(), name: t.to_uppercase() }).collect();
    Directory::from_users(teams, users)
}

proptest! {
    #[test]
    fn every_new_visible_conversation_lights_exactly_one_inbox_that_holds_it((users, all) in arb_workspace()) {
        let dir = dir_of(&users);
        for me in &users {
            let panel = side_panel(&dir, me);
            for f in &all {
                let visible = can_see(&dir, me, f.assignee.as_ref()) && !f.blocked;
                let lit = lit_inbox(&dir, me, f);
                prop_assert_eq!(lit.is_some(), visible);
                if let Some(lit) = lit {
                    prop_assert!(panel.contains(&lit));
                    prop_assert!(holds(&dir, me, &lit, f));
                    let opening_acks: Vec<&InboxId> =
                        panel.iter().filter(|i| acknowledged_by_opening(&dir, me, i, f)).collect();
                    prop_assert_eq!(opening_acks.len(), usize::from(is_new(f)));
                }
            }
            let expected_new = all.iter().filter(|f| is_new(f) && !f.blocked && can_see(&dir, me, f.assignee.as_ref())).count();
            let total_new: u32 = counts(&dir, me, &all).iter().map(|c| c.new).sum();
            prop_assert_eq!(total_new as usize, expected_new);
        }
    }

    #[test]
    fn invisible_conversations_affect_no_count((users, all) in arb_workspace()) {
        let dir = dir_of(&users);
        for me in &users {
            let visible: Vec<Facts> =
                all.iter().filter(|f| can_see(&dir, me, f.assignee.as_ref())).cloned().collect();
            prop_assert_eq!(counts(&dir, me, &all), counts(&dir, me, &visible));
        }
    }

    #[test]
    fn opening_an_inbox_clears_only_its_own_dot((users, all) in arb_workspace(), pick in 0usize..8) {
        let dir = dir_of(&users);
        for me in &users {
            let panel = side_panel(&dir, me);
            let opened = &panel[pick % panel.len()];
            let before = counts(&dir, me, &all);
            let after_facts: Vec<Facts> = all
                .iter()
                .map(|f| Facts { unseen: f.unseen && !acknowledged_by_opening(&dir, me, opened, f), ..f.clone() })
                .collect();
            let after = counts(&dir, me, &after_facts);
            for (b, a) in before.iter().zip(&after) {
                prop_assert_eq!(a.open, b.open);
                prop_assert_eq!(a.new, if &a.id == opened { 0 } else { b.new });
            }
        }
    }
}

proptest! {
    #[test]
    fn an_inbox_scope_holds_exactly_what_holds_holds((users, all) in arb_workspace()) {
        let dir = dir_of(&users);
        let with_blocked = users.iter().cloned().map(|mut u| {
            u.permissions.push(crate::model::Permission::ViewBlocked);
            u
        });
        for me in &users.iter().cloned().chain(with_blocked).collect::<Vec<_>>() {
            let mut inboxes = side_panel(&dir, me);
            inboxes.push(InboxId::Blocked);
            inboxes.push(InboxId::Team("nobody".into()));
            for inbox in &inboxes {
                let scope = scope(&dir, me, inbox);
                for f in &all {
                    prop_assert_eq!(scope.contains(f), holds(&dir, me, inbox, f), "{} {:?} {:?}", me.id, inbox, f);
                }
            }
            // What the contacts page searches within: exactly `can_see`.
            let visible = visible_assignees(&dir, me);
            for f in &all {
                prop_assert_eq!(visible.contains(f.assignee.as_ref()), can_see(&dir, me, f.assignee.as_ref()));
            }
        }
    }
}

#[test]
fn totals_add_the_dots_and_take_all_open() {
    let count = |id: InboxId, open, new| InboxCount { kind: id.kind(), name: id.to_string(), id, open, new };
    let team = InboxId::Team(TeamId::new("t-sales"));
    #[rustfmt::skip]
    let rows: [(Vec<InboxCount>, (u32, u32)); 4] = [
        (vec![], (0, 0)),
        (vec![count(InboxId::Mine, 2, 1), count(InboxId::All, 6, 0)], (1, 6)),
        // One new conversation lights one inbox: Mine's, Sales's and Unassigned's dots add.
        (vec![count(InboxId::Mine, 1, 1), count(team.clone(), 3, 2), count(InboxId::Unassigned, 1, 1), count(InboxId::All, 9, 1)], (5, 9)),
        // No All inbox: nothing open to report.
        (vec![count(team, 3, 0)], (0, 0)),
    ];
    for (counts, expected) in rows {
        assert_eq!(totals(&counts), expected, "{counts:?}");
    }
}
