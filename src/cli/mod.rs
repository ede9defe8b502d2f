//! The command line: clap definitions (parsing only), resolution into library options, and
//! the progress bar. Everything else is library code.

mod args;
mod clean_cmd;
mod copy_cmd;
mod copy_oracle;
mod plan_cmd;
mod progress;
mod schema_cmd;
mod schema_oracle;
mod verify_cmd;
mod verify_oracle;

pub use args::{Cli, Command};

use crate::charset::{self, Target};
use crate::scan::{Assume, ScanOptions};
use crate::source::db;
use crate::source::snapshot::SnapshotSource;
use anyhow::{Context, Result, anyhow, bail};
use std::io::Write;

/// Exit code for errors (bad input, unreachable database …).
pub const EXIT_ERROR: i32 = 2;

/// Runs a parsed command; returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Scan(a) => scan(a),
        Command::Snapshot(a) => snapshot(a),
        Command::Objects(a) => objects(a),
        Command::Plan(a) => plan_cmd::plan(a),
        Command::Truncate(a) => clean_cmd::truncate(a),
        Command::Repair(a) => clean_cmd::repair(a),
        Command::Apply(a) => plan_cmd::apply(a),
        Command::Copy(a) => copy_cmd::copy(a),
        Command::Schema(a) => schema_cmd::schema(a),
        Command::Verify(a) => verify_cmd::verify(a),
        Command::Doctor(a) => doctor(a),
        Command::Ddl(args::DdlCommand::Indexes(a)) => plan_cmd::ddl_indexes(a),
        Command::Sql(a) => sql_script(a.name.as_deref()),
        Command::Charsets => {
            charsets(&mut std::io::stdout().lock())?;
            Ok(0)
        }
    }
}

fn resolve_scan_options(a: &args::ScanArgs) -> Result<ScanOptions> {
    let target = Target::parse(&a.to).ok_or_else(|| {
        anyhow!(
            "--to {}: the target must be AL32UTF8 or UTF8 (Oracle's CESU-8)",
            a.to
        )
    })?;
    let mut assume_columns = Vec::new();
    for spec in &a.assume_column {
        let (col, cs) = spec.split_once('=').ok_or_else(|| {
            anyhow!("--assume-column {spec}: write OWNER.TABLE.COLUMN=CHARSET (or =auto)")
        })?;
        if col.matches('.').count() < 2 || cs.is_empty() {
            bail!(
                "--assume-column {spec}: write OWNER.TABLE.COLUMN=CHARSET (or =auto; `*` matches any name)"
            );
        }
        assume_columns.push((col.to_string(), Assume::parse(cs)));
    }
    if a.jobs == 0 {
        bail!("--jobs must be at least 1");
    }
    Ok(ScanOptions {
        target,
        assume: a.assume.as_deref().map(Assume::parse),
        assume_columns,
        schemas: a.scope.schema.clone(),
        tables: a.scope.table.clone(),
        excludes: a.scope.exclude.clone(),
        jobs: a.jobs,
        max_exceptions: a.max_exceptions,
        max_exception_bytes: a.max_exception_bytes,
        char_semantics: a.char_semantics,
        limit_override: None,
        capture_flags: crate::charset::Flags::default(),
    })
}

