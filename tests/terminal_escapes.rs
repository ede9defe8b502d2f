//! Terminal escapes in data and names never reach the terminal or a text report: a table, a
//! column and values holding `ESC]0;pwned BEL` (retitle the terminal) and `ESC[2J` (clear
//! it), a CR and a newline, go through scan, repair --dry-run, objects and an error
//! message; every byte printed is free of control characters other than newline and tab, and
//! the escapes are shown as `\x1b`.

mod common;

use common::pg::{charmig, cluster, stderr};

const TITLE: &str = "\u{1b}]0;pwned\u{7}";
const CLEAR: &str = "\u{1b}[2J";

fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| c.is_control() && c != '\n' && c != '\t')
        .collect();
    assert!(
        bad.is_empty(),
        "{what} holds control characters {bad:?}:\n{text}"
    );
}

#[test]
fn escapes_in_names_and_values_are_shown_not_played() {
    let c = cluster();
    let mut db = c.create_db("escdb", "LATIN9");
    let table = format!("t{TITLE}x");
    let column = format!("c{CLEAR}\r\nfake line");
    db.batch_execute(&format!(
        "CREATE TABLE \"{table}\" (id text PRIMARY KEY, \"{column}\" text)"
    ))
    .unwrap();
    // Keys are data too: the row id printed in [..] holds an escape.
    let quoted = format!("\"{table}\"");
    let col = format!("\"{column}\"");
    db.execute(
        &format!("INSERT INTO {quoted} (id) VALUES ($1), ($2)"),
        &[&format!("k{CLEAR}1"), &"k2"],
    )
    .unwrap();
    for (key, bytes) in [
        (format!("k{CLEAR}1"), &b"\x93\x1b]0;pwned\x07 hi\x94"[..]),
        ("k2".to_string(), b"\x1b[2J\x80 5 and a long tail"),
    ] {
        db.execute(
            &format!("UPDATE {quoted} SET {col} = convert_from($1, 'LATIN9') WHERE id = $2"),
            &[&bytes.to_vec(), &key],
        )
        .unwrap();
    }
    let url = c.url("escdb");
    let out = std::env::temp_dir().join(format!("charmig-esc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);

    let o = charmig(&["scan", "--db", &url, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_clean("scan stderr", &o.stderr);
    let summary = std::fs::read(out.join("summary.txt")).unwrap();
    assert_clean("summary.txt", &summary);
    assert!(
        String::from_utf8_lossy(&summary).contains("c\\x1b[2J\\r\\nfake line"),
        "{}",
        String::from_utf8_lossy(&summary)
    );

    let scan = out.join("scan.json");
    // repair --dry-run prints one line per cell: object, row key, old -> new value.
    let o = charmig(&[
        "repair",
        "--scan",
        scan.to_str().unwrap(),
        "--db",
        &url,
        "--dry-run",
    ]);
    assert_clean("repair stdout", &o.stdout);
    assert_clean("repair stderr", &o.stderr);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("t\\x1b]0;pwned\\x07x") && text.contains("fake line"),
        "{text}\n{}",
        stderr(&o)
    );
    // The key (a text primary key holding ESC[2J) is printed escaped.
    assert!(text.contains("k\\x1b[2J1"), "{text}");
    // A line about a cell stays one line: the newline in the column name is escaped.
    assert!(!text.lines().any(|l| l.starts_with("fake line")), "{text}");

    let o = charmig(&["objects", "--db", &url, "--out", out.to_str().unwrap()]);
    assert_clean("objects stdout", &o.stdout);
    assert_clean("objects stderr", &o.stderr);

    // An error message that carries a name is escaped too.
    let o = charmig(&[
        "scan",
        "--db",
        &format!("postgres://u\u{1b}[2J@127.0.0.1:1/x"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_clean("error", &o.stderr);
    let _ = std::fs::remove_dir_all(&out);
}
