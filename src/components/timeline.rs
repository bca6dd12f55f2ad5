//! The message thread, newest at the bottom, kept scrolled to the end while the user is
//! there (and left alone while they read older messages).

use leptos::html::Div;
use leptos::prelude::*;
use parley_domain::{DeliveryState, Message};

use super::TimelineMessage;

/// How close to the end (in pixels) counts as "at the end".
const STICK_MARGIN: i32 = 48;

#[component]
pub fn Timeline(
    /// Oldest first.
    #[prop(into)]
    messages: Signal<Vec<Message>>,
    #[prop(into)] has_older: Signal<bool>,
    #[prop(into)] now: Signal<i64>,
    on_retry: Callback<String>,
    on_load_older: Callback<()>,
) -> impl IntoView {
    let scroller: NodeRef<Div> = NodeRef::new();
    // Starts true: a conversation opens at its newest message.
    let stick = StoredValue::new(true);
    let on_scroll = move |_| {
        if let Some(el) = scroller.get_untracked() {
            stick.set_value(el.scroll_top() + el.client_height() >= el.scroll_height() - STICK_MARGIN);
        }
    };
    // Talks to the DOM only: after the messages change, follow the end if the user was
    // there, or if they have just sent something.
    Effect::new(move |_| {
        let just_sent = messages.with(|m| m.last().is_some_and(|m| m.delivery == DeliveryState::Sending));
        if stick.get_value() || just_sent {
            request_animation_frame(move || {
                if let Some(el) = scroller.get_untracked() {
                    el.set_scroll_top(el.scroll_height());
                }
            });
        }
    });
    view! {
        <div class="timeline" node_ref=scroller on:scroll=on_scroll>
            {move || {
                has_older
                    .get()
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button--quiet timeline__older"
                                on:click=move |_| on_load_older.run(())
                            >
                                "Load older messages"
                            </button>
                        }
                    })
            }}
            <ol class="timeline__messages" role="log" aria-label="Messages">
                <For
                    each=move || messages.get()
                    key=|m| (m.id.clone(), m.delivery)
                    children=move |message| view! { <TimelineMessage message now on_retry /> }
                />
            </ol>
        </div>
    }
}
