//! Converting COPY text-format rows from the source's stored bytes to UTF-8, column by column,
//! and the order-independent checksum `--verify` compares with the target's.
//!
//! The text format only escapes with ASCII (`\\`, `\t`, `\n`, `\N` …) and every source charset
//! PostgreSQL allows as a server encoding is ASCII-compatible, so an escaped field converts as
//! it stands: the escapes pass through and the stored bytes around them are converted. A cell
//! that cannot convert (a byte with no meaning in its charset) stops the table with an error
//! naming the column and the row, unless the user chose to replace such bytes with U+FFFD
//! (`--on-lossy replace`), in which case they are counted.

use super::reading::Reading;
use crate::charset::{Encoding, Target, convert_into};
use crate::source::postgres::canon::Canon;
use md5::Digest;

/// What to do with a cell that does not convert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnLossy {
    /// Stop the table with an error naming the cell (the default).
    Fail,
    /// Write U+FFFD for each byte that has no meaning, and count the cells.
    Replace,
}

/// A cell that did not convert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unconvertible {
    /// 1-based row within the read.
    pub row: u64,
    /// Index of the column in the row.
    pub column: usize,
    /// The row's key values (the fields named by `key_fields`, in key order), printable.
    pub key: Vec<String>,
    /// Offset of the first bad byte within the (escaped) field, and the byte.
    pub offset: usize,
    pub byte: u8,
    /// Instead of a bad byte: the converted value's length in bytes, over its column's limit
    /// (see [`RowConverter::limits`]).
    pub too_long: Option<usize>,
}

/// How a table's rows convert: one reading per column of the COPY row.
pub struct RowConverter {
    pub readings: Vec<Reading>,
    pub on_lossy: OnLossy,
    /// The field holding the row's key, for messages.
    pub key_fields: Vec<usize>,
    /// Rows converted so far (the next row is `rows + 1`).
    pub rows: u64,
    /// Cells in which bytes were replaced with U+FFFD.
    pub replaced_cells: u64,
    /// Sum of the rows' checksums (see [`row_checksum`]), when computed.
    pub checksum: Option<i128>,
    /// Per column, the most bytes its converted value may have: 63 for `name`, whose text
    /// input cuts a longer value without a word (the binary input refuses it).
    pub limits: Vec<Option<usize>>,
    /// Per column, the canonical text its values are checksummed in (char(n) without pad
    /// spaces, jsonb and hstore keys in UTF-8 order); empty: all as written. The target's
    /// side reads them so ([`target_checksum_sql`]).
    pub canon: Vec<Canon>,
    record: Vec<u8>,
    value: Vec<u8>,
    canon_buf: Vec<u8>,
}

const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

impl RowConverter {
    pub fn new(
        readings: Vec<Reading>,
        on_lossy: OnLossy,
        key_fields: Vec<usize>,
        checksum: bool,
    ) -> RowConverter {
        RowConverter {
            readings,
            on_lossy,
            key_fields,
            rows: 0,
            replaced_cells: 0,
            checksum: checksum.then_some(0),
            limits: Vec::new(),
            canon: Vec::new(),
            record: Vec::new(),
            value: Vec::new(),
            canon_buf: Vec::new(),
        }
    }

