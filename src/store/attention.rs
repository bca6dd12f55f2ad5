//! Getting the agent's attention: which events concern them (new messages in their
//! conversations, conversations someone else assigned to them), desktop notifications
//! and a synthesised chime. `preferences.rs` decides when, by the agent's choices.

use leptos::prelude::*;
use parley_domain::wire::{ActivityKind, Event, EventKind};
use parley_domain::{ConversationId, Direction, UserId};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{AudioContext, Notification, NotificationOptions};

/// The longest message text a notification shows.
const BODY_CHARS: usize = 140;

/// One thing to tell the agent about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Alert {
    pub conversation: ConversationId,
    pub title: String,
    pub body: String,
}

/// What in `events` deserves the attention of `me`: incoming messages in conversations
/// assigned to them, and conversations assigned to them by someone else. Nothing about
/// `looking_at`, the conversation open in the focused tab: the agent sees it already.
pub(super) fn alerts(events: &[Event], me: &UserId, looking_at: Option<&ConversationId>) -> Vec<Alert> {
    let elsewhere = |id: &ConversationId| looking_at != Some(id);
    let contact_name = |id: &ConversationId| {
        events.iter().rev().filter_map(|e| e.kind.conversation()).find(|c| &c.id == id).map(|c| c.contact.name.clone())
    };
    events
        .iter()
        .filter_map(|event| match &event.kind {
            EventKind::MessageCreated { conversation, message }
                if message.direction == Direction::Incoming
                    && conversation.assignee.as_ref() == Some(me)
                    && elsewhere(&conversation.id) =>
            {
                let body = if message.text.trim().is_empty() {
                    crate::i18n::t().sent_attachment.to_owned()
                } else {
                    shorten(&message.text)
                };
                Some(Alert {
                    conversation: conversation.id.clone(),
                    title: (crate::i18n::t().new_message_from)(&conversation.contact.name),
                    body,
                })
            }
            EventKind::ActivityCreated { activity }
                if matches!(&activity.kind, ActivityKind::Assigned { assignee, .. } if assignee == me)
                    && activity.actor.id.as_ref() != Some(me)
                    && elsewhere(&activity.conversation) =>
            {
                let t = crate::i18n::t();
                let with = contact_name(&activity.conversation);
                Some(Alert {
                    conversation: activity.conversation.clone(),
                    title: t.assigned_to_you.to_owned(),
                    body: (t.assigned_you)(&activity.actor.name, with.as_deref()),
                })
            }
            _ => None,
        })
        .collect()
}

