//! The problem-object report for PostgreSQL: the analogues of the Oracle checks.
//!
//! Problems (exit code 1): NOT VALID constraints with the number of rows that violate them,
//! invalid indexes (`indisvalid = false`, left by a failed `CREATE INDEX CONCURRENTLY`),
//! disabled triggers, sequences more than 90% used, and btree index entries that would pass
//! the 2704-byte entry limit once converted to UTF-8 (PostgreSQL's one byte limit on
//! character data: varchar(n)/char(n) count characters, so columns themselves never truncate;
//! a char(n) entry carries its blank padding, which counts). The index check converts on the
//! server (`convert_to(…, 'UTF8')`), so it reads every row of the tables concerned; it counts
//! entry sizes uncompressed (a conservative figure: PostgreSQL may compress a large entry).
//! This lives here rather than in the scan because the scan's figures must be reproducible
//! from a snapshot, which carries no index definitions.
//!
//! Information (no exit code): tables never analyzed or analyzed longer ago than
//! `--stats-age-days`; the copy to the target re-analyzes anyway, but plans made from stale
//! statistics during the move can be slow.

use super::{PgSource, catalog::qualified, quote_ident};
use crate::catalog::{ColumnKind, ConstraintKind, Table};
use crate::charset::Dialect;
use crate::objects::{ObjectReport, Section, Severity};
use crate::source::db::ObjectsOptions;
use crate::source::{Source, SourceError};
use postgres::Client;

/// btree's limit on one index entry (BTMaxItemSize with 8 KiB pages).
pub const BTREE_ENTRY_LIMIT: i64 = 2704;
/// A sequence this much used is reported.
const SEQUENCE_USED: f64 = 0.9;

fn in_scope(owner: &str, opts: &ObjectsOptions) -> bool {
    opts.schemas.is_empty() || opts.schemas.iter().any(|s| s.eq_ignore_ascii_case(owner))
}

fn db_err(object: &str, e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("{object}: {} (SQLSTATE {})", d.message(), d.code().code()),
        None => format!("{object}: {e}"),
    }
}

