//! The live PostgreSQL source: dictionary from pg_catalog, raw stored bytes through COPY,
//! several connections in parallel, and the problem-object report.
//!
//! - `connect`: connection string, libpq environment and `.pgpass`, actionable errors.
//! - `catalog`: tables (leaf partitions, not partitioned parents), columns, constraints,
//!   indexes, triggers, sequences.
//! - `copy`: `COPY … TO STDOUT (FORMAT text, ENCODING '<server encoding>')`, chunked at line
//!   ends and decoded on the scan workers.
//! - `objects`: the PostgreSQL analogues of the Oracle problem-object checks.
//!
//! Parallelism: the engine calls [`Source::read`] from several producer threads; each call
//! takes a connection from a pool (one per producer, opened on demand, at most `--jobs`).
//! Scan connections use the asynchronous driver on a private runtime (`connect::CopyConn`);
//! the dictionary and the problem-object checks use the synchronous one.
//! Tables larger than [`PART_PAGES`] pages are split into ctid block ranges of that fixed size
//! (TID range scans, PostgreSQL 14+), so the parts, and therefore every result, are the same
//! whatever `--jobs` is. Each part is its own COPY statement; every scan connection joins one
//! exported snapshot (REPEATABLE READ, READ ONLY), so a table written to during the scan is
//! read as of one moment, whatever the parts and connections.
//!
//! The row identifier of exceptions is the primary-key value when the table has a
//! single-column primary key, else the ctid.

pub mod canon;
pub(crate) mod catalog;
mod connect;
mod conninfo;
mod copy;
pub mod locale;
mod objects;
mod tls;

use super::db::{ConnectOptions, DbSource, ObjectsOptions};
use super::{Chunk, Part, Source, SourceError};
use crate::catalog::Catalog;
use crate::objects::ObjectReport;
use crate::plan::apply::{Executor, PgExecutor};
use crate::plan::model::Step;
use catalog::TableMeta;
use futures_util::StreamExt;
use postgres::Client;
use std::sync::{Arc, Mutex, OnceLock};

/// Pages per part when a table is split (16 MiB with the default 8 KiB block size): small
/// enough to keep every connection busy to the end of a large table, large enough that the
/// per-statement cost is nothing.
pub const PART_PAGES: u64 = 2048;
/// A long COPY, and the snapshot's idle transaction, must not be cut by the server's or the
/// role's timeouts (pg_dump sets the same).
const NO_TIMEOUTS: &str =
    "SET statement_timeout = 0; SET lock_timeout = 0; SET idle_in_transaction_session_timeout = 0;";
/// TID range scans (`WHERE ctid >= … AND ctid < …` read only those pages) exist from 14 on.
const TID_RANGE_SCAN_VERSION: i32 = 140_000;

/// The rows of blocks `from ..< to` (`to` `None`: to the end), as a `WHERE` condition that
/// PostgreSQL 14+ runs as a TID range scan (only those pages are read). The scan's parts and
/// the copy's split tables (`copy::split`) both read ranges through it.
pub fn ctid_filter(from: u64, to: Option<u64>) -> String {
    match to {
        None => format!("ctid >= '({from},0)'::tid"),
        Some(to) => format!("ctid >= '({from},0)'::tid AND ctid < '({to},0)'::tid"),
    }
}

