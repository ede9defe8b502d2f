//! How each column of a table is fetched byte-exactly, and how a table is cut into ROWID
//! ranges: pure decisions, tested without a server.
//!
//! What is exact (CHARSETS.md):
//! - AL32UTF8 databases: the column itself, read from the fetch buffer before the driver's
//!   lossy UTF-8 step (`InnerValue::Char`): client and database charset agree, so Oracle
//!   passes the stored bytes through (validation mode; see docs/oracle-checklist.md).
//! - Single-byte databases: `UTL_RAW.CAST_TO_RAW` up to the RAW limit (2000 bytes, or 32767
//!   with MAX_STRING_SIZE=EXTENDED), `SUBSTRB` windows beyond it (a byte is a character, so
//!   no window splits one); CLOBs through `DBMS_LOB.CONVERTTOBLOB` into their own charset;
//!   LONGs through PL/SQL (up to 32760 bytes).
//! - Multi-byte legacy databases (UTF8/CESU-8, ZHS16GBK, JA16SJIS …): values up to the RAW
//!   limit are exact. Longer values are fetched in `SUBSTR` windows of whole characters, which
//!   is exact for well-formed data; how Oracle counts characters over malformed bytes is not
//!   known, so values longer than the RAW limit in such databases are exact only when valid.
//!   CLOBs there are stored as UTF-16 and come back converted (they cannot hold invalid bytes).
//! - LONG and CLOB need PL/SQL in the WITH clause (Oracle 12.1+); on older servers such
//!   columns are refused by name, never skipped silently.

use super::sql::{RangeSql, ReadAs, ReadColumn};
use crate::catalog::{Column, ColumnKind, MaxStringSize};
use crate::charset::{self, Dialect};

/// What the read plan needs to know about the database.
#[derive(Debug, Clone)]
pub struct DbTraits {
    pub charset: String,
    pub nchar_charset: String,
    pub max_string_size: MaxStringSize,
    /// Server major version (PL/SQL in WITH needs 12).
    pub major: i32,
}

impl DbTraits {
    /// RAW limit in SQL.
    pub fn raw_limit(&self) -> u32 {
        match self.max_string_size {
            MaxStringSize::Standard => 2000,
            MaxStringSize::Extended => 32767,
        }
    }
    pub fn is_al32utf8(&self) -> bool {
        self.charset.eq_ignore_ascii_case("AL32UTF8")
    }
    pub fn is_single_byte(&self) -> bool {
        charset::resolve(&self.charset, Dialect::Oracle).is_some_and(|c| c.is_single_byte())
    }
}

/// Upper bound of bytes per character of an Oracle charset (4 when unknown: only costs
/// more, smaller windows).
pub fn max_bytes_per_char(charset: &str) -> u32 {
    match charset.to_ascii_uppercase().as_str() {
        "UTF8" => 3,
        "AL16UTF16" | "AL32UTF8" => 4,
        // JA16EUC's JIS X 0212 characters take 3 bytes (0x8F lead byte); ZHT32EUC up to 4.
        "JA16EUC" | "JA16EUCTILDE" | "JA16EUCYEN" => 3,
        "ZHS16GBK" | "JA16SJIS" | "KO16MSWIN949" | "KO16KSC5601" | "ZHT16BIG5"
        | "ZHT16MSWIN950" => 2,
        other => {
            if charset::resolve(other, Dialect::Oracle).is_some_and(|c| c.is_single_byte()) {
                1
            } else {
                4
            }
        }
    }
}

/// Why a column cannot be read byte-exactly on this server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotReadable(pub String);

/// How to fetch one column.
pub fn read_as(col: &Column, db: &DbTraits) -> Result<ReadAs, NotReadable> {
    let kind = ColumnKind::of(Dialect::Oracle, &col.data_type);
    let ty = col.data_type.to_ascii_uppercase();
    let needs_12 = |what: &str| {
        NotReadable(format!(
            "{what} column {}: reading it byte-exactly needs PL/SQL in the WITH clause (Oracle 12.1+; this server is \
             {}). Exclude it with --exclude OWNER.TABLE.{} or export with sql/export_snapshot.sql",
            col.name, db.major, col.name
        ))
    };
    let limit = db.raw_limit();
    let bytes = col.data_length.unwrap_or(limit).max(1);
    match kind {
        ColumnKind::Other => Err(NotReadable(format!(
            "column {} ({}) is not character data",
            col.name, col.data_type
        ))),
        _ if db.is_al32utf8() && kind != ColumnKind::National => Ok(ReadAs::Text),
        ColumnKind::Clob => lob(db, &db.charset, needs_12),
        ColumnKind::National if ty == "NCLOB" => lob(db, &db.nchar_charset, needs_12),
        ColumnKind::Long => {
            if db.major < 12 {
                return Err(needs_12("LONG"));
            }
            Ok(ReadAs::Long)
        }
        ColumnKind::National => chunks_by_char(bytes, limit, max_bytes_per_char(&db.nchar_charset)),
        ColumnKind::Varchar | ColumnKind::Char => {
            if bytes <= limit {
                Ok(ReadAs::Raw)
            } else if db.is_single_byte() {
                Ok(ReadAs::ByteChunks {
                    width: limit,
                    count: bytes.div_ceil(limit),
                })
            } else {
                chunks_by_char(bytes, limit, max_bytes_per_char(&db.charset))
            }
        }
    }
}

