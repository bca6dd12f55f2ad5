//! Parley's task runner (`cargo xtask <task>`), so that the README's two commands stay
//! short and every set-up step lives in one reviewed place instead of shell snippets.
//!
//! Each task installs what it needs and skips what is already there, so it works on a
//! fresh machine and costs nothing on a warm one.

mod breakdown;
mod compress;
mod emoji;
mod postgres;
mod setup;
mod split;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  run     build the app (release) and start parley-server on http://127.0.0.1:8080
          with demo data in data/parley.sqlite3 (kept across restarts)
  test    run every test: domain and server (cargo test), the server's tests again on
          PostgreSQL (a throwaway cluster), the server load smoke test (exactly-once
          delivery), then the browser tests (headless Chromium against a real server)
  test-pg [CARGO TEST ARGS…]  only the server's integration tests on PostgreSQL (Debian's
          package installed if missing; a throwaway cluster on 127.0.0.1, stopped after),
          e.g. `cargo xtask test-pg --test api`
  e2e [FILE…]  only the browser tests (all, or the named tests/e2e files, e.g.
          `cargo xtask e2e composer`), after building the app and the server
  dist    build the app in release into dist/ (with .gz and .br copies)
  size    build dist/ and print the gzip and brotli sizes of the wasm, JS and CSS, then
          what each crate costs in the wasm (a second, named build of the same code)
  lighthouse  build the app and the server, then Lighthouse (mobile and desktop, 3 runs
          each, medians) on the sign-in page; fails under the targets of issue 11
  bench   run the domain benchmarks (cargo bench), then size
  bench-server [--db postgres] [default|small|large|wide|smoke]
          the server load benchmark (release build, crates/server/examples/loadgen.rs):
          every configuration, or the named one (smoke: the debug check `test` runs);
          with `--db postgres`, each on a throwaway PostgreSQL cluster with one server
          instance, then with two
  setup   install the toolchain pieces only (and aiosmtpd, the tests' SMTP server)
  emoji   regenerate public/emoji.json (the composer's emoji table) from the emojis crate
  split-wasm  Trunk's post-build hook: split the wasm at its `#[lazy]` functions";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let started = Instant::now();
    let result = match task.as_str() {
        "run" => run(),
        "test" => test(),
        "test-pg" => test_pg(&std::env::args().skip(2).collect::<Vec<_>>()),
        "e2e" => setup::toolchain(true).and_then(|_| e2e(&std::env::args().skip(2).collect::<Vec<_>>())),
        "dist" => setup::toolchain(false).and_then(|_| dist()).map(drop),
        "size" => setup::toolchain(false).and_then(|_| dist()).and_then(|d| size(&d)),
        "lighthouse" => setup::toolchain(true).and_then(|_| lighthouse()),
        "bench" => bench(),
        "bench-server" => bench_server(&std::env::args().skip(2).collect::<Vec<_>>()),
        "setup" => setup::toolchain(true).and_then(|_| setup::smtpd()).map(drop),
        "emoji" => emoji::run(),
        "split-wasm" => split::run(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => {
            eprintln!("xtask {task}: done in {:.0?}", started.elapsed());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("xtask {task}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives in crates/xtask).
pub fn root() -> PathBuf {
    // `cargo run` sets the variable at run time too: prefer it, so that a binary built in
    // another checkout (a copied target/) still works on this one.
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
    Path::new(&dir).ancestors().nth(2).expect("crates/xtask is two levels down").to_owned()
}

/// Runs a command in the workspace root, failing with its name if it fails.
pub fn sh(cmd: &mut Command) -> Result {
    eprintln!("$ {}", describe(cmd));
    let status = cmd.current_dir_if_unset().status().map_err(|e| format!("cannot start {}: {e}", describe(cmd)))?;
    if status.success() { Ok(()) } else { Err(format!("`{}` failed ({status})", describe(cmd))) }
}

fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program()).chain(cmd.get_args()).map(|s| s.to_string_lossy()).collect::<Vec<_>>().join(" ")
}

trait CurrentDir {
    fn current_dir_if_unset(&mut self) -> &mut Self;
}

impl CurrentDir for Command {
    fn current_dir_if_unset(&mut self) -> &mut Self {
        if self.get_current_dir().is_none() {
            self.current_dir(root());
        }
        self
    }
}

/// Where cargo puts builds: `CARGO_TARGET_DIR` if set (relative to the root), else target/.
pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), |dir| root().join(dir))
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Release build of the app into dist/ with Trunk (wasm-opt from npm's binaryen).
fn dist() -> Result<PathBuf> {
    let mut trunk = Command::new("trunk");
    trunk.args(["build", "--release", "--offline"]);
    setup::tool_env(&mut trunk);
    sh(&mut trunk)?;
    let dist = root().join("dist");
    compress::precompress(&dist)?;
    Ok(dist)
}

/// The server: optimised with the `server` profile (speed; `release` is tuned for the
/// wasm's size), or the debug build the tests use.
fn build_server(optimised: bool) -> Result<PathBuf> {
    let mut cmd = cargo();
    cmd.args(["build", "--package", "parley-server", "--bin", "parley-server"]);
    Ok(build_in(&mut cmd, optimised)?.join("parley-server"))
}

/// Runs a cargo build with the `server` profile or the dev one; returns its output folder.
fn build_in(cmd: &mut Command, optimised: bool) -> Result<PathBuf> {
    if optimised {
        cmd.args(["--profile", "server"]);
    }
    sh(cmd)?;
    Ok(target_dir().join(if optimised { "server" } else { "debug" }))
}

/// The server and its load generator (the `loadgen` example), built together.
fn build_loadgen(optimised: bool) -> Result<(PathBuf, PathBuf)> {
    let mut cmd = cargo();
    cmd.args(["build", "--package", "parley-server", "--bin", "parley-server", "--example", "loadgen"]);
    let dir = build_in(&mut cmd, optimised)?;
    Ok((dir.join("parley-server"), dir.join("examples").join("loadgen")))
}

fn run() -> Result {
    setup::toolchain(false)?;
    let dist = dist()?;
    let server = build_server(true)?;
    let data = root().join("data");
    std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    println!(
        "\nParley: http://127.0.0.1:8080\n\nDemo sign-ins (password for all: parley-demo):\n  \
         olivia@parley.test  owner\n  max@parley.test     manager\n  \
         aaron@parley.test   agent (Sales + Support)\n  lea@parley.test     agent (Sales)\n  \
         nina@parley.test    agent (Support)\n  tess@parley.test    agent, sees own team only (Sales)\n  \
         sam@parley.test     agent, sees own only (Support)\n\n\
         Make a customer write in:\n  curl -X POST http://127.0.0.1:8080/api/v1/simulator/inbound \\\n    \
         -H 'content-type: application/json' -d '{{\"contact\":\"k-001\",\"channel\":\"ch-whatsapp\",\"text\":\"Hello!\"}}'\n"
    );
    sh(Command::new(server).args([
        "--listen",
        "127.0.0.1:8080",
        "--db",
        &data.join("parley.sqlite3").to_string_lossy(),
        "--fixture",
        &root().join("fixtures/demo.json").to_string_lossy(),
        "--static",
        &dist.to_string_lossy(),
        "--simulator",
    ]))
}

fn test() -> Result {
    setup::toolchain(true)?;
    setup::smtpd()?;
    sh(cargo().args(["test", "--workspace"]))?;
    test_pg(&[])?;
    smoke_server()?;
    e2e(&[])
}

/// The server's integration tests (all, or those `args` select) against a throwaway
/// PostgreSQL cluster: each test makes a database of its own there (tests/common). Its
/// unit tests are not run again: they test SQLite specifics or no database at all.
fn test_pg(args: &[String]) -> Result {
    setup::smtpd()?;
    let cluster = postgres::Cluster::start(false)?;
    let mut cmd = cargo();
    cmd.args(["test", "-p", "parley-server"]);
    if !args.iter().any(|a| a == "--test") {
        cmd.args(["--test", "*"]);
    }
    cmd.args(args).env("PARLEY_TEST_PG", cluster.url());
    // `cluster` drops (stops) after the tests, passed or failed.
    sh(&mut cmd)
}

/// Builds the app and the server, then runs the browser tests: every file, or the named
/// ones (`composer` means tests/e2e/composer.test.mjs).
fn e2e(files: &[String]) -> Result {
    let dist = dist()?;
    let server = build_server(false)?;
    let smtpd = setup::smtpd()?;
    let dir = root().join("tests/e2e");
    let mut node = Command::new("node");
    node.args(["--test", "--test-concurrency=1", "--test-reporter=spec"]);
    if files.is_empty() {
        node.arg(&dir);
    } else {
        node.args(
            files.iter().map(|f| dir.join(if f.ends_with(".mjs") { f.clone() } else { format!("{f}.test.mjs") })),
        );
    }
    node.env("PARLEY_SERVER_BIN", server)
        .env("PARLEY_DIST", dist)
        .env("PARLEY_FIXTURE", root().join("fixtures/demo.json"))
        .env("CHROMIUM", setup::CHROMIUM)
        .env("PARLEY_SMTPD_PYTHON", smtpd);
    // instances.test.mjs runs two servers on one PostgreSQL database; the cluster stops
    // when `cluster` drops, after the tests.
    let cluster = if files.is_empty() || files.iter().any(|f| f.trim_end_matches(".test.mjs") == "instances") {
        let cluster = postgres::Cluster::start(false)?;
        node.env("PARLEY_E2E_PG", cluster.create_database("e2e_instances")?);
        Some(cluster)
    } else {
        None
    };
    let result = sh(&mut node);
    drop(cluster);
    result
}

/// Lighthouse on the sign-in page, served by the real server from dist/
/// (tests/e2e/lighthouse.mjs starts it and prints the runs and their medians).
fn lighthouse() -> Result {
    let dist = dist()?;
    let server = build_server(false)?;
    sh(Command::new("node")
        .arg(root().join("tests/e2e/lighthouse.mjs"))
        .current_dir(root().join("tests/e2e"))
        .env("PARLEY_SERVER_BIN", server)
        .env("PARLEY_DIST", dist)
        .env("PARLEY_FIXTURE", root().join("fixtures/demo.json"))
        .env("CHROMIUM", setup::CHROMIUM))
}

/// `cargo xtask bench-server` configurations (issue 9): name, what it shows, loadgen flags.
const BENCH_SERVER: &[(&str, &str, &[&str])] = &[
    (
        "default",
        "N = 20,000 conversations, S = 300 sockets, R = 150/s for T = 10 s",
        &["--conversations", "20000", "--sockets", "300", "--rate", "150", "--seconds", "10"],
    ),
    (
        "small",
        "N = 200, same S, R and T: compare its p99 with the default run's",
        &["--conversations", "200", "--sockets", "300", "--rate", "150", "--seconds", "10"],
    ),
    ("large", "first page and GET /inboxes at N = 100,000 (no load)", &["--conversations", "100000", "--only-lists"]),
    (
        "wide",
        "S = 500 sockets, R = 200/s (reported, not judged)",
        &["--conversations", "20000", "--sockets", "500", "--rate", "200", "--seconds", "10"],
    ),
];

/// The configuration `cargo xtask test` runs: it checks exactly-once delivery only.
const SMOKE_SERVER: &[&str] =
    &["--conversations", "2000", "--sockets", "20", "--rate", "50", "--seconds", "2", "--smoke"];

/// The server load benchmark on release binaries: every configuration, or one by name;
/// `--db postgres` runs each on PostgreSQL with one server instance, then with two.
fn bench_server(args: &[String]) -> Result {
    let (postgres, only) = match args {
        [db, kind, rest @ ..] if db == "--db" => match kind.as_str() {
            "postgres" => (true, rest.first()),
            "sqlite" => (false, rest.first()),
            other => return Err(format!("--db {other}: sqlite or postgres")),
        },
        [only] => (false, Some(only)),
        [] => (false, None),
        _ => return Err("usage: cargo xtask bench-server [--db postgres] [configuration]".into()),
    };
    let only = only.map(String::as_str);
    if only == Some("smoke") && !postgres {
        return smoke_server();
    }
    let configs: Vec<_> = BENCH_SERVER.iter().filter(|(name, ..)| only.is_none_or(|o| o == *name)).collect();
    if configs.is_empty() {
        let names: Vec<_> = BENCH_SERVER.iter().map(|(name, ..)| *name).collect();
        return Err(format!("no configuration {:?}; one of {}, smoke", only.unwrap_or(""), names.join(", ")));
    }
    let (server, loadgen) = build_loadgen(true)?;
    // Dropped (stopped) after the runs, whatever their outcome.
    let cluster = if postgres { Some(postgres::Cluster::start(true)?) } else { None };
    let storages: Vec<(String, Vec<String>)> = match &cluster {
        None => vec![("SQLite".into(), vec![])],
        Some(c) => (1..=2)
            .map(|n| (format!("PostgreSQL × {n}"), vec!["--db".into(), c.url(), "--instances".into(), n.to_string()]))
            .collect(),
    };
    let (mut took, mut failed) = (Vec::new(), Vec::new());
    for (name, what, args) in configs {
        for (storage, flags) in &storages {
            println!("\n# bench-server {name} on {storage}: {what}");
            let started = Instant::now();
            if let Err(e) = sh(Command::new(&loadgen).arg("--server").arg(&server).args(*args).args(flags)) {
                failed.push(format!("{name} on {storage}: {e}"));
            }
            took.push(format!("{name} on {storage} {:.0?}", started.elapsed()));
        }
    }
    println!("\nbench-server took: {}", took.join(", "));
    if failed.is_empty() { Ok(()) } else { Err(failed.join("; ")) }
}

/// The load smoke test on debug binaries (`cargo test` has already built them).
fn smoke_server() -> Result {
    let (server, loadgen) = build_loadgen(false)?;
    sh(Command::new(loadgen).arg("--server").arg(server).args(SMOKE_SERVER))
}

fn bench() -> Result {
    sh(cargo().args(["bench", "--package", "parley-domain"]))?;
    setup::toolchain(false)?;
    size(&dist()?)
}

/// Prints what a first load transfers (index.html, the JS, the CSS and the main wasm),
/// gzipped, then the chunks the app fetches when a `#[lazy]` part is first shown.
fn size(dist: &Path) -> Result {
    let mut entries: Vec<_> = std::fs::read_dir(dist).map_err(|e| e.to_string())?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    let (mut first, mut chunks) = (Vec::new(), Vec::new());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "wasm" | "js" | "css" | "html") {
            continue;
        }
        // The copies `dist()` wrote next to the file: measured once, as served.
        let len = |suffix: &str| -> Result<usize> {
            let mut name = path.clone().into_os_string();
            name.push(suffix);
            let meta = std::fs::metadata(&name).map_err(|e| format!("{}: {e}", Path::new(&name).display()))?;
            Ok(meta.len() as usize)
        };
        let row = (name, [len("")?, len(".gz")?, len(".br")?]);
        // The main module is Trunk's `parley-<hash>_bg.wasm`; every other wasm is a chunk.
        if ext == "wasm" && !row.0.starts_with("parley-") { chunks.push(row) } else { first.push(row) }
    }
    let table = |rows: &[(String, [usize; 3])], total: &str| {
        println!("{:<56} {:>10} {:>10} {:>10}", "file", "bytes", "gzip -9", "brotli 11");
        let mut totals = [0; 3];
        for (name, sizes) in rows {
            println!("{:<56} {:>10} {:>10} {:>10}", name, sizes[0], sizes[1], sizes[2]);
            for (t, s) in totals.iter_mut().zip(sizes) {
                *t += s;
            }
        }
        println!("{:<56} {:>10} {:>10} {:>10}", total, totals[0], totals[1], totals[2]);
        totals
    };
    println!("what every first load transfers:");
    let totals = table(&first, "first load");
    let main = first.iter().find(|(n, _)| n.ends_with("_bg.wasm")).map_or(0, |(_, s)| s[1]);
    println!(
        "budgets: the main wasm at most 500 KB gzipped: {:.1} KB ({:.1}%); the first load at most 550 KB: {:.1} KB \
         ({:.1}%); sent as brotli: {:.1} KB",
        main as f64 / 1000.0,
        main as f64 / 5000.0,
        totals[1] as f64 / 1000.0,
        totals[1] as f64 / 5500.0,
        totals[2] as f64 / 1000.0
    );
    println!("\nchunks, fetched when a lazy part of the app is first shown:");
    table(&chunks, "all chunks");
    // The same cargo output Trunk packed into dist/, built once more with names.
    let work = target_dir().join("size-breakdown");
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    breakdown::print(&target_dir().join("wasm32-unknown-unknown/release/parley.wasm"), &work)
}
