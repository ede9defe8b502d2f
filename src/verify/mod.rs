//! `charmig verify`: proves the target holds the source, without trusting the copy.
//!
//! - [`data`]: row counts and an order-independent checksum per table, computed by charmig on
//!   both sides from what each server stores (the source decoded per column the way the scan
//!   decided, [`decode`]); [`rows`] names the rows that differ (`--rows`).
//! - [`sanity`]: the target's character columns checked for double-encoded text and U+FFFD.
//! - [`report`]: `summary.txt`, `differences.csv`, `verify.json` and `fix.sql`.
//!
//! Everything found is a [`Difference`]; a verify that finds none ends its summary with
//! "migration verified" (exit 0), else exit 1; a table that could not be read is an error
//! (exit 2) and the summary says the migration is not verified.

pub mod data;
pub mod decode;
pub mod oracle_data;
pub mod oracle_schema;
pub mod oracle_schema_diff;
mod oracle_schema_objects;
pub mod oracle_sql;
pub mod report;
pub mod rows;
pub mod sanity;
mod schema_acl;
pub mod schema_diff;
mod schema_objects;
#[cfg(test)]
mod schema_tests;
mod schema_types;

use crate::catalog::{Catalog, ColumnKind, ConstraintKind, Table};
use crate::charset::Dialect;
use crate::own;
use crate::scan::result::ScanResult;
use crate::source::Source;
use crate::source::postgres::PgSource;
use crate::source::postgres::canon::Canon;
use data::{SideSum, TableJob};
use serde::Serialize;

/// Version tag of `verify.json`.
pub const VERIFY_FORMAT: &str = "charmig-verify/1";

/// What the run compares.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Only these schemas of the source (all user schemas when empty).
    pub schemas: Vec<String>,
    /// List the keys of differing rows.
    pub rows: bool,
    /// At most this many rows listed per table.
    pub max_rows: usize,
    /// Parallel readers.
    pub jobs: usize,
    /// The scan that decided how each column reads.
    pub scan: Option<ScanResult>,
    /// Leave owners out of the comparison (`--no-owner`).
    pub no_owner: bool,
}

/// One thing that differs, in the DBA's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// `schema`, `data` or `text`.
    pub area: &'static str,
    /// `table`, `column`, `index`, `constraint`, `trigger`, `sequence`, `view`, `row` …
    pub object_type: &'static str,
    pub schema: String,
    /// The object (a table, `table.column`, an index …).
    pub object: String,
    /// What differs: `missing on target`, `row count`, `checksum`, `type` …
    pub property: String,
    pub source: String,
    pub target: String,
    pub detail: String,
}

/// One table's data comparison.
#[derive(Debug, Clone, Serialize)]
pub struct TableReport {
    pub schema: String,
    pub table: String,
    /// The columns identifying a row (empty: the whole row).
    pub key: Vec<String>,
    pub source_rows: Option<u64>,
    pub target_rows: Option<u64>,
    pub source_checksum: Option<String>,
    pub target_checksum: Option<String>,
    pub equal: bool,
    pub rows: Vec<rows::RowDiff>,
    pub error: Option<String>,
}

/// Text sanity of one character column (counts of values).
#[derive(Debug, Clone, Serialize)]
pub struct ColumnText {
    pub schema: String,
    pub table: String,
    pub column: String,
    pub target_double_encoded: u64,
    pub target_replacement: u64,
    pub source_double_encoded: u64,
    pub source_replacement: u64,
    /// Source cells with bytes that have no meaning in the column's charset.
    pub source_undecodable: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub format: String,
    pub charmig_version: String,
    pub source: String,
    pub target: String,
    pub started_at: String,
    pub finished_at: String,
    pub tables: Vec<TableReport>,
    pub text: Vec<ColumnText>,
    pub differences: Vec<Difference>,
    pub notes: Vec<String>,
    pub errors: Vec<String>,
}

impl VerifyReport {
    pub fn verified(&self) -> bool {
        self.differences.is_empty() && self.errors.is_empty()
    }
    /// 0 equal, 1 something differs, 2 something could not be compared.
    pub fn exit_code(&self) -> i32 {
        if !self.errors.is_empty() {
            2
        } else if !self.differences.is_empty() {
            1
        } else {
            0
        }
    }
}

/// True for the source tables a run compares.
pub fn in_scope(t: &Table, schemas: &[String]) -> bool {
    !own::is_own_table(&t.owner, &t.name) && (schemas.is_empty() || schemas.contains(&t.owner))
}

/// The columns identifying a row: the primary key, else a unique key of NOT NULL columns.
pub fn row_key(cat: &Catalog, t: &Table) -> Option<Vec<String>> {
    let of = |k: ConstraintKind| {
        cat.constraints
            .iter()
            .filter(move |c| c.owner == t.owner && c.table == t.name && c.kind == k)
            .filter(|c| !c.columns.is_empty())
    };
    of(ConstraintKind::Primary)
        .next()
        .or_else(|| {
            of(ConstraintKind::Unique).find(|c| {
                c.columns
                    .iter()
                    .all(|n| t.columns.iter().any(|col| &col.name == n && !col.nullable))
            })
        })
        .map(|c| c.columns.clone())
}

