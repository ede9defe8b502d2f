//! Reads a PostgreSQL database's schema definitions from pg_catalog into a [`SchemaModel`]:
//! every user schema (not pg_catalog, information_schema, pg_toast, temporary schemas, nor
//! charmig's own, [`crate::own`]), and none of the objects an extension owns (the extension is
//! listed instead). Used by `charmig schema` (source side) and `charmig verify` (both sides).
//!
//! Everything is read with `search_path = ''`, so the server's deparsed text (defaults,
//! index, view, function and trigger definitions, types) qualifies every name. Grants are
//! `aclexplode(COALESCE(acl, acldefault(…)))` without the owner's own entries, so an object
//! with default privileges and one granted the same explicitly read the same. Names and
//! grant lists come back as JSON where a list of pairs is needed, never as a joined string.
//!
//! Requires PostgreSQL 12 or later (generated columns); SQL-standard function bodies (14+)
//! and partition-cloned triggers (13+) are read where the server has them.

use super::model::*;
use crate::own;
use postgres::Client;
use std::collections::HashMap;

/// The schemas never read (and never pulled in by the closure).
pub const SYSTEM_SCHEMAS: [&str; 3] = ["pg_catalog", "information_schema", "pg_toast"];

/// SQL condition: namespace `n` is a user schema.
fn user_ns(n: &str) -> String {
    format!(
        "{n}.nspname NOT IN ('pg_catalog', 'information_schema', '{}') \
         AND {n}.nspname NOT LIKE 'pg\\_toast%' AND {n}.nspname NOT LIKE 'pg\\_temp\\_%'",
        own::PG_SCHEMA
    )
}

/// SQL condition: the object `oid` of catalog `class` does not belong to an extension.
fn not_extension(class: &str, oid: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = '{class}'::pg_catalog.regclass \
         AND e.objid = {oid} AND e.deptype = 'e')"
    )
}

/// SQL: the grants on an object as JSON `[[grantee, privilege, grantable], …]`, the owner's
/// own privileges left out.
fn grants_json(acl: &str, kind: char, owner: &str) -> String {
    format!(
        "(SELECT pg_catalog.json_agg(pg_catalog.json_build_array(
                CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END,
                a.privilege_type, a.is_grantable) ORDER BY 1, a.privilege_type)::text
            FROM pg_catalog.aclexplode(COALESCE({acl}, pg_catalog.acldefault('{kind}', {owner}))) a
           WHERE a.grantee <> {owner})"
    )
}

fn parse_grants(json: Option<String>) -> Vec<Grant> {
    let rows: Vec<(String, String, bool)> = json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    let mut g: Vec<Grant> = rows
        .into_iter()
        .map(|(grantee, privilege, grantable)| Grant {
            grantee,
            privilege,
            grantable,
        })
        .collect();
    g.sort();
    g
}

/// Reads the whole user schema of the database `client` is connected to.
pub fn read(client: &mut Client) -> Result<SchemaModel, postgres::Error> {
    client.batch_execute("SET search_path = ''")?;
    let result = read_all(client);
    let reset = client.batch_execute("RESET search_path");
    let model = result?;
    reset?;
    Ok(model)
}

fn read_all(client: &mut Client) -> Result<SchemaModel, postgres::Error> {
    let mut m = SchemaModel::default();
    let row = client.query_one(
        "SELECT pg_catalog.current_setting('server_encoding'),
                pg_catalog.current_setting('server_version_num')::int4",
        &[],
    )?;
    m.encoding = row.get(0);
    m.version_num = row.get(1);
    read_schemas(client, &mut m)?;
    read_types(client, &mut m)?;
    read_tables(client, &mut m)?;
    read_sequences(client, &mut m)?;
    read_constraints_indexes(client, &mut m)?;
    read_views(client, &mut m)?;
    read_routines(client, &mut m)?;
    read_triggers(client, &mut m)?;
    m.dependencies = super::pg_depend::read(client, &m)?;
    Ok(m)
}

