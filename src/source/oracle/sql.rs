//! Every SQL statement charmig sends to Oracle, as pure functions (the data statements live in
//! `data_sql.rs` and are re-exported here). Nothing here touches a
//! connection, so each statement is rendered by the golden tests (`tests/golden/oracle/`)
//! and a change to any of them shows up as a diff.
//!
//! Rules: identifiers go through [`crate::dialect::oracle`]; values (owners, table names,
//! ROWIDs) are bind variables `:1, :2 …`, listed in [`Stmt::binds`]. The only literals are
//! constants of charmig itself (the list of Oracle-maintained schemas, charset names read from
//! NLS_DATABASE_PARAMETERS). Every dictionary query aliases its columns to lower-case
//! canonical names, so the mapping in `dictionary.rs` does not depend on the view family.

use crate::dialect::oracle::literal;

pub use super::data_sql::{
    RangeSql, ReadAs, ReadColumn, data_select, orphan_count, rowid_split_points,
};

/// Which dictionary views are readable: `DBA_` (SELECT_CATALOG_ROLE), `ALL_` (what the user
/// can see), `USER_` (own schema only; restricted sites revoke even ALL_ views).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Dba,
    All,
    User,
}

impl Family {
    pub fn prefix(self) -> &'static str {
        match self {
            Family::Dba => "DBA_",
            Family::All => "ALL_",
            Family::User => "USER_",
        }
    }
    /// In the order charmig tries them (each fallback on ORA-00942).
    pub const ORDER: [Family; 3] = [Family::Dba, Family::All, Family::User];

    fn view(self, name: &str) -> String {
        format!("{}{name}", self.prefix())
    }

    /// The owner column of a view, or `USER` for USER_ views (which have none).
    fn owner(self, alias: &str, column: &str) -> String {
        match self {
            Family::User => "USER".to_string(),
            _ => format!("{alias}.{column}"),
        }
    }
}

/// How Oracle-maintained schemas are left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Maintained {
    /// `--include-maintained`.
    Include,
    /// 12.1+: `ALL_USERS.ORACLE_MAINTAINED = 'Y'`.
    ByFlag,
    /// Before 12.1: charmig's list, [`MAINTAINED_SCHEMAS`].
    ByList,
}

/// Oracle-maintained schemas for databases without `ORACLE_MAINTAINED` (before 12.1), plus
/// the `APEX_%` and `FLOWS_%` families (see [`MAINTAINED_PREFIXES`]).
pub const MAINTAINED_SCHEMAS: &[&str] = &[
    "ANONYMOUS",
    "APPQOSSYS",
    "AUDSYS",
    "CTXSYS",
    "DBSFWUSER",
    "DBSNMP",
    "DIP",
    "DVF",
    "DVSYS",
    "EXFSYS",
    "GGSYS",
    "GSMADMIN_INTERNAL",
    "GSMCATUSER",
    "GSMUSER",
    "LBACSYS",
    "MDDATA",
    "MDSYS",
    "MGMT_VIEW",
    "OJVMSYS",
    "OLAPSYS",
    "ORACLE_OCM",
    "ORDDATA",
    "ORDPLUGINS",
    "ORDSYS",
    "OUTLN",
    "OWBSYS",
    "OWBSYS_AUDIT",
    "REMOTE_SCHEDULER_AGENT",
    "SI_INFORMTN_SCHEMA",
    "SPATIAL_CSW_ADMIN_USR",
    "SPATIAL_WFS_ADMIN_USR",
    "SYS",
    "SYS$UMF",
    "SYSBACKUP",
    "SYSDG",
    "SYSKM",
    "SYSMAN",
    "SYSRAC",
    "SYSTEM",
    "TSMSYS",
    "WMSYS",
    "XDB",
    "XS$NULL",
];
pub const MAINTAINED_PREFIXES: &[&str] = &["APEX_", "FLOWS_"];

/// True when `owner` is on charmig's maintained list (used for pre-12.1 databases and as a
/// second line of defence when mapping rows).
pub fn is_maintained_name(owner: &str) -> bool {
    MAINTAINED_SCHEMAS.contains(&owner) || MAINTAINED_PREFIXES.iter().any(|p| owner.starts_with(p))
}

