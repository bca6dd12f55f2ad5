//! The contacts page on the real server: `GET /contacts` searches by name, phone, email
//! and tag within the caller's visibility, in keyset pages that hold every match once;
//! `GET /contacts/{id}/conversations` lists a contact's past and current conversations
//! with the closing reason, and only for a contact the caller may see.

mod common;

use std::collections::BTreeSet;

use common::{TestServer, start_with};
use serde_json::{Value, json};

/// Three contacts with distinct details (on top of the test fixture's, all named
/// "Contact k-…" with the same phone), and `extra` more named "Paged NN".
async fn start_with_people(extra: usize) -> TestServer {
    start_with_tagged_people(extra, &[]).await
}

/// As [`start_with_people`], the "Paged NN" contacts with `tags`.
async fn start_with_tagged_people(extra: usize, tags: &'static [&'static str]) -> TestServer {
    start_with(|f| {
        let contacts = f["contacts"].as_array_mut().unwrap();
        contacts.push(json!({"id": "k-lea-m", "name": "Léa Moreau", "phone": "+44 7700 900123",
            "email": "Lea.Moreau@example.com", "tags": ["vip"], "assignee": "aaron", "channels": ["wa"]}));
        contacts.push(json!({"id": "k-marc", "name": "Marc Dubois", "phone": "+33 6 12 34 56 78",
            "email": "marc@shop.test", "tags": ["billing"], "assignee": "sam", "channels": ["wa"]}));
        contacts.push(json!({"id": "k-zoe", "name": "Zoé Martin", "email": "zoe@example.com",
            "tags": ["vip", "billing"], "channels": ["wa"]}));
        contacts.push(json!({"id": "k-blocked", "name": "Marta Blocked", "assignee": "aaron", "blocked": true,
            "channels": ["wa"]}));
        // Assignees in turn (sam, tess, lea, nobody); two share a name, so the id decides.
        let owners = [Some("sam"), Some("tess"), Some("lea"), None];
        for i in 0..extra {
            let name = if i == 7 { "Paged 06".to_owned() } else { format!("Paged {i:02}") };
            contacts.push(json!({"id": format!("k-paged-{i:02}"), "name": name, "assignee": owners[i % 4],
                "channels": ["wa"], "tags": tags}));
        }
    })
    .await
}

