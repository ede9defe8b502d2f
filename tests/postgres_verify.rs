//! `charmig verify` against a real PostgreSQL: a LATIN9 source (two schemas, one with an
//! accented quoted name; composite and cross-schema foreign keys; accented text keys; a table
//! without key holding duplicate rows; a view, a trigger, a sequence, an expression index, a
//! CHECK; a column of windows-1252 bytes the scan was told about) is created on a UTF8 target
//! (pg_dump --schema-only), copied with `charmig copy`, and verified equal ("migration
//! verified", exit 0). Then the target is tampered with one way at a time, and verify must
//! exit 1 naming what differs; each tamper is undone before the next.

mod common;

use common::pg::{charmig, cluster, stderr};
use common::tools::{copy_schema, psql, tmp};
use std::path::{Path, PathBuf};

/// The source: LATIN9, schemas `app` and `Ventes Été`.
fn make_source(c: &common::pg::Cluster, name: &str) -> postgres::Client {
    let mut db = c.create_db(name, "LATIN9");
    db.batch_execute(
        "CREATE SCHEMA app; CREATE SCHEMA \"Ventes Été\";
         CREATE TABLE app.dept (id int PRIMARY KEY, name varchar(20) NOT NULL UNIQUE, updated timestamptz);
         CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN NEW.updated := now(); RETURN NEW; END';
         CREATE TRIGGER dept_touch BEFORE UPDATE ON app.dept FOR EACH ROW EXECUTE FUNCTION app.touch();
         CREATE TABLE \"Ventes Été\".\"Commandes\" (dept_id int REFERENCES app.dept (id), \"Numéro\" int,
             note text, amount numeric(12,2) CONSTRAINT amount_pos CHECK (amount >= 0), created timestamptz,
             ratio float8, flag bool, blob bytea, PRIMARY KEY (dept_id, \"Numéro\"));
         CREATE INDEX \"commandes_note_lower\" ON \"Ventes Été\".\"Commandes\" (lower(note));
         CREATE TABLE \"Ventes Été\".lignes (dept_id int, num int, label char(10), qty int,
             FOREIGN KEY (dept_id, num) REFERENCES \"Ventes Été\".\"Commandes\" (dept_id, \"Numéro\"));
         CREATE INDEX \"dept ix\n\\! echo pwned\" ON app.dept (updated);
         CREATE TABLE app.\"Clé Texte\" (code varchar(12) PRIMARY KEY, val text);
         CREATE TABLE app.stray (id int PRIMARY KEY, body text);
         CREATE SEQUENCE app.ticket_seq;
         SELECT setval('app.ticket_seq', 4242);
         CREATE VIEW app.v_dept AS SELECT d.name, count(*) AS n FROM app.dept d
             JOIN \"Ventes Été\".\"Commandes\" c ON c.dept_id = d.id GROUP BY d.name;
         INSERT INTO app.dept VALUES (1, 'Ventes', NULL), (2, 'Compta' || convert_from('\\xe9'::bytea, 'LATIN9'), NULL);
         INSERT INTO \"Ventes Été\".\"Commandes\"
           SELECT 1 + g % 2, g, CASE WHEN g % 7 = 0 THEN NULL WHEN g % 11 = 0 THEN '' ELSE
                  'caf' || convert_from('\\xe920a4bd'::bytea, 'LATIN9') || E' \\t n' || g END, g * 1.5,
                  timestamptz '2024-03-01 10:00:00+01' + g * interval '1 hour', g / 3.0, g % 3 = 0, '\\x00ff'::bytea
             FROM generate_series(1, 400) g;
         INSERT INTO \"Ventes Été\".lignes SELECT 1 + g % 2, g, 'l' || convert_from('\\xe9'::bytea, 'LATIN9'), 1
             FROM generate_series(1, 50) g;
         INSERT INTO \"Ventes Été\".lignes SELECT 1 + g % 2, g, 'l' || convert_from('\\xe9'::bytea, 'LATIN9'), 1
             FROM generate_series(1, 5) g;
         INSERT INTO app.\"Clé Texte\" VALUES ('cl' || convert_from('\\xe9'::bytea, 'LATIN9'), 'valeur ' || convert_from('\\xe9'::bytea, 'LATIN9')),
             ('plain', 'x'), ('euro' || convert_from('\\xa4'::bytea, 'LATIN9'), NULL);
",
    )
    .unwrap();
    common::pg::insert_raw(
        &mut db,
        "app.stray",
        "body",
        "LATIN9",
        &[
            (1, Some(b"\x93quoted\x94 it\x92s \x80 5")),
            (2, Some(b"plain")),
        ],
    );
    db
}

struct Run {
    code: i32,
    summary: String,
    csv: String,
    json: serde_json::Value,
}

fn verify(su: &str, tu: &str, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "verify",
        "--from",
        su,
        "--to",
        tu,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let o = charmig(&args);
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap_or_default();
    let run = Run {
        code: o.status.code().unwrap_or(-1),
        summary: read("summary.txt"),
        csv: read("differences.csv"),
        json: serde_json::from_str(&read("verify.json")).unwrap_or_default(),
    };
    assert!(
        run.code != 2,
        "verify failed: {}\n{}",
        stderr(&o),
        run.summary
    );
    run
}

/// Source and target databases named after `tag`, the target created by pg_dump, planned,
/// copied and validated as the README's route does it. Returns (source URL, target URL, the
/// scan.json path, a superuser client of the target).
fn migrated(tag: &str) -> (String, String, PathBuf, postgres::Client) {
    let c = cluster();
    let (sn, tn) = (format!("verify_src_{tag}"), format!("verify_tgt_{tag}"));
    let (sn, tn) = (sn.as_str(), tn.as_str());
    make_source(c, sn);
    let tgt = c.create_db(tn, "UTF8");
    copy_schema(c, sn, tn);
    let (su, tu) = (c.url(sn), c.url(tn));
    let scan = tmp(&format!("scan-{tag}"));
    let o = charmig(&[
        "scan",
        "--db",
        &su,
        "--out",
        scan.to_str().unwrap(),
        "--assume-column",
        "app.stray.body=WIN1252",
    ]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    let scan_json = scan.join("scan.json");
    let scan_arg = scan_json.to_str().unwrap();
    // The documented route: plan (constraints out of the way during the load), copy, validate.
    let plan = tmp(&format!("plan-{tag}"));
    let plan_arg = plan.to_str().unwrap();
    let ok = |args: &[&str]| {
        let o = charmig(args);
        assert!(o.status.success(), "charmig {args:?}: {}", stderr(&o));
    };
    ok(&["plan", "--scan", scan_arg, "--db", &su, "--out", plan_arg]);
    let log = tmp(&format!("copy-{tag}.log"));
    ok(&[
        "copy",
        "--from",
        &su,
        "--to",
        &tu,
        "--plan",
        plan_arg,
        "--log-file",
        log.to_str().unwrap(),
        "--assume-column",
        "app.stray.body=WIN1252",
    ]);
    ok(&[
        "apply",
        "--plan",
        plan_arg,
        "--db",
        &tu,
        "--step",
        "04_validate",
    ]);

    (su, tu, scan_json, tgt)
}

#[test]
fn a_copied_database_verifies_and_each_tamper_is_named() {
    let c = cluster();
    let (su, tu, scan_json, mut tgt) = migrated("data");
    let scan_arg = scan_json.to_str().unwrap();
    let out = tmp("report-data");
    let ok = verify(&su, &tu, &out, &["--scan", scan_arg, "--jobs", "3"]);
    assert_eq!(ok.code, 0, "{}", ok.summary);
    assert_eq!(
        ok.summary.lines().last(),
        Some("migration verified"),
        "{}",
        ok.summary
    );
    assert_eq!(ok.csv.lines().count(), 1, "header only: {}", ok.csv);
    assert_eq!(ok.json["tables"].as_array().unwrap().len(), 5);
    assert!(
        ok.summary
            .contains("5 tables compared (462 source rows), 5 equal"),
        "{}",
        ok.summary
    );
    for f in ["summary.txt", "differences.csv", "verify.json", "fix.sql"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let t = &ok.json["tables"][0];
    assert_eq!(t["source_checksum"], t["target_checksum"]);
    assert_eq!(t["source_rows"], t["target_rows"]);

    // --schema limits both comparisons to that schema.
    let r = verify(
        &su,
        &tu,
        &out,
        &["--scan", scan_arg, "--schema", "Ventes Été"],
    );
    assert_eq!(r.code, 0, "{}", r.summary);
    assert!(
        r.summary.contains("2 tables compared (455 source rows)"),
        "{}",
        r.summary
    );

    // Without the scan, app.stray.body is read as LATIN9: its windows-1252 bytes have no
    // meaning there, which verify reports instead of trusting what the copy wrote.
    let r = verify(&su, &tu, &out, &[]);
    assert_eq!(r.code, 1, "{}", r.summary);
    assert!(
        r.csv
            .contains("text,column,app,stray.body,undecodable source cells,1,"),
        "{}",
        r.csv
    );

    // Tampers go round the target's triggers (app.touch would stamp the rows it updates).
    tgt.batch_execute("SET session_replication_role = replica")
        .unwrap();
    // A changed value: named by its key and column with --rows.
    let before: String = tgt
        .query_one("SELECT name FROM app.dept WHERE id = 2", &[])
        .unwrap()
        .get(0);
    tgt.execute("UPDATE app.dept SET name = 'Compta' WHERE id = 2", &[])
        .unwrap();
    let r = verify(&su, &tu, &out, &["--scan", scan_arg, "--rows"]);
    assert_eq!(r.code, 1, "{}", r.summary);
    assert!(r.csv.contains("data,table,app,dept,checksum,"), "{}", r.csv);
    assert!(
        r.csv
            .contains("data,row,app,dept,different,,,\"\"\"id\"\"=2 (columns name)\""),
        "{}",
        r.csv
    );
    assert!(!r.csv.contains("row count"), "{}", r.csv);
    assert!(
        r.summary
            .lines()
            .last()
            .unwrap()
            .starts_with("migration NOT verified")
    );
    tgt.execute("UPDATE app.dept SET name = $1 WHERE id = 2", &[&before])
        .unwrap();

    // A deleted row of a composite-key table in the accented schema.
    tgt.batch_execute(
        "CREATE TEMP TABLE saved AS SELECT * FROM \"Ventes Été\".\"Commandes\" WHERE dept_id = 2 AND \"Numéro\" = 77;
         DELETE FROM \"Ventes Été\".\"Commandes\" WHERE dept_id = 2 AND \"Numéro\" = 77",
    )
    .unwrap();
    let r = verify(&su, &tu, &out, &["--scan", scan_arg, "--rows"]);
    assert_eq!(r.code, 1, "{}", r.summary);
    assert!(
        r.csv
            .contains("data,table,Ventes Été,Commandes,row count,400,399,"),
        "{}",
        r.csv
    );
    assert!(
        r.csv
            .contains("missing on target,,,\"\"\"dept_id\"\"=2, \"\"Numéro\"\"=77\""),
        "{}",
        r.csv
    );
    tgt.batch_execute("INSERT INTO \"Ventes Été\".\"Commandes\" SELECT * FROM saved")
        .unwrap();
    let r = verify(&su, &tu, &out, &["--scan", scan_arg]);
    assert_eq!(r.code, 0, "the row put back as it was: {}", r.summary);

    // A duplicate row removed from the table without key.
    tgt.execute(
        "DELETE FROM \"Ventes Été\".lignes WHERE ctid = (SELECT min(ctid) FROM \"Ventes Été\".lignes WHERE num = 3)",
        &[],
    )
    .unwrap();
    let r = verify(&su, &tu, &out, &["--scan", scan_arg, "--rows"]);
    assert_eq!(r.code, 1, "{}", r.summary);
    // label is char(10): compared, and shown, without its pad spaces.
    assert!(
        r.csv.contains("missing on target,,,\"\"\"dept_id\"\"=2, \"\"num\"\"=3, \"\"label\"\"=lé, \"\"qty\"\"=1\""),
        "{}",
        r.csv
    );
    tgt.execute(
        "INSERT INTO \"Ventes Été\".lignes VALUES (2, 3, 'lé', 1)",
        &[],
    )
    .unwrap();

    // A value written double-encoded: the checksum and the text check name it.
    tgt.execute(
        "UPDATE app.\"Clé Texte\" SET val = convert_from(convert_to(val, 'UTF8'), 'LATIN1') WHERE code = 'clé'",
        &[],
    )
    .unwrap();
    let r = verify(&su, &tu, &out, &["--scan", scan_arg]);
    assert_eq!(r.code, 1, "{}", r.summary);
    assert!(
        r.csv
            .contains("text,column,app,Clé Texte.val,double-encoded values,0,1,"),
        "{}",
        r.csv
    );
    assert!(
        r.csv.contains("data,table,app,Clé Texte,checksum,"),
        "{}",
        r.csv
    );
    tgt.execute(
        "UPDATE app.\"Clé Texte\" SET val = convert_from(convert_to(val, 'LATIN1'), 'UTF8') WHERE code = 'clé'",
        &[],
    )
    .unwrap();
    let r = verify(&su, &tu, &out, &["--scan", scan_arg]);
    assert_eq!(r.code, 0, "all tampers undone: {}", r.summary);

    // A scan of another database is refused (exit 2, naming both).
    let mut other = c.create_db("verify_other", "LATIN9");
    other.batch_execute("CREATE TABLE t (v text)").unwrap();
    let other_scan = tmp("scan-other");
    let o = charmig(&[
        "scan",
        "--db",
        &c.url("verify_other"),
        "--out",
        other_scan.to_str().unwrap(),
    ]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    let o = charmig(&[
        "verify",
        "--from",
        &su,
        "--to",
        &tu,
        "--scan",
        other_scan.join("scan.json").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("scan.json was made on database verify_other")
            && stderr(&o).contains("this is database verify_src"),
        "{}",
        stderr(&o)
    );
}

/// The target's schema tampered with one way at a time: verify names each (exit 1), and the
/// fix.sql it writes, run with psql, closes the difference (exit 0 again).
#[test]
fn schema_tampers_are_named_and_fix_sql_closes_them() {
    let c = cluster();
    let (su, tu, scan_json, mut tgt) = migrated("schema");
    let scan_arg = scan_json.to_str().unwrap();
    let out = tmp("report-schema");
    let r = verify(&su, &tu, &out, &["--scan", scan_arg]);
    assert_eq!(r.code, 0, "{}", r.summary);
    assert!(
        std::fs::read_to_string(out.join("fix.sql"))
            .unwrap()
            .contains("-- nothing to fix")
    );
    let tampers: [(&str, &str); 9] = [
        (
            "DROP INDEX \"Ventes Été\".commandes_note_lower",
            "schema,index,Ventes Été,commandes_note_lower,missing on target,",
        ),
        (
            "DROP INDEX app.\"dept ix\n\\! echo pwned\"",
            "schema,index,app,\"dept ix\n\\! echo pwned\",missing on target,",
        ),
        (
            // Under a view: fix.sql drops the view and creates it again around the change.
            "DROP VIEW app.v_dept; ALTER TABLE app.dept ALTER COLUMN name TYPE varchar(10);
             CREATE VIEW app.v_dept AS SELECT d.name, count(*) AS n FROM app.dept d
               JOIN \"Ventes Été\".\"Commandes\" c ON c.dept_id = d.id GROUP BY d.name",
            "schema,column,app,dept.name,type,character varying(20),character varying(10),",
        ),
        (
            "ALTER TABLE app.dept ALTER COLUMN name DROP NOT NULL",
            "schema,column,app,dept.name,nullability,NOT NULL,NULL,",
        ),
        (
            "ALTER TABLE app.dept DISABLE TRIGGER dept_touch",
            "schema,trigger,app,dept.dept_touch,enabled,enabled,disabled,",
        ),
        (
            "SELECT setval('app.ticket_seq', 5)",
            "schema,sequence,app,ticket_seq,behind the source,next 4243,next 6,",
        ),
        (
            "ALTER TABLE \"Ventes Été\".\"Commandes\" DROP CONSTRAINT \"Commandes_dept_id_fkey\"",
            "schema,constraint,Ventes Été,Commandes.Commandes_dept_id_fkey,missing on target,",
        ),
        (
            "ALTER TABLE \"Ventes Été\".\"Commandes\" DROP CONSTRAINT amount_pos;
             ALTER TABLE \"Ventes Été\".\"Commandes\" ADD CONSTRAINT amount_pos CHECK (amount >= 0) NOT VALID",
            "schema,constraint,Ventes Été,Commandes.amount_pos,validated,VALIDATED,NOT VALIDATED,",
        ),
        (
            "CREATE OR REPLACE VIEW app.v_dept AS SELECT d.name, count(*) + 0 AS n FROM app.dept d
               JOIN \"Ventes Été\".\"Commandes\" c ON c.dept_id = d.id GROUP BY d.name",
            "schema,view,app,v_dept,text,",
        ),
    ];
    for (tamper, expected) in tampers {
        tgt.batch_execute(tamper).unwrap();
        let r = verify(&su, &tu, &out, &["--scan", scan_arg]);
        assert_eq!(r.code, 1, "{tamper}: {}", r.summary);
        assert!(r.csv.contains(expected), "{tamper}: {}", r.csv);
        assert_eq!(
            r.csv.lines().filter(|l| l.starts_with("schema,")).count(),
            1,
            "{tamper}: one difference: {}",
            r.csv
        );
        assert_eq!(
            r.json["differences"].as_array().unwrap().len(),
            r.csv.lines().count() - 1 - r.csv.matches("\n\\!").count(),
            "{tamper}"
        );
        let fix = std::fs::read(out.join("fix.sql")).unwrap();
        let text = String::from_utf8_lossy(&fix);
        // A name in a comment stays on its comment line; in a statement it is quoted (psql
        // reads `\!` inside a quoted identifier as text: the run below would fail otherwise).
        for l in text
            .lines()
            .filter(|l| l.contains("pwned") && l.starts_with("-- "))
        {
            assert!(l.contains("dept ix\\n\\\\! echo pwned"), "{l}");
        }

        psql(c, "verify_tgt_schema", &fix);
        let r = verify(&su, &tu, &out, &["--scan", scan_arg]);
        assert_eq!(
            r.code, 0,
            "after fix.sql of {tamper}: {}\n{text}",
            r.summary
        );
    }
}

#[test]
fn an_oracle_url_is_refused_with_a_clear_message() {
    let o = charmig(&[
        "verify",
        "--from",
        "oracle://scott@db:1521/ORCL",
        "--to",
        "postgres://u@h/db",
    ]);
    assert_eq!(o.status.code(), Some(2));
    // Oracle -> PostgreSQL is not a route verify compares: refused before connecting, naming
    // the pairs it does compare.
    let e = stderr(&o);
    assert!(
        e.contains(
            "--from oracle://scott@db:1521/ORCL is Oracle and --to postgres://u@h/db is PostgreSQL"
        ) && e.contains("an Oracle source with a PostgreSQL target is not supported")
            && e.contains("or an Oracle source with its Oracle AL32UTF8 target"),
        "{e}"
    );
}

/// Values whose text differs between the charsets while their content does not: char(n)
/// holding UTF-8 pass-through bytes read `auto` (fewer characters than the source's LATIN1
/// reading, so fewer pad spaces than the target's char(n) keeps), in arrays too; jsonb and
/// hstore, whose keys sort by their length in bytes (`é` is one byte in LATIN1, two in
/// UTF-8). The documented route (scan --assume auto, copy --scan --verify, verify --scan)
/// passes; then a changed character, array element, jsonb or hstore value is still named.
#[test]
fn padded_chars_and_reordered_keys_verify_and_real_changes_are_named() {
    let c = cluster();
    let (sn, tn) = ("verify_src_values", "verify_tgt_values");
    let mut src = c.create_db(sn, "LATIN1");
    src.batch_execute(
        r#"CREATE EXTENSION hstore;
           CREATE DOMAIN code4 AS char(4);
           CREATE DOMAIN code4b AS code4;
           CREATE TABLE c (id int PRIMARY KEY, k char(4), ka char(4)[], d code4, da code4[], dd code4b);
           CREATE TABLE j (id int PRIMARY KEY, doc jsonb, docs jsonb[], h hstore);
           INSERT INTO c VALUES
             (1, convert_from('\xc3a9', 'LATIN1'),
                 ARRAY[convert_from('\xc3a9', 'LATIN1'), 'ab', NULL, '', 'NULL', convert_from('\xc3a92c', 'LATIN1')]),
             (2, convert_from('\xe9', 'LATIN1'), '{{x,"y z"},{"\\","\""}}'),
             (3, 'ab  ', '[0:1]={a,b}'), (4, '', '{}'), (5, NULL, NULL);
           -- Through domains, in an array of a domain, and a domain over a domain.
           UPDATE c SET d = convert_from('\xc3a9', 'LATIN1'), da = ARRAY[convert_from('\xc3a9', 'LATIN1')::code4],
                        dd = convert_from('\xc3a9', 'LATIN1') WHERE id = 1;
           INSERT INTO j VALUES
             (1, '{"é": 1, "ab": 2, "n": {"ü": [1, {"é": null, "aa": "é\"\\"}], "b": 1.50}}',
                 ARRAY['{"é": 1, "ab": 2}'::jsonb, NULL, '[]'], 'é=>1, ab=>2, "x y"=>NULL'),
             (2, jsonb_build_object(convert_from('\xc3a9', 'LATIN1'), 1, 'ab', 2, 'abc', 3), NULL,
                 hstore(convert_from('\xc3a9', 'LATIN1'), 'v') || 'b=>1'::hstore),
             (3, '"é"', '{}', ''), (4, NULL, NULL, NULL);"#,
    )
    .unwrap();
    let mut tgt = c.create_db(tn, "UTF8");
    copy_schema(c, sn, tn);
    let (su, tu) = (c.url(sn), c.url(tn));
    let scan = tmp("scan-values");
    let o = charmig(&[
        "scan",
        "--db",
        &su,
        "--assume",
        "auto",
        "--out",
        scan.to_str().unwrap(),
    ]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    let scan_json = scan.join("scan.json");
    let scan_arg = scan_json.to_str().unwrap();
    let log = tmp("copy-values.log");
    let o = charmig(&[
        "copy",
        "--from",
        &su,
        "--to",
        &tu,
        "--scan",
        scan_arg,
        "--log-file",
        log.to_str().unwrap(),
        "--verify",
    ]);
    assert!(o.status.success(), "copy --verify: {}", stderr(&o));
    // The target holds what was meant.
    let row = tgt
        .query_one(
            "SELECT k::text, ka::text[]::text, doc::text FROM c JOIN j USING (id) WHERE id = 1",
            &[],
        )
        .unwrap();
    assert_eq!(
        (
            row.get::<_, String>(0),
            row.get::<_, String>(1),
            row.get::<_, String>(2)
        ),
        (
            "é".to_string(),
            r#"{é,ab,NULL,"","NULL","é,"}"#.to_string(),
            r#"{"n": {"b": 1.50, "ü": [1, {"aa": "é\"\\", "é": null}]}, "ab": 2, "é": 1}"#
                .to_string()
        )
    );

    let out = tmp("report-values");
    let r = verify(&su, &tu, &out, &["--scan", scan_arg, "--rows"]);
    assert_eq!(r.code, 0, "{}\n{}", r.summary, r.csv);

    // Real changes are still found, each named by its key and column.
    let tampers = [
        ("UPDATE c SET k = 'è' WHERE id = 1", "public,c", 1, "k"),
        ("UPDATE c SET k = 'a' WHERE id = 3", "public,c", 3, "k"),
        ("UPDATE c SET k = ' ' WHERE id = 5", "public,c", 5, "k"),
        (
            "UPDATE c SET ka[2] = 'abc' WHERE id = 1",
            "public,c",
            1,
            "ka",
        ),
        ("UPDATE c SET ka[4] = 'x' WHERE id = 1", "public,c", 1, "ka"),
        (
            "UPDATE j SET doc = jsonb_set(doc, '{ab}', '3') WHERE id = 1",
            "public,j",
            1,
            "doc",
        ),
        (
            "UPDATE j SET doc = doc - 'é' WHERE id = 1",
            "public,j",
            1,
            "doc",
        ),
        (
            "UPDATE j SET docs[1] = '{\"é\": 1, \"ab\": 3}' WHERE id = 1",
            "public,j",
            1,
            "docs",
        ),
        (
            "UPDATE j SET h = h || 'é=>2' WHERE id = 1",
            "public,j",
            1,
            "h",
        ),
    ];
    tgt.batch_execute("CREATE TEMP TABLE saved_c AS TABLE c; CREATE TEMP TABLE saved_j AS TABLE j")
        .unwrap();
    for (tamper, table, id, column) in tampers {
        tgt.batch_execute(tamper).unwrap();
        let r = verify(&su, &tu, &out, &["--scan", scan_arg, "--rows"]);
        tgt.batch_execute(
            "TRUNCATE c, j; INSERT INTO c TABLE saved_c; INSERT INTO j TABLE saved_j",
        )
        .unwrap();
        assert_eq!(r.code, 1, "{tamper}: {}", r.summary);
        let want = format!("data,row,{table},different,,,\"\"\"id\"\"={id} (columns {column})\"");
        assert!(r.csv.contains(&want), "{tamper}: {}", r.csv);
    }
    let r = verify(&su, &tu, &out, &["--scan", scan_arg]);
    assert_eq!(r.code, 0, "every tamper rolled back: {}", r.summary);
}
