//! Statement text per dialect. Planners decide *what* to do; this module is the only place
//! that knows how each dialect spells it. Identifiers always go through [`quote`].

use crate::catalog::{Constraint, ConstraintKind, Index};
use crate::charset::Dialect;

use crate::dialect::{ident, literal, qualified};

pub fn disable_trigger(d: Dialect, owner: &str, table: &str, name: &str) -> String {
    match d {
        Dialect::Oracle => format!("ALTER TRIGGER {} DISABLE", qualified(d, owner, name)),
        Dialect::Postgres => format!(
            "ALTER TABLE {} DISABLE TRIGGER {}",
            qualified(d, owner, table),
            ident(d, name)
        ),
    }
}

pub fn enable_trigger(d: Dialect, owner: &str, table: &str, name: &str) -> String {
    match d {
        Dialect::Oracle => format!("ALTER TRIGGER {} ENABLE", qualified(d, owner, name)),
        Dialect::Postgres => format!(
            "ALTER TABLE {} ENABLE TRIGGER {}",
            qualified(d, owner, table),
            ident(d, name)
        ),
    }
}

/// PostgreSQL's definition without a trailing `NOT VALID` (pg_get_constraintdef adds it for
/// constraints that were never validated).
fn pg_definition(c: &Constraint) -> String {
    let def = c.definition.as_deref().unwrap_or("").trim();
    def.strip_suffix("NOT VALID")
        .map_or(def, str::trim_end)
        .to_string()
}

/// How an Oracle statement names a constraint: by name, or — for a system-named (SYS_C…)
/// primary or unique key, whose name may differ on the target — by definition
/// (`PRIMARY KEY`, `UNIQUE ("A", "B")`).
fn oracle_target(c: &Constraint, by_definition: bool) -> String {
    let d = Dialect::Oracle;
    match (by_definition, c.kind) {
        (true, ConstraintKind::Primary) => "PRIMARY KEY".into(),
        (true, ConstraintKind::Unique) if !c.columns.is_empty() => format!(
            "UNIQUE ({})",
            c.columns
                .iter()
                .map(|n| ident(d, n))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => format!("CONSTRAINT {}", ident(d, &c.name)),
    }
}

/// Takes a constraint out of the way for the copy. An Oracle primary or unique key keeps its
/// index (`KEEP INDEX`): dropping it would lose its tablespace, partitioning and compression,
/// which a rebuild at ENABLE does not know.
pub fn disable_constraint(d: Dialect, c: &Constraint, by_definition: bool) -> String {
    let t = qualified(d, &c.owner, &c.table);
    match d {
        Dialect::Oracle => format!(
            "ALTER TABLE {t} DISABLE {}{}",
            oracle_target(c, by_definition),
            if matches!(c.kind, ConstraintKind::Primary | ConstraintKind::Unique) {
                " KEEP INDEX"
            } else {
                ""
            }
        ),
        // PostgreSQL cannot disable a constraint: it is dropped and added back NOT VALID.
        // IF EXISTS: a target made by `charmig schema` has no foreign keys before the copy
        // (they are added after it), and a re-run of the script finds them gone already.
        Dialect::Postgres => format!(
            "ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {}",
            ident(d, &c.name)
        ),
    }
}

/// Puts a constraint back checking new rows only (ENABLE NOVALIDATE / NOT VALID). PostgreSQL
/// primary and unique keys have no NOT VALID form: they are added back validated.
pub fn enable_novalidate(d: Dialect, c: &Constraint, by_definition: bool) -> String {
    let t = qualified(d, &c.owner, &c.table);
    match d {
        Dialect::Oracle => format!(
            "ALTER TABLE {t} ENABLE NOVALIDATE {}",
            oracle_target(c, by_definition)
        ),
        Dialect::Postgres => {
            let not_valid = matches!(c.kind, ConstraintKind::Foreign | ConstraintKind::Check);
            format!(
                "ALTER TABLE {t} ADD CONSTRAINT {} {}{}",
                ident(d, &c.name),
                pg_definition(c),
                if not_valid { " NOT VALID" } else { "" }
            )
        }
    }
}

/// Restores a constraint to the state the dictionary recorded.
pub fn restore_constraint(d: Dialect, c: &Constraint, by_definition: bool) -> String {
    let t = qualified(d, &c.owner, &c.table);
    match d {
        Dialect::Oracle if !c.enabled => {
            format!(
                "ALTER TABLE {t} DISABLE {}",
                oracle_target(c, by_definition)
            )
        }
        Dialect::Oracle => format!(
            "ALTER TABLE {t} ENABLE {} {}",
            if c.validated {
                "VALIDATE"
            } else {
                "NOVALIDATE"
            },
            oracle_target(c, by_definition)
        ),
        Dialect::Postgres => {
            let def = c.definition.as_deref().unwrap_or("").trim();
            format!("ALTER TABLE {t} ADD CONSTRAINT {} {def}", ident(d, &c.name))
        }
    }
}

pub fn validate_constraint(d: Dialect, c: &Constraint, by_definition: bool) -> String {
    let t = qualified(d, &c.owner, &c.table);
    match d {
        Dialect::Oracle => format!(
            "ALTER TABLE {t} ENABLE VALIDATE {}",
            oracle_target(c, by_definition)
        ),
        Dialect::Postgres => format!("ALTER TABLE {t} VALIDATE CONSTRAINT {}", ident(d, &c.name)),
    }
}

/// Moves an identity column's generator past the values the copy loaded:
/// `ALTER TABLE … MODIFY (col GENERATED … AS IDENTITY (START WITH LIMIT VALUE))` (12.1+).
/// Its ISEQ$$_ sequence cannot be altered directly (ORA-32793) and is named otherwise on the
/// target.
pub fn sync_identity(owner: &str, table: &str, column: &str, generation: &str) -> String {
    let d = Dialect::Oracle;
    format!(
        "ALTER TABLE {} MODIFY ({} GENERATED {generation} AS IDENTITY (START WITH LIMIT VALUE))",
        qualified(d, owner, table),
        ident(d, column)
    )
}

pub fn drop_index(d: Dialect, i: &Index) -> String {
    format!("DROP INDEX {}", qualified(d, &i.owner, &i.name))
}

/// The statement that re-creates an index: the scripted DDL when the source gave one
/// (DBMS_METADATA.GET_DDL, pg_get_indexdef), else one built from the column list.
pub fn create_index(d: Dialect, i: &Index) -> String {
    if let Some(ddl) = i.ddl.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        return ddl
            .trim_end_matches(';')
            .trim_end_matches('/')
            .trim_end()
            .to_string();
    }
    let cols: Vec<String> = i
        .columns
        .iter()
        .map(|c| {
            if is_plain_name(c) {
                ident(d, c)
            } else {
                c.clone()
            }
        })
        .collect();
    // Oracle: a BITMAP index stays BITMAP (and, on a partitioned table, must be LOCAL); DESC
    // columns arrive as `"COL" DESC` from the dictionary mapping and are kept as written.
    let bitmap = d == Dialect::Oracle && i.index_type.to_ascii_uppercase().contains("BITMAP");
    format!(
        "CREATE {}{}INDEX {} ON {} ({}){}",
        if i.unique { "UNIQUE " } else { "" },
        if bitmap { "BITMAP " } else { "" },
        qualified(d, &i.owner, &i.name),
        qualified(d, &i.table_owner, &i.table),
        cols.join(", "),
        if bitmap && i.partitioned {
            " LOCAL"
        } else {
            ""
        }
    )
}

