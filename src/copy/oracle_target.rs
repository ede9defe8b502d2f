//! The Oracle target of `charmig copy --via dblink LINK`: each table is truncated, filled with
//! `INSERT /*+ APPEND */ … SELECT … FROM t@LINK` and committed, run in the target over the
//! database link LINK to the source; the state table CHARMIG_COPY_LOG and the DBMS_LOCK run lock
//! are the statements of [`super::oracle_sql`] (golden-tested).
//!
//! NOT VERIFIED against a live Oracle: the statements are golden-tested, this file only runs
//! them. What differs from PostgreSQL: TRUNCATE is DDL and commits, so a table is not loaded in
//! one transaction with its log row; a copy killed mid-table leaves the log `running` and a
//! partly loaded (uncommitted, hence rolled back) table, which the next run truncates again.
//! Tables with LONG columns cannot cross a link (ORA-00997) and fail with that said.
//!
//! The MERGE of the log repeats the placeholder `:3`: binds go by name (a positional bind in
//! SQL binds each occurrence separately).

use super::oracle_sql::{self, COPY_LOCK, COPY_LOG_DDL, COPY_LOG_MERGE};
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
    conn.execute(COPY_LOCK, &[])
        .map(|_| ())
        .map_err(|e| ora(&e))
}

/// A worker: one target connection.
pub struct OracleLinkTarget {
    conn: Connection,
    link: String,
    run_id: String,
    /// The source's tables (columns for the INSERT list), by `OWNER.TABLE`.
    tables: Arc<HashMap<String, Table>>,
}

impl OracleLinkTarget {
    pub fn new(
        conn: Connection,
        link: &str,
        run_id: &str,
        tables: Arc<HashMap<String, Table>>,
    ) -> Result<OracleLinkTarget, String> {
        let link = oracle_sql::check_link(link)?.to_string();
        Ok(OracleLinkTarget {
            conn,
            link,
            run_id: run_id.to_string(),
            tables,
        })
    }

    fn table(&self, t: &CopyTable) -> Result<&Table, String> {
        self.tables
            .get(&t.qualified())
            .ok_or_else(|| format!("{} is not in the source's dictionary", t.qualified()))
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
        let sql = oracle_sql::truncate(self.table(t)?);
        self.conn
            .execute(&sql, &[])
            .map(|_| ())
            .map_err(|e| format!("`{sql}`: {}", ora(&e)))
    }
    fn copy(&mut self, t: &CopyTable, progress: &dyn Fn(u64, u64)) -> Result<u64, String> {
        let table = self.table(t)?;
        if !oracle_sql::crosses_link(table) {
            return Err("it has a LONG column, which cannot cross a database link (ORA-00997); a client copy for Oracle is not available yet".into());
        }
        let sql = oracle_sql::insert_via_link(table, &self.link);
        let stmt = self
            .conn
            .execute(&sql, &[])
            .map_err(|e| format!("loading over {}: {}", self.link, ora(&e)))?;
        let rows = stmt.row_count().map_err(|e| ora(&e))?;
        // A direct-path insert must be committed before the table is read again (ORA-12838).
        self.conn.commit().map_err(|e| ora(&e))?;
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
