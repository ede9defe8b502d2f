//! `charmig copy --via client` into PostgreSQL: the source's stored bytes read through COPY
//! (in the source's snapshot), converted to UTF-8 in Rust column by column, and written with
//! `COPY … FROM STDIN` on a UTF8 session. Reading runs on its own thread, converting and
//! writing on the worker's. Two formats:
//! - **binary** (`pump_binary`, see [`super::binary`] for which types qualify): only the
//!   character fields are converted, the rest passes through; the target parses no text.
//! - **text** (`pump`, [`super::text`]): every table with a column the binary path does not
//!   take, and every table of a `--verify` run (its checksum is over the text form).
//!
//! Which charset each column is read as: `--assume-column OWNER.TABLE.COLUMN=CHARSET` for that
//! column, else `--assume CHARSET`, else the source database's charset. Values of other types
//! (numbers, dates, json …) are printed by the source server in its own charset, so they are
//! read as the database's charset (or `--assume`'s when given). A value that does not convert
//! stops the table with an error naming the column and the row, unless `--on-lossy replace`.

use super::binary::{BinaryConverter, BinaryError, Field};
use super::pg_target::{HoldsName, TargetConn, TargetTable, load_err, pg_err};
use super::reading::{Reading, ScanReadings, of_column_reading, reading};
use super::split::{BlockRange, SplitStart};
use super::text::{OnLossy, RowConverter};
use super::{CopyTable, CopyTarget, TableState};
use crate::catalog::ColumnKind;
use crate::charset::Dialect;
use crate::source::Source;
use crate::source::postgres::PgSource;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::catalog::PG_NAME_BYTES as NAME_BYTES;

/// The byte limit of each column: a `name`'s 63 bytes, which its text input cuts a longer value
/// to without a word (its binary input refuses it, without naming the cell).
fn name_limits(tt: &TargetTable) -> Vec<Option<usize>> {
    tt.holds_name
        .iter()
        .map(|h| (*h == HoldsName::Value).then_some(NAME_BYTES))
        .collect()
}

/// Bytes handed to the target's COPY at a time.
const WRITE_PIECE: usize = 64 << 10;

/// What every client-copy worker shares.
pub struct ClientConfig {
    pub source: Arc<PgSource>,
    /// `--assume CHARSET`: read every column as this charset instead of the database's.
    pub assume: Option<String>,
    /// `OWNER.TABLE.COLUMN` (as the dictionary spells them) -> charset.
    pub assume_columns: Vec<(String, String)>,
    pub on_lossy: OnLossy,
    pub verify: bool,
    /// Things the run should report at the end (replaced cells …).
    pub notes: Mutex<Vec<String>>,
    /// How the scan read each column (`--scan`): then `assume` and `assume_columns` are empty.
    pub scan: Option<ScanReadings>,
    /// Tables loaded per way (`postgres_fdw`, `dblink`), reported at the end of a dblink run.
    pub loaded_through: Mutex<std::collections::BTreeMap<&'static str, u64>>,
}

impl ClientConfig {
    /// The index of `t` in the source's catalog.
    pub fn source_index(&self, t: &CopyTable) -> Result<usize, String> {
        self.source
            .catalog()
            .tables
            .iter()
            .position(|x| x.owner == t.owner && x.name == t.name)
            .ok_or_else(|| format!("table {} is not in the source", t.qualified()))
    }
    /// Checks every charset name before anything is copied.
    pub fn check(&self) -> Result<(), String> {
        let names = self
            .assume
            .iter()
            .chain(self.assume_columns.iter().map(|(_, c)| c));
        let db = &self.source.catalog().source.charset;
        for n in names {
            reading(n, Some(db))?;
        }
        Ok(())
    }

