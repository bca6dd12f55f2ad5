//! Who the conversation is with, on which channel, and where it stands.

use leptos::prelude::*;
use parley_domain::wire::ConversationSummary;

use super::Avatar;

#[component]
pub fn ConversationHeader(
    #[prop(into)] summary: Signal<ConversationSummary>,
    /// The assignee's name, if any.
    #[prop(into)]
    assignee: Signal<Option<String>>,
    /// The list this conversation was opened from.
    #[prop(into)]
    back_href: Signal<String>,
) -> impl IntoView {
    let name = Signal::derive(move || summary.with(|s| s.contact.name.clone()));
    let status = move || summary.with(|s| s.status);
    view! {
        <header class="conversation-header">
            <a class="conversation-header__back" href=back_href>
                "Back to the list"
            </a>
            <Avatar name />
            <div class="conversation-header__who">
                <h2 class="conversation-header__name">{name}</h2>
                <p class="conversation-header__meta">
                    <span class="channel-label">{move || summary.with(|s| s.channel.kind.label())}</span>
                    <span class="conversation-header__channel">{move || summary.with(|s| s.channel.name.clone())}</span>
                </p>
            </div>
            <div class="conversation-header__state">
                <span class=move || format!("status-pill status-pill--{}", status().as_str())>
                    {move || status_label(status())}
                </span>
                <span class="conversation-header__assignee">
                    {move || assignee.get().unwrap_or_else(|| "Unassigned".into())}
                </span>
            </div>
        </header>
    }
}

fn status_label(status: parley_domain::Status) -> &'static str {
    use parley_domain::Status::*;
    match status {
        New => "New",
        Pending => "Pending",
        Snoozed => "Snoozed",
        Closed => "Closed",
    }
}
