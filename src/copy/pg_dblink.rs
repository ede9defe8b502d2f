//! `charmig copy --via dblink SERVER` into PostgreSQL: the target pulls each table from the
//! source itself, so the rows never pass through charmig.
//!
//! SERVER is a foreign server defined in the target (`CREATE SERVER … FOREIGN DATA WRAPPER
//! dblink_fdw` or `postgres_fdw`, with a user mapping for the copying user): the password stays
//! in the target's catalog, never on a command line or in a log.
//! - A `postgres_fdw` server: `INSERT INTO t (…) SELECT … FROM <foreign table>`, the foreign
//!   table created and dropped inside the table's transaction (fetch_size 10000). It streams.
//! - A `dblink_fdw` server, or a table with an assumed charset: `INSERT INTO t (…) SELECT … FROM
//!   dblink('charmig_wN', 'SELECT … FROM ONLY t') AS r(…)` (the `dblink` extension must be
//!   installed). dblink holds a table's whole result in the target before inserting it.
//!
//! `--from` is still needed: the tables and their sizes come from the source's dictionary, and
//! `--verify` reads the source through charmig to check the server's conversion against
//! charmig's.
//!
//! Conversion is the server's: dblink and postgres_fdw set the remote session's client_encoding to the
//! target's, so the source server converts LATIN9 (or any charset) to UTF-8. Two differences
//! from charmig's own rules are handled here:
//! - an assumed charset (`--assume`, `--assume-column`) is applied by fetching the column's
//!   stored bytes (`convert_to(c, '<source charset>')`) and decoding them in the target
//!   (`convert_from(r.c, 'WIN1252')`); a byte undefined there stops the table (SQLSTATE 22P05).
//!   That works for character columns only: a column of another type whose text may hold
//!   stored characters (arrays, json, xml, enums, composite types, domains over them,
//!   extensions' types; every type but PostgreSQL's own numbers, dates, … in
//!   [`crate::source::postgres::CHARSET_FREE_TYPES`]) is converted by the server from the
//!   database's charset, so a table with such a column read in another charset is refused
//!   (`--via client` reads it);
//! - PostgreSQL maps the C1 bytes 0x80–0x9F of ISO-8859 charsets to the control characters
//!   U+0080–U+009F, which charmig's scan policy treats as bytes without meaning: the load
//!   leaves out rows holding one in a column read in such a charset whose text may hold
//!   stored characters (character columns and the types above; see [`insert_sql`]), and the
//!   count that then differs stops the table naming the first row's column and key (with
//!   `--on-lossy replace`, the rows are loaded and the characters replaced by U+FFFD
//!   afterwards).
//!
//! The remote dblink session prints floats with `extra_float_digits = 3` (exact), whatever the
//! source's database or role sets; postgres_fdw sets it in its own remote sessions.
//!
//! Each table is read in one remote REPEATABLE READ transaction, so its row count is taken at
//! the same moment as its rows.

use super::pg_client::{ClientConfig, pump};
use super::pg_target::{TargetConn, TargetTable, load_err, pg_err};
use super::reading::Reading;
use super::{CopyTable, CopyTarget, TableState};
use crate::charset::{Encoding, Policy};
use crate::dialect::postgres::{ident as quote, literal};
use crate::source::Source;
use std::collections::HashMap;
use std::sync::Arc;

/// A dblink worker: its own target connection holding a named dblink connection.
pub struct DblinkTarget {
    conn: TargetConn,
    cfg: Arc<ClientConfig>,
    link: String,
    server: String,
    /// The server's wrapper is postgres_fdw: tables are read through a foreign table, which
    /// streams (dblink materializes a whole result first); dblink serves the tables with
    /// assumed charsets.
    fdw: bool,
    /// Whether the dblink connection is open (opened when first needed).
    linked: bool,
    worker: usize,
    /// Source rows counted in the load's remote transaction, and rows the INSERT wrote.
    last_source_rows: Option<(u64, u64)>,
    /// The charset each character column of the table being loaded is read in (for errors).
    charsets: HashMap<String, String>,
    /// The table's columns of other types whose text may hold stored characters (arrays,
    /// json, xml, enums, composite types …), with their types (for errors).
    text_types: HashMap<String, String>,
}

