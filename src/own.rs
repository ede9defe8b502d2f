//! charmig's own objects: the one schema where audit tables (CHARMIG_REPAIRED,
//! CHARMIG_TRUNCATED), logs (plan, copy, DDL) and state live, and the test that keeps them out
//! of every scan, clean-up, plan, copy, schema and verify run.
//!
//! PostgreSQL: schema `charmig` (lower case, so `charmig.charmig_repaired` works as typed in
//! psql). Oracle: schema `CHARMIG`. Tables named `charmig_*` in any schema (where older runs put
//! their logs) are charmig's too.

use crate::charset::Dialect;

/// charmig's schema in a PostgreSQL database.
pub const PG_SCHEMA: &str = "charmig";
/// charmig's schema in an Oracle database.
pub const ORACLE_SCHEMA: &str = "CHARMIG";

/// charmig's schema for a dialect.
pub fn schema(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Oracle => ORACLE_SCHEMA,
        Dialect::Postgres => PG_SCHEMA,
    }
}

/// True for charmig's own schema (either dialect's spelling).
pub fn is_own_schema(owner: &str) -> bool {
    owner == PG_SCHEMA || owner == ORACLE_SCHEMA
}

/// True for a table charmig created for itself: anything in its schema, and `charmig_*` /
/// `CHARMIG_*` tables elsewhere (logs of older runs, or an `--audit-schema` the DBA chose).
pub fn is_own_table(owner: &str, table: &str) -> bool {
    is_own_schema(owner)
        || table
            .get(..8)
            .is_some_and(|p| p.eq_ignore_ascii_case("charmig_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_objects() {
        assert!(is_own_table("charmig", "anything"));
        assert!(is_own_table("CHARMIG", "T"));
        assert!(is_own_table("public", "charmig_copy_log"));
        assert!(is_own_table("AUDIT", "CHARMIG_REPAIRED"));
        assert!(!is_own_table("public", "charmigration"));
        assert!(!is_own_table("Charmig", "t"));
        assert!(!is_own_table("public", "ç"));
        assert_eq!(schema(Dialect::Postgres), "charmig");
        assert_eq!(schema(Dialect::Oracle), "CHARMIG");
    }
}
