//! The Oracle side of verify's schema comparison: dictionary rows ([`super::oracle_sql`]) ->
//! an [`OraModel`] of tables and columns, constraints, indexes, triggers, sequences and views.
//! Pure, so mapping tests run over recorded rows; [`super::oracle_schema_diff`] compares two.

use crate::source::oracle::dictionary::Row;

/// The rows of [`super::oracle_sql::dictionary_queries`], by name.
#[derive(Debug, Clone, Default)]
pub struct DictRows {
    pub tables: Vec<Row>,
    pub columns: Vec<Row>,
    pub constraints: Vec<Row>,
    pub constraint_columns: Vec<Row>,
    pub indexes: Vec<Row>,
    pub index_columns: Vec<Row>,
    pub index_expressions: Vec<Row>,
    pub triggers: Vec<Row>,
    pub sequences: Vec<Row>,
    pub views: Vec<Row>,
}

impl DictRows {
    pub fn set(&mut self, name: &str, rows: Vec<Row>) {
        let slot = match name {
            "tables" => &mut self.tables,
            "columns" => &mut self.columns,
            "constraints" => &mut self.constraints,
            "constraint_columns" => &mut self.constraint_columns,
            "indexes" => &mut self.indexes,
            "index_columns" => &mut self.index_columns,
            "index_expressions" => &mut self.index_expressions,
            "triggers" => &mut self.triggers,
            "sequences" => &mut self.sequences,
            "views" => &mut self.views,
            _ => return,
        };
        *slot = rows;
    }
}

/// Which length a character column declares (ALL_TAB_COLUMNS.CHAR_USED).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Used {
    Byte,
    Char,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OraColumn {
    pub name: String,
    pub data_type: String,
    pub data_length: u32,
    pub char_length: u32,
    /// `None` for types without length semantics.
    pub used: Option<Used>,
    pub precision: Option<u32>,
    pub scale: Option<i32>,
    pub nullable: bool,
    /// DATA_DEFAULT, trimmed (Oracle keeps the text as typed, trailing blanks included); for
    /// a virtual column its expression; `None` for an identity column (whose DATA_DEFAULT
    /// names its system sequence, `"HR"."ISEQ$$_73217".nextval`, different on every database).
    pub default: Option<String>,
    /// VIRTUAL_COLUMN = 'YES': computed from `default`, holds no data.
    pub virtual_column: bool,
    /// IDENTITY_COLUMN = 'YES': its generator is the sequence whose `identity` names it.
    pub identity: bool,
    /// INVISIBLE (no COLUMN_ID in ALL_TAB_COLS): left out of `SELECT *` and of an INSERT
    /// without a column list.
    pub invisible: bool,
}

/// Families of character types, for the length rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharFamily {
    /// VARCHAR2, NVARCHAR2.
    Varying,
    /// CHAR, NCHAR.
    Fixed,
    /// CLOB, NCLOB.
    Lob,
}

impl OraColumn {
    pub fn char_family(&self) -> Option<CharFamily> {
        match self.data_type.as_str() {
            "VARCHAR2" | "NVARCHAR2" | "VARCHAR" => Some(CharFamily::Varying),
            "CHAR" | "NCHAR" => Some(CharFamily::Fixed),
            "CLOB" | "NCLOB" => Some(CharFamily::Lob),
            _ => None,
        }
    }

    fn national(&self) -> bool {
        self.data_type.starts_with('N')
    }

    /// The type as DDL writes it: `VARCHAR2(10 BYTE)`, `NUMBER(9,2)`, `TIMESTAMP(6)`.
    pub fn type_sql(&self) -> String {
        let t = &self.data_type;
        match (self.char_family(), self.used) {
            (Some(CharFamily::Lob), _) => t.clone(),
            (Some(_), _) if self.national() => format!("{t}({})", self.char_length),
            (Some(_), Some(Used::Char)) => format!("{t}({} CHAR)", self.char_length),
            (Some(_), _) => format!("{t}({} BYTE)", self.data_length),
            (None, _) => match t.as_str() {
                "NUMBER" => match (self.precision, self.scale) {
                    (Some(p), Some(0)) => format!("NUMBER({p})"),
                    (Some(p), Some(s)) => format!("NUMBER({p},{s})"),
                    (Some(p), None) => format!("NUMBER({p})"),
                    (None, Some(0)) => "NUMBER(*,0)".into(),
                    _ => "NUMBER".into(),
                },
                "FLOAT" => match self.precision {
                    Some(p) => format!("FLOAT({p})"),
                    None => "FLOAT".into(),
                },
                "RAW" | "UROWID" => format!("{t}({})", self.data_length),
                _ => t.clone(),
            },
        }
    }

