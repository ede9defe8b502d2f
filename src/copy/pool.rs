//! The worker pool of a copy run: one thread per target connection, taking tasks from one
//! queue until nothing is left.
//!
//! Tasks are a table's load, its keys (the plan's `ADD PRIMARY KEY` / `UNIQUE` steps, one
//! after another: each locks the table exclusively) and each of its other index builds (which
//! share the table's lock, so they run on as many connections as are free). A table's keys are
//! queued the moment its load commits, its index builds the moment its keys are done (or with
//! the keys, when these are built as unique indexes that share the lock, see
//! [`super::steps`]): the
//! first index is built while other tables still load, as `pg_restore -j` does, and no
//! connection waits for the whole load to end. Ready steps go before new loads (keys first,
//! then index builds in the order given, unique ones first), so finished tables complete and
//! every connection stays busy. Tables already `done` in the log have their remaining steps
//! queued at the start (a run killed while building indexes resumes there).
//!
//! Connections are reused: a step runs on the worker's own target connection, in one
//! transaction with its row in the plan log (see [`super::CopyTarget::run_step`]).

use super::{CopyProgress, CopyTable, CopyTarget, RunOptions, Step};
use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};
use std::time::Instant;

/// What the pool did.
#[derive(Debug, Default)]
pub struct PoolOutcome {
    /// Each loaded table's rows, or why it failed.
    pub tables: Vec<(String, Result<u64, String>)>,
    pub steps_run: usize,
    /// (table, what failed) for steps that failed.
    pub failed_steps: Vec<(String, String)>,
}

