//! The one table of the documents and collections the metadata commands read ([`ENTRIES`]):
//! for each, the command that reads it, its path under `/metadata/v1/`, its collection key,
//! whether it pages, the noun used in "not found" messages, the version date that added it and
//! how `imds snapshot` keeps it. The command line's list of commands and `get` paths and the
//! snapshot's list of collections are read from it. Also checks ids and the path of `imds get`.
//!
//! No HTTP here: [`crate::session`] fetches what this module describes, and no command line:
//! the application picks the row for a command. The emulator keeps a table of its own
//! (crates/imds-mock/src/collections.rs), since it shares no code with the client's HTTP path
//! (docs/ARCHITECTURE.md §6.3); `tests/cli/layout.rs` holds the two to the same collections.

use crate::error::Error;
use crate::text::clip;

/// Where every metadata path lives (docs/SERVICE.md §3).
pub const METADATA_PREFIX: &str = "/metadata/v1/";

/// One row of the table: a document or a collection, and the command that reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The `imds` command that reads it (`placement-groups`).
    pub command: &'static str,
    /// Path relative to [`METADATA_PREFIX`].
    pub path: &'static str,
    /// The array holding a collection's items; `None` for single documents.
    pub key: Option<&'static str>,
    /// Whether to ask for the largest page (`limit=100`). `next` is followed either way.
    pub paginated: bool,
    /// Singular noun for messages ("no key with id …").
    pub noun: &'static str,
    /// The version date that added it to the service (docs/SERVICE.md §6); `None` for what
    /// every virtual server instance serves, whatever its version date. A 404 for one of those
    /// says the machine has no metadata API at all, which is how a bare metal server answers
    /// ("About IBM Cloud VPC Metadata on bare metal servers"); a newer one's 404 has other
    /// causes.
    pub since: Option<&'static str>,
    /// How `imds snapshot` keeps it.
    pub snapshot: Snapshot,
}

/// How `imds snapshot` reads an entry. Either way a collection without items is left out, so
/// that a snapshot of an emulator serving a snapshot is the same snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snapshot {
    /// Read as its command reads it; any failure, a 404 included, fails the snapshot.
    Always,
    /// Read whole, without `limit` (any `next` is followed); a 404 leaves it out, as a
    /// collection the service does not have.
    WhenServed,
}

impl Entry {
    /// The key `imds snapshot` keeps it under, which is its key in an `imds-mock` fixture: a
    /// collection's key, or a document's last path segment (`initialization`).
    pub fn fixture_key(&self) -> &'static str {
        self.key
            .unwrap_or_else(|| self.path.rsplit('/').next().unwrap_or(self.path))
    }
}

/// `imds instance` (docs/SERVICE.md §3.1).
pub const INSTANCE: Entry = Entry {
    command: "instance",
    path: "instance",
    key: None,
    paginated: false,
    noun: "instance",
    since: None,
    snapshot: Snapshot::Always,
};
/// `imds init` (docs/SERVICE.md §3.2).
pub const INIT: Entry = Entry {
    command: "init",
    path: "instance/initialization",
    key: None,
    paginated: false,
    noun: "initialization data",
    since: None,
    snapshot: Snapshot::Always,
};
/// `imds keys` (docs/SERVICE.md §3.5: paged like the VPC API's keys).
pub const KEYS: Entry = Entry {
    command: "keys",
    path: "keys",
    key: Some("keys"),
    paginated: true,
    noun: "key",
    since: None,
    snapshot: Snapshot::Always,
};
/// `imds placement-groups` (docs/SERVICE.md §3.6).
pub const PLACEMENT_GROUPS: Entry = Entry {
    command: "placement-groups",
    path: "placement_groups",
    key: Some("placement_groups"),
    paginated: true,
    noun: "placement group",
    since: None,
    snapshot: Snapshot::Always,
};
/// `imds nics` (docs/SERVICE.md §3.3: not paged; `limit` is not sent, a real service may refuse
/// it).
pub const NICS: Entry = Entry {
    command: "nics",
    path: "instance/network_interfaces",
    key: Some("network_interfaces"),
    paginated: false,
    noun: "network interface",
    since: None,
    snapshot: Snapshot::WhenServed,
};
/// `imds volumes` (docs/SERVICE.md §3.4 and erratum 7.1: `volume_attachments`, plural).
pub const VOLUMES: Entry = Entry {
    command: "volumes",
    path: "instance/volume_attachments",
    key: Some("volume_attachments"),
    paginated: false,
    noun: "volume attachment",
    since: None,
    snapshot: Snapshot::WhenServed,
};

