//! The transport's one error type: what went wrong talking to the backend, without
//! deciding what to tell the user (the store does that, in one `match`).

use parley_domain::wire::ErrorCode;
use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ApiError {
    /// The server answered with an error status and (usually) a JSON error body: its
    /// code, unless the body was not one (a proxy's page).
    #[error("HTTP {status}: {message}")]
    Http { status: u16, code: Option<ErrorCode>, message: String },
    /// The session token is missing, unknown or expired: the user must sign in again.
    /// Only calls made with an [`AuthorizedApi`](super::AuthorizedApi) produce it; a
    /// rejected sign-in is an `Http` 401 (wrong email or password).
    #[error("not signed in")]
    Unauthorized,
    /// The request never got an answer (offline, server down, CORS, aborted).
    #[error("network error: {0}")]
    Network(String),
    /// The server answered 2xx with a body that does not match the contract.
    #[error("unexpected answer: {0}")]
    Decode(String),
}
