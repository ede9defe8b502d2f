//! From a scan to the list of cell changes a clean-up makes: every change carries the row
//! identifier, the original stored bytes (as the scan saw them: a cell that changed since is
//! skipped when the change is applied), the new bytes and what was done.

use super::cut::fit;
use super::repair::{self, Mode};
use crate::catalog::{ColumnKind, SourceInfo};
use crate::charset::classify::ColumnProfile;
use crate::charset::{Category, Encoding, Target, resolve};
use crate::scan::reading::ColumnReading;
use crate::scan::{ColumnResult, Exception, ScanResult};
use crate::source::snapshot::decode_hex;

/// One cell to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub owner: String,
    pub table: String,
    pub column: String,
    pub row_id: String,
    /// The stored bytes the scan saw.
    pub original: Vec<u8>,
    pub new: Vec<u8>,
    /// Truncation: characters kept. Repair: 0.
    pub kept_chars: usize,
    /// Human-readable: "kept 12 of 15 characters", "cp1252: “ -> \"".
    pub detail: String,
    /// The charset the bytes are in.
    pub charset: String,
    /// What was done, in ASCII for the audit table: `truncate`, `cp1252/source`, `assume=WIN1252/target` …
    pub mode: String,
}

/// A cell the clean-up leaves alone, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    pub object: String,
    pub row_id: String,
    pub reason: String,
}

/// The charset a column's bytes are stored in (for an `auto` column: the base charset its
/// non-UTF-8 values are read as).
fn encoding_of(col: &ColumnResult, source: &SourceInfo) -> Result<Encoding, String> {
    let name = if col.source_charset.eq_ignore_ascii_case("auto") {
        col.auto_base
            .as_deref()
            .unwrap_or(crate::scan::reading::DEFAULT_AUTO_BASE)
    } else {
        col.source_charset.as_str()
    };
    resolve(name, source.dialect)
        .map(|c| c.encoding)
        .ok_or_else(|| {
            format!(
                "{}.{}.{}: charset {name} unknown",
                col.owner, col.table_name, col.column_name
            )
        })
}

/// The scan's reading of a column, when it is `auto` (each cell read as UTF-8 when it is
/// valid multi-byte UTF-8, else as the base charset with cp1252 C1 bytes).
fn auto_reading(col: &ColumnResult, source: &SourceInfo) -> Option<ColumnReading> {
    ColumnReading::of_column(col, source.dialect)
        .ok()
        .filter(|r| r.is_auto())
}

/// Valid UTF-8 holding a multi-byte sequence: a value a UTF-8 client stored byte for byte.
pub fn is_passthrough(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

fn original_bytes(e: &Exception) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    if e.hex.ends_with('…') {
        return Err(format!(
            "the scan kept only the first {} bytes of this {}-byte value, so its stored bytes cannot be checked: not touched; \
             fix this cell by hand (its original is what the database holds now)",
            (e.hex.len() - '…'.len_utf8()) / 2,
            e.current_bytes
        ));
    }
    decode_hex(e.hex.as_bytes(), &mut out)
        .map_err(|off| format!("bad hex at {off} in scan.json"))?;
    Ok(out)
}

fn in_tables(owner: &str, table: &str, tables: &[String]) -> bool {
    tables.is_empty()
        || tables
            .iter()
            .any(|t| crate::scan::filter::names_table(t, owner, table))
}

/// Checks that the scan lists every cell of the category for the selected columns: a
/// clean-up must not silently miss cells beyond `--max-exceptions`.
pub fn check_complete(
    scan: &ScanResult,
    category: Category,
    tables: &[String],
) -> Result<(), String> {
    for c in &scan.columns {
        if !in_tables(&c.owner, &c.table_name, tables) {
            continue;
        }
        let total = match category {
            Category::Truncation => c.counts.truncation,
            _ => c.counts.lossy,
        };
        let listed = scan
            .exceptions
            .iter()
            .filter(|e| {
                e.category == category
                    && e.owner == c.owner
                    && e.table_name == c.table_name
                    && e.column_name == c.column_name
            })
            .count() as u64;
        if listed < total {
            return Err(format!(
                "{}.{}.{}: the scan lists {listed} of {total} {} cells; scan again with --max-exceptions {total} or more so every cell is known",
                c.owner,
                c.table_name,
                c.column_name,
                category.as_str()
            ));
        }
    }
    Ok(())
}

