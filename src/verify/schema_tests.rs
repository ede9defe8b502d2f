//! Unit tests of the schema comparison over hand-built models (the integration test
//! tests/postgres_verify.rs runs it over real catalogs and applies its fix.sql).

use super::report::render_fix;
use super::schema_diff::{Phase, compare};
use crate::schema::model::*;

fn col(name: &str, ty: &str, not_null: bool) -> ColumnDef {
    ColumnDef {
        name: name.into(),
        position: 1,
        type_sql: ty.into(),
        type_name: ObjectName::new("pg_catalog", ty),
        typmod: -1,
        collation: None,
        not_null,
        default: None,
        generated: None,
        comment: None,
    }
}

fn table(schema: &str, name: &str, columns: Vec<ColumnDef>) -> TableDef {
    TableDef {
        name: ObjectName::new(schema, name),
        kind: TableKind::Ordinary,
        owner: "o".into(),
        unlogged: false,
        columns,
        partition_key: None,
        partition_of: None,
        comment: None,
        grants: vec![],
        inherits: vec![],
        row_security: vec![],
    }
}

fn seq(name: &str, last: i64, called: bool, increment: i64) -> SequenceDef {
    SequenceDef {
        name: ObjectName::new("app", name),
        owner: "o".into(),
        data_type: "bigint".into(),
        start: 1,
        increment,
        min_value: -1000,
        max_value: 1000,
        cache: 1,
        cycle: false,
        last_value: last,
        is_called: called,
        owned_by: None,
        identity: false,
        comment: None,
        grants: vec![],
    }
}

fn trigger(enabled: char) -> TriggerDef {
    TriggerDef {
        table: ObjectName::new("app", "dept"),
        name: "t\nrm".into(),
        definition: "CREATE TRIGGER \"t\nrm\" BEFORE UPDATE ON app.dept FOR EACH ROW EXECUTE FUNCTION app.f()"
            .into(),
        enabled,
        function: ObjectName::new("app", "f"),
        comment: None,
    }
}

fn source() -> SchemaModel {
    SchemaModel {
        schemas: vec![SchemaDef {
            name: "app".into(),
            owner: "o".into(),
            comment: None,
            grants: vec![],
        }],
        tables: vec![
            table("app", "dept", vec![col("id", "integer", true)]),
            table(
                "app",
                "emp",
                vec![col("id", "integer", true), col("dept", "integer", false)],
            ),
        ],
        constraints: vec![ConstraintDef {
            table: ObjectName::new("app", "emp"),
            name: "emp_dept_fk".into(),
            kind: ConstraintKind::Foreign,
            definition: "FOREIGN KEY (dept) REFERENCES app.dept(id)".into(),
            validated: true,
            references: Some(ObjectName::new("app", "dept")),
            comment: None,
        }],
        sequences: vec![seq("up", 50, true, 1), seq("down", -50, true, -1)],
        triggers: vec![trigger('O')],
        ..SchemaModel::default()
    }
}

#[test]
fn an_equal_target_has_no_difference() {
    let d = compare(&source(), &source(), &[]);
    assert!(d.differences.is_empty(), "{:?}", d.differences);
    assert!(d.fixes.is_empty());
}

#[test]
fn fixes_come_in_migration_order_whatever_order_they_were_found_in() {
    let mut tgt = source();
    tgt.tables.retain(|t| t.name.name != "emp");
    tgt.constraints.clear();
    tgt.triggers = vec![trigger('D')];
    tgt.sequences = vec![seq("up", 10, true, 1), seq("down", -50, true, -1)];
    let d = compare(&source(), &tgt, &[]);
    let props: Vec<(&str, &str, &str)> = d
        .differences
        .iter()
        .map(|x| (x.object_type, x.object.as_str(), x.property.as_str()))
        .collect();
    assert_eq!(
        props,
        vec![
            ("sequence", "up", "behind the source"),
            ("table", "emp", "missing on target"),
            ("trigger", "dept.t\nrm", "enabled"),
        ]
    );
    let phases: Vec<Phase> = d.fixes.iter().map(|f| f.phase).collect();
    assert_eq!(
        phases,
        vec![
            Phase::Tables,
            Phase::ForeignKeys,
            Phase::TriggerStates,
            Phase::SequenceValues
        ]
    );
    assert!(
        d.fixes[0]
            .sql
            .starts_with("CREATE TABLE \"app\".\"emp\" (\n    \"id\" integer NOT NULL,")
    );
    assert_eq!(
        d.fixes[3].sql,
        "SELECT pg_catalog.setval('\"app\".\"up\"', 50, true)"
    );
    assert_eq!(
        d.fixes[2].sql,
        "ALTER TABLE \"app\".\"dept\" ENABLE TRIGGER \"t\nrm\""
    );
}

#[test]
fn a_descending_sequence_is_behind_when_its_next_value_is_higher() {
    let mut tgt = source();
    tgt.sequences = vec![seq("up", 60, false, 1), seq("down", -10, true, -1)];
    let d = compare(&source(), &tgt, &[]);
    let behind: Vec<&str> = d.differences.iter().map(|x| x.object.as_str()).collect();
    assert_eq!(
        behind,
        vec!["down"],
        "up is ahead (60 > 51), down behind (-11 > -51)"
    );
}

#[test]
fn charmig_objects_and_schemas_out_of_scope_are_left_out() {
    let mut tgt = source();
    tgt.tables.push(table("public", "charmig_copy_log", vec![]));
    tgt.schemas.push(SchemaDef {
        name: "other".into(),
        owner: "o".into(),
        comment: None,
        grants: vec![],
    });
    tgt.tables.push(table("other", "x", vec![]));
    let d = compare(&source(), &tgt, &[]);
    let found: Vec<(&str, &str)> = d
        .differences
        .iter()
        .map(|x| (x.object_type, x.object.as_str()))
        .collect();
    assert_eq!(found, vec![("schema", "other"), ("table", "x")]);
    assert!(d.fixes.is_empty(), "extra objects are never dropped");
    assert!(
        compare(&source(), &tgt, &["app".to_string()])
            .differences
            .is_empty()
    );
}

#[test]
fn fix_sql_keeps_every_name_inside_its_comment_line() {
    let mut tgt = source();
    tgt.triggers = vec![trigger('D')];
    tgt.tables.push(table("app", "evil\n\\! rm -rf /", vec![]));
    let d = compare(&source(), &tgt, &[]);
    let sql = render_fix(&d, "src\nDROP", "tgt");
    for line in sql.lines() {
        assert!(
            !line.starts_with("\\!") && !line.starts_with("DROP") && !line.starts_with("rm -rf"),
            "{line}\n{sql}"
        );
    }
    assert!(sql.contains("-- extra on the target, left alone"), "{sql}");
    assert!(
        sql.contains("BEGIN;") && sql.trim_end().ends_with("COMMIT;"),
        "{sql}"
    );
}

#[test]
fn enum_labels_are_compared_one_by_one() {
    let ty = |labels: &[&str]| TypeDef {
        name: ObjectName::new("app", "mood"),
        kind: TypeKind::Enum,
        parts: labels.iter().map(|l| l.to_string()).collect(),
        clauses: vec![],
        comment: None,
    };
    let mut src = source();
    src.types.push(ty(&["a, b"]));
    let mut tgt = source();
    tgt.types.push(ty(&["a", "b"]));
    let d = compare(&src, &tgt, &[]);
    assert_eq!(d.differences.len(), 1, "{:?}", d.differences);
    let d = compare(&src, &src, &[]);
    assert!(d.differences.is_empty(), "{:?}", d.differences);
}
