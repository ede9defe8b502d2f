//! The planner: from the catalog and a scan result to ordered steps.
//!
//! Order matters and comes from the dictionary: foreign keys are disabled children first and
//! enabled parents first; primary and unique keys go after the foreign keys that reference
//! them and come back before them; indexes are dropped before the copy and re-created after
//! it; triggers that were already disabled are never touched (they stay disabled). Tables
//! outside the scan's scope that are linked by a foreign key to a table in scope are pulled
//! into the constraint steps, and the plan says so.

use super::model::*;
use super::oracle_rules;
use super::sql;
use crate::catalog::{
    Catalog, Column, ColumnKind, Constraint, ConstraintKind, MaxStringSize, Semantics,
};
use crate::charset::Dialect;
use crate::scan::ScanResult;
use std::collections::{BTreeMap, BTreeSet, HashMap};

type TableKey = (String, String);

/// Partitioning key columns, `(owner, table, column)`: their length cannot be changed
/// (ORA-14060), so the plan calls them out instead of modifying them.
pub type PartitionKeys = [(String, String, String)];

struct Builder {
    steps: Vec<Step>,
    counters: HashMap<Phase, usize>,
}

impl Builder {
    fn push(
        &mut self,
        phase: Phase,
        action: &str,
        object: String,
        sql: String,
        reverse: Option<String>,
        comment: String,
    ) {
        let n = self.counters.entry(phase).or_default();
        *n += 1;
        let num = Phase::ALL.iter().position(|p| *p == phase).unwrap_or(0) + 1;
        self.steps.push(Step {
            id: format!("{num:02}-{n:04}"),
            phase,
            action: action.into(),
            object,
            sql,
            reverse,
            comment,
        });
    }
}

/// A NOT NULL constraint as Oracle records it: a check whose condition is exactly
/// `"COL" IS NOT NULL` (SEARCH_CONDITION_VC). Left alone by the plan: disabling it would cost a
/// full validation afterwards for nothing. A single-column CHECK on a NOT NULL column
/// (`order_status IN (…)`) is a real check and is handled like any other.
pub fn is_not_null_check(c: &Constraint) -> bool {
    c.kind == ConstraintKind::Check
        && c.definition.as_deref().is_some_and(|d| {
            let Some(col) = d.trim().strip_suffix("IS NOT NULL").map(str::trim_end) else {
                return false;
            };
            let quoted = col.len() >= 3
                && col.starts_with('"')
                && col.ends_with('"')
                && !col[1..col.len() - 1].contains('"');
            let plain = !col.is_empty()
                && col
                    .chars()
                    .all(|ch| ch.is_alphanumeric() || "_$#".contains(ch));
            quoted || plain
        })
}

/// Depth of each table in the foreign-key graph (parents 0, their children 1, …); cycles are
/// cut where they close.
fn fk_depths(fks: &[&Constraint]) -> HashMap<TableKey, usize> {
    let mut parents: HashMap<TableKey, Vec<TableKey>> = HashMap::new();
    for c in fks {
        if let (Some(ro), Some(rt)) = (&c.ref_owner, &c.ref_table) {
            let child = (c.owner.clone(), c.table.clone());
            let parent = (ro.clone(), rt.clone());
            if child != parent {
                parents.entry(child).or_default().push(parent);
            }
        }
    }
    fn depth(
        t: &TableKey,
        parents: &HashMap<TableKey, Vec<TableKey>>,
        memo: &mut HashMap<TableKey, usize>,
        stack: &mut Vec<TableKey>,
    ) -> usize {
        if let Some(&d) = memo.get(t) {
            return d;
        }
        if stack.contains(t) {
            return 0;
        }
        stack.push(t.clone());
        let d = parents.get(t).map_or(0, |ps| {
            ps.iter()
                .map(|p| depth(p, parents, memo, stack) + 1)
                .max()
                .unwrap_or(0)
        });
        stack.pop();
        memo.insert(t.clone(), d);
        d
    }
    let mut memo = HashMap::new();
    let keys: Vec<TableKey> = parents.keys().cloned().collect();
    for k in keys {
        depth(&k, &parents, &mut memo, &mut Vec::new());
    }
    memo
}

