//! The instance the emulator describes: loading and checking a fixture file, the default one
//! built from IBM's documentation examples, and the built-in presets. It serves
//! nothing itself.
//!
//! A fixture is one JSON object, in the shape of what the service tells an instance: one
//! top-level key per document and per collection, items in the order the service lists them.
//!
//! | key | required | value |
//! |---|---|---|
//! | `instance` | yes | the `instance` document (an object with a string `id`); as on the service, it embeds references to its sub-collections' items |
//! | `initialization` | no | the `instance/initialization` document (default `{}`) |
//! | `keys`, `placement_groups`, `virtual_network_interfaces` | no | the items of `/metadata/v1/<key>` |
//! | `network_interfaces`, `volume_attachments`, `network_attachments`, `cluster_network_attachments`, `software_attachments` | no | the items of `/metadata/v1/instance/<key>`, whole (a volume attachment with `bandwidth`, `device`, `status`, `type`, …) |
//! | `trusted_profiles` | no | array of `{"id": S, "crn": S, "name": S, "default": bool}` (`name` optional); at most one default; the IAM token exchange accepts these |
//!
//! A collection's items are objects with unique string `id`s. An instance sub-collection the
//! fixture does not list is served from the array the instance document embeds, if it has one.
//! A collection found nowhere is served empty if it is as old as the service, and is 404 if a
//! later version date added it (see [`crate::collections`]), as an older service would answer.
//!
//! Any other top-level key is refused, so a typo does not go unnoticed. Every error names the
//! field at fault, e.g. `keys[2].id: expected a string`.

use crate::collections::{COLLECTIONS, Collection};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The default fixture, from the documentation's examples.
pub const DEFAULT_FIXTURE: &str = include_str!("default_fixture.json");

/// How many items the `paging` preset lists in each of its long collections: more than one page
/// of the largest size (100), so every paged read takes two requests.
pub const PAGING_LENGTH: usize = 120;

/// The built-in data sets `--preset` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// The default instance: one of each thing, as on a real instance.
    Default,
    /// The default instance with [`PAGING_LENGTH`] placement groups and virtual network
    /// interfaces, for clients that must follow `next` (a real instance is in at most one
    /// placement group, so the default has one).
    Paging,
}

/// The top-level keys that are not collections.
const DOCUMENT_KEYS: &[&str] = &["instance", "initialization", "trusted_profiles"];

/// A trusted profile the instance may exchange its identity token for.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub id: String,
    pub crn: String,
    /// The profile's name, for selection by name (optional in a fixture).
    pub name: Option<String>,
    pub default: bool,
}

/// Where a collection's items are. The fixture document is held once: a large one (10,000
/// placement groups) would otherwise sit in memory twice, as given and as served.
#[derive(Debug, Clone)]
enum Place {
    /// Under the collection's own top-level key.
    Own,
    /// In the array the instance document embeds.
    Instance,
    /// Nowhere in the document: served empty.
    Empty,
}

/// A checked fixture.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub initialization: Value,
    /// Where each collection's items are, by name; absent when the fixture has none to serve.
    collections: BTreeMap<&'static str, Place>,
    pub trusted_profiles: Vec<Profile>,
    /// The machine is a bare metal server: it has the identity API (tokens, IAM tokens,
    /// certificates) and no metadata API, and `/instance_identity/*` is 404 whatever the
    /// version date (a fault IBM lists among its known problems for dates up to 2025-08-25;
    /// from 2025-08-26 that family is gone everywhere).
    pub bare_metal: bool,
    /// The fixture document as given (a preset's lists included): what `GET /_mock/fixture`
    /// returns, what a patch applies to, and where the instance document and the collections
    /// are read from.
    source: Value,
}

impl Fixture {
    /// The default fixture.
    pub fn builtin() -> Fixture {
        Fixture::preset(Preset::Default)
    }

    /// A built-in data set.
    pub fn preset(preset: Preset) -> Fixture {
        let mut doc: Value =
            serde_json::from_str(DEFAULT_FIXTURE).expect("the built-in fixture is JSON");
        if preset == Preset::Paging {
            // The long lists go into the document itself, so that `GET /_mock/fixture` shows
            // what is served and a patch applies to them as to any fixture's.
            let vni = doc["virtual_network_interfaces"][0].clone();
            doc["placement_groups"] = paging_groups();
            doc["virtual_network_interfaces"] = paging_vnis(&vni);
        }
        Fixture::from_value(doc).expect("the built-in fixture is valid")
    }

