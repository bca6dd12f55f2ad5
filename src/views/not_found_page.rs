//! Any URL no route matches.

use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <main class="splash">
            <h1>"Page not found"</h1>
            <p>
                <a href="./">"Go to your inboxes"</a>
            </p>
        </main>
    }
}
