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

    /// Runs a PostgreSQL clean-up: `work` gets the dictionary connection and the catalog.
    fn pg_clean(
        &self,
        _work: &mut dyn FnMut(
            &mut postgres::Client,
            &crate::catalog::Catalog,
        ) -> Result<crate::clean::pg_apply::Applied, String>,
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

/// A connection string as it may be printed: the password (between `:` and the last `@` of a
/// URL, or after `/` in Oracle's `user/password@…`) and the query string (it may hold
/// `password=`) left out, control characters escaped.
pub fn shown_url(url: &str) -> String {
    let url = url.trim();
    let scheme_rest = url.split_once("://").filter(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    let shown = if let Some((scheme, rest)) = scheme_rest {
        let (before, query) = match rest.find('?') {
            Some(q) => (&rest[..q], true),
            None => (rest, false),
        };
        let tail = if query { "?…" } else { "" };
        match before.rfind('@') {
            Some(at) => {
                let user = before[..at].split(':').next().unwrap_or("");
                format!("{scheme}://{user}@{}{tail}", &before[at + 1..])
            }
            None => format!("{scheme}://{before}{tail}"),
        }
    } else {
        let at = url.find("@(").or_else(|| url.find('@'));
        match at {
            Some(p) if url[..p].contains('/') && !url.starts_with('/') => {
                format!(
                    "{}@{}",
                    url[..p].split('/').next().unwrap_or(""),
                    &url[p + 1..]
                )
            }
            _ => url.to_string(),
        }
    };
    crate::report::term::escape(&shown).into_owned()
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
    fn shown_urls_hold_no_password() {
        assert_eq!(
            shown_url("postgres://u:Hunter2@TopSecret@h:5/db?password=x&sslmode=require"),
            "postgres://u@h:5/db?…"
        );
        assert_eq!(shown_url("scott/tiger@//h:1521/s"), "scott@//h:1521/s");
        assert_eq!(shown_url("oracle://scott@h/s"), "oracle://scott@h/s");
        assert_eq!(shown_url("/@ORCL"), "/@ORCL");
        assert_eq!(
            shown_url("mysql://r:pw@h/x\u{1b}[2J"),
            "mysql://r@h/x\\x1b[2J"
        );
    }

    proptest::proptest! {
        #[test]
        fn shown_url_never_holds_the_password(user in "[a-z]{1,6}", pw in "[A-Z]{10}", host in "[a-z@:/.]{0,12}", q in "\\PC{0,10}") {
            for u in [format!("postgres://{user}:{pw}@{host}{q}"), format!("{user}/{pw}@{host}"), format!("x://{user}:{pw}@{host}?{q}")] {
                let s = shown_url(&u);
                proptest::prop_assert!(!s.contains(&pw), "{} -> {}", u, s);
            }
        }
    }

    #[test]
    fn urls_pick_their_driver() {
        assert_eq!(kind_of("postgres://u@h/db"), DbKind::Postgres);
        assert_eq!(kind_of("PostgreSQL://u@h/db"), DbKind::Postgres);
        assert_eq!(kind_of("oracle://u@h:1521/svc"), DbKind::Oracle);
        assert_eq!(kind_of("scott@//h:1521/svc"), DbKind::Oracle);
        assert_eq!(kind_of("/@ORCL"), DbKind::Oracle);
    }
}
