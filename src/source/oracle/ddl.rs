//! Index DDL from DBMS_METADATA, for `charmig plan` and `charmig ddl indexes`: the statements
//! that re-create the secondary indexes a plan drops before the copy.
//!
//! Session transforms first: no SQL terminator (charmig adds its own), no STORAGE clause (the
//! target's defaults apply), segment attributes and tablespace kept (the DBA edits the script
//! if the target's tablespaces differ).

use super::sql::Stmt;

/// The session transforms, run once before the GET_DDL calls.
pub fn transforms() -> Stmt {
    Stmt {
        sql: "BEGIN\n  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'SQLTERMINATOR', FALSE);\n  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'PRETTY', TRUE);\n  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'STORAGE', FALSE);\n  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'SEGMENT_ATTRIBUTES', TRUE);\n  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'TABLESPACE', TRUE);\nEND;".into(),
        binds: Vec::new(),
    }
}

/// The DDL of one index (binds: name, owner), as a CLOB.
pub fn index_ddl(owner: &str, name: &str) -> Stmt {
    Stmt {
        sql: "SELECT DBMS_METADATA.GET_DDL('INDEX', :1, :2) FROM DUAL".into(),
        binds: vec![name.to_string(), owner.to_string()],
    }
}