/// The cell's column as messages show it: as psql accepts it typed (quoted where needed).
fn object(e: &Exception) -> String {
    super::pg_sql::shown_path(&[&e.owner, &e.table_name, &e.column_name])
}

/// A cell of the scan's exceptions, resolved: its column, charset and stored bytes.
struct Cell<'a> {
    e: &'a Exception,
    col: &'a ColumnResult,
    encoding: Encoding,
    original: Vec<u8>,
}

impl Cell<'_> {
    fn left(&self, reason: impl Into<String>) -> Left {
        Left {
            object: object(self.e),
            row_id: self.e.rowid.clone(),
            reason: reason.into(),
        }
    }

    fn change(
        &self,
        original: Vec<u8>,
        new: Vec<u8>,
        kept_chars: usize,
        detail: String,
        charset: String,
        mode: String,
    ) -> Change {
        Change {
            owner: self.e.owner.clone(),
            table: self.e.table_name.clone(),
            column: self.e.column_name.clone(),
            row_id: self.e.rowid.clone(),
            original,
            new,
            kept_chars,
            detail,
            charset,
            mode,
        }
    }
}

/// True for an exception of the chosen tables (every table when `tables` is empty) that is
/// not one of charmig's own tables.
pub fn in_scope(e: &Exception, tables: &[String]) -> bool {
    in_tables(&e.owner, &e.table_name, tables) && !crate::own::is_own_table(&e.owner, &e.table_name)
}

/// The exceptions in the chosen tables that `wanted` selects.
fn selected<'a>(
    scan: &'a ScanResult,
    tables: &[String],
    wanted: impl Fn(&Exception) -> bool,
) -> Vec<&'a Exception> {
    scan.exceptions
        .iter()
        .filter(|e| wanted(e) && in_scope(e, tables))
        .collect()
}

/// Exceptions with their column and stored bytes; cells whose bytes the scan did not keep
/// whole go to `left`.
fn cells<'a>(
    scan: &'a ScanResult,
    excs: &[&'a Exception],
    left: &mut Vec<Left>,
) -> Result<Vec<Cell<'a>>, String> {
    let mut out = Vec::new();
    for &e in excs {
        let Some(col) = scan.columns.iter().find(|c| {
            c.owner == e.owner && c.table_name == e.table_name && c.column_name == e.column_name
        }) else {
            continue;
        };
        let encoding = encoding_of(col, &scan.source)?;
        match original_bytes(e) {
            Ok(original) => out.push(Cell {
                e,
                col,
                encoding,
                original,
            }),
            Err(reason) => left.push(Left {
                object: object(e),
                row_id: e.rowid.clone(),
                reason,
            }),
        }
    }
    Ok(out)
}

/// The cuts for every truncation cell of the scan (optionally only some tables). `limit_bytes`
/// overrides the limit (for example a byte limit on a PostgreSQL target).
pub fn truncations(
    scan: &ScanResult,
    tables: &[String],
    limit_bytes: Option<usize>,
) -> Result<(Vec<Change>, Vec<Left>), String> {
    check_complete(scan, Category::Truncation, tables)?;
    let excs = selected(scan, tables, |e| e.category == Category::Truncation);
    truncations_of(scan, &excs, limit_bytes)
}

/// The cuts of these truncation cells.
pub fn truncations_of(
    scan: &ScanResult,
    excs: &[&Exception],
    limit_bytes: Option<usize>,
) -> Result<(Vec<Change>, Vec<Left>), String> {
    let target = Target::parse(&scan.parameters.target).unwrap_or(Target::Al32Utf8);
    let mut changes = Vec::new();
    let mut left = Vec::new();
    for c in cells(scan, excs, &mut left)? {
        let Some(limit) = limit_bytes.or(c.col.limit.map(|l| l.bytes)) else {
            continue;
        };
        let padded = c.col.kind == ColumnKind::Char;
        let auto = auto_reading(c.col, &scan.source);
        let (profile, bounds_enc) = match &auto {
            Some(r) => (
                r.profile(target, padded, None, None),
                if r.reads_as_utf8(&c.original) {
                    Encoding::Utf8
                } else {
                    c.encoding
                },
            ),
            None => (
                ColumnProfile::new(c.encoding, target, padded, None, None),
                c.encoding,
            ),
        };
        match fit(&c.original, &profile, bounds_enc, limit) {
            Some(cut) => {
                let total_chars = super::cut::char_boundaries(&c.original, bounds_enc).len() - 1;
                let detail = format!(
                    "kept {} of {total_chars} characters ({} bytes after conversion, limit {limit})",
                    cut.keep_chars, cut.post_bytes
                );
                let new = c.original[..cut.keep_bytes].to_vec();
                changes.push(c.change(
                    c.original.clone(),
                    new,
                    cut.keep_chars,
                    detail,
                    c.col.source_charset.clone(),
                    "truncate".into(),
                ));
            }
            None => left.push(c.left("lossy: repair it before cutting")),
        }
    }
    Ok((changes, left))
}