    /// How each column of the target's row is read (charset label, reading), in that order.
    pub fn encodings(
        &self,
        t: &CopyTable,
        tt: &TargetTable,
    ) -> Result<Vec<(String, Reading)>, String> {
        let columns = &tt.columns;
        let cat = self.source.catalog();
        let db = match &self.scan {
            Some(s) => s.default.clone(),
            None => self.assume.clone(),
        }
        .unwrap_or_else(|| cat.source.charset.clone());
        let table = cat
            .tables
            .iter()
            .find(|x| x.owner == t.owner && x.name == t.name)
            .ok_or_else(|| format!("table {} is not in the source", t.display()))?;
        // A source column the target lacks would be dropped without a word: refused.
        if let Some(c) = table
            .columns
            .iter()
            .find(|c| !tt.columns.contains(&c.name) && !tt.generated.contains(&c.name))
        {
            return Err(format!(
                "column {} of {} is not in the target's table: add it there (the copy would lose its values)",
                crate::dialect::postgres::shown_ident(&c.name),
                t.display()
            ));
        }
        let assumed: HashMap<&str, &str> = self
            .assume_columns
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        columns
            .iter()
            .map(|c| {
                let col = table.columns.iter().find(|x| &x.name == c).ok_or_else(|| {
                    format!("column {} of {} is in the target but not in the source: the target's table must have the source's columns", crate::dialect::postgres::shown_ident(c), t.display())
                })?;
                let is_char = matches!(col.kind(Dialect::Postgres), ColumnKind::Varchar | ColumnKind::Char);
                if let Some(r) = self.scan.as_ref().and_then(|s| s.get(&t.owner, &t.name, c)) {
                    // The scan decided: read exactly as it read.
                    return Ok((r.charset.clone(), of_column_reading(r)));
                }
                let name = match &self.scan {
                    Some(_) => db.clone(),
                    None => {
                        let key = format!("{}.{}.{}", t.owner, t.name, c);
                        match assumed.get(key.as_str()) {
                            Some(cs) if is_char => cs.to_string(),
                            Some(_) => return Err(format!("--assume-column {key}: not a character column")),
                            None => db.clone(),
                        }
                    }
                };
                let r = reading(&name, Some(&cat.source.charset))?;
                Ok((name, r))
            })
            .collect()
    }
}

/// Reads `columns` of a source table (rows matching `filter`), converts them and writes the
/// UTF-8 COPY text to `out`; returns the converter (rows, checksum, replaced cells).
pub fn pump(
    cfg: &ClientConfig,
    t: &CopyTable,
    tt: &TargetTable,
    filter: Option<&str>,
    out: &mut dyn Write,
    progress: &dyn Fn(u64, u64),
) -> Result<RowConverter, String> {
    let encodings = cfg.encodings(t, tt)?;
    let src = cfg.source_index(t)?;
    // Rows are named by the source's key (the target's may have been dropped by the plan).
    let key_names = source_key(cfg.source.catalog(), t);
    let key_fields: Vec<usize> = key_names
        .iter()
        .filter_map(|k| tt.columns.iter().position(|c| c == k))
        .collect();
    let mut conv = RowConverter::new(
        encodings.iter().map(|e| e.1).collect(),
        cfg.on_lossy,
        key_fields,
        cfg.verify,
    );
    conv.limits = name_limits(tt);
    conv.canon = tt.canon.clone();
    tt.check_name_arrays()?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
    std::thread::scope(|s| {
        let reader = s.spawn(move || {
            cfg.source
                .read_text(src, &tt.columns, filter, &mut |chunk| {
                    tx.send(chunk).is_ok()
                })
        });
        let mut buf = Vec::new();
        let written = (|| -> Result<(), String> {
            for chunk in rx.iter() {
                buf.clear();
                let before = conv.rows;
                conv.convert_chunk(&chunk, &mut buf)
                    .map_err(|u| cell_error(cfg, &encodings, &key_names, t, tt, &u))?;
                // In 64 KiB pieces: the writer sends each piece as its own buffer, which the
                // allocator then reuses (one 1 MiB buffer per chunk cost page faults).
                for piece in buf.chunks(WRITE_PIECE) {
                    out.write_all(piece)
                        .map_err(|e| format!("writing to the target: {e}"))?;
                }
                progress(conv.rows - before, buf.len() as u64);
            }
            Ok(())
        })();
        drop(rx);
        let read = reader
            .join()
            .map_err(|_| "the source reader panicked".to_string())?;
        written?;
        read.map_err(|e| e.to_string())?;
        Ok::<(), String>(())
    })?;
    if conv.replaced_cells > 0 {
        cfg.notes.lock().expect("notes").push(format!(
            "{}: {} had bytes replaced with U+FFFD (--on-lossy replace)",
            t.display(),
            crate::copy::plural(conv.replaced_cells, "cell")
        ));
    }
    Ok(conv)
}

