//! Moving the data: a table-by-table copy into the target, resumable and parallel, logged
//! to a state table in the target (CHARMIG_COPY_LOG) and to a log file.
//!
//! The orchestrator (`run`) is independent of the database: a [`CopyTarget`] knows how to
//! lock, log, truncate, copy one table and count. A re-run resumes: tables logged `done` are
//! skipped; a table interrupted mid-copy (`running` or `failed`) is truncated and copied again,
//! so no row is ever copied twice. A big table may be copied in block ranges on several
//! connections (`split`, `pg_ranges`): then each range commits on its own, and a re-run keeps
//! the finished ranges when the source still holds exactly their rows.
//!
//! PostgreSQL targets: `pg_target` (the state table, the run lock, truncation, counts and
//! checksums in the target), `pg_client` (`--via client`: stored bytes read through COPY,
//! converted in Rust by `text`, written with COPY FROM STDIN), `pg_dblink` (`--via dblink`:
//! `INSERT … SELECT … FROM dblink(…)` run in the target) and `catchup` (`--catch-up`).

pub mod binary;
pub mod catchup;
pub mod oracle_sql;
pub mod oracle_target;
pub mod order;
pub mod pg_client;
pub mod pg_dblink;
pub mod pg_ranges;
pub mod pg_target;
pub mod pool;
pub mod reading;
pub mod split;
pub mod steps;
pub mod summary;
pub mod text;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::Mutex;

pub use crate::plan::Step;

/// A table's state in the copy log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableState {
    Running,
    Done,
    Failed,
}

impl TableState {
    pub fn as_str(self) -> &'static str {
        match self {
            TableState::Running => "running",
            TableState::Done => "done",
            TableState::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<TableState> {
        match s {
            "running" => Some(TableState::Running),
            "done" => Some(TableState::Done),
            "failed" => Some(TableState::Failed),
            _ => None,
        }
    }
}

/// One table to copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyTable {
    pub owner: String,
    pub name: String,
    /// Estimated size (biggest first).
    pub bytes: u64,
}

impl CopyTable {
    pub fn qualified(&self) -> String {
        format!("{}.{}", self.owner, self.name)
    }
    /// The log's key: the (owner, name) pair, never a joined string (`a."b.c"` is not
    /// `"a.b".c`).
    pub fn key(&self) -> (String, String) {
        (self.owner.clone(), self.name.clone())
    }
    /// The name as psql accepts it typed (quoted where needed), on one line.
    pub fn display(&self) -> String {
        crate::dialect::postgres::shown(&self.owner, &self.name)
    }
}

