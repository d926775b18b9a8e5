//! The identity API end to end: `imds cert` against the emulator's certificate authority,
//! checked with openssl; the token nonce; trusted profiles by name; the emulator's
//! certificates route, its `/instance_identity` rule, page tokens, response headers, and its
//! default SSH keys checked with ssh-keygen.

use crate::support::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const INSTANCE_ID: &str = "0717_eb1b7391-2ca2-4ab5-84a8-b92157a633b0";

/// Runs an external tool; its stdout, or the test fails with its stderr.
#[track_caller]
fn tool(program: &str, args: &[&str], dir: &Path) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The PEM blocks of a chain, in order.
fn blocks(chain: &str) -> Vec<String> {
    chain
        .split_inclusive("-----END CERTIFICATE-----\n")
        .filter(|b| b.contains("BEGIN CERTIFICATE"))
        .map(str::to_string)
        .collect()
}

fn mock_with_ca(dir: &Path) -> Mock {
    let root = dir.join("root.pem");
    Mock::start(&["--ca-out", root.to_str().unwrap()])
}

#[test]
fn cert_chain_verifies_against_the_emulators_root_and_holds_the_new_key() {
    let dir = tempfile::tempdir().unwrap();
    let mock = mock_with_ca(dir.path());
    // The root is written before the URL line, so it is there now.
    assert!(dir.path().join("root.pem").exists());
    let key = dir.path().join("k.pem");
    let chain = ok(mock
        .imds()
        .args(["cert", "--key-out", key.to_str().unwrap()]));
    let certs = blocks(&chain);
    assert_eq!(certs.len(), 2, "{chain}");
    std::fs::write(dir.path().join("leaf.pem"), &certs[0]).unwrap();
    std::fs::write(dir.path().join("intermediate.pem"), &certs[1]).unwrap();
    let verified = tool(
        "openssl",
        &[
            "verify",
            "-CAfile",
            "root.pem",
            "-untrusted",
            "intermediate.pem",
            "leaf.pem",
        ],
        dir.path(),
    );
    assert_eq!(verified.trim(), "leaf.pem: OK");
    let subject = tool(
        "openssl",
        &[
            "x509", "-in", "leaf.pem", "-noout", "-subject", "-nameopt", "RFC2253",
        ],
        dir.path(),
    );
    assert_eq!(subject.trim(), format!("subject=CN={INSTANCE_ID},C=US"));
    // The leaf holds the public half of the key written to --key-out, an RSA 4096 key.
    let leaf_key = tool(
        "openssl",
        &["x509", "-in", "leaf.pem", "-noout", "-pubkey"],
        dir.path(),
    );
    let file_key = tool("openssl", &["pkey", "-in", "k.pem", "-pubout"], dir.path());
    assert_eq!(leaf_key, file_key);
    let text = tool(
        "openssl",
        &["pkey", "-in", "k.pem", "-noout", "-text"],
        dir.path(),
    );
    assert!(text.contains("4096 bit"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert_eq!(mock.count("POST /identity/v1/certificates"), 1);
}

#[test]
fn cert_old_version_date_uses_the_old_path_and_takes_subject_lifetime_and_ec_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mock = mock_with_ca(dir.path());
    let key = dir.path().join("ec.pem");
    let out = ok(mock.imds().args([
        "--api-version",
        "2022-03-01",
        "cert",
        "--key-out",
        key.to_str().unwrap(),
        "--key-type",
        "ec-p256",
        "--subject",
        "/C=US/ST=IL/L=Chicago/O=Example Corp/OU=Ops",
        "--expires-in",
        "300",
        "--json",
    ]));
    let answer: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(answer["expires_in"], 300);
    assert_eq!(mock.count("POST /instance_identity/v1/certificates"), 1);
    std::fs::write(
        dir.path().join("leaf.pem"),
        answer["certificates"][0].as_str().unwrap(),
    )
    .unwrap();
    let subject = tool(
        "openssl",
        &[
            "x509", "-in", "leaf.pem", "-noout", "-subject", "-nameopt", "RFC2253",
        ],
        dir.path(),
    );
    assert_eq!(
        subject.trim(),
        format!("subject=CN={INSTANCE_ID},OU=Ops,O=Example Corp,L=Chicago,ST=IL,C=US")
    );
    let text = tool(
        "openssl",
        &["pkey", "-in", "ec.pem", "-noout", "-text"],
        dir.path(),
    );
    assert!(text.contains("P-256"), "{text}");
    // --field works as everywhere.
    let key2 = dir.path().join("ec2.pem");
    let out = ok(mock.imds().args([
        "cert",
        "--key-out",
        key2.to_str().unwrap(),
        "--key-type",
        "ec-p256",
        "--field",
        "expires_in",
    ]));
    assert_eq!(out, "3600\n");
}

#[test]
fn cert_csr_with_a_common_name_is_refused_by_the_emulator_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mock = mock_with_ca(dir.path());
    tool(
        "openssl",
        &[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "cn.key",
            "-subj",
            "/C=US/CN=my-host",
            "-out",
            "cn.csr",
        ],
        dir.path(),
    );
    let err = fails(
        mock.imds()
            .args(["cert", "--csr", dir.path().join("cn.csr").to_str().unwrap()]),
        1,
    );
    assert!(err.contains("invalid_value"), "{err}");
    assert!(err.contains("must not have a common name (CN)"), "{err}");
    // The same CSR without the CN is signed as it is, with openssl's RSA key too.
    tool(
        "openssl",
        &[
            "req", "-new", "-sha256", "-newkey", "rsa:2048", "-nodes", "-keyout", "ok.key",
            "-subj", "/C=US", "-out", "ok.csr",
        ],
        dir.path(),
    );
    let chain =
        ok(mock
            .imds()
            .args(["cert", "--csr", dir.path().join("ok.csr").to_str().unwrap()]));
    assert_eq!(blocks(&chain).len(), 2);
}

