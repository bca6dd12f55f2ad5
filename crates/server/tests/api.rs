//! The REST contract against a real server and SQLite file: visibility, indicator
//! counts, idempotent sending and error answers.

mod common;

use common::{sql_strings, start};
use serde_json::json;

fn new_of(counts: &[(String, u64, u64)]) -> Vec<(&str, u64)> {
    counts.iter().filter(|c| c.2 > 0).map(|c| (c.0.as_str(), c.2)).collect()
}

#[tokio::test]
async fn each_new_conversation_lights_one_inbox_in_priority_order() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    assert_eq!(new_of(&s.counts(&aaron).await), []);
    // (contact, the one inbox that must light for aaron, who is in Sales and Support)
    let rows = [
        ("k-aaron", "mine"),
        ("k-lea", "team-sales"),
        ("k-nina", "team-support"),
        ("k-none", "unassigned"),
        ("k-max", "all"),
    ];
    for (contact, inbox) in rows {
        let before = s.counts(&aaron).await;
        s.inbound(contact, "ping").await;
        let after = s.counts(&aaron).await;
        for (b, a) in before.iter().zip(&after) {
            let want = b.2 + u64::from(a.0 == inbox);
            assert_eq!(a.2, want, "{contact} should light {inbox} only: {after:?}");
        }
        // Opening the inbox clears its dot and nothing else.
        let (status, body) = s.post(&aaron, &format!("/inboxes/{inbox}/ack"), json!({})).await;
        assert_eq!(status, 200);
        let acked = common::counts_of(&body["inboxes"]);
        assert!(acked.iter().all(|c| c.2 == 0), "{acked:?}");
    }
}

#[tokio::test]
async fn the_dot_counts_conversations_not_messages_and_survives_a_new_session() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    s.inbound("k-none", "one").await;
    s.inbound("k-none", "two").await;
    s.inbound("k-aaron", "three").await;
    assert_eq!(new_of(&s.counts(&aaron).await), [("mine", 1), ("unassigned", 1)]);
    // A second device sees the same state, and acknowledging there shows here.
    let second = s.sign_in("aaron").await;
    assert_eq!(new_of(&s.counts(&second).await), [("mine", 1), ("unassigned", 1)]);
    s.post(&second, "/inboxes/unassigned/ack", json!({})).await;
    assert_eq!(new_of(&s.counts(&aaron).await), [("mine", 1)]);
    // Another user's acknowledgement is theirs alone.
    let max = s.sign_in("max").await;
    assert_eq!(new_of(&s.counts(&max).await), [("unassigned", 1), ("team-sales", 1)]);
}

