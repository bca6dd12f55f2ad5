//! Issue 12, the server's side of deploying anywhere: the app served from another origin
//! (CORS on the API, the WebSocket's origin check), single sign-on for a portal that
//! embeds it, and the app's inline script allowed by its hash in the CSP.

mod common;

use std::time::Duration;

use common::{TestServer, start, start_tuned};
use futures_util::SinkExt;
use hmac::{Hmac, Mac};
use parley_server::throttle::Limit;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};

const CDN: &str = "https://cdn.example.com";
const SECRET: &[u8] = b"the portal's shared secret";

async fn with_origins(origins: &[&str]) -> TestServer {
    let origins: Vec<String> = origins.iter().map(|o| o.to_string()).collect();
    start_tuned(move |c| c.allow_origins = origins, |_| {}).await
}

async fn preflight(s: &TestServer, origin: &str, path: &str) -> reqwest::Response {
    // A raw client: preflights are the CORS layer's, not operations of the API document.
    reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, format!("{}{path}", s.base))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization,content-type")
        .send()
        .await
        .unwrap()
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).map(|v| v.to_str().unwrap())
}

/// The comma-separated names of a header, lowercase.
fn names(h: &HeaderMap, name: &str) -> Vec<String> {
    header(h, name).unwrap_or_default().split(',').map(|n| n.trim().to_ascii_lowercase()).collect()
}

#[tokio::test]
async fn an_allowed_origin_gets_cors_answers_and_no_other_does() {
    let s = with_origins(&[CDN, "http://localhost:8081"]).await;
    for origin in [CDN, "http://localhost:8081"] {
        let res = preflight(&s, origin, "/conversations/c-aaron/messages").await;
        assert!(res.status().is_success(), "{origin}: {}", res.status());
        let h = res.headers();
        assert_eq!(header(h, "access-control-allow-origin"), Some(origin));
        let headers = names(h, "access-control-allow-headers");
        assert!(headers.contains(&"authorization".into()) && headers.contains(&"content-type".into()), "{h:?}");
        let methods = names(h, "access-control-allow-methods");
        for m in ["get", "post", "put", "patch", "delete"] {
            assert!(methods.contains(&m.into()), "{m} not allowed: {h:?}");
        }
        assert!(header(h, "access-control-allow-credentials").is_none(), "bearer tokens, not cookies");
    }
    // Real answers, errors included, are readable from the allowed origin, with the
    // headers the app reads exposed.
    let aaron = s.sign_in("aaron").await;
    for token in [aaron.as_str(), "forged"] {
        let res = s.http.get(format!("{}/me", s.base)).bearer_auth(token).header("origin", CDN).send().await.unwrap();
        let h = res.headers();
        assert_eq!(header(h, "access-control-allow-origin"), Some(CDN), "{}", res.status());
        let exposed = names(h, "access-control-expose-headers");
        assert!(exposed.contains(&"retry-after".into()), "{h:?}");
        assert!(exposed.contains(&"content-disposition".into()), "{h:?}");
        assert!(names(h, "vary").contains(&"origin".into()), "caches must key on the origin: {h:?}");
    }
    // Any other origin, even a near miss, gets nothing it could use.
    for origin in ["https://evil.example.com", "https://cdn.example.com:8443", "http://cdn.example.com", "null"] {
        let res = preflight(&s, origin, "/session").await;
        assert!(header(res.headers(), "access-control-allow-origin").is_none(), "{origin}: {:?}", res.headers());
        let res = s.http.get(format!("{}/health", s.base)).header("origin", origin).send().await.unwrap();
        assert!(header(res.headers(), "access-control-allow-origin").is_none(), "{origin}");
    }
}

#[tokio::test]
async fn without_allowed_origins_there_is_no_cors_at_all() {
    let s = start().await;
    let res = preflight(&s, CDN, "/session").await;
    assert!(!res.headers().keys().any(|k| k.as_str().starts_with("access-control-")), "{:?}", res.headers());
    let res = s.http.get(format!("{}/health", s.base)).header("origin", CDN).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(!res.headers().keys().any(|k| k.as_str().starts_with("access-control-")), "{:?}", res.headers());
}

