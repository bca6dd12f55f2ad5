//! The selected inbox's conversations: status, assignee and order pickers, and the items
//! as a virtual list (only the rows near the viewport exist, so tens of thousands
//! scroll smoothly); more pages load as the window nears the end of what is loaded.
//! Arrow keys, Page Up/Down, Home and End move the focus between items; Enter opens one.

use leptos::html::Div;
use leptos::prelude::*;
use parley_domain::filter::{AssigneeFilter, StatusFilter};
use parley_domain::list::{ConversationList as List, SortOrder};
use parley_domain::sla::{SlaTargets, sla_state};
use parley_domain::wire::{ConversationSummary, Member};
use parley_domain::{Assignee, ContactId, ConversationId, Team, Timestamp};
use wasm_bindgen::JsCast;

use super::virtual_list::{Window, step};
use super::{AssigneePicker, ConversationListItem};

/// Row height in pixels; `.conversation-item` has exactly this height (CSS).
const ROW: f64 = 72.0;
/// The CSS length of `rows` rows. Integer formatting: `f64`'s `Display` would pull the
/// float formatter (~4 KB gzipped) into the wasm for this one use.
fn px(rows: usize) -> String {
    format!("{}px", rows * ROW as usize)
}
/// Rows rendered beyond each edge of the viewport.
const OVERSCAN: usize = 30;
/// At least this many rows exist (a short list renders whole).
const MIN_ROWS: usize = 100;
/// The next page is asked for when the window comes this close to the loaded end.
const LOAD_AHEAD: usize = 40;
/// Until the scroller is measured.
const DEFAULT_VIEWPORT: f64 = 800.0;

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
    /// Teams, to name a team assignee and offer teams in the pickers.
    #[prop(into)]
    teams: Signal<Vec<Team>>,
    /// The current (server) time, for relative times and SLA clocks.
    #[prop(into)]
    now: Signal<i64>,
    /// The workspace's reply targets.
    #[prop(into)]
    sla: Signal<SlaTargets>,
    #[prop(into)] filter: Signal<StatusFilter>,
    #[prop(into)] order: Signal<SortOrder>,
    /// The assignee filter's choices, each with the words it shows ("Léa Moreau (3)").
    #[prop(into)]
    assignees: Signal<Vec<(AssigneeFilter, String)>>,
    #[prop(into)] assignee: Signal<AssigneeFilter>,
    /// How many conversations the whole list holds, loaded or not, when known.
    #[prop(into)]
    total: Signal<Option<usize>>,
    /// The link of a conversation.
    href: Callback<ConversationId, String>,
    on_filter: Callback<StatusFilter>,
    on_order: Callback<SortOrder>,
    on_assignee: Callback<AssigneeFilter>,
    on_load_more: Callback<()>,
    /// Assigns an item's contact from the list (`None` unassigns).
    #[prop(optional)]
    on_assign: Option<Callback<(ContactId, Option<Assignee>)>>,
    /// Extra header actions (bulk resolve, for those allowed).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let ids = Memo::new(move |_| list.with(|l| l.items().iter().map(|c| c.id.clone()).collect::<Vec<_>>()));
    let has_more = Memo::new(move |_| list.with(List::has_more));
    let set_size = Memo::new(move |_| {
        let loaded = ids.with(Vec::len);
        if has_more.get() { total.get().unwrap_or(loaded).max(loaded) } else { loaded }
    });

    // The measured window: scroll position and viewport height drive which rows exist.
    let scroller: NodeRef<Div> = NodeRef::new();
    let scroll_top = RwSignal::new(0.0);
    let viewport = RwSignal::new(DEFAULT_VIEWPORT);
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            scroll_top.set(f64::from(el.scroll_top()));
            let h = f64::from(el.client_height());
            viewport.set(if h > 0.0 { h } else { DEFAULT_VIEWPORT });
        }
    };
    Effect::new(move |_| {
        if scroller.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    let geometry = move || Window {
        scroll_top: scroll_top.get(),
        viewport: viewport.get(),
        row: ROW,
        overscan: OVERSCAN,
        min_rows: MIN_ROWS,
    };
    let range = Memo::new(move |_| geometry().range(ids.with(Vec::len)));
    let start = Memo::new(move |_| range.get().start);
    let shown = Memo::new(move |_| {
        let r = range.get();
        ids.with(|ids| ids[r.start.min(ids.len())..r.end.min(ids.len())].to_vec())
    });
    // A new list (inbox or filter) starts at the top.
    Effect::new(move |previous: Option<bool>| {
        let empty = ids.with(Vec::is_empty);
        if empty && previous == Some(false) {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
            scroll_top.set(0.0);
        }
        empty
    });
    // Pagination follows the window: nearing the loaded end asks for the next page.
    Effect::new(move |_| {
        let (end, len) = (range.get().end, ids.with(Vec::len));
        if has_more.get() && !loading.get() && end + LOAD_AHEAD >= len {
            on_load_more.run(());
        }
    });

    // Roving focus: one item is the list's Tab stop — the last one focused, else the
    // open conversation, else the first rendered.
    let active = RwSignal::new(None::<ConversationId>);
    let focus_in_list = StoredValue::new(false);
    let tab_stop = Memo::new(move |_| {
        shown.with(|shown| {
            let pick = |id: Option<ConversationId>| id.filter(|id| shown.contains(id));
            pick(active.get()).or_else(|| pick(selected.get())).or_else(|| shown.first().cloned())
        })
    });
    // Focuses the link of row `index` once it is rendered (after the next frame).
    let focus_row = move |index: usize| {
        request_animation_frame(move || {
            let Some(el) = scroller.get_untracked() else { return };
            let selector = format!("[aria-posinset=\"{}\"] a", index + 1);
            if let Ok(Some(link)) = el.query_selector(&selector)
                && let Ok(link) = link.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = link.focus();
            }
        });
    };
    let reveal = move |index: usize| {
        if let Some(el) = scroller.get_untracked()
            && let Some(top) = geometry().reveal(index)
        {
            el.set_scroll_top(top as i32);
            scroll_top.set(top);
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        // Alt+arrows open the next conversation (the page's shortcut); keep out of its way.
        if ev.alt_key() || ev.ctrl_key() || ev.meta_key() || ev.shift_key() {
            return;
        }
        let (len, current) = ids.with_untracked(|ids| {
            let current = active.get_untracked().and_then(|a| ids.iter().position(|id| *id == a));
            (ids.len(), current)
        });
        let page = geometry().page_rows();
        let Some(next) = step(&ev.key(), current, len, page) else { return };
        ev.prevent_default();
        active.set(ids.with_untracked(|ids| ids.get(next).cloned()));
        reveal(next);
        focus_row(next);
    };
    // Live updates may move the focused item (its element is moved, which drops focus):
    // put the focus back on it.
    Effect::new(move |_| {
        shown.track();
        if !focus_in_list.get_value() {
            return;
        }
        request_animation_frame(move || {
            let body = document().body();
            let lost = document().active_element().is_none_or(|el| body.is_some_and(|b| el == *b));
            let index =
                active.get_untracked().and_then(|a| ids.with_untracked(|ids| ids.iter().position(|id| *id == a)));
            if lost && let Some(index) = index {
                focus_row(index);
            }
        });
    });
    // The open conversation (e.g. after Alt+↓) is scrolled into view — when it changes
    // only: the scroll position is read untracked, or the list could not scroll away.
    Effect::new(move |_| {
        let Some(id) = selected.get() else { return };
        if let Some(index) = ids.with_untracked(|ids| ids.iter().position(|c| *c == id)) {
            untrack(move || reveal(index));
        }
    });

    let item = move |id: ConversationId| {
        let conversation: Signal<Option<ConversationSummary>> = Memo::new({
            let id = id.clone();
            move |_| list.with(|l| l.get(&id).cloned())
        })
        .into();
        let assignee = Signal::derive(move || {
            let assignee = conversation.with(|c| c.as_ref().and_then(ConversationSummary::assigned))?;
            Some(super::assignee_name(&assignee, &members.read(), &teams.read()))
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
        let position = Memo::new({
            let id = id.clone();
            move |_| shown.with(|s| s.iter().position(|x| *x == id)).map_or(0, |i| start.get() + i + 1)
        });
        let focusable = Signal::derive({
            let id = id.clone();
            move || tab_stop.with(|t| t.as_ref() == Some(&id))
        });
        let selected = Signal::derive(move || selected.with(|s| s.as_ref() == Some(&id)));
        let picker = on_assign.and_then(|assign| {
            let (contact, who) =
                conversation.with_untracked(|c| c.as_ref().map(|c| (c.contact.id.clone(), c.contact.name.clone())))?;
            let current =
                Signal::derive(move || conversation.with(|c| c.as_ref().and_then(ConversationSummary::assigned)));
            let on_assign = Callback::new(move |a| assign.run((contact.clone(), a)));
            Some(view! { <AssigneePicker assignee=current members teams on_assign who tabbable=focusable /> })
        });
        match picker {
            Some(picker) => view! {
                <ConversationListItem conversation href selected assignee sla now position set_size focusable>
                    {picker}
                </ConversationListItem>
            }
            .into_any(),
            None => view! {
                <ConversationListItem conversation href selected assignee sla now position set_size focusable />
            }
            .into_any(),
        }
    };
    let assignee_value = move || assignee.with(|a| a.as_param().unwrap_or_default().to_owned());
    view! {
        <section class="conversation-list" aria-label=t.conversations>
            <header class="conversation-list__header">
                <h2 class="conversation-list__title">{label}</h2>
                <div class="conversation-list__controls">
                    <select
                        aria-label=t.status
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
                                        {(t.status_filter)(f)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <select
                        aria-label=t.assignee
                        prop:value=assignee_value
                        on:change=move |ev| on_assignee.run(AssigneeFilter::parse(Some(&event_target_value(&ev))))
                    >
                        <For
                            each=move || assignees.get()
                            key=|choice| choice.clone()
                            children=move |(choice, words)| {
                                let value = choice.as_param().unwrap_or_default().to_owned();
                                view! {
                                    <option value=value prop:selected=move || assignee.with(|a| *a == choice)>
                                        {words}
                                    </option>
                                }
                            }
                        />
                    </select>
                    <select
                        aria-label=t.sort
                        on:change=move |ev| {
                            on_order.run(SortOrder::from_wire_name(&event_target_value(&ev)).unwrap_or_default())
                        }
                    >
                        <option value=SortOrder::NewestFirst.wire_name() prop:selected=move || order.get() == SortOrder::NewestFirst>
                            {t.newest_first}
                        </option>
                        <option value=SortOrder::OldestFirst.wire_name() prop:selected=move || order.get() == SortOrder::OldestFirst>
                            {t.oldest_first}
                        </option>
                    </select>
                </div>
                {children.map(|c| c())}
            </header>
            <div
                class="conversation-list__scroller"
                node_ref=scroller
                on:scroll=move |_| measure()
            >
                <ul
                    class="conversation-list__items"
                    aria-label=label
                    style:height=move || px(ids.with(Vec::len))
                    style:padding-top=move || px(start.get())
                    on:keydown=on_keydown
                    on:focusin=move |ev: leptos::ev::FocusEvent| {
                        focus_in_list.set_value(true);
                        // The focused item becomes the Tab stop (found by its position).
                        let index = ev
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                            .and_then(|el| el.closest("[aria-posinset]").ok().flatten())
                            .and_then(|li| li.get_attribute("aria-posinset")?.parse::<usize>().ok());
                        if let Some(index) = index.and_then(|i| i.checked_sub(1)) {
                            active.set(ids.with_untracked(|ids| ids.get(index).cloned()));
                        }
                    }
                    on:focusout=move |ev: leptos::ev::FocusEvent| {
                        // Moving to another item keeps it; leaving for elsewhere does not.
                        // (An element removed under the focus reports no target.)
                        if ev.related_target().is_some() {
                            focus_in_list.set_value(false);
                        }
                    }
                >
                    <For each=move || shown.get() key=|id| id.clone() let:id>
                        {item(id)}
                    </For>
                </ul>
                {move || {
                    if loading.get() {
                        Some(view! { <p class="conversation-list__note">{t.loading_conversations}</p> }.into_any())
                    } else if ids.with(Vec::is_empty) {
                        Some(view! { <p class="conversation-list__note">{t.no_conversations}</p> }.into_any())
                    } else if has_more.get() {
                        Some(
                            view! {
                                <button
                                    type="button"
                                    class="button button--quiet conversation-list__more"
                                    on:click=move |_| on_load_more.run(())
                                >
                                    {t.load_more}
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
