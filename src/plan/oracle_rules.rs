//! Oracle rules of the planner that come from Oracle's documented limits rather than from
//! the dependency order: primary keys of index-organized tables stay enabled (ORA-25188),
//! identity columns move with `START WITH LIMIT VALUE` instead of through their ISEQ$$_
//! sequences (ORA-32793), a sequence restart stops at MAXVALUE (ORA-04008), index keys
//! that CHAR semantics would push past the block's key limit (ORA-01450), virtual columns
//! over modified columns (ORA-54031/54033) and system-named constraints are called out.

use super::model::Callout;
use crate::catalog::{Catalog, ColumnKind, Constraint, ConstraintKind, Semantics, Sequence};
use crate::charset::Dialect;
use std::collections::BTreeSet;

/// Largest index key of an 8 KB block (ORA-01450 "maximum key length (6398) exceeded").
pub const KEY_LIMIT_8K: usize = 6398;
/// Bytes a character can take in the AL32UTF8 target.
const TARGET_BYTES_PER_CHAR: usize = 4;

/// Whether a constraint is the primary key of an index-organized table: it cannot be
/// disabled (ORA-25188), so the plan leaves it enabled.
pub fn is_iot_key(catalog: &Catalog, c: &Constraint) -> bool {
    c.kind == ConstraintKind::Primary && catalog.oracle.is_iot(&c.owner, &c.table)
}

/// An identity column's system sequence (`ISEQ$$_<object id>`): it cannot be altered
/// (ORA-32793) and has another name on the target; its column is moved instead.
pub fn is_identity_sequence(s: &Sequence) -> bool {
    s.name.starts_with("ISEQ$$_")
}

/// The sequence restart value and, when MAXVALUE (MINVALUE for a descending sequence) stops
/// it, the call-out saying so.
pub fn sequence_restart(s: &Sequence, value: i128) -> (i128, Option<Callout>) {
    let inc = if s.increment == 0 { 1 } else { s.increment };
    let want = value.saturating_add(inc);
    let word = if inc > 0 { "MAXVALUE" } else { "MINVALUE" };
    match crate::dialect::oracle::next_past(value, s.increment, s.min_value, s.max_value) {
        (l, true) => (
            l,
            Some(Callout {
                object: format!("{}.{}", s.owner, s.name),
                problem: format!(
                    "restarting one increment past the source's last value ({value} + {inc} = {want}) passes {word} {l} (ORA-04008); 03 restarts it at {word} {l}, a value the source may already have handed out, and its next NEXTVAL fails (ORA-08004) once past it"
                ),
                options: format!(
                    "raise the limit before 03 (ALTER SEQUENCE … {word} n), or let CYCLE or a new sequence take over; the source sequence is exhausted the same way"
                ),
            }),
        ),
        (next, false) => (next, None),
    }
}

/// Worst-case bytes of one column in an index key after the plan: CHAR-semantics columns
/// (already, or switched in 02) take up to 4 bytes a character in AL32UTF8, capped at their
/// type limit; BYTE columns keep their byte length; others their DATA_LENGTH.
fn key_bytes(
    catalog: &Catalog,
    owner: &str,
    table: &str,
    column: &str,
    switched: &BTreeSet<(String, String, String)>,
) -> Option<usize> {
    let t = catalog
        .tables
        .iter()
        .find(|t| t.owner == owner && t.name == table)?;
    let col = t.columns.iter().find(|c| c.name == column)?;
    let kind = col.kind(Dialect::Oracle);
    let chars = col.char_length.filter(|&n| n > 0).map(|n| n as usize);
    let data = col.data_length.unwrap_or(0) as usize;
    let is_char = col.semantics == Some(Semantics::Char)
        || switched.contains(&(owner.to_string(), table.to_string(), column.to_string()));
    Some(match kind {
        ColumnKind::Varchar | ColumnKind::Char if is_char => {
            let cap = if kind == ColumnKind::Char {
                crate::catalog::CHAR_MAX
            } else {
                match catalog.source.max_string_size {
                    crate::catalog::MaxStringSize::Standard => crate::catalog::VARCHAR2_STANDARD,
                    crate::catalog::MaxStringSize::Extended => crate::catalog::VARCHAR2_EXTENDED,
                }
            };
            (chars.unwrap_or(data) * TARGET_BYTES_PER_CHAR).min(cap)
        }
        _ => data,
    })
}

