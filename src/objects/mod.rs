//! The problem-object report: the checks DBAs run before a migration (disabled triggers,
//! invalid objects, disabled or not-validated constraints and their orphan rows, stale or
//! invalid indexes, …). Sources fill the model; the renderers here write text, CSV and JSON.
//!
//! Each check is a [`Section`]: a count, a table of objects and what to do about them. A
//! section that found nothing is still listed (with 0), so the DBA sees what was checked.

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Version tag of `objects.json`.
pub const OBJECTS_FORMAT: &str = "charmig-objects/1";

/// How serious a section's findings are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be dealt with before the move (counts towards exit code 1).
    Problem,
    /// Worth knowing for a charset move; not an error in itself.
    Info,
}

/// One check and what it found.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    /// Stable identifier, e.g. `disabled_triggers`.
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// Column names of `rows`.
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// What to do about the findings.
    pub advice: String,
}

impl Section {
    pub fn new(
        id: &str,
        title: &str,
        severity: Severity,
        columns: &[&str],
        advice: &str,
    ) -> Section {
        Section {
            id: id.into(),
            title: title.into(),
            severity,
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
            advice: advice.into(),
        }
    }
    pub fn count(&self) -> usize {
        self.rows.len()
    }
}

/// The whole report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ObjectReport {
    pub format: String,
    pub source: String,
    /// Which dictionary views were read (e.g. `DBA_`, `ALL_`, `USER_`, `pg_catalog`).
    pub dictionary: String,
    pub generated_at: String,
    pub sections: Vec<Section>,
    /// Checks that could not run, and why (missing privilege …).
    pub not_checked: Vec<String>,
}

impl ObjectReport {
    pub fn new(source: &str, dictionary: &str) -> ObjectReport {
        ObjectReport {
            format: OBJECTS_FORMAT.into(),
            source: source.into(),
            dictionary: dictionary.into(),
            generated_at: crate::scan::time::now(),
            sections: Vec::new(),
            not_checked: Vec::new(),
        }
    }
    pub fn problems(&self) -> usize {
        self.sections
            .iter()
            .filter(|s| s.severity == Severity::Problem)
            .map(Section::count)
            .sum()
    }
    /// 1 when a problem was found, else 0.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.problems() > 0)
    }
}

/// `objects.txt`: one section after another, with counts, objects and advice.
pub fn write_text(r: &ObjectReport, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "charmig problem-object report")?;
    writeln!(w, "=============================")?;
    writeln!(w, "Source     : {}", r.source)?;
    writeln!(w, "Dictionary : {}", r.dictionary)?;
    writeln!(w, "Generated  : {}", r.generated_at)?;
    writeln!(w)?;
    writeln!(w, "{:<52} {:>8}", "Check", "Found")?;
    for s in &r.sections {
        let mark = if s.severity == Severity::Problem && s.count() > 0 {
            "!"
        } else {
            " "
        };
        writeln!(w, "{mark} {:<50} {:>8}", s.title, s.count())?;
    }
    for s in r.sections.iter().filter(|s| s.count() > 0) {
        writeln!(w)?;
        writeln!(w, "{} ({})", s.title, s.count())?;
        writeln!(
            w,
            "{}",
            "-".repeat(s.title.len() + 3 + s.count().to_string().len())
        )?;
        let widths: Vec<usize> = (0..s.columns.len())
            .map(|i| {
                s.rows
                    .iter()
                    .map(|r| r.get(i).map_or(0, |v| v.chars().count()))
                    .max()
                    .unwrap_or(0)
                    .max(s.columns[i].len())
                    .min(60)
            })
            .collect();
        let line = |cells: &[String]| -> String {
            cells
                .iter()
                .zip(&widths)
                .map(|(c, &wd)| {
                    // Names and values are data: one cell, one line, no terminal control.
                    let c: String = crate::report::term::escape(c).chars().take(60).collect();
                    format!("{c:<wd$}")
                })
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        };
        writeln!(w, "  {}", line(&s.columns))?;
        for row in &s.rows {
            writeln!(w, "  {}", line(row))?;
        }
        writeln!(w, "  What to do: {}", s.advice)?;
    }
    if !r.not_checked.is_empty() {
        writeln!(w)?;
        writeln!(w, "Not checked")?;
        for n in &r.not_checked {
            writeln!(w, "  {n}")?;
        }
    }
    Ok(())
}

/// `objects.csv`: one row per finding, `section` first, then the section's own columns as
/// `detail_1..n` with a header row per section is not CSV-friendly, so each finding is
/// written as `section,object,details` where details joins `name=value` pairs.
pub fn write_csv(r: &ObjectReport, w: &mut dyn Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["section", "severity", "object", "details"])?;
    for s in &r.sections {
        for row in &s.rows {
            let object = row.first().cloned().unwrap_or_default();
            let details: Vec<String> = s
                .columns
                .iter()
                .zip(row)
                .skip(1)
                .map(|(c, v)| format!("{c}={v}"))
                .collect();
            let sev = match s.severity {
                Severity::Problem => "problem",
                Severity::Info => "info",
            };
            out.write_record([s.id.as_str(), sev, &object, &details.join("; ")])?;
        }
    }
    out.flush()
}

/// Writes `objects.txt`, `objects.csv` and `objects.json` into `dir`.
pub fn write_reports(r: &ObjectReport, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut files = Vec::new();
    let mut put =
        |name: &str, f: &dyn Fn(&mut dyn Write) -> std::io::Result<()>| -> std::io::Result<()> {
            let path = dir.join(name);
            let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
            f(&mut w)?;
            w.flush()?;
            files.push(path);
            Ok(())
        };
    put("objects.txt", &|w| write_text(r, w))?;
    put("objects.csv", &|w| write_csv(r, w))?;
    put("objects.json", &|w| {
        serde_json::to_writer_pretty(&mut *w, r)?;
        writeln!(w)
    })?;
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_count_only_problem_sections() {
        let mut r = ObjectReport::new("x", "DBA_");
        let mut a = Section::new(
            "disabled_triggers",
            "Disabled triggers",
            Severity::Problem,
            &["trigger", "table"],
            "enable",
        );
        a.rows.push(vec!["HR.T1".into(), "HR.EMP".into()]);
        let mut b = Section::new(
            "nchar_columns",
            "NCHAR columns",
            Severity::Info,
            &["column"],
            "none",
        );
        b.rows.push(vec!["HR.EMP.N".into()]);
        r.sections.extend([a, b]);
        assert_eq!((r.problems(), r.exit_code()), (1, 1));
        let mut out = Vec::new();
        write_csv(&r, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("disabled_triggers,problem,HR.T1,table=HR.EMP"),
            "{text}"
        );
        let mut out = Vec::new();
        write_text(&r, &mut out).unwrap();
        assert!(
            String::from_utf8(out)
                .unwrap()
                .contains("! Disabled triggers")
        );
    }
}
