//! The dictionary from pg_catalog: user tables and their columns, constraints, indexes,
//! triggers and sequences, mapped onto [`crate::catalog`].
//!
//! Tables are the ordinary tables (relkind `r`), which includes the leaf partitions of a
//! partitioned table; partitioned parents (relkind `p`) hold no rows and are not listed, so
//! every row is scanned once, under the partition that stores it. Reads use `FROM ONLY`, so an
//! inheritance parent's rows are not counted again under its children. Views, materialized
//! views (derived data, rebuilt on the target) and foreign tables are not scanned.
//!
//! Character columns map onto the Oracle-shaped model with CHAR semantics: `varchar(n)` and
//! `char(n)` count characters (char_length = n, data_length empty); `text`, `name`, `citext`
//! have no length. Domains are described by their base type.

use super::quote_ident;
use crate::catalog::{
    Catalog, Column, ColumnKind, Constraint, ConstraintKind, Index, MaxStringSize, Semantics,
    Sequence, SourceInfo, Table, Trigger,
};
use crate::charset::Dialect;
use postgres::Client;
use std::collections::HashMap;

/// What reading a table needs beyond the catalog model.
#[derive(Debug, Clone)]
pub(crate) struct TableMeta {
    /// The row identifier's SQL: the single-column primary key, else `ctid`.
    pub rowid_sql: String,
    /// Main-fork size in bytes (pg_relation_size).
    pub size: u64,
}

/// Schemas that are never user data.
const SYSTEM_SCHEMAS: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

/// The type name without its modifier: `character varying(20)` -> `character varying`,
/// `public.citext` -> `citext` (format_type qualifies types outside the search path).
pub(crate) fn base_type_name(formatted: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in formatted.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    match out.rsplit_once('.') {
        Some((_, name)) if !out.starts_with('"') => name.to_string(),
        _ => out,
    }
}

/// The statement that reads a PostgreSQL database's identity (system identifier of the cluster
/// and the database's name).
pub const IDENTITY_SQL: &str =
    "SELECT system_identifier::text, current_database()::text FROM pg_catalog.pg_control_system()";

/// This database's identity, or `None` when the role may not call pg_control_system()
/// (called outside any transaction, so a refusal aborts nothing).
pub(crate) fn identity(client: &mut Client) -> Option<crate::catalog::DbIdentity> {
    let row = client.query_one(IDENTITY_SQL, &[]).ok()?;
    Some(crate::catalog::DbIdentity {
        system_id: row.get(0),
        database: row.get(1),
    })
}

