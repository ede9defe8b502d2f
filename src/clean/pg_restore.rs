//! `--restore` on PostgreSQL: the originals of an audit table put back, one transaction per
//! table, newest run first (a row changed by two runs goes back through both states).
//!
//! A row is found by the identity the audit row recorded when charmig wrote it (the key's
//! stored bytes, or the whole row's fingerprint: see [`super::pg_sql`]), and only restored
//! where every cell charmig changed in it still holds exactly the bytes charmig wrote. All
//! cells of a row go back in one UPDATE. Identical rows of a keyless table are told apart by
//! nothing but their content: as many as the audit table counts are restored, the rest left.
//! A row that no longer matches is left alone and listed; its audit rows stay, so nothing is
//! lost and the DBA decides.

use super::changes::Left;
use super::oracle_script::Audit;
use super::pg_apply::{audit_shown, audit_table, db_err};
use super::pg_sql::{self, Col};
use crate::catalog::Catalog;
use crate::dialect::postgres::{ident as quote, literal, qualified};
use postgres::Client;

/// What a restore did.
#[derive(Debug, Default)]
pub struct Restored {
    pub cells: u64,
    pub left: Vec<Left>,
    /// Warnings: identical rows of a keyless table, of which only some were charmig's.
    pub notes: Vec<String>,
}

fn col_of(catalog: &Catalog, owner: &str, table: &str, name: &str) -> Result<Col, String> {
    pg_sql::column(catalog, owner, table, name).ok_or_else(|| {
        format!(
            "{}: the column no longer exists; its originals stay in the audit table",
            pg_sql::shown_path(&[owner, table, name])
        )
    })
}

/// The statement restoring one run's cells of one table.
fn statement(
    owner: &str,
    table: &str,
    cols: &[Col],
    key: &[Col],
    enc: &str,
    audit_t: &str,
) -> String {
    let e = literal(enc);
    let (mut pivot, mut set, mut matches) = (vec![], vec![], vec![]);
    for (n, c) in cols.iter().enumerate() {
        let name = literal(&c.name);
        pivot.push(format!(
            "bool_or(column_name = {name}) AS h{n}, \
             (array_agg(original_bytes) FILTER (WHERE column_name = {name}))[1] AS o{n}, \
             (array_agg(new_bytes) FILTER (WHERE column_name = {name}))[1] AS w{n}"
        ));
        let q = quote(&c.name);
        set.push(format!(
            "{q} = CASE WHEN e.h{n} THEN convert_from(e.o{n}, {e}) ELSE x.{q} END"
        ));
        matches.push(format!(
            "(NOT e.h{n} OR {} = e.w{n})",
            pg_sql::stored("x", c, enc)
        ));
    }
    // Each changed row is one event: its cells are the k-th audit rows of their columns under
    // its row id (rows identical after the change share a row id; written in order, the k-th
    // cell of each column is the k-th row's). Event k goes back into the k-th matching row:
    // every original is put back once, whichever identical row takes it.
    format!(
        "WITH a AS (SELECT id, row_id, column_name, original_bytes, new_bytes,
                           row_number() OVER (PARTITION BY row_id, column_name ORDER BY id) AS ev
                      FROM {audit_t} WHERE owner = $1 AND table_name = $2 AND run_id = $3),
         ev AS (SELECT row_id, ev, {pivot} FROM a GROUP BY row_id, ev),
         nev AS (SELECT row_id, count(*) AS n FROM ev GROUP BY row_id),
         ev1 AS (SELECT DISTINCT ON (row_id) * FROM ev ORDER BY row_id, ev),
         cand AS (SELECT x.ctid AS tid, e.row_id, row_number() OVER (PARTITION BY e.row_id ORDER BY x.ctid) AS rn
                  FROM ONLY {t} x JOIN ev1 e ON {rid} = e.row_id WHERE {matches}),
         pair AS (SELECT c.tid, e.* FROM cand c JOIN ev e ON e.row_id = c.row_id AND e.ev = c.rn),
         upd AS (UPDATE ONLY {t} x SET {set} FROM pair e
                 WHERE x.ctid = e.tid RETURNING e.row_id, e.ev),
         del AS (DELETE FROM {audit_t} WHERE id IN (
                   SELECT a.id FROM a JOIN upd u ON u.row_id = a.row_id AND u.ev = a.ev)
                 RETURNING 1)
         SELECT (SELECT count(*) FROM del),
                (SELECT count(DISTINCT c.row_id) FROM cand c JOIN nev n ON n.row_id = c.row_id WHERE c.rn > n.n)",
        pivot = pivot.join(", "),
        t = qualified(owner, table),
        rid = pg_sql::row_id("x", key, enc),
        matches = matches.join(" AND "),
        set = set.join(", "),
    )
}

