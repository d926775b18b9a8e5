//! Collections with all their pages: following `next` links re-based onto the endpoint, keeping
//! them to the collection asked for, bounding the whole result, and merging each page's arrays
//! into the first.

use std::collections::HashSet;

use serde_json::Value;

use super::answer::BODY_CAP;
use super::target::{PAGE_LIMIT, Target};
use crate::error::{Cause, Error};

/// A bound on pages, in case a service invents fresh `start` tokens forever.
pub const MAX_PAGES: usize = 10_000;
/// The most bytes one result may take, all its pages' bodies together, as received: each answer
/// is capped at [`BODY_CAP`], but endless pages would not be. 16 MiB is thousands of SSH
/// keys or placement groups, far beyond what an instance has.
pub const TOTAL_CAP: u64 = 16 * 1024 * 1024;

/// Every page of a document, each fetched by `fetch` (the page and the size of its body in
/// bytes): following `next` (re-based onto the
/// endpoint, `NextPage`), appending each page's arrays to the first page's, and dropping
/// `next`. Bounds as [`for_each_page`].
pub fn collect_pages(
    first: Target,
    fetch: impl FnMut(&Target) -> Result<(Value, u64), Error>,
) -> Result<Value, Error> {
    let mut doc: Option<Value> = None;
    for_each_page(first, fetch, |page| match &mut doc {
        None => {
            doc = Some(page);
            Ok(())
        }
        Some(doc) => merge_page(doc, page),
    })?;
    // `for_each_page` hands over at least the first page, or fails.
    let mut doc = doc.unwrap_or(Value::Null);
    if let Some(map) = doc.as_object_mut() {
        map.shift_remove("next");
    }
    Ok(doc)
}

/// Every page of a document, each fetched by `fetch` (the page and the size of its body in bytes)
/// and handed to `each` as it arrives, whole (its `next` link read first): following `next` (re-based onto the endpoint, `NextPage`).
///
/// Bounds: at most `TOTAL_CAP` bytes in all and `MAX_PAGES` pages. A page over the
/// per-answer cap is asked for again with half the `limit`, down to 1, before that is an error;
/// the smaller limit is kept for the pages after it.
pub fn for_each_page(
    first: Target,
    mut fetch: impl FnMut(&Target) -> Result<(Value, u64), Error>,
    mut each: impl FnMut(Value) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut total = 0u64;
    let mut limit = query_param(&first.query, "limit").and_then(|l| l.parse::<u32>().ok());
    let mut page = fetch_page(&first, &mut limit, &mut total, &mut fetch)?;
    let mut seen: HashSet<String> = HashSet::new();
    let mut pages = 1;
    loop {
        let href = next_href(&page)?;
        each(page)?;
        let Some(href) = href else {
            return Ok(());
        };
        let next = NextPage::parse(&href, &first.path)?;
        if !seen.insert(next.start.clone()) {
            return Err(Error::decode(format!(
                "the service's pages loop: start={} came back",
                crate::text::clip(&next.start)
            )));
        }
        pages += 1;
        if pages > MAX_PAGES {
            return Err(Error::decode(format!(
                "the service sent more than {MAX_PAGES} pages"
            )));
        }
        limit = match (next.limit, limit) {
            (Some(theirs), Some(ours)) => Some(theirs.min(ours)),
            (theirs, ours) => theirs.or(ours),
        };
        let target = first.page(first.path.clone(), next.query(limit));
        page = fetch_page(&target, &mut limit, &mut total, &mut fetch)?;
    }
}

/// One page, counted against `TOTAL_CAP` in `total`. Over the per-answer cap with a `limit`
/// above 1, it is asked for again with half the limit (`limit` is updated).
fn fetch_page(
    target: &Target,
    limit: &mut Option<u32>,
    total: &mut u64,
    fetch: &mut impl FnMut(&Target) -> Result<(Value, u64), Error>,
) -> Result<Value, Error> {
    let mut target = target.clone();
    let (page, size) = loop {
        match fetch(&target) {
            Err(e) if matches!(e.cause(), Cause::TooLarge { .. }) => match *limit {
                Some(n) if n > 1 => {
                    *limit = Some(n / 2);
                    target.query = with_limit(&target.query, n / 2);
                }
                _ => return Err(e),
            },
            other => break other?,
        }
    };
    *total += size;
    if *total > TOTAL_CAP {
        return Err(Error::decode(format!(
            "the service's pages together are larger than the {} MiB cap on a whole result ({} MiB per answer)",
            TOTAL_CAP >> 20,
            BODY_CAP >> 20
        )));
    }
    Ok(page)
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

/// What a `next` link asks for: the page after this one, by its `start` token, and perhaps a
/// page size. Nothing else of the link is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextPage {
    /// The `start` token, as sent (percent-encoded).
    pub start: String,
    /// The `limit` the link carries, if any.
    pub limit: Option<u32>,
}

