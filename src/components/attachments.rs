//! Files in the composer ("Attach file", the files waiting to be sent) and on messages
//! (download links named by the file, players for voice notes and audio).
//!
//! Attachment bytes need the session token, so a plain link cannot fetch them: the
//! conversation view provides [`AttachmentFiles`], which fetches a file as a blob and
//! hands back an object URL.

use leptos::html::{A, Input};
use leptos::prelude::*;
use parley_domain::{Attachment, AttachmentId, AttachmentKind};
use wasm_bindgen::JsCast;

use crate::format::{clock_duration, file_size};

/// A file attached to the reply being written, as the composer shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingFile {
    pub key: u64,
    pub filename: String,
    pub size: u64,
    /// Uploaded (else still uploading).
    pub uploaded: bool,
}

/// The "Attach file" control, the files waiting to go with the reply (each with
/// Remove), and why the last file was refused.
#[component]
pub fn AttachmentTray(
    #[prop(into)] files: Signal<Vec<PendingFile>>,
    #[prop(into)] error: Signal<Option<String>>,
    /// Replying is not possible now.
    #[prop(into)]
    disabled: Signal<bool>,
    on_files: Callback<Vec<web_sys::File>>,
    on_remove: Callback<u64>,
    on_dismiss_error: Callback<()>,
    /// What failed can be sent again ("Try again" next to the error).
    #[prop(into)]
    retry: Signal<bool>,
    on_retry: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let input: NodeRef<Input> = NodeRef::new();
    let picked = move |_| {
        let Some(el) = input.get_untracked() else { return };
        let chosen: Vec<web_sys::File> =
            el.files().map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default();
        // Picking the same file again must fire `change` again.
        el.set_value("");
        if !chosen.is_empty() {
            on_files.run(chosen);
        }
    };
    view! {
        <div class="attachments">
            <label class="button attachments__pick" class:button--disabled=disabled>
                {t.attach_file}
                <input
                    type="file"
                    multiple
                    class="visually-hidden"
                    node_ref=input
                    disabled=disabled
                    on:change=picked
                />
            </label>
            <Show when=move || files.with(|f| !f.is_empty())>
                <ul class="attachments__pending" aria-label=t.attachments_to_send>
                    <For each=move || files.get() key=|f| (f.key, f.uploaded) let:file>
                        <li class="attachments__file">
                            <span class="attachments__name">{file.filename.clone()}</span>
                            <span class="attachments__size">
                                {file_size(file.size)}
                                {(!file.uploaded).then_some(t.uploading)}
                            </span>
                            <button
                                type="button"
                                class="button button--small"
                                aria-label=(t.remove_named)(&file.filename)
                                on:click=move |_| on_remove.run(file.key)
                            >
                                {t.remove}
                            </button>
                        </li>
                    </For>
                </ul>
            </Show>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p role="alert" class="attachments__error">
                                {e}
                                {move || {
                                    retry
                                        .get()
                                        .then(|| {
                                            view! {
                                                " "
                                                <button
                                                    type="button"
                                                    class="button button--small"
                                                    on:click=move |_| on_retry.run(())
                                                >
                                                    {t.try_again}
                                                </button>
                                            }
                                        })
                                }}
                                    " "
                                    <button
                                        type="button"
                                        class="button button--small"
                                        on:click=move |_| on_dismiss_error.run(())
                                    >
                                    {t.dismiss}
                                </button>
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// How the timeline gets an attachment's bytes without knowing the API (context).
#[derive(Clone, Copy)]
pub struct AttachmentFiles {
    /// Object URLs of the attachments fetched so far: (attachment id, URL).
    pub urls: Signal<Vec<(AttachmentId, String)>>,
    /// Fetches an attachment; its URL then appears in `urls`.
    pub fetch: Callback<AttachmentId>,
}

/// The attachments of one message.
#[component]
pub fn MessageAttachments(attachments: Vec<Attachment>) -> impl IntoView {
    let t = crate::i18n::t();
    let files = use_context::<AttachmentFiles>();
    (!attachments.is_empty()).then(|| {
        view! {
            <ul class="message__attachments" aria-label=t.attachments>
                {attachments.into_iter().map(|a| view! { <li><AttachmentItem attachment=a files /></li> }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn AttachmentItem(attachment: Attachment, files: Option<AttachmentFiles>) -> impl IntoView {
    let id = attachment.id.clone();
    let url = Memo::new({
        let id = id.clone();
        move |_| files.and_then(|f| f.urls.with(|u| u.iter().find(|(i, _)| *i == id).map(|(_, url)| url.clone())))
    });
    let link: NodeRef<A> = NodeRef::new();
    // A click before the bytes are here fetches them, then clicks again.
    let wants_download = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(href) = url.get()
            && wants_download.get_untracked()
        {
            wants_download.set(false);
            if let Some(a) = link.get_untracked() {
                a.set_href(&href);
                a.unchecked_ref::<web_sys::HtmlElement>().click();
            }
        }
    });
    let fetch = {
        let id = id.clone();
        move || {
            if let Some(f) = files {
                f.fetch.run(id.clone());
            }
        }
    };
    let audio = matches!(attachment.kind, AttachmentKind::Voice | AttachmentKind::Audio);
    if audio {
        // Recordings are small and meant to be played here: fetch at once.
        fetch();
    }
    let download = view! {
        <a
            class="attachment__link"
            node_ref=link
            href=move || url.get().unwrap_or_else(|| "#".into())
            download=attachment.filename.clone()
            on:click={
                let fetch = fetch.clone();
                move |ev| {
                    if url.get_untracked().is_none() {
                        ev.prevent_default();
                        wants_download.set(true);
                        fetch();
                    }
                }
            }
        >
            {attachment.filename.clone()}
        </a>
        <span class="attachment__size">{file_size(attachment.size)}</span>
    };
    if audio {
        let t = crate::i18n::t();
        let kind = if attachment.kind == AttachmentKind::Voice { t.voice_note } else { t.audio };
        let caption = match attachment.duration_ms {
            Some(ms) => format!("{kind}, {}", clock_duration(ms as i64)),
            None => kind.to_owned(),
        };
        view! {
            <figure class="attachment attachment--audio">
                <figcaption class="attachment__caption">{caption}</figcaption>
                {move || url.get().map(|src| view! { <audio class="attachment__player" controls src=src></audio> })}
                <div class="attachment__file">{download}</div>
            </figure>
        }
        .into_any()
    } else {
        view! { <div class="attachment attachment__file">{download}</div> }.into_any()
    }
}
