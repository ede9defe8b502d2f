//! Oracle identifier and literal quoting.
//!
//! Decision: charmig always quotes Oracle identifiers. The dictionary stores a name exactly as
//! it must be written inside double quotes (an unquoted `emp` was folded to `EMP` when the
//! table was created; a quoted `"Emp Notes"` is stored as `Emp Notes`). Quoting the stored
//! name therefore always names the same object, whatever its case, and needs no list of
//! reserved words (`"DATE"`, `"LEVEL"` and `"USER"` are valid quoted names). Leaving some names
//! unquoted would save two characters and add a way to be wrong.
//!
//! Oracle forbids the double quotation mark and the NUL character in every identifier, quoted
//! or not (SQL Language Reference, "Database Object Naming Rules"), so there is nothing to
//! double: such a name cannot come from the dictionary, and [`ident`] rejects it instead of
//! producing SQL that Oracle would reject later. Names longer than 128 bytes (30 before 12.2)
//! are left to the server to reject; charmig never invents names.

use thiserror::Error;

/// An identifier that cannot be written as an Oracle quoted identifier.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("`{name}` cannot be an Oracle identifier: {reason}")]
pub struct IdentError {
    pub name: String,
    pub reason: &'static str,
}

/// Quotes one identifier: `EMP` -> `"EMP"`, `emp notes` -> `"emp notes"`.
pub fn ident(name: &str) -> Result<String, IdentError> {
    let reason = if name.is_empty() {
        Some("it is empty")
    } else if name.contains('"') {
        Some("Oracle identifiers cannot contain a double quotation mark")
    } else if name.contains('\0') {
        Some("Oracle identifiers cannot contain the NUL character")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(IdentError {
            name: name.to_string(),
            reason,
        }),
        None => Ok(format!("\"{name}\"")),
    }
}

/// Checks a name that goes into a SQL*Plus script: besides [`ident`]'s rules, no ASCII
/// control character (a line break inside a quoted identifier could put a lone `/` or `.` on
/// a line of its own and end the statement early). Such a name is refused, not escaped:
/// inside double quotes there is no escape.
pub fn script_ident(name: &str) -> Result<String, IdentError> {
    if name.chars().any(|c| c.is_ascii_control()) {
        return Err(IdentError {
            name: one_line(name),
            reason: "it contains a line break or another control character, which cannot be written into a SQL*Plus script (rename the object, or let charmig run the statements itself)",
        });
    }
    ident(name)
}

/// Checks every name of a catalog that charmig may write into Oracle SQL; the error names the
/// first that Oracle would refuse.
pub fn check_names(catalog: &crate::catalog::Catalog) -> Result<(), IdentError> {
    let mut names: Vec<&str> = Vec::new();
    for t in &catalog.tables {
        names.extend([t.owner.as_str(), t.name.as_str()]);
        names.extend(t.columns.iter().map(|c| c.name.as_str()));
    }
    for c in &catalog.constraints {
        names.extend([c.owner.as_str(), c.name.as_str(), c.table.as_str()]);
    }
    for i in &catalog.indexes {
        names.extend([
            i.owner.as_str(),
            i.name.as_str(),
            i.table_owner.as_str(),
            i.table.as_str(),
        ]);
    }
    for t in &catalog.triggers {
        names.extend([
            t.owner.as_str(),
            t.name.as_str(),
            t.table_owner.as_str(),
            t.table.as_str(),
        ]);
    }
    for s in &catalog.sequences {
        names.extend([s.owner.as_str(), s.name.as_str()]);
    }
    names
        .into_iter()
        .try_for_each(|n| script_ident(n).map(|_| ()))
}

/// Quotes `owner.name`: `"HR"."EMP"`.
pub fn qualified(owner: &str, name: &str) -> Result<String, IdentError> {
    Ok(format!("{}.{}", ident(owner)?, ident(name)?))
}

