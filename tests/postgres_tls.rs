//! TLS against a real server: the suite's own cluster started with `ssl = on` and `hostssl`
//! only, with certificates this test makes (tests/common/pg.rs). libpq's sslmode conventions:
//! require encrypts, verify-full checks the CA and the host name, a wrong CA or host name fails
//! naming the fix, sslmode=disable gets the server's refusal explained; `charmig scan` and
//! `charmig copy` run over verify-full.

mod common;

use charmig::source::postgres::Connector;
use common::pg::{PASSWORD, charmig, cluster, stderr, tls_cluster};
use std::path::Path;

fn url(host: &str, db: &str, query: &str) -> String {
    let c = tls_cluster();
    format!(
        "postgres://postgres:{PASSWORD}@{host}:{}/{db}?{query}",
        c.port
    )
}

fn ca() -> String {
    tls_cluster().tls.as_ref().unwrap().ca.display().to_string()
}

/// `(ssl, version)` of the connection, from the server's side.
fn ssl_of(url: &str) -> Result<(bool, String), String> {
    let (_, mut client) = Connector::open(url, false).map_err(|e| e.to_string())?;
    let row = client
        .query_one(
            "SELECT ssl, coalesce(version, '') FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .map_err(|e| e.to_string())?;
    Ok((row.get(0), row.get(1)))
}

#[test]
fn require_and_prefer_encrypt() {
    for q in ["sslmode=require", "sslmode=prefer", "", "sslmode=allow"] {
        let (ssl, version) = ssl_of(&url("127.0.0.1", "postgres", q)).unwrap();
        assert!(ssl && version.starts_with("TLSv1."), "{q}: {ssl} {version}");
    }
}

#[test]
fn verify_full_with_the_right_ca_and_host_name() {
    // The certificate names localhost; hostaddr keeps the address IPv4.
    let u = url(
        "localhost",
        "postgres",
        &format!(
            "sslmode=verify-full&sslrootcert={}&hostaddr=127.0.0.1",
            ca()
        ),
    );
    assert!(ssl_of(&u).unwrap().0);
    // verify-ca checks the chain only: the address is fine.
    let u = url(
        "127.0.0.1",
        "postgres",
        &format!("sslmode=verify-ca&sslrootcert={}", ca()),
    );
    assert!(ssl_of(&u).unwrap().0);
}

#[test]
fn a_wrong_ca_fails_naming_the_fix() {
    let other = tls_cluster()
        .tls
        .as_ref()
        .unwrap()
        .other_ca
        .display()
        .to_string();
    for mode in ["verify-full", "verify-ca", "require"] {
        let u = url(
            "localhost",
            "postgres",
            &format!("sslmode={mode}&sslrootcert={other}&hostaddr=127.0.0.1"),
        );
        let e = ssl_of(&u).unwrap_err();
        assert!(
            e.contains("not signed by a CA in sslrootcert")
                && e.contains(&other)
                && e.contains("set sslrootcert to the PEM file of the CA"),
            "{mode}: {e}"
        );
        assert!(!e.contains(PASSWORD), "{e}");
    }
}

#[test]
fn a_wrong_host_name_fails_naming_the_fix() {
    let u = url(
        "127.0.0.1",
        "postgres",
        &format!("sslmode=verify-full&sslrootcert={}", ca()),
    );
    let e = ssl_of(&u).unwrap_err();
    assert!(
        e.contains("does not name the host `127.0.0.1`")
            && e.contains("localhost")
            && e.contains("sslmode=verify-ca"),
        "{e}"
    );
}

#[test]
fn verify_full_without_a_root_certificate_says_where_it_looked() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_charmig"))
        .args([
            "objects",
            "--db",
            &url("localhost", "postgres", "sslmode=verify-full"),
        ])
        .env("HOME", "/nonexistent-home")
        .env_remove("PGSSLROOTCERT")
        .output()
        .unwrap();
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains("/nonexistent-home/.postgresql/root.crt") && e.contains("sslrootcert=system"),
        "{e}"
    );
}

#[test]
fn disable_against_a_hostssl_server_is_explained() {
    let e = ssl_of(&url("127.0.0.1", "postgres", "sslmode=disable")).unwrap_err();
    assert!(
        e.contains("only over TLS (pg_hba.conf hostssl)")
            && e.contains("sslmode=require")
            && e.contains("no encryption"),
        "{e}"
    );
    // The same through PGSSLMODE, with the binary.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_charmig"))
        .args(["objects", "--db", &url("127.0.0.1", "postgres", "")])
        .env("PGSSLMODE", "disable")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("only over TLS"), "{}", stderr(&o));
}

#[test]
fn require_against_a_server_without_tls_is_explained() {
    let plain = cluster();
    let u = format!("{}?sslmode=require", plain.url("postgres"));
    let e = ssl_of(&u).unwrap_err();
    assert!(
        e.contains("does not accept TLS connections (ssl = off)"),
        "{e}"
    );
    // prefer (the default) falls back to a plain connection, as libpq does.
    assert!(!ssl_of(&plain.url("postgres")).unwrap().0);
}

fn make_db(name: &str, encoding: &str, rows: bool) {
    let mut db = tls_cluster().create_db(name, encoding);
    db.batch_execute(
        "CREATE SCHEMA app; CREATE TABLE app.\"Kunden\" (id int PRIMARY KEY, name text, note varchar(20));",
    )
    .unwrap();
    if rows {
        common::pg::insert_raw(
            &mut db,
            "app.\"Kunden\"",
            "name",
            encoding,
            &[(1, Some(b"M\xfcller")), (2, Some(b"plain")), (3, None)],
        );
    }
}

