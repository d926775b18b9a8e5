//! Tests for tokens: `imds token` and its output, when a token is minted and when
//! `IMDS_TOKEN` is reused, 401s and tokens that expire mid-run, the IAM exchange and its
//! trusted-profile problems, redaction, and the claims of a token that is not a JWT.

use serde_json::{Value, json};

use crate::raw;
use crate::support::{
    Canned, Mock, fails, json_out, minted_token, ok, run, stderr, stdout, temp_path,
};

/// A token value the emulator never issued: a stale `IMDS_TOKEN`.
const STALE_TOKEN: &str = "stale-token-0123456789abcdef";

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
