//! A batch of decoded rows: one buffer of raw bytes and the spans of each row's identifier
//! and cells, so a worker classifies thousands of cells without an allocation per cell.

const NULL: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

/// Rows of one chunk: per row a row identifier and `ncols` cells (raw stored bytes or NULL).
#[derive(Debug, Default)]
pub struct Batch {
    ncols: usize,
    data: Vec<u8>,
    spans: Vec<Span>,
    /// Source line (or record number) of each row, for error messages and exceptions.
    lines: Vec<u64>,
}

impl Batch {
    pub fn new(ncols: usize) -> Batch {
        Batch {
            ncols,
            ..Batch::default()
        }
    }

    /// Empties the batch for reuse, keeping its buffers.
    pub fn reset(&mut self, ncols: usize) {
        self.ncols = ncols;
        self.data.clear();
        self.spans.clear();
        self.lines.clear();
    }

    pub fn ncols(&self) -> usize {
        self.ncols
    }

    pub fn rows(&self) -> usize {
        self.lines.len()
    }

    /// Starts a row: its identifier and source line. Cells follow with `push_cell`/`push_null`.
    pub fn start_row(&mut self, rowid: &[u8], line: u64) {
        self.push_cell(rowid);
        self.lines.push(line);
    }

    fn offset(&self) -> u32 {
        u32::try_from(self.data.len()).expect("batch larger than 4 GiB")
    }

    pub fn push_cell(&mut self, bytes: &[u8]) {
        let start = self.offset();
        self.data.extend_from_slice(bytes);
        self.spans.push(Span {
            start,
            len: bytes.len() as u32,
        });
    }

    /// Appends a cell whose bytes the caller writes into the returned buffer.
    pub fn push_cell_with(&mut self, fill: impl FnOnce(&mut Vec<u8>)) {
        let start = self.offset();
        fill(&mut self.data);
        let len = self.offset() - start;
        self.spans.push(Span { start, len });
    }

    pub fn push_null(&mut self) {
        self.spans.push(Span {
            start: 0,
            len: NULL,
        });
    }

    /// Drops a row that was started but could not be completed.
    pub fn abandon_row(&mut self, spans_before: usize, data_before: usize) {
        self.spans.truncate(spans_before);
        self.data.truncate(data_before);
        self.lines.truncate(spans_before / (self.ncols + 1));
    }

    /// (number of spans, data length): a mark for `abandon_row`.
    pub fn mark(&self) -> (usize, usize) {
        (self.spans.len(), self.data.len())
    }

    fn span(&self, s: Span) -> Option<&[u8]> {
        (s.len != NULL).then(|| &self.data[s.start as usize..(s.start + s.len) as usize])
    }

    pub fn rowid(&self, row: usize) -> &[u8] {
        self.span(self.spans[row * (self.ncols + 1)])
            .unwrap_or_default()
    }

    pub fn line(&self, row: usize) -> u64 {
        self.lines[row]
    }

    pub fn cell(&self, row: usize, col: usize) -> Option<&[u8]> {
        self.span(self.spans[row * (self.ncols + 1) + 1 + col])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_nulls_and_empty_values_are_distinct() {
        let mut b = Batch::new(2);
        b.start_row(b"AAA", 2);
        b.push_cell(b"x");
        b.push_null();
        b.start_row(b"AAB", 3);
        b.push_cell(b"");
        b.push_cell_with(|d| d.extend_from_slice(b"yz"));
        assert_eq!(b.rows(), 2);
        assert_eq!((b.rowid(1), b.line(1)), (&b"AAB"[..], 3));
        assert_eq!(b.cell(0, 1), None);
        assert_eq!(b.cell(1, 0), Some(&b""[..]));
        assert_eq!(b.cell(1, 1), Some(&b"yz"[..]));
        let (s, d) = b.mark();
        b.start_row(b"AAC", 4);
        b.push_cell(b"q");
        b.abandon_row(s, d);
        assert_eq!(b.rows(), 2);
    }
}
