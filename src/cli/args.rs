//! clap definitions: parsing only. `cli::run` resolves them into library options.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "charmig",
    version,
    about = "Move Oracle and PostgreSQL databases from a legacy charset to UTF-8 without losing a byte"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Classify every character cell for the target charset.
    Scan(ScanArgs),
    /// Export dictionary and raw bytes to a charmig-snapshot/1 directory, to scan elsewhere.
    Snapshot(SnapshotArgs),
    /// The problem-object report: disabled triggers, invalid objects, constraints, indexes ….
    Objects(ObjectsArgs),
    /// List the supported charsets (Oracle and PostgreSQL names).
    Charsets,
    /// Plan the move: ordered, reversible DDL scripts (BYTE->CHAR, indexes, constraints, triggers, sequences).
    Plan(PlanArgs),
    /// Execute a reviewed plan's steps, logged and resumable.
    Apply(ApplyArgs),
    /// Cut over-long values to fit, keeping every original in an audit table.
    Truncate(TruncateArgs),
    /// Repair stray Windows-1252 bytes (or values in another charset), keeping every original.
    Repair(RepairArgs),
    /// Print one of the standalone SQL scripts charmig embeds (for hosts where only SQL*Plus or psql runs).
    Sql(SqlArgs),
    /// Script DDL on its own.
    #[command(subcommand)]
    Ddl(DdlCommand),
    /// Move the data into the UTF-8 target: resumable, parallel, logged in the target.
    Copy(CopyArgs),
    /// Create the target's schema from the source's dictionary (before the copy; --after-copy after it).
    Schema(SchemaArgs),
    /// Check a source or target before anything else: reachable, TLS, version and charset, the
    /// privileges each step needs (with the GRANTs), Oracle Instant Client.
    Doctor(DoctorArgs),
    /// Prove the target holds the source: schema diff, row counts and checksums computed on both sides, text sanity.
    Verify(VerifyArgs),
}

/// How to reach a live database. Passwords never go on the command line: they come from the
/// URL (PostgreSQL), PGPASSWORD/.pgpass, CHARMIG_PASSWORD (Oracle) or a prompt.
#[derive(Debug, Args, Clone)]
pub struct ConnArgs {
    /// postgres://user@host:5432/db, oracle://user@host:1521/service, user@//host:1521/service,
    /// user@TNS_ALIAS or /@ALIAS (external authentication).
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// Oracle OS or wallet authentication (OPS$ accounts): no user name, no password.
    #[arg(long)]
    pub external_auth: bool,
}

/// Which tables: `--schema`, `--table`, `--exclude`.
#[derive(Debug, Args, Clone)]
pub struct ScopeArgs {
    /// Only these schemas (repeatable).
    #[arg(long, value_name = "S")]
    pub schema: Vec<String>,
    /// Only these tables, as TABLE or OWNER.TABLE (repeatable).
    #[arg(long, value_name = "T")]
    pub table: Vec<String>,
    /// Leave out tables or columns matching TABLE, OWNER.TABLE or OWNER.TABLE.COLUMN (* and ? wildcards).
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub conn: ConnArgs,
    /// The snapshot directory to write.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Parallel connections.
    #[arg(long, default_value_t = default_jobs())]
    pub jobs: usize,
}

