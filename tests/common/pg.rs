//! A throwaway PostgreSQL cluster for the integration tests.
//!
//! One cluster per test binary, started on first use: `initdb` into a temporary directory
//! (as the `postgres` user, through `runuser`, when the tests run as root), a server on a free
//! TCP port of 127.0.0.1 with its unix socket inside that directory, password (SCRAM)
//! authentication over TCP. A watchdog process stops the server and removes the directory as
//! soon as the test process is gone, whether the tests passed, failed or the process was
//! killed, so no cluster outlives its tests.
//!
//! Without PostgreSQL server binaries the tests fail with a message saying how to get them;
//! they never skip.

#![allow(dead_code)]

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The superuser's password inside the throwaway cluster.
pub const PASSWORD: &str = "charmig-test-pw";

pub struct Cluster {
    pub dir: PathBuf,
    pub port: u16,
    pub bin: PathBuf,
    as_postgres: bool,
    /// Set for the TLS cluster: its certificates.
    pub tls: Option<TlsFiles>,
}

/// The certificates of the TLS cluster, made by the test with the `openssl` command: a CA,
/// a server certificate it signed naming `localhost` only (not 127.0.0.1, so a host-name
/// mismatch can be tested), and a second CA that signed nothing.
#[derive(Clone)]
pub struct TlsFiles {
    pub ca: PathBuf,
    pub other_ca: PathBuf,
    pub server_crt: PathBuf,
    pub server_key: PathBuf,
    /// A client certificate for the role `certuser` (CN), signed by `ca`: that role may log in
    /// over TCP with it alone (pg_hba.conf `cert`).
    pub client_crt: PathBuf,
    pub client_key: PathBuf,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static TLS_CLUSTER: OnceLock<Cluster> = OnceLock::new();

/// The cluster of this test binary, started on first use.
pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(|| Cluster::start(false))
}

