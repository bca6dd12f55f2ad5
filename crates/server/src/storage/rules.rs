//! Workflow rules (issue 15, item 3), the business-hours schedule, and which no-reply rules
//! already fired for a conversation. The SQL is the same on both databases, so the one
//! implementation is written once ([`rule_store`]) for SQLite's connection here and
//! PostgreSQL's in `pg/rules.rs`.

use crate::error::ApiResult;
use parley_domain::rules::{BusinessHours, Rule, RuleInput, Trigger, builtins};
use parley_domain::{ConversationId, RuleId};

/// The rules part of [`Store`](super::Store).
pub trait RuleStore {
    /// Every rule, built-in ones included, in the order they run.
    fn rules(&self) -> ApiResult<Vec<Rule>>;
    /// Adds a rule (already validated) at the end.
    fn create_rule(&self, input: &RuleInput) -> ApiResult<Rule>;
    /// Whether the rule existed (and now has these values; a built-in one only its switch).
    fn update_rule(&self, id: &RuleId, input: &RuleInput) -> ApiResult<bool>;
    fn delete_rule(&self, id: &RuleId) -> ApiResult<bool>;
    /// Puts the rules in the order of `ids` (each rule exactly once, checked by the caller).
    fn reorder_rules(&self, ids: &[RuleId]) -> ApiResult<()>;
    /// The schedule; a workspace that never set one has none (always outside).
    fn business_hours(&self) -> ApiResult<BusinessHours>;
    fn set_business_hours(&self, hours: &BusinessHours) -> ApiResult<()>;
    /// The no-reply rules that already fired for the conversation.
    fn rules_run(&self, conversation: &ConversationId) -> ApiResult<Vec<RuleId>>;
    fn note_rule_run(&self, conversation: &ConversationId, rule: &RuleId, now: i64) -> ApiResult<()>;
    /// New conversations whose last message is the contact's, written at or before
    /// `cutoff`, with when it was written: what "no reply for N minutes" looks at.
    fn unanswered_since(&self, cutoff: i64) -> ApiResult<Vec<(ConversationId, i64)>>;
}

/// What a rule row stores besides its columns.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Body {
    pub trigger: Trigger,
    pub conditions: Vec<parley_domain::rules::Condition>,
    pub actions: Vec<parley_domain::rules::Action>,
}

pub(crate) fn body_json(input: &RuleInput) -> String {
    let body = Body { trigger: input.trigger, conditions: input.conditions.clone(), actions: input.actions.clone() };
    serde_json::to_string(&body).expect("serialisable")
}

/// A stored row as a rule: a built-in one's name, trigger and actions are the domain's.
pub(crate) fn rule_of(id: String, position: i64, enabled: bool, builtin: bool, name: String, body: &str) -> Rule {
    let position = position as u32;
    if builtin && let Some(b) = builtins().into_iter().find(|b| b.id.as_str() == id) {
        return Rule { enabled, position, ..b };
    }
    let Body { trigger, conditions, actions } = serde_json::from_str(body).unwrap_or(Body {
        // A body this version cannot read runs nothing rather than failing every change.
        trigger: Trigger::NoReply(u32::MAX),
        conditions: Vec::new(),
        actions: Vec::new(),
    });
    Rule { id: RuleId(id), name, enabled, position, trigger, conditions, actions, builtin }
}

