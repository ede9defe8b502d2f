//! Applying clean-ups to PostgreSQL: one transaction per table holding every changed cell
//! and its audit row, so a crash leaves each table either untouched or done with every
//! original kept. Values are bound as bytes and converted by the server from its own
//! encoding (`convert_from`), never through a client-side `String`.
//!
//! Rows are grouped: every cell of one row changes in one UPDATE of that row (changing one cell
//! first would move the row and strand the next). A row is found by the scan's identifier (its
//! single-column primary key, through the key's index, or its ctid, valid within the
//! statement only) and changed only where every cell to change still holds exactly the bytes
//! the scan saw (`char(n)` padding included). The same statement writes one audit row per cell
//! with the row's identity as it is after the write (key bytes or whole-row fingerprint, see
//! [`super::pg_sql`]) and the bytes charmig wrote, which `--restore` compares before it
//! puts anything back.
//!
//! A cell whose new value no longer fits its column (a repair that transliterates … to "...")
//! is left alone and listed with the row's key; the run goes on.
//!
//! `--dry-run` runs exactly this code inside one transaction that is rolled back: it reports
//! what `--apply` would do, cell for cell, checks included. [`super::pg_stream`] feeds it one
//! batch of rows at a time.

use super::changes::{Change, Left};
use super::oracle_script::Audit;
use super::pg_sql::{self, Col};
use crate::catalog::Catalog;
use crate::charset::{Dialect, Encoding, resolve};
use crate::dialect::postgres::{ident as quote, literal, qualified};
use postgres::GenericClient;

pub(crate) fn db_err(e: postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

/// The audit table's name in SQL.
pub fn audit_table(schema: &str, audit: Audit) -> String {
    qualified(schema, &audit.table().to_ascii_lowercase())
}

/// The audit table's name as psql accepts it typed (for messages).
pub fn audit_shown(schema: &str, audit: Audit) -> String {
    pg_sql::shown_path(&[schema, &audit.table().to_ascii_lowercase()])
}

/// Creates the audit table if absent; refuses one written by an older charmig (rows keyed by
/// ctid, which cannot be restored safely by this version).
pub fn ensure_audit(
    client: &mut impl GenericClient,
    schema: &str,
    audit: Audit,
) -> Result<(), String> {
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
            "CREATE SCHEMA IF NOT EXISTS {s}; CREATE TABLE IF NOT EXISTS {t} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
             owner text NOT NULL, table_name text NOT NULL, column_name text NOT NULL, key_columns text[] NOT NULL, row_id text NOT NULL, \
             original_value text, original_bytes bytea NOT NULL, new_bytes bytea NOT NULL, {extra}, \
             charset text NOT NULL, {at} timestamptz NOT NULL DEFAULT now(), run_id text NOT NULL)",
            s = quote(schema),
            t = audit_table(schema, audit)
        ))
        .map_err(db_err)?;
    let current: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = 'new_bytes'",
            &[&schema, &audit.table().to_ascii_lowercase()],
        )
        .map_err(db_err)?
        .get(0);
    if current == 0 {
        return Err(format!(
            "{} was written by an older charmig (rows keyed by ctid, no record of the bytes written): \
             restore it with that version, or give another --audit-schema",
            audit_shown(schema, audit)
        ));
    }
    Ok(())
}

/// Rows sent per statement.
const BATCH: usize = 5000;

/// How a row of the scan is found again within the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Locate {
    /// By the single-column primary key, whose COPY text the scan recorded.
    Pk(Col),
    /// The same, where the scan's text lost bytes (U+FFFD): matched by LIKE on the stored bytes.
    PkPattern(Col),
    /// By ctid (tables without a single-column primary key; valid within the statement only).
    Ctid,
}

/// Types whose text form casts back to the key's own type (so the key's index is used).
const CASTABLE: &[&str] = &[
    "integer",
    "bigint",
    "smallint",
    "numeric",
    "text",
    "character varying",
    "uuid",
    "date",
    "oid",
];

