//! The PostgreSQL checks of `charmig doctor`: connection and TLS (pg_stat_ssl), server version
//! and encoding, and per step the privileges of the connected user on every user table
//! (has_table_privilege, ownership through pg_has_role), the database (CREATE for charmig's
//! own schema and the audit tables) and the schemas (USAGE), with the GRANTs that fix them.

use super::{Doctor, StepCheck};
use crate::dialect::postgres::{ident, shown_ident};
use crate::source::db::ConnectOptions;
use crate::source::postgres::Connector;
use std::collections::BTreeMap;

/// Per user table: schema, table, owner and what the current user may do.
const TABLES_SQL: &str = "SELECT n.nspname::text, c.relname::text, pg_get_userbyid(c.relowner)::text, \
     has_schema_privilege(n.oid, 'USAGE'), has_table_privilege(c.oid, 'SELECT'), \
     has_table_privilege(c.oid, 'UPDATE'), has_table_privilege(c.oid, 'INSERT'), \
     has_table_privilege(c.oid, 'TRUNCATE'), pg_has_role(c.relowner, 'USAGE') \
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname !~ '^pg_toast' AND n.nspname !~ '^pg_temp' AND n.nspname <> $1 \
     ORDER BY 1, 2";

struct TableRights {
    schema: String,
    table: String,
    owner: String,
    usage: bool,
    select: bool,
    update: bool,
    insert: bool,
    truncate: bool,
    owns: bool,
}

/// `12 tables in app` / `app."Kunden"`: what a missing privilege is about, in short.
/// `"Ventes", app`: the schemas of the tables.
fn schemas_text(names: &[&TableRights]) -> String {
    let mut s: Vec<String> = names.iter().map(|t| shown_ident(&t.schema)).collect();
    s.dedup();
    s.join(", ")
}

