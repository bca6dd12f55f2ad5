//! `/inbox/:inbox/c/:conversation`: the open conversation and its contact.

use leptos::prelude::*;
use parley_domain::Status;
use parley_domain::window::{ServiceWindow, window_hours};

use super::contact_panel::ContactPanel;
use crate::components::{AssistSupport, ComposerSupport, PickerSources};
use crate::components::{
    AttachmentFiles, AttachmentTray, ConversationView, PendingFile, ReplyChannel, SendTranscript, TemplateReply,
    VoiceRecorder,
};
use crate::store::{
    Composer, OpenConversation, Outreach, use_clock, use_composer, use_contacts, use_list, use_outreach, use_palette,
    use_preferences, use_session, use_thread,
};

#[component]
pub fn ConversationPage() -> impl IntoView {
    let thread = use_thread();
    let open = thread.open();
    let open_id = Memo::new(move |_| open.with(|o| o.as_ref().map(|o| o.summary.id.clone())));
    let failed = thread.open_failed();
    // Rebuilt only when another conversation opens, so the composer mounts (and takes
    // focus) once per conversation, not once per message.
    move || match open_id.get() {
        Some(_) => open.get_untracked().map(|snapshot| view! { <OpenConversationView snapshot /> }.into_any()),
        None => Some(super::conversation_placeholder(move || {
            let t = crate::i18n::t();
            if failed.get() { t.conversation_failed } else { t.loading_conversation }
        })),
    }
}

/// The conversation view and contact sidebar for one open conversation. `snapshot` is
/// what the signals fall back to in the instant before this view is dropped.
#[component]
fn OpenConversationView(snapshot: OpenConversation) -> impl IntoView {
    let composer = use_composer();
    let contacts = use_contacts();
    let list = use_list();
    let preferences = use_preferences();
    let session = use_session();
    let thread = use_thread();
    let open = thread.open();
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
    let me = session.me();
    let members =
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.workspace.members.clone()).unwrap_or_default()));
    let teams = session.teams();
    let assignee = Signal::derive(move || contact.with(|c| c.assigned()));
    let now = use_clock();
    let media = Media::new(composer, summary, now);
    let selection = list.selection();
    let back_href = Signal::derive(move || {
        selection.with(|s| s.as_ref().map(|s| format!("inbox/{}", s.inbox)).unwrap_or_else(|| "./".into()))
    });
    // Offered only when the server can send mail (`--smtp`).
    let header_tools = ViewFn::from({
        let id = snapshot.summary.id.clone();
        move || {
            let id = id.clone();
            let send = super::submit(thread.transcript(), move |to| (id.clone(), to));
            let email = Signal::derive(move || contact.with(|c| c.email.clone()));
            let on = move || me.with(|m| m.as_ref().is_some_and(|m| m.transcripts));
            view! {
                <Show when=on>
                    <SendTranscript email send />
                </Show>
            }
        }
    });
    let id = snapshot.summary.id.clone();
    let support = ComposerSupport {
        draft: composer.draft(&id),
        on_draft: Callback::new(move |text: String| composer.save_draft(&id, &text)),
        sources: PickerSources {
            emoji: composer.emoji(),
            snippets: composer.snippets(),
            load: Callback::new(move |kind| composer.load_picker(kind)),
        },
        autofocus: use_palette().take_focus(),
        request: use_palette().request(),
        // Offered only when the server has an AI endpoint (`--ai-url`).
        assist: me.with_untracked(|m| m.as_ref().is_some_and(|m| m.ai_assist)).then(|| AssistSupport {
            ask: Callback::new(move |(action, draft)| composer.ask_ai(action, draft)),
            pending: composer.ai_pending(),
            suggestion: composer.ai_suggestion(),
            error: composer.ai_error(),
            dismiss: Callback::new(move |()| composer.dismiss_ai()),
        }),
    };
    view! {
        <ConversationView
            composer=support
            back_href
            summary
            messages
            notes
            activities
            show_activities=preferences.show_activities()
            has_older
            assignee
            members
            teams
            first_unread=thread.first_unread()
            insert=composer.insert()
            me=session.my_id()
            presence=thread.presence_here()
            now
            on_send=Callback::new(move |text| {
                if media.tagged.get_untracked() { media.outreach.send_tagged(text) } else { composer.send(text) }
            })
            on_note=Callback::new(move |text| thread.add_note(text))
            on_typing=Callback::new(move |()| thread.typing())
            on_transition=Callback::new(move |t| thread.transition(t))
            on_show_activities=Callback::new(move |show| preferences.set_show_activities(show))
            on_edit_note=Callback::new(move |(id, text)| thread.edit_note(id, text))
            on_delete_note=Callback::new(move |id| thread.delete_note(id))
            waiting=thread.waiting()
            on_retry=Callback::new(move |client_id| thread.retry(client_id))
            on_load_older=Callback::new(move |()| thread.load_older())
            reply_blocked=media.reply_blocked
            attachments_ready=media.attachments_ready
            composer_tools=media.tools()
            on_assign=Callback::new(move |assignee| contacts.assign_open(assignee))
            on_quote=Callback::new(move |text| composer.quote(text))
            on_copy=Callback::new(move |text| preferences.copy_text(text))
            header_tools
        />
        <ContactPanel contact members now />
    }
}

