//! Oracle statements of the DB-link copy (run in the target database). Golden-tested; see
//! docs/oracle-checklist.md for what only a live Oracle can confirm.

use crate::catalog::{ColumnKind, Table};
use crate::charset::Dialect;
fn quote(name: &str) -> String {
    crate::dialect::ident(Dialect::Oracle, name)
}

fn qualified(owner: &str, name: &str) -> String {
    crate::dialect::qualified(Dialect::Oracle, owner, name)
}

/// The state table, created in the schema of the connecting user if absent.
pub const COPY_LOG_DDL: &str = "CREATE TABLE CHARMIG_COPY_LOG (\n  TABLE_OWNER VARCHAR2(128 CHAR) NOT NULL,\n  TABLE_NAME  VARCHAR2(128 CHAR) NOT NULL,\n  STATE       VARCHAR2(10) NOT NULL,\n  ROWS_COPIED NUMBER,\n  STARTED     TIMESTAMP WITH TIME ZONE,\n  FINISHED    TIMESTAMP WITH TIME ZONE,\n  ERROR       VARCHAR2(4000),\n  RUN_ID      VARCHAR2(64) NOT NULL,\n  CONSTRAINT CHARMIG_COPY_LOG_PK PRIMARY KEY (TABLE_OWNER, TABLE_NAME)\n)";

/// Records a table's state (binds: owner, table, state, rows, error, run id).
pub const COPY_LOG_MERGE: &str = "MERGE INTO CHARMIG_COPY_LOG l\nUSING (SELECT :1 AS o, :2 AS t FROM DUAL) s ON (l.TABLE_OWNER = s.o AND l.TABLE_NAME = s.t)\nWHEN MATCHED THEN UPDATE SET STATE = :3, ROWS_COPIED = :4, ERROR = :5, RUN_ID = :6,\n  STARTED = CASE WHEN :3 = 'running' THEN SYSTIMESTAMP ELSE STARTED END,\n  FINISHED = CASE WHEN :3 = 'running' THEN NULL ELSE SYSTIMESTAMP END\nWHEN NOT MATCHED THEN INSERT (TABLE_OWNER, TABLE_NAME, STATE, ROWS_COPIED, ERROR, RUN_ID, STARTED)\n  VALUES (s.o, s.t, :3, :4, :5, :6, SYSTIMESTAMP)";

/// Two copies at once against one target are refused: an exclusive, session-held lock.
pub const COPY_LOCK: &str = "DECLARE\n  h VARCHAR2(128);\n  r INTEGER;\nBEGIN\n  DBMS_LOCK.ALLOCATE_UNIQUE('CHARMIG_COPY', h);\n  r := DBMS_LOCK.REQUEST(h, DBMS_LOCK.X_MODE, 0, FALSE);\n  IF r NOT IN (0, 4) THEN\n    RAISE_APPLICATION_ERROR(-20001, 'another charmig copy is running against this database (DBMS_LOCK result ' || r || ')');\n  END IF;\nEND;";

/// A database link name: letters, digits, `_ $ # .` and `@` (for connection qualifiers).
/// Anything else is refused rather than quoted: link names are not ordinary identifiers.
pub fn check_link(name: &str) -> Result<&str, String> {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_$#.@".contains(c))
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
    {
        Ok(name)
    } else {
        Err(format!(
            "database link name `{name}` is not a plain link name (letters, digits, _ $ # . @)"
        ))
    }
}

/// Whether the table can cross a database link (LONG columns cannot: ORA-00997).
pub fn crosses_link(table: &Table) -> bool {
    link_refusal(table).is_none()
}

/// Oracle's built-in column types (TIMESTAMP(6) WITH TIME ZONE, INTERVAL DAY(2) TO SECOND(6) …
/// by their first word). Anything else is an object type (XMLTYPE, SDO_GEOMETRY, a user's
/// type), which cannot be selected over a database link (ORA-22804).
fn is_builtin_type(data_type: &str) -> bool {
    let t = data_type.trim().to_ascii_uppercase();
    let first = t.split(['(', ' ']).next().unwrap_or("");
    matches!(
        first,
        "NUMBER"
            | "FLOAT"
            | "BINARY_FLOAT"
            | "BINARY_DOUBLE"
            | "VARCHAR2"
            | "VARCHAR"
            | "NVARCHAR2"
            | "CHAR"
            | "NCHAR"
            | "DATE"
            | "TIMESTAMP"
            | "INTERVAL"
            | "RAW"
            | "LONG"
            | "CLOB"
            | "NCLOB"
            | "BLOB"
            | "BFILE"
            | "ROWID"
            | "UROWID"
    )
}

