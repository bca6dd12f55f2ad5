//! Files: upload into a conversation (then send with a message), and download.
//!
//! Bytes are stored as files next to the database, named by attachment id; metadata and
//! the link to the message are rows, so a rejected upload leaves nothing behind.

use axum::Json;
use axum::body::Body as RawBody;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use parley_domain::{Attachment, AttachmentId, AttachmentKind, ConversationId};

use super::PathParam;
use crate::AppState;
use crate::access::visible_conversation;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};

/// Longest recording duration accepted: a day (it is stored as a signed 64-bit number).
pub const MAX_DURATION_MS: u64 = 86_400_000;

/// Largest file accepted.
pub const MAX_FILE_BYTES: usize = parley_domain::MAX_ATTACHMENT_BYTES as usize;

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge("the file is larger than 10 MB".into())
    } else {
        ApiError::BadRequest(format!("invalid upload: {}", e.body_text()))
    }
}

/// Raw bytes: a string whose content is the body (OpenAPI 3.1).
pub struct Bytes;

impl utoipa::PartialSchema for Bytes {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .content_media_type("application/octet-stream")
            .into()
    }
}

impl utoipa::ToSchema for Bytes {}

/// The form of `POST /conversations/{id}/attachments`.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct UploadForm {
    /// The file's bytes, with its name and type.
    #[schema(value_type = Bytes)]
    file: Vec<u8>,
    /// `true` for a recording from the composer: a voice note where the channel plays them.
    voice: Option<bool>,
    /// The recording's length, at most 86,400,000 (a day).
    duration_ms: Option<u64>,
}

#[utoipa::path(post, path = "/conversations/{id}/attachments", tag = "attachments",
    params(("id" = String, Path, description = "The conversation")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, description = "Uploaded; send it with `SendMessage.attachments`", body = Attachment)))]
/// `multipart/form-data` with a `file` part, and optionally `voice=true` (a recording
/// from the composer) and `duration_ms`.
pub async fn upload(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<Attachment>)> {
    let mut form =
        form.map_err(|r| ApiError::BadRequest(format!("the upload must be multipart/form-data: {}", r.body_text())))?;
    let mut file: Option<(String, String, Upload)> = None;
    let mut voice = false;
    let mut duration_ms: Option<u64> = None;
    while let Some(mut field) = form.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or_default() {
            "file" => {
                let filename = field
                    .file_name()
                    .unwrap_or("file")
                    .chars()
                    .filter(|c| !c.is_control() && !parley_domain::text::is_unsafe_char(*c))
                    .take(200)
                    .collect();
                let content_type = field.content_type().unwrap_or("application/octet-stream").to_owned();
                // Streamed to disk as it arrives: the bytes are never held in memory whole.
                let mut upload = Upload::create(&state.files).await?;
                while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                    upload.write(&chunk).await?;
                    if upload.size > MAX_FILE_BYTES as u64 {
                        return Err(ApiError::PayloadTooLarge("the file is larger than 10 MB".into()));
                    }
                }
                upload.finish().await?;
                file = Some((filename, content_type, upload));
            }
            "voice" => voice = field.text().await.map_err(multipart_error)? == "true",
            "duration_ms" => {
                let text = field.text().await.map_err(multipart_error)?;
                let ms: u64 = text.parse().map_err(|_| ApiError::BadRequest("duration_ms is not a number".into()))?;
                if ms > MAX_DURATION_MS {
                    return Err(ApiError::BadRequest(format!("duration_ms must be at most {MAX_DURATION_MS} (a day)")));
                }
                duration_ms = Some(ms);
            }
            other => return Err(ApiError::BadRequest(format!("unexpected form field {other:?}"))),
        }
    }
    let (filename, content_type, upload) = file.ok_or_else(|| ApiError::BadRequest("no file in the upload".into()))?;
    if upload.size == 0 {
        return Err(ApiError::BadRequest("the file is empty".into()));
    }
    let now = state.now();
    let dir = state.files.clone();
    let size = upload.size;
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
            let id = AttachmentId(format!("at-{}", random.iter().map(|b| format!("{b:02x}")).collect::<String>()));
            let attachment = Attachment { id, filename, content_type, size, kind, duration_ms };
            tx.insert_attachment(&attachment, &conversation.id, &auth.user.id, now)?;
            // Renamed inside the transaction: if it fails, no row remains (and the
            // temporary file goes with `upload`).
            upload.keep_as(&dir.join(attachment.id.as_str()))?;
            Ok(attachment)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(attachment)))
}

