//! The OpenAPI document: docs/openapi.json is what the server generates, it is served, and
//! it documents every route the router mounts. (That every answer the other tests receive
//! matches it is checked by their shared client, `common::openapi`.)

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request};
use parley_server::routes::openapi;
use serde_json::Value;
use tower::ServiceExt;

const REGENERATE: &str = "PARLEY_BLESS=1 cargo test -p parley-server --test openapi";

#[test]
fn the_copy_in_docs_is_what_the_server_generates() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    let generated = openapi::json();
    if std::env::var_os("PARLEY_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let kept = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        kept == generated,
        "docs/openapi.json is not what the server generates; regenerate it with\n    {REGENERATE}"
    );
}

#[tokio::test]
async fn the_document_is_served_without_a_token() {
    let s = common::start().await;
    let res = s.http.get(format!("{}/openapi.json", s.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    assert_eq!(res.text().await.unwrap(), openapi::json());
}

/// (method, path below `/api/v1`) pairs.
type Routes = BTreeSet<(String, String)>;

/// Every operation in the document, and those tagged `test-only`.
fn documented() -> (Routes, Routes) {
    let doc = serde_json::to_value(openapi::document()).unwrap();
    let (mut all, mut test_only) = (BTreeSet::new(), BTreeSet::new());
    let mut ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(ids.insert(id.to_owned()), "two operations are {id:?}: give one an operation_id");
            let route = (method.to_uppercase(), path.clone());
            if op["tags"].as_array().is_some_and(|t| t.contains(&Value::from("test-only"))) {
                test_only.insert(route.clone());
            }
            all.insert(route);
        }
    }
    (all, test_only)
}

/// Every route the real router mounts, however it was mounted. axum has no API to list routes, so the paths come from the router's `Debug`
/// (its route table prints `RouteId(n): "/path"`), and the methods from asking each path
/// with each method: only a method that is not mounted gets the 405 fallback.
async fn mounted(simulator: bool, test_clock: bool, sso: bool) -> Routes {
    let dir = tempfile::tempdir().unwrap();
    let sso_secret = sso.then(|| parley_server::sso::Secret::from_bytes(b"secret"));
    let config = parley_server::Config {
        simulator,
        test_clock,
        sso_secret,
        ..parley_server::Config::new(dir.path().join("db"))
    };
    let router = parley_server::routes::router(parley_server::open(&config).unwrap(), None);
    let table = format!("{router:?}");
    // The fallback router's table (paths the fallback answers, `/api/v1` itself) comes after.
    let routed = table.split("fallback_router").next().unwrap();
    let paths: BTreeSet<String> = routed
        .split("RouteId(")
        .skip(1)
        .filter_map(|s| s.split_once("): \"").map(|(_, rest)| rest))
        .filter_map(|s| s.split_once('"').map(|(path, _)| path))
        .filter(|p| !p.contains("__private__"))
        .filter_map(|p| p.strip_prefix("/api/v1").map(str::to_owned))
        .collect();
    // Were axum to print its routes differently, this test must fail, not find nothing.
    assert!(paths.contains("/health") && paths.len() > 30, "cannot read the router's paths from {table}");
    let mut routes = BTreeSet::new();
    for path in paths {
        let concrete: String =
            path.split('/').map(|s| if s.starts_with('{') { "x" } else { s }).collect::<Vec<_>>().join("/");
        for method in [Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            let req = Request::builder().method(&method).uri(format!("/api/v1{concrete}")).body(Body::empty()).unwrap();
            let res = router.clone().oneshot(req).await.unwrap();
            if res.status() != 405 {
                routes.insert((method.to_string(), path.clone()));
            }
        }
    }
    routes
}

fn list(routes: &Routes) -> String {
    routes.iter().map(|(m, p)| format!("\n    {m} /api/v1{p}")).collect()
}

#[tokio::test]
async fn every_mounted_route_is_documented_and_every_documented_one_is_mounted() {
    let (documented, test_only) = documented();
    let mounted_all = mounted(true, true, true).await;
    let undocumented: Routes = mounted_all.difference(&documented).cloned().collect();
    assert!(
        undocumented.is_empty(),
        "mounted but not in the OpenAPI document (give each handler a #[utoipa::path] and mount it with \
         routes! in routes::json_routes):{}\nthen regenerate docs/openapi.json: {REGENERATE}",
        list(&undocumented)
    );
    let unmounted: Routes = documented.difference(&mounted_all).cloned().collect();
    assert!(unmounted.is_empty(), "documented but not mounted:{}", list(&unmounted));
    // Without the development flags, exactly the routes tagged test-only are gone.
    let production = mounted(false, false, true).await;
    let gone: Routes = mounted_all.difference(&production).cloned().collect();
    assert_eq!(gone, test_only, "the test-only tag must name exactly the routes the flags mount");
    // Without --sso-secret-file, single sign-on alone is gone.
    let without_sso: Routes = production.difference(&mounted(false, false, false).await).cloned().collect();
    assert_eq!(without_sso, Routes::from([("POST".to_owned(), "/session/sso".to_owned())]));
}

#[test]
fn answers_are_matched_to_the_most_literal_template() {
    assert_eq!(common::openapi::template("/conversations/search").as_deref(), Some("/conversations/search"));
    assert_eq!(common::openapi::template("/conversations/c-1").as_deref(), Some("/conversations/{id}"));
    assert_eq!(common::openapi::template("/calls/k/accept").as_deref(), Some("/calls/{id}/{action}"));
    assert_eq!(common::openapi::template("/nothing/here"), None);
}

/// The shared client's check is not vacuous: an answer the document does not describe
/// fails the test that received it.
#[test]
fn answers_the_document_does_not_describe_fail() {
    use common::openapi::check;
    let json = Some("application/json");
    let fails = |method: &'static str, path: &'static str, status: u16, body: &'static str| {
        let url = format!("http://127.0.0.1/api/v1{path}");
        std::panic::catch_unwind(|| check(method, &url, status, json, body.as_bytes())).is_err()
    };
    check("GET", "http://127.0.0.1/api/v1/health", 200, json, br#"{"ok": true}"#);
    assert!(fails("GET", "/health", 200, r#"{"ok": true, "extra": 1}"#), "a property the document does not name");
    assert!(fails("GET", "/health", 200, r#"{"ok": "yes"}"#), "a wrong type");
    assert!(fails("GET", "/health", 201, r#"{"ok": true}"#), "an undocumented status");
    assert!(fails("GET", "/me", 401, r#"{"error": {"code": "nope", "message": "x"}}"#), "an unknown error code");
    assert!(fails("POST", "/session/elsewhere", 201, r#"{"token": "t"}"#), "an undocumented route");
    let no_such = r#"{"error": {"code": "not_found", "message": "no such endpoint"}}"#;
    assert!(!fails("POST", "/session/elsewhere", 404, no_such), "the fallback's 404 is expected there");
    let not_allowed = r#"{"error": {"code": "method_not_allowed", "message": "no"}}"#;
    assert!(!fails("PUT", "/health", 405, not_allowed), "so is 405 for a method a path lacks");
}