fn tables_text(names: &[&TableRights]) -> String {
    let mut by_schema: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in names {
        by_schema.entry(&t.schema).or_default().push(&t.table);
    }
    by_schema
        .iter()
        .map(|(s, ts)| {
            if ts.len() <= 3 {
                ts.iter()
                    .map(|t| format!("{}.{}", shown_ident(s), shown_ident(t)))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                format!("{} tables in {}", ts.len(), shown_ident(s))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn run(opts: &ConnectOptions) -> Doctor {
    let mut d = Doctor {
        target: crate::source::postgres::describe_url(&opts.url)
            .unwrap_or_else(|_| "PostgreSQL".into()),
        ..Doctor::default()
    };
    let started = std::time::Instant::now();
    let (conn, mut client) = match Connector::open(&opts.url, opts.interactive) {
        Ok(c) => c,
        Err(e) => {
            d.error = Some(e.to_string());
            return d;
        }
    };
    d.reachable = true;
    d.target = conn.describe().to_string();
    d.fact(
        "connected in",
        format!("{} ms", started.elapsed().as_millis()),
    );
    if let Err(e) = checks(&mut d, &conn, &mut client) {
        d.notes.push(format!(
            "a check failed: {e} (the figures above are partial)"
        ));
        d.steps.push(StepCheck {
            step: "doctor".into(),
            needs: "read pg_catalog".into(),
            missing: vec![e.to_string()],
        });
    }
    d
}

fn checks(
    d: &mut Doctor,
    conn: &Connector,
    client: &mut postgres::Client,
) -> Result<(), postgres::Error> {
    let tls = client.query_opt(
        "SELECT ssl, coalesce(version, ''), coalesce(cipher, ''), coalesce(bits, 0) \
         FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        &[],
    )?;
    let tls_text = match tls {
        Some(r) if r.get::<_, bool>(0) => format!(
            "yes, {} {} ({} bits; {})",
            r.get::<_, String>(1),
            r.get::<_, String>(2),
            r.get::<_, i32>(3),
            conn.tls_summary()
        ),
        _ => format!(
            "no: the connection is not encrypted ({}; use sslmode=require or verify-full where the network is not trusted)",
            conn.tls_summary()
        ),
    };
    d.fact("TLS", tls_text);
    let r = client.query_one(
        "SELECT current_user::text, current_setting('server_version'), current_setting('server_encoding'), \
         current_setting('client_encoding'), (SELECT datcollate::text FROM pg_database WHERE datname = current_database()), \
         (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), current_database()::text, pg_is_in_recovery(), \
         has_database_privilege(current_database(), 'CREATE'), \
         (SELECT array_agg(name::text || ' ' || coalesce(installed_version, 'available')) FROM pg_available_extensions \
          WHERE name IN ('dblink', 'postgres_fdw'))",
        &[],
    )?;
    let user: String = r.get(0);
    let superuser: bool = r.get::<_, Option<bool>>(5).unwrap_or(false);
    let db: String = r.get(6);
    let db_create: bool = r.get(8);
    d.fact("server", format!("PostgreSQL {}", r.get::<_, String>(1)));
    d.fact(
        "charset",
        format!(
            "server_encoding {} (collation {}){}",
            r.get::<_, String>(2),
            r.get::<_, Option<String>>(4).unwrap_or_default(),
            if r.get::<_, bool>(7) {
                "; a standby: read-only, fit for scan and copy source only"
            } else {
                ""
            }
        ),
    );
    d.fact(
        "user",
        format!("{}{}", user, if superuser { " (superuser)" } else { "" }),
    );
    let ext: Vec<String> = r.get::<_, Option<Vec<String>>>(9).unwrap_or_default();
    d.fact(
        "extensions",
        if ext.is_empty() {
            "dblink and postgres_fdw not available (copy --via dblink needs one on the target)"
                .into()
        } else {
            ext.join(", ")
        },
    );
    let own = crate::own::PG_SCHEMA;
    let own_create = client
        .query_one(
            "SELECT coalesce((SELECT has_schema_privilege(oid, 'CREATE') FROM pg_namespace WHERE nspname = $1), false)",
            &[&own],
        )?
        .get::<_, bool>(0);
    let tables: Vec<TableRights> = client
        .query(TABLES_SQL, &[&own])?
        .iter()
        .map(|r| TableRights {
            schema: r.get(0),
            table: r.get(1),
            owner: r.get(2),
            usage: r.get(3),
            select: r.get(4),
            update: r.get(5),
            insert: r.get(6),
            truncate: r.get(7),
            owns: r.get(8),
        })
        .collect();
    d.fact("tables", format!("{} user tables", tables.len()));

    let lacking = |f: &dyn Fn(&TableRights) -> bool| -> Vec<&TableRights> {
        tables.iter().filter(|t| !f(t)).collect()
    };
    let no_usage = lacking(&|t| t.usage);
    let no_select = lacking(&|t| t.select);
    let no_update = lacking(&|t| t.update);
    let no_insert = lacking(&|t| t.insert);
    let no_truncate = lacking(&|t| t.truncate);
    let not_owner = lacking(&|t| t.owns);
    let own_schema_ok = db_create || own_create;
    let mut need = |step: &str, needs: &str, parts: Vec<(bool, String)>| {
        d.steps.push(StepCheck {
            step: step.into(),
            needs: needs.into(),
            missing: parts
                .into_iter()
                .filter(|(ok, _)| !ok)
                .map(|(_, m)| m)
                .collect(),
        });
    };
    let read = vec![
        (
            no_usage.is_empty(),
            format!("USAGE on schema {}", schemas_text(&no_usage)),
        ),
        (
            no_select.is_empty(),
            format!("SELECT on {}", tables_text(&no_select)),
        ),
    ];
    let own_text = format!(
        "CREATE on database {} (for charmig's schema `{own}`) or on schema {own}",
        shown_ident(&db)
    );
    need(
        "scan",
        "USAGE on the schemas, SELECT on every table (also snapshot, objects)",
        read.clone(),
    );
    need("verify", "SELECT on every table", read.clone());
    need("copy (source)", "SELECT on every table", read.clone());
    let mut clean = read.clone();
    clean.push((
        no_update.is_empty(),
        format!("UPDATE on {}", tables_text(&no_update)),
    ));
    clean.push((own_schema_ok, own_text.clone()));
    need(
        "clean",
        "SELECT and UPDATE on the tables to change, an audit schema (truncate/repair --apply)",
        clean,
    );
    need(
        "plan/apply",
        "ownership of the tables to alter (ALTER TABLE), charmig's schema for the step log",
        vec![
            (
                not_owner.is_empty(),
                format!(
                    "ownership (or membership of the owner role) of {}",
                    tables_text(&not_owner)
                ),
            ),
            (own_schema_ok, own_text.clone()),
        ],
    );
    need(
        "copy (target)",
        "SELECT, INSERT and TRUNCATE on the target tables, charmig's schema for the copy log",
        vec![
            (
                no_usage.is_empty(),
                format!("USAGE on schema {}", schemas_text(&no_usage)),
            ),
            (
                no_insert.is_empty(),
                format!("INSERT on {}", tables_text(&no_insert)),
            ),
            (
                no_truncate.is_empty(),
                format!("TRUNCATE on {}", tables_text(&no_truncate)),
            ),
            (
                no_select.is_empty(),
                format!("SELECT on {}", tables_text(&no_select)),
            ),
            (own_schema_ok, own_text.clone()),
        ],
    );
    need(
        "schema",
        "CREATE on the database (creates the target's schemas)",
        vec![(
            db_create,
            format!("CREATE on database {}", shown_ident(&db)),
        )],
    );

    // The GRANTs, per schema and privilege (ALL TABLES IN SCHEMA: one statement per schema).
    let u = ident(&user);
    let mut grants = Vec::new();
    let schemas = |list: &[&TableRights]| -> Vec<String> {
        let mut s: Vec<String> = list.iter().map(|t| t.schema.clone()).collect();
        s.dedup();
        s
    };
    for s in schemas(&no_usage) {
        grants.push(format!("GRANT USAGE ON SCHEMA {} TO {u};", ident(&s)));
    }
    for (privilege, list) in [
        ("SELECT", &no_select),
        ("UPDATE", &no_update),
        ("INSERT", &no_insert),
        ("TRUNCATE", &no_truncate),
    ] {
        for s in schemas(list) {
            grants.push(format!(
                "GRANT {privilege} ON ALL TABLES IN SCHEMA {} TO {u};",
                ident(&s)
            ));
        }
    }
    let mut owners: Vec<&str> = not_owner.iter().map(|t| t.owner.as_str()).collect();
    owners.sort();
    owners.dedup();
    for o in owners {
        grants.push(format!(
            "GRANT {} TO {u};  -- plan/apply: membership of the tables' owner role",
            ident(o)
        ));
    }
    if !own_schema_ok {
        grants.push(format!("GRANT CREATE ON DATABASE {} TO {u};", ident(&db)));
    } else if !db_create {
        d.notes.push(format!(
            "`charmig schema` creates schemas: GRANT CREATE ON DATABASE {} TO {u}; if it runs as this user",
            ident(&db)
        ));
    }
    if !db_create
        && !grants
            .iter()
            .any(|g| g.starts_with("GRANT CREATE ON DATABASE"))
    {
        grants.push(format!("GRANT CREATE ON DATABASE {} TO {u};", ident(&db)));
    }
    if !no_select.is_empty() {
        d.notes.push(format!(
            "from PostgreSQL 14 on, GRANT pg_read_all_data TO {u}; gives SELECT and USAGE everywhere at once"
        ));
    }
    d.grants = grants;
    Ok(())
}