/// A character literal for a script (`'` doubled). Statements charmig runs itself bind
/// values instead; this is for the SQL*Plus scripts it writes, which run with `SET DEFINE OFF`
/// so that `&` is not taken as a substitution variable. Control characters are written as
/// `CHR(n)` concatenations, so a literal never spans lines: a name holding a newline and a
/// line of just `/` or `.` cannot end the statement it sits in.
pub fn literal(value: &str) -> String {
    let ascii_control = |c: char| c.is_ascii_control();
    if !value.chars().any(ascii_control) {
        return format!("'{}'", value.replace('\'', "''"));
    }
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    for ch in value.chars() {
        if ascii_control(ch) {
            if !cur.is_empty() {
                parts.push(format!("'{}'", cur.replace('\'', "''")));
                cur.clear();
            }
            parts.push(format!("CHR({})", ch as u32));
        } else {
            cur.push(ch);
        }
    }
    if !cur.is_empty() {
        parts.push(format!("'{}'", cur.replace('\'', "''")));
    }
    format!("({})", parts.join(" || "))
}

/// Text safe on one comment or PROMPT line of a SQL*Plus script (see
/// [`crate::dialect::comment_text`], which this spells for Oracle).
pub fn one_line(text: &str) -> String {
    super::text::escape_sqlplus(text)
}

/// True when `name` would denote the same object unquoted: an upper-case letter first, then
/// upper-case letters, digits, `_`, `$`, `#`. Used only to decide how to *display* a name to
/// a DBA in messages; SQL always uses [`ident`]. (Reserved words also pass this test, which
/// is one reason SQL never relies on it.)
pub fn is_plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "_$#".contains(c))
}

/// The value a target sequence is to hand out next so that it stays past a source sequence
/// whose LAST_NUMBER is `last`: one increment past it (LAST_NUMBER is documented as "the last
/// number placed in the sequence cache", so it is not trusted to be unused), held at MAXVALUE
/// (MINVALUE when descending). Also whether the limit held it. An increment of 0 counts as 1.
/// The one rule of the plan's 03, schema's after-copy and verify's fix.sql.
pub fn next_past(
    last: i128,
    increment: i128,
    min: Option<i128>,
    max: Option<i128>,
) -> (i128, bool) {
    let inc = if increment == 0 { 1 } else { increment };
    let want = last.saturating_add(inc);
    let limit = if inc > 0 { max } else { min };
    match limit {
        Some(l) if (inc > 0 && want > l) || (inc < 0 && want < l) => (l, true),
        _ => (want, false),
    }
}

/// A PL/SQL block after which sequence `qn` (quoted, qualified) hands out `next` at its next
/// NEXTVAL, if it was below: one NEXTVAL, one step of the missing distance (`ALTER SEQUENCE …
/// INCREMENT BY`), the increment put back. It never moves a sequence back. `ALTER SEQUENCE …
/// RESTART START WITH n` would do it in one statement, but the SQL Language Reference
/// documents RESTART only from 18c (the 11.1 ALTER SEQUENCE page: "to restart the sequence at
/// a different number, you must drop and re-create it"); every clause used here is documented
/// on every release. Used by the plan's sequence steps and verify's fix.sql.
pub fn advance_sequence(qn: &str, increment: i128, next: i128) -> String {
    let before = if increment >= 0 { "<" } else { ">" };
    format!(
        "DECLARE\n  v NUMBER;\nBEGIN\n  \
         SELECT {qn}.NEXTVAL INTO v FROM dual;\n  \
         IF v + ({increment}) {before} {next} THEN\n    \
         EXECUTE IMMEDIATE 'ALTER SEQUENCE {qe} INCREMENT BY ' || TO_CHAR({next} - v - ({increment}));\n    \
         SELECT {qn}.NEXTVAL INTO v FROM dual;\n    \
         EXECUTE IMMEDIATE 'ALTER SEQUENCE {qe} INCREMENT BY {increment}';\n  \
         END IF;\nEND;",
        qe = qn.replace('\'', "''"),
    )
}

