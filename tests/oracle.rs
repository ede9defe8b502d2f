//! Live Oracle tests: they run when `CHARMIG_ORACLE_URL` names a database (and
//! `CHARMIG_PASSWORD` its password); without it each prints `SKIPPED (…): <name>` and passes,
//! so a skipped run is visible in `cargo test -- --nocapture` and never mistaken for a pass
//! against Oracle. How to run them against the gvenzl/oracle-free container: tests/oracle/README.md.

#[path = "oracle/live.rs"]
mod live;
#[path = "oracle/live_issue12.rs"]
mod live_issue12;
#[path = "oracle/live_verify.rs"]
mod live_verify;
