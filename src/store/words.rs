//! The one place where a failure becomes the words the agent reads.

use crate::api::ApiError;

/// What to tell the user about `error`.
pub fn describe(error: &ApiError) -> String {
    match error {
        ApiError::Unauthorized => "Your session has ended. Please sign in again.".into(),
        // Only sign-in answers 401 without a token.
        ApiError::Http { status: 401, .. } => "Wrong email or password.".into(),
        ApiError::Http { status: 403, .. } => "You are not allowed to do that.".into(),
        ApiError::Http { status: 404, .. } => "This no longer exists, or you cannot see it.".into(),
        ApiError::Http { status: 409, message, .. } => format!("That is not possible now: {message}"),
        ApiError::Http { status: 413, .. } => "That is too large to send.".into(),
        // The server says how long to wait ("too many sign-in attempts; try again in 42 s").
        ApiError::Http { status: 429, message, .. } if !message.is_empty() => {
            let mut chars = message.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
            format!("{first}{}.", chars.as_str())
        }
        ApiError::Http { status: 429, .. } => "Too many attempts. Wait a minute, then try again.".into(),
        ApiError::Http { status, .. } if *status >= 500 => {
            "The server failed; nothing was changed. Please try again.".into()
        }
        ApiError::Http { message, .. } if !message.is_empty() => format!("The request was refused: {message}"),
        ApiError::Http { status, .. } => format!("The request was refused (HTTP {status})."),
        ApiError::Network(_) => "Cannot reach the server. Check your connection and try again.".into(),
        ApiError::Decode(_) => "The server sent an answer this app does not understand.".into(),
    }
}

/// Why a file is refused (before uploading, or by the server's `413`): `what` names it.
pub fn too_large(what: &str, size: u64) -> String {
    let limit = parley_domain::MAX_ATTACHMENT_BYTES / (1024 * 1024);
    format!("{what} ({}) is too large to send: files can be at most {limit} MB.", crate::format::file_size(size))
}

/// What a form shows for a refused save: the server's `400` message ("phone: the phone
/// number must be …") with a capital, anything else in the usual words.
pub fn form_error(error: &ApiError) -> String {
    match error {
        ApiError::Http { status: 400, message, .. } if !message.is_empty() => {
            let mut chars = message.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
        other => describe(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_fields_read_as_sentences() {
        let http = |status, message: &str| ApiError::Http { status, code: None, message: message.into() };
        #[rustfmt::skip]
        let rows = [
            (http(400, "phone: the phone number must be in international format, like +33612345678"),
                "Phone: the phone number must be in international format, like +33612345678"),
            (http(400, "Deal value: must be a number, like 1200.50"), "Deal value: must be a number, like 1200.50"),
            (http(403, "forbidden"), "You are not allowed to do that."),
            (ApiError::Network("down".into()), "Cannot reach the server. Check your connection and try again."),
        ];
        for (error, expected) in rows {
            assert_eq!(form_error(&error), expected);
        }
    }
}
