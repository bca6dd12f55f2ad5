//! The conversation's history, newest at the bottom: messages, internal notes and the
//! audit trail interleaved by time, kept scrolled to the end while the user is there
//! (and left alone while they read older entries). A conversation with unread messages
//! opens at the first of them, under a "New messages" divider.

use leptos::html::Div;
use leptos::prelude::*;
use parley_domain::wire::{Activity, Note};
use parley_domain::{ActivityId, DeliveryState, Message, MessageId, NoteId, Timestamp, UserId};

use super::{TimelineActivity, TimelineMessage, TimelineNote};

/// How close to the end (in pixels) counts as "at the end".
const STICK_MARGIN: i32 = 48;
/// How close to the top (in pixels) older messages start loading.
const OLDER_MARGIN: i32 = 120;

#[derive(Clone, Debug, PartialEq)]
enum Entry {
    Message(Message),
    Note(Note),
    Activity(Activity),
    /// "New messages", above the first message unread when the conversation opened.
    Divider(Timestamp),
}

/// What makes `<For>` rebuild an entry: a new id, a delivery change, an edit.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Message(MessageId, DeliveryState),
    Note(NoteId, Option<Timestamp>),
    Activity(ActivityId),
    Divider,
}

impl Entry {
    fn at(&self) -> Timestamp {
        match self {
            Entry::Message(m) => m.at,
            Entry::Note(n) => n.at,
            Entry::Activity(a) => a.at,
            Entry::Divider(at) => *at,
        }
    }

    fn key(&self) -> Key {
        match self {
            Entry::Message(m) => Key::Message(m.id.clone(), m.delivery),
            Entry::Note(n) => Key::Note(n.id.clone(), n.edited_at),
            Entry::Activity(a) => Key::Activity(a.id.clone()),
            Entry::Divider(_) => Key::Divider,
        }
    }
}

/// Everything in time order (equal times: messages, then notes, then activities, each
/// in its own order). While older messages are not loaded, notes and activities older
/// than the first message shown wait with them, so the top of the timeline is not a
/// pile of events whose messages are missing.
fn interleave(messages: &[Message], notes: &[Note], activities: &[Activity], has_older: bool) -> Vec<Entry> {
    let from = if has_older { messages.first().map(|m| m.at) } else { None };
    let shown = |at: Timestamp| from.is_none_or(|from| at >= from);
    let mut entries: Vec<Entry> = messages.iter().cloned().map(Entry::Message).collect();
    entries.extend(notes.iter().filter(|n| shown(n.at)).cloned().map(Entry::Note));
    entries.extend(activities.iter().filter(|a| shown(a.at)).cloned().map(Entry::Activity));
    // Stable: ties keep the order above.
    entries.sort_by_key(Entry::at);
    entries
}

/// Puts the "New messages" divider right above the message `first_unread`.
fn with_divider(mut entries: Vec<Entry>, first_unread: Option<&MessageId>) -> Vec<Entry> {
    let found = first_unread.and_then(|id| {
        entries.iter().position(|e| matches!(e, Entry::Message(m) if &m.id == id)).map(|i| (i, entries[i].at()))
    });
    if let Some((i, at)) = found {
        entries.insert(i, Entry::Divider(at));
    }
    entries
}