pub(crate) fn report(
    src: &PgSource,
    client: &mut Client,
    opts: &ObjectsOptions,
) -> Result<ObjectReport, SourceError> {
    let cat = src.catalog();
    let mut r = ObjectReport::new(&src.describe(), "pg_catalog");
    let table_of = |owner: &str, name: &str| {
        cat.tables
            .iter()
            .find(|t| t.owner == owner && t.name == name)
    };

    let mut s = Section::new(
        "not_valid_constraints",
        "NOT VALID constraints",
        Severity::Problem,
        &[
            "constraint",
            "table",
            "type",
            "violating_rows",
            "definition",
        ],
        "Rows that violate a NOT VALID constraint were never checked. Fix or delete them, then \
         ALTER TABLE … VALIDATE CONSTRAINT …, so the target gets a validated constraint.",
    );
    for c in cat
        .constraints
        .iter()
        .filter(|c| !c.validated && in_scope(&c.owner, opts))
    {
        let table = format!("{}.{}", quote_ident(&c.owner), quote_ident(&c.table));
        let name = format!("{}.{}", c.owner, c.name);
        let sql = match c.kind {
            ConstraintKind::Foreign => c.ref_table.as_ref().map(|rt| {
                let parent = format!("{}.{}", quote_ident(c.ref_owner.as_deref().unwrap_or(&c.owner)), quote_ident(rt));
                let not_null: Vec<String> = c.columns.iter().map(|k| format!("c.{} IS NOT NULL", quote_ident(k))).collect();
                let join: Vec<String> = c
                    .columns
                    .iter()
                    .zip(&c.ref_columns)
                    .map(|(k, p)| format!("p.{} = c.{}", quote_ident(p), quote_ident(k)))
                    .collect();
                format!(
                    "SELECT count(*) FROM {table} c WHERE {} AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {})",
                    not_null.join(" AND "),
                    join.join(" AND ")
                )
            }),
            ConstraintKind::Check => {
                let expr = client.query_opt(
                    "SELECT pg_get_expr(k.conbin, k.conrelid) FROM pg_constraint k
                       JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE n.nspname = $1 AND c.relname = $2 AND k.conname = $3",
                    &[&c.owner, &c.table, &c.name],
                );
                match expr {
                    Ok(Some(row)) => row.get::<_, Option<String>>(0).map(|e| format!("SELECT count(*) FROM {table} WHERE NOT ({e})")),
                    Ok(None) => None,
                    Err(e) => {
                        r.not_checked.push(db_err(&name, &e));
                        None
                    }
                }
            }
            _ => None,
        };
        let violating = match sql.map(|q| client.query_one(q.as_str(), &[])) {
            Some(Ok(row)) => row.get::<_, i64>(0).to_string(),
            Some(Err(e)) => {
                r.not_checked
                    .push(format!("violating rows of {}", db_err(&name, &e)));
                "not counted".into()
            }
            None => "not counted".into(),
        };
        let kind = match c.kind {
            ConstraintKind::Foreign => "FOREIGN KEY",
            ConstraintKind::Check => "CHECK",
            _ => "OTHER",
        };
        s.rows.push(vec![
            name,
            format!("{}.{}", c.owner, c.table),
            kind.into(),
            violating,
            c.definition.clone().unwrap_or_default(),
        ]);
    }
    r.sections.push(s);

    let mut s = Section::new(
        "invalid_indexes",
        "Invalid indexes",
        Severity::Problem,
        &["index", "table", "definition"],
        "An invalid index (a failed CREATE INDEX CONCURRENTLY) is maintained but never used. \
         DROP INDEX it and create it again, or REINDEX INDEX CONCURRENTLY.",
    );
    for i in cat
        .indexes
        .iter()
        .filter(|i| i.status == "INVALID" && in_scope(&i.owner, opts))
    {
        s.rows.push(vec![
            format!("{}.{}", i.owner, i.name),
            format!("{}.{}", i.table_owner, i.table),
            i.ddl.clone().unwrap_or_default(),
        ]);
    }
    r.sections.push(s);

    let mut s = Section::new(
        "disabled_triggers",
        "Disabled triggers",
        Severity::Problem,
        &["trigger", "table", "definition"],
        "A disabled trigger did not run for the rows written while it was off. Decide whether \
         it should be enabled on the target (ALTER TABLE … ENABLE TRIGGER …) and whether rows need fixing.",
    );
    for t in cat
        .triggers
        .iter()
        .filter(|t| !t.enabled && in_scope(&t.owner, opts))
    {
        s.rows.push(vec![
            format!("{}.{}", t.owner, t.name),
            format!("{}.{}", t.table_owner, t.table),
            t.definition.clone().unwrap_or_default(),
        ]);
    }
    r.sections.push(s);

    let mut s = Section::new(
        "sequences_near_max",
        "Sequences more than 90% used",
        Severity::Problem,
        &["sequence", "last_value", "limit", "used_percent", "cycle"],
        "The sequence will soon fail (or wrap, with CYCLE). Widen it (ALTER SEQUENCE … AS bigint \
         MAXVALUE …) before the move.",
    );
    for q in cat.sequences.iter().filter(|q| in_scope(&q.owner, opts)) {
        let (Some(last), Some(max), Some(min)) = (q.last_value, q.max_value, q.min_value) else {
            continue;
        };
        let span = (max - min) as f64;
        let used = if q.increment >= 0 {
            (last - min) as f64 / span
        } else {
            (max - last) as f64 / span
        };
        if span > 0.0 && used > SEQUENCE_USED {
            let limit = if q.increment >= 0 { max } else { min };
            s.rows.push(vec![
                format!("{}.{}", q.owner, q.name),
                last.to_string(),
                limit.to_string(),
                format!("{:.1}", used * 100.0),
                if q.cycle { "yes" } else { "no" }.into(),
            ]);
        }
    }
    r.sections.push(s);

    r.sections.push(btree_entries(
        src,
        client,
        opts,
        &mut r.not_checked,
        &table_of,
    ));

    let mut s = Section::new(
        "statistics",
        &format!(
            "Tables never analyzed or analyzed over {} days ago",
            opts.stats_age_days
        ),
        Severity::Info,
        &["table", "last_analyzed", "age_days"],
        "ANALYZE them (or run vacuumdb --analyze-only) so queries during the move get good plans.",
    );
    match client.query(
        "SELECT s.schemaname::text, s.relname::text, greatest(s.last_analyze, s.last_autoanalyze)::text,
                floor(extract(epoch FROM now() - greatest(s.last_analyze, s.last_autoanalyze)) / 86400)::int8
           FROM pg_stat_all_tables s JOIN pg_class c ON c.oid = s.relid
          WHERE c.relkind IN ('r', 'p') AND s.schemaname NOT IN ('pg_catalog', 'information_schema')
            AND s.schemaname NOT LIKE 'pg\\_toast%'
          ORDER BY 1, 2",
        &[],
    ) {
        Ok(rows) => {
            for row in rows {
                let owner: String = row.get(0);
                let age: Option<i64> = row.get(3);
                if in_scope(&owner, opts) && age.is_none_or(|a| a > i64::from(opts.stats_age_days)) {
                    let name: String = row.get(1);
                    s.rows.push(vec![
                        format!("{owner}.{name}"),
                        row.get::<_, Option<String>>(2).unwrap_or_else(|| "never".into()),
                        age.map(|a| a.to_string()).unwrap_or_default(),
                    ]);
                }
            }
        }
        Err(e) => r.not_checked.push(db_err("statistics (pg_stat_all_tables)", &e)),
    }
    r.sections.push(s);
    Ok(r)
}