    /// Converts a chunk of whole lines, appending UTF-8 COPY text to `out`.
    pub fn convert_chunk(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<(), Unconvertible> {
        // Every column in one charset and no checksum: the whole chunk converts in one pass
        // (tabs and newlines are ASCII); a chunk that does not is redone line by line below,
        // which finds the cell or replaces its bytes.
        let uniform = match self.readings.first() {
            Some(Reading::Charset(enc)) => self
                .readings
                .iter()
                .all(|r| r.same_charset(&Reading::Charset(*enc)))
                .then_some(*enc),
            Some(Reading::Auto(_)) => None,
            None => Some(Encoding::Utf8),
        };
        let limited = self.limits.iter().any(Option::is_some);
        if let (Some(enc), None, false) = (uniform, self.checksum, limited) {
            if convert_into(data, &enc, Target::Al32Utf8, out).is_ok() {
                self.rows += memchr::memchr_iter(b'\n', data).count() as u64
                    + u64::from(data.last().is_some_and(|&b| b != b'\n'));
                if data.last().is_some_and(|&b| b != b'\n') {
                    out.push(b'\n');
                }
                return Ok(());
            }
        }
        let mut pos = 0;
        while pos < data.len() {
            let end = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |i| pos + i);
            let line = &data[pos..end];
            pos = end + 1;
            let start = out.len();
            self.convert_line(line, out)?;
            if self.checksum.is_some() {
                // A row of a table without columns prints as `()`; an empty line of a
                // one-column table is an empty string, `("")`.
                let sum = if self.readings.is_empty() {
                    let d = md5::Md5::digest(b"()");
                    i64::from_be_bytes(d[..8].try_into().expect("16-byte digest"))
                } else {
                    row_checksum(
                        &out[start..],
                        &self.canon,
                        &mut self.record,
                        &mut self.value,
                        &mut self.canon_buf,
                    )
                };
                self.checksum = self.checksum.map(|s| s + i128::from(sum));
            }
            out.push(b'\n');
        }
        Ok(())
    }

    /// The error naming a cell of `line` (see [`Unconvertible`]).
    fn cell(
        &self,
        line: &[u8],
        column: usize,
        offset: usize,
        byte: u8,
        too_long: Option<usize>,
    ) -> Unconvertible {
        let fields: Vec<&[u8]> = line.split(|&b| b == b'\t').collect();
        Unconvertible {
            row: self.rows,
            column,
            key: self
                .key_fields
                .iter()
                .filter_map(|&k| fields.get(k).map(|f| printable(f)))
                .collect(),
            offset,
            byte,
            too_long,
        }
    }

    fn convert_line(&mut self, line: &[u8], out: &mut Vec<u8>) -> Result<(), Unconvertible> {
        self.rows += 1;
        let mut start = 0;
        let mut column = 0;
        loop {
            let stop = memchr::memchr(b'\t', &line[start..]).map_or(line.len(), |i| start + i);
            let field = &line[start..stop];
            let reading = self
                .readings
                .get(column)
                .copied()
                .unwrap_or(Reading::Charset(Encoding::Utf8));
            let at = out.len();
            if let Err(offset) = reading.convert_into(field, out) {
                match self.on_lossy {
                    OnLossy::Fail => {
                        return Err(self.cell(line, column, offset, field[offset], None));
                    }
                    OnLossy::Replace => {
                        replace_into(field, reading.fallback(), out);
                        self.replaced_cells += 1;
                    }
                }
            }
            if let Some(Some(limit)) = self.limits.get(column)
                && field != b"\\N"
            {
                self.value.clear();
                crate::source::postgres::unescape_copy_field(&out[at..], &mut self.value);
                let len = self.value.len();
                if len > *limit {
                    return Err(self.cell(line, column, 0, 0, Some(len)));
                }
            }
            if stop == line.len() {
                return Ok(());
            }
            out.push(b'\t');
            start = stop + 1;
            column += 1;
        }
    }
}

/// Converts with every undefined byte replaced by U+FFFD.
pub(crate) fn replace_into(mut field: &[u8], enc: &Encoding, out: &mut Vec<u8>) {
    loop {
        match convert_into(field, enc, Target::Al32Utf8, out) {
            Ok(()) => return,
            Err(off) => {
                // The bytes before `off` convert: they are known good.
                convert_into(&field[..off], enc, Target::Al32Utf8, out)
                    .expect("prefix before the first bad byte converts");
                out.extend_from_slice(REPLACEMENT);
                field = &field[off + 1..];
            }
        }
    }
}

/// A field as printable text: ASCII kept, other bytes as `\xNN`.
pub(crate) fn printable(field: &[u8]) -> String {
    let mut s = String::new();
    for &b in field {
        if (0x20..0x7f).contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("\\x{b:02X}"));
        }
    }
    s
}

