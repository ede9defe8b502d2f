//! `charmig apply`: executes a reviewed plan's steps, in order, logging each one to a state
//! table in the database (CHARMIG_PLAN_LOG) and to a log file, and resuming after a failure
//! at the first step not done. A dry run is the same path with a recording executor.
//!
//! On PostgreSQL each step runs in one transaction together with its log row (DDL is
//! transactional there), so a crash leaves every step either done and logged or not done.

use super::model::{Phase, Plan, Step};
use std::collections::HashSet;
use std::io::Write;

/// Where steps run.
pub trait Executor {
    /// Creates the state table if absent.
    fn prepare(&mut self) -> Result<(), String>;
    /// Steps of this plan already done.
    fn done_steps(&mut self, plan_id: &str) -> Result<HashSet<String>, String>;
    /// Runs one step and records it as done, atomically where the database allows.
    fn run_step(&mut self, plan_id: &str, step: &Step) -> Result<(), String>;
    /// Records a failed step.
    fn record_failure(&mut self, plan_id: &str, step: &Step, error: &str) -> Result<(), String>;
}

/// What an apply run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ApplyOutcome {
    pub executed: Vec<String>,
    pub skipped_done: Vec<String>,
    pub failed: Option<(String, String)>,
}

/// A plan's identity in the state table: its format, source and creation time.
pub fn plan_id(plan: &Plan) -> String {
    format!("{}@{}", plan.source, plan.created_at)
}

/// Selects the steps to run: all, or those whose id or script name (e.g. `01_before_copy`,
/// `before_copy`, `01`) is in `only`.
pub fn select<'a>(plan: &'a Plan, only: &[String]) -> Result<Vec<&'a Step>, String> {
    if only.is_empty() {
        return Ok(plan.steps.iter().collect());
    }
    let matches = |s: &Step, name: &str| {
        let script = s.phase.script();
        s.id == name || script == name || script[3..] == *name || &script[..2] == name
    };
    for name in only {
        if !plan.steps.iter().any(|s| matches(s, name))
            && !Phase::ALL.iter().any(|p| p.script() == name)
        {
            return Err(format!(
                "--step {name}: no such step or script (use a step id like 01-0003 or a script like 01_before_copy)"
            ));
        }
    }
    Ok(plan
        .steps
        .iter()
        .filter(|s| only.iter().any(|n| matches(s, n)))
        .collect())
}

/// Runs the selected steps in order; stops at the first failure (later steps depend on it).
pub fn apply(
    plan: &Plan,
    steps: &[&Step],
    exec: &mut dyn Executor,
    log: &mut dyn Write,
) -> Result<ApplyOutcome, String> {
    let id = plan_id(plan);
    exec.prepare()?;
    let done = exec.done_steps(&id)?;
    let mut out = ApplyOutcome::default();
    for s in steps {
        if done.contains(&s.id) {
            let _ = writeln!(
                log,
                "{} skip [{}] {} {}: already done",
                crate::scan::time::now(),
                s.id,
                s.action,
                s.object
            );
            out.skipped_done.push(s.id.clone());
            continue;
        }
        if done.contains(&crate::copy::steps::index_half(&s.id)) {
            // `charmig copy --plan` built this key's unique index and was stopped before it
            // made it the key: the plan's statement would fail on the existing index.
            let e = format!(
                "the unique index of {} {} was built by `charmig copy --plan` (logged as step {}) and is not attached yet: \
                 run the same `charmig copy … --plan` command again, which attaches it (its tables are done, so it copies nothing)",
                s.action,
                crate::report::term::escape(&s.object),
                crate::copy::steps::index_half(&s.id)
            );
            let _ = writeln!(log, "{} FAIL [{}]: {e}", crate::scan::time::now(), s.id);
            let _ = exec.record_failure(&id, s, &e);
            out.failed = Some((s.id.clone(), e));
            break;
        }
        let _ = writeln!(
            log,
            "{} run  [{}] {} {}: {}",
            crate::scan::time::now(),
            s.id,
            s.action,
            s.object,
            s.sql
        );
        match exec.run_step(&id, s) {
            Ok(()) => {
                let _ = writeln!(log, "{} done [{}]", crate::scan::time::now(), s.id);
                out.executed.push(s.id.clone());
            }
            Err(e) => {
                let _ = writeln!(log, "{} FAIL [{}]: {e}", crate::scan::time::now(), s.id);
                let _ = exec.record_failure(&id, s, &e);
                out.failed = Some((s.id.clone(), e));
                break;
            }
        }
    }
    Ok(out)
}

/// Prints what would run; changes nothing.
pub struct DryRun<'a> {
    pub out: &'a mut dyn Write,
}

impl Executor for DryRun<'_> {
    fn prepare(&mut self) -> Result<(), String> {
        Ok(())
    }
    fn done_steps(&mut self, _plan_id: &str) -> Result<HashSet<String>, String> {
        Ok(HashSet::new())
    }
    fn run_step(&mut self, _plan_id: &str, step: &Step) -> Result<(), String> {
        writeln!(
            self.out,
            "-- [{}] {} {}\n{};",
            step.id, step.action, step.object, step.sql
        )
        .map_err(|e| e.to_string())
    }
    fn record_failure(&mut self, _plan_id: &str, _step: &Step, _error: &str) -> Result<(), String> {
        Ok(())
    }
}

/// Executes on PostgreSQL: one transaction per step, holding the step and its log row.
pub struct PgExecutor<'a> {
    pub client: &'a mut postgres::Client,
}

