//! Mapping tests over recorded Oracle dictionary rows (`tests/fixtures/oracle_dict/`): rows
//! -> catalog -> problem-object report, exactly the code path a live database takes after its
//! queries return. A further test checks that the fixtures have the columns the real queries
//! select, so the fixtures cannot drift from the statements.

use charmig::catalog::{ColumnKind, ConstraintKind, Semantics};
use charmig::charset::Dialect;
use charmig::objects::{ObjectReport, Severity};
use charmig::source::oracle::dictionary::{self, DictRows, Mapped, Row};
use charmig::source::oracle::objects;
use charmig::source::oracle::sql::{self, Family, Maintained, Scope};
use std::path::Path;

fn rows(name: &str) -> Vec<Row> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/oracle_dict")
        .join(format!("{name}.csv"));
    dictionary::rows_from_csv(std::fs::File::open(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn mapped() -> Mapped {
    let info = dictionary::source_info(
        &rows("nls"),
        "19.0.0.0.0",
        dictionary::max_string_size_from(Some("STANDARD"), None),
    )
    .unwrap();
    // The same loader reads a snapshot's dictionary/ directory.
    let all = DictRows::load_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oracle_dict"),
    )
    .unwrap();
    assert_eq!(all.tables.len(), rows("tables").len());
    dictionary::map_catalog(info, &all, false).unwrap()
}

#[test]
fn tables_columns_and_what_is_left_out() {
    let m = mapped();
    let c = &m.catalog;
    assert_eq!(c.source.charset, "WE8ISO8859P15");
    assert_eq!(c.source.nchar_charset.as_deref(), Some("AL16UTF16"));
    let names: Vec<String> = c.tables.iter().map(|t| t.qualified()).collect();
    assert_eq!(
        names,
        [
            "HR.DEPARTMENTS",
            "HR.EMPLOYEES",
            "SALES.LEGACY_DOCS",
            "SALES.ORDERS",
            "SALES.ORDER_LINES",
            "sales.order notes"
        ]
    );
    let skipped: Vec<(String, &str)> = m
        .skipped
        .iter()
        .map(|l| (l.object(), l.reason.split(':').next().unwrap()))
        .collect();
    let want = [
        (
            "HR.BIN$nK8Xq1ZvTb+gU0IBAAqJdQ==$0",
            "recycle-bin table (BIN$, DROPPED = YES)",
        ),
        ("HR.EMP_EXT", "external table"),
        ("HR.SESSION_TMP", "global temporary table"),
        ("SALES.SYS_IOT_OVER_74213", "IOT overflow segment"),
        ("SALES.ORDER_ITEMS_NT", "nested-table storage"),
        ("SALES.ADDRESS_OBJTAB", "object table (TABLE OF a type)"),
        ("SALES.MONTHLY_TOTALS_MV", "materialized view container"),
        ("HR.EMPLOYEES.NAME_UPPER", "virtual column"),
    ];
    assert_eq!(skipped, want.map(|(o, r)| (o.to_string(), r)));
    // XDB is Oracle-maintained: gone without a trace in the catalog.
    assert!(
        !c.tables.iter().any(|t| t.owner == "XDB") && !c.indexes.iter().any(|i| i.owner == "XDB")
    );

    let emp = &c.tables[1];
    assert_eq!(emp.num_rows, Some(107));
    let cols: Vec<(&str, u32)> = emp
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.column_id))
        .collect();
    assert_eq!(
        cols,
        [
            ("EMPLOYEE_ID", 1),
            ("FIRST_NAME", 2),
            ("LAST_NAME", 3),
            ("EMAIL", 4),
            ("DEPARTMENT_ID", 5),
            ("NICKNAME", 7),
            ("HIRE_DATE", 8)
        ]
    );
    assert_eq!(emp.columns[3].semantics, Some(Semantics::Char));
    assert_eq!(emp.columns[1].semantics, Some(Semantics::Byte));
    assert!(!emp.columns[2].nullable && emp.columns[1].nullable);
    assert_eq!(emp.columns[5].kind(Dialect::Oracle), ColumnKind::National);
    let docs = &c.tables[2];
    assert_eq!(
        docs.columns
            .iter()
            .map(|c| c.kind(Dialect::Oracle))
            .collect::<Vec<_>>(),
        [ColumnKind::Other, ColumnKind::Clob, ColumnKind::Long]
    );
    let notes = &c.tables[5];
    assert_eq!(notes.columns[1].name, "Note Text");
    assert_eq!(notes.columns[1].data_length, Some(4000));
}

