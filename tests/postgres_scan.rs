//! Live scans of a throwaway PostgreSQL cluster: LATIN1, LATIN9, WIN1252, SQL_ASCII and UTF8
//! databases holding known raw bytes. Every expected figure below is derived by hand from the
//! bytes inserted (see the comment beside each row) and the charset rules of CHARSETS.md.

mod common;

use charmig::scan::{Assume, ColumnResult, NoProgress, ScanOptions, ScanResult};
use charmig::source::Source;
use charmig::source::db::ConnectOptions;
use charmig::source::postgres::PgSource;
use common::pg::{self, charmig, cluster, insert_raw, stderr};
use std::sync::OnceLock;

/// Creates the databases once per test binary.
fn fixtures() -> &'static pg::Cluster {
    static DONE: OnceLock<()> = OnceLock::new();
    let c = cluster();
    DONE.get_or_init(|| {
        let mut db = c.create_db("latin1db", "LATIN1");
        db.batch_execute(
            "CREATE TABLE people (id int PRIMARY KEY, name varchar(10), note text, code char(4));
             CREATE TABLE nopk (id int, t text);
             CREATE TABLE numbers (id int PRIMARY KEY, n int);
             INSERT INTO numbers VALUES (1, 1);
             CREATE TABLE big (id int PRIMARY KEY, v text);
             INSERT INTO big SELECT i, repeat('x', 100) ||
                 CASE WHEN i % 100 = 0 THEN convert_from('\\x80'::bytea, 'LATIN1')
                      WHEN i % 7 = 0 THEN convert_from('\\xe9'::bytea, 'LATIN1') ELSE '' END
               FROM generate_series(1, 3000) i;",
        )
        .unwrap();
        for (id, name, note, code) in [
            (1, Some(&b"abc"[..]), None, Some(&b"AB"[..])),
            (2, Some(&b"caf\xe9"[..]), Some(&b"\x80"[..]), Some(&b"\xe9\xe9"[..])),
            (3, Some(&b"a\tb\\c\nd"[..]), Some(&b"x\x93y"[..]), None),
            (4, Some(&b""[..]), Some(&b"\xff"[..]), Some(&b"abcd"[..])),
        ] {
            let v = |b: Option<&[u8]>| b.map(<[u8]>::to_vec);
            db.execute(
                "INSERT INTO people VALUES ($1, convert_from($2, 'LATIN1'), convert_from($3, 'LATIN1'), convert_from($4, 'LATIN1'))",
                &[&id, &v(name), &v(note), &v(code)],
            )
            .unwrap();
        }
        insert_raw(&mut db, "nopk", "t", "LATIN1", &[(1, Some(b"ok")), (2, Some(b"\xe9")), (3, Some(b"\x85"))]);

        let mut db = c.create_db("latin9db", "LATIN9");
        db.batch_execute("CREATE TABLE t (id int PRIMARY KEY, v varchar(20))").unwrap();
        insert_raw(&mut db, "t", "v", "LATIN9", &[(1, Some(b"plain")), (2, Some(b"\xa4")), (3, Some(b"\xbd")), (4, Some(b"\x9f")), (5, None)]);

        let mut db = c.create_db("win1252db", "WIN1252");
        db.batch_execute("CREATE TABLE t (id int PRIMARY KEY, v varchar(20))").unwrap();
        insert_raw(&mut db, "t", "v", "WIN1252", &[(1, Some(b"abc")), (2, Some(b"\x80")), (3, Some(b"\x81")), (4, Some(b"\xc3\xa9"))]);

        let mut db = c.create_db("sqlasciidb", "SQL_ASCII");
        db.batch_execute("CREATE TABLE t (id int PRIMARY KEY, v text)").unwrap();
        insert_raw(&mut db, "t", "v", "SQL_ASCII", &[(1, Some(b"abc")), (2, Some(b"\xc3\xa9")), (3, Some(b"\xe9")), (4, Some(b"\x81"))]);

        let mut db = c.create_db("utf8db", "UTF8");
        db.batch_execute("CREATE TABLE t (id int PRIMARY KEY, v text)").unwrap();
        insert_raw(
            &mut db,
            "t",
            "v",
            "UTF8",
            &[(1, Some(b"abc")), (2, Some(b"\xc3\xa9")), (3, Some(b"\xf0\x9f\x98\x80")), (4, Some(b"\xef\xbf\xbd"))],
        );
        c.create_db("eucjpdb", "EUC_JP").batch_execute("CREATE TABLE t (id int PRIMARY KEY, v text)").unwrap();
    });
    c
}

