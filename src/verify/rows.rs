//! `--rows`: the keys of the rows that differ, for tables whose checksums differ.
//!
//! Only the rows of the first `max` buckets whose sums differ ([`super::data::BUCKETS`]) are
//! read again and kept, on both sides: each such bucket holds at least one differing row, so
//! `max` buckets name at least `max` rows (or all of them) while memory holds about
//! `max / BUCKETS` of the table. Rows are matched by their full key (primary key, else a
//! unique key of NOT NULL columns), compared as their UTF-8 text; a table without a key is
//! compared as a multiset of whole rows.

use super::data::{BUCKETS, LineHasher, Side, SideSum, TableJob, VerifyDb, hash128};
use crate::dialect::postgres::ident;
use serde::Serialize;
use std::collections::BTreeMap;

/// How a row differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowDiffKind {
    /// In the source, not in the target.
    MissingOnTarget,
    /// In the target, not in the source.
    ExtraOnTarget,
    /// Same key, other values.
    Different,
}

impl RowDiffKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RowDiffKind::MissingOnTarget => "missing on target",
            RowDiffKind::ExtraOnTarget => "extra on target",
            RowDiffKind::Different => "different",
        }
    }
}

/// One row that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowDiff {
    /// `"col"=value, …` (the whole row for a table without key); characters that are not
    /// printable as `\xNN` of their UTF-8 bytes.
    pub key: String,
    pub kind: RowDiffKind,
    /// Columns whose values differ (`Different` only).
    pub columns: Vec<String>,
    /// How many such rows (more than one only for duplicate rows of a table without key).
    pub count: u64,
}

