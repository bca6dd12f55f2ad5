//! Custom inboxes in the store: the saved views I created or that are shared with me,
//! and the open one's conversations. They are not live: the list is what the server
//! computed when it was (re)loaded, and it says when that was.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::CustomInboxId;
use parley_domain::custom_inbox::{CustomInbox, CustomInboxInput};
use parley_domain::wire::ConversationSummary;

use super::composer::{Loaded, put_saved};
use super::session::{Failure, Session, Write};

/// Conversations per page of a custom inbox (the server's largest page).
const LIMIT: u32 = 200;

/// A custom inbox's conversations as computed at `loaded_at` (server time, ms).
#[derive(Clone, Debug, PartialEq)]
pub struct CustomList {
    pub id: CustomInboxId,
    pub items: Vec<ConversationSummary>,
    /// Where the next page starts, when more matched than are shown.
    pub next: Option<String>,
    pub loaded_at: i64,
}

/// The custom inboxes handle (`Copy`; see [`super::use_custom_inboxes`]).
#[derive(Clone, Copy)]
pub struct CustomInboxes {
    session: Session,
    /// Custom inboxes I may open (not live: loaded on demand).
    custom_inboxes: RwSignal<Loaded<Vec<CustomInbox>>>,
    /// The open custom inbox's conversations, as computed when last (re)loaded.
    custom_list: RwSignal<Option<CustomList>>,
    custom_list_loading: RwSignal<bool>,
    /// Creates (`None`) or changes a custom inbox.
    pub save: Write<(Option<CustomInboxId>, CustomInboxInput), CustomInbox>,
    pub delete: Write<CustomInboxId, CustomInboxId>,
}

impl CustomInboxes {
    pub(super) fn new(session: Session) -> Self {
        let custom_inboxes = RwSignal::new(None::<Result<Vec<CustomInbox>, String>>);
        let custom_list = RwSignal::new(None::<CustomList>);
        let custom_list_loading = RwSignal::new(false);
        let save = StoredValue::new(None::<Self>);
        let this = Self {
            session,
            custom_inboxes,
            custom_list,
            custom_list_loading,
            save: session.write(
                Failure::Kept,
                move |api, (id, input): (Option<CustomInboxId>, CustomInboxInput)| async move {
                    let saved = match &id {
                        None => api.create_custom_inbox(&input).await,
                        Some(id) => api.update_custom_inbox(id, &input).await,
                    }?;
                    let loaded = put_saved(custom_inboxes, &saved, |i| &i.id);
                    if let Some(this) = save.get_value() {
                        if !loaded {
                            this.load_custom_inboxes(true);
                        }
                        // A changed filter changes the list: show it as computed now.
                        if custom_list.with_untracked(|l| l.as_ref().is_some_and(|l| l.id == saved.id)) {
                            this.refresh_custom_inbox(saved.id.clone());
                        }
                    }
                    Ok(saved)
                },
            ),
            delete: session.write(Failure::Kept, move |api, id: CustomInboxId| async move {
                api.delete_custom_inbox(&id).await?;
                custom_inboxes.update(|all| {
                    if let Some(Ok(list)) = all {
                        list.retain(|x| x.id != id);
                    }
                });
                Ok(id)
            }),
        };
        save.set_value(Some(this));
        session.on_end(move || {
            custom_inboxes.set(None);
            custom_list.set(None);
            custom_list_loading.set(false);
        });
        this
    }

    /// Custom inboxes I may open, once loaded (see [`CustomInboxes::load_custom_inboxes`]).
    pub fn custom_inboxes(&self) -> Signal<Loaded<Vec<CustomInbox>>> {
        self.custom_inboxes.into()
    }

    /// The open custom inbox's list, once loaded.
    pub fn custom_list(&self) -> Signal<Option<CustomList>> {
        self.custom_list.into()
    }

    /// Whether the list of `id` is being (re)loaded.
    pub fn custom_list_loading(&self) -> Signal<bool> {
        self.custom_list_loading.into()
    }

    /// Loads the custom inboxes (once per session unless `force`).
    pub fn load_custom_inboxes(self, force: bool) {
        let Some(api) = self.session.api() else { return };
        if !force && self.custom_inboxes.with_untracked(Option::is_some) {
            return;
        }
        spawn_local(async move {
            let loaded = api.custom_inboxes().await.map_err(|e| {
                let words = super::words::describe(&e);
                if e == crate::api::ApiError::Unauthorized {
                    self.session.fail(e);
                }
                words
            });
            self.custom_inboxes.set(Some(loaded));
        });
    }

    /// Computes the list of custom inbox `id` now (on opening it and on "Refresh").
    pub fn refresh_custom_inbox(self, id: CustomInboxId) {
        let Some(api) = self.session.api() else { return };
        if self.custom_list.with_untracked(|l| l.as_ref().is_some_and(|l| l.id != id)) {
            self.custom_list.set(None);
        }
        self.custom_list_loading.set(true);
        spawn_local(async move {
            let result = api.custom_inbox_conversations(&id, LIMIT, None).await;
            self.custom_list_loading.set(false);
            match result {
                Ok(page) => self.custom_list.set(Some(CustomList {
                    id,
                    next: page.next,
                    items: page.items,
                    loaded_at: self.session.now(),
                })),
                Err(e) => self.session.fail(e),
            }
        });
    }

    /// Adds the next page to the open custom inbox's list ("Show more"). The list keeps
    /// the time of its first page: it is as fresh as its oldest part.
    pub fn show_more_custom_inbox(self) {
        let Some(api) = self.session.api() else { return };
        let Some((id, cursor)) =
            self.custom_list.with_untracked(|l| l.as_ref().and_then(|l| Some((l.id.clone(), l.next.clone()?))))
        else {
            return;
        };
        if self.custom_list_loading.get_untracked() {
            return;
        }
        self.custom_list_loading.set(true);
        spawn_local(async move {
            let result = api.custom_inbox_conversations(&id, LIMIT, Some(&cursor)).await;
            self.custom_list_loading.set(false);
            match result {
                Ok(page) => self.custom_list.update(|list| {
                    // Another inbox opened or a refresh came in meanwhile: this page is stale.
                    let Some(list) = list.as_mut().filter(|l| l.id == id && l.next.as_ref() == Some(&cursor)) else {
                        return;
                    };
                    // Offsets shift when conversations moved since the first page: skip repeats.
                    for item in page.items {
                        if !list.items.iter().any(|c| c.id == item.id) {
                            list.items.push(item);
                        }
                    }
                    list.next = page.next;
                }),
                Err(e) => self.session.fail(e),
            }
        });
    }
}
