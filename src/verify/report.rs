//! Verify's reports: `summary.txt` (ends with "migration verified" or what is not),
//! `differences.csv`, `verify.json` and `fix.sql`. Every name and value from a database goes
//! through `report::term::escape` (summary) or `dialect::comment_text` (fix.sql comments)
//! before it reaches a text line, so none can end a line or a comment.

use super::VerifyReport;
use super::schema_diff::SchemaDiff;
use crate::charset::Dialect;
use crate::dialect::comment_text;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The summary's last line when nothing differs.
pub const VERIFIED: &str = "migration verified";

/// Writes the summary.
pub fn write_summary(r: &VerifyReport, w: &mut dyn Write) -> std::io::Result<()> {
    let p = |s: &str| crate::report::term::escape(s).into_owned();
    writeln!(w, "charmig verify {}", r.charmig_version)?;
    writeln!(w, "source: {}", p(&r.source))?;
    writeln!(w, "target: {}", p(&r.target))?;
    writeln!(w, "run:    {} .. {}", r.started_at, r.finished_at)?;
    writeln!(w)?;
    let equal = r.tables.iter().filter(|t| t.equal).count();
    let rows: u64 = r.tables.iter().filter_map(|t| t.source_rows).sum();
    writeln!(
        w,
        "data: {} tables compared ({} source rows), {} equal, {} differ, {} not compared",
        r.tables.len(),
        rows,
        equal,
        r.tables
            .iter()
            .filter(|t| !t.equal && t.error.is_none())
            .count(),
        r.tables.iter().filter(|t| t.error.is_some()).count()
    )?;
    for t in r.tables.iter().filter(|t| !t.equal) {
        let name = p(&format!("{}.{}", t.schema, t.table));
        match (&t.error, t.source_rows, t.target_rows) {
            (Some(e), _, _) => writeln!(w, "  {name}: not compared: {}", p(e))?,
            (None, Some(s), Some(g)) => {
                writeln!(
                    w,
                    "  {name}: {s} source rows, {g} target rows, checksums differ"
                )?;
                for row in &t.rows {
                    writeln!(
                        w,
                        "    {} {}{}",
                        row.kind.as_str(),
                        row.key,
                        if row.columns.is_empty() {
                            String::new()
                        } else {
                            format!(" (columns {})", p(&row.columns.join(", ")))
                        }
                    )?;
                }
            }
            _ => {}
        }
    }
    for area in ["schema", "data", "text"] {
        let list: Vec<_> = r.differences.iter().filter(|d| d.area == area).collect();
        writeln!(w)?;
        writeln!(w, "{area}: {} differences", list.len())?;
        for d in list {
            let mut line = format!(
                "  {} {}: {}",
                d.object_type,
                p(&format!("{}.{}", d.schema, d.object)),
                p(&d.property)
            );
            if !d.source.is_empty() || !d.target.is_empty() {
                line.push_str(&format!(
                    " (source {}, target {})",
                    p(&d.source),
                    p(&d.target)
                ));
            }
            if !d.detail.is_empty() {
                line.push_str(&format!(": {}", p(&d.detail)));
            }
            writeln!(w, "{line}")?;
        }
    }
    if !r.text.is_empty() {
        writeln!(w)?;
        writeln!(
            w,
            "text sanity (values per column; target / source): double-encoded, U+FFFD, source undecodable"
        )?;
        for c in &r.text {
            writeln!(
                w,
                "  {}: {} / {}, {} / {}, {}",
                p(&format!("{}.{}.{}", c.schema, c.table, c.column)),
                c.target_double_encoded,
                c.source_double_encoded,
                c.target_replacement,
                c.source_replacement,
                c.source_undecodable
            )?;
        }
    }
    for n in &r.notes {
        writeln!(w, "note: {}", p(n))?;
    }
    for e in &r.errors {
        writeln!(w, "error: {}", p(e))?;
    }
    writeln!(w)?;
    if r.verified() {
        writeln!(w, "{VERIFIED}")
    } else {
        let count = |a: &str| r.differences.iter().filter(|d| d.area == a).count();
        writeln!(
            w,
            "migration NOT verified: {} schema, {} data, {} text differences, {} errors",
            count("schema"),
            count("data"),
            count("text"),
            r.errors.len()
        )
    }
}

/// `fix.sql`: the statements that close the schema differences, in migration order, in one
/// transaction, each under a comment saying what it closes. Runnable with
/// `psql -X -v ON_ERROR_STOP=1 -d TARGET -f fix.sql`.
pub fn render_fix(diff: &SchemaDiff, source: &str, target: &str) -> String {
    let c = |s: &str| comment_text(Dialect::Postgres, s);
    let mut out = String::new();
    out.push_str("-- charmig verify: statements that close the schema differences of the target\n");
    out.push_str(&format!(
        "-- source: {}\n-- target: {}\n",
        c(source),
        c(target)
    ));
    out.push_str(
        "-- Review, then run on the target: psql -X -v ON_ERROR_STOP=1 -d TARGET -f fix.sql\n",
    );
    for extra in &diff.left_alone {
        out.push_str(&format!(
            "-- extra on the target, left alone (drop it yourself if it must go): {}\n",
            c(extra)
        ));
    }
    if diff.fixes.is_empty() {
        out.push_str("-- nothing to fix\n");
        return out;
    }
    out.push_str("\\set ON_ERROR_STOP on\nBEGIN;\n");
    for f in &diff.fixes {
        out.push_str(&format!("\n-- {}\n{};\n", c(&f.why), f.sql));
    }
    out.push_str("\nCOMMIT;\n");
    out
}