#[test]
fn constraints_indexes_triggers_sequences() {
    let c = mapped().catalog;
    let fk = c
        .constraints
        .iter()
        .find(|k| k.name == "EMP_DEPT_FK")
        .unwrap();
    assert_eq!(
        (fk.kind, fk.enabled, fk.validated),
        (ConstraintKind::Foreign, true, false)
    );
    assert_eq!(
        (fk.ref_table.as_deref(), fk.ref_columns.clone()),
        (Some("DEPARTMENTS"), vec!["DEPARTMENT_ID".to_string()])
    );
    assert_eq!(fk.columns, ["DEPARTMENT_ID"]);
    let uk = c
        .constraints
        .iter()
        .find(|k| k.name == "EMP_EMAIL_UK")
        .unwrap();
    assert!(!uk.enabled && uk.kind == ConstraintKind::Unique);

    let ix = |n: &str| c.indexes.iter().find(|i| i.name == n).unwrap();
    assert_eq!(
        ix("EMP_EMP_ID_PK").constraint.as_deref(),
        Some("EMP_EMP_ID_PK")
    );
    // A unique key enforced by a wider, non-unique index: found through INDEX_NAME, not columns.
    assert_eq!(
        ix("DEPT_NAME_CODE_IX").constraint.as_deref(),
        Some("DEPT_NAME_UK")
    );
    assert_eq!(ix("DEPT_NAME_CODE_IX").columns, ["DEPARTMENT_NAME", "CODE"]);
    assert_eq!(ix("EMP_NAME_UPPER_IX").columns, ["UPPER(\"LAST_NAME\")"]);
    assert_eq!(ix("EMP_NAME_UPPER_IX").constraint, None);
    assert_eq!(ix("LINES_PART_IX").status, "N/A (2 partitions UNUSABLE)");
    assert_eq!(ix("ORDERS_PK").stale_stats, Some(true));
    assert_eq!(ix("DEPT_ID_PK").last_analyzed, None);

    let logon = c.triggers.iter().find(|t| t.name == "LOGON_AUDIT").unwrap();
    assert_eq!((logon.enabled, logon.table.as_str()), (false, ""));
    assert_eq!(
        logon.definition.as_deref(),
        Some("AFTER EVENT LOGON SCHEMA")
    );

    let seq = c.sequences.iter().find(|s| s.name == "ORDERS_SEQ").unwrap();
    assert_eq!(
        (seq.last_value, seq.increment, seq.max_value),
        (Some(5001), 10, Some(9_999_999_999_999_999_999_999_999_999))
    );
    assert_eq!(c.objects.len(), 2);
}

fn report() -> (ObjectReport, Vec<String>) {
    let m = mapped();
    let mut sent = Vec::new();
    let orphans = objects::count_orphans(&m.catalog, &mut |q: &str| -> Result<u64, String> {
        sent.push(q.to_string());
        Ok(3)
    });
    let mut r = ObjectReport::new("oracle test", "DBA_");
    objects::build(
        &mut r,
        &m,
        &rows("errors"),
        &orphans,
        30,
        "2026-10-23T00:00:00Z",
    );
    (r, sent)
}

fn section<'a>(r: &'a ObjectReport, id: &str) -> Vec<&'a str> {
    r.sections
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no section {id}"))
        .rows
        .iter()
        .map(|row| row[0].as_str())
        .collect()
}

