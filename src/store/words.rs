//! The one place where a failure becomes the words the agent reads: the app's own words,
//! by error code (the server's messages are English; in English a few are shown as the
//! detail of a refusal).

use parley_domain::wire::ErrorCode;

use crate::api::ApiError;
use crate::i18n::Words;

/// What to tell the user about `error`, in the current language.
pub fn describe(error: &ApiError) -> String {
    describe_in(crate::i18n::t(), error)
}

fn describe_in(t: &Words, error: &ApiError) -> String {
    use ErrorCode as C;
    let ApiError::Http { status, code, message } = error else {
        return match error {
            ApiError::Unauthorized => t.session_ended,
            ApiError::Network(_) => t.unreachable,
            _ => t.not_understood,
        }
        .into();
    };
    // A body without a code (a proxy's page) is read by its status.
    let code = code.or(match status {
        400 => Some(C::BadRequest),
        401 => Some(C::Unauthorized),
        403 => Some(C::Forbidden),
        404 => Some(C::NotFound),
        408 => Some(C::RequestTimeout),
        409 => Some(C::Conflict),
        413 => Some(C::PayloadTooLarge),
        429 => Some(C::TooManyRequests),
        500.. => Some(C::Internal),
        _ => None,
    });
    match code {
        // Only sign-in answers 401 without a token.
        Some(C::Unauthorized) => t.wrong_credentials.into(),
        Some(C::Forbidden) => t.forbidden.into(),
        Some(C::NotFound) => t.not_found.into(),
        Some(C::WindowClosed) => t.window_closed_refused.into(),
        Some(C::Conflict) => (t.conflict_because)(message),
        Some(C::PayloadTooLarge) => t.too_large.into(),
        Some(C::RequestTimeout) => t.timed_out.into(),
        // The server says how long to wait ("too many sign-in attempts; try again in 42 s").
        Some(C::TooManyRequests) if !message.is_empty() => (t.too_many_because)(message),
        Some(C::TooManyRequests) => t.too_many.into(),
        Some(C::Internal) => t.server_failed.into(),
        Some(C::BadGateway) => t.relay_failed.into(),
        Some(C::Unavailable) => t.not_configured.into(),
        Some(C::GatewayTimeout) => t.timed_out.into(),
        _ if !message.is_empty() => (t.refused_because)(message),
        _ => (t.refused_status)(*status),
    }
}

/// Why a file is refused (before uploading, or by the server's `413`): `what` names it.
pub fn too_large(what: &str, size: u64) -> String {
    let limit = parley_domain::MAX_ATTACHMENT_BYTES / (1024 * 1024);
    (crate::i18n::t().file_too_large)(what, &crate::format::file_size(size), limit)
}

/// What a form shows for a refused save: in English the server's `400` message ("phone:
/// the phone number must be …") with a capital, anything else in the usual words.
/// What an AI assist failure says (in the composer's live region): the AI service's own
/// failures in its words, anything else as any form's.
pub fn assist_failed(error: &ApiError) -> String {
    assist_failed_in(crate::i18n::t(), error)
}

fn assist_failed_in(t: &Words, error: &ApiError) -> String {
    match error {
        ApiError::Http { code: Some(ErrorCode::BadGateway), .. } => t.ai_failed.into(),
        ApiError::Http { code: Some(ErrorCode::GatewayTimeout), .. } => t.ai_timed_out.into(),
        ApiError::Http { code: Some(ErrorCode::Unavailable), .. } => t.ai_off.into(),
        other => form_error_in(t, other),
    }
}

pub fn form_error(error: &ApiError) -> String {
    form_error_in(crate::i18n::t(), error)
}

