//! Working a conversation on the real server: lifecycle with its audit trail, the snooze
//! scheduler (across a restart), internal notes and their permissions, the SLA facts, and
//! presence relayed only to those who may see the conversation.

mod common;

use common::start;
use parley_domain::wire::{ClientFrame, PresenceActivity, ServerFrame};
use serde_json::{Value, json};

const MIN: i64 = 60_000;

fn kinds(detail: &Value) -> Vec<String> {
    detail["activities"].as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn close_with_note_and_reason_then_reopen() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let close = json!({"action": "close", "note": "refund sent", "reason": "Resolved"});
    let (status, summary) = s.post(&aaron, "/conversations/c-aaron/lifecycle", close.clone()).await;
    assert_eq!((status, summary["status"].as_str()), (200, Some("closed")), "{summary}");
    let (_, detail) = s.get(&aaron, "/conversations/c-aaron").await;
    let last = detail["activities"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "closed");
    assert_eq!(last["note"], "refund sent");
    assert_eq!(last["reason"], "Resolved");
    assert_eq!(last["actor"]["id"], "aaron");
    // Closed: no reply, no second close.
    let (status, _) = s.post(&aaron, "/conversations/c-aaron/messages", json!({"client_id": "1", "text": "hi"})).await;
    assert_eq!(status, 409);
    assert_eq!(s.post(&aaron, "/conversations/c-aaron/lifecycle", close).await.0, 409);
    let (status, summary) = s.post(&aaron, "/conversations/c-aaron/lifecycle", json!({"action": "reopen"})).await;
    assert_eq!((status, summary["status"].as_str()), (200, Some("new")));
    let (_, detail) = s.get(&aaron, "/conversations/c-aaron").await;
    assert_eq!(kinds(&detail), ["closed", "reopened"]);
}

#[tokio::test]
async fn after_a_close_the_contacts_next_message_opens_a_new_conversation_that_keeps_the_assignee() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let close = json!({"action": "close", "note": null, "reason": null});
    assert_eq!(s.post(&aaron, "/conversations/c-aaron/lifecycle", close).await.0, 200);
    let created = s.inbound("k-aaron", "me again").await;
    let id = created["conversation"].as_str().unwrap();
    assert_ne!(id, "c-aaron");
    let (_, detail) = s.get(&aaron, &format!("/conversations/{id}")).await;
    assert_eq!(
        (detail["conversation"]["status"].as_str(), detail["conversation"]["assignee"].as_str()),
        (Some("new"), Some("aaron"))
    );
    // The closed one stays closed.
    assert_eq!(s.get(&aaron, "/conversations/c-aaron").await.1["conversation"]["status"], "closed");
}

#[tokio::test]
async fn reopening_is_refused_while_the_contact_has_another_open_conversation() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let created = s.inbound("k-closed", "I'm back").await;
    let (status, body) = s.post(&aaron, "/conversations/c-closed/lifecycle", json!({"action": "reopen"})).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains(created["conversation"].as_str().unwrap()));
    // The new conversation's trail starts with "opened".
    let (_, detail) = s.get(&aaron, &format!("/conversations/{}", created["conversation"].as_str().unwrap())).await;
    assert_eq!(kinds(&detail), ["opened"]);
}

#[tokio::test]
async fn pending_returns_to_new_when_the_contact_writes() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let (status, summary) = s.post(&aaron, "/conversations/c-aaron/lifecycle", json!({"action": "pending"})).await;
    assert_eq!((status, summary["status"].as_str()), (200, Some("pending")));
    assert_eq!(s.post(&aaron, "/conversations/c-aaron/lifecycle", json!({"action": "pending"})).await.0, 409);
    s.inbound("k-aaron", "any news?").await;
    let (_, detail) = s.get(&aaron, "/conversations/c-aaron").await;
    assert_eq!(detail["conversation"]["status"], "new");
}

#[tokio::test]
async fn bad_transitions_are_refused_and_change_nothing() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let now = s.set_clock(0).await;
    let cases = [
        (json!({"action": "snooze", "until": now - MIN}), 409),
        (json!({"action": "explode"}), 400),
        (json!({"action": "close", "note": "x".repeat(2_001)}), 409),
        (json!({"action": "reopen"}), 409),
    ];
    for (body, status) in cases {
        let (got, answer) = s.post(&aaron, "/conversations/c-aaron/lifecycle", body.clone()).await;
        assert_eq!(got, status, "{body}: {answer}");
    }
    let (_, detail) = s.get(&aaron, "/conversations/c-aaron").await;
    assert_eq!(detail["conversation"]["status"], "new");
    assert!(kinds(&detail).is_empty());
}

#[tokio::test]
async fn a_snoozed_conversation_wakes_on_time_with_its_reminder_even_after_a_restart() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let now = s.set_clock(0).await;
    let snooze = json!({"action": "snooze", "until": now + 30 * MIN, "note": "call back about the refund"});
    let (status, summary) = s.post(&aaron, "/conversations/c-aaron/lifecycle", snooze).await;
    assert_eq!((status, summary["status"].as_str()), (200, Some("snoozed")));
    assert_eq!(summary["snoozed_until"], now + 30 * MIN);
    // Not yet: 29 minutes later it still sleeps.
    s.set_clock(29 * MIN).await;
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(s.get(&aaron, "/conversations/c-aaron").await.1["conversation"]["status"], "snoozed");
    // The server stops; it starts again after the snooze time has passed.
    let s = s.restart(31 * MIN).await;
    let aaron = s.sign_in("aaron").await;
    let mut woke = Value::Null;
    for _ in 0..30 {
        woke = s.get(&aaron, "/conversations/c-aaron").await.1;
        if woke["conversation"]["status"] == "new" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(woke["conversation"]["status"], "new", "{woke}");
    assert_eq!(woke["conversation"]["snoozed_until"], Value::Null);
    let last = woke["activities"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "woken");
    assert_eq!(last["note"], "call back about the refund");
    assert_eq!(kinds(&woke), ["snoozed", "woken"]);
}