/// The ids `GET /contacts?q=` answers (one page of at most 200).
async fn ids(s: &TestServer, token: &str, q: &str) -> Vec<String> {
    let url = format!("/contacts?q={}&limit=200", urlencode(q));
    let (status, page) = s.get(token, &url).await;
    assert_eq!(status, 200, "{q:?}: {page}");
    assert!(page["next"].is_null(), "{q:?}: one page");
    page["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
}

fn urlencode(q: &str) -> String {
    q.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test]
async fn search_by_name_phone_email_and_tag_case_and_accent_blind() {
    let s = start_with_people(0).await;
    let max = s.sign_in("max").await;
    #[rustfmt::skip]
    let rows: &[(&str, &[&str])] = &[
        // A name from any of its words, accents and case ignored; words in order.
        ("lea", &["k-lea-m"]), ("MOR", &["k-lea-m"]), ("léa mo", &["k-lea-m"]), ("moreau lea", &[]),
        ("mar", &["k-marc", "k-zoe"]), ("martin", &["k-zoe"]), ("zoe", &["k-zoe"]),
        // A phone number from any run of its digits, however it is typed.
        ("+44 7700 900123", &["k-lea-m"]), ("07700-900 123", &["k-lea-m"]), ("900123", &["k-lea-m"]),
        ("+33 6 12 34", &["k-marc"]), ("(0)6 12 34 56 78", &["k-marc"]),
        // Emails from the start, tags whole or by their start.
        ("lea.moreau@EXAMPLE", &["k-lea-m"]), ("marc@shop.test", &["k-marc"]), ("example.com", &[]),
        ("vip", &["k-lea-m", "k-zoe"]), ("bill", &["k-marc", "k-zoe"]),
        ("nobody like this", &[]),
    ];
    for &(q, expected) in rows {
        assert_eq!(ids(&s, &max, q).await, expected, "{q:?}");
    }
    // No query: everyone the caller sees, by name (the fixture's "Contact k-…" first).
    let all = ids(&s, &max, "").await;
    assert_eq!(all.len(), 9 + 3, "{all:?}");
    assert_eq!(all[9..], ["k-lea-m", "k-marc", "k-zoe"]);

    // An edit re-indexes: the old name no longer finds the contact, the new one does.
    let (status, _) = s.patch(&max, "/contacts/k-zoe", json!({"name": "Zoé Bernard", "tags": []})).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&s, &max, "martin").await, Vec::<String>::new());
    assert_eq!(ids(&s, &max, "bern").await, ["k-zoe"]);
    assert_eq!(ids(&s, &max, "vip").await, ["k-lea-m"]);
    // A key of U+10FFFF alone, which has no successor to end its range, finds every term
    // starting with it, longer ones too.
    let (status, body) = s.patch(&max, "/contacts/k-zoe", json!({"name": "Zoé \u{10FFFF}\u{10FFFF}"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ids(&s, &max, "\u{10FFFF}").await, ["k-zoe"]);
    assert_eq!(ids(&s, &max, "\u{10FFFF}\u{10FFFF}").await, ["k-zoe"]);

    // A merge moves the secondary's details (and its terms) to the primary.
    let (status, _) = s.post(&max, "/contacts/k-lea-m/merge", json!({"secondary": "k-marc"})).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&s, &max, "marc@shop").await, Vec::<String>::new(), "the primary keeps its own email");
    assert_eq!(ids(&s, &max, "billing").await, ["k-lea-m"], "tags are merged");
    assert_eq!(ids(&s, &max, "dubois").await, Vec::<String>::new(), "the secondary is gone");

    // Bad input answers 400 with our error body.
    for url in [
        format!("/contacts?q={}", "a".repeat(101)),
        "/contacts?limit=0".to_owned(),
        "/contacts?limit=201".to_owned(),
        "/contacts?cursor=zz".to_owned(),
        "/contacts?cursor=6162".to_owned(),
        "/contacts?page=2".to_owned(),
    ] {
        let (status, body) = s.get(&max, &url).await;
        assert_eq!(status, 400, "{url}: {body}");
        assert!(body["error"]["message"].is_string(), "{url}: {body}");
    }
}

/// Every page of a search, following `next`.
async fn all_pages(s: &TestServer, token: &str, q: &str, limit: usize) -> (Vec<String>, usize) {
    let (mut found, mut pages, mut cursor) = (Vec::new(), 0, None::<String>);
    loop {
        let mut url = format!("/contacts?q={}&limit={limit}", urlencode(q));
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let (status, page) = s.get(token, &url).await;
        assert_eq!(status, 200, "{page}");
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= limit);
        found.extend(items.iter().map(|c| c["id"].as_str().unwrap().to_owned()));
        pages += 1;
        match page["next"].as_str() {
            Some(next) => {
                assert_eq!(items.len(), limit, "only the last page is short");
                cursor = Some(next.to_owned());
            }
            None => return (found, pages),
        }
    }
}

