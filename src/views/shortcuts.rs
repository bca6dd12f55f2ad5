//! The inbox workspace's keyboard layer: single-key shortcuts (`j` `k` `r` `n` `a` `c`
//! `p` `s` `/` `?`, never while typing — `parley_domain::keys` decides), Alt+↓/↑, the
//! shortcut help and the command palette (Ctrl+K / ⌘K). Actions on the open
//! conversation go through the palette slice of the store, which its view carries out.

use crate::router::NavigateOptions;
use crate::router::use_navigate;
use leptos::prelude::*;
use parley_domain::ConversationId;
use parley_domain::keys::{self, Action, KeyPress, Shortcut};
use wasm_bindgen::JsCast;

use crate::components::{CommandPaletteProps, PaletteChoice, PaletteEntry, ShortcutHelpProps};
use crate::store::{Found, KeyDialog, use_inboxes, use_palette};

/// Inboxes the palette lists at most.
const PALETTE_INBOXES: usize = 8;
/// Frames to wait for the list to show a conversation just opened by `j`/`k`.
const FOCUS_FRAMES: u32 = 60;

/// Mounted once by the inbox workspace. `href` is a conversation's link in the list shown.
#[component]
pub fn Shortcuts(href: Callback<ConversationId, String>) -> impl IntoView {
    let palette = use_palette();
    let navigate = use_navigate();
    // Where the focus was when a keyboard dialog opened: it goes back there after.
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    let restore_focus = move || {
        let el = opener.get_value();
        opener.set_value(None);
        request_animation_frame(move || {
            if let Some(el) = el.filter(|el| el.is_connected()) {
                let _ = el.focus();
            }
        });
    };
    let open_dialog = move |dialog: KeyDialog| {
        opener.set_value(document().active_element().and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()));
        palette.open(dialog);
    };
    let close_dialog = Callback::new(move |()| {
        palette.dismiss();
        restore_focus();
    });

    let go = navigate.clone();
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.default_prevented() {
            return;
        }
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let typing = target.is_some_and(|el| {
            let editable = el.dyn_ref::<web_sys::HtmlElement>().is_some_and(|h| h.is_content_editable());
            keys::is_typing_target(&el.tag_name(), &el.get_attribute("type").unwrap_or_default(), editable)
        });
        let key = ev.key();
        let press = KeyPress {
            key: &key,
            ctrl: ev.ctrl_key(),
            meta: ev.meta_key(),
            alt: ev.alt_key(),
            composing: ev.is_composing(),
            typing,
        };
        // Any modal dialog open (a keyboard one, close, snooze, a custom inbox…) keeps its keys.
        let dialog_open = document().query_selector("dialog[open]").ok().flatten().is_some();
        let shortcut = match keys::shortcut(&press) {
            Some(s) => s,
            // Alt+↓ / Alt+↑: the next or previous conversation from anywhere, typing included.
            None if ev.alt_key() && !ev.ctrl_key() && !ev.meta_key() && !dialog_open => {
                let forward = match key.as_str() {
                    "ArrowDown" => true,
                    "ArrowUp" => false,
                    _ => return,
                };
                if let Some(id) = palette.neighbour(forward) {
                    ev.prevent_default();
                    go(&href.run(id), NavigateOptions::default());
                }
                return;
            }
            None => return,
        };
        match shortcut {
            Shortcut::Palette if palette.dialog().get_untracked() == Some(KeyDialog::Palette) => close_dialog.run(()),
            _ if dialog_open => return,
            Shortcut::Palette => open_dialog(KeyDialog::Palette),
            Shortcut::Help => open_dialog(KeyDialog::Help),
            Shortcut::SearchInboxes => {
                let Some(search) = document().get_element_by_id(crate::components::INBOX_SEARCH_ID) else { return };
                let _ = search.unchecked_into::<web_sys::HtmlElement>().focus();
            }
            Shortcut::Next | Shortcut::Previous => {
                let Some(id) = palette.neighbour(shortcut == Shortcut::Next) else { return };
                let link = href.run(id);
                // The focus follows in the list (the composer does not take it), so `j`
                // and `k` keep working.
                palette.keep_focus();
                go(&link, NavigateOptions::default());
                focus_row(link, FOCUS_FRAMES);
            }
            Shortcut::Act(action) => palette.run(action),
        }
        ev.prevent_default();
    });
    on_cleanup(move || keys.remove());

    // The palette's entries: actions on the open conversation, inboxes (matched here),
    // conversations by contact name (matched by the server, within visibility).
    let inboxes = use_inboxes().counts();
    let query = palette.query();
    let actions = palette.actions();
    let found = palette.conversations();
    let t = crate::i18n::t();
    let entries = Signal::derive(move || {
        let q = query.get();
        let blank = q.trim().is_empty();
        let mut entries = Vec::new();
        let actions = actions.get();
        let actions = if blank { actions } else { keys::rank(&q, actions, |a| (t.action_name)(*a), usize::MAX) };
        entries.extend(actions.into_iter().map(|a| PaletteEntry {
            choice: PaletteChoice::Action(a),
            label: (t.action_name)(a).to_owned(),
            hint: Some(a.key().to_owned()),
        }));
        // Standard inboxes by their names in this language, as the side panel shows them.
        let all = inboxes.with(|all| all.iter().map(|c| ((t.inbox_name)(c), c.clone())).collect::<Vec<_>>());
        let matched = if blank { all } else { keys::rank(&q, all, |(name, _)| name.as_str(), PALETTE_INBOXES) };
        entries.extend(matched.into_iter().map(|(name, c)| PaletteEntry {
            label: name,
            hint: Some((t.open_count)(c.open.into())),
            choice: PaletteChoice::Inbox(c.id),
        }));
        if let Found::Some(list) = found.get() {
            entries.extend(list.into_iter().map(|c| PaletteEntry {
                label: c.contact.name,
                hint: Some(format!("{}, {}", c.channel.name, (t.status_name)(c.status).to_lowercase())),
                choice: PaletteChoice::Conversation(c.id),
            }));
        }
        entries
    });
    let status = Signal::derive(move || match found.get() {
        Found::Loading => Some(t.searching_conversations.to_owned()),
        Found::Failed(words) => Some(words),
        Found::Some(list) if list.is_empty() => Some(t.no_conversation_matches.to_owned()),
        Found::Some(_) | Found::Nothing => None,
    });
    let on_choose = Callback::new(move |choice: PaletteChoice| {
        palette.dismiss();
        match choice {
            // Pending moves no focus; the others open a dialog, the picker or the composer.
            PaletteChoice::Action(Action::Pending) => {
                palette.run(Action::Pending);
                restore_focus();
            }
            PaletteChoice::Action(action) => palette.run(action),
            PaletteChoice::Inbox(id) => {
                navigate(&format!("inbox/{id}"), NavigateOptions::default());
                restore_focus();
            }
            // Its composer takes the focus when it opens.
            PaletteChoice::Conversation(id) => navigate(&href.run(id), NavigateOptions::default()),
        }
    });

    request_idle_callback(crate::lazy::preload_key_dialogs);
    let dialog = palette.dialog();
    move || match dialog.get() {
        Some(KeyDialog::Help) => {
            let props = ShortcutHelpProps { on_close: close_dialog };
            crate::lazy_view(move || crate::lazy::shortcut_help(props), || ().into_any())
        }
        Some(KeyDialog::Palette) => {
            let props = CommandPaletteProps { query, entries, status, on_choose, on_close: close_dialog };
            crate::lazy_view(move || crate::lazy::command_palette(props), || ().into_any())
        }
        None => ().into_any(),
    }
}

/// Focuses the list's link to `link` once the list shows it as the open conversation
/// (trying for `frames` more frames).
fn focus_row(link: String, frames: u32) {
    request_animation_frame(move || {
        let row = document()
            .query_selector(".conversation-list__items a[aria-current=\"page\"]")
            .ok()
            .flatten()
            .filter(|a| a.get_attribute("href").as_deref() == Some(link.as_str()))
            .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok());
        match row {
            Some(row) => {
                let _ = row.focus();
            }
            None if frames > 0 => focus_row(link, frames - 1),
            None => {}
        }
    });
}
