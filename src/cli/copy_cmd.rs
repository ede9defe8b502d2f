//! `charmig copy`: the copy run (plan steps around it, the lock, workers, progress), `--status`
//! and `--catch-up`.

use super::args::CopyArgs;
use crate::copy::pg_client::{ClientConfig, ClientTarget};
use crate::copy::pg_dblink::DblinkTarget;
use crate::copy::pg_target::{self, TargetConn};
use crate::copy::text::OnLossy;
use crate::copy::{self, CopyProgress, CopyTable, CopyTarget, catchup};
use crate::plan::{self, apply as ap};
use crate::source::Source;
use crate::source::db::{self, DbKind};
use crate::source::postgres::{Connector, PgSource};
use anyhow::{Context, Result, anyhow, bail};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How the rows move.
pub(super) enum Via {
    Client,
    Dblink(String),
}

pub(super) fn via(a: &CopyArgs) -> Result<Via> {
    match a.via.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["client"] => Ok(Via::Client),
        ["dblink", name] => Ok(Via::Dblink(name.to_string())),
        ["dblink"] => bail!("--via dblink needs the foreign server's name: --via dblink SERVER"),
        _ => bail!("--via {}: use `client` or `dblink SERVER`", a.via.join(" ")),
    }
}

/// Log lines go to the log file and to stderr (above the progress bars on a terminal).
struct Tee {
    file: std::fs::File,
    bars: Option<MultiProgress>,
}

