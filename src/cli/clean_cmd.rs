//! `charmig truncate` and `charmig repair`.

use super::args::{CleanArgs, RepairArgs, TruncateArgs};
use crate::charset::{Dialect, resolve};
use crate::clean::changes::{self, Change, Left, Where};
use crate::clean::oracle_script::{self, Audit};
use crate::clean::repair::Mode;
use crate::report::term::escape;
use crate::scan::ScanResult;
use anyhow::{Context, Result, anyhow, bail};
use std::io::Write;

fn run_id() -> String {
    format!(
        "charmig-{}",
        crate::scan::time::now().replace([':', '-'], "")
    )
}

/// Text from the database (names, values, keys) with control characters escaped
/// (`report::term`), so nothing read from data can move the cursor or retitle the terminal.
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

/// A fresh scan of the chosen tables, of `--snapshot DIR` (offline; scripts only) or of
/// `--db URL`; `why` says what the scan finds, for the error without either.
fn rescan(a: &CleanArgs, opts: &crate::scan::ScanOptions, why: &str) -> Result<ScanResult> {
    if let Some(dir) = &a.snapshot {
        if a.apply {
            bail!(
                "--snapshot makes the clean-up offline: write a script with --script FILE (or look with --dry-run); --apply needs --db URL"
            );
        }
        let src = crate::source::snapshot::SnapshotSource::open(dir)?;
        return Ok(crate::scan::run(&src, opts, &crate::scan::NoProgress)?);
    }
    if a.conn.db.is_none() {
        bail!("{why}: give --db URL, or --snapshot DIR to work offline with --script FILE");
    }
    let src = crate::source::db::open(&super::connect_options(&a.conn, 1))?;
    Ok(crate::scan::run(
        src.as_ref(),
        opts,
        &crate::scan::NoProgress,
    )?)
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

fn finish(
    a: &CleanArgs,
    audit: Audit,
    changes: Vec<Change>,
    left: Vec<Left>,
    dialect: Dialect,
) -> Result<i32> {
    let schema = audit_schema(a, dialect);
    match (&a.script, a.dry_run, a.apply) {
        (Some(path), false, false) => {
            if dialect != Dialect::Oracle {
                bail!(
                    "--script writes SQL*Plus scripts for Oracle; for PostgreSQL use --apply (or --dry-run to look first)"
                );
            }
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
            let done = src.clean_apply(&changes, &schema, audit, &run_id(), dry_run, &mut each)?;
            let mut skipped = left;
            skipped.extend(done.left);
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
    let scan = match (&a.clean.scan, a.limit_bytes) {
        (Some(path), None) => crate::report::read_scan_json(path).map_err(|e| anyhow!(e))?,
        (_, Some(n)) => {
            // A byte limit of the user's: find the cells over it with a fresh scan of the
            // chosen tables (the scan.json, if given, was made against other limits).
            if a.clean.table.is_empty() {
                bail!("--limit-bytes needs --table T (the tables whose columns get the limit)");
            }
            let assume = match &a.clean.scan {
                Some(p) => crate::report::read_scan_json(p)
                    .map_err(|e| anyhow!(e))?
                    .parameters
                    .assume
                    .map(|s| crate::scan::Assume::parse(&s)),
                None => None,
            };
            let opts = crate::scan::ScanOptions {
                tables: a.clean.table.clone(),
                max_exceptions: usize::MAX / 4,
                limit_override: Some(n),
                assume,
                ..crate::scan::ScanOptions::default()
            };
            rescan(
                &a.clean,
                &opts,
                "--limit-bytes finds the cells over the limit by scanning the tables again",
            )?
        }
        (None, None) => bail!(
            "truncate needs --scan scan.json (or --db URL or --snapshot DIR with --limit-bytes N)"
        ),
    };
    let (ch, left) =
        changes::truncations(&scan, &a.clean.table, a.limit_bytes).map_err(|e| anyhow!(e))?;
    finish(&a.clean, Audit::Truncated, ch, left, scan.source.dialect)
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
    let scan = crate::report::read_scan_json(path).map_err(|e| anyhow!(e))?;
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
    if matches!(mode, Mode::Undouble) && a.r#where == "target" {
        // The target cannot be rescanned for the source's pass-through cells: scan.json lists them.
        let (ch, left) =
            changes::undoubles(&scan, &a.clean.table, Where::Target).map_err(|e| anyhow!(e))?;
        return finish(&a.clean, Audit::Repaired, ch, left, scan.source.dialect);
    }
    if matches!(mode, Mode::Undouble) {
        // Pass-through cells are mostly convertible, so scan.json does not list them: find them
        // with a fresh scan of the chosen tables that lists every flagged cell.
        if a.r#where != "source" {
            bail!("--where {}: use source or target", a.r#where);
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
        let live = rescan(
            &a.clean,
            &opts,
            "--mode undouble finds the double-encoded cells by scanning again",
        )?;
        let (ch, left) =
            changes::undoubles(&live, &a.clean.table, Where::Source).map_err(|e| anyhow!(e))?;
        return finish(&a.clean, Audit::Repaired, ch, left, live.source.dialect);
    }
    let place = match a.r#where.as_str() {
        "source" => Where::Source,
        "target" => Where::Target,
        other => bail!("--where {other}: use source or target"),
    };
    let (ch, left) =
        changes::repairs(&scan, &a.clean.table, mode, place).map_err(|e| anyhow!(e))?;
    finish(&a.clean, Audit::Repaired, ch, left, scan.source.dialect)
}
