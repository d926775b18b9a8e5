//! The fixture format: collections apart from the instance document, the fallback to the
//! embedded arrays, absent collections, `--dump-fixture`, and serving a fixture back exactly.

use super::*;
use crate::support::ok;

/// Every collection, as (path below /metadata/v1/, key).
const COLLECTIONS: &[(&str, &str)] = &[
    ("instance/network_interfaces", "network_interfaces"),
    ("instance/volume_attachments", "volume_attachments"),
    ("keys", "keys"),
    ("placement_groups", "placement_groups"),
    ("instance/network_attachments", "network_attachments"),
    ("virtual_network_interfaces", "virtual_network_interfaces"),
    (
        "instance/cluster_network_attachments",
        "cluster_network_attachments",
    ),
    ("instance/software_attachments", "software_attachments"),
];

/// Every item of a collection, following `next` links; `None` on 404.
fn all_items(mock: &Mock, t: &str, path: &str, key: &str) -> Option<Vec<Value>> {
    let mut items = Vec::new();
    let mut target = path.to_string();
    loop {
        let a = get(mock, t, &target);
        if a.status == 404 {
            return None;
        }
        assert_eq!(a.status, 200, "{target}: {}", a.body);
        let page = a.json();
        items.extend(page[key].as_array().unwrap().iter().cloned());
        match page["next"]["href"].as_str() {
            Some(href) => {
                let query = href.split_once('?').unwrap().1;
                target = format!("{path}?{query}");
            }
            None => return Some(items),
        }
    }
}

/// What the emulator serves, in the fixture format: the documents and every collection it has.
fn served(mock: &Mock) -> Value {
    let t = token(mock);
    let mut out = serde_json::Map::new();
    out.insert("instance".into(), get(mock, &t, "instance").json());
    out.insert(
        "initialization".into(),
        get(mock, &t, "instance/initialization").json(),
    );
    for (path, key) in COLLECTIONS {
        if let Some(items) = all_items(mock, &t, path, key) {
            out.insert(key.to_string(), Value::Array(items));
        }
    }
    Value::Object(out)
}

#[test]
fn dump_fixture_prints_the_default_fixture() {
    let out = Command::new(IMDS_MOCK)
        .arg("--dump-fixture")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        include_str!("../../../crates/imds-mock/src/default_fixture.json")
    );
    let out = Command::new(IMDS_MOCK)
        .args(["--dump-fixture", "--port", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn collections_are_served_apart_from_the_instance_document() {
    let mock = Mock::new();
    // As on the service, the instance document holds references; the collection, whole items.
    let reference = ok(mock
        .imds()
        .args(["instance", "--field", "volume_attachments[0]"]));
    let reference: Value = serde_json::from_str(&reference).unwrap();
    let keys: Vec<&String> = reference.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "name", "volume"]);
    let whole = ok(mock.imds().args(["volumes", "--field", "bandwidth"]));
    assert_eq!(whole, "393\n1000\n");
    let t = token(&mock);
    let item = get(
        &mock,
        &t,
        &format!(
            "instance/volume_attachments/{}",
            reference["id"].as_str().unwrap()
        ),
    )
    .json();
    assert_eq!(item["id"], reference["id"]);
    assert_eq!(item["type"], "boot");
    assert_eq!(
        item["device"]["id"],
        "0717-a8a15363-a6f7-4f01-af60-715e85b28141-4xjjc"
    );
}

#[test]
fn a_collection_left_out_is_embedded_empty_or_404_by_its_age() {
    let path = write_temp(
        "minimal.json",
        r#"{"instance": {"id": "i", "network_attachments": [{"id": "na-1", "name": "embedded"}]},
            "network_interfaces": [{"id": "ni-1", "name": "apart"}]}"#,
    );
    let mock = Mock::start(&["--fixture", path.to_str().unwrap()]);
    let t = token(&mock);
    // Its own key, else the instance document's array.
    let nics = get(&mock, &t, "instance/network_interfaces").json();
    assert_eq!(
        nics["network_interfaces"],
        json!([{"id": "ni-1", "name": "apart"}])
    );
    let nas = get(&mock, &t, "instance/network_attachments").json();
    assert_eq!(nas["network_attachments"][0]["name"], "embedded");
    // As old as the service: empty.
    for (path, key) in [
        ("instance/volume_attachments", "volume_attachments"),
        ("keys", "keys"),
    ] {
        let a = get(&mock, &t, path);
        assert_eq!(a.status, 200, "{path}");
        assert_eq!(a.json()[key], json!([]), "{path}");
    }
    assert_eq!(get(&mock, &t, "placement_groups").json()["total_count"], 0);
    // Added later: 404, the item paths too.
    for path in [
        "virtual_network_interfaces",
        "instance/cluster_network_attachments",
        "instance/software_attachments",
        "instance/software_attachments/x",
    ] {
        assert_ibm_error(&get(&mock, &t, path), 404, "not_found");
    }
}

#[test]
fn the_default_fixture_is_served_back_exactly() {
    let mock = Mock::new();
    let mut expected: Value = serde_json::from_str(include_str!(
        "../../../crates/imds-mock/src/default_fixture.json"
    ))
    .unwrap();
    expected.as_object_mut().unwrap().remove("trusted_profiles");
    assert_eq!(served(&mock), expected);
}

#[test]
fn a_fixture_with_every_collection_is_served_back_exactly() {
    let item = |prefix: &str, n: usize| json!({"id": format!("{prefix}-{n}"), "name": format!("{prefix} {n}"), "n": n});
    let mut fixture = serde_json::Map::new();
    fixture.insert(
        "instance".into(),
        json!({"id": "i-every", "name": "every", "volume_attachments": [{"id": "va-0", "name": "va 0"}]}),
    );
    fixture.insert("initialization".into(), json!({"user_data": "#!/bin/sh\n"}));
    for (i, (_, key)) in COLLECTIONS.iter().enumerate() {
        // Over a page for the paginated ones, in an order that is not sorted.
        let count = if i % 2 == 0 { 3 } else { 57 };
        let items: Vec<Value> = (0..count).rev().map(|n| item(key, n)).collect();
        fixture.insert(key.to_string(), Value::Array(items));
    }
    let fixture = Value::Object(fixture);
    let text = serde_json::to_string_pretty(&fixture).unwrap();
    let path = write_temp("every.json", &text);
    let mock = Mock::start(&["--fixture", path.to_str().unwrap()]);
    let served = served(&mock);
    assert_eq!(served, fixture);
    assert_eq!(serde_json::to_string_pretty(&served).unwrap(), text);
}
