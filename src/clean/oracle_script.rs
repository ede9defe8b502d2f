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

/// Bytes per `HEXTORAW` piece: 800 hex digits, so a script line stays near 850 characters,
/// well under SQL*Plus's 2499-character line limit (12c; 4999 later).
const PIECE: usize = 400;

/// Statements that set the PL/SQL RAW variable `var` to `bytes`, one `HEXTORAW` piece of at
/// most [`PIECE`] bytes per line. The bytes are assembled in a PL/SQL variable (RAW up to
/// 32767 bytes), never in a SQL expression, where RAW stops at 2000 bytes (ORA-06502 /
/// ORA-01460 on exactly the long values a clean-up is about).
pub fn raw_assign(var: &str, bytes: &[u8], indent: &str) -> String {
    if bytes.is_empty() {
        return format!("{indent}{var} := NULL;\n");
    }
    let mut out = String::new();
    for (i, c) in bytes.chunks(PIECE).enumerate() {
        let mut hex = String::new();
        crate::source::snapshot::encode_hex(c, &mut hex);
        if i == 0 {
            out.push_str(&format!("{indent}{var} := HEXTORAW('{hex}');\n"));
        } else {
            out.push_str(&format!(
                "{indent}{var} := UTL_RAW.CONCAT({var}, HEXTORAW('{hex}'));\n"
            ));
        }
    }
    out
}

