//! The fixture changing while the emulator runs: `POST /_mock/patch` (at once or `?after=`),
//! `GET /_mock/fixture`, and `--patch-after`.

use super::*;

fn status_of(mock: &Mock, t: &str) -> Value {
    get(mock, t, "instance").json()["status"].clone()
}

#[test]
fn a_patch_changes_what_is_served_at_once() {
    let mock = Mock::new();
    let t = token(&mock);
    assert_eq!(status_of(&mock, &t), "running");
    let a = send(
        &mock,
        "POST",
        "/_mock/patch",
        Some(r#"{"instance": {"status": "stopping"}, "keys": [{"id": "k1", "name": "only"}]}"#),
        &[],
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(status_of(&mock, &t), "stopping");
    let keys = get(&mock, &t, "keys").json();
    assert_eq!(keys["keys"], json!([{"id": "k1", "name": "only"}]));
    // Members the patch does not name stay as they were; null removes one.
    let doc = get(&mock, &t, "instance").json();
    assert!(doc["zone"]["name"].is_string(), "{doc}");
    let a = send(
        &mock,
        "POST",
        "/_mock/patch",
        Some(r#"{"instance": {"zone": null}}"#),
        &[],
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(get(&mock, &t, "instance").json().get("zone").is_none());
}

#[test]
fn the_fixture_served_is_readable_and_follows_patches() {
    let mock = Mock::new();
    let a = send(&mock, "GET", "/_mock/fixture", None, &[]);
    assert_eq!(a.status, 200, "{}", a.body);
    let before = a.json();
    let default: Value = serde_json::from_str(&crate::support::ok(
        Command::new(IMDS_MOCK).arg("--dump-fixture"),
    ))
    .unwrap();
    assert_eq!(before, default);
    send(
        &mock,
        "POST",
        "/_mock/patch",
        Some(r#"{"initialization": {"user_data": "new"}}"#),
        &[],
    );
    let after = send(&mock, "GET", "/_mock/fixture", None, &[]).json();
    assert_eq!(after["initialization"]["user_data"], "new");
    assert_eq!(after["instance"], before["instance"]);
}

#[test]
fn a_patch_that_breaks_the_fixture_is_400_naming_the_field_and_changes_nothing() {
    let mock = Mock::new();
    let before = send(&mock, "GET", "/_mock/fixture", None, &[]).body;
    for (patch, field) in [
        (r#"{"keys": [{"name": "no id"}]}"#, "keys[0].id: missing"),
        (r#"{"instance": {"id": 7}}"#, "instance.id"),
        (r#"{"instance": null}"#, "instance: missing"),
        (r#"{"kees": []}"#, "kees: unknown field"),
        (r#"["not", "an object"]"#, "JSON object"),
        ("{", "not JSON"),
    ] {
        for query in ["", "?after=1s"] {
            let a = send(
                &mock,
                "POST",
                &format!("/_mock/patch{query}"),
                Some(patch),
                &[],
            );
            assert_ibm_error(&a, 400, "invalid_value");
            let message = a.json()["errors"][0]["message"]
                .as_str()
                .unwrap()
                .to_string();
            assert!(message.contains(field), "{patch}: {message}");
        }
    }
    let a = send(&mock, "POST", "/_mock/patch?after=soon", Some("{}"), &[]);
    assert_ibm_error(&a, 400, "invalid_value");
    let a = send(&mock, "POST", "/_mock/patch?when=1s", Some("{}"), &[]);
    assert_ibm_error(&a, 400, "unknown_field");
    let a = send(&mock, "GET", "/_mock/patch", None, &[]);
    assert_eq!(a.status, 405, "{}", a.body);
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(send(&mock, "GET", "/_mock/fixture", None, &[]).body, before);
}

#[test]
fn a_patch_after_a_delay_applies_then_and_not_before() {
    let mock = Mock::new();
    let t = token(&mock);
    let a = send(
        &mock,
        "POST",
        "/_mock/patch?after=1s",
        Some(r#"{"instance": {"status": "stopped"}}"#),
        &[],
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json(), json!({"scheduled": "1s"}));
    assert_eq!(status_of(&mock, &t), "running");
    let start = Instant::now();
    while status_of(&mock, &t) != "stopped" {
        assert!(start.elapsed() < Duration::from_secs(5), "never applied");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        start.elapsed() >= Duration::from_millis(800),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn patch_after_on_the_command_line_changes_the_fixture_in_exec_mode() {
    let patch = write_temp("stopping.json", r#"{"instance": {"status": "stopping"}}"#);
    let spec = format!("1s:{}", patch.display());
    // The script reads the status, waits past the patch's time, reads it again.
    let script = r#""$IMDS" --field status instance; sleep 1.5; "$IMDS" --field status instance"#;
    let out = Command::new(IMDS_MOCK)
        .args(["--quiet", "--patch-after", &spec, "--", "sh", "-c", script])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("IMDS", support::IMDS)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "running\nstopping\n");
}

#[test]
fn a_bad_patch_after_file_is_exit_2_before_serving() {
    let bad = write_temp("bad-patch.json", r#"{"keys": [{"name": "x"}]}"#);
    let good = write_temp("good-patch.json", r#"{"keys": [{"id": "a"}]}"#);
    // Checked in the order of their times: the later one breaks what the earlier made.
    let breaks = write_temp("breaks.json", r#"{"keys": [{"id": "a"}, {"id": "a"}]}"#);
    for args in [
        vec![format!("1s:{}", bad.display())],
        vec!["1s:/nonexistent/patch.json".to_string()],
        vec![
            format!("5s:{}", breaks.display()),
            format!("1s:{}", good.display()),
        ],
    ] {
        let mut cmd = Command::new(IMDS_MOCK);
        for a in &args {
            cmd.args(["--patch-after", a]);
        }
        let out = cmd.args(["--", "true"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("imds-mock: "), "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn token_ttl_keeps_working_with_patches() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "token_ttl", "seconds": 1}"#);
    let t = token(&mock);
    send(
        &mock,
        "POST",
        "/_mock/patch",
        Some(r#"{"instance": {"status": "stopping"}}"#),
        &[],
    );
    assert_eq!(status_of(&mock, &t), "stopping");
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(get(&mock, &t, "instance").status, 401);
}

#[test]
fn the_paging_presets_long_lists_are_in_the_fixture_and_survive_a_patch() {
    let mock = Mock::paging();
    let groups = |mock: &Mock| {
        crate::support::ok(mock.imds().args(["placement-groups", "--field", "id"]))
            .lines()
            .count()
    };
    assert_eq!(groups(&mock), 120);
    // The fixture served is the document with the preset's lists in it.
    let doc = send(&mock, "GET", "/_mock/fixture", None, &[]).json();
    assert_eq!(doc["placement_groups"].as_array().map(Vec::len), Some(120));
    assert_eq!(
        doc["virtual_network_interfaces"].as_array().map(Vec::len),
        Some(120)
    );
    let t = token(&mock);
    mock.patch(r#"{"instance": {"status": "stopping"}}"#);
    assert_eq!(status_of(&mock, &t), "stopping");
    assert_eq!(groups(&mock), 120);
    // A patch that gives the collection replaces the preset's list.
    mock.patch(r#"{"placement_groups": [{"id": "only", "name": "only"}]}"#);
    assert_eq!(groups(&mock), 1);
}
