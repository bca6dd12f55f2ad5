//! "Reply via": which of the contact's channels the reply goes out on, shown only when
//! there is a choice.

use leptos::prelude::*;
use parley_domain::{Channel, ChannelId};

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
    move || {
        (options.with(Vec::len) > 1).then(|| {
            view! {
                <div class="reply-channel">
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
                                        {format!("{} ({})", (t.channel)(c.kind), c.name)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            }
        })
    }
}
