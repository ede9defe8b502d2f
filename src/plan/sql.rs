//! Statement text per dialect. Planners decide *what* to do; this module is the only place
//! that knows how each dialect spells it. Identifiers always go through [`quote`].

use crate::catalog::{Constraint, ConstraintKind, Index};
use crate::charset::Dialect;

/// Quotes an identifier: always double-quoted, `"` doubled. Both dialects store names exactly
/// as the dictionary shows them (Oracle folds unquoted names to upper case, PostgreSQL to
/// lower case when they are created), so quoting the dictionary spelling is always right.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `"OWNER"."NAME"`.
pub fn qualified(owner: &str, name: &str) -> String {
    format!("{}.{}", quote(owner), quote(name))
}

/// A string literal: single-quoted, `'` doubled.
pub fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub fn disable_trigger(d: Dialect, owner: &str, table: &str, name: &str) -> String {
    match d {
        Dialect::Oracle => format!("ALTER TRIGGER {} DISABLE", qualified(owner, name)),
        Dialect::Postgres => format!("ALTER TABLE {} DISABLE TRIGGER {}", qualified(owner, table), quote(name)),
    }
}

pub fn enable_trigger(d: Dialect, owner: &str, table: &str, name: &str) -> String {
    match d {
        Dialect::Oracle => format!("ALTER TRIGGER {} ENABLE", qualified(owner, name)),
        Dialect::Postgres => format!("ALTER TABLE {} ENABLE TRIGGER {}", qualified(owner, table), quote(name)),
    }
}

/// PostgreSQL's definition without a trailing `NOT VALID` (pg_get_constraintdef adds it for
/// constraints that were never validated).
fn pg_definition(c: &Constraint) -> String {
    let def = c.definition.as_deref().unwrap_or("").trim();
    def.strip_suffix("NOT VALID").map_or(def, str::trim_end).to_string()
}

/// Takes a constraint out of the way for the copy.
pub fn disable_constraint(d: Dialect, c: &Constraint) -> String {
    let t = qualified(&c.owner, &c.table);
    match d {
        Dialect::Oracle => format!("ALTER TABLE {t} DISABLE CONSTRAINT {}", quote(&c.name)),
        // PostgreSQL cannot disable a constraint: it is dropped and added back NOT VALID.
        Dialect::Postgres => format!("ALTER TABLE {t} DROP CONSTRAINT {}", quote(&c.name)),
    }
}

/// Puts a constraint back checking new rows only (ENABLE NOVALIDATE / NOT VALID). PostgreSQL
/// primary and unique keys have no NOT VALID form: they are added back validated.
pub fn enable_novalidate(d: Dialect, c: &Constraint) -> String {
    let t = qualified(&c.owner, &c.table);
    match d {
        Dialect::Oracle => format!("ALTER TABLE {t} ENABLE NOVALIDATE CONSTRAINT {}", quote(&c.name)),
        Dialect::Postgres => {
            let not_valid = matches!(c.kind, ConstraintKind::Foreign | ConstraintKind::Check);
            format!(
                "ALTER TABLE {t} ADD CONSTRAINT {} {}{}",
                quote(&c.name),
                pg_definition(c),
                if not_valid { " NOT VALID" } else { "" }
            )
        }
    }
}

/// Restores a constraint to the state the dictionary recorded.
pub fn restore_constraint(d: Dialect, c: &Constraint) -> String {
    let t = qualified(&c.owner, &c.table);
    match d {
        Dialect::Oracle if !c.enabled => format!("ALTER TABLE {t} DISABLE CONSTRAINT {}", quote(&c.name)),
        Dialect::Oracle => format!(
            "ALTER TABLE {t} ENABLE {} CONSTRAINT {}",
            if c.validated { "VALIDATE" } else { "NOVALIDATE" },
            quote(&c.name)
        ),
        Dialect::Postgres => {
            let def = c.definition.as_deref().unwrap_or("").trim();
            format!("ALTER TABLE {t} ADD CONSTRAINT {} {def}", quote(&c.name))
        }
    }
}

pub fn validate_constraint(d: Dialect, c: &Constraint) -> String {
    let t = qualified(&c.owner, &c.table);
    match d {
        Dialect::Oracle => format!("ALTER TABLE {t} ENABLE VALIDATE CONSTRAINT {}", quote(&c.name)),
        Dialect::Postgres => format!("ALTER TABLE {t} VALIDATE CONSTRAINT {}", quote(&c.name)),
    }
}

pub fn drop_index(_d: Dialect, i: &Index) -> String {
    format!("DROP INDEX {}", qualified(&i.owner, &i.name))
}

/// The statement that re-creates an index: the scripted DDL when the source gave one
/// (DBMS_METADATA.GET_DDL, pg_get_indexdef), else one built from the column list.
pub fn create_index(_d: Dialect, i: &Index) -> String {
    if let Some(ddl) = i.ddl.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        return ddl.trim_end_matches(';').trim_end_matches('/').trim_end().to_string();
    }
    let cols: Vec<String> = i
        .columns
        .iter()
        .map(|c| if is_plain_name(c) { quote(c) } else { c.clone() })
        .collect();
    format!(
        "CREATE {}INDEX {} ON {} ({})",
        if i.unique { "UNIQUE " } else { "" },
        qualified(&i.owner, &i.name),
        qualified(&i.table_owner, &i.table),
        cols.join(", ")
    )
}

/// A column name rather than an expression (function-based index columns are expressions).
fn is_plain_name(s: &str) -> bool {
    !s.is_empty() && !s.contains(['(', ')', ' ', '|', '+', '\'', '"'])
}

/// `ALTER TABLE … MODIFY (col TYPE(n CHAR))` (Oracle only).
pub fn modify_column(owner: &str, table: &str, column: &str, type_spec: &str) -> String {
    format!("ALTER TABLE {} MODIFY ({} {type_spec})", qualified(owner, table), quote(column))
}

/// Moves a target sequence past `value` (the source's last value), so it never hands out a
/// value the source already used.
pub fn sync_sequence(d: Dialect, owner: &str, name: &str, value: i128, increment: i128) -> String {
    match d {
        // RESTART is available from Oracle 18c; earlier releases need the increment trick.
        // LAST_NUMBER may already have been handed out: start one increment beyond it.
        Dialect::Oracle => format!("ALTER SEQUENCE {} RESTART START WITH {}", qualified(owner, name), value + increment),
        Dialect::Postgres => {
            let q = qualified(owner, name);
            format!("SELECT setval({}, GREATEST({value}, (SELECT last_value FROM {q})), true)", literal(&q))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted_and_escaped() {
        assert_eq!(quote("EMP"), "\"EMP\"");
        assert_eq!(quote("order notes"), "\"order notes\"");
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
        assert_eq!(qualified("hr", "Emp"), "\"hr\".\"Emp\"");
        assert_eq!(literal("O'Neil"), "'O''Neil'");
    }
}