#[test]
fn cert_local_checks_come_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let mock = Mock::new();
    let key = dir.path().join("k.pem");
    let key = key.to_str().unwrap();
    let err = fails(mock.imds().args(["cert"]), 2);
    assert!(err.contains("--key-out"), "{err}");
    let err = fails(
        mock.imds()
            .args(["cert", "--key-out", key, "--subject", "/C=US/CN=me"]),
        2,
    );
    assert!(err.contains("sets the CN"), "{err}");
    let err = fails(
        mock.imds().args([
            "cert",
            "--key-out",
            key,
            "--subject",
            "/C=US/emailAddress=a@b",
        ]),
        2,
    );
    assert!(err.contains("C, ST, L, O or OU"), "{err}");
    for lifetime in ["299", "3601", "1h"] {
        let err = fails(
            mock.imds()
                .args(["cert", "--key-out", key, "--expires-in", lifetime]),
            2,
        );
        assert!(err.contains("300 to 3600"), "{err}");
    }
    fails(
        mock.imds()
            .args(["cert", "--key-out", key, "--csr", "x.csr"]),
        2,
    );
    assert!(!Path::new(key).exists());
    // An existing key file is kept unless --force.
    std::fs::write(key, "old").unwrap();
    let err = fails(
        mock.imds()
            .args(["cert", "--key-out", key, "--key-type", "ec-p256"]),
        1,
    );
    assert!(err.contains("exists"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(key).unwrap(), "old");
    assert_eq!(mock.counts()["total"], 0);
    ok(mock
        .imds()
        .args(["cert", "--key-out", key, "--key-type", "ec-p256", "--force"]));
    assert!(
        std::fs::read_to_string(key)
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );
}