impl DblinkTarget {
    /// A worker reading from foreign server `server` (dblink connection `charmig_w<worker>`).
    pub fn new(
        mut conn: TargetConn,
        cfg: Arc<ClientConfig>,
        server: &str,
        worker: usize,
    ) -> Result<DblinkTarget, String> {
        let wrapper: Option<String> = conn
            .client
            .query_opt("SELECT w.fdwname::text FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw WHERE s.srvname = $1", &[&server])
            .map_err(|e| pg_err(&e))?
            .map(|r| r.get(0));
        let Some(wrapper) = wrapper else {
            return Err(format!(
                "no foreign server {server} in the target: CREATE SERVER {server} FOREIGN DATA WRAPPER dblink_fdw (or postgres_fdw) \
                 OPTIONS (host …, port …, dbname …) and a USER MAPPING for the copying user"
            ));
        };
        if cfg
            .source
            .catalog()
            .source
            .charset
            .eq_ignore_ascii_case("SQL_ASCII")
            && cfg.assume.is_none()
        {
            return Err("the source is SQL_ASCII: its bytes have no charset the server could convert from; use --via client with --assume CHARSET, or --assume with dblink".into());
        }
        Ok(DblinkTarget {
            conn,
            cfg,
            link: format!("charmig_w{worker}"),
            server: server.to_string(),
            fdw: wrapper == "postgres_fdw",
            linked: false,
            worker,
            last_source_rows: None,
            charsets: HashMap::new(),
            text_types: HashMap::new(),
        })
    }

