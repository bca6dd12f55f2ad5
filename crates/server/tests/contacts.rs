//! Contact details on the real server: validated edits that change nothing when refused,
//! merge suggestions within visibility, and blocking with its permission and effect on
//! the inbox counts.

mod common;

use common::{counts_of, start};
use serde_json::{Value, json};

#[tokio::test]
async fn edits_are_validated_per_field_and_a_refusal_changes_nothing() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let before = s.get(&aaron, "/contacts/k-aaron").await.1;
    let bad = [
        (json!({"phone": "0612345678"}), "phone"),
        (json!({"email": "alice@example"}), "email"),
        (json!({"country": "XX"}), "country"),
        (json!({"language": "xx"}), "language"),
        (json!({"name": "  "}), "name"),
        // One bad field among good ones: nothing is saved.
        (json!({"name": "New name", "phone": "+33 6 12 34 56 78", "email": "nope"}), "email"),
    ];
    for (patch, field) in bad {
        let url = format!("{}/contacts/k-aaron", s.base);
        let res = s.http.patch(&url).bearer_auth(&aaron).json(&patch).send().await.unwrap();
        assert_eq!(res.status(), 400, "{patch}");
        let body: Value = res.json().await.unwrap();
        assert!(body["error"]["message"].as_str().unwrap().starts_with(&format!("{field}:")), "{body}");
    }
    assert_eq!(s.get(&aaron, "/contacts/k-aaron").await.1, before);
    let patch = json!({"name": "Chloé Farouk", "phone": "+33 (6) 12-34-56-78", "email": " chloe@example.com ",
                       "country": "fr", "language": "FR"});
    let url = format!("{}/contacts/k-aaron", s.base);
    let res = s.http.patch(&url).bearer_auth(&aaron).json(&patch).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let saved: Value = res.json().await.unwrap();
    assert_eq!(
        (&saved["name"], &saved["phone"], &saved["email"], &saved["country"], &saved["language"]),
        (&json!("Chloé Farouk"), &json!("+33612345678"), &json!("chloe@example.com"), &json!("FR"), &json!("fr"))
    );
    // The conversation list shows the new name; an empty string clears a field.
    let (_, detail) = s.get(&aaron, "/conversations/c-aaron").await;
    assert_eq!(detail["conversation"]["contact"]["name"], "Chloé Farouk");
    let res = s.http.patch(&url).bearer_auth(&aaron).json(&json!({"email": ""})).send().await.unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["email"], Value::Null);
    // Outside visibility: not found.
    let sam = s.sign_in("sam").await;
    let res = s.http.patch(&url).bearer_auth(&sam).json(&json!({"name": "x"})).send().await.unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn contacts_sharing_a_phone_are_suggested_for_merging_within_visibility() {
    let s = start().await;
    let max = s.sign_in("max").await;
    // Every fixture contact has the same phone number.
    let (_, found) = s.get(&max, "/contacts/k-aaron/duplicates").await;
    let ids: Vec<&str> = found.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"k-lea") && ids.contains(&"k-none") && !ids.contains(&"k-aaron"), "{ids:?}");
    // A team agent is only shown contacts they may see.
    let tess = s.sign_in("tess").await;
    let (_, found) = s.get(&tess, "/contacts/k-aaron/duplicates").await;
    let mut ids: Vec<&str> = found.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, ["k-closed", "k-lea"]);
}

#[tokio::test]
async fn blocking_needs_the_permission_and_removes_the_conversation_from_the_counts() {
    let s = start_with_blocking().await;
    let aaron = s.sign_in("aaron").await;
    assert_eq!(s.put(&aaron, "/contacts/k-none/blocked", json!({"blocked": true})).await.0, 403);
    let max = s.sign_in("max").await;
    let open = |c: &[(String, u64, u64)], id: &str| c.iter().find(|x| x.0 == id).unwrap().1;
    let before = s.counts(&max).await;
    let (status, contact) = s.put(&max, "/contacts/k-none/blocked", json!({"blocked": true})).await;
    assert_eq!((status, contact["blocked"].as_bool()), (200, Some(true)));
    let after = s.counts(&max).await;
    assert_eq!(open(&after, "all"), open(&before, "all") - 1);
    assert_eq!(open(&after, "unassigned"), open(&before, "unassigned") - 1);
    // The blocked inbox appears (it was absent) and lists the conversation; an agent
    // without the permission neither sees it nor opens it.
    assert!(before.iter().all(|c| c.0 != "blocked"));
    assert_eq!(open(&after, "blocked"), 1);
    let (_, list) = s.get(&max, "/inboxes/blocked/conversations").await;
    assert_eq!(list["items"][0]["id"], "c-none");
    assert!(s.counts(&aaron).await.iter().all(|c| c.0 != "blocked"));
    assert_eq!(s.get(&aaron, "/inboxes/blocked/conversations").await.0, 404);
    s.put(&max, "/contacts/k-none/blocked", json!({"blocked": false})).await;
    assert_eq!(counts_of(&s.get(&max, "/inboxes").await.1["inboxes"]), before);
}

async fn start_with_blocking() -> common::TestServer {
    common::start_with(|f| {
        f["users"][0]["permissions"] = json!(["bulk_resolve", "view_blocked"]);
    })
    .await
}

