//! Names are data: every PostgreSQL script charmig writes (the plan's 01–04 and their
//! reverses, `ddl indexes`, `schema --out` and its after-copy part) is run through the real
//! psql over a database whose objects carry hostile names (newline, CR, `\`, `*/`, `&`,
//! control bytes, psql meta-commands), and nothing runs that was not meant: the sentinel
//! table survives, no shell command ran, every script succeeds.

mod common;

use common::pg::{charmig, cluster, stderr};
use common::tools::{copy_schema, psql_run, tmp};
use std::path::Path;

/// Each name hides a statement or a psql meta-command behind a line break (or a comment end).
const HOSTILE: [&str; 8] = [
    "ix\nDROP TABLE app.victim;\n--",
    "cr\rDROP TABLE app.victim;\r--",
    "sh\n\\! touch pwned_sh\n--",
    "bs\\\n\\! touch pwned_bs",
    "c*/ DROP TABLE app.victim; /*",
    "amp&x &&y",
    "ctl\u{1}\u{1b}[2J\u{7f}\u{85}x",
    "ls\u{2028}DROP TABLE app.victim;",
];

fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn id(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Runs one script file with psql (`ON_ERROR_STOP`) in `cwd`; it must succeed.
fn run_script(c: &common::pg::Cluster, db: &str, file: &Path, cwd: &Path) {
    let o = std::process::Command::new(common::tools::tool(c, "psql"))
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            &c.url(db),
            "-f",
            file.to_str().unwrap(),
        ])
        .env("PGCLIENTENCODING", "UTF8")
        .current_dir(cwd)
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

fn victim_alive(c: &common::pg::Cluster, db: &str) -> bool {
    c.admin(db)
        .query_one("SELECT to_regclass('app.victim') IS NOT NULL", &[])
        .unwrap()
        .get(0)
}

#[test]
fn every_postgresql_script_keeps_hostile_names_inside_their_comments() {
    let c = cluster();
    let mut src = c.create_db("hostsrc", "UTF8");
    let mut ddl = String::from(
        "CREATE SCHEMA app; CREATE TABLE app.victim (id int); CREATE TABLE app.parent (id int PRIMARY KEY);
         CREATE FUNCTION app.tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';",
    );
    for (i, h) in HOSTILE.iter().enumerate() {
        let table = format!("t{i} {h}");
        ddl.push_str(&format!(
            "CREATE TABLE app.{t} ({col} text, p int);
             CREATE INDEX {ix} ON app.{t} ({col});
             ALTER TABLE app.{t} ADD CONSTRAINT {ck} CHECK (p > 0);
             ALTER TABLE app.{t} ADD CONSTRAINT {fk} FOREIGN KEY (p) REFERENCES app.parent;
             CREATE TRIGGER {tg} BEFORE INSERT ON app.{t} FOR EACH ROW EXECUTE FUNCTION app.tf();
             CREATE SEQUENCE app.{sq}; SELECT setval({sql}, 5);",
            t = id(&table),
            col = id(&format!("c{i} {h}")),
            ix = id(&format!("i{i} {h}")),
            ck = id(&format!("k{i} {h}")),
            fk = id(&format!("f{i} {h}")),
            tg = id(&format!("g{i} {h}")),
            sq = id(&format!("s{i} {h}")),
            sql = lit(&format!("app.{}", id(&format!("s{i} {h}")))),
        ));
    }
    src.batch_execute(&ddl).unwrap();

    let work = tmp("hostile");
    std::fs::create_dir_all(&work).unwrap();
    let scan = work.join("scan");
    let o = charmig(&[
        "scan",
        "--db",
        &c.url("hostsrc"),
        "--out",
        scan.to_str().unwrap(),
    ]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    let plan = work.join("plan");
    let o = charmig(&[
        "plan",
        "--scan",
        scan.join("scan.json").to_str().unwrap(),
        "--db",
        &c.url("hostsrc"),
        "--out",
        plan.to_str().unwrap(),
        "--dialect",
        "postgres",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let indexes = work.join("create_indexes.sql");
    let o = charmig(&[
        "ddl",
        "indexes",
        "--db",
        &c.url("hostsrc"),
        "--out",
        indexes.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let schema = work.join("schema.sql");
    let o = charmig(&[
        "schema",
        "--from",
        &c.url("hostsrc"),
        "--out",
        schema.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Every `--` line is one comment: the name's line break is escaped, so the next line of
    // the file starts a statement charmig wrote (or a blank line), never the rest of a name.
    // (Names inside statements are quoted identifiers, where a line break is part of the name.)
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&plan)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.extend([indexes.clone(), schema.clone()]);
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for line in text.lines().filter(|l| l.starts_with("--")) {
            assert!(
                !line.contains('\r') && !line.chars().any(|c| c.is_control() || c == '\u{2028}'),
                "{}: a raw control character in a comment: {line:?}",
                f.display()
            );
        }
    }

    // The plan's scripts on a target with the source's schema, forward then reversed.
    c.create_db("hosttgt", "UTF8");
    copy_schema(c, "hostsrc", "hosttgt");
    for s in [
        "01_before_copy",
        "02_semantics",
        "03_after_copy",
        "04_validate",
    ] {
        run_script(c, "hosttgt", &plan.join(format!("{s}.sql")), &work);
        assert!(victim_alive(c, "hosttgt"), "{s}.sql dropped app.victim");
    }
    for s in [
        "04_validate",
        "03_after_copy",
        "02_semantics",
        "01_before_copy",
    ] {
        run_script(c, "hosttgt", &plan.join(format!("{s}_reverse.sql")), &work);
        assert!(
            victim_alive(c, "hosttgt"),
            "{s}_reverse.sql dropped app.victim"
        );
    }
    // `ddl indexes` after the plan's 01 dropped them.
    c.create_db("hostidx", "UTF8");
    copy_schema(c, "hostsrc", "hostidx");
    run_script(c, "hostidx", &plan.join("01_before_copy.sql"), &work);
    run_script(c, "hostidx", &indexes, &work);
    assert!(victim_alive(c, "hostidx"));
    let n: i64 = c
        .admin("hostidx")
        .query_one(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = 'app' AND indexname LIKE 'i%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        n,
        HOSTILE.len() as i64,
        "every index re-created under its own name"
    );
    // `schema --out` and its after-copy part into an empty database.
    c.create_db("hostschema", "UTF8");
    run_script(c, "hostschema", &schema, &work);
    let after = schema.with_file_name("schema.after_copy.sql");
    if after.is_file() {
        run_script(c, "hostschema", &after, &work);
    }
    assert!(victim_alive(c, "hostschema"));

    let pwned: Vec<String> = std::fs::read_dir(&work)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pwned"))
        .collect();
    assert!(pwned.is_empty(), "a name ran a shell command: {pwned:?}");
    // The unescaped psql variant of the attack does run: the check above can fail.
    let o = psql_run(c, "hostsrc", b"-- x\n\\! touch pwned_probe\n", &[]);
    assert!(o.status.success());
    let probe = std::env::current_dir().unwrap().join("pwned_probe");
    assert!(
        probe.exists(),
        "the probe shows psql runs \\! after a line break"
    );
    let _ = std::fs::remove_file(probe);
}
