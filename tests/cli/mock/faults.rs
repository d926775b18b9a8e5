//! Faults: set by flags and at the control path, and what each looks like on the wire.

use super::*;

#[test]
fn status_fault_fails_the_next_n_matching_requests() {
    let mock = Mock::new();
    let t = token(&mock);
    mock.fault(
        r#"{"kind": "status", "status": 503, "count": 2, "retry_after": 1, "path": "/metadata/"}"#,
    );
    // Out of scope: the token path is not touched.
    token(&mock);
    for _ in 0..2 {
        let a = get(&mock, &t, "instance");
        assert_eq!(a.status, 503);
        assert_eq!(a.header("retry-after"), Some("1"));
        assert_eq!(a.header("x-request-id"), a.json()["trace"].as_str());
    }
    assert_eq!(get(&mock, &t, "instance").status, 200);
}

#[test]
fn fail_flag_sets_status_with_retry_after_at_start() {
    let mock = Mock::start(&["--fail", "429:1", "--retry-after", "2"]);
    let a = send(
        &mock,
        "PUT",
        &format!("/identity/v1/token?{NEW}"),
        None,
        &[("Metadata-Flavor", "ibm")],
    );
    assert_eq!(a.status, 429);
    assert_eq!(a.header("retry-after"), Some("2"));
    token(&mock);
}

#[test]
fn fail_flag_without_count_fails_every_request() {
    let mock = Mock::start(&["--fail", "500"]);
    for _ in 0..3 {
        let a = send(
            &mock,
            "PUT",
            &format!("/identity/v1/token?{NEW}"),
            None,
            &[("Metadata-Flavor", "ibm")],
        );
        assert_ibm_error(&a, 500, "service_error");
    }
}

#[test]
fn status_faults_carry_the_catalogue_code_and_message() {
    let mock = Mock::new();
    for (status, code, message) in [
        (
            400,
            "invalid_request",
            Some("The request body was malformed."),
        ),
        (
            401,
            "unauthenticated",
            Some("The provided token is invalid or expired."),
        ),
        (
            403,
            "unauthorized",
            Some("The metadata service is not enabled on the provided instance."),
        ),
        (404, "not_found", None),
        (429, "too_many_requests", None),
        (500, "service_error", Some("An internal error occurred.")),
        (502, "service_error", Some("An internal error occurred.")),
        (503, "service_error", Some("An internal error occurred.")),
    ] {
        mock.fault(&format!(
            r#"{{"kind": "status", "status": {status}, "count": 1}}"#
        ));
        let a = send(
            &mock,
            "PUT",
            &format!("/identity/v1/token?{NEW}"),
            None,
            &[("Metadata-Flavor", "ibm")],
        );
        assert_ibm_error(&a, status, code);
        if let Some(message) = message {
            assert_eq!(a.json()["errors"][0]["message"], message, "{status}");
        }
        assert_eq!(a.header("retry-after").is_some(), status == 429, "{status}");
    }
}

#[test]
fn drop_closes_the_connection_without_an_answer() {
    let mock = Mock::start(&["--drop", "1"]);
    let (got, closed) = raw(&mock, &token_request(), Duration::from_secs(5));
    assert!(closed, "connection left open");
    assert!(
        got.is_empty(),
        "answered: {}",
        String::from_utf8_lossy(&got)
    );
    // Only one: the next request is answered.
    let (got, _) = raw(&mock, &token_request(), Duration::from_secs(5));
    assert!(
        got.starts_with(b"HTTP/1.1 200 "),
        "{}",
        String::from_utf8_lossy(&got)
    );
}

#[test]
fn drop_fault_breaks_a_keep_alive_connection_too() {
    let mock = Mock::new();
    let mut conn = connect(&mock, Duration::from_secs(5));
    conn.send(token_request());
    let (head, _) = conn.read_answer().expect("an answer");
    assert!(head.starts_with("HTTP/1.1 200 "));
    mock.fault(r#"{"kind": "drop", "count": 1}"#);
    conn.send(token_request());
    let (got, _) = conn.read_to_end();
    assert_eq!(got.len(), 0, "answered: {}", String::from_utf8_lossy(&got));
}

#[test]
fn hang_holds_the_connection_without_answering_and_others_go_on() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "hang", "count": 1}"#);
    let started = Instant::now();
    let held = std::thread::spawn({
        let request = token_request();
        let url = mock.url.clone();
        move || {
            use std::io::Read;
            let mut conn = Raw::connect(&url, Duration::from_millis(1500));
            conn.send(request);
            let mut buf = [0u8; 1024];
            conn.stream.read(&mut buf).map_err(|e| e.kind())
        }
    });
    // While the first connection hangs, another one is answered at once.
    std::thread::sleep(Duration::from_millis(200));
    let t = token(&mock);
    assert_eq!(get(&mock, &t, "instance").status, 200);
    assert!(started.elapsed() < Duration::from_millis(1500));
    let outcome = held.join().unwrap();
    assert!(
        matches!(
            outcome,
            Err(std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)
        ),
        "hanging connection got {outcome:?}"
    );
}

#[test]
fn hang_flag_never_answers() {
    let mock = Mock::start(&["--hang"]);
    let (got, closed) = raw(&mock, &token_request(), Duration::from_millis(800));
    assert!(
        got.is_empty() && !closed,
        "got {:?}, closed {closed}",
        String::from_utf8_lossy(&got)
    );
    assert_eq!(mock.count("PUT /identity/v1/token"), 1);
}