pub(crate) fn load(client: &mut Client) -> Result<(Catalog, Vec<TableMeta>), postgres::Error> {
    let encoding: String = client
        .query_one("SELECT current_setting('server_encoding')", &[])?
        .get(0);
    let version: String = client
        .query_one("SELECT current_setting('server_version')", &[])?
        .get(0);
    let rows = client.query(
        &format!(
            "SELECT c.oid, n.nspname::text, c.relname::text,
                    CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::int8 END,
                    pg_relation_size(c.oid)::int8,
                    (SELECT a.attname::text FROM pg_constraint k
                       JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
                      WHERE k.conrelid = c.oid AND k.contype = 'p' AND cardinality(k.conkey) = 1)
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind = 'r' AND {SYSTEM_SCHEMAS}
              ORDER BY 2, 3"
        ),
        &[],
    )?;
    let mut tables = Vec::new();
    let mut metas = Vec::new();
    let mut by_oid = HashMap::new();
    for r in &rows {
        let oid: u32 = r.get(0);
        let reltuples: Option<i64> = r.get(3);
        let size: i64 = r.get(4);
        let pk: Option<String> = r.get(5);
        by_oid.insert(oid, tables.len());
        tables.push(Table {
            owner: r.get(1),
            name: r.get(2),
            num_rows: reltuples.map(|v| v as u64),
            columns: Vec::new(),
        });
        metas.push(TableMeta {
            rowid_sql: pk.map_or_else(|| "ctid".to_string(), |p| quote_ident(&p)),
            size: size.max(0) as u64,
        });
    }
    let cols = client.query(
        &format!(
            "SELECT a.attrelid, a.attname::text, a.attnum::int4,
                    format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END,
                                CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END),
                    CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END,
                    a.attnotnull
               FROM pg_attribute a
               JOIN pg_type t ON t.oid = a.atttypid
               JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind = 'r' AND {SYSTEM_SCHEMAS} AND a.attnum > 0 AND NOT a.attisdropped
              ORDER BY a.attrelid, a.attnum"
        ),
        &[],
    )?;
    for r in &cols {
        let oid: u32 = r.get(0);
        let Some(&ti) = by_oid.get(&oid) else {
            continue;
        };
        let formatted: String = r.get(3);
        let typmod: i32 = r.get(4);
        let data_type = base_type_name(&formatted);
        let kind = ColumnKind::of(Dialect::Postgres, &data_type);
        let is_char = matches!(kind, ColumnKind::Varchar | ColumnKind::Char);
        let sized = is_char
            && typmod >= 4
            && (data_type == "character varying" || data_type == "character");
        let nullable: bool = !r.get::<_, bool>(5);
        tables[ti].columns.push(Column {
            name: r.get(1),
            column_id: r.get::<_, i32>(2) as u32,
            data_type,
            data_length: None,
            char_length: sized.then(|| (typmod - 4) as u32),
            semantics: is_char.then_some(Semantics::Char),
            nullable,
        });
    }
    let source = SourceInfo {
        dialect: Dialect::Postgres,
        version,
        charset: encoding,
        nchar_charset: None,
        max_string_size: MaxStringSize::Standard,
        identity: identity(client),
    };
    let mut catalog = Catalog::with_tables(source, tables);
    // Definitions are scripted with an empty search path, so every name in them is qualified.
    client.batch_execute("SET search_path = ''")?;
    let loaded = load_objects(client, &mut catalog);
    client.batch_execute("RESET search_path")?;
    loaded?;
    Ok((catalog, metas))
}

