//! Installs the toolchain pieces the tasks need, each only when missing or at the wrong
//! version. Versions are pinned where a mismatch breaks the build (see STACK notes in
//! docs/ARCHITECTURE.md): Trunk 0.21 (0.22 needs a newer rustc), wasm-bindgen-cli equal
//! to the crate in Cargo.lock, and npm's binaryen 132 (Debian's wasm-opt 108 produces a
//! wasm that dies at start-up).

use std::path::PathBuf;
use std::process::Command;

use crate::{Result, root, sh};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132";
pub const CHROMIUM: &str = "/usr/bin/chromium";

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn tools_bin() -> PathBuf {
    root().join(".tools/node_modules/.bin")
}

/// PATH and variables for running Trunk and the tools it calls.
pub fn tool_env(cmd: &mut Command) {
    let cargo_bin = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo"))
        .join("bin");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![tools_bin(), cargo_bin];
    dirs.extend(std::env::split_paths(&path));
    cmd.env("PATH", std::env::join_paths(dirs).expect("valid PATH"))
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env("RUST_BACKTRACE", "0");
}

/// The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_owned());
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

fn cargo_install(args: &[&str], fast: bool) -> Result {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.arg("install").args(args);
    if fast {
        // A tool, not our product: a quicker, less optimised build is fine (~6 min vs ~10).
        cmd.env("CARGO_PROFILE_RELEASE_LTO", "false").env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
    }
    sh(&mut cmd)
}

pub fn as_root(args: &[&str]) -> Result {
    let is_root = output("id", &["-u"]).is_some_and(|u| u.trim() == "0");
    let mut cmd = if is_root { Command::new(args[0]) } else { Command::new("sudo") };
    if !is_root {
        cmd.arg(args[0]);
    }
    cmd.args(&args[1..]).env("DEBIAN_FRONTEND", "noninteractive");
    sh(&mut cmd)
}

/// Installs what building the app needs, and with `browser` what the browser tests need.
pub fn toolchain(browser: bool) -> Result {
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|t| t.trim() == "wasm32-unknown-unknown") {
        sh(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }

    let mut trunk = Command::new("trunk");
    tool_env(&mut trunk);
    let trunk_ok = trunk
        .arg("--version")
        .output()
        .ok()
        .is_some_and(|o| String::from_utf8_lossy(&o.stdout).contains(&format!("trunk {}", &TRUNK_VERSION[..4])));
    if !trunk_ok {
        cargo_install(&["--locked", "trunk", "--version", TRUNK_VERSION], true)?;
    }

    let wb = locked_wasm_bindgen()?;
    let mut wbc = Command::new("wasm-bindgen");
    tool_env(&mut wbc);
    let wb_ok = wbc.arg("--version").output().ok().is_some_and(|o| String::from_utf8_lossy(&o.stdout).contains(&wb));
    if !wb_ok {
        // Not --locked: one of its locked dependencies is no longer on the registry.
        cargo_install(&["wasm-bindgen-cli", "--version", &wb], true)?;
    }

    let wasm_opt = tools_bin().join("wasm-opt");
    let opt_ok = output(&wasm_opt.to_string_lossy(), &["--version"]).is_some_and(|v| v.contains(BINARYEN_VERSION));
    if !opt_ok {
        sh(Command::new("npm").args([
            "install",
            "--prefix",
            &root().join(".tools").to_string_lossy(),
            "--no-audit",
            "--no-fund",
            &format!("binaryen@{BINARYEN_VERSION}"),
        ]))?;
    }

    if browser {
        if !std::path::Path::new(CHROMIUM).exists() || !std::path::Path::new("/usr/bin/chromedriver").exists() {
            as_root(&["apt-get", "update"])?;
            as_root(&["apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"])?;
        }
        let e2e = root().join("tests/e2e");
        // Every test tool package.json names (a tool added later installs too).
        if ["playwright-core", "@axe-core/playwright", "lighthouse"]
            .iter()
            .any(|p| !e2e.join("node_modules").join(p).exists())
        {
            sh(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&e2e))?;
        }
    }
    Ok(())
}

/// Where the tests' SMTP server lives: a virtualenv with `aiosmtpd` from PyPI, in the
/// target directory's `tmp/` — the server tests find it there through Cargo's
/// `CARGO_TARGET_TMPDIR`, the browser tests through `PARLEY_SMTPD_PYTHON`.
pub fn smtpd_venv() -> PathBuf {
    crate::target_dir().join("tmp").join("aiosmtpd-venv")
}

/// The virtualenv's Python, with `aiosmtpd` installed (Debian's `python3-venv` first if
/// `python3 -m venv` cannot make one).
pub fn smtpd() -> Result<PathBuf> {
    let venv = smtpd_venv();
    let python = venv.join("bin").join("python");
    let ready = |python: &PathBuf| output(&python.to_string_lossy(), &["-c", "import aiosmtpd"]).is_some();
    if ready(&python) {
        return Ok(python);
    }
    let make = |venv: &PathBuf| sh(Command::new("python3").args(["-m", "venv", "--clear"]).arg(venv));
    if make(&venv).is_err() {
        as_root(&["apt-get", "update"])?;
        as_root(&["apt-get", "install", "-y", "--no-install-recommends", "python3-venv"])?;
        make(&venv)?;
    }
    sh(Command::new(&python).args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "aiosmtpd"]))?;
    Ok(python)
}
