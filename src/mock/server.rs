//! The listening socket and the connections: one thread per connection (so a hanging one blocks
//! nobody), keep-alive, optional TLS, the per-request log line, counting, and carrying out the
//! fault plan on the wire. What to answer comes from `routes` and `control`.

use super::control;
use super::errors::{self, JSON};
use super::faults::{Fault, Rule};
use super::fixture::Fixture;
use super::http::{self, Conn, Framing, ReadError, Request, Response};
use super::routes;
use super::state::State;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Size of each write of an `oversize` body.
const OVERSIZE_CHUNK: usize = 64 * 1024;
/// How long to wait after a failed `accept` (e.g. out of file descriptors).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);
/// The body of a `not_json` answer: what a captive portal or a wrong server might send.
const NOT_JSON_BODY: &str =
    "<html><head><title>It works!</title></head><body>It works!</body></html>\n";

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
    state: Arc<State>,
    url: String,
    quiet: bool,
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
        })
    }

    /// The base URL clients use, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Accepts connections forever, each on its own thread.
    pub fn run(self) {
        let server = Arc::new(self);
        loop {
            match server.listener.accept() {
                Ok((stream, _)) => {
                    let server = Arc::clone(&server);
                    std::thread::spawn(move || server.connection(stream));
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
                Err(ReadError::Closed | ReadError::Io(_)) => return,
                Err(ReadError::Malformed(why)) => {
                    let r = errors::error(
                        400,
                        "invalid_request",
                        &format!("The request was malformed: {why}."),
                        None,
                    );
                    let _ = http::write_response(&mut conn.stream, &r, false, false);
                    conn.stream.close();
                    return;
                }
                Err(ReadError::TooLarge) => {
                    // The catalogue's answer to a body "unparseable or too large" (spec §5).
                    let r = errors::error(
                        400,
                        "invalid_request",
                        "The request body is too large.",
                        None,
                    );
                    let _ = http::write_response(&mut conn.stream, &r, false, false);
                    conn.stream.close();
                    return;
                }
            };
            let started = Instant::now();
            if request.path.starts_with(control::PREFIX) {
                let response = control::handle(&self.state, &request);
                let sent = http::write_response(
                    &mut conn.stream,
                    &response,
                    request.keep_alive,
                    request.is_head(),
                );
                self.log_request(&request, &response.status.to_string(), started);
                if sent.is_err() || !request.keep_alive {
                    conn.stream.close();
                    return;
                }
                continue;
            }
            self.state.counts().record(&request.method, &request.path);
            let plan = self.state.faults().plan(&request.path);
            if !plan.latency.is_zero() {
                std::thread::sleep(plan.latency);
            }
            let keep_open = match plan.fault {
                None => self.answer(
                    &mut conn,
                    &request,
                    routes::service(&self.state, &request),
                    started,
                ),
                Some(Fault::Status {
                    status,
                    retry_after,
                }) => self.answer(
                    &mut conn,
                    &request,
                    errors::fault_status(status, retry_after),
                    started,
                ),
                Some(Fault::NotJson) => {
                    let r = Response::new(200, "text/html; charset=utf-8", NOT_JSON_BODY.into());
                    self.answer(&mut conn, &request, r, started)
                }
                Some(Fault::Drop) => {
                    self.log_request(&request, "dropped", started);
                    false
                }
                Some(Fault::Hang) => {
                    self.log_request(&request, "hanging", started);
                    conn.hold_until_closed();
                    false
                }
                Some(Fault::Truncate) => {
                    let r = routes::service(&self.state, &request);
                    let length = Framing::Length(r.body.len() as u64);
                    let mut bytes = http::head(r.status, &r.headers, length, true);
                    if !request.is_head() {
                        bytes.extend_from_slice(&r.body[..r.body.len() / 2]);
                    }
                    let _ = conn
                        .stream
                        .write_all(&bytes)
                        .and_then(|()| conn.stream.flush());
                    self.log_request(&request, &format!("{} truncated", r.status), started);
                    false
                }
                Some(Fault::Oversize { bytes, chunked }) => {
                    let framing = if chunked {
                        Framing::Chunked
                    } else {
                        Framing::Length(bytes)
                    };
                    let body = (!request.is_head()).then_some(bytes);
                    let sent = oversize(&mut conn.stream, framing, body, request.keep_alive);
                    // A client that hangs up mid-body ends the stream; only the log says so.
                    let outcome = match (&sent, chunked) {
                        (Err(_), _) => format!("200 oversize {bytes} bytes, cut off by the client"),
                        (Ok(()), true) => format!("200 oversize {bytes} bytes chunked"),
                        (Ok(()), false) => format!("200 oversize {bytes} bytes"),
                    };
                    self.log_request(&request, &outcome, started);
                    sent.is_ok() && request.keep_alive
                }
                Some(Fault::Latency(_) | Fault::TokenTtl(_)) => unreachable!("never terminal"),
            };
            if !keep_open {
                conn.stream.close();
                return;
            }
        }
    }

    /// Writes a response and logs it; whether the connection stays open.
    fn answer<S: Socket>(
        &self,
        conn: &mut Conn<S>,
        request: &Request,
        response: Response,
        started: Instant,
    ) -> bool {
        let sent = http::write_response(
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
    fn log_request(&self, request: &Request, outcome: &str, started: Instant) {
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
pub trait Socket: Read + Write {
    /// Closes both directions now, without a TLS goodbye: the client sees the connection end.
    fn close(&mut self);
}

impl Socket for TcpStream {
    fn close(&mut self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}

impl Socket for rustls::StreamOwned<rustls::ServerConnection, TcpStream> {
    fn close(&mut self) {
        let _ = self.sock.shutdown(Shutdown::Both);
    }
}

/// Streams a 200 answer with a JSON-looking body `bytes` long (`None`: the head alone, for
/// `HEAD`), written from one reused buffer so the body never sits whole in memory. An error
/// means the client went away; the caller stops there and closes.
fn oversize(
    out: &mut impl Write,
    framing: Framing,
    bytes: Option<u64>,
    keep_alive: bool,
) -> io::Result<()> {
    const OPEN: &[u8] = b"{\"data\":\"";
    const CLOSE: &[u8] = b"\"}";
    let headers = vec![("Content-Type".to_string(), JSON.to_string())];
    out.write_all(&http::head(200, &headers, framing, keep_alive))?;
    let Some(bytes) = bytes else {
        return out.flush();
    };
    let chunked = framing == Framing::Chunked;
    let mut send = |data: &[u8]| {
        if chunked {
            out.write_all(&http::chunk(data))
        } else {
            out.write_all(data)
        }
    };
    let framed = bytes >= (OPEN.len() + CLOSE.len()) as u64;
    let mut left = bytes;
    if framed {
        send(OPEN)?;
        left -= (OPEN.len() + CLOSE.len()) as u64;
    }
    let filler = vec![b'x'; OVERSIZE_CHUNK];
    while left > 0 {
        let n = left.min(OVERSIZE_CHUNK as u64) as usize;
        send(&filler[..n])?;
        left -= n as u64;
    }
    if framed {
        send(CLOSE)?;
    }
    if chunked {
        out.write_all(http::LAST_CHUNK)?;
    }
    out.flush()
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
    fn oversize_is_exactly_that_long_and_json_looking() {
        let mut out = Vec::new();
        oversize(&mut out, Framing::Length(200_000), Some(200_000), true).unwrap();
        let text = String::from_utf8(out).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains("Content-Length: 200000"));
        assert_eq!(body.len(), 200_000);
        assert!(serde_json::from_str::<serde_json::Value>(body).is_ok());
        let mut tiny = Vec::new();
        oversize(&mut tiny, Framing::Length(3), Some(3), true).unwrap();
        assert!(tiny.ends_with(b"\r\n\r\nxxx"));
    }

    #[test]
    fn chunked_oversize_decodes_to_that_many_bytes() {
        let mut out = Vec::new();
        oversize(&mut out, Framing::Chunked, Some(200_000), true).unwrap();
        let text = String::from_utf8(out).unwrap();
        let (head, mut rest) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains("Transfer-Encoding: chunked") && !head.contains("Content-Length"));
        let mut body = String::new();
        loop {
            let (size, after) = rest.split_once("\r\n").unwrap();
            let size = usize::from_str_radix(size, 16).unwrap();
            if size == 0 {
                assert_eq!(after, "\r\n");
                break;
            }
            body.push_str(&after[..size]);
            rest = after[size..].strip_prefix("\r\n").unwrap();
        }
        assert_eq!(body.len(), 200_000);
        assert!(serde_json::from_str::<serde_json::Value>(&body).is_ok());
    }

    #[test]
    fn oversize_stops_when_the_client_hangs_up() {
        /// Takes `room` bytes, then fails as a closed socket does.
        struct Closing {
            room: usize,
        }
        impl Write for Closing {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                if self.room == 0 {
                    return Err(io::ErrorKind::BrokenPipe.into());
                }
                let n = buf.len().min(self.room);
                self.room -= n;
                Ok(n)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut out = Closing { room: 100_000 };
        let sent = oversize(&mut out, Framing::Chunked, Some(1 << 40), true);
        assert_eq!(sent.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
    }

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
