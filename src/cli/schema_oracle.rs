//! `charmig schema` from an Oracle source: choose the owners' objects and close over what they
//! need from other owners, script each with DBMS_METADATA, then write the SQL*Plus scripts
//! (`--out`, `--dry-run`) or run the statements on an Oracle target, each logged in
//! CHARMIG.CHARMIG_DDL_LOG. Every statement is golden-tested (`schema::oracle_sql`,
//! `schema::oracle`); this file only moves rows. NOT verified against a live Oracle: see
//! docs/oracle-checklist.md ("charmig schema").
//!
//! Oracle DDL commits by itself, so a statement and its log row cannot commit together: a
//! statement whose log row exists but is not `done` and that fails with "already exists"
//! (its own earlier success, the log write lost) is taken as done.

use super::args::SchemaArgs;
use crate::schema::oracle::{self, ByteColumn, Dependent, Fetched, ForeignKey, Obj, OracleSchema};
use crate::schema::oracle_sql as q;
use crate::schema::script;
use crate::schema::statement::{DdlStatement, Phase, display, one_line};
use crate::source::oracle::OracleConnector;
use crate::source::oracle::sql::Stmt;
use ::oracle::{Connection, sql_type::ToSql};
use anyhow::{Context, Result, anyhow, bail};
use std::collections::{BTreeSet, HashMap};
use std::io::{IsTerminal, Write};

fn ora(e: &::oracle::Error) -> Option<i32> {
    e.db_error().map(|d| d.code()).filter(|&c| c != 0)
}

fn rows(
    conn: &Connection,
    s: &Stmt,
    n: usize,
) -> Result<Vec<Vec<Option<String>>>, ::oracle::Error> {
    let binds: Vec<&dyn ToSql> = s.binds.iter().map(|b| b as &dyn ToSql).collect();
    let mut out = Vec::new();
    for r in conn.query(&s.sql, &binds)? {
        let r = r?;
        let mut v = Vec::with_capacity(n);
        for i in 0..n {
            v.push(r.get::<usize, Option<String>>(i)?);
        }
        out.push(v);
    }
    Ok(out)
}

fn text(v: &[Option<String>], i: usize) -> String {
    v.get(i).cloned().flatten().unwrap_or_default()
}

