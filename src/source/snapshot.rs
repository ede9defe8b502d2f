//! The offline snapshot source: format `charmig-snapshot/1` (ARCHITECTURE.md), a public
//! interchange format. Reading is streamed: data files are read in blocks cut at record
//! boundaries and decoded by the scan workers, so memory stays flat however large a table is.
//!
//! Every malformed input is an error naming the file and line; nothing is guessed.

use super::{Batch, Chunk, Part, Source, SourceError};
use crate::catalog::{Catalog, Column, MaxStringSize, Semantics, SourceInfo, Table};
use crate::charset::Dialect;
use serde::Deserialize;
use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The format name this reader understands.
pub const FORMAT: &str = "charmig-snapshot/1";
/// Size of the blocks a data file is read in.
const BLOCK: usize = 1 << 20;

pub const COLUMNS_HEADER: [&str; 9] = [
    "owner",
    "table_name",
    "column_name",
    "column_id",
    "data_type",
    "data_length",
    "char_length",
    "char_used",
    "nullable",
];
pub const TABLES_HEADER: [&str; 4] = ["owner", "table_name", "num_rows", "data_file"];

#[derive(Deserialize)]
struct SnapshotJson {
    format: String,
    source: SourceJson,
    #[serde(default)]
    exported_at: Option<String>,
}

#[derive(Deserialize)]
struct SourceJson {
    dialect: String,
    #[serde(default)]
    version: Option<String>,
    charset: String,
    #[serde(default)]
    nchar_charset: Option<String>,
    #[serde(default)]
    max_string_size: Option<String>,
    /// Optional: which database the snapshot was exported from.
    #[serde(default)]
    identity: Option<crate::catalog::DbIdentity>,
}

/// An opened snapshot directory: its dictionary, and the data files it names.
pub struct SnapshotSource {
    dir: PathBuf,
    catalog: Catalog,
    data_files: Vec<Option<PathBuf>>,
    /// tables.csv line of each table, for errors about its data file.
    table_lines: Vec<u64>,
    /// `snapshot.json, line N`: where the source charset is declared.
    charset_origin: String,
    pub exported_at: Option<String>,
}

fn err(file: &Path, line: Option<u64>, message: impl Into<String>) -> SourceError {
    SourceError::Snapshot {
        file: file.display().to_string(),
        line,
        message: message.into(),
    }
}

/// Maps a CSV header to the positions of the required names; an error names what is missing.
fn header_positions(
    file: &Path,
    header: &csv::StringRecord,
    required: &[&str],
) -> Result<Vec<usize>, SourceError> {
    required
        .iter()
        .map(|name| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    err(
                        file,
                        Some(1),
                        format!(
                            "header has no `{name}` column (expected {})",
                            required.join(",")
                        ),
                    )
                })
        })
        .collect()
}

/// The line of `snapshot.json` where `"key"` first appears, for error messages.
fn json_line(text: &str, key: &str) -> Option<u64> {
    let quoted = format!("\"{key}\"");
    text.lines()
        .position(|l| l.contains(&quoted))
        .map(|i| i as u64 + 1)
}

/// Refuses anything but a regular file before opening it: opening a FIFO would wait for a
/// writer forever, and a device or socket is no snapshot file either. A missing file passes
/// (the open that follows names it).
fn regular_file(file: &Path) -> Result<(), SourceError> {
    match std::fs::metadata(file) {
        Ok(m) if !m.file_type().is_file() => Err(err(
            file,
            None,
            "not a regular file (a FIFO, device or directory): a snapshot's files must be regular files",
        )),
        _ => Ok(()),
    }
}

fn open_csv(file: &Path) -> Result<csv::Reader<File>, SourceError> {
    regular_file(file)?;
    let f = File::open(file).map_err(|e| err(file, None, format!("cannot open: {e}")))?;
    Ok(csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(f))
}

fn parse_opt_u(file: &Path, line: u64, what: &str, s: &str) -> Result<Option<u64>, SourceError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<u64>().map(Some).map_err(|_| {
        err(
            file,
            Some(line),
            format!("{what} `{s}` is not a whole number"),
        )
    })
}

