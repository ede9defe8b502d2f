//! The schema comparison of two Oracle databases ([`OraModel`]s of the source and the
//! AL32UTF8 target): every object missing, extra or different on the target becomes a
//! [`super::Difference`], and the statement that closes it a [`FixStep`] in migration order
//! (the [`Phase`]s of the PostgreSQL comparison), rendered by `report::render_fix_oracle`.
//!
//! The planned change is not a difference: a BYTE-semantics `VARCHAR2(10 BYTE)` on the source
//! may be `VARCHAR2(10 CHAR)`, a plan-widened length, NVARCHAR2 -> VARCHAR2 (the plan's NCHAR
//! option) or a CLOB on the target ([`super::oracle_schema::OraColumn::holds`]); a target
//! column that holds fewer characters is ("length"). Names Oracle generates (`SYS_C…`
//! constraints and their indexes) differ between databases, so such objects are matched by
//! definition. Extra target objects are reported, never dropped; objects whose text the
//! dictionary views do not give (trigger bodies) are listed for `charmig schema` to re-create.

use super::oracle_schema::{OraColumn, OraConstraint, OraIndex, OraModel, OraSequence};
use super::schema_diff::{Phase, SchemaDiff};
use crate::charset::Dialect;
use crate::dialect::{ident, qualified};

pub(super) fn qi(n: &str) -> String {
    ident(Dialect::Oracle, n)
}

pub(super) fn q(owner: &str, name: &str) -> String {
    qualified(Dialect::Oracle, owner, name)
}

pub(super) fn in_scope(owner: &str, schemas: &[String]) -> bool {
    schemas.is_empty() || schemas.iter().any(|s| s == owner)
}

/// A fix whose names can be written into a SQL*Plus script; else the DBA is told.
pub(super) fn fix(d: &mut SchemaDiff, phase: Phase, why: String, names: &[&str], sql: String) {
    if names
        .iter()
        .any(|n| n.chars().any(|c| c.is_ascii_control()))
    {
        d.manual.push(format!(
            "{why}: a name holds a line break or another control character, which a SQL*Plus script cannot carry; fix it by hand"
        ));
    } else {
        d.fix(phase, why, sql);
    }
}

/// Compares the target's model with the source's, within `schemas` (all when empty).
pub fn compare(src: &OraModel, tgt: &OraModel, schemas: &[String]) -> SchemaDiff {
    let mut d = SchemaDiff::default();
    tables(src, tgt, schemas, &mut d);
    constraints(src, tgt, schemas, &mut d);
    indexes(src, tgt, schemas, &mut d);
    super::oracle_schema_objects::triggers(src, tgt, schemas, &mut d);
    super::oracle_schema_objects::sequences(src, tgt, schemas, &mut d);
    super::oracle_schema_objects::views(src, tgt, schemas, &mut d);
    d.fixes.sort_by_key(|f| f.phase);
    d
}

/// Whether source table `owner.table`, when missing on the target, is left to the source's
/// DDL (it is temporary, index-organized or partitioned): fix.sql then writes nothing of it.
pub(super) fn left_to_ddl(src: &OraModel, owner: &str, table: &str) -> bool {
    src.table(owner, table).is_some_and(|t| t.kind.is_some())
}

/// The identity sequence of column `column` of `owner.table`.
pub(super) fn identity_of<'a>(
    m: &'a OraModel,
    owner: &str,
    table: &str,
    column: &str,
) -> Option<&'a OraSequence> {
    m.sequences.iter().find(|s| {
        s.owner == owner
            && s.identity
                .as_ref()
                .is_some_and(|i| i.table == table && i.column == column)
    })
}

/// `GENERATED … AS IDENTITY (options START WITH n)` of an identity sequence: for a column
/// added, and (ALTER TABLE … MODIFY) to move an existing identity's generator.
pub(super) fn identity_clause(s: &OraSequence, options: bool) -> String {
    let generation = s
        .identity
        .as_ref()
        .map_or("BY DEFAULT", |i| i.generation.as_str());
    format!(
        "GENERATED {generation} AS IDENTITY ({}START WITH {})",
        if options {
            format!("{} ", super::oracle_schema_objects::sequence_options(s))
        } else {
            String::new()
        },
        next_past(s)
    )
}