/// Whether a host names this machine: a unix socket directory, `localhost` or a loopback
/// address (empty: libpq's default socket).
pub fn is_local_host(host: &str) -> bool {
    host.is_empty()
        || host.starts_with('/')
        || host.starts_with('@')
        || host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Identifiers are quoted by the one tested quoting function of the SQL layer.
pub(crate) use crate::dialect::postgres::ident as quote_ident;
/// The COPY text format's unescaping, for `charmig copy --verify`.
pub(crate) use copy::unescape as unescape_copy_field;

pub struct PgSource {
    target: connect::Target,
    catalog: Catalog,
    tables: Vec<TableMeta>,
    /// The server encoding as COPY's ENCODING option spells it.
    encoding: String,
    version_num: i32,
    block_size: u64,
    part_pages: u64,
    /// The dictionary connection, kept for the problem-object report.
    admin: Mutex<Option<Client>>,
    /// Scan connections, one per producer at most.
    pool: Mutex<Vec<connect::CopyConn>>,
    /// The exporting connection and the snapshot id scan connections join.
    snapshot: OnceLock<Option<(Mutex<Client>, String)>>,
    /// [`PgSource::charset_free_columns`] by table, read once (a copy asks at every range).
    charset_free: Mutex<std::collections::HashMap<usize, Vec<String>>>,
}

impl PgSource {
    /// Connects, reads the dictionary and keeps the connection for the first reader.
    pub fn connect(opts: &ConnectOptions) -> Result<PgSource, SourceError> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let mut target = connect::resolve(&opts.url, &env)?;
        let mut client = connect::connect(&mut target, opts.interactive)?;
        let describe = target.describe.clone();
        let db_err = |e: postgres::Error| match e.as_db_error() {
            Some(d) => SourceError::Database {
                object: describe.clone(),
                message: format!(
                    "reading the dictionary: {} (SQLSTATE {})",
                    d.message(),
                    d.code().code()
                ),
            },
            None => connect::explain(&target, &e),
        };
        let (catalog, tables) = catalog::load(&mut client).map_err(db_err)?;
        let row = client
            .query_one("SELECT current_setting('server_version_num')::int4, current_setting('block_size')::int8", &[])
            .map_err(db_err)?;
        let encoding = catalog.source.charset.clone();
        if !encoding
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(SourceError::Database {
                object: target.describe.clone(),
                message: format!("unexpected server_encoding `{encoding}`"),
            });
        }
        Ok(PgSource {
            catalog,
            tables,
            encoding,
            version_num: row.get(0),
            block_size: row.get::<_, i64>(1).max(1) as u64,
            part_pages: PART_PAGES,
            admin: Mutex::new(Some(client)),
            pool: Mutex::new(Vec::new()),
            snapshot: OnceLock::new(),
            charset_free: Mutex::new(std::collections::HashMap::new()),
            target,
        })
    }

    /// Changes the part size (pages) for tables split into ranges; tests use small parts.
    pub fn set_part_pages(&mut self, pages: u64) {
        self.part_pages = pages.max(1);
    }

    /// A pooled scan connection, or a new one reading in the scan's snapshot.
    fn take(&self) -> Result<connect::CopyConn, SourceError> {
        let pooled = self.pool.lock().expect("pool").pop();
        if let Some(c) = pooled.filter(|c| !c.client.is_closed()) {
            return Ok(c);
        }
        let conn = connect::connect_copy(&self.target)?;
        let join = match self.snapshot_id() {
            Some(id) => format!(
                " BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '{id}'"
            ),
            None => String::new(),
        };
        let sql = format!("{NO_TIMEOUTS}{join}");
        conn.rt
            .block_on(conn.client.batch_execute(sql.as_str()))
            .map_err(|e| SourceError::Database {
                object: self.target.describe.clone(),
                message: format!(
                    "preparing a scan connection (`{sql}`): {}",
                    connect::explain_text(&self.target, &e)
                ),
            })?;
        Ok(conn)
    }

    /// The snapshot every scan connection reads in, exported on first use by a connection that
    /// keeps its transaction open until the source is dropped (as pg_dump does), so all parts of
    /// a table are read as of one moment. Without it (a pooler that forbids exported
    /// snapshots) each part is read as of its own start, and a warning says so.
    fn snapshot_id(&self) -> Option<&str> {
        let exported = self.snapshot.get_or_init(|| {
            let export = || -> Result<(Client, String), SourceError> {
                let mut c = connect::connect(&mut self.target.clone(), false)?;
                let begin = format!("{NO_TIMEOUTS} BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
                c.batch_execute(&begin).map_err(|e| connect::explain(&self.target, &e))?;
                let id: String = c.query_one("SELECT pg_export_snapshot()", &[]).map_err(|e| connect::explain(&self.target, &e))?.get(0);
                Ok((c, id))
            };
            match export() {
                Ok((c, id)) if id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') => Some((Mutex::new(c), id)),
                Ok((_, id)) => {
                    eprintln!("warning: unexpected snapshot id `{id}`: each part is read as of its own start");
                    None
                }
                Err(e) => {
                    eprintln!("warning: no shared snapshot ({e}): each part of a table is read as of its own start");
                    None
                }
            }
        });
        exported.as_ref().map(|(_, id)| id.as_str())
    }

    fn copy_sql(&self, part: &Part, columns: &[usize]) -> String {
        let t = &self.catalog.tables[part.table];
        let meta = &self.tables[part.table];
        let mut cols = meta.rowid_sql.clone();
        for &c in columns {
            cols.push_str(", ");
            cols.push_str(&quote_ident(&t.columns[c].name));
        }
        let range = part
            .range
            .map(|(from, to)| {
                format!(
                    " WHERE {}",
                    ctid_filter(from, (to != u64::MAX).then_some(to))
                )
            })
            .unwrap_or_default();
        format!(
            "COPY (SELECT {cols} FROM ONLY {}{range}) TO STDOUT (FORMAT text, ENCODING '{}')",
            catalog::qualified(t),
            self.encoding
        )
    }

    fn read_error(&self, table: usize, e: &postgres::Error) -> SourceError {
        let object = self.catalog.tables[table].qualified();
        let message = match e.as_db_error() {
            Some(d) if d.code().code() == "42P01" => format!(
                "the table no longer exists (SQLSTATE 42P01: {}): dropped or renamed during the scan?",
                d.message()
            ),
            Some(d) if d.code().code() == "42501" => {
                format!(
                    "permission denied (SQLSTATE 42501: {}): GRANT SELECT on it to the scanning user",
                    d.message()
                )
            }
            Some(d) => format!("{} (SQLSTATE {})", d.message(), d.code().code()),
            None => format!("reading failed: {e}"),
        };
        SourceError::Database { object, message }
    }
}

