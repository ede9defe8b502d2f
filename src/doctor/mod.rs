//! `charmig doctor --db URL`: the first command a DBA runs on a new site. For a source or a
//! target it says: reachable or not (and why), TLS in use, server version and charset, the
//! privileges each charmig step needs that this user lacks, with the GRANT statements that
//! give them, and (Oracle) whether Instant Client was found and where charmig looked.
//!
//! One report model ([`Doctor`]) filled by `postgres` (queries run for real) or `oracle`
//! (statements golden-tested, see docs/oracle-checklist.md), one text renderer.

pub mod oracle;
pub mod postgres;

use crate::report::term::escape;
use std::io::Write;

/// One fact about the connection (`TLS`, `server`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// What one charmig step needs, and what of it this user lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepCheck {
    /// `scan`, `clean`, `plan/apply`, `copy (source)`, `copy (target)`, `schema`, `verify`.
    pub step: String,
    /// What the step needs, in words.
    pub needs: String,
    /// What is missing; empty when the step can run.
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Doctor {
    /// The connection as charmig shows it (no password).
    pub target: String,
    pub reachable: bool,
    /// Why not, when not reachable.
    pub error: Option<String>,
    pub facts: Vec<Fact>,
    pub steps: Vec<StepCheck>,
    /// Statements that give what is missing, one per line.
    pub grants: Vec<String>,
    /// Further remarks (a role that gives everything at once, an unverified check …).
    pub notes: Vec<String>,
}

impl Doctor {
    pub fn fact(&mut self, label: &str, value: impl Into<String>) {
        self.facts.push(Fact {
            label: label.into(),
            value: value.into(),
        });
    }

    /// 2 when the database could not be reached, 1 when a step lacks a privilege, else 0.
    pub fn exit_code(&self) -> i32 {
        if !self.reachable {
            2
        } else if self.steps.iter().any(|s| !s.missing.is_empty()) {
            1
        } else {
            0
        }
    }
}

/// The text report (every name and message escaped for the terminal).
pub fn write_text(d: &Doctor, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "charmig doctor: {}", escape(&d.target))?;
    let width = d
        .facts
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0)
        .max(9);
    writeln!(
        w,
        "  {:<width$} : {}",
        "reachable",
        if d.reachable { "yes" } else { "no" }
    )?;
    if let Some(e) = &d.error {
        let text = crate::report::term::escape_text(e);
        let mut lines = text.lines();
        writeln!(w, "  {:<width$} : {}", "error", lines.next().unwrap_or(""))?;
        for l in lines {
            writeln!(w, "  {:<width$}   {}", "", l.trim_start())?;
        }
    }
    for f in &d.facts {
        writeln!(w, "  {:<width$} : {}", escape(&f.label), escape(&f.value))?;
    }
    if !d.steps.is_empty() {
        writeln!(w)?;
        writeln!(w, "Privileges per step")?;
        for s in &d.steps {
            let mark = if s.missing.is_empty() {
                "ok     "
            } else {
                "MISSING"
            };
            writeln!(w, "  [{mark}] {:<14} {}", escape(&s.step), escape(&s.needs))?;
            for m in &s.missing {
                writeln!(w, "            - {}", escape(m))?;
            }
        }
    }
    if !d.grants.is_empty() {
        writeln!(w)?;
        writeln!(
            w,
            "To give what is missing (run as the owner or a superuser / DBA):"
        )?;
        for g in &d.grants {
            writeln!(w, "  {}", escape(g))?;
        }
    }
    for n in &d.notes {
        writeln!(w, "note: {}", escape(n))?;
    }
    Ok(())
}

/// Runs the checks for a connection string.
pub fn run(opts: &crate::source::db::ConnectOptions) -> Doctor {
    match crate::source::db::kind_of(&opts.url) {
        crate::source::db::DbKind::Postgres => postgres::run(opts),
        crate::source::db::DbKind::Oracle => oracle::run(opts),
    }
}
