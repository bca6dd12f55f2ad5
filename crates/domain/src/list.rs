//! The conversation list of one inbox as the app holds it: loaded pages plus live
//! updates. Kept pure so that "an event moves its conversation to the top" and "a stale
//! event changes nothing" are tested natively, not in a browser.

use crate::ids::ConversationId;
use crate::wire::ConversationSummary;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortOrder {
    #[default]
    NewestFirst,
    OldestFirst,
}

crate::names::wire_names!(SortOrder { NewestFirst = "newest", OldestFirst = "oldest" });

/// What [`ConversationList::upsert`] did, so the store can tell the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Inserted,
    Moved,
    Updated,
    Removed,
    /// Stale (older version) or irrelevant: nothing changed.
    Ignored,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConversationList {
    items: Vec<ConversationSummary>,
    order: SortOrder,
    /// More pages exist beyond the last loaded item.
    has_more: bool,
}

impl ConversationList {
    pub fn new(order: SortOrder) -> Self {
        ConversationList { items: Vec::new(), order, has_more: false }
    }

    pub fn items(&self) -> &[ConversationSummary] {
        &self.items
    }

    pub fn get(&self, id: &ConversationId) -> Option<&ConversationSummary> {
        self.items.iter().find(|c| &c.id == id)
    }

    pub fn has_more(&self) -> bool {
        self.has_more
    }

    /// Appends a page from the server (already in list order), skipping any conversation
    /// that a live event placed in the list meanwhile.
    pub fn append_page(&mut self, page: Vec<ConversationSummary>, has_more: bool) {
        for c in page {
            if self.get(&c.id).is_none() {
                self.items.push(c);
            }
        }
        self.has_more = has_more;
    }

    /// Applies a fresh copy of a conversation; `belongs` says whether it belongs in this
    /// list now (decided by the caller from the inbox rules and the filter).
    pub fn upsert(&mut self, conv: ConversationSummary, belongs: bool) -> Change {
        let existing = self.items.iter().position(|c| c.id == conv.id);
        if let Some(i) = existing
            && self.items[i].version > conv.version
        {
            return Change::Ignored;
        }
        if !belongs {
            return match existing {
                Some(i) => {
                    self.items.remove(i);
                    Change::Removed
                }
                None => Change::Ignored,
            };
        }
        let old = existing.map(|i| self.items.remove(i));
        let pos = self.items.partition_point(|c| self.before(c, &conv));
        // Past the loaded window of a paginated list: a later page will bring it.
        if pos == self.items.len() && self.has_more {
            return if old.is_some() { Change::Removed } else { Change::Ignored };
        }
        let change = match existing {
            None => Change::Inserted,
            Some(i) if i == pos => Change::Updated,
            Some(_) => Change::Moved,
        };
        self.items.insert(pos, conv);
        change
    }

    /// Whether `a` sorts strictly before `b` in this list.
    fn before(&self, a: &ConversationSummary, b: &ConversationSummary) -> bool {
        let ka = (a.last_activity_at, &a.id);
        let kb = (b.last_activity_at, &b.id);
        match self.order {
            SortOrder::NewestFirst => ka > kb,
            SortOrder::OldestFirst => ka < kb,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Timestamp;

    fn conv(id: &str, at: i64, version: u64) -> ConversationSummary {
        ConversationSummary { last_activity_at: Timestamp(at), version, ..crate::testing::conversation(id) }
    }

    fn ids(list: &ConversationList) -> Vec<&str> {
        list.items().iter().map(|c| c.id.as_str()).collect()
    }

    fn list(order: SortOrder, items: &[(&str, i64)], has_more: bool) -> ConversationList {
        let mut l = ConversationList::new(order);
        l.append_page(items.iter().map(|&(id, at)| conv(id, at, 1)).collect(), has_more);
        l
    }

    #[test]
    fn upserts() {
        use Change::*;
        use SortOrder::*;
        let base = [("c", 30), ("b", 20), ("a", 10)];
        let base_old = [("a", 10), ("b", 20), ("c", 30)];
        // (order, loaded, has_more, event (id, at, version, belongs), expected change, expected ids)
        #[rustfmt::skip]
        let rows: &[(SortOrder, &[(&str, i64)], bool, (&str, i64, u64, bool), Change, &[&str])] = &[
            (NewestFirst, &base, false, ("a", 40, 2, true), Moved, &["a", "c", "b"]),
            (NewestFirst, &base, false, ("c", 35, 2, true), Updated, &["c", "b", "a"]),
            (NewestFirst, &base, false, ("d", 50, 2, true), Inserted, &["d", "c", "b", "a"]),
            (NewestFirst, &base, false, ("d", 5, 2, true), Inserted, &["c", "b", "a", "d"]),
            (NewestFirst, &base, true, ("d", 5, 2, true), Ignored, &["c", "b", "a"]),
            (NewestFirst, &base, false, ("b", 40, 2, false), Removed, &["c", "a"]),
            (NewestFirst, &base, false, ("z", 40, 2, false), Ignored, &["c", "b", "a"]),
            (NewestFirst, &base, false, ("a", 40, 0, true), Ignored, &["c", "b", "a"]),
            (NewestFirst, &base, false, ("a", 40, 0, false), Ignored, &["c", "b", "a"]),
            (OldestFirst, &base_old, false, ("a", 40, 2, true), Moved, &["b", "c", "a"]),
            (OldestFirst, &base_old, true, ("a", 40, 2, true), Removed, &["b", "c"]),
        ];
        for (order, loaded, has_more, (id, at, version, belongs), change, expected) in rows {
            let mut l = list(*order, loaded, *has_more);
            let got = l.upsert(conv(id, *at, *version), *belongs);
            assert_eq!((got, ids(&l).as_slice()), (*change, *expected), "{order:?} upsert {id}@{at} v{version}");
        }
    }

    #[test]
    fn a_page_does_not_duplicate_a_live_insert() {
        let mut l = list(SortOrder::NewestFirst, &[("c", 30)], true);
        l.upsert(conv("x", 40, 2), true);
        l.append_page(vec![conv("x", 40, 2), conv("b", 20, 1)], false);
        assert_eq!(ids(&l), ["x", "c", "b"]);
        assert!(!l.has_more());
    }
}