/// The SQL*Plus settings every script charmig writes starts with: no `&` substitution (an `&`
/// in a name or a literal is data), blank lines kept inside a statement (DBMS_METADATA's
/// PRETTY output and view text have them; without it a blank line ends the statement), and no
/// `.` block terminator (a line holding only `.` inside PL/SQL would end the block early).
pub const SQLPLUS_SETTINGS: &str =
    "SET DEFINE OFF\nSET SQLBLANKLINES ON\nSET BLOCKTERMINATOR OFF\n";

/// A PL/SQL unit (ends with a `/` line in SQL*Plus).
pub fn is_plsql(first_line: &str) -> bool {
    let words: Vec<String> = first_line
        .split_whitespace()
        .map(|w| w.to_ascii_uppercase())
        .collect();
    let w: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !matches!(*w, "OR" | "REPLACE" | "EDITIONABLE" | "NONEDITIONABLE"))
        .collect();
    match w.as_slice() {
        ["BEGIN", ..] | ["DECLARE", ..] => true,
        ["CREATE", kind, ..] => matches!(
            *kind,
            "FUNCTION" | "PROCEDURE" | "PACKAGE" | "TYPE" | "TRIGGER" | "LIBRARY" | "JAVA"
        ),
        _ => false,
    }
}

/// `sql` ended for a SQL*Plus script: `;` after a statement, a `/` line after a PL/SQL unit.
/// A statement SQL*Plus would not pass on whole (see [`sqlplus_hazard`]) is preceded by a
/// `-- REVIEW:` line saying why.
pub fn script_statement(sql: &str) -> String {
    let plsql = is_plsql(sql.trim_start().lines().next().unwrap_or(""));
    let review = sqlplus_hazard(sql, plsql)
        .map(|why| format!("-- REVIEW: {why}; run this statement with another client\n"))
        .unwrap_or_default();
    if plsql {
        format!("{review}{sql}\n/")
    } else {
        format!("{review}{sql};")
    }
}