#[test]
fn problem_object_report_over_recorded_rows() {
    let (r, sent) = report();
    // Only the enabled, NOT VALIDATED foreign key is counted; the disabled one is not.
    assert_eq!(
        sent,
        [sql::orphan_count(
            "HR",
            "EMPLOYEES",
            &["DEPARTMENT_ID".into()],
            "HR",
            "DEPARTMENTS",
            &["DEPARTMENT_ID".into()]
        )
        .unwrap()]
    );
    assert_eq!(
        section(&r, "disabled_triggers"),
        ["HR.SECURE_EMPLOYEES", "SALES.LOGON_AUDIT"]
    );
    assert_eq!(
        section(&r, "invalid_objects"),
        ["HR.EMP_DETAILS_VIEW", "SALES.PKG_BILLING"]
    );
    let pkg = &r.sections[1].rows[1];
    assert_eq!(
        pkg[3],
        "ERROR line 42, column 7: PLS-00201: identifier 'ORDERS_OLD' must be declared | ERROR line 42, column 7: PL/SQL: SQL Statement ignored"
    );
    assert_eq!(
        section(&r, "disabled_constraints"),
        ["HR.EMP_EMAIL_UK", "SALES.LINES_ORDER_FK"]
    );
    assert_eq!(
        section(&r, "not_validated_constraints"),
        ["HR.EMP_DEPT_FK", "HR.EMP_LAST_NAME_NN"]
    );
    let nv = &r
        .sections
        .iter()
        .find(|s| s.id == "not_validated_constraints")
        .unwrap()
        .rows;
    assert_eq!((nv[0][4].as_str(), nv[1][4].as_str()), ("3", "-"));
    assert_eq!(
        section(&r, "index_statistics"),
        ["HR.DEPT_ID_PK", "HR.EMP_NAME_UPPER_IX", "SALES.ORDERS_PK"]
    );
    assert_eq!(
        section(&r, "unusable_indexes"),
        ["HR.DEPT_ID_PK", "SALES.LINES_PART_IX"]
    );
    assert_eq!(
        section(&r, "byte_semantics_columns"),
        [
            "HR.DEPARTMENTS.DEPARTMENT_NAME",
            "HR.DEPARTMENTS.CODE",
            "HR.EMPLOYEES.FIRST_NAME",
            "HR.EMPLOYEES.LAST_NAME",
            "SALES.ORDERS.CUSTOMER",
            "SALES.ORDER_LINES.PRODUCT",
            "sales.order notes.Note Text",
        ]
    );
    assert_eq!(section(&r, "nchar_columns"), ["HR.EMPLOYEES.NICKNAME"]);
    assert_eq!(section(&r, "long_columns"), ["SALES.LEGACY_DOCS.HISTORY"]);
    assert_eq!(
        section(&r, "function_based_indexes_on_char"),
        ["HR.EMP_NAME_UPPER_IX", "sales.NOTES_LOWER_IX"]
    );
    assert_eq!(
        r.sections
            .iter()
            .find(|s| s.id == "function_based_indexes_on_char")
            .unwrap()
            .rows[1][3],
        "Note Text"
    );
    assert!(
        r.not_checked
            .iter()
            .any(|n| n.starts_with("HR.EMP_EXT: external table"))
    );
    assert_eq!(r.problems(), 2 + 2 + 2 + 2 + 3 + 2);
    assert_eq!(r.exit_code(), 1);
    assert!(
        r.sections
            .iter()
            .filter(|s| s.severity == Severity::Info)
            .count()
            == 4
    );
}

#[test]
fn a_failed_orphan_count_is_reported_not_fatal() {
    let m = mapped();
    let orphans = objects::count_orphans(&m.catalog, &mut |_q: &str| -> Result<u64, String> {
        Err("ORA-01031: insufficient privileges".into())
    });
    let mut r = ObjectReport::new("oracle test", "ALL_");
    objects::build(&mut r, &m, &[], &orphans, 30, "2026-10-23T00:00:00Z");
    let nv = &r
        .sections
        .iter()
        .find(|s| s.id == "not_validated_constraints")
        .unwrap()
        .rows;
    assert_eq!(nv[0][4], "not counted: ORA-01031: insufficient privileges");
}

#[test]
fn fixtures_have_exactly_the_columns_the_queries_select() {
    let s = Scope {
        family: Family::Dba,
        schemas: vec![],
        maintained: Maintained::ByFlag,
        version: (19, 0),
    };
    let mut cases = sql::dictionary_queries(&s);
    cases.push(("nls", sql::nls_parameters()));
    let mut samples: Vec<(String, sql::Stmt)> = sql::dictionary_queries(&s)
        .into_iter()
        .map(|(n, q)| (format!("../oracle_samples/dictionary/{n}"), q))
        .collect();
    let cases: Vec<(String, sql::Stmt)> =
        cases.into_iter().map(|(n, q)| (n.to_string(), q)).collect();
    samples.extend(cases);
    for (file, stmt) in samples {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/oracle_dict")
            .join(format!("{file}.csv"));
        let text = std::fs::read_to_string(&path).unwrap();
        let header: Vec<String> = text
            .lines()
            .next()
            .unwrap()
            .split(',')
            .map(str::to_string)
            .collect();
        assert_eq!(
            header,
            sql::column_names(&stmt.sql),
            "{file}.csv header vs the query's select list"
        );
    }
}

