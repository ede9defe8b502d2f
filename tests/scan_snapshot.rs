//! Integration tests of `charmig scan --snapshot`: the compiled binary runs on the fixture
//! snapshots under `tests/fixtures/snapshots/` and its `columns.csv` and `exceptions.csv` are
//! compared byte for byte with the expected files beside each fixture.
//!
//! The expected files are written by `tests/fixtures/snapshots/make_fixtures.py`, which holds
//! the hand reasoning behind every figure (they are not captured from charmig). Malformed
//! snapshots are made here, by breaking a copy of a good fixture one way at a time.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshots")
}

fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

/// One run of `charmig scan`.
struct Run {
    code: i32,
    stderr: String,
    out: tempfile::TempDir,
}

impl Run {
    fn report(&self, name: &str) -> String {
        std::fs::read_to_string(self.out.path().join(name))
            .unwrap_or_else(|e| panic!("{name} not written: {e}; stderr:\n{}", self.stderr))
    }

    /// (owner, table, column) of every row of columns.csv.
    fn scanned_columns(&self) -> Vec<String> {
        self.report("columns.csv")
            .lines()
            .skip(1)
            .map(|l| l.splitn(4, ',').take(3).collect::<Vec<_>>().join("."))
            .collect()
    }
}

fn scan(snapshot: &Path, args: &[&str]) -> Run {
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_charmig"))
        .arg("scan")
        .arg("--snapshot")
        .arg(snapshot)
        .arg("--out")
        .arg(out.path())
        .args(args)
        .output()
        .expect("run charmig");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "charmig panicked:\n{stderr}");
    Run {
        code: o.status.code().expect("exit code"),
        stderr,
        out,
    }
}

/// Compares a report with its expected file; on a difference shows the first differing line.
fn assert_same(actual: &str, expected_path: &Path) {
    let expected = std::fs::read_to_string(expected_path).unwrap();
    if actual == expected {
        return;
    }
    let (a, e): (Vec<&str>, Vec<&str>) = (actual.lines().collect(), expected.lines().collect());
    let first = (0..a.len().max(e.len()))
        .find(|&i| a.get(i) != e.get(i))
        .unwrap_or(0);
    let cut = |s: Option<&&str>| {
        s.map(|s| s.chars().take(400).collect::<String>())
            .unwrap_or_else(|| "<none>".into())
    };
    panic!(
        "{} differs at line {} ({} lines vs {} expected)\n  actual:   {}\n  expected: {}",
        expected_path.display(),
        first + 1,
        a.len(),
        e.len(),
        cut(a.get(first)),
        cut(e.get(first))
    );
}

fn assert_reports(run: &Run, expected_dir: &Path) {
    assert_same(
        &run.report("columns.csv"),
        &expected_dir.join("columns.csv"),
    );
    assert_same(
        &run.report("exceptions.csv"),
        &expected_dir.join("exceptions.csv"),
    );
}

fn check(name: &str, expected: &str, args: &[&str], code: i32) -> Run {
    let run = scan(&fixture(name), args);
    assert_eq!(
        run.code, code,
        "exit code of {name} {args:?}; stderr:\n{}",
        run.stderr
    );
    assert_reports(&run, &fixture(name).join(expected));
    run
}

// ---- figures, fixture by fixture (reasoning in make_fixtures.py) ----

#[test]
fn p15_byte_char_clob_long_char_padding_and_type_limits() {
    let run = check("p15", "expected", &[], 1);
    // NVARCHAR2 is listed as not affected, never classified.
    assert!(!run.scanned_columns().contains(&"APP.T1.N".to_string()));
    let json: serde_json::Value = serde_json::from_str(&run.report("scan.json")).unwrap();
    let na = json["not_affected"].as_array().unwrap();
    assert_eq!(na.len(), 1);
    assert_eq!(
        (na[0]["column_name"].as_str(), na[0]["data_type"].as_str()),
        (Some("N"), Some("NVARCHAR2"))
    );
    assert!(
        run.report("summary.txt").contains("APP.T1.N NVARCHAR2"),
        "summary lists the national column"
    );
    assert_eq!(json["format"], "charmig-scan/1");
}

