//! Who is signed in, whether they take conversations (available or away), whether the
//! app is live, how it notifies them, and the way out.

use leptos::prelude::*;
use parley_domain::Availability;

use super::{Avatar, Connection, ConnectionStatus, NotificationPrefs};

#[component]
pub fn AccountBar(
    #[prop(into)] user_name: Signal<String>,
    #[prop(into)] connection: Signal<Connection>,
    #[prop(into)] availability: Signal<Availability>,
    on_availability: Callback<Availability>,
    /// Desktop notifications and sound are on.
    #[prop(into)]
    notify: Signal<(bool, bool)>,
    on_desktop: Callback<bool>,
    on_sound: Callback<bool>,
    on_sign_out: Callback<()>,
) -> impl IntoView {
    let value = move || match availability.get() {
        Availability::Available => "available",
        Availability::Away => "away",
    };
    view! {
        <header class="account-bar">
            <div class="account-bar__top">
                <div class="account-bar__brand">
                    {crate::theme::logo().map(|src| view! { <img class="brand-logo" src=src alt="" width="24" height="24" /> })}
                    "Parley"
                </div>
                <ConnectionStatus state=connection />
            </div>
            <div class="account-bar__user">
                <Avatar name=user_name class="avatar--small" />
                <span class="account-bar__name">{user_name}</span>
            </div>
            <div class="account-bar__status">
                <select
                    class="account-bar__availability"
                    class:account-bar__availability--away=move || availability.get() == Availability::Away
                    aria-label="Availability"
                    prop:value=value
                    on:change=move |ev| {
                        let chosen = match event_target_value(&ev).as_str() {
                            "away" => Availability::Away,
                            _ => Availability::Available,
                        };
                        on_availability.run(chosen);
                    }
                >
                    <option value="available" prop:selected=move || value() == "available">
                        "Available"
                    </option>
                    <option value="away" prop:selected=move || value() == "away">
                        "Away"
                    </option>
                </select>
                <NotificationPrefs
                    desktop=Signal::derive(move || notify.get().0)
                    sound=Signal::derive(move || notify.get().1)
                    on_desktop
                    on_sound
                />
            </div>
            <div class="account-bar__actions">
                <a class="account-bar__link" href="settings/snippets">"Saved replies"</a>
                <button type="button" class="button button--quiet" on:click=move |_| on_sign_out.run(())>
                    "Sign out"
                </button>
            </div>
        </header>
    }
}
