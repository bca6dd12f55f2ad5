//! One fan-out for every socket.
//!
//! A single dispatcher task reads each committed event once, decodes and serialises it
//! once, updates the side-panel counts incrementally ([`LiveCounts`]) and routes it in
//! memory to the sockets whose user may see it. Sockets never query the database in
//! steady state: they only copy frames from their queue to the network.
//!
//! Each socket's queue is bounded. A socket that cannot keep up (its queue is full) stops
//! receiving frames and gets `resync` as soon as its queue has room again, so a slow
//! client never slows the others and never silently loses an event. When pruning takes
//! the log past what the dispatcher has read, every socket gets `resync`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use parley_domain::inbox::live::{Bucket, LiveCounts};
use parley_domain::inbox::{InboxCount, InboxId};
use parley_domain::visibility::can_see;
use parley_domain::wire::{Event, EventKind, PresenceActivity, ServerFrame};
use parley_domain::{ConversationId, Direction, Directory, Permission, User, UserId};
use tokio::sync::{mpsc, oneshot, watch};

use crate::error::{ApiError, ApiResult};
use crate::storage::db::Db;
use crate::storage::{Audience, LoggedAcks, Store};

/// Most events in one frame; a longer backlog goes out as several frames.
pub const BATCH_LIMIT: usize = 500;
/// Frames a socket may have waiting by default before it is considered too slow.
pub const SOCKET_QUEUE: usize = 256;
/// How often sockets that overflowed are offered their `resync`.
const RETRY_OVERFLOWED: Duration = Duration::from_millis(100);

/// A frame ready to send, shared by every socket that gets it.
pub type Frame = Arc<str>;

/// The handle everyone holds: wakes the dispatcher and asks it things.
#[derive(Clone)]
pub struct Hub {
    commands: mpsc::UnboundedSender<Command>,
    /// Kept so the dispatcher can be (re)started by `serve`; one at a time.
    inbox: Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<Command>>>,
    published: watch::Sender<u64>,
    clock: watch::Sender<u64>,
    /// Set once when the server shuts down: sockets close with "going away" (1001).
    going_away: watch::Sender<bool>,
    /// Digests of the session tokens just signed out: their sockets close.
    ended: tokio::sync::broadcast::Sender<Arc<str>>,
    /// Sockets streaming now (each holds a [`SocketOpen`]); shutdown waits for none.
    open: watch::Sender<usize>,
    /// Where this instance's presence frames go for the other instances (PostgreSQL).
    elsewhere: Elsewhere,
    queue: usize,
}

type Elsewhere = Arc<std::sync::OnceLock<Box<dyn Fn(&str) + Send + Sync>>>;

/// A socket streaming; dropped when it has finished (its close frame sent).
pub struct SocketOpen(watch::Sender<usize>);

impl Drop for SocketOpen {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n -= 1);
    }
}

/// What a socket gets when it joins the fan-out.
pub struct Registration {
    pub id: u64,
    /// Events up to here are the socket's to replay from the log; later ones arrive in
    /// `frames`, starting with the user's counts as they stand at `position`.
    pub position: u64,
    pub directory: Arc<Directory>,
    pub frames: mpsc::Receiver<Frame>,
}

enum Command {
    Register {
        user: User,
        reply: oneshot::Sender<Registration>,
    },
    Unregister(u64),
    /// The user's counts once the log is read up to `after` at least.
    Counts {
        user: User,
        after: u64,
        reply: oneshot::Sender<(Vec<InboxCount>, u64)>,
    },
    Opening {
        user: User,
        inbox: InboxId,
        reply: oneshot::Sender<Option<Vec<(ConversationId, u64)>>>,
    },
    Presence {
        user: User,
        conversation: ConversationId,
        activity: PresenceActivity,
    },
    /// A presence frame relayed by another instance, already checked there.
    Relayed {
        conversation: ConversationId,
        user: UserId,
        text: Frame,
    },
    /// Conversations changed without events (the simulator's bulk inbound): reload them.
    Reload,
}