/// The error for a cell that does not convert: the column, row, key and byte, and the ways out.
fn cell_error(
    cfg: &ClientConfig,
    encodings: &[(String, Reading)],
    key_names: &[String],
    t: &CopyTable,
    tt: &TargetTable,
    u: &super::text::Unconvertible,
) -> String {
    let (cs, _) = &encodings[u.column];
    let column = &tt.columns[u.column];
    if let Some(len) = u.too_long {
        return format!(
            "column {}, row {}{}: the value is {len} bytes in UTF-8, more than the {NAME_BYTES} a `name` holds \
             (PostgreSQL would cut it without a word); shorten it in the source, or make the target's column text",
            crate::dialect::postgres::shown_ident(column),
            u.row,
            show_key(key_names, &u.key),
        );
    }
    let fix = if cfg.scan.is_some() {
        "scan again reading the column as its real charset (--assume-column … or auto) and copy with that scan.json"
            .to_string()
    } else {
        format!(
            "read the column as its real charset (copy --scan scan.json of a scan that decided it, or --assume-column {}=CHARSET)",
            crate::dialect::text::escape(&format!("{}.{}.{column}", t.owner, t.name))
        )
    };
    format!(
        "column {}, row {}{}: byte 0x{:02X} at offset {} of the value has no meaning in {cs}; \
         {fix}, repair the source (charmig repair), or write U+FFFD for such bytes (--on-lossy replace)",
        crate::dialect::postgres::shown_ident(column),
        u.row,
        show_key(key_names, &u.key),
        u.byte,
        u.offset,
    )
}

/// The binary layout of a table (see [`super::binary`]), when it can take that path.
pub fn binary_layout(
    cfg: &ClientConfig,
    t: &CopyTable,
    tt: &TargetTable,
) -> Result<Option<Vec<Field>>, String> {
    if cfg.verify {
        return Ok(None);
    }
    let encodings = cfg.encodings(t, tt)?;
    let table = cfg
        .source
        .catalog()
        .tables
        .iter()
        .find(|x| x.owner == t.owner && x.name == t.name)
        .ok_or_else(|| format!("table {} is not in the source", t.qualified()))?;
    let source_types: Vec<String> = tt
        .columns
        .iter()
        .map(|c| {
            table
                .columns
                .iter()
                .find(|x| &x.name == c)
                .map_or_else(String::new, |x| x.data_type.clone())
        })
        .collect();
    let readings: Vec<Reading> = encodings.iter().map(|e| e.1).collect();
    Ok(super::binary::layout(&tt.types, &source_types, &readings))
}

/// [`pump`] for the binary path: reads the table (rows matching `filter`) with a binary COPY,
/// converts its character fields and writes the target's binary COPY stream (header, rows,
/// trailer) to `out`; returns the rows.
pub fn pump_binary(
    cfg: &ClientConfig,
    t: &CopyTable,
    tt: &TargetTable,
    fields: Vec<Field>,
    filter: Option<&str>,
    out: &mut dyn Write,
    progress: &dyn Fn(u64, u64),
) -> Result<u64, String> {
    let encodings = cfg.encodings(t, tt)?;
    let src = cfg.source_index(t)?;
    let key_names = source_key(cfg.source.catalog(), t);
    let key_fields: Vec<usize> = key_names
        .iter()
        .filter_map(|k| tt.columns.iter().position(|c| c == k))
        .collect();
    let exprs = super::binary::select_list(&tt.columns, &fields);
    let mut conv = BinaryConverter::new(fields, cfg.on_lossy, key_fields);
    conv.limits = name_limits(tt);
    tt.check_name_arrays()?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
    std::thread::scope(|s| {
        let reader = s.spawn(move || {
            cfg.source
                .read_binary(src, &exprs, filter, &mut |chunk| tx.send(chunk).is_ok())
        });
        let mut buf = Vec::new();
        let written = (|| -> Result<(), String> {
            out.write_all(super::binary::HEADER)
                .map_err(|e| format!("writing to the target: {e}"))?;
            for chunk in rx.iter() {
                buf.clear();
                let before = conv.rows;
                conv.convert_chunk(&chunk, &mut buf).map_err(|e| match e {
                    BinaryError::Cell(u) => cell_error(cfg, &encodings, &key_names, t, tt, &u),
                    BinaryError::Stream(m) => format!("reading {}: {m}", t.qualified()),
                })?;
                for piece in buf.chunks(WRITE_PIECE) {
                    out.write_all(piece)
                        .map_err(|e| format!("writing to the target: {e}"))?;
                }
                progress(conv.rows - before, buf.len() as u64);
            }
            conv.finish().map_err(|_| {
                format!(
                    "reading {}: the source's COPY stream ended early",
                    t.qualified()
                )
            })?;
            out.write_all(super::binary::TRAILER)
                .map_err(|e| format!("writing to the target: {e}"))
        })();
        drop(rx);
        let read = reader
            .join()
            .map_err(|_| "the source reader panicked".to_string())?;
        // A read error explains a short stream better than the converter's complaint.
        read.map_err(|e| e.to_string())?;
        written
    })?;
    if conv.replaced_cells > 0 {
        cfg.notes.lock().expect("notes").push(format!(
            "{}: {} had bytes replaced with U+FFFD (--on-lossy replace)",
            t.display(),
            crate::copy::plural(conv.replaced_cells, "cell")
        ));
    }
    Ok(conv.rows)
}

