//! `charmig schema` for Oracle: the DDL DBMS_METADATA scripted (see [`super::oracle_sql`] for
//! the transforms) turned into logged statements, in load order, both phases. Pure: the CLI
//! fetches, this module decides, the golden and unit tests run it over recorded DDL.
//!
//! Order: sequences, types, tables (each CREATE TABLE, then its primary / unique / check
//! constraints as ALTERs, then its BYTE columns switched to CHAR), indexes, views (FORCE),
//! code (functions, procedures, packages, type bodies), materialized views, synonyms,
//! comments, grants, foreign keys (created, then at once DISABLEd), triggers (created, then
//! at once DISABLEd), and a recompilation of what is invalid per schema.
//! After the copy: foreign keys ENABLE NOVALIDATE, then ENABLE VALIDATE for those the source
//! had validated; triggers the source had enabled are enabled; identity generators restarted
//! past the loaded values (`START WITH LIMIT VALUE`) and sequences past the source's
//! LAST_NUMBER of that moment; materialized views refreshed.
//!
//! CHAR semantics, the exact way: DBMS_METADATA writes `VARCHAR2(n BYTE)` or `(n CHAR)` on
//! every column, so `ALTER SESSION SET NLS_LENGTH_SEMANTICS = CHAR` on the target would not
//! change a scripted table; rewriting the text would also touch string literals and comments
//! that happen to match. Each BYTE VARCHAR2/CHAR column is instead switched by name with
//! `ALTER TABLE … MODIFY (col VARCHAR2(n CHAR))` right after its table is created (instant on
//! an empty table). The session setting is still made on the target, for PL/SQL declarations
//! without a qualifier.

use super::oracle_sql as q;
use super::statement::{DdlStatement, Phase};
use crate::charset::Dialect;
use crate::dialect::{ident, qualified};
use crate::schema::model::ObjectName;
use std::collections::{BTreeMap, BTreeSet};

/// One object DBMS_METADATA scripted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// ALL_OBJECTS.OBJECT_TYPE (`TABLE`, `PACKAGE BODY`, …).
    pub object_type: String,
    pub owner: String,
    pub name: String,
    pub ddl: String,
}

/// A source sequence's position (ALL_SEQUENCES).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceState {
    pub owner: String,
    pub name: String,
    pub increment: i128,
    /// LAST_NUMBER: with caching, at or past every value handed out.
    pub last_number: i128,
    pub max_value: Option<i128>,
    pub min_value: Option<i128>,
}