/// Text safe on one comment or PROMPT line of a script: control characters (a newline would
/// end the comment and turn the rest of a name into a statement) are written as `\n`, `\r`,
/// `\xNN`, and `*/` as `* /`.
pub fn one_line(text: &str) -> String {
    crate::dialect::oracle::one_line(text)
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
        "-- charmig {} script, run {}",
        match audit {
            Audit::Truncated => "truncate",
            Audit::Repaired => "repair",
        },
        one_line(run_id)
    )?;
    writeln!(
        w,
        "-- {} cells. Each original is kept in {}.{} before its value changes.",
        changes.len(),
        one_line(audit_schema),
        audit.table()
    )?;
    writeln!(
        w,
        "-- A cell whose bytes differ from the scan is skipped and reported (DBMS_OUTPUT)."
    )?;
    writeln!(
        w,
        "-- Bytes are handled in PL/SQL variables (RAW up to 32767 bytes), never in SQL (2000)."
    )?;
    write!(w, "{}", crate::dialect::oracle::SQLPLUS_SETTINGS)?;
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
            writeln!(
                w,
                "-- table {}",
                one_line(&format!("{}.{}", c.owner, c.table))
            )?;
            current = Some((c.owner.as_str(), c.table.as_str()));
        }
        let t = qualified(&c.owner, &c.table);
        let col = quote(&c.column);
        let (extra_col, extra_val) = match audit {
            Audit::Truncated => ("KEPT_CHARS", c.kept_chars.to_string()),
            Audit::Repaired => ("MODE_USED", literal(&c.mode)),
        };
        let rowid = literal(&c.row_id);
        writeln!(
            w,
            "-- {}",
            one_line(&format!(
                "{}.{}.{} ROWID {}: {}",
                c.owner, c.table, c.column, c.row_id, c.detail
            ))
        )?;
        writeln!(w, "DECLARE")?;
        writeln!(w, "  v_text VARCHAR2(32767);")?;
        writeln!(w, "  v_old  RAW(32767);")?;
        writeln!(w, "  v_scan RAW(32767);")?;
        writeln!(w, "  v_new  RAW(32767);")?;
        writeln!(w, "  v_clob CLOB;")?;
        writeln!(w, "  v_blob BLOB;")?;
        writeln!(w, "BEGIN")?;
        write!(w, "{}", raw_assign("v_scan", &c.original, "  "))?;
        write!(w, "{}", raw_assign("v_new", &c.new, "  "))?;
        writeln!(
            w,
            "  SELECT {col} INTO v_text FROM {t} WHERE ROWID = CHARTOROWID({rowid}) FOR UPDATE;"
        )?;
        writeln!(w, "  v_old := UTL_RAW.CAST_TO_RAW(v_text);")?;
        writeln!(w, "  IF v_old = v_scan THEN")?;
        writeln!(w, "    v_clob := TO_CLOB(v_text);")?;
        writeln!(w, "    DBMS_LOB.CREATETEMPORARY(v_blob, TRUE);")?;
        writeln!(
            w,
            "    DBMS_LOB.WRITEAPPEND(v_blob, UTL_RAW.LENGTH(v_old), v_old);"
        )?;
        writeln!(
            w,
            "    INSERT INTO {audit_table} (OWNER, TABLE_NAME, COLUMN_NAME, ROW_ID, ORIGINAL_VALUE, ORIGINAL_BYTES, {extra_col}, CHARSET, RUN_ID)\n      VALUES ({}, {}, {}, {rowid}, v_clob, v_blob, {extra_val}, {}, {});",
            literal(&c.owner),
            literal(&c.table),
            literal(&c.column),
            literal(&c.charset),
            literal(run_id)
        )?;
        writeln!(w, "    v_text := UTL_RAW.CAST_TO_VARCHAR2(v_new);")?;
        writeln!(
            w,
            "    UPDATE {t} SET {col} = v_text WHERE ROWID = CHARTOROWID({rowid});"
        )?;
        writeln!(w, "    DBMS_LOB.FREETEMPORARY(v_blob);")?;
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
/// Each original goes through a PL/SQL RAW variable (up to 32767 bytes): in SQL,
/// `DBMS_LOB.SUBSTR` of a BLOB and `UTL_RAW.CAST_TO_VARCHAR2` stop at 2000 bytes.
pub fn write_restore_script(
    audit_schema: &str,
    audit: Audit,
    tables: &[(String, String, Vec<String>)],
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let audit_table = qualified(audit_schema, audit.table());
    writeln!(
        w,
        "-- charmig restore from {}.{}: originals back, audit rows removed",
        one_line(audit_schema),
        audit.table()
    )?;
    write!(w, "{}", crate::dialect::oracle::SQLPLUS_SETTINGS)?;
    writeln!(w, "WHENEVER SQLERROR EXIT ROLLBACK")?;
    for (owner, table, columns) in tables {
        writeln!(w, "\n-- table {}", one_line(&format!("{owner}.{table}")))?;
        for column in columns {
            let (o, tn, cn) = (literal(owner), literal(table), literal(column));
            writeln!(w, "DECLARE")?;
            writeln!(w, "  v_raw  RAW(32767);")?;
            writeln!(w, "  v_text VARCHAR2(32767);")?;
            writeln!(w, "BEGIN")?;
            writeln!(
                w,
                "  FOR a IN (SELECT ROW_ID, ORIGINAL_BYTES FROM {audit_table}\n             WHERE OWNER = {o} AND TABLE_NAME = {tn} AND COLUMN_NAME = {cn}) LOOP"
            )?;
            writeln!(
                w,
                "    v_raw := DBMS_LOB.SUBSTR(a.ORIGINAL_BYTES, 32767, 1);"
            )?;
            writeln!(w, "    v_text := UTL_RAW.CAST_TO_VARCHAR2(v_raw);")?;
            writeln!(
                w,
                "    UPDATE {} SET {} = v_text WHERE ROWID = CHARTOROWID(a.ROW_ID);",
                qualified(owner, table),
                quote(column)
            )?;
            writeln!(w, "  END LOOP;")?;
            writeln!(
                w,
                "  DELETE FROM {audit_table} WHERE OWNER = {o} AND TABLE_NAME = {tn} AND COLUMN_NAME = {cn};"
            )?;
            writeln!(w, "END;\n/")?;
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
    fn raw_bytes_are_assigned_in_short_pieces() {
        assert_eq!(
            raw_assign("v", b"\x01\xAB", "  "),
            "  v := HEXTORAW('01AB');\n"
        );
        assert_eq!(raw_assign("v", b"", ""), "v := NULL;\n");
        let long = vec![0x41u8; 3000];
        let e = raw_assign("v_scan", &long, "  ");
        assert_eq!(e.lines().count(), 8);
        assert!(e.lines().all(|l| l.len() < 900), "{e}");
        assert!(
            e.lines()
                .nth(1)
                .unwrap()
                .starts_with("  v_scan := UTL_RAW.CONCAT(v_scan, HEXTORAW('4141")
        );
        // Every byte is there once, in order.
        let hex: String = e.lines().map(|l| l.split('\'').nth(1).unwrap()).collect();
        assert_eq!(hex, "41".repeat(3000));
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
        assert!(got.contains("v_scan := HEXTORAW('C976617269737465');"));
        assert!(got.contains("UPDATE \"HR\".\"order notes\" SET \"Note\" = v_text WHERE"));
    }

    #[test]
    fn golden_repair_of_a_3000_byte_value() {
        // A VARCHAR2(4000 BYTE) value of 3000 bytes: past SQL's 2000-byte RAW limit, so every
        // byte operation must happen in PL/SQL variables, and no line may pass SQL*Plus's
        // 2499 characters.
        let mut original = b"Bemerkung: ".to_vec();
        while original.len() < 3000 {
            original.extend_from_slice(b"Stra\x9Fe \x80 caf\xE9 ");
        }
        original.truncate(3000);
        let mut c = change();
        c.table = "Kunden & Notizen".into();
        c.column = "BEMERKUNG */".into();
        c.original = original.clone();
        c.new = original
            .iter()
            .map(|&b| if b == 0x80 { b'E' } else { b })
            .collect();
        c.detail = "cp1252 repair of 3000 bytes\nDROP TABLE x".into();
        c.mode = "cp1252".into();
        let mut out = Vec::new();
        write_script(&[c], "AUDIT", Audit::Repaired, "run-2", &mut out).unwrap();
        let got = String::from_utf8(out).unwrap();
        crate::golden::assert_golden("tests/golden/clean/oracle_repair_3000.sql", &got);
        assert!(got.lines().all(|l| l.chars().count() < 2499));
        assert!(!got.contains("HEXTORAW('") || got.matches("HEXTORAW('").count() == 16);
        // The name's newline stays inside the comment and the literal.
        assert!(got.contains("-- HR.Kunden \\x26 Notizen.BEMERKUNG *\\/ ROWID"));
        assert!(got.contains("3000 bytes\\nDROP TABLE x"));
        assert!(!got.lines().any(|l| l.starts_with("DROP")));
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