    /// Opens the dblink connection on first use.
    fn link(&mut self) -> Result<(), String> {
        if self.linked {
            return Ok(());
        }
        let has: bool = self
            .conn
            .client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'dblink')",
                &[],
            )
            .map_err(|e| pg_err(&e))?
            .get(0);
        if !has {
            return Err("the dblink extension is not installed in the target: run CREATE EXTENSION dblink there (Debian's postgresql package ships it), or use --via client".into());
        }
        let server = self.server.clone();
        self.conn.client.query_one("SELECT dblink_connect($1, $2)", &[&self.link, &server]).map_err(|e| {
            format!("connecting to foreign server {server} through dblink: {} (check the server's options and the user mapping)", pg_err(&e))
        })?;
        // Floats print with the remote session's extra_float_digits, which the source's
        // database or role may set to 0 or less: rounded values (0.3 for 0.30000000000000004).
        // 3 prints them exactly, as charmig's own reads and postgres_fdw's sessions do; dblink
        // itself only carries DateStyle and IntervalStyle over (to parse what the source prints).
        if let Err(e) = self.remote_exec("SET extra_float_digits = 3") {
            let _ = self
                .conn
                .client
                .query_one("SELECT dblink_disconnect($1)", &[&self.link]);
            return Err(e);
        }
        self.linked = true;
        Ok(())
    }

    /// Loads through a postgres_fdw foreign table created (and dropped) inside the table's
    /// transaction; returns (rows loaded, source rows). Both read in one remote transaction.
    /// With `c1` (the columns to check for C1 characters), rows holding one are not loaded:
    /// when the counts then differ, the first is named (see [`c1_error`]).
    fn load_fdw(
        &mut self,
        t: &CopyTable,
        tt: &TargetTable,
        c1: &[String],
    ) -> Result<(u64, u64), String> {
        let schema = quote(&format!("charmig_link_w{}", self.worker));
        let cols: Vec<String> = tt
            .columns
            .iter()
            .zip(&tt.types)
            .map(|(c, ty)| format!("{} {ty}", quote(c)))
            .collect();
        let ddl = format!(
            "CREATE SCHEMA {schema}; CREATE FOREIGN TABLE {schema}.src ({}) SERVER {} OPTIONS (schema_name {}, table_name {}, fetch_size '10000')",
            cols.join(", "),
            quote(&self.server),
            literal(&t.owner),
            literal(&t.name)
        );
        self.conn
            .client
            .batch_execute(&ddl)
            .map_err(|e| format!("creating the foreign table: {}", pg_err(&e)))?;
        let list = tt.column_list().join(", ");
        let rows = self
            .conn
            .client
            .execute(
                format!(
                    "INSERT INTO {} ({list}){} SELECT {list} FROM {schema}.src{}",
                    tt.sql_name,
                    overriding(tt),
                    match c1.is_empty() {
                        true => String::new(),
                        false => format!(" WHERE NOT ({})", has_c1(c1, C1_IN_TARGET)),
                    }
                )
                .as_str(),
                &[],
            )
            .map_err(|e| format!("loading through postgres_fdw: {}", load_err(&e)))?;
        let n: i64 = self
            .conn
            .client
            .query_one(format!("SELECT count(*) FROM {schema}.src").as_str(), &[])
            .map_err(|e| format!("counting on the source: {}", pg_err(&e)))?
            .get(0);
        if rows != n as u64 && !c1.is_empty() {
            let first = c1_first_sql(tt, c1, &format!("{schema}.src"), C1_IN_TARGET);
            if let Some(r) = self
                .conn
                .client
                .query_opt(first.as_str(), &[])
                .map_err(|e| pg_err(&e))?
            {
                return Err(self.c1_error(t, &r.get::<_, String>(0), &r.get::<_, String>(1)));
            }
        }
        self.conn
            .client
            .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .map_err(|e| pg_err(&e))?;
        Ok((rows, n as u64))
    }

    /// Loads through dblink in one remote REPEATABLE READ transaction; returns (rows loaded,
    /// source rows).
    fn load_dblink(
        &mut self,
        t: &CopyTable,
        tt: &TargetTable,
        source_charset: &str,
        assumed: &[Option<String>],
        c1: &[String],
    ) -> Result<(u64, u64), String> {
        self.link()?;
        let (sql, remote) = insert_sql(t, tt, source_charset, assumed, c1);
        self.remote_exec("ROLLBACK")?;
        self.remote_exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        let rows = self
            .conn
            .client
            .execute(sql.as_str(), &[&self.link, &remote])
            .map_err(|e| format!("loading through dblink: {}", load_err(&e)))?;
        let count_sql = format!(
            "SELECT count(*) FROM ONLY {}",
            crate::dialect::postgres::qualified(&t.owner, &t.name)
        );
        let n: i64 = self
            .conn
            .client
            .query_one(
                "SELECT n FROM dblink($1, $2) AS r(n int8)",
                &[&self.link, &count_sql],
            )
            .map_err(|e| format!("counting on the source: {}", pg_err(&e)))?
            .get(0);
        if rows != n as u64 && !c1.is_empty() {
            let first = c1_source_check_sql(t, tt, c1);
            if let Some(r) = self
                .conn
                .client
                .query_opt(
                    "SELECT k, c FROM dblink($1, $2) AS r(k text, c text)",
                    &[&self.link, &first],
                )
                .map_err(|e| format!("on the source: {}", pg_err(&e)))?
            {
                return Err(self.c1_error(t, &r.get::<_, String>(0), &r.get::<_, String>(1)));
            }
        }
        self.remote_exec("COMMIT")?;
        Ok((rows, n as u64))
    }

    /// A cell holding a byte 0x80–0x9F, which the server would convert to a C1 control.
    fn c1_error(&self, t: &CopyTable, key: &str, col: &str) -> String {
        let charset = self.charsets.get(col).map_or("its charset", String::as_str);
        if let Some(ty) = self.text_types.get(col) {
            // Neither --assume-column nor charmig repair takes such a column, and dblink
            // reads it in the database's charset only.
            return format!(
                "column {col} ({ty}), key {key}: a byte 0x80-0x9F, which has no meaning in {charset} (the server would turn it \
                 into a control character); copy this table --via client, with --assume CHARSET if the data's real charset is \
                 another (a dblink load reads a column of this type in the database's charset only), or write U+FFFD instead \
                 (--on-lossy replace)"
            );
        }
        format!(
            "column {col}, key {key}: a byte 0x80-0x9F, which has no meaning in {charset} (the server would turn it into a \
             control character); assume the column's real charset (--assume-column {}.{}.{col}=CHARSET), repair the source \
             (charmig repair), or write U+FFFD instead (--on-lossy replace)",
            t.owner, t.name
        )
    }

    fn remote_exec(&mut self, sql: &str) -> Result<(), String> {
        self.conn
            .client
            .query_one("SELECT dblink_exec($1, $2)", &[&self.link, &sql])
            .map(|_| ())
            .map_err(|e| format!("on the source (`{sql}`): {}", pg_err(&e)))
    }
}

