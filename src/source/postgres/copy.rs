//! Raw bytes through `COPY … TO STDOUT (FORMAT text, ENCODING '<server encoding>')`.
//!
//! With the server's own encoding named, COPY sends the stored bytes unconverted while the
//! session stays UTF8 (CHARSETS.md); nothing goes through `String`. The text format escapes
//! newlines inside values, so every line is one row: the reader cuts the stream at line ends
//! into chunks, and the scan workers decode the format (`\N`, backslash escapes including
//! octal and `\x` hex) in parallel.

use crate::source::{Batch, Chunk, SourceError};
use std::sync::Arc;

/// Bytes handed to a worker at a time.
pub(crate) const CHUNK_BYTES: usize = 1 << 20;

/// What a chunk needs to report errors.
pub(crate) struct CopyLayout {
    /// `schema.table`, for messages.
    pub table: String,
    /// Columns requested (the row identifier comes first in each line, before them).
    pub ncols: usize,
}

pub(crate) struct CopyChunk {
    pub data: Vec<u8>,
    /// Ordinal (within the part) of the chunk's first row.
    pub first_row: u64,
    pub layout: Arc<CopyLayout>,
}

/// Gathers the pieces of a COPY stream (the server sends one message per row) into chunks of
/// about [`CHUNK_BYTES`] cut at line ends.
pub(crate) struct Chunker {
    buf: Vec<u8>,
    row: u64,
    layout: Arc<CopyLayout>,
}

impl Chunker {
    pub fn new(layout: Arc<CopyLayout>) -> Chunker {
        Chunker {
            buf: Vec::with_capacity(CHUNK_BYTES + (64 << 10)),
            row: 0,
            layout,
        }
    }

    /// Adds a piece; returns a chunk when one is ready.
    pub fn push(&mut self, piece: &[u8]) -> Option<CopyChunk> {
        self.buf.extend_from_slice(piece);
        if self.buf.len() < CHUNK_BYTES {
            return None;
        }
        // No line end yet: one row larger than a chunk, wait for its end.
        memchr::memrchr(b'\n', &self.buf).map(|i| self.cut(i + 1))
    }

    /// What is left at the end of the stream.
    pub fn finish(&mut self) -> Option<CopyChunk> {
        let n = self.buf.len();
        (n > 0).then(|| self.cut(n))
    }

    fn cut(&mut self, at: usize) -> CopyChunk {
        let rest = self.buf[at..].to_vec();
        self.buf.truncate(at);
        let data = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK_BYTES + (64 << 10)));
        self.buf.extend_from_slice(&rest);
        let rows = memchr::memchr_iter(b'\n', &data).count() as u64
            + u64::from(data.last() != Some(&b'\n'));
        let chunk = CopyChunk {
            data,
            first_row: self.row,
            layout: Arc::clone(&self.layout),
        };
        self.row += rows;
        chunk
    }
}

/// Decodes one text-format field with backslash escapes into `out`.
pub(crate) fn unescape(field: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < field.len() {
        let Some(off) = memchr::memchr(b'\\', &field[i..]) else {
            out.extend_from_slice(&field[i..]);
            return;
        };
        out.extend_from_slice(&field[i..i + off]);
        i += off + 1;
        let Some(&c) = field.get(i) else {
            return; // a lone trailing backslash: COPY never sends one.
        };
        i += 1;
        match c {
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                for _ in 0..2 {
                    match field.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(v as u8);
            }
            b'x' if field.get(i).is_some_and(u8::is_ascii_hexdigit) => {
                let mut v = 0u32;
                for _ in 0..2 {
                    match field.get(i).and_then(|d| (*d as char).to_digit(16)) {
                        Some(d) => {
                            v = v * 16 + d;
                            i += 1;
                        }
                        None => break,
                    }
                }
                out.push(v as u8);
            }
            other => out.push(other),
        }
    }
}

/// A row identifier as text: escapes bytes that are not UTF-8 (a key in a legacy charset).
fn push_rowid(field: &[u8], batch: &mut Batch, row: u64, scratch: &mut Vec<u8>) {
    scratch.clear();
    unescape(field, scratch);
    if std::str::from_utf8(scratch).is_ok() {
        batch.start_row(scratch, row);
    } else {
        let mut s = Vec::with_capacity(scratch.len() * 2);
        for &b in scratch.iter() {
            if b.is_ascii() {
                s.push(b);
            } else {
                s.extend_from_slice(format!("\\x{b:02X}").as_bytes());
            }
        }
        batch.start_row(&s, row);
    }
}

