//! The PostgreSQL backend (`--db postgres://…`): the same [`Store`](super::Store) traits
//! over [`conn::PgConn`], one file per resource like the SQLite ones, the SQL of each
//! in the PostgreSQL dialect where SQLite's differs.
//!
//! Invariants, as SQLite's single writer gives them:
//! - every write transaction first takes one transaction-scoped advisory lock
//!   ([`WRITE_LOCK`]), so writes are serialised across every connection and instance,
//!   and an op's reads-then-writes (the open conversation, a client id already used)
//!   never race another instance;
//! - `seq` is allocated by `UPDATE … RETURNING` on the `meta` row `seq` (a row lock held
//!   to commit), never by a sequence, so seqs increase in commit order;
//! - `conversations_one_open` and `users_email` (on `lower(email)`) are unique indexes, as
//!   in SQLite.

mod calls;
pub mod conn;
mod contacts;
mod conversations;
mod custom_inboxes;
mod events;
pub mod leader;
mod messages;
mod notes;
pub mod notify;
mod reports;
mod rules;
mod sessions;
mod workspace;

use conn::{OptionalExtension, PgConn, params};

use crate::error::ApiResult;
use crate::storage::MetaStore;

/// The advisory lock every write transaction holds (any constant unique to Parley).
pub const WRITE_LOCK: i64 = 0x5041_524c_4559;