fn connect(db: &str, jobs: usize) -> PgSource {
    let opts = ConnectOptions {
        url: fixtures().url(db),
        jobs,
        ..ConnectOptions::default()
    };
    PgSource::connect(&opts).unwrap_or_else(|e| panic!("connect to {db}: {e}"))
}

fn scan(src: &PgSource, opts: ScanOptions) -> ScanResult {
    charmig::scan::run(src, &opts, &NoProgress).expect("scan")
}

fn col<'a>(r: &'a ScanResult, table: &str, column: &str) -> &'a ColumnResult {
    r.columns
        .iter()
        .find(|c| c.table_name == table && c.column_name == column)
        .unwrap_or_else(|| {
            panic!(
                "no column {table}.{column} in {:?}",
                r.columns.iter().map(|c| &c.column_name).collect::<Vec<_>>()
            )
        })
}

/// (rows, nulls, changeless, convertible, truncation, lossy, max_post_bytes)
fn figures(c: &ColumnResult) -> (u64, u64, u64, u64, u64, u64, Option<u64>) {
    (
        c.rows,
        c.nulls,
        c.counts.changeless,
        c.counts.convertible,
        c.counts.truncation,
        c.counts.lossy,
        c.max_post_bytes,
    )
}

fn exceptions(r: &ScanResult, table: &str) -> Vec<(String, String, String, String)> {
    r.exceptions
        .iter()
        .filter(|e| e.table_name == table)
        .map(|e| {
            (
                e.column_name.clone(),
                e.rowid.clone(),
                e.hex.clone(),
                e.reason.clone(),
            )
        })
        .collect()
}

#[test]
fn latin1_database_figures_are_exact() {
    let src = connect("latin1db", 2);
    let cat = src.catalog();
    assert_eq!(cat.source.charset, "LATIN1");
    let people = cat.tables.iter().find(|t| t.name == "people").unwrap();
    assert_eq!(people.owner, "public");
    let name = &people.columns[1];
    assert_eq!(
        (name.data_type.as_str(), name.char_length),
        ("character varying", Some(10))
    );
    assert_eq!(
        (
            people.columns[3].data_type.as_str(),
            people.columns[3].char_length
        ),
        ("character", Some(4))
    );
    assert_eq!(people.columns[2].data_type, "text");

    let r = scan(
        &src,
        ScanOptions {
            jobs: 2,
            ..ScanOptions::default()
        },
    );
    // name: abc, café (é = 2 bytes), "a<TAB>b\c<LF>d" (7 ASCII bytes through COPY escapes), ''.
    assert_eq!(
        figures(col(&r, "people", "name")),
        (4, 0, 3, 1, 0, 0, Some(7))
    );
    // note: NULL, 0x80 (C1: undefined in LATIN1), x 0x93 y (C1), 0xFF (ÿ, 2 bytes).
    let note = col(&r, "people", "note");
    assert_eq!(figures(note), (4, 1, 0, 1, 0, 2, Some(2)));
    assert_eq!(
        note.flags.stray_cp1252, 2,
        "0x80 and 0x93 are printable in windows-1252"
    );
    // code char(4): 'AB  ', 'éé' padded (4 bytes without blanks), NULL, 'abcd'.
    assert_eq!(
        figures(col(&r, "people", "code")),
        (4, 1, 2, 1, 0, 0, Some(4))
    );
    // No primary key: the ctid identifies the row.
    assert_eq!(figures(col(&r, "nopk", "t")), (3, 0, 1, 1, 0, 1, Some(2)));
    assert_eq!(
        exceptions(&r, "people"),
        vec![
            (
                "note".into(),
                "2".into(),
                "80".into(),
                "invalid_representation".into()
            ),
            (
                "note".into(),
                "3".into(),
                "789379".into(),
                "invalid_representation".into()
            ),
        ]
    );
    assert_eq!(
        exceptions(&r, "nopk"),
        vec![(
            "t".into(),
            "(0,3)".into(),
            "85".into(),
            "invalid_representation".into()
        )]
    );
    assert!(
        r.columns.iter().all(|c| c.table_name != "numbers"),
        "a table without character columns is not scanned"
    );
    assert!(!r.has_errors());
    assert_eq!(r.exit_code(), 1);
}

