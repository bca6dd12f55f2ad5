//! A throwaway PostgreSQL cluster for the server tests' second run (issue 13): Debian's
//! `postgresql` installed when `initdb`/`pg_ctl` are missing, `initdb` in a temporary
//! directory owned by the non-root `postgres` user (PostgreSQL refuses to run as root),
//! listening on 127.0.0.1 only on a free port, and stopped (directory removed) when the
//! [`Cluster`] drops, so also when the tests fail.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, sh};

/// Where Debian puts the server binaries when they are not on PATH.
const DEBIAN_BIN: &str = "/usr/lib/postgresql";

fn on_path(tool: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).map(|d| d.join(tool)).find(|p| p.is_file())
}

/// `initdb` and `pg_ctl`: from PATH, else the newest Debian version's directory.
fn tools() -> Option<(PathBuf, PathBuf)> {
    if let (Some(initdb), Some(pg_ctl)) = (on_path("initdb"), on_path("pg_ctl")) {
        return Some((initdb, pg_ctl));
    }
    let mut versions: Vec<PathBuf> =
        std::fs::read_dir(DEBIAN_BIN).ok()?.filter_map(|e| Some(e.ok()?.path().join("bin"))).collect();
    versions.sort();
    let bin = versions.into_iter().rev().find(|b| b.join("initdb").is_file() && b.join("pg_ctl").is_file())?;
    Some((bin.join("initdb"), bin.join("pg_ctl")))
}

/// Installs Debian's `postgresql` when its tools are missing.
pub fn ensure_installed() -> Result<(PathBuf, PathBuf)> {
    if let Some(found) = tools() {
        return Ok(found);
    }
    crate::setup::as_root(&["apt-get", "update"])?;
    crate::setup::as_root(&["apt-get", "install", "-y", "--no-install-recommends", "postgresql"])?;
    tools().ok_or_else(|| "postgresql is installed but initdb/pg_ctl are not found".into())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A running throwaway cluster; stopped and deleted on drop.
pub struct Cluster {
    dir: PathBuf,
    pg_ctl: PathBuf,
    port: u16,
    as_postgres: bool,
    running: bool,
}

impl Cluster {
    /// `initdb` + `pg_ctl start` in a new directory under the system's temporary directory.
    /// Tests' clusters never sync to disk. `durable` ones (benchmarks) fsync their WAL as a
    /// production server does, but commit without waiting for it (`synchronous_commit=off`),
    /// which is what the SQLite backend's WAL with `synchronous=NORMAL` does: a crash of
    /// the machine may lose the last commits, never consistency.
    pub fn start(durable: bool) -> Result<Cluster> {
        let (initdb, pg_ctl) = ensure_installed()?;
        let as_postgres = is_root();
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!("parley-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        // From here on, Drop cleans up whatever happens.
        let mut cluster = Cluster { dir, pg_ctl, port, as_postgres, running: false };
        if as_postgres {
            sh(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&cluster.dir))?;
        }
        let data = cluster.dir.join("data");
        // C locale: text sorts and compares as SQLite's does (the suite expects one order).
        sh(cluster.command(&initdb).arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "--auth=trust",
            "--locale=C",
            "-E",
            "UTF8",
            "--no-sync",
        ]))?;
        let sync = if durable { "" } else { "-c fsync=off -c full_page_writes=off" };
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 {sync} -c synchronous_commit=off -c max_connections=300",
            cluster.dir.display()
        );
        sh(cluster
            .command(&cluster.pg_ctl)
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(cluster.dir.join("server.log"))
            .args(["-w", "-o", &options, "start"]))?;
        cluster.running = true;
        Ok(cluster)
    }

    /// The admin database's URL; tests create their own databases beside it.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// A new empty database (C collation, as the server's tests make theirs); its URL.
    pub fn create_database(&self, name: &str) -> Result<String> {
        let psql = self.pg_ctl.with_file_name("psql");
        let psql = if psql.is_file() { psql } else { on_path("psql").ok_or("psql is not installed")? };
        let sql = format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
        sh(Command::new(psql).arg(self.url()).args(["-v", "ON_ERROR_STOP=1", "-q", "-c", &sql]))?;
        let admin = self.url();
        let (prefix, _) = admin.rsplit_once('/').expect("a URL ending in /postgres");
        Ok(format!("{prefix}/{name}"))
    }

    fn command(&self, tool: &Path) -> Command {
        if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(tool);
            cmd
        } else {
            Command::new(tool)
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.running {
            let data = self.dir.join("data");
            let _ = sh(self.command(&self.pg_ctl).arg("-D").arg(&data).args(["-m", "immediate", "-w", "stop"]));
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}
