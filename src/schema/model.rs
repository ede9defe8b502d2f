//! The definition layer of the dictionary: what it takes to re-create a database's schema
//! object by object, and what `charmig verify` compares, read by [`super::pg_catalog`].
//!
//! [`crate::catalog`] is the charset view every step shares (tables, columns with their length
//! semantics, constraints, indexes, triggers, sequences as the scan and the plan need them);
//! this model adds what a CREATE statement needs and the catalog leaves out: full column types
//! with their modifiers, defaults, identity, generated expressions, collations, views,
//! functions, types, comments, grants and the dependencies between objects. It is the one
//! definition model: `schema` renders it, `verify` diffs two of them; the columns' charset
//! view (semantics, byte limits) stays in `catalog.rs` and is not repeated here.
//!
//! Every object is named by a `(schema, name)` pair ([`ObjectName`]), never a joined string:
//! names are data and may hold dots, quotes, newlines.
//!
//! Definitions (`definition`, `default`, …) are the server's own deparsed text, read with an
//! empty search_path, so every name in them is schema-qualified and the text means the same on
//! any database that has the same objects.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A schema-qualified name, as the dictionary stores both parts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ObjectName {
    pub schema: String,
    pub name: String,
}

impl ObjectName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> ObjectName {
        ObjectName {
            schema: schema.into(),
            name: name.into(),
        }
    }
}

/// For messages only (`schema.name`, unquoted): never parse it back, never put it in SQL.
impl fmt::Display for ObjectName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}

/// A privilege granted on an object (one row of `aclexplode`). The owner's own privileges are
/// not listed: they follow from ownership.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Grant {
    /// A role name, or `PUBLIC`.
    pub grantee: String,
    /// SELECT, INSERT, USAGE, EXECUTE, …
    pub privilege: String,
    pub grantable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaDef {
    pub name: String,
    pub owner: String,
    pub comment: Option<String>,
    pub grants: Vec<Grant>,
}

/// An installed extension: its objects are not re-created one by one, the extension is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionDef {
    pub name: String,
    pub schema: String,
    pub version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    Enum,
    Domain,
    Composite,
    Range,
}

/// A user-defined type (enum, domain, composite, range).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeDef {
    pub name: ObjectName,
    pub kind: TypeKind,
    /// Enum: the labels in order. Composite: `"attr" type` items. Domain: base type first.
    pub parts: Vec<String>,
    /// Domain: default, NOT NULL and CHECK constraints (pg_get_constraintdef), as clauses.
    pub clauses: Vec<String>,
    pub comment: Option<String>,
}

