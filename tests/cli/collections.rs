//! The commands for the newer collections (`software`, `network-attachments`,
//! `cluster-network-attachments`, `vnis`) and `get` on a collection, against an emulator serving
//! a fixture written here, so that the default fixture's data can change freely.

use serde_json::{Value, json};

use crate::support::{Mock, fails, ok};

/// Items in the paged collections: more than one page of 100.
const PAGED_ITEMS: usize = 130;

/// The licence key of the one licensed software item.
const LICENCE_KEY: &str = "ABCD-1234-EFGH-5678";

/// `n` items of a collection: ids `{prefix}-000`…, names `{prefix}-name-000`…, each `stable`.
fn items(prefix: &str, n: usize, extra: impl Fn(usize) -> Value) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let mut item = json!({
                "id": format!("{prefix}-{i:03}"),
                "lifecycle_state": "stable",
                "name": format!("{prefix}-name-{i:03}"),
            });
            if let Value::Object(more) = extra(i) {
                item.as_object_mut().unwrap().extend(more);
            }
            item
        })
        .collect()
}

/// A fixture with every newer collection: two software attachments (one licensed, with a key;
/// one updating, without an entitlement), two network attachments, and more than a page of
/// cluster network attachments and virtual network interfaces.
fn fixture() -> Value {
    json!({
        "instance": {"id": "0717_newer", "name": "newer"},
        "software_attachments": [
            {
                "id": "0717-sw-1", "name": "my-vendor-agent", "lifecycle_state": "stable",
                "resource_type": "instance_software_attachment",
                "entitlement": {"licensed_software": [{"sku": "SKU-AGENT-1", "key": LICENCE_KEY}]}
            },
            {
                "id": "0717-sw-2", "name": "my-free-agent", "lifecycle_state": "updating",
                "resource_type": "instance_software_attachment"
            }
        ],
        "network_attachments": items("0717-na", 2, |i| json!({
            "primary_ip": {"address": format!("10.0.0.{}", 10 + i)},
            "type": if i == 0 { "primary" } else { "secondary" },
            "virtual_network_interface": {"id": format!("0717-vni-{i:03}")}
        })),
        "cluster_network_attachments": items("0717-cna", PAGED_ITEMS, |_| json!({})),
        "virtual_network_interfaces": items("0717-vni", PAGED_ITEMS, |i| json!({
            "primary_ip": {"address": format!("10.0.{}.{}", i / 100, i % 100)},
            "protocol_state_filtering_mode": "auto"
        })),
    })
}

/// An emulator serving `fixture`, and the directory that holds its file.
fn serve(fixture: &Value) -> (tempfile::TempDir, Mock) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.json");
    std::fs::write(&path, fixture.to_string()).unwrap();
    let mock = Mock::start(&["--fixture", path.to_str().unwrap()]);
    (dir, mock)
}

/// Each command, its path below /metadata/v1/, the fixture's key and its item count.
const COMMANDS: &[(&str, &str, &str, usize)] = &[
    (
        "software",
        "instance/software_attachments",
        "software_attachments",
        2,
    ),
    (
        "network-attachments",
        "instance/network_attachments",
        "network_attachments",
        2,
    ),
    (
        "cluster-network-attachments",
        "instance/cluster_network_attachments",
        "cluster_network_attachments",
        PAGED_ITEMS,
    ),
    (
        "vnis",
        "virtual_network_interfaces",
        "virtual_network_interfaces",
        PAGED_ITEMS,
    ),
];

fn ids(key: &str, fixture: &Value) -> String {
    fixture[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| format!("{}\n", item["id"].as_str().unwrap()))
        .collect()
}

#[test]
fn newer_collection_commands_list_every_item_of_every_page() {
    let fixture = fixture();
    let (_dir, mock) = serve(&fixture);
    for (command, path, key, n) in COMMANDS {
        // The whole list is a JSON array of the items, not the page envelope.
        let list: Value = serde_json::from_str(&ok(mock.imds().arg(command))).unwrap();
        assert_eq!(&list, &fixture[key], "imds {command}");
        assert_eq!(list.as_array().unwrap().len(), *n);
        // A shorthand --field applies to each item.
        assert_eq!(
            ok(mock.imds().args([command, "--field", "id"])),
            ids(key, &fixture),
            "imds {command} --field id"
        );
        // The paged ones take two requests of 100 (and the two runs above, two each).
        let requests = mock.count(&format!("GET /metadata/v1/{path}"));
        let pages = if *n > 100 { 2 } else { 1 };
        assert_eq!(requests, 2 * pages, "requests for {path}");
    }
}

#[test]
fn newer_collection_commands_show_one_item_by_id() {
    let fixture = fixture();
    let (_dir, mock) = serve(&fixture);
    for (command, _, key, n) in COMMANDS {
        let last = &fixture[key][n - 1];
        let id = last["id"].as_str().unwrap();
        let one: Value = serde_json::from_str(&ok(mock.imds().args([command, id]))).unwrap();
        assert_eq!(&one, last, "imds {command} {id}");
        assert_eq!(
            ok(mock.imds().args([command, id, "--field", "name"])),
            format!("{}\n", last["name"].as_str().unwrap())
        );
    }
}

