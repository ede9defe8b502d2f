//! Snapshot scans at the edges: a data file that is a FIFO (refused, no hang), a column of a
//! data type charmig does not classify (listed as skipped, not dropped), and a column full of
//! large lossy cells (exceptions bounded in bytes, the cut reported, the same for any --jobs).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Writes an Oracle WE8ISO8859P1 snapshot of table APP.T with columns (name, type) and rows
/// of raw values (one per character column; `None` = NULL).
fn snapshot(dir: &Path, columns: &[(&str, &str)], rows: &[Vec<Option<Vec<u8>>>]) {
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(
        dir.join("snapshot.json"),
        r#"{"format": "charmig-snapshot/1", "source": {"dialect": "oracle", "version": "19.0.0.0.0",
            "charset": "WE8ISO8859P1", "max_string_size": "STANDARD"}}"#,
    )
    .unwrap();
    let mut cols = String::from(
        "owner,table_name,column_name,column_id,data_type,data_length,char_length,char_used,nullable\n",
    );
    for (i, (name, ty)) in columns.iter().enumerate() {
        cols.push_str(&format!("APP,T,{name},{},{ty},4000,4000,B,Y\n", i + 1));
    }
    std::fs::write(dir.join("columns.csv"), cols).unwrap();
    std::fs::write(
        dir.join("tables.csv"),
        format!(
            "owner,table_name,num_rows,data_file\nAPP,T,{},data/APP.T.csv\n",
            rows.len()
        ),
    )
    .unwrap();
    let text_cols: Vec<&str> = columns
        .iter()
        .filter(|(_, t)| matches!(*t, "VARCHAR2" | "CLOB"))
        .map(|(n, _)| *n)
        .collect();
    let mut data = format!("ROWID,{}\n", text_cols.join(","));
    for (i, r) in rows.iter().enumerate() {
        data.push_str(&format!("AAAT{i:014}"));
        for v in r {
            data.push(',');
            if let Some(v) = v {
                data.push('x');
                data.push_str(&v.iter().map(|b| format!("{b:02X}")).collect::<String>());
            }
        }
        data.push('\n');
    }
    let path = dir.join("data/APP.T.csv");
    if path.exists() {
        return; // a FIFO put there by the test
    }
    std::fs::write(path, data).unwrap();
}

/// Runs `charmig scan --snapshot DIR --out OUT ARGS`, killed after `limit`.
fn scan(dir: &Path, out: &Path, args: &[&str], limit: Duration) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_charmig"))
        .args(["scan", "--snapshot"])
        .arg(dir)
        .arg("--out")
        .arg(out)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (status.code(), err);
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("charmig scan still running after {limit:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_fifo_data_file_is_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let fifo = dir.path().join("data/APP.T.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo");
    snapshot(dir.path(), &[("S", "VARCHAR2")], &[]);
    let out = tempfile::tempdir().unwrap();
    let (code, err) = scan(dir.path(), out.path(), &[], Duration::from_secs(30));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("APP.T.csv") && err.contains("not a regular file"),
        "{err}"
    );
}

#[test]
fn a_column_of_an_unknown_type_is_listed_as_skipped() {
    let dir = tempfile::tempdir().unwrap();
    snapshot(
        dir.path(),
        &[("S", "VARCHAR2"), ("DOC", "XMLTYPE"), ("N", "NUMBER")],
        &[vec![Some(b"ok".to_vec())]],
    );
    let out = tempfile::tempdir().unwrap();
    let (code, err) = scan(dir.path(), out.path(), &[], Duration::from_secs(60));
    assert_eq!(code, Some(0), "{err}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("scan.json")).unwrap())
            .unwrap();
    let skipped = json["skipped"].as_array().unwrap();
    assert_eq!(
        skipped.len(),
        1,
        "NUMBER is known, XMLTYPE is not: {skipped:?}"
    );
    assert_eq!(skipped[0]["object"], "APP.T.DOC");
    assert!(skipped[0]["reason"].as_str().unwrap().contains("XMLTYPE"));
    let summary = std::fs::read_to_string(out.path().join("summary.txt")).unwrap();
    assert!(
        summary.contains("Skipped            : 1 (0 errors)"),
        "{summary}"
    );
}

#[test]
fn large_lossy_cells_keep_exceptions_bounded_in_bytes_whatever_the_jobs() {
    // 400 lossy CLOB cells of 3,000 bytes (6,000 hex characters each): 2.4 MB of hex. With a
    // 20,000-character budget the first four (0, 6,000, 12,000, 18,000 characters before
    // them) keep their hex whole; the other 396 keep a 32-byte excerpt.
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<Vec<Option<Vec<u8>>>> = (0..400)
        .map(|i| {
            let mut v = vec![b'a' + (i % 26) as u8; 3000];
            v[10] = 0x81;
            vec![Some(v)]
        })
        .collect();
    snapshot(dir.path(), &[("CL", "CLOB")], &rows);
    let mut reports = Vec::new();
    for jobs in ["1", "3"] {
        let out = tempfile::tempdir().unwrap();
        let (code, err) = scan(
            dir.path(),
            out.path(),
            &["--max-exception-bytes", "20000", "--jobs", jobs],
            Duration::from_secs(120),
        );
        assert_eq!(code, Some(1), "{err}");
        let exceptions = std::fs::read_to_string(out.path().join("exceptions.csv")).unwrap();
        let hexes: Vec<String> = csv::Reader::from_reader(exceptions.as_bytes())
            .records()
            .map(|r| r.unwrap()[9].to_string())
            .collect();
        assert_eq!(hexes.len(), 400);
        assert!(
            hexes[..4].iter().all(|h| h.len() == 6000),
            "the first four whole"
        );
        assert!(
            hexes[4..]
                .iter()
                .all(|h| h.chars().count() == 65 && h.ends_with('…')),
            "the rest cut to 32 bytes"
        );
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.path().join("scan.json")).unwrap())
                .unwrap();
        assert_eq!(json["columns"][0]["hex_cut"], 396);
        let summary = std::fs::read_to_string(out.path().join("summary.txt")).unwrap();
        assert!(
            summary.contains("the hex of 396 exceptions was cut"),
            "{summary}"
        );
        reports.push(exceptions);
    }
    assert_eq!(reports[0], reports[1], "the same result for --jobs 1 and 3");
}