fn parse_opt_u32(file: &Path, line: u64, what: &str, s: &str) -> Result<Option<u32>, SourceError> {
    parse_opt_u(file, line, what, s)?
        .map(|v| {
            u32::try_from(v)
                .map_err(|_| err(file, Some(line), format!("{what} `{v}` is too large")))
        })
        .transpose()
}

impl SnapshotSource {
    /// Opens and validates a snapshot's dictionary (snapshot.json, columns.csv, tables.csv).
    pub fn open(dir: &Path) -> Result<SnapshotSource, SourceError> {
        let meta_path = dir.join("snapshot.json");
        if !dir.is_dir() {
            return Err(err(
                dir,
                None,
                "not a directory: pass the snapshot directory to --snapshot",
            ));
        }
        regular_file(&meta_path)?;
        let text = std::fs::read_to_string(&meta_path).map_err(|e| {
            err(
                &meta_path,
                None,
                format!("cannot read: {e} (is this a charmig snapshot directory?)"),
            )
        })?;
        let meta: SnapshotJson = serde_json::from_str(&text).map_err(|e| {
            err(
                &meta_path,
                Some(e.line() as u64),
                format!("invalid JSON: {e}"),
            )
        })?;
        if meta.format != FORMAT {
            return Err(err(
                &meta_path,
                json_line(&text, "format"),
                format!(
                    "unknown format `{}`: this charmig reads `{FORMAT}`",
                    meta.format
                ),
            ));
        }
        let dialect = Dialect::parse(&meta.source.dialect).ok_or_else(|| {
            err(
                &meta_path,
                json_line(&text, "dialect"),
                format!(
                    "unknown source dialect `{}` (expected oracle or postgres)",
                    meta.source.dialect
                ),
            )
        })?;
        let max_string_size = match meta
            .source
            .max_string_size
            .as_deref()
            .map(str::to_ascii_uppercase)
            .as_deref()
        {
            None | Some("") | Some("STANDARD") => MaxStringSize::Standard,
            Some("EXTENDED") => MaxStringSize::Extended,
            Some(other) => {
                return Err(err(
                    &meta_path,
                    json_line(&text, "max_string_size"),
                    format!("max_string_size `{other}` is neither STANDARD nor EXTENDED"),
                ));
            }
        };
        if meta.source.charset.trim().is_empty() {
            return Err(err(
                &meta_path,
                json_line(&text, "charset"),
                "source.charset is empty: it must name the database charset",
            ));
        }
        let charset_line = json_line(&text, "charset");
        let source = SourceInfo {
            dialect,
            version: meta.source.version.unwrap_or_default(),
            charset: meta.source.charset,
            nchar_charset: meta.source.nchar_charset,
            max_string_size,
            identity: meta.source.identity,
        };
        let columns_path = dir.join("columns.csv");
        let mut columns = read_columns(&columns_path)?;
        let (tables, data_files, table_lines) = read_tables(dir, &mut columns)?;
        // A table in columns.csv but not in tables.csv would silently go unscanned.
        if let Some(((owner, table), (line, _))) = columns.iter().min_by_key(|(_, (line, _))| *line)
        {
            return Err(err(
                &columns_path,
                Some(*line),
                format!(
                    "table {owner}.{table} is not listed in tables.csv (its data would not be scanned)"
                ),
            ));
        }
        Ok(SnapshotSource {
            charset_origin: match charset_line {
                Some(l) => format!("{}, line {l}", meta_path.display()),
                None => meta_path.display().to_string(),
            },
            dir: dir.to_path_buf(),
            catalog: Catalog::with_tables(source, tables),
            data_files,
            table_lines,
            exported_at: meta.exported_at,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The catalog, for adding what the snapshot's `dictionary/` files describe beyond its
    /// tables (see `source::oracle::snapshot_dict::enrich`).
    pub fn catalog_mut(&mut self) -> &mut Catalog {
        &mut self.catalog
    }
}

/// Columns per (owner, table), with the columns.csv line of the table's first column.
type ColumnMap = HashMap<(String, String), (u64, Vec<Column>)>;

fn read_columns(path: &Path) -> Result<ColumnMap, SourceError> {
    let mut rdr = open_csv(path)?;
    let header = rdr
        .headers()
        .map_err(|e| err(path, Some(1), e.to_string()))?
        .clone();
    let pos = header_positions(path, &header, &COLUMNS_HEADER)?;
    let mut map: ColumnMap = HashMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| err(path, Some(line), e.to_string()))?;
        if rec.len() != header.len() {
            return Err(err(
                path,
                Some(line),
                format!("{} fields, the header has {}", rec.len(), header.len()),
            ));
        }
        let f = |k: usize| rec.get(pos[k]).unwrap_or("");
        let (owner, table, name) = (f(0).to_string(), f(1).to_string(), f(2).to_string());
        if owner.is_empty() || table.is_empty() || name.is_empty() {
            return Err(err(
                path,
                Some(line),
                "owner, table_name and column_name must not be empty",
            ));
        }
        let column_id = parse_opt_u32(path, line, "column_id", f(3))?.unwrap_or(0);
        let semantics = match f(7).trim() {
            "B" => Some(Semantics::Byte),
            "C" => Some(Semantics::Char),
            "" => None,
            other => {
                return Err(err(
                    path,
                    Some(line),
                    format!("char_used `{other}` is not B, C or empty"),
                ));
            }
        };
        let nullable = !matches!(f(8).trim(), "N" | "n" | "NO");
        let cols = &mut map
            .entry((owner.clone(), table.clone()))
            .or_insert_with(|| (line, Vec::new()))
            .1;
        if cols.iter().any(|c| c.name == name) {
            return Err(err(
                path,
                Some(line),
                format!("column {owner}.{table}.{name} is listed twice"),
            ));
        }
        cols.push(Column {
            name,
            column_id,
            data_type: f(4).trim().to_string(),
            data_length: parse_opt_u32(path, line, "data_length", f(5))?,
            char_length: parse_opt_u32(path, line, "char_length", f(6))?,
            semantics,
            nullable,
        });
    }
    Ok(map)
}

type TableList = (Vec<Table>, Vec<Option<PathBuf>>, Vec<u64>);

fn read_tables(dir: &Path, columns: &mut ColumnMap) -> Result<TableList, SourceError> {
    let path = dir.join("tables.csv");
    let mut rdr = open_csv(&path)?;
    let header = rdr
        .headers()
        .map_err(|e| err(&path, Some(1), e.to_string()))?
        .clone();
    let pos = header_positions(&path, &header, &TABLES_HEADER)?;
    let mut tables = Vec::new();
    let mut files = Vec::new();
    let mut lines = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| err(&path, Some(line), e.to_string()))?;
        if rec.len() != header.len() {
            return Err(err(
                &path,
                Some(line),
                format!("{} fields, the header has {}", rec.len(), header.len()),
            ));
        }
        let f = |k: usize| rec.get(pos[k]).unwrap_or("");
        let (owner, name) = (f(0).to_string(), f(1).to_string());
        if tables
            .iter()
            .any(|t: &Table| t.owner == owner && t.name == name)
        {
            return Err(err(
                &path,
                Some(line),
                format!("table {owner}.{name} is listed twice"),
            ));
        }
        let data_file = f(3).trim();
        if data_file.contains("..") || Path::new(data_file).is_absolute() {
            return Err(err(
                &path,
                Some(line),
                format!("data_file `{data_file}` must be a relative path inside the snapshot"),
            ));
        }
        // A table without columns (PostgreSQL allows them) has no row in columns.csv: its data
        // file holds only row identifiers (header `ROWID`), whose count is its row count.
        let (_, mut cols) = match columns.remove(&(owner.clone(), name.clone())) {
            Some(found) => found,
            None if rowid_only(&dir.join(data_file)) => Default::default(),
            None => {
                return Err(err(
                    &path,
                    Some(line),
                    format!("table {owner}.{name} has no columns in columns.csv"),
                ));
            }
        };
        cols.sort_by_key(|c| c.column_id);
        tables.push(Table {
            owner,
            name,
            num_rows: parse_opt_u(&path, line, "num_rows", f(2))?,
            columns: cols,
        });
        files.push((!data_file.is_empty()).then(|| dir.join(data_file)));
        lines.push(line);
    }
    Ok((tables, files, lines))
}

