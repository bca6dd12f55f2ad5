//! AI assist in the composer (issue 15, item 1): the actions an agent may ask of an
//! OpenAI-compatible chat-completions endpoint, and every prompt — in this one place —
//! as the `messages` (system + user) the server sends. The server adds the model and does
//! the HTTP; the app only names the action.

use serde::{Deserialize, Serialize};

use crate::model::Message;
use crate::wire::Note;

/// What the agent asks for. All but [`AssistAction::Summarize`] rewrite the draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssistAction {
    Improve,
    Shorten,
    FixGrammar,
    /// Into the contact's language.
    Translate,
    Friendlier,
    Formal,
    /// The conversation (messages and notes) as an internal note; the draft is not used.
    Summarize,
}

crate::names::wire_names!(AssistAction {
    Improve = "improve",
    Shorten = "shorten",
    FixGrammar = "fix_grammar",
    Translate = "translate",
    Friendlier = "friendlier",
    Formal = "formal",
    Summarize = "summarize",
});

impl AssistAction {
    /// In the composer's menu order.
    pub const ALL: [AssistAction; 7] = [
        AssistAction::Improve,
        AssistAction::Shorten,
        AssistAction::FixGrammar,
        AssistAction::Translate,
        AssistAction::Friendlier,
        AssistAction::Formal,
        AssistAction::Summarize,
    ];

    /// Whether the action works on the draft (so an empty draft is refused).
    pub fn uses_draft(self) -> bool {
        self != AssistAction::Summarize
    }
}

/// One chat-completions message (`{"role": "system"|"user", "content": "..."}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: String,
    pub content: String,
}

/// What a prompt is built from; the server gathers it after the visibility check.
pub struct AssistInput<'a> {
    pub draft: &'a str,
    /// The contact's language as stored on the contact (`Contact::language`: a code such
    /// as "fr" or a name such as "French"); `None` when unknown.
    pub language: Option<&'a str>,
    /// The thread's messages and internal notes, for a summary.
    pub messages: &'a [Message],
    pub notes: &'a [Note],
}

/// Said in every system prompt: the answer is pasted as is, so no preamble.
const ONLY_TEXT: &str = "Answer with the rewritten text only: no preamble, no quotes, no explanation.";

/// The `messages` of the chat-completions request for `action`: a system message saying
/// what to do, and a user message holding the draft (or, to summarize, the thread).
pub fn prompt(action: AssistAction, input: &AssistInput) -> Vec<ChatMessage> {
    let task = match action {
        AssistAction::Improve => {
            "Improve this reply: clearer and more helpful, same meaning, same language.".to_owned()
        }
        AssistAction::Shorten => "Shorten this reply, keeping every fact and request, same language.".to_owned(),
        AssistAction::FixGrammar => {
            "Fix the spelling and grammar of this reply; change nothing else, same language.".to_owned()
        }
        AssistAction::Translate => match input.language.map(str::trim).filter(|l| !l.is_empty()) {
            Some(language) => format!("Translate this reply into the contact's language: {language}."),
            // Without a known language the contact's own messages tell it.
            None => {
                "Translate this reply into the language the contact writes in; if unknown, into English.".to_owned()
            }
        },
        AssistAction::Friendlier => "Make this reply friendlier and warmer, same meaning, same language.".to_owned(),
        AssistAction::Formal => "Make this reply more formal and polite, same meaning, same language.".to_owned(),
        AssistAction::Summarize => {
            return vec![
                message(
                    "system",
                    "You summarize a customer-support conversation for the support team as an internal \
                     note: the customer's request, what was done or promised, and what is still open. \
                     Be brief, use plain text. Answer with the summary only.",
                ),
                message("user", &thread(input)),
            ];
        }
    };
    vec![
        message(
            "system",
            &format!("You help a customer-support agent write a reply to a customer. {task} {ONLY_TEXT}"),
        ),
        message("user", input.draft),
    ]
}

fn message(role: &str, content: &str) -> ChatMessage {
    ChatMessage { role: role.to_owned(), content: content.to_owned() }
}

