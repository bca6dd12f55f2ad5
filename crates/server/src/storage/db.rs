//! The database: opening, schema migrations, one writer connection and a small pool of
//! readers, for a SQLite file or a PostgreSQL database (`storage::pg`, chosen by `--db`).
//!
//! One writer behind a mutex serialises writes, which is what gives events their strictly
//! increasing sequence numbers in commit order. In WAL mode readers see the last commit
//! and never wait for a write transaction, so reads (sessions, lists, the fan-out's
//! event reads) go to a pool of read-only connections. All calls run on the blocking pool
//! so they never stall the runtime. PostgreSQL gets the same shape (its write transactions
//! also take an advisory lock, which extends the serialisation across instances, and its
//! reads are REPEATABLE READ READ ONLY transactions: one snapshot each).

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult};
use crate::storage::Store;
use crate::storage::pg::{self, conn::PgConn};

/// Schema versions, applied in order and recorded in `PRAGMA user_version`.
/// Append only: a released migration never changes.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    restriction TEXT NOT NULL,
    permissions TEXT NOT NULL DEFAULT '[]',
    availability TEXT NOT NULL DEFAULT 'available'
);
CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (team_id, user_id)
);
CREATE TABLE channels (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    country TEXT,
    language TEXT,
    assignee TEXT REFERENCES users(id),
    blocked INTEGER NOT NULL DEFAULT 0,
    channels TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    channel_id TEXT NOT NULL REFERENCES channels(id),
    status TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL,
    last_incoming_seq INTEGER NOT NULL DEFAULT 0,
    unread INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 0
);
-- A contact has at most one open conversation.
CREATE UNIQUE INDEX conversations_one_open ON conversations(contact_id) WHERE status != 'closed';
CREATE INDEX conversations_activity ON conversations(last_activity_at DESC, id DESC);
CREATE TABLE messages (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    channel_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    sender_kind TEXT NOT NULL,
    sender_id TEXT,
    sender_name TEXT NOT NULL,
    text TEXT NOT NULL,
    at INTEGER NOT NULL,
    delivery TEXT NOT NULL,
    client_id TEXT
);
CREATE INDEX messages_conversation ON messages(conversation_id, seq);
-- Idempotent sending: a client id is used once per conversation.
CREATE UNIQUE INDEX messages_client_id ON messages(conversation_id, client_id) WHERE client_id IS NOT NULL;
-- What each user has acknowledged: the conversation's last incoming event seq.
CREATE TABLE acks (
    user_id TEXT NOT NULL REFERENCES users(id),
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq INTEGER NOT NULL,
    PRIMARY KEY (user_id, conversation_id)
);
CREATE TABLE sessions (
    token TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
-- The event log the WebSocket streams and resumes from. `audience` is a JSON array of
-- the assignees (null = unassigned) whose viewers may see the event.
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    audience TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#,
    r#"
ALTER TABLE conversations ADD COLUMN snoozed_until INTEGER;
ALTER TABLE conversations ADD COLUMN snooze_note TEXT;
-- The SLA clock: since when the team owes a reply (NULL: it does not), and whether the
-- team replied before (next-response rather than first-response target).
ALTER TABLE conversations ADD COLUMN awaiting_since INTEGER;
ALTER TABLE conversations ADD COLUMN replied_before INTEGER NOT NULL DEFAULT 0;
CREATE INDEX conversations_snoozed ON conversations(snoozed_until) WHERE status = 'snoozed';
CREATE TABLE notes (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    author TEXT NOT NULL REFERENCES users(id),
    text TEXT NOT NULL,
    at INTEGER NOT NULL,
    edited_at INTEGER
);
CREATE INDEX notes_conversation ON notes(conversation_id, seq);
-- The audit trail. `detail` is the JSON of the activity kind.
CREATE TABLE activities (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    actor_id TEXT,
    actor_name TEXT NOT NULL,
    at INTEGER NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX activities_conversation ON activities(conversation_id, seq);
"#,
    r#"
CREATE TABLE snippets (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL
);
"#,
    r#"
-- Uploaded files; bytes live in the attachments directory under `id`. `message_id` is
-- set when a message takes the upload.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    uploader TEXT NOT NULL REFERENCES users(id),
    message_id TEXT REFERENCES messages(id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    kind TEXT NOT NULL,
    duration_ms INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX attachments_message ON attachments(message_id);
"#,
    r#"
-- A web-chat visitor on the page right now (set by the channel; the simulator here).
ALTER TABLE contacts ADD COLUMN online INTEGER NOT NULL DEFAULT 0;
"#,
    r#"
-- Event payloads changed form (externally tagged): old rows cannot be replayed, so the
-- log restarts and anyone resuming from before gets a resync.
DELETE FROM events;
INSERT OR REPLACE INTO meta (key, value) SELECT 'pruned_through', value FROM meta WHERE key = 'seq';
"#,
    r#"
-- Saved filter views. `filter` and `sharing` are the JSON of the domain types.
CREATE TABLE custom_inboxes (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    owner TEXT NOT NULL REFERENCES users(id),
    filter TEXT NOT NULL,
    sharing TEXT NOT NULL
);
"#,
    r#"
-- The reference server's local "CRM" integration: one value per contact and field key.
CREATE TABLE crm_values (
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (contact_id, key)
);
"#,
    r#"
-- Calls, ringing or logged. The contact's assignee decides who sees a call, as for
-- conversations; `agent` is who answered or placed it.
CREATE TABLE calls (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    channel_id TEXT NOT NULL REFERENCES channels(id),
    direction TEXT NOT NULL,
    state TEXT NOT NULL,
    agent TEXT REFERENCES users(id),
    started_at INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at INTEGER,
    recording INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX calls_contact ON calls(contact_id, seq);
CREATE INDEX calls_live ON calls(state) WHERE state IN ('ringing', 'ongoing');
"#,
    r#"
-- A contact's tags (JSON array of normalised tags) and custom attributes (JSON object,
-- name -> value).
ALTER TABLE contacts ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE contacts ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}';
"#,
    // Session tokens are kept as SHA-256 digests (a leaked database holds no usable
    // token) and expire after 30 days unused; tokens stored before cannot be hashed in
    // SQL, so those sessions end once (their users sign in again).
    r#"
DELETE FROM sessions;
ALTER TABLE sessions RENAME COLUMN token TO token_hash;
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
"#,
    // An event about a blocked contact reaches only holders of `view_blocked`.
    r#"
ALTER TABLE events ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sessions_last_seen ON sessions(last_seen_at);
"#,
    // The workspace's closing reasons, in the close dialog's order (issue 14, item 6):
    // the four the app offered before, until owners and managers change them.
    r#"
CREATE TABLE closing_reasons (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    position INTEGER NOT NULL
);
INSERT INTO closing_reasons (id, name, position) VALUES
    ('resolved', 'Resolved', 1), ('spam', 'Spam', 2), ('duplicate', 'Duplicate', 3), ('no_response', 'No response', 4);
"#,
    // Acknowledgements in log order (a seq of their own, pruned with the events), so every
    // instance's fan-out applies them to its live counts, not only the one that took them.
    // `acks` is the JSON array of [conversation, seq] pairs.
    r#"
CREATE TABLE ack_log (
    seq INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL,
    acks TEXT NOT NULL
);
"#,
    // The contacts page's search (domain contact_search): each contact's search terms and
    // the folded name results are ordered by, written by the server (index_contact); the
    // contacts already there are indexed at the next start (index_stale_contacts).
    r#"
ALTER TABLE contacts ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
CREATE TABLE contact_terms (
    term TEXT NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (term, contact_id)
) WITHOUT ROWID;
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
    // Message templates (issue 14, item 2): what may still go out once a channel's
    // service window has closed; a message sent from one names it.
    r#"
CREATE TABLE templates (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    language TEXT NOT NULL,
    category TEXT NOT NULL,
    body TEXT NOT NULL,
    approved INTEGER NOT NULL,
    created_at INTEGER NOT NULL
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
    // keeps equal to the contact's. (The table holds its columns in the primary key's
    // order, so a range of terms reads them without another index.)
    r#"
ALTER TABLE contact_terms ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
ALTER TABLE contact_terms ADD COLUMN assignee TEXT;
ALTER TABLE contact_terms ADD COLUMN assigned_team TEXT;
ALTER TABLE contact_terms ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;
UPDATE contact_terms SET sort_name = k.sort_name, assignee = k.assignee, assigned_team = k.assigned_team, blocked = k.blocked
FROM contacts k WHERE k.id = contact_terms.contact_id;
CREATE TRIGGER contact_terms_follow AFTER UPDATE OF sort_name, assignee, assigned_team, blocked ON contacts
BEGIN
    UPDATE contact_terms SET sort_name = NEW.sort_name, assignee = NEW.assignee, assigned_team = NEW.assigned_team,
        blocked = NEW.blocked
    WHERE contact_id = NEW.id;
END;
"#,
    // Workflow rules (issue 15, item 3), in the order they run; a built-in rule (the
    // former settings `auto_assign` and `unassign_on_close`, whose values it takes) keeps
    // only its switch and place here, the rest is the domain's (`rules::builtins`). A
    // rule's trigger, conditions and actions are one JSON `body`. `rule_runs`: the
    // no-reply rules that fired for a conversation (once each). `business_hours`: the one
    // weekly schedule (time zone + the days' intervals as JSON).
    r#"
CREATE TABLE rules (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    enabled INTEGER NOT NULL,
    builtin INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    body TEXT NOT NULL
);
INSERT INTO rules (id, position, enabled, builtin, name, body) VALUES
    ('auto_assign', 1, COALESCE((SELECT json_extract(value, '$.auto_assign') FROM meta WHERE key = 'settings'), 0), 1, '', '{}'),
    ('unassign_on_close', 2, COALESCE((SELECT json_extract(value, '$.unassign_on_close') FROM meta WHERE key = 'settings'), 0), 1, '', '{}');
CREATE TABLE rule_runs (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    rule_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, rule_id)
);
CREATE TABLE business_hours (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    time_zone TEXT NOT NULL,
    days TEXT NOT NULL
);
"#,
];

/// How many migrations there are: PostgreSQL's (`pg::MIGRATIONS`) must match, number for number.
pub(crate) const MIGRATION_COUNT: usize = MIGRATIONS.len();

/// Read connections: enough for both cores plus requests waiting on file IO.
const READERS: usize = 4;

/// A handle on the database, cheap to clone.
#[derive(Clone)]
pub struct Db {
    backend: Backend,
    /// Told the last seq after every committed write, from the writer's own thread: a
    /// request whose client went away still wakes the sockets for what it committed.
    committed: Arc<std::sync::OnceLock<Box<dyn Fn(u64) + Send + Sync>>>,
}

/// One writer connection (writes are serialised in this process either way) and a pool of
/// readers, of either database.
#[derive(Clone)]
enum Backend {
    Sqlite { writer: Arc<Mutex<Connection>>, readers: Arc<Readers<Connection>> },
    Postgres { url: Arc<str>, writer: Arc<Mutex<PgConn>>, readers: Arc<Readers<PgConn>> },
}

/// Idle read connections; a permit guarantees one is there to take.
struct Readers<C> {
    idle: Mutex<Vec<C>>,
    permits: Semaphore,
}

/// Whether `--db` names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres(db: &Path) -> bool {
    db.to_str().is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// `--db` as logs may show it: a PostgreSQL URL without its password.
pub fn shown(db: &Path) -> String {
    let text = db.display().to_string();
    match (is_postgres(db), text.split_once("://"), text.rfind('@')) {
        (true, Some((scheme, rest)), Some(at)) => {
            let user = rest[..at - scheme.len() - 3].split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{}", &text[at + 1..])
        }
        _ => text,
    }
}

fn configure(conn: &Connection) -> Result<(), rusqlite::Error> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

impl Db {
    /// Opens and migrates the database `--db` names: a SQLite file, or a `postgres://` URL.
    pub fn open(path: &Path) -> Result<Db, String> {
        let backend = if is_postgres(path) {
            let url: Arc<str> = path.to_str().expect("checked").into();
            let (writer, readers) = pg::off_runtime({
                let url = url.clone();
                move || {
                    let writer = PgConn::connect(&url)?;
                    pg::migrate(&writer)?;
                    let readers = (0..READERS).map(|_| PgConn::connect(&url)).collect::<Result<Vec<_>, _>>()?;
                    Ok((writer, readers))
                }
            })
            .map_err(|e| e.to_string())?;
            Backend::Postgres {
                url,
                writer: Arc::new(Mutex::new(writer)),
                readers: Arc::new(Readers { idle: Mutex::new(readers), permits: Semaphore::new(READERS) }),
            }
        } else {
            let (writer, readers) = open_sqlite(path).map_err(|e| e.to_string())?;
            Backend::Sqlite {
                writer: Arc::new(Mutex::new(writer)),
                readers: Arc::new(Readers { idle: Mutex::new(readers), permits: Semaphore::new(READERS) }),
            }
        };
        Ok(Db { backend, committed: Arc::new(std::sync::OnceLock::new()) })
    }

    /// Sets what every committed write reports its last seq to (the fan-out's wake-up).
    pub fn on_commit(&self, f: impl Fn(u64) + Send + Sync + 'static) {
        let _ = self.committed.set(Box::new(f));
    }

    /// On PostgreSQL, a thread that hears every instance's commits and relayed presence
    /// ([`pg::notify`]); `None` on SQLite, whose one process hears its own commits through
    /// [`Db::on_commit`].
    pub fn listen(&self, poll: std::time::Duration, ears: pg::notify::Ears) -> Option<pg::notify::Listener> {
        match &self.backend {
            Backend::Postgres { url, .. } => Some(pg::notify::listen(url.clone(), poll, ears)),
            Backend::Sqlite { .. } => None,
        }
    }

    /// On PostgreSQL, this instance's claim to the scheduled jobs ([`pg::leader`]); `None`
    /// on SQLite, where the one process always runs them.
    pub fn leader(&self) -> Option<pg::leader::Leader> {
        match &self.backend {
            Backend::Postgres { url, .. } => Some(pg::leader::Leader::new(url.clone())),
            Backend::Sqlite { .. } => None,
        }
    }

    /// Runs `f` with the writer connection on the blocking pool (no transaction).
    pub async fn call<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> ApiResult<T> + Send + 'static,
    {
        match &self.backend {
            Backend::Sqlite { writer, .. } => on_writer(writer.clone(), move |conn| f(conn)).await,
            Backend::Postgres { url, writer, .. } => {
                let url = url.clone();
                on_writer(writer.clone(), move |conn| f(reconnected(conn, &url)?)).await
            }
        }
    }

    /// Runs `f` inside one transaction: all of it commits, or none of it.
    pub async fn write<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> ApiResult<T> + Send + 'static,
    {
        let committed = self.committed.clone();
        match &self.backend {
            Backend::Sqlite { writer, .. } => {
                on_writer(writer.clone(), move |conn| {
                    let tx = conn.transaction()?;
                    let out = f(&*tx)?;
                    tx.commit()?;
                    if let Some(report) = committed.get() {
                        report((&*conn as &dyn Store).current_seq()?);
                    }
                    Ok(out)
                })
                .await
            }
            Backend::Postgres { url, writer, .. } => {
                let url = url.clone();
                on_writer(writer.clone(), move |conn| {
                    let conn = reconnected(conn, &url)?;
                    // The advisory lock serialises writers across instances as SQLite's
                    // single writer does within one (released at commit or rollback).
                    let begin = format!("BEGIN; SELECT pg_advisory_xact_lock({})", pg::WRITE_LOCK);
                    let (out, seq) = pg_transaction(conn, &begin, f)?;
                    // Other instances hear it from the notification; this one at once.
                    if let (Some(seq), Some(report)) = (seq, committed.get()) {
                        report(seq);
                    }
                    Ok(out)
                })
                .await
            }
        }
    }

    /// Runs `f` on a read connection, inside one read transaction so that everything it
    /// reads comes from the same commit. Never waits for a writer.
    pub async fn read<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> ApiResult<T> + Send + 'static,
    {
        match &self.backend {
            Backend::Sqlite { readers, .. } => {
                on_reader(readers.clone(), move |conn| {
                    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Deferred)?;
                    let out = f(&*tx)?;
                    tx.finish()?;
                    Ok(out)
                })
                .await
            }
            Backend::Postgres { url, readers, .. } => {
                let url = url.clone();
                on_reader(readers.clone(), move |conn| {
                    let conn = reconnected(conn, &url)?;
                    // One snapshot for the whole read, as SQLite's read transaction.
                    Ok(pg_transaction(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", f)?.0)
                })
                .await
            }
        }
    }
}

/// Runs `f` with the writer on the blocking pool.
async fn on_writer<C, T, F>(conn: Arc<Mutex<C>>, f: F) -> ApiResult<T>
where
    C: Send + 'static,
    T: Send + 'static,
    F: FnOnce(&mut C) -> ApiResult<T> + Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        let mut guard = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("database task failed: {e}")))?
}

