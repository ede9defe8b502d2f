//! The schema comparison of objects that hang off tables or stand beside them: constraints,
//! indexes, views, functions/procedures and triggers (see [`super::schema_diff`] for the rules
//! and the order of the fixes).

use super::schema_diff::{Phase, SchemaDiff};
use crate::dialect::postgres::ident;
use crate::schema::model::*;

fn q(n: &ObjectName) -> String {
    format!("{}.{}", ident(&n.schema), ident(&n.name))
}

fn in_scope(schema: &str, schemas: &[String]) -> bool {
    schemas.is_empty() || schemas.iter().any(|s| s == schema)
}

fn kind_word(k: ConstraintKind) -> &'static str {
    match k {
        ConstraintKind::Primary => "primary key",
        ConstraintKind::Unique => "unique",
        ConstraintKind::Foreign => "foreign key",
        ConstraintKind::Check => "check",
        ConstraintKind::Other => "exclusion",
    }
}

pub(super) fn constraints(
    src: &SchemaModel,
    tgt: &SchemaModel,
    schemas: &[String],
    d: &mut SchemaDiff,
) {
    let find = |m: &SchemaModel, c: &ConstraintDef| {
        m.constraints
            .iter()
            .find(|x| x.table == c.table && x.name == c.name)
            .cloned()
    };
    for c in src
        .constraints
        .iter()
        .filter(|c| in_scope(&c.table.schema, schemas))
    {
        let object = format!("{}.{}", c.table.name, c.name);
        let alter = format!("ALTER TABLE {}", q(&c.table));
        let phase = if c.kind == ConstraintKind::Foreign {
            Phase::ForeignKeys
        } else {
            Phase::Constraints
        };
        let add = format!(
            "{alter} ADD CONSTRAINT {} {}{}",
            ident(&c.name),
            c.definition,
            if c.validated { "" } else { " NOT VALID" }
        );
        let what = format!("{} constraint {} on {}", kind_word(c.kind), c.name, c.table);
        if tgt.table(&c.table).is_none() && src.table(&c.table).is_some() {
            // The table is missing: its constraints come with its creation below.
            d.fix(phase, format!("{what} (table missing)"), add);
            continue;
        }
        let Some(t) = find(tgt, c) else {
            d.diff(
                "constraint",
                &c.table.schema,
                &object,
                "missing on target",
                &c.definition,
                "",
            );
            d.fix(phase, format!("{what} missing"), add);
            continue;
        };
        if t.definition != c.definition {
            d.diff(
                "constraint",
                &c.table.schema,
                &object,
                "definition",
                &c.definition,
                &t.definition,
            );
            d.fix(
                phase,
                format!("{what} definition"),
                format!("{alter} DROP CONSTRAINT {};\n{add}", ident(&c.name)),
            );
        } else if c.validated && !t.validated {
            d.diff(
                "constraint",
                &c.table.schema,
                &object,
                "validated",
                "VALIDATED",
                "NOT VALIDATED",
            );
            d.fix(
                Phase::Validate,
                format!("{what} not validated"),
                format!("{alter} VALIDATE CONSTRAINT {}", ident(&c.name)),
            );
        }
    }
    for t in tgt
        .constraints
        .iter()
        .filter(|c| in_scope(&c.table.schema, schemas))
    {
        if find(src, t).is_none() && src.table(&t.table).is_some() {
            d.extra(
                "constraint",
                &t.table.schema,
                &format!("{}.{}", t.table.name, t.name),
            );
        }
    }
}

pub(super) fn indexes(
    src: &SchemaModel,
    tgt: &SchemaModel,
    schemas: &[String],
    d: &mut SchemaDiff,
) {
    for i in src
        .indexes
        .iter()
        .filter(|i| in_scope(&i.name.schema, schemas))
    {
        let (schema, name) = (&i.name.schema, &i.name.name);
        let what = format!("index {} on {}", i.name, i.table);
        let Some(t) = tgt.indexes.iter().find(|x| x.name == i.name) else {
            if tgt.table(&i.table).is_some() {
                d.diff(
                    "index",
                    schema,
                    name,
                    "missing on target",
                    &i.definition,
                    "",
                );
            }
            d.fix(
                Phase::Indexes,
                format!("{what} missing"),
                i.definition.clone(),
            );
            continue;
        };
        let property = if t.table != i.table {
            Some(("table", i.table.to_string(), t.table.to_string()))
        } else if t.unique != i.unique {
            Some(("unique", i.unique.to_string(), t.unique.to_string()))
        } else if t.keys != i.keys {
            Some(("columns", i.keys.join(", "), t.keys.join(", ")))
        } else if t.method != i.method {
            Some(("method", i.method.clone(), t.method.clone()))
        } else if t.predicate != i.predicate {
            let p = |x: &Option<String>| x.clone().unwrap_or_else(|| "(none)".into());
            Some(("predicate", p(&i.predicate), p(&t.predicate)))
        } else if t.definition != i.definition {
            Some(("definition", i.definition.clone(), t.definition.clone()))
        } else {
            None
        };
        if let Some((prop, s, g)) = property {
            d.diff("index", schema, name, prop, &s, &g);
            d.fix(
                Phase::Indexes,
                format!("{what} {prop}"),
                format!("DROP INDEX {};\n{}", q(&i.name), i.definition),
            );
        }
    }
    for t in tgt
        .indexes
        .iter()
        .filter(|i| in_scope(&i.name.schema, schemas))
    {
        if !src.indexes.iter().any(|i| i.name == t.name) {
            d.extra("index", &t.name.schema, &t.name.name);
        }
    }
}

