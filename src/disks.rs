//! `imds disks`: the instance's disks (boot and data volume attachments, instance storage) from
//! its instance document, each matched to the local block device it is. It reads the block
//! devices under a root directory and does no HTTP; the application fetches the document.
//!
//! The match is IBM's own, from "Managing instance storage" (Using the metadata service to list
//! instance storage): a virtio block device's serial number is the first characters of the
//! disk's id (virtio keeps at most 20), udev names its link `/dev/disk/by-id/virtio-<serial>`,
//! and the recipe takes the disk whose `id` starts with that serial (`select(.id |
//! startswith("$s"))`). A volume attachment's serial is likewise the start of the attachment's
//! id (its `device.id` is that id with a suffix). The serial is read from
//! `ROOT/sys/block/NAME/serial`, which is what udev names the link after, so a device is found
//! even where the link is missing.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::text::clip;

/// Where udev puts the links named after a virtio disk's serial number.
const BY_ID: &str = "dev/disk/by-id";
/// Where the kernel lists block devices, each with its `serial` for virtio disks.
const SYS_BLOCK: &str = "sys/block";

/// A local block device that has a serial number.
#[derive(Debug, Clone, PartialEq, Eq)]
struct BlockDevice {
    /// The kernel's name, e.g. `vda`.
    name: String,
    serial: String,
}

/// Checks `--root` before any request: it must be a directory.
pub fn check_root(root: &Path) -> Result<(), Error> {
    if root.is_dir() {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "--root {}: not a directory",
            clip(&root.display().to_string())
        ))
        .with_hint("give the directory that holds sys/block and dev/disk/by-id (default: /)"))
    }
}

/// One item per disk of `instance` (the instance document): its boot volume attachment, its
/// instance storage disks, then its data volume attachments, the order in which a virtual
/// server sees them (IBM: instance storage disks follow the boot volume, data volumes come
/// after), each with its local device under `root`, or `null` where none matches.
pub fn list(instance: &Value, root: &Path) -> Result<Value, Error> {
    let Value::Object(doc) = instance else {
        return Err(Error::decode(
            "the service's instance document is not a JSON object",
        ));
    };
    let devices = block_devices(root);
    let boot_id = doc
        .get("boot_volume_attachment")
        .and_then(|b| b.get("id"))
        .and_then(Value::as_str);
    let attachments = array(doc, "volume_attachments")?;
    let disks = array(doc, "disks")?;
    let (boot, data): (Vec<&Value>, Vec<&Value>) = attachments
        .iter()
        .partition(|a| a.get("id").and_then(Value::as_str) == boot_id && boot_id.is_some());
    let mut items = Vec::new();
    for attachment in boot {
        items.push(volume_item(attachment, "boot", &devices, root)?);
    }
    for (i, disk) in disks.iter().enumerate() {
        let id = id_of(disk, &format!("disks[{i}]"))?;
        let mut item = Map::new();
        item.insert("kind".into(), "instance-storage".into());
        item.insert(
            "name".into(),
            disk.get("name").cloned().unwrap_or(Value::Null),
        );
        item.insert("id".into(), id.into());
        item.insert("volume".into(), Value::Null);
        item.insert(
            "size".into(),
            disk.get("size").cloned().unwrap_or(Value::Null),
        );
        add_device(&mut item, id, &devices, root);
        items.push(Value::Object(item));
    }
    for attachment in data {
        items.push(volume_item(attachment, "data", &devices, root)?);
    }
    Ok(Value::Array(items))
}

/// The array under `key`; absent is none.
fn array<'a>(doc: &'a Map<String, Value>, key: &str) -> Result<&'a [Value], Error> {
    match doc.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(Error::decode(format!(
            "the service's instance document has a `{key}` that is not an array"
        ))),
    }
}

fn id_of<'a>(item: &'a Value, what: &str) -> Result<&'a str, Error> {
    item.get("id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| {
            Error::decode(format!(
                "{what} in the service's instance document has no id"
            ))
        })
}

fn volume_item(
    attachment: &Value,
    kind: &str,
    devices: &[BlockDevice],
    root: &Path,
) -> Result<Value, Error> {
    let id = id_of(attachment, "a volume attachment")?;
    let volume = match attachment.get("volume") {
        Some(Value::Object(v)) => json!({
            "id": v.get("id").cloned().unwrap_or(Value::Null),
            "name": v.get("name").cloned().unwrap_or(Value::Null),
        }),
        _ => Value::Null,
    };
    // The metadata service's volume reference carries no capacity; a fuller one may.
    let size = attachment
        .get("volume")
        .and_then(|v| v.get("capacity"))
        .cloned()
        .unwrap_or(Value::Null);
    let mut item = Map::new();
    item.insert("kind".into(), kind.into());
    item.insert(
        "name".into(),
        attachment.get("name").cloned().unwrap_or(Value::Null),
    );
    item.insert("id".into(), id.into());
    item.insert("volume".into(), volume);
    item.insert("size".into(), size);
    add_device(&mut item, id, devices, root);
    Ok(Value::Object(item))
}