    /// Reads and checks a fixture file.
    pub fn load(path: &std::path::Path) -> Result<Fixture, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read fixture {}: {e}", path.display()))?;
        Fixture::parse(&text).map_err(|e| format!("bad fixture {}: {e}", path.display()))
    }

    /// Parses and checks fixture text; the error names the bad field.
    pub fn parse(text: &str) -> Result<Fixture, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
        Fixture::from_value(value)
    }

    /// Checks a fixture document; the error names the bad field.
    pub fn from_value(source: Value) -> Result<Fixture, String> {
        let Value::Object(root) = &source else {
            return Err("the fixture must be a JSON object".to_string());
        };
        let known: Vec<&str> = DOCUMENT_KEYS
            .iter()
            .copied()
            .chain(COLLECTIONS.iter().map(|c| c.name))
            .collect();
        if let Some(key) = root.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(format!(
                "{key}: unknown field (known: {})",
                known.join(", ")
            ));
        }
        let instance_map = match root.get("instance") {
            Some(Value::Object(map)) => map,
            Some(_) => return Err("instance: expected an object".to_string()),
            None => return Err("instance: missing (the instance document is required)".into()),
        };
        match instance_map.get("id") {
            Some(Value::String(_)) => {}
            Some(_) => return Err("instance.id: expected a string".to_string()),
            None => return Err("instance.id: missing".to_string()),
        }
        let mut collections = BTreeMap::new();
        for c in COLLECTIONS {
            let embedded = instance_map.get(c.name).filter(|_| c.under_instance);
            let place = match (root.get(c.name), embedded) {
                (Some(items), _) => {
                    check_collection(c.name, items)?;
                    Place::Own
                }
                (None, Some(items)) => {
                    check_collection(&format!("instance.{}", c.name), items)?;
                    Place::Instance
                }
                (None, None) if c.since.is_none() => Place::Empty,
                (None, None) => continue,
            };
            collections.insert(c.name, place);
        }
        let initialization = root
            .get("initialization")
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new()));
        if !initialization.is_object() {
            return Err("initialization: expected an object".to_string());
        }
        if let Some(user_data) = initialization.get("user_data") {
            if !user_data.is_string() {
                return Err("initialization.user_data: expected a string".to_string());
            }
        }
        let trusted_profiles = match root.get("trusted_profiles") {
            None => Vec::new(),
            Some(v) => profiles(v)?,
        };
        Ok(Fixture {
            initialization,
            collections,
            trusted_profiles,
            bare_metal: false,
            source,
        })
    }

    /// The instance document.
    pub fn instance(&self) -> &Value {
        &self.source["instance"]
    }

    /// The fixture document as given (or as patched).
    pub fn source(&self) -> &Value {
        &self.source
    }

    /// This fixture with a JSON merge patch (RFC 7396) applied, checked as a whole; the error
    /// names the bad field, and this fixture is left as it is.
    pub fn patched(&self, patch: &Value) -> Result<Fixture, String> {
        if !patch.is_object() {
            return Err("the patch must be a JSON object (a merge patch of the fixture)".into());
        }
        let mut doc = self.source.clone();
        merge_patch(&mut doc, patch);
        let mut patched = Fixture::from_value(doc)?;
        patched.bare_metal = self.bare_metal;
        Ok(patched)
    }

    /// The items of a collection; `None` when the fixture has none to serve (404).
    pub fn items(&self, collection: &Collection) -> Option<&[Value]> {
        let name = collection.name;
        let items = match self.collections.get(name)? {
            Place::Own => &self.source[name],
            Place::Instance => &self.instance()[name],
            Place::Empty => return Some(&[]),
        };
        items.as_array().map(Vec::as_slice)
    }

    /// The profile used when the IAM exchange names none.
    pub fn default_profile(&self) -> Option<&Profile> {
        self.trusted_profiles.iter().find(|p| p.default)
    }
}

/// The `paging` preset's placement groups, in the shape of IBM's example, the
/// strategies taking turns.
fn paging_groups() -> Value {
    const ACCOUNT: &str = "a/aa2432b1fa4d4ace891e9b80fc104e34";
    (1..=PAGING_LENGTH)
        .map(|i| {
            let id = format!("r018-418fe842-a3e9-47b9-a938-{i:012x}");
            serde_json::json!({
                "created_at": "2021-10-12T19:55:00Z",
                "crn": format!("crn:v1:bluemix:public:is:us-south-1:{ACCOUNT}::placement-group:{id}"),
                "id": id,
                "lifecycle_state": "stable",
                "name": format!("my-placement-group-{i}"),
                "resource_type": "placement_group",
                "strategy": if i % 2 == 1 { "power_spread" } else { "host_spread" },
            })
        })
        .collect()
}

