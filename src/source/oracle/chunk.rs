//! Fetched rows on their way to the scan workers: one buffer and a span per cell, assembled
//! from a row's select-list items according to the read plan (windows of one value are
//! joined; a NULL first window is a NULL value). Pure, so it is tested without a server.

use super::sql::{ReadAs, ReadColumn};
use crate::source::{Batch, Chunk, SourceError};

/// Rows of one chunk: row identifier and cells, as raw bytes.
pub struct RawChunk {
    ncols: usize,
    rows: usize,
    data: Vec<u8>,
    cells: Vec<Option<(usize, usize)>>,
}

impl RawChunk {
    pub fn new(ncols: usize) -> RawChunk {
        RawChunk {
            ncols,
            rows: 0,
            data: Vec::new(),
            cells: Vec::new(),
        }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Adds one fetched row: `items[0]` is the ROWID, then each column's select-list items in
    /// plan order (`ReadAs::items()` of them per column).
    pub fn push_row(&mut self, items: &[Option<&[u8]>], plan: &[ReadColumn]) {
        self.rows += 1;
        let rowid = items.first().copied().flatten().unwrap_or_default();
        self.push(Some(rowid));
        let mut i = 1;
        for c in plan {
            let n = c.read.items();
            let windows = &items[i..(i + n).min(items.len())];
            match windows.first().copied().flatten() {
                None => self.cells.push(None),
                Some(first)
                    if matches!(
                        c.read,
                        ReadAs::ByteChunks { .. } | ReadAs::CharChunks { .. }
                    ) =>
                {
                    let start = self.data.len();
                    self.data.extend_from_slice(first);
                    for w in windows[1..].iter().flatten() {
                        self.data.extend_from_slice(w);
                    }
                    self.cells.push(Some((start, self.data.len() - start)));
                }
                Some(b) => self.push(Some(b)),
            }
            i += n;
        }
    }

    fn push(&mut self, b: Option<&[u8]>) {
        self.cells.push(b.map(|b| {
            let start = self.data.len();
            self.data.extend_from_slice(b);
            (start, b.len())
        }));
    }
}

impl Chunk for RawChunk {
    fn size(&self) -> u64 {
        self.data.len() as u64
    }

    fn decode(&self, batch: &mut Batch) -> Result<(), SourceError> {
        let stride = self.ncols + 1;
        for (r, row) in self.cells.chunks(stride).enumerate() {
            let span = |c: &Option<(usize, usize)>| c.map(|(s, l)| &self.data[s..s + l]);
            batch.start_row(span(&row[0]).unwrap_or_default(), r as u64 + 1);
            for c in &row[1..] {
                match span(c) {
                    Some(b) => batch.push_cell(b),
                    None => batch.push_null(),
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(read: ReadAs) -> ReadColumn {
        ReadColumn {
            name: "C".into(),
            read,
        }
    }

    #[test]
    fn windows_are_joined_and_a_null_first_window_is_null() {
        let plan = [
            col(ReadAs::Raw),
            col(ReadAs::ByteChunks {
                width: 2000,
                count: 3,
            }),
            col(ReadAs::Long),
        ];
        let mut c = RawChunk::new(plan.len());
        // Row 1: a value of two windows (the third is past its end: NULL).
        c.push_row(
            &[
                Some(b"AAAR1"),
                Some(b"x"),
                Some(b"ab"),
                Some(b"cd"),
                None,
                Some(b"L"),
            ],
            &plan,
        );
        // Row 2: NULL everywhere; an empty non-NULL raw value stays empty, not NULL.
        c.push_row(&[Some(b"AAAR2"), Some(b""), None, None, None, None], &plan);
        assert_eq!(c.rows(), 2);
        let mut b = Batch::default();
        b.reset(plan.len());
        c.decode(&mut b).unwrap();
        assert_eq!(b.rows(), 2);
        assert_eq!(
            (b.rowid(0), b.cell(0, 0), b.cell(0, 1), b.cell(0, 2)),
            (
                &b"AAAR1"[..],
                Some(&b"x"[..]),
                Some(&b"abcd"[..]),
                Some(&b"L"[..])
            )
        );
        assert_eq!(
            (b.rowid(1), b.cell(1, 0), b.cell(1, 1), b.cell(1, 2)),
            (&b"AAAR2"[..], Some(&b""[..]), None, None)
        );
        assert_eq!(c.size(), (5 + 1 + 4 + 1 + 5) as u64);
    }
}