#[test]
fn cert_refused_by_the_service_writes_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let mock = Mock::new();
    mock.fault(r#"{"kind": "status", "status": 403, "path": "/identity/v1/certificates"}"#);
    let key = dir.path().join("k.pem");
    fails(
        mock.imds().args([
            "cert",
            "--key-out",
            key.to_str().unwrap(),
            "--key-type",
            "ec-p256",
        ]),
        5,
    );
    assert!(!key.exists());
}

#[test]
fn cert_chain_not_one_parsed_certificate_each_for_the_key_sent_is_exit_7_and_writes_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let mock = Mock::new();
    let key = dir.path().join("k.pem");
    for (defect, says) in [
        ("wrong_key", "is for another key than the one sent"),
        ("joined", "holds 2 PEM blocks"),
        ("not_x509", "does not parse as an X.509 certificate"),
        ("not_pem", "PEM"),
    ] {
        mock.fault(&format!(
            r#"{{"kind": "bad_chain", "defect": "{defect}", "count": 1}}"#
        ));
        let err = fails(
            mock.imds().args([
                "cert",
                "--key-out",
                key.to_str().unwrap(),
                "--key-type",
                "ec-p256",
            ]),
            7,
        );
        assert!(err.contains(says), "{defect}: {err}");
        assert_eq!(err.lines().count(), 1, "{defect}: {err}");
        assert!(!key.exists(), "{defect}: key written");
    }
    // A CSR made elsewhere: the leaf must carry its key.
    tool(
        "openssl",
        &[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "own.key",
            "-subj",
            "/C=US",
            "-out",
            "own.csr",
        ],
        dir.path(),
    );
    let csr = dir.path().join("own.csr");
    mock.fault(r#"{"kind": "bad_chain", "defect": "wrong_key", "count": 1}"#);
    let err = fails(
        mock.imds().args(["cert", "--csr", csr.to_str().unwrap()]),
        7,
    );
    assert!(
        err.contains("is for another key than the one sent"),
        "{err}"
    );
    // The same requests answered well are accepted.
    let chain = ok(mock.imds().args(["cert", "--csr", csr.to_str().unwrap()]));
    assert_eq!(blocks(&chain).len(), 2);
    ok(mock.imds().args([
        "cert",
        "--key-out",
        key.to_str().unwrap(),
        "--key-type",
        "ec-p256",
    ]));
    assert!(key.exists());
}

#[test]
fn token_nonce_is_sent_and_checked() {
    let mock = Mock::new();
    for version in ["2022-03-01", "2025-08-26"] {
        let out = ok(mock.imds().args([
            "--api-version",
            version,
            "token",
            "--nonce",
            "n-42",
            "--json",
        ]));
        let answer: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(answer["nonce"], "n-42", "{version}");
    }
    assert!(
        !ok(mock.imds().args(["token", "--nonce", "n-42"]))
            .trim()
            .is_empty()
    );
    fails(mock.imds().args(["token", "--iam", "--nonce", "x"]), 2);
}