/// Which schemas a dictionary query covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub family: Family,
    /// `--schema` values; empty = all visible schemas.
    pub schemas: Vec<String>,
    pub maintained: Maintained,
    /// Server release `(major, minor)`: 12.1 brought identity and invisible columns
    /// (USER_GENERATED, IDENTITY_COLUMN), 12.2 SEARCH_CONDITION_VC.
    pub version: (u32, u32),
}

impl Scope {
    fn at_least(&self, major: u32, minor: u32) -> bool {
        self.version >= (major, minor)
    }
}

/// One statement and its bind values, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stmt {
    pub sql: String,
    pub binds: Vec<String>,
}

impl Stmt {
    fn plain(sql: String) -> Stmt {
        Stmt {
            sql,
            binds: Vec::new(),
        }
    }
}

/// `AND <owner filter>` for a view's owner expression (empty for USER_ views).
fn owner_filter(scope: &Scope, owner_expr: &str, binds: &mut Vec<String>) -> String {
    if scope.family == Family::User {
        return String::new();
    }
    if !scope.schemas.is_empty() {
        let marks: Vec<String> = scope
            .schemas
            .iter()
            .map(|s| {
                binds.push(s.clone());
                format!("UPPER(:{})", binds.len())
            })
            .collect();
        // A DBA types `hr` for HR; a schema created as "hr" is matched too.
        return format!("\n   AND UPPER({owner_expr}) IN ({})", marks.join(", "));
    }
    match scope.maintained {
        Maintained::Include => String::new(),
        Maintained::ByFlag => format!(
            "\n   AND {owner_expr} NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y')"
        ),
        Maintained::ByList => {
            let list: Vec<String> = MAINTAINED_SCHEMAS.iter().map(|s| literal(s)).collect();
            let mut s = format!("\n   AND {owner_expr} NOT IN ({})", list.join(", "));
            for p in MAINTAINED_PREFIXES {
                s.push_str(&format!(
                    "\n   AND {owner_expr} NOT LIKE {} ESCAPE '\\'",
                    literal(&format!("{}%", p.replace('_', "\\_")))
                ));
            }
            s
        }
    }
}

/// Is this family readable? Fails with ORA-00942 when not granted.
pub fn probe(family: Family) -> Stmt {
    Stmt::plain(format!(
        "SELECT 1 FROM {} WHERE ROWNUM = 1",
        family.view("TAB_COLS")
    ))
}

/// Database charset, national charset, length semantics. Granted to PUBLIC.
pub fn nls_parameters() -> Stmt {
    Stmt::plain(
        "SELECT parameter, value\n  FROM nls_database_parameters\n WHERE parameter IN ('NLS_CHARACTERSET', \
         'NLS_NCHAR_CHARACTERSET', 'NLS_LENGTH_SEMANTICS', 'NLS_RDBMS_VERSION')"
            .into(),
    )
}

/// The database's identity, granted to every session: the container's DBID and name (12.1+;
/// in a PDB these are the PDB's, so two PDBs of one CDB differ; in a non-CDB they are the
/// database's). Columns `dbid`, `name`.
pub fn identity() -> Stmt {
    Stmt::plain(
        "SELECT SYS_CONTEXT('USERENV', 'CON_DBID') AS dbid, SYS_CONTEXT('USERENV', 'CON_NAME') AS name\n  FROM dual"
            .into(),
    )
}

/// Identity before 12.1 (no CON_DBID): V$DATABASE's DBID and NAME. Needs SELECT on
/// V_$DATABASE (SELECT_CATALOG_ROLE); without it the identity stays unknown.
pub fn identity_v_database() -> Stmt {
    Stmt::plain("SELECT TO_CHAR(dbid) AS dbid, name FROM v$database".into())
}

/// MAX_STRING_SIZE from V$PARAMETER (needs SELECT on V_$PARAMETER; absent before 12.1).
pub fn max_string_size() -> Stmt {
    Stmt::plain("SELECT value FROM v$parameter WHERE name = 'max_string_size'".into())
}

/// Fallback without V$PARAMETER: a VARCHAR2 expression is capped at 4000 bytes under
/// STANDARD and 32767 under EXTENDED, so the length of a 4001-byte RPAD tells them apart.
pub fn max_string_size_probe() -> Stmt {
    Stmt::plain("SELECT LENGTHB(RPAD('x', 4001, 'x')) AS len FROM dual".into())
}