/// The value the target's sequence (or identity generator) is to hand out next: one increment
/// past the source's LAST_NUMBER, as the plan's 03 and `schema --after-copy` aim.
pub(super) fn next_past(s: &OraSequence) -> i128 {
    crate::dialect::oracle::next_past(
        s.last_number,
        s.increment,
        Some(s.min_value),
        Some(s.max_value),
    )
    .0
}

fn column_sql(c: &OraColumn, identity: Option<&OraSequence>) -> String {
    let mut s = format!("{} {}", qi(&c.name), c.planned_type_sql());
    if c.invisible {
        s.push_str(" INVISIBLE");
    }
    match (&c.default, identity) {
        (Some(expr), _) if c.virtual_column => {
            s.push_str(&format!(" GENERATED ALWAYS AS ({expr}) VIRTUAL"))
        }
        (_, Some(seq)) if c.identity => s.push_str(&format!(" {}", identity_clause(seq, true))),
        (Some(def), _) => s.push_str(&format!(" DEFAULT {def}")),
        (None, _) => {}
    }
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    s
}

fn tables(src: &OraModel, tgt: &OraModel, schemas: &[String], d: &mut SchemaDiff) {
    for s in src.tables.iter().filter(|t| in_scope(&t.owner, schemas)) {
        let (owner, name) = (&s.owner, &s.name);
        let Some(t) = tgt.table(owner, name) else {
            d.diff("table", owner, name, "missing on target", "", "");
            if let Some(kind) = &s.kind {
                d.manual.push(format!(
                    "table {owner}.{name} is missing and is {kind}, which a CREATE TABLE from its columns would not \
                     give it: create it from the source's DDL (DBMS_METADATA.GET_DDL, or charmig schema)"
                ));
                continue;
            }
            let cols: Vec<String> = s
                .columns
                .iter()
                .map(|c| column_sql(c, identity_of(src, owner, name, &c.name)))
                .collect();
            let mut names: Vec<&str> = vec![owner, name];
            names.extend(s.columns.iter().map(|c| c.name.as_str()));
            fix(
                d,
                Phase::Tables,
                format!("table {owner}.{name} missing"),
                &names,
                format!(
                    "CREATE TABLE {} (\n    {}\n)",
                    q(owner, name),
                    cols.join(",\n    ")
                ),
            );
            continue;
        };
        let alter = format!("ALTER TABLE {}", q(owner, name));
        for c in &s.columns {
            let object = format!("{name}.{}", c.name);
            let why = |what: &str| format!("column {owner}.{name}.{} {what}", c.name);
            let names = [owner.as_str(), name.as_str(), c.name.as_str()];
            let Some(tc) = t.columns.iter().find(|x| x.name == c.name) else {
                d.diff(
                    "column",
                    owner,
                    &object,
                    "missing on target",
                    &c.type_sql(),
                    "",
                );
                fix(
                    d,
                    Phase::ColumnTypes,
                    why("missing"),
                    &names,
                    format!(
                        "{alter} ADD ({})",
                        column_sql(c, identity_of(src, owner, name, &c.name))
                    ),
                );
                continue;
            };
            let (st, tt) = (c.type_sql(), tc.type_sql());
            if c.char_family().is_some() && tc.char_family().is_some() {
                if !tc.holds(c) {
                    d.diff("column", owner, &object, "length", &st, &tt);
                    fix(
                        d,
                        Phase::ColumnTypes,
                        why("shorter on the target"),
                        &names,
                        format!("{alter} MODIFY ({} {})", qi(&c.name), c.planned_type_sql()),
                    );
                }
            } else if st != tt {
                d.diff("column", owner, &object, "type", &st, &tt);
                fix(
                    d,
                    Phase::ColumnTypes,
                    why("type"),
                    &names,
                    format!("{alter} MODIFY ({} {st})", qi(&c.name)),
                );
            }
            if c.nullable != tc.nullable {
                let word = |n: bool| if n { "NULL" } else { "NOT NULL" };
                d.diff(
                    "column",
                    owner,
                    &object,
                    "nullability",
                    word(c.nullable),
                    word(tc.nullable),
                );
                fix(
                    d,
                    Phase::ColumnProperties,
                    why("nullability"),
                    &names,
                    format!("{alter} MODIFY ({} {})", qi(&c.name), word(c.nullable)),
                );
            }
            if c.invisible != tc.invisible {
                let word = |invisible: bool| if invisible { "INVISIBLE" } else { "VISIBLE" };
                d.diff(
                    "column",
                    owner,
                    &object,
                    "visibility",
                    word(c.invisible),
                    word(tc.invisible),
                );
                fix(
                    d,
                    Phase::ColumnTypes,
                    why("visibility"),
                    &names,
                    format!("{alter} MODIFY ({} {})", qi(&c.name), word(c.invisible)),
                );
            }
            if c.identity != tc.identity || c.virtual_column != tc.virtual_column {
                let word = |x: &OraColumn| {
                    if x.identity {
                        "identity"
                    } else if x.virtual_column {
                        "virtual"
                    } else {
                        "stored"
                    }
                };
                d.diff("column", owner, &object, "kind", word(c), word(tc));
                d.manual.push(format!(
                    "column {owner}.{name}.{} is {} on the source and {} on the target: re-create it by hand",
                    c.name,
                    word(c),
                    word(tc)
                ));
            } else if c.default != tc.default && c.virtual_column {
                d.diff(
                    "column",
                    owner,
                    &object,
                    "expression",
                    c.default.as_deref().unwrap_or(""),
                    tc.default.as_deref().unwrap_or(""),
                );
                d.manual.push(format!(
                    "virtual column {owner}.{name}.{} computes otherwise on the target: re-create it by hand",
                    c.name
                ));
            } else if c.default != tc.default {
                d.diff(
                    "column",
                    owner,
                    &object,
                    "default",
                    c.default.as_deref().unwrap_or("(none)"),
                    tc.default.as_deref().unwrap_or("(none)"),
                );
                fix(
                    d,
                    Phase::ColumnProperties,
                    why("default"),
                    &names,
                    format!(
                        "{alter} MODIFY ({} DEFAULT {})",
                        qi(&c.name),
                        c.default.as_deref().unwrap_or("NULL")
                    ),
                );
            }
        }
        for tc in &t.columns {
            if !s.columns.iter().any(|c| c.name == tc.name) {
                d.extra("column", owner, &format!("{name}.{}", tc.name));
            }
        }
    }
    for t in tgt.tables.iter().filter(|t| in_scope(&t.owner, schemas)) {
        if src.table(&t.owner, &t.name).is_none() {
            d.extra("table", &t.owner, &t.name);
        }
    }
}