/// True when a data file's header is `ROWID` alone (a table without columns).
fn rowid_only(file: &Path) -> bool {
    use std::io::BufRead;
    // Only a regular file: opening a FIFO would wait for a writer.
    if !std::fs::metadata(file).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let Ok(f) = File::open(file) else {
        return false;
    };
    let mut first = String::new();
    std::io::BufReader::new(f).read_line(&mut first).is_ok()
        && first.trim_end_matches(['\r', '\n']) == "ROWID"
}

impl Source for SnapshotSource {
    fn describe(&self) -> String {
        format!("snapshot {}", self.dir.display())
    }

    fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    fn charset_origin(&self) -> String {
        self.charset_origin.clone()
    }

    fn size_hint(&self, table: usize) -> u64 {
        self.data_files[table]
            .as_ref()
            .and_then(|p| std::fs::metadata(p).ok())
            .map_or(0, |m| m.len())
    }

    fn parts(&self, table: usize, _columns: &[usize]) -> Result<Vec<Part>, SourceError> {
        match &self.data_files[table] {
            Some(_) => Ok(vec![Part {
                table,
                index: 0,
                range: None,
            }]),
            None => Err(err(
                &self.dir.join("tables.csv"),
                Some(self.table_lines[table]),
                format!(
                    "table {} has no data_file: it was not exported",
                    self.catalog.tables[table].qualified()
                ),
            )),
        }
    }

