//! Runs a schema's statements against a PostgreSQL target, each logged in
//! `charmig.charmig_ddl_log`, so a re-run skips what is done and retries what failed.
//!
//! Each statement runs in its own transaction together with its log row, so the log says
//! `done` exactly when the statement's effect is committed. A failed statement is logged with
//! its error and the run goes on: statements that do not depend on it still run. Failed ones
//! are then retried in further passes while a pass gets at least one more through (a
//! statement whose object's dependency was created later in the order, say a view over a
//! function with a SQL-standard body, gets through on the second pass). One run at a time:
//! an advisory lock on the target.
//!
//! The log is keyed by (statement kind, object schema, object name, part): names are stored
//! as they are, never joined into one string.

use super::statement::{DdlStatement, Phase};
use crate::own;
use postgres::Client;
use std::collections::HashMap;

/// Advisory lock key of schema runs ("charmig" + 2).
const LOCK_KEY: i64 = 0x6368_6172_6d69_6702;

pub const LOG_TABLE: &str = "charmig_ddl_log";

fn log_ddl() -> String {
    format!(
        "CREATE SCHEMA IF NOT EXISTS {s};
         CREATE TABLE IF NOT EXISTS {s}.{t} (
             statement_kind text NOT NULL,
             object_schema text NOT NULL,
             object_name text NOT NULL,
             part text NOT NULL DEFAULT '',
             phase text NOT NULL,
             seq integer NOT NULL,
             statement text NOT NULL,
             status text NOT NULL CHECK (status IN ('done', 'failed')),
             error text,
             attempts integer NOT NULL DEFAULT 0,
             run_id text NOT NULL,
             started timestamptz,
             finished timestamptz,
             PRIMARY KEY (statement_kind, object_schema, object_name, part)
         )",
        s = own::PG_SCHEMA,
        t = LOG_TABLE
    )
}

fn upsert() -> String {
    format!(
        "INSERT INTO {s}.{t} AS l (statement_kind, object_schema, object_name, part, phase, seq, statement,
                                   status, error, attempts, run_id, started, finished)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, clock_timestamp())
         ON CONFLICT (statement_kind, object_schema, object_name, part) DO UPDATE SET
             phase = EXCLUDED.phase, seq = EXCLUDED.seq, statement = EXCLUDED.statement,
             status = EXCLUDED.status, error = EXCLUDED.error, attempts = l.attempts + 1,
             run_id = EXCLUDED.run_id, started = EXCLUDED.started, finished = EXCLUDED.finished",
        s = own::PG_SCHEMA,
        t = LOG_TABLE
    )
}

/// What a run did.
#[derive(Debug, Default)]
pub struct RunReport {
    pub done: usize,
    /// Done by an earlier run: skipped.
    pub skipped: usize,
    /// Statements that still fail, with their error.
    pub failed: Vec<(DdlStatement, String)>,
    pub passes: usize,
}

/// A database error as a DBA reads it: message, detail, hint and SQLSTATE.
pub fn pg_err(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let detail = db.detail().map(|d| format!(" ({d})")).unwrap_or_default();
            let hint = db.hint().map(|h| format!(" hint: {h}")).unwrap_or_default();
            format!(
                "{}{detail}{hint} (SQLSTATE {})",
                db.message(),
                db.code().code()
            )
        }
        None => e.to_string(),
    }
}

/// Session settings of a schema run: every name in the statements is qualified, function
/// bodies are checked when they run (their tables may come later in the order).
pub const SESSION: &str = "SET client_encoding = 'UTF8'; SET search_path = ''; \
    SET check_function_bodies = false; SET client_min_messages = warning; \
    SET statement_timeout = 0; SET lock_timeout = 0";

/// Creates the log table, takes the run lock.
pub fn prepare(client: &mut Client) -> Result<(), String> {
    client.batch_execute(SESSION).map_err(|e| pg_err(&e))?;
    let got: bool = client
        .query_one("SELECT pg_catalog.pg_try_advisory_lock($1)", &[&LOCK_KEY])
        .map_err(|e| pg_err(&e))?
        .get(0);
    if !got {
        return Err(
            "another charmig schema run holds this target's lock: wait for it to finish, then run again (it resumes)"
                .into(),
        );
    }
    client.batch_execute(&log_ddl()).map_err(|e| pg_err(&e))
}

