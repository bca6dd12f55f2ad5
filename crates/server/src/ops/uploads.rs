//! Uploads that no message took.

use crate::error::ApiResult;
use crate::storage::Store;

/// Removes the rows of uploads never attached to a message and created before `cutoff`;
/// returns their ids so the caller removes the files after commit.
pub fn forget_orphan_uploads(tx: &dyn Store, cutoff: i64) -> ApiResult<Vec<String>> {
    tx.forget_orphan_uploads(cutoff)
}
