//! Comments and privileges compared: the `COMMENT ON`, `GRANT` and `REVOKE` statements
//! `charmig schema` would write for each side ([`crate::schema::comments_and_grants`], the one
//! definition), matched by (kind, object, part). A source statement the target lacks (or has
//! with another text) is a difference, closed in `fix.sql` by that very statement; a target
//! comment or grant the source does not have is reported and left alone (revoking is the DBA's
//! decision). Only objects present on the target are compared (a missing object is reported as
//! such). Owners the same way ([`owners`], the `ALTER … OWNER TO` statements of `charmig
//! schema`), unless `--no-owner`.

use super::schema_diff::{Phase, SchemaDiff};
use crate::schema::model::{ObjectName, SchemaModel};
use crate::schema::statement::DdlStatement;
use std::collections::{BTreeMap, BTreeSet};

type Key = (String, String, String, String);

fn key(s: &DdlStatement) -> Key {
    (
        s.kind.clone(),
        s.object.schema.clone(),
        s.object.name.clone(),
        s.part.clone(),
    )
}

/// Every object name of the model a comment or grant can be on.
fn objects(m: &SchemaModel) -> BTreeSet<ObjectName> {
    let mut o: BTreeSet<ObjectName> = BTreeSet::new();
    o.extend(m.schemas.iter().map(|s| ObjectName::new(&s.name, "")));
    o.extend(m.types.iter().map(|t| t.name.clone()));
    o.extend(m.sequences.iter().map(|s| s.name.clone()));
    o.extend(m.tables.iter().map(|t| t.name.clone()));
    o.extend(m.indexes.iter().map(|i| i.name.clone()));
    o.extend(m.views.iter().map(|v| v.name.clone()));
    o.extend(m.routines.iter().map(|r| r.name.clone()));
    o
}

fn what(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "comment" => ("comment", "comment"),
        "revoke" => ("grant", "revoked"),
        _ => ("grant", "grant"),
    }
}

fn label(s: &DdlStatement) -> String {
    if s.object.name.is_empty() {
        // A schema: (schema, "").
        format!("{} {}", s.object.schema, s.part)
            .trim_end()
            .to_string()
    } else if s.part.is_empty() {
        s.object.name.clone()
    } else if s.object.name.is_empty() {
        s.part.clone()
    } else {
        format!("{} {}", s.object.name, s.part)
    }
}

pub(super) fn comments_and_grants(
    src: &SchemaModel,
    tgt: &SchemaModel,
    schemas: &[String],
    d: &mut SchemaDiff,
) {
    let in_scope = |s: &DdlStatement| schemas.is_empty() || schemas.contains(&s.object.schema);
    let on_target = objects(tgt);
    let source: BTreeMap<Key, DdlStatement> = crate::schema::comments_and_grants(src)
        .into_iter()
        .filter(|s| in_scope(s) && on_target.contains(&s.object))
        .map(|s| (key(&s), s))
        .collect();
    let target: BTreeMap<Key, DdlStatement> = crate::schema::comments_and_grants(tgt)
        .into_iter()
        .filter(|s| in_scope(s))
        .map(|s| (key(&s), s))
        .collect();
    let on_source = objects(src);
    for (k, s) in &source {
        let (object_type, word) = what(&s.kind);
        match target.get(k) {
            Some(t) if t.sql == s.sql => continue,
            Some(t) => d.diff(
                object_type,
                &s.object.schema,
                &label(s),
                &format!("{word} differs"),
                &s.sql,
                &t.sql,
            ),
            None => d.diff(
                object_type,
                &s.object.schema,
                &label(s),
                &format!("{word} missing on target"),
                &s.sql,
                "",
            ),
        }
        let phase = if s.kind == "comment" {
            Phase::Comments
        } else {
            Phase::Grants
        };
        d.fix(phase, format!("{word} on {}", label(s)), s.sql.clone());
    }
    for (k, t) in &target {
        if source.contains_key(k) || !on_source.contains(&t.object) {
            continue;
        }
        let (object_type, word) = what(&t.kind);
        d.diff(
            object_type,
            &t.object.schema,
            &label(t),
            &format!("{word} extra on target"),
            "",
            &t.sql,
        );
        d.left_alone.push(format!("{word} on target: {}", t.sql));
    }
}

/// Owners compared: each object's `ALTER … OWNER TO` as `charmig schema` writes it.
pub(super) fn owners(src: &SchemaModel, tgt: &SchemaModel, schemas: &[String], d: &mut SchemaDiff) {
    let in_scope = |s: &DdlStatement| schemas.is_empty() || schemas.contains(&s.object.schema);
    let target: BTreeMap<Key, DdlStatement> = crate::schema::owners(tgt)
        .into_iter()
        .map(|s| (key(&s), s))
        .collect();
    for s in crate::schema::owners(src).into_iter().filter(in_scope) {
        // Only objects the target has (a missing one is reported as missing).
        let Some(t) = target.get(&key(&s)) else {
            continue;
        };
        if t.sql == s.sql {
            continue;
        }
        // The role as named in the catalog (the statement quotes it).
        let owner = |sql: &str| {
            let r = sql.rsplit(" OWNER TO ").next().unwrap_or("");
            r.strip_prefix('"')
                .and_then(|r| r.strip_suffix('"'))
                .map(|r| r.replace("\"\"", "\""))
                .unwrap_or_else(|| r.to_string())
        };
        let object = match (s.object.name.is_empty(), s.part.is_empty()) {
            (true, _) => s.object.schema.clone(),
            (false, true) => s.object.name.clone(),
            (false, false) => format!("{}({})", s.object.name, s.part),
        };
        d.diff(
            "owner",
            &s.object.schema,
            &object,
            "owner",
            &owner(&s.sql),
            &owner(&t.sql),
        );
        d.fix(
            Phase::Owners,
            format!("owner of {}", label(&s)),
            s.sql.clone(),
        );
    }
}
