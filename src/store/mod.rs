//! State: the only writer of shared state, as feature slices. Each slice is a small `Copy`
//! handle with its own signals and commands (`use_session()`, `use_list()`…); views read
//! its signals and call its commands. [`Store`] composes the slices and runs the flows
//! that span several of them: signing in and out, selecting an inbox, opening a
//! conversation, and the live connection (`live.rs`).
//!
//! Async work has one shape. A write is a [`Write`]: `Action::new_local` over an async
//! fn of the API answering `Result<T, ApiError>`. A view that waits on one reads its
//! `pending()` and `value()`. A read a view owns is a `LocalResource`. State the socket
//! keeps current (lists, the open thread, calls) is loaded by its slice. Errors become
//! words only in `words.rs`.

mod apply;
mod assist;
mod attention;
mod calls;
mod clock;
mod closing_reasons;
mod composer;
mod contacts;
mod custom_inboxes;
mod inboxes;
mod list;
mod live;
mod media;
mod outbox;
mod outreach;
mod palette;
mod preferences;
mod presence;
mod reports;
mod rules;
mod session;
mod storage;
mod thread;
mod words;

#[cfg(test)]
mod tests;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::wire::Me;
use parley_domain::{Availability, ConversationId};

/// The live connection's state, as views read it from [`Session::connection`].
pub use crate::api::ConnectionState;
use crate::api::{self, ApiError, AuthorizedApi};
pub use calls::Calls;
pub use clock::{provide_clock, use_clock};
pub use closing_reasons::ClosingReasons;
pub use composer::{Composer, Loaded, Upload};
pub use contacts::{Contacts, FoundContacts};
pub use custom_inboxes::{CustomInboxes, CustomList};
pub use inboxes::Inboxes;
pub use list::{BulkResolveInput, List, Selection};
pub use outreach::Outreach;
pub use palette::{Found, KeyDialog, Palette};
pub use preferences::{NotifyPrefs, Preferences};
pub use reports::Reports;
pub use rules::Rules;
use session::Failure;
pub use session::{Session, SessionState, Write};
pub use thread::{OpenConversation, Thread};
pub use words::{describe, form_error};

/// The slices, composed (`Copy`; see [`provide_store`]).
///
/// The composer, outreach, rules and reports slices are built on first use (their
/// `use_…` function): only lazily loaded views use them, so their code (writes, API
/// calls, wire types) is fetched with those views' chunks, not in the first load.
#[derive(Clone, Copy)]
pub struct Store {
    pub session: Session,
    pub preferences: Preferences,
    pub inboxes: Inboxes,
    pub list: List,
    pub thread: Thread,
    pub calls: Calls,
    pub contacts: Contacts,
    pub custom_inboxes: CustomInboxes,
    pub palette: Palette,
    pub closing_reasons: ClosingReasons,
    /// The owner the store was made in: a slice built on first use lives there, not in
    /// the view that asked first (whose unmounting would dispose of it).
    owner: StoredValue<Owner, LocalStorage>,
    composer: StoredValue<Option<Composer>>,
    outreach: StoredValue<Option<Outreach>>,
    rules: StoredValue<Option<Rules>>,
    reports: StoredValue<Option<Reports>>,
    /// Signs in with (email, password).
    pub sign_in: Action<(String, String), Result<(), ApiError>>,
    /// (before, after): put back to `before` on failure.
    availability: Write<(Availability, Availability), Availability>,
}