/// The comparison of every table present on both sides.
pub fn table_jobs(
    source: &Catalog,
    target: &Catalog,
    opts: &VerifyOptions,
    notes: &mut Vec<String>,
) -> Result<Vec<TableJob>, String> {
    table_jobs_in(Dialect::Postgres, source, target, opts, &|_| true, notes)
}

/// [`table_jobs`] for two databases of `dialect`, comparing the columns `compared` accepts.
pub fn table_jobs_in(
    dialect: Dialect,
    source: &Catalog,
    target: &Catalog,
    opts: &VerifyOptions,
    compared: &dyn Fn(&crate::catalog::Column) -> bool,
    notes: &mut Vec<String>,
) -> Result<Vec<TableJob>, String> {
    let mut jobs = Vec::new();
    for (si, t) in source.tables.iter().enumerate() {
        if !in_scope(t, &opts.schemas) {
            continue;
        }
        let Some(ti) = target
            .tables
            .iter()
            .position(|x| x.owner == t.owner && x.name == t.name)
        else {
            continue; // reported by the schema comparison
        };
        let tt = &target.tables[ti];
        let columns: Vec<String> = t
            .columns
            .iter()
            .filter(|c| tt.columns.iter().any(|x| x.name == c.name))
            .filter(|c| compared(c))
            .map(|c| c.name.clone())
            .collect();
        let readings = decode::readings_in(
            dialect,
            t,
            &source.source.charset,
            &columns,
            opts.scan.as_ref(),
            notes,
        )?;
        let key = row_key(source, t).and_then(|k| {
            k.iter()
                .map(|n| columns.iter().position(|c| c == n))
                .collect::<Option<Vec<usize>>>()
        });
        let text = columns
            .iter()
            .map(|n| {
                tt.columns.iter().any(|c| {
                    &c.name == n
                        && matches!(
                            c.kind(dialect),
                            ColumnKind::Varchar
                                | ColumnKind::Char
                                | ColumnKind::Clob
                                | ColumnKind::Long
                                | ColumnKind::National
                        )
                })
            })
            .collect();
        // Values printed otherwise for the same content (char(n) pad spaces, jsonb and hstore
        // key order), compared in their canonical text on both sides; the target's type
        // decides (it pads, it orders). Oracle's CHAR values are trimmed as they are read.
        let canon = columns
            .iter()
            .map(
                |n| match (dialect, tt.columns.iter().find(|c| &c.name == n)) {
                    (Dialect::Postgres, Some(c)) => Canon::of_type(&c.data_type),
                    _ => Canon::PLAIN,
                },
            )
            .collect();
        jobs.push(TableJob {
            schema: t.owner.clone(),
            name: t.name.clone(),
            source_index: si,
            target_index: ti,
            columns,
            readings,
            key,
            text,
            canon,
        });
    }
    Ok(jobs)
}

/// Compares the two schemas; adds the differences to `report` and returns the fixes.
pub fn compare_schema(
    source: &crate::schema::model::SchemaModel,
    target: &crate::schema::model::SchemaModel,
    opts: &VerifyOptions,
    report: &mut VerifyReport,
) -> schema_diff::SchemaDiff {
    let mut d = schema_diff::compare(source, target, &opts.schemas);
    if !opts.no_owner {
        schema_acl::owners(source, target, &opts.schemas, &mut d);
        d.fixes.sort_by_key(|f| f.phase);
    }
    report.differences.append(&mut d.differences);
    d
}

/// Compares the data of every table and the target's text; fills `report`.
pub fn compare_data(
    source: &PgSource,
    target: &PgSource,
    opts: &VerifyOptions,
    report: &mut VerifyReport,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), String> {
    let mut jobs = table_jobs(source.catalog(), target.catalog(), opts, &mut report.notes)?;
    // The target's types resolved through every domain and array (an array of a domain over
    // char(n) compares without pad spaces, as copy --verify does).
    for job in &mut jobs {
        let resolved = target
            .canon_columns(job.target_index)
            .map_err(|e| e.to_string())?;
        job.canon = job
            .columns
            .iter()
            .map(|c| {
                resolved
                    .iter()
                    .find(|(n, _)| n == c)
                    .map_or(Canon::PLAIN, |(_, k)| *k)
            })
            .collect();
    }
    compare_jobs(source, target, &jobs, opts, report, progress);
    Ok(())
}