/// Puts the originals of the audit table back (optionally only some tables) and removes the
/// audit rows of what was put back.
pub fn restore(
    client: &mut Client,
    catalog: &Catalog,
    audit_schema: &str,
    audit: Audit,
    tables: &[String],
) -> Result<Restored, String> {
    let audit_t = audit_table(audit_schema, audit);
    let exists: bool = client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&audit_t])
        .map_err(db_err)?
        .get(0);
    if !exists {
        return Err(format!(
            "{} does not exist: nothing was changed with this --audit-schema",
            audit_shown(audit_schema, audit)
        ));
    }
    super::pg_apply::ensure_audit(client, audit_schema, audit)?;
    let enc = catalog.source.charset.clone();
    let groups = client
        .query(
            &format!(
                "SELECT owner, table_name, run_id, key_columns, array_agg(DISTINCT column_name ORDER BY column_name), max(id)
                 FROM {audit_t} GROUP BY owner, table_name, run_id, key_columns ORDER BY 1, 2, 6 DESC"
            ),
            &[],
        )
        .map_err(|e| format!("{}: {}", audit_shown(audit_schema, audit), db_err(e)))?;
    let mut out = Restored::default();
    let wanted = |o: &str, t: &str| {
        tables.is_empty()
            || tables
                .iter()
                .any(|s| crate::scan::filter::names_table(s, o, t))
    };
    let mut i = 0;
    while i < groups.len() {
        let owner: String = groups[i].get(0);
        let table: String = groups[i].get(1);
        let end = groups[i..]
            .iter()
            .position(|g| g.get::<_, String>(0) != owner || g.get::<_, String>(1) != table)
            .map_or(groups.len(), |p| i + p);
        if !wanted(&owner, &table) {
            i = end;
            continue;
        }
        let mut tx = client.transaction().map_err(db_err)?;
        tx.batch_execute(pg_sql::SESSION).map_err(db_err)?;
        // Every join here is between sets the planner cannot size (CTEs): hash joins keep the
        // statement linear in the table and the audit rows, whatever the estimates.
        tx.batch_execute("SET LOCAL enable_nestloop = off")
            .map_err(db_err)?;
        for g in &groups[i..end] {
            let run: String = g.get(2);
            let key_names: Vec<String> = g.get(3);
            let col_names: Vec<String> = g.get(4);
            let key = key_names
                .iter()
                .map(|k| col_of(catalog, &owner, &table, k))
                .collect::<Result<Vec<_>, _>>()?;
            let cols = col_names
                .iter()
                .map(|c| col_of(catalog, &owner, &table, c))
                .collect::<Result<Vec<_>, _>>()?;
            let sql = statement(&owner, &table, &cols, &key, &enc, &audit_t);
            let r = tx
                .query_one(&sql, &[&owner, &table, &run])
                .map_err(|e| format!("{}: {}", pg_sql::shown_path(&[&owner, &table]), db_err(e)))?;
            let (n, ambiguous): (i64, i64) = (r.get(0), r.get(1));
            out.cells += n as u64;
            if ambiguous > 0 {
                out.notes.push(format!(
                    "{}: {ambiguous} row(s) restored among identical rows (the table has no key, so identical rows are told apart by nothing): \
                     the content is as before, but which of the identical rows carries it is not known",
                    pg_sql::shown_path(&[&owner, &table])
                ));
            }
        }
        // What stays: rows that no longer hold what charmig wrote.
        for r in tx
            .query(
                &format!(
                    "SELECT column_name, row_id, key_columns, run_id FROM {audit_t} WHERE owner = $1 AND table_name = $2 ORDER BY id"
                ),
                &[&owner, &table],
            )
            .map_err(db_err)?
        {
            let column: String = r.get(0);
            let row_id: String = r.get(1);
            let key: Vec<String> = r.get(2);
            let run: String = r.get(3);
            let shown = if key.is_empty() {
                format!("row fingerprint {row_id} (the table has no key)")
            } else {
                format!(
                    "({}) = [{}]",
                    key.iter().map(|k| pg_sql::shown(k)).collect::<Vec<_>>().join(", "),
                    row_id
                        .split(',')
                        .map(|h| format!("x'{h}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            out.left.push(Left {
                object: pg_sql::shown_path(&[&owner, &table, &column]),
                row_id: shown,
                reason: format!(
                    "the row no longer holds what {run} wrote (changed, deleted, or its key changed): not restored; the original stays in {}",
                    audit_shown(audit_schema, audit)
                ),
            });
        }
        tx.commit().map_err(db_err)?;
        i = end;
    }
    Ok(out)
}
