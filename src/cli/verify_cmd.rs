//! `charmig verify`: opens both databases (each read in one snapshot), runs the comparisons
//! with a progress bar on a terminal, writes the reports and returns 0 (equal), 1 (something
//! differs) or 2 (something could not be compared).

use super::args::VerifyArgs;
use crate::source::Source;
use crate::source::db::{self, ConnectOptions, DbKind};
use crate::source::postgres::{Connector, PgSource};
use crate::verify::{self, VerifyOptions, VerifyReport};
use anyhow::{Context, Result, anyhow, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The pairs verify compares, for the refusal of any other.
const SUPPORTED: &str = "verify compares a PostgreSQL source with its PostgreSQL UTF8 target, or an Oracle source with \
its Oracle AL32UTF8 target (the route of `charmig copy --via dblink`)";

pub fn verify(a: VerifyArgs) -> Result<i32> {
    if a.jobs == 0 {
        bail!("--jobs must be at least 1");
    }
    match (db::kind_of(&a.from), db::kind_of(&a.to)) {
        (DbKind::Postgres, DbKind::Postgres) | (DbKind::Oracle, DbKind::Oracle) => {}
        (DbKind::Oracle, DbKind::Postgres) => bail!(
            "--from {} is Oracle and --to {} is PostgreSQL: an Oracle source with a PostgreSQL target is not supported; {SUPPORTED}",
            db::shown_url(&a.from),
            db::shown_url(&a.to)
        ),
        (DbKind::Postgres, DbKind::Oracle) => bail!(
            "--from {} is PostgreSQL and --to {} is Oracle: a PostgreSQL source with an Oracle target is not supported; {SUPPORTED}",
            db::shown_url(&a.from),
            db::shown_url(&a.to)
        ),
    }
    let scan = match &a.scan {
        Some(p) => Some(crate::report::read_scan_json(p).map_err(|e| anyhow!(e))?),
        None => None,
    };
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if db::kind_of(&a.from) == DbKind::Oracle {
        return super::verify_oracle::verify(&a, scan, interactive);
    }
    let open = |url: &str| {
        PgSource::connect(&ConnectOptions {
            url: url.to_string(),
            jobs: a.jobs,
            interactive,
            ..Default::default()
        })
    };
    let source = open(&a.from).context("opening the source")?;
    let target = open(&a.to).context("opening the target")?;
    let model = |url: &str| -> Result<(crate::schema::model::SchemaModel, postgres::Client)> {
        let (connector, mut client) = Connector::open(url, interactive)?;
        let m = crate::schema::pg_catalog::read(&mut client)
            .map_err(|e| anyhow!("reading the schema of {}: {e}", connector.describe()))?;
        Ok((m, client))
    };
    let (source_model, _) = model(&a.from)?;
    source_model
        .check_schema_names(&a.schema, &source.describe())
        .map_err(|e| anyhow!(e))?;
    let (target_model, mut target_client) = model(&a.to)?;
    let accept = crate::schema::text_check::Accept::from_option(a.accept_object_text.as_deref());
    // Object text as its author meant it on both sides (C1 controls as Windows-1252, double-
    // encoded UTF-8 undone), as the copy reads the data: an object made by hand with the meant
    // text and one created as the catalog gives it compare equal to the source; the second
    // is reported below unless accepted.
    let as_meant =
        |m: &crate::schema::model::SchemaModel| -> Result<crate::schema::model::SchemaModel> {
            let mut v =
                serde_json::to_value(m).map_err(|e| anyhow!("reading a schema model: {e}"))?;
            crate::schema::text_check::value_as_meant(&mut v);
            serde_json::from_value(v).map_err(|e| anyhow!("reading a schema model: {e}"))
        };
    let (source_meant, target_meant) = (as_meant(&source_model)?, as_meant(&target_model)?);
    let notes = check_scan(scan.as_ref(), &source.catalog().source)?;
    let after_copy_never_ran =
        crate::schema::pg_run::after_copy_never_ran(&mut target_client).unwrap_or(false);
    drop(target_client);
    let opts = VerifyOptions {
        schemas: a.schema.clone(),
        rows: a.rows,
        max_rows: a.max_rows.max(1),
        jobs: a.jobs,
        scan,
        no_owner: a.no_owner,
    };
    let mut report = VerifyReport {
        format: verify::VERIFY_FORMAT.into(),
        charmig_version: env!("CARGO_PKG_VERSION").into(),
        source: source.describe(),
        target: target.describe(),
        started_at: crate::scan::time::now(),
        finished_at: String::new(),
        tables: Vec::new(),
        text: Vec::new(),
        differences: Vec::new(),
        notes,
        errors: Vec::new(),
    };
    let total: u64 = [&source, &target]
        .iter()
        .map(|db| {
            (0..db.catalog().tables.len())
                .filter(|&i| verify::in_scope(&db.catalog().tables[i], &opts.schemas))
                .map(|i| db.size_hint(i))
                .sum::<u64>()
        })
        .sum();
    let diff = verify::compare_schema(&source_meant, &target_meant, &opts, &mut report);
    // Object text the target holds as a legacy catalog gave it (C1 controls, double-encoded
    // UTF-8): equal to the source's text, yet no longer matching the data read otherwise.
    for s in crate::schema::postgres::statements(&target_model) {
        if accept.accepts(&s.object.schema, &s.object.name)
            || !opts.schemas.is_empty() && !opts.schemas.contains(&s.object.schema)
        {
            continue;
        }
        if let Some(why) = crate::schema::text_check::misread(&s.sql) {
            report.differences.push(verify::Difference {
                area: "schema",
                object_type: "object text",
                schema: s.object.schema.clone(),
                object: format!("{} ({})", s.object.name, s.kind),
                property: "misread text".into(),
                source: String::new(),
                target: why,
                detail: "the target's object holds text a legacy catalog gave as Latin-1; write the text its author meant (or verify --accept-object-text SCHEMA.NAME if it was created so on purpose)".into(),
            });
        }
    }
    // Said only when the differences include that phase's work: a schema whose after-copy
    // phase had nothing to do (no foreign key, no trigger) logs no statement of it.
    // Of the constraints, only foreign keys are that phase's (added, then validated).
    let foreign_key = |schema: &str, object: &str| {
        source_meant.constraints.iter().any(|c| {
            c.kind == crate::schema::model::ConstraintKind::Foreign
                && c.table.schema == schema
                && format!("{}.{}", c.table.name, c.name) == object
        })
    };
    let phase_work = report.differences.iter().any(|d| {
        (d.object_type == "constraint"
            && (d.property == "missing on target" || d.property == "validated")
            && foreign_key(&d.schema, &d.object))
            || (d.object_type == "trigger" && d.property == "enabled")
            || (d.object_type == "view" && d.property == "populated")
    });
    if after_copy_never_ran && phase_work {
        report.notes.push(
            "the target's schema was made by `charmig schema` and its after-copy phase has not run: missing foreign keys, \
             disabled triggers and empty materialized views below are that phase's work; it runs at the end of the \
             `charmig copy` that completes the tables, or with `charmig schema --from … --to … --after-copy`"
                .into(),
        );
    }
    with_progress(total, |progress| {
        verify::compare_data(&source, &target, &opts, &mut report, progress)
    })
    .map_err(|e| anyhow!(e))?;
    // A source table whose data found no table of its name on the target and that the schema
    // comparison did not call missing (its name differs only as misread text): not compared,
    // which must not pass for equal.
    for t in source
        .catalog()
        .tables
        .iter()
        .filter(|t| verify::in_scope(t, &opts.schemas))
    {
        let on_target = target
            .catalog()
            .tables
            .iter()
            .any(|x| x.owner == t.owner && x.name == t.name);
        let meant = crate::schema::text_check::as_meant(&t.name);
        let said = report.differences.iter().any(|d| {
            d.area == "schema"
                && d.object_type == "table"
                && d.schema == t.owner
                && (d.object == t.name || d.object == meant.as_ref())
        });
        if !on_target && !said {
            report.differences.push(verify::Difference {
                area: "data",
                object_type: "table",
                schema: t.owner.clone(),
                object: t.name.clone(),
                property: "not compared".into(),
                source: String::new(),
                target: String::new(),
                detail: format!(
                    "no table of this name on the target (its name as meant: {}): its rows were not compared",
                    meant
                ),
            });
        }
    }
    let fix_sql = verify::report::render_fix(&diff, &report.source, &report.target);
    finish(report, &fix_sql, &a.out)
}

/// Checks that `scan` is of the source (`here`); returns the notes to report.
pub(super) fn check_scan(
    scan: Option<&crate::scan::result::ScanResult>,
    here: &crate::catalog::SourceInfo,
) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    if let Some(s) = scan {
        crate::catalog::DbIdentity::check(
            "scan.json",
            s.source.identity.as_ref(),
            here.identity.as_ref(),
            "pass the scan of the source database (`charmig scan --db SRC`)",
        )
        .map_err(|e| anyhow!(e))?;
        if s.source.dialect != here.dialect || s.source.charset != here.charset {
            bail!(
                "scan.json is of a {} {} database, the source is {} {}: pass the scan of the source database",
                s.source.dialect.as_str(),
                s.source.charset,
                here.dialect.as_str(),
                here.charset
            );
        }
        notes.extend(crate::catalog::DbIdentity::unknown_note(
            "scan.json",
            s.source.identity.as_ref(),
            here.identity.as_ref(),
        ));
    }
    Ok(notes)
}

