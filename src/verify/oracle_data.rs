//! The data comparison of two Oracle databases (a legacy-charset source, an AL32UTF8 target):
//! each side's rows read by charmig from what the server stores and written as the same COPY
//! text lines the PostgreSQL comparison hashes ([`super::data::VerifyDb`]), so the checksum,
//! the buckets of `--rows` and the text checks are shared.
//!
//! Per column ([`plan`]):
//! - CHAR/VARCHAR2/CLOB/LONG: the stored bytes, fetched the way the scan reads them
//!   ([`layout::read_as`]), decoded on the source per the scan's reading of the column
//!   (scan.json, `auto` included) and on the target in its own charset (AL32UTF8);
//!   NCHAR/NVARCHAR2/NCLOB the same way in each side's national charset (AL16UTF16 is read
//!   as UTF-16BE). Trailing blanks of CHAR/NCHAR are dropped on both sides: Oracle compares
//!   CHAR values blank-padded, and a plan-widened `CHAR(n CHAR)` pads further.
//! - Everything else through one NLS-fixed SQL form per type ([`super::oracle_sql::value_form`]),
//!   identical on both sides because both are Oracle; RAW as hex, BLOB/LONG RAW as length
//!   and hash. Columns of types without a form (XMLTYPE, objects, BFILE) are left out and
//!   named in the notes.
//!
//! Oracle stores the empty string as NULL in CHAR/VARCHAR2 on both sides, so NULL needs no
//! special case between two Oracle databases. An empty CLOB is not NULL; CLOBs are read
//! through the same CONVERTTOBLOB function on both sides (in each side's charset), so an
//! empty one reads alike on both. Rows are fetched in arrays and handed on in chunks, so memory stays flat; a part is
//! a ROWID range of each side's own table ([`Source::parts`]).

use super::data::{Side, TableJob, VerifyDb};
use super::decode::Reading;
use super::oracle_schema::OraModel;
use super::oracle_sql::{ValueForm, value_form};
use crate::catalog::{Catalog, Column, ColumnKind, Constraint, ConstraintKind, Table};
use crate::charset::Dialect;
use crate::source::oracle::OracleSource;
use crate::source::oracle::layout::{self, DbTraits};
use crate::source::oracle::sql::{ReadAs, ReadColumn};
use crate::source::{Batch, Part, Source};

/// How one fetched cell becomes a field of the line.
#[derive(Debug, Clone, Copy)]
pub enum CellForm {
    /// Character data in a charset; `fixed`: blank-padded (CHAR, NCHAR).
    Text { reading: Reading, fixed: bool },
    /// National character data stored as UTF-16 big-endian (AL16UTF16).
    Utf16 { fixed: bool },
    /// ASCII printed by the server ([`ValueForm::Printed`]).
    Printed,
    /// Bytes written as `\\x` and lower-case hex (PostgreSQL's bytea form in COPY text).
    Hex,
    /// Bytes written as `blob:LENGTH:SIPHASH128`.
    Hashed,
}

/// True for a column the Oracle comparison reads (character data, or a type with a form).
pub fn compared(c: &Column) -> bool {
    c.kind(Dialect::Oracle) != ColumnKind::Other || value_form(&c.data_type).is_some()
}

/// Notes naming the columns of the tables compared that are left out (no form for their type).
pub fn left_out_notes(source: &Catalog, schemas: &[String]) -> Vec<String> {
    let mut notes = Vec::new();
    for t in source.tables.iter().filter(|t| super::in_scope(t, schemas)) {
        for c in t.columns.iter().filter(|c| !compared(c)) {
            notes.push(format!(
                "{}.{}.{} ({}) is not compared: verify has no exact text form for this type",
                t.owner, t.name, c.name, c.data_type
            ));
        }
    }
    notes
}

