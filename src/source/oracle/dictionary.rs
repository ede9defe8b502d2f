//! Dictionary rows -> [`Catalog`]: pure functions over rows represented generically (column
//! name -> value, `None` for NULL), so the mapping is tested over recorded rows
//! (`tests/fixtures/oracle_dict/*.csv`) exactly as it runs over live ones.
//!
//! Column names are the lower-case aliases of the queries in `sql.rs`. Oracle has no empty
//! strings (`''` is NULL), so an empty CSV field and NULL are the same thing here.
//!
//! What is left out, always with a reason in [`Mapped::skipped`]: recycle-bin tables
//! (`BIN$…`, DROPPED = YES), external tables (their data lives in files), global temporary
//! tables (no data outside a session), IOT overflow segments (read through their IOT),
//! nested-table storage (not queryable) and object tables (attributes are not read) — both
//! reported as not scanned —, virtual columns (computed, nothing stored), and
//! Oracle-maintained schemas unless asked.

use super::sql::is_maintained_name;
use crate::catalog::*;
use crate::source::LeftOut;
use std::collections::{BTreeMap, HashMap};

/// One dictionary row: lower-case column name -> value (`None` = NULL).
pub type Row = BTreeMap<String, Option<String>>;

/// A dictionary row that cannot be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{view} row {row}: {message}")]
pub struct DictError {
    pub view: String,
    pub row: usize,
    pub message: String,
}

/// The rows of every dictionary query.
#[derive(Debug, Default, Clone)]
pub struct DictRows {
    pub tables: Vec<Row>,
    pub columns: Vec<Row>,
    pub constraints: Vec<Row>,
    pub constraint_columns: Vec<Row>,
    pub indexes: Vec<Row>,
    pub index_columns: Vec<Row>,
    pub triggers: Vec<Row>,
    pub sequences: Vec<Row>,
    pub objects: Vec<Row>,
    /// DBA_ERRORS lines (used by the problem-object report, not by the catalog).
    pub errors: Vec<Row>,
    /// Partitioning key columns (`owner`, `table_name`, `column_name`, `key_kind`).
    pub partition_keys: Vec<Row>,
}

impl DictRows {
    /// Stores the rows of the query named `name` (see `sql::dictionary_queries`); false for
    /// an unknown name.
    pub fn set(&mut self, name: &str, rows: Vec<Row>) -> bool {
        let slot = match name {
            "tables" => &mut self.tables,
            "columns" => &mut self.columns,
            "constraints" => &mut self.constraints,
            "constraint_columns" => &mut self.constraint_columns,
            "indexes" => &mut self.indexes,
            "index_columns" => &mut self.index_columns,
            "triggers" => &mut self.triggers,
            "sequences" => &mut self.sequences,
            "objects" => &mut self.objects,
            "errors" => &mut self.errors,
            "partition_keys" => &mut self.partition_keys,
            _ => return false,
        };
        *slot = rows;
        true
    }

    /// Reads `NAME.csv` for every dictionary query from `dir` (a snapshot's `dictionary/`
    /// directory, as `sql/export_snapshot.sql` writes it). A missing file is an error naming it.
    pub fn load_dir(dir: &std::path::Path) -> Result<DictRows, String> {
        let mut rows = DictRows::default();
        for name in super::sql::DICTIONARY_FILES {
            let path = dir.join(format!("{name}.csv"));
            let f = std::fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let got = rows_from_csv(f).map_err(|e| format!("{}: {e}", path.display()))?;
            rows.set(name, got);
        }
        Ok(rows)
    }
}

/// The catalog and what was left out of it.
#[derive(Debug, Clone)]
pub struct Mapped {
    pub catalog: Catalog,
    pub skipped: Vec<LeftOut>,
}

fn get<'a>(r: &'a Row, k: &str) -> Option<&'a str> {
    r.get(k)
        .and_then(|v| v.as_deref())
        .filter(|v| !v.is_empty())
}

fn need<'a>(view: &str, i: usize, r: &'a Row, k: &str) -> Result<&'a str, DictError> {
    get(r, k).ok_or_else(|| DictError {
        view: view.into(),
        row: i + 1,
        message: format!("`{k}` is missing or NULL"),
    })
}

