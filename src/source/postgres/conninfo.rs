//! PostgreSQL connection strings, read the way a DBA types them: the URL form
//! (`postgres://user:password@host:port/db?sslmode=require`) and libpq's `key=value` form,
//! turned into a list of libpq parameters.
//!
//! Why charmig reads them itself instead of handing them to the driver:
//! - a password holding `@` (`postgres://u:Hunter2@TopSecret@host/x`) must end at the *last*
//!   `@` of the authority, or a piece of it becomes the host name and reaches a message;
//! - the TLS parameters (`sslmode=verify-full`, `sslrootcert`, `sslcert`, `sslkey`) are
//!   charmig's to apply (see `tls`), the driver knows only three modes;
//! - no error may echo the input: it may hold a password. Messages name the parameter and the
//!   expected form, never a value taken from the string.
//!
//! A `@`, `?` or `#` inside a password may be percent-encoded (`%40`); `/` and `:` need not be.

/// Parameters charmig understands (libpq's names). Anything else is refused by name.
const KNOWN: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "user",
    "password",
    "dbname",
    "connect_timeout",
    "application_name",
    "options",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_retries",
    "tcp_user_timeout",
    "target_session_attrs",
    "channel_binding",
    "load_balance_hosts",
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslnegotiation",
];

/// A connection string that cannot be read. Never holds a value from the string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConnInfoError(pub String);

impl std::fmt::Display for ConnInfoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn fail<T>(what: &str) -> Result<T, ConnInfoError> {
    Err(ConnInfoError(format!(
        "{what} (expected postgres://user@host:5432/dbname?sslmode=require; a password holding \
         `?` or `#` must be percent-encoded: `?` is %3F, `#` is %23)"
    )))
}

fn scheme_rest(s: &str) -> Option<&str> {
    ["postgresql://", "postgres://"].iter().find_map(|p| {
        s.get(..p.len())
            .filter(|h| h.eq_ignore_ascii_case(p))
            .map(|_| &s[p.len()..])
    })
}

/// Reads a connection string into `(parameter, value)` pairs, in the order written (a later
/// one wins). Parameter names are checked against libpq's.
pub(crate) fn parse(input: &str) -> Result<Vec<(String, String)>, ConnInfoError> {
    let s = input.trim();
    let params = match scheme_rest(s) {
        Some(rest) => parse_url(rest)?,
        None if s.contains("://") => {
            return Err(ConnInfoError(
                "unsupported database URL scheme: charmig reads postgres:// (or postgresql://) \
                 and Oracle connect strings"
                    .into(),
            ));
        }
        None => parse_key_values(s)?,
    };
    for (k, _) in &params {
        if !KNOWN.contains(&k.as_str()) {
            let shown: String = k
                .chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .take(40)
                .collect();
            return Err(ConnInfoError(format!(
                "unknown connection parameter `{shown}` (charmig knows: {})",
                KNOWN.join(", ")
            )));
        }
    }
    Ok(params)
}

fn parse_url(rest: &str) -> Result<Vec<(String, String)>, ConnInfoError> {
    let mut out = Vec::new();
    // The query starts at the first `?` after the credentials; the credentials end at the
    // last `@` before that `?` (a password may hold `@`, `/` and `:`).
    let (before_query, query) = match rest.find('?') {
        Some(q) => (&rest[..q], Some(&rest[q + 1..])),
        None => (rest, None),
    };
    if query.is_some_and(|q| q.contains('@')) {
        // Most likely a password holding `?`: showing what follows would show part of it.
        return fail("the URL has `@` after `?`");
    }
    let (userinfo, after) = match before_query.rfind('@') {
        Some(at) => (Some(&before_query[..at]), &before_query[at + 1..]),
        None => (None, before_query),
    };
    if let Some(info) = userinfo {
        let (user, password) = match info.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (info, None),
        };
        if !user.is_empty() {
            out.push(("user".into(), decode(user, "user name")?));
        }
        if let Some(p) = password {
            out.push(("password".into(), decode(p, "password")?));
        }
    }
    let (hostlist, path) = match after.find('/') {
        Some(p) => (&after[..p], Some(&after[p + 1..])),
        None => (after, None),
    };
    if !hostlist.is_empty() {
        let mut hosts = Vec::new();
        let mut ports = Vec::new();
        for spec in hostlist.split(',') {
            let (host, port) = split_host_port(spec)?;
            hosts.push(decode(host, "host name")?);
            ports.push(port.to_string());
        }
        if hosts.iter().any(|h| !h.is_empty()) {
            out.push(("host".into(), hosts.join(",")));
        }
        if ports.iter().any(|p| !p.is_empty()) {
            out.push(("port".into(), ports.join(",")));
        }
    }
    if let Some(db) = path.filter(|d| !d.is_empty()) {
        out.push(("dbname".into(), decode(db, "database name")?));
    }
    for pair in query.into_iter().flat_map(|q| q.split('&')) {
        if pair.is_empty() {
            continue;
        }
        let Some((k, v)) = pair.split_once('=') else {
            return fail("a query parameter of the URL has no `=value`");
        };
        let key = decode(k, "query parameter name")?;
        let value = decode(v, "query parameter value")?;
        out.push((key, value));
    }
    Ok(out)
}

