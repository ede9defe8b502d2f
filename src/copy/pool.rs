//! The worker pool of a copy run: one thread per target connection, taking tasks from one
//! queue until nothing is left.
//!
//! Tasks are a table's load, its serial keys (keys that lock the table exclusively, one after
//! another), each of its index builds (which share the table's lock, so they run on as many
//! connections as are free, the costliest first) and, once every build of the table is done,
//! the `ALTER TABLE … USING INDEX` that make its unique index builds its keys (see
//! [`super::steps`]). A table's builds are queued the moment its load commits (after its serial
//! keys, when it has any): the first index is built while other tables still load, as
//! `pg_restore -j` does, and no connection waits for the whole load to end. Ready steps go
//! before new loads, so finished tables complete and every connection stays busy. Tables
//! already `done` in the log have their remaining steps queued at the start (a run killed
//! while building indexes resumes there).
//!
//! A table split into block ranges ([`super::split`]) starts with one task that empties it (or
//! checks what an earlier run finished) and queues its ranges; each range is then a task of its
//! own, loaded on whichever connection is free, ranges before new tables. The last range to end
//! finishes the table and queues its keys and indexes; a failed range stops the table's ranges
//! not started yet.
//!
//! Connections are reused: a step runs on the worker's own target connection, in one
//! transaction with its row in the plan log (see [`super::CopyTarget::run_step`]).

use super::split::BlockRange;
use super::{CopyProgress, CopyTable, CopyTarget, RunOptions, Step, TableSteps, order::Order};
use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex};
use std::time::Instant;

/// What the pool did.
#[derive(Debug, Default)]
pub struct PoolOutcome {
    /// Each table the run loaded (index into the tables), with its rows or why it failed.
    pub tables: Vec<(usize, Result<u64, String>)>,
    pub steps_run: usize,
    /// (table, what failed) for steps that failed.
    pub failed_steps: Vec<(String, String)>,
}

enum Task {
    Load(usize),
    /// Starts a split table: empties it or checks what an earlier run finished.
    Split(usize),
    Range(usize, BlockRange),
    /// Not to be loaded: a parent (the second index) failed.
    Blocked(usize, usize),
    Keys(usize, Vec<Step>),
    Index(usize, Step),
    Attach(usize, Vec<Step>),
}

struct Queue<'o> {
    order: &'o Order,
    /// Not started, biggest first.
    pending: Vec<usize>,
    /// Per table: `Some(ok)` once its load finished.
    finished: Vec<Option<bool>>,
    /// Tables this run loads (the others are done already: their rows are there).
    in_run: Vec<bool>,
    /// Serial keys, and the attaching `ALTER`s of tables whose builds are all done.
    keys: VecDeque<Task>,
    indexes: VecDeque<(usize, Step)>,
    /// Ranges of split tables, ready to load.
    ranges: VecDeque<(usize, BlockRange)>,
    /// Per split table being loaded: its ranges queued or running, and the first failure.
    open: HashMap<usize, (usize, Option<String>)>,
    /// The tables to split, with their planned ranges.
    split: &'o HashMap<usize, Vec<BlockRange>>,
    /// Ranges loading now, at most `opts.split.jobs` at once.
    ranges_running: usize,
    range_cap: usize,
    /// Per table: index builds queued or running.
    building: Vec<usize>,
    /// Per table: ids of its builds that failed (their keys are not attached).
    failed_builds: Vec<Vec<String>>,
    /// Tasks running now (each may make more work ready when it ends).
    busy: usize,
    out: PoolOutcome,
}

