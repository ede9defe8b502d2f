//! Oracle connect strings as DBAs type them, the password, and connection errors a DBA can
//! act on.
//!
//! Accepted forms (parsed by [`parse`], a pure function):
//! - `oracle://user@host:1521/service` (URL form; port optional, default 1521 as in EZConnect)
//! - `user@//host:1521/service` and `user@host:1521/service` (EZConnect)
//! - `user@ORCL` (a TNS alias: the Oracle client resolves it through `tnsnames.ora` in
//!   `$TNS_ADMIN`, or `$ORACLE_HOME/network/admin`; charmig does not read the file itself)
//! - `user@(DESCRIPTION=…)` (a full connect descriptor, passed verbatim)
//! - `/@ALIAS`, or any of the above without a user plus `--external-auth`: OS or wallet
//!   authentication (OPS$ accounts, Secure External Password Store)
//!
//! Passwords never come from the command line: a password inside the connect string
//! (`user/pass@…`, `oracle://user:pass@…`) is refused. It comes from `CHARMIG_PASSWORD`, or
//! from a prompt without echo when stdin and stderr are terminals.

use crate::source::SourceError;

/// Where and as whom to connect. Holds no password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectSpec {
    /// `None` with external authentication.
    pub user: Option<String>,
    /// What the Oracle client receives: `//host:port/service`, `host:port/service`, an alias or
    /// a descriptor.
    pub connect_string: String,
    pub external_auth: bool,
}

impl ConnectSpec {
    /// For messages and reports: `scott@//db1:1521/ORCLPDB1`, `/@ORCL`.
    pub fn describe(&self) -> String {
        format!(
            "{}@{}",
            self.user.as_deref().unwrap_or("/"),
            self.connect_string
        )
    }
}

/// A connect string that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--db {input}: {reason}")]
pub struct ConnectStringError {
    pub input: String,
    pub reason: String,
}

const PASSWORD_ON_COMMAND_LINE: &str = "a password on the command line is visible to every user of this machine (ps, shell history): \
     remove it and set CHARMIG_PASSWORD, or let charmig prompt for it";

