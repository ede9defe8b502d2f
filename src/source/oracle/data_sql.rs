//! The data statements charmig sends to Oracle: reading a table's character columns as raw
//! bytes (one select-list shape per [`ReadAs`]), and counting the orphans of a foreign key.
//! Split from `sql.rs` (dictionary statements) by size; both are golden-tested and re-exported
//! from `sql`.

use crate::dialect::oracle::{IdentError, ident, literal, qualified};

/// How one column's bytes are fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadAs {
    /// `UTL_RAW.CAST_TO_RAW(col)`: the stored bytes, up to the RAW limit.
    Raw,
    /// `SUBSTRB` windows of `width` bytes, `count` of them: exact for single-byte charsets.
    ByteChunks { width: u32, count: u32 },
    /// `SUBSTR` windows of `chars` characters, `count` of them, each at most the RAW limit in
    /// bytes: exact for well-formed multi-byte data (character boundaries).
    CharChunks { chars: u32, count: u32 },
    /// A CLOB/NCLOB through `DBMS_LOB.CONVERTTOBLOB` into a BLOB in charset `csid_charset`.
    Lob { csid_charset: String },
    /// A LONG through a PL/SQL function that reads it into a VARCHAR2(32767) by ROWID.
    Long,
    /// The column itself, read from the fetch buffer unconverted (`InnerValue::Char`): exact
    /// only for AL32UTF8 databases, where client and database charset agree.
    Text,
    /// An SQL expression over the column, `{col}` standing for it (`t."NAME"`): how verify
    /// prints a value that is not character data (`crate::verify::oracle_sql::value_form`).
    /// Never chosen by the scan's read plan.
    Expr(String),
}

impl ReadAs {
    /// Number of select-list items this column takes.
    pub fn items(&self) -> usize {
        match self {
            ReadAs::ByteChunks { count, .. } | ReadAs::CharChunks { count, .. } => *count as usize,
            _ => 1,
        }
    }
}

/// One column of a data query.
#[derive(Debug, Clone)]
pub struct ReadColumn {
    pub name: String,
    pub read: ReadAs,
}

const LOB_FN: &str = "charmig_lob";
const LONG_FN: &str = "charmig_long";

/// The data query of one table: `ROWIDTOCHAR(ROWID)` first, then each column's items in order.
/// Which rows of the table a data query reads; the bounds are bind variables (`:1`, `:2`),
/// ROWIDs as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeSql {
    /// The whole table.
    Whole,
    /// `BETWEEN :1 AND :2`, both inclusive (ranges from extents).
    Between,
    /// `>= :1 AND < :2`, `>= :1`, `< :1`: contiguous split points, so together the parts
    /// cover every possible ROWID (ranges from split points).
    FromBelow,
    From,
    Below,
}

/// The data query of one table: `ROWIDTOCHAR(ROWID)` first, then each column's items in order.
pub fn data_select(
    owner: &str,
    table: &str,
    columns: &[ReadColumn],
    range: RangeSql,
) -> Result<String, IdentError> {
    let tab = qualified(owner, table)?;
    let mut with = Vec::new();
    let mut items = vec!["ROWIDTOCHAR(t.ROWID) AS row_id".to_string()];
    for c in columns {
        let col = format!("t.{}", ident(&c.name)?);
        match &c.read {
            ReadAs::Raw => items.push(format!("UTL_RAW.CAST_TO_RAW({col})")),
            ReadAs::ByteChunks { width, count } => {
                for k in 0..*count {
                    items.push(format!(
                        "UTL_RAW.CAST_TO_RAW(SUBSTRB({col}, {}, {width}))",
                        k * width + 1
                    ));
                }
            }
            ReadAs::CharChunks { chars, count } => {
                for k in 0..*count {
                    items.push(format!(
                        "UTL_RAW.CAST_TO_RAW(SUBSTR({col}, {}, {chars}))",
                        k * chars + 1
                    ));
                }
            }
            ReadAs::Lob { csid_charset } => {
                if !with.iter().any(|w: &String| w.contains(LOB_FN)) {
                    with.push(lob_function());
                }
                items.push(format!(
                    "{LOB_FN}({col}, NLS_CHARSET_ID({}))",
                    literal(csid_charset)
                ));
            }
            ReadAs::Long => {
                with.push(long_function(&tab, &ident(&c.name)?));
                items.push(format!("{LONG_FN}(t.ROWID)"));
            }
            ReadAs::Text => items.push(col),
            ReadAs::Expr(e) => items.push(e.replace("{col}", &col)),
        }
    }
    let mut sql = String::new();
    if !with.is_empty() {
        sql.push_str("WITH\n");
        sql.push_str(&with.join("\n"));
        sql.push('\n');
    }
    sql.push_str(&format!(
        "SELECT {}\n  FROM {tab} t",
        items.join(",\n       ")
    ));
    sql.push_str(match range {
        RangeSql::Whole => "",
        RangeSql::Between => "\n WHERE t.ROWID BETWEEN CHARTOROWID(:1) AND CHARTOROWID(:2)",
        RangeSql::FromBelow => "\n WHERE t.ROWID >= CHARTOROWID(:1) AND t.ROWID < CHARTOROWID(:2)",
        RangeSql::From => "\n WHERE t.ROWID >= CHARTOROWID(:1)",
        RangeSql::Below => "\n WHERE t.ROWID < CHARTOROWID(:1)",
    });
    Ok(sql)
}

