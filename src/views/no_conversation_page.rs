//! `/inbox/:inbox`: an inbox with no conversation open.

use leptos::prelude::*;

use crate::store::use_store;

#[component]
pub fn NoConversationPage() -> impl IntoView {
    let store = use_store();
    Effect::new(move |_| store.open_conversation(None));
    view! {
        <div class="conversation-placeholder">
            <p>{crate::i18n::t().select_conversation}</p>
        </div>
    }
}
