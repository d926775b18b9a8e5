//! The emulator's HTTP/1.1 wire format: reading one request from a connection and writing one
//! response, keep-alive aware. It knows nothing about routes or faults.
//!
//! The emulator owns its socket instead of using an HTTP server library because its faults need
//! control no such library gives: closing a connection without an answer, holding one open
//! forever, or sending half a body and then closing. The parsing itself is httparse's (request
//! head, chunk sizes, trailers) and percent-encoding's (query components).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The largest request head (request line and headers) accepted; larger is 431. The client
/// sends well under 1 KiB.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// The largest request body accepted; larger is 413. The service's own limit is not
/// documented; its request bodies are a few small JSON fields (docs/SERVICE.md §2.2, §2.4).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// How long a connection may wait for a request to begin; then how long the request's head may
/// take to arrive in full, from its first byte; then its body, from the end of the head. Each
/// is a deadline, not a pause between bytes, so a client that trickles a byte at a time cannot
/// hold a connection for longer.
pub const TIME_LIMIT: Duration = Duration::from_secs(10);
/// The most header lines a request may have.
const MAX_HEADERS: usize = 100;
/// How much a single read from the socket asks for.
const READ_CHUNK: usize = 8 * 1024;
/// The longest chunk-size line accepted (size, extensions, CRLF).
const MAX_CHUNK_LINE: usize = 1024;
/// What [`percent_encode`] leaves alone: RFC 3986's unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// One parsed request.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The path, percent-decoding not applied, without the query.
    pub path: String,
    /// The raw query string (after `?`), empty when absent.
    pub query: String,
    /// Header names lower-cased, values trimmed, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Whether the client wants the connection kept open after the answer.
    pub keep_alive: bool,
}

impl Request {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the answer must be the head alone, without a body (RFC 9110 §9.3.2).
    pub fn is_head(&self) -> bool {
        self.method == "HEAD"
    }

    /// The query parameters, percent-decoded, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query
            .split('&')
            .filter(|part| !part.is_empty())
            .map(|part| {
                let (k, v) = part.split_once('=').unwrap_or((part, ""));
                (percent_decode(k), percent_decode(v))
            })
            .collect()
    }
}

/// Why a request could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The client closed the connection, or left it idle, between requests.
    Closed,
    /// The bytes are not an HTTP/1.x request; answer 400 and close.
    Malformed(&'static str),
    /// The head is larger than [`MAX_HEAD_BYTES`]; answer 431 and close.
    HeadTooLarge,
    /// The body is larger than [`MAX_BODY_BYTES`]; answer 413 and close.
    TooLarge,
    /// The request's head or body did not arrive in full in time; answer 408 and close.
    TimedOut,
    Io(io::Error),
}

impl ReadError {
    /// A failed read: the deadline passing, or another error.
    fn from_io(e: io::Error) -> ReadError {
        if is_timeout(&e) {
            ReadError::TimedOut
        } else {
            ReadError::Io(e)
        }
    }
}

/// Whether a read failed because the socket's timeout ran out.
pub fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// A byte stream whose reads can be held to a deadline.
pub trait Timed: Read + Write {
    /// Reads after `at` fail with a timeout, however the bytes before it trickled in; `None`
    /// lets them wait for as long as the peer keeps the connection open.
    fn set_deadline(&mut self, at: Option<Instant>);
}

/// A TCP connection whose reads wait at most until its deadline: each read is given the time
/// left as its timeout (a socket's own read timeout restarts with every read).
pub struct TimedStream {
    stream: TcpStream,
    deadline: Option<Instant>,
}

impl TimedStream {
    pub fn new(stream: TcpStream) -> TimedStream {
        TimedStream {
            stream,
            deadline: None,
        }
    }

    /// The TCP connection itself.
    pub fn tcp(&self) -> &TcpStream {
        &self.stream
    }
}

impl Read for TimedStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(at) = self.deadline {
            let left = at.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            self.stream.set_read_timeout(Some(left))?;
        }
        self.stream.read(buf)
    }
}

impl Write for TimedStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

impl Timed for TimedStream {
    fn set_deadline(&mut self, at: Option<Instant>) {
        if at.is_none() {
            let _ = self.stream.set_read_timeout(None);
        }
        self.deadline = at;
    }
}