/// Tables in scope, with what decides whether they are scanned: recycle bin (DROPPED),
/// external, temporary, IOT overflow segments, nested-table storage, materialized views'
/// containers (MVIEWS); and object tables
/// (`TABLE OF type`, listed in OBJECT_TABLES, not in TABLES) so they can be reported.
pub fn tables(scope: &Scope) -> Stmt {
    let f = scope.family;
    let mut binds = Vec::new();
    let owner = f.owner("t", "owner");
    let ext_owner = match f {
        Family::User => String::new(),
        _ => "x.owner = t.owner AND ".into(),
    };
    let filter = owner_filter(scope, &owner, &mut binds);
    let filter2 = owner_filter(scope, &owner, &mut binds);
    let sql = format!(
        "SELECT {owner} AS owner, t.table_name, TO_CHAR(t.num_rows) AS num_rows, TO_CHAR(t.blocks) AS blocks,\n       \
         TO_CHAR(t.avg_row_len) AS avg_row_len, t.dropped, t.temporary, t.iot_type, t.partitioned,\n       \
         CASE WHEN EXISTS (SELECT 1 FROM {ext} x WHERE {ext_owner}x.table_name = t.table_name) THEN 'YES' ELSE 'NO' END AS external,\n       \
         t.nested, 'NO' AS object_table,\n       \
         CASE WHEN EXISTS (SELECT 1 FROM {mviews} m WHERE {mv_owner}m.mview_name = t.table_name) THEN 'YES' ELSE 'NO' END AS mview\n  \
         FROM {view} t\n WHERE 1 = 1{filter}\n\
         UNION ALL\n\
         SELECT {owner}, t.table_name, TO_CHAR(t.num_rows), TO_CHAR(t.blocks), TO_CHAR(t.avg_row_len), t.dropped,\n       \
         t.temporary, t.iot_type, t.partitioned, 'NO', t.nested, 'YES', 'NO'\n  \
         FROM {objects} t\n WHERE 1 = 1{filter2}\n ORDER BY 1, 2",
        ext = f.view("EXTERNAL_TABLES"),
        mviews = f.view("MVIEWS"),
        mv_owner = ext_owner.replace("x.", "m."),
        view = f.view("TABLES"),
        objects = f.view("OBJECT_TABLES"),
    );
    Stmt { sql, binds }
}

/// Columns of the tables in scope. From 12.1 every user column, invisible ones included
/// (`USER_GENERATED = 'YES'`: an invisible column is HIDDEN_COLUMN = 'YES' and holds data like
/// any other), with identity columns and how they generate; before 12.1, TAB_COLS without
/// hidden columns. VIRTUAL_COLUMN says which hold no data.
pub fn columns(scope: &Scope) -> Stmt {
    let f = scope.family;
    let mut binds = Vec::new();
    let owner = f.owner("c", "owner");
    let (join_owner, id_owner) = match f {
        Family::User => (String::new(), String::new()),
        _ => (
            "t.owner = c.owner AND ".into(),
            "id.owner = c.owner AND ".into(),
        ),
    };
    let (extra, id_join, which) = if scope.at_least(12, 1) {
        (
            "c.hidden_column, c.identity_column, id.generation_type, c.default_on_null",
            format!(
                "\n  LEFT JOIN {} id ON {id_owner}id.table_name = c.table_name AND id.column_name = c.column_name",
                f.view("TAB_IDENTITY_COLS")
            ),
            "c.user_generated = 'YES'",
        )
    } else {
        (
            "c.hidden_column, 'NO' AS identity_column, NULL AS generation_type, 'NO' AS default_on_null",
            String::new(),
            "c.hidden_column = 'NO'",
        )
    };
    let sql = format!(
        "SELECT {owner} AS owner, c.table_name, c.column_name, TO_CHAR(c.column_id) AS column_id, c.data_type,\n       \
         TO_CHAR(c.data_length) AS data_length, TO_CHAR(c.char_length) AS char_length, c.char_used,\n       \
         c.nullable, c.virtual_column, {extra}\n  \
         FROM {cols} c\n  JOIN {tabs} t ON {join_owner}t.table_name = c.table_name{id_join}\n \
         WHERE {which}{filter}\n ORDER BY 1, 2, c.column_id",
        cols = f.view("TAB_COLS"),
        tabs = f.view("TABLES"),
        filter = owner_filter(scope, &owner, &mut binds),
    );
    Stmt { sql, binds }
}

