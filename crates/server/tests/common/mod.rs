//! A real server on a loopback port over a real database, and clients for it.
//!
//! The database is a SQLite file in the test's directory, or, when `PARLEY_TEST_PG` holds a
//! PostgreSQL URL (`cargo xtask test` sets it for the suite's second run), a database of
//! its own on that server (`t_<random>`, created on first use, its URL kept in the
//! directory so a restart finds it again, dropped with the last server on it).

#![allow(dead_code)]

pub mod openapi;

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use parley_domain::wire::{ClientFrame, ServerFrame};
use parley_server::{AppState, Config, open, serve};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

/// Sales = {aaron, lea, tess}; Support = {aaron, nina, sam}; max is a manager in no team.
pub fn fixture() -> Value {
    let user = |id: &str, role: &str, restriction: &str, teams: &[&str]| {
        json!({"id": id, "name": id.to_uppercase(), "email": format!("{id}@test"), "password": "pw",
               "role": role, "restriction": restriction, "teams": teams})
    };
    let contact = |id: &str, assignee: Option<&str>| {
        json!({"id": id, "name": format!("Contact {id}"), "phone": "+33 6 00 00 00 00", "assignee": assignee,
               "channels": ["wa", "mail"]})
    };
    let conversation = |id: &str, contact: &str, status: &str| {
        json!({"id": id, "contact": contact, "channel": "wa", "status": status,
               "messages": [{"direction": "incoming", "text": format!("hello from {contact}"), "at": "-10m"}]})
    };
    json!({
        "teams": [{"id": "sales", "name": "Sales"}, {"id": "support", "name": "Support"}],
        "users": [
            json!({"id": "max", "name": "MAX", "email": "max@test", "password": "pw", "role": "manager",
                   "restriction": "none", "teams": [], "permissions": ["bulk_resolve"]}),
            user("aaron", "agent", "none", &["sales", "support"]),
            user("lea", "agent", "none", &["sales"]),
            user("nina", "agent", "none", &["support"]),
            user("tess", "agent", "team", &["sales"]),
            user("sam", "agent", "self", &["support"]),
        ],
        "channels": [{"id": "wa", "kind": "whatsapp", "name": "WhatsApp"}, {"id": "mail", "kind": "email", "name": "Mail"}],
        "contacts": [
            contact("k-aaron", Some("aaron")), contact("k-lea", Some("lea")), contact("k-nina", Some("nina")),
            contact("k-sam", Some("sam")), contact("k-max", Some("max")), contact("k-none", None),
            contact("k-closed", Some("aaron")),
            contact("k-fresh", None), contact("k-fresh2", None),
        ],
        "conversations": [
            conversation("c-aaron", "k-aaron", "new"), conversation("c-lea", "k-lea", "pending"),
            conversation("c-nina", "k-nina", "new"), conversation("c-sam", "k-sam", "new"),
            conversation("c-max", "k-max", "snoozed"), conversation("c-none", "k-none", "new"),
            conversation("c-closed", "k-closed", "closed"),
        ],
    })
}

pub struct TestServer {
    pub base: String,
    pub ws: String,
    /// Checks every answer against the OpenAPI document ([`openapi::check`]).
    pub http: Http,
    pub dir: tempfile::TempDir,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
        // A restart took the directory away (and keeps the database).
        if let Ok(url) = std::fs::read_to_string(self.dir.path().join(PG_URL_FILE)) {
            drop_pg_database(&url);
        }
    }
}

/// The environment variable naming the PostgreSQL server the suite runs against.
pub const PG_ENV: &str = "PARLEY_TEST_PG";
const PG_URL_FILE: &str = "pg-url";

/// Whether this run is against PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var_os(PG_ENV).is_some_and(|v| !v.is_empty())
}

/// `--db` for the test directory `dir`: its SQLite file, or its PostgreSQL database.
pub fn db_in(dir: &Path) -> PathBuf {
    if !on_postgres() {
        return dir.join("parley.sqlite3");
    }
    if let Ok(url) = std::fs::read_to_string(dir.join(PG_URL_FILE)) {
        return url.into();
    }
    let base = std::env::var(PG_ENV).unwrap();
    let name = format!("t_{:016x}", rand_u64());
    // C collation: text sorts and compares as in SQLite (byte order, ASCII-only case).
    pg_admin(&base, format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"));
    let (prefix, _) = base.rsplit_once('/').expect("a URL ending in /dbname");
    let url = format!("{prefix}/{name}");
    std::fs::write(dir.join(PG_URL_FILE), &url).unwrap();
    url.into()
}

fn rand_u64() -> u64 {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).unwrap();
    u64::from_le_bytes(b)
}