#[component]
pub fn Timeline(
    /// Oldest first.
    #[prop(into)]
    messages: Signal<Vec<Message>>,
    /// Oldest first.
    #[prop(into)]
    notes: Signal<Vec<Note>>,
    /// Oldest first; left out when the audit trail is hidden.
    #[prop(into)]
    activities: Signal<Vec<Activity>>,
    #[prop(into)] show_activities: Signal<bool>,
    #[prop(into)] has_older: Signal<bool>,
    #[prop(into)] now: Signal<i64>,
    /// The first message unread when the conversation opened.
    #[prop(into)]
    first_unread: Signal<Option<MessageId>>,
    /// Notes by this user get Edit and Delete.
    #[prop(into)]
    me: Signal<Option<UserId>>,
    /// `client_id`s of our replies waiting in the outbox for the connection.
    #[prop(into, optional)]
    waiting: Signal<Vec<String>>,
    on_retry: Callback<String>,
    on_load_older: Callback<()>,
    on_edit_note: Callback<(NoteId, String)>,
    on_delete_note: Callback<NoteId>,
    on_quote: Callback<String>,
    on_copy: Callback<String>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let entries = Memo::new(move |_| {
        let older = has_older.get();
        let entries = messages.with(|m| {
            notes.with(|n| {
                if show_activities.get() {
                    activities.with(|a| interleave(m, n, a, older))
                } else {
                    interleave(m, n, &[], older)
                }
            })
        });
        first_unread.with(|f| with_divider(entries, f.as_ref()))
    });
    let scroller: NodeRef<Div> = NodeRef::new();
    // The first time, open at the "New messages" divider if there is one.
    let opened = StoredValue::new(false);
    // Starts true: a conversation opens at its newest entry.
    let stick = StoredValue::new(true);
    // Reaching the top asks for older messages, once per oldest message shown. What the
    // agent reads stays in place as they arrive above it: the page's height before the
    // request is kept, and the effect below scrolls down by what was added (browsers do
    // not anchor a scroller sitting at offset 0).
    let asked_for = StoredValue::new(None::<MessageId>);
    let anchor = StoredValue::new(None::<(i32, i32)>);
    let load_older = move || {
        let oldest = messages.with_untracked(|m| m.first().map(|m| m.id.clone()));
        if !has_older.get_untracked() || asked_for.get_value() == oldest {
            return;
        }
        if let Some(el) = scroller.try_get_untracked().flatten() {
            anchor.set_value(Some((el.scroll_height(), el.scroll_top())));
        }
        asked_for.set_value(oldest);
        on_load_older.run(());
    };
    let on_scroll = move |_| {
        if let Some(el) = scroller.try_get_untracked().flatten() {
            stick.set_value(el.scroll_top() + el.client_height() >= el.scroll_height() - STICK_MARGIN);
            // Not before the conversation has opened where it should (the end or the divider).
            if el.scroll_top() < OLDER_MARGIN && opened.get_value() {
                load_older();
            }
        }
    };
    // Talks to the DOM only: after the entries change, follow the end if the user was
    // there, or if they have just sent something.
    Effect::new(move |_| {
        let just_sent =
            entries.with(|e| matches!(e.last(), Some(Entry::Message(m)) if m.delivery == DeliveryState::Sending));
        let divider = entries.with(|e| e.iter().any(|e| matches!(e, Entry::Divider(_))));
        if !opened.get_value() && divider {
            opened.set_value(true);
            request_animation_frame(move || {
                let Some(el) = scroller.try_get_untracked().flatten() else { return };
                if let Ok(Some(divider)) = el.query_selector(".timeline__divider") {
                    divider.scroll_into_view_with_bool(true);
                }
                stick.set_value(el.scroll_top() + el.client_height() >= el.scroll_height() - STICK_MARGIN);
            });
            return;
        }
        opened.set_value(true);
        if let Some((height, top)) = anchor.get_value() {
            anchor.set_value(None);
            request_animation_frame(move || {
                if let Some(el) = scroller.try_get_untracked().flatten() {
                    el.set_scroll_top(top + el.scroll_height() - height);
                }
            });
            return;
        }
        if stick.get_value() || just_sent {
            // The frame may come after the conversation closed: `try_` then finds nothing.
            request_animation_frame(move || {
                if let Some(el) = scroller.try_get_untracked().flatten() {
                    el.set_scroll_top(el.scroll_height());
                }
            });
        }
    });
    let child = move |entry: Entry| match entry {
        Entry::Message(message) => {
            let client_id = message.client_id.clone();
            let waiting = Signal::derive(move || client_id.as_ref().is_some_and(|c| waiting.with(|w| w.contains(c))));
            view! { <TimelineMessage message now waiting on_retry on_quote on_copy /> }.into_any()
        }
        Entry::Note(note) => {
            let mine = me.with_untracked(|me| me.as_ref() == Some(&note.author));
            view! { <TimelineNote note mine now on_edit=on_edit_note on_delete=on_delete_note /> }.into_any()
        }
        Entry::Activity(activity) => view! { <TimelineActivity activity now /> }.into_any(),
        Entry::Divider(_) => view! {
            <li class="timeline__divider">
                <span>{t.new_messages}</span>
            </li>
        }
        .into_any(),
    };
    view! {
        <div class="timeline" node_ref=scroller on:scroll=on_scroll>
            {move || {
                has_older
                    .get()
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button--quiet timeline__older"
                                on:click=move |_| load_older()
                            >
                                {t.load_older}
                            </button>
                        }
                    })
            }}
            // The log holds the list (a role on the <ol> itself would leave its items
            // outside any list).
            <div role="log" aria-label=t.messages>
                <ol class="timeline__messages">
                    <For each=move || entries.get() key=Entry::key children=child />
                </ol>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use parley_domain::wire::{ActivityKind, Actor};

    use super::*;

    fn message(id: &str, at: i64) -> Message {
        parley_domain::testing::message(id, at)
    }

    fn note(id: &str, at: i64) -> Note {
        Note {
            id: id.into(),
            conversation: "c1".into(),
            author: "u".into(),
            author_name: "U".into(),
            text: id.into(),
            at: Timestamp(at),
            edited_at: None,
        }
    }

    fn activity(id: &str, at: i64) -> Activity {
        Activity {
            id: id.into(),
            conversation: "c1".into(),
            actor: Actor { id: None, name: "Parley".into() },
            at: Timestamp(at),
            kind: ActivityKind::Opened,
        }
    }

    fn ids(entries: &[Entry]) -> Vec<String> {
        entries
            .iter()
            .map(|e| match e {
                Entry::Message(m) => m.id.to_string(),
                Entry::Note(n) => n.id.to_string(),
                Entry::Activity(a) => a.id.to_string(),
                Entry::Divider(_) => "new".to_owned(),
            })
            .collect()
    }

    #[test]
    fn entries_interleave_by_time() {
        let messages = [message("m1", 10), message("m2", 30)];
        let notes = [note("n1", 5), note("n2", 30)];
        let activities = [activity("a1", 20), activity("a2", 30)];
        assert_eq!(ids(&interleave(&messages, &notes, &activities, false)), ["n1", "m1", "a1", "m2", "n2", "a2"]);
        // With older messages still to load, what predates the first shown one waits.
        assert_eq!(ids(&interleave(&messages, &notes, &activities, true)), ["m1", "a1", "m2", "n2", "a2"]);
    }

    #[test]
    fn the_divider_goes_right_above_the_first_unread_message() {
        let entries = || interleave(&[message("m1", 10), message("m2", 30)], &[note("n1", 30)], &[], false);
        let table = [
            (None, vec!["m1", "m2", "n1"]),
            (Some("m2"), vec!["m1", "new", "m2", "n1"]),
            (Some("m1"), vec!["new", "m1", "m2", "n1"]),
            (Some("gone"), vec!["m1", "m2", "n1"]),
        ];
        for (first, expected) in table {
            let id = first.map(MessageId::from);
            assert_eq!(ids(&with_divider(entries(), id.as_ref())), expected, "{first:?}");
        }
    }
}