/// Indexes and PK/UK keys whose worst-case key length after the plan passes the 8 KB
/// block's key limit: ORA-01450 when the index is built, the MODIFY runs under it, or the
/// key is enabled. `switched` holds the columns 02 moves to CHAR semantics.
pub fn key_length_callouts(
    catalog: &Catalog,
    in_scope: &dyn Fn(&str, &str) -> bool,
    switched: &BTreeSet<(String, String, String)>,
) -> Vec<Callout> {
    let mut out = Vec::new();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    let mut check = |object: String, owner: &str, table: &str, cols: &[String], what: &str| {
        let mut total = 0usize;
        let mut grows = false;
        let mut parts = Vec::new();
        for c in cols {
            // Expressions (function-based columns) are sized by the server; a DESC column
            // is the plain column.
            let name = c.strip_suffix(" DESC").unwrap_or(c).trim_matches('"');
            let Some(b) = key_bytes(catalog, owner, table, name, switched) else {
                continue;
            };
            grows |= switched.contains(&(owner.to_string(), table.to_string(), name.to_string()));
            parts.push(format!("{name} {b}"));
            total += b;
        }
        if total > KEY_LIMIT_8K {
            out.push(Callout {
                object,
                problem: format!(
                    "{what} key can need up to {total} bytes after the move ({}), over the {KEY_LIMIT_8K}-byte key limit of an 8 KB block (ORA-01450){}",
                    parts.join(" + "),
                    if grows { "; switching its BYTE columns to CHAR is what makes it grow" } else { "" }
                ),
                options: "shorten the CHAR lengths to what the data needs, index a prefix or an expression (SUBSTR) instead of the whole columns, or move the index to a tablespace with a larger block size (16 KB or 32 KB)".into(),
            });
        }
    };
    for i in &catalog.indexes {
        let t = i.index_type.to_ascii_uppercase();
        if !in_scope(&i.table_owner, &i.table) || t == "LOB" || t.starts_with("DOMAIN") {
            continue;
        }
        if let Some(k) = &i.constraint {
            seen.insert((i.owner.clone(), k.clone()));
        }
        let what = match &i.constraint {
            Some(k) => format!("index (enforcing {k})"),
            None => "index".to_string(),
        };
        check(
            format!("{}.{}", i.owner, i.name),
            &i.table_owner,
            &i.table,
            &i.columns,
            &what,
        );
    }
    for c in &catalog.constraints {
        if matches!(c.kind, ConstraintKind::Primary | ConstraintKind::Unique)
            && in_scope(&c.owner, &c.table)
            && !seen.contains(&(c.owner.clone(), c.name.clone()))
        {
            let what = if c.kind == ConstraintKind::Primary {
                "primary"
            } else {
                "unique"
            };
            check(
                format!("{}.{}", c.owner, c.name),
                &c.owner,
                &c.table,
                &c.columns,
                what,
            );
        }
    }
    out
}

/// The scan's view of [`key_length_callouts`]: the worst case once every BYTE character column
/// of the scanned tables is CHAR (`plan --char-semantics all`). Oracle catalogs only.
pub fn scan_key_callouts(catalog: &Catalog, in_scope: &dyn Fn(&str, &str) -> bool) -> Vec<Callout> {
    if catalog.source.dialect != Dialect::Oracle {
        return Vec::new();
    }
    let mut switched = BTreeSet::new();
    for t in catalog
        .tables
        .iter()
        .filter(|t| in_scope(&t.owner, &t.name))
    {
        for c in &t.columns {
            if matches!(
                c.kind(Dialect::Oracle),
                ColumnKind::Varchar | ColumnKind::Char
            ) && c.semantics != Some(Semantics::Char)
            {
                switched.insert((t.owner.clone(), t.name.clone(), c.name.clone()));
            }
        }
    }
    key_length_callouts(catalog, in_scope, &switched)
}