/// Runs `f` with an idle reader on the blocking pool.
async fn on_reader<C, T, F>(readers: Arc<Readers<C>>, f: F) -> ApiResult<T>
where
    C: Send + 'static,
    T: Send + 'static,
    F: FnOnce(&mut C) -> ApiResult<T> + Send + 'static,
{
    let permit = readers.permits.acquire().await.map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut conn = readers.idle.lock().unwrap_or_else(|p| p.into_inner()).pop().expect("a permit means an idle reader");
    // The blocking task gives the reader back itself: the request may be cancelled (the
    // client went away) while it runs, and a permit released without its connection would
    // let a later read find the pool empty.
    permit.forget();
    tokio::task::spawn_blocking(move || {
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut conn)));
        match out {
            Ok(out) => {
                readers.idle.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
                readers.permits.add_permits(1);
                out
            }
            // The connection goes down with the task: the pool has one reader fewer.
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
    .await
    .map_err(|e| ApiError::Internal(format!("database task failed: {e}")))?
}

/// The connection, opened again first if the server closed it (a restart, a failover).
fn reconnected<'c>(conn: &'c mut PgConn, url: &str) -> ApiResult<&'c mut PgConn> {
    if conn.is_closed() {
        *conn = PgConn::connect(url)?;
    }
    Ok(conn)
}

