//! What the reports say first and last: the headline (what needs action) and the next steps,
//! in the words of the database at hand (UTF8/LATIN1 on PostgreSQL, AL32UTF8 on Oracle), with
//! correct plurals and the exact commands to run. Shared by summary.txt and report.html.

use crate::charset::Dialect;
use crate::scan::{ColumnResult, ScanResult};

/// `1 table`, `2 tables`, `0 tables`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `1 cell` / `2 cells`.
pub fn cells(n: u64) -> String {
    plural(n, "cell", "cells")
}

/// The target charset as the source's users name it: PostgreSQL says UTF8 for what Oracle
/// calls AL32UTF8 (Oracle's `UTF8` is CESU-8, which PostgreSQL does not have).
pub fn target_word(r: &ScanResult) -> String {
    match (r.source.dialect, r.parameters.target.as_str()) {
        (Dialect::Postgres, "AL32UTF8") => "UTF8".into(),
        (_, t) => t.into(),
    }
}

/// A value quoted for a POSIX shell.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@=,".contains(c))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The scan's own source argument again: `--db URL` or `--snapshot DIR`, plus its scope.
fn source_args(r: &ScanResult) -> String {
    let p = &r.parameters;
    let mut out = match p.source.strip_prefix("snapshot ") {
        Some(dir) => format!("--snapshot {}", shell_quote(dir)),
        None => format!("--db {}", shell_quote(&p.source)),
    };
    for s in &p.schemas {
        out.push_str(&format!(" --schema {}", shell_quote(s)));
    }
    for t in &p.tables {
        out.push_str(&format!(" --table {}", shell_quote(t)));
    }
    for e in &p.excludes {
        out.push_str(&format!(" --exclude {}", shell_quote(e)));
    }
    out
}

/// What needs action, one figure per kind (only the non-zero ones).
pub fn headline_parts(r: &ScanResult) -> Vec<String> {
    let t = r.totals();
    let f = r.flag_totals();
    let mut parts = Vec::new();
    if t.truncation > 0 {
        parts.push(plural(t.truncation, "truncation cell", "truncation cells"));
    }
    if t.lossy > 0 {
        parts.push(plural(t.lossy, "lossy cell", "lossy cells"));
    }
    if f.utf8_passthrough > 0 {
        parts.push(format!(
            "{} (would be double-encoded)",
            plural(
                f.utf8_passthrough,
                "pass-through UTF-8 cell",
                "pass-through UTF-8 cells"
            )
        ));
    }
    if f.double_encoded > 0 {
        parts.push(format!(
            "{} of double-encoded text",
            cells(f.double_encoded)
        ));
    }
    if f.replacement_char > 0 {
        parts.push(format!("{} holding U+FFFD", cells(f.replacement_char)));
    }
    if !r.long_names.is_empty() {
        parts.push(format!(
            "{} too long for {} once in UTF-8",
            plural(r.long_names.len() as u64, "name", "names"),
            match r.source.dialect {
                Dialect::Postgres => "PostgreSQL",
                Dialect::Oracle => "Oracle",
            }
        ));
    }
    parts
}

/// One sentence: what needs action before the move, or that nothing does.
pub fn headline(r: &ScanResult) -> String {
    let parts = headline_parts(r);
    if r.has_errors() {
        return "Some tables could not be scanned: the figures do not cover them (see NOT SCANNED)."
            .into();
    }
    if parts.is_empty() {
        return match unclassified(r) {
            0 => "Nothing needs action: the data converts as it is.".into(),
            n => format!(
                "Nothing needs action in the columns scanned; {} that may hold text {} not scanned (see NOT SCANNED).",
                plural(n as u64, "column", "columns"),
                if n == 1 { "was" } else { "were" }
            ),
        };
    }
    format!("Needs action before the move: {}.", parts.join(", "))
}

fn col_spec(c: &ColumnResult) -> String {
    crate::catalog::printable(&format!("{}.{}.{}", c.owner, c.table_name, c.column_name))
}

