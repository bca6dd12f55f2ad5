//! The server binary as an operator runs it: development endpoints only on loopback, and a
//! graceful shutdown on SIGTERM that tells sockets to resume elsewhere (issue 10, items 9
//! and 10).

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use parley_domain::wire::ClientFrame;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

fn server(args: &[&str]) -> (Child, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_parley-server"))
        .args(["--db", common::db_in(dir.path()).to_str().unwrap()])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    (child, dir)
}

/// Waits (bounded) until the server at `base` answers.
async fn wait_up(http: &common::Http, base: &str) {
    for _ in 0..100 {
        if http.get(format!("{base}/health")).send().await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not start");
}

/// Waits (bounded) for the child to exit.
fn exit_of(child: &mut Child) -> Option<std::process::ExitStatus> {
    for _ in 0..100 {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    None
}

#[test]
fn development_endpoints_are_refused_off_loopback_unless_allowed() {
    for dev in ["--simulator", "--test-clock"] {
        let (mut child, _dir) = server(&["--listen", "0.0.0.0:0", dev]);
        let status = exit_of(&mut child).expect("refused at once");
        assert_eq!(status.code(), Some(2), "{dev}");
        let mut err = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
        assert!(err.contains("--dev-endpoints-anywhere"), "{err}");
    }
    // Allowed explicitly, or on loopback, it starts (and is stopped here).
    for args in [
        &["--listen", "0.0.0.0:0", "--simulator", "--dev-endpoints-anywhere"][..],
        &["--listen", "127.0.0.1:0", "--simulator"],
    ] {
        let (mut child, _dir) = server(args);
        std::thread::sleep(Duration::from_millis(700));
        assert!(child.try_wait().unwrap().is_none(), "{args:?} should be running");
        child.kill().unwrap();
        let _ = child.wait();
    }
}

/// Sockets open when SIGTERM arrives.
const SOCKETS: usize = 20;

#[tokio::test]
async fn sigterm_closes_sockets_as_going_away_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fixture.json"), common::fixture().to_string()).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_parley-server"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--db", common::db_in(dir.path()).to_str().unwrap()])
        .args(["--fixture", dir.path().join("fixture.json").to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let http = common::Http::default();
    wait_up(&http, &base).await;
    let session: serde_json::Value = http
        .post(format!("{base}/session"))
        .json(&json!({"email": "aaron@test", "password": "pw"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Several sockets: each must get its close frame before the process ends (the process
    // once ended as soon as the first was sent, cutting the others).
    let mut sockets = Vec::new();
    for _ in 0..SOCKETS {
        let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://127.0.0.1:{port}/api/v1/ws")).await.unwrap();
        let hello = ClientFrame::Hello { token: session["token"].as_str().unwrap().to_owned(), since: None };
        ws.send(Message::Text(serde_json::to_string(&hello).unwrap().into())).await.unwrap();
        // Welcome, clock and the first counts.
        for _ in 0..3 {
            tokio::time::timeout(Duration::from_secs(5), ws.next()).await.unwrap();
        }
        sockets.push(ws);
    }
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    for (i, ws) in sockets.iter_mut().enumerate() {
        let close = loop {
            match tokio::time::timeout(Duration::from_secs(5), ws.next()).await {
                Ok(Some(Ok(Message::Close(frame)))) => break frame,
                Ok(Some(Ok(_))) => continue,
                other => panic!("socket {i}: no close frame: {other:?}"),
            }
        };
        assert_eq!(close.map(|f| u16::from(f.code)), Some(1001), "socket {i}: going away");
    }
    let status = exit_of(&mut child).expect("the server exits after SIGTERM");
    assert!(status.success(), "{status:?}");
}

/// Resident and peak resident memory of a process, in KiB (Linux's /proc).
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        let line = status.lines().find(|l| l.starts_with(name)).unwrap();
        line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap()
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[tokio::test]
async fn a_flood_of_wrong_sign_ins_is_throttled_logged_and_never_holds_much_memory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fixture.json"), common::fixture().to_string()).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let log = dir.path().join("server.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_parley-server"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--db", common::db_in(dir.path()).to_str().unwrap()])
        .args(["--fixture", dir.path().join("fixture.json").to_str().unwrap()])
        .env_remove("RUST_LOG")
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let http = common::Http::default();
    let attempt = |email: String| {
        let (http, url) = (http.clone(), format!("{base}/session"));
        async move {
            http.post(url).json(&json!({"email": email, "password": "guess"})).send().await.unwrap().status().as_u16()
        }
    };
    wait_up(&http, &base).await;
    // One check first, so that the baseline includes one hash's worth of memory.
    assert_eq!(attempt("warm-up@test".into()).await, 401);
    let (before, _) = memory_kib(child.id());
    // 40 at once, each for another made-up account (unknown emails cost a hash too).
    let flood = (0..40).map(|i| tokio::spawn(attempt(format!("guess-{i}@test"))));
    let mut statuses = Vec::new();
    for task in flood {
        statuses.push(task.await.unwrap());
    }
    let (after, peak) = memory_kib(child.id());
    child.kill().unwrap();
    let _ = child.wait();
    let count = |s: u16| statuses.iter().filter(|x| **x == s).count();
    // A few are checked at a time per address; the rest are told to come back.
    assert!(count(401) >= 1 && count(429) >= 1 && count(401) + count(429) == 40, "{statuses:?}");
    // argon2 takes 19 MiB per check: forty at once took 700 MiB and kept it (issue 10).
    // One at a time, in memory the password thread keeps, nothing of it remains; the
    // peak is forty requests in flight.
    let mib = |kib: u64| kib / 1024;
    eprintln!("memory: baseline {} MiB, peak {} MiB, after {} MiB", mib(before), mib(peak), mib(after));
    assert!(mib(peak.saturating_sub(before)) < 160, "peak {} MiB over a {} MiB baseline", mib(peak), mib(before));
    assert!(mib(after.saturating_sub(before)) < 16, "{} MiB kept over a {} MiB baseline", mib(after), mib(before));
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("sign-in failed") && logged.contains("guess-7@test"), "{logged}");
    assert!(logged.contains("sign-in refused: too many attempts"), "{logged}");
}
