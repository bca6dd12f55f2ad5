//! The live connection: `/api/v1/ws` on a bare `web_sys::WebSocket`, with the hello
//! handshake, typed frames, and reconnection with exponential backoff, jitter and resume
//! from the last applied sequence number.
//!
//! leptos-use's socket was rejected: it reconnects at a fixed interval and cannot resume.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use parley_domain::wire::{ClientFrame, ServerFrame};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use super::config::socket_url;

/// First reconnection delay; doubles on each failed attempt up to [`MAX_DELAY_MS`].
const BASE_DELAY_MS: f64 = 250.0;
const MAX_DELAY_MS: f64 = 10_000.0;

/// What the user sees about the live connection.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ConnectionState {
    /// First connection since sign-in.
    #[default]
    Connecting,
    /// Welcomed by the server: events flow.
    Open,
    /// The connection dropped; the next attempt is scheduled or under way.
    Reconnecting,
}

/// What the socket reports to its owner.
#[derive(Clone, Debug, PartialEq)]
pub enum SocketEvent {
    State(ConnectionState),
    Frame(ServerFrame),
    /// A text frame that is not a `ServerFrame`: a contract mismatch worth showing.
    Invalid(String),
}

/// A self-reconnecting connection. Dropping it does not close it: call [`Socket::close`]
/// (the store does, on sign-out), so that a clone held elsewhere cannot end it by accident.
#[derive(Clone)]
pub struct Socket {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    token: String,
    /// Asked at every (re)connection: the last sequence number the owner applied.
    since: Rc<dyn Fn() -> Option<u64>>,
    on_event: Rc<dyn Fn(SocketEvent)>,
    ws: Option<WebSocket>,
    /// Kept alive as long as `ws` may call them.
    handlers: Option<Handlers>,
    /// Failed attempts since the last welcome.
    attempt: u32,
    /// Welcomed on the current connection: only then may frames other than `hello` go out.
    welcomed: bool,
    timer: Option<i32>,
    closed: bool,
    /// `online` listener on the window: a returning network retries at once instead of
    /// waiting out the backoff.
    on_online: Option<Closure<dyn FnMut()>>,
}

struct Handlers {
    _open: Closure<dyn FnMut()>,
    _message: Closure<dyn FnMut(MessageEvent)>,
    _close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    /// Connects now and keeps reconnecting until [`Socket::close`].
    ///
    /// `since` is read at each connection, so a resumed connection starts after the
    /// last event the owner applied; `on_event` receives state changes and frames.
    pub fn connect(
        token: String,
        since: impl Fn() -> Option<u64> + 'static,
        on_event: impl Fn(SocketEvent) + 'static,
    ) -> Socket {
        let inner = Rc::new(RefCell::new(Inner {
            token,
            since: Rc::new(since),
            on_event: Rc::new(on_event),
            ws: None,
            handlers: None,
            attempt: 0,
            welcomed: false,
            timer: None,
            closed: false,
            on_online: None,
        }));
        let on_online = Closure::<dyn FnMut()>::new({
            let weak = Rc::downgrade(&inner);
            move || {
                if let Some(inner) = weak.upgrade() {
                    retry_now(&inner);
                }
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
        }
        inner.borrow_mut().on_online = Some(on_online);
        open(&inner);
        Socket { inner }
    }

    /// Sends `frame` if the connection is up and welcomed; otherwise drops it. Only
    /// ephemeral frames (presence) go this way, and their senders repeat them, so a
    /// frame lost to a reconnection costs nothing. Returns whether it was sent.
    pub fn send(&self, frame: &ClientFrame) -> bool {
        let ws = {
            let inner = self.inner.borrow();
            if !inner.welcomed || inner.closed {
                return false;
            }
            inner.ws.clone()
        };
        match (ws, serde_json::to_string(frame)) {
            (Some(ws), Ok(text)) => ws.send_with_str(&text).is_ok(),
            _ => false,
        }
    }

    /// Stops for good: closes the connection and cancels any scheduled attempt.
    pub fn close(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.closed = true;
        if let (Some(timer), Some(window)) = (inner.timer.take(), web_sys::window()) {
            window.clear_timeout_with_handle(timer);
        }
        if let Some(ws) = inner.ws.take() {
            ws.set_onopen(None);
            ws.set_onmessage(None);
            ws.set_onclose(None);
            let _ = ws.close();
        }
        inner.handlers = None;
        if let (Some(listener), Some(window)) = (inner.on_online.take(), web_sys::window()) {
            let _ = window.remove_event_listener_with_callback("online", listener.as_ref().unchecked_ref());
        }
    }
}

/// Skips the wait of a scheduled reconnection (nothing to do while connected).
fn retry_now(inner: &Rc<RefCell<Inner>>) {
    let timer = {
        let mut guard = inner.borrow_mut();
        if guard.closed {
            return;
        }
        guard.attempt = 0;
        guard.timer.take()
    };
    if let Some(timer) = timer {
        if let Some(window) = web_sys::window() {
            window.clear_timeout_with_handle(timer);
        }
        open(inner);
    }
}

/// Calls the owner's callback with no borrow held, so that it may call `close`.
fn emit(inner: &Rc<RefCell<Inner>>, event: SocketEvent) {
    let on_event = inner.borrow().on_event.clone();
    on_event(event);
}

fn open(inner: &Rc<RefCell<Inner>>) {
    if inner.borrow().closed {
        return;
    }
    let ws = match WebSocket::new(&socket_url()) {
        Ok(ws) => ws,
        // Only a malformed URL throws here; retrying with backoff is still the best bet.
        Err(_) => return schedule_reconnect(inner),
    };
    let weak = Rc::downgrade(inner);

    let on_open = Closure::<dyn FnMut()>::new({
        let weak = weak.clone();
        move || {
            if let Some(inner) = weak.upgrade() {
                send_hello(&inner);
            }
        }
    });
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
        let weak = weak.clone();
        move |event: MessageEvent| {
            if let Some(inner) = weak.upgrade() {
                on_text(&inner, event.data().as_string());
            }
        }
    });
    let on_close = Closure::<dyn FnMut(CloseEvent)>::new({
        let weak: Weak<RefCell<Inner>> = weak;
        move |_: CloseEvent| {
            if let Some(inner) = weak.upgrade() {
                schedule_reconnect(&inner);
            }
        }
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));

