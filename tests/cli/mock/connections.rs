//! Counting, concurrency, keep-alive, TLS and the request log.

use super::*;

#[test]
fn counts_every_service_request_by_method_and_path() {
    let mock = Mock::new();
    let t = token(&mock);
    get(&mock, &t, "keys");
    get(&mock, &t, "keys?limit=1");
    get(&mock, &t, "nope");
    mock.fault(r#"{"kind": "status", "status": 503, "count": 1}"#);
    get(&mock, &t, "instance");
    let counts = mock.counts();
    assert_eq!(
        counts,
        json!({"total": 5, "requests": {
            "GET /metadata/v1/instance": 1,
            "GET /metadata/v1/keys": 2,
            "GET /metadata/v1/nope": 1,
            "PUT /identity/v1/token": 1,
        }})
    );
    assert_eq!(mock.count("GET /metadata/v1/keys"), 2);
    let (status, _) = mock.http("POST", "/_mock/reset", None);
    assert_eq!(status, 200);
    assert_eq!(mock.counts(), json!({"total": 0, "requests": {}}));
}

#[test]
fn twenty_four_parallel_clients_are_served_while_one_hangs() {
    let mock = Arc::new(Mock::new());
    mock.fault(r#"{"kind": "hang", "count": 1, "path": "/metadata/v1/instance"}"#);
    let t = token(&mock);
    let _hanging = std::thread::spawn({
        let mock = Arc::clone(&mock);
        let t = t.clone();
        move || {
            let _ = raw(
                &mock,
                &format!(
                    "GET /metadata/v1/instance?{NEW} HTTP/1.1\r\nAuthorization: Bearer {t}\r\n\r\n"
                ),
                Duration::from_secs(3),
            );
        }
    });
    std::thread::sleep(Duration::from_millis(100));
    let workers: Vec<_> = (0..24)
        .map(|_| {
            let mock = Arc::clone(&mock);
            let t = t.clone();
            std::thread::spawn(move || {
                let a = get(&mock, &t, "placement_groups?limit=100");
                assert_eq!(a.status, 200);
                token(&mock);
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(mock.count("GET /metadata/v1/placement_groups"), 24);
}

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let mock = Mock::new();
    let mut conn = connect(&mock, Duration::from_secs(5));
    for answers in 0..3 {
        conn.send(token_request());
        let (head, body) = conn
            .read_answer()
            .unwrap_or_else(|| panic!("connection closed after {answers} answers"));
        assert_eq!(body.len(), content_length(&head));
        assert!(head.starts_with("HTTP/1.1 200 "));
    }
    assert_eq!(mock.count("PUT /identity/v1/token"), 3);
}

#[test]
fn control_path_is_not_counted() {
    let mock = Mock::new();
    mock.counts();
    mock.http("GET", "/_mock/faults", None);
    assert_eq!(mock.counts()["total"], 0);
}

#[test]
fn tls_mode_answers_over_https_with_the_test_ca() {
    let mock = Mock::start(&[
        "--tls-cert",
        &data("server.pem"),
        "--tls-key",
        &data("server.key"),
    ]);
    assert!(mock.url.starts_with("https://localhost:"), "{}", mock.url);
    let ca = ureq::tls::Certificate::from_pem(&std::fs::read(data("ca.pem")).unwrap()).unwrap();
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::new_with_certs(&[ca]))
        .build();
    let agent = agent(Some(tls));
    let a = send_with(
        &agent,
        "PUT",
        &format!("{}/identity/v1/token?{NEW}", mock.url),
        None,
        &[("Metadata-Flavor", "ibm")],
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let t = a.json()["access_token"].as_str().unwrap().to_string();
    let auth = format!("Bearer {t}");
    let a = send_with(
        &agent,
        "GET",
        &format!("{}/metadata/v1/keys?{NEW}", mock.url),
        None,
        &[("Authorization", &auth)],
    );
    assert_eq!(a.status, 200);
    assert!(
        a.json()["first"]["href"]
            .as_str()
            .unwrap()
            .starts_with("https://localhost:")
    );
    // Without the test CA the certificate is not trusted.
    let untrusted = agent_default_roots();
    let url = format!("{}/identity/v1/token?{NEW}", mock.url);
    assert!(
        untrusted
            .put(&url)
            .header("Metadata-Flavor", "ibm")
            .send_empty()
            .is_err()
    );
}

/// An agent that trusts what imds trusts by default: the platform's verifier (the build has no
/// WebPki roots).
fn agent_default_roots() -> ureq::Agent {
    ureq::Agent::config_builder()
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(5)))
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .build()
        .into()
}

#[test]
fn harness_http_helper_reaches_the_emulator() {
    let mock = Mock::new();
    let (status, body) = support::http(
        "PUT",
        &format!("{}/identity/v1/token?{NEW}", mock.url),
        None,
        &[("Metadata-Flavor", "ibm")],
    );
    assert_eq!(status, 200, "{body}");
}

#[test]
fn log_has_one_line_per_request_and_never_a_token() {
    let mut child = Command::new(IMDS_MOCK)
        .args(["--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let url = line.trim_end();
    let (_, body) = support::http(
        "PUT",
        &format!("{url}/identity/v1/token?{NEW}"),
        None,
        &[("Metadata-Flavor", "ibm")],
    );
    let t = serde_json::from_str::<Value>(&body).unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let auth = format!("Bearer {t}");
    let (status, _) = support::http(
        "GET",
        &format!("{url}/metadata/v1/keys?{NEW}"),
        None,
        &[("Authorization", &auth)],
    );
    assert_eq!(status, 200);
    // A line is logged just after its answer is sent: read two before stopping the emulator,
    // then whatever else it wrote.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut log = String::new();
    for _ in 0..2 {
        std::io::BufRead::read_line(&mut stderr, &mut log).unwrap();
    }
    child.kill().unwrap();
    stderr.read_to_string(&mut log).unwrap();
    child.wait().unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(
        lines[0].starts_with("imds-mock: PUT /identity/v1/token 200 "),
        "{log}"
    );
    assert!(
        lines[1].starts_with("imds-mock: GET /metadata/v1/keys 200 "),
        "{log}"
    );
    assert!(lines.iter().all(|l| l.ends_with("ms")), "{log}");
    let signature = t.rsplit('.').next().unwrap();
    assert!(!log.contains(signature), "token in the log: {log}");
}

#[test]
fn fault_flag_takes_a_rule_in_the_control_path_form() {
    let mock = Mock::start(&[
        "--fault",
        r#"{"kind": "status", "status": 502, "path": "/metadata/"}"#,
    ]);
    let t = token(&mock);
    assert_eq!(get(&mock, &t, "instance").status, 502);
}