impl Store {
    /// Makes every slice and wires the flows between them; touches no browser API, so
    /// the store is tested natively.
    pub fn new() -> Self {
        let session = Session::new();
        let thread = Thread::new(session);
        let list = List::new(session);
        let store_cell = StoredValue::new(None::<Store>);
        let sign_in = Action::new_local(move |(email, password): &(String, String)| {
            let (email, password) = (email.clone(), password.clone());
            async move {
                let (api, me) = api::sign_in(&email, &password).await?;
                storage::save_token(api.token());
                if let Some(store) = store_cell.get_value() {
                    store.start(api, me, true);
                }
                Ok(())
            }
        });
        let store = Store {
            session,
            preferences: Preferences::new(session),
            inboxes: Inboxes::new(session),
            list,
            thread,
            calls: Calls::new(session),
            contacts: Contacts::new(session, thread),
            custom_inboxes: CustomInboxes::new(session),
            palette: Palette::new(session, thread, list),
            closing_reasons: ClosingReasons::new(session),
            owner: StoredValue::new_local(Owner::current().unwrap_or_default()),
            composer: StoredValue::new(None),
            outreach: StoredValue::new(None),
            rules: StoredValue::new(None),
            reports: StoredValue::new(None),
            sign_in,
            availability: session.write(
                Failure::Banner,
                move |api, (before, after): (Availability, Availability)| async move {
                    let answer = api.set_availability(after).await.map(|user| user.availability);
                    let now = *answer.as_ref().unwrap_or(&before);
                    session.update_me(|m| m.user.availability = now);
                    answer
                },
            ),
        };
        store_cell.set_value(Some(store));
        session.on_events(move |events| store.apply_events(&events));
        store
    }

    /// The reply box's slice (built on first use, as the next three).
    pub fn composer(self) -> Composer {
        self.built(self.composer, || Composer::new(self.session, self.thread))
    }

    pub fn outreach(self) -> Outreach {
        self.built(self.outreach, || Outreach::new(self.session, self.composer()))
    }

    pub fn rules(self) -> Rules {
        self.built(self.rules, || Rules::new(self.session))
    }

    pub fn reports(self) -> Reports {
        self.built(self.reports, || Reports::new(self.session))
    }

    fn built<T: Copy + Send + Sync + 'static>(self, slice: StoredValue<Option<T>>, make: impl FnOnce() -> T) -> T {
        if let Some(built) = slice.get_value() {
            return built;
        }
        let built = self.owner.get_value().with(make);
        slice.set_value(Some(built));
        built
    }

    /// Restores the saved session, if any (called once by `provide_store`, and by the
    /// "Try again" button when the server could not be reached).
    pub fn restore(self) {
        let Some(token) = storage::load_token() else {
            self.session.signed_out();
            return;
        };
        self.session.restoring();
        let api = AuthorizedApi::from_token(token);
        spawn_local(async move {
            match api.me().await {
                Ok(me) => self.start(api, me, false),
                Err(ApiError::Unauthorized) => {
                    storage::clear_token();
                    self.session.signed_out();
                }
                // Offline is not signed out: keep the token and let the user retry.
                Err(e) => self.session.report(describe(&e)),
            }
        });
    }

    /// Embedded in a portal with no saved session: the portal's `parley:session` brings
    /// one ([`Store::adopt_token`]), so "Loading…" stays instead of the sign-in form,
    /// which shows only if none comes within 10 s.
    pub fn wait_for_portal(self) {
        if storage::load_token().is_some() {
            return self.restore();
        }
        self.session.restoring();
        let state = self.session.state();
        set_timeout(
            move || {
                if state.get_untracked() == SessionState::Restoring && storage::load_token().is_none() {
                    self.session.signed_out();
                }
            },
            std::time::Duration::from_secs(10),
        );
    }

    /// A session token from the embedding portal's single sign-on. It replaces the saved
    /// session if it is another one.
    pub fn adopt_token(self, token: String) {
        let current = self.session.api();
        if current.as_ref().is_some_and(|api| api.token() == token) {
            return;
        }
        if current.is_some() {
            self.thread.clear_outbox();
            self.session.end(None);
        }
        storage::save_token(&token);
        self.restore();
    }

    /// Forgets the session here and revokes it on the server.
    pub fn sign_out(self) {
        let api = self.session.api();
        storage::forget_drafts();
        self.thread.clear_outbox();
        self.session.end(None);
        if let Some(api) = api {
            spawn_local(async move {
                // Signed out locally either way; a failed revoke is still worth knowing.
                if let Err(e) = api.sign_out().await
                    && e != ApiError::Unauthorized
                {
                    self.session.report(describe(&e));
                }
            });
        }
    }

    /// Shows the inbox, status filter and order the URL names: loads the first page and,
    /// when the inbox changed, acknowledges it (opening an inbox clears its dot).
    pub fn select(self, selection: Selection) {
        let inbox = selection.inbox.clone();
        if self.list.select(selection) == Some(true) {
            self.inboxes.ack(inbox);
        }
    }

    /// Shows the conversation the URL names (or none), then marks it read; the
    /// composer's files and channel pick stay with the conversation left.
    pub fn open_conversation(self, id: Option<ConversationId>) {
        // A composer not built yet has nothing to reset.
        if self.thread.show(id)
            && let Some(composer) = self.composer.get_value()
        {
            composer.reset();
        }
    }

    /// Available or away: shown at once, saved with `PUT /me/availability`, put back on
    /// failure.
    pub fn set_availability(self, availability: Availability) {
        let Some(before) = self.session.with_me(|m| m.map(|m| m.user.availability)) else { return };
        if before != availability {
            self.session.update_me(|m| m.user.availability = availability);
            self.availability.dispatch((before, availability));
        }
    }

    /// The user is in: counts first, then the socket resumes after them.
    fn start(self, api: AuthorizedApi, me: Me, just_signed_in: bool) {
        self.session.begin(api.clone(), me, just_signed_in);
        self.thread.load_outbox();
        spawn_local(async move {
            let since = self.inboxes.load().await;
            // Signed out (or in as someone else) while the counts loaded.
            if self.session.api().as_ref() != Some(&api) {
                return;
            }
            // The socket replays every event after the counts it starts from.
            self.session.set_seq(since);
            self.connect(&api);
            self.calls.load_live_calls();
        });
    }
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs `then` with each answer `write` gets from now on (not one it got before), in
/// the owner of the caller: a view that waits on a write.
pub fn on_answer<I, T>(write: Write<I, T>, then: impl Fn(Result<T, ApiError>) + 'static)
where
    I: Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    Effect::new(move |seen: Option<usize>| {
        let done = write.version().get();
        if seen.is_some_and(|seen| done > seen)
            && let Some(answer) = write.value().get_untracked()
        {
            then(answer);
        }
        done
    });
}

