//! Tests for failures: transport and service failures, what is retried and for how long
//! (`--wait`, `--timeout`, `Retry-After`), answers cut short or too large, proxies in the
//! environment, redirects, `-v`'s line per attempt, and the exit codes and hints each ends in.
//!
//! Most provoke the failure with the emulator's faults; the others use a canned-answer server
//! ([`crate::support::Canned`]) for answers the emulator does not give.

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::raw;
use crate::support::{Canned, Mock, fails, imds, ok, run, stderr};

/// A port nobody listens on (bound, then released).
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn assert_unreachable_hint(err: &str) {
    assert!(err.contains("hint: "), "{err}");
    for cause in ["disabled", "hop limit", "--secure"] {
        assert!(err.contains(cause), "hint lacks {cause}: {err}");
    }
}

#[test]
fn closed_port_is_exit_4_fast_with_the_hint() {
    let started = Instant::now();
    let err = fails(
        imds()
            .env(
                "IMDS_ENDPOINT",
                format!("http://127.0.0.1:{}", closed_port()),
            )
            .arg("instance"),
        4,
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_unreachable_hint(&err);
}

#[test]
fn silent_service_is_exit_4_after_the_timeout() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "hang"}"#);
    let started = Instant::now();
    let err = fails(mock.imds().args(["--timeout", "300ms", "instance"]), 4);
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(250) && took < Duration::from_secs(2),
        "{took:?}"
    );
    assert_unreachable_hint(&err);
}

#[test]
fn forbidden_is_exit_5_with_the_enable_hint() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "status", "status": 403, "path": "/metadata/"}"#);
    let err = fails(mock.imds().arg("instance"), 5);
    assert!(err.contains("hint: enable the metadata service"), "{err}");
    assert!(err.contains("stop and start"), "{err}");
    assert_eq!(mock.count("GET /metadata/v1/instance"), 1, "403 retried");
}

#[test]
fn not_json_is_exit_7() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "not_json", "path": "/metadata/"}"#);
    let err = fails(mock.imds().arg("instance"), 7);
    assert!(err.contains("not JSON"), "{err}");
}

#[test]
fn truncated_answer_is_exit_7_with_nothing_printed() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "truncate", "path": "/metadata/"}"#);
    fails(mock.imds().arg("instance"), 7);
    fails(mock.imds().arg("keys"), 7);
}

#[test]
fn oversize_answer_is_exit_7_without_reading_it_all() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "oversize", "bytes": 67108864, "path": "/metadata/"}"#);
    let started = Instant::now();
    let err = fails(mock.imds().arg("instance"), 7);
    assert!(err.contains("cap"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn two_503_then_success_takes_three_gets() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "status", "status": 503, "count": 2, "path": "/metadata/"}"#);
    ok(mock.imds().arg("instance"));
    assert_eq!(mock.count("GET /metadata/v1/instance"), 3);
}

#[test]
fn retry_after_is_honoured() {
    let mock = Mock::new();
    mock.fault(
        r#"{"kind": "status", "status": 429, "count": 1, "retry_after": 1, "path": "/metadata/"}"#,
    );
    let started = Instant::now();
    ok(mock.imds().arg("instance"));
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(900), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(mock.count("GET /metadata/v1/instance"), 2);
}

#[test]
fn dropped_connection_is_retried() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "drop", "count": 1, "path": "/metadata/"}"#);
    ok(mock.imds().arg("instance"));
    assert_eq!(mock.count("GET /metadata/v1/instance"), 2);
}

#[test]
fn persistent_drops_are_exit_4() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "drop", "path": "/metadata/"}"#);
    let err = fails(mock.imds().arg("instance"), 4);
    assert_unreachable_hint(&err);
    assert_eq!(mock.count("GET /metadata/v1/instance"), 3);
}

#[test]
fn transport_failures_are_told_in_our_words() {
    let refused = fails(
        imds()
            .env(
                "IMDS_ENDPOINT",
                format!("http://127.0.0.1:{}", closed_port()),
            )
            .arg("instance"),
        4,
    );
    let first = refused.lines().next().unwrap();
    assert!(first.ends_with(": connection refused"), "{first}");
    let mock = Mock::new();
    mock.fault(r#"{"kind": "drop", "path": "/metadata/"}"#);
    let dropped = stderr(&run(mock.imds().args(["-v", "instance"])));
    mock.fault(r#"{"kind": "truncate"}"#);
    let cut = fails(mock.imds().arg("instance"), 7);
    for text in [&refused, &dropped, &cut] {
        assert!(!text.contains("os error"), "{text}");
        assert!(!text.contains("Peer"), "{text}");
        assert!(!text.contains("Connection"), "{text}");
        assert!(!text.contains("io: "), "{text}");
    }
}

#[test]
fn a_failing_service_hints_to_retry_later() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "status", "status": 503, "path": "/metadata/"}"#);
    let err = fails(mock.imds().arg("instance"), 7);
    assert!(err.contains("\nhint: ") && err.contains("--wait"), "{err}");
    let err = fails(mock.imds().args(["--wait", "2s", "instance"]), 7);
    assert!(err.contains("\nhint: ") && err.contains("later"), "{err}");
}

