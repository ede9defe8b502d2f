//! Every statement `charmig verify` sends to an Oracle source or target that the scan does not
//! already send, as pure functions (golden-tested in `tests/golden/verify/oracle/`): the
//! dictionary queries of the schema comparison, and how a value that is not character data is
//! printed for the checksum.
//!
//! Dictionary queries read the ALL_ views (no grant beyond CREATE SESSION and access to the
//! objects) of the owners that are not Oracle-maintained (`ALL_USERS.ORACLE_MAINTAINED = 'N'`,
//! Oracle 12.1+), narrowed to `--schema` owners when given (binds). LONG columns (defaults,
//! check conditions, view text, index expressions) are selected alone from their view, never
//! in a join condition or an ORDER BY, where Oracle refuses them.

use crate::source::oracle::sql::Stmt;

/// How a value that is not character data reaches the checksum. Both sides are Oracle, so one
/// form per type prints equal values identically on both; every form is NLS-independent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueForm {
    /// An SQL expression (`{col}` stands for the column) whose text is pure ASCII.
    Printed(String),
    /// The bytes as stored (RAW), written as upper-case hex by charmig.
    Hex,
    /// The bytes as stored (BLOB, LONG RAW), fetched whole and written by charmig as their
    /// length and 128-bit SipHash: exact to 2^-128, no grant on DBMS_CRYPTO needed, and the
    /// row text stays short however large the value.
    Hashed,
}

/// The NLS-fixed forms. `TM9` is the shortest exact decimal of a NUMBER (scientific beyond
/// 64 characters), with `.` as decimal separator whatever NLS_NUMERIC_CHARACTERS says;
/// BINARY_FLOAT/DOUBLE as the hex of their IEEE bits (exact, -0 and NaN included); dates with
/// a signed year (BC dates) and every field; timestamps with nine fractional digits; WITH TIME
/// ZONE as the UTC instant plus the zone as stored (region or offset); WITH LOCAL TIME ZONE
/// as the UTC instant (independent of the session time zone); intervals in their one
/// NLS-independent form.
pub fn value_form(data_type: &str) -> Option<ValueForm> {
    const DATE: &str = "'SYYYY-MM-DD HH24:MI:SS'";
    const TS: &str = "'SYYYY-MM-DD HH24:MI:SS.FF9'";
    let t = data_type.trim().to_ascii_uppercase();
    let base = t.split('(').next().unwrap_or("").trim();
    let printed = |s: String| Some(ValueForm::Printed(s));
    if t.starts_with("TIMESTAMP") {
        return if t.ends_with("WITH LOCAL TIME ZONE") {
            printed(format!("TO_CHAR(SYS_EXTRACT_UTC({{col}}), {TS})"))
        } else if t.ends_with("WITH TIME ZONE") {
            printed(format!(
                "TO_CHAR(SYS_EXTRACT_UTC({{col}}), {TS}) || ' ' || TO_CHAR({{col}}, 'TZR')"
            ))
        } else {
            printed(format!("TO_CHAR({{col}}, {TS})"))
        };
    }
    if t.starts_with("INTERVAL") {
        return printed("TO_CHAR({col})".into());
    }
    match base {
        "NUMBER" | "FLOAT" | "INTEGER" => {
            printed("TO_CHAR({col}, 'TM9', 'NLS_NUMERIC_CHARACTERS=''.,''')".into())
        }
        "BINARY_FLOAT" => printed("RAWTOHEX(UTL_RAW.CAST_FROM_BINARY_FLOAT({col}))".into()),
        "BINARY_DOUBLE" => printed("RAWTOHEX(UTL_RAW.CAST_FROM_BINARY_DOUBLE({col}))".into()),
        "DATE" => printed(format!("TO_CHAR({{col}}, {DATE})")),
        "ROWID" | "UROWID" => printed("CAST({col} AS VARCHAR2(4000))".into()),
        "RAW" => Some(ValueForm::Hex),
        "BLOB" | "LONG RAW" => Some(ValueForm::Hashed),
        _ => None,
    }
}

/// `:first, …` for `n` binds.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!(":{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The owner condition on `col`: not Oracle-maintained, and one of `owners` when given.
fn owners_filter(col: &str, owners: &[String]) -> String {
    owners_filter_from(col, owners, 1)
}

/// [`owners_filter`] with its binds numbered from `first` (a statement naming the owners
/// twice binds them twice: binding by position counts every placeholder).
fn owners_filter_from(col: &str, owners: &[String], first: usize) -> String {
    let mut s =
        format!("{col} IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')");
    if !owners.is_empty() {
        s.push_str(&format!(
            "\n   AND {col} IN ({})",
            placeholders(first, owners.len())
        ));
    }
    s
}

