//! Team reports (issue 15, item 4): the aggregation, in SQL, by the definitions of domain
//! `reports`. The statements are the same on both backends (window functions, no
//! dialect-only syntax); pg/reports.rs runs these very strings.

use crate::error::ApiResult;
use rusqlite::{Connection, params};

/// The parameters of the report statements.
#[derive(Clone, Copy, Debug)]
pub struct ReportQuery {
    /// The period as UTC ms, `start` included, `end` excluded.
    pub start: i64,
    pub end: i64,
    pub offset_ms: i64,
    /// The SLA's first-response target, ms.
    pub target_ms: i64,
    pub now: i64,
}

/// One scope's figures: `kind` is `total`, `agent`, `team` or `channel`; `key` the id
/// (empty for the total, and for no agent / no team).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRow {
    pub kind: String,
    pub key: String,
    pub opened: i64,
    pub closed: i64,
    pub breaches: i64,
    pub open_now: i64,
    pub median_first_response: Option<i64>,
    pub median_resolution: Option<i64>,
}

/// A conversation's close: its last `closed` / `bulk_resolved` audit line, if closed now.
/// Activity details are serde's internally tagged JSON, so the kind leads the text.
const CLOSED_AT: &str = "CASE WHEN c.status = 'closed' THEN (SELECT MAX(a.at) FROM activities a
    WHERE a.conversation_id = c.id AND (a.detail LIKE '{\"kind\":\"closed\"%' OR a.detail LIKE '{\"kind\":\"bulk_resolved\"%')) END";

/// Per conversation: its keys (agent and team as the contact has them now, the channel),
/// opening, first incoming message, last close and first agent reply after that message.
/// ?1 start, ?2 end, ?3 target, ?4 now.
///
/// Only conversations that can count are read: open ones (open now), and closed ones with
/// activity since the period's start less the target (an opening, a reply, or a first
/// message whose target passes in the period all move `last_activity_at` there) or an
/// audit line in the period (a close does not move `last_activity_at`). The per-message
/// lookups run only for those with such activity: an open conversation quiet since before
/// the period only counts as open now.
fn facts() -> String {
    format!(
        "WITH base AS (
    SELECT c.id, c.channel_id, c.status, c.opened_at, COALESCE(k.assignee, '') AS agent,
        COALESCE(k.assigned_team, (SELECT tm.team_id FROM team_members tm JOIN teams t ON t.id = tm.team_id
            WHERE tm.user_id = k.assignee ORDER BY t.position LIMIT 1), '') AS team,
        CASE WHEN c.last_activity_at + ?3 >= ?1 THEN (SELECT MIN(m.at) FROM messages m
            WHERE m.conversation_id = c.id AND m.direction = 'incoming') END AS first_in,
        {CLOSED_AT} AS closed_at
    FROM conversations c JOIN contacts k ON k.id = c.contact_id
    WHERE c.status <> 'closed' OR c.last_activity_at + ?3 >= ?1
        OR c.id IN (SELECT a.conversation_id FROM activities a WHERE a.at >= ?1 AND a.at < ?2)
), facts AS (
    SELECT b.*, (SELECT MIN(r.at) FROM messages r WHERE r.conversation_id = b.id AND r.direction = 'outgoing'
        AND r.sender_kind = 'user' AND r.at >= b.first_in) AS first_reply
    FROM base b
), keyed AS (
    SELECT g.kind, CASE g.kind WHEN 'agent' THEN f.agent WHEN 'team' THEN f.team
        WHEN 'channel' THEN f.channel_id ELSE '' END AS k, f.*
    FROM facts f CROSS JOIN (SELECT 'total' AS kind UNION ALL SELECT 'agent' UNION ALL SELECT 'team'
        UNION ALL SELECT 'channel') g
)"
    )
}

/// The lower median of `value` over `keyed` rows where `when` holds, per scope: the
/// ⌈n/2⌉-th smallest (domain `reports::median_rank`).
fn median(value: &str, when: &str) -> String {
    format!(
        "SELECT kind, k, v FROM (SELECT kind, k, {value} AS v,
        ROW_NUMBER() OVER (PARTITION BY kind, k ORDER BY {value}) AS rn, COUNT(*) OVER (PARTITION BY kind, k) AS n
    FROM keyed WHERE {when}) x WHERE rn = (n + 1) / 2"
    )
}

