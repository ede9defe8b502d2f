//! The live Oracle source: one dictionary connection, one more connection per scan producer
//! (the engine calls `read` from several threads; a shared OCI connection would serialise
//! them), array fetch, ROWID-range parts (from DBA_/USER_EXTENTS, or split points when only
//! ALL_ views are readable; sizes fixed, never derived from `--jobs`), raw bytes into batches.
//!
//! Everything this file sends is built in `sql.rs` (golden-tested) and every decision about
//! how to read a column or cut a table is made in `layout.rs` (unit-tested); this file only
//! runs statements and moves bytes. It cannot be tested on machines without an Oracle server:
//! `tests/oracle/` holds the live tests (CHARMIG_ORACLE_URL).

use super::chunk::RawChunk;
use super::connect::{self, ConnectSpec};
use super::dictionary::{self, DictRows, Row};
use super::layout::{self, DbTraits, Extent, RANGE_BLOCKS, RowidRange};
use super::sql::{self, Family, Maintained, ReadColumn, Scope, Stmt};
use crate::catalog::Catalog;
use crate::objects::ObjectReport;
use crate::source::db::{ConnectOptions, DbSource, ObjectsOptions};
use crate::source::{Chunk, LeftOut, Part, Source, SourceError};
use oracle::sql_type::{InnerValue, OracleType, ToSql};
use oracle::{Connection, Connector};
use std::collections::HashMap;
use std::sync::Mutex;

/// Rows per fetch round trip and per OCI prefetch for dictionary queries (data queries:
/// `layout::fetch_array_size`).
const FETCH_ARRAY_SIZE: u32 = 1000;
/// Rows per chunk handed to the scan workers.
const CHUNK_ROWS: usize = 5000;

/// ORA-00942: table or view does not exist (a dictionary family not granted).
const ORA_TABLE_NOT_FOUND: i32 = 942;

pub struct OracleSource {
    spec: ConnectSpec,
    password: Option<String>,
    dict: Mutex<Connection>,
    idle: Mutex<Vec<Connection>>,
    family: Family,
    traits: DbTraits,
    catalog: Catalog,
    skipped: Vec<LeftOut>,
    sizes: Vec<u64>,
    /// Blocks per table (statistics), for splitting tables without readable extents.
    blocks: Vec<u64>,
    partition_keys: Vec<(String, String, String)>,
    /// The scope the catalog was read with (all schemas, Oracle-maintained excluded).
    scope: Scope,
    ranges: Mutex<HashMap<usize, Vec<RowidRange>>>,
}

fn ora_code(e: &oracle::Error) -> Option<i32> {
    e.db_error().map(|d| d.code()).filter(|&c| c != 0)
}

fn db_err(object: &str, e: oracle::Error) -> SourceError {
    SourceError::Database {
        object: object.to_string(),
        message: e.to_string(),
    }
}

fn open_connection(spec: &ConnectSpec, password: Option<&str>) -> Result<Connection, SourceError> {
    let mut c = Connector::new(
        spec.user.as_deref().unwrap_or(""),
        password.unwrap_or(""),
        spec.connect_string.as_str(),
    );
    c.external_auth(spec.external_auth);
    c.driver_name("charmig");
    let conn = c.connect().map_err(|e| {
        SourceError::Other(connect::explain_connect_error(
            spec,
            ora_code(&e),
            e.dpi_code(),
            &e.to_string(),
        ))
    })?;
    // Identify charmig in V$SESSION; a failure here is not worth failing the run.
    let _ = conn.set_module("charmig");
    Ok(conn)
}

/// Runs a query and returns its rows as text (column names lower-cased).
/// The types binds go out as: VARCHAR2. rust-oracle binds `&str` and `String` as NVARCHAR2,
/// which makes Oracle convert the VARCHAR2 column of `e.owner = :1` to NVARCHAR2 and read every
/// row (every extent of DBA_EXTENTS, once per table) instead of using its index.
fn varchar2_types(binds: &[String]) -> Vec<OracleType> {
    binds
        .iter()
        .map(|b| OracleType::Varchar2(b.len().max(1) as u32))
        .collect()
}

