//! Queries: rows in, domain types out. Every read the handlers and the socket make goes
//! through here, so the SQL lives in one place.

use parley_domain::inbox::{Assignees, Facts, Scope};
use parley_domain::sla::SlaTargets;
use parley_domain::wire::{
    Activity, ActivityKind, Actor, ChannelRef, ContactRef, ConversationSummary, Event, EventKind, Member, Note,
    Preview, SlaFacts, Workspace,
};
use parley_domain::{
    Channel, ChannelId, ChannelKind, Contact, ContactId, ConversationId, Directory, Message, MessageId, Sender, Team,
    Timestamp, User, UserId,
};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiResult};

/// The text form of a serde unit enum (`"whatsapp"`, `"self"`…), as stored in SQLite.
pub fn enum_str<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        other => panic!("not a unit enum: {other:?}"),
    }
}

pub fn parse_enum<T: DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

fn parse_json<T: DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

fn user_from_row(conn: &Connection, r: &Row<'_>) -> rusqlite::Result<User> {
    let id: String = r.get("id")?;
    let teams = conn
        .prepare_cached(
            "SELECT m.team_id FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.user_id = ?1 ORDER BY t.position",
        )?
        .query_map([&id], |r| Ok(r.get::<_, String>(0)?.as_str().into()))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(User {
        id: UserId(id),
        name: r.get("name")?,
        email: r.get("email")?,
        role: parse_enum(&r.get::<_, String>("role")?)?,
        restriction: parse_enum(&r.get::<_, String>("restriction")?)?,
        teams,
        permissions: parse_json(&r.get::<_, String>("permissions")?)?,
        availability: parse_enum(&r.get::<_, String>("availability")?)?,
    })
}

const USER_COLUMNS: &str = "id, name, email, role, restriction, permissions, availability";

pub fn user(conn: &Connection, id: &UserId) -> ApiResult<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1");
    Ok(conn.query_row(&sql, [id.as_str()], |r| user_from_row(conn, r)).optional()?)
}

