//! Applying clean-ups to PostgreSQL: one transaction per table holding every changed cell
//! and its audit row, so a crash leaves each table either untouched or done with every
//! original kept. Values are bound as bytes and converted by the server from its own
//! encoding (`convert_from`), never through a client-side `String`.
//!
//! A cell is identified by its single-column primary key when the table has one, else by
//! ctid. An update only happens where the stored bytes still equal the bytes the scan saw;
//! the audit row records the row's identifier after the update (a ctid moves on UPDATE).

use super::changes::{Change, Left};
use super::oracle_script::Audit;
use crate::catalog::{Catalog, ConstraintKind};
use crate::dialect::postgres::{ident as quote, literal, qualified};
use postgres::Client;

/// How rows of a table are found again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKey {
    /// Single-column primary key, compared as text.
    Pk(String),
    Ctid,
}

/// The row key of a table, from the catalog.
pub fn row_key(catalog: &Catalog, owner: &str, table: &str) -> RowKey {
    catalog
        .constraints
        .iter()
        .find(|c| {
            c.kind == ConstraintKind::Primary
                && c.owner == owner
                && c.table == table
                && c.columns.len() == 1
        })
        .map_or(RowKey::Ctid, |c| RowKey::Pk(c.columns[0].clone()))
}

fn key_expr(key: &RowKey, alias: &str) -> String {
    match key {
        RowKey::Pk(col) => format!("{alias}{}::text", quote(col)),
        RowKey::Ctid => format!("{alias}ctid::text"),
    }
}

fn db_err(e: postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

/// Creates the audit table if absent.
pub fn ensure_audit(client: &mut Client, schema: &str, audit: Audit) -> Result<(), String> {
    let extra = match audit {
        Audit::Truncated => "kept_chars integer NOT NULL",
        Audit::Repaired => "mode_used text NOT NULL",
    };
    let at = match audit {
        Audit::Truncated => "truncated_at",
        Audit::Repaired => "repaired_at",
    };
    client
        .batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS {s}; CREATE TABLE IF NOT EXISTS {s}.{t} (owner text NOT NULL, table_name text NOT NULL, \
             column_name text NOT NULL, row_id text NOT NULL, original_value text, original_bytes bytea NOT NULL, {extra}, \
             charset text NOT NULL, {at} timestamptz NOT NULL DEFAULT now(), run_id text NOT NULL, \
             PRIMARY KEY (owner, table_name, column_name, row_id))",
            s = quote(schema),
            t = quote(&audit.table().to_ascii_lowercase())
        ))
        .map_err(db_err)
}

/// Cells sent per statement.
const BATCH: usize = 5000;

/// Applies changes, one transaction per table. Returns (cells changed, cells left alone).
///
/// Each batch is one statement: the new values, the originals and the row identifiers go in
/// as arrays; the UPDATE touches only rows whose bytes still equal the originals, and the same
/// statement writes an audit row for exactly the rows it updated.
pub fn apply(
    client: &mut Client,
    catalog: &Catalog,
    changes: &[Change],
    audit_schema: &str,
    audit: Audit,
    run_id: &str,
) -> Result<(u64, Vec<Left>), String> {
    ensure_audit(client, audit_schema, audit)?;
    let enc = literal(&catalog.source.charset);
    let audit_table = format!(
        "{}.{}",
        quote(audit_schema),
        quote(&audit.table().to_ascii_lowercase())
    );
    let (extra_col, extra_cast) = match audit {
        Audit::Truncated => ("kept_chars", "::int"),
        Audit::Repaired => ("mode_used", ""),
    };
    let mut done = 0u64;
    let mut left = Vec::new();
    let mut i = 0;
    while i < changes.len() {
        let (owner, table) = (&changes[i].owner, &changes[i].table);
        let end = changes[i..]
            .iter()
            .position(|c| &c.owner != owner || &c.table != table)
            .map_or(changes.len(), |p| i + p);
        let key = row_key(catalog, owner, table);
        let mut tx = client.transaction().map_err(db_err)?;
        let mut group: Vec<&Change> = changes[i..end].iter().collect();
        group.sort_by(|a, b| a.column.cmp(&b.column));
        for same_col in group.chunk_by(|a, b| a.column == b.column) {
            let column = &same_col[0].column;
            let sql = format!(
                "WITH input AS (SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::text[], $5::text[]) AS i(row_id, new, orig, extra, charset)),
                 upd AS (UPDATE {t} x SET {col} = convert_from(i.new, {enc}) FROM input i
                          WHERE {k} = i.row_id AND convert_to(x.{col}, {enc}) = i.orig
                          RETURNING i.row_id AS old_id, {k} AS new_id, i.orig, i.extra, i.charset),
                 ins AS (INSERT INTO {audit_table} (owner, table_name, column_name, row_id, original_value, original_bytes, {extra_col}, charset, run_id)
                         SELECT $6, $7, $8, new_id, convert_from(orig, {enc}), orig, extra{extra_cast}, charset, $9 FROM upd)
                 SELECT old_id FROM upd",
                t = qualified(owner, table),
                col = quote(column),
                k = key_expr(&key, "x."),
            );
            for batch in same_col.chunks(BATCH) {
                let ids: Vec<&str> = batch.iter().map(|c| c.row_id.as_str()).collect();
                let new: Vec<&[u8]> = batch.iter().map(|c| c.new.as_slice()).collect();
                let orig: Vec<&[u8]> = batch.iter().map(|c| c.original.as_slice()).collect();
                let extra: Vec<String> = batch
                    .iter()
                    .map(|c| match audit {
                        Audit::Truncated => c.kept_chars.to_string(),
                        Audit::Repaired => c.mode.clone(),
                    })
                    .collect();
                let charsets: Vec<&str> = batch.iter().map(|c| c.charset.as_str()).collect();
                let rows = tx
                    .query(
                        &sql,
                        &[
                            &ids, &new, &orig, &extra, &charsets, owner, table, column, &run_id,
                        ],
                    )
                    .map_err(|e| format!("{owner}.{table}.{column}: {}", db_err(e)))?;
                let updated: std::collections::HashSet<String> =
                    rows.iter().map(|r| r.get::<_, String>(0)).collect();
                done += updated.len() as u64;
                for c in batch.iter().filter(|c| !updated.contains(&c.row_id)) {
                    left.push(Left {
                        object: format!("{owner}.{table}.{column}"),
                        row_id: c.row_id.clone(),
                        reason: "changed since the scan (or already done): not touched".into(),
                    });
                }
            }
        }
        tx.commit().map_err(db_err)?;
        i = end;
    }
    Ok((done, left))
}