#[tokio::test]
async fn notes_are_for_the_team_and_only_their_author_changes_them() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let max = s.sign_in("max").await;
    let sam = s.sign_in("sam").await;
    let (status, note) = s.post(&aaron, "/conversations/c-lea/notes", json!({"text": "VIP, be gentle"})).await;
    assert_eq!(status, 201, "{note}");
    let id = note["id"].as_str().unwrap().to_owned();
    assert_eq!(note["author"], "aaron");
    // Others on the team see it; a self agent cannot reach it.
    let (_, detail) = s.get(&max, "/conversations/c-lea").await;
    assert_eq!(detail["notes"][0]["text"], "VIP, be gentle");
    assert_eq!(s.post(&sam, "/conversations/c-lea/notes", json!({"text": "x"})).await.0, 404);
    assert_eq!(s.patch(&sam, &format!("/notes/{id}"), json!({"text": "x"})).await.0, 404);
    // Only the author edits or deletes.
    assert_eq!(s.patch(&max, &format!("/notes/{id}"), json!({"text": "hijack"})).await.0, 403);
    assert_eq!(s.delete(&max, &format!("/notes/{id}")).await.0, 403);
    assert_eq!(s.post(&aaron, "/conversations/c-lea/notes", json!({"text": "  "})).await.0, 400);
    let (status, edited) = s.patch(&aaron, &format!("/notes/{id}"), json!({"text": "VIP"})).await;
    assert_eq!(status, 200);
    assert_eq!(edited["text"], "VIP");
    assert!(edited["edited_at"].is_i64());
    assert_eq!(s.delete(&aaron, &format!("/notes/{id}")).await.0, 204);
    assert_eq!(s.get(&max, "/conversations/c-lea").await.1["notes"], json!([]));
    // A note never goes to the customer: no message was added.
    let (_, detail) = s.get(&max, "/conversations/c-lea").await;
    assert_eq!(detail["messages"]["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn assignment_changes_are_in_the_trail_with_actor() {
    let s = start().await;
    let max = s.sign_in("max").await;
    s.put(&max, "/contacts/k-none/assignee", json!({"assignee": "lea"})).await;
    s.put(&max, "/contacts/k-none/assignee", json!({"assignee": null})).await;
    let (_, detail) = s.get(&max, "/conversations/c-none").await;
    let trail = detail["activities"].as_array().unwrap();
    assert_eq!(kinds(&detail), ["assigned", "unassigned"]);
    assert_eq!(trail[0]["assignee"], "lea");
    assert_eq!(trail[0]["assignee_name"], "LEA");
    assert_eq!(trail[0]["actor"]["name"], "MAX");
}

#[tokio::test]
async fn the_sla_clock_starts_with_the_contact_and_stops_with_the_reply() {
    let s = start().await;
    let lea = s.sign_in("lea").await;
    let (_, detail) = s.get(&lea, "/conversations/c-lea").await;
    let sla = &detail["conversation"]["sla"];
    assert!(sla["awaiting_since"].is_i64(), "the fixture's unanswered message: {sla}");
    assert_eq!(sla["replied_before"], false);
    s.post(&lea, "/conversations/c-lea/messages", json!({"client_id": "r1", "text": "Hello!"})).await;
    let (_, detail) = s.get(&lea, "/conversations/c-lea").await;
    let sla = &detail["conversation"]["sla"];
    assert_eq!((&sla["awaiting_since"], &sla["replied_before"]), (&Value::Null, &json!(true)), "{sla}");
    let now = s.set_clock(0).await;
    s.inbound("k-lea", "thanks, one more thing").await;
    let since = s.get(&lea, "/conversations/c-lea").await.1["conversation"]["sla"]["awaiting_since"].as_i64().unwrap();
    assert!(since >= now);
    let (_, me) = s.get(&lea, "/me").await;
    assert_eq!(me["workspace"]["sla"], json!({"first_response_minutes": 15, "next_response_minutes": 60}));
}

#[tokio::test]
async fn presence_reaches_only_others_who_may_see_the_conversation() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let mut a = s.socket(&aaron, None).await;
    let max = s.sign_in("max").await;
    let mut m = s.socket(&max, None).await;
    let sam = s.sign_in("sam").await;
    let mut sm = s.socket(&sam, None).await;
    for ws in [&mut a, &mut m, &mut sm] {
        ws.drain().await;
    }
    a.send(&ClientFrame::Presence { conversation: "c-lea".into(), activity: PresenceActivity::Typing }).await;
    let frame = loop {
        match m.frame().await {
            Some(ServerFrame::Presence { conversation, user, name, activity }) => {
                break (conversation, user, name, activity);
            }
            Some(_) => continue,
            None => panic!("max got no presence"),
        }
    };
    assert_eq!(frame, ("c-lea".into(), "aaron".into(), "AARON".into(), PresenceActivity::Typing));
    // Sam may not see Léa's conversation; Aaron does not hear himself.
    for ws in [&mut sm, &mut a] {
        while let Some(f) = ws.frame().await {
            assert!(!matches!(f, ServerFrame::Presence { .. }), "{f:?}");
        }
    }
    // Presence on a conversation the sender may not see is dropped.
    sm.send(&ClientFrame::Presence { conversation: "c-lea".into(), activity: PresenceActivity::Viewing }).await;
    while let Some(f) = m.frame().await {
        assert!(!matches!(f, ServerFrame::Presence { .. }), "{f:?}");
    }
}