#[test]
fn scan_and_copy_over_verify_full() {
    make_db("tls_src", "LATIN1", true);
    make_db("tls_tgt", "UTF8", false);
    let q = format!(
        "sslmode=verify-full&sslrootcert={}&hostaddr=127.0.0.1",
        ca()
    );
    let (src, tgt) = (
        url("localhost", "tls_src", &q),
        url("localhost", "tls_tgt", &q),
    );
    let out = tempfile::tempdir().unwrap();
    let o = charmig(&["scan", "--db", &src, "--out", out.path().to_str().unwrap()]);
    assert!(o.status.code().is_some_and(|c| c < 2), "{}", stderr(&o));
    let json = std::fs::read_to_string(out.path().join("scan.json")).unwrap();
    assert!(json.contains("Kunden") && !json.contains(PASSWORD));

    let log = out.path().join("copy.log");
    let copy = |from: &str, to: &str| {
        charmig(&[
            "copy",
            "--from",
            from,
            "--to",
            to,
            "--log-file",
            log.to_str().unwrap(),
            "--table",
            "app.Kunden",
            "--restart",
        ])
    };
    let o = copy(&src, &tgt);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut t = tls_cluster().admin("tls_tgt");
    let names: Vec<Option<String>> = t
        .query("SELECT name FROM app.\"Kunden\" ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        names,
        vec![Some("Müller".into()), Some("plain".into()), None]
    );

    // sslmode=require on both sides copies too; a wrong CA on the target stops before writing.
    let req = |db| url("127.0.0.1", db, "sslmode=require");
    let o = copy(&req("tls_src"), &req("tls_tgt"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let other = tls_cluster()
        .tls
        .as_ref()
        .unwrap()
        .other_ca
        .display()
        .to_string();
    let bad = url(
        "localhost",
        "tls_tgt",
        &format!("sslmode=verify-full&sslrootcert={other}&hostaddr=127.0.0.1"),
    );
    let o = copy(&src, &bad);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not signed by a CA"), "{}", stderr(&o));
    assert!(Path::new(&other).exists());
}

#[test]
fn doctor_reports_tls_from_the_server_side() {
    let u = url(
        "localhost",
        "postgres",
        &format!(
            "sslmode=verify-full&sslrootcert={}&hostaddr=127.0.0.1",
            ca()
        ),
    );
    let o = charmig(&["doctor", "--db", &u]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    assert!(
        text.contains(": yes, TLSv1.3 TLS_") && text.contains("sslmode=verify-full, sslrootcert="),
        "{text}"
    );
    // A refused connection: exit 2 and the reason, with the fix.
    let o = charmig(&[
        "doctor",
        "--db",
        &url("127.0.0.1", "postgres", "sslmode=disable"),
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(2), "{text}");
    assert!(text.contains("only over TLS"), "{text}");
}

#[test]
fn a_client_certificate_logs_in_without_a_password() {
    let c = tls_cluster();
    c.admin("postgres")
        .batch_execute("DO $$ BEGIN CREATE ROLE certuser LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        .unwrap();
    let t = c.tls.as_ref().unwrap();
    let base = format!(
        "postgres://certuser@localhost:{}/postgres?hostaddr=127.0.0.1",
        c.port
    );
    let with = format!(
        "{base}&sslmode=verify-full&sslrootcert={}&sslcert={}&sslkey={}",
        t.ca.display(),
        t.client_crt.display(),
        t.client_key.display()
    );
    assert!(ssl_of(&with).unwrap().0);
    // The same through PGSSLCERT / PGSSLKEY, with the binary.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_charmig"))
        .args(["doctor", "--db", &format!("{base}&sslmode=require")])
        .env("PGSSLCERT", &t.client_crt)
        .env("PGSSLKEY", &t.client_key)
        .env("HOME", "/nonexistent-home")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("reachable    : yes") || text.contains(": yes, TLSv1"),
        "{text}{}",
        stderr(&o)
    );
    // Without the certificate the server refuses; the message says so.
    let e = ssl_of(&format!("{base}&sslmode=require")).unwrap_err();
    assert!(
        e.contains("wants a client certificate") && e.contains("PGSSLCERT"),
        "{e}"
    );
    // A key without its certificate is refused before connecting.
    let e = ssl_of(&format!(
        "{base}&sslmode=require&sslkey={}",
        t.client_key.display()
    ))
    .unwrap_err();
    assert!(e.contains("sslcert and sslkey go together"), "{e}");
}

#[test]
fn sslrootcert_system_reads_the_system_bundle() {
    // SSL_CERT_FILE names the bundle, as OpenSSL-based tools read it.
    let u = url(
        "localhost",
        "postgres",
        "sslmode=verify-full&sslrootcert=system&hostaddr=127.0.0.1",
    );
    let run = |bundle: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_charmig"))
            .args(["doctor", "--db", &u])
            .env("SSL_CERT_FILE", bundle)
            .output()
            .unwrap()
    };
    let o = run(&ca());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let other = tls_cluster()
        .tls
        .as_ref()
        .unwrap()
        .other_ca
        .display()
        .to_string();
    let o = run(&other);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains("not signed by a CA"));
}
