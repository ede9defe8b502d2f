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

/// The longest name PostgreSQL keeps, in bytes of the database's encoding (NAMEDATALEN - 1 in
/// a default build). A longer name is cut there, with only a NOTICE.
pub const MAX_NAME_BYTES: usize = crate::catalog::PG_NAME_BYTES;

/// When `name` is longer than a UTF-8 database keeps: what the server would make of it (the
/// name cut at the last whole character within [`MAX_NAME_BYTES`]), for a message naming the
/// object and its fix. A LATIN1/LATIN9/WIN1252 name of up to 63 characters fits in its own
/// database but takes up to two bytes a letter in UTF-8: `é` × 40 is 40 bytes there, 80 here.
pub fn cut_in_utf8(name: &str) -> Option<String> {
    (name.len() > MAX_NAME_BYTES).then(|| crate::scan::names::fit(name, MAX_NAME_BYTES))
}

/// The message for a name [`cut_in_utf8`] cuts: `what` names the object (`schema "x"`).
pub fn too_long_message(what: &str, name: &str, cut: &str) -> String {
    format!(
        "{what}: {} bytes in UTF-8 ({} characters), more than PostgreSQL's {MAX_NAME_BYTES}: a UTF-8 database would cut it to {} \
         (and two names alike up to there would be one); rename it in the source to at most {MAX_NAME_BYTES} bytes of UTF-8 \
         (ALTER … RENAME TO …) and run again",
        name.len(),
        name.chars().count(),
        shown_ident(cut)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_longer_than_63_utf8_bytes_are_cut_on_a_character() {
        assert_eq!(cut_in_utf8(&"é".repeat(31)), None);
        assert_eq!(cut_in_utf8(&"a".repeat(63)), None);
        // 32 é are 64 bytes: the cut keeps 31 (62 bytes), never half a letter.
        assert_eq!(cut_in_utf8(&"é".repeat(32)), Some("é".repeat(31)));
        assert_eq!(
            cut_in_utf8(&format!("a{}", "é".repeat(40))),
            Some(format!("a{}", "é".repeat(31)))
        );
    }

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
