//! Seeding an empty database from a JSON fixture (format: docs/fixtures.md).
//!
//! The fixture is validated whole before anything is written, and written in one
//! transaction, so a bad fixture leaves the database empty and says what is wrong.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use parley_domain::contact_fields::{normalize_attributes, normalize_tags};
use parley_domain::{ChannelKind, Direction, Permission, Restriction, Role, Status};
use rusqlite::Connection;
use rusqlite::types::Value;
use serde::Deserialize;

use crate::auth::hash_password;
use crate::storage::enum_str;

/// `params![a, b]` as owned values, for either backend.
macro_rules! params {
    ($($p:expr),* $(,)?) => {
        vec![$(rusqlite::ToSql::to_sql(&$p).map(owned).expect("fixture values convert")),*]
    };
}

fn owned(out: rusqlite::types::ToSqlOutput<'_>) -> Value {
    match out {
        rusqlite::types::ToSqlOutput::Borrowed(v) => v.into(),
        rusqlite::types::ToSqlOutput::Owned(v) => v,
        _ => unreachable!("fixture values are plain"),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    #[serde(default)]
    pub teams: Vec<FxTeam>,
    pub users: Vec<FxUser>,
    #[serde(default)]
    pub channels: Vec<FxChannel>,
    #[serde(default)]
    pub contacts: Vec<FxContact>,
    #[serde(default)]
    pub conversations: Vec<FxConversation>,
    #[serde(default)]
    pub settings: FxSettings,
    #[serde(default)]
    pub snippets: Vec<FxSnippet>,
    /// The close dialog's reasons, in order; without the key, the migration's four.
    #[serde(default)]
    pub closing_reasons: Option<Vec<String>>,
    /// Message templates (issue 14, item 2); absent: none.
    #[serde(default)]
    pub templates: Vec<FxTemplate>,
    /// Workflow rules (issue 15, item 3), in order, after the built-in ones.
    #[serde(default)]
    pub rules: Vec<FxRule>,
    /// The business-hours schedule; absent: none (always outside).
    #[serde(default)]
    pub business_hours: Option<parley_domain::rules::BusinessHours>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FxRule {
    pub id: String,
    pub name: String,
    #[serde(default = "approved")]
    pub enabled: bool,
    pub trigger: parley_domain::rules::Trigger,
    #[serde(default)]
    pub conditions: Vec<parley_domain::rules::Condition>,
    pub actions: Vec<parley_domain::rules::Action>,
}

impl FxRule {
    fn input(&self) -> parley_domain::rules::RuleInput {
        parley_domain::rules::RuleInput {
            name: self.name.clone(),
            enabled: self.enabled,
            trigger: self.trigger,
            conditions: self.conditions.clone(),
            actions: self.actions.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FxTemplate {
    pub id: String,
    pub name: String,
    pub language: String,
    pub category: parley_domain::template::Category,
    pub body: String,
    /// Offered in the composer; defaults to approved.
    #[serde(default = "approved")]
    pub approved: bool,
}

fn approved() -> bool {
    true
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FxSettings {
    /// SLA targets; defaults to 15 minutes for a first response, 60 for the next.
    pub sla: Option<parley_domain::sla::SlaTargets>,
    #[serde(default)]
    pub auto_assign: bool,
    #[serde(default)]
    pub unassign_on_close: bool,
    /// Calls show callers' numbers masked.
    #[serde(default)]
    pub mask_numbers: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FxSnippet {
    pub id: String,
    pub category: String,
    pub title: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FxTeam {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FxUser {
    pub id: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub role: Role,
    #[serde(default)]
    pub restriction: Restriction,
    #[serde(default)]
    pub teams: Vec<String>,
    #[serde(default)]
    pub permissions: Vec<Permission>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FxChannel {
    pub id: String,
    pub kind: ChannelKind,
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FxContact {
    pub id: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    pub assignee: Option<String>,
    /// A team instead of a user (not both).
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub blocked: bool,
    #[serde(default)]
    pub channels: Vec<String>,
    /// Normalised and checked like an agent's edit.
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FxConversation {
    pub id: String,
    pub contact: String,
    pub channel: String,
    pub status: Status,
    #[serde(default)]
    pub messages: Vec<FxMessage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FxMessage {
    pub direction: Direction,
    pub text: String,
    pub at: FxTime,
    /// For outgoing messages: the sending user's id; absent means a bot.
    pub sender: Option<String>,
}

/// Milliseconds since the epoch, or a time relative to seeding: `"now"`, `"-90s"`,
/// `"-15m"`, `"-2h"`, `"-3d"` — so the demo always looks fresh.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum FxTime {
    Millis(i64),
    Relative(String),
}

impl FxTime {
    pub fn resolve(&self, now: i64) -> Result<i64, String> {
        match self {
            FxTime::Millis(ms) => Ok(*ms),
            FxTime::Relative(s) if s == "now" => Ok(now),
            FxTime::Relative(s) => {
                let bad = || format!("invalid time {s:?}: use milliseconds, \"now\" or e.g. \"-15m\"");
                let body = s.strip_prefix('-').ok_or_else(bad)?;
                let unit = body.chars().last().ok_or_else(bad)?;
                let n: i64 = body[..body.len() - unit.len_utf8()].parse().map_err(|_| bad())?;
                let ms = match unit {
                    's' => 1_000,
                    'm' => 60_000,
                    'h' => 3_600_000,
                    'd' => 86_400_000,
                    _ => return Err(bad()),
                };
                Ok(now - n * ms)
            }
        }
    }
}

pub fn load(path: &Path) -> Result<Fixture, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read fixture {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("fixture {}: {e}", path.display()))
}

pub fn is_empty(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT NOT EXISTS(SELECT 1 FROM users)", [], |r| r.get(0))
}

fn unique<'a>(what: &str, ids: impl Iterator<Item = &'a str>) -> Result<HashSet<&'a str>, String> {
    let mut seen = HashSet::new();
    for id in ids {
        if id.is_empty() {
            return Err(format!("a {what} has an empty id"));
        }
        if !seen.insert(id) {
            return Err(format!("duplicate {what} id {id:?}"));
        }
    }
    Ok(seen)
}

fn known(what: &str, set: &HashSet<&str>, id: &str, owner: &str) -> Result<(), String> {
    if set.contains(id) { Ok(()) } else { Err(format!("{owner} refers to unknown {what} {id:?}")) }
}

/// Checks every reference and rule before anything is written.
pub fn validate(f: &Fixture) -> Result<(), String> {
    let teams = unique("team", f.teams.iter().map(|t| t.id.as_str()))?;
    let users = unique("user", f.users.iter().map(|u| u.id.as_str()))?;
    let channels = unique("channel", f.channels.iter().map(|c| c.id.as_str()))?;
    let contacts = unique("contact", f.contacts.iter().map(|c| c.id.as_str()))?;
    unique("conversation", f.conversations.iter().map(|c| c.id.as_str()))?;
    unique("snippet", f.snippets.iter().map(|c| c.id.as_str()))?;
    unique("template", f.templates.iter().map(|t| t.id.as_str()))?;
    for t in &f.templates {
        parley_domain::template::validate(&t.name, &t.language, &t.body)
            .map_err(|e| format!("template {:?}: {e}", t.id))?;
    }
    unique("rule", f.rules.iter().map(|r| r.id.as_str()))?;
    for r in &f.rules {
        parley_domain::rules::validate(&r.input()).map_err(|e| format!("rule {:?}: {e}", r.id))?;
        if parley_domain::rules::builtins().iter().any(|b| b.id.as_str() == r.id) {
            return Err(format!("rule {:?}: the id of a built-in rule (settings.{} switches it)", r.id, r.id));
        }
    }
    if let Some(hours) = &f.business_hours {
        hours.validate().map_err(|e| format!("business_hours: {e}"))?;
        jiff::tz::TimeZone::get(&hours.time_zone).map_err(|e| format!("business_hours: time_zone: {e}"))?;
    }
    let mut reasons = Vec::new();
    for name in f.closing_reasons.iter().flatten() {
        let name = parley_domain::lifecycle::check_reason(name, &reasons, None)
            .map_err(|e| format!("closing_reasons: {e}"))?;
        let id = parley_domain::ClosingReasonId(format!("cr-{}", reasons.len() + 1));
        reasons.push(parley_domain::wire::ClosingReason { id, name });
    }
    let mut emails = HashSet::new();
    for u in &f.users {
        if !emails.insert(u.email.to_lowercase()) {
            return Err(format!("duplicate user email {:?}", u.email));
        }
        for t in &u.teams {
            known("team", &teams, t, &format!("user {:?}", u.id))?;
        }
    }
    for c in &f.contacts {
        if let Some(a) = &c.assignee {
            known("user", &users, a, &format!("contact {:?}", c.id))?;
        }
        if let Some(t) = &c.team {
            known("team", &teams, t, &format!("contact {:?}", c.id))?;
            if c.assignee.is_some() {
                return Err(format!("contact {:?}: an assignee or a team, not both", c.id));
            }
        }
        for ch in &c.channels {
            known("channel", &channels, ch, &format!("contact {:?}", c.id))?;
        }
        normalize_tags(&c.tags).map_err(|e| format!("contact {:?}: tags: {e}", c.id))?;
        normalize_attributes(c.attributes.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(|e| format!("contact {:?}: attributes: {e}", c.id))?;
    }
    let mut open = HashSet::new();
    for cv in &f.conversations {
        let owner = format!("conversation {:?}", cv.id);
        known("contact", &contacts, &cv.contact, &owner)?;
        known("channel", &channels, &cv.channel, &owner)?;
        if cv.status.is_open() && !open.insert(cv.contact.as_str()) {
            return Err(format!("contact {:?} has more than one open conversation", cv.contact));
        }
        for m in &cv.messages {
            if let Some(s) = &m.sender {
                known("user", &users, s, &owner)?;
            }
        }
    }
    Ok(())
}

/// Writes the fixture into an empty SQLite database, in one transaction.
pub fn seed(conn: &Connection, f: &Fixture, now: i64) -> Result<(), String> {
    let statements = statements(f, now)?;
    let run = || -> rusqlite::Result<()> {
        let tx = conn.unchecked_transaction()?;
        for (sql, values) in &statements {
            tx.execute(sql, rusqlite::params_from_iter(values))?;
        }
        tx.commit()
    };
    run().map_err(|e| format!("seeding failed: {e}"))
}

/// The statements that seed an empty database (either backend), in order: run them in one
/// transaction.
pub fn statements(f: &Fixture, now: i64) -> Result<Vec<(&'static str, Vec<Value>)>, String> {
    validate(f)?;
    let mut tx = Statements(Vec::new());
    for (i, t) in f.teams.iter().enumerate() {
        tx.push("INSERT INTO teams (id, name, position) VALUES (?1, ?2, ?3)", params![t.id, t.name, i as i64]);
    }
    for u in &f.users {
        let permissions = serde_json::to_string(&u.permissions).expect("serialisable");
        tx.push(
            "INSERT INTO users (id, name, email, password_hash, role, restriction, permissions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![u.id, u.name, u.email, hash_password(&u.password), enum_str(&u.role), enum_str(&u.restriction), permissions],
        );
        for t in &u.teams {
            tx.push("INSERT INTO team_members (team_id, user_id) VALUES (?1, ?2)", params![t, u.id]);
        }
    }
    for (i, c) in f.channels.iter().enumerate() {
        tx.push(
            "INSERT INTO channels (id, kind, name, position) VALUES (?1, ?2, ?3, ?4)",
            params![c.id, enum_str(&c.kind), c.name, i as i64],
        );
    }
    for c in &f.contacts {
        let channels = serde_json::to_string(&c.channels).expect("serialisable");
        // Validated above.
        let tags = serde_json::to_string(&normalize_tags(&c.tags).unwrap_or_default()).expect("serialisable");
        let attributes = normalize_attributes(c.attributes.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let attributes = serde_json::to_string(&attributes.unwrap_or_default()).expect("serialisable");
        tx.push(
            "INSERT INTO contacts (id, name, phone, email, country, language, assignee, blocked, channels, tags, attributes,
                 assigned_team)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                c.id, c.name, c.phone, c.email, c.country, c.language, c.assignee, c.blocked, channels, tags, attributes,
                c.team
            ],
        );
    }
    let contacts_by_id: std::collections::HashMap<&str, _> = f.contacts.iter().map(|c| (c.id.as_str(), c)).collect();
    for cv in &f.conversations {
        let mut times = Vec::with_capacity(cv.messages.len());
        for m in &cv.messages {
            match m.at.resolve(now) {
                Ok(t) => times.push(t),
                Err(e) => return Err(format!("conversation {:?}: {e}", cv.id)),
            }
        }
        let opened = times.iter().copied().min().unwrap_or(now);
        let last = times.iter().copied().max().unwrap_or(now);
        let mut by_time: Vec<(i64, Direction)> =
            cv.messages.iter().zip(&times).map(|(m, t)| (*t, m.direction)).collect();
        by_time.sort_by_key(|(t, _)| *t);
        // Unread, and the SLA clock: the incoming messages after the team's last reply.
        let waiting: Vec<i64> =
            by_time.iter().rev().take_while(|(_, d)| *d == Direction::Incoming).map(|(t, _)| *t).collect();
        let unread = if cv.status.is_open() { waiting.len() } else { 0 };
        let awaiting_since = waiting.last().copied().filter(|_| cv.status.is_open());
        let replied_before = by_time.iter().any(|(_, d)| *d == Direction::Outgoing);
        // A snoozed conversation in a fixture comes back in an hour.
        let snoozed_until = (cv.status == Status::Snoozed).then_some(now + 3_600_000);
        tx.push(
            "INSERT INTO conversations (id, contact_id, channel_id, status, opened_at, last_activity_at, unread,
             awaiting_since, replied_before, snoozed_until)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                cv.id,
                cv.contact,
                cv.channel,
                enum_str(&cv.status),
                opened,
                last,
                unread as i64,
                awaiting_since,
                replied_before,
                snoozed_until
            ],
        );
        let contact = contacts_by_id[cv.contact.as_str()];
        let mut order: Vec<usize> = (0..cv.messages.len()).collect();
        order.sort_by_key(|&i| times[i]);
        for (n, i) in order.into_iter().enumerate() {
            let m = &cv.messages[i];
            let (kind, id, name) = match (m.direction, &m.sender) {
                (Direction::Incoming, _) => ("contact", Some(contact.id.clone()), contact.name.clone()),
                (Direction::Outgoing, Some(u)) => {
                    let user = f.users.iter().find(|x| &x.id == u).expect("validated");
                    ("user", Some(user.id.clone()), user.name.clone())
                }
                (Direction::Outgoing, None) => ("bot", None, "Bot".to_owned()),
            };
            let delivery = if m.direction == Direction::Incoming { "delivered" } else { "read" };
            tx.push(
                "INSERT INTO messages (id, conversation_id, channel_id, direction, sender_kind, sender_id, sender_name, text, at, delivery)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![format!("{}-m{}", cv.id, n + 1), cv.id, cv.channel, enum_str(&m.direction), kind, id, name, m.text, times[i], delivery],
            );
        }
    }
    tx.push("INSERT INTO meta (key, value) VALUES ('seq', '0')", params![]);
    let settings = crate::storage::Settings { mask_numbers: f.settings.mask_numbers };
    let settings = serde_json::to_string(&settings).expect("serialisable");
    tx.push("INSERT INTO meta (key, value) VALUES ('settings', ?1)", params![settings]);
    // The former switches are the built-in rules' (migration 20 made them, off).
    let builtin = "UPDATE rules SET enabled = ?2 WHERE id = ?1";
    tx.push(builtin, params![parley_domain::rules::AUTO_ASSIGN, f.settings.auto_assign]);
    tx.push(builtin, params![parley_domain::rules::UNASSIGN_ON_CLOSE, f.settings.unassign_on_close]);
    for (n, r) in f.rules.iter().enumerate() {
        let rule = parley_domain::rules::validate(&r.input()).expect("validated");
        tx.push(
            "INSERT INTO rules (id, position, enabled, builtin, name, body) VALUES (?1, ?2, ?3, 0, ?4, ?5)",
            params![r.id, n as i64 + 3, rule.enabled, rule.name, crate::storage::rules::body_json(&rule)],
        );
    }
    if let Some(hours) = &f.business_hours {
        let days = serde_json::to_string(&hours.days).expect("serialisable");
        tx.push(
            "INSERT INTO business_hours (id, time_zone, days) VALUES (1, ?1, ?2)",
            params![hours.time_zone.trim(), days],
        );
    }
    for sn in &f.snippets {
        tx.push(
            "INSERT INTO snippets (id, category, title, text) VALUES (?1, ?2, ?3, ?4)",
            params![sn.id, sn.category, sn.title, sn.text],
        );
    }
    for t in &f.templates {
        let input = parley_domain::wire::TemplateInput {
            name: t.name.clone(),
            language: t.language.clone(),
            category: t.category,
            body: t.body.clone(),
            approved: t.approved,
        };
        let t = crate::storage::template_row(parley_domain::TemplateId(t.id.clone()), &input);
        tx.push(
            crate::storage::TEMPLATE_INSERT,
            params![t.id.as_str(), t.name, t.language, enum_str(&t.category), t.body, t.approved, now],
        );
    }
    if let Some(reasons) = &f.closing_reasons {
        tx.push("DELETE FROM closing_reasons", params![]);
        for (n, name) in reasons.iter().enumerate() {
            let (id, position) = (format!("cr-{}", n + 1), n as i64 + 1);
            tx.push(
                "INSERT INTO closing_reasons (id, name, position) VALUES (?1, ?2, ?3)",
                params![id, name.trim(), position],
            );
        }
    }
    if let Some(sla) = &f.settings.sla {
        let sla = serde_json::to_string(sla).expect("serialisable");
        tx.push("INSERT INTO meta (key, value) VALUES ('sla', ?1)", params![sla]);
    }
    Ok(tx.0)
}

/// The seeding statements, collected.
struct Statements(Vec<(&'static str, Vec<Value>)>);

impl Statements {
    fn push(&mut self, sql: &'static str, values: Vec<Value>) {
        self.0.push((sql, values));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_tags_and_attributes_are_checked() {
        let fixture = |contact: serde_json::Value| -> Fixture {
            serde_json::from_value(serde_json::json!({"users": [], "contacts": [contact]})).unwrap()
        };
        let rows = [
            (serde_json::json!({"id": "k", "name": "K", "tags": ["VIP"], "attributes": {"plan": "pro"}}), None),
            (
                serde_json::json!({"id": "k", "name": "K", "tags": ["v i p"]}),
                Some(r#"contact "k": tags: the tag "v i p""#),
            ),
            (
                serde_json::json!({"id": "k", "name": "K", "attributes": {"2fa": "on"}}),
                Some(r#"contact "k": attributes: the attribute name "2fa""#),
            ),
        ];
        for (contact, error) in rows {
            match (validate(&fixture(contact.clone())), error) {
                (Ok(()), None) => {}
                (Err(e), Some(start)) => assert!(e.starts_with(start), "{e}"),
                (got, _) => panic!("{contact}: {got:?}"),
            }
        }
    }

    #[test]
    fn a_contact_is_assigned_to_a_known_team_or_a_user_not_both() {
        let fixture = |contact: serde_json::Value| -> Fixture {
            serde_json::from_value(serde_json::json!({
                "teams": [{"id": "sales", "name": "Sales"}],
                "users": [{"id": "u", "name": "U", "email": "u@test", "password": "pw", "role": "agent", "teams": []}],
                "contacts": [contact],
            }))
            .unwrap()
        };
        let rows = [
            (serde_json::json!({"id": "k", "name": "K", "team": "sales"}), None),
            (
                serde_json::json!({"id": "k", "name": "K", "team": "ghost"}),
                Some(r#"contact "k" refers to unknown team"#),
            ),
            (
                serde_json::json!({"id": "k", "name": "K", "team": "sales", "assignee": "u"}),
                Some(r#"contact "k": an assignee or a team, not both"#),
            ),
        ];
        for (contact, error) in rows {
            match (validate(&fixture(contact.clone())), error) {
                (Ok(()), None) => {}
                (Err(e), Some(start)) => assert!(e.starts_with(start), "{e}"),
                (got, _) => panic!("{contact}: {got:?}"),
            }
        }
    }

    #[test]
    fn relative_times() {
        let now = 1_000_000_000;
        let rows: &[(&str, Option<i64>)] = &[
            ("now", Some(now)),
            ("-90s", Some(now - 90_000)),
            ("-15m", Some(now - 900_000)),
            ("-2h", Some(now - 7_200_000)),
            ("-3d", Some(now - 259_200_000)),
            ("15m", None),
            ("-m", None),
            ("-5y", None),
            ("", None),
        ];
        for (s, want) in rows {
            assert_eq!(FxTime::Relative((*s).into()).resolve(now).ok(), *want, "{s:?}");
        }
    }
}
