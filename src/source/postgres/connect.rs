//! Reaching the server: the connection string, the libpq environment (PGHOST, PGPORT, PGUSER,
//! PGDATABASE, PGPASSWORD, PGPASSFILE), `~/.pgpass` with libpq's matching rules, an optional
//! password prompt, and connection errors turned into messages a DBA can act on.
//!
//! A password is never taken from the command line: the URL, PGPASSWORD, the password file, or
//! a prompt on a terminal, in that order (as libpq does; the prompt only when the server asks).

use crate::source::SourceError;
use postgres::{Client, NoTls};
use std::str::FromStr;
use std::time::Duration;
use tokio_postgres::Config;
use tokio_postgres::config::Host;

/// libpq's default socket directory on Debian-built servers.
const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";

/// A resolved connection: the driver's config (password included) and a printable target.
/// The asynchronous driver's config is kept: the synchronous client is built from it for
/// dictionary queries, and scan connections use it directly (see [`CopyConn`]).
#[derive(Clone)]
pub(crate) struct Target {
    pub config: Config,
    /// `postgres://user@host:port/db`, without the password.
    pub describe: String,
    pub user: String,
    pub dbname: String,
}

fn error(target: &str, message: impl Into<String>) -> SourceError {
    SourceError::Database {
        object: target.to_string(),
        message: message.into(),
    }
}

/// Parses the URL and fills what it leaves out from the environment, as libpq would.
pub(crate) fn resolve(
    url: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Target, SourceError> {
    let mut config = Config::from_str(url.trim()).map_err(|e| {
        error(
            "connection string",
            format!(
                "cannot parse `{}`: {e} (expected postgres://user@host:5432/dbname)",
                redact(url)
            ),
        )
    })?;
    if config.get_hosts().is_empty() {
        match env("PGHOST") {
            Some(h) if h.starts_with('/') => config.host_path(h),
            Some(h) => config.host(&h),
            None => config.host_path(DEFAULT_SOCKET_DIR),
        };
    }
    if let (true, Some(p)) = (config.get_ports().is_empty(), env("PGPORT")) {
        let port = p
            .parse::<u16>()
            .map_err(|_| error("PGPORT", format!("`{p}` is not a port number")))?;
        config.port(port);
    }
    let user = match config.get_user() {
        Some(u) => u.to_string(),
        None => env("PGUSER")
            .or_else(|| env("USER"))
            .unwrap_or_else(|| "postgres".into()),
    };
    config.user(&user);
    let dbname = config
        .get_dbname()
        .map(str::to_string)
        .or_else(|| env("PGDATABASE"))
        .unwrap_or_else(|| user.clone());
    config.dbname(&dbname);
    config.application_name("charmig");
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(15));
    }
    let host = host_text(&config);
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let describe = format!("postgres://{user}@{host}:{port}/{dbname}");
    if config.get_password().is_none() {
        if let Some(p) = env("PGPASSWORD") {
            config.password(p);
        } else {
            let file = env("PGPASSFILE").or_else(|| env("HOME").map(|h| format!("{h}/.pgpass")));
            let contents = file.and_then(|f| read_pgpass(&f));
            if let Some(pw) = contents.and_then(|p| {
                pgpass_lookup(&p, &pgpass_host(&config), &port.to_string(), &dbname, &user)
            }) {
                config.password(pw);
            }
        }
    }
    Ok(Target {
        config,
        describe,
        user,
        dbname,
    })
}

fn host_text(config: &Config) -> String {
    match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "?".into(),
    }
}

/// The host name `.pgpass` lines are matched against: `localhost` for the default socket
/// directory (libpq's rule), the socket path for another directory, else the TCP host name.
fn pgpass_host(config: &Config) -> String {
    match config.get_hosts().first() {
        Some(Host::Unix(p)) if p.as_os_str() == DEFAULT_SOCKET_DIR || p.as_os_str() == "/tmp" => {
            "localhost".into()
        }
        _ => host_text(config),
    }
}

/// Reads the password file, ignoring it (as libpq does) when group or others may read it.
fn read_pgpass(path: &str) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    if meta.permissions().mode() & 0o077 != 0 {
        eprintln!(
            "warning: password file \"{path}\" has group or world access; permissions should be u=rw (0600) or less"
        );
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// Splits a `.pgpass` line at unescaped colons, resolving `\:` and `\\`.
fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    fields.last_mut().expect("non-empty").push(n);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().expect("non-empty").push(c),
        }
    }
    fields
}

/// The password of the first `.pgpass` line matching `host:port:database:user` (`*` matches
/// anything; lines starting with `#` are comments).
pub(crate) fn pgpass_lookup(
    contents: &str,
    host: &str,
    port: &str,
    db: &str,
    user: &str,
) -> Option<String> {
    for line in contents.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f = pgpass_fields(line);
        if f.len() != 5 {
            continue;
        }
        let ok = |field: &str, value: &str| field == "*" || field == value;
        if ok(&f[0], host) && ok(&f[1], port) && ok(&f[2], db) && ok(&f[3], user) {
            return Some(f[4].clone());
        }
    }
    None
}

