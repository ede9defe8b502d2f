//! `charmig schema`: creates the target's schema from the source's dictionary.
//!
//! - `model`: the definition model (what a CREATE needs, what verify compares).
//! - `pg_catalog`, `pg_depend`: read a PostgreSQL database into that model.
//! - `closure`: which objects: the chosen schemas plus what they need from elsewhere.
//! - `statement`: one DDL statement, its log key, names made safe for one line.
//! - `postgres`: the PostgreSQL statements, in load order, both phases.
//! - `pg_run`: runs them against the target, logged in `charmig.charmig_ddl_log`, resumable.
//! - `script`: the same statements as a psql script.

pub mod closure;
pub mod model;
pub mod pg_catalog;
mod pg_depend;
pub mod pg_run;
pub mod postgres;
pub mod script;
pub mod statement;