/// `(owner, constraint_name)` is a key some foreign key in scope references: the parent of a
/// foreign key to another schema (outside `--schema`, or Oracle-maintained) is read too, so
/// the foreign key is compared by its parent's table and columns, not by the parent's name
/// (a generated `SYS_C…` name differs between databases). Binds numbered after the owners'.
fn referenced_by_scope(owner: &str, name: &str, owners: &[String]) -> String {
    format!(
        "({owner}, {name}) IN (SELECT r.r_owner, r.r_constraint_name FROM ALL_CONSTRAINTS r\n       \
         WHERE r.constraint_type = 'R' AND {})",
        owners_filter_from("r.owner", owners, owners.len() + 1)
            .replace("\n   AND", "\n         AND")
    )
}

/// The owners' binds twice (a filter and [`referenced_by_scope`]).
fn stmt_twice(sql: String, owners: &[String]) -> Stmt {
    Stmt {
        sql,
        binds: owners.iter().chain(owners).cloned().collect(),
    }
}

fn stmt(sql: String, owners: &[String]) -> Stmt {
    Stmt {
        sql,
        binds: owners.to_vec(),
    }
}

/// Tables holding data: not dropped (recycle bin), not nested, not secondary (domain index
/// storage), not an IOT overflow, not a materialized view's container.
pub fn tables(owners: &[String]) -> Stmt {
    stmt(
        format!(
            "SELECT t.owner, t.table_name, t.temporary, t.iot_type, t.partitioned\n  FROM ALL_TABLES t\n WHERE {}\n   \
             AND t.dropped = 'NO' AND t.nested = 'NO' AND t.secondary = 'N'\n   \
             AND (t.iot_type IS NULL OR t.iot_type <> 'IOT_OVERFLOW')\n   \
             AND NOT EXISTS (SELECT 1 FROM ALL_MVIEWS m WHERE m.owner = t.owner AND m.mview_name = t.table_name)\n \
             ORDER BY t.owner, t.table_name",
            owners_filter("t.owner", owners)
        ),
        owners,
    )
}

/// Columns with what the comparison needs: type, byte and character lengths and which one
/// the column declares (CHAR_USED B/C), precision, scale, nullability, default (LONG).
/// ALL_TAB_COLS with USER_GENERATED = 'YES' (12.1+), not ALL_TAB_COLUMNS: the 12.1 reference
/// says ALL_TAB_COLUMNS filters out invisible columns, which hold data like any other.
/// VIRTUAL_COLUMN: DATA_DEFAULT is then the column's expression; IDENTITY_COLUMN: DATA_DEFAULT
/// names the identity's system sequence (`ISEQ$$_n`), which differs between databases.
pub fn columns(owners: &[String]) -> Stmt {
    stmt(
        format!(
            "SELECT c.owner, c.table_name, c.column_name, TO_CHAR(c.column_id) AS column_id, c.data_type,\n       \
             TO_CHAR(c.data_length) AS data_length, TO_CHAR(c.char_length) AS char_length, c.char_used,\n       \
             TO_CHAR(c.data_precision) AS data_precision, TO_CHAR(c.data_scale) AS data_scale, c.nullable,\n       \
             c.virtual_column, c.identity_column, c.data_default\n  FROM ALL_TAB_COLS c\n WHERE {}\n   \
             AND c.user_generated = 'YES'\n ORDER BY c.owner, c.table_name, c.internal_column_id",
            owners_filter("c.owner", owners)
        ),
        owners,
    )
}

/// Primary, unique, foreign-key and check constraints with their state; the check condition
/// is SEARCH_CONDITION (LONG, every version). GENERATED says whether the name is Oracle's
/// own (`SYS_C…`), which differs between databases.
pub fn constraints(owners: &[String]) -> Stmt {
    stmt_twice(
        format!(
            "SELECT c.owner, c.constraint_name, c.constraint_type, c.table_name, c.status, c.validated,\n       \
             c.generated, c.r_owner, c.r_constraint_name, c.delete_rule, c.search_condition\n  \
             FROM ALL_CONSTRAINTS c\n WHERE c.constraint_type IN ('P', 'U', 'R', 'C')\n   \
             AND (({})\n    OR {})",
            owners_filter("c.owner", owners),
            referenced_by_scope("c.owner", "c.constraint_name", owners)
        ),
        owners,
    )
}

