//! The HTTP surface: the `/api/v1` router, the JSON extractors that turn rejections into
//! our error body, and the static app with its client-route fallback.

mod assist;
mod attachments;
mod cache;
mod calls;
mod closing_reasons;
mod contacts;
mod conversations;
mod csp;
mod custom_inboxes;
pub(crate) mod inboxes;
mod integrations;
mod json;
pub mod openapi;
mod reports;
mod rules;
mod session;
mod simulator;
mod snippets;
mod templates;

use std::path::Path;

use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::{Json, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::{RequestBodyDeadlineLayer, RequestBodyTimeoutLayer};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub use self::csp::{CspSources, app_csp, inline_script_hashes};
pub use self::json::Body;
use crate::error::ApiError;
use crate::{AppState, socket};

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

/// `GET /health`'s answer.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    ok: bool,
}

#[utoipa::path(get, path = "/health", tag = "meta", security(()),
    responses((status = 200, description = "The server is up", body = Health)))]
async fn health() -> Json<Health> {
    Json(Health { ok: true })
}

/// The JSON routes of `/api/v1`. Each `routes!` mounts handlers of one path and documents
/// them from their `#[utoipa::path]`, so what is mounted this way is in the document. The
/// development endpoints are mounted only with their flags; the document has them all
/// (`openapi::document`, tag `test-only`).
fn json_routes(simulator: bool, test_clock: bool, sso: bool) -> OpenApiRouter<AppState> {
    let mut api = OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(openapi::serve))
        .routes(routes!(session::sign_in, session::sign_out))
        .routes(routes!(session::me))
        .routes(routes!(session::set_availability))
        .routes(routes!(snippets::list, snippets::create))
        .routes(routes!(snippets::update, snippets::delete))
        .routes(routes!(closing_reasons::list, closing_reasons::create))
        .routes(routes!(closing_reasons::rename, closing_reasons::delete))
        .routes(routes!(closing_reasons::reorder))
        .routes(routes!(reports::report))
        .routes(routes!(reports::csv))
        .routes(routes!(rules::list, rules::create))
        .routes(routes!(rules::update, rules::delete))
        .routes(routes!(rules::reorder))
        .routes(routes!(rules::hours, rules::set_hours))
        .routes(routes!(templates::list, templates::create))
        .routes(routes!(templates::update, templates::delete))
        .routes(routes!(custom_inboxes::list, custom_inboxes::create))
        .routes(routes!(custom_inboxes::update, custom_inboxes::delete))
        .routes(routes!(custom_inboxes::conversations))
        .routes(routes!(inboxes::list))
        .routes(routes!(inboxes::assignees))
        .routes(routes!(inboxes::bulk_resolve))
        .routes(routes!(inboxes::acknowledge))
        .routes(routes!(inboxes::conversations))
        .routes(routes!(conversations::search))
        .routes(routes!(conversations::detail))
        .routes(routes!(conversations::messages, conversations::send))
        .routes(routes!(conversations::read))
        .routes(routes!(conversations::lifecycle))
        .routes(routes!(conversations::add_note))
        .routes(routes!(conversations::send_transcript))
        .routes(routes!(assist::assist))
        .routes(routes!(attachments::download))
        .routes(routes!(conversations::edit_note, conversations::delete_note))
        .routes(routes!(contacts::search))
        .routes(routes!(contacts::detail, contacts::edit))
        .routes(routes!(contacts::conversations, contacts::start))
        .routes(routes!(contacts::set_blocked))
        .routes(routes!(contacts::duplicates))
        .routes(routes!(contacts::merge))
        .routes(routes!(contacts::activities))
        .routes(routes!(integrations::list))
        .routes(routes!(integrations::update))
        .routes(routes!(contacts::assign))
        .routes(routes!(calls::of_contact, calls::place))
        .routes(routes!(calls::live))
        .routes(routes!(calls::act))
        .routes(routes!(calls::log))
        .routes(routes!(socket::upgrade));
    if simulator {
        api = api
            .routes(routes!(simulator::inbound))
            .routes(routes!(simulator::presence))
            .routes(routes!(calls::simulate))
            .routes(routes!(simulator::delivery))
            .routes(routes!(simulator::bulk_inbound));
    }
    if test_clock {
        api = api.routes(routes!(simulator::set_clock));
    }
    if sso {
        api = api.routes(routes!(session::sso));
    }
    api
}

/// Uploads: a body limit of their own, and no total deadline (they only must not stall).
fn upload_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(attachments::upload).layer(DefaultBodyLimit::max(attachments::MAX_FILE_BYTES + 64 * 1024)))
}

pub fn router(state: AppState, static_dir: Option<&Path>) -> Router {
    router_with(state, static_dir, Router::new())
}

/// [`router`] with `extra` routes mounted under `/api/v1` with the API's layers (tests
/// add a route that panics).
pub fn router_with(state: AppState, static_dir: Option<&Path>, extra: Router<AppState>) -> Router {
    let timeouts = state.timeouts;
    let (api, _) = json_routes(state.simulator, state.test_clock, state.sso.is_some()).split_for_parts();
    let (uploads, _) = upload_routes().split_for_parts();
    let csp_sources = state.csp_sources.clone();
    let cors = crate::origins::cors(&state.allowed_origins);
    let api = api
        .merge(extra)
        // JSON bodies are small: all of one must arrive within the deadline. Uploads
        // (mounted after) only must not stall.
        .layer(RequestBodyDeadlineLayer::new(timeouts.body_total))
        .merge(uploads)
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
