//! What a DBA sees when pointing charmig at Oracle from a machine without the Oracle client
//! (this one): the plain DPI-1047 message, exit code 2, no panic, no backtrace. And the
//! connect-string and password rules, which fail before any library is loaded.

use charmig::source::oracle::connect::instant_client_missing;
use std::process::{Command, Output};

fn charmig(args: &[&str], password: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_charmig"));
    c.args(args)
        .env("RUST_BACKTRACE", "1")
        .env_remove("CHARMIG_PASSWORD")
        .stdin(std::process::Stdio::null());
    if let Some(p) = password {
        c.env("CHARMIG_PASSWORD", p);
    }
    c.output().unwrap()
}

/// Whether an Oracle client library is reachable the way ODPI-C looks for it.
fn client_installed() -> bool {
    let mut dirs: Vec<String> = std::env::var("LD_LIBRARY_PATH")
        .unwrap_or_default()
        .split(':')
        .map(str::to_string)
        .collect();
    if let Ok(h) = std::env::var("ORACLE_HOME") {
        dirs.push(format!("{h}/lib"));
    }
    if dirs
        .iter()
        .any(|d| !d.is_empty() && std::path::Path::new(d).join("libclntsh.so").exists())
    {
        return true;
    }
    Command::new("ldconfig")
        .arg("-p")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("libclntsh"))
        .unwrap_or(false)
}

