//! Tests for the client: commands, HTTP, tokens, exit codes.
//!
//! Most run the real `imds` against `imds-mock`; a few use a tiny canned-answer server below,
//! for answers the emulator does not give (redirects, arbitrary bytes, foreign page links).

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::raw;
use crate::support::{Mock, fails, imds, ok, run, stderr, stdout};

/// A token value the emulator never issued: a stale `IMDS_TOKEN`.
const STALE_TOKEN: &str = "stale-token-0123456789abcdef";

fn json_out(cmd: &mut Command) -> Value {
    let text = ok(cmd);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A port nobody listens on (bound, then released).
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A fresh temporary file path for this test process.
fn temp_path(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    std::env::temp_dir().join(format!("imds-client-{}-{n}-{name}", std::process::id()))
}

/// A fixture file with `n` SSH keys (and a minimal instance).
fn fixture_with_keys(n: usize) -> PathBuf {
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
fn minted_token(mock: &Mock) -> String {
    ok(mock.imds().arg("token")).trim().to_string()
}

fn first_id(mock: &Mock, command: &str) -> String {
    let list = json_out(mock.imds().arg(command));
    list[0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{command}: no id in {list}"))
        .to_string()
}

#[test]
fn every_listing_command_prints_an_array_of_items() {
    let mock = Mock::new();
    for (command, path) in [
        ("keys", "GET /metadata/v1/keys"),
        ("placement-groups", "GET /metadata/v1/placement_groups"),
        ("nics", "GET /metadata/v1/instance/network_interfaces"),
        ("volumes", "GET /metadata/v1/instance/volume_attachments"),
    ] {
        let list = json_out(mock.imds().arg(command));
        let items = list
            .as_array()
            .unwrap_or_else(|| panic!("{command}: {list}"));
        assert!(!items.is_empty(), "{command}: empty");
        assert!(
            items.iter().all(|i| i["id"].is_string()),
            "{command}: {list}"
        );
        assert!(mock.count(path) >= 1, "{command} never asked {path}");
    }
    let paging = Mock::paging();
    assert_eq!(
        json_out(paging.imds().arg("placement-groups"))
            .as_array()
            .unwrap()
            .len(),
        120
    );
}

#[test]
fn every_command_with_an_id_prints_that_item() {
    let mock = Mock::new();
    for (command, path) in [
        ("keys", "/metadata/v1/keys/"),
        ("placement-groups", "/metadata/v1/placement_groups/"),
        ("nics", "/metadata/v1/instance/network_interfaces/"),
        ("volumes", "/metadata/v1/instance/volume_attachments/"),
    ] {
        let id = first_id(&mock, command);
        let doc = json_out(mock.imds().args([command, &id]));
        assert_eq!(doc["id"], id.as_str(), "{command} {id}");
        assert_eq!(mock.count(&format!("GET {path}{id}")), 1, "{command} {id}");
    }
}

#[test]
fn instance_init_and_get_print_documents() {
    let mock = Mock::new();
    let instance = json_out(mock.imds().arg("instance"));
    assert!(instance["id"].is_string(), "{instance}");
    let init = json_out(mock.imds().arg("init"));
    assert!(init["keys"].is_array(), "{init}");
    let got = json_out(mock.imds().args(["get", "instance"]));
    assert_eq!(got, instance);
    let got = json_out(mock.imds().args(["get", "/metadata/v1/instance"]));
    assert_eq!(got, instance);
}

#[test]
fn get_follows_pages_and_drops_next() {
    let mock = Mock::paging();
    let doc = json_out(mock.imds().args(["get", "placement_groups"]));
    assert_eq!(
        doc["placement_groups"].as_array().unwrap().len(),
        120,
        "{doc}"
    );
    assert!(doc.get("next").is_none(), "next kept: {doc}");
}

#[test]
fn keys_across_three_pages_each_once() {
    let fixture = fixture_with_keys(250);
    let mock = Mock::start(&["--fixture", fixture.to_str().unwrap()]);
    let out = ok(mock.imds().args(["keys", "--field", "public_key"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 250, "{out}");
    for i in 0..250 {
        let want = format!("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA{i:04} key-{i:04}");
        assert_eq!(lines.iter().filter(|l| **l == want).count(), 1, "{want}");
    }
    assert_eq!(mock.count("GET /metadata/v1/keys"), 3);
    assert_eq!(mock.count("PUT /identity/v1/token"), 1);
    let _ = std::fs::remove_file(fixture);
}

#[test]
fn user_data_is_byte_exact() {
    let mock = Mock::new();
    let init = json_out(mock.imds().args(["init", "--compact"]));
    let want = init["user_data"]
        .as_str()
        .expect("default fixture has user_data");
    let out = run(mock.imds().args(["init", "--user-data"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(out.stdout, want.as_bytes());
}

#[test]
fn absent_user_data_prints_nothing() {
    let fixture = fixture_with_keys(1);
    let mock = Mock::start(&["--fixture", fixture.to_str().unwrap()]);
    let out = run(mock.imds().args(["init", "--user-data"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let _ = std::fs::remove_file(fixture);
}

#[test]
fn token_prints_bare_export_and_json() {
    let mock = Mock::new();
    let token = minted_token(&mock);
    assert!(!token.is_empty() && !token.contains(char::is_whitespace));
    let export = ok(mock.imds().args(["token", "--export"]));
    assert!(
        export.starts_with("export IMDS_TOKEN='") && export.ends_with("'\n"),
        "{export}"
    );
    let doc = json_out(
        mock.imds()
            .args(["token", "--json", "--expires-in", "3600"]),
    );
    assert_eq!(doc["expires_in"], 3600, "{doc}");
    assert!(doc["access_token"].is_string());
    let picked = ok(mock
        .imds()
        .args(["token", "--json", "--field", "expires_in"]));
    assert_eq!(picked, "300\n");
    assert_eq!(mock.count("PUT /identity/v1/token"), 4);
    assert_eq!(mock.count("GET /metadata/v1/instance"), 0);
}

#[test]
fn token_always_mints_even_with_imds_token() {
    let mock = Mock::new();
    let out = ok(mock.imds().arg("token").env("IMDS_TOKEN", STALE_TOKEN));
    assert_ne!(out.trim(), STALE_TOKEN);
    assert_eq!(mock.count("PUT /identity/v1/token"), 1);
}

#[test]
fn old_version_dates_use_the_instance_identity_paths() {
    let mock = Mock::new();
    ok(mock
        .imds()
        .args(["--api-version", "2024-11-12", "instance"]));
    assert_eq!(mock.count("PUT /instance_identity/v1/token"), 1);
    assert_eq!(mock.count("PUT /identity/v1/token"), 0);
}

#[test]
fn iam_exchange_for_the_default_profile() {
    let mock = Mock::new();
    let out = run(mock.imds().args(["token", "--iam"]));
    // The default fixture may or may not link a default profile; either way the right path is
    // asked and the outcome is a token or a clean error.
    assert_eq!(mock.count("POST /identity/v1/iam_tokens"), 1);
    if out.status.success() {
        assert!(!stdout(&out).trim().is_empty());
    } else {
        assert!(stderr(&out).starts_with("imds: "), "{}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
}

// ---- exit codes, provoked for real ----

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
fn unknown_id_is_exit_3() {
    let mock = Mock::new();
    let err = fails(mock.imds().args(["keys", "r006-no-such-key"]), 3);
    assert!(err.contains("no key with id r006-no-such-key"), "{err}");
    let err = fails(mock.imds().args(["get", "instance/no_such_thing"]), 3);
    assert!(err.contains("no_such_thing"), "{err}");
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
fn unauthorized_forever_is_exit_5_after_one_fresh_token() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "status", "status": 401, "path": "/metadata/"}"#);
    fails(mock.imds().arg("instance"), 5);
    assert_eq!(mock.count("GET /metadata/v1/instance"), 2);
    assert_eq!(mock.count("PUT /identity/v1/token"), 2);
}

#[test]
fn stale_imds_token_mints_exactly_one_fresh_token() {
    let mock = Mock::new();
    let out = ok(mock.imds().arg("instance").env("IMDS_TOKEN", STALE_TOKEN));
    assert!(out.contains("\"id\""));
    assert_eq!(mock.count("PUT /identity/v1/token"), 1);
    assert_eq!(mock.count("GET /metadata/v1/instance"), 2);
}

#[test]
fn valid_imds_token_is_reused() {
    let mock = Mock::new();
    let token = minted_token(&mock);
    ok(mock.imds().arg("keys").env("IMDS_TOKEN", &token));
    ok(mock.imds().arg("instance").env("IMDS_TOKEN", &token));
    assert_eq!(mock.count("PUT /identity/v1/token"), 1, "minted again");
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
fn the_token_never_appears_on_stderr() {
    let mock = Mock::new();
    let token = minted_token(&mock);
    let out = run(mock.imds().args(["-v", "keys"]).env("IMDS_TOKEN", &token));
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(err.contains("GET /metadata/v1/keys?version="), "{err}");
    assert!(!err.contains(&token), "token leaked: {err}");
    for fault in [
        r#"{"kind": "status", "status": 401, "path": "/metadata/"}"#,
        r#"{"kind": "status", "status": 403, "path": "/metadata/"}"#,
        r#"{"kind": "status", "status": 500, "path": "/metadata/"}"#,
        r#"{"kind": "not_json", "path": "/metadata/"}"#,
        r#"{"kind": "truncate", "path": "/metadata/"}"#,
    ] {
        mock.http("DELETE", "/_mock/faults", None);
        mock.fault(fault);
        let out = run(mock
            .imds()
            .args(["-v", "instance"])
            .env("IMDS_TOKEN", &token));
        assert!(!out.status.success(), "{fault}");
        let err = stderr(&out);
        assert!(!err.contains(&token), "token leaked with {fault}: {err}");
        assert!(!err.contains("Bearer"), "{err}");
    }
    let out = run(mock
        .imds()
        .args(["-v", "keys", "nope"])
        .env("IMDS_TOKEN", &token));
    assert!(!stderr(&out).contains(&token));
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
fn parallel_invocations_all_succeed() {
    let mock = Mock::new();
    let want = ok(mock.imds().args(["keys", "--compact"]));
    let children: Vec<_> = (0..24)
        .map(|_| {
            mock.imds()
                .args(["keys", "--compact"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stdout(&out), want);
    }
}

#[test]
fn https_with_the_test_ca() {
    let mock = Mock::start(&[
        "--tls-cert",
        "tests/data/server.pem",
        "--tls-key",
        "tests/data/server.key",
    ]);
    assert!(mock.url.starts_with("https://"), "{}", mock.url);
    let out = ok(mock
        .imds()
        .args(["--cacert", "tests/data/ca.pem", "instance"]));
    assert!(out.contains("\"id\""));
    let out = ok(mock
        .imds()
        .args(["--secure", "--cacert", "tests/data/ca.pem", "keys"]));
    assert!(out.contains("public_key"));
    let err = fails(mock.imds().arg("instance"), 4);
    assert!(err.contains("TLS"), "{err}");
    assert!(err.contains("--cacert"), "{err}");
}

#[test]
fn keys_field_matches_the_curl_jq_recipe() {
    let have = |tool: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !have("curl") || !have("jq") {
        eprintln!("skipped: curl or jq not installed");
        return;
    }
    let mock = Mock::new();
    let script = r#"t=$(curl -s --noproxy '*' -X PUT -H 'Metadata-Flavor: ibm' "$B/identity/v1/token?version=2025-08-26" | jq -r .access_token) &&
curl -s --noproxy '*' -H "Authorization: Bearer $t" "$B/metadata/v1/keys?version=2025-08-26" | jq -r '.keys[].public_key'"#;
    let recipe = Command::new("sh")
        .args(["-c", script])
        .env("B", &mock.url)
        .output()
        .unwrap();
    assert!(recipe.status.success(), "{}", stderr(&recipe));
    let ours = ok(mock.imds().args(["keys", "--field", "public_key"]));
    assert!(!ours.is_empty());
    assert_eq!(ours, stdout(&recipe));
}

#[test]
fn usage_errors_send_nothing() {
    let mock = Mock::new();
    for args in [
        &["--api-version", "2021-10-12", "instance"][..],
        &["--api-version", "yesterday", "instance"],
        &["--timeout", "soon", "instance"],
        &["--timeout", "0s", "instance"],
        &["token", "--expires-in", "4"],
        &["token", "--expires-in", "3601"],
        &["token", "--export", "--json"],
        &["keys", "a/b"],
        &["get", "../identity/v1/token"],
        &["get", "keys?limit=1"],
        &["get", "keys/%2e%2e/x"],
        &["get", "keys/%2F..%2Fidentity"],
        &["get", "http://example.com/metadata/v1/keys"],
    ] {
        let err = fails(mock.imds().args(args), 2);
        assert!(err.lines().count() <= 2, "{args:?}: {err}");
    }
    let err = fails(&mut mock.imds(), 2);
    assert!(
        err.starts_with("imds: a command is required: token, cert, instance"),
        "{err}"
    );
    let err = fails(mock.imds().arg("--bogus"), 2);
    assert!(err.contains("hint: see 'imds --help'"), "{err}");
    let err = fails(mock.imds().args(["--bogus", "instance"]), 2);
    assert!(err.contains("hint: see 'imds instance --help'"), "{err}");
    let err = fails(mock.imds().args(["keys", "a", "b"]), 2);
    assert!(err.contains("hint: see 'imds keys --help'"), "{err}");
    assert_eq!(mock.counts()["total"], 0);
}

#[test]
fn usage_errors_keep_what_clap_knows() {
    let mock = Mock::new();
    let err = fails(mock.imds().args(["token", "--profile-id", "x"]), 2);
    assert_eq!(
        err,
        "imds: --profile-id needs --iam\nhint: see 'imds token --help'\n"
    );
    let err = fails(mock.imds().arg("instanc"), 2);
    assert_eq!(
        err,
        "imds: unknown command 'instanc'\nhint: did you mean 'instance'?\n"
    );
    let err = fails(mock.imds().args(["--color", "sometimes", "instance"]), 2);
    assert!(
        err.starts_with("imds: 'sometimes' is not a valid --color: use auto, always or never\n"),
        "{err}"
    );
    let err = fails(
        mock.imds()
            .arg("instance")
            .env("IMDS_API_VERSION", "2021-01-01"),
        2,
    );
    assert!(err.starts_with("imds: bad IMDS_API_VERSION: "), "{err}");
    assert!(err.contains("2022-03-01"), "{err}");
    let err = fails(
        mock.imds()
            .args(["--api-version", "2021-01-01", "instance"]),
        2,
    );
    assert!(err.starts_with("imds: bad --api-version: "), "{err}");
    let err = fails(mock.imds().args(["--fild", "x", "instance"]), 2);
    assert_eq!(
        err,
        "imds: unknown option '--fild'\nhint: did you mean '--field'?\n"
    );
    let err = fails(mock.imds().arg("get"), 2);
    assert!(err.starts_with("imds: 'imds get' needs <PATH>\n"), "{err}");
    assert_eq!(mock.counts()["total"], 0);
}

#[test]
fn a_flag_wins_over_its_variable_which_is_then_not_read() {
    let mock = Mock::new();
    for (var, flag) in [
        ("IMDS_API_VERSION", ["--api-version", "2025-01-01"]),
        ("IMDS_TIMEOUT", ["--timeout", "2s"]),
        ("IMDS_WAIT", ["--wait", "5s"]),
    ] {
        let out = ok(mock
            .imds()
            .args(flag)
            .args(["instance", "--field", "id"])
            .env(var, "bogus"));
        assert!(!out.is_empty(), "{var}");
        let before = mock.counts()["total"].clone();
        let err = fails(mock.imds().arg("instance").env(var, "bogus"), 2);
        assert_eq!(mock.counts()["total"], before, "{var}: a request was sent");
        assert!(err.starts_with(&format!("imds: bad {var}: ")), "{err}");
        assert!(err.contains(&format!("hint: fix or unset {var}")), "{err}");
    }
    let err = fails(mock.imds().arg("instance").env("IMDS_SECURE", "maybe"), 2);
    assert!(err.starts_with("imds: bad IMDS_SECURE 'maybe'"), "{err}");
}

#[test]
fn empty_variables_count_as_unset() {
    let mock = Mock::new();
    for var in [
        "IMDS_API_VERSION",
        "IMDS_TIMEOUT",
        "IMDS_WAIT",
        "IMDS_SECURE",
        "IMDS_TOKEN",
    ] {
        let out = ok(mock.imds().args(["instance", "--field", "id"]).env(var, ""));
        assert!(!out.is_empty(), "{var}");
    }
}

#[test]
fn a_repeated_option_takes_its_last_value() {
    let mock = Mock::new();
    let out = run(mock.imds().args([
        "-v",
        "-v",
        "-c",
        "-c",
        "--color",
        "always",
        "--color",
        "never",
        "--timeout",
        "1ms",
        "--timeout",
        "5s",
        "instance",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "compact: {text}");
    assert!(!text.contains('\x1b'), "colour: {text}");
    assert_eq!(stderr(&out).lines().count(), 2, "{}", stderr(&out));
}

#[test]
fn huge_arguments_are_not_echoed_whole() {
    let mock = Mock::new();
    // A path over the length limit is refused before any request; one under it that matches
    // nothing is named, clipped.
    let path = format!("vcpu.{}", "a".repeat(100_000));
    let err = fails(mock.imds().args(["instance", "--field", &path]), 2);
    assert!(err.len() < 1_000, "{} bytes", err.len());
    assert!(err.contains('…'), "{err}");
    let path = format!("vcpu.{}", "a".repeat(4_000));
    let err = fails(mock.imds().args(["instance", "--field", &path]), 6);
    assert!(err.len() < 2_000, "{} bytes", err.len());
    assert!(err.contains('…'), "{err}");
    let id = "k".repeat(100_000);
    let err = fails(mock.imds().args(["get", &format!("keys/{id}/%2e")]), 2);
    assert!(err.len() < 1_000, "{} bytes", err.len());
    let err = fails(mock.imds().args(["--timeout", &id, "instance"]), 2);
    assert!(err.len() < 1_000, "{} bytes", err.len());
}

#[test]
fn secure_with_an_http_endpoint_is_exit_2() {
    let mock = Mock::new();
    fails(mock.imds().args(["--secure", "instance"]), 2);
    fails(mock.imds().arg("instance").env("IMDS_SECURE", "1"), 2);
    fails(
        imds().args(["--endpoint", "ftp://127.0.0.1", "instance"]),
        2,
    );
    fails(imds().args(["--endpoint", "http://", "instance"]), 2);
    fails(
        imds().args(["--endpoint", "http://127.0.0.1/x", "instance"]),
        2,
    );
    assert_eq!(mock.counts()["total"], 0);
}

#[test]
fn help_and_version_exit_0() {
    let out = ok(imds().arg("--help"));
    assert!(out.contains("Usage"), "{out}");
    let out = ok(imds().arg("--version"));
    assert!(out.starts_with("imds "), "{out}");
    let out = run(imds().arg("keys").arg("--help"));
    assert_eq!(out.status.code(), Some(0));
}

// ---- a canned-answer server, for answers the emulator does not give ----

/// Answers every request with `answer(n)` (n counts from 0) and closes the connection.
struct Canned {
    url: String,
    hits: Arc<AtomicUsize>,
}

impl Canned {
    fn start(answer: impl Fn(usize) -> Vec<u8> + Send + 'static) -> Canned {
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

    fn imds(&self) -> Command {
        let mut cmd = imds();
        cmd.env("IMDS_ENDPOINT", &self.url)
            .env("IMDS_TOKEN", "canned-token");
        cmd
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
fn iam_exchange_problems_with_profiles_say_what_to_do() {
    let mut fixture: Value = serde_json::from_str(include_str!(
        "../../crates/imds-mock/src/default_fixture.json"
    ))
    .unwrap();
    for profile in fixture["trusted_profiles"].as_array_mut().unwrap() {
        profile["default"] = Value::Bool(false);
    }
    let path = temp_path("no-default-profile.json");
    std::fs::write(&path, fixture.to_string()).unwrap();
    let mock = Mock::start(&["--fixture", path.to_str().unwrap()]);
    let err = fails(mock.imds().args(["token", "--iam"]), 1);
    assert!(err.contains("missing_field"), "{err}");
    assert!(
        err.contains("hint: the instance has no default trusted profile"),
        "{err}"
    );
    let err = fails(
        mock.imds()
            .args(["token", "--iam", "--profile-id", "Profile-nope"]),
        1,
    );
    assert!(err.contains("hint: link the trusted profile"), "{err}");
}

#[test]
fn a_token_echoed_by_the_service_is_redacted() {
    let canned = Canned::start(|_| {
        let body = br#"{"errors":[{"code":"unauthorized","message":"token Bearer canned-token refused"}],"trace":"t"}"#;
        raw::answer("403 Forbidden", "Content-Type: application/json\r\n", body)
    });
    let err = fails(canned.imds().arg("instance"), 5);
    assert!(!err.contains("canned-token"), "{err}");
    assert!(err.contains("token Bearer [redacted] refused"), "{err}");
}

#[test]
fn token_claims_of_a_token_that_is_not_a_jwt_are_exit_7_without_the_token() {
    for token in ["opaque-secret-token", "secret.~~~.sig", "secret.W10.sig"] {
        let body = json!({"access_token": token, "created_at": "2026-06-10T11:08:39Z",
                          "expires_at": "2026-06-10T11:13:39Z", "expires_in": 300})
        .to_string();
        let server = Canned::start(move |_| raw::answer("200 OK", "", body.as_bytes()));
        let err = fails(server.imds().args(["token", "--claims"]), 7);
        assert!(err.starts_with("imds: the token is not a JWT: "), "{err}");
        assert!(!err.contains("secret"), "the token in a message: {err}");
        // Without --claims the same token is fine: imds treats tokens as opaque.
        assert_eq!(ok(server.imds().arg("token")), format!("{token}\n"));
    }
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
fn next_href_to_other_paths_is_not_followed() {
    let body = br#"{"keys": [{"id": "a"}], "next": {"href": "http://169.254.169.254/identity/v1/token?start=x"}}"#;
    let server = Canned::start(move |_| raw::answer("200 OK", "", body));
    let err = fails(server.imds().arg("keys"), 7);
    assert!(err.contains("next page link"), "{err}");
    assert_eq!(server.hits.load(Ordering::SeqCst), 1);
}

#[test]
fn looping_pages_are_exit_7() {
    let body = br#"{"keys": [{"id": "a"}], "next": {"href": "http://169.254.169.254/metadata/v1/keys?limit=100&start=same"}}"#;
    let server = Canned::start(move |_| raw::answer("200 OK", "", body));
    let err = fails(server.imds().arg("keys"), 7);
    assert!(err.contains("loop"), "{err}");
    assert_eq!(server.hits.load(Ordering::SeqCst), 2);
}

#[test]
fn a_list_printed_as_its_pages_arrive_is_one_array_of_every_item() {
    // An empty page (the second) adds nothing; numbers stay as sent.
    let server = Canned::start(|n| {
        let body = match n % 3 {
            0 => {
                r#"{"keys": [{"id": "a", "length": 4096.0}], "next": {"href": "/metadata/v1/keys?limit=100&start=p2"}}"#
            }
            1 => r#"{"keys": [], "next": {"href": "/metadata/v1/keys?limit=100&start=p3"}}"#,
            _ => r#"{"keys": [{"id": "b"}, {"id": "c", "tags": []}], "total_count": 3}"#,
        };
        raw::answer("200 OK", "", body.as_bytes())
    });
    let out = ok(server.imds().arg("keys"));
    assert_eq!(
        out,
        "[\n  {\n    \"id\": \"a\",\n    \"length\": 4096.0\n  },\n  {\n    \"id\": \"b\"\n  },\n  \
         {\n    \"id\": \"c\",\n    \"tags\": []\n  }\n]\n"
    );
    assert_eq!(server.hits.load(Ordering::SeqCst), 3);
    // The next run starts again from the first page.
    let compact = ok(server.imds().args(["keys", "--compact"]));
    assert_eq!(
        compact,
        "[{\"id\":\"a\",\"length\":4096.0},{\"id\":\"b\"},{\"id\":\"c\",\"tags\":[]}]\n"
    );
}

#[test]
fn a_list_whose_pages_hold_no_items_array_is_exit_7() {
    let server = Canned::start(|_| raw::answer("200 OK", "", br#"{"keys": "none", "limit": 100}"#));
    let err = fails(server.imds().arg("keys"), 7);
    assert!(err.contains("no `keys` array"), "{err}");
    let server = Canned::start(|_| raw::answer("200 OK", "", b"[]"));
    let err = fails(server.imds().arg("keys"), 7);
    assert!(err.contains("not a JSON object"), "{err}");
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

#[test]
fn next_href_is_rebased_onto_the_endpoint() {
    let server = Canned::start(|n| {
        let body = if n == 0 {
            r#"{"keys": [{"id": "a"}], "next": {"href": "https://api.metadata.cloud.ibm.com/metadata/v1/keys?limit=100&start=p2"}}"#
        } else {
            r#"{"keys": [{"id": "b"}]}"#
        };
        raw::answer("200 OK", "", body.as_bytes())
    });
    let out = ok(server.imds().args(["keys", "--field", "id"]));
    assert_eq!(out, "a\nb\n");
    assert_eq!(server.hits.load(Ordering::SeqCst), 2);
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

#[test]
fn colour_follows_the_flag_and_no_color() {
    let mock = Mock::new();
    let plain = ok(mock.imds().arg("instance"));
    assert!(!plain.contains('\x1b'));
    let coloured = ok(mock.imds().args(["--color", "always", "instance"]));
    assert!(coloured.contains('\x1b'));
    let out = ok(mock
        .imds()
        .args(["--color", "auto", "instance"])
        .env("NO_COLOR", "1"));
    assert!(!out.contains('\x1b'));
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let mock = Mock::paging();
    let mut child = mock
        .imds()
        .arg("placement-groups")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn token_expiring_mid_run_is_replaced_once() {
    let mock = Mock::paging();
    let token = minted_token(&mock);
    mock.http("POST", "/_mock/expire-tokens", None);
    let out = ok(mock
        .imds()
        .arg("placement-groups")
        .env("IMDS_TOKEN", &token));
    assert_eq!(
        serde_json::from_str::<Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        120
    );
    assert_eq!(mock.count("PUT /identity/v1/token"), 2);
}