/// The `paging` preset's virtual network interfaces: the default one first, then copies of it
/// with their own id, CRN and name.
fn paging_vnis(first: &Value) -> Value {
    let crn_prefix = first["crn"]
        .as_str()
        .and_then(|crn| crn.rsplit_once(':'))
        .map_or("", |(prefix, _)| prefix)
        .to_string();
    (1..=PAGING_LENGTH)
        .map(|i| {
            let mut vni = first.clone();
            if i > 1 {
                let id = format!("0717-54eb57ee-86f2-4796-90bb-{i:012x}");
                vni["crn"] = Value::String(format!("{crn_prefix}:{id}"));
                vni["name"] = Value::String(format!("my-virtual-network-interface-{i}"));
                vni["id"] = Value::String(id);
            }
            vni
        })
        .collect()
}

/// RFC 7396 §2: objects merge member by member, `null` removes a member, anything else
/// (arrays included) replaces the target. Written out rather than taken from a crate: it is the
/// RFC's ten-line algorithm.
fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(members) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(object) = target else {
        unreachable!("made an object above")
    };
    for (name, value) in members {
        if value.is_null() {
            object.shift_remove(name);
        } else {
            merge_patch(object.entry(name.clone()).or_insert(Value::Null), value);
        }
    }
}

/// Checks an array of objects with unique string ids.
fn check_collection(field: &str, items: &Value) -> Result<(), String> {
    let Value::Array(items) = items else {
        return Err(format!("{field}: expected an array"));
    };
    let mut seen = std::collections::HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(object) = item else {
            return Err(format!("{field}[{i}]: expected an object"));
        };
        match object.get("id") {
            Some(Value::String(id)) => {
                if !seen.insert(id.as_str()) {
                    return Err(format!("{field}[{i}].id: duplicate id `{id}`"));
                }
            }
            Some(_) => return Err(format!("{field}[{i}].id: expected a string")),
            None => return Err(format!("{field}[{i}].id: missing")),
        }
    }
    Ok(())
}

