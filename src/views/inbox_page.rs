//! `/inbox/:inbox` (and its children): the four-column workspace. The inbox, status and
//! assignee filters and the order live in the URL; this page tells the store what the
//! URL says.

use super::Outlet;
use crate::router::NavigateOptions;
use crate::router::Redirect;
use crate::router::{use_navigate, use_params_map, use_query_map};
use leptos::prelude::*;
use parley_domain::filter::{AssigneeFilter, StatusFilter};
use parley_domain::inbox::{InboxCount, InboxId};
use parley_domain::list::SortOrder;
use parley_domain::visibility::Directory;
use parley_domain::{ConversationId, Permission};

use super::{InboxCallsProps, RequireSession, Shortcuts, WorkspacePanel};
use crate::components::{BulkOutcome, BulkResolve, ConversationList, ErrorBanner, Tabs, panel_id, tab_id};

/// The id of the Chats / Calls tabs.
const LIST_TABS: &str = "list-tab";
use crate::store::{
    BulkResolveInput, Selection, describe, on_answer, provide_clock, use_calls, use_contacts, use_inboxes, use_list,
    use_session, use_store, use_thread,
};

#[component]
pub fn InboxPage() -> impl IntoView {
    let params = use_params_map();
    let inbox = Memo::new(move |_| params.with(|p| p.get("inbox")).and_then(|s| s.parse::<InboxId>().ok()));
    view! {
        <RequireSession>
            {move || match inbox.get() {
                Some(_) => view! { <InboxWorkspace /> }.into_any(),
                None => {
                    let options = NavigateOptions { replace: true };
                    view! { <Redirect path="/" options /> }.into_any()
                }
            }}
        </RequireSession>
    }
}

