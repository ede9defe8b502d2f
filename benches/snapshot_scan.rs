//! Snapshot scan throughput: MB/s of data files read, parsed (CSV, hex) and classified by the
//! real engine, with 1 and 2 jobs, on a generated ~200 MB WE8ISO8859P15 snapshot (8 tables of
//! realistic columns, Latin-heavy values) in a temporary directory.
//!
//! `cargo bench --bench snapshot_scan` measures; without `--bench` it is a smoke run on 4 MB.
//! `CHARMIG_BENCH_MB` overrides the snapshot size. The snapshot is written once per run; the
//! first timed scan follows a warm-up scan, so every figure reads from the page cache (the
//! engine's cost, not the disk's).

#[path = "support/snapgen.rs"]
mod snapgen;

use charmig::scan::{self, NoProgress, ScanOptions};
use charmig::source::snapshot::SnapshotSource;
use std::time::Instant;

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let mb: u64 = std::env::var("CHARMIG_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if bench { 200 } else { 4 });
    let samples = if bench { 3 } else { 1 };
    if !bench {
        println!(
            "smoke run (no --bench): checks the benchmark runs; the figures are not a measurement"
        );
    }
    let tmp = tempfile::tempdir().expect("temporary directory");
    let tables = 8;
    let t0 = Instant::now();
    let bytes = snapgen::generate(
        tmp.path(),
        "WE8ISO8859P15",
        tables,
        mb * 1_000_000 / tables as u64,
        snapgen::Mix::LatinHeavy,
        1,
    )
    .expect("generate snapshot");
    println!(
        "snapshot_scan: {:.0} MB in {tables} tables generated in {:.1}s; best/median of {samples} scans",
        bytes as f64 / 1e6,
        t0.elapsed().as_secs_f64()
    );
    let src = SnapshotSource::open(tmp.path()).expect("open snapshot");
    let mut rows = 0;
    for jobs in [1usize, 2] {
        let opts = ScanOptions {
            jobs,
            max_exceptions: 100,
            ..ScanOptions::default()
        };
        scan::run(&src, &opts, &NoProgress).expect("warm-up scan");
        let mut rates = Vec::new();
        let cpu_start = cpu_seconds();
        for _ in 0..samples {
            let start = Instant::now();
            let result = scan::run(&src, &opts, &NoProgress).expect("scan");
            let secs = start.elapsed().as_secs_f64();
            rows = result.tables.iter().map(|t| t.rows).sum::<u64>();
            assert_eq!(
                result.tables.iter().map(|t| t.bytes_read).sum::<u64>() + header_bytes(&src),
                bytes_on_disk(tmp.path())
            );
            rates.push(bytes as f64 / secs / 1e6);
        }
        let per_cpu = match (cpu_start, cpu_seconds()) {
            (Some(a), Some(b)) if b > a => {
                format!("{:.0}", (bytes * samples as u64) as f64 / (b - a) / 1e6)
            }
            _ => "n/a".into(),
        };
        rates.sort_by(|a, b| b.partial_cmp(a).unwrap());
        println!(
            "--jobs {jobs}: {:>6.0} / {:<6.0} MB/s wall, {per_cpu} MB per CPU-second  ({rows} rows)",
            rates[0],
            rates[rates.len() / 2]
        );
    }
}

/// User + system CPU time of this process so far (Linux `/proc/self/stat`, 100 Hz ticks):
/// on a shared machine, wall-clock rates understate the engine; CPU time does not.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Bytes of the data files' header lines, which the engine reads but does not count.
fn header_bytes(src: &SnapshotSource) -> u64 {
    use charmig::source::Source;
    src.catalog()
        .tables
        .iter()
        .map(|t| {
            ("ROWID".len() + t.columns.iter().map(|c| c.name.len() + 1).sum::<usize>() + 1) as u64
        })
        .sum()
}

fn bytes_on_disk(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir.join("data"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}
