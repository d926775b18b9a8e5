//! A bare metal server (`imds-mock --bare-metal`): the identity API only. Tokens, IAM tokens and
//! certificates work on the `/identity/v1/` paths; every metadata path and, whatever the version
//! date, every `/instance_identity/` path is 404; the metadata commands say why, and `doctor`
//! recognises the machine.

use crate::support::{Mock, fails, ok};

fn bare_metal() -> Mock {
    Mock::start(&["--bare-metal"])
}

#[test]
fn bare_metal_serves_tokens_and_certificates_on_the_identity_paths() {
    let mock = bare_metal();
    assert!(!ok(mock.imds().arg("token")).trim().is_empty());
    assert!(!ok(mock.imds().args(["token", "--iam"])).trim().is_empty());
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.pem");
    let chain = ok(mock
        .imds()
        .args(["cert", "--key-type", "ec-p256", "--key-out"])
        .arg(&key));
    assert!(chain.starts_with("-----BEGIN CERTIFICATE-----"), "{chain}");
    assert_eq!(mock.count("PUT /identity/v1/token"), 3);
}

#[test]
fn bare_metal_has_no_instance_identity_paths_for_any_date() {
    let mock = bare_metal();
    // IBM's known fault: 404 even for the dates that should still have the old family.
    for version in ["2022-03-01", "2025-08-25"] {
        fails(mock.imds().args(["--api-version", version, "token"]), 3);
    }
    assert_eq!(mock.count("PUT /instance_identity/v1/token"), 2);
}

#[test]
fn metadata_commands_on_bare_metal_are_exit_3_with_the_bare_metal_hint() {
    let mock = bare_metal();
    for args in [
        &["instance"][..],
        &["init", "--user-data"],
        &["keys"],
        &["placement-groups"],
        &["nics"],
        &["volumes"],
        &["disks"],
        &["get", "instance"],
        &["snapshot"],
    ] {
        let err = fails(mock.imds().args(args), 3);
        assert!(
            err.contains("hint: bare metal servers serve only the identity API"),
            "{args:?}: {err}"
        );
    }
    assert!(mock.count("GET /metadata/v1/instance") >= 1);
}

#[test]
fn a_404_for_one_item_is_not_blamed_on_bare_metal() {
    let mock = Mock::new();
    let err = fails(mock.imds().args(["keys", "no-such-key"]), 3);
    assert!(!err.contains("bare metal"), "{err}");
    let err = fails(mock.imds().args(["get", "instance/no_such_thing"]), 3);
    assert!(!err.contains("bare metal"), "{err}");
}

#[test]
fn doctor_recognises_a_bare_metal_server() {
    let mock = bare_metal();
    let out = ok(mock.imds().arg("doctor"));
    let lines: Vec<&str> = out.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(lines.len(), 6, "{out}");
    assert!(lines.iter().all(|l| l.starts_with("✓ ")), "{out}");
    assert!(
        out.contains("✓ metadata: bare metal server: identity API only"),
        "{out}"
    );
    assert_eq!(mock.count("GET /metadata/v1/instance"), 1);
}

#[test]
fn doctor_on_bare_metal_with_an_old_date_names_the_known_fault() {
    let mock = bare_metal();
    let out = crate::support::run(mock.imds().args(["--api-version", "2022-03-01", "doctor"]));
    let stdout = crate::support::stdout(&out);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains("✗ version date"), "{stdout}");
    assert!(
        stdout.contains("on a bare metal server the /instance_identity/v1/ paths are 404"),
        "{stdout}"
    );
}

#[test]
fn doctor_names_the_bare_metal_command_when_the_service_is_silent() {
    let mock = Mock::start(&["--bare-metal", "--hang"]);
    let out = crate::support::run(mock.imds().args(["--timeout", "300ms", "doctor"]));
    let stdout = crate::support::stdout(&out);
    assert_eq!(out.status.code(), Some(4), "{stdout}");
    assert!(
        stdout.contains("ibmcloud is bare-metal-server-update SERVER --metadata-service true"),
        "{stdout}"
    );
}