    let mut guard = inner.borrow_mut();
    guard.ws = Some(ws);
    guard.handlers = Some(Handlers { _open: on_open, _message: on_message, _close: on_close });
}

fn send_hello(inner: &Rc<RefCell<Inner>>) {
    let (since, token, ws) = {
        let guard = inner.borrow();
        (guard.since.clone(), guard.token.clone(), guard.ws.clone())
    };
    let hello = ClientFrame::Hello { token, since: since() };
    if let (Some(ws), Ok(text)) = (ws, serde_json::to_string(&hello)) {
        // A failed send means the socket is closing; its close handler reconnects.
        let _ = ws.send_with_str(&text);
    }
}

fn on_text(inner: &Rc<RefCell<Inner>>, text: Option<String>) {
    let Some(text) = text else {
        return emit(inner, SocketEvent::Invalid("a binary frame".into()));
    };
    match serde_json::from_str::<ServerFrame>(&text) {
        Ok(frame) => {
            if matches!(frame, ServerFrame::Welcome { .. }) {
                let mut guard = inner.borrow_mut();
                guard.attempt = 0;
                guard.welcomed = true;
                drop(guard);
                emit(inner, SocketEvent::State(ConnectionState::Open));
            }
            emit(inner, SocketEvent::Frame(frame));
        }
        Err(e) => emit(inner, SocketEvent::Invalid(e.to_string())),
    }
}

fn schedule_reconnect(inner: &Rc<RefCell<Inner>>) {
    let delay = {
        let mut guard = inner.borrow_mut();
        if guard.closed {
            return;
        }
        guard.ws = None;
        guard.welcomed = false;
        // The handlers may be running right now (this is called from onclose): drop
        // them only when the next socket replaces them, never from inside themselves.
        let exp = BASE_DELAY_MS * 2f64.powi(guard.attempt.min(16) as i32);
        guard.attempt += 1;
        // "Equal jitter": half fixed, half random, so that a server restart is not met
        // by every client at the same instant.
        let capped = exp.min(MAX_DELAY_MS);
        capped / 2.0 + js_sys::Math::random() * capped / 2.0
    };
    emit(inner, SocketEvent::State(ConnectionState::Reconnecting));
    let Some(window) = web_sys::window() else { return };
    let weak = Rc::downgrade(inner);
    let retry = Closure::once_into_js(move || {
        if let Some(inner) = weak.upgrade() {
            inner.borrow_mut().timer = None;
            open(&inner);
        }
    });
    if let Ok(handle) =
        window.set_timeout_with_callback_and_timeout_and_arguments_0(retry.unchecked_ref(), delay as i32)
    {
        inner.borrow_mut().timer = Some(handle);
    }
}