/// Parses a connect string. `external_auth` is `--external-auth`.
pub fn parse(input: &str, external_auth: bool) -> Result<ConnectSpec, ConnectStringError> {
    let fail = |reason: &str| ConnectStringError {
        input: redact(input),
        reason: reason.to_string(),
    };
    let s = input.trim();
    if s.is_empty() {
        return Err(fail("empty connect string"));
    }
    if let Some(scheme) = unsupported_scheme(s) {
        return Err(ConnectStringError {
            input: format!("{scheme}://…"),
            reason: format!(
                "unsupported database URL scheme `{scheme}`: charmig reads PostgreSQL (postgres://user@host:5432/db) \
                 and Oracle (oracle://user@host:1521/service, tcps://host:2484/service, user@//host:1521/service, \
                 user@TNS_ALIAS)"
            ),
        });
    }
    let tls_url = ["tcps://", "tcp://"]
        .iter()
        .find_map(|p| strip_prefix_ci(s, p).map(|rest| (&p[..p.len() - 3], rest)));
    let (user, target) = if let Some((proto, rest)) = tls_url {
        // EZConnect Plus: tcps://[user@]host:2484/service[?wallet_location=DIR&…], passed to the
        // Oracle client as written (without the user); TLS and the wallet are the client's.
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (user, hostpart) = match rest[..authority_end].rfind('@') {
            Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
            None => (None, rest),
        };
        if user.is_some_and(|u| u.contains(':')) {
            return Err(fail(PASSWORD_ON_COMMAND_LINE));
        }
        if hostpart
            .split(['/', ':', '?'])
            .next()
            .unwrap_or("")
            .is_empty()
        {
            return Err(fail(
                "no host: write tcps://user@host:2484/service (wallet: ?wallet_location=DIR)",
            ));
        }
        (user.map(percent_decode), format!("{proto}://{hostpart}"))
    } else if let Some(rest) = strip_prefix_ci(s, "oracle://") {
        let (user, hostpart) = match rest.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, rest),
        };
        if user.is_some_and(|u| u.contains(':')) {
            return Err(fail(PASSWORD_ON_COMMAND_LINE));
        }
        if hostpart.is_empty() {
            return Err(fail("no host: write oracle://user@host:1521/service"));
        }
        // `oracle://user@ORCL` (no port, no service) names a TNS alias; anything with a `/`
        // or `:` is EZConnect and gets the `//` prefix.
        let target = if hostpart.contains('/') || hostpart.contains(':') {
            if hostpart.split(['/', ':']).next().unwrap_or("").is_empty() {
                return Err(fail("no host: write oracle://user@host:1521/service"));
            }
            format!("//{hostpart}")
        } else {
            hostpart.to_string()
        };
        (user.map(percent_decode), target)
    } else if let Some(rest) = s.strip_prefix("/@") {
        (None, rest.to_string())
    } else {
        // user@target, where the target may itself contain `@` only inside a descriptor.
        let at = if let Some(p) = s.find("@(") {
            Some(p)
        } else {
            s.find('@')
        };
        match at {
            Some(p) => (Some(s[..p].to_string()), s[p + 1..].to_string()),
            None => (None, s.to_string()),
        }
    };
    if user.as_deref().is_some_and(|u| u.contains('/')) {
        return Err(fail(PASSWORD_ON_COMMAND_LINE));
    }
    if target.trim().is_empty() {
        return Err(fail(
            "nothing after `@`: name a TNS alias or //host:port/service",
        ));
    }
    let user = user.filter(|u| !u.is_empty());
    let external = external_auth || (user.is_none() && s.starts_with("/@"));
    match (&user, external) {
        (Some(u), true) => Err(fail(&format!(
            "external authentication (--external-auth or /@alias) uses the operating-system or wallet identity: \
             remove the user name `{u}`"
        ))),
        (None, false) => Err(fail(
            "no user: write user@host:1521/service (password from CHARMIG_PASSWORD or a prompt), \
             or use /@ALIAS or --external-auth for OS or wallet authentication",
        )),
        _ => Ok(ConnectSpec {
            user,
            connect_string: target,
            external_auth: external,
        }),
    }
}

/// The scheme of a `scheme://…` string that is neither Oracle's nor EZConnect's (`tcp://`,
/// `tcps://`), nor a PostgreSQL URL (those never reach this parser).
fn unsupported_scheme(s: &str) -> Option<String> {
    let (scheme, _) = s.split_once("://")?;
    // `user@//host` and descriptors are not schemes.
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return None;
    }
    let lower = scheme.to_ascii_lowercase();
    (!["oracle", "tcp", "tcps"].contains(&lower.as_str()))
        .then(|| crate::report::term::escape(scheme).into_owned())
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    // `get` rather than indexing: the input may hold a multi-byte character at that offset.
    s.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .map(|_| &s[prefix.len()..])
}

