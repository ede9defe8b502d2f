//! Which objects `charmig schema` creates: everything in the chosen `--schema`s (all user
//! schemas when none is given), less `--exclude`d tables and views, plus the dependency
//! closure: whatever a chosen object needs from elsewhere (a foreign key's parent, a view's
//! tables, a column's type, a default's sequence, a trigger's function, an extension) is
//! pulled in, then what *that* needs, until nothing new appears (a fixed point). Objects in a
//! skipped owner's schema (`--skip-owner`; pg_catalog, information_schema and pg_toast always)
//! are never pulled: the target has its own. Every pulled object is listed with the object
//! that needed it, so the DBA sees why it is there.

use super::model::*;
use crate::scan::filter::glob;
use std::collections::{BTreeMap, BTreeSet};

/// System owners never pulled in, per dialect (the `--skip-owner` defaults).
pub const PG_SYSTEM_OWNERS: [&str; 3] = ["pg_catalog", "information_schema", "pg_toast"];

/// What to take.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Schemas chosen (empty: every schema of the model).
    pub schemas: Vec<String>,
    /// `--exclude` patterns: `NAME` or `SCHEMA.NAME`, `*` and `?` wildcards.
    pub excludes: Vec<String>,
    /// Owners (schemas) never pulled in, beyond the system ones.
    pub skip_owners: Vec<String>,
}

/// An object that was pulled in from outside the chosen schemas, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulled {
    pub kind: ObjectKind,
    pub name: ObjectName,
    /// The chosen (or already pulled) object that needs it.
    pub needed_by: ObjectName,
}

/// A need that is not met: the object is skipped, excluded or not in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmet {
    pub kind: ObjectKind,
    pub name: ObjectName,
    pub needed_by: ObjectName,
    pub reason: &'static str,
}

#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub chosen: BTreeSet<(ObjectKind, ObjectName)>,
    pub pulled: Vec<Pulled>,
    pub unmet: Vec<Unmet>,
    /// Rounds until the fixed point (1 when nothing was pulled).
    pub rounds: usize,
}

impl Selection {
    pub fn contains(&self, kind: ObjectKind, name: &ObjectName) -> bool {
        self.chosen.contains(&(kind, name.clone()))
    }
}

impl Scope {
    fn schema_chosen(&self, schema: &str) -> bool {
        self.schemas.is_empty() || self.schemas.iter().any(|s| s.eq_ignore_ascii_case(schema))
    }
    fn excluded(&self, name: &ObjectName) -> bool {
        let full = format!("{}.{}", name.schema, name.name);
        self.excludes
            .iter()
            .any(|p| glob(p, &name.name) || glob(p, &full))
    }
    fn skipped(&self, schema: &str) -> bool {
        PG_SYSTEM_OWNERS.contains(&schema)
            || crate::own::is_own_schema(schema)
            || self
                .skip_owners
                .iter()
                .any(|s| s.eq_ignore_ascii_case(schema))
    }
}