/// A cluster with `ssl = on` that accepts TCP connections only over TLS (pg_hba.conf
/// `hostssl`), as a managed PostgreSQL does. The harness itself uses the unix socket.
pub fn tls_cluster() -> &'static Cluster {
    TLS_CLUSTER.get_or_init(|| Cluster::start(true))
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!("run openssl ({e}): run the tests with ./scripts/test.sh, which installs Debian's openssl")
        });
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Makes the test certificates in `dir` (P-256 keys: fast to make).
fn make_certificates(dir: &Path) -> TlsFiles {
    std::fs::create_dir_all(dir).unwrap();
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    for (name, cn) in [
        ("ca", "charmig test CA"),
        ("other_ca", "charmig unrelated CA"),
    ] {
        let mut a = vec!["req", "-x509"];
        a.extend(ec);
        let (key, crt, subj) = (
            format!("{name}.key"),
            format!("{name}.crt"),
            format!("/CN={cn}"),
        );
        a.extend([
            "-keyout",
            &key,
            "-out",
            &crt,
            "-days",
            "3",
            "-subj",
            &subj,
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        openssl(dir, &a);
    }
    let mut a = vec!["req"];
    a.extend(ec);
    a.extend([
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ]);
    openssl(dir, &a);
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "3",
            "-extfile",
            "server.ext",
        ],
    );
    let mut a = vec!["req"];
    a.extend(ec);
    a.extend([
        "-keyout",
        "client.key",
        "-out",
        "client.csr",
        "-subj",
        "/CN=certuser",
    ]);
    openssl(dir, &a);
    std::fs::write(dir.join("client.ext"), "extendedKeyUsage=clientAuth\n").unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "client.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "client.crt",
            "-days",
            "3",
            "-extfile",
            "client.ext",
        ],
    );
    use std::os::unix::fs::PermissionsExt;
    for key in ["server.key", "client.key"] {
        std::fs::set_permissions(dir.join(key), std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    TlsFiles {
        ca: dir.join("ca.crt"),
        other_ca: dir.join("other_ca.crt"),
        server_crt: dir.join("server.crt"),
        server_key: dir.join("server.key"),
        client_crt: dir.join("client.crt"),
        client_key: dir.join("client.key"),
    }
}

fn find_bin() -> PathBuf {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join("initdb").is_file() && dir.join("postgres").is_file() {
                return dir;
            }
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    found.sort();
    match found.pop() {
        Some((_, bin)) => bin,
        None => panic!(
            "PostgreSQL server binaries (initdb, postgres) not found on PATH nor in /usr/lib/postgresql/*/bin: \
             run the tests with ./scripts/test.sh, which installs Debian's postgresql, or install it yourself"
        ),
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind a free port")
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `cmd` with every inherited descriptor above 2 closed (so a CI pipe is never held open
/// by the server), as the postgres user when needed.
fn detached(as_postgres: bool, program: &Path, args: &[String]) -> Command {
    let mut c = Command::new("bash");
    c.arg("-c")
        .arg(r#"for fd in /proc/$$/fd/*; do n=${fd##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-"; fi; done 2>/dev/null; exec "$@""#)
        .arg("bash");
    if as_postgres {
        c.args(["runuser", "-u", "postgres", "--"]);
    }
    c.arg(program).args(args);
    c
}

impl Cluster {
    // The watchdog and the server outlive this function on purpose: the watchdog reaps both.
    #[allow(clippy::zombie_processes)]
    fn start(with_tls: bool) -> Cluster {
        let bin = find_bin();
        let as_postgres = is_root();
        let dir =
            std::env::temp_dir().join(format!("charmig-pg-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&dir).expect("create the cluster directory");
        let tls = with_tls.then(|| make_certificates(&dir.join("tls")));
        std::fs::write(dir.join("pwfile"), format!("{PASSWORD}\n")).unwrap();
        if as_postgres {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .status()
                .map(|s| s.success());
            assert!(
                matches!(ok, Ok(true)),
                "chown {} to postgres failed: does the `postgres` user exist?",
                dir.display()
            );
        }
        let data = dir.join("data");
        // The watchdog first, so even a failed initdb leaves nothing behind.
        let watchdog = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.3; done; \
             if [ -f '{data}/postmaster.pid' ]; then p=$(head -1 '{data}/postmaster.pid'); kill -QUIT \"$p\" 2>/dev/null; \
               for i in $(seq 100); do kill -0 \"$p\" 2>/dev/null || break; sleep 0.1; done; kill -KILL \"$p\" 2>/dev/null; fi; \
             rm -rf '{dir}'",
            pid = std::process::id(),
            data = data.display(),
            dir = dir.display()
        );
        detached(
            false,
            Path::new("setsid"),
            &["bash".into(), "-c".into(), watchdog],
        )
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the cluster watchdog");

        let log = dir.join("initdb.log");
        let status = detached(
            as_postgres,
            &bin.join("initdb"),
            &[
                "-D".into(),
                data.display().to_string(),
                "-U".into(),
                "postgres".into(),
                "--auth-local=trust".into(),
                "--auth-host=scram-sha-256".into(),
                format!("--pwfile={}", dir.join("pwfile").display()),
                "-E".into(),
                "UTF8".into(),
                "--locale=C".into(),
                "-N".into(),
            ],
        )
        .stdin(Stdio::null())
        .stdout(File::create(&log).unwrap())
        .stderr(Stdio::from(
            File::options().append(true).open(&log).unwrap(),
        ))
        .status()
        .expect("run initdb");
        assert!(
            status.success(),
            "initdb failed:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );

        let mut extra: Vec<String> = Vec::new();
        if let Some(t) = &tls {
            // Writing into the existing file keeps its owner (the postgres user).
            std::fs::write(
                data.join("pg_hba.conf"),
                "local all all trust\n\
                 hostssl all certuser 127.0.0.1/32 cert\n\
                 hostssl all all 127.0.0.1/32 scram-sha-256\n\
                 hostssl all all ::1/128 scram-sha-256\n",
            )
            .unwrap();
            for (k, v) in [
                ("ssl", "on".to_string()),
                ("ssl_cert_file", t.server_crt.display().to_string()),
                ("ssl_key_file", t.server_key.display().to_string()),
                ("ssl_ca_file", t.ca.display().to_string()),
            ] {
                extra.extend(["-c".to_string(), format!("{k}={v}")]);
            }
        }
        for attempt in 0..3 {
            let port = free_port();
            let log = dir.join(format!("server-{attempt}.log"));
            let mut child = detached(
                as_postgres,
                &bin.join("postgres"),
                &[
                    "-D",
                    &data.display().to_string(),
                    "-p",
                    &port.to_string(),
                    "-k",
                    &dir.display().to_string(),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off",
                    "-c",
                    "max_connections=60",
                    "-c",
                    "shared_buffers=32MB",
                    "-c",
                    "autovacuum=off",
                ]
                .map(String::from)
                .into_iter()
                .chain(extra.iter().cloned())
                .collect::<Vec<_>>(),
            )
            .stdin(Stdio::null())
            .stdout(File::create(&log).unwrap())
            .stderr(Stdio::from(
                File::options().append(true).open(&log).unwrap(),
            ))
            .spawn()
            .expect("start postgres");
            let c = Cluster {
                dir: dir.clone(),
                port,
                bin: bin.clone(),
                as_postgres,
                tls: tls.clone(),
            };
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                if c.try_admin("postgres").is_ok() {
                    return c;
                }
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "postgres did not start in 30 s:\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
                std::thread::sleep(Duration::from_millis(100));
            }
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if !text.contains("could not bind") && !text.contains("in use") {
                panic!("postgres exited at start:\n{text}");
            }
        }
        panic!("postgres could not bind a free port in 3 attempts");
    }

    /// A connection URL for `db` with the superuser's password in it.
    pub fn url(&self, db: &str) -> String {
        format!(
            "postgres://postgres:{PASSWORD}@127.0.0.1:{}/{db}",
            self.port
        )
    }

    /// The same URL without a password (for PGPASSWORD / .pgpass / missing-password tests).
    pub fn url_no_password(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    fn try_admin(&self, db: &str) -> Result<postgres::Client, postgres::Error> {
        if self.tls.is_some() {
            // TCP takes only TLS there: the harness uses the unix socket (trust).
            return postgres::Config::new()
                .host_path(&self.dir)
                .port(self.port)
                .user("postgres")
                .dbname(db)
                .connect_timeout(Duration::from_secs(5))
                .connect(postgres::NoTls);
        }
        let url = self.url(db);
        url.parse::<postgres::Config>()
            .unwrap()
            .connect_timeout(Duration::from_secs(5))
            .connect(postgres::NoTls)
    }

    /// A superuser connection to `db`.
    pub fn admin(&self, db: &str) -> postgres::Client {
        self.try_admin(db)
            .unwrap_or_else(|e| panic!("connect to {db}: {e}"))
    }

    /// Creates a database in `encoding` (C locale, from template0), as `createdb -E … -T template0 --locale=C`.
    ///
    /// Tests of one binary create databases at the same time; PostgreSQL refuses a CREATE
    /// DATABASE while another copies the same template (SQLSTATE 55006), so that one is retried.
    pub fn create_db(&self, name: &str, encoding: &str) -> postgres::Client {
        self.create_database(
            name,
            &format!("ENCODING '{encoding}' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"),
        )
    }

    /// `CREATE DATABASE "name" <options>`, retried while another test copies the template
    /// (SQLSTATE 55006); a connection to it.
    pub fn create_database(&self, name: &str, options: &str) -> postgres::Client {
        let sql = format!("CREATE DATABASE \"{name}\" {options}");
        let mut admin = self.admin("postgres");
        let mut attempt = 0;
        loop {
            match admin.batch_execute(&sql) {
                Ok(()) => break,
                Err(e)
                    if attempt < 50
                        && e.code() == Some(&postgres::error::SqlState::OBJECT_IN_USE) =>
                {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => panic!(
                    "create database {name} ({options}): {}",
                    e.as_db_error()
                        .map(|d| format!("{}: {}", d.code().code(), d.message()))
                        .unwrap_or_else(|| e.to_string())
                ),
            }
        }
        self.admin(name)
    }
}

/// Inserts `(id, raw bytes)` rows into `table(id, column)`, the bytes taken as stored in
/// `encoding` (`convert_from(bytea, encoding)`: no conversion happens when it is the database's).
pub fn insert_raw(
    client: &mut postgres::Client,
    table: &str,
    column: &str,
    encoding: &str,
    rows: &[(i32, Option<&[u8]>)],
) {
    let sql =
        format!("INSERT INTO {table} (id, {column}) VALUES ($1, convert_from($2, '{encoding}'))");
    for (id, bytes) in rows {
        let v: Option<Vec<u8>> = bytes.map(<[u8]>::to_vec);
        client
            .execute(sql.as_str(), &[id, &v])
            .unwrap_or_else(|e| panic!("insert into {table}: {e}"));
    }
}

/// Runs the charmig binary with a clean libpq environment.
pub fn charmig(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_charmig"))
        .args(args)
        .env_remove("PGPASSWORD")
        .env_remove("PGHOST")
        .env_remove("PGUSER")
        .env("PGPASSFILE", "/nonexistent/charmig-test-pgpass")
        .stdin(Stdio::null())
        .output()
        .expect("run charmig")
}

pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs charmig; its exit code (-1 when killed) and its stdout and stderr together.
pub fn run_all(args: &[&str]) -> (i32, String) {
    let o = charmig(args);
    (
        o.status.code().unwrap_or(-1),
        format!("{}\n{}", String::from_utf8_lossy(&o.stdout), stderr(&o)),
    )
}

/// `charmig verify --from … --to … --out DIR`, as [`run_all`].
pub fn verify_into(from: &str, to: &str, out: &std::path::Path) -> (i32, String) {
    run_all(&[
        "verify",
        "--from",
        from,
        "--to",
        to,
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ])
}