/// Opens the WebSocket with `origin` (none when `None`): the upgrade's status, and the
/// error body of a refusal.
async fn upgrade(s: &TestServer, origin: Option<&str>) -> (u16, Option<Value>) {
    let mut request = s.ws.as_str().into_client_request().unwrap();
    if let Some(origin) = origin {
        request.headers_mut().insert("origin", origin.parse().unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((mut ws, response)) => {
            let _ = ws.close(None).await;
            (response.status().as_u16(), None)
        }
        Err(tungstenite::Error::Http(response)) => {
            let body = response.body().as_ref().map(|b| serde_json::from_slice(b).unwrap());
            (response.status().as_u16(), body)
        }
        Err(e) => panic!("{origin:?}: {e}"),
    }
}

#[tokio::test]
async fn the_socket_accepts_its_own_origin_and_allowed_ones_only() {
    let s = with_origins(&[CDN]).await;
    let own = s.ws.replace("ws://", "http://").replace("/api/v1/ws", "");
    for origin in [None, Some(own.as_str()), Some(CDN)] {
        assert_eq!(upgrade(&s, origin).await, (101, None), "{origin:?}");
    }
    for origin in ["https://evil.example.com", "http://localhost:1", &own.replace("http://", "https://x."), "null"] {
        let (status, body) = upgrade(&s, Some(origin)).await;
        assert_eq!(status, 403, "{origin}");
        let body = body.unwrap_or_default();
        assert_eq!(body["error"]["code"], "forbidden", "{origin}: {body}");
    }
    // An accepted socket is a working one.
    let lea = s.sign_in("lea").await;
    let mut request = s.ws.as_str().into_client_request().unwrap();
    request.headers_mut().insert("origin", CDN.parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let hello = json!({"type": "hello", "token": lea, "since": null});
    ws.send(Message::Text(hello.to_string().into())).await.unwrap();
    let first = futures_util::StreamExt::next(&mut ws).await.unwrap().unwrap();
    assert!(first.to_text().unwrap().contains("\"welcome\""), "{first:?}");
}

#[tokio::test]
async fn without_allowed_origins_the_socket_still_takes_its_own_origin() {
    let s = start().await;
    let own = s.ws.replace("ws://", "http://").replace("/api/v1/ws", "");
    assert_eq!(upgrade(&s, Some(&own)).await.0, 101);
    assert_eq!(upgrade(&s, Some(CDN)).await.0, 403);
}

/// The portal backend's signature: lowercase hex HMAC-SHA256 of `email\nexpires`.
fn sign(secret: &[u8], email: &str, expires: i64) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
    mac.update(format!("{email}\n{expires}").as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

async fn with_sso(per_address: Limit) -> TestServer {
    start_tuned(
        move |c| {
            c.sso_secret = Some(parley_server::sso::Secret::from_bytes(SECRET));
            c.sso_per_address = per_address;
        },
        |_| {},
    )
    .await
}

async fn sso(s: &TestServer, body: Value) -> (u16, Value) {
    s.post("", "/session/sso", body).await
}

fn signed(secret: &[u8], email: &str, expires: i64) -> Value {
    json!({"email": email, "expires": expires, "signature": sign(secret, email, expires)})
}

#[tokio::test]
async fn a_signed_request_signs_its_user_in_like_a_password() {
    let s = with_sso(parley_server::throttle::PER_ADDRESS).await;
    // The server's clock, not the machine's: with the server an hour behind, a minute
    // from real now is more than five minutes ahead, and a minute from the server's now
    // is long past by the machine's clock.
    let now = s.set_clock(-3_600_000).await;
    let real_now = now + 3_600_000;
    let (status, body) = sso(&s, signed(SECRET, "lea@test", real_now + 60_000)).await;
    assert_eq!(status, 401, "{body}");

    let (status, body) = sso(&s, signed(SECRET, "lea@test", now + 60_000)).await;
    assert_eq!(status, 201, "{body}");
    let token = body["token"].as_str().unwrap();
    let (status, me) = s.get(token, "/me").await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["user"]["id"], "lea");
    assert_eq!(s.get(token, "/inboxes").await.0, 200);
    // The same answer as a password sign-in's.
    let res = s
        .http
        .post(format!("{}/session", s.base))
        .json(&json!({"email": "lea@test", "password": "pw"}))
        .send()
        .await
        .unwrap();
    let by_password: Value = res.json().await.unwrap();
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&body), keys(&by_password));
    assert_eq!(body["me"], by_password["me"]);
    assert_ne!(body["token"], by_password["token"]);
    // Just under five minutes ahead is good.
    assert_eq!(sso(&s, signed(SECRET, "nina@test", now + 5 * 60_000 - 1_000)).await.0, 201);
}

#[tokio::test]
async fn wrong_expired_early_or_unknown_requests_are_refused_alike() {
    let s = with_sso(parley_server::throttle::PER_ADDRESS).await;
    let now = s.set_clock(0).await;
    let soon = now + 60_000;
    let mut tampered = signed(SECRET, "lea@test", soon);
    tampered["email"] = json!("max@test");
    let mut truncated = signed(SECRET, "lea@test", soon);
    truncated["signature"] = json!(truncated["signature"].as_str().unwrap()[..62].to_owned());
    let cases = [
        ("another secret", signed(b"not the secret", "lea@test", soon)),
        ("another user's signature", tampered),
        ("a truncated signature", truncated),
        ("not hex", json!({"email": "lea@test", "expires": soon, "signature": "zz".repeat(32)})),
        ("expired", signed(SECRET, "lea@test", now - 1_000)),
        ("more than five minutes ahead", signed(SECRET, "lea@test", now + 5 * 60_000 + 60_000)),
        ("an unknown user", signed(SECRET, "ghost@test", soon)),
    ];
    let mut bodies = Vec::new();
    for (case, body) in cases {
        let (status, answer) = sso(&s, body).await;
        assert_eq!(status, 401, "{case}: {answer}");
        assert_eq!(answer["error"]["code"], "unauthorized", "{case}: {answer}");
        bodies.push(answer);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "the answer must not tell why: {bodies:?}");
}

