//! The middle column for one conversation: header, timeline, who else is here, and
//! the composer.

use leptos::prelude::*;
use parley_domain::lifecycle::Transition;
use parley_domain::wire::{Activity, ConversationSummary, Member, Note};
use parley_domain::{Assignee, Message, MessageId, NoteId, Status, Team, UserId};

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
    /// The contact's assignee, if any.
    #[prop(into)]
    assignee: Signal<Option<Assignee>>,
    /// Colleagues the contact can be assigned to.
    #[prop(into)]
    members: Signal<Vec<Member>>,
    /// Teams it can be assigned to.
    #[prop(into)]
    teams: Signal<Vec<Team>>,
    /// The first message unread when the conversation opened (the timeline opens there).
    #[prop(into)]
    first_unread: Signal<Option<MessageId>>,
    /// Text for the composer to insert once (a quoted message), numbered.
    #[prop(into)]
    insert: Signal<Option<(u64, String)>>,
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
    /// `client_id`s of our replies waiting for the connection to come back.
    #[prop(into, optional)]
    waiting: Signal<Vec<String>>,
    /// Receives the `client_id` of the failed message to send again.
    on_retry: Callback<String>,
    on_load_older: Callback<()>,
    on_transition: Callback<Transition>,
    on_show_activities: Callback<bool>,
    on_edit_note: Callback<(NoteId, String)>,
    on_delete_note: Callback<NoteId>,
    /// Why a free-form reply cannot go out on the chosen channel now (its
    /// customer-service window has closed); notes stay possible.
    #[prop(into, optional)]
    reply_blocked: Signal<Option<String>>,
    /// Files are ready to go with the reply (an empty text may then be sent).
    #[prop(into, optional)]
    attachments_ready: Signal<bool>,
    /// Reply channel, attachments and voice note controls, shown above the composer.
    #[prop(into, optional)]
    composer_tools: Option<ViewFn>,
    /// Assigns the contact (`None` unassigns).
    on_assign: Callback<Option<Assignee>>,
    /// Receives a message's text to quote in the reply.
    on_quote: Callback<String>,
    /// Receives a message's text to copy.
    on_copy: Callback<String>,
    /// The composer's draft and picker data.
    composer: ComposerSupport,
    /// Actions the page adds to the header's (Send transcript).
    #[prop(optional)]
    header_tools: Option<ViewFn>,
) -> impl IntoView {
    let request = composer.request;
    let t = crate::i18n::t();
    let label = move || summary.with(|s| (t.conversation_with)(&s.contact.name));
    let closed = Signal::derive(move || {
        summary
            .with(|s| (s.status == Status::Closed).then(|| t.conversation_closed.to_owned()))
            .or_else(|| reply_blocked.get())
    });
    view! {
        <section class="conversation" aria-label=label>
            <ConversationHeader
                summary
                assignee
                members
                teams
                on_assign
                back_href
                now
                show_activities
                on_show_activities
                on_transition
                request
                tools=header_tools
            />
            <Timeline
                messages
                notes
                activities
                show_activities
                has_older
                now
                me
                waiting
                on_retry
                on_load_older
                on_edit_note
                on_delete_note
                first_unread
                on_quote
                on_copy
            />
            <PresenceStatus people=presence />
            {composer_tools.map(|tools| view! { <div class="composer-tools">{tools.run()}</div> })}
            <Composer on_send on_note on_typing disabled_reason=closed attachments_ready insert support=composer />
        </section>
    }
}