/// Constraints (all types) with the text of check conditions: SEARCH_CONDITION_VC from
/// 12.2, the LONG SEARCH_CONDITION before (fetched as text, never filtered on), so NOT NULL
/// checks can be told from real ones; GENERATED says whether the name is system-made (SYS_C…).
pub fn constraints(scope: &Scope) -> Stmt {
    let f = scope.family;
    let mut binds = Vec::new();
    // USER_CONSTRAINTS has an OWNER column, unlike most USER_ views.
    let owner = "c.owner";
    let filter = owner_filter(scope, owner, &mut binds);
    let condition = if scope.at_least(12, 2) {
        "c.search_condition_vc"
    } else {
        "c.search_condition AS search_condition_vc"
    };
    let sql = format!(
        "SELECT c.owner, c.constraint_name, c.constraint_type, c.table_name, c.r_owner, c.r_constraint_name,\n       \
         c.status, c.validated, c.delete_rule, c.index_owner, c.index_name, c.generated, {condition}\n  \
         FROM {view} c\n WHERE c.constraint_type IN ('P', 'U', 'R', 'C')\n   \
         AND c.table_name NOT LIKE 'BIN$%'{filter}\n ORDER BY 1, 4, 2",
        view = f.view("CONSTRAINTS"),
    );
    Stmt { sql, binds }
}

/// Columns of the keys in scope and of the keys their foreign keys reference (which may
/// lie in another schema).
pub fn constraint_columns(scope: &Scope) -> Stmt {
    let f = scope.family;
    let mut binds = Vec::new();
    let filter = owner_filter(scope, "k.owner", &mut binds);
    let filter2 = owner_filter(scope, "k.owner", &mut binds);
    let sql = format!(
        "SELECT cc.owner, cc.constraint_name, cc.table_name, cc.column_name, TO_CHAR(cc.position) AS position\n  \
         FROM {cc} cc\n WHERE (cc.owner, cc.constraint_name) IN (\n       \
         SELECT k.owner, k.constraint_name FROM {cons} k WHERE k.constraint_type IN ('P', 'U', 'R'){filter}\n       \
         UNION\n       \
         SELECT k.r_owner, k.r_constraint_name FROM {cons} k WHERE k.constraint_type = 'R'{filter2})\n \
         ORDER BY 1, 2, cc.position",
        cc = f.view("CONS_COLUMNS"),
        cons = f.view("CONSTRAINTS"),
    );
    Stmt { sql, binds }
}

/// Indexes with their state, statistics age and, for partitioned ones, unusable partitions.
pub fn indexes(scope: &Scope) -> Stmt {
    let f = scope.family;
    let mut binds = Vec::new();
    let owner = f.owner("i", "owner");
    let (stat_owner, part_owner) = match f {
        Family::User => (String::new(), String::new()),
        _ => (
            "s.owner = i.owner AND ".to_string(),
            "p.index_owner = i.owner AND ".to_string(),
        ),
    };
    let sql = format!(
        "SELECT {owner} AS owner, i.index_name, i.table_owner, i.table_name, i.index_type, i.uniqueness,\n       \
         i.status, i.partitioned, i.funcidx_status,\n       \
         TO_CHAR(i.last_analyzed, 'YYYY-MM-DD\"T\"HH24:MI:SS') AS last_analyzed,\n       \
         (SELECT MAX(s.stale_stats) FROM {stats} s\n          \
         WHERE {stat_owner}s.index_name = i.index_name AND s.partition_name IS NULL) AS stale_stats,\n       \
         (SELECT TO_CHAR(COUNT(*)) FROM {parts} p\n          \
         WHERE {part_owner}p.index_name = i.index_name AND p.status = 'UNUSABLE') AS unusable_partitions\n  \
         FROM {view} i\n WHERE i.table_name NOT LIKE 'BIN$%'{filter}\n ORDER BY 1, 2",
        stats = f.view("IND_STATISTICS"),
        parts = f.view("IND_PARTITIONS"),
        view = f.view("INDEXES"),
        filter = owner_filter(scope, &owner, &mut binds),
    );
    Stmt { sql, binds }
}