/// Why a table cannot be copied over a database link, or `None`: LONG and LONG RAW columns
/// (ORA-00997) and object-type columns (ORA-22804) do not cross a link.
pub fn link_refusal(table: &Table) -> Option<String> {
    for c in &table.columns {
        let shown = crate::dialect::comment_text(Dialect::Oracle, &c.name);
        if c.kind(Dialect::Oracle) == ColumnKind::Long
            || c.data_type.eq_ignore_ascii_case("LONG RAW")
        {
            return Some(format!(
                "column {shown} is {}, which cannot cross a database link (ORA-00997); a client copy for Oracle is not available yet",
                c.data_type
            ));
        }
        if !is_builtin_type(&c.data_type) {
            return Some(format!(
                "column {shown} has the object type {}, which cannot be selected over a database link (ORA-22804); copy the table with Data Pump or a client tool",
                crate::dialect::comment_text(Dialect::Oracle, &c.data_type)
            ));
        }
    }
    None
}

/// GENERATED ALWAYS identity columns of a target table (binds: owner, table): an INSERT that
/// gives them values fails (ORA-32795), so the copy refuses the table and says what to do.
pub const TARGET_ALWAYS_IDENTITY: &str = "SELECT column_name FROM all_tab_identity_cols\n WHERE owner = :1 AND table_name = :2 AND generation_type = 'ALWAYS'\n ORDER BY column_name";

/// Whether the connecting user may execute SYS.DBMS_LOCK (the run lock): it is not granted to
/// PUBLIC, and without it the lock block fails to compile (PLS-00201). ALL_OBJECTS lists the
/// package only to users allowed to use it.
pub const DBMS_LOCK_GRANTED: &str = "SELECT COUNT(*) FROM all_objects\n WHERE owner = 'SYS' AND object_name = 'DBMS_LOCK' AND object_type = 'PACKAGE'";

