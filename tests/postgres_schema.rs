//! `charmig schema` against a real PostgreSQL: a rich LATIN9 source (tests/fixtures/
//! schema_rich.sql) read into the definition model, re-created in a UTF8 database, and compared.

mod common;

use charmig::schema::model::{Generated, ObjectKind, ObjectName};
use common::pg::{charmig, cluster, stderr};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Role the fixture grants to (roles are cluster-wide: one name for every test of this file).
const ROLE: &str = "charmig_schema_reader";

/// Creates a LATIN9 database `name` holding the rich fixture.
fn rich_source(name: &str) -> postgres::Client {
    let c = cluster();
    let mut admin = c.admin("postgres");
    admin
        .batch_execute(&format!(
            "DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}') THEN CREATE ROLE {ROLE}; END IF; \
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$"
        ))
        .unwrap();
    let mut client = c.create_db(name, "LATIN9");
    let sql = include_str!("fixtures/schema_rich.sql").replace(":role", ROLE);
    client.batch_execute(&sql).expect("load the rich fixture");
    client
}

fn on(schema: &str, name: &str) -> ObjectName {
    ObjectName::new(schema, name)
}

#[test]
fn model_reads_the_rich_source() {
    let mut src = rich_source("schema_model_src");
    let m = charmig::schema::pg_catalog::read(&mut src).unwrap();
    assert_eq!(m.encoding, "LATIN9");
    let names: Vec<&str> = m.schemas.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Ventes.2024", "app", "public", "réf"]);
    let clients = m.table(&on("app", "Clients")).unwrap();
    let col = |n: &str| clients.columns.iter().find(|c| c.name == n).unwrap();
    assert_eq!(
        col("id").generated,
        Some(Generated::Identity {
            always: true,
            sequence: on("app", "Clients_id_seq")
        })
    );
    assert_eq!(
        col("nom_maj").generated,
        Some(Generated::Stored {
            expression: "upper((nom)::text)".into()
        })
    );
    assert_eq!(col("nom").type_sql, "character varying(60)");
    assert_eq!(col("nom").collation, Some(on("pg_catalog", "C")));
    assert_eq!(
        col("nom").comment.as_deref(),
        Some("nom\nsur deux lignes */")
    );
    assert_eq!(col("humeur").type_sql, "\"réf\".humeur");
    assert_eq!(col("tags").type_name, on("pg_catalog", "varchar"));
    assert_eq!(
        col("humeur").default.as_deref(),
        Some("'bien'::\"réf\".humeur")
    );
    assert!(m.table(&on("app", "bad\nname*/\\x")).is_some());
    let seq = m.sequence(&on("Ventes.2024", "cmd_seq")).unwrap();
    assert_eq!(
        (seq.last_value, seq.is_called, seq.increment),
        (4242, true, 5)
    );
    assert_eq!(
        seq.owned_by,
        Some((on("Ventes.2024", "Commande Lignes"), "no".into()))
    );
    let fk = m.constraints.iter().find(|k| k.name == "fk Pays").unwrap();
    assert_eq!(fk.references, Some(on("réf", "Pays")));
    assert!(fk.definition.starts_with("FOREIGN KEY (pays, \"année\") REFERENCES \"réf\".\"Pays\"(code, \"année\") ON DELETE CASCADE"), "{}", fk.definition);
    let partial = m
        .indexes
        .iter()
        .find(|i| i.name.name == "idx partiel")
        .unwrap();
    assert_eq!(partial.predicate.as_deref(), Some("montant > 100::numeric"));
    assert!(
        m.views
            .iter()
            .any(|v| v.materialized && v.name == on("Ventes.2024", "totaux"))
    );
    let trg = m.triggers.iter().find(|t| t.name == "trg_off").unwrap();
    assert_eq!(trg.enabled, 'D');
    let double = m
        .routines
        .iter()
        .find(|r| r.name == on("réf", "double"))
        .unwrap();
    assert!(double.grants.iter().all(|g| g.grantee != "PUBLIC"));
    assert!(
        double
            .grants
            .iter()
            .any(|g| g.grantee == ROLE && g.privilege == "EXECUTE")
    );
    let touch = m
        .routines
        .iter()
        .find(|r| r.name == on("app", "touch"))
        .unwrap();
    assert!(
        touch.grants.iter().any(|g| g.grantee == "PUBLIC"),
        "default EXECUTE to PUBLIC"
    );
    // Cross-schema needs: the FK parent, the enum and the domain, the view's table, the
    // trigger's function, the default's sequence.
    let needs = |from: &ObjectName, kind: ObjectKind, to: &ObjectName| {
        m.dependencies
            .iter()
            .any(|d| &d.from == from && d.to_kind == kind && &d.to == to)
    };
    assert!(needs(
        &on("app", "Clients"),
        ObjectKind::Relation,
        &on("réf", "Pays")
    ));
    assert!(needs(
        &on("app", "Clients"),
        ObjectKind::Type,
        &on("réf", "humeur")
    ));
    assert!(needs(
        &on("app", "Clients"),
        ObjectKind::Type,
        &on("réf", "code_postal")
    ));
    assert!(needs(
        &on("Ventes.2024", "gros"),
        ObjectKind::Relation,
        &on("app", "Vue clients")
    ));
    assert!(needs(
        &on("Ventes.2024", "Commande Lignes"),
        ObjectKind::Routine,
        &on("app", "touch")
    ));
    assert!(needs(
        &on("Ventes.2024", "Commande Lignes"),
        ObjectKind::Relation,
        &on("app", "facture_seq")
    ));
    assert!(
        !m.dependencies.iter().any(|d| d.to.name.ends_with("_pkey")),
        "indexes are no dependencies"
    );
}