/// Where a repaired value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Where {
    /// Back into the source charset (transliterating characters it lacks).
    Source,
    /// As UTF-8, for a target already converted.
    Target,
}

fn mode_label(mode: Mode, source: &SourceInfo) -> String {
    match mode {
        Mode::Cp1252 => "cp1252".into(),
        Mode::Undouble => "undouble".into(),
        Mode::Assume(cs) => format!("assume={}", cs.name(source.dialect)),
    }
}

/// The repairs of the scan's lossy cells (cp1252 or assumed charset).
pub fn repairs(
    scan: &ScanResult,
    tables: &[String],
    mode: Mode,
    place: Where,
) -> Result<(Vec<Change>, Vec<Left>), String> {
    check_complete(scan, Category::Lossy, tables)?;
    let excs = selected(scan, tables, |e| e.category == Category::Lossy);
    repairs_of(scan, &excs, mode, place)
}

/// The repairs of these lossy cells.
pub fn repairs_of(
    scan: &ScanResult,
    excs: &[&Exception],
    mode: Mode,
    place: Where,
) -> Result<(Vec<Change>, Vec<Left>), String> {
    let label = format!(
        "{}/{}",
        mode_label(mode, &scan.source),
        match place {
            Where::Source => "source",
            Where::Target => "target",
        }
    );
    let mut changes = Vec::new();
    let mut left = Vec::new();
    for c in cells(scan, excs, &mut left)? {
        let auto = auto_reading(c.col, &scan.source);
        let text = match (&auto, mode) {
            // The scan read this column per cell: the repair reads each cell the same way.
            (Some(r), Mode::Cp1252) => r.decode(&c.original).map_err(|u| u.to_string()),
            (None, Mode::Cp1252) if is_passthrough(&c.original) => {
                let reads = String::from_utf8_lossy(&c.original).into_owned();
                left.push(c.left(format!(
                    "valid UTF-8 (reads \"{reads}\"): stored by a UTF-8 client, not cp1252; left alone \
                     (repair it with --mode undouble, or read the column per cell: scan --assume-column {}.{}.{}=auto)",
                    c.e.owner, c.e.table_name, c.e.column_name
                )));
                continue;
            }
            _ => repair::intended_text(&c.original, c.encoding, mode).map_err(|e| e.to_string()),
        };
        let text = match text {
            Ok(t) => t,
            Err(why) => {
                left.push(c.left(why));
                continue;
            }
        };
        // In a converted target the value is no longer the source's bytes: both PostgreSQL's
        // conversion and Oracle's map C1 bytes to U+0080–U+009F. The cell is found by those.
        let original = match place {
            Where::Target => match as_converted(&c.original, c.encoding) {
                Some(t) => t,
                None => {
                    left.push(c.left(
                        "holds a byte no conversion maps: it cannot be in a converted target",
                    ));
                    continue;
                }
            },
            Where::Source => c.original.clone(),
        };
        let (new, detail, charset) = match place {
            Where::Target => (
                text.clone().into_bytes(),
                format!("now reads \"{text}\""),
                "UTF8".to_string(),
            ),
            Where::Source => match repair::encode_single_byte(&text, c.encoding) {
                Ok((bytes, replaced)) => {
                    let list: Vec<String> = replaced
                        .iter()
                        .map(|(ch, r)| format!("{ch} -> {r}"))
                        .collect();
                    let detail = if list.is_empty() {
                        format!("now reads \"{text}\"")
                    } else {
                        format!("now reads \"{text}\"; transliterated {}", list.join(", "))
                    };
                    (bytes, detail, c.col.source_charset.clone())
                }
                Err(ch) => {
                    left.push(c.left(format!(
                        "{ch:?} has no byte in {} and no transliteration",
                        c.col.source_charset
                    )));
                    continue;
                }
            },
        };
        changes.push(c.change(original, new, 0, detail, charset, label.clone()));
    }
    Ok((changes, left))
}