/// How a column is generated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Generated {
    /// `GENERATED ALWAYS|BY DEFAULT AS IDENTITY`, with its sequence's name and options.
    Identity { always: bool, sequence: ObjectName },
    /// `GENERATED ALWAYS AS (expr) STORED`.
    Stored { expression: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnDef {
    pub name: String,
    /// attnum (gaps where columns were dropped).
    pub position: i32,
    /// format_type(atttypid, atttypmod) with an empty search path: `character varying(20)`,
    /// `numeric(10,2)`, `"app"."mood"`.
    pub type_sql: String,
    /// The type's schema and name (arrays: their element type), for the dependency closure.
    pub type_name: ObjectName,
    /// atttypmod (-1 when none): for varchar/char it is the length + 4.
    pub typmod: i32,
    /// Only when not the type's default collation.
    pub collation: Option<ObjectName>,
    pub not_null: bool,
    /// The default expression (not for generated columns).
    pub default: Option<String>,
    pub generated: Option<Generated>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    Ordinary,
    Partitioned,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDef {
    pub name: ObjectName,
    pub kind: TableKind,
    pub owner: String,
    pub unlogged: bool,
    pub columns: Vec<ColumnDef>,
    /// pg_get_partkeydef for a partitioned table: `RANGE (d)`.
    pub partition_key: Option<String>,
    /// For a partition: its parent and bound (`FOR VALUES FROM (…) TO (…)`).
    pub partition_of: Option<(ObjectName, String)>,
    pub comment: Option<String>,
    pub grants: Vec<Grant>,
    /// The parents of a table that inherits (`INHERITS`, not partitioning), in order. Not
    /// created by `charmig schema` (listed as not supported); compared by `verify`.
    #[serde(default)]
    pub inherits: Vec<ObjectName>,
    /// Row-level security as the statements that set it, sorted: `ALTER TABLE … ENABLE ROW
    /// LEVEL SECURITY`, `… FORCE ROW LEVEL SECURITY`, one `CREATE POLICY …` per policy. Not
    /// created by `charmig schema` (listed as not supported); compared by `verify`.
    #[serde(default)]
    pub row_security: Vec<String>,
}

/// Reuses the catalog's kinds: P, U, R (foreign), C, and Other (exclusion).
pub use crate::catalog::ConstraintKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstraintDef {
    pub table: ObjectName,
    pub name: String,
    pub kind: ConstraintKind,
    /// pg_get_constraintdef, without a trailing `NOT VALID`.
    pub definition: String,
    pub validated: bool,
    /// Foreign keys: the referenced table.
    pub references: Option<ObjectName>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexDef {
    pub name: ObjectName,
    pub table: ObjectName,
    /// pg_get_indexdef with an empty search path: `CREATE INDEX "i" ON "s"."t" USING btree (…)`.
    pub definition: String,
    pub unique: bool,
    /// Access method (btree, gin, …).
    pub method: String,
    /// Indexed columns or expressions, in order (pg_get_indexdef(oid, k, true)).
    pub keys: Vec<String>,
    /// Partial index predicate.
    pub predicate: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceDef {
    pub name: ObjectName,
    pub owner: String,
    /// smallint, integer, bigint.
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    pub cycle: bool,
    /// The current value and whether nextval was called since (setval's third argument).
    pub last_value: i64,
    pub is_called: bool,
    /// `OWNED BY table.column`.
    pub owned_by: Option<(ObjectName, String)>,
    /// The sequence behind an identity column (created with its table, not on its own).
    pub identity: bool,
    pub comment: Option<String>,
    pub grants: Vec<Grant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewDef {
    pub name: ObjectName,
    pub owner: String,
    pub materialized: bool,
    /// pg_get_viewdef (the SELECT, no terminator).
    pub definition: String,
    /// reloptions such as `security_barrier=true`, `check_option=local`.
    pub options: Vec<String>,
    pub comment: Option<String>,
    /// Comments on the view's columns, by column name.
    pub column_comments: Vec<(String, String)>,
    /// The view's column names in order (its SELECT's aliases), for the name-length check.
    #[serde(default)]
    pub columns: Vec<String>,
    pub grants: Vec<Grant>,
    /// A materialized view holds rows (false: created or refreshed `WITH NO DATA`, and every
    /// query on it fails until `REFRESH MATERIALIZED VIEW`). Always true for a view.
    #[serde(default = "populated_default")]
    pub populated: bool,
}

fn populated_default() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutineKind {
    Function,
    Procedure,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutineDef {
    pub name: ObjectName,
    /// pg_get_function_identity_arguments: tells overloads apart, names it in ALTER/COMMENT.
    pub identity_args: String,
    pub kind: RoutineKind,
    pub owner: String,
    /// pg_get_functiondef: a complete `CREATE OR REPLACE FUNCTION …` statement.
    pub definition: String,
    /// A SQL-standard body (BEGIN ATOMIC / RETURN expr) is checked at creation, so it is
    /// created after the tables and views it reads.
    pub sql_body: bool,
    pub comment: Option<String>,
    pub grants: Vec<Grant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerDef {
    pub table: ObjectName,
    pub name: String,
    /// pg_get_triggerdef with an empty search path.
    pub definition: String,
    /// tgenabled: `O` (origin, the usual enabled), `D` disabled, `R` replica, `A` always.
    pub enabled: char,
    /// The trigger function.
    pub function: ObjectName,
    pub comment: Option<String>,
}

/// What kind of object a dependency points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    /// Anything in pg_class: table, view, materialized view, sequence.
    Relation,
    Type,
    /// Every overload of that name.
    Routine,
    /// An extension (name: its schema and its own name): what an extension-owned type or
    /// function a user object uses brings in.
    Extension,
}

/// `from` needs `to` to exist (a column's type, a default's sequence, an FK's parent, a
/// view's tables, a trigger's function).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Dependency {
    pub from_kind: ObjectKind,
    pub from: ObjectName,
    pub to_kind: ObjectKind,
    pub to: ObjectName,
}

/// Everything read from one database (all user schemas; the closure picks from it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaModel {
    /// server_encoding of the database read.
    pub encoding: String,
    /// server_version_num.
    pub version_num: i32,
    pub schemas: Vec<SchemaDef>,
    pub extensions: Vec<ExtensionDef>,
    pub types: Vec<TypeDef>,
    pub sequences: Vec<SequenceDef>,
    pub tables: Vec<TableDef>,
    pub constraints: Vec<ConstraintDef>,
    pub indexes: Vec<IndexDef>,
    pub views: Vec<ViewDef>,
    pub routines: Vec<RoutineDef>,
    pub triggers: Vec<TriggerDef>,
    pub dependencies: Vec<Dependency>,
}

impl SchemaModel {
    /// Checks `--schema` names against the schemas read: PostgreSQL names are case-sensitive,
    /// so a name that matches only otherwise cased is refused with the exact spelling (a
    /// comparison or creation of nothing must not pass for a success).
    pub fn check_schema_names(&self, given: &[String], what: &str) -> Result<(), String> {
        for g in given {
            if self.schemas.iter().any(|s| s.name == *g) {
                continue;
            }
            let close: Vec<&str> = self
                .schemas
                .iter()
                .filter(|s| s.name.to_lowercase() == g.to_lowercase())
                .map(|s| s.name.as_str())
                .collect();
            return Err(match close.as_slice() {
                [] => format!(
                    "--schema {g}: no such schema in {what} (or it is a system schema or charmig's own)"
                ),
                c => format!(
                    "--schema {g}: no such schema in {what}; names are case-sensitive: did you mean {}?",
                    c.join(" or ")
                ),
            });
        }
        Ok(())
    }

    pub fn table(&self, name: &ObjectName) -> Option<&TableDef> {
        self.tables.iter().find(|t| &t.name == name)
    }
    pub fn sequence(&self, name: &ObjectName) -> Option<&SequenceDef> {
        self.sequences.iter().find(|s| &s.name == name)
    }
    pub fn view(&self, name: &ObjectName) -> Option<&ViewDef> {
        self.views.iter().find(|v| &v.name == name)
    }
    /// The kind of the pg_class object of that name, if the model has one.
    pub fn has_relation(&self, name: &ObjectName) -> bool {
        self.table(name).is_some() || self.sequence(name).is_some() || self.view(name).is_some()
    }
}