/// A client program (pg_dump, psql): on PATH, else next to the server binaries.
fn tool(name: &str) -> PathBuf {
    let on_path = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    on_path.unwrap_or_else(|| cluster().bin.join(name))
}

/// `pg_dump --schema-only` of `db` in UTF-8, without charmig's schema and without the
/// per-run `\restrict` key lines: what two databases with the same schema print the same.
fn dump_schema(db: &str) -> String {
    let c = cluster();
    let out = Command::new(tool("pg_dump"))
        .args([
            "--schema-only",
            "--encoding=UTF8",
            "--exclude-schema=charmig",
            "--dbname",
        ])
        .arg(c.url(db))
        .stdin(Stdio::null())
        .output()
        .expect("run pg_dump");
    assert!(
        out.status.success(),
        "pg_dump {db}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Line diff for a failure message (first differing lines only).
fn first_differences(a: &str, b: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let mut out = Vec::new();
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (
            a.get(i).copied().unwrap_or(""),
            b.get(i).copied().unwrap_or(""),
        );
        if x != y {
            out.push(format!("line {}:\n  source: {x}\n  target: {y}", i + 1));
            if out.len() == 5 {
                break;
            }
        }
    }
    out.join("\n")
}

fn assert_same_schema(src: &str, tgt: &str) {
    let (a, b) = (dump_schema(src), dump_schema(tgt));
    assert!(
        a.contains("CREATE TABLE app.\"Clients\""),
        "the dump has the schema"
    );
    assert!(a == b, "schemas differ:\n{}", first_differences(&a, &b));
    // The catalogs as charmig reads them (sequence values included, which pg_dump
    // --schema-only leaves out), apart from the database encoding.
    let c = cluster();
    let mut ms = charmig::schema::pg_catalog::read(&mut c.admin(src)).unwrap();
    let mt = charmig::schema::pg_catalog::read(&mut c.admin(tgt)).unwrap();
    assert_eq!(ms.encoding, "LATIN9");
    assert_eq!(mt.encoding, "UTF8");
    ms.encoding = mt.encoding.clone();
    assert_eq!(ms.sequences, mt.sequences);
    assert_eq!(ms, mt);
}

fn run(args: &[&str]) -> (i32, String) {
    let o = charmig(args);
    (o.status.code().unwrap_or(-1), stderr(&o))
}

fn log_rows(db: &str) -> Vec<(String, String, String, String, String, i32)> {
    cluster()
        .admin(db)
        .query(
            "SELECT statement_kind, object_schema, object_name, part, status, attempts
               FROM charmig.charmig_ddl_log ORDER BY seq",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)))
        .collect()
}

#[test]
fn recreated_schema_equals_the_source() {
    let c = cluster();
    drop(rich_source("schema_eq_src"));
    let mut tgt = c.create_db("schema_eq_tgt", "UTF8");
    let (from, to) = (c.url("schema_eq_src"), c.url("schema_eq_tgt"));
    let (code, err) = run(&["schema", "--from", &from, "--to", &to]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 failed"), "{err}");
    // Ready for a load in any order: no foreign keys yet (a NOT VALID one would check the
    // copy's rows), triggers disabled, the materialized view empty.
    let fks: i64 = tgt
        .query_one(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(fks, 0);
    let triggers: Vec<String> = tgt
        .query(
            "SELECT tgenabled::text FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(triggers, ["D", "D"]);
    let populated: bool = tgt
        .query_one("SELECT ispopulated FROM pg_matviews", &[])
        .unwrap()
        .get(0);
    assert!(!populated);
    // The load: rows that need the FK parents, inserted children first, every column given
    // (as a copy does: no default hands out a sequence value).
    tgt.batch_execute(
        "INSERT INTO \"Ventes.2024\".\"Commande Lignes\" (no, client, montant, facture) VALUES (1, 10, 150, 3);
         INSERT INTO app.\"Clients\" (id, nom, pays, \"année\") OVERRIDING SYSTEM VALUE VALUES (10, 'Zoé', 'FR', 2024);
         INSERT INTO réf.\"Pays\" VALUES ('FR', 2024, 'France');",
    )
    .unwrap();
    let (code, err) = run(&["schema", "--from", &from, "--to", &to, "--after-copy"]);
    assert_eq!(code, 0, "{err}");
    let total: String = tgt
        .query_one("SELECT total::text FROM \"Ventes.2024\".totaux", &[])
        .unwrap()
        .get(0);
    assert_eq!(total, "150.00", "the materialized view was refreshed");
    assert_same_schema("schema_eq_src", "schema_eq_tgt");
    // A second run finds everything done.
    let (code, err) = run(&["schema", "--from", &from, "--to", &to]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(" 0 statements done,"), "{err}");
}

#[test]
fn a_failed_statement_is_retried_by_the_next_run_and_the_rest_goes_on() {
    let c = cluster();
    drop(rich_source("schema_resume_src"));
    let mut tgt = c.create_db("schema_resume_tgt", "UTF8");
    // A table in the way: réf."Pays" exists with other columns.
    tgt.batch_execute("CREATE SCHEMA réf; CREATE TABLE réf.\"Pays\" (x int)")
        .unwrap();
    let (from, to) = (c.url("schema_resume_src"), c.url("schema_resume_tgt"));
    let (code, err) = run(&["schema", "--from", &from, "--to", &to]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("failed: create_table réf.Pays: relation \"Pays\" already exists"),
        "{err}"
    );
    let log = log_rows("schema_resume_tgt");
    let failed: Vec<(&str, &str, &str)> = log
        .iter()
        .filter(|r| r.4 == "failed")
        .map(|r| (r.0.as_str(), r.2.as_str(), r.3.as_str()))
        .collect();
    // The table, its key, the view over it and what depends on the view; nothing else.
    assert_eq!(
        failed,
        [
            ("create_table", "Pays", ""),
            ("add_constraint", "Pays", "Pays_pkey"),
            ("create_view", "Vue clients", ""),
            ("create_view", "gros", ""),
            ("comment", "Vue clients", ""),
            ("owner", "gros", ""),
            ("owner", "Vue clients", ""),
        ]
    );
    assert!(log.iter().filter(|r| r.4 == "done").count() > 50);
    // The DBA removes the obstacle; the re-run does only what failed.
    tgt.batch_execute("DROP TABLE réf.\"Pays\"").unwrap();
    let (code, err) = run(&["schema", "--from", &from, "--to", &to]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("7 statements done"), "{err}");
    let again = log_rows("schema_resume_tgt");
    for (before, after) in log.iter().zip(&again) {
        assert_eq!(after.4, "done");
        let retried = before.4 == "failed";
        assert_eq!(after.5 > before.5, retried, "{after:?}");
    }
    let (code, err) = run(&["schema", "--from", &from, "--to", &to, "--after-copy"]);
    assert_eq!(code, 0, "{err}");
    assert_same_schema("schema_resume_src", "schema_resume_tgt");
}

#[test]
fn chosen_schema_pulls_in_what_it_needs_until_a_fixed_point() {
    let c = cluster();
    drop(rich_source("schema_closure_src"));
    let mut tgt = c.create_db("schema_closure_tgt", "UTF8");
    let (from, to) = (c.url("schema_closure_src"), c.url("schema_closure_tgt"));
    let (code, err) = run(&[
        "schema",
        "--from",
        &from,
        "--to",
        &to,
        "--schema",
        "Ventes.2024",
    ]);
    assert_eq!(code, 0, "{err}");
    for line in [
        "pulled in: Relation app.Clients (needed by Ventes.2024.Commande Lignes)",
        "pulled in: Relation app.facture_seq (needed by Ventes.2024.Commande Lignes)",
        "pulled in: Routine app.touch (needed by Ventes.2024.Commande Lignes)",
        "pulled in: Relation app.Vue clients (needed by Ventes.2024.gros)",
        "pulled in: Relation réf.Pays (needed by app.Clients)",
        "pulled in: Type réf.humeur (needed by app.Clients)",
        "pulled in: Type réf.code_postal (needed by app.Clients)",
    ] {
        assert!(err.contains(line), "{line}\n{err}");
    }
    assert!(err.contains("fixed point after 3 rounds"), "{err}");
    let tables: Vec<String> = tgt
        .query(
            "SELECT schemaname || '.' || tablename FROM pg_tables
              WHERE schemaname NOT IN ('charmig', 'pg_catalog', 'information_schema') ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        tables,
        ["Ventes.2024.Commande Lignes", "app.Clients", "réf.Pays"]
    );
    // A skipped owner is not pulled in: its objects are left to the target.
    let o = charmig(&[
        "schema",
        "--from",
        &from,
        "--dry-run",
        "--schema",
        "app",
        "--skip-owner",
        "réf",
    ]);
    let script = String::from_utf8(o.stdout.clone()).unwrap();
    assert!(script.contains("CREATE TABLE \"app\".\"Clients\""));
    assert!(!script.contains("CREATE TABLE \"réf\""), "{script}");
    assert!(!stderr(&o).contains("pulled in"), "{}", stderr(&o));
}

#[test]
fn the_script_runs_in_psql_and_hostile_names_stay_in_their_comments() {
    let c = cluster();
    drop(rich_source("schema_script_src"));
    drop(c.create_db("schema_script_tgt", "UTF8"));
    let dir = std::env::temp_dir().join(format!("charmig-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("schema.sql");
    let from = c.url("schema_script_src");
    let (code, err) = run(&["schema", "--from", &from, "--out", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains(". create_table app.bad\\nname*\\/\\\\x\n"),
        "{text}"
    );
    // Each statement's comment is one line: the line after it is the statement.
    let lines: Vec<&str> = text.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if !(l.starts_with("-- ") && l.contains(". ")) {
            continue;
        }
        let next = lines[i + 1];
        assert!(
            [
                "CREATE ", "ALTER ", "COMMENT ", "GRANT ", "REVOKE ", "SELECT ", "DO "
            ]
            .iter()
            .any(|k| next.starts_with(k)),
            "the comment {l:?} is followed by {next:?}"
        );
    }
    for f in [file.clone(), dir.join("schema.after_copy.sql")] {
        let out = Command::new(tool("psql"))
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f"])
            .arg(&f)
            .arg(c.url("schema_script_tgt"))
            .stdin(Stdio::null())
            .output()
            .expect("run psql");
        assert!(
            out.status.success(),
            "psql -f {}: {}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_same_schema("schema_script_src", "schema_script_tgt");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_target_that_is_not_utf8_is_refused() {
    let c = cluster();
    drop(rich_source("schema_refuse_src"));
    drop(c.create_db("schema_refuse_tgt", "LATIN1"));
    let (code, err) = run(&[
        "schema",
        "--from",
        &c.url("schema_refuse_src"),
        "--to",
        &c.url("schema_refuse_tgt"),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("is in LATIN1") && err.contains("createdb -E UTF8"),
        "{err}"
    );
    // A --plan that is not a plan directory is refused, not ignored.
    let (code, err) = run(&[
        "schema",
        "--from",
        &c.url("schema_refuse_src"),
        "--dry-run",
        "--plan",
        "/nonexistent/charmig-plan",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is this a charmig plan directory?"), "{err}");
}

/// The workflow end to end with charmig alone: schema, copy (children may load before their
/// parents, the trigger does not fire), schema --after-copy, verify says "migration verified".
#[test]
fn schema_copy_after_copy_then_verify() {
    schema_copy_verify(true);
}

/// The held-out route: schema, copy, verify, nothing else. A copy of part of the tables leaves
/// the schema's after-copy phase waiting (the trigger stays disabled, no foreign key yet); the
/// copy that completes the tables runs it; verify says "migration verified".
#[test]
fn copy_finishes_the_schema_once_every_table_is_in() {
    schema_copy_verify(false);
}

fn schema_copy_verify(explicit_after_copy: bool) {
    let c = cluster();
    let tag = if explicit_after_copy { "e2e" } else { "auto" };
    let (sn, tn) = (format!("schema_{tag}_src"), format!("schema_{tag}_tgt"));
    let mut src = rich_source(&sn);
    src.batch_execute(
        "INSERT INTO réf.\"Pays\" VALUES ('FR', 2024, 'Frànce €');
         INSERT INTO app.\"Clients\" (nom, pays, \"année\", cp, tags) VALUES ('Zoé', 'FR', 2024, '75001', '{a,é}');
         INSERT INTO \"Ventes.2024\".\"Commande Lignes\" (client, montant, note) VALUES (10, 150, NULL);
         UPDATE \"Ventes.2024\".\"Commande Lignes\" SET note = NULL;
         INSERT INTO app.journal VALUES ('2024-03-01', 'x');
         INSERT INTO app.serials (v) VALUES ('a');",
    )
    .unwrap();
    let mut tgt = c.create_db(&tn, "UTF8");
    let (from, to) = (c.url(&sn), c.url(&tn));
    let (code, err) = run(&["schema", "--from", &from, "--to", &to]);
    assert_eq!(code, 0, "{err}");
    if explicit_after_copy {
        let o = charmig(&["copy", "--from", &from, "--to", &to, "--jobs", "2"]);
        assert!(o.status.success(), "copy: {}", stderr(&o));
        let (code, err) = run(&["schema", "--from", &from, "--to", &to, "--after-copy"]);
        assert_eq!(code, 0, "{err}");
    } else {
        let lines = "\"Ventes.2024\".\"Commande Lignes\"";
        let o = charmig(&["copy", "--from", &from, "--to", &to, "--table", lines]);
        assert!(o.status.success(), "copy: {}", stderr(&o));
        assert!(
            stderr(&o).contains("schema after-copy waits: ") && stderr(&o).contains("app.Clients"),
            "{}",
            stderr(&o)
        );
        let state: (String, i64) = {
            let r = tgt
                .query_one(
                    "SELECT (SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'trg touch'), \
                     (SELECT count(*) FROM pg_constraint WHERE contype = 'f')",
                    &[],
                )
                .unwrap();
            (r.get(0), r.get(1))
        };
        assert_eq!(
            state,
            ("D".to_string(), 0),
            "nothing enabled while tables wait"
        );
        // verify says why the keys and triggers differ.
        let dir = std::env::temp_dir().join(format!("charmig-schema-half-{}", std::process::id()));
        let (code, out) = common::pg::verify_into(&from, &to, &dir);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("its after-copy phase has not run"), "{out}");
        let _ = std::fs::remove_dir_all(&dir);
        let o = charmig(&["copy", "--from", &from, "--to", &to, "--jobs", "2"]);
        assert!(o.status.success(), "copy: {}", stderr(&o));
        assert!(
            stderr(&o).contains("schema after-copy (foreign keys added and validated")
                && stderr(&o).contains(" 0 failed"),
            "{}",
            stderr(&o)
        );
        // Run again, it finds everything done.
        // Run again: only the sequence syncs and refreshes run again (they never move a
        // sequence back); everything else is done.
        let (code, err) = run(&["schema", "--from", &from, "--to", &to, "--after-copy"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains(" 0 failed"), "{err}");
        let other_statements: i64 = tgt
            .query_one(
                "SELECT count(*) FROM charmig.charmig_ddl_log WHERE phase = 'after_copy' \
                 AND statement_kind NOT IN ('sync_sequence', 'refresh_matview') AND attempts > 1",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(other_statements, 0, "nothing else ran twice");
        // The source moves on (rows merged by a catch-up): a later run moves the target's
        // sequence past it, and never back when the target is further.
        src.batch_execute("SELECT setval('app.facture_seq', 500)")
            .unwrap();
        let seq = |db: &mut postgres::Client| -> (i64, bool) {
            let r = db
                .query_one("SELECT last_value, is_called FROM app.facture_seq", &[])
                .unwrap();
            (r.get(0), r.get(1))
        };
        let (code, err) = run(&["schema", "--from", &from, "--to", &to, "--after-copy"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(seq(&mut tgt), (500, true));
        tgt.batch_execute("SELECT setval('app.facture_seq', 900)")
            .unwrap();
        let (code, err) = run(&["schema", "--from", &from, "--to", &to, "--after-copy"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(seq(&mut tgt), (900, true), "never moved back");
    }
    let dir = std::env::temp_dir().join(format!("charmig-schema-{tag}-{}", std::process::id()));
    let o = charmig(&[
        "verify",
        "--from",
        &from,
        "--to",
        &to,
        "--out",
        dir.to_str().unwrap(),
    ]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("migration verified"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn objects_it_cannot_create_are_listed_and_the_run_says_so() {
    let c = cluster();
    let mut src = c.create_db("schema_unsupported_src", "LATIN9");
    src.batch_execute(
        "CREATE SCHEMA h; CREATE TABLE h.parent (a int); CREATE TABLE h.enfant () INHERITS (h.parent);
         ALTER TABLE h.parent ENABLE ROW LEVEL SECURITY; CREATE TABLE h.dense (a int) WITH (fillfactor = 70);",
    )
    .unwrap();
    let o = charmig(&[
        "schema",
        "--from",
        &c.url("schema_unsupported_src"),
        "--dry-run",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for line in [
        "not created (not supported): table inheritance on h.enfant",
        "not created (not supported): row-level security on h.parent",
        "not created (not supported): storage parameters fillfactor=70 on h.dense",
    ] {
        assert!(err.contains(line), "{line}\n{err}");
    }
}

/// Objects keep their source owners (as pg_dump's script does), verify names an owner that
/// differs, and `--no-owner` on both commands leaves owners to the connecting user.
#[test]
fn owners_are_kept_compared_and_left_out_with_no_owner() {
    let c = cluster();
    c.admin("postgres")
        .batch_execute(
            "DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'charmig_app_owner') THEN \
             CREATE ROLE charmig_app_owner; END IF; \
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$",
        )
        .unwrap();
    let mut src = c.create_db("schema_owner_src", "LATIN9");
    src.batch_execute(
        "CREATE SCHEMA \"Compta\" AUTHORIZATION charmig_app_owner;
         CREATE TABLE \"Compta\".\"Écritures\" (id serial PRIMARY KEY, libellé text);
         CREATE SEQUENCE \"Compta\".pièce_seq;
         CREATE VIEW \"Compta\".v AS SELECT libellé FROM \"Compta\".\"Écritures\";
         CREATE FUNCTION \"Compta\".f(x int) RETURNS int LANGUAGE sql AS 'SELECT x';
         CREATE FUNCTION \"Compta\".v() RETURNS int LANGUAGE sql AS 'SELECT 1';
         COMMENT ON VIEW \"Compta\".v IS 'la vue';
         COMMENT ON FUNCTION \"Compta\".v() IS 'la fonction';
         ALTER TABLE \"Compta\".\"Écritures\" OWNER TO charmig_app_owner;
         ALTER SEQUENCE \"Compta\".pièce_seq OWNER TO charmig_app_owner;
         ALTER VIEW \"Compta\".v OWNER TO charmig_app_owner;
         ALTER FUNCTION \"Compta\".f(int) OWNER TO charmig_app_owner;
         INSERT INTO \"Compta\".\"Écritures\" (libellé) VALUES ('d' || convert_from('\\xe9'::bytea, 'LATIN9') || 'bit');",
    )
    .unwrap();
    let from = c.url("schema_owner_src");
    let owners = |db: &mut postgres::Client| -> Vec<String> {
        db.query(
            "SELECT n.nspname || '.' || c.relname || '=' || pg_get_userbyid(c.relowner) FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'Compta' AND c.relkind IN ('r', 'v', 'S')
             UNION ALL SELECT 'f=' || pg_get_userbyid(proowner) FROM pg_proc WHERE proname = 'f'
             UNION ALL SELECT 'schema=' || pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'Compta'
             ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
    };
    let want = owners(&mut src);
    assert!(
        want.iter().all(|o| o.ends_with("=charmig_app_owner")),
        "{want:?}"
    );
    for (tag, no_owner) in [("kept", false), ("none", true)] {
        let tn = format!("schema_owner_{tag}");
        let mut tgt = c.create_db(&tn, "UTF8");
        let to = c.url(&tn);
        let mut args = vec!["schema", "--from", &from, "--to", &to];
        if no_owner {
            args.push("--no-owner");
        }
        let (code, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        let o = charmig(&["copy", "--from", &from, "--to", &to]);
        assert!(o.status.success(), "copy: {}", stderr(&o));
        let dir = std::env::temp_dir().join(format!("charmig-owner-{tag}-{}", std::process::id()));
        let verify = |extra: &[&str]| {
            let mut args = vec![
                "verify",
                "--from",
                &from,
                "--to",
                &to,
                "--out",
                dir.to_str().unwrap(),
            ];
            args.extend(extra);
            let o = charmig(&args);
            (
                o.status.code(),
                String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o),
            )
        };
        if no_owner {
            assert!(
                owners(&mut tgt).iter().all(|o| o.ends_with("=postgres")),
                "{:?}",
                owners(&mut tgt)
            );
            let (code, out) = verify(&[]);
            assert_eq!(code, Some(1), "{out}");
            assert!(
                out.contains(
                    "owner Compta.Écritures: owner (source charmig_app_owner, target postgres)"
                ),
                "{out}"
            );
            let (code, out) = verify(&["--no-owner"]);
            assert_eq!(code, Some(0), "{out}");
        } else {
            assert_eq!(owners(&mut tgt), want);
            let (code, out) = verify(&[]);
            assert_eq!(code, Some(0), "{out}");
            tgt.batch_execute("ALTER VIEW \"Compta\".v OWNER TO postgres")
                .unwrap();
            let (code, out) = verify(&[]);
            assert_eq!(code, Some(1), "{out}");
            assert!(out.contains("owner Compta.v: owner"), "{out}");
            let fix = std::fs::read_to_string(dir.join("fix.sql")).unwrap();
            assert!(
                fix.contains("ALTER VIEW \"Compta\".\"v\" OWNER TO \"charmig_app_owner\""),
                "{fix}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// verify's "after-copy phase has not run" note is about that phase's work only: a missing
/// CHECK or unique constraint is not explained by it, a missing foreign key is.
#[test]
fn the_after_copy_note_names_only_that_phases_work() {
    let c = cluster();
    let mut src = c.create_db("acnote_src", "LATIN1");
    src.batch_execute(
        "CREATE TABLE public.\"Pays\" (code char(2) PRIMARY KEY, nom text CONSTRAINT \"nom non vide\" CHECK (nom <> ''));
         CREATE TABLE public.\"Villes\" (id int PRIMARY KEY, pays char(2) CONSTRAINT \"villes_pays_clé\" REFERENCES public.\"Pays\");",
    )
    .unwrap();
    drop(c.create_db("acnote_tgt", "UTF8"));
    let (from, to) = (c.url("acnote_src"), c.url("acnote_tgt"));
    let (code, err) = run(&["schema", "--from", &from, "--to", &to]);
    assert_eq!(code, 0, "{err}");
    let dir = std::env::temp_dir().join(format!("charmig-acnote-{}", std::process::id()));
    let verify = || common::pg::verify_into(&from, &to, &dir);
    let (code, out) = verify();
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("its after-copy phase has not run"), "{out}");
    // The foreign key added by hand, the CHECK dropped: the one difference left is not the
    // phase's.
    c.admin("acnote_tgt")
        .batch_execute(
            "ALTER TABLE public.\"Villes\" ADD CONSTRAINT \"villes_pays_clé\" FOREIGN KEY (pays) REFERENCES public.\"Pays\";
             ALTER TABLE public.\"Pays\" DROP CONSTRAINT \"nom non vide\";",
        )
        .unwrap();
    let (code, out) = verify();
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("nom non vide"), "{out}");
    assert!(!out.contains("after-copy phase has not run"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--schema` is case-sensitive as PostgreSQL names are: a name that matches only otherwise
/// cased is refused with the exact spelling, by schema and by verify (verify compared nothing
/// and said "migration verified").
#[test]
fn a_schema_name_cased_otherwise_is_refused_with_the_exact_spelling() {
    let c = cluster();
    let mut src = c.create_db("casename_src", "LATIN1");
    src.batch_execute(
        "CREATE SCHEMA \"Société\"; CREATE TABLE \"Société\".t (id int PRIMARY KEY);",
    )
    .unwrap();
    drop(c.create_db("casename_tgt", "UTF8"));
    let (from, to) = (c.url("casename_src"), c.url("casename_tgt"));
    let dir = std::env::temp_dir().join(format!("charmig-casename-{}", std::process::id()));
    for args in [
        vec![
            "schema",
            "--from",
            &from,
            "--to",
            &to,
            "--schema",
            "société",
        ],
        vec![
            "verify",
            "--from",
            &from,
            "--to",
            &to,
            "--schema",
            "société",
            "--out",
            dir.to_str().unwrap(),
        ],
    ] {
        let (code, out) = common::pg::run_all(&args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(
            out.contains("--schema société: no such schema")
                && out.contains("did you mean Société?"),
            "{out}"
        );
    }
    let (code, out) = common::pg::run_all(&[
        "schema",
        "--from",
        &from,
        "--to",
        &to,
        "--schema",
        "Société",
    ]);
    assert_eq!(code, 0, "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Object text written into a LATIN1 database by a Windows client (a view and a default on
/// `€`, byte 0x80) or a UTF-8 client (`payé` as C3 A9) comes out of the catalog as C1
/// controls and `Ã©`, while the copy reads the data as WIN1252 or `auto`: created as the
/// catalog gives it, the view would select nothing on the target and verify would compare the
/// catalogs as equal. schema does not run such statements (naming what they hold) unless
/// --accept-object-text; verify reports such text in the target.
#[test]
fn object_text_a_legacy_catalog_misreads_is_not_created_silently() {
    let c = cluster();
    let mut src = c.create_db("objtext_src", "LATIN1");
    src.batch_execute(
        "CREATE TABLE prices (id int PRIMARY KEY, cur text, label text);
         CREATE TABLE orders (id int PRIMARY KEY, status text);
         DO $$ BEGIN
           EXECUTE format('CREATE VIEW eur AS SELECT id FROM prices WHERE cur = %L', convert_from('\\x80', 'LATIN1'));
           EXECUTE format('ALTER TABLE prices ALTER label SET DEFAULT %L', convert_from('\\x93', 'LATIN1') || 'neu' || convert_from('\\x94', 'LATIN1'));
           EXECUTE format('CREATE VIEW paid AS SELECT id FROM orders WHERE status = %L', convert_from('\\x706179c3a9', 'LATIN1'));
         END $$;
         CREATE VIEW plain_v AS SELECT id FROM orders WHERE status = 'déjà';",
    )
    .unwrap();
    drop(c.create_db("objtext_tgt", "UTF8"));
    let (from, to) = (c.url("objtext_src"), c.url("objtext_tgt"));
    let (code, out) = run(&["schema", "--from", &from, "--to", &to]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("failed: create_view public.eur")
            && out.contains("U+0080 (byte 0x80, € in Windows-1252)")
            && out.contains("failed: create_view public.paid")
            && out.contains("(Ã© = é)")
            && out.contains("--accept-object-text"),
        "{out}"
    );
    let mut tgt = c.admin("objtext_tgt");
    let views: Vec<String> = tgt
        .query(
            "SELECT viewname::text FROM pg_views WHERE schemaname = 'public' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(views, ["plain_v"], "plain Latin-1 text is created");
    assert!(
        out.contains("failed: create_table public.prices")
            && out.contains("U+0093 (byte 0x93, “ in Windows-1252)"),
        "the table's default holds it: {out}"
    );
    // The table accepted by name (its default fixed afterwards); the views stay refused.
    let (code, out) = run(&[
        "schema",
        "--from",
        &from,
        "--to",
        &to,
        "--accept-object-text",
        "public.prices",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        !out.contains("failed: create_table public.prices")
            && out.contains("failed: create_view public.eur"),
        "{out}"
    );
    // verify compares the source's text as it was meant: the views are missing, the default
    // left as the catalog gave it is named.
    let dir = std::env::temp_dir().join(format!("charmig-objtext-{}", std::process::id()));
    let (code, out) = common::pg::verify_into(&from, &to, &dir);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("misread text")
            && out.contains("public.prices (create_table)")
            && out.contains("eur"),
        "{out}"
    );
    // Accepted by name in verify too: the table's text is no longer reported, the views are.
    let (code, out) = common::pg::run_all(&[
        "verify",
        "--from",
        &from,
        "--to",
        &to,
        "--out",
        dir.to_str().unwrap(),
        "--accept-object-text",
        "public.prices",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains("public.prices (create_table)"), "{out}");
    assert!(out.contains("eur"), "{out}");
    // Created by hand with the text their authors meant: verified.
    tgt.batch_execute(
        "ALTER TABLE prices ALTER label SET DEFAULT '“neu”';
         CREATE VIEW eur AS SELECT id FROM prices WHERE cur = '€';
         CREATE VIEW paid AS SELECT id FROM orders WHERE status = 'payé';",
    )
    .unwrap();
    let (code, out) = common::pg::verify_into(&from, &to, &dir);
    assert_eq!(code, 0, "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
