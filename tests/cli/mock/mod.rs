//! Tests for the emulator, driven over HTTP, by topic; the helpers they share.

use crate::raw::{Raw, content_length, exchange, split_answer};
use crate::support::{self, Answer, IMDS_MOCK, Mock, agent, send_with};
use serde_json::{Value, json};
use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const NEW: &str = "version=2025-08-26";
const OLD: &str = "version=2025-08-25";

fn send(
    mock: &Mock,
    method: &str,
    path: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> Answer {
    send_with(
        &agent(None),
        method,
        &format!("{}{path}", mock.url),
        body,
        headers,
    )
}

/// Mints an identity token with the new path and date.
fn token(mock: &Mock) -> String {
    let a = send(
        mock,
        "PUT",
        &format!("/identity/v1/token?{NEW}"),
        None,
        &[("Metadata-Flavor", "ibm")],
    );
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()["access_token"].as_str().unwrap().to_string()
}

/// `GET /metadata/v1/PATH` (PATH may carry a query) with a token.
fn get(mock: &Mock, token: &str, path: &str) -> Answer {
    let sep = if path.contains('?') { '&' } else { '?' };
    let auth = format!("Bearer {token}");
    send(
        mock,
        "GET",
        &format!("/metadata/v1/{path}{sep}{NEW}"),
        None,
        &[("Authorization", &auth)],
    )
}

/// Asserts an IBM-shaped error with this status and code, `X-Request-Id` equal to `trace`.
#[track_caller]
fn assert_ibm_error(a: &Answer, status: u16, code: &str) {
    assert_eq!(a.status, status, "{}", a.body);
    assert_eq!(a.code(), code, "{}", a.body);
    assert_eq!(
        a.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let body = a.json();
    assert!(body["errors"][0]["message"].is_string(), "{}", a.body);
    assert_eq!(
        a.header("x-request-id"),
        body["trace"].as_str(),
        "{}",
        a.body
    );
}

/// Sends raw bytes on a fresh connection and reads until EOF or `timeout`; returns what came
/// back and whether the connection ended (false: still open when the time ran out).
fn raw(mock: &Mock, request: &str, timeout: Duration) -> (Vec<u8>, bool) {
    exchange(&mock.url, request, timeout)
}

/// A kept-alive connection to the emulator.
fn connect(mock: &Mock, timeout: Duration) -> Raw {
    Raw::connect(&mock.url, timeout)
}

fn token_request() -> String {
    format!(
        "PUT /identity/v1/token?{NEW} HTTP/1.1\r\nHost: x\r\nMetadata-Flavor: ibm\r\nContent-Length: 0\r\n\r\n"
    )
}

fn write_temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("imds-mock-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

mod command_line;
mod connections;
mod documents;
mod faults;
mod fixtures;
mod limits;
mod patches;
mod tokens;