#[test]
fn offline_report_from_a_snapshot_dictionary() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("snapshot.json"), r#"{"format":"charmig-snapshot/1","source":{"dialect":"oracle","version":"19.0.0.0.0","charset":"WE8ISO8859P15","nchar_charset":"AL16UTF16","max_string_size":"STANDARD"}}"#).unwrap();
    std::fs::write(d.join("columns.csv"), "owner,table_name,column_name,column_id,data_type,data_length,char_length,char_used,nullable\n").unwrap();
    std::fs::write(
        d.join("tables.csv"),
        "owner,table_name,num_rows,data_file\n",
    )
    .unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oracle_dict");
    std::fs::create_dir(d.join("dictionary")).unwrap();
    for name in sql::DICTIONARY_FILES {
        std::fs::copy(
            fixtures.join(format!("{name}.csv")),
            d.join("dictionary").join(format!("{name}.csv")),
        )
        .unwrap();
    }
    let opts = charmig::source::db::ObjectsOptions {
        schemas: vec!["hr".into()],
        ..Default::default()
    };
    let r = objects::from_snapshot(d, &opts).unwrap();
    assert_eq!(r.dictionary, "snapshot dictionary");
    assert_eq!(section(&r, "disabled_triggers"), ["HR.SECURE_EMPLOYEES"]);
    let nv = &r
        .sections
        .iter()
        .find(|s| s.id == "not_validated_constraints")
        .unwrap()
        .rows;
    assert_eq!(nv[0][4], "not counted: counting needs the live database");
    assert_eq!(
        section(&r, "function_based_indexes_on_char"),
        ["HR.EMP_NAME_UPPER_IX"]
    );
    // Without the dictionary directory the error says how to get one.
    std::fs::remove_dir_all(d.join("dictionary")).unwrap();
    let e = objects::from_snapshot(d, &opts).unwrap_err().to_string();
    assert!(e.contains("sql/export_snapshot.sql"), "{e}");
}

/// The recorded dictionary as a source with empty tables: what a scan reports about the
/// objects the dictionary mapping left out.
struct RecordedDictionary(Mapped);

impl charmig::source::Source for RecordedDictionary {
    fn describe(&self) -> String {
        "recorded dictionary".into()
    }
    fn catalog(&self) -> &charmig::catalog::Catalog {
        &self.0.catalog
    }
    fn size_hint(&self, _table: usize) -> u64 {
        0
    }
    fn parts(
        &self,
        table: usize,
        _columns: &[usize],
    ) -> Result<Vec<charmig::source::Part>, charmig::source::SourceError> {
        Ok(vec![charmig::source::Part {
            table,
            index: 0,
            range: None,
        }])
    }
    fn read(
        &self,
        _part: &charmig::source::Part,
        _columns: &[usize],
        _emit: &mut dyn FnMut(Box<dyn charmig::source::Chunk>) -> bool,
    ) -> Result<(), charmig::source::SourceError> {
        Ok(())
    }
    fn left_out(&self) -> Vec<charmig::source::LeftOut> {
        self.0.skipped.clone()
    }
}

#[test]
fn scans_list_what_the_dictionary_left_out_within_their_scope() {
    use charmig::scan::{self, NoProgress, ScanOptions};
    let src = RecordedDictionary(mapped());
    let all = scan::run(&src, &ScanOptions::default(), &NoProgress).unwrap();
    let ext = all
        .skipped
        .iter()
        .find(|s| s.object == "HR.EMP_EXT")
        .expect("external table listed");
    assert!(ext.reason.starts_with("external table") && !ext.error);
    assert!(
        all.skipped
            .iter()
            .any(|s| s.object == "HR.EMPLOYEES.NAME_UPPER")
    );
    let sales = scan::run(
        &src,
        &ScanOptions {
            schemas: vec!["SALES".into()],
            ..ScanOptions::default()
        },
        &NoProgress,
    )
    .unwrap();
    let objects: Vec<&str> = sales.skipped.iter().map(|s| s.object.as_str()).collect();
    assert_eq!(
        objects,
        [
            "SALES.SYS_IOT_OVER_74213",
            "SALES.ORDER_ITEMS_NT",
            "SALES.ADDRESS_OBJTAB",
            "SALES.MONTHLY_TOTALS_MV"
        ]
    );
    // The LONG and CLOB columns are planned like any other (no rows here).
    assert!(
        all.columns.iter().any(|c| c.column_name == "HISTORY")
            && all.columns.iter().any(|c| c.column_name == "BODY")
    );
}