#[tokio::test]
async fn a_self_agent_sees_only_their_own_over_rest() {
    let s = start().await;
    let sam = s.sign_in("sam").await;
    let (status, body) = s.get(&sam, "/inboxes").await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = body["inboxes"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["mine"]);
    let (status, body) = s.get(&sam, "/inboxes/mine/conversations").await;
    assert_eq!(status, 200);
    let items: Vec<&str> = body["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(items, ["c-sam"]);
    for path in [
        "/conversations/c-nina",
        "/conversations/c-nina/messages",
        "/contacts/k-nina",
        "/inboxes/all/conversations",
        "/inboxes/team-support/conversations",
    ] {
        let (status, body) = s.get(&sam, path).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert_eq!(body["error"]["code"], "not_found");
    }
    let (status, _) = s.post(&sam, "/conversations/c-nina/messages", json!({"client_id": "x", "text": "hi"})).await;
    assert_eq!(status, 404);
    let (status, _) = s.put(&sam, "/contacts/k-nina/assignee", json!({"assignee": "sam"})).await;
    assert_eq!(status, 404);
    assert_eq!(s.get(&sam, "/conversations/c-sam").await.0, 200);
}

#[tokio::test]
async fn a_team_agent_sees_own_and_teammates_only() {
    let s = start().await;
    let tess = s.sign_in("tess").await;
    let (_, body) = s.get(&tess, "/inboxes/team-sales/conversations?status=all").await;
    let mut items: Vec<&str> = body["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    items.sort();
    assert_eq!(items, ["c-aaron", "c-closed", "c-lea"]);
    assert_eq!(s.get(&tess, "/conversations/c-none").await.0, 404);
    assert_eq!(s.get(&tess, "/conversations/c-nina").await.0, 404);
    assert_eq!(s.get(&tess, "/conversations/c-lea").await.0, 200);
}

#[tokio::test]
async fn reading_a_conversation_clears_its_unread_count_for_the_team() {
    let s = start().await;
    let (aaron, lea) = (s.sign_in("aaron").await, s.sign_in("lea").await);
    s.inbound("k-lea", "still there?").await;
    let (_, before) = s.get(&lea, "/conversations/c-lea").await;
    assert!(before["conversation"]["unread"].as_u64().unwrap() > 0, "{before}");
    let (status, read) = s.post(&lea, "/conversations/c-lea/read", json!({})).await;
    assert_eq!(status, 200, "{read}");
    assert_eq!(read["unread"], 0);
    // "Read" is shared by the team: a colleague sees it read too.
    let (_, seen) = s.get(&aaron, "/conversations/c-lea").await;
    assert_eq!(seen["conversation"]["unread"], 0);
    let (status, body) = s.post(&lea, "/conversations/c-nope/read", json!({})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));
}

#[tokio::test]
async fn sending_is_idempotent_and_assigns_an_unassigned_contact() {
    let s = start().await;
    let lea = s.sign_in("lea").await;
    let body = json!({"client_id": "abc-1", "text": "On it!"});
    let (first, m1) = s.post(&lea, "/conversations/c-none/messages", body.clone()).await;
    let (second, m2) = s.post(&lea, "/conversations/c-none/messages", body).await;
    assert_eq!((first, second), (201, 200));
    assert_eq!(m1, m2);
    assert_eq!(m1["sender"]["id"], "lea");
    let (_, detail) = s.get(&lea, "/conversations/c-none").await;
    let texts: Vec<&str> =
        detail["messages"]["items"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["hello from k-none", "On it!"]);
    // Replying to an unassigned contact assigned it to the sender.
    assert_eq!(detail["contact"]["assignee"], "lea");
    assert_eq!(detail["conversation"]["assignee"], "lea");
}

#[tokio::test]
async fn bad_input_is_answered_and_changes_nothing() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let count = |detail: &serde_json::Value| detail["messages"]["items"].as_array().unwrap().len();
    let before = count(&s.get(&aaron, "/conversations/c-aaron").await.1);
    let url = format!("{}/conversations/c-aaron/messages", s.base);
    let raw =
        |body: String| s.http.post(&url).bearer_auth(&aaron).header("content-type", "application/json").body(body);
    let cases = [
        (raw("{\"client_id\": \"x\", \"text\": ".into()), 400, "bad_request"),
        (raw("{\"client_id\": \"x\"}".into()), 400, "bad_request"),
        (raw("{\"client_id\": \"x\", \"text\": \"   \"}".into()), 400, "bad_request"),
        (raw(format!("{{\"client_id\": \"x\", \"text\": \"{}\"}}", "a".repeat(70_000))), 413, "payload_too_large"),
        (s.http.post(&url).header("content-type", "application/json").body("{}"), 401, "unauthorized"),
        (s.http.post(&url).bearer_auth("forged").json(&json!({"client_id": "x", "text": "hi"})), 401, "unauthorized"),
        (
            s.http
                .post(format!("{}/conversations/nope/messages", s.base))
                .bearer_auth(&aaron)
                .json(&json!({"client_id": "x", "text": "hi"})),
            404,
            "not_found",
        ),
        (
            s.http
                .post(format!("{}/conversations/c-closed/messages", s.base))
                .bearer_auth(&aaron)
                .json(&json!({"client_id": "x", "text": "hi"})),
            409,
            "conflict",
        ),
        (s.http.get(format!("{}/inboxes/mine/conversations?limit=0", s.base)).bearer_auth(&aaron), 400, "bad_request"),
        (
            s.http.get(format!("{}/inboxes/mine/conversations?cursor=zzz", s.base)).bearer_auth(&aaron),
            400,
            "bad_request",
        ),
        (s.http.get(format!("{}/inboxes/bogus/conversations", s.base)).bearer_auth(&aaron), 404, "not_found"),
        (
            s.http
                .put(format!("{}/contacts/k-aaron/assignee", s.base))
                .bearer_auth(&aaron)
                .json(&json!({"assignee": "ghost"})),
            400,
            "bad_request",
        ),
        (
            s.http.post(format!("{}/session", s.base)).json(&json!({"email": "aaron@test", "password": "nope"})),
            401,
            "unauthorized",
        ),
        (
            s.http
                .post(format!("{}/simulator/inbound", s.base))
                .json(&json!({"contact": "ghost", "channel": "wa", "text": "x"})),
            404,
            "not_found",
        ),
    ];
    for (i, (req, status, code)) in cases.into_iter().enumerate() {
        let res = req.send().await.unwrap();
        assert_eq!(res.status().as_u16(), status, "case {i}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], code, "case {i}: {body}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(count(&s.get(&aaron, "/conversations/c-aaron").await.1), before);
    assert_eq!(s.get(&aaron, "/contacts/k-aaron").await.1["assignee"], "aaron");
}

#[tokio::test]
async fn an_inbound_after_close_opens_a_new_conversation_that_keeps_the_assignee() {
    let s = start().await;
    let created = s.inbound("k-closed", "back again").await;
    assert_ne!(created["conversation"], "c-closed");
    let aaron = s.sign_in("aaron").await;
    let (_, detail) = s.get(&aaron, &format!("/conversations/{}", created["conversation"].as_str().unwrap())).await;
    assert_eq!(detail["conversation"]["assignee"], "aaron");
    assert_eq!(detail["conversation"]["status"], "new");
}

#[tokio::test]
async fn conversation_pages_follow_each_other_without_gaps_or_repeats() {
    let s = start().await;
    for i in 0..7 {
        s.inbound(&["k-aaron", "k-lea", "k-nina", "k-none", "k-max", "k-sam"][i % 6], "x").await;
    }
    let max = s.sign_in("max").await;
    let (_, all) = s.get(&max, "/inboxes/all/conversations?status=all&limit=200").await;
    let everything: Vec<String> =
        all["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let (status, page) = s.get(&max, &format!("/inboxes/all/conversations?status=all&limit=2{q}")).await;
        assert_eq!(status, 200);
        paged.extend(page["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()));
        match page["next"].as_str() {
            Some(n) => cursor = Some(n.to_owned()),
            None => break,
        }
    }
    assert_eq!(paged, everything);
    assert_eq!(everything.len(), 7);
    let times: Vec<i64> =
        all["items"].as_array().unwrap().iter().map(|c| c["last_activity_at"].as_i64().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {times:?}");
}

#[tokio::test]
async fn sessions_are_kept_as_digests_and_end_after_thirty_days_unused() {
    let s = start().await;
    let token = s.sign_in("aaron").await;
    assert_eq!(s.get(&token, "/me").await.0, 200);
    // The database holds no usable token.
    let stored = sql_strings(s.dir.path(), "SELECT token_hash FROM sessions");
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);
    assert_eq!(stored[0].len(), 64, "a SHA-256 digest in hex");

    // Each use extends the session: 29 days, then 29 more, are fine.
    let day = 24 * 3_600_000;
    s.set_clock(29 * day).await;
    assert_eq!(s.get(&token, "/me").await.0, 200);
    s.set_clock(58 * day).await;
    assert_eq!(s.get(&token, "/me").await.0, 200);
    // Unused for 31 days, it has ended.
    s.set_clock(89 * day).await;
    let (status, body) = s.get(&token, "/me").await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"]["message"], "the session has ended; sign in again");
    assert_eq!(s.get(&token, "/me").await.0, 401);
    // Signing in again works, and signing out ends that session at once.
    let again = s.sign_in("aaron").await;
    assert_eq!(s.get(&again, "/me").await.0, 200);
    assert_eq!(s.delete(&again, "/session").await.0, 204);
    assert_eq!(s.get(&again, "/me").await.0, 401);
}
