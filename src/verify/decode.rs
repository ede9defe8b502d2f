//! How verify reads the source's stored bytes: per column, the way the scan decided (the
//! database charset, an assumed charset, or `auto` per cell), so the checksum is computed from
//! the source itself and not from what the copy wrote.
//!
//! Lines are COPY text-format rows (`PgSource::read_text`): fields separated by tabs, `\N` for
//! NULL, control characters and the backslash escaped with ASCII. Every PostgreSQL server
//! encoding is ASCII-compatible, so an escaped field converts as it stands (the escapes pass
//! through) and the converted line is exactly the line a UTF-8 server prints for the same
//! values. A byte with no meaning in the column's charset becomes U+FFFD (as `copy --on-lossy
//! replace` writes it) and is counted per column: verify reports such cells as differences.

use crate::catalog::{ColumnKind, Table};
use crate::charset::{Dialect, Encoding, Target, convert_into};
use crate::scan::reading::{ColumnReading, ReadingError, column_reading};
use crate::scan::result::ScanResult;

const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

/// How one column's bytes are read: the scan's [`ColumnReading`], resolved once per table so
/// the per-cell work is a table lookup.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    /// Valid UTF-8 values are read as UTF-8 (`auto`).
    auto: bool,
    /// The encoding of every other value.
    encoding: Encoding,
}

impl Reading {
    pub fn of(r: &ColumnReading) -> Reading {
        Reading {
            auto: r.is_auto(),
            encoding: r.encoding(),
        }
    }

    /// `auto` (over the database's charset, else WIN1252) or a charset name.
    pub fn parse(name: &str) -> Result<Reading, String> {
        Self::parse_in(name, Dialect::Postgres)
    }

    /// A charset name of `dialect` (`UTF8` is CESU-8 in Oracle).
    pub fn parse_in(name: &str, dialect: Dialect) -> Result<Reading, String> {
        ColumnReading::new(name, None, dialect).map(|r| Reading::of(&r))
    }

    /// Converts one field (escaped COPY text) to UTF-8, appending to `out`; false when a byte
    /// had no meaning and was replaced with U+FFFD.
    pub fn decode_into(self, field: &[u8], out: &mut Vec<u8>) -> bool {
        if field.is_ascii() || (self.auto && std::str::from_utf8(field).is_ok()) {
            out.extend_from_slice(field);
            return true;
        }
        let mut rest = field;
        let mut clean = true;
        loop {
            match convert_into(rest, &self.encoding, Target::Al32Utf8, out) {
                Ok(()) => return clean,
                Err(off) => {
                    clean = false;
                    convert_into(&rest[..off], &self.encoding, Target::Al32Utf8, out)
                        .expect("the bytes before the first bad one convert");
                    out.extend_from_slice(REPLACEMENT);
                    // A multi-byte source (UTF-8) skips the bad byte alone, as copy does.
                    rest = &rest[off + 1..];
                }
            }
        }
    }
}

/// The reading of values that are not character columns (numbers, dates, json … printed by
/// the source server in its own charset): the charset the scan assumed for the whole database,
/// else the database's.
fn default_reading(
    dialect: Dialect,
    db_charset: &str,
    scan: Option<&ScanResult>,
) -> Result<ColumnReading, String> {
    let assumed = scan
        .and_then(|s| s.parameters.assume.clone())
        .filter(|a| !a.is_empty());
    match assumed {
        Some(a) if a.eq_ignore_ascii_case("auto") => {
            ColumnReading::new("auto", Some(db_charset), dialect)
        }
        Some(a) => ColumnReading::new(&a, None, dialect),
        None => ColumnReading::new(db_charset, None, dialect).map_err(|_| {
            format!(
                "the source database is {db_charset}: its bytes have no charset; pass the scan that decided how each \
                 column reads (--scan scan.json from `charmig scan --assume …`)"
            )
        }),
    }
}

/// The readings of a table's columns, in the order given: character columns as the scan read
/// them, the others as [`default_reading`]. Character columns the scan did not classify are
/// read as the database's charset and listed in `notes`.
pub fn readings(
    source: &Table,
    db_charset: &str,
    columns: &[String],
    scan: Option<&ScanResult>,
    notes: &mut Vec<String>,
) -> Result<Vec<Reading>, String> {
    readings_in(Dialect::Postgres, source, db_charset, columns, scan, notes)
}