/// btree indexes on character columns whose entries would pass [`BTREE_ENTRY_LIMIT`] after
/// conversion to UTF-8, counted on the server.
fn btree_entries<'a>(
    src: &PgSource,
    client: &mut Client,
    opts: &ObjectsOptions,
    not_checked: &mut Vec<String>,
    table_of: &dyn Fn(&str, &str) -> Option<&'a Table>,
) -> Section {
    let cat = src.catalog();
    let mut s = Section::new(
        "btree_entry_limit",
        "btree index entries over 2704 bytes after conversion",
        Severity::Problem,
        &[
            "index",
            "table",
            "columns",
            "entries_over_limit",
            "max_entry_bytes",
        ],
        "Once converted to UTF-8 these rows may not fit the index (\"index row size exceeds btree \
         maximum\"): sizes are counted uncompressed, and PostgreSQL compresses large entries, so \
         values that compress well may still fit. Shorten the values, or index an expression such \
         as md5(col), or use a hash index. char(n) entries include their blank padding.",
    );
    let encoding = src.encoding.to_ascii_uppercase();
    for i in cat
        .indexes
        .iter()
        .filter(|i| i.index_type == "btree" && in_scope(&i.owner, opts))
    {
        let Some(t) = table_of(&i.table_owner, &i.table) else {
            continue;
        };
        let mut terms = Vec::new();
        for key in &i.columns {
            let Some(col) = t
                .columns
                .iter()
                .find(|c| &c.name == key || quote_ident(&c.name) == *key)
            else {
                continue;
            };
            let q = quote_ident(&col.name);
            let converted = if encoding == "UTF8" || encoding == "SQL_ASCII" {
                format!("octet_length({q}::text)")
            } else {
                format!("octet_length(convert_to({q}::text, 'UTF8'))")
            };
            match col.kind(Dialect::Postgres) {
                ColumnKind::Char => {
                    let pad = col
                        .char_length
                        .map_or(String::new(), |n| format!(" + ({n} - char_length({q}))"));
                    terms.push(format!("coalesce({converted}{pad}, 0)"));
                }
                ColumnKind::Varchar => terms.push(format!("coalesce({converted}, 0)")),
                _ => {}
            }
        }
        if terms.is_empty() {
            continue;
        }
        let size = terms.join(" + ");
        let sql = format!(
            "SELECT count(*) FILTER (WHERE e > {BTREE_ENTRY_LIMIT}), max(e)::int8 FROM (SELECT {size} AS e FROM ONLY {}) x",
            qualified(t)
        );
        let name = format!("{}.{}", i.owner, i.name);
        match client.query_one(sql.as_str(), &[]) {
            Ok(row) => {
                let over: i64 = row.get(0);
                if over > 0 {
                    let max: Option<i64> = row.get(1);
                    s.rows.push(vec![
                        name,
                        t.qualified(),
                        i.columns.join(", "),
                        over.to_string(),
                        max.map(|m| m.to_string()).unwrap_or_default(),
                    ]);
                }
            }
            Err(e) => not_checked.push(format!(
                "btree entry sizes of {} (values that do not convert to UTF-8 are reported by charmig scan)",
                db_err(&name, &e)
            )),
        }
    }
    s
}