fn type_limit(kind: ColumnKind, mss: MaxStringSize) -> usize {
    match (kind, mss) {
        (ColumnKind::Char, _) => crate::catalog::CHAR_MAX,
        (_, MaxStringSize::Extended) => crate::catalog::VARCHAR2_EXTENDED,
        _ => crate::catalog::VARCHAR2_STANDARD,
    }
}

/// Makes the plan.
pub fn make_plan(
    catalog: &Catalog,
    scan: &ScanResult,
    opts: &PlanOptions,
    partition_keys: &PartitionKeys,
) -> Plan {
    let d = opts.dialect;
    let mut b = Builder {
        steps: Vec::new(),
        counters: HashMap::new(),
    };
    let mut notes = Vec::new();
    let mut callouts = Vec::new();

    let mut scope: BTreeSet<TableKey> = scan
        .tables
        .iter()
        .map(|t| (t.owner.clone(), t.table_name.clone()))
        .collect();
    scope.extend(
        scan.columns
            .iter()
            .map(|c| (c.owner.clone(), c.table_name.clone())),
    );
    let in_scope = |o: &str, t: &str| scope.contains(&(o.to_string(), t.to_string()));

    // Foreign keys that touch the scope, and the tables they pull in.
    let fks: Vec<&Constraint> = catalog
        .constraints
        .iter()
        .filter(|c| c.kind == ConstraintKind::Foreign)
        .filter(|c| {
            in_scope(&c.owner, &c.table)
                || c.ref_owner
                    .as_deref()
                    .zip(c.ref_table.as_deref())
                    .is_some_and(|(o, t)| in_scope(o, t))
        })
        .collect();
    let mut pulled: BTreeSet<TableKey> = BTreeSet::new();
    for c in &fks {
        if !in_scope(&c.owner, &c.table) {
            pulled.insert((c.owner.clone(), c.table.clone()));
        }
        if let (Some(o), Some(t)) = (&c.ref_owner, &c.ref_table)
            && !in_scope(o, t)
        {
            pulled.insert((o.clone(), t.clone()));
        }
    }
    for (o, t) in &pulled {
        notes.push(format!("{o}.{t} is outside the scan's scope but linked by a foreign key to a table in scope: its constraints are part of this plan."));
    }
    let depths = fk_depths(&fks);
    let depth_of = |c: &Constraint| {
        depths
            .get(&(c.owner.clone(), c.table.clone()))
            .copied()
            .unwrap_or(0)
    };

    // ---- 01 before copy ----
    let mut triggers: Vec<_> = catalog
        .triggers
        .iter()
        .filter(|t| in_scope(&t.table_owner, &t.table))
        .collect();
    triggers.sort_by(|a, b| (&a.owner, &a.name).cmp(&(&b.owner, &b.name)));
    let mut disabled_triggers = Vec::new();
    for t in triggers {
        if t.enabled {
            b.push(
                Phase::BeforeCopy,
                "disable_trigger",
                format!("{}.{}", t.owner, t.name),
                sql::disable_trigger(d, &t.table_owner, &t.table, &t.name),
                Some(sql::enable_trigger(d, &t.table_owner, &t.table, &t.name)),
                format!(
                    "trigger on {}.{} must not fire for copied rows",
                    t.table_owner, t.table
                ),
            );
            disabled_triggers.push(t);
        } else {
            notes.push(format!(
                "Trigger {}.{} was already disabled: the plan leaves it disabled.",
                t.owner, t.name
            ));
        }
    }

    let mut fk_order: Vec<&Constraint> = fks.iter().copied().filter(|c| c.enabled).collect();
    fk_order.sort_by(|a, b| {
        depth_of(b)
            .cmp(&depth_of(a))
            .then_with(|| (&a.owner, &a.table, &a.name).cmp(&(&b.owner, &b.table, &b.name)))
    });
    for c in fks.iter().filter(|c| !c.enabled) {
        notes.push(format!(
            "Foreign key {}.{} was already disabled: the plan leaves it disabled.",
            c.owner, c.name
        ));
    }
    let rank = |k: ConstraintKind| match k {
        ConstraintKind::Check => 0,
        ConstraintKind::Unique => 1,
        ConstraintKind::Primary => 2,
        _ => 3,
    };
    let mut others: Vec<&Constraint> = catalog
        .constraints
        .iter()
        .filter(|c| {
            matches!(
                c.kind,
                ConstraintKind::Primary | ConstraintKind::Unique | ConstraintKind::Check
            )
        })
        .filter(|c| {
            in_scope(&c.owner, &c.table) || pulled.contains(&(c.owner.clone(), c.table.clone()))
        })
        .filter(|c| c.enabled && !is_not_null_check(c))
        .filter(|c| {
            let iot = d == Dialect::Oracle && oracle_rules::is_iot_key(catalog, c);
            if iot {
                notes.push(format!(
                    "{}.{} is the primary key of index-organized table {}.{}: it cannot be disabled (ORA-25188) and stays enabled; rows load through it in key order.",
                    c.owner, c.name, c.owner, c.table
                ));
            }
            !iot
        })
        .collect();
    // System-named keys (SYS_C…) may be named otherwise on the target: primary and unique
    // keys are addressed by definition; other system-named constraints are listed.
    let by_def = |c: &Constraint| {
        d == Dialect::Oracle
            && matches!(c.kind, ConstraintKind::Primary | ConstraintKind::Unique)
            && catalog.oracle.is_system_named(&c.owner, &c.name)
    };
    for c in fk_order.iter().chain(others.iter()) {
        if d == Dialect::Oracle && !by_def(c) && catalog.oracle.is_system_named(&c.owner, &c.name) {
            notes.push(format!(
                "{}.{} has a system-generated name: a target built by Data Pump keeps it, one built from DDL scripts names it otherwise. Check with SELECT constraint_name FROM dba_constraints WHERE owner = '{}' AND table_name = '{}' before running the scripts.",
                c.owner, c.name, c.owner, c.table
            ));
        }
    }
    others.sort_by(|a, b| {
        rank(a.kind)
            .cmp(&rank(b.kind))
            .then_with(|| (&a.owner, &a.table, &a.name).cmp(&(&b.owner, &b.table, &b.name)))
    });
    for c in fk_order.iter().chain(others.iter()) {
        let why = match c.kind {
            ConstraintKind::Foreign => format!(
                "foreign key {}.{} -> {}.{}: {} children first so tables load in any order",
                c.owner,
                c.table,
                c.ref_owner.as_deref().unwrap_or("?"),
                c.ref_table.as_deref().unwrap_or("?"),
                if d == Dialect::Postgres {
                    "dropped"
                } else {
                    "disabled"
                }
            ),
            ConstraintKind::Primary | ConstraintKind::Unique => format!(
                "key of {}.{}: rebuilt after the load (its foreign keys are already {})",
                c.owner,
                c.table,
                if d == Dialect::Postgres {
                    "dropped"
                } else {
                    "disabled"
                }
            ),
            _ => format!(
                "check on {}.{}: {} after the load",
                c.owner,
                c.table,
                if d == Dialect::Postgres {
                    "added back NOT VALID"
                } else {
                    "re-enabled NOVALIDATE"
                }
            ),
        };
        b.push(
            Phase::BeforeCopy,
            "disable_constraint",
            format!("{}.{}", c.owner, c.name),
            sql::disable_constraint(d, c, by_def(c)),
            Some(sql::restore_constraint(d, c, by_def(c))),
            why,
        );
    }

    let mut indexes: Vec<_> = catalog
        .indexes
        .iter()
        .filter(|i| in_scope(&i.table_owner, &i.table))
        .filter(|i| i.constraint.is_none())
        .filter(|i| {
            let t = i.index_type.to_ascii_uppercase();
            !(t.starts_with("IOT") || t == "LOB" || t == "CLUSTER")
        })
        .collect();
    indexes.sort_by(|a, b| (&a.owner, &a.name).cmp(&(&b.owner, &b.name)));
    // Without its DDL (a snapshot taken without DBMS_METADATA) an Oracle index is re-created
    // from its column list: a LOCAL or GLOBAL partitioned index would come back global and
    // unpartitioned, a DOMAIN index (Oracle Text) as a B-tree, a REVERSE one plain. Those are
    // kept through the copy instead, and said.
    let (indexes, kept): (Vec<_>, Vec<_>) = indexes.into_iter().partition(|i| {
        let t = i.index_type.to_ascii_uppercase();
        d != Dialect::Oracle
            || i.ddl.as_deref().is_some_and(|x| !x.trim().is_empty())
            || !(i.partitioned && !t.contains("BITMAP")
                || t.contains("DOMAIN")
                || t.contains("/REV"))
    });
    for i in kept {
        let what = if i.index_type.to_ascii_uppercase().contains("DOMAIN") {
            "a DOMAIN index".to_string()
        } else if i.partitioned {
            "a partitioned index".to_string()
        } else {
            format!("a {} index", i.index_type)
        };
        callouts.push(Callout {
            object: format!("{}.{}", i.owner, i.name),
            problem: format!(
                "{what} on {}.{} and no DDL in the snapshot to re-create it as it is: kept through the copy (not dropped in 01), which slows the load of its table",
                i.table_owner, i.table
            ),
            options: "take the snapshot with DBMS_METADATA access (SELECT_CATALOG_ROLE) so the plan can drop and re-create it, or drop and re-create it yourself around the copy".into(),
        });
    }
    for i in &indexes {
        let fbi = i.index_type.to_ascii_uppercase().contains("FUNCTION");
        b.push(
            Phase::BeforeCopy, "drop_index", format!("{}.{}", i.owner, i.name),
            sql::drop_index(d, i), Some(sql::create_index(d, i)),
            format!(
                "secondary index on {}.{}: loading without it is faster; re-created after the copy{}",
                i.table_owner, i.table,
                if fbi { " (function-based: it must also be gone before its column changes semantics)" } else { "" }
            ),
        );
    }

    // ---- 02 semantics ----
    if d == Dialect::Oracle {
        plan_semantics(
            &mut b,
            catalog,
            scan,
            opts,
            &scope,
            &fks,
            partition_keys,
            &mut callouts,
        );
    } else {
        notes.push("PostgreSQL varchar(n) and char(n) count characters: no length-semantics change is needed.".into());
        // Its one byte limit: `name` (see `Column::limits`), which the copy refuses to cut.
        for c in scan.columns.iter().filter(|c| c.counts.truncation > 0) {
            callouts.push(Callout {
                object: format!("{}.{}.{}", c.owner, c.table_name, c.column_name),
                problem: format!(
                    "{} value(s) of this {} column exceed 63 bytes in UTF-8, which a name holds (its input would cut them; charmig copy refuses them)",
                    c.counts.truncation, c.data_type
                ),
                options: "make the target's column text (or varchar), or cut the values with `charmig truncate` (originals kept in an audit table)".into(),
            });
        }
    }

    // ---- 03 after copy ----
    for i in &indexes {
        b.push(
            Phase::AfterCopy,
            "create_index",
            format!("{}.{}", i.owner, i.name),
            sql::create_index(d, i),
            Some(sql::drop_index(d, i)),
            format!(
                "re-create the index dropped before the copy on {}.{}",
                i.table_owner, i.table
            ),
        );
    }
    let mut enable: Vec<&Constraint> = others.iter().rev().copied().collect();
    enable.sort_by(|a, b| {
        rank(b.kind)
            .cmp(&rank(a.kind))
            .then_with(|| (&a.owner, &a.table, &a.name).cmp(&(&b.owner, &b.table, &b.name)))
    });
    let mut fk_enable = fk_order.clone();
    fk_enable.reverse();
    for c in enable.iter().chain(fk_enable.iter()) {
        let why = if d == Dialect::Postgres
            && matches!(c.kind, ConstraintKind::Primary | ConstraintKind::Unique)
        {
            "PostgreSQL keys have no NOT VALID form: added back validated (builds the index)"
                .to_string()
        } else if matches!(c.kind, ConstraintKind::Primary | ConstraintKind::Unique) {
            "ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated"
                .to_string()
        } else if d == Dialect::Postgres {
            "checks new rows only (NOT VALID); full validation is in 04_validate.sql".to_string()
        } else {
            "checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql"
                .to_string()
        };
        b.push(
            Phase::AfterCopy,
            "enable_constraint",
            format!("{}.{}", c.owner, c.name),
            sql::enable_novalidate(d, c, by_def(c)),
            Some(sql::disable_constraint(d, c, by_def(c))),
            why,
        );
    }
    for t in &disabled_triggers {
        b.push(
            Phase::AfterCopy,
            "enable_trigger",
            format!("{}.{}", t.owner, t.name),
            sql::enable_trigger(d, &t.table_owner, &t.table, &t.name),
            Some(sql::disable_trigger(d, &t.table_owner, &t.table, &t.name)),
            "it was enabled before the copy".into(),
        );
    }
    if d == Dialect::Oracle {
        for id in &catalog.oracle.identity {
            if !in_scope(&id.owner, &id.table) {
                continue;
            }
            b.push(
                Phase::AfterCopy,
                "sync_identity",
                format!("{}.{}.{}", id.owner, id.table, id.column),
                sql::sync_identity(&id.owner, &id.table, &id.column, id.generation()),
                None,
                "identity column: its generator restarts past the highest value loaded (its ISEQ$$_ sequence cannot be altered and is named otherwise on the target)".into(),
            );
        }
    }
    let schemas: BTreeSet<&str> = scope.iter().map(|(o, _)| o.as_str()).collect();
    let mut seqs: Vec<_> = catalog
        .sequences
        .iter()
        .filter(|s| schemas.contains(s.owner.as_str()))
        .filter(|s| !(d == Dialect::Oracle && oracle_rules::is_identity_sequence(s)))
        .collect();
    seqs.sort_by(|a, b| (&a.owner, &a.name).cmp(&(&b.owner, &b.name)));
    for s in seqs {
        let Some(v) = s.last_value else { continue };
        let why = format!(
            "the target sequence must not hand out values the source already used (source last value {v})"
        );
        let object = format!("{}.{}", s.owner, s.name);
        match d {
            Dialect::Oracle => {
                let (start, capped) = oracle_rules::sequence_restart(s, v);
                let why = match &capped {
                    Some(_) => format!("{why}; capped at its limit, see README.txt"),
                    None => why,
                };
                callouts.extend(capped);
                b.push(
                    Phase::AfterCopy,
                    "sync_sequence",
                    object,
                    sql::restart_sequence(
                        &s.owner,
                        &s.name,
                        if s.increment == 0 { 1 } else { s.increment },
                        start,
                    ),
                    None,
                    why,
                );
            }
            Dialect::Postgres => {
                b.push(
                    Phase::AfterCopy,
                    "sync_sequence",
                    object,
                    sql::sync_sequence(&s.owner, &s.name, v),
                    None,
                    why,
                );
            }
        }
    }

    // ---- 04 validate ----
    for c in enable.iter().chain(fk_enable.iter()) {
        if !c.validated {
            notes.push(format!(
                "{}.{} was NOT VALIDATED in the source: 04_validate.sql leaves it so.",
                c.owner, c.name
            ));
            continue;
        }
        if d == Dialect::Postgres
            && matches!(c.kind, ConstraintKind::Primary | ConstraintKind::Unique)
        {
            continue;
        }
        let reverse = match d {
            Dialect::Oracle => Some(sql::enable_novalidate(d, c, by_def(c))),
            Dialect::Postgres => None,
        };
        b.push(
            Phase::Validate,
            "validate_constraint",
            format!("{}.{}", c.owner, c.name),
            sql::validate_constraint(d, c, by_def(c)),
            reverse,
            "it was validated in the source: check every row, at a quiet time".into(),
        );
    }

    Plan {
        format: PLAN_FORMAT.into(),
        source: scan.parameters.source.clone(),
        created_at: crate::scan::time::now(),
        options: opts.clone(),
        source_identity: catalog
            .source
            .identity
            .clone()
            .or_else(|| scan.source.identity.clone()),
        steps: b.steps,
        callouts: {
            callouts.extend(long_name_callouts(scan));
            callouts
        },
        notes,
    }
}