/// Chooses the objects and closes over their dependencies.
pub fn select(m: &SchemaModel, scope: &Scope) -> Selection {
    let known = super::pg_depend::known_objects(m);
    let extensions: BTreeSet<ObjectName> = m
        .extensions
        .iter()
        .map(|x| ObjectName::new(x.schema.clone(), x.name.clone()))
        .collect();
    let exists = |k: ObjectKind, n: &ObjectName| match k {
        ObjectKind::Extension => extensions.contains(n),
        _ => known.contains(&(k, n)),
    };
    let mut sel = Selection::default();
    for (k, n) in &known {
        // Identity sequences come with their table.
        if m.sequence(n).is_some_and(|s| s.identity) {
            continue;
        }
        if scope.schema_chosen(&n.schema) && !scope.skipped(&n.schema) && !scope.excluded(n) {
            sel.chosen.insert((*k, (*n).clone()));
        }
    }
    // An extension installed in a chosen schema comes with it, as pg_dump does: its use in a
    // function body or a query leaves no trace in pg_depend.
    for x in &m.extensions {
        let n = ObjectName::new(x.schema.clone(), x.name.clone());
        if scope.schema_chosen(&n.schema) && !scope.skipped(&n.schema) {
            sel.chosen.insert((ObjectKind::Extension, n));
        }
    }
    let mut needs: BTreeMap<(ObjectKind, &ObjectName), Vec<&Dependency>> = BTreeMap::new();
    for d in &m.dependencies {
        needs.entry((d.from_kind, &d.from)).or_default().push(d);
    }
    let mut frontier: Vec<(ObjectKind, ObjectName)> = sel.chosen.iter().cloned().collect();
    let mut unmet = BTreeSet::new();
    while !frontier.is_empty() {
        sel.rounds += 1;
        let mut next = Vec::new();
        for (k, n) in &frontier {
            for d in needs.get(&(*k, n)).into_iter().flatten() {
                let key = (d.to_kind, d.to.clone());
                if sel.chosen.contains(&key) || scope.skipped(&d.to.schema) {
                    continue;
                }
                let reason = if !exists(d.to_kind, &d.to) {
                    Some("not found in the source (or not readable)")
                } else if scope.excluded(&d.to) {
                    Some("excluded by --exclude")
                } else {
                    None
                };
                if let Some(reason) = reason {
                    if unmet.insert(key) {
                        sel.unmet.push(Unmet {
                            kind: d.to_kind,
                            name: d.to.clone(),
                            needed_by: n.clone(),
                            reason,
                        });
                    }
                    continue;
                }
                sel.chosen.insert(key.clone());
                sel.pulled.push(Pulled {
                    kind: d.to_kind,
                    name: d.to.clone(),
                    needed_by: n.clone(),
                });
                next.push(key);
            }
        }
        frontier = next;
    }
    sel.rounds = sel.rounds.max(1);
    sel
}

