//! Engine-level properties: generated snapshots in a temporary directory are scanned by the
//! real engine, and its figures are held to the classifier cell by cell (counts add up,
//! nulls, max_post_bytes, exceptions) and to themselves across `--jobs`.

#[path = "../benches/support/snapgen.rs"]
mod snapgen;

use charmig::catalog::ColumnKind;
use charmig::charset::classify::ColumnProfile;
use charmig::charset::{Category, Flags, Target, classify, resolve};
use charmig::scan::{self, Counts, NoProgress, ScanOptions, ScanResult};
use charmig::source::Source;
use charmig::source::snapshot::SnapshotSource;
use proptest::prelude::*;
use snapgen::{Column, Mix, SnapshotWriter};

type Row = Vec<Option<Vec<u8>>>;

fn columns() -> Vec<Column> {
    vec![
        Column {
            name: "ID",
            data_type: "NUMBER",
            data_length: 22,
            char_used: "",
        },
        Column {
            name: "NAME",
            data_type: "VARCHAR2",
            data_length: 12,
            char_used: "B",
        },
        Column {
            name: "CODE",
            data_type: "CHAR",
            data_length: 8,
            char_used: "B",
        },
        Column {
            name: "TITLE",
            data_type: "VARCHAR2",
            data_length: 6,
            char_used: "C",
        },
        Column {
            name: "BODY",
            data_type: "CLOB",
            data_length: 4000,
            char_used: "",
        },
    ]
}

/// Values that hit every category: ASCII, Latin, C1, UTF-8, blanks, arbitrary bytes, and
/// lengths around the small limits above.
fn cell() -> impl Strategy<Value = Option<Vec<u8>>> {
    let piece = prop_oneof![
        4 => proptest::collection::vec(0x20u8..0x7F, 1..6),
        2 => proptest::collection::vec(0xA0u8..=0xFF, 1..3),
        1 => proptest::collection::vec(0x80u8..0xA0, 1..2),
        1 => any::<char>().prop_map(|c| c.to_string().into_bytes()),
        1 => proptest::collection::vec(Just(b' '), 1..5),
        1 => any::<u8>().prop_map(|b| vec![b]),
    ];
    let value = proptest::collection::vec(piece, 0..6).prop_map(|v| v.concat());
    prop_oneof![1 => Just(None), 5 => value.prop_map(Some)]
}

fn row() -> impl Strategy<Value = Row> {
    (0u64..1_000_000, cell(), cell(), cell(), cell())
        .prop_map(|(id, a, b, c, d)| vec![Some(id.to_string().into_bytes()), a, b, c, d])
}

