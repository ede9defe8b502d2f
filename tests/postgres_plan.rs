//! `charmig plan` + `charmig apply` against a real PostgreSQL: after each script the catalog
//! is in exactly the expected state (indexes identical by pg_get_indexdef, constraints NOT
//! VALID then valid after 04, triggers as before, an already-disabled trigger untouched),
//! applying twice is harmless, and the reverse scripts, run with psql, restore the original.

mod common;

use common::pg::{charmig, cluster, stderr};
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("charmig-plan-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Triggers, constraints (with validation) and indexes of schema `app`, one line each, sorted.
fn state(db: &mut postgres::Client) -> String {
    db.query_one(
        "SELECT coalesce(string_agg(x, E'\\n' ORDER BY x), '') FROM (
           SELECT 'trigger ' || tgname || ' ' || tgenabled::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT tgisinternal AND c.relnamespace = 'app'::regnamespace
           UNION ALL
           SELECT 'constraint ' || conname || ' valid=' || convalidated || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
            WHERE connamespace = 'app'::regnamespace
           UNION ALL
           SELECT 'index ' || pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
            WHERE c.relnamespace = 'app'::regnamespace) s(x)",
        &[],
    )
    .unwrap()
    .get(0)
}

fn apply(url: &str, plan: &Path, steps: &[&str]) -> String {
    let mut args = vec!["apply", "--plan", plan.to_str().unwrap(), "--db", url];
    for s in steps {
        args.extend(["--step", s]);
    }
    let o = charmig(&args);
    assert!(o.status.success(), "apply {steps:?}: {}", stderr(&o));
    stderr(&o)
}