/// The statement run in the target for one table, and the remote SELECT it sends.
/// `assumed[i]` is the charset column i is decoded from in the target, when it is assumed.
pub fn insert_sql(
    t: &CopyTable,
    tt: &TargetTable,
    source_charset: &str,
    assumed: &[Option<String>],
    c1: &[String],
) -> (String, String) {
    let mut remote = Vec::new();
    let mut local = Vec::new();
    let mut record = Vec::new();
    for (i, c) in tt.columns.iter().enumerate() {
        let q = quote(c);
        match &assumed[i] {
            Some(cs) => {
                remote.push(format!("convert_to({q}, {})", literal(source_charset)));
                local.push(format!("convert_from(r.{q}, {})", literal(cs)));
                record.push(format!("{q} bytea"));
            }
            None => {
                remote.push(q.clone());
                local.push(format!("r.{q}"));
                record.push(format!("{q} {}", tt.types[i]));
            }
        }
    }
    let remote_sql = format!(
        "SELECT {} FROM ONLY {}{}",
        remote.join(", "),
        crate::dialect::postgres::qualified(&t.owner, &t.name),
        match c1.is_empty() {
            true => String::new(),
            false => format!(" WHERE NOT ({})", has_c1(c1, C1_IN_SOURCE)),
        }
    );
    let sql = format!(
        "INSERT INTO {} ({}){} SELECT {} FROM dblink($1, $2) AS r({})",
        tt.sql_name,
        tt.column_list().join(", "),
        overriding(tt),
        local.join(", "),
        record.join(", ")
    );
    (sql, remote_sql)
}

/// U+0080–U+009F in the target (UTF-8).
const C1_IN_TARGET: &str = "'[\\u0080-\\u009f]'";
/// The bytes 0x80–0x9F in a source whose charset has one byte per character (the regular
/// expression compares such characters by their byte), spelled in ASCII.
const C1_IN_SOURCE: &str = "('[' || chr(128) || '-' || chr(159) || ']')";

/// Whether one of `columns` holds a C1 character: one regular expression over the row's
/// columns together, not one per column (a scan of a million rows takes a third less; a
/// character of one column cannot combine with its neighbour's into a C1 character; NULLs are
/// left out). An array, not `concat`, which takes at most 100 arguments; collation "C", since
/// columns of different collations cannot be compared together and a nondeterministic one
/// refuses regular expressions.
fn has_c1(columns: &[String], pattern: &str) -> String {
    let all = columns
        .iter()
        .map(|c| format!("{}::text", quote(c)))
        .collect::<Vec<_>>()
        .join(", ");
    format!("array_to_string(ARRAY[{all}], '') COLLATE \"C\" ~ {pattern}")
}

/// The first row (key text, column) of the source whose value in one of `columns` holds a
/// byte 0x80–0x9F, read through dblink in the load's remote transaction: the load skipped
/// such rows (see [`insert_sql`]), and this names the first. The key is the target's key
/// columns, else the source row's ctid.
pub fn c1_source_check_sql(t: &CopyTable, tt: &TargetTable, columns: &[String]) -> String {
    c1_first_sql(
        tt,
        columns,
        &crate::dialect::postgres::qualified(&t.owner, &t.name),
        C1_IN_SOURCE,
    )
}