fn query_rows(conn: &Connection, what: &str, stmt: &Stmt) -> Result<Vec<Row>, oracle::Error> {
    let types = varchar2_types(&stmt.binds);
    let typed: Vec<(&String, &OracleType)> = stmt.binds.iter().zip(&types).collect();
    let binds: Vec<&dyn ToSql> = typed.iter().map(|b| b as &dyn ToSql).collect();
    let mut st = conn
        .statement(&stmt.sql)
        .fetch_array_size(FETCH_ARRAY_SIZE)
        .prefetch_rows(FETCH_ARRAY_SIZE)
        .build()?;
    let rs = st.query(&binds)?;
    let names: Vec<String> = rs
        .column_info()
        .iter()
        .map(|c| c.name().to_ascii_lowercase())
        .collect();
    let mut out = Vec::new();
    for row in rs {
        let row = row?;
        let mut r = Row::new();
        for (i, n) in names.iter().enumerate() {
            r.insert(n.clone(), row.get::<usize, Option<String>>(i)?);
        }
        out.push(r);
    }
    tracing::debug!(what, rows = out.len(), "dictionary query");
    Ok(out)
}

/// Plain connections to an Oracle database (the copy's target): the connect string and the
/// password resolved once (CHARMIG_PASSWORD or a prompt), then as many connections as needed.
pub struct OracleConnector {
    spec: ConnectSpec,
    password: Option<String>,
}

impl OracleConnector {
    pub fn open(
        url: &str,
        external_auth: bool,
        interactive: bool,
    ) -> Result<OracleConnector, SourceError> {
        let spec =
            connect::parse(url, external_auth).map_err(|e| SourceError::Other(e.to_string()))?;
        oracle::Version::client().map_err(|e| {
            SourceError::Other(connect::explain_connect_error(
                &spec,
                ora_code(&e),
                e.dpi_code(),
                &e.to_string(),
            ))
        })?;
        let password = connect::password(
            &spec,
            std::env::var("CHARMIG_PASSWORD").ok(),
            interactive,
            |p| rpassword::prompt_password(p),
        )?;
        Ok(OracleConnector { spec, password })
    }
    pub fn connect(&self) -> Result<Connection, SourceError> {
        open_connection(&self.spec, self.password.as_deref())
    }
    pub fn describe(&self) -> String {
        self.spec.describe()
    }
}

