//! charmig: move Oracle (and PostgreSQL) databases from a legacy character set to UTF-8
//! without losing a byte. See ARCHITECTURE in the repository's docs for the shape.

pub mod catalog;
pub mod charset;
pub mod clean;
pub mod cli;
pub mod copy;
pub mod dialect;
pub mod doctor;
#[doc(hidden)]
pub mod golden;
pub mod objects;
pub mod own;
pub mod plan;
pub mod report;
pub mod scan;
pub mod schema;
pub mod source;
pub mod verify;
