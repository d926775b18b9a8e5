//! Each fault as it looks on the wire, one function per fault: a status answer goes through the
//! normal path; these are the ones that are socket behaviour (no answer, a connection held open,
//! half a body, a body too large or not JSON). `faults` decides which applies.

use crate::errors::JSON;
use crate::http::{Conn, Request};
use crate::response::{self, Framing, Response};
use crate::routes;
use crate::server::{Server, Socket};
use std::io::{self, Write};
use std::time::Instant;

/// Size of each write of an `oversize` body.
const OVERSIZE_CHUNK: usize = 64 * 1024;
/// The body of a `not_json` answer: what a captive portal or a wrong server might send.
const NOT_JSON_BODY: &str =
    "<html><head><title>It works!</title></head><body>It works!</body></html>\n";

impl Server {
    /// `not_json`: 200 with an HTML body.
    pub(super) fn not_json<S: Socket>(
        &self,
        conn: &mut Conn<S>,
        request: &Request,
        started: Instant,
    ) -> bool {
        let r = Response::new(200, "text/html; charset=utf-8", NOT_JSON_BODY.into());
        self.answer(conn, request, r, started)
    }

    /// `drop`: the connection closes without an answer.
    pub(super) fn drop_connection(&self, request: &Request, started: Instant) -> bool {
        self.log_request(request, "dropped", started);
        false
    }

    /// `hang`: no answer, ever; the connection stays open until the client gives up.
    pub(super) fn hang<S: Socket>(
        &self,
        conn: &mut Conn<S>,
        request: &Request,
        started: Instant,
    ) -> bool {
        self.log_request(request, "hanging", started);
        conn.hold_until_closed();
        false
    }

    /// `truncate`: the real answer's head and half its body, then the connection closes.
    pub(super) fn truncate<S: Socket>(
        &self,
        conn: &mut Conn<S>,
        request: &Request,
        started: Instant,
    ) -> bool {
        let r = routes::service(&self.state, request);
        let length = Framing::Length(r.body.len() as u64);
        let mut bytes = response::head(r.status, &r.headers, length, true);
        if !request.is_head() {
            bytes.extend_from_slice(&r.body[..r.body.len() / 2]);
        }
        let _ = conn
            .stream
            .write_all(&bytes)
            .and_then(|()| conn.stream.flush());
        self.log_request(request, &format!("{} truncated", r.status), started);
        false
    }

    /// `oversize`: 200 with a JSON-looking body `bytes` long, announced or chunked.
    pub(super) fn oversize<S: Socket>(
        &self,
        conn: &mut Conn<S>,
        request: &Request,
        bytes: u64,
        chunked: bool,
        started: Instant,
    ) -> bool {
        let framing = if chunked {
            Framing::Chunked
        } else {
            Framing::Length(bytes)
        };
        let body = (!request.is_head()).then_some(bytes);
        let sent = oversize_body(&mut conn.stream, framing, body, request.keep_alive);
        // A client that hangs up mid-body ends the stream; only the log says so.
        let outcome = match (&sent, chunked) {
            (Err(_), _) => format!("200 oversize {bytes} bytes, cut off by the client"),
            (Ok(()), true) => format!("200 oversize {bytes} bytes chunked"),
            (Ok(()), false) => format!("200 oversize {bytes} bytes"),
        };
        self.log_request(request, &outcome, started);
        sent.is_ok() && request.keep_alive
    }
}

/// Streams a 200 answer with a JSON-looking body `bytes` long (`None`: the head alone, for
/// `HEAD`), written from one reused buffer so the body never sits whole in memory. An error
/// means the client went away; the caller stops there and closes.
fn oversize_body(
    out: &mut impl Write,
    framing: Framing,
    bytes: Option<u64>,
    keep_alive: bool,
) -> io::Result<()> {
    const OPEN: &[u8] = b"{\"data\":\"";
    const CLOSE: &[u8] = b"\"}";
    let headers = vec![("Content-Type".to_string(), JSON.to_string())];
    out.write_all(&response::head(200, &headers, framing, keep_alive))?;
    let Some(bytes) = bytes else {
        return out.flush();
    };
    let chunked = framing == Framing::Chunked;
    let mut send = |data: &[u8]| {
        if chunked {
            out.write_all(&response::chunk(data))
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
        out.write_all(response::LAST_CHUNK)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversize_is_exactly_that_long_and_json_looking() {
        let mut out = Vec::new();
        oversize_body(&mut out, Framing::Length(200_000), Some(200_000), true).unwrap();
        let text = String::from_utf8(out).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains("Content-Length: 200000"));
        assert_eq!(body.len(), 200_000);
        assert!(serde_json::from_str::<serde_json::Value>(body).is_ok());
        let mut tiny = Vec::new();
        oversize_body(&mut tiny, Framing::Length(3), Some(3), true).unwrap();
        assert!(tiny.ends_with(b"\r\n\r\nxxx"));
    }

    #[test]
    fn chunked_oversize_decodes_to_that_many_bytes() {
        let mut out = Vec::new();
        oversize_body(&mut out, Framing::Chunked, Some(200_000), true).unwrap();
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
        let sent = oversize_body(&mut out, Framing::Chunked, Some(1 << 40), true);
        assert_eq!(sent.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
    }
}
