//! Outreach (issue 14, item 2): the message templates (loaded when the settings page or
//! the composer's template form shows, so a change made elsewhere shows without a reload;
//! kept by owners, managers and holders of the permission), New conversation, and the
//! replies that skip the outbox because they carry more than text — a filled template,
//! or Messenger's human-agent tag — sent at once and shown when the server answers.

use leptos::prelude::*;
use parley_domain::wire::{ConversationSummary, MessageTag, MessageTemplate, SendMessage, TemplateInput};
use parley_domain::{ChannelId, ContactId, ConversationId, Message, TemplateId, User};

use super::apply::merge_message;
use super::composer::{Composer, Loaded, load_list, put_saved};
use super::session::{Failure, Session, Write};

/// The outreach handle (`Copy`; see [`super::use_outreach`]).
#[derive(Clone, Copy)]
pub struct Outreach {
    session: Session,
    composer: Composer,
    templates: RwSignal<Loaded<Vec<MessageTemplate>>>,
    /// Adds a template (`None`) or changes one.
    pub save: Write<(Option<TemplateId>, TemplateInput), MessageTemplate>,
    pub delete: Write<TemplateId, TemplateId>,
    /// New conversation: the contact's open conversation or a new one on the channel; the
    /// reply then goes out on that channel.
    pub start: Write<(ContactId, ChannelId), ConversationSummary>,
    /// A template or tagged reply into a conversation, shown once the server has it.
    send: Write<(ConversationId, SendMessage), Message>,
    sent: RwSignal<u64>,
}

impl Outreach {
    pub(super) fn new(session: Session, composer: Composer) -> Self {
        let templates = RwSignal::new(None::<Result<Vec<MessageTemplate>, String>>);
        let thread = composer.thread;
        let sent = RwSignal::new(0);
        let outreach = Self {
            session,
            composer,
            templates,
            save: session.write(
                Failure::Kept,
                move |api, (id, input): (Option<TemplateId>, TemplateInput)| async move {
                    let saved = api.save_template(id.as_ref(), &input).await?;
                    if !put_saved(templates, &saved, |t| &t.id) {
                        load(session, templates);
                    }
                    Ok(saved)
                },
            ),
            delete: session.write(Failure::Kept, move |api, id: TemplateId| async move {
                api.delete_template(&id).await?;
                templates.update(|l| {
                    if let Some(Ok(l)) = l {
                        l.retain(|t| t.id != id);
                    }
                });
                Ok(id)
            }),
            start: session.write(Failure::Kept, move |api, (contact, channel): (ContactId, ChannelId)| async move {
                let summary = api.start_conversation(&contact, channel.clone()).await?;
                composer.reply_on(summary.id.clone(), channel);
                Ok(summary)
            }),
            send: session.write(Failure::Banner, move |api, (id, body): (ConversationId, SendMessage)| async move {
                let message = api.send_message(&id, &body).await?;
                thread.update_open(&id, |open| merge_message(&mut open.messages, message.clone()));
                sent.update(|n| *n += 1);
                Ok(message)
            }),
            sent,
        };
        session.on_end(move || templates.set(None));
        outreach
    }

    /// Every template, once loaded (the composer offers the approved ones).
    pub fn templates(&self) -> Signal<Loaded<Vec<MessageTemplate>>> {
        self.templates.into()
    }

    /// `GET /templates` again (a failure keeps what was shown).
    pub fn load(self) {
        load(self.session, self.templates);
    }

    /// Whether the user keeps the templates (the server checks it too).
    pub fn can_manage(&self) -> Signal<bool> {
        self.session.allows(User::may_manage_templates)
    }

    /// Sends the template filled with `values` on the reply channel of the open
    /// conversation.
    pub fn send_template(self, template: TemplateId, values: Vec<String>) {
        self.send_reply(String::new(), Some(template), values, None);
    }

    /// Sends `text` with Messenger's human-agent tag (7 days instead of 24 hours).
    pub fn send_tagged(self, text: String) {
        self.send_reply(text.trim().to_owned(), None, Vec::new(), Some(MessageTag::HumanAgent));
    }

    fn send_reply(self, text: String, template_id: Option<TemplateId>, values: Vec<String>, tag: Option<MessageTag>) {
        let Some(id) = self.composer.thread.open_id() else { return };
        let channel = untrack(|| self.composer.reply_channel().get()).map(|c| c.id);
        let client_id = super::thread::new_client_id();
        let body = SendMessage { client_id, text, channel, attachments: Vec::new(), template_id, values, tag };
        self.send.dispatch((id, body));
    }

    /// A template or tagged reply is on its way.
    pub fn sending(&self) -> Signal<bool> {
        self.send.pending().into()
    }

    /// How many template or tagged replies went out: the form clears when it grows.
    pub fn sent(&self) -> Signal<u64> {
        self.sent.into()
    }
}

fn load(session: Session, list: RwSignal<Loaded<Vec<MessageTemplate>>>) {
    load_list(session, list, |api| async move { api.templates().await });
}
