//! The middle column for one conversation: header, timeline and composer.

use leptos::prelude::*;
use parley_domain::wire::ConversationSummary;
use parley_domain::{Message, Status};

use super::{Composer, ConversationHeader, Timeline};

/// `<section aria-label="Conversation with …">`; the composer takes focus when it mounts
/// (the view mounts one per opened conversation).
#[component]
pub fn ConversationView(
    #[prop(into)] summary: Signal<ConversationSummary>,
    /// Oldest first.
    #[prop(into)]
    messages: Signal<Vec<Message>>,
    /// Older messages can be loaded.
    #[prop(into)]
    has_older: Signal<bool>,
    /// The assignee's name, if any.
    #[prop(into)]
    assignee: Signal<Option<String>>,
    #[prop(into)] now: Signal<i64>,
    /// Where "Back to the list" leads (shown on narrow screens only).
    #[prop(into)]
    back_href: Signal<String>,
    on_send: Callback<String>,
    /// Receives the `client_id` of the failed message to send again.
    on_retry: Callback<String>,
    on_load_older: Callback<()>,
) -> impl IntoView {
    let label = move || summary.with(|s| format!("Conversation with {}", s.contact.name));
    let closed = Signal::derive(move || {
        summary.with(|s| (s.status == Status::Closed).then(|| "This conversation is closed.".to_owned()))
    });
    view! {
        <section class="conversation" aria-label=label>
            <ConversationHeader summary assignee back_href />
            <Timeline messages has_older now on_retry on_load_older />
            <Composer on_send disabled_reason=closed />
        </section>
    }
}
