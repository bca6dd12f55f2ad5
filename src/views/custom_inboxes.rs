//! Custom inboxes: the side panel's section with its New/Edit dialog, and
//! `/custom/:id` (with `c/:conversation` nested), the custom inbox's list beside the
//! usual panel. The list is computed on opening and on Refresh only (not live).

use super::Outlet;
use crate::router::NavigateOptions;
use crate::router::{use_navigate, use_params_map};
use leptos::prelude::*;
use parley_domain::custom_inbox::{CustomInbox, CustomInboxInput, SavedFilter, Scope, Sharing};
use parley_domain::{ConversationId, CustomInboxId, UserId};

use super::{RequireSession, WorkspacePanel};
use crate::components::{CustomInboxFormProps, CustomInboxSection, CustomInboxView, ErrorBanner};
use crate::store::{
    describe, on_answer, provide_clock, use_clock, use_custom_inboxes, use_inboxes, use_session, use_thread,
};

/// What the custom-inbox dialog is doing: nothing (`None`), a new inbox, or an edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomEditing {
    New,
    Existing(CustomInbox),
}

/// The side panel's custom inboxes, their scope filter and the New/Edit dialog.
#[component]
pub(super) fn CustomInboxPanel(
    selected: Signal<Option<CustomInboxId>>,
    editing: RwSignal<Option<CustomEditing>>,
) -> impl IntoView {
    let custom_inboxes = use_custom_inboxes();
    let session = use_session();
    // Not live: fetched when the panel mounts (sign-in, moving between workspaces) and
    // on a custom inbox's Refresh, so that newly shared ones appear then.
    custom_inboxes.load_custom_inboxes(true);
    let all = custom_inboxes.custom_inboxes();
    let my_id = session.my_id();
    let scope = RwSignal::new(Scope::All);
    let inboxes = Signal::derive(move || {
        let me = my_id.get().unwrap_or_else(|| UserId::from(""));
        let scope = scope.get();
        all.with(|all| match all {
            Some(Ok(list)) => list.iter().filter(|i| scope.includes(i, &me)).cloned().collect(),
            _ => Vec::new(),
        })
    });
    let status = Signal::derive(move || {
        all.with(|all| match all {
            None => Some(crate::i18n::t().loading_custom_inboxes.to_owned()),
            Some(Err(why)) => Some(why.clone()),
            Some(Ok(list)) if list.is_empty() => Some(crate::i18n::t().no_custom_inbox.to_owned()),
            Some(Ok(_)) => None,
        })
    });
    view! {
        <CustomInboxSection
            inboxes
            status
            scope
            on_scope=Callback::new(move |s| scope.set(s))
            selected
            me=my_id
            on_new=Callback::new(move |()| editing.set(Some(CustomEditing::New)))
        />
        <CustomInboxDialog editing />
    }
}

/// The New/Edit dialog while `editing` says so; a new inbox opens once saved.
#[component]
fn CustomInboxDialog(editing: RwSignal<Option<CustomEditing>>) -> impl IntoView {
    let custom_inboxes = use_custom_inboxes();
    let session = use_session();
    let me = session.me();
    let error = RwSignal::new(None::<String>);
    let save = custom_inboxes.save;
    let saving = save.pending();
    let navigate = use_navigate();
    let is_new = StoredValue::new(false);
    on_answer(save, move |answer| match answer {
        Ok(saved) => {
            editing.set(None);
            if is_new.get_value() {
                navigate(&format!("custom/{}", saved.id), NavigateOptions::default());
            }
        }
        Err(e) => error.set(Some(describe(&e))),
    });
    let on_save = Callback::new(move |input: CustomInboxInput| {
        let id = match editing.get_untracked() {
            Some(CustomEditing::Existing(i)) => Some(i.id),
            _ => None,
        };
        is_new.set_value(id.is_none());
        save.dispatch((id, input));
    });
    let on_cancel = Callback::new(move |()| editing.set(None));
    move || {
        let what = editing.get()?;
        error.set(None);
        let (heading, initial) = match what {
            CustomEditing::New => (
                crate::i18n::t().new_custom_inbox,
                CustomInboxInput { name: String::new(), filter: SavedFilter::default(), sharing: Sharing::Private },
            ),
            CustomEditing::Existing(i) => (
                crate::i18n::t().edit_custom_inbox,
                CustomInboxInput { name: i.name, filter: i.filter, sharing: i.sharing },
            ),
        };
        let (channels, teams, members, my_id) = me.with_untracked(|m| {
            m.as_ref().map_or_else(Default::default, |m| {
                (
                    m.workspace.channels.clone(),
                    m.workspace.teams.clone(),
                    m.workspace.members.clone(),
                    Some(m.user.id.clone()),
                )
            })
        });
        let props = CustomInboxFormProps {
            heading,
            initial,
            channels,
            teams,
            members,
            me: my_id,
            on_save,
            on_cancel,
            error: error.into(),
            saving: saving.into(),
        };
        Some(crate::lazy_view(move || crate::lazy::custom_inbox_form(props), || ().into_any()))
    }
}

#[component]
pub fn CustomInboxPage() -> impl IntoView {
    view! {
        <RequireSession>
            <CustomInboxWorkspace />
        </RequireSession>
    }
}