impl OracleSource {
    pub fn connect(opts: &ConnectOptions) -> Result<OracleSource, SourceError> {
        let spec = connect::parse(&opts.url, opts.external_auth)
            .map_err(|e| SourceError::Other(e.to_string()))?;
        // Load the client library before asking for a password: without it there is nothing
        // a password could do (DPI-1047).
        oracle::Version::client().map_err(|e| {
            SourceError::Other(connect::explain_connect_error(
                &spec,
                ora_code(&e),
                e.dpi_code(),
                &e.to_string(),
            ))
        })?;
        let password = connect::password(
            &spec,
            std::env::var("CHARMIG_PASSWORD").ok(),
            opts.interactive,
            |p| rpassword::prompt_password(p),
        )?;
        let conn = open_connection(&spec, password.as_deref())?;
        let who = spec.describe();
        let (version, _) = conn.server_version().map_err(|e| db_err(&who, e))?;
        let nls = query_rows(&conn, "nls", &sql::nls_parameters())
            .map_err(|e| db_err("NLS_DATABASE_PARAMETERS", e))?;
        let mss = match query_rows(&conn, "max_string_size", &sql::max_string_size()) {
            Ok(rows) if !rows.is_empty() => dictionary::max_string_size_from(
                rows[0].get("value").and_then(|v| v.as_deref()),
                None,
            ),
            // No V$PARAMETER access (or no such parameter before 12.1): probe.
            _ => {
                let rows = query_rows(
                    &conn,
                    "max_string_size_probe",
                    &sql::max_string_size_probe(),
                )
                .map_err(|e| db_err("MAX_STRING_SIZE probe", e))?;
                let len = rows
                    .first()
                    .and_then(|r| r.get("len").cloned().flatten())
                    .and_then(|v| v.parse().ok());
                dictionary::max_string_size_from(None, len)
            }
        };
        let mut info = dictionary::source_info(&nls, &version.to_string(), mss)
            .map_err(|e| SourceError::Other(e.to_string()))?;
        // Identity: CON_DBID (12.1+, no grant), else V$DATABASE; unknown without either.
        info.identity = query_rows(&conn, "identity", &sql::identity())
            .ok()
            .and_then(|rows| dictionary::identity_from(&rows))
            .or_else(|| {
                query_rows(&conn, "identity", &sql::identity_v_database())
                    .ok()
                    .and_then(|rows| dictionary::identity_from(&rows))
            });
        let family = pick_family(&conn)?;
        let traits = DbTraits {
            charset: info.charset.clone(),
            nchar_charset: info
                .nchar_charset
                .clone()
                .unwrap_or_else(|| "AL16UTF16".into()),
            max_string_size: mss,
            major: version.major(),
        };
        let scope = Scope {
            family,
            schemas: Vec::new(),
            maintained: maintained_mode(version.major(), false),
            version: (version.major().max(0) as u32, version.minor().max(0) as u32),
        };
        let (mut rows, table_rows) = load_dictionary(&conn, &scope, false)?;
        let keys = sql::partition_keys(&scope);
        rows.partition_keys = query_rows(&conn, "partition_keys", &keys)
            .map_err(|e| db_err(&format!("{}PART_KEY_COLUMNS", family.prefix()), e))?;
        let mapped = dictionary::map_catalog(info, &rows, false)
            .map_err(|e| SourceError::Other(e.to_string()))?;
        // (size in bytes, blocks) per table, from the statistics.
        let stats: HashMap<(String, String), (u64, u64)> = table_rows
            .iter()
            .filter_map(|r| {
                let g = |k: &str| r.get(k).cloned().flatten();
                let n = |k: &str| g(k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
                Some((
                    (g("owner")?, g("table_name")?),
                    (n("num_rows") * n("avg_row_len"), n("blocks")),
                ))
            })
            .collect();
        let stat = |t: &crate::catalog::Table| {
            stats
                .get(&(t.owner.clone(), t.name.clone()))
                .copied()
                .unwrap_or((0, 0))
        };
        let sizes = mapped.catalog.tables.iter().map(|t| stat(t).0).collect();
        let blocks = mapped.catalog.tables.iter().map(|t| stat(t).1).collect();
        for s in &mapped.skipped {
            tracing::info!(object = %s.object(), reason = %s.reason, "not scanned");
        }
        Ok(OracleSource {
            spec,
            password,
            dict: Mutex::new(conn),
            idle: Mutex::new(Vec::new()),
            family,
            traits,
            catalog: mapped.catalog,
            skipped: mapped.skipped,
            sizes,
            blocks,
            partition_keys: dictionary::partition_keys(&rows.partition_keys),
            scope,
            ranges: Mutex::new(HashMap::new()),
        })
    }

    /// The dictionary view family in use (`DBA_`, `ALL_`, `USER_`).
    pub fn family(&self) -> Family {
        self.family
    }

    fn take_connection(&self) -> Result<Connection, SourceError> {
        if let Some(c) = self.idle.lock().expect("connection pool").pop() {
            return Ok(c);
        }
        open_connection(&self.spec, self.password.as_deref())
    }

    fn give_back(&self, c: Connection) {
        self.idle.lock().expect("connection pool").push(c);
    }
}

pub(super) fn maintained_mode(major: i32, include: bool) -> Maintained {
    match (include, major >= 12) {
        (true, _) => Maintained::Include,
        (false, true) => Maintained::ByFlag,
        (false, false) => Maintained::ByList,
    }
}

/// DBA_, else ALL_ (on ORA-00942), else USER_.
fn pick_family(conn: &Connection) -> Result<Family, SourceError> {
    let mut last = None;
    for f in Family::ORDER {
        match query_rows(conn, "probe", &sql::probe(f)) {
            Ok(_) => return Ok(f),
            Err(e) if ora_code(&e) == Some(ORA_TABLE_NOT_FOUND) => last = Some(e),
            Err(e) => return Err(db_err(&format!("{}TAB_COLS", f.prefix()), e)),
        }
    }
    Err(SourceError::Other(format!(
        "no dictionary view is readable (DBA_, ALL_ and USER_TAB_COLS all gave ORA-00942): {}",
        last.map(|e| e.to_string()).unwrap_or_default()
    )))
}

/// Reads the dictionary queries of `scope` (only tables and columns unless `with_objects`);
/// returns the rows and the TABLES rows.
pub(super) fn load_dictionary(
    conn: &Connection,
    scope: &Scope,
    with_objects: bool,
) -> Result<(DictRows, Vec<Row>), SourceError> {
    let mut rows = DictRows::default();
    for (name, stmt) in sql::dictionary_queries(scope) {
        if !with_objects && !matches!(name, "tables" | "columns") {
            continue;
        }
        let got = query_rows(conn, name, &stmt).map_err(|e| {
            db_err(
                &format!("{}{}", scope.family.prefix(), name.to_uppercase()),
                e,
            )
        })?;
        rows.set(name, got);
    }
    let tables = rows.tables.clone();
    Ok((rows, tables))
}

impl Source for OracleSource {
    fn describe(&self) -> String {
        format!(
            "oracle {} ({} views; {})",
            self.spec.describe(),
            self.family.prefix(),
            layout::exactness(&self.traits)
        )
    }

    fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    fn left_out(&self) -> Vec<LeftOut> {
        self.skipped.clone()
    }

    fn size_hint(&self, table: usize) -> u64 {
        self.sizes.get(table).copied().unwrap_or(0)
    }

    fn parts(&self, table: usize, columns: &[usize]) -> Result<Vec<Part>, SourceError> {
        let t = &self.catalog.tables[table];
        let cols: Vec<_> = columns.iter().map(|&c| &t.columns[c]).collect();
        layout::read_columns(&cols, &self.traits).map_err(|e| SourceError::Database {
            object: t.qualified(),
            message: e.0,
        })?;
        let conn = self.dict.lock().expect("dictionary connection");
        let ranges: Vec<RowidRange> = match sql::extents(self.family, &t.owner, &t.name) {
            Some(stmt) => {
                let rows =
                    query_rows(&conn, "extents", &stmt).map_err(|e| db_err(&t.qualified(), e))?;
                let ext: Vec<Extent> = rows
                    .iter()
                    .filter_map(|r| {
                        let g = |k: &str| r.get(k).cloned().flatten();
                        Some(Extent {
                            lo: g("lo")?,
                            hi: g("hi")?,
                            blocks: g("blocks")?.parse().ok()?,
                            data_object_id: g("data_object_id")?.parse().ok()?,
                        })
                    })
                    .collect();
                let groups = layout::group_extents(&ext, RANGE_BLOCKS);
                // No segment yet (deferred segment creation): one part reading the (empty) table.
                if groups.is_empty() {
                    vec![RowidRange::Whole]
                } else {
                    groups
                        .into_iter()
                        .map(|(lo, hi)| RowidRange::Between(lo, hi))
                        .collect()
                }
            }
            // ALL_ views have no extents: split points from the table's ROWIDs when it is big.
            None => match layout::split_groups(self.blocks.get(table).copied().unwrap_or(0)) {
                1 => vec![RowidRange::Whole],
                n => {
                    let q = Stmt {
                        sql: sql::rowid_split_points(&t.owner, &t.name).map_err(|e| {
                            SourceError::Database {
                                object: t.qualified(),
                                message: e.to_string(),
                            }
                        })?,
                        binds: vec![n.to_string()],
                    };
                    let rows = query_rows(&conn, "split points", &q)
                        .map_err(|e| db_err(&t.qualified(), e))?;
                    let firsts: Vec<String> = rows
                        .iter()
                        .filter_map(|r| r.get("lo").cloned().flatten())
                        .collect();
                    layout::split_ranges(&firsts)
                }
            },
        };
        drop(conn);
        let parts = (0..ranges.len())
            .map(|k| Part {
                table,
                index: k as u32,
                range: Some((k as u64, k as u64)),
            })
            .collect();
        self.ranges.lock().expect("ranges").insert(table, ranges);
        Ok(parts)
    }

    fn read(
        &self,
        part: &Part,
        columns: &[usize],
        emit: &mut dyn FnMut(Box<dyn Chunk>) -> bool,
    ) -> Result<(), SourceError> {
        let t = &self.catalog.tables[part.table];
        let cols: Vec<_> = columns.iter().map(|&c| &t.columns[c]).collect();
        let plan =
            layout::read_columns(&cols, &self.traits).map_err(|e| SourceError::Database {
                object: t.qualified(),
                message: e.0,
            })?;
        // CLOBs of an AL32UTF8 database are read as Text, but are just as large.
        let clobs = cols.iter().any(|c| {
            matches!(
                c.kind(crate::charset::Dialect::Oracle),
                crate::catalog::ColumnKind::Clob | crate::catalog::ColumnKind::Long
            )
        });
        self.read_plan(part, &plan, clobs, CHUNK_ROWS, emit)
    }
}

impl OracleSource {
    /// The database traits the read plan is decided from.
    pub fn traits(&self) -> &DbTraits {
        &self.traits
    }

