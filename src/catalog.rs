//! The dictionary model every source produces: tables, their columns (type, byte length,
//! character length, length semantics) and the source database's parameters.
//!
//! It mirrors the meaning of Oracle's ALL_TAB_COLUMNS (DATA_LENGTH in bytes, CHAR_LENGTH in
//! characters, CHAR_USED `B`/`C`), which is also what the snapshot format stores. PostgreSQL
//! columns map onto it with CHAR semantics (varchar(n) counts characters).

use crate::charset::{Dialect, classify::Limit, classify::LimitKind};
use serde::{Deserialize, Serialize};

#[path = "catalog_identity.rs"]
mod identity;
pub use identity::{DbIdentity, printable};

/// VARCHAR2's type limit with MAX_STRING_SIZE=STANDARD.
pub const VARCHAR2_STANDARD: usize = 4000;
/// VARCHAR2's type limit with MAX_STRING_SIZE=EXTENDED.
pub const VARCHAR2_EXTENDED: usize = 32767;
/// CHAR's type limit.
pub const CHAR_MAX: usize = 2000;
/// Bytes of a PostgreSQL `name` (NAMEDATALEN - 1).
pub const PG_NAME_BYTES: usize = 63;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum MaxStringSize {
    Standard,
    Extended,
}

/// The source database's parameters.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceInfo {
    pub dialect: Dialect,
    pub version: String,
    /// The database charset, in the source's own naming.
    pub charset: String,
    pub nchar_charset: Option<String>,
    pub max_string_size: MaxStringSize,
    /// Which database this is (PostgreSQL system identifier + database name; Oracle DBID +
    /// name), when the source could tell. `None`: not known (an Oracle role without access to
    /// V$DATABASE, a snapshot written before identities were recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<DbIdentity>,
}

/// Length semantics of a character column (ALL_TAB_COLUMNS.CHAR_USED).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Semantics {
    #[serde(rename = "BYTE")]
    Byte,
    #[serde(rename = "CHAR")]
    Char,
}

/// What a column's data type means for a charset move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// VARCHAR2 / VARCHAR; PostgreSQL varchar and text.
    Varchar,
    /// Blank-padded CHAR; PostgreSQL bpchar.
    Char,
    /// CLOB: converted, never truncated.
    Clob,
    /// LONG: converted, never truncated.
    Long,
    /// NCHAR / NVARCHAR2 / NCLOB: national charset, untouched by a database charset change.
    National,
    /// Anything else (NUMBER, DATE, RAW, BLOB …): not character data.
    Other,
}

impl ColumnKind {
    /// Maps a dictionary data type to its kind.
    pub fn of(dialect: Dialect, data_type: &str) -> ColumnKind {
        let t = data_type.trim().to_ascii_lowercase();
        // Strip a length suffix such as "character varying(20)".
        let t = t.split('(').next().unwrap_or("").trim();
        match dialect {
            Dialect::Oracle => match t {
                "varchar2" | "varchar" => ColumnKind::Varchar,
                "char" => ColumnKind::Char,
                "clob" => ColumnKind::Clob,
                "long" => ColumnKind::Long,
                "nchar" | "nvarchar2" | "nclob" => ColumnKind::National,
                _ => ColumnKind::Other,
            },
            Dialect::Postgres => match t {
                "text" | "character varying" | "varchar" | "name" | "citext" => ColumnKind::Varchar,
                "character" | "bpchar" | "char" => ColumnKind::Char,
                _ => ColumnKind::Other,
            },
        }
    }

