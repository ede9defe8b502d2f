//! Live postgres source (work in progress: being built in its own branch).

use super::db::{ConnectOptions, DbSource, ObjectsOptions};
use super::{Chunk, Part, Source, SourceError};
use crate::catalog::Catalog;
use crate::objects::ObjectReport;

pub struct PgSource {
    catalog: Catalog,
}

impl PgSource {
    pub fn connect(_opts: &ConnectOptions) -> Result<PgSource, SourceError> {
        Err(SourceError::Other("live postgres sources are not available in this build".into()))
    }
}

impl Source for PgSource {
    fn describe(&self) -> String {
        "postgres".into()
    }
    fn catalog(&self) -> &Catalog {
        &self.catalog
    }
    fn size_hint(&self, _table: usize) -> u64 {
        0
    }
    fn parts(&self, _table: usize, _columns: &[usize]) -> Result<Vec<Part>, SourceError> {
        Ok(Vec::new())
    }
    fn read(&self, _part: &Part, _columns: &[usize], _emit: &mut dyn FnMut(Box<dyn Chunk>) -> bool) -> Result<(), SourceError> {
        Ok(())
    }
}

impl DbSource for PgSource {
    fn problem_objects(&self, _opts: &ObjectsOptions) -> Result<ObjectReport, SourceError> {
        Err(SourceError::Other("not available".into()))
    }
}