fn scan_dir(dir: &std::path::Path, opts: &ScanOptions) -> (SnapshotSource, ScanResult) {
    let src = SnapshotSource::open(dir).expect("generated snapshot opens");
    let result = scan::run(&src, opts, &NoProgress).expect("scan runs");
    (src, result)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Per column: the four categories add up to rows - nulls, and every figure equals what
    /// the classifier says of the generated cells one by one.
    #[test]
    fn engine_counts_add_up_and_match_the_classifier(
        charset in proptest::sample::select(vec!["WE8ISO8859P15", "WE8MSWIN1252", "US7ASCII", "AL32UTF8", "UTF8"]),
        target in prop_oneof![Just(Target::Al32Utf8), Just(Target::Cesu8)],
        char_semantics in any::<bool>(),
        tables in proptest::collection::vec(proptest::collection::vec(row(), 0..40), 1..3),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let mut w = SnapshotWriter::new(tmp.path(), "oracle", charset).unwrap();
        for (t, rows) in tables.iter().enumerate() {
            w.table("PROP", &format!("T{t}"), &columns(), rows.iter().cloned()).unwrap();
        }
        w.finish().unwrap();
        let opts = ScanOptions { target, char_semantics, max_exceptions: 3, ..ScanOptions::default() };
        let (src, result) = scan_dir(tmp.path(), &opts);
        let catalog = src.catalog();
        let encoding = resolve(charset, catalog.source.dialect).unwrap().encoding;
        prop_assert_eq!(result.columns.len(), tables.len() * 4);
        for c in &result.columns {
            let t: usize = c.table_name[1..].parse().unwrap();
            let table = &catalog.tables[t];
            let ci = table.columns.iter().position(|col| col.name == c.column_name).unwrap();
            let col = &table.columns[ci];
            let (mut limit, limit_char) = col.limits(&catalog.source);
            if char_semantics {
                limit = limit_char;
            }
            let trim = col.kind(catalog.source.dialect) == ColumnKind::Char;
            let p = ColumnProfile::new(encoding, target, trim, limit, limit_char);
            let (mut counts, mut counts_char, mut nulls, mut max_post) = (Counts::default(), Counts::default(), 0u64, None);
            // Cells listed as exceptions: truncation, lossy, and findings (pass-through, double-encoded, U+FFFD).
            let mut wanted = 0u64;
            for r in &tables[t] {
                match &r[ci] {
                    None => nulls += 1,
                    Some(v) => {
                        let verdict = classify(v, &p);
                        counts.add(verdict.category, 1);
                        counts_char.add(verdict.category_char, 1);
                        if verdict.category >= Category::Truncation || verdict.flags.intersects(Flags::FINDINGS) {
                            wanted += 1;
                        }
                        if verdict.category != Category::Lossy {
                            max_post = max_post.max(Some(verdict.post_bytes as u64));
                        }
                    }
                }
            }
            let what = format!("{}.{}", c.table_name, c.column_name);
            prop_assert_eq!(c.rows, tables[t].len() as u64, "{}", what);
            prop_assert_eq!(c.counts.total(), c.rows - c.nulls, "{}", what);
            prop_assert_eq!(c.char_semantics.total(), c.rows - c.nulls, "{}", what);
            prop_assert_eq!(c.nulls, nulls, "{}", what);
            prop_assert_eq!(c.counts, counts, "{}", what);
            prop_assert_eq!(c.char_semantics, counts_char, "{}", what);
            prop_assert_eq!(c.max_post_bytes, max_post, "{}", what);
            prop_assert_eq!(c.exceptions_listed, wanted.min(3), "{}", what);
            let listed = result.exceptions.iter()
                .filter(|e| e.table_name == c.table_name && e.column_name == c.column_name)
                .count() as u64;
            prop_assert_eq!(listed, c.exceptions_listed, "{}", what);
        }
    }
}

/// Everything a scan reports except timings, as JSON for an exact comparison.
fn comparable(r: &ScanResult) -> serde_json::Value {
    serde_json::json!({
        "tables": r.tables,
        "columns": r.columns,
        "exceptions": r.exceptions,
        "not_affected": r.not_affected,
        "skipped": r.skipped,
    })
}

#[test]
fn results_do_not_depend_on_jobs() {
    let tmp = tempfile::tempdir().unwrap();
    // Three tables of about 2.5 MiB each: several 1 MiB chunks per table.
    let per_table = 5 << 19;
    snapgen::generate(
        tmp.path(),
        "WE8ISO8859P15",
        3,
        per_table,
        Mix::StrayHeavy,
        42,
    )
    .unwrap();
    for t in 0..3 {
        let len = std::fs::metadata(tmp.path().join(format!("data/BENCH.T{t}.csv")))
            .unwrap()
            .len();
        assert!(
            len > 2 << 20,
            "table T{t} has {len} bytes: fewer than three chunks"
        );
    }
    for max_exceptions in [5, 10_000] {
        let run = |jobs| {
            let opts = ScanOptions {
                jobs,
                max_exceptions,
                ..ScanOptions::default()
            };
            comparable(&scan_dir(tmp.path(), &opts).1)
        };
        let one = run(1);
        let problems: u64 = one["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["truncation"].as_u64().unwrap() + c["lossy"].as_u64().unwrap())
            .sum();
        assert!(
            problems > 100,
            "the generated data must have exceptions to order ({problems})"
        );
        for jobs in [2, 4] {
            assert!(
                run(jobs) == one,
                "--jobs {jobs} differs from --jobs 1 (max_exceptions {max_exceptions})"
            );
        }
    }
}