#[tokio::test]
async fn pages_follow_the_cursor_and_hold_every_match_exactly_once() {
    let s = start_with_people(37).await;
    let max = s.sign_in("max").await;
    let (found, pages) = all_pages(&s, &max, "paged", 5).await;
    assert_eq!(pages, 8, "37 contacts in pages of 5");
    let expected: Vec<String> = {
        // By name, then id for the two "Paged 06".
        let mut v: Vec<(String, String)> = (0..37)
            .map(|i| (if i == 7 { 6 } else { i }, format!("k-paged-{i:02}")))
            .map(|(n, id)| (format!("paged {n:02}"), id))
            .collect();
        v.sort();
        v.into_iter().map(|(_, id)| id).collect()
    };
    assert_eq!(found, expected);
    assert_eq!(found[6..8], ["k-paged-06", "k-paged-07"]);
    // A page boundary between the two equal names, and every page size, still hold each
    // match exactly once.
    for limit in [1, 2, 3, 7, 36, 37, 200] {
        assert_eq!(all_pages(&s, &max, "paged", limit).await.0, expected, "limit {limit}");
    }
    // A contact renamed between pages does not make a page repeat or skip the others.
    let url = "/contacts?q=paged&limit=10";
    let (_, first) = s.get(&max, url).await;
    let next = first["next"].as_str().unwrap().to_owned();
    let (status, _) = s.patch(&max, "/contacts/k-paged-02", json!({"name": "Renamed"})).await;
    assert_eq!(status, 200);
    let (_, second) = s.get(&max, &format!("{url}&cursor={next}")).await;
    let second: Vec<&str> = second["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(second, expected[10..20].iter().map(String::as_str).collect::<Vec<_>>());
}

/// A query whose range holds 40,000 terms or more (`ContactSearch::BROAD_TERMS`: here
/// "paged", which starts the name and three tags of 10,000 contacts) walks the contacts in
/// order and looks up each one's terms; a narrower one ("paged 1": 1,111 terms) reads its
/// terms, which carry each contact's sort key and assignee. Both find every match once, in order, within
/// visibility, and follow reassignments (the terms' copies are kept by a trigger).
#[tokio::test]
async fn broad_and_narrow_searches_find_the_same_contacts_in_order() {
    const N: usize = 10_000;
    let s = start_with_tagged_people(N, &["paged-a", "paged-b", "paged-c"]).await;
    let by = [Some("sam"), Some("tess"), Some("lea"), None];
    // The matches of `prefix` among the contacts of `owners` (None: everyone's), by name
    // then id, with the reassignments in `moved`.
    let expected = |owners: Option<&[&str]>, prefix: &str, moved: &[(usize, Option<&str>)]| -> Vec<String> {
        let mut v: Vec<(String, String)> = (0..N)
            .filter(|&i| {
                let owner = moved.iter().find(|m| m.0 == i).map_or(by[i % 4], |m| m.1);
                owners.is_none_or(|o| owner.is_some_and(|x| o.contains(&x)))
            })
            .map(|i| (format!("paged {:02}", if i == 7 { 6 } else { i }), format!("k-paged-{i:02}")))
            .filter(|(name, _)| name.starts_with(prefix))
            .collect();
        v.sort();
        v.into_iter().map(|(_, id)| id).collect()
    };
    let (max, sam, tess) = (s.sign_in("max").await, s.sign_in("sam").await, s.sign_in("tess").await);
    let check = async |moved: &[(usize, Option<&str>)]| {
        for q in ["paged", "paged 1"] {
            let who: [(&str, &String, Option<&[&str]>); 3] =
                [("max", &max, None), ("sam", &sam, Some(&["sam"])), ("tess", &tess, Some(&["tess", "lea"]))];
            for (name, token, owners) in who {
                let want = expected(owners, q, moved);
                let (found, _) = all_pages(&s, token, q, 200).await;
                assert_eq!(found.len(), want.len(), "{name} {q:?} {moved:?}");
                assert_eq!(found, want, "{name} {q:?} {moved:?}");
            }
        }
    };
    check(&[]).await;
    // Lea's to sam, tess's to nobody, nobody's to tess.
    let moved: [(usize, Option<&str>); 3] = [(42, Some("sam")), (1, None), (3, Some("tess"))];
    for (i, to) in moved {
        let (status, body) = s.put(&max, &format!("/contacts/k-paged-{i:02}/assignee"), json!({"assignee": to})).await;
        assert_eq!(status, 200, "{body}");
    }
    check(&moved).await;
}

#[tokio::test]
async fn restricted_agents_find_only_the_contacts_they_may_see() {
    let s = start_with_people(12).await;
    let set = |v: Vec<String>| v.into_iter().collect::<BTreeSet<_>>();
    let paged = |owners: &[&str]| -> BTreeSet<String> {
        let by = [Some("sam"), Some("tess"), Some("lea"), None];
        (0..12).filter(|i| by[i % 4].is_some_and(|o| owners.contains(&o))).map(|i| format!("k-paged-{i:02}")).collect()
    };
    // sam (self only): his own contacts, whatever the query matches besides.
    let sam = s.sign_in("sam").await;
    let mut own = paged(&["sam"]);
    assert_eq!(set(all_pages(&s, &sam, "paged", 2).await.0), own);
    assert_eq!(ids(&s, &sam, "mar").await, ["k-marc"], "not Zoé Martin (unassigned) nor the blocked Marta");
    assert_eq!(ids(&s, &sam, "vip").await, Vec::<String>::new());
    own.extend(["k-marc".to_owned(), "k-sam".to_owned()]);
    assert_eq!(set(all_pages(&s, &sam, "", 3).await.0), own);
    // The fixture's contacts all share one phone number: sam finds only his own by it.
    assert_eq!(ids(&s, &sam, "+33 6 00 00 00 00").await, ["k-sam"]);

    // tess (team Sales = aaron, lea, tess): the team's contacts, not Support's or nobody's.
    let tess = s.sign_in("tess").await;
    let mut team = paged(&["tess", "lea"]);
    assert_eq!(set(all_pages(&s, &tess, "paged", 4).await.0), team);
    team.extend(["k-aaron", "k-lea", "k-closed", "k-lea-m"].map(String::from));
    assert_eq!(set(all_pages(&s, &tess, "", 4).await.0), team);
    assert_eq!(ids(&s, &tess, "marta").await, Vec::<String>::new(), "blocked: needs view_blocked");

    // An unrestricted agent sees everyone but the blocked; the holder of view_blocked too.
    let lea = s.sign_in("lea").await;
    assert_eq!(ids(&s, &lea, "mar").await, ["k-marc", "k-zoe"]);
    assert_eq!(all_pages(&s, &lea, "", 50).await.0.len(), 9 + 3 + 12);
    let max = s.sign_in("max").await;
    let (status, _) = s.put(&max, "/contacts/k-blocked/blocked", json!({"blocked": true})).await;
    assert_eq!(status, 403, "max lacks view_blocked");
    assert_eq!(ids(&s, &max, "marta").await, Vec::<String>::new());
}

#[tokio::test]
async fn blocked_contacts_are_found_by_holders_of_view_blocked_only() {
    let s = start_with(|f| {
        f["users"][1]["permissions"] = json!(["view_blocked"]);
        f["contacts"].as_array_mut().unwrap().push(
            json!({"id": "k-blocked", "name": "Marta Blocked", "assignee": "aaron", "blocked": true, "channels": ["wa"]}),
        );
    })
    .await;
    let aaron = s.sign_in("aaron").await;
    assert_eq!(ids(&s, &aaron, "marta").await, ["k-blocked"]);
    let nina = s.sign_in("nina").await;
    assert_eq!(ids(&s, &nina, "marta").await, Vec::<String>::new());
}

#[tokio::test]
async fn a_contacts_conversations_past_and_current_with_the_closing_reason() {
    let s = start_with_people(0).await;
    let aaron = s.sign_in("aaron").await;
    let close = json!({"action": "close", "note": "refund sent", "reason": "Resolved"});
    let (status, _) = s.post(&aaron, "/conversations/c-aaron/lifecycle", close).await;
    assert_eq!(status, 200);
    // The contact writes again: a new conversation opens beside the closed one.
    s.inbound("k-aaron", "one more thing").await;
    let (status, list) = s.get(&aaron, "/contacts/k-aaron/conversations").await;
    assert_eq!(status, 200, "{list}");
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    let (current, past) = (&list[0], &list[1]);
    assert_eq!(past["conversation"]["id"], "c-aaron");
    assert_eq!(past["conversation"]["status"], "closed");
    assert_eq!(past["closing_reason"], "Resolved");
    assert_eq!(past["conversation"]["channel"]["name"], "WhatsApp");
    assert_eq!(past["conversation"]["last_message"]["text"], "hello from k-aaron");
    assert_eq!(current["conversation"]["status"], "new");
    assert_eq!(current["closing_reason"], Value::Null);
    assert_eq!(current["conversation"]["last_message"]["text"], "one more thing");
    assert_ne!(current["conversation"]["id"], "c-aaron");

    // Closed in the fixture, without a reason.
    let (_, list) = s.get(&aaron, "/contacts/k-closed/conversations").await;
    assert_eq!(list[0]["conversation"]["status"], "closed");
    assert_eq!(list[0]["closing_reason"], Value::Null);

    // A closed conversation opens from a direct link, with its thread.
    let (status, detail) = s.get(&aaron, "/conversations/c-aaron").await;
    assert_eq!((status, &detail["conversation"]["status"]), (200, &json!("closed")));

    // A contact the caller may not see: not found, like any other contact route.
    let sam = s.sign_in("sam").await;
    let (status, body) = s.get(&sam, "/contacts/k-aaron/conversations").await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = s.get(&sam, "/contacts/k-nobody/conversations").await;
    assert_eq!(status, 404);
    let (status, list) = s.get(&sam, "/contacts/k-sam/conversations").await;
    assert_eq!((status, list.as_array().map(Vec::len)), (200, Some(1)));
}