/// Virtual columns of the tables whose columns 02 modifies: a virtual column whose expression
/// uses a modified column makes the MODIFY fail (ORA-54031) or leaves it too narrow (ORA-54033).
pub fn virtual_column_callouts(
    catalog: &Catalog,
    switched: &BTreeSet<(String, String, String)>,
) -> Vec<Callout> {
    let mut out = Vec::new();
    for (o, t, v) in &catalog.oracle.virtual_columns {
        let cols: Vec<&str> = switched
            .iter()
            .filter(|(so, st, _)| so == o && st == t)
            .map(|(_, _, c)| c.as_str())
            .collect();
        if cols.is_empty() {
            continue;
        }
        out.push(Callout {
            object: format!("{o}.{t}.{v}"),
            problem: format!(
                "virtual column on a table whose column(s) {} change semantics in 02: if its expression uses one, the MODIFY fails (ORA-54031) or the result no longer fits (ORA-54033)",
                cols.join(", ")
            ),
            options: "look up its expression (DBA_TAB_COLS.DATA_DEFAULT); if it uses a modified column, drop the virtual column (and indexes on it) before 02 and add it back after, with a CHAR length".into(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::*;

    fn seq(last: i128, inc: i128, min: i128, max: i128) -> Sequence {
        Sequence {
            owner: "HR".into(),
            name: "DEPARTMENTS_SEQ".into(),
            last_value: Some(last),
            increment: inc,
            max_value: Some(max),
            min_value: Some(min),
            cycle: false,
        }
    }

    #[test]
    fn restart_is_capped_at_maxvalue_and_called_out() {
        let (v, c) = sequence_restart(&seq(9990, 10, 1, 9990), 9990);
        assert_eq!(v, 9990);
        let c = c.unwrap();
        assert!(c.problem.contains("MAXVALUE 9990") && c.problem.contains("ORA-04008"));
        assert_eq!(sequence_restart(&seq(270, 10, 1, 9990), 270), (280, None));
        // Exactly at the limit is still allowed.
        assert_eq!(sequence_restart(&seq(9980, 10, 1, 9990), 9980).0, 9990);
        assert!(sequence_restart(&seq(9980, 10, 1, 9990), 9980).1.is_none());
        // Descending sequences stop at MINVALUE.
        let (v, c) = sequence_restart(&seq(-95, -10, -100, -1), -95);
        assert_eq!((v, c.is_some()), (-100, true));
    }

    fn col(name: &str, len: u32, sem: Semantics) -> Column {
        Column {
            name: name.into(),
            column_id: 1,
            data_type: "VARCHAR2".into(),
            data_length: Some(len),
            char_length: Some(len),
            semantics: Some(sem),
            nullable: true,
        }
    }

    #[test]
    fn wide_composite_keys_are_called_out_after_the_char_switch() {
        let mut cat = Catalog::with_tables(
            SourceInfo {
                dialect: Dialect::Oracle,
                version: "19".into(),
                charset: "WE8MSWIN1252".into(),
                nchar_charset: None,
                max_string_size: MaxStringSize::Standard,
                identity: None,
            },
            vec![Table {
                owner: "SH".into(),
                name: "PRODUCTS".into(),
                num_rows: None,
                columns: vec![
                    col("PROD_NAME", 1000, Semantics::Byte),
                    col("PROD_DESC", 1000, Semantics::Byte),
                    col("SKU", 400, Semantics::Char),
                ],
            }],
        );
        cat.indexes.push(Index {
            owner: "SH".into(),
            name: "PROD_IX".into(),
            table_owner: "SH".into(),
            table: "PRODUCTS".into(),
            columns: vec!["PROD_NAME".into(), "\"PROD_DESC\" DESC".into()],
            unique: false,
            index_type: "FUNCTION-BASED NORMAL".into(),
            constraint: None,
            status: "VALID".into(),
            partitioned: false,
            last_analyzed: None,
            stale_stats: None,
            ddl: None,
        });
        let all = |_: &str, _: &str| true;
        // BYTE: 2000 bytes, fine.
        assert!(key_length_callouts(&cat, &all, &BTreeSet::new()).is_empty());
        let switched: BTreeSet<_> = ["PROD_NAME", "PROD_DESC"]
            .iter()
            .map(|c| ("SH".to_string(), "PRODUCTS".to_string(), c.to_string()))
            .collect();
        let c = key_length_callouts(&cat, &all, &switched);
        assert_eq!(c.len(), 1);
        assert!(c[0].problem.contains("8000 bytes"), "{}", c[0].problem);
        assert!(c[0].options.contains("larger block size"));
        // A CHAR-semantics key that is already too wide is called out without a switch.
        cat.indexes[0].columns = vec!["SKU".into(), "PROD_NAME".into(), "PROD_DESC".into()];
        let c = key_length_callouts(&cat, &all, &BTreeSet::new());
        assert!(c.is_empty(), "1600 + 2000 bytes fit");
        let c = key_length_callouts(&cat, &all, &switched);
        assert!(c[0].problem.contains("9600 bytes"), "{}", c[0].problem);
    }

    #[test]
    fn not_null_checks_are_told_from_real_checks() {
        let mut c = Constraint {
            owner: "CO".into(),
            name: "SYS_C0013005".into(),
            table: "ORDERS".into(),
            kind: ConstraintKind::Check,
            columns: vec![],
            ref_owner: None,
            ref_table: None,
            ref_constraint: None,
            ref_columns: vec![],
            enabled: true,
            validated: true,
            definition: Some("\"ORDER_STATUS\" IS NOT NULL".into()),
            delete_rule: None,
        };
        assert!(crate::plan::planner::is_not_null_check(&c));
        for real in [
            "order_status in ('OPEN','PAID')",
            "\"A\" IS NOT NULL OR \"B\" IS NOT NULL",
            "LENGTH(\"A\") IS NOT NULL",
            "\"A\" IS NOT NULL AND \"B\" > 0",
        ] {
            c.definition = Some(real.into());
            assert!(!crate::plan::planner::is_not_null_check(&c), "{real}");
        }
        c.definition = None;
        assert!(!crate::plan::planner::is_not_null_check(&c));
    }
}