/// Every scope's figures in one statement (the facts are computed once).
pub(crate) fn groups_sql() -> String {
    let facts = facts();
    let first = median("first_reply - first_in", "first_reply >= ?1 AND first_reply < ?2");
    let resolution = median("closed_at - opened_at", "closed_at >= ?1 AND closed_at < ?2");
    // A breach is counted when the target passes (first_in + target, before now) without a
    // reply by then, unless the conversation was closed by then.
    format!(
        "{facts}, counts AS (
    SELECT kind, k,
        SUM(CASE WHEN opened_at >= ?1 AND opened_at < ?2 THEN 1 ELSE 0 END) AS opened,
        SUM(CASE WHEN closed_at >= ?1 AND closed_at < ?2 THEN 1 ELSE 0 END) AS closed,
        SUM(CASE WHEN first_in + ?3 >= ?1 AND first_in + ?3 < ?2 AND first_in + ?3 < ?4
            AND (first_reply - first_in > ?3 OR (first_reply IS NULL AND (closed_at IS NULL OR closed_at > first_in + ?3)))
            THEN 1 ELSE 0 END) AS breaches,
        SUM(CASE WHEN status <> 'closed' THEN 1 ELSE 0 END) AS open_now
    FROM keyed GROUP BY kind, k
), first_response AS ({first}), resolution AS ({resolution})
SELECT c.kind, c.k, c.opened, c.closed, c.breaches, c.open_now, f.v, r.v
FROM counts c
LEFT JOIN first_response f ON f.kind = c.kind AND f.k = c.k
LEFT JOIN resolution r ON r.kind = c.kind AND r.k = c.k
ORDER BY c.kind, c.k"
    )
}

/// Opened and closed per local day of the period: ?1 start, ?2 end, ?3 offset (ms). The
/// day is `(at + offset) / 86400000` (integer division; every instant is after 1970).
pub(crate) fn days_sql() -> String {
    format!(
        "SELECT d, SUM(o), SUM(x) FROM (
    SELECT (opened_at + ?3) / 86400000 AS d, 1 AS o, 0 AS x FROM conversations WHERE opened_at >= ?1 AND opened_at < ?2
    UNION ALL
    SELECT (closed_at + ?3) / 86400000, 0, 1 FROM (SELECT {CLOSED_AT} AS closed_at FROM conversations c
        WHERE c.status = 'closed') z WHERE closed_at >= ?1 AND closed_at < ?2
) u GROUP BY d ORDER BY d"
    )
}

/// The report's aggregates, part of [`super::Store`].
pub trait ReportStore {
    /// Each scope's figures over the period (every scope with a conversation).
    fn report_groups(&self, q: &ReportQuery) -> ApiResult<Vec<GroupRow>>;
    /// (local day since 1970, opened, closed) for the days that have any.
    fn report_days(&self, q: &ReportQuery) -> ApiResult<Vec<(i64, i64, i64)>>;
}

/// The one implementation of [`ReportStore`], for either connection type (the same SQL,
/// the same calls): `$result` is the backend's row result type.
macro_rules! report_store {
    ($conn:ty, $result:ty) => {
        impl ReportStore for $conn {
            fn report_groups(&self, q: &ReportQuery) -> ApiResult<Vec<GroupRow>> {
                let mut stmt = self.prepare_cached(&groups_sql())?;
                let rows = stmt.query_map(params![q.start, q.end, q.target_ms, q.now], |r| {
                    Ok(GroupRow {
                        kind: r.get(0)?,
                        key: r.get(1)?,
                        opened: r.get(2)?,
                        closed: r.get(3)?,
                        breaches: r.get(4)?,
                        open_now: r.get(5)?,
                        median_first_response: r.get(6)?,
                        median_resolution: r.get(7)?,
                    })
                })?;
                Ok(rows.collect::<$result>()?)
            }
            fn report_days(&self, q: &ReportQuery) -> ApiResult<Vec<(i64, i64, i64)>> {
                let mut stmt = self.prepare_cached(&days_sql())?;
                let rows =
                    stmt.query_map(params![q.start, q.end, q.offset_ms], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                Ok(rows.collect::<$result>()?)
            }
        }
    };
}
pub(crate) use report_store;

report_store!(Connection, rusqlite::Result<Vec<_>>);
