//! Names a UTF-8 target cannot hold. PostgreSQL keeps 63 bytes of a name (and of an enum
//! label) and cuts a longer identifier with only a NOTICE; a LATIN1/LATIN9/WIN1252 name of
//! up to 63 characters fits its own database, but each accented letter takes two bytes in
//! UTF-8. Created as they are, such names would be cut (two names alike up to byte 63 would
//! then be one object, and `copy`, `verify` would look for the full name), so `charmig schema`
//! refuses them, each named with its fix, before anything is created.

use super::model::*;
use crate::dialect::postgres::{cut_in_utf8, shown, shown_ident, too_long_message};

/// One message per name of `m` longer than a UTF-8 database keeps.
pub fn too_long(m: &SchemaModel) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |what: String, name: &str| {
        if let Some(cut) = cut_in_utf8(name) {
            out.push(too_long_message(&what, name, &cut));
        }
    };
    let obj = |n: &ObjectName| shown(&n.schema, &n.name);
    for s in &m.schemas {
        check(format!("schema {}", shown_ident(&s.name)), &s.name);
    }
    for t in &m.types {
        check(format!("type {}", obj(&t.name)), &t.name.name);
        if t.kind == TypeKind::Enum {
            for l in &t.parts {
                check(format!("label '{l}' of enum {}", obj(&t.name)), l);
            }
        }
    }
    for s in m.sequences.iter().filter(|s| !s.identity) {
        check(format!("sequence {}", obj(&s.name)), &s.name.name);
    }
    for t in &m.tables {
        check(format!("table {}", obj(&t.name)), &t.name.name);
        for c in &t.columns {
            check(
                format!("column {} of {}", shown_ident(&c.name), obj(&t.name)),
                &c.name,
            );
        }
    }
    for c in &m.constraints {
        check(
            format!("constraint {} on {}", shown_ident(&c.name), obj(&c.table)),
            &c.name,
        );
    }
    for i in &m.indexes {
        check(format!("index {}", obj(&i.name)), &i.name.name);
    }
    for v in &m.views {
        check(format!("view {}", obj(&v.name)), &v.name.name);
    }
    for r in &m.routines {
        check(format!("function {}", obj(&r.name)), &r.name.name);
    }
    for t in &m.triggers {
        check(
            format!("trigger {} on {}", shown_ident(&t.name), obj(&t.table)),
            &t.name,
        );
    }
    out
}
