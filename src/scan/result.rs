//! The scan result: the one model every report renders and every later step (plan, truncate,
//! repair) reads back from `scan.json`. Versioned by [`SCAN_FORMAT`].

use crate::catalog::{ColumnKind, Semantics, SourceInfo};
use crate::charset::classify::{Limit, LimitKind};
use crate::charset::{Category, Flags};
use serde::{Deserialize, Serialize};

/// Version tag of `scan.json`. Bump on any incompatible change.
pub const SCAN_FORMAT: &str = "charmig-scan/1";

/// Counts per category, in category order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub changeless: u64,
    pub convertible: u64,
    pub truncation: u64,
    pub lossy: u64,
}

impl Counts {
    pub fn add(&mut self, c: Category, n: u64) {
        match c {
            Category::Changeless => self.changeless += n,
            Category::Convertible => self.convertible += n,
            Category::Truncation => self.truncation += n,
            Category::Lossy => self.lossy += n,
        }
    }
    pub fn merge(&mut self, o: &Counts) {
        self.changeless += o.changeless;
        self.convertible += o.convertible;
        self.truncation += o.truncation;
        self.lossy += o.lossy;
    }
    pub fn total(&self) -> u64 {
        self.changeless + self.convertible + self.truncation + self.lossy
    }
    /// Cells that need action before the move.
    pub fn problems(&self) -> u64 {
        self.truncation + self.lossy
    }
}

/// How many cells carried each flag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagCounts {
    pub stray_cp1252: u64,
    pub utf8_passthrough: u64,
    pub replacement_char: u64,
    pub cesu8_surrogates: u64,
    /// `auto`: values read as UTF-8.
    pub auto_utf8: u64,
    /// `auto`: values read as the single-byte base (`ColumnResult::auto_base`; the name is
    /// kept from when the base was always WIN1252). `stray_cp1252` counts those of them whose
    /// C1 bytes were read as cp1252.
    pub auto_win1252: u64,
    /// Valid UTF-8 holding double-encoded text (`Ã©`).
    #[serde(default)]
    pub double_encoded: u64,
}

impl FlagCounts {
    pub fn merge(&mut self, o: &FlagCounts) {
        self.stray_cp1252 += o.stray_cp1252;
        self.utf8_passthrough += o.utf8_passthrough;
        self.replacement_char += o.replacement_char;
        self.cesu8_surrogates += o.cesu8_surrogates;
        self.auto_utf8 += o.auto_utf8;
        self.auto_win1252 += o.auto_win1252;
        self.double_encoded += o.double_encoded;
    }
    pub fn any(&self) -> bool {
        *self != FlagCounts::default()
    }
}

/// Figures for one scanned column.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ColumnResult {
    pub owner: String,
    pub table_name: String,
    pub column_name: String,
    pub column_id: u32,
    pub data_type: String,
    pub kind: ColumnKind,
    pub semantics: Option<Semantics>,
    pub data_length: Option<u32>,
    pub char_length: Option<u32>,
    /// The charset the bytes were read as (the database's, or the assumed one), or `auto`
    /// (see [`super::reading`]).
    pub source_charset: String,
    /// For `auto`: the single-byte charset values that are not UTF-8 are read as (with
    /// cp1252 C1 bytes). Absent in scan.json files from before it existed (then WIN1252).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_base: Option<String>,
    pub assumed: bool,
    /// The limit applied (after `--char-semantics` when given); `None`: no limit.
    pub limit: Option<Limit>,
    pub rows: u64,
    pub nulls: u64,
    #[serde(flatten)]
    pub counts: Counts,
    /// Largest converted byte length over non-lossy cells (CHAR without trailing blanks).
    pub max_post_bytes: Option<u64>,
    /// The same cells' categories after a switch to CHAR semantics.
    pub char_semantics: Counts,
    pub flags: FlagCounts,
    /// Exceptions listed in `exceptions` (at most `--max-exceptions`).
    pub exceptions_listed: u64,
    /// Cells that are findings whatever their category (pass-through UTF-8, double-encoded
    /// text, U+FFFD: [`crate::charset::Flags::FINDINGS`]); each is listed like an exception.
    #[serde(default)]
    pub findings: u64,
    /// Listed exceptions whose hex was cut to an excerpt (marked `…`) because the column's
    /// exceptions outgrew `--max-exception-bytes`.
    #[serde(default)]
    pub hex_cut: u64,
}

/// One truncation or lossy cell.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Exception {
    pub owner: String,
    pub table_name: String,
    pub column_name: String,
    pub rowid: String,
    pub category: Category,
    /// `invalid_representation`, `over_column_limit` or `over_type_limit`; for findings
    /// `utf8_passthrough` (the whole value is valid UTF-8 read as single-byte data, whatever
    /// its category: `preview` then shows the UTF-8 reading), `double_encoded`,
    /// `replacement_char`.
    pub reason: String,
    pub current_bytes: u64,
    pub post_bytes: u64,
    pub limit: Option<u64>,
    /// Upper-case hex of the stored bytes (truncation cells in full, lossy cells cut after [`HEX_LOSSY_MAX_BYTES`] bytes, marked `…`).
    pub hex: String,
    pub preview: String,
    pub flags: String,
    pub detail: String,
}

