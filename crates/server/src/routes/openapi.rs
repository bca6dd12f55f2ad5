//! The OpenAPI 3.1 document of `/api/v1`, served at `GET /api/v1/openapi.json` and kept in
//! docs/openapi.json (a test fails when that copy differs). Paths come from the handlers'
//! `#[utoipa::path]` as `routes!` mounts them, schemas from the domain's wire types (its
//! `openapi` feature), and what every endpoint shares — the bearer token, the error
//! answers — is added here once.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use parley_domain::wire::{ErrorBody, ErrorCode, ErrorDetail};
use utoipa::OpenApi;
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Parley API",
        version = "1",
        description = "The REST API of Parley's backends (docs/api.md explains it; the WebSocket at `/ws` is \
            described there). Every error answers `ErrorBody`. A path that matches no endpoint answers 404, and \
            a path that exists without the method asked answers 405, both with `ErrorBody`.",
        license(name = "MIT")
    ),
    servers((url = "/api/v1")),
    security(("bearer" = [])),
    components(schemas(ErrorBody, ErrorDetail, ErrorCode)),
    tags(
        (name = "meta", description = "Health, this document, the WebSocket"),
        (name = "session", description = "Sign-in, sign-out and the current user"),
        (name = "inboxes", description = "Side-panel inboxes: counts, acknowledgement, lists, bulk resolve"),
        (name = "conversations", description = "Conversations, messages, lifecycle and internal notes"),
        (name = "attachments", description = "Files sent with messages"),
        (name = "contacts", description = "Contacts: details, assignment, blocking, merging, integrations"),
        (name = "calls", description = "Calls (the `calls` permission)"),
        (name = "snippets", description = "Saved replies"),
        (name = "closing-reasons", description = "The workspace's closing reasons"),
        (name = "templates", description = "Message templates, sent once a channel's service window has closed"),
        (name = "custom-inboxes", description = "Saved filter views"),
        (name = "rules", description = "Workflow rules and business hours (owners and managers)"),
        (name = "test-only", description = "Development endpoints, mounted only with `--simulator` \
            (`/simulator/*`) or `--test-clock` (`/test/clock`), and only on a loopback address unless \
            `--dev-endpoints-anywhere`. No token needed."),
    )
)]
struct Base;

/// The whole document: every route, the development ones included whatever the flags.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = Base::openapi();
    doc.merge(super::json_routes(true, true, true).into_openapi());
    doc.merge(super::upload_routes().into_openapi());
    conventions(&mut doc);
    doc
}

/// The document as served and as kept in docs/openapi.json.
pub fn json() -> &'static str {
    static JSON: LazyLock<String> =
        LazyLock::new(|| document().to_pretty_json().expect("the document serialises") + "\n");
    JSON.as_str()
}

#[utoipa::path(get, path = "/openapi.json", tag = "meta", security(()),
    responses((status = 200, description = "This document (OpenAPI 3.1)", body = Object)))]
pub async fn serve() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], json())
}

/// The error answers, by status: (name in `components/responses`, when).
const ERRORS: [(&str, &str, &str); 7] = [
    ("400", "BadRequest", "Malformed JSON; a missing, unknown or invalid field, parameter or query"),
    ("401", "Unauthorized", "Missing, unknown or expired token"),
    ("404", "NotFound", "No such resource, or one the user may not see"),
    ("408", "RequestTimeout", "The body arrived too slowly"),
    ("413", "PayloadTooLarge", "The body is over the limit (64 KiB; 10 MB for uploads)"),
    ("415", "UnsupportedMediaType", "A body that is not JSON"),
    ("500", "Internal", "A bug; the request changed nothing"),
];

/// Adds the bearer scheme and, to each operation, the error answers any endpoint of its
/// shape can give: 400 with parameters or a body, 401 with a token, 404 with a path
/// parameter, 408/413 with a body, 415 with a JSON body, 500 always. Answers a handler
/// documents itself (403, 409, 429…) are kept as written.
fn conventions(doc: &mut utoipa::openapi::OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("The `token` of `POST /session`"))
                .build(),
        ),
    );
    for (_, name, when) in ERRORS {
        let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
        components.responses.insert(
            name.into(),
            ResponseBuilder::new().description(when).content("application/json", body).build().into(),
        );
    }
    let public = [SecurityRequirement::default()];
    for item in doc.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for op in operations.into_iter().flatten() {
            let params = op.parameters.as_deref().unwrap_or_default();
            let in_path = params.iter().any(|p| p.parameter_in == ParameterIn::Path);
            let body = op.request_body.as_ref();
            let json_body = body.is_some_and(|b| b.content.contains_key("application/json"));
            let mut statuses = vec!["500"];
            statuses.extend((!params.is_empty() || body.is_some()).then_some("400"));
            statuses.extend((op.security.as_deref() != Some(&public[..])).then_some("401"));
            statuses.extend(in_path.then_some("404"));
            statuses.extend(body.is_some().then_some(["408", "413"]).into_iter().flatten());
            statuses.extend(json_body.then_some("415"));
            for status in statuses {
                let (_, name, _) = ERRORS.iter().find(|(s, ..)| *s == status).expect("a known status");
                op.responses
                    .responses
                    .entry(status.into())
                    .or_insert_with(|| RefOr::Ref(Ref::from_response_name(*name)));
            }
        }
    }
}
