//! A conversation's transcript as an email: which messages, in which order, and the text
//! (plain and HTML) the contact or a colleague receives. Only `Message`s go in — internal
//! notes are another type and never reach a transcript. The server sends it over SMTP.

use crate::model::{Channel, Message};

/// What a transcript is made of; the server gathers it after the visibility check.
pub struct TranscriptOf<'a> {
    /// Who sends it: the sender's display name (`--smtp-from`), e.g. "Acme Support".
    pub workspace: &'a str,
    pub contact: &'a str,
    /// The thread's messages in the thread's order (the server's: by sequence).
    pub messages: &'a [Message],
    /// The workspace's channels, to name each message's channel.
    pub channels: &'a [Channel],
    /// Where an attachment's bytes are, absolute: the attachment's id is appended
    /// (`https://host/api/v1/attachments/`).
    pub attachment_base: &'a str,
}

/// The mail: subject, a text/plain body and its HTML alternative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transcript {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// One line of the transcript before it is written out.
struct Line<'a> {
    author: &'a str,
    time: String,
    channel: &'a str,
    text: &'a str,
    links: Vec<(&'a str, String)>,
}

/// The messages oldest first (a stable sort: messages of the same millisecond keep the
/// thread's order), each with its author, UTC time, channel, text and attachments as
/// absolute links.
pub fn transcript(of: &TranscriptOf) -> Transcript {
    let mut messages: Vec<&Message> = of.messages.iter().collect();
    messages.sort_by_key(|m| m.at);
    let lines: Vec<Line> = messages
        .iter()
        .map(|m| Line {
            author: &m.sender.name,
            time: utc_minute(m.at.millis()),
            channel: of.channels.iter().find(|c| c.id == m.channel).map_or(m.channel.as_str(), |c| c.name.as_str()),
            text: &m.text,
            links: m
                .attachments
                .iter()
                .map(|a| (a.filename.as_str(), format!("{}{}", of.attachment_base, a.id.as_str())))
                .collect(),
        })
        .collect();
    let title = format!("Conversation with {}", of.contact);
    let mut text = format!("{title} ({})\n", of.workspace);
    let mut html = format!("<h1>{}</h1>\n<p>{}</p>\n", escape(&title), escape(of.workspace));
    for l in &lines {
        text.push_str(&format!("\n{} — {}, via {}\n", l.author, l.time, l.channel));
        html.push_str(&format!(
            "<p><strong>{}</strong> — {}, via {}<br>\n",
            escape(l.author),
            escape(&l.time),
            escape(l.channel)
        ));
        if !l.text.is_empty() {
            text.push_str(l.text);
            text.push('\n');
            html.push_str(&escape(l.text).replace('\n', "<br>\n"));
            html.push_str("<br>\n");
        }
        for (name, url) in &l.links {
            text.push_str(&format!("Attachment: {name} <{url}>\n"));
            html.push_str(&format!("Attachment: <a href=\"{}\">{}</a><br>\n", escape(url), escape(name)));
        }
        html.push_str("</p>\n");
    }
    Transcript { subject: format!("Transcript: conversation with {} ({})", of.contact, of.workspace), text, html }
}

/// `2026-03-01 09:05 UTC` (the recipient's time zone is unknown; UTC says so).
pub fn utc_minute(ms: i64) -> String {
    let minutes = ms.div_euclid(60_000);
    let (days, minute_of_day) = (minutes.div_euclid(1440), minutes.rem_euclid(1440));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", minute_of_day / 60, minute_of_day % 60)
}