fn read_schemas(client: &mut Client, m: &mut SchemaModel) -> Result<(), postgres::Error> {
    let sql = format!(
        "SELECT n.nspname::text, pg_catalog.pg_get_userbyid(n.nspowner)::text,
                pg_catalog.obj_description(n.oid, 'pg_namespace'), {}
           FROM pg_catalog.pg_namespace n
          WHERE {} AND {}
          ORDER BY 1",
        grants_json("n.nspacl", 'n', "n.nspowner"),
        user_ns("n"),
        not_extension("pg_namespace", "n.oid")
    );
    for r in client.query(&sql, &[])? {
        m.schemas.push(SchemaDef {
            name: r.get(0),
            owner: r.get(1),
            comment: r.get(2),
            grants: parse_grants(r.get(3)),
        });
    }
    for r in client.query(
        "SELECT x.extname::text, n.nspname::text, x.extversion
           FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace
          WHERE x.extname <> 'plpgsql' ORDER BY 1",
        &[],
    )? {
        m.extensions.push(ExtensionDef {
            name: r.get(0),
            schema: r.get(1),
            version: r.get(2),
        });
    }
    Ok(())
}

fn read_types(client: &mut Client, m: &mut SchemaModel) -> Result<(), postgres::Error> {
    let sql = format!(
        "SELECT n.nspname::text, t.typname::text, t.typtype::text,
                ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
                ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                       WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
                ARRAY(SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
                       WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
                CASE t.typtype WHEN 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod)
                               WHEN 'r' THEN (SELECT pg_catalog.format_type(r.rngsubtype, NULL)
                                                FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid) END,
                t.typdefault, t.typnotnull,
                ARRAY(SELECT k.conname::text FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY 1),
                ARRAY(SELECT pg_catalog.pg_get_constraintdef(k.oid) FROM pg_catalog.pg_constraint k
                       WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname),
                pg_catalog.obj_description(t.oid, 'pg_type')
           FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
          WHERE t.typtype IN ('e', 'd', 'c', 'r') AND {} AND {}
            AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c')
          ORDER BY 1, 2",
        user_ns("n"),
        not_extension("pg_type", "t.oid")
    );
    let q = crate::dialect::postgres::ident;
    for r in client.query(&sql, &[])? {
        let typtype: String = r.get(2);
        let (kind, parts, clauses) = match typtype.as_str() {
            "e" => (TypeKind::Enum, r.get::<_, Vec<String>>(3), Vec::new()),
            "c" => {
                let names: Vec<String> = r.get(4);
                let types: Vec<String> = r.get(5);
                let parts = names
                    .iter()
                    .zip(&types)
                    .map(|(n, t)| format!("{} {t}", q(n)))
                    .collect();
                (TypeKind::Composite, parts, Vec::new())
            }
            "d" => {
                let mut clauses = Vec::new();
                if let Some(d) = r.get::<_, Option<String>>(7) {
                    clauses.push(format!("DEFAULT {d}"));
                }
                if r.get::<_, bool>(8) {
                    clauses.push("NOT NULL".to_string());
                }
                let names: Vec<String> = r.get(9);
                let defs: Vec<String> = r.get(10);
                for (n, d) in names.iter().zip(&defs) {
                    clauses.push(format!("CONSTRAINT {} {d}", q(n)));
                }
                (
                    TypeKind::Domain,
                    vec![r.get::<_, Option<String>>(6).unwrap_or_default()],
                    clauses,
                )
            }
            _ => (
                TypeKind::Range,
                vec![r.get::<_, Option<String>>(6).unwrap_or_default()],
                Vec::new(),
            ),
        };
        m.types.push(TypeDef {
            name: ObjectName::new(r.get::<_, String>(0), r.get::<_, String>(1)),
            kind,
            parts,
            clauses,
            comment: r.get(11),
        });
    }
    Ok(())
}

