//! The composer slice: what the reply box needs besides the text — drafts, the emoji
//! table and saved replies for the pickers, a quoted message to insert, and (in
//! `media.rs`) the files, voice notes and reply channel of the reply being written.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::composer::{EmojiData, PickerKind};
use parley_domain::wire::{Snippet, SnippetInput};
use parley_domain::{Attachment, AttachmentId, Channel, ChannelId, ConversationId, SnippetId, reply, window};

use super::session::{Failure, Session, Write};
use super::storage;
use super::thread::Thread;
use super::words::describe;
use crate::api::{self, ApiError};

/// A file attached to the reply being written (uploaded as soon as it is picked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    /// Tells uploads apart, even two of the same file.
    pub key: u64,
    pub filename: String,
    pub size: u64,
    /// The server's record once uploaded; `None` while uploading.
    pub attachment: Option<Attachment>,
}

/// The composer handle (`Copy`; see [`super::use_composer`]).
#[derive(Clone, Copy)]
pub struct Composer {
    pub(super) session: Session,
    pub(super) thread: Thread,
    /// The composer's emoji table, fetched when the picker first opens.
    emoji: RwSignal<Loaded<Arc<EmojiData>>>,
    emoji_loading: StoredValue<bool>,
    /// Saved replies (`/` in the composer, and their settings page).
    snippets: RwSignal<Loaded<Vec<Snippet>>>,
    /// Text for the composer to insert (a quoted message), numbered so that quoting the
    /// same message twice inserts it twice.
    insert: RwSignal<Option<(u64, String)>>,
    /// Files attached to the reply being written in the open conversation.
    pub(super) uploads: RwSignal<Vec<Upload>>,
    pub(super) upload_key: StoredValue<u64>,
    /// Why a file or voice note could not be added or sent, in words.
    pub(super) media_error: RwSignal<Option<String>>,
    /// A voice note whose upload failed, kept for "Try again" (a recording cannot be
    /// made twice).
    pub(super) failed_voice: StoredValue<Option<(web_sys::Blob, u64)>, LocalStorage>,
    pub(super) voice_retry: RwSignal<bool>,
    /// The reply channel the agent picked; `None` follows `reply::default_reply_channel`.
    pub(super) reply_choice: RwSignal<Option<ChannelId>>,
    /// New conversation's channel, for that conversation once it opens.
    pub(super) started: StoredValue<Option<(ConversationId, ChannelId)>>,
    /// Object URLs of the open conversation's attachments fetched so far: (id, URL).
    pub(super) attachment_urls: RwSignal<Vec<(AttachmentId, String)>>,
    /// Attachment ids being fetched, so a file is fetched once.
    pub(super) attachment_fetching: StoredValue<Vec<AttachmentId>>,
    /// Creates (`None`) or replaces a saved reply.
    pub save_snippet: Write<(Option<SnippetId>, SnippetInput), Snippet>,
    pub delete_snippet: Write<SnippetId, SnippetId>,
    /// AI assist (`assist.rs`): the request, and its answer for one conversation.
    pub(super) assist: Write<(ConversationId, parley_domain::assist::AssistAction, String), ()>,
    pub(super) assisted: super::assist::AssistState,
}

/// Something loaded on demand: `None` until it has arrived (or failed).
pub type Loaded<T> = Option<Result<T, String>>;

/// Puts a saved item into a loaded list (replacing the one with its id, or added);
/// answers false when the list is not loaded, so the caller loads it.
pub(super) fn put_saved<T: Clone + Send + Sync + 'static, K: PartialEq>(
    loaded: RwSignal<Loaded<Vec<T>>>,
    saved: &T,
    id: impl Fn(&T) -> &K,
) -> bool {
    let mut put = true;
    loaded.update(|all| match all {
        Some(Ok(list)) => match list.iter_mut().find(|x| id(x) == id(saved)) {
            Some(existing) => *existing = saved.clone(),
            None => list.push(saved.clone()),
        },
        _ => put = false,
    });
    put
}

