//! One binary a DBA can carry to a database host: `cargo install --path .` installs it, and it
//! needs nothing at run time but the system's C library (TLS is rustls, linked in; Oracle
//! Instant Client is loaded at run time only when an Oracle database is reached).

use std::path::Path;
use std::process::Command;

/// Libraries every Linux program may need: the C library and its loader.
const ALLOWED: &[&str] = &[
    "linux-vdso.so",
    "ld-linux",
    "libc.so",
    "libm.so",
    "libgcc_s.so",
    "libpthread.so",
    "libdl.so",
    "librt.so",
];

fn needed(binary: &Path) -> Vec<String> {
    let o = Command::new("ldd")
        .arg(binary)
        .output()
        .expect("run ldd (Debian's libc-bin)");
    assert!(
        o.status.success(),
        "ldd {}: {}",
        binary.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

fn check_only_libc(binary: &Path) {
    let libs = needed(binary);
    assert!(libs.iter().any(|l| l.starts_with("libc.so")), "{libs:?}");
    let extra: Vec<&String> = libs
        .iter()
        .filter(|l| !ALLOWED.iter().any(|a| l.contains(a)))
        .collect();
    assert!(
        extra.is_empty(),
        "{} needs more than libc at run time: {extra:?} (all: {libs:?})",
        binary.display()
    );
}

#[test]
fn the_binary_needs_only_the_c_library() {
    // The test build links the same libraries as `cargo build --release` (same dependencies;
    // docs/deploy.md shows `ldd target/release/charmig`).
    check_only_libc(Path::new(env!("CARGO_BIN_EXE_charmig")));
    // Oracle's client library is not a link dependency: it is opened when needed.
    let libs = needed(Path::new(env!("CARGO_BIN_EXE_charmig")));
    assert!(
        !libs
            .iter()
            .any(|l| l.contains("clntsh") || l.contains("ssl") || l.contains("crypto"))
    );
}

#[test]
fn cargo_install_path_works() {
    let root = tempfile::tempdir().unwrap();
    let manifest = env!("CARGO_MANIFEST_DIR");
    // The debug profile, in a target directory of its own (sharing the test build's would make
    // each rebuild the other's charmig: features differ with dev-dependencies); after its first
    // run it only relinks. `cargo install --path .` for the release build is the same command
    // without --debug.
    let target = Path::new(manifest).join("target/install-check");
    let o = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "install",
            "--path",
            manifest,
            "--locked",
            "--offline",
            "--debug",
            "--root",
        ])
        .arg(root.path())
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("run cargo install");
    assert!(
        o.status.success(),
        "cargo install: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let bin = root.path().join("bin/charmig");
    check_only_libc(&bin);
    let v = Command::new(&bin).arg("--version").output().unwrap();
    assert!(
        String::from_utf8_lossy(&v.stdout).starts_with("charmig "),
        "{}",
        String::from_utf8_lossy(&v.stdout)
    );
    // It works away from the source tree.
    let out = root.path().join("report");
    let o = Command::new(&bin)
        .args(["scan", "--snapshot"])
        .arg(Path::new(manifest).join("demo/snapshot"))
        .arg("--out")
        .arg(&out)
        .current_dir(root.path())
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.join("report.html").is_file());
}
