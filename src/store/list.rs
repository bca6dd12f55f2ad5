//! The list slice: the selected inbox, filter and order (from the URL), its
//! conversations page by page, the counts per assignee, and bulk resolve.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::filter::{AssigneeFilter, StatusFilter};
use parley_domain::inbox::InboxId;
use parley_domain::list::{ConversationList, SortOrder};
use parley_domain::wire::{AssigneeCount, BulkResolve, BulkResolved, Event};

use super::apply::{Viewer, ack_target, apply_to_list};
use super::session::{Failure, Session, Write};
use crate::api::{ApiError, ListQuery};

/// Conversations per list page: a virtualized list renders a few dozen of them, so a
/// larger page only saves round trips when scrolling far.
const PAGE_SIZE: u32 = 100;
/// How long events coalesce before the assignee counts are fetched again.
const COUNTS_REFRESH_MS: u64 = 400;

/// The selected inbox and how its list is filtered and sorted (all from the URL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    pub inbox: InboxId,
    pub filter: StatusFilter,
    pub order: SortOrder,
    pub assignee: AssigneeFilter,
}

/// What bulk resolve closes: the selected list's conversations quiet for more than
/// `older_than_days`, with an optional reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkResolveInput {
    pub older_than_days: u32,
    pub reason: String,
}

/// The list handle (`Copy`; see [`super::use_list`]).
#[derive(Clone, Copy)]
pub struct List {
    session: Session,
    selection: RwSignal<Option<Selection>>,
    list: RwSignal<ConversationList>,
    /// `next` of the last page loaded into `list`.
    cursor: RwSignal<Option<String>>,
    loading: RwSignal<bool>,
    /// Bumped when the list is emptied, so that a page loaded for an earlier list is dropped.
    generation: StoredValue<u64>,
    /// The selected inbox's conversations per assignee (status filter applied), for the
    /// assignee filter; refreshed after events touching conversations.
    assignee_counts: RwSignal<Vec<AssigneeCount>>,
    /// A refresh of `assignee_counts` is scheduled (events coalesce into one request).
    counts_refresh: StoredValue<bool>,
    /// Closes the selected list's quiet conversations; answers how many closed.
    pub bulk_resolve: Write<BulkResolveInput, BulkResolved>,
}

impl List {
    pub(super) fn new(session: Session) -> Self {
        let selection = RwSignal::new(None::<Selection>);
        let assignee_counts = RwSignal::new(Vec::new());
        let list = Self {
            session,
            selection,
            list: RwSignal::new(ConversationList::default()),
            cursor: RwSignal::new(None),
            loading: RwSignal::new(false),
            generation: StoredValue::new(0),
            assignee_counts,
            counts_refresh: StoredValue::new(false),
            bulk_resolve: session.write(Failure::Kept, move |api, input: BulkResolveInput| async move {
                let selection =
                    selection.get_untracked().ok_or_else(|| ApiError::Decode("no inbox selected".into()))?;
                let reason = input.reason.trim().to_owned();
                let body = BulkResolve {
                    status: Some(selection.filter.as_str().to_owned()),
                    older_than_days: input.older_than_days,
                    reason: (!reason.is_empty()).then_some(reason),
                    assignee: selection.assignee.as_param().map(str::to_owned),
                };
                api.bulk_resolve(&selection.inbox, &body).await
            }),
        };
        // The closed conversations leave the list through the events the server records;
        // the counts per assignee follow at once.
        Effect::new(move |_| {
            if list.bulk_resolve.value().with(|v| matches!(v, Some(Ok(_)))) {
                list.refresh_assignee_counts();
            }
        });
        session.on_end(move || list.clear());
        list
    }

    pub fn selection(&self) -> Signal<Option<Selection>> {
        self.selection.into()
    }

    pub fn list(&self) -> Signal<ConversationList> {
        self.list.into()
    }

    pub fn loading(&self) -> Signal<bool> {
        self.loading.into()
    }

    /// Conversations of the selected inbox per assignee (`None`: unassigned), most first.
    pub fn assignee_counts(&self) -> Signal<Vec<AssigneeCount>> {
        self.assignee_counts.into()
    }

