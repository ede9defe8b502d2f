//! `charmig schema` against a real PostgreSQL: a rich LATIN9 source (tests/fixtures/
//! schema_rich.sql) read into the definition model, re-created in a UTF8 database, and compared.

mod common;

use charmig::schema::model::{Generated, ObjectKind, ObjectName};
use common::pg::cluster;

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