/// A DDL log key: statement kind, object schema, object name, part.
pub type LogKey = (String, String, String, String);

/// The log's status per statement key.
pub fn statuses(client: &mut Client) -> Result<HashMap<LogKey, String>, String> {
    let rows = client
        .query(
            &format!(
                "SELECT statement_kind, object_schema, object_name, part, status FROM {}.{}",
                own::PG_SCHEMA,
                LOG_TABLE
            ),
            &[],
        )
        .map_err(|e| pg_err(&e))?;
    Ok(rows
        .iter()
        .map(|r| ((r.get(0), r.get(1), r.get(2), r.get(3)), r.get(4)))
        .collect())
}

fn run_one(
    client: &mut Client,
    s: &DdlStatement,
    seq: i32,
    run_id: &str,
    accept: &super::text_check::Accept,
) -> Result<Option<String>, String> {
    let started = std::time::SystemTime::now();
    let log = upsert();
    let args = |status: &str, error: Option<&str>| {
        (
            s.kind.clone(),
            s.object.schema.clone(),
            s.object.name.clone(),
            s.part.clone(),
            s.phase.as_str().to_string(),
            status.to_string(),
            error.map(str::to_string),
        )
    };
    // Text the catalog gives otherwise than the data is read (see `text_check`): not run.
    let misread = (!accept.accepts(&s.object.schema, &s.object.name))
        .then(|| super::text_check::misread(&s.sql))
        .flatten()
        .map(|why| {
            format!(
                "not run: {why}, while the copy reads the data as the scan or --assume says (a view or default \
                 would then no longer match the copied values). Create it by hand with the text its author meant, \
                 or run `charmig schema` again with --accept-object-text {} to create it as the catalog gives it",
                crate::schema::statement::one_line(&format!("{}.{}", s.object.schema, s.object.name))
            )
        });
    let outcome = match misread {
        Some(why) => Err(Err(why)),
        None => (|| -> Result<(), postgres::Error> {
            let mut tx = client.transaction()?;
            tx.batch_execute(&s.sql)?;
            let (k, os, on, p, ph, st, er) = args("done", None);
            tx.execute(
                log.as_str(),
                &[
                    &k, &os, &on, &p, &ph, &seq, &s.sql, &st, &er, &run_id, &started,
                ],
            )?;
            tx.commit()
        })()
        .map_err(Ok),
    };
    match outcome {
        Ok(()) => Ok(None),
        Err(e) => {
            let msg = match &e {
                Ok(e) => {
                    if e.is_closed() {
                        return Err(format!("the target connection was lost: {}", pg_err(e)));
                    }
                    pg_err(e)
                }
                Err(why) => why.clone(),
            };
            let (k, os, on, p, ph, st, er) = args("failed", Some(&msg));
            client
                .execute(
                    log.as_str(),
                    &[
                        &k, &os, &on, &p, &ph, &seq, &s.sql, &st, &er, &run_id, &started,
                    ],
                )
                .map_err(|e| format!("writing the DDL log: {}", pg_err(&e)))?;
            Ok(Some(msg))
        }
    }
}

/// Runs the statements of `phase` not yet done. `progress` is told each statement that got
/// through; those still failing after the last pass are in the report.
/// An `Err` is a lost connection or an unwritable log: the run stops there (re-run resumes).
pub fn run(
    client: &mut Client,
    statements: &[DdlStatement],
    phase: Phase,
    run_id: &str,
    accept: &super::text_check::Accept,
    progress: &mut dyn FnMut(&DdlStatement),
) -> Result<RunReport, String> {
    let done = statuses(client)?;
    let mut report = RunReport::default();
    let mut todo: Vec<(i32, &DdlStatement)> = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        if s.phase != phase {
            continue;
        }
        if !s.reruns() && done.get(&s.key()).is_some_and(|st| st == "done") {
            report.skipped += 1;
        } else {
            todo.push((i as i32 + 1, s));
        }
    }
    while !todo.is_empty() {
        report.passes += 1;
        let mut failed = Vec::new();
        for (seq, s) in &todo {
            match run_one(client, s, *seq, run_id, accept)? {
                None => {
                    report.done += 1;
                    progress(s);
                }
                Some(err) => {
                    failed.push((*seq, *s, err));
                }
            }
        }
        let progressed = failed.len() < todo.len();
        if !progressed || failed.is_empty() {
            report.failed = failed.into_iter().map(|(_, s, e)| (s.clone(), e)).collect();
            break;
        }
        todo = failed.into_iter().map(|(q, s, _)| (q, s)).collect();
    }
    Ok(report)
}

