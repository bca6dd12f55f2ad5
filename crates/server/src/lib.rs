//! Parley's reference backend: the REST + WebSocket contract of docs/api.md over an
//! embedded SQLite file. It exists so the app runs, demos and is tested for real; every
//! rule it applies comes from `parley-domain`, the same code the app runs.

pub mod access;
pub mod ai;
pub mod auth;
pub mod error;
pub mod fanout;
pub mod listen;
pub mod mail;
pub mod ops;
pub mod origins;
pub mod routes;
pub mod scheduler;
pub mod socket;
pub mod sso;
pub mod storage;
pub mod throttle;

use std::path::{Path, PathBuf};

use tokio::net::TcpListener;

use crate::fanout::Hub;
use crate::storage::db::Db;
pub use crate::storage::{db, fixture};

/// Shared by every handler and socket.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub hub: Hub,
    /// Whether `/simulator/*` is mounted.
    pub simulator: bool,
    /// Whether `/test/clock` is mounted.
    pub test_clock: bool,
    pub clock: Clock,
    /// Where attachment bytes are stored (next to the database file).
    pub files: PathBuf,
    pub passwords: auth::PasswordCheck,
    /// Where passwords are checked, one at a time.
    pub hasher: auth::Hasher,
    pub sign_ins: std::sync::Arc<throttle::SignInThrottle>,
    /// The single sign-on secret; `None` leaves `POST /session/sso` unmounted.
    pub sso: Option<sso::Secret>,
    /// Failed single sign-ons per client address.
    pub sso_failures: std::sync::Arc<throttle::AddressThrottle>,
    pub timeouts: Timeouts,
    /// PostgreSQL: how often the log is checked for other instances' commits besides
    /// their notifications ([`storage::pg::notify::POLL`]).
    pub log_poll: std::time::Duration,
    /// What the app's Content-Security-Policy allows besides itself ([`routes::app_csp`]).
    pub csp_sources: std::sync::Arc<routes::CspSources>,
    /// Other origins allowed to use the API from a browser (CORS) and the WebSocket,
    /// canonical ([`origins::canonical`]).
    pub allowed_origins: std::sync::Arc<[String]>,
    /// Where transcripts are mailed (`--smtp`); `None` refuses them with 503.
    pub mailer: Option<mail::Mailer>,
    /// The AI endpoint of AI assist (`--ai-url`); `None` refuses it with 503.
    pub ai: Option<ai::Ai>,
}

/// Deadlines against slow or stuck clients.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// For a request's headers, from the connection's first byte (or the previous request).
    pub header: std::time::Duration,
    /// Between two pieces of a request body.
    pub body_idle: std::time::Duration,
    /// For a whole JSON body (uploads only have the idle timeout).
    pub body_total: std::time::Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        use std::time::Duration;
        Timeouts {
            header: Duration::from_secs(10),
            body_idle: Duration::from_secs(15),
            body_total: Duration::from_secs(30),
        }
    }
}

impl AppState {
    /// The server's time: wall clock plus the test offset.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Runs an op in one transaction and returns its value (ops return their value and the
    /// last seq they used; the sockets are woken by the database itself, right after the
    /// commit, even if this future is dropped).
    pub async fn change<T, S, F>(&self, f: F) -> error::ApiResult<T>
    where
        T: Send + 'static,
        S: Send + 'static,
        F: FnOnce(&dyn storage::Store) -> error::ApiResult<(T, S)> + Send + 'static,
    {
        Ok(self.db.write(f).await?.0)
    }
}

