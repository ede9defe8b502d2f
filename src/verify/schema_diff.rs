//! The schema comparison: two [`SchemaModel`]s (the definition model `charmig schema` reads,
//! one per side) compared object by object, every object missing, extra or different on the
//! target named with the property that differs, and the statement that closes each difference
//! as a [`FixStep`] placed in migration order ([`Phase`]).
//!
//! Compared: schemas, extensions (missing only: a target may carry more, e.g. dblink for the
//! copy), types (enum labels in order, domain base type, NOT NULL, CHECKs, composites, ranges),
//! sequences (options; the target's next value at or past the source's), tables (logged or
//! unlogged, partition key and bound, inheritance, row-level security and policies) and
//! their columns (type with modifiers and collation, NOT NULL, default, generated/identity),
//! constraints (definition, validated), indexes (columns or expressions, uniqueness, method,
//! predicate), views and materialized views (text, options, populated), functions and procedures (text),
//! triggers (definition, enabled state), comments and privileges ([`super::schema_acl`]).
//! Owners are compared by [`super::compare_schema`] unless `--no-owner`.
//!
//! Types are compared as the server formats them. Both sides are PostgreSQL and a PostgreSQL
//! `varchar(n)` counts characters on both, so the length semantics need no translation here;
//! Oracle -> Oracle is compared by [`super::oracle_schema_diff`], which knows the planned
//! `VARCHAR2(10 BYTE)` -> `VARCHAR2(10 CHAR)` change.
//!
//! Extra objects on the target are reported but never dropped by `fix.sql` (a comment says so):
//! dropping is a decision for the DBA.

use super::Difference;
use crate::dialect::postgres::{ident, literal};
use crate::schema::model::*;

/// Where a fix statement runs in `fix.sql`: the order a migration creates things in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    Schemas,
    Extensions,
    Sequences,
    Tables,
    /// Views over a column whose type changes: dropped first, re-created with the views.
    DropDependents,
    ColumnTypes,
    ColumnProperties,
    Routines,
    Views,
    Constraints,
    Indexes,
    ForeignKeys,
    Validate,
    Triggers,
    TriggerStates,
    SequenceValues,
    Comments,
    Owners,
    Grants,
}

/// One statement (or a DROP + CREATE pair) of `fix.sql`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixStep {
    pub phase: Phase,
    /// What it closes, for the comment above it (rendered with `comment_text`).
    pub why: String,
    pub sql: String,
}

/// Differences and fixes found so far.
#[derive(Debug, Default)]
pub struct SchemaDiff {
    pub differences: Vec<Difference>,
    pub fixes: Vec<FixStep>,
    /// Extra target objects that `fix.sql` leaves alone.
    pub left_alone: Vec<String>,
    /// Differences `fix.sql` cannot close by itself, with what to do (Oracle: a missing
    /// trigger, whose body the dictionary views do not give).
    pub manual: Vec<String>,
    /// Tables with a column whose type `fix.sql` changes (views over them are re-created).
    pub(super) retyped: Vec<ObjectName>,
}

fn q(n: &ObjectName) -> String {
    format!("{}.{}", ident(&n.schema), ident(&n.name))
}

impl SchemaDiff {
    pub(super) fn diff(
        &mut self,
        object_type: &'static str,
        schema: &str,
        object: &str,
        property: &str,
        source: &str,
        target: &str,
    ) {
        self.differences.push(Difference {
            area: "schema",
            object_type,
            schema: schema.to_string(),
            object: object.to_string(),
            property: property.to_string(),
            source: source.to_string(),
            target: target.to_string(),
            detail: String::new(),
        });
    }

    pub(super) fn fix(&mut self, phase: Phase, why: String, sql: String) {
        self.fixes.push(FixStep { phase, why, sql });
    }

    pub(super) fn extra(&mut self, object_type: &'static str, schema: &str, object: &str) {
        self.diff(object_type, schema, object, "extra on target", "", "");
        self.left_alone
            .push(format!("{object_type} {schema}.{object}"));
    }
}

