//! The closing lines of a copy run: tables, rows, bytes and time (plurals right, figures
//! grouped, rates rounded), what was replaced, and what to run next.

use super::{CopyReport, plural};

/// `1234567` -> `1,234,567`.
pub fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes as a DBA reads them: `512 B`, `3.4 MB`, `1.2 GB`.
pub fn bytes(n: u64) -> String {
    let f = n as f64;
    match n {
        0..1_000 => format!("{n} B"),
        1_000..1_000_000 => format!("{:.1} kB", f / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", f / 1e6),
        _ => format!("{:.1} GB", f / 1e9),
    }
}

/// The summary of a run: `bytes_moved` as written to the target (or the source's size when the
/// target pulled the rows itself), `replaced` the notes of cells written as U+FFFD, `next` what
/// to run next when nothing failed.
pub fn lines(
    run_id: &str,
    report: &CopyReport,
    bytes_moved: u64,
    secs: f64,
    replaced: &[String],
    next: &[String],
) -> Vec<String> {
    let rows: u64 = report.copied.iter().map(|c| c.1).sum();
    let secs = secs.max(0.001);
    let mut out = vec![format!(
        "copy {run_id}: {} copied ({}, {} in {:.1} s: {} rows/s, {:.1} MB/s), {} already done, {} failed",
        plural(report.copied.len() as u64, "table"),
        plural(rows, "row").replacen(&rows.to_string(), &grouped(rows), 1),
        bytes(bytes_moved),
        secs,
        grouped((rows as f64 / secs).round() as u64),
        bytes_moved as f64 / 1e6 / secs,
        report.skipped_done.len(),
        report.failed.len()
    )];
    for r in replaced {
        out.push(format!("replaced: {r}"));
    }
    for (t, e) in &report.failed {
        out.push(format!("error: {t}: {e}"));
    }
    if report.failed.is_empty() {
        out.extend(next.iter().map(|n| format!("next: {n}")));
    } else {
        out.push(
            "next: fix the causes and run the same command again: done tables are skipped, the others copied again"
                .into(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_well() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(15074), "15,074");
        assert_eq!(grouped(1234567), "1,234,567");
        assert_eq!(bytes(12), "12 B");
        assert_eq!(bytes(3_400_000), "3.4 MB");
        let one = CopyReport {
            copied: vec![("app.t".into(), 1)],
            ..Default::default()
        };
        let l = lines("copy-1", &one, 10, 2.0, &[], &["validate".into()]);
        assert!(
            l[0].starts_with("copy copy-1: 1 table copied (1 row, 10 B in 2.0 s: 1 rows/s"),
            "{l:?}"
        );
        assert_eq!(l[1], "next: validate");
        let many = CopyReport {
            copied: vec![("a".into(), 15_074), ("b".into(), 1)],
            failed: vec![("c".into(), "boom".into())],
            ..Default::default()
        };
        let l = lines(
            "r",
            &many,
            2_000_000,
            0.5,
            &["a: 2 cells".into()],
            &["x".into()],
        );
        assert!(l[0].contains("2 tables copied (15,075 rows, 2.0 MB in 0.5 s: 30,150 rows/s, 4.0 MB/s), 0 already done, 1 failed"), "{l:?}");
        assert_eq!(l[1], "replaced: a: 2 cells");
        assert_eq!(l[2], "error: c: boom");
        assert!(l[3].starts_with("next: fix the causes"));
    }
}
