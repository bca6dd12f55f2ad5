//! The portal that embeds the app in an iframe: `postMessage` both ways, only with the
//! origins config.json's `embed.allowed_origins` lists (never `*`).
//!
//! Messages are plain objects read field by field: serde's decoder for tagged enums would
//! cost more of the wasm than these few fields.

use js_sys::{JSON, Object, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::*;

use super::config::Theme;

/// What the portal may tell the app.
#[derive(Clone, Debug, PartialEq)]
pub enum PortalMessage {
    /// `{"type": "parley:session", "token", "locale"?, "theme"?}`
    Session { token: String, locale: Option<String>, theme: Option<Theme> },
    /// `{"type": "parley:open", "conversation"}`
    Open { conversation: String },
}

/// What the app tells the portal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppMessage {
    Ready,
    Unread { new: u32, open: u32 },
    SignedOut,
}

/// Whether the app runs in a frame (a portal's iframe).
pub fn in_frame() -> bool {
    let window = leptos::prelude::window();
    window.parent().ok().flatten().is_some_and(|parent| !Object::is(&parent, &window))
}

/// Posts `message` to the parent frame, delivered only if the parent's origin is
/// `origin` (the browser drops it otherwise).
pub fn post(origin: &str, message: AppMessage) {
    let Some(parent) = leptos::prelude::window().parent().ok().flatten() else { return };
    let object = Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&object, &key.into(), &value);
    };
    match message {
        AppMessage::Ready => set("type", "parley:ready".into()),
        AppMessage::Unread { new, open } => {
            set("type", "parley:unread".into());
            set("new", new.into());
            set("open", open.into());
        }
        AppMessage::SignedOut => set("type", "parley:signed-out".into()),
    }
    let _ = parent.post_message(&object, origin);
}

/// Calls `on_message` with each message the parent frame sends from one of `allowed`;
/// anything else (another origin, another frame, an unknown shape) is ignored.
pub fn listen(allowed: Vec<String>, on_message: impl Fn(PortalMessage, String) + 'static) {
    let window = leptos::prelude::window();
    let parent = window.parent().ok().flatten();
    let handler = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let origin = event.origin();
        let from_parent = match (event.source(), &parent) {
            (Some(source), Some(parent)) => Object::is(&source, parent),
            _ => false,
        };
        if !from_parent || !allowed.contains(&origin) {
            return;
        }
        if let Some(message) = read(&event.data()) {
            on_message(message, origin);
        }
    });
    let _ = window.add_event_listener_with_callback("message", handler.as_ref().unchecked_ref());
    // Listens for the page's lifetime.
    handler.forget();
}

fn read(data: &JsValue) -> Option<PortalMessage> {
    let text = |key: &str| Reflect::get(data, &key.into()).ok().and_then(|v| v.as_string());
    match text("type")?.as_str() {
        "parley:session" => {
            let token = text("token").filter(|t| !t.is_empty())?;
            let theme = Reflect::get(data, &"theme".into())
                .ok()
                .filter(JsValue::is_object)
                .and_then(|t| JSON::stringify(&t).ok()?.as_string())
                .and_then(|json| serde_json::from_str::<Theme>(&json).ok())
                .filter(Theme::is_valid);
            Some(PortalMessage::Session { token, locale: text("locale"), theme })
        }
        "parley:open" => Some(PortalMessage::Open { conversation: text("conversation").filter(|c| !c.is_empty())? }),
        _ => None,
    }
}
