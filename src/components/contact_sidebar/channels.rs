//! The channels the contact has written on.

use leptos::prelude::*;
use parley_domain::{Channel, Contact};

/// The channels the contact has written on, by name.
#[component]
pub(super) fn ConnectedChannels(contact: Signal<Contact>, channels: Signal<Vec<Channel>>) -> impl IntoView {
    let t = crate::i18n::t();
    let names = move || {
        contact.with(|c| {
            channels.with(|all| {
                c.channels
                    .iter()
                    .map(|id| {
                        all.iter().find(|ch| &ch.id == id).map(|ch| ch.name.clone()).unwrap_or_else(|| id.to_string())
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <section class="contact-sidebar__section" aria-labelledby="contact-channels">
            <h3 id="contact-channels" class="contact-sidebar__heading">{t.connected_channels}</h3>
            {move || {
                let names = names();
                if names.is_empty() {
                    view! { <p class="contact-sidebar__muted">{t.none}</p> }.into_any()
                } else {
                    view! {
                        <ul class="contact-sidebar__channels" aria-label=t.connected_channels>
                            {names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
