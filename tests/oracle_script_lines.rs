//! Every Oracle script charmig writes or ships stays within SQL*Plus's limits and keeps
//! database names where they belong: no line reaches 2499 characters (SQL*Plus 12c's limit,
//! SP2-0027), a name with `&`, `*/` or a trailing `-` never ends a comment line or prompts for
//! a substitution value (every script sets `SET DEFINE OFF` before the first `&`), and a name
//! with a line break is refused before any script is written. The names are put into a copy of
//! the sample-schema snapshot (tests/fixtures/oracle_samples).

use std::path::{Path, PathBuf};
use std::process::Command;

const SQLPLUS_LINE: usize = 2499;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oracle_samples")
}

fn charmig(args: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_charmig"))
        .args(args)
        .output()
        .expect("run charmig");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "charmig panicked:\n{stderr}");
    (o.status.code().expect("exit code"), stderr)
}

/// A copy of the samples snapshot with names replaced (plain text replacement in every file,
/// data file headers included; a replacement holding a newline is written as a quoted CSV
/// field).
fn renamed(pairs: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fn copy(from: &Path, to: &Path, pairs: &[(&str, &str)]) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if p.is_dir() {
                copy(&p, &to.join(e.file_name()), pairs);
            } else if p.extension().is_some_and(|x| x == "csv" || x == "json") {
                let mut text = std::fs::read_to_string(&p).unwrap();
                for (a, b) in pairs {
                    let b = if b.contains(['\n', '\r']) {
                        format!("\"{b}\"")
                    } else {
                        b.to_string()
                    };
                    text = text.replace(a, &b);
                }
                std::fs::write(to.join(e.file_name()), text).unwrap();
            }
        }
    }
    copy(&fixture(), dir.path(), pairs);
    dir
}

const TRICKY: &[(&str, &str)] = &[
    ("LAST_NAME", "NOM & PRÉNOM */ -"),
    ("EMP_NAME_IX", "EMP&NAME -"),
    ("UPDATE_JOB_HISTORY", "JOB&HIST */"),
    ("DEPARTMENTS_SEQ", "DEPT&SEQ -"),
    ("ORDERS_STATUS_C", "STATUS&C;"),
];

/// The checks every Oracle script passes.
fn check_script(name: &str, text: &str) {
    let mut define_off = false;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        assert!(
            line.chars().count() < SQLPLUS_LINE,
            "{name}:{n}: {} characters",
            line.chars().count()
        );
        let t = line.trim_start();
        if t.eq_ignore_ascii_case("SET DEFINE OFF") || t.starts_with("SET DEFINE OFF ") {
            define_off = true;
        }
        if t.starts_with("--") || t.to_ascii_uppercase().starts_with("PROMPT") {
            assert!(
                !t.contains('&'),
                "{name}:{n}: `&` in a comment/PROMPT: {line}"
            );
            assert!(
                !t.contains("*/"),
                "{name}:{n}: `*/` in a comment/PROMPT: {line}"
            );
            assert!(!t.ends_with('-'), "{name}:{n}: trailing `-`: {line}");
        } else if line.contains('&') {
            assert!(define_off, "{name}:{n}: `&` before SET DEFINE OFF: {line}");
        }
    }
}

