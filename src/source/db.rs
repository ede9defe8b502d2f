//! Live databases: which driver a connection string goes to, and what a live source offers
//! beyond [`Source`] (the problem-object report).

use super::{Source, SourceError};
use crate::objects::ObjectReport;

/// How to reach a live database (resolved from the command line and the environment).
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// `postgres://…` / `postgresql://…`, or an Oracle connect string (`oracle://user@host:port/service`,
    /// `user@//host:port/service`, `user@ALIAS`, `/@ALIAS`).
    pub url: String,
    /// Oracle OS / wallet authentication (no password).
    pub external_auth: bool,
    /// Connections the source may open (one per scan job).
    pub jobs: usize,
    /// Whether a password prompt may be shown (stdin and stderr are terminals).
    pub interactive: bool,
}

/// Options of the problem-object report.
#[derive(Debug, Clone)]
pub struct ObjectsOptions {
    /// Statistics older than this many days count as stale.
    pub stats_age_days: u32,
    pub schemas: Vec<String>,
    /// Include Oracle-maintained schemas (SYS, SYSTEM, …).
    pub include_maintained: bool,
}

impl Default for ObjectsOptions {
    fn default() -> Self {
        ObjectsOptions {
            stats_age_days: 30,
            schemas: Vec::new(),
            include_maintained: false,
        }
    }
}

/// A live database source.
pub trait DbSource: Source + Send {
    /// Runs the problem-object checks.
    fn problem_objects(&self, opts: &ObjectsOptions) -> Result<ObjectReport, SourceError>;

    /// Partitioning key columns `(owner, table, column)`; their length cannot change in place.
    fn partition_keys(&self) -> Vec<(String, String, String)> {
        Vec::new()
    }

    /// Applies clean-up changes (truncate / repair) with their audit rows; with `dry_run`, the
    /// same statements in a transaction rolled back. `each` hears of every cell changed.
    fn clean_apply(
        &self,
        _changes: &[crate::clean::changes::Change],
        _audit_schema: &str,
        _audit: crate::clean::oracle_script::Audit,
        _run_id: &str,
        _dry_run: bool,
        _each: &mut dyn FnMut(&crate::clean::changes::Change, &str),
    ) -> Result<crate::clean::pg_apply::Applied, SourceError> {
        Err(SourceError::Other("--apply is not available for this database: write a script with --script FILE and run it".into()))
    }

    /// Puts the originals of an audit table back.
    fn clean_restore(
        &self,
        _audit_schema: &str,
        _audit: crate::clean::oracle_script::Audit,
        _tables: &[String],
    ) -> Result<crate::clean::pg_restore::Restored, SourceError> {
        Err(SourceError::Other(
            "--restore is not available for this database: see sql/ for the restore script".into(),
        ))
    }

    /// Writes the dictionary files of a snapshot (`dictionary/NAME.csv`, read back by the
    /// offline problem-object report) where the source has them; returns the files written.
    fn export_dictionary(
        &self,
        _dir: &std::path::Path,
    ) -> Result<Vec<std::path::PathBuf>, SourceError> {
        Ok(Vec::new())
    }

    /// Scripts the DDL of the catalog's secondary indexes where the catalog does not hold it
    /// yet (Oracle: DBMS_METADATA), filling `Index::ddl`. Sources whose catalog has it already
    /// (PostgreSQL: pg_get_indexdef) do nothing.
    fn script_index_ddl(&self, _catalog: &mut crate::catalog::Catalog) -> Result<(), SourceError> {
        Ok(())
    }

    /// A connection for executing plan steps (`charmig apply`), where the source supports it.
    fn executor(&self) -> Result<Box<dyn crate::plan::apply::Executor + '_>, SourceError> {
        Err(SourceError::Other(
            "executing plans is not supported for this database yet".into(),
        ))
    }
}

/// Which driver a connection string belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Postgres,
    Oracle,
}

pub fn kind_of(url: &str) -> DbKind {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        DbKind::Postgres
    } else {
        DbKind::Oracle
    }
}

/// Connects to the database a connection string names.
pub fn open(opts: &ConnectOptions) -> Result<Box<dyn DbSource>, SourceError> {
    match kind_of(&opts.url) {
        DbKind::Postgres => Ok(Box::new(super::postgres::PgSource::connect(opts)?)),
        DbKind::Oracle => Ok(Box::new(super::oracle::OracleSource::connect(opts)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_their_driver() {
        assert_eq!(kind_of("postgres://u@h/db"), DbKind::Postgres);
        assert_eq!(kind_of("PostgreSQL://u@h/db"), DbKind::Postgres);
        assert_eq!(kind_of("oracle://u@h:1521/svc"), DbKind::Oracle);
        assert_eq!(kind_of("scott@//h:1521/svc"), DbKind::Oracle);
        assert_eq!(kind_of("/@ORCL"), DbKind::Oracle);
    }
}
