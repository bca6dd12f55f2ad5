//! Assigning a contact to a team (issue 14, item 4) through the real API and WebSocket:
//! who sees it, which inbox holds and counts it, who is told, the audit trail, bad input.
//!
//! The shared fixture (Sales = {aaron, lea, tess}; Support = {aaron, nina, sam}) gains
//! rita, a team-restricted agent of Support: tess and rita are the restricted agents in
//! and out of Sales.

mod common;

use common::{TestServer, start_with};
use serde_json::{Value, json};

async fn start() -> TestServer {
    start_with(|f| {
        f["users"].as_array_mut().unwrap().push(json!({"id": "rita", "name": "RITA", "email": "rita@test",
            "password": "pw", "role": "agent", "restriction": "team", "teams": ["support"]}));
        for u in f["users"].as_array_mut().unwrap() {
            u["permissions"] = json!(["calls"]);
        }
    })
    .await
}

fn ids(body: &Value) -> Vec<String> {
    body["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
}

/// `(open, new)` of one inbox in `token`'s side panel, if it is there.
async fn count(s: &TestServer, token: &str, inbox: &str) -> Option<(u64, u64)> {
    s.counts(token).await.into_iter().find(|(id, ..)| id == inbox).map(|(_, open, new)| (open, new))
}

#[tokio::test]
async fn a_team_assignment_shows_the_contact_to_that_teams_restricted_agents_only() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let tess = s.sign_in("tess").await;
    let rita = s.sign_in("rita").await;
    let sam = s.sign_in("sam").await;
    // Unassigned: no team-restricted agent sees it.
    assert_eq!(s.get(&tess, "/conversations/c-none").await.0, 404);

    let (status, contact) = s.put(&max, "/contacts/k-none/assignee", json!({"team": "sales"})).await;
    assert_eq!(status, 200, "{contact}");
    assert_eq!((contact["assigned_team"].as_str(), &contact["assignee"]), (Some("sales"), &Value::Null));

    let (status, detail) = s.get(&tess, "/conversations/c-none").await;
    assert_eq!(status, 200, "a Sales member sees Sales's contact");
    assert_eq!(detail["conversation"]["assigned_team"], "sales");
    assert_eq!(s.get(&tess, "/contacts/k-none").await.0, 200);
    assert!(ids(&s.get(&tess, "/inboxes/team-sales/conversations").await.1).contains(&"c-none".to_owned()));
    for (who, token) in [("rita (Support)", &rita), ("sam (self)", &sam)] {
        let (status, body) = s.get(token, "/conversations/c-none").await;
        assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")), "{who}");
        assert_eq!(s.get(token, "/contacts/k-none").await.0, 404, "{who}");
        assert!(!ids(&s.get(token, "/inboxes/mine/conversations").await.1).contains(&"c-none".to_owned()));
    }

    // Over to Support: now the other way round.
    assert_eq!(s.put(&max, "/contacts/k-none/assignee", json!({"team": "support"})).await.0, 200);
    assert_eq!(s.get(&tess, "/conversations/c-none").await.0, 404);
    assert_eq!(s.get(&rita, "/conversations/c-none").await.0, 200);
    // A user assignment replaces the team's.
    let (_, contact) = s.put(&max, "/contacts/k-none/assignee", json!({"assignee": "lea"})).await;
    assert_eq!((contact["assignee"].as_str(), contact.get("assigned_team")), (Some("lea"), None));
    assert_eq!(s.get(&rita, "/conversations/c-none").await.0, 404);
    assert_eq!(s.get(&tess, "/conversations/c-none").await.0, 200, "lea is tess's teammate");
}

