//! A hostile HTTP server for the hardening tests: it answers each request with whatever bytes a
//! test hands it (malformed HTTP, TLS records, endless pages, control characters), records every
//! request it reads, and fails the test when it was used and should not have been, or the other
//! way round.
//!
//! One request per connection; each connection is served on its own thread, so a slow or silent
//! answer does not hold up the next one. The bytes of an answer are [`crate::raw`]'s.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::imds;

/// A valid identity token, in JWT characters.
pub const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl";

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The query without the `?`.
    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }

    /// The value of query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query()
            .split('&')
            .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
    }

    /// `METHOD /path`.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path())
    }

    /// Whether this is the identity token request (either path family).
    pub fn is_token(&self) -> bool {
        self.method == "PUT" && self.path().ends_with("/v1/token")
    }
}

/// What the server does with a request.
pub enum Reply {
    /// These bytes, then close.
    Raw(Vec<u8>),
    /// Close at once, without a byte.
    Close,
    /// Say nothing for this long, then close.
    Silence(Duration),
}

/// `HTTP/1.1 STATUS` with `headers` (each ending `\r\n`), a `Content-Length` and `body`.
pub fn answer(status: &str, headers: &str, body: &[u8]) -> Reply {
    Reply::Raw(crate::raw::answer(status, headers, body))
}

/// A 200 with a JSON body.
pub fn json(body: impl AsRef<[u8]>) -> Reply {
    answer(
        "200 OK",
        "Content-Type: application/json\r\n",
        body.as_ref(),
    )
}

/// The token request's answer carrying `token`.
pub fn token_answer(token: &str) -> Reply {
    json(
        serde_json::json!({
            "access_token": token,
            "created_at": "2026-01-01T00:00:00Z",
            "expires_at": "2026-01-01T00:05:00Z",
            "expires_in": 300
        })
        .to_string(),
    )
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// A running server on 127.0.0.1.
pub struct Hostile {
    pub url: String,
    requests: Arc<Mutex<Vec<Request>>>,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    /// Whether the test expects no connection at all.
    unused: bool,
}

impl Hostile {
    /// Answers every request with `handler`'s reply.
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Hostile {
        Hostile::serve(Arc::new(handler), false)
    }

    /// Answers the token request with [`TOKEN`] and everything else with `handler`.
    pub fn service(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Hostile {
        Hostile::start(move |req| {
            if req.is_token() {
                token_answer(TOKEN)
            } else {
                handler(req)
            }
        })
    }

    /// A server that must see no connection at all: the test fails if one comes.
    pub fn unused() -> Hostile {
        Hostile::serve(Arc::new(|_: &Request| Reply::Close), true)
    }

    fn serve(handler: Arc<Handler>, unused: bool) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (log, count, stopped) = (requests.clone(), connections.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                let (handler, log) = (handler.clone(), log.clone());
                std::thread::spawn(move || serve_one(stream, &*handler, &log));
            }
        });
        Hostile {
            url,
            requests,
            connections,
            stop,
            unused,
        }
    }

    /// `imds` with a clean environment pointed at this server (no `IMDS_TOKEN`: it mints).
    pub fn imds(&self) -> Command {
        let mut cmd = imds();
        cmd.env("IMDS_ENDPOINT", &self.url);
        cmd
    }

    /// Every request read so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// The requests other than the token request.
    pub fn reads(&self) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| !r.is_token())
            .collect()
    }

    /// Connections accepted so far (a connection may carry no complete request).
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so its thread ends.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
        if std::thread::panicking() {
            return;
        }
        let used = self.connections() > 0;
        if self.unused {
            assert!(!used, "the server at {} was sent a request", self.url);
        } else {
            assert!(used, "the server at {} was never used", self.url);
        }
    }
}

fn serve_one(mut stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Request>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    log.lock().unwrap().push(request.clone());
    match handler(&request) {
        Reply::Raw(bytes) => {
            let _ = stream.write_all(&bytes);
            let _ = stream.flush();
        }
        Reply::Close => {}
        Reply::Silence(d) => std::thread::sleep(d),
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// Reads one request: head up to the blank line, then a `Content-Length` body.
fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
        if head.len() > 64 * 1024 {
            return None;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len = crate::raw::content_length(&text);
    let mut body = vec![0u8; len.min(1 << 20)];
    stream.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}