/// [`readings`] for a source of `dialect`: in Oracle, CHAR/VARCHAR2/CLOB/LONG are the
/// columns the scan classifies (national columns are read in the national charset by the
/// Oracle reader, not here).
pub fn readings_in(
    dialect: Dialect,
    source: &Table,
    db_charset: &str,
    columns: &[String],
    scan: Option<&ScanResult>,
    notes: &mut Vec<String>,
) -> Result<Vec<Reading>, String> {
    let default = Reading::of(&default_reading(dialect, db_charset, scan)?);
    columns
        .iter()
        .map(|name| {
            let col = source
                .columns
                .iter()
                .find(|c| &c.name == name)
                .ok_or_else(|| format!("column {name} is not in {}", source.qualified()))?;
            let is_char = matches!(
                col.kind(dialect),
                ColumnKind::Varchar | ColumnKind::Char | ColumnKind::Clob | ColumnKind::Long
            );
            let Some(scan) = scan.filter(|_| is_char) else {
                return Ok(default);
            };
            match column_reading(scan, &source.owner, &source.name, name) {
                Ok(r) => Ok(Reading::of(&r)),
                Err(ReadingError::NotScanned(m)) => {
                    notes.push(format!("{m}; verify read it as {db_charset}"));
                    Ok(default)
                }
                Err(e) => Err(e.to_string()),
            }
        })
        .collect()
}

/// Converts a COPY line field by field; counts replaced cells per field.
pub struct LineDecoder {
    pub readings: Vec<Reading>,
    /// Cells with bytes that had no meaning, per field.
    pub undecodable: Vec<u64>,
}

impl LineDecoder {
    pub fn new(readings: Vec<Reading>) -> LineDecoder {
        let n = readings.len();
        LineDecoder {
            readings,
            undecodable: vec![0; n],
        }
    }

    /// Appends the UTF-8 form of `line` (without its line end) to `out`.
    pub fn decode_line(&mut self, line: &[u8], out: &mut Vec<u8>) {
        if line.is_ascii() {
            out.extend_from_slice(line);
            return;
        }
        for (i, field) in line.split(|&b| b == b'\t').enumerate() {
            if i > 0 {
                out.push(b'\t');
            }
            let reading = self.readings.get(i).copied().unwrap_or(Reading {
                auto: false,
                encoding: Encoding::Utf8,
            });
            if !reading.decode_into(field, out) {
                if let Some(n) = self.undecodable.get_mut(i) {
                    *n += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(readings: &[&str], input: &[u8]) -> (String, Vec<u64>) {
        let mut d = LineDecoder::new(
            readings
                .iter()
                .map(|r| Reading::parse(r).unwrap())
                .collect(),
        );
        let mut out = Vec::new();
        d.decode_line(input, &mut out);
        (String::from_utf8(out).unwrap(), d.undecodable)
    }

    #[test]
    fn each_field_is_read_as_its_column_decides() {
        let (s, bad) = line(
            &["LATIN9", "WIN1252", "auto", "auto"],
            b"caf\xe9 \xa4\t\x80\\t\t\xc3\xa9t\xc3\xa9\t\xe9t\xe9",
        );
        assert_eq!(s, "café €\t€\\t\tété\tété");
        assert_eq!(bad, vec![0, 0, 0, 0]);
    }

    #[test]
    fn nulls_empties_and_escapes_pass_through() {
        let (s, _) = line(&["LATIN1", "LATIN1", "LATIN1"], b"\\N\t\t\\\\\xe9");
        assert_eq!(s, "\\N\t\t\\\\é");
    }

    #[test]
    fn bytes_without_meaning_become_u_fffd_and_are_counted() {
        let (s, bad) = line(&["LATIN9", "LATIN9"], b"ok\xe9\tx\x80y\x9f");
        assert_eq!(s, "oké\tx\u{FFFD}y\u{FFFD}");
        assert_eq!(bad, vec![0, 1]);
        let (s, bad) = line(&["UTF8"], b"a\xffb");
        assert_eq!((s.as_str(), bad), ("a\u{FFFD}b", vec![1]));
    }

    #[test]
    fn sql_ascii_without_a_scan_is_refused() {
        let t = Table {
            owner: "s".into(),
            name: "t".into(),
            num_rows: None,
            columns: vec![],
        };
        let e = readings(&t, "SQL_ASCII", &[], None, &mut Vec::new()).unwrap_err();
        assert!(e.contains("--scan"), "{e}");
    }
}
