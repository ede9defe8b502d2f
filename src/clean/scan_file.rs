//! Reading scan.json for a clean-up in bounded memory: only what a clean-up uses (the source,
//! the parameters, the columns and, of each exception, its cell, category, flags and stored
//! bytes) is kept, parsed straight from the file (no intermediate JSON tree, no copy of the
//! file in memory). A scan listing 300,000 cells is then a few dozen MiB, not a GiB.

use crate::catalog::SourceInfo;
use crate::charset::Category;
use crate::scan::{ColumnResult, Exception, Parameters, ScanResult};
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
struct Light {
    format: Option<String>,
    #[serde(default)]
    charmig_version: String,
    source: SourceInfo,
    parameters: Parameters,
    columns: Vec<ColumnResult>,
    exceptions: Vec<LightException>,
}

#[derive(Deserialize)]
struct LightException {
    owner: String,
    table_name: String,
    column_name: String,
    rowid: String,
    category: Category,
    #[serde(default)]
    current_bytes: u64,
    hex: String,
    #[serde(default)]
    flags: String,
}

/// The scan.json at `path`, with what a clean-up needs (tables, previews and details of
/// exceptions, skipped objects are left out).
pub fn read(path: &Path) -> Result<ScanResult, String> {
    let open = || {
        std::fs::File::open(path)
            .map(std::io::BufReader::new)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))
    };
    #[derive(Deserialize)]
    struct Head {
        format: Option<String>,
    }
    let head: Head = serde_json::from_reader(open()?)
        .map_err(|e| format!("{}: invalid JSON: {e}", path.display()))?;
    if head.format.as_deref() != Some(crate::scan::SCAN_FORMAT) {
        return Err(format!(
            "{}: format {:?} is not {} (re-run `charmig scan` with this version)",
            path.display(),
            head.format.as_deref().unwrap_or("missing"),
            crate::scan::SCAN_FORMAT
        ));
    }
    let l: Light =
        serde_json::from_reader(open()?).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(ScanResult {
        format: l.format.unwrap_or_default(),
        charmig_version: l.charmig_version,
        source: l.source,
        parameters: l.parameters,
        started_at: String::new(),
        finished_at: String::new(),
        elapsed_seconds: 0.0,
        tables: Vec::new(),
        columns: l.columns,
        not_affected: Vec::new(),
        skipped: Vec::new(),
        long_names: Vec::new(),
        exceptions: l
            .exceptions
            .into_iter()
            .map(|e| Exception {
                owner: e.owner,
                table_name: e.table_name,
                column_name: e.column_name,
                rowid: e.rowid,
                category: e.category,
                reason: String::new(),
                current_bytes: e.current_bytes,
                post_bytes: 0,
                limit: None,
                hex: e.hex,
                preview: String::new(),
                flags: e.flags,
                detail: String::new(),
            })
            .collect(),
        index_keys: Vec::new(),
    })
}
