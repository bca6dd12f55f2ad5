//! The session slice: who is signed in, the token every request carries, the live
//! connection, and the app-wide messages (the error banner, the status notice).
//!
//! Every other slice holds this handle: it is how they reach the API (`api`), report a
//! failure (`fail`) and learn the server's time. Flows that span slices (signing in and
//! out, live events) register here as hooks, so that no slice imports another's state.

use std::future::Future;
use std::time::Duration;

use leptos::prelude::*;
use parley_domain::sla::SlaTargets;
use parley_domain::wire::{ClientFrame, Event, Me};
use parley_domain::{Directory, Permission, Team, User, UserId};

use super::words::describe;
use crate::api::{ApiError, AuthorizedApi, ConnectionState, Socket};
use crate::format::now_millis;

/// How long a notice ("Copied") stays in the status region.
const NOTICE_FOR: Duration = Duration::from_secs(3);

/// A write: dispatched with its input, its last answer in `value()`, `pending()` while
/// it runs.
pub type Write<I, T> = Action<I, Result<T, ApiError>>;

/// Where a write's failure goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The error banner (a dead session signs out).
    Banner,
    /// The action's value, for the form that waits on it to show next to itself (see
    /// `words::form_error`); a dead session still signs out.
    Kept,
}

/// Where the session stands. "Signed in" carries the token, so no code path can call
/// the API without one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// A stored token is being checked with `GET /me`.
    Restoring,
    SignedOut,
    SignedIn(AuthorizedApi),
}

/// The session handle (`Copy`; see [`use_session`]).
#[derive(Clone, Copy)]
pub struct Session {
    state: RwSignal<SessionState>,
    me: RwSignal<Option<Me>>,
    directory: Memo<Option<Directory>>,
    error: RwSignal<Option<String>>,
    notice: RwSignal<Option<String>>,
    /// Set by sign-in, taken by the first inbox page to focus the inbox search.
    just_signed_in: StoredValue<bool>,
    /// Server time minus browser time, from the last `clock` frame: SLA colours and
    /// snooze times follow the server's clock, not a possibly wrong local one.
    clock_offset: RwSignal<i64>,
    connection: RwSignal<ConnectionState>,
    socket: StoredValue<Option<Socket>, LocalStorage>,
    /// The last event sequence number applied; a socket resumes after it.
    seq: StoredValue<Option<u64>>,
    /// Run when the session ends (each slice forgets what it held), with the message.
    on_end: StoredValue<Vec<Callback<()>>>,
    /// Where events from REST answers go (the store applies them like socket events).
    on_events: StoredValue<Option<Callback<Vec<Event>>>>,
}

impl Session {
    pub(super) fn new() -> Self {
        let me = RwSignal::new(None::<Me>);
        Self {
            state: RwSignal::new(SessionState::Restoring),
            me,
            directory: Memo::new(move |_| me.with(|m| m.as_ref().map(|m| m.workspace.directory()))),
            error: RwSignal::new(None),
            notice: RwSignal::new(None),
            just_signed_in: StoredValue::new(false),
            clock_offset: RwSignal::new(0),
            connection: RwSignal::new(ConnectionState::Connecting),
            socket: StoredValue::new_local(None),
            seq: StoredValue::new(None),
            on_end: StoredValue::new(Vec::new()),
            on_events: StoredValue::new(None),
        }
    }

    pub fn state(&self) -> Signal<SessionState> {
        self.state.into()
    }

    pub fn me(&self) -> Signal<Option<Me>> {
        self.me.into()
    }

    /// Teams and memberships, for the inbox rules.
    pub fn directory(&self) -> Signal<Option<Directory>> {
        self.directory.into()
    }

