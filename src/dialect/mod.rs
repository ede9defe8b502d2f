//! SQL rendering per dialect: identifier quoting and literal quoting. Every identifier
//! charmig writes into SQL goes through one tested function of its dialect:
//! [`oracle::ident`] or [`postgres::ident`]; [`ident`] picks by dialect.

pub mod oracle;
pub mod postgres;
pub mod text;

use crate::charset::Dialect;

/// Quotes an identifier in a dialect.
///
/// Oracle forbids `"` and NUL in identifiers, so [`oracle::ident`] refuses them; the commands
/// that write Oracle SQL check every name first with [`oracle::check_names`] and stop with a
/// clear message. Should a forbidden name still reach this point it is written with the `"`
/// doubled: Oracle then rejects the statement, which is loud, rather than anything silent.
pub fn ident(d: Dialect, name: &str) -> String {
    match d {
        Dialect::Postgres => postgres::ident(name),
        Dialect::Oracle => oracle::ident(name).unwrap_or_else(|_| postgres::ident(name)),
    }
}

/// `owner.name` quoted in a dialect.
pub fn qualified(d: Dialect, owner: &str, name: &str) -> String {
    format!("{}.{}", ident(d, owner), ident(d, name))
}

/// A string literal for a script (both dialects double `'`).
pub fn literal(d: Dialect, value: &str) -> String {
    match d {
        Dialect::Postgres => postgres::literal(value),
        Dialect::Oracle => oracle::literal(value),
    }
}

/// A name (or any database text) as it may appear in a comment line, a PROMPT or a message of
/// this dialect: always one line, nothing a client would act on (see [`text`]).
pub fn comment_text(d: Dialect, name: &str) -> String {
    match d {
        Dialect::Postgres => text::escape(name),
        Dialect::Oracle => text::escape_sqlplus(name),
    }
}
