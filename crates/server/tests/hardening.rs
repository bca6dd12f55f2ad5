//! Issue 10's findings, each as the attack or accident that found it: sign-in guessing,
//! attachments that run script, sessions that outlive sign-out, blocked contacts read by
//! id, missing security headers, sloppy input, slow clients and panicking handlers.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{TestServer, sql_i64, start, start_tuned, start_with, start_with_tuning};
use parley_domain::wire::{ErrorCode, ServerFrame};
use parley_server::throttle::Limit;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn sign_in_as(s: &TestServer, email: &str, password: &str) -> reqwest::Response {
    s.http
        .post(format!("{}/session", s.base))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

fn limits(account: u32, address: u32) -> impl FnOnce(&mut parley_server::Config) {
    move |c| {
        c.sign_in_per_account = Limit { burst: account, every: Duration::from_secs(60) };
        c.sign_in_per_address = Limit { burst: address, every: Duration::from_secs(60) };
    }
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_account_then_per_address_with_retry_after() {
    let s = start_tuned(limits(3, 5), |_| {}).await;
    for _ in 0..3 {
        assert_eq!(sign_in_as(&s, "aaron@test", "wrong").await.status(), 401);
    }
    // The fourth attempt on the account is refused, even with the right password.
    let res = sign_in_as(&s, "aaron@test", "pw").await;
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_many_requests", "{body}");
    // Successes do not count: Lea signs in as often as she likes…
    for _ in 0..6 {
        assert_eq!(sign_in_as(&s, "lea@test", "pw").await.status(), 201);
    }
    // …but the address's fourth and fifth failures, on any account, run it out.
    assert_eq!(sign_in_as(&s, "lea@test", "wrong").await.status(), 401);
    assert_eq!(sign_in_as(&s, "nina@test", "wrong").await.status(), 401);
    assert_eq!(sign_in_as(&s, "nina@test", "pw").await.status(), 429);
}

#[tokio::test]
async fn an_unknown_email_is_throttled_and_hashed_like_a_known_one() {
    let hashes = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = hashes.clone();
    let s = start_tuned(limits(2, 50), move |state| {
        state.passwords = Arc::new(move |password: &str, hash: &str| {
            seen.lock().unwrap().push(hash.to_owned());
            parley_server::auth::verify_password(password, hash)
        });
    })
    .await;
    for email in ["ghost@test", "aaron@test"] {
        assert_eq!(sign_in_as(&s, email, "wrong").await.status(), 401, "{email}");
        assert_eq!(sign_in_as(&s, email, "wrong").await.status(), 401, "{email}");
        assert_eq!(sign_in_as(&s, email, "wrong").await.status(), 429, "{email}");
    }
    // Every attempt that got an answer cost one password check, the unknown email's
    // against a real argon2 hash.
    let hashes = hashes.lock().unwrap();
    assert_eq!(hashes.len(), 4);
    assert!(hashes.iter().all(|h| h.starts_with("$argon2")), "{hashes:?}");
}

async fn upload(s: &TestServer, token: &str, name: &str, bytes: &[u8], mime: &str) -> Value {
    let form = Form::new().part("file", Part::bytes(bytes.to_vec()).file_name(name.to_owned()).mime_str(mime).unwrap());
    let res = s
        .http
        .post(format!("{}/conversations/c-aaron/attachments", s.base))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

#[tokio::test]
async fn only_inert_attachments_are_served_inline_and_none_can_be_sniffed_or_run() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let cases = [
        ("page.html", "text/html", "application/octet-stream", "attachment"),
        ("logo.svg", "image/svg+xml", "application/octet-stream", "attachment"),
        ("notes.txt", "text/plain", "application/octet-stream", "attachment"),
        ("photo.png", "image/png", "image/png", "inline"),
        ("invoice.pdf", "application/pdf", "application/pdf", "inline"),
        ("voice.webm", "audio/webm;codecs=opus", "audio/webm", "inline"),
    ];
    for (name, declared, served, disposition) in cases {
        let att = upload(&s, &aaron, name, b"<script>alert(1)</script>", declared).await;
        // The upload keeps what the sender declared; only serving is made safe.
        assert_eq!(att["content_type"], declared);
        let res = s
            .http
            .get(format!("{}/attachments/{}", s.base, att["id"].as_str().unwrap()))
            .bearer_auth(&aaron)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let h = res.headers();
        assert_eq!(h["content-type"], served, "{name}");
        let cd = h["content-disposition"].to_str().unwrap();
        assert!(cd.starts_with(disposition) && cd.contains(name), "{name}: {cd}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{name}");
        assert_eq!(h["content-security-policy"], "sandbox", "{name}");
    }
}

#[tokio::test]
async fn signing_out_closes_the_sessions_sockets_within_a_second() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let other = s.sign_in("aaron").await;
    let mut ws = s.socket(&aaron, None).await;
    let mut kept = s.socket(&other, None).await;
    // Both start with their counts.
    assert!(matches!(ws.frame().await, Some(ServerFrame::Batch { .. })));
    assert!(matches!(kept.frame().await, Some(ServerFrame::Batch { .. })));
    assert_eq!(s.delete(&aaron, "/session").await.0, 204);
    match ws.frame_within(Duration::from_secs(1)).await {
        Some(ServerFrame::Error { error }) => assert_eq!(error.code, ErrorCode::Unauthorized),
        other => panic!("expected an unauthorized frame, got {other:?}"),
    }
    assert!(ws.frame_within(Duration::from_secs(1)).await.is_none(), "then the socket closes");
    // The same user's other session streams on.
    s.inbound("k-aaron", "still there?").await;
    assert!(matches!(kept.frame().await, Some(ServerFrame::Batch { .. })));
}

const DAY: i64 = 24 * 3_600_000;

#[tokio::test]
async fn an_idle_session_expires_and_its_socket_closes() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let mut ws = s.socket(&aaron, None).await;
    s.set_clock(31 * DAY).await;
    // The clock frame, then the end of the session.
    let mut frames = Vec::new();
    while let Some(f) = ws.frame_within(Duration::from_secs(1)).await {
        frames.push(f);
    }
    assert!(
        frames.iter().any(|f| matches!(f, ServerFrame::Error { error } if error.code == ErrorCode::Unauthorized)),
        "{frames:?}"
    );
    assert_eq!(s.get(&aaron, "/me").await.0, 401);
}