#[test]
fn a_future_version_date_hints_at_the_default() {
    let mock = Mock::new();
    let err = fails(
        mock.imds()
            .args(["--api-version", "2099-01-01", "instance"]),
        1,
    );
    assert!(
        err.contains("hint: the version date 2099-01-01 may be later"),
        "{err}"
    );
    assert!(err.contains("2025-08-26"), "{err}");
}

#[test]
fn persistent_500_is_exit_7_after_three_attempts() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "status", "status": 500, "path": "/metadata/"}"#);
    let err = fails(mock.imds().arg("instance"), 7);
    assert!(err.contains("500"), "{err}");
    assert_eq!(mock.count("GET /metadata/v1/instance"), 3);
}

#[test]
fn wait_outlasts_a_late_service() {
    let port = closed_port();
    let late = Command::new("sh")
        .args([
            "-c",
            &format!(
                "sleep 3; exec '{}' --port {port}",
                crate::support::IMDS_MOCK
            ),
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    struct Reap(std::process::Child);
    impl Drop for Reap {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _late = Reap(late);
    let started = Instant::now();
    let out = ok(imds()
        .env("IMDS_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .args(["--wait", "20s", "instance"]));
    let took = started.elapsed();
    assert!(out.contains("\"id\""), "{out}");
    assert!(
        took >= Duration::from_secs(3) && took < Duration::from_secs(10),
        "{took:?}"
    );
}

#[test]
fn wait_against_a_closed_port_ends_at_the_deadline() {
    let started = Instant::now();
    let err = fails(
        imds()
            .env(
                "IMDS_ENDPOINT",
                format!("http://127.0.0.1:{}", closed_port()),
            )
            .args(["--wait", "3s", "instance"]),
        4,
    );
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(2500) && took < Duration::from_secs(6),
        "{took:?}"
    );
    assert_unreachable_hint(&err);
}

#[test]
fn wait_is_a_hard_bound_against_a_silent_service() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "hang"}"#);
    let started = Instant::now();
    fails(mock.imds().args(["--wait", "2s", "instance"]), 4);
    let took = started.elapsed();
    assert!(took < Duration::from_millis(3500), "{took:?}");
}

#[test]
fn timeout_message_names_the_timeout_the_wait_left() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "hang"}"#);
    let err = fails(mock.imds().args(["--wait", "500ms", "instance"]), 4);
    let first = err.lines().next().unwrap();
    assert!(!first.contains("within 2s"), "{first}");
    assert!(
        first.contains("ms (still failing after a 500ms wait, 1 attempt)"),
        "{first}"
    );
}

#[test]
fn zero_wait_is_a_usage_error() {
    for zero in ["0", "0s"] {
        let err = fails(imds().args(["--wait", zero, "instance"]), 2);
        assert!(err.contains("\nhint: "), "{err}");
        let err = fails(imds().arg("instance").env("IMDS_WAIT", zero), 2);
        assert!(err.contains("\nhint: "), "{err}");
    }
    let err = fails(imds().args(["--timeout", "0s", "instance"]), 2);
    assert!(err.contains("\nhint: "), "{err}");
}

#[test]
fn a_dead_proxy_in_the_environment_is_not_used() {
    let mock = Mock::new();
    let dead = format!("http://127.0.0.1:{}", closed_port());
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
    ] {
        let out = ok(mock.imds().arg("instance").env(var, &dead));
        assert!(out.contains("\"id\""), "{var}");
    }
}

#[test]
fn plain_http_to_an_https_only_service_is_exit_4_with_the_protocol_hint() {
    let mock = Mock::start(&[
        "--tls-cert",
        "tests/data/server.pem",
        "--tls-key",
        "tests/data/server.key",
    ]);
    let plain = mock.url.replacen("https://", "http://", 1);
    let err = fails(mock.imds().env("IMDS_ENDPOINT", &plain).arg("instance"), 4);
    assert!(err.contains("is it HTTPS only?"), "{err}");
    assert!(err.contains("hint: ") && err.contains("--secure"), "{err}");
}

#[test]
fn redirects_are_not_followed() {
    let other = Canned::start(|_| raw::answer("200 OK", "", b"{}"));
    let location = format!("Location: {}/metadata/v1/instance\r\n", other.url);
    let server = Canned::start(move |_| raw::answer("302 Found", &location, b""));
    let err = fails(server.imds().arg("instance"), 7);
    assert!(err.contains("redirect"), "{err}");
    assert_eq!(other.hits.load(Ordering::SeqCst), 0);
}