    /// True for a data type that is [`ColumnKind::Other`] because it holds no character data
    /// a charset move changes (numbers, dates, binary, …). An `Other` type that is not known
    /// here (XMLTYPE, json, arrays, user-defined types) may hold text: the scan lists such a
    /// column as skipped instead of dropping it silently.
    pub fn is_known_non_text(dialect: Dialect, data_type: &str) -> bool {
        let t = data_type.trim().to_ascii_lowercase();
        // Without modifiers: `timestamp(6) with time zone` -> `timestamp with time zone`.
        let mut plain = String::new();
        let mut depth = 0;
        for c in t.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                c if depth == 0 => plain.push(c),
                _ => {}
            }
        }
        let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
        let first = plain.split(' ').next().unwrap_or("");
        match dialect {
            Dialect::Oracle => {
                matches!(
                    first,
                    "number"
                        | "float"
                        | "binary_float"
                        | "binary_double"
                        | "date"
                        | "timestamp"
                        | "interval"
                        | "raw"
                        | "blob"
                        | "bfile"
                        | "rowid"
                        | "urowid"
                        | "integer"
                        | "int"
                        | "smallint"
                        | "decimal"
                        | "real"
                        | "boolean"
                        | "json"
                        | "vector"
                ) || plain == "long raw"
                    || plain == "double precision"
            }
            Dialect::Postgres => {
                // Arrays: by their element type (`integer[]` holds no text, `text[]` does).
                let first = first.trim_end_matches("[]");
                matches!(
                    first,
                    "smallint"
                        | "integer"
                        | "bigint"
                        | "numeric"
                        | "decimal"
                        | "real"
                        | "double"
                        | "boolean"
                        | "date"
                        | "time"
                        | "timestamp"
                        | "interval"
                        | "bytea"
                        | "uuid"
                        | "oid"
                        | "money"
                        | "inet"
                        | "cidr"
                        | "macaddr"
                        | "macaddr8"
                        | "bit"
                        | "point"
                        | "line"
                        | "lseg"
                        | "box"
                        | "path"
                        | "polygon"
                        | "circle"
                        | "int4range"
                        | "int8range"
                        | "numrange"
                        | "tsrange"
                        | "tstzrange"
                        | "daterange"
                        | "pg_lsn"
                        | "regclass"
                        | "regproc"
                        | "regtype"
                        | "xid"
                        | "xid8"
                        | "tid"
                        | "cid"
                        | "int2"
                        | "int4"
                        | "int8"
                        | "float4"
                        | "float8"
                        | "bool"
                        | "serial"
                        | "bigserial"
                        | "smallserial"
                        | "timestamptz"
                        | "timetz"
                        | "varbit"
                        | "\"char\""
                )
            }
        }
    }

    /// True for the kinds a scan classifies.
    pub fn is_scanned(self) -> bool {
        matches!(
            self,
            ColumnKind::Varchar | ColumnKind::Char | ColumnKind::Clob | ColumnKind::Long
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub column_id: u32,
    pub data_type: String,
    /// Bytes (ALL_TAB_COLUMNS.DATA_LENGTH).
    pub data_length: Option<u32>,
    /// Characters (ALL_TAB_COLUMNS.CHAR_LENGTH).
    pub char_length: Option<u32>,
    pub semantics: Option<Semantics>,
    pub nullable: bool,
}

impl Column {
    pub fn kind(&self, dialect: Dialect) -> ColumnKind {
        ColumnKind::of(dialect, &self.data_type)
    }

    /// The limits a converted value must fit: under the current semantics, and after a
    /// switch to CHAR semantics. `None` means no limit (CLOB, LONG, PostgreSQL types, whose
    /// lengths count characters), except PostgreSQL's `name`: 63 bytes, which its text input
    /// cuts a longer value to without a word.
    pub fn limits(&self, source: &SourceInfo) -> (Option<Limit>, Option<Limit>) {
        if source.dialect == Dialect::Postgres {
            let name = Some(Limit {
                bytes: PG_NAME_BYTES,
                kind: LimitKind::Type,
            });
            return match self.data_type.trim().eq_ignore_ascii_case("name") {
                true => (name, name),
                false => (None, None),
            };
        }
        let type_limit = match self.kind(source.dialect) {
            ColumnKind::Varchar => match source.max_string_size {
                MaxStringSize::Standard => VARCHAR2_STANDARD,
                MaxStringSize::Extended => VARCHAR2_EXTENDED,
            },
            ColumnKind::Char => CHAR_MAX,
            _ => return (None, None),
        };
        let type_lim = Limit {
            bytes: type_limit,
            kind: LimitKind::Type,
        };
        let current = match self.semantics {
            Some(Semantics::Char) => type_lim,
            // BYTE, or unspecified (treated as BYTE, the Oracle default).
            _ => match self.data_length {
                Some(n) if (n as usize) < type_limit => Limit {
                    bytes: n as usize,
                    kind: LimitKind::Column,
                },
                _ => type_lim,
            },
        };
        (Some(current), Some(type_lim))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Table {
    pub owner: String,
    pub name: String,
    pub num_rows: Option<u64>,
    pub columns: Vec<Column>,
}

impl Table {
    /// `OWNER.TABLE` for messages.
    pub fn qualified(&self) -> String {
        format!("{}.{}", self.owner, self.name)
    }
}

/// Constraint types (Oracle CONSTRAINT_TYPE letters in comments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    /// P
    Primary,
    /// U
    Unique,
    /// R
    Foreign,
    /// C (including NOT NULL checks)
    Check,
    /// Anything else (views' V/O, PostgreSQL exclusion constraints …).
    Other,
}

/// A constraint as the dictionary describes it (DBA_CONSTRAINTS + DBA_CONS_COLUMNS; pg_constraint).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Constraint {
    pub owner: String,
    pub name: String,
    pub table: String,
    pub kind: ConstraintKind,
    /// Constrained columns, in position order.
    pub columns: Vec<String>,
    /// For foreign keys: the referenced table and columns.
    pub ref_owner: Option<String>,
    pub ref_table: Option<String>,
    pub ref_constraint: Option<String>,
    pub ref_columns: Vec<String>,
    /// ENABLED / DISABLED (PostgreSQL constraints are always enabled).
    pub enabled: bool,
    /// VALIDATED / NOT VALIDATED (PostgreSQL: convalidated).
    pub validated: bool,
    /// Check condition or full definition where the source gives one.
    pub definition: Option<String>,
    /// ON DELETE rule of a foreign key (CASCADE, SET NULL, NO ACTION).
    pub delete_rule: Option<String>,
}

/// An index (DBA_INDEXES + DBA_IND_COLUMNS; pg_index).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Index {
    pub owner: String,
    pub name: String,
    pub table_owner: String,
    pub table: String,
    /// Column names or expressions, in position order.
    pub columns: Vec<String>,
    pub unique: bool,
    /// NORMAL, BITMAP, FUNCTION-BASED NORMAL, IOT - TOP, LOB, DOMAIN … (PostgreSQL: access method).
    pub index_type: String,
    /// The constraint this index enforces (PK/UK), if any.
    pub constraint: Option<String>,
    /// VALID / UNUSABLE / N/A (partitioned) / INVALID (PostgreSQL indisvalid = false).
    pub status: String,
    pub partitioned: bool,
    /// RFC 3339 or the source's own timestamp text; `None` when never analyzed.
    pub last_analyzed: Option<String>,
    /// Statistics flagged stale by the database (DBA_IND_STATISTICS.STALE_STATS = 'YES').
    pub stale_stats: Option<bool>,
    /// The DDL that re-creates it, where the source scripted it.
    pub ddl: Option<String>,
}

