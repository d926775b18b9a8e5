//! Identity tokens, version dates and the IAM exchange.

use super::*;

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
        // An IAM token is no credential for the metadata paths (docs/SERVICE.md §2.3).
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
