//! The right-most column: who the contact is, and who they are assigned to; edits the
//! contact in place, suggests duplicates to merge, and holds tabs for the contact's
//! activities, calls and integrations (a CRM).

mod activities;
mod assign;
mod channels;
mod conversations;
mod duplicates;
mod fields;
mod form;
mod integration;
mod new_conversation;

use leptos::prelude::*;
use parley_domain::integration::{Integration, IntegrationField, IntegrationUpdate};
use parley_domain::wire::{ContactPatch, Member};
use parley_domain::{Assignee, Channel, ChannelId, Contact, ContactId, IntegrationId, Team};
use wasm_bindgen::JsCast;

use super::{Avatar, Submit, Tabs, panel_id, tab_id};
pub use activities::ContactActivityList;
use assign::AssignPicker;
use channels::ConnectedChannels;
pub use conversations::ContactConversationList;
use duplicates::PossibleDuplicates;
use fields::ContactFields;
use integration::{IntegrationForm, values_of};
use new_conversation::NewConversation;

/// The id of the sidebar's tabs.
pub(super) const TABS: &str = "contact-tab";

/// Saves the edited contact.
pub type SaveContact = Submit<ContactPatch>;
/// Saves an integration's values: `(integration id, values)`.
pub type SaveIntegration = Submit<(IntegrationId, IntegrationUpdate)>;