#[tokio::test]
async fn the_team_inbox_counts_a_team_assigned_contact_and_unassigned_no_longer_does() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let lea = s.sign_in("lea").await;
    let nina = s.sign_in("nina").await;
    let (sales_before, unassigned_before) =
        (count(&s, &lea, "team-sales").await.unwrap(), count(&s, &lea, "unassigned").await.unwrap());

    assert_eq!(s.put(&max, "/contacts/k-none/assignee", json!({"team": "sales"})).await.0, 200);
    let sales = count(&s, &lea, "team-sales").await.unwrap();
    let unassigned = count(&s, &lea, "unassigned").await.unwrap();
    assert_eq!(sales.0, sales_before.0 + 1, "Sales holds it");
    assert_eq!(unassigned.0, unassigned_before.0 - 1, "Unassigned does not");
    assert!(!ids(&s.get(&lea, "/inboxes/unassigned/conversations").await.1).contains(&"c-none".to_owned()));
    assert!(ids(&s.get(&lea, "/inboxes/team-sales/conversations").await.1).contains(&"c-none".to_owned()));

    // The conversation's dot: Sales's for a member, All's for an agent outside Sales.
    s.post(&lea, "/inboxes/team-sales/ack", json!({})).await;
    s.post(&nina, "/inboxes/all/ack", json!({})).await;
    let (lea_sales, lea_unassigned) = (count(&s, &lea, "team-sales").await, count(&s, &lea, "unassigned").await);
    let nina_all = count(&s, &nina, "all").await;
    s.inbound("k-none", "anyone from sales?").await;
    assert_eq!(count(&s, &lea, "team-sales").await.unwrap().1, lea_sales.unwrap().1 + 1);
    assert_eq!(count(&s, &lea, "unassigned").await, lea_unassigned);
    assert_eq!(count(&s, &nina, "all").await.unwrap().1, nina_all.unwrap().1 + 1);
    assert_eq!(count(&s, &nina, "team-sales").await, None, "not in nina's panel");
}

#[tokio::test]
async fn the_event_of_a_team_assignment_reaches_the_teams_members_and_not_outsiders() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let tess = s.sign_in("tess").await;
    let rita = s.sign_in("rita").await;
    let mut tess_ws = s.socket(&tess, None).await;
    let mut rita_ws = s.socket(&rita, None).await;
    let sales_open = |counts: Option<Value>| {
        let counts = counts.expect("counts with the batch");
        counts.as_array().unwrap().iter().find(|c| c["id"] == "team-sales").unwrap()["open"].as_u64().unwrap()
    };
    let before = sales_open(tess_ws.drain().await.1);
    rita_ws.drain().await;

    assert_eq!(s.put(&max, "/contacts/k-none/assignee", json!({"team": "sales"})).await.0, 200);
    let (events, counts) = tess_ws.drain().await;
    assert!(events.iter().any(|(_, c)| c == "c-none"), "{events:?}");
    assert_eq!(sales_open(counts), before + 1, "tess's Sales inbox holds it");
    assert!(rita_ws.drain().await.0.is_empty());

    s.inbound("k-none", "hello sales").await;
    assert_eq!(tess_ws.drain().await.0.iter().filter(|(_, c)| c == "c-none").count(), 1);
    assert!(rita_ws.drain().await.0.is_empty());

    // Handed to Support: tess hears of it once more (it leaves her lists), rita now does.
    assert_eq!(s.put(&max, "/contacts/k-none/assignee", json!({"team": "support"})).await.0, 200);
    assert!(tess_ws.drain().await.0.iter().any(|(_, c)| c == "c-none"));
    assert!(rita_ws.drain().await.0.iter().any(|(_, c)| c == "c-none"));
    s.inbound("k-none", "hello support").await;
    assert!(tess_ws.drain().await.0.is_empty());
    let events = rita_ws.drain().await.0;
    assert_eq!(events.iter().filter(|(_, c)| c == "c-none").count(), 1, "{events:?}");
}

#[tokio::test]
async fn the_audit_trail_records_team_assignments() {
    let s = start().await;
    let max = s.sign_in("max").await;
    assert_eq!(s.put(&max, "/contacts/k-none/assignee", json!({"team": "sales"})).await.0, 200);
    assert_eq!(s.put(&max, "/contacts/k-none/assignee", json!({"assignee": null})).await.0, 200);
    let (_, detail) = s.get(&max, "/conversations/c-none").await;
    let lines: Vec<(String, Option<String>, Option<String>)> = detail["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let field = |k: &str| a[k].as_str().map(str::to_owned);
            (a["kind"].as_str().unwrap().to_owned(), field("team"), field("team_name"))
        })
        .filter(|(kind, ..)| kind != "opened")
        .collect();
    assert_eq!(
        lines,
        [("assigned_team".into(), Some("sales".into()), Some("Sales".into())), ("unassigned".into(), None, None)]
    );
    let (_, contact_lines) = s.get(&max, "/contacts/k-none/activities").await;
    assert!(contact_lines["activities"].as_array().unwrap().iter().any(|a| a["kind"] == "assigned_team"));
    // Assigning the same team again changes nothing and writes no line.
    let before = s.get(&max, "/conversations/c-none").await.1["activities"].as_array().unwrap().len();
    s.put(&max, "/contacts/k-none/assignee", json!({"team": "sales"})).await;
    s.put(&max, "/contacts/k-none/assignee", json!({"team": "sales"})).await;
    let after = s.get(&max, "/conversations/c-none").await.1["activities"].as_array().unwrap().len();
    assert_eq!(after, before + 1);
}