    /// The type the plan gives a character column on the target: CHAR semantics with the
    /// source's length (national types and LOBs as they are); any other type unchanged.
    pub fn planned_type_sql(&self) -> String {
        match self.char_family() {
            Some(CharFamily::Varying | CharFamily::Fixed) if !self.national() => {
                format!("{}({} CHAR)", self.data_type, self.char_length)
            }
            _ => self.type_sql(),
        }
    }

    /// True when this (target) character column holds every value of `src`: the planned
    /// BYTE -> CHAR switch, a plan-widened length, NCHAR -> CHAR, VARCHAR2 -> CLOB. A target
    /// BYTE column holds a source BYTE column of at most its length; never a CHAR one.
    pub fn holds(&self, src: &OraColumn) -> bool {
        let (Some(sf), Some(tf)) = (src.char_family(), self.char_family()) else {
            return false;
        };
        match (sf, tf) {
            (_, CharFamily::Lob) => true,
            (CharFamily::Lob, _) => false,
            (a, b) if a != b => false,
            _ => {
                let t_chars = self.national() || self.used == Some(Used::Char);
                let s_chars = src.national() || src.used == Some(Used::Char);
                if t_chars {
                    self.char_length >= src.char_length
                } else {
                    !s_chars && self.data_length >= src.data_length
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OraTable {
    pub owner: String,
    pub name: String,
    pub columns: Vec<OraColumn>,
    /// What a plain `CREATE TABLE (columns)` would not give it: `a global temporary table`,
    /// `index-organized`, `partitioned` (ALL_TABLES.TEMPORARY, IOT_TYPE, PARTITIONED).
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OraConstraint {
    pub owner: String,
    pub name: String,
    pub table: String,
    /// P, U, R or C.
    pub kind: char,
    pub enabled: bool,
    pub validated: bool,
    /// The name is Oracle's (`SYS_C…`): matched by definition, not by name.
    pub generated: bool,
    pub columns: Vec<String>,
    /// R: the referenced table (owner, name) and columns.
    pub references: Option<(String, String)>,
    pub ref_columns: Vec<String>,
    pub delete_rule: Option<String>,
    /// C: the condition, trimmed.
    pub condition: Option<String>,
}

impl OraConstraint {
    /// What the constraint enforces, for comparing and matching generated names.
    pub fn definition(&self) -> String {
        let cols = self.columns.join(", ");
        match self.kind {
            'P' => format!("PRIMARY KEY ({cols})"),
            'U' => format!("UNIQUE ({cols})"),
            'R' => format!(
                "FOREIGN KEY ({cols}) REFERENCES {}.{} ({}){}",
                self.references.as_ref().map_or("?", |r| r.0.as_str()),
                self.references.as_ref().map_or("?", |r| r.1.as_str()),
                self.ref_columns.join(", "),
                match self.delete_rule.as_deref() {
                    Some("CASCADE") => " ON DELETE CASCADE",
                    Some("SET NULL") => " ON DELETE SET NULL",
                    _ => "",
                }
            ),
            _ => format!("CHECK ({})", self.condition.as_deref().unwrap_or("")),
        }
    }

    pub fn state(&self) -> &'static str {
        match (self.enabled, self.validated) {
            (true, true) => "ENABLED VALIDATED",
            (true, false) => "ENABLED NOT VALIDATED",
            (false, true) => "DISABLED VALIDATED",
            (false, false) => "DISABLED NOT VALIDATED",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OraIndex {
    pub owner: String,
    pub name: String,
    pub table_owner: String,
    pub table: String,
    /// NORMAL, BITMAP, FUNCTION-BASED NORMAL, IOT - TOP, DOMAIN …
    pub index_type: String,
    pub unique: bool,
    pub generated: bool,
    /// Each key: a quoted column or the expression, with ` DESC` when descending.
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OraTrigger {
    pub owner: String,
    pub name: String,
    pub table_owner: String,
    pub table: String,
    pub enabled: bool,
}

/// The identity column a system sequence (`ISEQ$$_n`) generates values for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityOf {
    pub table: String,
    pub column: String,
    /// ALWAYS, BY DEFAULT or BY DEFAULT ON NULL (ALL_TAB_IDENTITY_COLS.GENERATION_TYPE, and
    /// ALL_TAB_COLS.DEFAULT_ON_NULL), as written after GENERATED.
    pub generation: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OraSequence {
    pub owner: String,
    pub name: String,
    /// Set for the sequence of an identity column: matched by column, never by its name.
    pub identity: Option<IdentityOf>,
    pub min_value: i128,
    pub max_value: i128,
    pub increment: i128,
    pub cycle: bool,
    pub cache: i128,
    pub last_number: i128,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OraView {
    pub owner: String,
    pub name: String,
    /// The view's column names in order (from ALL_TAB_COLS): TEXT is the query alone, without
    /// the column list a `CREATE VIEW v (a, b) AS …` gave, so re-creating it needs them.
    pub columns: Vec<String>,
    pub text: String,
}

/// One side's schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OraModel {
    pub tables: Vec<OraTable>,
    pub constraints: Vec<OraConstraint>,
    pub indexes: Vec<OraIndex>,
    pub triggers: Vec<OraTrigger>,
    pub sequences: Vec<OraSequence>,
    pub views: Vec<OraView>,
}

impl OraModel {
    pub fn table(&self, owner: &str, name: &str) -> Option<&OraTable> {
        self.tables
            .iter()
            .find(|t| t.owner == owner && t.name == name)
    }
}

fn get(r: &Row, k: &str) -> Option<String> {
    r.get(k).cloned().flatten()
}

fn need(r: &Row, k: &str, what: &str) -> Result<String, String> {
    get(r, k).ok_or_else(|| format!("{what}: a row without {k}"))
}

fn num<T: std::str::FromStr>(r: &Row, k: &str) -> Option<T> {
    get(r, k).and_then(|v| v.trim().parse().ok())
}

/// Maps the dictionary rows of one side; charmig's own schema is left out.
pub fn map(rows: &DictRows) -> Result<OraModel, String> {
    let own = |o: &str| crate::own::is_own_schema(o);
    let mut m = OraModel::default();
    for r in &rows.tables {
        let owner = need(r, "owner", "ALL_TABLES")?;
        let name = need(r, "table_name", "ALL_TABLES")?;
        if own(&owner) || crate::own::is_own_table(&owner, &name) {
            continue;
        }
        let kind = if get(r, "temporary").as_deref() == Some("Y") {
            Some("a global temporary table")
        } else if get(r, "iot_type").is_some() {
            Some("index-organized")
        } else if get(r, "partitioned").as_deref() == Some("YES") {
            Some("partitioned")
        } else {
            None
        };
        m.tables.push(OraTable {
            owner,
            name,
            columns: Vec::new(),
            kind: kind.map(String::from),
        });
    }
    let mut view_columns: std::collections::BTreeMap<(String, String), Vec<(u32, String)>> =
        Default::default();
    for r in &rows.columns {
        let owner = need(r, "owner", "ALL_TAB_COLS")?;
        let table = need(r, "table_name", "ALL_TAB_COLS")?;
        let name = need(r, "column_name", "ALL_TAB_COLS")?;
        // Views' columns are in ALL_TAB_COLS too: kept aside for re-creating the view.
        let Some(t) = m
            .tables
            .iter_mut()
            .find(|t| t.owner == owner && t.name == table)
        else {
            view_columns
                .entry((owner, table))
                .or_default()
                .push((num(r, "column_id").unwrap_or(u32::MAX), name));
            continue;
        };
        let identity = get(r, "identity_column").as_deref() == Some("YES");
        t.columns.push(OraColumn {
            name,
            data_type: need(r, "data_type", "ALL_TAB_COLS")?,
            data_length: num(r, "data_length").unwrap_or(0),
            char_length: num(r, "char_length").unwrap_or(0),
            used: match get(r, "char_used").as_deref() {
                Some("B") => Some(Used::Byte),
                Some("C") => Some(Used::Char),
                _ => None,
            },
            precision: num(r, "data_precision"),
            scale: num(r, "data_scale"),
            nullable: get(r, "nullable").as_deref() != Some("N"),
            default: get(r, "data_default")
                .map(|d| d.trim().to_string())
                .filter(|d| !identity && !d.is_empty() && !d.eq_ignore_ascii_case("NULL")),
            virtual_column: get(r, "virtual_column").as_deref() == Some("YES"),
            identity,
            // A user-generated column without COLUMN_ID is invisible.
            invisible: get(r, "column_id").is_none(),
        });
    }
    let mut cons_cols: std::collections::BTreeMap<(String, String), Vec<(u32, String)>> =
        Default::default();
    for r in &rows.constraint_columns {
        cons_cols
            .entry((
                need(r, "owner", "ALL_CONS_COLUMNS")?,
                need(r, "constraint_name", "ALL_CONS_COLUMNS")?,
            ))
            .or_default()
            .push((
                num(r, "position").unwrap_or(0),
                need(r, "column_name", "ALL_CONS_COLUMNS")?,
            ));
    }
    let cols_of = |owner: &str, name: &str| -> Vec<String> {
        let mut v = cons_cols
            .get(&(owner.to_string(), name.to_string()))
            .cloned()
            .unwrap_or_default();
        v.sort();
        v.into_iter().map(|(_, c)| c).collect()
    };
    let mut refs = Vec::new();
    for r in &rows.constraints {
        let owner = need(r, "owner", "ALL_CONSTRAINTS")?;
        let name = need(r, "constraint_name", "ALL_CONSTRAINTS")?;
        let table = need(r, "table_name", "ALL_CONSTRAINTS")?;
        if m.table(&owner, &table).is_none() {
            continue;
        }
        let kind = need(r, "constraint_type", "ALL_CONSTRAINTS")?
            .chars()
            .next()
            .unwrap_or('?');
        let columns = cols_of(&owner, &name);
        let condition = get(r, "search_condition").map(|c| c.trim().to_string());
        // NOT NULL is compared as the column's nullability.
        if kind == 'C'
            && columns.len() == 1
            && condition.as_deref() == Some(&format!("\"{}\" IS NOT NULL", columns[0]))
        {
            continue;
        }
        refs.push((
            m.constraints.len(),
            get(r, "r_owner"),
            get(r, "r_constraint_name"),
        ));
        m.constraints.push(OraConstraint {
            owner,
            name,
            table,
            kind,
            enabled: get(r, "status").as_deref() == Some("ENABLED"),
            validated: get(r, "validated").as_deref() == Some("VALIDATED"),
            generated: get(r, "generated").as_deref() == Some("GENERATED NAME"),
            columns,
            references: None,
            ref_columns: Vec::new(),
            delete_rule: get(r, "delete_rule"),
            condition: if kind == 'C' { condition } else { None },
        });
    }
    for (i, r_owner, r_name) in refs {
        if let (Some(o), Some(n)) = (r_owner, r_name) {
            let parent = rows.constraints.iter().find(|r| {
                get(r, "owner").as_deref() == Some(&o)
                    && get(r, "constraint_name").as_deref() == Some(&n)
            });
            let table = parent.and_then(|p| get(p, "table_name"));
            m.constraints[i].references = Some((o.clone(), table.unwrap_or_else(|| n.clone())));
            m.constraints[i].ref_columns = cols_of(&o, &n);
        }
    }
    let mut exprs: std::collections::BTreeMap<(String, String, u32), String> = Default::default();
    for r in &rows.index_expressions {
        exprs.insert(
            (
                need(r, "index_owner", "ALL_IND_EXPRESSIONS")?,
                need(r, "index_name", "ALL_IND_EXPRESSIONS")?,
                num(r, "column_position").unwrap_or(0),
            ),
            get(r, "column_expression")
                .map(|e| e.trim().to_string())
                .unwrap_or_default(),
        );
    }
    for r in &rows.indexes {
        let table_owner = need(r, "table_owner", "ALL_INDEXES")?;
        let table = need(r, "table_name", "ALL_INDEXES")?;
        if m.table(&table_owner, &table).is_none() {
            continue;
        }
        m.indexes.push(OraIndex {
            owner: need(r, "owner", "ALL_INDEXES")?,
            name: need(r, "index_name", "ALL_INDEXES")?,
            table_owner,
            table,
            index_type: get(r, "index_type").unwrap_or_default(),
            unique: get(r, "uniqueness").as_deref() == Some("UNIQUE"),
            generated: get(r, "generated").as_deref() == Some("Y"),
            keys: Vec::new(),
        });
    }
    let mut keys: Vec<(String, String, u32, String)> = Vec::new();
    for r in &rows.index_columns {
        let owner = need(r, "index_owner", "ALL_IND_COLUMNS")?;
        let name = need(r, "index_name", "ALL_IND_COLUMNS")?;
        let pos = num(r, "column_position").unwrap_or(0);
        let col = need(r, "column_name", "ALL_IND_COLUMNS")?;
        let key = match exprs.get(&(owner.clone(), name.clone(), pos)) {
            Some(e) => e.clone(),
            None => crate::dialect::ident(crate::charset::Dialect::Oracle, &col),
        };
        let desc = get(r, "descend").as_deref() == Some("DESC");
        keys.push((
            owner,
            name,
            pos,
            if desc { format!("{key} DESC") } else { key },
        ));
    }
    keys.sort();
    for (owner, name, _, key) in keys {
        if let Some(i) = m
            .indexes
            .iter_mut()
            .find(|i| i.owner == owner && i.name == name)
        {
            i.keys.push(key);
        }
    }
    for r in &rows.triggers {
        let owner = need(r, "owner", "ALL_TRIGGERS")?;
        if own(&owner) {
            continue;
        }
        m.triggers.push(OraTrigger {
            owner,
            name: need(r, "trigger_name", "ALL_TRIGGERS")?,
            table_owner: get(r, "table_owner").unwrap_or_default(),
            table: get(r, "table_name").unwrap_or_default(),
            enabled: get(r, "status").as_deref() == Some("ENABLED"),
        });
    }
    for r in &rows.sequences {
        let owner = need(r, "sequence_owner", "ALL_SEQUENCES")?;
        if own(&owner) {
            continue;
        }
        let name = need(r, "sequence_name", "ALL_SEQUENCES")?;
        let n = |k: &str| -> Result<i128, String> {
            num(r, k).ok_or_else(|| format!("ALL_SEQUENCES {owner}.{name}: {k} is not a number"))
        };
        // A system-named identity sequence whose column ALL_TAB_IDENTITY_COLS does not give
        // (12.1.0.1 has no SEQUENCE_NAME there) is still never compared by its name.
        let identity = match (get(r, "identity_table"), get(r, "identity_column")) {
            (Some(table), Some(column)) => Some(IdentityOf {
                table,
                column,
                generation: match (
                    get(r, "generation_type").as_deref(),
                    get(r, "default_on_null").as_deref(),
                ) {
                    (Some("ALWAYS"), _) => "ALWAYS".into(),
                    (_, Some("YES")) => "BY DEFAULT ON NULL".into(),
                    _ => "BY DEFAULT".into(),
                },
            }),
            _ if name.starts_with("ISEQ$$_") => continue,
            _ => None,
        };
        m.sequences.push(OraSequence {
            identity,
            min_value: n("min_value")?,
            max_value: n("max_value")?,
            increment: n("increment_by")?,
            cycle: get(r, "cycle_flag").as_deref() == Some("Y"),
            cache: n("cache_size")?,
            last_number: n("last_number")?,
            owner: owner.clone(),
            name: name.clone(),
        });
    }
    for r in &rows.views {
        let owner = need(r, "owner", "ALL_VIEWS")?;
        if own(&owner) {
            continue;
        }
        let name = need(r, "view_name", "ALL_VIEWS")?;
        let mut cols = view_columns
            .remove(&(owner.clone(), name.clone()))
            .unwrap_or_default();
        cols.sort();
        m.views.push(OraView {
            columns: cols.into_iter().map(|(_, c)| c).collect(),
            owner,
            name,
            text: get(r, "text")
                .map(|t| t.trim().to_string())
                .unwrap_or_default(),
        });
    }
    Ok(m)
}
