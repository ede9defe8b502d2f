//! PostgreSQL client programs (psql, pg_dump) for the integration tests, and scratch paths.

#![allow(dead_code)]

use super::pg::Cluster;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// A client program (pg_dump, psql): on PATH, else next to the server binaries.
pub fn tool(c: &Cluster, name: &str) -> PathBuf {
    let on_path = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    on_path.unwrap_or_else(|| c.bin.join(name))
}

/// A fresh scratch path (removed first) named after the test process.
pub fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("charmig-t-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    let _ = std::fs::remove_file(&d);
    d
}

/// Runs psql on `db` with `input` on stdin (`ON_ERROR_STOP`); returns its output.
pub fn psql_run(c: &Cluster, db: &str, input: &[u8], extra: &[&str]) -> Output {
    let mut p = Command::new(tool(c, "psql"))
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &c.url(db)])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    p.stdin.take().unwrap().write_all(input).unwrap();
    p.wait_with_output().unwrap()
}

/// psql that must succeed.
pub fn psql(c: &Cluster, db: &str, input: &[u8]) {
    let o = psql_run(c, db, input, &[]);
    assert!(
        o.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// `pg_dump --schema-only SRC | psql TGT`: the target's tables, as a DBA would create them.
pub fn copy_schema(c: &Cluster, src: &str, tgt: &str) {
    let dump = Command::new(tool(c, "pg_dump"))
        .args(["--schema-only", "-d", &c.url(src)])
        .output()
        .unwrap();
    assert!(
        dump.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&dump.stderr)
    );
    psql(c, tgt, &dump.stdout);
}

/// `charmig scan --db SRC` (with `scan_extra`; exit 0 or 1, findings allowed) then `charmig
/// plan` of it, into scratch paths named after `tag`; returns (scan.json, plan directory).
pub fn scan_and_plan(src: &str, tag: &str, scan_extra: &[&str]) -> (PathBuf, PathBuf) {
    use super::pg::{charmig, stderr};
    let scan = tmp(&format!("{tag}-scan"));
    let mut args = vec!["scan", "--db", src, "--out", scan.to_str().unwrap()];
    args.extend(scan_extra);
    let o = charmig(&args);
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "scan: {}",
        stderr(&o)
    );
    let (json, plan) = (scan.join("scan.json"), tmp(&format!("{tag}-plan")));
    let o = charmig(&[
        "plan",
        "--scan",
        json.to_str().unwrap(),
        "--db",
        src,
        "--out",
        plan.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "plan: {}", stderr(&o));
    (json, plan)
}

/// charmig started in the background (no password file, output discarded), for kill tests.
pub fn spawn_charmig(args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_charmig"))
        .args(args)
        .env("PGPASSFILE", "/nonexistent")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start charmig")
}

/// Polls `sql` (one boolean) on `db` until it is true; fails naming `what` after `secs`.
pub fn wait_until(db: &mut postgres::Client, sql: &str, secs: u64, what: &str) {
    let start = std::time::Instant::now();
    while !db.query_one(sql, &[]).unwrap().get::<_, bool>(0) {
        assert!(start.elapsed().as_secs() < secs, "{what}");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
