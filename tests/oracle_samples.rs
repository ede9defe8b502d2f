//! `charmig scan --snapshot` and `charmig plan --snapshot … --dialect oracle` over a snapshot
//! whose `dictionary/` is shaped after Oracle's sample schemas (tests/fixtures/oracle_samples,
//! written by its make_samples.py): HR with COUNTRIES as an IOT and DEPARTMENTS_SEQ at
//! MAXVALUE 9990, CO with identity columns, SH with a partitioned SALES, BITMAP, DESC and wide
//! composite indexes, an invisible and a virtual column, NOT NULL checks beside real checks.
//! Every plan file is golden-tested (tests/golden/plan/oracle_samples/).

use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Scans the sample snapshot and plans it; returns (scan dir, plan dir, plan stderr).
pub fn scan_and_plan(
    snapshot: &Path,
    semantics: &str,
) -> (tempfile::TempDir, tempfile::TempDir, String) {
    let scan = tempfile::tempdir().unwrap();
    let snap = snapshot.to_str().unwrap();
    let (code, err) = charmig(&[
        "scan",
        "--snapshot",
        snap,
        "--out",
        scan.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "the samples hold values to fix: {err}");
    let plan = tempfile::tempdir().unwrap();
    let (code, err) = charmig(&[
        "plan",
        "--scan",
        scan.path().join("scan.json").to_str().unwrap(),
        "--snapshot",
        snap,
        "--dialect",
        "oracle",
        "--char-semantics",
        semantics,
        "--out",
        plan.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    (scan, plan, err)
}

/// A plan file with its run-specific lines (time, snapshot path) made stable.
fn stable(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with("-- generated: ") {
                "-- generated: (time)".to_string()
            } else if l.starts_with("Generated: ") {
                "Generated: (time)".to_string()
            } else if l.contains("\"created_at\"") {
                "  \"created_at\": \"(time)\",".to_string()
            } else {
                l.replace(fixture().to_str().unwrap(), "SAMPLES")
            }
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn golden_plan_of_the_sample_schemas() {
    for semantics in ["affected", "all"] {
        let (scan, plan, _) = scan_and_plan(&fixture(), semantics);
        // The scan summary already names the index whose key CHAR semantics would push past
        // the 8 KB block's limit, with the options.
        let summary = std::fs::read_to_string(scan.path().join("summary.txt")).unwrap();
        assert!(
            summary.contains("SH.PRODUCTS_NAME_DESC_IX: index (enforcing PRODUCTS_NAME_UK) key can need up to 8000 bytes"),
            "{summary}"
        );
        assert!(summary.contains("larger block size"));
        let mut names: Vec<String> = std::fs::read_dir(plan.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names.len(), 10);
        for n in names {
            let got = std::fs::read_to_string(plan.path().join(&n)).unwrap();
            charmig::golden::assert_golden(
                &format!("tests/golden/plan/oracle_samples_{semantics}/{n}"),
                &stable(&got),
            );
        }
    }
}

#[test]
fn plan_snapshot_without_a_dictionary_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["snapshot.json", "columns.csv", "tables.csv"] {
        std::fs::copy(fixture().join(f), dir.path().join(f)).unwrap();
    }
    std::fs::create_dir(dir.path().join("data")).unwrap();
    for e in std::fs::read_dir(fixture().join("data")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join("data").join(e.file_name())).unwrap();
    }
    let scan = tempfile::tempdir().unwrap();
    let snap = dir.path().to_str().unwrap();
    let (code, _) = charmig(&[
        "scan",
        "--snapshot",
        snap,
        "--out",
        scan.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let out = tempfile::tempdir().unwrap();
    let (code, err) = charmig(&[
        "plan",
        "--scan",
        scan.path().join("scan.json").to_str().unwrap(),
        "--snapshot",
        snap,
        "--dialect",
        "oracle",
        "--out",
        out.path().join("p").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("dictionary")
            && err.contains("missing")
            && err.contains("export_snapshot.sql"),
        "{err}"
    );
    assert!(!out.path().join("p").exists());
}

/// A clean-up script with its run id (a timestamp) made stable.
fn stable_run(text: &str) -> String {
    let id = text
        .lines()
        .next()
        .and_then(|l| l.rsplit(' ').next())
        .unwrap_or("")
        .to_string();
    assert!(id.starts_with("charmig-"), "{id}");
    text.replace(&id, "charmig-RUN")
}

#[test]
fn offline_cut_scripts_from_the_scan_and_from_the_snapshot() {
    let (scan, _plan, _) = scan_and_plan(&fixture(), "affected");
    let out = tempfile::tempdir().unwrap();
    let snap = fixture();
    // From scan.json alone (no database): the 3000-byte CO.ORDERS.NOTES value and the
    // HR.EMPLOYEES.LAST_NAME one.
    let script = out.path().join("truncate.sql");
    let (code, err) = charmig(&[
        "truncate",
        "--scan",
        scan.path().join("scan.json").to_str().unwrap(),
        "--script",
        script.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let got = stable_run(&std::fs::read_to_string(&script).unwrap());
    charmig::golden::assert_golden("tests/golden/clean/oracle_samples_truncate.sql", &got);
    assert!(got.contains("ROWID = CHARTOROWID('AAAS08AAEAAAACDAAB')"));
    assert!(
        got.matches("v_scan := UTL_RAW.CONCAT(v_scan, HEXTORAW('")
            .count()
            >= 7
    );

    // A byte limit of the DBA's: the cells are found again in the snapshot, offline.
    let script = out.path().join("limit.sql");
    let (code, err) = charmig(&[
        "truncate",
        "--snapshot",
        snap.to_str().unwrap(),
        "--limit-bytes",
        "10",
        "--table",
        "HR.EMPLOYEES",
        "--script",
        script.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let got = stable_run(&std::fs::read_to_string(&script).unwrap());
    charmig::golden::assert_golden("tests/golden/clean/oracle_samples_limit10.sql", &got);
    // Keyed by the snapshot's ROWIDs, each checked against the snapshot's bytes.
    assert!(got.contains("CHARTOROWID('AAAS11AAEAAAACDAAA')"));
    assert!(got.contains("IF v_old = v_scan THEN"));

    // --snapshot never changes a database.
    let (code, err) = charmig(&[
        "truncate",
        "--snapshot",
        snap.to_str().unwrap(),
        "--limit-bytes",
        "10",
        "--table",
        "HR.EMPLOYEES",
        "--apply",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--snapshot makes the clean-up offline"),
        "{err}"
    );
    // Without a snapshot or a database the message names both.
    let (code, err) = charmig(&[
        "truncate",
        "--limit-bytes",
        "10",
        "--table",
        "HR.EMPLOYEES",
        "--script",
        script.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--snapshot DIR"), "{err}");
}