fn view_sql(v: &ViewDef, replace: bool) -> String {
    let with = if v.options.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", v.options.join(", "))
    };
    let body = v.definition.trim().trim_end_matches(';');
    match (v.materialized, replace) {
        (true, true) => format!(
            "DROP MATERIALIZED VIEW {};\nCREATE MATERIALIZED VIEW {}{with} AS\n{body}",
            q(&v.name),
            q(&v.name)
        ),
        (true, false) => format!("CREATE MATERIALIZED VIEW {}{with} AS\n{body}", q(&v.name)),
        (false, r) => format!(
            "CREATE {}VIEW {}{with} AS\n{body}",
            if r { "OR REPLACE " } else { "" },
            q(&v.name)
        ),
    }
}

/// The target's views that read `tables`, directly or through other views, nearest first.
fn dependent_views(tgt: &SchemaModel, tables: &[ObjectName]) -> Vec<ObjectName> {
    let mut found: Vec<ObjectName> = Vec::new();
    let mut frontier: Vec<ObjectName> = tables.to_vec();
    while !frontier.is_empty() {
        let mut next: Vec<ObjectName> = Vec::new();
        for dep in &tgt.dependencies {
            let is_view = dep.from_kind == ObjectKind::Relation && tgt.view(&dep.from).is_some();
            if is_view
                && dep.to_kind == ObjectKind::Relation
                && frontier.contains(&dep.to)
                && !next.contains(&dep.from)
            {
                next.push(dep.from.clone());
            }
        }
        // A view reached again further out moves there: dropped before, created after the
        // nearer ones.
        found.retain(|v| !next.contains(v));
        found.extend(next.iter().cloned());
        frontier = next;
    }
    found
}

pub(super) fn views(src: &SchemaModel, tgt: &SchemaModel, schemas: &[String], d: &mut SchemaDiff) {
    let mut recreated: Vec<ObjectName> = Vec::new();
    // A column's type cannot change under a view: drop the views over it (farthest first) and
    // create them again from the source's definition (nearest first).
    let dependents = dependent_views(tgt, &d.retyped.clone());
    for v in dependents.iter().rev() {
        let kind = if tgt.view(v).is_some_and(|x| x.materialized) {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        };
        d.fix(
            Phase::DropDependents,
            format!("view {v} reads a column whose type changes: dropped, created again below"),
            format!("DROP {kind} {}", q(v)),
        );
    }
    for v in &dependents {
        if let Some(sv) = src.view(v) {
            d.fix(
                Phase::Views,
                format!("view {v} created again"),
                view_sql(sv, false),
            );
            recreated.push(v.clone());
        }
    }
    for v in src
        .views
        .iter()
        .filter(|v| in_scope(&v.name.schema, schemas))
    {
        let (schema, name) = (&v.name.schema, &v.name.name);
        let kind = if v.materialized {
            "materialized view"
        } else {
            "view"
        };
        let Some(t) = tgt.view(&v.name) else {
            d.diff("view", schema, name, "missing on target", "", "");
            if recreated.contains(&v.name) {
                continue;
            }
            d.fix(
                Phase::Views,
                format!("{kind} {} missing", v.name),
                view_sql(v, false),
            );
            continue;
        };
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        if norm(&v.definition) != norm(&t.definition)
            || v.options != t.options
            || v.materialized != t.materialized
        {
            d.diff(
                "view",
                schema,
                name,
                "text",
                &norm(&v.definition),
                &norm(&t.definition),
            );
            if !recreated.contains(&v.name) {
                d.fix(
                    Phase::Views,
                    format!("{kind} {} text", v.name),
                    view_sql(v, true),
                );
            }
        }
    }
    for v in src
        .views
        .iter()
        .filter(|v| in_scope(&v.name.schema, schemas) && v.materialized && v.populated)
    {
        if tgt
            .view(&v.name)
            .is_some_and(|t| t.materialized && !t.populated)
        {
            d.diff(
                "view",
                &v.name.schema,
                &v.name.name,
                "populated",
                "yes",
                "no (WITH NO DATA: every query on it fails)",
            );
            d.fix(
                Phase::SequenceValues,
                format!("materialized view {} not populated", v.name),
                format!("REFRESH MATERIALIZED VIEW {}", q(&v.name)),
            );
        }
    }
    for t in tgt
        .views
        .iter()
        .filter(|v| in_scope(&v.name.schema, schemas))
    {
        if src.view(&t.name).is_none() {
            d.extra("view", &t.name.schema, &t.name.name);
        }
    }
}

