//! `charmig truncate` and `charmig repair`.

use super::args::{CleanArgs, RepairArgs, TruncateArgs};
use crate::charset::Category;
use crate::charset::{Dialect, resolve};
use crate::clean::changes::{self, Change, Left, Where};
use crate::clean::oracle_script::{self, Audit};
use crate::clean::repair::Mode;
use crate::report::term::escape;
use crate::scan::{Exception, ScanResult};
use anyhow::{Context, Result, anyhow, bail};
use std::io::Write;

fn run_id() -> String {
    format!(
        "charmig-{}",
        crate::scan::time::now().replace([':', '-'], "")
    )
}

/// Text from the database (names, values, keys) with control characters escaped, so nothing
/// read from data can move the cursor or retitle the terminal.
fn safe(s: &str) -> String {
    escape(s).into_owned()
}

/// `n cell` / `n cells`.
fn cells(n: u64) -> String {
    if n == 1 {
        "1 cell".into()
    } else {
        format!("{n} cells")
    }
}

/// The audit schema: `--audit-schema`, else charmig's own schema of the dialect.
fn audit_schema(a: &CleanArgs, dialect: Dialect) -> String {
    a.audit_schema
        .clone()
        .unwrap_or_else(|| crate::own::schema(dialect).to_string())
}

fn print_left(left: &[Left], w: &mut dyn Write) -> std::io::Result<()> {
    for l in left {
        writeln!(
            w,
            "left alone: {} {}: {}",
            safe(&l.object),
            safe(&l.row_id),
            safe(&l.reason)
        )?;
    }
    Ok(())
}

/// Exit code of a run: 1 when cells were left alone (they are listed), else 0.
fn code(left: &[Left]) -> i32 {
    i32::from(!left.is_empty())
}

/// A fresh scan of the chosen tables of `--snapshot DIR` (offline: scripts and dry runs only),
/// for the cells `--limit-bytes` and `--mode undouble` find by reading the tables again; the
/// script it leads to is keyed by the snapshot's ROWIDs and checks each cell's bytes.
fn rescan_snapshot(
    a: &CleanArgs,
    dir: &std::path::Path,
    opts: &crate::scan::ScanOptions,
) -> Result<ScanResult> {
    if a.apply {
        bail!(
            "--snapshot makes the clean-up offline: write a script with --script FILE (or look with --dry-run); --apply needs --db URL"
        );
    }
    let src = crate::source::snapshot::SnapshotSource::open(dir)?;
    Ok(crate::scan::run(&src, opts, &crate::scan::NoProgress)?)
}

/// `--restore`: originals back from the audit table.
fn restore(a: &CleanArgs, audit: Audit) -> Result<i32> {
    if a.conn.db.is_none() {
        bail!("--restore needs --db URL: it reads the audit table");
    }
    let src = crate::source::db::open(&super::connect_options(&a.conn, 1))?;
    let schema = audit_schema(a, src.catalog().source.dialect);
    let r = src.clean_restore(&schema, audit, &a.table)?;
    print_left(&r.left, &mut std::io::stderr())?;
    for n in &r.notes {
        eprintln!("note: {}", safe(n));
    }
    eprintln!(
        "restored {} from {}{}",
        cells(r.cells),
        crate::clean::pg_apply::audit_shown(&schema, audit),
        if r.left.is_empty() {
            String::new()
        } else {
            format!(
                "; {} not restored (listed above)",
                cells(r.left.len() as u64)
            )
        }
    );
    Ok(code(&r.left))
}

fn show_change(c: &Change, key: &str, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        w,
        "{} {}: {} ({} -> {} bytes)",
        safe(&crate::clean::pg_sql::shown_path(&[
            &c.owner, &c.table, &c.column
        ])),
        safe(key),
        safe(&c.detail),
        c.original.len(),
        c.new.len()
    )
}

/// Which cells a run changes.
enum Work<'s> {
    /// Cells of a scan: which exceptions, and how a batch of them becomes changes.
    Scan {
        scan: &'s ScanResult,
        wanted: Box<dyn Fn(&Exception) -> bool + 's>,
        make: Box<MakeFn<'s>>,
    },
    /// `truncate --limit-bytes N` on PostgreSQL: the cells are found and cut table by table.
    Cut { tables: Vec<String>, limit: usize },
}

