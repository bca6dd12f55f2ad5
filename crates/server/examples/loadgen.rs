//! The load generator behind `cargo xtask bench-server` (issue 9).
//!
//! It seeds a temporary database with N open conversations (teams, users of every role and
//! restriction, contacts assigned across them and unassigned), starts a real
//! `parley-server` on it, opens S WebSocket clients spread round-robin over the users, and
//! makes random contacts write in through the simulator at R messages a second for T
//! seconds. Every socket counts the `message_created` events it receives for those
//! messages; `parley_domain::visibility::can_see` says which sockets should receive each
//! one, so deliveries equal to expected means exactly once. Then it times the first page
//! of the All inbox, `GET /inboxes`, and `GET /me` while 40 tasks sign in with wrong
//! passwords, and prints one block of figures.
//!
//! `--smoke` also exits non-zero on any loss, duplicate, leak (a message delivered to a
//! socket whose user may not see it), resync, socket closed by the server or failed
//! inbound request. It never judges time.
//!
//! `--db postgres://…/postgres` runs it on PostgreSQL instead of a SQLite file: the
//! generator creates a database of its own on that server (dropped at the end), and
//! `--instances K` starts K servers on it, sharing one `--files` directory. Sockets and
//! inbound messages then go round-robin over the instances, so most deliveries cross from
//! the instance that committed to another (issue 13).
//!
//! Everything stops by itself: the sending phase lasts T seconds, waiting for deliveries
//! is bounded, and a watchdog ends the run (and the server) if a phase hangs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use parley_domain::visibility::{Directory, can_see};
use parley_domain::wire::{ClientFrame, EventKind, ServerFrame};
use parley_domain::{Permission, Restriction, Role, Team, TeamId, User, UserId};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

const USAGE: &str = "usage: loadgen --server PATH [--conversations N] [--sockets S] [--rate R] [--seconds T]
               [--drain SECONDS] [--seed N] [--smoke] [--only-lists] [--db URL] [--instances K]

  --server        the parley-server binary to start
  --conversations open conversations in the workspace (default 20000)
  --sockets       WebSocket clients, spread round-robin over the users (default 300)
  --rate          inbound messages per second (default 150)
  --seconds       how long to send (default 10)
  --drain         at most this long to wait for deliveries after sending (default 30)
  --seed          seed of the contact picks and assignees (default 9)
  --smoke         exit non-zero unless every message reached every socket that may see it
                  exactly once (no loss, duplicate, leak, resync, closed socket, failed send)
  --only-lists    skip sockets and sending: only the list, inbox and /me figures
  --db            a PostgreSQL server's admin URL (postgres://user@host:port/postgres): run
                  on a database created there for the run, instead of a SQLite file
  --instances     servers on that one database (default 1; more than 1 needs --db)";

const PASSWORD: &str = "bench-password";
const CHANNEL: &str = "wa";
/// Concurrent wrong sign-ins during the `GET /me` measurement.
const STORM_TASKS: usize = 40;

