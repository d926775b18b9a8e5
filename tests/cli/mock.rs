//! Tests for the emulator, driven over HTTP.

use crate::support::{self, Answer, IMDS_MOCK, Mock, agent, send_with};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
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

/// The host and port of a base URL.
fn addr(mock: &Mock) -> String {
    mock.url.trim_start_matches("http://").to_string()
}

/// Sends raw bytes on a fresh connection and reads until EOF or `timeout`; returns what came
/// back and whether the connection ended (false: still open when the time ran out).
fn raw(mock: &Mock, request: &str, timeout: Duration) -> (Vec<u8>, bool) {
    let mut stream = TcpStream::connect(addr(mock)).unwrap();
    stream.set_read_timeout(Some(timeout)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (got, true),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return (got, false);
            }
            Err(_) => return (got, true),
        }
    }
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

// --- command line -------------------------------------------------------------------------

#[test]
fn first_line_is_the_loopback_base_url() {
    let mock = Mock::new();
    let port = mock.url.strip_prefix("http://127.0.0.1:").expect(&mock.url);
    assert!(port.parse::<u16>().unwrap() > 0);
}

#[test]
fn exec_mode_exits_with_the_commands_status() {
    let out = Command::new(IMDS_MOCK)
        .args(["--", "sh", "-c", "test -n \"$IMDS_ENDPOINT\"; exit 3"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn exec_mode_endpoint_serves_while_the_command_runs() {
    // The command prints its IMDS_ENDPOINT and waits; meanwhile the test uses that endpoint.
    let mut child = Command::new(IMDS_MOCK)
        .args(["-q", "--", "sh", "-c", "echo \"$IMDS_ENDPOINT\"; sleep 1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
    let url = line.trim_end().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line:?}");
    let (status, body) = support::http(
        "PUT",
        &format!("{url}/identity/v1/token?{NEW}"),
        None,
        &[("Metadata-Flavor", "ibm")],
    );
    assert_eq!(status, 200, "{body}");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "", "imds-mock printed on stdout");
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn exec_mode_reports_death_by_signal_as_128_plus_n() {
    let status = Command::new(IMDS_MOCK)
        .args(["-q", "--", "sh", "-c", "kill -TERM $$"])
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(128 + 15));
}

#[test]
fn exec_mode_with_a_missing_command_is_127() {
    let out = Command::new(IMDS_MOCK)
        .args(["-q", "--", "/nonexistent/imds-mock-test-command"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(127));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot run"));
}

#[test]
fn malformed_fixture_is_exit_2_naming_the_field() {
    let path = write_temp(
        "bad.json",
        r#"{"instance": {"id": "i-1"}, "keys": [{"id": "k1"}, {"name": "no id"}]}"#,
    );
    let out = Command::new(IMDS_MOCK)
        .args(["--port", "0", "--fixture"])
        .arg(&path)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("imds-mock: "), "{err}");
    assert!(err.contains("keys[1].id"), "{err}");
}

#[test]
fn own_fixture_is_served() {
    let path = write_temp(
        "good.json",
        r##"{"instance": {"id": "i-own", "name": "mine", "volume_attachments": [{"id": "va-1"}]},
            "initialization": {"user_data": "#!/bin/sh\necho hi\n"},
            "keys": [{"id": "k1", "name": "only"}]}"##,
    );
    let mock = Mock::start(&["--fixture", path.to_str().unwrap()]);
    let t = token(&mock);
    assert_eq!(get(&mock, &t, "instance").json()["name"], "mine");
    assert_eq!(
        get(&mock, &t, "instance/initialization").json()["user_data"],
        "#!/bin/sh\necho hi\n"
    );
    assert_eq!(get(&mock, &t, "keys").json()["keys"][0]["name"], "only");
    assert_eq!(
        get(&mock, &t, "instance/volume_attachments/va-1").status,
        200
    );
    assert_eq!(get(&mock, &t, "placement_groups").json()["total_count"], 0);
}

#[test]
fn help_documents_the_fixture_and_control_path() {
    let out = Command::new(IMDS_MOCK).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "--fixture",
        "trusted_profiles",
        "/_mock/faults",
        "/_mock/counts",
        "--token-ttl",
    ] {
        assert!(help.contains(needle), "{needle} missing from --help");
    }
}

#[test]
fn help_lines_fit_80_and_100_columns() {
    for width in ["80", "100"] {
        let out = Command::new(IMDS_MOCK)
            .arg("--help")
            .env("COLUMNS", width)
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        let width: usize = width.parse().unwrap();
        for line in help.lines() {
            assert!(line.chars().count() <= width, "over {width}: {line:?}");
        }
        assert!(
            help.contains("`Metadata-Flavor: ibm`"),
            "header split at {width}:\n{help}"
        );
        assert!(help.contains("--oversize-chunked [<BYTES>]"), "{help}");
    }
    // The text after the options is laid out by hand to fit 80 columns: clap must not have
    // to wrap it again, so it reads the same at 80 as at 100.
    let after = |width: &str| {
        let out = Command::new(IMDS_MOCK)
            .arg("--help")
            .env("COLUMNS", width)
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&out.stdout).into_owned();
        help[help.find("The first line on stdout").unwrap()..].to_string()
    };
    assert_eq!(after("80"), after("100"));
}

