//! `charmig copy` into Oracle: `--via dblink LINK` only (see `copy::oracle_target`; not
//! verified against a live Oracle), and `--status`.

use super::args::CopyArgs;
use super::copy_cmd::{Via, make_bars, open_log, run_and_report, run_id, say, tables, via};
use crate::catalog::Table;
use crate::copy::CopyTarget;
use crate::copy::oracle_target::{self, OracleLinkTarget};
use crate::copy::pg_target::{StatusRow, write_status};
use crate::source::db::{self, DbKind};
use crate::source::oracle::OracleConnector;
use anyhow::{Result, anyhow, bail};
use std::collections::HashMap;
use std::sync::Arc;

fn status(conn: &oracle::Connection) -> Result<Vec<StatusRow>> {
    let sql = "SELECT TABLE_OWNER || '.' || TABLE_NAME, STATE, ROWS_COPIED, TO_CHAR(STARTED, 'YYYY-MM-DD\"T\"HH24:MI:SS'), \
               TO_CHAR(FINISHED, 'YYYY-MM-DD\"T\"HH24:MI:SS'), ERROR, RUN_ID FROM CHARMIG_COPY_LOG ORDER BY 1";
    let rows = match conn.query(sql, &[]) {
        Ok(r) => r,
        // ORA-00942: no copy has run here.
        Err(e) if e.db_error().map(|d| d.code()) == Some(942) => return Ok(Vec::new()),
        Err(e) => return Err(anyhow!("reading CHARMIG_COPY_LOG: {e}")),
    };
    let mut out = Vec::new();
    for r in rows {
        let r = r?;
        out.push(StatusRow {
            table: r.get(0)?,
            state: r.get(1)?,
            rows: r.get(2)?,
            started: r.get(3)?,
            finished: r.get(4)?,
            error: r.get(5)?,
            run_id: r.get(6)?,
            ranges: None,
        });
    }
    Ok(out)
}

pub fn copy(a: CopyArgs, interactive: bool) -> Result<i32> {
    let connector = OracleConnector::open(&a.to, false, interactive)?;
    let lock_conn = connector.connect()?;
    if a.status {
        let rows = status(&lock_conn)?;
        if rows.is_empty() {
            println!("no copy has run against {}", connector.describe());
        } else {
            write_status(&rows, &mut std::io::stdout().lock())?;
        }
        return Ok(0);
    }
    let link = match via(&a)? {
        Via::Dblink(link) => link,
        Via::Client => bail!(
            "into Oracle only --via dblink LINK is available (a database link in the target to the source)"
        ),
    };
    if a.catch_up
        || a.verify
        || a.plan.is_some()
        || a.assume.is_some()
        || !a.assume_column.is_empty()
        || a.on_lossy != "fail"
    {
        bail!(
            "into Oracle, --catch-up, --verify, --assume, --on-lossy replace and --plan are not available: run the plan's \
             01_before_copy.sql and 03_after_copy.sql with SQL*Plus around the copy, and repair lossy cells in the source first"
        );
    }
    // Read before the source is opened: a scan.json that does not read is said first.
    let scan = a
        .scan
        .as_deref()
        .map(crate::clean::scan_file::read)
        .transpose()
        .map_err(|e| anyhow!(e))?;
    let from = a.from.clone().ok_or_else(|| {
        anyhow!("copy needs --from URL (the source, for its tables and their sizes)")
    })?;
    if db::kind_of(&from) != DbKind::Oracle {
        bail!("--from {from}: an Oracle target copies from an Oracle source over a database link");
    }
    if a.jobs == 0 {
        bail!("--jobs must be at least 1");
    }
    oracle_target::prepare_and_lock(&lock_conn).map_err(|e| anyhow!(e))?;
    let source = db::open(&db::ConnectOptions {
        url: from,
        jobs: 1,
        interactive,
        ..Default::default()
    })?;
    let tables = tables(source.as_ref(), &a.table, &a.exclude)?;
    oracle_target::check_scan(&source.catalog().source.charset, scan.as_ref(), &tables)
        .map_err(|e| anyhow!(e))?;
    let by_name: Arc<HashMap<String, Table>> = Arc::new(
        source
            .catalog()
            .tables
            .iter()
            .map(|t| (t.qualified(), t.clone()))
            .collect(),
    );
    let run_id = run_id();
    let njobs = a.jobs.min(tables.len()).max(1);
    let (bars, multi) = make_bars(njobs, &tables);
    let log = open_log(&a, multi)?;
    say(
        &log,
        &format!(
            "copy {run_id}: {} -> {} over link {link}, {} tables, {njobs} jobs",
            source.describe(),
            connector.describe(),
            tables.len()
        ),
    );
    let mut workers: Vec<Box<dyn CopyTarget>> = Vec::new();
    for _ in 0..njobs {
        workers.push(Box::new(
            OracleLinkTarget::new(
                connector.connect()?,
                &link,
                &run_id,
                Arc::clone(&by_name),
                &source.catalog().source.charset,
            )
            .map_err(|e| anyhow!(e))?,
        ));
    }
    let opts = crate::copy::RunOptions {
        restart: a.restart,
        ..Default::default()
    };
    let order = crate::copy::order::Order::none(tables.len());
    let ok = run_and_report(
        &tables,
        &order,
        workers,
        &opts,
        &log,
        &bars,
        &run_id,
        &Vec::new,
        &["run the plan's 03_after_copy.sql with SQL*Plus".to_string()],
    )?;
    drop(lock_conn);
    Ok(if ok { 0 } else { super::EXIT_ERROR })
}