struct Args {
    server: PathBuf,
    conversations: usize,
    sockets: usize,
    rate: f64,
    seconds: f64,
    drain: f64,
    seed: u64,
    smoke: bool,
    only_lists: bool,
    db: Option<String>,
    instances: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        server: PathBuf::new(),
        conversations: 20_000,
        sockets: 300,
        rate: 150.0,
        seconds: 10.0,
        drain: 30.0,
        seed: 9,
        smoke: false,
        only_lists: false,
        db: None,
        instances: 1,
    };
    fn num<T: FromStr>(flag: &str, s: String) -> Result<T, String> {
        s.parse().map_err(|_| format!("{flag}: not a number: {s:?}"))
    }
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--server" => a.server = value()?.into(),
            "--conversations" => a.conversations = num(&flag, value()?)?,
            "--sockets" => a.sockets = num(&flag, value()?)?,
            "--rate" => a.rate = num(&flag, value()?)?,
            "--seconds" => a.seconds = num(&flag, value()?)?,
            "--drain" => a.drain = num(&flag, value()?)?,
            "--seed" => a.seed = num(&flag, value()?)?,
            "--smoke" => a.smoke = true,
            "--only-lists" => a.only_lists = true,
            "--db" => a.db = Some(value()?),
            "--instances" => a.instances = num(&flag, value()?)?,
            "-h" | "--help" => return Err(USAGE.into()),
            _ => return Err(format!("unknown flag {flag}\n{USAGE}")),
        }
    }
    if a.server.as_os_str().is_empty() {
        return Err(format!("--server is required\n{USAGE}"));
    }
    if a.db.as_deref().is_some_and(|db| !db.starts_with("postgres://")) {
        return Err("--db takes a postgres:// URL (without it, the run uses a SQLite file)".into());
    }
    if a.instances == 0 || a.instances > 4 || (a.instances > 1 && a.db.is_none()) {
        return Err("--instances is 1 to 4, and more than 1 needs --db (SQLite is one process's database)".into());
    }
    let positive = |x: f64| x.is_finite() && x > 0.0;
    if a.conversations == 0 || !positive(a.rate) || !positive(a.seconds) || !(a.drain == 0.0 || positive(a.drain)) {
        return Err("--conversations, --rate and --seconds must be positive".into());
    }
    // Bounded load: at most 100 000 messages, 5 000 sockets, 10 minutes.
    if a.rate * a.seconds > 100_000.0 || a.sockets > 5_000 || a.seconds > 600.0 || a.drain > 600.0 {
        return Err("too much load: rate × seconds ≤ 100 000, sockets ≤ 5 000, seconds and drain ≤ 600".into());
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("loadgen: {e}");
            return ExitCode::from(2);
        }
    };
    // The release profile aborts on panic, so Drop guards would not run: kill the server
    // from the panic hook as well.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default_hook(info);
        kill_server_now();
    }));
    let limit = Duration::from_secs_f64(600.0 + args.seconds + args.drain);
    std::thread::spawn(move || {
        std::thread::sleep(limit);
        eprintln!("loadgen: still running after {limit:?}; stopping the server and giving up");
        kill_server_now();
        std::process::exit(3);
    });
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    match runtime.block_on(run(args)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("loadgen: {e}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------------------
// The workspace

/// splitmix64: a deterministic hash of (seed, index), so picks do not depend on which
/// task sends which message.
fn mix(seed: u64, i: u64) -> u64 {
    let mut z = seed.wrapping_add(i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

struct Workspace {
    dir: Directory,
    users: Vec<User>,
    /// Per contact: index of its assignee in `users`, or None.
    assignees: Vec<Option<usize>>,
    fixture: Value,
}

impl Workspace {
    fn contact_id(i: usize) -> String {
        format!("k-{i:06}")
    }

    /// A first and last name from 16 each (so a name prefix matches a share of the
    /// contacts, as in a real workspace), then the index.
    fn contact_name(seed: u64, i: usize) -> String {
        const FIRST: [&str; 16] = [
            "Ana", "Bruno", "Chloé", "David", "Emma", "Farid", "Grace", "Hugo", "Inès", "Jonas", "Karim", "Léa",
            "Marc", "Nora", "Oscar", "Paula",
        ];
        const LAST: [&str; 16] = [
            "Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Garcia", "Roux", "Fournier",
            "Morel", "Girard", "André", "Mercier", "Blanc", "Faure",
        ];
        let h = mix(seed ^ 0x6e61_6d65, i as u64) as usize;
        format!("{} {} {i}", FIRST[h % 16], LAST[(h / 16) % 16])
    }

    /// A tenth of the contacts are `vip`, a seventh `billing`.
    fn contact_tags(i: usize) -> Vec<&'static str> {
        [(i % 10 == 0).then_some("vip"), (i % 7 == 0).then_some("billing")].into_iter().flatten().collect()
    }

    /// 3 teams; an owner, two managers and 21 agents: restrictions none/team/self in turn,
    /// in one team, two teams or none, half of them with calls. Contacts are assigned over
    /// all users, a quarter unassigned; each has one open conversation with one old
    /// incoming message. Automatic assignment stays off, so assignees never change.
    fn new(conversations: usize, seed: u64) -> Workspace {
        let teams: Vec<Team> =
            (1..=3).map(|i| Team { id: TeamId(format!("t-{i}")), name: format!("Team {i}") }).collect();
        let user = |id: String, role: Role, restriction: Restriction, teams: &[usize], calls: bool| User {
            name: format!("Bench {id}"),
            email: format!("{id}@bench.test"),
            id: UserId(id),
            role,
            restriction,
            teams: teams.iter().map(|&t| TeamId(format!("t-{}", t + 1))).collect(),
            permissions: if calls { vec![Permission::Calls] } else { vec![] },
            availability: Default::default(),
        };
        let mut users = vec![
            user("owner".into(), Role::Owner, Restriction::None, &[], true),
            user("manager-1".into(), Role::Manager, Restriction::None, &[0], true),
            user("manager-2".into(), Role::Manager, Restriction::None, &[1, 2], false),
        ];
        for i in 0..21 {
            let restriction = [Restriction::None, Restriction::Team, Restriction::SelfOnly][i % 3];
            // i % 7 against i % 3: every restriction meets every team layout.
            let teams: Vec<usize> = match i % 7 {
                0 => vec![0, 1],
                6 => vec![],
                k => vec![k % 3],
            };
            users.push(user(format!("agent-{:02}", i + 1), Role::Agent, restriction, &teams, i % 2 == 0));
        }
        let slots = users.len() + users.len() / 3;
        let assignees: Vec<Option<usize>> = (0..conversations)
            .map(|i| {
                let slot = (mix(seed, i as u64) % slots as u64) as usize;
                (slot < users.len()).then_some(slot)
            })
            .collect();
        let fixture = json!({
            "teams": teams.iter().map(|t| json!({"id": t.id, "name": t.name})).collect::<Vec<_>>(),
            "users": users.iter().map(|u| json!({
                "id": u.id, "name": u.name, "email": u.email, "password": PASSWORD, "role": u.role,
                "restriction": u.restriction, "teams": u.teams, "permissions": u.permissions,
            })).collect::<Vec<_>>(),
            "channels": [{"id": CHANNEL, "kind": "whatsapp", "name": "WhatsApp"},
                         {"id": "mail", "kind": "email", "name": "Mail"}],
            "contacts": assignees.iter().enumerate().map(|(i, a)| json!({
                "id": Self::contact_id(i), "name": Self::contact_name(seed, i),
                "phone": format!("+447700{i:06}"), "email": format!("contact{i}@bench.test"),
                "tags": Self::contact_tags(i), "assignee": a.map(|a| &users[a].id), "channels": [CHANNEL],
            })).collect::<Vec<_>>(),
            "conversations": (0..conversations).map(|i| json!({
                "id": format!("cv-{i:06}"), "contact": Self::contact_id(i), "channel": CHANNEL, "status": "new",
                "messages": [{"direction": "incoming", "text": format!("hello from contact {i}"),
                              "at": format!("-{}m", 1 + i % 2880)}],
            })).collect::<Vec<_>>(),
            "settings": {"auto_assign": false},
        });
        let dir = Directory::from_users(teams, &users);
        Workspace { dir, users, assignees, fixture }
    }

    /// `visible[user][slot]`: may the user see a contact whose assignee is `slot` (an index
    /// in `users`, or `users.len()` for unassigned)?
    fn visibility(&self) -> Vec<Vec<bool>> {
        self.users
            .iter()
            .map(|viewer| {
                let mut row: Vec<bool> = self
                    .users
                    .iter()
                    .map(|a| can_see(&self.dir, viewer, Some(&parley_domain::Assignee::User(a.id.clone()))))
                    .collect();
                row.push(can_see(&self.dir, viewer, None));
                row
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// The server process

/// Every running server's pid, for the panic hook and the watchdog.
static SERVER_PIDS: std::sync::Mutex<Vec<u32>> = std::sync::Mutex::new(Vec::new());

fn kill_server_now() {
    let pids = std::mem::take(&mut *SERVER_PIDS.lock().unwrap_or_else(|e| e.into_inner()));
    for pid in pids {
        let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
    }
}

/// The child `parley-server`; killed when dropped (and by the panic hook and watchdog).
struct Server {
    child: Child,
    log: PathBuf,
    base: String,
    ws: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        SERVER_PIDS.lock().unwrap_or_else(|e| e.into_inner()).retain(|&p| p != self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the servers keep their data: a SQLite file, or one PostgreSQL database for all.
enum Storage {
    Sqlite(PathBuf),
    Postgres { admin: String, name: String, url: String },
}

impl Storage {
    fn new(args: &Args, dir: &Path) -> Result<Storage, String> {
        let Some(admin) = &args.db else { return Ok(Storage::Sqlite(dir.join("db.sqlite3"))) };
        let name = format!("bench_{}", std::process::id());
        // C collation: the order SQLite's text has, which the server's lists assume.
        admin_sql(
            admin,
            &[
                format!("DROP DATABASE IF EXISTS {name}"),
                format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"),
            ],
        )
        .map_err(|e| format!("creating {name}: {e}"))?;
        let (prefix, _) = admin.rsplit_once('/').ok_or("--db: a URL ending in /dbname")?;
        Ok(Storage::Postgres { url: format!("{prefix}/{name}"), admin: admin.clone(), name })
    }

    fn arg(&self) -> String {
        match self {
            Storage::Sqlite(path) => path.display().to_string(),
            Storage::Postgres { url, .. } => url.clone(),
        }
    }

    fn describe(&self, instances: usize) -> String {
        match self {
            Storage::Sqlite(_) => "SQLite, 1 instance".into(),
            Storage::Postgres { .. } => {
                format!("PostgreSQL, {instances} instance{}", if instances == 1 { "" } else { "s" })
            }
        }
    }

    /// utime + stime of every PostgreSQL process on this machine (the bench's cluster;
    /// the server's backends do the database's share of the work). Zero on SQLite.
    fn cpu(&self) -> Duration {
        if matches!(self, Storage::Sqlite(_)) {
            return Duration::ZERO;
        }
        let Ok(procs) = std::fs::read_dir("/proc") else { return Duration::ZERO };
        procs
            .flatten()
            .filter(|p| p.file_name().to_string_lossy().bytes().all(|b| b.is_ascii_digit()))
            .filter(|p| std::fs::read_to_string(p.path().join("comm")).is_ok_and(|c| c.trim() == "postgres"))
            .map(|p| cpu_of(&p.path().join("stat").to_string_lossy()))
            .sum()
    }
}

impl Drop for Storage {
    fn drop(&mut self) {
        if let Storage::Postgres { admin, name, .. } = self
            && let Err(e) = admin_sql(admin, &[format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")])
        {
            eprintln!("loadgen: could not drop the database {name}: {e}");
        }
    }
}

/// Runs `statements` one by one (each its own transaction: `CREATE DATABASE` may not be
/// in one) on the admin database, on a thread of its own: the synchronous `postgres`
/// client runs a runtime of its own, which cannot start on one of tokio's threads.
fn admin_sql(url: &str, statements: &[String]) -> Result<(), String> {
    let (url, statements) = (url.to_owned(), statements.to_vec());
    std::thread::spawn(move || {
        let said = |e: postgres::Error| e.as_db_error().map_or_else(|| e.to_string(), |d| d.message().to_owned());
        let mut client = postgres::Client::connect(&url, postgres::NoTls).map_err(|e| format!("{url}: {}", said(e)))?;
        statements.iter().try_for_each(|sql| client.batch_execute(sql).map_err(said))
    })
    .join()
    .map_err(|_| "the admin connection's thread panicked".to_owned())?
}

impl Server {
    /// Instance `index` on `storage`; the first one seeds it from `fixture`.
    fn start(bin: &Path, dir: &Path, storage: &Storage, index: usize, fixture: &Path) -> Result<Server, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let log = dir.join(format!("server-{index}.log"));
        let out = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let mut cmd = Command::new(bin);
        cmd.arg("--listen").arg(format!("127.0.0.1:{port}")).arg("--db").arg(storage.arg());
        if matches!(storage, Storage::Postgres { .. }) {
            cmd.arg("--files").arg(dir.join("files"));
        }
        let child = cmd
            .arg("--fixture")
            .arg(fixture)
            .arg("--simulator")
            .env("RUST_LOG", "parley_server=info,tower_http=warn")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        SERVER_PIDS.lock().unwrap_or_else(|e| e.into_inner()).push(child.id());
        Ok(Server {
            child,
            log,
            base: format!("http://127.0.0.1:{port}/api/v1"),
            ws: format!("ws://127.0.0.1:{port}/api/v1/ws"),
        })
    }

    async fn wait_healthy(&mut self, http: &reqwest::Client, within: Duration) -> Result<(), String> {
        let until = Instant::now() + within;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("parley-server exited ({status}):\n{}", self.log_tail(20)));
            }
            if let Ok(res) = http.get(format!("{}/health", self.base)).send().await
                && res.status().is_success()
            {
                return Ok(());
            }
            if Instant::now() > until {
                return Err(format!("parley-server not healthy within {within:?}:\n{}", self.log_tail(20)));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// utime + stime of the server so far.
    fn cpu(&self) -> Duration {
        cpu_of(&format!("/proc/{}/stat", self.child.id()))
    }

    /// Waits (at most `within`) until the server uses under a tenth of a core, so that
    /// what follows is timed on a quiet server. Returns how long that took.
    async fn settle(&self, within: Duration) -> Duration {
        let began = Instant::now();
        let mut before = self.cpu();
        while began.elapsed() < within {
            tokio::time::sleep(Duration::from_millis(300)).await;
            let now = self.cpu();
            if now.saturating_sub(before) < Duration::from_millis(30) {
                break;
            }
            before = now;
        }
        began.elapsed()
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn log_tail(&self, lines: usize) -> String {
        let text = self.log_text();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

/// The servers of a run, on one storage. Servers drop (stop) before the storage (whose
/// PostgreSQL database is then dropped).
struct Fleet {
    servers: Vec<Server>,
    storage: Storage,
}

impl Fleet {
    /// Starts the first server (which seeds the storage), then the others beside it.
    async fn start(args: &Args, dir: &Path, fixture: &Path, http: &reqwest::Client) -> Result<Fleet, String> {
        let mut fleet = Fleet { servers: Vec::new(), storage: Storage::new(args, dir)? };
        for index in 0..args.instances {
            let mut server = Server::start(&args.server, dir, &fleet.storage, index, fixture)?;
            server.wait_healthy(http, Duration::from_secs(600)).await?;
            fleet.servers.push(server);
        }
        Ok(fleet)
    }

    /// The instance that serves requests no other has to (sign-ins, lists, `/me`).
    fn first(&self) -> &Server {
        &self.servers[0]
    }

    /// Instance `i` modulo their number: how sockets and messages are spread.
    fn nth(&self, i: usize) -> &Server {
        &self.servers[i % self.servers.len()]
    }

    fn cpu(&self) -> Duration {
        self.servers.iter().map(Server::cpu).sum()
    }

    async fn settle(&self, within: Duration) -> Duration {
        let mut took = Duration::ZERO;
        for server in &self.servers {
            took += server.settle(within.saturating_sub(took)).await;
        }
        took
    }

    fn log_text(&self) -> String {
        self.servers.iter().map(Server::log_text).collect::<Vec<_>>().join("\n")
    }
}

fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// utime + stime from a /proc/<pid>/stat file (fields 14 and 15, after the command name).
fn cpu_of(stat: &str) -> Duration {
    let text = std::fs::read_to_string(stat).unwrap_or_default();
    let Some((_, rest)) = text.rsplit_once(')') else { return Duration::ZERO };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<f64>().ok()).sum();
    Duration::from_secs_f64(ticks / clock_ticks())
}

// ---------------------------------------------------------------------------------------
// Sockets

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What one socket saw.
struct Received {
    user: usize,
    /// `message_created` events: the bench message's index (from its text, so that a
    /// message whose POST timed out is still recognised; None for any other message) and
    /// the instant the frame arrived.
    messages: Vec<(Option<usize>, Instant)>,
    resyncs: u32,
    /// Why the socket ended before the run did, if it did.
    closed: Option<String>,
}

async fn open_socket(url: &str, token: &str) -> Result<Ws, String> {
    let (mut ws, _) = connect_async(url).await.map_err(|e| format!("websocket: {e}"))?;
    let hello = ClientFrame::Hello { token: token.to_owned(), since: None };
    ws.send(WsMessage::Text(serde_json::to_string(&hello).expect("frames serialise").into()))
        .await
        .map_err(|e| format!("hello: {e}"))?;
    let welcome = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(msg) = ws.next().await {
            match msg {
                Ok(WsMessage::Text(t)) => match serde_json::from_str::<ServerFrame>(&t) {
                    Ok(ServerFrame::Welcome { .. }) => return Ok(()),
                    Ok(other) => return Err(format!("expected welcome, got {other:?}")),
                    Err(e) => return Err(format!("undecodable frame: {e}")),
                },
                Ok(_) => {}
                Err(e) => return Err(format!("websocket: {e}")),
            }
        }
        Err("closed before welcome".to_owned())
    })
    .await;
    match welcome {
        Ok(Ok(())) => Ok(ws),
        Ok(Err(e)) => Err(e),
        Err(_) => Err("no welcome within 60 s".into()),
    }
}

/// Deliveries so far, per bench message and in all, shared by the sockets so that the run
/// knows when they are complete.
struct Progress {
    per_message: Vec<AtomicU32>,
    total: AtomicU64,
}

async fn listen(mut ws: Ws, user: usize, mut stop: watch::Receiver<bool>, progress: Arc<Progress>) -> Received {
    let mut r = Received { user, messages: Vec::new(), resyncs: 0, closed: None };
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            msg = ws.next() => {
                let at = Instant::now();
                match msg {
                    Some(Ok(WsMessage::Text(t))) => match serde_json::from_str::<ServerFrame>(&t) {
                        Ok(ServerFrame::Batch { events, .. }) => {
                            for e in events {
                                if let EventKind::MessageCreated { message, .. } = e.kind
                                    && message.text != NUDGE
                                {
                                    let i = index_of(&message.text);
                                    if let Some(n) = i.and_then(|i| progress.per_message.get(i)) {
                                        n.fetch_add(1, Ordering::Relaxed);
                                    }
                                    progress.total.fetch_add(1, Ordering::Relaxed);
                                    r.messages.push((i, at));
                                }
                            }
                        }
                        Ok(ServerFrame::Resync { .. }) => r.resyncs += 1,
                        Ok(ServerFrame::Error { error }) => {
                            r.closed = Some(format!("error frame: {} {}", error.code.wire_name(), error.message));
                            break;
                        }
                        Ok(_) => {}
                        Err(e) => {
                            r.closed = Some(format!("undecodable frame: {e}"));
                            break;
                        }
                    },
                    Some(Ok(WsMessage::Close(_))) | None => {
                        r.closed = Some("closed by the server".into());
                        break;
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => {
                        r.closed = Some(format!("websocket: {e}"));
                        break;
                    }
                }
            }
        }
    }
    let _ = tokio::time::timeout(Duration::from_secs(2), ws.close(None)).await;
    r
}

// ---------------------------------------------------------------------------------------
// Sending

/// Text of the bench's message `i`: the sockets read the index back from it.
fn text_of(i: usize) -> String {
    format!("bench {i}")
}

/// Text of the one extra message sent when deliveries are missing after the wait: it wakes
/// every socket, telling "stuck until the next event" from "lost".
const NUDGE: &str = "nudge";

fn index_of(text: &str) -> Option<usize> {
    text.strip_prefix("bench ")?.parse().ok()
}

/// One inbound request; `Sent`s are kept in index order.
struct Sent {
    contact: usize,
    /// Just before the POST.
    at: Instant,
    /// HTTP status, or None for a transport error (timeout, refused).
    status: Option<u16>,
}

/// Most inbound requests in flight at once. Webhooks do not wait for each other, so
/// requests start on schedule whatever the server's answer time (an open loop, which does
/// not hide queueing from the latency figures); past this many the generator waits, and
/// says so.
const MAX_IN_FLIGHT: usize = 1000;
/// An inbound request that takes longer counts as unanswered (it may still commit: the
/// sockets recognise its message by its text).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Message `i` starts at `start + i / rate`, goes to a contact picked from `(seed, i)`
/// through `urls[i % urls.len()]`; none starts at or after `start + seconds`. Returns the requests in index order and
/// whether the in-flight cap held the schedule back.
async fn send_all(http: &reqwest::Client, urls: &[String], args: &Args) -> (Vec<Sent>, bool) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_IN_FLIGHT));
    let start = tokio::time::Instant::now() + Duration::from_millis(20);
    let end = start + Duration::from_secs_f64(args.seconds);
    let mut capped = false;
    let mut requests = Vec::new();
    for i in 0.. {
        let due = start + Duration::from_secs_f64(i as f64 / args.rate);
        if due >= end {
            break;
        }
        tokio::time::sleep_until(due).await;
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                capped = true;
                slots.clone().acquire_owned().await.expect("never closed")
            }
        };
        if tokio::time::Instant::now() >= end {
            break;
        }
        let contact = (mix(args.seed ^ 0x5EED, i as u64) % args.conversations as u64) as usize;
        let body = json!({"contact": Workspace::contact_id(contact), "channel": CHANNEL, "text": text_of(i)});
        let request = http.post(&urls[i % urls.len()]).timeout(REQUEST_TIMEOUT).json(&body);
        requests.push(tokio::spawn(async move {
            let at = Instant::now();
            let status = match request.send().await {
                Ok(res) => {
                    let status = res.status().as_u16();
                    // Read the body, so the request is over when the task is.
                    res.bytes().await.ok().map(|_| status)
                }
                Err(_) => None,
            };
            drop(slot);
            Sent { contact, at, status }
        }));
    }
    let mut sent = Vec::with_capacity(requests.len());
    for r in requests {
        sent.push(r.await.expect("a request task never panics"));
    }
    (sent, capped)
}

// ---------------------------------------------------------------------------------------
// Figures

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// p50 / p99 / max in ms, with the sample count.
fn percentiles(samples: &mut [Duration]) -> Option<(f64, f64, f64, usize)> {
    if samples.is_empty() {
        return None;
    }
    samples.sort();
    let at = |q: f64| samples[((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
    Some((ms(at(0.50)), ms(at(0.99)), ms(*samples.last().expect("not empty")), samples.len()))
}

fn show(samples: &mut [Duration]) -> String {
    match percentiles(samples) {
        Some((p50, p99, max, n)) => format!("p50 {p50:.1} ms   p99 {p99:.1} ms   max {max:.1} ms   ({n} samples)"),
        None => "no samples".into(),
    }
}

/// Sequential GETs: `count` samples, or fewer if `budget` runs out. Non-200 answers are
/// counted in `errors`.
async fn time_gets(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    count: usize,
    budget: Duration,
    errors: &mut BTreeMap<String, u32>,
) -> Vec<Duration> {
    let until = Instant::now() + budget;
    let mut samples = Vec::new();
    while samples.len() < count && Instant::now() < until {
        let t = Instant::now();
        let outcome = match http.get(url).bearer_auth(token).send().await {
            Ok(res) => {
                let status = res.status().as_u16();
                let _ = res.bytes().await;
                status
            }
            Err(_) => 0,
        };
        samples.push(t.elapsed());
        if outcome != 200 {
            *errors.entry(format!("GET {url} → {outcome}")).or_default() += 1;
        }
    }
    samples
}

// ---------------------------------------------------------------------------------------
// The run

async fn run(args: Args) -> Result<bool, String> {
    let tmp = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    let t = Instant::now();
    let ws = Workspace::new(args.conversations, args.seed);
    let fixture = tmp.path().join("fixture.json");
    std::fs::write(&fixture, serde_json::to_vec(&ws.fixture).expect("serialisable"))
        .map_err(|e| format!("{}: {e}", fixture.display()))?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(512)
        .build()
        .map_err(|e| e.to_string())?;
    eprintln!("loadgen: fixture with {} conversations written in {:.1?}; seeding", args.conversations, t.elapsed());
    let t = Instant::now();
    let fleet = Fleet::start(&args, tmp.path(), &fixture, &http).await?;
    let seeded = t.elapsed();
    eprintln!("loadgen: {} up in {seeded:.1?}", fleet.storage.describe(args.instances));
    let server = fleet.first();

    let mut tokens = Vec::new();
    for u in &ws.users {
        let res = http
            .post(format!("{}/session", server.base))
            .json(&json!({"email": u.email, "password": PASSWORD}))
            .send()
            .await
            .map_err(|e| format!("sign in {}: {e}", u.id))?;
        if res.status() != 201 {
            return Err(format!("sign in {}: {}", u.id, res.status()));
        }
        let body: Value = res.json().await.map_err(|e| e.to_string())?;
        tokens.push(body["token"].as_str().ok_or("no token")?.to_owned());
    }
    let owner = tokens[0].clone();
    let mut errors: BTreeMap<String, u32> = BTreeMap::new();
    let mut out = Vec::<String>::new();
    let roles = {
        let mut by: BTreeMap<String, u32> = BTreeMap::new();
        for u in &ws.users {
            let key = match u.role {
                Role::Agent => format!("agent/{}", u.restriction.wire_name()),
                role => role.wire_name().to_owned(),
            };
            *by.entry(key).or_default() += 1;
        }
        by.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", ")
    };
    out.push(format!(
        "workspace       {} open conversations, {} users ({roles}), 3 teams; seeded and started in {:.1} s ({})",
        args.conversations,
        ws.users.len(),
        seeded.as_secs_f64(),
        fleet.storage.describe(args.instances)
    ));

    let mut verdict = Vec::<String>::new();
    if !args.only_lists {
        verdict = load(&args, &ws, &fleet, &http, &tokens, &mut out, &mut errors).await?;
    }

    // Lists, on a quiet server (the sockets are closed, their last work done).
    let settled = fleet.settle(Duration::from_secs(30)).await;
    if settled > Duration::from_secs(1) {
        eprintln!("loadgen: the server took {settled:.1?} to go quiet");
    }
    let samples = if args.smoke { 5 } else { 40 };
    let url = format!("{}/inboxes/all/conversations?limit=50", server.base);
    let mut first_page = time_gets(&http, &url, &owner, samples, Duration::from_secs(30), &mut errors).await;
    out.push(format!("first page      {}   (owner, All, limit 50)", show(&mut first_page)));
    let url = format!("{}/inboxes", server.base);
    let mut inboxes = time_gets(&http, &url, &owner, samples, Duration::from_secs(30), &mut errors).await;
    out.push(format!("GET /inboxes    {}   (owner)", show(&mut inboxes)));

    // The contacts page's search (issue 14): a name prefix, a phone number as typed, an
    // email's start and a tag shared by a tenth, by the owner and by a self-restricted agent.
    let n = args.conversations;
    let searches =
        ["mar".to_owned(), format!("07700 {:06}", n * 2 / 3), format!("contact{}@", n / 3), "vip".to_owned()];
    let agent = ws.users.iter().position(|u| u.restriction == Restriction::SelfOnly && u.role == Role::Agent);
    for (who, token) in [("owner", Some(&owner)), ("agent/self", agent.map(|a| &tokens[a]))] {
        let Some(token) = token else { continue };
        let mut all = Vec::new();
        for q in &searches {
            let url = format!("{}/contacts?q={}&limit=50", server.base, q.replace(' ', "%20").replace('@', "%40"));
            all.extend(time_gets(&http, &url, token, samples / 4, Duration::from_secs(30), &mut errors).await);
        }
        out.push(format!("contact search  {}   ({who}: name prefix, phone, email, tag)", show(&mut all)));
    }

    if !args.only_lists {
        storm(&args, &ws, server, &http, &owner, &mut out, &mut errors).await;
    }

    // What the server logged: request failures (5xx) and warnings.
    let log = fleet.log_text();
    let failed: Vec<&str> = log.lines().filter(|l| l.contains(" ERROR ")).collect();
    let warned = log.lines().filter(|l| l.contains(" WARN ")).count();
    out.push(format!("server log      {} errors, {warned} warnings", failed.len()));
    for line in failed.iter().take(3) {
        out.push(format!("                {line}"));
    }
    for (what, n) in &errors {
        out.push(format!("client errors   {n} × {what}"));
    }
    drop(fleet);

    if args.only_lists {
        println!("\n== parley-server lists: N={} ==", args.conversations);
    } else {
        println!(
            "\n== parley-server load: N={} S={} R={}/s T={} s ==",
            args.conversations, args.sockets, args.rate, args.seconds
        );
    }
    for line in &out {
        println!("{line}");
    }
    if !args.smoke {
        return Ok(true);
    }
    if !failed.is_empty() {
        verdict.push(format!("{} server errors logged", failed.len()));
    }
    if verdict.is_empty() {
        println!("smoke: every message reached every socket that may see it exactly once");
        Ok(true)
    } else {
        println!("smoke: FAILED: {}", verdict.join("; "));
        Ok(false)
    }
}

/// Sockets + sending + accounting. Returns what breaks exactly-once (for `--smoke`).
async fn load(
    args: &Args,
    ws: &Workspace,
    fleet: &Fleet,
    http: &reqwest::Client,
    tokens: &[String],
    out: &mut Vec<String>,
    errors: &mut BTreeMap<String, u32>,
) -> Result<Vec<String>, String> {
    // Open the sockets, 25 at a time.
    let t = Instant::now();
    let (stop_tx, stop_rx) = watch::channel(false);
    let most = (args.rate * args.seconds).ceil() as usize + 1;
    let progress =
        Arc::new(Progress { per_message: (0..most).map(|_| AtomicU32::new(0)).collect(), total: AtomicU64::new(0) });
    let mut listeners = Vec::new();
    let users: Vec<usize> = (0..args.sockets).map(|j| j % ws.users.len()).collect();
    for (c, chunk) in users.chunks(25).enumerate() {
        let opened = futures_util::future::join_all(
            chunk.iter().enumerate().map(|(j, &u)| open_socket(&fleet.nth(c * 25 + j).ws, &tokens[u])),
        )
        .await;
        for (socket, &u) in opened.into_iter().zip(chunk) {
            let socket = socket?;
            listeners.push(tokio::spawn(listen(socket, u, stop_rx.clone(), progress.clone())));
        }
    }
    eprintln!("loadgen: {} sockets open in {:.1?}", args.sockets, t.elapsed());
    // Let the first batches (counts for every socket) go out before measuring.
    tokio::time::sleep(Duration::from_secs(1)).await;

    // Send.
    eprintln!("loadgen: sending {}/s for {} s", args.rate, args.seconds);
    let cpu_before = fleet.cpu();
    let db_before = fleet.storage.cpu();
    let own_before = cpu_of("/proc/self/stat");
    let started = Instant::now();
    let urls: Vec<String> = fleet.servers.iter().map(|s| format!("{}/simulator/inbound", s.base)).collect();
    let (sent, capped) = send_all(http, &urls, args).await;
    let sending = started.elapsed();
    let accepted = sent.iter().filter(|s| s.status == Some(201)).count();
    let mut failed: BTreeMap<String, u32> = BTreeMap::new();
    for s in sent.iter().filter(|s| s.status != Some(201)) {
        *failed.entry(s.status.map_or("no answer".into(), |c| c.to_string())).or_default() += 1;
    }

    // Expected deliveries per socket, for the messages the server accepted.
    let visible = ws.visibility();
    let unassigned = ws.users.len();
    let slot = |contact: usize| ws.assignees[contact].unwrap_or(unassigned);
    let expected_of = |user: usize, committed: &dyn Fn(usize) -> bool| {
        sent.iter().enumerate().filter(|&(i, s)| committed(i) && visible[user][slot(s.contact)]).count() as u64
    };
    let answered = |i: usize| sent[i].status == Some(201);
    let sockets_for: Vec<u32> =
        sent.iter().map(|s| users.iter().filter(|&&u| visible[u][slot(s.contact)]).count() as u32).collect();
    // Every committed message (accepted, or seen by a socket) reached as many sockets as may see it.
    let complete = || {
        (0..sent.len()).all(|i| {
            let n = progress.per_message[i].load(Ordering::Relaxed);
            !(answered(i) || n > 0) || n >= sockets_for[i]
        })
    };

    // Wait until deliveries stop growing: complete and quiet for 1 s, or no progress for
    // 3 s, or the drain bound.
    eprintln!("loadgen: sent {} in {:.1?}; waiting for deliveries", sent.len(), sending);
    let drain_until = Instant::now() + Duration::from_secs_f64(args.drain);
    let (mut last, mut changed) = (progress.total.load(Ordering::Relaxed), Instant::now());
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = progress.total.load(Ordering::Relaxed);
        if now != last {
            (last, changed) = (now, Instant::now());
        }
        let quiet = changed.elapsed();
        if (quiet >= Duration::from_secs(1) && complete())
            || quiet >= Duration::from_secs(3)
            || Instant::now() >= drain_until
        {
            break;
        }
    }
    let drained = started.elapsed();
    let cpu = fleet.cpu().saturating_sub(cpu_before);
    let db_cpu = fleet.storage.cpu().saturating_sub(db_before);
    let own_cpu = cpu_of("/proc/self/stat").saturating_sub(own_before);
    // Still incomplete: one more message wakes every socket; what arrives after it was
    // stuck in the log, not lost.
    let nudged = if complete() {
        None
    } else {
        let at = Instant::now();
        let body = json!({"contact": Workspace::contact_id(0), "channel": CHANNEL, "text": NUDGE});
        let answer = http.post(&urls[0]).json(&body).send().await;
        if !answer.is_ok_and(|a| a.status() == 201) {
            *errors.entry("POST /simulator/inbound (nudge) failed".into()).or_default() += 1;
        }
        let until = Instant::now() + Duration::from_secs(5);
        while !complete() && Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Some(at)
    };
    let _ = stop_tx.send(true);
    let mut received = Vec::new();
    for l in listeners {
        received.push(l.await.map_err(|e| format!("socket task: {e}"))?);
    }

    // Accounting. A message is committed if the server accepted it or any socket received
    // it (a request that timed out may still have committed).
    let mut reached = vec![false; sent.len()];
    for (i, _) in received.iter().flat_map(|r| &r.messages) {
        if let Some(i) = i.filter(|&i| i < sent.len()) {
            reached[i] = true;
        }
    }
    let committed = |i: usize| answered(i) || reached[i];
    let unanswered_committed = (0..sent.len()).filter(|&i| !answered(i) && reached[i]).count();
    let expected_per_user: Vec<u64> = (0..ws.users.len()).map(|u| expected_of(u, &committed)).collect();
    let (mut deliveries, mut expected, mut duplicated, mut unexpected) = (0u64, 0u64, 0u64, 0u64);
    let (mut excluded, mut resyncs, mut closed) = (0usize, 0u32, Vec::new());
    let mut latencies = Vec::new();
    let mut missing = vec![0u32; sent.len()];
    let mut stuck = 0u64;
    for r in &received {
        resyncs += r.resyncs;
        if let Some(why) = &r.closed {
            closed.push(why.clone());
        }
        // A resync or a closed socket breaks exactly-once accounting for that socket.
        if r.resyncs > 0 || r.closed.is_some() {
            excluded += 1;
            continue;
        }
        let mut seen = vec![false; sent.len()];
        let mut late = vec![false; sent.len()];
        for &(i, at) in &r.messages {
            match i.filter(|&i| i < sent.len()) {
                Some(i) if visible[r.user][slot(sent[i].contact)] => {
                    if seen[i] {
                        duplicated += 1;
                    } else if nudged.is_some_and(|n| at > n) {
                        // Counted as lost (not delivered in time), and reported apart.
                        seen[i] = true;
                        late[i] = true;
                        stuck += 1;
                    } else {
                        seen[i] = true;
                        deliveries += 1;
                        latencies.push(at.saturating_duration_since(sent[i].at));
                    }
                }
                // Leaked to a user who may not see it, or not the bench's message.
                _ => unexpected += 1,
            }
        }
        expected += expected_per_user[r.user];
        for (i, s) in sent.iter().enumerate() {
            if committed(i) && visible[r.user][slot(s.contact)] && (!seen[i] || late[i]) {
                missing[i] += 1;
            }
        }
    }
    let lost = expected - deliveries;
    // Which messages the lost deliveries belong to.
    let missed: Vec<usize> = (0..sent.len()).filter(|&i| missing[i] > 0).collect();
    let lost_detail = match (missed.first(), missed.last()) {
        (Some(first), Some(last)) => format!(
            "\n                lost: {} messages (indices {first}..={last} of {}), {} of them with no answer to their request; {}",
            missed.len(),
            sent.len(),
            missed.iter().filter(|&&i| !answered(i)).count(),
            match nudged {
                Some(_) =>
                    format!("{stuck} of the {lost} deliveries came only after one more message woke the sockets"),
                None => "no nudge".into(),
            }
        ),
        _ => String::new(),
    };
    let events: u64 = received.iter().map(|r| r.messages.len() as u64).sum();

    out.push(format!(
        "inbound         asked {}/s for {} s: {} sent, {accepted} accepted → {:.1}/s absorbed (accepted / {:.1} s until the last answer){}{}",
        args.rate,
        args.seconds,
        sent.len(),
        accepted as f64 / sending.as_secs_f64().max(args.seconds),
        sending.as_secs_f64(),
        if failed.is_empty() {
            String::new()
        } else {
            format!(
                "; failed: {} ({unanswered_committed} of them committed all the same)",
                failed.iter().map(|(k, v)| format!("{v} × {k}")).collect::<Vec<_>>().join(", ")
            )
        },
        if capped { format!("; {MAX_IN_FLIGHT} requests in flight held the schedule back") } else { String::new() }
    ));
    out.push(format!(
        "deliveries      {deliveries} / {expected} expected over {} sockets (lost or later than the wait {lost}, duplicated {duplicated}, unexpected {unexpected}); waited {:.1} s after the start{lost_detail}",
        received.len() - excluded,
        drained.as_secs_f64()
    ));
    out.push(format!(
        "resyncs         {resyncs} (on {} sockets, left out of the count above); sockets closed early: {}{}",
        received.iter().filter(|r| r.resyncs > 0).count(),
        closed.len(),
        closed.first().map(|c| format!(" (first: {c})")).unwrap_or_default()
    ));
    out.push(format!("socket latency  {}   (ingest → socket)", show(&mut latencies)));
    let per = |d: Duration| if events == 0 { 0.0 } else { d.as_secs_f64() * 1e6 / events as f64 };
    out.push(format!(
        "server CPU      {:.2} s over {:.1} s of sending + delivery = {:.0} µs per delivered event ({events} events); loadgen CPU {:.2} s ({:.0} µs per event)",
        cpu.as_secs_f64(),
        drained.as_secs_f64(),
        per(cpu),
        own_cpu.as_secs_f64(),
        per(own_cpu)
    ));
    if matches!(fleet.storage, Storage::Postgres { .. }) {
        out.push(format!(
            "PostgreSQL CPU  {:.2} s = {:.0} µs per delivered event (every postgres process on the machine)",
            db_cpu.as_secs_f64(),
            per(db_cpu)
        ));
    }
    for (k, v) in &failed {
        *errors.entry(format!("POST /simulator/inbound → {k}")).or_default() += v;
    }

    let mut verdict = Vec::new();
    if accepted == 0 {
        verdict.push("no message accepted".into());
    }
    if !failed.is_empty() {
        verdict.push(format!("{} inbound requests failed", sent.len() - accepted));
    }
    if lost > 0 {
        verdict.push(format!("{lost} lost"));
    }
    if duplicated > 0 {
        verdict.push(format!("{duplicated} duplicated"));
    }
    if unexpected > 0 {
        verdict.push(format!("{unexpected} unexpected (leaked or unknown)"));
    }
    if resyncs > 0 {
        verdict.push(format!("{resyncs} resyncs"));
    }
    if !closed.is_empty() {
        verdict.push(format!("{} sockets closed early", closed.len()));
    }
    Ok(verdict)
}

/// `GET /me` as the owner while 40 tasks sign in with wrong passwords (of real users, so
/// the server verifies a hash each time), with a quiet baseline first.
async fn storm(
    args: &Args,
    ws: &Workspace,
    server: &Server,
    http: &reqwest::Client,
    owner: &str,
    out: &mut Vec<String>,
    errors: &mut BTreeMap<String, u32>,
) {
    let me = format!("{}/me", server.base);
    let mut quiet = time_gets(http, &me, owner, 20, Duration::from_secs(10), errors).await;
    // At least `length` and `min_samples` of GET /me, at most 12 s.
    let (length, min_samples) = if args.smoke { (Duration::from_secs(1), 1) } else { (Duration::from_secs(3), 5) };
    let stop = Arc::new(AtomicBool::new(false));
    let attempts = Arc::new(AtomicU64::new(0));
    let began = Instant::now();
    let tasks: Vec<_> = (0..STORM_TASKS)
        .map(|k| {
            let (http, attempts, stop) = (http.clone(), attempts.clone(), stop.clone());
            let url = format!("{}/session", server.base);
            let email = ws.users[k % ws.users.len()].email.clone();
            tokio::spawn(async move {
                let mut answers: BTreeMap<u16, u32> = BTreeMap::new();
                while !stop.load(Ordering::Relaxed) {
                    let body = json!({"email": email, "password": "wrong password"});
                    let status = match http.post(&url).json(&body).send().await {
                        Ok(res) => res.status().as_u16(),
                        Err(_) => 0,
                    };
                    attempts.fetch_add(1, Ordering::Relaxed);
                    *answers.entry(status).or_default() += 1;
                }
                answers
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut during = Vec::new();
    while (began.elapsed() < length || during.len() < min_samples) && began.elapsed() < Duration::from_secs(12) {
        during.extend(time_gets(http, &me, owner, 1, Duration::from_secs(30), errors).await);
    }
    stop.store(true, Ordering::Relaxed);
    let storm_length = began.elapsed();
    let mut answers: BTreeMap<u16, u32> = BTreeMap::new();
    for t in tasks {
        if let Ok(a) = t.await {
            for (k, v) in a {
                *answers.entry(k).or_default() += v;
            }
        }
    }
    out.push(format!("GET /me quiet   {}", show(&mut quiet)));
    out.push(format!(
        "GET /me storm   {}   ({STORM_TASKS} tasks signing in with a wrong password for {:.1} s: {} attempts, answers {})",
        show(&mut during),
        storm_length.as_secs_f64(),
        attempts.load(Ordering::Relaxed),
        answers.iter().map(|(k, v)| format!("{v} × {k}")).collect::<Vec<_>>().join(", ")
    ));
}
