//! The data comparison: every row of a table read on both sides by charmig itself, hashed and
//! combined so that row order does not matter.
//!
//! Each side is read with `PgSource::read_text` (COPY text format, in one exported snapshot,
//! with the same output settings on both servers: ISO dates, UTC, `extra_float_digits = 3`,
//! hex bytea), so non-text values print identically when they are equal. The source's stored
//! bytes are converted to UTF-8 per column the way the scan decided ([`super::decode`]); the
//! target's lines are UTF-8 already. A row's hash is the 128-bit SipHash-1-3 of its line, in
//! which fields are tab-separated, tabs inside values escaped and NULL written `\N`, so NULL
//! and the empty string differ and no two rows share a line. A side's checksum is the row
//! count, the wrapping sum and the xor of the row hashes: equal multisets of rows give equal
//! checksums whatever the order, and any change to one row changes both sum and xor.
//!
//! For `--rows`, each side also sums its row hashes into [`BUCKETS`] buckets chosen by the
//! hash of the row's key (the whole row for a table without key); only the buckets that differ
//! are read again to name rows (`super::rows`), so memory stays flat however large the table.
//!
//! Tables are split into the source's ctid page ranges (`Source::parts`), independently on
//! each side (the sums add), and the parts of all tables run on `--jobs` workers.

use super::decode::{LineDecoder, Reading};
use super::sanity;
use crate::source::postgres::PgSource;
use crate::source::postgres::canon::{Canon, Scratch};
use crate::source::{Part, Source};
use siphasher::sip128::{Hasher128, SipHasher13};
use std::hash::Hasher;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Buckets of the per-key sums kept for `--rows`.
pub const BUCKETS: usize = 1 << 14;
/// Fixed SipHash keys: both sides (and any later run) must hash alike.
const KEY0: u64 = 0x6368_6172_6d69_6776; // "charmigv"
const KEY1: u64 = 0x6572_6966_7920_3031; // "erify 01"

pub(crate) fn hash128(bytes: &[u8]) -> u128 {
    SipHasher13::new_with_keys(KEY0, KEY1).hash(bytes).as_u128()
}

/// One database as verify reads it: a table's parts, and each part's rows as chunks of lines
/// in PostgreSQL's COPY text form (fields tab-separated, `\\N` for NULL, control characters
/// and the backslash escaped), each line ending with a line feed. The hashing, the buckets of
/// `--rows` and the text checks are the same whichever database produced the lines.
pub trait VerifyDb: Sync {
    /// The parts `table` (an index in this side's catalog) is read in.
    fn verify_parts(&self, table: usize) -> Result<Vec<Part>, String>;
    /// Expected bytes of `table`, for the progress bar.
    fn verify_size(&self, table: usize) -> u64;
    /// Reads one part of `job` on `side`. `emit` gets a chunk of whole lines and, per column
    /// of the job, the cells this chunk had with bytes without meaning (empty when the lines
    /// are decoded by the hasher); it returns false to stop.
    fn read_lines(
        &self,
        job: &TableJob,
        side: Side,
        part: &Part,
        emit: &mut dyn FnMut(&[u8], &[u64]) -> bool,
    ) -> Result<(), String>;
    /// True when this side's lines are UTF-8 already (else the source's lines are decoded per
    /// column by the hasher, [`super::decode::LineDecoder`]).
    fn lines_are_utf8(&self, side: Side) -> bool;
}

impl VerifyDb for PgSource {
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
        let index = match side {
            Side::Source => job.source_index,
            Side::Target => job.target_index,
        };
        let filter = range_filter(part.range);
        self.read_text(index, &job.columns, filter.as_deref(), &mut |chunk| {
            emit(&chunk, &[])
        })
        .map(|_| ())
        .map_err(|e| e.to_string())
    }
    fn lines_are_utf8(&self, side: Side) -> bool {
        side == Side::Target
    }
}

/// Which side of the move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Source,
    Target,
}