/// Puts every original of the audit table back (optionally only some tables) and removes
/// the audit rows: one transaction per table. Returns the number of cells restored.
pub fn restore(
    client: &mut Client,
    catalog: &Catalog,
    audit_schema: &str,
    audit: Audit,
    tables: &[String],
) -> Result<u64, String> {
    let audit_table = format!(
        "{}.{}",
        quote(audit_schema),
        quote(&audit.table().to_ascii_lowercase())
    );
    let enc = catalog.source.charset.clone();
    let groups = client
        .query(
            &format!(
                "SELECT DISTINCT owner, table_name, column_name FROM {audit_table} ORDER BY 1, 2, 3"
            ),
            &[],
        )
        .map_err(|e| format!("{audit_table}: {}", db_err(e)))?;
    let mut restored = 0u64;
    let mut by_table: Vec<(String, String, Vec<String>)> = Vec::new();
    for g in groups {
        let (o, t, c): (String, String, String) = (g.get(0), g.get(1), g.get(2));
        if !(tables.is_empty()
            || tables
                .iter()
                .any(|s| crate::scan::filter::names_table(s, &o, &t)))
        {
            continue;
        }
        match by_table.last_mut() {
            Some((lo, lt, cols)) if *lo == o && *lt == t => cols.push(c),
            _ => by_table.push((o, t, vec![c])),
        }
    }
    for (owner, table, cols) in by_table {
        let key = row_key(catalog, &owner, &table);
        let mut tx = client.transaction().map_err(db_err)?;
        for col in cols {
            let n = tx
                .execute(
                    &format!(
                        "UPDATE {t} x SET {c} = convert_from(a.original_bytes, {e}) FROM {audit_table} a \
                         WHERE a.owner = $1 AND a.table_name = $2 AND a.column_name = $3 AND {k} = a.row_id",
                        t = qualified(&owner, &table),
                        c = quote(&col),
                        e = literal(&enc),
                        k = key_expr(&key, "x."),
                    ),
                    &[&owner, &table, &col],
                )
                .map_err(|e| format!("{owner}.{table}.{col}: {}", db_err(e)))?;
            let audited = tx
                .execute(&format!("DELETE FROM {audit_table} WHERE owner = $1 AND table_name = $2 AND column_name = $3"), &[&owner, &table, &col])
                .map_err(db_err)?;
            if n != audited {
                return Err(format!(
                    "{owner}.{table}.{col}: {audited} audit rows but {n} rows found again: nothing restored for this table (rows moved or deleted since; see the audit table)"
                ));
            }
            restored += n;
        }
        tx.commit().map_err(db_err)?;
    }
    Ok(restored)
}
