//! Contact changes that every conversation of the contact reflects: details, blocking,
//! merging two contacts, a web-chat visitor's presence.

use crate::error::{ApiError, ApiResult};
use crate::storage::{self};
use parley_domain::contact_fields::{merge_attributes, merge_tags};
use parley_domain::lifecycle::Transition;
use parley_domain::wire::Actor;
use parley_domain::{Contact, ContactId, UserId};
use rusqlite::{Connection, params};

use super::*;

/// A web-chat visitor arrived on or left the page: the contact and its conversations
/// change (the list shows an online dot; the composer picks the reply channel).
pub fn set_online(tx: &Connection, contact_id: &ContactId, online: bool, now: i64) -> ApiResult<u64> {
    storage::contact(tx, contact_id)?.ok_or_else(|| ApiError::not_found("contact", contact_id))?;
    tx.execute("UPDATE contacts SET online = ?2 WHERE id = ?1", params![contact_id.as_str(), online])?;
    announce_contact(tx, contact_id, now, None)
}

/// Edits a contact's details; every field is validated before anything is written, and
/// the error names the field.
pub fn edit_contact(
    tx: &Connection,
    contact_id: &ContactId,
    patch: &parley_domain::wire::ContactPatch,
    now: i64,
) -> ApiResult<(Contact, u64)> {
    use parley_domain::contact_fields as f;
    type Check = fn(&str) -> Result<String, f::FieldError>;
    let optional = |raw: &Option<String>, check: Check, field: &str| {
        raw.as_deref()
            .map(|v| if v.trim().is_empty() { Ok(None) } else { check(v).map(Some) })
            .transpose()
            .map_err(|e| ApiError::BadRequest(format!("{field}: {e}")))
    };
    let name = patch
        .name
        .as_deref()
        .map(f::normalize_name)
        .transpose()
        .map_err(|e| ApiError::BadRequest(format!("name: {e}")))?;
    let phone = optional(&patch.phone, f::normalize_phone, "phone")?;
    let email = optional(&patch.email, f::normalize_email, "email")?;
    let country = optional(&patch.country, f::normalize_country, "country")?;
    let language = optional(&patch.language, f::normalize_language, "language")?;
    let tags = patch
        .tags
        .as_deref()
        .map(f::normalize_tags)
        .transpose()
        .map_err(|e| ApiError::BadRequest(format!("tags: {e}")))?;
    let attributes = patch
        .attributes
        .as_ref()
        .map(|a| f::normalize_attributes(a.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
        .transpose()
        .map_err(|e| ApiError::BadRequest(format!("attributes: {e}")))?;
    if let Some(name) = name {
        tx.execute("UPDATE contacts SET name = ?2 WHERE id = ?1", params![contact_id.as_str(), name])?;
    }
    // Column names are fixed here, never from the request.
    let tags = tags.map(|t| Some(serde_json::to_string(&t).expect("serialisable")));
    let attributes = attributes.map(|a| Some(serde_json::to_string(&a).expect("serialisable")));
    for (column, value) in [
        ("phone", phone),
        ("email", email),
        ("country", country),
        ("language", language),
        ("tags", tags),
        ("attributes", attributes),
    ] {
        if let Some(value) = value {
            tx.execute(
                &format!("UPDATE contacts SET {column} = ?2 WHERE id = ?1"),
                params![contact_id.as_str(), value],
            )?;
        }
    }
    let seq = announce_contact(tx, contact_id, now, None)?;
    Ok((storage::contact(tx, contact_id)?.expect("exists"), seq))
}

/// Blocks or unblocks a contact: its conversations leave (or return to) the standard and
/// team inboxes.
pub fn set_blocked(tx: &Connection, contact_id: &ContactId, blocked: bool, now: i64) -> ApiResult<(Contact, u64)> {
    tx.execute("UPDATE contacts SET blocked = ?2 WHERE id = ?1", params![contact_id.as_str(), blocked])?;
    let seq = announce_contact(tx, contact_id, now, None)?;
    Ok((storage::contact(tx, contact_id)?.expect("exists"), seq))
}

/// Merges `secondary` into `primary`: the primary keeps its id and fields (filling the
/// ones it lacks, gaining the secondary's tags and the attributes it lacks), the secondary's open conversation closes with a note saying where it
/// went, its whole history moves to the primary, and the secondary is removed — all in
/// one transaction. Returns the primary and the last seq.
pub fn merge_contacts(
    tx: &Connection,
    actor: &Actor,
    primary_id: &ContactId,
    secondary_id: &ContactId,
    now: i64,
) -> ApiResult<(Contact, u64)> {
    if primary_id == secondary_id {
        return Err(ApiError::BadRequest("a contact cannot be merged into itself".into()));
    }
    let primary = storage::contact(tx, primary_id)?.ok_or_else(|| ApiError::not_found("contact", primary_id))?;
    let secondary = storage::contact(tx, secondary_id)?.ok_or_else(|| ApiError::not_found("contact", secondary_id))?;
    if let Some(open) = open_conversation_of(tx, secondary_id)? {
        let summary = storage::summary_required(tx, &open)?;
        let close = Transition::Close {
            note: Some(format!("Merged into {} ({})", primary.name, primary.id)),
            reason: Some("merged".into()),
        };
        change_status(tx, actor, &summary, &close, now)?;
    }
    let mut channels = primary.channels.clone();
    channels.extend(secondary.channels.iter().filter(|c| !primary.channels.contains(c)).cloned());
    tx.execute(
        "UPDATE contacts SET phone = COALESCE(phone, ?2), email = COALESCE(email, ?3), country = COALESCE(country, ?4),
         language = COALESCE(language, ?5), assignee = COALESCE(assignee, ?6), channels = ?7, tags = ?8,
         attributes = ?9 WHERE id = ?1",
        params![
            primary_id.as_str(),
            secondary.phone,
            secondary.email,
            secondary.country,
            secondary.language,
            secondary.assignee.as_ref().map(UserId::as_str),
            serde_json::to_string(&channels).expect("serialisable"),
            serde_json::to_string(&merge_tags(&primary.tags, &secondary.tags)).expect("serialisable"),
            serde_json::to_string(&merge_attributes(&primary.attributes, &secondary.attributes)).expect("serialisable"),
        ],
    )?;
    tx.execute(
        "UPDATE conversations SET contact_id = ?1 WHERE contact_id = ?2",
        params![primary_id.as_str(), secondary_id.as_str()],
    )?;
    tx.execute("DELETE FROM contacts WHERE id = ?1", [secondary_id.as_str()])?;
    tracing::info!(primary = %primary_id, secondary = %secondary_id, by = %actor.name, "contacts merged");
    let seq = announce_contact(tx, primary_id, now, None)?;
    Ok((storage::contact(tx, primary_id)?.expect("exists"), seq))
}
