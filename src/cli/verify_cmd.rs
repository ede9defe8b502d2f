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

pub fn verify(a: VerifyArgs) -> Result<i32> {
    for (flag, url) in [("--from", &a.from), ("--to", &a.to)] {
        if db::kind_of(url) != DbKind::Postgres {
            bail!(
                "{flag} {}: verify compares PostgreSQL databases (an Oracle source is not supported yet)",
                db::shown_url(url)
            );
        }
    }
    if a.jobs == 0 {
        bail!("--jobs must be at least 1");
    }
    let scan = match &a.scan {
        Some(p) => Some(crate::report::read_scan_json(p).map_err(|e| anyhow!(e))?),
        None => None,
    };
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
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
    let model = |url: &str| -> Result<crate::schema::model::SchemaModel> {
        let (connector, mut client) = Connector::open(url, interactive)?;
        crate::schema::pg_catalog::read(&mut client)
            .map_err(|e| anyhow!("reading the schema of {}: {e}", connector.describe()))
    };
    let source_model = model(&a.from)?;
    let target_model = model(&a.to)?;
    let mut notes = Vec::new();
    if let Some(s) = &scan {
        let here = &source.catalog().source;
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
    let opts = VerifyOptions {
        schemas: a.schema.clone(),
        rows: a.rows,
        max_rows: a.max_rows.max(1),
        jobs: a.jobs,
        scan,
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
    let progress = |n: u64| {
        if let Some(b) = &bar {
            b.inc(n);
        }
    };
    let diff = verify::compare_schema(&source_model, &target_model, &opts, &mut report);
    verify::compare_data(&source, &target, &opts, &mut report, &progress)
        .map_err(|e| anyhow!(e))?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    report.finished_at = crate::scan::time::now();
    let fix_sql = verify::report::render_fix(&diff, &report.source, &report.target);
    let files = verify::report::write_all(&report, &fix_sql, &a.out)
        .with_context(|| format!("writing the reports to {}", a.out.display()))?;
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