/// The longest `start` token accepted in a `next` link.
const MAX_START_LEN: usize = 1024;

impl NextPage {
    /// Reads a `next.href` (docs/SERVICE.md §4): an absolute URL or an absolute path, re-based onto
    /// the configured endpoint (the href may name 169.254.169.254 while we talk to the FQDN, or to
    /// an emulator). Its path must be exactly `requested`, the path of the first page, byte for
    /// byte: no other collection, no `..`, `;`, backslash or percent-encoded spelling of one, so
    /// a page link cannot send the token anywhere else on the service. Of its query only
    /// `start` (required, once) and `limit` (1-100, at most once) are used; other parameters,
    /// `version` among them, are dropped, since this client sends its own.
    pub fn parse(href: &str, requested: &str) -> Result<NextPage, Error> {
        let bad = |why: &str| {
            Error::decode(format!(
                "the service's next page link {why}: {}",
                crate::text::clip(href)
            ))
        };
        let lower = href.to_ascii_lowercase();
        let rest = if lower.starts_with("http://") || lower.starts_with("https://") {
            let after = &href[href.find("://").map_or(0, |i| i + 3)..];
            &after[after.find('/').ok_or_else(|| bad("has no path"))?..]
        } else if href.starts_with('/') && !href.starts_with("//") {
            href
        } else {
            return Err(bad("is not a URL or an absolute path"));
        };
        let rest = rest.split('#').next().unwrap_or_default();
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        if path != requested {
            return Err(bad(&format!("names another path than {requested}")));
        }
        let mut start = None;
        let mut limit = None;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            match name {
                "start" if start.is_none() => start = Some(value),
                "limit" if limit.is_none() => limit = Some(value),
                "start" | "limit" => return Err(bad(&format!("repeats `{name}`"))),
                _ => {}
            }
        }
        let start = start.ok_or_else(|| bad("has no `start`"))?;
        if !is_start_token(start) {
            return Err(bad("has a `start` that is not a page token"));
        }
        let limit = match limit {
            None => None,
            Some(text) => match text.parse::<u32>() {
                Ok(n @ 1..=PAGE_LIMIT) if text.bytes().all(|b| b.is_ascii_digit()) => Some(n),
                _ => return Err(bad("has a `limit` that is not 1 to 100")),
            },
        };
        Ok(NextPage {
            start: start.to_string(),
            limit,
        })
    }

    /// The query for this page: `limit` (when there is one) and `start`.
    pub fn query(&self, limit: Option<u32>) -> String {
        match limit {
            Some(n) => format!("limit={n}&start={}", self.start),
            None => format!("start={}", self.start),
        }
    }
}

/// A `start` token as it may travel in a query: 1 to [`MAX_START_LEN`] characters that are
/// unreserved in a URL (RFC 3986 §2.3), base64's `+`, `/` and `=`, or `%XX` escapes of printable
/// ASCII other than `%` (so no escape decodes to a control character or to another escape).
fn is_start_token(text: &str) -> bool {
    let b = text.as_bytes();
    if b.is_empty() || b.len() > MAX_START_LEN {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => i += 1,
            b'+' | b'/' | b'=' => i += 1,
            b'%' => {
                let escaped = text
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match escaped {
                    Some(c) if c.is_ascii_graphic() && c != b'%' => i += 3,
                    _ => return false,
                }
            }
            _ => return false,
        }
    }
    true
}

/// The value of `name` in a query string, as sent.
fn query_param<'q>(query: &'q str, name: &str) -> Option<&'q str> {
    query
        .split('&')
        .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
}