/// The composer's media wiring: reply channel, attachments, voice notes, and the
/// service window of the chosen channel — outside it, the template form, and on Messenger
/// within 7 days the human-agent tag.
#[derive(Clone, Copy)]
struct Media {
    composer: Composer,
    outreach: Outreach,
    /// The human-agent tag is ticked and makes free text possible (Messenger, 24 h to 7 days).
    tagged: Signal<bool>,
    tag: RwSignal<bool>,
    /// The 24-hour window has closed but the tag's 7 days have not.
    tag_offered: Signal<bool>,
    reply_blocked: Signal<Option<String>>,
    attachments_ready: Signal<bool>,
    /// No reply can go out now (closed conversation or closed window).
    blocked: Signal<bool>,
    voice_notes: Signal<bool>,
}

impl Media {
    fn new(composer: Composer, summary: Memo<parley_domain::wire::ConversationSummary>, now: Signal<i64>) -> Self {
        // Timeline attachments fetch their bytes through the store (they need the token).
        provide_context(AttachmentFiles {
            urls: composer.attachment_urls(),
            fetch: Callback::new(move |id| composer.fetch_attachment(id)),
        });
        let channel = composer.reply_channel();
        let options = composer.reply_options();
        let service = composer.reply_window(now, false);
        let with_tag = composer.reply_window(now, true);
        // Memos: the clock ticks every 30 s, and the forms must not be built again for it.
        let tag_offered: Signal<bool> =
            Memo::new(move |_| !service.get().allows_free_form() && with_tag.get().allows_free_form()).into();
        let tag = RwSignal::new(false);
        let tagged = Signal::derive(move || tag.get() && tag_offered.get());
        let reply_blocked = Signal::derive(move || {
            let ServiceWindow::Expired { .. } = service.get() else { return None };
            if tagged.get() {
                return None;
            }
            let channel = channel.get()?;
            let hours = window_hours(channel.kind, false).unwrap_or(24);
            let t = crate::i18n::t();
            Some((t.window_closed)(hours, (t.channel)(channel.kind), options.with(|o| o.len() > 1)))
        });
        let uploads = composer.uploads();
        Media {
            composer,
            outreach: use_outreach(),
            tagged,
            tag,
            tag_offered,
            reply_blocked,
            attachments_ready: Signal::derive(move || uploads.with(|u| u.iter().any(|u| u.attachment.is_some()))),
            blocked: Signal::derive(move || {
                reply_blocked.with(Option::is_some) || summary.with(|s| s.status == Status::Closed)
            }),
            voice_notes: Signal::derive(move || summary.with(|s| s.channel.kind.supports_voice_notes())),
        }
    }

    fn tools(self) -> ViewFn {
        let Media { composer, outreach, tag, tag_offered, reply_blocked, blocked, voice_notes, .. } = self;
        let t = crate::i18n::t();
        // Free text refused: the approved templates, fetched afresh each time it shows.
        let refused = Memo::new(move |_| reply_blocked.with(Option::is_some));
        let sent = outreach.sent();
        let templates = move || {
            // Built again once a template went out: the next one starts from scratch.
            sent.track();
            refused.get().then(|| {
                untrack(move || outreach.load());
                view! {
                    <TemplateReply
                        templates=outreach.templates()
                        on_send=Callback::new(move |(id, values)| outreach.send_template(id, values))
                        pending=outreach.sending()
                    />
                }
            })
        };
        let tag_box = move || {
            tag_offered.get().then(|| {
                view! {
                    <label class="field field--inline">
                        <input type="checkbox" bind:checked=tag />
                        {t.human_agent_tag}
                    </label>
                }
            })
        };
        let uploads = composer.uploads();
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
                    options=composer.reply_options()
                    selected=composer.reply_channel()
                    on_select=Callback::new(move |c| composer.set_reply_channel(c))
                />
                {tag_box}
                {templates}
                <AttachmentTray
                    files
                    error=composer.media_error()
                    disabled=blocked
                    on_files=Callback::new(move |f| composer.attach(f))
                    on_remove=Callback::new(move |key| composer.remove_upload(key))
                    on_dismiss_error=Callback::new(move |()| composer.dismiss_media_error())
                    retry=composer.voice_retry()
                    on_retry=Callback::new(move |()| composer.retry_voice())
                />
                <VoiceRecorder
                    disabled=blocked
                    voice_notes
                    on_send=Callback::new(move |(recording, ms)| composer.send_voice(recording, ms))
                />
            }
        })
    }
}
