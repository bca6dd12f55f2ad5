//! Side-panel counts kept current event by event, for a server that streams them to
//! many agents at once.
//!
//! Recounting every conversation for every agent after every event costs agents ×
//! conversations. The counts only depend on a conversation's assignee, whether its
//! contact is blocked, whether it is open and whether the viewer has acknowledged its
//! last incoming message, so [`LiveCounts`] keeps conversations grouped by the first three
//! (a "bucket"), how many of each group have an incoming message, and per user how many
//! of those they acknowledged. A user's counts are then [`counts_weighted`] over the
//! buckets: the same rules as [`counts`], at the cost of the number of buckets (a few per
//! assignee), whatever the size of the workspace.

use std::collections::HashMap;

use super::{Facts, InboxCount, InboxId, acknowledged_by_opening, counts_weighted};
use crate::ids::{ConversationId, UserId};
use crate::model::{Assignee, User};
use crate::visibility::Directory;

/// What a change says about one conversation (from its summary after the change).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Bucket {
    pub assignee: Option<Assignee>,
    pub blocked: bool,
    pub open: bool,
}

#[derive(Clone, Debug)]
struct Tracked {
    bucket: Bucket,
    /// Seq of the last incoming message's event (0: none yet).
    last_incoming: u64,
    /// What each user acknowledged: the `last_incoming` they saw.
    acks: HashMap<UserId, u64>,
}

impl Tracked {
    fn seen_by(&self, user: &UserId) -> bool {
        self.last_incoming > 0 && self.acks.get(user).is_some_and(|a| *a >= self.last_incoming)
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    total: u32,
    with_incoming: u32,
}

/// Every conversation's counting facts, grouped so that counts cost little to read.
#[derive(Clone, Debug, Default)]
pub struct LiveCounts {
    conversations: HashMap<ConversationId, Tracked>,
    buckets: HashMap<Bucket, Tally>,
    /// Per user and bucket: conversations with an incoming message the user acknowledged.
    seen: HashMap<UserId, HashMap<Bucket, u32>>,
}

impl LiveCounts {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.conversations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.conversations.is_empty()
    }

    /// A conversation appeared or changed. `incoming`: the seq of an incoming message it
    /// just received (makes it unseen for whoever acknowledged less).
    pub fn upsert(&mut self, id: &ConversationId, bucket: Bucket, incoming: Option<u64>) {
        let mut tracked = match self.conversations.remove(id) {
            Some(t) => {
                self.withdraw(&t);
                t
            }
            None => Tracked { bucket: bucket.clone(), last_incoming: 0, acks: HashMap::new() },
        };
        tracked.bucket = bucket;
        if let Some(seq) = incoming {
            tracked.last_incoming = tracked.last_incoming.max(seq);
        }
        self.add(&tracked);
        self.conversations.insert(id.clone(), tracked);
    }

    /// Loads a conversation as stored (at start-up): its facts, last incoming seq and acks.
    pub fn load(&mut self, id: &ConversationId, bucket: Bucket, last_incoming: u64, acks: HashMap<UserId, u64>) {
        if let Some(old) = self.conversations.remove(id) {
            self.withdraw(&old);
        }
        let tracked = Tracked { bucket, last_incoming, acks };
        self.add(&tracked);
        self.conversations.insert(id.clone(), tracked);
    }

    /// `user` acknowledged the conversation up to `seq` (acks never go back).
    pub fn acknowledge(&mut self, user: &UserId, id: &ConversationId, seq: u64) {
        let Some(t) = self.conversations.get_mut(id) else { return };
        let before = t.seen_by(user);
        let ack = t.acks.entry(user.clone()).or_insert(0);
        *ack = (*ack).max(seq);
        let after = t.seen_by(user);
        if before != after {
            let slot = self.seen.entry(user.clone()).or_default().entry(t.bucket.clone()).or_default();
            if after {
                *slot += 1;
            } else {
                *slot -= 1;
            }
        }
    }

    /// The facts of one conversation from `user`'s point of view.
    pub fn facts(&self, user: &UserId, id: &ConversationId) -> Option<Facts> {
        self.conversations.get(id).map(|t| facts_of(&t.bucket, !t.seen_by(user) && t.last_incoming > 0))
    }

    /// A conversation's assignee, if the conversation is known.
    pub fn assignee(&self, id: &ConversationId) -> Option<Option<&Assignee>> {
        self.conversations.get(id).map(|t| t.bucket.assignee.as_ref())
    }

    /// `user`'s side-panel counts: [`super::counts`] over every conversation.
    pub fn counts(&self, dir: &Directory, user: &User) -> Vec<InboxCount> {
        let seen = self.seen.get(&user.id);
        let groups: Vec<(Facts, u32)> = self
            .buckets
            .iter()
            .flat_map(|(bucket, tally)| {
                let acked = seen.and_then(|s| s.get(bucket)).copied().unwrap_or(0);
                let unseen = tally.with_incoming - acked;
                [(facts_of(bucket, true), unseen), (facts_of(bucket, false), tally.total - unseen)]
            })
            .collect();
        counts_weighted(dir, user, groups.iter().map(|(f, n)| (f, *n)))
    }

    /// What opening `inbox` acknowledges for `user`: each conversation lighting its dot,
    /// with the seq to record.
    pub fn acknowledged_by_opening(&self, dir: &Directory, user: &User, inbox: &InboxId) -> Vec<(ConversationId, u64)> {
        self.conversations
            .iter()
            .filter(|(_, t)| t.bucket.open && t.last_incoming > 0 && !t.seen_by(&user.id))
            .filter(|(_, t)| acknowledged_by_opening(dir, user, inbox, &facts_of(&t.bucket, true)))
            .map(|(id, t)| (id.clone(), t.last_incoming))
            .collect()
    }

    fn add(&mut self, t: &Tracked) {
        let tally = self.buckets.entry(t.bucket.clone()).or_default();
        tally.total += 1;
        if t.last_incoming > 0 {
            tally.with_incoming += 1;
            for (user, _) in t.acks.iter().filter(|(u, _)| t.seen_by(u)) {
                *self.seen.entry(user.clone()).or_default().entry(t.bucket.clone()).or_default() += 1;
            }
        }
    }

    fn withdraw(&mut self, t: &Tracked) {
        if let Some(tally) = self.buckets.get_mut(&t.bucket) {
            tally.total -= 1;
            if t.last_incoming > 0 {
                tally.with_incoming -= 1;
            }
            if tally.total == 0 {
                self.buckets.remove(&t.bucket);
            }
        }
        if t.last_incoming > 0 {
            for (user, _) in t.acks.iter().filter(|(u, _)| t.seen_by(u)) {
                if let Some(per) = self.seen.get_mut(user)
                    && let Some(n) = per.get_mut(&t.bucket)
                {
                    *n -= 1;
                    if *n == 0 {
                        per.remove(&t.bucket);
                    }
                }
            }
        }
    }
}

fn facts_of(bucket: &Bucket, unseen: bool) -> Facts {
    Facts { assignee: bucket.assignee.clone(), blocked: bucket.blocked, open: bucket.open, unseen }
}

#[cfg(test)]
mod tests;