type MakeFn<'s> = dyn Fn(&[&Exception]) -> Result<(Vec<Change>, Vec<Left>), String> + 's;

impl Work<'_> {
    fn dialect(&self) -> Dialect {
        match self {
            Work::Scan { scan, .. } => scan.source.dialect,
            Work::Cut { .. } => Dialect::Postgres,
        }
    }

    /// Every change at once (scripts, and dry runs without a database).
    fn all(&self) -> Result<(Vec<Change>, Vec<Left>)> {
        match self {
            Work::Scan { scan, wanted, make } => {
                let excs: Vec<&Exception> = scan.exceptions.iter().filter(|e| wanted(e)).collect();
                make(&excs).map_err(|e| anyhow!(e))
            }
            Work::Cut { .. } => {
                bail!("--limit-bytes on PostgreSQL: use --dry-run or --apply with --db")
            }
        }
    }
}

/// Runs `$body` with `$c` the connection, inside a transaction rolled back when `$dry`.
macro_rules! maybe_dry {
    ($client:expr, $dry:expr, |$c:ident| $body:expr) => {{
        if $dry {
            let mut tx = $client
                .transaction()
                .map_err(crate::clean::pg_apply::db_err)?;
            let r = {
                let $c = &mut tx;
                $body
            };
            tx.rollback().map_err(crate::clean::pg_apply::db_err)?;
            r
        } else {
            let $c = $client;
            $body
        }
    }};
}

fn finish(a: &CleanArgs, audit: Audit, work: Work) -> Result<i32> {
    let dialect = work.dialect();
    let schema = audit_schema(a, dialect);
    match (&a.script, a.dry_run, a.apply) {
        (Some(path), false, false) => {
            if dialect != Dialect::Oracle {
                bail!(
                    "--script writes SQL*Plus scripts for Oracle; for PostgreSQL use --apply (or --dry-run to look first)"
                );
            }
            let (changes, left) = work.all()?;
            for c in &changes {
                for n in [&c.owner, &c.table, &c.column, &schema] {
                    crate::dialect::oracle::script_ident(n)
                        .map_err(|e| anyhow!("{e} (in scan.json)"))?;
                }
            }
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(path)
                    .with_context(|| format!("creating {}", path.display()))?,
            );
            oracle_script::write_script(&changes, &schema, audit, &run_id(), &mut f)?;
            f.flush()?;
            print_left(&left, &mut std::io::stderr())?;
            eprintln!(
                "{} scripted to {} ({} left alone)",
                cells(changes.len() as u64),
                path.display(),
                left.len()
            );
            Ok(code(&left))
        }
        (None, true, false) if a.conn.db.is_none() => {
            // No database to check against: the scan's view only.
            let (changes, left) = work.all()?;
            let mut out = std::io::stdout().lock();
            for c in &changes {
                show_change(c, &c.row_id, &mut out)?;
            }
            print_left(&left, &mut out)?;
            writeln!(
                out,
                "{} to change, {} left alone (from the scan only: give --db URL to check each cell against the database as --apply will)",
                cells(changes.len() as u64),
                left.len()
            )?;
            Ok(code(&left))
        }
        (None, dry_run, apply) if dry_run != apply => {
            if a.conn.db.is_none() {
                bail!("--apply needs --db URL");
            }
            let src = crate::source::db::open(&super::connect_options(&a.conn, 1))?;
            if src.catalog().source.dialect != dialect {
                bail!(
                    "scan.json is from a {} database but --db is {}",
                    dialect.as_str(),
                    src.catalog().source.dialect.as_str()
                );
            }
            let mut out = std::io::stdout().lock();
            let mut each = |c: &Change, key: &str| {
                if dry_run {
                    let _ = show_change(c, key, &mut out);
                }
            };
            let run = run_id();
            let done = src.pg_clean(&mut |client, catalog| match &work {
                Work::Scan { scan, wanted, make } => maybe_dry!(client, dry_run, |c| {
                    crate::clean::pg_stream::apply_scan(
                        c, catalog, scan, wanted, make, &schema, audit, &run, &mut each,
                    )
                }),
                Work::Cut { tables, limit } => maybe_dry!(client, dry_run, |c| {
                    crate::clean::pg_stream::truncate(
                        c, catalog, tables, *limit, &schema, &run, &mut each,
                    )
                }),
            })?;
            let skipped = done.left;
            if dry_run {
                print_left(&skipped, &mut out)?;
                writeln!(
                    out,
                    "{} to change, {} left alone (checked against the database; nothing changed)",
                    cells(done.changed),
                    skipped.len()
                )?;
            } else {
                print_left(&skipped, &mut std::io::stderr())?;
                eprintln!(
                    "changed {} ({} left alone); originals in {}",
                    cells(done.changed),
                    skipped.len(),
                    crate::clean::pg_apply::audit_shown(&schema, audit)
                );
            }
            Ok(code(&skipped))
        }
        _ => bail!("choose one of --dry-run, --script FILE or --apply"),
    }
}

