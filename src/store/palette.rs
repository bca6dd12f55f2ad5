//! Keyboard-first triage: which keyboard dialog is open (the shortcut help or the
//! command palette), the palette's conversation search (server side, within
//! visibility), and the actions asked of the open conversation by a shortcut or the
//! palette. The key rules themselves are `parley_domain::keys`.

use leptos::prelude::*;
use parley_domain::ConversationId;
use parley_domain::keys::{self, Action};
use parley_domain::lifecycle::Transition;
use parley_domain::wire::ConversationSummary;

use super::describe;
use super::list::List;
use super::session::Session;
use super::thread::Thread;
use crate::api::ApiError;

/// Conversations the palette asks the server for.
const PALETTE_CONVERSATIONS: usize = 8;

/// A keyboard dialog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyDialog {
    /// The list of shortcuts (`?`).
    Help,
    /// The command palette (Ctrl+K / ⌘K).
    Palette,
}

/// The palette's conversation results for the query typed so far.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Found {
    /// Nothing typed (or not asked yet).
    #[default]
    Nothing,
    Loading,
    Some(Vec<ConversationSummary>),
    /// Why the search failed, in words.
    Failed(String),
}

/// The palette handle (`Copy`; see [`super::use_palette`]).
#[derive(Clone, Copy)]
pub struct Palette {
    session: Session,
    thread: Thread,
    list: List,
    dialog: RwSignal<Option<KeyDialog>>,
    query: RwSignal<String>,
    /// The query an answer is for, with the answer: while a newer query is on its way,
    /// an older answer is not shown as its results.
    search: LocalResource<(String, Result<Vec<ConversationSummary>, ApiError>)>,
    /// The last action asked of the open conversation's view, numbered so that asking
    /// twice acts twice.
    request: RwSignal<Option<(u64, Action)>>,
    /// The next conversation opened keeps the keyboard focus where it is (`j`/`k` move
    /// through the list), instead of its composer taking it.
    keep_focus: StoredValue<bool>,
}

/// `GET /conversations/search` for `q` (nothing for an empty query).
async fn search(session: Session, q: String) -> Result<Vec<ConversationSummary>, ApiError> {
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let Some(api) = session.api() else { return Ok(Vec::new()) };
    api.search_conversations(&q, PALETTE_CONVERSATIONS).await
}

impl Palette {
    pub(super) fn new(session: Session, thread: Thread, list: List) -> Self {
        let query = RwSignal::new(String::new());
        let search = LocalResource::new(move || {
            let q = query.get().trim().to_owned();
            async move {
                let found = search(session, q.clone()).await;
                (q, found)
            }
        });
        Self {
            session,
            thread,
            list,
            dialog: RwSignal::new(None),
            query,
            search,
            request: RwSignal::new(None),
            keep_focus: StoredValue::new(false),
        }
    }

    pub fn dialog(&self) -> Signal<Option<KeyDialog>> {
        self.dialog.into()
    }

    /// Opens a keyboard dialog (the palette with an empty query).
    pub fn open(self, dialog: KeyDialog) {
        if dialog == KeyDialog::Palette {
            self.query.set(String::new());
        }
        self.dialog.set(Some(dialog));
    }

    pub fn dismiss(self) {
        self.dialog.set(None);
    }

    /// What is typed in the palette.
    pub fn query(&self) -> RwSignal<String> {
        self.query
    }

    /// Conversations whose contact's name matches the query, best first.
    pub fn conversations(&self) -> Signal<Found> {
        let (search, query) = (self.search, self.query);
        Signal::derive(move || {
            let current = query.with(|q| q.trim().to_owned());
            if current.is_empty() {
                return Found::Nothing;
            }
            match search.get() {
                Some((asked, Ok(found))) if asked == current => Found::Some(found),
                Some((asked, Err(e))) if asked == current => Found::Failed(describe(&e)),
                _ => Found::Loading,
            }
        })
    }

    /// The actions the open conversation allows now, for the palette.
    pub fn actions(&self) -> Signal<Vec<Action>> {
        let open = self.thread.open();
        Signal::derive(move || {
            let Some(status) = open.with(|o| o.as_ref().map(|o| o.summary.status)) else { return Vec::new() };
            Action::ALL.into_iter().filter(|a| a.allowed(status)).collect()
        })
    }

    /// The last action asked of the open conversation's view (its header and composer
    /// carry it out: they own the dialogs, the picker and the focus).
    pub fn request(&self) -> Signal<Option<(u64, Action)>> {
        self.request.into()
    }

    /// Runs `action` on the open conversation: pending at once, the others through its
    /// view. When there is no open conversation, or its status does not allow the
    /// action, says so in the status region instead.
    pub fn run(self, action: Action) {
        let Some(status) = self.thread.open().with_untracked(|o| o.as_ref().map(|o| o.summary.status)) else {
            self.session.announce(crate::i18n::t().open_conversation_first.to_owned());
            return;
        };
        if !action.allowed(status) {
            let t = crate::i18n::t();
            self.session.announce((t.not_possible_action)((t.action_name)(action), (t.status_name)(status)));
            return;
        }
        match action {
            Action::Pending => self.thread.transition(Transition::Pending),
            _ => self.request.update(|r| *r = Some((r.map_or(1, |(n, _)| n + 1), action))),
        }
    }

    /// The conversation `j` (`forward`) or `k` leads to from the open one in the list.
    pub fn neighbour(self, forward: bool) -> Option<ConversationId> {
        let wanted = self.thread.wanted().get_untracked();
        self.list.list().with_untracked(|l| {
            let items = l.items();
            let current = wanted.and_then(|w| items.iter().position(|c| c.id == w));
            Some(items[keys::step(items.len(), current, forward)?].id.clone())
        })
    }

    /// The next conversation to open should leave the focus where it is.
    pub fn keep_focus(self) {
        self.keep_focus.set_value(true);
    }

    /// Whether the conversation now opening may take the focus (asked once per opening).
    pub fn take_focus(self) -> bool {
        let keep = self.keep_focus.get_value();
        self.keep_focus.set_value(false);
        !keep
    }
}