    fn read(
        &self,
        part: &Part,
        columns: &[usize],
        emit: &mut dyn FnMut(Box<dyn Chunk>) -> bool,
    ) -> Result<(), SourceError> {
        let table = &self.catalog.tables[part.table];
        let path = self.data_files[part.table]
            .as_ref()
            .expect("parts() checked the data file");
        regular_file(path)?;
        let mut file =
            File::open(path).map_err(|e| err(path, None, format!("cannot open data file: {e}")))?;
        let mut buf = Vec::with_capacity(BLOCK * 2);
        // Header: the first record.
        let header_end = loop {
            if let Some(end) = first_record_end(&buf) {
                break end;
            }
            if fill(&mut file, &mut buf, path)? == 0 {
                if buf.is_empty() {
                    return Err(err(
                        path,
                        Some(1),
                        "empty data file: expected a header `ROWID,<columns>`",
                    ));
                }
                break buf.len();
            }
        };
        let header = parse_header(&buf[..header_end], path)?;
        let layout = Arc::new(Layout::new(table, columns, &header, path)?);
        buf.drain(..header_end);
        let mut line = 2u64;
        loop {
            let eof = fill(&mut file, &mut buf, path)? == 0;
            let cut = if eof {
                buf.len()
            } else {
                record_end(&buf, buf.len()).unwrap_or(0)
            };
            if cut == 0 && !eof {
                continue; // one record larger than the buffer: read more.
            }
            if cut > 0 {
                // Hand the block over and keep only the partial record after the cut: a copy
                // of the remainder, not of the block.
                let rest = buf[cut..].to_vec();
                buf.truncate(cut);
                let data = std::mem::replace(&mut buf, rest);
                let lines = memchr::memchr_iter(b'\n', &data).count() as u64;
                let chunk = SnapshotChunk {
                    data,
                    first_line: line,
                    layout: Arc::clone(&layout),
                };
                line += lines;
                if !emit(Box::new(chunk)) {
                    return Ok(());
                }
            }
            if eof {
                return Ok(());
            }
        }
    }
}

/// Reads up to one block more into `buf`; returns the number of bytes read.
fn fill(file: &mut File, buf: &mut Vec<u8>, path: &Path) -> Result<usize, SourceError> {
    // Reserve once (no zeroing, no regrowth); `read_to_end` retries interrupted reads.
    buf.reserve(2 * BLOCK);
    file.take(BLOCK as u64)
        .read_to_end(buf)
        .map_err(|e| err(path, None, format!("read error: {e}")))
}

