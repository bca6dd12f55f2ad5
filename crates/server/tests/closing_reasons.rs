//! The workspace's closing reasons on the real server (issue 14, item 6): owners,
//! managers and holders of the permission keep the list, validated; closing (one
//! conversation or in bulk) takes a reason from it, recorded as the list spells it.

mod common;

use common::{start, start_with};
use serde_json::{Value, json};

fn names(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn the_list_starts_with_the_four_reasons_the_app_offered_and_keeps_changes() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let aaron = s.sign_in("aaron").await;
    // Everyone reads it.
    let (status, list) = s.get(&aaron, "/closing-reasons").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(names(&list), ["Resolved", "Spam", "Duplicate", "No response"]);

    let (status, refund) = s.post(&max, "/closing-reasons", json!({"name": "  Refund issued "})).await;
    assert_eq!((status, refund["name"].as_str()), (201, Some("Refund issued")), "{refund}");
    let refund_id = refund["id"].as_str().unwrap().to_owned();
    let (status, renamed) = s.put(&max, &format!("/closing-reasons/{refund_id}"), json!({"name": "Refunded"})).await;
    assert_eq!((status, renamed["name"].as_str()), (200, Some("Refunded")), "{renamed}");
    // Renaming a reason to its own name in another case is allowed.
    let (status, _) = s.put(&max, "/closing-reasons/spam", json!({"name": "SPAM"})).await;
    assert_eq!(status, 200);
    assert_eq!(s.delete(&max, "/closing-reasons/duplicate").await.0, 204);
    assert_eq!(s.delete(&max, "/closing-reasons/duplicate").await.0, 404);
    let (_, list) = s.get(&aaron, "/closing-reasons").await;
    assert_eq!(names(&list), ["Resolved", "SPAM", "No response", "Refunded"]);

    // Reorder: every reason exactly once.
    let ids = |order: &[&str]| json!({"ids": order});
    let (status, list) =
        s.put(&max, "/closing-reasons/order", ids(&[refund_id.as_str(), "resolved", "no_response", "spam"])).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(names(&list), ["Refunded", "Resolved", "No response", "SPAM"]);
    for bad in [
        ids(&["resolved", "spam"]),
        ids(&[refund_id.as_str(), "resolved", "no_response", "spam", "spam"]),
        ids(&[refund_id.as_str(), "resolved", "no_response", "nope"]),
    ] {
        let (status, answer) = s.put(&max, "/closing-reasons/order", bad.clone()).await;
        assert_eq!(status, 400, "{bad} → {answer}");
    }
    assert_eq!(names(&s.get(&aaron, "/closing-reasons").await.1), ["Refunded", "Resolved", "No response", "SPAM"]);
    // The list survives a restart.
    let s = s.restart(0).await;
    let aaron = s.sign_in("aaron").await;
    assert_eq!(names(&s.get(&aaron, "/closing-reasons").await.1), ["Refunded", "Resolved", "No response", "SPAM"]);
}

#[tokio::test]
async fn names_are_validated_with_clear_errors_and_a_refusal_changes_nothing() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let before = s.get(&max, "/closing-reasons").await.1;
    let cases = [
        (json!({"name": "   "}), "must not be empty"),
        (json!({"name": "x".repeat(81)}), "at most 80 characters"),
        (json!({"name": " resolved "}), "\"Resolved\" already exists"),
        (json!({"name": "NO RESPONSE"}), "\"No response\" already exists"),
    ];
    for (body, words) in &cases {
        let (status, answer) = s.post(&max, "/closing-reasons", body.clone()).await;
        assert_eq!(status, 400, "{body} → {answer}");
        assert!(answer["error"]["message"].as_str().unwrap().contains(words), "{answer}");
    }
    // Renaming into another reason's name is refused too; 80 characters are fine.
    let (status, answer) = s.put(&max, "/closing-reasons/spam", json!({"name": "resolved"})).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(s.put(&max, "/closing-reasons/nope", json!({"name": "Fine"})).await.0, 404);
    assert_eq!(s.post(&max, "/closing-reasons", json!({})).await.0, 400);
    assert_eq!(s.post(&max, "/closing-reasons", json!({"name": "Fine", "colour": "red"})).await.0, 400);
    assert_eq!(s.get(&max, "/closing-reasons").await.1, before);
    let (status, _) = s.post(&max, "/closing-reasons", json!({"name": "é".repeat(80)})).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn only_owners_managers_and_holders_of_the_permission_keep_the_list() {
    let s = start_with(|f| {
        let users = f["users"].as_array_mut().unwrap();
        let nina = users.iter_mut().find(|u| u["id"] == "nina").unwrap();
        nina["permissions"] = json!(["closing_reasons"]);
    })
    .await;
    let aaron = s.sign_in("aaron").await;
    let before = s.get(&aaron, "/closing-reasons").await.1;
    let forbidden = [
        s.post(&aaron, "/closing-reasons", json!({"name": "Mine"})).await,
        s.put(&aaron, "/closing-reasons/spam", json!({"name": "Junk"})).await,
        s.delete(&aaron, "/closing-reasons/spam").await,
        s.put(&aaron, "/closing-reasons/order", json!({"ids": ["spam", "resolved", "duplicate", "no_response"]})).await,
    ];
    for (status, answer) in forbidden {
        assert_eq!(status, 403, "{answer}");
        assert_eq!(answer["error"]["code"], "forbidden", "{answer}");
    }
    assert_eq!(s.get(&aaron, "/closing-reasons").await.1, before);
    // An agent with the permission may; so may a manager.
    let nina = s.sign_in("nina").await;
    assert_eq!(s.post(&nina, "/closing-reasons", json!({"name": "Wrong number"})).await.0, 201);
    let max = s.sign_in("max").await;
    assert_eq!(s.delete(&max, "/closing-reasons/spam").await.0, 204);
    // Without a token: 401.
    assert_eq!(s.get("", "/closing-reasons").await.0, 401);
}