/// The source's primary key of a table (else its first unique key; empty without either).
pub fn source_key(cat: &crate::catalog::Catalog, t: &CopyTable) -> Vec<String> {
    use crate::catalog::ConstraintKind;
    let of = |kind: ConstraintKind| {
        cat.constraints
            .iter()
            .filter(|c| c.owner == t.owner && c.table == t.name && c.kind == kind)
            .min_by(|a, b| a.name.cmp(&b.name))
            .map(|c| c.columns.clone())
    };
    of(ConstraintKind::Primary)
        .or_else(|| of(ConstraintKind::Unique))
        .unwrap_or_default()
}

/// ` (key id=5, line=2)`, or nothing without a key.
pub fn show_key(names: &[String], values: &[String]) -> String {
    if names.is_empty() || names.len() != values.len() {
        return String::new();
    }
    let pairs: Vec<String> = names
        .iter()
        .zip(values)
        .map(|(n, v)| format!("{}={v}", crate::dialect::postgres::shown_ident(n)))
        .collect();
    format!(" (key {})", pairs.join(", "))
}

/// What one COPY into the target did.
pub(super) struct Loaded {
    /// Rows read from the source.
    pub read: u64,
    /// Their checksum (`--verify`).
    pub checksum: Option<i128>,
    /// Rows the target's COPY reports written.
    pub written: u64,
    /// `binary COPY` or `text COPY`.
    pub way: &'static str,
}

impl ClientConfig {
    /// Counts a table loaded `way` (reported at the end of the run).
    pub(super) fn loaded(&self, way: &'static str) {
        *self
            .loaded_through
            .lock()
            .expect("counts")
            .entry(way)
            .or_default() += 1;
    }
}

/// Loads the rows of `t` matching `filter` with one `COPY … FROM STDIN` on `conn`, in its
/// open transaction (binary when the table's types allow, see [`binary_layout`]); `freeze`
/// when the table was emptied in that transaction.
pub(super) fn load_rows(
    conn: &mut TargetConn,
    cfg: &ClientConfig,
    t: &CopyTable,
    filter: Option<&str>,
    freeze: bool,
    progress: &dyn Fn(u64, u64),
) -> Result<Loaded, String> {
    let tt = conn.table(t)?;
    let freeze = if freeze { ", FREEZE" } else { "" };
    let binary = binary_layout(cfg, t, &tt)?;
    let way = if binary.is_some() {
        "binary COPY"
    } else {
        "text COPY"
    };
    let sql = format!(
        "COPY {}{} FROM STDIN (FORMAT {}{freeze})",
        tt.sql_name,
        tt.column_clause(),
        if binary.is_some() { "binary" } else { "text" }
    );
    let mut w = conn.client.copy_in(sql.as_str()).map_err(|e| pg_err(&e))?;
    // On an error the writer is dropped unfinished, which aborts the COPY.
    let pumped = match binary {
        Some(fields) => {
            pump_binary(cfg, t, &tt, fields, filter, &mut w, progress).map(|n| (n, None))
        }
        None => pump(cfg, t, &tt, filter, &mut w, progress).map(|c| (c.rows, c.checksum)),
    };
    let (read, checksum) = match pumped {
        Ok(r) => r,
        // The server refused the COPY mid-stream: its own error says why.
        Err(e) if e.starts_with("writing to the target") => {
            return Err(match w.finish() {
                Err(fe) => format!("COPY into {}: {}", t.display(), load_err(&fe)),
                Ok(_) => e,
            });
        }
        Err(e) => return Err(e),
    };
    let written = w
        .finish()
        .map_err(|e| format!("COPY into {}: {}", t.display(), load_err(&e)))?;
    Ok(Loaded {
        read,
        checksum,
        written,
        way,
    })
}

