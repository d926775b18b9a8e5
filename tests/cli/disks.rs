//! `imds disks --root DIR` on made-up trees: boot, data and instance storage disks matched to
//! block devices by their virtio serial numbers, and a disk with no device.

use std::fs;
use std::path::Path;

use serde_json::{Value, json};

use crate::support::{Mock, fails, ok};

/// Writes `ROOT/sys/block/NAME/serial` for each device and a `ROOT/dev/disk/by-id/virtio-SERIAL`
/// link to `../../NAME` for each one in `links`.
fn tree(root: &Path, devices: &[(&str, &str)], links: &[&str]) {
    let by_id = root.join("dev/disk/by-id");
    fs::create_dir_all(&by_id).unwrap();
    for (name, serial) in devices {
        let block = root.join("sys/block").join(name);
        fs::create_dir_all(&block).unwrap();
        // The kernel ends the attribute with a newline.
        fs::write(block.join("serial"), format!("{serial}\n")).unwrap();
        if links.contains(name) {
            std::os::unix::fs::symlink(
                format!("../../{name}"),
                by_id.join(format!("virtio-{serial}")),
            )
            .unwrap();
        }
    }
}

/// The default instance's ids, cut to the 20 characters a virtio serial number holds.
fn serial(id: &str) -> &str {
    &id[..20]
}

#[test]
fn disks_matches_boot_data_and_instance_storage_disks_by_serial() {
    let mock = Mock::new();
    let instance: Value = serde_json::from_str(&ok(mock.imds().arg("instance"))).unwrap();
    let boot = instance["boot_volume_attachment"]["id"].as_str().unwrap();
    let disk = instance["disks"][0]["id"].as_str().unwrap();
    let data = instance["volume_attachments"][1]["id"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The data volume has no block device here: it shows null.
    tree(
        dir.path(),
        &[
            ("vda", serial(boot)),
            ("vdb", serial(disk)),
            ("vdz", "cloud-init-0001"),
        ],
        &["vda"],
    );
    let out = ok(mock.imds().arg("disks").arg("--root").arg(dir.path()));
    let items: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        items,
        json!([
            {"kind": "boot", "name": "my-boot-volume-attachment", "id": boot,
             "volume": {"id": instance["boot_volume_attachment"]["volume"]["id"],
                        "name": "my-boot-volume"},
             "size": null, "device": "/dev/vda",
             "by_id": format!("/dev/disk/by-id/virtio-{}", serial(boot))},
            {"kind": "instance-storage", "name": "my-instance-disk", "id": disk,
             "volume": null, "size": 75, "device": "/dev/vdb", "by_id": null},
            {"kind": "data", "name": "my-data-volume-attachment", "id": data,
             "volume": {"id": instance["volume_attachments"][1]["volume"]["id"],
                        "name": "my-data-volume"},
             "size": null, "device": null, "by_id": null},
        ])
    );
    assert_eq!(mock.count("GET /metadata/v1/instance"), 2);
    // --field applies to each item, as in every list.
    let devices = ok(mock
        .imds()
        .args(["disks", "--field", "kind", "--field", "device", "--root"])
        .arg(dir.path()));
    assert_eq!(
        devices,
        "boot\t/dev/vda\ninstance-storage\t/dev/vdb\ndata\tnull\n"
    );
}

#[test]
fn disks_without_a_block_device_tree_are_all_null() {
    let mock = Mock::new();
    let dir = tempfile::tempdir().unwrap();
    let out = ok(mock
        .imds()
        .args(["disks", "--field", "device", "--root"])
        .arg(dir.path()));
    assert_eq!(out, "null\nnull\nnull\n");
}

#[test]
fn disks_with_a_root_that_is_not_a_directory_is_exit_2_before_any_request() {
    let mock = Mock::new();
    let dir = tempfile::tempdir().unwrap();
    let err = fails(
        mock.imds()
            .args(["disks", "--root"])
            .arg(dir.path().join("missing")),
        2,
    );
    assert!(err.contains("not a directory"), "{err}");
    assert_eq!(mock.count("PUT /identity/v1/token"), 0);
}
