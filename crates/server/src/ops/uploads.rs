//! Uploads that no message took.

use crate::error::ApiResult;
use rusqlite::Connection;

/// Deletes the rows of uploads never attached to a message and created before `cutoff`;
/// returns their ids so the caller removes the files after commit.
pub fn forget_orphan_uploads(tx: &Connection, cutoff: i64) -> ApiResult<Vec<String>> {
    let ids: Vec<String> = tx
        .prepare_cached("SELECT id FROM attachments WHERE message_id IS NULL AND created_at < ?1")?
        .query_map([cutoff], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &ids {
        tx.execute("DELETE FROM attachments WHERE id = ?1", [id])?;
    }
    Ok(ids)
}
