//! Scans of a mixed-origin LATIN1 database, the normal state of a legacy database: some tables
//! written by Windows clients (cp1252 bytes such as 0x92 for ’ and 0x80 for €), others by a
//! web application that sent UTF-8 bytes through a LATIN1 connection (C3 A9 for é, and ł, š,
//! ß, which LATIN1 cannot hold), quoted CamelCase names, a composite key, a table without key.
//! Every expected figure is counted by hand from the rows inserted below.

mod common;

use charmig::scan::{ColumnResult, NoProgress, ScanOptions, ScanResult};
use charmig::source::db::ConnectOptions;
use charmig::source::postgres::PgSource;
use common::pg::{self, charmig, cluster, stderr};
use std::path::PathBuf;
use std::sync::OnceLock;

const DB: &str = "mixed_latin1";

/// Rows of `"WinNotes"` ("Region", "No", "Body"): cp1252-origin text.
const WIN_NOTES: &[(&[u8], i32, &[u8])] = &[
    (b"Nord", 1, b"It\x92s done"),  // ’ : stray cp1252
    (b"Nord", 2, b"\x80 12"),       // € : stray cp1252
    (b"S\xfcd", 1, b"caf\xe9"),     // é : plain LATIN1
    (b"S\xfcd", 2, b"plain"),       // ASCII
    (b"West", 1, b"bad \x81 byte"), // 0x81: undefined even in cp1252
];

/// Rows of web_users (id, "FullName"): UTF-8 bytes sent through a LATIN1 connection.
const WEB_USERS: &[(i32, &[u8])] = &[
    (1, b"Jos\xc3\xa9"),   // José
    (2, b"\xc5\x81ukasz"), // Łukasz (ł cannot be LATIN1)
    (3, b"Ko\xc5\xa1ice"), // Košice
    (4, b"Stra\xc3\x9fe"), // Straße
    (5, b"Smith"),         // ASCII
];

/// Rows of log_lines (no key): both origins and plain LATIN1, one row each.
const LOG_LINES: &[&[u8]] = &[b"\xc3\xa9t\xc3\xa9", b"\x93quoted\x94", b"na\xefve", b"ok"];

pub fn fixtures() -> &'static pg::Cluster {
    static DONE: OnceLock<()> = OnceLock::new();
    let c = cluster();
    DONE.get_or_init(|| {
        let mut db = c.create_db(DB, "LATIN1");
        db.batch_execute(
            r#"CREATE TABLE "WinNotes" ("Region" varchar(10), "No" int, "Body" text,
                   PRIMARY KEY ("Region", "No"));
               CREATE TABLE web_users (id int PRIMARY KEY, "FullName" varchar(40));
               CREATE TABLE log_lines (line text);
               CREATE SCHEMA charmig;
               CREATE TABLE charmig.charmig_repaired (v text);
               CREATE TABLE public.charmig_copy_log ("table" text);"#,
        )
        .unwrap();
        // charmig's own tables hold what would be findings: never scanned all the same.
        for t in ["charmig.charmig_repaired (v)", "public.charmig_copy_log (\"table\")"] {
            db.execute(
                &format!("INSERT INTO {t} VALUES (convert_from($1, 'LATIN1'))"),
                &[&b"\x81\xc3\xa9".to_vec()],
            )
            .unwrap();
        }
        for (region, no, body) in WIN_NOTES {
            db.execute(
                r#"INSERT INTO "WinNotes" VALUES (convert_from($1, 'LATIN1'), $2, convert_from($3, 'LATIN1'))"#,
                &[&region.to_vec(), no, &body.to_vec()],
            )
            .unwrap();
        }
        for (id, name) in WEB_USERS {
            db.execute(
                "INSERT INTO web_users VALUES ($1, convert_from($2, 'LATIN1'))",
                &[id, &name.to_vec()],
            )
            .unwrap();
        }
        for line in LOG_LINES {
            db.execute(
                "INSERT INTO log_lines VALUES (convert_from($1, 'LATIN1'))",
                &[&line.to_vec()],
            )
            .unwrap();
        }
        // A UTF8 database after a bad move: double-encoded text and U+FFFD.
        let mut utf8 = c.create_db("after_move_utf8", "UTF8");
        utf8.batch_execute(
            r#"CREATE TABLE "Kunden" ("Nr" int PRIMARY KEY, "Name" text);
               INSERT INTO "Kunden" VALUES (1, 'Müller'), (2, 'MÃ¼ller'), (3, 'Stra�e'), (4, 'plain'),
                                           (5, 'SÃO PAULO');
               CREATE TABLE notes (body varchar(30));
               INSERT INTO notes VALUES ('cafÃ© â€“ itâ€™s'), ('Łódź'), (NULL);"#,
        )
        .unwrap();
        let mut long = c.create_db("long_names_latin9", "LATIN9");
        // 'a' x 61 + 'Zé': 63 bytes in LATIN9, 64 in UTF-8.
        long.batch_execute(&format!(
            "CREATE TABLE t (id int PRIMARY KEY, \"{}Zé\" text, \"{}\" text)",
            "a".repeat(61),
            "b".repeat(63)
        ))
        .unwrap();
        // A table without character columns: its own long name and its constraint's count too.
        long.batch_execute(&format!(
            "CREATE TABLE \"{}Zé\" (id int, CONSTRAINT \"{}Zè\" UNIQUE (id))",
            "n".repeat(61),
            "u".repeat(61)
        ))
        .unwrap();
        // 40 é: its key "é…é_pkey" cut to fit would be the table's own cut name.
        long.batch_execute(&format!(
            "CREATE TABLE \"{e}\" (id int CONSTRAINT \"{e}_pkey\" PRIMARY KEY)",
            e = "é".repeat(40)
        ))
        .unwrap();
    });
    c
}

