//! The server's one error type and its translation to `{"error": {code, message}}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use parley_domain::wire::{ErrorBody, ErrorCode, ErrorDetail};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A 409 of its own code: free text outside the channel's service window.
    #[error("{0}")]
    WindowClosed(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The request body stopped arriving (slow or stuck client).
    #[error("{0}")]
    RequestTimeout(String),
    /// Too many attempts: come back after the duration (sent as `Retry-After`).
    #[error("{0}")]
    TooManyRequests(String, std::time::Duration),
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("database: {0}")]
    Postgres(#[from] crate::storage::pg::conn::Error),
    #[error("{0}")]
    Internal(String),
    /// The SMTP server refused a mail or did not answer in time.
    #[error("{0}")]
    BadGateway(String),
    /// Not configured on this server (transcripts without `--smtp`).
    #[error("{0}")]
    Unavailable(String),
    /// The AI endpoint did not answer in time.
    #[error("{0}")]
    GatewayTimeout(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) | ApiError::WindowClosed(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::TooManyRequests(..) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Database(_) | ApiError::Postgres(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::BadGateway(_) => StatusCode::BAD_GATEWAY,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::GatewayTimeout(_) => StatusCode::GATEWAY_TIMEOUT,
        }
    }

    pub fn detail(&self) -> ErrorDetail {
        let code = match self {
            ApiError::BadRequest(_) => ErrorCode::BadRequest,
            ApiError::Unauthorized(_) => ErrorCode::Unauthorized,
            ApiError::Forbidden(_) => ErrorCode::Forbidden,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::Conflict(_) => ErrorCode::Conflict,
            ApiError::WindowClosed(_) => ErrorCode::WindowClosed,
            ApiError::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            ApiError::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            ApiError::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            ApiError::RequestTimeout(_) => ErrorCode::RequestTimeout,
            ApiError::TooManyRequests(..) => ErrorCode::TooManyRequests,
            ApiError::Database(_) | ApiError::Postgres(_) | ApiError::Internal(_) => ErrorCode::Internal,
            ApiError::BadGateway(_) => ErrorCode::BadGateway,
            ApiError::Unavailable(_) => ErrorCode::Unavailable,
            ApiError::GatewayTimeout(_) => ErrorCode::GatewayTimeout,
        };
        // Internal details go to the log, not to the client.
        let message = match self {
            ApiError::Database(_) | ApiError::Postgres(_) | ApiError::Internal(_) => {
                "internal error; nothing was changed".to_owned()
            }
            other => other.to_string(),
        };
        ErrorDetail { code, message }
    }

    pub fn not_found(what: &str, id: impl std::fmt::Display) -> Self {
        ApiError::NotFound(format!("no {what} {:?}", id.to_string()))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::info!(status = status.as_u16(), error = %self, "request rejected");
        }
        let retry_after = match &self {
            ApiError::TooManyRequests(_, wait) => Some(whole_seconds(*wait)),
            _ => None,
        };
        let mut response = (status, Json(ErrorBody { error: self.detail() })).into_response();
        if let Some(secs) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}

/// Seconds, rounded up: a client that waits that long is let in (`Retry-After`).
pub fn whole_seconds(d: std::time::Duration) -> u64 {
    (d.as_secs() + u64::from(d.subsec_nanos() > 0)).max(1)
}

/// The body stopped arriving within the idle or total deadline (see `routes::router`).
pub fn is_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(error);
    while let Some(e) = source {
        if e.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        source = e.source();
    }
    false
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(r: axum::extract::rejection::QueryRejection) -> Self {
        ApiError::BadRequest(r.body_text())
    }
}

impl From<axum::extract::rejection::PathRejection> for ApiError {
    fn from(r: axum::extract::rejection::PathRejection) -> Self {
        ApiError::BadRequest(r.body_text())
    }
}
