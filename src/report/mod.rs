//! Reports: one model ([`ScanResult`]), several renderers, each writing to `impl Write`.
//!
//! - `summary.txt`: what a DBA reads first (CSSCAN-style).
//! - `columns.csv`, `exceptions.csv`: per-column figures and per-cell exceptions.
//! - `scan.json`: the whole result, input of later steps.
//! - `report.html`: the same as a picture, self-contained.

pub mod advice;
mod csv_out;
mod html;
mod summary;
pub mod term;

pub use csv_out::{COLUMNS_HEADER, EXCEPTIONS_HEADER, write_columns_csv, write_exceptions_csv};
pub use html::write_html;
pub use summary::write_summary;

use crate::scan::ScanResult;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes every scan report into `dir` (created if absent); returns the files written.
pub fn write_scan_reports(result: &ScanResult, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let mut emit =
        |name: &str, f: &dyn Fn(&mut dyn Write) -> std::io::Result<()>| -> std::io::Result<()> {
            let path = dir.join(name);
            // Write to a temporary name and rename: a report is either complete or absent.
            let tmp = dir.join(format!(".{name}.tmp"));
            let mut w = BufWriter::new(File::create(&tmp)?);
            f(&mut w)?;
            w.flush()?;
            drop(w);
            std::fs::rename(&tmp, &path)?;
            written.push(path);
            Ok(())
        };
    // The text report goes through the terminal escaping as a whole: it is read with `cat`.
    emit("summary.txt", &|w| {
        write_summary(result, &mut term::Sanitize::new(w))
    })?;
    emit("columns.csv", &|w| write_columns_csv(result, w))?;
    emit("exceptions.csv", &|w| write_exceptions_csv(result, w))?;
    emit("scan.json", &|w| {
        serde_json::to_writer_pretty(&mut *w, result)?;
        writeln!(w)
    })?;
    emit("report.html", &|w| write_html(result, w))?;
    Ok(written)
}

/// Reads a `scan.json` back, checking its format version.
pub fn read_scan_json(path: &Path) -> Result<ScanResult, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}: invalid JSON: {e}", path.display()))?;
    match v.get("format").and_then(|f| f.as_str()) {
        Some(crate::scan::SCAN_FORMAT) => {}
        other => {
            return Err(format!(
                "{}: format {:?} is not {} (re-run `charmig scan` with this version)",
                path.display(),
                other.unwrap_or("missing"),
                crate::scan::SCAN_FORMAT
            ));
        }
    }
    serde_json::from_value(v).map_err(|e| format!("{}: {e}", path.display()))
}