impl PgSource {
    /// Runs a `COPY … TO STDOUT` on a scan connection and hands its output over in chunks cut
    /// at line ends, until the end or until `emit` returns false. The connection goes back to
    /// the pool only when the COPY was read to its end.
    fn stream_copy(
        &self,
        conn: connect::CopyConn,
        table: usize,
        sql: &str,
        layout: copy::CopyLayout,
        emit: &mut dyn FnMut(copy::CopyChunk) -> bool,
    ) -> Result<(), SourceError> {
        let fail = |e: postgres::Error| self.read_error(table, &e);
        let mut stream = Box::pin(conn.rt.block_on(conn.client.copy_out(sql)).map_err(fail)?);
        let mut chunker = copy::Chunker::new(Arc::new(layout));
        let mut ended = false;
        while !ended {
            // One runtime entry per chunk (not per row); `emit` runs outside the runtime, so it
            // may itself use a database client.
            let next = conn.rt.block_on(async {
                while let Some(piece) = stream.next().await {
                    if let Some(chunk) = chunker.push(&piece?) {
                        return Ok(Some(chunk));
                    }
                }
                ended = true;
                Ok::<_, postgres::Error>(chunker.finish())
            });
            let chunk = next.map_err(fail)?;
            if chunk.is_some_and(|c| !emit(c)) {
                // A COPY abandoned midway leaves the connection busy: it is not pooled.
                return Ok(());
            }
        }
        drop(stream);
        self.pool.lock().expect("pool").push(conn);
        Ok(())
    }
}

impl Source for PgSource {
    fn describe(&self) -> String {
        self.target.describe.clone()
    }

    fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    fn size_hint(&self, table: usize) -> u64 {
        self.tables[table].size
    }

