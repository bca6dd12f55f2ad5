//! How long the inbox rules take at workspace scale: the server recomputes a user's
//! side-panel counts after every batch, over every conversation. Run: `cargo bench -p parley-domain`.

use std::hint::black_box;
use std::time::Instant;

use parley_domain::inbox::{Facts, counts, lit_inbox};
use parley_domain::{Directory, Restriction, Role, Team, TeamId, User, UserId};

fn workspace(conversations: usize) -> (Directory, Vec<User>, Vec<Facts>) {
    let teams: Vec<Team> = (0..8).map(|t| Team { id: TeamId(format!("t{t}")), name: format!("Team {t}") }).collect();
    let users: Vec<User> = (0..60)
        .map(|u| User {
            id: UserId(format!("u{u}")),
            name: format!("User {u}"),
            email: format!("u{u}@bench"),
            role: if u < 3 { Role::Manager } else { Role::Agent },
            restriction: [Restriction::None, Restriction::Team, Restriction::SelfOnly][u % 3],
            teams: vec![TeamId(format!("t{}", u % 8)), TeamId(format!("t{}", (u / 8) % 8))],
            permissions: vec![],
            availability: Default::default(),
        })
        .collect();
    let facts = (0..conversations)
        .map(|i| Facts {
            assignee: (i % 7 != 0).then(|| parley_domain::Assignee::User(UserId(format!("u{}", i % 60)))),
            blocked: i % 97 == 0,
            open: i % 5 != 0,
            unseen: i % 3 == 0,
        })
        .collect();
    (Directory::from_users(teams, &users), users, facts)
}

fn time<T>(label: &str, iterations: u32, mut f: impl FnMut() -> T) {
    let start = Instant::now();
    for _ in 0..iterations {
        black_box(f());
    }
    let per = start.elapsed() / iterations;
    println!("{label:<52} {per:>12.2?} per call");
}

fn main() {
    for n in [1_000, 20_000] {
        let (dir, users, facts) = workspace(n);
        for (who, user) in [("manager", &users[0]), ("agent none", &users[3]), ("agent team", &users[4])] {
            time(&format!("counts, {n} conversations, {who}"), 20, || counts(&dir, user, &facts));
        }
        time(&format!("lit_inbox x {n}, agent none"), 20, || {
            facts.iter().filter_map(|f| lit_inbox(&dir, &users[3], f)).count()
        });
    }
}
