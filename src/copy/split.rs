//! Splitting a big table into block (ctid) ranges loaded in parallel: when it pays, and the
//! ranges themselves.
//!
//! A table is split when it alone would keep the run waiting: it holds more than its fair
//! share of the bytes still to copy (`bytes × jobs > total`), it is at least
//! `--split-min-size`, and there are two connections or more. Such a table is cut into
//! ranges of whole blocks (`WHERE ctid >= '(a,0)' AND ctid < '(b,0)'`, a TID range scan on
//! PostgreSQL 14+), at least two per connection so that a range of dense blocks does not
//! leave the others idle, and none above [`MAX_RANGE_BYTES`] so that a killed run loses
//! little. The last range is open-ended: the table may grow after its size was read.
//!
//! Each range is loaded in a target transaction of its own, which also marks it `done` in the
//! range log (see [`super::pg_ranges`]); the table is done, and its keys and indexes are
//! built, once every range is.

/// Ranges of a split table are at most this big (1 GiB), whatever `--jobs`.
pub const MAX_RANGE_BYTES: u64 = 1 << 30;
/// `--split-min-size`'s default.
pub const DEFAULT_MIN_BYTES: u64 = 64 << 20;

/// Blocks `first ..< end` of a table (`end` `None`: to the table's end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockRange {
    pub first: u64,
    pub end: Option<u64>,
}

impl BlockRange {
    /// `blocks 0-2047`, `blocks 2048-end`: how log lines and errors name a range.
    pub fn describe(&self) -> String {
        match self.end {
            Some(e) => format!("blocks {}-{}", self.first, e.saturating_sub(1)),
            None => format!("blocks {}-end", self.first),
        }
    }
}

/// How a split table's copy starts (see [`super::CopyTarget::start_split`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitStart {
    /// The ranges to load now, in block order.
    pub todo: Vec<BlockRange>,
    /// All the table's ranges.
    pub total: usize,
    /// What was decided, for the log (`split into 4 ranges`, `resuming: 2 of 4 ranges done`,
    /// or why the table starts over).
    pub note: String,
}

/// When to split (resolved from `--jobs`, `--split-min-size`, `--no-split` and what the
/// source and the way of copying allow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// False with `--no-split`, `--via dblink`, a source before PostgreSQL 14 or without an
    /// exported snapshot.
    pub enabled: bool,
    pub jobs: usize,
    /// Tables smaller than this are never split.
    pub min_bytes: u64,
    /// The source's block size.
    pub block_size: u64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            enabled: false,
            jobs: 1,
            min_bytes: DEFAULT_MIN_BYTES,
            block_size: 8192,
        }
    }
}

/// For each table (its size in bytes, among the tables this run copies), the ranges to cut
/// it into, or `None` to copy it whole.
pub fn decide(sizes: &[u64], policy: &Policy) -> Vec<Option<Vec<BlockRange>>> {
    let total: u128 = sizes.iter().map(|&b| u128::from(b)).sum();
    sizes
        .iter()
        .map(|&bytes| {
            let pays = policy.enabled
                && policy.jobs >= 2
                && bytes >= policy.min_bytes.max(1)
                && u128::from(bytes) * policy.jobs as u128 > total;
            if !pays {
                return None;
            }
            let pages = bytes.div_ceil(policy.block_size.max(1));
            let n = (2 * policy.jobs as u64).max(bytes.div_ceil(MAX_RANGE_BYTES));
            let cut = ranges(pages, n);
            (cut.len() >= 2).then_some(cut)
        })
        .collect()
}

/// `pages` cut into `n` ranges of (nearly) equal block counts, the last open-ended; fewer
/// when there are fewer pages than `n`.
pub fn ranges(pages: u64, n: u64) -> Vec<BlockRange> {
    let n = n.clamp(1, pages.max(1));
    let per = pages.div_ceil(n).max(1);
    let mut out = Vec::new();
    let mut first = 0;
    while first + per < pages {
        out.push(BlockRange {
            first,
            end: Some(first + per),
        });
        first += per;
    }
    out.push(BlockRange { first, end: None });
    out
}