pub fn truncate(a: TruncateArgs) -> Result<i32> {
    if a.clean.restore {
        return restore(&a.clean, Audit::Truncated);
    }
    let tables = a.clean.table.clone();
    let scan = match (&a.clean.scan, a.limit_bytes) {
        (Some(path), None) => crate::clean::scan_file::read(path).map_err(|e| anyhow!(e))?,
        (_, Some(n)) => {
            // A byte limit of the user's: find the cells over it again in the chosen tables
            // (the scan.json, if given, was made against other limits).
            if a.clean.conn.db.is_none() && a.clean.snapshot.is_none() {
                bail!(
                    "--limit-bytes needs --db URL, or --snapshot DIR to work offline with --script FILE: the cells over the limit are found by reading the tables again"
                );
            }
            if a.clean.table.is_empty() {
                bail!("--limit-bytes needs --table T (the tables whose columns get the limit)");
            }
            // The scan's readings, the whole database's and each column's (`--assume-column`):
            // a cut measures and ends the value as the copy will read it.
            let (assume, assume_columns) = match &a.clean.scan {
                Some(p) => {
                    let params = crate::clean::scan_file::read(p)
                        .map_err(|e| anyhow!(e))?
                        .parameters;
                    let columns: Vec<(String, crate::scan::Assume)> = params
                        .assume_columns
                        .iter()
                        .filter_map(|kv| kv.rsplit_once('='))
                        .map(|(k, v)| (k.to_string(), crate::scan::Assume::parse(v)))
                        .collect();
                    (
                        params.assume.map(|s| crate::scan::Assume::parse(&s)),
                        columns,
                    )
                }
                None => (None, Vec::new()),
            };
            if let Some(dir) = &a.clean.snapshot {
                let opts = crate::scan::ScanOptions {
                    tables: a.clean.table.clone(),
                    max_exceptions: usize::MAX / 4,
                    limit_override: Some(n),
                    assume: assume.clone(),
                    assume_columns: assume_columns.clone(),
                    ..crate::scan::ScanOptions::default()
                };
                rescan_snapshot(&a.clean, dir, &opts)?
            } else {
                let src = crate::source::db::open(&super::connect_options(&a.clean.conn, 1))?;
                check_tables(&tables, src.catalog())?;
                if src.catalog().source.dialect == Dialect::Postgres
                    && assume.is_none()
                    && assume_columns.is_empty()
                    && a.clean.script.is_none()
                {
                    drop(src);
                    return finish(&a.clean, Audit::Truncated, Work::Cut { tables, limit: n });
                }
                let opts = crate::scan::ScanOptions {
                    tables: a.clean.table.clone(),
                    max_exceptions: usize::MAX / 4,
                    limit_override: Some(n),
                    assume: assume.clone(),
                    assume_columns: assume_columns.clone(),
                    ..crate::scan::ScanOptions::default()
                };
                crate::scan::run(src.as_ref(), &opts, &crate::scan::NoProgress)?
            }
        }
        (None, None) => bail!(
            "truncate needs --scan scan.json (or --db URL or --snapshot DIR with --limit-bytes N)"
        ),
    };
    changes::check_complete(&scan, Category::Truncation, &tables).map_err(|e| anyhow!(e))?;
    let limit = a.limit_bytes;
    let (s, t) = (&scan, tables.clone());
    finish(
        &a.clean,
        Audit::Truncated,
        Work::Scan {
            scan: s,
            wanted: Box::new(move |e| {
                e.category == Category::Truncation && changes::in_scope(e, &t)
            }),
            make: Box::new(move |excs| changes::truncations_of(s, excs, limit)),
        },
    )
}

