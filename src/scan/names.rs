//! Names that outgrow the target's identifier limit once encoded in UTF-8.
//!
//! A name of 63 bytes in a LATIN9 PostgreSQL database (`'a'*61||'Zé'`) is 64 bytes in UTF-8:
//! the target server silently truncates it, and a copy then asks for a column that cannot
//! exist. The scan lists every such name (schemas, tables, columns, constraints, indexes,
//! sequences, triggers of the tables in scope) with the name to rename it to before the move.
//! Limits: PostgreSQL 63 bytes (NAMEDATALEN - 1); Oracle 128 bytes from 12.2, 30 before.

use crate::catalog::{Catalog, SourceInfo};
use crate::charset::{self, Dialect};
use serde::{Deserialize, Serialize};

/// One name too long for the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LongName {
    /// `schema`, `table`, `column`, `constraint`, `index`, `sequence`, `trigger`.
    pub kind: String,
    pub owner: String,
    /// The table a column, constraint, index or trigger belongs to.
    pub table: Option<String>,
    pub name: String,
    /// Bytes in the source charset (when it can encode the name).
    pub source_bytes: Option<u64>,
    pub utf8_bytes: u64,
    pub limit: u64,
    /// The longest prefix of the name that fits the limit in UTF-8: a rename to make (check
    /// that it is unique among its siblings).
    pub rename_to: String,
}

/// The identifier limit of the target, in bytes: PostgreSQL 63; Oracle 128 from 12.2, else
/// 30 (a version that cannot be read counts as 12.2+).
pub fn identifier_limit(source: &SourceInfo) -> usize {
    match source.dialect {
        Dialect::Postgres => crate::catalog::PG_NAME_BYTES,
        Dialect::Oracle => {
            let mut parts = source.version.split('.').map(|p| p.trim().parse::<u32>());
            match (parts.next(), parts.next()) {
                (Some(Ok(major)), _) if major > 12 => 128,
                (Some(Ok(12)), Some(Ok(minor))) if minor >= 2 => 128,
                (Some(Ok(major)), _) if major <= 12 => 30,
                _ => 128,
            }
        }
    }
}

/// The longest prefix of `name` of at most `limit` UTF-8 bytes.
pub fn fit(name: &str, limit: usize) -> String {
    let mut end = limit.min(name.len());
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_string()
}

/// Every name of the tables in scope (`in_scope(owner, table)`) that is longer than the
/// target's limit in UTF-8.
pub fn long_names(catalog: &Catalog, in_scope: &dyn Fn(&str, &str) -> bool) -> Vec<LongName> {
    let limit = identifier_limit(&catalog.source);
    let enc = charset::resolve(&catalog.source.charset, catalog.source.dialect).map(|c| c.encoding);
    let mut out = Vec::new();
    let mut check = |kind: &str, owner: &str, table: Option<&str>, name: &str| {
        if name.len() <= limit {
            return;
        }
        out.push(LongName {
            kind: kind.into(),
            owner: owner.into(),
            table: table.map(str::to_string),
            name: name.into(),
            source_bytes: enc
                .as_ref()
                .and_then(|e| charset::encode(name, e))
                .map(|b| b.len() as u64),
            utf8_bytes: name.len() as u64,
            limit: limit as u64,
            rename_to: fit(name, limit),
        });
    };
    let mut owners: Vec<&str> = Vec::new();
    for t in catalog
        .tables
        .iter()
        .filter(|t| in_scope(&t.owner, &t.name))
    {
        if !owners.contains(&t.owner.as_str()) {
            owners.push(&t.owner);
        }
        check("table", &t.owner, None, &t.name);
        for c in &t.columns {
            check("column", &t.owner, Some(&t.name), &c.name);
        }
    }
    for o in owners {
        check("schema", o, None, o);
    }
    for k in catalog
        .constraints
        .iter()
        .filter(|k| in_scope(&k.owner, &k.table))
    {
        check("constraint", &k.owner, Some(&k.table), &k.name);
    }
    for i in catalog
        .indexes
        .iter()
        .filter(|i| in_scope(&i.table_owner, &i.table))
    {
        check("index", &i.owner, Some(&i.table), &i.name);
    }
    for t in catalog
        .triggers
        .iter()
        .filter(|t| in_scope(&t.table_owner, &t.table))
    {
        check("trigger", &t.owner, Some(&t.table), &t.name);
    }
    let scanned_owners: Vec<&str> = catalog
        .tables
        .iter()
        .filter(|t| in_scope(&t.owner, &t.name))
        .map(|t| t.owner.as_str())
        .collect();
    for s in catalog
        .sequences
        .iter()
        .filter(|s| scanned_owners.contains(&s.owner.as_str()))
    {
        check("sequence", &s.owner, None, &s.name);
    }
    unique_renames(&mut out, catalog, limit);
    out
}

