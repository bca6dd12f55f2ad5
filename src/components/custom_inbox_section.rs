//! The side panel's custom inboxes (a region of their own: the "Inboxes" navigation
//! holds the live inboxes only): a scope filter (All / By me / By others), the
//! inboxes as links (no count or dot: they are not live) and "New custom inbox".

use leptos::prelude::*;
use parley_domain::CustomInboxId;
use parley_domain::custom_inbox::{CustomInbox, Scope as CustomScope};

#[component]
pub fn CustomInboxSection(
    /// The inboxes of the chosen scope, in display order.
    #[prop(into)]
    inboxes: Signal<Vec<CustomInbox>>,
    /// Shown only while the list is not loaded or could not be.
    #[prop(into)]
    status: Signal<Option<String>>,
    #[prop(into)] scope: Signal<CustomScope>,
    on_scope: Callback<CustomScope>,
    /// The open custom inbox's id.
    #[prop(into)]
    selected: Signal<Option<CustomInboxId>>,
    /// The signed-in user's id, to say who created the others' inboxes.
    #[prop(into)]
    me: Signal<Option<parley_domain::UserId>>,
    on_new: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let choice = move |value: CustomScope, label: &'static str| {
        view! {
            <button
                type="button"
                class="custom-inboxes__scope"
                aria-pressed=move || if scope.get() == value { "true" } else { "false" }
                on:click=move |_| on_scope.run(value)
            >
                {label}
            </button>
        }
    };
    view! {
        <section class="custom-inboxes" aria-label=t.custom_inboxes>
            <div class="side-panel__section">
                <h2 class="side-panel__heading">{t.custom_inboxes}</h2>
                <div class="custom-inboxes__scopes" role="group" aria-label=t.show_custom_inboxes>
                    {choice(CustomScope::All, t.custom_all)}
                    {choice(CustomScope::Mine, t.by_me)}
                    {choice(CustomScope::Others, t.by_others)}
                </div>
                {move || status.get().map(|s| view! { <p class="side-panel__empty" role="status">{s}</p> })}
                <ul class="side-panel__list" aria-label=t.custom_inboxes>
                    <For each=move || inboxes.get() key=|i| (i.id.clone(), i.name.clone()) let:inbox>
                        {
                            let id = inbox.id.clone();
                            let current = Signal::derive(move || selected.with(|s| s.as_ref() == Some(&id)));
                            let by = (me.get_untracked().as_ref() != Some(&inbox.owner))
                                .then(|| (t.by_owner)(&inbox.owner_name));
                            view! {
                                <li class="side-panel__item" class:side-panel__item--selected=current>
                                    <a
                                        class="inbox-link"
                                        href=format!("custom/{}", inbox.id)
                                        aria-current=move || current.get().then_some("page")
                                    >
                                        <span class="inbox-link__name">{inbox.name.clone()}</span>
                                    </a>
                                    {by.map(|b| view! { <span class="custom-inboxes__owner">{b}</span> })}
                                </li>
                            }
                        }
                    </For>
                </ul>
                <button type="button" class="button button--small" on:click=move |_| on_new.run(())>
                    {t.new_custom_inbox}
                </button>
            </div>
        </section>
    }
}
