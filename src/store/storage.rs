//! What survives a reload, in `localStorage`: the session token (so the user stays
//! signed in), the audit-trail and notification preferences, and reply drafts.
//!
//! Storage can be missing (private mode, a sandboxed iframe): then the session simply
//! lasts as long as the page, which is better than failing to sign in.

const TOKEN_KEY: &str = "parley.token";

pub(super) fn local_storage() -> Option<web_sys::Storage> {
    // Outside a browser (the store's native tests) there is none.
    if cfg!(not(target_arch = "wasm32")) {
        return None;
    }
    web_sys::window()?.local_storage().ok().flatten()
}

pub(super) fn load_token() -> Option<String> {
    local_storage()?.get_item(TOKEN_KEY).ok().flatten().filter(|t| !t.is_empty())
}

pub(super) fn save_token(token: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(TOKEN_KEY, token);
    }
}

pub(super) fn clear_token() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(TOKEN_KEY);
    }
}

/// Whether the timeline shows the audit trail: a per-browser preference, like the token.
const AUDIT_KEY: &str = "parley.audit-trail";

/// Defaults to shown: an agent who never touched the toggle sees the full history.
pub(super) fn load_show_activities() -> bool {
    local_storage().and_then(|s| s.get_item(AUDIT_KEY).ok().flatten()).is_none_or(|v| v != "hidden")
}

pub(super) fn save_show_activities(show: bool) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(AUDIT_KEY, if show { "shown" } else { "hidden" });
    }
}

/// Notification preferences: "desktop" and/or "sound", comma-separated.
const NOTIFY_KEY: &str = "parley.notifications";

pub(super) fn load_notify_prefs() -> super::preferences::NotifyPrefs {
    match local_storage().and_then(|s| s.get_item(NOTIFY_KEY).ok().flatten()) {
        None => Default::default(),
        Some(v) => super::preferences::NotifyPrefs {
            desktop: v.split(',').any(|p| p == "desktop"),
            sound: v.split(',').any(|p| p == "sound"),
        },
    }
}

pub(super) fn save_notify_prefs(prefs: super::preferences::NotifyPrefs) {
    let value = [(prefs.desktop, "desktop"), (prefs.sound, "sound")]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect::<Vec<_>>()
        .join(",");
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(NOTIFY_KEY, &value);
    }
}

/// Unsent reply text, per conversation, so a draft survives switching conversations and
/// reloading (this browser only, like the token).
fn draft_key(conversation: &str) -> String {
    format!("parley.draft.{conversation}")
}

pub(super) fn load_draft(conversation: &str) -> String {
    local_storage().and_then(|s| s.get_item(&draft_key(conversation)).ok().flatten()).unwrap_or_default()
}

/// An empty draft is removed rather than stored, so sent conversations leave nothing behind.
pub(super) fn save_draft(conversation: &str, text: &str) {
    if let Some(storage) = local_storage() {
        let _ = if text.is_empty() {
            storage.remove_item(&draft_key(conversation))
        } else {
            storage.set_item(&draft_key(conversation), text)
        };
    }
}

/// Every stored draft goes at sign-out: the next person at this browser must not read
/// the replies someone else was writing.
pub(super) fn forget_drafts() {
    let Some(storage) = local_storage() else { return };
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with("parley.draft."))
        .collect();
    for key in keys {
        let _ = storage.remove_item(&key);
    }
}
