//! The reply's channel: which channel identity it goes out from ("Sending from WhatsApp
//! (WhatsApp +33 1 84…)", announced when it changes), and "Reply via" to choose when the
//! contact has several channels.

use leptos::prelude::*;
use parley_domain::{Channel, ChannelId};

/// A channel as the reply controls name it: its kind, then its own name.
fn identity(t: &crate::i18n::Words, c: &Channel) -> String {
    format!("{} ({})", (t.channel)(c.kind), c.name)
}

#[component]
pub fn ReplyChannel(
    /// The conversation's channel first, then the contact's others.
    #[prop(into)]
    options: Signal<Vec<Channel>>,
    #[prop(into)] selected: Signal<Option<Channel>>,
    on_select: Callback<ChannelId>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let selected_id = move || selected.with(|s| s.as_ref().map(|c| c.id.to_string()).unwrap_or_default());
    let choice = move || {
        (options.with(Vec::len) > 1).then(|| {
            view! {
                <label for="reply-channel">{t.reply_via}</label>
                <select
                    id="reply-channel"
                    class="reply-channel__select"
                    prop:value=selected_id
                    on:change=move |ev| on_select.run(ChannelId::new(event_target_value(&ev)))
                >
                    {options
                        .get()
                        .into_iter()
                        .map(|c| {
                            let id = c.id.to_string();
                            view! {
                                <option value=id.clone() selected=move || selected_id() == id>
                                    {identity(t, &c)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            }
        })
    };
    view! {
        <div class="reply-channel">
            {choice}
            <p class="reply-channel__from" role="status">
                {move || selected.with(|c| c.as_ref().map(|c| (t.sending_from)(&identity(t, c))))}
            </p>
        </div>
    }
}