fn form_error_in(t: &Words, error: &ApiError) -> String {
    match error {
        ApiError::Http { status: 400, message, .. } if !message.is_empty() => (t.field_refused)(message),
        other => describe_in(t, other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    fn http(status: u16, code: Option<ErrorCode>, message: &str) -> ApiError {
        ApiError::Http { status, code, message: message.into() }
    }

    #[test]
    fn refused_fields_read_as_sentences() {
        let en = Locale::En.words();
        #[rustfmt::skip]
        let rows = [
            (http(400, None, "phone: the phone number must be in international format, like +33612345678"),
                "Phone: the phone number must be in international format, like +33612345678"),
            (http(400, None, "Deal value: must be a number, like 1200.50"), "Deal value: must be a number, like 1200.50"),
            (http(403, None, "forbidden"), "You are not allowed to do that."),
            (ApiError::Network("down".into()), "Cannot reach the server. Check your connection and try again."),
        ];
        for (error, expected) in rows {
            assert_eq!(form_error_in(en, &error), expected);
        }
    }

    #[test]
    fn ai_assist_failures_name_the_ai_service() {
        let (en, fr) = (Locale::En.words(), Locale::Fr.words());
        #[rustfmt::skip]
        let rows = [
            (http(502, Some(ErrorCode::BadGateway), "the AI service answered 500"),
                "The AI service failed or gave no usable answer. Please try again.",
                "Le service d'IA a échoué ou n'a pas donné de réponse utilisable. Veuillez réessayer."),
            (http(504, Some(ErrorCode::GatewayTimeout), "the AI service did not answer within 15 s"),
                "The AI service did not answer within 15 seconds. Please try again.",
                "Le service d'IA n'a pas répondu dans les 15 secondes. Veuillez réessayer."),
            (http(503, Some(ErrorCode::Unavailable), "AI assist is not set up"),
                "AI assist is not set up on this server.", "L'assistant IA n'est pas configuré sur ce serveur."),
            (http(400, Some(ErrorCode::BadRequest), "draft: there is no text to improve"),
                "Draft: there is no text to improve", "Valeur refusée (draft: there is no text to improve)."),
        ];
        for (error, english, french) in rows {
            assert_eq!(assist_failed_in(en, &error), english);
            assert_eq!(assist_failed_in(fr, &error), french);
        }
    }

    #[test]
    fn errors_are_the_app_s_words_by_code() {
        let (en, fr) = (Locale::En.words(), Locale::Fr.words());
        #[rustfmt::skip]
        let rows = [
            (http(401, Some(ErrorCode::Unauthorized), "bad credentials"),
                "Wrong email or password.", "E-mail ou mot de passe incorrect."),
            (http(409, Some(ErrorCode::Conflict), "already closed"),
                "That is not possible now: already closed", "Ce n'est pas possible pour le moment."),
            (http(429, Some(ErrorCode::TooManyRequests), "too many sign-in attempts; try again in 42 s"),
                "Too many sign-in attempts; try again in 42 s.", "Trop de tentatives. Patientez une minute, puis réessayez."),
            (http(502, None, ""), "The server failed; nothing was changed. Please try again.",
                "Le serveur a échoué ; rien n'a été modifié. Veuillez réessayer."),
            (http(418, None, ""), "The request was refused (HTTP 418).", "La demande a été refusée (HTTP 418)."),
            (http(409, Some(ErrorCode::WindowClosed), "the 24-hour WhatsApp customer-service window has closed"),
                "The customer-service window has closed: free text cannot be sent until the contact writes again. Send an approved template instead.",
                "La fenêtre de service client est fermée\u{a0}: aucun texte libre ne peut partir avant que le contact réécrive. Envoyez plutôt un modèle approuvé."),
            (http(502, Some(ErrorCode::BadGateway), "the mail server could not be reached: connection refused"),
                "The mail server refused the message or could not be reached. Please try again later.",
                "Le serveur de messagerie a refusé le message ou est injoignable. Réessayez plus tard."),
            (http(503, Some(ErrorCode::Unavailable), "this server sends no mail"),
                "This server is not set up for that.", "Ce serveur n'est pas configuré pour cela."),
            (ApiError::Unauthorized, "Your session has ended. Please sign in again.",
                "Votre session a pris fin. Veuillez vous reconnecter."),
        ];
        for (error, english, french) in rows {
            assert_eq!(describe_in(en, &error), english);
            assert_eq!(describe_in(fr, &error), french);
        }
        assert_eq!(form_error_in(fr, &http(400, None, "phone: bad")), "Valeur refusée (phone: bad).");
    }
}