/// PL/SQL in the WITH clause (12.1+): a CLOB or NCLOB as a BLOB of its bytes in `csid`.
/// NULL stays NULL; an empty LOB gives an empty BLOB. `warn` is set when a character could
/// not be converted, which for the LOB's own charset should not happen: it raises, so the
/// table is reported as failed rather than scanned from altered bytes.
fn lob_function() -> String {
    format!(
        "  FUNCTION {LOB_FN}(c IN CLOB CHARACTER SET ANY_CS, csid IN NUMBER) RETURN BLOB IS\n    \
         b BLOB; dest_off INTEGER := 1; src_off INTEGER := 1;\n    \
         ctx INTEGER := DBMS_LOB.DEFAULT_LANG_CTX; warn INTEGER;\n  \
         BEGIN\n    \
         IF c IS NULL THEN RETURN NULL; END IF;\n    \
         DBMS_LOB.CREATETEMPORARY(b, TRUE, DBMS_LOB.CALL);\n    \
         IF DBMS_LOB.GETLENGTH(c) > 0 THEN\n      \
         DBMS_LOB.CONVERTTOBLOB(b, c, DBMS_LOB.LOBMAXSIZE, dest_off, src_off, csid, ctx, warn);\n      \
         IF warn <> 0 THEN RAISE_APPLICATION_ERROR(-20001, 'charmig: CONVERTTOBLOB warning ' || warn); END IF;\n    \
         END IF;\n    \
         RETURN b;\n  \
         END;"
    )
}

/// PL/SQL in the WITH clause (12.1+): the LONG of one row as a BLOB of its bytes. A LONG
/// longer than 32760 bytes raises ORA-06502 and the table is reported as not scanned.
fn long_function(table: &str, column: &str) -> String {
    format!(
        "  FUNCTION {LONG_FN}(r IN ROWID) RETURN BLOB IS\n    \
         v VARCHAR2(32767); b BLOB;\n  \
         BEGIN\n    \
         SELECT {column} INTO v FROM {table} WHERE ROWID = r;\n    \
         IF v IS NULL THEN RETURN NULL; END IF;\n    \
         DBMS_LOB.CREATETEMPORARY(b, TRUE, DBMS_LOB.CALL);\n    \
         DBMS_LOB.WRITEAPPEND(b, UTL_RAW.LENGTH(UTL_RAW.CAST_TO_RAW(v)), UTL_RAW.CAST_TO_RAW(v));\n    \
         RETURN b;\n  \
         END;"
    )
}

/// Split points for a table without readable extents (ALL_ views): the first ROWID of each
/// of `:1` groups of equal row counts, in ROWID order. One pass over the table's ROWIDs,
/// in the spirit of DBMS_PARALLEL_EXECUTE's chunking, without creating anything.
pub fn rowid_split_points(owner: &str, table: &str) -> Result<String, IdentError> {
    Ok(format!(
        "SELECT ROWIDTOCHAR(MIN(rid)) AS lo\n  FROM (SELECT t.ROWID AS rid, NTILE(:1) OVER (ORDER BY t.ROWID) AS part FROM {} t)\n \
         GROUP BY part\n ORDER BY part",
        qualified(owner, table)?
    ))
}

/// Rows of an enabled-but-NOT VALIDATED foreign key that have no parent (orphans). Rows with
/// a NULL in any key column are not checked by Oracle and are not counted.
pub fn orphan_count(
    child_owner: &str,
    child_table: &str,
    child_columns: &[String],
    parent_owner: &str,
    parent_table: &str,
    parent_columns: &[String],
) -> Result<String, IdentError> {
    if child_columns.is_empty() || child_columns.len() != parent_columns.len() {
        return Err(IdentError {
            name: format!("{child_owner}.{child_table}"),
            reason: "foreign key columns do not match the referenced key",
        });
    }
    let mut not_null = Vec::new();
    let mut join = Vec::new();
    for (c, p) in child_columns.iter().zip(parent_columns) {
        not_null.push(format!("c.{} IS NOT NULL", ident(c)?));
        join.push(format!("p.{} = c.{}", ident(p)?, ident(c)?));
    }
    Ok(format!(
        "SELECT COUNT(*)\n  FROM {} c\n WHERE {}\n   AND NOT EXISTS (SELECT 1 FROM {} p WHERE {})",
        qualified(child_owner, child_table)?,
        not_null.join(" AND "),
        qualified(parent_owner, parent_table)?,
        join.join(" AND "),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_whole_value() {
        let cols = [ReadColumn {
            name: "NOTE".into(),
            read: ReadAs::ByteChunks {
                width: 2000,
                count: 2,
            },
        }];
        let sql = data_select("HR", "emp", &cols, RangeSql::Between).unwrap();
        assert!(
            sql.contains("SUBSTRB(t.\"NOTE\", 1, 2000)")
                && sql.contains("SUBSTRB(t.\"NOTE\", 2001, 2000)"),
            "{sql}"
        );
        assert!(sql.contains("FROM \"HR\".\"emp\" t"));
        assert!(data_select("HR", "a\"b", &cols, RangeSql::Whole).is_err());
    }

    #[test]
    fn orphan_count_needs_matching_columns() {
        assert!(orphan_count("A", "C", &["X".into()], "A", "P", &[]).is_err());
    }
}