/// The server's clock. Tests can move it (`--test-clock`) so that SLA thresholds and
/// snooze wake-ups are crossed without sleeping.
#[derive(Clone, Default)]
pub struct Clock {
    offset: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> i64 {
        now_ms() + self.offset.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn set_offset(&self, ms: i64) {
        self.offset.store(ms, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Wall-clock milliseconds: the one place the server reads the system clock (through
/// [`Clock`]); the domain never does.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

#[derive(Clone, Debug)]
pub struct Config {
    pub db: PathBuf,
    /// Seeds the database when it is empty.
    pub fixture: Option<PathBuf>,
    /// Where uploaded files go (`--files`); `None`: named after the database.
    pub files: Option<PathBuf>,
    pub static_dir: Option<PathBuf>,
    pub simulator: bool,
    pub test_clock: bool,
    /// Events the log keeps ([`storage::LOG_CAPACITY`] by default).
    pub log_capacity: u64,
    /// Frames a socket may have waiting ([`fanout::SOCKET_QUEUE`] by default).
    pub socket_queue: usize,
    pub timeouts: Timeouts,
    /// Sign-in attempts per account and per client address ([`throttle`]).
    pub sign_in_per_account: throttle::Limit,
    pub sign_in_per_address: throttle::Limit,
    /// Origins other than the server's own the app may connect to (CSP `connect-src`).
    pub connect_src: Vec<String>,
    /// Who may frame the app (CSP `frame-ancestors`); empty means `'self'`.
    pub frame_ancestors: Vec<String>,
    /// Other origins allowed to call the API and open the WebSocket from a browser
    /// (`--allow-origin`), each checked by [`origins::canonical`] at [`open`].
    pub allow_origins: Vec<String>,
    /// The single sign-on secret (`--sso-secret-file`); `None` turns SSO off.
    pub sso_secret: Option<sso::Secret>,
    /// Failed single sign-ons per client address ([`throttle`]).
    pub sso_per_address: throttle::Limit,
    /// The SMTP server transcripts go to (`--smtp`, `--smtp-from`).
    pub mailer: Option<mail::Mailer>,
    /// The AI endpoint of AI assist (`--ai-url`, `--ai-model`, `PARLEY_AI_KEY`).
    pub ai: Option<ai::Ai>,
}

impl Config {
    /// The defaults for everything but where the database is.
    pub fn new(db: PathBuf) -> Config {
        Config {
            db,
            fixture: None,
            files: None,
            static_dir: None,
            simulator: false,
            test_clock: false,
            log_capacity: storage::LOG_CAPACITY,
            socket_queue: fanout::SOCKET_QUEUE,
            timeouts: Timeouts::default(),
            sign_in_per_account: throttle::PER_ACCOUNT,
            sign_in_per_address: throttle::PER_ADDRESS,
            connect_src: Vec::new(),
            frame_ancestors: Vec::new(),
            allow_origins: Vec::new(),
            sso_secret: None,
            sso_per_address: throttle::PER_ADDRESS,
            mailer: None,
            ai: None,
        }
    }
}

/// The development endpoints (`--simulator`, `--test-clock`) only on a loopback address,
/// unless explicitly allowed anywhere.
pub fn check_dev_endpoints(listen: std::net::SocketAddr, dev: bool, anywhere: bool) -> Result<(), String> {
    if dev && !listen.ip().is_loopback() && !anywhere {
        return Err(format!(
            "--simulator and --test-clock need a loopback --listen address (not {listen}); \
             add --dev-endpoints-anywhere to allow them there"
        ));
    }
    Ok(())
}

/// Opens (creating and migrating) the database and seeds it from the fixture if empty.
pub fn open(config: &Config) -> Result<AppState, String> {
    let allowed_origins = config.allow_origins.iter().map(|o| origins::canonical(o)).collect::<Result<Vec<_>, _>>()?;
    let db = Db::open(&config.db).map_err(|e| format!("cannot open database {}: {e}", db::shown(&config.db)))?;
    let seq = if db::is_postgres(&config.db) {
        let url = config.db.to_str().expect("a URL");
        storage::pg::start(url, config.fixture.as_deref(), config.log_capacity, now_ms())?
    } else {
        let conn = rusqlite::Connection::open(&config.db).map_err(|e| e.to_string())?;
        if let Some(path) = &config.fixture
            && fixture::is_empty(&conn).map_err(|e| e.to_string())?
        {
            let f = fixture::load(path)?;
            fixture::seed(&conn, &f, now_ms())?;
            tracing::info!(fixture = %path.display(), "seeded an empty database");
        }
        // Indexing every contact's search terms (once, after the migration) inserts about
        // ten rows per contact in term order, not insertion order: a larger page cache than
        // SQLite's 2 MB default keeps that from going to disk at 100,000 contacts.
        conn.pragma_update(None, "cache_size", -65_536).map_err(|e| e.to_string())?;
        let tx = conn.unchecked_transaction().map_err(|e| e.to_string())?;
        storage::index_stale_contacts(&*tx).map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())?;
        (&conn as &dyn storage::Store)
            .set_meta("log_capacity", &config.log_capacity.max(1).to_string())
            .map_err(|e| e.to_string())?;
        (&conn as &dyn storage::Store).current_seq().map_err(|e| e.to_string())?
    };
    let hub = Hub::new(seq, config.socket_queue);
    let wake = hub.clone();
    db.on_commit(move |seq| wake.published(seq));
    Ok(AppState {
        db,
        hub,
        simulator: config.simulator,
        test_clock: config.test_clock,
        clock: Clock::default(),
        files: config.files.clone().unwrap_or_else(|| attachments_dir(&config.db)),
        passwords: auth::argon2_check(),
        hasher: auth::Hasher::start(),
        sign_ins: std::sync::Arc::new(throttle::SignInThrottle::new(
            config.sign_in_per_account,
            config.sign_in_per_address,
        )),
        sso: config.sso_secret.clone(),
        sso_failures: std::sync::Arc::new(throttle::AddressThrottle::new(config.sso_per_address)),
        timeouts: config.timeouts,
        log_poll: storage::pg::notify::POLL,
        csp_sources: std::sync::Arc::new(routes::CspSources {
            connect_src: config.connect_src.clone(),
            frame_ancestors: config.frame_ancestors.clone(),
        }),
        allowed_origins: allowed_origins.into(),
        mailer: config.mailer.clone(),
        ai: config.ai.clone(),
    })
}

/// `parley.sqlite3` keeps its files in `parley.sqlite3.attachments/`.
fn attachments_dir(db: &Path) -> PathBuf {
    if db::is_postgres(db) {
        let name = db.to_str().and_then(|url| url.rsplit('/').next()).unwrap_or_default();
        let name = name.split('?').next().unwrap_or_default();
        return PathBuf::from(format!("{name}.attachments"));
    }
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".attachments");
    db.with_file_name(name)
}

/// Serves until the listener fails or the process is asked to stop.
pub async fn serve(listener: TcpListener, state: AppState, static_dir: Option<&Path>) -> std::io::Result<()> {
    // Aborted when `serve` ends or is dropped (tests abort servers to restart them).
    let _scheduler = AbortOnDrop(tokio::spawn(scheduler::run(state.clone())));
    let _fanout = AbortOnDrop(tokio::spawn(fanout::run(state.db.clone(), state.hub.clone())));
    // PostgreSQL: other instances' commits wake the dispatcher as this one's do, and
    // presence goes both ways.
    let _listener = {
        let (wake, heard) = (state.hub.clone(), state.hub.clone());
        let ears = storage::pg::notify::Ears {
            wake: Box::new(move |seq| wake.published(seq)),
            presence: Box::new(move |frame| heard.presence_elsewhere(frame)),
        };
        state.db.listen(state.log_poll, ears)
    };
    if let Some(listener) = &_listener {
        let publisher = listener.publisher();
        state.hub.relay_presence_to(move |frame| publisher.send(frame));
    }
    let hub = state.hub.clone();
    let header_timeout = state.timeouts.header;
    let app = routes::router(state, static_dir);
    let going_away = hub.clone();
    let served = listen::serve(listener, app, header_timeout, async move {
        shutdown().await;
        tracing::info!("shutting down: sockets are told to resume elsewhere");
        going_away.going_away();
    })
    .await;
    // Upgraded connections are not the drain's: the process would end (and cut them)
    // before their tasks had sent the close frame.
    if tokio::time::timeout(GOODBYE, hub.sockets_closed()).await.is_err() {
        tracing::warn!("sockets still open after {GOODBYE:?}; stopping anyway");
    }
    served
}

/// How long sockets have to send their "going away" once shutdown begins.
const GOODBYE: std::time::Duration = std::time::Duration::from_secs(5);

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// SIGINT or SIGTERM (what service managers and orchestrators send).
async fn shutdown() {
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM can be watched");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
