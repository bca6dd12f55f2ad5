//! Internal notes: added by anyone who sees the conversation, edited or deleted by their author.

use crate::error::{ApiError, ApiResult};
use parley_domain::User;
use parley_domain::wire::{ConversationSummary, EventKind, Note};

use super::*;
use crate::storage::Store;

fn validate_note(text: &str) -> ApiResult<&str> {
    check_text(text.trim_start(), false).map_err(|problem| text_refused("the note", problem))
}

pub fn add_note(
    tx: &dyn Store,
    user: &User,
    conversation: &ConversationSummary,
    text: &str,
    now: i64,
) -> ApiResult<(Note, u64)> {
    let text = validate_note(text)?;
    let seq = tx.next_seq()?;
    let id = format!("n-{seq}");
    tx.insert_note(&id, &conversation.id, &user.id, text, now)?;
    let note = tx.note(&id)?.expect("just inserted");
    tx.record(seq, now, &[conversation.assigned()], &EventKind::NoteCreated { note: note.clone() })?;
    Ok((note, seq))
}

/// A note the user may change: theirs, in a conversation they may see.
fn own_note(tx: &dyn Store, user: &User, id: &str) -> ApiResult<(Note, ConversationSummary)> {
    let note = tx.note(id)?.ok_or_else(|| ApiError::not_found("note", id))?;
    let conversation = crate::access::visible_conversation(tx, user, &note.conversation)
        .map_err(|_| ApiError::not_found("note", id))?;
    if note.author != user.id {
        return Err(ApiError::Forbidden("only the author can change or delete a note".into()));
    }
    Ok((note, conversation))
}

pub fn edit_note(tx: &dyn Store, user: &User, id: &str, text: &str, now: i64) -> ApiResult<(Note, u64)> {
    let text = validate_note(text)?;
    let (_, conversation) = own_note(tx, user, id)?;
    let seq = tx.next_seq()?;
    tx.edit_note(id, text, now)?;
    let note = tx.note(id)?.expect("exists");
    tx.record(seq, now, &[conversation.assigned()], &EventKind::NoteUpdated { note: note.clone() })?;
    Ok((note, seq))
}

pub fn delete_note(tx: &dyn Store, user: &User, id: &str, now: i64) -> ApiResult<u64> {
    let (note, conversation) = own_note(tx, user, id)?;
    let seq = tx.next_seq()?;
    tx.delete_note(id)?;
    tx.record(
        seq,
        now,
        &[conversation.assigned()],
        &EventKind::NoteDeleted { conversation: conversation.id.clone(), note: note.id },
    )?;
    Ok(seq)
}