#[test]
fn without_instant_client_every_db_command_says_what_to_install() {
    let runs: [&[&str]; 3] = [
        &[
            "scan",
            "--db",
            "oracle://u@127.0.0.1:1/x",
            "--out",
            "/nonexistent/never-written",
        ],
        &[
            "objects",
            "--db",
            "u@//127.0.0.1:1/x",
            "--out",
            "/nonexistent/never-written",
        ],
        &[
            "snapshot",
            "--db",
            "u@127.0.0.1:1/x",
            "--out",
            "/nonexistent/never-written",
        ],
    ];
    for args in runs {
        let out = charmig(args, Some("secret"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked")
                && !stderr.contains("backtrace")
                && !stderr.contains("secret"),
            "{stderr}"
        );
        if client_installed() {
            eprintln!(
                "an Oracle client is installed here: checking only that the failure is a plain connection error"
            );
            assert!(
                stderr.starts_with("error: connecting to u@//127.0.0.1:1/x"),
                "{stderr}"
            );
        } else {
            assert_eq!(
                stderr,
                format!("error: {}\n", instant_client_missing()),
                "{args:?}"
            );
        }
    }
}

#[test]
fn passwords_never_come_from_the_command_line() {
    let out = charmig(&["objects", "--db", "scott/tiger@ORCL"], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("CHARMIG_PASSWORD") && !stderr.contains("tiger"),
        "{stderr}"
    );
}

#[test]
fn without_a_password_and_a_terminal_charmig_says_where_to_put_it() {
    let out = charmig(&["objects", "--db", "scott@ORCL"], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    if client_installed() {
        assert_eq!(
            stderr,
            "error: no password for scott@ORCL: set CHARMIG_PASSWORD (charmig never takes a password on the command line), \
             or run charmig from a terminal to be prompted\n"
        );
    } else {
        // The client library is checked before any password is asked for.
        assert_eq!(stderr, format!("error: {}\n", instant_client_missing()));
    }
}

#[test]
fn external_auth_with_a_user_name_is_refused() {
    let out = charmig(&["objects", "--db", "scott@ORCL", "--external-auth"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("remove the user name `scott`"));
}

#[test]
fn objects_offline_from_a_snapshot_dictionary() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("snapshot.json"), r#"{"format":"charmig-snapshot/1","source":{"dialect":"oracle","version":"19","charset":"WE8ISO8859P15"}}"#).unwrap();
    std::fs::write(d.join("columns.csv"), "owner,table_name,column_name,column_id,data_type,data_length,char_length,char_used,nullable\n").unwrap();
    std::fs::write(
        d.join("tables.csv"),
        "owner,table_name,num_rows,data_file\n",
    )
    .unwrap();
    let out = d.join("report");
    let run = |d: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_charmig"))
            .args([
                "objects",
                "--snapshot",
                d.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .output()
            .unwrap()
    };
    let o = run(d);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("dictionary"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oracle_dict");
    std::fs::create_dir(d.join("dictionary")).unwrap();
    for name in charmig::source::oracle::sql::DICTIONARY_FILES {
        std::fs::copy(
            fixtures.join(format!("{name}.csv")),
            d.join("dictionary").join(format!("{name}.csv")),
        )
        .unwrap();
    }
    let o = run(d);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains("! Disabled triggers") && stdout.contains("SALES.PKG_BILLING"),
        "{stdout}"
    );
    assert!(out.join("objects.json").exists() && out.join("objects.csv").exists());
}

#[test]
fn verify_of_two_oracle_databases_needs_the_client_and_refuses_mixed_pairs() {
    let out = charmig(
        &[
            "verify",
            "--from",
            "u@//127.0.0.1:1/src",
            "--to",
            "oracle://u@127.0.0.1:1/tgt",
            "--out",
            "/nonexistent/never-written",
        ],
        Some("secret"),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        !stderr.contains("panicked")
            && !stderr.contains("secret")
            && !stderr.contains("not supported"),
        "{stderr}"
    );
    if client_installed() {
        assert!(stderr.starts_with("error: opening the source"), "{stderr}");
    } else {
        assert_eq!(
            stderr,
            format!("error: opening the source: {}\n", instant_client_missing())
        );
    }
    // An Oracle source with a PostgreSQL target (and the reverse): refused before connecting.
    for (from, to) in [
        ("u@//127.0.0.1:1/src", "postgres://u@127.0.0.1:1/tgt"),
        ("postgres://u@127.0.0.1:1/src", "u@//127.0.0.1:1/tgt"),
    ] {
        let out = charmig(
            &[
                "verify",
                "--from",
                from,
                "--to",
                to,
                "--out",
                "/nonexistent/never-written",
            ],
            Some("secret"),
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("is not supported")
                && stderr.contains("an Oracle source with its Oracle AL32UTF8 target")
                && !stderr.contains("DPI-1047"),
            "{stderr}"
        );
    }
}

/// The Oracle DB-link copy's scan rule (`copy::oracle_target::check_scan`), on the demo
/// snapshot's real scan: from a charset whose bytes without meaning Oracle's conversion is not
/// confirmed to mark (US7ASCII, WE8MSWIN1252), a scan is required, and a table with lossy cells
/// (HR.EMPLOYEES: 13, SALES.PRODUCTS: 3) is refused whatever the charset; a clean table passes.
#[test]
fn oracle_link_copy_requires_a_clean_scan_where_the_conversion_is_unconfirmed() {
    use charmig::copy::CopyTable;
    use charmig::copy::oracle_target::check_scan;
    let dir = std::env::temp_dir().join(format!("charmig-oscan-{}", std::process::id()));
    let o = charmig(
        &[
            "scan",
            "--snapshot",
            concat!(env!("CARGO_MANIFEST_DIR"), "/demo/snapshot"),
            "--out",
            dir.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
    let scan = charmig::clean::scan_file::read(&dir.join("scan.json")).unwrap();
    let t = |owner: &str, name: &str| CopyTable {
        owner: owner.into(),
        name: name.into(),
        bytes: 0,
    };
    let clean = [t("SALES", "order notes")];
    let dirty = [t("HR", "EMPLOYEES"), t("SALES", "order notes")];
    // No scan: refused from US7ASCII and WE8MSWIN1252, not from WE8ISO8859P15 or AL32UTF8.
    for cs in ["US7ASCII", "WE8MSWIN1252"] {
        let e = check_scan(cs, None, &clean).unwrap_err();
        assert!(e.contains("--scan scan.json") && e.contains(cs), "{e}");
    }
    for cs in ["WE8ISO8859P15", "WE8ISO8859P1", "AL32UTF8"] {
        assert_eq!(check_scan(cs, None, &clean), Ok(()), "{cs}");
    }
    // A scan: clean tables pass, lossy ones are refused with their counts.
    assert_eq!(check_scan("US7ASCII", Some(&scan), &clean), Ok(()));
    for cs in ["US7ASCII", "WE8ISO8859P15"] {
        let e = check_scan(cs, Some(&scan), &dirty).unwrap_err();
        assert!(
            e.contains("HR.EMPLOYEES (13 lossy cells)") && !e.contains("order notes"),
            "{e}"
        );
    }
    // A table the scan does not cover is refused where the scan is needed.
    let e = check_scan("WE8MSWIN1252", Some(&scan), &[t("HR", "NOT_SCANNED")]).unwrap_err();
    assert!(e.contains("does not cover HR.NOT_SCANNED"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