/// `<aside aria-label=t.contact_details>` with a definition list, and an assignee picker.
#[component]
pub fn ContactSidebar(
    #[prop(into)] contact: Signal<Contact>,
    /// Colleagues the contact can be assigned to.
    #[prop(into)]
    members: Signal<Vec<Member>>,
    /// Teams it can be assigned to instead.
    #[prop(into, default = Signal::stored(Vec::new()))]
    teams: Signal<Vec<Team>>,
    /// `None` unassigns.
    on_assign: Callback<Option<Assignee>>,
    /// The workspace's channels, to name the contact's connected ones.
    #[prop(into, default = Signal::stored(Vec::new()))]
    channels: Signal<Vec<Channel>>,
    /// Saves the edited contact (adds "Edit contact").
    #[prop(default = None)]
    on_save: Option<SaveContact>,
    /// Other contacts sharing a phone or email.
    #[prop(into, default = Signal::stored(Vec::new()))]
    duplicates: Signal<Vec<Contact>>,
    /// Merges the given contact into this one (adds "Possible duplicates").
    #[prop(default = None)]
    on_merge: Option<Callback<ContactId>>,
    /// The contact's notes and events across conversations (adds the "Activities" tab).
    #[prop(default = None)]
    activities: Option<ViewFn>,
    /// The contact's conversations, past and current (adds the "Conversations" tab).
    #[prop(default = None)]
    conversations: Option<ViewFn>,
    /// The contact's calls, for users who handle calls (adds the "Call activities" tab).
    #[prop(default = None)]
    call_activities: Option<ViewFn>,
    /// One tab each.
    #[prop(into, default = Signal::stored(Vec::new()))]
    integrations: Signal<Vec<Integration>>,
    #[prop(default = None)] on_save_integration: Option<SaveIntegration>,
    /// Calls the contact out (users who handle calls).
    #[prop(default = None)]
    on_call: Option<Callback<()>>,
    /// Blocks (`true`) or unblocks the contact (users with the permission).
    #[prop(default = None)]
    on_block: Option<Callback<bool>>,
    /// Starts a conversation on one of the contact's channels (adds "New conversation").
    #[prop(default = None)]
    new_conversation: Option<Submit<ChannelId>>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let tab = RwSignal::new(SidebarTab::Details);
    let name = Signal::derive(move || contact.with(|c| c.name.clone()));
    let has_activities = activities.is_some();
    let has_calls = call_activities.is_some();
    let has_conversations = conversations.is_some();
    // The tabs in order, with their labels.
    let tabs = Memo::new(move |_| {
        let mut tabs = vec![(SidebarTab::Details, t.contact_details.to_owned())];
        if has_conversations {
            tabs.push((SidebarTab::Conversations, t.conversations.to_owned()));
        }
        if has_activities {
            tabs.push((SidebarTab::Activities, t.activities.to_owned()));
        }
        if has_calls {
            tabs.push((SidebarTab::Calls, t.call_activities.to_owned()));
        }
        integrations.with(|list| {
            tabs.extend(
                list.iter().enumerate().map(|(i, integration)| (SidebarTab::Integration(i), integration.name.clone())),
            )
        });
        tabs
    });
    // An integration tab that went away (another contact) falls back to the details.
    Effect::new(move |_| {
        let current = tab.get();
        if !tabs.with(|t| t.iter().any(|(which, _)| *which == current)) {
            tab.set(SidebarTab::Details);
        }
    });
    let position = move || tabs.with(|t| t.iter().position(|(which, _)| *which == tab.get()).unwrap_or(0));
    let tab_list = move || {
        (tabs.with(Vec::len) > 1).then(|| {
            view! {
                <Tabs
                    label=t.contact
                    id=TABS
                    class="contact-sidebar__tabs"
                    tabs=Signal::derive(move || tabs.with(|t| t.iter().map(|(_, name)| name.clone()).collect()))
                    selected=Signal::derive(position)
                    on_select=Callback::new(move |i: usize| {
                        if let Some((which, _)) = tabs.with_untracked(|t| t.get(i).cloned()) {
                            tab.set(which);
                        }
                    })
                />
            }
        })
    };
    let details = move || {
        view! {
            <ContactFields contact members on_save />
            <ConnectedChannels contact channels />
            <AssignPicker contact members teams on_assign />
            {on_merge.map(|on_merge| view! { <PossibleDuplicates contact duplicates on_merge /> })}
        }
    };
    // The integrations' fields without their values: a save changes only the values, and
    // must not rebuild the form (it would lose its "Saved").
    let schema = Memo::new(move |_| {
        integrations.with(|list| {
            list.iter()
                .map(|i| Integration {
                    fields: i.fields.iter().map(|f| IntegrationField { value: None, ..f.clone() }).collect(),
                    ..i.clone()
                })
                .collect::<Vec<_>>()
        })
    });
    let panel = move || match tab.get() {
        SidebarTab::Activities if has_activities => activities.as_ref().map(ViewFn::run).into_any(),
        SidebarTab::Conversations if has_conversations => conversations.as_ref().map(ViewFn::run).into_any(),
        SidebarTab::Calls if has_calls => call_activities.as_ref().map(ViewFn::run).into_any(),
        SidebarTab::Integration(i) => match (schema.with(|s| s.get(i).cloned()), on_save_integration) {
            (Some(form), Some(on_save)) => {
                let values = Signal::derive(move || integrations.with(|l| l.get(i).map(values_of).unwrap_or_default()));
                view! { <IntegrationForm form values on_save /> }.into_any()
            }
            _ => details().into_any(),
        },
        _ => details().into_any(),
    };
    let labelled_by = move || (tabs.with(Vec::len) > 1).then(|| tab_id(TABS, position()));
    view! {
        <aside class="contact-sidebar" aria-label=t.contact_details>
            <header class="contact-sidebar__header">
                <Avatar name class="avatar--large" />
                <h2 class="contact-sidebar__name">{name}</h2>
                {move || contact.with(|c| c.blocked).then(|| view! { <p class="contact-sidebar__blocked">{t.contact_blocked}</p> })}
                {on_block
                    .map(|block| {
                        let blocked = move || contact.with(|c| c.blocked);
                        view! {
                            <button type="button" class="button" on:click=move |_| block.run(!blocked())>
                                {move || if blocked() { t.unblock_contact } else { t.block_contact }}
                            </button>
                        }
                    })}
                {new_conversation.map(|start| view! { <NewConversation contact channels start /> })}
                {on_call
                    .map(|call| {
                        view! {
                            <button type="button" class="button" on:click=move |_| call.run(())>
                                {t.call_contact}
                            </button>
                        }
                    })}
            </header>
            {tab_list}
            <div
                class="contact-sidebar__panel"
                id=panel_id(TABS)
                role=move || (tabs.with(Vec::len) > 1).then_some("tabpanel")
                aria-labelledby=labelled_by
            >
                {panel}
            </div>
        </aside>
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum SidebarTab {
    Details,
    Conversations,
    Activities,
    Calls,
    /// By position in the contact's integrations.
    Integration(usize),
}

pub(super) fn focus_id(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}
