//! The Oracle target of `charmig copy --via dblink LINK`: each table is truncated, filled with
//! `INSERT /*+ APPEND */ … SELECT … FROM t@LINK` and committed, run in the target over the
//! database link LINK to the source; the state table CHARMIG_COPY_LOG and the DBMS_LOCK run lock
//! are the statements of [`super::oracle_sql`] (golden-tested).
//!
//! NOT VERIFIED against a live Oracle: the statements are golden-tested, this file only runs
//! them. What differs from PostgreSQL: TRUNCATE is DDL and commits, so a table is not loaded in
//! one transaction with its log row; a copy killed mid-table leaves the log `running` and a
//! partly loaded (uncommitted, hence rolled back) table, which the next run truncates again.
//! Tables with LONG columns (ORA-00997) or object-type columns (ORA-22804) cannot cross a
//! link, and a target with GENERATED ALWAYS identity columns refuses the rows (ORA-32795):
//! such tables fail with that said, before anything is truncated. The run lock needs EXECUTE
//! on SYS.DBMS_LOCK, checked before the lock is taken.
//!
//! The MERGE of the log repeats the placeholder `:3`: binds go by name (a positional bind in
//! SQL binds each occurrence separately).

use super::oracle_sql::{
    self, COPY_LOCK, COPY_LOG_DDL, COPY_LOG_MERGE, DBMS_LOCK_GRANTED, TARGET_ALWAYS_IDENTITY,
};
use super::{CopyTable, CopyTarget, TableState};
use crate::catalog::Table;
use oracle::Connection;
use std::collections::HashMap;
use std::sync::Arc;

/// ORA-00955: name is already used by an existing object (the log table exists).
const ORA_NAME_IN_USE: i32 = 955;

fn ora(e: &oracle::Error) -> String {
    e.to_string()
}

/// Creates CHARMIG_COPY_LOG if absent and takes the run lock (on `conn`, held while it is open).
pub fn prepare_and_lock(conn: &Connection) -> Result<(), String> {
    if let Err(e) = conn.execute(COPY_LOG_DDL, &[])
        && e.db_error().map(|d| d.code()) != Some(ORA_NAME_IN_USE)
    {
        return Err(format!("creating CHARMIG_COPY_LOG: {}", ora(&e)));
    }
    let granted = conn
        .query_row_as::<i64>(DBMS_LOCK_GRANTED, &[])
        .map_err(|e| format!("checking EXECUTE on SYS.DBMS_LOCK: {}", ora(&e)))?;
    if granted == 0 {
        return Err("the target user may not execute SYS.DBMS_LOCK, which holds the run lock (PLS-00201 otherwise): as SYS, GRANT EXECUTE ON SYS.DBMS_LOCK TO <this user>, then run the copy again".into());
    }
    conn.execute(COPY_LOCK, &[])
        .map(|_| ())
        .map_err(|e| ora(&e))
}

/// Source charsets whose bytes without meaning Oracle's conversion to AL32UTF8 is taken to
/// turn into characters [`oracle_sql::lossy_check`] finds after the load (0x80–0x9F become
/// U+0080–U+009F; checklist row 71).
const CHECKED_AFTER_LOAD: [&str; 2] = ["WE8ISO8859P1", "WE8ISO8859P15"];

fn unicode(charset: &str) -> bool {
    ["AL32UTF8", "UTF8", "AL16UTF16", "UTFE"]
        .iter()
        .any(|u| charset.eq_ignore_ascii_case(u))
}