/// Runs one statement on the admin database, on a thread of its own (the sync client must
/// not run on the test's runtime).
fn pg_admin(url: &str, sql: String) {
    let url = url.to_owned();
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        client.batch_execute(&sql).unwrap();
    })
    .join()
    .unwrap();
}

fn drop_pg_database(url: &str) {
    let name = url.rsplit('/').next().unwrap().to_owned();
    pg_admin(&std::env::var(PG_ENV).unwrap(), format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}

/// The text values of the first column of `sql`, read straight from the test's database.
pub fn sql_strings(dir: &Path, sql: &str) -> Vec<String> {
    let db = db_in(dir);
    if on_postgres() {
        let (url, sql) = (db.to_str().unwrap().to_owned(), sql.to_owned());
        return std::thread::spawn(move || {
            let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            client.query(&sql, &[]).unwrap().iter().map(|r| r.get::<_, String>(0)).collect()
        })
        .join()
        .unwrap();
    }
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// The one integer `sql` answers, read straight from the test's database.
pub fn sql_i64(dir: &Path, sql: &str) -> i64 {
    let db = db_in(dir);
    if on_postgres() {
        let (url, sql) = (db.to_str().unwrap().to_owned(), sql.to_owned());
        return std::thread::spawn(move || {
            let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            client.query_one(&sql, &[]).unwrap().get::<_, i64>(0)
        })
        .join()
        .unwrap();
    }
    rusqlite::Connection::open(db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Runs `f` on the test's database through the server's own storage layer.
pub async fn read_store<T: Send + 'static>(
    dir: PathBuf,
    f: impl FnOnce(&dyn parley_server::storage::Store) -> parley_server::error::ApiResult<T> + Send + 'static,
) -> T {
    let db = parley_server::db::Db::open(&db_in(&dir)).unwrap();
    db.read(f).await.unwrap()
}

pub async fn start() -> TestServer {
    start_in(tempfile::tempdir().unwrap(), 0).await
}

/// Starts a server whose fixture `change` adjusted first (e.g. workspace settings).
pub async fn start_with(change: impl FnOnce(&mut Value)) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let mut f = fixture();
    change(&mut f);
    std::fs::write(dir.path().join("custom.json"), f.to_string()).unwrap();
    start_from(dir, "custom.json", 0).await
}

/// Starts a server on the database in `dir` (seeding it if empty) with the clock moved by
/// `offset_ms`.
pub async fn start_in(dir: tempfile::TempDir, offset_ms: i64) -> TestServer {
    std::fs::write(dir.path().join("fixture.json"), fixture().to_string()).unwrap();
    start_from(dir, "fixture.json", offset_ms).await
}

async fn start_from(dir: tempfile::TempDir, fixture_file: &str, offset_ms: i64) -> TestServer {
    start_tuned_in(dir, fixture_file, offset_ms, |_| {}, |_| {}).await
}

/// Starts a server on the test fixture with its configuration and state adjusted first
/// (a small event log, short socket queues, a gated password check…).
pub async fn start_tuned(tune: impl FnOnce(&mut Config), prepare: impl FnOnce(&mut AppState)) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fixture.json"), fixture().to_string()).unwrap();
    start_tuned_in(dir, "fixture.json", 0, tune, prepare).await
}

/// [`start_tuned`] on a fixture that `change` adjusted first.
pub async fn start_with_tuning(
    change: impl FnOnce(&mut Value),
    tune: impl FnOnce(&mut Config),
    prepare: impl FnOnce(&mut AppState),
) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let mut f = fixture();
    change(&mut f);
    std::fs::write(dir.path().join("custom.json"), f.to_string()).unwrap();
    start_tuned_in(dir, "custom.json", 0, tune, prepare).await
}

async fn start_tuned_in(
    dir: tempfile::TempDir,
    fixture_file: &str,
    offset_ms: i64,
    tune: impl FnOnce(&mut Config),
    prepare: impl FnOnce(&mut AppState),
) -> TestServer {
    let path = dir.path().join(fixture_file);
    let mut config = Config {
        db: db_in(dir.path()),
        // Where SQLite keeps them by default, on either backend.
        files: Some(dir.path().join("parley.sqlite3.attachments")),
        fixture: Some(path),
        static_dir: None,
        simulator: true,
        test_clock: true,
        ..Config::new(Default::default())
    };
    tune(&mut config);
    launch(&config, dir, offset_ms, prepare).await
}