fn kind_word(k: char) -> &'static str {
    match k {
        'P' => "primary key",
        'U' => "unique",
        'R' => "foreign key",
        _ => "check",
    }
}

/// The target's constraint for a source one: by name, or (a generated name) by definition.
fn counterpart<'a>(c: &OraConstraint, tgt: &'a OraModel) -> Option<&'a OraConstraint> {
    let same_table = |x: &&OraConstraint| x.owner == c.owner && x.table == c.table;
    if c.generated {
        tgt.constraints
            .iter()
            .filter(same_table)
            .find(|x| x.generated && x.definition() == c.definition())
    } else {
        tgt.constraints
            .iter()
            .filter(same_table)
            .find(|x| x.name == c.name)
    }
}

/// The SQL of a constraint's definition (names quoted).
fn definition_sql(c: &OraConstraint) -> String {
    let cols = |v: &[String]| v.iter().map(|c| qi(c)).collect::<Vec<_>>().join(", ");
    match c.kind {
        'P' => format!("PRIMARY KEY ({})", cols(&c.columns)),
        'U' => format!("UNIQUE ({})", cols(&c.columns)),
        'R' => {
            let (o, t) = c.references.clone().unwrap_or_default();
            format!(
                "FOREIGN KEY ({}) REFERENCES {} ({}){}",
                cols(&c.columns),
                q(&o, &t),
                cols(&c.ref_columns),
                match c.delete_rule.as_deref() {
                    Some("CASCADE") => " ON DELETE CASCADE",
                    Some("SET NULL") => " ON DELETE SET NULL",
                    _ => "",
                }
            )
        }
        _ => format!("CHECK ({})", c.condition.as_deref().unwrap_or("")),
    }
}