    /// Runs a dictionary query on the dictionary connection; rows keyed by lower-case names.
    pub fn query(&self, what: &str, stmt: &Stmt) -> Result<Vec<Row>, SourceError> {
        let conn = self.dict.lock().expect("dictionary connection");
        query_rows(&conn, what, stmt).map_err(|e| db_err(what, e))
    }

    /// Reads one part (from [`Source::parts`]) with a given read plan, in raw chunks (the
    /// ROWID, then each planned column's cell) of at most `chunk_rows` rows. `big`: the row
    /// carries LOB-sized values (smaller fetch arrays).
    pub fn read_plan(
        &self,
        part: &Part,
        plan: &[ReadColumn],
        big: bool,
        chunk_rows: usize,
        emit: &mut dyn FnMut(Box<dyn Chunk>) -> bool,
    ) -> Result<(), SourceError> {
        let t = &self.catalog.tables[part.table];
        let range = self
            .ranges
            .lock()
            .expect("ranges")
            .get(&part.table)
            .and_then(|r| r.get(part.index as usize).cloned());
        let (shape, binds) = range.unwrap_or(RowidRange::Whole).sql();
        let sql = sql::data_select(&t.owner, &t.name, plan, shape).map_err(|e| {
            SourceError::Database {
                object: t.qualified(),
                message: e.to_string(),
            }
        })?;
        let conn = self.take_connection()?;
        let array = layout::fetch_array_size(plan, big);
        let result = fetch(&conn, &sql, array, chunk_rows, &binds, plan, emit)
            .map_err(|e| db_err(&t.qualified(), e));
        // A connection whose statement failed is dropped rather than reused.
        if result.is_ok() {
            self.give_back(conn);
        }
        result
    }
}

/// Fetches a part and emits chunks of raw cells.
fn fetch(
    conn: &Connection,
    sql: &str,
    array: u32,
    chunk_rows: usize,
    binds: &[String],
    plan: &[ReadColumn],
    emit: &mut dyn FnMut(Box<dyn Chunk>) -> bool,
) -> Result<(), oracle::Error> {
    let mut st = conn
        .statement(sql)
        .fetch_array_size(array)
        .prefetch_rows(array)
        .build()?;
    let types = varchar2_types(binds);
    let typed: Vec<(&String, &OracleType)> = binds.iter().zip(&types).collect();
    let params: Vec<&dyn ToSql> = typed.iter().map(|b| b as &dyn ToSql).collect();
    let rs = st.query(&params)?;
    let mut chunk = RawChunk::new(plan.len());
    for row in rs {
        let row = row?;
        let items = row
            .sql_values()
            .iter()
            .map(bytes_of)
            .collect::<Result<Vec<_>, _>>()?;
        chunk.push_row(&items, plan);
        if chunk.rows() >= chunk_rows.max(1) {
            let full = std::mem::replace(&mut chunk, RawChunk::new(plan.len()));
            if !emit(Box::new(full)) {
                return Ok(());
            }
        }
    }
    if chunk.rows() > 0 {
        emit(Box::new(chunk));
    }
    Ok(())
}

/// The bytes in the fetch buffer, unconverted: RAW/BLOB as stored, character data as the
/// client received it (exact only for AL32UTF8 databases; see layout.rs).
fn bytes_of<'a>(v: &'a oracle::SqlValue) -> Result<Option<&'a [u8]>, oracle::Error> {
    if v.is_null()? {
        return Ok(None);
    }
    match v.as_inner_value()? {
        InnerValue::Raw(b) | InnerValue::Char(b) => Ok(Some(b)),
        other => Err(oracle::Error::new(
            oracle::ErrorKind::InvalidTypeConversion,
            format!("charmig expected RAW or character data, got {other:?}"),
        )),
    }
}