#[tokio::test]
async fn bad_team_assignments_are_refused_in_json_and_change_nothing() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let tess = s.sign_in("tess").await;
    let cases = [
        ("/contacts/k-none/assignee", json!({"team": "ghost"}), 400, "bad_request"),
        ("/contacts/k-none/assignee", json!({"team": "sales", "assignee": "lea"}), 400, "bad_request"),
        ("/contacts/k-none/assignee", json!({"team": 7}), 400, "bad_request"),
        ("/contacts/k-ghost/assignee", json!({"team": "sales"}), 404, "not_found"),
    ];
    for (path, body, status, code) in cases {
        let (got, answer) = s.put(&max, path, body.clone()).await;
        assert_eq!((got, answer["error"]["code"].as_str()), (status, Some(code)), "{body}: {answer}");
    }
    let contact = s.get(&max, "/contacts/k-none").await.1;
    assert_eq!((&contact["assignee"], contact.get("assigned_team")), (&Value::Null, None));
    // Someone who cannot see the contact cannot assign it either (as for a user).
    let (status, _) = s.put(&tess, "/contacts/k-none/assignee", json!({"team": "sales"})).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_fixture_may_assign_a_contact_to_a_team() {
    let s = start_with(|f| {
        f["users"].as_array_mut().unwrap().push(json!({"id": "rita", "name": "RITA", "email": "rita@test",
            "password": "pw", "role": "agent", "restriction": "team", "teams": ["support"]}));
        let contacts = f["contacts"].as_array_mut().unwrap();
        let none = contacts.iter_mut().find(|c| c["id"] == "k-none").unwrap();
        none.as_object_mut().unwrap().remove("assignee");
        none["team"] = json!("support");
    })
    .await;
    let rita = s.sign_in("rita").await;
    assert_eq!(s.get(&rita, "/conversations/c-none").await.1["conversation"]["assigned_team"], "support");
    assert!(ids(&s.get(&rita, "/inboxes/team-support/conversations").await.1).contains(&"c-none".to_owned()));
}

#[tokio::test]
async fn a_team_assigned_contacts_call_rings_for_that_teams_restricted_agents_only() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let (tess, rita) = (s.sign_in("tess").await, s.sign_in("rita").await);
    assert_eq!(s.put(&max, "/contacts/k-none/assignee", json!({"team": "sales"})).await.0, 200);
    let (status, call) = s.post("", "/simulator/call", json!({"contact": "k-none", "action": "ring"})).await;
    assert_eq!(status, 200, "{call}");
    assert_eq!(call["assigned_team"], "sales");
    let ringing = |body: &Value| -> Vec<String> {
        body.as_array().unwrap().iter().map(|c| c["contact"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(ringing(&s.get(&tess, "/calls").await.1), ["k-none"], "a Sales member hears Sales's contact");
    assert!(ringing(&s.get(&rita, "/calls").await.1).is_empty(), "Support's restricted agent does not");
    let id = call["id"].as_str().unwrap();
    let (status, body) = s.post(&rita, &format!("/calls/{id}/accept"), json!(null)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));
    let (status, accepted) = s.post(&tess, &format!("/calls/{id}/accept"), json!(null)).await;
    assert_eq!((status, accepted["state"].as_str()), (200, Some("ongoing")), "{accepted}");
    // Answering a team's call leaves the contact with the team (only nobody's is claimed).
    let (_, contact) = s.get(&max, "/contacts/k-none").await;
    assert_eq!((contact["assigned_team"].as_str(), &contact["assignee"]), (Some("sales"), &Value::Null));
}
