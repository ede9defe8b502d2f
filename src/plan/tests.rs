//! Golden tests of the plan scripts over a fixture catalog: quoted and lower-case names,
//! names needing quotes, multi-column and cross-schema foreign keys, disabled triggers, a
//! partitioned table, a function-based index, NOT NULL checks, NOT VALIDATED constraints.
//! `UPDATE_GOLDEN=1 cargo test --lib plan::` rewrites the expected files; review the diff.

use super::*;
use crate::catalog::*;
use crate::charset::Dialect;
use crate::scan::{ColumnResult, Counts, FlagCounts, Parameters, ScanResult, TableResult};

fn col(name: &str, id: u32, ty: &str, len: u32, sem: Option<Semantics>) -> Column {
    Column {
        name: name.into(),
        column_id: id,
        data_type: ty.into(),
        data_length: Some(len),
        char_length: Some(len),
        semantics: sem,
        nullable: true,
    }
}

fn table(owner: &str, name: &str, columns: Vec<Column>) -> Table {
    Table {
        owner: owner.into(),
        name: name.into(),
        num_rows: None,
        columns,
    }
}

fn cons(owner: &str, table: &str, name: &str, kind: ConstraintKind, cols: &[&str]) -> Constraint {
    Constraint {
        owner: owner.into(),
        name: name.into(),
        table: table.into(),
        kind,
        columns: cols.iter().map(|s| s.to_string()).collect(),
        ref_owner: None,
        ref_table: None,
        ref_constraint: None,
        ref_columns: Vec::new(),
        enabled: true,
        validated: true,
        definition: None,
        delete_rule: None,
    }
}

fn fk(
    owner: &str,
    table: &str,
    name: &str,
    cols: &[&str],
    r: (&str, &str, &str),
    rcols: &[&str],
) -> Constraint {
    let mut c = cons(owner, table, name, ConstraintKind::Foreign, cols);
    c.ref_owner = Some(r.0.into());
    c.ref_table = Some(r.1.into());
    c.ref_constraint = Some(r.2.into());
    c.ref_columns = rcols.iter().map(|s| s.to_string()).collect();
    c
}

fn index(
    owner: &str,
    table: &str,
    name: &str,
    cols: &[&str],
    ty: &str,
    constraint: Option<&str>,
) -> Index {
    Index {
        owner: owner.into(),
        name: name.into(),
        table_owner: owner.into(),
        table: table.into(),
        columns: cols.iter().map(|s| s.to_string()).collect(),
        unique: false,
        index_type: ty.into(),
        constraint: constraint.map(Into::into),
        status: "VALID".into(),
        partitioned: false,
        last_analyzed: None,
        stale_stats: None,
        ddl: None,
    }
}

fn trigger(owner: &str, table: &str, name: &str, enabled: bool) -> Trigger {
    Trigger {
        owner: owner.into(),
        name: name.into(),
        table_owner: owner.into(),
        table: table.into(),
        enabled,
        definition: None,
    }
}

