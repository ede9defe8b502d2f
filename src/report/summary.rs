//! `summary.txt`: the CSSCAN-style summary a DBA reads first.

use super::advice::{self, plural};
use super::term::escape;
use crate::charset::Dialect;
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
        "  {label:<18} {:>14} {:>14} {:>14} {:>14}",
        c.changeless, c.convertible, c.truncation, c.lossy
    )
}

fn column_name(c: &ColumnResult) -> String {
    crate::catalog::printable(&format!("{}.{}.{}", c.owner, c.table_name, c.column_name))
}

pub fn write_summary(r: &ScanResult, w: &mut dyn Write) -> std::io::Result<()> {
    let p = &r.parameters;
    let totals = r.totals();
    writeln!(w, "charmig scan summary")?;
    writeln!(w, "====================")?;
    writeln!(w)?;
    writeln!(w, "{}", advice::headline(r))?;
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
    writeln!(w, "  Target charset     : {}", advice::target_word(r))?;
    if let Some(id) = &r.source.identity {
        writeln!(w, "  Database identity  : {}", id.describe())?;
    }
    if r.source.dialect == Dialect::Oracle {
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
    }
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
        "  charmig's own      : never scanned ({} here: audit tables and logs in schema {} or named charmig_*)",
        plural(p.own_tables_excluded, "table", "tables"),
        crate::own::schema(r.source.dialect)
    )?;
    writeln!(
        w,
        "  Started / finished : {} / {} ({:.1} s, {})",
        r.started_at,
        r.finished_at,
        r.elapsed_seconds,
        plural(p.jobs as u64, "job", "jobs")
    )?;
    writeln!(w)?;

    let rows: u64 = r.tables.iter().map(|t| t.rows).sum();
    let bytes: u64 = r.tables.iter().map(|t| t.bytes_read).sum();
    writeln!(w, "Scope")?;
    writeln!(
        w,
        "  Tables scanned     : {} ({}, {:.1} MB read)",
        r.tables.len(),
        plural(rows, "row", "rows"),
        bytes as f64 / 1e6
    )?;
    writeln!(w, "  Columns scanned    : {}", r.columns.len())?;
    if r.source.dialect == Dialect::Oracle {
        writeln!(
            w,
            "  Not affected       : {} (NCHAR/NVARCHAR2/NCLOB)",
            plural(
                r.not_affected.len() as u64,
                "national-charset column",
                "national-charset columns"
            )
        )?;
    }
    let errors = r.skipped.iter().filter(|s| s.error).count();
    writeln!(
        w,
        "  Skipped            : {} ({})",
        r.skipped.len(),
        plural(errors as u64, "error", "errors")
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
        "  {:<18} {:>14} {:>14} {:>14} {:>14}",
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
        "  {:<18} {:>14} {:>14} {:>14} {:>14}",
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
    if r.source.dialect == Dialect::Oracle
        && !p.char_semantics
        && char_sem.truncation != totals.truncation
    {
        writeln!(
            w,
            "  After a switch to CHAR semantics: {} truncation cells instead of {}.",
            char_sem.truncation, totals.truncation
        )?;
    }
    writeln!(w)?;

    write_flags(r, w)?;
    write_readings(r, w)?;

    let mut worst: Vec<&ColumnResult> = r
        .columns
        .iter()
        .filter(|c| c.counts.problems() + c.findings > 0)
        .collect();
    worst.sort_by(|a, b| {
        (b.counts.problems() + b.findings)
            .cmp(&(a.counts.problems() + a.findings))
            .then_with(|| column_name(a).cmp(&column_name(b)))
    });
    writeln!(w, "Worst columns (truncation + lossy + findings)")?;
    if worst.is_empty() {
        writeln!(w, "  none: every cell converts")?;
    } else {
        writeln!(
            w,
            "  {:<48} {:>11} {:>9} {:>9} {:>10} {:>7}",
            "Column", "Truncation", "Lossy", "Findings", "Max bytes", "Limit"
        )?;
    }
    for c in worst.iter().take(20) {
        writeln!(
            w,
            "  {:<48} {:>11} {:>9} {:>9} {:>10} {:>7}",
            escape(&column_name(c)),
            c.counts.truncation,
            c.counts.lossy,
            c.findings,
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
            writeln!(w, "  {}: {}", escape(&s.object), escape(&s.reason))?;
        }
        writeln!(w)?;
    }

    write_long_names(r, w)?;
    write_index_keys(r, w)?;
    let cut: u64 = r.columns.iter().map(|c| c.hex_cut).sum();
    if cut > 0 {
        writeln!(
            w,
            "Exceptions: the hex of {} was cut to an excerpt (marked …): their columns' exceptions \
             outgrew --max-exception-bytes {}; scan those tables alone (--table) with a larger value to \
             list them whole.",
            plural(cut, "exception", "exceptions"),
            p.max_exception_bytes
        )?;
        writeln!(w)?;
    }

    writeln!(w, "What to do next")?;
    for (i, step) in advice::next_steps(r).iter().enumerate() {
        writeln!(w, "  {}. {step}", i + 1)?;
    }
    Ok(())
}

