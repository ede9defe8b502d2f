//! Cleaning data before the move: cutting over-long values to fit (`cut`) and repairing
//! stray Windows-1252 bytes and double-encoded UTF-8 (`repair`). The functions here are
//! pure: they compute the new bytes and say exactly what changed; the database layer writes
//! them together with the originals into an audit table.

pub mod changes;
pub mod cut;
pub mod oracle_script;
pub mod pg_apply;
pub mod pg_restore;
pub mod pg_sql;
pub mod pg_stream;
pub mod repair;
pub mod scan_file;
