//! `/`: the user's first side-panel inbox (or sign-in, through the gate).

use crate::router::NavigateOptions;
use crate::router::Redirect;
use leptos::prelude::*;

use super::RequireSession;
use crate::store::use_inboxes;

#[component]
pub fn HomePage() -> impl IntoView {
    let inboxes = use_inboxes();
    let home = inboxes.home();
    view! {
        <RequireSession>
            {move || {
                home.get()
                    .map(|inbox| {
                        // Replace, so that Back does not bounce through `/` again.
                        let options = NavigateOptions { replace: true };
                        view! { <Redirect path=format!("inbox/{inbox}") options /> }
                    })
            }}
        </RequireSession>
    }
}