/// Creates the store, puts it and each slice in context, and starts restoring a saved
/// session.
///
/// ```text
/// #[component]
/// fn App() -> impl IntoView {
///     provide_store(false);
///     view! { <Router>...</Router> }
/// }
/// ```
/// `portal`: the app is embedded, and its session comes from the portal.
pub fn provide_store(portal: bool) -> Store {
    let store = Store::new();
    provide_context(store);
    provide_context(store.session);
    provide_context(store.preferences);
    provide_context(store.inboxes);
    provide_context(store.list);
    provide_context(store.thread);
    provide_context(store.calls);
    provide_context(store.contacts);
    provide_context(store.custom_inboxes);
    provide_context(store.palette);
    provide_context(store.closing_reasons);
    if portal {
        store.wait_for_portal();
    } else {
        store.restore();
    }
    store
}

/// The store provided by [`provide_store`], for the flows that span slices.
pub fn use_store() -> Store {
    expect_context::<Store>()
}

/// Who is signed in, the connection, the error banner.
pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The audit-trail, notification and sound choices; the clipboard.
pub fn use_preferences() -> Preferences {
    expect_context::<Preferences>()
}

/// The side panel's counts and dots.
pub fn use_inboxes() -> Inboxes {
    expect_context::<Inboxes>()
}

/// The selected inbox's list.
pub fn use_list() -> List {
    expect_context::<List>()
}

/// The open conversation.
pub fn use_thread() -> Thread {
    expect_context::<Thread>()
}

/// The reply box's drafts, pickers, files and channel.
pub fn use_composer() -> Composer {
    use_store().composer()
}

pub fn use_calls() -> Calls {
    expect_context::<Calls>()
}

pub fn use_contacts() -> Contacts {
    expect_context::<Contacts>()
}

pub fn use_custom_inboxes() -> CustomInboxes {
    expect_context::<CustomInboxes>()
}

/// The workspace's closing reasons (close dialog, bulk resolve, their settings page).
pub fn use_closing_reasons() -> ClosingReasons {
    expect_context::<ClosingReasons>()
}

/// The reports page's figures and CSV.
pub fn use_reports() -> Reports {
    use_store().reports()
}

/// The workflow rules and business hours (their settings page).
pub fn use_rules() -> Rules {
    use_store().rules()
}

pub fn use_outreach() -> Outreach {
    use_store().outreach()
}

/// Keyboard-first triage: the shortcut help, the command palette, actions asked by key.
pub fn use_palette() -> Palette {
    expect_context::<Palette>()
}
