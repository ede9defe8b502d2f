//! SQL*Plus scripts for Oracle clean-ups, keyed by ROWID.
//!
//! Each cell is one PL/SQL block that locks the row, compares the stored bytes with the
//! bytes the scan saw (a cell that changed since is skipped and reported, not cut), writes
//! the original into the audit table and updates the value. A table's blocks are committed
//! together: a script killed half-way leaves each table either untouched or fully done with
//! every original in the audit table.

use super::changes::Change;
use crate::charset::Dialect;
use crate::dialect::oracle::literal;

fn quote(name: &str) -> String {
    crate::dialect::ident(Dialect::Oracle, name)
}

fn qualified(owner: &str, name: &str) -> String {
    crate::dialect::qualified(Dialect::Oracle, owner, name)
}
use std::io::Write;

/// Audit table kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audit {
    Truncated,
    Repaired,
}

impl Audit {
    pub fn table(self) -> &'static str {
        match self {
            Audit::Truncated => "CHARMIG_TRUNCATED",
            Audit::Repaired => "CHARMIG_REPAIRED",
        }
    }
}

/// A RAW expression for bytes: HEXTORAW literals of at most 2000 bytes each, concatenated,
/// so no literal passes PL/SQL's limits whatever the value's length.
pub fn raw_expr(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "NULL".into();
    }
    let parts: Vec<String> = bytes
        .chunks(2000)
        .map(|c| {
            let mut hex = String::new();
            crate::source::snapshot::encode_hex(c, &mut hex);
            format!("HEXTORAW('{hex}')")
        })
        .collect();
    parts
        .into_iter()
        .reduce(|a, b| format!("UTL_RAW.CONCAT({a}, {b})"))
        .unwrap_or_default()
}

/// Writes the script for a list of changes (grouped by table in the order given).
pub fn write_script(
    changes: &[Change],
    audit_schema: &str,
    audit: Audit,
    run_id: &str,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        w,
        "-- charmig {} script, run {run_id}",
        match audit {
            Audit::Truncated => "truncate",
            Audit::Repaired => "repair",
        }
    )?;
    writeln!(
        w,
        "-- {} cells. Each original is kept in {}.{} before its value changes.",
        changes.len(),
        audit_schema,
        audit.table()
    )?;
    writeln!(
        w,
        "-- A cell whose bytes differ from the scan is skipped and reported (DBMS_OUTPUT)."
    )?;
    writeln!(w, "WHENEVER SQLERROR EXIT ROLLBACK")?;
    writeln!(w, "SET SERVEROUTPUT ON SIZE UNLIMITED")?;
    writeln!(w)?;
    let audit_table = qualified(audit_schema, audit.table());
    let mut current: Option<(&str, &str)> = None;
    for c in changes {
        if current != Some((c.owner.as_str(), c.table.as_str())) {
            if current.is_some() {
                writeln!(w, "COMMIT;\n")?;
            }
            writeln!(w, "-- table {}.{}", c.owner, c.table)?;
            current = Some((c.owner.as_str(), c.table.as_str()));
        }
        let t = qualified(&c.owner, &c.table);
        let col = quote(&c.column);
        let (extra_col, extra_val) = match audit {
            Audit::Truncated => ("KEPT_CHARS", c.kept_chars.to_string()),
            Audit::Repaired => ("MODE_USED", literal(&c.mode)),
        };
        writeln!(
            w,
            "-- {}.{}.{} ROWID {}: {}",
            c.owner, c.table, c.column, c.row_id, c.detail
        )?;
        writeln!(w, "DECLARE")?;
        writeln!(w, "  v_old RAW(32767);")?;
        writeln!(w, "BEGIN")?;
        writeln!(
            w,
            "  SELECT UTL_RAW.CAST_TO_RAW({col}) INTO v_old FROM {t} WHERE ROWID = CHARTOROWID({}) FOR UPDATE;",
            literal(&c.row_id)
        )?;
        writeln!(w, "  IF v_old = {} THEN", raw_expr(&c.original))?;
        writeln!(
            w,
            "    INSERT INTO {audit_table} (OWNER, TABLE_NAME, COLUMN_NAME, ROW_ID, ORIGINAL_VALUE, ORIGINAL_BYTES, {extra_col}, CHARSET, RUN_ID)\n      VALUES ({}, {}, {}, {}, TO_CLOB(UTL_RAW.CAST_TO_VARCHAR2(v_old)), TO_BLOB(v_old), {extra_val}, {}, {});",
            literal(&c.owner),
            literal(&c.table),
            literal(&c.column),
            literal(&c.row_id),
            literal(&c.charset),
            literal(run_id)
        )?;
        writeln!(
            w,
            "    UPDATE {t} SET {col} = UTL_RAW.CAST_TO_VARCHAR2({}) WHERE ROWID = CHARTOROWID({});",
            raw_expr(&c.new),
            literal(&c.row_id)
        )?;
        writeln!(w, "  ELSE")?;
        writeln!(
            w,
            "    DBMS_OUTPUT.PUT_LINE({});",
            literal(&format!(
                "skipped (changed since the scan): {}.{}.{} ROWID {}",
                c.owner, c.table, c.column, c.row_id
            ))
        )?;
        writeln!(w, "  END IF;")?;
        writeln!(w, "EXCEPTION WHEN NO_DATA_FOUND THEN")?;
        writeln!(
            w,
            "  DBMS_OUTPUT.PUT_LINE({});",
            literal(&format!(
                "skipped (row gone since the scan): {}.{}.{} ROWID {}",
                c.owner, c.table, c.column, c.row_id
            ))
        )?;
        writeln!(w, "END;\n/")?;
    }
    if current.is_some() {
        writeln!(w, "COMMIT;")?;
    }
    Ok(())
}