fn locate_sql(loc: &Locate, enc: &str) -> String {
    match loc {
        Locate::Ctid => "x.ctid = encode(i.loc, 'escape')::tid".into(),
        Locate::PkPattern(c) => format!("{} LIKE i.loc", pg_sql::stored("x", c, enc)),
        Locate::Pk(c) => {
            let e = literal(enc);
            let exact = format!("{} = i.loc", pg_sql::stored("x", c, enc));
            if c.padded {
                format!(
                    "x.{} = convert_from(i.loc, {e})::bpchar AND {exact}",
                    quote(&c.name)
                )
            } else if CASTABLE.contains(&c.data_type.as_str()) {
                format!(
                    "x.{} = convert_from(i.loc, {e})::{} AND {exact}",
                    quote(&c.name),
                    c.data_type
                )
            } else {
                exact
            }
        }
    }
}

/// The statement changing a batch of rows of one table (see the module doc).
fn statement(
    owner: &str,
    table: &str,
    cols: &[Col],
    key: &[Col],
    loc: &Locate,
    enc: &str,
    audit_table: &str,
    audit: Audit,
) -> String {
    let (extra_col, extra_cast) = match audit {
        Audit::Truncated => ("kept_chars", "::int"),
        Audit::Repaired => ("mode_used", ""),
    };
    let e = literal(enc);
    let mut arrays = vec!["$5::bytea[]".to_string()];
    let mut names = vec!["loc".to_string()];
    let (mut set, mut matches, mut any, mut written, mut values) =
        (vec![], vec![], vec![], vec![], vec![]);
    for (n, c) in cols.iter().enumerate() {
        let p = 6 + 5 * n;
        arrays.extend([
            format!("${p}::bool[]"),
            format!("${}::bytea[]", p + 1),
            format!("${}::bytea[]", p + 2),
            format!("${}::text[]", p + 3),
            format!("${}::text[]", p + 4),
        ]);
        names.extend([
            format!("h{n}"),
            format!("o{n}"),
            format!("n{n}"),
            format!("e{n}"),
            format!("cs{n}"),
        ]);
        let q = quote(&c.name);
        set.push(format!(
            "{q} = CASE WHEN i.h{n} THEN convert_from(i.n{n}, {e}) ELSE x.{q} END"
        ));
        matches.push(format!(
            "(NOT i.h{n} OR {} = i.o{n})",
            pg_sql::stored("x", c, enc)
        ));
        any.push(format!("i.h{n}"));
        written.push(format!("{} AS w{n}", pg_sql::stored("x", c, enc)));
        values.push(format!(
            "({}, u.h{n}, u.o{n}, u.w{n}, u.e{n}, u.cs{n})",
            literal(&c.name)
        ));
    }
    let matches = matches.join(" AND ");
    let at = locate_sql(loc, enc);
    format!(
        "WITH input AS (SELECT * FROM unnest({arrays}) WITH ORDINALITY AS i({names}, ord)),
         found AS (SELECT DISTINCT ON (i.ord) i.ord, {key_bytes} AS key, coalesce({matches}, false) AS same
                   FROM input i JOIN ONLY {t} x ON {at} ORDER BY i.ord),
         upd AS (UPDATE ONLY {t} x SET {set} FROM input i WHERE {at} AND ({any}) AND {matches}
                 RETURNING i.*, {rid} AS rid, {written}),
         ins AS (INSERT INTO {audit_table} (owner, table_name, column_name, key_columns, row_id, original_value, original_bytes,
                 new_bytes, {extra_col}, charset, run_id)
                 SELECT $1, $2, v.col, $4::text[], u.rid, convert_from(v.o, {e}), v.o, v.w, v.e{extra_cast}, v.cs, $3
                 FROM upd u CROSS JOIN LATERAL (VALUES {values}) AS v(col, h, o, w, e, cs) WHERE v.h)
         SELECT i.ord, coalesce(u.n, 0), f.key, f.same
         FROM input i LEFT JOIN found f ON f.ord = i.ord
         LEFT JOIN (SELECT ord, count(*) AS n FROM upd GROUP BY ord) u ON u.ord = i.ord ORDER BY i.ord",
        arrays = arrays.join(", "),
        names = names.join(", "),
        key_bytes = pg_sql::key_bytes("x", key, enc),
        t = qualified(owner, table),
        set = set.join(", "),
        any = any.join(" OR "),
        rid = pg_sql::row_id("x", key, enc),
        written = written.join(", "),
        values = values.join(", "),
    )
}

