//! The PostgreSQL target of a copy: the state table `charmig.charmig_copy_log` (charmig's own
//! schema, see [`crate::own`]; keyed by the (owner, name) pair), the run lock,
//! the target's view of each table (columns, key), and the per-table transaction.
//!
//! Each table is copied in one target transaction: `TRUNCATE ONLY`, the load, the counts
//! (and checksum), and the `done` row of the log, committed together. The `running` row is
//! committed before, so `--status` shows it while the load runs; a copy killed mid-table
//! leaves the table as it was before the transaction (the load is rolled back by the server)
//! and the log saying `running`, and the next run truncates it and copies it again.
//!
//! Two copies against one target are refused: the run holds a session-level advisory lock
//! ([`LOCK_KEY`]) on a connection of its own for its whole duration.

use super::{CopyTable, TableState};
use crate::dialect::postgres::{ident as quote, qualified};
use crate::source::postgres::canon::Canon;
use postgres::Client;
use std::collections::HashMap;

/// The advisory lock key of a copy run ("charmig1" in ASCII).
pub const LOCK_KEY: i64 = 0x6368_6172_6D69_6731;
/// How long a held lock is waited for: a run killed a moment ago holds it until the server
/// notices its connection is gone, which a loaded server may take seconds to do.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

pub const LOG_DDL: &str = "CREATE SCHEMA IF NOT EXISTS charmig; CREATE TABLE IF NOT EXISTS charmig.charmig_copy_log (\
    table_owner text NOT NULL, table_name text NOT NULL, state text NOT NULL, rows_copied int8, \
    started timestamptz, finished timestamptz, error text, run_id text NOT NULL, \
    PRIMARY KEY (table_owner, table_name)); \
    DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = 'charmig.charmig_copy_log'::regclass \
      AND attname = 'reading' AND NOT attisdropped) THEN ALTER TABLE charmig.charmig_copy_log ADD COLUMN reading text; END IF; END $$; \
    CREATE TABLE IF NOT EXISTS charmig.charmig_copy_ranges (\
    table_owner text NOT NULL, table_name text NOT NULL, first_block int8 NOT NULL, end_block int8, \
    state text NOT NULL, rows_copied int8, checksum text, fingerprint text, filenode int8 NOT NULL, \
    started timestamptz, finished timestamptz, error text, run_id text NOT NULL, reading text, \
    PRIMARY KEY (table_owner, table_name, first_block)); \
    DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'charmig.charmig_copy_ranges'::regclass \
      AND attname = 'reading' AND NOT attisdropped) THEN ALTER TABLE charmig.charmig_copy_ranges ADD COLUMN reading text; \
    END IF; END $$";

/// Records a table's state (binds: owner, table, state, rows, error, run id). Times are
/// `clock_timestamp()`: `done` is written at the end of a long transaction.
const LOG_UPSERT: &str = "INSERT INTO charmig.charmig_copy_log AS l \
    (table_owner, table_name, state, rows_copied, error, run_id, started, finished) \
    VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp(), CASE WHEN $3 = 'running' THEN NULL ELSE clock_timestamp() END) \
    ON CONFLICT (table_owner, table_name) DO UPDATE SET state = EXCLUDED.state, rows_copied = EXCLUDED.rows_copied, \
    error = EXCLUDED.error, run_id = EXCLUDED.run_id, \
    started = CASE WHEN EXCLUDED.state = 'running' THEN EXCLUDED.started ELSE l.started END, \
    finished = EXCLUDED.finished \
    WHERE NOT (EXCLUDED.state = 'failed' AND l.state = 'done' AND l.run_id IS DISTINCT FROM EXCLUDED.run_id)";

/// A database error as a DBA reads it: message, detail and SQLSTATE.
pub fn pg_err(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let detail = db.detail().map(|d| format!(" ({d})")).unwrap_or_default();
            format!("{}{detail} (SQLSTATE {})", db.message(), db.code().code())
        }
        None => e.to_string(),
    }
}

