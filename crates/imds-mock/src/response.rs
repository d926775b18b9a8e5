//! Writing answers: the status line, headers and framing (`Content-Length` or chunked), whole
//! or, for the faults, piece by piece, each with a `Date` and an `X-Request-Id`. It knows
//! nothing about routes or faults.

use std::io::{self, Write};

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
    // Every answer is dated (RFC 9110 §6.6.1) and carries a request id, as the service's do
    // (docs/SERVICE.md §1.3); an error's id is its `trace`, set by the error builder.
    let has = |wanted: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(wanted));
    if !has("Date") {
        head.push_str(&format!(
            "Date: {}\r\n",
            httpdate::fmt_http_date(std::time::SystemTime::now())
        ));
    }
    if !has("X-Request-Id") {
        head.push_str(&format!("X-Request-Id: {}\r\n", crate::util::uuid()));
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
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