fn column_list(table: &Table) -> String {
    table
        .columns
        .iter()
        .map(|c| quote(&c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn truncate(table: &Table) -> String {
    format!("TRUNCATE TABLE {}", qualified(&table.owner, &table.name))
}

/// Direct-path insert across the link; commit right after it (ORA-12840 otherwise).
pub fn insert_via_link(table: &Table, link: &str) -> String {
    let cols = column_list(table);
    format!(
        "INSERT /*+ APPEND */ INTO {t} ({cols})\nSELECT {cols} FROM {t}@{link}",
        t = qualified(&table.owner, &table.name)
    )
}

/// The characters Oracle's conversion to AL32UTF8 makes of bytes without meaning in a
/// single-byte source charset: U+0080–U+009F (WE8ISO8859P1/P15 map 0x80–0x9F to them; the
/// scan calls those cells lossy) and U+FFFD (the replacement character). Listed one by one,
/// not as a range, so no linguistic NLS_SORT changes what the bracket holds.
fn lossy_class() -> String {
    let chars: String = (0x80..=0x9f)
        .chain(std::iter::once(0xfffd))
        .map(|c| format!("\\{c:04X}"))
        .collect();
    format!("'[' || UNISTR('{chars}') || ']'")
}

/// After a table's load: the first character column holding a character of [`lossy_class`],
/// or no row. NCHAR columns are not checked (the national charset is converted from Unicode
/// to Unicode); a single-byte source cannot hold U+FFFD or a C1 control as a character of its
/// own (WE8MSWIN1252's 0x80–0x9F are other characters).
pub fn lossy_check(table: &Table) -> Option<String> {
    let cols: Vec<&str> = table
        .columns
        .iter()
        .filter(|c| {
            matches!(
                c.kind(Dialect::Oracle),
                ColumnKind::Varchar | ColumnKind::Char | ColumnKind::Clob
            )
        })
        .map(|c| c.name.as_str())
        .collect();
    if cols.is_empty() {
        return None;
    }
    let class = lossy_class();
    let test = |c: &str| format!("REGEXP_LIKE({}, {class})", quote(c));
    let cases: Vec<String> = cols
        .iter()
        .map(|c| {
            format!(
                "WHEN {} THEN {}",
                test(c),
                crate::dialect::literal(Dialect::Oracle, c)
            )
        })
        .collect();
    Some(format!(
        "SELECT CASE {} END FROM {} WHERE ({}) AND ROWNUM = 1",
        cases.join(" "),
        qualified(&table.owner, &table.name),
        cols.iter()
            .map(|c| test(c))
            .collect::<Vec<_>>()
            .join(" OR ")
    ))
}

pub fn count_target(table: &Table) -> String {
    format!(
        "SELECT COUNT(*) FROM {}",
        qualified(&table.owner, &table.name)
    )
}

pub fn count_source(table: &Table, link: &str) -> String {
    format!(
        "SELECT COUNT(*) FROM {}@{link}",
        qualified(&table.owner, &table.name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Column;

    fn table() -> Table {
        let c = |n: &str, t: &str| Column {
            name: n.into(),
            column_id: 1,
            data_type: t.into(),
            data_length: Some(10),
            char_length: Some(10),
            semantics: None,
            nullable: true,
        };
        Table {
            owner: "SALES".into(),
            name: "order notes".into(),
            num_rows: None,
            columns: vec![c("ID", "NUMBER"), c("Note", "VARCHAR2")],
        }
    }

    #[test]
    fn golden_link_copy_statements() {
        let t = table();
        let got = [
            COPY_LOG_DDL.to_string(),
            COPY_LOG_MERGE.to_string(),
            DBMS_LOCK_GRANTED.to_string(),
            COPY_LOCK.to_string(),
            TARGET_ALWAYS_IDENTITY.to_string(),
            truncate(&t),
            insert_via_link(&t, "SRC.EXAMPLE.COM"),
            count_source(&t, "SRC.EXAMPLE.COM"),
            count_target(&t),
            lossy_check(&t).unwrap(),
        ]
        .join(";\n\n")
            + ";\n";
        crate::golden::assert_golden("tests/golden/copy/oracle_dblink.sql", &got);
    }

    #[test]
    fn lossy_check_reads_character_columns_only() {
        let mut t = table();
        let sql = lossy_check(&t).unwrap();
        assert!(
            sql.contains("REGEXP_LIKE(\"Note\"") && !sql.contains("\"ID\""),
            "{sql}"
        );
        // 32 C1 controls and U+FFFD, one by one.
        assert_eq!(sql.matches("\\0").count(), 2 * 32, "{sql}");
        assert_eq!(sql.matches("\\FFFD").count(), 2, "{sql}");
        t.columns[1].data_type = "CLOB".into();
        assert!(lossy_check(&t).is_some());
        t.columns[1].data_type = "NVARCHAR2".into();
        assert!(
            lossy_check(&t).is_none(),
            "the national charset is Unicode to Unicode"
        );
        t.columns[1].data_type = "DATE".into();
        assert!(lossy_check(&t).is_none());
    }

    #[test]
    fn link_names_are_checked_and_long_tables_detected() {
        assert!(check_link("SRC.EXAMPLE.COM").is_ok());
        assert!(check_link("x; DROP TABLE y").is_err());
        assert!(check_link("").is_err());
        let mut t = table();
        assert!(crosses_link(&t));
        t.columns[1].data_type = "LONG".into();
        assert!(!crosses_link(&t));
        assert!(link_refusal(&t).unwrap().contains("ORA-00997"));
        for ok in [
            "TIMESTAMP(6) WITH TIME ZONE",
            "INTERVAL DAY(2) TO SECOND(6)",
            "NVARCHAR2",
            "BLOB",
        ] {
            t.columns[1].data_type = ok.into();
            assert!(link_refusal(&t).is_none(), "{ok}");
        }
        for obj in ["XMLTYPE", "SDO_GEOMETRY", "ADDRESS_T"] {
            t.columns[1].data_type = obj.into();
            let why = link_refusal(&t).unwrap();
            assert!(why.contains("ORA-22804") && why.contains(obj), "{why}");
        }
    }
}
