//! Oracle-only dictionary facts ([`OracleExtras`]) from the same rows as the catalog: IOTs,
//! identity, invisible and virtual columns, system-named constraints. Kept apart from
//! `dictionary.rs` because only the planner and the DB-link copy need them.

use super::dictionary::{DictRows, Row};
use crate::catalog::{Catalog, IdentityColumn, OracleExtras};

fn get<'a>(r: &'a Row, k: &str) -> Option<&'a str> {
    r.get(k)
        .and_then(|v| v.as_deref())
        .filter(|v| !v.is_empty())
}

fn yes(r: &Row, k: &str) -> bool {
    matches!(get(r, k), Some("YES" | "Y"))
}

/// Maps the rows of tables in the catalog (rows of tables left out are ignored).
pub fn map_extras(
    rows: &DictRows,
    catalog: &Catalog,
    keep_owner: &dyn Fn(&str) -> bool,
) -> OracleExtras {
    let known = |o: &str, t: &str| catalog.tables.iter().any(|x| x.owner == o && x.name == t);
    let mut x = OracleExtras::default();
    for r in &rows.tables {
        if let (Some(o), Some(t)) = (get(r, "owner"), get(r, "table_name"))
            && get(r, "iot_type") == Some("IOT")
            && known(o, t)
        {
            x.iot_tables.push((o.to_string(), t.to_string()));
        }
    }
    for r in &rows.columns {
        let (Some(o), Some(t), Some(c)) =
            (get(r, "owner"), get(r, "table_name"), get(r, "column_name"))
        else {
            continue;
        };
        if !known(o, t) {
            continue;
        }
        let key = (o.to_string(), t.to_string(), c.to_string());
        if yes(r, "virtual_column") {
            x.virtual_columns.push(key);
            continue;
        }
        if yes(r, "hidden_column") {
            x.invisible.push(key.clone());
        }
        if yes(r, "identity_column") {
            x.identity.push(IdentityColumn {
                owner: key.0,
                table: key.1,
                column: key.2,
                always: get(r, "generation_type") == Some("ALWAYS"),
                on_null: yes(r, "default_on_null"),
            });
        }
    }
    for r in &rows.constraints {
        if let (Some(o), Some(n)) = (get(r, "owner"), get(r, "constraint_name"))
            && keep_owner(o)
            && get(r, "generated") == Some("GENERATED NAME")
        {
            x.system_named.push((o.to_string(), n.to_string()));
        }
    }
    x
}
