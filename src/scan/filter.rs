//! Scope filters: `--schema`, `--table`, `--exclude`. Names match case-insensitively (a DBA
//! types `hr.employees` for `HR.EMPLOYEES`); `--exclude` takes `*` and `?` wildcards and
//! matches `TABLE`, `OWNER.TABLE` or `OWNER.TABLE.COLUMN`.

use super::{ScanError, ScanOptions};
use crate::catalog::{Catalog, Table};

/// Case-insensitive glob with `*` and `?`.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether a `--table` spec names this table: `TABLE` or `OWNER.TABLE` (any case), or with
/// SQL quoting for names holding dots or needing their exact case: `'"a.b".c'`,
/// `'app."Odd Names"'` (a quoted part matches exactly, `""` inside it is one `"`).
pub fn names_table(spec: &str, owner: &str, table: &str) -> bool {
    let part = |p: &(String, bool), name: &str| {
        if p.1 {
            p.0 == name
        } else {
            p.0.eq_ignore_ascii_case(name)
        }
    };
    match spec_parts(spec).as_deref() {
        Some([t]) => part(t, table),
        Some([o, t]) => part(o, owner) && part(t, table),
        _ => false,
    }
}

/// Splits a `--table` spec at its dots outside double quotes: (part, was quoted). Without any
/// quote the spec splits at its first dot only (as before quoting was accepted). `None` when
/// the quoting is malformed.
fn spec_parts(spec: &str) -> Option<Vec<(String, bool)>> {
    if !spec.contains('"') {
        return Some(match spec.split_once('.') {
            Some((o, t)) => vec![(o.to_string(), false), (t.to_string(), false)],
            None => vec![(spec.to_string(), false)],
        });
    }
    let mut parts = Vec::new();
    let mut chars = spec.chars().peekable();
    loop {
        let mut name = String::new();
        let quoted = chars.peek() == Some(&'"');
        if quoted {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        name.push('"');
                    }
                    '"' => break,
                    c => name.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' || c == '"' {
                    break;
                }
                name.push(c);
                chars.next();
            }
        }
        parts.push((name, quoted));
        match chars.next() {
            None => return Some(parts),
            Some('.') => continue,
            Some(_) => return None,
        }
    }
}

fn table_matches(spec: &str, table: &Table) -> bool {
    names_table(spec, &table.owner, &table.name)
}

/// Whether a table is scanned: in `--schema`/`--table`, not `--exclude`d, and not one of
/// charmig's own tables (audit tables, logs: [`crate::own::is_own_table`]), which are never
/// data.
pub fn table_in_scope(table: &Table, opts: &ScanOptions) -> bool {
    !crate::own::is_own_table(&table.owner, &table.name)
        && (opts.schemas.is_empty()
            || opts
                .schemas
                .iter()
                .any(|s| s.eq_ignore_ascii_case(&table.owner)))
        && (opts.tables.is_empty() || opts.tables.iter().any(|t| table_matches(t, table)))
        && !opts
            .excludes
            .iter()
            .any(|p| glob(p, &table.name) || glob(p, &table.qualified()))
}

pub fn column_excluded(table: &Table, column: &str, opts: &ScanOptions) -> bool {
    let full = format!("{}.{}", table.qualified(), column);
    opts.excludes
        .iter()
        .any(|p| p.matches('.').count() == 2 && glob(p, &full))
}

/// A `--schema` or `--table` that matches nothing is an error, and so are filters that
/// together leave no table: a typo must not scan nothing and report success.
pub fn check_scope(catalog: &Catalog, opts: &ScanOptions) -> Result<(), ScanError> {
    for s in &opts.schemas {
        if !catalog
            .tables
            .iter()
            .any(|t| t.owner.eq_ignore_ascii_case(s))
        {
            return Err(ScanError::Options(format!(
                "--schema {s}: no such schema in the source"
            )));
        }
    }
    for spec in &opts.tables {
        if !catalog.tables.iter().any(|t| table_matches(spec, t)) {
            return Err(ScanError::Options(format!(
                "--table {spec}: no such table in the source (write TABLE or OWNER.TABLE)"
            )));
        }
    }
    let filtered = !opts.schemas.is_empty() || !opts.tables.is_empty() || !opts.excludes.is_empty();
    if filtered
        && !catalog.tables.is_empty()
        && !catalog.tables.iter().any(|t| table_in_scope(t, opts))
    {
        return Err(ScanError::Options(
            "--schema/--table/--exclude together leave no table in scope: nothing would be scanned"
                .into(),
        ));
    }
    Ok(())
}

