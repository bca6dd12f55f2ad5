//! One conversation in the list: who, where, what was said last, when, how much is
//! unread, and how close the team is to its reply target.

use leptos::prelude::*;
use parley_domain::sla::SlaState;
use parley_domain::wire::ConversationSummary;
use parley_domain::{Direction, Status};

use super::{Avatar, ChannelLabel, SlaIcon};
use crate::format::{initials, iso, short_time};
use crate::i18n::{ItemParts, Words};

/// What the last message says, as the list shows it ("You: …" for our own replies).
fn preview(c: &ConversationSummary) -> String {
    match &c.last_message {
        Some(p) if p.direction == Direction::Outgoing => (crate::i18n::t().own_preview)(&p.text),
        Some(p) => p.text.clone(),
        None => String::new(),
    }
}

/// "Alice Martin, WhatsApp, online, assigned to Léa Moreau, 2 unread: Where is my
/// order?": the contact first, so that a screen-reader user hears who before what.
fn accessible_name(t: &Words, c: &ConversationSummary, assignee: Option<&str>) -> String {
    (t.conversation_item)(&ItemParts {
        contact: &c.contact.name,
        channel: (t.channel)(c.channel.kind),
        online: c.contact.online,
        closed: c.status == Status::Closed,
        assignee,
        unread: c.unread.into(),
        preview: &preview(c),
    })
}

/// The `<li>` and its link stay the same elements while the conversation changes, so
/// focus survives live updates. In a virtual list only some items exist: `position`
/// and `set_size` tell assistive technology where this one stands in the whole list,
/// and `focusable` makes it the one Tab stop of the list (roving focus).
#[component]
pub fn ConversationListItem(
    /// `None` for the instant between the conversation leaving the list and the item going.
    #[prop(into)]
    conversation: Signal<Option<ConversationSummary>>,
    #[prop(into)] href: Signal<String>,
    #[prop(into)] selected: Signal<bool>,
    /// The assignee's name, if any.
    #[prop(into)]
    assignee: Signal<Option<String>>,
    /// Where the reply target stands, if the conversation awaits the team.
    #[prop(into)]
    sla: Signal<Option<SlaState>>,
    #[prop(into)] now: Signal<i64>,
    /// 1-based position in the whole list.
    #[prop(into)]
    position: Signal<usize>,
    #[prop(into)] set_size: Signal<usize>,
    #[prop(into)] focusable: Signal<bool>,
    /// Controls beside the link (the item's assignee picker).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let field = move |f: fn(&ConversationSummary) -> String| {
        move || conversation.with(|c| c.as_ref().map(f).unwrap_or_default())
    };
    let at = move || conversation.with(|c| c.as_ref().map(|c| c.last_activity_at));
    let unread = move || conversation.with(|c| c.as_ref().map_or(0, |c| c.unread));
    let closed = move || conversation.with(|c| c.as_ref().is_some_and(|c| c.status == Status::Closed));
    let online = move || conversation.with(|c| c.as_ref().is_some_and(|c| c.contact.online));
    let name = Signal::derive(field(|c| c.contact.name.clone()));
    let label = move || {
        assignee.with(|a| {
            conversation.with(|c| c.as_ref().map(|c| accessible_name(t, c, a.as_deref())).unwrap_or_default())
        })
    };
    view! {
        <li
            class="conversation-item"
            class:conversation-item--selected=selected
            aria-posinset=move || position.get()
            aria-setsize=move || set_size.get()
        >
            <a
                class="conversation-item__link"
                href=href
                aria-current=move || selected.get().then_some("page")
                tabindex=move || if focusable.get() { "0" } else { "-1" }
            >
                // The name is one visually hidden phrase; what the row shows says the same
                // and is hidden from assistive technology, except the SLA clock, whose
                // words ("SLA: due in 3 min") end the name.
                <span class="visually-hidden">{label}</span>
                <span class="conversation-item__avatar" aria-hidden="true">
                    <Avatar name />
                    {move || online().then(|| view! { <span class="online-dot" title=t.online></span> })}
                </span>
                <span class="conversation-item__body">
                    <span class="conversation-item__top" aria-hidden="true">
                        <span class="conversation-item__name">{name}</span>
                        <span class="conversation-item__marks">
                            {move || closed().then(|| view! { <span class="status-mark" title=t.closed_mark>"✓"</span> })}
                            {move || {
                                assignee
                                    .get()
                                    .map(|a| {
                                        view! {
                                            <span class="assignee-badge" title=(t.assigned_to)(&a)>
                                                {initials(&a)}
                                            </span>
                                        }
                                    })
                            }}
                            {move || {
                                let n = unread();
                                (n > 0).then(|| view! { <span class="unread-badge">{n}</span> })
                            }}
                        </span>
                        <time
                            class="conversation-item__time"
                            datetime=move || at().map(iso).unwrap_or_default()
                        >
                            {move || at().map(|at| short_time(at, now.get())).unwrap_or_default()}
                        </time>
                    </span>
                    <span class="conversation-item__bottom">
                        <span class="conversation-item__said" aria-hidden="true">
                            <ChannelLabel kind=Signal::derive(move || conversation.with(|c| c.as_ref().map(|c| c.channel.kind))) />
                            <span class="conversation-item__preview">{field(preview)}</span>
                        </span>
                        <SlaIcon state=sla now />
                    </span>
                </span>
            </a>
            {children.map(|c| view! { <div class="conversation-item__actions">{c()}</div> })}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use parley_domain::wire::{ChannelRef, ContactRef, Preview};
    use parley_domain::{ChannelKind, Timestamp};

    use super::*;

    fn check(
        unread: u32,
        status: Status,
        last: Option<(Direction, &str)>,
        (online, assignee): (bool, Option<&str>),
        expected: &str,
    ) {
        let c = ConversationSummary {
            id: "cv-1".into(),
            contact: ContactRef { id: "k-1".into(), name: "Alice Martin".into(), blocked: false, online },
            channel: ChannelRef { id: "ch".into(), kind: ChannelKind::Whatsapp, name: "WA".into() },
            status,
            last_message: last.map(|(direction, text)| Preview { direction, text: text.into(), at: Timestamp(0) }),
            unread,
            ..parley_domain::testing::conversation("cv-1")
        };
        assert_eq!(accessible_name(crate::i18n::Locale::En.words(), &c, assignee), expected);
    }

    #[test]
    fn names_start_with_the_contact() {
        use Direction::*;
        #[rustfmt::skip]
        let rows: &[(u32, Status, Option<(Direction, &str)>, (bool, Option<&str>), &str)] = &[
            (2, Status::New, Some((Incoming, "Where?")), (false, None), "Alice Martin, WhatsApp, 2 unread: Where?"),
            (0, Status::Pending, Some((Outgoing, "On it")), (false, None), "Alice Martin, WhatsApp: You: On it"),
            (0, Status::Closed, None, (false, None), "Alice Martin, WhatsApp, closed"),
            (1, Status::New, None, (true, Some("Léa Moreau")),
                "Alice Martin, WhatsApp, online, assigned to Léa Moreau, 1 unread"),
            (0, Status::Closed, None, (false, Some("Léa Moreau")), "Alice Martin, WhatsApp, closed, assigned to Léa Moreau"),
        ];
        for &(unread, status, last, extra, expected) in rows {
            check(unread, status, last, extra, expected);
        }
    }
}