impl Queue<'_> {
    /// Ready steps first, then the biggest pending table whose parents are all loaded;
    /// `None` while the only work left waits for running tasks.
    fn pick(&mut self) -> Option<Task> {
        if let Some(task) = self.keys.pop_front() {
            return Some(task);
        }
        if let Some((t, s)) = self.indexes.pop_front() {
            return Some(Task::Index(t, s));
        }
        if self.ranges_running < self.range_cap
            && let Some((t, r)) = self.ranges.pop_front()
        {
            self.ranges_running += 1;
            return Some(Task::Range(t, r));
        }
        for (pos, &i) in self.pending.iter().enumerate() {
            let parents = self.order.parents.get(i).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(&p) = parents.iter().find(|&&p| self.finished[p] == Some(false)) {
                self.pending.remove(pos);
                return Some(Task::Blocked(i, p));
            }
            // A parent this run does not load (done earlier) is loaded.
            if parents
                .iter()
                .all(|&p| !self.in_run[p] || self.finished[p] == Some(true))
            {
                self.pending.remove(pos);
                return Some(match self.split.contains_key(&i) {
                    true => Task::Split(i),
                    false => Task::Load(i),
                });
            }
        }
        if self.busy == 0 && !self.pending.is_empty() {
            // Unreachable: the order is acyclic. Load the rest as they come.
            let i = self.pending.remove(0);
            return Some(match self.split.contains_key(&i) {
                true => Task::Split(i),
                false => Task::Load(i),
            });
        }
        None
    }

    /// Queues the steps of a table whose rows are in.
    fn loaded(&mut self, t: usize, key: &(String, String), opts: &RunOptions) {
        if let Some(steps) = opts.after.get(key) {
            if steps.serial.is_empty() {
                self.builds(t, steps);
            } else {
                self.keys.push_back(Task::Keys(t, steps.serial.clone()));
            }
        }
    }

    /// A table's serial keys are done (or one failed): its index builds go next.
    fn keys_done(&mut self, t: usize, key: &(String, String), opts: &RunOptions) {
        if let Some(steps) = opts.after.get(key) {
            self.builds(t, steps);
        }
    }

    /// Queues a table's builds, costliest first, or its attaching steps when it has none.
    fn builds(&mut self, t: usize, steps: &TableSteps) {
        self.building[t] = steps.parallel.len();
        self.indexes
            .extend(steps.parallel.iter().map(|s| (t, s.clone())));
        if steps.parallel.is_empty() {
            self.attach(t, steps);
        }
    }

    /// One build of table `t` ended; after the last, the table's keys are attached.
    fn built(&mut self, t: usize, s: &Step, ok: bool, opts: &RunOptions, key: &(String, String)) {
        if !ok {
            self.failed_builds[t].push(s.id.clone());
        }
        self.building[t] -= 1;
        if self.building[t] == 0
            && let Some(steps) = opts.after.get(key)
        {
            self.attach(t, steps);
        }
    }

    fn attach(&mut self, t: usize, steps: &TableSteps) {
        let attach: Vec<Step> = steps
            .attach
            .iter()
            .filter(|a| !self.failed_builds[t].contains(&super::steps::index_half(&a.id)))
            .cloned()
            .collect();
        if !attach.is_empty() {
            self.keys.push_back(Task::Attach(t, attach));
        }
    }
}

/// Loads one table (an index into the tables) on a worker's connection: the orchestrator's
/// per-table transaction.
pub type LoadFn<'f> = dyn Fn(&mut dyn CopyTarget, usize, usize) -> Result<u64, String> + Sync + 'f;

/// Loads the `pending` tables (biggest first, parents before children) and runs the steps of
/// those and of the `done` ones on `workers`.
#[allow(clippy::too_many_arguments)]
pub fn run_pool(
    tables: &[CopyTable],
    order: &Order,
    pending: Vec<usize>,
    done: &[usize],
    split: &HashMap<usize, Vec<BlockRange>>,
    workers: Vec<Box<dyn CopyTarget>>,
    opts: &RunOptions,
    load: &LoadFn<'_>,
    say: &(dyn Fn(String) + Sync),
    progress: &dyn CopyProgress,
) -> PoolOutcome {
    let mut in_run = vec![false; tables.len()];
    for &i in &pending {
        in_run[i] = true;
    }
    let mut q = Queue {
        order,
        pending,
        finished: vec![None; tables.len()],
        in_run,
        keys: VecDeque::new(),
        indexes: VecDeque::new(),
        ranges: VecDeque::new(),
        open: HashMap::new(),
        split,
        ranges_running: 0,
        range_cap: opts.split.jobs.max(1),
        building: vec![0; tables.len()],
        failed_builds: vec![Vec::new(); tables.len()],
        busy: 0,
        out: PoolOutcome::default(),
    };
    for &i in done {
        q.loaded(i, &tables[i].key(), opts);
    }
    let queue = Mutex::new(q);
    let wake = Condvar::new();
    let ctx = Ctx {
        tables,
        queue: &queue,
        opts,
        load,
        say,
        progress,
    };
    std::thread::scope(|s| {
        for (k, mut w) in workers.into_iter().enumerate() {
            let (ctx, wake) = (&ctx, &wake);
            s.spawn(move || {
                loop {
                    let task = {
                        let mut q = ctx.queue.lock().expect("queue");
                        loop {
                            if let Some(task) = q.pick() {
                                q.busy += 1;
                                if matches!(task, Task::Index(..) | Task::Keys(..)) {
                                    // The cores no running task uses (this one counted).
                                    w.build_workers(
                                        ctx.opts.server_cores.map(|c| c.saturating_sub(q.busy)),
                                    );
                                }
                                break task;
                            }
                            if q.busy == 0 && q.pending.is_empty() {
                                return;
                            }
                            q = wake.wait(q).expect("queue");
                        }
                    };
                    ctx.run(w.as_mut(), k, task);
                    ctx.queue.lock().expect("queue").busy -= 1;
                    wake.notify_all();
                }
            });
        }
    });
    queue.into_inner().expect("queue").out
}