impl SequenceState {
    /// The value the target hands out next: one increment past LAST_NUMBER (as the plan's
    /// 03_after_copy aims), held at MAXVALUE (MINVALUE descending).
    pub fn next_on_target(&self) -> i128 {
        crate::dialect::oracle::next_past(
            self.last_number,
            self.increment,
            self.min_value,
            self.max_value,
        )
        .0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub owner: String,
    pub table: String,
    pub name: String,
    pub enabled: bool,
    pub validated: bool,
    /// GET_DDL('REF_CONSTRAINT').
    pub ddl: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByteColumn {
    pub owner: String,
    pub table: String,
    pub column: String,
    pub data_type: String,
    pub char_length: u32,
}

/// GET_DEPENDENT_DDL('COMMENT' | 'OBJECT_GRANT') of one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependent {
    pub kind: String,
    pub owner: String,
    pub name: String,
    pub ddl: String,
}

/// What was fetched from the source for the chosen objects.
#[derive(Debug, Clone, Default)]
pub struct OracleSchema {
    pub objects: Vec<Fetched>,
    /// The source's sequences as read (for the after-copy phase, read again when it runs).
    pub sequences: Vec<SequenceState>,
    /// Identity columns of the scripted tables: their generators are moved past the copied
    /// values after the copy (`START WITH LIMIT VALUE`, as the plan's 03 does).
    pub identity: Vec<crate::catalog::IdentityColumn>,
    pub foreign_keys: Vec<ForeignKey>,
    pub byte_columns: Vec<ByteColumn>,
    pub dependents: Vec<Dependent>,
    /// The plan's length-semantics statements (`--plan`): when given, a BYTE column is
    /// switched only when the plan switches it (its 02_semantics statement is the same), and
    /// the plan's other semantics statements (NCHAR to CHAR …) run after the tables.
    pub plan_semantics: Option<Vec<(String, String)>>,
}

/// Splits DBMS_METADATA's output (SQLTERMINATOR on) into statements: PL/SQL units end at a
/// line holding only `/`; other statements at a `;` outside quotes and comments. Terminators
/// are removed except the `END;` a PL/SQL unit needs.
pub fn split(ddl: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_plsql = false;
    for line in ddl.lines() {
        if cur.trim().is_empty() {
            cur.clear();
            in_plsql = is_plsql(line);
        }
        if in_plsql {
            if line.trim() == "/" {
                push(&mut out, &cur);
                cur.clear();
                in_plsql = false;
            } else {
                cur.push_str(line);
                cur.push('\n');
            }
            continue;
        }
        cur.push_str(line);
        cur.push('\n');
        if let Some(end) = sql_end(&cur) {
            let rest = cur[end + 1..].to_string();
            cur.truncate(end);
            push(&mut out, &cur);
            cur = rest;
        }
    }
    push(&mut out, &cur);
    out
}

fn push(out: &mut Vec<String>, s: &str) {
    let t = s.trim();
    if !t.is_empty() {
        out.push(t.to_string());
    }
}

/// Where the first `;` outside quotes and comments is, if any.
fn sql_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b';' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

pub use crate::dialect::oracle::is_plsql;

/// The quoted name after `ADD CONSTRAINT` in an ALTER TABLE, if any.
fn constraint_name(sql: &str) -> Option<String> {
    let at = sql.find("ADD CONSTRAINT \"")? + "ADD CONSTRAINT \"".len();
    let end = sql[at..].find('"')?;
    Some(sql[at..at + end].to_string())
}

fn kind_of(object_type: &str) -> &'static str {
    match object_type {
        "SEQUENCE" => "create_sequence",
        "TYPE" => "create_type",
        "TABLE" => "create_table",
        "INDEX" => "create_index",
        "VIEW" => "create_view",
        "FUNCTION" | "PROCEDURE" => "create_routine",
        "PACKAGE" => "create_package",
        "PACKAGE BODY" => "create_package_body",
        "TYPE BODY" => "create_type_body",
        "MATERIALIZED VIEW" => "create_mview",
        "SYNONYM" => "create_synonym",
        "TRIGGER" => "create_trigger",
        _ => "create",
    }
}