/// What comparing one table needs.
#[derive(Debug, Clone)]
pub struct TableJob {
    pub schema: String,
    pub name: String,
    /// Index of the table in each side's catalog.
    pub source_index: usize,
    pub target_index: usize,
    /// Columns compared (present on both sides), in the source's order.
    pub columns: Vec<String>,
    /// How each column's source bytes are read.
    pub readings: Vec<Reading>,
    /// Positions (in `columns`) of the row's key; `None`: the whole row identifies it.
    pub key: Option<Vec<usize>>,
    /// Per column: character data on the target (checked for double encoding and U+FFFD).
    pub text: Vec<bool>,
    /// Per column: how its values are compared on both sides (char(n) without pad spaces,
    /// jsonb and hstore with their keys in UTF-8 order); empty: all as printed.
    pub canon: Vec<Canon>,
}

impl TableJob {
    pub fn qualified(&self) -> String {
        format!("{}.{}", self.schema, self.name)
    }
}

/// One side's checksum of a table (or part of it), with per-column counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SideSum {
    pub rows: u64,
    pub sum: u128,
    pub xor: u128,
    /// Per-bucket sums (empty unless `--rows`).
    pub buckets: Vec<u128>,
    /// Per column: cells whose bytes had no meaning (source only).
    pub undecodable: Vec<u64>,
    pub double_encoded: Vec<u64>,
    pub replacement: Vec<u64>,
}

impl SideSum {
    fn new(ncols: usize, buckets: bool) -> SideSum {
        SideSum {
            buckets: if buckets {
                vec![0; BUCKETS]
            } else {
                Vec::new()
            },
            undecodable: vec![0; ncols],
            double_encoded: vec![0; ncols],
            replacement: vec![0; ncols],
            ..SideSum::default()
        }
    }

    pub fn merge(&mut self, o: &SideSum) {
        self.rows += o.rows;
        self.sum = self.sum.wrapping_add(o.sum);
        self.xor ^= o.xor;
        if self.buckets.len() < o.buckets.len() {
            self.buckets.resize(o.buckets.len(), 0);
        }
        for (a, b) in self.buckets.iter_mut().zip(&o.buckets) {
            *a = a.wrapping_add(*b);
        }
        let add = |a: &mut Vec<u64>, b: &Vec<u64>| {
            if a.len() < b.len() {
                a.resize(b.len(), 0);
            }
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        };
        add(&mut self.undecodable, &o.undecodable);
        add(&mut self.double_encoded, &o.double_encoded);
        add(&mut self.replacement, &o.replacement);
    }

    /// The checksum as printed in reports: 32 hex digits of the sum, 32 of the xor.
    pub fn checksum(&self) -> String {
        format!("{:032x}{:032x}", self.sum, self.xor)
    }

    /// Same rows (as a multiset) on both sides.
    pub fn same_content(&self, o: &SideSum) -> bool {
        self.rows == o.rows && self.sum == o.sum && self.xor == o.xor
    }
}

/// Hashes lines of one side of one table.
pub(crate) struct LineHasher<'a> {
    job: &'a TableJob,
    decoder: Option<LineDecoder>,
    buf: Vec<u8>,
    /// The line with its values canonical, when a column needs it.
    canon_buf: Vec<u8>,
    scratch: Scratch,
    fields: Vec<(usize, usize)>,
}

/// The line as compared: decoded to UTF-8 (source side), then with each value of a column
/// that needs it in its canonical text ([`Canon`]), the same on both sides.
fn compared_line<'b>(
    job: &TableJob,
    decoder: &mut Option<LineDecoder>,
    buf: &'b mut Vec<u8>,
    canon_buf: &'b mut Vec<u8>,
    scratch: &mut Scratch,
    line: &'b [u8],
) -> &'b [u8] {
    let text: &[u8] = match decoder {
        Some(d) => {
            buf.clear();
            d.decode_line(line, buf);
            buf
        }
        None => line,
    };
    if job.canon.iter().all(|c| c.is_plain()) {
        return text;
    }
    canon_buf.clear();
    for (i, field) in text.split(|&b| b == b'\t').enumerate() {
        if i > 0 {
            canon_buf.push(b'\t');
        }
        job.canon
            .get(i)
            .copied()
            .unwrap_or(Canon::PLAIN)
            .canonical_copy_field(field, canon_buf, scratch);
    }
    canon_buf
}