fn profiles(value: &Value) -> Result<Vec<Profile>, String> {
    let Value::Array(items) = value else {
        return Err("trusted_profiles: expected an array".to_string());
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(object) = item else {
            return Err(format!("trusted_profiles[{i}]: expected an object"));
        };
        let text = |key: &str| match object.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(format!("trusted_profiles[{i}].{key}: expected a string")),
            None => Err(format!("trusted_profiles[{i}].{key}: missing")),
        };
        let default = match object.get("default") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(format!(
                    "trusted_profiles[{i}].default: expected true or false"
                ));
            }
        };
        if let Some(key) = object
            .keys()
            .find(|k| !["id", "crn", "name", "default"].contains(&k.as_str()))
        {
            return Err(format!("trusted_profiles[{i}].{key}: unknown field"));
        }
        if default && out.iter().any(|p: &Profile| p.default) {
            return Err(format!(
                "trusted_profiles[{i}].default: only one profile can be the default"
            ));
        }
        out.push(Profile {
            id: text("id")?,
            crn: text("crn")?,
            name: match object.get("name") {
                None => None,
                Some(_) => Some(text("name")?),
            },
            default,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collections::{by_name, by_path};

    fn items<'f>(f: &'f Fixture, path: &str) -> &'f [Value] {
        f.items(by_path(path).unwrap()).unwrap_or(&[])
    }

    #[test]
    fn builtin_fixture_has_what_the_tests_need() {
        let f = Fixture::builtin();
        // A real instance is in at most one placement group, and names it.
        let groups = items(&f, "placement_groups");
        assert_eq!(groups.len(), 1);
        assert_eq!(f.instance()["placement_target"]["id"], groups[0]["id"]);
        let keys = items(&f, "keys");
        assert_eq!(keys.len(), 3);
        assert!(keys.iter().any(|k| k["type"] == "rsa"));
        assert!(keys.iter().any(|k| k["type"] == "ed25519"));
        assert_eq!(items(&f, "instance/network_interfaces").len(), 2);
        assert_eq!(items(&f, "instance/volume_attachments").len(), 2);
        let software = items(&f, "instance/software_attachments");
        assert_eq!(software.len(), 1);
        assert!(software[0]["entitlement"]["licensed_software"][0]["key"].is_string());
        assert_eq!(items(&f, "instance/cluster_network_attachments").len(), 1);
        for field in [
            "availability",
            "availability_policy",
            "health_state",
            "health_reasons",
            "threads_per_core",
            "confidential_compute_mode",
            "enable_secure_boot",
        ] {
            assert!(f.instance().get(field).is_some(), "{field}");
        }
        // Every item the instance document refers to is served whole, under the same id.
        for name in [
            "network_interfaces",
            "volume_attachments",
            "network_attachments",
            "cluster_network_attachments",
            "software_attachments",
        ] {
            let served = items(&f, &format!("instance/{name}"));
            for reference in f.instance()[name].as_array().unwrap() {
                assert!(
                    served.iter().any(|item| item["id"] == reference["id"]),
                    "{name}: {reference}"
                );
            }
        }
        let user_data = f.initialization["user_data"].as_str().unwrap();
        assert!(user_data.contains("#cloud-config"));
        assert!(user_data.starts_with("Content-Type: multipart/"));
        assert!(f.default_profile().is_some());
        assert_eq!(
            f.initialization["default_trusted_profile"]["target"]["id"],
            f.default_profile().unwrap().id.as_str()
        );
    }

    #[test]
    fn paging_preset_has_long_lists_over_the_default_instance() {
        let f = Fixture::preset(Preset::Paging);
        let default = Fixture::builtin();
        assert_eq!(f.instance(), default.instance());
        for path in ["placement_groups", "virtual_network_interfaces"] {
            let list = items(&f, path);
            assert_eq!(list.len(), PAGING_LENGTH, "{path}");
            let ids: std::collections::HashSet<&str> = list
                .iter()
                .map(|item| item["id"].as_str().unwrap())
                .collect();
            assert_eq!(ids.len(), PAGING_LENGTH, "{path}: unique ids");
        }
        assert_eq!(
            items(&f, "placement_groups")[119]["name"],
            "my-placement-group-120"
        );
        assert_eq!(
            items(&f, "virtual_network_interfaces")[0],
            items(&default, "virtual_network_interfaces")[0]
        );
        assert_eq!(
            Fixture::preset(Preset::Default).instance(),
            default.instance()
        );
    }

    #[test]
    fn errors_name_the_field() {
        for (text, field) in [
            ("[]", "JSON object"),
            ("{", "not valid JSON"),
            ("{}", "instance: missing"),
            (r#"{"instance": {"id": 1}}"#, "instance.id"),
            (
                r#"{"instance": {"id": "i"}, "kees": []}"#,
                "kees: unknown field",
            ),
            (
                r#"{"instance": {"id": "i"}, "keys": {}}"#,
                "keys: expected an array",
            ),
            (
                r#"{"instance": {"id": "i"}, "keys": [{"id": "a"}, {"name": "b"}]}"#,
                "keys[1].id: missing",
            ),
            (
                r#"{"instance": {"id": "i"}, "placement_groups": [{"id": "a"}, {"id": "a"}]}"#,
                "placement_groups[1].id: duplicate",
            ),
            (
                r#"{"instance": {"id": "i", "network_interfaces": [{"id": 7}]}}"#,
                "instance.network_interfaces[0].id",
            ),
            (
                r#"{"instance": {"id": "i"}, "initialization": {"user_data": 3}}"#,
                "initialization.user_data",
            ),
            (
                r#"{"instance": {"id": "i"}, "trusted_profiles": [{"id": "p"}]}"#,
                "trusted_profiles[0].crn: missing",
            ),
            (
                r#"{"instance": {"id": "i"}, "trusted_profiles": [{"id": "p", "crn": "c", "default": true}, {"id": "q", "crn": "d", "default": true}]}"#,
                "trusted_profiles[1].default",
            ),
        ] {
            let err = Fixture::parse(text).unwrap_err();
            assert!(err.contains(field), "{text}: {err}");
        }
    }

    #[test]
    fn a_collection_comes_from_its_own_key_else_the_instance_document() {
        let f = Fixture::parse(
            r#"{"instance": {"id": "i", "volume_attachments": [{"id": "ref"}],
                "network_interfaces": [{"id": "embedded"}]},
                "volume_attachments": [{"id": "whole", "bandwidth": 1000}]}"#,
        )
        .unwrap();
        assert_eq!(items(&f, "instance/volume_attachments")[0]["id"], "whole");
        assert_eq!(
            items(&f, "instance/network_interfaces")[0]["id"],
            "embedded"
        );
        assert!(
            f.items(by_path("instance/software_attachments").unwrap())
                .is_none()
        );
        assert!(
            f.items(by_path("virtual_network_interfaces").unwrap())
                .is_none()
        );
        assert_eq!(f.items(by_path("keys").unwrap()), Some(&[][..]));
        let err = Fixture::parse(r#"{"instance": {"id": "i"}, "software_attachments": [{}]}"#);
        assert!(
            err.unwrap_err()
                .contains("software_attachments[0].id: missing")
        );
    }

    #[test]
    fn a_merge_patch_follows_rfc_7396() {
        // The examples of RFC 7396 Appendix A.
        for (target, patch, result) in [
            (r#"{"a":"b"}"#, r#"{"a":"c"}"#, r#"{"a":"c"}"#),
            (r#"{"a":"b"}"#, r#"{"b":"c"}"#, r#"{"a":"b","b":"c"}"#),
            (r#"{"a":"b"}"#, r#"{"a":null}"#, r#"{}"#),
            (r#"{"a":"b","b":"c"}"#, r#"{"a":null}"#, r#"{"b":"c"}"#),
            (r#"{"a":["b"]}"#, r#"{"a":"c"}"#, r#"{"a":"c"}"#),
            (r#"{"a":"c"}"#, r#"{"a":["b"]}"#, r#"{"a":["b"]}"#),
            (
                r#"{"a":{"b":"c"}}"#,
                r#"{"a":{"b":"d","c":null}}"#,
                r#"{"a":{"b":"d"}}"#,
            ),
            (r#"{"a":[{"b":"c"}]}"#, r#"{"a":[1]}"#, r#"{"a":[1]}"#),
            (r#"["a","b"]"#, r#"["c","d"]"#, r#"["c","d"]"#),
            (r#"{"a":"b"}"#, r#"["c"]"#, r#"["c"]"#),
            (r#"{"e":null}"#, r#"{"a":1}"#, r#"{"e":null,"a":1}"#),
            (r#"[1,2]"#, r#"{"a":"b","c":null}"#, r#"{"a":"b"}"#),
            (
                r#"{}"#,
                r#"{"a":{"bb":{"ccc":null}}}"#,
                r#"{"a":{"bb":{}}}"#,
            ),
        ] {
            let mut doc: Value = serde_json::from_str(target).unwrap();
            merge_patch(&mut doc, &serde_json::from_str(patch).unwrap());
            assert_eq!(
                doc,
                serde_json::from_str::<Value>(result).unwrap(),
                "{patch}"
            );
        }
    }

    #[test]
    fn a_patch_keeps_a_presets_lists_unless_it_gives_the_collection() {
        let f = Fixture::preset(Preset::Paging);
        let groups = by_name("placement_groups").unwrap();
        let p = f
            .patched(&serde_json::json!({"instance": {"status": "stopping"}}))
            .unwrap();
        assert_eq!(p.instance()["status"], "stopping");
        assert_eq!(p.items(groups).unwrap().len(), PAGING_LENGTH);
        let vnis = by_name("virtual_network_interfaces").unwrap();
        assert_eq!(p.items(vnis).unwrap().len(), PAGING_LENGTH);
        let p = p
            .patched(&serde_json::json!({"placement_groups": [{"id": "only"}]}))
            .unwrap();
        assert_eq!(p.items(groups).unwrap().len(), 1);
        assert_eq!(p.items(vnis).unwrap().len(), PAGING_LENGTH);
    }

    #[test]
    fn a_patch_that_breaks_the_fixture_names_the_field_and_changes_nothing() {
        let f = Fixture::builtin();
        let patch = serde_json::json!({"keys": [{"name": "no id"}]});
        let err = f.patched(&patch).unwrap_err();
        assert!(err.contains("keys[0].id: missing"), "{err}");
        assert!(f.patched(&serde_json::json!([])).is_err());
        let p = f
            .patched(&serde_json::json!({"instance": {"status": "stopping"}}))
            .unwrap();
        assert_eq!(p.instance()["status"], "stopping");
        assert_eq!(p.instance()["id"], f.instance()["id"]);
        assert_eq!(p.source()["instance"]["status"], "stopping");
    }

    #[test]
    fn minimal_fixture_serves_empty_collections() {
        let f = Fixture::parse(r#"{"instance": {"id": "i"}}"#).unwrap();
        assert!(items(&f, "keys").is_empty());
        assert!(items(&f, "instance/network_interfaces").is_empty());
        assert_eq!(f.initialization, serde_json::json!({}));
        assert!(f.default_profile().is_none());
    }
}