/// Whether an `--assume-column` spec (`OWNER.TABLE.COLUMN`, `*` and `?` allowed in each
/// part, any case) names this column. A spec with no wildcard is exact.
pub fn column_spec_matches(spec: &str, owner: &str, table: &str, column: &str) -> bool {
    let parts: Vec<&str> = spec.splitn(3, '.').collect();
    let [o, t, c] = parts[..] else {
        return false;
    };
    glob(o, owner) && glob(t, table) && glob(c, column)
}

fn is_pattern(spec: &str) -> bool {
    spec.contains(['*', '?'])
}

/// The `--assume-column` entry for a column: an exact spec wins over a pattern; among
/// patterns (or among exact specs) the last one given wins. Returns its index.
pub fn column_assume<T>(
    specs: &[(String, T)],
    owner: &str,
    table: &str,
    column: &str,
) -> Option<usize> {
    let matching = |want_pattern: bool| {
        specs
            .iter()
            .enumerate()
            .rev()
            .find(|(_, (k, _))| {
                is_pattern(k) == want_pattern && column_spec_matches(k, owner, table, column)
            })
            .map(|(i, _)| i)
    };
    matching(false).or_else(|| matching(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assume_column_specs() {
        let specs = vec![
            ("public.*.*".to_string(), "auto"),
            ("public.web_*.FullName".to_string(), "LATIN9"),
            ("PUBLIC.web_users.fullname".to_string(), "WIN1252"),
        ];
        let at = |o, t, c| column_assume(&specs, o, t, c).map(|i| specs[i].1);
        // Exact wins over every pattern, whatever the order.
        assert_eq!(at("public", "web_users", "FullName"), Some("WIN1252"));
        // The last matching pattern wins.
        assert_eq!(at("public", "web_shop", "FullName"), Some("LATIN9"));
        assert_eq!(at("public", "WinNotes", "Body"), Some("auto"));
        assert_eq!(at("hr", "t", "c"), None);
        assert!(!column_spec_matches("a.b", "a", "b", "c"));
        // A dot inside a name is not a separator of the column part.
        assert!(column_spec_matches("s.t.c.d", "s", "t", "c.d"));
    }

    #[test]
    fn table_specs_plain_and_quoted() {
        assert!(names_table("hr.emp", "HR", "EMP"));
        assert!(names_table("EMP", "HR", "emp"));
        // The two tables a joined `owner.name` string confuses.
        assert!(names_table("\"a.b\".c", "a.b", "c"));
        assert!(!names_table("\"a.b\".c", "a", "b.c"));
        assert!(names_table("a.\"b.c\"", "a", "b.c"));
        assert!(!names_table("a.\"b.c\"", "a.b", "c"));
        assert!(names_table("app.\"Odd Names\"", "app", "Odd Names"));
        assert!(!names_table("app.\"odd names\"", "app", "Odd Names"));
        assert!(names_table("\"Say \"\"hi\"\"\"", "x", "Say \"hi\""));
        assert!(names_table("\"b.c\"", "a", "b.c"));
        assert!(!names_table("\"unterminated", "a", "unterminated"));
        assert!(
            names_table("a.b.c", "a", "b.c"),
            "unquoted: split at the first dot"
        );
    }

    #[test]
    fn glob_matches() {
        assert!(glob("TMP_*", "tmp_orders"));
        assert!(glob("HR.*", "HR.EMP"));
        assert!(glob("a?c", "abc"));
        assert!(!glob("a?c", "abbc"));
        assert!(glob("*", ""));
        assert!(!glob("HR.*", "SCOTT.EMP"));
    }
}