    fn parts(&self, table: usize, _columns: &[usize]) -> Result<Vec<Part>, SourceError> {
        let pages = self.tables[table].size / self.block_size;
        if self.version_num < TID_RANGE_SCAN_VERSION || pages <= self.part_pages {
            return Ok(vec![Part {
                table,
                index: 0,
                range: None,
            }]);
        }
        let n = pages.div_ceil(self.part_pages);
        Ok((0..n)
            .map(|k| {
                let from = k * self.part_pages;
                // The last part is open-ended: the table may have grown since the dictionary read.
                let to = if k + 1 == n {
                    u64::MAX
                } else {
                    from + self.part_pages
                };
                Part {
                    table,
                    index: k as u32,
                    range: Some((from, to)),
                }
            })
            .collect())
    }

    fn read(
        &self,
        part: &Part,
        columns: &[usize],
        emit: &mut dyn FnMut(Box<dyn Chunk>) -> bool,
    ) -> Result<(), SourceError> {
        let sql = self.copy_sql(part, columns);
        let layout = copy::CopyLayout {
            table: self.catalog.tables[part.table].qualified(),
            ncols: columns.len(),
        };
        let conn = self.take()?;
        self.stream_copy(conn, part.table, &sql, layout, &mut |c| emit(Box::new(c)))
    }
}

/// Opens plain connections to a PostgreSQL database (libpq environment, `.pgpass`, a prompt
/// on a terminal), for the copy's target: the password asked once serves every connection.
#[derive(Clone)]
pub struct Connector(connect::Target);

impl Connector {
    pub fn open(url: &str, interactive: bool) -> Result<(Connector, Client), SourceError> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let mut target = connect::resolve(url, &env)?;
        let client = connect::connect(&mut target, interactive)?;
        Ok((Connector(target), client))
    }
    pub fn connect(&self) -> Result<Client, SourceError> {
        connect::connect(&mut self.0.clone(), false)
    }
    /// `postgres://user@host:port/db`, without the password.
    pub fn describe(&self) -> &str {
        &self.0.describe
    }
    /// The TLS settings in force (`sslmode=verify-full, sslrootcert=…`).
    pub fn tls_summary(&self) -> &str {
        &self.0.tls.summary
    }
    /// Whether the server runs on this machine.
    pub fn is_local(&self) -> bool {
        is_local_host(&self.0.host)
    }
    /// The user connected as.
    pub fn user(&self) -> &str {
        &self.0.user
    }
}

/// Resolves a connection string without connecting: `postgres://user@host:port/db` as charmig
/// shows it, or why it cannot be used (nothing of the string echoed).
pub fn describe_url(url: &str) -> Result<String, SourceError> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    connect::resolve(url, &env).map(|t| t.describe)
}

/// PostgreSQL's own types (`pg_catalog`, by `typname`) whose text form holds no stored
/// character: ASCII only, except `money`, whose currency symbol (lc_monetary) the server
/// writes itself in the database's charset, never from the data, so the server's conversion
/// is right for it whatever charset the data is read in. Left out on purpose: `"char"` (one
/// stored byte), `name`, the `reg*` types and `aclitem` (they print object names), json,
/// jsonb, jsonpath, xml, tsvector, tsquery, and every type outside `pg_catalog` (enums,
/// composite types, extensions' types).
pub const CHARSET_FREE_TYPES: &[&str] = &[
    "bool",
    "int2",
    "int4",
    "int8",
    "oid",
    "numeric",
    "float4",
    "float8",
    "money",
    "date",
    "time",
    "timetz",
    "timestamp",
    "timestamptz",
    "interval",
    "uuid",
    "bytea",
    "inet",
    "cidr",
    "macaddr",
    "macaddr8",
    "bit",
    "varbit",
    "point",
    "line",
    "lseg",
    "box",
    "path",
    "polygon",
    "circle",
    "int4range",
    "int8range",
    "numrange",
    "daterange",
    "tsrange",
    "tstzrange",
    "int4multirange",
    "int8multirange",
    "nummultirange",
    "datemultirange",
    "tsmultirange",
    "tstzmultirange",
    "pg_lsn",
    "xid",
    "xid8",
    "cid",
    "tid",
    "txid_snapshot",
    "pg_snapshot",
];

