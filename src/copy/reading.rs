//! How a copy reads each column's stored bytes, decided once: by the scan (`copy --scan
//! scan.json`, every column read as the scan read it, `auto` included), or by `--assume` /
//! `--assume-column` when no scan is given, else the source database's charset.
//!
//! A scan of another database is refused before anything is copied: its identity (system
//! identifier + database name, when both sides know it) and source charset must be the
//! source's, every table and column it scanned must exist in the source, and every table
//! copied that holds character data must have been scanned (or excluded by the scan).
//!
//! The decisions themselves are the scan module's ([`crate::scan::reading::ColumnReading`]): a
//! value read `auto` is read as UTF-8 when it is valid UTF-8, else as the reading's base
//! charset with cp1252's C1 bytes. [`Reading`] is the same rule in the form the copy's hot
//! loop needs (no allocation per cell; the property is checked against the scan's `convert` in
//! the tests).

use super::CopyTable;
use crate::catalog::DbIdentity;
use crate::catalog::{Catalog, ColumnKind};
use crate::charset::{Dialect, Encoding, Target, convert_into};
use crate::scan::ScanResult;
use crate::scan::reading::ColumnReading;
use std::collections::HashMap;

/// How one column's bytes are read.
#[derive(Debug, Clone, Copy)]
pub enum Reading {
    /// Every value in one charset.
    Charset(Encoding),
    /// Per value: valid UTF-8 as UTF-8, anything else in the fallback charset.
    Auto(Encoding),
}

impl Reading {
    /// Converts one (COPY-escaped) field to UTF-8, appending to `out`; the offset of the
    /// first byte without meaning otherwise. Escapes are ASCII, so validity is the same
    /// escaped or not.
    #[inline]
    pub fn convert_into(&self, field: &[u8], out: &mut Vec<u8>) -> Result<(), usize> {
        match self {
            Reading::Charset(enc) => convert_into(field, enc, Target::Al32Utf8, out),
            Reading::Auto(fallback) => {
                if std::str::from_utf8(field).is_ok() {
                    convert_into(field, &Encoding::Utf8, Target::Al32Utf8, out)
                } else {
                    convert_into(field, fallback, Target::Al32Utf8, out)
                }
            }
        }
    }

    /// The encoding a value with bytes to replace is read in.
    pub fn fallback(&self) -> &Encoding {
        match self {
            Reading::Charset(e) | Reading::Auto(e) => e,
        }
    }

    /// True when both read every value the same way (one conversion pass can serve both).
    pub fn same_charset(&self, other: &Reading) -> bool {
        match (self, other) {
            (Reading::Charset(a), Reading::Charset(b)) => same_encoding(a, b),
            _ => false,
        }
    }
}

fn same_encoding(a: &Encoding, b: &Encoding) -> bool {
    match (a, b) {
        (
            Encoding::SingleByte {
                table: x,
                policy: p,
            },
            Encoding::SingleByte {
                table: y,
                policy: q,
            },
        ) => std::ptr::eq(*x, *y) && p == q,
        (Encoding::Utf8, Encoding::Utf8) | (Encoding::Cesu8, Encoding::Cesu8) => true,
        _ => false,
    }
}

/// A charset label (`auto` or a PostgreSQL charset name) as a reading; `auto` reads non-UTF-8
/// values as `auto_base` (the source's charset; WIN1252 for SQL_ASCII).
pub fn reading(label: &str, auto_base: Option<&str>) -> Result<Reading, String> {
    let base = auto_base.filter(|b| !b.eq_ignore_ascii_case("SQL_ASCII"));
    let r = ColumnReading::new(label, base, Dialect::Postgres).map_err(|e| {
        format!("{e}: give the copy the scan that decided how to read it (--scan scan.json), or --assume CHARSET / --assume auto")
    })?;
    Ok(of_column_reading(&r))
}

/// The scan's reading in the copy's form.
pub fn of_column_reading(r: &ColumnReading) -> Reading {
    if r.is_auto() {
        Reading::Auto(r.encoding())
    } else {
        Reading::Charset(r.encoding())
    }
}

/// The readings a scan decided, keyed by (owner, table, column).
#[derive(Debug, Clone, Default)]
pub struct ScanReadings {
    pub columns: HashMap<(String, String, String), ColumnReading>,
    /// What the scan read columns it did not classify as (its `--assume`), if anything.
    pub default: Option<String>,
    /// A note when the scan or the source does not know its identity.
    pub note: Option<String>,
}

impl ScanReadings {
    /// A column's reading (`None`: the scan did not decide it).
    pub fn get(&self, owner: &str, table: &str, column: &str) -> Option<&ColumnReading> {
        self.columns
            .get(&(owner.to_string(), table.to_string(), column.to_string()))
    }
}

