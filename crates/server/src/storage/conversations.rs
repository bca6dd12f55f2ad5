//! Conversation summaries, the rows counting needs, and lists as keyset pages over an
//! inbox scope.

use crate::error::{ApiError, ApiResult};
use parley_domain::inbox::{Assignees, Facts, Scope};
use parley_domain::wire::{ChannelRef, ContactRef, ConversationSummary, Preview, SlaFacts};
use parley_domain::{Assignee, ChannelId, ContactId, ConversationId, TeamId, Timestamp, UserId};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::*;

pub(crate) const SUMMARY_SELECT: &str = "
SELECT c.id, c.status, c.last_activity_at, c.unread, c.version,
       k.id, k.name, k.blocked, k.assignee,
       ch.id, ch.kind, ch.name,
       m.direction, m.text, m.at,
       c.snoozed_until, c.awaiting_since, c.replied_before,
       (SELECT MAX(at) FROM messages WHERE conversation_id = c.id AND direction = 'incoming'),
       k.online, k.assigned_team
FROM conversations c
JOIN contacts k ON k.id = c.contact_id
JOIN channels ch ON ch.id = c.channel_id
LEFT JOIN messages m ON m.seq = (SELECT MAX(seq) FROM messages WHERE conversation_id = c.id)";

pub(crate) fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<ConversationSummary> {
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
        assigned_team: r.get::<_, Option<String>>(20)?.map(TeamId),
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

/// One row per conversation with what listing and counting need, seen by `user`.
#[derive(Clone, Debug)]
pub struct ConversationRow {
    pub id: ConversationId,
    pub status: parley_domain::Status,
    pub last_activity_at: Timestamp,
    pub last_incoming_seq: u64,
    pub facts: Facts,
}

/// A conversation list's condition: an inbox's [`Scope`] for the user, the statuses the
/// status filter keeps and the assignee filter (`Some(None)`: unassigned only).
#[derive(Clone, Debug)]
pub struct ListFilter {
    pub scope: Scope,
    pub statuses: Vec<parley_domain::Status>,
    pub assignee: Option<Option<UserId>>,
    /// What else a custom inbox narrows by (all `None` for the side panel's inboxes).
    pub channel: Option<ChannelId>,
    /// Last activity at or after / at or before (ms).
    pub active_from: Option<i64>,
    pub active_until: Option<i64>,
    /// A normalised tag the contact has.
    pub tag: Option<String>,
    /// A contact column (name, phone, email, country, language) that contains this text,
    /// ASCII case-insensitively: a narrowing only, the caller decides each row.
    pub contact_contains: Option<(&'static str, String)>,
}

impl ListFilter {
    /// An inbox's list: its scope, statuses and assignee filter.
    pub fn new(scope: Scope, statuses: Vec<parley_domain::Status>, assignee: Option<Option<UserId>>) -> ListFilter {
        ListFilter {
            scope,
            statuses,
            assignee,
            channel: None,
            active_from: None,
            active_until: None,
            tag: None,
            contact_contains: None,
        }
    }
}

impl ListFilter {
    /// The `WHERE` clause over `conversations c JOIN contacts k`, and its parameters.
    ///
    /// The scope's terms are written `+k.…`, which keeps SQLite off the contacts' assignee
    /// index here: without statistics its planner starts from that index whenever a term
    /// names `k.assignee`, then sorts every row of Unassigned or All (20,000 rows: 60 ms a
    /// page; a count walked the conversations once per contact, 140 s). Starting from the
    /// conversations, a page walks `conversations_activity` and stops at its limit.
    fn sql(&self) -> (String, Vec<SqlValue>) {
        let (scope, mut params) = scope_sql(&self.scope, "+k");
        let mut clauses = vec![scope];
        let statuses: Vec<&str> = self.statuses.iter().map(|s| s.as_str()).collect();
        clauses.push("c.status IN (SELECT value FROM json_each(?))".into());
        params.push(SqlValue::from(serde_json::to_string(&statuses).expect("strings serialise")));
        if let Some(channel) = &self.channel {
            clauses.push("c.channel_id = ?".into());
            params.push(SqlValue::from(channel.as_str().to_owned()));
        }
        if let Some(from) = self.active_from {
            clauses.push("c.last_activity_at >= ?".into());
            params.push(SqlValue::from(from));
        }
        if let Some(until) = self.active_until {
            clauses.push("c.last_activity_at <= ?".into());
            params.push(SqlValue::from(until));
        }
        if let Some((column, text)) = &self.contact_contains {
            debug_assert!(["name", "phone", "email", "country", "language"].contains(column));
            let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            clauses.push(format!("k.{column} LIKE ? ESCAPE '\\'"));
            params.push(SqlValue::from(format!("%{escaped}%")));
        }
        if let Some(tag) = &self.tag {
            clauses.push("EXISTS (SELECT 1 FROM json_each(k.tags) WHERE value = ?)".into());
            params.push(SqlValue::from(tag.clone()));
        }
        match &self.assignee {
            None => {}
            Some(None) => clauses.push("+k.assignee IS NULL".into()),
            Some(Some(user)) => {
                clauses.push("k.assignee = ?".into());
                params.push(SqlValue::from(user.as_str().to_owned()));
            }
        }
        (clauses.join(" AND "), params)
    }
}

/// One page of a list after `cursor`, `limit + 1` rows (the extra one says there is more).
fn page_sql(
    filter: &ListFilter,
    newest_first: bool,
    cursor: Option<(Timestamp, String)>,
    limit: usize,
) -> (String, Vec<SqlValue>) {
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
    (sql, params)
}

/// A list's conversations per assignee.
fn counts_sql(filter: &ListFilter) -> (String, Vec<SqlValue>) {
    let (clause, params) = filter.sql();
    let sql = format!(
        "SELECT k.assignee, COUNT(*) FROM conversations c JOIN contacts k ON k.id = c.contact_id
         WHERE {clause} GROUP BY k.assignee"
    );
    (sql, params)
}

/// A conversation the contact's message opens, and one an agent starts (both databases).
pub(crate) const OPEN_BY_CONTACT: &str = "INSERT INTO conversations (id, contact_id, channel_id, status, opened_at,
     last_activity_at, last_incoming_seq, unread, version, awaiting_since) VALUES (?1, ?2, ?3, 'new', ?4, ?4, ?5, 1, ?5, ?4)";
pub(crate) const OPEN_BY_AGENT: &str = "INSERT INTO conversations (id, contact_id, channel_id, status, opened_at,
     last_activity_at, version) VALUES (?1, ?2, ?3, 'pending', ?4, ?4, ?5)";