/// Before an Oracle DB-link copy: from a single-byte charset other than those checked after
/// the load (US7ASCII, WE8MSWIN1252, …), what Oracle makes of a byte without meaning is not
/// confirmed (`?` or `¿` would be indistinguishable from real ones), so the copy needs a scan
/// (`--scan`) showing no lossy cell in any table it copies. A scan given for another charset
/// is checked the same way.
pub fn check_scan(
    charset: &str,
    scan: Option<&crate::scan::ScanResult>,
    tables: &[CopyTable],
) -> Result<(), String> {
    let needed = !unicode(charset)
        && !CHECKED_AFTER_LOAD
            .iter()
            .any(|c| charset.eq_ignore_ascii_case(c));
    let Some(scan) = scan else {
        return match needed {
            false => Ok(()),
            true => Err(format!(
                "from {charset}, what Oracle's conversion over a link makes of a byte without meaning is not confirmed \
                 (it may write ? or ¿, which no check can tell from real ones; docs/oracle-checklist.md row 71): give \
                 --scan scan.json, a scan of the tables to copy that shows no lossy cell (charmig scan, then charmig repair)"
            )),
        };
    };
    let mut missing = Vec::new();
    let mut lossy = Vec::new();
    for t in tables {
        let cols: Vec<_> = scan
            .columns
            .iter()
            .filter(|c| c.owner == t.owner && c.table_name == t.name)
            .collect();
        let n: u64 = cols.iter().map(|c| c.counts.lossy).sum();
        if cols.is_empty() {
            missing.push(t.qualified());
        } else if n > 0 {
            lossy.push(format!(
                "{} ({})",
                t.qualified(),
                super::plural(n, "lossy cell")
            ));
        }
    }
    if !lossy.is_empty() {
        return Err(format!(
            "the scan finds cells whose bytes have no meaning in their charset, which the copy would change: {}; \
             repair them in the source (charmig repair --scan …), scan again, then copy",
            lossy.join(", ")
        ));
    }
    if needed && !missing.is_empty() {
        return Err(format!(
            "the scan does not cover {}: scan every table to copy (a table without character columns counts, with none)",
            missing.join(", ")
        ));
    }
    Ok(())
}

/// A worker: one target connection.
pub struct OracleLinkTarget {
    conn: Connection,
    link: String,
    run_id: String,
    /// The source's tables (columns for the INSERT list), by `OWNER.TABLE`.
    tables: Arc<HashMap<String, Table>>,
    /// The source's charset, when it has one byte per character: each loaded table is then
    /// checked for what the link's conversion made of bytes without meaning there.
    single_byte: Option<String>,
}

impl OracleLinkTarget {
    pub fn new(
        conn: Connection,
        link: &str,
        run_id: &str,
        tables: Arc<HashMap<String, Table>>,
        source_charset: &str,
    ) -> Result<OracleLinkTarget, String> {
        let link = oracle_sql::check_link(link)?.to_string();
        Ok(OracleLinkTarget {
            conn,
            link,
            run_id: run_id.to_string(),
            tables,
            single_byte: (!unicode(source_charset)).then(|| source_charset.to_string()),
        })
    }

    /// After a table's load: a character the conversion made of a byte without meaning in the
    /// source's charset empties the table again and fails it, naming the column.
    fn check_lossy(&self, table: &Table) -> Result<(), String> {
        let (Some(charset), Some(sql)) = (&self.single_byte, oracle_sql::lossy_check(table)) else {
            return Ok(());
        };
        let column = match self.conn.query_row_as::<String>(&sql, &[]) {
            Ok(c) => c,
            Err(e) if e.kind() == oracle::ErrorKind::NoDataFound => return Ok(()),
            Err(e) => return Err(format!("checking the loaded rows: {}", ora(&e))),
        };
        let emptied = match self.conn.execute(&oracle_sql::truncate(table), &[]) {
            Ok(_) => "it was emptied again".to_string(),
            Err(e) => format!(
                "emptying it again failed too ({}): empty it by hand",
                ora(&e)
            ),
        };
        Err(format!(
            "column {}: a value holds U+0080-U+009F or U+FFFD, which Oracle's conversion made of bytes that have no \
             meaning in {charset}; {emptied}. The scan lists these cells as lossy with their ROWIDs: repair them in the \
             source (charmig repair), then copy again",
            crate::dialect::comment_text(crate::charset::Dialect::Oracle, &column)
        ))
    }

    fn table(&self, t: &CopyTable) -> Result<&Table, String> {
        self.tables
            .get(&t.qualified())
            .ok_or_else(|| format!("{} is not in the source's dictionary", t.qualified()))
    }