fn state_sql(c: &OraConstraint) -> &'static str {
    match (c.enabled, c.validated) {
        (true, true) => "ENABLE VALIDATE",
        (true, false) => "ENABLE NOVALIDATE",
        (false, true) => "DISABLE VALIDATE",
        (false, false) => "DISABLE NOVALIDATE",
    }
}

fn constraints(src: &OraModel, tgt: &OraModel, schemas: &[String], d: &mut SchemaDiff) {
    for c in src
        .constraints
        .iter()
        .filter(|c| in_scope(&c.owner, schemas))
    {
        let object = format!("{}.{}", c.table, c.name);
        let alter = format!("ALTER TABLE {}", q(&c.owner, &c.table));
        let what = format!(
            "{} constraint {} on {}.{}",
            kind_word(c.kind),
            c.name,
            c.owner,
            c.table
        );
        let phase = if c.kind == 'R' {
            Phase::ForeignKeys
        } else {
            Phase::Constraints
        };
        let mut names = vec![c.owner.as_str(), c.table.as_str(), c.name.as_str()];
        names.extend(c.columns.iter().map(String::as_str));
        names.extend(c.ref_columns.iter().map(String::as_str));
        if let Some((o, t)) = &c.references {
            names.extend([o.as_str(), t.as_str()]);
        }
        let add = format!(
            "{alter} ADD {}{} {}",
            if c.generated {
                String::new()
            } else {
                format!("CONSTRAINT {} ", qi(&c.name))
            },
            definition_sql(c),
            state_sql(c)
        );
        if tgt.table(&c.owner, &c.table).is_none() {
            if src.table(&c.owner, &c.table).is_some() && !left_to_ddl(src, &c.owner, &c.table) {
                fix(d, phase, format!("{what} (table missing)"), &names, add);
            }
            continue;
        }
        let Some(t) = counterpart(c, tgt) else {
            d.diff(
                "constraint",
                &c.owner,
                &object,
                "missing on target",
                &c.definition(),
                "",
            );
            fix(d, phase, format!("{what} missing"), &names, add);
            continue;
        };
        let tname = ["", t.name.as_str()];
        if t.definition() != c.definition() {
            d.diff(
                "constraint",
                &c.owner,
                &object,
                "definition",
                &c.definition(),
                &t.definition(),
            );
            fix(
                d,
                phase,
                format!("{what} definition"),
                &[&names[..], &tname[..]].concat(),
                format!("{alter} DROP CONSTRAINT {}", qi(&t.name)),
            );
            fix(d, phase, format!("{what} definition"), &names, add);
            continue;
        }
        if (t.enabled, t.validated) != (c.enabled, c.validated) {
            d.diff(
                "constraint",
                &c.owner,
                &object,
                "status",
                c.state(),
                t.state(),
            );
            fix(
                d,
                Phase::Validate,
                format!("{what} status"),
                &[&names[..], &tname[..]].concat(),
                format!("{alter} MODIFY CONSTRAINT {} {}", qi(&t.name), state_sql(c)),
            );
        }
    }
    for t in tgt
        .constraints
        .iter()
        .filter(|t| in_scope(&t.owner, schemas))
    {
        let matched = src
            .constraints
            .iter()
            .any(|c| counterpart(c, tgt).is_some_and(|x| x.name == t.name && x.owner == t.owner));
        if !matched && src.table(&t.owner, &t.table).is_some() {
            d.extra("constraint", &t.owner, &format!("{}.{}", t.table, t.name));
        }
    }
}

/// The target's index for a source one: by name, or (a generated name) by table and keys.
fn index_counterpart<'a>(i: &OraIndex, tgt: &'a OraModel) -> Option<&'a OraIndex> {
    if i.generated {
        tgt.indexes.iter().find(|x| {
            x.generated && x.table_owner == i.table_owner && x.table == i.table && x.keys == i.keys
        })
    } else {
        tgt.indexes
            .iter()
            .find(|x| x.owner == i.owner && x.name == i.name)
    }
}

