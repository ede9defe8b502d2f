//! How each column's bytes are read, decided once by the scan and carried in scan.json, so
//! every later step (repair, truncate, plan, copy, verify) reads a cell exactly as the scan
//! classified it. This is the one place that turns a scan.json column into a decoder.
//!
//! A column is read one of three ways, recorded in [`ColumnResult::source_charset`] and
//! [`ColumnResult::auto_base`]:
//! - the database charset (`source_charset` = its name, `assumed` = false);
//! - an assumed charset (`--assume` / `--assume-column`, `assumed` = true);
//! - `auto` per cell (`source_charset` = `auto`, `auto_base` = the single-byte charset behind
//!   it): a value that is valid UTF-8 holding a multi-byte sequence is read as UTF-8; any other
//!   value as `auto_base`, its C1 bytes that cp1252 prints read as cp1252 (the five bytes cp1252
//!   leaves undefined stay lossy). A scan.json written before `auto_base` existed means
//!   WIN1252 (the only `auto` then: SQL_ASCII).
//!
//! API for other steps:
//! - [`column_reading`]`(scan, owner, table, column)` -> the [`ColumnReading`] the scan used;
//! - [`ColumnReading::decode`]`(bytes)` -> the UTF-8 text, or [`Undecodable`] (offset, byte);
//! - [`ColumnReading::convert`]`(bytes, target)` -> target bytes (same rules, CESU-8 too);
//! - [`ColumnReading::profile`] -> the classifier profile (same verdicts as the scan).
//!
//! All of them go through [`crate::charset`]'s converter and classifier, which the property
//! tests hold to each other cell by cell.

use super::result::{ColumnResult, ScanResult};
use crate::charset::classify::{ColumnProfile, Limit};
use crate::charset::{self, Dialect, Encoding, Target};
use std::fmt;

/// How one column's stored bytes are read.
#[derive(Debug, Clone)]
pub struct ColumnReading {
    /// As recorded: a charset name in the source's naming, or `auto`.
    pub charset: String,
    /// For `auto`: the single-byte charset non-UTF-8 values are read as.
    pub auto_base: Option<String>,
    /// The source charset (`auto`: the base before its C1 bytes are taken from cp1252).
    source: Encoding,
    auto: bool,
}

/// A value that has no text under its column's reading: the first byte without a meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecodable {
    pub offset: usize,
    pub byte: u8,
    /// The reading's label (`LATIN1`, `auto (UTF-8, else LATIN1)` …).
    pub reading: String,
}

impl fmt::Display for Undecodable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "byte 0x{:02X} at offset {} has no meaning when read as {}",
            self.byte, self.offset, self.reading
        )
    }
}

/// The base charset of `auto` when nothing else names one: SQL_ASCII data read as WIN1252.
pub const DEFAULT_AUTO_BASE: &str = "WIN1252";

impl ColumnReading {
    /// A reading by charset name (`auto` needs `auto_base`; without one, WIN1252).
    pub fn new(
        charset_name: &str,
        auto_base: Option<&str>,
        dialect: Dialect,
    ) -> Result<ColumnReading, String> {
        let resolve = |name: &str| {
            charset::resolve(name, dialect)
                .ok_or_else(|| format!("charset `{name}` is not supported by charmig"))
        };
        if charset_name.eq_ignore_ascii_case("auto") {
            let base_name = auto_base.unwrap_or(DEFAULT_AUTO_BASE);
            let base = charset::resolve(base_name, dialect)
                .or_else(|| charset::resolve(base_name, other(dialect)))
                .ok_or_else(|| format!("charset `{base_name}` is not supported by charmig"))?;
            if charset::auto::auto_base(base.encoding).is_none() {
                return Err(format!(
                    "auto reading needs a single-byte base charset, not {base_name}"
                ));
            }
            return Ok(ColumnReading {
                charset: "auto".into(),
                auto_base: Some(base.name(dialect).to_string()),
                source: base.encoding,
                auto: true,
            });
        }
        let cs = resolve(charset_name)?;
        if matches!(cs.encoding, Encoding::Undeclared) {
            return Err(format!(
                "{charset_name} declares no encoding: the column needs an assumed charset or auto"
            ));
        }
        Ok(ColumnReading {
            charset: cs.name(dialect).to_string(),
            auto_base: None,
            source: cs.encoding,
            auto: false,
        })
    }

    /// The reading a scan.json column records.
    pub fn of_column(col: &ColumnResult, dialect: Dialect) -> Result<ColumnReading, String> {
        ColumnReading::new(&col.source_charset, col.auto_base.as_deref(), dialect)
    }

    pub fn is_auto(&self) -> bool {
        self.auto
    }

    /// The encoding of non-`auto` readings; for `auto`, the base with cp1252 C1 bytes (the
    /// reading of values that are not UTF-8).
    pub fn encoding(&self) -> Encoding {
        if self.auto {
            charset::auto::auto_base(self.source).expect("checked in new")
        } else {
            self.source
        }
    }

    /// `LATIN1`, or `auto (UTF-8, else LATIN1 with cp1252 C1 bytes)`.
    pub fn label(&self) -> String {
        match (&self.auto_base, self.auto) {
            (Some(b), true) => format!("auto (UTF-8, else {b} with cp1252 C1 bytes)"),
            _ => self.charset.clone(),
        }
    }

    /// True when `bytes` is read as UTF-8 under this reading (`auto` and valid UTF-8 with a
    /// multi-byte sequence).
    pub fn reads_as_utf8(&self, bytes: &[u8]) -> bool {
        self.auto && !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
    }