/// `64MB`, `1GB`, `512kB`, `1048576`: a size as `--split-min-size` takes it (units of 1024,
/// as PostgreSQL's settings).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s}: not a size (write e.g. 64MB, 1GB or a number of bytes)"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1 << 10,
        "m" | "mb" => 1 << 20,
        "g" | "gb" => 1 << 30,
        "t" | "tb" => 1 << 40,
        u => return Err(format!("{s}: unknown unit {u} (use kB, MB, GB or TB)")),
    };
    n.checked_mul(mult).ok_or_else(|| format!("{s}: too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1 << 20;

    fn policy(jobs: usize) -> Policy {
        Policy {
            enabled: true,
            jobs,
            min_bytes: 64 * MB,
            block_size: 8192,
        }
    }

    fn split_count(d: &[Option<Vec<BlockRange>>]) -> Vec<usize> {
        d.iter().map(|r| r.as_ref().map_or(0, Vec::len)).collect()
    }

    #[test]
    fn one_big_table_is_split_two_ranges_per_connection() {
        let d = decide(&[200 * MB], &policy(2));
        assert_eq!(split_count(&d), [4]);
        let r = d[0].as_ref().unwrap();
        assert_eq!(
            r[0],
            BlockRange {
                first: 0,
                end: Some(6400)
            }
        );
        assert_eq!(
            r[3],
            BlockRange {
                first: 19200,
                end: None
            },
            "the last is open-ended"
        );
        for w in r.windows(2) {
            assert_eq!(w[0].end, Some(w[1].first), "ranges are contiguous");
        }
        assert_eq!(split_count(&decide(&[200 * MB], &policy(8))), [16]);
    }

    #[test]
    fn no_split_with_one_job_disabled_or_below_the_minimum() {
        assert_eq!(split_count(&decide(&[10 << 30], &policy(1))), [0]);
        let off = Policy {
            enabled: false,
            ..policy(4)
        };
        assert_eq!(split_count(&decide(&[10 << 30], &off)), [0]);
        assert_eq!(split_count(&decide(&[63 * MB], &policy(4))), [0]);
        let forced = Policy {
            min_bytes: 0,
            ..policy(2)
        };
        assert_eq!(split_count(&decide(&[8192 * 10], &forced)), [4]);
        // An empty table has nothing to cut.
        assert_eq!(split_count(&decide(&[0], &forced)), [0]);
    }

    #[test]
    fn only_tables_above_their_fair_share_are_split() {
        // Eight equal tables keep two connections busy without splitting.
        assert_eq!(split_count(&decide(&[100 * MB; 8], &policy(2))), [0; 8]);
        // One table of 70 % of the bytes would keep the run waiting; the small ones not.
        let d = decide(&[700 * MB, 100 * MB, 100 * MB, 100 * MB], &policy(2));
        assert_eq!(split_count(&d), [4, 0, 0, 0]);
        // With 16 connections even a quarter of the bytes is too much for one.
        let d = decide(&[250 * MB; 4], &policy(16));
        assert_eq!(split_count(&d), [32; 4]);
    }

    #[test]
    fn huge_tables_get_ranges_of_at_most_a_gigabyte() {
        let d = decide(&[100 << 30], &policy(2));
        let r = d[0].as_ref().unwrap();
        assert_eq!(r.len(), 100);
        assert!(r.iter().all(|x| {
            x.end
                .is_none_or(|e| (e - x.first) * 8192 <= MAX_RANGE_BYTES)
        }));
    }

    #[test]
    fn ranges_cover_every_block_once() {
        for (pages, n) in [(1, 4), (3, 4), (10, 3), (1000, 7), (0, 2)] {
            let r = ranges(pages, n);
            assert!(r.len() as u64 <= n.max(1), "{pages} {n}: {r:?}");
            assert_eq!(r[0].first, 0);
            assert_eq!(r.last().unwrap().end, None);
            for w in r.windows(2) {
                assert_eq!(w[0].end, Some(w[1].first));
                assert!(w[0].first < w[1].first);
            }
        }
        assert_eq!(
            BlockRange {
                first: 0,
                end: Some(10)
            }
            .describe(),
            "blocks 0-9"
        );
        assert_eq!(
            BlockRange {
                first: 10,
                end: None
            }
            .describe(),
            "blocks 10-end"
        );
    }

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("64MB"), Ok(64 * MB));
        assert_eq!(parse_size("1gb"), Ok(1 << 30));
        assert_eq!(parse_size("512kB"), Ok(512 << 10));
        assert_eq!(parse_size("0"), Ok(0));
        assert_eq!(parse_size("12345"), Ok(12345));
        assert!(parse_size("MB").is_err());
        assert!(parse_size("5 PB").unwrap_err().contains("unknown unit"));
    }
}
