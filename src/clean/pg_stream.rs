//! Clean-ups on PostgreSQL in flat memory: whatever the number of cells, only one batch of
//! them is held at a time.
//!
//! - [`truncate`]: `truncate --limit-bytes N` without a scan in memory. Per table, one
//!   transaction: a cursor (`FOR UPDATE`, so no other session changes a row between its read
//!   and its write) reads the rows with a value whose UTF-8 form the server measures over N
//!   bytes; each batch is cut by the classifier's own measure ([`super::cut::fit`]) and written
//!   by the same statements as every clean-up ([`super::pg_apply`]), rows found by the ctid the
//!   cursor read in this transaction.
//! - [`apply_scan`]: the cells of a scan.json, table by table, their exceptions sorted by row and
//!   turned into changes one batch of rows at a time.

use super::changes::{Change, Left};
use super::oracle_script::Audit;
use super::pg_apply::{Applied, TablePlan, db_err, ensure_audit};
use super::pg_sql;
use crate::catalog::{Catalog, ColumnKind};
use crate::charset::classify::{ColumnProfile, Limit, LimitKind};
use crate::charset::{Dialect, Encoding, Target, resolve};
use crate::dialect::postgres::qualified;
use crate::scan::{Exception, ScanResult};
use postgres::GenericClient;

/// Rows read and written per round trip.
const BATCH: usize = 5000;

