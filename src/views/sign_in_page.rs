//! `/sign-in`: the form, and off to `/` once signed in.

use crate::router::NavigateOptions;
use crate::router::Redirect;
use leptos::prelude::*;

use crate::components::SignInForm;
use crate::store::{SessionState, describe, use_session, use_store};

#[component]
pub fn SignInPage() -> impl IntoView {
    let store = use_store();
    let session = use_session();
    let sign_in = store.sign_in;
    // One alert at a time: this attempt's failure, else why the last session ended.
    let store_error = session.error();
    let error = Signal::derive(move || {
        sign_in.value().get().and_then(Result::err).map(|e| describe(&e)).or_else(|| store_error.get())
    });
    let on_submit = Callback::new(move |credentials: (String, String)| {
        session.dismiss_error();
        sign_in.dispatch(credentials);
    });
    let session = session.state();
    view! {
        {move || {
            matches!(session.get(), SessionState::SignedIn(_))
                .then(|| {
                    let options = NavigateOptions { replace: true };
                    view! { <Redirect path="/" options /> }
                })
        }}
        <main class="sign-in">
            <SignInForm pending=sign_in.pending() error on_submit />
        </main>
    }
}
