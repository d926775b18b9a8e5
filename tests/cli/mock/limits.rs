//! Hostile input and load: malformed requests, fault fields out of range, and the documented
//! limits on connections, sizes and idle time. Whatever arrives, the emulator answers and goes on.

use super::*;
use std::io::Write;

/// The emulator still mints tokens.
#[track_caller]
fn still_serves(mock: &Mock) {
    token(mock);
}

/// Sends `request` on a fresh connection; the status of the answer (0 if none came).
fn status_of(mock: &Mock, request: &[u8]) -> u16 {
    let (got, _) = exchange(&mock.url, request, Duration::from_secs(5));
    let text = String::from_utf8_lossy(&got);
    text.strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

#[test]
fn malformed_requests_are_400_and_the_emulator_goes_on() {
    let mock = Mock::new();
    let token_head =
        format!("PUT /identity/v1/token?{NEW} HTTP/1.1\r\nHost: x\r\nMetadata-Flavor: ibm\r\n");
    let chunked = format!("{token_head}Transfer-Encoding: chunked\r\n\r\n");
    let cases: Vec<(Vec<u8>, u16)> = vec![
        // A chunk size that overflows when the next chunk is added: over the body limit.
        (
            format!("{chunked}ffffffffffffffff\r\nx\r\n").into_bytes(),
            413,
        ),
        (
            format!("{chunked}1\r\nx\r\nffffffffffffffff\r\n").into_bytes(),
            413,
        ),
        // More hex digits than 64 bits hold, or none at all.
        (format!("{chunked}1ffffffffffffffff\r\n").into_bytes(), 400),
        (format!("{chunked}zz\r\n").into_bytes(), 400),
        (format!("{chunked}3\r\nabcXY0\r\n\r\n").into_bytes(), 400),
        (
            format!("{token_head}Content-Length: 99999999999999999999999\r\n\r\n").into_bytes(),
            413,
        ),
        (
            format!("{token_head}Content-Length: -1\r\n\r\n").into_bytes(),
            400,
        ),
        (
            format!("{token_head}Content-Length: +2\r\n\r\n{{}}").into_bytes(),
            400,
        ),
        (
            format!("{token_head}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{{}}").into_bytes(),
            400,
        ),
        (
            format!("{token_head}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{{}}")
                .into_bytes(),
            400,
        ),
        (
            format!("{token_head}Transfer-Encoding: gzip\r\n\r\n").into_bytes(),
            400,
        ),
        (b"GET /metadata/v1/instance HTTP/2.0\r\n\r\n".to_vec(), 400),
        (b"GET\r\n\r\n".to_vec(), 400),
        (b"G\0T / HTTP/1.1\r\n\r\n".to_vec(), 400),
        (b"GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n".to_vec(), 400),
        (b"GET / HTTP/1.1\r\nX-A: \xff\xfe\r\n\r\n".to_vec(), 400),
        (b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n".to_vec(), 400),
        (
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03".to_vec(),
            400,
        ),
    ];
    for (request, status) in cases {
        assert_eq!(
            status_of(&mock, &request),
            status,
            "{:?}",
            String::from_utf8_lossy(&request)
        );
        still_serves(&mock);
    }
}

#[test]
fn fault_fields_out_of_range_are_400_naming_the_field() {
    let mock = Mock::new();
    for (rule, field) in [
        (r#"{"kind":"token_ttl","seconds":1e300}"#, "`seconds`"),
        (r#"{"kind":"latency","ms":18446744073709551615}"#, "`ms`"),
        (
            r#"{"kind":"status","status":503,"retry_after":1e20}"#,
            "`retry_after`",
        ),
        (
            r#"{"kind":"oversize","bytes":18446744073709551615}"#,
            "`bytes`",
        ),
        (r#"{"kind":"status","status":65536}"#, "`status`"),
    ] {
        let a = send(&mock, "POST", "/_mock/faults", Some(rule), &[]);
        assert_ibm_error(&a, 400, "invalid_value");
        let message = a.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(message.contains(field), "{rule}: {message}");
    }
    // Two latencies that would overflow a duration when added up are each in range.
    mock.fault(r#"{"kind":"latency","ms":1,"count":1}"#);
    mock.fault(r#"{"kind":"latency","ms":1,"count":1}"#);
    still_serves(&mock);
    still_serves(&mock);
}

#[test]
fn fault_flags_out_of_range_are_exit_2_naming_the_field() {
    for (args, field) in [
        (
            &["--fault", r#"{"kind":"token_ttl","seconds":1e300}"#][..],
            "`seconds`",
        ),
        (
            &["--fault", r#"{"kind":"latency","ms":18446744073709551615}"#],
            "`ms`",
        ),
        (
            &["--fail", "503", "--retry-after", "100000"],
            "`retry_after`",
        ),
        (&["--oversize", "18446744073709551615"], "`bytes`"),
    ] {
        let out = Command::new(IMDS_MOCK)
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(field), "{args:?}: {err}");
    }
}

#[test]
fn a_head_over_16_kib_is_431() {
    let mock = Mock::new();
    let request = format!(
        "PUT /identity/v1/token?{NEW} HTTP/1.1\r\nHost: x\r\nMetadata-Flavor: ibm\r\nX-Pad: {}\r\n\r\n",
        "a".repeat(16 * 1024)
    );
    let (got, _) = raw(&mock, &request, Duration::from_secs(5));
    let (head, body) = split_answer(&got);
    assert!(head.starts_with("HTTP/1.1 431 "), "{head}");
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["errors"][0]["code"], "invalid_request");
    // Just under the limit is served.
    let request = request.replace(&"a".repeat(16 * 1024), &"a".repeat(15 * 1024));
    assert_eq!(status_of(&mock, request.as_bytes()), 200);
}

#[test]
fn too_large_a_body_is_413_invalid_request() {
    let mock = Mock::new();
    let request = format!(
        "PUT /identity/v1/token?{NEW} HTTP/1.1\r\nHost: x\r\nMetadata-Flavor: ibm\r\nContent-Length: {}\r\n\r\n",
        2 * 1024 * 1024
    );
    let (got, _) = raw(&mock, &request, Duration::from_secs(5));
    let (head, body) = split_answer(&got);
    assert!(head.starts_with("HTTP/1.1 413 "), "{head}");
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["errors"][0]["code"], "invalid_request");
}

#[test]
fn a_body_over_64_kib_is_413_with_a_length_or_chunked() {
    let mock = Mock::new();
    let head =
        format!("PUT /identity/v1/token?{NEW} HTTP/1.1\r\nHost: x\r\nMetadata-Flavor: ibm\r\n");
    let over = format!("{head}Content-Length: {}\r\n\r\n", 64 * 1024 + 1);
    assert_eq!(status_of(&mock, over.as_bytes()), 413);
    let mut chunked = format!("{head}Transfer-Encoding: chunked\r\n\r\n").into_bytes();
    for _ in 0..5 {
        chunked.extend_from_slice(format!("{:x}\r\n", 16 * 1024).as_bytes());
        chunked.extend_from_slice(&[b' '; 16 * 1024]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(status_of(&mock, &chunked), 413);
    // A whitespace body of exactly 64 KiB is an empty body: the defaults.
    let mut at = format!("{head}Content-Length: {}\r\n\r\n", 64 * 1024).into_bytes();
    at.extend_from_slice(&[b' '; 64 * 1024]);
    assert_eq!(status_of(&mock, &at), 200);
}

#[test]
fn connections_over_128_are_answered_503_and_closed() {
    let mock = Mock::new();
    let idle: Vec<Raw> = (0..128)
        .map(|_| connect(&mock, Duration::from_secs(5)))
        .collect();
    // The emulator counts a connection once its thread runs: give the last ones a moment.
    std::thread::sleep(Duration::from_millis(300));
    let mut extra = connect(&mock, Duration::from_secs(5));
    extra.send(token_request());
    let (got, closed) = extra.read_to_end();
    let (head, _) = split_answer(&got);
    assert!(head.starts_with("HTTP/1.1 503 "), "{head}");
    assert!(head.contains("Retry-After: 1"), "{head}");
    assert!(closed);
    drop(idle);
    std::thread::sleep(Duration::from_millis(300));
    still_serves(&mock);
}

#[test]
fn idle_connections_are_closed_after_10_s_with_408_inside_a_request() {
    let mock = Mock::new();
    let started = Instant::now();
    let mut silent = connect(&mock, Duration::from_secs(20));
    let mut partial = connect(&mock, Duration::from_secs(20));
    partial.send(format!(
        "PUT /identity/v1/token?{NEW} HTTP/1.1\r\nHost: x\r\n"
    ));
    let between = std::thread::spawn(move || silent.read_to_end());
    let (got, closed) = partial.read_to_end();
    let waited = started.elapsed();
    assert!(closed, "still open after {waited:?}");
    assert!(
        (Duration::from_secs(9)..Duration::from_secs(15)).contains(&waited),
        "{waited:?}"
    );
    let (head, _) = split_answer(&got);
    assert!(head.starts_with("HTTP/1.1 408 "), "{head}");
    let (got, closed) = between.join().unwrap();
    assert!(
        closed && got.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&got)
    );
}

/// Writes `bytes` one at a time, `every` apart, from another thread, until they run out or the
/// emulator closes; the connection stays readable here.
fn trickle(conn: &Raw, bytes: String, every: Duration) {
    let mut writer = conn.stream.try_clone().unwrap();
    std::thread::spawn(move || {
        for b in bytes.bytes() {
            if writer.write_all(&[b]).is_err() {
                return;
            }
            std::thread::sleep(every);
        }
    });
}

#[test]
fn a_head_or_a_body_trickled_a_byte_every_2_s_is_408_by_the_10_s_deadline() {
    let mock = Mock::new();
    let started = Instant::now();
    let mut head = connect(&mock, Duration::from_secs(20));
    trickle(&head, token_request(), Duration::from_secs(2));
    let mut body = connect(&mock, Duration::from_secs(20));
    body.send(format!(
        "PUT /identity/v1/token?{NEW} HTTP/1.1\r\nHost: x\r\nMetadata-Flavor: ibm\r\nContent-Length: 20\r\n\r\n"
    ));
    trickle(&body, " ".repeat(20), Duration::from_secs(2));
    let slow_body_reader = std::thread::spawn(move || {
        let answer = body.read_to_end();
        (answer, started.elapsed())
    });
    // Meanwhile every other client is served at once.
    while started.elapsed() < Duration::from_secs(8) {
        let asked = Instant::now();
        still_serves(&mock);
        assert!(
            asked.elapsed() < Duration::from_secs(1),
            "{:?}",
            asked.elapsed()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    let (got, closed) = head.read_to_end();
    let waited = started.elapsed();
    eprintln!("imds-mock closed a trickled head after {waited:?}");
    assert!(closed, "still open after {waited:?}");
    assert!(
        (Duration::from_secs(9)..Duration::from_secs(12)).contains(&waited),
        "{waited:?}"
    );
    let (answer, _) = split_answer(&got);
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    let ((got, closed), waited) = slow_body_reader.join().unwrap();
    eprintln!("imds-mock closed a trickled body after {waited:?}");
    assert!(closed, "still open after {waited:?}");
    assert!(
        (Duration::from_secs(9)..Duration::from_secs(12)).contains(&waited),
        "{waited:?}"
    );
    let (answer, _) = split_answer(&got);
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
}

#[test]
fn a_tls_handshake_trickled_a_byte_every_2_s_is_closed_by_the_10_s_deadline() {
    let mock = Mock::start(&[
        "--tls-cert",
        &data("server.pem"),
        "--tls-key",
        &data("server.key"),
    ]);
    let started = Instant::now();
    let mut conn = Raw::connect(
        &mock.url.replace("localhost", "127.0.0.1"),
        Duration::from_secs(20),
    );
    // The start of a ClientHello record, never finished.
    trickle(
        &conn,
        "\x16\x03\x01\x02\x00\x01\x00\x01\x7f".repeat(4),
        Duration::from_secs(2),
    );
    let (_, closed) = conn.read_to_end();
    let waited = started.elapsed();
    assert!(closed, "still open after {waited:?}");
    assert!(waited < Duration::from_secs(12), "{waited:?}");
}

#[test]
fn a_hundred_and_thirty_trickling_clients_do_not_starve_another_for_long() {
    let mock = Mock::new();
    let started = Instant::now();
    let tricklers: Vec<Raw> = (0..130)
        .map(|_| connect(&mock, Duration::from_secs(1)))
        .collect();
    for conn in &tricklers {
        trickle(conn, token_request(), Duration::from_secs(2));
    }
    // Every connection is taken: the emulator answers 503 until the deadline frees them.
    let request = token_request().replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
    let mut statuses = Vec::new();
    let served = loop {
        let (got, _) = raw(&mock, &request, Duration::from_secs(5));
        let status = String::from_utf8_lossy(got.get(9..12).unwrap_or(b"---")).into_owned();
        if status == "200" {
            break started.elapsed();
        }
        statuses.push(status);
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "not served in 15 s: {statuses:?}"
        );
        std::thread::sleep(Duration::from_millis(250));
    };
    eprintln!("served after {served:?} beside 130 trickling clients");
    assert!(served < Duration::from_secs(13), "served after {served:?}");
    assert!(statuses.iter().any(|s| s == "503"), "{statuses:?}");
}

/// Sends a 1 MiB chunked body in 64 KiB pieces, 50 ms apart; stops when the emulator closes.
#[cfg(target_os = "linux")]
fn slow_upload(url: &str) {
    let mut conn = Raw::connect(url, Duration::from_secs(30));
    let head = format!(
        "PUT /identity/v1/token?{NEW} HTTP/1.1\r\nHost: x\r\nMetadata-Flavor: ibm\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let mut piece = format!("{:x}\r\n", 64 * 1024).into_bytes();
    piece.extend_from_slice(&[b' '; 64 * 1024]);
    piece.extend_from_slice(b"\r\n");
    if conn.stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    for _ in 0..16 {
        if conn.stream.write_all(&piece).is_err() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = conn.stream.write_all(b"0\r\n\r\n");
    let _ = conn.read_to_end();
}

/// The peak resident memory of a process, KiB (Linux's `VmHWM`).
#[cfg(target_os = "linux")]
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}

#[cfg(target_os = "linux")]
#[test]
fn four_hundred_slow_1_mib_uploads_keep_the_emulator_under_100_mb() {
    let mock = Mock::new();
    let clients: Vec<_> = (0..400)
        .map(|_| {
            let url = mock.url.clone();
            std::thread::spawn(move || slow_upload(&url))
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
    let peak = peak_rss_kib(mock.pid());
    eprintln!("imds-mock peak RSS, 400 slow 1 MiB uploads: {peak} KiB");
    assert!(peak < 100 * 1024, "peak RSS {peak} KiB");
    still_serves(&mock);
}