/// Adds `device` and `by_id`: the block device whose serial starts `id`, and its link.
fn add_device(item: &mut Map<String, Value>, id: &str, devices: &[BlockDevice], root: &Path) {
    match devices.iter().find(|d| id.starts_with(&d.serial)) {
        Some(device) => {
            item.insert("device".into(), format!("/dev/{}", device.name).into());
            let link = format!("virtio-{}", device.serial);
            let by_id = if root.join(BY_ID).join(&link).symlink_metadata().is_ok() {
                Value::String(format!("/{BY_ID}/{link}"))
            } else {
                Value::Null
            };
            item.insert("by_id".into(), by_id);
        }
        None => {
            item.insert("device".into(), Value::Null);
            item.insert("by_id".into(), Value::Null);
        }
    }
}

/// The block devices under `root` that have a serial number, by name. A tree that is not there
/// (no `/sys`, as in a container without it) has none: every disk then shows `null`.
fn block_devices(root: &Path) -> Vec<BlockDevice> {
    let dir: PathBuf = root.join(SYS_BLOCK);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut devices: Vec<BlockDevice> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let serial = fs::read_to_string(dir.join(&name).join("serial")).ok()?;
            // An empty serial would match every id.
            let serial = serial.trim().to_string();
            (!serial.is_empty()).then_some(BlockDevice { name, serial })
        })
        .collect();
    devices.sort_by(|a, b| a.name.cmp(&b.name));
    devices
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(devices: &[(&str, &str)], links: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, serial) in devices {
            let block = dir.path().join(SYS_BLOCK).join(name);
            fs::create_dir_all(&block).unwrap();
            fs::write(block.join("serial"), format!("{serial}\n")).unwrap();
        }
        let by_id = dir.path().join(BY_ID);
        fs::create_dir_all(&by_id).unwrap();
        for link in links {
            fs::write(by_id.join(link), "").unwrap();
        }
        dir
    }

    #[test]
    fn disks_are_matched_by_serial_prefix_in_the_order_the_server_sees_them() {
        let instance = json!({
            "boot_volume_attachment": {"id": "0717-boot-attachment-0001"},
            "volume_attachments": [
                {"id": "0717-data-attachment-0002", "name": "data", "volume": {"id": "v2", "name": "dv", "crn": "c"}},
                {"id": "0717-boot-attachment-0001", "name": "boot", "volume": {"id": "v1", "name": "bv"}}
            ],
            "disks": [{"id": "0717-disk-0003", "name": "scratch", "size": 75}]
        });
        let dir = tree(
            &[
                ("vda", "0717-boot-attachm"),
                ("vdb", "0717-disk-0003"),
                ("vdc", ""),
            ],
            &["virtio-0717-boot-attachm"],
        );
        let items = list(&instance, dir.path()).unwrap();
        let kinds: Vec<&str> = items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["boot", "instance-storage", "data"]);
        assert_eq!(items[0]["device"], "/dev/vda");
        assert_eq!(
            items[0]["by_id"],
            "/dev/disk/by-id/virtio-0717-boot-attachm"
        );
        assert_eq!(items[0]["volume"], json!({"id": "v1", "name": "bv"}));
        assert_eq!(items[1]["device"], "/dev/vdb");
        assert_eq!(items[1]["by_id"], Value::Null, "no link in the tree");
        assert_eq!(items[1]["size"], 75);
        assert_eq!(
            items[2]["device"],
            Value::Null,
            "an empty serial matches nothing"
        );
    }

    #[test]
    fn a_missing_tree_leaves_every_device_null() {
        let instance = json!({"volume_attachments": [{"id": "a"}]});
        let items = list(&instance, Path::new("/nonexistent-imds-root")).unwrap();
        assert_eq!(items[0]["device"], Value::Null);
        assert_eq!(items[0]["kind"], "data");
        assert!(list(&json!([]), Path::new("/")).is_err());
        assert!(list(&json!({"disks": {}}), Path::new("/")).is_err());
    }
}
