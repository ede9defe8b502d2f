//! The Oracle checks of `charmig doctor`: where charmig looked for Instant Client and whether
//! it loaded, then (when it did and the database answers) TLS (`NETWORK_PROTOCOL` = tcps), the
//! server version and charsets, and the session's system privileges and roles against what
//! each step needs, with the GRANT statements.
//!
//! NOT verified against a live Oracle: the statements are golden-tested
//! (tests/golden/doctor/), and what only a live database can confirm is listed in
//! docs/oracle-checklist.md.

use super::{Doctor, StepCheck};
use crate::source::db::ConnectOptions;
use std::path::{Path, PathBuf};

/// The statements the Oracle doctor runs (each on its own; a failure is reported, not fatal).
pub const STATEMENTS: [(&str, &str); 5] = [
    (
        "charsets",
        "SELECT parameter, value FROM nls_database_parameters \
         WHERE parameter IN ('NLS_CHARACTERSET', 'NLS_NCHAR_CHARACTERSET') ORDER BY parameter",
    ),
    (
        "protocol",
        "SELECT sys_context('USERENV', 'NETWORK_PROTOCOL'), sys_context('USERENV', 'SESSION_USER') FROM dual",
    ),
    (
        "privileges",
        "SELECT privilege FROM session_privs ORDER BY privilege",
    ),
    ("roles", "SELECT role FROM session_roles ORDER BY role"),
    (
        "dbms_lock",
        "SELECT COUNT(*) FROM all_procedures WHERE owner = 'SYS' AND object_name = 'DBMS_LOCK'",
    ),
];

/// The library file the Oracle client is loaded through.
const CLIENT_LIB: &str = "libclntsh.so";

/// Directories charmig (through ODPI-C and the system loader) looks in for Instant Client,
/// in order, and whether `libclntsh.so` is there.
pub fn instant_client_search(env: &dyn Fn(&str) -> Option<String>) -> Vec<(PathBuf, bool)> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(p) = env("LD_LIBRARY_PATH") {
        dirs.extend(std::env::split_paths(&p).filter(|d| !d.as_os_str().is_empty()));
    }
    if let Some(h) = env("ORACLE_HOME") {
        dirs.push(Path::new(&h).join("lib"));
        dirs.push(PathBuf::from(h));
    }
    for pattern_dir in ["/usr/lib/oracle", "/opt/oracle"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(pattern_dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .flat_map(|p| [p.join("client64/lib"), p.clone()])
            .collect();
        found.sort();
        dirs.extend(found);
    }
    dirs.push(PathBuf::from("/usr/lib/x86_64-linux-gnu"));
    dirs.push(PathBuf::from("/usr/lib"));
    dirs.dedup();
    dirs.into_iter()
        .map(|d| {
            let has = d.join(CLIENT_LIB).exists()
                || std::fs::read_dir(&d)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .any(|e| {
                        e.file_name()
                            .to_str()
                            .is_some_and(|n| n.starts_with("libclntsh.so."))
                    });
            (d, has)
        })
        .collect()
}

