//! `/contacts` (and `/contacts/:contact`): search every contact the agent may see, on the
//! server, and open one in the contact sidebar with its conversations.

use std::time::Duration;

use leptos::prelude::*;
use parley_domain::inbox::{Facts, lit_inbox};
use parley_domain::{ChannelId, Contact, ContactId, ConversationId, InboxId};

use super::RequireSession;
use super::inbox_page::encode;
use crate::components::{ContactConversationList, ContactSidebar, Submit};
use crate::router::{use_navigate, use_params_map};
use crate::store::{on_answer, use_contacts, use_inboxes, use_outreach, use_session};

/// How long typing must pause before the search goes out.
const DEBOUNCE: Duration = Duration::from_millis(250);

#[component]
pub fn ContactsPage() -> impl IntoView {
    view! {
        <RequireSession>
            <ContactDirectory />
        </RequireSession>
    }
}

#[component]
fn ContactDirectory() -> impl IntoView {
    let contacts = use_contacts();
    let inboxes = use_inboxes();
    let t = crate::i18n::t();
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{} · Parley", t.contacts));
    }
    let home = inboxes.home();
    let back = move || home.get().map(|i| format!("inbox/{i}")).unwrap_or_else(|| "./".into());
    let params = use_params_map();
    let open = Memo::new(move |_| params.with(|p| p.get("contact")).map(ContactId));

    // Everyone at first; then what is typed, once typing pauses.
    contacts.search(String::new());
    let waiting = StoredValue::new(None::<TimeoutHandle>);
    let on_input = move |ev: leptos::ev::Event| {
        let query = event_target_value(&ev);
        if let Some(handle) = waiting.get_value() {
            handle.clear();
        }
        waiting.set_value(set_timeout_with_handle(move || contacts.search(query), DEBOUNCE).ok());
    };
    on_cleanup(move || {
        if let Some(handle) = waiting.get_value() {
            handle.clear();
        }
    });

    let found = contacts.found();
    let list = move || {
        found.with(|f| {
            if f.items.is_empty() {
                let words = if f.loading { t.searching_contacts } else { t.no_contact_matches };
                return view! { <p role="status">{words}</p> }.into_any();
            }
            let items = f
                .items
                .iter()
                .map(|c| {
                    let href = format!("contacts/{}", encode(c.id.as_str()));
                    let id = c.id.clone();
                    let current = move || open.with(|o| o.as_ref() == Some(&id)).then_some("page");
                    let details = [c.phone.as_deref(), c.email.as_deref()].into_iter().flatten().collect::<Vec<_>>();
                    view! {
                        <li class="contacts__item">
                            <a href=href aria-current=current>
                                <span class="contacts__name">{c.name.clone()}</span>
                                " "
                                <span class="contacts__details">{details.join(" · ")}</span>
                            </a>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="contacts__list" aria-label=t.contacts>{items}</ul> }.into_any()
        })
    };
    let more = move || {
        found.with(|f| f.next.is_some()).then(|| {
            view! {
                <button
                    type="button"
                    class="button"
                    disabled=move || found.with(|f| f.loading)
                    on:click=move |_| contacts.load_more()
                >
                    {t.load_more_contacts}
                </button>
            }
        })
    };

    view! {
        <main class="contacts">
            <div class="contacts__column">
                <div class="settings__top">
                    <a href=back>{t.back_to_inbox}</a>
                    <h1>{t.contacts}</h1>
                </div>
                <input
                    type="search"
                    class="settings__search"
                    aria-label=t.search_contacts
                    placeholder=t.search_contacts
                    on:input=on_input
                />
                {list}
                {more}
            </div>
            {move || match open.get() {
                Some(id) => view! { <OpenContact id /> }.into_any(),
                None => view! { <p class="contacts__hint">{t.choose_a_contact}</p> }.into_any(),
            }}
        </main>
    }
}

/// The open contact in the sidebar: details (edit, assign) and its conversations.
#[component]
fn OpenContact(id: ContactId) -> impl IntoView {
    let contacts = use_contacts();
    let session = use_session();
    let me = session.me();
    let members =
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.workspace.members.clone()).unwrap_or_default()));
    let channels =
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.workspace.channels.clone()).unwrap_or_default()));
    let loaded = contacts.contact(Signal::stored(Some(id.clone())));
    // The last answer stays on screen while an edit's reload is on its way.
    let current = RwSignal::new(None::<Contact>);
    Effect::new(move |_| {
        if let Some(Some(Ok(c))) = loaded.get() {
            current.set(Some(c));
        }
    });
    let contact_id = Signal::stored(id.clone());
    let on_save = super::submit(contacts.edit, move |patch| (contact_id.get_untracked(), patch));
    let on_assign = Callback::new(move |assignee| contacts.assign_contact(contact_id.get_untracked(), assignee));
    let contact = Signal::derive(move || current.get().expect("shown once loaded"));
    let conversations = conversations_tab(contact);
    let start = new_conversation(contact);
    // Built once the contact is there; its changes then flow through `contact`.
    let ready = Memo::new(move |_| current.with(Option::is_some));
    move || match ready.get() {
        false => view! { <p class="contacts__hint" role="status">{crate::i18n::t().loading}</p> }.into_any(),
        true => view! {
            <ContactSidebar
                contact
                members
                teams=session.teams()
                on_assign
                channels
                on_save=Some(on_save)
                conversations=Some(conversations.clone())
                new_conversation=Some(start)
            />
        }
        .into_any(),
    }
}