/// Why SQL*Plus would not send `sql` as written, if it would not: a line starting with `#`
/// (the SQLPREFIX: run at once as a SQL*Plus command and left out of the statement), a line
/// holding only `/` (it runs what came before), or in a SQL statement a line ending with `;`
/// (it ends the statement there).
pub fn sqlplus_hazard(sql: &str, plsql: bool) -> Option<&'static str> {
    let lines: Vec<&str> = sql.lines().collect();
    let inner = lines.len().saturating_sub(1);
    if lines.iter().any(|l| l.trim_start().starts_with('#')) {
        return Some(
            "a line starts with `#`, which SQL*Plus runs as its own command (SET SQLPREFIX)",
        );
    }
    if lines.iter().skip(1).any(|l| l.trim() == "/") {
        return Some("a line holds only `/`, which makes SQL*Plus run the statement there");
    }
    if !plsql
        && lines
            .iter()
            .take(inner)
            .any(|l| l.trim_end().ends_with(';'))
    {
        return Some(
            "a line inside the statement ends with `;`, which makes SQL*Plus end it there",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_sqlplus_would_cut_are_marked_for_review() {
        let view = "CREATE VIEW v AS SELECT a -- total;\n  FROM t";
        assert!(
            script_statement(view)
                .starts_with("-- REVIEW: a line inside the statement ends with `;`")
        );
        let body = "CREATE OR REPLACE PACKAGE BODY p AS\n#define x\nEND;";
        assert!(script_statement(body).contains("starts with `#`"));
        let div = "BEGIN\n  x := a\n/\n  b;\nEND;";
        assert!(script_statement(div).contains("only `/`"));
        // A semicolon inside PL/SQL, or in a literal mid-line, is fine.
        let ok = "BEGIN\n  x := 1;\n  y := 'a;b';\nEND;";
        assert_eq!(script_statement(ok), format!("{ok}\n/"));
        assert_eq!(
            script_statement("ALTER TABLE t ADD (c VARCHAR2(3) DEFAULT 'a;b')"),
            "ALTER TABLE t ADD (c VARCHAR2(3) DEFAULT 'a;b');"
        );
    }

    #[test]
    fn catalog_names_are_checked() {
        let mut cat = crate::catalog::Catalog::with_tables(
            crate::catalog::SourceInfo {
                dialect: crate::charset::Dialect::Oracle,
                version: String::new(),
                charset: "WE8ISO8859P15".into(),
                nchar_charset: None,
                max_string_size: crate::catalog::MaxStringSize::Standard,
                identity: None,
            },
            vec![crate::catalog::Table {
                owner: "HR".into(),
                name: "emp notes".into(),
                num_rows: None,
                columns: Vec::new(),
            }],
        );
        assert!(check_names(&cat).is_ok());
        cat.tables[0].name = "a\"b".into();
        assert_eq!(check_names(&cat).unwrap_err().name, "a\"b");
    }

    #[test]
    fn upper_case_names_are_quoted_unchanged() {
        assert_eq!(ident("EMP").unwrap(), "\"EMP\"");
        assert_eq!(ident("SYS_C00123$").unwrap(), "\"SYS_C00123$\"");
    }

    #[test]
    fn lower_case_and_mixed_case_keep_their_case() {
        // A table created as "emp" is not EMP: folding it would name another object.
        assert_eq!(ident("emp").unwrap(), "\"emp\"");
        assert_eq!(ident("Emp").unwrap(), "\"Emp\"");
    }

    #[test]
    fn spaces_punctuation_and_non_ascii_are_kept() {
        assert_eq!(ident("order notes").unwrap(), "\"order notes\"");
        assert_eq!(ident("a.b").unwrap(), "\"a.b\"");
        assert_eq!(ident("KUNDE_ÄNDERUNG").unwrap(), "\"KUNDE_ÄNDERUNG\"");
        assert_eq!(ident("it's").unwrap(), "\"it's\"");
    }

    #[test]
    fn reserved_words_are_safe_quoted() {
        for w in ["DATE", "LEVEL", "USER", "SELECT", "ROWID"] {
            assert_eq!(ident(w).unwrap(), format!("\"{w}\""));
        }
    }

    #[test]
    fn double_quote_and_nul_are_rejected_not_doubled() {
        let e = ident("say \"hi\"").unwrap_err();
        assert!(e.to_string().contains("double quotation mark"), "{e}");
        assert!(ident("a\0b").is_err());
        assert!(ident("").is_err());
        assert!(qualified("HR", "x\"y").is_err());
    }

    #[test]
    fn qualified_names_quote_both_parts() {
        assert_eq!(
            qualified("hr", "Emp Notes").unwrap(),
            "\"hr\".\"Emp Notes\""
        );
    }

    #[test]
    fn literals_double_single_quotes() {
        assert_eq!(literal("O'Brien"), "'O''Brien'");
        assert_eq!(literal(""), "''");
        assert_eq!(literal("a&b"), "'a&b'");
        assert_eq!(literal("a\nb'c\r"), "('a' || CHR(10) || 'b''c' || CHR(13))");
    }

    #[test]
    fn script_names_with_line_breaks_are_refused() {
        for bad in ["NOM\nDROP", "A\rB", "T\u{1b}X"] {
            let e = script_ident(bad).unwrap_err();
            assert!(e.to_string().contains("SQL*Plus script"), "{e}");
            assert!(!e.to_string().contains('\n') && !e.to_string().contains('\r'));
        }
        assert_eq!(script_ident("R&D */ -").unwrap(), "\"R&D */ -\"");
    }

    #[test]
    fn one_line_keeps_names_on_their_line() {
        assert_eq!(one_line("a\nDROP TABLE x;\r*/"), "a\\nDROP TABLE x;\\r*\\/");
        assert_eq!(one_line("R&D"), "R\\x26D");
        assert!(!one_line("x\u{85}y").chars().any(char::is_control));
    }

    #[test]
    fn plain_names() {
        assert!(is_plain_name("EMP_1"));
        assert!(!is_plain_name("emp"));
        assert!(!is_plain_name("1EMP"));
        assert!(!is_plain_name("EMP NOTES"));
        assert!(!is_plain_name(""));
    }
}