/// What the orchestrator needs from the target (one instance per worker: each holds its own
/// connection).
pub trait CopyTarget: Send {
    /// Latest state of each table in the log, by (owner, name).
    fn states(&mut self) -> Result<HashMap<(String, String), TableState>, String>;
    fn log(
        &mut self,
        table: &CopyTable,
        state: TableState,
        rows: Option<u64>,
        error: Option<&str>,
    ) -> Result<(), String>;
    fn truncate(&mut self, table: &CopyTable) -> Result<(), String>;
    /// Empties tables linked by foreign keys in one statement, before their loads (see
    /// [`order`]); committed at once.
    fn truncate_together(&mut self, _tables: &[&CopyTable]) -> Result<(), String> {
        Ok(())
    }
    /// Foreign-key checks off (`true`) for the next table's load: a table in a reference
    /// cycle. Targets that cannot do it say so.
    fn fk_checks_off(&mut self, off: bool) -> Result<(), String> {
        if off {
            Err("this target cannot switch foreign-key checks off".into())
        } else {
            Ok(())
        }
    }
    /// Copies the table; returns the rows written. `progress(rows, bytes)` reports what was
    /// written since its last call.
    fn copy(&mut self, table: &CopyTable, progress: &dyn Fn(u64, u64)) -> Result<u64, String>;
    /// Rows in the source and in the target after the copy.
    fn counts(&mut self, table: &CopyTable) -> Result<(u64, u64), String>;
    /// Order-independent checksums of the converted content, (source, target), when the run
    /// verifies content (`--verify`); `None` otherwise.
    fn checksums(&mut self, _table: &CopyTable) -> Result<Option<(String, String)>, String> {
        Ok(None)
    }
    /// Why a table an earlier run logged `done` must be copied again by this run (its columns
    /// were read otherwise), if so.
    fn changed_reading(&mut self, _table: &CopyTable) -> Result<Option<String>, String> {
        Ok(None)
    }
    /// Makes the copy final and logs the table `done`: on PostgreSQL in the transaction that
    /// truncated and loaded it, so a crash leaves it either done and logged or not done.
    fn finish(&mut self, table: &CopyTable, rows: u64) -> Result<(), String> {
        self.log(table, TableState::Done, Some(rows), None)
    }
    /// Runs one plan step (an index or key build) and logs it done in the plan log, in one
    /// transaction where the database allows.
    fn run_step(&mut self, _plan_id: &str, step: &Step) -> Result<(), String> {
        Err(format!("this target cannot run plan step {}", step.id))
    }
    /// Records a failed plan step in the plan log.
    fn step_failed(&mut self, _plan_id: &str, _step: &Step, _error: &str) {}
    /// The parallel workers this connection's next plan steps may use for their index builds
    /// (`None`: the server's setting). Targets that cannot say ignore it.
    fn build_workers(&mut self, _n: Option<usize>) {}
    /// Tables the range log holds ranges of (a split copy not finished).
    fn split_tables(&mut self) -> Result<HashSet<(String, String)>, String> {
        Ok(HashSet::new())
    }
    /// Starts a table's copy in ranges (`planned`; empty: the ranges the log holds), or
    /// resumes it: keeps the ranges an earlier run finished when the source still holds
    /// exactly their rows, else empties the table and starts over. Returns the ranges to load.
    fn start_split(
        &mut self,
        _table: &CopyTable,
        _planned: &[split::BlockRange],
        _restart: bool,
    ) -> Result<split::SplitStart, String> {
        Err("this target cannot copy a table in ranges".into())
    }
    /// Loads one range in a transaction of its own that also marks it done; returns its rows.
    fn copy_range(
        &mut self,
        _table: &CopyTable,
        _range: &split::BlockRange,
        _progress: &dyn Fn(u64, u64),
    ) -> Result<u64, String> {
        Err("this target cannot copy a table in ranges".into())
    }
    /// Records a range that failed (its rows were rolled back).
    fn range_failed(&mut self, _table: &CopyTable, _range: &split::BlockRange, _error: &str) {}
    /// Every range is done: checks the table (checksums with `--verify`) and logs it done;
    /// returns its rows.
    fn finish_split(&mut self, _table: &CopyTable) -> Result<u64, String> {
        Err("this target cannot copy a table in ranges".into())
    }
}

/// Progress of a run, per worker (progress bars on a terminal, periodic log lines otherwise).
pub trait CopyProgress: Sync {
    fn table_started(&self, _worker: usize, _table: &CopyTable) {}
    fn advance(&self, _worker: usize, _rows: u64, _bytes: u64) {}
    fn table_finished(&self, _worker: usize, _table: &CopyTable, _ok: bool) {}
    /// A worker starts a plan step on a table whose rows are in.
    fn step_started(&self, _worker: usize, _table: &CopyTable, _step: &Step) {}
}

/// No progress display.
pub struct NoProgress;
impl CopyProgress for NoProgress {}

/// The outcome of a copy run.
#[derive(Debug, Default)]
pub struct CopyReport {
    pub copied: Vec<(String, u64)>,
    pub skipped_done: Vec<String>,
    pub failed: Vec<(String, String)>,
    /// Plan steps run per table after its load.
    pub steps_run: usize,
}

