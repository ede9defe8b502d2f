//! `charmig verify` for Oracle -> Oracle without a server: the schema comparison over
//! recorded dictionary rows (tests/fixtures/oracle_verify/{source,target}/*.csv), and every
//! statement verify sends to Oracle rendered to tests/golden/verify/oracle/ (golden files:
//! `UPDATE_GOLDEN=1 cargo test --test oracle_verify` rewrites them; review the diff).

use charmig::golden::assert_golden;
use charmig::source::oracle::dictionary::rows_from_csv;
use charmig::source::oracle::sql::{RangeSql, ReadColumn, data_select};
use charmig::verify::data::Side;
use charmig::verify::decode::Reading;
use charmig::verify::oracle_schema::{self, DictRows, OraModel};
use charmig::verify::{oracle_data, oracle_schema_diff, oracle_sql, report};
use std::path::Path;

fn dict(side: &str) -> DictRows {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/oracle_verify")
        .join(side);
    let mut rows = DictRows::default();
    for (name, _) in oracle_sql::dictionary_queries(&[]) {
        let f = std::fs::File::open(dir.join(format!("{name}.csv"))).unwrap();
        rows.set(name, rows_from_csv(f).unwrap());
    }
    rows
}

fn model(side: &str) -> OraModel {
    oracle_schema::map(&dict(side)).unwrap()
}

fn found(d: &charmig::verify::schema_diff::SchemaDiff) -> Vec<String> {
    d.differences
        .iter()
        .map(|x| {
            format!(
                "{} {}.{}: {}",
                x.object_type, x.schema, x.object, x.property
            )
        })
        .collect()
}

#[test]
fn recorded_dictionaries_give_exactly_the_planted_differences() {
    let (src, tgt) = (model("source"), model("target"));
    let d = oracle_schema_diff::compare(&src, &tgt, &[]);
    let mut got = found(&d);
    got.sort();
    assert_eq!(
        got,
        [
            "column HR.DEPT.TITLE: length",
            "constraint HR.EMP.EMP_DEPT_FK: status",
            "identity HR.ORDERS.ID: behind the source",
            "index HR.EMP.EMP_CITY_IX: missing on target",
            "sequence HR.EMP_SEQ: behind the source",
            "trigger HR.EMP_AUDIT: missing on target",
            "trigger HR.EMP_BIU: status",
            "view HR.OLD_V: extra on target",
        ],
        "{got:#?}"
    );
    // Planned: VARCHAR2(30 BYTE) -> (30 CHAR), (20 BYTE) -> (40 CHAR) widened, CHAR(3 BYTE)
    // -> (3 CHAR); the SYS_C check matched by its condition under another generated name;
    // the NOT NULL checks compared as nullability; the default's trailing blanks ignored.
    let status = d
        .differences
        .iter()
        .find(|x| x.object == "EMP.EMP_DEPT_FK")
        .unwrap();
    assert_eq!(
        (status.source.as_str(), status.target.as_str()),
        ("ENABLED VALIDATED", "ENABLED NOT VALIDATED")
    );
    let fix = report::render_fix_oracle(&d, "oracle src", "oracle tgt");
    assert_golden("tests/golden/verify/oracle/fix_recorded.sql", &fix);
    // Migration order: columns, then indexes, constraint states, trigger states, sequences.
    let at = |s: &str| fix.find(s).unwrap_or_else(|| panic!("{s} not in\n{fix}"));
    assert!(at("MODIFY (\"TITLE\" VARCHAR2(40 CHAR))") < at("CREATE INDEX"));
    assert!(at("CREATE INDEX") < at("ENABLE VALIDATE"));
    assert!(at("ENABLE VALIDATE") < at("ALTER TRIGGER"));
    // The sequence is moved with NEXTVAL and INCREMENT BY (documented on every release), not
    // RESTART (18c+): its next value is the source's LAST_NUMBER.
    assert!(at("ALTER TRIGGER") < at("SELECT \"HR\".\"EMP_SEQ\".NEXTVAL INTO v FROM dual;"));
    assert!(
        fix.contains("IF v + (1) < 1041 THEN") && !fix.contains("RESTART"),
        "{fix}"
    );
    assert!(fix.contains("not fixed here: trigger HR.EMP_AUDIT is missing"));
    // The identity's system sequences (ISEQ$$_73217 / ISEQ$$_90411) are matched by column:
    // no sequence missing or extra, no default difference, the generator moved by its column.
    assert!(
        fix.contains(
            "ALTER TABLE \"HR\".\"ORDERS\" MODIFY (\"ID\" GENERATED ALWAYS AS IDENTITY (START WITH 61));"
        ),
        "{fix}"
    );
    assert!(!fix.contains("ISEQ$$"), "{fix}");
}