#[derive(Debug, Args)]
pub struct ObjectsArgs {
    /// An Oracle snapshot with dictionary files (sql/export_snapshot.sql, `charmig snapshot`):
    /// the same checks offline, without orphan counts.
    #[arg(long, value_name = "DIR", conflicts_with = "db")]
    pub snapshot: Option<PathBuf>,
    #[command(flatten)]
    pub conn: ConnArgs,
    /// Where the report goes.
    #[arg(long, value_name = "DIR", default_value = "charmig-report")]
    pub out: PathBuf,
    /// Statistics older than this many days count as stale.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub stats_age_days: u32,
    /// Only these schemas (repeatable).
    #[arg(long, value_name = "S")]
    pub schema: Vec<String>,
    /// Include Oracle-maintained schemas (SYS, SYSTEM, …).
    #[arg(long)]
    pub include_maintained: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// A charmig-snapshot/1 directory to scan offline.
    #[arg(long, value_name = "DIR", conflicts_with = "db")]
    pub snapshot: Option<PathBuf>,
    #[command(flatten)]
    pub conn: ConnArgs,
    /// Where the reports go.
    #[arg(long, value_name = "REPORT_DIR", default_value = "charmig-report")]
    pub out: PathBuf,
    /// Target charset: AL32UTF8, or UTF8 (Oracle's CESU-8).
    #[arg(long, default_value = "AL32UTF8")]
    pub to: String,
    /// Read the data as this charset instead of the database's (DMU's assumed charset), or
    /// `auto`: per value, valid UTF-8 as UTF-8, anything else as the database charset (its C1
    /// bytes as Windows-1252) — for data written by both UTF-8 and legacy clients.
    #[arg(long, value_name = "CHARSET|auto")]
    pub assume: Option<String>,
    /// Assumed charset (or `auto`) for some columns; `*` and `?` match within each part
    /// (`public.web_*.*=auto`). An exact name wins over a pattern, a later pattern over an
    /// earlier one.
    #[arg(long, value_name = "OWNER.TABLE.COLUMN=CHARSET|auto")]
    pub assume_column: Vec<String>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Parallel workers (and connections, for a live database).
    #[arg(long, default_value_t = default_jobs())]
    pub jobs: usize,
    /// Exceptions listed per column (counts stay exact).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub max_exceptions: usize,
    /// Hex characters of a column's exceptions kept in full; the exceptions after them (in
    /// row order) keep a 32-byte excerpt, so memory stays bounded whatever the data.
    #[arg(long, value_name = "N", default_value_t = crate::scan::HEX_COLUMN_BUDGET)]
    pub max_exception_bytes: usize,
    /// Scan as if every BYTE column had been switched to CHAR semantics.
    #[arg(long)]
    pub char_semantics: bool,
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The scan.json of a scan of the source.
    #[arg(long, value_name = "FILE")]
    pub scan: PathBuf,
    /// Read the catalog from a snapshot instead of a live database.
    #[arg(long, value_name = "DIR", conflicts_with = "db")]
    pub snapshot: Option<PathBuf>,
    #[command(flatten)]
    pub conn: ConnArgs,
    /// The plan directory to write.
    #[arg(long, value_name = "PLAN_DIR")]
    pub out: PathBuf,
    /// Which BYTE columns switch to CHAR semantics: all, affected (those with truncation), none.
    #[arg(long, value_name = "MODE", default_value = "affected")]
    pub char_semantics: String,
    /// Convert NCHAR/NVARCHAR2 columns to CHAR/VARCHAR2 (CHAR semantics).
    #[arg(long)]
    pub nchar_to_char: bool,
    /// SQL dialect of the scripts (default: the source's).
    #[arg(long, value_name = "oracle|postgres")]
    pub dialect: Option<String>,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The plan directory written by `charmig plan`.
    #[arg(long, value_name = "PLAN_DIR")]
    pub plan: PathBuf,
    #[command(flatten)]
    pub conn: ConnArgs,
    /// Only these steps or scripts (e.g. 01_before_copy, 03-0002); repeatable.
    #[arg(long, value_name = "NAME")]
    pub step: Vec<String>,
    /// Print what would run; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Log file (default: PLAN_DIR/apply.log).
    #[arg(long, value_name = "FILE")]
    pub log_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum DdlCommand {
    /// The script that re-creates the secondary indexes (create_indexes.sql).
    Indexes(DdlIndexesArgs),
}

#[derive(Debug, Args)]
pub struct DdlIndexesArgs {
    #[command(flatten)]
    pub conn: ConnArgs,
    /// Output file (default: standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Only these schemas (repeatable).
    #[arg(long, value_name = "S")]
    pub schema: Vec<String>,
}

/// What the clean-up commands share.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// The scan.json of a scan of the source (its exceptions are the cells to change).
    #[arg(long, value_name = "FILE")]
    pub scan: Option<PathBuf>,
    #[command(flatten)]
    pub conn: ConnArgs,
    /// Only these tables, as TABLE or OWNER.TABLE (repeatable).
    #[arg(long, value_name = "T")]
    pub table: Vec<String>,
    /// Show each change (before and after); change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write a script to run by hand instead of changing the database.
    #[arg(long, value_name = "FILE")]
    pub script: Option<PathBuf>,
    /// Change the database now.
    #[arg(long)]
    pub apply: bool,
    /// Put every original back from the audit table and remove its audit rows.
    #[arg(long)]
    pub restore: bool,
    /// Schema of the audit table (default: charmig's own schema, `charmig` on PostgreSQL,
    /// `CHARMIG` on Oracle).
    #[arg(long, value_name = "S")]
    pub audit_schema: Option<String>,
    /// Rescan this snapshot (sql/export_snapshot.sql) instead of the database where the cells must be found again (--limit-bytes, --mode undouble): with --script the script is made offline, keyed by the snapshot's ROWIDs, each cell checked against the snapshot's bytes when it runs.
    #[arg(long, value_name = "DIR")]
    pub snapshot: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TruncateArgs {
    #[command(flatten)]
    pub clean: CleanArgs,
    /// Cut to this many bytes after conversion instead of the scan's limit (e.g. for a target with byte semantics).
    #[arg(long, value_name = "N")]
    pub limit_bytes: Option<usize>,
}

#[derive(Debug, Args)]
pub struct RepairArgs {
    #[command(flatten)]
    pub clean: CleanArgs,
    /// cp1252 (C1 bytes read as Windows-1252), assume=CHARSET (the whole value read as CHARSET), undouble (UTF-8 stored in single-byte data).
    #[arg(long, value_name = "MODE", default_value = "cp1252")]
    pub mode: String,
    /// Write the repaired value back into the source charset (transliterating what it lacks), or as UTF-8 into an already converted target.
    #[arg(long, value_name = "source|target", default_value = "source")]
    pub r#where: String,
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The source database (postgres://…; an Oracle connect string with an Oracle target).
    #[arg(long, value_name = "URL")]
    pub from: Option<String>,
    /// The target database (postgres://… or an Oracle connect string): its tables exist already
    /// (each is emptied before its copy).
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// How the rows move: `client` (read by charmig, converted here, COPY into the target) or
    /// `dblink SERVER` (pulled by the target from foreign server SERVER, a dblink_fdw or
    /// postgres_fdw server; into Oracle, SERVER is the database link to the source).
    #[arg(long, num_args = 1..=2, value_names = ["client|dblink", "SERVER"], default_values = ["client"])]
    pub via: Vec<String>,
    /// Run the plan's 01_before_copy steps before and 03_after_copy after (on the target).
    #[arg(long, value_name = "PLAN_DIR")]
    pub plan: Option<PathBuf>,
    /// Only these tables, as TABLE or OWNER.TABLE (repeatable).
    #[arg(long, value_name = "T")]
    pub table: Vec<String>,
    /// Target connections: tables loaded, and with --plan their keys and indexes built, at once.
    #[arg(long, default_value_t = default_jobs())]
    pub jobs: usize,
    /// Copy a table at least this big (e.g. 64MB, 1GB; default 64MB) in block ranges on
    /// several connections when it alone would keep the run waiting (more than its share of
    /// the bytes for --jobs connections); 0 splits every such table. Given, it also applies
    /// when both databases run on this machine (by default ranges then use at most half its
    /// cores: each stream keeps a source and a target server process busy).
    #[arg(long, value_name = "SIZE", conflicts_with = "no_split")]
    pub split_min_size: Option<String>,
    /// Copy every table whole, on one connection.
    #[arg(long)]
    pub no_split: bool,
    /// Skip the tables the target's log says are done; copy the others again (the default).
    #[arg(long, conflicts_with = "restart")]
    pub resume: bool,
    /// Ignore the log: copy every table again.
    #[arg(long)]
    pub restart: bool,
    /// Log file (appended; default charmig-copy.log).
    #[arg(long, value_name = "FILE")]
    pub log_file: Option<PathBuf>,
    /// Also compare an order-independent checksum of each table's converted content.
    #[arg(long)]
    pub verify: bool,
    /// Read every column as the scan read it (the scan.json of this source, `auto` columns
    /// included): nothing to retype. A scan of another database is refused.
    #[arg(long, value_name = "SCAN_JSON", conflicts_with_all = ["assume", "assume_column"])]
    pub scan: Option<PathBuf>,
    /// Leave out the tables matching PATTERN (`*` and `?`; TABLE or OWNER.TABLE, as scan's
    /// --exclude), repeatable. charmig's own tables are always left out.
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,
    /// Read every column as this charset instead of the source database's (`auto`, as scan's
    /// --assume auto: per value, valid UTF-8 as UTF-8, anything else as the database charset,
    /// its C1 bytes as Windows-1252; WIN1252 for a SQL_ASCII database).
    #[arg(long, value_name = "CHARSET")]
    pub assume: Option<String>,
    /// Read one character column as CHARSET (repeatable).
    #[arg(long, value_name = "OWNER.TABLE.COLUMN=CHARSET")]
    pub assume_column: Vec<String>,
    /// A value that does not convert: `fail` (stop the table, naming the cell) or `replace`
    /// (write U+FFFD for each byte without meaning, and count the cells).
    #[arg(long, value_name = "fail|replace", default_value = "fail")]
    pub on_lossy: String,
    /// Copy into a target whose locale (LC_CTYPE / LC_COLLATE) behaves otherwise than the
    /// source's although it has generated stored columns, which it computes again: their
    /// values may change (`upper('é')`).
    #[arg(long)]
    pub allow_locale_change: bool,
    /// Do not end with the after-copy phase of the schema `charmig schema` created (foreign
    /// keys, triggers, materialized views, sequences): run `charmig schema --after-copy` later
    /// yourself, e.g. after a `--catch-up`.
    #[arg(long)]
    pub no_after_copy: bool,
    /// Print the target's copy log and exit.
    #[arg(long)]
    pub status: bool,
    /// Copy the rows changed since --since (by --column) and merge them by primary key.
    #[arg(long, requires_all = ["since", "column"])]
    pub catch_up: bool,
    /// With --catch-up: rows whose --column is at or after this timestamp.
    #[arg(long, value_name = "TIMESTAMP")]
    pub since: Option<String>,
    /// With --catch-up: the timestamp column that says when a row changed.
    #[arg(long, value_name = "COLUMN")]
    pub column: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The source database: postgres://…, or an Oracle connect string (its target Oracle too).
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// The UTF-8 target database: postgres://… (UTF8), or Oracle (AL32UTF8) for an Oracle source.
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// The scan of the source (scan.json): how each column's bytes are read (its charset, an
    /// assumed one, or auto per cell). Without it every column reads as the source's charset.
    #[arg(long, value_name = "SCAN_JSON")]
    pub scan: Option<PathBuf>,
    /// Only these schemas (repeatable).
    #[arg(long, value_name = "S")]
    pub schema: Vec<String>,
    /// List the keys of the rows that differ (the first --max-rows per table).
    #[arg(long)]
    pub rows: bool,
    /// PostgreSQL: do not compare owners (for a target made with `charmig schema --no-owner`).
    #[arg(long)]
    pub no_owner: bool,
    /// Object text (views, defaults, comments, names) holding C1 controls or double-encoded
    /// UTF-8 is compared on both sides as its author meant it (`€`, `é`), so an object made by
    /// hand that way or created with `charmig schema --accept-object-text` compares equal; such
    /// text left in the target is reported unless accepted here: all of it, or the objects
    /// named (`schema.name`).
    #[arg(long, value_name = "OBJECT", num_args = 0..)]
    pub accept_object_text: Option<Vec<String>>,
    /// Rows listed per table with --rows.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub max_rows: usize,
    /// Parallel readers (each reads one part of a table on one side).
    #[arg(long, default_value_t = default_jobs())]
    pub jobs: usize,
    /// The report directory (summary.txt, differences.csv, verify.json, fix.sql).
    #[arg(long, value_name = "REPORT_DIR", default_value = "verify-report")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    /// export-snapshot (SQL*Plus), problem-objects (SQL*Plus), audit-tables-oracle, audit-tables-postgres; omit to list them.
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The source database (postgres://… or an Oracle connect string).
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// The UTF-8 target database: statements run there, logged in its charmig schema
    /// (charmig.charmig_ddl_log / CHARMIG.CHARMIG_DDL_LOG); a re-run resumes.
    #[arg(long, value_name = "URL", required_unless_present_any = ["out", "dry_run"])]
    pub to: Option<String>,
    /// Write the script instead (FILE, and FILE's after-copy statements beside it as
    /// NAME.after_copy.sql); change no database.
    #[arg(long, value_name = "FILE", conflicts_with = "to")]
    pub out: Option<std::path::PathBuf>,
    /// Print the script on standard output; change no database.
    #[arg(long)]
    pub dry_run: bool,
    /// Run the after-copy statements: validate foreign keys, enable triggers, refresh
    /// materialized views, sync sequences.
    #[arg(long)]
    pub after_copy: bool,
    /// Only these schemas (repeatable; default: every user schema). What they need from other
    /// schemas is pulled in and listed.
    #[arg(long, value_name = "S")]
    pub schema: Vec<String>,
    /// Leave out tables and views matching NAME or SCHEMA.NAME (* and ? wildcards).
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,
    /// Never pull objects of this owner / schema in (repeatable; added to the system ones:
    /// pg_catalog, information_schema, pg_toast; Oracle SYS, SYSTEM, PUBLIC, MDSYS, …).
    #[arg(long, value_name = "OWNER")]
    pub skip_owner: Vec<String>,
    /// Oracle: keep TABLESPACE clauses (left out by default: the target's defaults apply).
    #[arg(long)]
    pub tablespaces: bool,
    /// PostgreSQL: leave every object owned by the user charmig connects as (by default each
    /// schema, table, view, sequence and routine gets its source owner, as pg_dump does; the
    /// role must exist in the target's cluster).
    #[arg(long)]
    pub no_owner: bool,

    /// Create objects whose text holds bytes the source's catalog gives as Latin-1 control
    /// characters or double-encoded UTF-8 (a view `WHERE cur = '€'` written by a Windows client
    /// into a LATIN1 database) as the catalog gives them: all of them, or the objects named
    /// (`schema.name`, as the failed statements name them). Without it such a statement is
    /// not run and the run says why: the copy reads the data with the scan's reading, so the
    /// object would no longer match it.
    #[arg(long, value_name = "OBJECT", num_args = 0..)]
    pub accept_object_text: Option<Vec<String>>,
    /// A plan of this source (`charmig plan`): an Oracle target gets its length-semantics
    /// decisions (02_semantics) instead of every BYTE column switched to CHAR. PostgreSQL
    /// lengths count characters and stay as they are.
    #[arg(long, value_name = "PLAN_DIR")]
    pub plan: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub conn: ConnArgs,
}
