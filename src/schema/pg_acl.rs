//! Comments and grants of the PostgreSQL statements ([`super::postgres`]): `COMMENT ON` for
//! every object, column, constraint, index and trigger that has one; `GRANT` for every
//! privilege the source's ACL lists beyond the owner's own; for functions, `REVOKE EXECUTE …
//! FROM PUBLIC` when the source revoked that default.

use super::model::*;
use super::postgres::{q, schema_obj};
use super::statement::{DdlStatement, Phase};
use crate::dialect::postgres::{ident, literal};

fn grantee(g: &str) -> String {
    if g == "PUBLIC" {
        "PUBLIC".into()
    } else {
        ident(g)
    }
}

/// Statements granting `grants` on `on` (`TABLE "s"."t"`, `SCHEMA "s"`, …).
fn grants(out: &mut Vec<DdlStatement>, obj: &ObjectName, on: &str, grants: &[Grant]) {
    for g in grants {
        out.push(DdlStatement::new(
            Phase::Create,
            "grant",
            obj,
            format!("{} {}", g.grantee, g.privilege),
            format!(
                "GRANT {} ON {on} TO {}{}",
                g.privilege,
                grantee(&g.grantee),
                if g.grantable {
                    " WITH GRANT OPTION"
                } else {
                    ""
                }
            ),
        ));
    }
}

pub(super) fn comment(
    out: &mut Vec<DdlStatement>,
    obj: &ObjectName,
    part: &str,
    on: &str,
    text: &Option<String>,
) {
    if let Some(t) = text {
        out.push(DdlStatement::new(
            Phase::Create,
            "comment",
            obj,
            part,
            format!("COMMENT ON {on} IS {}", literal(t)),
        ));
    }
}

pub(super) fn routine_sig(r: &RoutineDef) -> String {
    format!(
        "{} {}({})",
        match r.kind {
            RoutineKind::Function => "FUNCTION",
            RoutineKind::Procedure => "PROCEDURE",
        },
        q(&r.name),
        r.identity_args
    )
}

