//! A list of calls, newest first: the Calls tab of an inbox and the contact's Call
//! activities both read it.

use leptos::prelude::*;
use parley_domain::call::Call;
use parley_domain::{Direction, Timestamp};

use crate::format::{clock_duration, iso, short_time};

use super::ChannelLabel;

/// "Incoming call, Completed, 1:35" — what a screen reader reads for a row.
fn summary(t: &crate::i18n::Words, c: &Call) -> String {
    let direction = if c.direction == Direction::Incoming { t.incoming_call } else { t.outgoing_call };
    let mut s = format!("{direction}, {}", (t.call_state)(c.state));
    if c.answered_at.is_some() && c.ended_at.is_some() {
        s.push_str(&format!(", {}", clock_duration(c.duration_ms(Timestamp(0)))));
    }
    s
}

#[component]
pub fn CallLog(
    /// `None` while loading.
    #[prop(into)]
    calls: Signal<Option<Vec<Call>>>,
    /// The list's accessible name ("Call log", "Call activities").
    label: &'static str,
    /// Show the contact on each row (not needed inside one contact's sidebar).
    #[prop(optional)]
    with_contact: bool,
    #[prop(into)] now: Signal<i64>,
) -> impl IntoView {
    let t = crate::i18n::t();
    view! {
        {move || match calls.get() {
            None => view! { <p class="call-log__empty">{t.loading_calls}</p> }.into_any(),
            Some(list) if list.is_empty() => view! { <p class="call-log__empty">{t.no_calls}</p> }.into_any(),
            Some(list) => {
                view! {
                    <ul class="call-log" aria-label=label>
                        {list
                            .into_iter()
                            .map(|c| {
                                let at = c.started_at;
                                view! {
                                    <li class=format!("call-log__item call-log__item--{}", c.state.label().to_lowercase())>
                                        {with_contact.then(|| view! { <span class="call-log__name">{c.contact_name.clone()}</span> })}
                                        <span class="call-log__summary">{summary(t, &c)}</span>
                                        <ChannelLabel kind=Signal::stored(Some(c.channel_kind)) />
                                        <time class="call-log__time" datetime=iso(at)>{move || short_time(at, now.get())}</time>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }
        }}
    }
}

#[cfg(test)]
mod tests {
    use parley_domain::call::CallState;

    use super::*;

    #[test]
    fn rows_say_direction_state_and_length_once_ended() {
        let mut c: Call = serde_json::from_str(
            r#"{"id":"call-1","contact":"k","contact_name":"A","channel":"ch","channel_kind":"whatsapp",
                "direction":"incoming","state":"ended","started_at":0,"answered_at":1000,"ended_at":96000}"#,
        )
        .unwrap();
        assert_eq!(summary(crate::i18n::Locale::En.words(), &c), "Incoming call, Completed, 1:35");
        c.state = CallState::Missed;
        (c.answered_at, c.direction) = (None, Direction::Outgoing);
        assert_eq!(summary(crate::i18n::Locale::En.words(), &c), "Outgoing call, Missed");
    }
}