/// Statements to run on one table once its rows are committed: the plan's index and key
/// builds, run by the workers as soon as the table's load is done (as `pg_restore -j` does).
#[derive(Debug, Clone, Default)]
pub struct TableSteps {
    /// Run one after another, before `parallel`: keys that lock the table exclusively for
    /// their whole build (`ADD PRIMARY KEY (…)` with more than a column list), so nothing
    /// else of the table can be built meanwhile.
    pub serial: Vec<Step>,
    /// Each on a connection of its own at the same time (`CREATE INDEX` shares the table's
    /// lock with other index builds), the costliest first (see [`steps::build_cost`]): index
    /// builds and the unique index builds of keys with a plain column list.
    pub parallel: Vec<Step>,
    /// Run one after another once every build in `parallel` is done: `ALTER TABLE … ADD
    /// CONSTRAINT k … USING INDEX k` of the keys whose index `parallel` built (short, but it
    /// locks the table, so it would wait for the builds anyway).
    pub attach: Vec<Step>,
}

/// How a run goes.
#[derive(Debug, Default)]
pub struct RunOptions {
    /// Ignore the log and copy every table again.
    pub restart: bool,
    /// The plan's per-table steps (by `CopyTable::key`), not yet done.
    pub after: HashMap<(String, String), TableSteps>,
    /// The plan's identity in the plan log (`plan::apply::plan_id`).
    pub plan_id: String,
    /// When big tables are copied in block ranges on several connections ([`split`]).
    pub split: split::Policy,
    /// The target server's cores, when charmig knows them (the server runs on this machine).
    /// Each index or key build then gets the cores no other task of the run is using as
    /// parallel workers: the costliest build of a table, started while nothing else runs, gets
    /// them all but its own, the builds beside it none. Without it PostgreSQL gives each build
    /// up to `max_parallel_maintenance_workers` (2) whatever else runs: on two cores, three
    /// builds of the benchmark's table then ran 11% longer (`scripts/bench_copy_parts.sh`).
    pub server_cores: Option<usize>,
}