/// The sidebar's Conversations tab of `contact`, loaded when the tab opens.
pub(super) fn conversations_tab(contact: Signal<Contact>) -> ViewFn {
    let contacts = use_contacts();
    ViewFn::from(move || {
        let loaded = contacts.conversations(Signal::derive(move || contact.with(|c| c.id.clone())));
        let found = Signal::derive(move || loaded.get().and_then(Result::ok));
        view! { <ContactConversationList conversations=found href=conversation_href(contact) /> }
    })
}

/// Where a contact's conversations open: their thread in the inbox that holds them for
/// the user (the one whose dot they light; Blocked for a blocked contact), listing every
/// status, so a closed one is in the list beside its thread.
pub(super) fn conversation_href(contact: Signal<Contact>) -> Callback<ConversationId, String> {
    let href = inbox_href();
    Callback::new(move |id: ConversationId| {
        let (assignee, blocked) = contact.with_untracked(|c| (c.assigned(), c.blocked));
        href(Facts { assignee, blocked, open: true, unseen: false }, &id)
    })
}

/// The address of conversation `id` with these facts, in the inbox that holds it.
fn inbox_href() -> impl Fn(Facts, &ConversationId) -> String + Copy {
    let session = use_session();
    let (me, directory) = (session.me(), session.directory());
    move |facts: Facts, id: &ConversationId| {
        let inbox = me.with_untracked(|me| {
            directory.with_untracked(|d| match (me, d) {
                _ if facts.blocked => Some(InboxId::Blocked),
                (Some(me), Some(d)) => lit_inbox(d, &me.user, &facts),
                _ => None,
            })
        });
        format!("inbox/{}/c/{}?status=all", inbox.unwrap_or(InboxId::Mine), encode(id.as_str()))
    }
}

/// New conversation with `contact`: started (or found) on the server, then opened in
/// the inbox that holds it, its reply going out on the chosen channel.
pub(super) fn new_conversation(contact: Signal<Contact>) -> Submit<ChannelId> {
    let outreach = use_outreach();
    let (href, navigate) = (inbox_href(), use_navigate());
    on_answer(outreach.start, move |answer| {
        if let Ok(started) = answer {
            navigate(&href(started.facts(false), &started.id), Default::default());
        }
    });
    super::submit(outreach.start, move |channel| (contact.with_untracked(|c| c.id.clone()), channel))
}
