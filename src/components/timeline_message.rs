//! One message of the timeline: sender, text (always as text, never as HTML), time,
//! and for our replies the delivery state, with Retry when it failed.

use leptos::prelude::*;
use parley_domain::{DeliveryState, Direction, Message};

use super::MessageAttachments;
use crate::format::{iso, message_time};

fn delivery_label(state: DeliveryState) -> &'static str {
    match state {
        DeliveryState::Sending => "Sending…",
        DeliveryState::Sent => "Sent",
        DeliveryState::Delivered => "Delivered",
        DeliveryState::Read => "Read",
        DeliveryState::Failed => "Failed to send",
    }
}

#[component]
pub fn TimelineMessage(
    message: Message,
    #[prop(into)] now: Signal<i64>,
    /// Receives the message's `client_id`.
    on_retry: Callback<String>,
) -> impl IntoView {
    let outgoing = message.direction == Direction::Outgoing;
    let at = message.at;
    let delivery = message.delivery;
    let retry = (delivery == DeliveryState::Failed).then(|| message.client_id.clone()).flatten();
    view! {
        <li
            class="message"
            class:message--outgoing=outgoing
            class:message--incoming=!outgoing
            class:message--failed=delivery == DeliveryState::Failed
        >
            <div class="message__bubble">
                <div class="message__meta">
                    <span class="message__sender">{message.sender.name}</span>
                    <time class="message__time" datetime=iso(at)>
                        {move || message_time(at, now.get())}
                    </time>
                </div>
                {(!message.text.is_empty()).then(|| view! { <p class="message__text">{message.text}</p> })}
                <MessageAttachments attachments=message.attachments />
                {outgoing
                    .then(|| {
                        view! {
                            <div class="message__delivery">
                                <span>{delivery_label(delivery)}</span>
                                {retry
                                    .map(|client_id| {
                                        view! {
                                            <button
                                                type="button"
                                                class="button button--small"
                                                on:click=move |_| on_retry.run(client_id.clone())
                                            >
                                                "Retry"
                                            </button>
                                        }
                                    })}
                            </div>
                        }
                    })}
            </div>
        </li>
    }
}