/// Implements [`RuleStore`] for a connection type whose calls are shaped like rusqlite's
/// (`$result` is its `Result`); the names `params` and `OptionalExtension` come from the
/// caller's scope.
macro_rules! rule_store {
    ($conn:ty, $result:ty) => {
        impl $crate::storage::RuleStore for $conn {
            fn rules(&self) -> ApiResult<Vec<Rule>> {
                let mut stmt = self.prepare_cached(
                    "SELECT id, position, enabled, builtin, name, body FROM rules ORDER BY position, seq",
                )?;
                let rows = stmt.query_map(params![], |r| {
                    let body: String = r.get(5)?;
                    Ok($crate::storage::rules::rule_of(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, &body))
                })?;
                Ok(rows.collect::<$result>()?)
            }
            fn create_rule(&self, input: &RuleInput) -> ApiResult<Rule> {
                let (n, position): (i64, i64) = self.query_row(
                    "SELECT COALESCE(MAX(seq), 0) + 1, COALESCE(MAX(position), 0) + 1 FROM rules",
                    params![],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                let id = format!("ru-{n}");
                let body = $crate::storage::rules::body_json(input);
                self.execute(
                    "INSERT INTO rules (id, position, enabled, builtin, name, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![id.as_str(), position, input.enabled, false, input.name.as_str(), body.as_str()],
                )?;
                Ok($crate::storage::rules::rule_of(id, position, input.enabled, false, input.name.clone(), &body))
            }
            fn update_rule(&self, id: &RuleId, input: &RuleInput) -> ApiResult<bool> {
                let body = $crate::storage::rules::body_json(input);
                let changed = self.execute(
                    "UPDATE rules SET enabled = ?2,
                        name = CASE WHEN builtin = 1 THEN name ELSE ?3 END,
                        body = CASE WHEN builtin = 1 THEN body ELSE ?4 END
                     WHERE id = ?1",
                    params![id.as_str(), input.enabled, input.name.as_str(), body.as_str()],
                )?;
                Ok(changed > 0)
            }
            fn delete_rule(&self, id: &RuleId) -> ApiResult<bool> {
                self.execute("DELETE FROM rule_runs WHERE rule_id = ?1", [id.as_str()])?;
                Ok(self.execute("DELETE FROM rules WHERE id = ?1", [id.as_str()])? > 0)
            }
            fn reorder_rules(&self, ids: &[RuleId]) -> ApiResult<()> {
                for (position, id) in ids.iter().enumerate() {
                    self.execute(
                        "UPDATE rules SET position = ?2 WHERE id = ?1",
                        params![id.as_str(), position as i64 + 1],
                    )?;
                }
                Ok(())
            }
            fn business_hours(&self) -> ApiResult<BusinessHours> {
                let row: Option<(String, String)> = self
                    .query_row("SELECT time_zone, days FROM business_hours WHERE id = 1", params![], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .optional()?;
                Ok(row
                    .and_then(|(time_zone, days)| {
                        Some(BusinessHours { time_zone, days: serde_json::from_str(&days).ok()? })
                    })
                    .unwrap_or_default())
            }
            fn set_business_hours(&self, hours: &BusinessHours) -> ApiResult<()> {
                let days = serde_json::to_string(&hours.days).expect("serialisable");
                self.execute(
                    "INSERT INTO business_hours (id, time_zone, days) VALUES (1, ?1, ?2)
                     ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone, days = excluded.days",
                    params![hours.time_zone.as_str(), days.as_str()],
                )?;
                Ok(())
            }
            fn rules_run(&self, conversation: &ConversationId) -> ApiResult<Vec<RuleId>> {
                let mut stmt = self.prepare_cached("SELECT rule_id FROM rule_runs WHERE conversation_id = ?1")?;
                let rows = stmt.query_map([conversation.as_str()], |r| Ok(RuleId(r.get(0)?)))?;
                Ok(rows.collect::<$result>()?)
            }
            fn note_rule_run(&self, conversation: &ConversationId, rule: &RuleId, now: i64) -> ApiResult<()> {
                self.execute(
                    "INSERT INTO rule_runs (conversation_id, rule_id, at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                    params![conversation.as_str(), rule.as_str(), now],
                )?;
                Ok(())
            }
            fn unanswered_since(&self, cutoff: i64) -> ApiResult<Vec<(ConversationId, i64)>> {
                let mut stmt = self.prepare_cached(
                    "SELECT c.id, m.at FROM conversations c
                     JOIN messages m ON m.seq = (SELECT MAX(seq) FROM messages WHERE conversation_id = c.id)
                     WHERE c.status = 'new' AND m.direction = 'incoming' AND m.at <= ?1
                     ORDER BY m.at, c.id",
                )?;
                let rows = stmt.query_map(params![cutoff], |r| Ok((ConversationId(r.get(0)?), r.get(1)?)))?;
                Ok(rows.collect::<$result>()?)
            }
        }
    };
}
pub(crate) use rule_store;

use rusqlite::{Connection, OptionalExtension, params};
rule_store!(Connection, rusqlite::Result<_>);
