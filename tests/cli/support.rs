//! Test harness: starts `imds-mock` on a free loopback port, runs the `imds` binary against it
//! with a clean environment, and talks to the emulator's control path; the helpers and fixtures
//! several test files share; and a canned-answer server, for answers the emulator does not give.

#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::raw;

pub const IMDS: &str = env!("CARGO_BIN_EXE_imds");
pub const IMDS_MOCK: &str = env!("CARGO_BIN_EXE_imds-mock");

/// A running emulator; killed on drop.
pub struct Mock {
    child: Child,
    pub url: String,
}

impl Mock {
    /// Starts `imds-mock --port 0 ARGS…` and reads its base URL from the first stdout line.
    pub fn start(args: &[&str]) -> Mock {
        let mut child = Command::new(IMDS_MOCK)
            .args(["--port", "0"])
            .args(args)
            .env_clear()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start imds-mock");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("read imds-mock's first line");
        let url = line.trim().to_string();
        assert!(url.starts_with("http"), "imds-mock printed {url:?}");
        Mock { child, url }
    }

    /// The emulator's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The default emulator.
    pub fn new() -> Mock {
        Mock::start(&[])
    }

    /// The emulator with its `paging` data set: lists longer than a page.
    pub fn paging() -> Mock {
        Mock::start(&["--preset", "paging"])
    }

    /// `imds` with a clean environment, pointed at this emulator.
    pub fn imds(&self) -> Command {
        let mut cmd = imds();
        cmd.env("IMDS_ENDPOINT", &self.url);
        cmd
    }

    /// Sends a request to the emulator (control path or service path) and returns status and
    /// body. Never goes through a proxy.
    pub fn http(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        http(method, &format!("{}{}", self.url, path), body, &[])
    }

    /// `GET /_mock/counts` as JSON.
    pub fn counts(&self) -> serde_json::Value {
        let (status, body) = self.http("GET", "/_mock/counts", None);
        assert_eq!(status, 200, "counts: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// How many requests the emulator saw for `"METHOD /path"` (path without query).
    pub fn count(&self, method_path: &str) -> u64 {
        self.counts()["requests"][method_path].as_u64().unwrap_or(0)
    }

    /// Adds a fault with `POST /_mock/faults`.
    pub fn fault(&self, json: &str) {
        let (status, body) = self.http("POST", "/_mock/faults", Some(json));
        assert!(status < 300, "fault {json}: {status} {body}");
    }

    /// Applies a JSON merge patch to the fixture with `POST /_mock/patch`.
    pub fn patch(&self, json: &str) {
        let (status, body) = self.http("POST", "/_mock/patch", Some(json));
        assert_eq!(status, 200, "{body}");
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback address where nothing listens: the endpoint of every `imds` a test starts unless
/// the test sets its own, so that no test can ever reach the real link-local service.
pub const NOWHERE: &str = "http://127.0.0.1:9";

/// `imds` with a clean environment: no proxy, no colour, no backtrace, and no IMDS_* variable
/// but `IMDS_ENDPOINT`, which points at [`NOWHERE`] until the test sets it.
pub fn imds() -> Command {
    let mut cmd = Command::new(IMDS);
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("IMDS_ENDPOINT", NOWHERE)
        .stdin(Stdio::null());
    cmd
}

/// A full answer: status, headers (names lower-cased) and body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// `errors[0].code` of an IBM error body.
    pub fn code(&self) -> String {
        self.json()["errors"][0]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// A ureq agent that never uses a proxy and returns every status as an answer.
pub fn agent(tls: Option<ureq::tls::TlsConfig>) -> ureq::Agent {
    let mut config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(10)));
    if let Some(tls) = tls {
        config = config.tls_config(tls);
    }
    config.build().into()
}

/// One request with `agent`; the whole answer.
pub fn send_with(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> Answer {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let request = builder
        .body(body.unwrap_or("").as_bytes().to_vec())
        .unwrap();
    let mut response = agent.run(request).expect("http request");
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                v.to_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    Answer {
        status: response.status().as_u16(),
        headers,
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

/// One HTTP request with ureq (no proxy), any status accepted: status and body.
pub fn http(
    method: &str,
    url: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> (u16, String) {
    let answer = send_with(&agent(None), method, url, body, headers);
    (answer.status, answer.body)
}

/// Runs a command and returns its output.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run command")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts success and returns stdout.
#[track_caller]
pub fn ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

/// Asserts the exit code, an empty stdout and an `imds: ` first stderr line; returns stderr.
#[track_caller]
pub fn fails(cmd: &mut Command, code: i32) -> String {
    let out = run(cmd);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {}\nstderr: {err}",
        stdout(&out)
    );
    assert!(out.stdout.is_empty(), "stdout on failure: {}", stdout(&out));
    assert!(err.starts_with("imds: "), "stderr: {err}");
    err
}

/// Whether the tests run as root; a root-only test calls this first and says when it is
/// skipped.
#[cfg(unix)]
pub fn root_or_skip(test: &str) -> bool {
    let root = rustix::process::geteuid().is_root();
    if !root {
        eprintln!("skipped: {test} needs root");
    }
    root
}

pub fn json_out(cmd: &mut Command) -> Value {
    let text = ok(cmd);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A fresh temporary file path for this test process.
pub fn temp_path(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    std::env::temp_dir().join(format!("imds-test-{}-{n}-{name}", std::process::id()))
}

/// A fixture file with `n` SSH keys (and a minimal instance).
pub fn fixture_with_keys(n: usize) -> PathBuf {
    let keys: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "created_at": "2021-10-19T16:39:23.000Z",
                "crn": format!("crn:v1:bluemix:public:is:us-south:a/123::key:r006-key-{i:04}"),
                "fingerprint": format!("SHA256:fingerprint{i:04}"),
                "id": format!("r006-key-{i:04}"),
                "length": 256,
                "name": format!("key-{i:04}"),
                "public_key": format!("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA{i:04} key-{i:04}"),
                "resource_type": "key",
                "type": "ed25519"
            })
        })
        .collect();
    let fixture = json!({
        "instance": {
            "id": "0717_e3b04cd4-cf0c-4a6e-8b9b-8b4b08a7a2a2",
            "name": "fixture-instance",
            "network_interfaces": [],
            "volume_attachments": []
        },
        "initialization": {"keys": []},
        "keys": keys,
        "placement_groups": []
    });
    let path = temp_path("fixture.json");
    std::fs::write(&path, fixture.to_string()).unwrap();
    path
}

/// The token the emulator mints for `imds token`.
pub fn minted_token(mock: &Mock) -> String {
    ok(mock.imds().arg("token")).trim().to_string()
}

// ---- a canned-answer server, for answers the emulator does not give ----

/// Answers every request with `answer(n)` (n counts from 0) and closes the connection.
pub struct Canned {
    pub url: String,
    pub hits: Arc<AtomicUsize>,
}

impl Canned {
    pub fn start(answer: impl Fn(usize) -> Vec<u8> + Send + 'static) -> Canned {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let n = counter.fetch_add(1, Ordering::SeqCst);
                raw::read_request(&mut stream);
                let _ = stream.write_all(&answer(n));
                let _ = stream.flush();
            }
        });
        Canned { url, hits }
    }

    pub fn imds(&self) -> Command {
        let mut cmd = imds();
        cmd.env("IMDS_ENDPOINT", &self.url)
            .env("IMDS_TOKEN", "canned-token");
        cmd
    }
}
