//! Which of the plan's `03_after_copy` steps belong to one table, so the worker pool builds a
//! table's keys and indexes as soon as its rows are in ([`super::pool`]).
//!
//! A step is a table's when the source's dictionary names its table without doubt:
//! `create_index` of an index (`owner.name`), `enable_constraint` of a primary or unique key.
//!
//! `ALTER TABLE … ADD CONSTRAINT k PRIMARY KEY (cols)` locks the table exclusively for the
//! whole index build, so no other index of the table could be built meanwhile. A key with a
//! plain definition (`PRIMARY KEY (…)` or `UNIQUE (…)`, nothing after) is therefore run in two
//! steps: `CREATE UNIQUE INDEX k ON t (cols)` (logged as step `<id>/index`), built at the same
//! time as the table's other indexes since it shares their lock, then, once every build of the
//! table is done, `ALTER TABLE t ADD CONSTRAINT k PRIMARY KEY USING INDEX k` (logged as the
//! plan's step `<id>`): the same index (same name, columns, default operator classes and
//! tablespace) and the same constraint. The `ALTER` takes a lock that waits for running builds,
//! which is why it comes after them and not right after its own index: a connection never sits
//! waiting while another builds. A run killed between the two finds `<id>/index` done and only
//! attaches (`charmig apply` names the copy as the way to finish it, see
//! [`crate::plan::apply`]). When a key of the table has any other form, every key runs first,
//! one after another (the index built and attached in one transaction where it can be), and
//! the index builds after them.
//!
//! Builds start the costliest first (longest-processing-time first: with two connections and
//! builds of 0.9, 0.4 and 0.4 s, the 0.9 s one runs beside the other two, 0.9 s in all instead
//! of 1.3 s), costs estimated from the key columns' types ([`build_cost`]).
//!
//! Everything else (foreign keys, which need the referenced table's key, checks, triggers,
//! sequences) and any step whose table is in doubt stays in the plan's `03_after_copy`, run in
//! the plan's order once every table is loaded.

use super::{CopyTable, TableSteps};
use crate::catalog::{Catalog, ColumnKind, Constraint, ConstraintKind};
use crate::charset::Dialect;
use crate::dialect::postgres::{ident, qualified};
use crate::plan::{Phase, Plan, Step};
use std::collections::{HashMap, HashSet};

/// The action of the index half of a key split from its constraint (built with the other
/// indexes, then attached as the key).
pub const CREATE_KEY_INDEX: &str = "create_key_index";

/// The plan-log id of a key's unique index build (the first half of the key's step `id`).
pub fn index_half(id: &str) -> String {
    format!("{id}/index")
}

/// One table's steps as found in the plan, before they are arranged.
#[derive(Default)]
struct Found {
    /// Keys: the plan's step, and its split form when it has one.
    keys: Vec<(Step, Option<SplitKey>, u32)>,
    /// Index builds with their estimated cost.
    builds: Vec<(Step, u32)>,
}

/// A key as a unique index build and the `ALTER TABLE … USING INDEX` that makes it the key.
struct SplitKey {
    build: Step,
    attach: Step,
}

/// The per-table steps of `plan` for `tables`, leaving out those in `done` (step ids).
pub fn per_table(
    plan: &Plan,
    catalog: &Catalog,
    tables: &[CopyTable],
    done: &HashSet<String>,
) -> HashMap<(String, String), TableSteps> {
    let copied: HashSet<(String, String)> = tables.iter().map(CopyTable::key).collect();
    let mut found: HashMap<(String, String), Found> = HashMap::new();
    for s in plan.steps_of(Phase::AfterCopy) {
        if done.contains(&s.id) {
            continue;
        }
        match s.action.as_str() {
            "create_index" => {
                let Some((table, cost)) = one(catalog
                    .indexes
                    .iter()
                    .filter(|i| format!("{}.{}", i.owner, i.name) == s.object)
                    .map(|i| {
                        let t = (i.table_owner.clone(), i.table.clone());
                        let cost = build_cost(catalog, &t, &i.columns);
                        (t, cost)
                    }))
                .filter(|(t, _)| copied.contains(t)) else {
                    continue;
                };
                found
                    .entry(table)
                    .or_default()
                    .builds
                    .push((s.clone(), cost));
            }
            "enable_constraint" => {
                let matches: Vec<&Constraint> = catalog
                    .constraints
                    .iter()
                    .filter(|c| format!("{}.{}", c.owner, c.name) == s.object)
                    .collect();
                let [c] = matches[..] else { continue };
                if !matches!(c.kind, ConstraintKind::Primary | ConstraintKind::Unique) {
                    continue;
                }
                let table = (c.owner.clone(), c.table.clone());
                if !copied.contains(&table) {
                    continue;
                }
                let cost = build_cost(catalog, &table, &c.columns);
                let split = split_key(s, c);
                found
                    .entry(table)
                    .or_default()
                    .keys
                    .push((s.clone(), split, cost));
            }
            _ => {}
        }
    }
    found
        .into_iter()
        .map(|(table, f)| (table, arrange(f, done)))
        .collect()
}