/// Output settings of copy reads: values print the same way on every server, so the target
/// parses them back exactly and `--verify` can checksum them (timestamps in UTC, ISO dates,
/// floats round-trip, bytea as hex).
const COPY_OUTPUT_SETTINGS: &str = "SET LOCAL DateStyle = ISO; SET LOCAL IntervalStyle = postgres; \
     SET LOCAL extra_float_digits = 3; SET LOCAL bytea_output = hex; SET LOCAL TimeZone = 'UTC';";

impl PgSource {
    /// Whole rows of a table for `charmig copy`: `COPY (SELECT columns FROM ONLY t [WHERE
    /// filter]) TO STDOUT` in the text format and the server's own encoding (the stored bytes,
    /// unconverted), read in the scan's snapshot and handed over in chunks cut at line ends.
    /// `filter` is SQL the caller built with quoted identifiers and literals. `emit` returns
    /// false to stop. Returns the rows read.
    pub fn read_text(
        &self,
        table: usize,
        columns: &[String],
        filter: Option<&str>,
        emit: &mut dyn FnMut(Vec<u8>) -> bool,
    ) -> Result<u64, SourceError> {
        let t = &self.catalog.tables[table];
        let cols = columns
            .iter()
            .map(|c| quote_ident(c))
            .collect::<Vec<_>>()
            .join(", ");
        let filter = filter.map(|f| format!(" WHERE {f}")).unwrap_or_default();
        let sql = format!(
            "COPY (SELECT {cols} FROM ONLY {}{filter}) TO STDOUT (FORMAT text, ENCODING '{}')",
            catalog::qualified(t),
            self.encoding
        );
        let conn = self.take()?;
        // Inside the snapshot's transaction SET LOCAL lasts until it ends; outside one (no
        // exported snapshot) it would not last, so plain SET is used there.
        let settings = if self.snapshot_id().is_some() {
            COPY_OUTPUT_SETTINGS.to_string()
        } else {
            COPY_OUTPUT_SETTINGS.replace("SET LOCAL", "SET")
        };
        conn.rt
            .block_on(conn.client.batch_execute(settings.as_str()))
            .map_err(|e| self.read_error(table, &e))?;
        let layout = copy::CopyLayout {
            table: t.qualified(),
            ncols: columns.len(),
        };
        let mut rows = 0u64;
        self.stream_copy(conn, table, &sql, layout, &mut |chunk| {
            rows += memchr::memchr_iter(b'\n', &chunk.data).count() as u64;
            emit(chunk.data)
        })?;
        Ok(rows)
    }
}

impl PgSource {
    /// Whether a table may be copied in block ranges on several connections: TID range scans
    /// (PostgreSQL 14+) and one exported snapshot every connection reads in (without it the
    /// ranges would be read as of different moments).
    pub fn can_split(&self) -> bool {
        self.version_num >= TID_RANGE_SCAN_VERSION && self.snapshot_id().is_some()
    }

    /// Whether the source server runs on this machine.
    pub fn is_local(&self) -> bool {
        is_local_host(&self.target.host)
    }

    /// The source's block size (bytes).
    pub fn block_size(&self) -> u64 {
        self.block_size
    }

