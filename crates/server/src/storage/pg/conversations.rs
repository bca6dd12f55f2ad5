//! Conversation summaries, the rows counting needs, and lists as keyset pages over an
//! inbox scope.

use super::conn::Value as SqlValue;
use super::conn::{OptionalExtension, PgConn as Connection, Row, params, parse_enum};
use crate::error::{ApiError, ApiResult};
use parley_domain::inbox::{Facts, Scope};
use parley_domain::wire::{ChannelRef, ContactRef, ConversationSummary, Preview, SlaFacts};
use parley_domain::{Assignee, ChannelId, ContactId, ConversationId, TeamId, Timestamp, UserId};

use crate::storage::*;

fn summary_from_row(r: &Row<'_>) -> super::conn::Result<ConversationSummary> {
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

impl ConversationStore for Connection {
    fn summary(&self, id: &ConversationId) -> ApiResult<Option<ConversationSummary>> {
        let mut stmt = self.prepare_cached(&format!("{SUMMARY_SELECT} WHERE c.id = ?1"))?;
        Ok(stmt.query_row([id.as_str()], summary_from_row).optional()?)
    }
    fn summaries(&self, ids: &[ConversationId]) -> ApiResult<Vec<ConversationSummary>> {
        let json = serde_json::to_string(ids).expect("ids serialise");
        let mut stmt = self.prepare_cached(&format!(
            "{SUMMARY_SELECT} WHERE c.id IN (SELECT value FROM json_array_elements_text(?1::json))"
        ))?;
        let mut found: std::collections::HashMap<ConversationId, ConversationSummary> = stmt
            .query_map([json], summary_from_row)?
            .map(|r| r.map(|s| (s.id.clone(), s)))
            .collect::<super::conn::Result<_>>()?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }
    fn all_summaries(&self) -> ApiResult<Vec<ConversationSummary>> {
        let mut stmt = self.prepare_cached(&format!("{SUMMARY_SELECT} ORDER BY c.last_activity_at DESC, c.id DESC"))?;
        Ok(stmt.query_map(params![], summary_from_row)?.collect::<super::conn::Result<_>>()?)
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
        Ok(rows.collect::<super::conn::Result<_>>()?)
    }
    fn conversation_page(
        &self,
        filter: &ListFilter,
        newest_first: bool,
        cursor: Option<(Timestamp, String)>,
        limit: usize,
    ) -> ApiResult<(Vec<ConversationSummary>, Option<(Timestamp, ConversationId)>)> {
        let (mut clause, mut params) = filter_sql(filter);
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
        let mut stmt = self.prepare_cached(&sql)?;
        let mut rows: Vec<(ConversationId, Timestamp)> = stmt
            .query_map(params, |r| Ok((ConversationId(r.get(0)?), Timestamp(r.get(1)?))))?
            .collect::<super::conn::Result<_>>()?;
        let next = (rows.len() > limit).then(|| {
            rows.truncate(limit);
            let (id, at) = rows.last().expect("limit is at least 1").clone();
            (at, id)
        });
        let ids: Vec<ConversationId> = rows.into_iter().map(|(id, _)| id).collect();
        Ok((self.summaries(&ids)?, next))
    }
    fn assignee_counts(&self, filter: &ListFilter) -> ApiResult<Vec<(Option<UserId>, u32)>> {
        let (clause, params) = filter_sql(filter);
        let sql = format!(
            "SELECT k.assignee, COUNT(*) FROM conversations c JOIN contacts k ON k.id = c.contact_id
             WHERE {clause} GROUP BY k.assignee"
        );
        let mut stmt = self.prepare_cached(&sql)?;
        let rows = stmt.query_map(params, |r| Ok((r.get::<_, Option<String>>(0)?.map(UserId), r.get::<_, u32>(1)?)))?;
        Ok(rows.collect::<super::conn::Result<_>>()?)
    }
    fn quiet_conversations(&self, filter: &ListFilter, before: i64) -> ApiResult<Vec<ConversationId>> {
        let (clause, mut params) = filter_sql(filter);
        params.push(SqlValue::from(before));
        let sql = format!(
            "SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id
             WHERE {clause} AND c.last_activity_at < ? ORDER BY c.last_activity_at, c.id"
        );
        let mut stmt = self.prepare_cached(&sql)?;
        let rows = stmt.query_map(params, |r| Ok(ConversationId(r.get(0)?)))?;
        Ok(rows.collect::<super::conn::Result<_>>()?)
    }
    fn record_acks(&self, seq: u64, user: &UserId, acks: &[(ConversationId, u64)]) -> ApiResult<()> {
        let mut upsert = self.prepare_cached(
            "INSERT INTO acks (user_id, conversation_id, seq) VALUES (?1, ?2, ?3)
             ON CONFLICT(user_id, conversation_id) DO UPDATE SET seq = GREATEST(acks.seq, excluded.seq)",
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
        for row in
            stmt.query_map(params![], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?
        {
            let (conversation, user, seq) = row?;
            acks.entry(conversation).or_default().insert(UserId(user), seq as u64);
        }
        let mut live = LiveCounts::new();
        let mut stmt = self.prepare(
            "SELECT c.id, k.assignee, k.blocked, c.status, c.last_incoming_seq, k.assigned_team
             FROM conversations c JOIN contacts k ON k.id = c.contact_id",
        )?;
        let rows = stmt.query_map(params![], |r| {
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
        Ok(rows.collect::<super::conn::Result<_>>()?)
    }
}

/// The condition an inbox [`Scope`] puts on a contacts row named `contacts` (an alias or
/// the table), and its parameters: the blocked flag and the set of assignees.
pub(super) fn scope_sql(scope: &Scope, contacts: &str) -> (String, Vec<SqlValue>) {
    let mut clauses = vec![format!("{contacts}.blocked = ?")];
    let mut params = vec![SqlValue::from(scope.blocked)];
    if let Some((clause, more)) = assignees_sql(&scope.assignees, contacts, JSON_STRINGS) {
        clauses.push(clause);
        params.extend(more);
    }
    (clauses.join(" AND "), params)
}

/// PostgreSQL's rows of a JSON array of strings given as one parameter.
pub(super) const JSON_STRINGS: &str = "SELECT value FROM json_array_elements_text(?::json)";

/// The `WHERE` clause over `conversations c JOIN contacts k`, and its parameters.
fn filter_sql(filter: &ListFilter) -> (String, Vec<SqlValue>) {
    let (scope, mut params) = scope_sql(&filter.scope, "k");
    let mut clauses = vec![scope];
    let statuses: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
    clauses.push("c.status IN (SELECT value FROM json_array_elements_text(?::json))".into());
    params.push(SqlValue::from(serde_json::to_string(&statuses).expect("strings serialise")));
    if let Some(channel) = &filter.channel {
        clauses.push("c.channel_id = ?".into());
        params.push(SqlValue::from(channel.as_str().to_owned()));
    }
    if let Some(from) = filter.active_from {
        clauses.push("c.last_activity_at >= ?".into());
        params.push(SqlValue::from(from));
    }
    if let Some(until) = filter.active_until {
        clauses.push("c.last_activity_at <= ?".into());
        params.push(SqlValue::from(until));
    }
    if let Some((column, text)) = &filter.contact_contains {
        debug_assert!(["name", "phone", "email", "country", "language"].contains(column));
        let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        clauses.push(format!("k.{column} ILIKE ? ESCAPE '\\'"));
        params.push(SqlValue::from(format!("%{escaped}%")));
    }
    if let Some(tag) = &filter.tag {
        clauses.push("EXISTS (SELECT 1 FROM json_array_elements_text(k.tags::json) WHERE value = ?)".into());
        params.push(SqlValue::from(tag.clone()));
    }
    match &filter.assignee {
        None => {}
        Some(None) => clauses.push("k.assignee IS NULL".into()),
        Some(Some(user)) => {
            clauses.push("k.assignee = ?".into());
            params.push(SqlValue::from(user.as_str().to_owned()));
        }
    }
    (clauses.join(" AND "), params)
}
