//! The SQL pieces the PostgreSQL clean-up writes and restores with, in one place so that a
//! value or a row is measured the same way when charmig writes it and when it puts it back.
//!
//! - A cell's *stored bytes*: `convert_to(text, server encoding)`, where a `char(n)` value keeps
//!   its padding (`textin(bpcharout(c))`; a plain `::text` cast would strip it, and the scan saw
//!   the padded bytes).
//! - A row's *identity* in the audit table (`row_id`): the stored bytes of every column of its
//!   primary key (or of a unique key whose columns are all NOT NULL), in hex, comma-separated;
//!   for a table without such a key, `md5:` and the md5 of the whole row's text form, i.e. of
//!   every column's stored bytes, taken right after charmig wrote the row. A ctid is never an
//!   identity: it only finds a row within one statement.
//! - Session settings that fix the text form of dates, numbers and bytea, so a fingerprint taken
//!   at repair time is taken the same way at restore time, whatever the client's environment.

use crate::catalog::{Catalog, ColumnKind, ConstraintKind};
use crate::charset::{Dialect, Encoding, resolve};
use crate::dialect::postgres::{ident, literal};

/// Settings every clean-up and restore transaction runs under (SET LOCAL: this transaction only).
pub const SESSION: &str = "SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL TimeZone = 'UTC'; \
     SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 1; SET LOCAL bytea_output = 'hex'";

/// A column as the clean-up needs it: its name and whether it is `char(n)` (padded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Col {
    pub name: String,
    pub padded: bool,
    /// The base type name as the catalog spells it (`integer`, `character varying` …).
    pub data_type: String,
    /// Characters the column holds (`varchar(n)`, `char(n)`), if limited.
    pub max_chars: Option<u32>,
}

/// A column of a table, from the catalog.
pub fn column(catalog: &Catalog, owner: &str, table: &str, name: &str) -> Option<Col> {
    let t = catalog
        .tables
        .iter()
        .find(|t| t.owner == owner && t.name == table)?;
    let c = t.columns.iter().find(|c| c.name == name)?;
    Some(Col {
        name: c.name.clone(),
        padded: c.kind(Dialect::Postgres) == ColumnKind::Char,
        data_type: c.data_type.clone(),
        max_chars: c.char_length,
    })
}

/// The columns that identify a row: the primary key, else the first unique constraint whose
/// columns are all NOT NULL; empty when the table has neither (rows are then fingerprinted).
pub fn key_columns(catalog: &Catalog, owner: &str, table: &str) -> Vec<Col> {
    let cols = |names: &[String]| -> Option<Vec<Col>> {
        names
            .iter()
            .map(|n| column(catalog, owner, table, n))
            .collect()
    };
    let of_table = |k: ConstraintKind| {
        catalog
            .constraints
            .iter()
            .filter(move |c| c.kind == k && c.owner == owner && c.table == table)
    };
    if let Some(pk) = of_table(ConstraintKind::Primary).find_map(|c| cols(&c.columns)) {
        return pk;
    }
    let not_null = |n: &String| {
        catalog
            .tables
            .iter()
            .find(|t| t.owner == owner && t.name == table)
            .and_then(|t| t.columns.iter().find(|c| &c.name == n))
            .is_some_and(|c| !c.nullable)
    };
    of_table(ConstraintKind::Unique)
        .filter(|c| c.columns.iter().all(not_null))
        .find_map(|c| cols(&c.columns))
        .unwrap_or_default()
}

/// The value of `alias.col` as text, `char(n)` padding kept.
pub fn text_of(alias: &str, col: &Col) -> String {
    if col.padded {
        format!("textin(bpcharout({alias}.{}))", ident(&col.name))
    } else {
        format!("{alias}.{}::text", ident(&col.name))
    }
}

/// The stored bytes of `alias.col` in the server encoding `enc`.
pub fn stored(alias: &str, col: &Col, enc: &str) -> String {
    format!("convert_to({}, {})", text_of(alias, col), literal(enc))
}

/// The row identity written to the audit table and compared on restore (see the module doc).
pub fn row_id(alias: &str, key: &[Col], enc: &str) -> String {
    if key.is_empty() {
        return format!("'md5:' || md5({alias}::text)");
    }
    let parts: Vec<String> = key
        .iter()
        .map(|k| format!("coalesce(encode({}, 'hex'), 'N')", stored(alias, k, enc)))
        .collect();
    format!("concat_ws(',', {})", parts.join(", "))
}

