//! `charmig truncate` and `charmig repair`.

use super::args::{CleanArgs, RepairArgs, TruncateArgs};
use crate::charset::{Dialect, resolve};
use crate::clean::changes::{self, Change, Left, Where};
use crate::clean::oracle_script::{self, Audit};
use crate::clean::repair::Mode;
use anyhow::{Context, Result, anyhow, bail};
use std::io::Write;

fn run_id() -> String {
    format!(
        "charmig-{}",
        crate::scan::time::now().replace([':', '-'], "")
    )
}

fn show(changes: &[Change], left: &[Left], w: &mut dyn Write) -> std::io::Result<()> {
    for c in changes {
        writeln!(
            w,
            "{}.{}.{} [{}]: {} ({} -> {} bytes)",
            c.owner,
            c.table,
            c.column,
            c.row_id,
            c.detail,
            c.original.len(),
            c.new.len()
        )?;
    }
    for l in left {
        writeln!(w, "left alone: {} [{}]: {}", l.object, l.row_id, l.reason)?;
    }
    writeln!(
        w,
        "{} cells to change, {} left alone",
        changes.len(),
        left.len()
    )
}

/// `--restore`: originals back from the audit table.
fn restore(a: &CleanArgs, audit: Audit) -> Result<i32> {
    if a.conn.db.is_none() {
        bail!("--restore needs --db URL: it reads the audit table");
    }
    let src = crate::source::db::open(&super::connect_options(&a.conn, 1))?;
    let n = src.clean_restore(&a.audit_schema, audit, &a.table)?;
    eprintln!(
        "restored {n} cells from {}.{}",
        a.audit_schema,
        audit.table()
    );
    Ok(0)
}

fn finish(
    a: &CleanArgs,
    audit: Audit,
    changes: Vec<Change>,
    left: Vec<Left>,
    dialect: Dialect,
) -> Result<i32> {
    match (&a.script, a.dry_run, a.apply) {
        (Some(path), false, false) => {
            if dialect != Dialect::Oracle {
                bail!(
                    "--script writes SQL*Plus scripts for Oracle; for PostgreSQL use --apply (or --dry-run to look first)"
                );
            }
            for c in &changes {
                for n in [&c.owner, &c.table, &c.column, &a.audit_schema] {
                    crate::dialect::oracle::script_ident(n)
                        .map_err(|e| anyhow!("{e} (in scan.json)"))?;
                }
            }
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(path)
                    .with_context(|| format!("creating {}", path.display()))?,
            );
            oracle_script::write_script(&changes, &a.audit_schema, audit, &run_id(), &mut f)?;
            f.flush()?;
            eprintln!(
                "{} cells scripted to {} ({} left alone)",
                changes.len(),
                path.display(),
                left.len()
            );
            for l in &left {
                eprintln!("left alone: {} [{}]: {}", l.object, l.row_id, l.reason);
            }
            Ok(0)
        }
        (None, true, false) => {
            show(&changes, &left, &mut std::io::stdout().lock())?;
            Ok(0)
        }
        (None, false, true) => {
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
            let (n, mut skipped) = src.clean_apply(&changes, &a.audit_schema, audit, &run_id())?;
            skipped.extend(left);
            for l in &skipped {
                eprintln!("left alone: {} [{}]: {}", l.object, l.row_id, l.reason);
            }
            eprintln!(
                "changed {n} cells ({} left alone); originals in {}.{}",
                skipped.len(),
                a.audit_schema,
                audit.table()
            );
            Ok(0)
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
            if a.clean.conn.db.is_none() {
                bail!(
                    "--limit-bytes needs --db URL: the cells over the limit are found by scanning the tables again"
                );
            }
            if a.clean.table.is_empty() {
                bail!("--limit-bytes needs --table T (the tables whose columns get the limit)");
            }
            let src = crate::source::db::open(&super::connect_options(&a.clean.conn, 1))?;
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
            crate::scan::run(src.as_ref(), &opts, &crate::scan::NoProgress)?
        }
        (None, None) => bail!("truncate needs --scan scan.json (or --db URL with --limit-bytes N)"),
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
    if matches!(mode, Mode::Undouble) {
        // Pass-through cells are mostly convertible, so scan.json does not list them: find them
        // with a fresh scan of the chosen tables that lists every flagged cell.
        if a.clean.conn.db.is_none() {
            bail!(
                "--mode undouble needs --db URL: the double-encoded cells are found by scanning again"
            );
        }
        if a.r#where != "source" {
            bail!("--mode undouble writes the source (--where source)");
        }
        let src = crate::source::db::open(&super::connect_options(&a.clean.conn, 1))?;
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
        let live = crate::scan::run(src.as_ref(), &opts, &crate::scan::NoProgress)?;
        let (ch, left) = changes::undoubles(&live, &a.clean.table).map_err(|e| anyhow!(e))?;
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