/// The C1 check: a query returning the first row (key text, column) whose value in one of
/// `columns` holds U+0080–U+009F.
pub fn c1_check_sql(tt: &TargetTable, columns: &[String]) -> String {
    c1_first_sql(tt, columns, &tt.sql_name, C1_IN_TARGET)
}

fn c1_first_sql(tt: &TargetTable, columns: &[String], table: &str, pattern: &str) -> String {
    let key = if tt.key.is_empty() {
        "ctid::text".to_string()
    } else {
        format!(
            "ROW({})::text",
            tt.key
                .iter()
                .map(|k| quote(k))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let cases = columns
        .iter()
        .map(|c| {
            format!(
                "WHEN {}::text COLLATE \"C\" ~ {pattern} THEN {}",
                quote(c),
                literal(c)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    // The CASE runs only on the row found.
    format!(
        "SELECT {key}, CASE {cases} END FROM ONLY {table} WHERE {} LIMIT 1",
        has_c1(columns, pattern)
    )
}

/// Replaces U+0080–U+009F with U+FFFD in `column`; the statement returns the rows changed.
/// A column of another type than text (`cast`: its type) is replaced in its text form and
/// cast back (a value that does not take it back, such as an enum's label, stops the table).
pub fn c1_replace_sql(tt: &TargetTable, column: &str, cast: Option<&str>) -> String {
    let q = quote(column);
    match cast {
        None => format!(
            "UPDATE ONLY {} SET {q} = regexp_replace({q} COLLATE \"C\", '[\\u0080-\\u009f]', U&'\\FFFD', 'g') \
             WHERE {q} COLLATE \"C\" ~ '[\\u0080-\\u009f]'",
            tt.sql_name
        ),
        Some(ty) => format!(
            "UPDATE ONLY {} SET {q} = regexp_replace({q}::text COLLATE \"C\", '[\\u0080-\\u009f]', U&'\\FFFD', 'g')::{ty} \
             WHERE {q}::text COLLATE \"C\" ~ '[\\u0080-\\u009f]'",
            tt.sql_name
        ),
    }
}

/// Whether the source database's charset has one byte per character (SQL_ASCII included),
/// so its regular expressions compare characters by their byte (see [`C1_IN_SOURCE`]).
/// Only charsets of the registry can have C1 columns to check at all.
fn one_byte_charset(name: &str) -> bool {
    crate::charset::resolve(name, crate::charset::Dialect::Postgres)
        .is_some_and(|c| c.is_single_byte() || matches!(c.encoding, Encoding::Undeclared))
}

fn c1_undefined(enc: &Encoding) -> bool {
    matches!(
        enc,
        Encoding::SingleByte {
            policy: Policy::C1Undefined,
            ..
        }
    )
}

impl CopyTarget for DblinkTarget {
    fn states(&mut self) -> Result<HashMap<(String, String), TableState>, String> {
        self.conn.states()
    }
    fn truncate_together(&mut self, tables: &[&CopyTable]) -> Result<(), String> {
        self.conn.truncate_together(tables)
    }
    fn fk_checks_off(&mut self, off: bool) -> Result<(), String> {
        self.conn.fk_checks_off = off;
        Ok(())
    }
    fn log(
        &mut self,
        t: &CopyTable,
        state: TableState,
        rows: Option<u64>,
        error: Option<&str>,
    ) -> Result<(), String> {
        if state == TableState::Failed && self.linked {
            let _ = self.remote_exec("ROLLBACK");
        }
        self.conn.log(t, state, rows, error)
    }
    fn truncate(&mut self, t: &CopyTable) -> Result<(), String> {
        self.conn.begin_truncate(t)
    }
    fn copy(&mut self, t: &CopyTable, progress: &dyn Fn(u64, u64)) -> Result<u64, String> {
        self.last_source_rows = None;
        let tt = self.conn.table(t)?;
        let encodings = self.cfg.encodings(t, &tt)?;
        if let Some((c, _)) = tt
            .columns
            .iter()
            .zip(&encodings)
            .find(|(_, (_, r))| matches!(r, Reading::Auto(_)))
        {
            return Err(format!(
                "column {} is read `auto` (UTF-8 or the fallback charset, value by value), which the server \
                 cannot do in a dblink load: copy this table --via client",
                crate::dialect::text::escape(c)
            ));
        }
        if let Some(c) = tt
            .columns
            .iter()
            .zip(&tt.holds_name)
            .find(|(_, h)| **h != super::pg_target::HoldsName::No)
        {
            return Err(format!(
                "column {} holds values of type name, whose input cuts a value over 63 bytes without a word; a dblink load cannot \
                 check the converted values' length: copy this table --via client, which does",
                crate::dialect::text::escape(c.0)
            ));
        }
        let source_charset = self.cfg.source.catalog().source.charset.clone();
        let table = self
            .cfg
            .source
            .catalog()
            .tables
            .iter()
            .find(|x| x.owner == t.owner && x.name == t.name)
            .cloned()
            .ok_or("not in the source")?;
        let is_char = |c: &str| {
            table.columns.iter().any(|x| {
                x.name == c
                    && matches!(
                        x.kind(crate::charset::Dialect::Postgres),
                        crate::catalog::ColumnKind::Varchar | crate::catalog::ColumnKind::Char
                    )
            })
        };
        // Columns of other types whose text may hold stored characters (arrays, json, xml,
        // enums, composite types, extensions' types …): the source server converts their text
        // from the database's charset, the only reading a dblink load can give them.
        let free = self
            .cfg
            .source
            .charset_free_columns(self.cfg.source_index(t)?)
            .map_err(|e| e.to_string())?;
        self.text_types = tt
            .columns
            .iter()
            .zip(&tt.types)
            .filter(|(c, _)| !is_char(c) && !free.contains(c))
            .map(|(c, ty)| (c.clone(), ty.clone()))
            .collect();
        if let Some((c, cs)) = tt
            .columns
            .iter()
            .zip(&encodings)
            .map(|(c, (cs, _))| (c, cs))
            .find(|(c, cs)| {
                self.text_types.contains_key(*c) && !cs.eq_ignore_ascii_case(&source_charset)
            })
        {
            return Err(format!(
                "column {} ({}) is to be read as {cs}, but a dblink load converts a column of this type from the database's \
                 charset {source_charset} only (it reads stored bytes in another charset for character columns alone): \
                 copy this table --via client, which reads it as {cs}",
                crate::dialect::text::escape(c),
                self.text_types[c]
            ));
        }
        // Assumed: a charset other than the database's, on a character column.
        let assumed: Vec<Option<String>> = tt
            .columns
            .iter()
            .zip(&encodings)
            .map(|(c, (cs, _))| {
                (is_char(c) && !cs.eq_ignore_ascii_case(&source_charset)).then(|| cs.clone())
            })
            .collect();
        let through = if self.fdw && assumed.iter().all(Option::is_none) {
            "postgres_fdw"
        } else {
            "dblink"
        };
        // Bytes the server turns into C1 controls (see the module doc), in every column whose
        // text may hold stored characters.
        let c1: Vec<String> = tt
            .columns
            .iter()
            .zip(&encodings)
            .filter(|(c, (_, e))| !free.contains(c) && c1_undefined(e.fallback()))
            .map(|(c, _)| c.clone())
            .collect();
        // Refused (the default): the load itself leaves rows with C1 bytes out, the source
        // checking dblink's rows as it reads them (a charset of one byte per character) and
        // the target postgres_fdw's; a row left out makes the counts differ, and the first
        // is named. No scan of the loaded table: on the benchmark's 1M rows that scan took
        // 0.44 s after the load.
        let inline = matches!(self.cfg.on_lossy, super::text::OnLossy::Fail)
            && (through == "postgres_fdw" || one_byte_charset(&source_charset));
        let c1_inline: &[String] = if inline { &c1 } else { &[] };
        self.charsets = tt
            .columns
            .iter()
            .zip(&encodings)
            .map(|(c, (cs, _))| (c.clone(), cs.clone()))
            .collect();
        let (rows, n) = if through == "postgres_fdw" {
            self.load_fdw(t, &tt, c1_inline)?
        } else {
            self.load_dblink(t, &tt, &source_charset, &assumed, c1_inline)?
        };
        *self
            .cfg
            .loaded_through
            .lock()
            .expect("counts")
            .entry(through)
            .or_default() += 1;
        self.last_source_rows = Some((n, rows));
        progress(rows, 0);
        if !c1.is_empty() && !inline {
            match self.cfg.on_lossy {
                super::text::OnLossy::Fail => {
                    if let Some(r) = self
                        .conn
                        .client
                        .query_opt(c1_check_sql(&tt, &c1).as_str(), &[])
                        .map_err(|e| pg_err(&e))?
                    {
                        return Err(self.c1_error(
                            t,
                            &r.get::<_, String>(0),
                            &r.get::<_, String>(1),
                        ));
                    }
                }
                super::text::OnLossy::Replace => {
                    let any = self
                        .conn
                        .client
                        .query_opt(c1_check_sql(&tt, &c1).as_str(), &[])
                        .map_err(|e| pg_err(&e))?
                        .is_some();
                    for c in c1.iter().filter(|_| any) {
                        let n = self
                            .conn
                            .client
                            .execute(
                                c1_replace_sql(&tt, c, self.text_types.get(c).map(String::as_str))
                                    .as_str(),
                                &[],
                            )
                            .map_err(|e| pg_err(&e))?;
                        if n > 0 {
                            self.cfg.notes.lock().expect("notes").push(format!("{}: {n} values of {c} had C1 bytes replaced with U+FFFD (--on-lossy replace)", t.display()));
                        }
                    }
                }
            }
        }
        Ok(rows)
    }
    fn counts(&mut self, t: &CopyTable) -> Result<(u64, u64), String> {
        let _ = t;
        // The target's count is the INSERT's own (the table was emptied in its transaction).
        self.last_source_rows
            .ok_or_else(|| "no copy to count".into())
    }
    /// The source read again through charmig (its own conversion), checksummed, against the
    /// target's content as the server converted it.
    fn checksums(&mut self, t: &CopyTable) -> Result<Option<(String, String)>, String> {
        if !self.cfg.verify {
            return Ok(None);
        }
        let tt = self.conn.table(t)?;
        let conv = pump(&self.cfg, t, &tt, None, &mut std::io::sink(), &|_, _| {})?;
        let src = conv.checksum.ok_or("no checksum computed")?;
        Ok(Some((src.to_string(), self.conn.checksum(t)?)))
    }
    fn finish(&mut self, t: &CopyTable, rows: u64) -> Result<(), String> {
        let reading = super::pg_ranges::logged_reading(&mut self.conn, &self.cfg, t)?;
        self.conn.finish(t, rows, &reading)
    }
    fn changed_reading(&mut self, t: &CopyTable) -> Result<Option<String>, String> {
        super::pg_ranges::done_table_changed(&mut self.conn, &self.cfg, t, true)
    }
    fn run_step(&mut self, plan_id: &str, step: &crate::plan::Step) -> Result<(), String> {
        self.conn.run_step(plan_id, step)
    }
    fn step_failed(&mut self, plan_id: &str, step: &crate::plan::Step, error: &str) {
        self.conn.step_failed(plan_id, step, error)
    }
    fn build_workers(&mut self, n: Option<usize>) {
        self.conn.build_workers(n)
    }
}

/// ` OVERRIDING SYSTEM VALUE` for a table with a `GENERATED ALWAYS AS IDENTITY` column: the
/// source's values are inserted as they are (without it the INSERT fails, SQLSTATE 428C9).
fn overriding(tt: &TargetTable) -> &'static str {
    if !tt.always_identity.is_empty() {
        " OVERRIDING SYSTEM VALUE"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_dblink_statements() {
        let t = CopyTable {
            owner: "app".into(),
            name: "Odd \"Names\"".into(),
            bytes: 0,
        };
        let tt = TargetTable {
            sql_name: "\"app\".\"Odd \"\"Names\"\"\"".into(),
            columns: vec!["id".into(), "Body".into()],
            types: vec!["integer".into(), "character varying(20)".into()],
            key: vec!["id".into()],
            generated: vec![],
            holds_name: vec![Default::default(); 2],
            always_identity: vec![],
            canon: vec![],
        };
        let (sql, remote) = insert_sql(&t, &tt, "LATIN9", &[None, Some("WIN1252".into())], &[]);
        assert_eq!(
            remote,
            "SELECT \"id\", convert_to(\"Body\", 'LATIN9') FROM ONLY \"app\".\"Odd \"\"Names\"\"\""
        );
        assert_eq!(
            sql,
            "INSERT INTO \"app\".\"Odd \"\"Names\"\"\" (\"id\", \"Body\") SELECT r.\"id\", convert_from(r.\"Body\", 'WIN1252') \
             FROM dblink($1, $2) AS r(\"id\" integer, \"Body\" bytea)"
        );
        assert_eq!(
            c1_check_sql(&tt, &["Body".into()]),
            "SELECT ROW(\"id\")::text, CASE WHEN \"Body\"::text COLLATE \"C\" ~ '[\\u0080-\\u009f]' THEN 'Body' END FROM ONLY \"app\".\"Odd \"\"Names\"\"\" \
             WHERE array_to_string(ARRAY[\"Body\"::text], '') COLLATE \"C\" ~ '[\\u0080-\\u009f]' LIMIT 1"
        );
        // Refusing C1 bytes: the source leaves such rows out as it reads them, and names the
        // first when the counts differ.
        let (_, remote) = insert_sql(&t, &tt, "LATIN9", &[None, None], &["Body".into()]);
        assert_eq!(
            remote,
            "SELECT \"id\", \"Body\" FROM ONLY \"app\".\"Odd \"\"Names\"\"\" \
             WHERE NOT (array_to_string(ARRAY[\"Body\"::text], '') COLLATE \"C\" ~ ('[' || chr(128) || '-' || chr(159) || ']'))"
        );
        assert_eq!(
            c1_source_check_sql(&t, &tt, &["Body".into()]),
            "SELECT ROW(\"id\")::text, CASE WHEN \"Body\"::text COLLATE \"C\" ~ ('[' || chr(128) || '-' || chr(159) || ']') THEN 'Body' END \
             FROM ONLY \"app\".\"Odd \"\"Names\"\"\" WHERE array_to_string(ARRAY[\"Body\"::text], '') COLLATE \"C\" ~ ('[' || chr(128) || '-' || chr(159) || ']') LIMIT 1"
        );
        // Replacing: a character column in place, a column of another type (jsonb, text[] …)
        // in its text form, cast back.
        assert_eq!(
            c1_replace_sql(&tt, "Body", None),
            "UPDATE ONLY \"app\".\"Odd \"\"Names\"\"\" SET \"Body\" = regexp_replace(\"Body\" COLLATE \"C\", '[\\u0080-\\u009f]', U&'\\FFFD', 'g') \
             WHERE \"Body\" COLLATE \"C\" ~ '[\\u0080-\\u009f]'"
        );
        assert_eq!(
            c1_replace_sql(&tt, "Body", Some("jsonb")),
            "UPDATE ONLY \"app\".\"Odd \"\"Names\"\"\" SET \"Body\" = regexp_replace(\"Body\"::text COLLATE \"C\", '[\\u0080-\\u009f]', U&'\\FFFD', 'g')::jsonb \
             WHERE \"Body\"::text COLLATE \"C\" ~ '[\\u0080-\\u009f]'"
        );
    }
}
