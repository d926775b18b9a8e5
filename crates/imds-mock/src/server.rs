//! The listening socket and the connections: one thread per connection (so a hanging one blocks
//! nobody), keep-alive, optional TLS, the per-request log line, counting, and choosing between
//! the normal answer and a fault for each request. What to answer comes from `routes` and
//! `control`; how a fault looks on the wire from `wire`.

use crate::control;
use crate::errors;
use crate::faults::{Fault, Rule};
use crate::fixture::Fixture;
use crate::http::{self, Conn, ReadError, Request, Timed, TimedStream};
use crate::response::{self, Response};
use crate::routes;
use crate::state::State;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long to wait after a failed `accept` (e.g. out of file descriptors).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);
/// The most connections served at once; one more is answered 503 and closed. With the head and
/// body limits (`http`), this bounds memory: 128 connections buffer at most 10 MiB; with the
/// time limit (`http::TIME_LIMIT`), a client that trickles its request holds one for at most
/// 10 s of waiting for it to begin, 10 s for its head and 10 s for its body.
pub const MAX_CONNECTIONS: usize = 128;
/// How long one write may wait for a client that does not take what is written to it; then the
/// connection is closed.
pub const WRITE_LIMIT: Duration = http::TIME_LIMIT;

/// The certificate chain and key for HTTPS, both PEM files.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// A bound, not yet serving, emulator.
pub struct Server {
    listener: TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    pub(super) state: Arc<State>,
    url: String,
    quiet: bool,
    /// Connections being served now.
    open: AtomicUsize,
}

/// Counts a connection as open while it lives.
struct Slot<'s>(&'s AtomicUsize);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Server {
    /// Binds `addr` (port 0 picks a free one) and prepares TLS when asked.
    pub fn bind(
        addr: SocketAddr,
        tls: Option<&TlsFiles>,
        fixture: Fixture,
        rules: Vec<Rule>,
        quiet: bool,
    ) -> Result<Server, String> {
        let tls = tls.map(tls_config).transpose()?;
        let listener =
            TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let local = listener
            .local_addr()
            .map_err(|e| format!("cannot read the listening address: {e}"))?;
        let authority = authority(local, tls.is_some());
        let scheme = if tls.is_some() { "https" } else { "http" };
        let state = State::new(fixture, rules, scheme, authority.clone());
        Ok(Server {
            listener,
            tls,
            state: Arc::new(state),
            url: format!("{scheme}://{authority}"),
            quiet,
            open: AtomicUsize::new(0),
        })
    }

    /// The base URL clients use, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Accepts connections forever, each on its own thread, at most [`MAX_CONNECTIONS`] at once.
    pub fn run(self) {
        let server = Arc::new(self);
        loop {
            match server.listener.accept() {
                Ok((stream, _)) => {
                    if server.open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                        server.open.fetch_sub(1, Ordering::SeqCst);
                        busy(stream);
                        continue;
                    }
                    let server = Arc::clone(&server);
                    std::thread::spawn(move || {
                        let _slot = Slot(&server.open);
                        server.connection(stream);
                    });
                }
                Err(e) => {
                    server.log(format_args!("accept failed: {e}"));
                    std::thread::sleep(ACCEPT_BACKOFF);
                }
            }
        }
    }

    fn connection(&self, stream: TcpStream) {
        let _ = stream.set_nodelay(true);
        let _ = stream.set_write_timeout(Some(WRITE_LIMIT));
        // Reads are held to the deadlines `Conn` sets, the TLS handshake's included.
        let stream = TimedStream::new(stream);
        match &self.tls {
            None => self.serve(Conn::new(stream)),
            Some(config) => match rustls::ServerConnection::new(Arc::clone(config)) {
                Ok(session) => self.serve(Conn::new(rustls::StreamOwned::new(session, stream))),
                Err(e) => self.log(format_args!("tls setup failed: {e}")),
            },
        }
    }

    /// Answers requests on one connection until it closes or a fault ends it.
    fn serve<S: Socket>(&self, mut conn: Conn<S>) {
        loop {
            let request = match conn.read_request() {
                Ok(r) => r,
                Err(e) => {
                    refuse(&mut conn.stream, e);
                    return;
                }
            };
            let started = Instant::now();
            let keep_open = if request.path.starts_with(control::PREFIX) {
                let response = control::handle(&self.state, &request);
                self.answer(&mut conn, &request, response, started)
            } else {
                self.service(&mut conn, &request, started)
            };
            if !keep_open {
                conn.stream.close();
                return;
            }
        }
    }

    /// Answers a service request as the fault plan says; whether the connection stays open.
    fn service<S: Socket>(&self, conn: &mut Conn<S>, request: &Request, started: Instant) -> bool {
        self.state.counts().record(&request.method, &request.path);
        let plan = self.state.faults().plan(&request.path);
        if !plan.latency.is_zero() {
            std::thread::sleep(plan.latency);
        }
        match plan.fault {
            None => {
                let response = routes::service(&self.state, request);
                self.answer(conn, request, response, started)
            }
            Some(Fault::Status {
                status,
                retry_after,
            }) => {
                let response = errors::fault_status(status, retry_after);
                self.answer(conn, request, response, started)
            }
            Some(Fault::NotJson) => self.not_json(conn, request, started),
            Some(Fault::Drop) => self.drop_connection(request, started),
            Some(Fault::Hang) => self.hang(conn, request, started),
            Some(Fault::Truncate) => self.truncate(conn, request, started),
            Some(Fault::Oversize { bytes, chunked }) => {
                self.oversize(conn, request, bytes, chunked, started)
            }
            Some(Fault::Latency(_) | Fault::TokenTtl(_) | Fault::BadChain(_)) => {
                unreachable!("never terminal")
            }
        }
    }

    /// Writes a response and logs it; whether the connection stays open.
    pub(super) fn answer<S: Socket>(
        &self,
        conn: &mut Conn<S>,
        request: &Request,
        response: Response,
        started: Instant,
    ) -> bool {
        let sent = response::write_response(
            &mut conn.stream,
            &response,
            request.keep_alive,
            request.is_head(),
        );
        self.log_request(request, &response.status.to_string(), started);
        sent.is_ok() && request.keep_alive
    }

    /// One line per request: method, path (never the query or headers, so never a token),
    /// outcome, milliseconds.
    pub(super) fn log_request(&self, request: &Request, outcome: &str, started: Instant) {
        self.log(format_args!(
            "{} {} {} {}ms",
            request.method,
            request.path,
            outcome,
            started.elapsed().as_millis()
        ));
    }

    fn log(&self, message: std::fmt::Arguments<'_>) {
        if !self.quiet {
            let _ = writeln!(io::stderr().lock(), "imds-mock: {message}");
        }
    }
}

