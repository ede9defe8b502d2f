//! Which of the plan's `03_after_copy` steps belong to one table, so the worker pool builds a
//! table's keys and indexes as soon as its rows are in ([`super::pool`]).
//!
//! A step is a table's when the source's dictionary names its table without doubt:
//! `create_index` of an index (`owner.name`), `enable_constraint` of a primary or unique key.
//! Keys run one after another, index builds in parallel, unique indexes first.
//!
//! `ALTER TABLE … ADD CONSTRAINT k PRIMARY KEY (cols)` locks the table exclusively for the
//! whole index build, so no other index of the table could be built meanwhile. A key with a
//! plain definition (`PRIMARY KEY (…)` or `UNIQUE (…)`, nothing after) is therefore run as
//! `CREATE UNIQUE INDEX k ON t (cols); ALTER TABLE t ADD CONSTRAINT k PRIMARY KEY USING INDEX k`
//! in one transaction: the same index (same name, columns, default operator classes and
//! tablespace) and the same constraint, but the build shares the table's lock with the other
//! index builds, which then run at the same time; only the short `ALTER` waits for them. When
//! every key of a table has that form, its keys and index builds are queued together. Everything else (foreign keys, which need the referenced table's key,
//! checks, triggers, sequences) and any step whose table is in doubt stays in the plan's
//! `03_after_copy`, run in the plan's order once every table is loaded.

use super::{CopyTable, TableSteps};
use crate::catalog::{Catalog, Constraint, ConstraintKind};
use crate::charset::Dialect;
use crate::dialect::postgres::{ident, qualified};
use crate::plan::{Phase, Plan, Step};
use std::collections::{HashMap, HashSet};

