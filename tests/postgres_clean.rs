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

/// Runs charmig and checks its exit code (1: cells were left alone, and listed).
fn run_code(args: &[&str], code: i32) -> String {
    let o = charmig(args);
    assert_eq!(
        o.status.code(),
        Some(code),
        "charmig {args:?}: {}{}",
        stderr(&o),
        String::from_utf8_lossy(&o.stdout)
    );
    stderr(&o)
}

fn run_ok(args: &[&str]) -> String {
    let o = charmig(args);
    assert!(
        o.status.success(),
        "charmig {args:?} failed: {}",
        stderr(&o)
    );
    stderr(&o)
}

#[test]
fn repair_truncate_rescan_and_restore_byte_for_byte() {
    let c = cluster();
    let mut db = c.create_db("cleandb", "LATIN9");
    db.batch_execute("CREATE TABLE people (id int PRIMARY KEY, name text, note text); CREATE TABLE logs (id int, msg text)").unwrap();
    insert_raw(
        &mut db,
        "people",
        "name",
        "LATIN9",
        &[
            (1, Some(b"Jos\xE9")),                // 5 bytes in UTF-8: fits 8
            (2, Some(b"Fran\xE7oise M\xFCller")), // 18 bytes in UTF-8: cut to 8 -> "Françoi" (8)
            (3, Some(b"\xC9\xC9\xC9\xC9\xC9")),   // 10 bytes: cut to 4 chars (8 bytes)
            (4, None),
        ],
    );
    for (id, note) in [(1, &b"\x93hello\x94"[..]), (2, b"\x80 5"), (3, b"plain")] {
        let v = note.to_vec();
        db.execute(
            "UPDATE people SET note = convert_from($1, 'LATIN9') WHERE id = $2",
            &[&v, &id],
        )
        .unwrap();
    }
    insert_raw(
        &mut db,
        "logs",
        "msg",
        "LATIN9",
        &[
            (1, Some(b"it\x92s")),
            (2, Some(b"ok")),
            (3, Some(b"\x81 undefined")),
        ],
    );
    let before = digest(&mut db);
    let url = c.url("cleandb");

    // Scan: 4 lossy cells (3 repairable stray cp1252 values, 1 with 0x81 which nothing defines).
    let d1 = tmp("scan1");
    let o = charmig(&["scan", "--db", &url, "--out", d1.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let scan1 = d1.join("scan.json");

    // Repair in the source: quotes transliterated, 0x80 (the cp1252 euro) becomes LATIN9's 0xA4.
    let err = run_code(
        &[
            "repair",
            "--scan",
            scan1.to_str().unwrap(),
            "--db",
            &url,
            "--apply",
            "--audit-schema",
            "audit",
        ],
        1,
    );
    assert!(err.contains("changed 3 cells (1 left alone)"), "{err}");
    assert!(err.contains("left alone: public.logs.msg"), "{err}");
    let note1: Vec<u8> = db
        .query_one(
            "SELECT convert_to(note, 'LATIN9') FROM people WHERE id = 1",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(note1, b"\"hello\"");
    let note2: Vec<u8> = db
        .query_one(
            "SELECT convert_to(note, 'LATIN9') FROM people WHERE id = 2",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(note2, b"\xA4 5");

    // Truncate to 8 bytes after conversion (a byte-semantics target), by primary key and by ctid.
    let err = run_ok(&[
        "truncate",
        "--db",
        &url,
        "--table",
        "people",
        "--limit-bytes",
        "8",
        "--apply",
        "--audit-schema",
        "audit",
    ]);
    assert!(err.contains("changed 2 cells"), "{err}");
    let names: Vec<(i32, Option<Vec<u8>>)> = db
        .query(
            "SELECT id, convert_to(name, 'LATIN9') FROM people ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        names,
        vec![
            (1, Some(b"Jos\xE9".to_vec())),
            (2, Some(b"Fran\xE7oi".to_vec())),
            (3, Some(b"\xC9\xC9\xC9\xC9".to_vec())),
            (4, None),
        ]
    );

    // Audit rows: one per changed cell, holding the exact original bytes.
    let t: Vec<(String, Vec<u8>, i32)> = db
        .query("SELECT column_name, original_bytes, kept_chars FROM audit.charmig_truncated ORDER BY row_id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        t,
        vec![
            ("name".to_string(), b"Fran\xE7oise M\xFCller".to_vec(), 7),
            ("name".to_string(), b"\xC9\xC9\xC9\xC9\xC9".to_vec(), 4),
        ]
    );
    let r: i64 = db
        .query_one("SELECT count(*) FROM audit.charmig_repaired", &[])
        .unwrap()
        .get(0);
    assert_eq!(r, 3);
    let logs_orig: Vec<u8> = db
        .query_one(
            "SELECT original_bytes FROM audit.charmig_repaired WHERE table_name = 'logs'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(logs_orig, b"it\x92s");

    // Rescan: only the 0x81 cell is still lossy; truncation dry run finds nothing more to cut.
    let d2 = tmp("scan2");
    let o = charmig(&["scan", "--db", &url, "--out", d2.to_str().unwrap()]);
    let cols = std::fs::read_to_string(d2.join("columns.csv")).unwrap();
    // note: "\"hello\"" and "plain" changeless, "\xA4 5" convertible, one NULL.
    assert!(
        cols.contains("public,people,note,text,4,1,2,1,0,0,"),
        "{cols}"
    );
    assert!(cols.contains("public,logs,msg,text,3,0,2,0,0,1,"), "{cols}");
    assert_eq!(o.status.code(), Some(1));
    let o = charmig(&[
        "truncate",
        "--db",
        &url,
        "--table",
        "people",
        "--limit-bytes",
        "8",
        "--dry-run",
    ]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("0 cells to change"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );

    // Applying the same repair again touches nothing (the cells no longer match the scan).
    let err = run_code(
        &[
            "repair",
            "--scan",
            scan1.to_str().unwrap(),
            "--db",
            &url,
            "--apply",
            "--audit-schema",
            "audit",
        ],
        1,
    );
    assert!(err.contains("changed 0 cells"), "{err}");

    // Restore both: the database is byte for byte what it was, and the audit tables are empty.
    run_ok(&[
        "truncate",
        "--restore",
        "--db",
        &url,
        "--audit-schema",
        "audit",
    ]);
    run_ok(&[
        "repair",
        "--restore",
        "--db",
        &url,
        "--audit-schema",
        "audit",
    ]);
    assert_eq!(digest(&mut db), before);
    let left: i64 = db.query_one("SELECT (SELECT count(*) FROM audit.charmig_truncated) + (SELECT count(*) FROM audit.charmig_repaired)", &[]).unwrap().get(0);
    assert_eq!(left, 0);
}

/// SIGKILL in the middle of `truncate --apply`: every cell is either untouched (original
/// bytes, no audit row) or cut with its audit row holding the exact original; a re-run
/// finishes the job.
#[test]
fn killed_truncate_loses_nothing_and_a_rerun_completes() {
    let c = cluster();
    let mut db = c.create_db("killdb", "LATIN9");
    let tables = ["k1", "k2", "k3"];
    let rows = 6000;
    for t in tables {
        db.batch_execute(&format!(
            "CREATE TABLE {t} (id int PRIMARY KEY, v text);
             INSERT INTO {t} SELECT g, repeat(convert_from('\\xe9'::bytea, 'LATIN9'), 6) || g FROM generate_series(1, {rows}) g;"
        ))
        .unwrap();
    }
    let url = c.url("killdb");
    let mut args = vec![
        "truncate",
        "--db",
        url.as_str(),
        "--limit-bytes",
        "10",
        "--apply",
        "--audit-schema",
        "audit",
    ];
    for t in tables {
        args.extend(["--table", t]);
    }
    let url2 = url.clone();
    let args2 = args.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let kill_after = move |db: &mut postgres::Client, delay_ms: u64| -> std::time::Duration {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_charmig"))
            .args(&args2)
            .env("PGPASSFILE", "/nonexistent")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the apply has begun (its audit table exists), then a little more.
        let start = std::time::Instant::now();
        loop {
            let n: i64 = db
                .query_one(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'audit'",
                    &[],
                )
                .unwrap()
                .get(0);
            if n > 0 || child.try_wait().unwrap().is_some() || start.elapsed().as_secs() > 120 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let _ = &url2;
        start.elapsed()
    };
    // Invariant, cell by cell: original and no audit row, or cut with the exact original kept.
    let check = |db: &mut postgres::Client| -> (usize, usize) {
        let (mut cut, mut untouched) = (0, 0);
        for t in tables {
            for r in db
                .query(
                    &format!(
                        "SELECT convert_to(v, 'LATIN9'), a.original_bytes FROM {t} x LEFT JOIN audit.charmig_truncated a \
                         ON a.owner = 'public' AND a.table_name = '{t}' AND a.column_name = 'v' AND a.row_id = encode(convert_to(x.id::text, 'LATIN9'), 'hex')"
                    ),
                    &[],
                )
                .unwrap()
            {
                let v: Vec<u8> = r.get(0);
                let orig: Option<Vec<u8>> = r.get(1);
                match orig {
                    None => {
                        assert!(v.starts_with(&[0xE9; 6]) && v.len() > 6, "{t}: untouched cell changed: {v:?}");
                        untouched += 1;
                    }
                    Some(o) => {
                        assert_eq!(&v[..], &[0xE9; 5], "{t}: a cut cell keeps 5 characters (10 bytes in UTF-8)");
                        assert!(o.starts_with(&[0xE9; 6]) && o.len() > 6, "{t}: the audit row holds the original");
                        cut += 1;
                    }
                }
            }
        }
        (cut, untouched)
    };
    // Kill at several moments; after each, the invariant holds and a restore puts every
    // original back, so the next round starts from the original data again.
    for delay in [0, 60, 200] {
        let when = kill_after(&mut db, delay);
        let (cut, untouched) = check(&mut db);
        eprintln!(
            "killed {when:?} after the start: {cut} cells cut with their audit rows, {untouched} untouched"
        );
        assert_eq!(cut + untouched, tables.len() * rows);
        let o = charmig(&[
            "truncate",
            "--restore",
            "--db",
            &url,
            "--audit-schema",
            "audit",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(check(&mut db), (0, tables.len() * rows));
        db.batch_execute("DROP SCHEMA audit CASCADE").unwrap();
    }
    kill_after(&mut db, 40);

    // The re-run completes the job.
    let o = charmig(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let (cut, untouched) = check(&mut db);
    assert_eq!((cut, untouched), (tables.len() * rows, 0));
}

/// `repair --where target`: after a copy into UTF-8, the stray bytes arrived as C1 controls
/// (U+0093 …); the repair finds each cell by that converted form and writes the intended
/// characters (“ ” €) as UTF-8; --restore brings the converted originals back.
#[test]
fn repair_in_a_converted_utf8_target() {
    let c = cluster();
    let mut src = c.create_db("repsrc", "LATIN9");
    let mut tgt = c.create_db("reptgt", "UTF8");
    let rows: &[(i32, Option<&[u8]>)] = &[
        (1, Some(b"\x93hi\x94")),
        (2, Some(b"\x80 5 caf\xE9")),
        (3, Some(b"plain")),
        (4, Some(b"x\x81")),
    ];
    for db in [&mut src, &mut tgt] {
        db.batch_execute("CREATE TABLE notes (id int PRIMARY KEY, v text)")
            .unwrap();
    }
    insert_raw(&mut src, "notes", "v", "LATIN9", rows);
    // What PostgreSQL's LATIN9 -> UTF8 conversion makes of them (0x81 too becomes U+0081).
    insert_raw(&mut tgt, "notes", "v", "LATIN9", rows);
    let before: Vec<(i32, String)> = tgt
        .query("SELECT id, v FROM notes ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(before[0].1, "\u{93}hi\u{94}");

    let d = tmp("repsrc-scan");
    charmig(&[
        "scan",
        "--db",
        &c.url("repsrc"),
        "--out",
        d.to_str().unwrap(),
    ]);
    let scan = d.join("scan.json");
    let err = run_code(
        &[
            "repair",
            "--scan",
            scan.to_str().unwrap(),
            "--db",
            &c.url("reptgt"),
            "--where",
            "target",
            "--apply",
            "--audit-schema",
            "audit",
        ],
        1,
    );
    assert!(err.contains("changed 2 cells (1 left alone)"), "{err}");
    let after: Vec<String> = tgt
        .query("SELECT v FROM notes ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(after, vec!["“hi”", "€ 5 café", "plain", "x\u{81}"]);
    run_ok(&[
        "repair",
        "--restore",
        "--db",
        &c.url("reptgt"),
        "--audit-schema",
        "audit",
    ]);
    let restored: Vec<(i32, String)> = tgt
        .query("SELECT id, v FROM notes ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(restored, before);
}

/// `repair --mode undouble`: UTF-8 stored in a LATIN1 database (Ã© for é) is read as UTF-8
/// and written back as LATIN1 where that is exact; text LATIN1 cannot hold is left alone.
#[test]
fn undouble_double_encoded_utf8() {
    let c = cluster();
    let mut db = c.create_db("undb", "LATIN1");
    db.batch_execute("CREATE TABLE t (id int PRIMARY KEY, v text)")
        .unwrap();
    insert_raw(
        &mut db,
        "t",
        "v",
        "LATIN1",
        &[
            (1, Some(b"caf\xC3\xA9")),    // "café" stored as UTF-8: undone to caf\xE9
            (2, Some(b"caf\xE9")),        // real Latin-1: no pass-through, untouched
            (3, Some(b"5 \xE2\x82\xAC")), // "5 €": LATIN1 has no euro: left alone
        ],
    );
    let url = c.url("undb");
    let d = tmp("undb-scan");
    charmig(&["scan", "--db", &url, "--out", d.to_str().unwrap()]);
    let scan = d.join("scan.json");
    let err = run_code(
        &[
            "repair",
            "--scan",
            scan.to_str().unwrap(),
            "--mode",
            "undouble",
            "--db",
            &url,
            "--apply",
            "--audit-schema",
            "audit",
        ],
        1,
    );
    assert!(err.contains("changed 1 cell (1 left alone)"), "{err}");
    let v: Vec<Vec<u8>> = db
        .query("SELECT convert_to(v, 'LATIN1') FROM t ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        v,
        vec![
            b"caf\xE9".to_vec(),
            b"caf\xE9".to_vec(),
            b"5 \xE2\x82\xAC".to_vec()
        ]
    );
    run_ok(&[
        "repair",
        "--restore",
        "--db",
        &url,
        "--audit-schema",
        "audit",
    ]);
    let v: Vec<u8> = db
        .query_one("SELECT convert_to(v, 'LATIN1') FROM t WHERE id = 1", &[])
        .unwrap()
        .get(0);
    assert_eq!(v, b"caf\xC3\xA9");
}

/// The psql script of the audit tables (`charmig sql audit-tables-postgres`) creates exactly
/// the tables charmig creates itself: same columns, types and keys.
#[test]
fn audit_table_script_matches_what_charmig_creates() {
    let c = cluster();
    let mut db = c.create_db("auditdb", "LATIN9");
    let script = charmig(&["sql", "audit-tables-postgres"]);
    assert!(script.status.success());
    let file = tmp("audit.sql");
    std::fs::write(&file, &script.stdout).unwrap();
    let psql = std::env::var_os("PATH")
        .and_then(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("psql"))
                .find(|p| p.is_file())
        })
        .or_else(|| {
            std::fs::read_dir("/usr/lib/postgresql")
                .ok()?
                .flatten()
                .map(|e| e.path().join("bin/psql"))
                .find(|p| p.is_file())
        })
        .expect("psql (Debian package postgresql-client)");
    let o = std::process::Command::new(psql)
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-v",
            "audit_schema=by_script",
            "-d",
            &c.url("auditdb"),
            "-f",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for audit in [
        charmig::clean::oracle_script::Audit::Truncated,
        charmig::clean::oracle_script::Audit::Repaired,
    ] {
        charmig::clean::pg_apply::ensure_audit(&mut db, "by_charmig", audit).unwrap();
    }
    let shape = |db: &mut postgres::Client, schema: &str| -> Vec<String> {
        db.query(
            "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable FROM information_schema.columns \
             WHERE table_schema = $1 ORDER BY table_name, ordinal_position",
            &[&schema],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
    };
    let by_script = shape(&mut db, "by_script");
    assert_eq!(by_script.len(), 26);
    assert_eq!(by_script, shape(&mut db, "by_charmig"));
}

/// Every row of `table` as its stored bytes (the record's text form in LATIN1, char(n) padding
/// included), sorted: equal strings mean equal content, row for row.
fn rows_of(db: &mut postgres::Client, table: &str) -> Vec<String> {
    db.query(
        &format!("SELECT encode(convert_to(t::text, 'LATIN1'), 'hex') FROM {table} t ORDER BY 1"),
        &[],
    )
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect()
}

fn put(db: &mut postgres::Client, sql: &str, values: &[&[u8]]) {
    let v: Vec<Vec<u8>> = values.iter().map(|v| v.to_vec()).collect();
    let p: Vec<&(dyn postgres::types::ToSql + Sync)> = v
        .iter()
        .map(|b| b as &(dyn postgres::types::ToSql + Sync))
        .collect();
    db.execute(sql, &p).unwrap();
}

/// Issue 13.2/13.4, 10.5/10.6: a table without any key (two identical damaged rows, three
/// damaged cells in one row, a CHAR(8) cell), a composite key of accented text, a single
/// accented text key, and a repair that outgrows its varchar(4). The dry run and the apply
/// agree cell for cell; the too-long cell is left alone and listed with its key while later
/// tables are done; after inserts, an update by the "application" and VACUUM FULL, the restore
/// puts back exactly the repaired rows, leaves the inserted ones alone, and lists (exit 1) the
/// row the application changed since.
#[test]
fn restores_by_key_or_fingerprint_after_vacuum_full() {
    let c = cluster();
    let mut db = c.create_db("keysdb", "LATIN1");
    db.batch_execute(
        r#"CREATE TABLE "Kurz" (code text PRIMARY KEY, name varchar(4));
           CREATE TABLE "Lager" (land char(2), code varchar(12), note text, PRIMARY KEY (land, code));
           CREATE TABLE "Ohne Schlüssel" (a text, b text, c char(8));
           CREATE TABLE orte (code text PRIMARY KEY, name text);"#,
    )
    .unwrap();
    let ins = |db: &mut postgres::Client, t: &str, vals: &[&[u8]]| {
        let params: Vec<String> = (1..=vals.len())
            .map(|i| format!("convert_from(${i}, 'LATIN1')"))
            .collect();
        put(
            db,
            &format!("INSERT INTO {t} VALUES ({})", params.join(", ")),
            vals,
        );
    };
    ins(&mut db, r#""Kurz""#, &[b"K\xD6L-1", b"ab\x85"]); // "ab..." outgrows varchar(4)
    ins(&mut db, r#""Kurz""#, &[b"M\xDCN-7", b"a\x93b"]); // a"b fits
    ins(
        &mut db,
        r#""Lager""#,
        &[b"DE", b"M\xDCN-00042", b"\x93hi\x94"],
    );
    ins(&mut db, r#""Lager""#, &[b"DE", b"M\xDCN-00043", b"x\x85"]);
    ins(&mut db, r#""Lager""#, &[b"AT", b"WIEN-1", b"ok"]);
    let keyless = r#""Ohne Schlüssel""#;
    // Deleted later, so VACUUM FULL moves the repaired rows to other ctids.
    ins(&mut db, keyless, &[b"plain0", b"x", b"y"]);
    for _ in 0..2 {
        ins(&mut db, keyless, &[b"it\x92s", b"\x93one\x94", b"x\x96y"]);
    }
    ins(&mut db, keyless, &[b"plain", b"\"one\"", b"x-y"]);
    ins(&mut db, "orte", &[b"M\xDCN-00042", b"Gr\xFC\xDF \x80"]);
    let tables = [r#""Kurz""#, r#""Lager""#, keyless, "orte"];
    let before: Vec<Vec<String>> = tables.iter().map(|t| rows_of(&mut db, t)).collect();
    let url = c.url("keysdb");
    let d = tmp("keys-scan");
    let o = charmig(&["scan", "--db", &url, "--out", d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let scan = d.join("scan.json");
    let scan = scan.to_str().unwrap();

    // The dry run checks against the database what the apply will do, cell for cell.
    let o = charmig(&["repair", "--scan", scan, "--db", &url, "--dry-run"]);
    let dry = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(1), "{dry}{}", stderr(&o));
    assert!(dry.contains("10 cells to change, 1 left alone"), "{dry}");
    assert!(
        dry.contains(r#"left alone: public."Kurz".name (code) = ('KÖL-1') [x'4bd64c2d31']"#),
        "{dry}"
    );
    assert!(dry.contains("no longer fits varchar(4)"), "{dry}");
    assert!(
        dry.contains(r#"public."Lager".note (land, code) = ('DE', 'MÜN-00042') [x'4445', x'4ddc4e2d3030303432']"#),
        "{dry}"
    );
    assert_eq!(
        before[0],
        rows_of(&mut db, tables[0]),
        "a dry run changes nothing"
    );
    let schemas: i64 = db
        .query_one(
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'charmig'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(schemas, 0, "a dry run leaves no audit table behind");

    let err = run_code(&["repair", "--scan", scan, "--db", &url, "--apply"], 1);
    assert!(
        err.contains("changed 10 cells (1 left alone); originals in charmig.charmig_repaired"),
        "{err}"
    );
    assert!(
        err.contains(r#"left alone: public."Kurz".name (code) = ('KÖL-1')"#),
        "{err}"
    );
    let get = |db: &mut postgres::Client, sql: &str| -> Vec<Vec<u8>> {
        db.query(sql, &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    assert_eq!(
        get(
            &mut db,
            r#"SELECT convert_to(a || '|' || b || '|' || textin(bpcharout(c)), 'LATIN1') FROM "Ohne Schlüssel" ORDER BY 1"#
        ),
        vec![
            b"it's|\"one\"|x-y     ".to_vec(),
            b"it's|\"one\"|x-y     ".to_vec(),
            b"plain0|x|y       ".to_vec(),
            b"plain|\"one\"|x-y     ".to_vec()
        ],
        "all three cells of each damaged row repaired in one run, CHAR(8) included"
    );
    assert_eq!(
        get(&mut db, "SELECT convert_to(name, 'LATIN1') FROM orte"),
        vec![b"Gr\xFC\xDF EUR".to_vec()],
        "a row keyed by accented text is found"
    );
    assert_eq!(
        get(
            &mut db,
            r#"SELECT convert_to(name, 'LATIN1') FROM "Kurz" ORDER BY code"#
        ),
        vec![b"ab\x85".to_vec(), b"a\"b".to_vec()]
    );
    // The same scan again: nothing left to do, nothing touched twice.
    let err = run_code(&["repair", "--scan", scan, "--db", &url, "--apply"], 1);
    assert!(err.contains("changed 0 cells"), "{err}");

    // The application goes on: new rows (one like a repaired row in two columns), a row
    // deleted, a repaired cell changed again; then VACUUM FULL moves every row.
    ins(&mut db, keyless, &[b"new11", b"\"one\"", b"x-y"]);
    ins(&mut db, keyless, &[b"new12", b"\"one\"", b"x-y"]);
    for sql in [
        r#"DELETE FROM "Ohne Schlüssel" WHERE a LIKE 'plain%'"#,
        r#"UPDATE "Lager" SET note = 'by the app' WHERE code = 'WIEN-1' OR note = 'x...'"#,
        r#"VACUUM FULL "Ohne Schlüssel""#,
        r#"VACUUM FULL "Lager""#,
    ] {
        db.batch_execute(sql).unwrap();
    }
    let err = run_code(&["repair", "--restore", "--db", &url], 1);
    assert!(
        err.contains("restored 9 cells from charmig.charmig_repaired; 1 cell not restored"),
        "{err}"
    );
    assert!(
        err.contains(r#"left alone: public."Lager".note (land, code) = [x'4445', x'4ddc4e2d3030303433']: the row no longer holds what"#),
        "{err}"
    );
    // Byte for byte: the repaired rows are back, the inserted ones untouched.
    let mut expect = before[2].clone();
    expect.retain(|r| !r.starts_with(&super_hex("(plain")));
    assert_eq!(expect.len(), 2);
    let mut now = rows_of(&mut db, keyless);
    let new_rows: Vec<String> = now
        .iter()
        .filter(|r| r.starts_with(&super_hex("(new1")))
        .cloned()
        .collect();
    assert_eq!(new_rows.len(), 2);
    for r in &new_rows {
        assert!(
            r.ends_with(&super_hex(",\"\"\"one\"\"\",\"x-y     \")")),
            "inserted row touched: {r}"
        );
    }
    now.retain(|r| !r.starts_with(&super_hex("(new1")));
    assert_eq!(now, expect);
    assert_eq!(rows_of(&mut db, "orte"), before[3]);
    assert_eq!(rows_of(&mut db, r#""Kurz""#), before[0]);
    // The row the application changed keeps the application's value; its audit row stays.
    assert_eq!(
        get(
            &mut db,
            r#"SELECT convert_to(note, 'LATIN1') FROM "Lager" ORDER BY code"#
        ),
        vec![
            b"\x93hi\x94".to_vec(),
            b"by the app".to_vec(),
            b"by the app".to_vec()
        ]
    );
    let left: i64 = db
        .query_one("SELECT count(*) FROM charmig.charmig_repaired", &[])
        .unwrap()
        .get(0);
    assert_eq!(left, 1);
}

fn super_hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Issue 10.2/10.3: a LATIN1 database where a web application stored UTF-8 bytes (Straße as
/// C3 9F, Wrocław as C5 82: lossy in LATIN1, their second bytes are C1 controls) next to a
/// Windows client's cp1252 quote. The default cp1252 repair leaves the UTF-8 cells alone and
/// lists them (never StraÃYe); after the move, `--where target --mode undouble` turns the
/// twice-converted text in the UTF-8 target back into Straße and Wrocław (ł, which LATIN1
/// cannot hold) exactly, and --restore undoes it byte for byte.
#[test]
fn passthrough_cells_survive_cp1252_and_undouble_in_the_target() {
    let c = cluster();
    let mut src = c.create_db("ptsrc", "LATIN1");
    let mut tgt = c.create_db("pttgt", "UTF8");
    let rows: &[(i32, Option<&[u8]>)] = &[
        (1, Some(b"Stra\xC3\x9Fe")),
        (2, Some(b"Wroc\xC5\x82aw")),
        (3, Some(b"it\x92s")),
    ];
    for db in [&mut src, &mut tgt] {
        db.batch_execute(r#"CREATE TABLE "Orte" (id int PRIMARY KEY, v varchar(20))"#)
            .unwrap();
    }
    insert_raw(&mut src, r#""Orte""#, "v", "LATIN1", rows);
    // What a plain LATIN1 -> UTF8 move makes of them: every byte one character.
    insert_raw(&mut tgt, r#""Orte""#, "v", "LATIN1", rows);
    let d = tmp("pt-scan");
    let o = charmig(&[
        "scan",
        "--db",
        &c.url("ptsrc"),
        "--out",
        d.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let scan = d.join("scan.json");
    let scan = scan.to_str().unwrap();

    let err = run_code(
        &["repair", "--scan", scan, "--db", &c.url("ptsrc"), "--apply"],
        1,
    );
    assert!(err.contains("changed 1 cell (2 left alone)"), "{err}");
    assert!(
        err.contains(r#"left alone: public."Orte".v 1: valid UTF-8 (reads "Straße")"#),
        "{err}"
    );
    let v: Vec<Vec<u8>> = src
        .query(
            r#"SELECT convert_to(v, 'LATIN1') FROM "Orte" ORDER BY id"#,
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        v,
        vec![
            b"Stra\xC3\x9Fe".to_vec(),
            b"Wroc\xC5\x82aw".to_vec(),
            b"it's".to_vec()
        ]
    );

    let before: Vec<String> = tgt
        .query(r#"SELECT v FROM "Orte" ORDER BY id"#, &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(before[0], "Stra\u{C3}\u{9F}e");
    let err = run_code(
        &[
            "repair",
            "--scan",
            scan,
            "--db",
            &c.url("pttgt"),
            "--where",
            "target",
            "--mode",
            "undouble",
            "--apply",
        ],
        0,
    );
    assert!(err.contains("changed 2 cells (0 left alone)"), "{err}");
    let after: Vec<String> = tgt
        .query(r#"SELECT v FROM "Orte" ORDER BY id"#, &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(after, vec!["Straße", "Wrocław", "it\u{92}s"]);
    run_code(&["repair", "--restore", "--db", &c.url("pttgt")], 0);
    let restored: Vec<String> = tgt
        .query(r#"SELECT v FROM "Orte" ORDER BY id"#, &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(restored, before);
}

/// SIGKILL in the middle of `repair --apply` on tables without a key, two damaged cells per
/// row: every row is whole, either untouched (no audit row) or repaired in both cells with both
/// originals kept; --restore then brings back every byte, and a re-run completes the job.
#[test]
fn killed_repair_of_keyless_rows_never_half_changes_a_row() {
    let c = cluster();
    let mut db = c.create_db("killrep", "LATIN1");
    let tables = ["r1", "r2"];
    let rows = 3000;
    for t in tables {
        db.batch_execute(&format!(
            "CREATE TABLE {t} (g int, a text, b text);
             INSERT INTO {t} SELECT g, convert_from('\\x93'::bytea, 'LATIN1') || g, g || convert_from('\\x94'::bytea, 'LATIN1')
             FROM generate_series(1, {rows}) g;"
        ))
        .unwrap();
    }
    let url = c.url("killrep");
    let d = tmp("killrep-scan");
    let max = (4 * rows).to_string();
    let o = charmig(&[
        "scan",
        "--db",
        &url,
        "--max-exceptions",
        &max,
        "--out",
        d.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let scan = d.join("scan.json");
    let args = vec![
        "repair".to_string(),
        "--scan".into(),
        scan.to_str().unwrap().into(),
        "--db".into(),
        url.clone(),
        "--apply".into(),
    ];
    // Each row: (untouched, repaired); a mix of the two in one row fails the test.
    let check = |db: &mut postgres::Client| -> (usize, usize) {
        let (mut repaired, mut untouched) = (0, 0);
        for t in tables {
            for r in db
                .query(
                    &format!("SELECT g, convert_to(a, 'LATIN1'), convert_to(b, 'LATIN1') FROM {t}"),
                    &[],
                )
                .unwrap()
            {
                let (g, a, b): (i32, Vec<u8>, Vec<u8>) = (r.get(0), r.get(1), r.get(2));
                let orig = (
                    [&[0x93u8][..], g.to_string().as_bytes()].concat(),
                    [g.to_string().as_bytes(), &[0x94u8][..]].concat(),
                );
                let fixed = (format!("\"{g}").into_bytes(), format!("{g}\"").into_bytes());
                if (a.clone(), b.clone()) == orig {
                    untouched += 1;
                } else {
                    assert_eq!((a, b), fixed, "{t} row {g}: half changed");
                    repaired += 1;
                }
            }
        }
        let exists: bool = db
            .query_one(
                "SELECT to_regclass('charmig.charmig_repaired') IS NOT NULL",
                &[],
            )
            .unwrap()
            .get(0);
        let audited: i64 = if exists {
            db.query_one("SELECT count(*) FROM charmig.charmig_repaired", &[])
                .unwrap()
                .get(0)
        } else {
            0
        };
        assert_eq!(
            audited as usize,
            2 * repaired,
            "one audit row per repaired cell"
        );
        (repaired, untouched)
    };
    // Kill while the first table is being written, then once it is committed. Where the kill
    // lands depends on the machine's speed: the tables it left repaired are those the restore
    // moves (new ctids), and the rerun below expects exactly those to be left alone.
    let mut moved: Vec<&str> = Vec::new();
    for after_first_table in [false, true] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_charmig"))
            .args(&args)
            .env("PGPASSFILE", "/nonexistent")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the apply has begun (its audit table exists), then a little more.
        let start = std::time::Instant::now();
        while start.elapsed().as_secs() < 120 && child.try_wait().unwrap().is_none() {
            let n: i64 = db
                .query_one(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'charmig'",
                    &[],
                )
                .unwrap()
                .get(0);
            let done: i64 = if n > 0 && after_first_table {
                db.query_one("SELECT count(*) FROM charmig.charmig_repaired", &[])
                    .unwrap()
                    .get(0)
            } else {
                0
            };
            if n > 0 && (!after_first_table || done > 0) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let _ = child.kill();
        let _ = child.wait();
        let (repaired, untouched) = check(&mut db);
        eprintln!(
            "killed (after the first table: {after_first_table}): {repaired} rows repaired, {untouched} untouched"
        );
        assert_eq!(repaired + untouched, tables.len() * rows);
        for t in tables {
            let n: i64 = db
                .query_one(&format!("SELECT count(*) FROM {t} WHERE a LIKE '\"%'"), &[])
                .unwrap()
                .get(0);
            if n > 0 && !moved.contains(&t) {
                moved.push(t);
            }
        }
        let o = charmig(&["repair", "--restore", "--db", &url]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(check(&mut db), (0, tables.len() * rows));
    }
    // The restore moved the rows of the tables repaired before a kill (new ctids): the scan's
    // identifiers no longer find them and they are listed, not written blindly; the other
    // tables' rows never moved and are repaired. A fresh scan finds the rest and the run
    // completes.
    assert!(
        moved.contains(&"r1"),
        "r1 was committed before the second kill"
    );
    let o = charmig(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    for t in &moved {
        assert!(
            stderr(&o).contains(&format!("left alone: public.{t}.a row at ctid")),
            "{}",
            stderr(&o)
        );
    }
    let kept = tables.len() - moved.len();
    assert_eq!(check(&mut db), (kept * rows, moved.len() * rows));
    let o = charmig(&[
        "scan",
        "--db",
        &url,
        "--max-exceptions",
        &max,
        "--out",
        d.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = charmig(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(check(&mut db), (tables.len() * rows, 0));
}

/// A stored generated column computed from a damaged column is damaged too, and the scan lists
/// both; the server computes it, so repair changes the base column only (the generated one is
/// recomputed by that UPDATE) and lists the generated cell as left alone (it stopped the whole
/// repair with an error before).
#[test]
fn repair_leaves_generated_columns_to_the_server() {
    let c = cluster();
    let mut db = c.create_db("repairgen", "LATIN1");
    db.batch_execute(
        "CREATE TABLE \"Notizen\" (id int PRIMARY KEY, v text, v_maj text GENERATED ALWAYS AS (upper(v)) STORED);",
    )
    .unwrap();
    insert_raw(
        &mut db,
        "\"Notizen\"",
        "v",
        "LATIN1",
        &[(1, Some(b"\x93hi\x94")), (2, Some(b"ok"))],
    );
    let url = c.url("repairgen");
    let d = tmp("repairgen-scan");
    let o = charmig(&["scan", "--db", &url, "--out", d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let scan = d.join("scan.json");
    let err = run_code(
        &[
            "repair",
            "--scan",
            scan.to_str().unwrap(),
            "--db",
            &url,
            "--apply",
        ],
        1,
    );
    assert!(err.contains("changed 1 cell (1 left alone)"), "{err}");
    assert!(
        err.contains("left alone: public.\"Notizen\".v_maj") && err.contains("a generated column"),
        "{err}"
    );
    let row: (Vec<u8>, Vec<u8>) = {
        let r = db
            .query_one(
                "SELECT convert_to(v, 'LATIN1'), convert_to(v_maj, 'LATIN1') FROM \"Notizen\" WHERE id = 1",
                &[],
            )
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!(row, (b"\"hi\"".to_vec(), b"\"HI\"".to_vec()));
    let _ = std::fs::remove_dir_all(&d);
}

/// Rows of a keyless table that different originals made identical (cut to one prefix,
/// repaired to one text) each get one of the originals back: restore put the first original
/// into all of them and dropped the others from the audit table.
#[test]
fn restoring_rows_made_identical_puts_every_original_back() {
    let c = cluster();
    let mut db = c.create_db("restoreidentical", "LATIN1");
    db.batch_execute(
        "CREATE TABLE msgs (src text, body text);
         INSERT INTO msgs VALUES ('app', 'Order 12345 shipped to Berlin'), ('app', 'Order 12345 shipped to Hamburg'),
                                 ('app', 'Order 12345 shipped to Koeln');",
    )
    .unwrap();
    let digest = |db: &mut postgres::Client| -> String {
        db.query_one(
            "SELECT string_agg(src || ':' || encode(convert_to(body, 'LATIN1'), 'hex'), ',' ORDER BY body) FROM msgs",
            &[],
        )
        .unwrap()
        .get(0)
    };
    let before = digest(&mut db);
    let url = c.url("restoreidentical");
    let err = run_ok(&[
        "truncate",
        "--db",
        &url,
        "--table",
        "msgs",
        "--limit-bytes",
        "20",
        "--apply",
    ]);
    assert!(err.contains("changed 3 cells"), "{err}");
    let same: i64 = db
        .query_one("SELECT count(DISTINCT body) FROM msgs", &[])
        .unwrap()
        .get(0);
    assert_eq!(same, 1, "the three rows are identical after the cut");
    run_ok(&["truncate", "--restore", "--db", &url]);
    assert_eq!(digest(&mut db), before, "every original back");
    let bodies: Vec<String> = db
        .query("SELECT body FROM msgs ORDER BY body", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        bodies,
        [
            "Order 12345 shipped to Berlin",
            "Order 12345 shipped to Hamburg",
            "Order 12345 shipped to Koeln"
        ]
    );
}

/// A key column an ON UPDATE SET NULL foreign key references is left alone by repair: the
/// update would null the child's reference, which no audit row keeps (restore left it NULL).
#[test]
fn repair_leaves_a_key_that_would_null_its_children_alone() {
    let c = cluster();
    let mut db = c.create_db("repairsetnull", "LATIN1");
    db.batch_execute(
        "CREATE TABLE par (k text PRIMARY KEY, v text);
         CREATE TABLE chi (id int PRIMARY KEY, ref text REFERENCES par ON UPDATE SET NULL, note text);",
    )
    .unwrap();
    db.batch_execute(
        "INSERT INTO par VALUES (convert_from('\\x4b9231', 'LATIN1'), 'eins');
         INSERT INTO chi SELECT 1, k, 'child one' FROM par;",
    )
    .unwrap();
    let url = c.url("repairsetnull");
    let d = tmp("repairsetnull-scan");
    let o = charmig(&["scan", "--db", &url, "--out", d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let scan = d.join("scan.json");
    let err = run_code(
        &[
            "repair",
            "--scan",
            scan.to_str().unwrap(),
            "--db",
            &url,
            "--table",
            "par",
            "--apply",
        ],
        1,
    );
    assert!(
        err.contains("left alone: public.par.k")
            && err.contains("chi (chi_ref_fkey, ON UPDATE SET NULL)"),
        "{err}"
    );
    let r: Option<Vec<u8>> = db
        .query_one(
            "SELECT convert_to(ref, 'LATIN1') FROM chi WHERE id = 1",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        r.as_deref(),
        Some(&b"K\x921"[..]),
        "the child keeps its reference"
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// `truncate --limit-bytes` measures and cuts a column as the scan's `--assume-column` reads
/// it (UTF-8 bytes in a LATIN1 database read auto: `aé` is 3 bytes and fits 3, `éééé` is cut
/// to `é`, never inside a character); a --table naming nothing is refused.
#[test]
fn truncate_follows_the_scans_column_readings_and_refuses_unknown_tables() {
    let c = cluster();
    let mut db = c.create_db("truncreading", "LATIN1");
    db.batch_execute(
        "CREATE TABLE web (id int PRIMARY KEY, name varchar(40));
         INSERT INTO web VALUES (1, convert_from('\\xc3a9c3a9c3a9c3a9', 'LATIN1')), (4, convert_from('\\x61c3a9', 'LATIN1'));",
    )
    .unwrap();
    let url = c.url("truncreading");
    let d = tmp("truncreading-scan");
    let o = charmig(&[
        "scan",
        "--db",
        &url,
        "--assume-column",
        "public.web.*=auto",
        "--out",
        d.to_str().unwrap(),
    ]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    let scan = d.join("scan.json");
    let err = run_ok(&[
        "truncate",
        "--scan",
        scan.to_str().unwrap(),
        "--db",
        &url,
        "--table",
        "web",
        "--limit-bytes",
        "3",
        "--apply",
    ]);
    assert!(err.contains("changed 1 cell"), "{err}");
    let rows: Vec<(i32, Vec<u8>)> = db
        .query(
            "SELECT id, convert_to(name, 'LATIN1') FROM web ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        rows,
        [(1, b"\xc3\xa9".to_vec()), (4, b"a\xc3\xa9".to_vec())]
    );
    let o = charmig(&[
        "truncate",
        "--db",
        &url,
        "--table",
        "nosuch",
        "--limit-bytes",
        "3",
        "--apply",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--table nosuch: no such table"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&d);
}