/// The conversations part of [`Store`](super::Store).
pub trait ConversationStore {
    fn summary(&self, id: &ConversationId) -> ApiResult<Option<ConversationSummary>>;
    /// The summaries of `ids`, in that order (ids that do not exist are skipped), in one query.
    fn summaries(&self, ids: &[ConversationId]) -> ApiResult<Vec<ConversationSummary>>;
    /// Every conversation's summary, latest activity first, in one query.
    fn all_summaries(&self) -> ApiResult<Vec<ConversationSummary>>;
    fn summary_required(&self, id: &ConversationId) -> ApiResult<ConversationSummary>;
    fn conversation_rows(&self, user: &UserId) -> ApiResult<Vec<ConversationRow>>;
    /// One page of a conversation list after the keyset `cursor` (last activity, id of the
    /// previous page's last item), newest or oldest activity first, and the next cursor.
    /// Indexed: the database walks `conversations_activity` from the cursor.
    fn conversation_page(
        &self,
        filter: &ListFilter,
        newest_first: bool,
        cursor: Option<(Timestamp, String)>,
        limit: usize,
    ) -> ApiResult<(Vec<ConversationSummary>, Option<(Timestamp, ConversationId)>)>;
    /// How many conversations of the list each assignee has (`None`: unassigned).
    fn assignee_counts(&self, filter: &ListFilter) -> ApiResult<Vec<(Option<UserId>, u32)>>;
    /// The ids of the list's conversations last active before `before`.
    fn quiet_conversations(&self, filter: &ListFilter, before: i64) -> ApiResult<Vec<ConversationId>>;
    /// Records what `user` acknowledged (acks never go back), and logs it as `seq` (from
    /// `next_seq`) for every instance's fan-out ([`EventStore::acks_after`]).
    fn record_acks(&self, seq: u64, user: &UserId, acks: &[(ConversationId, u64)]) -> ApiResult<()>;
    /// Every conversation's counting facts with everyone's acknowledgements: the live
    /// counts as stored, read in one snapshot.
    fn live_counts(&self) -> ApiResult<parley_domain::inbox::live::LiveCounts>;
    /// Marks a conversation changed by the event `seq` (lists ignore older copies).
    fn set_version(&self, id: &ConversationId, seq: u64) -> ApiResult<()>;
    fn status_of(&self, id: &ConversationId) -> ApiResult<parley_domain::Status>;
    /// An incoming message (event `seq`) reached an open conversation: its status after it,
    /// the channel it came on, one more unread, and the team now owes a reply.
    fn note_incoming(
        &self,
        id: &ConversationId,
        status: parley_domain::Status,
        channel: &ChannelId,
        now: i64,
        seq: u64,
    ) -> ApiResult<()>;
    /// A new conversation (event `seq`): opened by the contact's message (new, one unread,
    /// the SLA clock running) or started by an agent (`by_agent`: pending, nothing unread,
    /// no SLA clock).
    fn open_conversation(
        &self,
        id: &ConversationId,
        contact: &ContactId,
        channel: &ChannelId,
        now: i64,
        seq: u64,
        by_agent: bool,
    ) -> ApiResult<()>;
    /// The team replied (event `seq`): it owes nothing until the contact writes again.
    fn note_reply(&self, id: &ConversationId, now: i64, seq: u64) -> ApiResult<()>;
    fn clear_unread(&self, id: &ConversationId) -> ApiResult<()>;
    /// Sets a conversation's status; `snoozed_until` and its note only mean something while
    /// snoozed (a close clears them).
    fn set_status(
        &self,
        id: &ConversationId,
        status: parley_domain::Status,
        snoozed_until: Option<i64>,
        snooze_note: Option<&str>,
    ) -> ApiResult<()>;
    /// Snoozed conversations whose time has come, earliest first, with their reminder.
    fn snoozes_due(&self, now: i64) -> ApiResult<Vec<(ConversationId, Option<String>)>>;
}

