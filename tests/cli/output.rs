//! Tests for the output rules of docs/ARCHITECTURE.md §3, through the real binary against the
//! emulator.
//!
//! Expected values are taken from the emulator's own documents (fetched whole, then picked here),
//! so the tests hold whatever the default fixture contains.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde_json::Value;

use crate::support::{Mock, fails, http, ok, stderr};

/// The API date the emulator's documents are fetched with directly.
const API_VERSION: &str = "2025-08-26";
/// The emulator's default fixture, relative to the package root.
const DEFAULT_FIXTURE: &str = "crates/imds-mock/src/default_fixture.json";
/// What starts an ANSI colour sequence.
const ESCAPE: &str = "\x1b[";

/// A fixture file that is removed on drop.
struct Fixture(PathBuf);

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// An emulator serving the default fixture as changed by `edit`.
fn mock_with(name: &str, edit: impl FnOnce(&mut Value)) -> (Mock, Fixture) {
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_FIXTURE);
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(default).unwrap()).unwrap();
    edit(&mut doc);
    let path = std::env::temp_dir().join(format!("imds-output-{name}-{}.json", std::process::id()));
    std::fs::write(&path, doc.to_string()).unwrap();
    let mock = Mock::start(&["--fixture", path.to_str().unwrap()]);
    (mock, Fixture(path))
}

/// Runs `imds ARGS` against `mock` and parses its stdout as JSON.
fn json(mock: &Mock, args: &[&str]) -> Value {
    let out = ok(mock.imds().args(args));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("imds {args:?}: {e}\n{out}"))
}

/// The items `imds keys` lists, as JSON objects.
fn key_items(mock: &Mock) -> Vec<Value> {
    let Value::Array(items) = json(mock, &["keys"]) else {
        panic!("imds keys did not print an array")
    };
    assert!(items.len() >= 2, "the default fixture has several keys");
    items
}

/// `field` of every item, as `imds --field` prints it: strings raw, each line ended by `end`.
fn lines(items: &[Value], field: &str, end: &str) -> String {
    items
        .iter()
        .map(|item| format!("{}{end}", item[field].as_str().unwrap()))
        .collect()
}