pub fn connect() -> PgSource {
    let opts = ConnectOptions {
        url: fixtures().url(DB),
        jobs: 2,
        ..ConnectOptions::default()
    };
    PgSource::connect(&opts).unwrap_or_else(|e| panic!("connect to {DB}: {e}"))
}

pub fn scan(opts: ScanOptions) -> ScanResult {
    charmig::scan::run(&connect(), &opts, &NoProgress).expect("scan")
}

pub fn col<'a>(r: &'a ScanResult, table: &str, column: &str) -> &'a ColumnResult {
    r.columns
        .iter()
        .find(|c| c.table_name == table && c.column_name == column)
        .unwrap_or_else(|| panic!("no column {table}.{column}"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("charmig-mixed-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn identity_is_recorded_in_scan_json_and_snapshot() {
    let c = fixtures();
    let expected: String = c
        .admin(DB)
        .query_one(
            "SELECT system_identifier::text FROM pg_control_system()",
            &[],
        )
        .unwrap()
        .get(0);
    let r = scan(ScanOptions::default());
    let id = r.source.identity.clone().expect("identity read");
    assert_eq!(
        (id.system_id.as_str(), id.database.as_str()),
        (expected.as_str(), DB)
    );

    let (out, snap, offline) = (tmp("id-scan"), tmp("id-snap"), tmp("id-offline"));
    let o = charmig(&[
        "scan",
        "--db",
        &c.url(DB),
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("scan.json")).unwrap()).unwrap();
    assert_eq!(json["source"]["identity"]["system_id"], expected.as_str());
    assert_eq!(json["source"]["identity"]["database"], DB);

    let o = charmig(&[
        "snapshot",
        "--db",
        &c.url(DB),
        "--out",
        &snap.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(snap.join("snapshot.json")).unwrap())
            .unwrap();
    assert_eq!(meta["source"]["identity"]["system_id"], expected.as_str());
    let tables = std::fs::read_to_string(snap.join("tables.csv")).unwrap();
    assert!(
        tables.contains("WinNotes") && !tables.contains("charmig_"),
        "charmig's own tables are never exported: {tables}"
    );
    assert!(
        stderr(&o).contains("(charmig's own 2 tables left out)"),
        "{}",
        stderr(&o)
    );
    let o = charmig(&[
        "scan",
        "--snapshot",
        &snap.display().to_string(),
        "--out",
        &offline.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(offline.join("scan.json")).unwrap()).unwrap();
    assert_eq!(json["source"]["identity"]["database"], DB);
    for d in [out, snap, offline] {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// (changeless, convertible, truncation, lossy)
fn counts(c: &ColumnResult) -> (u64, u64, u64, u64) {
    (
        c.counts.changeless,
        c.counts.convertible,
        c.counts.truncation,
        c.counts.lossy,
    )
}

fn listed(r: &ScanResult, table: &str) -> Vec<(String, String, String)> {
    r.exceptions
        .iter()
        .filter(|e| e.table_name == table)
        .map(|e| (e.column_name.clone(), e.reason.clone(), e.preview.clone()))
        .collect()
}

#[test]
fn plain_reading_lists_every_passthrough_cell_as_a_finding() {
    let r = scan(ScanOptions::default());
    assert_eq!(r.exit_code(), 1);
    let body = col(&r, "WinNotes", "Body");
    assert_eq!(counts(body), (1, 1, 0, 3));
    assert_eq!(body.flags.stray_cp1252, 2);
    assert_eq!(body.findings, 0);
    let region = col(&r, "WinNotes", "Region");
    assert_eq!(counts(region), (3, 2, 0, 0));
    let name = col(&r, "web_users", "FullName");
    // Ł (C5 81) and ß (C3 9F) hold a C1 byte: lossy in LATIN1, and pass-through all the same.
    assert_eq!(counts(name), (1, 2, 0, 2));
    assert_eq!((name.flags.utf8_passthrough, name.findings), (4, 4));
    assert_eq!(
        listed(&r, "web_users"),
        vec![
            ("FullName".into(), "utf8_passthrough".into(), "José".into()),
            (
                "FullName".into(),
                "utf8_passthrough".into(),
                "Łukasz".into()
            ),
            (
                "FullName".into(),
                "utf8_passthrough".into(),
                "Košice".into()
            ),
            (
                "FullName".into(),
                "utf8_passthrough".into(),
                "Straße".into()
            ),
        ]
    );
    let e = r
        .exceptions
        .iter()
        .find(|e| e.table_name == "web_users" && e.rowid == "4")
        .unwrap();
    assert_eq!(e.hex, "53747261C39F65");
    assert!(
        e.detail.contains("StraÃ\\u{009F}e") || e.detail.contains("StraÃ"),
        "{}",
        e.detail
    );
    assert!(
        e.detail.contains("public.web_users.FullName=auto"),
        "{}",
        e.detail
    );
    let line = col(&r, "log_lines", "line");
    assert_eq!(counts(line), (1, 2, 0, 1));
    assert_eq!((line.flags.utf8_passthrough, line.findings), (1, 1));
    let mut reasons: Vec<String> = listed(&r, "log_lines").into_iter().map(|x| x.1).collect();
    reasons.sort();
    assert_eq!(reasons, ["invalid_representation", "utf8_passthrough"]);
    assert_eq!(r.findings(), 5);
}

#[test]
fn auto_reading_takes_utf8_values_as_utf8_and_the_rest_as_latin1_with_cp1252() {
    let r = scan(ScanOptions {
        assume: Some(charmig::scan::Assume::Auto),
        ..ScanOptions::default()
    });
    let body = col(&r, "WinNotes", "Body");
    assert_eq!(
        (body.source_charset.as_str(), body.auto_base.as_deref()),
        ("auto", Some("LATIN1"))
    );
    // 0x92 and 0x80 read as cp1252; 0x81 has no meaning in cp1252 either: still lossy.
    assert_eq!(counts(body), (1, 3, 0, 1));
    assert_eq!(
        (
            body.flags.auto_utf8,
            body.flags.auto_win1252,
            body.flags.stray_cp1252
        ),
        (0, 4, 2)
    );
    let name = col(&r, "web_users", "FullName");
    assert_eq!(counts(name), (5, 0, 0, 0));
    assert_eq!(
        (name.flags.auto_utf8, name.flags.auto_win1252, name.findings),
        (4, 0, 0)
    );
    let line = col(&r, "log_lines", "line");
    assert_eq!(counts(line), (2, 2, 0, 0));
    assert_eq!((line.flags.auto_utf8, line.flags.auto_win1252), (1, 2));
    assert_eq!(r.findings(), 0);
    assert_eq!(r.exit_code(), 1, "the 0x81 cell stays lossy");
    let lossy = listed(&r, "WinNotes");
    assert_eq!(lossy.len(), 1);
    assert_eq!(lossy[0].1, "invalid_representation");

    // The reading travels: scan.json's column gives back the same decoder.
    let reading = charmig::scan::column_reading(&r, "public", "log_lines", "line").unwrap();
    assert_eq!(reading.decode(b"\xc3\xa9t\xc3\xa9").unwrap(), "été");
    assert_eq!(reading.decode(b"\x93quoted\x94").unwrap(), "“quoted”");
    assert_eq!(reading.decode(b"na\xefve").unwrap(), "naïve");
    assert!(charmig::scan::column_reading(&r, "public", "log_lines", "nope").is_err());
}

#[test]
fn auto_per_column_with_patterns() {
    let r = scan(ScanOptions {
        assume_columns: vec![
            ("public.web_*.*".into(), charmig::scan::Assume::Auto),
            ("PUBLIC.log_lines.LINE".into(), charmig::scan::Assume::Auto),
        ],
        ..ScanOptions::default()
    });
    assert_eq!(col(&r, "web_users", "FullName").source_charset, "auto");
    assert!(col(&r, "web_users", "FullName").assumed);
    assert_eq!(col(&r, "log_lines", "line").source_charset, "auto");
    assert_eq!(col(&r, "WinNotes", "Body").source_charset, "LATIN1");
    assert_eq!(r.findings(), 0);
    // A pattern that matches no column is an error naming the flag.
    let e = charmig::scan::run(
        &connect(),
        &ScanOptions {
            assume_columns: vec![("public.nosuch*.*".into(), charmig::scan::Assume::Auto)],
            ..ScanOptions::default()
        },
        &NoProgress,
    )
    .err()
    .unwrap()
    .to_string();
    assert!(e.starts_with("--assume-column public.nosuch*.*"), "{e}");
}

#[test]
fn bogus_assume_is_blamed_on_the_flag() {
    for (assume, cols, want) in [
        (Some("BOGUS"), vec![], "--assume BOGUS: no such charset"),
        (
            Some("SQL_ASCII"),
            vec![],
            "--assume SQL_ASCII: SQL_ASCII says nothing",
        ),
        (
            None,
            vec![("public.web_users.FullName".to_string(), "NOPE")],
            "--assume-column public.web_users.FullName=NOPE: no such charset",
        ),
    ] {
        let e = charmig::scan::run(
            &connect(),
            &ScanOptions {
                assume: assume.map(charmig::scan::Assume::parse),
                assume_columns: cols
                    .into_iter()
                    .map(|(k, v)| (k, charmig::scan::Assume::parse(v)))
                    .collect(),
                ..ScanOptions::default()
            },
            &NoProgress,
        )
        .err()
        .unwrap()
        .to_string();
        assert!(e.starts_with(want), "{e}");
    }
}

fn report(dir: &std::path::Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn reports_count_passthrough_in_the_headline_and_show_the_auto_command() {
    let c = fixtures();
    let out = tmp("reports-plain");
    let o = charmig(&[
        "scan",
        "--db",
        &c.url(DB),
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let summary = report(&out, "summary.txt");
    let headline = summary.lines().nth(3).unwrap();
    assert_eq!(
        headline,
        "Needs action before the move: 6 lossy cells, 5 pass-through UTF-8 cells (would be double-encoded)."
    );
    assert!(!summary.contains("converts as it is"), "{summary}");
    assert!(
        summary.contains("`auto` is the right reading here"),
        "{summary}"
    );
    let cmd = format!(
        "charmig scan --db {} --assume auto --out charmig-report-auto",
        c.url(DB).replace(&format!(":{}@", pg::PASSWORD), "@")
    );
    assert!(
        summary.contains("charmig scan --db ")
            && summary.contains("--assume auto --out charmig-report-auto"),
        "{summary}\n{cmd}"
    );
    // The words of PostgreSQL, plurals.
    assert!(summary.contains("Target charset     : UTF8\n"), "{summary}");
    assert!(
        !summary.contains("MAX_STRING_SIZE") && !summary.contains("AL32UTF8"),
        "{summary}"
    );
    assert!(
        summary.contains("charmig's own      : never scanned (2 tables here"),
        "{summary}"
    );
    let html = report(&out, "report.html");
    assert!(html.contains("5 pass-through UTF-8 cells"), "html headline");
    assert!(!html.contains("converts as it is"));
    let exceptions = report(&out, "exceptions.csv");
    let reasons: Vec<String> = csv::Reader::from_reader(exceptions.as_bytes())
        .records()
        .map(|r| r.unwrap()[5].to_string())
        .collect();
    assert_eq!(
        reasons.iter().filter(|r| *r == "utf8_passthrough").count(),
        5,
        "{exceptions}"
    );
    assert!(!exceptions.contains("charmig_"), "own tables never listed");
    let columns = report(&out, "columns.csv");
    assert!(!columns.contains("charmig_"), "own tables never scanned");
    let header: Vec<&str> = columns.lines().next().unwrap().split(',').collect();
    let line = columns
        .lines()
        .find(|l| l.starts_with("public,web_users,FullName,"))
        .unwrap();
    let field = |name: &str| {
        line.split(',')
            .nth(header.iter().position(|h| *h == name).unwrap())
            .unwrap()
    };
    assert_eq!((field("utf8_passthrough"), field("findings")), ("4", "4"));

    // One table: singular words.
    let one = tmp("reports-one");
    let o = charmig(&[
        "scan",
        "--db",
        &c.url(DB),
        "--table",
        "log_lines",
        "--out",
        &one.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let summary = report(&one, "summary.txt");
    assert!(
        summary.contains("Tables scanned     : 1 (4 rows,"),
        "{summary}"
    );
    assert!(
        summary.contains("1 pass-through UTF-8 cell (would"),
        "{summary}"
    );

    // auto: the decisions per column, and nothing pass-through any more.
    let auto = tmp("reports-auto");
    let o = charmig(&[
        "scan",
        "--db",
        &c.url(DB),
        "--assume",
        "auto",
        "--exclude",
        "WinNotes",
        "--out",
        &auto.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = report(&auto, "summary.txt");
    assert!(
        summary.contains("Nothing needs action: the data converts as it is."),
        "{summary}"
    );
    assert!(
        summary
            .contains("auto over LATIN1: 1 as UTF-8, 2 as LATIN1 (1 with Windows-1252 C1 bytes)"),
        "{summary}"
    );
    assert!(summary.contains("auto: read as LATIN1"), "{summary}");
    assert!(
        !summary.contains("is the right reading here"),
        "an auto scan does not advise an auto scan: {summary}"
    );
    let html = report(&auto, "report.html");
    assert!(
        html.contains("auto: read as UTF-8: 4"),
        "per-column decisions in the html"
    );
    for d in [out, one, auto] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn names_that_outgrow_63_bytes_in_utf8_are_called_out() {
    let c = fixtures();
    let out = tmp("long-names");
    let o = charmig(&[
        "scan",
        "--db",
        &c.url("long_names_latin9"),
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&report(&out, "scan.json")).unwrap();
    let names = json["long_names"].as_array().unwrap();
    let listed: Vec<(&str, &str)> = names
        .iter()
        .map(|n| (n["kind"].as_str().unwrap(), n["name"].as_str().unwrap()))
        .collect();
    let (table, unique) = (
        format!("{}Zé", "n".repeat(61)),
        format!("{}Zè", "u".repeat(61)),
    );
    assert!(
        listed.contains(&("table", table.as_str()))
            && listed.contains(&("constraint", unique.as_str()))
            && listed.contains(&("index", unique.as_str())),
        "a table without text columns is checked too: {listed:?}"
    );
    // Each suggested rename is free in its namespace: the key's differs from its table's,
    // and the key's index (one name with it) gets the key's.
    let e = "é".repeat(40);
    let rename = |kind: &str, name: &str| -> String {
        names
            .iter()
            .find(|n| n["kind"] == kind && n["name"] == name)
            .unwrap_or_else(|| panic!("{kind} {name}: {names:?}"))["rename_to"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let pkey = format!("{e}_pkey");
    assert_eq!(rename("table", &e), "é".repeat(31));
    assert_eq!(rename("constraint", &pkey), format!("{}_2", "é".repeat(30)));
    assert_eq!(rename("index", &pkey), rename("constraint", &pkey));
    let names: Vec<&serde_json::Value> = names
        .iter()
        .filter(|n| {
            n["name"] != table.as_str()
                && n["name"] != unique.as_str()
                && n["name"] != e.as_str()
                && n["name"] != pkey.as_str()
        })
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    let long = format!("{}Zé", "a".repeat(61));
    assert_eq!(names[0]["name"], long.as_str());
    assert_eq!(
        (
            names[0]["source_bytes"].as_u64(),
            names[0]["utf8_bytes"].as_u64()
        ),
        (Some(63), Some(64))
    );
    assert_eq!(
        names[0]["rename_to"],
        format!("{}Z", "a".repeat(61)).as_str()
    );
    let summary = report(&out, "summary.txt");
    assert!(
        summary.contains("Names too long for the target once in UTF-8 (limit 63 bytes)"),
        "{summary}"
    );
    assert!(
        summary.contains("7 names too long for PostgreSQL once in UTF-8"),
        "{summary}"
    );
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn a_utf8_database_is_checked_for_double_encoded_text_and_fffd() {
    let opts = ConnectOptions {
        url: fixtures().url("after_move_utf8"),
        jobs: 1,
        ..ConnectOptions::default()
    };
    let src = PgSource::connect(&opts).unwrap();
    let r = charmig::scan::run(&src, &ScanOptions::default(), &NoProgress).unwrap();
    let name = col(&r, "Kunden", "Name");
    // MÃ¼ller is Müller encoded twice; SÃO PAULO is ordinary Portuguese.
    assert_eq!(
        (
            name.flags.double_encoded,
            name.flags.replacement_char,
            name.findings
        ),
        (1, 1, 2)
    );
    assert_eq!(counts(name), (5, 0, 0, 0));
    let body = col(&r, "notes", "body");
    assert_eq!((body.flags.double_encoded, body.findings), (1, 1));
    assert_eq!(r.exit_code(), 1);
    let listed: Vec<(String, String, String)> = r
        .exceptions
        .iter()
        .map(|e| (e.rowid.clone(), e.reason.clone(), e.detail.clone()))
        .collect();
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert_eq!(
        (listed[0].0.as_str(), listed[0].1.as_str()),
        ("2", "double_encoded")
    );
    assert!(
        listed[0].2.ends_with("undone it reads \"Müller\""),
        "{}",
        listed[0].2
    );
    assert_eq!(
        (listed[1].0.as_str(), listed[1].1.as_str()),
        ("3", "replacement_char")
    );
    assert_eq!(listed[2].1, "double_encoded");
    assert!(
        listed[2].2.ends_with("undone it reads \"café – it’s\""),
        "{}",
        listed[2].2
    );
    // The detector is public, for verify's target check.
    assert!(charmig::charset::double_encoded("MÃ¼ller".as_bytes()));
    // `auto` makes no sense on a UTF-8 source: refused, naming why.
    let e = charmig::scan::run(
        &src,
        &ScanOptions {
            assume: Some(charmig::scan::Assume::Auto),
            ..ScanOptions::default()
        },
        &NoProgress,
    )
    .err()
    .unwrap()
    .to_string();
    assert!(e.contains("nothing to guess"), "{e}");
}

/// Columns of types the scan does not classify (arrays, json) may hold UTF-8 or cp1252 bytes:
/// the summary no longer says the data converts as it is, and says how the copy reads them.
#[test]
fn columns_the_scan_cannot_classify_are_said_in_the_headline() {
    let c = cluster();
    let mut db = c.create_db("mixed_unclassified", "LATIN1");
    db.batch_execute(
        "CREATE TABLE tags (id int PRIMARY KEY, tags text[], meta json);
         INSERT INTO tags VALUES (1, ARRAY[convert_from('\\xc3a9', 'LATIN1')], '{\"k\": 1}');",
    )
    .unwrap();
    let out = tmp("unclassified");
    let o = charmig(&[
        "scan",
        "--db",
        &c.url("mixed_unclassified"),
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = report(&out, "summary.txt");
    assert!(
        summary.contains("Nothing needs action in the columns scanned; 2 columns that may hold text were not scanned"),
        "{summary}"
    );
    assert!(summary.contains("--assume auto"), "{summary}");
    assert!(!summary.contains("the data converts as it is"), "{summary}");
    let _ = std::fs::remove_dir_all(out);
}
