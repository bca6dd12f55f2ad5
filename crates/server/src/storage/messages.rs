//! Messages and their attachments.

use crate::error::ApiResult;
use parley_domain::{ChannelId, ContactId, ConversationId, Message, MessageId, Sender, Timestamp, UserId};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::*;

pub(crate) fn message_from_row(r: &Row<'_>) -> rusqlite::Result<Message> {
    Ok(Message {
        id: MessageId(r.get("id")?),
        conversation: ConversationId(r.get("conversation_id")?),
        channel: ChannelId(r.get("channel_id")?),
        direction: parse_enum(&r.get::<_, String>("direction")?)?,
        sender: Sender {
            kind: parse_enum(&r.get::<_, String>("sender_kind")?)?,
            id: r.get("sender_id")?,
            name: r.get("sender_name")?,
        },
        text: r.get("text")?,
        at: Timestamp(r.get("at")?),
        delivery: parse_enum(&r.get::<_, String>("delivery")?)?,
        client_id: r.get("client_id")?,
        attachments: Vec::new(),
        template: r.get::<_, Option<String>>("template_id")?.map(parley_domain::TemplateId),
    })
}

pub(crate) const MESSAGE_COLUMNS: &str = "seq, id, conversation_id, channel_id, direction, sender_kind, sender_id, sender_name, text, at, delivery, client_id, template_id";

pub(crate) fn attachment_from_row(r: &Row<'_>) -> rusqlite::Result<parley_domain::Attachment> {
    Ok(parley_domain::Attachment {
        id: parley_domain::AttachmentId(r.get("id")?),
        filename: r.get("filename")?,
        content_type: r.get("content_type")?,
        size: r.get("size")?,
        kind: parse_enum(&r.get::<_, String>("kind")?)?,
        duration_ms: r.get("duration_ms")?,
    })
}

/// The messages part of [`Store`](super::Store).
pub trait MessageStore {
    /// Messages with `seq < before` (all when `None`), the newest `limit` of them, oldest
    /// first; and the cursor for the page before, if any.
    fn messages(
        &self,
        conversation: &ConversationId,
        before: Option<i64>,
        limit: usize,
    ) -> ApiResult<(Vec<Message>, Option<i64>)>;
    fn message_by_client_id(&self, conversation: &ConversationId, client_id: &str) -> ApiResult<Option<Message>>;
    fn message_by_id(&self, id: &MessageId) -> ApiResult<Message>;
    /// Loads each message's attachments (one query per message that has any).
    fn fill_attachments(&self, messages: &mut [Message]) -> ApiResult<()>;
    /// An upload and where it belongs: (attachment, conversation, uploader, message).
    fn attachment(
        &self,
        id: &parley_domain::AttachmentId,
    ) -> ApiResult<Option<(parley_domain::Attachment, ConversationId, UserId, Option<String>)>>;
    /// Records an upload's metadata (its bytes are a file named by its id).
    fn insert_attachment(
        &self,
        a: &parley_domain::Attachment,
        conversation: &ConversationId,
        uploader: &UserId,
        now: i64,
    ) -> ApiResult<()>;
    /// Inserts a message (its attachments are linked separately).
    fn insert_message(&self, m: &Message) -> ApiResult<()>;
    /// A message takes an upload.
    fn attach(&self, attachment: &parley_domain::AttachmentId, message: &MessageId) -> ApiResult<()>;
    fn set_delivery(&self, id: &MessageId, delivery: parley_domain::DeliveryState) -> ApiResult<()>;
    /// When the contact last wrote on this channel, in any of their conversations.
    fn last_incoming_at(&self, contact: &ContactId, channel: &ChannelId) -> ApiResult<Option<i64>>;
    /// Uploads never attached to a message and created before `cutoff`: their rows are
    /// deleted and their ids returned (the caller removes the files after commit).
    fn forget_orphan_uploads(&self, cutoff: i64) -> ApiResult<Vec<parley_domain::AttachmentId>>;
}

