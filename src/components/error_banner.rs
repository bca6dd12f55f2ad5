//! The last failure, in words, until the user dismisses it: a failure is never only a
//! console log.

use leptos::prelude::*;

/// Renders nothing while `message` is `None`, so that it is the page's only alert
/// when there is one.
#[component]
pub fn ErrorBanner(
    #[prop(into)] message: Signal<Option<String>>,
    /// The user closed the banner.
    on_dismiss: Callback<()>,
) -> impl IntoView {
    move || {
        message.get().map(|text| {
            view! {
                <div class="error-banner" role="alert">
                    <span class="error-banner__text">{text}</span>
                    <button type="button" class="error-banner__dismiss" on:click=move |_| on_dismiss.run(())>
                        {crate::i18n::t().dismiss}
                    </button>
                </div>
            }
        })
    }
}
