//! The Oracle problem-object report: each check built as a pure function of the mapped
//! dictionary (and the DBA_ERRORS rows and orphan counts), so it is tested over recorded rows.
//!
//! Checks marked [`Severity::Problem`] are the ones DBAs clear before any migration; the
//! [`Severity::Info`] ones are what a charset move changes (BYTE semantics, NCHAR, LONG,
//! function-based indexes over character columns).

use super::dictionary::{Mapped, Row};
use super::sql;
use crate::catalog::{Catalog, ColumnKind, ConstraintKind, Semantics};
use crate::charset::Dialect;
use crate::objects::{ObjectReport, Section, Severity};
use std::collections::{BTreeMap, HashMap};

/// Orphan counts per foreign key `(owner, constraint)`: the count, or why it failed.
pub type OrphanCounts = HashMap<(String, String), Result<u64, String>>;

/// Error lines shown per invalid object.
const ERROR_LINES: usize = 5;

/// Counts the orphans of every enabled, NOT VALIDATED foreign key with `run` (which executes
/// one `SELECT COUNT(*)`). A failure is kept per key, not fatal.
pub fn count_orphans<E: std::fmt::Display>(
    catalog: &Catalog,
    run: &mut dyn FnMut(&str) -> Result<u64, E>,
) -> OrphanCounts {
    let mut out = OrphanCounts::new();
    for c in catalog
        .constraints
        .iter()
        .filter(|c| c.kind == ConstraintKind::Foreign && c.enabled && !c.validated)
    {
        let key = (c.owner.clone(), c.name.clone());
        let (Some(po), Some(pt)) = (&c.ref_owner, &c.ref_table) else {
            out.insert(
                key,
                Err("the referenced key is not visible to this user".into()),
            );
            continue;
        };
        let r = sql::orphan_count(&c.owner, &c.table, &c.columns, po, pt, &c.ref_columns)
            .map_err(|e| e.to_string())
            .and_then(|q| run(&q).map_err(|e| e.to_string()));
        out.insert(key, r);
    }
    out
}

fn get<'a>(r: &'a Row, k: &str) -> &'a str {
    r.get(k).and_then(|v| v.as_deref()).unwrap_or("")
}

