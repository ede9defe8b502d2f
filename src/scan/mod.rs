//! The scan: which columns to classify and how (scope filters, assumed charsets, limits), the
//! parallel engine that classifies every cell, and the result model.

mod engine;
pub mod filter;
pub mod names;
pub mod reading;
pub mod result;
pub mod time;

pub use engine::{NoProgress, Progress, run};
pub use reading::{ColumnReading, ReadingError, Undecodable, column_reading};
pub use result::*;

use crate::catalog::{Catalog, ColumnKind, Semantics};
use crate::charset::classify::ColumnProfile;
use crate::charset::{self, Encoding, Target};
use thiserror::Error;

/// What the source's bytes are to be read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assume {
    /// A named charset (DMU's "assumed character set").
    Charset(String),
    /// Per value: valid UTF-8 holding a multi-byte sequence as UTF-8, anything else as the
    /// single-byte charset behind it (the database's, or WIN1252 for SQL_ASCII) with its C1
    /// bytes read as Windows-1252. See [`reading`].
    Auto,
}

impl Assume {
    pub fn parse(s: &str) -> Assume {
        if s.eq_ignore_ascii_case("auto") {
            Assume::Auto
        } else {
            Assume::Charset(s.to_string())
        }
    }
    pub fn label(&self) -> String {
        match self {
            Assume::Charset(c) => c.clone(),
            Assume::Auto => "auto".into(),
        }
    }
}