fn num<T: std::str::FromStr>(
    view: &str,
    i: usize,
    r: &Row,
    k: &str,
) -> Result<Option<T>, DictError> {
    match get(r, k) {
        None => Ok(None),
        Some(v) => v.trim().parse::<T>().map(Some).map_err(|_| DictError {
            view: view.into(),
            row: i + 1,
            message: format!("`{k}` = `{v}` is not a number"),
        }),
    }
}

fn yes(r: &Row, k: &str) -> bool {
    matches!(get(r, k), Some("YES" | "Y"))
}

/// The source parameters from NLS_DATABASE_PARAMETERS rows (`parameter`, `value`), the
/// server version and MAX_STRING_SIZE (as read from V$PARAMETER or the probe).
pub fn source_info(
    nls: &[Row],
    version: &str,
    max_string_size: MaxStringSize,
) -> Result<SourceInfo, DictError> {
    let param = |name: &str| {
        nls.iter()
            .find(|r| get(r, "parameter") == Some(name))
            .and_then(|r| get(r, "value"))
    };
    let charset = param("NLS_CHARACTERSET").ok_or_else(|| DictError {
        view: "NLS_DATABASE_PARAMETERS".into(),
        row: 0,
        message: "no NLS_CHARACTERSET row".into(),
    })?;
    Ok(SourceInfo {
        dialect: crate::charset::Dialect::Oracle,
        version: version.to_string(),
        charset: charset.to_string(),
        nchar_charset: param("NLS_NCHAR_CHARACTERSET").map(str::to_string),
        max_string_size,
        identity: None,
    })
}

/// The identity from the first row of [`super::sql::identity`] or
/// [`super::sql::identity_v_database`] (`dbid`, `name`); `None` when either is missing.
pub fn identity_from(rows: &[Row]) -> Option<crate::catalog::DbIdentity> {
    let r = rows.first()?;
    Some(crate::catalog::DbIdentity {
        system_id: get(r, "dbid")?.trim().to_string(),
        database: get(r, "name")?.trim().to_string(),
    })
}

/// MAX_STRING_SIZE from V$PARAMETER's value, or from the RPAD probe's length.
pub fn max_string_size_from(value: Option<&str>, probe_len: Option<u32>) -> MaxStringSize {
    match (value.map(|v| v.trim().to_ascii_uppercase()), probe_len) {
        (Some(v), _) if v == "EXTENDED" => MaxStringSize::Extended,
        (Some(_), _) => MaxStringSize::Standard,
        (None, Some(n)) if n > 4000 => MaxStringSize::Extended,
        _ => MaxStringSize::Standard,
    }
}