    /// The bytes a stored value becomes in `target`, or the offset of the first byte without
    /// a meaning. Agrees with the scan's classifier cell by cell.
    pub fn convert(&self, bytes: &[u8], target: Target) -> Result<Vec<u8>, usize> {
        if self.reads_as_utf8(bytes) {
            return charset::convert(bytes, &Encoding::Utf8, target);
        }
        charset::convert(bytes, &self.encoding(), target)
    }

    /// The text of a stored value, or where it stops having a meaning.
    pub fn decode(&self, bytes: &[u8]) -> Result<String, Undecodable> {
        match self.convert(bytes, Target::Al32Utf8) {
            Ok(utf8) => Ok(String::from_utf8(utf8).expect("the converter writes UTF-8")),
            Err(offset) => Err(Undecodable {
                offset,
                byte: bytes.get(offset).copied().unwrap_or(0),
                reading: self.label(),
            }),
        }
    }

    /// The classifier profile of this reading (the scan's verdicts for the same limits).
    pub fn profile(
        &self,
        target: Target,
        trim_trailing_blanks: bool,
        limit: Option<Limit>,
        limit_char: Option<Limit>,
    ) -> ColumnProfile {
        if self.auto {
            ColumnProfile::auto_over(self.source, target, trim_trailing_blanks, limit, limit_char)
                .expect("checked in new")
        } else {
            ColumnProfile::new(self.source, target, trim_trailing_blanks, limit, limit_char)
        }
    }
}

fn other(d: Dialect) -> Dialect {
    match d {
        Dialect::Oracle => Dialect::Postgres,
        Dialect::Postgres => Dialect::Oracle,
    }
}

/// Why a column's reading could not be given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadingError {
    /// The scan did not classify this column (not in scope, excluded, not character data).
    NotScanned(String),
    /// The recorded charset is not one charmig knows (a scan.json from a newer charmig?).
    Unsupported(String),
}

impl fmt::Display for ReadingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadingError::NotScanned(m) | ReadingError::Unsupported(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ReadingError {}

/// The reading the scan used for `owner.table.column` (names exactly as the dictionary
/// spells them).
pub fn column_reading(
    scan: &ScanResult,
    owner: &str,
    table: &str,
    column: &str,
) -> Result<ColumnReading, ReadingError> {
    let col = scan
        .columns
        .iter()
        .find(|c| c.owner == owner && c.table_name == table && c.column_name == column)
        .ok_or_else(|| {
            ReadingError::NotScanned(format!(
                "{}.{}.{} was not scanned (not in the scan's scope, excluded, or not character data): \
                 rescan with it in scope",
                crate::catalog::printable(owner),
                crate::catalog::printable(table),
                crate::catalog::printable(column)
            ))
        })?;
    ColumnReading::of_column(col, scan.source.dialect).map_err(|e| {
        ReadingError::Unsupported(format!(
            "{}.{}.{}: {e}",
            crate::catalog::printable(owner),
            crate::catalog::printable(table),
            crate::catalog::printable(column)
        ))
    })
}

/// [`ColumnReading::decode`] as a function: the text of `bytes` under `reading`.
pub fn decode(reading: &ColumnReading, bytes: &[u8]) -> Result<String, Undecodable> {
    reading.decode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_reads_utf8_values_as_utf8_and_the_rest_as_the_base_with_cp1252_c1() {
        let r = ColumnReading::new("auto", Some("LATIN1"), Dialect::Postgres).unwrap();
        assert!(r.is_auto());
        assert_eq!(r.decode(b"Stra\xC3\x9Fe").unwrap(), "Straße");
        assert_eq!(r.decode(b"\xC5\x81\xC3\xB3d\xC5\xBA").unwrap(), "Łódź");
        assert_eq!(r.decode(b"It\x92s caf\xE9").unwrap(), "It’s café");
        assert_eq!(r.decode(b"plain").unwrap(), "plain");
        let e = r.decode(b"ab\x81").unwrap_err();
        assert_eq!((e.offset, e.byte), (2, 0x81));
        assert!(e.to_string().contains("auto (UTF-8, else LATIN1"));
        // Same verdicts as the classifier.
        let p = r.profile(Target::Al32Utf8, false, None, None);
        for v in [&b"Stra\xC3\x9Fe"[..], b"It\x92s", b"ab\x81", b"x"] {
            assert_eq!(p.convert(v), r.convert(v, Target::Al32Utf8));
        }
    }

    #[test]
    fn plain_and_legacy_auto_readings() {
        let r = ColumnReading::new("LATIN1", None, Dialect::Postgres).unwrap();
        assert_eq!(r.decode(b"caf\xE9").unwrap(), "café");
        // LATIN1 alone: C1 bytes and UTF-8 pass-through read plainly.
        assert_eq!(r.decode(b"\xC3\xA9").unwrap(), "Ã©");
        assert_eq!(r.decode(b"\x92").unwrap_err().offset, 0);
        // An old scan.json's `auto` (no base) is SQL_ASCII's: WIN1252.
        let old = ColumnReading::new("auto", None, Dialect::Postgres).unwrap();
        assert_eq!(old.decode(b"\x80").unwrap(), "€");
        assert!(ColumnReading::new("auto", Some("UTF8"), Dialect::Postgres).is_err());
        assert!(ColumnReading::new("SQL_ASCII", None, Dialect::Postgres).is_err());
        assert!(ColumnReading::new("NOPE", None, Dialect::Oracle).is_err());
    }
}
