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
    let mut db = c.create_database("urldb", "OWNER urltester");
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

/// Runs charmig on a terminal (a pseudo-terminal, through python3's `pty`), typing `password`
/// at every password prompt; returns the exit code, the number of prompts and the output.
fn on_a_terminal(args: &[&str], password: &str) -> (i32, usize, String) {
    const DRIVER: &str = r#"
import os, pty, select, sys
pw = os.environ["CHARMIG_TEST_TYPED"].encode() + b"\n"
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out, prompts = b"", 0
while True:
    r, _, _ = select.select([fd], [], [], 120)
    if not r:
        break
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    out += data
    while prompts < out.count(b"Password for user"):
        os.write(fd, pw)
        prompts += 1
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.stderr.write("%d %d" % (os.waitstatus_to_exitcode(status), prompts))
"#;
    let o = std::process::Command::new("python3")
        .arg("-c")
        .arg(DRIVER)
        .arg(env!("CARGO_BIN_EXE_charmig"))
        .args(args)
        .env("CHARMIG_TEST_TYPED", password)
        .env("PGPASSFILE", "/nonexistent")
        .env_remove("PGPASSWORD")
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&o.stderr).to_string();
    let mut it = status.split_whitespace().map(|n| n.parse::<i64>());
    match (it.next(), it.next()) {
        (Some(Ok(code)), Some(Ok(prompts))) => (
            code as i32,
            prompts as usize,
            String::from_utf8_lossy(&o.stdout).into_owned(),
        ),
        _ => panic!("the terminal driver failed: {status}"),
    }
}

/// A DBA without a password file types each database's password once per command, however
/// many connections the command opens to it (verify and copy open several to each side).
#[test]
fn a_password_is_asked_once_per_database_on_a_terminal() {
    let c = cluster();
    let mut src = c.create_db("prompt_src", "LATIN1");
    src.batch_execute(
        "CREATE TABLE public.\"Adresses\" (id int PRIMARY KEY, rue text);
         INSERT INTO public.\"Adresses\" VALUES (1, convert_from('\\x52e9'::bytea, 'LATIN1'));",
    )
    .unwrap();
    drop(c.create_db("prompt_tgt", "UTF8"));
    let (from, to) = (
        c.url_no_password("prompt_src"),
        c.url_no_password("prompt_tgt"),
    );
    let (code, prompts, out) = on_a_terminal(
        &["schema", "--from", &from, "--to", &to],
        common::pg::PASSWORD,
    );
    assert_eq!((code, prompts), (0, 2), "{out}");
    let (code, prompts, out) = on_a_terminal(
        &["copy", "--from", &from, "--to", &to],
        common::pg::PASSWORD,
    );
    assert_eq!((code, prompts), (0, 2), "{out}");
    let dir = std::env::temp_dir().join(format!("charmig-prompt-{}", std::process::id()));
    let (code, prompts, out) = on_a_terminal(
        &[
            "verify",
            "--from",
            &from,
            "--to",
            &to,
            "--out",
            dir.to_str().unwrap(),
        ],
        common::pg::PASSWORD,
    );
    assert_eq!((code, prompts), (0, 2), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
    // A wrong password is not kept: the command stops naming the refusal.
    let (code, prompts, out) = on_a_terminal(
        &["scan", "--db", &from, "--out", dir.to_str().unwrap()],
        "not-the-password",
    );
    assert_eq!((code, prompts), (2, 1), "{out}");
    assert!(out.contains("28P01"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
