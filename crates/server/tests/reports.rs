//! Team reports (issue 15, item 4) through the real API: a data set played on the test
//! clock (openings, replies, closes, a reopen, across local midnight at +02:00), then each
//! figure of `GET /reports` checked against what this test computes on its own from the
//! times the server recorded (messages and audit trail); permissions, bad parameters, CSV.

mod common;

use common::{TestServer, start_with};
use serde_json::{Value, json};

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;
/// Local time is UTC+2 in this test.
const OFFSET: i64 = 2 * HOUR;
/// 2026-03-10 00:00 UTC, as days since 1970.
const D1: i64 = 20_522;
/// The fixture's SLA first-response target (the default, 15 minutes).
const TARGET: i64 = 15 * MIN;

/// The test fixture without its conversations: only what this test plays counts.
async fn server() -> TestServer {
    start_with(|f| f["conversations"] = json!([])).await
}

/// Moves the server clock to local `day` (0 = 2026-03-10) at `hh:mm`, +02:00.
async fn at(s: &TestServer, real: i64, day: i64, hh: i64, mm: i64) {
    let target = (D1 + day) * DAY + hh * HOUR + mm * MIN - OFFSET;
    s.set_clock(target - real).await;
}

async fn inbound(s: &TestServer, contact: &str, channel: &str) -> String {
    let (status, body) =
        s.post("", "/simulator/inbound", json!({"contact": contact, "channel": channel, "text": "hello"})).await;
    assert_eq!(status, 201, "{body}");
    body["conversation"].as_str().unwrap().to_owned()
}

async fn reply(s: &TestServer, token: &str, conversation: &str) {
    let path = format!("/conversations/{conversation}/messages");
    let (status, body) = s.post(token, &path, json!({"client_id": format!("r{}", rand_id()), "text": "on it"})).await;
    assert_eq!(status, 201, "{body}");
}

fn rand_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

async fn lifecycle(s: &TestServer, token: &str, conversation: &str, action: &str) {
    let body = if action == "close" {
        json!({"action": "close", "note": null, "reason": null})
    } else {
        json!({"action": action})
    };
    let (status, answer) = s.post(token, &format!("/conversations/{conversation}/lifecycle"), body).await;
    assert_eq!(status, 200, "{answer}");
}

/// What the test knows of a conversation, read back from the API.
#[derive(Debug)]
struct Facts {
    agent: &'static str,
    team: &'static str,
    channel: &'static str,
    opened: i64,
    first_in: i64,
    first_reply: Option<i64>,
    /// The last close, if closed now.
    closed: Option<i64>,
}

async fn facts(
    s: &TestServer,
    owner: &str,
    id: &str,
    agent: &'static str,
    team: &'static str,
    channel: &'static str,
) -> Facts {
    let (status, d) = s.get(owner, &format!("/conversations/{id}")).await;
    assert_eq!(status, 200, "{d}");
    let messages = d["messages"]["items"].as_array().unwrap();
    let times = |dir: &str| -> Vec<i64> {
        messages.iter().filter(|m| m["direction"] == dir).map(|m| m["at"].as_i64().unwrap()).collect()
    };
    let first_in = *times("incoming").iter().min().unwrap();
    let first_reply = times("outgoing").into_iter().filter(|&t| t >= first_in).min();
    let closed = (d["conversation"]["status"] == "closed").then(|| {
        d["activities"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["kind"] == "closed")
            .map(|a| a["at"].as_i64().unwrap())
            .max()
            .unwrap()
    });
    // Every conversation here was opened by its contact's message.
    Facts { agent, team, channel, opened: first_in, first_in, first_reply, closed }
}

fn lower_median(mut v: Vec<i64>) -> Value {
    v.sort();
    if v.is_empty() { Value::Null } else { json!(v[(v.len() - 1) / 2]) }
}

/// The figures of `scope` over local days `from..=to` (0 = 2026-03-10), computed here.
fn expected(all: &[&Facts], from: i64, to: i64, now: i64) -> Value {
    let (start, end) = ((D1 + from) * DAY - OFFSET, (D1 + to + 1) * DAY - OFFSET);
    let inside = |t: i64| (start..end).contains(&t);
    let breach = |f: &&&Facts| {
        let due = f.first_in + TARGET;
        inside(due) && due < now && f.first_reply.map_or(f.closed.is_none_or(|c| c > due), |r| r > due)
    };
    json!({
        "opened": all.iter().filter(|f| inside(f.opened)).count(),
        "closed": all.iter().filter(|f| f.closed.is_some_and(inside)).count(),
        "median_first_response_ms": lower_median(all.iter().filter_map(|f| f.first_reply.filter(|&r| inside(r)).map(|r| r - f.first_in)).collect()),
        "median_resolution_ms": lower_median(all.iter().filter_map(|f| f.closed.filter(|&c| inside(c)).map(|c| c - f.opened)).collect()),
        "sla_breaches": all.iter().filter(breach).count(),
        "open_now": all.iter().filter(|f| f.closed.is_none()).count(),
    })
}