/// Opens `config`'s database and serves it on a loopback port.
async fn launch(
    config: &Config,
    dir: tempfile::TempDir,
    offset_ms: i64,
    prepare: impl FnOnce(&mut AppState),
) -> TestServer {
    let mut state = open(config).unwrap();
    prepare(&mut state);
    state.clock.set_offset(offset_ms);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        serve(listener, state, None).await.unwrap();
    });
    TestServer {
        base: format!("http://{addr}/api/v1"),
        ws: format!("ws://{addr}/api/v1/ws"),
        http: Http::default(),
        dir,
        task,
    }
}

impl TestServer {
    /// A second server (another instance) on this one's database and files; the database
    /// stays this server's (dropped with it).
    pub async fn beside(&self) -> TestServer {
        self.beside_prepared(|_| {}).await
    }

    /// [`TestServer::beside`] with its state adjusted first (e.g. `log_poll`).
    pub async fn beside_prepared(&self, prepare: impl FnOnce(&mut AppState)) -> TestServer {
        let config = Config {
            db: db_in(self.dir.path()),
            files: Some(self.dir.path().join("parley.sqlite3.attachments")),
            simulator: true,
            test_clock: true,
            ..Config::new(Default::default())
        };
        launch(&config, tempfile::tempdir().unwrap(), 0, prepare).await
    }

    /// Stops this server as if its process had died (its tasks end, its scheduler's
    /// connection closes); the database stays, now `heir`'s to drop.
    pub async fn die_leaving_to(mut self, heir: &TestServer) {
        self.task.abort();
        let _ = (&mut self.task).await;
        let url = self.dir.path().join(PG_URL_FILE);
        if let Ok(text) = std::fs::read_to_string(&url) {
            std::fs::write(heir.dir.path().join(PG_URL_FILE), text).unwrap();
            std::fs::remove_file(url).unwrap();
        }
    }

    /// Stops this server and starts another on the same database file.
    pub async fn restart(mut self, offset_ms: i64) -> TestServer {
        self.task.abort();
        let _ = (&mut self.task).await;
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap());
        start_in(dir, offset_ms).await
    }

    pub async fn delete(&self, token: &str, path: &str) -> (u16, Value) {
        let res = self.http.delete(format!("{}{path}", self.base)).bearer_auth(token).send().await.unwrap();
        answer(res).await
    }

    pub async fn patch(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        let res = self.http.patch(format!("{}{path}", self.base)).bearer_auth(token).json(&body).send().await.unwrap();
        answer(res).await
    }

    /// Moves the server clock `offset_ms` from real time; returns the server's now.
    pub async fn set_clock(&self, offset_ms: i64) -> i64 {
        let (status, body) = self.post("", "/test/clock", serde_json::json!({"offset_ms": offset_ms})).await;
        assert_eq!(status, 200, "{body}");
        body["now"].as_i64().unwrap()
    }

    pub async fn sign_in(&self, user: &str) -> String {
        let res = self
            .http
            .post(format!("{}/session", self.base))
            .json(&json!({"email": format!("{user}@test"), "password": "pw"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "sign in {user}");
        res.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned()
    }

    pub async fn get(&self, token: &str, path: &str) -> (u16, Value) {
        let res = self.http.get(format!("{}{path}", self.base)).bearer_auth(token).send().await.unwrap();
        answer(res).await
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        let res = self.http.post(format!("{}{path}", self.base)).bearer_auth(token).json(&body).send().await.unwrap();
        answer(res).await
    }

    pub async fn put(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        let res = self.http.put(format!("{}{path}", self.base)).bearer_auth(token).json(&body).send().await.unwrap();
        answer(res).await
    }

    pub async fn inbound(&self, contact: &str, text: &str) -> Value {
        let (status, body) =
            self.post("", "/simulator/inbound", json!({"contact": contact, "channel": "wa", "text": text})).await;
        assert_eq!(status, 201, "{body}");
        body
    }

    /// `{inbox id: (open, new)}` for a user.
    pub async fn counts(&self, token: &str) -> Vec<(String, u64, u64)> {
        let (status, body) = self.get(token, "/inboxes").await;
        assert_eq!(status, 200);
        counts_of(&body["inboxes"])
    }

    pub async fn socket(&self, token: &str, since: Option<u64>) -> Socket {
        let (mut ws, _) = connect_async(&self.ws).await.unwrap();
        let hello = ClientFrame::Hello { token: token.to_owned(), since };
        ws.send(Message::Text(serde_json::to_string(&hello).unwrap().into())).await.unwrap();
        let mut s = Socket { ws };
        match s.frame().await {
            Some(ServerFrame::Welcome { .. }) => {}
            other => panic!("expected welcome, got {other:?}"),
        }
        match s.frame().await {
            Some(ServerFrame::Clock { .. }) => {}
            other => panic!("expected the clock, got {other:?}"),
        }
        s
    }
}

pub fn counts_of(v: &Value) -> Vec<(String, u64, u64)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap().to_owned(), c["open"].as_u64().unwrap(), c["new"].as_u64().unwrap()))
        .collect()
}