fn scan(snap: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let (code, err) = charmig(&[
        "scan",
        "--snapshot",
        snap.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    out
}

#[test]
fn plan_and_clean_scripts_keep_tricky_names_in_their_place() {
    let snap = renamed(TRICKY);
    let s = scan(snap.path());
    let scan_json = s.path().join("scan.json");
    for semantics in ["all", "affected"] {
        let plan = tempfile::tempdir().unwrap();
        let (code, err) = charmig(&[
            "plan",
            "--scan",
            scan_json.to_str().unwrap(),
            "--snapshot",
            snap.path().to_str().unwrap(),
            "--dialect",
            "oracle",
            "--char-semantics",
            semantics,
            "--out",
            plan.path().to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        let mut n = 0;
        for e in std::fs::read_dir(plan.path()).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "sql") {
                let text = std::fs::read_to_string(&p).unwrap();
                check_script(&p.display().to_string(), &text);
                n += 1;
            }
        }
        assert_eq!(n, 8);
        let all = std::fs::read_to_string(plan.path().join("03_after_copy.sql")).unwrap();
        // The names are there, quoted, in the statements …
        assert!(all.contains("\"HR\".\"EMP&NAME -\""), "{all}");
        assert!(all.contains("\"HR\".\"DEPT&SEQ -\""));
        // … and escaped in the comments.
        assert!(all.contains("HR.EMP\\x26NAME -:"));
    }
    for (cmd, extra) in [("truncate", vec![]), ("repair", vec!["--mode", "cp1252"])] {
        let out = tempfile::tempdir().unwrap();
        let script = out.path().join("s.sql");
        let mut args = vec![
            cmd,
            "--scan",
            scan_json.to_str().unwrap(),
            "--script",
            script.to_str().unwrap(),
        ];
        args.extend(extra);
        let (code, err) = charmig(&args);
        assert!(code == 0 || code == 1, "{cmd}: {err}");
        let text = std::fs::read_to_string(&script).unwrap();
        check_script(cmd, &text);
        assert!(text.contains("SET DEFINE OFF"));
    }
    let out = tempfile::tempdir().unwrap();
    let script = out.path().join("t.sql");
    let (code, err) = charmig(&[
        "truncate",
        "--scan",
        scan_json.to_str().unwrap(),
        "--script",
        script.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&script).unwrap();
    assert!(
        text.contains("SET \"NOM & PRÉNOM */ -\" = v_text"),
        "{text}"
    );
    assert!(text.contains("-- HR.EMPLOYEES.NOM \\x26 PRÉNOM *\\/ - ROWID"));
}

#[test]
fn names_with_line_breaks_are_refused_before_any_script() {
    for bad in ["EMP\nSALARY_MIN", "EMP\rSALARY_MIN"] {
        let snap = renamed(&[("EMP_SALARY_MIN", bad)]);
        let s = scan(snap.path());
        let plan = tempfile::tempdir().unwrap();
        let out = plan.path().join("p");
        let (code, err) = charmig(&[
            "plan",
            "--scan",
            s.path().join("scan.json").to_str().unwrap(),
            "--snapshot",
            snap.path().to_str().unwrap(),
            "--dialect",
            "oracle",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("SQL*Plus script"), "{err}");
        assert!(!out.exists());
    }
    // Clean-up scripts refuse such names the same way (`dialect::oracle::script_ident`,
    // unit-tested): a snapshot cannot even carry one (export_snapshot.sql stops on it).
}

#[test]
fn shipped_sqlplus_scripts_have_short_lines() {
    for (name, text) in [
        (
            "sql/export_snapshot.sql",
            charmig::source::oracle::EXPORT_SNAPSHOT_SQL,
        ),
        (
            "sql/problem_objects.sql",
            charmig::source::oracle::PROBLEM_OBJECTS_SQL,
        ),
    ] {
        for (i, line) in text.lines().enumerate() {
            assert!(
                line.chars().count() < SQLPLUS_LINE,
                "{name}:{}: {} characters",
                i + 1,
                line.chars().count()
            );
        }
    }
    // The lines export_snapshot.sql generates at run time are one item each: no generated
    // line concatenates a loop's items (checked in tests/oracle_scripts.rs); the longest
    // fixed part of a generated line is well below the limit.
    let longest = charmig::source::oracle::EXPORT_SNAPSHOT_SQL
        .lines()
        .filter(|l| l.trim_start().starts_with("p('"))
        .map(|l| l.chars().count())
        .max()
        .unwrap();
    assert!(longest < 400, "{longest}");
}