fn read_tables(client: &mut Client, m: &mut SchemaModel) -> Result<(), postgres::Error> {
    let sql = format!(
        "SELECT c.oid, n.nspname::text, c.relname::text, c.relkind::text,
                pg_catalog.pg_get_userbyid(c.relowner)::text, c.relpersistence = 'u',
                CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
                pn.nspname::text, p.relname::text,
                CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,
                pg_catalog.obj_description(c.oid, 'pg_class'), {},
                (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(hn.nspname, h.relname) ORDER BY hi.inhseqno)::text
                   FROM pg_catalog.pg_inherits hi JOIN pg_catalog.pg_class h ON h.oid = hi.inhparent
                   JOIN pg_catalog.pg_namespace hn ON hn.oid = h.relnamespace
                  WHERE hi.inhrelid = c.oid AND NOT c.relispartition),
                ARRAY(SELECT x FROM (
                   SELECT pg_catalog.format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', n.nspname, c.relname) AS x
                    WHERE c.relrowsecurity
                   UNION ALL
                   SELECT pg_catalog.format('ALTER TABLE %I.%I FORCE ROW LEVEL SECURITY', n.nspname, c.relname)
                    WHERE c.relforcerowsecurity
                   UNION ALL
                   SELECT pg_catalog.format('CREATE POLICY %I ON %I.%I AS %s FOR %s TO %s', p.policyname, n.nspname,
                            c.relname, p.permissive, p.cmd,
                            (SELECT pg_catalog.string_agg(CASE WHEN r = 'public' THEN 'PUBLIC' ELSE pg_catalog.quote_ident(r) END, ', ' ORDER BY r)
                               FROM pg_catalog.unnest(p.roles) r))
                          || COALESCE(' USING (' || p.qual || ')', '')
                          || COALESCE(' WITH CHECK (' || p.with_check || ')', '')
                     FROM pg_catalog.pg_policies p WHERE p.schemaname = n.nspname AND p.tablename = c.relname
                 ) rls ORDER BY 1)
           FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
           LEFT JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
           LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
          WHERE c.relkind IN ('r', 'p') AND {} AND {}
          ORDER BY 2, 3",
        grants_json("c.relacl", 'r', "c.relowner"),
        user_ns("n"),
        not_extension("pg_class", "c.oid")
    );
    let mut by_oid = HashMap::new();
    for r in client.query(&sql, &[])? {
        let oid: u32 = r.get(0);
        let parent: Option<String> = r.get(8);
        by_oid.insert(oid, m.tables.len());
        m.tables.push(TableDef {
            name: ObjectName::new(r.get::<_, String>(1), r.get::<_, String>(2)),
            kind: if r.get::<_, String>(3) == "p" {
                TableKind::Partitioned
            } else {
                TableKind::Ordinary
            },
            owner: r.get(4),
            unlogged: r.get(5),
            columns: Vec::new(),
            partition_key: r.get(6),
            partition_of: parent.map(|p| {
                (
                    ObjectName::new(r.get::<_, String>(7), p),
                    r.get::<_, Option<String>>(9).unwrap_or_default(),
                )
            }),
            comment: r.get(10),
            grants: parse_grants(r.get(11)),
            inherits: r
                .get::<_, Option<String>>(12)
                .and_then(|j| serde_json::from_str::<Vec<(String, String)>>(&j).ok())
                .unwrap_or_default()
                .into_iter()
                .map(|(s, n)| ObjectName::new(s, n))
                .collect(),
            row_security: r.get(13),
        });
    }
    let sql = format!(
        "SELECT a.attrelid, a.attname::text, a.attnum::int4,
                pg_catalog.format_type(a.atttypid, a.atttypmod), tn.nspname::text, et.typname::text,
                a.atttypmod, cn.nspname::text, co.collname::text, a.attnotnull,
                pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,
                sn.nspname::text, sc.relname::text,
                pg_catalog.col_description(a.attrelid, a.attnum)
           FROM pg_catalog.pg_attribute a
           JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
           JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
           JOIN pg_catalog.pg_namespace tn ON tn.oid = et.typnamespace
           LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
           LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
           LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           LEFT JOIN pg_catalog.pg_depend sd ON sd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                 AND sd.refobjid = a.attrelid AND sd.refobjsubid = a.attnum AND sd.deptype = 'i'
                 AND sd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND a.attidentity <> ''
           LEFT JOIN pg_catalog.pg_class sc ON sc.oid = sd.objid
           LEFT JOIN pg_catalog.pg_namespace sn ON sn.oid = sc.relnamespace
          WHERE c.relkind IN ('r', 'p') AND {} AND a.attnum > 0 AND NOT a.attisdropped
          ORDER BY a.attrelid, a.attnum",
        user_ns("n")
    );
    for r in client.query(&sql, &[])? {
        let Some(&ti) = by_oid.get(&r.get::<_, u32>(0)) else {
            continue;
        };
        let expr: Option<String> = r.get(10);
        let identity: String = r.get(11);
        let generated: String = r.get(12);
        let seq: Option<String> = r.get(14);
        let (default, generation) = if generated == "s" {
            (
                None,
                Some(Generated::Stored {
                    expression: expr.unwrap_or_default(),
                }),
            )
        } else if !identity.is_empty() {
            let sequence = ObjectName::new(
                r.get::<_, Option<String>>(13).unwrap_or_default(),
                seq.unwrap_or_default(),
            );
            (
                None,
                Some(Generated::Identity {
                    always: identity == "a",
                    sequence,
                }),
            )
        } else {
            (expr, None)
        };
        let collation = r
            .get::<_, Option<String>>(8)
            .map(|c| ObjectName::new(r.get::<_, Option<String>>(7).unwrap_or_default(), c));
        m.tables[ti].columns.push(ColumnDef {
            name: r.get(1),
            position: r.get(2),
            type_sql: r.get(3),
            type_name: ObjectName::new(r.get::<_, String>(4), r.get::<_, String>(5)),
            typmod: r.get(6),
            collation,
            not_null: r.get(9),
            default,
            generated: generation,
            comment: r.get(15),
        });
    }
    Ok(())
}