#[test]
fn p15_results_do_not_depend_on_jobs() {
    let one = check("p15", "expected", &["--jobs", "1"], 1);
    let four = check("p15", "expected", &["--jobs", "4"], 1);
    assert_eq!(one.report("exceptions.csv"), four.report("exceptions.csv"));
}

#[test]
fn p15_char_semantics_switches_byte_columns_only() {
    check("p15", "expected-char-semantics", &["--char-semantics"], 1);
}

#[test]
fn p15_max_exceptions_cuts_the_list_not_the_counts() {
    check("p15", "expected-max1", &["--max-exceptions", "1"], 1);
    check("p15", "expected-max0", &["--max-exceptions", "0"], 1);
}

#[test]
fn p1_c1_bytes_are_lossy_and_flagged_stray() {
    check("p1", "expected", &[], 1);
}

#[test]
fn p1_assume_reads_the_data_as_another_charset() {
    check("p1", "expected-assume", &["--assume", "WE8MSWIN1252"], 1);
    check(
        "p1",
        "expected-assume-column",
        &["--assume-column", "APP.P1T.S2=WE8MSWIN1252"],
        1,
    );
    // A column that does not exist is an error, not a silent no-op.
    let run = scan(
        &fixture("p1"),
        &["--assume-column", "APP.P1T.NOPE=WE8MSWIN1252"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("APP.P1T.NOPE"), "{}", run.stderr);
    let run = scan(&fixture("p1"), &["--assume", "KLINGON8"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("KLINGON8") && run.stderr.contains("charmig charsets"),
        "{}",
        run.stderr
    );
}

#[test]
fn win1252_exactly_five_undefined_bytes() {
    check("win1252", "expected", &[], 1);
}

#[test]
fn us7ascii_every_high_byte_is_lossy() {
    check("us7ascii", "expected", &[], 1);
}

#[test]
fn al32utf8_source_invalid_sequences_cesu_surrogates_and_fffd() {
    check("al32utf8", "expected", &[], 1);
    check("al32utf8", "expected-to-utf8", &["--to", "UTF8"], 1);
}

#[test]
fn oracle_utf8_source_is_cesu8() {
    check("utf8cesu", "expected", &[], 1);
    check("utf8cesu", "expected-to-utf8", &["--to", "UTF8"], 1);
}

#[test]
fn max_string_size_extended_raises_the_varchar2_limit() {
    check("extended", "expected", &[], 1);
    // The same data declared STANDARD.
    let dir = copy_fixture("extended");
    edit(
        &dir.path().join("snapshot.json"),
        "\"EXTENDED\"",
        "\"STANDARD\"",
    );
    let run = scan(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_reports(&run, &fixture("extended").join("expected-standard"));
}

#[test]
fn postgres_latin9_snapshot() {
    check("pg_latin9", "expected", &[], 1);
}

#[test]
fn postgres_sql_ascii_needs_assume() {
    let run = scan(&fixture("pg_sqlascii"), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("SQL_ASCII") && run.stderr.contains("--assume"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("snapshot.json, line 6:"),
        "{}",
        run.stderr
    );
    check(
        "pg_sqlascii",
        "expected-assume-latin1",
        &["--assume", "LATIN1"],
        1,
    );
    check(
        "pg_sqlascii",
        "expected-assume-column",
        &["--assume", "WIN1252", "--assume-column", "public.m.a=UTF8"],
        1,
    );
    check(
        "pg_sqlascii",
        "expected-assume-auto",
        &["--assume", "auto"],
        0,
    );
}

// ---- scope filters and exit codes ----

#[test]
fn scope_filters_and_exit_zero_when_clean() {
    let all = [
        "HR.EMP.NAME",
        "SALES.ORD.NOTE",
        "SALES.ORD.CODE",
        "SALES.TMP_X.NOTE",
    ];
    let cases: &[(&[&str], &[&str])] = &[
        (&[], &all),
        (&["--schema", "HR"], &all[..1]),
        (&["--schema", "sales"], &all[1..]),
        (&["--table", "SALES.ORD"], &all[1..3]),
        (&["--table", "ord", "--table", "EMP"], &all[..3]),
        (&["--exclude", "TMP_*"], &all[..3]),
        (&["--exclude", "SALES.ORD.CODE"], &[all[0], all[1], all[3]]),
    ];
    for (args, expected) in cases {
        let run = scan(&fixture("scope"), args);
        assert_eq!(
            run.code, 0,
            "{args:?}: nothing is truncation or lossy; stderr:\n{}",
            run.stderr
        );
        assert_eq!(run.scanned_columns(), expected.to_vec(), "{args:?}");
        // Every scanned cell is one 'é' (convertible) or ASCII (changeless): no exceptions.
        assert_eq!(run.report("exceptions.csv").lines().count(), 1, "{args:?}");
    }
}

#[test]
fn a_filter_that_matches_nothing_is_an_error() {
    for args in [
        &["--schema", "NOPE"][..],
        &["--table", "NOPE"],
        &["--table", "HR.ORD"],
        &["--schema", "HR", "--table", "ORD"],
        &["--exclude", "*"],
    ] {
        let run = scan(&fixture("scope"), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("error:"), "{args:?}: {}", run.stderr);
    }
}

// ---- malformed snapshots: exit 2, the file and line named, never a panic ----

fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name.to_string_lossy().starts_with("expected") {
            continue;
        }
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(&name));
        } else {
            std::fs::copy(e.path(), to.join(&name)).unwrap();
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Breaks a copy of the p1 fixture with `damage`, scans it and checks the error: exit 2, and
/// stderr names `file` (and `line` when given) and says `what`.
fn malformed(damage: impl FnOnce(&Path), file: &str, line: Option<u64>, what: &str) -> Run {
    let dir = copy_fixture("p1");
    damage(dir.path());
    let run = scan(dir.path(), &[]);
    assert_eq!(
        run.code, 2,
        "expected an error for {file}: {what}; stderr:\n{}",
        run.stderr
    );
    let err = &run.stderr;
    assert!(err.contains(file), "stderr does not name {file}:\n{err}");
    if let Some(l) = line {
        assert!(
            err.contains(&format!("{file}, line {l}:")),
            "stderr does not name {file}, line {l}:\n{err}"
        );
    }
    assert!(err.contains(what), "stderr does not say `{what}`:\n{err}");
    run
}

const DATA: &str = "data/APP.P1T.csv";

/// A data-file error: the table is not scanned, and no partial figures of it are written.
fn malformed_data(damage: impl FnOnce(&Path), line: Option<u64>, what: &str) {
    let run = malformed(damage, DATA, line, what);
    assert_eq!(
        run.report("columns.csv").lines().count(),
        1,
        "no figures for a table that failed"
    );
    assert_eq!(run.report("exceptions.csv").lines().count(), 1);
    assert!(run.report("summary.txt").contains("NOT SCANNED"));
}

#[test]
fn missing_files() {
    let run = scan(&fixtures().join("no-such-snapshot"), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("no-such-snapshot") && run.stderr.contains("not a directory"),
        "{}",
        run.stderr
    );
    malformed(
        |d| std::fs::remove_file(d.join("snapshot.json")).unwrap(),
        "snapshot.json",
        None,
        "cannot read",
    );
    malformed(
        |d| std::fs::remove_file(d.join("columns.csv")).unwrap(),
        "columns.csv",
        None,
        "cannot open",
    );
    malformed(
        |d| std::fs::remove_file(d.join("tables.csv")).unwrap(),
        "tables.csv",
        None,
        "cannot open",
    );
    malformed_data(
        |d| std::fs::remove_file(d.join(DATA)).unwrap(),
        None,
        "cannot open data file",
    );
    malformed(
        |d| edit(&d.join("tables.csv"), DATA, ""),
        "tables.csv",
        Some(2),
        "has no data_file",
    );
}

#[test]
fn bad_snapshot_json() {
    let sj = |from: &'static str, to: &'static str| {
        move |d: &Path| edit(&d.join("snapshot.json"), from, to)
    };
    malformed(
        sj("charmig-snapshot/1", "charmig-snapshot/2"),
        "snapshot.json",
        Some(2),
        "unknown format `charmig-snapshot/2`",
    );
    malformed(
        sj("\"oracle\"", "\"db2\""),
        "snapshot.json",
        Some(4),
        "unknown source dialect `db2`",
    );
    malformed(
        sj("\"STANDARD\"", "\"HUGE\""),
        "snapshot.json",
        Some(8),
        "max_string_size `HUGE`",
    );
    malformed(
        sj("\"format\"", "\"format\" ,,"),
        "snapshot.json",
        Some(2),
        "invalid JSON",
    );
    // An unknown database charset names snapshot.json and its line, and suggests --assume.
    let run = malformed(
        sj("WE8ISO8859P1", "WE8KLINGON"),
        "snapshot.json",
        Some(6),
        "`WE8KLINGON` is not supported",
    );
    assert!(run.stderr.contains("--assume"), "{}", run.stderr);
    // ... and --assume gets past it.
    let dir = copy_fixture("p1");
    sj("WE8ISO8859P1", "WE8KLINGON")(dir.path());
    let run = scan(dir.path(), &["--assume", "WE8MSWIN1252"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_same(
        &run.report("columns.csv"),
        &fixture("p1").join("expected-assume/columns.csv"),
    );
}

#[test]
fn bad_columns_and_tables_csv() {
    let cc = |from: &'static str, to: &'static str| {
        move |d: &Path| edit(&d.join("columns.csv"), from, to)
    };
    malformed(
        cc("VARCHAR2,20,20,B,Y", "VARCHAR2,twenty,20,B,Y"),
        "columns.csv",
        Some(2),
        "data_length `twenty` is not a whole number",
    );
    malformed(
        cc("VARCHAR2,20,20,B,Y", "VARCHAR2,20,20,B"),
        "columns.csv",
        Some(2),
        "8 fields, the header has 9",
    );
    malformed(
        cc("VARCHAR2,20,20,B,Y", "VARCHAR2,20,20,X,Y"),
        "columns.csv",
        Some(2),
        "char_used `X`",
    );
    malformed(
        cc("char_length,", "char_len,"),
        "columns.csv",
        Some(1),
        "header has no `char_length` column",
    );
    malformed(
        cc("VARCHAR2,20,20,B,Y", "VARCHAR2,5000000000,20,B,Y"),
        "columns.csv",
        Some(2),
        "data_length `5000000000` is too large",
    );
    // The same column twice would be read (and counted) twice.
    malformed(
        cc("APP,P1T,S2,", "APP,P1T,S,"),
        "columns.csv",
        Some(3),
        "column APP.P1T.S is listed twice",
    );
    // A table in columns.csv but not in tables.csv would go unscanned without a word.
    malformed(
        |d| {
            let p = d.join("columns.csv");
            let text = std::fs::read_to_string(&p).unwrap() + "APP,GHOST,S,1,VARCHAR2,10,10,B,Y\n";
            std::fs::write(p, text).unwrap();
        },
        "columns.csv",
        Some(4),
        "APP.GHOST is not listed in tables.csv",
    );
    let tc = |from: &'static str, to: &'static str| {
        move |d: &Path| edit(&d.join("tables.csv"), from, to)
    };
    malformed(
        tc("APP,P1T,7,", "APP,P1T,seven,"),
        "tables.csv",
        Some(2),
        "num_rows `seven`",
    );
    malformed(
        tc("APP,P1T,", "APP,NOPE,"),
        "tables.csv",
        Some(2),
        "APP.NOPE has no columns in columns.csv",
    );
    malformed(
        tc(DATA, "../../etc/passwd"),
        "tables.csv",
        Some(2),
        "must be a relative path inside the snapshot",
    );
}

#[test]
fn bad_data_files() {
    let dc = |from: &'static str, to: &'static str| move |d: &Path| edit(&d.join(DATA), from, to);
    // Line numbers: 1 is the header, the first record is line 2.
    malformed_data(
        dc("xA4,", "xA4F,"),
        Some(2),
        "column `S`: bad hex at character 4 of `xA4F`",
    );
    malformed_data(
        dc("x8D,", "x8G,"),
        Some(5),
        "column `S`: bad hex at character 3 of `x8G`",
    );
    malformed_data(
        dc("x80,", "80,"),
        Some(3),
        "column `S`: expected empty (NULL) or `x` followed by hex, found `80`",
    );
    malformed_data(
        dc("AAAP1AAAEAAAACAAAF,,", "AAAP1AAAEAAAACAAAF,,,"),
        Some(7),
        "4 fields, the header has 3",
    );
    malformed_data(
        dc(
            "AAAP1AAAEAAAACAAAG,x706C61696E,",
            "AAAP1AAAEAAAACAAAG,x706C61696E",
        ),
        Some(8),
        "2 fields, the header has 3",
    );
    malformed_data(
        dc("ROWID,S,S2", "ROWID,S,S3"),
        Some(1),
        "column `S2` of APP.P1T is missing from the header",
    );
    malformed_data(
        dc("ROWID,S,S2", "ROWID,S,S2,S"),
        Some(1),
        "column `S` appears twice in the header",
    );
    malformed_data(
        dc("ROWID,S,S2", "ID,S,S2"),
        Some(1),
        "header must start with `ROWID`",
    );
    malformed_data(
        |d| std::fs::write(d.join(DATA), "").unwrap(),
        Some(1),
        "empty data file",
    );
}

#[test]
fn a_failed_table_does_not_hide_the_others() {
    // scope has three tables; break one: the others keep their figures, the exit code is 2.
    let dir = copy_fixture("scope");
    edit(&dir.path().join("data/SALES.ORD.csv"), "xE9,", "xE,");
    let run = scan(dir.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.scanned_columns(), ["HR.EMP.NAME", "SALES.TMP_X.NOTE"]);
    assert!(
        run.stderr.contains("SALES.ORD") && run.stderr.contains("SALES.ORD.csv, line 2:"),
        "{}",
        run.stderr
    );
}

// ---- export round trip ----

#[test]
fn export_round_trip_gives_identical_figures() {
    use charmig::scan::{NoProgress, ScanOptions, run};
    use charmig::source::Source;
    use charmig::source::export::export_snapshot;
    use charmig::source::snapshot::SnapshotSource;
    for name in ["demo", "p15", "pg_latin9"] {
        let dir = if name == "demo" {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/snapshot")
        } else {
            fixture(name)
        };
        let original = SnapshotSource::open(&dir).unwrap();
        let out = tempfile::tempdir().unwrap();
        let rows = export_snapshot(&original, &ScanOptions::default(), out.path()).unwrap();
        assert_eq!(rows.len(), original.catalog().tables.len());
        let copy = SnapshotSource::open(out.path()).unwrap();
        let opts = ScanOptions::default();
        let a = run(&original, &opts, &NoProgress).unwrap();
        let b = run(&copy, &opts, &NoProgress).unwrap();
        let csv = |r: &charmig::scan::ScanResult| {
            let (mut c, mut e) = (Vec::new(), Vec::new());
            charmig::report::write_columns_csv(r, &mut c).unwrap();
            charmig::report::write_exceptions_csv(r, &mut e).unwrap();
            (String::from_utf8(c).unwrap(), String::from_utf8(e).unwrap())
        };
        assert_eq!(
            csv(&a),
            csv(&b),
            "{name}: the exported snapshot scans differently"
        );
        assert!(
            !a.exceptions.is_empty(),
            "{name}: the comparison covers exceptions"
        );
        assert_eq!(a.not_affected.len(), b.not_affected.len());
        assert_eq!(a.source.charset, b.source.charset);
    }
}

// ---- the bundled demo ----

#[test]
fn demo_scan_is_pinned() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/snapshot");
    let run = scan(&demo, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let columns = run.report("columns.csv");
    let row = |col: &str| -> String {
        columns
            .lines()
            .find(|l| l.starts_with(col))
            .unwrap_or_else(|| panic!("no {col} in columns.csv"))
            .split(',')
            .take(11)
            .collect::<Vec<_>>()
            .join(",")
    };
    // Reasoned from tools/make_demo.py (the first eleven columns):
    // SALES.PRODUCTS.NAME VARCHAR2(12 BYTE), ten names three times: Tarte, Soda, Water are
    // ASCII (9 changeless); "Crème brûlée" is 12 bytes -> 15 (3 truncation); the other six
    // names fit (18 convertible); the largest non-lossy value is 15 bytes.
    assert_eq!(
        row("SALES,PRODUCTS,NAME,"),
        "SALES,PRODUCTS,NAME,VARCHAR2,30,0,9,18,3,0,15"
    );
    // DESCRIPTION: one NULL per ten (3); "\x93Best in town\x94" lossy (3); "×", "€" and the
    // pasted UTF-8 "café" convertible (9; the longest is 34 stored bytes -> 36); 15 ASCII.
    assert_eq!(
        row("SALES,PRODUCTS,DESCRIPTION,"),
        "SALES,PRODUCTS,DESCRIPTION,VARCHAR2,30,3,15,9,0,3,36"
    );
    // UNIT CHAR(4 BYTE): "ÄÖÜß" (8 bytes) and "ÉTÉ " (5 bytes without the blank) overflow
    // (6); the eight other units are ASCII, padded (24 changeless); max 8.
    assert_eq!(
        row("SALES,PRODUCTS,UNIT,"),
        "SALES,PRODUCTS,UNIT,CHAR,30,0,24,0,6,0,8"
    );
    // SALES."order notes"."Note" VARCHAR2(60 CHAR): seven texts twice; None (2 NULL), "OK"
    // (2 changeless), five accented (10 convertible); the longest, "Entregar en la dirección
    // de facturación, añadir nota", 52 characters with 3 accents -> 55 bytes.
    assert_eq!(
        row("SALES,order notes,Note,"),
        "SALES,order notes,Note,VARCHAR2,14,2,2,10,0,0,55"
    );
    // HR.EMPLOYEES.NOTES CLOB, 240 rows: i % 7 == 0 gives 35 notes, two of which (i = 98, 168)
    // are overwritten by the lossy cp1252 ones; i % 31 == 5 (8 rows) and i % 53 == 9 (5 rows)
    // are lossy (13); 35 - 2 = 33 convertible; 240 - 33 - 13 = 194 NULL. The longest note is
    // three repetitions of a 65-byte sentence holding ç, ñ, ü: 3 * (65 + 3) = 204.
    assert_eq!(
        row("HR,EMPLOYEES,NOTES,"),
        "HR,EMPLOYEES,NOTES,CLOB,240,194,0,33,0,13,204"
    );
    // NICKNAME is NVARCHAR2: not classified.
    assert!(!columns.contains("NICKNAME"));
    // The whole report, reviewed against the rows above, is pinned as a golden file.
    assert_same(
        &columns,
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/snapshots/demo/expected/columns.csv"),
    );
    assert_same(
        &run.report("exceptions.csv"),
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/snapshots/demo/expected/exceptions.csv"),
    );
}

// ---- reading: line numbers, CRLF, blocks, options ----

#[test]
fn line_numbers_count_newlines_inside_quoted_rowids() {
    // p15's fifth record has the ROWID "ROW\nTWO" (lines 6-7): the seventh record is line 9.
    let dir = copy_fixture("p15");
    edit(&dir.path().join("data/APP.T1.csv"), "xC4D6DCDF", "xC4D6DCD");
    let run = scan(dir.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("APP.T1.csv, line 9: column `C`: bad hex"),
        "{}",
        run.stderr
    );
    // APP.T2 is still reported; nothing of APP.T1 is.
    assert_eq!(
        run.scanned_columns(),
        ["APP.T2.LG", "APP.T2.VE", "APP.T2.CE"]
    );
}

#[test]
fn crlf_snapshots_read_the_same() {
    let dir = copy_fixture("p1");
    for f in ["columns.csv", "tables.csv", DATA] {
        let p = dir.path().join(f);
        let text = std::fs::read_to_string(&p).unwrap().replace('\n', "\r\n");
        std::fs::write(p, text).unwrap();
    }
    let run = scan(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_reports(&run, &fixture("p1").join("expected"));
}

/// A data file of several 1 MiB read blocks, one record larger than a block, and an error
/// far down: counts stay exact across chunk boundaries and the error names the right line.
#[test]
fn large_data_file_across_read_blocks() {
    let dir = copy_fixture("p1");
    edit(
        &dir.path().join("columns.csv"),
        "S2,2,VARCHAR2,20,20,B,Y",
        "S2,2,CLOB,4000,,,Y",
    );
    let rows = 60_000usize;
    let big = 700_000usize; // 'a' * 700000: 1.4 MB of hex in one record.
    let mut data = String::from("ROWID,S,S2\n");
    for i in 0..rows {
        // S: é on every third row (convertible), "ab" otherwise (changeless).
        let s = if i % 3 == 0 { "xE9" } else { "x6162" };
        let s2 = if i == 30_000 {
            format!("x{}", "61".repeat(big))
        } else {
            String::new()
        };
        data.push_str(&format!("R{i:07},{s},{s2}\n"));
    }
    std::fs::write(dir.path().join(DATA), &data).unwrap();
    let run = scan(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<String> = run
        .report("columns.csv")
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(11).collect::<Vec<_>>().join(","))
        .collect();
    // 60000 rows: rows 0, 3, … 59997 are é (20000 convertible, 2 bytes), 40000 changeless.
    // S2, made a CLOB: one 700000-byte ASCII value (no limit), 59999 NULLs.
    assert_eq!(
        lines,
        [
            "APP,P1T,S,VARCHAR2,60000,0,40000,20000,0,0,2",
            "APP,P1T,S2,CLOB,60000,59999,1,0,0,0,700000",
        ]
    );
    // Break record 45001 (0-based; line 45003).
    assert!(data.contains("R0045001,x6162,"));
    let data = data.replace("R0045001,x6162,", "R0045001,x616,");
    std::fs::write(dir.path().join(DATA), &data).unwrap();
    let run = scan(dir.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("APP.P1T.csv, line 45003: column `S`: bad hex"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_options_are_errors() {
    // `UTF-8` would silently mean Oracle's CESU-8 `UTF8`: refused.
    for args in [
        &["--to", "UTF-8"][..],
        &["--to", "UTF16"],
        &["--jobs", "0"],
        &["--assume-column", "S=LATIN1"],
    ] {
        let run = scan(&fixture("p1"), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    }
    let run = scan(&fixture("p1"), &["--to", "al32utf8"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

/// Many exceptions spread over several read blocks: `--max-exceptions` keeps the first ones
/// in file order whatever `--jobs` is, and the counts stay exact.
#[test]
fn exception_cut_is_by_file_order_whatever_the_jobs() {
    let dir = copy_fixture("p1");
    let rows = 100_000usize;
    let mut data = String::from("ROWID,S,S2\n");
    for i in 0..rows {
        // Every 7th row: é * 11 = 22 bytes > VARCHAR2(20 BYTE): truncation. Else ASCII.
        let s = if i % 7 == 0 {
            format!("x{}", "E9".repeat(11))
        } else {
            "x6162".to_string()
        };
        data.push_str(&format!("R{i:07},{s},\n"));
    }
    std::fs::write(dir.path().join(DATA), &data).unwrap();
    let truncations = rows.div_ceil(7); // rows 0, 7, … 99995: 14286
    let mut reports = Vec::new();
    for jobs in ["1", "3"] {
        let run = scan(dir.path(), &["--jobs", jobs, "--max-exceptions", "5"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let cols = run.report("columns.csv");
        let s = cols
            .lines()
            .nth(1)
            .unwrap()
            .split(',')
            .take(11)
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(
            s,
            format!(
                "APP,P1T,S,VARCHAR2,{rows},0,{},0,{truncations},0,22",
                rows - truncations
            )
        );
        let rowids: Vec<String> = run
            .report("exceptions.csv")
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(3).unwrap().to_string())
            .collect();
        assert_eq!(
            rowids,
            ["R0000000", "R0000007", "R0000014", "R0000021", "R0000028"],
            "--jobs {jobs}"
        );
        reports.push((cols, run.report("exceptions.csv")));
    }
    assert_eq!(reports[0], reports[1]);
}

/// The other ISO-8859 charsets treat C1 bytes as ISO-8859-1 does (CSSCAN reports them lossy).
/// p1's bytes decode alike in ISO-8859-2 (A0 and A4 are U+00A0, U+00A4 there too), so the
/// figures are p1's with the charset renamed.
#[test]
fn other_iso8859_charsets_treat_c1_as_undefined() {
    let dir = copy_fixture("p1");
    edit(
        &dir.path().join("snapshot.json"),
        "WE8ISO8859P1",
        "EE8ISO8859P2",
    );
    let run = scan(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for f in ["columns.csv", "exceptions.csv"] {
        let expected = std::fs::read_to_string(fixture("p1").join("expected").join(f)).unwrap();
        assert_eq!(
            run.report(f),
            expected.replace("WE8ISO8859P1", "EE8ISO8859P2"),
            "{f}"
        );
    }
}