impl DbSource for OracleSource {
    fn script_index_ddl(&self, catalog: &mut Catalog) -> Result<(), SourceError> {
        let conn = self.dict.lock().expect("dictionary connection");
        let t = super::ddl::transforms();
        conn.execute(&t.sql, &[])
            .map_err(|e| db_err("DBMS_METADATA session transforms", e))?;
        for i in catalog
            .indexes
            .iter_mut()
            .filter(|i| i.constraint.is_none() && i.ddl.is_none())
        {
            let stmt = super::ddl::index_ddl(&i.owner, &i.name);
            let types = varchar2_types(&stmt.binds);
            let typed: Vec<(&String, &OracleType)> = stmt.binds.iter().zip(&types).collect();
            let binds: Vec<&dyn ToSql> = typed.iter().map(|b| b as &dyn ToSql).collect();
            let row = conn.query_row(&stmt.sql, &binds).map_err(|e| {
                db_err(
                    &format!("DBMS_METADATA.GET_DDL for index {}.{}", i.owner, i.name),
                    e,
                )
            })?;
            i.ddl = row
                .get::<usize, Option<String>>(0)
                .map_err(|e| db_err(&format!("index {}.{}", i.owner, i.name), e))?;
        }
        Ok(())
    }

    fn executor(&self) -> Result<Box<dyn crate::plan::apply::Executor + '_>, SourceError> {
        Ok(Box::new(super::apply::OracleExecutor {
            conn: self.dict.lock().expect("dictionary connection"),
        }))
    }

    fn partition_keys(&self) -> Vec<(String, String, String)> {
        self.partition_keys.clone()
    }

    fn export_dictionary(
        &self,
        dir: &std::path::Path,
    ) -> Result<Vec<std::path::PathBuf>, SourceError> {
        let out = dir.join("dictionary");
        let io = |p: &std::path::Path, e: String| SourceError::Snapshot {
            file: p.display().to_string(),
            line: None,
            message: e,
        };
        std::fs::create_dir_all(&out).map_err(|e| io(&out, e.to_string()))?;
        let conn = self.dict.lock().expect("dictionary connection");
        let mut files = Vec::new();
        for (name, stmt) in sql::dictionary_queries(&self.scope) {
            let rows = query_rows(&conn, name, &stmt).map_err(|e| {
                db_err(
                    &format!("{}{}", self.family.prefix(), name.to_uppercase()),
                    e,
                )
            })?;
            let path = out.join(format!("{name}.csv"));
            let f = std::fs::File::create(&path).map_err(|e| io(&path, e.to_string()))?;
            dictionary::write_rows_csv(
                &sql::column_names(&stmt.sql),
                &rows,
                std::io::BufWriter::new(f),
            )
            .map_err(|e| io(&path, e.to_string()))?;
            files.push(path);
        }
        Ok(files)
    }

    fn problem_objects(&self, opts: &ObjectsOptions) -> Result<ObjectReport, SourceError> {
        let conn = self.dict.lock().expect("dictionary connection");
        let major = self.traits.major;
        let scope = Scope {
            family: self.family,
            schemas: opts.schemas.clone(),
            maintained: maintained_mode(major, opts.include_maintained),
            version: self.scope.version,
        };
        let (rows, _) = load_dictionary(&conn, &scope, true)?;
        let info = self.catalog.source.clone();
        let mapped = dictionary::map_catalog(info, &rows, opts.include_maintained)
            .map_err(|e| SourceError::Other(e.to_string()))?;
        let orphans = super::objects::count_orphans(&mapped.catalog, &mut |sql| {
            let row = conn.query_row(sql, &[])?;
            row.get::<usize, u64>(0)
        });
        let mut report = ObjectReport::new(&self.describe(), self.family.prefix());
        let cutoff =
            super::objects::stats_cutoff(std::time::SystemTime::now(), opts.stats_age_days);
        super::objects::build(
            &mut report,
            &mapped,
            &rows.errors,
            &orphans,
            opts.stats_age_days,
            &cutoff,
        );
        if self.family != Family::Dba {
            report.not_checked.push(format!(
                "read through {} views: objects of other schemas that this user cannot see are not checked \
                 (grant SELECT_CATALOG_ROLE for the DBA_ views)",
                self.family.prefix()
            ));
        }
        Ok(report)
    }
}