/// What every worker shares.
struct Ctx<'a, 'o> {
    tables: &'a [CopyTable],
    queue: &'a Mutex<Queue<'o>>,
    opts: &'a RunOptions,
    load: &'a LoadFn<'a>,
    say: &'a (dyn Fn(String) + Sync),
    progress: &'a dyn CopyProgress,
}

impl Ctx<'_, '_> {
    /// A table's load ended (whole, or its last range): logged, and its steps queued.
    fn table_ended(&self, w: &mut dyn CopyTarget, i: usize, res: Result<u64, String>) {
        let t = &self.tables[i];
        let name = t.display();
        match &res {
            Ok(rows) => (self.say)(format!("{name}: done, {}", super::plural(*rows, "row"))),
            Err(e) => {
                let _ = w.log(t, super::TableState::Failed, None, Some(e));
                (self.say)(format!("{name}: FAILED: {e}"));
            }
        }
        let mut q = self.queue.lock().expect("queue");
        q.finished[i] = Some(res.is_ok());
        if res.is_ok() {
            q.loaded(i, &t.key(), self.opts);
        }
        q.out.tables.push((i, res));
    }

    /// Starts a split table and queues its ranges (or finishes it when none is left to load).
    fn start_split(&self, w: &mut dyn CopyTarget, k: usize, i: usize) {
        let t = &self.tables[i];
        self.progress.table_started(k, t);
        let planned = self.queue.lock().expect("queue").split[&i].clone();
        // Split tables are never in a reference cycle: an earlier whole-table load on this
        // connection may have left foreign-key checks off for its own table.
        let started = w
            .fk_checks_off(false)
            .and_then(|()| w.log(t, super::TableState::Running, None, None))
            .and_then(|()| w.start_split(t, &planned, self.opts.restart));
        match started {
            Ok(s) => {
                (self.say)(format!("{}: {}", t.display(), s.note));
                if s.todo.is_empty() {
                    self.finish_split(w, k, i, None);
                    return;
                }
                let mut q = self.queue.lock().expect("queue");
                q.open.insert(i, (s.todo.len(), None));
                q.ranges.extend(s.todo.into_iter().map(|r| (i, r)));
            }
            Err(e) => {
                self.progress.table_finished(k, t, false);
                self.table_ended(w, i, Err(e));
            }
        }
    }

    /// Loads one range; the last range of its table to end finishes the table.
    fn range(&self, w: &mut dyn CopyTarget, k: usize, i: usize, r: BlockRange) {
        let t = &self.tables[i];
        self.progress.table_started(k, t);
        let res = w.copy_range(t, &r, &|rows, b| self.progress.advance(k, rows, b));
        let failure = match res {
            Ok(rows) => {
                (self.say)(format!(
                    "{}: {} done, {}",
                    t.display(),
                    r.describe(),
                    super::plural(rows, "row")
                ));
                None
            }
            Err(e) => {
                let e = format!("{}: {e}", r.describe());
                w.range_failed(t, &r, &e);
                Some(e)
            }
        };
        let last = {
            let mut q = self.queue.lock().expect("queue");
            q.ranges_running -= 1;
            let mut dropped = 0;
            if failure.is_some() {
                // The table has failed: its ranges not started yet are not loaded.
                q.ranges.retain(|(x, _)| {
                    let keep = *x != i;
                    dropped += usize::from(!keep);
                    keep
                });
            }
            let open = q.open.get_mut(&i).expect("an open split table");
            open.0 -= 1 + dropped;
            if open.1.is_none() {
                open.1 = failure;
            }
            (open.0 == 0).then(|| open.1.take())
        };
        if let Some(failed) = last {
            self.queue.lock().expect("queue").open.remove(&i);
            self.finish_split(w, k, i, failed);
        }
    }