/// The end (one past the newline) of the last complete record in `buf[..len]`, honouring
/// CSV quotes (a quoted row identifier may hold a newline). `buf` starts at a record start.
fn record_end(buf: &[u8], len: usize) -> Option<usize> {
    let buf = &buf[..len];
    if memchr::memchr(b'"', buf).is_none() {
        return memchr::memrchr(b'\n', buf).map(|i| i + 1);
    }
    let mut in_quotes = false;
    let mut last = None;
    for i in memchr::memchr2_iter(b'"', b'\n', buf) {
        if buf[i] == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            last = Some(i + 1);
        }
    }
    last
}

/// The end (one past the newline) of the first record in `buf`, honouring CSV quotes.
fn first_record_end(buf: &[u8]) -> Option<usize> {
    let mut in_quotes = false;
    for i in memchr::memchr2_iter(b'"', b'\n', buf) {
        if buf[i] == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            return Some(i + 1);
        }
    }
    None
}

fn parse_header(bytes: &[u8], path: &Path) -> Result<Vec<String>, SourceError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    let mut rec = csv::StringRecord::new();
    let ok = rdr
        .read_record(&mut rec)
        .map_err(|e| err(path, Some(1), format!("bad header: {e}")))?;
    if !ok || rec.get(0).map(str::trim) != Some("ROWID") {
        return Err(err(
            path,
            Some(1),
            "header must start with `ROWID`, then the column names",
        ));
    }
    Ok(rec.iter().map(str::to_string).collect())
}

/// Where each requested column sits in a data file's records.
struct Layout {
    file: String,
    fields: usize,
    positions: Vec<usize>,
    names: Vec<String>,
}

impl Layout {
    fn new(
        table: &Table,
        columns: &[usize],
        header: &[String],
        path: &Path,
    ) -> Result<Layout, SourceError> {
        for (i, h) in header.iter().enumerate() {
            if header[..i].contains(h) {
                return Err(err(
                    path,
                    Some(1),
                    format!("column `{h}` appears twice in the header"),
                ));
            }
        }
        let mut positions = Vec::new();
        let mut names = Vec::new();
        for &c in columns {
            let name = &table.columns[c].name;
            let p = header
                .iter()
                .skip(1)
                .position(|h| h == name)
                .ok_or_else(|| {
                    err(
                        path,
                        Some(1),
                        format!(
                            "column `{name}` of {} is missing from the header",
                            table.qualified()
                        ),
                    )
                })?;
            positions.push(p + 1);
            names.push(name.clone());
        }
        Ok(Layout {
            file: path.display().to_string(),
            fields: header.len(),
            positions,
            names,
        })
    }
}

struct SnapshotChunk {
    data: Vec<u8>,
    first_line: u64,
    layout: Arc<Layout>,
}

impl Chunk for SnapshotChunk {
    fn size(&self) -> u64 {
        self.data.len() as u64
    }

    fn decode(&self, batch: &mut Batch) -> Result<(), SourceError> {
        // Fast path: without quotes or carriage returns a record is a line and a field is
        // what lies between commas (what `export` writes). Anything else goes through the
        // CSV reader; both give the same rows and the same errors (tested).
        if memchr::memchr2(b'"', b'\r', &self.data).is_none() {
            self.decode_plain(batch)
        } else {
            self.decode_csv(batch)
        }
    }
}

impl SnapshotChunk {
    fn fail(&self, line: u64, message: String) -> SourceError {
        SourceError::Snapshot {
            file: self.layout.file.clone(),
            line: Some(line),
            message,
        }
    }