pub(crate) fn comments_and_grants(m: &SchemaModel, out: &mut Vec<DdlStatement>) {
    for s in &m.schemas {
        let o = schema_obj(&s.name);
        comment(
            out,
            &o,
            "",
            &format!("SCHEMA {}", ident(&s.name)),
            &s.comment,
        );
        grants(out, &o, &format!("SCHEMA {}", ident(&s.name)), &s.grants);
    }
    for t in &m.types {
        let on = match t.kind {
            TypeKind::Domain => "DOMAIN",
            _ => "TYPE",
        };
        comment(
            out,
            &t.name,
            "",
            &format!("{on} {}", q(&t.name)),
            &t.comment,
        );
    }
    for s in &m.sequences {
        comment(
            out,
            &s.name,
            "",
            &format!("SEQUENCE {}", q(&s.name)),
            &s.comment,
        );
        if !s.identity {
            grants(out, &s.name, &format!("SEQUENCE {}", q(&s.name)), &s.grants);
        }
    }
    for t in &m.tables {
        comment(
            out,
            &t.name,
            "",
            &format!("TABLE {}", q(&t.name)),
            &t.comment,
        );
        for col in &t.columns {
            let on = format!("COLUMN {}.{}", q(&t.name), ident(&col.name));
            comment(
                out,
                &t.name,
                &format!("column {}", col.name),
                &on,
                &col.comment,
            );
        }
        grants(out, &t.name, &format!("TABLE {}", q(&t.name)), &t.grants);
    }
    for k in &m.constraints {
        let on = format!("CONSTRAINT {} ON {}", ident(&k.name), q(&k.table));
        comment(
            out,
            &k.table,
            &format!("constraint {}", k.name),
            &on,
            &k.comment,
        );
    }
    for i in &m.indexes {
        comment(
            out,
            &i.name,
            "",
            &format!("INDEX {}", q(&i.name)),
            &i.comment,
        );
    }
    for v in &m.views {
        let on = if v.materialized {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        };
        comment(
            out,
            &v.name,
            "",
            &format!("{on} {}", q(&v.name)),
            &v.comment,
        );
        for (col, text) in &v.column_comments {
            let on = format!("COLUMN {}.{}", q(&v.name), ident(col));
            comment(
                out,
                &v.name,
                &format!("column {col}"),
                &on,
                &Some(text.clone()),
            );
        }
        grants(out, &v.name, &format!("TABLE {}", q(&v.name)), &v.grants);
    }
    for r in &m.routines {
        let sig = routine_sig(r);
        // The argument list in parentheses: a function without arguments is not keyed like
        // a table, view or sequence of its name (their parts are "" or start otherwise).
        let part = |p: &str| format!("({}){p}", r.identity_args);
        if let Some(t) = &r.comment {
            out.push(DdlStatement::new(
                Phase::Create,
                "comment",
                &r.name,
                part(""),
                format!("COMMENT ON {sig} IS {}", literal(t)),
            ));
        }
        // EXECUTE to PUBLIC is the default: revoked when the source revoked it.
        let public = r
            .grants
            .iter()
            .any(|g| g.grantee == "PUBLIC" && g.privilege == "EXECUTE");
        if !public {
            out.push(DdlStatement::new(
                Phase::Create,
                "revoke",
                &r.name,
                part(" PUBLIC EXECUTE"),
                format!("REVOKE EXECUTE ON {sig} FROM PUBLIC"),
            ));
        }
        for g in r.grants.iter().filter(|g| g.grantee != "PUBLIC") {
            out.push(DdlStatement::new(
                Phase::Create,
                "grant",
                &r.name,
                part(&format!(" {} {}", g.grantee, g.privilege)),
                format!(
                    "GRANT {} ON {sig} TO {}{}",
                    g.privilege,
                    grantee(&g.grantee),
                    if g.grantable {
                        " WITH GRANT OPTION"
                    } else {
                        ""
                    }
                ),
            ));
        }
    }
}

/// `ALTER … OWNER TO` for every schema, table, view, free-standing sequence and routine (a
/// sequence owned by a column follows its table; types are left to the connecting user).
/// Last in the creation phase, as the source's owners may not be the connecting user.
pub(crate) fn owners(m: &SchemaModel, out: &mut Vec<DdlStatement>) {
    let mut own = |obj: &ObjectName, what: String, owner: &str| {
        if owner.is_empty() {
            return;
        }
        out.push(DdlStatement::new(
            Phase::Create,
            "owner",
            obj,
            "",
            format!("ALTER {what} OWNER TO {}", ident(owner)),
        ));
    };
    for s in &m.schemas {
        own(
            &schema_obj(&s.name),
            format!("SCHEMA {}", ident(&s.name)),
            &s.owner,
        );
    }
    for t in &m.tables {
        own(&t.name, format!("TABLE {}", q(&t.name)), &t.owner);
    }
    for s in m
        .sequences
        .iter()
        .filter(|s| s.owned_by.is_none() && !s.identity)
    {
        own(&s.name, format!("SEQUENCE {}", q(&s.name)), &s.owner);
    }
    for v in &m.views {
        let on = if v.materialized {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        };
        own(&v.name, format!("{on} {}", q(&v.name)), &v.owner);
    }
    for r in &m.routines {
        out.push(DdlStatement::new(
            Phase::Create,
            "owner",
            &r.name,
            format!("({})", r.identity_args),
            format!("ALTER {} OWNER TO {}", routine_sig(r), ident(&r.owner)),
        ));
    }
}

/// `COMMENT ON TRIGGER` of every trigger that has one (after the triggers are created).
pub(crate) fn trigger_comments(m: &SchemaModel, out: &mut Vec<DdlStatement>) {
    for t in &m.triggers {
        comment(
            out,
            &t.table,
            &format!("trigger {}", t.name),
            &format!("TRIGGER {} ON {}", ident(&t.name), q(&t.table)),
            &t.comment,
        );
    }
}
