//! The selected inbox's conversations: status and order pickers, the items, and more
//! pages on demand (scrolling near the end, or the "Load more" button).

use leptos::html::Div;
use leptos::prelude::*;
use parley_domain::ConversationId;
use parley_domain::Timestamp;
use parley_domain::filter::StatusFilter;
use parley_domain::list::{ConversationList as List, SortOrder};
use parley_domain::sla::{SlaTargets, sla_state};
use parley_domain::wire::{ConversationSummary, Member};

use super::ConversationListItem;

/// How close to the end (in pixels) scrolling asks for the next page.
const LOAD_MORE_MARGIN: i32 = 300;

#[component]
pub fn ConversationList(
    /// The inbox's name: the list's accessible name.
    #[prop(into)]
    label: Signal<String>,
    #[prop(into)] list: Signal<List>,
    #[prop(into)] loading: Signal<bool>,
    #[prop(into)] selected: Signal<Option<ConversationId>>,
    /// Colleagues, to show an item's assignee initials.
    #[prop(into)]
    members: Signal<Vec<Member>>,
    /// The current (server) time, for relative times and SLA clocks.
    #[prop(into)]
    now: Signal<i64>,
    /// The workspace's reply targets.
    #[prop(into)]
    sla: Signal<SlaTargets>,
    #[prop(into)] filter: Signal<StatusFilter>,
    #[prop(into)] order: Signal<SortOrder>,
    /// The link of a conversation.
    href: Callback<ConversationId, String>,
    on_filter: Callback<StatusFilter>,
    on_order: Callback<SortOrder>,
    on_load_more: Callback<()>,
) -> impl IntoView {
    let ids = Memo::new(move |_| list.with(|l| l.items().iter().map(|c| c.id.clone()).collect::<Vec<_>>()));
    let has_more = Memo::new(move |_| list.with(List::has_more));
    let scroller: NodeRef<Div> = NodeRef::new();
    let on_scroll = move |_| {
        if let Some(el) = scroller.get() {
            let near_end = el.scroll_top() + el.client_height() >= el.scroll_height() - LOAD_MORE_MARGIN;
            if near_end && has_more.get_untracked() && !loading.get_untracked() {
                on_load_more.run(());
            }
        }
    };
    let item = move |id: ConversationId| {
        let conversation: Signal<Option<ConversationSummary>> = Memo::new({
            let id = id.clone();
            move |_| list.with(|l| l.get(&id).cloned())
        })
        .into();
        let assignee = Signal::derive(move || {
            let assignee = conversation.with(|c| c.as_ref().and_then(|c| c.assignee.clone()))?;
            members.with(|m| m.iter().find(|m| m.id == assignee).map(|m| m.name.clone()))
        });
        let sla = Signal::derive(move || {
            conversation.with(|c| {
                let c = c.as_ref()?;
                sla_state(sla.get(), c.status, c.sla.awaiting_since, c.sla.replied_before, Timestamp(now.get()))
            })
        });
        let href = Signal::derive({
            let id = id.clone();
            move || href.run(id.clone())
        });
        let selected = Signal::derive(move || selected.with(|s| s.as_ref() == Some(&id)));
        view! { <ConversationListItem conversation href selected assignee sla now /> }
    };
    view! {
        <section class="conversation-list" aria-label="Conversations">
            <header class="conversation-list__header">
                <h2 class="conversation-list__title">{label}</h2>
                <div class="conversation-list__controls">
                    <select
                        aria-label="Status"
                        on:change=move |ev| {
                            if let Some(f) = StatusFilter::parse(&event_target_value(&ev)) {
                                on_filter.run(f);
                            }
                        }
                    >
                        {StatusFilter::ALL
                            .into_iter()
                            .map(|f| {
                                view! {
                                    <option value=f.as_str() prop:selected=move || filter.get() == f>
                                        {f.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <select
                        aria-label="Sort"
                        on:change=move |ev| {
                            on_order.run(match event_target_value(&ev).as_str() {
                                "oldest" => SortOrder::OldestFirst,
                                _ => SortOrder::NewestFirst,
                            })
                        }
                    >
                        <option value="newest" prop:selected=move || order.get() == SortOrder::NewestFirst>
                            "Newest first"
                        </option>
                        <option value="oldest" prop:selected=move || order.get() == SortOrder::OldestFirst>
                            "Oldest first"
                        </option>
                    </select>
                </div>
            </header>
            <div class="conversation-list__scroller" node_ref=scroller on:scroll=on_scroll>
                <ul class="conversation-list__items" aria-label=label>
                    <For each=move || ids.get() key=|id| id.clone() let:id>
                        {item(id)}
                    </For>
                </ul>
                {move || {
                    if loading.get() {
                        Some(view! { <p class="conversation-list__note">"Loading conversations…"</p> }.into_any())
                    } else if ids.with(Vec::is_empty) {
                        Some(view! { <p class="conversation-list__note">"No conversations"</p> }.into_any())
                    } else if has_more.get() {
                        Some(
                            view! {
                                <button
                                    type="button"
                                    class="button button--quiet conversation-list__more"
                                    on:click=move |_| on_load_more.run(())
                                >
                                    "Load more"
                                </button>
                            }
                                .into_any(),
                        )
                    } else {
                        None
                    }
                }}
            </div>
        </section>
    }
}
