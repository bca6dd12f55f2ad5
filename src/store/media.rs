//! Composer media: files attached to the reply, voice notes, the reply channel, and the
//! bytes of attachments shown in the timeline (they need the session token, so they are
//! fetched as blobs and shown through object URLs).

use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::{Attachment, AttachmentId, ChannelId, ConversationId, MAX_ATTACHMENT_BYTES};

use super::composer::{Composer, Upload};
use super::words::{describe, too_large};
use crate::api::ApiError;

impl Composer {
    /// Files attached to the reply being written.
    pub fn uploads(&self) -> Signal<Vec<Upload>> {
        self.uploads.into()
    }

    /// Why the last file or voice note could not be added or sent.
    pub fn media_error(&self) -> Signal<Option<String>> {
        self.media_error.into()
    }

    /// A failed voice note can be sent again.
    pub fn voice_retry(&self) -> Signal<bool> {
        self.voice_retry.into()
    }

    /// Object URLs of fetched attachments: (attachment id, URL).
    pub fn attachment_urls(&self) -> Signal<Vec<(AttachmentId, String)>> {
        self.attachment_urls.into()
    }

    /// Uploads the picked files to the open conversation; each waits in the composer
    /// until the reply is sent. A file over the limit is refused before uploading, and
    /// nothing else (the text, other files) is lost.
    pub fn attach(self, files: Vec<web_sys::File>) {
        let Some(api) = self.session.api() else { return };
        let Some(conversation) = self.thread.open_id() else {
            return;
        };
        self.media_error.set(None);
        for file in files {
            let filename = file.name();
            let size = file.size() as u64;
            if size > MAX_ATTACHMENT_BYTES {
                self.media_error.set(Some(too_large(&format!("“{filename}”"), size)));
                continue;
            }
            let key = self.upload_key.get_value() + 1;
            self.upload_key.set_value(key);
            self.uploads.update(|u| u.push(Upload { key, filename: filename.clone(), size, attachment: None }));
            let api = api.clone();
            let conversation = conversation.clone();
            spawn_local(async move {
                let result = api.upload_attachment(&conversation, &file, &filename, None).await;
                // Removed meanwhile, or another conversation opened (keys never repeat).
                if !self.uploads.with_untracked(|u| u.iter().any(|u| u.key == key)) {
                    return;
                }
                match result {
                    Ok(attachment) => self.uploads.update(|u| {
                        if let Some(u) = u.iter_mut().find(|u| u.key == key) {
                            u.attachment = Some(attachment);
                        }
                    }),
                    Err(e) => {
                        self.uploads.update(|u| u.retain(|u| u.key != key));
                        self.media_failed(&format!("“{filename}”"), size, e);
                    }
                }
            });
        }
    }

    /// Takes a file back out of the reply being written.
    pub fn remove_upload(self, key: u64) {
        self.uploads.update(|u| u.retain(|u| u.key != key));
    }

    /// Uploads a recording (`duration_ms` long) and sends it on its own: as a voice note
    /// where the conversation's channel plays them, otherwise as an audio file (the
    /// server decides, docs/api.md).
    pub fn send_voice(self, recording: web_sys::Blob, duration_ms: u64) {
        let Some(api) = self.session.api() else { return };
        let Some(conversation) = self.thread.open_id() else {
            return;
        };
        self.media_error.set(None);
        self.forget_failed_voice();
        let filename = format!("voice-note.{}", extension(&recording.type_()));
        let size = recording.size() as u64;
        spawn_local(async move {
            let result = api.upload_attachment(&conversation, &recording, &filename, Some(duration_ms)).await;
            let still_open = self.thread.open_id().as_ref() == Some(&conversation);
            match result {
                Ok(attachment) if still_open => self.send_message(String::new(), vec![attachment]),
                Ok(_) => {}
                Err(e) => {
                    // Kept for "Try again" unless it can never go (too large) or the
                    // agent has moved on to another conversation.
                    let retryable = !matches!(e, ApiError::Http { status: 413, .. } | ApiError::Unauthorized);
                    if retryable && still_open {
                        self.failed_voice.set_value(Some((recording, duration_ms)));
                        self.voice_retry.set(true);
                    }
                    self.media_failed(crate::i18n::t().the_voice_note, size, e);
                }
            }
        });
    }

    /// Sends the voice note whose upload failed again.
    pub fn retry_voice(self) {
        let failed = self.failed_voice.try_update_value(Option::take).flatten();
        if let Some((recording, duration_ms)) = failed {
            self.send_voice(recording, duration_ms);
        }
    }