/// The instance document as the emulator serves it, straight from the wire (key order kept).
fn raw_instance(mock: &Mock) -> String {
    let (status, body) = http(
        "PUT",
        &format!("{}/identity/v1/token?version={API_VERSION}", mock.url),
        Some(r#"{"expires_in": 300}"#),
        &[
            ("Metadata-Flavor", "ibm"),
            ("Content-Type", "application/json"),
        ],
    );
    assert_eq!(status, 200, "token: {body}");
    let token: Value = serde_json::from_str(&body).unwrap();
    let bearer = format!("Bearer {}", token["access_token"].as_str().unwrap());
    let (status, body) = http(
        "GET",
        &format!("{}/metadata/v1/instance?version={API_VERSION}", mock.url),
        None,
        &[("Authorization", &bearer)],
    );
    assert_eq!(status, 200, "instance: {body}");
    body
}

#[test]
fn without_field_prints_pretty_json_in_the_services_key_order() {
    // The default fixture's keys happen to be sorted; reverse them so that sorting would show.
    let (mock, _fixture) = mock_with("reversed", |doc| {
        let Value::Object(instance) = doc["instance"].take() else {
            panic!("the fixture's instance is not an object")
        };
        doc["instance"] = Value::Object(instance.into_iter().rev().collect());
    });
    let wire: Value = serde_json::from_str(&raw_instance(&mock)).unwrap();
    let want = format!("{}\n", serde_json::to_string_pretty(&wire).unwrap());
    let out = ok(mock.imds().arg("instance"));
    assert_eq!(out, want);
    assert!(out.starts_with("{\n  \"zone\": {\n    \"name\": "), "{out}");
}

#[test]
fn list_without_field_prints_the_items_of_every_page_as_one_array() {
    let mock = Mock::new();
    let out = ok(mock.imds().arg("keys"));
    assert!(out.starts_with("[\n  {\n    \""), "{out}");
    assert!(out.ends_with("}\n]\n"), "{out}");
}

#[test]
fn compact_prints_one_line() {
    let mock = Mock::new();
    let doc = json(&mock, &["instance"]);
    let out = ok(mock.imds().args(["instance", "--compact"]));
    assert_eq!(out, format!("{}\n", serde_json::to_string(&doc).unwrap()));
    assert_eq!(out.lines().count(), 1);
    let short = ok(mock.imds().args(["-c", "keys"]));
    assert_eq!(short.lines().count(), 1);
}

#[test]
fn shorthand_on_a_list_prints_one_raw_value_per_item() {
    let mock = Mock::new();
    let items = key_items(&mock);
    let want = lines(&items, "public_key", "\n");
    assert_eq!(
        ok(mock.imds().args(["keys", "--field", "public_key"])),
        want
    );
    // Global options work before the subcommand too.
    assert_eq!(
        ok(mock.imds().args(["--field", "public_key", "keys"])),
        want
    );
    assert_eq!(ok(mock.imds().args(["-f", "public_key", "keys"])), want);
}

#[test]
fn picked_strings_print_raw_and_other_values_as_compact_json() {
    let mock = Mock::new();
    let doc = json(&mock, &["instance"]);
    assert_eq!(
        ok(mock.imds().args(["instance", "--field", "name"])),
        format!("{}\n", doc["name"].as_str().unwrap())
    );
    assert_eq!(
        ok(mock.imds().args(["instance", "--field", "vcpu"])),
        format!("{}\n", doc["vcpu"])
    );
    assert_eq!(
        ok(mock
            .imds()
            .args(["instance", "--field", "network_interfaces[0].subnet"])),
        format!("{}\n", doc["network_interfaces"][0]["subnet"])
    );
}

#[test]
fn several_fields_make_tab_separated_columns() {
    let mock = Mock::new();
    let doc = json(&mock, &["instance"]);
    let out = ok(mock
        .imds()
        .args(["instance", "--field", "vcpu.count", "--field", "zone.name"]));
    assert_eq!(
        out,
        format!(
            "{}\t{}\n",
            doc["vcpu"]["count"],
            doc["zone"]["name"].as_str().unwrap()
        )
    );

    let items = key_items(&mock);
    let want: String = items
        .iter()
        .map(|k| {
            format!(
                "{}\t{}\n",
                k["name"].as_str().unwrap(),
                k["fingerprint"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        ok(mock
            .imds()
            .args(["keys", "--field", "name", "--field", "fingerprint"])),
        want
    );
}

#[test]
fn null_ends_every_value_with_nul_and_puts_no_tab_between_columns() {
    let mock = Mock::new();
    let items = key_items(&mock);
    assert_eq!(
        ok(mock.imds().args(["keys", "--field", "name", "-0"])),
        lines(&items, "name", "\0")
    );
    let want: String = items
        .iter()
        .map(|k| {
            format!(
                "{}\0{}\0",
                k["name"].as_str().unwrap(),
                k["id"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        ok(mock
            .imds()
            .args(["keys", "--null", "--field", "name", "--field", "id"])),
        want
    );
}

#[test]
fn color_always_colours_the_document() {
    let mock = Mock::new();
    let coloured = ok(mock.imds().args(["instance", "--color", "always"]));
    assert!(coloured.contains(ESCAPE), "{coloured}");
    let compact = ok(mock
        .imds()
        .args(["instance", "--color", "always", "--compact"]));
    assert!(compact.contains(ESCAPE), "{compact}");
    assert_eq!(compact.lines().count(), 1);
}

#[test]
fn color_never_no_color_and_a_pipe_print_no_escapes() {
    let mock = Mock::new();
    let plain = ok(mock.imds().arg("instance"));
    assert!(!plain.contains(ESCAPE), "piped output is coloured: {plain}");
    assert_eq!(
        ok(mock.imds().args(["instance", "--color", "never"])),
        plain
    );
    assert_eq!(
        ok(mock
            .imds()
            .args(["instance", "--color", "auto"])
            .env("NO_COLOR", "1")),
        plain
    );
}

#[test]
fn picked_values_are_never_coloured() {
    let mock = Mock::new();
    let out = ok(mock.imds().args([
        "instance", "--color", "always", "--field", "vcpu", "--field", "name",
    ]));
    assert!(!out.contains(ESCAPE), "{out}");
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
fn jsonpath_on_a_list_applies_to_the_whole_array() {
    let mock = Mock::new();
    let items = key_items(&mock);
    assert_eq!(
        ok(mock.imds().args(["keys", "--field", "$[*].id"])),
        lines(&items, "id", "\n")
    );
    assert_eq!(
        ok(mock.imds().args(["keys", "--field", "$[-1].name"])),
        format!("{}\n", items.last().unwrap()["name"].as_str().unwrap())
    );
    let first_type = items[0]["type"].as_str().unwrap();
    let same_type: Vec<&Value> = items.iter().filter(|k| k["type"] == first_type).collect();
    let want: String = same_type
        .iter()
        .map(|k| format!("{}\n", k["name"].as_str().unwrap()))
        .collect();
    let filter = format!("$[?@.type == '{first_type}'].name");
    assert_eq!(ok(mock.imds().args(["keys", "--field", &filter])), want);
}

#[test]
fn missing_field_is_exit_6_with_the_keys_that_exist() {
    let mock = Mock::new();
    let err = fails(mock.imds().args(["keys", "--field", "publc_key"]), 6);
    assert!(
        err.starts_with("imds: no field 'publc_key' in item 0: keys there are "),
        "{err}"
    );
    assert!(err.contains("public_key"), "{err}");
    assert!(
        err.contains("\nhint: pick one of those, or see the whole document without --field\n"),
        "{err}"
    );

    let err = fails(mock.imds().args(["instance", "--field", "vcpu.cnt"]), 6);
    assert!(
        err.starts_with("imds: no field 'vcpu.cnt': keys at 'vcpu' are "),
        "{err}"
    );
    assert!(err.contains("count"), "{err}");
}

#[test]
fn jsonpath_matching_nothing_is_exit_6() {
    let mock = Mock::new();
    let err = fails(
        mock.imds()
            .args(["keys", "--field", "$[?@.type == 'no-such-type'].name"]),
        6,
    );
    assert!(
        err.starts_with("imds: no match for '$[?@.type == 'no-such-type'].name': '$' has "),
        "{err}"
    );
}

#[test]
fn bad_path_is_exit_2_before_any_request() {
    for bad in ["a..b", "public_key[", ".name", "$[?", "$.", "a[x]"] {
        let mock = Mock::new();
        let err = fails(mock.imds().args(["keys", "--field", bad]), 2);
        assert!(err.contains(bad), "{bad}: {err}");
        assert_eq!(mock.counts()["total"], 0, "{bad}: a request was sent");
    }
}

#[test]
fn columns_of_different_lengths_are_exit_1() {
    let mock = Mock::new();
    let err = fails(
        mock.imds()
            .args(["keys", "--field", "name", "--field", "$[0].id"]),
        1,
    );
    assert!(
        err.starts_with("imds: the fields give different numbers of values: 'name' has "),
        "{err}"
    );
    assert!(err.contains("'$[0].id' has 1"), "{err}");
}

#[test]
fn shorthand_on_an_empty_list_prints_nothing_and_succeeds() {
    let (mock, _fixture) = mock_with("no-keys", |doc| doc["keys"] = Value::Array(Vec::new()));
    assert_eq!(ok(mock.imds().arg("keys")), "[]\n");
    assert_eq!(ok(mock.imds().args(["keys", "--field", "public_key"])), "");
    assert_eq!(
        ok(mock
            .imds()
            .args(["keys", "--field", "name", "--field", "id", "-0"])),
        ""
    );
}

#[test]
fn picked_multiline_text_prints_raw() {
    let mock = Mock::new();
    let init = json(&mock, &["init"]);
    let user_data = init["user_data"].as_str().unwrap();
    assert!(
        user_data.contains('\n'),
        "the fixture's user data is several lines"
    );
    assert_eq!(
        ok(mock.imds().args(["init", "--field", "user_data"])),
        format!("{user_data}\n")
    );
}

#[test]
fn shorthand_on_one_item_prints_one_value() {
    let mock = Mock::new();
    let items = key_items(&mock);
    let id = items[1]["id"].as_str().unwrap();
    assert_eq!(
        ok(mock
            .imds()
            .args(["keys", id, "--field", "name", "--field", "type"])),
        format!(
            "{}\t{}\n",
            items[1]["name"].as_str().unwrap(),
            items[1]["type"].as_str().unwrap()
        )
    );
}

#[test]
fn fields_cover_the_items_of_every_page() {
    let mock = Mock::paging();
    let Value::Array(groups) = json(&mock, &["placement-groups"]) else {
        panic!("imds placement-groups did not print an array")
    };
    assert!(groups.len() > 100, "the paging preset spans several pages");
    assert_eq!(
        ok(mock.imds().args(["placement-groups", "--field", "id"])),
        lines(&groups, "id", "\n")
    );
    assert_eq!(
        ok(mock
            .imds()
            .args(["placement-groups", "--field", "$[-1].name"])),
        format!("{}\n", groups.last().unwrap()["name"].as_str().unwrap())
    );
}