/// Every statement, both phases, in execution order.
pub fn statements(s: &OracleSchema) -> Vec<DdlStatement> {
    let d = Dialect::Oracle;
    let c = Phase::Create;
    let mut out = Vec::new();
    let rank = |t: &str| q::OBJECT_TYPES.iter().position(|x| *x == t).unwrap_or(99);
    let mut objects: Vec<&Fetched> = s
        .objects
        .iter()
        .filter(|o| o.object_type != "TRIGGER")
        .collect();
    objects.sort_by(|a, b| {
        (rank(&a.object_type), &a.owner, &a.name).cmp(&(rank(&b.object_type), &b.owner, &b.name))
    });
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut byte_cols: BTreeMap<(&str, &str), Vec<&ByteColumn>> = BTreeMap::new();
    for b in &s.byte_columns {
        byte_cols.entry((&b.owner, &b.table)).or_default().push(b);
    }
    for o in objects {
        let obj = ObjectName::new(o.owner.clone(), o.name.clone());
        let kind = kind_of(&o.object_type);
        let create = out.len();
        for (i, sql) in split(&o.ddl).into_iter().enumerate() {
            if i == 0 {
                out.push(DdlStatement::new(c, kind, &obj, "", sql));
            } else if let Some(con) = constraint_name(&sql) {
                out.push(DdlStatement::new(c, "add_constraint", &obj, con, sql));
            } else {
                out.push(DdlStatement::new(
                    c,
                    kind,
                    &obj,
                    format!("part {}", i + 1),
                    sql,
                ));
            }
        }
        if o.object_type == "TABLE" {
            for b in byte_cols
                .get(&(o.owner.as_str(), o.name.as_str()))
                .into_iter()
                .flatten()
            {
                let sql =
                    q::modify_char(&b.owner, &b.table, &b.column, &b.data_type, b.char_length);
                if s.plan_semantics
                    .as_ref()
                    .is_none_or(|p| p.iter().any(|(_, x)| *x == sql))
                {
                    used.insert(sql.clone());
                    // Written into the CREATE TABLE where the column is defined: a MODIFY
                    // fails for a virtual column (ORA-54027), a column a virtual column reads
                    // (ORA-54031) and a partitioning key (ORA-14060).
                    if let Some(t) = out.get_mut(create)
                        && let Some(sql) =
                            char_in_create(&t.sql, &b.column, &b.data_type, b.char_length)
                    {
                        t.sql = sql;
                        continue;
                    }
                    out.push(DdlStatement::new(
                        c,
                        "char_semantics",
                        &obj,
                        b.column.clone(),
                        sql,
                    ));
                }
            }
        }
    }
    for (id, sql) in s.plan_semantics.iter().flatten() {
        if !used.contains(sql) {
            let obj = ObjectName::new("plan", id.clone());
            out.push(DdlStatement::new(
                c,
                "plan_semantics",
                &obj,
                "",
                sql.clone(),
            ));
        }
    }
    for dep in &s.dependents {
        let obj = ObjectName::new(dep.owner.clone(), dep.name.clone());
        let kind = if dep.kind == "COMMENT" {
            "comment"
        } else {
            "grant"
        };
        for (i, sql) in split(&dep.ddl).into_iter().enumerate() {
            out.push(DdlStatement::new(c, kind, &obj, format!("{}", i + 1), sql));
        }
    }
    for fk in &s.foreign_keys {
        let table = ObjectName::new(fk.owner.clone(), fk.table.clone());
        let t = qualified(d, &fk.owner, &fk.table);
        if let Some(sql) = split(&fk.ddl).into_iter().next() {
            out.push(DdlStatement::new(
                c,
                "add_foreign_key",
                &table,
                fk.name.clone(),
                sql,
            ));
        }
        out.push(DdlStatement::new(
            c,
            "disable_foreign_key",
            &table,
            fk.name.clone(),
            format!("ALTER TABLE {t} DISABLE CONSTRAINT {}", ident(d, &fk.name)),
        ));
    }
    let mut enabled_triggers = Vec::new();
    for o in s.objects.iter().filter(|o| o.object_type == "TRIGGER") {
        let obj = ObjectName::new(o.owner.clone(), o.name.clone());
        let pieces = split(&o.ddl);
        let Some(create) = pieces.first() else {
            continue;
        };
        out.push(DdlStatement::new(
            c,
            "create_trigger",
            &obj,
            "",
            create.clone(),
        ));
        // DBMS_METADATA follows the trigger with ALTER TRIGGER … ENABLE or DISABLE: its state.
        let enabled = pieces[1..].iter().any(|p| {
            let u = p.to_ascii_uppercase();
            u.starts_with("ALTER TRIGGER") && u.trim_end().ends_with(" ENABLE")
        });
        let qn = qualified(d, &o.owner, &o.name);
        out.push(DdlStatement::new(
            c,
            "disable_trigger",
            &obj,
            "",
            format!("ALTER TRIGGER {qn} DISABLE"),
        ));
        if enabled {
            enabled_triggers.push((obj, qn));
        }
    }
    let owners: BTreeSet<&str> = s.objects.iter().map(|o| o.owner.as_str()).collect();
    for o in owners {
        out.push(DdlStatement::new(
            c,
            "compile_schema",
            &ObjectName::new(o, ""),
            "",
            q::compile_schema(o),
        ));
    }
    let a = Phase::AfterCopy;
    for fk in s.foreign_keys.iter().filter(|f| f.enabled) {
        let table = ObjectName::new(fk.owner.clone(), fk.table.clone());
        let t = qualified(d, &fk.owner, &fk.table);
        out.push(DdlStatement::new(
            a,
            "enable_foreign_key",
            &table,
            fk.name.clone(),
            format!(
                "ALTER TABLE {t} ENABLE NOVALIDATE CONSTRAINT {}",
                ident(d, &fk.name)
            ),
        ));
        if fk.validated {
            out.push(DdlStatement::new(
                a,
                "validate_foreign_key",
                &table,
                fk.name.clone(),
                format!(
                    "ALTER TABLE {t} ENABLE VALIDATE CONSTRAINT {}",
                    ident(d, &fk.name)
                ),
            ));
        }
    }
    for (obj, qn) in enabled_triggers {
        out.push(DdlStatement::new(
            a,
            "enable_trigger",
            &obj,
            "",
            format!("ALTER TRIGGER {qn} ENABLE"),
        ));
    }
    for id in s.identity.iter().filter(|i| {
        s.objects
            .iter()
            .any(|o| o.object_type == "TABLE" && o.owner == i.owner && o.name == i.table)
    }) {
        let obj = ObjectName::new(id.owner.clone(), id.table.clone());
        out.push(DdlStatement::new(
            a,
            "sync_identity",
            &obj,
            id.column.clone(),
            crate::plan::sql::sync_identity(&id.owner, &id.table, &id.column, id.generation()),
        ));
    }
    // Sequences moved past the source's values as they are when the phase runs (the CLI
    // reads ALL_SEQUENCES again for it): the block never moves one back.
    for seq in s.sequences.iter().filter(|q| {
        s.objects
            .iter()
            .any(|o| o.object_type == "SEQUENCE" && o.owner == q.owner && o.name == q.name)
    }) {
        let obj = ObjectName::new(seq.owner.clone(), seq.name.clone());
        out.push(DdlStatement::new(
            a,
            "sync_sequence",
            &obj,
            "",
            crate::dialect::oracle::advance_sequence(
                &qualified(d, &seq.owner, &seq.name),
                if seq.increment == 0 { 1 } else { seq.increment },
                seq.next_on_target(),
            ),
        ));
    }
    for o in s
        .objects
        .iter()
        .filter(|o| o.object_type == "MATERIALIZED VIEW")
    {
        let obj = ObjectName::new(o.owner.clone(), o.name.clone());
        out.push(DdlStatement::new(
            a,
            "refresh_mview",
            &obj,
            "",
            q::refresh_mview(&o.owner, &o.name),
        ));
    }
    out
}

