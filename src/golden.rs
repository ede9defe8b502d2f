//! Golden-file comparison for the unit tests of generated SQL and scripts: a change to a
//! statement shows up as a failing test naming the first differing line.
//! `UPDATE_GOLDEN=1 cargo test` rewrites the files; review the diff before committing.

use std::path::Path;

/// Compares `got` with the file at `rel` (relative to the crate root), or rewrites the file
/// when UPDATE_GOLDEN is set.
pub fn assert_golden(rel: &str, got: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("a file path")).unwrap();
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {} (run with UPDATE_GOLDEN=1)",
            path.display()
        )
    });
    if got != want {
        let line = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(got.lines().count().min(want.lines().count()));
        panic!(
            "{} differs from its golden copy at line {}:\n  got:  {:?}\n  want: {:?}\n(UPDATE_GOLDEN=1 rewrites it; review the diff)",
            path.display(),
            line + 1,
            got.lines().nth(line),
            want.lines().nth(line)
        );
    }
}