/// The numbered next steps.
pub fn next_steps(r: &ScanResult) -> Vec<String> {
    let t = r.totals();
    let f = r.flag_totals();
    let mut steps = Vec::new();
    let errors = r.skipped.iter().filter(|s| s.error).count();
    if errors > 0 {
        steps.push(
            "Fix the errors above and scan again: the figures do not cover those objects.".into(),
        );
    }
    let auto_cols: Vec<&ColumnResult> = r
        .columns
        .iter()
        .filter(|c| c.source_charset == "auto")
        .collect();
    let out_auto = "charmig-report-auto";
    // Pass-through cells of columns not already read `auto` (an auto scan counts them too).
    let pt_cols: Vec<&ColumnResult> = r
        .columns
        .iter()
        .filter(|c| c.flags.utf8_passthrough > 0 && !c.source_charset.eq_ignore_ascii_case("auto"))
        .collect();
    if !pt_cols.is_empty() {
        let pt_cells: u64 = pt_cols.iter().map(|c| c.flags.utf8_passthrough).sum();
        let why = if f.stray_cp1252 > 0 {
            format!(
                "the data holds both UTF-8 ({} in {}) and Windows-1252 bytes ({}): it was written by \
                 both kinds of client",
                cells(pt_cells),
                plural(pt_cols.len() as u64, "column", "columns"),
                cells(f.stray_cp1252)
            )
        } else {
            format!(
                "{} in {} hold UTF-8 that a {} reading would double-encode",
                cells(pt_cells),
                plural(pt_cols.len() as u64, "column", "columns"),
                r.source.charset
            )
        };
        let mut s = format!(
            "`auto` is the right reading here: {why}. Scan again with it (per value: valid UTF-8 is \
             read as UTF-8, anything else as {} with its C1 bytes as Windows-1252), then hand the \
             scan to the later steps, which read every column as it says:\n       charmig scan {} \
             --assume auto --out {out_auto}",
            r.source.charset,
            source_args(r)
        );
        if pt_cols.len() <= 5 && pt_cols.len() < r.columns.len() {
            s.push_str(&format!(
                "\n     or only for these columns: {}",
                pt_cols
                    .iter()
                    .map(|c| format!(
                        "--assume-column {}",
                        shell_quote(&format!("{}=auto", col_spec(c)))
                    ))
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
        s.push_str(
            "\n     Do not repair these cells as Windows-1252: they are UTF-8 (reason utf8_passthrough in exceptions.csv).",
        );
        steps.push(s);
    }
    if !auto_cols.is_empty() {
        let (u, b, c1) = auto_cols.iter().fold((0, 0, 0), |a, c| {
            (
                a.0 + c.flags.auto_utf8,
                a.1 + c.flags.auto_win1252,
                a.2 + c.flags.stray_cp1252,
            )
        });
        let base = auto_cols[0].auto_base.as_deref().unwrap_or("WIN1252");
        steps.push(format!(
            "{} read with auto: {} read as UTF-8, {} as {base} ({} of them with Windows-1252 C1 bytes). \
             Check a few in exceptions.csv or with --max-exceptions; later steps given this scan.json \
             (`--scan DIR/scan.json`) read each column the same way.",
            plural(auto_cols.len() as u64, "column", "columns"),
            plural(u, "value", "values"),
            plural(b, "value", "values"),
            c1
        ));
    }
    if t.lossy > 0 {
        let how = if f.utf8_passthrough > 0 && auto_cols.is_empty() {
            "Scan with auto first (step 1): it reads the UTF-8 values and the stray Windows-1252 \
             bytes right; look at what stays lossy then."
        } else {
            "Look at exceptions.csv; where the data is really another charset, scan again with \
             --assume or --assume-column; stray Windows-1252 bytes can be fixed with `charmig repair`."
        };
        steps.push(format!(
            "{}: bytes undefined in {}. {how}",
            plural(t.lossy, "lossy cell", "lossy cells"),
            if auto_cols.is_empty() {
                r.source.charset.clone()
            } else {
                "their reading".to_string()
            }
        ));
    }
    if t.truncation > 0 {
        let mut char_sem = crate::scan::Counts::default();
        for c in &r.columns {
            char_sem.merge(&c.char_semantics);
        }
        let fix = match r.source.dialect {
            Dialect::Oracle => format!(
                "A switch to CHAR semantics leaves {} (`charmig plan --char-semantics affected`); cut the \
                 rest with `charmig truncate` (originals kept in an audit table) or widen the columns.",
                char_sem.truncation
            ),
            // PostgreSQL's only byte limit is `name`'s 63 bytes (see `Column::limits`).
            Dialect::Postgres => "They are in `name` columns, which hold 63 bytes and cannot be widened: \
                                  cut them with `charmig truncate` (originals kept in an audit table), or \
                                  make the target's columns text."
                .into(),
        };
        steps.push(format!(
            "{}: converted values exceed the limit. {fix}",
            plural(t.truncation, "truncation cell", "truncation cells")
        ));
    }
    if f.double_encoded > 0 {
        steps.push(format!(
            "{} of double-encoded text (UTF-8 that was read as Windows-1252/LATIN1 and encoded again, \
             `Ã©` for `é`): the detail column of exceptions.csv shows each value undone; `charmig repair \
             --mode undouble --where target` undoes them in a UTF-8 database.",
            cells(f.double_encoded)
        ));
    }
    if f.replacement_char > 0 {
        steps.push(format!(
            "{} already hold U+FFFD (�): an earlier conversion lost those characters; only the \
             original data (a backup, the legacy source) has them.",
            cells(f.replacement_char)
        ));
    }
    if !r.long_names.is_empty() {
        steps.push(format!(
            "{} longer than {} bytes once in UTF-8: the target would truncate them silently. \
             Rename them before the move (see \"Names too long\" above).",
            plural(r.long_names.len() as u64, "name is", "names are"),
            r.long_names[0].limit
        ));
    }
    let n = unclassified(r);
    if n > 0 {
        steps.push(format!(
            "{} of types charmig does not classify (arrays, json, xml, composite or user-defined types) may hold \
             text and {} not scanned: UTF-8 or Windows-1252 bytes in them are converted as the database charset unless \
             the copy reads them per value (--assume auto, or a scan made with it); check them separately (see NOT \
             SCANNED).",
            plural(n as u64, "column", "columns"),
            if n == 1 { "was" } else { "were" }
        ));
    }
    if steps.is_empty() {
        steps.push("Nothing needs action: the data converts as it is.".into());
    }
    steps
}

/// Columns the scan left out because their type is not one it classifies (they may hold text).
fn unclassified(r: &ScanResult) -> usize {
    r.skipped
        .iter()
        .filter(|s| {
            !s.error
                && s.reason.starts_with("data type ")
                && s.reason.contains("not one charmig classifies")
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(plural(1, "table", "tables"), "1 table");
        assert_eq!(plural(0, "table", "tables"), "0 tables");
        assert_eq!(cells(2), "2 cells");
        assert_eq!(
            shell_quote("postgres://u@h:5432/db"),
            "postgres://u@h:5432/db"
        );
        assert_eq!(shell_quote("a b'c"), r"'a b'\''c'");
    }
}
