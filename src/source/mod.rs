//! Sources of dictionary and data: an offline snapshot, a live PostgreSQL database, a live
//! Oracle database. Every source returns the raw stored bytes of each cell, never a driver's
//! decoded `String` (both drivers convert to UTF-8 and hide bad bytes; see CHARSETS.md).
//!
//! A source splits each table into [`Part`]s whose boundaries do not depend on `--jobs`
//! (so scan results never do), and streams each part as [`Chunk`]s that the scan engine's
//! workers decode into [`Batch`]es in parallel.

pub mod batch;
pub mod db;
pub mod export;
pub mod oracle;
pub mod postgres;
pub mod snapshot;

pub use batch::Batch;

use crate::catalog::Catalog;
use thiserror::Error;

/// A failure of a source, with the object it concerns and what to do.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SourceError {
    /// A malformed or missing snapshot file: names the file and, where known, the line.
    #[error("{file}{}: {message}", line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Snapshot {
        file: String,
        line: Option<u64>,
        message: String,
    },
    /// A database error, with the object it happened on.
    #[error("{object}: {message}")]
    Database { object: String, message: String },
    #[error("{0}")]
    Other(String),
}

/// A table or column a source leaves out of its catalog, and why (recycle bin, external
/// table, virtual column …). A scan lists those in its scope among the skipped objects, so
/// nothing is left out silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub owner: String,
    pub table: String,
    pub column: Option<String>,
    pub reason: String,
}

impl LeftOut {
    /// `OWNER.TABLE` or `OWNER.TABLE.COLUMN`.
    pub fn object(&self) -> String {
        match &self.column {
            Some(c) => format!("{}.{}.{c}", self.owner, self.table),
            None => format!("{}.{}", self.owner, self.table),
        }
    }
}

/// One independently readable piece of a table.
#[derive(Debug, Clone)]
pub struct Part {
    /// Index of the table in the catalog.
    pub table: usize,
    /// Position of this part within its table; orders exceptions deterministically.
    pub index: u32,
    /// Source-specific description of the range (a page range, a ROWID range …).
    pub range: Option<(u64, u64)>,
}

/// Undecoded data of one part, decoded by a scan worker.
pub trait Chunk: Send {
    /// Raw size in bytes, for progress.
    fn size(&self) -> u64;
    /// Decodes the chunk's rows into `batch` (columns in the order requested).
    fn decode(&self, batch: &mut Batch) -> Result<(), SourceError>;
}

/// What the engine asks of a source.
pub trait Source: Sync {
    /// Where the data comes from, for reports ("snapshot /path", "postgres://host/db").
    fn describe(&self) -> String;
    fn catalog(&self) -> &Catalog;
    /// Where the source charset is declared, for an error about it (a snapshot names its
    /// `snapshot.json`); by default the source itself.
    fn charset_origin(&self) -> String {
        self.describe()
    }
    /// Estimated data size of a table in bytes (orders the work, biggest first; feeds ETA).
    fn size_hint(&self, table: usize) -> u64;
    /// Splits a table into parts. `columns` are indexes into the table's columns.
    fn parts(&self, table: usize, columns: &[usize]) -> Result<Vec<Part>, SourceError>;
    /// Streams one part. `emit` returns false when the engine wants no more chunks.
    fn read(
        &self,
        part: &Part,
        columns: &[usize],
        emit: &mut dyn FnMut(Box<dyn Chunk>) -> bool,
    ) -> Result<(), SourceError>;
    /// Tables and columns left out of the catalog, with the reason.
    fn left_out(&self) -> Vec<LeftOut> {
        Vec::new()
    }
}