/// Checks that `scan` was made of this source and covers the tables to copy, and returns its
/// readings. `path` names the file in messages.
pub fn from_scan(
    scan: &ScanResult,
    catalog: &Catalog,
    tables: &[CopyTable],
    path: &str,
) -> Result<ScanReadings, String> {
    let other = |why: String| {
        format!(
            "{path} is a scan of another database ({why}): scan this source (charmig scan --db SOURCE) and pass that scan.json"
        )
    };
    DbIdentity::check(
        path,
        scan.source.identity.as_ref(),
        catalog.source.identity.as_ref(),
        "scan this source (charmig scan --db SOURCE) and pass that scan.json",
    )?;
    if scan.source.dialect != catalog.source.dialect {
        return Err(other(format!(
            "a {} database, the source is {}",
            scan.source.dialect.as_str(),
            catalog.source.dialect.as_str()
        )));
    }
    if !scan
        .source
        .charset
        .eq_ignore_ascii_case(&catalog.source.charset)
    {
        return Err(other(format!(
            "its charset is {}, the source's is {}",
            scan.source.charset, catalog.source.charset
        )));
    }
    let table = |o: &str, n: &str| catalog.tables.iter().find(|t| t.owner == o && t.name == n);
    for t in &scan.tables {
        if table(&t.owner, &t.table_name).is_none() {
            return Err(other(format!(
                "it scanned table {}, which the source does not have",
                crate::dialect::text::escape(&format!("{}.{}", t.owner, t.table_name))
            )));
        }
    }
    let mut out = ScanReadings {
        default: scan.parameters.assume.clone(),
        note: DbIdentity::unknown_note(
            path,
            scan.source.identity.as_ref(),
            catalog.source.identity.as_ref(),
        ),
        ..Default::default()
    };
    for c in &scan.columns {
        let exists = table(&c.owner, &c.table_name)
            .is_some_and(|t| t.columns.iter().any(|x| x.name == c.column_name));
        if !exists {
            return Err(other(format!(
                "it scanned column {}, which the source does not have",
                crate::dialect::text::escape(&format!(
                    "{}.{}.{}",
                    c.owner, c.table_name, c.column_name
                ))
            )));
        }
        let r =
            ColumnReading::of_column(c, Dialect::Postgres).map_err(|e| format!("{path}: {e}"))?;
        out.columns.insert(
            (c.owner.clone(), c.table_name.clone(), c.column_name.clone()),
            r,
        );
    }
    let dialect = catalog.source.dialect;
    for t in tables {
        let Some(src) = table(&t.owner, &t.name) else {
            continue;
        };
        let skipped = |object: &str| scan.skipped.iter().any(|s| !s.error && s.object == object);
        if skipped(&src.qualified()) {
            continue;
        }
        for col in &src.columns {
            let kind = col.kind(dialect);
            if !kind.is_scanned() || kind == ColumnKind::National {
                continue;
            }
            if out.get(&t.owner, &t.name, &col.name).is_none()
                && !skipped(&format!("{}.{}", src.qualified(), col.name))
            {
                return Err(format!(
                    "{path} does not cover column {} (table added or changed since the scan?): scan the source \
                     again, or leave the table out (--exclude)",
                    crate::dialect::text::escape(&format!("{}.{}.{}", t.owner, t.name, col.name))
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_reads_utf8_as_utf8_and_the_rest_in_the_base_with_cp1252_c1() {
        let r = reading("auto", Some("LATIN1")).unwrap();
        let mut out = Vec::new();
        r.convert_into(b"Stra\xc3\x9fe", &mut out).unwrap();
        assert_eq!(out, "Straße".as_bytes());
        out.clear();
        r.convert_into(b"it\x92s caf\xe9", &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "it\u{2019}s café");
        let l9 = reading("LATIN9", None).unwrap();
        let mut out = Vec::new();
        l9.convert_into(b"caf\xc3\xa9", &mut out).unwrap();
        assert_eq!(String::from_utf8(out.clone()).unwrap(), "cafÃ©");
        assert!(
            l9.convert_into(b"Stra\xc3\x9fe", &mut out).is_err(),
            "C1 has no meaning in LATIN9"
        );
        assert!(l9.same_charset(&reading("latin9", None).unwrap()));
        assert!(!l9.same_charset(&reading("LATIN1", None).unwrap()));
        assert!(!r.same_charset(&r));
        assert!(reading("SQL_ASCII", None).is_err());
        // SQL_ASCII's auto: WIN1252 behind it.
        let mut out = Vec::new();
        reading("auto", Some("SQL_ASCII"))
            .unwrap()
            .convert_into(b"\x80", &mut out)
            .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "€");
    }

    #[test]
    fn the_copys_reading_agrees_with_the_scans_cell_by_cell() {
        let values: [&[u8]; 8] = [
            b"plain",
            b"caf\xe9",
            b"Stra\xc3\x9fe",
            b"\xc5\x81\xc3\xb3d\xc5\xba",
            b"it\x92s",
            b"ab\x81",
            b"\xa4",
            b"\xc3",
        ];
        for (label, base) in [
            ("auto", Some("LATIN1")),
            ("auto", Some("LATIN9")),
            ("auto", None),
            ("LATIN9", None),
            ("WIN1252", None),
        ] {
            let scan = ColumnReading::new(label, base, Dialect::Postgres).unwrap();
            let copy = of_column_reading(&scan);
            for v in values {
                let mut out = Vec::new();
                let got = copy.convert_into(v, &mut out).map(|()| out);
                assert_eq!(
                    got,
                    scan.convert(v, Target::Al32Utf8),
                    "{label} {base:?} {v:?}"
                );
            }
        }
    }
}
