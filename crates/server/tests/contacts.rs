//! Contact details on the real server: validated edits (tags and custom attributes too)
//! that change nothing when refused, merge suggestions within visibility, and blocking
//! with its permission and effect on the inbox counts.

mod common;

use common::{counts_of, start};
use parley_domain::wire::{EventKind, ServerFrame};
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
async fn tags_and_attributes_round_trip_normalised_and_reach_sockets() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let mut socket = s.socket(&aaron, None).await;
    let patch =
        json!({"tags": [" VIP ", "billing", "vip", ""], "attributes": {"Plan": "pro", "seats": " 3 ", "old": ""}});
    let (status, saved) = s.patch(&aaron, "/contacts/k-aaron", patch).await;
    assert_eq!(status, 200, "{saved}");
    let want = (json!(["vip", "billing"]), json!({"plan": "pro", "seats": "3"}));
    assert_eq!((saved["tags"].clone(), saved["attributes"].clone()), want);
    let (_, read) = s.get(&aaron, "/contacts/k-aaron").await;
    assert_eq!((read["tags"].clone(), read["attributes"].clone()), want);
    // The contact_updated event carries them like the other fields.
    let mut announced = None;
    while let Some(frame) = socket.frame().await {
        if let ServerFrame::Batch { events, .. } = frame {
            for e in events {
                if let EventKind::ContactUpdated { contact } = e.kind {
                    announced = Some((contact.tags, contact.attributes));
                }
            }
        }
    }
    let (tags, attributes) = announced.expect("a contact_updated event");
    assert_eq!(tags, ["vip", "billing"]);
    assert_eq!(attributes.get("plan").map(String::as_str), Some("pro"));
    // Absent fields stay; an empty list or object clears.
    let (_, kept) = s.patch(&aaron, "/contacts/k-aaron", json!({"name": "Renamed"})).await;
    assert_eq!((kept["tags"].clone(), kept["attributes"].clone()), want);
    let (_, cleared) = s.patch(&aaron, "/contacts/k-aaron", json!({"tags": [], "attributes": {}})).await;
    assert_eq!((cleared["tags"].clone(), cleared["attributes"].clone()), (json!([]), json!({})));
}

