//! Collections with all their pages: following `next` links re-based onto the endpoint, refusing
//! links out of `/metadata/v1/` and loops, and merging each page's arrays into the first.

use std::collections::HashSet;

use serde_json::Value;

use super::Target;
use crate::error::Error;

/// Page size asked for on paginated collections (spec §4: 1-100).
pub const PAGE_LIMIT: u32 = 100;
/// A bound on pages, in case a service invents fresh `start` tokens forever.
pub const MAX_PAGES: usize = 10_000;

/// Every page of a document, each fetched by `fetch`: following `next` (re-based onto the
/// endpoint), appending each page's arrays to the first page's, and dropping `next`.
pub fn collect_pages(
    first: Target,
    mut fetch: impl FnMut(&Target) -> Result<Value, Error>,
) -> Result<Value, Error> {
    let mut doc = fetch(&first)?;
    let mut seen: HashSet<String> = HashSet::new();
    let mut pages = 1;
    while let Some(href) = next_href(&doc)? {
        let (path, query) = rebase_next(&href)?;
        let start = query_param(&query, "start").unwrap_or_default();
        if !seen.insert(start.clone()) {
            return Err(Error::decode(format!(
                "the service's pages loop: start={start} came back"
            )));
        }
        pages += 1;
        if pages > MAX_PAGES {
            return Err(Error::decode(format!(
                "the service sent more than {MAX_PAGES} pages"
            )));
        }
        let target = first.page(path, query);
        let page = fetch(&target)?;
        merge_page(&mut doc, page)?;
    }
    if let Some(map) = doc.as_object_mut() {
        map.shift_remove("next");
    }
    Ok(doc)
}

/// The `next.href` of a page, if any.
fn next_href(doc: &Value) -> Result<Option<String>, Error> {
    match doc.get("next") {
        None | Some(Value::Null) => Ok(None),
        Some(next) => match next.get("href").and_then(Value::as_str) {
            Some(href) => Ok(Some(href.to_string())),
            None => Err(Error::decode(
                "the service's page has a `next` without an href",
            )),
        },
    }
}

/// Re-bases a `next.href` onto the configured endpoint (spec §4): keeps path and query, drops
/// scheme, host and port (the href may name 169.254.169.254 while we talk to the FQDN, or to an
/// emulator). Refuses a path outside `/metadata/v1/`, so a page link cannot send the token
/// elsewhere on the service.
pub fn rebase_next(href: &str) -> Result<(String, String), Error> {
    let bad = || {
        Error::decode(format!(
            "the service's next page link is not under /metadata/v1/: {href}"
        ))
    };
    let lower = href.to_ascii_lowercase();
    let rest = if lower.starts_with("http://") || lower.starts_with("https://") {
        let after = &href[href.find("://").unwrap() + 3..];
        &after[after.find('/').ok_or_else(bad)?..]
    } else if href.starts_with('/') && !href.starts_with("//") {
        href
    } else {
        return Err(bad());
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if !path.starts_with(crate::resource::METADATA_PREFIX)
        || crate::resource::could_escape(path)
        || path
            .chars()
            .chain(query.chars())
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad());
    }
    Ok((path.to_string(), query.to_string()))
}

/// The value of `name` in a query string, as sent.
fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
        .map(str::to_string)
}

/// Appends a page's arrays to the first page's arrays with the same keys.
fn merge_page(doc: &mut Value, page: Value) -> Result<(), Error> {
    let (Some(first), Value::Object(page)) = (doc.as_object_mut(), page) else {
        return Err(Error::decode("the service's page is not a JSON object"));
    };
    first.shift_remove("next");
    for (key, value) in page {
        match value {
            Value::Array(items) => match first.get_mut(&key) {
                Some(Value::Array(existing)) => existing.extend(items),
                _ => {
                    first.insert(key, Value::Array(items));
                }
            },
            other if key == "next" => {
                first.insert(key, other);
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_href_is_rebased_onto_the_endpoint() {
        let (p, q) =
            rebase_next("http://169.254.169.254/metadata/v1/keys?limit=100&start=abc").unwrap();
        assert_eq!(p, "/metadata/v1/keys");
        assert_eq!(q, "limit=100&start=abc");
        let (p, q) = rebase_next("/metadata/v1/placement_groups?start=x").unwrap();
        assert_eq!(
            (p.as_str(), q.as_str()),
            ("/metadata/v1/placement_groups", "start=x")
        );
    }

    #[test]
    fn next_href_to_other_paths_is_not_followed() {
        for bad in [
            "http://evil.example/identity/v1/token?start=1",
            "/metadata/v1/../../identity/v1/token",
            "//evil.example/metadata/v1/keys",
            "metadata/v1/keys",
            "http://evil.example",
            "/v1/placement_groups?limit=50",
        ] {
            assert!(rebase_next(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn pages_merge() {
        let mut doc = serde_json::json!({"keys": [1], "limit": 1, "next": {"href": "x"}});
        merge_page(
            &mut doc,
            serde_json::json!({"keys": [2], "next": {"href": "y"}}),
        )
        .unwrap();
        assert_eq!(doc["keys"], serde_json::json!([1, 2]));
        assert_eq!(doc["next"]["href"], "y");
    }
}
