//! Who is signed in, whether the app is live, and the way out.

use leptos::prelude::*;

use super::{Avatar, Connection, ConnectionStatus};

#[component]
pub fn AccountBar(
    #[prop(into)] user_name: Signal<String>,
    #[prop(into)] connection: Signal<Connection>,
    on_sign_out: Callback<()>,
) -> impl IntoView {
    view! {
        <header class="account-bar">
            <div class="account-bar__brand">"Parley"</div>
            <div class="account-bar__user">
                <Avatar name=user_name class="avatar--small" />
                <span class="account-bar__name">{user_name}</span>
            </div>
            <div class="account-bar__actions">
                <ConnectionStatus state=connection />
                <a class="account-bar__link" href="/settings/snippets">"Saved replies"</a>
                <button type="button" class="button button--quiet" on:click=move |_| on_sign_out.run(())>
                    "Sign out"
                </button>
            </div>
        </header>
    }
}
