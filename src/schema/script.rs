//! The script of a schema run, for review or to run with psql (`--out FILE`, `--dry-run`):
//! the same statements, in the same order, each after a comment naming its object. Names in
//! comments go through [`one_line`], so a name holding a newline, a backslash or `*/` cannot
//! end the comment line and turn the rest of it into SQL or a psql command.
//!
//! The after-copy statements go into a second script, run once the data is in.

use super::statement::{DdlStatement, Phase, display, one_line};
use std::io::Write;

/// Writes the statements of `phase` as a psql script.
pub fn write(
    w: &mut dyn Write,
    statements: &[DdlStatement],
    phase: Phase,
    source: &str,
) -> std::io::Result<usize> {
    let title = match phase {
        Phase::Create => "Create the schema (before the copy)",
        Phase::AfterCopy => {
            "After the copy: validate foreign keys, enable triggers, refresh materialized views, sync sequences"
        }
    };
    writeln!(w, "-- charmig schema: {title}")?;
    writeln!(w, "-- source: {}", one_line(source))?;
    writeln!(
        w,
        "-- Run with: psql -X -v ON_ERROR_STOP=1 -d TARGET -f THIS_FILE"
    )?;
    writeln!(
        w,
        "-- (unlike `charmig schema --to`, a script run is not logged in charmig.charmig_ddl_log)"
    )?;
    writeln!(w, "\\set ON_ERROR_STOP on")?;
    for s in super::pg_run::SESSION.split("; ") {
        writeln!(w, "{};", s.trim_end_matches(';'))?;
    }
    let mut n = 0;
    for s in statements.iter().filter(|s| s.phase == phase) {
        n += 1;
        writeln!(w)?;
        let part = if s.part.is_empty() {
            String::new()
        } else {
            format!(" [{}]", one_line(&s.part))
        };
        writeln!(w, "-- {n}. {} {}{part}", s.kind, display(&s.object))?;
        if let Some(why) = super::text_check::misread(&s.sql) {
            writeln!(
                w,
                "-- REVIEW: {}: write the text its author meant before running it",
                one_line(&why)
            )?;
        }
        writeln!(w, "{};", s.sql)?;
    }
    Ok(n)
}

/// Writes the statements of `phase` as a SQL*Plus script (Oracle): `SET DEFINE OFF` (an `&`
/// in a name or a literal is data), `SET SQLBLANKLINES ON` (DBMS_METADATA's PRETTY output
/// has blank lines inside statements), PL/SQL units ended by a `/` line, others by `;`.
pub fn write_sqlplus(
    w: &mut dyn Write,
    statements: &[DdlStatement],
    phase: Phase,
    source: &str,
) -> std::io::Result<usize> {
    use crate::charset::Dialect;
    use crate::dialect::comment_text;
    let line = |s: &str| comment_text(Dialect::Oracle, s);
    writeln!(
        w,
        "-- charmig schema ({}), source: {}",
        phase.as_str(),
        line(source)
    )?;
    writeln!(
        w,
        "-- Run with: sqlplus USER@TARGET @THIS_FILE (not logged in CHARMIG.CHARMIG_DDL_LOG)"
    )?;
    write!(w, "{}", crate::dialect::oracle::SQLPLUS_SETTINGS)?;
    writeln!(w, "WHENEVER SQLERROR EXIT SQL.SQLCODE")?;
    writeln!(w, "{};", super::oracle_sql::TARGET_SESSION)?;
    let mut n = 0;
    for s in statements.iter().filter(|s| s.phase == phase) {
        n += 1;
        writeln!(w)?;
        let part = if s.part.is_empty() {
            String::new()
        } else {
            format!(" [{}]", line(&s.part))
        };
        let obj = if s.object.name.is_empty() {
            line(&s.object.schema)
        } else {
            format!("{}.{}", line(&s.object.schema), line(&s.object.name))
        };
        writeln!(w, "-- {n}. {} {obj}{part}", s.kind)?;
        if let Some(why) = super::text_check::misread(&s.sql) {
            writeln!(
                w,
                "-- REVIEW: {}: write the text its author meant before running it",
                line(&why)
            )?;
        }
        writeln!(w, "{}", crate::dialect::oracle::script_statement(&s.sql))?;
    }
    writeln!(w, "\nEXIT")?;
    Ok(n)
}