impl Chunk for CopyChunk {
    fn size(&self) -> u64 {
        self.data.len() as u64
    }

    fn decode(&self, batch: &mut Batch) -> Result<(), SourceError> {
        let ncols = self.layout.ncols;
        let data = &self.data[..];
        let mut scratch = Vec::new();
        let mut pos = 0;
        let mut row = self.first_row;
        while pos < data.len() {
            let end = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |i| pos + i);
            let line = &data[pos..end];
            pos = end + 1;
            let escaped = memchr::memchr(b'\\', line).is_some();
            let mark = batch.mark();
            let mut fields = 0usize;
            let mut start = 0;
            let mut tabs = memchr::memchr_iter(b'\t', line);
            loop {
                let stop = tabs.next().unwrap_or(line.len());
                let field = &line[start..stop];
                if fields == 0 {
                    push_rowid(field, batch, row, &mut scratch);
                } else if fields <= ncols {
                    if field == b"\\N" {
                        batch.push_null();
                    } else if escaped && memchr::memchr(b'\\', field).is_some() {
                        batch.push_cell_with(|out| unescape(field, out));
                    } else {
                        batch.push_cell(field);
                    }
                }
                fields += 1;
                if stop == line.len() {
                    break;
                }
                start = stop + 1;
            }
            if fields != ncols + 1 {
                batch.abandon_row(mark.0, mark.1);
                return Err(SourceError::Database {
                    object: self.layout.table.clone(),
                    message: format!(
                        "COPY row {} has {} fields, expected {} (row identifier and {ncols} columns)",
                        row + 1,
                        fields,
                        ncols + 1
                    ),
                });
            }
            row += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(data: &[u8], ncols: usize) -> Result<Batch, SourceError> {
        let layout = Arc::new(CopyLayout {
            table: "s.t".into(),
            ncols,
        });
        let mut b = Batch::new(ncols);
        CopyChunk {
            data: data.to_vec(),
            first_row: 0,
            layout,
        }
        .decode(&mut b)?;
        Ok(b)
    }

    #[test]
    fn escapes_nulls_and_raw_bytes() {
        let b = decode(
            b"1\tcaf\xe9\t\\N\n2\ta\\tb\\\\c\\nd\t\n3\t\\101\\x41\\x4\\7z\\q\t\\r\\b\\f\\v\n",
            2,
        )
        .unwrap();
        assert_eq!(b.rows(), 3);
        assert_eq!(b.rowid(0), b"1");
        assert_eq!(b.cell(0, 0), Some(&b"caf\xe9"[..]));
        assert_eq!(b.cell(0, 1), None);
        assert_eq!(b.cell(1, 0), Some(&b"a\tb\\c\nd"[..]));
        assert_eq!(
            b.cell(1, 1),
            Some(&b""[..]),
            "an empty field is an empty string, not NULL"
        );
        assert_eq!(b.cell(2, 0), Some(&b"AA\x04\x07zq"[..]));
        assert_eq!(b.cell(2, 1), Some(&b"\r\x08\x0c\x0b"[..]));
    }

    #[test]
    fn wrong_field_count_is_an_error_naming_the_row() {
        let e = decode(b"1\ta\tb\n2\ta\n", 2).err().unwrap().to_string();
        assert!(
            e.contains("s.t") && e.contains("row 2") && e.contains("2 fields"),
            "{e}"
        );
    }

    #[test]
    fn non_utf8_row_identifiers_are_escaped() {
        let b = decode(b"caf\xe9\tx\n", 1).unwrap();
        assert_eq!(b.rowid(0), b"caf\\xE9");
    }

    #[test]
    fn chunks_are_cut_at_line_ends_only() {
        let mut data = Vec::new();
        for i in 0..200_000 {
            data.extend_from_slice(format!("{i}\tvalue number {i}\n").as_bytes());
        }
        let layout = Arc::new(CopyLayout {
            table: "s.t".into(),
            ncols: 1,
        });
        let mut chunker = Chunker::new(layout);
        let mut rows = 0;
        let mut chunks = 0;
        let mut check = |c: CopyChunk| {
            let mut b = Batch::new(1);
            c.decode(&mut b).unwrap();
            assert_eq!(
                b.rowid(0),
                rows.to_string().as_bytes(),
                "chunk {chunks} starts at a row"
            );
            rows += b.rows();
            chunks += 1;
        };
        for piece in data.chunks(7777) {
            chunker.push(piece).map(&mut check);
        }
        chunker.finish().map(&mut check);
        assert!(chunker.finish().is_none());
        assert_eq!(rows, 200_000);
        assert!(chunks > 1);
    }
}