/// Characters `bytes` hold in the database encoding (CHAR(n): trailing blanks do not count,
/// PostgreSQL drops them).
fn chars(bytes: &[u8], enc: Option<Encoding>, padded: bool) -> usize {
    let mut b = bytes;
    if padded {
        while let [rest @ .., b' '] = b {
            b = rest;
        }
    }
    match enc {
        Some(Encoding::Utf8) => String::from_utf8_lossy(b).chars().count(),
        _ => b.len(),
    }
}

/// The scan's row identifier as the bytes to find (COPY escapes undone), or a LIKE pattern
/// where the scan's text lost bytes.
fn locator(row_id: &str, loc: &Locate) -> (Vec<u8>, bool) {
    match loc {
        Locate::Ctid => (row_id.as_bytes().to_vec(), false),
        _ => {
            let mut raw = Vec::new();
            crate::source::postgres::unescape_copy_field(row_id.as_bytes(), &mut raw);
            if !row_id.contains('\u{FFFD}') {
                return (raw, false);
            }
            let mut pat = Vec::new();
            let mut i = 0;
            while i < raw.len() {
                if raw[i..].starts_with("\u{FFFD}".as_bytes()) {
                    pat.push(b'%');
                    i += 3;
                    continue;
                }
                if matches!(raw[i], b'%' | b'_' | b'\\') {
                    pat.push(b'\\');
                }
                pat.push(raw[i]);
                i += 1;
            }
            (pat, true)
        }
    }
}

/// What a run did: cells changed (or, in a dry run, that would change) and cells left alone.
#[derive(Debug, Default)]
pub struct Applied {
    pub changed: u64,
    pub left: Vec<Left>,
}

/// What writing one table needs: its changed columns as the database has them now, its key,
/// and how the scan's row identifiers find rows.
pub(crate) struct TablePlan {
    pub owner: String,
    pub table: String,
    pub cols: Vec<Col>,
    key: Vec<Col>,
    key_names: Vec<String>,
    single_pk: Option<Col>,
    enc: String,
    encoding: Option<Encoding>,
    audit_t: String,
    audit: Audit,
}

/// One row of the scan to change: where it is, and its cells by column of the plan.
pub(crate) struct Row<'a> {
    loc: Vec<u8>,
    pattern: bool,
    cells: Vec<Option<&'a Change>>,
    too_long: Vec<(&'a Change, String)>,
}