#[test]
fn durations_follow_the_clients_rules() {
    for args in [
        ["--latency", ".5s"],
        ["--latency", "5."],
        ["--token-ttl", "169h"],
    ] {
        let mut child = Command::new(IMDS_MOCK)
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Accepted, it would serve for ever: give it 5 s to refuse.
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if started.elapsed() > Duration::from_secs(5) {
                child.kill().unwrap();
                child.wait().unwrap();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.and_then(|s| s.code()), Some(2), "{args:?} accepted");
    }
    Mock::start(&["--latency", "0.5s", "--token-ttl", "168h"]);
}

// --- tokens and version dates ---------------------------------------------------------------

#[test]
fn token_is_minted_on_both_path_families_with_their_dates() {
    let mock = Mock::new();
    let flavor = [("Metadata-Flavor", "ibm")];
    let new = send(
        &mock,
        "PUT",
        &format!("/identity/v1/token?{NEW}"),
        Some("{}"),
        &flavor,
    );
    assert_eq!(new.status, 200, "{}", new.body);
    let body = new.json();
    assert_eq!(body["expires_in"], 300);
    for key in ["access_token", "created_at", "expires_at"] {
        assert!(body[key].is_string(), "{key}: {}", new.body);
    }
    let old = send(
        &mock,
        "PUT",
        &format!("/instance_identity/v1/token?{OLD}"),
        None,
        &flavor,
    );
    assert_eq!(old.status, 200, "{}", old.body);
    let early = send(
        &mock,
        "PUT",
        "/identity/v1/token?version=2022-03-01",
        None,
        &flavor,
    );
    assert_eq!(early.status, 200, "{}", early.body);
}

#[test]
fn instance_identity_paths_are_gone_from_2025_08_26() {
    let mock = Mock::new();
    let a = send(
        &mock,
        "PUT",
        &format!("/instance_identity/v1/token?{NEW}"),
        None,
        &[("Metadata-Flavor", "ibm")],
    );
    assert_ibm_error(&a, 404, "not_found");
    let t = token(&mock);
    let auth = format!("Bearer {t}");
    let a = send(
        &mock,
        "POST",
        &format!("/instance_identity/v1/iam_token?{NEW}"),
        None,
        &[("Authorization", &auth)],
    );
    assert_ibm_error(&a, 404, "not_found");
}