/// The columns of those constraints (and of the keys their foreign keys reference), in
/// position order.
pub fn constraint_columns(owners: &[String]) -> Stmt {
    stmt_twice(
        format!(
            "SELECT k.owner, k.constraint_name, k.table_name, k.column_name, TO_CHAR(k.position) AS position\n  \
             FROM ALL_CONS_COLUMNS k\n WHERE (({})\n    OR {})\n ORDER BY k.owner, k.constraint_name, k.position",
            owners_filter("k.owner", owners),
            referenced_by_scope("k.owner", "k.constraint_name", owners)
        ),
        owners,
    )
}

/// Indexes of the owners' tables (LOB indexes left out: they come with their LOB).
pub fn indexes(owners: &[String]) -> Stmt {
    stmt(
        format!(
            "SELECT i.owner, i.index_name, i.table_owner, i.table_name, i.index_type, i.uniqueness,\n       \
             i.generated, i.status\n  FROM ALL_INDEXES i\n WHERE {}\n   AND i.index_type <> 'LOB'\n \
             ORDER BY i.owner, i.index_name",
            owners_filter("i.table_owner", owners)
        ),
        owners,
    )
}

/// Index key columns, in position order (a function-based key shows as a hidden `SYS_NC…$`
/// column; its expression comes from [`index_expressions`]).
pub fn index_columns(owners: &[String]) -> Stmt {
    stmt(
        format!(
            "SELECT k.index_owner, k.index_name, k.column_name, TO_CHAR(k.column_position) AS column_position, k.descend\n  \
             FROM ALL_IND_COLUMNS k\n WHERE {}\n ORDER BY k.index_owner, k.index_name, k.column_position",
            owners_filter("k.table_owner", owners)
        ),
        owners,
    )
}

/// The expressions of function-based index keys (COLUMN_EXPRESSION is a LONG).
pub fn index_expressions(owners: &[String]) -> Stmt {
    stmt(
        format!(
            "SELECT e.index_owner, e.index_name, TO_CHAR(e.column_position) AS column_position, e.column_expression\n  \
             FROM ALL_IND_EXPRESSIONS e\n WHERE {}",
            owners_filter("e.table_owner", owners)
        ),
        owners,
    )
}

/// Triggers on the owners' tables with their state (ENABLED / DISABLED).
pub fn triggers(owners: &[String]) -> Stmt {
    stmt(
        format!(
            "SELECT g.owner, g.trigger_name, g.table_owner, g.table_name, g.status\n  FROM ALL_TRIGGERS g\n \
             WHERE {}\n ORDER BY g.owner, g.trigger_name",
            owners_filter("g.owner", owners)
        ),
        owners,
    )
}

/// Sequences: options, and LAST_NUMBER (the next value not yet written to disk: at or past
/// every value handed out, cache included). Numbers as text: MAXVALUE has 28 digits. The
/// sequence of an identity column (`ISEQ$$_n`, named by the system, so different on the
/// target) comes with its table and column and generation type from ALL_TAB_IDENTITY_COLS
/// (SEQUENCE_NAME there is 12.1.0.2+), so it is matched by column, not by name; BY DEFAULT ON
/// NULL is ALL_TAB_COLS.DEFAULT_ON_NULL (12.1).
pub fn sequences(owners: &[String]) -> Stmt {
    stmt(
        format!(
            "SELECT s.sequence_owner, s.sequence_name, TO_CHAR(s.min_value) AS min_value,\n       \
             TO_CHAR(s.max_value) AS max_value, TO_CHAR(s.increment_by) AS increment_by, s.cycle_flag,\n       \
             TO_CHAR(s.cache_size) AS cache_size, TO_CHAR(s.last_number) AS last_number,\n       \
             i.table_name AS identity_table, i.column_name AS identity_column, i.generation_type,\n       \
             c.default_on_null\n  \
             FROM ALL_SEQUENCES s\n  \
             LEFT JOIN ALL_TAB_IDENTITY_COLS i ON i.owner = s.sequence_owner AND i.sequence_name = s.sequence_name\n  \
             LEFT JOIN ALL_TAB_COLS c ON c.owner = i.owner AND c.table_name = i.table_name AND c.column_name = i.column_name\n \
             WHERE {}\n ORDER BY s.sequence_owner, s.sequence_name",
            owners_filter("s.sequence_owner", owners)
        ),
        owners,
    )
}

/// Views and their text (TEXT is a LONG).
pub fn views(owners: &[String]) -> Stmt {
    stmt(
        format!(
            "SELECT v.owner, v.view_name, v.text\n  FROM ALL_VIEWS v\n WHERE {}",
            owners_filter("v.owner", owners)
        ),
        owners,
    )
}

