//! Custom inboxes on the real server: created by one user, shared, seen under "others" by
//! another who cannot edit it, listing conversations through the saved filter and the
//! viewer's own visibility, refreshed on request.

mod common;

use common::start;
use serde_json::{Value, json};

fn ids(v: &Value) -> Vec<String> {
    let mut ids: Vec<String> =
        v["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_shared_view_is_listed_filtered_and_editable_by_its_creator_only() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let aaron = s.sign_in("aaron").await;
    let input = json!({"name": "Support team, WhatsApp", "filter": {"team": "support", "channel": "wa", "status": "all"},
                       "sharing": {"users": ["aaron", "sam"]}});
    let (status, created) = s.post(&max, "/custom-inboxes", input.clone()).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["owner"], "max");
    // Aaron sees it under "others", not under "mine"; Lea (not shared with) not at all.
    assert_eq!(s.get(&aaron, "/custom-inboxes?scope=others").await.1[0]["id"], id.as_str());
    assert_eq!(s.get(&aaron, "/custom-inboxes?scope=mine").await.1, json!([]));
    let lea = s.sign_in("lea").await;
    assert_eq!(s.get(&lea, "/custom-inboxes").await.1, json!([]));
    assert_eq!(s.get(&lea, &format!("/custom-inboxes/{id}/conversations")).await.0, 404);
    // Support = {aaron, nina, sam}: their conversations on WhatsApp.
    let (_, page) = s.get(&max, &format!("/custom-inboxes/{id}/conversations")).await;
    assert_eq!(ids(&page), ["c-aaron", "c-closed", "c-nina", "c-sam"]);
    // Through a shared view a self agent still sees only their own.
    let sam = s.sign_in("sam").await;
    assert_eq!(ids(&s.get(&sam, &format!("/custom-inboxes/{id}/conversations")).await.1), ["c-sam"]);
    // Only the creator edits or deletes.
    assert_eq!(s.put(&aaron, &format!("/custom-inboxes/{id}"), input.clone()).await.0, 403);
    assert_eq!(s.delete(&aaron, &format!("/custom-inboxes/{id}")).await.0, 403);
    let narrowed = json!({"name": "Support, open", "filter": {"team": "support"}, "sharing": "everyone"});
    let (status, updated) = s.put(&max, &format!("/custom-inboxes/{id}"), narrowed).await;
    assert_eq!((status, updated["name"].as_str()), (200, Some("Support, open")));
    // Not live: a refresh shows what changed since.
    s.inbound("k-none", "hello").await;
    s.put(&max, "/contacts/k-none/assignee", json!({"assignee": "nina"})).await;
    let (_, page) = s.get(&lea, &format!("/custom-inboxes/{id}/conversations")).await;
    assert_eq!(ids(&page), ["c-aaron", "c-nina", "c-none", "c-sam"]);
    assert_eq!(s.delete(&max, &format!("/custom-inboxes/{id}")).await.0, 204);
    assert_eq!(s.get(&aaron, "/custom-inboxes").await.1, json!([]));
}

#[tokio::test]
async fn a_tag_filter_keeps_the_conversations_of_contacts_with_that_tag() {
    let s = start().await;
    let max = s.sign_in("max").await;
    s.patch(&max, "/contacts/k-aaron", json!({"tags": ["vip", "billing"]})).await;
    s.patch(&max, "/contacts/k-closed", json!({"tags": ["vip"]})).await;
    s.patch(&max, "/contacts/k-nina", json!({"tags": ["vipish"]})).await;
    let input = json!({"name": "VIP", "filter": {"tag": " VIP ", "status": "all"}, "sharing": "private"});
    let (status, created) = s.post(&max, "/custom-inboxes", input).await;
    assert_eq!(status, 201, "{created}");
    // Saved normalised, as contacts' tags are.
    assert_eq!(created["filter"]["tag"], "vip");
    let id = created["id"].as_str().unwrap();
    assert_eq!(ids(&s.get(&max, &format!("/custom-inboxes/{id}/conversations")).await.1), ["c-aaron", "c-closed"]);
    // Within the viewer's visibility, with the other conditions.
    let input = json!({"name": "VIP", "filter": {"tag": "vip"}, "sharing": "private"});
    let id = s.post(&max, "/custom-inboxes", input).await.1["id"].as_str().unwrap().to_owned();
    assert_eq!(ids(&s.get(&max, &format!("/custom-inboxes/{id}/conversations")).await.1), ["c-aaron"]);
}