/// `imds software` (added to the service on 2026-06-23). Whether the service pages it is not
/// known, so no `limit` is sent (a service that does not page it may refuse the parameter).
pub const SOFTWARE: Entry = Entry {
    command: "software",
    path: "instance/software_attachments",
    key: Some("software_attachments"),
    paginated: false,
    noun: "software attachment",
    since: Some("2026-06-23"),
    snapshot: Snapshot::WhenServed,
};
/// `imds network-attachments` (since 2023-12-19; not paged in the VPC API).
pub const NETWORK_ATTACHMENTS: Entry = Entry {
    command: "network-attachments",
    path: "instance/network_attachments",
    key: Some("network_attachments"),
    paginated: false,
    noun: "network attachment",
    since: Some("2023-12-19"),
    snapshot: Snapshot::WhenServed,
};
/// `imds cluster-network-attachments` (since 2024-11-12; paged like the VPC API's
/// instance cluster network attachments).
pub const CLUSTER_NETWORK_ATTACHMENTS: Entry = Entry {
    command: "cluster-network-attachments",
    path: "instance/cluster_network_attachments",
    key: Some("cluster_network_attachments"),
    paginated: true,
    noun: "cluster network attachment",
    since: Some("2024-11-12"),
    snapshot: Snapshot::WhenServed,
};
/// `imds vnis` (since 2023-12-19; paged like the VPC API's virtual network
/// interfaces). IBM's HA fail-over module reads this collection.
pub const VNIS: Entry = Entry {
    command: "vnis",
    path: "virtual_network_interfaces",
    key: Some("virtual_network_interfaces"),
    paginated: true,
    noun: "virtual network interface",
    since: Some("2023-12-19"),
    snapshot: Snapshot::WhenServed,
};

/// What one command fetches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// One document; `not_found` is the message for a 404.
    Document { path: String, not_found: String },
    /// Every item of a collection, from every page.
    List {
        path: String,
        key: &'static str,
        paginated: bool,
        not_found: String,
    },
    /// `imds get PATH`: the document as served, following pages merged into the first.
    Any { path: String },
}

/// Every row, in the order `imds get` offers their paths: the instance, what is under it, then
/// the rest.
pub const ENTRIES: &[Entry] = &[
    INSTANCE,
    INIT,
    NICS,
    NETWORK_ATTACHMENTS,
    VOLUMES,
    CLUSTER_NETWORK_ATTACHMENTS,
    SOFTWARE,
    KEYS,
    PLACEMENT_GROUPS,
    VNIS,
];

/// The row `command` reads, if it reads one.
pub fn entry_of(command: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.command == command)
}

impl Resource {
    /// The full path of its first request.
    pub fn path(&self) -> &str {
        match self {
            Resource::Document { path, .. }
            | Resource::List { path, .. }
            | Resource::Any { path } => path,
        }
    }

    /// Whether every virtual server instance serves it: the path of an entry without a
    /// [`Entry::since`]. Items by id are left out: their 404 has other causes.
    pub fn always_served(&self) -> bool {
        self.path()
            .strip_prefix(METADATA_PREFIX)
            .map(|rest| rest.strip_suffix('/').unwrap_or(rest))
            .is_some_and(|rest| ENTRIES.iter().any(|e| e.since.is_none() && e.path == rest))
    }

    /// The resource of a table row, with an optional id.
    pub fn from_entry(entry: &Entry, id: Option<&str>) -> Result<Resource, Error> {
        let base = format!("{METADATA_PREFIX}{}", entry.path);
        Ok(match (entry.key, id) {
            (Some(_), Some(id)) => Resource::Document {
                path: format!("{base}/{}", encode_id(id, entry.noun)?),
                not_found: format!("no {} with id {}", entry.noun, clip(id)),
            },
            (Some(key), None) => Resource::List {
                path: base,
                key,
                paginated: entry.paginated,
                not_found: format!("the service has no {} collection", entry.noun),
            },
            (None, _) => Resource::Document {
                path: base,
                not_found: format!("the service has no {} document", entry.noun),
            },
        })
    }
}

/// Checks an id and percent-encodes what a path segment cannot hold. Ids that would change the
/// path's meaning (`/`, `?`, `#`, `.`/`..`) or carry blanks are refused: exit 2.
fn encode_id(id: &str, noun: &str) -> Result<String, Error> {
    let bad = |why: &str| Error::usage(format!("'{}' is not a valid {noun} id: {why}", clip(id)));
    if id.is_empty() {
        return Err(bad("it is empty"));
    }
    if id == "." || id == ".." {
        return Err(bad("it is a relative path"));
    }
    if id.contains(['/', '?', '#']) {
        return Err(bad("it contains '/', '?' or '#'"));
    }
    if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("it contains blanks or control characters"));
    }
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:@!$&'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(out)
}

/// Checks the path of `imds get`: relative to `/metadata/v1/` or starting with it; no `..`, no
/// query, no absolute URL. Returns the full path.
pub fn get_path(text: &str) -> Result<String, Error> {
    let bad = |why: &str| {
        Error::usage(format!("bad path '{}': {why}", clip(text)))
            .with_hint("give a path under /metadata/v1/, like instance/network_attachments")
    };
    if text.contains("://") {
        return Err(bad(
            "give a path, not a URL (the endpoint comes from --endpoint)",
        ));
    }
    if text.contains(['?', '#']) {
        return Err(bad("queries are not allowed (imds adds version= itself)"));
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("it contains blanks or control characters"));
    }
    let relative = text
        .strip_prefix(METADATA_PREFIX)
        .or_else(|| text.strip_prefix(&METADATA_PREFIX[1..]))
        .unwrap_or(text.strip_prefix('/').unwrap_or(text))
        .trim_end_matches('/');
    if relative.is_empty() {
        return Err(bad("it names no resource"));
    }
    if relative.split('/').any(str::is_empty) {
        return Err(bad("it has an empty segment"));
    }
    if could_escape(relative) {
        return Err(bad(
            "it has a '.' or '..' segment, or a percent-encoded '.', '/' or '\\'",
        ));
    }
    if !relative
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~:@!$&'()*+,;=/%".contains(&b))
    {
        return Err(bad("it has characters a path cannot hold unescaped"));
    }
    Ok(format!("{METADATA_PREFIX}{relative}"))
}