/// `reqwest::Client` whose answers are checked against the OpenAPI document before the
/// test sees them (bodies are read whole, then handed back as a new response).
#[derive(Clone, Default)]
pub struct Http(reqwest::Client);

impl Http {
    pub fn get(&self, url: impl reqwest::IntoUrl) -> Request {
        Request(self.0.get(url))
    }
    pub fn post(&self, url: impl reqwest::IntoUrl) -> Request {
        Request(self.0.post(url))
    }
    pub fn put(&self, url: impl reqwest::IntoUrl) -> Request {
        Request(self.0.put(url))
    }
    pub fn patch(&self, url: impl reqwest::IntoUrl) -> Request {
        Request(self.0.patch(url))
    }
    pub fn delete(&self, url: impl reqwest::IntoUrl) -> Request {
        Request(self.0.delete(url))
    }
}

/// `reqwest::RequestBuilder` with the methods the tests use; `send` checks the answer.
pub struct Request(reqwest::RequestBuilder);

impl Request {
    pub fn bearer_auth(self, token: impl std::fmt::Display) -> Self {
        Request(self.0.bearer_auth(token))
    }
    pub fn header(self, name: &str, value: &str) -> Self {
        Request(self.0.header(name, value))
    }
    pub fn json(self, body: &impl serde::Serialize) -> Self {
        Request(self.0.json(body))
    }
    pub fn body(self, body: impl Into<reqwest::Body>) -> Self {
        Request(self.0.body(body))
    }
    pub fn multipart(self, form: reqwest::multipart::Form) -> Self {
        Request(self.0.multipart(form))
    }

    pub async fn send(self) -> reqwest::Result<reqwest::Response> {
        let (client, request) = self.0.build_split();
        let request = request?;
        let method = request.method().to_string();
        let res = client.execute(request).await?;
        let (status, url, headers) = (res.status(), res.url().to_string(), res.headers().clone());
        let body = res.bytes().await?;
        let content_type = headers.get("content-type").and_then(|v| v.to_str().ok());
        openapi::check(&method, &url, status.as_u16(), content_type, &body);
        let mut rebuilt = axum::http::Response::new(body);
        *rebuilt.status_mut() = status;
        *rebuilt.headers_mut() = headers;
        Ok(rebuilt.into())
    }
}

async fn answer(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) })
}

pub struct Socket {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Socket {
    pub async fn send(&mut self, frame: &ClientFrame) {
        self.ws.send(Message::Text(serde_json::to_string(frame).unwrap().into())).await.unwrap();
    }

    /// The next frame, or None after 1.5 s of silence.
    pub async fn frame(&mut self) -> Option<ServerFrame> {
        self.frame_within(Duration::from_millis(1500)).await
    }

    /// The next frame, or None after `quiet` of silence.
    pub async fn frame_within(&mut self, quiet: Duration) -> Option<ServerFrame> {
        loop {
            match tokio::time::timeout(quiet, self.ws.next()).await {
                Ok(Some(Ok(Message::Text(t)))) => return Some(serde_json::from_str(&t).unwrap()),
                Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Err(_) => return None,
                Ok(Some(Ok(_))) => continue,
                Ok(Some(Err(e))) => panic!("socket error: {e}"),
            }
        }
    }

    /// Every event seq received until the socket is quiet, and the last counts seen.
    pub async fn drain(&mut self) -> (Vec<(u64, String)>, Option<Value>) {
        let mut events = Vec::new();
        let mut counts = None;
        while let Some(frame) = self.frame().await {
            match frame {
                ServerFrame::Batch { events: evs, inboxes } => {
                    for e in evs {
                        let conv = e.kind.conversation().map(|c| c.id.to_string()).unwrap_or_default();
                        events.push((e.seq, conv));
                    }
                    if let Some(i) = inboxes {
                        counts = Some(serde_json::to_value(i).unwrap());
                    }
                }
                ServerFrame::Clock { .. } | ServerFrame::Presence { .. } => {}
                other => panic!("unexpected frame {other:?}"),
            }
        }
        (events, counts)
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}
