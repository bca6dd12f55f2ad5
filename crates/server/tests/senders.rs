//! Unknown senders on the real server (issue 14, item 3): the simulator's `from` makes a
//! new unassigned contact and its conversation once, live in Unassigned, offered as a
//! merge suggestion for contacts with the same phone; bad input is a 400; visibility holds.

mod common;

use common::{TestServer, start_with};
use parley_domain::wire::{EventKind, ServerFrame};
use serde_json::{Value, json};

/// The test fixture plus an SMS channel no contact is connected to (every fixture contact
/// has the phone +33 6 00 00 00 00 on WhatsApp and mail).
async fn start() -> TestServer {
    start_with(|f| {
        f["channels"].as_array_mut().unwrap().push(json!({"id": "sms", "kind": "sms", "name": "SMS +33 1"}));
    })
    .await
}

async fn from(s: &TestServer, channel: &str, address: &str, name: Option<&str>, text: &str) -> (u16, Value) {
    s.post(
        "",
        "/simulator/inbound",
        json!({"from": {"channel": channel, "address": address, "name": name}, "text": text}),
    )
    .await
}

/// The summary of the conversation a simulated message went to.
async fn summary_of(s: &TestServer, token: &str, created: &Value) -> Value {
    let (status, detail) = s.get(token, &format!("/conversations/{}", created["conversation"].as_str().unwrap())).await;
    assert_eq!(status, 200, "{detail}");
    detail["conversation"].clone()
}

#[tokio::test]
async fn an_unknown_sender_becomes_an_unassigned_contact_once_and_is_offered_for_a_merge() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let mut socket = s.socket(&max, None).await;
    let unassigned = |c: &[(String, u64, u64)]| c.iter().find(|x| x.0 == "unassigned").unwrap().1;
    let before = unassigned(&s.counts(&max).await);

    let (status, first) = from(&s, "sms", "+33 6 00 00 00 00", Some("Ana Newcomer"), "hello?").await;
    assert_eq!(status, 201, "{first}");
    let summary = summary_of(&s, &max, &first).await;
    let id = summary["contact"]["id"].as_str().unwrap().to_owned();
    assert!(!["k-aaron", "k-none"].contains(&id.as_str()), "{summary}");
    assert_eq!((&summary["contact"]["name"], &summary["assignee"]), (&json!("Ana Newcomer"), &Value::Null));
    let (_, full) = s.get(&max, &format!("/contacts/{id}")).await;
    assert_eq!((full["phone"].as_str(), full["channels"].clone()), (Some("+33600000000"), json!(["sms"])));
    assert_eq!(unassigned(&s.counts(&max).await), before + 1);
    // Found on the contacts page from the start, by name and by phone.
    for q in ["newcomer", "0600000000"] {
        let (status, page) = s.get(&max, &format!("/contacts?q={q}&limit=200")).await;
        assert_eq!(status, 200, "{page}");
        let found: Vec<&str> = page["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert!(found.contains(&id.as_str()), "{q}: {found:?}");
    }

    // A second message, written differently, goes to the same contact and conversation.
    let (status, second) = from(&s, "sms", "+33600000000", None, "anyone there?").await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["conversation"], first["conversation"]);
    assert_eq!(unassigned(&s.counts(&max).await), before + 1);
    let (_, detail) = s.get(&max, &format!("/conversations/{}", first["conversation"].as_str().unwrap())).await;
    let texts: Vec<&str> =
        detail["messages"]["items"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["hello?", "anyone there?"]);

    // It arrived live, as a new conversation of an unassigned contact.
    let mut seen = None;
    while let Some(frame) = socket.frame().await {
        if let ServerFrame::Batch { events, .. } = frame {
            for e in events {
                if let EventKind::MessageCreated { conversation, .. } = e.kind
                    && conversation.contact.id.as_str() == id
                {
                    seen = Some(conversation.assignee.clone());
                }
            }
        }
    }
    assert_eq!(seen, Some(None), "a message_created event for the newcomer");

    // The existing contacts with the same phone are offered as merge suggestions.
    let (status, found) = s.get(&max, &format!("/contacts/{id}/duplicates")).await;
    assert_eq!(status, 200, "{found}");
    let ids: Vec<&str> = found.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"k-aaron") && ids.contains(&"k-none") && !ids.contains(&id.as_str()), "{ids:?}");
}

#[tokio::test]
async fn a_known_address_on_its_channel_goes_to_its_contact() {
    let s = start().await;
    let max = s.sign_in("max").await;
    // k-none is on "mail" but has no email yet: a message from this address is a newcomer's.
    let (_, newcomer) = from(&s, "mail", "Someone@Example.com", None, "hi").await;
    assert_eq!(summary_of(&s, &max, &newcomer).await["contact"]["name"], "someone@example.com");
    // Once k-none has it, its own address (any case) reaches k-none.
    let (status, _) = s.patch(&max, "/contacts/k-none", json!({"email": "Known@Example.com"})).await;
    assert_eq!(status, 200);
    let (status, known) = from(&s, "mail", "known@example.COM", None, "it's me").await;
    assert_eq!(status, 201, "{known}");
    assert_eq!(known["conversation"], "c-none");
    // Handles are kept as the attribute named after the channel kind.
    let s2 = start_with(|f| {
        f["channels"].as_array_mut().unwrap().push(json!({"id": "ig", "kind": "instagram", "name": "@shop"}));
    })
    .await;
    let max2 = s2.sign_in("max").await;
    let (_, a) = from(&s2, "ig", "@ana.k", None, "hi").await;
    let (_, b) = from(&s2, "ig", " @ana.k ", None, "again").await;
    assert_eq!(a["conversation"], b["conversation"]);
    let id = summary_of(&s2, &max2, &a).await["contact"]["id"].as_str().unwrap().to_owned();
    let (_, full) = s2.get(&max2, &format!("/contacts/{id}")).await;
    assert_eq!((full["name"].as_str(), full["attributes"]["instagram"].as_str()), (Some("@ana.k"), Some("@ana.k")));
}