fn read_sequences(client: &mut Client, m: &mut SchemaModel) -> Result<(), postgres::Error> {
    let sql = format!(
        "SELECT n.nspname::text, c.relname::text, pg_catalog.pg_get_userbyid(c.relowner)::text,
                pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
                s.seqcache, s.seqcycle, tn.nspname::text, tc.relname::text, ta.attname::text, d.deptype = 'i',
                pg_catalog.obj_description(c.oid, 'pg_class'), {}
           FROM pg_catalog.pg_sequence s
           JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
                 AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i')
           LEFT JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
           LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
           LEFT JOIN pg_catalog.pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid
          WHERE {} AND {}
          ORDER BY 1, 2",
        grants_json("c.relacl", 's', "c.relowner"),
        user_ns("n"),
        not_extension("pg_class", "c.oid")
    );
    for r in client.query(&sql, &[])? {
        let name = ObjectName::new(r.get::<_, String>(0), r.get::<_, String>(1));
        let owned_by = match (
            r.get::<_, Option<String>>(11),
            r.get::<_, Option<String>>(12),
        ) {
            (Some(t), Some(col)) => Some((
                ObjectName::new(r.get::<_, Option<String>>(10).unwrap_or_default(), t),
                col,
            )),
            _ => None,
        };
        // The current value is only in the sequence itself.
        let cur = client.query_one(
            &format!(
                "SELECT last_value, is_called FROM {}",
                crate::dialect::postgres::qualified(&name.schema, &name.name)
            ),
            &[],
        )?;
        m.sequences.push(SequenceDef {
            name,
            owner: r.get(2),
            data_type: r.get(3),
            start: r.get(4),
            increment: r.get(5),
            min_value: r.get(6),
            max_value: r.get(7),
            cache: r.get(8),
            cycle: r.get(9),
            last_value: cur.get(0),
            is_called: cur.get(1),
            owned_by,
            identity: r.get::<_, Option<bool>>(13).unwrap_or(false),
            comment: r.get(14),
            grants: parse_grants(r.get(15)),
        });
    }
    Ok(())
}

