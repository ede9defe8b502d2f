//! `charmig schema`: creates the target's schema from the source's dictionary.
//!
//! - `model`: the definition model (what a CREATE needs, what verify compares).
//! - `pg_catalog`, `pg_depend`: read a PostgreSQL database into that model.

pub mod model;
pub mod pg_catalog;
mod pg_depend;
