//! `imds snapshot`: everything the service tells this instance, as one `imds-mock` fixture,
//! and what `--redact` takes out of it.

use serde_json::{Map, Value};

use crate::client::Target;
use crate::error::Error;
use crate::resource::{INIT, INSTANCE, KEYS, METADATA_PREFIX, PLACEMENT_GROUPS};
use crate::session::Session;

/// The collections a snapshot holds besides keys and placement groups, under their fixture key
/// and their path below `/metadata/v1/`, in the fixture's order. The newer ones may not exist on
/// a service (docs/SERVICE.md §3, §6); none is paginated but `virtual_network_interfaces` and
/// `cluster_network_attachments` may be (docs/SERVICE.md §4), so every one is read through all its
/// pages.
const COLLECTIONS: &[(&str, &str)] = &[
    ("network_interfaces", "instance/network_interfaces"),
    ("volume_attachments", "instance/volume_attachments"),
    ("network_attachments", "instance/network_attachments"),
    ("virtual_network_interfaces", "virtual_network_interfaces"),
    (
        "cluster_network_attachments",
        "instance/cluster_network_attachments",
    ),
    ("software_attachments", "instance/software_attachments"),
];

/// Reads everything and puts it together: `instance`, `initialization`, then each collection
/// that has items. A collection the service answers with 404 (one newer than the service) is
/// left out, as is an empty one, so that a snapshot of an emulator serving a snapshot is the
/// same snapshot. Any other failure is the snapshot's failure.
pub fn take(session: &Session) -> Result<Value, Error> {
    let mut doc = Map::new();
    for (key, entry) in [("instance", INSTANCE), ("initialization", INIT)] {
        let path = format!("{METADATA_PREFIX}{}", entry.path);
        let not_found = format!("the service has no {} document", entry.noun);
        let value = session.call(&Target::document(&path, &not_found), None)?;
        doc.insert(key.to_string(), value);
    }
    let paged = [KEYS, PLACEMENT_GROUPS].map(|e| (e.path, e.path, true));
    let others = COLLECTIONS.iter().map(|(key, path)| (*key, *path, false));
    for (key, path, always_there) in paged.into_iter().chain(others) {
        let full = format!("{METADATA_PREFIX}{path}");
        let first = if always_there {
            Target::first_page(&full, &format!("the service has no {key} collection"))
        } else {
            Target::document(&full, &format!("the service has no {key} collection"))
        };
        let answer = match session.all_pages(first) {
            Ok(answer) => answer,
            // A collection this service does not have yet.
            Err(e) if !always_there && e.service().is_some_and(|s| s.status == 404) => continue,
            Err(e) => return Err(e),
        };
        match answer.get(key) {
            Some(Value::Array(items)) if items.is_empty() => {}
            Some(items @ Value::Array(_)) => {
                doc.insert(key.to_string(), items.clone());
            }
            _ => {
                return Err(Error::decode(format!(
                    "the service's answer for {path} has no `{key}` array"
                )));
            }
        }
    }
    Ok(Value::Object(doc))
}

/// What `--redact` removes from the initialization document: the user data (often holding
/// secrets) and a Windows instance's administrator password (encrypted, but readable by whoever
/// holds the private key named beside it).
const REDACTED_INIT_KEYS: &[&str] = &["user_data", "password"];

/// Removes what `--redact` removes: [`REDACTED_INIT_KEYS`] and every licence key of the
/// software attachments (`entitlement.licensed_software[].key`, docs/SERVICE.md §3.7), wherever
/// they appear. Everything else stays, so the fixture still describes the instance: this hides
/// secrets, it does not anonymise.
pub fn redact(snapshot: &mut Value) {
    if let Some(init) = snapshot
        .get_mut("initialization")
        .and_then(Value::as_object_mut)
    {
        for key in REDACTED_INIT_KEYS {
            init.shift_remove(*key);
        }
    }
    remove_licence_keys(snapshot);
}

fn remove_licence_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "licensed_software" {
                    if let Value::Array(items) = child {
                        for item in items.iter_mut().filter_map(Value::as_object_mut) {
                            item.shift_remove("key");
                        }
                    }
                }
                remove_licence_keys(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(remove_licence_keys),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn redact_removes_user_data_password_and_licence_keys_only() {
        let attachment = json!({
            "id": "sa-1",
            "entitlement": {"licensed_software": [
                {"sku": "A", "key": "SECRET-1"}, {"sku": "B"}, "odd", {"sku": "C", "key": "SECRET-2"}
            ]}
        });
        let mut snap = json!({
            "instance": {"id": "i", "software_attachments": [attachment.clone()]},
            "initialization": {
                "keys": [], "user_data": "#!/bin/sh\necho secret",
                "password": {"encrypted_password": "U0VDUkVULVBX",
                             "encryption_key": {"crn": "crn:v1:k", "fingerprint": "SHA256:k"}},
                "default_trusted_profile": {"auto_link": true}
            },
            "software_attachments": [attachment],
        });
        redact(&mut snap);
        let text = snap.to_string();
        assert!(!text.contains("SECRET"), "{text}");
        assert!(!text.contains("user_data"), "{text}");
        assert!(!text.contains("U0VDUkVULVBX"), "{text}");
        assert_eq!(
            snap["software_attachments"][0]["entitlement"]["licensed_software"],
            json!([{"sku": "A"}, {"sku": "B"}, "odd", {"sku": "C"}])
        );
        assert_eq!(
            snap["initialization"],
            json!({"keys": [], "default_trusted_profile": {"auto_link": true}})
        );
        assert_eq!(snap["instance"]["id"], "i");
    }

    #[test]
    fn redact_leaves_a_snapshot_without_secrets_as_it_is() {
        let mut snap = json!({"instance": {"id": "i"}, "initialization": {"keys": []}});
        let before = snap.clone();
        redact(&mut snap);
        assert_eq!(snap, before);
    }
}