/// How the request says its body ends.
enum BodyFraming {
    Length(usize),
    Chunked,
}

/// A connection: the stream plus the bytes read from it but not yet consumed.
pub struct Conn<S> {
    pub stream: S,
    buf: Vec<u8>,
}

impl<S: Timed> Conn<S> {
    pub fn new(stream: S) -> Conn<S> {
        Conn {
            stream,
            buf: Vec::new(),
        }
    }

    /// Reads more bytes into the buffer; `Ok(0)` at end of stream.
    fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; READ_CHUNK];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads more, or fails with `why` if the stream ended.
    fn more(&mut self, why: &'static str) -> Result<(), ReadError> {
        match self.fill().map_err(ReadError::from_io)? {
            0 => Err(ReadError::Malformed(why)),
            _ => Ok(()),
        }
    }

    /// Reads until `count` bytes are buffered.
    fn want(&mut self, count: usize) -> Result<(), ReadError> {
        while self.buf.len() < count {
            self.more("connection closed inside the body")?;
        }
        Ok(())
    }

    /// Reads the next request; [`ReadError::Closed`] when the client closed between requests or
    /// sent nothing for [`TIME_LIMIT`], [`ReadError::TimedOut`] when the head, from its first
    /// byte, or the body took longer.
    pub fn read_request(&mut self) -> Result<Request, ReadError> {
        self.stream.set_deadline(Some(Instant::now() + TIME_LIMIT));
        let mut request = self.read_head()?;
        self.stream.set_deadline(Some(Instant::now() + TIME_LIMIT));
        let framing = body_framing(&request)?;
        if request
            .header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
        {
            self.stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .and_then(|()| self.stream.flush())
                .map_err(ReadError::from_io)?;
        }
        request.body = match framing {
            BodyFraming::Length(length) => {
                self.want(length)?;
                self.buf.drain(..length).collect()
            }
            BodyFraming::Chunked => self.read_chunked()?,
        };
        Ok(request)
    }

    /// Reads and parses the request line and headers (RFC 9112 §2-§5).
    fn read_head(&mut self) -> Result<Request, ReadError> {
        let mut started = false;
        loop {
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut parsed = httparse::Request::new(&mut headers);
            match parsed.parse(&self.buf) {
                Ok(httparse::Status::Complete(length)) => {
                    if length > MAX_HEAD_BYTES {
                        return Err(ReadError::HeadTooLarge);
                    }
                    let request = owned(&parsed)?;
                    self.buf.drain(..length);
                    return Ok(request);
                }
                Ok(httparse::Status::Partial) => {}
                Err(httparse::Error::TooManyHeaders) => return Err(ReadError::HeadTooLarge),
                Err(e) => return Err(ReadError::Malformed(describe(e))),
            }
            if self.buf.len() > MAX_HEAD_BYTES {
                return Err(ReadError::HeadTooLarge);
            }
            // RFC 9112 §2.2: empty lines before a request line are no request.
            let between = self.buf.iter().all(|b| matches!(b, b'\r' | b'\n'));
            if !between && !started {
                started = true;
                self.stream.set_deadline(Some(Instant::now() + TIME_LIMIT));
            }
            match self.fill() {
                Ok(0) if between => return Err(ReadError::Closed),
                Ok(0) => {
                    return Err(ReadError::Malformed(
                        "connection closed inside the request head",
                    ));
                }
                Ok(_) => {}
                Err(e) if is_timeout(&e) && between => return Err(ReadError::Closed),
                Err(e) => return Err(ReadError::from_io(e)),
            }
        }
    }

    /// Reads a `Transfer-Encoding: chunked` body (RFC 9112 §7.1), trailers discarded.
    fn read_chunked(&mut self) -> Result<Vec<u8>, ReadError> {
        let mut body = Vec::new();
        loop {
            let (start, size) = match httparse::parse_chunk_size(&self.buf) {
                Ok(httparse::Status::Complete(found)) => found,
                Ok(httparse::Status::Partial) if self.buf.len() <= MAX_CHUNK_LINE => {
                    self.more("connection closed inside the body")?;
                    continue;
                }
                Ok(httparse::Status::Partial) | Err(_) => {
                    return Err(ReadError::Malformed("bad chunk size"));
                }
            };
            if size == 0 {
                self.buf.drain(..start);
                return self.skip_trailers().map(|()| body);
            }
            // Nothing is added to `size`: one near 2^64 must not wrap around.
            if size > (MAX_BODY_BYTES - body.len()) as u64 {
                return Err(ReadError::TooLarge);
            }
            let end = start + size as usize;
            self.want(end + 2)?;
            if &self.buf[end..end + 2] != b"\r\n" {
                return Err(ReadError::Malformed("chunk data not followed by CRLF"));
            }
            body.extend_from_slice(&self.buf[start..end]);
            self.buf.drain(..end + 2);
        }
    }

    /// Reads the trailer section that ends a chunked body and drops it.
    fn skip_trailers(&mut self) -> Result<(), ReadError> {
        loop {
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            match httparse::parse_headers(&self.buf, &mut headers) {
                Ok(httparse::Status::Complete((length, _))) => {
                    self.buf.drain(..length);
                    return Ok(());
                }
                Ok(httparse::Status::Partial) if self.buf.len() <= MAX_HEAD_BYTES => {
                    self.more("connection closed inside the trailers")?;
                }
                Ok(httparse::Status::Partial) | Err(_) => {
                    return Err(ReadError::Malformed("bad trailer section"));
                }
            }
        }
    }

    /// Reads and discards everything until the client closes: a connection that is never
    /// answered, as the service does when it is disabled (docs/SERVICE.md §1.2). The time limit
    /// does not apply: the point is to keep a client waiting.
    pub fn hold_until_closed(&mut self) {
        self.stream.set_deadline(None);
        loop {
            self.buf.clear();
            match self.fill() {
                Ok(0) => return,
                Ok(_) => {}
                Err(e) if is_timeout(&e) => {}
                Err(_) => return,
            }
        }
    }
}

