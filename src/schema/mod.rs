//! `charmig schema`: creates the target's schema from the source's dictionary.
//!
//! - `model`: the definition model (what a CREATE needs, what verify compares).
//! - `pg_catalog`, `pg_depend`: read a PostgreSQL database into that model.
//! - `names`: names longer than a UTF-8 target keeps (refused).
//! - `closure`: which objects: the chosen schemas plus what they need from elsewhere.
//! - `statement`: one DDL statement, its log key, names made safe for one line.
//! - `postgres` (+ `pg_acl`: comments and grants): the PostgreSQL statements, in load
//!   order, both phases.
//! - `pg_run`: runs them against the target, logged in `charmig.charmig_ddl_log`, resumable.
//! - `oracle_sql`, `oracle`: Oracle: the DBMS_METADATA calls and their DDL as statements.
//! - `script`: the same statements as a psql or SQL*Plus script.

pub mod closure;
pub mod model;
pub mod names;
pub mod oracle;
pub mod oracle_sql;
mod pg_acl;
pub mod pg_catalog;
mod pg_depend;
pub mod pg_run;
pub mod postgres;
pub mod script;
pub mod statement;
pub mod text_check;

/// The `COMMENT ON`, `GRANT` and `REVOKE` statements `charmig schema` writes for `m` (also
/// what `charmig verify` compares: one definition of both).
pub fn comments_and_grants(m: &model::SchemaModel) -> Vec<statement::DdlStatement> {
    let mut out = Vec::new();
    pg_acl::comments_and_grants(m, &mut out);
    pg_acl::trigger_comments(m, &mut out);
    out
}

/// The `ALTER … OWNER TO` statements `charmig schema` writes for `m` (and verify compares).
pub fn owners(m: &model::SchemaModel) -> Vec<statement::DdlStatement> {
    let mut out = Vec::new();
    pg_acl::owners(m, &mut out);
    out
}