/// Index columns, with the expression of function-based index columns (COLUMN_EXPRESSION is
/// a LONG; it is fetched as text, which is fine for dictionary text).
pub fn index_columns(scope: &Scope) -> Stmt {
    let f = scope.family;
    let mut binds = Vec::new();
    let owner = f.owner("ic", "index_owner");
    let eowner = match f {
        Family::User => "",
        _ => "e.index_owner = ic.index_owner AND ",
    };
    let sql = format!(
        "SELECT {owner} AS index_owner, ic.index_name, ic.table_name, ic.column_name,\n       \
         TO_CHAR(ic.column_position) AS column_position, ic.descend, e.column_expression\n  \
         FROM {ic} ic\n  LEFT JOIN {ie} e ON {eowner}e.index_name = ic.index_name AND e.column_position = ic.column_position\n \
         WHERE 1 = 1{filter}\n ORDER BY 1, 2, ic.column_position",
        ic = f.view("IND_COLUMNS"),
        ie = f.view("IND_EXPRESSIONS"),
        filter = owner_filter(scope, &owner, &mut binds),
    );
    Stmt { sql, binds }
}

/// Triggers, including schema and database triggers (no table).
pub fn triggers(scope: &Scope) -> Stmt {
    let f = scope.family;
    let mut binds = Vec::new();
    let owner = f.owner("g", "owner");
    let sql = format!(
        "SELECT {owner} AS owner, g.trigger_name, g.table_owner, g.table_name, g.base_object_type,\n       \
         g.trigger_type, g.triggering_event, g.status\n  \
         FROM {view} g\n WHERE g.trigger_name NOT LIKE 'BIN$%'{filter}\n ORDER BY 1, 2",
        view = f.view("TRIGGERS"),
        filter = owner_filter(scope, &owner, &mut binds),
    );
    Stmt { sql, binds }
}

/// Sequences (numbers as text: MAXVALUE has 28 digits).
pub fn sequences(scope: &Scope) -> Stmt {
    let f = scope.family;
    let mut binds = Vec::new();
    let owner = f.owner("s", "sequence_owner");
    let sql = format!(
        "SELECT {owner} AS sequence_owner, s.sequence_name, TO_CHAR(s.last_number) AS last_number,\n       \
         TO_CHAR(s.increment_by) AS increment_by, TO_CHAR(s.min_value) AS min_value,\n       \
         TO_CHAR(s.max_value) AS max_value, s.cycle_flag\n  \
         FROM {view} s\n WHERE 1 = 1{filter}\n ORDER BY 1, 2",
        view = f.view("SEQUENCES"),
        filter = owner_filter(scope, &owner, &mut binds),
    );
    Stmt { sql, binds }
}

/// Objects that are not VALID (charmig keeps only those: a large database has hundreds of
/// thousands of valid objects and no check needs them).
pub fn invalid_objects(scope: &Scope) -> Stmt {
    let f = scope.family;
    let mut binds = Vec::new();
    let owner = f.owner("o", "owner");
    let sql = format!(
        "SELECT {owner} AS owner, o.object_name, o.object_type, o.status\n  \
         FROM {view} o\n WHERE o.status <> 'VALID'\n   AND o.object_name NOT LIKE 'BIN$%'{filter}\n ORDER BY 1, 3, 2",
        view = f.view("OBJECTS"),
        filter = owner_filter(scope, &owner, &mut binds),
    );
    Stmt { sql, binds }
}

/// Compilation errors (DBA_ERRORS) of the objects in scope.
pub fn errors(scope: &Scope) -> Stmt {
    let f = scope.family;
    let mut binds = Vec::new();
    let owner = f.owner("e", "owner");
    let sql = format!(
        "SELECT {owner} AS owner, e.name, e.type, TO_CHAR(e.sequence) AS sequence, TO_CHAR(e.line) AS line,\n       \
         TO_CHAR(e.position) AS position, e.attribute, e.text\n  \
         FROM {view} e\n WHERE 1 = 1{filter}\n ORDER BY 1, 3, 2, e.sequence",
        view = f.view("ERRORS"),
        filter = owner_filter(scope, &owner, &mut binds),
    );
    Stmt { sql, binds }
}

/// The names of [`dictionary_queries`], in order.
pub const DICTIONARY_FILES: [&str; 11] = [
    "tables",
    "columns",
    "constraints",
    "constraint_columns",
    "indexes",
    "index_columns",
    "triggers",
    "sequences",
    "objects",
    "errors",
    "partition_keys",
];