    fn finish_split(&self, w: &mut dyn CopyTarget, k: usize, i: usize, failed: Option<String>) {
        let t = &self.tables[i];
        let res = match failed {
            Some(e) => Err(e),
            None => w.finish_split(t),
        };
        self.progress.table_finished(k, t, res.is_ok());
        self.table_ended(w, i, res);
    }

    fn run(&self, w: &mut dyn CopyTarget, k: usize, task: Task) {
        match task {
            Task::Load(i) | Task::Blocked(i, _) => {
                let t = &self.tables[i];
                let res = match task {
                    Task::Blocked(_, p) => Err(format!(
                        "not copied: it references {}, whose copy failed",
                        self.tables[p].display()
                    )),
                    _ => {
                        self.progress.table_started(k, t);
                        let res = (self.load)(w, k, i);
                        self.progress.table_finished(k, t, res.is_ok());
                        res
                    }
                };
                self.table_ended(w, i, res);
            }
            Task::Split(i) => self.start_split(w, k, i),
            Task::Range(i, r) => self.range(w, k, i, r),
            Task::Keys(i, steps) => {
                for s in &steps {
                    if !self.step(w, k, i, s) {
                        break;
                    }
                }
                let key = self.tables[i].key();
                self.queue
                    .lock()
                    .expect("queue")
                    .keys_done(i, &key, self.opts);
            }
            Task::Index(i, s) => {
                let ok = self.step(w, k, i, &s);
                let key = self.tables[i].key();
                self.queue
                    .lock()
                    .expect("queue")
                    .built(i, &s, ok, self.opts, &key);
            }
            Task::Attach(i, steps) => {
                for s in &steps {
                    self.step(w, k, i, s);
                }
            }
        }
    }