/// A trigger (DBA_TRIGGERS; pg_trigger, user triggers only).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trigger {
    pub owner: String,
    pub name: String,
    pub table_owner: String,
    pub table: String,
    pub enabled: bool,
    pub definition: Option<String>,
}

/// A sequence (DBA_SEQUENCES; pg_sequences).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sequence {
    pub owner: String,
    pub name: String,
    /// Oracle LAST_NUMBER / PostgreSQL last_value (None: never used).
    pub last_value: Option<i128>,
    pub increment: i128,
    pub max_value: Option<i128>,
    pub min_value: Option<i128>,
    pub cycle: bool,
}

/// A stored object (DBA_OBJECTS) with its status.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DbObject {
    pub owner: String,
    pub name: String,
    pub object_type: String,
    /// VALID / INVALID.
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalog {
    pub source: SourceInfo,
    pub tables: Vec<Table>,
    #[serde(default)]
    pub constraints: Vec<Constraint>,
    #[serde(default)]
    pub indexes: Vec<Index>,
    #[serde(default)]
    pub triggers: Vec<Trigger>,
    #[serde(default)]
    pub sequences: Vec<Sequence>,
    #[serde(default)]
    pub objects: Vec<DbObject>,
    /// Oracle-only facts (empty for PostgreSQL and for snapshots without a dictionary).
    #[serde(default)]
    pub oracle: OracleExtras,
}

/// Oracle facts the planner and the copy need beyond the common model.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OracleExtras {
    /// Index-organized tables (TABLES.IOT_TYPE = 'IOT'): their primary key cannot be disabled
    /// (ORA-25188).
    pub iot_tables: Vec<(String, String)>,
    /// Identity columns (12.1+): their ISEQ$$_ sequences cannot be altered (ORA-32793) and are
    /// named otherwise on the target.
    pub identity: Vec<IdentityColumn>,
    /// Invisible columns (HIDDEN_COLUMN = 'YES', USER_GENERATED = 'YES'): data like any other.
    pub invisible: Vec<(String, String, String)>,
    /// Virtual columns `(owner, table, column)`: a MODIFY of a column one uses can fail
    /// (ORA-54031/ORA-54033).
    pub virtual_columns: Vec<(String, String, String)>,
    /// Constraints whose name the system generated (GENERATED = 'GENERATED NAME', SYS_C…).
    pub system_named: Vec<(String, String)>,
}

impl OracleExtras {
    pub fn is_iot(&self, owner: &str, table: &str) -> bool {
        self.iot_tables
            .iter()
            .any(|(o, t)| o == owner && t == table)
    }

    pub fn identity_of(&self, owner: &str, table: &str) -> impl Iterator<Item = &IdentityColumn> {
        let (o, t) = (owner.to_string(), table.to_string());
        self.identity
            .iter()
            .filter(move |i| i.owner == o && i.table == t)
    }

    pub fn is_system_named(&self, owner: &str, name: &str) -> bool {
        self.system_named
            .iter()
            .any(|(o, n)| o == owner && n == name)
    }
}

