//! Calls on the real server: who a ringing call reaches (visibility + the calls
//! permission, on REST and on the socket), number masking, accept/decline races,
//! claiming an unassigned contact, recording and ending, the log and the timeline.

mod common;

use common::{TestServer, start_with};
use parley_domain::wire::{EventKind, ServerFrame};
use serde_json::{Value, json};

/// Everyone handles calls except nina; numbers are masked.
async fn server() -> TestServer {
    start_with(|f| {
        for u in f["users"].as_array_mut().unwrap() {
            if u["id"] != "nina" {
                u["permissions"] = json!(["calls", "bulk_resolve"]);
            }
        }
        f["settings"] = json!({"mask_numbers": true});
    })
    .await
}

async fn ring(s: &TestServer, contact: &str) -> Value {
    let (status, call) = s.post("", "/simulator/call", json!({"contact": contact, "action": "ring"})).await;
    assert_eq!(status, 200, "{call}");
    call
}

fn ids(calls: &Value) -> Vec<String> {
    let mut v: Vec<String> =
        calls.as_array().unwrap().iter().map(|c| c["contact"].as_str().unwrap().to_owned()).collect();
    v.sort();
    v
}

/// The contacts of the call events a socket receives until it is quiet.
async fn calls_seen(socket: &mut common::Socket) -> Vec<String> {
    let mut seen = vec![];
    while let Some(frame) = socket.frame().await {
        if let ServerFrame::Batch { events, .. } = frame {
            seen.extend(events.into_iter().filter_map(|e| match e.kind {
                EventKind::CallUpdated { call } => Some(call.contact.to_string()),
                _ => None,
            }));
        }
    }
    seen
}

#[tokio::test]
async fn a_ringing_call_reaches_exactly_who_may_see_the_contact_and_handles_calls() {
    let s = server().await;
    let (max, aaron, sam, nina) =
        (s.sign_in("max").await, s.sign_in("aaron").await, s.sign_in("sam").await, s.sign_in("nina").await);
    let mut sam_socket = s.socket(&sam, None).await;
    let mut nina_socket = s.socket(&nina, None).await;
    let mut max_socket = s.socket(&max, None).await;
    for socket in [&mut sam_socket, &mut nina_socket, &mut max_socket] {
        socket.drain().await;
    }
    let call = ring(&s, "k-none").await;
    assert_eq!((call["state"].as_str(), call["direction"].as_str()), (Some("ringing"), Some("incoming")));
    // Masked: country code, first digit and the last two only.
    assert_eq!(call["phone"], "+33 6•• ••• •00");
    ring(&s, "k-sam").await;

    assert_eq!(ids(&s.get(&max, "/calls").await.1), ["k-none", "k-sam"]);
    assert_eq!(ids(&s.get(&aaron, "/calls").await.1), ["k-none", "k-sam"]);
    // A self-restricted agent: only their own contact's call.
    assert_eq!(ids(&s.get(&sam, "/calls").await.1), ["k-sam"]);
    // No calls permission: refused, and no call event on the socket.
    assert_eq!(s.get(&nina, "/calls").await.0, 403);

    assert_eq!(calls_seen(&mut sam_socket).await, ["k-sam"]);
    assert!(calls_seen(&mut nina_socket).await.is_empty());
    let mut seen = calls_seen(&mut max_socket).await;
    seen.sort();
    assert_eq!(seen, ["k-none", "k-sam"]);
}