    /// Runs one step; false when it failed (recorded in the plan log and the outcome).
    fn step(&self, w: &mut dyn CopyTarget, k: usize, i: usize, s: &Step) -> bool {
        let t = &self.tables[i];
        self.progress.step_started(k, t, s);
        let started = Instant::now();
        let res = w.run_step(&self.opts.plan_id, s);
        let name = t.display();
        match res {
            Ok(()) => {
                if s.action != crate::copy::steps::CREATE_KEY_INDEX {
                    // The first half of a key is not a plan step of its own.
                    self.queue.lock().expect("queue").out.steps_run += 1;
                }
                (self.say)(format!(
                    "{name}: plan step {} {} {} done ({:.1} s)",
                    s.id,
                    s.action,
                    s.object,
                    started.elapsed().as_secs_f64()
                ));
                true
            }
            Err(e) => {
                let what = format!("plan step {} ({} {}) failed: {e}", s.id, s.action, s.object);
                self.queue
                    .lock()
                    .expect("queue")
                    .out
                    .failed_steps
                    .push((name.clone(), what.clone()));
                w.step_failed(&self.opts.plan_id, s, &e);
                (self.say)(format!("{name}: {what}"));
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{CopyReport, NoProgress, TableState, TableSteps};
    use super::*;
    use crate::plan::Phase;
    use std::collections::HashMap;
    use std::sync::Arc;

    /// Records the order of events; loads and steps of a table must come in dependency order.
    #[derive(Clone, Default)]
    struct Events(Arc<Mutex<Vec<String>>>);
    struct Target {
        ev: Events,
        fail_step: Option<String>,
        wait_for_indexes: bool,
        /// What `build_workers` last said, recorded in `ev` as `workers <step> <n>`.
        workers: Option<usize>,
    }
    impl CopyTarget for Target {
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
        fn copy(&mut self, t: &CopyTable, _: &dyn Fn(u64, u64)) -> Result<u64, String> {
            self.ev.0.lock().unwrap().push(format!("load {}", t.name));
            std::thread::sleep(std::time::Duration::from_millis(5));
            Ok(1)
        }
        fn counts(&mut self, _: &CopyTable) -> Result<(u64, u64), String> {
            Ok((1, 1))
        }
        fn run_step(&mut self, _: &str, s: &Step) -> Result<(), String> {
            // Events name the step by id without the phase: `a_pk/index`, `a_pk`, `a_ix1`.
            let name = s.id.trim_start_matches("03-").to_string();
            if let Some(n) = self.workers {
                self.ev
                    .0
                    .lock()
                    .unwrap()
                    .push(format!("workers {name} {n}"));
            }
            self.ev.0.lock().unwrap().push(format!("start {name}"));
            std::thread::sleep(std::time::Duration::from_millis(5));
            if self.wait_for_indexes && name.ends_with("_pk/index") {
                // A key's index build: the table's other builds start meanwhile (waited
                // for up to 5 s, so a slow machine does not decide the outcome).
                let t = name.trim_end_matches("_pk/index");
                let started = |ix: &str| {
                    let e = format!("start {t}_{ix}");
                    self.ev.0.lock().unwrap().contains(&e)
                };
                let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
                while !(started("ix1") && started("ix2")) && std::time::Instant::now() < until {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
            }
            self.ev.0.lock().unwrap().push(format!("end {name}"));
            if self.fail_step.as_deref() == Some(name.as_str()) {
                return Err("boom".into());
            }
            Ok(())
        }
        fn build_workers(&mut self, n: Option<usize>) {
            self.workers = n;
        }
    }

    fn step(object: &str) -> Step {
        Step {
            id: format!("03-{object}"),
            phase: Phase::AfterCopy,
            action: "create_index".into(),
            object: object.into(),
            sql: String::new(),
            reverse: None,
            comment: String::new(),
        }
    }

    /// The unique index build of key `object` (see `steps::split_key`).
    fn half(object: &str) -> Step {
        let s = step(object);
        Step {
            id: super::super::steps::index_half(&s.id),
            action: crate::copy::steps::CREATE_KEY_INDEX.into(),
            ..s
        }
    }

    fn table(name: &str, bytes: u64) -> CopyTable {
        CopyTable {
            owner: "s".into(),
            name: name.into(),
            bytes,
        }
    }

    fn run3(n: usize, fail_step: Option<&str>, shared: bool) -> (Vec<String>, CopyReport) {
        run_on(&["a", "b", "c"], n, fail_step, shared)
    }

    fn run_on(
        names: &[&str],
        n: usize,
        fail_step: Option<&str>,
        shared: bool,
    ) -> (Vec<String>, CopyReport) {
        run_with_cores(names, n, fail_step, shared, None)
    }

    fn run_with_cores(
        names: &[&str],
        n: usize,
        fail_step: Option<&str>,
        shared: bool,
        server_cores: Option<usize>,
    ) -> (Vec<String>, CopyReport) {
        let ev = Events::default();
        let tables: Vec<CopyTable> = names
            .iter()
            .enumerate()
            .map(|(i, t)| table(t, 10 - i as u64))
            .collect();
        let mut after = HashMap::new();
        for &t in names {
            after.insert(
                ("s".to_string(), t.to_string()),
                if shared {
                    TableSteps {
                        serial: vec![],
                        parallel: vec![
                            half(&format!("{t}_pk")),
                            half(&format!("{t}_uk")),
                            step(&format!("{t}_ix1")),
                            step(&format!("{t}_ix2")),
                        ],
                        attach: vec![step(&format!("{t}_pk")), step(&format!("{t}_uk"))],
                    }
                } else {
                    TableSteps {
                        serial: vec![step(&format!("{t}_pk")), step(&format!("{t}_uk"))],
                        parallel: vec![step(&format!("{t}_ix1")), step(&format!("{t}_ix2"))],
                        attach: vec![],
                    }
                },
            );
        }
        let opts = RunOptions {
            restart: false,
            after,
            plan_id: "p".into(),
            server_cores,
            ..Default::default()
        };
        let workers: Vec<Box<dyn CopyTarget>> = (0..n)
            .map(|_| {
                Box::new(Target {
                    ev: ev.clone(),
                    fail_step: fail_step.map(str::to_string),
                    wait_for_indexes: shared && names.len() == 1,
                    workers: None,
                }) as Box<dyn CopyTarget>
            })
            .collect();
        let log: Mutex<Box<dyn std::io::Write + Send>> = Mutex::new(Box::new(Vec::new()));
        let none = super::super::order::Order::none(tables.len());
        let r = super::super::run(&tables, &none, workers, &opts, &log, &NoProgress).unwrap();
        let events = ev.0.lock().unwrap().clone();
        (events, r)
    }

    fn at(ev: &[String], e: &str) -> usize {
        ev.iter()
            .position(|x| x == e)
            .unwrap_or_else(|| panic!("{e} not in {ev:?}"))
    }

    #[test]
    fn each_tables_keys_follow_its_load_and_its_indexes_follow_its_keys() {
        let (ev, r) = run3(3, None, false);
        assert_eq!(r.steps_run, 12, "{ev:?}");
        assert!(r.failed.is_empty());
        for t in ["a", "b", "c"] {
            let load = at(&ev, &format!("load {t}"));
            let (pk0, pk1) = (
                at(&ev, &format!("start {t}_pk")),
                at(&ev, &format!("end {t}_pk")),
            );
            let uk0 = at(&ev, &format!("start {t}_uk"));
            let uk1 = at(&ev, &format!("end {t}_uk"));
            assert!(load < pk0 && pk1 < uk0, "{ev:?}");
            for ix in ["ix1", "ix2"] {
                assert!(uk1 < at(&ev, &format!("start {t}_{ix}")), "{ev:?}");
            }
        }
    }

    #[test]
    fn keys_built_as_unique_indexes_run_beside_the_index_builds_and_attach_after_them() {
        let (ev, r) = run3(3, None, true);
        assert_eq!(r.steps_run, 12, "the key halves are not plan steps: {ev:?}");
        for t in ["a", "b", "c"] {
            let load = at(&ev, &format!("load {t}"));
            let builds = ["pk/index", "uk/index", "ix1", "ix2"];
            for b in builds {
                assert!(load < at(&ev, &format!("start {t}_{b}")), "{ev:?}");
                // Every build of the table ends before its keys are attached.
                assert!(
                    at(&ev, &format!("end {t}_{b}")) < at(&ev, &format!("start {t}_pk")),
                    "{ev:?}"
                );
            }
            assert!(
                at(&ev, &format!("end {t}_pk")) < at(&ev, &format!("start {t}_uk")),
                "{ev:?}"
            );
        }
        // One table, three connections: its index builds start beside its keys' builds.
        let (ev, _) = run_on(&["a"], 3, None, true);
        assert!(at(&ev, "start a_ix1") < at(&ev, "end a_pk/index"), "{ev:?}");
        assert!(at(&ev, "start a_ix2") < at(&ev, "end a_pk/index"), "{ev:?}");
    }

    #[test]
    fn index_builds_get_the_cores_no_other_task_uses_as_parallel_workers() {
        let workers = |ev: &[String]| -> Vec<(String, usize)> {
            ev.iter()
                .filter_map(|e| e.strip_prefix("workers "))
                .map(|e| {
                    let (step, n) = e.rsplit_once(' ').unwrap();
                    (step.to_string(), n.parse().unwrap())
                })
                .collect()
        };
        // One table, two connections, a server of 4 cores: the first build starts alone and
        // gets 3 workers; the key's build waits until both others started, so each of them
        // starts beside it and gets 4 - 2.
        let (ev, _) = run_with_cores(&["a"], 2, None, true, Some(4));
        let w = workers(&ev);
        assert_eq!(w.len(), 4 + 2, "every build and attach is told: {ev:?}");
        assert_eq!(w[0], ("a_pk/index".to_string(), 3), "{ev:?}");
        for (step, n) in &w[1..4] {
            assert_eq!(*n, 2, "{step} started beside the key's build: {ev:?}");
        }
        // Two cores: the builds beside the first get none.
        let (ev, _) = run_with_cores(&["a"], 2, None, true, Some(2));
        let w = workers(&ev);
        assert_eq!(w[0].1, 1, "{ev:?}");
        assert!(w[1..4].iter().all(|(_, n)| *n == 0), "{ev:?}");
        // Cores unknown (a remote server): nothing is said, the server's setting stands.
        let (ev, _) = run_with_cores(&["a"], 2, None, true, None);
        assert!(workers(&ev).is_empty(), "{ev:?}");
    }

    #[test]
    fn a_failed_key_index_build_is_not_attached_and_the_rest_goes_on() {
        let (ev, r) = run3(2, Some("b_pk/index"), true);
        assert!(!ev.contains(&"start b_pk".to_string()), "{ev:?}");
        assert!(ev.contains(&"end b_uk".to_string()), "{ev:?}");
        assert_eq!(r.failed.len(), 1, "{:?}", r.failed);
        assert!(r.failed[0].1.contains("03-b_pk/index"), "{:?}", r.failed);
        assert_eq!(r.steps_run, 11, "12 less b's key: {ev:?}");
    }

    #[test]
    fn a_loaded_tables_steps_go_before_the_next_load() {
        let (ev, _) = run3(1, None, false);
        let order: Vec<&str> = ev
            .iter()
            .filter(|e| !e.starts_with("end "))
            .map(String::as_str)
            .collect();
        let mut want = Vec::new();
        for t in ["a", "b", "c"] {
            want.push(format!("load {t}"));
            for s in ["pk", "uk", "ix1", "ix2"] {
                want.push(format!("start {t}_{s}"));
            }
        }
        assert_eq!(order, want);
    }

    #[test]
    fn a_failed_key_stops_that_tables_chain_and_is_reported() {
        let (ev, r) = run3(3, Some("b_pk"), false);
        assert!(!ev.contains(&"start b_uk".to_string()), "{ev:?}");
        assert_eq!(r.failed.len(), 1, "{:?}", r.failed);
        assert!(
            r.failed[0].0 == "s.b" && r.failed[0].1.contains("03-b_pk"),
            "{:?}",
            r.failed
        );
        // The other tables' steps all ran, and b's index builds too.
        assert_eq!(
            r.steps_run, 10,
            "12 less the failed key and the one after it"
        );
    }

    /// A target that copies tables in ranges (in memory): records the order of events.
    struct Ranged {
        ev: Events,
        fail: Option<u64>,
        /// Ranges loading now, and the most at once.
        live: Arc<(
            std::sync::atomic::AtomicUsize,
            std::sync::atomic::AtomicUsize,
        )>,
    }
    impl CopyTarget for Ranged {
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
        fn copy(&mut self, t: &CopyTable, _: &dyn Fn(u64, u64)) -> Result<u64, String> {
            self.ev.0.lock().unwrap().push(format!("load {}", t.name));
            Ok(1)
        }
        fn counts(&mut self, _: &CopyTable) -> Result<(u64, u64), String> {
            Ok((1, 1))
        }
        fn run_step(&mut self, _: &str, s: &Step) -> Result<(), String> {
            self.ev.0.lock().unwrap().push(format!("step {}", s.object));
            Ok(())
        }
        fn start_split(
            &mut self,
            t: &CopyTable,
            planned: &[BlockRange],
            _: bool,
        ) -> Result<super::super::split::SplitStart, String> {
            self.ev
                .0
                .lock()
                .unwrap()
                .push(format!("split {} {}", t.name, planned.len()));
            Ok(super::super::split::SplitStart {
                todo: planned.to_vec(),
                total: planned.len(),
                note: String::new(),
            })
        }
        fn copy_range(
            &mut self,
            t: &CopyTable,
            r: &BlockRange,
            _: &dyn Fn(u64, u64),
        ) -> Result<u64, String> {
            use std::sync::atomic::Ordering::SeqCst;
            let now = self.live.0.fetch_add(1, SeqCst) + 1;
            self.live.1.fetch_max(now, SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(10));
            self.live.0.fetch_sub(1, SeqCst);
            self.ev
                .0
                .lock()
                .unwrap()
                .push(format!("range {} {}", t.name, r.first));
            if self.fail == Some(r.first) {
                return Err("boom".into());
            }
            Ok(10)
        }
        fn finish_split(&mut self, t: &CopyTable) -> Result<u64, String> {
            self.ev.0.lock().unwrap().push(format!("finish {}", t.name));
            Ok(40)
        }
    }

    fn run_split(workers: usize, fail: Option<u64>) -> (Vec<String>, CopyReport) {
        run_split_on(workers, 2, fail).0
    }

    /// (events, report), and the most ranges loading at once.
    fn run_split_on(
        workers: usize,
        jobs: usize,
        fail: Option<u64>,
    ) -> ((Vec<String>, CopyReport), usize) {
        let ev = Events::default();
        let live = Arc::default();
        let tables = vec![table("big", 1000), table("small", 10)];
        let mut after = HashMap::new();
        after.insert(
            ("s".to_string(), "big".to_string()),
            TableSteps {
                serial: vec![step("big_pk")],
                parallel: vec![step("big_ix")],
                attach: vec![],
            },
        );
        let opts = RunOptions {
            after,
            plan_id: "p".into(),
            split: super::super::split::Policy {
                enabled: true,
                jobs,
                min_bytes: 0,
                block_size: 10,
            },
            ..Default::default()
        };
        let targets: Vec<Box<dyn CopyTarget>> = (0..workers)
            .map(|_| {
                Box::new(Ranged {
                    ev: ev.clone(),
                    fail,
                    live: Arc::clone(&live),
                }) as Box<dyn CopyTarget>
            })
            .collect();
        let log: Mutex<Box<dyn std::io::Write + Send>> = Mutex::new(Box::new(Vec::new()));
        let none = super::super::order::Order::none(tables.len());
        let r = super::super::run(&tables, &none, targets, &opts, &log, &NoProgress).unwrap();
        let events = ev.0.lock().unwrap().clone();
        let peak = live.1.load(std::sync::atomic::Ordering::SeqCst);
        ((events, r), peak)
    }

    #[test]
    fn ranges_load_on_at_most_the_policys_connections() {
        // Four connections, ranges on at most two (both servers on a 4-core machine).
        let ((ev, r), peak) = run_split_on(4, 2, None);
        assert!(r.failed.is_empty(), "{:?}", r.failed);
        assert_eq!(ev.iter().filter(|e| e.starts_with("range")).count(), 4);
        assert_eq!(peak, 2, "{ev:?}");
        let (_, peak) = run_split_on(4, 4, None);
        assert!(
            peak > 2,
            "four connections load four ranges at once: {peak}"
        );
    }

    #[test]
    fn a_split_tables_steps_wait_for_its_last_range() {
        let (ev, r) = run_split(2, None);
        // 1000 bytes of 10-byte blocks, two connections: four ranges of 25 blocks; the small
        // table (under its share) is loaded whole.
        assert_eq!(at(&ev, "split big 4"), 0, "{ev:?}");
        let last = ["0", "25", "50", "75"]
            .iter()
            .map(|b| at(&ev, &format!("range big {b}")))
            .max()
            .unwrap();
        let finish = at(&ev, "finish big");
        assert!(last < finish, "{ev:?}");
        assert!(
            finish < at(&ev, "step big_pk") && finish < at(&ev, "step big_ix"),
            "{ev:?}"
        );
        assert!(ev.contains(&"load small".to_string()), "{ev:?}");
        assert_eq!(r.steps_run, 2);
        assert!(r.copied.contains(&("s.big".into(), 40)), "{:?}", r.copied);
    }

    #[test]
    fn a_failed_range_stops_its_table_and_its_steps() {
        // One connection: ranges in block order; the second fails, the two after it never start.
        let (ev, r) = run_split(1, Some(25));
        let ranges: Vec<&String> = ev.iter().filter(|e| e.starts_with("range")).collect();
        assert_eq!(ranges, ["range big 0", "range big 25"], "{ev:?}");
        assert!(
            !ev.iter()
                .any(|e| e == "finish big" || e.starts_with("step")),
            "{ev:?}"
        );
        assert_eq!(
            r.failed,
            vec![("s.big".to_string(), "blocks 25-49: boom".to_string())]
        );
        assert_eq!(r.copied, vec![("s.small".to_string(), 1)]);
    }
}
