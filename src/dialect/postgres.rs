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
}
