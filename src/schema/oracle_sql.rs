//! Every statement `charmig schema` sends to an Oracle source or target, as pure functions
//! (golden-tested in `tests/golden/schema/oracle/`). Values are bind variables; identifiers
//! go through [`crate::dialect::oracle`].
//!
//! Source: the session transforms DBMS_METADATA needs to script portable DDL, the objects of
//! the chosen owners, their dependencies (for the closure), the BYTE-semantics character
//! columns (for CHAR semantics), and the GET_DDL / GET_DEPENDENT_DDL calls.
//! Target: the DDL log CHARMIG.CHARMIG_DDL_LOG (created, read, merged), and the statements
//! charmig adds around DBMS_METADATA's own (disable / enable, refresh, recompile).

use crate::dialect::oracle::literal;
use crate::source::oracle::sql::Stmt;

fn stmt(sql: impl Into<String>, binds: Vec<String>) -> Stmt {
    Stmt {
        sql: sql.into(),
        binds,
    }
}

/// The session transforms, run once on the source before the GET_DDL calls:
/// - SQLTERMINATOR TRUE: each statement of a multi-statement result (a table and its
///   constraints; a trigger and its ALTER … ENABLE) ends with `;` or, after PL/SQL, a `/`
///   line, which is how charmig splits them;
/// - SEGMENT_ATTRIBUTES / STORAGE / TABLESPACE FALSE: the target's defaults apply
///   (`--tablespaces` keeps the TABLESPACE clause and drops only STORAGE);
/// - CONSTRAINTS_AS_ALTER TRUE: primary, unique and check constraints as separate
///   `ALTER TABLE … ADD CONSTRAINT` statements, each logged on its own;
/// - REF_CONSTRAINTS FALSE: foreign keys are scripted separately (GET_DDL REF_CONSTRAINT) so
///   they can be disabled for the copy;
/// - EMIT_SCHEMA TRUE: every name qualified with its owner.
pub fn transforms(tablespaces: bool) -> Stmt {
    let t = |p: &str, v: bool| {
        format!(
            "  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, '{p}', {});\n",
            if v { "TRUE" } else { "FALSE" }
        )
    };
    let mut s = String::from("BEGIN\n");
    s.push_str(&t("SQLTERMINATOR", true));
    s.push_str(&t("PRETTY", true));
    s.push_str(&t("SEGMENT_ATTRIBUTES", tablespaces));
    s.push_str(&t("STORAGE", false));
    s.push_str(&t("TABLESPACE", tablespaces));
    s.push_str(&t("CONSTRAINTS_AS_ALTER", true));
    s.push_str(&t("REF_CONSTRAINTS", false));
    s.push_str(&t("EMIT_SCHEMA", true));
    s.push_str("END;");
    stmt(s, Vec::new())
}

/// `:1, :2, …` for `n` binds starting at `first`.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!(":{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The object types charmig scripts, in creation order (DBMS_METADATA's names).
pub const OBJECT_TYPES: [&str; 13] = [
    "SEQUENCE",
    "TYPE",
    "TABLE",
    "INDEX",
    "VIEW",
    "FUNCTION",
    "PROCEDURE",
    "PACKAGE",
    "PACKAGE BODY",
    "TYPE BODY",
    "MATERIALIZED VIEW",
    "SYNONYM",
    "TRIGGER",
];

/// The objects of `owners` (binds: the owners) that charmig scripts. Indexes that enforce a
/// constraint come with the constraint; a materialized view's container table with the view;
/// system-generated and secondary objects are left out.
pub fn objects(owners: &[String]) -> Stmt {
    let types = OBJECT_TYPES
        .iter()
        .map(|t| literal(t))
        .collect::<Vec<_>>()
        .join(", ");
    stmt(
        format!(
            "SELECT o.owner AS owner, o.object_name AS name, o.object_type AS object_type, o.status AS status\n\
             FROM ALL_OBJECTS o\n\
             WHERE o.owner IN ({})\n  AND o.object_type IN ({types})\n  AND o.generated = 'N' AND o.secondary = 'N'\n  \
             AND NOT (o.object_type = 'TABLE' AND EXISTS (SELECT 1 FROM ALL_MVIEWS m WHERE m.owner = o.owner AND m.mview_name = o.object_name))\n  \
             AND NOT (o.object_type = 'INDEX' AND EXISTS (SELECT 1 FROM ALL_CONSTRAINTS c WHERE c.index_owner = o.owner AND c.index_name = o.object_name))\n\
             ORDER BY o.owner, o.object_name",
            placeholders(1, owners.len())
        ),
        owners.to_vec(),
    )
}