fn row<'a>(report: &'a Value, list: &str, id: Option<&str>) -> &'a Value {
    report[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"].as_str() == id)
        .unwrap_or_else(|| panic!("{list} {id:?}: {report}"))
}

#[tokio::test]
async fn figures_equal_what_the_seeded_data_set_gives() {
    let s = server().await;
    let real = s.set_clock(0).await;
    let (owner, aaron, lea, sam, nina) = (
        s.sign_in("max").await,
        s.sign_in("aaron").await,
        s.sign_in("lea").await,
        s.sign_in("sam").await,
        s.sign_in("nina").await,
    );

    // The day before the period, 23:00: Sam's contact writes; Sam answers the next day.
    at(&s, real, -1, 23, 0).await;
    let c_sam = inbound(&s, "k-sam", "wa").await;
    // 00:30 local on day 0 is 22:30 UTC the day before: local days count it on day 0.
    at(&s, real, 0, 0, 30).await;
    let c_aaron = inbound(&s, "k-aaron", "wa").await;
    at(&s, real, 0, 0, 40).await;
    reply(&s, &aaron, &c_aaron).await;
    at(&s, real, 0, 9, 0).await;
    let c_lea = inbound(&s, "k-lea", "mail").await;
    at(&s, real, 0, 10, 0).await;
    reply(&s, &lea, &c_lea).await; // an hour: a breach
    at(&s, real, 0, 11, 0).await;
    lifecycle(&s, &aaron, &c_aaron, "close").await;
    at(&s, real, 0, 12, 0).await;
    let c_none = inbound(&s, "k-none", "wa").await; // never answered: a breach
    at(&s, real, 0, 20, 0).await;
    reply(&s, &sam, &c_sam).await; // 21 hours: a breach, but before the period
    at(&s, real, 1, 9, 0).await;
    lifecycle(&s, &lea, &c_lea, "close").await;
    at(&s, real, 1, 10, 0).await;
    lifecycle(&s, &lea, &c_lea, "reopen").await;
    at(&s, real, 2, 14, 0).await;
    lifecycle(&s, &lea, &c_lea, "close").await; // the close that counts
    at(&s, real, 2, 15, 0).await;
    let c_nina = inbound(&s, "k-nina", "wa").await;
    at(&s, real, 2, 15, 5).await;
    reply(&s, &nina, &c_nina).await;
    at(&s, real, 3, 10, 0).await;
    lifecycle(&s, &sam, &c_sam, "close").await; // after the period
    at(&s, real, 3, 10, 1).await;
    let now = s.set_clock((D1 + 3) * DAY + 10 * HOUR + MIN - OFFSET - real).await;

    // Aaron's first team is Sales (side-panel order); Nina and Sam are in Support.
    let all = [
        facts(&s, &owner, &c_sam, "sam", "support", "wa").await,
        facts(&s, &owner, &c_aaron, "aaron", "sales", "wa").await,
        facts(&s, &owner, &c_lea, "lea", "sales", "mail").await,
        facts(&s, &owner, &c_none, "", "", "wa").await,
        facts(&s, &owner, &c_nina, "nina", "support", "wa").await,
    ];
    // The data set does what it was meant to: two breaches in the period, the reopened
    // conversation's last close on day 2.
    assert!(all[2].closed.unwrap() > (D1 + 2) * DAY);

    let (status, report) = s.get(&owner, "/reports?from=2026-03-10&to=2026-03-12&tz=%2B02:00").await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (&report["from"], &report["to"], &report["tz"]),
        (&json!("2026-03-10"), &json!("2026-03-12"), &json!("+02:00"))
    );
    let refs: Vec<&Facts> = all.iter().collect();
    assert_eq!(report["totals"], expected(&refs, 0, 2, now), "totals");
    assert_eq!(report["totals"]["sla_breaches"], 2);
    assert_eq!(report["totals"]["opened"], 4);

    // Per local day.
    let days: Vec<Value> = (0..3)
        .map(|d| {
            let e = expected(&refs, d, d, now);
            json!({"date": format!("2026-03-{}", 10 + d), "opened": e["opened"], "closed": e["closed"]})
        })
        .collect();
    assert_eq!(report["days"], json!(days));
    assert_eq!(report["days"][0]["opened"], 3, "00:30 local is day 0");

    // Per agent, team and channel.
    for (list, key, ids) in [
        (
            "agents",
            (|f: &Facts| f.agent) as fn(&Facts) -> &'static str,
            vec!["aaron", "lea", "nina", "sam", "tess", "max", ""],
        ),
        ("teams", |f: &Facts| f.team, vec!["sales", "support", ""]),
        ("channels", |f: &Facts| f.channel, vec!["wa", "mail"]),
    ] {
        for id in ids {
            let mine: Vec<&Facts> = all.iter().filter(|f| key(f) == id).collect();
            let got = row(&report, list, (!id.is_empty()).then_some(id));
            assert_eq!(got["figures"], expected(&mine, 0, 2, now), "{list} {id:?}");
        }
    }
    assert_eq!(row(&report, "agents", None)["name"], "Unassigned");

    // Open now per side-panel inbox: as the inbox counts say.
    let counts = s.counts(&owner).await;
    let inboxes: Vec<(String, u64)> = report["inboxes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["inbox"].as_str().unwrap().to_owned(), i["open"].as_u64().unwrap()))
        .collect();
    assert_eq!(inboxes, counts.iter().map(|(id, open, _)| (id.clone(), *open)).collect::<Vec<_>>());
    assert!(inboxes.contains(&("all".into(), 2)), "{inboxes:?}");

    // In UTC the 00:30 opening falls on the day before the period.
    let (_, utc) = s.get(&owner, "/reports?from=2026-03-10&to=2026-03-12").await;
    assert_eq!(utc["tz"], "+00:00");
    assert_eq!(utc["days"][0]["opened"], 2);

    // The CSV: the same figures, as an attachment.
    let res = s
        .http
        .get(format!("{}/reports.csv?from=2026-03-10&to=2026-03-12&tz=%2B02:00", s.base))
        .bearer_auth(&owner)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let header = |n: &str| res.headers()[n].to_str().unwrap().to_owned();
    assert!(header("content-type").starts_with("text/csv"));
    assert_eq!(header("content-disposition"), "attachment; filename=\"parley-report-2026-03-10-2026-03-12.csv\"");
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "scope,id,name,opened,closed,median_first_response_seconds,median_resolution_seconds,sla_breaches,open_now"
    );
    let secs = |v: &Value| v.as_i64().map(|ms| (ms / 1000).to_string()).unwrap_or_default();
    let csv = |scope: &str, id: &str, name: &str, f: &Value| {
        format!(
            "{scope},{id},{name},{},{},{},{},{},{}",
            f["opened"],
            f["closed"],
            secs(&f["median_first_response_ms"]),
            secs(&f["median_resolution_ms"]),
            f["sla_breaches"],
            f["open_now"]
        )
    };
    assert_eq!(lines[1], csv("total", "", "2026-03-10 to 2026-03-12 (+02:00)", &report["totals"]));
    for (i, d) in days.iter().enumerate() {
        assert_eq!(
            lines[2 + i],
            format!(
                "day,{},{},{},{},,,,",
                d["date"].as_str().unwrap(),
                d["date"].as_str().unwrap(),
                d["opened"],
                d["closed"]
            )
        );
    }
    let mail = row(&report, "channels", Some("mail"));
    assert!(lines.contains(&csv("channel", "mail", "Mail", &mail["figures"]).as_str()), "{text}");
    assert_eq!(mail["figures"]["median_first_response_ms"].as_i64().unwrap() / 1000, 3600, "an hour, to the second");
    let unassigned = row(&report, "agents", None);
    assert!(lines.contains(&csv("agent", "", "Unassigned", &unassigned["figures"]).as_str()), "{text}");
    assert!(lines.iter().any(|l| l.starts_with("inbox,all,All,,,,,,2")), "{text}");
    assert_eq!(lines.last(), Some(&""), "CRLF after the last line");
}

