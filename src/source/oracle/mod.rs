//! The live Oracle source: connect (`connect`), every statement sent (`sql`, golden-tested),
//! dictionary rows -> catalog (`dictionary`, tested over recorded rows), how columns are read
//! byte-exactly and tables cut into ROWID ranges (`layout`), the problem-object checks
//! (`objects`), and the source itself (`source`), the only part that needs a server.
//!
//! The `oracle` crate bundles ODPI-C and loads the Oracle client library at run time, so
//! charmig builds without Oracle software; without an Instant Client, connecting fails with
//! DPI-1047 and charmig says what to install (see `connect::instant_client_missing`).

pub mod apply;
mod chunk;
pub mod connect;
mod data_sql;
pub mod ddl;
pub mod dictionary;
pub mod extras;
pub mod layout;
pub mod objects;
pub mod snapshot_dict;
mod source;
pub mod sql;

pub use source::{OracleConnector, OracleSource};

/// `sql/export_snapshot.sql`: the SQL*Plus export of a charmig-snapshot/1 directory.
pub const EXPORT_SNAPSHOT_SQL: &str = include_str!("../../../sql/export_snapshot.sql");
/// `sql/problem_objects.sql`: the problem-object checks for SQL*Plus.
pub const PROBLEM_OBJECTS_SQL: &str = include_str!("../../../sql/problem_objects.sql");
