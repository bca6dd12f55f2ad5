//! The server at contact-centre scale: the fan-out's resyncs (pruning, a slow socket),
//! live counts against a full recount, sign-in hashing outside the database, orphan
//! uploads.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Socket, TestServer, start, start_tuned, start_with_tuning};
use futures_util::{SinkExt, StreamExt};
use parley_domain::wire::{ClientFrame, EventKind, ServerFrame};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

const DAY_MS: i64 = 86_400_000;

/// `count` new unassigned conversations (no events), then every open one older than a
/// day closed by max in one transaction: about two events per conversation.
async fn bulk_close(s: &TestServer, count: u32) -> u64 {
    let (status, body) = s.post("", "/simulator/bulk-inbound", json!({"count": count})).await;
    assert_eq!(status, 201, "{body}");
    s.set_clock(2 * DAY_MS).await;
    let max = s.sign_in("max").await;
    let (status, body) = s.post(&max, "/inboxes/all/bulk-resolve", json!({"older_than_days": 1})).await;
    assert_eq!(status, 200, "{body}");
    body["closed"].as_u64().unwrap()
}

/// Frames until `stop` says enough or the socket is quiet.
async fn frames_until(ws: &mut Socket, mut stop: impl FnMut(&ServerFrame) -> bool) -> Vec<ServerFrame> {
    let mut out = Vec::new();
    while let Some(f) = ws.frame().await {
        let done = stop(&f);
        out.push(f);
        if done {
            break;
        }
    }
    out
}

fn closes(frames: &[ServerFrame]) -> usize {
    frames
        .iter()
        .flat_map(|f| match f {
            ServerFrame::Batch { events, .. } => events.as_slice(),
            _ => &[],
        })
        .filter(
            |e| matches!(&e.kind, EventKind::ConversationUpdated { conversation } if !conversation.status.is_open()),
        )
        .count()
}

#[tokio::test]
async fn a_live_socket_gets_resync_when_pruning_passes_it() {
    let s = start_tuned(|c| c.log_capacity = 50, |_| {}).await;
    let max = s.sign_in("max").await;
    let mut ws = s.socket(&max, None).await;
    ws.drain().await;
    let closed = bulk_close(&s, 300).await;
    assert!(closed >= 300);
    let frames = frames_until(&mut ws, |f| matches!(f, ServerFrame::Resync { .. })).await;
    let Some(ServerFrame::Resync { seq }) = frames.last() else { panic!("no resync: {} frames", frames.len()) };
    assert!(closes(&frames) < closed as usize, "the pruned closes cannot all have arrived");
    // Resuming from the resync point works: later events arrive.
    s.inbound("k-aaron", "after the resync").await;
    let (events, _) = ws.drain().await;
    assert!(!events.is_empty() && events.iter().all(|(e, _)| e > seq), "{events:?}");
}

