//! Tests for the commands: each prints what it should (lists, items, documents, user data,
//! help and version), usage errors and how flags, variables and repeated options are read,
//! the exit code for what is not found, and parallel runs, the curl and jq recipe and HTTPS
//! with the test CA, all against the emulator.

use std::process::{Command, Stdio};

use crate::support::{Mock, fails, fixture_with_keys, imds, json_out, ok, run, stderr, stdout};

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
fn unknown_id_is_exit_3() {
    let mock = Mock::new();
    let err = fails(mock.imds().args(["keys", "r006-no-such-key"]), 3);
    assert!(err.contains("no key with id r006-no-such-key"), "{err}");
    let err = fails(mock.imds().args(["get", "instance/no_such_thing"]), 3);
    assert!(err.contains("no_such_thing"), "{err}");
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
