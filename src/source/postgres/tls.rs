//! TLS for every PostgreSQL connection charmig opens, with libpq's conventions: `sslmode`
//! (disable, allow, prefer, require, verify-ca, verify-full; `prefer` by default), `sslrootcert`
//! (a PEM file, or `system` for the operating system's CA bundle), `sslcert`/`sslkey` (client
//! certificate), from the connection string or from PGSSLMODE, PGSSLROOTCERT, PGSSLCERT,
//! PGSSLKEY, and libpq's default files `~/.postgresql/root.crt`, `postgresql.crt`,
//! `postgresql.key`.
//!
//! Built on rustls (through tokio-postgres-rustls, with the ring provider): pure Rust, linked
//! into the binary, so charmig needs no libssl at run time on the database host.
//!
//! As in libpq: `prefer` and `require` encrypt without checking the server's certificate,
//! except that `require` checks it against the root certificate when one exists (libpq's
//! rule: then it behaves as `verify-ca`); `verify-ca` checks the chain; `verify-full` checks
//! the chain and that the certificate names the host connected to.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{WebPkiServerVerifier, verify_server_cert_signed_by_trust_anchor};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error as TlsError, RootCertStore};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub(crate) fn parse(s: &str) -> Option<SslMode> {
        Some(match s {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }
    pub(crate) fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// The TLS settings as written (connection string, else environment); files not read yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TlsParams {
    pub mode: Option<String>,
    pub rootcert: Option<String>,
    pub cert: Option<String>,
    pub key: Option<String>,
}

/// What a connection uses: the mode in force and the connector that carries it out.
#[derive(Clone)]
pub(crate) struct Tls {
    /// The mode in force (`require` with a root certificate is reported as `verify-ca`).
    pub mode: SslMode,
    /// `sslmode=verify-full, sslrootcert=/etc/ca.pem` for messages and `charmig doctor`.
    pub summary: String,
    /// The root certificate file in use, if any (named in certificate errors).
    pub rootcert: Option<String>,
    pub connector: MakeRustlsConnect,
}