impl Composer {
    pub(super) fn new(session: Session, thread: Thread) -> Self {
        let snippets = RwSignal::new(None::<Result<Vec<Snippet>, String>>);
        let assisted = RwSignal::new(None);
        let composer = Self {
            session,
            thread,
            emoji: RwSignal::new(None),
            emoji_loading: StoredValue::new(false),
            snippets,
            insert: RwSignal::new(None),
            uploads: RwSignal::new(Vec::new()),
            upload_key: StoredValue::new(0),
            media_error: RwSignal::new(None),
            failed_voice: StoredValue::new_local(None),
            voice_retry: RwSignal::new(false),
            reply_choice: RwSignal::new(None),
            started: StoredValue::new(None),
            attachment_urls: RwSignal::new(Vec::new()),
            attachment_fetching: StoredValue::new(Vec::new()),
            save_snippet: session.write(
                Failure::Kept,
                move |api, (id, input): (Option<SnippetId>, SnippetInput)| async move {
                    let saved = match &id {
                        None => api.create_snippet(&input).await,
                        Some(id) => api.update_snippet(id, &input).await,
                    }?;
                    if !put_saved(snippets, &saved, |s| &s.id) {
                        load_snippets(session, snippets);
                    }
                    Ok(saved)
                },
            ),
            delete_snippet: session.write(Failure::Kept, move |api, id: SnippetId| async move {
                api.delete_snippet(&id).await?;
                snippets.update(|s| {
                    if let Some(Ok(list)) = s {
                        list.retain(|x| x.id != id);
                    }
                });
                Ok(id)
            }),
            assist: super::assist::assist_write(session, assisted),
            assisted,
        };
        session.on_end(move || {
            composer.reset();
            composer.snippets.set(None);
            composer.assisted.set(None);
        });
        composer
    }

    /// The saved draft of a conversation ("" when none).
    pub fn draft(self, conversation: &ConversationId) -> String {
        storage::load_draft(conversation.as_str())
    }

    /// Remembers the reply being written in `conversation` (an empty text forgets it).
    pub fn save_draft(self, conversation: &ConversationId, text: &str) {
        storage::save_draft(conversation.as_str(), text);
    }

    /// The emoji table, once loaded.
    pub fn emoji(&self) -> Signal<Loaded<Arc<EmojiData>>> {
        self.emoji.into()
    }

    /// The saved replies, once loaded.
    pub fn snippets(&self) -> Signal<Loaded<Vec<Snippet>>> {
        self.snippets.into()
    }

    /// Whether the user may create, edit and delete saved replies (owners and managers;
    /// the server checks it too).
    pub fn can_manage_snippets(&self) -> Signal<bool> {
        self.session.is_supervisor()
    }

    /// A picker opened: fetch what it shows. The emoji table comes once (again only after
    /// a failure); saved replies are refreshed each time, since others may change them.
    pub fn load_picker(self, kind: PickerKind) {
        match kind {
            PickerKind::Emoji => self.load_emoji(),
            PickerKind::Snippet => self.load_snippets(),
            PickerKind::Variable => {}
        }
    }

    fn load_emoji(self) {
        if self.emoji_loading.get_value() || self.emoji.with_untracked(|e| matches!(e, Some(Ok(_)))) {
            return;
        }
        self.emoji_loading.set_value(true);
        spawn_local(async move {
            let result = api::emoji_table().await.map(Arc::new).map_err(|e| describe(&e));
            self.emoji_loading.set_value(false);
            self.emoji.set(Some(result));
        });
    }

    /// `GET /snippets` into [`Composer::snippets`] (a failure keeps what was shown).
    pub fn load_snippets(self) {
        load_snippets(self.session, self.snippets);
    }

    /// Text the composer should insert once (see [`Composer::quote`]).
    pub fn insert(&self) -> Signal<Option<(u64, String)>> {
        self.insert.into()
    }

    /// Hands the composer `text` quoted ("> " lines) to reply under.
    pub fn quote(self, text: String) {
        let n = self.insert.with_untracked(|i| i.as_ref().map_or(1, |(n, _)| n + 1));
        self.insert.set(Some((n, parley_domain::text::quote(&text))));
    }

