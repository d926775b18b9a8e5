//! `imds snapshot`: everything the service tells this instance, as one `imds-mock` fixture,
//! and what `--redact` takes out of it.

use serde_json::{Map, Value};

use crate::client::Target;
use crate::error::Error;
use crate::resource::{ENTRIES, Entry, METADATA_PREFIX, Snapshot};
use crate::session::Session;

/// Reads every entry of the resource table and puts them together, in the fixture's order
/// ([`in_fixture_order`]). A collection without items is left out, and so is one the table
/// keeps only when served ([`Snapshot::WhenServed`]) that the service answers with 404 (one
/// newer than the service), so that a snapshot of an emulator serving a snapshot is the same
/// snapshot. Any other failure is the snapshot's failure.
pub fn take(session: &Session) -> Result<Value, Error> {
    let mut doc = Map::new();
    for entry in in_fixture_order() {
        let key = entry.fixture_key();
        let path = entry.path;
        let full = format!("{METADATA_PREFIX}{path}");
        if entry.key.is_none() {
            let not_found = format!("the service has no {} document", entry.noun);
            let value = session.call(&Target::document(&full, &not_found), None)?;
            doc.insert(key.to_string(), value);
            continue;
        }
        let not_found = format!("the service has no {key} collection");
        let first = match entry.snapshot {
            Snapshot::Always if entry.paginated => Target::first_page(&full, &not_found),
            Snapshot::Always | Snapshot::WhenServed => Target::document(&full, &not_found),
        };
        let answer = match session.all_pages(first) {
            Ok(answer) => answer,
            // A collection this service does not have yet.
            Err(e)
                if entry.snapshot == Snapshot::WhenServed
                    && e.service().is_some_and(|s| s.status == 404) =>
            {
                continue;
            }
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

/// The table's entries in the order a snapshot holds them: the documents, the collections a
/// snapshot always holds, then the others from the oldest to the newest (by the version date
/// that added them, docs/SERVICE.md §6), each group in the table's order.
fn in_fixture_order() -> Vec<&'static Entry> {
    let mut entries: Vec<&Entry> = ENTRIES.iter().collect();
    entries.sort_by_key(|e| (e.key.is_some(), e.snapshot == Snapshot::WhenServed, e.since));
    entries
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
    fn a_snapshot_holds_the_documents_then_the_collections_oldest_first() {
        let keys: Vec<&str> = in_fixture_order().iter().map(|e| e.fixture_key()).collect();
        assert_eq!(
            keys,
            [
                "instance",
                "initialization",
                "keys",
                "placement_groups",
                "network_interfaces",
                "volume_attachments",
                "network_attachments",
                "virtual_network_interfaces",
                "cluster_network_attachments",
                "software_attachments",
            ]
        );
    }

    #[test]
    fn redact_leaves_a_snapshot_without_secrets_as_it_is() {
        let mut snap = json!({"instance": {"id": "i"}, "initialization": {"keys": []}});
        let before = snap.clone();
        redact(&mut snap);
        assert_eq!(snap, before);
    }
}