#[test]
fn answer_heads_up_to_8_kib_are_read_larger_ones_are_exit_7() {
    let head = |size: usize| format!("X-Padding: {}\r\n", "p".repeat(size));
    let server = Canned::start(move |_| raw::answer("200 OK", &head(7 * 1024), br#"{"id": "i"}"#));
    assert_eq!(ok(server.imds().args(["instance", "--field", "id"])), "i\n");
    let server = Canned::start(move |_| raw::answer("200 OK", &head(9 * 1024), br#"{"id": "i"}"#));
    let err = fails(server.imds().arg("instance"), 7);
    assert!(err.contains("headers are too large"), "{err}");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Exit codes docs/ARCHITECTURE.md §4 documents.
    fn documented(code: Option<i32>) -> bool {
        matches!(code, Some(0..=7))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        #[test]
        fn any_body_gives_a_documented_exit(body in proptest::collection::vec(any::<u8>(), 0..512)) {
            let answer = raw::answer("200 OK", "", &body);
            let server = Canned::start(move |_| answer.clone());
            let out = run(server.imds().arg("instance"));
            let err = stderr(&out);
            prop_assert!(documented(out.status.code()), "{:?} {}", out.status.code(), err);
            prop_assert!(!err.contains("panicked"), "{}", err);
            if !out.status.success() {
                prop_assert!(out.stdout.is_empty());
            }
        }

        #[test]
        fn any_raw_answer_gives_a_documented_exit(raw in proptest::collection::vec(any::<u8>(), 0..512)) {
            let server = Canned::start(move |_| raw.clone());
            let out = run(server.imds().args(["--timeout", "1s", "instance"]));
            let err = stderr(&out);
            prop_assert!(documented(out.status.code()), "{:?} {}", out.status.code(), err);
            prop_assert!(!err.contains("panicked"), "{}", err);
        }

        #[test]
        fn any_status_gives_a_documented_exit(status in 100u16..600, retry_after in 0u8..2) {
            let answer = raw::answer(
                &format!("{status} X"),
                &format!("Retry-After: {retry_after}\r\n"),
                br#"{"errors":[{"code":"x","message":"y"}],"trace":"t"}"#,
            );
            let server = Canned::start(move |_| answer.clone());
            let out = run(server.imds().args(["--timeout", "1s", "instance"]));
            let err = stderr(&out);
            prop_assert!(documented(out.status.code()), "{:?} {}", out.status.code(), err);
            prop_assert!(!err.contains("panicked"), "{}", err);
        }
    }
}

#[test]
fn connection_closed_before_an_answer_is_retried() {
    let server = Canned::start(|n| {
        if n == 0 {
            Vec::new()
        } else {
            raw::answer("200 OK", "", br#"{"id": "i"}"#)
        }
    });
    let out = ok(server.imds().args(["instance", "--field", "id"]));
    assert_eq!(out, "i\n");
    assert_eq!(server.hits.load(Ordering::SeqCst), 2);
}

#[test]
fn body_shorter_than_its_length_is_exit_7() {
    let server = Canned::start(|_| {
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"id\": \"i".to_vec()
    });
    let err = fails(server.imds().arg("instance"), 7);
    assert!(err.contains("cut short"), "{err}");
    assert_eq!(server.hits.load(Ordering::SeqCst), 1);
}

#[test]
fn announced_oversize_is_refused_unread() {
    let server = Canned::start(|_| {
        b"HTTP/1.1 200 OK\r\nContent-Length: 67108864\r\nConnection: close\r\n\r\n[[[[".to_vec()
    });
    let err = fails(server.imds().arg("instance"), 7);
    assert!(err.contains("cap"), "{err}");
}

#[test]
fn chunked_oversize_is_cut_at_the_cap() {
    let server = Canned::start(|_| {
        let mut out =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..20 {
            out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            out.extend_from_slice(&chunk);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"0\r\n\r\n");
        out
    });
    let err = fails(server.imds().arg("instance"), 7);
    assert!(err.contains("cap"), "{err}");
}

#[test]
fn verbose_prints_one_line_per_attempt() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "status", "status": 503, "count": 1, "path": "/metadata/"}"#);
    let out = run(mock.imds().args(["-v", "keys"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[0].starts_with("* PUT /identity/v1/token?version=2025-08-26 → 200 ("));
    assert!(
        lines[1].starts_with("* GET /metadata/v1/keys?version=2025-08-26&limit=100 → 503 ("),
        "{err}"
    );
    assert!(lines[1].contains("retrying in"), "{err}");
    assert!(lines[2].ends_with(" ms)"), "{err}");
}

#[test]
fn verbose_lines_are_told_apart_from_the_error_line() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "status", "status": 503, "path": "/metadata/"}"#);
    let out = run(mock.imds().args(["-v", "instance"]));
    assert_eq!(out.status.code(), Some(7));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines.len() >= 5, "{err}");
    assert!(lines[..4].iter().all(|l| l.starts_with("* ")), "{err}");
    assert!(lines[4].starts_with("imds: "), "{err}");
    assert!(lines[5..].iter().all(|l| l.starts_with("hint: ")), "{err}");
}