pub(crate) fn fixture_catalog() -> Catalog {
    use Semantics::{Byte, Char};
    let source = SourceInfo {
        dialect: Dialect::Oracle,
        version: "19.0.0.0.0".into(),
        charset: "WE8ISO8859P15".into(),
        nchar_charset: Some("AL16UTF16".into()),
        max_string_size: MaxStringSize::Standard,
        identity: None,
    };
    let mut c = Catalog::with_tables(
        source,
        vec![
            table(
                "HR",
                "DEPARTMENTS",
                vec![
                    col("DEPT_ID", 1, "NUMBER", 22, None),
                    col("NAME", 2, "VARCHAR2", 30, Some(Byte)),
                ],
            ),
            table(
                "HR",
                "EMPLOYEES",
                vec![
                    col("EMP_ID", 1, "NUMBER", 22, None),
                    col("DEPT_ID", 2, "NUMBER", 22, None),
                    col("LAST_NAME", 3, "VARCHAR2", 20, Some(Byte)),
                    col("CODE", 4, "CHAR", 4, Some(Byte)),
                    col("NOTE", 5, "VARCHAR2", 2000, Some(Byte)),
                    col("NICK", 6, "NVARCHAR2", 40, Some(Char)),
                    col("TITLE", 7, "VARCHAR2", 30, Some(Char)),
                ],
            ),
            table(
                "SALES",
                "ORDERS",
                vec![
                    col("ORDER_ID", 1, "NUMBER", 22, None),
                    col("EMP_ID", 2, "NUMBER", 22, None),
                    col("REGION", 3, "VARCHAR2", 10, Some(Byte)),
                    col("order note", 4, "VARCHAR2", 50, Some(Byte)),
                ],
            ),
            table(
                "SALES",
                "ORDER_LINES",
                vec![
                    col("ORDER_ID", 1, "NUMBER", 22, None),
                    col("LINE_NO", 2, "NUMBER", 22, None),
                    col("ITEM", 3, "VARCHAR2", 40, Some(Byte)),
                ],
            ),
            table(
                "SALES",
                "SHIPMENTS",
                vec![
                    col("ORDER_ID", 1, "NUMBER", 22, None),
                    col("LINE_NO", 2, "NUMBER", 22, None),
                ],
            ),
            table(
                "app",
                "Audit Log",
                vec![
                    col("Msg", 1, "VARCHAR2", 100, Some(Byte)),
                    col("ITEM", 2, "VARCHAR2", 40, None),
                ],
            ),
        ],
    );
    let mut not_null = cons(
        "HR",
        "EMPLOYEES",
        "SYS_C0011",
        ConstraintKind::Check,
        &["LAST_NAME"],
    );
    not_null.definition = Some("\"LAST_NAME\" IS NOT NULL".into());
    let mut code_ck = cons(
        "HR",
        "EMPLOYEES",
        "EMP_CODE_CK",
        ConstraintKind::Check,
        &["CODE"],
    );
    code_ck.definition = Some("CODE <> 'XXXX'".into());
    let mut novalid = fk(
        "app",
        "Audit Log",
        "audit item fk",
        &["ITEM"],
        ("SALES", "ORDER_LINES", "OL_ITEM_UK"),
        &["ITEM"],
    );
    novalid.validated = false;
    let mut disabled_fk = fk(
        "SALES",
        "SHIPMENTS",
        "SHIP_OLD_FK",
        &["ORDER_ID"],
        ("SALES", "ORDERS", "ORD_PK"),
        &["ORDER_ID"],
    );
    disabled_fk.enabled = false;
    disabled_fk.validated = false;
    c.constraints = vec![
        cons(
            "HR",
            "DEPARTMENTS",
            "DEPT_PK",
            ConstraintKind::Primary,
            &["DEPT_ID"],
        ),
        cons(
            "HR",
            "EMPLOYEES",
            "EMP_PK",
            ConstraintKind::Primary,
            &["EMP_ID"],
        ),
        fk(
            "HR",
            "EMPLOYEES",
            "EMP_DEPT_FK",
            &["DEPT_ID"],
            ("HR", "DEPARTMENTS", "DEPT_PK"),
            &["DEPT_ID"],
        ),
        not_null,
        code_ck,
        cons(
            "SALES",
            "ORDERS",
            "ORD_PK",
            ConstraintKind::Primary,
            &["ORDER_ID"],
        ),
        fk(
            "SALES",
            "ORDERS",
            "ORD_EMP_FK",
            &["EMP_ID"],
            ("HR", "EMPLOYEES", "EMP_PK"),
            &["EMP_ID"],
        ),
        cons(
            "SALES",
            "ORDER_LINES",
            "OL_PK",
            ConstraintKind::Primary,
            &["ORDER_ID", "LINE_NO"],
        ),
        cons(
            "SALES",
            "ORDER_LINES",
            "OL_ITEM_UK",
            ConstraintKind::Unique,
            &["ITEM"],
        ),
        fk(
            "SALES",
            "ORDER_LINES",
            "OL_ORD_FK",
            &["ORDER_ID"],
            ("SALES", "ORDERS", "ORD_PK"),
            &["ORDER_ID"],
        ),
        fk(
            "SALES",
            "SHIPMENTS",
            "SHIP_OL_FK",
            &["ORDER_ID", "LINE_NO"],
            ("SALES", "ORDER_LINES", "OL_PK"),
            &["ORDER_ID", "LINE_NO"],
        ),
        disabled_fk,
        novalid,
    ];
    let mut fbi = index(
        "HR",
        "EMPLOYEES",
        "EMP_UPPER_IX",
        &["UPPER(\"LAST_NAME\")"],
        "FUNCTION-BASED NORMAL",
        None,
    );
    fbi.ddl = Some("CREATE INDEX \"HR\".\"EMP_UPPER_IX\" ON \"HR\".\"EMPLOYEES\" (UPPER(\"LAST_NAME\")) PCTFREE 10 TABLESPACE \"USERS\"".into());
    c.indexes = vec![
        index(
            "HR",
            "EMPLOYEES",
            "EMP_PK",
            &["EMP_ID"],
            "NORMAL",
            Some("EMP_PK"),
        ),
        index(
            "HR",
            "EMPLOYEES",
            "EMP_NAME_IX",
            &["LAST_NAME", "CODE"],
            "NORMAL",
            None,
        ),
        fbi,
        index(
            "SALES",
            "ORDERS",
            "SYS_IL0000074010C00004$$",
            &[],
            "LOB",
            None,
        ),
        index("app", "Audit Log", "audit msg ix", &["Msg"], "NORMAL", None),
    ];
    c.triggers = vec![
        trigger("HR", "EMPLOYEES", "EMP_BIU", true),
        trigger("HR", "EMPLOYEES", "EMP_AUDIT", false),
        trigger("app", "Audit Log", "audit\"trg", true),
    ];
    c.sequences = vec![Sequence {
        owner: "HR".into(),
        name: "EMP_SEQ".into(),
        last_value: Some(1042),
        increment: 1,
        max_value: None,
        min_value: Some(1),
        cycle: false,
    }];
    c
}