fn index_text(i: &OraIndex) -> String {
    format!(
        "{}{} ({})",
        if i.unique { "UNIQUE " } else { "" },
        i.index_type,
        i.keys.join(", ")
    )
}

fn create_index(i: &OraIndex) -> String {
    format!(
        "CREATE {}INDEX {} ON {} ({}){}",
        if i.unique {
            "UNIQUE "
        } else if i.index_type.contains("BITMAP") {
            "BITMAP "
        } else {
            ""
        },
        q(&i.owner, &i.name),
        q(&i.table_owner, &i.table),
        i.keys.join(", "),
        // ALL_INDEXES.INDEX_TYPE NORMAL/REV: a reverse key index (CREATE INDEX … REVERSE).
        if i.index_type.ends_with("/REV") {
            " REVERSE"
        } else {
            ""
        }
    )
}

fn indexes(src: &OraModel, tgt: &OraModel, schemas: &[String], d: &mut SchemaDiff) {
    // An index that enforces a constraint missing on the target comes with the constraint.
    let with_missing_constraint = |i: &OraIndex| {
        src.constraints.iter().any(|c| {
            c.owner == i.table_owner
                && c.table == i.table
                && c.name == i.name
                && counterpart(c, tgt).is_none()
        })
    };
    // A missing table fix.sql creates gets its indexes after it (the table's difference says
    // they are missing); one it leaves to the source's DDL gets them from that DDL.
    let table_missing = |i: &OraIndex| tgt.table(&i.table_owner, &i.table).is_none();
    for i in src
        .indexes
        .iter()
        .filter(|i| in_scope(&i.table_owner, schemas))
    {
        if i.index_type.starts_with("IOT") || i.index_type == "DOMAIN" && i.keys.is_empty() {
            continue;
        }
        let object = format!("{}.{}", i.table, i.name);
        let names = [
            i.owner.as_str(),
            i.name.as_str(),
            i.table_owner.as_str(),
            i.table.as_str(),
        ];
        let Some(t) = index_counterpart(i, tgt) else {
            if with_missing_constraint(i)
                || table_missing(i) && left_to_ddl(src, &i.table_owner, &i.table)
            {
                continue;
            }
            if table_missing(i) {
                fix(
                    d,
                    Phase::Indexes,
                    format!("index {}.{} (table missing)", i.owner, i.name),
                    &names,
                    create_index(i),
                );
                continue;
            }
            d.diff(
                "index",
                &i.owner,
                &object,
                "missing on target",
                &index_text(i),
                "",
            );
            fix(
                d,
                Phase::Indexes,
                format!("index {}.{} missing", i.owner, i.name),
                &names,
                create_index(i),
            );
            continue;
        };
        if index_text(t) != index_text(i) {
            d.diff(
                "index",
                &i.owner,
                &object,
                "definition",
                &index_text(i),
                &index_text(t),
            );
            fix(
                d,
                Phase::Indexes,
                format!("index {}.{} definition", i.owner, i.name),
                &[&names[..], &[t.owner.as_str(), t.name.as_str()][..]].concat(),
                format!("DROP INDEX {}", q(&t.owner, &t.name)),
            );
            fix(
                d,
                Phase::Indexes,
                format!("index {}.{} definition", i.owner, i.name),
                &names,
                create_index(i),
            );
        }
    }
    for t in tgt
        .indexes
        .iter()
        .filter(|t| in_scope(&t.table_owner, schemas))
    {
        let matched = src.indexes.iter().any(|i| {
            index_counterpart(i, tgt).is_some_and(|x| x.owner == t.owner && x.name == t.name)
        });
        let for_constraint = tgt
            .constraints
            .iter()
            .any(|c| c.owner == t.table_owner && c.table == t.table && c.name == t.name);
        if !matched && !for_constraint && src.table(&t.table_owner, &t.table).is_some() {
            d.extra("index", &t.owner, &format!("{}.{}", t.table, t.name));
        }
    }
}