#[tokio::test]
async fn closing_takes_a_reason_from_the_list_as_the_list_spells_it() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let aaron = s.sign_in("aaron").await;
    // A reason not in the list is refused and the conversation stays open.
    let close = |reason: &str| json!({"action": "close", "reason": reason});
    let (status, answer) = s.post(&aaron, "/conversations/c-aaron/lifecycle", close("Lost interest")).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["error"]["message"].as_str().unwrap().contains("not in the workspace's list"), "{answer}");
    assert_eq!(s.get(&aaron, "/conversations/c-aaron").await.1["conversation"]["status"], "new");
    // Once a manager adds it, it closes, recorded in the list's spelling.
    assert_eq!(s.post(&max, "/closing-reasons", json!({"name": "Lost interest"})).await.0, 201);
    let (status, answer) = s.post(&aaron, "/conversations/c-aaron/lifecycle", close("lost INTEREST ")).await;
    assert_eq!(status, 200, "{answer}");
    let (_, detail) = s.get(&aaron, "/conversations/c-aaron").await;
    let last = detail["activities"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["kind"].as_str(), last["reason"].as_str()), (Some("closed"), Some("Lost interest")));
    // Deleting the reason keeps it in the trail of what it closed.
    let (_, list) = s.get(&max, "/closing-reasons").await;
    let id = list.as_array().unwrap().iter().find(|r| r["name"] == "Lost interest").unwrap()["id"].clone();
    assert_eq!(s.delete(&max, &format!("/closing-reasons/{}", id.as_str().unwrap())).await.0, 204);
    let (_, detail) = s.get(&aaron, "/conversations/c-aaron").await;
    assert_eq!(detail["activities"].as_array().unwrap().last().unwrap()["reason"], "Lost interest");
    // No reason at all is still fine.
    let (status, answer) = s.post(&aaron, "/conversations/c-lea/lifecycle", json!({"action": "close"})).await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn bulk_resolve_refuses_a_reason_not_in_the_list_and_closes_nothing() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let before = s.get(&max, "/inboxes/all/conversations").await.1["items"].as_array().unwrap().len();
    s.set_clock(3 * 24 * 3_600_000).await;
    let (status, answer) =
        s.post(&max, "/inboxes/all/bulk-resolve", json!({"older_than_days": 2, "reason": "stale"})).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(s.get(&max, "/inboxes/all/conversations").await.1["items"].as_array().unwrap().len(), before);
    let (status, answer) =
        s.post(&max, "/inboxes/all/bulk-resolve", json!({"older_than_days": 2, "reason": "spam"})).await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer["closed"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn a_fixture_may_give_its_own_list_and_a_bad_one_is_refused() {
    let s = start_with(|f| f["closing_reasons"] = json!(["Sorted", " Wrong number "])).await;
    let max = s.sign_in("max").await;
    assert_eq!(names(&s.get(&max, "/closing-reasons").await.1), ["Sorted", "Wrong number"]);
    let (status, created) = s.post(&max, "/closing-reasons", json!({"name": "Third"})).await;
    assert_eq!(status, 201);
    assert_ne!(created["id"], "cr-1");
    assert_ne!(created["id"], "cr-2");
    let mut fixture = common::fixture();
    fixture["closing_reasons"] = json!(["Sorted", "sorted"]);
    let f: parley_server::storage::fixture::Fixture = serde_json::from_value(fixture).unwrap();
    let error = parley_server::storage::fixture::validate(&f).unwrap_err();
    assert!(error.contains("closing_reasons") && error.contains("already exists"), "{error}");
}
