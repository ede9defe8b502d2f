//! `charmig schema`: reads the source's dictionary, chooses the objects (with the dependency
//! closure), then writes the script (`--out`, `--dry-run`) or runs it against the target
//! (`--to`), logged and resumable. Exit 0: everything done; 1: something left undone (a
//! statement that fails, a needed object that is excluded or missing); 2: an error.

use super::args::SchemaArgs;
use crate::schema::closure::{self, Scope, Selection};
use crate::schema::statement::{DdlStatement, Phase, display, one_line};
use crate::schema::{pg_catalog, pg_run, postgres, script};
use crate::source::db::{DbKind, kind_of};
use crate::source::postgres::Connector;
use anyhow::{Context, Result, anyhow, bail};
use std::io::{IsTerminal, Write};

pub fn schema(a: SchemaArgs) -> Result<i32> {
    if kind_of(&a.from) == DbKind::Oracle {
        return super::schema_oracle::schema(a);
    }
    if let Some(dir) = &a.plan {
        // Checked, so a wrong directory is not silently ignored; nothing in it changes a
        // PostgreSQL target's lengths (varchar(n) counts characters on both sides).
        crate::plan::read_plan(dir).map_err(|e| anyhow!(e))?;
        eprintln!(
            "--plan {}: PostgreSQL lengths count characters, so the target's columns keep their lengths",
            dir.display()
        );
    }
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let (source, mut src) = Connector::open(&a.from, interactive)?;
    let model = match pg_catalog::read(&mut src) {
        Ok(m) => m,
        Err(e) if e.code() == Some(&::postgres::error::SqlState::CHARACTER_NOT_IN_REPERTOIRE) => {
            bail!(
                "reading the dictionary of {}: {}",
                source.describe(),
                sql_ascii_dictionary(&mut src).unwrap_or_else(|| pg_run::pg_err(&e).to_string())
            )
        }
        Err(e) => bail!(
            "reading the dictionary of {}: {}",
            source.describe(),
            pg_run::pg_err(&e)
        ),
    };
    let scope = Scope {
        schemas: a.schema.clone(),
        excludes: a.exclude.clone(),
        skip_owners: a.skip_owner.clone(),
    };
    model
        .check_schema_names(&a.schema, source.describe())
        .map_err(|e| anyhow!(e))?;
    let sel = closure::select(&model, &scope);
    let sub = closure::subset(&model, &sel);
    let long = crate::schema::names::too_long(&sub);
    if !long.is_empty() {
        bail!(
            "{} name{} of {} would not fit a UTF-8 target; nothing was created:\n  {}",
            long.len(),
            if long.len() == 1 { "" } else { "s" },
            source.describe(),
            long.join("\n  ")
        );
    }
    let mut statements = postgres::statements(&sub);
    if a.no_owner {
        statements.retain(|s| s.kind != "owner");
    }
    let mut err = std::io::stderr().lock();
    report_selection(&mut err, &sel, &sub)?;
    let chosen: Vec<String> = sub.schemas.iter().map(|s| s.name.clone()).collect();
    let unsupported = pg_catalog::unsupported(&mut src, &chosen)
        .map_err(|e| anyhow!("{}: {}", source.describe(), pg_run::pg_err(&e)))?;
    let source_identity = crate::source::postgres::catalog::identity(&mut src);
    let source_locale = crate::source::postgres::locale::DbLocale::of(&mut src).ok();
    drop(src);
    for (what, o) in &unsupported {
        writeln!(
            err,
            "not created (not supported): {} on {}",
            one_line(what),
            display(o)
        )?;
    }
    let unmet = !sel.unmet.is_empty() || !unsupported.is_empty();
    if a.dry_run || a.out.is_some() {
        return write_scripts(&a, &statements, source.describe(), unmet);
    }
    let to =
        a.to.as_deref()
            .context("--to URL, --out FILE or --dry-run is needed")?;
    if kind_of(to) != DbKind::Postgres {
        bail!(
            "--to {}: a PostgreSQL source is re-created in a PostgreSQL target (postgres://…)",
            crate::source::db::shown_url(to)
        );
    }
    let (target, mut tgt) = Connector::open(to, interactive)?;
    let enc: String = tgt
        .query_one("SELECT pg_catalog.current_setting('server_encoding')", &[])
        .map_err(|e| anyhow!("{}: {}", target.describe(), pg_run::pg_err(&e)))?
        .get(0);
    if enc != "UTF8" {
        bail!(
            "the target {} is in {enc}: charmig schema creates the UTF-8 target; create it with `createdb -E UTF8 -T template0`",
            target.describe()
        );
    }
    if let (Some(sl), Ok(tl)) = (
        &source_locale,
        crate::source::postgres::locale::DbLocale::of(&mut tgt),
    ) && !sl.behaves_like(&tl)
    {
        let generated: Vec<String> = sub
            .tables
            .iter()
            .flat_map(|t| {
                t.columns
                    .iter()
                    .filter(|c| {
                        matches!(
                            c.generated,
                            Some(crate::schema::model::Generated::Stored { .. })
                        )
                    })
                    .map(move |c| format!("{}.{}", display(&t.name), one_line(&c.name)))
            })
            .collect();
        if !generated.is_empty() {
            writeln!(
                err,
                "warning: the source has {} and the target {}; the target computes the generated columns {} again, \
                 and their values may differ (upper('é') is 'é' under C, 'É' elsewhere): `charmig copy` refuses this \
                 unless --allow-locale-change. Create the target with the source's locale (createdb -E UTF8 -T template0 \
                 {})",
                one_line(&sl.describe()),
                one_line(&tl.describe()),
                generated.join(", "),
                one_line(&sl.createdb_options())
            )?;
        }
    }
    pg_run::prepare(&mut tgt).map_err(|e| anyhow!("{}: {e}", target.describe()))?;
    let phase = if a.after_copy {
        Phase::AfterCopy
    } else {
        Phase::Create
    };
    let run_id = format!("{}-{}", std::process::id(), crate::scan::time::now());
    let mut shown = 0usize;
    let report = pg_run::run(
        &mut tgt,
        &statements,
        phase,
        &run_id,
        &crate::schema::text_check::Accept::from_option(a.accept_object_text.as_deref()),
        &mut |s| {
            shown += 1;
            if std::env::var_os("CHARMIG_SCHEMA_VERBOSE").is_some() {
                eprintln!("done: {} {}", s.kind, display(&s.object));
            }
        },
    )
    .map_err(|e| anyhow!("{}: {e} (a re-run resumes)", target.describe()))?;
    for (s, e) in &report.failed {
        let part = if s.part.is_empty() {
            String::new()
        } else {
            format!(" [{}]", crate::schema::statement::one_line(&s.part))
        };
        writeln!(
            err,
            "failed: {} {}{part}: {}",
            s.kind,
            display(&s.object),
            crate::schema::statement::one_line(e)
        )?;
    }
    writeln!(
        err,
        "{}: {} statements done, {} already done by an earlier run, {} failed ({} pass{}); log: {}.{} on {}",
        phase.as_str(),
        report.done,
        report.skipped,
        report.failed.len(),
        report.passes,
        if report.passes == 1 { "" } else { "es" },
        crate::own::PG_SCHEMA,
        pg_run::LOG_TABLE,
        target.describe()
    )?;
    if phase == Phase::Create {
        pg_run::save_scope(
            &mut tgt,
            &pg_run::SavedScope {
                scope: scope.clone(),
                source: source_identity,
            },
        )
        .map_err(|e| anyhow!("{}: recording the schema's scope: {e}", target.describe()))?;
        writeln!(
            err,
            "triggers are disabled, foreign keys not there yet, materialized views empty: `charmig copy` \
             finishes them once every table is copied (or run `charmig schema --from … --to … --after-copy`: \
             adds and validates the foreign keys, enables the triggers, refreshes the materialized views, \
             syncs the sequences)"
        )?;
    }
    Ok(if report.failed.is_empty() && !unmet {
        0
    } else {
        1
    })
}