/// A value as a terminal- and CSV-safe line: control characters, U+FFFD and other
/// non-printables as `\xNN` of their bytes.
pub fn printable(value: &[u8]) -> String {
    let mut out = String::new();
    for chunk in value.utf8_chunks() {
        push_printable(chunk.valid(), &mut out);
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

fn push_printable(text: &str, out: &mut String) {
    for c in text.chars() {
        let hidden = c.is_control()
            || c == '\u{FFFD}'
            || matches!(
                c,
                '\u{200B}'..='\u{200F}'
                    | '\u{2028}'..='\u{202E}'
                    | '\u{2066}'..='\u{2069}'
                    | '\u{FEFF}'
            );
        if hidden {
            for b in c.to_string().bytes() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
}

fn fields(line: &[u8]) -> Vec<&[u8]> {
    line.split(|&b| b == b'\t').collect()
}

/// The printable identity of a row.
fn describe(job: &TableJob, line: &[u8]) -> String {
    let f = fields(line);
    let picked: Vec<usize> = match &job.key {
        Some(k) => k.clone(),
        None => (0..f.len()).collect(),
    };
    picked
        .iter()
        .map(|&i| {
            let name = job.columns.get(i).map_or("?".to_string(), |c| ident(c));
            format!("{name}={}", printable(f.get(i).copied().unwrap_or(b"")))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows kept for comparison: identity -> (line, count).
type Kept = BTreeMap<Vec<u8>, (Vec<u8>, u64)>;

/// Rows of the chosen buckets on one side: identity -> (line, count).
fn collect(db: &dyn VerifyDb, job: &TableJob, side: Side, chosen: &[bool]) -> Result<Kept, String> {
    let index = match side {
        Side::Source => job.source_index,
        Side::Target => job.target_index,
    };
    let mut kept: BTreeMap<Vec<u8>, (Vec<u8>, u64)> = BTreeMap::new();
    let mut hasher = LineHasher::of(job, side, db);
    for part in db.verify_parts(index)? {
        db.read_lines(job, side, &part, &mut |chunk, _| {
            if chunk.is_empty() {
                return true;
            }
            let body = chunk.strip_suffix(b"\n").unwrap_or(chunk);
            for raw in body.split(|&b| b == b'\n') {
                let text = hasher.text(raw);
                let row = hash128(text);
                if !chosen[LineHasher::bucket(job, text, row)] {
                    continue;
                }
                let id = match &job.key {
                    Some(k) => {
                        let f = fields(text);
                        k.iter()
                            .map(|&i| f.get(i).copied().unwrap_or(b""))
                            .collect::<Vec<_>>()
                            .join(&b'\t')
                    }
                    None => text.to_vec(),
                };
                kept.entry(id).or_insert_with(|| (text.to_vec(), 0)).1 += 1;
            }
            true
        })?;
    }
    Ok(kept)
}

/// The first `max` rows that differ between the two sides of a table.
pub fn differing_rows(
    source: &dyn VerifyDb,
    target: &dyn VerifyDb,
    job: &TableJob,
    src: &SideSum,
    tgt: &SideSum,
    max: usize,
) -> Result<Vec<RowDiff>, String> {
    let mut chosen = vec![false; BUCKETS];
    let differing = (0..BUCKETS)
        .filter(|&b| src.buckets.get(b) != tgt.buckets.get(b))
        .take(max.max(1));
    for b in differing {
        chosen[b] = true;
    }
    let s = collect(source, job, Side::Source, &chosen)?;
    let t = collect(target, job, Side::Target, &chosen)?;
    Ok(compare(job, &s, &t, max))
}

fn compare(
    job: &TableJob,
    s: &BTreeMap<Vec<u8>, (Vec<u8>, u64)>,
    t: &BTreeMap<Vec<u8>, (Vec<u8>, u64)>,
    max: usize,
) -> Vec<RowDiff> {
    let mut out = Vec::new();
    for (id, (line, n)) in s {
        let diff = match t.get(id) {
            None => Some((RowDiffKind::MissingOnTarget, Vec::new(), *n)),
            Some((tl, _)) if tl != line => {
                let (a, b) = (fields(line), fields(tl));
                let cols = (0..a.len().max(b.len()))
                    .filter(|&i| a.get(i) != b.get(i))
                    .map(|i| job.columns.get(i).cloned().unwrap_or_default())
                    .collect();
                Some((RowDiffKind::Different, cols, 1))
            }
            Some((_, tn)) if tn < n => Some((RowDiffKind::MissingOnTarget, Vec::new(), n - tn)),
            Some((_, tn)) if tn > n => Some((RowDiffKind::ExtraOnTarget, Vec::new(), tn - n)),
            Some(_) => None,
        };
        if let Some((kind, columns, count)) = diff {
            out.push(RowDiff {
                key: describe(job, line),
                kind,
                columns,
                count,
            });
        }
    }
    for (id, (line, n)) in t {
        if !s.contains_key(id) {
            out.push(RowDiff {
                key: describe(job, line),
                kind: RowDiffKind::ExtraOnTarget,
                columns: Vec::new(),
                count: *n,
            });
        }
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out.truncate(max);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::decode::Reading;

    fn job(key: Option<Vec<usize>>) -> TableJob {
        TableJob {
            schema: "s".into(),
            name: "t".into(),
            source_index: 0,
            target_index: 0,
            columns: vec!["Key".into(), "val".into()],
            readings: vec![Reading::parse("UTF8").unwrap(); 2],
            key,
            text: vec![false, true],
            canon: Vec::new(),
        }
    }

    fn map(j: &TableJob, lines: &[&str]) -> BTreeMap<Vec<u8>, (Vec<u8>, u64)> {
        let mut m = BTreeMap::new();
        for l in lines {
            let id = match &j.key {
                Some(_) => l.split('\t').next().unwrap().as_bytes().to_vec(),
                None => l.as_bytes().to_vec(),
            };
            m.entry(id).or_insert_with(|| (l.as_bytes().to_vec(), 0)).1 += 1;
        }
        m
    }

    #[test]
    fn keyed_rows_are_missing_extra_or_different_by_column() {
        let j = job(Some(vec![0]));
        let d = compare(
            &j,
            &map(&j, &["1\ta", "2\tb", "caf\u{e9}\u{1}\tc"]),
            &map(&j, &["1\ta", "2\tB", "4\td"]),
            10,
        );
        let got: Vec<(String, RowDiffKind, Vec<String>)> =
            d.into_iter().map(|r| (r.key, r.kind, r.columns)).collect();
        assert_eq!(
            got,
            vec![
                (
                    "\"Key\"=2".into(),
                    RowDiffKind::Different,
                    vec!["val".into()]
                ),
                ("\"Key\"=4".into(), RowDiffKind::ExtraOnTarget, vec![]),
                (
                    "\"Key\"=café\\x01".into(),
                    RowDiffKind::MissingOnTarget,
                    vec![]
                ),
            ]
        );
    }

    #[test]
    fn rows_of_a_table_without_key_count_duplicates() {
        let j = job(None);
        let d = compare(
            &j,
            &map(&j, &["1\ta", "1\ta", "2\tb"]),
            &map(&j, &["1\ta", "2\tb", "2\tb"]),
            10,
        );
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].kind, d[0].count), (RowDiffKind::MissingOnTarget, 1));
        assert_eq!(d[0].key, "\"Key\"=1, \"val\"=a");
        assert_eq!((d[1].kind, d[1].count), (RowDiffKind::ExtraOnTarget, 1));
    }

    #[test]
    fn printable_hides_controls_and_replacement_characters() {
        assert_eq!(
            printable("a\u{FFFD}\u{7}é".as_bytes()),
            "a\\xEF\\xBF\\xBD\\x07é"
        );
        assert_eq!(printable(b"caf\xe9"), "caf\\xE9");
        assert_eq!(printable("a\u{202E}b".as_bytes()), "a\\xE2\\x80\\xAEb");
    }
}
