//! A contact's or colleague's initials in a circle: the list and header show who at a
//! glance without loading images.

use leptos::prelude::*;

use crate::format::initials;

/// Initials of `name`; hidden from assistive technology, which reads the name itself.
#[component]
pub fn Avatar(
    /// Full name to take the initials from.
    #[prop(into)]
    name: Signal<String>,
    /// Extra class, e.g. `avatar--small`.
    #[prop(optional, into)]
    class: String,
) -> impl IntoView {
    view! {
        <span class=format!("avatar {class}") aria-hidden="true">
            {move || name.with(|n| initials(n))}
        </span>
    }
}