/// `fix.sql` for an Oracle target, runnable with SQL*Plus: `SET DEFINE OFF` (an `&` in a
/// name or a default is data), `SET SQLBLANKLINES ON` (view text keeps its blank lines),
/// stop at the first error; PL/SQL ended by a `/` line, other statements by `;`. Oracle DDL
/// commits by itself, so there is no transaction around the statements.
pub fn render_fix_oracle(diff: &SchemaDiff, source: &str, target: &str) -> String {
    let c = |s: &str| comment_text(Dialect::Oracle, s);
    let mut out = String::new();
    out.push_str("-- charmig verify: statements that close the schema differences of the target\n");
    out.push_str(&format!(
        "-- source: {}\n-- target: {}\n",
        c(source),
        c(target)
    ));
    out.push_str("-- Review, then run on the target: sqlplus USER@TARGET @fix.sql\n");
    out.push_str("-- (each DDL statement commits by itself: a failure stops the script after the statements before it)\n");
    for extra in &diff.left_alone {
        out.push_str(&format!(
            "-- extra on the target, left alone (drop it yourself if it must go): {}\n",
            c(extra)
        ));
    }
    for m in &diff.manual {
        out.push_str(&format!("-- not fixed here: {}\n", c(m)));
    }
    if diff.fixes.is_empty() {
        out.push_str("-- nothing to fix\n");
        return out;
    }
    out.push_str(crate::dialect::oracle::SQLPLUS_SETTINGS);
    out.push_str("WHENEVER SQLERROR EXIT SQL.SQLCODE\n");
    for f in &diff.fixes {
        out.push_str(&format!(
            "\n-- {}\n{}\n",
            c(&f.why),
            crate::dialect::oracle::script_statement(&f.sql)
        ));
    }
    out.push_str("\nEXIT\n");
    out
}

/// Writes `differences.csv`.
pub fn write_differences(r: &VerifyReport, w: &mut dyn Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "area",
        "object_type",
        "schema",
        "object",
        "property",
        "source",
        "target",
        "detail",
    ])?;
    for d in &r.differences {
        out.write_record([
            d.area,
            d.object_type,
            &d.schema,
            &d.object,
            &d.property,
            &d.source,
            &d.target,
            &d.detail,
        ])?;
    }
    out.flush()
}

/// Writes every report into `dir`; returns the files written.
pub fn write_all(r: &VerifyReport, fix_sql: &str, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut files = Vec::new();
    let mut put = |name: &str, f: &dyn Fn(&mut dyn Write) -> std::io::Result<()>| {
        let path = dir.join(name);
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
        f(&mut w)?;
        w.flush()?;
        files.push(path);
        Ok::<(), std::io::Error>(())
    };
    put("summary.txt", &|w| write_summary(r, w))?;
    put("differences.csv", &|w| write_differences(r, w))?;
    put("verify.json", &|w| {
        serde_json::to_writer_pretty(&mut *w, r)?;
        writeln!(w)
    })?;
    put("fix.sql", &|w| w.write_all(fix_sql.as_bytes()))?;
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::Difference;

    fn report() -> VerifyReport {
        VerifyReport {
            format: super::super::VERIFY_FORMAT.into(),
            charmig_version: "0".into(),
            source: "s".into(),
            target: "t".into(),
            started_at: String::new(),
            finished_at: String::new(),
            tables: vec![],
            text: vec![],
            differences: vec![],
            notes: vec![],
            errors: vec![],
        }
    }

    #[test]
    fn summary_ends_with_the_verdict_and_names_stay_on_their_line() {
        let mut r = report();
        let mut out = Vec::new();
        write_summary(&r, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().last(), Some(VERIFIED));
        r.differences.push(Difference {
            area: "schema",
            object_type: "index",
            schema: "app".into(),
            object: "evil\nDROP TABLE x; --".into(),
            property: "missing on target".into(),
            source: String::new(),
            target: String::new(),
            detail: String::new(),
        });
        let mut out = Vec::new();
        write_summary(&r, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("index app.evil\\nDROP TABLE x; --: missing on target"),
            "{text}"
        );
        assert!(!text.lines().any(|l| l.starts_with("DROP")));
        assert!(
            text.lines()
                .last()
                .unwrap()
                .starts_with("migration NOT verified: 1 schema")
        );
        let mut csv = Vec::new();
        write_differences(&r, &mut csv).unwrap();
        assert!(
            String::from_utf8(csv)
                .unwrap()
                .starts_with("area,object_type,schema,object,property")
        );
    }
}