/// A client-copy worker: its own target connection; source reads share the source's pool.
pub struct ClientTarget {
    pub conn: TargetConn,
    pub cfg: Arc<ClientConfig>,
    /// Rows and checksum of the last table read from the source, and rows its COPY wrote.
    last: Option<(u64, Option<i128>, u64)>,
}

impl ClientTarget {
    pub fn new(conn: TargetConn, cfg: Arc<ClientConfig>) -> ClientTarget {
        ClientTarget {
            conn,
            cfg,
            last: None,
        }
    }
}

impl CopyTarget for ClientTarget {
    fn states(&mut self) -> Result<HashMap<(String, String), TableState>, String> {
        self.conn.states()
    }
    fn truncate_together(&mut self, tables: &[&CopyTable]) -> Result<(), String> {
        self.conn.truncate_together(tables)
    }
    fn fk_checks_off(&mut self, off: bool) -> Result<(), String> {
        self.conn.fk_checks_off = off;
        Ok(())
    }
    fn log(
        &mut self,
        t: &CopyTable,
        state: TableState,
        rows: Option<u64>,
        error: Option<&str>,
    ) -> Result<(), String> {
        self.conn.log(t, state, rows, error)
    }
    fn truncate(&mut self, t: &CopyTable) -> Result<(), String> {
        self.conn.begin_truncate(t)
    }
    fn copy(&mut self, t: &CopyTable, progress: &dyn Fn(u64, u64)) -> Result<u64, String> {
        self.last = None;
        let freeze = self.conn.truncated;
        let l = load_rows(&mut self.conn, &self.cfg, t, None, freeze, progress)?;
        self.last = Some((l.read, l.checksum, l.written));
        self.cfg.loaded(l.way);
        Ok(l.written)
    }
    fn counts(&mut self, t: &CopyTable) -> Result<(u64, u64), String> {
        let _ = t;
        // The target's count is COPY's own (the table was emptied in its transaction): no
        // count(*) scan of what was just written.
        let (src, _, written) = self.last.ok_or("no copy to count")?;
        Ok((src, written))
    }
    fn checksums(&mut self, t: &CopyTable) -> Result<Option<(String, String)>, String> {
        match self.last {
            Some((_, Some(sum), _)) => Ok(Some((sum.to_string(), self.conn.checksum(t)?))),
            _ => Ok(None),
        }
    }
    fn finish(&mut self, t: &CopyTable, rows: u64) -> Result<(), String> {
        let reading = super::pg_ranges::logged_reading(&mut self.conn, &self.cfg, t)?;
        self.conn.finish(t, rows, &reading)
    }
    fn changed_reading(&mut self, t: &CopyTable) -> Result<Option<String>, String> {
        super::pg_ranges::done_table_changed(&mut self.conn, &self.cfg, t, true)
    }
    fn run_step(&mut self, plan_id: &str, step: &crate::plan::Step) -> Result<(), String> {
        self.conn.run_step(plan_id, step)
    }
    fn step_failed(&mut self, plan_id: &str, step: &crate::plan::Step, error: &str) {
        self.conn.step_failed(plan_id, step, error)
    }
    fn build_workers(&mut self, n: Option<usize>) {
        self.conn.build_workers(n)
    }
    fn split_tables(&mut self) -> Result<std::collections::HashSet<(String, String)>, String> {
        super::pg_ranges::split_tables(&mut self.conn.client)
    }
    fn start_split(
        &mut self,
        t: &CopyTable,
        planned: &[BlockRange],
        restart: bool,
    ) -> Result<SplitStart, String> {
        super::pg_ranges::start(&mut self.conn, &self.cfg, t, planned, restart)
    }
    fn copy_range(
        &mut self,
        t: &CopyTable,
        r: &BlockRange,
        progress: &dyn Fn(u64, u64),
    ) -> Result<u64, String> {
        super::pg_ranges::copy_range(&mut self.conn, &self.cfg, t, r, progress)
    }
    fn range_failed(&mut self, t: &CopyTable, r: &BlockRange, error: &str) {
        super::pg_ranges::failed(&mut self.conn, t, r, error)
    }
    fn finish_split(&mut self, t: &CopyTable) -> Result<u64, String> {
        super::pg_ranges::finish(&mut self.conn, &self.cfg, t)
    }
}