#[tokio::test]
async fn concurrent_messages_from_one_unknown_address_create_one_contact() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let sends = (0..12).map(|_| from(&s, "sms", "+44 7700 900123", None, "hello")).collect::<Vec<_>>();
    let answers = futures_util::future::join_all(sends).await;
    let mut conversations: Vec<&str> = answers
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, 201, "{body}");
            body["conversation"].as_str().unwrap()
        })
        .collect();
    conversations.dedup();
    assert_eq!(conversations.len(), 1, "{conversations:?}");
    let (_, page) = s.get(&max, "/inboxes/unassigned/conversations?limit=100").await;
    let newcomers: Vec<&Value> =
        page["items"].as_array().unwrap().iter().filter(|c| c["contact"]["name"] == "+447700900123").collect();
    assert_eq!(newcomers.len(), 1, "{page}");
    let (_, detail) = s.get(&max, &format!("/conversations/{}", conversations[0])).await;
    assert_eq!(detail["messages"]["items"].as_array().unwrap().len(), 12, "{detail}");
}

#[tokio::test]
async fn a_bad_sender_is_refused_with_a_json_error_and_changes_nothing() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let before = s.counts(&max).await;
    let bad = [
        (json!({"from": {"channel": "sms", "address": "0612345678"}, "text": "x"}), 400, "from.address"),
        (json!({"from": {"channel": "mail", "address": "not an email"}, "text": "x"}), 400, "from.address"),
        (
            json!({"from": {"channel": "sms", "address": "+33611111111", "name": "x".repeat(201)}, "text": "x"}),
            400,
            "from.name",
        ),
        (json!({"from": {"channel": "sms", "address": "+33611111111"}, "text": "  "}), 400, "message text"),
        (json!({"from": {"channel": "nope", "address": "+33611111111"}, "text": "x"}), 404, "channel"),
        (json!({"from": {"channel": "sms"}, "text": "x"}), 400, ""),
        (json!({"from": {"channel": "sms", "address": "+33611111111", "extra": 1}, "text": "x"}), 400, ""),
        (
            json!({"contact": "k-none", "channel": "wa", "from": {"channel": "sms", "address": "+33611111111"}, "text": "x"}),
            400,
            "",
        ),
        (json!({"text": "x"}), 400, ""),
    ];
    for (body, want, words) in bad {
        let (status, answer) = s.post("", "/simulator/inbound", body.clone()).await;
        assert_eq!(status, want, "{body} → {answer}");
        let message = answer["error"]["message"].as_str().expect("a JSON error body");
        assert!(message.contains(words), "{body} → {message}");
        assert!(answer["error"]["code"].is_string(), "{answer}");
    }
    assert_eq!(s.counts(&max).await, before);
    let (_, page) = s.get(&max, "/inboxes/all/conversations?limit=100").await;
    assert!(page["items"].as_array().unwrap().iter().all(|c| c["contact"]["name"] != "+33611111111"));
}

#[tokio::test]
async fn restricted_agents_do_not_see_the_unassigned_newcomer() {
    let s = start().await;
    let (tess, sam, lea) = (s.sign_in("tess").await, s.sign_in("sam").await, s.sign_in("lea").await);
    let mut tess_socket = s.socket(&tess, None).await;
    let before = (s.counts(&tess).await, s.counts(&sam).await);
    let (_, created) = from(&s, "sms", "+33 6 22 22 22 22", None, "secret").await;
    let path = format!("/conversations/{}", created["conversation"].as_str().unwrap());
    // Team- and self-restricted agents: not found, not counted, not told.
    for token in [&tess, &sam] {
        assert_eq!(s.get(token, &path).await.0, 404);
    }
    assert_eq!((s.counts(&tess).await, s.counts(&sam).await), before);
    while let Some(frame) = tess_socket.frame().await {
        if let ServerFrame::Batch { events, .. } = frame {
            assert!(
                events
                    .iter()
                    .all(|e| !matches!(&e.kind, EventKind::MessageCreated { message, .. } if message.text == "secret")),
                "tess was told"
            );
        }
    }
    // An unrestricted agent sees it in Unassigned.
    assert_eq!(s.get(&lea, &path).await.0, 200);
    let (_, page) = s.get(&lea, "/inboxes/unassigned/conversations?limit=100").await;
    assert!(page["items"].as_array().unwrap().iter().any(|c| c["id"] == created["conversation"]), "{page}");
}