fn stopped<T>(_: T) -> ApiError {
    ApiError::Internal("the event fan-out is not running".into())
}

impl Hub {
    /// `queue`: frames a socket may have waiting (see [`SOCKET_QUEUE`]).
    pub fn new(seq: u64, queue: usize) -> Hub {
        let (commands, inbox) = mpsc::unbounded_channel();
        Hub {
            commands,
            inbox: Arc::new(tokio::sync::Mutex::new(inbox)),
            published: watch::Sender::new(seq),
            clock: watch::Sender::new(0),
            going_away: watch::Sender::new(false),
            ended: tokio::sync::broadcast::Sender::new(64),
            open: watch::Sender::new(0),
            elsewhere: Arc::default(),
            queue: queue.max(1),
        }
    }

    /// Events up to `seq` are committed.
    pub fn published(&self, seq: u64) {
        self.published.send_if_modified(|cur| {
            let grew = seq > *cur;
            if grew {
                *cur = seq;
            }
            grew
        });
    }

    /// The test clock moved: sockets send the new time.
    pub fn clock_moved(&self) {
        self.clock.send_modify(|n| *n += 1);
    }

    pub fn clock_watch(&self) -> watch::Receiver<u64> {
        self.clock.subscribe()
    }

    /// The server is shutting down: every socket closes with "going away", so clients
    /// reconnect and resume.
    pub fn going_away(&self) {
        self.going_away.send_replace(true);
    }

    pub fn going_away_watch(&self) -> watch::Receiver<bool> {
        self.going_away.subscribe()
    }

    /// A socket starts streaming; it counts as open until the guard drops.
    pub fn socket_opened(&self) -> SocketOpen {
        self.open.send_modify(|n| *n += 1);
        SocketOpen(self.open.clone())
    }

    /// Once every socket has finished (after [`Hub::going_away`]: said goodbye).
    pub async fn sockets_closed(&self) {
        let _ = self.open.subscribe().wait_for(|n| *n == 0).await;
    }

    /// The session with this token digest ended (signed out): its sockets close.
    pub fn session_ended(&self, digest: String) {
        let _ = self.ended.send(digest.into());
    }

    pub fn ended_sessions(&self) -> tokio::sync::broadcast::Receiver<Arc<str>> {
        self.ended.subscribe()
    }

    pub async fn register(&self, user: User) -> ApiResult<Registration> {
        let (reply, answer) = oneshot::channel();
        self.commands.send(Command::Register { user, reply }).map_err(stopped)?;
        answer.await.map_err(stopped)
    }

    pub fn unregister(&self, id: u64) {
        let _ = self.commands.send(Command::Unregister(id));
    }

    /// The user's side-panel counts and the seq they stand at.
    pub async fn counts(&self, user: User) -> ApiResult<(Vec<InboxCount>, u64)> {
        self.counts_after(user, 0).await
    }

    /// The user's counts once the fan-out has read the log up to `after` (this instance's
    /// own commit, which woke it).
    pub async fn counts_after(&self, user: User, after: u64) -> ApiResult<(Vec<InboxCount>, u64)> {
        let (reply, answer) = oneshot::channel();
        self.commands.send(Command::Counts { user, after, reply }).map_err(stopped)?;
        answer.await.map_err(stopped)
    }

    /// What opening `inbox` acknowledges for `user` (conversation, seq to record); `None`
    /// when the user may not open that inbox.
    pub async fn opening(&self, user: User, inbox: InboxId) -> ApiResult<Option<Vec<(ConversationId, u64)>>> {
        let (reply, answer) = oneshot::channel();
        self.commands.send(Command::Opening { user, inbox, reply }).map_err(stopped)?;
        answer.await.map_err(stopped)
    }

    pub fn presence(&self, user: User, conversation: ConversationId, activity: PresenceActivity) {
        let _ = self.commands.send(Command::Presence { user, conversation, activity });
    }

    /// Sends this instance's presence frames to the other instances too (set once).
    pub fn relay_presence_to(&self, relay: impl Fn(&str) + Send + Sync + 'static) {
        let _ = self.elsewhere.set(Box::new(relay));
    }