    fn forget_failed_voice(self) {
        self.failed_voice.set_value(None);
        self.voice_retry.set(false);
    }

    /// Picks the channel the reply goes out on (it stays picked for this conversation).
    pub fn set_reply_channel(self, channel: ChannelId) {
        self.reply_choice.set(Some(channel));
    }

    /// New conversation picked `channel` for `conversation`: the reply goes out on it
    /// when that conversation is (or once it is) open.
    pub(super) fn reply_on(self, conversation: ConversationId, channel: ChannelId) {
        if self.thread.wanted_id().as_ref() == Some(&conversation) {
            self.reply_choice.set(Some(channel));
        } else {
            self.started.set_value(Some((conversation, channel)));
        }
    }

    /// Dismisses the media error (a failed voice note with it).
    pub fn dismiss_media_error(self) {
        self.media_error.set(None);
        self.forget_failed_voice();
    }

    /// Fetches an attachment's bytes once; its object URL then appears in
    /// [`Composer::attachment_urls`].
    pub fn fetch_attachment(self, id: AttachmentId) {
        let Some(api) = self.session.api() else { return };
        let known = self.attachment_urls.with_untracked(|u| u.iter().any(|(i, _)| *i == id));
        if known || self.attachment_fetching.with_value(|f| f.contains(&id)) {
            return;
        }
        self.attachment_fetching.update_value(|f| f.push(id.clone()));
        spawn_local(async move {
            let result = api.attachment(&id).await;
            // Another conversation opened meanwhile (`reset_media` emptied the list).
            if !self.attachment_fetching.with_value(|f| f.contains(&id)) {
                return;
            }
            self.attachment_fetching.update_value(|f| f.retain(|i| *i != id));
            match result.and_then(|blob| {
                // Whatever type the response claimed, the blob gets the safe one: an
                // HTML or SVG file opened from it must not run in the app's origin.
                let options = web_sys::BlobPropertyBag::new();
                options.set_type(&parley_domain::safe_content_type(&blob.type_()));
                web_sys::Blob::new_with_blob_sequence_and_options(&js_sys::Array::of1(&blob), &options)
                    .and_then(|safe| web_sys::Url::create_object_url_with_blob(&safe))
                    .map_err(|e| ApiError::Decode(format!("object URL: {e:?}")))
            }) {
                Ok(url) => self.attachment_urls.update(|u| u.push((id, url))),
                Err(e) => self.session.fail(e),
            }
        });
    }

    /// The uploaded files, taken out of the composer to go with a message (files still
    /// uploading stay for the next one).
    pub(super) fn take_uploaded(self) -> Vec<Attachment> {
        let mut taken = Vec::new();
        self.uploads.update(|u| {
            u.retain(|u| match &u.attachment {
                Some(a) => {
                    taken.push(a.clone());
                    false
                }
                None => true,
            })
        });
        taken
    }

    /// Forgets the composer media of the conversation being left.
    pub(super) fn reset(self) {
        self.uploads.set(Vec::new());
        self.media_error.set(None);
        self.forget_failed_voice();
        let opened = self.thread.wanted_id();
        let started = self.started.get_value().filter(|(id, _)| Some(id) == opened.as_ref());
        self.reply_choice.set(started.map(|(_, channel)| channel));
        self.started.set_value(None);
        self.attachment_fetching.set_value(Vec::new());
        for (_, url) in self.attachment_urls.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
        self.attachment_urls.set(Vec::new());
    }

    fn media_failed(self, what: &str, size: u64, error: ApiError) {
        match error {
            ApiError::Http { status: 413, .. } => self.media_error.set(Some(too_large(what, size))),
            ApiError::Unauthorized => self.session.fail(error),
            e => self.media_error.set(Some(format!("{what} could not be uploaded. {}", describe(&e)))),
        }
    }
}

/// A file name extension for a recording of MIME type `mime` ("audio/webm;codecs=opus").
fn extension(mime: &str) -> &'static str {
    let essence = mime.split(';').next().unwrap_or_default().trim();
    match essence {
        "audio/ogg" => "ogg",
        "audio/mp4" | "audio/aac" => "m4a",
        "audio/mpeg" => "mp3",
        "audio/wav" | "audio/x-wav" => "wav",
        _ => "webm",
    }
}

#[cfg(test)]
mod tests {
    use super::extension;

    #[test]
    fn recordings_are_named_by_type() {
        for (mime, ext) in
            [("audio/webm;codecs=opus", "webm"), ("audio/ogg; codecs=opus", "ogg"), ("audio/mp4", "m4a"), ("", "webm")]
        {
            assert_eq!(extension(mime), ext, "{mime:?}");
        }
    }
}