/// Compares the data of the given tables and the target's text; fills `report`.
pub fn compare_jobs(
    source: &dyn data::VerifyDb,
    target: &dyn data::VerifyDb,
    jobs: &[TableJob],
    opts: &VerifyOptions,
    report: &mut VerifyReport,
    progress: &(dyn Fn(u64) + Sync),
) {
    let sums = data::checksum_tables(source, target, jobs, opts.jobs, opts.rows, progress);
    for (job, result) in jobs.iter().zip(sums) {
        let mut t = TableReport {
            schema: job.schema.clone(),
            table: job.name.clone(),
            key: job
                .key
                .iter()
                .flatten()
                .map(|&i| job.columns[i].clone())
                .collect(),
            source_rows: None,
            target_rows: None,
            source_checksum: None,
            target_checksum: None,
            equal: false,
            rows: Vec::new(),
            error: None,
        };
        match result {
            Err(e) => {
                report.errors.push(format!(
                    "{}: {e}",
                    crate::report::term::escape(&job.qualified())
                ));
                t.error = Some(e);
            }
            Ok((s, g)) => {
                t.source_rows = Some(s.rows);
                t.target_rows = Some(g.rows);
                t.source_checksum = Some(s.checksum());
                t.target_checksum = Some(g.checksum());
                t.equal = s.same_content(&g);
                data_differences(job, &s, &g, report);
                if !t.equal && opts.rows {
                    match rows::differing_rows(source, target, job, &s, &g, opts.max_rows) {
                        Ok(r) => t.rows = r,
                        Err(e) => report.errors.push(format!(
                            "{}: listing the differing rows: {e}",
                            crate::report::term::escape(&job.qualified())
                        )),
                    }
                    for r in &t.rows {
                        report.differences.push(Difference {
                            area: "data",
                            object_type: "row",
                            schema: job.schema.clone(),
                            object: job.name.clone(),
                            property: r.kind.as_str().into(),
                            source: String::new(),
                            target: String::new(),
                            detail: format!(
                                "{}{}{}",
                                r.key,
                                if r.columns.is_empty() {
                                    String::new()
                                } else {
                                    format!(" (columns {})", r.columns.join(", "))
                                },
                                if r.count > 1 {
                                    format!(" x{}", r.count)
                                } else {
                                    String::new()
                                }
                            ),
                        });
                    }
                }
            }
        }
        report.tables.push(t);
    }
}

/// Differences of one table's sums: counts, checksum, undecodable and suspicious text.
fn data_differences(job: &TableJob, s: &SideSum, g: &SideSum, report: &mut VerifyReport) {
    let diff = |object_type,
                object: String,
                property: &str,
                source: String,
                target: String,
                detail: String| Difference {
        area: if object_type == "column" {
            "text"
        } else {
            "data"
        },
        object_type,
        schema: job.schema.clone(),
        object,
        property: property.into(),
        source,
        target,
        detail,
    };
    if s.rows != g.rows {
        report.differences.push(diff(
            "table",
            job.name.clone(),
            "row count",
            s.rows.to_string(),
            g.rows.to_string(),
            String::new(),
        ));
    }
    if !s.same_content(g) {
        report.differences.push(diff(
            "table",
            job.name.clone(),
            "checksum",
            s.checksum(),
            g.checksum(),
            if job.key.is_some() {
                "rows differ: run with --rows to list their keys".into()
            } else {
                "rows differ (no key: --rows lists whole rows)".into()
            },
        ));
    }
    for (i, col) in job.columns.iter().enumerate() {
        let at = |v: &Vec<u64>| v.get(i).copied().unwrap_or(0);
        let object = format!("{}.{col}", job.name);
        if at(&s.undecodable) > 0 {
            report.differences.push(diff(
                "column",
                object.clone(),
                "undecodable source cells",
                at(&s.undecodable).to_string(),
                String::new(),
                "source bytes with no meaning in the column's charset (compared as U+FFFD): repair them \
                 (charmig repair) or assume the column's real charset in the scan"
                    .into(),
            ));
        }
        if at(&g.undecodable) > 0 {
            // Only an Oracle target can store bytes that are not valid in its charset.
            report.differences.push(diff(
                "column",
                object.clone(),
                "invalid target cells",
                String::new(),
                at(&g.undecodable).to_string(),
                "target values whose bytes are not valid in the target's charset (compared as U+FFFD)".into(),
            ));
        }
        if job.text.get(i) == Some(&true) {
            let (td, sd) = (at(&g.double_encoded), at(&s.double_encoded));
            let (tr, sr) = (at(&g.replacement), at(&s.replacement));
            if td > sd {
                report.differences.push(diff("column", object.clone(), "double-encoded values", sd.to_string(), td.to_string(),
                    "target values holding UTF-8 read as Latin-1/windows-1252 and encoded again (e.g. Ã©)".into()));
            }
            if tr > sr {
                report.differences.push(diff(
                    "column",
                    object.clone(),
                    "U+FFFD values",
                    sr.to_string(),
                    tr.to_string(),
                    "target values holding U+FFFD (a character lost on the way)".into(),
                ));
            }
            if td + tr + sd + sr + at(&s.undecodable) > 0 {
                report.text.push(ColumnText {
                    schema: job.schema.clone(),
                    table: job.name.clone(),
                    column: col.clone(),
                    target_double_encoded: td,
                    target_replacement: tr,
                    source_double_encoded: sd,
                    source_replacement: sr,
                    source_undecodable: at(&s.undecodable),
                });
            }
        }
    }
}