/// The parsed head as an owned [`Request`], without its body.
fn owned(parsed: &httparse::Request<'_, '_>) -> Result<Request, ReadError> {
    let (Some(method), Some(target), Some(version)) = (parsed.method, parsed.path, parsed.version)
    else {
        return Err(ReadError::Malformed("bad request line"));
    };
    let mut headers = Vec::with_capacity(parsed.headers.len());
    for header in parsed.headers.iter() {
        let value = std::str::from_utf8(header.value)
            .map_err(|_| ReadError::Malformed("request head is not UTF-8"))?;
        headers.push((header.name.to_ascii_lowercase(), value.trim().to_string()));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut request = Request {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        body: Vec::new(),
        keep_alive: true,
    };
    let connection = request
        .header("connection")
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    request.keep_alive = if version == 0 {
        connection.contains("keep-alive")
    } else {
        !connection.contains("close")
    };
    Ok(request)
}

/// How the body is framed (RFC 9112 §6.3): chunked, a length, or none.
fn body_framing(request: &Request) -> Result<BodyFraming, ReadError> {
    if let Some(coding) = request.header("transfer-encoding") {
        let last = coding.rsplit(',').next().unwrap_or("").trim();
        if !last.eq_ignore_ascii_case("chunked") {
            return Err(ReadError::Malformed("unsupported transfer-encoding"));
        }
        if request.header("content-length").is_some() {
            return Err(ReadError::Malformed(
                "both transfer-encoding and content-length",
            ));
        }
        return Ok(BodyFraming::Chunked);
    }
    let mut lengths = request
        .headers
        .iter()
        .filter(|(k, _)| k == "content-length")
        .map(|(_, v)| v.as_str());
    let Some(text) = lengths.next() else {
        return Ok(BodyFraming::Length(0));
    };
    if lengths.any(|other| other != text) {
        return Err(ReadError::Malformed("conflicting content-length"));
    }
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ReadError::Malformed("bad content-length"));
    }
    match text.parse::<u64>() {
        Ok(length) if length <= MAX_BODY_BYTES as u64 => Ok(BodyFraming::Length(length as usize)),
        _ => Err(ReadError::TooLarge),
    }
}

/// The reason httparse refused a head, for the 400's message.
fn describe(error: httparse::Error) -> &'static str {
    match error {
        httparse::Error::Version => "unsupported HTTP version",
        httparse::Error::Token => "bad request line",
        httparse::Error::HeaderName | httparse::Error::HeaderValue => "bad header line",
        httparse::Error::NewLine => "bad line ending",
        httparse::Error::TooManyHeaders => "request head too large",
        httparse::Error::Status => "bad request line",
    }
}