/// The checksum of one converted COPY text row: the first 8 bytes (big-endian, signed) of the
/// MD5 of the row as PostgreSQL prints a `ROW(…)` value (`(1,"a b",)`), each value in its
/// column's canonical text (`canon`, see [`Canon`]). The target computes the same with
/// [`target_checksum_sql`]; the sums over all rows are compared, so row order does not matter.
pub fn row_checksum(
    line: &[u8],
    canon: &[Canon],
    record: &mut Vec<u8>,
    value: &mut Vec<u8>,
    canon_buf: &mut Vec<u8>,
) -> i64 {
    record.clear();
    record.push(b'(');
    for (i, field) in line.split(|&b| b == b'\t').enumerate() {
        if i > 0 {
            record.push(b',');
        }
        if field == b"\\N" {
            continue;
        }
        value.clear();
        crate::source::postgres::unescape_copy_field(field, value);
        let value = canon
            .get(i)
            .copied()
            .unwrap_or(Canon::PLAIN)
            .canonical(value, canon_buf);
        // record_out's rule: quote empty values and those with `"`, `\`, `(`, `)`, `,` or space.
        let quote = value.is_empty()
            || value.iter().any(|&b| {
                matches!(
                    b,
                    b'"' | b'\\' | b'(' | b')' | b',' | b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c
                )
            });
        if quote {
            record.push(b'"');
            for &b in value.iter() {
                if b == b'"' || b == b'\\' {
                    record.push(b);
                }
                record.push(b);
            }
            record.push(b'"');
        } else {
            record.extend_from_slice(value);
        }
    }
    record.push(b')');
    let d = md5::Md5::digest(&record[..]);
    i64::from_be_bytes(d[..8].try_into().expect("16-byte digest"))
}