/// What the objects of `owners` need from other owners (binds: the owners, twice): object
/// dependencies (ALL_DEPENDENCIES: views, code, synonyms, types) and foreign keys' parents.
pub fn dependencies(owners: &[String]) -> Stmt {
    let n = owners.len();
    let mut binds = owners.to_vec();
    binds.extend(owners.iter().cloned());
    stmt(
        format!(
            "SELECT d.owner AS owner, d.name AS name, d.type AS object_type,\n       \
             d.referenced_owner AS ref_owner, d.referenced_name AS ref_name, d.referenced_type AS ref_type\n\
             FROM ALL_DEPENDENCIES d\n\
             WHERE d.owner IN ({})\n  AND d.referenced_owner <> d.owner\n  AND d.referenced_type <> 'NON-EXISTENT'\n\
             UNION\n\
             SELECT c.owner, c.table_name, 'TABLE', p.owner, p.table_name, 'TABLE'\n\
             FROM ALL_CONSTRAINTS c\n  JOIN ALL_CONSTRAINTS p ON p.owner = c.r_owner AND p.constraint_name = c.r_constraint_name\n\
             WHERE c.constraint_type = 'R' AND c.owner IN ({})\n  AND p.owner <> c.owner",
            placeholders(1, n),
            placeholders(n + 1, n)
        ),
        binds,
    )
}

/// The foreign keys of `owners` (binds: the owners), with their table and state.
pub fn foreign_keys(owners: &[String]) -> Stmt {
    stmt(
        format!(
            "SELECT c.owner AS owner, c.constraint_name AS name, c.table_name AS table_name,\n       \
             c.status AS status, c.validated AS validated\n\
             FROM ALL_CONSTRAINTS c\n\
             WHERE c.constraint_type = 'R' AND c.owner IN ({})\n\
             ORDER BY c.owner, c.table_name, c.constraint_name",
            placeholders(1, owners.len())
        ),
        owners.to_vec(),
    )
}

/// BYTE-semantics VARCHAR2 and CHAR columns of the tables of `owners` (binds: the owners):
/// the columns the target gets with CHAR semantics. From 12.1 (`invisible`) ALL_TAB_COLS
/// with USER_GENERATED = 'YES': its 12.1 reference says ALL_TAB_COLUMNS leaves out invisible
/// columns, which would keep their BYTE semantics.
pub fn byte_columns(owners: &[String], invisible: bool) -> Stmt {
    let (view, user) = if invisible {
        ("ALL_TAB_COLS", "\n  AND c.user_generated = 'YES'")
    } else {
        ("ALL_TAB_COLUMNS", "")
    };
    stmt(
        format!(
            "SELECT c.owner AS owner, c.table_name AS table_name, c.column_name AS column_name,\n       \
             c.data_type AS data_type, c.char_length AS char_length\n\
             FROM {view} c\n  JOIN ALL_TABLES t ON t.owner = c.owner AND t.table_name = c.table_name\n\
             WHERE c.owner IN ({})\n  AND c.char_used = 'B'\n  AND c.data_type IN ('VARCHAR2', 'CHAR'){user}\n\
             ORDER BY c.owner, c.table_name, c.column_id",
            placeholders(1, owners.len())
        ),
        owners.to_vec(),
    )
}

/// The sequences of `owners` (binds: the owners) with what the after-copy phase needs to move
/// the target's past them, numbers as text (MAXVALUE reaches 1e28): owner, name, INCREMENT_BY,
/// LAST_NUMBER, MAX_VALUE, MIN_VALUE. Identity columns' system sequences (`ISEQ$$_n`) are left
/// out: their column's generator is created with the table.
pub fn sequences(owners: &[String]) -> Stmt {
    stmt(
        format!(
            "SELECT s.sequence_owner AS owner, s.sequence_name AS name,\n       \
             TO_CHAR(s.increment_by) AS increment_by, TO_CHAR(s.last_number) AS last_number,\n       \
             TO_CHAR(s.max_value) AS max_value, TO_CHAR(s.min_value) AS min_value\n\
             FROM ALL_SEQUENCES s\n\
             WHERE s.sequence_owner IN ({})\n  AND s.sequence_name NOT LIKE 'ISEQ$$\\_%' ESCAPE '\\'\n\
             ORDER BY s.sequence_owner, s.sequence_name",
            placeholders(1, owners.len())
        ),
        owners.to_vec(),
    )
}

/// The identity columns of the tables of `owners` (binds: the owners): owner, table, column,
/// GENERATION_TYPE (ALWAYS / BY DEFAULT), DEFAULT_ON_NULL (YES / NO) from ALL_TAB_COLS (12.1+).
pub fn identity_columns(owners: &[String]) -> Stmt {
    stmt(
        format!(
            "SELECT i.owner AS owner, i.table_name AS table_name, i.column_name AS column_name,\n       \
             i.generation_type AS generation_type, c.default_on_null AS default_on_null\n\
             FROM ALL_TAB_IDENTITY_COLS i\n  JOIN ALL_TAB_COLS c ON c.owner = i.owner AND c.table_name = i.table_name\n   \
             AND c.column_name = i.column_name\n\
             WHERE i.owner IN ({})\n\
             ORDER BY i.owner, i.table_name, i.column_name",
            placeholders(1, owners.len())
        ),
        owners.to_vec(),
    )
}

/// DBMS_METADATA.GET_DDL (binds: object type, name, owner), as a CLOB.
pub fn get_ddl(object_type: &str, name: &str, owner: &str) -> Stmt {
    stmt(
        "SELECT DBMS_METADATA.GET_DDL(:1, :2, :3) FROM DUAL",
        vec![object_type.replace(' ', "_"), name.into(), owner.into()],
    )
}