/// The catalog with the keys that identify rows for `--rows`: the enabled and validated
/// primary and unique keys of the schema model (the scan's catalog reads no constraints).
pub fn with_keys(cat: &Catalog, model: &OraModel) -> Catalog {
    let mut c = cat.clone();
    c.constraints = model
        .constraints
        .iter()
        .filter(|k| matches!(k.kind, 'P' | 'U') && k.enabled && k.validated)
        .map(|k| Constraint {
            owner: k.owner.clone(),
            name: k.name.clone(),
            table: k.table.clone(),
            kind: if k.kind == 'P' {
                ConstraintKind::Primary
            } else {
                ConstraintKind::Unique
            },
            columns: k.columns.clone(),
            ref_owner: None,
            ref_table: None,
            ref_constraint: None,
            ref_columns: Vec::new(),
            enabled: true,
            validated: true,
            definition: None,
            delete_rule: None,
        })
        .collect();
    c
}

/// The national charset's form: AL16UTF16 as UTF-16BE, UTF8 (CESU-8) as a charset.
fn national(traits: &DbTraits, fixed: bool) -> Result<CellForm, String> {
    if traits.nchar_charset.eq_ignore_ascii_case("AL16UTF16") {
        Ok(CellForm::Utf16 { fixed })
    } else {
        Ok(CellForm::Text {
            reading: Reading::parse_in(&traits.nchar_charset, Dialect::Oracle)?,
            fixed,
        })
    }
}

/// The read plan of a job's columns on one side: what to fetch and how each cell is written.
/// `readings` are the source's (from the scan); the target reads in its own charset.
pub fn plan(
    table: &Table,
    columns: &[String],
    traits: &DbTraits,
    side: Side,
    readings: &[Reading],
) -> Result<Vec<(ReadColumn, CellForm)>, String> {
    let own = Reading::parse_in(&traits.charset, Dialect::Oracle);
    columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let col = table
                .columns
                .iter()
                .find(|c| &c.name == name)
                .ok_or_else(|| format!("column {name} is not in {}", table.qualified()))?;
            let kind = col.kind(Dialect::Oracle);
            let fixed = matches!(col.data_type.as_str(), "CHAR" | "NCHAR");
            let form = match kind {
                ColumnKind::Other => None,
                ColumnKind::National => Some(national(traits, fixed)?),
                _ => Some(CellForm::Text {
                    reading: match side {
                        Side::Source => *readings
                            .get(i)
                            .ok_or_else(|| format!("no reading for column {name}"))?,
                        Side::Target => own.clone()?,
                    },
                    fixed,
                }),
            };
            let (read, form) = match form {
                // A CLOB is read through CONVERTTOBLOB on both sides, the AL32UTF8 target too
                // (where the scan reads the column itself): an empty CLOB and a NULL then take
                // the same path on both, whatever the client does with an empty LOB fetched
                // as LONG (docs/oracle-checklist.md V9).
                Some(f) if kind == ColumnKind::Clob => (
                    ReadAs::Lob {
                        csid_charset: traits.charset.clone(),
                    },
                    f,
                ),
                Some(f) => (layout::read_as(col, traits).map_err(|e| e.0)?, f),
                None => match value_form(&col.data_type) {
                    Some(ValueForm::Printed(e)) => (ReadAs::Expr(e), CellForm::Printed),
                    Some(ValueForm::Hex) => (ReadAs::Expr("{col}".into()), CellForm::Hex),
                    Some(ValueForm::Hashed) => (ReadAs::Expr("{col}".into()), CellForm::Hashed),
                    None => {
                        return Err(format!(
                            "column {name} ({}) has no form to compare",
                            col.data_type
                        ));
                    }
                },
            };
            Ok((
                ReadColumn {
                    name: name.clone(),
                    read,
                },
                form,
            ))
        })
        .collect()
}

/// Appends `text` (UTF-8) escaped as in COPY text format.
pub fn escape_into(text: &[u8], out: &mut Vec<u8>) {
    for &b in text {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            0x0b => out.extend_from_slice(b"\\v"),
            _ => out.push(b),
        }
    }
}

fn decode_utf16be(bytes: &[u8], out: &mut Vec<u8>) -> bool {
    let units = bytes
        .chunks(2)
        .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]));
    let mut clean = bytes.len().is_multiple_of(2);
    let mut buf = [0u8; 4];
    for c in char::decode_utf16(units) {
        let c = c.unwrap_or_else(|_| {
            clean = false;
            '\u{FFFD}'
        });
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
    clean
}

