//! The full Oracle catalog of an offline snapshot: its `dictionary/` files (written by
//! `sql/export_snapshot.sql` or `charmig snapshot`) mapped exactly as live dictionary rows are,
//! so `charmig plan --snapshot` sees the constraints, indexes, triggers, sequences, identity
//! and partitioning key columns a live plan sees. A snapshot without them is refused: a plan
//! made from columns alone would skip every 01/03/04 step and let a MODIFY on a partitioning
//! key (ORA-14060) or under a function-based index (ORA-30556) through unflagged.

use super::dictionary::{self, DictRows};
use crate::catalog::Catalog;
use crate::charset::Dialect;
use crate::source::snapshot::SnapshotSource;
use crate::source::{Source, SourceError};
use std::path::Path;

/// The catalog and partitioning key columns `(owner, table, column)` of a snapshot.
pub fn plan_catalog(dir: &Path) -> Result<(Catalog, Vec<(String, String, String)>), SourceError> {
    let snap = SnapshotSource::open(dir)?;
    let source = snap.catalog().source.clone();
    let dict_dir = dir.join("dictionary");
    if source.dialect != Dialect::Oracle {
        return Err(SourceError::Other(format!(
            "{}: plan --snapshot reads Oracle snapshots with a dictionary/ directory; for PostgreSQL plan with --db URL",
            dir.display()
        )));
    }
    if !dict_dir.is_dir() {
        return Err(SourceError::Snapshot {
            file: dict_dir.display().to_string(),
            line: None,
            message: "missing: a plan needs the snapshot's dictionary (constraints, indexes, triggers, sequences, partitioning keys); export the snapshot with sql/export_snapshot.sql or `charmig snapshot`, or plan with --db URL".into(),
        });
    }
    let rows = DictRows::load_dir(&dict_dir).map_err(|e| SourceError::Snapshot {
        file: dict_dir.display().to_string(),
        line: None,
        message: format!(
            "{e} (export the snapshot again with sql/export_snapshot.sql or `charmig snapshot`)"
        ),
    })?;
    let mapped = dictionary::map_catalog(source, &rows, false)
        .map_err(|e| SourceError::Other(format!("{}: {e}", dict_dir.display())))?;
    Ok((
        mapped.catalog,
        dictionary::partition_keys(&rows.partition_keys),
    ))
}

/// Adds the constraints, indexes, triggers, sequences and Oracle facts of an Oracle snapshot's
/// `dictionary/` to its catalog, for what a scan reports about them (index keys too long after
/// CHAR semantics). The tables stay those of columns.csv, which the data files follow. A
/// snapshot without a dictionary, or with one this version cannot read (an older export
/// missing a file), is scanned as it is, with a note: the dictionary only adds advice.
pub fn enrich(snap: &mut SnapshotSource) -> Result<(), SourceError> {
    let dir = snap.dir().to_path_buf();
    if snap.catalog().source.dialect != Dialect::Oracle || !dir.join("dictionary").is_dir() {
        return Ok(());
    }
    let full = match plan_catalog(&dir) {
        Ok((full, _)) => full,
        Err(e) => {
            eprintln!(
                "note: {}; the scan goes on without the dictionary (index key lengths are not checked)",
                crate::report::term::escape(&e.to_string())
            );
            return Ok(());
        }
    };
    let c = snap.catalog_mut();
    c.constraints = full.constraints;
    c.indexes = full.indexes;
    c.triggers = full.triggers;
    c.sequences = full.sequences;
    c.objects = full.objects;
    c.oracle = full.oracle;
    Ok(())
}