/// A table's steps arranged for the pool: keys split when every one of them can be, builds
/// the costliest first.
fn arrange(f: Found, done: &HashSet<String>) -> TableSteps {
    let mut out = TableSteps::default();
    let mut builds = f.builds;
    // A key whose index a killed run built already is only attached, whatever its siblings.
    let all_split = f.keys.iter().all(|(_, split, _)| split.is_some());
    for (step, split, cost) in f.keys {
        match split {
            Some(k) if done.contains(&k.build.id) => out.attach.push(k.attach),
            Some(k) if all_split => {
                builds.push((k.build, cost));
                out.attach.push(k.attach);
            }
            Some(k) => out.serial.push(Step {
                sql: format!("{}; {}", k.build.sql, k.attach.sql),
                ..step
            }),
            None => out.serial.push(step),
        }
    }
    // Stable: among equal costs, the plan's order (unique indexes, which other tables'
    // foreign keys may need, were put first by the plan).
    builds.sort_by_key(|(_, cost)| std::cmp::Reverse(*cost));
    out.parallel = builds.into_iter().map(|(s, _)| s).collect();
    out
}

/// A rough relative cost of building a b-tree over `columns` of `table` (same rows for every
/// index of a table, so only the key matters): comparing text (collation-aware, variable
/// length) costs far more than comparing a fixed-width value, numeric in between, and an
/// expression is evaluated for every row. Measured on 1M rows (bench_copy.sh's table): an
/// index on a 20-character varchar took 0.89 s, one on int8 or timestamptz 0.40 s.
pub fn build_cost(catalog: &Catalog, table: &(String, String), columns: &[String]) -> u32 {
    let t = catalog
        .tables
        .iter()
        .find(|x| x.owner == table.0 && x.name == table.1);
    columns
        .iter()
        .map(|name| {
            let col = t.and_then(|t| t.columns.iter().find(|c| &c.name == name));
            match col {
                None => 4, // an expression
                Some(c) => match c.kind(Dialect::Postgres) {
                    ColumnKind::Varchar | ColumnKind::Char | ColumnKind::Clob => 4,
                    _ if c.data_type.to_ascii_lowercase().starts_with("numeric") => 2,
                    _ => 1,
                },
            }
        })
        .sum::<u32>()
        .max(1)
}

/// The plan's key step as a unique index build plus `ADD CONSTRAINT … USING INDEX`, when the
/// step is exactly the plan's statement for `c` and its definition is a plain column list.
fn split_key(step: &Step, c: &Constraint) -> Option<SplitKey> {
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
    Some(SplitKey {
        build: Step {
            id: index_half(&step.id),
            action: CREATE_KEY_INDEX.into(),
            sql: format!("CREATE UNIQUE INDEX {n} ON {t} {cols}"),
            ..step.clone()
        },
        attach: Step {
            sql: format!("ALTER TABLE {t} ADD CONSTRAINT {n} {kind} USING INDEX {n}"),
            ..step.clone()
        },
    })
}

/// The one table named by all matches, or none when there are none or they disagree.
fn one<T>(mut found: impl Iterator<Item = ((String, String), T)>) -> Option<((String, String), T)> {
    let first = found.next()?;
    found.all(|x| x.0 == first.0).then_some(first)
}