#[component]
fn CustomInboxWorkspace() -> impl IntoView {
    let custom_inboxes = use_custom_inboxes();
    let session = use_session();
    let thread = use_thread();
    let params = use_params_map();
    let id = Memo::new(move |_| CustomInboxId(params.with(|p| p.get("id")).unwrap_or_default()));
    // Computed on opening; afterwards only Refresh recomputes it.
    Effect::new(move |_| custom_inboxes.refresh_custom_inbox(id.get()));
    // The clock of the list and of the open conversation (the outlet).
    provide_clock();
    let editing = RwSignal::new(None::<CustomEditing>);
    let wanted = thread.wanted();
    let conversation_open = Signal::derive(move || wanted.with(Option::is_some));
    // The list column is a chunk (its list loads meanwhile); the side panel shows at once.
    let column = crate::lazy_view(move || crate::lazy::custom_inbox_column(id, editing), loading_column);
    view! {
        <div class="workspace" class:workspace--conversation=conversation_open>
            <WorkspacePanel selected=Signal::stored(None) custom=Signal::derive(move || Some(id.get())) editing />
            <div class="list-column">{column}</div>
            <Outlet />
            <ErrorBanner message=session.error() on_dismiss=Callback::new(move |()| session.dismiss_error()) />
        </div>
    }
}

fn loading_column() -> AnyView {
    view! { <p role="status">{crate::i18n::t().loading_parley}</p> }.into_any()
}

/// The custom inbox's list column: its heading, Refresh, Edit and Delete, and its list.
#[component]
pub fn CustomInboxColumn(id: Memo<CustomInboxId>, editing: RwSignal<Option<CustomEditing>>) -> impl IntoView {
    let custom_inboxes = use_custom_inboxes();
    let inboxes = use_inboxes();
    let session = use_session();
    let thread = use_thread();
    let now = use_clock();
    let all = custom_inboxes.custom_inboxes();
    let inbox = Memo::new(move |_| {
        id.with(|id| all.with(|all| all.as_ref()?.as_ref().ok()?.iter().find(|i| i.id == *id).cloned()))
    });
    let my_id = session.my_id();
    let me = session.me();
    let list = custom_inboxes.custom_list();
    let current = Memo::new(move |_| list.with(|l| l.as_ref().filter(|l| l.id == id.get()).cloned()));
    let name = Signal::derive(move || inbox.with(|i| i.as_ref().map(|i| i.name.clone()).unwrap_or_default()));
    let editable =
        Signal::derive(move || inbox.with(|i| i.as_ref().is_some_and(|i| Some(&i.owner) == my_id.get().as_ref())));
    let subtitle = Signal::derive(move || {
        inbox.with(|i| match i {
            None => String::new(),
            Some(i) if editable.get() => (crate::i18n::t().created_by_you)(&sharing_words(&i.sharing)),
            Some(i) => (crate::i18n::t().created_by)(&i.owner_name),
        })
    });
    let members =
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.workspace.members.clone()).unwrap_or_default()));
    let teams = session.teams();
    let assignee_name = Callback::new(move |c: parley_domain::wire::ConversationSummary| {
        Some(crate::components::assignee_name(&c.assigned()?, &members.read(), &teams.read()))
    });
    let href = Callback::new(move |c: ConversationId| format!("custom/{}/c/{}", id.get(), c.as_str()));
    let delete_error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let home = inboxes.home();
    let delete = custom_inboxes.delete;
    on_answer(delete, move |answer| match answer {
        Ok(_) => {
            let to = home.get_untracked().map_or_else(|| "./".to_owned(), |h| format!("inbox/{h}"));
            navigate(&to, NavigateOptions::default());
        }
        Err(e) => delete_error.set(Some(describe(&e))),
    });
    let on_delete = Callback::new(move |()| {
        delete.dispatch(id.get_untracked());
    });
    view! {
        <CustomInboxView
            name
            subtitle
            items=Signal::derive(move || current.with(|c| c.as_ref().map(|c| c.items.clone())))
            more=Signal::derive(move || current.with(|c| c.as_ref().is_some_and(|c| c.next.is_some())))
            loaded_at=Signal::derive(move || current.with(|c| c.as_ref().map(|c| c.loaded_at)))
            now
            loading=custom_inboxes.custom_list_loading()
            editable
            assignee_name
            href
            selected=thread.wanted()
            on_refresh=Callback::new(move |()| {
                custom_inboxes.refresh_custom_inbox(id.get_untracked());
                custom_inboxes.load_custom_inboxes(true);
            })
            on_edit=Callback::new(move |()| {
                if let Some(i) = inbox.get_untracked() {
                    editing.set(Some(CustomEditing::Existing(i)));
                }
            })
            on_delete
            on_more=Callback::new(move |()| custom_inboxes.show_more_custom_inbox())
        />
        {move || delete_error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
    }
}

fn sharing_words(sharing: &Sharing) -> String {
    match sharing {
        Sharing::Private => crate::i18n::t().private_lower.to_owned(),
        Sharing::Everyone => crate::i18n::t().shared_with_everyone.to_owned(),
        Sharing::Users(u) => (crate::i18n::t().shared_with_people)(u.len() as u64),
    }
}
