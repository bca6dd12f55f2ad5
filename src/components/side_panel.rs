//! The inbox side panel: a search box and the standard and team inboxes with their
//! open counts and blue new-message dots, then the blocked contacts' inbox when the
//! server lists it (users with the permission, while someone is blocked).

use leptos::html::Input;
use leptos::prelude::*;
use parley_domain::inbox::{InboxCount, InboxId, InboxKind};

use super::SidePanelItem;

/// The id of the inbox search box (`/` focuses it).
pub const INBOX_SEARCH_ID: &str = "inbox-search";

/// `<nav aria-label=t.inboxes>` ("Boîtes de réception"). Its only links are the inboxes.
#[component]
pub fn SidePanel(
    /// Counts in side-panel order.
    #[prop(into)]
    inboxes: Signal<Vec<InboxCount>>,
    #[prop(into)] selected: Signal<Option<InboxId>>,
    /// Focus the search box once mounted (right after sign-in).
    #[prop(optional)]
    autofocus: bool,
) -> impl IntoView {
    let t = crate::i18n::t();
    let query = RwSignal::new(String::new());
    let search: NodeRef<Input> = NodeRef::new();
    if autofocus {
        Effect::new(move |_| {
            if let Some(input) = search.get() {
                let _ = input.focus();
            }
        });
    }
    // Names matching the search, per section, as ids (each item reads its own count).
    let section = move |kind: InboxKind| {
        Memo::new(move |_| {
            let q = query.with(|q| q.trim().to_lowercase());
            inboxes.with(|all| {
                all.iter()
                    .filter(|c| c.kind == kind && (t.inbox_name)(c).to_lowercase().contains(&q))
                    .map(|c| c.id.clone())
                    .collect::<Vec<_>>()
            })
        })
    };
    let standard = section(InboxKind::Standard);
    let teams = section(InboxKind::Team);
    let blocked = section(InboxKind::Blocked);
    let group = move |title: &'static str, ids: Memo<Vec<InboxId>>| {
        move || {
            (!ids.with(Vec::is_empty)).then(|| {
                view! {
                    <section class="side-panel__section">
                        <h2 class="side-panel__heading">{title}</h2>
                        <ul class="side-panel__list">
                            <For each=move || ids.get() key=|id| id.clone() let:id>
                                <SidePanelItem
                                    id=id.clone()
                                    count=count_of(inboxes, id.clone())
                                    selected=Signal::derive({
                                        let id = id.clone();
                                        move || selected.with(|s| s.as_ref() == Some(&id))
                                    })
                                />
                            </For>
                        </ul>
                    </section>
                }
            })
        }
    };
    view! {
        <nav class="side-panel" aria-label=t.inboxes>
            <input
                class="side-panel__search"
                id=INBOX_SEARCH_ID
                type="search"
                aria-label=t.search_inboxes
                placeholder=t.search_inboxes
                node_ref=search
                bind:value=query
            />
            {group(t.standard_inboxes, standard)}
            {group(t.team_inboxes, teams)}
            {group(t.blocked, blocked)}
            {move || {
                (standard.with(Vec::is_empty) && teams.with(Vec::is_empty))
                    .then(|| view! { <p class="side-panel__empty">{t.no_inbox_matches}</p> })
            }}
        </nav>
    }
}

/// One inbox's count, as its own memo so that only changed items redraw.
fn count_of(inboxes: Signal<Vec<InboxCount>>, id: InboxId) -> Signal<Option<InboxCount>> {
    Memo::new(move |_| inboxes.with(|all| all.iter().find(|c| c.id == id).cloned())).into()
}