#[tokio::test]
async fn a_session_used_every_day_still_ends_after_ninety_days_and_ended_rows_are_purged() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let _lea = s.sign_in("lea").await;
    for day in (20..=80).step_by(20) {
        s.set_clock(day * DAY).await;
        assert_eq!(s.get(&aaron, "/me").await.0, 200, "day {day}: in use, so alive");
    }
    s.set_clock(91 * DAY).await;
    assert_eq!(s.get(&aaron, "/me").await.0, 401, "past the absolute lifetime");
    // A server starting 91 days on purges both (Lea's went idle) at its first tick.
    let s = s.restart(91 * DAY).await;
    let count = || sql_i64(s.dir.path(), "SELECT COUNT(*) FROM sessions");
    for _ in 0..50 {
        if count() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(count(), 0);
    drop(s);
}

/// Max holds `view_blocked`; everyone else is as in the common fixture.
fn with_view_blocked(f: &mut Value) {
    f["users"][0]["permissions"] = json!(["bulk_resolve", "view_blocked"]);
}

#[tokio::test]
async fn a_blocked_contact_and_its_conversations_are_hidden_without_view_blocked() {
    let s = start_with(with_view_blocked).await;
    let (lea, max) = (s.sign_in("lea").await, s.sign_in("max").await);
    let mut lea_ws = s.socket(&lea, None).await;
    let mut max_ws = s.socket(&max, None).await;
    assert_eq!(s.put(&max, "/contacts/k-none/blocked", json!({"blocked": true})).await.0, 200);
    // The blocking itself reaches Lea, whose list drops the conversation…
    let (blocking, _) = lea_ws.drain().await;
    assert!(blocking.iter().any(|(_, c)| c == "c-none"), "{blocking:?}");
    let blocked_at = blocking.iter().map(|(seq, _)| *seq).max().unwrap();
    let _ = max_ws.drain().await;
    // …and from then on nothing about the contact does.
    s.inbound("k-none", "are you ignoring me?").await;
    let (max_events, _) = max_ws.drain().await;
    assert!(max_events.iter().any(|(_, c)| c == "c-none"), "{max_events:?}");
    let (lea_events, _) = lea_ws.drain().await;
    assert!(lea_events.is_empty(), "{lea_events:?}");
    for path in
        ["/contacts/k-none", "/conversations/c-none", "/conversations/c-none/messages", "/contacts/k-none/activities"]
    {
        assert_eq!(s.get(&lea, path).await.0, 404, "{path}");
        assert_eq!(s.get(&max, path).await.0, 200, "{path}");
    }
    let (status, _) =
        s.post(&lea, "/conversations/c-none/messages", json!({"client_id": "x1", "text": "hello?"})).await;
    assert_eq!(status, 404);
    // Replaying the log from the start shows Lea the blocking, and nothing after it.
    let (replayed, _) = s.socket(&lea, Some(0)).await.drain().await;
    assert!(replayed.iter().any(|(seq, c)| c == "c-none" && *seq <= blocked_at), "{replayed:?}");
    assert!(!replayed.iter().any(|(seq, c)| c == "c-none" && *seq > blocked_at), "{replayed:?}");
    let (max_replayed, _) = s.socket(&max, Some(0)).await.drain().await;
    assert!(max_replayed.iter().any(|(seq, c)| c == "c-none" && *seq > blocked_at), "{max_replayed:?}");
}