/// A load's error; when a target constraint refused a row (SQLSTATE class 23) also where
/// (the COPY line is the row's position in the source's read) and what to do.
pub fn load_err(e: &postgres::Error) -> String {
    let mut s = pg_err(e);
    if let Some(db) = e.as_db_error() {
        if db.code().code().starts_with("23") {
            if let Some(w) = db.where_() {
                s.push_str(&format!(" [{}]", crate::dialect::text::escape(w)));
            }
            s.push_str(
                "; the target's constraints are checked during the load: copy with --plan PLAN_DIR (charmig plan: \
                 its 01_before_copy drops them, 03_after_copy adds them back NOT VALID)",
            );
        }
    }
    s
}

/// Output settings of the target's sessions: the same as the source's copy reads, so values
/// are parsed and printed (for checksums) the same way on both sides.
const SESSION: &str = "SET statement_timeout = 0; SET lock_timeout = 0; SET idle_in_transaction_session_timeout = 0; \
    SET client_encoding = 'UTF8'; SET DateStyle = ISO; SET IntervalStyle = postgres; SET extra_float_digits = 3; \
    SET bytea_output = hex; SET TimeZone = 'UTC'";

/// PostgreSQL 14+'s `idle_session_timeout`, which a DBA may set for a role or a database,
/// would end a connection that waits: the run lock's, idle for the whole run (a lost lock lets
/// a second copy in), or a worker's between two tasks. Off for charmig's target sessions.
const NO_IDLE_TIMEOUT: &str = "SELECT set_config('idle_session_timeout', '0', false) \
    WHERE current_setting('server_version_num')::int >= 140000";

/// Takes the run lock on `client` (which must stay open for the whole run). A run killed a
/// moment ago may still hold it until the server notices its connection is gone: the lock is
/// tried for [`LOCK_WAIT`] before the copy is refused.
pub fn lock(client: &mut Client) -> Result<(), String> {
    client
        .batch_execute(NO_IDLE_TIMEOUT)
        .map_err(|e| pg_err(&e))?;
    let deadline = std::time::Instant::now() + LOCK_WAIT;
    loop {
        let got: bool = client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&LOCK_KEY])
            .map_err(|e| pg_err(&e))?
            .get(0);
        if got {
            return Ok(());
        }
        if std::time::Instant::now() >= deadline {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let holder: Option<i32> = client
        .query_opt("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = ($1 & 4294967295)::oid \
                    AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1", &[&LOCK_KEY])
        .ok()
        .flatten()
        .map(|r| r.get(0));
    Err(format!(
        "another charmig copy is running against this target (advisory lock {LOCK_KEY} held by server process {}): \
         wait for it to finish, or stop it, then run this copy again (it resumes)",
        holder.map_or("?".into(), |p| p.to_string())
    ))
}

/// Rows of the log an older charmig kept in `public`, moved to charmig's schema once (so a
/// resume started by an older version still skips its done tables).
const LOG_MOVE_OLD: &str = "DO $$ BEGIN \
    IF to_regclass('public.charmig_copy_log') IS NOT NULL AND NOT EXISTS (SELECT 1 FROM charmig.charmig_copy_log) THEN \
      INSERT INTO charmig.charmig_copy_log SELECT table_owner, table_name, state, rows_copied, started, finished, error, run_id \
        FROM public.charmig_copy_log ON CONFLICT DO NOTHING; \
    END IF; END $$";

/// Creates charmig's schema and the state table if absent.
pub fn prepare(client: &mut Client) -> Result<(), String> {
    client
        .batch_execute(LOG_DDL)
        .and_then(|()| client.batch_execute(LOG_MOVE_OLD))
        .map_err(|e| {
            format!(
                "creating charmig.charmig_copy_log in the target: {}",
                pg_err(&e)
            )
        })
}