/// Decodes `%XX` escapes and `+` (as a space) in a query component.
pub fn percent_decode(text: &str) -> String {
    percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// Encodes a query component: everything but unreserved characters is `%XX`.
pub fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// An in-memory stream: reads from `input`, writes into `output`.
    struct Pipe {
        input: Cursor<Vec<u8>>,
        output: Vec<u8>,
    }

    impl Read for Pipe {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.input.read(buf)
        }
    }

    impl Write for Pipe {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.output.write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Timed for Pipe {
        fn set_deadline(&mut self, _: Option<Instant>) {}
    }

    fn conn(text: &str) -> Conn<Pipe> {
        Conn::new(Pipe {
            input: Cursor::new(text.as_bytes().to_vec()),
            output: Vec::new(),
        })
    }

    #[test]
    fn reads_two_keep_alive_requests_with_bodies() {
        let mut c = conn(
            "PUT /identity/v1/token?version=2025-08-26 HTTP/1.1\r\nHost: x\r\nMetadata-Flavor: ibm\r\nContent-Length: 2\r\n\r\n{}\
             GET /metadata/v1/keys HTTP/1.1\r\nConnection: close\r\n\r\n",
        );
        let first = c.read_request().unwrap();
        assert_eq!(first.method, "PUT");
        assert_eq!(first.path, "/identity/v1/token");
        assert_eq!(first.query, "version=2025-08-26");
        assert_eq!(first.header("METADATA-FLAVOR"), Some("ibm"));
        assert_eq!(first.body, b"{}");
        assert!(first.keep_alive);
        let second = c.read_request().unwrap();
        assert_eq!(second.path, "/metadata/v1/keys");
        assert!(!second.keep_alive);
        assert!(matches!(c.read_request(), Err(ReadError::Closed)));
    }

    #[test]
    fn reads_a_chunked_body() {
        let mut c = conn(
            "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
        );
        assert_eq!(c.read_request().unwrap().body, b"abcde");
    }

    #[test]
    fn refuses_garbage_and_oversized_bodies() {
        assert!(matches!(
            conn("hello\r\n\r\n").read_request(),
            Err(ReadError::Malformed(_))
        ));
        let big = format!(
            "PUT /x HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY_BYTES + 1
        );
        assert!(matches!(
            conn(&big).read_request(),
            Err(ReadError::TooLarge)
        ));
    }

    #[test]
    fn http10_closes_unless_asked() {
        assert!(
            !conn("GET / HTTP/1.0\r\n\r\n")
                .read_request()
                .unwrap()
                .keep_alive
        );
        assert!(
            conn("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                .read_request()
                .unwrap()
                .keep_alive
        );
    }

    #[test]
    fn a_deadline_holds_however_the_bytes_trickle() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let mut peer = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (stream, _) = listener.accept().unwrap();
        let writer = std::thread::spawn(move || {
            for _ in 0..20 {
                if peer.write_all(b"x").is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let mut timed = TimedStream::new(stream);
        let started = Instant::now();
        timed.set_deadline(Some(started + Duration::from_millis(300)));
        let mut got = 0;
        let error = loop {
            match timed.read(&mut [0u8; 16]) {
                Ok(n) => got += n,
                Err(e) => break e,
            }
        };
        assert!(is_timeout(&error), "{error}");
        assert!(got > 1, "{got} bytes");
        let waited = started.elapsed();
        assert!(
            (Duration::from_millis(300)..Duration::from_millis(600)).contains(&waited),
            "{waited:?}"
        );
        writer.join().unwrap();
    }

    #[test]
    fn query_pairs_are_decoded() {
        let r = conn("GET /p?limit=5&start=a%2Bb&x=1+2 HTTP/1.1\r\n\r\n")
            .read_request()
            .unwrap();
        assert_eq!(
            r.query_pairs(),
            vec![
                ("limit".to_string(), "5".to_string()),
                ("start".to_string(), "a+b".to_string()),
                ("x".to_string(), "1 2".to_string()),
            ]
        );
        assert_eq!(percent_encode("a+b/c"), "a%2Bb%2Fc");
    }
}
