//! The side panel's incoming calls: sub-tabs All / Assigned to me / Unassigned (a `self`
//! agent gets only their own), each ringing call with who, where, whose, and Accept or
//! Decline. The list is a live region, so a screen reader hears a new call ring.

use leptos::prelude::*;
use parley_domain::call::{Call, CallTab};
use parley_domain::wire::Member;
use parley_domain::{Assignee, CallId, Team, UserId};

use super::{ChannelLabel, Tabs, assignee_name, panel_id, tab_id};

const TABS: &str = "incoming-calls-tab";

fn empty_text(tab: CallTab) -> &'static str {
    match tab {
        CallTab::All => crate::i18n::t().no_incoming_calls,
        CallTab::Mine => crate::i18n::t().no_calls_mine,
        CallTab::Unassigned => crate::i18n::t().no_calls_unassigned,
    }
}

#[component]
pub fn IncomingCalls(
    /// Ringing calls, newest first.
    #[prop(into)]
    calls: Signal<Vec<Call>>,
    tabs: &'static [CallTab],
    #[prop(into)] me: Signal<Option<UserId>>,
    #[prop(into)] members: Signal<Vec<Member>>,
    #[prop(into)] teams: Signal<Vec<Team>>,
    on_accept: Callback<CallId>,
    on_decline: Callback<CallId>,
) -> impl IntoView {
    let t = crate::i18n::t();
    // The selected tab, by position in `tabs`.
    let selected = RwSignal::new(0);
    let tab = move || tabs[selected.get().min(tabs.len() - 1)];
    let shown = Memo::new(move |_| {
        let Some(me) = me.get() else { return Vec::new() };
        let tab = tab();
        calls.with(|all| all.iter().filter(|c| tab.holds(c, &me)).cloned().collect::<Vec<_>>())
    });
    let assigned = move |call: &Call| match call.assigned() {
        None => t.unassigned.to_owned(),
        Some(Assignee::User(id)) if me.with_untracked(|m| m.as_ref() == Some(&id)) => t.assigned_to_you.to_owned(),
        Some(a) => {
            (t.assigned_to)(&members.with_untracked(|m| teams.with_untracked(|teams| assignee_name(&a, m, teams))))
        }
    };
    view! {
        <section class="incoming-calls" aria-labelledby="incoming-calls-heading">
            <h2 class="side-panel__heading" id="incoming-calls-heading">
                {t.incoming_calls}
            </h2>
            <Tabs
                label=t.incoming_calls
                id=TABS
                class="incoming-calls__tabs"
                tabs=Signal::stored(tabs.iter().map(|tab| (t.call_tab)(*tab).to_owned()).collect::<Vec<_>>())
                counts=Signal::derive(move || {
                    calls.with(|all| {
                        me.with(|me| {
                            tabs.iter()
                                .map(|t| me.as_ref().map_or(0, |me| all.iter().filter(|c| t.holds(c, me)).count()))
                                .collect()
                        })
                    })
                })
                selected
                on_select=Callback::new(move |i| selected.set(i))
            />
            <div
                role="tabpanel"
                id=panel_id(TABS)
                aria-labelledby=move || tab_id(TABS, selected.get())
            >
                <ul class="incoming-calls__list" aria-live="polite" aria-label=t.ringing_calls>
                    <For each=move || shown.get() key=|c| c.id.clone() let:call>
                        {
                            let id = call.id.clone();
                            let decline_id = call.id.clone();
                            let who = call.contact_name.clone();
                            view! {
                                <li class="incoming-call">
                                    <span class="incoming-call__name">{call.contact_name.clone()}</span>
                                    <span class="incoming-call__meta">
                                        <ChannelLabel kind=Signal::stored(Some(call.channel_kind)) />
                                        {call.phone.clone().map(|p| view! { <span class="incoming-call__phone">{p}</span> })}
                                    </span>
                                    <span class="incoming-call__owner">{assigned(&call)}</span>
                                    <span class="incoming-call__actions">
                                        <button
                                            type="button"
                                            class="button button--primary"
                                            aria-label=(t.accept_call_from)(&who)
                                            on:click=move |_| on_accept.run(id.clone())
                                        >
                                            {t.accept}
                                        </button>
                                        <button
                                            type="button"
                                            class="button"
                                            aria-label=(t.decline_call_from)(&who)
                                            on:click=move |_| on_decline.run(decline_id.clone())
                                        >
                                            {t.decline}
                                        </button>
                                    </span>
                                </li>
                            }
                        }
                    </For>
                </ul>
                {move || shown.with(Vec::is_empty).then(|| view! { <p class="incoming-calls__empty">{empty_text(tab())}</p> })}
            </div>
        </section>
    }
}