#[tokio::test]
async fn the_app_and_the_api_send_their_security_headers() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("dist");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("index.html"), "<html>the app</html>").unwrap();
    for (frame_ancestors, expected) in [
        (vec![], "frame-ancestors 'self'"),
        (vec!["https://portal.test".to_owned()], "frame-ancestors https://portal.test"),
    ] {
        let config = parley_server::Config {
            connect_src: vec!["https://api.test".into()],
            frame_ancestors,
            ..parley_server::Config::new(common::db_in(dir.path()))
        };
        let state = parley_server::open(&config).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let site = site.clone();
        let task = tokio::spawn(async move { parley_server::serve(listener, state, Some(&site)).await.unwrap() });
        let http = common::Http::default();
        for path in ["/", "/inbox/mine"] {
            let res = http.get(format!("{base}{path}")).send().await.unwrap();
            let h = res.headers();
            let csp = h["content-security-policy"].to_str().unwrap();
            for part in ["script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self' https://api.test", expected] {
                assert!(csp.contains(part), "{path}: {csp} lacks {part}");
            }
            assert!(!csp.contains("unsafe-eval'") || csp.contains("wasm-unsafe-eval"), "{csp}");
            assert_eq!(h["x-content-type-options"], "nosniff");
            assert_eq!(h["referrer-policy"], "no-referrer");
        }
        let res = http.get(format!("{base}/api/v1/health")).send().await.unwrap();
        assert_eq!(res.headers()["cache-control"], "no-store");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        task.abort();
    }
}

#[tokio::test]
async fn unknown_fields_are_refused_by_name() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let cases = [
        ("/conversations/c-aaron/messages", json!({"client_id": "u1", "text": "hi", "txet": "typo"}), "txet"),
        ("/conversations/c-aaron/notes", json!({"text": "n", "pinned": true}), "pinned"),
        (
            "/custom-inboxes",
            json!({"name": "VIP", "filter": {"tag": "vip", "colour": "red"}, "sharing": "private"}),
            "filter.colour",
        ),
    ];
    for (path, body, field) in cases {
        let (status, answer) = s.post(&aaron, path, body).await;
        assert_eq!(status, 400, "{path}: {answer}");
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.contains(&format!("`{field}`")), "{path}: {message}");
    }
    // Nothing was sent.
    let (_, page) = s.get(&aaron, "/conversations/c-aaron/messages").await;
    assert!(!page.to_string().contains("\"hi\""), "{page}");
}