/// The signed-in workspace for a valid inbox URL.
#[component]
fn InboxWorkspace() -> impl IntoView {
    let store = use_store();
    let calls = use_calls();
    let contacts = use_contacts();
    let inboxes = use_inboxes();
    let list = use_list();
    let session = use_session();
    let thread = use_thread();
    let params = use_params_map();
    let query = use_query_map();
    let inbox = Memo::new(move |_| {
        params.with(|p| p.get("inbox")).and_then(|s| s.parse::<InboxId>().ok()).unwrap_or(InboxId::All)
    });
    let filter =
        Memo::new(move |_| query.with(|q| q.get("status")).and_then(|s| StatusFilter::parse(&s)).unwrap_or_default());
    let order = Memo::new(move |_| {
        query.with(|q| q.get("order")).and_then(|o| SortOrder::from_wire_name(&o)).unwrap_or_default()
    });
    let assignee = Memo::new(move |_| AssigneeFilter::parse(query.with(|q| q.get("assignee")).as_deref()));
    // The URL is the source of truth; the store loads what it names.
    Effect::new(move |_| {
        store.select(Selection {
            inbox: inbox.get(),
            filter: filter.get(),
            order: order.get(),
            assignee: assignee.get(),
        });
    });

    let now = provide_clock();

    let me = session.me();
    let members =
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.workspace.members.clone()).unwrap_or_default()));
    let notice = session.notice();
    let inbox_counts = inboxes.counts();
    let t = crate::i18n::t();
    let label = Signal::derive(move || {
        let id = inbox.get();
        inbox_counts
            .with(|all| all.iter().find(|c| c.id == id).map(t.inbox_name))
            .or_else(|| {
                // Before the counts arrive: the same name, from the directory.
                let count =
                    |d: &Directory| InboxCount { id: id.clone(), kind: id.kind(), name: id.name(d), open: 0, new: 0 };
                session.directory().with(|d| d.as_ref().map(|d| (t.inbox_name)(&count(d))))
            })
            .unwrap_or_else(|| id.to_string())
    });

    // Keeps the list's filters and order when moving between its conversations.
    let query_suffix = move || assignee.with(|a| list_query(filter.get(), order.get(), a));
    let href = Callback::new(move |id: ConversationId| {
        format!("inbox/{}/c/{}{}", inbox.get(), encode(id.as_str()), query_suffix())
    });
    let navigate = use_navigate();
    let go = move |filter: StatusFilter, order: SortOrder, assignee: &AssigneeFilter| {
        let suffix = list_query(filter, order, assignee);
        // A new filter shows a new list: the open conversation may not be in it.
        navigate(&format!("inbox/{}{suffix}", inbox.get_untracked()), NavigateOptions::default());
    };
    let on_filter = Callback::new({
        let go = go.clone();
        move |f: StatusFilter| go(f, order.get_untracked(), &assignee.get_untracked())
    });
    let on_order = Callback::new({
        let go = go.clone();
        move |o: SortOrder| go(filter.get_untracked(), o, &assignee.get_untracked())
    });
    let on_assignee = Callback::new(move |a: AssigneeFilter| go(filter.get_untracked(), order.get_untracked(), &a));

    // The assignee filter's choices: All, Unassigned, then each assignee, with counts.
    let counts = list.assignee_counts();
    let assignees = Signal::derive(move || {
        counts
            .with(|counts| members.with(|members| assignee.with(|current| assignee_choices(counts, members, current))))
    });
    let total = Signal::derive(move || {
        Some(counts.with(|counts| {
            assignee.with(|a| counts.iter().filter(|c| a.matches(c.assignee.as_ref())).map(|c| c.count as usize).sum())
        }))
    });

    // Bulk resolve acts on the list as filtered; the outcome is announced in the header.
    let bulk = RwSignal::new(BulkOutcome::Idle);
    Effect::new(move |_| {
        // A new list is a new scope: forget the last outcome.
        inbox.track();
        filter.track();
        assignee.track();
        bulk.set(BulkOutcome::Idle);
    });
    let resolve = list.bulk_resolve;
    let on_bulk = Callback::new(move |(older_than_days, reason): (u32, String)| {
        bulk.set(BulkOutcome::Working);
        resolve.dispatch(BulkResolveInput { older_than_days, reason });
    });
    on_answer(resolve, move |answer| {
        bulk.set(match answer {
            Ok(answer) => BulkOutcome::Done(answer.closed),
            Err(e) => BulkOutcome::Failed(describe(&e)),
        })
    });
    let scope = Signal::derive(move || {
        let mut words = format!("{}, {}", label.get(), (t.status_filter)(filter.get()));
        if let Some((_, name)) = assignees.with(|all| all.iter().find(|(a, _)| *a == assignee.get()).cloned())
            && assignee.with(|a| *a != AssigneeFilter::Anyone)
        {
            words.push_str(&format!(", {}", name.rsplit_once(" (").map_or(name.as_str(), |(n, _)| n)));
        }
        words
    });
    let can_bulk = session.may(Permission::BulkResolve);

    // The tab title and favicon count my conversations with new messages (Mine's blue
    // dot), so a background or pinned tab shows when a customer of mine is waiting.
    let my_new = inboxes.my_new();
    Effect::new(move |_| {
        let waiting = my_new.get();
        set_title(&if waiting > 0 { format!("({waiting}) Parley") } else { "Parley".to_owned() });
        set_favicon(waiting);
    });
    on_cleanup(|| {
        set_title("Parley");
        set_favicon(0);
    });

    let wanted = thread.wanted();

    let conversation_open = Signal::derive(move || wanted.with(Option::is_some));
    let handles_calls = calls.handles_calls();
    let show_calls = RwSignal::new(false);
    view! {
        <div class="workspace" class:workspace--conversation=conversation_open>
            <WorkspacePanel selected=Signal::derive(move || Some(inbox.get())) />
            <div class="list-column">
            {move || {
                handles_calls
                    .get()
                    .then(|| {
                        view! {
                            <Tabs
                                label=t.show
                                id=LIST_TABS
                                class="list-column__tabs"
                                tabs=Signal::stored(vec![t.chats.to_owned(), t.calls.to_owned()])
                                selected=Signal::derive(move || usize::from(show_calls.get()))
                                on_select=Callback::new(move |i| show_calls.set(i == 1))
                            />
                        }
                    })
            }}
            // A tab panel only while the tabs are there (users who handle calls).
            <div
                class="list-column__panel"
                id=panel_id(LIST_TABS)
                role=move || handles_calls.get().then_some("tabpanel")
                aria-labelledby=move || handles_calls.get().then(|| tab_id(LIST_TABS, usize::from(show_calls.get())))
            >
            <Show when=move || show_calls.get() && handles_calls.get() fallback=move || view! {
            <ConversationList
                label
                list=list.list()
                loading=list.loading()
                selected=thread.wanted()
                members
                teams=session.teams()
                now
                sla=session.sla_targets()
                filter
                order
                assignees
                assignee
                total
                href
                on_filter
                on_order
                on_assignee
                on_load_more=Callback::new(move |()| list.load_more())
                on_assign=Callback::new(move |(contact, assignee)| contacts.assign_contact(contact, assignee))
            >
                {move || can_bulk.get().then(|| view! { <BulkResolve scope outcome=bulk on_resolve=on_bulk /> })}
            </ConversationList>
            }>
                {move || {
                    let props = InboxCallsProps { inbox: inbox.into(), now };
                    crate::lazy_view(move || crate::lazy::inbox_calls(props), || ().into_any())
                }}
            </Show>
            </div>
            </div>
            <Outlet />
            <Shortcuts href />
            <ErrorBanner message=session.error() on_dismiss=Callback::new(move |()| session.dismiss_error()) />
            <p class="notice" class:notice--shown=move || notice.with(Option::is_some) role="status">
                {notice}
            </p>
        </div>
    }
}

