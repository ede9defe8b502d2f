//! Names a UTF-8 target cannot hold. PostgreSQL keeps 63 bytes of a name (and of an enum
//! label) and cuts a longer identifier with only a NOTICE; a LATIN1/LATIN9/WIN1252 name of
//! up to 63 characters fits its own database, but each accented letter takes two bytes in
//! UTF-8. Created as they are, such names would be cut (two names alike up to byte 63 would
//! then be one object, and `copy`, `verify` would look for the full name), so `charmig schema`
//! refuses them, each named with its fix, before anything is created.

use super::model::*;
use crate::dialect::postgres::{cut_in_utf8, shown, shown_ident, too_long_message};

/// Adds the message for `name` (the object `what`) when a UTF-8 database would cut it.
fn check(out: &mut Vec<String>, what: String, name: &str) {
    if let Some(cut) = cut_in_utf8(name) {
        out.push(too_long_message(&what, name, &cut));
    }
}

/// One message per name of a table (`schema`.`table`) and of its columns longer than a UTF-8
/// database keeps (its schema's name is not checked here).
pub fn table_too_long<'a>(
    schema: &str,
    table: &str,
    columns: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let mut out = Vec::new();
    check(&mut out, format!("table {}", shown(schema, table)), table);
    for c in columns {
        check(
            &mut out,
            format!("column {} of {}", shown_ident(c), shown(schema, table)),
            c,
        );
    }
    out
}

/// One message per name of `m` longer than a UTF-8 database keeps.
pub fn too_long(m: &SchemaModel) -> Vec<String> {
    let mut out = Vec::new();
    let obj = |n: &ObjectName| shown(&n.schema, &n.name);
    for s in &m.schemas {
        check(
            &mut out,
            format!("schema {}", shown_ident(&s.name)),
            &s.name,
        );
    }
    for t in &m.types {
        check(&mut out, format!("type {}", obj(&t.name)), &t.name.name);
        if t.kind == TypeKind::Composite {
            for a in t.parts.iter().filter_map(|p| leading_ident(p)) {
                check(
                    &mut out,
                    format!("attribute {} of type {}", shown_ident(&a), obj(&t.name)),
                    &a,
                );
            }
        }
        if t.kind == TypeKind::Domain {
            for c in t
                .clauses
                .iter()
                .filter_map(|c| c.strip_prefix("CONSTRAINT "))
                .filter_map(leading_ident)
            {
                check(
                    &mut out,
                    format!("constraint {} of domain {}", shown_ident(&c), obj(&t.name)),
                    &c,
                );
            }
        }
        if t.kind == TypeKind::Enum {
            for l in &t.parts {
                check(
                    &mut out,
                    format!(
                        "label {} of enum {}",
                        crate::dialect::text::escape(&crate::dialect::postgres::literal(l)),
                        obj(&t.name)
                    ),
                    l,
                );
            }
        }
    }
    for s in m.sequences.iter().filter(|s| !s.identity) {
        check(&mut out, format!("sequence {}", obj(&s.name)), &s.name.name);
    }
    for t in &m.tables {
        out.extend(table_too_long(
            &t.name.schema,
            &t.name.name,
            t.columns.iter().map(|c| c.name.as_str()),
        ));
    }
    for c in &m.constraints {
        check(
            &mut out,
            format!("constraint {} on {}", shown_ident(&c.name), obj(&c.table)),
            &c.name,
        );
    }
    for i in &m.indexes {
        check(&mut out, format!("index {}", obj(&i.name)), &i.name.name);
    }
    for v in &m.views {
        check(&mut out, format!("view {}", obj(&v.name)), &v.name.name);
        for c in &v.columns {
            check(
                &mut out,
                format!("column {} of view {}", shown_ident(c), obj(&v.name)),
                c,
            );
        }
    }
    for r in &m.routines {
        check(&mut out, format!("function {}", obj(&r.name)), &r.name.name);
    }
    for t in &m.triggers {
        check(
            &mut out,
            format!("trigger {} on {}", shown_ident(&t.name), obj(&t.table)),
            &t.name,
        );
    }
    out
}

/// The identifier `text` starts with (`"a b" integer` -> `a b`, `x integer` -> `x`).
fn leading_ident(text: &str) -> Option<String> {
    match text.strip_prefix('"') {
        Some(rest) => {
            let mut out = String::new();
            let mut chars = rest.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        out.push('"');
                    } else {
                        return Some(out);
                    }
                } else {
                    out.push(c);
                }
            }
            None
        }
        None => text.split_whitespace().next().map(str::to_string),
    }
}
