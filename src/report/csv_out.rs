//! `columns.csv` and `exceptions.csv`.

use crate::scan::ScanResult;
use std::io::Write;

/// The header of `columns.csv`: the first eleven names are a stable interface; new columns
/// are added at the end. `auto_win1252` counts values `auto` read as `auto_base` (the name
/// is kept from when that was always WIN1252).
pub const COLUMNS_HEADER: [&str; 32] = [
    "owner",
    "table_name",
    "column_name",
    "data_type",
    "rows",
    "nulls",
    "changeless",
    "convertible",
    "truncation",
    "lossy",
    "max_post_bytes",
    "semantics",
    "data_length",
    "char_length",
    "source_charset",
    "assumed",
    "limit",
    "limit_kind",
    "char_changeless",
    "char_convertible",
    "char_truncation",
    "char_lossy",
    "stray_cp1252",
    "utf8_passthrough",
    "replacement_char",
    "cesu8_surrogates",
    "auto_utf8",
    "auto_win1252",
    "auto_base",
    "double_encoded",
    "findings",
    "hex_cut",
];

/// The header of `exceptions.csv`: the first five names are a stable interface.
pub const EXCEPTIONS_HEADER: [&str; 13] = [
    "owner",
    "table_name",
    "column_name",
    "rowid",
    "category",
    "reason",
    "current_bytes",
    "post_bytes",
    "limit",
    "hex",
    "preview",
    "flags",
    "detail",
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

pub fn write_columns_csv(r: &ScanResult, w: &mut dyn Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(COLUMNS_HEADER)?;
    for c in &r.columns {
        let semantics = match c.semantics {
            Some(crate::catalog::Semantics::Byte) => "BYTE",
            Some(crate::catalog::Semantics::Char) => "CHAR",
            None => "",
        };
        let limit_kind = c.limit.map(|l| match l.kind {
            crate::charset::classify::LimitKind::Column => "column",
            crate::charset::classify::LimitKind::Type => "type",
        });
        out.write_record([
            c.owner.clone(),
            c.table_name.clone(),
            c.column_name.clone(),
            c.data_type.clone(),
            c.rows.to_string(),
            c.nulls.to_string(),
            c.counts.changeless.to_string(),
            c.counts.convertible.to_string(),
            c.counts.truncation.to_string(),
            c.counts.lossy.to_string(),
            // No non-lossy cell (all NULL or lossy, or no rows): 0, as CSSCAN's MAXSIZ.
            c.max_post_bytes.unwrap_or(0).to_string(),
            semantics.to_string(),
            opt(c.data_length),
            opt(c.char_length),
            c.source_charset.clone(),
            if c.assumed { "Y" } else { "N" }.to_string(),
            opt(c.limit.map(|l| l.bytes)),
            opt(limit_kind),
            c.char_semantics.changeless.to_string(),
            c.char_semantics.convertible.to_string(),
            c.char_semantics.truncation.to_string(),
            c.char_semantics.lossy.to_string(),
            c.flags.stray_cp1252.to_string(),
            c.flags.utf8_passthrough.to_string(),
            c.flags.replacement_char.to_string(),
            c.flags.cesu8_surrogates.to_string(),
            c.flags.auto_utf8.to_string(),
            c.flags.auto_win1252.to_string(),
            c.auto_base.clone().unwrap_or_default(),
            c.flags.double_encoded.to_string(),
            c.findings.to_string(),
            c.hex_cut.to_string(),
        ])?;
    }
    out.flush()
}

pub fn write_exceptions_csv(r: &ScanResult, w: &mut dyn Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(EXCEPTIONS_HEADER)?;
    for e in &r.exceptions {
        out.write_record([
            e.owner.as_str(),
            &e.table_name,
            &e.column_name,
            &e.rowid,
            e.category.as_str(),
            &e.reason,
            &e.current_bytes.to_string(),
            &e.post_bytes.to_string(),
            &opt(e.limit),
            &e.hex,
            &e.preview,
            &e.flags,
            &e.detail,
        ])?;
    }
    out.flush()
}