#[tokio::test]
async fn bad_tags_and_attributes_are_refused_in_words_and_change_nothing() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    s.patch(&aaron, "/contacts/k-aaron", json!({"tags": ["vip"], "attributes": {"plan": "pro"}})).await;
    let before = s.get(&aaron, "/contacts/k-aaron").await.1;
    let many_tags: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
    let many_attributes: serde_json::Map<String, Value> = (0..31).map(|i| (format!("k{i}"), json!("v"))).collect();
    let bad = [
        (
            json!({"tags": ["v i p"]}),
            r#"tags: the tag "v i p" must be 1 to 32 letters, digits, hyphens or underscores"#,
        ),
        (json!({"tags": ["ok", "no!"]}), r#"tags: the tag "no!""#),
        (json!({"tags": [&"x".repeat(33)]}), "tags: the tag"),
        (json!({"tags": many_tags}), "tags: a contact can have at most 20 tags"),
        (json!({"attributes": {"signup source": "ad"}}), r#"attributes: the attribute name "signup source" must be"#),
        (json!({"attributes": {"note": "x".repeat(501)}}), r#"attributes: the value of "note" must be at most 500"#),
        (json!({"attributes": {"Plan": "pro", "plan": "free"}}), r#"attributes: the attribute "plan" is given twice"#),
        (json!({"attributes": many_attributes}), "attributes: a contact can have at most 30 attributes"),
        // A bad tag among good fields: nothing is saved.
        (json!({"name": "New name", "phone": "+33 6 12 34 56 78", "tags": ["good", "b a d"]}), "tags:"),
        (json!({"tags": "vip"}), ""),
    ];
    for (patch, start) in bad {
        let (status, body) = s.patch(&aaron, "/contacts/k-aaron", patch.clone()).await;
        assert_eq!(status, 400, "{patch}");
        assert!(body["error"]["message"].as_str().unwrap().starts_with(start), "{body}");
    }
    assert_eq!(s.get(&aaron, "/contacts/k-aaron").await.1, before);
}

#[tokio::test]
async fn fixture_tags_and_attributes_are_seeded_normalised_and_bad_ones_refused() {
    let s = common::start_with(|f| {
        f["contacts"][0]["tags"] = json!(["VIP", "billing"]);
        f["contacts"][0]["attributes"] = json!({"plan": "pro"});
    })
    .await;
    let max = s.sign_in("max").await;
    let (_, contact) = s.get(&max, "/contacts/k-aaron").await;
    assert_eq!(
        (contact["tags"].clone(), contact["attributes"].clone()),
        (json!(["vip", "billing"]), json!({"plan": "pro"}))
    );
    assert_eq!(s.get(&max, "/contacts/k-lea").await.1["tags"], json!([]));
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
async fn merging_adds_the_secondarys_tags_and_keeps_the_primarys_attributes_on_conflict() {
    let s = start().await;
    let max = s.sign_in("max").await;
    s.patch(&max, "/contacts/k-none", json!({"tags": ["vip"], "attributes": {"plan": "pro"}})).await;
    let secondary = json!({"tags": ["billing", "vip"], "attributes": {"plan": "free", "seats": "3"}});
    s.patch(&max, "/contacts/k-fresh", secondary).await;
    let (status, merged) = s.post(&max, "/contacts/k-none/merge", json!({"secondary": "k-fresh"})).await;
    assert_eq!(status, 200, "{merged}");
    assert_eq!(merged["tags"], json!(["vip", "billing"]));
    assert_eq!(merged["attributes"], json!({"plan": "pro", "seats": "3"}));
    assert_eq!(s.get(&max, "/contacts/k-none").await.1["attributes"], json!({"plan": "pro", "seats": "3"}));
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
    s.post(&aaron, "/conversations/c-aaron/lifecycle", json!({"action": "close", "reason": "Resolved"})).await;
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

/// Issue 10, item 4: a merge loses nothing of the secondary (before, deleting it cascaded
/// its calls and CRM values away).
#[tokio::test]
async fn a_merge_moves_calls_crm_values_notes_activities_and_attachments_to_the_primary() {
    let s = common::start_with(|f| {
        f["users"][0]["permissions"] = json!(["calls"]);
    })
    .await;
    let max = s.sign_in("max").await;
    let fresh = s.inbound("k-fresh", "hello from my new number").await;
    let conversation = fresh["conversation"].as_str().unwrap().to_owned();
    // A call, CRM values (one the primary has too), a note and an attachment, all the secondary's.
    assert_eq!(s.post("", "/simulator/call", json!({"contact": "k-fresh", "action": "ring"})).await.0, 200);
    assert_eq!(s.post("", "/simulator/call", json!({"contact": "k-fresh", "action": "hangup"})).await.0, 200);
    let crm = |values: Value| json!({"values": values});
    assert_eq!(
        s.put(&max, "/contacts/k-fresh/integrations/crm", crm(json!({"company": "Fresh Ltd", "stage": "Lead"})))
            .await
            .0,
        200
    );
    assert_eq!(s.put(&max, "/contacts/k-none/integrations/crm", crm(json!({"stage": "Customer"}))).await.0, 200);
    let (status, note) =
        s.post(&max, &format!("/conversations/{conversation}/notes"), json!({"text": "VIP, be nice"})).await;
    assert_eq!(status, 201, "{note}");
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(b"invoice".to_vec()).file_name("invoice.txt"));
    let attachment: Value = s
        .http
        .post(format!("{}/conversations/{conversation}/attachments", s.base))
        .bearer_auth(&max)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let body = json!({"client_id": "m1", "text": "", "attachments": [attachment["id"]]});
    assert_eq!(s.post(&max, &format!("/conversations/{conversation}/messages"), body).await.0, 201);

    let (status, merged) = s.post(&max, "/contacts/k-none/merge", json!({"secondary": "k-fresh"})).await;
    assert_eq!(status, 200, "{merged}");

    let (_, calls) = s.get(&max, "/contacts/k-none/calls").await;
    assert_eq!(calls.as_array().unwrap().len(), 1, "the call moved: {calls}");
    let (_, integrations) = s.get(&max, "/contacts/k-none/integrations").await;
    let value = |key: &str| {
        integrations[0]["fields"].as_array().unwrap().iter().find(|f| f["key"] == key).unwrap()["value"].clone()
    };
    assert_eq!(value("company"), "Fresh Ltd", "the secondary's value fills the gap");
    assert_eq!(value("stage"), "Customer", "the primary's value wins");
    let (_, activities) = s.get(&max, "/contacts/k-none/activities").await;
    assert!(activities["notes"].as_array().unwrap().iter().any(|n| n["text"] == "VIP, be nice"), "{activities}");
    assert!(activities["activities"].as_array().unwrap().iter().any(|a| a["kind"] == "call"), "{activities}");
    let url = format!("{}/attachments/{}", s.base, attachment["id"].as_str().unwrap());
    let download = s.http.get(url).bearer_auth(&max).send().await.unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(download.bytes().await.unwrap().as_ref(), b"invoice");
}