/// Names the scan found too long for the target once in UTF-8 (PostgreSQL 63 bytes; Oracle
/// 128 from 12.2, 30 before): the target server would cut them (PostgreSQL, silently) and the
/// copy would then look for an object that cannot exist. Renamed before the move.
fn long_name_callouts(scan: &ScanResult) -> Vec<Callout> {
    scan.long_names
        .iter()
        .map(|n| Callout {
            object: match &n.table {
                Some(t) => format!("{} {}.{}.{}", n.kind, n.owner, t, n.name),
                None => format!("{} {}.{}", n.kind, n.owner, n.name),
            },
            problem: format!(
                "the name is {} bytes in UTF-8, over the target's limit of {} bytes",
                n.utf8_bytes, n.limit
            ),
            options: format!(
                "rename it on the source before the move (for example to \"{}\", {} bytes; check it is unique), and in the code that uses it",
                n.rename_to,
                n.rename_to.len()
            ),
        })
        .collect()
}

fn column_type(col: &Column, kind: ColumnKind, semantics: &str, length: u32) -> Option<String> {
    let base = col.data_type.to_ascii_uppercase();
    let base = match (kind, base.as_str()) {
        (ColumnKind::National, "NVARCHAR2") => "VARCHAR2",
        (ColumnKind::National, "NCHAR") => "CHAR",
        (ColumnKind::National, _) => return None,
        (_, "VARCHAR") => "VARCHAR2",
        (_, b) => return Some(format!("{b}({length} {semantics})")),
    };
    Some(format!("{base}({length} {semantics})"))
}

