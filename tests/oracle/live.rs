//! Live tests against a real Oracle database (see tests/oracle/README.md). Each builds its
//! data from hex with `UTL_RAW.CAST_TO_VARCHAR2`, which stores the bytes unconverted, scans
//! it live, and compares with an offline scan of a snapshot written from the same bytes.
//! Without CHARMIG_ORACLE_URL each test reports itself skipped by name and passes.

use charmig::objects::ObjectReport;
use charmig::scan::{self, NoProgress, ScanOptions, ScanResult};
use charmig::source::Source;
use charmig::source::db::{self, ConnectOptions, DbSource, ObjectsOptions};
use charmig::source::oracle::connect;
use charmig::source::snapshot::SnapshotSource;
use oracle::sql_type::{OracleType, ToSql};
use std::io::Write;
use std::path::Path;

pub(crate) struct Live {
    pub(crate) conn: oracle::Connection,
    pub(crate) opts: ConnectOptions,
    pub(crate) user: String,
    pub(crate) charset: String,
    major: i32,
}

/// Says, past cargo's output capture, that a test did not run and why.
pub(crate) fn skipped_pub(name: &str, why: &str) {
    skipped(name, why)
}

fn skipped(name: &str, why: &str) {
    // One write, straight to the process's stderr: visible even when cargo captures output.
    let _ = std::io::stderr()
        .lock()
        .write_all(format!("SKIPPED ({why}): {name}\n").as_bytes());
}

pub(crate) fn live(name: &str) -> Option<Live> {
    let url = match std::env::var("CHARMIG_ORACLE_URL") {
        Ok(u) if !u.trim().is_empty() => u,
        _ => {
            skipped(name, "CHARMIG_ORACLE_URL not set");
            return None;
        }
    };
    let external = std::env::var_os("CHARMIG_ORACLE_EXTERNAL_AUTH").is_some();
    let spec = connect::parse(&url, external).expect("CHARMIG_ORACLE_URL");
    let password = std::env::var("CHARMIG_PASSWORD").unwrap_or_default();
    let mut c = oracle::Connector::new(
        spec.user.clone().unwrap_or_default(),
        password,
        spec.connect_string.clone(),
    );
    c.external_auth(spec.external_auth);
    let conn = c
        .connect()
        .unwrap_or_else(|e| panic!("connecting to {}: {e}", spec.describe()));
    let user: String = conn.query_row_as("SELECT USER FROM dual", &[]).unwrap();
    let charset: String = conn
        .query_row_as(
            "SELECT value FROM nls_database_parameters WHERE parameter = 'NLS_CHARACTERSET'",
            &[],
        )
        .unwrap();
    let major = conn.server_version().unwrap().0.major();
    Some(Live {
        conn,
        opts: ConnectOptions {
            url,
            external_auth: external,
            jobs: 3,
            interactive: false,
        },
        user,
        charset,
        major,
    })
}