#[tokio::test]
async fn a_slow_socket_gets_resync_and_never_slows_the_others() {
    let s = start_tuned(
        |c| {
            c.socket_queue = 16;
            c.log_capacity = 100_000;
        },
        |_| {},
    )
    .await;
    let max = s.sign_in("max").await;
    // A client that reads nothing, with a tiny receive window.
    let tcp = tokio::net::TcpSocket::new_v4().unwrap();
    tcp.set_recv_buffer_size(4096).unwrap();
    let addr = s.ws.trim_start_matches("ws://").split('/').next().unwrap().parse().unwrap();
    let stream = tcp.connect(addr).await.unwrap();
    let (mut slow, _) = tokio_tungstenite::client_async(s.ws.as_str(), stream).await.unwrap();
    let hello = ClientFrame::Hello { token: max.clone(), since: None };
    slow.send(Message::Text(serde_json::to_string(&hello).unwrap().into())).await.unwrap();
    // A client that reads everything as it comes.
    let mut fast = s.socket(&max, None).await;
    fast.drain().await;
    let (total_tx, total_rx) = tokio::sync::oneshot::channel::<usize>();
    let reader = tokio::spawn(async move {
        let (mut seen, mut resynced, mut total) = (0, false, None);
        let mut total_rx = Some(total_rx);
        while total.is_none_or(|t| seen < t) {
            if let Some(rx) = total_rx.as_mut()
                && let Ok(t) = rx.try_recv()
            {
                total = Some(t);
                total_rx = None;
            }
            match fast.frame_within(Duration::from_secs(10)).await {
                Some(f) => {
                    resynced |= matches!(f, ServerFrame::Resync { .. });
                    seen += closes(std::slice::from_ref(&f));
                }
                // Quiet while the bulk close is still being written (one long transaction,
                // longer on PostgreSQL) is not the end of the stream.
                None if total.is_none() && total_rx.is_some() => {}
                None => break,
            }
        }
        (seen, resynced)
    });
    // Far more than the kernel's socket buffers hold (up to 4 MB here).
    let closed = bulk_close(&s, 12_000).await as usize;
    total_tx.send(closed).unwrap();
    let (fast_closes, fast_resynced) = reader.await.unwrap();
    assert_eq!(fast_closes, closed, "the reading socket got every close");
    assert!(!fast_resynced);
    // The slow client reads at last: what was queued, then resync instead of the rest.
    let mut seen = Vec::new();
    loop {
        match tokio::time::timeout(Duration::from_secs(5), slow.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => {
                let f: ServerFrame = serde_json::from_str(&t).unwrap();
                let resync = matches!(f, ServerFrame::Resync { .. });
                seen.push(f);
                if resync {
                    break;
                }
            }
            Ok(Some(Ok(_))) => {}
            other => panic!("no resync after {} frames: {other:?}", seen.len()),
        }
    }
    assert!(closes(&seen) < closed, "a full queue drops frames, so resync must stand in for them");
}

#[tokio::test]
async fn live_counts_equal_a_full_recount_after_every_kind_of_change() {
    let s =
        start_with_tuning(|f| f["users"][0]["permissions"] = json!(["bulk_resolve", "view_blocked"]), |_| {}, |_| {})
            .await;
    let users = ["max", "aaron", "lea", "nina", "tess", "sam"];
    let mut tokens = Vec::new();
    for u in users {
        tokens.push(s.sign_in(u).await);
    }
    let max = tokens[0].clone();
    let recount = |s: &TestServer| {
        common::read_store(s.dir.path().to_owned(), move |store| {
            let dir = store.directory()?;
            users
                .iter()
                .map(|u| {
                    let user = store.user(&(*u).into())?.unwrap();
                    let rows = store.conversation_rows(&user.id)?;
                    let counts = parley_domain::inbox::counts(&dir, &user, rows.iter().map(|r| &r.facts));
                    Ok(counts.into_iter().map(|c| (c.id.to_string(), u64::from(c.open), u64::from(c.new))).collect())
                })
                .collect::<Result<Vec<Vec<_>>, _>>()
        })
    };
    let check = |label: &'static str| {
        let s = &s;
        let tokens = &tokens;
        async move {
            let expected = recount(s).await;
            for (i, token) in tokens.iter().enumerate() {
                assert_eq!(s.counts(token).await, expected[i], "{label}: {}", users[i]);
            }
        }
    };
    check("seeded").await;
    s.inbound("k-none", "unassigned").await;
    s.inbound("k-aaron", "aaron's").await;
    s.inbound("k-fresh", "a new conversation").await;
    check("incoming").await;
    assert_eq!(s.put(&max, "/contacts/k-none/assignee", json!({"assignee": "tess"})).await.0, 200);
    assert_eq!(s.put(&max, "/contacts/k-aaron/assignee", json!({"assignee": null})).await.0, 200);
    check("assign").await;
    let close = json!({"action": "close"});
    assert_eq!(s.post(&max, "/conversations/c-nina/lifecycle", close).await.0, 200);
    check("close").await;
    assert_eq!(s.post(&max, "/conversations/c-nina/lifecycle", json!({"action": "reopen"})).await.0, 200);
    check("reopen").await;
    let until = s.set_clock(0).await + 60_000;
    let snooze = json!({"action": "snooze", "until": until});
    assert_eq!(s.post(&max, "/conversations/c-aaron/lifecycle", snooze).await.0, 200);
    s.set_clock(120_000).await;
    for _ in 0..50 {
        let (_, c) = s.get(&max, "/conversations/c-aaron").await;
        if c["conversation"]["status"] != "snoozed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check("snooze wake-up").await;
    assert_eq!(s.put(&max, "/contacts/k-lea/blocked", json!({"blocked": true})).await.0, 200);
    check("block").await;
    for (i, token) in tokens.iter().enumerate() {
        for inbox in ["mine", "unassigned", "all", "team-sales", "team-support"] {
            let (status, _) = s.post(token, &format!("/inboxes/{inbox}/ack"), json!({})).await;
            assert!(status == 200 || status == 404, "{} {inbox}: {status}", users[i]);
        }
    }
    check("ack").await;
    s.inbound("k-none", "again").await;
    s.inbound("k-sam", "for sam").await;
    check("incoming after acks").await;
}

