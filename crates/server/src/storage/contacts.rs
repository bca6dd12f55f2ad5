//! Contacts.

use crate::error::ApiResult;
use parley_domain::{Contact, ContactId, ConversationId, UserId};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::*;

/// The columns `contact_from_row` reads.
pub(crate) const CONTACT_COLUMNS: &str =
    "id, name, phone, email, country, language, assignee, blocked, channels, online, tags, attributes";

pub(crate) fn contact_from_row(r: &Row<'_>) -> rusqlite::Result<Contact> {
    Ok(Contact {
        id: ContactId(r.get("id")?),
        name: r.get("name")?,
        phone: r.get("phone")?,
        email: r.get("email")?,
        country: r.get("country")?,
        language: r.get("language")?,
        assignee: r.get::<_, Option<String>>("assignee")?.map(UserId),
        blocked: r.get("blocked")?,
        channels: parse_json(&r.get::<_, String>("channels")?)?,
        online: r.get("online")?,
        tags: parse_json(&r.get::<_, String>("tags")?)?,
        attributes: parse_json(&r.get::<_, String>("attributes")?)?,
    })
}

pub fn contacts(conn: &Connection) -> ApiResult<Vec<Contact>> {
    let mut stmt = conn.prepare(&format!("SELECT {CONTACT_COLUMNS} FROM contacts ORDER BY name, id"))?;
    let rows = stmt.query_map([], contact_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn contact(conn: &Connection, id: &ContactId) -> ApiResult<Option<Contact>> {
    Ok(conn
        .query_row(&format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = ?1"), [id.as_str()], contact_from_row)
        .optional()?)
}

/// The contact's values in the reference server's local CRM, by field key.
pub fn crm_values(conn: &Connection, contact: &ContactId) -> ApiResult<std::collections::HashMap<String, String>> {
    let mut stmt = conn.prepare_cached("SELECT key, value FROM crm_values WHERE contact_id = ?1")?;
    let rows = stmt.query_map([contact.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets (or, with `None`, clears) one CRM value of a contact.
pub fn set_crm_value(tx: &Connection, contact: &ContactId, key: &str, value: Option<&str>) -> ApiResult<()> {
    match value {
        Some(v) => tx.execute(
            "INSERT INTO crm_values (contact_id, key, value) VALUES (?1, ?2, ?3)
             ON CONFLICT(contact_id, key) DO UPDATE SET value = excluded.value",
            params![contact.as_str(), key, v],
        )?,
        None => {
            tx.execute("DELETE FROM crm_values WHERE contact_id = ?1 AND key = ?2", params![contact.as_str(), key])?
        }
    };
    Ok(())
}

/// The ids of every conversation of a contact, least recently active first.
pub fn conversations_of(conn: &Connection, contact: &ContactId) -> ApiResult<Vec<ConversationId>> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM conversations WHERE contact_id = ?1 ORDER BY last_activity_at")?;
    let rows = stmt.query_map([contact.as_str()], |r| Ok(ConversationId(r.get(0)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The contact's conversation in progress (at most one is not closed).
pub fn open_conversation_of(conn: &Connection, contact: &ContactId) -> ApiResult<Option<ConversationId>> {
    Ok(conn
        .query_row(
            "SELECT id FROM conversations WHERE contact_id = ?1 AND status != 'closed'",
            [contact.as_str()],
            |r| Ok(ConversationId(r.get(0)?)),
        )
        .optional()?)
}

/// The contact's most recently active conversation.
pub fn latest_conversation_of(conn: &Connection, contact: &ContactId) -> ApiResult<Option<ConversationId>> {
    Ok(conn
        .query_row(
            "SELECT id FROM conversations WHERE contact_id = ?1 ORDER BY last_activity_at DESC LIMIT 1",
            [contact.as_str()],
            |r| Ok(ConversationId(r.get(0)?)),
        )
        .optional()?)
}