/// Identifiers an index expression mentions: `"quoted"` names as written, unquoted words
/// upper-cased (as Oracle folds them). String literals are skipped.
pub fn expression_names(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = expr.chars().peekable();
    while let Some(c) = it.next() {
        if c == '"' {
            let name: String = it.by_ref().take_while(|&c| c != '"').collect();
            out.push(name);
        } else if c == '\'' {
            // 'it''s' ends at a quote not followed by another quote.
            while let Some(c) = it.next() {
                if c == '\'' && it.peek() != Some(&'\'') {
                    break;
                } else if c == '\'' {
                    it.next();
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let mut w = c.to_string();
            while let Some(&n) = it.peek() {
                if n.is_alphanumeric() || "_$#".contains(n) {
                    w.push(n);
                    it.next();
                } else {
                    break;
                }
            }
            out.push(w.to_uppercase());
        }
    }
    out
}

/// The instant before which statistics are stale: `now` minus `days`, as RFC 3339 (compared
/// with LAST_ANALYZED rendered as `YYYY-MM-DDTHH24:MI:SS`).
pub fn stats_cutoff(now: std::time::SystemTime, days: u32) -> String {
    let back = std::time::Duration::from_secs(u64::from(days) * 86_400);
    crate::scan::time::rfc3339(now.checked_sub(back).unwrap_or(std::time::UNIX_EPOCH))
}

/// The problem-object report of an offline snapshot written by `sql/export_snapshot.sql` or
/// `charmig snapshot`: the same checks over its `dictionary/` files. Orphan rows need the
/// data, so they are listed as not counted.
pub fn from_snapshot(
    dir: &std::path::Path,
    opts: &crate::source::db::ObjectsOptions,
) -> Result<ObjectReport, crate::source::SourceError> {
    use crate::source::{Source, SourceError};
    let snap = crate::source::snapshot::SnapshotSource::open(dir)?;
    if snap.catalog().source.dialect != Dialect::Oracle {
        return Err(SourceError::Other(format!(
            "{}: the offline problem-object report reads Oracle snapshots; for PostgreSQL run `charmig objects --db`",
            dir.display()
        )));
    }
    let rows = super::dictionary::DictRows::load_dir(&dir.join("dictionary")).map_err(|e| SourceError::Snapshot {
        file: dir.join("dictionary").display().to_string(),
        line: None,
        message: format!("{e} (export the snapshot with sql/export_snapshot.sql or `charmig snapshot` to get the dictionary files)"),
    })?;
    let mut rows = rows;
    if !opts.schemas.is_empty() {
        for list in [
            &mut rows.tables,
            &mut rows.columns,
            &mut rows.constraints,
            &mut rows.indexes,
            &mut rows.triggers,
            &mut rows.objects,
            &mut rows.errors,
        ] {
            list.retain(|r| {
                opts.schemas
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(get(r, "owner")))
            });
        }
        rows.sequences.retain(|r| {
            opts.schemas
                .iter()
                .any(|s| s.eq_ignore_ascii_case(get(r, "sequence_owner")))
        });
    }
    let mapped = super::dictionary::map_catalog(
        snap.catalog().source.clone(),
        &rows,
        opts.include_maintained,
    )
    .map_err(|e| SourceError::Other(e.to_string()))?;
    let orphans: OrphanCounts = mapped
        .catalog
        .constraints
        .iter()
        .filter(|c| c.kind == ConstraintKind::Foreign && c.enabled && !c.validated)
        .map(|c| {
            (
                (c.owner.clone(), c.name.clone()),
                Err("counting needs the live database".to_string()),
            )
        })
        .collect();
    let mut report = ObjectReport::new(&snap.describe(), "snapshot dictionary");
    let cutoff = stats_cutoff(std::time::SystemTime::now(), opts.stats_age_days);
    build(
        &mut report,
        &mapped,
        &rows.errors,
        &orphans,
        opts.stats_age_days,
        &cutoff,
    );
    Ok(report)
}

/// Adds every section to `report`. `stats_cutoff` is an RFC 3339 instant: statistics older
/// than it are stale.
pub fn build(
    report: &mut ObjectReport,
    mapped: &Mapped,
    errors: &[Row],
    orphans: &OrphanCounts,
    stats_age_days: u32,
    stats_cutoff: &str,
) {
    let cat = &mapped.catalog;
    let dialect = Dialect::Oracle;

    let mut s = Section::new(
        "disabled_triggers",
        "Disabled triggers",
        Severity::Problem,
        &["trigger", "on", "definition"],
        "Enable each trigger that should run (ALTER TRIGGER owner.name ENABLE) or confirm it is meant to be off. \
         The migration disables triggers while copying and restores the states it found.",
    );
    for t in cat.triggers.iter().filter(|t| !t.enabled) {
        let on = if t.table.is_empty() {
            t.table_owner.clone()
        } else {
            format!("{}.{}", t.table_owner, t.table)
        };
        s.rows.push(vec![
            format!("{}.{}", t.owner, t.name),
            on,
            t.definition.clone().unwrap_or_default(),
        ]);
    }
    report.sections.push(s);

    let mut by_object: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for r in errors {
        by_object
            .entry((
                get(r, "owner").into(),
                get(r, "name").into(),
                get(r, "type").into(),
            ))
            .or_default()
            .push(format!(
                "{} line {}, column {}: {}",
                get(r, "attribute"),
                get(r, "line"),
                get(r, "position"),
                get(r, "text").trim()
            ));
    }
    let mut s = Section::new(
        "invalid_objects",
        "Invalid objects",
        Severity::Problem,
        &["object", "type", "status", "errors"],
        "Recompile (EXEC UTL_RECOMP.RECOMP_SERIAL('SCHEMA'), or ALTER … COMPILE) and fix the errors shown. An \
         object invalid before the move cannot be told apart from one the move broke.",
    );
    for o in &cat.objects {
        let lines = by_object
            .get(&(o.owner.clone(), o.name.clone(), o.object_type.clone()))
            .cloned()
            .unwrap_or_default();
        let mut shown: Vec<String> = lines.iter().take(ERROR_LINES).cloned().collect();
        if lines.len() > ERROR_LINES {
            shown.push(format!(
                "(+{} more in {}ERRORS)",
                lines.len() - ERROR_LINES,
                report.dictionary
            ));
        }
        s.rows.push(vec![
            format!("{}.{}", o.owner, o.name),
            o.object_type.clone(),
            o.status.clone(),
            shown.join(" | "),
        ]);
    }
    report.sections.push(s);

    let kind_name = |k: ConstraintKind| match k {
        ConstraintKind::Primary => "PRIMARY KEY",
        ConstraintKind::Unique => "UNIQUE",
        ConstraintKind::Foreign => "FOREIGN KEY",
        ConstraintKind::Check => "CHECK",
        ConstraintKind::Other => "OTHER",
    };
    let mut s = Section::new(
        "disabled_constraints",
        "Disabled constraints",
        Severity::Problem,
        &["constraint", "table", "type", "columns"],
        "Enable them (ALTER TABLE … ENABLE VALIDATE CONSTRAINT …) after fixing the rows that violate them, or drop \
         them if they are obsolete. Disabled constraints let bad rows travel to the target unnoticed.",
    );
    for c in cat.constraints.iter().filter(|c| !c.enabled) {
        s.rows.push(vec![
            format!("{}.{}", c.owner, c.name),
            format!("{}.{}", c.owner, c.table),
            kind_name(c.kind).into(),
            c.columns.join(", "),
        ]);
    }
    report.sections.push(s);

    let mut s = Section::new(
        "not_validated_constraints",
        "Enabled but NOT VALIDATED constraints",
        Severity::Problem,
        &["constraint", "table", "type", "columns", "orphan rows"],
        "Existing rows were never checked. For foreign keys, delete or fix the orphan rows, then ALTER TABLE … \
         ENABLE VALIDATE CONSTRAINT …; the target can only validate what the source already satisfies.",
    );
    for c in cat.constraints.iter().filter(|c| c.enabled && !c.validated) {
        let orphans = match orphans.get(&(c.owner.clone(), c.name.clone())) {
            Some(Ok(n)) => n.to_string(),
            Some(Err(e)) => format!("not counted: {e}"),
            None if c.kind == ConstraintKind::Foreign => "not counted".into(),
            None => "-".into(),
        };
        s.rows.push(vec![
            format!("{}.{}", c.owner, c.name),
            format!("{}.{}", c.owner, c.table),
            kind_name(c.kind).into(),
            c.columns.join(", "),
            orphans,
        ]);
    }
    report.sections.push(s);

    let mut s = Section::new(
        "index_statistics",
        &format!("Indexes with missing or stale statistics (older than {stats_age_days} days)"),
        Severity::Problem,
        &["index", "table", "last analyzed", "why"],
        "Gather statistics before the move (DBMS_STATS.GATHER_TABLE_STATS with cascade => TRUE) so that the scan's \
         size estimates and the target's plans start from current figures.",
    );
    for i in cat
        .indexes
        .iter()
        .filter(|i| !matches!(i.index_type.as_str(), "LOB" | "DOMAIN"))
    {
        let why = match (&i.last_analyzed, i.stale_stats) {
            (None, _) => Some("never analyzed".to_string()),
            (Some(_), Some(true)) => Some("statistics flagged STALE".to_string()),
            (Some(a), _) if a.as_str() < &stats_cutoff[..stats_cutoff.len().min(a.len())] => {
                Some(format!("older than {stats_age_days} days"))
            }
            _ => None,
        };
        if let Some(why) = why {
            s.rows.push(vec![
                format!("{}.{}", i.owner, i.name),
                format!("{}.{}", i.table_owner, i.table),
                i.last_analyzed.clone().unwrap_or_default(),
                why,
            ]);
        }
    }
    report.sections.push(s);

    let mut s = Section::new(
        "unusable_indexes",
        "Unusable or invalid indexes",
        Severity::Problem,
        &["index", "table", "status"],
        "Rebuild them (ALTER INDEX … REBUILD [PARTITION …]) or drop them; an unusable index fails DML on its table \
         (ORA-01502) unless SKIP_UNUSABLE_INDEXES applies.",
    );
    for i in cat
        .indexes
        .iter()
        .filter(|i| i.status != "VALID" && i.status != "N/A")
    {
        s.rows.push(vec![
            format!("{}.{}", i.owner, i.name),
            format!("{}.{}", i.table_owner, i.table),
            i.status.clone(),
        ]);
    }
    report.sections.push(s);

    let mut byte = Section::new(
        "byte_semantics_columns",
        "Character columns with BYTE length semantics",
        Severity::Info,
        &["column", "type", "length"],
        "After the move a character may take up to 4 bytes: `charmig scan` shows which values would no longer fit, \
         and `charmig plan` switches these columns to CHAR semantics.",
    );
    let mut nchar = Section::new(
        "nchar_columns",
        "NCHAR, NVARCHAR2 and NCLOB columns",
        Severity::Info,
        &["column", "type"],
        "Stored in the national charset, which a database charset change leaves as it is; nothing to convert.",
    );
    let mut long = Section::new(
        "long_columns",
        "LONG columns",
        Severity::Info,
        &["column"],
        "LONG cannot cross a database link (ORA-00997) and charmig reads it through PL/SQL only up to 32760 bytes. \
         Convert to CLOB before the move (ALTER TABLE … MODIFY (col CLOB)).",
    );
    for t in &cat.tables {
        for c in &t.columns {
            let name = format!("{}.{}.{}", t.owner, t.name, c.name);
            match c.kind(dialect) {
                ColumnKind::Varchar | ColumnKind::Char if c.semantics == Some(Semantics::Byte) => {
                    byte.rows.push(vec![
                        name,
                        c.data_type.clone(),
                        format!("{} BYTE", c.data_length.unwrap_or(0)),
                    ]);
                }
                ColumnKind::National => nchar.rows.push(vec![name, c.data_type.clone()]),
                ColumnKind::Long => long.rows.push(vec![name]),
                _ => {}
            }
        }
    }
    report.sections.extend([byte, nchar, long]);

    let mut s = Section::new(
        "function_based_indexes_on_char",
        "Function-based indexes on character columns",
        Severity::Info,
        &["index", "table", "expression", "character columns"],
        "Their values are recomputed from converted data: check expressions with byte offsets (SUBSTRB, LENGTHB) or \
         charset-dependent functions, and rebuild these indexes after the move.",
    );
    for i in cat
        .indexes
        .iter()
        .filter(|i| i.index_type.starts_with("FUNCTION-BASED"))
    {
        let Some(t) = cat
            .tables
            .iter()
            .find(|t| t.owner == i.table_owner && t.name == i.table)
        else {
            continue;
        };
        let char_cols: Vec<&str> = t
            .columns
            .iter()
            .filter(|c| {
                matches!(
                    c.kind(dialect),
                    ColumnKind::Varchar
                        | ColumnKind::Char
                        | ColumnKind::Clob
                        | ColumnKind::National
                )
            })
            .map(|c| c.name.as_str())
            .collect();
        let mut used: Vec<String> = Vec::new();
        for e in &i.columns {
            for n in expression_names(e) {
                if char_cols.contains(&n.as_str()) && !used.contains(&n) {
                    used.push(n);
                }
            }
        }
        if !used.is_empty() {
            s.rows.push(vec![
                format!("{}.{}", i.owner, i.name),
                format!("{}.{}", i.table_owner, i.table),
                i.columns.join(", "),
                used.join(", "),
            ]);
        }
    }
    report.sections.push(s);

    for l in &mapped.skipped {
        report
            .not_checked
            .push(format!("{}: {}", l.object(), l.reason));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_cutoff_goes_back_whole_days() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_000_000); // 2026-11-18T11:06:40Z
        assert_eq!(stats_cutoff(t, 30), "2026-10-19T11:06:40Z");
        assert_eq!(stats_cutoff(t, 0), "2026-11-18T11:06:40Z");
    }

    #[test]
    fn expression_names_fold_unquoted_and_skip_literals() {
        assert_eq!(
            expression_names("UPPER(\"LAST_NAME\")"),
            vec!["UPPER", "LAST_NAME"]
        );
        assert_eq!(
            expression_names("substrb(name,1,10)||'x''y name'"),
            vec!["SUBSTRB", "NAME"]
        );
        assert_eq!(
            expression_names("LOWER(\"Mixed Case\")"),
            vec!["LOWER", "Mixed Case"]
        );
    }
}