/// Hides a password written into a URL (`postgres://u:secret@h` -> `postgres://u:***@h`).
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest
        .rsplit_once('@')
        .and_then(|(auth, host)| Some((auth.split_once(':')?.0, host)))
    {
        Some((user, host)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// Opens one connection; prompts for a password when the server asks for one and `interactive`
/// allows it (the password is then kept in `target` for the next connections).
pub(crate) fn connect(target: &mut Target, interactive: bool) -> Result<Client, SourceError> {
    match postgres::Config::from(target.config.clone()).connect(NoTls) {
        Ok(c) => Ok(c),
        Err(e) if is_password_missing(&e) && interactive => {
            let prompt = format!("Password for user {} ({}): ", target.user, target.describe);
            let pw = rpassword::prompt_password(prompt).map_err(|e| {
                error(
                    &target.describe,
                    format!("cannot read the password from the terminal: {e}"),
                )
            })?;
            target.config.password(pw);
            postgres::Config::from(target.config.clone())
                .connect(NoTls)
                .map_err(|e| explain(target, &e))
        }
        Err(e) => Err(explain(target, &e)),
    }
}

/// A scan connection: the asynchronous client on its own single-threaded runtime, so a whole
/// COPY is consumed inside one `block_on` (the synchronous client enters the runtime once per
/// row, which costs more than decoding the row).
pub(crate) struct CopyConn {
    pub rt: tokio::runtime::Runtime,
    pub client: tokio_postgres::Client,
}

pub(crate) fn connect_copy(target: &Target) -> Result<CopyConn, SourceError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            error(
                &target.describe,
                format!("cannot start the connection runtime: {e}"),
            )
        })?;
    let (client, connection) = rt
        .block_on(target.config.connect(NoTls))
        .map_err(|e| explain(target, &e))?;
    rt.spawn(async move {
        // Errors reach the client's calls; nothing to do here.
        let _ = connection.await;
    });
    Ok(CopyConn { rt, client })
}

fn is_password_missing(e: &postgres::Error) -> bool {
    e.as_db_error().is_none() && full_text(e).contains("password missing")
}

/// The error and its causes (the driver keeps the interesting part in the cause).
fn full_text(e: &postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let t = s.to_string();
        if !text.contains(&t) {
            text = format!("{text}: {t}");
        }
        source = s.source();
    }
    text
}

/// Turns a connection error into what happened and what to do.
pub(crate) fn explain(target: &Target, e: &postgres::Error) -> SourceError {
    error(&target.describe, explain_text(target, e))
}

/// [`explain`]'s message alone.
pub(crate) fn explain_text(target: &Target, e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        return match code {
            "28P01" => format!(
                "password authentication failed for user \"{}\" (SQLSTATE 28P01): check the password in the URL, \
                 PGPASSWORD or ~/.pgpass",
                target.user
            ),
            "28000" => format!(
                "the server refused user \"{}\" (SQLSTATE 28000: {}): check the user name and the server's pg_hba.conf",
                target.user,
                db.message()
            ),
            "3D000" => format!(
                "database \"{}\" does not exist (SQLSTATE 3D000): check the database name in the URL (`psql -l` lists them)",
                target.dbname
            ),
            "53300" => format!(
                "too many connections (SQLSTATE 53300): lower --jobs or raise max_connections ({})",
                db.message()
            ),
            _ => format!("{} (SQLSTATE {code})", db.message()),
        };
    }
    if is_password_missing(e) {
        return format!(
            "the server asks for a password for user \"{}\": set PGPASSWORD, add a line to ~/.pgpass \
             (host:port:database:user:password, mode 0600), or run charmig on a terminal to be prompted",
            target.user
        );
    }
    let detail = full_text(e);
    format!(
        "cannot reach the PostgreSQL server ({detail}): check that it runs, the host and port in the URL, \
         listen_addresses and the firewall (TLS connections are not supported: use sslmode=disable or prefer)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_matches_like_libpq() {
        let file = "# comment\n\
                    db1.example:5432:sales:alice:first\n\
                    *:*:sales:alice:second\n\
                    localhost:5433:*:bob:pa\\:ss\\\\word\n\
                    *:*:*:*:fallback\n";
        assert_eq!(
            pgpass_lookup(file, "db1.example", "5432", "sales", "alice").as_deref(),
            Some("first")
        );
        assert_eq!(
            pgpass_lookup(file, "other", "5432", "sales", "alice").as_deref(),
            Some("second")
        );
        assert_eq!(
            pgpass_lookup(file, "localhost", "5433", "x", "bob").as_deref(),
            Some("pa:ss\\word")
        );
        assert_eq!(
            pgpass_lookup(file, "localhost", "5432", "x", "bob").as_deref(),
            Some("fallback")
        );
        assert_eq!(
            pgpass_lookup("h:1:d:u\n", "h", "1", "d", "u"),
            None,
            "a line without password field is ignored"
        );
    }

    #[test]
    fn environment_fills_what_the_url_leaves_out() {
        let env = |k: &str| match k {
            "PGHOST" => Some("/run/pg".to_string()),
            "PGPORT" => Some("5499".to_string()),
            "PGUSER" => Some("carol".to_string()),
            "PGPASSWORD" => Some("pw".to_string()),
            _ => None,
        };
        let t = resolve("postgres:///inventory", &env).unwrap();
        assert_eq!(t.describe, "postgres://carol@/run/pg:5499/inventory");
        assert_eq!(t.config.get_password(), Some(&b"pw"[..]));
        let t = resolve("postgres://dave:secret@db:6000", &|_| None).unwrap();
        assert_eq!(
            (t.describe.as_str(), t.dbname.as_str()),
            ("postgres://dave@db:6000/dave", "dave")
        );
        assert_eq!(t.config.get_password(), Some(&b"secret"[..]));
        let e = resolve("postgres://u:pw@h:notaport/db", &|_| None)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("u:***@h") && !e.contains("pw@"), "{e}");
    }
}
