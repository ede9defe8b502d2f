//! `summary.txt`: the CSSCAN-style summary a DBA reads first.

use super::term::escape;
use crate::scan::{ColumnResult, Counts, ScanResult};
use std::collections::BTreeMap;
use std::io::Write;

fn pct(n: u64, total: u64) -> String {
    if total == 0 {
        "-".into()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / total as f64)
    }
}

fn counts_line(w: &mut dyn Write, label: &str, c: &Counts) -> std::io::Result<()> {
    writeln!(
        w,
        "  {label:<14} {:>14} {:>14} {:>14} {:>14}",
        c.changeless, c.convertible, c.truncation, c.lossy
    )
}

fn column_name(c: &ColumnResult) -> String {
    format!("{}.{}.{}", c.owner, c.table_name, c.column_name)
}

pub fn write_summary(r: &ScanResult, w: &mut dyn Write) -> std::io::Result<()> {
    let p = &r.parameters;
    let totals = r.totals();
    writeln!(w, "charmig scan summary")?;
    writeln!(w, "====================")?;
    writeln!(w)?;
    writeln!(w, "Parameters")?;
    writeln!(
        w,
        "  Source             : {} ({} {})",
        p.source,
        r.source.dialect.as_str(),
        r.source.version
    )?;
    writeln!(w, "  Database charset   : {}", r.source.charset)?;
    if let Some(nc) = &r.source.nchar_charset {
        writeln!(w, "  National charset   : {nc}")?;
    }
    writeln!(
        w,
        "  Assumed charset    : {}",
        p.assume.as_deref().unwrap_or("none (the database charset)")
    )?;
    for a in &p.assume_columns {
        writeln!(w, "  Assumed for column : {a}")?;
    }
    writeln!(w, "  Target charset     : {}", p.target)?;
    writeln!(
        w,
        "  MAX_STRING_SIZE    : {}",
        match r.source.max_string_size {
            crate::catalog::MaxStringSize::Standard => "STANDARD",
            crate::catalog::MaxStringSize::Extended => "EXTENDED",
        }
    )?;
    writeln!(
        w,
        "  Length semantics   : {}",
        if p.char_semantics {
            "CHAR for every column (simulated by --char-semantics)"
        } else {
            "as declared"
        }
    )?;
    let scope = |v: &Vec<String>, all: &str| {
        if v.is_empty() {
            all.to_string()
        } else {
            v.join(", ")
        }
    };
    writeln!(w, "  Schemas            : {}", scope(&p.schemas, "all"))?;
    writeln!(w, "  Tables             : {}", scope(&p.tables, "all"))?;
    if !p.excludes.is_empty() {
        writeln!(w, "  Excluded           : {}", p.excludes.join(", "))?;
    }
    writeln!(
        w,
        "  Started / finished : {} / {} ({:.2} s, {} jobs)",
        r.started_at, r.finished_at, r.elapsed_seconds, p.jobs
    )?;
    writeln!(w)?;

    let rows: u64 = r.tables.iter().map(|t| t.rows).sum();
    let bytes: u64 = r.tables.iter().map(|t| t.bytes_read).sum();
    writeln!(w, "Scope")?;
    writeln!(
        w,
        "  Tables scanned     : {} ({rows} rows, {:.2} MB read)",
        r.tables.len(),
        bytes as f64 / 1e6
    )?;
    writeln!(w, "  Columns scanned    : {}", r.columns.len())?;
    writeln!(
        w,
        "  Not affected       : {} national-charset columns (NCHAR/NVARCHAR2/NCLOB)",
        r.not_affected.len()
    )?;
    let errors = r.skipped.iter().filter(|s| s.error).count();
    writeln!(
        w,
        "  Skipped            : {} ({} errors)",
        r.skipped.len(),
        errors
    )?;
    writeln!(w)?;
    if !r.not_affected.is_empty() {
        writeln!(w, "Not affected (listed, not classified)")?;
        for n in &r.not_affected {
            writeln!(
                w,
                "  {}.{}.{} {}: {}",
                escape(&n.owner),
                escape(&n.table_name),
                escape(&n.column_name),
                escape(&n.data_type),
                escape(&n.reason)
            )?;
        }
        writeln!(w)?;
    }

    writeln!(w, "Cells per category and data type")?;
    writeln!(
        w,
        "  {:<14} {:>14} {:>14} {:>14} {:>14}",
        "Data type", "Changeless", "Convertible", "Truncation", "Lossy"
    )?;
    let mut by_type: BTreeMap<String, Counts> = BTreeMap::new();
    for c in &r.columns {
        let t = c
            .data_type
            .split('(')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_uppercase();
        by_type.entry(t).or_default().merge(&c.counts);
    }
    for (t, c) in &by_type {
        counts_line(w, t, c)?;
    }
    counts_line(w, "Total", &totals)?;
    let cells = totals.total();
    writeln!(
        w,
        "  {:<14} {:>14} {:>14} {:>14} {:>14}",
        "Share",
        pct(totals.changeless, cells),
        pct(totals.convertible, cells),
        pct(totals.truncation, cells),
        pct(totals.lossy, cells)
    )?;
    let mut char_sem = Counts::default();
    for c in &r.columns {
        char_sem.merge(&c.char_semantics);
    }
    if !p.char_semantics && char_sem.truncation != totals.truncation {
        writeln!(
            w,
            "  After a switch to CHAR semantics: {} truncation cells instead of {}.",
            char_sem.truncation, totals.truncation
        )?;
    }
    writeln!(w)?;

    type Pick = fn(&ColumnResult) -> u64;
    let picks: [(&str, Pick); 6] = [
        ("stray Windows-1252 bytes", |c: &ColumnResult| {
            c.flags.stray_cp1252
        }),
        (
            "UTF-8 pass-through (would double-encode)",
            |c: &ColumnResult| c.flags.utf8_passthrough,
        ),
        ("U+FFFD already present", |c: &ColumnResult| {
            c.flags.replacement_char
        }),
        ("CESU-8 surrogates", |c: &ColumnResult| {
            c.flags.cesu8_surrogates
        }),
        ("--assume auto read as UTF-8", |c: &ColumnResult| {
            c.flags.auto_utf8
        }),
        ("--assume auto read as WIN1252", |c: &ColumnResult| {
            c.flags.auto_win1252
        }),
    ];
    let flagged: Vec<(&str, u64, usize)> = picks
        .iter()
        .map(|(label, f)| {
            let cells: u64 = r.columns.iter().map(f).sum();
            let cols = r.columns.iter().filter(|c| f(c) > 0).count();
            (*label, cells, cols)
        })
        .filter(|(_, cells, _)| *cells > 0)
        .collect();
    writeln!(w, "Flags")?;
    if flagged.is_empty() {
        writeln!(w, "  none")?;
    }
    for (label, cells, cols) in &flagged {
        writeln!(w, "  {label:<42}: {cells} cells in {cols} columns")?;
    }
    writeln!(w)?;

    let mut worst: Vec<&ColumnResult> = r
        .columns
        .iter()
        .filter(|c| c.counts.problems() > 0)
        .collect();
    worst.sort_by(|a, b| {
        b.counts
            .problems()
            .cmp(&a.counts.problems())
            .then_with(|| column_name(a).cmp(&column_name(b)))
    });
    writeln!(w, "Worst columns (truncation + lossy)")?;
    if worst.is_empty() {
        writeln!(w, "  none: every cell converts")?;
    } else {
        writeln!(
            w,
            "  {:<48} {:>11} {:>9} {:>10} {:>7}",
            "Column", "Truncation", "Lossy", "Max bytes", "Limit"
        )?;
    }
    for c in worst.iter().take(20) {
        writeln!(
            w,
            "  {:<48} {:>11} {:>9} {:>10} {:>7}",
            escape(&column_name(c)),
            c.counts.truncation,
            c.counts.lossy,
            c.max_post_bytes.unwrap_or(0),
            c.limit
                .map(|l| l.bytes.to_string())
                .unwrap_or_else(|| "-".into())
        )?;
    }
    if worst.len() > 20 {
        writeln!(
            w,
            "  … and {} more columns (see columns.csv)",
            worst.len() - 20
        )?;
    }
    writeln!(w)?;

    let skipped_errors: Vec<_> = r.skipped.iter().filter(|s| s.error).collect();
    if !skipped_errors.is_empty() {
        writeln!(
            w,
            "NOT SCANNED (errors: figures for these objects are missing)"
        )?;
        for s in &skipped_errors {
            writeln!(w, "  {}: {}", s.object, s.reason)?;
        }
        writeln!(w)?;
    }

    writeln!(w, "What to do next")?;
    let mut n = 0;
    let mut step = |w: &mut dyn Write, text: String| -> std::io::Result<()> {
        n += 1;
        writeln!(w, "  {n}. {text}")
    };
    if !skipped_errors.is_empty() {
        step(
            w,
            "Fix the errors above and scan again: the figures do not cover those objects.".into(),
        )?;
    }
    if totals.lossy > 0 {
        step(
            w,
            format!(
                "{} lossy cells: bytes undefined in the source charset. Look at exceptions.csv; where the \
             data is really another charset, scan again with --assume or --assume-column; stray \
             Windows-1252 bytes can be fixed with `charmig repair`.",
                totals.lossy
            ),
        )?;
    }
    if totals.truncation > 0 {
        step(
            w,
            format!(
                "{} truncation cells: converted values exceed the limit. A switch to CHAR semantics \
             leaves {} (`charmig plan --char-semantics affected`); cut the rest with `charmig truncate` \
             (originals kept in an audit table) or widen the columns.",
                totals.truncation, char_sem.truncation
            ),
        )?;
    }
    if flagged
        .iter()
        .any(|(l, _, _)| l.starts_with("UTF-8 pass-through"))
    {
        step(w, "UTF-8 pass-through cells would be double-encoded: see the utf8_passthrough counts in \
                 columns.csv, and assume UTF-8 for those columns (--assume-column) if that is what they hold.".into())?;
    }
    if totals.problems() == 0 && skipped_errors.is_empty() {
        step(
            w,
            "Nothing is truncation or lossy: the data converts as it is.".into(),
        )?;
    }
    Ok(())
}