/// `host`, `host:port`, `[::1]:port`; the port must be digits.
fn split_host_port(spec: &str) -> Result<(&str, &str), ConnInfoError> {
    let (host, port) = if let Some(v6) = spec.strip_prefix('[') {
        let Some(end) = v6.find(']') else {
            return fail("an IPv6 host address of the URL lacks its closing `]`");
        };
        let tail = &v6[end + 1..];
        let port = match tail.strip_prefix(':') {
            Some(p) => p,
            None if tail.is_empty() => "",
            None => return fail("unexpected text after an IPv6 host address of the URL"),
        };
        (&v6[..end], port)
    } else {
        match spec.rsplit_once(':') {
            Some((h, p)) => (h, p),
            None => (spec, ""),
        }
    };
    if !port.bytes().all(|b| b.is_ascii_digit()) || port.len() > 5 {
        return fail("the port of the URL is not a number");
    }
    if !port.is_empty() && port.parse::<u16>().is_err() {
        return fail("the port of the URL is out of range");
    }
    Ok((host, port))
}

/// Percent-decoding; the result must be UTF-8. `what` names the part in the error.
fn decode(s: &str, what: &str) -> Result<String, ConnInfoError> {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            match (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => {
                    return fail(&format!(
                        "invalid percent-encoding in the {what} of the URL"
                    ));
                }
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out)
        .or_else(|_| fail(&format!("the {what} of the URL is not UTF-8 once decoded")))
}

/// libpq's `key=value key='quoted \' value'` form.
fn parse_key_values(s: &str) -> Result<Vec<(String, String)>, ConnInfoError> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return fail(
                "a connection parameter lacks `=` (write key=value, or a postgres:// URL)",
            );
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            loop {
                match chars.next() {
                    Some('\'') => break,
                    Some('\\') => value.extend(chars.next()),
                    Some(c) => value.push(c),
                    None => return fail("a quoted connection parameter value is not closed"),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                chars.next();
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        out.push((key, value));
    }
}