/// Which database a connection reaches: its identity (system identifier + database) when the
/// role may read it, and a fingerprint any role can read (database name and OID, the server's
/// start time to the microsecond), used when either side's identity is unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhichDatabase {
    pub identity: Option<crate::catalog::DbIdentity>,
    pub fingerprint: String,
}

impl WhichDatabase {
    pub fn of(client: &mut Client) -> Result<WhichDatabase, String> {
        let identity = crate::source::postgres::catalog::identity(client);
        let fingerprint: String = client
            .query_one(
                "SELECT current_database()::text || ' ' || d.oid::text || ' ' || pg_postmaster_start_time()::text \
                   FROM pg_database d WHERE d.datname = current_database()",
                &[],
            )
            .map_err(|e| pg_err(&e))?
            .get(0);
        Ok(WhichDatabase {
            identity,
            fingerprint,
        })
    }

    /// True when both connections reach the same database.
    pub fn same(&self, other: &WhichDatabase) -> bool {
        match (&self.identity, &other.identity) {
            (Some(a), Some(b)) => a.matches(b),
            _ => self.fingerprint == other.fingerprint,
        }
    }
}

/// The target's server encoding: a copy writes UTF-8 and only a UTF8 database holds it as is.
pub fn check_utf8(client: &mut Client) -> Result<(), String> {
    let enc: String = client
        .query_one("SELECT current_setting('server_encoding')", &[])
        .map_err(|e| pg_err(&e))?
        .get(0);
    if enc.eq_ignore_ascii_case("UTF8") {
        return Ok(());
    }
    Err(format!(
        "the target database is {enc}, not UTF8: the copy writes UTF-8 text, which {enc} cannot hold as is; create the target \
         with CREATE DATABASE name ENCODING 'UTF8' TEMPLATE template0 (and the schema in it), then copy again"
    ))
}

/// The target's foreign keys, as ((child owner, name), (parent owner, name)) pairs.
pub fn foreign_keys(
    client: &mut Client,
) -> Result<Vec<((String, String), (String, String))>, String> {
    let rows = client
        .query(
            "SELECT cn.nspname::text, c.relname::text, pn.nspname::text, p.relname::text \
               FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace \
               JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace \
              WHERE k.contype = 'f'",
            &[],
        )
        .map_err(|e| pg_err(&e))?;
    Ok(rows
        .iter()
        .map(|r| ((r.get(0), r.get(1)), (r.get(2), r.get(3))))
        .collect())
}

/// Whether the connected role may switch foreign-key checks off (a superuser).
pub fn is_superuser(client: &mut Client) -> Result<bool, String> {
    let v: String = client
        .query_one("SELECT current_setting('is_superuser')", &[])
        .map_err(|e| pg_err(&e))?
        .get(0);
    Ok(v == "on")
}

/// One row of `--status`.
#[derive(Debug, Clone)]
pub struct StatusRow {
    pub table: String,
    pub state: String,
    pub rows: Option<i64>,
    pub started: Option<String>,
    pub finished: Option<String>,
    pub error: Option<String>,
    pub run_id: String,
    /// A table copied in block ranges: `2 of 4 ranges done, 1 running, 1 failed`.
    pub ranges: Option<String>,
}