    /// Sends `text` in the open conversation, with the attachments uploaded so far, on
    /// the reply channel: it shows at once as "sending" (or waiting, while the connection
    /// is down: the outbox keeps it across reloads), then becomes the server's copy, or
    /// stays as "failed" with a Retry button when the server refuses it.
    pub fn send(self, text: String) {
        let text = text.trim().to_owned();
        let attachments = self.take_uploaded();
        if text.is_empty() && attachments.is_empty() {
            return;
        }
        self.send_message(text, attachments);
    }

    pub(super) fn send_message(self, text: String, attachments: Vec<Attachment>) {
        if let Some(channel) = untrack(|| self.reply_channel_now()) {
            self.thread.send(text, attachments, channel.id);
        }
    }

    /// The channels a reply to the open conversation may go out on: its own channel
    /// first, then the contact's other connected channels.
    pub fn reply_options(&self) -> Signal<Vec<Channel>> {
        let composer = *self;
        Signal::derive(move || composer.reply_options_now())
    }

    /// The channel the reply goes out on: the agent's pick, else the domain's default
    /// (email for a web-chat visitor who left, web chat while they are online).
    pub fn reply_channel(&self) -> Signal<Option<Channel>> {
        let composer = *self;
        Signal::derive(move || composer.reply_channel_now())
    }

    /// The customer-service window of the reply channel at `now` (server time); `tagged`:
    /// with Messenger's human-agent tag.
    pub fn reply_window(&self, now: Signal<i64>, tagged: bool) -> Signal<window::ServiceWindow> {
        let composer = *self;
        let open = self.thread.open();
        Signal::derive(move || {
            let Some(channel) = composer.reply_channel_now() else { return window::ServiceWindow::Unlimited };
            let last = open.with(|o| {
                let o = o.as_ref()?;
                window::last_incoming_on(
                    &channel.id,
                    &o.summary.channel.id,
                    o.summary.sla.last_incoming_at,
                    &o.messages,
                )
            });
            window::service_window(channel.kind, last, parley_domain::Timestamp(now.get()), tagged)
        })
    }

    fn reply_options_now(self) -> Vec<Channel> {
        let me = self.session.me();
        self.thread.open().with(|o| {
            let Some(o) = o else { return Vec::new() };
            let own = &o.summary.channel;
            let mut options = vec![Channel { id: own.id.clone(), kind: own.kind, name: own.name.clone() }];
            me.with(|me| {
                let Some(me) = me else { return };
                for id in o.contact.channels.iter().filter(|id| **id != own.id) {
                    if let Some(c) = me.workspace.channels.iter().find(|c| &c.id == id) {
                        options.push(c.clone());
                    }
                }
            });
            options
        })
    }

    /// Reads (and, in a reactive context, tracks) what [`Composer::reply_channel`] says.
    fn reply_channel_now(self) -> Option<Channel> {
        let options = self.reply_options_now();
        let conversation = options.first()?;
        let choice = self.reply_choice.get();
        if let Some(picked) = options.iter().find(|o| Some(&o.id) == choice.as_ref()) {
            return Some(picked.clone());
        }
        let online = self.thread.open().with(|o| o.as_ref().is_some_and(|o| o.contact.online));
        Some(reply::default_reply_channel(conversation, &options, online).clone())
    }
}

fn load_snippets(session: Session, snippets: RwSignal<Loaded<Vec<Snippet>>>) {
    load_list(session, snippets, |api| async move { api.snippets().await });
}

/// Loads a list a settings page keeps into `into`: a failure keeps what was shown, or
/// shows its words when nothing was.
pub(super) fn load_list<T, Fu>(
    session: Session,
    into: RwSignal<Loaded<Vec<T>>>,
    call: impl FnOnce(api::AuthorizedApi) -> Fu + 'static,
) where
    T: Send + Sync + 'static,
    Fu: std::future::Future<Output = Result<Vec<T>, ApiError>> + 'static,
{
    let Some(api) = session.api() else { return };
    spawn_local(async move {
        match call(api).await {
            Ok(list) => into.set(Some(Ok(list))),
            Err(ApiError::Unauthorized) => session.fail(ApiError::Unauthorized),
            Err(e) => {
                if !into.with_untracked(|s| matches!(s, Some(Ok(_)))) {
                    into.set(Some(Err(describe(&e))));
                }
            }
        }
    });
}