/// One CLOB of DDL; `None` for ORA-31608 (nothing to script).
fn ddl(conn: &Connection, s: &Stmt) -> Result<Option<String>, ::oracle::Error> {
    match rows(conn, s, 1) {
        Ok(r) => Ok(r.first().map(|v| text(v, 0))),
        Err(e) if ora(&e) == Some(q::ORA_NO_DEPENDENT) => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn schema(a: SchemaArgs) -> Result<i32> {
    if a.schema.is_empty() {
        bail!(
            "an Oracle source needs --schema OWNER (repeatable): the owners whose objects the target gets"
        );
    }
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let source = OracleConnector::open(&a.from, false, interactive)?;
    let conn = source.connect()?;
    let who = source.describe();
    let err_on = |what: &str| {
        let who = who.clone();
        let what = what.to_string();
        move |e: ::oracle::Error| anyhow!("{who}: {what}: {e}")
    };
    conn.execute(&q::transforms(a.tablespaces).sql, &[])
        .map_err(err_on("DBMS_METADATA session transforms"))?;
    let skip = |o: &str| oracle::skipped_owner(o, &a.skip_owner);
    // Objects of the chosen owners, then the closure: owners reached by a dependency have
    // their own dependencies read, until no new owner appears.
    let owners: Vec<String> = a.schema.iter().map(|s| s.to_string()).collect();
    let mut chosen: BTreeSet<Obj> = BTreeSet::new();
    for r in rows(&conn, &q::objects(&owners), 3).map_err(err_on("ALL_OBJECTS"))? {
        let o = (text(&r, 0), text(&r, 1), text(&r, 2));
        if !a.exclude.iter().any(|p| {
            crate::scan::filter::glob(p, &o.1)
                || crate::scan::filter::glob(p, &format!("{}.{}", o.0, o.1))
        }) {
            chosen.insert(o);
        }
    }
    if chosen.is_empty() {
        bail!(
            "{who}: no objects found for --schema {} (names are case-sensitive: HR, not hr)",
            a.schema.join(", ")
        );
    }
    let mut read: BTreeSet<String> = BTreeSet::new();
    let mut deps: Vec<(Obj, Obj)> = Vec::new();
    let mut pulled = Vec::new();
    loop {
        let todo: Vec<String> = chosen
            .iter()
            .map(|o| o.0.clone())
            .filter(|o| !read.contains(o))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if todo.is_empty() {
            break;
        }
        for r in rows(&conn, &q::dependencies(&todo), 6).map_err(err_on("ALL_DEPENDENCIES"))? {
            deps.push((
                (text(&r, 0), text(&r, 1), text(&r, 2)),
                (text(&r, 3), text(&r, 4), text(&r, 5)),
            ));
        }
        read.extend(todo);
        pulled.extend(oracle::close(&mut chosen, &deps, &skip));
    }
    let mut err = std::io::stderr().lock();
    for (o, by) in &pulled {
        writeln!(
            err,
            "pulled in: {} {}.{} (needed by {}.{})",
            o.2,
            one_line(&o.0),
            one_line(&o.1),
            one_line(&by.0),
            one_line(&by.1)
        )?;
    }
    let mut s = OracleSchema::default();
    if let Some(dir) = &a.plan {
        let plan = crate::plan::read_plan(dir).map_err(|e| anyhow!(e))?;
        if plan.options.dialect != crate::charset::Dialect::Oracle {
            bail!(
                "--plan {}: a plan in the PostgreSQL dialect; make it with `charmig plan --dialect oracle`",
                dir.display()
            );
        }
        s.plan_semantics = Some(
            plan.steps_of(crate::plan::Phase::Semantics)
                .map(|st| (st.id.clone(), st.sql.clone()))
                .collect(),
        );
    }
    let mut unscripted = 0;
    for (owner, name, t) in chosen
        .iter()
        .filter(|o| q::OBJECT_TYPES.contains(&o.2.as_str()))
    {
        match ddl(&conn, &q::get_ddl(t, name, owner)) {
            Ok(Some(d)) => s.objects.push(Fetched {
                object_type: t.clone(),
                owner: owner.clone(),
                name: name.clone(),
                ddl: d,
            }),
            Ok(None) => {}
            Err(e) => {
                unscripted += 1;
                writeln!(
                    err,
                    "not scripted: {t} {}.{}: {e}",
                    one_line(owner),
                    one_line(name)
                )?;
            }
        }
        for dep in ["COMMENT", "OBJECT_GRANT"] {
            if dep == "COMMENT" && !matches!(t.as_str(), "TABLE" | "VIEW" | "MATERIALIZED VIEW") {
                continue;
            }
            match ddl(&conn, &q::get_dependent_ddl(dep, name, owner)) {
                Ok(Some(d)) => s.dependents.push(Dependent {
                    kind: dep.into(),
                    owner: owner.clone(),
                    name: name.clone(),
                    ddl: d,
                }),
                Ok(None) => {}
                Err(e) => {
                    unscripted += 1;
                    writeln!(
                        err,
                        "not scripted: {dep} of {}.{}: {e}",
                        one_line(owner),
                        one_line(name)
                    )?;
                }
            }
        }
    }
    let table_owners: Vec<String> = chosen
        .iter()
        .filter(|o| o.2 == "TABLE")
        .map(|o| o.0.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let is_table =
        |o: &str, t: &str| chosen.contains(&(o.to_string(), t.to_string(), "TABLE".to_string()));
    if !table_owners.is_empty() {
        for r in
            rows(&conn, &q::foreign_keys(&table_owners), 5).map_err(err_on("ALL_CONSTRAINTS"))?
        {
            let (owner, name, table) = (text(&r, 0), text(&r, 1), text(&r, 2));
            if !is_table(&owner, &table) {
                continue;
            }
            let d = ddl(&conn, &q::get_ddl("REF_CONSTRAINT", &name, &owner))
                .map_err(err_on("DBMS_METADATA.GET_DDL REF_CONSTRAINT"))?;
            s.foreign_keys.push(ForeignKey {
                enabled: text(&r, 3) == "ENABLED",
                validated: text(&r, 4) == "VALIDATED",
                owner,
                table,
                name,
                ddl: d.unwrap_or_default(),
            });
        }
        let (version, _) = conn
            .server_version()
            .map_err(err_on("the server's version"))?;
        let invisible = (version.major(), version.minor()) >= (12, 1);
        for r in rows(&conn, &q::byte_columns(&table_owners, invisible), 5)
            .map_err(err_on("ALL_TAB_COLS"))?
        {
            if is_table(&text(&r, 0), &text(&r, 1)) {
                s.byte_columns.push(ByteColumn {
                    owner: text(&r, 0),
                    table: text(&r, 1),
                    column: text(&r, 2),
                    data_type: text(&r, 3),
                    char_length: text(&r, 4).parse().unwrap_or(0),
                });
            }
        }
    }
    // Identity columns (and ALL_TAB_IDENTITY_COLS) exist from 12.1; before, there are none.
    let (version, _) = conn
        .server_version()
        .map_err(err_on("the server's version"))?;
    if !table_owners.is_empty() && (version.major(), version.minor()) >= (12, 1) {
        for r in rows(&conn, &q::identity_columns(&table_owners), 5)
            .map_err(err_on("ALL_TAB_IDENTITY_COLS"))?
        {
            if is_table(&text(&r, 0), &text(&r, 1)) {
                s.identity.push(crate::catalog::IdentityColumn {
                    owner: text(&r, 0),
                    table: text(&r, 1),
                    column: text(&r, 2),
                    always: text(&r, 3) == "ALWAYS",
                    on_null: text(&r, 4) == "YES",
                });
            }
        }
    }
    let seq_owners: Vec<String> = chosen
        .iter()
        .filter(|o| o.2 == "SEQUENCE")
        .map(|o| o.0.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !seq_owners.is_empty() {
        let num = |r: &[Option<String>], i: usize| {
            r.get(i)
                .cloned()
                .flatten()
                .and_then(|v| v.trim().parse::<i128>().ok())
        };
        for r in rows(&conn, &q::sequences(&seq_owners), 6).map_err(err_on("ALL_SEQUENCES"))? {
            let (owner, name) = (text(&r, 0), text(&r, 1));
            if !chosen.contains(&(owner.clone(), name.clone(), "SEQUENCE".to_string())) {
                continue;
            }
            s.sequences.push(oracle::SequenceState {
                increment: num(&r, 2).unwrap_or(1),
                last_number: num(&r, 3).unwrap_or(0),
                max_value: num(&r, 4),
                min_value: num(&r, 5),
                owner,
                name,
            });
        }
    }
    drop(conn);
    let statements = oracle::statements(&s);
    writeln!(
        err,
        "schema: {} objects scripted ({} pulled in), {} foreign keys, {} BYTE columns to CHAR",
        s.objects.len(),
        pulled.len(),
        s.foreign_keys.len(),
        s.byte_columns.len()
    )?;
    let phase = if a.after_copy {
        Phase::AfterCopy
    } else {
        Phase::Create
    };
    let left = unscripted > 0;
    if a.dry_run || a.out.is_some() {
        match &a.out {
            Some(path) => {
                let after = super::schema_cmd::after_copy_path(path);
                for (p, ph) in [(path.clone(), Phase::Create), (after, Phase::AfterCopy)] {
                    let mut f = std::io::BufWriter::new(
                        std::fs::File::create(&p)
                            .with_context(|| format!("creating {}", p.display()))?,
                    );
                    let n = script::write_sqlplus(&mut f, &statements, ph, &who)?;
                    f.flush()?;
                    writeln!(err, "{}: {n} statements ({})", p.display(), ph.as_str())?;
                }
            }
            None => {
                script::write_sqlplus(&mut std::io::stdout().lock(), &statements, phase, &who)?;
            }
        }
        return Ok(if left { 1 } else { 0 });
    }
    let to =
        a.to.as_deref()
            .context("--to, --out FILE or --dry-run is needed")?;
    let target = OracleConnector::open(to, false, interactive)?;
    let tconn = target.connect()?;
    let accept = crate::schema::text_check::Accept::from_option(a.accept_object_text.as_deref());
    let failed = run(&tconn, &statements, phase, &accept, &mut err)?;
    writeln!(err, "log: CHARMIG.CHARMIG_DDL_LOG on {}", target.describe())?;
    Ok(if failed == 0 && !left { 0 } else { 1 })
}

/// ORA- codes that, on a statement the log already knows, mean its earlier run succeeded.
const ALREADY: [i32; 7] = [955, 1408, 1430, 2260, 2261, 2264, 2275];

/// Runs the statements of `phase` not yet done on the target; returns how many still fail.
fn run(
    conn: &Connection,
    statements: &[DdlStatement],
    phase: Phase,
    accept: &crate::schema::text_check::Accept,
    err: &mut dyn Write,
) -> Result<usize> {
    conn.execute(q::TARGET_SESSION, &[])?;
    match conn.execute(q::DDL_LOG_DDL, &[]) {
        Ok(_) => {}
        Err(e) if ora(&e) == Some(955) => {}
        Err(e) => bail!(
            "creating CHARMIG.CHARMIG_DDL_LOG: {e} (create the CHARMIG user, or grant CREATE ANY TABLE)"
        ),
    }
    // Oracle stores '' as NULL: an empty part is logged as one space.
    let part = |s: &DdlStatement| {
        if s.part.is_empty() {
            " ".to_string()
        } else {
            s.part.clone()
        }
    };
    let mut known: HashMap<(String, String, String, String), String> = HashMap::new();
    for r in rows(
        conn,
        &Stmt {
            sql: q::DDL_LOG_STATUSES.into(),
            binds: Vec::new(),
        },
        5,
    )? {
        known.insert(
            (text(&r, 0), text(&r, 1), text(&r, 2), text(&r, 3)),
            text(&r, 4),
        );
    }
    let run_id = format!("{}-{}", std::process::id(), crate::scan::time::now());
    let mut todo: Vec<(usize, &DdlStatement)> = statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.phase == phase)
        .filter(|(_, s)| {
            let k = (
                s.kind.clone(),
                s.object.schema.clone(),
                s.object.name.clone(),
                part(s),
            );
            s.reruns() || known.get(&k).map(String::as_str) != Some("done")
        })
        .collect();
    let (mut done, mut failed) = (0, Vec::new());
    while !todo.is_empty() {
        failed.clear();
        for (seq, s) in &todo {
            let key = (
                s.kind.clone(),
                s.object.schema.clone(),
                s.object.name.clone(),
                part(s),
            );
            // Text the catalog gives as C1 controls or double-encoded (see
            // `schema::text_check`): not run unless accepted.
            let misread = (!accept.accepts(&s.object.schema, &s.object.name))
                .then(|| crate::schema::text_check::misread(&s.sql))
                .flatten();
            let outcome = match misread.map(|why| {
                format!(
                    "not run: {why}; create it by hand with the text its author meant, or run again with \
                     --accept-object-text to create it as the source gives it"
                )
            }) {
                Some(why) => Some(why),
                None => match conn.execute(&s.sql, &[]) {
                Ok(_) => None,
                Err(e)
                    if known.contains_key(&key)
                        && ora(&e).is_some_and(|c| ALREADY.contains(&c)) =>
                {
                    None
                }
                Err(e) => Some(e.to_string()),
                },
            };
            let status = if outcome.is_none() { "done" } else { "failed" };
            let error: Option<String> = outcome.as_ref().map(|e| e.chars().take(3900).collect());
            let seq_no = (*seq + 1) as i64;
            let p = part(s);
            let b: [&dyn ToSql; 20] = [
                &s.kind,
                &s.object.schema,
                &s.object.name,
                &p,
                &status,
                &error,
                &run_id,
                &phase.as_str(),
                &seq_no,
                &s.sql,
                &s.kind,
                &s.object.schema,
                &s.object.name,
                &p,
                &status,
                &error,
                &run_id,
                &phase.as_str(),
                &seq_no,
                &s.sql,
            ];
            conn.execute(q::DDL_LOG_MERGE, &b)
                .map_err(|e| anyhow!("writing CHARMIG.CHARMIG_DDL_LOG: {e}"))?;
            conn.commit()?;
            known.insert(key, status.into());
            match outcome {
                None => done += 1,
                Some(e) => failed.push((*seq, *s, e)),
            }
        }
        if failed.len() == todo.len() {
            break;
        }
        todo = failed.iter().map(|(q, s, _)| (*q, *s)).collect();
    }
    for (_, s, e) in &failed {
        writeln!(
            err,
            "failed: {} {}: {}",
            s.kind,
            display(&s.object),
            one_line(e)
        )?;
    }
    writeln!(
        err,
        "{}: {done} statements done, {} failed",
        phase.as_str(),
        failed.len()
    )?;
    Ok(failed.len())
}
