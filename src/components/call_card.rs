//! The call in progress: a running timer on the left, then who, Record and End.

use leptos::prelude::*;
use parley_domain::call::Call;

use crate::format::clock_duration;

use super::ChannelLabel;

#[component]
pub fn CallCard(
    #[prop(into)] call: Signal<Call>,
    /// Server time, ticking every second while the card shows.
    #[prop(into)]
    now: Signal<i64>,
    on_record: Callback<bool>,
    on_end: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let recording = move || call.with(|c| c.recording);
    let elapsed = move || call.with(|c| clock_duration(c.duration_ms(parley_domain::Timestamp(now.get()))));
    view! {
        <section class="call-card" class:call-card--recording=recording aria-label=t.active_call>
            <span class="call-card__timer" role="timer" aria-label=t.call_duration>
                {elapsed}
            </span>
            <span class="call-card__who">
                <span class="call-card__name">{move || call.with(|c| c.contact_name.clone())}</span>
                <ChannelLabel kind=Signal::derive(move || Some(call.with(|c| c.channel_kind))) />
                {move || recording().then(|| view! { <span class="call-card__rec" role="status">{t.recording}</span> })}
            </span>
            <span class="call-card__actions">
                <button
                    type="button"
                    class="button"
                    aria-pressed=move || if recording() { "true" } else { "false" }
                    on:click=move |_| on_record.run(!recording())
                >
                    {t.record}
                </button>
                <button type="button" class="button call-card__end" on:click=move |_| on_end.run(())>
                    {t.end_call}
                </button>
            </span>
        </section>
    }
}