impl Live {
    pub(crate) fn exec(&self, sql: &str) {
        self.conn
            .execute(sql, &[])
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    pub(crate) fn drop_table(&self, name: &str) {
        self.exec(&format!(
            "BEGIN EXECUTE IMMEDIATE 'DROP TABLE \"{name}\" CASCADE CONSTRAINTS PURGE'; \
             EXCEPTION WHEN OTHERS THEN IF SQLCODE <> -942 THEN RAISE; END IF; END;"
        ));
    }
    pub(crate) fn single_byte(&self) -> bool {
        charmig::charset::resolve(&self.charset, charmig::charset::Dialect::Oracle)
            .is_some_and(|c| c.is_single_byte())
    }
    /// Inserts one row; each value is hex (stored unconverted) or None (NULL). Values longer
    /// than 2000 bytes are cut into RAW-sized pieces and concatenated in SQL.
    fn insert(&self, table: &str, columns: &[&str], values: &[Option<String>]) {
        let mut exprs = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        for v in values {
            match v {
                None => exprs.push("NULL".to_string()),
                Some(hex) => {
                    let parts: Vec<String> = hex
                        .as_bytes()
                        .chunks(4000)
                        .map(|c| {
                            binds.push(String::from_utf8(c.to_vec()).unwrap());
                            format!("UTL_RAW.CAST_TO_VARCHAR2(HEXTORAW(:{}))", binds.len())
                        })
                        .collect();
                    exprs.push(parts.join(" || "));
                }
            }
        }
        let cols: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
        let sql = format!(
            "INSERT INTO \"{table}\" ({}) VALUES ({})",
            cols.join(", "),
            exprs.join(", ")
        );
        let vt = OracleType::Varchar2(4000);
        let typed: Vec<(&String, &OracleType)> = binds.iter().map(|b| (b, &vt)).collect();
        let params: Vec<&dyn ToSql> = typed.iter().map(|t| t as &dyn ToSql).collect();
        self.conn
            .execute(&sql, &params)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    pub(crate) fn commit(&self) {
        self.conn.commit().unwrap();
    }
    fn source(&self) -> Box<dyn DbSource> {
        db::open(&self.opts).unwrap_or_else(|e| panic!("charmig connecting: {e}"))
    }
    fn scan_opts(&self, table: &str, jobs: usize) -> ScanOptions {
        ScanOptions {
            schemas: vec![self.user.clone()],
            tables: vec![table.to_string()],
            jobs,
            ..ScanOptions::default()
        }
    }
}

/// Writes a snapshot holding `rows` (hex per scanned column, in catalog order) for `table` of
/// the live catalog, and scans it.
fn offline_scan(
    src: &dyn Source,
    owner: &str,
    table: &str,
    rows: &[Vec<Option<String>>],
    opts: &ScanOptions,
    dir: &Path,
) -> ScanResult {
    let cat = src.catalog();
    let t = cat
        .tables
        .iter()
        .find(|t| t.owner == owner && t.name == table)
        .expect("table in the live catalog");
    let s = &cat.source;
    let mss = if s.max_string_size == charmig::catalog::MaxStringSize::Extended {
        "EXTENDED"
    } else {
        "STANDARD"
    };
    std::fs::write(dir.join("snapshot.json"), format!(
        "{{\"format\":\"charmig-snapshot/1\",\"source\":{{\"dialect\":\"oracle\",\"version\":\"{}\",\"charset\":\"{}\",\"nchar_charset\":\"{}\",\"max_string_size\":\"{mss}\"}}}}",
        s.version, s.charset, s.nchar_charset.clone().unwrap_or_default()
    )).unwrap();
    let mut cols = String::from(
        "owner,table_name,column_name,column_id,data_type,data_length,char_length,char_used,nullable\n",
    );
    let scanned: Vec<&charmig::catalog::Column> = t
        .columns
        .iter()
        .filter(|c| c.kind(s.dialect).is_scanned())
        .collect();
    for c in &t.columns {
        let used = match c.semantics {
            Some(charmig::catalog::Semantics::Byte) => "B",
            Some(_) => "C",
            None => "",
        };
        cols.push_str(&format!(
            "{owner},{table},{},{},{},{},{},{used},Y\n",
            c.name,
            c.column_id,
            c.data_type,
            c.data_length.map(|v| v.to_string()).unwrap_or_default(),
            c.char_length.map(|v| v.to_string()).unwrap_or_default()
        ));
    }
    std::fs::write(dir.join("columns.csv"), cols).unwrap();
    std::fs::write(
        dir.join("tables.csv"),
        format!("owner,table_name,num_rows,data_file\n{owner},{table},,data.csv\n"),
    )
    .unwrap();
    let mut data = format!(
        "ROWID,{}\n",
        scanned
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(",")
    );
    for (i, r) in rows.iter().enumerate() {
        data.push_str(&format!("R{i}"));
        for v in r {
            data.push(',');
            if let Some(h) = v {
                data.push('x');
                data.push_str(h);
            }
        }
        data.push('\n');
    }
    std::fs::write(dir.join("data.csv"), data).unwrap();
    scan::run(&SnapshotSource::open(dir).unwrap(), opts, &NoProgress).unwrap()
}

fn assert_same_figures(live: &ScanResult, offline: &ScanResult) {
    assert!(
        live.skipped.iter().all(|s| !s.error),
        "live scan errors: {:?}",
        live.skipped
    );
    assert_eq!(live.columns.len(), offline.columns.len());
    for (a, b) in live.columns.iter().zip(&offline.columns) {
        assert_eq!(a.column_name, b.column_name);
        assert_eq!(
            (a.rows, a.nulls, &a.counts, a.max_post_bytes),
            (b.rows, b.nulls, &b.counts, b.max_post_bytes),
            "column {}",
            a.column_name
        );
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// The basic dataset: V VARCHAR2(20 BYTE), L VARCHAR2(4000 BYTE), K CHAR(10 BYTE).
fn basic_rows() -> Vec<Vec<Option<String>>> {
    let mut long = vec![b'A'; 2999];
    long.push(0xE9); // the byte that matters sits past the first 2000-byte window
    vec![
        vec![Some(hex(b"abc")), None, Some(hex(b"k         "))],
        vec![Some("E9".into()), Some(hex(&long)), None],
        vec![
            Some("80".into()),
            None,
            Some(hex(b"\xE9\xE9\xE9\xE9\xE9\xE9    ")),
        ],
        vec![None, None, None],
        vec![
            Some("E9".repeat(20)),
            Some(hex(&[0xE9; 1500])),
            Some(hex(b"ok        ")),
        ],
    ]
}

fn create_basic(l: &Live, table: &str) {
    l.drop_table(table);
    l.exec(&format!("CREATE TABLE \"{table}\" (ID NUMBER, V VARCHAR2(20 BYTE), L VARCHAR2(4000 BYTE), K CHAR(10 BYTE))"));
    for (i, r) in basic_rows().into_iter().enumerate() {
        let mut vals = vec![Some(hex(i.to_string().as_bytes()))];
        vals.extend(r);
        // ID goes in as text; Oracle converts '0'.. to NUMBER.
        l.insert(table, &["ID", "V", "L", "K"], &vals);
    }
    l.commit();
}

#[test]
fn live_scan_matches_offline_scan_of_the_same_bytes() {
    let Some(l) = live("live_scan_matches_offline_scan_of_the_same_bytes") else {
        return;
    };
    let t = "CHARMIG_LIVE_BASIC";
    create_basic(&l, t);
    let src = l.source();
    let opts = l.scan_opts(t, 3);
    let live_result = scan::run(src.as_ref(), &opts, &NoProgress).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let offline = offline_scan(src.as_ref(), &l.user, t, &basic_rows(), &opts, dir.path());
    assert_same_figures(&live_result, &offline);
    l.drop_table(t);
}

#[test]
fn live_scan_we8iso8859p15() {
    let name = "live_scan_we8iso8859p15";
    let Some(l) = live(name) else { return };
    if l.charset != "WE8ISO8859P15" {
        skipped(
            name,
            &format!("database charset is {}, not WE8ISO8859P15", l.charset),
        );
        return;
    }
    let t = "CHARMIG_LIVE_P15";
    create_basic(&l, t);
    let r = scan::run(l.source().as_ref(), &l.scan_opts(t, 2), &NoProgress).unwrap();
    let col = |n: &str| r.columns.iter().find(|c| c.column_name == n).unwrap();
    // abc changeless, E9 convertible, 80 lossy (C1 undefined), 20 x E9 = 40 bytes > 20: truncation.
    let v = col("V");
    assert_eq!(
        (
            v.counts.changeless,
            v.counts.convertible,
            v.counts.truncation,
            v.counts.lossy,
            v.nulls
        ),
        (1, 1, 1, 1, 1)
    );
    // 2999 x 'A' + E9 is 3001 bytes after conversion: convertible, so the byte past 2000 was read.
    let lc = col("L");
    assert_eq!((lc.counts.convertible, lc.max_post_bytes), (2, Some(3001)));
    l.drop_table(t);
}

#[test]
fn live_clob_and_long_are_read_byte_exactly() {
    let name = "live_clob_and_long_are_read_byte_exactly";
    let Some(l) = live(name) else { return };
    if !l.single_byte() || l.major < 12 {
        skipped(
            name,
            &format!(
                "needs a single-byte database on 12.1+ (this one: {} on {})",
                l.charset, l.major
            ),
        );
        return;
    }
    let t = "CHARMIG_LIVE_LOBS";
    l.drop_table(t);
    l.exec(&format!("CREATE TABLE \"{t}\" (ID NUMBER, C CLOB, G LONG)"));
    let big: Vec<u8> = (0..50_000u32)
        .map(|i| {
            if i % 97 == 0 {
                0x81
            } else {
                b'a' + (i % 26) as u8
            }
        })
        .collect();
    let rows = vec![
        vec![Some(hex(b"plain")), Some(hex(&[0xE9, 0x80, 0xA4]))],
        vec![Some(hex(&big[..3000])), Some(hex(&big[..20_000]))],
        vec![None, None],
    ];
    for (i, r) in rows.iter().enumerate() {
        l.exec(&format!("INSERT INTO \"{t}\" (ID) VALUES ({i})"));
        // CLOB: appended in pieces through PL/SQL so no SQL RAW limit applies.
        if let Some(h) = &r[0] {
            for piece in h.as_bytes().chunks(4000) {
                let p = std::str::from_utf8(piece).unwrap();
                l.exec(&format!("DECLARE c CLOB; BEGIN SELECT C INTO c FROM \"{t}\" WHERE ID = {i} FOR UPDATE; \
                    IF c IS NULL THEN UPDATE \"{t}\" SET C = EMPTY_CLOB() WHERE ID = {i} RETURNING C INTO c; END IF; \
                    DBMS_LOB.WRITEAPPEND(c, {}, UTL_RAW.CAST_TO_VARCHAR2(HEXTORAW('{p}'))); END;", piece.len() / 2));
            }
        }
        if let Some(h) = &r[1] {
            let mut block = String::from("DECLARE v VARCHAR2(32767); BEGIN ");
            for piece in h.as_bytes().chunks(4000) {
                block.push_str(&format!(
                    "v := v || UTL_RAW.CAST_TO_VARCHAR2(HEXTORAW('{}')); ",
                    std::str::from_utf8(piece).unwrap()
                ));
            }
            block.push_str(&format!("UPDATE \"{t}\" SET G = v WHERE ID = {i}; END;"));
            l.exec(&block);
        }
    }
    l.commit();
    let src = l.source();
    let opts = l.scan_opts(t, 2);
    let live_result = scan::run(src.as_ref(), &opts, &NoProgress).unwrap();
    let dir = tempfile::tempdir().unwrap();
    assert_same_figures(
        &live_result,
        &offline_scan(src.as_ref(), &l.user, t, &rows, &opts, dir.path()),
    );
    l.drop_table(t);
}

#[test]
fn live_snapshot_export_scans_like_the_live_database() {
    let Some(l) = live("live_snapshot_export_scans_like_the_live_database") else {
        return;
    };
    let t = "CHARMIG_LIVE_EXPORT";
    create_basic(&l, t);
    let src = l.source();
    let opts = l.scan_opts(t, 2);
    let dir = tempfile::tempdir().unwrap();
    charmig::source::export::export_snapshot(src.as_ref(), &opts, dir.path()).unwrap();
    let from_snapshot = scan::run(
        &SnapshotSource::open(dir.path()).unwrap(),
        &opts,
        &NoProgress,
    )
    .unwrap();
    assert_same_figures(
        &scan::run(src.as_ref(), &opts, &NoProgress).unwrap(),
        &from_snapshot,
    );
    // --jobs never changes the figures.
    assert_same_figures(
        &scan::run(src.as_ref(), &l.scan_opts(t, 1), &NoProgress).unwrap(),
        &from_snapshot,
    );
    l.drop_table(t);
}

fn rows_of<'a>(r: &'a ObjectReport, id: &str) -> Vec<&'a Vec<String>> {
    r.sections
        .iter()
        .find(|s| s.id == id)
        .unwrap()
        .rows
        .iter()
        .collect()
}

#[test]
fn live_problem_objects_find_what_was_broken_on_purpose() {
    let Some(l) = live("live_problem_objects_find_what_was_broken_on_purpose") else {
        return;
    };
    let (p, c) = ("CHARMIG_LIVE_PARENT", "CHARMIG_LIVE_CHILD");
    l.drop_table(c);
    l.drop_table(p);
    l.exec(&format!("CREATE TABLE \"{p}\" (ID NUMBER PRIMARY KEY)"));
    l.exec(&format!(
        "CREATE TABLE \"{c}\" (ID NUMBER, PARENT_ID NUMBER, NOTE VARCHAR2(10 BYTE))"
    ));
    l.exec(&format!("INSERT INTO \"{p}\" VALUES (1)"));
    l.exec(&format!("INSERT INTO \"{c}\" VALUES (1, 1, 'a')"));
    l.exec(&format!("INSERT INTO \"{c}\" VALUES (2, 99, 'b')"));
    l.exec(&format!("INSERT INTO \"{c}\" VALUES (3, NULL, 'c')"));
    l.commit();
    l.exec(&format!("ALTER TABLE \"{c}\" ADD CONSTRAINT CHARMIG_LIVE_FK FOREIGN KEY (PARENT_ID) REFERENCES \"{p}\" ENABLE NOVALIDATE"));
    l.exec(&format!("CREATE OR REPLACE TRIGGER CHARMIG_LIVE_TRG BEFORE INSERT ON \"{c}\" FOR EACH ROW BEGIN NULL; END;"));
    l.exec("ALTER TRIGGER CHARMIG_LIVE_TRG DISABLE");
    let src = l.source();
    let opts = ObjectsOptions {
        schemas: vec![l.user.clone()],
        ..ObjectsOptions::default()
    };
    let r = src.problem_objects(&opts).unwrap();
    let user = &l.user;
    assert!(
        rows_of(&r, "disabled_triggers")
            .iter()
            .any(|row| row[0] == format!("{user}.CHARMIG_LIVE_TRG"))
    );
    let fk = rows_of(&r, "not_validated_constraints")
        .into_iter()
        .find(|row| row[0] == format!("{user}.CHARMIG_LIVE_FK"))
        .expect("the FK");
    assert_eq!(fk[4], "1", "one orphan (99); the NULL key is not checked");
    assert!(
        rows_of(&r, "byte_semantics_columns")
            .iter()
            .any(|row| row[0] == format!("{user}.{c}.NOTE"))
    );
    let _ = writeln!(
        std::io::stderr(),
        "problem objects read through {} views",
        r.dictionary
    );
    l.drop_table(c);
    l.drop_table(p);
}

#[test]
fn live_catalog_leaves_out_maintained_schemas() {
    let Some(l) = live("live_catalog_leaves_out_maintained_schemas") else {
        return;
    };
    let src = l.source();
    let cat = src.catalog();
    assert_eq!(cat.source.charset, l.charset);
    assert!(
        !cat.tables
            .iter()
            .any(|t| t.owner == "SYS" || t.owner == "SYSTEM" || t.owner == "XDB"),
        "maintained schemas in the catalog"
    );
    assert!(src.describe().contains(" views)"), "{}", src.describe());
}

/// `charmig copy --via dblink` into a second (AL32UTF8) database: needs
/// CHARMIG_ORACLE_TARGET_URL (a user of the same name as the source's, same CHARMIG_PASSWORD)
/// and CHARMIG_ORACLE_LINK (a database link in that user's schema pointing to the source).
#[test]
fn live_copy_via_dblink() {
    let name = "live_copy_via_dblink";
    let Some(l) = live(name) else { return };
    let (Ok(target_url), Ok(link)) = (
        std::env::var("CHARMIG_ORACLE_TARGET_URL"),
        std::env::var("CHARMIG_ORACLE_LINK"),
    ) else {
        skipped(
            name,
            "CHARMIG_ORACLE_TARGET_URL or CHARMIG_ORACLE_LINK not set",
        );
        return;
    };
    let t = "CHARMIG_LIVE_COPY";
    // Stored bytes per row; in a single-byte source é is E9, in a UTF-8 source C3A9.
    let e_acute = if l.single_byte() { "E9" } else { "C3A9" };
    let rows: Vec<Option<String>> =
        vec![Some(format!("636166{e_acute}")), Some(hex(b"plain")), None];
    l.drop_table(t);
    l.exec(&format!(
        "CREATE TABLE \"{t}\" (ID NUMBER PRIMARY KEY, V VARCHAR2(20 CHAR))"
    ));
    for (i, v) in rows.iter().enumerate() {
        l.insert(
            t,
            &["ID", "V"],
            &[Some(hex((i + 1).to_string().as_bytes())), v.clone()],
        );
    }
    l.commit();

    let spec = connect::parse(&target_url, false).expect("CHARMIG_ORACLE_TARGET_URL");
    let password = std::env::var("CHARMIG_PASSWORD").unwrap_or_default();
    let target = oracle::Connector::new(
        spec.user.clone().unwrap_or_default(),
        password,
        spec.connect_string.clone(),
    )
    .connect()
    .unwrap_or_else(|e| panic!("connecting to the target: {e}"));
    let _ = target.execute(&format!("DROP TABLE \"{t}\" PURGE"), &[]);
    target
        .execute(
            &format!("CREATE TABLE \"{t}\" (ID NUMBER PRIMARY KEY, V VARCHAR2(20 CHAR))"),
            &[],
        )
        .unwrap();

    let o = std::process::Command::new(env!("CARGO_BIN_EXE_charmig"))
        .args([
            "copy",
            "--from",
            &l.opts.url,
            "--to",
            &target_url,
            "--via",
            "dblink",
            &link,
            "--table",
            t,
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "copy: {}",
        String::from_utf8_lossy(&o.stderr)
    );

    // The target holds the source's values converted to UTF-8, row for row.
    let src_charset = charmig::charset::resolve(&l.charset, charmig::charset::Dialect::Oracle)
        .expect("source charset")
        .encoding;
    let got: Vec<(i64, Option<String>)> = target
        .query_as::<(i64, Option<String>)>(
            &format!("SELECT ID, RAWTOHEX(UTL_RAW.CAST_TO_RAW(V)) FROM \"{t}\" ORDER BY ID"),
            &[],
        )
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let want: Vec<(i64, Option<String>)> = rows
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let bytes = v.as_ref().map(|h| {
                (0..h.len())
                    .step_by(2)
                    .map(|k| u8::from_str_radix(&h[k..k + 2], 16).unwrap())
                    .collect::<Vec<u8>>()
            });
            (
                i as i64 + 1,
                bytes.map(|b| {
                    hex(&charmig::charset::convert(
                        &b,
                        &src_charset,
                        charmig::charset::Target::Al32Utf8,
                    )
                    .unwrap())
                }),
            )
        })
        .collect();
    assert_eq!(got, want);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_charmig"))
        .args(["copy", "--status", "--to", &target_url])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("done"),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
}

/// `charmig plan` + `charmig apply` on Oracle: 01 disables the trigger and drops the
/// secondary index (scripted by DBMS_METADATA), 03 brings both back; a second apply runs
/// nothing.
#[test]
fn live_plan_apply_round_trip() {
    let name = "live_plan_apply_round_trip";
    let Some(l) = live(name) else { return };
    let t = "CHARMIG_LIVE_PLAN";
    l.drop_table(t);
    l.exec(&format!(
        "CREATE TABLE \"{t}\" (ID NUMBER PRIMARY KEY, V VARCHAR2(10 BYTE))"
    ));
    l.exec(&format!("CREATE INDEX \"{t}_V\" ON \"{t}\" (UPPER(V))"));
    l.exec(&format!(
        "CREATE TRIGGER \"{t}_T\" BEFORE INSERT ON \"{t}\" FOR EACH ROW BEGIN NULL; END;"
    ));
    l.commit();
    let run = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_charmig"))
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(
            o.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let dir = std::env::temp_dir().join(format!("charmig-live-plan-{}", std::process::id()));
    let (scan_dir, plan_dir) = (dir.join("scan"), dir.join("plan"));
    let table = format!("{}.{t}", l.user);
    run(&[
        "scan",
        "--db",
        &l.opts.url,
        "--table",
        &table,
        "--out",
        scan_dir.to_str().unwrap(),
    ]);
    run(&[
        "plan",
        "--scan",
        scan_dir.join("scan.json").to_str().unwrap(),
        "--db",
        &l.opts.url,
        "--out",
        plan_dir.to_str().unwrap(),
    ]);
    let state = || -> (i64, String) {
        let idx: i64 = l
            .conn
            .query_row_as(
                &format!("SELECT COUNT(*) FROM user_indexes WHERE index_name = '{t}_V'"),
                &[],
            )
            .unwrap();
        let trg: String = l
            .conn
            .query_row_as(
                &format!("SELECT status FROM user_triggers WHERE trigger_name = '{t}_T'"),
                &[],
            )
            .unwrap();
        (idx, trg)
    };
    run(&[
        "apply",
        "--plan",
        plan_dir.to_str().unwrap(),
        "--db",
        &l.opts.url,
        "--step",
        "01_before_copy",
    ]);
    assert_eq!(state(), (0, "DISABLED".to_string()));
    run(&[
        "apply",
        "--plan",
        plan_dir.to_str().unwrap(),
        "--db",
        &l.opts.url,
        "--step",
        "03_after_copy",
    ]);
    assert_eq!(state(), (1, "ENABLED".to_string()));
    let err = run(&[
        "apply",
        "--plan",
        plan_dir.to_str().unwrap(),
        "--db",
        &l.opts.url,
        "--step",
        "01_before_copy",
        "--step",
        "03_after_copy",
    ]);
    assert!(err.contains("apply: 0 steps run"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `charmig schema` from a live source: DBMS_METADATA's real output goes through charmig's
/// splitter (a table with a BYTE column, a check, a child with a foreign key, a trigger), the
/// script holds each piece; with CHARMIG_ORACLE_TARGET_URL (an AL32UTF8 database, a user of
/// the same name, a CHARMIG user for the log) the statements run there and the column comes
/// out CHAR, the trigger and foreign key disabled until `--after-copy`.
#[test]
fn live_schema_from_dbms_metadata() {
    let name = "live_schema_from_dbms_metadata";
    let Some(l) = live(name) else { return };
    for t in ["CHARMIG_LIVE_SCH_CHILD", "CHARMIG_LIVE_SCH_PARENT"] {
        l.drop_table(t);
    }
    l.exec("CREATE TABLE CHARMIG_LIVE_SCH_PARENT (ID NUMBER PRIMARY KEY, NOM VARCHAR2(10 BYTE) CHECK (NOM <> 'x;y'))");
    l.exec("CREATE TABLE CHARMIG_LIVE_SCH_CHILD (ID NUMBER PRIMARY KEY, PID NUMBER CONSTRAINT CHARMIG_LIVE_SCH_FK REFERENCES CHARMIG_LIVE_SCH_PARENT)");
    l.exec("CREATE OR REPLACE TRIGGER CHARMIG_LIVE_SCH_TRG BEFORE INSERT ON CHARMIG_LIVE_SCH_CHILD FOR EACH ROW BEGIN NULL; END;");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_charmig"))
        .args([
            "schema",
            "--from",
            &l.opts.url,
            "--schema",
            &l.user,
            "--dry-run",
            "--exclude",
            "CHARMIG_*",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let script = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // --exclude CHARMIG_* leaves the test's own tables out: run without it for them.
    assert!(!script.contains("CHARMIG_LIVE_SCH_PARENT"));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_charmig"))
        .args([
            "schema",
            "--from",
            &l.opts.url,
            "--schema",
            &l.user,
            "--dry-run",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let script = String::from_utf8_lossy(&o.stdout);
    assert!(
        script.contains("MODIFY (\"NOM\" VARCHAR2(10 CHAR))"),
        "{script}"
    );
    assert!(
        script.contains("DISABLE CONSTRAINT \"CHARMIG_LIVE_SCH_FK\""),
        "{script}"
    );
    assert!(
        script.contains("ALTER TRIGGER") && script.contains("\"CHARMIG_LIVE_SCH_TRG\" DISABLE"),
        "{script}"
    );
    assert!(script.contains("CHECK (NOM <> 'x;y')"), "{script}");
    assert!(
        !script.contains("TABLESPACE") && !script.contains("STORAGE("),
        "{script}"
    );
    let Ok(target_url) = std::env::var("CHARMIG_ORACLE_TARGET_URL") else {
        skipped(
            name,
            "CHARMIG_ORACLE_TARGET_URL not set: the run on a target was not tried",
        );
        return;
    };
    for extra in [None, Some("--after-copy")] {
        let mut args = vec![
            "schema",
            "--from",
            &l.opts.url,
            "--schema",
            &l.user,
            "--to",
            &target_url,
        ];
        args.extend(extra);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_charmig"))
            .args(&args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}