#[tokio::test]
async fn accepting_claims_the_contact_and_stops_the_ringing_for_everyone_else() {
    let s = server().await;
    let (aaron, lea) = (s.sign_in("aaron").await, s.sign_in("lea").await);
    let call = ring(&s, "k-none").await;
    let id = call["id"].as_str().unwrap().to_owned();
    let (status, accepted) = s.post(&aaron, &format!("/calls/{id}/accept"), json!(null)).await;
    assert_eq!(status, 200, "{accepted}");
    assert_eq!((accepted["state"].as_str(), accepted["agent"].as_str()), (Some("ongoing"), Some("aaron")));
    // The unassigned contact is now aaron's.
    assert_eq!(s.get(&aaron, "/contacts/k-none").await.1["assignee"], "aaron");
    // Lea is too late: a clear conflict, and nothing changes.
    let (status, body) = s.post(&lea, &format!("/calls/{id}/accept"), json!(null)).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("no longer ringing"));
    let (status, _) = s.post(&lea, &format!("/calls/{id}/decline"), json!(null)).await;
    assert_eq!(status, 409);
    // Only the agent on the call records or ends it.
    assert_eq!(s.post(&lea, &format!("/calls/{id}/record"), json!(null)).await.0, 409);
    let (_, rec) = s.post(&aaron, &format!("/calls/{id}/record"), json!(null)).await;
    assert_eq!(rec["recording"], true);
    s.set_clock(95_000).await;
    let (_, ended) = s.post(&aaron, &format!("/calls/{id}/end"), json!(null)).await;
    assert_eq!((ended["state"].as_str(), ended["recording"].as_bool()), (Some("ended"), Some(false)));
    // Nothing rings any more; the call is in the logs and the contact's activities.
    assert!(s.get(&lea, "/calls").await.1.as_array().unwrap().is_empty());
    let log = s.get(&aaron, "/inboxes/mine/calls").await.1;
    assert_eq!(log[0]["id"], id.as_str());
    assert!(s.get(&aaron, "/inboxes/unassigned/calls").await.1.as_array().unwrap().is_empty());
    assert_eq!(s.get(&aaron, "/contacts/k-none/calls").await.1[0]["state"], "ended");
    // The timeline tells the story: answered by aaron, then ended after 1:35.
    let detail = s.get(&aaron, "/conversations/c-none").await.1;
    let calls: Vec<(&str, Option<i64>)> = detail["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "call")
        .map(|a| (a["call_state"].as_str().unwrap(), a["duration_ms"].as_i64()))
        .collect();
    // The test clock moved 95 s on; real time adds a few milliseconds.
    assert!(
        matches!(calls[..], [("ongoing", None), ("ended", Some(ms))] if (95_000..99_000).contains(&ms)),
        "{calls:?}"
    );
}