/// An upload being written to a temporary file in the attachments directory; removed
/// unless kept.
struct Upload {
    path: std::path::PathBuf,
    file: Option<tokio::fs::File>,
    size: u64,
    kept: bool,
}

impl Upload {
    async fn create(dir: &std::path::Path) -> ApiResult<Upload> {
        let io = |e: std::io::Error| ApiError::Internal(format!("storing the upload: {e}"));
        tokio::fs::create_dir_all(dir).await.map_err(io)?;
        let mut random = [0u8; 12];
        getrandom::fill(&mut random).map_err(|e| ApiError::Internal(e.to_string()))?;
        let name = format!(".upload-{}", random.iter().map(|b| format!("{b:02x}")).collect::<String>());
        let path = dir.join(name);
        let file = tokio::fs::File::create(&path).await.map_err(io)?;
        Ok(Upload { path, file: Some(file), size: 0, kept: false })
    }

    async fn write(&mut self, chunk: &[u8]) -> ApiResult<()> {
        use tokio::io::AsyncWriteExt;
        self.size += chunk.len() as u64;
        let file = self.file.as_mut().expect("open until finished");
        file.write_all(chunk).await.map_err(|e| ApiError::Internal(format!("storing the upload: {e}")))
    }

    async fn finish(&mut self) -> ApiResult<()> {
        use tokio::io::AsyncWriteExt;
        if let Some(mut file) = self.file.take() {
            file.flush().await.map_err(|e| ApiError::Internal(format!("storing the upload: {e}")))?;
        }
        Ok(())
    }

    fn keep_as(mut self, path: &std::path::Path) -> ApiResult<()> {
        std::fs::rename(&self.path, path).map_err(|e| ApiError::Internal(format!("storing the upload: {e}")))?;
        self.kept = true;
        Ok(())
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[utoipa::path(get, path = "/attachments/{id}", tag = "attachments", params(("id" = String, Path, description = "The attachment")),
    responses((status = 200, description = "The bytes: inline when a browser shows the type inertly (raster images, audio, video, PDF), else `application/octet-stream` as a download",
        content_type = "application/octet-stream", body = Bytes)))]
/// The bytes of an attachment of a conversation the user may see.
pub async fn download(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<AttachmentId>,
) -> ApiResult<Response> {
    let lookup = id.clone();
    let attachment = state
        .db
        .read(move |conn| {
            let (attachment, conversation, _, _) =
                conn.attachment(&lookup)?.ok_or_else(|| ApiError::not_found("attachment", &lookup))?;
            visible_conversation(conn, &auth.user, &conversation)
                .map_err(|_| ApiError::not_found("attachment", &lookup))?;
            Ok(attachment)
        })
        .await?;
    let bytes = tokio::fs::read(state.files.join(attachment.id.as_str()))
        .await
        .map_err(|e| ApiError::Internal(format!("reading attachment {id}: {e}")))?;
    // Shown inline only when inert; anything else is a download with no type to sniff.
    let served = parley_domain::safe_content_type(&attachment.content_type);
    let how = if served == parley_domain::OCTET_STREAM { "attachment" } else { "inline" };
    let name: String = attachment
        .filename
        .chars()
        .map(|c| if c.is_ascii_graphic() && !matches!(c, '"' | '\\') || c == ' ' { c } else { '_' })
        .collect();
    let disposition = format!("{how}; filename=\"{name}\"; filename*=UTF-8''{}", percent_encode(&attachment.filename));
    Ok((
        [
            (header::CONTENT_TYPE, served),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CONTENT_SECURITY_POLICY, "sandbox".to_owned()),
        ],
        RawBody::from(bytes),
    )
        .into_response())
}

/// RFC 8187 `filename*` value: UTF-8, every byte but unreserved ASCII percent-encoded.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