    /// Before a table is read in ranges: takes `ACCESS SHARE` on it in the snapshot's own
    /// transaction (held until the source is dropped, as pg_dump does), so no `VACUUM FULL`,
    /// `CLUSTER` or rewriting `ALTER TABLE` can move its rows between the reads of two ranges;
    /// returns its file node, which such a rewrite changes (a resumed copy compares it).
    pub fn hold_for_split(&self, table: usize) -> Result<i64, SourceError> {
        let name = catalog::qualified(&self.catalog.tables[table]);
        let Some(Some((client, _))) = self.snapshot.get() else {
            return Err(SourceError::Database {
                object: self.catalog.tables[table].qualified(),
                message: "no exported snapshot: the table cannot be read in ranges".into(),
            });
        };
        let mut c = client.lock().expect("snapshot connection");
        c.batch_execute(&format!("LOCK TABLE ONLY {name} IN ACCESS SHARE MODE"))
            .and_then(|()| {
                c.query_one(
                    "SELECT pg_relation_filenode($1::text::regclass)::int8",
                    &[&name],
                )
            })
            .map(|r| r.get::<_, Option<i64>>(0).unwrap_or(0))
            .map_err(|e| self.read_error(table, &e))
    }

    /// The identity of the rows of blocks `from ..< to` in the snapshot: their count and the
    /// sum of a 64-bit hash of each row version's (ctid, xmin), as `count:sum`. A row version
    /// is never changed in place, so an equal fingerprint in a later snapshot (same file node)
    /// means the same rows: what a resumed copy checks before it keeps a range copied by an
    /// earlier run.
    pub fn range_fingerprint(
        &self,
        table: usize,
        from: u64,
        to: Option<u64>,
    ) -> Result<String, SourceError> {
        let sql = format!(
            "SELECT count(*)::text || ':' || coalesce(sum(hashtidextended(ctid, xmin::text::int8)), 0)::text FROM ONLY {} WHERE {}",
            catalog::qualified(&self.catalog.tables[table]),
            ctid_filter(from, to)
        );
        let conn = self.take()?;
        let row = conn
            .rt
            .block_on(conn.client.query_one(sql.as_str(), &[]))
            .map_err(|e| self.read_error(table, &e))?;
        self.pool.lock().expect("pool").push(conn);
        Ok(row.get(0))
    }

    /// How each column of `table` is compared (see [`canon`]): its element type through every
    /// domain and array, by name.
    pub fn canon_columns(&self, table: usize) -> Result<Vec<(String, canon::Canon)>, SourceError> {
        let sql = format!(
            "SELECT a.attname::text, {} FROM pg_catalog.pg_attribute a \
              WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            canon::BASE_SQL
        );
        let name = catalog::qualified(&self.catalog.tables[table]);
        let conn = self.take()?;
        let rows = conn
            .rt
            .block_on(conn.client.query(sql.as_str(), &[&name]))
            .map_err(|e| self.read_error(table, &e))?;
        self.pool.lock().expect("pool").push(conn);
        Ok(rows
            .iter()
            .map(|r| {
                let base: Option<Vec<Option<String>>> = r.get(1);
                let c = match base.as_deref() {
                    Some([base, array]) => {
                        canon::Canon::of_base(base.as_deref(), array.as_deref() == Some("true"))
                    }
                    _ => canon::Canon::PLAIN,
                };
                (r.get(0), c)
            })
            .collect())
    }

