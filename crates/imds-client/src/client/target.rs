//! One request as the client is asked to make it ([`Target`]): its method, path, query and
//! message for a 404, and the path and query it goes out with, `version=` included.

use crate::values::ApiVersion;

/// Page size asked for on paginated collections (docs/SERVICE.md §4: 1-100).
pub const PAGE_LIMIT: u32 = 100;

/// HTTP methods this client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
}

impl Method {
    /// The method as a request line writes it.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
        }
    }
}

/// One request to make.
#[derive(Debug, Clone)]
pub struct Target {
    pub method: Method,
    /// Absolute path on the endpoint, already percent-encoded.
    pub path: String,
    /// Extra query (`limit=100`, or a `next` page's query); `version=` is added unless present.
    pub query: String,
    /// The message for a 404.
    pub not_found: String,
    /// The path came from the user (`imds get`): a 400 is a usage error.
    pub user_path: bool,
}

impl Target {
    /// A request of `method` for `path` without a query; `not_found` is the message for a 404.
    pub fn new(method: Method, path: &str, not_found: &str) -> Target {
        Target {
            method,
            path: path.to_string(),
            query: String::new(),
            not_found: not_found.to_string(),
            user_path: false,
        }
    }

    /// A GET of one document.
    pub fn document(path: &str, not_found: &str) -> Target {
        Target::new(Method::Get, path, not_found)
    }

    /// A GET of the first page of a collection that pages, asking for the largest page.
    pub fn first_page(path: &str, not_found: &str) -> Target {
        Target {
            query: format!("limit={PAGE_LIMIT}"),
            ..Target::document(path, not_found)
        }
    }

    /// A GET of a path the user typed (`imds get`): a 400 is a usage error.
    pub fn user_path(path: &str) -> Target {
        Target {
            user_path: true,
            ..Target::document(path, &format!("nothing at {path}"))
        }
    }

    /// The same request for another page: `path` and `query` from a `next` link.
    pub fn page(&self, path: String, query: String) -> Target {
        Target {
            path,
            query,
            ..self.clone()
        }
    }

    /// Path and query as sent: `version=` first unless the query already carries one.
    pub(super) fn path_and_query(&self, version: &ApiVersion) -> String {
        let has_version = self.query.split('&').any(|p| p.starts_with("version="));
        match (has_version, self.query.is_empty()) {
            (true, _) => format!("{}?{}", self.path, self.query),
            (false, true) => format!("{}?version={version}", self.path),
            (false, false) => format!("{}?version={version}&{}", self.path, self.query),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_added_unless_present() {
        let v = ApiVersion::parse("2025-08-26").unwrap();
        let t = Target::first_page("/metadata/v1/keys", "");
        assert_eq!(
            t.path_and_query(&v),
            "/metadata/v1/keys?version=2025-08-26&limit=100"
        );
        let t = Target::document("/metadata/v1/keys", "");
        assert_eq!(t.path_and_query(&v), "/metadata/v1/keys?version=2025-08-26");
        let t = Target::document("/metadata/v1/keys", "").page(
            "/metadata/v1/keys".into(),
            "start=a&version=2024-11-12".into(),
        );
        assert_eq!(
            t.path_and_query(&v),
            "/metadata/v1/keys?start=a&version=2024-11-12"
        );
    }
}