/// The log, in table order; empty when no copy ran against this target.
pub fn status(client: &mut Client) -> Result<Vec<StatusRow>, String> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('charmig.charmig_copy_log') IS NOT NULL",
            &[],
        )
        .map_err(|e| pg_err(&e))?
        .get(0);
    if !exists {
        return Ok(Vec::new());
    }
    let with_ranges: bool = client
        .query_one(
            "SELECT to_regclass('charmig.charmig_copy_ranges') IS NOT NULL",
            &[],
        )
        .map_err(|e| pg_err(&e))?
        .get(0);
    let ranges = match with_ranges {
        true => {
            "(SELECT count(*) FILTER (WHERE r.state = 'done') || ' of ' || count(*) || ' ranges done' \
               || coalesce(', ' || nullif(count(*) FILTER (WHERE r.state = 'running'), 0) || ' running', '') \
               || coalesce(', ' || nullif(count(*) FILTER (WHERE r.state = 'failed'), 0) || ' failed', '') \
               FROM charmig.charmig_copy_ranges r WHERE r.table_owner = l.table_owner AND r.table_name = l.table_name HAVING count(*) > 0)"
        }
        false => "NULL::text",
    };
    let rows = client
        .query(
            &format!("SELECT table_owner, table_name, state, rows_copied, to_char(started AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), \
                    to_char(finished AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), error, run_id, {ranges} \
               FROM charmig.charmig_copy_log l ORDER BY table_owner, table_name"),
            &[],
        )
        .map_err(|e| pg_err(&e))?;
    Ok(rows
        .iter()
        .map(|r| StatusRow {
            table: crate::dialect::postgres::shown(r.get(0), r.get(1)),
            state: r.get(2),
            rows: r.get(3),
            started: r.get(4),
            finished: r.get(5),
            error: r
                .get::<_, Option<String>>(6)
                .map(|e| crate::dialect::text::escape(&e)),
            run_id: r.get(7),
            ranges: r.get(8),
        })
        .collect())
}

/// The status as a table a DBA reads.
pub fn write_status(rows: &[StatusRow], w: &mut dyn std::io::Write) -> std::io::Result<()> {
    writeln!(
        w,
        "{:<40} {:<8} {:>12} {:<20} {:<20} RUN",
        "TABLE", "STATE", "ROWS", "STARTED", "FINISHED"
    )?;
    for r in rows {
        let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
        writeln!(
            w,
            "{:<40} {:<8} {:>12} {:<20} {:<20} {}",
            r.table,
            r.state,
            r.rows.map_or("-".into(), |n| n.to_string()),
            opt(&r.started),
            opt(&r.finished),
            r.run_id
        )?;
        if let Some(n) = &r.ranges {
            writeln!(w, "    {n}")?;
        }
        if let Some(e) = &r.error {
            writeln!(w, "    error: {e}")?;
        }
    }
    let count = |s: &str| rows.iter().filter(|r| r.state == s).count();
    writeln!(
        w,
        "{}: {} done, {} running or interrupted, {} failed",
        super::plural(rows.len() as u64, "table"),
        count("done"),
        count("running"),
        count("failed")
    )
}

/// A table as the target has it.
#[derive(Debug, Clone)]
pub struct TargetTable {
    /// `"owner"."name"`.
    pub sql_name: String,
    /// Columns written by the copy (not generated), in the target's order.
    pub columns: Vec<String>,
    /// Their types, as `format_type` prints them.
    pub types: Vec<String>,
    /// Primary-key columns.
    pub key: Vec<String>,
    /// Generated columns (computed by the target, not copied).
    pub generated: Vec<String>,
    /// Per column, whether it holds `name` values, whose input cuts a value over 63 bytes
    /// without a word: as the column's type, through domains, or inside arrays.
    pub holds_name: Vec<HoldsName>,
    /// The `GENERATED ALWAYS AS IDENTITY` columns: an INSERT of the source's values needs
    /// `OVERRIDING SYSTEM VALUE` (COPY takes them as they are), and an UPDATE cannot set them.
    pub always_identity: Vec<String>,
    /// Per column, how `--verify` compares its values (char(n) without pad spaces, jsonb and
    /// hstore keys in UTF-8 order: [`crate::source::postgres::canon`]), through domains and
    /// arrays; empty: all as printed.
    pub canon: Vec<Canon>,
}

/// Whether a column holds values of type `name` (see [`TargetTable::holds_name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HoldsName {
    #[default]
    No,
    /// Its type is `name`, or a domain over it.
    Value,
    /// An array of `name` (or of a domain over it).
    InArray,
}