/// Copies the tables with `workers` (one target connection each), biggest tables first among
/// those whose parents are loaded (`order`, indexes into `tables`); each table's steps
/// (`opts.after`) are run by the same pool as soon as its load commits ([`pool`]).
/// `opts.restart` ignores the log and copies every table again.
pub fn run(
    tables: &[CopyTable],
    order: &order::Order,
    mut workers: Vec<Box<dyn CopyTarget>>,
    opts: &RunOptions,
    log: &Mutex<Box<dyn Write + Send>>,
    progress: &dyn CopyProgress,
) -> Result<CopyReport, String> {
    let first = workers.first_mut().ok_or("no target connection")?;
    let states = if opts.restart {
        HashMap::new()
    } else {
        first.states()?
    };
    let mut report = CopyReport::default();
    let mut pending: Vec<usize> = Vec::new();
    let mut done: Vec<usize> = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        if states.get(&t.key()) != Some(&TableState::Done) {
            pending.push(i);
        } else if let Some(why) = first.changed_reading(t)? {
            let mut w = log.lock().unwrap();
            let _ = writeln!(
                w,
                "{} {}: copied again, though an earlier run finished it: {why}",
                crate::scan::time::now(),
                t.display()
            );
            pending.push(i);
        } else {
            done.push(i);
        }
    }
    // A table referencing one copied again (directly or through others) is copied again with
    // it (emptied together): the parent emptied alone would go through a DELETE, which an ON
    // DELETE CASCADE or SET NULL key carries into the child while the log still calls it done.
    // Parents and siblings of a pending table keep their rows.
    let mut is_pending = vec![false; tables.len()];
    for &p in &pending {
        is_pending[p] = true;
    }
    loop {
        let again: Vec<usize> = done
            .iter()
            .copied()
            .filter(|&d| order.parents[d].iter().any(|&p| is_pending[p]))
            .collect();
        if again.is_empty() {
            break;
        }
        for d in again {
            let mut w = log.lock().unwrap();
            let _ = writeln!(
                w,
                "{} {}: copied again, though an earlier run finished it: it references a table copied again",
                crate::scan::time::now(),
                tables[d].display()
            );
            is_pending[d] = true;
            pending.push(d);
        }
        done.retain(|&d| !is_pending[d]);
    }
    report.skipped_done = done.iter().map(|&d| tables[d].display()).collect();
    pending.sort_by(|&a, &b| {
        tables[b]
            .bytes
            .cmp(&tables[a].bytes)
            .then_with(|| tables[a].key().cmp(&tables[b].key()))
    });
    let say = |line: String| {
        let mut w = log.lock().unwrap();
        let _ = writeln!(w, "{} {line}", crate::scan::time::now());
    };
    // Tables linked by foreign keys are emptied together first (see `order`).
    for group in &order.linked {
        let todo: Vec<&CopyTable> = group
            .iter()
            .filter(|i| pending.contains(i))
            .map(|&i| &tables[i])
            .collect();
        if todo.len() < 2 {
            continue;
        }
        for t in &todo {
            first.log(t, TableState::Running, None, None)?;
        }
        first.truncate_together(&todo)?;
        say(format!(
            "emptied together (linked by foreign keys): {}",
            todo.iter()
                .map(|t| t.display())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    // Big tables load in ranges on several connections; never those linked by foreign keys
    // (emptied together above, or loaded parents first) or in a cycle. A table whose split
    // copy an earlier run left unfinished resumes its ranges, whatever the sizes say now.
    let logged = match opts.split.enabled && !opts.restart {
        true => first.split_tables()?,
        false => HashSet::new(),
    };
    let sizes: Vec<u64> = pending.iter().map(|&i| tables[i].bytes).collect();
    let mut split_ranges: HashMap<usize, Vec<split::BlockRange>> = HashMap::new();
    for (&i, cut) in pending.iter().zip(split::decide(&sizes, &opts.split)) {
        if order.in_cycle[i] || order.linked.iter().any(|g| g.contains(&i)) {
            continue;
        }
        match cut {
            Some(r) => {
                split_ranges.insert(i, r);
            }
            None if logged.contains(&tables[i].key()) => {
                split_ranges.insert(i, Vec::new());
            }
            None => {}
        }
    }
    let load = |w: &mut dyn CopyTarget, k: usize, i: usize| -> Result<u64, String> {
        let t = &tables[i];
        let name = t.display();
        w.log(t, TableState::Running, None, None)?;
        if opts.restart || states.contains_key(&t.key()) {
            say(format!(
                "{name}: truncating (earlier attempt did not finish)"
            ));
        }
        w.fk_checks_off(order.in_cycle[i])?;
        // Always start from an empty table: a resumed copy never duplicates rows.
        w.truncate(t)?;
        say(format!("{name}: copying"));
        let rows = w.copy(t, &|r, b| progress.advance(k, r, b))?;
        let (src, dst) = w.counts(t)?;
        if src != dst {
            return Err(format!(
                "row counts differ after the copy: source {src}, target {dst}"
            ));
        }
        if let Some((src, dst)) = w.checksums(t)? {
            if src != dst {
                return Err(format!(
                    "content checksums differ after the copy: source {src}, target {dst}"
                ));
            }
            say(format!(
                "{name}: {}, checksum {dst} verified",
                plural(rows, "row")
            ));
        }
        w.finish(t, rows)?;
        Ok(rows)
    };
    let out = pool::run_pool(
        tables,
        order,
        pending,
        &done,
        &split_ranges,
        workers,
        opts,
        &load,
        &say,
        progress,
    );
    let mut results = out.tables;
    results.sort_by(|a, b| tables[a.0].key().cmp(&tables[b.0].key()));
    for (i, r) in results {
        match r {
            Ok(rows) => report.copied.push((tables[i].display(), rows)),
            Err(e) => report.failed.push((tables[i].display(), e)),
        }
    }
    report.steps_run = out.steps_run;
    report.failed.extend(out.failed_steps);
    Ok(report)
}

/// `n thing` / `n things`.
pub fn plural(n: u64, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// An in-memory target: exercises ordering, resume and failure handling of the
    /// orchestrator (the real targets are tested against PostgreSQL).
    #[derive(Clone)]
    struct Memory {
        log: Arc<Mutex<HashMap<(String, String), TableState>>>,
        rows: Arc<Mutex<HashMap<String, u64>>>,
        source: HashMap<String, u64>,
        fail: Option<String>,
    }
    impl CopyTarget for Memory {
        fn states(&mut self) -> Result<HashMap<(String, String), TableState>, String> {
            Ok(self.log.lock().unwrap().clone())
        }
        fn log(
            &mut self,
            t: &CopyTable,
            s: TableState,
            _: Option<u64>,
            _: Option<&str>,
        ) -> Result<(), String> {
            self.log.lock().unwrap().insert(t.key(), s);
            Ok(())
        }
        fn truncate(&mut self, t: &CopyTable) -> Result<(), String> {
            self.rows.lock().unwrap().insert(t.qualified(), 0);
            Ok(())
        }
        fn copy(&mut self, t: &CopyTable, _: &dyn Fn(u64, u64)) -> Result<u64, String> {
            let n = self.source[&t.qualified()];
            *self.rows.lock().unwrap().entry(t.qualified()).or_default() += n;
            if self.fail.as_deref() == Some(t.name.as_str()) {
                return Err("connection lost".into());
            }
            Ok(n)
        }
        fn counts(&mut self, t: &CopyTable) -> Result<(u64, u64), String> {
            Ok((
                self.source[&t.qualified()],
                self.rows.lock().unwrap()[&t.qualified()],
            ))
        }
    }

    #[test]
    fn resume_skips_done_tables_and_recopies_failed_ones_without_duplicates() {
        let tables: Vec<CopyTable> = ["A", "B", "C"]
            .iter()
            .enumerate()
            .map(|(i, n)| CopyTable {
                owner: "S".into(),
                name: (*n).into(),
                bytes: i as u64,
            })
            .collect();
        let mem = Memory {
            log: Arc::default(),
            rows: Arc::default(),
            source: [
                ("S.A".to_string(), 10),
                ("S.B".to_string(), 20),
                ("S.C".to_string(), 30),
            ]
            .into_iter()
            .collect(),
            fail: Some("B".into()),
        };
        let log: Mutex<Box<dyn Write + Send>> = Mutex::new(Box::new(Vec::new()));
        let none = order::Order::none(3);
        let r = run(
            &tables,
            &none,
            vec![Box::new(mem.clone()), Box::new(mem.clone())],
            &RunOptions::default(),
            &log,
            &NoProgress,
        )
        .unwrap();
        assert_eq!(r.failed.len(), 1);
        assert_eq!(
            r.copied,
            vec![("\"S\".\"A\"".into(), 10), ("\"S\".\"C\"".into(), 30)]
        );
        let mut again = mem.clone();
        again.fail = None;
        let r = run(
            &tables,
            &none,
            vec![Box::new(again.clone())],
            &RunOptions::default(),
            &log,
            &NoProgress,
        )
        .unwrap();
        assert_eq!(
            r.skipped_done,
            vec!["\"S\".\"A\"".to_string(), "\"S\".\"C\"".to_string()]
        );
        assert_eq!(r.copied, vec![("\"S\".\"B\"".into(), 20)]);
        assert_eq!(
            again.rows.lock().unwrap()["S.B"],
            20,
            "the interrupted table was truncated before its second copy"
        );
        let r = run(
            &tables,
            &none,
            vec![Box::new(again)],
            &RunOptions::default(),
            &log,
            &NoProgress,
        )
        .unwrap();
        assert!(r.copied.is_empty() && r.skipped_done.len() == 3);
    }

    /// A target that checks references like a database would: a child loaded before its parent
    /// (or while the parent's load is uncommitted) fails.
    #[derive(Clone)]
    struct Strict {
        loaded: Arc<Mutex<Vec<String>>>,
        parent_of: HashMap<String, String>,
        fail: Option<String>,
        cycle_off: Arc<Mutex<Vec<String>>>,
        off: bool,
    }
    impl CopyTarget for Strict {
        fn states(&mut self) -> Result<HashMap<(String, String), TableState>, String> {
            Ok(HashMap::new())
        }
        fn log(
            &mut self,
            _: &CopyTable,
            _: TableState,
            _: Option<u64>,
            _: Option<&str>,
        ) -> Result<(), String> {
            Ok(())
        }
        fn truncate(&mut self, _: &CopyTable) -> Result<(), String> {
            Ok(())
        }
        fn fk_checks_off(&mut self, off: bool) -> Result<(), String> {
            self.off = off;
            Ok(())
        }
        fn copy(&mut self, t: &CopyTable, _: &dyn Fn(u64, u64)) -> Result<u64, String> {
            std::thread::sleep(std::time::Duration::from_millis(20));
            if self.off {
                self.cycle_off.lock().unwrap().push(t.name.clone());
            } else if let Some(p) = self.parent_of.get(&t.name) {
                if !self.loaded.lock().unwrap().contains(p) {
                    return Err(format!("{} loaded before its parent {p}", t.name));
                }
            }
            if self.fail.as_deref() == Some(t.name.as_str()) {
                return Err("boom".into());
            }
            Ok(1)
        }
        fn counts(&mut self, _: &CopyTable) -> Result<(u64, u64), String> {
            Ok((1, 1))
        }
        fn finish(&mut self, t: &CopyTable, _: u64) -> Result<(), String> {
            self.loaded.lock().unwrap().push(t.name.clone());
            Ok(())
        }
    }

    #[test]
    fn parents_load_first_with_two_workers_and_a_failed_parent_stops_its_children() {
        // The child is the biggest: loaded first if size alone decided.
        let t = |n: &str, bytes| CopyTable {
            owner: "s".into(),
            name: n.into(),
            bytes,
        };
        let tables = vec![
            t("child", 900),
            t("parent", 10),
            t("grand", 5),
            t("x", 1),
            t("y", 2),
        ];
        let keys: Vec<((String, String), (String, String))> = [
            ("child", "parent"),
            ("parent", "grand"),
            ("x", "y"),
            ("y", "x"),
        ]
        .iter()
        .map(|(c, p)| (("s".into(), c.to_string()), ("s".into(), p.to_string())))
        .collect();
        let o = order::Order::of(&tables, &keys);
        let strict = Strict {
            loaded: Arc::default(),
            parent_of: [("child", "parent"), ("parent", "grand")]
                .iter()
                .map(|(c, p)| (c.to_string(), p.to_string()))
                .collect(),
            fail: None,
            cycle_off: Arc::default(),
            off: false,
        };
        let log: Mutex<Box<dyn Write + Send>> = Mutex::new(Box::new(Vec::new()));
        let r = run(
            &tables,
            &o,
            vec![Box::new(strict.clone()), Box::new(strict.clone())],
            &RunOptions::default(),
            &log,
            &NoProgress,
        )
        .unwrap();
        assert!(r.failed.is_empty(), "{:?}", r.failed);
        assert_eq!(r.copied.len(), 5);
        let mut off = strict.cycle_off.lock().unwrap().clone();
        off.sort();
        assert_eq!(off, ["x", "y"], "checks off exactly for the cycle");
        let mut failing = strict.clone();
        failing.loaded = Arc::default();
        failing.fail = Some("grand".into());
        let r = run(
            &tables,
            &o,
            vec![Box::new(failing.clone()), Box::new(failing)],
            &RunOptions::default(),
            &log,
            &NoProgress,
        )
        .unwrap();
        let failed: Vec<&str> = r.failed.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(r.failed.len(), 3, "{failed:?}");
        assert!(
            failed
                .iter()
                .filter(|e| e.contains("whose copy failed"))
                .count()
                == 2,
            "{failed:?}"
        );
    }
}
