//! `charmig schema` from an Oracle source.

use super::args::SchemaArgs;
use anyhow::{Result, bail};

pub fn schema(_a: SchemaArgs) -> Result<i32> {
    bail!("charmig schema from an Oracle source is not available yet")
}