fn lob(
    db: &DbTraits,
    charset: &str,
    needs_12: impl Fn(&str) -> NotReadable,
) -> Result<ReadAs, NotReadable> {
    if db.major < 12 {
        return Err(needs_12("CLOB"));
    }
    Ok(ReadAs::Lob {
        csid_charset: charset.to_string(),
    })
}

fn chunks_by_char(bytes: u32, limit: u32, per_char: u32) -> Result<ReadAs, NotReadable> {
    if bytes <= limit {
        return Ok(ReadAs::Raw);
    }
    let chars = limit / per_char;
    // A value of `bytes` bytes has at most `bytes` characters.
    Ok(ReadAs::CharChunks {
        chars,
        count: bytes.div_ceil(chars),
    })
}

/// The read plan of the requested columns; the first column that cannot be read stops it.
pub fn read_columns(cols: &[&Column], db: &DbTraits) -> Result<Vec<ReadColumn>, NotReadable> {
    cols.iter()
        .map(|c| {
            Ok(ReadColumn {
                name: c.name.clone(),
                read: read_as(c, db)?,
            })
        })
        .collect()
}

/// Rows per fetch round trip (and OCI prefetch) for a data query: 1000 for scalar character
/// columns; 100 when a row carries a LOB or LONG, whose values are fetched whole and can be
/// large, so a fetch array holds at most 100 of them.
pub fn fetch_array_size(plan: &[ReadColumn], clob_columns: bool) -> u32 {
    let big = clob_columns
        || plan
            .iter()
            .any(|c| matches!(c.read, ReadAs::Lob { .. } | ReadAs::Long));
    if big { 100 } else { 1000 }
}

/// What a scan of this database reads exactly, in one sentence for reports.
pub fn exactness(db: &DbTraits) -> String {
    if db.is_al32utf8() {
        "AL32UTF8 database (validation mode): bytes as stored, read without client conversion"
            .into()
    } else if db.is_single_byte() {
        format!(
            "{} database: raw stored bytes (RAW, byte windows, CONVERTTOBLOB)",
            db.charset
        )
    } else {
        format!(
            "{} is a multi-byte legacy charset: values up to {} bytes are exact; longer values are read in \
             character windows, exact for well-formed data only",
            db.charset,
            db.raw_limit()
        )
    }
}

/// One extent as the extents query returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extent {
    pub lo: String,
    pub hi: String,
    pub blocks: u64,
    pub data_object_id: u64,
}

/// Blocks per ROWID range: 8192 blocks is 64 MiB with 8 KiB blocks. Fixed, so parts (and
/// the order of exceptions) never depend on `--jobs`.
pub const RANGE_BLOCKS: u64 = 8192;

/// The rows one part reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowidRange {
    Whole,
    /// Inclusive bounds from extents.
    Between(String, String),
    /// From a split point (inclusive) to the next one (exclusive); open at the table's ends.
    Split {
        from: Option<String>,
        below: Option<String>,
    },
}

impl RowidRange {
    /// The predicate shape and its binds.
    pub fn sql(&self) -> (RangeSql, Vec<String>) {
        match self {
            RowidRange::Whole => (RangeSql::Whole, vec![]),
            RowidRange::Between(lo, hi) => (RangeSql::Between, vec![lo.clone(), hi.clone()]),
            RowidRange::Split {
                from: Some(f),
                below: Some(b),
            } => (RangeSql::FromBelow, vec![f.clone(), b.clone()]),
            RowidRange::Split {
                from: Some(f),
                below: None,
            } => (RangeSql::From, vec![f.clone()]),
            RowidRange::Split {
                from: None,
                below: Some(b),
            } => (RangeSql::Below, vec![b.clone()]),
            RowidRange::Split {
                from: None,
                below: None,
            } => (RangeSql::Whole, vec![]),
        }
    }
}