/// Reads the TLS settings: `env` gives PGSSL*, `home` the user's home (libpq's default files).
pub(crate) fn resolve(
    p: &TlsParams,
    env: &dyn Fn(&str) -> Option<String>,
    home: Option<&Path>,
) -> Result<Tls, String> {
    let mode_text = p
        .mode
        .clone()
        .or_else(|| env("PGSSLMODE"))
        .unwrap_or_else(|| "prefer".into());
    let mut mode = SslMode::parse(&mode_text).ok_or_else(|| {
        format!(
            "invalid sslmode `{}`: use disable, allow, prefer, require, verify-ca or verify-full",
            crate::report::term::escape(&mode_text)
        )
    })?;
    let dot = home.map(|h| h.join(".postgresql"));
    let default = |name: &str| dot.as_ref().map(|d| d.join(name)).filter(|f| f.exists());
    let rootcert: Option<String> = p
        .rootcert
        .clone()
        .or_else(|| env("PGSSLROOTCERT"))
        .or_else(|| default("root.crt").map(|f| f.display().to_string()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = match &rootcert {
        Some(f) if mode != SslMode::Disable => Some(load_roots(f)?),
        _ => None,
    };
    if mode == SslMode::Require && roots.is_some() {
        mode = SslMode::VerifyCa;
    }
    let verifier: Arc<dyn ServerCertVerifier> = match (mode, roots) {
        (SslMode::VerifyCa | SslMode::VerifyFull, None) => {
            return Err(format!(
                "sslmode={} needs the certificate of the CA that signed the server's certificate, and none was given \
                 (the default {} does not exist): set sslrootcert=FILE in the URL or PGSSLROOTCERT, use \
                 sslrootcert=system for the operating system's trusted CAs, or use sslmode=require to encrypt \
                 without checking the certificate",
                mode.name(),
                dot.map(|d| d.join("root.crt").display().to_string())
                    .unwrap_or_else(|| "~/.postgresql/root.crt".into())
            ));
        }
        (SslMode::VerifyCa | SslMode::VerifyFull, Some(roots)) => Arc::new(Verify {
            roots: roots.clone(),
            check_name: mode == SslMode::VerifyFull,
            webpki: WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| format!("cannot use the root certificates: {e}"))?,
            provider: provider.clone(),
        }),
        _ => Arc::new(NoCheck(provider.clone())),
    };
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let cert = p.cert.clone().or_else(|| env("PGSSLCERT"));
    let key = p.key.clone().or_else(|| env("PGSSLKEY"));
    let (cert, key, explicit) = match (cert, key) {
        (None, None) => (
            default("postgresql.crt"),
            dot.as_ref().map(|d| d.join("postgresql.key")),
            false,
        ),
        (c, k) => (
            c.map(PathBuf::from).or_else(|| default("postgresql.crt")),
            k.map(PathBuf::from)
                .or_else(|| dot.as_ref().map(|d| d.join("postgresql.key"))),
            true,
        ),
    };
    let config = match (cert, key) {
        (Some(c), Some(k)) if mode != SslMode::Disable => {
            let chain = CertificateDer::pem_file_iter(&c)
                .and_then(|i| i.collect::<Result<Vec<_>, _>>())
                .map_err(|e| {
                    format!(
                        "sslcert {}: cannot read the client certificate: {e}",
                        c.display()
                    )
                })?;
            let pk = PrivateKeyDer::from_pem_file(&k).map_err(|e| {
                format!(
                    "sslkey {}: cannot read the client key: {e} (an encrypted key is not supported: \
                     `openssl pkey -in KEY -out KEY.plain` writes it unencrypted, mode 0600)",
                    k.display()
                )
            })?;
            builder
                .with_client_auth_cert(chain, pk)
                .map_err(|e| format!("sslcert/sslkey: {e}"))?
        }
        (None, Some(_)) | (Some(_), None) if explicit => {
            return Err("sslcert and sslkey go together: give both files".into());
        }
        _ => builder.with_no_client_auth(),
    };
    let summary = match &rootcert {
        Some(r) if mode != SslMode::Disable => format!("sslmode={}, sslrootcert={r}", mode.name()),
        _ => format!("sslmode={}", mode.name()),
    };
    Ok(Tls {
        mode,
        summary,
        rootcert: rootcert.filter(|_| mode != SslMode::Disable),
        connector: MakeRustlsConnect::new(config),
    })
}

/// Root certificates from a PEM file, or the system's bundle for `system`.
fn load_roots(file: &str) -> Result<RootCertStore, String> {
    let path = if file == "system" {
        std::env::var("SSL_CERT_FILE")
            .ok()
            .map(PathBuf::from)
            .or_else(|| {
                [
                    "/etc/ssl/certs/ca-certificates.crt",
                    "/etc/pki/tls/certs/ca-bundle.crt",
                    "/etc/ssl/cert.pem",
                ]
                .iter()
                .map(PathBuf::from)
                .find(|p| p.exists())
            })
            .ok_or("sslrootcert=system: no CA bundle found (looked at SSL_CERT_FILE, \
                    /etc/ssl/certs/ca-certificates.crt, /etc/pki/tls/certs/ca-bundle.crt, /etc/ssl/cert.pem)")?
    } else {
        PathBuf::from(file)
    };
    let certs = CertificateDer::pem_file_iter(&path)
        .and_then(|i| i.collect::<Result<Vec<_>, _>>())
        .map_err(|e| {
            format!(
                "sslrootcert {}: cannot read the root certificate: {e} (give the PEM file of the CA that \
                 signed the server's certificate)",
                path.display()
            )
        })?;
    let mut store = RootCertStore::empty();
    let (added, _) = store.add_parsable_certificates(certs);
    if added == 0 {
        return Err(format!(
            "sslrootcert {}: no certificate in it (expected PEM, -----BEGIN CERTIFICATE-----)",
            path.display()
        ));
    }
    Ok(store)
}

/// `prefer` / `require` without a root certificate: encrypt, check the handshake signatures,
/// but not who signed the certificate (libpq does the same).
#[derive(Debug)]
struct NoCheck(Arc<CryptoProvider>);

/// `verify-ca` / `verify-full`.
#[derive(Debug)]
struct Verify {
    roots: RootCertStore,
    check_name: bool,
    webpki: Arc<WebPkiServerVerifier>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for NoCheck {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

impl ServerCertVerifier for Verify {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
        if self.check_name {
            return self.webpki.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp,
                now,
            );
        }
        // verify-ca: the chain only, whatever name the certificate carries.
        let cert = rustls::server::ParsedCertificate::try_from(end_entity)?;
        verify_server_cert_signed_by_trust_anchor(
            &cert,
            &self.roots,
            intermediates,
            now,
            self.provider.signature_verification_algorithms.all,
        )?;
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

/// The rustls error inside a driver error, if the failure was TLS's.
pub(crate) fn tls_error(e: &postgres::Error) -> Option<TlsError> {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(t) = s.downcast_ref::<TlsError>() {
            return Some(t.clone());
        }
        if let Some(inner) = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|i| i.downcast_ref::<TlsError>())
        {
            return Some(inner.clone());
        }
        source = s.source();
    }
    None
}

/// What a TLS failure means and what to do, or `None` for other failures.
pub(crate) fn explain(tls: &Tls, host: &str, e: &postgres::Error) -> Option<String> {
    let root = tls.rootcert.as_deref().unwrap_or("(none)");
    if let Some(t) = tls_error(e) {
        let cert = match &t {
            TlsError::InvalidCertificate(c) => Some(c),
            _ => None,
        };
        return Some(match cert {
            Some(CertificateError::UnknownIssuer | CertificateError::BadSignature) => format!(
                "the server's certificate is not signed by a CA in sslrootcert {root} ({t}): set sslrootcert to the \
                 PEM file of the CA that signed the server's certificate (ask the server's DBA or cloud provider for \
                 the CA bundle), or use sslmode=require to encrypt without checking the certificate"
            ),
            Some(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            ) => format!(
                "the server's certificate does not name the host `{host}` ({t}): connect with the host name the \
                 certificate was issued for (keep the address with hostaddr=IP), or use sslmode=verify-ca to check \
                 only the CA"
            ),
            Some(
                CertificateError::Expired
                | CertificateError::ExpiredContext { .. }
                | CertificateError::NotValidYet
                | CertificateError::NotValidYetContext { .. },
            ) => format!(
                "the server's certificate is outside its validity dates ({t}): renew the server's certificate, \
                 or check this machine's clock"
            ),
            _ => format!(
                "TLS handshake failed ({t}) with {}: check the server's ssl settings and certificate",
                tls.summary
            ),
        });
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&s.to_string());
        source = s.source();
    }
    if text.contains("server does not support TLS") {
        return Some(format!(
            "the server does not accept TLS connections (ssl = off) but {} requires it: enable ssl in the \
             server's postgresql.conf, or use sslmode=prefer (TLS when offered) or sslmode=disable",
            tls.summary
        ));
    }
    None
}