#[tokio::test]
async fn control_characters_are_stripped_from_text_and_refused_in_names() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let body = json!({"client_id": "c1", "text": "pay\u{0} now\u{1b}[2J \u{202e}gpj.exe\nthanks"});
    let (status, message) = s.post(&aaron, "/conversations/c-aaron/messages", body).await;
    assert_eq!(status, 201, "{message}");
    assert_eq!(message["text"], "pay now[2J gpj.exe\nthanks");
    for (path, body) in [
        ("/contacts/k-aaron", json!({"name": "Léa\u{202e}nimda"})),
        ("/contacts/k-aaron", json!({"email": "a@b.test\u{0}"})),
        ("/contacts/k-aaron", json!({"tags": ["vip\u{1b}"]})),
    ] {
        let (status, answer) = s.patch(&aaron, path, body.clone()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(answer["error"]["message"].as_str().unwrap().contains("control character"), "{answer}");
    }
    let (_, contact) = s.get(&aaron, "/contacts/k-aaron").await;
    assert_eq!(contact["name"], "Contact k-aaron", "nothing was saved");
}

#[tokio::test]
async fn reasons_and_filter_texts_have_length_limits() {
    let s = start().await;
    let max = s.sign_in("max").await;
    let long = "x".repeat(2_001);
    let (status, answer) =
        s.post(&max, "/inboxes/all/bulk-resolve", json!({"older_than_days": 1, "reason": long})).await;
    assert_eq!(status, 400, "{answer}");
    let filter = json!({"name": "Long", "sharing": "private",
                        "filter": {"contact_field": {"field": "name", "contains": "y".repeat(201)}}});
    let (status, answer) = s.post(&max, "/custom-inboxes", filter).await;
    assert_eq!(status, 400, "{answer}");
}

#[tokio::test]
async fn every_error_has_the_json_body_even_outside_the_handlers() {
    let s = start().await;
    let aaron = s.sign_in("aaron").await;
    let http = &s.http;
    let cases = [
        (http.delete(format!("{}/health", s.base)), 405),
        (http.get(format!("{}/ws", s.base)), 400),
        (
            http.post(format!("{}/conversations/c-aaron/attachments", s.base))
                .bearer_auth(&aaron)
                .header("content-type", "text/plain")
                .body("not a form"),
            400,
        ),
        (
            http.post(format!("{}/conversations/c-aaron/attachments", s.base))
                .bearer_auth(&aaron)
                .header("content-type", "multipart/form-data; boundary=XYZ")
                .body("--XYZ\r\nbroken"),
            400,
        ),
        (http.post(format!("{}/session", s.base)).body("{\"email\":1}"), 415),
    ];
    for (request, status) in cases {
        let res = request.send().await.unwrap();
        let url = res.url().to_string();
        assert_eq!(res.status().as_u16(), status, "{url}");
        let body: Value = res.json().await.unwrap_or_else(|e| panic!("{url}: not JSON: {e}"));
        assert!(body["error"]["code"].is_string() && body["error"]["message"].is_string(), "{url}: {body}");
    }
}

#[tokio::test]
async fn slow_headers_lose_the_connection_and_a_stalled_body_gets_408() {
    let s = start_with_tuning(
        |_| {},
        |c| {
            c.timeouts.header = Duration::from_millis(500);
            c.timeouts.body_idle = Duration::from_millis(500);
        },
        |_| {},
    )
    .await;
    let addr = s.base.trim_start_matches("http://").trim_end_matches("/api/v1").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(3), slow.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the server hung up on headers that never ended");

    let mut stalled = tokio::net::TcpStream::connect(&addr).await.unwrap();
    stalled
        .write_all(
            b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\"",
        )
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(3), stalled.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
    // Meanwhile the server serves everyone else.
    assert_eq!(s.get("", "/health").await.0, 200);
}

#[tokio::test]
async fn a_panicking_handler_answers_500_and_the_server_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    let state = parley_server::open(&parley_server::Config::new(common::db_in(dir.path()))).unwrap();
    let boom = axum::Router::new().route(
        "/boom",
        axum::routing::get(|| async {
            if true {
                panic!("a bug");
            }
        }),
    );
    let app = parley_server::routes::router_with(state, None, boom);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api/v1", listener.local_addr().unwrap());
    let task =
        tokio::spawn(parley_server::listen::serve(listener, app, Duration::from_secs(5), std::future::pending()));
    // A plain client: `/boom` is a route of this test only, not of the document.
    let http = reqwest::Client::new();
    for _ in 0..3 {
        let res = http.get(format!("{base}/boom")).send().await.unwrap();
        assert_eq!(res.status(), 500);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "internal");
    }
    assert_eq!(http.get(format!("{base}/health")).send().await.unwrap().status(), 200);
    task.abort();
}