/// The part of the model the selection keeps: chosen objects with their parts (columns,
/// constraints, indexes, triggers, identity sequences), the schemas that hold them, and the
/// extensions pulled in.
pub fn subset(m: &SchemaModel, sel: &Selection) -> SchemaModel {
    let rel = |n: &ObjectName| sel.contains(ObjectKind::Relation, n);
    let tables: Vec<TableDef> = m.tables.iter().filter(|t| rel(&t.name)).cloned().collect();
    let table_names: BTreeSet<&ObjectName> = tables.iter().map(|t| &t.name).collect();
    let sequences: Vec<SequenceDef> = m
        .sequences
        .iter()
        .filter(|s| {
            rel(&s.name)
                || (s.identity
                    && s.owned_by
                        .as_ref()
                        .is_some_and(|(t, _)| table_names.contains(t)))
        })
        .cloned()
        .collect();
    let views: Vec<ViewDef> = m.views.iter().filter(|v| rel(&v.name)).cloned().collect();
    let types: Vec<TypeDef> = m
        .types
        .iter()
        .filter(|t| sel.contains(ObjectKind::Type, &t.name))
        .cloned()
        .collect();
    let routines: Vec<RoutineDef> = m
        .routines
        .iter()
        .filter(|r| sel.contains(ObjectKind::Routine, &r.name))
        .cloned()
        .collect();
    let extensions: Vec<ExtensionDef> = m
        .extensions
        .iter()
        .filter(|x| {
            sel.contains(
                ObjectKind::Extension,
                &ObjectName::new(x.schema.clone(), x.name.clone()),
            )
        })
        .cloned()
        .collect();
    let mut used: BTreeSet<&str> = BTreeSet::new();
    used.extend(tables.iter().map(|t| t.name.schema.as_str()));
    used.extend(sequences.iter().map(|s| s.name.schema.as_str()));
    used.extend(views.iter().map(|v| v.name.schema.as_str()));
    used.extend(types.iter().map(|t| t.name.schema.as_str()));
    used.extend(routines.iter().map(|r| r.name.schema.as_str()));
    used.extend(extensions.iter().map(|x| x.schema.as_str()));
    let schemas = m
        .schemas
        .iter()
        .filter(|s| used.contains(s.name.as_str()))
        .cloned()
        .collect();
    let on_table = |t: &ObjectName| table_names.contains(t) || m.view(t).is_some() && rel(t);
    SchemaModel {
        encoding: m.encoding.clone(),
        version_num: m.version_num,
        schemas,
        extensions,
        types,
        sequences,
        constraints: m
            .constraints
            .iter()
            .filter(|c| table_names.contains(&c.table))
            .cloned()
            .collect(),
        indexes: m
            .indexes
            .iter()
            .filter(|i| on_table(&i.table))
            .cloned()
            .collect(),
        triggers: m
            .triggers
            .iter()
            .filter(|t| on_table(&t.table))
            .cloned()
            .collect(),
        dependencies: m
            .dependencies
            .iter()
            .filter(|d| sel.contains(d.from_kind, &d.from))
            .cloned()
            .collect(),
        tables,
        views,
        routines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str, x: &str) -> ObjectName {
        ObjectName::new(s, x)
    }
    fn table(s: &str, x: &str) -> TableDef {
        TableDef {
            name: n(s, x),
            kind: TableKind::Ordinary,
            owner: "o".into(),
            unlogged: false,
            columns: Vec::new(),
            partition_key: None,
            partition_of: None,
            comment: None,
            grants: Vec::new(),
            inherits: Vec::new(),
            row_security: Vec::new(),
        }
    }
    fn dep(a: (&str, &str), b: (&str, &str)) -> Dependency {
        Dependency {
            from_kind: ObjectKind::Relation,
            from: n(a.0, a.1),
            to_kind: ObjectKind::Relation,
            to: n(b.0, b.1),
        }
    }

    /// a.child -> b.parent -> c.grandparent -> sys.t: pulled in two rounds, sys skipped.
    #[test]
    fn closure_reaches_a_fixed_point_and_skips_owners() {
        let m = SchemaModel {
            tables: vec![
                table("a", "child"),
                table("b", "parent"),
                table("c", "grand"),
                table("sys", "t"),
                table("b", "unrelated"),
            ],
            dependencies: vec![
                dep(("a", "child"), ("b", "parent")),
                dep(("b", "parent"), ("c", "grand")),
                dep(("c", "grand"), ("sys", "t")),
                dep(("a", "child"), ("x", "missing")),
            ],
            ..SchemaModel::default()
        };
        let scope = Scope {
            schemas: vec!["a".into()],
            skip_owners: vec!["SYS".into()],
            ..Scope::default()
        };
        let sel = select(&m, &scope);
        let pulled: Vec<(String, String)> = sel
            .pulled
            .iter()
            .map(|p| (p.name.to_string(), p.needed_by.to_string()))
            .collect();
        assert_eq!(
            pulled,
            [
                ("b.parent".to_string(), "a.child".to_string()),
                ("c.grand".to_string(), "b.parent".to_string())
            ]
        );
        assert_eq!(sel.rounds, 3);
        assert!(!sel.contains(ObjectKind::Relation, &n("sys", "t")));
        assert!(!sel.contains(ObjectKind::Relation, &n("b", "unrelated")));
        assert_eq!(sel.unmet.len(), 1);
        assert_eq!(sel.unmet[0].name, n("x", "missing"));
        let sub = subset(&m, &sel);
        assert_eq!(sub.tables.len(), 3);
    }

    #[test]
    fn excluded_objects_are_reported_not_pulled() {
        let m = SchemaModel {
            tables: vec![table("a", "child"), table("a", "big_log")],
            dependencies: vec![dep(("a", "child"), ("a", "big_log"))],
            ..SchemaModel::default()
        };
        let scope = Scope {
            excludes: vec!["a.big_*".into()],
            ..Scope::default()
        };
        let sel = select(&m, &scope);
        assert!(!sel.contains(ObjectKind::Relation, &n("a", "big_log")));
        assert_eq!(sel.unmet[0].reason, "excluded by --exclude");
    }
}