/// Parts from split points (the first ROWID of each group, in order): the first part is
/// open below and the last open above, so rows inserted anywhere while the scan runs still
/// fall in exactly one part.
pub fn split_ranges(firsts: &[String]) -> Vec<RowidRange> {
    // The first group's first ROWID is not a boundary: the first part starts at the beginning.
    let points = firsts.get(1..).unwrap_or_default();
    if points.is_empty() {
        return vec![RowidRange::Whole];
    }
    let mut out = Vec::with_capacity(points.len() + 1);
    let mut from = None;
    for p in points {
        out.push(RowidRange::Split {
            from: from.take(),
            below: Some(p.clone()),
        });
        from = Some(p.clone());
    }
    out.push(RowidRange::Split { from, below: None });
    out
}

/// How many split groups a table of `blocks` blocks gets without extents (0 or 1: read whole).
pub fn split_groups(blocks: u64) -> u64 {
    if blocks < 2 * RANGE_BLOCKS {
        1
    } else {
        blocks.div_ceil(RANGE_BLOCKS)
    }
}

/// Groups extents (ordered by data object, file, block, as the query orders them) into ROWID
/// ranges of at least `target` blocks. A range never spans two data objects (partitions), so
/// every range is "this segment, from this block to that block"; every extent lies in exactly
/// one range, so every row is read exactly once.
pub fn group_extents(extents: &[Extent], target: u64) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(String, String, u64, u64)> = None;
    for e in extents {
        match &mut cur {
            Some((_, hi, blocks, obj)) if *obj == e.data_object_id && *blocks < target => {
                *hi = e.hi.clone();
                *blocks += e.blocks;
            }
            _ => {
                if let Some((lo, hi, _, _)) = cur.take() {
                    out.push((lo, hi));
                }
                cur = Some((e.lo.clone(), e.hi.clone(), e.blocks, e.data_object_id));
            }
        }
    }
    if let Some((lo, hi, _, _)) = cur {
        out.push((lo, hi));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Semantics;

    #[test]
    fn bytes_per_character_of_multibyte_charsets() {
        // JA16EUC has 3-byte characters (JIS X 0212 behind 0x8F): windows sized for 2 bytes a
        // character would pass the RAW limit.
        assert_eq!(max_bytes_per_char("JA16EUC"), 3);
        assert_eq!(max_bytes_per_char("ja16euctilde"), 3);
        assert_eq!(max_bytes_per_char("JA16SJIS"), 2);
        assert_eq!(max_bytes_per_char("UTF8"), 3);
        assert_eq!(max_bytes_per_char("AL32UTF8"), 4);
        assert_eq!(max_bytes_per_char("ZHT32EUC"), 4);
    }

    fn db(cs: &str, mss: MaxStringSize, major: i32) -> DbTraits {
        DbTraits {
            charset: cs.into(),
            nchar_charset: "AL16UTF16".into(),
            max_string_size: mss,
            major,
        }
    }
    fn col(t: &str, len: u32) -> Column {
        Column {
            name: "C".into(),
            column_id: 1,
            data_type: t.into(),
            data_length: Some(len),
            char_length: Some(len),
            semantics: Some(Semantics::Byte),
            nullable: true,
        }
    }

    #[test]
    fn single_byte_varchar_is_raw_up_to_the_limit_then_byte_windows() {
        let d = db("WE8ISO8859P15", MaxStringSize::Standard, 19);
        assert_eq!(read_as(&col("VARCHAR2", 2000), &d), Ok(ReadAs::Raw));
        assert_eq!(
            read_as(&col("VARCHAR2", 2001), &d),
            Ok(ReadAs::ByteChunks {
                width: 2000,
                count: 2
            })
        );
        assert_eq!(
            read_as(&col("VARCHAR2", 4000), &d),
            Ok(ReadAs::ByteChunks {
                width: 2000,
                count: 2
            })
        );
        assert_eq!(read_as(&col("CHAR", 2000), &d), Ok(ReadAs::Raw));
        let e = db("WE8MSWIN1252", MaxStringSize::Extended, 19);
        assert_eq!(read_as(&col("VARCHAR2", 32767), &e), Ok(ReadAs::Raw));
    }

    #[test]
    fn multi_byte_legacy_uses_character_windows_within_the_raw_limit() {
        let d = db("UTF8", MaxStringSize::Standard, 19);
        assert_eq!(read_as(&col("VARCHAR2", 1000), &d), Ok(ReadAs::Raw));
        // 666 characters of at most 3 bytes fit 2000 bytes; 4000 bytes are at most 4000 characters.
        assert_eq!(
            read_as(&col("VARCHAR2", 4000), &d),
            Ok(ReadAs::CharChunks {
                chars: 666,
                count: 7
            })
        );
        let g = db("ZHS16GBK", MaxStringSize::Standard, 19);
        assert_eq!(
            read_as(&col("VARCHAR2", 4000), &g),
            Ok(ReadAs::CharChunks {
                chars: 1000,
                count: 4
            })
        );
    }

    #[test]
    fn al32utf8_reads_the_column_itself() {
        let d = db("AL32UTF8", MaxStringSize::Standard, 19);
        for t in ["VARCHAR2", "CHAR", "CLOB", "LONG"] {
            assert_eq!(read_as(&col(t, 4000), &d), Ok(ReadAs::Text), "{t}");
        }
        // National columns are not in the database charset: raw bytes of AL16UTF16.
        assert_eq!(
            read_as(&col("NVARCHAR2", 4000), &d),
            Ok(ReadAs::CharChunks {
                chars: 500,
                count: 8
            })
        );
    }

    #[test]
    fn clob_and_long_need_12c_and_say_so() {
        let d = db("WE8ISO8859P1", MaxStringSize::Standard, 19);
        assert_eq!(
            read_as(&col("CLOB", 4000), &d),
            Ok(ReadAs::Lob {
                csid_charset: "WE8ISO8859P1".into()
            })
        );
        assert_eq!(
            read_as(&col("NCLOB", 4000), &d),
            Ok(ReadAs::Lob {
                csid_charset: "AL16UTF16".into()
            })
        );
        assert_eq!(read_as(&col("LONG", 0), &d), Ok(ReadAs::Long));
        let old = db("WE8ISO8859P1", MaxStringSize::Standard, 11);
        let e = read_as(&col("LONG", 0), &old).unwrap_err();
        assert!(
            e.0.contains("LONG column C") && e.0.contains("--exclude") && e.0.contains("12.1"),
            "{}",
            e.0
        );
        assert!(read_as(&col("NUMBER", 22), &d).is_err());
    }

    #[test]
    fn lob_rows_get_a_smaller_fetch_array_and_reports_say_what_is_exact() {
        let raw = ReadColumn {
            name: "A".into(),
            read: ReadAs::Raw,
        };
        let lob = ReadColumn {
            name: "B".into(),
            read: ReadAs::Lob {
                csid_charset: "WE8MSWIN1252".into(),
            },
        };
        assert_eq!(fetch_array_size(std::slice::from_ref(&raw), false), 1000);
        assert_eq!(fetch_array_size(&[raw.clone(), lob], false), 100);
        assert_eq!(fetch_array_size(&[raw], true), 100);
        assert!(
            exactness(&db("AL32UTF8", MaxStringSize::Standard, 19)).contains("validation mode")
        );
        assert!(
            exactness(&db("WE8MSWIN1252", MaxStringSize::Standard, 19))
                .starts_with("WE8MSWIN1252 database: raw stored bytes")
        );
        let zhs = exactness(&db("ZHS16GBK", MaxStringSize::Standard, 19));
        assert!(
            zhs.contains("up to 2000 bytes are exact") && zhs.contains("well-formed data only"),
            "{zhs}"
        );
    }

    #[test]
    fn split_points_make_contiguous_parts() {
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(split_ranges(&p(&["A"])), vec![RowidRange::Whole]);
        assert_eq!(split_ranges(&[]), vec![RowidRange::Whole]);
        let r = split_ranges(&p(&["A", "M", "T"]));
        assert_eq!(
            r.iter().map(|r| r.sql()).collect::<Vec<_>>(),
            vec![
                (RangeSql::Below, p(&["M"])),
                (RangeSql::FromBelow, p(&["M", "T"])),
                (RangeSql::From, p(&["T"])),
            ]
        );
        assert_eq!(
            RowidRange::Between("a".into(), "b".into()).sql(),
            (RangeSql::Between, p(&["a", "b"]))
        );
        assert_eq!(
            (
                split_groups(0),
                split_groups(2 * RANGE_BLOCKS - 1),
                split_groups(2 * RANGE_BLOCKS + 1)
            ),
            (1, 1, 3)
        );
    }

    #[test]
    fn extents_group_per_object_with_a_fixed_target() {
        let ext = |lo: &str, hi: &str, blocks, obj| Extent {
            lo: lo.into(),
            hi: hi.into(),
            blocks,
            data_object_id: obj,
        };
        let e = vec![
            ext("a1", "a2", 8, 1),
            ext("b1", "b2", 8, 1),
            ext("c1", "c2", 128, 1),
            ext("d1", "d2", 8, 2),
        ];
        assert_eq!(
            group_extents(&e, 16),
            vec![
                ("a1".into(), "b2".into()),
                ("c1".into(), "c2".into()),
                ("d1".into(), "d2".into())
            ]
        );
        assert_eq!(
            group_extents(&e, 1_000_000),
            vec![("a1".into(), "c2".into()), ("d1".into(), "d2".into())]
        );
        assert!(group_extents(&[], 16).is_empty());
    }
}