/// The per-table steps of `plan` for `tables`, leaving out those in `done` (step ids).
pub fn per_table(
    plan: &Plan,
    catalog: &Catalog,
    tables: &[CopyTable],
    done: &HashSet<String>,
) -> HashMap<(String, String), TableSteps> {
    let copied: HashSet<(String, String)> = tables.iter().map(CopyTable::key).collect();
    let mut out: HashMap<(String, String), TableSteps> = HashMap::new();
    for s in plan.steps_of(Phase::AfterCopy) {
        if done.contains(&s.id) {
            continue;
        }
        let mut key: Option<Option<Step>> = None;
        let owner = match s.action.as_str() {
            "create_index" => one(catalog
                .indexes
                .iter()
                .filter(|i| format!("{}.{}", i.owner, i.name) == s.object)
                .map(|i| ((i.table_owner.clone(), i.table.clone()), i.unique))),
            "enable_constraint" => {
                let found: Vec<_> = catalog
                    .constraints
                    .iter()
                    .filter(|c| format!("{}.{}", c.owner, c.name) == s.object)
                    .collect();
                match found[..] {
                    [c] if matches!(c.kind, ConstraintKind::Primary | ConstraintKind::Unique) => {
                        key = Some(shared_key(s, c));
                        Some(((c.owner.clone(), c.table.clone()), true))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        let Some((table, unique)) = owner.filter(|(t, _)| copied.contains(t)) else {
            continue;
        };
        let e = out.entry(table).or_default();
        if e.serial.is_empty() && e.parallel.is_empty() {
            e.keys_share_lock = true;
        }
        match (s.action.as_str(), unique) {
            ("enable_constraint", _) => match key.flatten() {
                Some(shared) => e.serial.push(shared),
                None => {
                    e.keys_share_lock = false;
                    e.serial.push(s.clone());
                }
            },
            (_, true) => {
                let at = e
                    .parallel
                    .iter()
                    .take_while(|p| is_unique(p, catalog))
                    .count();
                e.parallel.insert(at, s.clone());
            }
            _ => e.parallel.push(s.clone()),
        }
    }
    out
}

/// The plan's key step as a unique index build plus `ADD CONSTRAINT … USING INDEX`, when the
/// step is exactly the plan's statement for `c` and its definition is a plain column list.
fn shared_key(step: &Step, c: &Constraint) -> Option<Step> {
    if step.sql != crate::plan::sql::enable_novalidate(Dialect::Postgres, c, false) {
        return None;
    }
    let def = c.definition.as_deref()?.trim();
    let (kind, cols) = match (
        def.strip_prefix("PRIMARY KEY "),
        def.strip_prefix("UNIQUE "),
    ) {
        (Some(cols), _) => ("PRIMARY KEY", cols),
        (_, Some(cols)) => ("UNIQUE", cols),
        _ => return None,
    };
    let inner = cols.strip_prefix('(')?.strip_suffix(')')?;
    if inner.contains(['(', ')']) || inner.trim().is_empty() {
        return None;
    }
    let (t, n) = (qualified(&c.owner, &c.table), ident(&c.name));
    Some(Step {
        sql: format!(
            "CREATE UNIQUE INDEX {n} ON {t} {cols}; ALTER TABLE {t} ADD CONSTRAINT {n} {kind} USING INDEX {n}"
        ),
        ..step.clone()
    })
}

/// The one table named by all matches, or none when there are none or they disagree.
fn one(
    mut found: impl Iterator<Item = ((String, String), bool)>,
) -> Option<((String, String), bool)> {
    let first = found.next()?;
    found.all(|x| x.0 == first.0).then_some(first)
}

fn is_unique(s: &Step, catalog: &Catalog) -> bool {
    catalog
        .indexes
        .iter()
        .any(|i| i.unique && format!("{}.{}", i.owner, i.name) == s.object)
}

/// How many steps `per_table` took from the plan.
pub fn count(after: &HashMap<(String, String), TableSteps>) -> usize {
    after
        .values()
        .map(|s| s.serial.len() + s.parallel.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kind: ConstraintKind, def: &str) -> Constraint {
        Constraint {
            owner: "Ventes".into(),
            name: "Clé \"pk\"".into(),
            table: "Commandes.2024".into(),
            kind,
            columns: vec!["id".into()],
            ref_owner: None,
            ref_table: None,
            ref_constraint: None,
            ref_columns: vec![],
            enabled: true,
            validated: true,
            definition: Some(def.into()),
            delete_rule: None,
        }
    }

    fn step_of(c: &Constraint) -> Step {
        Step {
            id: "03-0001".into(),
            phase: Phase::AfterCopy,
            action: "enable_constraint".into(),
            object: format!("{}.{}", c.owner, c.name),
            sql: crate::plan::sql::enable_novalidate(Dialect::Postgres, c, false),
            reverse: None,
            comment: String::new(),
        }
    }

    #[test]
    fn plain_keys_become_a_unique_index_build_and_using_index() {
        let c = key(ConstraintKind::Primary, "PRIMARY KEY (id, \"Ligne\")");
        let s = shared_key(&step_of(&c), &c).unwrap();
        assert_eq!(
            s.sql,
            "CREATE UNIQUE INDEX \"Clé \"\"pk\"\"\" ON \"Ventes\".\"Commandes.2024\" (id, \"Ligne\"); \
             ALTER TABLE \"Ventes\".\"Commandes.2024\" ADD CONSTRAINT \"Clé \"\"pk\"\"\" PRIMARY KEY USING INDEX \"Clé \"\"pk\"\"\""
        );
        assert_eq!(
            (s.id.as_str(), s.object.as_str()),
            ("03-0001", "Ventes.Clé \"pk\"")
        );
        let u = key(ConstraintKind::Unique, "UNIQUE (name)");
        assert!(
            shared_key(&step_of(&u), &u)
                .unwrap()
                .sql
                .contains(" UNIQUE USING INDEX ")
        );
        // Anything more than a column list keeps the plan's own statement.
        for def in [
            "PRIMARY KEY (id) INCLUDE (x)",
            "UNIQUE (a) DEFERRABLE INITIALLY DEFERRED",
            "PRIMARY KEY (id) WITH (fillfactor='70')",
            "UNIQUE NULLS NOT DISTINCT (a)",
            "PRIMARY KEY (id) USING INDEX TABLESPACE fast",
        ] {
            let c = key(ConstraintKind::Primary, def);
            assert!(shared_key(&step_of(&c), &c).is_none(), "{def}");
        }
        // A step that is not the plan's statement for this constraint is left alone.
        let mut other = step_of(&c);
        other.sql.push_str(" -- edited");
        assert!(shared_key(&other, &c).is_none());
    }
}