fn result_col(
    owner: &str,
    table: &str,
    column: &str,
    truncation: u64,
    char_truncation: u64,
) -> ColumnResult {
    ColumnResult {
        owner: owner.into(),
        table_name: table.into(),
        column_name: column.into(),
        column_id: 0,
        data_type: "VARCHAR2".into(),
        kind: ColumnKind::Varchar,
        semantics: Some(Semantics::Byte),
        data_length: None,
        char_length: None,
        source_charset: "WE8ISO8859P15".into(),
        auto_base: None,
        assumed: false,
        limit: None,
        rows: 10,
        nulls: 0,
        counts: Counts {
            changeless: 10 - truncation,
            convertible: 0,
            truncation,
            lossy: 0,
        },
        max_post_bytes: None,
        char_semantics: Counts {
            truncation: char_truncation,
            ..Counts::default()
        },
        flags: FlagCounts::default(),
        findings: 0,
        hex_cut: 0,
        exceptions_listed: 0,
    }
}

pub(crate) fn fixture_scan() -> ScanResult {
    let tables = [
        ("HR", "EMPLOYEES"),
        ("SALES", "ORDERS"),
        ("SALES", "ORDER_LINES"),
        ("app", "Audit Log"),
    ];
    ScanResult {
        format: crate::scan::SCAN_FORMAT.into(),
        charmig_version: "test".into(),
        source: fixture_catalog().source,
        parameters: Parameters {
            source: "snapshot fixture".into(),
            target: "AL32UTF8".into(),
            assume: None,
            assume_columns: vec![],
            schemas: vec![],
            tables: vec![],
            excludes: vec![],
            char_semantics: false,
            max_exceptions: 10,
            jobs: 1,
            max_exception_bytes: 0,
            own_tables_excluded: 0,
        },
        started_at: String::new(),
        finished_at: String::new(),
        elapsed_seconds: 0.0,
        tables: tables
            .iter()
            .map(|(o, t)| TableResult {
                owner: (*o).into(),
                table_name: (*t).into(),
                rows: 10,
                num_rows: None,
                bytes_read: 0,
            })
            .collect(),
        columns: vec![
            result_col("HR", "EMPLOYEES", "LAST_NAME", 3, 0),
            result_col("HR", "EMPLOYEES", "NOTE", 2, 1),
            result_col("SALES", "ORDERS", "REGION", 1, 0),
            result_col("app", "Audit Log", "ITEM", 4, 0),
            result_col("SALES", "ORDER_LINES", "ITEM", 0, 0),
        ],
        not_affected: vec![],
        skipped: vec![],
        exceptions: vec![],
        long_names: vec![],
        index_keys: vec![],
    }
}

/// Renders the plan and compares every file with the golden copy.
fn check_golden(name: &str, plan: &mut Plan) {
    plan.created_at = "2026-01-01T00:00:00Z".into();
    let out = tempfile::tempdir().unwrap();
    write_plan_dir(plan, out.path()).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for n in names {
        let got = std::fs::read_to_string(out.path().join(&n)).unwrap();
        crate::golden::assert_golden(&format!("tests/golden/plan/{name}/{n}"), &got);
    }
}

