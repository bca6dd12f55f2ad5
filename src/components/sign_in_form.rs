//! The sign-in form: real labels, native validation, and the failure read out as an
//! alert.

use leptos::prelude::*;

/// Email and password; `on_submit` receives `(email, password)`.
#[component]
pub fn SignInForm(
    /// A request is under way: the button waits.
    #[prop(into)]
    pending: Signal<bool>,
    /// Why the last attempt failed.
    #[prop(into)]
    error: Signal<Option<String>>,
    on_submit: Callback<(String, String)>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !pending.get_untracked() {
            on_submit.run((email.get_untracked(), password.get_untracked()));
        }
    };
    view! {
        <form class="sign-in-form" on:submit=submit>
            {crate::theme::logo().map(|src| view! { <img class="brand-logo" src=src alt="" width="40" height="40" /> })}
            <h1 class="sign-in-form__title">{t.sign_in_title}</h1>
            <label for="sign-in-email">{t.email}</label>
            <input
                id="sign-in-email"
                type="email"
                name="email"
                autocomplete="username"
                required
                autofocus
                bind:value=email
            />
            <label for="sign-in-password">{t.password}</label>
            <input
                id="sign-in-password"
                type="password"
                name="password"
                autocomplete="current-password"
                required
                bind:value=password
            />
            {move || error.get().map(|e| view! { <p class="sign-in-form__error" role="alert">{e}</p> })}
            <button type="submit" class="button button--primary" disabled=pending>
                {t.sign_in}
            </button>
        </form>
    }
}