/// `begin`, then `f`, then `COMMIT`; `ROLLBACK` if `f` or the commit fails. A transaction
/// that took a seq notifies it in the same round trip as its `COMMIT` (delivered at
/// commit: [`pg::notify`]) and returns it.
fn pg_transaction<T>(
    conn: &PgConn,
    begin: &str,
    f: impl FnOnce(&dyn Store) -> ApiResult<T>,
) -> ApiResult<(T, Option<u64>)> {
    conn.take_seq();
    conn.batch(begin)?;
    let done = f(conn).and_then(|out| {
        let seq = conn.take_seq();
        match seq {
            Some(seq) => conn.batch(&format!("SELECT pg_notify('{}', '{seq}'); COMMIT", pg::notify::CHANNEL))?,
            None => conn.batch("COMMIT")?,
        }
        Ok((out, seq))
    });
    match done {
        Ok(out) => Ok(out),
        Err(e) => {
            let _ = conn.batch("ROLLBACK");
            Err(e)
        }
    }
}

fn open_sqlite(path: &Path) -> Result<(Connection, Vec<Connection>), rusqlite::Error> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    configure(&conn)?;
    migrate(&mut conn)?;
    let readers = (0..READERS)
        .map(|_| {
            let r = Connection::open(path)?;
            configure(&r)?;
            // A read that tries to write is a bug: fail it rather than race the writer.
            r.pragma_update(None, "query_only", "ON")?;
            Ok(r)
        })
        .collect::<Result<Vec<_>, rusqlite::Error>>()?;
    Ok((conn, readers))
}

fn migrate(conn: &mut Connection) -> Result<(), rusqlite::Error> {
    let current: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A read whose request is cancelled mid-way (the client went away) still gives its
    /// connection back: later reads, more than the pool holds, all find one.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_cancelled_read_gives_its_reader_back() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("db.sqlite3")).unwrap();
        let slow = {
            let db = db.clone();
            tokio::spawn(async move {
                db.read(|s| {
                    std::thread::sleep(std::time::Duration::from_millis(200));
                    s.current_seq()
                })
                .await
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        slow.abort();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        // Slow enough that every permit is taken at once.
        let reads: Vec<_> = (0..12)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move {
                    db.read(|s| {
                        std::thread::sleep(std::time::Duration::from_millis(50));
                        s.current_seq()
                    })
                    .await
                })
            })
            .collect();
        for read in reads {
            assert_eq!(read.await.unwrap().unwrap(), 0);
        }
    }
}
