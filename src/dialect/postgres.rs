//! PostgreSQL identifier and literal quoting.
//!
//! Decision: always quote. The catalog stores a name exactly as it must be written inside
//! double quotes (an unquoted `Emp` was folded to `emp` when it was created), so quoting the
//! stored name always names the same object and needs no reserved-word list. A `"` inside a
//! name is doubled, as PostgreSQL's own `quote_ident` does.

/// Quotes one identifier: `emp` -> `"emp"`, `a"b` -> `"a""b"`.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes `schema.name`.
pub fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", ident(schema), ident(name))
}

/// A string literal (`'` doubled; standard_conforming_strings is on by default since 9.1).
pub fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// One name as a DBA types it in psql: bare when PostgreSQL would fold it to itself
/// (lower-case letters, digits, `_`, not starting with a digit), quoted otherwise; escaped so it
/// stays on one line (see [`super::text`]). For messages, never for SQL.
pub fn shown_ident(name: &str) -> String {
    let mut chars = name.chars();
    let bare = matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if bare {
        name.to_string()
    } else {
        super::text::escape(&ident(name))
    }
}

/// `owner.name` as a DBA types it in psql (see [`shown_ident`]): `app."Odd Names"`.
pub fn shown(owner: &str, name: &str) -> String {
    format!("{}.{}", shown_ident(owner), shown_ident(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted_and_escaped() {
        assert_eq!(ident("emp"), "\"emp\"");
        assert_eq!(ident("Order Lines"), "\"Order Lines\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(ident("select"), "\"select\"");
        assert_eq!(qualified("app", "Emp"), "\"app\".\"Emp\"");
        assert_eq!(literal("O'Neil"), "'O''Neil'");
    }

    #[test]
    fn names_shown_as_typed_in_psql() {
        assert_eq!(
            shown("charmig", "charmig_copy_log"),
            "charmig.charmig_copy_log"
        );
        assert_eq!(shown("CHARMIG", "t"), "\"CHARMIG\".t");
        assert_eq!(shown("app", "Odd Names"), "app.\"Odd Names\"");
        assert_eq!(shown("a.b", "c"), "\"a.b\".c");
        assert_eq!(shown("a", "x\nDROP"), "a.\"x\\nDROP\"");
    }
}
