//! Internal notes and the audit trail (activities).

use super::conn::{OptionalExtension, PgConn as Connection, Row, params, parse_json};
use crate::error::ApiResult;
use parley_domain::wire::{Activity, ActivityKind, Actor, Note};
use parley_domain::{ConversationId, Timestamp, UserId};

use crate::storage::*;

fn note_from_row(r: &Row<'_>) -> super::conn::Result<Note> {
    Ok(Note {
        id: parley_domain::NoteId(r.get("id")?),
        conversation: ConversationId(r.get("conversation_id")?),
        author: UserId(r.get("author")?),
        author_name: r.get("author_name")?,
        text: r.get("text")?,
        at: Timestamp(r.get("at")?),
        edited_at: r.get::<_, Option<i64>>("edited_at")?.map(Timestamp),
    })
}

impl NoteStore for Connection {
    fn notes(&self, conversation: &ConversationId) -> ApiResult<Vec<Note>> {
        let mut stmt = self.prepare_cached(&format!("{NOTE_SQL} WHERE n.conversation_id = ?1 ORDER BY n.seq"))?;
        let rows = stmt.query_map([conversation.as_str()], note_from_row)?;
        Ok(rows.collect::<super::conn::Result<_>>()?)
    }
    fn note(&self, id: &str) -> ApiResult<Option<Note>> {
        Ok(self.query_row(&format!("{NOTE_SQL} WHERE n.id = ?1"), [id], note_from_row).optional()?)
    }
    fn activities(&self, conversation: &ConversationId) -> ApiResult<Vec<Activity>> {
        let mut stmt = self.prepare_cached(
            "SELECT id, conversation_id, actor_id, actor_name, at, detail FROM activities WHERE conversation_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([conversation.as_str()], |r| {
            Ok(Activity {
                id: parley_domain::ActivityId(r.get(0)?),
                conversation: ConversationId(r.get(1)?),
                actor: Actor { id: r.get::<_, Option<String>>(2)?.map(UserId), name: r.get(3)? },
                at: Timestamp(r.get(4)?),
                kind: parse_json::<ActivityKind>(&r.get::<_, String>(5)?)?,
            })
        })?;
        Ok(rows.collect::<super::conn::Result<_>>()?)
    }
    fn insert_activity(&self, a: &Activity) -> ApiResult<()> {
        let detail = serde_json::to_string(&a.kind).expect("activities serialise");
        self.execute(
            "INSERT INTO activities (id, conversation_id, actor_id, actor_name, at, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![a.id.as_str(), a.conversation.as_str(), a.actor.id.as_ref().map(UserId::as_str), a.actor.name, a.at.0, detail],
        )?;
        Ok(())
    }
    fn insert_note(
        &self,
        id: &str,
        conversation: &ConversationId,
        author: &UserId,
        text: &str,
        now: i64,
    ) -> ApiResult<()> {
        self.execute(
            "INSERT INTO notes (id, conversation_id, author, text, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, conversation.as_str(), author.as_str(), text, now],
        )?;
        Ok(())
    }
    fn edit_note(&self, id: &str, text: &str, now: i64) -> ApiResult<()> {
        self.execute("UPDATE notes SET text = ?2, edited_at = ?3 WHERE id = ?1", params![id, text, now])?;
        Ok(())
    }
    fn delete_note(&self, id: &str) -> ApiResult<()> {
        self.execute("DELETE FROM notes WHERE id = ?1", [id])?;
        Ok(())
    }
}
