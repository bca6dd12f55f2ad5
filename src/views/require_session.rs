//! The gate in front of every signed-in screen: wait while a saved session is checked,
//! send a signed-out visitor to `/sign-in`.

use crate::router::NavigateOptions;
use crate::router::Redirect;
use crate::router::use_navigate;
use leptos::prelude::*;
use parley_domain::InboxId;

use crate::components::{ReasonChoices, WorkspaceChannels};
use crate::store::{SessionState, use_closing_reasons, use_session, use_store, use_thread};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Restoring,
    SignedOut,
    SignedIn,
}

/// Renders `children` only while signed in (the user and token are then available).
#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let store = use_store();
    let session = use_session();
    let thread = use_thread();
    let state = session.state();
    // Only the phase matters here: a new token must not rebuild the whole screen.
    let phase = Memo::new(move |_| match state.get() {
        SessionState::Restoring => Phase::Restoring,
        SessionState::SignedOut => Phase::SignedOut,
        SessionState::SignedIn(_) => Phase::SignedIn,
    });
    let error = session.error();
    // The close dialog and bulk resolve read the closing reasons (and fetch them on opening).
    let reasons = use_closing_reasons();
    provide_context(ReasonChoices { reasons: reasons.list(), load: Callback::new(move |()| reasons.load()) });
    // Each message of a timeline names the channel it came in on or went out on.
    let me = session.me();
    let channels =
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.workspace.channels.clone()).unwrap_or_default()));
    provide_context(WorkspaceChannels(channels));
    // A notification's click opens its conversation, which is mine (that is why it
    // notified), wherever the agent was.
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(id) = thread.take_open_request() {
            navigate(&format!("inbox/{}/c/{}", InboxId::Mine, id.as_str()), NavigateOptions::default());
        }
    });
    move || match phase.get() {
        Phase::SignedIn => children().into_any(),
        Phase::SignedOut => {
            let options = NavigateOptions { replace: true };
            view! { <Redirect path="/sign-in" options /> }.into_any()
        }
        Phase::Restoring => view! {
            <main class="splash">
                <p role="status">{crate::i18n::t().loading_parley}</p>
                {move || {
                    error
                        .get()
                        .map(|e| {
                            view! {
                                <p role="alert">{e}</p>
                                <button type="button" class="button button--primary" on:click=move |_| store.restore()>
                                    {crate::i18n::t().try_again}
                                </button>
                            }
                        })
                }}
            </main>
        }
        .into_any(),
    }
}