/// What each step needs, as system privileges (any one of each group suffices), and the
/// privileges and roles the session has: the steps with what is missing, and the GRANTs.
pub fn steps(
    user: &str,
    privileges: &[String],
    roles: &[String],
    dbms_lock: bool,
) -> (Vec<StepCheck>, Vec<String>) {
    let has = |p: &str| privileges.iter().any(|x| x == p);
    let role = |r: &str| roles.iter().any(|x| x == r);
    let dict = has("SELECT ANY DICTIONARY") || role("SELECT_CATALOG_ROLE") || role("DBA");
    let mut grants: Vec<String> = Vec::new();
    let u = crate::dialect::oracle::ident(user).unwrap_or_else(|_| format!("\"{user}\""));
    let mut out = Vec::new();
    let mut step = |name: &str, needs: &str, wanted: &[(&str, bool)]| {
        let mut missing = Vec::new();
        for (what, ok) in wanted {
            if !ok {
                missing.push(what.to_string());
                let g = if *what == "EXECUTE ON SYS.DBMS_LOCK" {
                    format!("GRANT EXECUTE ON SYS.DBMS_LOCK TO {u};")
                } else {
                    format!("GRANT {what} TO {u};")
                };
                if !grants.contains(&g) {
                    grants.push(g);
                }
            }
        }
        out.push(StepCheck {
            step: name.into(),
            needs: needs.into(),
            missing,
        });
    };
    let session = ("CREATE SESSION", has("CREATE SESSION"));
    let read = ("SELECT ANY TABLE", has("SELECT ANY TABLE"));
    let dictionary = ("SELECT ANY DICTIONARY", dict);
    step(
        "scan",
        "CREATE SESSION, SELECT on the tables (SELECT ANY TABLE, or own them), the DBA_ views \
         (SELECT ANY DICTIONARY; without it ALL_ views and fewer objects)",
        &[session, read, dictionary],
    );
    step(
        "verify",
        "CREATE SESSION, SELECT on the tables",
        &[session, read],
    );
    step(
        "copy (source)",
        "CREATE SESSION, SELECT on the tables",
        &[session, read],
    );
    step(
        "clean",
        "UPDATE on the tables to change (UPDATE ANY TABLE, or own them), audit tables \
         (CREATE ANY TABLE and INSERT ANY TABLE for the CHARMIG schema)",
        &[
            session,
            read,
            ("UPDATE ANY TABLE", has("UPDATE ANY TABLE")),
            ("CREATE ANY TABLE", has("CREATE ANY TABLE")),
            ("INSERT ANY TABLE", has("INSERT ANY TABLE")),
        ],
    );
    step(
        "plan/apply",
        "ALTER on the tables (ALTER ANY TABLE, or own them), index rebuilds (CREATE/DROP ANY INDEX)",
        &[
            session,
            ("ALTER ANY TABLE", has("ALTER ANY TABLE")),
            ("CREATE ANY INDEX", has("CREATE ANY INDEX")),
            ("DROP ANY INDEX", has("DROP ANY INDEX")),
        ],
    );
    step(
        "copy (target)",
        "INSERT and TRUNCATE on the target tables (INSERT ANY TABLE, DROP ANY TABLE for TRUNCATE \
         in another schema), a DB link to the source, DBMS_LOCK for the run lock",
        &[
            session,
            ("INSERT ANY TABLE", has("INSERT ANY TABLE")),
            ("DROP ANY TABLE", has("DROP ANY TABLE")),
            ("CREATE DATABASE LINK", has("CREATE DATABASE LINK")),
            ("EXECUTE ON SYS.DBMS_LOCK", dbms_lock),
        ],
    );
    step(
        "schema",
        "CREATE ANY TABLE (or create the tables as their owner)",
        &[session, ("CREATE ANY TABLE", has("CREATE ANY TABLE"))],
    );
    (out, grants)
}

