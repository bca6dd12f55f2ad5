//! The Conversations tab: every conversation of the contact, past and current.

use leptos::prelude::*;
use parley_domain::ConversationId;
use parley_domain::wire::ContactConversation;

/// Each conversation as a link to its thread: status, channel, last message and, once
/// closed, why.
#[component]
pub fn ContactConversationList(
    /// `None` while loading.
    #[prop(into)]
    conversations: Signal<Option<Vec<ContactConversation>>>,
    /// Where a conversation opens.
    href: Callback<ConversationId, String>,
) -> impl IntoView {
    let t = crate::i18n::t();
    move || {
        let Some(all) = conversations.get() else {
            return view! { <p class="contact-sidebar__muted" role="status">{t.loading_conversations}</p> }.into_any();
        };
        if all.is_empty() {
            return view! { <p class="contact-sidebar__muted">{t.no_conversations}</p> }.into_any();
        }
        let items = all
            .into_iter()
            .map(|ContactConversation { conversation: c, closing_reason }| {
                let text = c.last_message.map(|m| m.text).unwrap_or_default();
                let reason = closing_reason.map(|r| (t.labelled)(t.closing_reason, &r));
                view! {
                    <li class="contact-conversation">
                        <a href=href.run(c.id)>
                            <span class="contact-conversation__status">{(t.status_name)(c.status)}</span>
                            " · "
                            <span>{c.channel.name}</span>
                            " "
                            <span class="contact-conversation__text">{text}</span>
                            " "
                            {reason.map(|r| view! { <span class="contact-conversation__reason">{r}</span> })}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="contact-conversations" aria-label=t.conversations>{items}</ul> }.into_any()
    }
}
