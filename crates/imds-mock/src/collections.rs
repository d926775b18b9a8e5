//! The one table of the collections the emulator serves (docs/SERVICE.md §3, §4): where each lives,
//! whether it is paginated, what its "not found" message calls an item, and since when it exists.
//! The fixture loader and the routes both read it, so they cannot disagree.

/// One collection: `GET /metadata/v1/[instance/]<name>[/{id}]`.
#[derive(Debug, PartialEq, Eq)]
pub struct Collection {
    /// The key of its array in answers and in fixtures, and the last segment of its path.
    pub name: &'static str,
    /// Served under `/metadata/v1/instance/`, and embedded in the instance document.
    pub under_instance: bool,
    /// Answers in pages with `limit`, `start`, `first`, `next` and `total_count` (docs/SERVICE.md
    /// §4).
    pub paginated: bool,
    /// What an item is called in a 404 message: "Placement group not found." (docs/SERVICE.md §3).
    pub noun: &'static str,
    /// The version date that added it (docs/SERVICE.md §6), for those newer than the oldest date
    /// the service takes. A fixture that leaves such a collection out gets 404 for it, as an older
    /// service would answer; one that leaves out an older collection serves it empty.
    pub since: Option<&'static str>,
}

impl Collection {
    /// The path below `/metadata/v1/`, e.g. `instance/network_interfaces` or `keys`.
    pub fn path(&self) -> String {
        if self.under_instance {
            format!("instance/{}", self.name)
        } else {
            self.name.to_string()
        }
    }
}

/// Every collection, in the order the spec lists them (§3). Pagination: `placement_groups` is
/// confirmed; `keys`, `virtual_network_interfaces` and `cluster_network_attachments` are
/// inferred from the VPC API's collection types; the others are unpaginated there, and
/// `software_attachments` is unknown, so it is served whole, as IBM's SDK reads it.
pub const COLLECTIONS: &[Collection] = &[
    Collection {
        name: "network_interfaces",
        under_instance: true,
        paginated: false,
        noun: "Network interface",
        since: None,
    },
    Collection {
        name: "volume_attachments",
        under_instance: true,
        paginated: false,
        noun: "Volume attachment",
        since: None,
    },
    Collection {
        name: "keys",
        under_instance: false,
        paginated: true,
        noun: "Key",
        since: None,
    },
    Collection {
        name: "placement_groups",
        under_instance: false,
        paginated: true,
        noun: "Placement group",
        since: None,
    },
    Collection {
        name: "network_attachments",
        under_instance: true,
        paginated: false,
        noun: "Network attachment",
        since: Some("2023-12-19"),
    },
    Collection {
        name: "virtual_network_interfaces",
        under_instance: false,
        paginated: true,
        noun: "Virtual network interface",
        since: Some("2023-12-19"),
    },
    Collection {
        name: "cluster_network_attachments",
        under_instance: true,
        paginated: true,
        noun: "Cluster network attachment",
        since: Some("2024-11-12"),
    },
    Collection {
        name: "software_attachments",
        under_instance: true,
        paginated: false,
        noun: "Software attachment",
        since: Some("2026-06-23"),
    },
];

/// The collection served at `path` below `/metadata/v1/` (`instance/volume_attachments`,
/// `keys`).
pub fn by_path(path: &str) -> Option<&'static Collection> {
    let (under_instance, name) = match path.strip_prefix("instance/") {
        Some(name) => (true, name),
        None => (false, path),
    };
    COLLECTIONS
        .iter()
        .find(|c| c.under_instance == under_instance && c.name == name)
}

/// The collection whose items a fixture's top-level `name` holds.
pub fn by_name(name: &str) -> Option<&'static Collection> {
    COLLECTIONS.iter().find(|c| c.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_find_their_collection_and_only_there() {
        for c in COLLECTIONS {
            assert_eq!(by_path(&c.path()), Some(c));
            assert_eq!(by_name(c.name), Some(c));
        }
        assert_eq!(by_path("instance/keys"), None);
        assert_eq!(by_path("network_interfaces"), None);
        assert_eq!(by_path("instance/volume_attachment"), None);
        let paged: Vec<&str> = COLLECTIONS
            .iter()
            .filter(|c| c.paginated)
            .map(|c| c.name)
            .collect();
        assert_eq!(
            paged,
            [
                "keys",
                "placement_groups",
                "virtual_network_interfaces",
                "cluster_network_attachments"
            ]
        );
    }
}