/// Runs `work` with a progress bar on a terminal (a line every 30 s elsewhere); `work` gets
/// the callback to report bytes read. `total`: expected bytes.
pub(super) fn with_progress<R>(total: u64, work: impl FnOnce(&(dyn Fn(u64) + Sync)) -> R) -> R {
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template(
                "verify: [{elapsed_precise}] {wide_bar} {binary_bytes} read of ~{binary_total_bytes}, {binary_bytes_per_sec}",
            )
            .expect("static template"),
        );
        b
    });
    let read = AtomicU64::new(0);
    let progress = |n: u64| {
        read.fetch_add(n, Ordering::Relaxed);
        if let Some(b) = &bar {
            b.inc(n);
        }
    };
    let done = AtomicBool::new(false);
    let r = std::thread::scope(|s| {
        if bar.is_none() {
            // Not on a terminal (cron, nohup): a line every 30 s instead of a bar.
            s.spawn(|| {
                let started = Instant::now();
                let mut last = Instant::now();
                while !done.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(200));
                    if last.elapsed() >= Duration::from_secs(30) {
                        last = Instant::now();
                        let mb = read.load(Ordering::Relaxed) as f64 / 1e6;
                        eprintln!(
                            "{} verify: {mb:.0} MB of ~{:.0} MB read, {:.1} MB/s",
                            crate::scan::time::now(),
                            total as f64 / 1e6,
                            mb / started.elapsed().as_secs_f64()
                        );
                    }
                }
            });
        }
        let r = work(&progress);
        done.store(true, Ordering::Relaxed);
        r
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    r
}

/// Writes the reports into `out`, prints the summary; returns the exit code.
pub(super) fn finish(
    mut report: VerifyReport,
    fix_sql: &str,
    out: &std::path::Path,
) -> Result<i32> {
    report.finished_at = crate::scan::time::now();
    let files = verify::report::write_all(&report, fix_sql, out)
        .with_context(|| format!("writing the reports to {}", out.display()))?;
    let mut summary = Vec::new();
    verify::report::write_summary(&report, &mut summary)?;
    eprint!("{}", String::from_utf8_lossy(&summary));
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
