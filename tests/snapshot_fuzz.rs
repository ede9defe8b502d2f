//! The snapshot reader under arbitrary damage (issue 13: fuzz the snapshot reader): a real
//! fixture snapshot with random bytes written over, inserted into or cut from one of its files
//! must never panic or hang: it opens and scans, or fails with an error that names the file
//! (the damaged one, or the snapshot file the damage led to).

use charmig::scan::{self, NoProgress, ScanOptions};
use charmig::source::snapshot::SnapshotSource;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

const FIXTURE: &str = "tests/fixtures/snapshots/p15";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            if p.file_name()
                .is_some_and(|n| n == "expected" || n == "expected-to-utf8")
            {
                continue;
            }
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[derive(Debug, Clone)]
enum Damage {
    Overwrite(usize, Vec<u8>),
    Insert(usize, Vec<u8>),
    Cut(usize, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    // Bytes a CSV reader finds interesting more often than uniform noise would give them.
    let byte = prop_oneof![
        any::<u8>(),
        Just(b','),
        Just(b'"'),
        Just(b'\n'),
        Just(b'\r'),
        Just(b'x'),
        Just(b'F'),
        Just(0u8),
    ];
    let bytes = proptest::collection::vec(byte, 1..12);
    prop_oneof![
        (any::<usize>(), bytes.clone()).prop_map(|(at, b)| Damage::Overwrite(at, b)),
        (any::<usize>(), bytes).prop_map(|(at, b)| Damage::Insert(at, b)),
        (any::<usize>(), 1usize..64).prop_map(|(at, n)| Damage::Cut(at, n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn a_damaged_snapshot_is_scanned_or_refused_naming_the_file(
        which in any::<usize>(),
        d in damage(),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("snap");
        copy_dir(Path::new(FIXTURE), &dir);
        let all = files(&dir);
        let victim = &all[which % all.len()];
        let mut bytes = std::fs::read(victim).unwrap();
        match &d {
            Damage::Overwrite(at, b) => {
                let at = at % bytes.len().max(1);
                for (i, x) in b.iter().enumerate() {
                    if at + i < bytes.len() {
                        bytes[at + i] = *x;
                    }
                }
            }
            Damage::Insert(at, b) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, b.iter().copied());
            }
            Damage::Cut(at, n) => {
                let at = at % bytes.len().max(1);
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
        }
        std::fs::write(victim, &bytes).unwrap();
        let name = victim.file_name().unwrap().to_string_lossy().into_owned();
        // An error names the damaged file, or the file of the snapshot it led to.
        let place = dir.to_string_lossy().into_owned();
        let result = SnapshotSource::open(&dir)
            .map_err(|e| e.to_string())
            .and_then(|src| {
                scan::run(&src, &ScanOptions::default(), &NoProgress)
                    .map_err(|e| e.to_string())
                    .map(|r| r.skipped.iter().filter(|s| s.error).map(|s| format!("{}: {}", s.object, s.reason)).collect::<Vec<_>>())
            });
        match result {
            Ok(errors) => {
                // A table that could not be read is an error in the result, naming its file.
                for e in &errors {
                    prop_assert!(e.contains(&name) || e.contains(&place), "{e}");
                }
            }
            Err(e) => prop_assert!(
                e.contains(&name) || e.contains(&place),
                "damage {d:?} in {name}: the error does not name the file: {e}"
            ),
        }
    }
}