#[test]
fn identity_virtual_and_invisible_columns_and_view_column_lists_are_recreated() {
    let src = model("source");
    let mut tgt = src.clone();
    tgt.tables.retain(|t| t.name != "ORDERS");
    tgt.sequences.retain(|s| s.identity.is_none());
    tgt.views.retain(|v| v.name != "EMP_V");
    let d = oracle_schema_diff::compare(&src, &tgt, &[]);
    let fix = report::render_fix_oracle(&d, "src", "tgt");
    // The invisible column (no COLUMN_ID, from ALL_TAB_COLS) is created with the others; the
    // identity with its generator's options and position, the virtual column as an expression.
    assert!(
        fix.contains(
            "CREATE TABLE \"HR\".\"ORDERS\" (\n    \"ID\" NUMBER(*,0) GENERATED ALWAYS AS IDENTITY \
             (MINVALUE 1 MAXVALUE 9999999999999999999999999999 INCREMENT BY 1 CACHE 20 NOCYCLE START WITH 61) NOT NULL,\n    \
             \"QTY\" NUMBER(9),\n    \"PRICE\" NUMBER(9,2),\n    \
             \"TOTAL\" NUMBER GENERATED ALWAYS AS (\"QTY\"*\"PRICE\") VIRTUAL,\n    \
             \"NOTE\" VARCHAR2(20 CHAR)\n)"
        ),
        "{fix}"
    );
    assert!(!fix.contains("CREATE SEQUENCE"), "{fix}");
    // A reverse key index (INDEX_TYPE NORMAL/REV) is re-created REVERSE.
    let mut src_rev = src.clone();
    for i in src_rev.indexes.iter_mut() {
        i.index_type = format!("{}/REV", i.index_type);
    }
    let rev = report::render_fix_oracle(
        &oracle_schema_diff::compare(&src_rev, &model("target"), &[]),
        "s",
        "t",
    );
    assert!(
        rev.contains("CREATE INDEX \"HR\".\"EMP_CITY_IX\" ON \"HR\".\"EMP\" (\"CITY\", \"NAME\" DESC) REVERSE;"),
        "{rev}"
    );
    // ALL_VIEWS.TEXT has no column list: the view's own column names are written out.
    assert!(
        fix.contains(
            "CREATE OR REPLACE FORCE VIEW \"HR\".\"EMP_V\" (\"EMP_ID\", \"EMP_NAME\") AS\nSELECT \"ID\", \"NAME\""
        ),
        "{fix}"
    );
    // A column that is an identity on one side only is reported, not silently equal.
    let mut tgt2 = src.clone();
    for t in tgt2.tables.iter_mut().filter(|t| t.name == "ORDERS") {
        for c in t.columns.iter_mut().filter(|c| c.name == "ID") {
            c.identity = false;
        }
    }
    tgt2.sequences.retain(|s| s.identity.is_none());
    let d = oracle_schema_diff::compare(&src, &tgt2, &[]);
    assert_eq!(
        found(&d),
        ["column HR.ORDERS.ID: kind"],
        "{:?}",
        d.differences
    );
}

#[test]
fn the_same_dictionary_on_both_sides_is_equal_and_fix_sql_says_so() {
    let src = model("source");
    let d = oracle_schema_diff::compare(&src, &src, &[]);
    assert!(d.differences.is_empty(), "{:?}", d.differences);
    let fix = report::render_fix_oracle(&d, "a", "b");
    assert!(fix.ends_with("-- nothing to fix\n"), "{fix}");
}

#[test]
fn a_missing_table_is_created_with_char_semantics_and_hostile_names_stay_in_comments() {
    let src = model("source");
    let mut tgt = src.clone();
    tgt.tables.retain(|t| t.name != "Notes é");
    let mut src2 = src.clone();
    src2.tables.push(oracle_schema::OraTable {
        owner: "HR".into(),
        name: "bad\nname".into(),
        columns: vec![],
    });
    let d = oracle_schema_diff::compare(&src2, &tgt, &[]);
    let fix = report::render_fix_oracle(&d, "src\n-- x", "tgt");
    assert!(
        fix.contains("CREATE TABLE \"HR\".\"Notes é\" (\n    \"a b\" VARCHAR2(10 CHAR),\n    \"NOTE\" NVARCHAR2(100)\n)"),
        "{fix}"
    );
    // The name with a line break cannot go into a SQL*Plus statement: listed, not written.
    assert!(!fix.contains("\"bad\nname\""), "{fix}");
    assert!(fix.contains("not fixed here: table HR.bad"), "{fix}");
    assert!(fix.lines().all(|l| !l.starts_with("-- x")), "{fix}");
    assert!(fix.starts_with("-- charmig verify") && fix.contains("SET DEFINE OFF\n"));
}