/// `?status=…&order=…&assignee=…` for the non-default choices ("" when all are default).
fn list_query(filter: StatusFilter, order: SortOrder, assignee: &AssigneeFilter) -> String {
    let mut parts = Vec::new();
    if filter != StatusFilter::default() {
        parts.push(format!("status={}", filter.as_str()));
    }
    if order != SortOrder::default() {
        parts.push(format!("order={}", order.wire_name()));
    }
    if let Some(a) = assignee.as_param() {
        parts.push(format!("assignee={}", encode(a)));
    }
    if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
}

/// All (with the total), Unassigned, then each assignee most first, each with its count.
/// The current choice stays listed even when it has no conversation left.
fn assignee_choices(
    counts: &[parley_domain::wire::AssigneeCount],
    members: &[parley_domain::wire::Member],
    current: &AssigneeFilter,
) -> Vec<(AssigneeFilter, String)> {
    let total: u32 = counts.iter().map(|c| c.count).sum();
    let count_of =
        |f: &AssigneeFilter| counts.iter().filter(|c| f.matches(c.assignee.as_ref())).map(|c| c.count).sum::<u32>();
    let t = crate::i18n::t();
    let mut choices = vec![
        (AssigneeFilter::Anyone, format!("{} ({total})", t.anyone)),
        (AssigneeFilter::Unassigned, format!("{} ({})", t.unassigned, count_of(&AssigneeFilter::Unassigned))),
    ];
    let name = |id: &parley_domain::UserId| {
        members.iter().find(|m| m.id == *id).map_or_else(|| id.to_string(), |m| m.name.clone())
    };
    for c in counts {
        if let Some(id) = &c.assignee {
            choices.push((AssigneeFilter::User(id.clone()), format!("{} ({})", name(id), c.count)));
        }
    }
    if let AssigneeFilter::User(id) = current
        && !choices.iter().any(|(f, _)| f == current)
    {
        choices.push((current.clone(), format!("{} (0)", name(id))));
    }
    choices
}

fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(title);
    }
}

/// The app icon with a red badge holding `count` (the plain icon at 0).
fn set_favicon(count: u32) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(Some(link)) = document.query_selector("link[rel~=icon]") else { return };
    // The plain icon's address, kept on first use (the app may live under a sub-path).
    let plain = match link.get_attribute("data-plain") {
        Some(plain) => plain,
        None => {
            let plain = link.get_attribute("href").unwrap_or_default();
            let _ = link.set_attribute("data-plain", &plain);
            plain
        }
    };
    let href = if count == 0 {
        plain
    } else {
        let label = if count > 9 { "9+".to_owned() } else { count.to_string() };
        let svg = format!(
            "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><path fill='#2563eb' d='M6 4h20a4 4 0 0 1 4 \
             4v12a4 4 0 0 1-4 4H14l-7 6v-6H6a4 4 0 0 1-4-4V8a4 4 0 0 1 4-4z'/><circle cx='23' cy='9' r='9' \
             fill='#c62828'/><text x='23' y='13' font-size='12' font-weight='700' font-family='sans-serif' \
             text-anchor='middle' fill='#fff'>{label}</text></svg>"
        );
        format!("data:image/svg+xml,{}", encode(&svg))
    };
    let _ = link.set_attribute("href", &href);
}

/// Escapes an id for a URL path segment.
pub(super) fn encode(id: &str) -> String {
    String::from(js_sys::encode_uri_component(id))
}