    /// A presence frame another instance relayed: to this instance's sockets that may see it.
    pub fn presence_elsewhere(&self, text: &str) {
        if let Ok(ServerFrame::Presence { conversation, user, .. }) = serde_json::from_str(text) {
            let _ = self.commands.send(Command::Relayed { conversation, user, text: text.into() });
        }
    }

    pub fn reload(&self) {
        let _ = self.commands.send(Command::Reload);
    }
}

/// Runs the dispatcher until the hub's last handle is gone.
pub async fn run(db: Db, hub: Hub) {
    let mut commands = hub.inbox.lock().await;
    let mut published = hub.published.subscribe();
    let mut d = match Dispatcher::load(&db, hub.queue, hub.elsewhere.clone()).await {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(error = %e, "the event fan-out cannot start");
            return;
        }
    };
    let mut retry = tokio::time::interval(RETRY_OVERFLOWED);
    retry.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Events committed while the dispatcher was starting.
    d.catch_up(&db).await;
    loop {
        tokio::select! {
            command = commands.recv() => match command {
                Some(command) => d.command(command, &db).await,
                None => return,
            },
            changed = published.changed() => {
                if changed.is_err() { return }
                d.catch_up(&db).await;
            }
            _ = retry.tick(), if d.any_overflowed() || d.stalled => {
                if d.stalled {
                    d.catch_up(&db).await;
                }
                d.offer_resyncs();
            }
        }
    }
}

struct Socket {
    user: UserId,
    queue: mpsc::Sender<Frame>,
    /// Its queue was full: it gets nothing until `resync` can be queued.
    overflowed: bool,
}

/// A user with open sockets.
struct Viewer {
    user: User,
    sockets: Vec<u64>,
    /// The counts last sent to its sockets.
    counts: Vec<InboxCount>,
}

struct Dispatcher {
    live: LiveCounts,
    dir: Arc<Directory>,
    /// Events up to here were read, applied and routed.
    position: u64,
    /// The last read of the log failed (the database restarting…): tried again soon,
    /// whether or not another commit wakes the dispatcher.
    stalled: bool,
    sockets: HashMap<u64, Socket>,
    viewers: HashMap<UserId, Viewer>,
    next_id: u64,
    queue: usize,
    elsewhere: Elsewhere,
}

/// The facts a change reports about a conversation.
fn bucket_of(c: &parley_domain::wire::ConversationSummary) -> Bucket {
    Bucket { assignee: c.assigned(), blocked: c.contact.blocked, open: c.status.is_open() }
}

/// Whether `user` may receive an event recorded for `audience` (assignees before and
/// after the change, so visibility is decided as things stood then; blocked contacts
/// only for `view_blocked`).
pub fn may_receive(dir: &Directory, user: &User, audience: &Audience, kind: &EventKind) -> bool {
    (!audience.blocked || user.has(Permission::ViewBlocked))
        && audience.assignees.iter().any(|a| can_see(dir, user, a.as_ref()))
        // Calls and their timeline lines reach only the users who handle calls.
        && match kind {
            EventKind::CallUpdated { .. } => user.has(Permission::Calls),
            EventKind::ActivityCreated { activity } => crate::access::may_see_activity(user, &activity.kind),
            _ => true,
        }
}

