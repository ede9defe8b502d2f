//! Reaching the server: the connection string, the libpq environment (PGHOST, PGPORT, PGUSER,
//! PGDATABASE, PGPASSWORD, PGPASSFILE), `~/.pgpass` with libpq's matching rules, an optional
//! password prompt, and connection errors turned into messages a DBA can act on.
//!
//! A password is never taken from the command line: the URL, PGPASSWORD, the password file, or
//! a prompt on a terminal, in that order (as libpq does; the prompt only when the server asks).
//!
//! Every PostgreSQL connection charmig opens is made here ([`connect`], [`connect_copy`]), so
//! every command gets the same TLS (`tls`) and the same reading of the connection string
//! (`conninfo`: the last `@` ends a password, nothing of the string is echoed).

use super::tls::{self, SslMode, Tls, TlsParams};
use crate::source::SourceError;
use postgres::Client;
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
    /// The first host, as given (for certificate-name messages).
    pub host: String,
    /// TLS: the mode in force and its connector.
    pub tls: Tls,
}

fn error(target: &str, message: impl Into<String>) -> SourceError {
    SourceError::Database {
        object: target.to_string(),
        message: message.into(),
    }
}

/// Parses the connection string and fills what it leaves out from the environment, as libpq
/// would. Nothing of the string is echoed in an error (it may hold a password).
pub(crate) fn resolve(
    url: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Target, SourceError> {
    let params = super::conninfo::parse(url).map_err(|e| error("connection string", e.0))?;
    let mut tls_params = TlsParams::default();
    let mut rest = Vec::new();
    let mut passfile = None;
    for (k, v) in params {
        match k.as_str() {
            "sslmode" => tls_params.mode = Some(v),
            "sslrootcert" => tls_params.rootcert = Some(v),
            "sslcert" => tls_params.cert = Some(v),
            "sslkey" => tls_params.key = Some(v),
            "passfile" => passfile = Some(v),
            // Server name indication is always sent for host names; compression is off in
            // every TLS library today; the application name is always charmig's.
            "sslsni" | "sslcompression" | "fallback_application_name" => {}
            "gssencmode" if v == "require" => {
                return Err(error(
                    "connection string",
                    "gssencmode=require: GSSAPI encryption is not supported by charmig; use TLS \
                     (sslmode=require or verify-full)",
                ));
            }
            "gssencmode" => {}
            _ => rest.push((k, v)),
        }
    }
    let mut config = Config::from_str(&super::conninfo::to_key_values(&rest)).map_err(|e| {
        // The driver's message names the parameter (`invalid value for option `port``), never its value.
        error(
            "connection string",
            format!("{e} (expected postgres://user@host:5432/dbname?sslmode=require)"),
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
    if config.get_application_name().is_none() {
        config.application_name("charmig");
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(15));
    }
    let host = host_text(&config);
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let describe = format!(
        "postgres://{}@{}:{port}/{}",
        crate::report::term::escape(&user),
        crate::report::term::escape(&host),
        crate::report::term::escape(&dbname)
    );
    let home = env("HOME").map(std::path::PathBuf::from);
    let tls = tls::resolve(&tls_params, env, home.as_deref()).map_err(|m| error(&describe, m))?;
    config.ssl_mode(match tls.mode {
        SslMode::Disable | SslMode::Allow => tokio_postgres::config::SslMode::Disable,
        SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
        _ => tokio_postgres::config::SslMode::Require,
    });
    if config.get_password().is_none() {
        if let Some(p) = env("PGPASSWORD") {
            config.password(p);
        } else {
            let file = passfile
                .or_else(|| env("PGPASSFILE"))
                .or_else(|| env("HOME").map(|h| format!("{h}/.pgpass")));
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
        host,
        tls,
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

/// Opens one connection with the target's TLS settings (`allow`: without TLS first, then with
/// it if the server refuses, as libpq does).
fn open(target: &Target) -> Result<Client, postgres::Error> {
    let first = postgres::Config::from(target.config.clone()).connect(target.tls.connector.clone());
    match first {
        Err(e) if target.tls.mode == SslMode::Allow && e.as_db_error().is_some() => {
            let mut config = target.config.clone();
            config.ssl_mode(tokio_postgres::config::SslMode::Require);
            postgres::Config::from(config).connect(target.tls.connector.clone())
        }
        other => other,
    }
}

/// Passwords typed at the prompt in this process, by [`password_key`]: a command that opens
/// one database several ways (a scan pool, a catalog reader, a lock connection) asks once.
static TYPED: std::sync::Mutex<Vec<(String, Vec<u8>)>> = std::sync::Mutex::new(Vec::new());

/// What a typed password is kept for: every host, host address and port of the connection
/// string, its user and database, and its TLS mode. Two strings that differ in any of them
/// (`hostaddr` sending the same host name elsewhere) never share a password.
fn password_key(target: &Target) -> String {
    let c = &target.config;
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{}",
        c.get_hosts(),
        c.get_hostaddrs(),
        c.get_ports(),
        c.get_user(),
        c.get_dbname(),
        target.tls.summary
    )
}

/// Opens one connection; prompts for a password when the server asks for one and `interactive`
/// allows it (the password is then kept in `target` for the next connections, and for other
/// targets naming the same database and user in this process).
pub(crate) fn connect(target: &mut Target, interactive: bool) -> Result<Client, SourceError> {
    let key = password_key(target);
    if target.config.get_password().is_none() {
        let typed = TYPED.lock().expect("typed passwords");
        if let Some((_, pw)) = typed.iter().find(|(d, _)| *d == key) {
            target.config.password(pw.clone());
        }
    }
    match open(target) {
        Ok(c) => Ok(c),
        Err(e) if is_password_missing(&e) && interactive => {
            let prompt = format!("Password for user {} ({}): ", target.user, target.describe);
            let pw = rpassword::prompt_password(prompt).map_err(|e| {
                error(
                    &target.describe,
                    format!("cannot read the password from the terminal: {e}"),
                )
            })?;
            target.config.password(&pw);
            let client = open(target).map_err(|e| explain(target, &e))?;
            let mut typed = TYPED.lock().expect("typed passwords");
            typed.retain(|(d, _)| *d != key);
            typed.push((key, pw.into_bytes()));
            Ok(client)
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
    let connect = |config: Config| {
        let tls = target.tls.connector.clone();
        async move { config.connect(tls).await }
    };
    let first = rt.block_on(connect(target.config.clone()));
    let (client, connection) = match first {
        Err(e) if target.tls.mode == SslMode::Allow && e.as_db_error().is_some() => {
            let mut config = target.config.clone();
            config.ssl_mode(tokio_postgres::config::SslMode::Require);
            rt.block_on(connect(config))
        }
        other => other,
    }
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
            "28000" if db.message().contains("no encryption") => format!(
                "the server accepts connections from here only over TLS (pg_hba.conf hostssl) and this one was \
                 not encrypted ({}; SQLSTATE 28000: {}): remove sslmode=disable (the default, prefer, uses TLS \
                 when the server offers it) or set sslmode=require or verify-full",
                target.tls.summary,
                db.message()
            ),
            "28000" if db.message().contains("certificate") => format!(
                "the server wants a client certificate for user \"{}\" (SQLSTATE 28000: {}): give it with \
                 sslcert=FILE&sslkey=FILE in the URL (or PGSSLCERT and PGSSLKEY), signed by a CA the server trusts \
                 (its ssl_ca_file) and naming the user in its CN",
                target.user,
                db.message()
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
    if let Some(m) = tls::explain(&target.tls, &target.host, e) {
        return m;
    }
    let detail = full_text(e);
    format!(
        "cannot reach the PostgreSQL server ({detail}): check that it runs, the host and port in the URL, \
         listen_addresses and the firewall"
    )
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_typed_password_is_kept_for_exactly_one_server_user_and_database() {
        let key = |url: &str| password_key(&resolve(url, &|_| None).unwrap());
        let base = key("postgres://app@db.example:5432/app?hostaddr=10.0.0.1");
        assert_eq!(
            base,
            key("postgres://app@db.example:5432/app?hostaddr=10.0.0.1")
        );
        for other in [
            "postgres://app@db.example:5432/app?hostaddr=10.0.0.2",
            "postgres://app@db.example:5433/app?hostaddr=10.0.0.1",
            "postgres://app@db.example:5432/app2?hostaddr=10.0.0.1",
            "postgres://ops@db.example:5432/app?hostaddr=10.0.0.1",
            "postgres://app@db.example:5432/app?hostaddr=10.0.0.1&sslmode=disable",
        ] {
            assert_ne!(base, key(other), "{other}");
        }
    }
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
    fn libpq_parameters_charmig_reads_itself() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pass");
        std::fs::write(&file, "db:5432:sales:mig:from-passfile\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let url = format!(
            "postgres://mig@db/sales?passfile={}&sslsni=1&gssencmode=prefer&fallback_application_name=x",
            file.display()
        );
        let t = resolve(&url, &|_| None).unwrap();
        assert_eq!(t.config.get_password(), Some(&b"from-passfile"[..]));
        let e = resolve("postgres://mig@db/sales?gssencmode=require", &|_| None)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("GSSAPI encryption is not supported"), "{e}");
        let e = resolve("postgres://mig@db/sales?service=prod", &|_| None)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("unknown connection parameter `service`"), "{e}");
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
        assert!(
            e.contains("port") && !e.contains("pw") && !e.contains("notaport"),
            "{e}"
        );
        // A password holding `@` ends at the last one; the describe shows no part of it.
        let t = resolve("postgres://u:Hunter2@TopSecret@db:6000/x", &|_| None).unwrap();
        assert_eq!(t.describe, "postgres://u@db:6000/x");
        assert_eq!(t.config.get_password(), Some(&b"Hunter2@TopSecret"[..]));
        // The TLS parameters are charmig's; the default is prefer, as in libpq.
        assert_eq!(t.tls.mode, tls::SslMode::Prefer);
        let env = |k: &str| (k == "PGSSLMODE").then(|| "disable".to_string());
        let t = resolve("postgres://u@h/x", &env).unwrap();
        assert_eq!(t.tls.mode, tls::SslMode::Disable);
        let t = resolve("postgres://u@h/x?sslmode=require", &env).unwrap();
        assert_eq!(t.tls.mode, tls::SslMode::Require);
        let e = resolve("postgres://u@h/x?sslmode=verify-full", &|_| None)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("sslrootcert"), "{e}");
        let e = resolve("postgres://u@h/x?sslmode=bogus", &|_| None)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("invalid sslmode `bogus`"), "{e}");
    }
}