    /// Loads the next page of the selected list (a no-op while one is loading).
    pub fn load_more(self) {
        let cursor = self.cursor.get_untracked();
        if cursor.is_some() && !self.loading.get_untracked() {
            self.load_page(cursor);
        }
    }

    /// Shows `selection`: empties the list and loads its first page. Answers whether the
    /// inbox changed (then the store acknowledges it), or `None` when nothing changed.
    pub(super) fn select(self, selection: Selection) -> Option<bool> {
        let previous = self.selection.get_untracked();
        if previous.as_ref() == Some(&selection) {
            return None;
        }
        let inbox_changed = previous.map(|p| p.inbox) != Some(selection.inbox.clone());
        self.selection.set(Some(selection));
        self.reset();
        self.refresh_assignee_counts();
        Some(inbox_changed)
    }

    /// Loads the selected list again from its first page (after a resync).
    pub(super) fn reload(self) {
        if self.selection.get_untracked().is_some() {
            self.reset();
            self.refresh_assignee_counts();
        }
    }

    /// Applies a batch to the list (one update, none when nothing changed); answers the
    /// inbox to acknowledge when an incoming message lit the one the user is looking at.
    pub(super) fn apply(self, events: &[Event]) -> Option<InboxId> {
        if events.iter().any(|e| e.kind.conversation().is_some()) {
            self.schedule_assignee_counts();
        }
        let mut ack = None;
        self.session.with_viewer(|viewer| {
            self.selection.with_untracked(|selection| {
                let (Some((me, dir)), Some(selection)) = (viewer, selection) else { return };
                let viewer = Viewer { user: &me.user, dir, selection };
                self.list.maybe_update(|list| apply_to_list(&viewer, list, events));
                ack = ack_target(Some(&viewer), events);
            })
        });
        ack
    }

    fn clear(self) {
        self.selection.set(None);
        self.list.set(ConversationList::default());
        self.cursor.set(None);
        self.loading.set(false);
        self.assignee_counts.set(Vec::new());
    }

    /// Empties the selected list and loads its first page.
    fn reset(self) {
        let Some(selection) = self.selection.get_untracked() else { return };
        self.generation.update_value(|g| *g += 1);
        self.list.set(ConversationList::new(selection.order));
        self.cursor.set(None);
        self.load_page(None);
    }

    fn load_page(self, cursor: Option<String>) {
        let Some(api) = self.session.api() else { return };
        let Some(selection) = self.selection.get_untracked() else { return };
        let generation = self.generation.get_value();
        self.loading.set(true);
        spawn_local(async move {
            let query = ListQuery {
                status: selection.filter,
                order: selection.order,
                cursor,
                limit: Some(PAGE_SIZE),
                assignee: selection.assignee.clone(),
            };
            let result = api.conversations(&selection.inbox, &query).await;
            // Another selection (or a reload) owns the list now.
            if self.generation.try_get_value() != Some(generation) {
                return;
            }
            self.loading.set(false);
            match result {
                Ok(page) => {
                    let has_more = page.next.is_some();
                    self.cursor.set(page.next);
                    self.list.update(|list| list.append_page(page.items, has_more));
                }
                Err(e) => self.session.fail(e),
            }
        });
    }

    /// Fetches the selected list's counts per assignee (dropped if the selection's
    /// inbox or status changed meanwhile).
    fn refresh_assignee_counts(self) {
        let Some(api) = self.session.api() else { return };
        let Some(selection) = self.selection.get_untracked() else { return };
        spawn_local(async move {
            let result = api.assignees(&selection.inbox, selection.filter).await;
            let current = self.selection.try_get_untracked().flatten();
            if current.is_none_or(|c| c.inbox != selection.inbox || c.filter != selection.filter) {
                return;
            }
            match result {
                Ok(counts) => self.assignee_counts.set(counts),
                Err(e) => self.session.fail(e),
            }
        });
    }

    /// Refreshes the assignee counts soon, once for a burst of events.
    fn schedule_assignee_counts(self) {
        if self.counts_refresh.get_value() || self.session.api().is_none() {
            return;
        }
        self.counts_refresh.set_value(true);
        set_timeout(
            move || {
                if self.counts_refresh.try_set_value(false).is_none() {
                    self.refresh_assignee_counts();
                }
            },
            Duration::from_millis(COUNTS_REFRESH_MS),
        );
    }
}
