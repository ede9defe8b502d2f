//! SQL rendering per dialect: identifier quoting and literal quoting. Every identifier
//! charmig writes into SQL goes through one tested function of its dialect.

pub mod oracle;