fn load_objects(client: &mut Client, catalog: &mut Catalog) -> Result<(), postgres::Error> {
    let cols_of = |rel: &str, keys: &str| {
        format!(
            "ARRAY(SELECT a.attname::text FROM unnest({keys}) WITH ORDINALITY key(num, pos)
                     JOIN pg_catalog.pg_attribute a ON a.attrelid = {rel} AND a.attnum = key.num ORDER BY key.pos)"
        )
    };
    let rows = client.query(
        &format!(
            "SELECT n.nspname::text, k.conname::text, c.relname::text, k.contype::text, k.convalidated,
                    pg_catalog.pg_get_constraintdef(k.oid), {}, rn.nspname::text, rc.relname::text,
                    (SELECT u.conname::text FROM pg_catalog.pg_constraint u
                      WHERE u.conrelid = k.confrelid AND u.conindid = k.conindid AND u.contype IN ('p', 'u')),
                    {}, k.confdeltype::text
               FROM pg_catalog.pg_constraint k
               JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               LEFT JOIN pg_catalog.pg_class rc ON rc.oid = k.confrelid
               LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
              WHERE {SYSTEM_SCHEMAS}
              ORDER BY 1, 3, 2",
            cols_of("k.conrelid", "k.conkey"),
            cols_of("k.confrelid", "k.confkey"),
        ),
        &[],
    )?;
    for r in &rows {
        let contype: String = r.get(3);
        let kind = match contype.as_str() {
            "p" => ConstraintKind::Primary,
            "u" => ConstraintKind::Unique,
            "f" => ConstraintKind::Foreign,
            "c" => ConstraintKind::Check,
            _ => ConstraintKind::Other,
        };
        let deltype: String = r.get(11);
        catalog.constraints.push(Constraint {
            owner: r.get(0),
            name: r.get(1),
            table: r.get(2),
            kind,
            columns: r.get::<_, Option<Vec<String>>>(6).unwrap_or_default(),
            ref_owner: r.get(7),
            ref_table: r.get(8),
            ref_constraint: r.get(9),
            ref_columns: r.get::<_, Option<Vec<String>>>(10).unwrap_or_default(),
            enabled: true,
            validated: r.get(4),
            definition: r.get(5),
            delete_rule: (kind == ConstraintKind::Foreign).then(|| {
                match deltype.as_str() {
                    "c" => "CASCADE",
                    "n" => "SET NULL",
                    "d" => "SET DEFAULT",
                    "r" => "RESTRICT",
                    _ => "NO ACTION",
                }
                .to_string()
            }),
        });
    }
    let rows = client.query(
        &format!(
            "SELECT n.nspname::text, ic.relname::text, c.relname::text, i.indisunique, am.amname::text,
                    (SELECT k.conname::text FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid
                        AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')),
                    i.indisvalid, ic.relkind = 'I', pg_catalog.pg_get_indexdef(i.indexrelid),
                    ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true)
                            FROM generate_series(1, i.indnatts::int) k ORDER BY k)
               FROM pg_catalog.pg_index i
               JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
               JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               JOIN pg_catalog.pg_am am ON am.oid = ic.relam
              WHERE {SYSTEM_SCHEMAS}
              ORDER BY 1, 3, 2"
        ),
        &[],
    )?;
    for r in &rows {
        let owner: String = r.get(0);
        catalog.indexes.push(Index {
            owner: owner.clone(),
            name: r.get(1),
            table_owner: owner,
            table: r.get(2),
            columns: r.get(9),
            unique: r.get(3),
            index_type: r.get(4),
            constraint: r.get(5),
            status: if r.get::<_, bool>(6) {
                "VALID"
            } else {
                "INVALID"
            }
            .into(),
            partitioned: r.get(7),
            last_analyzed: None,
            stale_stats: None,
            ddl: Some(r.get(8)),
        });
    }
    let rows = client.query(
        &format!(
            "SELECT n.nspname::text, t.tgname::text, c.relname::text, t.tgenabled::text,
                    pg_catalog.pg_get_triggerdef(t.oid)
               FROM pg_catalog.pg_trigger t
               JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              WHERE NOT t.tgisinternal AND {SYSTEM_SCHEMAS}
              ORDER BY 1, 3, 2"
        ),
        &[],
    )?;
    for r in &rows {
        let owner: String = r.get(0);
        catalog.triggers.push(Trigger {
            owner: owner.clone(),
            name: r.get(1),
            table_owner: owner,
            table: r.get(2),
            enabled: r.get::<_, String>(3) != "D",
            definition: Some(r.get(4)),
        });
    }
    let rows = client.query(
        "SELECT schemaname::text, sequencename::text, last_value, increment_by, max_value, min_value, cycle
           FROM pg_catalog.pg_sequences ORDER BY 1, 2",
        &[],
    )?;
    for r in &rows {
        catalog.sequences.push(Sequence {
            owner: r.get(0),
            name: r.get(1),
            last_value: r.get::<_, Option<i64>>(2).map(i128::from),
            increment: i128::from(r.get::<_, i64>(3)),
            max_value: Some(i128::from(r.get::<_, i64>(4))),
            min_value: Some(i128::from(r.get::<_, i64>(5))),
            cycle: r.get(6),
        });
    }
    Ok(())
}

/// `schema.table` with both parts quoted.
pub(crate) fn qualified(t: &Table) -> String {
    format!("{}.{}", quote_ident(&t.owner), quote_ident(&t.name))
}

#[cfg(test)]
mod tests {
    use super::base_type_name;

    #[test]
    fn type_modifiers_and_schemas_are_stripped() {
        assert_eq!(base_type_name("character varying(20)"), "character varying");
        assert_eq!(base_type_name("character(4)"), "character");
        assert_eq!(
            base_type_name("character varying(20)[]"),
            "character varying[]"
        );
        assert_eq!(
            base_type_name("timestamp(3) without time zone"),
            "timestamp without time zone"
        );
        assert_eq!(base_type_name("public.citext"), "citext");
        assert_eq!(base_type_name("numeric(10,2)"), "numeric");
    }
}