/// The checks; every Oracle failure becomes a line of the report.
pub fn run(opts: &ConnectOptions) -> Doctor {
    let spec = crate::source::oracle::connect::parse(&opts.url, opts.external_auth);
    let mut d = Doctor {
        target: spec
            .as_ref()
            .map(|s| s.describe())
            .unwrap_or_else(|_| "Oracle".into()),
        ..Doctor::default()
    };
    let spec = match spec {
        Ok(s) => s,
        Err(e) => {
            d.error = Some(e.to_string());
            return d;
        }
    };
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let search = instant_client_search(&env);
    let looked: Vec<String> = search
        .iter()
        .map(|(p, found)| {
            format!(
                "{}{}",
                p.display(),
                if *found { " (libclntsh.so here)" } else { "" }
            )
        })
        .collect();
    match oracle::Version::client() {
        Ok(v) => d.fact("Instant Client", format!("loaded, version {v}")),
        Err(e) => {
            d.fact(
                "Instant Client",
                format!("not found ({e}); looked in: {}", looked.join(", ")),
            );
            d.error = Some(crate::source::oracle::connect::instant_client_missing());
            return d;
        }
    }
    d.fact("looked in", looked.join(", "));
    let connector = match crate::source::oracle::OracleConnector::open(
        &opts.url,
        opts.external_auth,
        opts.interactive,
    )
    .and_then(|c| c.connect())
    {
        Ok(c) => c,
        Err(e) => {
            d.error = Some(e.to_string());
            return d;
        }
    };
    d.reachable = true;
    d.target = spec.describe();
    if let Ok((v, _)) = connector.server_version() {
        d.fact("server", format!("Oracle {v}"));
    }
    let rows = |sql: &str| -> Result<Vec<Vec<String>>, String> {
        let rs = connector.query(sql, &[]).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for r in rs {
            let r = r.map_err(|e| e.to_string())?;
            let n = r.sql_values().len();
            out.push(
                (0..n)
                    .map(|i| {
                        r.get::<_, Option<String>>(i)
                            .ok()
                            .flatten()
                            .unwrap_or_default()
                    })
                    .collect(),
            );
        }
        Ok(out)
    };
    let mut results = std::collections::BTreeMap::new();
    for (name, sql) in STATEMENTS {
        match rows(sql) {
            Ok(r) => {
                results.insert(name, r);
            }
            Err(e) => d.notes.push(format!("{name}: {e}")),
        }
    }
    let col = |name: &str, i: usize| -> Vec<String> {
        results
            .get(name)
            .map(|r| r.iter().filter_map(|row| row.get(i).cloned()).collect())
            .unwrap_or_default()
    };
    let charsets: Vec<String> = results
        .get("charsets")
        .map(|r| r.iter().map(|row| row.join(" ")).collect())
        .unwrap_or_default();
    d.fact("charset", charsets.join(", "));
    let protocol = col("protocol", 0).first().cloned().unwrap_or_default();
    d.fact(
        "TLS",
        if protocol.eq_ignore_ascii_case("tcps") {
            "yes (tcps)".to_string()
        } else {
            format!(
                "no (protocol {}): use tcps://host:2484/service with a wallet to encrypt (docs/deploy.md)",
                if protocol.is_empty() { "unknown" } else { &protocol }
            )
        },
    );
    let user = col("protocol", 1).first().cloned().unwrap_or_default();
    d.fact("user", user.clone());
    let lock = col("dbms_lock", 0).first().is_some_and(|n| n != "0");
    let (steps, grants) = steps(&user, &col("privileges", 0), &col("roles", 0), lock);
    d.steps = steps;
    d.grants = grants;
    d.notes.push(
        "Oracle checks are not verified against a live database yet (docs/oracle-checklist.md); \
         privileges on single tables and ownership are not counted: a schema owner needs no ANY privilege \
         for its own tables"
            .into(),
    );
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden::assert_golden;

    #[test]
    fn statements_are_golden() {
        let text: String = STATEMENTS
            .iter()
            .map(|(n, s)| format!("-- {n}\n{s};\n"))
            .collect();
        assert_golden("tests/golden/doctor/oracle_statements.sql", &text);
    }

    /// Recorded privilege sets: a bare reader, and an application user with most rights.
    #[test]
    fn steps_and_grants_for_recorded_sessions() {
        let mut text = String::new();
        for (user, privs, roles, lock) in [
            ("SCAN_RO", vec!["CREATE SESSION"], vec![], false),
            (
                "MIG",
                vec![
                    "CREATE SESSION",
                    "SELECT ANY TABLE",
                    "UPDATE ANY TABLE",
                    "CREATE ANY TABLE",
                    "INSERT ANY TABLE",
                    "ALTER ANY TABLE",
                    "CREATE ANY INDEX",
                    "DROP ANY INDEX",
                    "DROP ANY TABLE",
                    "CREATE DATABASE LINK",
                ],
                vec!["SELECT_CATALOG_ROLE"],
                true,
            ),
            (
                "App User",
                vec!["CREATE SESSION", "SELECT ANY TABLE"],
                vec![],
                false,
            ),
        ] {
            let p: Vec<String> = privs.iter().map(|s| s.to_string()).collect();
            let r: Vec<String> = roles.iter().map(|s: &&str| s.to_string()).collect();
            let (steps, grants) = steps(user, &p, &r, lock);
            let d = Doctor {
                target: format!("{user}@//db:1521/svc"),
                reachable: true,
                steps,
                grants,
                ..Doctor::default()
            };
            let mut out = Vec::new();
            crate::doctor::write_text(&d, &mut out).unwrap();
            text.push_str(&String::from_utf8(out).unwrap());
            text.push_str(&format!("exit {}\n\n", d.exit_code()));
        }
        assert!(text.contains("GRANT SELECT ANY TABLE TO \"SCAN_RO\";"));
        assert_golden("tests/golden/doctor/oracle_steps.txt", &text);
    }

    #[test]
    fn instant_client_search_names_every_place() {
        let dir = tempfile::tempdir().unwrap();
        let with = dir.path().join("ic19");
        std::fs::create_dir_all(&with).unwrap();
        std::fs::write(with.join("libclntsh.so.19.1"), b"").unwrap();
        let without = dir.path().join("empty");
        let ld = format!("{}:{}", without.display(), with.display());
        let home = dir.path().join("home");
        let env = |k: &str| match k {
            "LD_LIBRARY_PATH" => Some(ld.clone()),
            "ORACLE_HOME" => Some(home.display().to_string()),
            _ => None,
        };
        let found = instant_client_search(&env);
        assert_eq!(found[0], (without.clone(), false));
        assert_eq!(found[1], (with.clone(), true));
        assert_eq!(found[2], (home.join("lib"), false));
        assert!(found.iter().any(|(p, _)| p == Path::new("/usr/lib")));
    }
}
