//! Tests for `imds doctor`: its checks against the emulator, a silent service, a closed port,
//! `localhost` as an endpoint, and the one token it mints and reads with.

use crate::support::{self, Mock, minted_token, ok};

#[test]
fn doctor_passes_against_the_emulator() {
    let mock = Mock::new();
    let out = support::ok(mock.imds().arg("doctor"));
    let lines: Vec<&str> = out.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(lines.len(), 6, "{out}");
    assert!(lines.iter().all(|l| l.starts_with("✓ ")), "{out}");
    assert!(
        out.contains("IMDS_ENDPOINT="),
        "the override is reported: {out}"
    );
}

#[test]
fn doctor_names_disabled_service_and_hop_limit_when_the_service_is_silent() {
    let mock = Mock::new();
    mock.fault(r#"{"kind":"hang"}"#);
    let started = std::time::Instant::now();
    let out = support::run(mock.imds().args(["--timeout", "300ms", "doctor"]));
    let stdout = support::stdout(&out);
    assert_eq!(out.status.code(), Some(4), "{stdout}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert!(stdout.contains("✓ connect"), "{stdout}");
    assert!(stdout.contains("✗ token"), "{stdout}");
    assert!(stdout.contains("disabled"), "{stdout}");
    assert!(stdout.contains("hop limit"), "{stdout}");
    assert!(stdout.contains("--metadata-service true"), "{stdout}");
    assert!(stdout.contains("  fix: "), "{stdout}");
}

#[test]
fn doctor_connects_to_localhost_as_the_other_commands_do() {
    // The emulator listens on 127.0.0.1 only; where `localhost` resolves to `::1` first, the
    // connect check must go on to 127.0.0.1, as the requests themselves do.
    let mock = Mock::new();
    let port = mock.url.rsplit(':').next().unwrap();
    let endpoint = format!("http://localhost:{port}");
    let out = support::ok(mock.imds().env("IMDS_ENDPOINT", &endpoint).arg("doctor"));
    assert!(out.contains("✓ connect: 127.0.0.1:"), "{out}");
    support::ok(mock.imds().env("IMDS_ENDPOINT", &endpoint).arg("instance"));
}

#[test]
fn doctor_reports_a_closed_port_as_unreachable() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let out = support::run(
        support::imds()
            .env("IMDS_ENDPOINT", format!("http://127.0.0.1:{port}"))
            .arg("doctor"),
    );
    let stdout = support::stdout(&out);
    assert_eq!(out.status.code(), Some(4), "{stdout}");
    assert!(stdout.contains("✗ connect"), "{stdout}");
    assert!(stdout.contains("refused"), "{stdout}");
}

#[test]
fn doctor_mints_one_token_and_reads_with_it() {
    let mock = Mock::new();
    let stale = minted_token(&mock);
    mock.http("POST", "/_mock/expire-tokens", None);
    mock.http("POST", "/_mock/reset", None);
    let out = ok(mock.imds().arg("doctor").env("IMDS_TOKEN", &stale));
    assert!(out.contains("✓"), "{out}");
    assert_eq!(mock.count("PUT /identity/v1/token"), 1);
    assert_eq!(mock.count("GET /metadata/v1/instance"), 1);
    let old = ok(mock.imds().args(["--api-version", "2024-11-12", "doctor"]));
    assert!(old.contains("/instance_identity/v1/token"), "{old}");
    assert_eq!(mock.count("PUT /instance_identity/v1/token"), 1);
}