/// Resolved scan options.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub target: Target,
    pub assume: Option<Assume>,
    /// `OWNER.TABLE.COLUMN` -> assumed charset.
    pub assume_columns: Vec<(String, Assume)>,
    pub schemas: Vec<String>,
    pub tables: Vec<String>,
    pub excludes: Vec<String>,
    pub jobs: usize,
    pub max_exceptions: usize,
    /// Hex characters of a column's exceptions kept in full ([`HEX_COLUMN_BUDGET`] by
    /// default); exceptions beyond it, in row order, keep an excerpt.
    pub max_exception_bytes: usize,
    pub char_semantics: bool,
    /// A byte limit applied to every scanned column instead of its own (`truncate
    /// --limit-bytes`: e.g. a target with byte semantics, or to exercise cuts on PostgreSQL).
    pub limit_override: Option<usize>,
    /// Also list cells carrying these flags among the exceptions, whatever their category
    /// (`repair --mode undouble` finds the pass-through cells this way).
    pub capture_flags: crate::charset::Flags,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            target: Target::Al32Utf8,
            assume: None,
            assume_columns: Vec::new(),
            schemas: Vec::new(),
            tables: Vec::new(),
            excludes: Vec::new(),
            jobs: 1,
            max_exceptions: 10_000,
            max_exception_bytes: HEX_COLUMN_BUDGET,
            char_semantics: false,
            limit_override: None,
            capture_flags: crate::charset::Flags::default(),
        }
    }
}

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ScanError {
    /// The options do not fit the source (unknown charset, a filter that matches nothing …).
    #[error("{0}")]
    Options(String),
    #[error(transparent)]
    Source(#[from] crate::source::SourceError),
}

/// One column to classify.
pub(crate) struct PlannedColumn {
    pub index: usize,
    pub profile: ColumnProfile,
    pub charset_name: String,
    pub auto_base: Option<String>,
    pub assumed: bool,
}

/// One table to scan: its columns and their profiles.
pub(crate) struct PlannedTable {
    pub table: usize,
    pub columns: Vec<PlannedColumn>,
}

pub(crate) struct ScanPlan {
    pub tables: Vec<PlannedTable>,
    pub not_affected: Vec<NotAffected>,
    pub skipped: Vec<Skipped>,
}

/// The single-byte charset `auto` falls back to: the charset of `--assume CHARSET` when one
/// is given, else the database's; SQL_ASCII's is WIN1252.
fn auto_base(
    catalog: &Catalog,
    global: Option<&Assume>,
    object: &str,
) -> Result<(Encoding, String), ScanError> {
    let dialect = catalog.source.dialect;
    let name = match global {
        Some(Assume::Charset(n)) => n.clone(),
        _ => catalog.source.charset.clone(),
    };
    let cs = charset::resolve(&name, dialect).ok_or_else(|| {
        ScanError::Options(format!(
            "{object}: --assume auto reads values that are not UTF-8 as the database charset, but `{name}` \
             is not supported by charmig: add --assume CHARSET to name the single-byte charset behind it"
        ))
    })?;
    match cs.encoding {
        Encoding::Undeclared => {
            let w = charset::resolve(reading::DEFAULT_AUTO_BASE, charset::Dialect::Postgres)
                .expect("WIN1252 is registered");
            Ok((w.encoding, w.name(dialect).to_string()))
        }
        Encoding::SingleByte { .. } => Ok((cs.encoding, cs.name(dialect).to_string())),
        Encoding::Utf8 | Encoding::Cesu8 => Err(ScanError::Options(format!(
            "{object}: --assume auto guesses the origin of each value in single-byte data; {} is a \
             Unicode charset already, so there is nothing to guess: drop auto (a UTF-8 source is \
             checked for double-encoded text as it is)",
            cs.name(dialect)
        ))),
    }
}

type Limits = (
    Option<charset::classify::Limit>,
    Option<charset::classify::Limit>,
);

/// A column's profile, the name of its reading (`auto` or a charset), and `auto`'s base.
fn resolve_profile(
    assume: &Assume,
    global: Option<&Assume>,
    catalog: &Catalog,
    target: Target,
    trim: bool,
    limits: Limits,
    object: &str,
) -> Result<(ColumnProfile, String, Option<String>), ScanError> {
    let dialect = catalog.source.dialect;
    match assume {
        Assume::Auto => {
            let (base, base_name) = auto_base(catalog, global, object)?;
            let p = ColumnProfile::auto_over(base, target, trim, limits.0, limits.1)
                .expect("single-byte base");
            Ok((p, "auto".into(), Some(base_name)))
        }
        Assume::Charset(name) => {
            let cs = charset::resolve(name, dialect).ok_or_else(|| {
                ScanError::Options(format!(
                    "{object}: charset `{name}` is not supported; `charmig charsets` lists the supported ones"
                ))
            })?;
            if matches!(cs.encoding, Encoding::Undeclared) {
                return Err(ScanError::Options(format!(
                    "{object}: the source charset {} declares no encoding: pass --assume CHARSET (for example \
                     --assume WIN1252), or --assume auto to read valid UTF-8 as UTF-8 and the rest as WIN1252",
                    cs.name(dialect)
                )));
            }
            Ok((
                ColumnProfile::new(cs.encoding, target, trim, limits.0, limits.1),
                cs.name(dialect).to_string(),
                None,
            ))
        }
    }
}

/// `--assume X` and `--assume-column …=X` name a supported charset or `auto`: checked before
/// anything else, so a typo is blamed on the flag, not on the first column it would read.
fn check_assume_flags(opts: &ScanOptions, dialect: charset::Dialect) -> Result<(), ScanError> {
    let flags = opts
        .assume
        .iter()
        .map(|a| ("--assume".to_string(), a))
        .chain(
            opts.assume_columns
                .iter()
                .map(|(k, a)| (format!("--assume-column {k}="), a)),
        );
    for (flag, a) in flags {
        let Assume::Charset(name) = a else { continue };
        let sep = if flag.ends_with('=') { "" } else { " " };
        match charset::resolve(name, dialect) {
            None => {
                return Err(ScanError::Options(format!(
                    "{flag}{sep}{name}: no such charset; use auto, or a charset `charmig charsets` lists \
                     (for example WIN1252, LATIN1, LATIN9)"
                )));
            }
            Some(cs) if matches!(cs.encoding, Encoding::Undeclared) => {
                return Err(ScanError::Options(format!(
                    "{flag}{sep}{name}: {name} says nothing about the bytes; use auto, WIN1252, LATIN1, LATIN9 or \
                     another charset `charmig charsets` lists"
                )));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Decides what to scan: scope filters, excluded and national columns, and each column's
/// profile (assumed charsets, limits, `--char-semantics`).
///
/// `charset_origin` says where the database charset is declared (a snapshot's
/// `snapshot.json`), for the error when it is not supported and nothing is assumed.
pub(crate) fn plan(
    catalog: &Catalog,
    opts: &ScanOptions,
    charset_origin: &str,
) -> Result<ScanPlan, ScanError> {
    let dialect = catalog.source.dialect;
    let db_charset = charset::resolve(&catalog.source.charset, dialect);
    let undeclared = db_charset.is_some_and(|c| matches!(c.encoding, Encoding::Undeclared));
    if opts.assume.is_none() && (db_charset.is_none() || undeclared) {
        // Checked up front only when some column reads the database charset.
        let all_assumed = catalog
            .tables
            .iter()
            .filter(|t| filter::table_in_scope(t, opts))
            .all(|t| {
                t.columns
                    .iter()
                    .filter(|c| c.kind(dialect).is_scanned())
                    .all(|c| {
                        filter::column_assume(&opts.assume_columns, &t.owner, &t.name, &c.name)
                            .is_some()
                    })
            });
        if !all_assumed && undeclared {
            return Err(ScanError::Options(format!(
                "{charset_origin}: the source charset {} declares no encoding, so charmig cannot tell what its \
                 bytes mean: say how to read them with --assume: auto (valid UTF-8 as UTF-8, the rest as \
                 WIN1252: for data written by both kinds of client), WIN1252 (Windows clients), LATIN1 or \
                 LATIN9 (ISO-8859 clients), or any charset of `charmig charsets`",
                catalog.source.charset
            )));
        }
        if !all_assumed {
            return Err(ScanError::Options(format!(
                "{charset_origin}: the source charset `{}` is not supported by charmig; pass --assume CHARSET \
                 to read the data as a supported charset (`charmig charsets` lists them)",
                catalog.source.charset
            )));
        }
    }
    let db_assume = opts
        .assume
        .clone()
        .unwrap_or_else(|| Assume::Charset(catalog.source.charset.clone()));
    check_assume_flags(opts, dialect)?;
    let mut used = vec![false; opts.assume_columns.len()];
    filter::check_scope(catalog, opts)?;
    let mut out = ScanPlan {
        tables: Vec::new(),
        not_affected: Vec::new(),
        skipped: Vec::new(),
    };
    for (ti, table) in catalog.tables.iter().enumerate() {
        if !filter::table_in_scope(table, opts) {
            continue;
        }
        if table.name.starts_with("BIN$") {
            out.skipped.push(Skipped {
                object: table.qualified(),
                reason: "recycle-bin object".into(),
                error: false,
            });
            continue;
        }
        let mut planned = PlannedTable {
            table: ti,
            columns: Vec::new(),
        };
        for (ci, col) in table.columns.iter().enumerate() {
            let kind = col.kind(dialect);
            let object = format!("{}.{}", table.qualified(), col.name);
            if kind == ColumnKind::National {
                out.not_affected.push(NotAffected {
                    owner: table.owner.clone(),
                    table_name: table.name.clone(),
                    column_name: col.name.clone(),
                    data_type: col.data_type.clone(),
                    reason: format!(
                        "national charset ({}): not changed by a database charset change",
                        catalog
                            .source
                            .nchar_charset
                            .as_deref()
                            .unwrap_or("AL16UTF16")
                    ),
                });
                continue;
            }
            if !kind.is_scanned() {
                if !ColumnKind::is_known_non_text(dialect, &col.data_type) {
                    out.skipped.push(Skipped {
                        object,
                        reason: format!(
                            "data type {} is not one charmig classifies: not scanned (if it holds text, \
                             such as XML, JSON, arrays or user-defined types, check it separately)",
                            crate::catalog::printable(&col.data_type)
                        ),
                        error: false,
                    });
                }
                continue;
            }
            if filter::column_excluded(table, &col.name, opts) {
                out.skipped.push(Skipped {
                    object,
                    reason: "excluded by --exclude".into(),
                    error: false,
                });
                continue;
            }
            let (mut limit, mut limit_char) = col.limits(&catalog.source);
            if let Some(n) = opts.limit_override {
                let l = Some(charset::classify::Limit {
                    bytes: n,
                    kind: charset::classify::LimitKind::Column,
                });
                (limit, limit_char) = (l, l);
            }
            if opts.char_semantics && col.semantics != Some(Semantics::Char) {
                limit = limit_char;
            }
            let (assume, assumed) = match filter::column_assume(
                &opts.assume_columns,
                &table.owner,
                &table.name,
                &col.name,
            ) {
                Some(i) => {
                    used[i] = true;
                    (opts.assume_columns[i].1.clone(), true)
                }
                None => (db_assume.clone(), opts.assume.is_some()),
            };
            let trim = kind == ColumnKind::Char;
            let (profile, charset_name, auto_base) = resolve_profile(
                &assume,
                opts.assume.as_ref(),
                catalog,
                opts.target,
                trim,
                (limit, limit_char),
                &object,
            )?;
            planned.columns.push(PlannedColumn {
                index: ci,
                profile,
                charset_name,
                auto_base,
                assumed,
            });
        }
        if !planned.columns.is_empty() {
            out.tables.push(planned);
        }
    }
    if let Some(((k, _), _)) = opts.assume_columns.iter().zip(&used).find(|(_, u)| !**u) {
        return Err(ScanError::Options(format!(
            "--assume-column {k}: no character column in scope matches it, or a more specific \
             --assume-column covers all it matches (write OWNER.TABLE.COLUMN as the dictionary spells it; \
             `*` and `?` match any part)"
        )));
    }
    Ok(out)
}
