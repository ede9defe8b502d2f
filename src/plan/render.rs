//! Renders a plan as the scripts a DBA reviews and runs (SQL*Plus or psql), a reverse script
//! per phase, `plan.json` (what `charmig apply` executes) and `README.txt` (notes and the
//! decisions left to the DBA).

use super::model::*;
use crate::charset::Dialect;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Comment text kept on its line: a name's line break (or `*/`, or SQL*Plus's `&`) must not
/// end the comment or prompt for a value.
fn line(d: Dialect, text: &str) -> String {
    crate::dialect::comment_text(d, text)
}

fn header(w: &mut dyn Write, plan: &Plan, title: &str) -> std::io::Result<()> {
    writeln!(w, "-- charmig plan: {title}")?;
    writeln!(w, "-- source: {}", line(plan.options.dialect, &plan.source))?;
    writeln!(
        w,
        "-- generated: {} (review before running)",
        plan.created_at
    )?;
    match plan.options.dialect {
        Dialect::Oracle => {
            writeln!(
                w,
                "-- run with SQL*Plus as a user allowed to alter these objects"
            )?;
            writeln!(w, "WHENEVER SQLERROR EXIT FAILURE")?;
            // Names and index expressions may hold `&`: no substitution prompts.
            write!(w, "{}", crate::dialect::oracle::SQLPLUS_SETTINGS)?;
            writeln!(w, "SET ECHO ON")?;
        }
        Dialect::Postgres => {
            writeln!(w, "-- run with psql as the tables' owner (or a superuser)")?;
            writeln!(w, "\\set ON_ERROR_STOP on")?;
            writeln!(w, "SET client_encoding = 'UTF8';")?;
        }
    }
    writeln!(w)
}

fn comment_lines(w: &mut dyn Write, d: Dialect, text: &str) -> std::io::Result<()> {
    for l in text.lines() {
        writeln!(w, "-- {}", line(d, l))?;
    }
    Ok(())
}

/// The forward script of one phase.
pub fn write_script(plan: &Plan, phase: Phase, w: &mut dyn Write) -> std::io::Result<()> {
    header(w, plan, phase.title(plan.options.dialect))?;
    if phase == Phase::Semantics {
        for c in &plan.callouts {
            comment_lines(
                w,
                plan.options.dialect,
                &format!(
                    "DECIDE: {}: {}\n  options: {}",
                    c.object, c.problem, c.options
                ),
            )?;
        }
        if !plan.callouts.is_empty() {
            writeln!(w)?;
        }
    }
    let mut any = false;
    for s in plan.steps_of(phase) {
        any = true;
        writeln!(
            w,
            "-- {}",
            line(
                plan.options.dialect,
                &format!("[{}] {} {}: {}", s.id, s.action, s.object, s.comment)
            )
        )?;
        writeln!(w, "{}", end_statement(plan.options.dialect, &s.sql))?;
        writeln!(w)?;
    }
    if !any {
        writeln!(w, "-- nothing to do in this phase")?;
    }
    Ok(())
}

/// A statement ended for its script: `;`, or for an Oracle PL/SQL block a `/` line.
fn end_statement(d: Dialect, sql: &str) -> String {
    match d {
        Dialect::Oracle => crate::dialect::oracle::script_statement(sql),
        Dialect::Postgres => format!("{sql};"),
    }
}

/// The reverse script of one phase: the reverse statements, last step first.
pub fn write_reverse(plan: &Plan, phase: Phase, w: &mut dyn Write) -> std::io::Result<()> {
    header(w, plan, &format!("REVERSE of {}", phase.script()))?;
    let steps: Vec<&Step> = plan.steps_of(phase).collect();
    let mut any = false;
    for s in steps.iter().rev() {
        match &s.reverse {
            Some(r) => {
                any = true;
                writeln!(
                    w,
                    "-- {}",
                    line(
                        plan.options.dialect,
                        &format!("undo [{}] {} {}", s.id, s.action, s.object)
                    )
                )?;
                writeln!(w, "{}", end_statement(plan.options.dialect, r))?;
                writeln!(w)?;
            }
            None => writeln!(
                w,
                "-- {}\n",
                line(
                    plan.options.dialect,
                    &format!("[{}] {} {}: nothing to undo", s.id, s.action, s.object)
                )
            )?,
        }
    }
    if !any && steps.is_empty() {
        writeln!(w, "-- nothing to undo in this phase")?;
    }
    Ok(())
}

pub fn write_readme(plan: &Plan, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "charmig plan ({})", plan.options.dialect.as_str())?;
    writeln!(
        w,
        "Source: {}\nGenerated: {}\n",
        plan.source, plan.created_at
    )?;
    writeln!(
        w,
        "Run the scripts in order; each has a *_reverse.sql that undoes it:"
    )?;
    for p in Phase::ALL {
        writeln!(
            w,
            "  {:<20} {:>4} statements  {}",
            format!("{}.sql", p.script()),
            plan.steps_of(p).count(),
            p.title(plan.options.dialect)
        )?;
    }
    writeln!(
        w,
        "or let charmig run them: charmig apply --plan DIR --db URL [--step NAME] [--dry-run]"
    )?;
    if !plan.callouts.is_empty() {
        writeln!(w, "\nDecisions left to you")?;
        for c in &plan.callouts {
            // README.txt is read in a terminal or an editor: names from the database cannot
            // carry control characters into it.
            writeln!(
                w,
                "  - {}: {}\n    options: {}",
                crate::report::term::escape(&c.object),
                crate::report::term::escape(&c.problem),
                crate::report::term::escape(&c.options)
            )?;
        }
    }
    if !plan.notes.is_empty() {
        writeln!(w, "\nNotes")?;
        for n in &plan.notes {
            writeln!(w, "  - {}", crate::report::term::escape(n))?;
        }
    }
    Ok(())
}

/// Writes the whole plan directory; returns the files written.
pub fn write_plan_dir(plan: &Plan, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut files = Vec::new();
    let mut put =
        |name: String, f: &dyn Fn(&mut dyn Write) -> std::io::Result<()>| -> std::io::Result<()> {
            let path = dir.join(name);
            let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
            f(&mut w)?;
            w.flush()?;
            files.push(path);
            Ok(())
        };
    for p in Phase::ALL {
        put(format!("{}.sql", p.script()), &|w| write_script(plan, p, w))?;
        put(format!("{}_reverse.sql", p.script()), &|w| {
            write_reverse(plan, p, w)
        })?;
    }
    put("README.txt".into(), &|w| write_readme(plan, w))?;
    put("plan.json".into(), &|w| {
        serde_json::to_writer_pretty(&mut *w, plan)?;
        writeln!(w)
    })?;
    Ok(files)
}

/// Reads `plan.json` back, checking its format.
pub fn read_plan(dir: &Path) -> Result<Plan, String> {
    let path = dir.join("plan.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: cannot read: {e} (is this a charmig plan directory?)",
            path.display()
        )
    })?;
    let plan: Plan = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if plan.format != PLAN_FORMAT {
        return Err(format!(
            "{}: format `{}` is not {PLAN_FORMAT}",
            path.display(),
            plan.format
        ));
    }
    Ok(plan)
}