/// Schema versions, numbered as SQLite's (`db::MIGRATIONS`): version N is the same schema
/// on both. Recorded in `schema_version`. Append only.
/// SQLite's shapes are kept: integers are `BIGINT` (flags 0/1 included), JSON is `TEXT`,
/// `seq INTEGER PRIMARY KEY` row ids are `BIGSERIAL`.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position BIGINT NOT NULL
);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    restriction TEXT NOT NULL,
    permissions TEXT NOT NULL DEFAULT '[]',
    availability TEXT NOT NULL DEFAULT 'available'
);
-- SQLite's `UNIQUE COLLATE NOCASE`.
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (team_id, user_id)
);
CREATE TABLE channels (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    position BIGINT NOT NULL
);
CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    country TEXT,
    language TEXT,
    assignee TEXT REFERENCES users(id),
    blocked BIGINT NOT NULL DEFAULT 0,
    channels TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    channel_id TEXT NOT NULL REFERENCES channels(id),
    status TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    last_activity_at BIGINT NOT NULL,
    last_incoming_seq BIGINT NOT NULL DEFAULT 0,
    unread BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 0
);
-- A contact has at most one open conversation.
CREATE UNIQUE INDEX conversations_one_open ON conversations(contact_id) WHERE status != 'closed';
CREATE INDEX conversations_activity ON conversations(last_activity_at DESC, id DESC);
CREATE TABLE messages (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    channel_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    sender_kind TEXT NOT NULL,
    sender_id TEXT,
    sender_name TEXT NOT NULL,
    text TEXT NOT NULL,
    at BIGINT NOT NULL,
    delivery TEXT NOT NULL,
    client_id TEXT
);
CREATE INDEX messages_conversation ON messages(conversation_id, seq);
CREATE UNIQUE INDEX messages_client_id ON messages(conversation_id, client_id) WHERE client_id IS NOT NULL;
CREATE TABLE acks (
    user_id TEXT NOT NULL REFERENCES users(id),
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq BIGINT NOT NULL,
    PRIMARY KEY (user_id, conversation_id)
);
CREATE TABLE sessions (
    token TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE TABLE events (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    audience TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#,
    r#"
ALTER TABLE conversations ADD COLUMN snoozed_until BIGINT;
ALTER TABLE conversations ADD COLUMN snooze_note TEXT;
ALTER TABLE conversations ADD COLUMN awaiting_since BIGINT;
ALTER TABLE conversations ADD COLUMN replied_before BIGINT NOT NULL DEFAULT 0;
CREATE INDEX conversations_snoozed ON conversations(snoozed_until) WHERE status = 'snoozed';
CREATE TABLE notes (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    author TEXT NOT NULL REFERENCES users(id),
    text TEXT NOT NULL,
    at BIGINT NOT NULL,
    edited_at BIGINT
);
CREATE INDEX notes_conversation ON notes(conversation_id, seq);
CREATE TABLE activities (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    actor_id TEXT,
    actor_name TEXT NOT NULL,
    at BIGINT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX activities_conversation ON activities(conversation_id, seq);
"#,
    r#"
CREATE TABLE snippets (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL
);
"#,
    r#"
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    uploader TEXT NOT NULL REFERENCES users(id),
    message_id TEXT REFERENCES messages(id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    kind TEXT NOT NULL,
    duration_ms BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_message ON attachments(message_id);
"#,
    r#"
ALTER TABLE contacts ADD COLUMN online BIGINT NOT NULL DEFAULT 0;
"#,
    r#"
DELETE FROM events;
INSERT INTO meta (key, value) SELECT 'pruned_through', value FROM meta WHERE key = 'seq'
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
"#,
    r#"
CREATE TABLE custom_inboxes (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    owner TEXT NOT NULL REFERENCES users(id),
    filter TEXT NOT NULL,
    sharing TEXT NOT NULL
);
"#,
    r#"
CREATE TABLE crm_values (
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (contact_id, key)
);
"#,
    r#"
CREATE TABLE calls (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    channel_id TEXT NOT NULL REFERENCES channels(id),
    direction TEXT NOT NULL,
    state TEXT NOT NULL,
    agent TEXT REFERENCES users(id),
    started_at BIGINT NOT NULL,
    answered_at BIGINT,
    ended_at BIGINT,
    recording BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX calls_contact ON calls(contact_id, seq);
CREATE INDEX calls_live ON calls(state) WHERE state IN ('ringing', 'ongoing');
"#,
    r#"
ALTER TABLE contacts ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE contacts ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}';
"#,
    r#"
DELETE FROM sessions;
ALTER TABLE sessions RENAME COLUMN token TO token_hash;
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
"#,
    r#"
ALTER TABLE events ADD COLUMN blocked BIGINT NOT NULL DEFAULT 0;
CREATE INDEX sessions_last_seen ON sessions(last_seen_at);
"#,
    // The workspace's closing reasons, in the close dialog's order (issue 14, item 6):
    // the four the app offered before, until owners and managers change them.
    r#"
CREATE TABLE closing_reasons (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    position BIGINT NOT NULL
);
INSERT INTO closing_reasons (id, name, position) VALUES
    ('resolved', 'Resolved', 1), ('spam', 'Spam', 2), ('duplicate', 'Duplicate', 3), ('no_response', 'No response', 4);
"#,
    r#"
CREATE TABLE ack_log (
    seq BIGINT PRIMARY KEY,
    user_id TEXT NOT NULL,
    acks TEXT NOT NULL
);
"#,
    // The contacts page's search; compared byte by byte as in SQLite (COLLATE "C"), so a
    // prefix is an index range and the order is the same on both.
    r#"
ALTER TABLE contacts ADD COLUMN sort_name TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE TABLE contact_terms (
    term TEXT COLLATE "C" NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (term, contact_id)
);
CREATE INDEX contact_terms_contact ON contact_terms(contact_id);
CREATE INDEX contacts_sort ON contacts(sort_name, id);
CREATE INDEX contacts_assignee_sort ON contacts(assignee, sort_name, id);
INSERT INTO meta (key, value) VALUES ('contact_terms', 'stale');
"#,
    // A contact's conversations (the sidebar's Conversations tab, merges) by contact: the
    // only index on contact_id was the partial one of open conversations.
    r#"
CREATE INDEX conversations_contact ON conversations(contact_id, last_activity_at);
"#,
    r#"
CREATE TABLE templates (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    language TEXT NOT NULL,
    category TEXT NOT NULL,
    body TEXT NOT NULL,
    approved BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
ALTER TABLE messages ADD COLUMN template_id TEXT;
"#,
    // A contact may be assigned to a team instead of a user (issue 14, item 4); never
    // both (ops::set_assignee writes the two columns together).
    r#"
ALTER TABLE contacts ADD COLUMN assigned_team TEXT REFERENCES teams(id);
CREATE INDEX contacts_assigned_team ON contacts(assigned_team) WHERE assigned_team IS NOT NULL;
"#,
    // The contacts search reads a page from the terms alone (ContactSearch::sql): each term
    // carries its contact's sort key, assignee, team and blocked flag, which the trigger
    // keeps equal to the contact's; contact_terms_search covers them, for index-only
    // reads. A broad search checks contacts one by one: (contact_id, term) finds a
    // contact's term in a range without reading the others.
    r#"
ALTER TABLE contact_terms ADD COLUMN sort_name TEXT COLLATE "C" NOT NULL DEFAULT '',
    ADD COLUMN assignee TEXT, ADD COLUMN assigned_team TEXT, ADD COLUMN blocked BIGINT NOT NULL DEFAULT 0;
UPDATE contact_terms t SET sort_name = k.sort_name, assignee = k.assignee, assigned_team = k.assigned_team, blocked = k.blocked
FROM contacts k WHERE k.id = t.contact_id;
DROP INDEX contact_terms_contact;
CREATE INDEX contact_terms_contact ON contact_terms(contact_id, term);
CREATE INDEX contact_terms_search ON contact_terms(term) INCLUDE (sort_name, contact_id, assignee, assigned_team, blocked);
CREATE FUNCTION contact_terms_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE contact_terms SET sort_name = NEW.sort_name, assignee = NEW.assignee, assigned_team = NEW.assigned_team,
        blocked = NEW.blocked
    WHERE contact_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER contact_terms_follow AFTER UPDATE OF sort_name, assignee, assigned_team, blocked ON contacts FOR EACH ROW
    WHEN (OLD.sort_name IS DISTINCT FROM NEW.sort_name OR OLD.assignee IS DISTINCT FROM NEW.assignee
        OR OLD.assigned_team IS DISTINCT FROM NEW.assigned_team OR OLD.blocked IS DISTINCT FROM NEW.blocked)
    EXECUTE FUNCTION contact_terms_follow();
"#,
    // Workflow rules (issue 15, item 3), in the order they run; a built-in rule (the
    // former settings `auto_assign` and `unassign_on_close`, whose values it takes) keeps
    // only its switch and place here, the rest is the domain's (`rules::builtins`). A
    // rule's trigger, conditions and actions are one JSON `body`. `rule_runs`: the
    // no-reply rules that fired for a conversation (once each). `business_hours`: the one
    // weekly schedule (time zone + the days' intervals as JSON).
    r#"
CREATE TABLE rules (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    position BIGINT NOT NULL,
    enabled BIGINT NOT NULL,
    builtin BIGINT NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    body TEXT NOT NULL
);
INSERT INTO rules (id, position, enabled, builtin, name, body) VALUES
    ('auto_assign', 1, COALESCE((SELECT (value::jsonb->>'auto_assign')::boolean::int FROM meta WHERE key = 'settings'), 0), 1, '', '{}'),
    ('unassign_on_close', 2, COALESCE((SELECT (value::jsonb->>'unassign_on_close')::boolean::int FROM meta WHERE key = 'settings'), 0), 1, '', '{}');
CREATE TABLE rule_runs (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    rule_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, rule_id)
);
CREATE TABLE business_hours (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    time_zone TEXT NOT NULL,
    days TEXT NOT NULL
);
"#,
];

/// Brings the schema up to date, one transaction per version, under the write lock so
/// that instances starting together migrate once.
pub fn migrate(conn: &PgConn) -> conn::Result<()> {
    assert_eq!(MIGRATIONS.len(), super::db::MIGRATION_COUNT, "one PostgreSQL migration per SQLite migration");
    conn.batch("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")?;
    loop {
        conn.batch("BEGIN")?;
        let step = (|| {
            conn.execute("SELECT pg_advisory_xact_lock(?1)", params![WRITE_LOCK])?;
            let current: Option<i64> =
                conn.query_row("SELECT MAX(version) FROM schema_version", params![], |r| r.get(0))?;
            let current = current.unwrap_or(0) as usize;
            let Some(sql) = MIGRATIONS.get(current) else { return Ok(false) };
            conn.batch(sql)?;
            conn.execute("INSERT INTO schema_version (version) VALUES (?1)", params![current as i64 + 1])?;
            Ok(true)
        })();
        match step {
            Ok(more) => {
                conn.batch("COMMIT")?;
                if !more {
                    return Ok(());
                }
            }
            Err(e) => {
                let _ = conn.batch("ROLLBACK");
                return Err(e);
            }
        }
    }
}

impl MetaStore for PgConn {
    fn meta(&self, key: &str) -> ApiResult<Option<String>> {
        Ok(self.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }
    fn set_meta(&self, key: &str, value: &str) -> ApiResult<()> {
        self.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
    fn current_seq(&self) -> ApiResult<u64> {
        Ok(self.meta("seq")?.and_then(|s| s.parse().ok()).unwrap_or(0))
    }
    fn pruned_through(&self) -> ApiResult<u64> {
        Ok(self.meta("pruned_through")?.and_then(|s| s.parse().ok()).unwrap_or(0))
    }
    fn exists(&self, table: &str, id: &str) -> ApiResult<bool> {
        debug_assert!(table.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "a table name, not input");
        Ok(self.query_row(&format!("SELECT EXISTS(SELECT 1 FROM {table} WHERE id = ?1)"), [id], |r| r.get(0))?)
    }
}

/// At start: seeds an empty database from the fixture (one transaction, under the write
/// lock, so two instances starting together seed once), records the log capacity, and
/// returns the current seq.
pub fn start(url: &str, fixture: Option<&std::path::Path>, log_capacity: u64, now: i64) -> Result<u64, String> {
    let (url, fixture) = (url.to_owned(), fixture.map(ToOwned::to_owned));
    off_runtime(move || Ok(start_here(&url, fixture.as_deref(), log_capacity, now))).map_err(|e| e.to_string())?
}

/// Runs `f` on a thread of its own: the sync client must not block a thread that drives
/// async tasks (see [`PgConn`]), and opening happens in async code.
pub fn off_runtime<T: Send + 'static>(f: impl FnOnce() -> conn::Result<T> + Send + 'static) -> conn::Result<T> {
    std::thread::spawn(f).join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Contacts from which a start that seeded or indexed them analyses the tables.
const ANALYZE_FROM: i64 = 1_000;

fn start_here(url: &str, fixture: Option<&std::path::Path>, log_capacity: u64, now: i64) -> Result<u64, String> {
    let conn = PgConn::connect(url).map_err(|e| e.to_string())?;
    let fixture = fixture.map(|path| Ok::<_, String>((path, super::fixture::load(path)?))).transpose()?;
    let seeded = (|| -> conn::Result<Result<bool, String>> {
        conn.batch("BEGIN")?;
        conn.execute("SELECT pg_advisory_xact_lock(?1)", params![WRITE_LOCK])?;
        let empty: bool = conn.query_row("SELECT NOT EXISTS(SELECT 1 FROM users)", params![], |r| r.get(0))?;
        let Some((_, f)) = fixture.as_ref().filter(|_| empty) else { return Ok(Ok(false)) };
        let statements = match super::fixture::statements(f, now) {
            Ok(s) => s,
            Err(e) => return Ok(Err(e)),
        };
        for (sql, values) in statements {
            let values: Vec<conn::Value> = values.into_iter().map(from_sqlite).collect();
            conn.execute(sql, values)?;
        }
        Ok(Ok(true))
    })();
    let seeded = match seeded {
        Ok(Ok(seeded)) => {
            conn.batch("COMMIT").map_err(|e| e.to_string())?;
            if let (true, Some((path, _))) = (seeded, &fixture) {
                tracing::info!(fixture = %path.display(), "seeded an empty database");
            }
            seeded
        }
        Ok(Err(e)) => {
            let _ = conn.batch("ROLLBACK");
            return Err(e);
        }
        Err(e) => {
            let _ = conn.batch("ROLLBACK");
            return Err(format!("seeding failed: {e}"));
        }
    };
    let indexed = (|| -> ApiResult<bool> {
        conn.batch("BEGIN")?;
        conn.execute("SELECT pg_advisory_xact_lock(?1)", params![WRITE_LOCK])?;
        let indexed = crate::storage::index_stale_contacts(&conn)?;
        conn.batch("COMMIT")?;
        Ok(indexed)
    })();
    let indexed = match indexed {
        Ok(indexed) => indexed,
        Err(e) => {
            let _ = conn.batch("ROLLBACK");
            return Err(format!("indexing contacts failed: {e}"));
        }
    };
    // Tables filled in one go have no statistics until autovacuum's next round (up to a
    // minute): meanwhile the planner guessed, and a contact search at 100,000 contacts
    // took 3 s instead of milliseconds. Not for a few contacts: statistics of a tiny table
    // make the foreign-key checks' cached plans scan it, and a bulk import in one
    // transaction then grows quadratic (20,000 visitors: 70 s instead of seconds).
    // Counted only after such a start: a plain restart reads no table for this.
    let many = || -> conn::Result<bool> {
        conn.query_row("SELECT COUNT(*) >= ?1 FROM contacts", params![ANALYZE_FROM], |r| r.get(0))
    };
    // A vacuum too: the contact search reads pages from contact_terms' covering index, and
    // until a vacuum marks the table's pages all-visible every entry read also reads the
    // table (the first search after seeding 100,000 contacts: 106 ms instead of 17); done
    // here, autovacuum does not come to every freshly filled table in the first minutes.
    if (seeded || indexed) && many().map_err(|e| e.to_string())? {
        conn.batch("VACUUM (ANALYZE)").map_err(|e| format!("vacuuming the seeded tables failed: {e}"))?;
    }
    conn.set_meta("log_capacity", &log_capacity.max(1).to_string()).map_err(|e| e.to_string())?;
    conn.current_seq().map_err(|e| e.to_string())
}

fn from_sqlite(v: rusqlite::types::Value) -> conn::Value {
    use rusqlite::types::Value as V;
    match v {
        V::Null => conn::Value::Null,
        V::Integer(i) => conn::Value::Int(i),
        V::Real(f) => conn::Value::Real(f),
        V::Text(s) => conn::Value::Text(s),
        V::Blob(_) => unreachable!("the schema has no blobs"),
    }
}