/// A connection's byte stream, plain or TLS, that can be cut off.
pub trait Socket: Timed {
    /// Closes both directions now, without a TLS goodbye: the client sees the connection end.
    fn close(&mut self);
}

impl Socket for TimedStream {
    fn close(&mut self) {
        let _ = self.tcp().shutdown(Shutdown::Both);
    }
}

impl Timed for rustls::StreamOwned<rustls::ServerConnection, TimedStream> {
    fn set_deadline(&mut self, at: Option<Instant>) {
        self.sock.set_deadline(at);
    }
}

impl Socket for rustls::StreamOwned<rustls::ServerConnection, TimedStream> {
    fn close(&mut self) {
        self.sock.close();
    }
}

/// Answers a request that could not be read, and closes: 400 for bytes that are not a request,
/// 431, 413 or 408 for one over a limit. The code is the catalogue's for a body "unparseable or
/// too large" (docs/SERVICE.md §5).
fn refuse(stream: &mut impl Socket, why: ReadError) {
    let (status, message) = match why {
        ReadError::Closed | ReadError::Io(_) => return,
        ReadError::Malformed(why) => (400, format!("The request was malformed: {why}.")),
        ReadError::HeadTooLarge => (
            431,
            format!(
                "The request head is too large: at most {} bytes.",
                http::MAX_HEAD_BYTES
            ),
        ),
        ReadError::TooLarge => (
            413,
            format!(
                "The request body is too large: at most {} bytes.",
                http::MAX_BODY_BYTES
            ),
        ),
        ReadError::TimedOut => (
            408,
            format!(
                "The request did not arrive in time: its head and its body must each arrive within {} seconds.",
                http::TIME_LIMIT.as_secs()
            ),
        ),
    };
    let r = errors::error(status, "invalid_request", &message, None);
    let _ = response::write_response(stream, &r, false, false);
    stream.close();
}

/// Answers a connection over [`MAX_CONNECTIONS`] with 503 and `Retry-After: 1`, on the accepting
/// thread and without waiting for it. What the client already sent is read first, so closing
/// does not reset the connection before the client reads the answer.
fn busy(mut stream: TcpStream) {
    let _ = stream.set_nonblocking(true);
    let mut sink = [0u8; 4096];
    for _ in 0..16 {
        if !matches!(stream.read(&mut sink), Ok(n) if n > 0) {
            break;
        }
    }
    let r = errors::error(
        503,
        "service_error",
        &format!("Too many connections: at most {MAX_CONNECTIONS} are served at once."),
        None,
    )
    .with_header("Retry-After", "1");
    let _ = response::write_response(&mut stream, &r, false, false);
    let _ = stream.shutdown(Shutdown::Write);
}

/// `host:port` as clients should write it: `localhost` in TLS mode on loopback (the test
/// certificate's name), the loopback address for a wildcard bind.
fn authority(local: SocketAddr, tls: bool) -> String {
    let port = local.port();
    let ip = match local.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    if tls && ip.is_loopback() {
        return format!("localhost:{port}");
    }
    match ip {
        IpAddr::V4(v4) => format!("{v4}:{port}"),
        IpAddr::V6(v6) => format!("[{v6}]:{port}"),
    }
}

fn tls_config(files: &TlsFiles) -> Result<Arc<rustls::ServerConfig>, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(&files.cert)
        .and_then(|iter| iter.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("cannot read certificate {}: {e}", files.cert.display()))?;
    if certs.is_empty() {
        return Err(format!("no certificate in {}", files.cert.display()));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .map_err(|e| format!("cannot read private key {}: {e}", files.key.display()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("tls: {e}"))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| {
            format!(
                "certificate {} and key {} do not fit: {e}",
                files.cert.display(),
                files.key.display()
            )
        })?;
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_names_what_clients_can_reach() {
        let a = |s: &str, tls| authority(s.parse().unwrap(), tls);
        assert_eq!(a("127.0.0.1:80", false), "127.0.0.1:80");
        assert_eq!(a("0.0.0.0:80", false), "127.0.0.1:80");
        assert_eq!(a("[::]:80", false), "[::1]:80");
        assert_eq!(a("127.0.0.1:443", true), "localhost:443");
        assert_eq!(a("10.0.0.5:443", true), "10.0.0.5:443");
    }
}
