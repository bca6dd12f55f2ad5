//! Custom inboxes: saved filter views (`filter` and `sharing` are the domain types' JSON).

use super::conn::{OptionalExtension, PgConn as Connection, Row, params, parse_json};
use parley_domain::custom_inbox::{CustomInbox, CustomInboxInput};
use parley_domain::{CustomInboxId, UserId};

use crate::error::{ApiError, ApiResult};
use crate::storage::*;

const SELECT: &str = "SELECT c.id, c.name, c.owner, u.name, c.filter, c.sharing
     FROM custom_inboxes c JOIN users u ON u.id = c.owner";

fn from_row(r: &Row<'_>) -> super::conn::Result<CustomInbox> {
    Ok(CustomInbox {
        id: CustomInboxId(r.get(0)?),
        name: r.get(1)?,
        owner: UserId(r.get(2)?),
        owner_name: r.get(3)?,
        filter: parse_json(&r.get::<_, String>(4)?)?,
        sharing: parse_json(&r.get::<_, String>(5)?)?,
    })
}

fn json<T: serde::Serialize>(v: &T) -> ApiResult<String> {
    serde_json::to_string(v).map_err(|e| ApiError::Internal(e.to_string()))
}

impl CustomInboxStore for Connection {
    fn custom_inbox(&self, id: &CustomInboxId) -> ApiResult<Option<CustomInbox>> {
        Ok(self.query_row(&format!("{SELECT} WHERE c.id = ?1"), [id.as_str()], from_row).optional()?)
    }
    fn custom_inboxes(&self) -> ApiResult<Vec<CustomInbox>> {
        let mut stmt = self.prepare_cached(&format!("{SELECT} ORDER BY c.seq"))?;
        Ok(stmt.query_map(params![], from_row)?.collect::<super::conn::Result<_>>()?)
    }
    fn create_custom_inbox(&self, owner: &UserId, input: &CustomInboxInput) -> ApiResult<CustomInboxId> {
        let n: i64 = self.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM custom_inboxes", params![], |r| r.get(0))?;
        let id = CustomInboxId(format!("ci-{n}"));
        self.execute(
            "INSERT INTO custom_inboxes (id, name, owner, filter, sharing) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id.as_str(), input.name.trim(), owner.as_str(), json(&input.filter)?, json(&input.sharing)?],
        )?;
        Ok(id)
    }
    fn update_custom_inbox(&self, id: &CustomInboxId, input: &CustomInboxInput) -> ApiResult<()> {
        self.execute(
            "UPDATE custom_inboxes SET name = ?2, filter = ?3, sharing = ?4 WHERE id = ?1",
            params![id.as_str(), input.name.trim(), json(&input.filter)?, json(&input.sharing)?],
        )?;
        Ok(())
    }
    fn delete_custom_inbox(&self, id: &CustomInboxId) -> ApiResult<()> {
        self.execute("DELETE FROM custom_inboxes WHERE id = ?1", [id.as_str()])?;
        Ok(())
    }
}