/// A column name rather than an expression (function-based index columns are expressions).
fn is_plain_name(s: &str) -> bool {
    !s.is_empty() && !s.contains(['(', ')', ' ', '|', '+', '\'', '"'])
}

/// `ALTER TABLE … MODIFY (col TYPE(n CHAR))` (Oracle only).
pub fn modify_column(owner: &str, table: &str, column: &str, type_spec: &str) -> String {
    let d = Dialect::Oracle;
    format!(
        "ALTER TABLE {} MODIFY ({} {type_spec})",
        qualified(d, owner, table),
        ident(d, column)
    )
}

/// A PL/SQL block after which the sequence hands out `start` next (one increment past the
/// source's last value, capped at MAXVALUE: the planner decides), never moving it back:
/// [`crate::dialect::oracle::advance_sequence`], documented on every release where `ALTER
/// SEQUENCE … RESTART` needs 18c.
pub fn restart_sequence(owner: &str, name: &str, increment: i128, start: i128) -> String {
    crate::dialect::oracle::advance_sequence(
        &qualified(Dialect::Oracle, owner, name),
        increment,
        start,
    )
}

/// Moves a PostgreSQL target sequence past `value` (the source's last value), so it never
/// hands out a value the source already used (Oracle: [`restart_sequence`]).
pub fn sync_sequence(owner: &str, name: &str, value: i128) -> String {
    let d = Dialect::Postgres;
    let q = qualified(d, owner, name);
    format!(
        "SELECT setval({}, GREATEST({value}, (SELECT last_value FROM {q})), true)",
        literal(d, &q)
    )
}
