//! Raw HTTP/1.1 over a loopback `TcpStream`, for both ends of a connection: the requests tests
//! send when a well-behaved client would not (malformed bytes, slow bodies, answers a fault cuts
//! short), and the answers of the small hostile servers tests start. Everything else speaks
//! HTTP through `support::http` (ureq).

#![allow(dead_code)]

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A client connection that keeps what it read past the last answer.
pub struct Raw {
    pub stream: TcpStream,
    buf: Vec<u8>,
}

impl Raw {
    /// Connects to a base URL (`http://127.0.0.1:PORT`) or `host:port`, with a read timeout.
    pub fn connect(url: &str, timeout: Duration) -> Raw {
        let stream = TcpStream::connect(addr(url)).expect("connect");
        stream.set_read_timeout(Some(timeout)).unwrap();
        Raw {
            stream,
            buf: Vec::new(),
        }
    }

    /// Writes bytes as they are.
    pub fn send(&mut self, bytes: impl AsRef<[u8]>) {
        self.stream.write_all(bytes.as_ref()).expect("send");
    }

    /// Reads more into the buffer; false at end of stream, on a reset or on a timeout.
    fn more(&mut self) -> bool {
        let mut chunk = [0u8; 65536];
        match self.stream.read(&mut chunk) {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                true
            }
        }
    }

    /// The next answer's head (status line and headers, without the empty line); the body, if
    /// any, stays unread. `None` if the connection ended or went quiet first.
    pub fn read_head(&mut self) -> Option<String> {
        loop {
            if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&self.buf[..end]).into_owned();
                self.buf.drain(..end + 4);
                return Some(head);
            }
            if !self.more() {
                return None;
            }
        }
    }

    /// The next `len` bytes; fewer if the connection ended first.
    pub fn read_exact(&mut self, len: usize) -> Vec<u8> {
        while self.buf.len() < len && self.more() {}
        let n = len.min(self.buf.len());
        self.buf.drain(..n).collect()
    }

    /// One whole answer with a `Content-Length` body: head and body.
    pub fn read_answer(&mut self) -> Option<(String, Vec<u8>)> {
        let head = self.read_head()?;
        let body = self.read_exact(content_length(&head));
        Some((head, body))
    }

    /// A chunked body (RFC 9112 §7.1) after [`Raw::read_head`]: the decoded body and whether it
    /// ended with the last (zero-size) chunk.
    pub fn read_chunked(&mut self) -> (Vec<u8>, bool) {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(p) = self.buf.windows(2).position(|w| w == b"\r\n") {
                    break p;
                }
                if !self.more() {
                    return (body, false);
                }
            };
            let size_text = String::from_utf8_lossy(&self.buf[..line_end]).into_owned();
            let size = usize::from_str_radix(size_text.trim(), 16)
                .unwrap_or_else(|_| panic!("bad chunk size {size_text:?}"));
            self.buf.drain(..line_end + 2);
            while self.buf.len() < size + 2 {
                if !self.more() {
                    return (body, false);
                }
            }
            assert_eq!(
                &self.buf[size..size + 2],
                b"\r\n",
                "chunk not followed by CRLF"
            );
            if size == 0 {
                self.buf.drain(..2);
                return (body, true);
            }
            body.extend(self.buf.drain(..size));
            self.buf.drain(..2);
        }
    }

    /// Everything until the end of the stream or the read timeout; whether the connection
    /// ended (false: still open when the time ran out).
    pub fn read_to_end(&mut self) -> (Vec<u8>, bool) {
        let mut chunk = [0u8; 65536];
        let closed = loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => break true,
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    break false;
                }
                Err(_) => break true,
            }
        };
        (std::mem::take(&mut self.buf), closed)
    }
}

/// Sends `request` on a fresh connection and reads until the end or `timeout`: what came back
/// and whether the connection ended.
pub fn exchange(url: &str, request: impl AsRef<[u8]>, timeout: Duration) -> (Vec<u8>, bool) {
    let mut conn = Raw::connect(url, timeout);
    conn.send(request);
    conn.read_to_end()
}

/// `host:port` of a base URL.
pub fn addr(url: &str) -> &str {
    url.trim_start_matches("http://")
        .trim_start_matches("https://")
}

/// Splits a raw answer into its head and body; panics if there is no head.
pub fn split_answer(got: &[u8]) -> (String, Vec<u8>) {
    let end = got
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(got)));
    (
        String::from_utf8_lossy(&got[..end]).into_owned(),
        got[end + 4..].to_vec(),
    )
}

/// The `Content-Length` of a head, 0 if it has none.
pub fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().expect("a numeric Content-Length"))
        })
        .unwrap_or(0)
}

// ---- the server end ----

/// Reads one request's head and `Content-Length` body, so the client sees its request
/// consumed; gives up quietly after 2 s or at the end of the stream.
pub fn read_request(stream: &mut TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => buf.push(byte[0]),
            _ => return,
        }
    }
    let len = content_length(&String::from_utf8_lossy(&buf));
    let mut body = vec![0u8; len];
    let _ = stream.read_exact(&mut body);
}

/// A whole answer that closes the connection: `status` is e.g. `200 OK`; `headers` are
/// complete lines (`Name: value\r\n`), added after `Content-Length`.
pub fn answer(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}