/// An identity column (TAB_COLS.IDENTITY_COLUMN = 'YES', TAB_IDENTITY_COLS.GENERATION_TYPE).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityColumn {
    pub owner: String,
    pub table: String,
    pub column: String,
    /// GENERATED ALWAYS (an INSERT may not give a value: ORA-32795).
    pub always: bool,
    /// BY DEFAULT ON NULL (TAB_COLS.DEFAULT_ON_NULL = 'YES').
    pub on_null: bool,
}

impl IdentityColumn {
    /// `ALWAYS`, `BY DEFAULT ON NULL` or `BY DEFAULT`, as written after GENERATED.
    pub fn generation(&self) -> &'static str {
        match (self.always, self.on_null) {
            (true, _) => "ALWAYS",
            (false, true) => "BY DEFAULT ON NULL",
            (false, false) => "BY DEFAULT",
        }
    }
}

impl Catalog {
    /// A catalog with tables only (what a snapshot without dictionary files gives).
    pub fn with_tables(source: SourceInfo, tables: Vec<Table>) -> Catalog {
        Catalog {
            source,
            tables,
            constraints: Vec::new(),
            indexes: Vec::new(),
            triggers: Vec::new(),
            sequences: Vec::new(),
            objects: Vec::new(),
            oracle: OracleExtras::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(mss: MaxStringSize) -> SourceInfo {
        SourceInfo {
            dialect: Dialect::Oracle,
            version: "19".into(),
            charset: "WE8ISO8859P15".into(),
            nchar_charset: None,
            max_string_size: mss,
            identity: None,
        }
    }

    fn col(t: &str, len: u32, sem: Option<Semantics>) -> Column {
        Column {
            name: "C".into(),
            column_id: 1,
            data_type: t.into(),
            data_length: Some(len),
            char_length: Some(len),
            semantics: sem,
            nullable: true,
        }
    }

    #[test]
    fn byte_semantics_limit_is_min_of_length_and_type() {
        let s = src(MaxStringSize::Standard);
        let (cur, chr) = col("VARCHAR2", 10, Some(Semantics::Byte)).limits(&s);
        assert_eq!(
            cur,
            Some(Limit {
                bytes: 10,
                kind: LimitKind::Column
            })
        );
        assert_eq!(
            chr,
            Some(Limit {
                bytes: 4000,
                kind: LimitKind::Type
            })
        );
        let (cur, _) = col("VARCHAR2", 4000, Some(Semantics::Byte)).limits(&s);
        assert_eq!(
            cur,
            Some(Limit {
                bytes: 4000,
                kind: LimitKind::Type
            })
        );
    }

    #[test]
    fn char_semantics_limit_is_type_limit_and_extended_raises_it() {
        let (cur, _) =
            col("VARCHAR2", 40, Some(Semantics::Char)).limits(&src(MaxStringSize::Standard));
        assert_eq!(cur.unwrap().bytes, 4000);
        let (cur, _) =
            col("VARCHAR2", 40, Some(Semantics::Char)).limits(&src(MaxStringSize::Extended));
        assert_eq!(cur.unwrap().bytes, 32767);
        let (cur, _) = col("CHAR", 40, Some(Semantics::Char)).limits(&src(MaxStringSize::Extended));
        assert_eq!(cur.unwrap().bytes, 2000);
    }

    #[test]
    fn clob_long_and_national_have_no_limit() {
        let s = src(MaxStringSize::Standard);
        assert_eq!(col("CLOB", 4000, None).limits(&s), (None, None));
        assert_eq!(col("LONG", 0, None).limits(&s), (None, None));
        assert_eq!(
            ColumnKind::of(Dialect::Oracle, "NVARCHAR2"),
            ColumnKind::National
        );
        assert_eq!(
            ColumnKind::of(Dialect::Postgres, "character varying(20)"),
            ColumnKind::Varchar
        );
    }

    #[test]
    fn known_and_unknown_other_types() {
        for t in [
            "NUMBER",
            "TIMESTAMP(6) WITH TIME ZONE",
            "INTERVAL DAY(2) TO SECOND(6)",
            "LONG RAW",
            "BLOB",
        ] {
            assert!(ColumnKind::is_known_non_text(Dialect::Oracle, t), "{t}");
        }
        for t in ["XMLTYPE", "SDO_GEOMETRY", "MY_TYPE"] {
            assert!(!ColumnKind::is_known_non_text(Dialect::Oracle, t), "{t}");
        }
        for t in [
            "integer",
            "timestamp(3) without time zone",
            "double precision",
            "bytea",
            "\"char\"",
        ] {
            assert!(ColumnKind::is_known_non_text(Dialect::Postgres, t), "{t}");
        }
        assert!(ColumnKind::is_known_non_text(
            Dialect::Postgres,
            "integer[]"
        ));
        for t in ["jsonb", "json", "xml", "text[]", "mood", "tsvector"] {
            assert!(!ColumnKind::is_known_non_text(Dialect::Postgres, t), "{t}");
        }
    }
}