fn read_constraints_indexes(
    client: &mut Client,
    m: &mut SchemaModel,
) -> Result<(), postgres::Error> {
    let parent = if m.version_num >= 110_000 {
        "k.conparentid = 0"
    } else {
        "true"
    };
    let sql = format!(
        "SELECT n.nspname::text, c.relname::text, k.conname::text, k.contype::text,
                pg_catalog.pg_get_constraintdef(k.oid), k.convalidated, rn.nspname::text, rc.relname::text,
                pg_catalog.obj_description(k.oid, 'pg_constraint')
           FROM pg_catalog.pg_constraint k
           JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_catalog.pg_class rc ON rc.oid = k.confrelid
           LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
          WHERE k.contype IN ('p', 'u', 'f', 'c', 'x') AND k.conislocal AND {parent}
            AND c.relkind IN ('r', 'p') AND {} AND {}
          ORDER BY 1, 2, 3",
        user_ns("n"),
        not_extension("pg_class", "c.oid")
    );
    for r in client.query(&sql, &[])? {
        let kind = match r.get::<_, String>(3).as_str() {
            "p" => ConstraintKind::Primary,
            "u" => ConstraintKind::Unique,
            "f" => ConstraintKind::Foreign,
            "c" => ConstraintKind::Check,
            _ => ConstraintKind::Other,
        };
        let def: String = r.get(4);
        let def = def.trim();
        let definition = def.strip_suffix("NOT VALID").unwrap_or(def).trim_end();
        m.constraints.push(ConstraintDef {
            table: ObjectName::new(r.get::<_, String>(0), r.get::<_, String>(1)),
            name: r.get(2),
            kind,
            definition: definition.to_string(),
            validated: r.get(5),
            references: r
                .get::<_, Option<String>>(7)
                .map(|t| ObjectName::new(r.get::<_, Option<String>>(6).unwrap_or_default(), t)),
            comment: r.get(8),
        });
    }
    let sql = format!(
        "SELECT n.nspname::text, ic.relname::text, c.relname::text, pg_catalog.pg_get_indexdef(i.indexrelid),
                i.indisunique, am.amname::text,
                ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true)
                        FROM pg_catalog.generate_series(1, i.indnatts::int4) k ORDER BY k),
                pg_catalog.pg_get_expr(i.indpred, i.indrelid, true),
                pg_catalog.obj_description(ic.oid, 'pg_class')
           FROM pg_catalog.pg_index i
           JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
           JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_catalog.pg_am am ON am.oid = ic.relam
          WHERE c.relkind IN ('r', 'p', 'm') AND NOT ic.relispartition AND {} AND {}
            AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid
                             AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
          ORDER BY 1, 3, 2",
        user_ns("n"),
        not_extension("pg_class", "c.oid")
    );
    for r in client.query(&sql, &[])? {
        let schema: String = r.get(0);
        m.indexes.push(IndexDef {
            name: ObjectName::new(schema.clone(), r.get::<_, String>(1)),
            table: ObjectName::new(schema, r.get::<_, String>(2)),
            definition: r.get(3),
            unique: r.get(4),
            method: r.get(5),
            keys: r.get(6),
            predicate: r.get(7),
            comment: r.get(8),
        });
    }
    Ok(())
}

fn read_views(client: &mut Client, m: &mut SchemaModel) -> Result<(), postgres::Error> {
    let sql = format!(
        "SELECT n.nspname::text, c.relname::text, pg_catalog.pg_get_userbyid(c.relowner)::text,
                c.relkind = 'm', pg_catalog.pg_get_viewdef(c.oid),
                COALESCE(c.reloptions::text[], '{{}}'),
                pg_catalog.obj_description(c.oid, 'pg_class'),
                (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(a.attname, d.description) ORDER BY a.attnum)::text
                   FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_description d
                     ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = a.attnum
                  WHERE a.attrelid = c.oid AND a.attnum > 0),
                {}, c.relispopulated,
                ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)
           FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('v', 'm') AND {} AND {}
          ORDER BY 1, 2",
        grants_json("c.relacl", 'r', "c.relowner"),
        user_ns("n"),
        not_extension("pg_class", "c.oid")
    );
    for r in client.query(&sql, &[])? {
        let def: String = r.get(4);
        let column_comments: Vec<(String, String)> = r
            .get::<_, Option<String>>(7)
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default();
        m.views.push(ViewDef {
            name: ObjectName::new(r.get::<_, String>(0), r.get::<_, String>(1)),
            owner: r.get(2),
            materialized: r.get(3),
            definition: def.trim().trim_end_matches(';').trim_end().to_string(),
            options: r.get(5),
            comment: r.get(6),
            column_comments,
            grants: parse_grants(r.get(8)),
            populated: r.get(9),
            columns: r.get(10),
        });
    }
    Ok(())
}

fn read_routines(client: &mut Client, m: &mut SchemaModel) -> Result<(), postgres::Error> {
    let sql_body = if m.version_num >= 140_000 {
        "p.prosqlbody IS NOT NULL"
    } else {
        "false"
    };
    let sql = format!(
        "SELECT n.nspname::text, p.proname::text, pg_catalog.pg_get_function_identity_arguments(p.oid),
                p.prokind::text, pg_catalog.pg_get_userbyid(p.proowner)::text,
                pg_catalog.pg_get_functiondef(p.oid), {sql_body},
                pg_catalog.obj_description(p.oid, 'pg_proc'), {}
           FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
          WHERE p.prokind IN ('f', 'p') AND {} AND {}
          ORDER BY 1, 2, 3",
        grants_json("p.proacl", 'f', "p.proowner"),
        user_ns("n"),
        not_extension("pg_proc", "p.oid")
    );
    for r in client.query(&sql, &[])? {
        m.routines.push(RoutineDef {
            name: ObjectName::new(r.get::<_, String>(0), r.get::<_, String>(1)),
            identity_args: r.get(2),
            kind: if r.get::<_, String>(3) == "p" {
                RoutineKind::Procedure
            } else {
                RoutineKind::Function
            },
            owner: r.get(4),
            definition: r.get::<_, String>(5).trim_end().to_string(),
            sql_body: r.get(6),
            comment: r.get(7),
            grants: parse_grants(r.get(8)),
        });
    }
    Ok(())
}