impl ConversationStore for Connection {
    fn summary(&self, id: &ConversationId) -> ApiResult<Option<ConversationSummary>> {
        let mut stmt = self.prepare_cached(&format!("{SUMMARY_SELECT} WHERE c.id = ?1"))?;
        Ok(stmt.query_row([id.as_str()], summary_from_row).optional()?)
    }
    fn summaries(&self, ids: &[ConversationId]) -> ApiResult<Vec<ConversationSummary>> {
        let json = serde_json::to_string(ids).expect("ids serialise");
        let mut stmt =
            self.prepare_cached(&format!("{SUMMARY_SELECT} WHERE c.id IN (SELECT value FROM json_each(?1))"))?;
        let mut found: std::collections::HashMap<ConversationId, ConversationSummary> = stmt
            .query_map([json], summary_from_row)?
            .map(|r| r.map(|s| (s.id.clone(), s)))
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }
    fn all_summaries(&self) -> ApiResult<Vec<ConversationSummary>> {
        let mut stmt = self.prepare_cached(&format!("{SUMMARY_SELECT} ORDER BY c.last_activity_at DESC, c.id DESC"))?;
        Ok(stmt.query_map([], summary_from_row)?.collect::<rusqlite::Result<_>>()?)
    }
    fn summary_required(&self, id: &ConversationId) -> ApiResult<ConversationSummary> {
        self.summary(id)?.ok_or_else(|| ApiError::not_found("conversation", id))
    }
    fn conversation_rows(&self, user: &UserId) -> ApiResult<Vec<ConversationRow>> {
        let mut stmt = self.prepare_cached(
            "SELECT c.id, c.status, c.last_activity_at, c.last_incoming_seq, k.assignee, k.blocked, a.seq, k.assigned_team
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
                    assignee: Assignee::of(
                        r.get::<_, Option<String>>(4)?.map(UserId).as_ref(),
                        r.get::<_, Option<String>>(7)?.map(TeamId).as_ref(),
                    ),
                    blocked: r.get(5)?,
                    open: status.is_open(),
                    unseen: last_incoming_seq > acked.unwrap_or(0),
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn conversation_page(
        &self,
        filter: &ListFilter,
        newest_first: bool,
        cursor: Option<(Timestamp, String)>,
        limit: usize,
    ) -> ApiResult<(Vec<ConversationSummary>, Option<(Timestamp, ConversationId)>)> {
        let (sql, params) = page_sql(filter, newest_first, cursor, limit);
        let mut stmt = self.prepare_cached(&sql)?;
        let mut rows: Vec<(ConversationId, Timestamp)> = stmt
            .query_map(rusqlite::params_from_iter(params), |r| Ok((ConversationId(r.get(0)?), Timestamp(r.get(1)?))))?
            .collect::<rusqlite::Result<_>>()?;
        let next = (rows.len() > limit).then(|| {
            rows.truncate(limit);
            let (id, at) = rows.last().expect("limit is at least 1").clone();
            (at, id)
        });
        let ids: Vec<ConversationId> = rows.into_iter().map(|(id, _)| id).collect();
        Ok((self.summaries(&ids)?, next))
    }
    fn assignee_counts(&self, filter: &ListFilter) -> ApiResult<Vec<(Option<UserId>, u32)>> {
        let (sql, params) = counts_sql(filter);
        let mut stmt = self.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            Ok((r.get::<_, Option<String>>(0)?.map(UserId), r.get::<_, u32>(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn quiet_conversations(&self, filter: &ListFilter, before: i64) -> ApiResult<Vec<ConversationId>> {
        let (clause, mut params) = filter.sql();
        params.push(SqlValue::from(before));
        let sql = format!(
            "SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id
             WHERE {clause} AND c.last_activity_at < ? ORDER BY c.last_activity_at, c.id"
        );
        let mut stmt = self.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| Ok(ConversationId(r.get(0)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn record_acks(&self, seq: u64, user: &UserId, acks: &[(ConversationId, u64)]) -> ApiResult<()> {
        let mut upsert = self.prepare_cached(
            "INSERT INTO acks (user_id, conversation_id, seq) VALUES (?1, ?2, ?3)
             ON CONFLICT(user_id, conversation_id) DO UPDATE SET seq = MAX(seq, excluded.seq)",
        )?;
        for (conversation, seq) in acks {
            upsert.execute(params![user.as_str(), conversation.as_str(), *seq as i64])?;
        }
        let logged = serde_json::to_string(acks).expect("acks serialise");
        self.execute(
            "INSERT INTO ack_log (seq, user_id, acks) VALUES (?1, ?2, ?3)",
            params![seq as i64, user.as_str(), logged],
        )?;
        Ok(())
    }
    fn live_counts(&self) -> ApiResult<parley_domain::inbox::live::LiveCounts> {
        use parley_domain::inbox::live::{Bucket, LiveCounts};
        let mut acks: std::collections::HashMap<String, std::collections::HashMap<UserId, u64>> = Default::default();
        let mut stmt = self.prepare("SELECT conversation_id, user_id, seq FROM acks")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))? {
            let (conversation, user, seq) = row?;
            acks.entry(conversation).or_default().insert(UserId(user), seq as u64);
        }
        let mut live = LiveCounts::new();
        let mut stmt = self.prepare(
            "SELECT c.id, k.assignee, k.blocked, c.status, c.last_incoming_seq, k.assigned_team
             FROM conversations c JOIN contacts k ON k.id = c.contact_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, bool>(2)?,
                parse_enum::<parley_domain::Status>(&r.get::<_, String>(3)?)?,
                r.get::<_, i64>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        for row in rows {
            let (id, assignee, blocked, status, last_incoming, team) = row?;
            let assignee = Assignee::of(assignee.map(UserId).as_ref(), team.map(TeamId).as_ref());
            let bucket = Bucket { assignee, blocked, open: status.is_open() };
            let acked = acks.remove(&id).unwrap_or_default();
            live.load(&ConversationId(id), bucket, last_incoming as u64, acked);
        }
        Ok(live)
    }
    fn set_version(&self, id: &ConversationId, seq: u64) -> ApiResult<()> {
        self.execute("UPDATE conversations SET version = ?2 WHERE id = ?1", params![id.as_str(), seq as i64])?;
        Ok(())
    }
    fn status_of(&self, id: &ConversationId) -> ApiResult<parley_domain::Status> {
        let status: String =
            self.query_row("SELECT status FROM conversations WHERE id = ?1", [id.as_str()], |r| r.get(0))?;
        Ok(parse_enum(&status)?)
    }
    fn note_incoming(
        &self,
        id: &ConversationId,
        status: parley_domain::Status,
        channel: &ChannelId,
        now: i64,
        seq: u64,
    ) -> ApiResult<()> {
        self.execute(
            "UPDATE conversations SET status = ?2, channel_id = ?3, last_activity_at = ?4, last_incoming_seq = ?5,
             unread = unread + 1, version = ?5, awaiting_since = COALESCE(awaiting_since, ?4),
             snoozed_until = CASE WHEN ?2 = 'snoozed' THEN snoozed_until END
             WHERE id = ?1",
            params![id.as_str(), enum_str(&status), channel.as_str(), now, seq as i64],
        )?;
        Ok(())
    }
    fn open_conversation(
        &self,
        id: &ConversationId,
        contact: &ContactId,
        channel: &ChannelId,
        now: i64,
        seq: u64,
        by_agent: bool,
    ) -> ApiResult<()> {
        self.execute(
            if by_agent { OPEN_BY_AGENT } else { OPEN_BY_CONTACT },
            params![id.as_str(), contact.as_str(), channel.as_str(), now, seq as i64],
        )?;
        Ok(())
    }
    fn note_reply(&self, id: &ConversationId, now: i64, seq: u64) -> ApiResult<()> {
        self.execute(
            "UPDATE conversations SET last_activity_at = ?2, version = ?3, awaiting_since = NULL, replied_before = 1 WHERE id = ?1",
            params![id.as_str(), now, seq as i64],
        )?;
        Ok(())
    }
    fn clear_unread(&self, id: &ConversationId) -> ApiResult<()> {
        self.execute("UPDATE conversations SET unread = 0 WHERE id = ?1", [id.as_str()])?;
        Ok(())
    }
    fn set_status(
        &self,
        id: &ConversationId,
        status: parley_domain::Status,
        snoozed_until: Option<i64>,
        snooze_note: Option<&str>,
    ) -> ApiResult<()> {
        self.execute(
            "UPDATE conversations SET status = ?2, snoozed_until = ?3, snooze_note = ?4 WHERE id = ?1",
            params![id.as_str(), enum_str(&status), snoozed_until, snooze_note],
        )?;
        Ok(())
    }
    fn snoozes_due(&self, now: i64) -> ApiResult<Vec<(ConversationId, Option<String>)>> {
        let mut stmt = self.prepare_cached(
            "SELECT id, snooze_note FROM conversations WHERE status = 'snoozed' AND snoozed_until <= ?1 ORDER BY snoozed_until",
        )?;
        let rows = stmt.query_map([now], |r| Ok((ConversationId(r.get(0)?), r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The condition an inbox [`Scope`] puts on a contacts row named `contacts` (an alias or
/// the table), and its parameters: the blocked flag and the set of assignees.
pub(crate) fn scope_sql(scope: &Scope, contacts: &str) -> (String, Vec<SqlValue>) {
    let mut clauses = vec![format!("{contacts}.blocked = ?")];
    let mut params = vec![SqlValue::from(scope.blocked)];
    if let Some((clause, more)) = assignees_sql(&scope.assignees, contacts, JSON_STRINGS) {
        clauses.push(clause);
        params.extend(more);
    }
    (clauses.join(" AND "), params)
}

/// SQLite's rows of a JSON array of strings given as one parameter.
pub(crate) const JSON_STRINGS: &str = "SELECT value FROM json_each(?)";

/// The condition a set of assignees puts on a contacts row named `contacts`, and its
/// parameters (`None`: any assignee). `json_strings` is the backend's query of the
/// elements of a JSON array parameter.
pub(crate) fn assignees_sql<V: From<String>>(
    assignees: &Assignees,
    contacts: &str,
    json_strings: &str,
) -> Option<(String, Vec<V>)> {
    let Assignees::Only(set) = assignees else { return None };
    let users: Vec<&str> = set.iter().flatten().filter_map(Assignee::user).map(UserId::as_str).collect();
    let teams: Vec<&str> = set.iter().flatten().filter_map(Assignee::team).map(TeamId::as_str).collect();
    let (mut any, mut params) = (Vec::new(), Vec::new());
    if !users.is_empty() {
        any.push(format!("{contacts}.assignee IN ({json_strings})"));
        params.push(V::from(serde_json::to_string(&users).expect("strings serialise")));
    }
    // A contact has a team only while it has no user (ops::set_assignee).
    if !teams.is_empty() {
        any.push(format!("{contacts}.assigned_team IN ({json_strings})"));
        params.push(V::from(serde_json::to_string(&teams).expect("strings serialise")));
    }
    if set.iter().any(Option::is_none) {
        any.push(format!("({contacts}.assignee IS NULL AND {contacts}.assigned_team IS NULL)"));
    }
    Some((if any.is_empty() { "FALSE".into() } else { format!("({})", any.join(" OR ")) }, params))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use parley_domain::Status;

    /// How SQLite runs `sql`: its query plan's lines.
    pub(crate) fn plan(conn: &rusqlite::Connection, sql: &str, params: Vec<SqlValue>) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get::<_, String>(3)).unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("\n")
    }

    /// Pages walk the activity index and stop at their limit, counts read each conversation
    /// once: never a sort of the whole list nor a scan of the conversations per contact, for
    /// whichever assignees the inbox holds. (No statistics: the plans are those of any size.)
    #[test]
    fn lists_start_from_the_conversations() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        drop(super::super::db::Db::open(&path).unwrap());
        let conn = rusqlite::Connection::open(&path).unwrap();
        let scopes = [
            Assignees::Any,
            Assignees::Only(vec![None]),
            Assignees::Only(vec![None, Some(Assignee::User(UserId("u-1".into())))]),
            Assignees::Only(vec![Some(Assignee::User(UserId("u-1".into())))]),
            Assignees::Only(vec![
                Some(Assignee::User(UserId("u-1".into()))),
                Some(Assignee::Team(TeamId("t-1".into()))),
            ]),
        ];
        for assignees in scopes {
            for assignee in [None, Some(None)] {
                let filter = ListFilter::new(
                    Scope { blocked: false, assignees: assignees.clone() },
                    vec![Status::New, Status::Pending],
                    assignee.clone(),
                );
                let (sql, params) = page_sql(&filter, true, None, 100);
                let page = plan(&conn, &sql, params);
                assert!(page.contains("USING INDEX conversations_activity"), "{assignees:?}, {assignee:?}: {page}");
                assert!(!page.contains("ORDER BY"), "{assignees:?}, {assignee:?}: {page}");
                let (sql, params) = counts_sql(&filter);
                let counts = plan(&conn, &sql, params);
                // The inner table of the join is found by key, whichever comes first.
                let tables: Vec<&str> = counts
                    .lines()
                    .filter(|l| l.ends_with(" c") || l.contains(" c USING") || l.contains(" k "))
                    .collect();
                assert!(tables.len() == 2 && tables[1].starts_with("SEARCH"), "{assignees:?}, {assignee:?}: {counts}");
            }
        }
    }
}
