//! The middle column for one conversation: header, timeline, who else is here, and
//! the composer.

use leptos::prelude::*;
use parley_domain::lifecycle::Transition;
use parley_domain::wire::{Activity, ConversationSummary, Note};
use parley_domain::{Message, NoteId, Status, UserId};

use super::{Composer, ComposerSupport, ConversationHeader, PresenceStatus, Timeline};

/// `<section aria-label="Conversation with …">`; the composer takes focus when it mounts
/// (the view mounts one per opened conversation).
#[component]
pub fn ConversationView(
    #[prop(into)] summary: Signal<ConversationSummary>,
    /// Oldest first.
    #[prop(into)]
    messages: Signal<Vec<Message>>,
    /// Oldest first.
    #[prop(into)]
    notes: Signal<Vec<Note>>,
    /// Oldest first.
    #[prop(into)]
    activities: Signal<Vec<Activity>>,
    #[prop(into)] show_activities: Signal<bool>,
    /// Older messages can be loaded.
    #[prop(into)]
    has_older: Signal<bool>,
    /// The assignee's name, if any.
    #[prop(into)]
    assignee: Signal<Option<String>>,
    /// The signed-in user (authors may edit their notes).
    #[prop(into)]
    me: Signal<Option<UserId>>,
    /// Others here: (name, typing).
    #[prop(into)]
    presence: Signal<Vec<(String, bool)>>,
    #[prop(into)] now: Signal<i64>,
    /// Where "Back to the list" leads (shown on narrow screens only).
    #[prop(into)]
    back_href: Signal<String>,
    on_send: Callback<String>,
    on_note: Callback<String>,
    on_typing: Callback<()>,
    /// Receives the `client_id` of the failed message to send again.
    on_retry: Callback<String>,
    on_load_older: Callback<()>,
    on_transition: Callback<Transition>,
    on_show_activities: Callback<bool>,
    on_edit_note: Callback<(NoteId, String)>,
    on_delete_note: Callback<NoteId>,
    /// The composer's draft and picker data.
    composer: ComposerSupport,
) -> impl IntoView {
    let label = move || summary.with(|s| format!("Conversation with {}", s.contact.name));
    let closed = Signal::derive(move || {
        summary.with(|s| (s.status == Status::Closed).then(|| "This conversation is closed.".to_owned()))
    });
    view! {
        <section class="conversation" aria-label=label>
            <ConversationHeader summary assignee back_href now show_activities on_show_activities on_transition />
            <Timeline
                messages
                notes
                activities
                show_activities
                has_older
                now
                me
                on_retry
                on_load_older
                on_edit_note
                on_delete_note
            />
            <PresenceStatus people=presence />
            <Composer on_send on_note on_typing disabled_reason=closed support=composer />
        </section>
    }
}
