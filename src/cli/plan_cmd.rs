//! `charmig plan`, `charmig apply`, `charmig ddl indexes`.

use super::args::{ApplyArgs, DdlIndexesArgs, PlanArgs};
use super::connect_options;
use crate::charset::Dialect;
use crate::plan::{self, CharSemantics, PlanOptions, apply as ap};
use crate::report::term::escape;
use crate::source::db;
use anyhow::{Context, Result, anyhow, bail};
use std::io::Write;

fn plural(n: usize, thing: &str) -> String {
    crate::copy::plural(n as u64, thing)
}

pub fn plan(a: PlanArgs) -> Result<i32> {
    let scan = crate::report::read_scan_json(&a.scan).map_err(|e| anyhow!(e))?;
    let char_semantics = CharSemantics::parse(&a.char_semantics).ok_or_else(|| {
        anyhow!(
            "--char-semantics {}: use all, affected or none",
            a.char_semantics
        )
    })?;
    let (catalog, partition_keys) = match (&a.snapshot, &a.conn.db) {
        (Some(dir), _) => crate::source::oracle::snapshot_dict::plan_catalog(dir)?,
        (None, Some(_)) => {
            let src = db::open(&connect_options(&a.conn, 1))?;
            let mut catalog = src.catalog().clone();
            src.script_index_ddl(&mut catalog)?;
            (catalog, src.partition_keys())
        }
        (None, None) => bail!("plan needs the catalog: --db URL or --snapshot DIR"),
    };
    // A plan from another database's scan would find nothing to do and say so with exit 0.
    crate::catalog::DbIdentity::check(
        "scan.json",
        scan.source.identity.as_ref(),
        catalog.source.identity.as_ref(),
        "scan this database and plan from that scan",
    )
    .map_err(|e| anyhow!(e))?;
    if let Some(t) = scan.tables.iter().find(|t| {
        !catalog
            .tables
            .iter()
            .any(|c| c.owner == t.owner && c.name == t.table_name)
    }) {
        bail!(
            "scan.json is of another database: it scanned {}, which this catalog does not have; scan this database and plan from that scan",
            crate::dialect::postgres::shown(&t.owner, &t.table_name)
        );
    }
    let dialect = match &a.dialect {
        Some(d) => {
            Dialect::parse(d).ok_or_else(|| anyhow!("--dialect {d}: use oracle or postgres"))?
        }
        None => catalog.source.dialect,
    };
    if dialect == Dialect::Oracle {
        crate::dialect::oracle::check_names(&catalog)
            .map_err(|e| anyhow!("{e}: the catalog does not come from an Oracle dictionary; fix the snapshot's columns.csv or dictionary files"))?;
    }
    let opts = PlanOptions {
        char_semantics,
        nchar_to_char: a.nchar_to_char,
        dialect,
    };
    let p = plan::make_plan(&catalog, &scan, &opts, &partition_keys);
    let files = plan::write_plan_dir(&p, &a.out)
        .with_context(|| format!("writing the plan to {}", a.out.display()))?;
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "plan: {}, {} left to you, {}",
        plural(p.steps.len(), "step"),
        plural(p.callouts.len(), "decision"),
        plural(p.notes.len(), "note")
    )?;
    for c in &p.callouts {
        writeln!(
            err,
            "  decide: {}: {}",
            escape(&c.object),
            escape(&c.problem)
        )?;
    }
    writeln!(
        err,
        "files: {}",
        files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    Ok(0)
}

pub fn apply(a: ApplyArgs) -> Result<i32> {
    let p = plan::read_plan(&a.plan).map_err(|e| anyhow!(e))?;
    let steps = ap::select(&p, &a.step).map_err(|e| anyhow!(e))?;
    let outcome = if a.dry_run {
        let mut stdout = std::io::stdout().lock();
        let mut ex = ap::DryRun { out: &mut stdout };
        ap::apply(&p, &steps, &mut ex, &mut std::io::sink()).map_err(|e| anyhow!(e))?
    } else {
        if a.conn.db.is_none() {
            bail!("apply needs --db URL (or --dry-run)");
        }
        let src = db::open(&connect_options(&a.conn, 1))?;
        if src.catalog().source.dialect != p.options.dialect {
            bail!(
                "the plan is for {} but --db is a {} database",
                p.options.dialect.as_str(),
                src.catalog().source.dialect.as_str()
            );
        }
        if let Some(why) = p.wrong_side(&steps, src.catalog().source.identity.as_ref()) {
            bail!("{why}");
        }
        let log_path = a
            .log_file
            .clone()
            .unwrap_or_else(|| a.plan.join("apply.log"));
        let mut log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .with_context(|| format!("opening the log file {}", log_path.display()))?;
        let mut ex = src.executor()?;
        ap::apply(&p, &steps, ex.as_mut(), &mut log).map_err(|e| anyhow!(e))?
    };
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "apply: {} run, {} already done",
        plural(outcome.executed.len(), "step"),
        outcome.skipped_done.len()
    )?;
    if let Some((id, e)) = outcome.failed {
        writeln!(
            err,
            "error: step {id} failed: {e}\nFix the cause and run the same command again: it resumes at step {id}."
        )?;
        return Ok(super::EXIT_ERROR);
    }
    Ok(0)
}

pub fn ddl_indexes(a: DdlIndexesArgs) -> Result<i32> {
    if a.conn.db.is_none() {
        bail!("ddl indexes needs --db URL");
    }
    let src = db::open(&connect_options(&a.conn, 1))?;
    let mut catalog = src.catalog().clone();
    src.script_index_ddl(&mut catalog)?;
    let cat = &catalog;
    let d = cat.source.dialect;
    let mut out: Box<dyn Write> = match &a.out {
        Some(path) => Box::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    writeln!(
        out,
        "-- charmig: secondary indexes of {} ({})",
        crate::dialect::comment_text(d, &src.describe()),
        crate::scan::time::now()
    )?;
    let mut n = 0;
    for i in &cat.indexes {
        if i.constraint.is_some()
            || !(a.schema.is_empty() || a.schema.iter().any(|s| s.eq_ignore_ascii_case(&i.owner)))
        {
            continue;
        }
        let t = i.index_type.to_ascii_uppercase();
        if t.starts_with("IOT") || t == "LOB" || t == "CLUSTER" {
            continue;
        }
        // Names are data: escaped so a line break in one cannot end the comment.
        writeln!(
            out,
            "-- {}\n{};\n",
            crate::dialect::comment_text(
                d,
                &format!("{}.{} on {}.{}", i.owner, i.name, i.table_owner, i.table)
            ),
            plan::sql::create_index(d, i)
        )?;
        n += 1;
    }
    eprintln!("{n} indexes scripted");
    Ok(0)
}