fn shorten(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(BODY_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// The notification sound's audio context, made on first use (browsers limit how many
/// a page may open).
#[derive(Default)]
pub(super) struct Alerts {
    audio: Option<AudioContext>,
}

impl Alerts {
    /// A short two-note chime, synthesised: no audio file to ship or fetch.
    pub(super) fn chime(&mut self) -> Result<(), wasm_bindgen::JsValue> {
        if self.audio.is_none() {
            self.audio = Some(AudioContext::new()?);
        }
        let Some(ctx) = &self.audio else { return Ok(()) };
        let _ = ctx.resume();
        let start = ctx.current_time();
        for (i, hz) in [880.0, 1320.0].into_iter().enumerate() {
            let at = start + i as f64 * 0.12;
            let tone = ctx.create_oscillator()?;
            tone.frequency().set_value(hz);
            let gain = ctx.create_gain()?;
            gain.gain().set_value_at_time(0.12, at)?;
            gain.gain().exponential_ramp_to_value_at_time(0.001, at + 0.25)?;
            tone.connect_with_audio_node(&gain)?;
            gain.connect_with_audio_node(&ctx.destination())?;
            tone.start_with_when(at)?;
            tone.stop_with_when(at + 0.25)?;
        }
        Ok(())
    }
}

/// Shows `alert`; a click brings this tab forward with the conversation open.
pub(super) fn show_notification(alert: &Alert, open: Callback<ConversationId>) -> Result<(), wasm_bindgen::JsValue> {
    let options = NotificationOptions::new();
    options.set_body(&alert.body);
    // One notification per conversation: a newer one replaces it.
    options.set_tag(alert.conversation.as_str());
    let notification = Notification::new_with_options(&alert.title, &options)?;
    let conversation = alert.conversation.clone();
    let shown = notification.clone();
    let on_click = Closure::once_into_js(move || {
        if let Some(w) = web_sys::window() {
            let _ = w.focus();
        }
        shown.close();
        // The store outlives the notification only while signed in.
        let _ = open.try_run(conversation);
    });
    notification.set_onclick(Some(on_click.unchecked_ref()));
    Ok(())
}

pub(super) fn tab_has_focus() -> bool {
    web_sys::window().and_then(|w| w.document()).and_then(|d| d.has_focus().ok()).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use parley_domain::Timestamp;
    use parley_domain::testing;
    use parley_domain::wire::{Activity, Actor};

    use super::*;

    fn message_event(conversation: &str, assignee: Option<&str>, direction: Direction, text: &str) -> Event {
        let mut summary = testing::conversation(conversation);
        summary.assignee = assignee.map(Into::into);
        summary.contact.name = "Alice Martin".into();
        let mut message = testing::message("m1", 10);
        message.conversation = conversation.into();
        message.direction = direction;
        message.text = text.into();
        Event { seq: 1, kind: EventKind::MessageCreated { conversation: summary, message } }
    }

    fn assigned_event(conversation: &str, assignee: &str, actor: Option<&str>) -> Event {
        let activity = Activity {
            id: "a1".into(),
            conversation: conversation.into(),
            actor: Actor { id: actor.map(Into::into), name: "Max Martin".into() },
            at: Timestamp(10),
            kind: ActivityKind::Assigned { assignee: assignee.into(), assignee_name: "Me".into() },
        };
        Event { seq: 2, kind: EventKind::ActivityCreated { activity } }
    }

    fn titles(events: &[Event], looking_at: Option<&str>) -> Vec<String> {
        let looking_at = looking_at.map(ConversationId::from);
        alerts(events, &"me".into(), looking_at.as_ref()).into_iter().map(|a| a.title).collect()
    }

    #[test]
    fn which_events_alert() {
        let table: [(&str, Vec<Event>, Option<&str>, Vec<&str>); 8] = [
            (
                "incoming, mine",
                vec![message_event("c1", Some("me"), Direction::Incoming, "hi")],
                None,
                vec!["New message from Alice Martin"],
            ),
            (
                "incoming, open in the focused tab",
                vec![message_event("c1", Some("me"), Direction::Incoming, "hi")],
                Some("c1"),
                vec![],
            ),
            (
                "incoming, another one open",
                vec![message_event("c1", Some("me"), Direction::Incoming, "hi")],
                Some("c2"),
                vec!["New message from Alice Martin"],
            ),
            (
                "incoming, a colleague's",
                vec![message_event("c1", Some("lea"), Direction::Incoming, "hi")],
                None,
                vec![],
            ),
            ("incoming, unassigned", vec![message_event("c1", None, Direction::Incoming, "hi")], None, vec![]),
            ("my own reply", vec![message_event("c1", Some("me"), Direction::Outgoing, "hi")], None, vec![]),
            ("assigned to me by Max", vec![assigned_event("c1", "me", Some("max"))], None, vec!["Assigned to you"]),
            (
                "I took it myself",
                vec![assigned_event("c1", "me", Some("me")), assigned_event("c2", "lea", Some("max"))],
                None,
                vec![],
            ),
        ];
        for (case, events, looking_at, expected) in table {
            assert_eq!(titles(&events, looking_at), expected, "{case}");
        }
    }

    #[test]
    fn an_assignment_names_the_contact_when_the_batch_has_it() {
        let mut summary = testing::conversation("c1");
        summary.contact.name = "Alice Martin".into();
        let update = Event { seq: 1, kind: EventKind::ConversationUpdated { conversation: summary } };
        let found = alerts(&[update, assigned_event("c1", "me", None)], &"me".into(), None);
        assert_eq!(found[0].body, "Max Martin assigned you the conversation with Alice Martin");
        let alone = alerts(&[assigned_event("c9", "me", None)], &"me".into(), None);
        assert_eq!(alone[0].body, "Max Martin assigned you a conversation");
    }

    #[test]
    fn long_messages_are_shortened() {
        let long = "x".repeat(300);
        let found = alerts(&[message_event("c1", Some("me"), Direction::Incoming, &long)], &"me".into(), None);
        assert_eq!(found[0].body.chars().count(), BODY_CHARS + 1);
        let empty = alerts(&[message_event("c1", Some("me"), Direction::Incoming, " ")], &"me".into(), None);
        assert_eq!(empty[0].body, "Sent an attachment");
    }
}
