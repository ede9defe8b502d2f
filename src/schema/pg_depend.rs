//! The dependencies between user objects, from pg_depend: which relation, type, function or
//! extension each table, view, sequence, type and function needs (column types, defaults'
//! sequences and functions, foreign keys' parents, views' tables, triggers' functions,
//! functions' argument types). Parts of a table (its defaults, constraints, triggers, rules)
//! are reported as the table's own needs, and so are its indexes' (an index or exclusion
//! constraint using an extension's operator class, such as btree_gist's, needs the extension);
//! array types as their element type; a table's row type as the table; anything an extension
//! owns (type, function, operator, operator class or family, collation) as the extension.

use super::model::*;
use postgres::Client;
use std::collections::BTreeSet;

/// Resolves catalog `class`/object `oid` to (kind letter, schema, name): `r` relation, `t`
/// type, `f` routine, `x` extension; for a part of a table (attrdef, constraint, trigger,
/// rule, index) its table. An operator, operator class or family, or collation resolves only
/// when an extension owns it (else it has no name here and the row is left out).
fn resolve(class: &str, oid: &str, alias: &str) -> String {
    format!(
        "LEFT JOIN LATERAL (
            SELECT CASE WHEN ext.extname IS NOT NULL THEN 'x'
                        WHEN {class} = 'pg_catalog.pg_proc'::pg_catalog.regclass THEN 'f'
                        WHEN {class} = 'pg_catalog.pg_type'::pg_catalog.regclass AND rt.oid IS NULL THEN 't'
                        ELSE 'r' END AS kind,
                   COALESCE(extn.nspname, pn.nspname, tn.nspname, rn.nspname)::text AS schema,
                   COALESCE(ext.extname, p.proname, et.typname, r.relname)::text AS name,
                   r.relkind::text AS relkind
              FROM (SELECT CASE {class}
                        WHEN 'pg_catalog.pg_class'::pg_catalog.regclass
                        THEN COALESCE((SELECT ix.indrelid FROM pg_catalog.pg_index ix WHERE ix.indexrelid = {oid}), {oid})
                        WHEN 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN (SELECT w.ev_class FROM pg_catalog.pg_rewrite w WHERE w.oid = {oid})
                        WHEN 'pg_catalog.pg_attrdef'::pg_catalog.regclass THEN (SELECT ad.adrelid FROM pg_catalog.pg_attrdef ad WHERE ad.oid = {oid})
                        WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN (SELECT NULLIF(k.conrelid, 0) FROM pg_catalog.pg_constraint k WHERE k.oid = {oid})
                        WHEN 'pg_catalog.pg_trigger'::pg_catalog.regclass THEN (SELECT tg.tgrelid FROM pg_catalog.pg_trigger tg WHERE tg.oid = {oid})
                        END AS rel,
                       CASE WHEN {class} = 'pg_catalog.pg_proc'::pg_catalog.regclass THEN {oid} END AS proc,
                       CASE WHEN {class} = 'pg_catalog.pg_type'::pg_catalog.regclass THEN {oid}
                            WHEN {class} = 'pg_catalog.pg_constraint'::pg_catalog.regclass
                            THEN (SELECT NULLIF(k.contypid, 0) FROM pg_catalog.pg_constraint k WHERE k.oid = {oid}) END AS typ) o
              LEFT JOIN pg_catalog.pg_type t0 ON t0.oid = o.typ
              LEFT JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN t0.typcategory = 'A' AND t0.typelem <> 0 THEN t0.typelem ELSE t0.oid END
              LEFT JOIN pg_catalog.pg_class rt ON rt.oid = et.typrelid AND rt.relkind <> 'c'
              LEFT JOIN pg_catalog.pg_class r ON r.oid = COALESCE(o.rel, rt.oid)
              LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
              LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = et.typnamespace AND rt.oid IS NULL
              LEFT JOIN pg_catalog.pg_proc p ON p.oid = o.proc
              LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
              LEFT JOIN pg_catalog.pg_depend xd ON xd.classid = {class} AND xd.objid = {oid} AND xd.deptype = 'e'
              LEFT JOIN pg_catalog.pg_extension ext ON ext.oid = xd.refobjid
              LEFT JOIN pg_catalog.pg_namespace extn ON extn.oid = ext.extnamespace
        ) {alias} ON true"
    )
}

fn kind(letter: &str) -> Option<ObjectKind> {
    match letter {
        "r" => Some(ObjectKind::Relation),
        "t" => Some(ObjectKind::Type),
        "f" => Some(ObjectKind::Routine),
        "x" => Some(ObjectKind::Extension),
        _ => None,
    }
}

/// Reads the dependencies of the objects in `m` (only those whose dependent side is in the
/// model; the referenced side may be anywhere but pg_catalog).
pub(crate) fn read(
    client: &mut Client,
    m: &SchemaModel,
) -> Result<Vec<Dependency>, postgres::Error> {
    let sql = format!(
        "SELECT DISTINCT f.kind, f.schema, f.name, t.kind, t.schema, t.name
           FROM pg_catalog.pg_depend d
           {}
           {}
          WHERE d.deptype = 'n' AND d.objid >= 16384
            AND d.classid IN ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_rewrite'::pg_catalog.regclass,
                              'pg_catalog.pg_attrdef'::pg_catalog.regclass, 'pg_catalog.pg_constraint'::pg_catalog.regclass,
                              'pg_catalog.pg_trigger'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass,
                              'pg_catalog.pg_type'::pg_catalog.regclass)
            AND d.refclassid IN ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass,
                                 'pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_opclass'::pg_catalog.regclass,
                                 'pg_catalog.pg_operator'::pg_catalog.regclass, 'pg_catalog.pg_opfamily'::pg_catalog.regclass,
                                 'pg_catalog.pg_collation'::pg_catalog.regclass)
            AND f.name IS NOT NULL AND t.name IS NOT NULL
            AND t.schema NOT IN ('pg_catalog', 'pg_toast')
            AND (t.kind <> 'r' OR t.relkind NOT IN ('i', 'I'))
          ORDER BY 2, 3, 5, 6",
        resolve("d.classid", "d.objid", "f"),
        resolve("d.refclassid", "d.refobjid", "t")
    );
    let known: BTreeSet<(ObjectKind, &ObjectName)> = known_objects(m);
    let mut out = BTreeSet::new();
    for r in client.query(&sql, &[])? {
        let (Some(fk), Some(tk)) = (kind(r.get(0)), kind(r.get(3))) else {
            continue;
        };
        let from = ObjectName::new(r.get::<_, String>(1), r.get::<_, String>(2));
        let to = ObjectName::new(r.get::<_, String>(4), r.get::<_, String>(5));
        if (fk, &from) == (tk, &to) || !known.contains(&(fk, &from)) {
            continue;
        }
        out.insert(Dependency {
            from_kind: fk,
            from,
            to_kind: tk,
            to,
        });
    }
    Ok(out.into_iter().collect())
}

/// Every object of the model as (kind, name).
pub(crate) fn known_objects(m: &SchemaModel) -> BTreeSet<(ObjectKind, &ObjectName)> {
    let rel = |n| (ObjectKind::Relation, n);
    m.tables
        .iter()
        .map(|t| rel(&t.name))
        .chain(m.views.iter().map(|v| rel(&v.name)))
        .chain(m.sequences.iter().map(|s| rel(&s.name)))
        .chain(m.types.iter().map(|t| (ObjectKind::Type, &t.name)))
        .chain(m.routines.iter().map(|r| (ObjectKind::Routine, &r.name)))
        .collect()
}