fn read_triggers(client: &mut Client, m: &mut SchemaModel) -> Result<(), postgres::Error> {
    let parent = if m.version_num >= 130_000 {
        "t.tgparentid = 0"
    } else {
        "true"
    };
    let sql = format!(
        "SELECT n.nspname::text, c.relname::text, t.tgname::text, pg_catalog.pg_get_triggerdef(t.oid),
                t.tgenabled::text, pn.nspname::text, p.proname::text,
                pg_catalog.obj_description(t.oid, 'pg_trigger')
           FROM pg_catalog.pg_trigger t
           JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
           JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
          WHERE NOT t.tgisinternal AND {parent} AND {} AND {}
          ORDER BY 1, 2, 3",
        user_ns("n"),
        not_extension("pg_class", "c.oid")
    );
    for r in client.query(&sql, &[])? {
        m.triggers.push(TriggerDef {
            table: ObjectName::new(r.get::<_, String>(0), r.get::<_, String>(1)),
            name: r.get(2),
            definition: r.get(3),
            enabled: r.get::<_, String>(4).chars().next().unwrap_or('O'),
            function: ObjectName::new(r.get::<_, String>(5), r.get::<_, String>(6)),
            comment: r.get(7),
        });
    }
    Ok(())
}

/// Objects of `schemas` that `charmig schema` does not re-create, as (what, object): a DBA
/// must see them listed rather than find them missing. Table inheritance (other than
/// partitioning), row-level security and policies, rules other than views', aggregates and
/// window functions, foreign tables, column privileges, extended statistics, storage
/// parameters of tables.
pub fn unsupported(
    client: &mut Client,
    schemas: &[String],
) -> Result<Vec<(String, ObjectName)>, postgres::Error> {
    let sql = format!(
        "SELECT what, s, n FROM (
           SELECT 'table inheritance' AS what, n.nspname::text AS s, c.relname::text AS n
             FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE NOT c.relispartition
           UNION ALL
           SELECT 'row-level security', n.nspname, c.relname FROM pg_catalog.pg_class c
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relrowsecurity OR EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid)
           UNION ALL
           SELECT 'rule ' || r.rulename, n.nspname, c.relname FROM pg_catalog.pg_rewrite r
             JOIN pg_catalog.pg_class c ON c.oid = r.ev_class JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE r.rulename <> '_RETURN'
           UNION ALL
           SELECT 'aggregate or window function', n.nspname, p.proname FROM pg_catalog.pg_proc p
             JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prokind IN ('a', 'w') AND {}
           UNION ALL
           SELECT 'foreign table', n.nspname, c.relname FROM pg_catalog.pg_class c
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'f'
           UNION ALL
           SELECT DISTINCT 'column privileges', n.nspname, c.relname FROM pg_catalog.pg_attribute a
             JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
           UNION ALL
           SELECT 'extended statistics ' || x.stxname, n.nspname, c.relname FROM pg_catalog.pg_statistic_ext x
             JOIN pg_catalog.pg_class c ON c.oid = x.stxrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           UNION ALL
           SELECT 'storage parameters ' || pg_catalog.array_to_string(c.reloptions, ','), n.nspname, c.relname
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND c.reloptions IS NOT NULL
         ) u WHERE s = ANY($1) ORDER BY 2, 3, 1",
        not_extension("pg_proc", "p.oid")
    );
    Ok(client
        .query(&sql, &[&schemas])?
        .iter()
        .map(|r| {
            (
                r.get(0),
                ObjectName::new(r.get::<_, String>(1), r.get::<_, String>(2)),
            )
        })
        .collect())
}