#[test]
fn an_unknown_id_is_exit_3_naming_the_kind_of_item() {
    let (_dir, mock) = serve(&fixture());
    for (command, noun) in [
        ("software", "software attachment"),
        ("network-attachments", "network attachment"),
        ("cluster-network-attachments", "cluster network attachment"),
        ("vnis", "virtual network interface"),
    ] {
        let err = fails(mock.imds().args([command, "0717-nope"]), 3);
        assert!(
            err.starts_with(&format!("imds: no {noun} with id 0717-nope")),
            "imds {command}: {err}"
        );
    }
}

#[test]
fn a_service_without_the_collection_is_exit_3() {
    // The emulator answers 404 for a collection newer than the oldest version date when the
    // fixture has none, as a service from before it was added does.
    let (_dir, mock) = serve(&json!({"instance": {"id": "0717_old"}}));
    for (command, noun) in [
        ("software", "software attachment"),
        ("network-attachments", "network attachment"),
        ("cluster-network-attachments", "cluster network attachment"),
        ("vnis", "virtual network interface"),
    ] {
        let err = fails(mock.imds().arg(command), 3);
        assert!(
            err.contains(&format!("the service has no {noun} collection")),
            "imds {command}: {err}"
        );
    }
}

#[test]
fn software_licence_keys_with_a_jsonpath_and_a_default_per_item() {
    let (_dir, mock) = serve(&fixture());
    assert_eq!(
        ok(mock.imds().args([
            "software",
            "--field",
            "$[*].entitlement.licensed_software[*].key"
        ])),
        format!("{LICENCE_KEY}\n")
    );
    assert_eq!(
        ok(mock.imds().args([
            "software",
            "--field",
            "name",
            "--field",
            "entitlement.licensed_software[0].sku",
            "--default",
            "-"
        ])),
        "my-vendor-agent\tSKU-AGENT-1\nmy-free-agent\t-\n"
    );
    // The help's example prints the keys, or `none` where there are none.
    let example = [
        "software",
        "--field",
        "$[*].entitlement.licensed_software[*].key",
        "--default",
        "none",
    ];
    assert_eq!(ok(mock.imds().args(example)), format!("{LICENCE_KEY}\n"));
    let (_dir, bare) = serve(&json!({"instance": {"id": "i"}, "software_attachments": []}));
    assert_eq!(ok(bare.imds().args(example)), "none\n");
}

#[test]
fn get_on_a_collection_applies_a_shorthand_field_to_each_item() {
    let fixture = fixture();
    let (_dir, mock) = serve(&fixture);
    for (command, path, key, _) in COMMANDS {
        assert_eq!(
            ok(mock.imds().args(["get", path, "--field", "id"])),
            ok(mock.imds().args([command, "--field", "id"])),
            "imds get {path} --field id"
        );
        // A JSONPath still sees the whole document, as the service shapes it.
        assert_eq!(
            ok(mock
                .imds()
                .args(["get", path, "--field", &format!("$.{key}[0].id")])),
            format!("{}\n", fixture[key][0]["id"].as_str().unwrap())
        );
    }
    assert_eq!(
        ok(mock.imds().args([
            "get",
            "virtual_network_interfaces",
            "--field",
            "$.total_count"
        ])),
        format!("{PAGED_ITEMS}\n")
    );
    // The page fields are not an item's: a shorthand for one is exit 6, naming the item.
    let err = fails(
        mock.imds().args([
            "get",
            "virtual_network_interfaces",
            "--field",
            "total_count",
        ]),
        6,
    );
    assert!(err.contains("total_count"), "{err}");
    // --shell too, one value per item.
    assert_eq!(
        ok(mock.imds().args([
            "get",
            "instance/network_attachments",
            "--shell",
            "ips=primary_ip.address"
        ])),
        "ips='10.0.0.10\n10.0.0.11'\n"
    );
    // Without --field, the document prints whole, envelope and all.
    let doc: Value =
        serde_json::from_str(&ok(mock.imds().args(["get", "virtual_network_interfaces"]))).unwrap();
    assert_eq!(
        doc["virtual_network_interfaces"],
        fixture["virtual_network_interfaces"]
    );
    assert_eq!(doc["total_count"], PAGED_ITEMS);
}

#[test]
fn get_on_a_document_applies_a_shorthand_to_the_document() {
    let (_dir, mock) = serve(&fixture());
    assert_eq!(
        ok(mock.imds().args(["get", "instance", "--field", "name"])),
        "newer\n"
    );
    assert_eq!(
        ok(mock.imds().args([
            "get",
            "virtual_network_interfaces/0717-vni-129",
            "--field",
            "name"
        ])),
        "0717-vni-name-129\n"
    );
}
