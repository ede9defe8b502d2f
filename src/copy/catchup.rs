//! `charmig copy --catch-up --since TIMESTAMP --column UPDATED_AT`: the window reload. Rows of
//! the source whose timestamp column is at or after `--since` are read and converted as in
//! the client copy, loaded into a temporary staging table in the target, and merged into the
//! table by primary key (`INSERT … ON CONFLICT (key) DO UPDATE`), in one transaction per table
//! together with a row of `charmig.charmig_catchup_log` (rows read, inserted, updated).
//!
//! It needs the target's primary keys, so it runs after the plan's 03_after_copy. Triggers do
//! not fire during the merge when the user may set `session_replication_role` (a superuser);
//! otherwise they fire, and the run says so. Rows deleted in the source are not seen: a
//! timestamp column cannot show them.

use super::CopyTable;
use super::pg_client::{ClientConfig, pump};
use super::pg_target::{TargetConn, pg_err};
use crate::dialect::postgres::{ident as quote, literal};

pub const CATCHUP_LOG_DDL: &str = "CREATE SCHEMA IF NOT EXISTS charmig; CREATE TABLE IF NOT EXISTS charmig.charmig_catchup_log (\
    run_id text NOT NULL, table_owner text NOT NULL, table_name text NOT NULL, since text NOT NULL, \
    column_name text NOT NULL, rows_read int8 NOT NULL, inserted int8 NOT NULL, updated int8 NOT NULL, \
    finished timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (run_id, table_owner, table_name))";

/// What a table's catch-up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatchUp {
    pub read: u64,
    pub inserted: u64,
    pub updated: u64,
    /// Whether the target's triggers fired during the merge.
    pub triggers_fired: bool,
}

/// The merge from the staging table (`keys` non-empty). `overriding`: the table has a
/// `GENERATED ALWAYS AS IDENTITY` column, whose source values are kept.
pub fn merge_sql(table: &str, columns: &[String], keys: &[String], overriding: bool) -> String {
    let cols = columns
        .iter()
        .map(|c| quote(c))
        .collect::<Vec<_>>()
        .join(", ");
    let keyl = keys.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", ");
    let sets: Vec<String> = columns
        .iter()
        .filter(|c| !keys.contains(c))
        .map(|c| format!("{q} = EXCLUDED.{q}", q = quote(c)))
        .collect();
    let action = if sets.is_empty() {
        "DO NOTHING".to_string()
    } else {
        format!("DO UPDATE SET {}", sets.join(", "))
    };
    format!(
        "INSERT INTO {table} ({cols}){} SELECT {cols} FROM pg_temp.charmig_stage ON CONFLICT ({keyl}) {action} RETURNING (xmax = 0)",
        if overriding {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        }
    )
}

/// Checks `since` is a timestamp (refused before anything is read).
pub fn check_since(conn: &mut TargetConn, since: &str) -> Result<(), String> {
    conn.client
        .query_one("SELECT $1::text::timestamptz", &[&since])
        .map(|_| ())
        .map_err(|e| format!("--since {since}: not a timestamp: {}", pg_err(&e)))
}

/// Catches one table up. `Ok(None)`: the table has no such column (nothing to do).
pub fn catch_up_table(
    conn: &mut TargetConn,
    cfg: &ClientConfig,
    t: &CopyTable,
    column: &str,
    since: &str,
    progress: &dyn Fn(u64, u64),
) -> Result<Option<CatchUp>, String> {
    let tt = conn.table(t)?;
    if !tt.columns.iter().any(|c| c == column) {
        return Ok(None);
    }
    // Rows merged in another reading than the copy's would sit beside rows converted the
    // copy's way.
    if let Some(why) = super::pg_ranges::done_table_changed(conn, cfg, t)? {
        return Err(format!(
            "{why}: give --catch-up the --scan or --assume the copy used (or copy the table again)"
        ));
    }
    if tt.key.is_empty() {
        return Err(format!(
            "{} has no primary key in the target: rows cannot be merged (run the plan's 03_after_copy first)",
            t.display()
        ));
    }
    let run_id = conn.run_id.clone();
    let c = &mut conn.client;
    c.batch_execute(&format!("BEGIN; CREATE TEMP TABLE charmig_stage (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP; SAVEPOINT charmig_role", tt.sql_name)).map_err(|e| pg_err(&e))?;
    let triggers_fired = match c.batch_execute("SET LOCAL session_replication_role = replica") {
        Ok(()) => false,
        Err(_) => {
            c.batch_execute("ROLLBACK TO SAVEPOINT charmig_role")
                .map_err(|e| pg_err(&e))?;
            true
        }
    };
    let result = (|| -> Result<CatchUp, String> {
        let filter = format!("{} >= {}", quote(column), literal(since));
        let sql = format!(
            "COPY pg_temp.charmig_stage ({}) FROM STDIN (FORMAT text)",
            tt.column_list().join(", ")
        );
        let mut w = c.copy_in(sql.as_str()).map_err(|e| pg_err(&e))?;
        let conv = pump(cfg, t, &tt, Some(&filter), &mut w, progress)?;
        w.finish()
            .map_err(|e| format!("loading the staging table: {}", pg_err(&e)))?;
        let rows = c
            .query(
                merge_sql(&tt.sql_name, &tt.columns, &tt.key, tt.always_identity).as_str(),
                &[],
            )
            .map_err(|e| format!("merging: {}", pg_err(&e)))?;
        let inserted = rows.iter().filter(|r| r.get::<_, bool>(0)).count() as u64;
        let done = CatchUp {
            read: conv.rows,
            inserted,
            updated: rows.len() as u64 - inserted,
            triggers_fired,
        };
        c.batch_execute(CATCHUP_LOG_DDL).map_err(|e| pg_err(&e))?;
        c.execute(
            "INSERT INTO charmig.charmig_catchup_log (run_id, table_owner, table_name, since, column_name, rows_read, inserted, updated) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[&run_id, &t.owner, &t.name, &since, &column, &(done.read as i64), &(done.inserted as i64), &(done.updated as i64)],
        )
        .map_err(|e| pg_err(&e))?;
        Ok(done)
    })();
    match result {
        Ok(done) => {
            c.batch_execute("COMMIT").map_err(|e| pg_err(&e))?;
            Ok(Some(done))
        }
        Err(e) => {
            let _ = c.batch_execute("ROLLBACK");
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_updates_every_non_key_column() {
        let cols = vec![
            "id".to_string(),
            "Name".to_string(),
            "updated_at".to_string(),
        ];
        assert_eq!(
            merge_sql("\"app\".\"items\"", &cols, &["id".to_string()], false),
            "INSERT INTO \"app\".\"items\" (\"id\", \"Name\", \"updated_at\") SELECT \"id\", \"Name\", \"updated_at\" FROM pg_temp.charmig_stage \
             ON CONFLICT (\"id\") DO UPDATE SET \"Name\" = EXCLUDED.\"Name\", \"updated_at\" = EXCLUDED.\"updated_at\" RETURNING (xmax = 0)"
        );
        assert!(
            merge_sql("t", &cols[..1], &cols[..1], false)
                .contains("ON CONFLICT (\"id\") DO NOTHING")
        );
    }
}
