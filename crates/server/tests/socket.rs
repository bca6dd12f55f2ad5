//! The WebSocket contract against a real server: visibility of events, resume without
//! loss or repetition, resync, and counts pushed to a second device.

mod common;

use common::start;
use parley_domain::wire::{ErrorCode, ServerFrame};
use serde_json::json;

#[tokio::test]
async fn a_self_agent_receives_nothing_of_a_teammates_conversation() {
    let s = start().await;
    let sam = s.sign_in("sam").await;
    let mut ws = s.socket(&sam, None).await;
    let (events, counts) = ws.drain().await;
    assert!(events.is_empty());
    assert!(counts.is_some(), "the first batch carries the side-panel counts");
    s.inbound("k-nina", "for nina, sam's teammate").await;
    s.inbound("k-none", "unassigned").await;
    s.inbound("k-sam", "for sam").await;
    let (events, _) = ws.drain().await;
    let convs: Vec<&str> = events.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(convs, ["c-sam"]);
    // A manager's socket gets all three.
    let max = s.sign_in("max").await;
    let mut mws = s.socket(&max, Some(0)).await;
    let (events, _) = mws.drain().await;
    assert_eq!(events.len(), 3);
}

#[tokio::test]
async fn reassigning_away_sends_one_last_update_then_nothing() {
    let s = start().await;
    let sam = s.sign_in("sam").await;
    let max = s.sign_in("max").await;
    let mut ws = s.socket(&sam, None).await;
    ws.drain().await;
    let (status, _) = s.put(&max, "/contacts/k-sam/assignee", json!({"assignee": "nina"})).await;
    assert_eq!(status, 200);
    let (events, counts) = ws.drain().await;
    assert_eq!(events.iter().filter(|(_, c)| c == "c-sam").count(), 1, "{events:?}");
    assert_eq!(counts.unwrap()[0]["open"], 0, "Mine is empty now");
    s.inbound("k-sam", "now nina's").await;
    assert!(ws.drain().await.0.is_empty());
}

#[tokio::test]
async fn resume_replays_exactly_the_missed_events() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let mut ws = s.socket(&aaron, None).await;
    s.inbound("k-aaron", "seen live").await;
    let (live, _) = ws.drain().await;
    assert_eq!(live.len(), 1);
    let last = live[0].0;
    ws.close().await;
    // Missed while disconnected: three events aaron may see.
    s.inbound("k-none", "missed 1").await;
    s.inbound("k-lea", "missed 2").await;
    s.inbound("k-aaron", "missed 3").await;
    let mut ws = s.socket(&aaron, Some(last)).await;
    s.inbound("k-max", "live after resume").await;
    let (events, _) = ws.drain().await;
    let seqs: Vec<u64> = events.iter().map(|e| e.0).collect();
    let convs: Vec<&str> = events.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(convs, ["c-none", "c-lea", "c-aaron", "c-max"]);
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "strictly increasing, no repeats: {seqs:?}");
    assert!(seqs[0] > last);
}

#[tokio::test]
async fn an_impossible_resume_point_gets_a_resync() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let (mut ws, _) = tokio_tungstenite::connect_async(&s.ws).await.unwrap();
    use futures_util::{SinkExt, StreamExt};
    let hello = json!({"type": "hello", "token": aaron, "since": 999_999});
    ws.send(tokio_tungstenite::tungstenite::Message::Text(hello.to_string().into())).await.unwrap();
    let mut frames = Vec::new();
    for _ in 0..3 {
        if let Some(Ok(tokio_tungstenite::tungstenite::Message::Text(t))) = ws.next().await {
            frames.push(serde_json::from_str::<ServerFrame>(&t).unwrap());
        }
    }
    assert!(matches!(frames[0], ServerFrame::Welcome { seq: 0 }), "{frames:?}");
    assert!(matches!(frames[1], ServerFrame::Clock { .. }), "{frames:?}");
    assert!(matches!(frames[2], ServerFrame::Resync { seq: 0 }), "{frames:?}");
}

#[tokio::test]
async fn a_bad_token_is_refused_with_an_error_frame() {
    let s = start().await;
    let (mut ws, _) = tokio_tungstenite::connect_async(&s.ws).await.unwrap();
    use futures_util::{SinkExt, StreamExt};
    let hello = json!({"type": "hello", "token": "forged", "since": null});
    ws.send(tokio_tungstenite::tungstenite::Message::Text(hello.to_string().into())).await.unwrap();
    let Some(Ok(tokio_tungstenite::tungstenite::Message::Text(t))) = ws.next().await else { panic!("no frame") };
    match serde_json::from_str::<ServerFrame>(&t).unwrap() {
        ServerFrame::Error { error } => assert_eq!(error.code, ErrorCode::Unauthorized),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn acknowledging_on_one_device_updates_the_other() {
    let s = start().await;
    let phone = s.sign_in("aaron").await;
    let desk = s.sign_in("aaron").await;
    let mut ws = s.socket(&desk, None).await;
    ws.drain().await;
    s.inbound("k-none", "hi").await;
    let (_, counts) = ws.drain().await;
    let unassigned =
        |c: &serde_json::Value| c.as_array().unwrap().iter().find(|i| i["id"] == "unassigned").unwrap()["new"].clone();
    assert_eq!(unassigned(counts.as_ref().unwrap()), 1);
    s.post(&phone, "/inboxes/unassigned/ack", json!({})).await;
    let (events, counts) = ws.drain().await;
    assert!(events.is_empty());
    assert_eq!(unassigned(counts.as_ref().unwrap()), 0);
}

#[tokio::test]
async fn a_burst_arrives_in_few_frames_in_order() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let mut ws = s.socket(&max, None).await;
    ws.drain().await;
    let contacts = ["k-aaron", "k-lea", "k-nina", "k-none", "k-max", "k-sam"];
    let sends = (0..60).map(|i| s.inbound(contacts[i % 6], "burst"));
    futures_util::future::join_all(sends).await;
    let mut frames = 0;
    let mut seqs = Vec::new();
    while let Some(frame) = ws.frame().await {
        if let ServerFrame::Batch { events, .. } = frame {
            frames += 1;
            seqs.extend(events.iter().map(|e| e.seq));
        }
    }
    assert_eq!(seqs.len(), 60);
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
    assert!(frames < 60, "events are batched: {frames} frames for 60 events");
}
