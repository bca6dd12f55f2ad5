//! Collision avoidance: who else is viewing or typing in this conversation, announced
//! politely (a live region that is always there, so that changes are read out).

use leptos::prelude::*;

#[component]
pub fn PresenceStatus(
    /// (name, typing), typists first.
    #[prop(into)]
    people: Signal<Vec<(String, bool)>>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let text = move || {
        people.with(|people| {
            people
                .iter()
                .map(|(name, typing)| if *typing { (t.typing)(name) } else { (t.viewing)(name) })
                .collect::<Vec<_>>()
                .join(" · ")
        })
    };
    view! {
        <p class="presence" role="status" aria-label=t.presence>
            {text}
        </p>
    }
}