#[test]
fn token_answer_without_the_nonce_is_exit_7() {
    // A service that ignores the nonce: the answer is taken from a recording made without one.
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", server.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in server.incoming().flatten() {
            use std::io::{BufRead, BufReader, Read, Write};
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let answer = r#"{"access_token":"eyJhbGciOiJSUzI1NiJ9.eyJ4IjoxfQ.c2ln","created_at":"2026-01-01T00:00:00Z","expires_at":"2026-01-01T00:05:00Z","expires_in":300,"nonce":"other"}"#;
            let _ = write!(
                &stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    let err = fails(
        imds()
            .env("IMDS_ENDPOINT", &url)
            .args(["token", "--nonce", "mine"]),
        7,
    );
    assert!(err.contains("nonce"), "{err}");
    assert!(
        !err.contains("eyJhbGciOiJSUzI1NiJ9.eyJ4IjoxfQ.c2ln"),
        "{err}"
    );
}

#[test]
fn iam_token_by_profile_name() {
    let mock = Mock::new();
    for version in ["2022-03-01", "2025-08-26"] {
        let out = ok(mock.imds().args([
            "--api-version",
            version,
            "token",
            "--iam",
            "--profile-name",
            "my-other-profile",
            "--json",
        ]));
        let answer: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(answer["expires_in"], 3600);
    }
    let err = fails(
        mock.imds()
            .args(["token", "--iam", "--profile-name", "no-such-profile"]),
        1,
    );
    assert!(err.contains("profile_not_linked"), "{err}");
    assert!(err.contains("hint: link the trusted profile"), "{err}");
    for other in [["--profile-id", "Profile-1"], ["--profile-crn", "crn:v1:x"]] {
        fails(
            mock.imds()
                .args(["token", "--iam", "--profile-name", "p"])
                .args(other),
            2,
        );
    }
    fails(mock.imds().args(["token", "--profile-name", "p"]), 2);
}

#[test]
fn emulator_certificates_route_checks_the_token_and_the_body() {
    let mock = Mock::new();
    let url = |path: &str| format!("{}{path}", mock.url);
    let (status, body) = http(
        "POST",
        &url("/identity/v1/certificates?version=2025-08-26"),
        Some(r#"{"csr": "x"}"#),
        &[],
    );
    assert_eq!(status, 401, "{body}");
    let (_, token) = http(
        "PUT",
        &url("/identity/v1/token?version=2025-08-26"),
        Some("{}"),
        &[("Metadata-Flavor", "ibm")],
    );
    let token: Value = serde_json::from_str(&token).unwrap();
    let auth = format!("Bearer {}", token["access_token"].as_str().unwrap());
    let (status, body) = http(
        "POST",
        &url("/identity/v1/certificates?version=2025-08-26"),
        Some(r#"{"csr": "x", "expires_in": 7200}"#),
        &[("Authorization", &auth)],
    );
    assert_eq!(status, 400);
    let error: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["errors"][0]["code"], "invalid_value");
    assert_eq!(
        error["errors"][0]["target"],
        serde_json::json!({"name": "expires_in", "type": "field", "value": "7200"})
    );
    let (status, _) = http(
        "GET",
        &url("/identity/v1/certificates?version=2025-08-26"),
        None,
        &[("Authorization", &auth)],
    );
    assert_eq!(status, 405);
}

#[test]
fn instance_identity_from_2025_08_26_is_404_before_any_other_check() {
    let mock = Mock::new();
    for (method, path) in [
        ("PUT", "/instance_identity/v1/token"),
        ("GET", "/instance_identity/v1/token"),
        ("POST", "/instance_identity/v1/iam_token"),
        ("DELETE", "/instance_identity/v1/certificates"),
        ("GET", "/instance_identity/v1/nothing"),
    ] {
        for version in ["2025-08-26", "2099-01-01"] {
            let (status, body) = http(
                method,
                &format!("{}{path}?version={version}&bogus=1", mock.url),
                None,
                &[],
            );
            assert_eq!(status, 404, "{method} {path} {version}: {body}");
        }
    }
    // Before the split the old family answers as before: a wrong method is 405.
    let (status, _) = http(
        "GET",
        &format!("{}/instance_identity/v1/token?version=2025-08-25", mock.url),
        None,
        &[],
    );
    assert_eq!(status, 405);
}

fn authorised(mock: &Mock) -> String {
    let (_, token) = http(
        "PUT",
        &format!("{}/identity/v1/token?version=2025-08-26", mock.url),
        Some("{}"),
        &[("Metadata-Flavor", "ibm")],
    );
    let token: Value = serde_json::from_str(&token).unwrap();
    format!("Bearer {}", token["access_token"].as_str().unwrap())
}

#[test]
fn page_tokens_are_bound_to_their_collection_and_cannot_be_forged() {
    let mock = Mock::new();
    let auth = authorised(&mock);
    let get = |path: &str| {
        http(
            "GET",
            &format!("{}{path}", mock.url),
            None,
            &[("Authorization", &auth)],
        )
    };
    let (status, body) = get("/metadata/v1/keys?version=2025-08-26&limit=1");
    assert_eq!(status, 200);
    let page: Value = serde_json::from_str(&body).unwrap();
    let next = page["next"]["href"].as_str().unwrap();
    let start = next
        .split("start=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let (status, _) = get(&format!(
        "/metadata/v1/keys?version=2025-08-26&limit=1&start={start}"
    ));
    assert_eq!(status, 200);
    let (status, body) = get(&format!(
        "/metadata/v1/placement_groups?version=2025-08-26&limit=1&start={start}"
    ));
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("\"start\""), "{body}");
    // The offset in a token is not the client's to change.
    let (offset, tag) = start.split_once('.').unwrap();
    assert_eq!(offset, "1");
    let (status, _) = get(&format!(
        "/metadata/v1/keys?version=2025-08-26&limit=1&start=2.{tag}"
    ));
    assert_eq!(status, 400);
}