/// Howard Hinnant's days-to-civil: the proleptic Gregorian date `days` after 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attachment, AttachmentKind, ChannelKind, Direction, Sender, SenderKind};
    use crate::testing::message;

    #[test]
    fn utc_minutes() {
        let rows: &[(i64, &str)] = &[
            (0, "1970-01-01 00:00 UTC"),
            (59_999, "1970-01-01 00:00 UTC"),
            (951_782_400_000, "2000-02-29 00:00 UTC"),
            (1_772_355_900_000, "2026-03-01 09:05 UTC"),
            (1_798_761_599_000, "2026-12-31 23:59 UTC"),
            (-60_000, "1969-12-31 23:59 UTC"),
        ];
        for (ms, expected) in rows {
            assert_eq!(utc_minute(*ms), *expected, "{ms}");
        }
    }

    fn from(id: &str, at: i64, who: SenderKind, name: &str, text: &str) -> Message {
        let direction = if who == SenderKind::Contact { Direction::Incoming } else { Direction::Outgoing };
        Message {
            sender: Sender { kind: who, id: None, name: name.into() },
            direction,
            text: text.into(),
            ..message(id, at)
        }
    }

    fn photo() -> Attachment {
        Attachment {
            id: "a-7".into(),
            filename: "photo <1>.png".into(),
            content_type: "image/png".into(),
            size: 10,
            kind: AttachmentKind::File,
            duration_ms: None,
        }
    }

    #[test]
    fn messages_in_order_with_authors_channels_and_links() {
        let channels = [Channel { id: "ch".into(), kind: ChannelKind::Sms, name: "SMS +33 1".into() }];
        let with_photo =
            Message { attachments: vec![photo()], ..from("m3", 120_000, SenderKind::Contact, "Alice", "") };
        // (messages as stored, expected text lines after the heading)
        let rows: Vec<(Vec<Message>, &str)> = vec![
            (vec![], ""),
            (
                vec![
                    from("m2", 60_000, SenderKind::User, "Max Martin", "Hi Alice"),
                    from("m1", 0, SenderKind::Contact, "Alice", "Hello\nsecond line"),
                ],
                "\nAlice — 1970-01-01 00:00 UTC, via SMS +33 1\nHello\nsecond line\n\
                 \nMax Martin — 1970-01-01 00:01 UTC, via SMS +33 1\nHi Alice\n",
            ),
            // The same millisecond: the thread's order.
            (
                vec![from("m9", 0, SenderKind::Contact, "Alice", "b"), from("m10", 0, SenderKind::Bot, "Bot", "a")],
                "\nAlice — 1970-01-01 00:00 UTC, via SMS +33 1\nb\n\nBot — 1970-01-01 00:00 UTC, via SMS +33 1\na\n",
            ),
            // An attachment without text: only its absolute link.
            (
                vec![with_photo.clone()],
                "\nAlice — 1970-01-01 00:02 UTC, via SMS +33 1\n\
                 Attachment: photo <1>.png <https://h.example/api/v1/attachments/a-7>\n",
            ),
            // A channel the workspace no longer lists: its id.
            (
                vec![Message { channel: "ch-gone".into(), ..from("m1", 0, SenderKind::Contact, "Alice", "x") }],
                "\nAlice — 1970-01-01 00:00 UTC, via ch-gone\nx\n",
            ),
        ];
        for (messages, expected) in rows {
            let got = transcript(&TranscriptOf {
                workspace: "Acme",
                contact: "Alice Martin",
                messages: &messages,
                channels: &channels,
                attachment_base: "https://h.example/api/v1/attachments/",
            });
            assert_eq!(got.subject, "Transcript: conversation with Alice Martin (Acme)");
            assert_eq!(got.text, format!("Conversation with Alice Martin (Acme)\n{expected}"), "{messages:?}");
            for m in &messages {
                assert!(got.html.contains(&escape(&m.sender.name)), "{}", got.html);
            }
        }
        let html = transcript(&TranscriptOf {
            workspace: "A&B",
            contact: "<Alice>",
            messages: &[with_photo],
            channels: &channels,
            attachment_base: "https://h.example/api/v1/attachments/",
        })
        .html;
        assert!(html.starts_with("<h1>Conversation with &lt;Alice&gt;</h1>\n<p>A&amp;B</p>"), "{html}");
        assert!(
            html.contains("<a href=\"https://h.example/api/v1/attachments/a-7\">photo &lt;1&gt;.png</a>"),
            "{html}"
        );
    }
}