pub fn repair(a: RepairArgs) -> Result<i32> {
    if a.clean.restore {
        return restore(&a.clean, Audit::Repaired);
    }
    let path = a
        .clean
        .scan
        .as_ref()
        .ok_or_else(|| anyhow!("repair needs --scan scan.json"))?;
    let scan = crate::clean::scan_file::read(path).map_err(|e| anyhow!(e))?;
    let mode = match a.mode.to_ascii_lowercase().as_str() {
        "cp1252" => Mode::Cp1252,
        "undouble" => Mode::Undouble,
        m if m.starts_with("assume=") => {
            let name = &a.mode[7..];
            let cs = resolve(name, scan.source.dialect).ok_or_else(|| {
                anyhow!(
                    "--mode {}: charset {name} is not supported (see `charmig charsets`)",
                    a.mode
                )
            })?;
            Mode::Assume(cs)
        }
        _ => bail!("--mode {}: use cp1252, assume=CHARSET or undouble", a.mode),
    };
    let place = match a.r#where.as_str() {
        "source" => Where::Source,
        "target" => Where::Target,
        other => bail!("--where {other}: use source or target"),
    };
    let tables = a.clean.table.clone();
    if matches!(mode, Mode::Undouble) {
        let live;
        let scan = if place == Where::Target {
            // The target cannot be rescanned for the source's pass-through cells: scan.json
            // lists them.
            changes::check_passthrough_complete(&scan, &tables).map_err(|e| anyhow!(e))?;
            &scan
        } else {
            // Find them with a fresh scan of the chosen tables that lists every flagged cell.
            if a.clean.conn.db.is_none() && a.clean.snapshot.is_none() {
                bail!(
                    "--mode undouble needs --db URL, or --snapshot DIR to work offline with --script FILE: the double-encoded cells are found by scanning again"
                );
            }
            let opts = crate::scan::ScanOptions {
                tables: a.clean.table.clone(),
                max_exceptions: usize::MAX / 4,
                capture_flags: crate::charset::Flags::UTF8_PASSTHROUGH,
                assume: scan
                    .parameters
                    .assume
                    .as_deref()
                    .map(crate::scan::Assume::parse),
                ..crate::scan::ScanOptions::default()
            };
            live = match &a.clean.snapshot {
                Some(dir) => rescan_snapshot(&a.clean, dir, &opts)?,
                None => {
                    let src = crate::source::db::open(&super::connect_options(&a.clean.conn, 1))?;
                    crate::scan::run(src.as_ref(), &opts, &crate::scan::NoProgress)?
                }
            };
            &live
        };
        let t = tables.clone();
        return finish(
            &a.clean,
            Audit::Repaired,
            Work::Scan {
                scan,
                wanted: Box::new(move |e| changes::passthrough(e) && changes::in_scope(e, &t)),
                make: Box::new(move |excs| changes::undoubles_of(scan, excs, place)),
            },
        );
    }
    changes::check_complete(&scan, Category::Lossy, &tables).map_err(|e| anyhow!(e))?;
    let s = &scan;
    finish(
        &a.clean,
        Audit::Repaired,
        Work::Scan {
            scan: s,
            wanted: Box::new(move |e| {
                e.category == Category::Lossy && changes::in_scope(e, &tables)
            }),
            make: Box::new(move |excs| changes::repairs_of(s, excs, mode, place)),
        },
    )
}

/// Refuses a `--table` that names no table of the database (a partitioned table is named by
/// its partitions): a clean-up of nothing must not pass for one that found nothing to do.
fn check_tables(patterns: &[String], catalog: &crate::catalog::Catalog) -> Result<()> {
    for p in patterns {
        if !catalog
            .tables
            .iter()
            .any(|t| crate::scan::filter::names_table(p, &t.owner, &t.name))
        {
            bail!(
                "--table {}: no such table (a partitioned table is named by its partitions, e.g. {}_2024)",
                safe(p),
                safe(p)
            );
        }
    }
    Ok(())
}