fn psql() -> PathBuf {
    let candidates = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("psql"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let lib = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin/psql"));
    candidates
        .into_iter()
        .chain(lib)
        .find(|p| p.is_file())
        .expect("psql not found (Debian package postgresql-client)")
}

fn run_psql(url: &str, file: &Path) {
    let o = std::process::Command::new(psql())
        .args(["-X", "-q", "-d", url, "-f", file.to_str().unwrap()])
        .env("PGCLIENTENCODING", "UTF8")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "psql -f {}: {}",
        file.display(),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn plan_apply_validate_and_reverse_on_a_real_database() {
    let c = cluster();
    let mut db = c.create_db("plandb", "LATIN9");
    db.batch_execute(
        "CREATE SCHEMA app;
         CREATE TABLE app.dept (id int PRIMARY KEY, name varchar(20) UNIQUE);
         CREATE TABLE app.\"Order Lines\" (id int PRIMARY KEY, dept_id int, qty int, note text);
         ALTER TABLE app.\"Order Lines\" ADD CONSTRAINT \"ol dept fk\" FOREIGN KEY (dept_id) REFERENCES app.dept (id);
         ALTER TABLE app.\"Order Lines\" ADD CONSTRAINT ol_qty_pos CHECK (qty > 0);
         ALTER TABLE app.\"Order Lines\" ADD CONSTRAINT ol_qty_small CHECK (qty < 1000) NOT VALID;
         CREATE INDEX ol_note_ix ON app.\"Order Lines\" (note);
         CREATE INDEX ol_lower_ix ON app.\"Order Lines\" (lower(note)) WHERE qty > 1;
         CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
         CREATE TRIGGER t_on BEFORE INSERT ON app.\"Order Lines\" FOR EACH ROW EXECUTE FUNCTION app.touch();
         CREATE TRIGGER t_off BEFORE UPDATE ON app.\"Order Lines\" FOR EACH ROW EXECUTE FUNCTION app.touch();
         ALTER TABLE app.\"Order Lines\" DISABLE TRIGGER t_off;
         CREATE SEQUENCE app.ol_seq;
         SELECT setval('app.ol_seq', 41);
         INSERT INTO app.dept VALUES (1, 'Ventes'), (2, 'Compta');
         INSERT INTO app.\"Order Lines\" VALUES (1, 1, 5, 'caf' || convert_from('\\xe9'::bytea, 'LATIN9')), (2, 2, 7, 'ok');",
    )
    .unwrap();
    let original = state(&mut db);
    let src_url = c.url("plandb");
    // The plan's scripts run on the target: a database with the source's schema.
    c.create_db("plantgt", "UTF8");
    common::tools::copy_schema(c, "plandb", "plantgt");
    let mut db = c.admin("plantgt");
    assert_eq!(state(&mut db), original, "the schema copy is exact");
    let url = c.url("plantgt");

    let scan_dir = tmp("scan");
    let o = charmig(&[
        "scan",
        "--db",
        &src_url,
        "--out",
        scan_dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plan_dir = tmp("plan");
    let o = charmig(&[
        "plan",
        "--scan",
        scan_dir.join("scan.json").to_str().unwrap(),
        "--db",
        &src_url,
        "--out",
        plan_dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let plan_json = std::fs::read_to_string(plan_dir.join("plan.json")).unwrap();
    assert!(plan_json.contains("\"source_identity\""), "{plan_json}");
    let s01 = std::fs::read_to_string(plan_dir.join("01_before_copy.sql")).unwrap();
    let s03 = std::fs::read_to_string(plan_dir.join("03_after_copy.sql")).unwrap();
    assert!(
        s01.contains("on the target") && s03.contains("NOT VALID"),
        "{s03}"
    );
    assert!(
        !s03.contains("NOVALIDATE") && !s01.contains("NOVALIDATE"),
        "{s03}"
    );

    // On the plan's own source, 01/03/04 are refused (they would drop its keys), naming the
    // side they need; nothing changed.
    for step in ["01_before_copy", "03_after_copy", "04_validate"] {
        let o = charmig(&[
            "apply",
            "--plan",
            plan_dir.to_str().unwrap(),
            "--db",
            &src_url,
            "--step",
            step,
        ]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("{step} run on the target")),
            "{}",
            stderr(&o)
        );
    }
    let mut source = c.admin("plandb");
    assert_eq!(state(&mut source), original, "the source is untouched");

    // A plan from another database's scan is refused, not 0 steps and exit 0.
    let o = charmig(&[
        "plan",
        "--scan",
        scan_dir.join("scan.json").to_str().unwrap(),
        "--db",
        &url,
        "--out",
        tmp("plan-other").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("scan.json was made on database plandb"),
        "{}",
        stderr(&o)
    );
    for f in [
        "01_before_copy.sql",
        "01_before_copy_reverse.sql",
        "02_semantics.sql",
        "03_after_copy.sql",
        "04_validate.sql",
        "plan.json",
        "README.txt",
    ] {
        assert!(plan_dir.join(f).is_file(), "{f} missing");
    }

    // `ddl indexes`: the secondary indexes' DDL on its own, exactly pg_get_indexdef's.
    let ddl_file = plan_dir.join("create_indexes.sql");
    let o = charmig(&[
        "ddl",
        "indexes",
        "--db",
        &src_url,
        "--out",
        ddl_file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ddl = std::fs::read_to_string(&ddl_file).unwrap();
    let stmts: Vec<&str> = ddl.lines().filter(|l| l.starts_with("CREATE")).collect();
    assert_eq!(
        stmts,
        vec![
            "CREATE INDEX ol_lower_ix ON app.\"Order Lines\" USING btree (lower(note)) WHERE (qty > 1);",
            "CREATE INDEX ol_note_ix ON app.\"Order Lines\" USING btree (note);",
        ]
    );

    // 01: triggers disabled (t_off was already), every constraint and secondary index gone.
    apply(&url, &plan_dir, &["01_before_copy"]);
    assert_eq!(state(&mut db), "trigger t_off D\ntrigger t_on D");

    // 03: indexes and keys back exactly, foreign key and check NOT VALID, t_on enabled again,
    // t_off still disabled, the sequence past the source's last value.
    apply(&url, &plan_dir, &["03_after_copy"]);
    let after = state(&mut db);
    assert_eq!(
        after,
        original
            .lines()
            .map(|l| {
                match l
                    .strip_prefix("constraint ol dept fk valid=true")
                    .or_else(|| l.strip_prefix("constraint ol_qty_pos valid=true"))
                {
                    Some(def) => format!(
                        "{} valid=false{def} NOT VALID",
                        &l[..l.find(" valid=").unwrap()]
                    ),
                    None => l.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        "\noriginal:\n{original}\nafter 03:\n{after}"
    );
    let next: i64 = db
        .query_one("SELECT nextval('app.ol_seq')", &[])
        .unwrap()
        .get(0);
    assert!(next > 41, "sequence handed out {next}");

    // Applying those scripts again runs nothing: every step is logged done.
    let err = apply(&url, &plan_dir, &["01_before_copy", "03_after_copy"]);
    assert!(err.contains("apply: 0 steps run"), "{err}");

    // 04: what was valid is validated again; what was NOT VALID stays so: the original state.
    apply(&url, &plan_dir, &["04_validate"]);
    assert_eq!(state(&mut db), original);
    // The whole plan again: nothing left to run.
    let err = apply(&url, &plan_dir, &[]);
    assert!(err.contains("apply: 0 steps run"), "{err}");

    // The reverse scripts, newest first, with psql: back through 03 and 01 to the original.
    run_psql(&url, &plan_dir.join("04_validate_reverse.sql"));
    run_psql(&url, &plan_dir.join("03_after_copy_reverse.sql"));
    assert_eq!(state(&mut db), "trigger t_off D\ntrigger t_on D");
    run_psql(&url, &plan_dir.join("01_before_copy_reverse.sql"));
    assert_eq!(state(&mut db), original);

    // The forward scripts themselves are valid psql input too (02 is empty for PostgreSQL).
    run_psql(&url, &plan_dir.join("01_before_copy.sql"));
    run_psql(&url, &plan_dir.join("02_semantics.sql"));
    run_psql(&url, &plan_dir.join("03_after_copy.sql"));
    run_psql(&url, &plan_dir.join("04_validate.sql"));
    assert_eq!(state(&mut db), original);
}
