//! The Oracle schema comparison's other objects (see [`super::oracle_schema_diff`], which holds
//! tables, columns, constraints and indexes): triggers, sequences (identity generators
//! matched by their column) and views.

use super::oracle_schema::{OraModel, OraSequence};
use super::oracle_schema_diff::{fix, identity_clause, identity_of, in_scope, next_past, q, qi};
use super::schema_diff::{Phase, SchemaDiff};

pub(super) fn triggers(src: &OraModel, tgt: &OraModel, schemas: &[String], d: &mut SchemaDiff) {
    let word = |e: bool| if e { "ENABLED" } else { "DISABLED" };
    for s in src.triggers.iter().filter(|s| in_scope(&s.owner, schemas)) {
        let Some(t) = tgt
            .triggers
            .iter()
            .find(|t| t.owner == s.owner && t.name == s.name)
        else {
            d.diff(
                "trigger",
                &s.owner,
                &s.name,
                "missing on target",
                word(s.enabled),
                "",
            );
            d.manual.push(format!(
                "trigger {}.{} is missing: its body is not in the dictionary views verify reads; re-create it with \
                 `charmig schema --from SOURCE --to TARGET --schema {}` (then `--after-copy` enables it)",
                s.owner, s.name, s.owner
            ));
            continue;
        };
        if s.enabled != t.enabled {
            d.diff(
                "trigger",
                &s.owner,
                &s.name,
                "status",
                word(s.enabled),
                word(t.enabled),
            );
            fix(
                d,
                Phase::TriggerStates,
                format!("trigger {}.{} status", s.owner, s.name),
                &[s.owner.as_str(), s.name.as_str()],
                format!(
                    "ALTER TRIGGER {} {}",
                    q(&s.owner, &s.name),
                    if s.enabled { "ENABLE" } else { "DISABLE" }
                ),
            );
        }
    }
    for t in tgt.triggers.iter().filter(|t| in_scope(&t.owner, schemas)) {
        if !src
            .triggers
            .iter()
            .any(|s| s.owner == t.owner && s.name == t.name)
        {
            d.extra("trigger", &t.owner, &t.name);
        }
    }
}

pub(super) fn sequence_options(s: &OraSequence) -> String {
    format!(
        "MINVALUE {} MAXVALUE {} INCREMENT BY {} {} {}",
        s.min_value,
        s.max_value,
        s.increment,
        if s.cache > 0 {
            format!("CACHE {}", s.cache)
        } else {
            "NOCACHE".into()
        },
        if s.cycle { "CYCLE" } else { "NOCYCLE" }
    )
}

/// The target's sequence for a source one: by name, or (an identity's system sequence) by
/// the column it generates for.
fn sequence_counterpart<'a>(s: &OraSequence, tgt: &'a OraModel) -> Option<&'a OraSequence> {
    match &s.identity {
        Some(i) => identity_of(tgt, &s.owner, &i.table, &i.column),
        None => tgt
            .sequences
            .iter()
            .find(|t| t.identity.is_none() && t.owner == s.owner && t.name == s.name),
    }
}