#[allow(clippy::too_many_arguments)]
fn plan_semantics(
    b: &mut Builder,
    catalog: &Catalog,
    scan: &ScanResult,
    opts: &PlanOptions,
    scope: &BTreeSet<TableKey>,
    fks: &[&Constraint],
    partition_keys: &PartitionKeys,
    callouts: &mut Vec<Callout>,
) {
    let results: HashMap<(&str, &str, &str), &crate::scan::ColumnResult> = scan
        .columns
        .iter()
        .map(|c| {
            (
                (
                    c.owner.as_str(),
                    c.table_name.as_str(),
                    c.column_name.as_str(),
                ),
                c,
            )
        })
        .collect();
    // Columns to switch: (owner, table, column) -> reason.
    let mut chosen: BTreeMap<(String, String, String), String> = BTreeMap::new();
    for t in catalog
        .tables
        .iter()
        .filter(|t| scope.contains(&(t.owner.clone(), t.name.clone())))
    {
        for col in &t.columns {
            let kind = col.kind(Dialect::Oracle);
            let key = (t.owner.clone(), t.name.clone(), col.name.clone());
            let byte = matches!(kind, ColumnKind::Varchar | ColumnKind::Char)
                && col.semantics != Some(Semantics::Char);
            if kind == ColumnKind::National && opts.nchar_to_char {
                chosen.insert(
                    key,
                    "--nchar-to-char: national column becomes a database-charset column".into(),
                );
                continue;
            }
            if !byte {
                continue;
            }
            let r = results.get(&(t.owner.as_str(), t.name.as_str(), col.name.as_str()));
            match opts.char_semantics {
                CharSemantics::All => {
                    chosen.insert(
                        key,
                        "BYTE semantics: converted values can need more bytes".into(),
                    );
                }
                CharSemantics::Affected if r.is_some_and(|r| r.counts.truncation > 0) => {
                    let n = r.map_or(0, |r| r.counts.truncation);
                    chosen.insert(
                        key,
                        format!("{n} values would exceed the BYTE limit after conversion"),
                    );
                }
                _ => {}
            }
        }
    }
    // Foreign-key partners follow their column, so both sides keep the same length.
    if opts.char_semantics == CharSemantics::Affected {
        for c in fks {
            let (Some(ro), Some(rt)) = (&c.ref_owner, &c.ref_table) else {
                continue;
            };
            for (cc, pc) in c.columns.iter().zip(&c.ref_columns) {
                let child = (c.owner.clone(), c.table.clone(), cc.clone());
                let parent = (ro.clone(), rt.clone(), pc.clone());
                for (from, to) in [(&child, &parent), (&parent, &child)] {
                    if chosen.contains_key(from)
                        && !chosen.contains_key(to)
                        && is_byte_column(catalog, to)
                    {
                        chosen.insert(
                            to.clone(),
                            format!(
                                "foreign-key partner of {}.{}.{} (constraint {})",
                                from.0, from.1, from.2, c.name
                            ),
                        );
                    }
                }
            }
        }
    }
    let mut switched: BTreeSet<(String, String, String)> = BTreeSet::new();
    for ((owner, table, column), why) in chosen {
        let Some(t) = catalog
            .tables
            .iter()
            .find(|t| t.owner == owner && t.name == table)
        else {
            continue;
        };
        let Some(col) = t.columns.iter().find(|c| c.name == column) else {
            continue;
        };
        let object = format!("{owner}.{table}.{column}");
        if partition_keys
            .iter()
            .any(|(o, tb, c)| *o == owner && *tb == table && *c == column)
        {
            callouts.push(Callout {
                object,
                problem: "partitioning key column: its length semantics cannot be changed in place (ORA-14060)".into(),
                options: "re-create the table with the new definition (CTAS or online redefinition with DBMS_REDEFINITION), or keep BYTE semantics and truncate the values that do not fit".into(),
            });
            continue;
        }
        let kind = col.kind(Dialect::Oracle);
        let length = col
            .char_length
            .filter(|&n| n > 0)
            .or(col.data_length)
            .unwrap_or(0);
        let Some(new_type) = column_type(col, kind, "CHAR", length) else {
            callouts.push(Callout {
                object,
                problem: format!(
                    "{} cannot be modified to a database-charset type in place",
                    col.data_type
                ),
                options: "add a CLOB column, copy, drop the old one and rename".into(),
            });
            continue;
        };
        let old_type = if kind == ColumnKind::National {
            format!("{}({length})", col.data_type)
        } else {
            column_type(col, kind, "BYTE", col.data_length.unwrap_or(length)).unwrap_or_default()
        };
        let limit_kind = if kind == ColumnKind::National {
            if col.data_type.eq_ignore_ascii_case("NCHAR") {
                ColumnKind::Char
            } else {
                ColumnKind::Varchar
            }
        } else {
            kind
        };
        let limit = type_limit(limit_kind, catalog.source.max_string_size);
        let mut comment = why;
        if (length as usize) * 4 > limit {
            comment.push_str(&format!("; note: {length} characters can need up to {} bytes, above the {limit}-byte type limit", length as usize * 4));
        }
        if let Some(r) = scan
            .columns
            .iter()
            .find(|c| c.owner == owner && c.table_name == table && c.column_name == column)
            && r.char_semantics.truncation > 0
        {
            callouts.push(Callout {
                    object: object.clone(),
                    problem: format!("{} values exceed the {limit}-byte type limit even with CHAR semantics", r.char_semantics.truncation),
                    options: "change the column to CLOB, set MAX_STRING_SIZE=EXTENDED (VARCHAR2 up to 32767 bytes), or cut the values with `charmig truncate` (originals kept)".into(),
                });
        }
        switched.insert((owner.clone(), table.clone(), column.clone()));
        b.push(
            Phase::Semantics,
            "modify_column",
            object,
            sql::modify_column(&owner, &table, &column, &new_type),
            Some(sql::modify_column(&owner, &table, &column, &old_type)),
            comment,
        );
    }
    semantics_callouts(catalog, scope, &switched, callouts);
}

/// What the semantics change does to index keys and virtual columns, for the DBA to decide.
fn semantics_callouts(
    catalog: &Catalog,
    scope: &BTreeSet<TableKey>,
    switched: &BTreeSet<(String, String, String)>,
    callouts: &mut Vec<Callout>,
) {
    let in_scope = |o: &str, t: &str| scope.contains(&(o.to_string(), t.to_string()));
    callouts.extend(oracle_rules::key_length_callouts(
        catalog, &in_scope, switched,
    ));
    callouts.extend(oracle_rules::virtual_column_callouts(catalog, switched));
}

fn is_byte_column(catalog: &Catalog, key: &(String, String, String)) -> bool {
    catalog
        .tables
        .iter()
        .find(|t| t.owner == key.0 && t.name == key.1)
        .and_then(|t| t.columns.iter().find(|c| c.name == key.2))
        .is_some_and(|c| {
            matches!(
                c.kind(Dialect::Oracle),
                ColumnKind::Varchar | ColumnKind::Char
            ) && c.semantics != Some(Semantics::Char)
        })
}
