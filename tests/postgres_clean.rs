//! Clean-ups against a real PostgreSQL: a LATIN9 database with stray Windows-1252 bytes and
//! values over a byte limit is scanned, repaired and truncated with --apply; a rescan shows
//! the columns clean, the audit tables hold every original byte for byte, and --restore
//! returns every table to its exact former content.

mod common;

use common::pg::{charmig, cluster, insert_raw, stderr};
use std::path::PathBuf;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("charmig-clean-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// md5 over every table's raw bytes, in a fixed order: equal digests mean equal content.
fn digest(client: &mut postgres::Client) -> String {
    let row = client
        .query_one(
            "SELECT md5(coalesce((SELECT string_agg(id || ':' || coalesce(encode(convert_to(name, 'LATIN9'), 'hex'), 'N') || ':' \
             || coalesce(encode(convert_to(note, 'LATIN9'), 'hex'), 'N'), ',' ORDER BY id) FROM people), '') || '|' || \
             coalesce((SELECT string_agg(encode(convert_to(msg, 'LATIN9'), 'hex'), ',' ORDER BY msg) FROM logs), ''))",
            &[],
        )
        .unwrap();
    row.get(0)
}

fn run_ok(args: &[&str]) -> String {
    let o = charmig(args);
    assert!(o.status.success(), "charmig {args:?} failed: {}", stderr(&o));
    stderr(&o)
}

#[test]
fn repair_truncate_rescan_and_restore_byte_for_byte() {
    let c = cluster();
    let mut db = c.create_db("cleandb", "LATIN9");
    db.batch_execute("CREATE TABLE people (id int PRIMARY KEY, name text, note text); CREATE TABLE logs (id int, msg text)").unwrap();
    insert_raw(&mut db, "people", "name", "LATIN9", &[
        (1, Some(b"Jos\xE9")),                       // 5 bytes in UTF-8: fits 8
        (2, Some(b"Fran\xE7oise M\xFCller")),         // 18 bytes in UTF-8: cut to 8 -> "Françoi" (8)
        (3, Some(b"\xC9\xC9\xC9\xC9\xC9")),          // 10 bytes: cut to 4 chars (8 bytes)
        (4, None),
    ]);
    for (id, note) in [(1, &b"\x93hello\x94"[..]), (2, b"\x80 5"), (3, b"plain")] {
        let v = note.to_vec();
        db.execute("UPDATE people SET note = convert_from($1, 'LATIN9') WHERE id = $2", &[&v, &id]).unwrap();
    }
    insert_raw(&mut db, "logs", "msg", "LATIN9", &[(1, Some(b"it\x92s")), (2, Some(b"ok")), (3, Some(b"\x81 undefined"))]);
    let before = digest(&mut db);
    let url = c.url("cleandb");

    // Scan: 4 lossy cells (3 repairable stray cp1252 values, 1 with 0x81 which nothing defines).
    let d1 = tmp("scan1");
    let o = charmig(&["scan", "--db", &url, "--out", d1.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let scan1 = d1.join("scan.json");

    // Repair in the source: quotes transliterated, 0x80 (the cp1252 euro) becomes LATIN9's 0xA4.
    let err = run_ok(&["repair", "--scan", scan1.to_str().unwrap(), "--db", &url, "--apply", "--audit-schema", "audit"]);
    assert!(err.contains("changed 3 cells (1 left alone)"), "{err}");
    let note1: Vec<u8> = db.query_one("SELECT convert_to(note, 'LATIN9') FROM people WHERE id = 1", &[]).unwrap().get(0);
    assert_eq!(note1, b"\"hello\"");
    let note2: Vec<u8> = db.query_one("SELECT convert_to(note, 'LATIN9') FROM people WHERE id = 2", &[]).unwrap().get(0);
    assert_eq!(note2, b"\xA4 5");

    // Truncate to 8 bytes after conversion (a byte-semantics target), by primary key and by ctid.
    let err = run_ok(&["truncate", "--db", &url, "--table", "people", "--limit-bytes", "8", "--apply", "--audit-schema", "audit"]);
    assert!(err.contains("changed 2 cells"), "{err}");
    let names: Vec<(i32, Option<Vec<u8>>)> = db
        .query("SELECT id, convert_to(name, 'LATIN9') FROM people ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(names, vec![
        (1, Some(b"Jos\xE9".to_vec())),
        (2, Some(b"Fran\xE7oi".to_vec())),
        (3, Some(b"\xC9\xC9\xC9\xC9".to_vec())),
        (4, None),
    ]);

    // Audit rows: one per changed cell, holding the exact original bytes.
    let t: Vec<(String, Vec<u8>, i32)> = db
        .query("SELECT column_name, original_bytes, kept_chars FROM audit.charmig_truncated ORDER BY row_id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(t, vec![
        ("name".to_string(), b"Fran\xE7oise M\xFCller".to_vec(), 7),
        ("name".to_string(), b"\xC9\xC9\xC9\xC9\xC9".to_vec(), 4),
    ]);
    let r: i64 = db.query_one("SELECT count(*) FROM audit.charmig_repaired", &[]).unwrap().get(0);
    assert_eq!(r, 3);
    let logs_orig: Vec<u8> = db.query_one("SELECT original_bytes FROM audit.charmig_repaired WHERE table_name = 'logs'", &[]).unwrap().get(0);
    assert_eq!(logs_orig, b"it\x92s");

    // Rescan: only the 0x81 cell is still lossy; truncation dry run finds nothing more to cut.
    let d2 = tmp("scan2");
    let o = charmig(&["scan", "--db", &url, "--out", d2.to_str().unwrap()]);
    let cols = std::fs::read_to_string(d2.join("columns.csv")).unwrap();
    // note: "\"hello\"" and "plain" changeless, "\xA4 5" convertible, one NULL.
    assert!(cols.contains("public,people,note,text,4,1,2,1,0,0,"), "{cols}");
    assert!(cols.contains("public,logs,msg,text,3,0,2,0,0,1,"), "{cols}");
    assert_eq!(o.status.code(), Some(1));
    let o = charmig(&["truncate", "--db", &url, "--table", "people", "--limit-bytes", "8", "--dry-run"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("0 cells to change"), "{}", String::from_utf8_lossy(&o.stdout));

    // Applying the same repair again touches nothing (the cells no longer match the scan).
    let err = run_ok(&["repair", "--scan", scan1.to_str().unwrap(), "--db", &url, "--apply", "--audit-schema", "audit"]);
    assert!(err.contains("changed 0 cells"), "{err}");

    // Restore both: the database is byte for byte what it was, and the audit tables are empty.
    run_ok(&["truncate", "--restore", "--db", &url, "--audit-schema", "audit"]);
    run_ok(&["repair", "--restore", "--db", &url, "--audit-schema", "audit"]);
    assert_eq!(digest(&mut db), before);
    let left: i64 = db.query_one("SELECT (SELECT count(*) FROM audit.charmig_truncated) + (SELECT count(*) FROM audit.charmig_repaired)", &[]).unwrap().get(0);
    assert_eq!(left, 0);
}
