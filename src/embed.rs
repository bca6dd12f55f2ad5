//! The app in a portal's iframe (issue 12, "Embedded in a portal"): the `postMessage`
//! handshake that signs in without the sign-in form, and what the portal hears back.
//!
//! The transport (origins checked both ways) is `api::embed`; this is the flow, wired
//! once in `App` next to the store and the router.

use leptos::prelude::*;
use parley_domain::inbox;

use crate::api::embed::{AppMessage, PortalMessage, in_frame, listen, post};
use crate::router::{NavigateOptions, use_navigate};
use crate::store::{SessionState, use_inboxes, use_session, use_store};

/// The portals allowed to embed the app, when config.json has `embed` and the app runs
/// in a frame; `None` otherwise (embedding off).
pub fn portal_origins() -> Option<Vec<String>> {
    let origins = crate::api::config().embed?.allowed_origins;
    (!origins.is_empty() && in_frame()).then_some(origins)
}

/// Says `parley:ready`, then follows the portal's messages and reports the totals and
/// the end of the session to it.
pub fn start(allowed: Vec<String>) {
    let store = use_store();
    let session = use_session();
    let navigate = use_navigate();
    // The portal that sent the session: later messages go to it alone.
    let parent = StoredValue::new(None::<String>);
    listen(allowed.clone(), move |message, origin| match message {
        PortalMessage::Session { token, locale, theme } => {
            parent.set_value(Some(origin));
            // The portal's language comes before config.json's (the agent's choice before both).
            if let Some(tag) = locale {
                crate::i18n::offer(crate::i18n::Locale::from_tag(&tag));
            }
            if let Some(theme) = theme {
                crate::theme::apply(&theme);
            }
            store.adopt_token(token);
        }
        PortalMessage::Open { conversation } => {
            let id = String::from(js_sys::encode_uri_component(&conversation));
            navigate(&format!("inbox/all/c/{id}"), NavigateOptions::default());
        }
    });
    for origin in &allowed {
        post(origin, AppMessage::Ready);
    }

    let counts = use_inboxes().counts();
    let totals = Memo::new(move |_| counts.with(|c| inbox::totals(c)));
    let state = session.state();
    let signed_in = Memo::new(move |_| matches!(state.get(), SessionState::SignedIn(_)));
    Effect::new(move |_| {
        let (new, open) = totals.get();
        if signed_in.get()
            && let Some(origin) = parent.get_value()
        {
            post(&origin, AppMessage::Unread { new, open });
        }
    });
    Effect::new(move |was_signed_in: Option<bool>| {
        let now = signed_in.get();
        if was_signed_in == Some(true)
            && !now
            && let Some(origin) = parent.get_value()
        {
            post(&origin, AppMessage::SignedOut);
        }
        now
    });
}
