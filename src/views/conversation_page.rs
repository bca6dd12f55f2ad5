//! `/inbox/:inbox/c/:conversation`: the open conversation and its contact.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use parley_domain::window::{ServiceWindow, window_hours};
use parley_domain::{ConversationId, Status};

use super::contact_panel::ContactPanel;
use super::use_clock;
use crate::components::{AttachmentFiles, AttachmentTray, ConversationView, PendingFile, ReplyChannel, VoiceRecorder};
use crate::components::{ComposerSupport, PickerSources};
use crate::store::{OpenConversation, Store, use_palette, use_store};

#[component]
pub fn ConversationPage() -> impl IntoView {
    let store = use_store();
    let params = use_params_map();
    let wanted = Memo::new(move |_| params.with(|p| p.get("conversation")).map(ConversationId::new));
    Effect::new(move |_| store.open_conversation(wanted.get()));
    let open = store.open();
    let open_id = Memo::new(move |_| open.with(|o| o.as_ref().map(|o| o.summary.id.clone())));
    let failed = store.open_failed();
    // Rebuilt only when another conversation opens, so the composer mounts (and takes
    // focus) once per conversation, not once per message.
    move || match open_id.get() {
        Some(_) => open.get_untracked().map(|snapshot| view! { <OpenConversationView snapshot /> }.into_any()),
        None => Some(
            view! {
                <div class="conversation-placeholder">
                    <p role="status">
                        {move || {
                            if failed.get() {
                                "This conversation could not be loaded."
                            } else {
                                "Loading conversation…"
                            }
                        }}
                    </p>
                </div>
            }
            .into_any(),
        ),
    }
}

/// The conversation view and contact sidebar for one open conversation. `snapshot` is
/// what the signals fall back to in the instant before this view is dropped.
#[component]
fn OpenConversationView(snapshot: OpenConversation) -> impl IntoView {
    let store = use_store();
    let open = store.open();
    let summary = Memo::new({
        let snapshot = snapshot.clone();
        move |_| open.with(|o| o.as_ref().unwrap_or(&snapshot).summary.clone())
    });
    let contact = Memo::new({
        let snapshot = snapshot.clone();
        move |_| open.with(|o| o.as_ref().unwrap_or(&snapshot).contact.clone())
    });
    let messages = Memo::new({
        let snapshot = snapshot.clone();
        move |_| open.with(|o| o.as_ref().unwrap_or(&snapshot).messages.clone())
    });
    let notes = Memo::new({
        let snapshot = snapshot.clone();
        move |_| open.with(|o| o.as_ref().unwrap_or(&snapshot).notes.clone())
    });
    let activities = Memo::new({
        let snapshot = snapshot.clone();
        move |_| open.with(|o| o.as_ref().unwrap_or(&snapshot).activities.clone())
    });
    let has_older = Memo::new({
        let snapshot = snapshot.clone();
        move |_| open.with(|o| o.as_ref().unwrap_or(&snapshot).older.is_some())
    });
    let me = store.me();
    let members =
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.workspace.members.clone()).unwrap_or_default()));
    let assignee = Signal::derive(move || contact.with(|c| c.assignee.clone()));
    let now = use_clock();
    let media = Media::new(store, summary, now);
    let selection = store.selection();
    let back_href = Signal::derive(move || {
        selection.with(|s| s.as_ref().map(|s| format!("/inbox/{}", s.inbox)).unwrap_or_else(|| "/".into()))
    });
    let id = snapshot.summary.id.clone();
    let composer = ComposerSupport {
        draft: store.draft(&id),
        on_draft: Callback::new(move |text: String| store.save_draft(&id, &text)),
        sources: PickerSources {
            emoji: store.emoji(),
            snippets: store.snippets(),
            load: Callback::new(move |kind| store.load_picker(kind)),
        },
        autofocus: use_palette().take_focus(),
        request: use_palette().request(),
    };
    view! {
        <ConversationView
            composer
            back_href
            summary
            messages
            notes
            activities
            show_activities=store.show_activities()
            has_older
            assignee
            members
            first_unread=store.first_unread()
            insert=store.insert()
            me=store.my_id()
            presence=store.presence_here()
            now
            on_send=Callback::new(move |text| store.send(text))
            on_note=Callback::new(move |text| store.add_note(text))
            on_typing=Callback::new(move |()| store.typing())
            on_transition=Callback::new(move |t| store.transition(t))
            on_show_activities=Callback::new(move |show| store.set_show_activities(show))
            on_edit_note=Callback::new(move |(id, text)| store.edit_note(id, text))
            on_delete_note=Callback::new(move |id| store.delete_note(id))
            waiting=store.waiting()
            on_retry=Callback::new(move |client_id| store.retry(client_id))
            on_load_older=Callback::new(move |()| store.load_older())
            reply_blocked=media.reply_blocked
            attachments_ready=media.attachments_ready
            composer_tools=media.tools()
            on_assign=Callback::new(move |assignee| store.assign(assignee))
            on_quote=Callback::new(move |text| store.quote(text))
            on_copy=Callback::new(move |text| store.copy_text(text))
        />
        <ContactPanel contact members now />
    }
}

