//! Contact changes that every conversation of the contact reflects: details, blocking,
//! merging two contacts, a web-chat visitor's presence.

use crate::error::{ApiError, ApiResult};
use crate::storage::{self};
use parley_domain::contact_fields::{merge_attributes, merge_tags};
use parley_domain::lifecycle::Transition;
use parley_domain::wire::Actor;
use parley_domain::{Contact, ContactId};

use super::*;
use crate::storage::Store;

/// A web-chat visitor arrived on or left the page: the contact and its conversations
/// change (the list shows an online dot; the composer picks the reply channel).
pub fn set_online(tx: &dyn Store, contact_id: &ContactId, online: bool, now: i64) -> ApiResult<u64> {
    tx.contact(contact_id)?.ok_or_else(|| ApiError::not_found("contact", contact_id))?;
    tx.set_online(contact_id, online)?;
    announce_contact(tx, contact_id, now, None)
}

/// Edits a contact's details; every field is validated before anything is written, and
/// the error names the field.
pub fn edit_contact(
    tx: &dyn Store,
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
    let edit = storage::ContactEdit { name, phone, email, country, language, tags, attributes };
    tx.edit_contact(contact_id, edit)?;
    storage::index_contact(tx, contact_id)?;
    let seq = announce_contact(tx, contact_id, now, None)?;
    Ok((tx.contact(contact_id)?.expect("exists"), seq))
}

/// Blocks or unblocks a contact: its conversations leave (or return to) the standard and
/// team inboxes.
pub fn set_blocked(tx: &dyn Store, contact_id: &ContactId, blocked: bool, now: i64) -> ApiResult<(Contact, u64)> {
    tx.set_blocked(contact_id, blocked)?;
    let first = tx.current_seq()? + 1;
    let seq = announce_contact(tx, contact_id, now, None)?;
    // Everyone who saw the contact learns it is blocked (their lists drop it); after
    // this, its events reach `view_blocked` holders only.
    tx.reveal(first, seq)?;
    Ok((tx.contact(contact_id)?.expect("exists"), seq))
}

/// Merges `secondary` into `primary`: the primary keeps its id and fields (filling the
/// ones it lacks, gaining the secondary's tags and the attributes it lacks), the secondary's open conversation closes with a note saying where it
/// went, its whole history moves to the primary, and the secondary is removed — all in
/// one transaction. Returns the primary and the last seq.
pub fn merge_contacts(
    tx: &dyn Store,
    actor: &Actor,
    primary_id: &ContactId,
    secondary_id: &ContactId,
    now: i64,
) -> ApiResult<(Contact, u64)> {
    if primary_id == secondary_id {
        return Err(ApiError::BadRequest("a contact cannot be merged into itself".into()));
    }
    let primary = tx.contact(primary_id)?.ok_or_else(|| ApiError::not_found("contact", primary_id))?;
    let secondary = tx.contact(secondary_id)?.ok_or_else(|| ApiError::not_found("contact", secondary_id))?;
    if let Some(open) = tx.open_conversation_of(secondary_id)? {
        let summary = tx.summary_required(&open)?;
        let close = Transition::Close {
            note: Some(format!("Merged into {} ({})", primary.name, primary.id)),
            reason: Some("merged".into()),
        };
        record_status(tx, actor, &summary, &close, now)?;
    }
    let mut channels = primary.channels.clone();
    channels.extend(secondary.channels.iter().filter(|c| !primary.channels.contains(c)).cloned());
    let tags = merge_tags(&primary.tags, &secondary.tags);
    let attributes = merge_attributes(&primary.attributes, &secondary.attributes);
    tx.merge_contacts(primary_id, &secondary, &channels, &tags, &attributes)?;
    storage::index_contact(tx, primary_id)?;
    tracing::info!(primary = %primary_id, secondary = %secondary_id, by = %actor.name, "contacts merged");
    let seq = announce_contact(tx, primary_id, now, None)?;
    Ok((tx.contact(primary_id)?.expect("exists"), seq))
}