/// The target side of [`row_checksum`] summed over a table: `columns` are quoted identifiers
/// in the order of the copied rows. A char(n) column is read as text, which drops its pad
/// spaces (`canon`); jsonb and hstore print their keys in the canonical (UTF-8) order already.
pub fn target_checksum_sql(table: &str, columns: &[String], canon: &[Canon]) -> String {
    use crate::source::postgres::canon::CanonKind;
    let values: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| match canon.get(i) {
            Some(Canon {
                kind: CanonKind::Padded,
                array: false,
            }) => format!("{c}::text"),
            Some(Canon {
                kind: CanonKind::Padded,
                array: true,
            }) => format!("{c}::text[]"),
            _ => c.clone(),
        })
        .collect();
    format!(
        "SELECT coalesce(sum(('x' || substr(md5(ROW({})::text), 1, 16))::bit(64)::int8), 0)::text, count(*) FROM ONLY {table}",
        values.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charset::{Dialect, resolve};

    fn enc(name: &str) -> Reading {
        Reading::Charset(resolve(name, Dialect::Postgres).unwrap().encoding)
    }

    #[test]
    fn converts_per_column_and_keeps_escapes() {
        let mut c = RowConverter::new(
            vec![enc("LATIN9"), enc("WIN1252"), enc("LATIN9")],
            OnLossy::Fail,
            vec![0],
            false,
        );
        let mut out = Vec::new();
        c.convert_chunk(b"1\tcaf\xe9 \x80\t\\N\n2\ta\\tb\\\\\xa4\t\xa4\n", &mut out)
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "1\tcafé €\t\\N\n2\ta\\tb\\\\¤\t€\n"
        );
        assert_eq!(c.rows, 2);
    }

    #[test]
    fn one_charset_chunks_convert_in_one_pass_with_the_same_result() {
        let data = b"1\tcaf\xe9\t\\N\n2\t\xa4\\t\t\n3\tx\tz";
        let mut fast = RowConverter::new(vec![enc("LATIN9"); 3], OnLossy::Fail, vec![], false);
        let mut slow = RowConverter::new(vec![enc("LATIN9"); 3], OnLossy::Fail, vec![], true);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        fast.convert_chunk(data, &mut a).unwrap();
        slow.convert_chunk(data, &mut b).unwrap();
        assert_eq!(a, b);
        assert_eq!((fast.rows, slow.rows), (3, 3));
        // A bad byte in a uniform chunk is still found to the cell.
        let mut c = RowConverter::new(vec![enc("LATIN9"); 2], OnLossy::Fail, vec![0], false);
        let e = c
            .convert_chunk(b"1\tok\n2\tb\x85d\n", &mut Vec::new())
            .unwrap_err();
        assert_eq!((e.row, e.column, e.offset, e.byte), (2, 1, 1, 0x85));
    }

    #[test]
    fn a_cell_that_does_not_convert_is_named_or_replaced() {
        let mut c = RowConverter::new(
            vec![enc("LATIN9"), enc("LATIN9")],
            OnLossy::Fail,
            vec![0],
            false,
        );
        let mut out = Vec::new();
        let e = c
            .convert_chunk(b"7\tok\n8\tx\x80y\n", &mut out)
            .unwrap_err();
        assert_eq!(
            e,
            Unconvertible {
                row: 2,
                column: 1,
                key: vec!["8".into()],
                offset: 1,
                byte: 0x80,
                too_long: None
            }
        );
        let mut c = RowConverter::new(
            vec![enc("LATIN9"), enc("LATIN9")],
            OnLossy::Replace,
            vec![],
            false,
        );
        let mut out = Vec::new();
        c.convert_chunk(b"8\tx\x80y\x9f\xe9\n", &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "8\tx\u{FFFD}y\u{FFFD}é\n");
        assert_eq!(c.replaced_cells, 1);
    }

    #[test]
    fn row_checksum_hashes_the_record_text() {
        let (mut r, mut v, mut b) = (Vec::new(), Vec::new(), Vec::new());
        let md5_head =
            |s: &str| i64::from_be_bytes(md5::Md5::digest(s.as_bytes())[..8].try_into().unwrap());
        assert_eq!(
            row_checksum(b"1\tcaf\xc3\xa9\t\\N", &[], &mut r, &mut v, &mut b),
            md5_head("(1,café,)")
        );
        assert_eq!(
            row_checksum(b"2\ta b\t", &[], &mut r, &mut v, &mut b),
            md5_head("(2,\"a b\",\"\")")
        );
        assert_eq!(
            row_checksum(b"3\ta\\\\\"(x)\\t", &[], &mut r, &mut v, &mut b),
            md5_head("(3,\"a\\\\\"\"(x)\t\")")
        );
    }

    #[test]
    fn char_pad_spaces_and_jsonb_key_order_are_checksummed_as_the_utf8_target_prints_them() {
        let (mut r, mut v, mut b) = (Vec::new(), Vec::new(), Vec::new());
        let md5_head =
            |s: &str| i64::from_be_bytes(md5::Md5::digest(s.as_bytes())[..8].try_into().unwrap());
        let canon = [
            Canon::PLAIN,
            Canon::of_type("character"),
            Canon::of_type("character[]"),
            Canon::of_type("jsonb"),
        ];
        // A char(4) read `auto` from pass-through bytes: "é" and two pad spaces, where the
        // target's char(4) has three; the target reads both as text, without them.
        let source = "1\té  \t{\"é  \",\"ab  \"}\t{\"é\": 1, \"ab\": 2}";
        let target_row = "(1,é,\"{é,ab}\",\"{\"\"ab\"\": 2, \"\"é\"\": 1}\")";
        assert_eq!(
            row_checksum(source.as_bytes(), &canon, &mut r, &mut v, &mut b),
            md5_head(target_row)
        );
        // Any other change still changes the checksum.
        for other in [
            "1\tè  \t{\"é  \",\"ab  \"}\t{\"é\": 1, \"ab\": 2}",
            "1\t é \t{\"é  \",\"ab  \"}\t{\"é\": 1, \"ab\": 2}",
            "1\té  \t{\"é  \",\"abc \"}\t{\"é\": 1, \"ab\": 2}",
            "1\té  \t{\"é  \",\"ab  \"}\t{\"é\": 2, \"ab\": 2}",
        ] {
            assert_ne!(
                row_checksum(other.as_bytes(), &canon, &mut r, &mut v, &mut b),
                md5_head(target_row),
                "{other}"
            );
        }
        assert_eq!(
            target_checksum_sql(
                "t",
                &[
                    "\"id\"".into(),
                    "\"k\"".into(),
                    "\"ka\"".into(),
                    "\"doc\"".into()
                ],
                &canon
            ),
            "SELECT coalesce(sum(('x' || substr(md5(ROW(\"id\", \"k\"::text, \"ka\"::text[], \"doc\")::text), 1, 16))::bit(64)::int8), 0)::text, \
             count(*) FROM ONLY t"
        );
    }
}