/// How many steps `per_table` took from the plan.
pub fn count(after: &HashMap<(String, String), TableSteps>) -> usize {
    after
        .values()
        .map(|s| {
            s.serial.len()
                + s.attach.len()
                + s.parallel
                    .iter()
                    .filter(|p| p.action != CREATE_KEY_INDEX)
                    .count()
        })
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
        let s = split_key(&step_of(&c), &c).unwrap();
        assert_eq!(
            s.build.sql,
            "CREATE UNIQUE INDEX \"Clé \"\"pk\"\"\" ON \"Ventes\".\"Commandes.2024\" (id, \"Ligne\")"
        );
        assert_eq!(
            s.attach.sql,
            "ALTER TABLE \"Ventes\".\"Commandes.2024\" ADD CONSTRAINT \"Clé \"\"pk\"\"\" PRIMARY KEY USING INDEX \"Clé \"\"pk\"\"\""
        );
        assert_eq!(
            (
                s.build.id.as_str(),
                s.attach.id.as_str(),
                s.attach.object.as_str()
            ),
            ("03-0001/index", "03-0001", "Ventes.Clé \"pk\"")
        );
        let u = key(ConstraintKind::Unique, "UNIQUE (name)");
        assert!(
            split_key(&step_of(&u), &u)
                .unwrap()
                .attach
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
            assert!(split_key(&step_of(&c), &c).is_none(), "{def}");
        }
        // A step that is not the plan's statement for this constraint is left alone.
        let mut other = step_of(&c);
        other.sql.push_str(" -- edited");
        assert!(split_key(&other, &c).is_none());
    }

    fn build(id: &str) -> Step {
        Step {
            id: id.into(),
            phase: Phase::AfterCopy,
            action: "create_index".into(),
            object: format!("Ventes.{id}"),
            sql: format!("CREATE INDEX {id}"),
            reverse: None,
            comment: String::new(),
        }
    }

    fn split(id: &str) -> SplitKey {
        let plan = build(id);
        SplitKey {
            build: Step {
                id: index_half(id),
                action: CREATE_KEY_INDEX.into(),
                ..plan.clone()
            },
            attach: plan,
        }
    }

    fn ids(steps: &[Step]) -> Vec<&str> {
        steps.iter().map(|s| s.id.as_str()).collect()
    }

    #[test]
    fn builds_go_costliest_first_and_keys_attach_after_them() {
        let f = Found {
            keys: vec![(build("pk"), Some(split("pk")), 1)],
            builds: vec![
                (build("created"), 1),
                (build("name"), 4),
                (build("amount"), 2),
            ],
        };
        let s = arrange(f, &HashSet::new());
        assert!(s.serial.is_empty());
        assert_eq!(ids(&s.parallel), ["name", "amount", "created", "pk/index"]);
        assert_eq!(ids(&s.attach), ["pk"]);
        // A key whose index a killed run built is only attached.
        let f = Found {
            keys: vec![(build("pk"), Some(split("pk")), 1)],
            builds: vec![(build("name"), 4)],
        };
        let s = arrange(f, &HashSet::from(["pk/index".to_string()]));
        assert_eq!(
            (ids(&s.parallel), ids(&s.attach)),
            (vec!["name"], vec!["pk"])
        );
    }

    #[test]
    fn one_key_that_cannot_be_split_sends_every_key_first() {
        let f = Found {
            keys: vec![(build("pk"), Some(split("pk")), 1), (build("uk"), None, 4)],
            builds: vec![(build("name"), 4)],
        };
        let s = arrange(f, &HashSet::new());
        assert_eq!(ids(&s.serial), ["pk", "uk"]);
        // The splittable key runs as one transaction: its index, then the constraint.
        assert_eq!(s.serial[0].sql, "CREATE INDEX pk; CREATE INDEX pk");
        assert_eq!(ids(&s.parallel), ["name"]);
        assert!(s.attach.is_empty());
    }

    #[test]
    fn text_keys_cost_more_than_fixed_width_ones() {
        use crate::catalog::{Column, SourceInfo, Table};
        let col = |name: &str, data_type: &str| Column {
            name: name.into(),
            column_id: 1,
            data_type: data_type.into(),
            data_length: None,
            char_length: None,
            semantics: None,
            nullable: true,
        };
        let source = SourceInfo {
            dialect: Dialect::Postgres,
            version: "17".into(),
            charset: "LATIN9".into(),
            nchar_charset: None,
            max_string_size: crate::catalog::MaxStringSize::Standard,
            identity: None,
        };
        let cat = Catalog::with_tables(
            source,
            vec![Table {
                owner: "Ventes".into(),
                name: "Commandes été".into(),
                num_rows: None,
                columns: vec![
                    col("id", "bigint"),
                    col("Libellé", "character varying(40)"),
                    col("montant", "numeric(12,2)"),
                    col("créé", "timestamp with time zone"),
                    col("code", "character(3)"),
                ],
            }],
        );
        let t = ("Ventes".to_string(), "Commandes été".to_string());
        let cost = |cols: &[&str]| {
            build_cost(
                &cat,
                &t,
                &cols.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
            )
        };
        assert!(cost(&["Libellé"]) > cost(&["montant"]));
        assert!(cost(&["montant"]) > cost(&["créé"]));
        assert_eq!(cost(&["id"]), cost(&["créé"]));
        assert!(cost(&["code"]) > cost(&["id"]));
        assert!(cost(&["lower((\"Libellé\")::text)"]) > cost(&["id"]));
        assert!(cost(&["id", "créé"]) > cost(&["id"]));
    }
}
