//! Waking this instance when another one commits (issue 13, fan-out across instances).
//!
//! Every write transaction that took a seq ends with `pg_notify(CHANNEL, seq)` before its
//! `COMMIT` (PostgreSQL delivers it at commit, never for a rollback). Here a thread of its
//! own holds a connection that `LISTEN`s and reports each seq it hears; the fan-out then
//! reads the log past its position as usual, so order and exactly-once come from the log,
//! never from the notifications. A notification can be missed (the connection dropped, the
//! listener was reconnecting), so the thread also reads the current seq itself: after every
//! (re)connection, and at least every [`POLL`] (`AppState::log_poll`).
//!
//! Presence is not logged: each instance relays its sockets' presence frames to the others
//! on [`PRESENCE`] ([`Publisher`]), and hears theirs here.
//!
//! Threads rather than tasks: the sync client blocks while it waits (see
//! [`super::conn::PgConn`]); the listener stops when its [`Listener`] is dropped, the
//! publisher when its last [`Publisher`] is.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, NoTls};

/// The channel write transactions notify (the payload is the transaction's last seq).
pub const CHANNEL: &str = "parley_events";
/// The channel presence frames go through: `<instance> <frame JSON>`.
pub const PRESENCE: &str = "parley_presence";
/// The listening connection's `application_name` (how `pg_stat_activity` shows it).
pub const APPLICATION: &str = "parley-listen";
/// The safety poll by default: a notification lost on the way strands an event at most
/// this long.
pub const POLL: Duration = Duration::from_secs(1);
/// Waits between reconnection attempts, doubling from the first to the last.
const BACKOFF: (Duration, Duration) = (Duration::from_millis(100), Duration::from_secs(5));

/// What the listener hears, and who hears it.
pub struct Ears {
    /// Told every committed seq it learns of (from any instance, this one included), in no
    /// particular order and possibly more than once.
    pub wake: Box<dyn Fn(u64) + Send>,
    /// Told the presence frames (JSON) that other instances relay.
    pub presence: Box<dyn Fn(&str) + Send>,
}

/// The listening thread; dropping this stops it (within a second).
pub struct Listener {
    stop: Arc<AtomicBool>,
    url: Arc<str>,
    /// Tells this instance's relayed presence from the others'.
    instance: u64,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Starts listening on `url` (see [`Ears`]).
pub fn listen(url: Arc<str>, poll: Duration, ears: Ears) -> Listener {
    use std::hash::{BuildHasher, Hasher};
    let instance = std::collections::hash_map::RandomState::new().build_hasher().finish();
    let stop = Arc::new(AtomicBool::new(false));
    let (stopped, at) = (stop.clone(), url.clone());
    std::thread::Builder::new()
        .name("pg-listen".into())
        .spawn(move || follow(&at, poll, &stopped, instance, &ears))
        .expect("a thread can be started");
    Listener { stop, url, instance }
}

impl Listener {
    /// Relays this instance's presence frames to the other instances, on a connection and
    /// a thread of its own (ends with the last clone). Presence is ephemeral: one that
    /// cannot be sent is dropped.
    pub fn publisher(&self) -> Publisher {
        let (send, frames) = std::sync::mpsc::channel::<String>();
        let (url, instance) = (self.url.clone(), self.instance);
        std::thread::Builder::new()
            .name("pg-presence".into())
            .spawn(move || {
                let mut client: Option<Client> = None;
                for frame in frames {
                    let payload = format!("{instance} {frame}");
                    if client.as_ref().is_none_or(Client::is_closed) {
                        client = Client::connect(&url, NoTls).ok();
                    }
                    if let Some(c) = client.as_mut()
                        && c.execute("SELECT pg_notify($1, $2)", &[&PRESENCE, &payload]).is_err()
                    {
                        client = None;
                    }
                }
            })
            .expect("a thread can be started");
        Publisher(send)
    }
}

/// Sends presence frames to the other instances ([`Listener::publisher`]).
#[derive(Clone)]
pub struct Publisher(std::sync::mpsc::Sender<String>);

impl Publisher {
    pub fn send(&self, frame: &str) {
        let _ = self.0.send(frame.to_owned());
    }
}

fn follow(url: &str, poll: Duration, stop: &AtomicBool, instance: u64, ears: &Ears) {
    let mut backoff = BACKOFF.0;
    while !stop.load(Ordering::Relaxed) {
        let mut heard = false;
        match session(url, poll, stop, instance, ears, &mut heard) {
            Ok(()) => return,
            Err(e) => tracing::warn!(error = %e, "the listener lost its connection to PostgreSQL; reconnecting"),
        }
        // A connection that worked starts the backoff over.
        backoff = if heard { BACKOFF.0 } else { (backoff * 2).min(BACKOFF.1) };
        let until = Instant::now() + backoff;
        while Instant::now() < until && !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// One connection's life: `Ok` when stopped, `Err` when the connection failed.
fn session(
    url: &str,
    poll: Duration,
    stop: &AtomicBool,
    instance: u64,
    ears: &Ears,
    heard: &mut bool,
) -> Result<(), String> {
    let failed = |e: postgres::Error| e.to_string();
    let mut config: postgres::Config = url.parse().map_err(failed)?;
    let mut client = config.application_name(APPLICATION).connect(NoTls).map_err(failed)?;
    client.batch_execute(&format!("LISTEN {CHANNEL}; LISTEN {PRESENCE}")).map_err(failed)?;
    *heard = true;
    // Listening now: whatever committed while nobody listened is read once here.
    (ears.wake)(current_seq(&mut client).map_err(failed)?);
    let mut polled = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        let next = client.notifications().timeout_iter(poll.min(POLL)).next().map_err(failed)?;
        match next {
            Some(n) if n.channel() == PRESENCE => match n.payload().split_once(' ') {
                Some((from, frame)) if from != instance.to_string() => (ears.presence)(frame),
                _ => {}
            },
            Some(n) => {
                if let Ok(seq) = n.payload().parse() {
                    (ears.wake)(seq);
                }
            }
            None if client.is_closed() => return Err("the server closed the connection".into()),
            None => {}
        }
        if polled.elapsed() >= poll {
            (ears.wake)(current_seq(&mut client).map_err(failed)?);
            polled = Instant::now();
        }
    }
    Ok(())
}

fn current_seq(client: &mut Client) -> Result<u64, postgres::Error> {
    let row = client.query_opt("SELECT value FROM meta WHERE key = 'seq'", &[])?;
    Ok(row.and_then(|r| r.get::<_, String>(0).parse().ok()).unwrap_or(0))
}