/// Appends one cell as a field of the line; false when its bytes had no meaning in their
/// charset (written as U+FFFD). `scratch` is reused between cells.
pub fn push_field(
    cell: Option<&[u8]>,
    form: CellForm,
    scratch: &mut Vec<u8>,
    out: &mut Vec<u8>,
) -> bool {
    let Some(bytes) = cell else {
        out.extend_from_slice(b"\\N");
        return true;
    };
    scratch.clear();
    let (clean, fixed) = match form {
        CellForm::Text { reading, fixed } => (reading.decode_into(bytes, scratch), fixed),
        CellForm::Utf16 { fixed } => (decode_utf16be(bytes, scratch), fixed),
        CellForm::Printed => {
            scratch.extend_from_slice(String::from_utf8_lossy(bytes).as_bytes());
            (true, false)
        }
        CellForm::Hex => {
            out.extend_from_slice(b"\\\\x");
            for b in bytes {
                out.extend_from_slice(format!("{b:02x}").as_bytes());
            }
            return true;
        }
        CellForm::Hashed => {
            let h = super::data::hash128(bytes);
            out.extend_from_slice(format!("blob:{}:{h:032x}", bytes.len()).as_bytes());
            return true;
        }
    };
    let mut text: &[u8] = scratch;
    if fixed {
        while let [rest @ .., b' '] = text {
            text = rest;
        }
    }
    escape_into(text, out);
    clean
}

/// Appends the lines of a batch (cells in plan order) to `out`; counts bad cells per column.
pub fn lines_of(
    batch: &Batch,
    forms: &[CellForm],
    scratch: &mut Vec<u8>,
    bad: &mut [u64],
    out: &mut Vec<u8>,
) {
    for r in 0..batch.rows() {
        for (i, &form) in forms.iter().enumerate() {
            if i > 0 {
                out.push(b'\t');
            }
            if !push_field(batch.cell(r, i), form, scratch, out) {
                bad[i] += 1;
            }
        }
        out.push(b'\n');
    }
}

impl VerifyDb for OracleSource {
    fn verify_parts(&self, table: usize) -> Result<Vec<Part>, String> {
        self.parts(table, &[]).map_err(|e| e.to_string())
    }

    fn verify_size(&self, table: usize) -> u64 {
        self.size_hint(table)
    }

    fn read_lines(
        &self,
        job: &TableJob,
        side: Side,
        part: &Part,
        emit: &mut dyn FnMut(&[u8], &[u64]) -> bool,
    ) -> Result<(), String> {
        let t = &self.catalog().tables[part.table];
        let planned = plan(t, &job.columns, self.traits(), side, &job.readings)?;
        let (reads, forms): (Vec<ReadColumn>, Vec<CellForm>) = planned.into_iter().unzip();
        let big = reads
            .iter()
            .any(|r| matches!(r.read, ReadAs::Lob { .. } | ReadAs::Long))
            || forms.iter().any(|f| matches!(f, CellForm::Hashed))
            || t.columns.iter().any(|c| {
                job.columns.contains(&c.name)
                    && matches!(c.kind(Dialect::Oracle), ColumnKind::Clob | ColumnKind::Long)
            });
        let chunk_rows = if big { 100 } else { 5000 };
        let mut batch = Batch::default();
        let mut scratch = Vec::new();
        let mut lines = Vec::new();
        let mut bad = vec![0u64; forms.len()];
        let mut failed = None;
        self.read_plan(part, &reads, big, chunk_rows, &mut |chunk| {
            batch.reset(forms.len());
            if let Err(e) = chunk.decode(&mut batch) {
                failed = Some(e.to_string());
                return false;
            }
            lines.clear();
            bad.iter_mut().for_each(|b| *b = 0);
            lines_of(&batch, &forms, &mut scratch, &mut bad, &mut lines);
            emit(&lines, &bad)
        })
        .map_err(|e| e.to_string())?;
        match failed {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn lines_are_utf8(&self, _side: Side) -> bool {
        true
    }
}

#[cfg(test)]
#[path = "oracle_data_tests.rs"]
mod tests;