/// The plan log lives in charmig's own schema (see [`crate::own`]); rows an older charmig
/// kept in `public.charmig_plan_log` are moved there once, so a resumed plan skips its done
/// steps. Keyed by (plan, step): a step id names one statement, never a joined object name.
const PG_LOG_DDL: &str = "CREATE SCHEMA IF NOT EXISTS charmig; CREATE TABLE IF NOT EXISTS charmig.charmig_plan_log (\
    plan_id text NOT NULL, step_id text NOT NULL, action text NOT NULL, object text NOT NULL, \
    state text NOT NULL, error text, finished_at timestamptz NOT NULL DEFAULT now(), \
    PRIMARY KEY (plan_id, step_id, state)); \
    DO $$ BEGIN \
      IF to_regclass('public.charmig_plan_log') IS NOT NULL AND NOT EXISTS (SELECT 1 FROM charmig.charmig_plan_log) THEN \
        INSERT INTO charmig.charmig_plan_log SELECT plan_id, step_id, action, object, state, error, finished_at \
          FROM public.charmig_plan_log ON CONFLICT DO NOTHING; \
      END IF; END $$";

fn pg_err(e: postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

impl Executor for PgExecutor<'_> {
    fn prepare(&mut self) -> Result<(), String> {
        self.client.batch_execute(PG_LOG_DDL).map_err(pg_err)
    }
    fn done_steps(&mut self, plan_id: &str) -> Result<HashSet<String>, String> {
        let rows = self
            .client
            .query(
                "SELECT step_id FROM charmig.charmig_plan_log WHERE plan_id = $1 AND state = 'done'",
                &[&plan_id],
            )
            .map_err(pg_err)?;
        Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
    }
    fn run_step(&mut self, plan_id: &str, step: &Step) -> Result<(), String> {
        let mut tx = self.client.transaction().map_err(pg_err)?;
        tx.batch_execute(&step.sql).map_err(pg_err)?;
        tx.execute(
            "INSERT INTO charmig.charmig_plan_log (plan_id, step_id, action, object, state) VALUES ($1, $2, $3, $4, 'done')",
            &[&plan_id, &step.id, &step.action, &step.object],
        )
        .map_err(pg_err)?;
        tx.commit().map_err(pg_err)
    }
    fn record_failure(&mut self, plan_id: &str, step: &Step, error: &str) -> Result<(), String> {
        self.client
            .execute(
                "INSERT INTO charmig.charmig_plan_log (plan_id, step_id, action, object, state, error) VALUES ($1, $2, $3, $4, 'failed', $5) \
                 ON CONFLICT (plan_id, step_id, state) DO UPDATE SET error = EXCLUDED.error, finished_at = now()",
                &[&plan_id, &step.id, &step.action, &step.object, &error],
            )
            .map(|_| ())
            .map_err(pg_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::tests::{fixture_catalog, fixture_scan};
    use crate::plan::{CharSemantics, PlanOptions, make_plan};

    /// Fails at one step, remembers what was done: exercises resume without a database.
    struct Flaky {
        done: Vec<String>,
        fail_at: Option<String>,
    }
    impl Executor for Flaky {
        fn prepare(&mut self) -> Result<(), String> {
            Ok(())
        }
        fn done_steps(&mut self, _: &str) -> Result<HashSet<String>, String> {
            Ok(self.done.iter().cloned().collect())
        }
        fn run_step(&mut self, _: &str, s: &Step) -> Result<(), String> {
            if self.fail_at.as_deref() == Some(s.id.as_str()) {
                return Err("boom".into());
            }
            self.done.push(s.id.clone());
            Ok(())
        }
        fn record_failure(&mut self, _: &str, _: &Step, _: &str) -> Result<(), String> {
            Ok(())
        }
    }

    #[test]
    fn apply_stops_at_a_failure_and_resumes_there() {
        let plan = make_plan(
            &fixture_catalog(),
            &fixture_scan(),
            &PlanOptions {
                char_semantics: CharSemantics::Affected,
                nchar_to_char: false,
                dialect: crate::charset::Dialect::Oracle,
            },
            &[],
        );
        let steps = select(&plan, &[]).unwrap();
        let mut ex = Flaky {
            done: vec![],
            fail_at: Some("01-0005".into()),
        };
        let first = apply(&plan, &steps, &mut ex, &mut Vec::new()).unwrap();
        assert_eq!(first.executed.len(), 4);
        assert_eq!(first.failed.as_ref().map(|f| f.0.as_str()), Some("01-0005"));
        ex.fail_at = None;
        let second = apply(&plan, &steps, &mut ex, &mut Vec::new()).unwrap();
        assert_eq!(second.skipped_done.len(), 4);
        assert_eq!(second.executed.first().map(String::as_str), Some("01-0005"));
        assert_eq!(ex.done.len(), plan.steps.len());
        // A third run does nothing.
        let third = apply(&plan, &steps, &mut ex, &mut Vec::new()).unwrap();
        assert!(third.executed.is_empty());
    }

    #[test]
    fn select_by_script_or_id() {
        let plan = make_plan(
            &fixture_catalog(),
            &fixture_scan(),
            &PlanOptions {
                char_semantics: CharSemantics::All,
                nchar_to_char: false,
                dialect: crate::charset::Dialect::Oracle,
            },
            &[],
        );
        let s = select(&plan, &["02_semantics".into()]).unwrap();
        assert!(!s.is_empty() && s.iter().all(|s| s.phase == Phase::Semantics));
        assert_eq!(select(&plan, &["01-0002".into()]).unwrap().len(), 1);
        assert!(select(&plan, &["09_nothing".into()]).is_err());
    }
}