/// `{"batch": {"events": [...], "inboxes": ...}}` from events serialised once for all.
pub fn batch_frame(events: &[&str], inboxes: Option<&[InboxCount]>) -> String {
    let inboxes = serde_json::to_string(&inboxes).expect("counts serialise");
    let mut out = String::with_capacity(40 + inboxes.len() + events.iter().map(|e| e.len() + 1).sum::<usize>());
    out.push_str(r#"{"batch":{"events":["#);
    for (i, e) in events.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(e);
    }
    out.push_str(r#"],"inboxes":"#);
    out.push_str(&inboxes);
    out.push_str("}}");
    out
}

pub fn frame(f: &ServerFrame) -> Frame {
    serde_json::to_string(f).expect("frames serialise").into()
}

/// The log after `after` in one snapshot: up to [`BATCH_LIMIT`] events, and the
/// acknowledgements among them (all of them when the events end here); `None` when pruned.
type LogRead = Option<(Vec<(Event, Audience)>, Vec<LoggedAcks>)>;

fn read_log(conn: &dyn Store, after: u64) -> ApiResult<LogRead> {
    let Some(rows) = conn.events_after(after, BATCH_LIMIT)? else { return Ok(None) };
    let upto = rows.last().map(|(e, _)| e.seq).filter(|_| rows.len() == BATCH_LIMIT);
    Ok(Some((rows, conn.acks_after(after, upto)?)))
}

/// Everything the counts need, read in one snapshot.
fn snapshot(conn: &dyn Store) -> ApiResult<(LiveCounts, Directory, u64)> {
    Ok((conn.live_counts()?, conn.directory()?, conn.current_seq()?))
}

impl Dispatcher {
    async fn load(db: &Db, queue: usize, elsewhere: Elsewhere) -> ApiResult<Dispatcher> {
        let (live, dir, position) = db.read(snapshot).await?;
        tracing::info!(conversations = live.len(), position, "event fan-out started");
        Ok(Dispatcher {
            live,
            dir: Arc::new(dir),
            position,
            stalled: false,
            sockets: HashMap::new(),
            viewers: HashMap::new(),
            next_id: 1,
            queue,
            elsewhere,
        })
    }

    fn any_overflowed(&self) -> bool {
        self.sockets.values().any(|s| s.overflowed)
    }

    async fn command(&mut self, command: Command, db: &Db) {
        match command {
            Command::Register { user, reply } => {
                let _ = reply.send(self.register(user));
            }
            Command::Unregister(id) => self.unregister(id),
            Command::Counts { user, after, reply } => {
                if self.position < after {
                    self.catch_up(db).await;
                }
                let _ = reply.send((self.live.counts(&self.dir, &user), self.position));
            }
            Command::Opening { user, inbox, reply } => {
                let acks = parley_domain::inbox::may_open(&self.dir, &user, &inbox)
                    .then(|| self.live.acknowledged_by_opening(&self.dir, &user, &inbox));
                let _ = reply.send(acks);
            }
            Command::Presence { user, conversation, activity } => self.presence(user, conversation, activity),
            Command::Relayed { conversation, user, text } => {
                if let Some(assignee) = self.live.assignee(&conversation).map(|a| a.cloned()) {
                    self.relay(assignee.as_ref(), &user, &text);
                }
            }
            Command::Reload => {
                self.catch_up(db).await;
                match db.read(snapshot).await {
                    // Events after `position` are applied again on top: each carries its
                    // conversation's state after the change, so the result is the same.
                    Ok((live, dir, _)) => {
                        self.live = live;
                        self.dir = Arc::new(dir);
                        self.all_counts();
                    }
                    Err(e) => tracing::error!(error = %e, "reloading the counts failed"),
                }
            }
        }
    }

    fn register(&mut self, user: User) -> Registration {
        let id = self.next_id;
        self.next_id += 1;
        let (queue, frames) = mpsc::channel(self.queue);
        let counts = self.live.counts(&self.dir, &user);
        let first = batch_frame(&[], Some(&counts));
        queue.try_send(first.into()).expect("a new queue has room");
        let viewer = self.viewers.entry(user.id.clone()).or_insert_with(|| Viewer {
            user: user.clone(),
            sockets: Vec::new(),
            counts: counts.clone(),
        });
        viewer.sockets.push(id);
        viewer.counts = counts;
        self.sockets.insert(id, Socket { user: user.id, queue, overflowed: false });
        Registration { id, position: self.position, directory: self.dir.clone(), frames }
    }

    fn unregister(&mut self, id: u64) {
        let Some(socket) = self.sockets.remove(&id) else { return };
        if let Some(viewer) = self.viewers.get_mut(&socket.user) {
            viewer.sockets.retain(|s| *s != id);
            if viewer.sockets.is_empty() {
                self.viewers.remove(&socket.user);
            }
        }
    }

    /// Reads, applies and routes every event (and acknowledgement) after `position`.
    async fn catch_up(&mut self, db: &Db) {
        loop {
            let after = self.position;
            let read = db.read(move |conn| read_log(conn, after)).await;
            self.stalled = read.is_err();
            let (rows, acks) = match read {
                Ok(Some(read)) => read,
                Ok(None) => return self.lost_events(db).await,
                Err(e) => {
                    tracing::error!(error = %e, "reading the event log failed; trying again");
                    return;
                }
            };
            let last = rows.last().map(|(e, _)| e.seq).max(acks.last().map(|a| a.0));
            let Some(last) = last else { return };
            let full = rows.len() == BATCH_LIMIT;
            self.route(rows, acks);
            self.position = last;
            if !full {
                return;
            }
        }
    }

    /// The log was pruned past what was read: nobody can be told what changed, so
    /// everyone reloads.
    async fn lost_events(&mut self, db: &Db) {
        match db.read(snapshot).await {
            Ok((live, dir, seq)) => {
                tracing::warn!(from = self.position, to = seq, "the log was pruned past the fan-out: resync");
                self.live = live;
                self.dir = Arc::new(dir);
                self.position = seq;
                let resync = frame(&ServerFrame::Resync { seq });
                for socket in self.sockets.values_mut() {
                    socket.overflowed = socket.queue.try_send(resync.clone()).is_err();
                }
                for viewer in self.viewers.values_mut() {
                    viewer.counts = self.live.counts(&self.dir, &viewer.user);
                }
            }
            Err(e) => tracing::error!(error = %e, "reloading after pruning failed"),
        }
    }

    fn route(&mut self, rows: Vec<(Event, Audience)>, acks: Vec<LoggedAcks>) {
        let mut changed = !acks.is_empty();
        let mut acks = acks.into_iter().peekable();
        for (event, _) in &rows {
            // In log order: an acknowledgement never comes before its conversation.
            while let Some((_, user, pairs)) = acks.next_if(|a| a.0 < event.seq) {
                self.acknowledge(&user, &pairs);
            }
            if let Some(c) = event.kind.conversation() {
                let incoming = match &event.kind {
                    EventKind::MessageCreated { message, .. } if message.direction == Direction::Incoming => {
                        Some(event.seq)
                    }
                    _ => None,
                };
                self.live.upsert(&c.id, bucket_of(c), incoming);
                changed = true;
            }
        }
        for (_, user, pairs) in acks {
            self.acknowledge(&user, &pairs);
        }
        if self.viewers.is_empty() {
            return;
        }
        let texts: Vec<String> =
            rows.iter().map(|(e, _)| serde_json::to_string(e).expect("events serialise")).collect();
        let users: Vec<UserId> = self.viewers.keys().cloned().collect();
        for id in users {
            let viewer = self.viewers.get_mut(&id).expect("listed");
            let events: Vec<&str> = rows
                .iter()
                .zip(&texts)
                .filter(|((e, audience), _)| may_receive(&self.dir, &viewer.user, audience, &e.kind))
                .map(|(_, t)| t.as_str())
                .collect();
            let counts = changed.then(|| self.live.counts(&self.dir, &viewer.user)).filter(|c| *c != viewer.counts);
            if events.is_empty() && counts.is_none() {
                continue;
            }
            if let Some(c) = &counts {
                viewer.counts = c.clone();
            }
            let text: Frame = batch_frame(&events, counts.as_deref()).into();
            let sockets = viewer.sockets.clone();
            self.deliver(&sockets, &text);
        }
    }

    fn acknowledge(&mut self, user: &UserId, pairs: &[(ConversationId, u64)]) {
        for (conversation, seq) in pairs {
            self.live.acknowledge(user, conversation, *seq);
        }
    }

    /// Queues a frame on each socket, marking the ones whose queue is full.
    fn deliver(&mut self, ids: &[u64], text: &Frame) {
        for id in ids {
            let Some(socket) = self.sockets.get_mut(id) else { continue };
            if socket.overflowed {
                continue;
            }
            match socket.queue.try_send(text.clone()) {
                Ok(()) => {}
                Err(mpsc::error::TrySendError::Full(_)) => {
                    tracing::warn!(socket = id, user = %socket.user, "socket queue full: it will resync");
                    socket.overflowed = true;
                }
                // The socket task ended; its unregister is on its way.
                Err(mpsc::error::TrySendError::Closed(_)) => {}
            }
        }
    }

    fn send_counts(&mut self, user: &UserId, counts: Vec<InboxCount>) {
        let Some(viewer) = self.viewers.get_mut(user) else { return };
        if viewer.counts == counts {
            return;
        }
        let text: Frame = batch_frame(&[], Some(&counts)).into();
        viewer.counts = counts;
        let sockets = viewer.sockets.clone();
        self.deliver(&sockets, &text);
    }

    fn all_counts(&mut self) {
        let users: Vec<(UserId, User)> = self.viewers.iter().map(|(id, v)| (id.clone(), v.user.clone())).collect();
        for (id, user) in users {
            let counts = self.live.counts(&self.dir, &user);
            self.send_counts(&id, counts);
        }
    }

    /// Sockets that overflowed get `resync` at the current position once they have room;
    /// from there they receive frames again.
    fn offer_resyncs(&mut self) {
        let resync = frame(&ServerFrame::Resync { seq: self.position });
        for socket in self.sockets.values_mut().filter(|s| s.overflowed) {
            if socket.queue.try_send(resync.clone()).is_ok() {
                socket.overflowed = false;
            }
        }
    }

    /// Relayed to the others who may see the conversation, if the sender may; decided
    /// from the counts' own table, without the database. Presence is ephemeral: a full
    /// queue just drops it.
    fn presence(&mut self, user: User, conversation: ConversationId, activity: PresenceActivity) {
        let Some(assignee) = self.live.assignee(&conversation).map(|a| a.cloned()) else { return };
        if !can_see(&self.dir, &user, assignee.as_ref()) {
            return;
        }
        let text =
            frame(&ServerFrame::Presence { conversation, user: user.id.clone(), name: user.name.clone(), activity });
        self.relay(assignee.as_ref(), &user.id, &text);
        if let Some(elsewhere) = self.elsewhere.get() {
            elsewhere(&text);
        }
    }

    /// To the sockets of every user but `sender` who may see a conversation of `assignee`.
    fn relay(&self, assignee: Option<&parley_domain::Assignee>, sender: &UserId, text: &Frame) {
        for viewer in self.viewers.values().filter(|v| v.user.id != *sender) {
            if can_see(&self.dir, &viewer.user, assignee) {
                for id in &viewer.sockets {
                    if let Some(socket) = self.sockets.get(id).filter(|s| !s.overflowed) {
                        let _ = socket.queue.try_send(text.clone());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_frame_built_by_hand_is_the_serde_frame() {
        let events = vec![Event {
            seq: 7,
            kind: EventKind::NoteDeleted { conversation: "c1".into(), note: parley_domain::NoteId("n1".into()) },
        }];
        let counts = vec![InboxCount {
            id: InboxId::Mine,
            kind: parley_domain::InboxKind::Standard,
            name: "Mine".into(),
            open: 2,
            new: 1,
        }];
        let texts: Vec<String> = events.iter().map(|e| serde_json::to_string(e).unwrap()).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        for inboxes in [None, Some(counts.clone())] {
            let built = batch_frame(&refs, inboxes.as_deref());
            let parsed: ServerFrame = serde_json::from_str(&built).unwrap();
            assert_eq!(parsed, ServerFrame::Batch { events: events.clone(), inboxes });
        }
        let empty: ServerFrame = serde_json::from_str(&batch_frame(&[], None)).unwrap();
        assert_eq!(empty, ServerFrame::Batch { events: vec![], inboxes: None });
    }
}
