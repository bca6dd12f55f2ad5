//! Issue 12, the server's side of deploying anywhere: the app served from another origin
//! (CORS on the API, the WebSocket's origin check) and the app's inline script allowed by
//! its hash in the CSP.

mod common;

use common::{TestServer, start, start_tuned};
use futures_util::SinkExt;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};

const CDN: &str = "https://cdn.example.com";

async fn with_origins(origins: &[&str]) -> TestServer {
    let origins: Vec<String> = origins.iter().map(|o| o.to_string()).collect();
    start_tuned(move |c| c.allow_origins = origins, |_| {}).await
}

async fn preflight(s: &TestServer, origin: &str, path: &str) -> reqwest::Response {
    s.http
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
    let state = parley_server::open(&parley_server::Config::new(dir.path().join("db.sqlite3"))).unwrap();
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
        .args(["--db", dir.path().join("db.sqlite3").to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn bad_origins_stop_the_server_at_start() {
    let cases: [(&[&str], &str); 3] = [
        (&["--allow-origin", "https://cdn.example.com/"], "no path"),
        (&["--allow-origin", CDN, "--allow-origin", "cdn.example.com"], "no scheme"),
        (&["--allow-origin", "*"], "not an origin"),
    ];
    for (args, words) in cases {
        let (code, err) = refused_start(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(words), "{args:?}: {err}");
    }
}