#[test]
fn every_answer_has_a_date_and_a_request_id() {
    let mock = Mock::new();
    let agent = agent(None);
    let mut ids = Vec::new();
    for (method, path) in [
        ("GET", "/metadata/v1/instance?version=2025-08-26"),
        ("PUT", "/identity/v1/token?version=2025-08-26"),
        ("GET", "/nowhere"),
        ("GET", "/_mock/counts"),
    ] {
        let answer = send_with(
            &agent,
            method,
            &format!("{}{path}", mock.url),
            None,
            &[("Metadata-Flavor", "ibm")],
        );
        let date = answer
            .header("date")
            .unwrap_or_else(|| panic!("{path}: no Date"));
        assert!(date.ends_with(" GMT"), "{date}");
        assert!(httpdate_parses(date), "{date}");
        let id = answer
            .header("x-request-id")
            .unwrap_or_else(|| panic!("{path}: no X-Request-Id"))
            .to_string();
        assert_eq!(id.len(), 36, "{id}");
        if answer.status >= 400 && answer.body.contains("\"trace\"") {
            let body: Value = serde_json::from_str(&answer.body).unwrap();
            assert_eq!(body["trace"], id.as_str());
        }
        ids.push(id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4);
}

/// IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 §5.6.7).
fn httpdate_parses(text: &str) -> bool {
    let parts: Vec<&str> = text.split(' ').collect();
    parts.len() == 6
        && parts[0].len() == 4
        && parts[0].ends_with(',')
        && parts[1].len() == 2
        && parts[2].len() == 3
        && parts[3].len() == 4
        && parts[4].len() == 8
}

#[test]
fn default_fixture_keys_are_real_keys_with_their_fingerprints() {
    let dir = tempfile::tempdir().unwrap();
    let mock = Mock::new();
    let keys: Value = serde_json::from_str(&ok(mock.imds().args(["keys"]))).unwrap();
    let keys = keys.as_array().unwrap();
    assert_eq!(keys.len(), 3);
    for key in keys {
        let name = key["name"].as_str().unwrap();
        let file = dir.path().join(format!("{name}.pub"));
        std::fs::write(&file, format!("{}\n", key["public_key"].as_str().unwrap())).unwrap();
        let line = tool("ssh-keygen", &["-lf", file.to_str().unwrap()], dir.path());
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[0], key["length"].to_string(), "{name}: {line}");
        assert_eq!(
            fields[1],
            key["fingerprint"].as_str().unwrap(),
            "{name}: {line}"
        );
        let kind = key["type"].as_str().unwrap().to_ascii_uppercase();
        assert!(line.trim_end().ends_with(&format!("({kind})")), "{line}");
    }
    // The initialization data names the same keys with the same fingerprints.
    let init: Value = serde_json::from_str(&ok(mock.imds().args(["init"]))).unwrap();
    for (short, full) in init["keys"].as_array().unwrap().iter().zip(keys) {
        assert_eq!(short["fingerprint"], full["fingerprint"]);
    }
}
