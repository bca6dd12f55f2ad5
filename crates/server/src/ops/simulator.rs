//! The channel simulator's bulk inbound: many new contacts writing in at once.

use crate::error::{ApiError, ApiResult};
use crate::storage::next_seq;
use parley_domain::ChannelId;
use rusqlite::{Connection, OptionalExtension, params};

/// The simulator's bulk import: `count` new contacts ("Visitor 1" newest … "Visitor N",
/// a second apart) each with one new conversation holding one incoming message, on
/// `channel` (default: the workspace's first). Rows only, with no event per conversation
/// (20 000 events would flood every socket and the log): connected apps see them after
/// a reload. Returns how many were created and the seq that marks them unseen.
pub fn bulk_inbound(tx: &Connection, count: u32, channel: Option<&ChannelId>, now: i64) -> ApiResult<(u32, u64)> {
    if !(1..=50_000).contains(&count) {
        return Err(ApiError::BadRequest("count must be between 1 and 50000".into()));
    }
    let channel: String = match channel {
        Some(c) => tx
            .query_row("SELECT id FROM channels WHERE id = ?1", [c.as_str()], |r| r.get(0))
            .optional()?
            .ok_or_else(|| ApiError::not_found("channel", c))?,
        None => tx
            .query_row("SELECT id FROM channels ORDER BY position LIMIT 1", [], |r| r.get(0))
            .optional()?
            .ok_or_else(|| ApiError::BadRequest("the workspace has no channel".into()))?,
    };
    let seq = next_seq(tx)?;
    let channels = serde_json::to_string(&[&channel]).expect("serialisable");
    let mut contact = tx.prepare_cached("INSERT INTO contacts (id, name, channels) VALUES (?1, ?2, ?3)")?;
    let mut conversation = tx.prepare_cached(
        "INSERT INTO conversations (id, contact_id, channel_id, status, opened_at, last_activity_at, last_incoming_seq, unread, version, awaiting_since)
         VALUES (?1, ?2, ?3, 'new', ?4, ?4, ?5, 1, ?5, ?4)",
    )?;
    let mut message = tx.prepare_cached(
        "INSERT INTO messages (id, conversation_id, channel_id, direction, sender_kind, sender_id, sender_name, text, at, delivery)
         VALUES (?1, ?2, ?3, 'incoming', 'contact', ?4, ?5, ?6, ?7, 'delivered')",
    )?;
    for n in 1..=count {
        let (contact_id, conversation_id) = (format!("k-bulk-{seq}-{n}"), format!("cv-bulk-{seq}-{n}"));
        let name = format!("Visitor {n}");
        let at = now - i64::from(n) * 1000;
        contact.execute(params![contact_id, name, channels])?;
        conversation.execute(params![conversation_id, contact_id, channel, at, seq as i64])?;
        let text = format!("Hello, this is visitor {n}");
        message.execute(params![format!("m-bulk-{seq}-{n}"), conversation_id, channel, contact_id, name, text, at])?;
    }
    tracing::info!(count, "simulator: bulk inbound");
    Ok((count, seq))
}