/// `%40` -> `@` etc. in the user part of a URL (invalid escapes are kept as typed).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if let (b'%', Some(Some(h)), Some(Some(l))) = (
            b[i],
            b.get(i + 1).map(|&c| hex(c)),
            b.get(i + 2).map(|&c| hex(c)),
        ) {
            out.push(h << 4 | l);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The input with anything that looks like a password replaced, for error messages.
fn redact(input: &str) -> String {
    let Some(at) = input.rfind('@') else {
        return input.to_string();
    };
    let (cred, rest) = input.split_at(at);
    let scheme_end = cred.find("://").map_or(0, |p| p + 3);
    match cred[scheme_end..].find([':', '/']) {
        Some(p) if !cred[scheme_end..].is_empty() && p > 0 => {
            format!(
                "{}{}***{rest}",
                &cred[..scheme_end],
                &cred[scheme_end..scheme_end + p + 1]
            )
        }
        _ => input.to_string(),
    }
}

/// Where the password comes from: the environment value of `CHARMIG_PASSWORD` (passed in),
/// else a prompt when interactive. External authentication needs none.
pub fn password(
    spec: &ConnectSpec,
    env_value: Option<String>,
    interactive: bool,
    prompt: impl FnOnce(&str) -> std::io::Result<String>,
) -> Result<Option<String>, SourceError> {
    if spec.external_auth {
        return Ok(None);
    }
    if let Some(p) = env_value {
        return Ok(Some(p));
    }
    if !interactive {
        return Err(SourceError::Other(format!(
            "no password for {}: set CHARMIG_PASSWORD (charmig never takes a password on the command line), \
             or run charmig from a terminal to be prompted",
            spec.describe()
        )));
    }
    prompt(&format!("Password for {}: ", spec.describe()))
        .map(Some)
        .map_err(|e| {
            SourceError::Other(format!("reading the password for {}: {e}", spec.describe()))
        })
}

/// The library the Oracle client is loaded through on this platform, and the variable that
/// tells the loader where to find it.
#[cfg(target_os = "macos")]
const LIB_HINT: (&str, &str) = ("libclntsh.dylib", "DYLD_LIBRARY_PATH");
#[cfg(target_os = "windows")]
const LIB_HINT: (&str, &str) = ("oci.dll", "PATH");
#[cfg(not(any(target_os = "macos", target_os = "windows")))]
const LIB_HINT: (&str, &str) = ("libclntsh.so", "LD_LIBRARY_PATH");

/// What charmig says when the Oracle client library cannot be loaded (DPI-1047).
pub fn instant_client_missing() -> String {
    let (lib, var) = LIB_HINT;
    format!(
        "Oracle Instant Client not found (DPI-1047): charmig loads the Oracle client library ({lib}) at run time.\n\
         \x20 To connect from this machine: install Oracle Instant Client 19c or later (the Basic or Basic Light package) \
         and set {var} to its directory, for example: export {var}=/opt/oracle/instantclient_19_25\n\
         \x20 Without a client here: run sql/export_snapshot.sql with SQL*Plus on a host that has one, copy the \
         directory it writes, and run: charmig scan --snapshot DIR"
    )
}

/// Turns a connection failure into a message a DBA can act on. `ora` is the ORA- code,
/// `dpi` the DPI- code, `text` the driver's message.
pub fn explain_connect_error(
    spec: &ConnectSpec,
    ora: Option<i32>,
    dpi: Option<i32>,
    text: &str,
) -> String {
    if dpi == Some(1047) {
        return instant_client_missing();
    }
    let who = spec.describe();
    let hint = match ora {
        Some(1017) => "wrong user name or password (check CHARMIG_PASSWORD)".to_string(),
        Some(28000) => "the account is locked".to_string(),
        Some(12154) | Some(12262) => format!(
            "the client cannot resolve `{}`: check tnsnames.ora in $TNS_ADMIN (now {}) or write //host:1521/service",
            spec.connect_string,
            std::env::var("TNS_ADMIN").unwrap_or_else(|_| "not set".into())
        ),
        Some(12514) => {
            "the listener does not know this service name (lsnrctl services lists them)".to_string()
        }
        Some(12541) => "no listener at that host and port".to_string(),
        Some(12170) | Some(12535) => {
            "the connection timed out (firewall, wrong host or port)".to_string()
        }
        Some(1031) | Some(1045) => "the user lacks CREATE SESSION".to_string(),
        _ => String::new(),
    };
    if hint.is_empty() {
        format!("connecting to {who}: {text}")
    } else {
        format!("connecting to {who}: {hint} ({text})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> (Option<&'static str>, String, bool) {
        let p = parse(s, false).unwrap_or_else(|e| panic!("{s}: {e}"));
        (
            p.user.map(|u| &*Box::leak(u.into_boxed_str())),
            p.connect_string,
            p.external_auth,
        )
    }

    #[test]
    fn url_form() {
        assert_eq!(
            ok("oracle://scott@db1:1521/ORCLPDB1"),
            (Some("scott"), "//db1:1521/ORCLPDB1".into(), false)
        );
        assert_eq!(
            ok("ORACLE://scott@db1/ORCLPDB1"),
            (Some("scott"), "//db1/ORCLPDB1".into(), false)
        );
        assert_eq!(
            ok("oracle://scott@ORCL"),
            (Some("scott"), "ORCL".into(), false)
        );
        assert_eq!(
            ok("oracle://app%40x@db1:1521/s"),
            (Some("app@x"), "//db1:1521/s".into(), false)
        );
        // Not an escape: kept as typed (and no panic on a multi-byte character after `%`).
        assert_eq!(ok("oracle://a%é%4@db1/s").0, Some("a%é%4"));
    }

    #[test]
    fn ezconnect_and_alias_forms() {
        assert_eq!(
            ok("scott@//db1:1521/svc"),
            (Some("scott"), "//db1:1521/svc".into(), false)
        );
        assert_eq!(
            ok("scott@db1:1521/svc"),
            (Some("scott"), "db1:1521/svc".into(), false)
        );
        assert_eq!(ok("scott@ORCL"), (Some("scott"), "ORCL".into(), false));
        assert_eq!(ok("  scott@ORCL "), (Some("scott"), "ORCL".into(), false));
        let d = "scott@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=h)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=s)))";
        assert_eq!(ok(d).1, &d[6..]);
    }

    #[test]
    fn tls_and_wallet_forms() {
        assert_eq!(
            ok("tcps://scott@db1:2484/ORCLPDB1"),
            (Some("scott"), "tcps://db1:2484/ORCLPDB1".into(), false)
        );
        assert_eq!(
            ok(
                "TCPS://scott@db1:2484/svc?wallet_location=/opt/oracle/wallet&ssl_server_dn_match=on"
            ),
            (
                Some("scott"),
                "tcps://db1:2484/svc?wallet_location=/opt/oracle/wallet&ssl_server_dn_match=on"
                    .into(),
                false
            )
        );
        assert_eq!(
            ok("scott@tcps://db1:2484/svc"),
            (Some("scott"), "tcps://db1:2484/svc".into(), false)
        );
        // A wallet holding the password (Secure External Password Store): no user.
        assert_eq!(
            ok("/@tcps://db1:2484/svc?wallet_location=/w"),
            (None, "tcps://db1:2484/svc?wallet_location=/w".into(), true)
        );
        let p = parse("tcps://db1:2484/svc?wallet_location=/w", true).unwrap();
        assert_eq!(
            (p.user, p.connect_string.as_str()),
            (None, "tcps://db1:2484/svc?wallet_location=/w")
        );
        // A TNS alias whose tnsnames.ora entry says PROTOCOL=TCPS needs nothing more.
        assert_eq!(ok("scott@ORCL_TLS").1, "ORCL_TLS");
        let e = parse("tcps://scott:tiger@db1:2484/svc", false).unwrap_err();
        assert!(
            e.reason.contains("CHARMIG_PASSWORD") && !e.to_string().contains("tiger"),
            "{e}"
        );
        assert!(
            parse("tcps://scott@:2484/svc", false)
                .unwrap_err()
                .reason
                .contains("no host")
        );
    }

    #[test]
    fn other_url_schemes_are_named_not_taken_for_passwords() {
        for s in [
            "mysql://u:Hunter2@h/db",
            "MSSQL://h/db",
            "mariadb://u@h/x",
            "redis://h",
        ] {
            let e = parse(s, false).unwrap_err();
            assert!(
                e.reason.contains("unsupported database URL scheme"),
                "{s}: {e}"
            );
            assert!(!e.reason.contains("password"), "{s}: {e}");
            assert!(!e.to_string().contains("Hunter2"), "{s}: {e}");
        }
    }

    #[test]
    fn external_authentication() {
        assert_eq!(ok("/@ORCL"), (None, "ORCL".into(), true));
        let p = parse("//db1:1521/svc", true).unwrap();
        assert_eq!((p.user, p.external_auth), (None, true));
        let p = parse("oracle://db1:1521/svc", true).unwrap();
        assert_eq!(p.connect_string, "//db1:1521/svc");
        let e = parse("scott@ORCL", true).unwrap_err();
        assert!(e.reason.contains("remove the user name `scott`"), "{e}");
    }

    #[test]
    fn passwords_on_the_command_line_are_refused_and_redacted() {
        for s in [
            "scott/tiger@ORCL",
            "oracle://scott:tiger@db1:1521/svc",
            "scott/tiger@//h:1/s",
        ] {
            let e = parse(s, false).unwrap_err();
            assert!(e.reason.contains("CHARMIG_PASSWORD"), "{s}: {e}");
            assert!(!e.to_string().contains("tiger"), "password leaked: {e}");
        }
    }

    #[test]
    fn incomplete_strings_say_what_is_missing() {
        assert!(parse("", false).unwrap_err().reason.contains("empty"));
        assert!(
            parse("scott@", false)
                .unwrap_err()
                .reason
                .contains("nothing after")
        );
        assert!(parse("ORCL", false).unwrap_err().reason.contains("no user"));
        assert!(
            parse("oracle://scott@:1521/x", false)
                .unwrap_err()
                .reason
                .contains("no host")
        );
    }

    #[test]
    fn password_sources() {
        let spec = parse("scott@ORCL", false).unwrap();
        let never = |_: &str| -> std::io::Result<String> { panic!("must not prompt") };
        assert_eq!(
            password(&spec, Some("pw".into()), true, never)
                .unwrap()
                .as_deref(),
            Some("pw")
        );
        let e = password(&spec, None, false, never).unwrap_err().to_string();
        assert!(
            e.contains("CHARMIG_PASSWORD") && e.contains("scott@ORCL"),
            "{e}"
        );
        let got = password(&spec, None, true, |p| {
            assert_eq!(p, "Password for scott@ORCL: ");
            Ok("typed".into())
        });
        assert_eq!(got.unwrap().as_deref(), Some("typed"));
        let ext = parse("/@ORCL", false).unwrap();
        assert_eq!(
            password(&ext, Some("ignored".into()), true, never).unwrap(),
            None
        );
    }

    proptest::proptest! {
        /// Any input parses or fails with a reason, never panics, and a password typed into
        /// the connect string never appears in the error.
        #[test]
        fn parse_never_panics_nor_leaks_a_password(user in "[a-z%é]{1,8}", pw in "[A-Za-z0-9]{6,12}", rest in "\\PC{0,30}") {
            let _ = parse(&rest, false);
            let _ = parse(&rest, true);
            for s in [format!("{user}/{pw}@{rest}"), format!("oracle://{user}:{pw}@{rest}")] {
                if let Err(e) = parse(&s, false) {
                    proptest::prop_assert!(!e.to_string().contains(&pw), "{}", e);
                } else {
                    proptest::prop_assert!(false, "accepted a password: {}", s);
                }
            }
        }
    }

    #[test]
    fn connection_errors_are_explained() {
        let spec = parse("scott@ORCL", false).unwrap();
        let m = explain_connect_error(&spec, None, Some(1047), "DPI-1047: Cannot locate…");
        assert!(
            m.starts_with("Oracle Instant Client not found (DPI-1047)"),
            "{m}"
        );
        assert!(
            m.contains(LIB_HINT.1)
                && m.contains("sql/export_snapshot.sql")
                && m.contains("scan --snapshot"),
            "{m}"
        );
        let m = explain_connect_error(
            &spec,
            Some(1017),
            None,
            "ORA-01017: invalid username/password",
        );
        assert!(
            m.contains("scott@ORCL")
                && m.contains("wrong user name or password")
                && m.contains("ORA-01017"),
            "{m}"
        );
        let m = explain_connect_error(&spec, Some(12154), None, "ORA-12154");
        assert!(m.contains("TNS_ADMIN"), "{m}");
        let m = explain_connect_error(&spec, Some(600), None, "ORA-00600: internal");
        assert_eq!(m, "connecting to scott@ORCL: ORA-00600: internal");
    }
}
