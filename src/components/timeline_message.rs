//! One message of the timeline: sender, the channel it came in on or went out on ("via
//! WhatsApp"), text (always as text, never as HTML, with web and mail addresses as
//! links), time, and for our replies the delivery state ("Waiting to send" while the
//! connection is down), with Retry when it failed. Its actions (reply with quote, copy)
//! show on hover and when the message or one of its buttons has the keyboard focus.

use leptos::prelude::*;
use parley_domain::text::{Segment, linkify};
use parley_domain::{Channel, DeliveryState, Direction, Message};

use super::MessageAttachments;
use crate::format::{iso, message_time};

/// The workspace's channels, for naming the channel of each message (provided by the
/// views for every signed-in screen).
#[derive(Clone, Copy)]
pub struct WorkspaceChannels(pub Signal<Vec<Channel>>);

fn delivery_label(t: &crate::i18n::Words, state: DeliveryState) -> &'static str {
    match state {
        DeliveryState::Sending => t.sending,
        DeliveryState::Sent => t.sent,
        DeliveryState::Delivered => t.delivered,
        DeliveryState::Read => t.read,
        DeliveryState::Failed => t.failed_to_send,
    }
}

#[component]
pub fn TimelineMessage(
    message: Message,
    #[prop(into)] now: Signal<i64>,
    /// Queued in the outbox and not being posted: the connection is down.
    #[prop(into)]
    waiting: Signal<bool>,
    /// Receives the message's `client_id`.
    on_retry: Callback<String>,
    /// Receives the text to quote in the reply.
    on_quote: Callback<String>,
    /// Receives the text to copy.
    on_copy: Callback<String>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let outgoing = message.direction == Direction::Outgoing;
    let at = message.at;
    let delivery = message.delivery;
    let retry = (delivery == DeliveryState::Failed).then(|| message.client_id.clone()).flatten();
    let text = StoredValue::new(message.text.clone());
    // "via WhatsApp", part of the message's text for everyone (a screen reader reads it
    // after the sender); the channel's own name on hover.
    let channel = use_context::<WorkspaceChannels>()
        .and_then(|c| c.0.with_untracked(|all| all.iter().find(|c| c.id == message.channel).cloned()));
    let via = channel.map(|c| {
        view! {
            <span class="message__channel" data-channel=c.kind.wire_name() title=c.name>
                {(t.via_channel)((t.channel)(c.kind))}
            </span>
        }
    });
    // A message sent from a template says so (its text is the filled body).
    let from_template =
        message.template.is_some().then(|| view! { <span class="message__template">{t.template_message}</span> });
    // Text nodes and anchors only: whatever a contact writes is never parsed as markup,
    // and a link can only be http(s) or mailto.
    let body = linkify(&message.text)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(t) => t.into_any(),
            Segment::Link(href) => {
                let shown = href.clone();
                view! {
                    <a href=href target="_blank" rel="noopener noreferrer nofollow ugc">
                        {shown}
                    </a>
                }
                .into_any()
            }
        })
        .collect_view();
    view! {
        <li
            tabindex="0"
            class="message"
            class:message--outgoing=outgoing
            class:message--incoming=!outgoing
            class:message--failed=delivery == DeliveryState::Failed
        >
            <div class="message__bubble">
                <div class="message__meta">
                    <span class="message__sender">{message.sender.name}</span>
                    {via}
                    {from_template}
                    <time class="message__time" datetime=iso(at)>
                        {move || message_time(at, now.get())}
                    </time>
                </div>
                {(!message.text.is_empty()).then(|| view! { <p class="message__text">{body}</p> })}
                <MessageAttachments attachments=message.attachments />
                {outgoing
                    .then(|| {
                        view! {
                            <div class="message__delivery">
                                <span>
                                    {move || {
                                        if delivery == DeliveryState::Sending && waiting.get() {
                                            {t.waiting_to_send}
                                        } else {
                                            delivery_label(t, delivery)
                                        }
                                    }}
                                </span>
                                {retry
                                    .map(|client_id| {
                                        view! {
                                            <button
                                                type="button"
                                                class="button button--small"
                                                on:click=move |_| on_retry.run(client_id.clone())
                                            >
                                                {t.retry}
                                            </button>
                                        }
                                    })}
                            </div>
                        }
                    })}
            </div>
            <div class="message__actions">
                <button
                    type="button"
                    class="button button--small"
                    on:click=move |_| on_quote.run(text.get_value())
                >
                    {t.reply_with_quote}
                </button>
                <button
                    type="button"
                    class="button button--small"
                    on:click=move |_| on_copy.run(text.get_value())
                >
                    {t.copy_text}
                </button>
            </div>
        </li>
    }
}
