//! The JSON request body every route reads: refused with our error body when it is not
//! JSON, names a field the type does not have, or carries control characters where
//! they do not belong (docs/api.md, "Text").

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use parley_domain::text::{refused_in_line, strip_unsafe};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ApiError;

/// A JSON body of type `T`.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|essence| {
                let essence = essence.trim().to_ascii_lowercase();
                essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
            });
        if !json {
            return Err(ApiError::UnsupportedMediaType(
                "the body must be JSON (Content-Type: application/json)".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            use std::error::Error;
            if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge(format!("the body is larger than {} KiB", super::BODY_LIMIT / 1024))
            } else if r.source().is_some_and(crate::error::is_timeout) {
                ApiError::RequestTimeout("the request body arrived too slowly".into())
            } else {
                ApiError::BadRequest(format!("the body could not be read: {}", r.body_text()))
            }
        })?;
        let mut value: Value = serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::BadRequest(format!("the body is not valid JSON: {e}")))?;
        clean(&mut value, Field::Line, "")?;
        let mut unknown = None;
        let parsed = serde_ignored::deserialize(value, |path| {
            unknown.get_or_insert_with(|| path.to_string());
        })
        .map_err(|e| ApiError::BadRequest(format!("invalid request: {e}")))?;
        match unknown {
            Some(field) => Err(ApiError::BadRequest(format!("unknown field `{field}`"))),
            None => Ok(Body(parsed)),
        }
    }
}

/// What a string of the body may contain, by the field it is in.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    /// Names, titles, emails, tags, ids, filter texts: control characters are refused.
    Line,
    /// Messages, notes, reasons and the values of contact attributes and integration
    /// fields: control characters are removed, line breaks and tabs stay.
    Free,
    /// Passwords and tokens are compared, never shown: left as they are.
    Secret,
}

fn field_of(key: &str, parent: Field) -> Field {
    match key {
        "text" | "note" | "reason" => Field::Free,
        "password" | "token" => Field::Secret,
        _ => parent,
    }
}

fn clean(value: &mut Value, field: Field, name: &str) -> Result<(), ApiError> {
    match value {
        Value::String(s) => match field {
            Field::Secret => {}
            Field::Free => {
                if let Some(stripped) = strip_unsafe(s) {
                    *s = stripped;
                }
            }
            Field::Line => {
                if let Some(c) = refused_in_line(s) {
                    return Err(ApiError::BadRequest(format!(
                        "`{name}` contains the control character U+{:04X}; remove it",
                        u32::from(c)
                    )));
                }
            }
        },
        Value::Array(items) => {
            for item in items {
                clean(item, field, name)?;
            }
        }
        Value::Object(map) => {
            // The keys of these maps are attribute names (one line); their values are
            // what agents type.
            let in_map = matches!(name, "attributes" | "values");
            for (key, item) in map.iter_mut() {
                if let Some(c) = refused_in_line(key) {
                    return Err(ApiError::BadRequest(format!(
                        "a field name contains the control character U+{:04X}",
                        u32::from(c)
                    )));
                }
                clean(item, if in_map { Field::Free } else { field_of(key, field) }, key)?;
            }
        }
        _ => {}
    }
    Ok(())
}