fn in_scope(schema: &str, schemas: &[String]) -> bool {
    schemas.is_empty() || schemas.iter().any(|s| s == schema)
}

/// The model without charmig's own objects (logs and audit tables named `charmig_*` outside
/// its schema, where older runs put them; the reader already leaves out the `charmig` schema).
fn without_own(m: &SchemaModel) -> SchemaModel {
    let own = |n: &ObjectName| crate::own::is_own_table(&n.schema, &n.name);
    let mut m = m.clone();
    m.tables.retain(|t| !own(&t.name));
    m.sequences.retain(|s| !own(&s.name));
    m.constraints.retain(|c| !own(&c.table));
    m.indexes.retain(|i| !own(&i.table) && !own(&i.name));
    m.views.retain(|v| !own(&v.name));
    m.triggers.retain(|t| !own(&t.table));
    m
}

/// Compares the target's model with the source's, within `schemas` (all when empty).
/// charmig's own objects are left out of both.
pub fn compare(src: &SchemaModel, tgt: &SchemaModel, schemas: &[String]) -> SchemaDiff {
    let (src, tgt) = (&without_own(src), &without_own(tgt));
    let mut d = SchemaDiff::default();
    for s in src.schemas.iter().filter(|s| in_scope(&s.name, schemas)) {
        if !tgt.schemas.iter().any(|t| t.name == s.name) {
            d.diff("schema", &s.name, &s.name, "missing on target", "", "");
            d.fix(
                Phase::Schemas,
                format!("schema {} missing", s.name),
                format!("CREATE SCHEMA {}", ident(&s.name)),
            );
        }
    }
    if schemas.is_empty() {
        for t in &tgt.schemas {
            if !src.schemas.iter().any(|s| s.name == t.name) {
                d.extra("schema", &t.name, &t.name);
            }
        }
    }
    for e in &src.extensions {
        if !tgt.extensions.iter().any(|t| t.name == e.name) {
            d.diff(
                "extension",
                &e.schema,
                &e.name,
                "missing on target",
                &e.version,
                "",
            );
            d.fix(
                Phase::Extensions,
                format!("extension {} missing", e.name),
                format!(
                    "CREATE EXTENSION IF NOT EXISTS {} SCHEMA {}",
                    ident(&e.name),
                    ident(&e.schema)
                ),
            );
        }
    }
    super::schema_types::types(src, tgt, schemas, &mut d);
    sequences(src, tgt, schemas, &mut d);
    tables(src, tgt, schemas, &mut d);
    super::schema_objects::constraints(src, tgt, schemas, &mut d);
    super::schema_objects::indexes(src, tgt, schemas, &mut d);
    super::schema_objects::views(src, tgt, schemas, &mut d);
    super::schema_objects::routines(src, tgt, schemas, &mut d);
    super::schema_objects::triggers(src, tgt, schemas, &mut d);
    super::schema_acl::comments_and_grants(src, tgt, schemas, &mut d);
    d.fixes.sort_by_key(|f| f.phase);
    d
}

/// The value `nextval` hands out next.
fn next_value(s: &SequenceDef) -> i128 {
    i128::from(s.last_value)
        + if s.is_called {
            i128::from(s.increment)
        } else {
            0
        }
}

fn setval(s: &SequenceDef) -> String {
    format!(
        "SELECT pg_catalog.setval({}, {}, {})",
        literal(&q(&s.name)),
        s.last_value,
        s.is_called
    )
}