/// Maps the rows to a catalog.
pub fn map_catalog(
    source: SourceInfo,
    rows: &DictRows,
    include_maintained: bool,
) -> Result<Mapped, DictError> {
    let mut skipped = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut index_of: HashMap<(String, String), usize> = HashMap::new();
    let keep_owner = |o: &str| include_maintained || !is_maintained_name(o);
    for (i, r) in rows.tables.iter().enumerate() {
        let owner = need("TABLES", i, r, "owner")?;
        let name = need("TABLES", i, r, "table_name")?;
        if !keep_owner(owner) {
            continue;
        }
        let reason = if yes(r, "dropped") || name.starts_with("BIN$") {
            Some("recycle-bin table (BIN$, DROPPED = YES): purge it or leave it; it is not scanned")
        } else if yes(r, "external") {
            Some("external table: its data lives in files outside the database and is not scanned")
        } else if get(r, "temporary") == Some("Y") {
            Some("global temporary table: holds no data outside a session")
        } else if get(r, "iot_type") == Some("IOT_OVERFLOW") {
            Some("IOT overflow segment: its columns are read through the index-organized table")
        } else if yes(r, "nested") {
            Some(
                "nested-table storage: Oracle does not let it be queried directly (ORA-22812); not scanned",
            )
        } else if yes(r, "mview") {
            Some(
                "materialized view container: its rows are its query's result over the tables scanned; not scanned, changed or copied (a read-only one refuses writes, ORA-12081): the target refreshes it after the copy",
            )
        } else if yes(r, "object_table") {
            Some(
                "object table (TABLE OF a type): charmig does not read object attributes; not scanned",
            )
        } else {
            None
        };
        if let Some(reason) = reason {
            skipped.push(LeftOut {
                owner: owner.into(),
                table: name.into(),
                column: None,
                reason: reason.into(),
            });
            continue;
        }
        index_of.insert((owner.to_string(), name.to_string()), tables.len());
        tables.push(Table {
            owner: owner.to_string(),
            name: name.to_string(),
            num_rows: num("TABLES", i, r, "num_rows")?,
            columns: Vec::new(),
        });
    }
    for (i, r) in rows.columns.iter().enumerate() {
        let key = (
            need("TAB_COLS", i, r, "owner")?.to_string(),
            need("TAB_COLS", i, r, "table_name")?.to_string(),
        );
        let Some(&ti) = index_of.get(&key) else {
            continue;
        };
        let name = need("TAB_COLS", i, r, "column_name")?;
        if yes(r, "virtual_column") {
            skipped.push(LeftOut {
                owner: key.0.clone(),
                table: key.1.clone(),
                column: Some(name.to_string()),
                reason: "virtual column: computed, nothing stored".into(),
            });
            continue;
        }
        let semantics = match get(r, "char_used") {
            Some("B") => Some(Semantics::Byte),
            Some("C") => Some(Semantics::Char),
            None => None,
            Some(other) => {
                return Err(DictError {
                    view: "TAB_COLS".into(),
                    row: i + 1,
                    message: format!("char_used `{other}` is not B, C or NULL"),
                });
            }
        };
        tables[ti].columns.push(Column {
            name: name.to_string(),
            // Invisible columns have no COLUMN_ID: they come after the visible ones.
            column_id: num("TAB_COLS", i, r, "column_id")?.unwrap_or(1000 + i as u32),
            data_type: need("TAB_COLS", i, r, "data_type")?.to_string(),
            data_length: num("TAB_COLS", i, r, "data_length")?,
            char_length: num("TAB_COLS", i, r, "char_length")?,
            semantics,
            nullable: get(r, "nullable") != Some("N"),
        });
    }
    for t in &mut tables {
        t.columns.sort_by_key(|c| c.column_id);
    }
    let mut catalog = Catalog::with_tables(source, tables);
    catalog.constraints = map_constraints(rows, &keep_owner)?;
    catalog.indexes = map_indexes(rows, &catalog.constraints, &keep_owner)?;
    catalog.triggers = map_triggers(rows, &keep_owner)?;
    catalog.sequences = map_sequences(rows, &keep_owner)?;
    catalog.oracle = super::extras::map_extras(rows, &catalog, &keep_owner);
    for (i, r) in rows.objects.iter().enumerate() {
        let owner = need("OBJECTS", i, r, "owner")?;
        if !keep_owner(owner) {
            continue;
        }
        catalog.objects.push(DbObject {
            owner: owner.to_string(),
            name: need("OBJECTS", i, r, "object_name")?.to_string(),
            object_type: need("OBJECTS", i, r, "object_type")?.to_string(),
            status: need("OBJECTS", i, r, "status")?.to_string(),
        });
    }
    Ok(Mapped { catalog, skipped })
}