impl TargetTable {
    /// Refuses a table holding `name` values inside arrays: their lengths are not checked.
    pub fn check_name_arrays(&self) -> Result<(), String> {
        match self
            .columns
            .iter()
            .zip(&self.holds_name)
            .find(|(_, h)| **h == HoldsName::InArray)
        {
            Some((c, _)) => Err(format!(
                "column {} holds name values in an array, whose input cuts a value over 63 bytes without a word, \
                 and charmig does not check array elements: make the target's column text[], or copy the table another way",
                crate::dialect::postgres::shown_ident(c)
            )),
            None => Ok(()),
        }
    }
}

impl TargetTable {
    /// Quoted column list.
    pub fn column_list(&self) -> Vec<String> {
        self.columns.iter().map(|c| quote(c)).collect()
    }

    /// ` ("a", "b")` for a COPY or INSERT; empty for a table without columns (rows only).
    pub fn column_clause(&self) -> String {
        if self.columns.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.column_list().join(", "))
        }
    }
}

/// Sets `max_parallel_maintenance_workers` to `n`, never above the session's own value
/// (`reset_val`: the server's, database's, role's or URL's setting), so a DBA's 0 stays 0.
/// Servers before 11 have no such setting and are left alone.
pub fn build_workers_sql(n: usize) -> String {
    format!(
        "SELECT pg_catalog.set_config(name, least({n}, reset_val::int)::text, false) \
           FROM pg_catalog.pg_settings WHERE name = 'max_parallel_maintenance_workers'"
    )
}

/// One worker's connection to the target.
pub struct TargetConn {
    pub client: Client,
    pub run_id: String,
    in_tx: bool,
    /// The table was emptied by TRUNCATE in the open transaction: a COPY may FREEZE its rows
    /// (written already frozen: no hint-bit writes when the indexes are built afterwards).
    pub truncated: bool,
    /// The next table's load runs with foreign-key checks off (a table in a reference cycle).
    pub fk_checks_off: bool,
    tables: HashMap<(String, String), TargetTable>,
    /// Parallel workers the next index builds may use (`None`: the server's setting), and
    /// what the session was last set to.
    build_workers: Option<usize>,
    build_workers_set: Option<usize>,
}

impl TargetConn {
    pub fn new(mut client: Client, run_id: &str) -> Result<TargetConn, String> {
        client
            .batch_execute(SESSION)
            .and_then(|()| client.batch_execute(NO_IDLE_TIMEOUT))
            .map_err(|e| pg_err(&e))?;
        Ok(TargetConn {
            client,
            run_id: run_id.to_string(),
            in_tx: false,
            truncated: false,
            fk_checks_off: false,
            tables: HashMap::new(),
            build_workers: None,
            build_workers_set: None,
        })
    }

