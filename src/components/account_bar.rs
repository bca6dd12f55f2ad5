//! Who is signed in, whether they take conversations (available or away), whether the
//! app is live, how it notifies them, and the way out.

use leptos::prelude::*;
use parley_domain::Availability;

use crate::i18n::Locale;

use super::{Avatar, Connection, ConnectionStatus, NotificationPrefs};

const LANGUAGE_ID: &str = "account-language";

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
    /// The agent chose a language.
    on_locale: Callback<Locale>,
    on_sign_out: Callback<()>,
    /// The user keeps the closing reasons: their settings page is linked.
    #[prop(into)]
    closing_reasons: Signal<bool>,
    /// The user keeps the message templates: their settings page is linked.
    #[prop(into)]
    templates: Signal<bool>,
    /// The user sees reports (owners and managers): the reports page is linked.
    #[prop(into)]
    reports: Signal<bool>,
    /// The user keeps the workflow rules (owners and managers).
    #[prop(into)]
    rules: Signal<bool>,
) -> impl IntoView {
    let t = crate::i18n::t();
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
                    aria-label=t.availability
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
                        {t.available}
                    </option>
                    <option value="away" prop:selected=move || value() == "away">
                        {t.away}
                    </option>
                </select>
                <NotificationPrefs
                    desktop=Signal::derive(move || notify.get().0)
                    sound=Signal::derive(move || notify.get().1)
                    on_desktop
                    on_sound
                />
            </div>
            <label class="account-bar__language">
                <span>{t.language}</span>
                <select
                    id=LANGUAGE_ID
                    on:change=move |ev| {
                        on_locale.run(Locale::from_tag(&event_target_value(&ev)));
                        // The app is built again in the new language: the focus comes back here.
                        request_animation_frame(|| {
                            if let Some(el) = document().get_element_by_id(LANGUAGE_ID)
                                && let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
                            {
                                let _ = el.focus();
                            }
                        });
                    }
                >
                    {Locale::ALL
                        .into_iter()
                        .map(|l| {
                            // Each language by its own name, marked with its own lang.
                            view! {
                                <option value=l.tag() lang=l.tag() selected=l == crate::i18n::locale_now()>
                                    {l.name()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <div class="account-bar__actions">
                <a class="account-bar__link" href="contacts">{t.contacts}</a>
                <a class="account-bar__link" href="settings/snippets">{t.saved_replies}</a>
                {move || {
                    closing_reasons
                        .get()
                        .then(|| view! { <a class="account-bar__link" href="settings/closing-reasons">{t.closing_reasons}</a> })
                }}
                {move || {
                    templates.get().then(|| view! { <a class="account-bar__link" href="settings/templates">{t.templates}</a> })
                }}
                {move || reports.get().then(|| view! { <a class="account-bar__link" href="reports">{t.reports}</a> })}
                {move || rules.get().then(|| view! { <a class="account-bar__link" href="settings/rules">{t.rules}</a> })}
                <button type="button" class="button button--quiet" on:click=move |_| on_sign_out.run(())>
                    {t.sign_out}
                </button>
            </div>
        </header>
    }
}