#[tokio::test]
async fn a_request_completes_while_a_sign_in_is_hashing() {
    // The password check waits at a gate the test opens, so "while hashing" is a fact of
    // ordering, not of timing.
    type Gate = Arc<Mutex<Option<std::sync::mpsc::Receiver<()>>>>;
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
    let (open_tx, open_rx) = std::sync::mpsc::channel::<()>();
    let gate: Gate = Arc::new(Mutex::new(Some(open_rx)));
    let started = Arc::new(Mutex::new(Some(started_tx)));
    let s = start_tuned(
        |_| {},
        move |state| {
            state.passwords = Arc::new(move |password: &str, hash: &str| {
                if let Some(tx) = started.lock().unwrap().take() {
                    let _ = tx.send(());
                    let rx = gate.lock().unwrap().take().unwrap();
                    rx.recv().unwrap();
                }
                parley_server::auth::verify_password(password, hash)
            });
        },
    )
    .await;
    let sign_in = {
        let http = s.http.clone();
        let url = format!("{}/session", s.base);
        tokio::spawn(async move {
            http.post(url).json(&json!({"email": "aaron@test", "password": "pw"})).send().await.unwrap().status()
        })
    };
    started_rx.await.unwrap();
    // Hashing is under way and cannot finish until the gate opens: everything below
    // completes meanwhile, or the test hangs.
    let (status, _) =
        s.post("", "/simulator/inbound", json!({"contact": "k-none", "channel": "wa", "text": "hi"})).await;
    assert_eq!(status, 201);
    let (status, _) = s.get("not-a-token", "/me").await;
    assert_eq!(status, 401, "an unknown token is refused without waiting for the hash");
    assert!(!sign_in.is_finished());
    open_tx.send(()).unwrap();
    assert_eq!(sign_in.await.unwrap(), 201);
    let aaron = s.sign_in("aaron").await;
    assert_eq!(s.get(&aaron, "/me").await.0, 200);
}

#[tokio::test]
async fn uploads_no_message_took_are_removed_after_a_day() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let upload = |name: &'static str| {
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(b"bytes".to_vec()).file_name(name));
        s.http.post(format!("{}/conversations/c-aaron/attachments", s.base)).bearer_auth(&aaron).multipart(form).send()
    };
    let kept: serde_json::Value = upload("kept.txt").await.unwrap().json().await.unwrap();
    let orphan: serde_json::Value = upload("orphan.txt").await.unwrap().json().await.unwrap();
    let body = json!({"client_id": "k1", "text": "", "attachments": [kept["id"]]});
    assert_eq!(s.post(&aaron, "/conversations/c-aaron/messages", body).await.0, 201);
    let files = s.dir.path().join("parley.sqlite3.attachments");
    let path = |v: &serde_json::Value| files.join(v["id"].as_str().unwrap());
    s.set_clock(DAY_MS - 60_000).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(path(&orphan).exists(), "not a day old yet");
    s.set_clock(DAY_MS + 60_000).await;
    let mut gone = false;
    for _ in 0..50 {
        if !path(&orphan).exists() {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(gone, "the orphan upload was not removed");
    assert!(path(&kept).exists(), "a sent attachment stays");
    let url = format!("{}/attachments/{}", s.base, kept["id"].as_str().unwrap());
    assert_eq!(s.http.get(url).bearer_auth(&aaron).send().await.unwrap().status(), 200);
    let url = format!("{}/attachments/{}", s.base, orphan["id"].as_str().unwrap());
    assert_eq!(s.http.get(url).bearer_auth(&aaron).send().await.unwrap().status(), 404);
    // Nothing is left half-written either.
    let names: Vec<String> =
        std::fs::read_dir(&files).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.starts_with(".upload-")), "{names:?}");
}