#[tokio::test]
async fn a_malformed_request_is_a_bad_request() {
    let s = with_sso(parley_server::throttle::PER_ADDRESS).await;
    let soon = s.set_clock(0).await + 60_000;
    let good = signed(SECRET, "lea@test", soon);
    let mut extra = good.clone();
    extra["password"] = json!("pw");
    let cases = [
        json!({"email": "lea@test", "signature": good["signature"]}),
        json!({"email": "lea@test", "expires": soon.to_string(), "signature": good["signature"]}),
        json!({"email": "lea@test", "expires": soon as f64 + 0.5, "signature": good["signature"]}),
        json!({"email": "lea@test\n", "expires": soon, "signature": good["signature"]}),
        extra,
        json!([]),
    ];
    for body in cases {
        let (status, answer) = sso(&s, body.clone()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(answer["error"]["code"], "bad_request", "{body}: {answer}");
    }
    let res = s.http.post(format!("{}/session/sso", s.base)).body("{not json").send().await.unwrap();
    assert_eq!(res.status(), 415);
    let res = s
        .http
        .post(format!("{}/session/sso", s.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "bad_request");
}

#[tokio::test]
async fn failed_single_sign_ons_are_throttled_per_address() {
    let s = with_sso(Limit { burst: 3, every: Duration::from_secs(60) }).await;
    let soon = s.set_clock(0).await + 60_000;
    for _ in 0..3 {
        assert_eq!(sso(&s, signed(b"guess", "lea@test", soon)).await.0, 401);
    }
    let res =
        s.http.post(format!("{}/session/sso", s.base)).json(&signed(SECRET, "lea@test", soon)).send().await.unwrap();
    assert_eq!(res.status(), 429);
    let wait: u64 = header(res.headers(), "retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "too_many_requests");
    // Password sign-ins are counted apart.
    s.sign_in("lea").await;
}

#[tokio::test]
async fn without_a_secret_single_sign_on_does_not_exist() {
    let s = start().await;
    let (status, body) = sso(&s, signed(SECRET, "lea@test", 4_000_000_000_000)).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"]["code"], "not_found");
}

/// The `'sha256-…'` source of a script's text, as CSP writes it.
fn source_of(script: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script)))
}

/// The app's CSP for a `dist/` whose index.html is `html`.
async fn app_csp(html: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("dist");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("index.html"), html).unwrap();
    let state = parley_server::open(&parley_server::Config::new(common::db_in(dir.path()))).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move { parley_server::serve(listener, state, Some(&site)).await.unwrap() });
    let mut policies = Vec::new();
    for path in ["/", "/inbox/mine", "/index.html"] {
        let res = reqwest::get(format!("{base}{path}")).await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        policies.push(header(res.headers(), "content-security-policy").unwrap().to_owned());
    }
    task.abort();
    assert!(policies.windows(2).all(|w| w[0] == w[1]), "{policies:?}");
    policies.remove(0)
}

fn script_src(csp: &str) -> Vec<String> {
    let directive = csp.split(';').map(str::trim).find(|d| d.starts_with("script-src ")).expect("a script-src");
    directive.split_whitespace().skip(1).map(str::to_owned).collect()
}

#[tokio::test]
async fn the_inline_scripts_of_index_html_are_allowed_by_their_hashes_only() {
    let base = "\n      document.head.prepend(Object.assign(document.createElement('base'), {href: location.pathname.replace(/[^/]*$/, '')}));\n    ";
    let other = "window.parleyBoot = 1;";
    let html = format!(
        "<!doctype html>\n<html>\n  <head>\n    <meta charset=\"utf-8\" />\n    <script>{base}</script>\n    \
         <script src=\"boot.js\"></script>\n  </head>\n  <body><script type=\"module\">{other}</script></body>\n</html>\n"
    );
    let csp = app_csp(&html).await;
    assert_eq!(script_src(&csp), ["'self'", "'wasm-unsafe-eval'", &source_of(base), &source_of(other)], "{csp}");
    // Without inline scripts nothing is added.
    let csp = app_csp("<html><head><script src=\"boot.js\"></script></head></html>").await;
    assert_eq!(script_src(&csp), ["'self'", "'wasm-unsafe-eval'"], "{csp}");
}

/// `parley-server` with `args`, expected to refuse to start: its exit code and stderr.
fn refused_start(args: &[&str]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_parley-server"))
        .args(["--db", common::db_in(dir.path()).to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn bad_origins_and_unusable_secrets_stop_the_server_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "\n").unwrap();
    let missing = dir.path().join("missing");
    let cases: [(&[&str], &str); 5] = [
        (&["--allow-origin", "https://cdn.example.com/"], "no path"),
        (&["--allow-origin", CDN, "--allow-origin", "cdn.example.com"], "no scheme"),
        (&["--allow-origin", "*"], "not an origin"),
        (&["--sso-secret-file", empty.to_str().unwrap()], "empty"),
        (&["--sso-secret-file", missing.to_str().unwrap()], "cannot read"),
    ];
    for (args, words) in cases {
        let (code, err) = refused_start(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(words), "{args:?}: {err}");
    }
}
