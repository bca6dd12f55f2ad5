//! `/inbox/:inbox/c/:conversation`: the open conversation and its contact.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use parley_domain::ConversationId;

use super::use_clock;
use crate::components::{ComposerSupport, ContactSidebar, ConversationView, PickerSources};
use crate::store::{OpenConversation, use_store};

#[component]
pub fn ConversationPage() -> impl IntoView {
    let store = use_store();
    let params = use_params_map();
    let wanted = Memo::new(move |_| params.with(|p| p.get("conversation")).map(ConversationId::new));
    Effect::new(move |_| store.open_conversation(wanted.get()));
    let open = store.open();
    let open_id = Memo::new(move |_| open.with(|o| o.as_ref().map(|o| o.summary.id.clone())));
    let failed = store.open_failed();
    // Rebuilt only when another conversation opens, so the composer mounts (and takes
    // focus) once per conversation, not once per message.
    move || match open_id.get() {
        Some(_) => open.get_untracked().map(|snapshot| view! { <OpenConversationView snapshot /> }.into_any()),
        None => Some(
            view! {
                <div class="conversation-placeholder">
                    <p role="status">
                        {move || {
                            if failed.get() {
                                "This conversation could not be loaded."
                            } else {
                                "Loading conversation…"
                            }
                        }}
                    </p>
                </div>
            }
            .into_any(),
        ),
    }
}

/// The conversation view and contact sidebar for one open conversation. `snapshot` is
/// what the signals fall back to in the instant before this view is dropped.
#[component]
fn OpenConversationView(snapshot: OpenConversation) -> impl IntoView {
    let store = use_store();
    let open = store.open();
    let summary = Memo::new({
        let snapshot = snapshot.clone();
        move |_| open.with(|o| o.as_ref().unwrap_or(&snapshot).summary.clone())
    });
    let contact = Memo::new({
        let snapshot = snapshot.clone();
        move |_| open.with(|o| o.as_ref().unwrap_or(&snapshot).contact.clone())
    });
    let messages = Memo::new({
        let snapshot = snapshot.clone();
        move |_| open.with(|o| o.as_ref().unwrap_or(&snapshot).messages.clone())
    });
    let notes = Memo::new({
        let snapshot = snapshot.clone();
        move |_| open.with(|o| o.as_ref().unwrap_or(&snapshot).notes.clone())
    });
    let activities = Memo::new({
        let snapshot = snapshot.clone();
        move |_| open.with(|o| o.as_ref().unwrap_or(&snapshot).activities.clone())
    });
    let has_older = Memo::new({
        let snapshot = snapshot.clone();
        move |_| open.with(|o| o.as_ref().unwrap_or(&snapshot).older.is_some())
    });
    let me = store.me();
    let members =
        Signal::derive(move || me.with(|m| m.as_ref().map(|m| m.workspace.members.clone()).unwrap_or_default()));
    let assignee = Signal::derive(move || {
        let id = contact.with(|c| c.assignee.clone())?;
        members.with(|m| m.iter().find(|m| m.id == id).map(|m| m.name.clone()))
    });
    let now = use_clock();
    let selection = store.selection();
    let back_href = Signal::derive(move || {
        selection.with(|s| s.as_ref().map(|s| format!("/inbox/{}", s.inbox)).unwrap_or_else(|| "/".into()))
    });
    let id = snapshot.summary.id.clone();
    let composer = ComposerSupport {
        draft: store.draft(&id),
        on_draft: Callback::new(move |text: String| store.save_draft(&id, &text)),
        sources: PickerSources {
            emoji: store.emoji(),
            snippets: store.snippets(),
            load: Callback::new(move |kind| store.load_picker(kind)),
        },
    };
    view! {
        <ConversationView
            composer
            back_href
            summary
            messages
            notes
            activities
            show_activities=store.show_activities()
            has_older
            assignee
            me=store.my_id()
            presence=store.presence_here()
            now
            on_send=Callback::new(move |text| store.send(text))
            on_note=Callback::new(move |text| store.add_note(text))
            on_typing=Callback::new(move |()| store.typing())
            on_transition=Callback::new(move |t| store.transition(t))
            on_show_activities=Callback::new(move |show| store.set_show_activities(show))
            on_edit_note=Callback::new(move |(id, text)| store.edit_note(id, text))
            on_delete_note=Callback::new(move |id| store.delete_note(id))
            on_retry=Callback::new(move |client_id| store.retry(client_id))
            on_load_older=Callback::new(move |()| store.load_older())
        />
        <ContactSidebar contact members on_assign=Callback::new(move |assignee| store.assign(assignee)) />
    }
}