/// The users of the database, to resolve `--schema` values: Oracle names are case-sensitive
/// (HR and "hr" are two users) but a DBA types `hr` for HR.
pub fn users() -> Stmt {
    stmt(
        "SELECT u.username FROM ALL_USERS u ORDER BY u.username".into(),
        &[],
    )
}

/// `--schema` values as the users they name: the user of that exact name, else the one user
/// whose name matches ignoring case; a value naming no user, or several, is an error (a
/// comparison of nothing would otherwise pass).
pub fn resolve_schemas(given: &[String], users: &[String]) -> Result<Vec<String>, String> {
    given
        .iter()
        .map(|g| {
            if users.iter().any(|u| u == g) {
                return Ok(g.clone());
            }
            let close: Vec<&String> = users.iter().filter(|u| u.eq_ignore_ascii_case(g)).collect();
            match close.as_slice() {
                [one] => Ok((*one).clone()),
                [] => Err(format!(
                    "--schema {g}: no such user on the source (ALL_USERS); check the name, or grant the \
                     connecting user access to its objects"
                )),
                many => Err(format!(
                    "--schema {g}: several users match ignoring case ({}); give the exact name",
                    many.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(", ")
                )),
            }
        })
        .collect()
}

/// Every dictionary query of the schema comparison, by name (the keys of
/// [`super::oracle_schema::DictRows`]).
pub fn dictionary_queries(owners: &[String]) -> Vec<(&'static str, Stmt)> {
    vec![
        ("tables", tables(owners)),
        ("columns", columns(owners)),
        ("constraints", constraints(owners)),
        ("constraint_columns", constraint_columns(owners)),
        ("indexes", indexes(owners)),
        ("index_columns", index_columns(owners)),
        ("index_expressions", index_expressions(owners)),
        ("triggers", triggers(owners)),
        ("sequences", sequences(owners)),
        ("views", views(owners)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_type_has_one_form_and_unknown_types_none() {
        for (t, want) in [
            ("NUMBER", "TM9"),
            ("FLOAT", "TM9"),
            ("DATE", "SYYYY"),
            ("TIMESTAMP(6)", "FF9"),
            ("TIMESTAMP(3) WITH TIME ZONE", "TZR"),
            ("TIMESTAMP(6) WITH LOCAL TIME ZONE", "SYS_EXTRACT_UTC"),
            ("INTERVAL DAY(2) TO SECOND(6)", "TO_CHAR({col})"),
            ("BINARY_DOUBLE", "CAST_FROM_BINARY_DOUBLE"),
        ] {
            match value_form(t) {
                Some(ValueForm::Printed(e)) => assert!(e.contains(want), "{t}: {e}"),
                other => panic!("{t}: {other:?}"),
            }
        }
        assert_eq!(value_form("RAW"), Some(ValueForm::Hex));
        assert_eq!(value_form("BLOB"), Some(ValueForm::Hashed));
        assert_eq!(value_form("LONG RAW"), Some(ValueForm::Hashed));
        for t in ["XMLTYPE", "SDO_GEOMETRY", "BFILE", "ANYDATA"] {
            assert_eq!(value_form(t), None, "{t}");
        }
        // WITH LOCAL TIME ZONE is not read as WITH TIME ZONE (no zone is stored).
        let Some(ValueForm::Printed(l)) = value_form("TIMESTAMP(6) WITH LOCAL TIME ZONE") else {
            panic!()
        };
        assert!(!l.contains("TZR"), "{l}");
    }

    #[test]
    fn schemas_resolve_to_users_exactly_then_ignoring_case() {
        let users: Vec<String> = ["HR", "hr", "SALES", "Sales Dept"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let r = |g: &[&str]| {
            resolve_schemas(&g.iter().map(|s| s.to_string()).collect::<Vec<_>>(), &users)
        };
        assert_eq!(
            r(&["sales", "hr", "Sales Dept"]).unwrap(),
            ["SALES", "hr", "Sales Dept"]
        );
        assert_eq!(r(&["HR"]).unwrap(), ["HR"]);
        let e = r(&["Hr"]).unwrap_err();
        assert!(e.contains("several users") && e.contains("HR, hr"), "{e}");
        let e = r(&["nobody"]).unwrap_err();
        assert!(e.contains("--schema nobody: no such user"), "{e}");
    }

    #[test]
    fn owners_are_binds_after_the_maintained_filter() {
        let s = tables(&["HR".into(), "Sales Dept".into()]);
        assert!(s.sql.contains("t.owner IN (:1, :2)"), "{}", s.sql);
        assert!(s.sql.contains("oracle_maintained = 'N'"));
        assert_eq!(s.binds, ["HR", "Sales Dept"]);
        assert!(!tables(&[]).sql.contains(":1"));
    }
}
