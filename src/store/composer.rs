//! What the composer and the saved-replies settings need: reply drafts, the emoji table
//! (fetched once, when the picker first opens) and the saved replies with their
//! owner/manager management.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::ConversationId;
use parley_domain::composer::{EmojiData, PickerKind};
use parley_domain::wire::{Snippet, SnippetInput};

use super::state::Store;
use super::storage;
use super::words::describe;
use crate::api::{self, ApiError};

/// Something loaded on demand: `None` until it has arrived (or failed).
pub type Loaded<T> = Option<Result<T, String>>;

impl Store {
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
        let me = self.me;
        Signal::derive(move || me.with(|m| m.as_ref().is_some_and(|m| m.user.role.is_supervisor())))
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

    /// `GET /snippets` into [`Store::snippets`] (a failure keeps what was shown).
    pub fn load_snippets(self) {
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.snippets().await {
                Ok(list) => self.snippets.set(Some(Ok(list))),
                Err(ApiError::Unauthorized) => self.fail(ApiError::Unauthorized),
                Err(e) => {
                    if !self.snippets.with_untracked(|s| matches!(s, Some(Ok(_)))) {
                        self.snippets.set(Some(Err(describe(&e))));
                    }
                }
            }
        });
    }

    /// Creates (`id` none) or replaces a saved reply; on failure, the words to show
    /// next to the form.
    pub async fn save_snippet(self, id: Option<String>, input: SnippetInput) -> Result<(), String> {
        let api = self.api().ok_or_else(|| describe(&ApiError::Unauthorized))?;
        let result = match &id {
            None => api.create_snippet(&input).await,
            Some(id) => api.update_snippet(id, &input).await,
        };
        let saved = result.map_err(|e| self.refused(e))?;
        let mut loaded = true;
        self.snippets.update(|s| match s {
            Some(Ok(list)) => match list.iter_mut().find(|x| x.id == saved.id) {
                Some(existing) => *existing = saved,
                None => list.push(saved),
            },
            _ => loaded = false,
        });
        if !loaded {
            self.load_snippets();
        }
        Ok(())
    }

    /// Deletes a saved reply; on failure, the words to show.
    pub async fn delete_snippet(self, id: String) -> Result<(), String> {
        let api = self.api().ok_or_else(|| describe(&ApiError::Unauthorized))?;
        api.delete_snippet(&id).await.map_err(|e| self.refused(e))?;
        self.snippets.update(|s| {
            if let Some(Ok(list)) = s {
                list.retain(|x| x.id != id);
            }
        });
        Ok(())
    }

    /// A refused change, in words; a dead session also signs out.
    pub(super) fn refused(self, error: ApiError) -> String {
        let words = describe(&error);
        if error == ApiError::Unauthorized {
            self.fail(error);
        }
        words
    }
}
