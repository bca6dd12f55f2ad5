//! Users, teams, channels, the directory, workspace settings and saved replies.

use crate::error::ApiResult;
use parley_domain::sla::SlaTargets;
use parley_domain::wire::{Member, Workspace};
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

/// The workspace SLA targets (fixture `settings.sla`, else the defaults).
pub fn sla_targets(conn: &Connection) -> ApiResult<SlaTargets> {
    Ok(meta(conn, "sla")?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
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

/// Adds a saved reply; returns its id.
pub fn create_snippet(tx: &Connection, category: &str, title: &str, text: &str) -> ApiResult<String> {
    let n: i64 = tx.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM snippets", [], |r| r.get(0))?;
    let id = format!("sn-{n}");
    tx.execute(
        "INSERT INTO snippets (id, category, title, text) VALUES (?1, ?2, ?3, ?4)",
        params![id, category, title, text],
    )?;
    Ok(id)
}

/// Whether a saved reply with that id existed (and now has these values).
pub fn update_snippet(tx: &Connection, id: &str, category: &str, title: &str, text: &str) -> ApiResult<bool> {
    let changed = tx.execute(
        "UPDATE snippets SET category = ?2, title = ?3, text = ?4 WHERE id = ?1",
        params![id, category, title, text],
    )?;
    Ok(changed > 0)
}

/// Whether a saved reply with that id existed.
pub fn delete_snippet(tx: &Connection, id: &str) -> ApiResult<bool> {
    Ok(tx.execute("DELETE FROM snippets WHERE id = ?1", [id])? > 0)
}

/// The id and password hash of the user with this email, for signing in.
pub fn password_of(conn: &Connection, email: &str) -> ApiResult<Option<(UserId, String)>> {
    Ok(conn
        .query_row("SELECT id, password_hash FROM users WHERE email = ?1", [email], |r| {
            Ok((UserId(r.get(0)?), r.get(1)?))
        })
        .optional()?)
}

/// Sets a user's availability; whether it changed.
pub fn set_availability(tx: &Connection, user: &UserId, availability: parley_domain::Availability) -> ApiResult<bool> {
    let value = enum_str(&availability);
    let changed = tx.execute(
        "UPDATE users SET availability = ?2 WHERE id = ?1 AND availability <> ?2",
        params![user.as_str(), value],
    )?;
    Ok(changed > 0)
}

pub fn channel_kind(conn: &Connection, id: &ChannelId) -> ApiResult<ChannelKind> {
    let kind: String = conn.query_row("SELECT kind FROM channels WHERE id = ?1", [id.as_str()], |r| r.get(0))?;
    Ok(parse_enum(&kind)?)
}

/// The workspace part of [`Store`](super::Store).
pub trait WorkspaceStore {
    fn user(&self, id: &UserId) -> ApiResult<Option<User>>;
    fn users(&self) -> ApiResult<Vec<User>>;
    fn teams(&self) -> ApiResult<Vec<Team>>;
    fn channels(&self) -> ApiResult<Vec<Channel>>;
    fn workspace(&self) -> ApiResult<Workspace>;
    fn directory(&self) -> ApiResult<Directory>;
    fn sla_targets(&self) -> ApiResult<SlaTargets>;
    fn settings(&self) -> ApiResult<Settings>;
    fn snippets(&self) -> ApiResult<Vec<parley_domain::wire::Snippet>>;
    fn create_snippet(&self, category: &str, title: &str, text: &str) -> ApiResult<String>;
    fn update_snippet(&self, id: &str, category: &str, title: &str, text: &str) -> ApiResult<bool>;
    fn delete_snippet(&self, id: &str) -> ApiResult<bool>;
    fn password_of(&self, email: &str) -> ApiResult<Option<(UserId, String)>>;
    fn set_availability(&self, user: &UserId, availability: parley_domain::Availability) -> ApiResult<bool>;
    fn channel_kind(&self, id: &ChannelId) -> ApiResult<ChannelKind>;
}

impl WorkspaceStore for Connection {
    fn user(&self, id: &UserId) -> ApiResult<Option<User>> {
        user(self, id)
    }
    fn users(&self) -> ApiResult<Vec<User>> {
        users(self)
    }
    fn teams(&self) -> ApiResult<Vec<Team>> {
        teams(self)
    }
    fn channels(&self) -> ApiResult<Vec<Channel>> {
        channels(self)
    }
    fn workspace(&self) -> ApiResult<Workspace> {
        workspace(self)
    }
    fn directory(&self) -> ApiResult<Directory> {
        directory(self)
    }
    fn sla_targets(&self) -> ApiResult<SlaTargets> {
        sla_targets(self)
    }
    fn settings(&self) -> ApiResult<Settings> {
        settings(self)
    }
    fn snippets(&self) -> ApiResult<Vec<parley_domain::wire::Snippet>> {
        snippets(self)
    }
    fn create_snippet(&self, category: &str, title: &str, text: &str) -> ApiResult<String> {
        create_snippet(self, category, title, text)
    }
    fn update_snippet(&self, id: &str, category: &str, title: &str, text: &str) -> ApiResult<bool> {
        update_snippet(self, id, category, title, text)
    }
    fn delete_snippet(&self, id: &str) -> ApiResult<bool> {
        delete_snippet(self, id)
    }
    fn password_of(&self, email: &str) -> ApiResult<Option<(UserId, String)>> {
        password_of(self, email)
    }
    fn set_availability(&self, user: &UserId, availability: parley_domain::Availability) -> ApiResult<bool> {
        set_availability(self, user, availability)
    }
    fn channel_kind(&self, id: &ChannelId) -> ApiResult<ChannelKind> {
        channel_kind(self, id)
    }
}