    /// The columns of a table whose text form holds no stored character (see
    /// [`CHARSET_FREE_TYPES`]): their type, through domains and arrays, is one of PostgreSQL's
    /// own types the server prints from numbers, dates, addresses …, so no charset reading
    /// applies to them. Every other column may print stored characters of the database's
    /// charset (text, but also json, xml, arrays of text, enums, composite types, extensions'
    /// types such as hstore or citext). Decided by the type's OID in the source, so a user's
    /// type named like a built-in one (`app.point`) is not taken for it.
    pub fn charset_free_columns(&self, table: usize) -> Result<Vec<String>, SourceError> {
        if let Some(known) = self.charset_free.lock().expect("charset_free").get(&table) {
            return Ok(known.clone());
        }
        let names = CHARSET_FREE_TYPES
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(", ");
        // Domains resolve to their base type, arrays (and int2vector, oidvector) to their
        // element: the last type of the chain decides.
        let sql = format!(
            "SELECT a.attname::text FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 AND NOT a.attisdropped
                AND NOT EXISTS (
                  WITH RECURSIVE b(oid) AS (
                    SELECT a.atttypid
                    UNION ALL
                    SELECT CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.typelem END
                      FROM b JOIN pg_catalog.pg_type ty ON ty.oid = b.oid
                     WHERE ty.typtype = 'd' OR (ty.typelem <> 0 AND ty.typlen = -1))
                  SELECT 1 FROM b JOIN pg_catalog.pg_type ty ON ty.oid = b.oid
                   WHERE NOT (ty.typtype = 'd' OR (ty.typelem <> 0 AND ty.typlen = -1))
                     AND NOT (ty.typnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog')
                              AND ty.typname::text IN ({names})))
              ORDER BY a.attnum"
        );
        let name = catalog::qualified(&self.catalog.tables[table]);
        let conn = self.take()?;
        let rows = conn
            .rt
            .block_on(conn.client.query(sql.as_str(), &[&name]))
            .map_err(|e| self.read_error(table, &e))?;
        self.pool.lock().expect("pool").push(conn);
        let free: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
        self.charset_free
            .lock()
            .expect("charset_free")
            .insert(table, free.clone());
        Ok(free)
    }

    /// The server encoding as COPY's ENCODING option and `convert_to` spell it.
    pub fn server_encoding(&self) -> &str {
        &self.encoding
    }

    /// Whole rows of a table for `charmig copy`'s binary path: `COPY (SELECT exprs FROM ONLY t
    /// [WHERE filter]) TO STDOUT (FORMAT binary)` in the scan's snapshot, handed over in pieces
    /// of about 1 MiB cut anywhere (the reader of the binary format keeps what is cut off).
    /// `exprs` are SQL expressions the caller built with quoted identifiers: character columns
    /// are read as `col::text`, whose binary form is the text in the session's encoding. So the
    /// COPY runs with `client_encoding` set to the server encoding, where the server converts
    /// nothing and sends the stored bytes (`convert_to(col, '<server encoding>')` gives the
    /// same bytes, at almost twice the source's time: `scripts/bench_copy_parts.sh`). The
    /// statement is parsed before the switch, so its names arrive as sent; the session goes
    /// back to UTF8 before it returns to the pool, and a session that fails or stops mid-COPY
    /// is dropped. `emit` returns false to stop.
    pub fn read_binary(
        &self,
        table: usize,
        exprs: &[String],
        filter: Option<&str>,
        emit: &mut dyn FnMut(Vec<u8>) -> bool,
    ) -> Result<(), SourceError> {
        let t = &self.catalog.tables[table];
        let filter = filter.map(|f| format!(" WHERE {f}")).unwrap_or_default();
        let sql = format!(
            "COPY (SELECT {} FROM ONLY {}{filter}) TO STDOUT (FORMAT binary)",
            exprs.join(", "),
            catalog::qualified(t)
        );
        let conn = self.take()?;
        let fail = |e: postgres::Error| self.read_error(table, &e);
        // Parsed while the session is still in UTF8: the statement's names (accented ones
        // too) are read as what charmig sent; only the rows travel in the server encoding.
        let statement = conn
            .rt
            .block_on(conn.client.prepare(sql.as_str()))
            .map_err(fail)?;
        let raw = format!(
            "SET client_encoding = {}",
            crate::dialect::postgres::literal(&self.encoding)
        );
        conn.rt
            .block_on(conn.client.batch_execute(raw.as_str()))
            .map_err(fail)?;
        let mut stream = Box::pin(
            conn.rt
                .block_on(conn.client.copy_out(&statement))
                .map_err(fail)?,
        );
        let mut ended = false;
        while !ended {
            let next = conn.rt.block_on(async {
                let mut buf = Vec::with_capacity(copy::CHUNK_BYTES + (64 << 10));
                while let Some(piece) = stream.next().await {
                    buf.extend_from_slice(&piece?);
                    if buf.len() >= copy::CHUNK_BYTES {
                        return Ok(buf);
                    }
                }
                ended = true;
                Ok::<_, postgres::Error>(buf)
            });
            let buf = next.map_err(fail)?;
            if !buf.is_empty() && !emit(buf) {
                return Ok(());
            }
        }
        drop(stream);
        conn.rt
            .block_on(conn.client.batch_execute("SET client_encoding = 'UTF8'"))
            .map_err(fail)?;
        self.pool.lock().expect("pool").push(conn);
        Ok(())
    }
}