    /// The target's columns and key of a table (looked up once).
    pub fn table(&mut self, t: &CopyTable) -> Result<TargetTable, String> {
        if let Some(tt) = self.tables.get(&t.key()) {
            return Ok(tt.clone());
        }
        let sql_name = qualified(&t.owner, &t.name);
        let rows = self
            .client
            .query(
                &format!("SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.attgenerated <> '', \
                        coalesce(a.attnum = ANY (i.indkey::int2[]), false), \
                        (WITH RECURSIVE b(oid, arr) AS ( \
                           SELECT a.atttypid, false \
                           UNION ALL \
                           SELECT CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.typelem END, b.arr OR ty.typtype <> 'd' \
                             FROM b JOIN pg_type ty ON ty.oid = b.oid \
                            WHERE b.oid <> 'pg_catalog.name'::regtype AND (ty.typtype = 'd' OR (ty.typelem <> 0 AND ty.typlen = -1))) \
                         SELECT CASE WHEN bool_or(NOT arr) THEN 1 WHEN bool_or(arr) THEN 2 END FROM b WHERE oid = 'pg_catalog.name'::regtype)::int4, \
                        {canon}, \
                        a.attidentity = 'a' \
                   FROM pg_attribute a LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary \
                  WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                    canon = crate::source::postgres::canon::BASE_SQL),
                &[&sql_name],
            )
            .map_err(|e| pg_err(&e))?;
        let exists = !rows.is_empty()
            || self
                .client
                .query_one("SELECT to_regclass($1) IS NOT NULL", &[&sql_name])
                .map_err(|e| pg_err(&e))?
                .get::<_, bool>(0);
        if !exists {
            return Err(format!(
                "table {} does not exist in the target: create the schema there first (pg_dump --schema-only, converted, then psql)",
                t.display()
            ));
        }
        let mut tt = TargetTable {
            sql_name,
            columns: Vec::new(),
            types: Vec::new(),
            key: Vec::new(),
            generated: Vec::new(),
            holds_name: Vec::new(),
            always_identity: rows
                .iter()
                .filter(|r| r.get::<_, bool>(6))
                .map(|r| r.get(0))
                .collect(),
            canon: Vec::new(),
        };
        for r in &rows {
            if r.get::<_, bool>(2) {
                tt.generated.push(r.get(0));
                continue;
            }
            tt.columns.push(r.get(0));
            tt.types.push(r.get(1));
            tt.holds_name.push(match r.get::<_, Option<i32>>(4) {
                None => HoldsName::No,
                Some(1) => HoldsName::Value,
                Some(_) => HoldsName::InArray,
            });
            let base: Option<Vec<Option<String>>> = r.get(5);
            tt.canon.push(match base.as_deref() {
                Some([base, array]) => {
                    Canon::of_base(base.as_deref(), array.as_deref() == Some("true"))
                }
                _ => Canon::PLAIN,
            });
            if r.get::<_, bool>(3) {
                tt.key.push(r.get(0));
            }
        }
        self.tables.insert(t.key(), tt.clone());
        Ok(tt)
    }

    pub fn states(&mut self) -> Result<HashMap<(String, String), TableState>, String> {
        prepare(&mut self.client)?;
        let rows = self
            .client
            .query(
                "SELECT table_owner, table_name, state FROM charmig.charmig_copy_log",
                &[],
            )
            .map_err(|e| pg_err(&e))?;
        Ok(rows
            .iter()
            .filter_map(|r| Some(((r.get(0), r.get(1)), TableState::parse(r.get(2))?)))
            .collect())
    }

    /// Empties tables linked by foreign keys in one committed statement (see
    /// [`super::order`]), and forgets in the same transaction the ranges an earlier split copy
    /// of them logged (their rows are gone).
    pub fn truncate_together(&mut self, tables: &[&CopyTable]) -> Result<(), String> {
        let mut names = Vec::new();
        for t in tables {
            names.push(self.table(t)?.sql_name);
        }
        if self.in_tx {
            self.rollback();
        }
        let mut tx = self.client.transaction().map_err(|e| pg_err(&e))?;
        for t in tables {
            super::pg_ranges::forget(&mut tx, t)?;
        }
        tx.batch_execute(&format!("TRUNCATE ONLY {}", names.join(", ")))
            .and_then(|()| tx.commit())
            .map_err(|e| {
                format!(
                    "TRUNCATE {}: {}",
                    tables
                        .iter()
                        .map(|t| t.display())
                        .collect::<Vec<_>>()
                        .join(", "),
                    pg_err(&e)
                )
            })
    }

    /// Logs a state. `running` and `failed` are committed at once (a failure first rolls the
    /// table's transaction back); `done` is written inside it (see [`TargetConn::finish`]).
    /// A run's `failed` never replaces another run's `done` (a run that lost a range race to
    /// a run that finished the table).
    pub fn log(
        &mut self,
        t: &CopyTable,
        state: TableState,
        rows: Option<u64>,
        error: Option<&str>,
    ) -> Result<(), String> {
        if state != TableState::Done && self.in_tx {
            self.rollback();
        }
        let rows = rows.map(|n| n as i64);
        self.client
            .execute(
                LOG_UPSERT,
                &[
                    &t.owner,
                    &t.name,
                    &state.as_str(),
                    &rows,
                    &error,
                    &self.run_id,
                ],
            )
            .map(|_| ())
            .map_err(|e| pg_err(&e))
    }

    pub fn rollback(&mut self) {
        let _ = self.client.batch_execute("ROLLBACK");
        self.in_tx = false;
    }

    /// Opens the table's transaction and empties the table. A table that foreign keys still
    /// reference cannot be truncated on its own (the plan's 01_before_copy drops them): it is
    /// emptied with DELETE instead.
    pub fn begin_truncate(&mut self, t: &CopyTable) -> Result<(), String> {
        let name = self.table(t)?.sql_name;
        if self.in_tx {
            self.rollback();
        }
        self.client.batch_execute("BEGIN").map_err(|e| pg_err(&e))?;
        self.in_tx = true;
        if self.fk_checks_off {
            // A table in a reference cycle: its foreign keys are not checked during its load.
            self.client
                .batch_execute("SET LOCAL session_replication_role = replica")
                .map_err(|e| pg_err(&e))?;
        }
        self.truncated = false;
        // TRUNCATE and the COPY share one subtransaction (COPY FREEZE needs that): the
        // savepoint only serves to fall back to DELETE.
        self.client
            .batch_execute("SAVEPOINT charmig_truncate")
            .map_err(|e| pg_err(&e))?;
        match self.client.batch_execute(&format!("TRUNCATE ONLY {name}")) {
            Ok(()) => self.truncated = true,
            Err(e) if e.code().map(|c| c.code()) == Some("0A000") => {
                self.client
                    .batch_execute("ROLLBACK TO SAVEPOINT charmig_truncate")
                    .map_err(|e| pg_err(&e))?;
                // Referenced by a foreign key: emptied by DELETE, unless the key would carry
                // the deletion into another table (CASCADE, SET NULL, SET DEFAULT), which
                // this run does not copy again.
                // In a reference cycle the load runs with foreign-key triggers off: a DELETE
                // cascades nowhere.
                let keys: Vec<(String, String)> = if self.fk_checks_off {
                    Vec::new()
                } else {
                    self
                    .client
                    .query(
                        "SELECT c.conrelid::regclass::text, c.conrelid::regclass::text || ' (' || c.conname || ', ON DELETE ' || \
                                CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END || ')' \
                           FROM pg_catalog.pg_constraint c \
                          WHERE c.contype = 'f' AND c.confrelid = to_regclass($1) AND c.conrelid <> c.confrelid \
                            AND c.confdeltype IN ('c', 'n', 'd') ORDER BY 1",
                        &[&name],
                    )
                    .map_err(|e| pg_err(&e))?
                    .iter()
                    .map(|r| (r.get(0), r.get(1)))
                    .collect()
                };
                // Only a referencing table holding rows would change (one emptied together
                // with this one would not).
                let mut carried = Vec::new();
                for (rel, what) in keys {
                    let rows: bool = self
                        .client
                        .query_one(&format!("SELECT EXISTS (SELECT 1 FROM ONLY {rel})"), &[])
                        .map_err(|e| pg_err(&e))?
                        .get(0);
                    if rows {
                        carried.push(what);
                    }
                }
                if !carried.is_empty() {
                    return Err(format!(
                        "{name} cannot be emptied: TRUNCATE is refused (it is referenced by a foreign key), and a DELETE \
                         would change the rows of {} too. Copy those tables in the same run (then they are emptied \
                         together), or drop the keys for the copy (the plan's 01_before_copy does)",
                        carried.join(", ")
                    ));
                }
                self.client
                    .batch_execute(&format!("DELETE FROM ONLY {name}"))
                    .map_err(|e| pg_err(&e))?;
            }
            Err(e) => return Err(format!("TRUNCATE {name}: {}", pg_err(&e))),
        }
        Ok(())
    }

    pub fn count(&mut self, t: &CopyTable) -> Result<u64, String> {
        let name = self.table(t)?.sql_name;
        let n: i64 = self
            .client
            .query_one(&format!("SELECT count(*) FROM ONLY {name}"), &[])
            .map_err(|e| pg_err(&e))?
            .get(0);
        Ok(n as u64)
    }

    /// The target's checksum of the table (see [`super::text::row_checksum`]).
    pub fn checksum(&mut self, t: &CopyTable) -> Result<String, String> {
        Ok(self.checksum_and_count(t)?.0)
    }

    /// The target's checksum of the table and its row count, in one scan.
    pub fn checksum_and_count(&mut self, t: &CopyTable) -> Result<(String, u64), String> {
        let tt = self.table(t)?;
        let sql = super::text::target_checksum_sql(&tt.sql_name, &tt.column_list(), &tt.canon);
        let row = self.client.query_one(&sql, &[]).map_err(|e| pg_err(&e))?;
        Ok((row.get(0), row.get::<_, i64>(1) as u64))
    }

    /// Runs a plan step and logs it done in the plan log, in one transaction.
    pub fn run_step(&mut self, plan_id: &str, step: &crate::plan::Step) -> Result<(), String> {
        use crate::plan::apply::Executor;
        if self.in_tx {
            self.rollback();
        }
        if let Some(n) = self.build_workers
            && self.build_workers_set != Some(n)
        {
            self.client
                .batch_execute(&build_workers_sql(n))
                .map_err(|e| pg_err(&e))?;
            self.build_workers_set = Some(n);
        }
        crate::plan::apply::PgExecutor {
            client: &mut self.client,
        }
        .run_step(plan_id, step)
    }

    /// At most `n` parallel workers for this session's next index builds (applied by
    /// [`Self::run_step`]); see [`crate::copy::RunOptions::server_cores`].
    pub fn build_workers(&mut self, n: Option<usize>) {
        self.build_workers = n;
    }

    /// Records a failed plan step in the plan log.
    pub fn step_failed(&mut self, plan_id: &str, step: &crate::plan::Step, error: &str) {
        use crate::plan::apply::Executor;
        let _ = crate::plan::apply::PgExecutor {
            client: &mut self.client,
        }
        .record_failure(plan_id, step, error);
    }

    /// Opens a transaction (rolling back one left open).
    pub fn begin(&mut self) -> Result<(), String> {
        if self.in_tx {
            self.rollback();
        }
        self.client.batch_execute("BEGIN").map_err(|e| pg_err(&e))?;
        self.in_tx = true;
        Ok(())
    }

    /// Commits the open transaction.
    pub fn commit(&mut self) -> Result<(), String> {
        self.client
            .batch_execute("COMMIT")
            .map_err(|e| pg_err(&e))?;
        self.in_tx = false;
        self.truncated = false;
        Ok(())
    }

    /// Logs `done` with how the columns were read (`reading`, see
    /// [`super::pg_ranges::logged_reading`]) and commits the table's transaction (which also
    /// forgets the ranges of an earlier split copy of the table: it was emptied and copied
    /// whole).
    pub fn finish(&mut self, t: &CopyTable, rows: u64, reading: &str) -> Result<(), String> {
        self.log(t, TableState::Done, Some(rows), None)?;
        self.log_reading(t, reading)?;
        super::pg_ranges::forget(&mut self.client, t)?;
        self.commit()
    }

    /// Records in the table log how the table's columns were read by the run that finished it.
    pub fn log_reading(&mut self, t: &CopyTable, reading: &str) -> Result<(), String> {
        self.client
            .execute(
                "UPDATE charmig.charmig_copy_log SET reading = $3 WHERE table_owner = $1 AND table_name = $2",
                &[&t.owner, &t.name, &reading],
            )
            .map(|_| ())
            .map_err(|e| pg_err(&e))
    }
}