impl Write for Tee {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // Names and values in log lines are data: escaped for the terminal and the log.
        let text = String::from_utf8_lossy(buf);
        let text = crate::report::term::escape_text(&text);
        self.file.write_all(text.as_bytes())?;
        match &self.bars {
            Some(m) => {
                for line in text.lines() {
                    let _ = m.println(line);
                }
            }
            None => eprint!("{text}"),
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// One bar per worker on a terminal; counters for periodic log lines otherwise.
pub(super) struct Bars {
    workers: Vec<ProgressBar>,
    total: Option<ProgressBar>,
    rows: AtomicU64,
    bytes: AtomicU64,
}

impl CopyProgress for Bars {
    fn table_started(&self, worker: usize, t: &CopyTable) {
        if let Some(b) = self.workers.get(worker) {
            b.reset();
            b.set_message(t.display());
        }
    }
    fn advance(&self, worker: usize, rows: u64, bytes: u64) {
        self.rows.fetch_add(rows, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        if let Some(b) = self.workers.get(worker) {
            b.inc(rows);
        }
    }
    fn step_started(&self, worker: usize, t: &CopyTable, s: &copy::Step) {
        if let Some(b) = self.workers.get(worker) {
            b.set_message(format!("{} {} ({})", s.action, s.object, t.qualified()));
        }
    }
    fn table_finished(&self, worker: usize, t: &CopyTable, _ok: bool) {
        if let Some(b) = self.workers.get(worker) {
            b.set_message("idle");
        }
        if let Some(b) = &self.total {
            b.inc(t.bytes);
        }
    }
}

pub(super) fn open_log(
    a: &CopyArgs,
    bars: Option<MultiProgress>,
) -> Result<Mutex<Box<dyn Write + Send>>> {
    let path = a
        .log_file
        .clone()
        .unwrap_or_else(|| "charmig-copy.log".into());
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("opening the log file {}", path.display()))?;
    Ok(Mutex::new(Box::new(Tee { file, bars })))
}

pub(super) fn say(log: &Mutex<Box<dyn Write + Send>>, line: &str) {
    let _ = writeln!(
        log.lock().expect("log"),
        "{} {line}",
        crate::scan::time::now()
    );
}

pub(super) fn run_id() -> String {
    format!("copy-{}", crate::scan::time::now().replace([':', '-'], ""))
}

/// The source tables chosen by `--table` (all when none), less `--exclude` and charmig's own
/// tables, with their sizes.
pub(super) fn tables(
    source: &dyn Source,
    chosen: &[String],
    excludes: &[String],
) -> Result<Vec<CopyTable>> {
    use crate::scan::filter::{glob, names_table};
    let cat = source.catalog();
    for c in chosen {
        if !cat.tables.iter().any(|t| names_table(c, &t.owner, &t.name)) {
            bail!(
                "--table {c}: no such table in the source (write TABLE, OWNER.TABLE or \"OWNER\".\"TABLE\")"
            );
        }
    }
    let mut out = Vec::new();
    for (i, t) in cat.tables.iter().enumerate() {
        let picked = chosen.is_empty() || chosen.iter().any(|c| names_table(c, &t.owner, &t.name));
        let excluded = excludes
            .iter()
            .any(|p| glob(p, &t.name) || glob(p, &t.qualified()));
        if picked && !excluded && !crate::own::is_own_table(&t.owner, &t.name) {
            out.push(CopyTable {
                owner: t.owner.clone(),
                name: t.name.clone(),
                bytes: source.size_hint(i),
            });
        }
    }
    if out.is_empty() && !cat.tables.is_empty() {
        bail!("--table/--exclude leave no table to copy");
    }
    Ok(out)
}

/// Refuses tables whose names do not fit a UTF-8 PostgreSQL target.
fn names_fit_utf8(source: &dyn Source, out: &[CopyTable]) -> Result<()> {
    let cat = source.catalog();
    // A name longer than a UTF-8 database keeps was cut on the target (by `pg_dump | psql`, or
    // `charmig schema` refuses it): the copy would write into whatever table the cut name is.
    let mut long = Vec::new();
    for t in cat
        .tables
        .iter()
        .filter(|t| out.iter().any(|o| o.owner == t.owner && o.name == t.name))
    {
        use crate::dialect::postgres::{cut_in_utf8, shown_ident, too_long_message};
        if let Some(cut) = cut_in_utf8(&t.owner) {
            let what = format!("schema {}", shown_ident(&t.owner));
            long.push(too_long_message(&what, &t.owner, &cut));
        }
        long.extend(crate::schema::names::table_too_long(
            &t.owner,
            &t.name,
            t.columns.iter().map(|c| c.name.as_str()),
        ));
    }
    if !long.is_empty() {
        long.dedup();
        bail!(
            "{} name{} too long for a UTF-8 target; nothing was copied (or --exclude the tables):\n  {}",
            long.len(),
            if long.len() == 1 { " is" } else { "s are" },
            long.join("\n  ")
        );
    }
    Ok(())
}

fn parse_assume_columns(specs: &[String]) -> Result<Vec<(String, String)>> {
    specs
        .iter()
        .map(|s| match s.split_once('=') {
            Some((col, cs)) if col.matches('.').count() == 2 => {
                Ok((col.to_string(), cs.to_string()))
            }
            _ => Err(anyhow!(
                "--assume-column {s}: write OWNER.TABLE.COLUMN=CHARSET"
            )),
        })
        .collect()
}

/// Reads a plan for a PostgreSQL target.
fn read_pg_plan(dir: &std::path::Path) -> Result<plan::Plan> {
    let p = plan::read_plan(dir).map_err(|e| anyhow!(e))?;
    if p.options.dialect != crate::charset::Dialect::Postgres {
        bail!(
            "the plan in {} is for {}, the target is PostgreSQL",
            dir.display(),
            p.options.dialect.as_str()
        );
    }
    Ok(p)
}

/// Runs one phase of the plan on the target (on the run's own connection: no new connection,
/// no catalog read); steps already done are skipped.
fn plan_phase(
    client: &mut postgres::Client,
    p: &plan::Plan,
    script: &str,
    log: &Mutex<Box<dyn Write + Send>>,
) -> Result<()> {
    let steps = ap::select(p, &[script.to_string()]).map_err(|e| anyhow!(e))?;
    // The plan's 01/03/04 run on the target: refuse when this connection reaches its source.
    let here = crate::source::postgres::catalog::identity(client);
    if let Some(why) = p.wrong_side(&steps, here.as_ref()) {
        bail!("{why}");
    }
    let mut ex = ap::PgExecutor { client };
    let mut buf = Vec::new();
    let out = ap::apply(p, &steps, &mut ex, &mut buf).map_err(|e| anyhow!(e))?;
    log.lock().expect("log").write_all(&buf)?;
    say(
        log,
        &format!(
            "plan {script}: {} run, {} already done",
            copy::plural(out.executed.len() as u64, "step"),
            out.skipped_done.len()
        ),
    );
    if let Some((id, e)) = out.failed {
        bail!(
            "plan step {id} ({script}) failed on the target: {e}; fix it and run the copy again (it resumes)"
        );
    }
    Ok(())
}

/// The plan's per-table steps not done yet (run by the workers after each table's load).
fn after_steps(
    client: &mut postgres::Client,
    p: &plan::Plan,
    source: &PgSource,
    tables: &[CopyTable],
) -> Result<std::collections::HashMap<(String, String), copy::TableSteps>> {
    use crate::plan::apply::Executor;
    let mut ex = ap::PgExecutor { client };
    ex.prepare().map_err(|e| anyhow!(e))?;
    let done = ex.done_steps(&ap::plan_id(p)).map_err(|e| anyhow!(e))?;
    Ok(copy::steps::per_table(p, source.catalog(), tables, &done))
}

pub fn copy(a: CopyArgs) -> Result<i32> {
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if db::kind_of(&a.to) == DbKind::Oracle {
        return super::copy_oracle::copy(a, interactive);
    }
    let (connector, mut lock_client) = Connector::open(&a.to, interactive)?;
    if a.status {
        let rows = pg_target::status(&mut lock_client).map_err(|e| anyhow!(e))?;
        if rows.is_empty() {
            println!("no copy has run against {}", connector.describe());
        } else {
            pg_target::write_status(&rows, &mut std::io::stdout().lock())?;
        }
        return Ok(0);
    }
    let from = a
        .from
        .clone()
        .ok_or_else(|| anyhow!("copy needs --from URL (the source)"))?;
    if db::kind_of(&from) != DbKind::Postgres {
        bail!("--from {from}: only PostgreSQL sources can be copied from yet");
    }
    if a.jobs == 0 {
        bail!("--jobs must be at least 1");
    }
    let via = via(&a)?;
    let on_lossy = match a.on_lossy.as_str() {
        "fail" => OnLossy::Fail,
        "replace" => OnLossy::Replace,
        o => bail!("--on-lossy {o}: use fail or replace"),
    };
    // A copy onto its own source would wait forever (its TRUNCATE behind its own read).
    // The source's connector and one client, kept for the locale check and the schema's
    // after-copy phase: the password is asked once.
    let (src_connector, mut src_client) = Connector::open(&from, interactive)?;
    {
        let here = pg_target::WhichDatabase::of(&mut src_client).map_err(|e| anyhow!(e))?;
        let there = pg_target::WhichDatabase::of(&mut lock_client).map_err(|e| anyhow!(e))?;
        if here.same(&there) {
            bail!(
                "--from and --to are the same database ({}): a copy goes from the source into another, UTF8, database",
                connector.describe()
            );
        }
    }
    pg_target::check_utf8(&mut lock_client).map_err(|e| anyhow!(e))?;
    pg_target::lock(&mut lock_client).map_err(|e| anyhow!(e))?;
    pg_target::prepare(&mut lock_client).map_err(|e| anyhow!(e))?;
    let source = Arc::new(PgSource::connect(&db::ConnectOptions {
        url: from.clone(),
        jobs: a.jobs,
        interactive,
        ..Default::default()
    })?);
    let tables = tables(source.as_ref(), &a.table, &a.exclude)?;
    names_fit_utf8(source.as_ref(), &tables)?;
    check_locales(
        &mut src_client,
        &mut lock_client,
        &tables,
        a.allow_locale_change,
    )?;
    drop(src_client);
    let scan = match &a.scan {
        Some(path) => {
            let scan = crate::report::read_scan_json(path).map_err(|e| anyhow!(e))?;
            Some(
                crate::copy::reading::from_scan(
                    &scan,
                    source.catalog(),
                    &tables,
                    &path.display().to_string(),
                )
                .map_err(|e| anyhow!(e))?,
            )
        }
        None => None,
    };
    let cfg = Arc::new(ClientConfig {
        source: Arc::clone(&source),
        scan,
        assume: a.assume.clone(),
        assume_columns: parse_assume_columns(&a.assume_column)?,
        on_lossy,
        verify: a.verify,
        notes: Mutex::new(Vec::new()),
        loaded_through: Mutex::default(),
    });
    cfg.check().map_err(|e| anyhow!(e))?;
    let run_id = run_id();

    let plan = match a.catch_up {
        false => a.plan.as_deref().map(read_pg_plan).transpose()?,
        true => None,
    };
    let min_bytes = match &a.split_min_size {
        Some(size) => copy::split::parse_size(size).map_err(|e| anyhow!("--split-min-size {e}"))?,
        None => copy::split::DEFAULT_MIN_BYTES,
    };
    // Both servers on this machine: a stream already keeps two of its cores busy (the source's
    // and the target's server process), so ranges get at most half of them unless asked for.
    let split_jobs = match a.split_min_size.is_none() && source.is_local() && connector.is_local() {
        true => a
            .jobs
            .min(std::thread::available_parallelism().map_or(1, |n| n.get()) / 2),
        false => a.jobs,
    };
    let mut opts = copy::RunOptions {
        restart: a.restart,
        // Ranges need the client path (dblink reads a table in one statement), and TID range
        // scans in one exported snapshot (PostgreSQL 14+). With fewer than two connections for
        // ranges no table is split (`split::decide`), but one an earlier run left unfinished
        // resumes its ranges, on one connection if need be, rather than start over whole.
        split: copy::split::Policy {
            enabled: !a.no_split && matches!(via, Via::Client) && !a.catch_up && source.can_split(),
            jobs: split_jobs,
            min_bytes,
            block_size: source.block_size(),
        },
        // The target on this machine: its cores are this machine's.
        server_cores: connector
            .is_local()
            .then(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        ..Default::default()
    };
    if let Some(p) = &plan {
        opts.after = after_steps(&mut lock_client, p, &source, &tables)?;
        opts.plan_id = ap::plan_id(p);
    }
    // Connections for the loads, and for a table's index builds at once when it has several.
    let width = opts
        .after
        .values()
        .map(|s| s.parallel.len())
        .fold(tables.len(), usize::max);
    // A table copied in ranges uses every connection.
    let sizes: Vec<u64> = tables.iter().map(|t| t.bytes).collect();
    let splits = opts.split.enabled
        && (copy::split::decide(&sizes, &opts.split)
            .iter()
            .any(Option::is_some)
            || !copy::pg_ranges::split_tables(&mut lock_client)
                .map_err(|e| anyhow!(e))?
                .is_empty());
    let width = if splits { a.jobs } else { width };
    let njobs = a.jobs.min(width).max(1);
    let (bars, multi) = make_bars(njobs, &tables);
    let log = open_log(&a, multi.clone())?;
    say(
        &log,
        &format!(
            "copy {run_id}: {} -> {}, {} tables, {njobs} jobs, via {}",
            source.describe(),
            connector.describe(),
            tables.len(),
            a.via.join(" ")
        ),
    );

    if let Some(s) = &cfg.scan {
        let auto = s.columns.values().filter(|r| r.is_auto()).count();
        say(
            &log,
            &format!(
                "columns read as the scan decided: {} ({auto} auto)",
                s.columns.len()
            ),
        );
        if let Some(n) = &s.note {
            say(&log, n);
        }
    }
    if a.catch_up {
        return catch_up(&a, &connector, &cfg, &tables, &run_id, &log, &bars);
    }
    if let Some(p) = &plan {
        plan_phase(&mut lock_client, p, "01_before_copy", &log)?;
        say(
            &log,
            &format!(
                "plan 03_after_copy: {} index and key builds run per table as soon as its rows are in",
                copy::steps::count(&opts.after)
            ),
        );
    }
    // The workers' connections, opened at once.
    let conns: Vec<Result<TargetConn>> = std::thread::scope(|s| {
        let opening: Vec<_> = (0..njobs)
            .map(|_| {
                s.spawn(|| TargetConn::new(connector.connect()?, &run_id).map_err(|e| anyhow!(e)))
            })
            .collect();
        opening
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow!("opening a connection panicked")))
            })
            .collect()
    });
    let order = load_order(&mut lock_client, &tables, &log)?;
    let mut workers: Vec<Box<dyn CopyTarget>> = Vec::new();
    for (k, conn) in conns.into_iter().enumerate() {
        let conn = conn?;
        match &via {
            Via::Client => workers.push(Box::new(ClientTarget::new(conn, Arc::clone(&cfg)))),
            Via::Dblink(server) => workers.push(Box::new(
                DblinkTarget::new(conn, Arc::clone(&cfg), server, k).map_err(|e| anyhow!(e))?,
            )),
        }
    }
    let notes = || {
        let mut notes: Vec<String> = cfg.notes.lock().expect("notes").clone();
        let through = cfg.loaded_through.lock().expect("counts");
        if !through.is_empty() {
            notes.push(format!(
                "tables loaded: {}",
                through
                    .iter()
                    .map(|(w, n)| format!("{n} through {w}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        notes
    };
    let next = match &a.plan {
        Some(dir) => vec![format!(
            "the plan's 03_after_copy runs now; later, at a quiet time: charmig apply --plan {} --db TARGET_URL --step 04_validate",
            dir.display()
        )],
        None => vec![
            "check the moved text: charmig scan --db TARGET_URL (a scan of a UTF8 database finds double-encoded text)"
                .to_string(),
        ],
    };
    if !run_and_report(
        &tables, &order, workers, &opts, &log, &bars, &run_id, &notes, &next,
    )? {
        return Ok(super::EXIT_ERROR);
    }
    if let Some(p) = &plan {
        plan_phase(&mut lock_client, p, "03_after_copy", &log)?;
    }
    let code = if a.no_after_copy {
        0
    } else {
        schema_after_copy(&mut lock_client, &src_connector, &log)?
    };
    drop(lock_client);
    Ok(code)
}

/// Refuses a target whose locale behaves otherwise than the source's when the copied tables
/// have generated stored columns (computed again by the target: their values would change).
fn check_locales(
    src: &mut postgres::Client,
    target: &mut postgres::Client,
    tables: &[CopyTable],
    allow: bool,
) -> Result<()> {
    use crate::source::postgres::locale::{DbLocale, generated_columns};
    if allow {
        return Ok(());
    }
    let keys: Vec<(String, String)> = tables.iter().map(CopyTable::key).collect();
    let generated = generated_columns(target, &keys).map_err(|e| anyhow!(e))?;
    if generated.is_empty() {
        return Ok(());
    }
    let (sl, tl) = (
        DbLocale::of(src).map_err(|e| anyhow!(e))?,
        DbLocale::of(target).map_err(|e| anyhow!(e))?,
    );
    if sl.behaves_like(&tl) {
        return Ok(());
    }
    bail!(
        "the source has {} and the target {}, and the target computes generated columns again, whose values may then differ \
         from the source's (upper('é') is 'é' under C, 'É' elsewhere): {}. Create the target with the source's locale \
         (createdb -E UTF8 -T template0 {}, the charset part of a libc locale's name may change), or pass \
         --allow-locale-change to accept new values",
        sl.describe(),
        tl.describe(),
        generated
            .iter()
            .map(|g| crate::report::term::escape(g))
            .collect::<Vec<_>>()
            .join("; "),
        sl.createdb_options()
    )
}

/// Finishes the schema `charmig schema` created in the target (its foreign keys, triggers,
/// materialized views and sequences) once every one of its tables is copied; 1 when one of
/// its statements failed.
fn schema_after_copy(
    client: &mut postgres::Client,
    source: &Connector,
    log: &Mutex<Box<dyn Write + Send>>,
) -> Result<i32> {
    use super::schema_cmd::{RecordedAfterCopy, after_copy_of_recorded};
    // No `charmig schema` run into this target: nothing to finish, no source connection.
    if crate::schema::pg_run::saved_scope(client)
        .map_err(|e| anyhow!("reading charmig's schema scope: {e}"))?
        .is_none()
    {
        return Ok(0);
    }
    let copied: std::collections::HashSet<(String, String)> = client
        .query(
            "SELECT table_owner, table_name FROM charmig.charmig_copy_log WHERE state = 'done'",
            &[],
        )
        .map_err(|e| anyhow!("reading the copy log: {}", pg_target::pg_err(&e)))?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let mut src = source.connect()?;
    let outcome = after_copy_of_recorded(&mut src, client, &copied, &mut |_| {})
        .map_err(|e| anyhow!("the schema's after-copy phase: {e} (`charmig schema --from … --to … --after-copy` resumes it)"))?;
    match outcome {
        RecordedAfterCopy::NotRecorded => Ok(0),
        RecordedAfterCopy::OtherSource(there) => {
            say(
                log,
                &format!(
                    "note: the target's schema was created by `charmig schema` from another database ({there}): its after-copy phase is left alone"
                ),
            );
            Ok(0)
        }
        RecordedAfterCopy::Waiting(tables) => {
            say(
                log,
                &format!(
                    "schema after-copy waits: {} of the schema's tables not copied yet ({}{}); it runs at the end of the copy that completes them, \
                     or run `charmig schema --from … --to … --after-copy`",
                    tables.len(),
                    tables
                        .iter()
                        .take(5)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                    if tables.len() > 5 { ", …" } else { "" }
                ),
            );
            Ok(0)
        }
        RecordedAfterCopy::Ran(report) => {
            for (s, e) in &report.failed {
                say(
                    log,
                    &format!(
                        "schema after-copy: FAILED {} {}: {}",
                        s.kind,
                        crate::schema::statement::display(&s.object),
                        crate::schema::statement::one_line(e)
                    ),
                );
            }
            if report.done + report.failed.len() > 0 {
                say(
                    log,
                    &format!(
                        "schema after-copy (foreign keys added and validated, triggers enabled, materialized views refreshed, sequences synced): \
                         {} statements done, {} already done, {} failed",
                        report.done,
                        report.skipped,
                        report.failed.len()
                    ),
                );
            }
            Ok(if report.failed.is_empty() { 0 } else { 1 })
        }
    }
}

/// The order the target's foreign keys impose (parents first; see [`copy::order`]). Tables in a
/// reference cycle need their checks off, which only a superuser may do: otherwise refused
/// before anything is copied.
fn load_order(
    client: &mut postgres::Client,
    tables: &[CopyTable],
    log: &Mutex<Box<dyn Write + Send>>,
) -> Result<copy::order::Order> {
    let keys = pg_target::foreign_keys(client).map_err(|e| anyhow!(e))?;
    let order = copy::order::Order::of(tables, &keys);
    if !order.cycles.is_empty() {
        let cycles = order.describe_cycles(tables);
        if !pg_target::is_superuser(client).map_err(|e| anyhow!(e))? {
            bail!(
                "the target's foreign keys form a cycle ({cycles}): no load order satisfies them, and switching their checks \
                 off during the load needs a superuser. Copy with --plan PLAN_DIR (charmig plan: its 01_before_copy drops the \
                 keys, 03_after_copy adds them back NOT VALID), or as a superuser"
            );
        }
        say(
            log,
            &format!(
                "foreign-key checks off while loading tables in a cycle: {cycles} (the source's keys held)"
            ),
        );
    }
    if !order.linked.is_empty() {
        say(
            log,
            "tables loaded parents first (the target's foreign keys are in place; --plan drops them for the load)",
        );
    }
    Ok(order)
}

/// Progress bars on a terminal (one per worker and a total), counters otherwise.
pub(super) fn make_bars(njobs: usize, tables: &[CopyTable]) -> (Bars, Option<MultiProgress>) {
    let multi = std::io::stderr()
        .is_terminal()
        .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
    let bars = Bars {
        workers: multi
            .iter()
            .flat_map(|m| {
                (0..njobs).map(|k| {
                    let b = m.add(ProgressBar::new_spinner());
                    b.set_style(ProgressStyle::with_template(&format!("worker {k}: {{spinner}} {{msg}} {{pos}} rows {{per_sec}}")).expect("static template"));
                    b.enable_steady_tick(Duration::from_millis(200));
                    b
                })
            })
            .collect(),
        total: multi.as_ref().map(|m| {
            let b = m.add(ProgressBar::new(tables.iter().map(|t| t.bytes).sum()));
            b.set_style(ProgressStyle::with_template("total: [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} of source tables, ETA {eta}").expect("static template"));
            b
        }),
        rows: AtomicU64::new(0),
        bytes: AtomicU64::new(0),
    };
    (bars, multi)
}

/// Runs the workers with progress (tables in `order`), then logs the summary; false when a
/// table failed. `next` says what to run after a run without failures.
#[allow(clippy::too_many_arguments)]
pub(super) fn run_and_report(
    tables: &[CopyTable],
    order: &copy::order::Order,
    workers: Vec<Box<dyn CopyTarget>>,
    opts: &copy::RunOptions,
    log: &Mutex<Box<dyn Write + Send>>,
    bars: &Bars,
    run_id: &str,
    notes: &dyn Fn() -> Vec<String>,
    next: &[String],
) -> Result<bool> {
    let started = Instant::now();
    let stop = (Mutex::new(false), std::sync::Condvar::new());
    let report = std::thread::scope(|s| {
        if bars.workers.is_empty() {
            s.spawn(|| ticker(bars, log, &stop, started));
        }
        let r = copy::run(tables, order, workers, opts, log, bars);
        *stop.0.lock().expect("stop") = true;
        stop.1.notify_all();
        r
    })
    .map_err(|e| anyhow!(e))?;
    for b in &bars.workers {
        b.finish_and_clear();
    }
    if let Some(b) = &bars.total {
        b.finish_and_clear();
    }
    let (replaced, other): (Vec<String>, Vec<String>) =
        notes().into_iter().partition(|n| n.contains("U+FFFD"));
    for n in other {
        say(log, &format!("note: {n}"));
    }
    let written = bars.bytes.load(Ordering::Relaxed);
    let moved = if written > 0 {
        written
    } else {
        tables.iter().map(|t| t.bytes).sum()
    };
    let secs = started.elapsed().as_secs_f64();
    for line in copy::summary::lines(run_id, &report, moved, secs, &replaced, next) {
        say(log, &line);
    }
    Ok(report.failed.is_empty())
}

/// Periodic progress lines when stderr is not a terminal, every 10 s until `stop` is set
/// (which wakes it at once: the run's end never waits for the ticker).
fn ticker(
    bars: &Bars,
    log: &Mutex<Box<dyn Write + Send>>,
    stop: &(Mutex<bool>, std::sync::Condvar),
    started: Instant,
) {
    let mut done = stop.0.lock().expect("stop");
    loop {
        let (d, timeout) = stop
            .1
            .wait_timeout_while(done, Duration::from_secs(10), |s| !*s)
            .expect("stop");
        done = d;
        if !timeout.timed_out() {
            return;
        }
        let secs = started.elapsed().as_secs_f64().max(0.001);
        let rows = bars.rows.load(Ordering::Relaxed);
        let mb = bars.bytes.load(Ordering::Relaxed) as f64 / 1e6;
        say(
            log,
            &format!(
                "progress: {rows} rows, {mb:.1} MB written, {:.0} rows/s, {:.1} MB/s",
                rows as f64 / secs,
                mb / secs
            ),
        );
    }
}

/// `--catch-up`: each table's rows changed since `--since`, merged by primary key.
fn catch_up(
    a: &CopyArgs,
    connector: &Connector,
    cfg: &ClientConfig,
    tables: &[CopyTable],
    run_id: &str,
    log: &Mutex<Box<dyn Write + Send>>,
    bars: &Bars,
) -> Result<i32> {
    let (since, column) = (
        a.since.clone().unwrap_or_default(),
        a.column.clone().unwrap_or_default(),
    );
    let mut conn = TargetConn::new(connector.connect()?, run_id).map_err(|e| anyhow!(e))?;
    catchup::check_since(&mut conn, &since).map_err(|e| anyhow!(e))?;
    // Changes merge into a complete copy only: a table whose copy is unfinished (or never
    // ran) holds part of its rows, and the merge would make that look caught up.
    let states = conn.states().map_err(|e| anyhow!(e))?;
    let unfinished: Vec<String> = tables
        .iter()
        .filter(|t| states.get(&t.key()) != Some(&copy::TableState::Done))
        .map(CopyTable::display)
        .collect();
    if !unfinished.is_empty() {
        bail!(
            "--catch-up merges changes into tables whose copy is done; not done in the copy log: {}. Finish the copy first \
             (the same `charmig copy` without --catch-up resumes it), or leave these tables out (--exclude)",
            unfinished.join(", ")
        );
    }
    let (mut failed, mut skipped, mut fired) = (0, Vec::new(), false);
    for t in tables {
        bars.table_started(0, t);
        let r = catchup::catch_up_table(&mut conn, cfg, t, &column, &since, &|r, b| {
            bars.advance(0, r, b)
        });
        bars.table_finished(0, t, r.is_ok());
        match r {
            Ok(Some(c)) => {
                fired |= c.triggers_fired;
                say(
                    log,
                    &format!(
                        "{}: caught up since {since}: {} rows read, {} inserted, {} updated",
                        t.display(),
                        c.read,
                        c.inserted,
                        c.updated
                    ),
                );
            }
            Ok(None) => skipped.push(t.display()),
            Err(e) => {
                failed += 1;
                say(log, &format!("{}: catch-up FAILED: {e}", t.display()));
            }
        }
    }
    if !skipped.is_empty() {
        say(
            log,
            &format!("not caught up (no column {column}): {}", skipped.join(", ")),
        );
    }
    if fired {
        say(
            log,
            "note: the target's triggers fired during the merges (setting session_replication_role needs a superuser)",
        );
    }
    for n in cfg.notes.lock().expect("notes").iter() {
        say(log, &format!("note: {n}"));
    }
    say(
        log,
        &format!(
            "catch-up {run_id}: {} tables merged, {} skipped, {failed} failed",
            tables.len() - skipped.len() - failed,
            skipped.len()
        ),
    );
    Ok(if failed > 0 { super::EXIT_ERROR } else { 0 })
}
