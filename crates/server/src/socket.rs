//! The WebSocket: authenticate with a hello frame, replay from the client's last seq,
//! then stream the event log, each event filtered by the user's visibility.

use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use parley_domain::visibility::can_see;
use parley_domain::wire::{ClientFrame, Event, EventKind, ServerFrame};
use parley_domain::{Permission, Timestamp, User};
use tokio::sync::broadcast::error::RecvError;

use crate::error::{ApiError, ApiResult};
use crate::events::Presence;
use crate::routes::inboxes_counts;
use crate::{AppState, auth, repo};

/// Most events in one frame; a longer backlog goes out as several frames.
const BATCH_LIMIT: usize = 500;
/// How long a wake-up waits for more events, so a burst leaves as one frame.
const COALESCE: Duration = Duration::from_millis(8);
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

pub async fn upgrade(State(state): State<AppState>, ws: WebSocketUpgrade) -> Response {
    ws.max_message_size(16 * 1024).on_upgrade(move |socket| run(state, socket))
}

async fn send(socket: &mut WebSocket, frame: &ServerFrame) -> bool {
    let text = serde_json::to_string(frame).expect("frames serialise");
    socket.send(WsMessage::Text(text.into())).await.is_ok()
}

async fn refuse(mut socket: WebSocket, error: ApiError) {
    let _ = send(&mut socket, &ServerFrame::Error { error: error.detail() }).await;
    let _ = socket.send(WsMessage::Close(None)).await;
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

async fn run(state: AppState, mut socket: WebSocket) {
    let (token, since) = match hello(&mut socket).await {
        Ok(h) => h,
        Err(e) => return refuse(socket, e).await,
    };
    let now = state.now();
    let user = match state.db.call(move |conn| auth::user_for_token(conn, &token, now)).await {
        Ok(Some(user)) => user,
        Ok(None) => return refuse(socket, ApiError::Unauthorized("the session has ended; sign in again".into())).await,
        Err(e) => return refuse(socket, e).await,
    };
    // Subscribe before reading the current seq, so nothing committed in between is missed.
    let (mut seq_rx, mut pings) = state.hub.subscribe();
    let mut clock_rx = state.hub.clock_watch();
    let mut presence_rx = state.hub.presence_feed();
    let Ok((current, pruned)) = state.db.call(|conn| Ok((repo::current_seq(conn)?, repo::pruned_through(conn)?))).await
    else {
        return refuse(socket, ApiError::Internal("database unavailable".into())).await;
    };
    if !send(&mut socket, &ServerFrame::Welcome { seq: current }).await
        || !send(&mut socket, &ServerFrame::Clock { now: Timestamp(state.now()) }).await
    {
        return;
    }
    let Ok(dir) = state.db.call(|conn| repo::directory(conn)).await else { return };
    let mut last = match since {
        Some(s) if s >= pruned && s <= current => s,
        Some(_) => {
            if !send(&mut socket, &ServerFrame::Resync { seq: current }).await {
                return;
            }
            current
        }
        None => current,
    };
    tracing::info!(user = %user.id, since = ?since, from = last, "socket open");
    let mut counts_dirty = true;
    'stream: loop {
        loop {
            let user = user.clone();
            let batch = state.db.call(move |conn| next_batch(conn, &user, last, counts_dirty)).await;
            let Ok((frame, new_last, more)) = batch else { break 'stream };
            last = new_last;
            counts_dirty = false;
            if let Some(frame) = frame
                && !send(&mut socket, &frame).await
            {
                break 'stream;
            }
            if !more {
                break;
            }
        }
        loop {
            tokio::select! {
                changed = seq_rx.changed() => {
                    if changed.is_err() { break 'stream }
                    tokio::time::sleep(COALESCE).await;
                    break;
                }
                ping = pings.recv() => match ping {
                    Ok(id) if id == user.id => { counts_dirty = true; break }
                    Ok(_) => {}
                    Err(RecvError::Lagged(_)) => { counts_dirty = true; break }
                    Err(RecvError::Closed) => break 'stream,
                },
                msg = socket.recv() => match msg {
                    Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => break 'stream,
                    Some(Ok(WsMessage::Text(text))) => relay_presence(&state, &user, &text).await,
                    Some(Ok(_)) => {}
                },
                moved = clock_rx.changed() => {
                    if moved.is_err() { break 'stream }
                    if !send(&mut socket, &ServerFrame::Clock { now: Timestamp(state.now()) }).await { break 'stream }
                }
                presence = presence_rx.recv() => match presence {
                    Ok(p) if p.user != user.id && can_see(&dir, &user, p.assignee.as_ref()) => {
                        let frame = ServerFrame::Presence {
                            conversation: p.conversation, user: p.user, name: p.name, activity: p.activity,
                        };
                        if !send(&mut socket, &frame).await { break 'stream }
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => break 'stream,
                },
            }
        }
    }
    tracing::info!(user = %user.id, last, "socket closed");
}

/// A presence frame from the client: relayed to the others who may see the
/// conversation, if the sender may see it. Anything else the client sends is ignored.
async fn relay_presence(state: &AppState, user: &User, text: &str) {
    let Ok(ClientFrame::Presence { conversation, activity }) = serde_json::from_str::<ClientFrame>(text) else {
        return;
    };
    let viewer = user.clone();
    let id = conversation.clone();
    let found = state.db.call(move |conn| crate::routes::visible_conversation(conn, &viewer, &id)).await;
    if let Ok(summary) = found {
        state.hub.announce(Presence {
            conversation,
            assignee: summary.assignee,
            user: user.id.clone(),
            name: user.name.clone(),
            activity,
        });
    }
}

/// Reads the log after `last`: the events `user` may see, and their counts when the
/// batch touched them (or `counts_dirty`). Returns the frame to send (if any), the new
/// resume point and whether more events wait.
fn next_batch(
    conn: &rusqlite::Connection,
    user: &User,
    last: u64,
    counts_dirty: bool,
) -> ApiResult<(Option<ServerFrame>, u64, bool)> {
    let rows = repo::events_after(conn, last, BATCH_LIMIT)?;
    let more = rows.len() == BATCH_LIMIT;
    let new_last = rows.last().map_or(last, |(e, _)| e.seq);
    let dir = repo::directory(conn)?;
    let events: Vec<Event> = rows
        .into_iter()
        .filter(|(_, audience)| audience.iter().any(|a| can_see(&dir, user, a.as_ref())))
        // Calls reach only the users who handle calls.
        .filter(|(e, _)| !matches!(e.kind, EventKind::CallUpdated { .. }) || user.has(Permission::Calls))
        .map(|(e, _)| e)
        .collect();
    if events.is_empty() && !counts_dirty {
        return Ok((None, new_last, more));
    }
    let inboxes = Some(inboxes_counts(conn, &dir, user)?);
    Ok((Some(ServerFrame::Batch { events, inboxes }), new_last, more))
}
