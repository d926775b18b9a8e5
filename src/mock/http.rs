//! The emulator's HTTP/1.1 wire format: reading one request from a connection and writing one
//! response, keep-alive aware. It knows nothing about routes or faults.
//!
//! The emulator has its own small codec instead of an HTTP server library because its faults
//! need control no such library gives: closing a connection without an answer, holding one open
//! forever, or sending half a body and then closing.

use std::io::{self, Read, Write};

/// The largest request head (request line and headers) accepted.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The largest request body accepted; the service's own limit is not documented.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How much a single read from the socket asks for.
const READ_CHUNK: usize = 8 * 1024;

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
        if self.query.is_empty() {
            return Vec::new();
        }
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
    /// The client closed the connection cleanly between requests.
    Closed,
    /// The bytes are not an HTTP/1.x request; answer 400 and close.
    Malformed(&'static str),
    /// The body is larger than [`MAX_BODY_BYTES`]; answer 413 and close.
    TooLarge,
    Io(io::Error),
}

/// A connection: the stream plus the bytes read from it but not yet consumed.
pub struct Conn<S> {
    pub stream: S,
    buf: Vec<u8>,
}

impl<S: Read + Write> Conn<S> {
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

    /// Reads until `count` bytes are buffered; false if the stream ended first.
    fn want(&mut self, count: usize) -> Result<bool, ReadError> {
        while self.buf.len() < count {
            if self.fill().map_err(ReadError::Io)? == 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Takes one CRLF- (or LF-) terminated line from the buffer, without the terminator.
    fn line(&mut self, limit: usize) -> Result<Option<String>, ReadError> {
        let mut searched = 0;
        loop {
            if let Some(pos) = self.buf[searched..].iter().position(|&b| b == b'\n') {
                let end = searched + pos;
                let mut line: Vec<u8> = self.buf.drain(..=end).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return String::from_utf8(line)
                    .map(Some)
                    .map_err(|_| ReadError::Malformed("request head is not UTF-8"));
            }
            searched = self.buf.len();
            if searched > limit {
                return Err(ReadError::Malformed("request head too large"));
            }
            if self.fill().map_err(ReadError::Io)? == 0 {
                return Ok(None);
            }
        }
    }

    /// Reads the next request; [`ReadError::Closed`] when the client closed between requests.
    pub fn read_request(&mut self) -> Result<Request, ReadError> {
        let request_line = loop {
            match self.line(MAX_HEAD_BYTES)? {
                None => return Err(ReadError::Closed),
                // RFC 9112 §2.2: ignore empty lines before the request line.
                Some(line) if line.is_empty() => continue,
                Some(line) => break line,
            }
        };
        let mut parts = request_line.split(' ');
        let (Some(method), Some(target), Some(version), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(ReadError::Malformed("bad request line"));
        };
        let http10 = match version {
            "HTTP/1.1" => false,
            "HTTP/1.0" => true,
            _ => return Err(ReadError::Malformed("unsupported HTTP version")),
        };
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(ReadError::Malformed("bad method"));
        }
        let mut headers = Vec::new();
        let mut head_bytes = request_line.len();
        loop {
            let Some(line) = self.line(MAX_HEAD_BYTES)? else {
                return Err(ReadError::Malformed(
                    "connection closed inside the request head",
                ));
            };
            if line.is_empty() {
                break;
            }
            head_bytes += line.len();
            if head_bytes > MAX_HEAD_BYTES {
                return Err(ReadError::Malformed("request head too large"));
            }
            let Some((name, value)) = line.split_once(':') else {
                return Err(ReadError::Malformed("bad header line"));
            };
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (target.to_string(), String::new()),
        };
        let mut request = Request {
            method: method.to_string(),
            path,
            query,
            headers,
            body: Vec::new(),
            keep_alive: true,
        };
        let connection = request
            .header("connection")
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        request.keep_alive = if http10 {
            connection.contains("keep-alive")
        } else {
            !connection.contains("close")
        };
        if request
            .header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
        {
            self.stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .and_then(|()| self.stream.flush())
                .map_err(ReadError::Io)?;
        }
        let chunked = request
            .header("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        request.body = if chunked {
            self.read_chunked()?
        } else {
            let length = match request.header("content-length") {
                None => 0,
                Some(v) => v
                    .parse::<usize>()
                    .map_err(|_| ReadError::Malformed("bad content-length"))?,
            };
            if length > MAX_BODY_BYTES {
                return Err(ReadError::TooLarge);
            }
            if !self.want(length)? {
                return Err(ReadError::Malformed("connection closed inside the body"));
            }
            self.buf.drain(..length).collect()
        };
        Ok(request)
    }

    /// Reads a `Transfer-Encoding: chunked` body (RFC 9112 §7.1), trailers discarded.
    fn read_chunked(&mut self) -> Result<Vec<u8>, ReadError> {
        let mut body = Vec::new();
        loop {
            let Some(size_line) = self.line(1024)? else {
                return Err(ReadError::Malformed("connection closed inside the body"));
            };
            let size_text = size_line.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size_text, 16)
                .map_err(|_| ReadError::Malformed("bad chunk size"))?;
            if size == 0 {
                loop {
                    match self.line(MAX_HEAD_BYTES)? {
                        Some(line) if !line.is_empty() => continue,
                        _ => return Ok(body),
                    }
                }
            }
            if body.len() + size > MAX_BODY_BYTES {
                return Err(ReadError::TooLarge);
            }
            if !self.want(size + 2)? {
                return Err(ReadError::Malformed("connection closed inside the body"));
            }
            body.extend(self.buf.drain(..size));
            self.buf.drain(..2);
        }
    }