#[tokio::test]
async fn only_owners_and_managers_see_reports() {
    let s = server().await;
    let q = "?from=2026-03-10&to=2026-03-12";
    for (user, want) in [("max", 200), ("aaron", 403), ("tess", 403)] {
        let token = s.sign_in(user).await;
        let (status, body) = s.get(&token, &format!("/reports{q}")).await;
        assert_eq!(status, want, "{user}: {body}");
        let (status, _) = s.get(&token, &format!("/reports.csv{q}")).await;
        assert_eq!(status, want, "{user} csv");
    }
    assert_eq!(s.get("nonsense", &format!("/reports{q}")).await.0, 401);
}

#[tokio::test]
async fn bad_parameters_are_named() {
    let s = server().await;
    let max = s.sign_in("max").await;
    for (query, param) in [
        ("to=2026-03-12", "from"),
        ("from=2026-03-10", "to"),
        ("from=10/03/2026&to=2026-03-12", "from"),
        ("from=2026-03-10&to=2026-02-30", "to"),
        ("from=2026-03-12&to=2026-03-10", "to"),
        ("from=2025-01-01&to=2026-03-10", "to"),
        ("from=2026-03-10&to=2026-03-12&tz=Europe/Paris", "tz"),
        ("from=2026-03-10&to=2026-03-12&tz=%2B15:00", "tz"),
    ] {
        for path in ["/reports", "/reports.csv"] {
            let (status, body) = s.get(&max, &format!("{path}?{query}")).await;
            assert_eq!(status, 400, "{path}?{query}: {body}");
            assert_eq!(body["error"]["code"], "bad_request");
            let message = body["error"]["message"].as_str().unwrap();
            assert!(message.starts_with(&format!("{param}:")), "{query}: {message}");
        }
    }
    let (status, body) = s.get(&max, "/reports?from=2026-03-10&to=2026-03-12&colour=red").await;
    assert_eq!(status, 400, "{body}");
    // The longest period is accepted, every day listed.
    let (status, body) = s.get(&max, "/reports?from=2024-01-01&to=2024-12-31").await;
    assert_eq!((status, body["days"].as_array().unwrap().len()), (200, 366));
}