#[test]
fn parts_make_results_independent_of_jobs() {
    let expected_lossy = (1..=3000).filter(|i| i % 100 == 0).count() as u64;
    let expected_conv = (1..=3000).filter(|i| i % 7 == 0 && i % 100 != 0).count() as u64;
    let mut results = Vec::new();
    for jobs in [1, 4] {
        let mut src = connect("latin1db", jobs);
        src.set_part_pages(4);
        let big = src
            .catalog()
            .tables
            .iter()
            .position(|t| t.name == "big")
            .unwrap();
        let parts = src.parts(big, &[1]).unwrap();
        assert!(
            parts.len() >= 8,
            "a ~50-page table in 4-page parts: got {} parts",
            parts.len()
        );
        let r = scan(
            &src,
            ScanOptions {
                jobs,
                max_exceptions: 10,
                tables: vec!["big".into()],
                ..ScanOptions::default()
            },
        );
        let v = col(&r, "big", "v");
        assert_eq!(
            figures(v),
            (
                3000,
                0,
                3000 - expected_lossy - expected_conv,
                expected_conv,
                0,
                expected_lossy,
                Some(102)
            )
        );
        let ids: Vec<String> = r.exceptions.iter().map(|e| e.rowid.clone()).collect();
        assert_eq!(
            ids,
            (1..=10).map(|k| (k * 100).to_string()).collect::<Vec<_>>(),
            "the first 10 in table order"
        );
        results.push((
            serde_json::to_string(&r.columns).unwrap(),
            serde_json::to_string(&r.exceptions).unwrap(),
        ));
    }
    assert_eq!(
        results[0], results[1],
        "--jobs 1 and --jobs 4 give identical figures"
    );
}

#[test]
fn latin9_win1252_and_utf8_databases() {
    let r = scan(&connect("latin9db", 1), ScanOptions::default());
    // plain (5 bytes); 0xA4 = € (3 bytes in UTF-8); 0xBD = œ (2); 0x9F C1 undefined; NULL.
    assert_eq!(figures(col(&r, "t", "v")), (5, 1, 1, 2, 0, 1, Some(5)));
    assert_eq!(
        exceptions(&r, "t"),
        vec![(
            "v".into(),
            "4".into(),
            "9F".into(),
            "invalid_representation".into()
        )]
    );

    let r = scan(&connect("win1252db", 1), ScanOptions::default());
    // abc; 0x80 = € (3); 0x81 undefined in windows-1252; C3 A9 = "Ã©" (2 + 2), UTF-8 pass-through.
    let v = col(&r, "t", "v");
    assert_eq!(figures(v), (4, 0, 1, 2, 0, 1, Some(4)));
    assert_eq!((v.flags.utf8_passthrough, v.flags.stray_cp1252), (1, 0));
    assert_eq!(
        exceptions(&r, "t"),
        vec![
            (
                "v".into(),
                "3".into(),
                "81".into(),
                "invalid_representation".into()
            ),
            // Pass-through is a finding: listed with its own reason.
            (
                "v".into(),
                "4".into(),
                "C3A9".into(),
                "utf8_passthrough".into()
            )
        ]
    );

    let src = connect("utf8db", 1);
    let r = scan(&src, ScanOptions::default());
    // Valid UTF-8 is unchanged for AL32UTF8; U+FFFD is flagged.
    let v = col(&r, "t", "v");
    assert_eq!(figures(v), (4, 0, 4, 0, 0, 0, Some(4)));
    assert_eq!(v.flags.replacement_char, 1);
    // U+FFFD in a UTF-8 database is a finding (an earlier conversion lost a character).
    assert_eq!((v.findings, r.exit_code()), (1, 1));
    assert_eq!(
        exceptions(&r, "t"),
        vec![(
            "v".into(),
            "4".into(),
            "EFBFBD".into(),
            "replacement_char".into()
        )]
    );
    // For Oracle's CESU-8 UTF8 the emoji becomes 6 bytes.
    let r = scan(
        &src,
        ScanOptions {
            target: charmig::charset::Target::Cesu8,
            ..ScanOptions::default()
        },
    );
    assert_eq!(figures(col(&r, "t", "v")), (4, 0, 3, 1, 0, 0, Some(6)));
}

