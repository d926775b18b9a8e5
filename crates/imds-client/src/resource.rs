//! The table that turns a subcommand into what to fetch: path under `/metadata/v1/`, collection
//! key, whether it pages, and the noun used in "not found" messages. Also checks ids and the
//! path of `imds get`.
//!
//! No HTTP here: [`crate::session`] fetches what this module describes, and no command line:
//! the application picks the row for a command.

use crate::error::Error;
use crate::text::clip;

/// Where every metadata path lives (docs/SERVICE.md §3).
pub const METADATA_PREFIX: &str = "/metadata/v1/";

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to [`METADATA_PREFIX`].
    pub path: &'static str,
    /// The array holding a collection's items; `None` for single documents.
    pub key: Option<&'static str>,
    /// Whether to ask for the largest page (`limit=100`). `next` is followed either way.
    pub paginated: bool,
    /// Singular noun for messages ("no key with id …").
    pub noun: &'static str,
}

/// `imds instance` (docs/SERVICE.md §3.1).
pub const INSTANCE: Entry = Entry {
    path: "instance",
    key: None,
    paginated: false,
    noun: "instance",
};
/// `imds init` (docs/SERVICE.md §3.2).
pub const INIT: Entry = Entry {
    path: "instance/initialization",
    key: None,
    paginated: false,
    noun: "initialization data",
};
/// `imds keys` (docs/SERVICE.md §3.5: paged like the VPC API's keys).
pub const KEYS: Entry = Entry {
    path: "keys",
    key: Some("keys"),
    paginated: true,
    noun: "key",
};
/// `imds placement-groups` (docs/SERVICE.md §3.6).
pub const PLACEMENT_GROUPS: Entry = Entry {
    path: "placement_groups",
    key: Some("placement_groups"),
    paginated: true,
    noun: "placement group",
};
/// `imds nics` (docs/SERVICE.md §3.3: not paged; `limit` is not sent, a real service may refuse
/// it).
pub const NICS: Entry = Entry {
    path: "instance/network_interfaces",
    key: Some("network_interfaces"),
    paginated: false,
    noun: "network interface",
};
/// `imds volumes` (docs/SERVICE.md §3.4 and erratum 7.1: `volume_attachments`, plural).
pub const VOLUMES: Entry = Entry {
    path: "instance/volume_attachments",
    key: Some("volume_attachments"),
    paginated: false,
    noun: "volume attachment",
};

/// `imds software` (added to the service on 2026-06-23). Whether the service pages it is not
/// known, so no `limit` is sent (a service that does not page it may refuse the parameter).
pub const SOFTWARE: Entry = Entry {
    path: "instance/software_attachments",
    key: Some("software_attachments"),
    paginated: false,
    noun: "software attachment",
};
/// `imds network-attachments` (since 2023-12-19; not paged in the VPC API).
pub const NETWORK_ATTACHMENTS: Entry = Entry {
    path: "instance/network_attachments",
    key: Some("network_attachments"),
    paginated: false,
    noun: "network attachment",
};
/// `imds cluster-network-attachments` (since 2024-11-12; paged like the VPC API's
/// instance cluster network attachments).
pub const CLUSTER_NETWORK_ATTACHMENTS: Entry = Entry {
    path: "instance/cluster_network_attachments",
    key: Some("cluster_network_attachments"),
    paginated: true,
    noun: "cluster network attachment",
};
/// `imds vnis` (since 2023-12-19; paged like the VPC API's virtual network
/// interfaces). IBM's HA fail-over module reads this collection.
pub const VNIS: Entry = Entry {
    path: "virtual_network_interfaces",
    key: Some("virtual_network_interfaces"),
    paginated: true,
    noun: "virtual network interface",
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

/// The paths below [`METADATA_PREFIX`] that every virtual server instance serves, whatever its
/// version date: a 404 for one of them says the machine has no metadata API at all, which is how
/// a bare metal server answers ("About IBM Cloud VPC Metadata on bare metal servers"). Items by
/// id and the newer collections are left out: their 404 has other causes.
const ALWAYS_SERVED: &[&str] = &[
    "instance",
    "instance/initialization",
    "keys",
    "placement_groups",
    "instance/network_interfaces",
    "instance/volume_attachments",
];

impl Resource {
    /// The full path of its first request.
    pub fn path(&self) -> &str {
        match self {
            Resource::Document { path, .. }
            | Resource::List { path, .. }
            | Resource::Any { path } => path,
        }
    }

    /// Whether every virtual server instance serves it (see [`ALWAYS_SERVED`]).
    pub fn always_served(&self) -> bool {
        self.path()
            .strip_prefix(METADATA_PREFIX)
            .map(|rest| rest.strip_suffix('/').unwrap_or(rest))
            .is_some_and(|rest| ALWAYS_SERVED.contains(&rest))
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
