//! The schema comparison of what a table's rows rely on beyond its columns: user types
//! (enum labels in order, a domain's base type, NOT NULL and CHECKs, a composite's attributes,
//! a range's subtype) and a table's own properties (logged or unlogged, partition key and
//! bound, inheritance, row-level security and its policies). A domain CHECK or a policy
//! dropped on the target changes no row, so only this comparison sees it.

use super::schema_diff::{Phase, SchemaDiff};
use crate::schema::model::*;

fn q(n: &ObjectName) -> String {
    crate::dialect::postgres::qualified(&n.schema, &n.name)
}

fn in_scope(schema: &str, schemas: &[String]) -> bool {
    schemas.is_empty() || schemas.iter().any(|s| s == schema)
}

fn type_text(t: &TypeDef) -> String {
    let kind = match t.kind {
        TypeKind::Enum => "enum",
        TypeKind::Domain => "domain",
        TypeKind::Composite => "composite",
        TypeKind::Range => "range",
    };
    let mut s = format!("{kind} ({})", t.parts.join(", "));
    for c in &t.clauses {
        s.push(' ');
        s.push_str(c);
    }
    s
}

/// The statement that creates `t` (as `charmig schema` does).
fn create_type(t: &TypeDef) -> String {
    let one = crate::schema::postgres::statements(&SchemaModel {
        types: vec![t.clone()],
        ..Default::default()
    });
    one.into_iter()
        .find(|s| s.kind == "create_type")
        .map(|s| s.sql)
        .unwrap_or_default()
}

pub(super) fn types(src: &SchemaModel, tgt: &SchemaModel, schemas: &[String], d: &mut SchemaDiff) {
    for s in src
        .types
        .iter()
        .filter(|t| in_scope(&t.name.schema, schemas))
    {
        let (schema, name) = (&s.name.schema, &s.name.name);
        let Some(t) = tgt.types.iter().find(|t| t.name == s.name) else {
            d.diff("type", schema, name, "missing on target", &type_text(s), "");
            d.fix(
                Phase::Extensions,
                format!("type {} missing", s.name),
                create_type(s),
            );
            continue;
        };
        // Compared part by part: the text joins the parts with ", ", which an enum label
        // may hold itself (`'a, b'` against `'a'`, `'b'`).
        if (s.kind, &s.parts, &s.clauses) != (t.kind, &t.parts, &t.clauses) {
            // Changing a type under the columns that use it is the DBA's decision: reported.
            d.diff(
                "type",
                schema,
                name,
                "definition",
                &type_text(s),
                &type_text(t),
            );
        }
    }
    for t in tgt
        .types
        .iter()
        .filter(|t| in_scope(&t.name.schema, schemas))
    {
        if !src.types.iter().any(|s| s.name == t.name) {
            d.extra("type", &t.name.schema, &t.name.name);
        }
    }
}

/// Properties of a table present on both sides, other than its columns.
pub(super) fn table_properties(s: &TableDef, t: &TableDef, d: &mut SchemaDiff) {
    let (schema, name) = (&s.name.schema, &s.name.name);
    let alter = format!("ALTER TABLE {}", q(&s.name));
    if s.unlogged != t.unlogged {
        let word = |u: bool| if u { "UNLOGGED" } else { "LOGGED" };
        d.diff(
            "table",
            schema,
            name,
            "persistence",
            word(s.unlogged),
            word(t.unlogged),
        );
        d.fix(
            Phase::ColumnProperties,
            format!("table {} persistence", s.name),
            format!("{alter} SET {}", word(s.unlogged)),
        );
    }
    let part = |x: &TableDef| {
        let mut v = Vec::new();
        if let Some(k) = &x.partition_key {
            v.push(format!("PARTITION BY {k}"));
        }
        if let Some((p, bound)) = &x.partition_of {
            v.push(format!("PARTITION OF {} {bound}", q(p)));
        }
        v.join(" ")
    };
    if part(s) != part(t) {
        d.diff("table", schema, name, "partitioning", &part(s), &part(t));
    }
    let parents = |x: &TableDef| x.inherits.iter().map(q).collect::<Vec<_>>().join(", ");
    if s.inherits != t.inherits {
        d.diff("table", schema, name, "inherits", &parents(s), &parents(t));
        for p in s.inherits.iter().filter(|p| !t.inherits.contains(p)) {
            d.fix(
                Phase::Constraints,
                format!("table {} inherits {p}", s.name),
                format!("{alter} INHERIT {}", q(p)),
            );
        }
    }
    for r in s
        .row_security
        .iter()
        .filter(|r| !t.row_security.contains(r))
    {
        d.diff(
            "table",
            schema,
            name,
            "row-level security missing on target",
            r,
            "",
        );
        d.fix(
            Phase::TriggerStates,
            format!("table {} row-level security", s.name),
            r.clone(),
        );
    }
    for r in t
        .row_security
        .iter()
        .filter(|r| !s.row_security.contains(r))
    {
        d.diff(
            "table",
            schema,
            name,
            "row-level security extra on target",
            "",
            r,
        );
    }
}
