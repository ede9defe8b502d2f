//! Oracle schema statements over DBMS_METADATA output shaped as documented
//! (tests/fixtures/oracle_ddl/, not recorded live: see docs/oracle-checklist.md), and the
//! golden copies of every statement sent to the source and the target.

use super::*;
use crate::schema::oracle_sql as q;
use crate::schema::script::write_sqlplus;

fn fixture(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/oracle_ddl")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

fn fetched(t: &str, owner: &str, name: &str, file: &str) -> Fetched {
    Fetched {
        object_type: t.into(),
        owner: owner.into(),
        name: name.into(),
        ddl: fixture(file),
    }
}

fn sample() -> OracleSchema {
    OracleSchema {
        objects: vec![
            fetched("TRIGGER", "HR", "EMP_BIU", "trigger_emp.sql"),
            fetched("TRIGGER", "HR", "EMP_OFF", "trigger_off.sql"),
            fetched("VIEW", "HR", "EMP_V", "view_emp.sql"),
            fetched("TABLE", "HR", "EMPLOYÉS", "table_emp.sql"),
            fetched("PACKAGE", "HR", "EMP_PKG", "package_emp.sql"),
            fetched("MATERIALIZED VIEW", "HR", "EMP_TOT", "mview_tot.sql"),
            fetched("SEQUENCE", "HR", "EMP_SEQ", "seq_emp.sql"),
        ],
        identity: vec![crate::catalog::IdentityColumn {
            owner: "HR".into(),
            table: "EMPLOYÉS".into(),
            column: "ID".into(),
            always: true,
            on_null: false,
        }],
        sequences: vec![
            SequenceState {
                owner: "HR".into(),
                name: "EMP_SEQ".into(),
                increment: 1,
                last_number: 1042,
                max_value: Some(9_999_999_999_999_999_999_999_999_999),
                min_value: Some(1),
            },
            // Not scripted (not chosen): no statement.
            SequenceState {
                owner: "HR".into(),
                name: "OTHER_SEQ".into(),
                increment: 1,
                last_number: 5,
                max_value: None,
                min_value: None,
            },
        ],
        foreign_keys: vec![ForeignKey {
            owner: "HR".into(),
            table: "EMPLOYÉS".into(),
            name: "EMP_DEPT_FK".into(),
            enabled: true,
            validated: true,
            ddl: fixture("fk_emp_dept.sql"),
        }],
        byte_columns: vec![
            ByteColumn {
                owner: "HR".into(),
                table: "EMPLOYÉS".into(),
                column: "NOM".into(),
                data_type: "VARCHAR2".into(),
                char_length: 40,
            },
            ByteColumn {
                owner: "HR".into(),
                table: "EMPLOYÉS".into(),
                column: "CODE".into(),
                data_type: "CHAR".into(),
                char_length: 3,
            },
            ByteColumn {
                owner: "HR".into(),
                table: "EMPLOYÉS".into(),
                column: "NOM_MAJ".into(),
                data_type: "VARCHAR2".into(),
                char_length: 40,
            },
            // Not in the DDL as a column definition (a table created otherwise): a MODIFY.
            ByteColumn {
                owner: "HR".into(),
                table: "EMPLOYÉS".into(),
                column: "A;B".into(),
                data_type: "CHAR".into(),
                char_length: 3,
            },
        ],
        dependents: vec![Dependent {
            kind: "COMMENT".into(),
            owner: "HR".into(),
            name: "EMPLOYÉS".into(),
            ddl: fixture("comments_emp.sql"),
        }],
        plan_semantics: None,
    }
}

#[test]
fn with_a_plan_only_its_columns_switch_and_its_other_statements_follow() {
    let mut s = sample();
    s.plan_semantics = Some(vec![
        (
            "02-0001".into(),
            "ALTER TABLE \"HR\".\"EMPLOYÉS\" MODIFY (\"NOM\" VARCHAR2(40 CHAR))".into(),
        ),
        (
            "02-0002".into(),
            "ALTER TABLE \"HR\".\"X\" MODIFY (\"N\" VARCHAR2(5 CHAR))".into(),
        ),
    ]);
    let st = statements(&s);
    let semantics: Vec<(&str, &str)> = st
        .iter()
        .filter(|x| x.kind.contains("semantics"))
        .map(|x| (x.kind.as_str(), x.part.as_str()))
        .collect();
    // The plan's NOM is switched in the CREATE TABLE; CODE and NOM_MAJ, not the plan's, stay
    // BYTE; the plan's other column is its own statement.
    assert_eq!(semantics, [("plan_semantics", "")]);
    let create = &st.iter().find(|x| x.kind == "create_table").unwrap().sql;
    assert!(
        create.contains("\"NOM\" VARCHAR2(40 CHAR),")
            && create.contains("\"CODE\" CHAR(3 BYTE)")
            && create.contains("\"NOM_MAJ\" VARCHAR2(40 BYTE) GENERATED"),
        "{create}"
    );
    let step = st.iter().find(|x| x.kind == "plan_semantics").unwrap();
    assert_eq!(step.object, ObjectName::new("plan", "02-0002"));
}

#[test]
fn split_keeps_quoted_semicolons_and_plsql_units_whole() {
    let t = split(&fixture("table_emp.sql"));
    assert_eq!(t.len(), 3, "{t:#?}");
    assert!(
        t[0].starts_with("CREATE TABLE \"HR\".\"EMPLOYÉS\"")
            && t[0].contains("DEFAULT 'A;B'")
            && t[0].ends_with(')')
    );
    assert!(t[2].contains("CHECK (nom <> 'x;y') ENABLE"));
    let trg = split(&fixture("trigger_emp.sql"));
    assert_eq!(trg.len(), 2, "{trg:#?}");
    assert!(trg[0].ends_with("END;") && trg[0].contains("-- a; inside code"));
    assert_eq!(trg[1], "ALTER TRIGGER \"HR\".\"EMP_BIU\" ENABLE");
    let c = split(&fixture("comments_emp.sql"));
    assert_eq!(
        c,
        [
            "COMMENT ON COLUMN \"HR\".\"EMPLOYÉS\".\"NOM\" IS 'nom; complet'",
            "COMMENT ON TABLE \"HR\".\"EMPLOYÉS\"  IS 'les employés'"
        ]
    );
    assert!(is_plsql(
        "  CREATE OR REPLACE EDITIONABLE PACKAGE \"HR\".\"P\" AS"
    ));
    assert!(!is_plsql(
        "CREATE OR REPLACE FORCE EDITIONABLE VIEW \"HR\".\"V\""
    ));
}

#[test]
fn statements_load_in_order_with_fks_and_triggers_disabled() {
    let st = statements(&sample());
    let kinds: Vec<(&str, &str, &str)> = st
        .iter()
        .map(|s| (s.phase.as_str(), s.kind.as_str(), s.part.as_str()))
        .collect();
    let pos = |k: &str, p: &str| {
        kinds
            .iter()
            .position(|x| x.1 == k && x.2 == p)
            .unwrap_or_else(|| panic!("{k} {p}: {kinds:?}"))
    };
    assert!(pos("create_sequence", "") < pos("create_table", ""));
    assert!(pos("create_table", "") < pos("add_constraint", "EMP_PK"));
    // Columns switch to CHAR in the CREATE TABLE itself: a MODIFY fails for the virtual
    // column NOM_MAJ (ORA-54027), for NOM, which NOM_MAJ reads (ORA-54031), and for the
    // partitioning key CODE (ORA-14060). Only a column the DDL does not define gets one.
    let create = &st[pos("create_table", "")].sql;
    assert!(
        create.contains("(\t\"ID\" NUMBER(10,0) NOT NULL ENABLE, \n\t\"NOM\" VARCHAR2(40 CHAR), \n\t\"CODE\" CHAR(3 CHAR) DEFAULT 'A;B',")
            && create.contains("\"NOM_MAJ\" VARCHAR2(40 CHAR) GENERATED ALWAYS AS (UPPER(\"NOM\")) VIRTUAL")
            && create.contains("VALUES ('A;B')")
            && !create.contains("BYTE"),
        "{create}"
    );
    assert_eq!(
        st.iter()
            .filter(|s| s.kind == "char_semantics")
            .map(|s| s.part.as_str())
            .collect::<Vec<_>>(),
        ["A;B"]
    );
    assert!(pos("add_constraint", "EMP_NOM_CK") < pos("char_semantics", "A;B"));
    assert!(pos("char_semantics", "A;B") < pos("create_view", ""));
    assert!(pos("create_view", "") < pos("create_package", ""));
    assert!(pos("add_foreign_key", "EMP_DEPT_FK") + 1 == pos("disable_foreign_key", "EMP_DEPT_FK"));
    let modify = &st[pos("char_semantics", "A;B")].sql;
    assert_eq!(
        modify,
        "ALTER TABLE \"HR\".\"EMPLOYÉS\" MODIFY (\"A;B\" CHAR(3 CHAR))"
    );
    // Both triggers are disabled for the copy; only the one enabled in the source comes back.
    let after: Vec<&str> = st
        .iter()
        .filter(|s| s.phase == Phase::AfterCopy)
        .map(|s| s.sql.as_str())
        .collect();
    assert_eq!(
        after,
        [
            "ALTER TABLE \"HR\".\"EMPLOYÉS\" ENABLE NOVALIDATE CONSTRAINT \"EMP_DEPT_FK\"",
            "ALTER TABLE \"HR\".\"EMPLOYÉS\" ENABLE VALIDATE CONSTRAINT \"EMP_DEPT_FK\"",
            "ALTER TRIGGER \"HR\".\"EMP_BIU\" ENABLE",
            "ALTER TABLE \"HR\".\"EMPLOYÉS\" MODIFY (\"ID\" GENERATED ALWAYS AS IDENTITY (START WITH LIMIT VALUE))",
            crate::dialect::oracle::advance_sequence("\"HR\".\"EMP_SEQ\"", 1, 1043).as_str(),
            "BEGIN DBMS_MVIEW.REFRESH(list => '\"HR\".\"EMP_TOT\"', method => 'C'); END;",
        ]
    );
    assert_eq!(st.iter().filter(|s| s.kind == "disable_trigger").count(), 2);
    assert!(!st.iter().any(|s| s.sql.ends_with(" ENABLE")
        && s.sql.starts_with("ALTER TRIGGER")
        && s.phase == Phase::Create));
}

#[test]
fn golden_sqlplus_scripts() {
    let st = statements(&sample());
    let mut got = Vec::new();
    write_sqlplus(&mut got, &st, Phase::Create, "hr@//db:1521/ORCL").unwrap();
    write_sqlplus(&mut got, &st, Phase::AfterCopy, "hr@//db:1521/ORCL").unwrap();
    crate::golden::assert_golden(
        "tests/golden/schema/oracle_schema.sql",
        &String::from_utf8(got).unwrap(),
    );
}

fn render(title: &str, s: &crate::source::oracle::sql::Stmt) -> String {
    let binds = if s.binds.is_empty() {
        "(none)".to_string()
    } else {
        s.binds
            .iter()
            .enumerate()
            .map(|(i, b)| format!(":{}={b:?}", i + 1))
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!("-- {title}\n-- binds: {binds}\n{}\n\n", s.sql)
}

#[test]
fn golden_statements_sent_to_source_and_target() {
    let owners = vec!["HR".to_string(), "REF".to_string()];
    let plain = |sql: &str| crate::source::oracle::sql::Stmt {
        sql: sql.into(),
        binds: Vec::new(),
    };
    let mut got = String::new();
    got += &render("source: session transforms", &q::transforms(false));
    got += &render(
        "source: session transforms with --tablespaces",
        &q::transforms(true),
    );
    got += &render("source: objects of the chosen owners", &q::objects(&owners));
    got += &render(
        "source: what they need from other owners",
        &q::dependencies(&owners),
    );
    got += &render("source: foreign keys", &q::foreign_keys(&owners));
    got += &render(
        "source: BYTE-semantics character columns (12.1 and later)",
        &q::byte_columns(&owners, true),
    );
    got += &render(
        "source: BYTE-semantics character columns (before 12.1)",
        &q::byte_columns(&owners, false),
    );
    got += &render("source: sequences", &q::sequences(&owners));
    got += &render("source: identity columns", &q::identity_columns(&owners));
    got += &render(
        "source: DDL of one object",
        &q::get_ddl("PACKAGE BODY", "EMP_PKG", "HR"),
    );
    got += &render(
        "source: DDL of a foreign key",
        &q::get_ddl("REF_CONSTRAINT", "EMP_DEPT_FK", "HR"),
    );
    got += &render(
        "source: comments of one object",
        &q::get_dependent_ddl("COMMENT", "EMPLOYÉS", "HR"),
    );
    got += &render("target: session", &plain(q::TARGET_SESSION));
    got += &render("target: DDL log", &plain(q::DDL_LOG_DDL));
    got += &render("target: DDL log statuses", &plain(q::DDL_LOG_STATUSES));
    got += &render("target: DDL log row", &plain(q::DDL_LOG_MERGE));
    got += &render(
        "target: refresh",
        &plain(&q::refresh_mview("HR", "EMP_TOT")),
    );
    got += &render("target: recompile", &plain(&q::compile_schema("HR")));
    crate::golden::assert_golden("tests/golden/schema/oracle_statements.sql", &got);
}

#[test]
fn closure_pulls_until_fixed_point_and_skips_system_owners() {
    let o = |a: &str, b: &str| (a.to_string(), b.to_string(), "TABLE".to_string());
    let deps = vec![
        (o("HR", "EMP"), o("REF", "DEPT")),
        (o("REF", "DEPT"), o("GEO", "PAYS")),
        (o("GEO", "PAYS"), o("MDSYS", "SDO_GEOMETRY")),
        (o("HR", "EMP"), o("PUBLIC", "DUAL")),
        (o("OTHER", "X"), o("GEO", "Y")),
    ];
    let mut chosen: BTreeSet<Obj> = [o("HR", "EMP")].into_iter().collect();
    let pulled = close(&mut chosen, &deps, &|owner| {
        skipped_owner(owner, &["AUDIT".into()])
    });
    assert_eq!(
        pulled,
        [
            (o("REF", "DEPT"), o("HR", "EMP")),
            (o("GEO", "PAYS"), o("REF", "DEPT"))
        ]
    );
    assert_eq!(chosen.len(), 3);
    assert!(
        skipped_owner("SYS", &[])
            && skipped_owner("CHARMIG", &[])
            && skipped_owner("audit", &["AUDIT".into()])
    );
    assert!(!skipped_owner("HR", &[]));
}

#[test]
fn the_target_sequence_aims_one_past_last_number_held_at_its_limit() {
    let seq = |increment, last_number, max_value, min_value| SequenceState {
        owner: "HR".into(),
        name: "S".into(),
        increment,
        last_number,
        max_value,
        min_value,
    };
    assert_eq!(seq(1, 1042, None, None).next_on_target(), 1043);
    assert_eq!(seq(10, 9985, Some(9990), Some(1)).next_on_target(), 9990);
    assert_eq!(seq(-1, 5, Some(100), Some(1)).next_on_target(), 4);
    assert_eq!(seq(-5, 3, Some(100), Some(1)).next_on_target(), 1);
    assert_eq!(seq(0, 7, None, None).next_on_target(), 8);
}

#[test]
fn a_statement_with_misread_text_is_marked_for_review_in_the_script() {
    let obj = ObjectName::new("HR", "V");
    let st = vec![DdlStatement::new(
        Phase::Create,
        "create_view",
        &obj,
        "",
        "CREATE VIEW \"HR\".\"V\" AS SELECT '\u{80}' x FROM dual".into(),
    )];
    let mut got = Vec::new();
    write_sqlplus(&mut got, &st, Phase::Create, "hr@//db:1521/ORCL").unwrap();
    let got = String::from_utf8(got).unwrap();
    let review = got.find(
        "-- REVIEW: its text holds the control character(s) U+0080 (byte 0x80, € in Windows-1252)",
    );
    let view = got.find("CREATE VIEW");
    assert!(review.is_some() && review < view, "{got}");
}