impl TablePlan {
    /// The plan for `columns` of a table; cells of columns that no longer exist go to `left`.
    /// `by_ctid`: the row identifiers are ctids read in this same transaction.
    pub(crate) fn new<'a>(
        catalog: &Catalog,
        owner: &str,
        table: &str,
        columns: impl Iterator<Item = &'a str>,
        audit_schema: &str,
        audit: Audit,
        by_ctid: bool,
    ) -> (TablePlan, Vec<String>) {
        let mut cols: Vec<Col> = Vec::new();
        let mut missing = Vec::new();
        for c in columns {
            if cols.iter().any(|k| k.name == c) || missing.iter().any(|m| m == c) {
                continue;
            }
            match pg_sql::column(catalog, owner, table, c) {
                Some(col) => cols.push(col),
                None => missing.push(c.to_string()),
            }
        }
        let key = pg_sql::key_columns(catalog, owner, table);
        let single_pk = match key.as_slice() {
            [k] if !by_ctid
                && catalog.constraints.iter().any(|c| {
                    c.kind == crate::catalog::ConstraintKind::Primary
                        && c.owner == owner
                        && c.table == table
                        && c.columns.len() == 1
                }) =>
            {
                Some(k.clone())
            }
            _ => None,
        };
        let enc = catalog.source.charset.clone();
        (
            TablePlan {
                owner: owner.into(),
                table: table.into(),
                key_names: key.iter().map(|k| k.name.clone()).collect(),
                key,
                single_pk,
                encoding: resolve(&enc, Dialect::Postgres).map(|c| c.encoding),
                enc,
                cols,
                audit_t: audit_table(audit_schema, audit),
                audit,
            },
            missing,
        )
    }

    fn object(&self, column: &str) -> String {
        pg_sql::shown_path(&[&self.owner, &self.table, column])
    }

    /// The scan's changes of this table, sorted by row identifier, as rows; cells whose new
    /// value no longer fits their column are kept aside (listed with the row's key later).
    pub(crate) fn rows<'a>(&self, group: &[&'a Change], out: &mut Applied) -> Vec<Row<'a>> {
        let mut rows = Vec::new();
        for same in group.chunk_by(|a, b| a.row_id == b.row_id) {
            let loc_kind = match &self.single_pk {
                Some(k) => Locate::Pk(k.clone()),
                None => Locate::Ctid,
            };
            let (loc, pattern) = locator(&same[0].row_id, &loc_kind);
            let mut row = Row {
                loc,
                pattern,
                cells: vec![None; self.cols.len()],
                too_long: Vec::new(),
            };
            for c in same {
                let Some(n) = self.cols.iter().position(|k| k.name == c.column) else {
                    continue;
                };
                let col = &self.cols[n];
                if let Some(max) = col.max_chars {
                    let len = chars(&c.new, self.encoding, col.padded);
                    if len > max as usize {
                        let ty = if col.padded { "char" } else { "varchar" };
                        row.too_long.push((
                            c,
                            format!(
                                "{} ({len} characters) no longer fits {ty}({max}): left alone",
                                c.detail
                            ),
                        ));
                        continue;
                    }
                }
                if row.cells[n].is_some() {
                    out.left.push(Left {
                        object: self.object(&c.column),
                        row_id: c.row_id.clone(),
                        reason: "listed twice in the scan: done once".into(),
                    });
                    continue;
                }
                row.cells[n] = Some(c);
            }
            rows.push(row);
        }
        rows
    }

    /// Sends rows (batched), inside the caller's transaction.
    pub(crate) fn send(
        &self,
        tx: &mut impl GenericClient,
        rows: &[Row],
        run_id: &str,
        each: &mut dyn FnMut(&Change, &str),
        out: &mut Applied,
    ) -> Result<(), String> {
        if self.cols.is_empty() {
            return Ok(());
        }
        let (owner, table, cols) = (self.owner.as_str(), self.table.as_str(), &self.cols);
        for pattern in [false, true] {
            let loc = match (&self.single_pk, pattern) {
                (Some(k), false) => Locate::Pk(k.clone()),
                (Some(k), true) => Locate::PkPattern(k.clone()),
                (None, _) => Locate::Ctid,
            };
            let mine: Vec<&Row> = rows.iter().filter(|r| r.pattern == pattern).collect();
            if mine.is_empty() {
                continue;
            }
            let sql = statement(
                owner,
                table,
                cols,
                &self.key,
                &loc,
                &self.enc,
                &self.audit_t,
                self.audit,
            );
            for batch in mine.chunks(BATCH) {
                self.send_batch(tx, &sql, batch, run_id, each, out)?;
            }
        }
        Ok(())
    }

    fn send_batch<'a>(
        &self,
        tx: &mut impl GenericClient,
        sql: &str,
        batch: &[&Row<'a>],
        run_id: &str,
        each: &mut dyn FnMut(&Change, &str),
        out: &mut Applied,
    ) -> Result<(), String> {
        let (owner, table, audit) = (self.owner.as_str(), self.table.as_str(), self.audit);
        let locs: Vec<&[u8]> = batch.iter().map(|r| r.loc.as_slice()).collect();
        let mut h: Vec<Vec<bool>> = Vec::new();
        let mut o: Vec<Vec<&[u8]>> = Vec::new();
        let mut n: Vec<Vec<&[u8]>> = Vec::new();
        let mut e: Vec<Vec<String>> = Vec::new();
        let mut cs: Vec<Vec<&str>> = Vec::new();
        for k in 0..self.cols.len() {
            let cell = |r: &&Row<'a>| -> Option<&'a Change> { r.cells[k] };
            h.push(batch.iter().map(|r| cell(r).is_some()).collect());
            o.push(
                batch
                    .iter()
                    .map(|r| cell(r).map_or(&[][..], |c| c.original.as_slice()))
                    .collect(),
            );
            n.push(
                batch
                    .iter()
                    .map(|r| cell(r).map_or(&[][..], |c| c.new.as_slice()))
                    .collect(),
            );
            e.push(
                batch
                    .iter()
                    .map(|r| match (cell(r), audit) {
                        (None, _) => String::new(),
                        (Some(c), Audit::Truncated) => c.kept_chars.to_string(),
                        (Some(c), Audit::Repaired) => c.mode.clone(),
                    })
                    .collect(),
            );
            cs.push(
                batch
                    .iter()
                    .map(|r| cell(r).map_or("", |c| c.charset.as_str()))
                    .collect(),
            );
        }
        let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            vec![&owner, &table, &run_id, &self.key_names, &locs];
        for k in 0..self.cols.len() {
            params.extend([
                &h[k] as &(dyn postgres::types::ToSql + Sync),
                &o[k],
                &n[k],
                &e[k],
                &cs[k],
            ]);
        }
        let result = tx
            .query(sql, &params)
            .map_err(|e| format!("{}: {}", pg_sql::shown_path(&[owner, table]), db_err(e)))?;
        for (r, res) in batch.iter().zip(&result) {
            let updated: i64 = res.get(1);
            let key_bytes: Option<Vec<Option<Vec<u8>>>> = res.get(2);
            let same: Option<bool> = res.get(3);
            let shown = match &key_bytes {
                Some(b) => pg_sql::show_key(&self.key, b, &self.enc),
                None => {
                    let id = r.cells.iter().flatten().next().map(|c| c.row_id.as_str());
                    let id = id.or(r.too_long.first().map(|(c, _)| c.row_id.as_str()));
                    format!("row at ctid {} (the table has no key)", id.unwrap_or("?"))
                }
            };
            for (c, why) in &r.too_long {
                out.left.push(Left {
                    object: self.object(&c.column),
                    row_id: shown.clone(),
                    reason: why.clone(),
                });
            }
            let reason = match (updated, same) {
                (u, _) if u > 0 => None,
                (_, None) => Some("row not found (deleted, or moved since the scan): not touched"),
                (_, Some(true)) => Some("not changed (a concurrent change?): not touched"),
                (_, Some(false)) => Some(
                    "changed since the scan (or already done): the row is not touched; scan again",
                ),
            };
            for c in r.cells.iter().flatten() {
                match reason {
                    None => {
                        out.changed += 1;
                        each(c, &shown);
                    }
                    Some(why) => out.left.push(Left {
                        object: self.object(&c.column),
                        row_id: shown.clone(),
                        reason: why.into(),
                    }),
                }
            }
        }
        Ok(())
    }
}