/// The key columns' stored bytes as a `bytea[]` (for messages); NULL for a keyless table.
pub fn key_bytes(alias: &str, key: &[Col], enc: &str) -> String {
    if key.is_empty() {
        return "NULL::bytea[]".into();
    }
    let parts: Vec<String> = key.iter().map(|k| stored(alias, k, enc)).collect();
    format!("ARRAY[{}]::bytea[]", parts.join(", "))
}

/// A name as psql accepts it typed: bare when it is a plain lower-case identifier, else
/// quoted by the dialect's quoting function.
pub fn shown(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RESERVED.contains(&name);
    if plain { name.to_string() } else { ident(name) }
}

/// `schema.table` (or `schema.table.column`) as psql accepts it typed.
pub fn shown_path(parts: &[&str]) -> String {
    parts.iter().map(|p| shown(p)).collect::<Vec<_>>().join(".")
}

/// Reserved words that must be quoted even when lower case (PostgreSQL's reserved keywords).
const RESERVED: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "current_catalog",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "from",
    "grant",
    "group",
    "having",
    "in",
    "initially",
    "intersect",
    "into",
    "lateral",
    "leading",
    "limit",
    "localtime",
    "localtimestamp",
    "not",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "placing",
    "primary",
    "references",
    "returning",
    "select",
    "session_user",
    "some",
    "symmetric",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "when",
    "where",
    "window",
    "with",
];

/// A key for messages: `(a, b) = ('DE', 'MÜN-00042') [x'4445', x'4ddc4e…']`: the text read in
/// the server encoding `enc` (control characters escaped) and the stored bytes in hex.
pub fn show_key(key: &[Col], bytes: &[Option<Vec<u8>>], enc: &str) -> String {
    let encoding = resolve(enc, Dialect::Postgres).map(|c| c.encoding);
    let text = |b: &[u8]| -> String {
        let s: String = match encoding {
            Some(Encoding::SingleByte { table, .. }) => b
                .iter()
                .map(|&x| {
                    crate::charset::convert::decode_byte(
                        table,
                        crate::charset::Policy::MappingOnly,
                        x,
                    )
                    .unwrap_or('\u{FFFD}')
                })
                .collect(),
            _ => String::from_utf8_lossy(b).into_owned(),
        };
        crate::report::term::escape(&s).into_owned()
    };
    let names: Vec<String> = key.iter().map(|k| shown(&k.name)).collect();
    let mut values = Vec::new();
    let mut hexes = Vec::new();
    for b in bytes {
        match b {
            Some(b) => {
                values.push(format!("'{}'", text(b).replace('\'', "''")));
                hexes.push(format!("x'{}'", hex(b)));
            }
            None => {
                values.push("NULL".into());
                hexes.push("NULL".into());
            }
        }
    }
    format!(
        "({}) = ({}) [{}]",
        names.join(", "),
        values.join(", "),
        hexes.join(", ")
    )
}

/// Lower-case hex, as PostgreSQL's `encode(…, 'hex')` writes it.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, padded: bool) -> Col {
        Col {
            name: name.into(),
            padded,
            data_type: if padded { "character" } else { "text" }.into(),
            max_chars: None,
        }
    }

    #[test]
    fn padded_values_keep_their_blanks_and_keys_are_bytes() {
        assert_eq!(
            stored("x", &col("Code", true), "LATIN1"),
            "convert_to(textin(bpcharout(x.\"Code\")), 'LATIN1')"
        );
        assert_eq!(
            row_id("x", &[col("a", false), col("b", true)], "LATIN9"),
            "concat_ws(',', coalesce(encode(convert_to(x.\"a\"::text, 'LATIN9'), 'hex'), 'N'), \
             coalesce(encode(convert_to(textin(bpcharout(x.\"b\")), 'LATIN9'), 'hex'), 'N'))"
        );
        assert_eq!(row_id("x", &[], "LATIN9"), "'md5:' || md5(x::text)");
    }

    #[test]
    fn names_shown_as_psql_takes_them() {
        assert_eq!(
            shown_path(&["charmig", "charmig_repaired"]),
            "charmig.charmig_repaired"
        );
        assert_eq!(shown_path(&["CHARMIG", "t"]), "\"CHARMIG\".t");
        assert_eq!(shown("order"), "\"order\"");
        assert_eq!(shown("Straße"), "\"Straße\"");
        assert_eq!(shown("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn keys_shown_as_text_and_hex() {
        let k = [col("land", false), col("code", true)];
        let b = [Some(b"DE".to_vec()), Some(b"M\xDCN-1\n".to_vec())];
        assert_eq!(
            show_key(&k, &b, "LATIN1"),
            "(land, code) = ('DE', 'MÜN-1\\n') [x'4445', x'4ddc4e2d310a']"
        );
    }
}