fn write_flags(r: &ScanResult, w: &mut dyn Write) -> std::io::Result<()> {
    type Pick = fn(&ColumnResult) -> u64;
    let base = r
        .columns
        .iter()
        .find_map(|c| c.auto_base.clone())
        .unwrap_or_else(|| "WIN1252".into());
    let auto_base_label = format!("auto: read as {base}");
    let picks: [(&str, Pick); 7] = [
        ("stray Windows-1252 bytes", |c| c.flags.stray_cp1252),
        ("UTF-8 pass-through (would double-encode)", |c| {
            c.flags.utf8_passthrough
        }),
        ("double-encoded text (Ã© for é)", |c| {
            c.flags.double_encoded
        }),
        ("U+FFFD already present", |c| c.flags.replacement_char),
        ("CESU-8 surrogates", |c| c.flags.cesu8_surrogates),
        ("auto: read as UTF-8", |c| c.flags.auto_utf8),
        ("", |c| c.flags.auto_win1252),
    ];
    writeln!(w, "Flags")?;
    let mut any = false;
    for (label, f) in picks {
        let n: u64 = r.columns.iter().map(f).sum();
        if n == 0 {
            continue;
        }
        any = true;
        let cols = r.columns.iter().filter(|c| f(c) > 0).count() as u64;
        let label = if label.is_empty() {
            auto_base_label.as_str()
        } else {
            label
        };
        writeln!(
            w,
            "  {label:<42}: {} in {}",
            advice::cells(n),
            plural(cols, "column", "columns")
        )?;
    }
    if !any {
        writeln!(w, "  none")?;
    }
    writeln!(w)
}

/// How each column was read, when some column was not read as the database charset.
fn write_readings(r: &ScanResult, w: &mut dyn Write) -> std::io::Result<()> {
    let special: Vec<&ColumnResult> = r.columns.iter().filter(|c| c.assumed).collect();
    if special.is_empty() {
        return Ok(());
    }
    writeln!(
        w,
        "Reading per column (carried in scan.json to repair, truncate, plan and copy)"
    )?;
    for c in special.iter().take(50) {
        if c.source_charset == "auto" {
            writeln!(
                w,
                "  {:<48} auto over {}: {} as UTF-8, {} as {} ({} with Windows-1252 C1 bytes)",
                column_name(c),
                c.auto_base.as_deref().unwrap_or("WIN1252"),
                c.flags.auto_utf8,
                c.flags.auto_win1252,
                c.auto_base.as_deref().unwrap_or("WIN1252"),
                c.flags.stray_cp1252
            )?;
        } else {
            writeln!(w, "  {:<48} {}", column_name(c), c.source_charset)?;
        }
    }
    if special.len() > 50 {
        writeln!(w, "  … and {} more (see columns.csv)", special.len() - 50)?;
    }
    writeln!(w)
}

fn write_index_keys(r: &ScanResult, w: &mut dyn Write) -> std::io::Result<()> {
    if r.index_keys.is_empty() {
        return Ok(());
    }
    writeln!(
        w,
        "Index keys too long once BYTE columns are CHAR in UTF-8 (8 KB blocks: {} bytes, ORA-01450)",
        crate::plan::oracle_rules::KEY_LIMIT_8K
    )?;
    for c in &r.index_keys {
        writeln!(
            w,
            "  {}: {}\n    options: {}",
            crate::catalog::printable(&c.object),
            c.problem,
            c.options
        )?;
    }
    writeln!(w)
}

fn write_long_names(r: &ScanResult, w: &mut dyn Write) -> std::io::Result<()> {
    if r.long_names.is_empty() {
        return Ok(());
    }
    writeln!(
        w,
        "Names too long for the target once in UTF-8 (limit {} bytes): rename before the move",
        r.long_names[0].limit
    )?;
    for n in &r.long_names {
        let owner = match &n.table {
            Some(t) => format!("{}.{}", n.owner, t),
            None => n.owner.clone(),
        };
        writeln!(
            w,
            "  {} {} in {}: {} bytes in UTF-8{}; rename to \"{}\" ({} bytes) or any name that fits",
            n.kind,
            crate::catalog::printable(&n.name),
            crate::catalog::printable(&owner),
            n.utf8_bytes,
            n.source_bytes
                .map(|b| format!(" ({b} in {})", r.source.charset))
                .unwrap_or_default(),
            crate::catalog::printable(&n.rename_to),
            n.rename_to.len()
        )?;
    }
    writeln!(w)
}