fn opts(d: Dialect, cs: CharSemantics, nchar: bool) -> PlanOptions {
    PlanOptions {
        char_semantics: cs,
        nchar_to_char: nchar,
        dialect: d,
    }
}

#[test]
fn golden_oracle_affected() {
    let parts = [(
        "SALES".to_string(),
        "ORDERS".to_string(),
        "REGION".to_string(),
    )];
    let mut plan = make_plan(
        &fixture_catalog(),
        &fixture_scan(),
        &opts(Dialect::Oracle, CharSemantics::Affected, false),
        &parts,
    );
    check_golden("oracle_affected", &mut plan);
}

#[test]
fn golden_oracle_all_nchar() {
    let mut plan = make_plan(
        &fixture_catalog(),
        &fixture_scan(),
        &opts(Dialect::Oracle, CharSemantics::All, true),
        &[],
    );
    check_golden("oracle_all_nchar", &mut plan);
}

fn position(plan: &Plan, action: &str, object: &str) -> usize {
    plan.steps
        .iter()
        .position(|s| s.action == action && s.object == object)
        .unwrap_or_else(|| panic!("no {action} {object}"))
}

#[test]
fn foreign_keys_go_children_first_and_come_back_parents_first() {
    let plan = make_plan(
        &fixture_catalog(),
        &fixture_scan(),
        &opts(Dialect::Oracle, CharSemantics::None, false),
        &[],
    );
    // SHIPMENTS -> ORDER_LINES -> ORDERS -> EMPLOYEES -> DEPARTMENTS.
    let ship = position(&plan, "disable_constraint", "SALES.SHIP_OL_FK");
    let ol = position(&plan, "disable_constraint", "SALES.OL_ORD_FK");
    let ord = position(&plan, "disable_constraint", "SALES.ORD_EMP_FK");
    let emp = position(&plan, "disable_constraint", "HR.EMP_DEPT_FK");
    assert!(
        ship < ol && ol < ord && ord < emp,
        "{ship} {ol} {ord} {emp}"
    );
    // Keys after every foreign key that references them.
    assert!(position(&plan, "disable_constraint", "HR.EMP_PK") > emp);
    let e_emp = position(&plan, "enable_constraint", "HR.EMP_DEPT_FK");
    let e_ship = position(&plan, "enable_constraint", "SALES.SHIP_OL_FK");
    assert!(e_emp < e_ship);
    assert!(position(&plan, "enable_constraint", "HR.EMP_PK") < e_emp);
    // Already-disabled objects are left alone.
    assert!(
        !plan
            .steps
            .iter()
            .any(|s| s.object == "HR.EMP_AUDIT" || s.object == "SALES.SHIP_OLD_FK")
    );
    assert!(
        plan.notes
            .iter()
            .any(|n| n.contains("EMP_AUDIT") && n.contains("already disabled"))
    );
    // NOT NULL checks are not touched; LOB and constraint indexes are not dropped.
    assert!(!plan.steps.iter().any(|s| s.object == "HR.SYS_C0011"));
    assert!(
        !plan.steps.iter().any(|s| s.action == "drop_index"
            && (s.object.contains("SYS_IL") || s.object == "HR.EMP_PK"))
    );
    // Out-of-scope tables linked by foreign keys are pulled in and said so.
    assert!(
        plan.notes
            .iter()
            .any(|n| n.starts_with("HR.DEPARTMENTS is outside"))
    );
    // A NOT VALIDATED constraint is not validated by 04.
    assert!(
        !plan
            .steps
            .iter()
            .any(|s| s.phase == Phase::Validate && s.object == "app.audit item fk")
    );
    assert!(
        plan.steps
            .iter()
            .any(|s| s.phase == Phase::Validate && s.object == "HR.EMP_DEPT_FK")
    );
}

