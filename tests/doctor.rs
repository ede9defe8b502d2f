//! `charmig doctor` against a real PostgreSQL: a user who may only connect is told, per step,
//! what is missing and given GRANT statements; running exactly those statements makes every
//! step pass (exit 0). An unreachable server exits 2 with the reason; the superuser passes;
//! TLS is reported from the server's side (tests/postgres_tls.rs covers the TLS cluster).

mod common;

use common::pg::{charmig, cluster, stderr};

fn doctor(url: &str) -> (i32, String) {
    let o = charmig(&["doctor", "--db", url]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
    (
        o.status.code().unwrap_or(-1),
        format!("{text}{}", stderr(&o)),
    )
}

#[test]
fn a_bare_user_gets_the_grants_that_make_every_step_pass() {
    let c = cluster();
    let mut admin = c.admin("postgres");
    admin
        .batch_execute(
            "CREATE ROLE app_owner NOLOGIN; \
             CREATE ROLE \"Mig User\" LOGIN PASSWORD 'mig-pw'",
        )
        .unwrap();
    let mut db = c.create_db("docdb", "LATIN1");
    db.batch_execute(
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC; \
         CREATE SCHEMA \"Ventes\" AUTHORIZATION app_owner; CREATE SCHEMA app AUTHORIZATION app_owner; \
         CREATE TABLE \"Ventes\".\"Kunden\" (id int PRIMARY KEY, name text); \
         CREATE TABLE app.orders (id int, note varchar(10)); CREATE TABLE app.\"Straße\" (k text); \
         ALTER TABLE \"Ventes\".\"Kunden\" OWNER TO app_owner; ALTER TABLE app.orders OWNER TO app_owner; \
         ALTER TABLE app.\"Straße\" OWNER TO app_owner;",
    )
    .unwrap();
    let url = format!("postgres://Mig%20User:mig-pw@127.0.0.1:{}/docdb", c.port);

    let (code, text) = doctor(&url);
    assert_eq!(code, 1, "{text}");
    for needle in [
        "reachable",
        "no: the connection is not encrypted (sslmode=prefer",
        "server_encoding LATIN1",
        "3 user tables",
        "[MISSING] scan",
        "- USAGE on schema \"Ventes\", app",
        "- SELECT on \"Ventes\".\"Kunden\"; app.\"Straße\", app.orders",
        "[MISSING] copy (target)",
        "TRUNCATE on",
        "[MISSING] plan/apply",
        "GRANT USAGE ON SCHEMA \"Ventes\" TO \"Mig User\";",
        "GRANT SELECT ON ALL TABLES IN SCHEMA \"app\" TO \"Mig User\";",
        "GRANT \"app_owner\" TO \"Mig User\";",
        "GRANT CREATE ON DATABASE \"docdb\" TO \"Mig User\";",
        "pg_read_all_data",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    // The statements doctor prints are the fix: run them, and every step passes.
    let grants: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("GRANT "))
        .collect();
    assert!(grants.len() >= 8, "{grants:?}");
    for g in &grants {
        db.batch_execute(g).unwrap_or_else(|e| panic!("{g}: {e}"));
    }
    let (code, text) = doctor(&url);
    assert_eq!(code, 0, "{text}");
    assert!(
        !text.contains("MISSING") && !text.contains("GRANT "),
        "{text}"
    );
    assert_eq!(text.matches("[ok     ]").count(), 7, "{text}");

    // The superuser passes as it is.
    let (code, text) = doctor(&c.url("docdb"));
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("postgres (superuser)"), "{text}");
}

#[test]
fn an_unreachable_server_exits_2_with_the_reason() {
    let (code, text) = doctor("postgres://u:Hunter2@127.0.0.1:1/x");
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("reachable      : no") || text.contains("reachable : no"),
        "{text}"
    );
    assert!(
        text.contains("cannot reach the PostgreSQL server"),
        "{text}"
    );
    assert!(!text.contains("Hunter2"), "{text}");
}
