//! Which of the plan's `03_after_copy` steps belong to one table, so the worker pool builds a
//! table's keys and indexes as soon as its rows are in ([`super::pool`]).
//!
//! A step is a table's when the source's dictionary names its table without doubt:
//! `create_index` of an index (`owner.name`), `enable_constraint` of a primary or unique key.
//! Keys run one after another (each locks the table exclusively), index builds in parallel,
//! unique indexes first. Everything else (foreign keys, which need the referenced table's key,
//! checks, triggers, sequences) and any step whose table is in doubt stays in the plan's
//! `03_after_copy`, run in the plan's order once every table is loaded.

use super::{CopyTable, TableSteps};
use crate::catalog::{Catalog, ConstraintKind};
use crate::plan::{Phase, Plan};
use std::collections::{HashMap, HashSet};

/// The per-table steps of `plan` for `tables`, leaving out those in `done` (step ids).
pub fn per_table(
    plan: &Plan,
    catalog: &Catalog,
    tables: &[CopyTable],
    done: &HashSet<String>,
) -> HashMap<String, TableSteps> {
    let copied: HashSet<String> = tables.iter().map(CopyTable::qualified).collect();
    let mut out: HashMap<String, TableSteps> = HashMap::new();
    for s in plan.steps_of(Phase::AfterCopy) {
        if done.contains(&s.id) {
            continue;
        }
        let owner = match s.action.as_str() {
            "create_index" => one(catalog
                .indexes
                .iter()
                .filter(|i| format!("{}.{}", i.owner, i.name) == s.object)
                .map(|i| (format!("{}.{}", i.table_owner, i.table), i.unique))),
            "enable_constraint" => {
                let found: Vec<_> = catalog
                    .constraints
                    .iter()
                    .filter(|c| format!("{}.{}", c.owner, c.name) == s.object)
                    .collect();
                match found[..] {
                    [c] if matches!(c.kind, ConstraintKind::Primary | ConstraintKind::Unique) => {
                        Some((format!("{}.{}", c.owner, c.table), true))
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
        match (s.action.as_str(), unique) {
            ("enable_constraint", _) => e.serial.push(s.clone()),
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

/// The one table named by all matches, or none when there are none or they disagree.
fn one(mut found: impl Iterator<Item = (String, bool)>) -> Option<(String, bool)> {
    let first = found.next()?;
    found.all(|x| x.0 == first.0).then_some(first)
}

fn is_unique(s: &crate::plan::Step, catalog: &Catalog) -> bool {
    catalog
        .indexes
        .iter()
        .any(|i| i.unique && format!("{}.{}", i.owner, i.name) == s.object)
}

/// How many steps `per_table` took from the plan.
pub fn count(after: &HashMap<String, TableSteps>) -> usize {
    after
        .values()
        .map(|s| s.serial.len() + s.parallel.len())
        .sum()
}