impl<'a> LineHasher<'a> {
    pub fn new(job: &'a TableJob, side: Side) -> LineHasher<'a> {
        LineHasher {
            job,
            decoder: (side == Side::Source).then(|| LineDecoder::new(job.readings.clone())),
            buf: Vec::new(),
            canon_buf: Vec::new(),
            scratch: Scratch::default(),
            fields: Vec::new(),
        }
    }

    /// The hasher of lines `db` reads on `side` (decoding them when they are not UTF-8).
    pub fn of(job: &'a TableJob, side: Side, db: &dyn VerifyDb) -> LineHasher<'a> {
        if db.lines_are_utf8(side) {
            LineHasher::new(job, Side::Target)
        } else {
            LineHasher::new(job, side)
        }
    }

    /// The UTF-8 line of a raw one (converted on the source side), as compared.
    pub fn text<'b>(&'b mut self, line: &'b [u8]) -> &'b [u8] {
        compared_line(
            self.job,
            &mut self.decoder,
            &mut self.buf,
            &mut self.canon_buf,
            &mut self.scratch,
            line,
        )
    }

    /// The bucket of a UTF-8 line whose row hash is `row`.
    pub fn bucket(job: &TableJob, text: &[u8], row: u128) -> usize {
        let h = match &job.key {
            None => row,
            Some(key) => {
                let mut h = SipHasher13::new_with_keys(KEY0, KEY1);
                for (i, f) in text.split(|&b| b == b'\t').enumerate() {
                    if key.contains(&i) {
                        h.write(f);
                        h.write_u8(b'\t');
                    }
                }
                h.finish128().as_u128()
            }
        };
        (h as usize) & (BUCKETS - 1)
    }

    /// Adds the lines of a chunk (whole lines, each ending with a line feed) to `sum`.
    pub fn add_chunk(&mut self, chunk: &[u8], sum: &mut SideSum) {
        let job = self.job;
        if chunk.is_empty() {
            return;
        }
        // An empty line is a row too (one column holding an empty string, or no columns).
        let body = chunk.strip_suffix(b"\n").unwrap_or(chunk);
        for line in body.split(|&b| b == b'\n') {
            let text = compared_line(
                job,
                &mut self.decoder,
                &mut self.buf,
                &mut self.canon_buf,
                &mut self.scratch,
                line,
            );
            let row = hash128(text);
            sum.rows += 1;
            sum.sum = sum.sum.wrapping_add(row);
            sum.xor ^= row;
            if !sum.buckets.is_empty() {
                let b = Self::bucket(job, text, row);
                sum.buckets[b] = sum.buckets[b].wrapping_add(row);
            }
            if job.text.iter().any(|&t| t) && !text.is_ascii() {
                self.fields.clear();
                let mut start = 0;
                for (i, &b) in text.iter().enumerate() {
                    if b == b'\t' {
                        self.fields.push((start, i));
                        start = i + 1;
                    }
                }
                self.fields.push((start, text.len()));
                for (i, &(s, e)) in self.fields.iter().enumerate() {
                    if job.text.get(i) == Some(&true) {
                        let m = sanity::marks(&text[s..e]);
                        sum.double_encoded[i] += u64::from(m.double_encoded);
                        sum.replacement[i] += u64::from(m.replacement);
                    }
                }
            }
        }
        if let Some(d) = &mut self.decoder {
            for (a, b) in sum.undecodable.iter_mut().zip(d.undecodable.iter_mut()) {
                *a += std::mem::take(b);
            }
        }
    }
}

/// The `WHERE` condition of a ctid page range.
pub(crate) fn range_filter(range: Option<(u64, u64)>) -> Option<String> {
    match range {
        None => None,
        Some((from, u64::MAX)) => Some(format!("ctid >= '({from},0)'::tid")),
        Some((from, to)) => Some(format!(
            "ctid >= '({from},0)'::tid AND ctid < '({to},0)'::tid"
        )),
    }
}

/// Reads one part of one side and returns its sum.
fn sum_part(
    db: &dyn VerifyDb,
    job: &TableJob,
    side: Side,
    part: &Part,
    buckets: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SideSum, String> {
    let mut sum = SideSum::new(job.columns.len(), buckets);
    let mut hasher = LineHasher::of(job, side, db);
    db.read_lines(job, side, part, &mut |chunk, undecodable| {
        hasher.add_chunk(chunk, &mut sum);
        for (a, b) in sum.undecodable.iter_mut().zip(undecodable) {
            *a += b;
        }
        progress(chunk.len() as u64);
        true
    })?;
    Ok(sum)
}

/// Both sides' sums of a table, or what went wrong.
pub type TableSums = Result<(SideSum, SideSum), String>;

/// Checksums every table on both sides, with `jobs` workers over the parts of all tables.
/// `progress` receives the bytes read.
pub fn checksum_tables(
    source: &dyn VerifyDb,
    target: &dyn VerifyDb,
    tables: &[TableJob],
    jobs: usize,
    buckets: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<TableSums> {
    struct Item {
        table: usize,
        side: Side,
        part: Part,
        size: u64,
    }
    let mut items = Vec::new();
    let results: Vec<Mutex<TableSums>> = tables
        .iter()
        .map(|t| {
            Mutex::new(Ok((
                SideSum::new(t.columns.len(), buckets),
                SideSum::new(t.columns.len(), buckets),
            )))
        })
        .collect();
    for (k, t) in tables.iter().enumerate() {
        for (side, db, index) in [
            (Side::Source, source, t.source_index),
            (Side::Target, target, t.target_index),
        ] {
            match db.verify_parts(index) {
                Ok(parts) => {
                    let n = parts.len().max(1) as u64;
                    for p in parts {
                        items.push(Item {
                            table: k,
                            side,
                            part: p,
                            size: db.verify_size(index) / n,
                        });
                    }
                }
                Err(e) => *results[k].lock().expect("result") = Err(e),
            }
        }
    }
    // Largest first, so a large table does not start last.
    items.sort_by(|a, b| b.size.cmp(&a.size));
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1).min(items.len().max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let job = &tables[item.table];
                    if results[item.table].lock().expect("result").is_err() {
                        continue;
                    }
                    let db = match item.side {
                        Side::Source => source,
                        Side::Target => target,
                    };
                    let r = sum_part(db, job, item.side, &item.part, buckets, progress);
                    let mut slot = results[item.table].lock().expect("result");
                    match (r, &mut *slot) {
                        (Ok(part), Ok((s, t))) => match item.side {
                            Side::Source => s.merge(&part),
                            Side::Target => t.merge(&part),
                        },
                        (Err(e), slot) => {
                            let side = match item.side {
                                Side::Source => "source",
                                Side::Target => "target",
                            };
                            *slot = Err(format!("reading the {side}: {e}"));
                        }
                        (Ok(_), Err(_)) => {}
                    }
                }
            });
        }
    });
    results
        .into_iter()
        .map(|m| m.into_inner().expect("result"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(key: Option<Vec<usize>>, readings: &[&str]) -> TableJob {
        TableJob {
            schema: "s".into(),
            name: "t".into(),
            source_index: 0,
            target_index: 0,
            columns: (0..readings.len()).map(|i| format!("c{i}")).collect(),
            readings: readings
                .iter()
                .map(|r| Reading::parse(r).unwrap())
                .collect(),
            key,
            text: vec![true; readings.len()],
            canon: Vec::new(),
        }
    }

    fn sum(job: &TableJob, side: Side, data: &[u8]) -> SideSum {
        let mut s = SideSum::new(job.columns.len(), true);
        LineHasher::new(job, side).add_chunk(data, &mut s);
        s
    }

    #[test]
    fn source_bytes_decoded_equal_the_targets_utf8_in_any_order() {
        let j = job(Some(vec![0]), &["LATIN9", "LATIN9"]);
        let src = sum(&j, Side::Source, b"1\tcaf\xe9\n2\t\xa4\n3\t\\N\n");
        let tgt = sum(&j, Side::Target, "3\t\\N\n1\tcafé\n2\t€\n".as_bytes());
        assert!(src.same_content(&tgt));
        assert_eq!(src.buckets, tgt.buckets);
        assert_eq!(src.rows, 3);
    }

    #[test]
    fn null_empty_changed_missing_and_duplicated_rows_differ() {
        let j = job(Some(vec![0]), &["UTF8", "UTF8"]);
        let base = sum(&j, Side::Target, b"1\ta\n2\t\n");
        for other in [
            &b"1\ta\n2\t\\N\n"[..],
            b"1\tb\n2\t\n",
            b"1\ta\n",
            b"1\ta\n2\t\n2\t\n",
            b"1\ta\n1\ta\n2\t\n2\t\n",
        ] {
            assert!(
                !base.same_content(&sum(&j, Side::Target, other)),
                "{}",
                String::from_utf8_lossy(other)
            );
        }
        // Two rows swapping a value: sums of hashes differ as well.
        let a = sum(&j, Side::Target, b"1\tx\n2\ty\n");
        let b = sum(&j, Side::Target, b"1\ty\n2\tx\n");
        assert!(!a.same_content(&b));
    }

    #[test]
    fn only_the_changed_rows_bucket_differs() {
        let j = job(Some(vec![0]), &["UTF8", "UTF8"]);
        let mut data = Vec::new();
        for i in 0..1000 {
            data.extend_from_slice(format!("{i}\tv{i}\n").as_bytes());
        }
        let a = sum(&j, Side::Target, &data);
        let changed = String::from_utf8(data)
            .unwrap()
            .replace("500\tv500\n", "500\tchanged\n");
        let b = sum(&j, Side::Target, changed.as_bytes());
        let differing = a
            .buckets
            .iter()
            .zip(&b.buckets)
            .filter(|(x, y)| x != y)
            .count();
        assert_eq!(differing, 1);
    }

    #[test]
    fn sanity_counts_per_text_column_and_undecodable_source_cells() {
        let j = job(None, &["LATIN9", "LATIN9"]);
        let t = sum(&j, Side::Target, "cafÃ©\t\u{FFFD}\nok\té\n".as_bytes());
        assert_eq!(
            (t.double_encoded.clone(), t.replacement.clone()),
            (vec![1, 0], vec![0, 1])
        );
        let s = sum(&j, Side::Source, b"caf\xe9\tx\x80\n");
        assert_eq!(s.undecodable, vec![0, 1]);
        assert_eq!(s.replacement, vec![0, 1]);
    }

    #[test]
    fn parts_merge_like_one_read() {
        let j = job(Some(vec![0]), &["UTF8", "UTF8"]);
        let mut a = sum(&j, Side::Target, b"1\ta\n");
        a.merge(&sum(&j, Side::Target, b"2\tb\n"));
        assert_eq!(a, sum(&j, Side::Target, b"2\tb\n1\ta\n"));
        assert_eq!(
            range_filter(Some((0, 2048))).unwrap(),
            "ctid >= '(0,0)'::tid AND ctid < '(2048,0)'::tid"
        );
        assert_eq!(
            range_filter(Some((2048, u64::MAX))).unwrap(),
            "ctid >= '(2048,0)'::tid"
        );
    }
}
