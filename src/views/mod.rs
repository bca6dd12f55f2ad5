//! Route components: each reads the URL and the store, and wires store signals and
//! commands to presentational components.

mod calls;
mod closing_reasons_page;
mod contact_panel;
mod contacts_page;
mod conversation_page;
mod custom_inboxes;
mod home_page;
mod inbox_page;
mod no_conversation_page;
mod not_found_page;
mod reports_page;
mod require_session;
mod rules_page;
mod shortcuts;
mod sign_in_page;
mod snippets_page;
mod templates_page;
mod workspace_panel;

pub use calls::{CallsPanel, CallsPanelInner, ContactCalls, InboxCalls, InboxCallsProps};

pub use closing_reasons_page::ClosingReasonsPage;
pub use contacts_page::ContactsPage;
pub use conversation_page::ConversationPage;
pub use custom_inboxes::{CustomEditing, CustomInboxColumn, CustomInboxPage};
pub use home_page::HomePage;
pub use inbox_page::InboxPage;
pub use no_conversation_page::NoConversationPage;
pub use not_found_page::NotFoundPage;
pub use reports_page::ReportsPage;
pub use require_session::RequireSession;
pub use rules_page::RulesPage;
pub use shortcuts::Shortcuts;
pub use sign_in_page::SignInPage;
pub use snippets_page::SnippetsPage;
pub use templates_page::TemplatesPage;
pub use workspace_panel::WorkspacePanel;

use leptos::prelude::*;

use crate::components::Submit;
use crate::router::use_params_map;
use crate::store::{Write, form_error};

/// A form's [`Submit`] over a store write: `input` turns what the form sends into the
/// write's input; a failure reaches the form in the words of `form_error`.
pub(crate) fn submit<I, T, X>(write: Write<I, T>, input: impl Fn(X) -> I + Send + Sync + 'static) -> Submit<X>
where
    I: Send + Sync + 'static,
    T: Send + Sync + 'static,
    X: 'static,
{
    let (version, value) = (write.version(), write.value());
    Submit {
        run: Callback::new(move |x| {
            write.dispatch(input(x));
        }),
        pending: write.pending().into(),
        result: Signal::derive(move || {
            let outcome = value.with(|v| v.as_ref().map(|r| r.as_ref().map(drop).map_err(form_error)));
            (version.get(), outcome)
        }),
    }
}

/// A settings page's top: the way back to the inbox and the page's heading (also the
/// document's title).
#[component]
pub(crate) fn SettingsTop(title: &'static str) -> impl IntoView {
    let t = crate::i18n::t();
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{title} · Parley"));
    }
    let home = crate::store::use_inboxes().home();
    let back = move || home.get().map(|i| format!("inbox/{i}")).unwrap_or_else(|| "./".into());
    view! {
        <div class="settings__top">
            <a href=back>{t.back_to_inbox}</a>
            <h1>{title}</h1>
        </div>
    }
}

/// A settings list as it loads: a status while loading, the failure, `empty` for none,
/// else `list`'s view of the items.
pub(crate) fn loaded_list<T, V>(
    loaded: Signal<Option<Result<Vec<T>, String>>>,
    loading: &'static str,
    empty: &'static str,
    list: impl Fn(Vec<T>) -> V + Copy + Send + Sync + 'static,
) -> impl Fn() -> AnyView + Copy + Send + Sync + 'static
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    move || match loaded.get() {
        None => view! { <p role="status">{loading}</p> }.into_any(),
        Some(Err(why)) => view! { <p role="alert" class="error-text">{why}</p> }.into_any(),
        Some(Ok(all)) if all.is_empty() => view! { <p role="status">{empty}</p> }.into_any(),
        Some(Ok(all)) => list(all).into_any(),
    }
}

/// Where a page with a conversation pane shows it: the conversation, or the empty pane.
/// Changing conversations keeps the same `ConversationPage`, which follows the parameter.
/// Its code is a chunk of its own (`crate::lazy`): the store opens the conversation here,
/// so its data and its code load side by side. Once the list has shown, the browser
/// fetches that chunk while idle, so the first click does not wait for it.
#[component]
pub fn Outlet() -> impl IntoView {
    request_idle_callback(crate::lazy::preload_conversation);
    let store = crate::store::use_store();
    let params = use_params_map();
    let wanted = Memo::new(move |_| params.with(|p| p.get("conversation")).map(parley_domain::ConversationId::new));
    Effect::new(move |_| store.open_conversation(wanted.get()));
    let open = Memo::new(move |_| wanted.with(Option::is_some));
    move || {
        if open.get() {
            crate::lazy_view(crate::lazy::conversation, || {
                conversation_placeholder(crate::i18n::t().loading_conversation)
            })
        } else {
            view! { <NoConversationPage /> }.into_any()
        }
    }
}

/// The conversation pane while its code or its data loads (or failed to): one status line.
pub(crate) fn conversation_placeholder(text: impl IntoView + 'static) -> AnyView {
    view! {
        <div class="conversation-placeholder">
            <p role="status">{text}</p>
        </div>
    }
    .into_any()
}