pub(super) fn routines(
    src: &SchemaModel,
    tgt: &SchemaModel,
    schemas: &[String],
    d: &mut SchemaDiff,
) {
    let find = |m: &SchemaModel, r: &RoutineDef| {
        m.routines
            .iter()
            .find(|x| x.name == r.name && x.identity_args == r.identity_args)
            .cloned()
    };
    for r in src
        .routines
        .iter()
        .filter(|r| in_scope(&r.name.schema, schemas))
    {
        let object = format!("{}({})", r.name.name, r.identity_args);
        let sql = r.definition.trim().trim_end_matches(';').to_string();
        let phase = if r.sql_body {
            Phase::Views
        } else {
            Phase::Routines
        };
        match find(tgt, r) {
            None => {
                d.diff(
                    "function",
                    &r.name.schema,
                    &object,
                    "missing on target",
                    "",
                    "",
                );
                d.fix(
                    phase,
                    format!("function {}({}) missing", r.name, r.identity_args),
                    sql,
                );
            }
            Some(t) if t.definition.trim() != r.definition.trim() => {
                d.diff("function", &r.name.schema, &object, "text", "", "");
                d.fix(
                    phase,
                    format!("function {}({}) text", r.name, r.identity_args),
                    sql,
                );
            }
            Some(_) => {}
        }
    }
    for t in tgt
        .routines
        .iter()
        .filter(|r| in_scope(&r.name.schema, schemas))
    {
        if find(src, t).is_none() {
            d.extra(
                "function",
                &t.name.schema,
                &format!("{}({})", t.name.name, t.identity_args),
            );
        }
    }
}

fn enabled_word(c: char) -> &'static str {
    match c {
        'D' => "disabled",
        'R' => "enabled replica",
        'A' => "enabled always",
        _ => "enabled",
    }
}

fn enable_sql(t: &TriggerDef) -> String {
    let how = match t.enabled {
        'D' => "DISABLE",
        'R' => "ENABLE REPLICA",
        'A' => "ENABLE ALWAYS",
        _ => "ENABLE",
    };
    format!(
        "ALTER TABLE {} {how} TRIGGER {}",
        q(&t.table),
        ident(&t.name)
    )
}

pub(super) fn triggers(
    src: &SchemaModel,
    tgt: &SchemaModel,
    schemas: &[String],
    d: &mut SchemaDiff,
) {
    let find = |m: &SchemaModel, t: &TriggerDef| {
        m.triggers
            .iter()
            .find(|x| x.table == t.table && x.name == t.name)
            .cloned()
    };
    for s in src
        .triggers
        .iter()
        .filter(|t| in_scope(&t.table.schema, schemas))
    {
        let object = format!("{}.{}", s.table.name, s.name);
        let what = format!("trigger {} on {}", s.name, s.table);
        match find(tgt, s) {
            None => {
                if tgt.table(&s.table).is_some() {
                    d.diff(
                        "trigger",
                        &s.table.schema,
                        &object,
                        "missing on target",
                        "",
                        "",
                    );
                }
                d.fix(
                    Phase::Triggers,
                    format!("{what} missing"),
                    s.definition.clone(),
                );
                if s.enabled != 'O' {
                    d.fix(Phase::TriggerStates, format!("{what} state"), enable_sql(s));
                }
            }
            Some(t) => {
                if t.definition != s.definition {
                    d.diff(
                        "trigger",
                        &s.table.schema,
                        &object,
                        "definition",
                        &s.definition,
                        &t.definition,
                    );
                    d.fix(
                        Phase::Triggers,
                        format!("{what} definition"),
                        format!(
                            "DROP TRIGGER {} ON {};\n{}",
                            ident(&s.name),
                            q(&s.table),
                            s.definition
                        ),
                    );
                }
                if t.enabled != s.enabled || (t.definition != s.definition && s.enabled != 'O') {
                    d.diff(
                        "trigger",
                        &s.table.schema,
                        &object,
                        "enabled",
                        enabled_word(s.enabled),
                        enabled_word(t.enabled),
                    );
                    d.fix(Phase::TriggerStates, format!("{what} state"), enable_sql(s));
                }
            }
        }
    }
    for t in tgt
        .triggers
        .iter()
        .filter(|t| in_scope(&t.table.schema, schemas))
    {
        if find(src, t).is_none() {
            d.extra(
                "trigger",
                &t.table.schema,
                &format!("{}.{}", t.table.name, t.name),
            );
        }
    }
}