    /// The workspace's teams, which a contact can be assigned to.
    pub fn teams(&self) -> Signal<Vec<Team>> {
        let me = self.me;
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.workspace.teams.clone()).unwrap_or_default()))
    }

    /// The signed-in user's id (notes show Edit and Delete to their author only).
    pub fn my_id(&self) -> Signal<Option<UserId>> {
        let me = self.me;
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.user.id.clone())))
    }

    /// Whether the signed-in user holds `permission`.
    pub fn may(&self, permission: Permission) -> Signal<bool> {
        self.allows(move |user| user.has(permission))
    }

    /// Owners and managers (saved replies and other workspace settings).
    pub fn is_supervisor(&self) -> Signal<bool> {
        self.allows(|user| user.role.is_supervisor())
    }

    /// Whether the signed-in user passes `rule` (false when signed out): the account menu
    /// asks it of the settings pages without building their slices.
    pub fn allows(&self, rule: impl Fn(&User) -> bool + Send + Sync + 'static) -> Signal<bool> {
        let me = self.me;
        Signal::derive(move || me.with(|m| m.as_ref().is_some_and(|m| rule(&m.user))))
    }

    /// The workspace's SLA targets.
    pub fn sla_targets(&self) -> Signal<SlaTargets> {
        let me = self.me;
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.workspace.sla).unwrap_or_default()))
    }

    pub fn connection(&self) -> Signal<ConnectionState> {
        self.connection.into()
    }

    /// The last failure, in words for the user.
    pub fn error(&self) -> Signal<Option<String>> {
        self.error.into()
    }

    /// A short confirmation for screen readers and eyes ("Copied").
    pub fn notice(&self) -> Signal<Option<String>> {
        self.notice.into()
    }

    pub fn dismiss_error(self) {
        self.error.set(None);
    }

    /// Whether this is the first page shown since the user signed in (asked once).
    pub fn take_just_signed_in(&self) -> bool {
        let was = self.just_signed_in.get_value();
        self.just_signed_in.set_value(false);
        was
    }

    /// Milliseconds to add to the browser's clock to get the server's.
    pub fn clock_offset(&self) -> Signal<i64> {
        self.clock_offset.into()
    }

    /// The server's time now (untracked).
    pub fn now(&self) -> i64 {
        now_millis() + self.clock_offset.get_untracked()
    }

    // ---- for the other slices -----------------------------------------------------------

    /// The signed-in API, if any.
    pub(super) fn api(&self) -> Option<AuthorizedApi> {
        match self.state.get_untracked() {
            SessionState::SignedIn(api) => Some(api),
            _ => None,
        }
    }

    /// The signed-in user's id, untracked.
    pub(super) fn user_id(&self) -> Option<UserId> {
        self.me.with_untracked(|m| m.as_ref().map(|m| m.user.id.clone()))
    }

    /// Reads the signed-in user, untracked.
    pub(super) fn with_me<T>(&self, read: impl FnOnce(Option<&Me>) -> T) -> T {
        self.me.with_untracked(|m| read(m.as_ref()))
    }

    /// Reads the user and the directory together (the inbox rules need both), untracked.
    pub(super) fn with_viewer<T>(&self, read: impl FnOnce(Option<(&Me, &Directory)>) -> T) -> T {
        self.me.with_untracked(|me| self.directory.with_untracked(|dir| read(me.as_ref().zip(dir.as_ref()))))
    }

    /// Changes the signed-in user (availability).
    pub(super) fn update_me(&self, change: impl FnOnce(&mut Me)) {
        self.me.update(|m| {
            if let Some(m) = m.as_mut() {
                change(m);
            }
        });
    }

    /// Reports a failure; a dead session sends the user back to sign-in.
    pub(super) fn fail(self, error: ApiError) {
        if error == ApiError::Unauthorized {
            self.end(Some(describe(&error)));
        } else {
            self.report(describe(&error));
        }
    }

    /// Shows `words` in the error banner.
    pub(super) fn report(self, words: String) {
        self.error.set(Some(words));
    }

    /// Shows `text` briefly in the status region.
    pub(super) fn announce(self, text: String) {
        self.notice.set(Some(text.clone()));
        set_timeout(
            move || {
                self.notice.try_maybe_update(|n| {
                    let same = n.as_ref() == Some(&text);
                    if same {
                        *n = None;
                    }
                    (same, ())
                });
            },
            NOTICE_FOR,
        );
    }

    /// Sends a frame on the live connection, if there is one.
    pub(super) fn send(&self, frame: &ClientFrame) {
        if let Some(socket) = self.socket.get_value() {
            socket.send(frame);
        }
    }

    /// Hands events a REST answer stands for to the store, to apply like live ones.
    pub(super) fn publish(&self, events: Vec<Event>) {
        if let Some(apply) = self.on_events.get_value() {
            apply.run(events);
        }
    }

    /// Registers what a slice forgets when the session ends.
    pub(super) fn on_end(&self, forget: impl Fn() + Send + Sync + 'static) {
        let forget = Callback::new(move |()| forget());
        self.on_end.update_value(|all| all.push(forget));
    }

    pub(super) fn on_events(&self, apply: impl Fn(Vec<Event>) + Send + Sync + 'static) {
        self.on_events.set_value(Some(Callback::new(apply)));
    }

    /// A write: `Action::new_local` over `run`, an async fn of the API answering
    /// `Result<T, ApiError>` (it applies the answer to its slice's state before returning
    /// it). Signed out, nothing is sent. Where a failure goes is `failure`'s to say.
    pub(super) fn write<I, T, F, Fu>(self, failure: Failure, run: F) -> Write<I, T>
    where
        I: Clone + Send + Sync + 'static,
        T: Send + Sync + 'static,
        F: Fn(AuthorizedApi, I) -> Fu + 'static,
        Fu: Future<Output = Result<T, ApiError>> + 'static,
    {
        Action::new_local(move |input: &I| {
            let call = self.api().map(|api| run(api, input.clone()));
            async move {
                let Some(call) = call else { return Err(ApiError::Unauthorized) };
                let result = call.await;
                match &result {
                    Err(e) if failure == Failure::Banner || *e == ApiError::Unauthorized => self.fail(e.clone()),
                    _ => {}
                }
                result
            }
        })
    }

    // ---- the session's lifecycle (driven by the store's flows) --------------------------

    pub(super) fn restoring(self) {
        self.state.set(SessionState::Restoring);
        self.error.set(None);
    }

    pub(super) fn signed_out(self) {
        self.state.set(SessionState::SignedOut);
    }

    /// The user is in: `me` first, since views that appear on `SignedIn` read it at once.
    pub(super) fn begin(self, api: AuthorizedApi, me: Me, just_signed_in: bool) {
        if just_signed_in {
            self.just_signed_in.set_value(true);
            self.error.set(None);
        }
        self.me.set(Some(me));
        self.state.set(SessionState::SignedIn(api));
    }

    /// Ends the session here: every slice forgets, the socket closes, and `message` (if
    /// any) says why.
    pub(super) fn end(self, message: Option<String>) {
        for forget in self.on_end.get_value() {
            forget.run(());
        }
        if let Some(socket) = self.socket.get_value() {
            socket.close();
        }
        self.socket.set_value(None);
        super::storage::clear_token();
        self.seq.set_value(None);
        self.connection.set(ConnectionState::Connecting);
        self.state.set(SessionState::SignedOut);
        self.me.set(None);
        self.error.set(message);
    }

    /// Tests: the user is known (no token, so nothing reaches the network).
    #[cfg(test)]
    pub(super) fn pretend(self, me: Me) {
        self.me.set(Some(me));
    }

    pub(super) fn set_socket(&self, socket: Option<Socket>) {
        self.socket.set_value(socket);
    }

    pub(super) fn set_connection(&self, state: ConnectionState) {
        self.connection.set(state);
    }

    pub(super) fn set_clock(&self, server_now: i64) {
        self.clock_offset.set(server_now - now_millis());
    }

    /// The last applied event's sequence number.
    pub(super) fn seq(&self) -> Option<u64> {
        self.seq.get_value()
    }

    /// A getter the socket can call after the store is gone (it then answers `None`).
    pub(super) fn seq_source(&self) -> impl Fn() -> Option<u64> + 'static {
        let seq = self.seq;
        move || seq.try_get_value().flatten()
    }

    pub(super) fn set_seq(&self, seq: Option<u64>) {
        self.seq.set_value(seq);
    }
}
