//! The HTTP surface: the `/api/v1` router, the JSON extractors that turn rejections into
//! our error body, and the static app with its client-route fallback.

mod attachments;
mod cache;
mod calls;
mod contacts;
mod conversations;
mod csp;
mod custom_inboxes;
pub(crate) mod inboxes;
mod integrations;
mod json;
mod session;
mod simulator;
mod snippets;

use std::path::Path;

use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::{RequestBodyDeadlineLayer, RequestBodyTimeoutLayer};

pub use self::csp::{CspSources, app_csp, inline_script_hashes};
pub use self::json::Body;
use crate::AppState;
use crate::error::ApiError;

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// `Query` whose rejections answer with our error body.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// `Path` whose rejections answer with our error body.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct PathParam<T>(pub T);

pub fn router(state: AppState, static_dir: Option<&Path>) -> Router {
    router_with(state, static_dir, Router::new())
}

/// [`router`] with `extra` routes mounted under `/api/v1` with the API's layers (tests
/// add a route that panics).
pub fn router_with(state: AppState, static_dir: Option<&Path>, extra: Router<AppState>) -> Router {
    let timeouts = state.timeouts;
    let mut api = Router::new()
        .route("/health", get(|| async { Json(serde_json::json!({"ok": true})) }))
        .route("/session", post(session::sign_in).delete(session::sign_out))
        .route("/me", get(session::me))
        .route("/me/availability", put(session::set_availability))
        .route("/snippets", get(snippets::list).post(snippets::create))
        .route("/custom-inboxes", get(custom_inboxes::list).post(custom_inboxes::create))
        .route("/custom-inboxes/{id}", put(custom_inboxes::update).delete(custom_inboxes::delete))
        .route("/custom-inboxes/{id}/conversations", get(custom_inboxes::conversations))
        .route("/snippets/{id}", put(snippets::update).delete(snippets::delete))
        .route("/inboxes/{inbox}/assignees", get(inboxes::assignees))
        .route("/inboxes/{inbox}/bulk-resolve", post(inboxes::bulk_resolve))
        .route("/inboxes", get(inboxes::list))
        .route("/inboxes/{inbox}/ack", post(inboxes::acknowledge))
        .route("/inboxes/{inbox}/conversations", get(inboxes::conversations))
        .route("/conversations/search", get(conversations::search))
        .route("/conversations/{id}", get(conversations::detail))
        .route("/conversations/{id}/messages", get(conversations::messages).post(conversations::send))
        .route("/conversations/{id}/read", post(conversations::read))
        .route("/conversations/{id}/lifecycle", post(conversations::lifecycle))
        .route("/conversations/{id}/notes", post(conversations::add_note))
        .route("/attachments/{id}", get(attachments::download))
        .route("/notes/{id}", patch(conversations::edit_note).delete(conversations::delete_note))
        .route("/contacts/{id}", get(contacts::detail).patch(contacts::edit))
        .route("/contacts/{id}/blocked", put(contacts::set_blocked))
        .route("/contacts/{id}/duplicates", get(contacts::duplicates))
        .route("/contacts/{id}/merge", post(contacts::merge))
        .route("/contacts/{id}/activities", get(contacts::activities))
        .route("/contacts/{id}/integrations", get(integrations::list))
        .route("/contacts/{id}/integrations/{integration}", put(integrations::update))
        .route("/contacts/{id}/assignee", put(contacts::assign))
        .route("/contacts/{id}/calls", get(calls::of_contact).post(calls::place))
        .route("/calls", get(calls::live))
        .route("/calls/{id}/{action}", post(calls::act))
        .route("/inboxes/{inbox}/calls", get(calls::log))
        .route("/ws", get(crate::socket::upgrade));
    if state.simulator {
        api = api
            .route("/simulator/inbound", post(simulator::inbound))
            .route("/simulator/presence", post(simulator::presence))
            .route("/simulator/call", post(calls::simulate))
            .route("/simulator/delivery", post(simulator::delivery))
            .route("/simulator/bulk-inbound", post(simulator::bulk_inbound));
    }
    if state.test_clock {
        api = api.route("/test/clock", post(simulator::set_clock));
    }
    if state.sso.is_some() {
        api = api.route("/session/sso", post(session::sso));
    }
    let csp_sources = state.csp_sources.clone();
    let cors = crate::origins::cors(&state.allowed_origins);
    let api = api
        .merge(extra)
        // JSON bodies are small: all of one must arrive within the deadline. Uploads
        // (mounted after) only must not stall.
        .layer(RequestBodyDeadlineLayer::new(timeouts.body_total))
        .route(
            "/conversations/{id}/attachments",
            post(attachments::upload).layer(DefaultBodyLimit::max(attachments::MAX_FILE_BYTES + 64 * 1024)),
        )
        .fallback(|| async { ApiError::NotFound("no such endpoint".into()) })
        .method_not_allowed_fallback(|| async {
            ApiError::MethodNotAllowed("this endpoint does not take that method".into())
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyTimeoutLayer::new(timeouts.body_idle))
        // Answers are per user and change all the time: never cached, and never
        // rendered as a page.
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        ))
        // Outside the others, so that preflights are answered before any of them and every
        // answer, errors included, is readable by an allowed origin.
        .layer(tower::util::option_layer(cors))
        .with_state(state);
    let app = Router::new().nest("/api/v1", api);
    match static_dir {
        Some(dir) => {
            let index = dir.join("index.html");
            let csp = app_csp(&csp_sources, &index_scripts(&index));
            let files = ServeDir::new(dir).precompressed_br().precompressed_gzip().fallback(ServeFile::new(index));
            let csp = HeaderValue::from_str(&csp).expect("the policy is ASCII");
            app.fallback_service(
                tower::ServiceBuilder::new()
                    .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, csp))
                    .layer(axum::middleware::from_fn(cache::cache_control))
                    .service(files),
            )
        }
        None => app,
    }
    .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
    .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
    // A handler that panics answers 500 with our error body; the server carries on.
    .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
        ApiError::Internal("a request handler panicked".into()).into_response()
    }))
    .layer(tower_http::trace::TraceLayer::new_for_http())
}

/// The `'sha256-…'` sources of the inline scripts of the app's index.html, read once at
/// start (a new build of the app needs a restart).
fn index_scripts(index: &Path) -> Vec<String> {
    match std::fs::read_to_string(index) {
        Ok(html) => inline_script_hashes(&html),
        Err(e) => {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(file = %index.display(), error = %e, "cannot read the app's index.html for its inline scripts");
            }
            Vec::new()
        }
    }
}