    /// Reads and discards everything until the client closes: a connection that is never
    /// answered, as the service does when it is disabled (spec §1.2).
    pub fn hold_until_closed(&mut self) {
        self.buf.clear();
        while matches!(self.fill(), Ok(n) if n > 0) {
            self.buf.clear();
        }
    }
}

/// A response ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a body and its `Content-Type`.
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_string(), content_type.to_string())],
            body,
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How the end of a body is marked on the wire.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Framing {
    /// `Content-Length: N`.
    Length(u64),
    /// `Transfer-Encoding: chunked` (RFC 9112 §7.1): the body follows in [`chunk`]s and ends
    /// with [`LAST_CHUNK`]; the client learns its size only by reading it.
    Chunked,
}

/// The end of a chunked body: a zero-size chunk and no trailers.
pub const LAST_CHUNK: &[u8] = b"0\r\n\r\n";

/// The status line and headers.
pub fn head(
    status: u16,
    headers: &[(String, String)],
    framing: Framing,
    keep_alive: bool,
) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    // RFC 9110 §8.6, RFC 9112 §6.1: neither header on 1xx and 204 answers.
    if status >= 200 && status != 204 {
        match framing {
            Framing::Length(length) => head.push_str(&format!("Content-Length: {length}\r\n")),
            Framing::Chunked => head.push_str("Transfer-Encoding: chunked\r\n"),
        }
    }
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// One chunk of a chunked body: size in hex, the data, CRLF. Empty data would end the body,
/// so it gives nothing.
pub fn chunk(data: &[u8]) -> Vec<u8> {
    if data.is_empty() {
        return Vec::new();
    }
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

/// Writes a whole response. The answer to a `HEAD` request (`head_only`) is the head alone,
/// with the `Content-Length` a `GET` would get (RFC 9110 §9.3.2).
pub fn write_response(
    out: &mut impl Write,
    response: &Response,
    keep_alive: bool,
    head_only: bool,
) -> io::Result<()> {
    let mut bytes = head(
        response.status,
        &response.headers,
        Framing::Length(response.body.len() as u64),
        keep_alive,
    );
    if !head_only {
        bytes.extend_from_slice(&response.body);
    }
    out.write_all(&bytes)?;
    out.flush()
}

/// The reason phrase for the statuses the emulator sends.
pub fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

/// Decodes `%XX` escapes and `+` (as a space) in a query component.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encodes a query component: everything but unreserved characters is `%XX`.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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

    #[test]
    fn writes_a_response_with_length_and_close() {
        let mut out = Vec::new();
        let r = Response::new(404, "application/json; charset=utf-8", b"{}".to_vec());
        write_response(&mut out, &r, false, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"), "{text}");
        assert!(text.contains("Content-Length: 2\r\n"));
        assert!(text.contains("Connection: close\r\n"));
        assert!(text.ends_with("\r\n\r\n{}"));
    }

    #[test]
    fn a_head_answer_has_the_length_but_no_body() {
        let mut out = Vec::new();
        let r = Response::new(405, "application/json; charset=utf-8", b"{}".to_vec());
        write_response(&mut out, &r, true, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("Content-Length: 2\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\n"), "{text}");
    }

    #[test]
    fn chunked_heads_have_no_length_and_chunks_are_hex_sized() {
        let text = String::from_utf8(head(200, &[], Framing::Chunked, true)).unwrap();
        assert!(text.contains("Transfer-Encoding: chunked\r\n"), "{text}");
        assert!(!text.contains("Content-Length"), "{text}");
        assert_eq!(
            chunk(&[b'x'; 26]),
            [b"1a\r\n".as_slice(), &[b'x'; 26], b"\r\n"].concat()
        );
        assert!(chunk(b"").is_empty());
    }
}