/// Why a SQL_ASCII source's dictionary cannot be read as text, naming the objects whose names
/// hold bytes beyond ASCII (None when the source is not SQL_ASCII).
fn sql_ascii_dictionary(src: &mut ::postgres::Client) -> Option<String> {
    let enc: String = src
        .query_one("SELECT pg_catalog.current_setting('server_encoding')", &[])
        .ok()?
        .get(0);
    if enc != "SQL_ASCII" {
        return None;
    }
    // Names come back as their bytes: the server has no charset to convert them from.
    let rows = src
        .query(
            "SELECT what, pg_catalog.convert_to(name, 'SQL_ASCII') FROM (
               SELECT 'schema' AS what, n.nspname::text AS name FROM pg_catalog.pg_namespace n
               UNION ALL
               SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
                                     WHEN 'i' THEN 'index' WHEN 'I' THEN 'index' ELSE 'table' END,
                      pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               UNION ALL
               SELECT 'column', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) || '.'
                      || pg_catalog.quote_ident(a.attname)
                 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE a.attnum > 0 AND NOT a.attisdropped
             ) x WHERE name ~ '[^\x01-\x7f]' ORDER BY 2 LIMIT 10",
            &[],
        )
        .ok()?;
    let names: Vec<String> = rows
        .iter()
        .map(|r| {
            let bytes: Vec<u8> = r.get(1);
            let shown: String = bytes
                .iter()
                .map(|&b| {
                    if b.is_ascii() && !b.is_ascii_control() {
                        (b as char).to_string()
                    } else {
                        format!("\\x{b:02x}")
                    }
                })
                .collect();
            format!("{} {shown}", r.get::<_, String>(0))
        })
        .collect();
    Some(format!(
        "the source is SQL_ASCII and its dictionary holds bytes beyond ASCII ({}): their charset is unknown, so charmig \
         schema cannot write them in UTF-8. Rename those objects to ASCII in the source, or create the target's schema \
         with `pg_dump --schema-only SRC | iconv -f LATIN1 -t UTF-8 | psql TGT` (the charset the bytes are in: the one \
         you pass to `charmig copy --assume`)",
        if names.is_empty() {
            "in comments, defaults, CHECKs, view or function text".to_string()
        } else {
            format!("names: {}", names.join(", "))
        }
    ))
}

