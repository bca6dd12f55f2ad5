//! Users, teams, channels, the directory, workspace settings, saved replies and closing
//! reasons.

use crate::error::ApiResult;
use parley_domain::ClosingReasonId;
use parley_domain::TemplateId;
use parley_domain::sla::SlaTargets;
use parley_domain::wire::{ClosingReason, Member, MessageTemplate, TemplateInput, Workspace};
use parley_domain::{Channel, ChannelId, ChannelKind, Directory, Team, User, UserId};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::*;

pub(crate) fn user_from_row(conn: &Connection, r: &Row<'_>) -> rusqlite::Result<User> {
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

pub(crate) const USER_COLUMNS: &str = "id, name, email, role, restriction, permissions, availability";

/// Workspace switches set by the fixture's `settings` (its `auto_assign` and
/// `unassign_on_close` are built-in rules now: `storage::rules`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    /// Calls show callers' numbers masked (`+33 6•• ••• •42`).
    #[serde(default)]
    pub mask_numbers: bool,
}

/// The workspace part of [`Store`](super::Store).
pub trait WorkspaceStore {
    fn user(&self, id: &UserId) -> ApiResult<Option<User>>;
    fn users(&self) -> ApiResult<Vec<User>>;
    fn teams(&self) -> ApiResult<Vec<Team>>;
    fn channels(&self) -> ApiResult<Vec<Channel>>;
    fn workspace(&self) -> ApiResult<Workspace>;
    /// Teams and memberships, in three queries whatever the number of users (every request
    /// that checks visibility reads it).
    fn directory(&self) -> ApiResult<Directory>;
    /// The workspace SLA targets (fixture `settings.sla`, else the defaults).
    fn sla_targets(&self) -> ApiResult<SlaTargets>;
    fn settings(&self) -> ApiResult<Settings>;
    fn snippets(&self) -> ApiResult<Vec<parley_domain::wire::Snippet>>;
    /// Adds a saved reply; returns its id.
    fn create_snippet(&self, category: &str, title: &str, text: &str) -> ApiResult<parley_domain::SnippetId>;
    /// Whether a saved reply with that id existed (and now has these values).
    fn update_snippet(&self, id: &parley_domain::SnippetId, category: &str, title: &str, text: &str)
    -> ApiResult<bool>;
    /// Whether a saved reply with that id existed.
    fn delete_snippet(&self, id: &parley_domain::SnippetId) -> ApiResult<bool>;
    /// The id and password hash of the user with this email, for signing in.
    fn password_of(&self, email: &str) -> ApiResult<Option<(UserId, String)>>;
    /// Sets a user's availability; whether it changed.
    fn set_availability(&self, user: &UserId, availability: parley_domain::Availability) -> ApiResult<bool>;
    fn channel_kind(&self, id: &ChannelId) -> ApiResult<ChannelKind>;
    /// The closing reasons in the close dialog's order.
    fn closing_reasons(&self) -> ApiResult<Vec<ClosingReason>>;
    /// Adds a reason (already checked) at the end of the list.
    fn create_closing_reason(&self, name: &str) -> ApiResult<ClosingReason>;
    /// Whether the reason existed to be renamed.
    fn rename_closing_reason(&self, id: &ClosingReasonId, name: &str) -> ApiResult<bool>;
    fn delete_closing_reason(&self, id: &ClosingReasonId) -> ApiResult<bool>;
    /// Puts the reasons in the order of `ids` (each reason exactly once, checked by the caller).
    fn reorder_closing_reasons(&self, ids: &[ClosingReasonId]) -> ApiResult<()>;
    /// The message templates, by name.
    fn templates(&self) -> ApiResult<Vec<MessageTemplate>>;
    /// Adds a template (already validated).
    fn create_template(&self, input: &TemplateInput, now: i64) -> ApiResult<MessageTemplate>;
    /// Whether the template existed (and now has these values).
    fn update_template(&self, id: &TemplateId, input: &TemplateInput) -> ApiResult<bool>;
    fn delete_template(&self, id: &TemplateId) -> ApiResult<bool>;
}

/// The templates by name, as both databases list them.
pub(crate) const TEMPLATE_SELECT: &str =
    "SELECT id, name, language, category, body, approved FROM templates ORDER BY name, seq";
pub(crate) const TEMPLATE_INSERT: &str =
    "INSERT INTO templates (id, name, language, category, body, approved, created_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
