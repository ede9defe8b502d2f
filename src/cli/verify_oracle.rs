//! `charmig verify` of an Oracle source against its Oracle AL32UTF8 target (the route of
//! `charmig copy --via dblink`): both opened as scan sources (the same connect strings,
//! CHARMIG_PASSWORD or a prompt, DPI-1047 without an Instant Client), both dictionaries read
//! into schema models and compared, then every table's rows on both sides. Every statement
//! is built in `verify::oracle_sql` / `source::oracle::sql` (golden-tested); NOT verified
//! against a live Oracle: see docs/oracle-checklist.md ("`charmig verify` with an Oracle source").

use super::args::VerifyArgs;
use super::verify_cmd::{check_scan, finish, with_progress};
use crate::charset::Dialect;
use crate::scan::result::ScanResult;
use crate::source::Source;
use crate::source::db::ConnectOptions;
use crate::source::oracle::OracleSource;
use crate::verify::oracle_schema::{self, DictRows, OraModel};
use crate::verify::{self, VerifyOptions, VerifyReport, oracle_data, oracle_sql};
use anyhow::{Context, Result, anyhow};

/// Reads one side's schema model.
fn model(db: &OracleSource, owners: &[String]) -> Result<OraModel> {
    let mut rows = DictRows::default();
    for (name, stmt) in oracle_sql::dictionary_queries(owners) {
        let got = db
            .query(name, &stmt)
            .map_err(|e| anyhow!("{}: reading the dictionary ({name}): {e}", db.describe()))?;
        rows.set(name, got);
    }
    oracle_schema::map(&rows).map_err(|e| anyhow!("{}: {e}", db.describe()))
}

pub fn verify(a: &VerifyArgs, scan: Option<ScanResult>, interactive: bool) -> Result<i32> {
    if a.accept_object_text.is_some() {
        return Err(anyhow!(
            "--accept-object-text: an Oracle verify compares object text as the dictionary gives it (it does not read \
             misread text yet); leave the option out"
        ));
    }
    let open = |url: &str| {
        OracleSource::connect(&ConnectOptions {
            url: url.to_string(),
            jobs: a.jobs,
            interactive,
            ..Default::default()
        })
    };
    let source = open(&a.from).context("opening the source")?;
    let target = open(&a.to).context("opening the target")?;
    for (side, db) in [("source", &source), ("target", &target)] {
        // ALL_USERS.ORACLE_MAINTAINED and PL/SQL in the WITH clause came with 12.1.
        if db.traits().major < 12 {
            return Err(anyhow!(
                "{}: the {side} is Oracle {}; verify needs 12.1 or later (ALL_USERS.ORACLE_MAINTAINED, \
                 PL/SQL in the WITH clause)",
                db.describe(),
                db.traits().major
            ));
        }
    }
    let users: Vec<String> = source
        .query("users", &oracle_sql::users())
        .map_err(|e| anyhow!("{}: reading ALL_USERS: {e}", source.describe()))?
        .iter()
        .filter_map(|r| r.get("username").cloned().flatten())
        .collect();
    let schemas = oracle_sql::resolve_schemas(&a.schema, &users).map_err(|e| anyhow!(e))?;
    let mut notes = check_scan(scan.as_ref(), &source.catalog().source)?;
    let tc = &target.catalog().source.charset;
    if !tc.eq_ignore_ascii_case("AL32UTF8") {
        notes.push(format!(
            "the target's charset is {tc}, not AL32UTF8: its text is read as {tc}"
        ));
    }
    let opts = VerifyOptions {
        schemas,
        rows: a.rows,
        max_rows: a.max_rows.max(1),
        jobs: a.jobs,
        scan,
        no_owner: a.no_owner,
    };
    let source_model = model(&source, &opts.schemas)?;
    let target_model = model(&target, &opts.schemas)?;
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
    let mut diff = verify::oracle_schema_diff::compare(&source_model, &target_model, &opts.schemas);
    report.differences.append(&mut diff.differences);
    let keyed = oracle_data::with_keys(source.catalog(), &source_model);
    report
        .notes
        .extend(oracle_data::left_out_notes(&keyed, &opts.schemas));
    let jobs = verify::table_jobs_in(
        Dialect::Oracle,
        &keyed,
        target.catalog(),
        &opts,
        &oracle_data::compared,
        &mut report.notes,
    )
    .map_err(|e| anyhow!(e))?;
    let total: u64 = jobs
        .iter()
        .map(|j| source.size_hint(j.source_index) + target.size_hint(j.target_index))
        .sum();
    with_progress(total, |progress| {
        verify::compare_jobs(&source, &target, &jobs, &opts, &mut report, progress)
    });
    let fix_sql = verify::report::render_fix_oracle(&diff, &report.source, &report.target);
    finish(report, &fix_sql, &a.out)
}