#[test]
fn every_verify_statement_matches_its_golden_file() {
    let mut out = String::new();
    for owners in [vec![], vec!["HR".to_string(), "Sales Dept".to_string()]] {
        for (name, s) in oracle_sql::dictionary_queries(&owners) {
            out.push_str(&format!(
                "-- {name} (owners: {owners:?})\n-- binds: {:?}\n{};\n\n",
                s.binds, s.sql
            ));
        }
    }
    let u = oracle_sql::users();
    out.push_str(&format!(
        "-- users\n-- binds: {:?}\n{};\n\n",
        u.binds, u.sql
    ));
    assert_golden("tests/golden/verify/oracle/dictionary.sql", &out);
    // The data query of one table, source (WE8ISO8859P15) and target (AL32UTF8).
    let col = |name: &str, data_type: &str, len: u32| charmig::catalog::Column {
        name: name.into(),
        column_id: 1,
        data_type: data_type.into(),
        data_length: Some(len),
        char_length: Some(len),
        semantics: None,
        nullable: true,
    };
    let t = charmig::catalog::Table {
        owner: "HR".into(),
        name: "EMP data".into(),
        num_rows: None,
        columns: vec![
            col("ID", "NUMBER", 22),
            col("NAME", "VARCHAR2", 30),
            col("CODE", "CHAR", 3),
            col("NOTE", "NVARCHAR2", 200),
            col("BODY", "CLOB", 4000),
            col("BORN", "DATE", 7),
            col("AT", "TIMESTAMP(6)", 11),
            col("AT_TZ", "TIMESTAMP(6) WITH TIME ZONE", 13),
            col("AT_LOCAL", "TIMESTAMP(6) WITH LOCAL TIME ZONE", 11),
            col("SPAN", "INTERVAL DAY(2) TO SECOND(6)", 11),
            col("RATIO", "BINARY_DOUBLE", 8),
            col("TAG", "RAW", 16),
            col("PHOTO", "BLOB", 4000),
            col("RID", "UROWID", 4000),
        ],
    };
    let names: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
    let traits = |cs: &str| charmig::source::oracle::layout::DbTraits {
        charset: cs.into(),
        nchar_charset: "AL16UTF16".into(),
        max_string_size: charmig::catalog::MaxStringSize::Standard,
        major: 19,
    };
    let mut out = String::new();
    for (title, side, cs, range) in [
        (
            "source WE8ISO8859P15, ROWID range",
            Side::Source,
            "WE8ISO8859P15",
            RangeSql::Between,
        ),
        (
            "target AL32UTF8, whole table",
            Side::Target,
            "AL32UTF8",
            RangeSql::Whole,
        ),
    ] {
        let readings =
            vec![Reading::parse_in(cs, charmig::charset::Dialect::Oracle).unwrap(); names.len()];
        let plan = oracle_data::plan(&t, &names, &traits(cs), side, &readings).unwrap();
        let reads: Vec<ReadColumn> = plan.into_iter().map(|(r, _)| r).collect();
        out.push_str(&format!(
            "-- data, {title}\n{};\n\n",
            data_select(&t.owner, &t.name, &reads, range).unwrap()
        ));
    }
    assert_golden("tests/golden/verify/oracle/data.sql", &out);
}

#[test]
fn a_foreign_key_to_another_schema_is_compared_by_its_parent_table_not_its_generated_name() {
    // HR.ORDERS_ITEM_FK references REF.ITEMS through a key named SYS_C0500 on the source and
    // SYS_C0777 on the target. With --schema HR the constraint queries still read REF's key
    // (referenced_by_scope), so the foreign key compares equal.
    let hr = ["HR".to_string()];
    let d = oracle_schema_diff::compare(&model("source"), &model("target"), &hr);
    assert!(
        !found(&d).iter().any(|x| x.contains("ORDERS_ITEM_FK")),
        "{:?}",
        found(&d)
    );
    let fk = model("source")
        .constraints
        .into_iter()
        .find(|c| c.name == "ORDERS_ITEM_FK")
        .unwrap();
    assert_eq!(
        fk.definition(),
        "FOREIGN KEY (QTY) REFERENCES REF.ITEMS (ID)"
    );
    // Without the parent's rows (what the query gave before), the generated names differ and
    // a sound foreign key would be dropped and re-added.
    let without = |side: &str| {
        let mut r = dict(side);
        r.constraints
            .retain(|x| x.get("owner").cloned().flatten().as_deref() != Some("REF"));
        oracle_schema::map(&r).unwrap()
    };
    let d = oracle_schema_diff::compare(&without("source"), &without("target"), &hr);
    assert!(
        found(&d).contains(&"constraint HR.ORDERS.ORDERS_ITEM_FK: definition".to_string()),
        "{:?}",
        found(&d)
    );
    // The statements bind the owners twice (the filter and the referenced keys).
    let s = oracle_sql::constraints(&hr);
    assert_eq!(s.binds, ["HR", "HR"]);
    assert!(
        s.sql.contains("r.owner IN (:2)") && s.sql.contains("c.owner IN (:1)"),
        "{}",
        s.sql
    );
}