fn report_selection(
    err: &mut dyn Write,
    sel: &Selection,
    sub: &crate::schema::model::SchemaModel,
) -> std::io::Result<()> {
    writeln!(
        err,
        "schema: {} schemas, {} tables, {} views, {} sequences, {} types, {} routines, {} triggers, {} indexes",
        sub.schemas.len(),
        sub.tables.len(),
        sub.views.len(),
        sub.sequences.len(),
        sub.types.len(),
        sub.routines.len(),
        sub.triggers.len(),
        sub.indexes.len()
    )?;
    for p in &sel.pulled {
        writeln!(
            err,
            "pulled in: {:?} {} (needed by {})",
            p.kind,
            display(&p.name),
            display(&p.needed_by)
        )?;
    }
    for u in &sel.unmet {
        writeln!(
            err,
            "not created: {:?} {} needed by {}: {}",
            u.kind,
            display(&u.name),
            display(&u.needed_by),
            u.reason
        )?;
    }
    if !sel.pulled.is_empty() {
        writeln!(
            err,
            "dependency closure: fixed point after {} rounds",
            sel.rounds
        )?;
    }
    Ok(())
}

/// `--out FILE` (and FILE's after-copy sibling) or `--dry-run` (standard output).
fn write_scripts(
    a: &SchemaArgs,
    statements: &[DdlStatement],
    source: &str,
    unmet: bool,
) -> Result<i32> {
    match &a.out {
        Some(path) => {
            let after = after_copy_path(path);
            for (p, phase) in [(path.clone(), Phase::Create), (after, Phase::AfterCopy)] {
                let mut f = std::io::BufWriter::new(
                    std::fs::File::create(&p)
                        .with_context(|| format!("creating {}", p.display()))?,
                );
                let n = script::write(&mut f, statements, phase, source)?;
                f.flush()?;
                eprintln!("{}: {n} statements ({})", p.display(), phase.as_str());
            }
        }
        None => {
            // One phase only: piping the output into psql must not enable triggers before the copy.
            let phase = if a.after_copy {
                Phase::AfterCopy
            } else {
                Phase::Create
            };
            script::write(&mut std::io::stdout().lock(), statements, phase, source)?;
        }
    }
    Ok(if unmet { 1 } else { 0 })
}

/// What became of the after-copy phase of a schema `charmig schema` created in the target.
#[derive(Debug)]
pub enum RecordedAfterCopy {
    /// No `charmig schema` run into this target is recorded.
    NotRecorded,
    /// The recorded run was made from another database.
    OtherSource(String),
    /// Tables of the schema not copied yet (`schema.table`): nothing was run.
    Waiting(Vec<String>),
    Ran(pg_run::RunReport),
}

/// The after-copy phase of the schema a `charmig schema` run created in the target (its scope
/// recorded there), built from the source's dictionary now (sequence values of now) and run
/// logged, as `charmig schema --after-copy` does, once every table of that schema is in
/// `copied`: enabling triggers or adding foreign keys while tables are still to be loaded
/// would fire them on the loads.
pub fn after_copy_of_recorded(
    src: &mut ::postgres::Client,
    tgt: &mut ::postgres::Client,
    copied: &std::collections::HashSet<(String, String)>,
    progress: &mut dyn FnMut(&DdlStatement),
) -> std::result::Result<RecordedAfterCopy, String> {
    let Some(saved) = pg_run::saved_scope(tgt)? else {
        return Ok(RecordedAfterCopy::NotRecorded);
    };
    let here = crate::source::postgres::catalog::identity(src);
    if let (Some(a), Some(b)) = (&saved.source, &here)
        && !a.matches(b)
    {
        return Ok(RecordedAfterCopy::OtherSource(a.describe()));
    }
    let model = pg_catalog::read(src).map_err(|e| pg_run::pg_err(&e))?;
    let sel = closure::select(&model, &saved.scope);
    let sub = closure::subset(&model, &sel);
    let waiting: Vec<String> = sub
        .tables
        .iter()
        .filter(|t| t.kind == crate::schema::model::TableKind::Ordinary)
        .filter(|t| !copied.contains(&(t.name.schema.clone(), t.name.name.clone())))
        .map(|t| display(&t.name))
        .collect();
    if !waiting.is_empty() {
        return Ok(RecordedAfterCopy::Waiting(waiting));
    }
    let statements = postgres::statements(&sub);
    pg_run::prepare(tgt)?;
    let run_id = format!("{}-{}", std::process::id(), crate::scan::time::now());
    let none = crate::schema::text_check::Accept::None;
    pg_run::run(tgt, &statements, Phase::AfterCopy, &run_id, &none, progress)
        .map(RecordedAfterCopy::Ran)
}

/// `schema.sql` -> `schema.after_copy.sql`.
pub fn after_copy_path(p: &std::path::Path) -> std::path::PathBuf {
    let stem = p
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "schema".into());
    p.with_file_name(format!("{stem}.after_copy.sql"))
}