/// Writes parameters back in the `key='value'` form the driver parses.
pub(crate) fn to_key_values(params: &[(String, String)]) -> String {
    let mut s = String::new();
    for (k, v) in params {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(k);
        s.push_str("='");
        for c in v.chars() {
            if c == '\'' || c == '\\' {
                s.push('\\');
            }
            s.push(c);
        }
        s.push('\'');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(p: &'a [(String, String)], k: &str) -> Option<&'a str> {
        p.iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn password_with_at_ends_at_the_last_at() {
        let p = parse("postgres://u:Hunter2@TopSecret@db.example:6543/x").unwrap();
        assert_eq!(get(&p, "user"), Some("u"));
        assert_eq!(get(&p, "password"), Some("Hunter2@TopSecret"));
        assert_eq!(get(&p, "host"), Some("db.example"));
        assert_eq!(get(&p, "port"), Some("6543"));
        assert_eq!(get(&p, "dbname"), Some("x"));
        let p = parse("postgresql://u:pa/ss:w@h/db").unwrap();
        assert_eq!(get(&p, "password"), Some("pa/ss:w"));
        assert_eq!(get(&p, "host"), Some("h"));
        let p = parse("postgres://u:p%3Fw%40x@h/db").unwrap();
        assert_eq!(get(&p, "password"), Some("p?w@x"));
    }

    #[test]
    fn url_parts_and_query() {
        let p = parse(
            "postgres://app%40corp@[::1]:5433,db2/sales%20db?sslmode=verify-full&sslrootcert=/etc/ca%20x.pem&application_name=x",
        )
        .unwrap();
        assert_eq!(get(&p, "user"), Some("app@corp"));
        assert_eq!(get(&p, "host"), Some("::1,db2"));
        assert_eq!(get(&p, "port"), Some("5433,"));
        assert_eq!(get(&p, "dbname"), Some("sales db"));
        assert_eq!(get(&p, "sslmode"), Some("verify-full"));
        assert_eq!(get(&p, "sslrootcert"), Some("/etc/ca x.pem"));
        assert_eq!(get(&p, "password"), None);
        let p = parse("postgres:///inventory?host=%2Frun%2Fpg").unwrap();
        assert_eq!(get(&p, "host"), Some("/run/pg"));
        assert_eq!(get(&p, "dbname"), Some("inventory"));
        assert!(parse("postgres://").unwrap().is_empty());
    }

    #[test]
    fn key_value_form() {
        let p = parse(r"host=db port=5433 password='it''s' user = 'o\'neil' sslmode=require").err();
        // `'it''s'` is not libpq syntax either: the second quote closes, then `'s'` lacks `=`.
        assert!(p.is_some());
        let p = parse(r"host=db port=5433 password='a b\'c' user = bob sslmode=require").unwrap();
        assert_eq!(get(&p, "password"), Some("a b'c"));
        assert_eq!(get(&p, "user"), Some("bob"));
        assert_eq!(get(&p, "sslmode"), Some("require"));
        let back = to_key_values(&p);
        assert_eq!(parse(&back).unwrap(), p);
    }

    #[test]
    fn errors_name_the_part_not_the_value() {
        for (url, says) in [
            ("postgres://u:s3cr3t?x@h/db", "`@` after `?`"),
            ("postgres://u:s3cr3t@h:x/db", "port"),
            ("postgres://u:s3cr3t@h:99999/db", "out of range"),
            (
                "postgres://u:s3cr3t@h/db?bogus=1",
                "unknown connection parameter `bogus`",
            ),
            (
                "postgres://u:s3cr%zzt@h/db",
                "percent-encoding in the password",
            ),
            ("mysql://u:s3cr3t@h/db", "unsupported database URL scheme"),
            ("postgres://u:s3cr3t@h/db?sslmode", "no `=value`"),
        ] {
            let e = parse(url).unwrap_err().to_string();
            assert!(e.contains(says), "{url}: {e}");
            assert!(
                !e.contains("s3cr"),
                "{url}: the error shows the password: {e}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]
        /// Any input: no panic, and a password never appears in an error.
        #[test]
        fn never_panics_nor_echoes_the_password(
            user in "[a-z]{0,6}",
            pw in "[A-Za-z0-9@:/?#%&=\\[\\],.]{0,10}[A-Z]{8}",
            host in "\\PC{0,12}",
            tail in "\\PC{0,24}",
        ) {
            let url = format!("postgres://{user}:{pw}@{host}{tail}");
            match parse(&url) {
                Ok(p) => {
                    // The host never holds a piece of a password that has no `?` or `#`.
                    if !pw.contains(['?', '#', '%']) && !host.contains(['?', '@']) && !tail.contains('@') {
                        let h = get(&p, "host").unwrap_or("");
                        proptest::prop_assert!(!h.contains(&pw[pw.len() - 8..]), "host {h:?} from {url:?}");
                    }
                }
                Err(e) => {
                    let text = e.to_string();
                    proptest::prop_assert!(!text.contains(&pw[pw.len() - 8..]), "{text}");
                }
            }
            let _ = parse(&tail);
            let _ = parse(&format!("postgres://{tail}"));
        }
    }
}
