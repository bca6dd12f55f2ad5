//! The channel simulator's bulk inbound: many new contacts writing in at once.

use crate::error::{ApiError, ApiResult};
use crate::storage::Store;
use parley_domain::ChannelId;

/// The simulator's bulk import: `count` new contacts ("Visitor 1" newest … "Visitor N",
/// a second apart) each with one new conversation holding one incoming message, on
/// `channel` (default: the workspace's first). Rows only, with no event per conversation
/// (20 000 events would flood every socket and the log): connected apps see them after
/// a reload. Returns how many were created and the seq that marks them unseen.
pub fn bulk_inbound(tx: &dyn Store, count: u32, channel: Option<&ChannelId>, now: i64) -> ApiResult<(u32, u64)> {
    if !(1..=50_000).contains(&count) {
        return Err(ApiError::BadRequest("count must be between 1 and 50000".into()));
    }
    let channels = tx.channels()?;
    let channel = match channel {
        Some(c) => channels.into_iter().find(|ch| &ch.id == c).ok_or_else(|| ApiError::not_found("channel", c))?,
        None => {
            channels.into_iter().next().ok_or_else(|| ApiError::BadRequest("the workspace has no channel".into()))?
        }
    };
    let seq = tx.next_seq()?;
    tx.insert_visitors(count, &channel.id, seq, now)?;
    tracing::info!(count, "simulator: bulk inbound");
    Ok((count, seq))
}