/// An object for the closure: (owner, name, type).
pub type Obj = (String, String, String);

/// Closes `chosen` over `deps` (from, to): whatever a chosen object needs is added unless its
/// owner is skipped; repeated until nothing new appears. Returns the pulled objects, each
/// with the object that needed it, in the order found.
pub fn close(
    chosen: &mut BTreeSet<Obj>,
    deps: &[(Obj, Obj)],
    skipped: &dyn Fn(&str) -> bool,
) -> Vec<(Obj, Obj)> {
    let mut pulled = Vec::new();
    loop {
        let mut new = Vec::new();
        for (from, to) in deps {
            if chosen.contains(from)
                && !chosen.contains(to)
                && !skipped(&to.0)
                && !new.iter().any(|(t, _): &(Obj, Obj)| t == to)
            {
                new.push((to.clone(), from.clone()));
            }
        }
        if new.is_empty() {
            return pulled;
        }
        for (to, from) in new {
            chosen.insert(to.clone());
            pulled.push((to, from));
        }
    }
}

/// The owners never pulled in: charmig's, the Oracle-maintained ones, and `extra`.
pub fn skipped_owner(owner: &str, extra: &[String]) -> bool {
    const ALWAYS: [&str; 4] = ["SYS", "SYSTEM", "PUBLIC", "MDSYS"];
    ALWAYS.contains(&owner)
        || crate::own::is_own_schema(owner)
        || crate::source::oracle::sql::MAINTAINED_SCHEMAS.contains(&owner)
        || owner.starts_with("APEX_")
        || owner.starts_with("FLOWS_")
        || extra.iter().any(|e| e.eq_ignore_ascii_case(owner))
}

#[cfg(test)]
#[path = "oracle_tests.rs"]
mod tests;

/// `create` (DBMS_METADATA's CREATE TABLE) with column `column`'s `TYPE(n BYTE)` written
/// `TYPE(n CHAR)`, where the column is defined (after `(` or `,`); None when not found there.
fn char_in_create(create: &str, column: &str, data_type: &str, n: u32) -> Option<String> {
    let from = format!("\"{column}\" {data_type}({n} BYTE)");
    let mut start = 0;
    while let Some(i) = create[start..].find(&from) {
        let at = start + i;
        let before = create[..at].trim_end();
        if before.ends_with('(') || before.ends_with(',') {
            return Some(format!(
                "{}\"{column}\" {data_type}({n} CHAR){}",
                &create[..at],
                &create[at + from.len()..]
            ));
        }
        start = at + from.len();
    }
    None
}
