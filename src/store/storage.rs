//! The session token in `localStorage`, so that a reload keeps the user signed in.
//!
//! Storage can be missing (private mode, a sandboxed iframe): then the session simply
//! lasts as long as the page, which is better than failing to sign in.

const TOKEN_KEY: &str = "parley.token";

fn local_storage() -> Option<web_sys::Storage> {
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