/// `query` with its `limit` set to `limit`.
fn with_limit(query: &str, limit: u32) -> String {
    query
        .split('&')
        .map(|p| {
            if p.starts_with("limit=") {
                format!("limit={limit}")
            } else {
                p.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Appends a page's arrays to the first page's arrays with the same keys. Every array of the
/// first page is a collection this page must carry too (as an array, empty on an empty page):
/// a page without it would silently cut the list short.
fn merge_page(doc: &mut Value, page: Value) -> Result<(), Error> {
    let (Some(first), Value::Object(mut page)) = (doc.as_object_mut(), page) else {
        return Err(Error::decode("the service's page is not a JSON object"));
    };
    first.shift_remove("next");
    for (key, existing) in first.iter_mut() {
        let Value::Array(existing) = existing else {
            continue;
        };
        match page.shift_remove(key) {
            Some(Value::Array(items)) => existing.extend(items),
            _ => {
                return Err(Error::decode(format!(
                    "a later page of the service's answer has no `{key}` array"
                )));
            }
        }
    }
    for (key, value) in page {
        match value {
            Value::Array(items) => {
                first.insert(key, Value::Array(items));
            }
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
        let next = NextPage::parse(
            "http://169.254.169.254/metadata/v1/keys?limit=50&start=abc&version=2019-01-01",
            "/metadata/v1/keys",
        )
        .unwrap();
        assert_eq!(next.start, "abc");
        assert_eq!(next.limit, Some(50));
        assert_eq!(next.query(Some(20)), "limit=20&start=abc");
        let next = NextPage::parse(
            "/metadata/v1/placement_groups?start=b2Zm%3D",
            "/metadata/v1/placement_groups",
        )
        .unwrap();
        assert_eq!((next.start.as_str(), next.limit), ("b2Zm%3D", None));
        assert_eq!(next.query(None), "start=b2Zm%3D");
    }

    #[test]
    fn next_href_to_other_paths_is_not_followed() {
        for bad in [
            "http://evil.example/identity/v1/token?start=1",
            "/metadata/v1/../../identity/v1/token?start=1",
            "/metadata/v1/keys/..;/identity/v1/token?start=1",
            "/metadata/v1/keys\\..\\x?start=1",
            "/metadata/v1/%252e%252e/keys?start=1",
            "/metadata/v1/keys/?start=1",
            "/metadata/v1/KEYS?start=1",
            "/metadata/v1/keys;x?start=1",
            "//evil.example/metadata/v1/keys?start=1",
            "metadata/v1/keys?start=1",
            "http://evil.example",
            "/v1/keys?limit=50&start=1",
        ] {
            assert!(
                NextPage::parse(bad, "/metadata/v1/keys").is_err(),
                "{bad} accepted"
            );
        }
    }

    #[test]
    fn next_href_needs_one_good_start_and_at_most_one_good_limit() {
        for bad in [
            "/metadata/v1/keys",
            "/metadata/v1/keys?limit=10",
            "/metadata/v1/keys?start=",
            "/metadata/v1/keys?start=a&start=b",
            "/metadata/v1/keys?start=a%00b",
            "/metadata/v1/keys?start=a%25b",
            "/metadata/v1/keys?start=a%zz",
            "/metadata/v1/keys?start=a b",
            "/metadata/v1/keys?start=a\"b",
            "/metadata/v1/keys?start=a&limit=0",
            "/metadata/v1/keys?start=a&limit=101",
            "/metadata/v1/keys?start=a&limit=+5",
            "/metadata/v1/keys?start=a&limit=5&limit=6",
        ] {
            assert!(
                NextPage::parse(bad, "/metadata/v1/keys").is_err(),
                "{bad} accepted"
            );
        }
        let long = format!("/metadata/v1/keys?start={}", "a".repeat(MAX_START_LEN + 1));
        assert!(NextPage::parse(&long, "/metadata/v1/keys").is_err());
    }

    #[test]
    fn an_oversize_page_is_asked_for_with_half_the_limit() {
        let mut asked = Vec::new();
        let first = Target::first_page("/metadata/v1/keys", "");
        let doc = collect_pages(first, |t| {
            asked.push(t.query.clone());
            if t.query.contains("limit=100") || t.query.contains("limit=50") {
                Err(super::super::answer::too_large(200))
            } else {
                Ok((serde_json::json!({"keys": [1]}), 10))
            }
        })
        .unwrap();
        assert_eq!(doc, serde_json::json!({"keys": [1]}));
        assert_eq!(asked, ["limit=100", "limit=50", "limit=25"]);
    }

    #[test]
    fn the_limit_is_replaced_in_place() {
        assert_eq!(with_limit("limit=100", 50), "limit=50");
        assert_eq!(with_limit("limit=100&start=x", 50), "limit=50&start=x");
        assert_eq!(with_limit("start=x", 50), "start=x");
        assert_eq!(query_param("limit=100&start=x", "start"), Some("x"));
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

    #[test]
    fn a_page_without_the_collection_array_is_refused() {
        for page in [
            serde_json::json!({}),
            serde_json::json!({"keys": null}),
            serde_json::json!({"keys": {}}),
            serde_json::json!([]),
        ] {
            let mut doc = serde_json::json!({"keys": [1], "next": {"href": "x"}});
            assert!(merge_page(&mut doc, page.clone()).is_err(), "{page}");
        }
        let mut doc = serde_json::json!({"keys": [1], "next": {"href": "x"}});
        merge_page(&mut doc, serde_json::json!({"keys": []})).unwrap();
        assert_eq!(doc, serde_json::json!({"keys": [1]}));
    }
}
