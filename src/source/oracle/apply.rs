//! `charmig apply` on Oracle: plan steps run on the dictionary connection, each logged to
//! CHARMIG_PLAN_LOG in the connecting user's schema.
//!
//! Oracle DDL commits by itself, so a step and its log row cannot commit together as they do
//! on PostgreSQL. A step is therefore logged `running` before it runs and `done` after; when a
//! run is resumed and a step logged `running` fails with the error its own earlier success
//! would cause (the index it drops is gone, the index it creates exists), the step is taken
//! as done and the log says so. Every statement here is golden-tested.

use crate::plan::Step;
use crate::plan::apply::Executor;
use oracle::Connection;
use std::collections::HashSet;

pub const PLAN_LOG_DDL: &str = "CREATE TABLE CHARMIG_PLAN_LOG (\n  PLAN_ID    VARCHAR2(1000) NOT NULL,\n  STEP_ID    VARCHAR2(20) NOT NULL,\n  ACTION     VARCHAR2(40) NOT NULL,\n  OBJECT     VARCHAR2(1000) NOT NULL,\n  STATE      VARCHAR2(10) NOT NULL,\n  ERROR      VARCHAR2(4000),\n  UPDATED_AT TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,\n  CONSTRAINT CHARMIG_PLAN_LOG_PK PRIMARY KEY (PLAN_ID, STEP_ID)\n)";

/// Binds: plan id.
pub const STEP_STATES: &str = "SELECT STEP_ID, STATE FROM CHARMIG_PLAN_LOG WHERE PLAN_ID = :1";

/// Binds (each placeholder once: SQL binds by position): plan id, step id, state, error,
/// plan id, step id, action, object, state, error.
pub const MARK_STEP: &str = "MERGE INTO CHARMIG_PLAN_LOG l\nUSING (SELECT :1 AS p, :2 AS s, :3 AS st, :4 AS err FROM DUAL) x\n  ON (l.PLAN_ID = x.p AND l.STEP_ID = x.s)\nWHEN MATCHED THEN UPDATE SET l.STATE = x.st, l.ERROR = x.err, l.UPDATED_AT = SYSTIMESTAMP\nWHEN NOT MATCHED THEN INSERT (PLAN_ID, STEP_ID, ACTION, OBJECT, STATE, ERROR)\n  VALUES (:5, :6, :7, :8, :9, :10)";

/// ORA-00955: name is already used by an existing object.
const ORA_NAME_USED: i32 = 955;
/// ORA-01418: specified index does not exist.
const ORA_NO_INDEX: i32 = 1418;
/// ORA-01408: such column list already indexed.
const ORA_ALREADY_INDEXED: i32 = 1408;

/// Whether an error on re-running an interrupted step means the step had already happened.
pub fn already_done(action: &str, ora_code: i32) -> bool {
    matches!(
        (action, ora_code),
        ("drop_index", ORA_NO_INDEX)
            | ("create_index", ORA_NAME_USED)
            | ("create_index", ORA_ALREADY_INDEXED)
    )
}

pub struct OracleExecutor<'a> {
    pub conn: std::sync::MutexGuard<'a, Connection>,
}

fn ora(e: &oracle::Error) -> Option<i32> {
    e.db_error().map(|d| d.code()).filter(|&c| c != 0)
}

impl OracleExecutor<'_> {
    fn mark(
        &self,
        plan_id: &str,
        step: &Step,
        state: &str,
        error: Option<&str>,
    ) -> Result<(), String> {
        let err = error.map(|e| e.chars().take(3900).collect::<String>());
        self.conn
            .execute(
                MARK_STEP,
                &[
                    &plan_id,
                    &step.id,
                    &state,
                    &err,
                    &plan_id,
                    &step.id,
                    &step.action,
                    &step.object,
                    &state,
                    &err,
                ],
            )
            .map_err(|e| format!("CHARMIG_PLAN_LOG: {e}"))?;
        self.conn.commit().map_err(|e| e.to_string())
    }

    fn states(&self, plan_id: &str) -> Result<Vec<(String, String)>, String> {
        let rows = self
            .conn
            .query(STEP_STATES, &[&plan_id])
            .map_err(|e| format!("CHARMIG_PLAN_LOG: {e}"))?;
        let mut out = Vec::new();
        for r in rows {
            let r = r.map_err(|e| e.to_string())?;
            out.push((
                r.get::<usize, String>(0).map_err(|e| e.to_string())?,
                r.get::<usize, String>(1).map_err(|e| e.to_string())?,
            ));
        }
        Ok(out)
    }
}

impl Executor for OracleExecutor<'_> {
    fn prepare(&mut self) -> Result<(), String> {
        match self.conn.execute(PLAN_LOG_DDL, &[]) {
            Ok(_) => Ok(()),
            Err(e) if ora(&e) == Some(ORA_NAME_USED) => Ok(()),
            Err(e) => Err(format!("creating CHARMIG_PLAN_LOG: {e}")),
        }
    }

    fn done_steps(&mut self, plan_id: &str) -> Result<HashSet<String>, String> {
        Ok(self
            .states(plan_id)?
            .into_iter()
            .filter(|(_, s)| s == "done")
            .map(|(id, _)| id)
            .collect())
    }

    fn run_step(&mut self, plan_id: &str, step: &Step) -> Result<(), String> {
        let interrupted = self
            .states(plan_id)?
            .iter()
            .any(|(id, s)| *id == step.id && s == "running");
        self.mark(plan_id, step, "running", None)?;
        match self.conn.execute(&step.sql, &[]) {
            Ok(_) => self.mark(plan_id, step, "done", None),
            Err(e) if interrupted && ora(&e).is_some_and(|c| already_done(&step.action, c)) => self
                .mark(
                    plan_id,
                    step,
                    "done",
                    Some(&format!("taken as done after an interrupted run: {e}")),
                ),
            Err(e) => Err(e.to_string()),
        }
    }

    fn record_failure(&mut self, plan_id: &str, step: &Step, error: &str) -> Result<(), String> {
        self.mark(plan_id, step, "failed", Some(error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_plan_log_statements() {
        let got = format!("{PLAN_LOG_DDL};\n\n{STEP_STATES};\n\n{MARK_STEP};\n");
        crate::golden::assert_golden("tests/golden/plan/oracle_plan_log.sql", &got);
        // Each placeholder appears once: positional binds match the argument list.
        for n in 1..=10 {
            assert_eq!(
                MARK_STEP.matches(&format!(":{n}")).count()
                    - usize::from(n == 1) * MARK_STEP.matches(":10").count(),
                1,
                ":{n}"
            );
        }
    }

    #[test]
    fn only_the_errors_of_an_earlier_success_count_as_done() {
        assert!(already_done("drop_index", 1418));
        assert!(already_done("create_index", 955));
        assert!(!already_done("create_index", 1418));
        assert!(!already_done("disable_constraint", 955));
    }
}
