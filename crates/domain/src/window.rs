//! The customer-service window: on WhatsApp, Messenger and Instagram a business may send
//! a free-form reply only within 24 hours of the contact's last message (7 days on
//! Messenger with a message tag). Other channels have no window.

use serde::{Deserialize, Serialize};

use crate::ids::ChannelId;
use crate::model::{ChannelKind, Direction, Message, Timestamp};

const HOUR_MS: i64 = 3_600_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ServiceWindow {
    /// The channel has no window: free-form replies are always allowed.
    Unlimited,
    /// Free-form replies are allowed until `closes_at`.
    Open { closes_at: Timestamp },
    /// The contact has not written within the window (or never wrote).
    Expired { since: Option<Timestamp> },
}

impl ServiceWindow {
    pub fn allows_free_form(self) -> bool {
        !matches!(self, ServiceWindow::Expired { .. })
    }
}

/// Window length in hours, if the channel has one.
pub const fn window_hours(kind: ChannelKind, messenger_tag: bool) -> Option<i64> {
    match kind {
        ChannelKind::Messenger if messenger_tag => Some(7 * 24),
        ChannelKind::Whatsapp | ChannelKind::Messenger | ChannelKind::Instagram => Some(24),
        _ => None,
    }
}

/// The window state at `now`, given when the contact last wrote on this channel.
pub fn service_window(
    kind: ChannelKind,
    last_incoming: Option<Timestamp>,
    now: Timestamp,
    messenger_tag: bool,
) -> ServiceWindow {
    let Some(hours) = window_hours(kind, messenger_tag) else {
        return ServiceWindow::Unlimited;
    };
    match last_incoming {
        None => ServiceWindow::Expired { since: None },
        Some(at) => {
            let closes_at = Timestamp(at.0 + hours * HOUR_MS);
            if now < closes_at {
                ServiceWindow::Open { closes_at }
            } else {
                ServiceWindow::Expired { since: Some(closes_at) }
            }
        }
    }
}

/// When the contact last wrote on `channel`, as far as the loaded `messages` and the
/// conversation's `known` last incoming time (`sla.last_incoming_at`, which counts for
/// the conversation's own channel) tell. The composer uses it to show the window of the
/// channel the agent replies on; the server checks its own records on send.
pub fn last_incoming_on(
    channel: &ChannelId,
    conversation_channel: &ChannelId,
    known: Option<Timestamp>,
    messages: &[Message],
) -> Option<Timestamp> {
    let seen =
        messages.iter().filter(|m| m.direction == Direction::Incoming && &m.channel == channel).map(|m| m.at).max();
    let known = known.filter(|_| channel == conversation_channel);
    seen.max(known)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChannelKind::*;

    fn check(kind: ChannelKind, last_h: Option<i64>, now_h: i64, tag: bool, allowed: bool) {
        let last = last_h.map(|h| Timestamp(h * HOUR_MS));
        let w = service_window(kind, last, Timestamp(now_h * HOUR_MS), tag);
        assert_eq!(w.allows_free_form(), allowed, "{kind:?} last={last_h:?} now={now_h} tag={tag}: {w:?}");
    }

    #[test]
    fn windows() {
        #[rustfmt::skip]
        let rows: &[(ChannelKind, Option<i64>, i64, bool, bool)] = &[
            (Whatsapp, Some(0), 23, false, true), (Whatsapp, Some(0), 24, false, false),
            (Instagram, Some(10), 33, false, true), (Instagram, Some(10), 35, false, false),
            (Messenger, Some(0), 25, false, false), (Messenger, Some(0), 25, true, true),
            (Messenger, Some(0), 168, true, false), (Whatsapp, None, 0, false, false),
            // a tag extends only Messenger
            (Whatsapp, Some(0), 25, true, false),
            (Email, None, 1000, false, true), (Webchat, Some(0), 1000, false, true),
            (Sms, Some(0), 1000, false, true), (Telegram, None, 0, false, true),
            (Viber, Some(0), 99, false, true),
        ];
        for &(k, last, now, tag, allowed) in rows {
            check(k, last, now, tag, allowed);
        }
    }

    #[test]
    fn open_window_reports_its_end() {
        let w = service_window(Whatsapp, Some(Timestamp(0)), Timestamp(1), false);
        assert_eq!(w, ServiceWindow::Open { closes_at: Timestamp(24 * HOUR_MS) });
    }

    #[test]
    fn last_incoming_per_channel() {
        use crate::testing;
        let wa = ChannelId::new("ch-whatsapp");
        let sms = ChannelId::new("ch-sms");
        let msg = |channel: &ChannelId, direction: Direction, at: i64| {
            let mut m = testing::message("m", at);
            m.channel = channel.clone();
            m.direction = direction;
            m
        };
        let messages = [
            msg(&sms, Direction::Incoming, 10),
            msg(&wa, Direction::Incoming, 20),
            msg(&sms, Direction::Outgoing, 30),
            msg(&wa, Direction::Outgoing, 40),
        ];
        // (reply channel, the summary's last incoming, loaded messages, expected)
        type Row<'a> = (&'a ChannelId, Option<i64>, &'a [Message], Option<i64>);
        #[rustfmt::skip]
        let rows: &[Row] = &[
            // the conversation's channel: the summary's fact counts too (older pages unloaded)
            (&wa, Some(25), &messages, Some(25)),
            (&wa, Some(5), &messages, Some(20)),
            (&wa, None, &messages, Some(20)),
            // another channel: only its own incoming messages, never outgoing ones
            (&sms, Some(25), &messages, Some(10)),
            (&sms, Some(25), &messages[1..], None),
            (&wa, None, &[], None),
        ];
        for (channel, known, messages, expected) in rows {
            let got = last_incoming_on(channel, &wa, known.map(Timestamp), messages);
            assert_eq!(got, expected.map(Timestamp), "{channel:?} known={known:?}");
        }
    }
}