#[test]
fn version_before_2022_03_01_gets_the_captured_answer() {
    let mock = Mock::new();
    let a = send(
        &mock,
        "PUT",
        "/instance_identity/v1/token?version=2021-09-30",
        None,
        &[("Metadata-Flavor", "ibm")],
    );
    assert_eq!(a.status, 400);
    assert_eq!(
        a.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let body = a.json();
    assert_eq!(
        body["errors"],
        json!([{
            "code": "invalid_version_range",
            "message": "The `version` value cannot be before `2022-03-01`.",
            "target": {"name": "2021-09-30", "type": "parameter"}
        }])
    );
    assert_eq!(a.header("x-request-id"), body["trace"].as_str());
}

#[test]
fn missing_malformed_or_future_version_is_400() {
    let mock = Mock::new();
    let flavor = [("Metadata-Flavor", "ibm")];
    assert_ibm_error(
        &send(&mock, "PUT", "/identity/v1/token", None, &flavor),
        400,
        "missing_field",
    );
    for bad in ["2025-8-26", "yesterday", "2025-02-30", "2999-01-01"] {
        let a = send(
            &mock,
            "PUT",
            &format!("/identity/v1/token?version={bad}"),
            None,
            &flavor,
        );
        assert_ibm_error(&a, 400, "invalid_value");
    }
    let t = token(&mock);
    let auth = format!("Bearer {t}");
    let a = send(
        &mock,
        "GET",
        "/metadata/v1/instance",
        None,
        &[("Authorization", &auth)],
    );
    assert_ibm_error(&a, 400, "missing_field");
}

#[test]
fn metadata_flavor_is_required_in_any_case() {
    let mock = Mock::new();
    let path = format!("/identity/v1/token?{NEW}");
    assert_ibm_error(&send(&mock, "PUT", &path, None, &[]), 400, "missing_value");
    assert_ibm_error(
        &send(&mock, "PUT", &path, None, &[("Metadata-Flavor", "google")]),
        400,
        "missing_value",
    );
    for value in ["ibm", "IBM", "Ibm"] {
        assert_eq!(
            send(&mock, "PUT", &path, None, &[("Metadata-Flavor", value)]).status,
            200,
            "{value}"
        );
    }
}

#[test]
fn expires_in_must_be_5_to_3600_whatever_the_content_type() {
    let mock = Mock::new();
    let path = format!("/identity/v1/token?{NEW}");
    let form = [
        ("Metadata-Flavor", "ibm"),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    for (body, expected) in [
        (r#"{"expires_in": 5}"#, Some(5)),
        (r#"{"expires_in": 3600}"#, Some(3600)),
        (r#"{"expires_in": 4}"#, None),
        (r#"{"expires_in": 3601}"#, None),
        (r#"{"expires_in": "60"}"#, None),
        ("", Some(300)),
    ] {
        let a = send(&mock, "PUT", &path, Some(body), &form);
        match expected {
            Some(n) => {
                assert_eq!(a.status, 200, "{body}: {}", a.body);
                assert_eq!(a.json()["expires_in"], n);
            }
            None => {
                assert_ibm_error(&a, 400, "invalid_value");
                assert_eq!(a.json()["errors"][0]["target"]["name"], "expires_in");
            }
        }
    }
    assert_ibm_error(
        &send(&mock, "PUT", &path, Some("{nope"), &form),
        400,
        "invalid_request",
    );
    assert_ibm_error(
        &send(&mock, "PUT", &path, Some(r#"{"xyzzy": 1}"#), &form),
        400,
        "unknown_field",
    );
}

#[test]
fn nonce_is_echoed() {
    let mock = Mock::new();
    let a = send(
        &mock,
        "PUT",
        &format!("/identity/v1/token?{NEW}"),
        Some(r#"{"nonce": "n-123"}"#),
        &[("Metadata-Flavor", "ibm")],
    );
    assert_eq!(a.json()["nonce"], "n-123");
}

#[test]
fn unknown_or_missing_token_is_401() {
    let mock = Mock::new();
    let a = send(
        &mock,
        "GET",
        &format!("/metadata/v1/instance?{NEW}"),
        None,
        &[],
    );
    assert_ibm_error(&a, 401, "missing_field");
    assert_ibm_error(
        &get(&mock, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "instance"),
        401,
        "unauthenticated",
    );
}

#[test]
fn tokens_expire_for_real() {
    let mock = Mock::start(&["--token-ttl", "1s"]);
    let t = token(&mock);
    assert_eq!(get(&mock, &t, "instance").status, 200);
    std::thread::sleep(Duration::from_millis(1300));
    assert_ibm_error(&get(&mock, &t, "instance"), 401, "unauthenticated");
    // A token minted now still works: the cap applies per token.
    let fresh = token(&mock);
    assert_eq!(get(&mock, &fresh, "instance").status, 200);
}

#[test]
fn token_ttl_fault_set_at_run_time_shortens_later_tokens() {
    let mock = Mock::new();
    let before = token(&mock);
    mock.fault(r#"{"kind": "token_ttl", "seconds": 1}"#);
    let after = token(&mock);
    std::thread::sleep(Duration::from_millis(1300));
    assert_eq!(get(&mock, &before, "instance").status, 200);
    assert_ibm_error(&get(&mock, &after, "instance"), 401, "unauthenticated");
}

#[test]
fn expire_tokens_invalidates_every_issued_token() {
    let mock = Mock::new();
    let t = token(&mock);
    assert_eq!(get(&mock, &t, "keys").status, 200);
    let (status, _) = mock.http("POST", "/_mock/expire-tokens", None);
    assert_eq!(status, 200);
    assert_ibm_error(&get(&mock, &t, "keys"), 401, "unauthenticated");
    let fresh = token(&mock);
    assert_eq!(get(&mock, &fresh, "keys").status, 200);
}

// --- IAM exchange ---------------------------------------------------------------------------

const PROFILE_ID: &str = "Profile-8dd84246-7df4-4667-94e4-8cede51d5ac5";
const OTHER_PROFILE_ID: &str = "Profile-2c4e6f80-1a3b-4c5d-8e9f-0a1b2c3d4e5f";

fn iam(mock: &Mock, path: &str, token: &str, body: Option<&str>) -> Answer {
    let auth = format!("Bearer {token}");
    send(mock, "POST", path, body, &[("Authorization", &auth)])
}

#[test]
fn iam_exchange_on_both_path_families_with_the_default_profile() {
    let mock = Mock::new();
    let t = token(&mock);
    for path in [
        format!("/identity/v1/iam_tokens?{NEW}"),
        format!("/instance_identity/v1/iam_token?{OLD}"),
    ] {
        let a = iam(&mock, &path, &t, None);
        assert_eq!(a.status, 200, "{path}: {}", a.body);
        let body = a.json();
        assert_eq!(body["expires_in"], 3600);
        let access = body["access_token"].as_str().unwrap();
        // An IAM token is no credential for the metadata paths (spec §2.3).
        assert_ibm_error(&get(&mock, access, "instance"), 401, "unauthenticated");
    }
}

#[test]
fn iam_exchange_by_id_or_crn() {
    let mock = Mock::new();
    let t = token(&mock);
    let path = format!("/identity/v1/iam_tokens?{NEW}");
    let by_id = format!(r#"{{"trusted_profile": {{"id": "{OTHER_PROFILE_ID}"}}}}"#);
    assert_eq!(iam(&mock, &path, &t, Some(&by_id)).status, 200);
    let crn = format!(
        "crn:v1:bluemix:public:iam-identity::a/aa2432b1fa4d4ace891e9b80fc104e34::profile:{PROFILE_ID}"
    );
    let by_crn = format!(r#"{{"trusted_profile": {{"crn": "{crn}"}}}}"#);
    assert_eq!(iam(&mock, &path, &t, Some(&by_crn)).status, 200);
    let unknown = r#"{"trusted_profile": {"id": "Profile-nope"}}"#;
    assert_ibm_error(
        &iam(&mock, &path, &t, Some(unknown)),
        400,
        "profile_not_linked",
    );
    let both = format!(r#"{{"trusted_profile": {{"id": "{PROFILE_ID}", "crn": "{crn}"}}}}"#);
    assert_ibm_error(&iam(&mock, &path, &t, Some(&both)), 400, "invalid_value");
    assert_ibm_error(&iam(&mock, &path, "bogus", None), 401, "unauthenticated");
}

#[test]
fn iam_exchange_without_a_default_profile_is_missing_field() {
    let path = write_temp("nodefault.json", r#"{"instance": {"id": "i-1"}}"#);
    let mock = Mock::start(&["--fixture", path.to_str().unwrap()]);
    let t = token(&mock);
    let a = iam(&mock, &format!("/identity/v1/iam_tokens?{NEW}"), &t, None);
    assert_ibm_error(&a, 400, "missing_field");
}

// --- metadata documents ---------------------------------------------------------------------

#[test]
fn every_document_and_collection_of_the_default_fixture_is_served() {
    let mock = Mock::new();
    let t = token(&mock);
    let instance = get(&mock, &t, "instance").json();
    assert_eq!(instance["name"], "my-instance");
    let init = get(&mock, &t, "instance/initialization").json();
    let user_data = init["user_data"].as_str().unwrap();
    assert!(
        user_data.starts_with("Content-Type: multipart/"),
        "{user_data}"
    );
    assert!(user_data.contains("#cloud-config"));
    assert_eq!(init["keys"].as_array().unwrap().len(), 3);
    for (path, key, count) in [
        ("instance/network_interfaces", "network_interfaces", 2),
        ("instance/volume_attachments", "volume_attachments", 2),
        ("instance/network_attachments", "network_attachments", 1),
        (
            "virtual_network_interfaces",
            "virtual_network_interfaces",
            1,
        ),
        ("keys", "keys", 3),
    ] {
        let list = get(&mock, &t, path).json();
        let items = list[key]
            .as_array()
            .unwrap_or_else(|| panic!("{path}: {list}"));
        assert_eq!(items.len(), count, "{path}");
        for item in items {
            let id = item["id"].as_str().unwrap();
            let one = get(&mock, &t, &format!("{path}/{id}"));
            assert_eq!(one.status, 200, "{path}/{id}");
            assert_eq!(&one.json(), item);
        }
    }
    let types: Vec<Value> = get(&mock, &t, "keys").json()["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["type"].clone())
        .collect();
    assert!(types.contains(&json!("rsa")) && types.contains(&json!("ed25519")));
}

#[test]
fn unknown_ids_and_the_singular_volume_attachment_are_404() {
    let mock = Mock::new();
    let t = token(&mock);
    let a = get(&mock, &t, "placement_groups/r018-nope");
    assert_ibm_error(&a, 404, "not_found");
    assert_eq!(
        a.json()["errors"][0]["message"],
        "Placement group not found."
    );
    assert_ibm_error(&get(&mock, &t, "keys/nope"), 404, "not_found");
    let va = get(&mock, &t, "instance/volume_attachments").json()["volume_attachments"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        get(&mock, &t, &format!("instance/volume_attachments/{va}")).status,
        200
    );
    assert_ibm_error(
        &get(&mock, &t, &format!("instance/volume_attachment/{va}")),
        404,
        "not_found",
    );
    assert_ibm_error(&get(&mock, &t, "no_such_thing"), 404, "not_found");
}

#[test]
fn wrong_method_is_405_with_allow() {
    let mock = Mock::new();
    let a = send(
        &mock,
        "POST",
        &format!("/metadata/v1/instance?{NEW}"),
        None,
        &[],
    );
    assert_ibm_error(&a, 405, "method_not_allowed");
    assert_eq!(a.header("allow"), Some("GET"));
    let a = send(
        &mock,
        "GET",
        &format!("/identity/v1/token?{NEW}"),
        None,
        &[],
    );
    assert_eq!((a.status, a.header("allow")), (405, Some("PUT")));
    let a = send(
        &mock,
        "GET",
        &format!("/identity/v1/iam_tokens?{NEW}"),
        None,
        &[],
    );
    assert_eq!((a.status, a.header("allow")), (405, Some("POST")));
}

#[test]
fn head_is_answered_with_headers_only() {
    let mock = Mock::new();
    for path in [
        format!("/metadata/v1/instance?{NEW}"),
        format!("/identity/v1/token?{NEW}"),
        "/_mock/counts".to_string(),
    ] {
        let (got, closed) = raw(
            &mock,
            &format!("HEAD {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            Duration::from_secs(5),
        );
        assert!(closed);
        let (head, body) = split_answer(&got);
        assert!(head.starts_with("HTTP/1.1 405 "), "{path}: {head}");
        assert!(content_length(&head) > 0, "{head}");
        assert!(
            body.is_empty(),
            "{path}: HEAD answered with a body: {}",
            String::from_utf8_lossy(&body)
        );
    }
    // On a kept-alive connection the next answer starts right after the head.
    let mut stream = TcpStream::connect(addr(&mock)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let request = format!("HEAD /metadata/v1/instance?{NEW} HTTP/1.1\r\nHost: x\r\n\r\n");
    stream
        .write_all(format!("{request}{}", token_request()).as_bytes())
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while got.windows(4).filter(|w| *w == b"\r\n\r\n").count() < 2 {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0);
        got.extend_from_slice(&buf[..n]);
    }
    let (_, rest) = split_answer(&got);
    assert!(
        rest.starts_with(b"HTTP/1.1 200 "),
        "{}",
        String::from_utf8_lossy(&rest)
    );
}

#[test]
fn too_large_a_body_is_400_invalid_request() {
    let mock = Mock::new();
    let request = format!(
        "PUT /identity/v1/token?{NEW} HTTP/1.1\r\nHost: x\r\nMetadata-Flavor: ibm\r\nContent-Length: {}\r\n\r\n",
        2 * 1024 * 1024
    );
    let (got, _) = raw(&mock, &request, Duration::from_secs(5));
    let (head, body) = split_answer(&got);
    assert!(head.starts_with("HTTP/1.1 400 "), "{head}");
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["errors"][0]["code"], "invalid_request");
}

#[test]
fn unknown_query_parameter_is_unknown_field() {
    let mock = Mock::new();
    let t = token(&mock);
    let a = get(&mock, &t, "placement_groups?limt=5");
    assert_ibm_error(&a, 400, "unknown_field");
    assert_eq!(a.json()["errors"][0]["target"]["name"], "limt");
    // limit belongs to paginated lists only.
    assert_ibm_error(&get(&mock, &t, "instance?limit=5"), 400, "unknown_field");
}

// --- pagination -----------------------------------------------------------------------------

/// Walks a paginated collection from its first page, following `next` hrefs as given;
/// returns the ids in order and the number of pages.
fn walk(mock: &Mock, t: &str, collection: &str, limit: Option<usize>) -> (Vec<String>, usize) {
    let auth = format!("Bearer {t}");
    let mut url = match limit {
        Some(l) => format!("{}/metadata/v1/{collection}?limit={l}&{NEW}", mock.url),
        None => format!("{}/metadata/v1/{collection}?{NEW}", mock.url),
    };
    let agent = agent(None);
    let (mut ids, mut pages) = (Vec::new(), 0);
    loop {
        let a = send_with(&agent, "GET", &url, None, &[("Authorization", &auth)]);
        assert_eq!(a.status, 200, "{url}: {}", a.body);
        let page = a.json();
        pages += 1;
        let expected_limit = limit.unwrap_or(50);
        assert_eq!(page["limit"], expected_limit);
        assert_eq!(
            page["first"]["href"],
            format!(
                "{}/metadata/v1/{collection}?limit={expected_limit}",
                mock.url
            )
        );
        ids.extend(
            page[collection]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_string()),
        );
        let total = page["total_count"].as_u64().unwrap() as usize;
        match page.get("next") {
            Some(next) => {
                let href = next["href"].as_str().unwrap();
                assert!(
                    href.starts_with(&format!("{}/metadata/v1/{collection}?", mock.url)),
                    "{href}"
                );
                assert!(href.contains("start="), "{href}");
                url = format!("{href}&{NEW}");
            }
            None => {
                assert_eq!(ids.len(), total);
                return (ids, pages);
            }
        }
        assert!(pages < 1000, "pagination does not end");
    }
}

#[test]
fn placement_groups_walk_to_the_end_with_every_item_once() {
    let mock = Mock::new();
    let t = token(&mock);
    for (limit, pages) in [
        (None, 3),
        (Some(50), 3),
        (Some(100), 2),
        (Some(7), 18),
        (Some(1), 120),
    ] {
        let (ids, got_pages) = walk(&mock, &t, "placement_groups", limit);
        assert_eq!(got_pages, pages, "limit {limit:?}");
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((ids.len(), unique.len()), (120, 120), "limit {limit:?}");
    }
}

#[test]
fn keys_are_one_page_with_page_fields() {
    let mock = Mock::new();
    let t = token(&mock);
    let (ids, pages) = walk(&mock, &t, "keys", None);
    assert_eq!((ids.len(), pages), (3, 1));
    let (ids, pages) = walk(&mock, &t, "keys", Some(2));
    assert_eq!((ids.len(), pages), (3, 2));
}

#[test]
fn next_href_follows_the_host_the_request_came_to() {
    let mock = Mock::new();
    let t = token(&mock);
    let auth = format!("Bearer {t}");
    let port = mock.url.rsplit(':').next().unwrap();
    let url = format!("http://localhost:{port}/metadata/v1/placement_groups?{NEW}");
    let a = send_with(&agent(None), "GET", &url, None, &[("Authorization", &auth)]);
    let next = a.json()["next"]["href"].as_str().unwrap().to_string();
    assert!(
        next.starts_with(&format!(
            "http://localhost:{port}/metadata/v1/placement_groups?"
        )),
        "{next}"
    );
}

#[test]
fn bad_limit_or_start_is_invalid_value() {
    let mock = Mock::new();
    let t = token(&mock);
    for query in [
        "limit=0",
        "limit=101",
        "limit=ten",
        "start=garbage",
        "start=first",
    ] {
        let a = get(&mock, &t, &format!("placement_groups?{query}"));
        assert_ibm_error(&a, 400, "invalid_value");
    }
}

// --- faults ---------------------------------------------------------------------------------

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
    let mut stream = TcpStream::connect(addr(&mock)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(token_request().as_bytes()).unwrap();
    let mut buf = [0u8; 4096];
    let n = stream.read(&mut buf).unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200 "));
    mock.fault(r#"{"kind": "drop", "count": 1}"#);
    stream.write_all(token_request().as_bytes()).unwrap();
    let n = stream.read(&mut buf).unwrap_or(0);
    assert_eq!(n, 0, "answered: {}", String::from_utf8_lossy(&buf[..n]));
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
            let mut stream = TcpStream::connect(url.trim_start_matches("http://")).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_millis(1500)))
                .unwrap();
            stream.write_all(request.as_bytes()).unwrap();
            let mut buf = [0u8; 1024];
            stream.read(&mut buf).map_err(|e| e.kind())
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

/// Splits a raw answer into its head and body; panics if there is no head.
fn split_answer(got: &[u8]) -> (String, Vec<u8>) {
    let end = got
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(got)));
    (
        String::from_utf8_lossy(&got[..end]).into_owned(),
        got[end + 4..].to_vec(),
    )
}

fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .unwrap_or_else(|| panic!("no Content-Length in {head}"))
        .parse()
        .unwrap()
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
    let mut stream = TcpStream::connect(addr(&mock)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(token_request().as_bytes()).unwrap();
    let mut buf = vec![0u8; 4096];
    let n = stream.read(&mut buf).unwrap();
    let (head, _) = split_answer(&buf[..n]);
    assert_eq!(content_length(&head), 64 * 1024 * 1024);
}

/// Reads a chunked body (RFC 9112 §7.1) from `rest`, pulling more from `stream` as needed;
/// the decoded body and whether it ended with the last (zero-size) chunk.
fn read_chunked(stream: &mut TcpStream, mut rest: Vec<u8>) -> (Vec<u8>, bool) {
    let mut body = Vec::new();
    let mut buf = vec![0u8; 65536];
    let mut more = |rest: &mut Vec<u8>| match stream.read(&mut buf) {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            rest.extend_from_slice(&buf[..n]);
            true
        }
    };
    loop {
        let line_end = loop {
            if let Some(p) = rest.windows(2).position(|w| w == b"\r\n") {
                break p;
            }
            if !more(&mut rest) {
                return (body, false);
            }
        };
        let size_text = String::from_utf8_lossy(&rest[..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.trim(), 16)
            .unwrap_or_else(|_| panic!("bad chunk size {size_text:?}"));
        rest.drain(..line_end + 2);
        while rest.len() < size + 2 {
            if !more(&mut rest) {
                return (body, false);
            }
        }
        assert_eq!(&rest[size..size + 2], b"\r\n", "chunk not followed by CRLF");
        if size == 0 {
            return (body, true);
        }
        body.extend(rest.drain(..size));
        rest.drain(..2);
    }
}

#[test]
fn oversize_chunked_streams_without_a_length() {
    let bytes = 8 * 1024 * 1024;
    let mock = Mock::new();
    mock.fault(&format!(
        r#"{{"kind": "oversize", "bytes": {bytes}, "chunked": true, "path": "/identity/"}}"#
    ));
    let mut stream = TcpStream::connect(addr(&mock)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(token_request().as_bytes()).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !got.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "closed inside the head");
        got.extend_from_slice(&buf[..n]);
    }
    let (head, rest) = split_answer(&got);
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("\r\ntransfer-encoding: chunked"), "{head}");
    assert!(!lower.contains("content-length"), "{head}");
    let (body, ended) = read_chunked(&mut stream, rest);
    assert!(ended, "no last chunk after {} bytes", body.len());
    assert_eq!(body.len(), bytes);
    assert!(body.starts_with(b"{\"") && body.ends_with(b"\"}"));
    // Keep-alive survives a chunked answer: the same connection serves the next request.
    mock.http("DELETE", "/_mock/faults", None);
    stream.write_all(token_request().as_bytes()).unwrap();
    let n = stream.read(&mut buf).unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200 "));
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
        let mut stream = TcpStream::connect(addr(&mock)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        stream.write_all(token_request().as_bytes()).unwrap();
        let mut buf = vec![0u8; 65536];
        let n = stream.read(&mut buf).unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200 "));
        drop(stream);
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

// --- counts, concurrency, keep-alive, TLS ---------------------------------------------------

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
    let mut stream = TcpStream::connect(addr(&mock)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut got = Vec::new();
    for answers in 0..3 {
        stream.write_all(token_request().as_bytes()).unwrap();
        got.clear();
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).unwrap();
            assert!(n > 0, "connection closed after {answers} answers");
            got.extend_from_slice(&buf[..n]);
            if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&got[..end]).into_owned();
                if got.len() >= end + 4 + content_length(&head) {
                    break;
                }
            }
        }
        assert!(got.starts_with(b"HTTP/1.1 200 "));
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

fn agent_default_roots() -> ureq::Agent {
    ureq::Agent::config_builder()
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(5)))
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

#[cfg(unix)]
#[test]
fn exec_mode_passes_sigterm_on_and_reports_it() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let marker = std::env::temp_dir().join(format!("imds-mock-term-{}", std::process::id()));
    let _ = std::fs::remove_file(&marker);
    // The command records that it got SIGTERM, then dies of it.
    let script = format!(
        "trap 'touch {m}; trap - TERM; kill -TERM $$' TERM; while :; do sleep 0.05; done",
        m = marker.display()
    );
    let mut child = Command::new(support::IMDS_MOCK)
        .args(["-q", "--", "sh", "-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "imds-mock did not end"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(marker.exists(), "the command never got SIGTERM");
    let _ = std::fs::remove_file(&marker);
    assert_eq!(status.code(), Some(128 + 15));
}

#[test]
fn exec_mode_honours_an_explicit_port() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let out = std::process::Command::new(support::IMDS_MOCK)
        .args([
            "-q",
            "--port",
            &port.to_string(),
            "--",
            "sh",
            "-c",
            "echo \"$IMDS_ENDPOINT\"",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("http://127.0.0.1:{port}")
    );
}
