//! The live-connection indicator: agents must know when what they see may be stale.

use leptos::prelude::*;

/// What the indicator shows (the view maps the socket's state onto it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Live,
    Reconnecting,
}

impl Connection {
    fn label(self) -> &'static str {
        match self {
            Connection::Connecting => crate::i18n::t().connecting,
            Connection::Live => crate::i18n::t().live,
            Connection::Reconnecting => crate::i18n::t().reconnecting,
        }
    }

    fn class(self) -> &'static str {
        match self {
            Connection::Connecting => "connection connection--connecting",
            Connection::Live => "connection connection--live",
            Connection::Reconnecting => "connection connection--reconnecting",
        }
    }
}

/// A `role="status"` live region, so screen readers announce a lost connection.
#[component]
pub fn ConnectionStatus(#[prop(into)] state: Signal<Connection>) -> impl IntoView {
    view! {
        <span role="status" class=move || state.get().class()>
            {move || state.get().label()}
        </span>
    }
}