/// The thread as text, oldest first: each message and note on a line of its own with its
/// author ("Note by" for notes, which the contact never saw). A stable sort keeps the
/// given order of the same millisecond, messages before notes.
fn thread(input: &AssistInput) -> String {
    let mut lines: Vec<(i64, String)> = input
        .messages
        .iter()
        .map(|m| (m.at.millis(), format!("{}: {}", m.sender.name, m.text)))
        .chain(input.notes.iter().map(|n| (n.at.millis(), format!("Note by {}: {}", n.author_name, n.text))))
        .collect();
    lines.sort_by_key(|(at, _)| *at);
    let mut text = String::from("The conversation, oldest first:\n");
    for (_, line) in lines {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ChannelId, ConversationId, MessageId, NoteId, UserId};
    use crate::model::{DeliveryState, Direction, Sender, SenderKind, Timestamp};

    fn msg(at: i64, who: &str, text: &str) -> Message {
        Message {
            id: MessageId(format!("m{at}")),
            conversation: ConversationId("c".into()),
            channel: ChannelId("ch".into()),
            direction: Direction::Incoming,
            sender: Sender { kind: SenderKind::Contact, id: None, name: who.into() },
            text: text.into(),
            at: Timestamp(at),
            delivery: DeliveryState::Delivered,
            client_id: None,
            attachments: vec![],
            template: None,
        }
    }

    fn note(at: i64, who: &str, text: &str) -> Note {
        Note {
            id: NoteId(format!("n{at}")),
            conversation: ConversationId("c".into()),
            author: UserId("u".into()),
            author_name: who.into(),
            text: text.into(),
            at: Timestamp(at),
            edited_at: None,
        }
    }

    /// One row per action: the system prompt must contain each `says` and the user message
    /// is the draft, untouched.
    #[test]
    fn each_draft_action_sends_its_instruction_and_the_draft() {
        let draft = "hi, ur refund is done i think";
        let messages = [msg(1, "Alice", "Where is my refund?")];
        let rows: [(AssistAction, Option<&str>, &[&str]); 7] = [
            (AssistAction::Improve, None, &["Improve this reply", "same language"]),
            (AssistAction::Shorten, None, &["Shorten this reply", "keeping every fact"]),
            (AssistAction::FixGrammar, None, &["Fix the spelling and grammar", "change nothing else"]),
            (AssistAction::Translate, Some("fr"), &["Translate this reply into the contact's language: fr."]),
            (AssistAction::Translate, Some("  "), &["into the language the contact writes in", "English"]),
            (AssistAction::Friendlier, None, &["friendlier"]),
            (AssistAction::Formal, None, &["more formal"]),
        ];
        for (action, language, says) in rows {
            let input = AssistInput { draft, language, messages: &messages, notes: &[] };
            let built = prompt(action, &input);
            assert_eq!(built.len(), 2, "{action:?}");
            assert_eq!((built[0].role.as_str(), built[1].role.as_str()), ("system", "user"), "{action:?}");
            for s in says {
                assert!(built[0].content.contains(s), "{action:?}: {s:?} not in {:?}", built[0].content);
            }
            assert!(built[0].content.contains(ONLY_TEXT), "{action:?}");
            assert_eq!(built[1].content, draft, "{action:?}");
            // A rewrite never leaks the thread into the prompt.
            assert!(!built.iter().any(|m| m.content.contains("Where is my refund")), "{action:?}");
        }
    }

    #[test]
    fn summarize_sends_every_message_and_note_in_order_with_authors_and_not_the_draft() {
        let messages = [msg(10, "Alice", "Where is my refund?"), msg(30, "Aaron", "It left today.")];
        let notes = [note(20, "Aaron", "Checked: refund approved"), note(30, "Sam", "VIP customer")];
        let input = AssistInput { draft: "unsent draft", language: Some("fr"), messages: &messages, notes: &notes };
        let built = prompt(AssistAction::Summarize, &input);
        assert_eq!(built.len(), 2);
        assert_eq!((built[0].role.as_str(), built[1].role.as_str()), ("system", "user"));
        assert!(built[0].content.contains("summarize") && built[0].content.contains("internal note"));
        assert_eq!(
            built[1].content,
            "The conversation, oldest first:\nAlice: Where is my refund?\nNote by Aaron: Checked: refund approved\n\
             Aaron: It left today.\nNote by Sam: VIP customer\n"
        );
        assert!(!built.iter().any(|m| m.content.contains("unsent draft")));
    }

    #[test]
    fn names_and_which_actions_need_a_draft() {
        let names: Vec<_> = AssistAction::ALL.iter().map(|a| a.wire_name()).collect();
        assert_eq!(names, ["improve", "shorten", "fix_grammar", "translate", "friendlier", "formal", "summarize"]);
        for a in AssistAction::ALL {
            assert_eq!(AssistAction::from_wire_name(a.wire_name()), Some(a));
            assert_eq!(a.uses_draft(), a != AssistAction::Summarize);
        }
    }
}
