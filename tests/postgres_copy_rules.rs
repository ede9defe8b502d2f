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