    fn decode_csv(&self, batch: &mut Batch) -> Result<(), SourceError> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&self.data[..]);
        let mut rec = csv::ByteRecord::new();
        loop {
            let line_in = rdr.position().line();
            let more = rdr
                .read_byte_record(&mut rec)
                .map_err(|e| self.fail(self.first_line + line_in - 1, format!("bad CSV: {e}")))?;
            if !more {
                return Ok(());
            }
            let line = self.first_line + rec.position().map_or(line_in, |p| p.line()) - 1;
            self.row(batch, line, rec.len(), |i| &rec[i])?;
        }
    }

    fn decode_plain(&self, batch: &mut Batch) -> Result<(), SourceError> {
        let data = &self.data[..];
        // Start of each field, plus one past the end of the record (+1).
        let mut bounds: Vec<usize> = Vec::with_capacity(self.layout.fields + 1);
        let mut line = self.first_line;
        let mut start = 0;
        while start < data.len() {
            let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |i| start + i);
            let rec = &data[start..end];
            // The CSV reader skips empty lines; so does this.
            if !rec.is_empty() {
                bounds.clear();
                bounds.push(0);
                bounds.extend(memchr::memchr_iter(b',', rec).map(|i| i + 1));
                bounds.push(rec.len() + 1);
                self.row(batch, line, bounds.len() - 1, |i| {
                    &rec[bounds[i]..bounds[i + 1] - 1]
                })?;
            }
            line += 1;
            start = end + 1;
        }
        Ok(())
    }

    /// Checks one record and appends it to the batch.
    fn row<'r>(
        &self,
        batch: &mut Batch,
        line: u64,
        fields: usize,
        field: impl Fn(usize) -> &'r [u8],
    ) -> Result<(), SourceError> {
        let l = &*self.layout;
        if fields != l.fields {
            return Err(self.fail(
                line,
                format!("{fields} fields, the header has {}", l.fields),
            ));
        }
        batch.start_row(field(0), line);
        for (k, &p) in l.positions.iter().enumerate() {
            let field = field(p);
            if field.is_empty() {
                batch.push_null();
                continue;
            }
            if field[0] != b'x' {
                return Err(self.fail(
                    line,
                    format!(
                        "column `{}`: expected empty (NULL) or `x` followed by hex, found `{}`",
                        l.names[k],
                        preview(field)
                    ),
                ));
            }
            let hex = &field[1..];
            let mut bad = None;
            batch.push_cell_with(|out| bad = decode_hex(hex, out).err());
            if let Some(off) = bad {
                return Err(self.fail(
                    line,
                    format!(
                        "column `{}`: bad hex at character {} of `{}`",
                        l.names[k],
                        off + 2,
                        preview(field)
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn preview(field: &[u8]) -> String {
    let s = String::from_utf8_lossy(&field[..field.len().min(40)]).into_owned();
    if field.len() > 40 {
        format!("{s}…")
    } else {
        s
    }
}

const HEX_INVALID: u8 = 0xFF;
static HEX: [u8; 256] = {
    let mut t = [HEX_INVALID; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'A' as usize + i] = 10 + i as u8;
        t[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// Decodes hex digits into `out`. On error returns the offset of the offending digit
/// (an odd count is reported at the last digit).
pub fn decode_hex(hex: &[u8], out: &mut Vec<u8>) -> Result<(), usize> {
    if !hex.len().is_multiple_of(2) {
        return Err(hex.len() - 1);
    }
    let start = out.len();
    out.resize(start + hex.len() / 2, 0);
    // Branch-free: invalid digits are 0xFF in the table, valid ones below 16, so one OR over
    // all digits tells whether any was invalid; only then look for which.
    let mut seen = 0u8;
    for (o, pair) in out[start..].iter_mut().zip(hex.chunks_exact(2)) {
        let (hi, lo) = (HEX[pair[0] as usize], HEX[pair[1] as usize]);
        seen |= hi | lo;
        *o = hi << 4 | lo;
    }
    if seen & 0xF0 == 0 {
        return Ok(());
    }
    out.truncate(start);
    Err(hex
        .iter()
        .position(|&d| HEX[d as usize] == HEX_INVALID)
        .expect("an invalid digit was seen"))
}

/// Encodes bytes as upper-case hex (the snapshot's cell encoding without the `x`).
pub fn encode_hex(bytes: &[u8], out: &mut String) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
}

#[cfg(test)]
mod tests;
