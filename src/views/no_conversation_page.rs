//! `/inbox/:inbox`: an inbox with no conversation open.

use leptos::prelude::*;

#[component]
pub fn NoConversationPage() -> impl IntoView {
    view! {
        <div class="conversation-placeholder">
            <p>{crate::i18n::t().select_conversation}</p>
        </div>
    }
}