/// The key of the items when the document of a `get` path is a collection: every collection of
/// the service holds its items in an array named after the last segment of its path (`keys`,
/// `instance/network_attachments`, `virtual_network_interfaces`). `None` for any other document
/// (`instance`, one item by id).
pub fn collection_key<'a>(path: &'a str, doc: &serde_json::Value) -> Option<&'a str> {
    let last = path.rsplit('/').next()?;
    doc.get(last)?.is_array().then_some(last)
}

/// Whether a path could climb out of where it points: a `.` or `..` segment, or a
/// percent-encoded `.`, `/` or `\` that a server may decode into one before routing. Paths typed
/// for `get` and page links from the service are held to the same rule.
pub fn could_escape(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    path.split('/').any(|seg| seg == "." || seg == "..")
        || ["%2e", "%2f", "%5c"].iter().any(|e| lower.contains(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_paths() {
        let list = Resource::from_entry(&VOLUMES, None).unwrap();
        assert_eq!(
            list,
            Resource::List {
                path: "/metadata/v1/instance/volume_attachments".into(),
                key: "volume_attachments",
                paginated: false,
                not_found: "the service has no volume attachment collection".into(),
            }
        );
        let one = Resource::from_entry(&KEYS, Some("r134-a b")).unwrap_err();
        assert_eq!(one.kind(), crate::error::Kind::Usage);
        match Resource::from_entry(&KEYS, Some("r134-ü")).unwrap() {
            Resource::Document { path, not_found } => {
                assert_eq!(path, "/metadata/v1/keys/r134-%C3%BC");
                assert_eq!(not_found, "no key with id r134-ü");
            }
            other => panic!("{other:?}"),
        }
        for bad in ["", ".", "..", "a/b", "a?b", "a#b", "a\tb"] {
            assert!(Resource::from_entry(&NICS, Some(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn what_every_instance_serves_is_the_entries_without_a_date() {
        let served = |path: &str| Resource::Any { path: path.into() }.always_served();
        assert!(served("/metadata/v1/keys/"));
        assert!(served("/metadata/v1/instance/initialization"));
        assert!(!served("/metadata/v1/instance/software_attachments"));
        assert!(!served("/metadata/v1/keys/r006-1"));
        assert_eq!(entry_of("placement-groups"), Some(&PLACEMENT_GROUPS));
        assert_eq!(entry_of("get"), None);
        assert_eq!(INIT.fixture_key(), "initialization");
        assert_eq!(NICS.fixture_key(), "network_interfaces");
    }

    #[test]
    fn a_get_path_is_a_collection_when_its_last_segment_holds_an_array() {
        use serde_json::json;
        let page = json!({"first": {"href": "x"}, "keys": [], "limit": 100, "total_count": 0});
        assert_eq!(collection_key("/metadata/v1/keys", &page), Some("keys"));
        let attachments = json!({"network_attachments": [{"id": "a"}]});
        assert_eq!(
            collection_key("/metadata/v1/instance/network_attachments", &attachments),
            Some("network_attachments")
        );
        // The instance document embeds arrays, but none named `instance`; one item is no
        // collection either.
        let instance = json!({"id": "i", "keys": [], "network_interfaces": []});
        assert_eq!(collection_key("/metadata/v1/instance", &instance), None);
        assert_eq!(
            collection_key("/metadata/v1/keys/r006-1", &json!({"id": "r006-1"})),
            None
        );
        assert_eq!(
            collection_key("/metadata/v1/keys", &json!({"keys": {}})),
            None
        );
        assert_eq!(collection_key("/metadata/v1/keys", &json!([1])), None);
    }

    #[test]
    fn get_paths() {
        for (given, want) in [
            (
                "instance/network_attachments",
                "/metadata/v1/instance/network_attachments",
            ),
            ("/metadata/v1/keys", "/metadata/v1/keys"),
            ("metadata/v1/keys/", "/metadata/v1/keys"),
            ("/instance", "/metadata/v1/instance"),
        ] {
            assert_eq!(get_path(given).unwrap(), want);
        }
        for bad in [
            "",
            "/metadata/v1/",
            "../identity/v1/token",
            "keys/../../x",
            "keys?limit=1",
            "http://evil/metadata/v1/keys",
            "keys#x",
            "a b",
            "a//b",
            "keys/%2e%2e/x",
            "keys/%2E%2E/identity",
            "keys%2f..%2fx",
            "a%5Cb",
        ] {
            assert!(get_path(bad).is_err(), "{bad:?} accepted");
        }
    }
}