#[test]
fn affected_semantics_switch_truncating_columns_and_their_partners() {
    let plan = make_plan(
        &fixture_catalog(),
        &fixture_scan(),
        &opts(Dialect::Oracle, CharSemantics::Affected, false),
        &[],
    );
    let modified: Vec<&str> = plan
        .steps
        .iter()
        .filter(|s| s.action == "modify_column")
        .map(|s| s.object.as_str())
        .collect();
    // LAST_NAME, NOTE, REGION truncate; app."Audit Log".ITEM truncates and pulls its FK partner
    // SALES.ORDER_LINES.ITEM; TITLE is already CHAR; NICK is national.
    assert_eq!(
        modified,
        vec![
            "HR.EMPLOYEES.LAST_NAME",
            "HR.EMPLOYEES.NOTE",
            "SALES.ORDERS.REGION",
            "SALES.ORDER_LINES.ITEM",
            "app.Audit Log.ITEM"
        ]
    );
    let note = plan
        .steps
        .iter()
        .find(|s| s.object == "HR.EMPLOYEES.NOTE")
        .unwrap();
    assert_eq!(
        note.sql,
        "ALTER TABLE \"HR\".\"EMPLOYEES\" MODIFY (\"NOTE\" VARCHAR2(2000 CHAR))"
    );
    assert_eq!(
        note.reverse.as_deref(),
        Some("ALTER TABLE \"HR\".\"EMPLOYEES\" MODIFY (\"NOTE\" VARCHAR2(2000 BYTE))")
    );
    assert!(
        plan.callouts
            .iter()
            .any(|c| c.object == "HR.EMPLOYEES.NOTE"
                && c.problem.contains("even with CHAR semantics"))
    );
}

#[test]
fn postgres_plan_drops_and_re_adds_not_valid() {
    let mut cat = fixture_catalog();
    cat.source.dialect = Dialect::Postgres;
    for c in &mut cat.constraints {
        if c.kind == ConstraintKind::Foreign {
            c.definition = Some(format!(
                "FOREIGN KEY ({}) REFERENCES x(y)",
                c.columns.join(", ")
            ));
        } else if c.definition.is_none() {
            c.definition = Some("PRIMARY KEY (id)".into());
        }
    }
    let plan = make_plan(
        &cat,
        &fixture_scan(),
        &opts(Dialect::Postgres, CharSemantics::All, false),
        &[],
    );
    assert!(!plan.steps.iter().any(|s| s.phase == Phase::Semantics));
    let add = plan
        .steps
        .iter()
        .find(|s| s.action == "enable_constraint" && s.object == "HR.EMP_DEPT_FK")
        .unwrap();
    assert_eq!(
        add.sql,
        "ALTER TABLE \"HR\".\"EMPLOYEES\" ADD CONSTRAINT \"EMP_DEPT_FK\" FOREIGN KEY (DEPT_ID) REFERENCES x(y) NOT VALID"
    );
    let pk = plan
        .steps
        .iter()
        .find(|s| s.action == "enable_constraint" && s.object == "HR.EMP_PK")
        .unwrap();
    assert!(!pk.sql.ends_with("NOT VALID"));
    assert!(plan.steps.iter().any(|s| s.phase == Phase::Validate
        && s.sql == "ALTER TABLE \"HR\".\"EMPLOYEES\" VALIDATE CONSTRAINT \"EMP_DEPT_FK\""));
    let trg = plan
        .steps
        .iter()
        .find(|s| s.action == "disable_trigger" && s.object == "app.audit\"trg")
        .unwrap();
    assert_eq!(
        trg.sql,
        "ALTER TABLE \"app\".\"Audit Log\" DISABLE TRIGGER \"audit\"\"trg\""
    );
}

#[test]
fn names_too_long_in_utf8_are_decisions_in_the_plan() {
    let cat = fixture_catalog();
    let mut scan = fixture_scan();
    let name = format!("{}Zé", "a".repeat(61));
    scan.long_names.push(crate::scan::names::LongName {
        kind: "column".into(),
        owner: "app".into(),
        table: Some("Audit Log".into()),
        name: name.clone(),
        source_bytes: Some(63),
        utf8_bytes: 64,
        limit: 63,
        rename_to: format!("{}Z", "a".repeat(61)),
    });
    let plan = make_plan(
        &cat,
        &scan,
        &opts(Dialect::Postgres, CharSemantics::All, false),
        &[],
    );
    let c = plan
        .callouts
        .iter()
        .find(|c| c.object.contains(&name))
        .expect("a call-out for the long name");
    assert!(
        c.problem.contains("64 bytes") && c.problem.contains("63 bytes"),
        "{}",
        c.problem
    );
    assert!(
        c.options.contains(&format!("\"{}Z\"", "a".repeat(61))),
        "{}",
        c.options
    );
    let out = tempfile::tempdir().unwrap();
    write_plan_dir(&plan, out.path()).unwrap();
    let readme = std::fs::read_to_string(out.path().join("README.txt")).unwrap();
    assert!(readme.contains(&name), "{readme}");
}
