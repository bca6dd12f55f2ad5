//! Who the conversation is with, on which channel, where it stands, and what can move
//! it on: the assignee selector, the lifecycle actions (pending, snooze, close, reopen)
//! and the audit toggle.

use leptos::html::Button;
use leptos::prelude::*;
use parley_domain::keys::Action;
use parley_domain::lifecycle::Transition;
use parley_domain::wire::{ConversationSummary, Member};
use parley_domain::{Assignee, Status, Team, Timestamp};

use super::{AssigneePicker, Avatar, ChannelLabel, CloseDialog, SnoozeDialog};
use crate::format::message_time;

/// Where a snooze starts by default: an hour ahead.
const DEFAULT_SNOOZE_MS: i64 = 3_600_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Snooze,
    Close,
}

#[component]
pub fn ConversationHeader(
    #[prop(into)] summary: Signal<ConversationSummary>,
    /// The contact's assignee, if any.
    #[prop(into)]
    assignee: Signal<Option<Assignee>>,
    /// Colleagues the contact can be assigned to.
    #[prop(into)]
    members: Signal<Vec<Member>>,
    /// Teams it can be assigned to.
    #[prop(into)]
    teams: Signal<Vec<Team>>,
    /// Assigns the contact (`None` unassigns).
    on_assign: Callback<Option<Assignee>>,
    /// The list this conversation was opened from.
    #[prop(into)]
    back_href: Signal<String>,
    /// The server's time, for "Snoozed until …" and the default snooze.
    #[prop(into)]
    now: Signal<i64>,
    #[prop(into)] show_activities: Signal<bool>,
    on_show_activities: Callback<bool>,
    on_transition: Callback<Transition>,
    /// The last action asked by a shortcut or the palette, numbered: `Close` and `Snooze`
    /// open their dialog, `Assign` the assignee picker.
    #[prop(into, optional)]
    request: Signal<Option<(u64, Action)>>,
    /// More actions the page adds (Send transcript).
    #[prop(optional_no_strip)]
    tools: Option<ViewFn>,
) -> impl IntoView {
    let name = Signal::derive(move || summary.with(|s| s.contact.name.clone()));
    let status = Memo::new(move |_| summary.with(|s| s.status));
    let t = crate::i18n::t();
    let state_label = move || {
        summary.with(|s| match (s.status, s.snoozed_until) {
            (Status::Snoozed, Some(until)) => (t.snoozed_until)(&message_time(until, now.get())),
            (status, _) => (t.status_name)(status).to_owned(),
        })
    };

    let dialog = RwSignal::new(None::<Open>);
    let snooze_button: NodeRef<Button> = NodeRef::new();
    let close_button: NodeRef<Button> = NodeRef::new();
    let reopen_button: NodeRef<Button> = NodeRef::new();
    // Focus goes back where it came from, once the dialog has left the page; when that
    // button went with the state change (closing), to the action that undoes it.
    let dismiss = move || {
        let opener = match dialog.get_untracked() {
            Some(Open::Snooze) => snooze_button,
            Some(Open::Close) => close_button,
            None => return,
        };
        dialog.set(None);
        request_animation_frame(move || {
            let target = [opener, reopen_button]
                .into_iter()
                .find_map(|r| r.try_get_untracked().flatten().filter(|el| el.is_connected()));
            if let Some(el) = target {
                let _ = el.focus();
            }
        });
    };
    let on_cancel = Callback::new(move |()| dismiss());
    let on_snooze = Callback::new(move |(until, note): (Timestamp, Option<String>)| {
        dismiss();
        on_transition.run(Transition::Snooze { until, note });
    });
    let on_close = Callback::new(move |(note, reason): (Option<String>, Option<String>)| {
        dismiss();
        on_transition.run(Transition::Close { note, reason });
    });

    // What was asked before this header mounted belongs to another conversation.
    let handled = StoredValue::new(request.get_untracked().map(|(n, _)| n));
    let open_picker = RwSignal::new(None::<u64>);
    Effect::new(move |_| {
        let Some((n, action)) = request.get().filter(|(n, _)| handled.get_value() != Some(*n)) else { return };
        handled.set_value(Some(n));
        match action {
            Action::Close => dialog.set(Some(Open::Close)),
            Action::Snooze => dialog.set(Some(Open::Snooze)),
            Action::Assign => open_picker.set(Some(n)),
            Action::Reply | Action::Note | Action::Pending => {}
        }
    });

    let shows = move |when: fn(Status) -> bool| move || when(status.get());
    view! {
        <header class="conversation-header">
            <div class="conversation-header__top">
                <a class="conversation-header__back" href=back_href>
                    {t.back_to_list}
                </a>
                <Avatar name />
                <div class="conversation-header__who">
                    <h2 class="conversation-header__name">{name}</h2>
                    <p class="conversation-header__meta">
                        <ChannelLabel kind=Signal::derive(move || Some(summary.with(|s| s.channel.kind))) />
                        <span class="conversation-header__channel">
                            {move || summary.with(|s| s.channel.name.clone())}
                        </span>
                    </p>
                </div>
                <div class="conversation-header__state">
                    <span class=move || format!("status-pill status-pill--{}", status.get().as_str())>
                        {state_label}
                    </span>
                    <AssigneePicker assignee members teams on_assign open=open_picker />
                </div>
            </div>
            <div class="conversation-header__actions">
                <Show when=shows(|s| matches!(s, Status::New | Status::Snoozed))>
                    <button
                        type="button"
                        class="button button--small"
                        on:click=move |_| on_transition.run(Transition::Pending)
                    >
                        {t.mark_pending}
                    </button>
                </Show>
                <Show when=shows(Status::is_open)>
                    <button
                        type="button"
                        class="button button--small"
                        node_ref=snooze_button
                        on:click=move |_| dialog.set(Some(Open::Snooze))
                    >
                        {t.snooze}
                    </button>
                    <button
                        type="button"
                        class="button button--small"
                        node_ref=close_button
                        on:click=move |_| dialog.set(Some(Open::Close))
                    >
                        {t.close_conversation}
                    </button>
                </Show>
                <Show when=shows(|s| s != Status::New)>
                    <button
                        type="button"
                        class="button button--small"
                        node_ref=reopen_button
                        on:click=move |_| on_transition.run(Transition::Reopen)
                    >
                        {t.reopen}
                    </button>
                </Show>
                {tools.map(|tools| tools.run())}
                <label class="audit-toggle">
                    <input
                        type="checkbox"
                        prop:checked=show_activities
                        on:change=move |ev| on_show_activities.run(event_target_checked(&ev))
                    />
                    {t.audit_trail}
                </label>
            </div>
            {move || match dialog.get() {
                Some(Open::Snooze) => {
                    let default_until = Timestamp(now.get_untracked() + DEFAULT_SNOOZE_MS);
                    view! { <SnoozeDialog default_until on_snooze on_cancel /> }.into_any()
                }
                Some(Open::Close) => view! { <CloseDialog on_close on_cancel /> }.into_any(),
                None => ().into_any(),
            }}
        </header>
    }
}