/// The composer's media wiring: reply channel, attachments, voice notes, and the
/// service window of the chosen channel.
#[derive(Clone, Copy)]
struct Media {
    store: Store,
    reply_blocked: Signal<Option<String>>,
    attachments_ready: Signal<bool>,
    /// No reply can go out now (closed conversation or closed window).
    blocked: Signal<bool>,
    voice_notes: Signal<bool>,
}

impl Media {
    fn new(store: Store, summary: Memo<parley_domain::wire::ConversationSummary>, now: Signal<i64>) -> Self {
        // Timeline attachments fetch their bytes through the store (they need the token).
        provide_context(AttachmentFiles {
            urls: store.attachment_urls(),
            fetch: Callback::new(move |id| store.fetch_attachment(id)),
        });
        let channel = store.reply_channel();
        let options = store.reply_options();
        let service = store.reply_window(now);
        let reply_blocked = Signal::derive(move || {
            let ServiceWindow::Expired { .. } = service.get() else { return None };
            let channel = channel.get()?;
            let hours = window_hours(channel.kind, false).unwrap_or(24);
            let other = if options.with(|o| o.len() > 1) { " or reply via another channel" } else { "" };
            Some(format!(
                "The {hours}-hour {} customer-service window has closed: a free-form reply is possible again once \
                 the contact writes. You can still add an internal note{other}.",
                channel.kind.label()
            ))
        });
        let uploads = store.uploads();
        Media {
            store,
            reply_blocked,
            attachments_ready: Signal::derive(move || uploads.with(|u| u.iter().any(|u| u.attachment.is_some()))),
            blocked: Signal::derive(move || {
                reply_blocked.with(Option::is_some) || summary.with(|s| s.status == Status::Closed)
            }),
            voice_notes: Signal::derive(move || summary.with(|s| s.channel.kind.supports_voice_notes())),
        }
    }

    fn tools(self) -> ViewFn {
        let Media { store, blocked, voice_notes, .. } = self;
        let uploads = store.uploads();
        let files = Signal::derive(move || {
            uploads.with(|u| {
                u.iter()
                    .map(|u| PendingFile {
                        key: u.key,
                        filename: u.filename.clone(),
                        size: u.size,
                        uploaded: u.attachment.is_some(),
                    })
                    .collect::<Vec<_>>()
            })
        });
        ViewFn::from(move || {
            view! {
                <ReplyChannel
                    options=store.reply_options()
                    selected=store.reply_channel()
                    on_select=Callback::new(move |c| store.set_reply_channel(c))
                />
                <AttachmentTray
                    files
                    error=store.media_error()
                    disabled=blocked
                    on_files=Callback::new(move |f| store.attach(f))
                    on_remove=Callback::new(move |key| store.remove_upload(key))
                    on_dismiss_error=Callback::new(move |()| store.dismiss_media_error())
                    retry=store.voice_retry()
                    on_retry=Callback::new(move |()| store.retry_voice())
                />
                <VoiceRecorder
                    disabled=blocked
                    voice_notes
                    on_send=Callback::new(move |(recording, ms)| store.send_voice(recording, ms))
                />
            }
        })
    }
}