#[tokio::test]
async fn merging_keeps_the_primary_closes_the_secondarys_open_conversation_and_moves_history() {
    let s = start().await;
    let max = s.sign_in("max").await;
    // k-fresh has no conversation yet: give it one, then merge k-fresh into k-none.
    let fresh = s.inbound("k-fresh", "it's me again, new number").await;
    let fresh_id = fresh["conversation"].as_str().unwrap().to_owned();
    let url = format!("{}/contacts/k-none", s.base);
    s.http.patch(&url).bearer_auth(&max).json(&json!({"email": ""})).send().await.unwrap();
    let (status, merged) = s.post(&max, "/contacts/k-none/merge", json!({"secondary": "k-fresh"})).await;
    assert_eq!(status, 200, "{merged}");
    assert_eq!(merged["id"], "k-none");
    // The secondary is gone; its conversation now belongs to the primary, closed, with the note.
    assert_eq!(s.get(&max, "/contacts/k-fresh").await.0, 404);
    let (_, detail) = s.get(&max, &format!("/conversations/{fresh_id}")).await;
    assert_eq!(detail["conversation"]["contact"]["id"], "k-none");
    assert_eq!(detail["conversation"]["status"], "closed");
    let last = detail["activities"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["kind"].as_str(), last["reason"].as_str()), (Some("closed"), Some("merged")));
    assert!(last["note"].as_str().unwrap().contains("k-none"));
    // The primary's own open conversation is untouched.
    assert_eq!(s.get(&max, "/conversations/c-none").await.1["conversation"]["status"], "new");
    // Refused: merging into itself, an unknown or an invisible contact.
    assert_eq!(s.post(&max, "/contacts/k-none/merge", json!({"secondary": "k-none"})).await.0, 400);
    assert_eq!(s.post(&max, "/contacts/k-none/merge", json!({"secondary": "k-fresh"})).await.0, 404);
    let sam = s.sign_in("sam").await;
    assert_eq!(s.post(&sam, "/contacts/k-sam/merge", json!({"secondary": "k-nina"})).await.0, 404);
}

#[tokio::test]
async fn the_crm_tab_lists_typed_fields_and_saves_only_valid_values() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let (status, list) = s.get(&aaron, "/contacts/k-aaron/integrations").await;
    assert_eq!(status, 200);
    let crm = &list[0];
    assert_eq!(crm["id"], "crm");
    let types: Vec<&str> =
        crm["fields"].as_array().unwrap().iter().map(|f| f["field_type"]["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["text", "number", "date", "select"]);
    // One bad value: nothing saved, and the message names the field.
    let bad = json!({"values": {"company": "ACME", "renewal_date": "31/12/2026"}});
    let (status, body) = s.put(&aaron, "/contacts/k-aaron/integrations/crm", bad).await;
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().starts_with("Renewal date:"), "{body}");
    let value = |v: &Value, key: &str| {
        v["fields"].as_array().unwrap().iter().find(|f| f["key"] == key).unwrap()["value"].clone()
    };
    assert_eq!(value(&s.get(&aaron, "/contacts/k-aaron/integrations").await.1[0], "company"), Value::Null);
    let good = json!({"values": {"company": "ACME", "deal_value": "1200.50", "renewal_date": "2026-12-31", "stage": "Customer"}});
    let (status, saved) = s.put(&aaron, "/contacts/k-aaron/integrations/crm", good).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(value(&saved, "stage"), "Customer");
    let (_, saved) = s.put(&aaron, "/contacts/k-aaron/integrations/crm", json!({"values": {"company": null}})).await;
    assert_eq!(value(&saved, "company"), Value::Null);
    assert_eq!(value(&saved, "deal_value"), "1200.50");
    assert_eq!(s.put(&aaron, "/contacts/k-aaron/integrations/hubspot", json!({"values": {}})).await.0, 404);
    assert_eq!(
        s.put(&aaron, "/contacts/k-aaron/integrations/crm", json!({"values": {"shoe_size": "42"}})).await.0,
        400
    );
    let sam = s.sign_in("sam").await;
    assert_eq!(s.get(&sam, "/contacts/k-aaron/integrations").await.0, 404);
}

#[tokio::test]
async fn the_activities_tab_gathers_notes_and_events_across_conversations_newest_first() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    s.post(&aaron, "/conversations/c-aaron/notes", json!({"text": "first note"})).await;
    s.post(&aaron, "/conversations/c-aaron/lifecycle", json!({"action": "close", "reason": "done"})).await;
    let created = s.inbound("k-aaron", "back again").await;
    let id = created["conversation"].as_str().unwrap();
    s.post(&aaron, &format!("/conversations/{id}/notes"), json!({"text": "second note"})).await;
    let (status, all) = s.get(&aaron, "/contacts/k-aaron/activities").await;
    assert_eq!(status, 200);
    let notes: Vec<&str> = all["notes"].as_array().unwrap().iter().map(|n| n["text"].as_str().unwrap()).collect();
    assert_eq!(notes, ["second note", "first note"]);
    let kinds: Vec<&str> = all["activities"].as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["opened", "closed"]);
    let sam = s.sign_in("sam").await;
    assert_eq!(s.get(&sam, "/contacts/k-aaron/activities").await.0, 404);
}
