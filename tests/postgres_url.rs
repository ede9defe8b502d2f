//! Connection URLs as a DBA types them (issue 13.9, 13.11): a password holding `@` (not
//! percent-encoded) ends at the last `@`, connects, and no part of it appears in any output
//! (stderr, summary.txt, scan.json, report.html); a mysql:// URL is named as unsupported.

mod common;

use common::pg::{charmig, cluster, stderr};

#[test]
fn a_password_with_at_signs_connects_and_is_never_printed() {
    let c = cluster();
    let mut admin = c.admin("postgres");
    admin
        .batch_execute("CREATE ROLE urltester LOGIN SUPERUSER PASSWORD 'Hunter2@TopSecret:x/y'")
        .unwrap();
    admin
        .batch_execute("CREATE DATABASE urldb OWNER urltester")
        .unwrap();
    let mut db = c.admin("urldb");
    db.batch_execute("CREATE TABLE \"Straße\" (id int PRIMARY KEY, v text); INSERT INTO \"Straße\" VALUES (1, 'ü')")
        .unwrap();
    let out = std::env::temp_dir().join(format!("charmig-url-{}", std::process::id()));
    let url = format!(
        "postgres://urltester:Hunter2@TopSecret:x/y@127.0.0.1:{}/urldb",
        c.port
    );
    let o = charmig(&["scan", "--db", &url, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut everything = String::from_utf8_lossy(&o.stderr).into_owned();
    for f in ["summary.txt", "scan.json", "report.html", "columns.csv"] {
        everything.push_str(&std::fs::read_to_string(out.join(f)).unwrap());
    }
    assert!(everything.contains("urltester@127.0.0.1"), "{everything}");
    for piece in ["Hunter2", "TopSecret", "x/y@"] {
        assert!(!everything.contains(piece), "`{piece}` printed");
    }

    // A wrong password: the error names the user, shows nothing of what was typed.
    let bad = format!(
        "postgres://urltester:Wrong@Guess@127.0.0.1:{}/urldb",
        c.port
    );
    let o = charmig(&["scan", "--db", &bad, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("password authentication failed for user \"urltester\""),
        "{e}"
    );
    assert!(!e.contains("Wrong") && !e.contains("Guess"), "{e}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn other_schemes_are_unsupported_not_a_password_problem() {
    for cmd in [
        vec![
            "scan",
            "--db",
            "mysql://root:Hunter2@db/shop",
            "--out",
            "/nonexistent",
        ],
        vec![
            "copy",
            "--from",
            "postgres://u@127.0.0.1:1/x",
            "--to",
            "mysql://root:Hunter2@db/shop",
        ],
    ] {
        let o = charmig(&cmd);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{e}");
        assert!(e.contains("unsupported database URL scheme `mysql`"), "{e}");
        assert!(
            !e.contains("Hunter2") && !e.contains("CHARMIG_PASSWORD"),
            "{e}"
        );
    }
}