/// `truncate --limit-bytes N` over the chosen tables (every table when `tables` is empty).
#[allow(clippy::too_many_arguments)]
pub fn truncate(
    client: &mut impl GenericClient,
    catalog: &Catalog,
    tables: &[String],
    limit: usize,
    audit_schema: &str,
    run_id: &str,
    each: &mut dyn FnMut(&Change, &str),
) -> Result<Applied, String> {
    let enc = catalog.source.charset.clone();
    let encoding = resolve(&enc, Dialect::Postgres)
        .map(|c| c.encoding)
        .ok_or_else(|| format!("server encoding {enc} is not supported by charmig"))?;
    if matches!(encoding, Encoding::Undeclared) {
        return Err(format!(
            "the database is {enc}: its bytes have no charset, so their converted length is unknown; \
             scan it with --assume CHARSET and give that scan with --scan"
        ));
    }
    ensure_audit(client, audit_schema, Audit::Truncated)?;
    let lim = Some(Limit {
        bytes: limit,
        kind: LimitKind::Column,
    });
    let mut out = Applied::default();
    for t in &catalog.tables {
        if crate::own::is_own_table(&t.owner, &t.name)
            || !(tables.is_empty()
                || tables
                    .iter()
                    .any(|s| crate::scan::filter::names_table(s, &t.owner, &t.name)))
        {
            continue;
        }
        let generated = generated_columns(client, &t.owner, &t.name)?;
        let nulled = nulled_by_keys(client, &t.owner, &t.name)?;
        for (col, why) in &nulled {
            out.left.push(Left {
                object: pg_sql::shown_path(&[&t.owner, &t.name, col]),
                row_id: "(every row)".into(),
                reason: format!(
                    "not cut: referenced by {why}, changing it would change the referencing rows, which restore \
                     cannot bring back; cut it by hand"
                ),
            });
        }
        let names: Vec<&str> = t
            .columns
            .iter()
            .filter(|c| {
                matches!(
                    c.kind(Dialect::Postgres),
                    ColumnKind::Varchar | ColumnKind::Char | ColumnKind::Clob
                ) && !generated.contains(&c.name)
                    && !nulled.iter().any(|(n, _)| *n == c.name)
            })
            .map(|c| c.name.as_str())
            .collect();
        if names.is_empty() {
            continue;
        }
        let (plan, _) = TablePlan::new(
            catalog,
            &t.owner,
            &t.name,
            names.iter().copied(),
            audit_schema,
            Audit::Truncated,
            true,
        );
        let profiles: Vec<ColumnProfile> = plan
            .cols
            .iter()
            .map(|c| ColumnProfile::new(encoding, Target::Al32Utf8, c.padded, lim, lim))
            .collect();
        let values: Vec<String> = plan
            .cols
            .iter()
            .map(|c| pg_sql::stored("x", c, &enc))
            .collect();
        // The server's measure only narrows the rows read; the classifier decides.
        let over: Vec<String> = plan
            .cols
            .iter()
            .map(|c| {
                format!(
                    "octet_length(convert_to({}, 'UTF8')) > {limit}",
                    pg_sql::text_of("x", c)
                )
            })
            .collect();
        let mut tx = client.transaction().map_err(db_err)?;
        tx.batch_execute(pg_sql::SESSION).map_err(db_err)?;
        tx.batch_execute(&format!(
            "DECLARE charmig_cut NO SCROLL CURSOR FOR SELECT x.ctid::text, {} FROM ONLY {} x WHERE {} FOR UPDATE",
            values.join(", "),
            qualified(&t.owner, &t.name),
            over.join(" OR ")
        ))
        .map_err(|e| format!("{}: {}", pg_sql::shown_path(&[&t.owner, &t.name]), db_err(e)))?;
        loop {
            let rows = tx
                .query(&format!("FETCH {BATCH} FROM charmig_cut"), &[])
                .map_err(|e| {
                    format!(
                        "{}: {}",
                        pg_sql::shown_path(&[&t.owner, &t.name]),
                        db_err(e)
                    )
                })?;
            if rows.is_empty() {
                break;
            }
            let mut changes = Vec::new();
            for r in &rows {
                let ctid: String = r.get(0);
                for (k, col) in plan.cols.iter().enumerate() {
                    let Some(bytes) = r.get::<_, Option<Vec<u8>>>(k + 1) else {
                        continue;
                    };
                    match super::cut::fit(&bytes, &profiles[k], encoding, limit) {
                        None => out.left.push(Left {
                            object: pg_sql::shown_path(&[&t.owner, &t.name, &col.name]),
                            row_id: format!("row at ctid {ctid}"),
                            reason: "lossy: repair it before cutting".into(),
                        }),
                        Some(cut) if cut.keep_bytes < bytes.len() => {
                            let total = super::cut::char_boundaries(&bytes, encoding).len() - 1;
                            changes.push(Change {
                                owner: t.owner.clone(),
                                table: t.name.clone(),
                                column: col.name.clone(),
                                row_id: ctid.clone(),
                                new: bytes[..cut.keep_bytes].to_vec(),
                                original: bytes,
                                kept_chars: cut.keep_chars,
                                detail: format!(
                                    "kept {} of {total} characters ({} bytes after conversion, limit {limit})",
                                    cut.keep_chars, cut.post_bytes
                                ),
                                charset: enc.clone(),
                                mode: "truncate".into(),
                            });
                        }
                        Some(_) => {}
                    }
                }
            }
            let refs: Vec<&Change> = changes.iter().collect();
            let batch = plan.rows(&refs, &mut out);
            plan.send(&mut tx, &batch, run_id, each, &mut out)?;
        }
        tx.batch_execute("CLOSE charmig_cut").map_err(db_err)?;
        tx.commit().map_err(db_err)?;
    }
    Ok(out)
}