enum Task<'a> {
    Load(&'a CopyTable),
    Keys(&'a CopyTable, Vec<Step>),
    Index(&'a CopyTable, Step),
}

#[derive(Default)]
struct Queue<'a> {
    loads: VecDeque<&'a CopyTable>,
    keys: VecDeque<(&'a CopyTable, Vec<Step>)>,
    indexes: VecDeque<(&'a CopyTable, Step)>,
    /// Tasks running now (each may queue more work when it ends).
    busy: usize,
    out: PoolOutcome,
}

impl<'a> Queue<'a> {
    fn pick(&mut self) -> Option<Task<'a>> {
        if let Some((t, s)) = self.keys.pop_front() {
            return Some(Task::Keys(t, s));
        }
        if let Some((t, s)) = self.indexes.pop_front() {
            return Some(Task::Index(t, s));
        }
        self.loads.pop_front().map(Task::Load)
    }

    /// Queues the steps of a table whose rows are in.
    fn loaded(&mut self, t: &'a CopyTable, opts: &RunOptions) {
        if let Some(steps) = opts.after.get(&t.qualified()) {
            if !steps.serial.is_empty() {
                self.keys.push_back((t, steps.serial.clone()));
            }
            if steps.serial.is_empty() || steps.keys_share_lock {
                self.indexes
                    .extend(steps.parallel.iter().map(|s| (t, s.clone())));
            }
        }
    }

    fn keys_done(&mut self, t: &'a CopyTable, opts: &RunOptions) {
        if let Some(steps) = opts
            .after
            .get(&t.qualified())
            .filter(|s| !s.keys_share_lock)
        {
            self.indexes
                .extend(steps.parallel.iter().map(|s| (t, s.clone())));
        }
    }
}

/// Loads one table on a worker's connection (the orchestrator's per-table transaction).
pub type LoadFn<'f> =
    dyn Fn(&mut dyn CopyTarget, usize, &CopyTable) -> Result<u64, String> + Sync + 'f;

/// Runs the loads of `todo` (in order) and the steps of `todo` and `done` on `workers`.
pub fn run_pool<'a>(
    todo: &[&'a CopyTable],
    done: &[&'a CopyTable],
    workers: Vec<Box<dyn CopyTarget>>,
    opts: &RunOptions,
    load: &LoadFn<'_>,
    say: &(dyn Fn(String) + Sync),
    progress: &dyn CopyProgress,
) -> PoolOutcome {
    let mut q = Queue {
        loads: todo.iter().copied().collect(),
        ..Queue::default()
    };
    for t in done {
        q.loaded(t, opts);
    }
    let queue = Mutex::new(q);
    let wake = Condvar::new();
    std::thread::scope(|s| {
        for (k, mut w) in workers.into_iter().enumerate() {
            let (queue, wake) = (&queue, &wake);
            s.spawn(move || {
                loop {
                    let task = {
                        let mut q = queue.lock().expect("queue");
                        loop {
                            if let Some(task) = q.pick() {
                                q.busy += 1;
                                break task;
                            }
                            if q.busy == 0 {
                                return;
                            }
                            q = wake.wait(q).expect("queue");
                        }
                    };
                    run_task(w.as_mut(), k, task, queue, opts, load, say, progress);
                    queue.lock().expect("queue").busy -= 1;
                    wake.notify_all();
                }
            });
        }
    });
    queue.into_inner().expect("queue").out
}

#[allow(clippy::too_many_arguments)]
fn run_task<'a>(
    w: &mut dyn CopyTarget,
    k: usize,
    task: Task<'a>,
    queue: &Mutex<Queue<'a>>,
    opts: &RunOptions,
    load: &LoadFn<'_>,
    say: &(dyn Fn(String) + Sync),
    progress: &dyn CopyProgress,
) {
    match task {
        Task::Load(t) => {
            let name = t.qualified();
            progress.table_started(k, t);
            let res = load(w, k, t);
            progress.table_finished(k, t, res.is_ok());
            match &res {
                Ok(rows) => say(format!("{name}: done, {rows} rows")),
                Err(e) => {
                    let _ = w.log(t, super::TableState::Failed, None, Some(e));
                    say(format!("{name}: FAILED: {e}"));
                }
            }
            let mut q = queue.lock().expect("queue");
            if res.is_ok() {
                q.loaded(t, opts);
            }
            q.out.tables.push((name, res));
        }
        Task::Keys(t, steps) => {
            for s in &steps {
                if !step(w, k, t, s, queue, opts, say, progress) {
                    break;
                }
            }
            queue.lock().expect("queue").keys_done(t, opts);
        }
        Task::Index(t, s) => {
            step(w, k, t, &s, queue, opts, say, progress);
        }
    }
}

/// Runs one step; false when it failed (recorded in the plan log and the outcome).
#[allow(clippy::too_many_arguments)]
fn step(
    w: &mut dyn CopyTarget,
    k: usize,
    t: &CopyTable,
    s: &Step,
    queue: &Mutex<Queue<'_>>,
    opts: &RunOptions,
    say: &(dyn Fn(String) + Sync),
    progress: &dyn CopyProgress,
) -> bool {
    progress.step_started(k, t, s);
    let started = Instant::now();
    let res = w.run_step(&opts.plan_id, s);
    let name = t.qualified();
    let mut q = queue.lock().expect("queue");
    match res {
        Ok(()) => {
            q.out.steps_run += 1;
            drop(q);
            say(format!(
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
            q.out.failed_steps.push((name.clone(), what.clone()));
            drop(q);
            w.step_failed(&opts.plan_id, s, &e);
            say(format!("{name}: {what}"));
            false
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
    }
    impl CopyTarget for Target {
        fn states(&mut self) -> Result<HashMap<String, TableState>, String> {
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
            self.ev
                .0
                .lock()
                .unwrap()
                .push(format!("start {}", s.object));
            std::thread::sleep(std::time::Duration::from_millis(5));
            self.ev.0.lock().unwrap().push(format!("end {}", s.object));
            if self.fail_step.as_deref() == Some(s.object.as_str()) {
                return Err("boom".into());
            }
            Ok(())
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
        let ev = Events::default();
        let tables: Vec<CopyTable> = names
            .iter()
            .enumerate()
            .map(|(i, t)| table(t, 10 - i as u64))
            .collect();
        let mut after = HashMap::new();
        for &t in names {
            after.insert(
                format!("s.{t}"),
                TableSteps {
                    serial: vec![step(&format!("{t}_pk")), step(&format!("{t}_uk"))],
                    parallel: vec![step(&format!("{t}_ix1")), step(&format!("{t}_ix2"))],
                    keys_share_lock: shared,
                },
            );
        }
        let opts = RunOptions {
            restart: false,
            after,
            plan_id: "p".into(),
        };
        let workers: Vec<Box<dyn CopyTarget>> = (0..n)
            .map(|_| {
                Box::new(Target {
                    ev: ev.clone(),
                    fail_step: fail_step.map(str::to_string),
                }) as Box<dyn CopyTarget>
            })
            .collect();
        let log: Mutex<Box<dyn std::io::Write + Send>> = Mutex::new(Box::new(Vec::new()));
        let r = super::super::run(&tables, workers, &opts, &log, &NoProgress).unwrap();
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
    fn keys_built_as_unique_indexes_run_beside_the_index_builds() {
        let (ev, r) = run3(3, None, true);
        assert_eq!(r.steps_run, 12, "{ev:?}");
        for t in ["a", "b", "c"] {
            let load = at(&ev, &format!("load {t}"));
            assert!(
                at(&ev, &format!("end {t}_pk")) < at(&ev, &format!("start {t}_uk")),
                "{ev:?}"
            );
            for s in ["pk", "ix1", "ix2"] {
                assert!(load < at(&ev, &format!("start {t}_{s}")), "{ev:?}");
            }
        }
        // One table, three connections: its index builds start with its keys.
        let (ev, _) = run_on(&["a"], 3, None, true);
        assert!(at(&ev, "start a_ix1") < at(&ev, "end a_pk"), "{ev:?}");
        assert!(at(&ev, "start a_ix2") < at(&ev, "end a_pk"), "{ev:?}");
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
}
