//! Any URL no route matches.

use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let t = crate::i18n::t();
    view! {
        <main class="splash">
            <h1>{t.page_not_found}</h1>
            <p>
                <a href="./">{t.go_to_inboxes}</a>
            </p>
        </main>
    }
}
