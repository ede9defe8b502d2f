//! `charmig copy` rules against a real PostgreSQL: decisions read from the scan (`--scan`), a
//! scan of another database refused, tables loaded parents first and re-copied together,
//! errors naming the source key, charmig's own tables and `--exclude` left out, a copy onto
//! its own source and a non-UTF-8 target refused, zero-column tables.

mod common;

use common::pg::{charmig, cluster, insert_raw, stderr};
use common::tools::{copy_schema, tmp};

fn run_ok(args: &[&str]) -> String {
    let o = charmig(args);
    assert!(
        o.status.success(),
        "charmig {args:?} failed: {}",
        stderr(&o)
    );
    stderr(&o)
}

fn texts(db: &mut postgres::Client, sql: &str) -> Vec<String> {
    db.query(sql, &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// A LATIN1 database as a web application and Windows clients leave it: UTF-8 bytes and
/// cp1252 bytes in one column, plain LATIN1 in another.
fn mixed_source(c: &common::pg::Cluster, name: &str, extra_table: bool) -> postgres::Client {
    let mut db = c.create_db(name, "LATIN1");
    db.batch_execute(
        "CREATE SCHEMA app;
         CREATE TABLE app.\"Kunden\" (id int PRIMARY KEY, name text, city varchar(30));",
    )
    .unwrap();
    if extra_table {
        db.batch_execute("CREATE TABLE app.extra (id int PRIMARY KEY, v text)")
            .unwrap();
    }
    insert_raw(
        &mut db,
        "app.\"Kunden\"",
        "name",
        "LATIN1",
        &[
            (1, Some("Straße".as_bytes())),
            (2, Some("Łódź".as_bytes())),
            (3, Some(b"it\x92s \x93ok\x94")),
            (4, Some(b"caf\xe9")),
            (5, None),
        ],
    );
    db.batch_execute(&format!(
        "UPDATE app.\"Kunden\" SET city = convert_from('\\x5aFC72696368'::bytea, 'LATIN1')"
    ))
    .unwrap();
    db
}

fn scan(c: &common::pg::Cluster, db: &str, tag: &str) -> std::path::PathBuf {
    let out = tmp(&format!("scan-{tag}"));
    let o = charmig(&[
        "scan",
        "--db",
        &c.url(db),
        "--out",
        out.to_str().unwrap(),
        "--assume-column",
        "app.Kunden.name=auto",
    ]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    out.join("scan.json")
}

#[test]
fn copy_reads_every_column_as_the_scan_decided_and_refuses_another_databases_scan() {
    let c = cluster();
    let _src = mixed_source(c, "scansrc", false);
    let mut tgt = c.create_db("scantgt", "UTF8");
    copy_schema(c, "scansrc", "scantgt");
    let scan_json = scan(c, "scansrc", "own");
    let (su, tu) = (c.url("scansrc"), c.url("scantgt"));
    let log = tmp("scan-copy.log");
    let base = [
        "copy",
        "--from",
        &su,
        "--to",
        &tu,
        "--log-file",
        log.to_str().unwrap(),
        "--jobs",
        "1",
    ];

    // Retyping the decisions next to the scan is refused (the scan decides).
    let mut args = base.to_vec();
    args.extend([
        "--scan",
        scan_json.to_str().unwrap(),
        "--assume-column",
        "app.Kunden.name=WIN1252",
    ]);
    let o = charmig(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));

    // A scan of a LATIN9 database with the same tables, and of a LATIN1 one with another
    // table set: both refused before anything is copied.
    let mut l9 = c.create_db("scanother9", "LATIN9");
    l9.batch_execute(
        "CREATE SCHEMA app; CREATE TABLE app.\"Kunden\" (id int PRIMARY KEY, name text, city varchar(30))",
    )
    .unwrap();
    let _extra = mixed_source(c, "scanotherx", true);
    for (db, strip, why) in [
        ("scanother9", false, "was made on database scanother9"),
        // Scans that do not record their database (older charmig): charset and table set.
        ("scanother9", true, "its charset is LATIN9"),
        ("scanotherx", true, "which the source does not have"),
    ] {
        let other = scan(c, db, &format!("{db}{strip}"));
        if strip {
            let mut v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&other).unwrap()).unwrap();
            v["source"].as_object_mut().unwrap().remove("identity");
            std::fs::write(&other, v.to_string()).unwrap();
        }
        let mut args = base.to_vec();
        args.extend(["--scan", other.to_str().unwrap()]);
        let o = charmig(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(why), "{err}");
        if strip {
            assert!(err.contains("scan of another database"), "{err}");
        }
        let n: i64 = tgt
            .query_one("SELECT count(*) FROM app.\"Kunden\"", &[])
            .unwrap()
            .get(0);
        assert_eq!(n, 0, "a refused copy copies nothing");
    }

    // The scan's own decisions: every value right, no --assume-column typed again.
    let mut args = base.to_vec();
    args.extend(["--scan", scan_json.to_str().unwrap(), "--verify"]);
    run_ok(&args);
    assert_eq!(
        texts(
            &mut tgt,
            "SELECT id || ':' || coalesce(name, '<null>') || ':' || city FROM app.\"Kunden\" ORDER BY id"
        ),
        [
            "1:Straße:Zürich",
            "2:Łódź:Zürich",
            "3:it\u{2019}s \u{201C}ok\u{201D}:Zürich",
            "4:café:Zürich",
            "5:<null>:Zürich"
        ]
    );
    // The same copy without the scan reads the column as LATIN1 and stops on its C1 byte.
    let mut args = base.to_vec();
    args.push("--restart");
    let o = charmig(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("has no meaning in LATIN1"),
        "{}",
        stderr(&o)
    );
}