/// `charmig apply` on this database: the dictionary connection, held for the whole run.
struct HeldExecutor<'a>(std::sync::MutexGuard<'a, Option<Client>>);

impl HeldExecutor<'_> {
    fn exec(&mut self) -> PgExecutor<'_> {
        PgExecutor {
            client: self.0.as_mut().expect("connected"),
        }
    }
}

impl Executor for HeldExecutor<'_> {
    fn prepare(&mut self) -> Result<(), String> {
        self.exec().prepare()
    }
    fn done_steps(&mut self, plan_id: &str) -> Result<std::collections::HashSet<String>, String> {
        self.exec().done_steps(plan_id)
    }
    fn run_step(&mut self, plan_id: &str, step: &Step) -> Result<(), String> {
        self.exec().run_step(plan_id, step)
    }
    fn record_failure(&mut self, plan_id: &str, step: &Step, error: &str) -> Result<(), String> {
        self.exec().record_failure(plan_id, step, error)
    }
}

impl PgSource {
    /// The dictionary connection, reopened if the server closed it.
    fn admin(&self) -> Result<std::sync::MutexGuard<'_, Option<Client>>, SourceError> {
        let mut admin = self.admin.lock().expect("admin connection");
        if admin.as_ref().is_none_or(|c| c.is_closed()) {
            *admin = Some(connect::connect(&mut self.target.clone(), false)?);
        }
        Ok(admin)
    }
}

impl DbSource for PgSource {
    fn pg_clean(
        &self,
        work: &mut dyn FnMut(
            &mut postgres::Client,
            &crate::catalog::Catalog,
        ) -> Result<crate::clean::pg_apply::Applied, String>,
    ) -> Result<crate::clean::pg_apply::Applied, SourceError> {
        let mut admin = self.admin()?;
        work(admin.as_mut().expect("connected"), &self.catalog).map_err(|message| {
            SourceError::Database {
                object: self.target.describe.clone(),
                message,
            }
        })
    }

    fn clean_restore(
        &self,
        audit_schema: &str,
        audit: crate::clean::oracle_script::Audit,
        tables: &[String],
    ) -> Result<crate::clean::pg_restore::Restored, SourceError> {
        let mut admin = self.admin()?;
        crate::clean::pg_restore::restore(
            admin.as_mut().expect("connected"),
            &self.catalog,
            audit_schema,
            audit,
            tables,
        )
        .map_err(|message| SourceError::Database {
            object: self.target.describe.clone(),
            message,
        })
    }

    fn executor(&self) -> Result<Box<dyn Executor + '_>, SourceError> {
        Ok(Box::new(HeldExecutor(self.admin()?)))
    }

    fn problem_objects(&self, opts: &ObjectsOptions) -> Result<ObjectReport, SourceError> {
        let mut admin = self.admin()?;
        objects::report(self, admin.as_mut().expect("connected"), opts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_hosts_and_range_filters() {
        for h in [
            "",
            "/var/run/postgresql",
            "localhost",
            "127.0.0.1",
            "::1",
            "@abstract",
        ] {
            assert!(is_local_host(h), "{h}");
        }
        for h in ["db.example.com", "10.0.0.5", "192.168.1.1", "fe80::1"] {
            assert!(!is_local_host(h), "{h}");
        }
        assert_eq!(
            ctid_filter(10, Some(20)),
            "ctid >= '(10,0)'::tid AND ctid < '(20,0)'::tid"
        );
        assert_eq!(ctid_filter(20, None), "ctid >= '(20,0)'::tid");
    }
}
