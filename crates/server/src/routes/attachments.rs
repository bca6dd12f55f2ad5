//! Files: upload into a conversation (then send with a message), and download.
//!
//! Bytes are stored as files next to the database, named by attachment id; metadata and
//! the link to the message are rows, so a rejected upload leaves nothing behind.

use axum::Json;
use axum::body::Body as RawBody;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use parley_domain::{Attachment, AttachmentKind, ConversationId};
use rusqlite::params;

use super::{PathParam, visible_conversation};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::{AppState, repo};

/// Largest file accepted.
pub const MAX_FILE_BYTES: usize = parley_domain::MAX_ATTACHMENT_BYTES as usize;

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge("the file is larger than 10 MB".into())
    } else {
        ApiError::BadRequest(format!("invalid upload: {}", e.body_text()))
    }
}

/// `multipart/form-data` with a `file` part, and optionally `voice=true` (a recording
/// from the composer) and `duration_ms`.
pub async fn upload(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    mut form: Multipart,
) -> ApiResult<(StatusCode, Json<Attachment>)> {
    let mut file: Option<(String, String, Vec<u8>)> = None;
    let mut voice = false;
    let mut duration_ms: Option<u64> = None;
    while let Some(field) = form.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or_default() {
            "file" => {
                let filename =
                    field.file_name().unwrap_or("file").chars().filter(|c| !c.is_control()).take(200).collect();
                let content_type = field.content_type().unwrap_or("application/octet-stream").to_owned();
                let bytes = field.bytes().await.map_err(multipart_error)?;
                if bytes.len() > MAX_FILE_BYTES {
                    return Err(ApiError::PayloadTooLarge("the file is larger than 10 MB".into()));
                }
                file = Some((filename, content_type, bytes.to_vec()));
            }
            "voice" => voice = field.text().await.map_err(multipart_error)? == "true",
            "duration_ms" => {
                let text = field.text().await.map_err(multipart_error)?;
                duration_ms =
                    Some(text.parse().map_err(|_| ApiError::BadRequest("duration_ms is not a number".into()))?);
            }
            other => return Err(ApiError::BadRequest(format!("unexpected form field {other:?}"))),
        }
    }
    let (filename, content_type, bytes) = file.ok_or_else(|| ApiError::BadRequest("no file in the upload".into()))?;
    if bytes.is_empty() {
        return Err(ApiError::BadRequest("the file is empty".into()));
    }
    let now = state.now();
    let dir = state.files.clone();
    let attachment = state
        .db
        .write(move |tx| {
            let conversation = visible_conversation(tx, &auth.user, &ConversationId(id))?;
            // A recording becomes a voice note where the channel plays them, else an audio file.
            let kind = match (voice, conversation.channel.kind.supports_voice_notes()) {
                (true, true) => AttachmentKind::Voice,
                (true, false) => AttachmentKind::Audio,
                (false, _) => AttachmentKind::File,
            };
            let mut random = [0u8; 12];
            getrandom::fill(&mut random).map_err(|e| ApiError::Internal(e.to_string()))?;
            let id = format!("at-{}", random.iter().map(|b| format!("{b:02x}")).collect::<String>());
            tx.execute(
                "INSERT INTO attachments (id, conversation_id, uploader, filename, content_type, size, kind, duration_ms, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![id, conversation.id.as_str(), auth.user.id.as_str(), filename, content_type, bytes.len() as i64,
                        repo::enum_str(&kind), duration_ms.map(|d| d as i64), now],
            )?;
            // Written inside the transaction: if the file cannot be written, no row remains.
            std::fs::create_dir_all(&dir).map_err(|e| ApiError::Internal(format!("attachments directory: {e}")))?;
            std::fs::write(dir.join(&id), &bytes).map_err(|e| ApiError::Internal(format!("writing attachment: {e}")))?;
            Ok(Attachment { id, filename, content_type, size: bytes.len() as u64, kind, duration_ms })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(attachment)))
}

/// The bytes of an attachment of a conversation the user may see.
pub async fn download(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<Response> {
    let lookup = id.clone();
    let attachment = state
        .db
        .read(move |conn| {
            let (attachment, conversation, _, _) =
                repo::attachment(conn, &lookup)?.ok_or_else(|| ApiError::not_found("attachment", &lookup))?;
            visible_conversation(conn, &auth.user, &conversation)
                .map_err(|_| ApiError::not_found("attachment", &lookup))?;
            Ok(attachment)
        })
        .await?;
    let bytes = tokio::fs::read(state.files.join(&attachment.id))
        .await
        .map_err(|e| ApiError::Internal(format!("reading attachment {id}: {e}")))?;
    let disposition = format!("attachment; filename=\"{}\"", attachment.filename.replace(['"', '\\'], "_"));
    Ok((
        [(header::CONTENT_TYPE, attachment.content_type), (header::CONTENT_DISPOSITION, disposition)],
        RawBody::from(bytes),
    )
        .into_response())
}