/// The text a converted target holds for `original` source bytes: each byte as the source
/// charset defines it (PostgreSQL's and Oracle's conversions map C1 bytes to U+0080–U+009F).
fn as_converted(original: &[u8], encoding: Encoding) -> Option<Vec<u8>> {
    match encoding {
        Encoding::SingleByte { table, .. } => original
            .iter()
            .map(|&b| {
                crate::charset::convert::decode_byte(table, crate::charset::Policy::MappingOnly, b)
            })
            .collect::<Option<String>>()
            .map(String::into_bytes),
        _ => Some(original.to_vec()),
    }
}

/// Undoing double encoding: cells of the scan flagged as UTF-8 pass-through (valid multi-byte
/// UTF-8 stored in single-byte data) are read as UTF-8. In the source they are written back in
/// the source charset, only where that is exact (a value whose text the source charset cannot
/// hold is left alone). In a converted UTF-8 target (`Where::Target`) the cell holds the
/// pass-through bytes converted once more (Ã© for é) and gets the text itself: always exact,
/// ł and š included.
pub fn undoubles(
    scan: &ScanResult,
    tables: &[String],
    place: Where,
) -> Result<(Vec<Change>, Vec<Left>), String> {
    if place == Where::Target {
        check_passthrough_complete(scan, tables)?;
    }
    let excs = selected(scan, tables, passthrough);
    undoubles_of(scan, &excs, place)
}

/// Checks that the scan lists every UTF-8 pass-through cell of the chosen tables.
pub fn check_passthrough_complete(scan: &ScanResult, tables: &[String]) -> Result<(), String> {
    // The scan.json must list every pass-through cell (the target cannot be rescanned for them).
    for c in &scan.columns {
        if !in_tables(&c.owner, &c.table_name, tables) || c.flags.utf8_passthrough == 0 {
            continue;
        }
        let listed = scan
            .exceptions
            .iter()
            .filter(|e| {
                passthrough(e)
                    && e.owner == c.owner
                    && e.table_name == c.table_name
                    && e.column_name == c.column_name
            })
            .count() as u64;
        if listed < c.flags.utf8_passthrough {
            return Err(format!(
                "{}.{}.{}: the scan lists {listed} of {} UTF-8 pass-through cells; scan the source again \
                 (with --max-exceptions {} or more) so every cell is known",
                c.owner,
                c.table_name,
                c.column_name,
                c.flags.utf8_passthrough,
                c.flags.utf8_passthrough
            ));
        }
    }
    Ok(())
}

/// True for a cell the scan flagged as UTF-8 pass-through.
pub fn passthrough(e: &Exception) -> bool {
    e.flags.split(';').any(|f| f == "utf8_passthrough")
}

/// The undoubles of these pass-through cells.
pub fn undoubles_of(
    scan: &ScanResult,
    excs: &[&Exception],
    place: Where,
) -> Result<(Vec<Change>, Vec<Left>), String> {
    let mut changes = Vec::new();
    let mut left = Vec::new();
    for c in cells(scan, excs, &mut left)? {
        let text = match repair::intended_text(&c.original, c.encoding, Mode::Undouble) {
            Ok(t) => t,
            Err(why) => {
                left.push(c.left(why.to_string()));
                continue;
            }
        };
        if place == Where::Target {
            match as_converted(&c.original, c.encoding) {
                Some(in_target) => changes.push(c.change(
                    in_target,
                    text.clone().into_bytes(),
                    0,
                    format!("now reads \"{text}\""),
                    "UTF8".into(),
                    "undouble/target".into(),
                )),
                None => left.push(
                    c.left("holds a byte no conversion maps: it cannot be in a converted target"),
                ),
            }
            continue;
        }
        match crate::charset::encode(&text, &c.encoding) {
            Some(new) => changes.push(c.change(
                c.original.clone(),
                new,
                0,
                format!("now reads \"{text}\""),
                c.col.source_charset.clone(),
                "undouble/source".into(),
            )),
            None => left.push(c.left(format!(
                "read as UTF-8 it holds characters {} lacks: left alone (undouble it in the UTF-8 target \
                 after the move: repair --where target --mode undouble)",
                c.col.source_charset
            ))),
        }
    }
    Ok((changes, left))
}