/// Stored bytes shown in a truncation exception's hex (the largest VARCHAR2 value in full).
pub const HEX_MAX_BYTES: usize = 32767;
/// Stored bytes shown in a lossy exception's hex (lossy CLOBs can be of any size).
pub const HEX_LOSSY_MAX_BYTES: usize = 4000;
/// Hex characters a column's listed exceptions may hold in full (`--max-exception-bytes`
/// default): beyond it, in row order, an exception keeps an excerpt of
/// [`HEX_EXCERPT_BYTES`]. Memory per column stays near this, whatever the data.
pub const HEX_COLUMN_BUDGET: usize = 4 << 20;
/// Stored bytes kept in the hex of an exception beyond the column's budget.
pub const HEX_EXCERPT_BYTES: usize = 32;

/// A column listed but not classified (national charset data).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotAffected {
    pub owner: String,
    pub table_name: String,
    pub column_name: String,
    pub data_type: String,
    pub reason: String,
}

/// A table or column that could not be scanned, and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Skipped {
    pub object: String,
    pub reason: String,
    /// True when the skip is an error (exit code 2); false for deliberate exclusions.
    pub error: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TableResult {
    pub owner: String,
    pub table_name: String,
    pub rows: u64,
    /// Dictionary statistics (may be stale), for comparison with `rows`.
    pub num_rows: Option<u64>,
    pub bytes_read: u64,
}

/// The parameters the scan ran with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Parameters {
    pub source: String,
    pub target: String,
    pub assume: Option<String>,
    pub assume_columns: Vec<String>,
    pub schemas: Vec<String>,
    pub tables: Vec<String>,
    pub excludes: Vec<String>,
    pub char_semantics: bool,
    pub max_exceptions: u64,
    pub jobs: usize,
    /// Hex characters of exceptions kept in full per column (`--max-exception-bytes`).
    #[serde(default)]
    pub max_exception_bytes: u64,
    /// charmig's own tables (audit tables, logs) left out of the scan.
    #[serde(default)]
    pub own_tables_excluded: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScanResult {
    pub format: String,
    pub charmig_version: String,
    pub source: SourceInfo,
    pub parameters: Parameters,
    pub started_at: String,
    pub finished_at: String,
    pub elapsed_seconds: f64,
    pub tables: Vec<TableResult>,
    pub columns: Vec<ColumnResult>,
    pub not_affected: Vec<NotAffected>,
    pub skipped: Vec<Skipped>,
    pub exceptions: Vec<Exception>,
    /// Names longer than the target's identifier limit once in UTF-8, with the rename to make.
    #[serde(default)]
    pub long_names: Vec<super::names::LongName>,
    /// Oracle indexes and keys whose worst-case key passes the 8 KB block's limit once every
    /// BYTE column is CHAR (ORA-01450), with the options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub index_keys: Vec<crate::plan::Callout>,
}

impl ScanResult {
    pub fn totals(&self) -> Counts {
        let mut t = Counts::default();
        for c in &self.columns {
            t.merge(&c.counts);
        }
        t
    }
    pub fn has_errors(&self) -> bool {
        self.skipped.iter().any(|s| s.error)
    }
    /// Cells that are findings whatever their category (see [`ColumnResult::findings`]).
    pub fn findings(&self) -> u64 {
        self.columns.iter().map(|c| c.findings).sum()
    }
    pub fn flag_totals(&self) -> FlagCounts {
        let mut t = FlagCounts::default();
        for c in &self.columns {
            t.merge(&c.flags);
        }
        t
    }
    /// Exit code: 2 when a table could not be scanned, 1 when something is truncation or
    /// lossy or a finding (pass-through UTF-8, double-encoded text, U+FFFD, a name too long
    /// for the target), else 0.
    pub fn exit_code(&self) -> i32 {
        if self.has_errors() {
            2
        } else if self.totals().problems() > 0 || self.findings() > 0 || !self.long_names.is_empty()
        {
            1
        } else {
            0
        }
    }
}

/// The reason code of an exception.
pub fn reason_code(category: Category, limit: Option<Limit>) -> &'static str {
    match (category, limit.map(|l| l.kind)) {
        (Category::Lossy, _) => "invalid_representation",
        (Category::Truncation, Some(LimitKind::Column)) => "over_column_limit",
        (Category::Truncation, _) => "over_type_limit",
        _ => "",
    }
}

/// The reason code of a listed cell: its category's when it is truncation or lossy, else
/// its finding (`utf8_passthrough`, `double_encoded`, `replacement_char`), else the first
/// flag it was captured for.
pub fn cell_reason(category: Category, limit: Option<Limit>, flags: Flags) -> String {
    let r = reason_code(category, limit);
    if !r.is_empty() {
        return r.into();
    }
    for f in [
        Flags::UTF8_PASSTHROUGH,
        Flags::DOUBLE_ENCODED,
        Flags::REPLACEMENT_CHAR,
    ] {
        if flags.contains(f) {
            return Flags::ALL
                .iter()
                .find(|(g, _)| *g == f)
                .map(|(_, n)| n.to_string())
                .unwrap_or_default();
        }
    }
    flags.names().split(';').next().unwrap_or("").to_string()
}