/// A shop: customers keyed by (country, number) of accented text, orders referencing them,
/// order lines referencing orders (children bigger than their parents, so size alone would
/// load them first), two tables referencing each other, and notes with a byte LATIN9 lacks.
fn shop_source(c: &common::pg::Cluster, name: &str) -> postgres::Client {
    let mut db = c.create_db(name, "LATIN9");
    db.batch_execute(
        "CREATE SCHEMA shop;
         CREATE TABLE shop.\"Kunde\" (\"Land\" text, nr int, name text, PRIMARY KEY (\"Land\", nr));
         CREATE TABLE shop.bestellung (id int PRIMARY KEY, \"Land\" text, nr int, note text,
                                       FOREIGN KEY (\"Land\", nr) REFERENCES shop.\"Kunde\");
         CREATE TABLE shop.position (bestellung_id int REFERENCES shop.bestellung, pos int, txt text,
                                     PRIMARY KEY (bestellung_id, pos));
         CREATE TABLE shop.a (id int PRIMARY KEY, b_id int);
         CREATE TABLE shop.b (id int PRIMARY KEY, a_id int REFERENCES shop.a);
         INSERT INTO shop.\"Kunde\" SELECT l, g, 'K' || g FROM generate_series(1, 3) g,
           unnest(ARRAY[convert_from('\\xd6'::bytea, 'LATIN9') || 'sterreich', 'Schweiz']) l;
         INSERT INTO shop.bestellung SELECT g, CASE WHEN g % 2 = 0 THEN 'Schweiz' ELSE convert_from('\\xd6'::bytea, 'LATIN9') || 'sterreich' END,
           1 + g % 3, repeat('Bestellung ' || g, 20) FROM generate_series(1, 200) g;
         INSERT INTO shop.position SELECT b, p, repeat('Posten ' || p, 30) FROM generate_series(1, 200) b, generate_series(1, 4) p;
         INSERT INTO shop.a VALUES (1, 1), (2, 2);
         INSERT INTO shop.b VALUES (1, 2), (2, 1);
         ALTER TABLE shop.a ADD FOREIGN KEY (b_id) REFERENCES shop.b;
         CREATE TABLE shop.notiz (\"Land\" text, nr int, body text, PRIMARY KEY (\"Land\", nr));
         ANALYZE;",
    )
    .unwrap();
    insert_raw(&mut db, "shop.notiz", "body", "LATIN9", &[]);
    db.batch_execute(
        "INSERT INTO shop.notiz VALUES ('Schweiz', 1, 'ok'),
           (convert_from('\\xd6'::bytea, 'LATIN9') || 'sterreich', 2, convert_from('\\x8a'::bytea, 'LATIN9'))",
    )
    .unwrap();
    db
}

#[test]
fn tables_load_parents_first_recopy_together_and_errors_name_the_source_key() {
    let c = cluster();
    let mut src = shop_source(c, "fksrc");
    let mut tgt = c.create_db("fktgt", "UTF8");
    copy_schema(c, "fksrc", "fktgt");
    let (su, tu) = (c.url("fksrc"), c.url("fktgt"));
    let log = tmp("fk.log");
    let copy = |jobs: &str, extra: &[&str]| {
        let mut args = vec![
            "copy",
            "--from",
            &su,
            "--to",
            &tu,
            "--log-file",
            log.to_str().unwrap(),
            "--jobs",
            jobs,
            "--exclude",
            "notiz",
        ];
        args.extend(extra);
        charmig(&args)
    };
    let all = "SELECT string_agg(t::text, '|' ORDER BY t::text) FROM (
                 SELECT k::text FROM shop.\"Kunde\" k UNION ALL SELECT b::text FROM shop.bestellung b
                 UNION ALL SELECT p::text FROM shop.position p UNION ALL SELECT a::text FROM shop.a a
                 UNION ALL SELECT b::text FROM shop.b b) t";
    let expected = texts(&mut src, all);

    // First copy, two workers, foreign keys live: parents first, cycle with checks off.
    let o = copy("2", &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("5 tables copied (1,010 rows"), "{err}");
    assert!(
        err.contains("foreign-key checks off while loading tables in a cycle: shop.a <-> shop.b"),
        "{err}"
    );
    assert!(err.contains("next: check the moved text"), "{err}");
    let at = |s: &str| err.find(s).unwrap_or_else(|| panic!("{s} not in {err}"));
    assert!(
        at("shop.\"Kunde\": done") < at("shop.bestellung: copying"),
        "{err}"
    );
    assert!(
        at("shop.bestellung: done") < at("shop.position: copying"),
        "{err}"
    );
    assert_eq!(texts(&mut tgt, all), expected);

    // Copied again, whole and with one worker: the linked tables are emptied together (no
    // deadlock, no foreign-key failure), content unchanged.
    for jobs in ["2", "1"] {
        let o = copy(jobs, &["--restart"]);
        let err = stderr(&o);
        assert!(o.status.success(), "jobs {jobs}: {err}");
        assert!(
            err.contains("emptied together (linked by foreign keys)"),
            "{err}"
        );
        assert!(!err.contains("40P01"), "{err}");
        assert_eq!(texts(&mut tgt, all), expected);
    }
    // Two linked tables alone, with the third (their child's parent) left as it is.
    let o = copy(
        "2",
        &[
            "--restart",
            "--table",
            "shop.bestellung",
            "--table",
            "shop.position",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(texts(&mut tgt, all), expected);

    // A constraint only the target has: the failure says where and suggests --plan; the
    // table's rows stay as they were (its transaction rolled back).
    tgt.batch_execute(
        "ALTER TABLE shop.position ADD CONSTRAINT pos_small CHECK (pos < 4) NOT VALID",
    )
    .unwrap();
    let o = copy("1", &["--restart", "--table", "shop.position"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("pos_small") && err.contains("SQLSTATE 23514") && err.contains("--plan"),
        "{err}"
    );
    assert!(err.contains("next: fix the causes"), "{err}");
    tgt.batch_execute("ALTER TABLE shop.position DROP CONSTRAINT pos_small")
        .unwrap();

    // A value that does not convert names the source's whole key (the target has none).
    tgt.batch_execute("ALTER TABLE shop.notiz DROP CONSTRAINT notiz_pkey")
        .unwrap();
    let o = charmig(&[
        "copy",
        "--from",
        &su,
        "--to",
        &tu,
        "--log-file",
        log.to_str().unwrap(),
        "--table",
        "shop.notiz",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("(key \"Land\"=\\xD6sterreich, nr=2)"), "{err}");

    // A role that may not switch checks off is refused before anything is copied, naming --plan.
    tgt.batch_execute(
        "CREATE ROLE copier LOGIN PASSWORD 'copier-pw'; GRANT ALL ON SCHEMA shop, charmig TO copier;
         GRANT ALL ON ALL TABLES IN SCHEMA shop, charmig TO copier; GRANT CREATE ON DATABASE fktgt TO copier",
    )
    .unwrap();
    let as_copier = format!("postgres://copier:copier-pw@127.0.0.1:{}/fktgt", c.port);
    let o = charmig(&[
        "copy",
        "--from",
        &su,
        "--to",
        &as_copier,
        "--log-file",
        log.to_str().unwrap(),
        "--restart",
        "--exclude",
        "notiz",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("form a cycle (shop.a <-> shop.b)") && err.contains("--plan"),
        "{err}"
    );
    assert_eq!(
        texts(&mut tgt, all),
        expected,
        "a refused copy changes nothing"
    );
}

/// Runs charmig, killing it after `secs` (a hang is a failure, not a stuck test run).
fn charmig_within(args: &[&str], secs: u64) -> std::process::Output {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_charmig"))
        .args(args)
        .env("PGPASSFILE", "/nonexistent/charmig-test-pgpass")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed().as_secs() > secs {
            child.kill().unwrap();
            panic!("charmig {args:?} still running after {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_copy_onto_its_source_or_into_a_non_utf8_database_is_refused_and_zero_column_tables_move() {
    let c = cluster();
    let mut src = c.create_db("zsrc", "LATIN9");
    src.batch_execute(
        "CREATE SCHEMA z; CREATE TABLE z.nothing (); INSERT INTO z.nothing SELECT FROM generate_series(1, 7);
         CREATE TABLE z.\"Wörter\" (id int PRIMARY KEY, w text);
         INSERT INTO z.\"Wörter\" VALUES (1, convert_from('\\xe4'::bytea, 'LATIN9'));",
    )
    .unwrap();
    let log = tmp("z.log");
    let su = c.url("zsrc");

    // Onto itself: refused at once (it used to wait forever for its own read).
    let o = charmig_within(
        &[
            "copy",
            "--from",
            &su,
            "--to",
            &su,
            "--log-file",
            log.to_str().unwrap(),
        ],
        60,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--from and --to are the same database"),
        "{}",
        stderr(&o)
    );
    // The same database through another spelling of its address.
    let other_spelling = su.replace("127.0.0.1", "localhost");
    let o = charmig_within(
        &[
            "copy",
            "--from",
            &su,
            "--to",
            &other_spelling,
            "--log-file",
            log.to_str().unwrap(),
        ],
        60,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("same database"), "{}", stderr(&o));

    // A LATIN9 target (made like the source): refused naming the fix.
    c.create_db("zlatin9", "LATIN9");
    copy_schema(c, "zsrc", "zlatin9");
    let o = charmig_within(
        &[
            "copy",
            "--from",
            &su,
            "--to",
            &c.url("zlatin9"),
            "--log-file",
            log.to_str().unwrap(),
        ],
        60,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the target database is LATIN9, not UTF8")
            && stderr(&o).contains("ENCODING 'UTF8'"),
        "{}",
        stderr(&o)
    );

    // A table without columns: `snapshot` writes it, `scan --snapshot` reads it (rows counted).
    let snap = tmp("zsnap");
    run_ok(&["snapshot", "--db", &su, "--out", snap.to_str().unwrap()]);
    let out = tmp("zsnapscan");
    let o = charmig(&[
        "scan",
        "--snapshot",
        snap.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    let tables = std::fs::read_to_string(snap.join("tables.csv")).unwrap();
    assert!(
        tables.lines().any(|l| l.starts_with("z,nothing,7,")),
        "{tables}"
    );
    // Its rows move too (counted and verified).
    let mut tgt = c.create_db("ztgt", "UTF8");
    copy_schema(c, "zsrc", "ztgt");
    let err = run_ok(&[
        "copy",
        "--from",
        &su,
        "--to",
        &c.url("ztgt"),
        "--log-file",
        log.to_str().unwrap(),
        "--verify",
    ]);
    assert!(err.contains("z.nothing: done, 7 rows"), "{err}");
    let n: i64 = tgt
        .query_one("SELECT count(*) FROM z.nothing", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 7);
    let w: String = tgt
        .query_one("SELECT w FROM z.\"Wörter\"", &[])
        .unwrap()
        .get(0);
    assert_eq!(w, "ä");
}

/// A copy run again with another reading (a scan with `--assume auto` after a plain copy
/// stopped on cp1252 bytes, as the error advises) copies again the tables the earlier run
/// finished in the old reading: keeping them would leave their UTF-8 text double-encoded
/// while the other tables take the new reading. Read the same way again, they stay done.
#[test]
fn a_table_finished_in_another_reading_is_copied_again() {
    let c = cluster();
    let mut src = c.create_db("rereadsrc", "LATIN1");
    src.batch_execute(
        "CREATE TABLE \"clé\" (k text PRIMARY KEY);
         CREATE TABLE quotes (id int PRIMARY KEY, v text);
         CREATE TABLE plain (id int PRIMARY KEY, v text);
         INSERT INTO plain VALUES (1, 'abc');",
    )
    .unwrap();
    // "café" written by a UTF-8 client (bytes C3 A9), and smart quotes from a Windows one.
    insert_raw(
        &mut src,
        "quotes",
        "v",
        "LATIN1",
        &[(1, Some(b"\x93hi\x94"))],
    );
    src.execute(
        "INSERT INTO \"clé\" VALUES (convert_from('\\x636166c3a9'::bytea, 'LATIN1'))",
        &[],
    )
    .unwrap();
    let mut tgt = c.create_db("rereadtgt", "UTF8");
    copy_schema(c, "rereadsrc", "rereadtgt");
    let (su, tu) = (c.url("rereadsrc"), c.url("rereadtgt"));
    let log = tmp("reread.log");
    let base = [
        "copy",
        "--from",
        &su,
        "--to",
        &tu,
        "--log-file",
        log.to_str().unwrap(),
    ];
    // Read as LATIN1: quotes fails on 0x93, the other two finish ("cafÃ©").
    let o = charmig(&base);
    assert!(!o.status.success(), "{}", stderr(&o));
    let key: String = tgt.query_one("SELECT k FROM \"clé\"", &[]).unwrap().get(0);
    assert_eq!(key, "cafÃ©");
    let scan = tmp("reread-scan");
    let o = charmig(&[
        "scan",
        "--db",
        &su,
        "--assume",
        "auto",
        "--out",
        scan.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let scan_json = scan.join("scan.json");
    let mut again = base.to_vec();
    again.extend(["--scan", scan_json.to_str().unwrap()]);
    let err = run_ok(&again);
    assert!(
        err.contains("public.\"clé\": copied again, though an earlier run finished it: this run reads columns otherwise"),
        "{err}"
    );
    // plain's text is ASCII, but nothing proves the earlier run read only that: copied again
    // too (a copy costs time, a kept wrong value costs data). Its number column is no reason.
    assert!(
        err.contains("public.plain: copied again") && err.contains("(v=auto; then: v=LATIN1)"),
        "{err}"
    );
    let key: String = tgt.query_one("SELECT k FROM \"clé\"", &[]).unwrap().get(0);
    assert_eq!(key, "café");
    let v: String = tgt.query_one("SELECT v FROM quotes", &[]).unwrap().get(0);
    assert_eq!(v, "“hi”");
    // The same reading again: nothing to copy.
    let err = run_ok(&again);
    assert!(
        err.contains("0 tables copied") && err.contains("3 already done"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&scan);
}

/// A table copied again in a new reading takes the tables linked to it by foreign keys along
/// (emptied together): emptied alone it went through a DELETE, and ON DELETE CASCADE emptied
/// the finished child, logged done. A catch-up refuses to merge rows in another reading than
/// the copy's.
#[test]
fn a_table_copied_again_takes_its_linked_tables_and_catch_up_keeps_the_reading() {
    let c = cluster();
    let mut src = c.create_db("relinksrc", "LATIN1");
    src.batch_execute(
        "CREATE TABLE parent (id int PRIMARY KEY, name text, ts timestamptz DEFAULT '2020-01-01');
         CREATE TABLE child (id int PRIMARY KEY, pid int REFERENCES parent ON DELETE CASCADE, qty int);
         INSERT INTO parent (id, name) VALUES (1, convert_from('\\x636166c3a9'::bytea, 'LATIN1'));
         INSERT INTO child SELECT g, 1, g FROM generate_series(1, 3) g;",
    )
    .unwrap();
    let tgt = c.create_db("relinktgt", "UTF8");
    drop(tgt);
    let (su, tu) = (c.url("relinksrc"), c.url("relinktgt"));
    let (code, out) = common::pg::run_all(&["schema", "--from", &su, "--to", &tu]);
    assert_eq!(code, 0, "{out}");
    let log = tmp("relink.log");
    let base = [
        "copy",
        "--from",
        &su,
        "--to",
        &tu,
        "--log-file",
        log.to_str().unwrap(),
    ];
    run_ok(&base);
    let mut tgt = c.admin("relinktgt");
    let fks: i64 = tgt
        .query_one(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(fks, 1, "the schema's after-copy added the key");
    let mut auto = base.to_vec();
    auto.extend(["--assume", "auto"]);
    let err = run_ok(&auto);
    assert!(
        err.contains("public.child: copied again, though an earlier run finished it: it references a table copied again"),
        "{err}"
    );
    let (name, children): (String, i64) = {
        let r = tgt
            .query_one(
                "SELECT (SELECT name FROM parent WHERE id = 1), (SELECT count(*) FROM child)",
                &[],
            )
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!((name.as_str(), children), ("café", 3));
    // A catch-up without the copy's reading is refused; with it, it merges.
    src.batch_execute("UPDATE parent SET ts = '2030-01-01'")
        .unwrap();
    let mut catch = base.to_vec();
    catch.extend(["--catch-up", "--since", "2029-01-01", "--column", "ts"]);
    let o = common::pg::charmig(&catch);
    let err = common::pg::stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(
        err.contains("this run reads columns otherwise than the earlier run did")
            && err.contains("give --catch-up the --scan or --assume the copy used"),
        "{err}"
    );
    let name: String = tgt
        .query_one("SELECT name FROM parent WHERE id = 1", &[])
        .unwrap()
        .get(0);
    assert_eq!(name, "café", "nothing merged in the other reading");
    catch.extend(["--assume", "auto"]);
    run_ok(&catch);
    // The parent alone (its child left out of the run): refused, the child keeps its rows.
    let mut alone = auto.clone();
    alone.extend(["--table", "parent", "--restart"]);
    let o = common::pg::charmig(&alone);
    let err = common::pg::stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(
        err.contains("cannot be emptied")
            && err.contains("child (child_pid_fkey, ON DELETE CASCADE)"),
        "{err}"
    );
    let children: i64 = tgt
        .query_one("SELECT count(*) FROM child", &[])
        .unwrap()
        .get(0);
    assert_eq!(children, 3);
    // Only the child to copy again: its parent keeps its rows and stays done.
    run_ok(&auto);
    tgt.batch_execute(
        "UPDATE charmig.charmig_copy_log SET state = 'failed' WHERE table_name = 'child'",
    )
    .unwrap();
    let err = run_ok(&auto);
    assert!(
        err.contains("1 tables copied") || err.contains("1 table copied"),
        "{err}"
    );
    assert!(!err.contains("public.parent: copied again"), "{err}");
    assert!(err.contains("1 already done"), "{err}");
}

/// A catch-up cannot give a merged row the source's value of a GENERATED ALWAYS identity
/// column that is not the key (an UPDATE cannot set it): refused, saying how; one that is the
/// key merges.
#[test]
fn catch_up_refuses_an_always_identity_column_outside_the_key() {
    let c = cluster();
    let mut src = c.create_db("identcatchsrc", "LATIN1");
    src.batch_execute(
        "CREATE TABLE ia (k text PRIMARY KEY, id int GENERATED ALWAYS AS IDENTITY, ts timestamptz DEFAULT '2020-01-01');
         CREATE TABLE ib (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text, ts timestamptz DEFAULT '2020-01-01');
         INSERT INTO ia (k) VALUES ('a'), ('b'); INSERT INTO ib (v) VALUES ('x'), ('y');",
    )
    .unwrap();
    drop(c.create_db("identcatchtgt", "UTF8"));
    copy_schema(c, "identcatchsrc", "identcatchtgt");
    let (su, tu) = (c.url("identcatchsrc"), c.url("identcatchtgt"));
    let log = tmp("identcatch.log");
    let base = [
        "copy",
        "--from",
        &su,
        "--to",
        &tu,
        "--log-file",
        log.to_str().unwrap(),
    ];
    run_ok(&base);
    src.batch_execute(
        "UPDATE ia SET ts = '2030-01-01'; UPDATE ib SET v = 'z', ts = '2030-01-01' WHERE id = 2;",
    )
    .unwrap();
    let mut catch = base.to_vec();
    catch.extend(["--catch-up", "--since", "2029-01-01", "--column", "ts"]);
    let o = charmig(&catch);
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(
        err.contains("column id of public.ia is GENERATED ALWAYS AS IDENTITY and not its key"),
        "{err}"
    );
    let v: String = c
        .admin("identcatchtgt")
        .query_one("SELECT v FROM ib WHERE id = 2", &[])
        .unwrap()
        .get(0);
    assert_eq!(v, "z", "the keyed identity table merged");
}

/// `--since` is an instant (the copy log prints `…Z`); a `timestamp without time zone` column
/// holds wall-clock times of the database's zone. West of UTC the changed rows were skipped,
/// with exit 0.
#[test]
fn catch_up_reads_a_timestamp_column_in_the_databases_time_zone() {
    let c = cluster();
    let mut src = c.create_db("tzcatchsrc", "LATIN1");
    src.batch_execute(
        "ALTER DATABASE tzcatchsrc SET timezone = 'America/New_York';
         CREATE TABLE kunden (id int PRIMARY KEY, name text, upd timestamp DEFAULT '2020-01-01');
         INSERT INTO kunden (id, name) SELECT g, 'k' || g FROM generate_series(1, 20) g;",
    )
    .unwrap();
    drop(c.create_db("tzcatchtgt", "UTF8"));
    copy_schema(c, "tzcatchsrc", "tzcatchtgt");
    let (su, tu) = (c.url("tzcatchsrc"), c.url("tzcatchtgt"));
    let log = tmp("tzcatch.log");
    let base = [
        "copy",
        "--from",
        &su,
        "--to",
        &tu,
        "--log-file",
        log.to_str().unwrap(),
    ];
    run_ok(&base);
    let since: String = src
        .query_one(
            "SELECT to_char(now() AT TIME ZONE 'UTC' - interval '1 minute', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
            &[],
        )
        .unwrap()
        .get(0);
    // A new session of the database: its wall clock is New York's.
    let mut app = c.admin("tzcatchsrc");
    app.batch_execute("UPDATE kunden SET name = 'geaendert', upd = now() WHERE id <= 10")
        .unwrap();
    let mut catch = base.to_vec();
    catch.extend(["--catch-up", "--since", &since, "--column", "upd"]);
    run_ok(&catch);
    let changed: i64 = c
        .admin("tzcatchtgt")
        .query_one("SELECT count(*) FROM kunden WHERE name = 'geaendert'", &[])
        .unwrap()
        .get(0);
    assert_eq!(changed, 10);
}