#[test]
fn sql_ascii_needs_an_assumed_charset() {
    let src = connect("sqlasciidb", 1);
    let e = charmig::scan::run(&src, &ScanOptions::default(), &NoProgress)
        .expect_err("SQL_ASCII without --assume")
        .to_string();
    assert!(e.contains("SQL_ASCII") && e.contains("--assume"), "{e}");
    // Refused up front, naming the choices.
    for choice in ["auto", "WIN1252", "LATIN1", "LATIN9"] {
        assert!(e.contains(choice), "{choice} in {e}");
    }
    // auto: abc (3 bytes); C3 A9 valid UTF-8 (unchanged); E9 -> é from WIN1252; 81 undefined in WIN1252.
    let r = scan(
        &src,
        ScanOptions {
            assume: Some(Assume::Auto),
            ..ScanOptions::default()
        },
    );
    let v = col(&r, "t", "v");
    assert_eq!(figures(v), (4, 0, 2, 1, 0, 1, Some(3)));
    assert_eq!((v.flags.auto_utf8, v.flags.auto_win1252), (1, 2));
    // LATIN1: C3 A9 is two Latin-1 characters (pass-through flagged), 0x81 is C1 (undefined).
    let r = scan(
        &src,
        ScanOptions {
            assume: Some(Assume::Charset("LATIN1".into())),
            ..ScanOptions::default()
        },
    );
    let v = col(&r, "t", "v");
    assert_eq!(figures(v), (4, 0, 1, 2, 0, 1, Some(4)));
    assert_eq!(v.flags.utf8_passthrough, 1);

    let out = charmig(&[
        "scan",
        "--db",
        &fixtures().url("sqlasciidb"),
        "--out",
        &tmp("sqlascii").display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--assume"), "{}", stderr(&out));
}

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("charmig-pgtest-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn snapshot_of_a_live_database_scans_to_the_same_figures() {
    let url = fixtures().url("latin1db");
    let (snap, live, offline) = (tmp("snap"), tmp("live"), tmp("offline"));
    let out = charmig(&[
        "snapshot",
        "--db",
        &url,
        "--out",
        &snap.display().to_string(),
        "--jobs",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let meta = std::fs::read_to_string(snap.join("snapshot.json")).unwrap();
    assert!(
        meta.contains("\"postgres\"") && meta.contains("\"LATIN1\""),
        "{meta}"
    );
    let out = charmig(&[
        "scan",
        "--db",
        &url,
        "--out",
        &live.display().to_string(),
        "--jobs",
        "3",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "lossy cells exist: {}",
        stderr(&out)
    );
    let out = charmig(&[
        "scan",
        "--snapshot",
        &snap.display().to_string(),
        "--out",
        &offline.display().to_string(),
        "--jobs",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    for f in ["columns.csv", "exceptions.csv"] {
        let a = std::fs::read_to_string(live.join(f)).unwrap();
        let b = std::fs::read_to_string(offline.join(f)).unwrap();
        assert_eq!(
            a, b,
            "{f} differs between the live scan and the snapshot scan"
        );
        assert!(a.lines().count() > 3, "{f} has the expected rows:\n{a}");
    }
    let cols = std::fs::read_to_string(live.join("columns.csv")).unwrap();
    assert!(
        cols.contains("public,people,note,text,4,1,0,1,0,2,2,CHAR,,,LATIN1"),
        "{cols}"
    );
    for d in [snap, live, offline] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn bad_input_is_a_clear_error() {
    let c = fixtures();
    let out_dir = tmp("bad");
    let out = out_dir.display().to_string();
    // Nothing listens on a port just freed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![format!("postgres://postgres:x@127.0.0.1:{port}/latin1db")],
            "cannot reach the PostgreSQL server",
        ),
        (
            vec![format!(
                "postgres://postgres:wrong@127.0.0.1:{}/latin1db",
                c.port
            )],
            "28P01",
        ),
        (vec![c.url_no_password("latin1db")], "PGPASSWORD"),
        (vec![c.url("nosuchdb")], "3D000"),
        (
            vec![c.url("latin1db"), "--table".into(), "nosuch".into()],
            "--table nosuch",
        ),
        (
            vec![c.url("latin1db"), "--schema".into(), "nosuch".into()],
            "--schema nosuch",
        ),
        (vec![c.url("eucjpdb")], "EUC_JP"),
    ];
    for (args, expect) in cases {
        let mut a = vec!["scan", "--db"];
        a.extend(args.iter().map(String::as_str));
        a.extend(["--out", &out]);
        let o = charmig(&a);
        assert_eq!(o.status.code(), Some(2), "{a:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(expect),
            "{a:?}: expected `{expect}` in: {}",
            stderr(&o)
        );
        assert!(
            !stderr(&o).contains("wrong@"),
            "a password must never be printed: {}",
            stderr(&o)
        );
    }
    let _ = std::fs::remove_dir_all(out_dir);
}

#[test]
fn password_from_pgpassword_and_pgpass() {
    let c = fixtures();
    let out = tmp("pw").display().to_string();
    let url = c.url_no_password("utf8db");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_charmig"))
        .args(["scan", "--db", &url, "--out", &out])
        .env("PGPASSWORD", pg::PASSWORD)
        .output()
        .unwrap();
    // Exit 1: utf8db holds a U+FFFD finding; what matters is that the scan ran (not 2).
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let pgpass = tmp("pgpass");
    std::fs::write(
        &pgpass,
        format!(
            "# test\notherhost:*:*:*:nope\n127.0.0.1:{}:*:postgres:{}\n",
            c.port,
            pg::PASSWORD
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_charmig"))
        .args(["scan", "--db", &url, "--out", &out])
        .env_remove("PGPASSWORD")
        .env("PGPASSFILE", &pgpass)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let _ = std::fs::remove_file(pgpass);
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn a_table_dropped_during_the_scan_is_reported_and_the_rest_goes_on() {
    let c = fixtures();
    let mut db = c.create_db("dropdb", "LATIN1");
    db.batch_execute(
        "CREATE TABLE a (id int PRIMARY KEY, v text); CREATE TABLE b (id int PRIMARY KEY, v text)",
    )
    .unwrap();
    insert_raw(&mut db, "a", "v", "LATIN1", &[(1, Some(b"\xe9"))]);
    insert_raw(&mut db, "b", "v", "LATIN1", &[(1, Some(b"ok"))]);
    let src = connect("dropdb", 2);
    db.batch_execute("DROP TABLE a").unwrap();
    let r = scan(
        &src,
        ScanOptions {
            jobs: 2,
            ..ScanOptions::default()
        },
    );
    assert_eq!(figures(col(&r, "b", "v")), (1, 0, 1, 0, 0, 0, Some(2)));
    let skipped: Vec<_> = r.skipped.iter().filter(|s| s.error).collect();
    assert_eq!(skipped.len(), 1, "{:?}", r.skipped);
    assert_eq!(skipped[0].object, "public.a");
    assert!(skipped[0].reason.contains("42P01"), "{}", skipped[0].reason);
    assert_eq!(r.exit_code(), 2);
}

#[test]
fn every_part_is_read_in_one_snapshot() {
    let c = fixtures();
    let mut db = c.create_db("snapdb", "LATIN1");
    db.batch_execute("CREATE TABLE s (id int PRIMARY KEY, v text); INSERT INTO s SELECT i, repeat('y', 100) FROM generate_series(1, 2000) i")
        .unwrap();
    let mut src = connect("snapdb", 2);
    src.set_part_pages(4);
    let parts = src.parts(0, &[1]).unwrap();
    assert!(parts.len() > 2);
    let last = parts.last().unwrap().clone();
    let mut later_rows = None;
    src.read(&parts[0], &[1], &mut |_chunk| {
        if later_rows.is_none() {
            // Committed after the scan started: no part may see it. The nested read needs a
            // second connection, which joins the scan's snapshot.
            db.batch_execute("DELETE FROM s").unwrap();
            let mut rows = 0;
            src.read(&last, &[1], &mut |chunk| {
                let mut b = charmig::source::Batch::new(1);
                chunk.decode(&mut b).unwrap();
                rows += b.rows();
                true
            })
            .unwrap();
            later_rows = Some(rows);
        }
        true
    })
    .unwrap();
    assert!(
        later_rows.unwrap() > 0,
        "the last part still shows the rows deleted after the scan began"
    );
    let r = scan(
        &src,
        ScanOptions {
            jobs: 3,
            ..ScanOptions::default()
        },
    );
    assert_eq!(
        col(&r, "s", "v").rows,
        2000,
        "a scan through the same source reads the same snapshot"
    );
}

/// A `name` holds 63 bytes, and PostgreSQL's text input cuts a longer value without a word:
/// 40 × "é" is 40 bytes in LATIN1 and 80 in UTF-8, so the scan calls it truncation (31 × "é",
/// 62 bytes, is convertible).
#[test]
fn name_values_over_63_bytes_in_utf8_are_truncation() {
    let c = fixtures();
    let mut db = c.create_db("namescan", "LATIN1");
    db.batch_execute(
        "CREATE TABLE idents (id int PRIMARY KEY, nm name, v text);
         INSERT INTO idents VALUES (1, repeat(convert_from('\\xe9'::bytea, 'LATIN1'), 31), repeat(convert_from('\\xe9'::bytea, 'LATIN1'), 40)),
                                   (2, repeat(convert_from('\\xe9'::bytea, 'LATIN1'), 40), 'x');",
    )
    .unwrap();
    let r = scan(&connect("namescan", 1), ScanOptions::default());
    assert_eq!(
        figures(col(&r, "idents", "nm")),
        (2, 0, 0, 1, 1, 0, Some(80))
    );
    assert_eq!(figures(col(&r, "idents", "v")).4, 0, "text has no limit");
    let ex = exceptions(&r, "idents");
    assert_eq!(ex.len(), 1, "{ex:?}");
    assert_eq!(ex[0].0, "nm");
    // The plan calls the column out (the copy would refuse the value).
    let dir = tmp("namescan");
    let url = c.url("namescan");
    let (scan_dir, plan_dir) = (dir.join("scan"), dir.join("plan"));
    let o = charmig(&["scan", "--db", &url, "--out", scan_dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let scan_json = scan_dir.join("scan.json");
    let o = charmig(&[
        "plan",
        "--scan",
        scan_json.to_str().unwrap(),
        "--db",
        &url,
        "--out",
        plan_dir.to_str().unwrap(),
    ]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    let plan = std::fs::read_to_string(plan_dir.join("plan.json")).unwrap();
    assert!(
        plan.contains("public.idents.nm") && plan.contains("exceed 63 bytes in UTF-8"),
        "{plan}"
    );
    assert!(!plan.contains("public.idents.v"), "{plan}");
}
