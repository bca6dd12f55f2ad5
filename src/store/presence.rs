//! Who else is in which conversation, from the server's `presence` frames.
//!
//! Presence is ephemeral and senders repeat it (viewing every 10 s, typing every 3 s),
//! so each entry carries its own expiry rather than waiting for a "left" that a closed
//! laptop never sends. Pure functions over a `Vec`, so the rules are tested natively.

use parley_domain::wire::PresenceActivity;
use parley_domain::{ConversationId, UserId};

/// How long a `typing` lasts without a repeat (the sender repeats every 3 s).
pub(super) const TYPING_MS: i64 = 6_000;
/// How long a `viewing` lasts without a repeat (the sender repeats every 10 s).
pub(super) const VIEWING_MS: i64 = 25_000;

/// Another user in a conversation, until the later of the two expiries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Presence {
    pub conversation: ConversationId,
    pub user: UserId,
    pub name: String,
    /// Local time (ms) until which they count as typing.
    pub typing_until: i64,
    /// Local time (ms) until which they count as viewing.
    pub viewing_until: i64,
}

impl Presence {
    pub fn typing(&self, now: i64) -> bool {
        self.typing_until > now
    }
}

/// Applies one frame received at local time `now`; returns the delay after which an
/// entry may expire (the caller prunes then), if any.
pub(super) fn apply(
    all: &mut Vec<Presence>,
    conversation: ConversationId,
    user: UserId,
    name: String,
    activity: PresenceActivity,
    now: i64,
) -> Option<i64> {
    let at = all.iter().position(|p| p.conversation == conversation && p.user == user);
    if activity == PresenceActivity::Left {
        if let Some(i) = at {
            all.remove(i);
        }
        return None;
    }
    let entry = match at {
        Some(i) => &mut all[i],
        None => {
            all.push(Presence { conversation, user, name: String::new(), typing_until: 0, viewing_until: 0 });
            all.last_mut().expect("just pushed")
        }
    };
    entry.name = name;
    // Someone typing is also looking at the conversation.
    entry.viewing_until = entry.viewing_until.max(now + VIEWING_MS);
    if activity == PresenceActivity::Typing {
        entry.typing_until = now + TYPING_MS;
        Some(TYPING_MS)
    } else {
        Some(VIEWING_MS)
    }
}

/// Drops what expired by `now`; returns whether anything changed (a typing that lapsed
/// into viewing counts).
pub(super) fn prune(all: &mut Vec<Presence>, now: i64) -> bool {
    let before = all.len();
    all.retain(|p| p.viewing_until > now);
    let mut changed = all.len() != before;
    for p in all.iter_mut().filter(|p| p.typing_until != 0 && p.typing_until <= now) {
        p.typing_until = 0;
        changed = true;
    }
    changed
}

/// Who is in `conversation` at `now`: (name, typing), typists first.
pub(super) fn in_conversation(all: &[Presence], conversation: &ConversationId, now: i64) -> Vec<(String, bool)> {
    let mut people: Vec<(String, bool)> = all
        .iter()
        .filter(|p| &p.conversation == conversation && p.viewing_until > now)
        .map(|p| (p.name.clone(), p.typing(now)))
        .collect();
    people.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    people
}

#[cfg(test)]
mod tests {
    use super::*;
    use PresenceActivity::*;

    fn frame(all: &mut Vec<Presence>, user: &str, activity: PresenceActivity, now: i64) {
        apply(all, "c1".into(), user.into(), user.to_uppercase(), activity, now);
    }

    fn seen(all: &mut Vec<Presence>, now: i64) -> Vec<(String, bool)> {
        prune(all, now);
        in_conversation(all, &"c1".into(), now)
    }

    #[test]
    fn typing_beats_viewing_and_each_expires_on_its_own() {
        let mut all = Vec::new();
        frame(&mut all, "nina", Viewing, 0);
        frame(&mut all, "nina", Typing, 1_000);
        frame(&mut all, "max", Viewing, 1_000);
        assert_eq!(seen(&mut all, 2_000), [("NINA".into(), true), ("MAX".into(), false)]);
        // A viewing repeat does not cancel typing.
        frame(&mut all, "nina", Viewing, 3_000);
        assert_eq!(seen(&mut all, 6_000), [("NINA".into(), true), ("MAX".into(), false)]);
        // Typing lapses after 6 s without repeat, viewing after 25 s.
        assert_eq!(seen(&mut all, 7_001), [("MAX".into(), false), ("NINA".into(), false)]);
        assert_eq!(seen(&mut all, 26_001), [("NINA".into(), false)]);
        assert_eq!(seen(&mut all, 28_001), []);
    }

    #[test]
    fn left_forgets_at_once_and_other_conversations_do_not_show() {
        let mut all = Vec::new();
        frame(&mut all, "nina", Typing, 0);
        apply(&mut all, "c2".into(), "max".into(), "Max".into(), Viewing, 0);
        assert_eq!(seen(&mut all, 1), [("NINA".into(), true)]);
        frame(&mut all, "nina", Left, 2);
        assert_eq!(seen(&mut all, 3), []);
        assert_eq!(all.len(), 1);
    }
}