fn sequences(src: &SchemaModel, tgt: &SchemaModel, schemas: &[String], d: &mut SchemaDiff) {
    for s in src
        .sequences
        .iter()
        .filter(|s| in_scope(&s.name.schema, schemas))
    {
        let (schema, name) = (&s.name.schema, &s.name.name);
        let Some(t) = tgt.sequence(&s.name) else {
            d.diff("sequence", schema, name, "missing on target", "", "");
            if !s.identity {
                d.fix(
                    Phase::Sequences,
                    format!("sequence {} missing", s.name),
                    format!(
                        "CREATE SEQUENCE {} AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {}{}",
                        q(&s.name),
                        s.data_type,
                        s.increment,
                        s.min_value,
                        s.max_value,
                        s.start,
                        s.cache,
                        if s.cycle { " CYCLE" } else { " NO CYCLE" }
                    ),
                );
                if let Some((table, column)) = &s.owned_by {
                    d.fix(
                        Phase::ColumnProperties,
                        format!("sequence {} owned by {table}.{column}", s.name),
                        format!(
                            "ALTER SEQUENCE {} OWNED BY {}.{}",
                            q(&s.name),
                            q(table),
                            ident(column)
                        ),
                    );
                }
                d.fix(
                    Phase::SequenceValues,
                    format!("sequence {} value", s.name),
                    setval(s),
                );
            }
            continue;
        };
        let options = |x: &SequenceDef| {
            format!(
                "AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} CACHE {}{}",
                x.data_type,
                x.increment,
                x.min_value,
                x.max_value,
                x.cache,
                if x.cycle { " CYCLE" } else { " NO CYCLE" }
            )
        };
        if options(s) != options(t) {
            d.diff(
                "sequence",
                schema,
                name,
                "options",
                &options(s),
                &options(t),
            );
            d.fix(
                Phase::Sequences,
                format!("sequence {} options", s.name),
                format!("ALTER SEQUENCE {} {}", q(&s.name), options(s)),
            );
        }
        let (sn, tn) = (next_value(s), next_value(t));
        let behind = if s.increment >= 0 { tn < sn } else { tn > sn };
        if behind {
            d.diff(
                "sequence",
                schema,
                name,
                "behind the source",
                &format!("next {sn}"),
                &format!("next {tn}"),
            );
            d.fix(
                Phase::SequenceValues,
                format!("sequence {} behind the source", s.name),
                setval(s),
            );
        }
    }
    for t in tgt
        .sequences
        .iter()
        .filter(|t| in_scope(&t.name.schema, schemas))
    {
        if src.sequence(&t.name).is_none() {
            d.extra("sequence", &t.name.schema, &t.name.name);
        }
    }
}

/// A column as it appears in CREATE TABLE / ADD COLUMN.
pub(crate) fn column_sql(c: &ColumnDef) -> String {
    let mut s = format!("{} {}", ident(&c.name), c.type_sql);
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {}", q(coll)));
    }
    match &c.generated {
        Some(Generated::Stored { expression }) => {
            s.push_str(&format!(" GENERATED ALWAYS AS ({expression}) STORED"))
        }
        Some(Generated::Identity { always, .. }) => s.push_str(if *always {
            " GENERATED ALWAYS AS IDENTITY"
        } else {
            " GENERATED BY DEFAULT AS IDENTITY"
        }),
        None => {}
    }
    if let Some(def) = &c.default {
        s.push_str(&format!(" DEFAULT {def}"));
    }
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    s
}

fn type_text(c: &ColumnDef) -> String {
    match &c.collation {
        Some(coll) => format!("{} COLLATE {}", c.type_sql, q(coll)),
        None => c.type_sql.clone(),
    }
}

