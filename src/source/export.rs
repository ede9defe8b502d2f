//! Writing `charmig-snapshot/1` directories: the offline export of any [`Source`].
//!
//! The export reads through the same `Source::read` path as a scan, so scanning the snapshot
//! gives exactly the figures of the live scan. Files are written under a temporary name and
//! renamed, so a snapshot directory never holds a half-written data file under its real name.

use super::snapshot::{COLUMNS_HEADER, FORMAT, TABLES_HEADER, encode_hex};
use super::{Batch, Source, SourceError};
use crate::catalog::{MaxStringSize, Semantics};
use crate::scan::{ScanOptions, filter};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

fn io(path: &Path, e: std::io::Error) -> SourceError {
    SourceError::Snapshot {
        file: path.display().to_string(),
        line: None,
        message: e.to_string(),
    }
}

/// A file name for a table's data: `OWNER.TABLE.csv` with anything outside `[A-Za-z0-9_.-]`
/// replaced, and a counter when two names collide.
fn data_file_name(
    owner: &str,
    table: &str,
    taken: &mut std::collections::HashSet<String>,
) -> String {
    let clean = |s: &str| {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "_-".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect::<String>()
    };
    let base = format!("data/{}.{}", clean(owner), clean(table));
    let mut name = format!("{base}.csv");
    let mut n = 2;
    while !taken.insert(name.to_ascii_lowercase()) {
        name = format!("{base}.{n}.csv");
        n += 1;
    }
    name
}

/// Exports the tables in scope (`--schema`/`--table`/`--exclude` of `opts`) with every column
/// of each table in columns.csv and the character columns' raw bytes in the data files.
/// Returns the number of rows written per table.
pub fn export_snapshot(
    source: &dyn Source,
    opts: &ScanOptions,
    dir: &Path,
) -> Result<Vec<(String, u64)>, SourceError> {
    let catalog = source.catalog();
    filter::check_scope(catalog, opts).map_err(|e| SourceError::Other(e.to_string()))?;
    std::fs::create_dir_all(dir.join("data")).map_err(|e| io(dir, e))?;
    let s = &catalog.source;
    let mut meta = serde_json::json!({
        "format": FORMAT,
        "source": {
            "dialect": s.dialect.as_str(),
            "version": s.version,
            "charset": s.charset,
            "nchar_charset": s.nchar_charset,
            "max_string_size": match s.max_string_size { MaxStringSize::Standard => "STANDARD", MaxStringSize::Extended => "EXTENDED" },
        },
        "exported_at": crate::scan::time::now(),
    });
    // Written only when known, so readers of charmig-snapshot/1 without it are not disturbed.
    if let Some(id) = &s.identity {
        meta["source"]["identity"] = serde_json::json!({
            "system_id": id.system_id,
            "database": id.database,
        });
    }
    let meta_path = dir.join("snapshot.json");
    std::fs::write(
        &meta_path,
        format!("{}\n", serde_json::to_string_pretty(&meta).expect("json")),
    )
    .map_err(|e| io(&meta_path, e))?;

    let cols_path = dir.join("columns.csv");
    let mut cols_csv = csv::Writer::from_path(&cols_path).map_err(|e| io(&cols_path, e.into()))?;
    cols_csv
        .write_record(COLUMNS_HEADER)
        .map_err(|e| io(&cols_path, e.into()))?;
    let tables_path = dir.join("tables.csv");
    let mut tables_csv =
        csv::Writer::from_path(&tables_path).map_err(|e| io(&tables_path, e.into()))?;
    tables_csv
        .write_record(TABLES_HEADER)
        .map_err(|e| io(&tables_path, e.into()))?;

    let mut taken = std::collections::HashSet::new();
    let mut done = Vec::new();
    for (ti, t) in catalog.tables.iter().enumerate() {
        if !filter::table_in_scope(t, opts) {
            continue;
        }
        for c in &t.columns {
            let opt = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
            let used = match c.semantics {
                Some(Semantics::Byte) => "B",
                Some(Semantics::Char) => "C",
                None => "",
            };
            cols_csv
                .write_record([
                    t.owner.as_str(),
                    &t.name,
                    &c.name,
                    &c.column_id.to_string(),
                    &c.data_type,
                    &opt(c.data_length),
                    &opt(c.char_length),
                    used,
                    if c.nullable { "Y" } else { "N" },
                ])
                .map_err(|e| io(&cols_path, e.into()))?;
        }
        let char_cols: Vec<usize> = (0..t.columns.len())
            .filter(|&i| {
                t.columns[i].kind(s.dialect).is_scanned()
                    || t.columns[i].kind(s.dialect) == crate::catalog::ColumnKind::National
            })
            .collect();
        let rel = data_file_name(&t.owner, &t.name, &mut taken);
        let path = dir.join(&rel);
        let tmp = dir.join(format!("{rel}.tmp"));
        let mut w = BufWriter::new(File::create(&tmp).map_err(|e| io(&tmp, e))?);
        let mut header = csv::Writer::from_writer(Vec::new());
        let names: Vec<&str> = std::iter::once("ROWID")
            .chain(char_cols.iter().map(|&i| t.columns[i].name.as_str()))
            .collect();
        header
            .write_record(&names)
            .map_err(|e| io(&path, e.into()))?;
        w.write_all(&header.into_inner().expect("in-memory"))
            .map_err(|e| io(&tmp, e))?;
        let mut rows = 0u64;
        let mut failure: Option<SourceError> = None;
        let mut batch = Batch::default();
        for part in source.parts(ti, &char_cols)? {
            source.read(&part, &char_cols, &mut |chunk| {
                batch.reset(char_cols.len());
                if let Err(e) = chunk.decode(&mut batch) {
                    failure = Some(e);
                    return false;
                }
                if let Err(e) = write_batch(&mut w, &batch) {
                    failure = Some(io(&tmp, e));
                    return false;
                }
                rows += batch.rows() as u64;
                true
            })?;
            if let Some(e) = failure.take() {
                return Err(e);
            }
        }
        w.flush().map_err(|e| io(&tmp, e))?;
        drop(w);
        std::fs::rename(&tmp, &path).map_err(|e| io(&path, e))?;
        tables_csv
            .write_record([t.owner.as_str(), &t.name, &rows.to_string(), &rel])
            .map_err(|e| io(&tables_path, e.into()))?;
        done.push((t.qualified(), rows));
    }
    cols_csv.flush().map_err(|e| io(&cols_path, e))?;
    tables_csv.flush().map_err(|e| io(&tables_path, e))?;
    Ok(done)
}

fn write_batch(w: &mut impl Write, b: &Batch) -> std::io::Result<()> {
    let mut line = String::new();
    for r in 0..b.rows() {
        line.clear();
        let rowid = String::from_utf8_lossy(b.rowid(r));
        if rowid.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&rowid.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&rowid);
        }
        for c in 0..b.ncols() {
            line.push(',');
            if let Some(bytes) = b.cell(r, c) {
                line.push('x');
                encode_hex(bytes, &mut line);
            }
        }
        line.push('\n');
        w.write_all(line.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_file_names_are_safe_and_unique() {
        let mut taken = std::collections::HashSet::new();
        assert_eq!(
            data_file_name("SALES", "order notes", &mut taken),
            "data/SALES.order_notes.csv"
        );
        assert_eq!(
            data_file_name("SALES", "order/notes", &mut taken),
            "data/SALES.order_notes.2.csv"
        );
        assert_eq!(data_file_name("HR", "../x", &mut taken), "data/HR.___x.csv");
    }
}
