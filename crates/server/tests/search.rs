//! `GET /conversations/search` on the real server: conversations found by their
//! contact's name, best match first, only within the caller's visibility (restricted
//! agents, blocked contacts), and a clear 400 for a query that cannot be searched.

mod common;

use common::{TestServer, start};
use serde_json::{Value, json};

/// The conversation ids a search answers, in order.
async fn found(s: &TestServer, token: &str, query: &str) -> Vec<String> {
    let (status, body) = s.get(token, &format!("/conversations/search?{query}")).await;
    assert_eq!(status, 200, "{query}: {body}");
    body.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn finds_conversations_by_contact_name_best_match_first() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    // Case- and accent-blind; the whole name first, then names starting with the text,
    // then names with a word starting with it (by name).
    for (id, name) in
        [("k-aaron", "Chloé Farouk"), ("k-lea", "Farid Chloé"), ("k-nina", "Ali Chlo"), ("k-none", "Chlo")]
    {
        assert_eq!(s.patch(&aaron, &format!("/contacts/{id}"), json!({"name": name})).await.0, 200);
    }
    assert_eq!(found(&s, &aaron, "q=CHLO").await, ["c-none", "c-aaron", "c-nina", "c-lea"]);
    assert_eq!(found(&s, &aaron, "q=chloe%20far").await, ["c-aaron", "c-lea"]);
    assert_eq!(found(&s, &aaron, "q=farouk%20chloe").await, ["c-aaron"]);
    assert_eq!(found(&s, &aaron, "q=chlo&limit=2").await, ["c-none", "c-aaron"]);
    assert_eq!(found(&s, &aaron, "q=nobody").await, Vec::<String>::new());
    // An answer is a conversation summary, with its contact.
    let (_, body) = s.get(&aaron, "/conversations/search?q=chloe%20farouk").await;
    assert_eq!((&body[0]["contact"]["name"], &body[0]["status"]), (&json!("Chloé Farouk"), &json!("new")));
    // A contact's latest conversation, closed or not; contacts without one are not found.
    let found_closed = found(&s, &aaron, "q=k-closed").await;
    assert_eq!(found_closed, ["c-closed"]);
    assert_eq!(found(&s, &aaron, "q=k-fresh").await, Vec::<String>::new());
}

#[tokio::test]
async fn restricted_agents_find_only_the_contacts_they_may_see() {
    // Max may also see (and block) blocked contacts.
    let s = common::start_with(|f| f["users"][0]["permissions"] = json!(["view_blocked"])).await;
    // Every fixture contact is named "Contact <id>".
    let everyone = ["c-aaron", "c-closed", "c-lea", "c-max", "c-nina", "c-none", "c-sam"];
    let aaron = s.sign_in("aaron").await;
    let mut all = found(&s, &aaron, "q=contact&limit=50").await;
    all.sort();
    assert_eq!(all, everyone);

    // Sam sees only his own contacts.
    let sam = s.sign_in("sam").await;
    assert_eq!(found(&s, &sam, "q=contact&limit=50").await, ["c-sam"]);
    for other in ["k-aaron", "k-nina", "k-none", "k-max"] {
        assert_eq!(found(&s, &sam, &format!("q={other}")).await, Vec::<String>::new(), "sam finds {other}");
    }
    // Tess sees her team's (Sales: aaron, lea, tess), not Support's or unassigned ones.
    let tess = s.sign_in("tess").await;
    let mut hers = found(&s, &tess, "q=contact&limit=50").await;
    hers.sort();
    assert_eq!(hers, ["c-aaron", "c-closed", "c-lea"]);
    assert_eq!(found(&s, &tess, "q=k-nina").await, Vec::<String>::new());
    assert_eq!(found(&s, &tess, "q=k-sam").await, Vec::<String>::new());

    // A blocked contact is found only by those who see blocked contacts.
    let max = s.sign_in("max").await;
    assert_eq!(s.put(&max, "/contacts/k-none/blocked", json!({"blocked": true})).await.0, 200);
    assert_eq!(found(&s, &aaron, "q=k-none").await, Vec::<String>::new());
    assert_eq!(found(&s, &max, "q=k-none").await, ["c-none"]);
}

#[tokio::test]
async fn a_query_that_cannot_be_searched_is_a_clear_400() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let long = "x".repeat(101);
    let bad = [
        ("", "q:"),
        ("q=", "q:"),
        ("q=%20%20", "q:"),
        (&*format!("q={long}"), "q: at most 100"),
        ("q=a%1Bb", "q:"),
        ("q=a&limit=0", "limit"),
        ("q=a&limit=51", "limit"),
        ("q=a&limit=many", ""),
        ("q=a&colour=red", "colour"),
    ];
    for (query, starts) in bad {
        let (status, body) = s.get(&aaron, &format!("/conversations/search?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"]["code"], "bad_request", "{query}: {body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(starts), "{query}: {message}");
    }
    // 100 characters are fine.
    assert_eq!(found(&s, &aaron, &format!("q={}", "x".repeat(100))).await, Vec::<String>::new());
    // Signed out: 401, as everywhere.
    let res = s.http.get(format!("{}/conversations/search?q=contact", s.base)).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
}
