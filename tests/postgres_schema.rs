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
            "DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}') THEN CREATE ROLE {ROLE}; END IF; END$$"
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
    // The load: rows that need the FK parents, inserted children first.
    tgt.batch_execute(
        "INSERT INTO \"Ventes.2024\".\"Commande Lignes\" (no, client, montant) VALUES (1, 10, 150);
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