fn scan(a: args::ScanArgs) -> Result<i32> {
    let opts = resolve_scan_options(&a)?;
    let bar = progress::ScanProgress::new();
    let result = match (&a.snapshot, &a.conn.db) {
        (Some(dir), _) => {
            let mut snap = SnapshotSource::open(dir)?;
            crate::source::oracle::snapshot_dict::enrich(&mut snap)?;
            crate::scan::run(&snap, &opts, &bar)?
        }
        (None, Some(_)) => {
            let source = db::open(&connect_options(&a.conn, opts.jobs))?;
            crate::scan::run(source.as_ref(), &opts, &bar)?
        }
        (None, None) => {
            bail!("scan needs --snapshot DIR (a charmig-snapshot/1 directory) or --db URL")
        }
    };
    let written = crate::report::write_scan_reports(&result, &a.out)
        .with_context(|| format!("writing reports to {}", a.out.display()))?;
    let totals = result.totals();
    let mut err = std::io::stderr().lock();
    use crate::report::advice::plural;
    writeln!(
        err,
        "scanned {}, {}: {} changeless, {} convertible, {} truncation, {} lossy",
        plural(result.tables.len() as u64, "table", "tables"),
        plural(result.columns.len() as u64, "column", "columns"),
        totals.changeless,
        totals.convertible,
        totals.truncation,
        totals.lossy
    )?;
    writeln!(err, "{}", crate::report::advice::headline(&result))?;
    for s in result.skipped.iter().filter(|s| s.error) {
        writeln!(
            err,
            "error: {}: {}",
            crate::report::term::escape(&s.object),
            crate::report::term::escape(&s.reason)
        )?;
    }
    writeln!(
        err,
        "reports: {}",
        written
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    Ok(result.exit_code())
}

pub(crate) fn connect_options(c: &args::ConnArgs, jobs: usize) -> db::ConnectOptions {
    use std::io::IsTerminal;
    db::ConnectOptions {
        url: c.db.clone().unwrap_or_default(),
        external_auth: c.external_auth,
        jobs,
        interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
    }
}

/// `charmig doctor --db URL`: exit 0 all steps can run, 1 something is missing, 2 unreachable.
fn doctor(a: args::DoctorArgs) -> Result<i32> {
    if a.conn.db.is_none() {
        bail!("doctor needs --db URL (a source or a target)");
    }
    let d = crate::doctor::run(&connect_options(&a.conn, 1));
    crate::doctor::write_text(&d, &mut std::io::stdout().lock())?;
    Ok(d.exit_code())
}

fn snapshot(a: args::SnapshotArgs) -> Result<i32> {
    if a.conn.db.is_none() {
        bail!("snapshot needs --db URL");
    }
    let source = db::open(&connect_options(&a.conn, a.jobs))?;
    let opts = ScanOptions {
        schemas: a.scope.schema.clone(),
        tables: a.scope.table.clone(),
        excludes: a.scope.exclude.clone(),
        ..ScanOptions::default()
    };
    let done = crate::source::export::export_snapshot(source.as_ref(), &opts, &a.out)?;
    source.export_dictionary(&a.out)?;
    let rows: u64 = done.iter().map(|(_, r)| r).sum();
    use crate::report::advice::plural;
    let own = source
        .catalog()
        .tables
        .iter()
        .filter(|t| crate::own::is_own_table(&t.owner, &t.name))
        .count() as u64;
    eprintln!(
        "exported {}, {} to {}{}",
        plural(done.len() as u64, "table", "tables"),
        plural(rows, "row", "rows"),
        a.out.display(),
        if own > 0 {
            format!(
                " (charmig's own {} left out)",
                plural(own, "table", "tables")
            )
        } else {
            String::new()
        }
    );
    Ok(0)
}

fn objects(a: args::ObjectsArgs) -> Result<i32> {
    let opts = db::ObjectsOptions {
        stats_age_days: a.stats_age_days,
        schemas: a.schema.clone(),
        include_maintained: a.include_maintained,
    };
    let report = match (&a.snapshot, &a.conn.db) {
        (Some(dir), _) => crate::source::oracle::objects::from_snapshot(dir, &opts)?,
        (None, Some(_)) => db::open(&connect_options(&a.conn, 1))?.problem_objects(&opts)?,
        (None, None) => bail!("objects needs --db URL or --snapshot DIR"),
    };
    let files = crate::objects::write_reports(&report, &a.out)
        .with_context(|| format!("writing reports to {}", a.out.display()))?;
    crate::objects::write_text(
        &report,
        &mut crate::report::term::Sanitize::new(std::io::stdout().lock()),
    )?;
    eprintln!(
        "reports: {}",
        files
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(report.exit_code())
}

/// The standalone scripts charmig embeds, by name: what a DBA runs where charmig cannot.
pub const SCRIPTS: [(&str, &str, &str); 4] = [
    (
        "export-snapshot",
        "SQL*Plus: write a charmig-snapshot/1 directory (scan it with `charmig scan --snapshot DIR`)",
        crate::source::oracle::EXPORT_SNAPSHOT_SQL,
    ),
    (
        "problem-objects",
        "SQL*Plus: the problem-object checks of `charmig objects`",
        crate::source::oracle::PROBLEM_OBJECTS_SQL,
    ),
    (
        "audit-tables-oracle",
        "SQL*Plus: the audit tables of truncate and repair",
        include_str!("../../sql/audit_tables_oracle.sql"),
    ),
    (
        "audit-tables-postgres",
        "psql: the audit tables of truncate and repair",
        include_str!("../../sql/audit_tables_postgres.sql"),
    ),
];

/// `charmig sql [NAME]`: prints a script, or lists them.
fn sql_script(name: Option<&str>) -> Result<i32> {
    let mut out = std::io::stdout().lock();
    match name {
        None => {
            for (n, what, _) in SCRIPTS {
                writeln!(out, "{n:<24} {what}")?;
            }
            Ok(0)
        }
        Some(n) => match SCRIPTS.iter().find(|(k, _, _)| *k == n) {
            Some((_, _, text)) => {
                out.write_all(text.as_bytes())?;
                Ok(0)
            }
            None => bail!("no script `{n}`: `charmig sql` lists them"),
        },
    }
}

/// `charmig charsets`: what is supported, in both namings.
pub fn charsets(w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "{:<16} {:<12} DESCRIPTION", "ORACLE", "POSTGRESQL")?;
    for c in charset::all_charsets() {
        writeln!(
            w,
            "{:<16} {:<12} {}",
            c.oracle.unwrap_or("-"),
            c.postgres.unwrap_or("-"),
            c.description
        )?;
    }
    writeln!(
        w,
        "\nTargets: AL32UTF8 (UTF-8), UTF8 (Oracle's CESU-8). `UTF8` as a source means CESU-8 \
                 in an Oracle snapshot and UTF-8 in a PostgreSQL one."
    )?;
    Ok(())
}