/// Makes each suggested rename unique where PostgreSQL and Oracle need it: among the
/// relations of a schema (tables, indexes, sequences share one namespace; a key's index is
/// named like the key), and among the columns of a table. A rename that would meet another
/// rename or an existing name gets a `_2`, `_3`… suffix within the limit (`ééé…_pkey`
/// would otherwise be told to become its table's own new name).
fn unique_renames(out: &mut [LongName], catalog: &Catalog, limit: usize) {
    let space = |l: &LongName| -> (String, String) {
        match l.kind.as_str() {
            "column" => (l.owner.clone(), l.table.clone().unwrap_or_default()),
            "trigger" => (
                l.owner.clone(),
                format!("trigger {}", l.table.clone().unwrap_or_default()),
            ),
            "schema" => (String::new(), "schemas".into()),
            _ => (l.owner.clone(), String::new()),
        }
    };
    let existing = |owner: &str, table: &str, name: &str| -> bool {
        if table.is_empty() {
            catalog
                .tables
                .iter()
                .any(|t| t.owner == owner && t.name == name)
                || catalog
                    .indexes
                    .iter()
                    .any(|i| i.owner == owner && i.name == name)
                || catalog
                    .sequences
                    .iter()
                    .any(|s| s.owner == owner && s.name == name)
        } else {
            catalog.tables.iter().any(|t| {
                t.owner == owner && t.name == table && t.columns.iter().any(|c| c.name == name)
            })
        }
    };
    let mut taken: Vec<((String, String), String)> = Vec::new();
    for i in 0..out.len() {
        let key = space(&out[i]);
        // A key and its index carry one name: they share the rename.
        if let Some(p) = out[..i].iter().position(|p| {
            space(p) == key
                && p.name == out[i].name
                && matches!(
                    (p.kind.as_str(), out[i].kind.as_str()),
                    ("constraint", "index") | ("index", "constraint")
                )
        }) {
            out[i].rename_to = out[p].rename_to.clone();
            continue;
        }
        let mut n = 1;
        let mut candidate = out[i].rename_to.clone();
        while taken.iter().any(|(k, r)| *k == key && *r == candidate)
            || existing(&key.0, &key.1, &candidate) && candidate != out[i].name
        {
            n += 1;
            let suffix = format!("_{n}");
            candidate = format!(
                "{}{suffix}",
                fit(&out[i].name, limit.saturating_sub(suffix.len()))
            );
        }
        out[i].rename_to = candidate.clone();
        taken.push((key, candidate));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Column, MaxStringSize, Table};

    fn source(dialect: Dialect, version: &str, charset: &str) -> SourceInfo {
        SourceInfo {
            dialect,
            version: version.into(),
            charset: charset.into(),
            nchar_charset: None,
            max_string_size: MaxStringSize::Standard,
            identity: None,
        }
    }

    #[test]
    fn limits_per_target() {
        assert_eq!(
            identifier_limit(&source(Dialect::Postgres, "16.2", "LATIN9")),
            63
        );
        assert_eq!(
            identifier_limit(&source(Dialect::Oracle, "19.3.0.0.0", "X")),
            128
        );
        assert_eq!(
            identifier_limit(&source(Dialect::Oracle, "12.2.0.1.0", "X")),
            128
        );
        assert_eq!(
            identifier_limit(&source(Dialect::Oracle, "12.1.0.2.0", "X")),
            30
        );
        assert_eq!(
            identifier_limit(&source(Dialect::Oracle, "11.2.0.4", "X")),
            30
        );
    }

    #[test]
    fn a_63_byte_latin9_name_is_64_in_utf8() {
        let long = format!("{}Zé", "a".repeat(61));
        let col = |name: &str| Column {
            name: name.into(),
            column_id: 1,
            data_type: "text".into(),
            data_length: None,
            char_length: None,
            semantics: None,
            nullable: true,
        };
        let cat = Catalog::with_tables(
            source(Dialect::Postgres, "16", "LATIN9"),
            vec![Table {
                owner: "public".into(),
                name: "t".into(),
                num_rows: None,
                columns: vec![col(&long), col(&"b".repeat(63))],
            }],
        );
        let got = long_names(&cat, &|_, _| true);
        assert_eq!(got.len(), 1, "{got:?}");
        let n = &got[0];
        assert_eq!((n.kind.as_str(), n.table.as_deref()), ("column", Some("t")));
        assert_eq!((n.source_bytes, n.utf8_bytes, n.limit), (Some(63), 64, 63));
        assert_eq!(n.rename_to, format!("{}Z", "a".repeat(61)));
        assert!(long_names(&cat, &|_, _| false).is_empty());
    }
}
