//! The WebSocket: authenticate with a hello frame, replay from the client's last seq up to
//! where the fan-out took over, then copy the frames the fan-out queues for this socket
//! (already filtered by the user's visibility) to the network.

use std::time::Duration;

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::response::{IntoResponse, Response};
use parley_domain::wire::{ClientFrame, Event, ServerFrame};
use parley_domain::{Directory, Timestamp, User};

use crate::error::ApiError;
use crate::fanout::{BATCH_LIMIT, Registration, may_receive};
use crate::{AppState, auth};

const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// Browsers send no preflight for a WebSocket: the origin is checked here
/// ([`crate::origins::check_socket_origin`]), before the upgrade.
#[utoipa::path(get, path = "/ws", tag = "meta", security(()),
    description = "The live connection: a WebSocket whose first frame authenticates (`hello` with the token); \
        frames as in docs/api.md. A browser's upgrade from an origin other than the server's own or an \
        `--allow-origin` one is refused.",
    responses(
        (status = 101, description = "Switching to the WebSocket protocol"),
        (status = 400, description = "Not a WebSocket upgrade", body = parley_domain::wire::ErrorBody),
        (status = 403, description = "An Origin that is not allowed", body = parley_domain::wire::ErrorBody),
    ))]
pub async fn upgrade(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    ws: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    if let Err(e) = crate::origins::check_socket_origin(&headers, &state.allowed_origins) {
        return e.into_response();
    }
    match ws {
        Ok(ws) => ws.max_message_size(16 * 1024).on_upgrade(move |socket| run(state, socket)),
        Err(r) => ApiError::BadRequest(format!("this endpoint takes WebSocket upgrades only: {}", r.body_text()))
            .into_response(),
    }
}

async fn send(socket: &mut WebSocket, frame: &ServerFrame) -> bool {
    let text = serde_json::to_string(frame).expect("frames serialise");
    socket.send(WsMessage::Text(text.into())).await.is_ok()
}

/// Says why in an error frame, then closes.
async fn refuse(socket: &mut WebSocket, error: ApiError) {
    let _ = send(socket, &ServerFrame::Error { error: error.detail() }).await;
    let _ = socket.send(WsMessage::Close(None)).await;
}

fn session_ended() -> ApiError {
    ApiError::Unauthorized("the session has ended; sign in again".into())
}

async fn hello(socket: &mut WebSocket) -> Result<(String, Option<u64>), ApiError> {
    let bad = |m: &str| ApiError::BadRequest(m.to_owned());
    match tokio::time::timeout(HELLO_TIMEOUT, socket.recv()).await {
        Ok(Some(Ok(WsMessage::Text(text)))) => match serde_json::from_str::<ClientFrame>(&text) {
            Ok(ClientFrame::Hello { token, since }) => Ok((token, since)),
            Ok(_) => Err(bad("the first frame must be hello")),
            Err(e) => Err(bad(&format!("expected a hello frame: {e}"))),
        },
        Ok(_) => Err(bad("expected a hello frame")),
        Err(_) => Err(bad("no hello frame within 10 s")),
    }
}

/// Presence frames a socket may relay per second; the rest are dropped.
const PRESENCE_PER_SECOND: u32 = 5;

async fn run(state: AppState, mut socket: WebSocket) {
    let (token, since) = match hello(&mut socket).await {
        Ok(h) => h,
        Err(e) => return refuse(&mut socket, e).await,
    };
    // Listening before the check: a sign-out between the two is not missed.
    let ended = state.hub.ended_sessions();
    let user = match auth::session_user(&state, &token).await {
        Ok(Some(user)) => user,
        Ok(None) => return refuse(&mut socket, session_ended()).await,
        Err(e) => return refuse(&mut socket, e).await,
    };
    let mut clock_rx = state.hub.clock_watch();
    let registration = match state.hub.register(user.clone()).await {
        Ok(r) => r,
        Err(e) => return refuse(&mut socket, e).await,
    };
    let id = registration.id;
    let session = Session { digest: auth::digest(&token), token, ended };
    stream(&state, &mut socket, &user, since, registration, &mut clock_rx, session).await;
    state.hub.unregister(id);
}