pub(super) fn sequences(src: &OraModel, tgt: &OraModel, schemas: &[String], d: &mut SchemaDiff) {
    for s in src.sequences.iter().filter(|s| in_scope(&s.owner, schemas)) {
        let qn = q(&s.owner, &s.name);
        // An identity's sequence is named by the system: reported and fixed as its column.
        let (label, object, names): (String, String, Vec<&str>) = match &s.identity {
            Some(i) => (
                format!("identity of column {}.{}.{}", s.owner, i.table, i.column),
                format!("{}.{}", i.table, i.column),
                vec![s.owner.as_str(), i.table.as_str(), i.column.as_str()],
            ),
            None => (
                format!("sequence {}.{}", s.owner, s.name),
                s.name.clone(),
                vec![s.owner.as_str(), s.name.as_str()],
            ),
        };
        let kind = if s.identity.is_some() {
            "identity"
        } else {
            "sequence"
        };
        // `ALTER TABLE … MODIFY (c GENERATED … AS IDENTITY (…))` moves an identity's generator.
        let modify_identity = |options: bool| {
            s.identity.as_ref().map(|i| {
                format!(
                    "ALTER TABLE {} MODIFY ({} {})",
                    q(&s.owner, &i.table),
                    qi(&i.column),
                    identity_clause(s, options)
                )
            })
        };
        let Some(t) = sequence_counterpart(s, tgt) else {
            match &s.identity {
                // Missing table or column: created with its identity; a column that is not an
                // identity on the target: reported as the column's kind.
                Some(_) => {}
                None => {
                    d.diff("sequence", &s.owner, &s.name, "missing on target", "", "");
                    fix(
                        d,
                        Phase::Sequences,
                        format!("{label} missing"),
                        &names,
                        format!(
                            "CREATE SEQUENCE {qn} {} START WITH {}",
                            sequence_options(s),
                            next_past(s)
                        ),
                    );
                }
            }
            continue;
        };
        // ALWAYS refuses an application's own key (ORA-32795); BY DEFAULT takes a NULL as
        // given (ORA-01400) where ON NULL generates.
        if let (Some(si), Some(ti)) = (&s.identity, &t.identity)
            && si.generation != ti.generation
        {
            d.diff(
                kind,
                &s.owner,
                &object,
                "generation",
                &si.generation,
                &ti.generation,
            );
            fix(
                d,
                Phase::Sequences,
                format!("{label} generation"),
                &names,
                format!(
                    "ALTER TABLE {} MODIFY ({} GENERATED {} AS IDENTITY)",
                    q(&s.owner, &si.table),
                    qi(&si.column),
                    si.generation
                ),
            );
        }
        if sequence_options(s) != sequence_options(t) {
            d.diff(
                kind,
                &s.owner,
                &object,
                "options",
                &sequence_options(s),
                &sequence_options(t),
            );
            let sql = modify_identity(true)
                .unwrap_or_else(|| format!("ALTER SEQUENCE {qn} {}", sequence_options(s)));
            fix(d, Phase::Sequences, format!("{label} options"), &names, sql);
        }
        let behind = if s.increment >= 0 {
            t.last_number < s.last_number
        } else {
            t.last_number > s.last_number
        };
        if behind {
            d.diff(
                kind,
                &s.owner,
                &object,
                "behind the source",
                &format!("last number {}", s.last_number),
                &format!("last number {}", t.last_number),
            );
            let (why, sql) = match modify_identity(false) {
                Some(sql) => (format!("{label} behind the source"), sql),
                None => (
                    format!("{label} behind the source"),
                    crate::dialect::oracle::advance_sequence(&qn, s.increment, next_past(s)),
                ),
            };
            fix(d, Phase::SequenceValues, why, &names, sql);
        }
    }
    for t in tgt.sequences.iter().filter(|t| in_scope(&t.owner, schemas)) {
        // An identity's sequence goes with its column (reported there when extra).
        if t.identity.is_none()
            && !src
                .sequences
                .iter()
                .any(|s| s.identity.is_none() && s.owner == t.owner && s.name == t.name)
        {
            d.extra("sequence", &t.owner, &t.name);
        }
    }
}

/// View text compared with runs of white space as one blank (the text is stored as typed).
fn normal(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn views(src: &OraModel, tgt: &OraModel, schemas: &[String], d: &mut SchemaDiff) {
    for s in src.views.iter().filter(|s| in_scope(&s.owner, schemas)) {
        // TEXT is the query only: the column list of `CREATE VIEW v (a, b) AS …` comes from
        // the view's columns, without which the re-created view would take the query's names.
        let list = if s.columns.is_empty() {
            String::new()
        } else {
            let cols: Vec<String> = s.columns.iter().map(|c| qi(c)).collect();
            format!(" ({})", cols.join(", "))
        };
        let create = format!(
            "CREATE OR REPLACE FORCE VIEW {}{list} AS\n{}",
            q(&s.owner, &s.name),
            s.text
        );
        let mut names = vec![s.owner.as_str(), s.name.as_str()];
        names.extend(s.columns.iter().map(String::as_str));
        match tgt
            .views
            .iter()
            .find(|t| t.owner == s.owner && t.name == s.name)
        {
            None => {
                d.diff("view", &s.owner, &s.name, "missing on target", "", "");
                fix(
                    d,
                    Phase::Views,
                    format!("view {}.{} missing", s.owner, s.name),
                    &names,
                    create,
                );
            }
            Some(t) if normal(&t.text) != normal(&s.text) => {
                d.diff("view", &s.owner, &s.name, "definition", &s.text, &t.text);
                fix(
                    d,
                    Phase::Views,
                    format!("view {}.{} definition", s.owner, s.name),
                    &names,
                    create,
                );
            }
            Some(_) => {}
        }
    }
    for t in tgt.views.iter().filter(|t| in_scope(&t.owner, schemas)) {
        if !src
            .views
            .iter()
            .any(|s| s.owner == t.owner && s.name == t.name)
        {
            d.extra("view", &t.owner, &t.name);
        }
    }
}