/// The restore script: every original of the audit table back, one transaction per table.
pub fn write_restore_script(
    audit_schema: &str,
    audit: Audit,
    tables: &[(String, String, Vec<String>)],
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let audit_table = qualified(audit_schema, audit.table());
    writeln!(
        w,
        "-- charmig restore from {audit_schema}.{}: originals back, audit rows removed",
        audit.table()
    )?;
    writeln!(w, "WHENEVER SQLERROR EXIT ROLLBACK")?;
    for (owner, table, columns) in tables {
        writeln!(w, "\n-- table {owner}.{table}")?;
        for column in columns {
            writeln!(
                w,
                "UPDATE {} t SET {col} = (SELECT UTL_RAW.CAST_TO_VARCHAR2(DBMS_LOB.SUBSTR(a.ORIGINAL_BYTES, 32767, 1)) FROM {audit_table} a\n  WHERE a.OWNER = {o} AND a.TABLE_NAME = {tn} AND a.COLUMN_NAME = {cn} AND a.ROW_ID = ROWIDTOCHAR(t.ROWID))\n  WHERE ROWIDTOCHAR(t.ROWID) IN (SELECT ROW_ID FROM {audit_table} WHERE OWNER = {o} AND TABLE_NAME = {tn} AND COLUMN_NAME = {cn});",
                qualified(owner, table),
                col = quote(column),
                o = literal(owner),
                tn = literal(table),
                cn = literal(column)
            )?;
            writeln!(
                w,
                "DELETE FROM {audit_table} WHERE OWNER = {} AND TABLE_NAME = {} AND COLUMN_NAME = {};",
                literal(owner),
                literal(table),
                literal(column)
            )?;
        }
        writeln!(w, "COMMIT;")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change() -> Change {
        Change {
            owner: "HR".into(),
            table: "EMPLOYEES".into(),
            column: "LAST_NAME".into(),
            row_id: "AAASETAAEAAAACDAAD".into(),
            original: b"\xC9variste".to_vec(),
            new: b"\xC9var".to_vec(),
            kept_chars: 4,
            detail: "kept 4 of 8 characters".into(),
            charset: "WE8ISO8859P15".into(),
            mode: "truncate".into(),
        }
    }

    #[test]
    fn raw_literals_are_chunked() {
        assert_eq!(raw_expr(b"\x01\xAB"), "HEXTORAW('01AB')");
        let long = vec![0x41u8; 4500];
        let e = raw_expr(&long);
        assert_eq!(e.matches("HEXTORAW").count(), 3);
        assert!(e.starts_with("UTL_RAW.CONCAT(UTL_RAW.CONCAT(HEXTORAW('4141"));
    }

    #[test]
    fn golden_truncate_script() {
        let mut c2 = change();
        c2.table = "order notes".into();
        c2.column = "Note".into();
        c2.row_id = "AAASEaAAEAAAACDAAB".into();
        let mut out = Vec::new();
        write_script(
            &[change(), c2],
            "AUDIT",
            Audit::Truncated,
            "run-1",
            &mut out,
        )
        .unwrap();
        let got = String::from_utf8(out).unwrap();
        crate::golden::assert_golden("tests/golden/clean/oracle_truncate.sql", &got);
        assert!(got.contains("IF v_old = HEXTORAW('C976617269737465') THEN"));
        assert!(got.contains("UPDATE \"HR\".\"order notes\" SET \"Note\" = UTL_RAW.CAST_TO_VARCHAR2(HEXTORAW('C9766172'))"));
    }

    #[test]
    fn golden_restore_script() {
        let mut out = Vec::new();
        write_restore_script(
            "AUDIT",
            Audit::Truncated,
            &[("HR".into(), "EMPLOYEES".into(), vec!["LAST_NAME".into()])],
            &mut out,
        )
        .unwrap();
        let got = String::from_utf8(out).unwrap();
        crate::golden::assert_golden("tests/golden/clean/oracle_restore.sql", &got);
    }
}