#[test]
fn latency_delays_the_answer() {
    let mock = Mock::start(&["--latency", "300ms"]);
    let started = Instant::now();
    token(&mock);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    let (status, _) = mock.http("DELETE", "/_mock/faults", None);
    assert_eq!(status, 200);
    mock.fault(r#"{"kind": "latency", "ms": 400, "count": 1}"#);
    let started = Instant::now();
    token(&mock);
    assert!(started.elapsed() >= Duration::from_millis(400));
    let started = Instant::now();
    token(&mock);
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn truncate_sends_half_the_body_then_closes() {
    let mock = Mock::start(&["--truncate"]);
    let (got, closed) = raw(&mock, &token_request(), Duration::from_secs(5));
    assert!(closed);
    let (head, body) = split_answer(&got);
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    let length = content_length(&head);
    assert_eq!(body.len(), length / 2);
    assert!(serde_json::from_slice::<Value>(&body).is_err());
}

#[test]
fn oversize_streams_a_body_that_large() {
    let bytes = 8 * 1024 * 1024;
    let mock = Mock::new();
    mock.fault(&format!(
        r#"{{"kind": "oversize", "bytes": {bytes}, "path": "/identity/"}}"#
    ));
    let (got, _) = raw(
        &mock,
        &token_request().replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n"),
        Duration::from_secs(10),
    );
    let (head, body) = split_answer(&got);
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    assert_eq!(content_length(&head), bytes);
    assert_eq!(body.len(), bytes);
    assert!(body.starts_with(b"{\"") && body.ends_with(b"\"}"));
}

#[test]
fn oversize_flag_defaults_to_64_mib() {
    let mock = Mock::start(&["--oversize"]);
    let mut conn = connect(&mock, Duration::from_secs(5));
    conn.send(token_request());
    let head = conn.read_head().expect("a head");
    assert_eq!(content_length(&head), 64 * 1024 * 1024);
}

#[test]
fn oversize_chunked_streams_without_a_length() {
    let bytes = 8 * 1024 * 1024;
    let mock = Mock::new();
    mock.fault(&format!(
        r#"{{"kind": "oversize", "bytes": {bytes}, "chunked": true, "path": "/identity/"}}"#
    ));
    let mut conn = connect(&mock, Duration::from_secs(10));
    conn.send(token_request());
    let head = conn.read_head().expect("closed inside the head");
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("\r\ntransfer-encoding: chunked"), "{head}");
    assert!(!lower.contains("content-length"), "{head}");
    let (body, ended) = conn.read_chunked();
    assert!(ended, "no last chunk after {} bytes", body.len());
    assert_eq!(body.len(), bytes);
    assert!(body.starts_with(b"{\"") && body.ends_with(b"\"}"));
    // Keep-alive survives a chunked answer: the same connection serves the next request.
    mock.http("DELETE", "/_mock/faults", None);
    conn.send(token_request());
    let (head, _) = conn.read_answer().expect("an answer");
    assert!(head.starts_with("HTTP/1.1 200 "));
}

#[test]
fn oversize_chunked_flag_is_read_by_a_client_without_a_length() {
    let mock = Mock::start(&["--oversize-chunked", "100000"]);
    let a = send(
        &mock,
        "PUT",
        &format!("/identity/v1/token?{NEW}"),
        None,
        &[("Metadata-Flavor", "ibm")],
    );
    assert_eq!(a.status, 200);
    assert_eq!(a.header("transfer-encoding"), Some("chunked"));
    assert_eq!(a.header("content-length"), None);
    assert_eq!(a.body.len(), 100_000);
    let (status, rules) = mock.http("GET", "/_mock/faults", None);
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&rules).unwrap()["rules"],
        json!([{"kind": "oversize", "bytes": 100_000, "chunked": true}])
    );
}

#[test]
fn oversize_chunked_stops_quietly_when_the_client_hangs_up() {
    let mock = Mock::start(&["--oversize-chunked", "1099511627776"]);
    for _ in 0..3 {
        let mut conn = connect(&mock, Duration::from_secs(5));
        conn.send(token_request());
        let head = conn.read_head().expect("a head");
        assert!(head.starts_with("HTTP/1.1 200 "));
        drop(conn);
    }
    // A terabyte was promised three times; the emulator gave up on each and still answers.
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(mock.count("PUT /identity/v1/token"), 3);
}

#[test]
fn not_json_answers_200_with_a_body_that_is_not_json() {
    let mock = Mock::start(&["--not-json"]);
    let a = send(
        &mock,
        "PUT",
        &format!("/identity/v1/token?{NEW}"),
        None,
        &[("Metadata-Flavor", "ibm")],
    );
    assert_eq!(a.status, 200);
    assert!(!a.body.is_empty());
    assert!(
        serde_json::from_str::<Value>(&a.body).is_err(),
        "{}",
        a.body
    );
}

#[test]
fn bad_fault_rules_are_refused_naming_the_field() {
    let mock = Mock::new();
    let (status, body) = mock.http("POST", "/_mock/faults", Some(r#"{"kind": "explode"}"#));
    assert_eq!(status, 400);
    assert!(body.contains("kind"), "{body}");
    let (status, _) = mock.http("POST", "/_mock/faults", Some("not json"));
    assert_eq!(status, 400);
}

#[test]
fn faults_can_be_listed_and_cleared() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "status", "status": 500}"#);
    let (_, listed) = mock.http("GET", "/_mock/faults", None);
    assert_eq!(
        serde_json::from_str::<Value>(&listed).unwrap()["rules"],
        json!([{"kind": "status", "status": 500}])
    );
    let (status, _) = mock.http("DELETE", "/_mock/faults", None);
    assert_eq!(status, 200);
    token(&mock);
}