/// Where a `charmig schema` run into this target records what it created from: the scope
/// (`--schema`, `--exclude`, `--skip-owner`) and the source database, so `charmig copy` can
/// run the schema's after-copy phase itself once every table is copied (see
/// [`crate::cli`]'s copy), with statements built from the source's dictionary at that moment
/// (sequence values then, not at creation).
pub const SCOPE_TABLE: &str = "charmig_schema_scope";

/// The scope of the last `charmig schema` run into this target, and its source's identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedScope {
    pub scope: super::closure::Scope,
    pub source: Option<crate::catalog::DbIdentity>,
}

/// Records `scope` and the source's identity (one row, replaced by each run).
pub fn save_scope(client: &mut Client, saved: &SavedScope) -> Result<(), String> {
    let identity = saved
        .source
        .as_ref()
        .map(|i| serde_json::to_string(i).expect("identity"));
    let mut tx = client.transaction().map_err(|e| pg_err(&e))?;
    tx.batch_execute(&format!(
        "CREATE SCHEMA IF NOT EXISTS {s};
         CREATE TABLE IF NOT EXISTS {s}.{t} (
             schemas text[] NOT NULL, excludes text[] NOT NULL, skip_owners text[] NOT NULL,
             source_identity text, saved timestamptz NOT NULL DEFAULT now());
         DELETE FROM {s}.{t}",
        s = own::PG_SCHEMA,
        t = SCOPE_TABLE
    ))
    .map_err(|e| pg_err(&e))?;
    tx.execute(
        format!(
            "INSERT INTO {}.{} (schemas, excludes, skip_owners, source_identity) VALUES ($1, $2, $3, $4)",
            own::PG_SCHEMA,
            SCOPE_TABLE
        )
        .as_str(),
        &[
            &saved.scope.schemas,
            &saved.scope.excludes,
            &saved.scope.skip_owners,
            &identity,
        ],
    )
    .map_err(|e| pg_err(&e))?;
    tx.commit().map_err(|e| pg_err(&e))
}

/// The scope a `charmig schema` run recorded in this target; `None` when no run did.
pub fn saved_scope(client: &mut Client) -> Result<Option<SavedScope>, String> {
    let exists: bool = client
        .query_one(
            "SELECT pg_catalog.to_regclass($1) IS NOT NULL",
            &[&format!("{}.{}", own::PG_SCHEMA, SCOPE_TABLE)],
        )
        .map_err(|e| pg_err(&e))?
        .get(0);
    if !exists {
        return Ok(None);
    }
    let row = client
        .query_opt(
            format!(
                "SELECT schemas, excludes, skip_owners, source_identity FROM {}.{} LIMIT 1",
                own::PG_SCHEMA,
                SCOPE_TABLE
            )
            .as_str(),
            &[],
        )
        .map_err(|e| pg_err(&e))?;
    Ok(row.map(|r| SavedScope {
        scope: super::closure::Scope {
            schemas: r.get(0),
            excludes: r.get(1),
            skip_owners: r.get(2),
        },
        source: r
            .get::<_, Option<String>>(3)
            .and_then(|s| serde_json::from_str(&s).ok()),
    }))
}

/// True when a `charmig schema` run created this target's schema and no statement of its
/// after-copy phase has run yet (foreign keys missing, triggers disabled: what verify then
/// reports is that phase's work, not a wrong copy).
pub fn after_copy_never_ran(client: &mut Client) -> Result<bool, String> {
    if saved_scope(client)?.is_none() {
        return Ok(false);
    }
    let ran: bool = client
        .query_one(
            format!(
                "SELECT EXISTS (SELECT 1 FROM {}.{} WHERE phase = 'after_copy' AND status = 'done')",
                own::PG_SCHEMA,
                LOG_TABLE
            )
            .as_str(),
            &[],
        )
        .map_err(|e| pg_err(&e))?
        .get(0);
    Ok(!ran)
}