pub(crate) const TEMPLATE_UPDATE: &str =
    "UPDATE templates SET name = ?2, language = ?3, category = ?4, body = ?5, approved = ?6 WHERE id = ?1";

/// The stored form of a validated input: name and body trimmed.
pub(crate) fn template_row(id: TemplateId, input: &TemplateInput) -> MessageTemplate {
    MessageTemplate {
        id,
        name: input.name.trim().to_owned(),
        language: input.language.clone(),
        category: input.category,
        body: input.body.trim().to_owned(),
        approved: input.approved,
    }
}

impl WorkspaceStore for Connection {
    fn user(&self, id: &UserId) -> ApiResult<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1");
        Ok(self.query_row(&sql, [id.as_str()], |r| user_from_row(self, r)).optional()?)
    }
    fn users(&self) -> ApiResult<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY name, id");
        let mut stmt = self.prepare(&sql)?;
        let rows = stmt.query_map([], |r| user_from_row(self, r))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn teams(&self) -> ApiResult<Vec<Team>> {
        let mut stmt = self.prepare("SELECT id, name FROM teams ORDER BY position")?;
        let rows = stmt.query_map([], |r| Ok(Team { id: r.get::<_, String>(0)?.as_str().into(), name: r.get(1)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn channels(&self) -> ApiResult<Vec<Channel>> {
        let mut stmt = self.prepare("SELECT id, kind, name FROM channels ORDER BY position")?;
        let rows = stmt.query_map([], |r| {
            Ok(Channel {
                id: r.get::<_, String>(0)?.as_str().into(),
                kind: parse_enum(&r.get::<_, String>(1)?)?,
                name: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn workspace(&self) -> ApiResult<Workspace> {
        let members = self
            .users()?
            .into_iter()
            .map(|u| Member { id: u.id, name: u.name, role: u.role, teams: u.teams })
            .collect();
        Ok(Workspace { teams: self.teams()?, members, channels: self.channels()?, sla: self.sla_targets()? })
    }
    fn directory(&self) -> ApiResult<Directory> {
        let mut members: std::collections::HashMap<UserId, Vec<parley_domain::TeamId>> = self
            .prepare_cached("SELECT id FROM users")?
            .query_map([], |r| Ok((UserId(r.get(0)?), Vec::new())))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.prepare_cached("SELECT user_id, team_id FROM team_members")?;
        for row in stmt.query_map([], |r| Ok((UserId(r.get(0)?), r.get::<_, String>(1)?)))? {
            let (user, team) = row?;
            members.entry(user).or_default().push(team.as_str().into());
        }
        Ok(Directory::new(self.teams()?, members.iter().map(|(u, t)| (u, t.as_slice()))))
    }
    fn sla_targets(&self) -> ApiResult<SlaTargets> {
        Ok(self.meta("sla")?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
    }
    fn settings(&self) -> ApiResult<Settings> {
        Ok(self.meta("settings")?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
    }
    fn snippets(&self) -> ApiResult<Vec<parley_domain::wire::Snippet>> {
        let mut stmt =
            self.prepare_cached("SELECT id, category, title, text FROM snippets ORDER BY category, title, id")?;
        let rows = stmt.query_map([], |r| {
            Ok(parley_domain::wire::Snippet {
                id: parley_domain::SnippetId(r.get(0)?),
                category: r.get(1)?,
                title: r.get(2)?,
                text: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn create_snippet(&self, category: &str, title: &str, text: &str) -> ApiResult<parley_domain::SnippetId> {
        let n: i64 = self.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM snippets", [], |r| r.get(0))?;
        let id = parley_domain::SnippetId(format!("sn-{n}"));
        self.execute(
            "INSERT INTO snippets (id, category, title, text) VALUES (?1, ?2, ?3, ?4)",
            params![id.as_str(), category, title, text],
        )?;
        Ok(id)
    }
    fn update_snippet(
        &self,
        id: &parley_domain::SnippetId,
        category: &str,
        title: &str,
        text: &str,
    ) -> ApiResult<bool> {
        let changed = self.execute(
            "UPDATE snippets SET category = ?2, title = ?3, text = ?4 WHERE id = ?1",
            params![id.as_str(), category, title, text],
        )?;
        Ok(changed > 0)
    }
    fn delete_snippet(&self, id: &parley_domain::SnippetId) -> ApiResult<bool> {
        Ok(self.execute("DELETE FROM snippets WHERE id = ?1", [id.as_str()])? > 0)
    }
    fn password_of(&self, email: &str) -> ApiResult<Option<(UserId, String)>> {
        Ok(self
            .query_row("SELECT id, password_hash FROM users WHERE email = ?1", [email], |r| {
                Ok((UserId(r.get(0)?), r.get(1)?))
            })
            .optional()?)
    }
    fn set_availability(&self, user: &UserId, availability: parley_domain::Availability) -> ApiResult<bool> {
        let value = enum_str(&availability);
        let changed = self.execute(
            "UPDATE users SET availability = ?2 WHERE id = ?1 AND availability <> ?2",
            params![user.as_str(), value],
        )?;
        Ok(changed > 0)
    }
    fn channel_kind(&self, id: &ChannelId) -> ApiResult<ChannelKind> {
        let kind: String = self.query_row("SELECT kind FROM channels WHERE id = ?1", [id.as_str()], |r| r.get(0))?;
        Ok(parse_enum(&kind)?)
    }
    fn closing_reasons(&self) -> ApiResult<Vec<ClosingReason>> {
        let mut stmt = self.prepare_cached("SELECT id, name FROM closing_reasons ORDER BY position, seq")?;
        let rows = stmt.query_map([], |r| Ok(ClosingReason { id: ClosingReasonId(r.get(0)?), name: r.get(1)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn create_closing_reason(&self, name: &str) -> ApiResult<ClosingReason> {
        let (n, position): (i64, i64) = self.query_row(
            "SELECT COALESCE(MAX(seq), 0) + 1, COALESCE(MAX(position), 0) + 1 FROM closing_reasons",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let reason = ClosingReason { id: ClosingReasonId(format!("cr-{n}")), name: name.to_owned() };
        self.execute(
            "INSERT INTO closing_reasons (id, name, position) VALUES (?1, ?2, ?3)",
            params![reason.id.as_str(), name, position],
        )?;
        Ok(reason)
    }
    fn rename_closing_reason(&self, id: &ClosingReasonId, name: &str) -> ApiResult<bool> {
        Ok(self.execute("UPDATE closing_reasons SET name = ?2 WHERE id = ?1", params![id.as_str(), name])? > 0)
    }
    fn delete_closing_reason(&self, id: &ClosingReasonId) -> ApiResult<bool> {
        Ok(self.execute("DELETE FROM closing_reasons WHERE id = ?1", [id.as_str()])? > 0)
    }
    fn reorder_closing_reasons(&self, ids: &[ClosingReasonId]) -> ApiResult<()> {
        for (position, id) in ids.iter().enumerate() {
            self.execute(
                "UPDATE closing_reasons SET position = ?2 WHERE id = ?1",
                params![id.as_str(), position as i64 + 1],
            )?;
        }
        Ok(())
    }
    fn templates(&self) -> ApiResult<Vec<MessageTemplate>> {
        let mut stmt = self.prepare_cached(TEMPLATE_SELECT)?;
        let rows = stmt.query_map([], |r| {
            Ok(MessageTemplate {
                id: TemplateId(r.get(0)?),
                name: r.get(1)?,
                language: r.get(2)?,
                category: parse_enum(&r.get::<_, String>(3)?)?,
                body: r.get(4)?,
                approved: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn create_template(&self, input: &TemplateInput, now: i64) -> ApiResult<MessageTemplate> {
        let n: i64 = self.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM templates", [], |r| r.get(0))?;
        let t = template_row(TemplateId(format!("tp-{n}")), input);
        self.execute(
            TEMPLATE_INSERT,
            params![t.id.as_str(), t.name, t.language, enum_str(&t.category), t.body, t.approved, now],
        )?;
        Ok(t)
    }
    fn update_template(&self, id: &TemplateId, input: &TemplateInput) -> ApiResult<bool> {
        let t = template_row(id.clone(), input);
        let params = params![t.id.as_str(), t.name, t.language, enum_str(&t.category), t.body, t.approved];
        Ok(self.execute(TEMPLATE_UPDATE, params)? > 0)
    }
    fn delete_template(&self, id: &TemplateId) -> ApiResult<bool> {
        Ok(self.execute("DELETE FROM templates WHERE id = ?1", [id.as_str()])? > 0)
    }
}