/// DBMS_METADATA.GET_DEPENDENT_DDL (binds: dependent type — COMMENT or OBJECT_GRANT —, the
/// base object's name and owner). ORA-31608 means there is none.
pub fn get_dependent_ddl(dependent: &str, name: &str, owner: &str) -> Stmt {
    stmt(
        "SELECT DBMS_METADATA.GET_DEPENDENT_DDL(:1, :2, :3) FROM DUAL",
        vec![dependent.into(), name.into(), owner.into()],
    )
}

/// ORA-31608: specified object of type … not found (no comment / grant to script).
pub const ORA_NO_DEPENDENT: i32 = 31608;

/// The target's DDL log, in charmig's own schema.
pub const DDL_LOG_DDL: &str = "CREATE TABLE CHARMIG.CHARMIG_DDL_LOG (\n  STATEMENT_KIND VARCHAR2(40) NOT NULL,\n  OBJECT_OWNER   VARCHAR2(128) NOT NULL,\n  OBJECT_NAME    VARCHAR2(128) NOT NULL,\n  PART           VARCHAR2(400) NOT NULL,\n  PHASE          VARCHAR2(20) NOT NULL,\n  SEQ            NUMBER NOT NULL,\n  STATEMENT      CLOB NOT NULL,\n  STATUS         VARCHAR2(10) NOT NULL,\n  ERROR          VARCHAR2(4000),\n  ATTEMPTS       NUMBER DEFAULT 0 NOT NULL,\n  RUN_ID         VARCHAR2(100) NOT NULL,\n  STARTED        TIMESTAMP WITH TIME ZONE,\n  FINISHED       TIMESTAMP WITH TIME ZONE,\n  CONSTRAINT CHARMIG_DDL_LOG_PK PRIMARY KEY (STATEMENT_KIND, OBJECT_OWNER, OBJECT_NAME, PART)\n)";

/// The log's statuses (no binds). An empty part is stored as one space (Oracle's '' is NULL).
pub const DDL_LOG_STATUSES: &str =
    "SELECT STATEMENT_KIND, OBJECT_OWNER, OBJECT_NAME, PART, STATUS FROM CHARMIG.CHARMIG_DDL_LOG";

/// Binds (by position, each once): kind, owner, name, part, status, error, run id, phase,
/// seq, statement (the MERGE's USING row), then the same ten again for the INSERT.
pub const DDL_LOG_MERGE: &str = "MERGE INTO CHARMIG.CHARMIG_DDL_LOG l\nUSING (SELECT :1 AS k, :2 AS o, :3 AS n, :4 AS p, :5 AS st, :6 AS err, :7 AS run, :8 AS ph, :9 AS seq, :10 AS stmt FROM DUAL) x\n  ON (l.STATEMENT_KIND = x.k AND l.OBJECT_OWNER = x.o AND l.OBJECT_NAME = x.n AND l.PART = x.p)\nWHEN MATCHED THEN UPDATE SET l.STATUS = x.st, l.ERROR = x.err, l.RUN_ID = x.run, l.ATTEMPTS = l.ATTEMPTS + 1,\n  l.FINISHED = SYSTIMESTAMP\nWHEN NOT MATCHED THEN INSERT (STATEMENT_KIND, OBJECT_OWNER, OBJECT_NAME, PART, STATUS, ERROR, RUN_ID, PHASE, SEQ, STATEMENT, ATTEMPTS, STARTED, FINISHED)\n  VALUES (:11, :12, :13, :14, :15, :16, :17, :18, :19, :20, 1, SYSTIMESTAMP, SYSTIMESTAMP)";

/// The target session: PL/SQL compiled by this session declares `VARCHAR2(n)` without a
/// qualifier in characters. (Table columns do not depend on it: DBMS_METADATA writes BYTE or
/// CHAR on every column, and charmig switches columns one by one, see [`modify_char`].)
pub const TARGET_SESSION: &str = "ALTER SESSION SET NLS_LENGTH_SEMANTICS = CHAR";

/// `ALTER TABLE … MODIFY (col VARCHAR2(n CHAR))`: one BYTE column to CHAR semantics, same n.
pub fn modify_char(owner: &str, table: &str, column: &str, data_type: &str, n: u32) -> String {
    crate::plan::sql::modify_column(owner, table, column, &format!("{data_type}({n} CHAR)"))
}

/// Refreshes a materialized view completely (after the copy).
pub fn refresh_mview(owner: &str, name: &str) -> String {
    let q = crate::dialect::qualified(crate::charset::Dialect::Oracle, owner, name);
    format!(
        "BEGIN DBMS_MVIEW.REFRESH(list => {}, method => 'C'); END;",
        literal(&q)
    )
}

/// Recompiles what is invalid in a schema (views created FORCE before their tables' code,
/// code compiled before what it calls).
pub fn compile_schema(owner: &str) -> String {
    format!(
        "BEGIN DBMS_UTILITY.COMPILE_SCHEMA(schema => {}, compile_all => FALSE); END;",
        literal(owner)
    )
}
