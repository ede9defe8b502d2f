//! Live test of `charmig verify` Oracle -> Oracle: the source is CHARMIG_ORACLE_URL (a legacy
//! charset database for the real route), the target CHARMIG_ORACLE_TARGET_URL (AL32UTF8); both
//! use CHARMIG_PASSWORD. One table is built on each side from hex (stored unconverted), the
//! target with CHAR semantics and one row changed; verify must name that row and nothing about
//! the planned BYTE -> CHAR change. Skips, by name, without either variable.

use super::live::{live, skipped_pub};
use charmig::source::oracle::connect;
use std::process::Command;

const TABLE: &str = "CHARMIG_LIVE_VERIFY";

fn target(name: &str) -> Option<(oracle::Connection, String)> {
    let url = match std::env::var("CHARMIG_ORACLE_TARGET_URL") {
        Ok(u) if !u.trim().is_empty() => u,
        _ => {
            skipped_pub(name, "CHARMIG_ORACLE_TARGET_URL not set");
            return None;
        }
    };
    let spec = connect::parse(&url, false).expect("CHARMIG_ORACLE_TARGET_URL");
    let conn = oracle::Connection::connect(
        spec.user.clone().unwrap_or_default(),
        std::env::var("CHARMIG_PASSWORD").unwrap_or_default(),
        spec.connect_string.clone(),
    )
    .unwrap_or_else(|e| panic!("connecting to {}: {e}", spec.describe()));
    Some((conn, url))
}

fn exec(c: &oracle::Connection, sql: &str) {
    c.execute(sql, &[]).unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Creates the table with NAME in `semantics` and inserts (id, hex of NAME) rows.
fn build(c: &oracle::Connection, semantics: &str, rows: &[(i32, &str)]) {
    exec(
        c,
        &format!(
            "BEGIN EXECUTE IMMEDIATE 'DROP TABLE \"{TABLE}\" PURGE'; EXCEPTION WHEN OTHERS THEN IF SQLCODE <> -942 THEN RAISE; END IF; END;"
        ),
    );
    exec(
        c,
        &format!(
            "CREATE TABLE \"{TABLE}\" (ID NUMBER(9) PRIMARY KEY, NAME VARCHAR2(20 {semantics}), CODE CHAR(4 {semantics}), \
             AMT NUMBER(9,2), AT DATE, BIN RAW(8))"
        ),
    );
    for (id, hex) in rows {
        exec(
            c,
            &format!(
                "INSERT INTO \"{TABLE}\" VALUES ({id}, UTL_RAW.CAST_TO_VARCHAR2(HEXTORAW('{hex}')), \
                 UTL_RAW.CAST_TO_VARCHAR2(HEXTORAW('{hex}')), {id}.5, DATE '2024-02-29', HEXTORAW('00FF'))"
            ),
        );
    }
    c.commit().unwrap();
}

#[test]
fn live_verify_names_the_changed_row_and_not_the_planned_char_semantics() {
    let name = "live_verify_names_the_changed_row_and_not_the_planned_char_semantics";
    let Some(src) = live(name) else { return };
    let Some((tgt, target_url)) = target(name) else {
        return;
    };
    // "café" in the source's charset (single-byte: E9; AL32UTF8: C3A9) and in UTF-8.
    let cafe_src = if src.single_byte() {
        "636166E9"
    } else {
        "636166C3A9"
    };
    build(&src.conn, "BYTE", &[(1, cafe_src), (2, "6F6B")]);
    build(&tgt, "CHAR", &[(1, "636166C3A9"), (2, "4F4B")]);
    let out = tempfile::tempdir().unwrap();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_charmig"))
            .args([
                "verify",
                "--from",
                &src.opts.url,
                "--to",
                &target_url,
                "--schema",
                &src.user,
                "--rows",
                "--out",
                out.path().to_str().unwrap(),
            ])
            .output()
            .unwrap()
    };
    let o = run();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let csv = std::fs::read_to_string(out.path().join("differences.csv")).unwrap();
    let ours: Vec<&str> = csv.lines().filter(|l| l.contains(TABLE)).collect();
    assert!(
        ours.iter()
            .any(|l| l.contains("different") && l.contains("\"\"ID\"\"=2") && l.contains("NAME")),
        "{csv}"
    );
    assert!(
        !ours.iter().any(|l| l.starts_with("schema,")),
        "the planned BYTE -> CHAR change reported as a difference:\n{csv}"
    );
    // Closing the difference on the target leaves nothing about the table.
    exec(
        &tgt,
        &format!("UPDATE \"{TABLE}\" SET NAME = 'ok', CODE = 'ok' WHERE ID = 2"),
    );
    tgt.commit().unwrap();
    let o = run();
    let csv = std::fs::read_to_string(out.path().join("differences.csv")).unwrap();
    assert!(
        !csv.lines().any(|l| l.contains(TABLE)),
        "{csv}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    exec(&src.conn, &format!("DROP TABLE \"{TABLE}\" PURGE"));
    exec(&tgt, &format!("DROP TABLE \"{TABLE}\" PURGE"));
}