fn tables(src: &SchemaModel, tgt: &SchemaModel, schemas: &[String], d: &mut SchemaDiff) {
    for s in src
        .tables
        .iter()
        .filter(|t| in_scope(&t.name.schema, schemas))
    {
        let (schema, name) = (&s.name.schema, &s.name.name);
        let Some(t) = tgt.table(&s.name) else {
            d.diff("table", schema, name, "missing on target", "", "");
            let cols: Vec<String> = s.columns.iter().map(column_sql).collect();
            let sql = match &s.partition_of {
                Some((parent, bound)) => {
                    format!(
                        "CREATE TABLE {} PARTITION OF {} {bound}",
                        q(&s.name),
                        q(parent)
                    )
                }
                None => format!(
                    "CREATE {}TABLE {} (\n    {}\n){}",
                    if s.unlogged { "UNLOGGED " } else { "" },
                    q(&s.name),
                    cols.join(",\n    "),
                    s.partition_key
                        .as_ref()
                        .map(|k| format!(" PARTITION BY {k}"))
                        .unwrap_or_default()
                ),
            };
            d.fix(Phase::Tables, format!("table {} missing", s.name), sql);
            continue;
        };
        let alter = format!("ALTER TABLE {}", q(&s.name));
        super::schema_types::table_properties(s, t, d);
        for c in &s.columns {
            let object = format!("{name}.{}", c.name);
            let col = format!("{}.{}", s.name, c.name);
            let Some(tc) = t.columns.iter().find(|x| x.name == c.name) else {
                d.diff(
                    "column",
                    schema,
                    &object,
                    "missing on target",
                    &type_text(c),
                    "",
                );
                d.fix(
                    Phase::ColumnTypes,
                    format!("column {col} missing"),
                    format!("{alter} ADD COLUMN {}", column_sql(c)),
                );
                continue;
            };
            if type_text(c) != type_text(tc) {
                d.diff(
                    "column",
                    schema,
                    &object,
                    "type",
                    &type_text(c),
                    &type_text(tc),
                );
                d.retyped.push(s.name.clone());
                d.fix(
                    Phase::ColumnTypes,
                    format!("column {col} type"),
                    format!(
                        "{alter} ALTER COLUMN {} TYPE {}",
                        ident(&c.name),
                        type_text(c)
                    ),
                );
            }
            if c.not_null != tc.not_null {
                let word = |b: bool| if b { "NOT NULL" } else { "NULL" };
                d.diff(
                    "column",
                    schema,
                    &object,
                    "nullability",
                    word(c.not_null),
                    word(tc.not_null),
                );
                d.fix(
                    Phase::ColumnProperties,
                    format!("column {col} nullability"),
                    format!(
                        "{alter} ALTER COLUMN {} {} NOT NULL",
                        ident(&c.name),
                        if c.not_null { "SET" } else { "DROP" }
                    ),
                );
            }
            if c.default != tc.default && c.generated.is_none() {
                d.diff(
                    "column",
                    schema,
                    &object,
                    "default",
                    c.default.as_deref().unwrap_or("(none)"),
                    tc.default.as_deref().unwrap_or("(none)"),
                );
                d.fix(
                    Phase::ColumnProperties,
                    format!("column {col} default"),
                    match &c.default {
                        Some(def) => {
                            format!("{alter} ALTER COLUMN {} SET DEFAULT {def}", ident(&c.name))
                        }
                        None => format!("{alter} ALTER COLUMN {} DROP DEFAULT", ident(&c.name)),
                    },
                );
            }
            let gen_text = |g: &Option<Generated>| match g {
                None => "(none)".to_string(),
                Some(Generated::Stored { expression }) => format!("stored ({expression})"),
                Some(Generated::Identity { always, .. }) => {
                    format!("identity {}", if *always { "always" } else { "by default" })
                }
            };
            if gen_text(&c.generated) != gen_text(&tc.generated) {
                // Changing how a column is generated rewrites it: reported, left to the DBA.
                d.diff(
                    "column",
                    schema,
                    &object,
                    "generated",
                    &gen_text(&c.generated),
                    &gen_text(&tc.generated),
                );
            }
        }
        for tc in &t.columns {
            if !s.columns.iter().any(|c| c.name == tc.name) {
                d.extra("column", schema, &format!("{name}.{}", tc.name));
            }
        }
    }
    for t in tgt
        .tables
        .iter()
        .filter(|t| in_scope(&t.name.schema, schemas))
    {
        if src.table(&t.name).is_none() {
            d.extra("table", &t.name.schema, &t.name.name);
        }
    }
}