/// Every dictionary query, by the name its rows are stored under (`dictionary/NAME.csv` in a
/// snapshot, `tests/fixtures/oracle_dict/NAME.csv`), in the order charmig runs them.
pub fn dictionary_queries(scope: &Scope) -> Vec<(&'static str, Stmt)> {
    vec![
        ("tables", tables(scope)),
        ("columns", columns(scope)),
        ("constraints", constraints(scope)),
        ("constraint_columns", constraint_columns(scope)),
        ("indexes", indexes(scope)),
        ("index_columns", index_columns(scope)),
        ("triggers", triggers(scope)),
        ("sequences", sequences(scope)),
        ("objects", invalid_objects(scope)),
        ("errors", errors(scope)),
        ("partition_keys", partition_keys(scope)),
    ]
}

/// Partitioning and subpartitioning key columns of tables: their length cannot change in
/// place (ORA-14060), which the planner needs to know.
pub fn partition_keys(scope: &Scope) -> Stmt {
    let f = scope.family;
    let mut binds = Vec::new();
    let owner = f.owner("k", "owner");
    let filter = owner_filter(scope, &owner, &mut binds);
    let filter2 = owner_filter(scope, &owner, &mut binds);
    let sql = format!(
        "SELECT {owner} AS owner, k.name AS table_name, k.column_name, 'PARTITION' AS key_kind\n  \
         FROM {pk} k\n WHERE k.object_type = 'TABLE'{filter}\n\
         UNION ALL\n\
         SELECT {owner}, k.name, k.column_name, 'SUBPARTITION'\n  \
         FROM {spk} k\n WHERE k.object_type = 'TABLE'{filter2}\n ORDER BY 1, 2, 3",
        pk = f.view("PART_KEY_COLUMNS"),
        spk = f.view("SUBPART_KEY_COLUMNS"),
    );
    Stmt { sql, binds }
}

/// The lower-case names of a statement's select list (its aliases, or the column names
/// after the last `.`): the keys of the rows it returns.
pub fn column_names(sql: &str) -> Vec<String> {
    let start = sql.find("SELECT ").map_or(0, |p| p + 7);
    let end = sql[start..]
        .find("\n  FROM ")
        .map_or(sql.len(), |p| start + p);
    let (mut depth, mut item, mut out) = (0i32, String::new(), Vec::new());
    let mut push = |item: &str| {
        let item = item.trim();
        let name = match item.rfind(" AS ") {
            Some(p) if !item[p..].contains(')') => &item[p + 4..],
            _ => item.rsplit('.').next().unwrap_or(item),
        };
        out.push(name.trim().to_ascii_lowercase());
    };
    for ch in sql[start..end].chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                push(&item);
                item.clear();
                continue;
            }
            _ => {}
        }
        item.push(ch);
    }
    push(&item);
    out
}