    /// Refuses a target table with GENERATED ALWAYS identity columns (ORA-32795).
    fn check_identity(&self, table: &Table) -> Result<(), String> {
        let types = [
            oracle::sql_type::OracleType::Varchar2(table.owner.len().max(1) as u32),
            oracle::sql_type::OracleType::Varchar2(table.name.len().max(1) as u32),
        ];
        let rows = self
            .conn
            .query_as::<String>(
                TARGET_ALWAYS_IDENTITY,
                &[&(&table.owner, &types[0]), &(&table.name, &types[1])],
            )
            .map_err(|e| format!("reading the target's identity columns: {}", ora(&e)))?;
        let mut cols = Vec::new();
        for r in rows {
            cols.push(r.map_err(|e| ora(&e))?);
        }
        if cols.is_empty() {
            return Ok(());
        }
        let shown: Vec<String> = cols
            .iter()
            .map(|c| crate::dialect::comment_text(crate::charset::Dialect::Oracle, c))
            .collect();
        Err(format!(
            "the target's identity column(s) {} are GENERATED ALWAYS and refuse copied values (ORA-32795): before the copy run ALTER TABLE … MODIFY (col GENERATED BY DEFAULT AS IDENTITY), after it the plan's 03_after_copy.sql sets GENERATED ALWAYS again and moves the generator past the copied values",
            shown.join(", ")
        ))
    }

    fn count(&self, sql: &str) -> Result<u64, String> {
        self.conn
            .query_row_as::<i64>(sql, &[])
            .map(|n| n as u64)
            .map_err(|e| format!("`{sql}`: {}", ora(&e)))
    }
}

impl CopyTarget for OracleLinkTarget {
    fn states(&mut self) -> Result<HashMap<(String, String), TableState>, String> {
        let rows = self
            .conn
            .query(
                "SELECT TABLE_OWNER, TABLE_NAME, STATE FROM CHARMIG_COPY_LOG",
                &[],
            )
            .map_err(|e| ora(&e))?;
        let mut out = HashMap::new();
        for r in rows {
            let r = r.map_err(|e| ora(&e))?;
            let (o, t, s): (String, String, String) = r.get_as().map_err(|e| ora(&e))?;
            if let Some(s) = TableState::parse(&s) {
                out.insert((o, t), s);
            }
        }
        Ok(out)
    }
    fn log(
        &mut self,
        t: &CopyTable,
        state: TableState,
        rows: Option<u64>,
        error: Option<&str>,
    ) -> Result<(), String> {
        if state == TableState::Failed {
            let _ = self.conn.rollback();
        }
        let rows = rows.map(|n| n as i64);
        let error = error.map(|e| e.chars().take(4000).collect::<String>());
        self.conn
            .execute_named(
                COPY_LOG_MERGE,
                &[
                    ("1", &t.owner),
                    ("2", &t.name),
                    ("3", &state.as_str()),
                    ("4", &rows),
                    ("5", &error),
                    ("6", &self.run_id),
                ],
            )
            .map_err(|e| format!("logging to CHARMIG_COPY_LOG: {}", ora(&e)))?;
        self.conn.commit().map_err(|e| ora(&e))
    }
    fn truncate(&mut self, t: &CopyTable) -> Result<(), String> {
        let table = self.table(t)?;
        // Refuse before emptying anything the copy could not fill again.
        if let Some(why) = oracle_sql::link_refusal(table) {
            return Err(why);
        }
        self.check_identity(table)?;
        let sql = oracle_sql::truncate(table);
        self.conn
            .execute(&sql, &[])
            .map(|_| ())
            .map_err(|e| format!("`{sql}`: {}", ora(&e)))
    }
    fn copy(&mut self, t: &CopyTable, progress: &dyn Fn(u64, u64)) -> Result<u64, String> {
        let table = self.table(t)?;
        if let Some(why) = oracle_sql::link_refusal(table) {
            return Err(why);
        }
        self.check_identity(table)?;
        let sql = oracle_sql::insert_via_link(table, &self.link);
        let stmt = self
            .conn
            .execute(&sql, &[])
            .map_err(|e| format!("loading over {}: {}", self.link, ora(&e)))?;
        let rows = stmt.row_count().map_err(|e| ora(&e))?;
        // A direct-path insert must be committed before the table is read again (ORA-12838).
        self.conn.commit().map_err(|e| ora(&e))?;
        self.check_lossy(table)?;
        progress(rows, 0);
        Ok(rows)
    }
    fn counts(&mut self, t: &CopyTable) -> Result<(u64, u64), String> {
        let table = self.table(t)?;
        let (src, dst) = (
            oracle_sql::count_source(table, &self.link),
            oracle_sql::count_target(table),
        );
        Ok((self.count(&src)?, self.count(&dst)?))
    }
}