/// The cells of a scan, table by table: each table's exceptions sorted by row, turned into
/// changes by `make` one batch of rows at a time, and written in one transaction per table.
#[allow(clippy::too_many_arguments)]
pub fn apply_scan(
    client: &mut impl GenericClient,
    catalog: &Catalog,
    scan: &ScanResult,
    wanted: &dyn Fn(&Exception) -> bool,
    make: &dyn Fn(&[&Exception]) -> Result<(Vec<Change>, Vec<Left>), String>,
    audit_schema: &str,
    audit: Audit,
    run_id: &str,
    each: &mut dyn FnMut(&Change, &str),
) -> Result<Applied, String> {
    ensure_audit(client, audit_schema, audit)?;
    let mut order: Vec<usize> = (0..scan.exceptions.len())
        .filter(|&i| wanted(&scan.exceptions[i]))
        .collect();
    let ex = &scan.exceptions;
    order.sort_by(|&a, &b| {
        (&ex[a].owner, &ex[a].table_name, &ex[a].rowid).cmp(&(
            &ex[b].owner,
            &ex[b].table_name,
            &ex[b].rowid,
        ))
    });
    let mut out = Applied::default();
    for table in
        order.chunk_by(|&a, &b| ex[a].owner == ex[b].owner && ex[a].table_name == ex[b].table_name)
    {
        let first = &ex[table[0]];
        let generated = generated_columns(client, &first.owner, &first.table_name)?;
        let nulled = nulled_by_keys(client, &first.owner, &first.table_name)?;
        let (plan, missing) = TablePlan::new(
            catalog,
            &first.owner,
            &first.table_name,
            table
                .iter()
                .map(|&i| ex[i].column_name.as_str())
                .filter(|c| !generated.iter().any(|g| g == c))
                .filter(|c| !nulled.iter().any(|(n, _)| n == c)),
            audit_schema,
            audit,
            false,
        );
        let mut tx = client.transaction().map_err(db_err)?;
        tx.batch_execute(pg_sql::SESSION).map_err(db_err)?;
        // Batches of whole rows: every cell of a row is in the batch of its row.
        let mut start = 0;
        while start < table.len() {
            let mut end = (start + BATCH).min(table.len());
            while end < table.len() && ex[table[end]].rowid == ex[table[end - 1]].rowid {
                end += 1;
            }
            let cells: Vec<&Exception> = table[start..end].iter().map(|&i| &ex[i]).collect();
            let (mut changes, left) = make(&cells)?;
            out.left.extend(left);
            for c in changes.iter().filter(|c| missing.contains(&c.column)) {
                out.left.push(Left {
                    object: pg_sql::shown_path(&[&c.owner, &c.table, &c.column]),
                    row_id: c.row_id.clone(),
                    reason: "the column no longer exists: not touched".into(),
                });
            }
            for c in changes.iter() {
                if let Some((_, why)) = nulled.iter().find(|(n, _)| *n == c.column) {
                    out.left.push(Left {
                        object: pg_sql::shown_path(&[&c.owner, &c.table, &c.column]),
                        row_id: c.row_id.clone(),
                        reason: format!(
                            "referenced by {why}: changing it would change the referencing rows, which restore cannot \
                             bring back; change it by hand"
                        ),
                    });
                }
            }
            for c in changes.iter().filter(|c| generated.contains(&c.column)) {
                out.left.push(Left {
                    object: pg_sql::shown_path(&[&c.owner, &c.table, &c.column]),
                    row_id: c.row_id.clone(),
                    reason: "a generated column: the server computes it from the row's other columns (again when they are changed), it cannot be written".into(),
                });
            }
            changes.sort_by(|a, b| a.row_id.cmp(&b.row_id));
            let refs: Vec<&Change> = changes.iter().collect();
            let rows = plan.rows(&refs, &mut out);
            plan.send(&mut tx, &rows, run_id, each, &mut out)?;
            start = end;
        }
        tx.commit().map_err(db_err)?;
    }
    Ok(out)
}

/// The stored generated columns of `owner.table` (`attgenerated`, PostgreSQL 12 and later;
/// read through to_jsonb so an older server answers none): they cannot be written.
fn generated_columns(
    client: &mut impl GenericClient,
    owner: &str,
    table: &str,
) -> Result<Vec<String>, String> {
    Ok(client
        .query(
            "SELECT a.attname::text FROM pg_catalog.pg_attribute a \
              WHERE a.attrelid = pg_catalog.to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped \
                AND coalesce(pg_catalog.to_jsonb(a)->>'attgenerated', '') <> ''",
            &[&qualified(owner, table)],
        )
        .map_err(db_err)?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// The columns of `owner.table` that a foreign key with `ON UPDATE SET NULL` or `SET DEFAULT`
/// references, with that key (`child (fk, ON UPDATE SET NULL)`): an update of them would
/// change the referencing rows, which no audit row keeps.
fn nulled_by_keys(
    client: &mut impl GenericClient,
    owner: &str,
    table: &str,
) -> Result<Vec<(String, String)>, String> {
    Ok(client
        .query(
            "SELECT a.attname::text, c.conrelid::regclass::text || ' (' || c.conname || ', ON UPDATE ' || \
                    CASE c.confupdtype WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END || ')' \
               FROM pg_catalog.pg_constraint c \
               JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = ANY (c.confkey) \
              WHERE c.contype = 'f' AND c.confrelid = pg_catalog.to_regclass($1) AND c.confupdtype IN ('n', 'd') \
              ORDER BY 1, 2",
            &[&qualified(owner, table)],
        )
        .map_err(db_err)?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
}