fn map_constraints(
    rows: &DictRows,
    keep_owner: &dyn Fn(&str) -> bool,
) -> Result<Vec<Constraint>, DictError> {
    // (owner, constraint) -> columns in position order.
    let mut cols: HashMap<(String, String), Vec<(u32, String)>> = HashMap::new();
    for (i, r) in rows.constraint_columns.iter().enumerate() {
        let key = (
            need("CONS_COLUMNS", i, r, "owner")?.to_string(),
            need("CONS_COLUMNS", i, r, "constraint_name")?.to_string(),
        );
        let pos = num("CONS_COLUMNS", i, r, "position")?.unwrap_or(0);
        cols.entry(key)
            .or_default()
            .push((pos, need("CONS_COLUMNS", i, r, "column_name")?.to_string()));
    }
    for v in cols.values_mut() {
        v.sort();
    }
    let names = |o: &str, n: &str| -> Vec<String> {
        cols.get(&(o.to_string(), n.to_string()))
            .map(|v| v.iter().map(|(_, c)| c.clone()).collect())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for (i, r) in rows.constraints.iter().enumerate() {
        let owner = need("CONSTRAINTS", i, r, "owner")?;
        let table = need("CONSTRAINTS", i, r, "table_name")?;
        if !keep_owner(owner) || table.starts_with("BIN$") {
            continue;
        }
        let name = need("CONSTRAINTS", i, r, "constraint_name")?;
        let kind = match need("CONSTRAINTS", i, r, "constraint_type")? {
            "P" => ConstraintKind::Primary,
            "U" => ConstraintKind::Unique,
            "R" => ConstraintKind::Foreign,
            "C" => ConstraintKind::Check,
            _ => ConstraintKind::Other,
        };
        let (ref_owner, ref_constraint) = (get(r, "r_owner"), get(r, "r_constraint_name"));
        let (ref_table, ref_columns) = match (ref_owner, ref_constraint) {
            (Some(ro), Some(rc)) => {
                let table = rows
                    .constraint_columns
                    .iter()
                    .find(|x| get(x, "owner") == Some(ro) && get(x, "constraint_name") == Some(rc))
                    .and_then(|x| get(x, "table_name"))
                    .map(str::to_string);
                (table, names(ro, rc))
            }
            _ => (None, Vec::new()),
        };
        out.push(Constraint {
            owner: owner.to_string(),
            name: name.to_string(),
            table: table.to_string(),
            kind,
            columns: names(owner, name),
            ref_owner: ref_owner.map(str::to_string),
            ref_table,
            ref_constraint: ref_constraint.map(str::to_string),
            ref_columns,
            enabled: get(r, "status") == Some("ENABLED"),
            validated: get(r, "validated") == Some("VALIDATED"),
            // SEARCH_CONDITION_VC (12.2+) or the LONG SEARCH_CONDITION, read when present.
            definition: (kind == ConstraintKind::Check)
                .then(|| get(r, "search_condition_vc").map(str::to_string))
                .flatten(),
            delete_rule: get(r, "delete_rule").map(str::to_string),
        });
    }
    Ok(out)
}

fn map_indexes(
    rows: &DictRows,
    constraints: &[Constraint],
    keep_owner: &dyn Fn(&str) -> bool,
) -> Result<Vec<Index>, DictError> {
    let mut cols: HashMap<(String, String), Vec<(u32, String)>> = HashMap::new();
    for (i, r) in rows.index_columns.iter().enumerate() {
        let key = (
            need("IND_COLUMNS", i, r, "index_owner")?.to_string(),
            need("IND_COLUMNS", i, r, "index_name")?.to_string(),
        );
        let pos = num("IND_COLUMNS", i, r, "column_position")?.unwrap_or(0);
        // A function-based column is listed as a hidden SYS_NC…$ column; its expression is what
        // a DBA recognises.
        let mut text = get(r, "column_expression")
            .or(get(r, "column_name"))
            .unwrap_or("")
            .to_string();
        // A DESC key column is stored as a function-based column over the plain one; its
        // direction is part of the key and of any DDL rebuilt from it.
        if get(r, "descend") == Some("DESC") {
            text.push_str(" DESC");
        }
        cols.entry(key).or_default().push((pos, text));
    }
    for v in cols.values_mut() {
        v.sort();
    }
    let mut out = Vec::new();
    for (i, r) in rows.indexes.iter().enumerate() {
        let owner = need("INDEXES", i, r, "owner")?;
        let table = need("INDEXES", i, r, "table_name")?;
        if !keep_owner(owner) || table.starts_with("BIN$") {
            continue;
        }
        let name = need("INDEXES", i, r, "index_name")?;
        let table_owner = get(r, "table_owner").unwrap_or(owner);
        let partitioned = yes(r, "partitioned");
        let unusable_parts: u64 = num("INDEXES", i, r, "unusable_partitions")?.unwrap_or(0);
        let mut status = get(r, "status").unwrap_or("VALID").to_string();
        if unusable_parts > 0 {
            status = format!("{status} ({unusable_parts} partitions UNUSABLE)");
        }
        if get(r, "funcidx_status") == Some("DISABLED") {
            status = format!("{status} (function-based index DISABLED)");
        }
        // The key this index enforces: CONSTRAINTS.INDEX_OWNER/INDEX_NAME name it (a key may
        // use an index with more columns than the key, so columns are no guide).
        let constraint = rows
            .constraints
            .iter()
            .find(|c| {
                matches!(get(c, "constraint_type"), Some("P" | "U"))
                    && get(c, "index_name") == Some(name)
                    && get(c, "index_owner").unwrap_or(owner) == owner
            })
            .and_then(|c| get(c, "constraint_name"))
            .filter(|n| constraints.iter().any(|k| k.name == *n))
            .map(str::to_string);
        out.push(Index {
            owner: owner.to_string(),
            name: name.to_string(),
            table_owner: table_owner.to_string(),
            table: table.to_string(),
            columns: cols
                .remove(&(owner.to_string(), name.to_string()))
                .map(|v| v.into_iter().map(|(_, c)| c).collect())
                .unwrap_or_default(),
            unique: get(r, "uniqueness") == Some("UNIQUE"),
            index_type: get(r, "index_type").unwrap_or("NORMAL").to_string(),
            constraint,
            status,
            partitioned,
            last_analyzed: get(r, "last_analyzed").map(str::to_string),
            stale_stats: get(r, "stale_stats").map(|v| v == "YES"),
            ddl: None,
        });
    }
    Ok(out)
}

fn map_triggers(
    rows: &DictRows,
    keep_owner: &dyn Fn(&str) -> bool,
) -> Result<Vec<Trigger>, DictError> {
    let mut out = Vec::new();
    for (i, r) in rows.triggers.iter().enumerate() {
        let owner = need("TRIGGERS", i, r, "owner")?;
        if !keep_owner(owner) {
            continue;
        }
        let base = get(r, "base_object_type").unwrap_or("TABLE");
        let definition = [
            get(r, "trigger_type"),
            get(r, "triggering_event"),
            Some(base),
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
        out.push(Trigger {
            owner: owner.to_string(),
            name: need("TRIGGERS", i, r, "trigger_name")?.to_string(),
            table_owner: get(r, "table_owner").unwrap_or("").trim().to_string(),
            table: get(r, "table_name").unwrap_or("").to_string(),
            enabled: get(r, "status") == Some("ENABLED"),
            definition: Some(definition),
        });
    }
    Ok(out)
}

fn map_sequences(
    rows: &DictRows,
    keep_owner: &dyn Fn(&str) -> bool,
) -> Result<Vec<Sequence>, DictError> {
    let mut out = Vec::new();
    for (i, r) in rows.sequences.iter().enumerate() {
        let owner = need("SEQUENCES", i, r, "sequence_owner")?;
        if !keep_owner(owner) {
            continue;
        }
        out.push(Sequence {
            owner: owner.to_string(),
            name: need("SEQUENCES", i, r, "sequence_name")?.to_string(),
            last_value: num("SEQUENCES", i, r, "last_number")?,
            increment: num("SEQUENCES", i, r, "increment_by")?.unwrap_or(1),
            max_value: num("SEQUENCES", i, r, "max_value")?,
            min_value: num("SEQUENCES", i, r, "min_value")?,
            cycle: get(r, "cycle_flag") == Some("Y"),
        });
    }
    Ok(out)
}

/// `(owner, table, column)` of every partitioning key column, without duplicates.
pub fn partition_keys(rows: &[Row]) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = rows
        .iter()
        .filter_map(|r| {
            Some((
                get(r, "owner")?.to_string(),
                get(r, "table_name")?.to_string(),
                get(r, "column_name")?.to_string(),
            ))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Writes rows as CSV with `names` as the header (NULL as an empty field), the shape
/// [`rows_from_csv`] reads back and `sql/export_snapshot.sql` writes.
pub fn write_rows_csv(
    names: &[String],
    rows: &[Row],
    w: impl std::io::Write,
) -> Result<(), csv::Error> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(names)?;
    for r in rows {
        out.write_record(
            names
                .iter()
                .map(|n| r.get(n).and_then(|v| v.as_deref()).unwrap_or("")),
        )?;
    }
    out.flush()?;
    Ok(())
}

/// Reads rows from CSV with a header of column names (recorded dictionary rows, and the
/// dictionary files of a snapshot). Header names are lower-cased; empty fields are NULL.
pub fn rows_from_csv(input: impl std::io::Read) -> Result<Vec<Row>, csv::Error> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(input);
    let header: Vec<String> = rdr
        .headers()?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec?;
        out.push(
            header
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.clone(), (!v.is_empty()).then(|| v.to_string())))
                .collect(),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pairs: &[(&str, &str)]) -> Row {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), (!v.is_empty()).then(|| v.to_string())))
            .collect()
    }

    #[test]
    fn rows_survive_a_csv_round_trip() {
        let names: Vec<String> = ["owner", "table_name", "text"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let rows = vec![
            row(&[
                ("owner", "sales"),
                ("table_name", "order, \"notes\""),
                ("text", "line 1\nline 2"),
            ]),
            row(&[("owner", "HR"), ("table_name", "T"), ("text", "")]),
        ];
        let mut buf = Vec::new();
        write_rows_csv(&names, &rows, &mut buf).unwrap();
        assert_eq!(rows_from_csv(&buf[..]).unwrap(), rows);
        let keys = partition_keys(&[
            row(&[
                ("owner", "S"),
                ("table_name", "T"),
                ("column_name", "B"),
                ("key_kind", "SUBPARTITION"),
            ]),
            row(&[
                ("owner", "S"),
                ("table_name", "T"),
                ("column_name", "A"),
                ("key_kind", "PARTITION"),
            ]),
            row(&[
                ("owner", "S"),
                ("table_name", "T"),
                ("column_name", "A"),
                ("key_kind", "SUBPARTITION"),
            ]),
        ]);
        assert_eq!(
            keys,
            [
                ("S".into(), "T".into(), "A".into()),
                ("S".into(), "T".into(), "B".into())
            ]
        );
    }

    #[test]
    fn identity_from_recorded_rows() {
        let id = identity_from(&[row(&[("dbid", "3141592653"), ("name", "SALESPDB")])]).unwrap();
        assert_eq!(id.system_id, "3141592653");
        assert_eq!(id.database, "SALESPDB");
        assert!(identity_from(&[row(&[("dbid", ""), ("name", "X")])]).is_none());
        assert!(identity_from(&[]).is_none());
    }

    #[test]
    fn max_string_size_sources() {
        assert_eq!(
            max_string_size_from(Some("EXTENDED"), None),
            MaxStringSize::Extended
        );
        assert_eq!(
            max_string_size_from(Some("standard"), Some(32767)),
            MaxStringSize::Standard
        );
        assert_eq!(
            max_string_size_from(None, Some(4001)),
            MaxStringSize::Extended
        );
        assert_eq!(
            max_string_size_from(None, Some(4000)),
            MaxStringSize::Standard
        );
        assert_eq!(max_string_size_from(None, None), MaxStringSize::Standard);
    }

    #[test]
    fn bad_rows_name_the_view_and_row() {
        let info = SourceInfo {
            dialect: crate::charset::Dialect::Oracle,
            version: "19".into(),
            charset: "WE8MSWIN1252".into(),
            nchar_charset: None,
            max_string_size: MaxStringSize::Standard,
            identity: None,
        };
        let rows = DictRows {
            tables: vec![row(&[
                ("owner", "HR"),
                ("table_name", "T"),
                ("num_rows", "12x"),
            ])],
            ..DictRows::default()
        };
        let e = map_catalog(info, &rows, false).unwrap_err();
        assert_eq!(
            e.to_string(),
            "TABLES row 1: `num_rows` = `12x` is not a number"
        );
    }
}