async fn stream(
    state: &AppState,
    socket: &mut WebSocket,
    user: &User,
    since: Option<u64>,
    registration: Registration,
    clock_rx: &mut tokio::sync::watch::Receiver<u64>,
    mut session: Session,
) {
    let Registration { position, directory, mut frames, .. } = registration;
    // Counted from here to the end of this function: shutdown waits for it to have sent its
    // "going away" (the process ending first would cut the connection without a close).
    let _open = state.hub.socket_opened();
    let mut going_away = state.hub.going_away_watch();
    // Looked at on the first turn of the loop too: shutdown may have begun before it.
    going_away.mark_changed();
    if !send(socket, &ServerFrame::Welcome { seq: position }).await
        || !send(socket, &ServerFrame::Clock { now: Timestamp(state.now()) }).await
    {
        return;
    }
    // The gap between the client's last seq and the fan-out's position comes from the log;
    // everything after it arrives through the queue.
    match since {
        Some(s) if s > position => {
            if !send(socket, &ServerFrame::Resync { seq: position }).await {
                return;
            }
        }
        Some(s) if s < position => {
            let Ok(replayed) = replay(state, socket, user, &directory, s, position).await else { return };
            if !replayed && !send(socket, &ServerFrame::Resync { seq: position }).await {
                return;
            }
        }
        _ => {}
    }
    tracing::info!(user = %user.id, since = ?since, position, "socket open");
    let mut window = (std::time::Instant::now(), 0u32);
    let expiry = tokio::time::sleep(Duration::ZERO);
    tokio::pin!(expiry);
    loop {
        tokio::select! {
            () = &mut expiry => {
                // Due (or first time round): still live, or this socket's stream ends.
                match auth::session_end(state, &session.token).await {
                    Ok(Some(end)) => expiry.as_mut().reset(tokio::time::Instant::now() + until(state, end)),
                    _ => return unauthorized(socket).await,
                }
            }
            ended = session.ended.recv() => match ended {
                Ok(digest) if *digest == *session.digest => return unauthorized(socket).await,
                Ok(_) => {}
                // Missed some: look the session up instead.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => expiry.as_mut().reset(tokio::time::Instant::now()),
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            },
            changed = going_away.changed() => {
                // Closed (the hub is gone) counts as going away too.
                if changed.is_ok() && !*going_away.borrow_and_update() {
                    continue;
                }
                let frame = axum::extract::ws::CloseFrame { code: 1001, reason: "the server is restarting".into() };
                let _ = socket.send(WsMessage::Close(Some(frame))).await;
                break;
            }
            frame = frames.recv() => match frame {
                Some(text) => if socket.send(WsMessage::Text(text.as_ref().into())).await.is_err() { break },
                None => break,
            },
            msg = socket.recv() => match msg {
                Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(WsMessage::Text(text))) => {
                    if window.0.elapsed() >= Duration::from_secs(1) {
                        window = (std::time::Instant::now(), 0);
                    }
                    window.1 += 1;
                    if window.1 <= PRESENCE_PER_SECOND
                        && let Ok(ClientFrame::Presence { conversation, activity }) = serde_json::from_str(&text)
                    {
                        state.hub.presence(user.clone(), conversation, activity);
                    }
                }
                Some(Ok(_)) => {}
            },
            moved = clock_rx.changed() => {
                if moved.is_err() { break }
                if !send(socket, &ServerFrame::Clock { now: Timestamp(state.now()) }).await { break }
                // Time jumped (tests): the session may have expired.
                expiry.as_mut().reset(tokio::time::Instant::now());
            }
        }
    }
    tracing::info!(user = %user.id, "socket closed");
}

/// The session a socket streams for.
struct Session {
    token: String,
    digest: String,
    ended: tokio::sync::broadcast::Receiver<Arc<str>>,
}

/// Real time until the server-clock instant `end`.
fn until(state: &AppState, end: i64) -> Duration {
    Duration::from_millis(u64::try_from(end - state.now()).unwrap_or(0)) + Duration::from_millis(1)
}

/// The session ended: says so (the app signs out) and closes.
async fn unauthorized(socket: &mut WebSocket) {
    refuse(socket, session_ended()).await;
    tracing::info!("socket closed: the session ended");
}

/// Sends the events in `(since, to]` the user may see, read from the log. `Ok(false)`
/// when the log no longer reaches back to `since` (the client must resync).
async fn replay(
    state: &AppState,
    socket: &mut WebSocket,
    user: &User,
    dir: &Arc<Directory>,
    since: u64,
    to: u64,
) -> Result<bool, ()> {
    let mut last = since;
    while last < to {
        let after = last;
        let Ok(read) = state.db.read(move |conn| conn.events_after(after, BATCH_LIMIT)).await else { return Err(()) };
        let Some(rows) = read else { return Ok(false) };
        let rows: Vec<_> = rows.into_iter().take_while(|(e, _)| e.seq <= to).collect();
        let Some(end) = rows.last().map(|(e, _)| e.seq) else { break };
        last = end;
        let events: Vec<Event> =
            rows.into_iter().filter(|(e, a)| may_receive(dir, user, a, &e.kind)).map(|(e, _)| e).collect();
        if !events.is_empty() && !send(socket, &ServerFrame::Batch { events, inboxes: None }).await {
            return Err(());
        }
    }
    Ok(true)
}
