//! The storage layer: every SQL statement of the server lives below this module, split by
//! resource; rows in, domain types out. Routes, ops, the fan-out and the socket call these
//! functions and never write SQL themselves.
//!
//! [`Store`] is the boundary: one trait per resource, all of them together, implemented
//! here for a SQLite connection, each trait in its own file. Routes, ops, the
//! fan-out and the socket only see `&dyn Store` (from [`Db::read`], [`Db::write`]), so a
//! second backend (PostgreSQL, issue 13) implements the same traits for its own
//! connection and plugs in without touching them.

use crate::error::ApiResult;
use parley_domain::WireName;
use rusqlite::{Connection, OptionalExtension, params};
use serde::de::DeserializeOwned;

mod calls;
mod contacts;
mod conversations;
mod custom_inboxes;
pub mod db;
mod events;
pub mod fixture;
mod messages;
mod notes;
pub mod pg;
pub mod reports;
pub(crate) mod rules;
mod sessions;
mod workspace;

pub use calls::*;
pub use contacts::*;
pub use conversations::*;
pub use custom_inboxes::*;
pub use events::*;
pub use messages::*;
pub use notes::*;
pub use rules::RuleStore;
pub use sessions::*;
pub use workspace::*;

/// The text form of a serde unit enum (`"whatsapp"`, `"self"`…), as stored in SQLite.
/// How a unit enum is stored: its wire name.
pub fn enum_str<T: WireName>(v: &T) -> &'static str {
    v.wire_name()
}

/// A stored unit enum; an unknown name is a conversion error, never a panic.
pub fn parse_enum<T: WireName>(s: &str) -> rusqlite::Result<T> {
    T::from_wire_name(s).ok_or_else(|| {
        let unknown = format!("unknown {} {s:?}", std::any::type_name::<T>().rsplit("::").next().unwrap_or("name"));
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, unknown.into())
    })
}

pub(crate) fn parse_json<T: DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

/// The workspace-wide values (sequence numbers, settings) part of [`Store`].
pub trait MetaStore {
    fn meta(&self, key: &str) -> ApiResult<Option<String>>;
    fn set_meta(&self, key: &str, value: &str) -> ApiResult<()>;
    /// The last sequence number handed out.
    fn current_seq(&self) -> ApiResult<u64>;
    /// Events at or below this seq were pruned: resuming from before it needs a resync.
    fn pruned_through(&self) -> ApiResult<u64>;
    /// Whether a row with this id exists in `table` (one of the schema's own table names).
    fn exists(&self, table: &str, id: &str) -> ApiResult<bool>;
}

impl MetaStore for Connection {
    fn meta(&self, key: &str) -> ApiResult<Option<String>> {
        Ok(self.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }
    fn set_meta(&self, key: &str, value: &str) -> ApiResult<()> {
        self.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
    fn current_seq(&self) -> ApiResult<u64> {
        Ok(self.meta("seq")?.and_then(|s| s.parse().ok()).unwrap_or(0))
    }
    fn pruned_through(&self) -> ApiResult<u64> {
        Ok(self.meta("pruned_through")?.and_then(|s| s.parse().ok()).unwrap_or(0))
    }
    fn exists(&self, table: &str, id: &str) -> ApiResult<bool> {
        debug_assert!(table.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "a table name, not input");
        Ok(self.query_row(&format!("SELECT EXISTS(SELECT 1 FROM {table} WHERE id = ?1)"), [id], |r| r.get(0))?)
    }
}

/// Everything the server reads and writes, whatever the database.
pub trait Store:
    MetaStore
    + WorkspaceStore
    + SessionStore
    + ContactStore
    + ConversationStore
    + MessageStore
    + NoteStore
    + CallStore
    + CustomInboxStore
    + EventStore
    + reports::ReportStore
    + RuleStore
{
}

impl<T> Store for T where
    T: MetaStore
        + WorkspaceStore
        + SessionStore
        + ContactStore
        + ConversationStore
        + MessageStore
        + NoteStore
        + CallStore
        + CustomInboxStore
        + EventStore
        + reports::ReportStore
        + RuleStore
{
}

#[cfg(test)]
mod tests {
    use parley_domain::{DeliveryState, Status};

    use super::*;

    #[test]
    fn enums_are_stored_by_name_and_an_unknown_name_is_an_error_not_a_panic() {
        assert_eq!(enum_str(&Status::Snoozed), "snoozed");
        assert_eq!(parse_enum::<DeliveryState>("read").unwrap(), DeliveryState::Read);
        let error = parse_enum::<Status>("archived").unwrap_err().to_string();
        assert!(error.contains("unknown Status \"archived\""), "{error}");
    }
}
