use std::collections::HashMap;

use proptest::prelude::*;

use super::*;
use crate::ids::TeamId;
use crate::inbox::tests::user;
use crate::inbox::{counts, side_panel};
use crate::model::{Restriction, Role, Team};

const USERS: [&str; 5] = ["u0", "u1", "u2", "u3", "u4"];
const TEAMS: [&str; 3] = ["sales", "support", "vip"];
const CONVERSATIONS: usize = 8;

fn arb_user(id: &'static str) -> impl Strategy<Value = User> {
    (
        prop_oneof![Just(Role::Owner), Just(Role::Manager), Just(Role::Agent)],
        prop_oneof![Just(Restriction::None), Just(Restriction::Team), Just(Restriction::SelfOnly)],
        proptest::sample::subsequence(TEAMS.to_vec(), 0..=3),
        any::<bool>(),
    )
        .prop_map(move |(role, restriction, teams, blocked_view)| {
            let mut u = user(id, role, restriction, &teams);
            if blocked_view {
                u.permissions.push(crate::model::Permission::ViewBlocked);
            }
            u
        })
}

/// One thing that happens to the workspace, as the server would see it.
#[derive(Clone, Debug)]
enum Op {
    Incoming(usize),
    Assign(usize, Option<usize>),
    Close(usize),
    Reopen(usize),
    /// A snoozed conversation wakes: it stays open, nothing else changes.
    Wake(usize),
    Block(usize, bool),
    /// The user opens the conversation (acknowledges its last incoming message).
    Ack(usize, usize),
    /// The user opens one of their side-panel inboxes (by position).
    OpenInbox(usize, usize),
    TeamChange(usize, Vec<&'static str>),
}

fn arb_op() -> impl Strategy<Value = Op> {
    let c = 0..CONVERSATIONS;
    let u = 0..USERS.len();
    prop_oneof![
        4 => c.clone().prop_map(Op::Incoming),
        // A user (0..5) or a team (5..8).
        2 => (c.clone(), proptest::option::of(0..USERS.len() + TEAMS.len())).prop_map(|(c, a)| Op::Assign(c, a)),
        1 => c.clone().prop_map(Op::Close),
        1 => c.clone().prop_map(Op::Reopen),
        1 => c.clone().prop_map(Op::Wake),
        1 => (c.clone(), any::<bool>()).prop_map(|(c, b)| Op::Block(c, b)),
        2 => (u.clone(), c).prop_map(|(u, c)| Op::Ack(u, c)),
        2 => (u.clone(), 0..6usize).prop_map(|(u, i)| Op::OpenInbox(u, i)),
        1 => (u, proptest::sample::subsequence(TEAMS.to_vec(), 0..=3)).prop_map(|(u, t)| Op::TeamChange(u, t)),
    ]
}

/// The full table the live counts must agree with.
#[derive(Clone, Debug)]
struct Row {
    bucket: Bucket,
    last_incoming: u64,
    acks: HashMap<UserId, u64>,
}

impl Row {
    fn facts(&self, user: &UserId) -> Facts {
        let unseen = self.last_incoming > self.acks.get(user).copied().unwrap_or(0);
        Facts { assignee: self.bucket.assignee.clone(), blocked: self.bucket.blocked, open: self.bucket.open, unseen }
    }
}

/// Assignee `i`: a user of `USERS`, then a team of `TEAMS`.
fn assignee_at(i: usize) -> Assignee {
    match USERS.get(i) {
        Some(u) => Assignee::User((*u).into()),
        None => Assignee::Team(TEAMS[i - USERS.len()].into()),
    }
}

fn conv(i: usize) -> ConversationId {
    ConversationId(format!("c{i}"))
}

fn dir_of(users: &[User]) -> Directory {
    let teams = TEAMS.iter().map(|t| Team { id: (*t).into(), name: t.to_uppercase() }).collect();
    Directory::from_users(teams, users)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// After any sequence of changes, the live counts equal `inbox::counts` over the full
    /// table, for every user.
    #[test]
    fn live_counts_equal_a_full_recount(
        mut users in (arb_user("u0"), arb_user("u1"), arb_user("u2"), arb_user("u3"), arb_user("u4"))
            .prop_map(|(a, b, c, d, e)| vec![a, b, c, d, e]),
        ops in proptest::collection::vec(arb_op(), 0..80),
    ) {
        let mut live = LiveCounts::new();
        let mut table: Vec<Option<Row>> = vec![None; CONVERSATIONS];
        let mut seq = 0u64;
        for op in ops {
            let mut dir = dir_of(&users);
            match op {
                Op::Incoming(c) => {
                    seq += 1;
                    let row = table[c].get_or_insert_with(|| Row {
                        bucket: Bucket { assignee: None, blocked: false, open: true },
                        last_incoming: 0,
                        acks: HashMap::new(),
                    });
                    row.bucket.open = true;
                    row.last_incoming = seq;
                    live.upsert(&conv(c), row.bucket.clone(), Some(seq));
                }
                Op::Assign(c, _) | Op::Close(c) | Op::Reopen(c) | Op::Wake(c) | Op::Block(c, _)
                    if table[c].is_none() => {}
                Op::Assign(c, a) => {
                    let row = table[c].as_mut().unwrap();
                    row.bucket.assignee = a.map(assignee_at);
                    live.upsert(&conv(c), row.bucket.clone(), None);
                }
                Op::Close(c) | Op::Reopen(c) | Op::Wake(c) | Op::Block(c, _) => {
                    let row = table[c].as_mut().unwrap();
                    match op {
                        Op::Close(_) => row.bucket.open = false,
                        Op::Reopen(_) => row.bucket.open = true,
                        Op::Block(_, b) => row.bucket.blocked = b,
                        _ => {}
                    }
                    live.upsert(&conv(c), row.bucket.clone(), None);
                }
                Op::Ack(u, c) => {
                    if let Some(row) = table[c].as_mut() {
                        let id = UserId::from(USERS[u]);
                        let ack = row.acks.entry(id.clone()).or_insert(0);
                        *ack = (*ack).max(row.last_incoming);
                        live.acknowledge(&id, &conv(c), row.last_incoming);
                    }
                }
                Op::OpenInbox(u, i) => {
                    let me = users[u].clone();
                    let panel = side_panel(&dir, &me);
                    if let Some(inbox) = panel.get(i % panel.len().max(1)) {
                        let mut expected: Vec<(ConversationId, u64)> = table
                            .iter()
                            .enumerate()
                            .filter_map(|(c, r)| r.as_ref().map(|r| (c, r)))
                            .filter(|(_, r)| crate::inbox::acknowledged_by_opening(&dir, &me, inbox, &r.facts(&me.id)))
                            .map(|(c, r)| (conv(c), r.last_incoming))
                            .collect();
                        let mut got = live.acknowledged_by_opening(&dir, &me, inbox);
                        expected.sort();
                        got.sort();
                        prop_assert_eq!(&got, &expected);
                        for (id, s) in got {
                            let c: usize = id.0[1..].parse().unwrap();
                            table[c].as_mut().unwrap().acks.insert(me.id.clone(), s);
                            live.acknowledge(&me.id, &id, s);
                        }
                    }
                }
                Op::TeamChange(u, teams) => {
                    users[u].teams = teams.iter().map(|t| TeamId::from(*t)).collect();
                    dir = dir_of(&users);
                }
            }
            for me in &users {
                let facts: Vec<Facts> = table.iter().flatten().map(|r| r.facts(&me.id)).collect();
                prop_assert_eq!(live.counts(&dir, me), counts(&dir, me, &facts), "user {}", me.id);
                for (c, row) in table.iter().enumerate() {
                    prop_assert_eq!(live.facts(&me.id, &conv(c)), row.as_ref().map(|r| r.facts(&me.id)));
                }
            }
        }
    }
}

#[test]
fn an_incoming_message_after_an_ack_lights_the_dot_again() {
    let me = user("u0", Role::Agent, Restriction::None, &["sales"]);
    let dir = dir_of(std::slice::from_ref(&me));
    let mut live = LiveCounts::new();
    let open = Bucket { assignee: Some(assignee_at(0)), blocked: false, open: true };
    let mine = |live: &LiveCounts| live.counts(&dir, &me).into_iter().find(|c| c.id == InboxId::Mine).unwrap();
    live.upsert(&conv(1), open.clone(), Some(5));
    assert_eq!((mine(&live).open, mine(&live).new), (1, 1));
    live.acknowledge(&me.id, &conv(1), 5);
    assert_eq!((mine(&live).open, mine(&live).new), (1, 0));
    // An ack that arrives before the event it covers still counts once the event does.
    live.acknowledge(&me.id, &conv(1), 7);
    live.upsert(&conv(1), open.clone(), Some(7));
    assert_eq!(mine(&live).new, 0);
    live.upsert(&conv(1), open, Some(8));
    assert_eq!(mine(&live).new, 1);
    live.upsert(&conv(1), Bucket { assignee: Some(assignee_at(0)), blocked: false, open: false }, None);
    assert_eq!((mine(&live).open, mine(&live).new), (0, 0));
}
