//! A channel's name with its pictogram, so an agent recognises WhatsApp or email at a
//! glance while a screen reader reads the name. The pictograms are CSS masks chosen by
//! `data-channel` (style/base.css): no image requests, nothing in the wasm.

use leptos::prelude::*;
use parley_domain::ChannelKind;

#[component]
pub fn ChannelLabel(
    /// `None` while the row has no conversation yet (virtual list).
    #[prop(into)]
    kind: Signal<Option<ChannelKind>>,
) -> impl IntoView {
    view! {
        <span
            class="channel-label"
            data-channel=move || kind.get().map(|k| k.wire_name())
            title=move || kind.get().map(ChannelKind::label)
        >
            <span class="channel-label__text">{move || kind.get().map(crate::i18n::t().channel)}</span>
        </span>
    }
}
