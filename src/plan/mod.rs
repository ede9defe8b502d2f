//! Planning the move: ordered, reversible DDL steps (triggers, constraints, indexes, length
//! semantics, sequences) built from the catalog and a scan, rendered as SQL*Plus or psql
//! scripts and kept as `plan.json` for `charmig apply`.
//!
//! Planners decide what to do (`planner.rs`); `sql.rs` is the only place that spells
//! statements per dialect; `render.rs` writes the files.

pub mod apply;
pub mod model;
pub mod oracle_rules;
pub mod planner;
pub mod render;
pub mod sql;

pub use model::*;
pub use planner::make_plan;
pub use render::{read_plan, write_plan_dir};

#[cfg(test)]
mod tests;