/// The extents of one table (all its partitions) as ROWID bounds, for splitting it into
/// ROWID ranges. DBA_ only: there is no ALL_EXTENTS, and USER_EXTENTS has neither
/// RELATIVE_FNO nor BLOCK_ID (ORA-00904), so under ALL_ and USER_ views a big table is split
/// by NTILE over its ROWIDs ([`super::data_sql::rowid_split_points`]) instead.
/// Binds: owner, table name.
pub fn extents(family: Family, owner: &str, table: &str) -> Option<Stmt> {
    let (view, objects, owner_pred, obj_owner, binds) = match family {
        Family::Dba => (
            "dba_extents",
            "dba_objects",
            "e.owner = :1 AND e.segment_name = :2",
            "o.owner = e.owner AND ",
            vec![owner.to_string(), table.to_string()],
        ),
        Family::User | Family::All => return None,
    };
    let sql = format!(
        "SELECT DBMS_ROWID.ROWID_CREATE(1, o.data_object_id, e.relative_fno, e.block_id, 0) AS lo,\n       \
         DBMS_ROWID.ROWID_CREATE(1, o.data_object_id, e.relative_fno, e.block_id + e.blocks - 1, 32767) AS hi,\n       \
         TO_CHAR(e.blocks) AS blocks, TO_CHAR(o.data_object_id) AS data_object_id\n  \
         FROM {view} e\n  JOIN {objects} o ON {obj_owner}o.object_name = e.segment_name\n   \
         AND NVL(o.subobject_name, ' ') = NVL(e.partition_name, ' ')\n   \
         AND o.object_type IN ('TABLE', 'TABLE PARTITION', 'TABLE SUBPARTITION')\n \
         WHERE {owner_pred}\n   AND e.segment_type IN ('TABLE', 'TABLE PARTITION', 'TABLE SUBPARTITION')\n \
         ORDER BY o.data_object_id, e.relative_fno, e.block_id"
    );
    Some(Stmt { sql, binds })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(family: Family, schemas: &[&str], maintained: Maintained) -> Scope {
        Scope {
            family,
            schemas: schemas.iter().map(|s| s.to_string()).collect(),
            maintained,
            version: (19, 0),
        }
    }

    #[test]
    fn schema_filters_are_bound_never_pasted() {
        let s = tables(&scope(
            Family::Dba,
            &["hr", "x' OR 1=1 --"],
            Maintained::ByFlag,
        ));
        // Two filtered halves (TABLES, OBJECT_TABLES): the binds repeat, numbered on.
        assert_eq!(s.binds, ["hr", "x' OR 1=1 --", "hr", "x' OR 1=1 --"]);
        assert!(
            s.sql.contains("UPPER(t.owner) IN (UPPER(:1), UPPER(:2))"),
            "{}",
            s.sql
        );
        assert!(
            s.sql.contains("UPPER(t.owner) IN (UPPER(:3), UPPER(:4))"),
            "{}",
            s.sql
        );
        assert!(!s.sql.contains("OR 1=1"));
        // Explicit schemas win over the maintained filter.
        assert!(!s.sql.contains("oracle_maintained"));
    }

    #[test]
    fn user_views_have_no_owner_filter() {
        let s = columns(&scope(Family::User, &["HR"], Maintained::ByFlag));
        assert!(
            s.sql.contains("SELECT USER AS owner") && s.sql.contains("FROM USER_TAB_COLS c"),
            "{}",
            s.sql
        );
        assert!(s.binds.is_empty());
    }

    #[test]
    fn maintained_list_is_complete_enough() {
        for s in [
            "SYS",
            "SYSTEM",
            "XDB",
            "MDSYS",
            "CTXSYS",
            "WMSYS",
            "APEX_200100",
            "FLOWS_FILES",
        ] {
            assert!(is_maintained_name(s), "{s}");
        }
        assert!(!is_maintained_name("HR") && !is_maintained_name("SYSADM"));
        let s = tables(&scope(Family::All, &[], Maintained::ByList));
        assert!(
            s.sql.contains("NOT LIKE 'APEX\\_%' ESCAPE '\\'"),
            "{}",
            s.sql
        );
    }

    #[test]
    fn extents_only_from_dba_views() {
        // USER_EXTENTS has no RELATIVE_FNO or BLOCK_ID (ORA-00904): NTILE split instead.
        assert!(extents(Family::User, "HR", "EMP").is_none());
        assert!(extents(Family::All, "HR", "EMP").is_none());
        let s = extents(Family::Dba, "HR", "EMP").unwrap();
        assert!(s.sql.contains("e.relative_fno") && s.sql.contains("FROM dba_extents e"));
    }

    #[test]
    fn identity_invisible_and_check_text_follow_the_release() {
        let mut s = scope(Family::Dba, &[], Maintained::ByFlag);
        assert!(columns(&s).sql.contains("WHERE c.user_generated = 'YES'"));
        assert!(constraints(&s).sql.contains("c.search_condition_vc\n"));
        s.version = (12, 1);
        assert!(
            constraints(&s)
                .sql
                .contains("c.search_condition AS search_condition_vc")
        );
        assert!(columns(&s).sql.contains("DBA_TAB_IDENTITY_COLS"));
        s.version = (11, 2);
        assert!(columns(&s).sql.contains("WHERE c.hidden_column = 'NO'"));
        assert!(!columns(&s).sql.contains("IDENTITY_COLS"));
        assert_eq!(column_names(&columns(&s).sql).len(), 14);
    }

    #[test]
    fn dictionary_queries_are_named_after_their_files() {
        let s = scope(Family::Dba, &[], Maintained::ByFlag);
        let names: Vec<&str> = dictionary_queries(&s).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, DICTIONARY_FILES);
        assert_eq!(
            column_names(&sequences(&s).sql)[..3],
            ["sequence_owner", "sequence_name", "last_number"]
        );
        assert_eq!(
            column_names(&tables(&s).sql).last().map(String::as_str),
            Some("mview")
        );
    }
}