impl MessageStore for Connection {
    fn messages(
        &self,
        conversation: &ConversationId,
        before: Option<i64>,
        limit: usize,
    ) -> ApiResult<(Vec<Message>, Option<i64>)> {
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3"
        );
        let mut stmt = self.prepare_cached(&sql)?;
        let mut rows: Vec<(i64, Message)> = stmt
            .query_map(params![conversation.as_str(), before.unwrap_or(i64::MAX), (limit + 1) as i64], |r| {
                Ok((r.get(0)?, message_from_row(r)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = if more { rows.last().map(|(seq, _)| *seq) } else { None };
        rows.reverse();
        let mut page: Vec<Message> = rows.into_iter().map(|(_, m)| m).collect();
        self.fill_attachments(&mut page)?;
        Ok((page, next))
    }
    fn message_by_client_id(&self, conversation: &ConversationId, client_id: &str) -> ApiResult<Option<Message>> {
        let sql = format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?1 AND client_id = ?2");
        let mut found: Vec<Message> = self
            .query_row(&sql, params![conversation.as_str(), client_id], message_from_row)
            .optional()?
            .into_iter()
            .collect();
        self.fill_attachments(&mut found)?;
        Ok(found.pop())
    }
    fn message_by_id(&self, id: &MessageId) -> ApiResult<Message> {
        let sql = format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?1");
        Ok(self.query_row(&sql, [id.as_str()], message_from_row)?)
    }
    fn fill_attachments(&self, messages: &mut [Message]) -> ApiResult<()> {
        let mut stmt = self.prepare_cached(
            "SELECT id, filename, content_type, size, kind, duration_ms FROM attachments WHERE message_id = ?1 ORDER BY created_at, id",
        )?;
        for m in messages {
            m.attachments = stmt.query_map([m.id.as_str()], attachment_from_row)?.collect::<rusqlite::Result<_>>()?;
        }
        Ok(())
    }
    fn attachment(
        &self,
        id: &parley_domain::AttachmentId,
    ) -> ApiResult<Option<(parley_domain::Attachment, ConversationId, UserId, Option<String>)>> {
        Ok(self
            .query_row(
                "SELECT id, filename, content_type, size, kind, duration_ms, conversation_id, uploader, message_id
                 FROM attachments WHERE id = ?1",
                [id.as_str()],
                |r| {
                    Ok((
                        attachment_from_row(r)?,
                        ConversationId(r.get("conversation_id")?),
                        UserId(r.get("uploader")?),
                        r.get("message_id")?,
                    ))
                },
            )
            .optional()?)
    }
    fn insert_attachment(
        &self,
        a: &parley_domain::Attachment,
        conversation: &ConversationId,
        uploader: &UserId,
        now: i64,
    ) -> ApiResult<()> {
        self.execute(
            "INSERT INTO attachments (id, conversation_id, uploader, filename, content_type, size, kind, duration_ms, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![a.id.as_str(), conversation.as_str(), uploader.as_str(), a.filename, a.content_type, a.size as i64,
                    enum_str(&a.kind), a.duration_ms.map(|d| d as i64), now],
        )?;
        Ok(())
    }
    fn insert_message(&self, m: &Message) -> ApiResult<()> {
        self.execute(
            "INSERT INTO messages (id, conversation_id, channel_id, direction, sender_kind, sender_id, sender_name, text, at, delivery, client_id, template_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                m.id.as_str(),
                m.conversation.as_str(),
                m.channel.as_str(),
                enum_str(&m.direction),
                enum_str(&m.sender.kind),
                m.sender.id,
                m.sender.name,
                m.text,
                m.at.0,
                enum_str(&m.delivery),
                m.client_id,
                m.template.as_ref().map(|t| t.as_str()),
            ],
        )?;
        Ok(())
    }
    fn attach(&self, attachment: &parley_domain::AttachmentId, message: &MessageId) -> ApiResult<()> {
        self.execute(
            "UPDATE attachments SET message_id = ?2 WHERE id = ?1",
            params![attachment.as_str(), message.as_str()],
        )?;
        Ok(())
    }
    fn set_delivery(&self, id: &MessageId, delivery: parley_domain::DeliveryState) -> ApiResult<()> {
        self.execute("UPDATE messages SET delivery = ?2 WHERE id = ?1", params![id.as_str(), enum_str(&delivery)])?;
        Ok(())
    }
    fn last_incoming_at(&self, contact: &ContactId, channel: &ChannelId) -> ApiResult<Option<i64>> {
        Ok(self.query_row(
            "SELECT MAX(m.at) FROM messages m JOIN conversations c ON c.id = m.conversation_id
             WHERE c.contact_id = ?1 AND m.channel_id = ?2 AND m.direction = 'incoming'",
            params![contact.as_str(), channel.as_str()],
            |r| r.get(0),
        )?)
    }
    fn forget_orphan_uploads(&self, cutoff: i64) -> ApiResult<Vec<parley_domain::AttachmentId>> {
        let ids: Vec<parley_domain::AttachmentId> = self
            .prepare_cached("SELECT id FROM attachments WHERE message_id IS NULL AND created_at < ?1")?
            .query_map([cutoff], |r| Ok(parley_domain::AttachmentId(r.get(0)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for id in &ids {
            self.execute("DELETE FROM attachments WHERE id = ?1", [id.as_str()])?;
        }
        Ok(ids)
    }
}
