//! Parley, the agent-facing team inbox: a Leptos client-side app.
//!
//! Layers point one way: `components` (presentational) ← `views` (routes, wiring) ←
//! `store` (the only writer of shared state) ← `api` (the only code that knows HTTP and
//! the socket) ← `parley_domain` (model, wire types and rules).

pub mod api;
pub mod components;
pub mod format;
pub mod i18n;
pub mod store;
pub mod views;

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::i18n::Localized;
use crate::store::provide_store;
use crate::views::{
    ConversationPage, CustomInboxPage, HomePage, InboxPage, NoConversationPage, NotFoundPage, SignInPage, SnippetsPage,
};

/// The whole app: the store, then the routes. Every screen is reachable by URL, so a
/// reload or the back button lands where the user was.
#[component]
pub fn App() -> impl IntoView {
    provide_store();
    view! {
        <Localized>
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=HomePage />
                <Route path=path!("/sign-in") view=SignInPage />
                <Route path=path!("/settings/snippets") view=SnippetsPage />
                <ParentRoute path=path!("/custom/:id") view=CustomInboxPage>
                    <Route path=path!("") view=NoConversationPage />
                    <Route path=path!("c/:conversation") view=ConversationPage />
                </ParentRoute>
                <ParentRoute path=path!("/inbox/:inbox") view=InboxPage>
                    <Route path=path!("") view=NoConversationPage />
                    <Route path=path!("c/:conversation") view=ConversationPage />
                </ParentRoute>
            </Routes>
        </Router>
        </Localized>
    }
}