#[tokio::test]
async fn declines_misses_and_outbound_calls() {
    let s = server().await;
    let (aaron, nina) = (s.sign_in("aaron").await, s.sign_in("nina").await);
    let id = ring(&s, "k-aaron").await["id"].as_str().unwrap().to_owned();
    // The contact is already on a call: a second ring is refused.
    assert_eq!(s.post("", "/simulator/call", json!({"contact": "k-aaron", "action": "ring"})).await.0, 409);
    let (_, declined) = s.post(&aaron, &format!("/calls/{id}/decline"), json!(null)).await;
    assert_eq!(declined["state"], "declined");
    // Rings, then the caller gives up: missed.
    ring(&s, "k-aaron").await;
    let (_, missed) = s.post("", "/simulator/call", json!({"contact": "k-aaron", "action": "hangup"})).await;
    assert_eq!(missed["state"], "missed");
    assert_eq!(s.post("", "/simulator/call", json!({"contact": "k-aaron", "action": "hangup"})).await.0, 409);
    // Email does not carry calls.
    let (status, body) =
        s.post("", "/simulator/call", json!({"contact": "k-aaron", "channel": "mail", "action": "ring"})).await;
    assert_eq!(status, 400, "{body}");
    // Calling out to an unassigned contact assigns it and starts the call.
    let (status, out) = s.post(&aaron, "/contacts/k-fresh/calls", json!({})).await;
    assert_eq!(status, 201, "{out}");
    assert_eq!((out["direction"].as_str(), out["state"].as_str()), (Some("outgoing"), Some("ongoing")));
    assert_eq!(s.get(&aaron, "/contacts/k-fresh").await.1["assignee"], "aaron");
    // The contact hangs up their side.
    let (_, ended) = s.post("", "/simulator/call", json!({"contact": "k-fresh", "action": "hangup"})).await;
    assert_eq!(ended["state"], "ended");
    let log = s.get(&aaron, "/contacts/k-aaron/calls").await.1;
    let states: Vec<&str> = log.as_array().unwrap().iter().map(|c| c["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["missed", "declined"]);
    // Without the calls permission: no calling out, no actions.
    assert_eq!(s.post(&nina, "/contacts/k-nina/calls", json!({})).await.0, 403);
    assert_eq!(s.post(&nina, &format!("/calls/{id}/accept"), json!(null)).await.0, 403);
    // Unknown action: not found, as JSON.
    let (status, body) = s.post(&aaron, &format!("/calls/{id}/teleport"), json!(null)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));
}

/// Issue 10, item 7: everyone handles calls but nina; one more WhatsApp number, `wa2`,
/// that no contact is connected to.
async fn hardened() -> TestServer {
    start_with(|f| {
        for u in f["users"].as_array_mut().unwrap() {
            if u["id"] != "nina" {
                u["permissions"] = json!(["calls"]);
            }
        }
        f["channels"].as_array_mut().unwrap().push(json!({"id": "wa2", "kind": "whatsapp", "name": "WhatsApp 2"}));
    })
    .await
}

#[tokio::test]
async fn a_contacts_calls_need_the_calls_permission() {
    let s = hardened().await;
    let (aaron, nina) = (s.sign_in("aaron").await, s.sign_in("nina").await);
    assert_eq!(s.get(&nina, "/contacts/k-nina/calls").await.0, 403);
    assert_eq!(s.get(&aaron, "/contacts/k-nina/calls").await.0, 200);
}

#[tokio::test]
async fn call_lines_of_the_timeline_reach_only_who_handles_calls() {
    let s = hardened().await;
    let (aaron, nina) = (s.sign_in("aaron").await, s.sign_in("nina").await);
    let mut nina_socket = s.socket(&nina, None).await;
    let mut aaron_socket = s.socket(&aaron, None).await;
    nina_socket.drain().await;
    aaron_socket.drain().await;
    ring(&s, "k-nina").await;
    let (status, _) = s.post("", "/simulator/call", json!({"contact": "k-nina", "action": "hangup"})).await;
    assert_eq!(status, 200);
    let call_lines = |frames: Vec<ServerFrame>| {
        frames
            .into_iter()
            .flat_map(|f| match f {
                ServerFrame::Batch { events, .. } => events,
                _ => vec![],
            })
            .filter(|e| {
                matches!(&e.kind, EventKind::ActivityCreated { activity }
                    if matches!(activity.kind, parley_domain::wire::ActivityKind::Call { .. }))
            })
            .count()
    };
    assert!(call_lines(all_frames(&mut aaron_socket).await) > 0, "aaron handles calls");
    assert_eq!(call_lines(all_frames(&mut nina_socket).await), 0, "nina does not");
    let kinds = |detail: &Value| -> Vec<String> {
        detail["activities"].as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap().to_owned()).collect()
    };
    assert!(kinds(&s.get(&aaron, "/conversations/c-nina").await.1).iter().any(|k| k == "call"));
    assert!(!kinds(&s.get(&nina, "/conversations/c-nina").await.1).iter().any(|k| k == "call"));
    let (_, all) = s.get(&nina, "/contacts/k-nina/activities").await;
    assert!(!all["activities"].as_array().unwrap().iter().any(|a| a["kind"] == "call"), "{all}");
}

#[tokio::test]
async fn a_call_goes_out_only_on_a_channel_of_the_contact() {
    let s = hardened().await;
    let aaron = s.sign_in("aaron").await;
    let (status, body) = s.post(&aaron, "/contacts/k-aaron/calls", json!({"channel": "wa2"})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(s.get(&aaron, "/contacts/k-aaron/calls").await.1, json!([]), "nothing was placed");
}

#[tokio::test]
async fn the_call_logs_limit_counts_only_calls_the_viewer_may_see() {
    let s = hardened().await;
    let sam = s.sign_in("sam").await;
    ring(&s, "k-sam").await;
    s.post("", "/simulator/call", json!({"contact": "k-sam", "action": "hangup"})).await;
    // 200 newer calls of a contact sam may not see.
    for _ in 0..200 {
        ring(&s, "k-none").await;
        s.post("", "/simulator/call", json!({"contact": "k-none", "action": "hangup"})).await;
    }
    let (status, log) = s.get(&sam, "/inboxes/mine/calls").await;
    assert_eq!(status, 200);
    assert_eq!(ids(&log), ["k-sam"]);
}

/// Every frame until the socket is quiet.
async fn all_frames(socket: &mut common::Socket) -> Vec<ServerFrame> {
    let mut out = vec![];
    while let Some(f) = socket.frame().await {
        out.push(f);
    }
    out
}