#[tokio::test]
async fn bad_views_are_refused() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let cases = [
        json!({"name": "", "filter": {}, "sharing": "private"}),
        json!({"name": "x", "filter": {"status": "archived"}, "sharing": "private"}),
        json!({"name": "x", "filter": {"channel": "fax"}, "sharing": "private"}),
        json!({"name": "x", "filter": {"team": "nope"}, "sharing": "private"}),
        json!({"name": "x", "filter": {"tag": "v i p"}, "sharing": "private"}),
        json!({"name": "x", "filter": {"inactive_for_days": 8, "active_within_days": 7}, "sharing": "private"}),
        json!({"name": "x", "filter": {"active_within_days": 0}, "sharing": "private"}),
        json!({"name": "x", "filter": {}, "sharing": {"users": ["ghost"]}}),
        json!({"name": "x", "filter": {"unknown": 1}, "sharing": "public"}),
    ];
    for body in cases {
        let (status, answer) = s.post(&max, "/custom-inboxes", body.clone()).await;
        assert_eq!(status, 400, "{body}: {answer}");
    }
    assert_eq!(s.get(&max, "/custom-inboxes").await.1, json!([]));
    assert_eq!(s.get(&max, "/custom-inboxes?scope=everything").await.0, 400);
}

#[tokio::test]
async fn pages_of_a_view_follow_each_other() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let (_, created) = s
        .post(&max, "/custom-inboxes", json!({"name": "All", "filter": {"status": "all"}, "sharing": "private"}))
        .await;
    let id = created["id"].as_str().unwrap();
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let (_, page) = s.get(&max, &format!("/custom-inboxes/{id}/conversations?limit=3{cursor}")).await;
        seen.extend(page["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()));
        match page["next"].as_str() {
            Some(n) => cursor = format!("&cursor={n}"),
            None => break,
        }
    }
    seen.sort();
    assert_eq!(seen, ["c-aaron", "c-closed", "c-lea", "c-max", "c-nina", "c-none", "c-sam"]);
}

#[tokio::test]
async fn a_sparse_view_pages_through_every_match_once_newest_first() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let (status, _) = s.post("", "/simulator/bulk-inbound", json!({"count": 450})).await;
    assert_eq!(status, 201);
    // "Visitor 1", "Visitor 10"…"19", "Visitor 100"…"199": 111 matches scattered over 450,
    // "Visitor 1" the newest (visitor n wrote n seconds ago).
    let input = json!({"name": "Ones", "filter": {"contact_field": {"field": "name", "contains": "visitor 1"}},
                       "sharing": "private"});
    let (status, created) = s.post(&max, "/custom-inboxes", input).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap();
    let mut names = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/custom-inboxes/{id}/conversations?limit=50&cursor={c}"),
            None => format!("/custom-inboxes/{id}/conversations?limit=50"),
        };
        let (status, page) = s.get(&max, &path).await;
        assert_eq!(status, 200, "{page}");
        pages += 1;
        names.extend(
            page["items"].as_array().unwrap().iter().map(|c| c["contact"]["name"].as_str().unwrap().to_owned()),
        );
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let mut expected: Vec<u32> = (1..=450).filter(|n| n.to_string().starts_with('1')).collect();
    expected.sort();
    let expected: Vec<String> = expected.iter().map(|n| format!("Visitor {n}")).collect();
    assert_eq!(names, expected, "every match once, newest first");
    assert_eq!(pages, 3);
    // A cursor too large for its number answers 400 (issue 10, item 8), never overflows.
    for bad in ["99999999999999999999999.cv-1", "18446744073709551615", "18446744073709551616", "x"] {
        let (status, body) = s.get(&max, &format!("/custom-inboxes/{id}/conversations?cursor={bad}")).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
    // The search is text, not a pattern: "%" and "_" match only themselves.
    for wildcard in ["%", "_", "visitor_1"] {
        let input = json!({"name": "Wild", "filter": {"contact_field": {"field": "name", "contains": wildcard}},
                           "sharing": "private"});
        let (_, created) = s.post(&max, "/custom-inboxes", input).await;
        let (_, page) =
            s.get(&max, &format!("/custom-inboxes/{}/conversations", created["id"].as_str().unwrap())).await;
        assert_eq!(page["items"], json!([]), "{wildcard}");
    }
    // …and find themselves where they are.
    assert_eq!(s.patch(&max, "/contacts/k-lea", json!({"name": "Lea_100% Sure"})).await.0, 200);
    let input = json!({"name": "Literal", "filter": {"contact_field": {"field": "name", "contains": "A_100%"}},
                       "sharing": "private"});
    let (_, created) = s.post(&max, "/custom-inboxes", input).await;
    let (_, page) = s.get(&max, &format!("/custom-inboxes/{}/conversations", created["id"].as_str().unwrap())).await;
    assert_eq!(ids(&page), ["c-lea"]);
}