pub fn users(conn: &Connection) -> ApiResult<Vec<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY name, id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| user_from_row(conn, r))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn teams(conn: &Connection) -> ApiResult<Vec<Team>> {
    let mut stmt = conn.prepare("SELECT id, name FROM teams ORDER BY position")?;
    let rows = stmt.query_map([], |r| Ok(Team { id: r.get::<_, String>(0)?.as_str().into(), name: r.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn channels(conn: &Connection) -> ApiResult<Vec<Channel>> {
    let mut stmt = conn.prepare("SELECT id, kind, name FROM channels ORDER BY position")?;
    let rows = stmt.query_map([], |r| {
        Ok(Channel {
            id: r.get::<_, String>(0)?.as_str().into(),
            kind: parse_enum(&r.get::<_, String>(1)?)?,
            name: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn workspace(conn: &Connection) -> ApiResult<Workspace> {
    let members =
        users(conn)?.into_iter().map(|u| Member { id: u.id, name: u.name, role: u.role, teams: u.teams }).collect();
    Ok(Workspace { teams: teams(conn)?, members, channels: channels(conn)?, sla: sla_targets(conn)? })
}

/// Teams and memberships, in three queries whatever the number of users (every request
/// that checks visibility reads it).
pub fn directory(conn: &Connection) -> ApiResult<Directory> {
    let mut members: std::collections::HashMap<UserId, Vec<parley_domain::TeamId>> = conn
        .prepare_cached("SELECT id FROM users")?
        .query_map([], |r| Ok((UserId(r.get(0)?), Vec::new())))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached("SELECT user_id, team_id FROM team_members")?;
    for row in stmt.query_map([], |r| Ok((UserId(r.get(0)?), r.get::<_, String>(1)?)))? {
        let (user, team) = row?;
        members.entry(user).or_default().push(team.as_str().into());
    }
    Ok(Directory::new(teams(conn)?, members.iter().map(|(u, t)| (u, t.as_slice()))))
}

/// The columns `contact_from_row` reads.
const CONTACT_COLUMNS: &str =
    "id, name, phone, email, country, language, assignee, blocked, channels, online, tags, attributes";

fn contact_from_row(r: &Row<'_>) -> rusqlite::Result<Contact> {
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

const SUMMARY_SELECT: &str = "
SELECT c.id, c.status, c.last_activity_at, c.unread, c.version,
       k.id, k.name, k.blocked, k.assignee,
       ch.id, ch.kind, ch.name,
       m.direction, m.text, m.at,
       c.snoozed_until, c.awaiting_since, c.replied_before,
       (SELECT MAX(at) FROM messages WHERE conversation_id = c.id AND direction = 'incoming'),
       k.online
FROM conversations c
JOIN contacts k ON k.id = c.contact_id
JOIN channels ch ON ch.id = c.channel_id
LEFT JOIN messages m ON m.seq = (SELECT MAX(seq) FROM messages WHERE conversation_id = c.id)";

pub fn summary(conn: &Connection, id: &ConversationId) -> ApiResult<Option<ConversationSummary>> {
    let mut stmt = conn.prepare_cached(&format!("{SUMMARY_SELECT} WHERE c.id = ?1"))?;
    Ok(stmt.query_row([id.as_str()], summary_from_row).optional()?)
}

/// The summaries of `ids`, in that order (ids that do not exist are skipped), in one query.
pub fn summaries(conn: &Connection, ids: &[ConversationId]) -> ApiResult<Vec<ConversationSummary>> {
    let json = serde_json::to_string(ids).expect("ids serialise");
    let mut stmt = conn.prepare_cached(&format!("{SUMMARY_SELECT} WHERE c.id IN (SELECT value FROM json_each(?1))"))?;
    let mut found: std::collections::HashMap<ConversationId, ConversationSummary> = stmt
        .query_map([json], summary_from_row)?
        .map(|r| r.map(|s| (s.id.clone(), s)))
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// Every conversation's summary, latest activity first, in one query.
pub fn all_summaries(conn: &Connection) -> ApiResult<Vec<ConversationSummary>> {
    let mut stmt = conn.prepare_cached(&format!("{SUMMARY_SELECT} ORDER BY c.last_activity_at DESC, c.id DESC"))?;
    Ok(stmt.query_map([], summary_from_row)?.collect::<rusqlite::Result<_>>()?)
}

fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<ConversationSummary> {
    let last_message = match r.get::<_, Option<String>>(12)? {
        Some(direction) => {
            Some(Preview { direction: parse_enum(&direction)?, text: r.get(13)?, at: Timestamp(r.get(14)?) })
        }
        None => None,
    };
    Ok(ConversationSummary {
        id: ConversationId(r.get(0)?),
        status: parse_enum(&r.get::<_, String>(1)?)?,
        last_activity_at: Timestamp(r.get(2)?),
        unread: r.get(3)?,
        version: r.get(4)?,
        contact: ContactRef { id: ContactId(r.get(5)?), name: r.get(6)?, blocked: r.get(7)?, online: r.get(19)? },
        assignee: r.get::<_, Option<String>>(8)?.map(UserId),
        channel: ChannelRef { id: ChannelId(r.get(9)?), kind: parse_enum(&r.get::<_, String>(10)?)?, name: r.get(11)? },
        last_message,
        snoozed_until: r.get::<_, Option<i64>>(15)?.map(Timestamp),
        sla: SlaFacts {
            awaiting_since: r.get::<_, Option<i64>>(16)?.map(Timestamp),
            replied_before: r.get(17)?,
            last_incoming_at: r.get::<_, Option<i64>>(18)?.map(Timestamp),
        },
    })
}

pub fn summary_required(conn: &Connection, id: &ConversationId) -> ApiResult<ConversationSummary> {
    summary(conn, id)?.ok_or_else(|| ApiError::not_found("conversation", id))
}

/// One row per conversation with what listing and counting need, seen by `user`.
#[derive(Clone, Debug)]
pub struct ConversationRow {
    pub id: ConversationId,
    pub status: parley_domain::Status,
    pub last_activity_at: Timestamp,
    pub last_incoming_seq: u64,
    pub facts: Facts,
}

pub fn conversation_rows(conn: &Connection, user: &UserId) -> ApiResult<Vec<ConversationRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.status, c.last_activity_at, c.last_incoming_seq, k.assignee, k.blocked, a.seq
         FROM conversations c
         JOIN contacts k ON k.id = c.contact_id
         LEFT JOIN acks a ON a.conversation_id = c.id AND a.user_id = ?1",
    )?;
    let rows = stmt.query_map([user.as_str()], |r| {
        let status: parley_domain::Status = parse_enum(&r.get::<_, String>(1)?)?;
        let last_incoming_seq: u64 = r.get(3)?;
        let acked: Option<u64> = r.get(6)?;
        Ok(ConversationRow {
            id: ConversationId(r.get(0)?),
            status,
            last_activity_at: Timestamp(r.get(2)?),
            last_incoming_seq,
            facts: Facts {
                assignee: r.get::<_, Option<String>>(4)?.map(UserId),
                blocked: r.get(5)?,
                open: status.is_open(),
                unseen: last_incoming_seq > acked.unwrap_or(0),
            },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A conversation list's condition: an inbox's [`Scope`] for the user, the statuses the
/// status filter keeps and the assignee filter (`Some(None)`: unassigned only).
#[derive(Clone, Debug)]
pub struct ListFilter {
    pub scope: Scope,
    pub statuses: Vec<parley_domain::Status>,
    pub assignee: Option<Option<UserId>>,
}

impl ListFilter {
    /// The `WHERE` clause over `conversations c JOIN contacts k`, and its parameters.
    fn sql(&self) -> (String, Vec<SqlValue>) {
        let mut clauses = vec!["k.blocked = ?".to_owned()];
        let mut params = vec![SqlValue::from(self.scope.blocked)];
        let statuses: Vec<&str> = self.statuses.iter().map(|s| s.as_str()).collect();
        clauses.push("c.status IN (SELECT value FROM json_each(?))".into());
        params.push(SqlValue::from(serde_json::to_string(&statuses).expect("strings serialise")));
        if let Assignees::Only(set) = &self.scope.assignees {
            let users: Vec<&str> = set.iter().flatten().map(UserId::as_str).collect();
            let unassigned = set.iter().any(Option::is_none);
            let mut any = Vec::new();
            if !users.is_empty() {
                any.push("k.assignee IN (SELECT value FROM json_each(?))");
                params.push(SqlValue::from(serde_json::to_string(&users).expect("strings serialise")));
            }
            if unassigned {
                any.push("k.assignee IS NULL");
            }
            clauses.push(if any.is_empty() { "0".into() } else { format!("({})", any.join(" OR ")) });
        }
        match &self.assignee {
            None => {}
            Some(None) => clauses.push("k.assignee IS NULL".into()),
            Some(Some(user)) => {
                clauses.push("k.assignee = ?".into());
                params.push(SqlValue::from(user.as_str().to_owned()));
            }
        }
        (clauses.join(" AND "), params)
    }
}

/// One page of a conversation list after the keyset `cursor` (last activity, id of the
/// previous page's last item), newest or oldest activity first, and the next cursor.
/// Indexed: the database walks `conversations_activity` from the cursor.
pub fn conversation_page(
    conn: &Connection,
    filter: &ListFilter,
    newest_first: bool,
    cursor: Option<(Timestamp, String)>,
    limit: usize,
) -> ApiResult<(Vec<ConversationSummary>, Option<(Timestamp, ConversationId)>)> {
    let (mut clause, mut params) = filter.sql();
    let (cmp, dir) = if newest_first { ("<", "DESC") } else { (">", "ASC") };
    if let Some((at, id)) = cursor {
        clause.push_str(&format!(" AND (c.last_activity_at, c.id) {cmp} (?, ?)"));
        params.push(SqlValue::from(at.0));
        params.push(SqlValue::from(id));
    }
    params.push(SqlValue::from(limit as i64 + 1));
    let sql = format!(
        "SELECT c.id, c.last_activity_at FROM conversations c JOIN contacts k ON k.id = c.contact_id
         WHERE {clause} ORDER BY c.last_activity_at {dir}, c.id {dir} LIMIT ?"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows: Vec<(ConversationId, Timestamp)> = stmt
        .query_map(rusqlite::params_from_iter(params), |r| Ok((ConversationId(r.get(0)?), Timestamp(r.get(1)?))))?
        .collect::<rusqlite::Result<_>>()?;
    let next = (rows.len() > limit).then(|| {
        rows.truncate(limit);
        let (id, at) = rows.last().expect("limit is at least 1").clone();
        (at, id)
    });
    let ids: Vec<ConversationId> = rows.into_iter().map(|(id, _)| id).collect();
    Ok((summaries(conn, &ids)?, next))
}

/// How many conversations of the list each assignee has (`None`: unassigned).
pub fn assignee_counts(conn: &Connection, filter: &ListFilter) -> ApiResult<Vec<(Option<UserId>, u32)>> {
    let (clause, params) = filter.sql();
    let sql = format!(
        "SELECT k.assignee, COUNT(*) FROM conversations c JOIN contacts k ON k.id = c.contact_id
         WHERE {clause} GROUP BY k.assignee"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
        Ok((r.get::<_, Option<String>>(0)?.map(UserId), r.get::<_, u32>(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The ids of the list's conversations last active before `before`.
pub fn quiet_conversations(conn: &Connection, filter: &ListFilter, before: i64) -> ApiResult<Vec<ConversationId>> {
    let (clause, mut params) = filter.sql();
    params.push(SqlValue::from(before));
    let sql = format!(
        "SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id
         WHERE {clause} AND c.last_activity_at < ? ORDER BY c.last_activity_at, c.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| Ok(ConversationId(r.get(0)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn message_from_row(r: &Row<'_>) -> rusqlite::Result<Message> {
    Ok(Message {
        id: MessageId(r.get("id")?),
        conversation: ConversationId(r.get("conversation_id")?),
        channel: ChannelId(r.get("channel_id")?),
        direction: parse_enum(&r.get::<_, String>("direction")?)?,
        sender: Sender {
            kind: parse_enum(&r.get::<_, String>("sender_kind")?)?,
            id: r.get("sender_id")?,
            name: r.get("sender_name")?,
        },
        text: r.get("text")?,
        at: Timestamp(r.get("at")?),
        delivery: parse_enum(&r.get::<_, String>("delivery")?)?,
        client_id: r.get("client_id")?,
        attachments: Vec::new(),
    })
}

const MESSAGE_COLUMNS: &str = "seq, id, conversation_id, channel_id, direction, sender_kind, sender_id, sender_name, text, at, delivery, client_id";

/// Messages with `seq < before` (all when `None`), the newest `limit` of them, oldest
/// first; and the cursor for the page before, if any.
pub fn messages(
    conn: &Connection,
    conversation: &ConversationId,
    before: Option<i64>,
    limit: usize,
) -> ApiResult<(Vec<Message>, Option<i64>)> {
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows: Vec<(i64, Message)> = stmt
        .query_map(params![conversation.as_str(), before.unwrap_or(i64::MAX), (limit + 1) as i64], |r| {
            Ok((r.get(0)?, message_from_row(r)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more { rows.last().map(|(seq, _)| *seq) } else { None };
    rows.reverse();
    let mut page: Vec<Message> = rows.into_iter().map(|(_, m)| m).collect();
    fill_attachments(conn, &mut page)?;
    Ok((page, next))
}

pub fn message_by_client_id(
    conn: &Connection,
    conversation: &ConversationId,
    client_id: &str,
) -> ApiResult<Option<Message>> {
    let sql = format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?1 AND client_id = ?2");
    let mut found: Vec<Message> = conn
        .query_row(&sql, params![conversation.as_str(), client_id], message_from_row)
        .optional()?
        .into_iter()
        .collect();
    fill_attachments(conn, &mut found)?;
    Ok(found.pop())
}

pub fn message_by_id(conn: &Connection, id: &MessageId) -> ApiResult<Message> {
    let sql = format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?1");
    Ok(conn.query_row(&sql, [id.as_str()], message_from_row)?)
}

/// Events after `since`, oldest first, at most `limit`.
pub fn events_after(conn: &Connection, since: u64, limit: usize) -> ApiResult<Vec<(Event, Vec<Option<UserId>>)>> {
    let mut stmt =
        conn.prepare_cached("SELECT seq, audience, payload FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
    let rows = stmt.query_map(params![since as i64, limit as i64], |r| {
        let seq: u64 = r.get(0)?;
        let audience: Vec<Option<UserId>> = parse_json(&r.get::<_, String>(1)?)?;
        let kind: EventKind = parse_json(&r.get::<_, String>(2)?)?;
        Ok((Event { seq, kind }, audience))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn meta(conn: &Connection, key: &str) -> ApiResult<Option<String>> {
    Ok(conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

pub fn set_meta(conn: &Connection, key: &str, value: &str) -> ApiResult<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// The last sequence number handed out.
pub fn current_seq(conn: &Connection) -> ApiResult<u64> {
    Ok(meta(conn, "seq")?.and_then(|s| s.parse().ok()).unwrap_or(0))
}

/// Events at or below this seq were pruned: resuming from before it needs a resync.
pub fn pruned_through(conn: &Connection) -> ApiResult<u64> {
    Ok(meta(conn, "pruned_through")?.and_then(|s| s.parse().ok()).unwrap_or(0))
}

/// The workspace SLA targets (fixture `settings.sla`, else the defaults).
pub fn sla_targets(conn: &Connection) -> ApiResult<SlaTargets> {
    Ok(meta(conn, "sla")?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
}

fn note_from_row(r: &Row<'_>) -> rusqlite::Result<Note> {
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

const NOTE_SQL: &str = "SELECT n.id, n.conversation_id, n.author, u.name AS author_name, n.text, n.at, n.edited_at
     FROM notes n JOIN users u ON u.id = n.author";

pub fn notes(conn: &Connection, conversation: &ConversationId) -> ApiResult<Vec<Note>> {
    let mut stmt = conn.prepare_cached(&format!("{NOTE_SQL} WHERE n.conversation_id = ?1 ORDER BY n.seq"))?;
    let rows = stmt.query_map([conversation.as_str()], note_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn note(conn: &Connection, id: &str) -> ApiResult<Option<Note>> {
    Ok(conn.query_row(&format!("{NOTE_SQL} WHERE n.id = ?1"), [id], note_from_row).optional()?)
}

pub fn activities(conn: &Connection, conversation: &ConversationId) -> ApiResult<Vec<Activity>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, conversation_id, actor_id, actor_name, at, detail FROM activities WHERE conversation_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([conversation.as_str()], |r| {
        Ok(Activity {
            id: r.get(0)?,
            conversation: ConversationId(r.get(1)?),
            actor: Actor { id: r.get::<_, Option<String>>(2)?.map(UserId), name: r.get(3)? },
            at: Timestamp(r.get(4)?),
            kind: parse_json::<ActivityKind>(&r.get::<_, String>(5)?)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Workspace switches set by the fixture's `settings`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    /// New conversations of unassigned contacts go to available agents, round robin.
    #[serde(default)]
    pub auto_assign: bool,
    /// Closing a conversation unassigns its contact.
    #[serde(default)]
    pub unassign_on_close: bool,
    /// Calls show callers' numbers masked (`+33 6•• ••• •42`).
    #[serde(default)]
    pub mask_numbers: bool,
}

pub fn settings(conn: &Connection) -> ApiResult<Settings> {
    Ok(meta(conn, "settings")?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
}

pub fn snippets(conn: &Connection) -> ApiResult<Vec<parley_domain::wire::Snippet>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, category, title, text FROM snippets ORDER BY category, title, id")?;
    let rows = stmt.query_map([], |r| {
        Ok(parley_domain::wire::Snippet { id: r.get(0)?, category: r.get(1)?, title: r.get(2)?, text: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn attachment_from_row(r: &Row<'_>) -> rusqlite::Result<parley_domain::Attachment> {
    Ok(parley_domain::Attachment {
        id: r.get("id")?,
        filename: r.get("filename")?,
        content_type: r.get("content_type")?,
        size: r.get("size")?,
        kind: parse_enum(&r.get::<_, String>("kind")?)?,
        duration_ms: r.get("duration_ms")?,
    })
}

/// Loads each message's attachments (one query per message that has any).
pub fn fill_attachments(conn: &Connection, messages: &mut [Message]) -> ApiResult<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, filename, content_type, size, kind, duration_ms FROM attachments WHERE message_id = ?1 ORDER BY created_at, id",
    )?;
    for m in messages {
        m.attachments = stmt.query_map([m.id.as_str()], attachment_from_row)?.collect::<rusqlite::Result<_>>()?;
    }
    Ok(())
}

/// An upload and where it belongs: (attachment, conversation, uploader, message).
pub fn attachment(
    conn: &Connection,
    id: &str,
) -> ApiResult<Option<(parley_domain::Attachment, ConversationId, UserId, Option<String>)>> {
    Ok(conn
        .query_row(
            "SELECT id, filename, content_type, size, kind, duration_ms, conversation_id, uploader, message_id
             FROM attachments WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    attachment_from_row(r)?,
                    ConversationId(r.get("conversation_id")?),
                    UserId(r.get("uploader")?),
                    r.get("message_id")?,
                ))
            },
        )
        .optional()?)
}

const CALL_COLUMNS: &str = "calls.id, calls.contact_id, contacts.name, contacts.assignee, calls.channel_id, \
     channels.kind, calls.direction, calls.state, calls.agent, contacts.phone, calls.started_at, calls.answered_at, \
     calls.ended_at, calls.recording";

/// Calls matching `condition` (SQL over `calls`/`contacts`, with `params`), newest first.
pub fn calls_where(
    conn: &Connection,
    condition: &str,
    params: &[&dyn rusqlite::ToSql],
    limit: u32,
) -> ApiResult<Vec<parley_domain::call::Call>> {
    use parley_domain::CallId;
    use parley_domain::call::Call;
    let mask = settings(conn)?.mask_numbers;
    let sql = format!(
        "SELECT {CALL_COLUMNS} FROM calls JOIN contacts ON contacts.id = calls.contact_id \
         JOIN channels ON channels.id = calls.channel_id WHERE {condition} ORDER BY calls.seq DESC LIMIT {limit}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params, |r| {
        let kind: ChannelKind = parse_enum(&r.get::<_, String>(5)?)?;
        // The caller's number matters on WhatsApp, where it is their identity.
        let phone = r
            .get::<_, Option<String>>(9)?
            .filter(|_| kind == ChannelKind::Whatsapp)
            .map(|p| if mask { parley_domain::call::mask_phone(&p) } else { p });
        Ok(Call {
            id: CallId(r.get(0)?),
            contact: ContactId(r.get(1)?),
            contact_name: r.get(2)?,
            assignee: r.get::<_, Option<String>>(3)?.map(UserId),
            channel: ChannelId(r.get(4)?),
            channel_kind: kind,
            direction: parse_enum(&r.get::<_, String>(6)?)?,
            state: parse_enum(&r.get::<_, String>(7)?)?,
            agent: r.get::<_, Option<String>>(8)?.map(UserId),
            phone,
            started_at: Timestamp(r.get(10)?),
            answered_at: r.get::<_, Option<i64>>(11)?.map(Timestamp),
            ended_at: r.get::<_, Option<i64>>(12)?.map(Timestamp),
            recording: r.get::<_, i64>(13)? != 0,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn call(conn: &Connection, id: &str) -> ApiResult<Option<parley_domain::call::Call>> {
    Ok(calls_where(conn, "calls.id = ?1", &[&id], 1)?.pop())
}
