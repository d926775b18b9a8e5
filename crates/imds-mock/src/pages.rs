//! Collections and their items (docs/SERVICE.md §3, §4): a whole collection, or one page of a
//! paginated one with `first`, `next`, `limit` and `total_count`, and single items by id.

use crate::collections::Collection;
use crate::errors::{Where, error, json_response, target};
use crate::http::{Request, percent_encode};
use crate::response::Response;
use crate::state::State;
use crate::util;
use ring::hmac;
use ring::rand::SystemRandom;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
use std::sync::OnceLock;

/// Page size bounds and default (docs/SERVICE.md §4).
pub const PAGE_MIN: usize = 1;
pub const PAGE_MAX: usize = 100;
pub const PAGE_DEFAULT: usize = 50;

/// One item by id, or 404 naming the id.
pub fn item(state: &State, collection: &Collection, id: &str) -> Response {
    let fixture = state.fixture();
    let found = fixture
        .items(collection)
        .unwrap_or_default()
        .iter()
        .find(|i| i.get("id").and_then(Value::as_str) == Some(id));
    match found {
        Some(i) => json_response(200, i),
        None => error(
            404,
            "not_found",
            &format!("{} not found.", collection.noun),
            Some(target("id", Where::Parameter, Some(id))),
        ),
    }
}

/// The key that signs `start` tokens: random per process, so no token outlives the emulator.
fn page_key() -> &'static hmac::Key {
    static KEY: OnceLock<hmac::Key> = OnceLock::new();
    KEY.get_or_init(|| {
        hmac::Key::generate(hmac::HMAC_SHA256, &SystemRandom::new())
            .expect("the operating system's random source")
    })
}

/// The `start` token for an offset in a collection: opaque to clients, never built by them
/// (docs/SERVICE.md §4). It is `offset.MAC`, the MAC over the collection's name and the offset, so
/// a token cannot be forged or used on another collection.
fn start_token(collection: &str, offset: usize) -> String {
    let tag = hmac::sign(page_key(), format!("{collection}\n{offset}").as_bytes());
    format!("{offset}.{}", util::base64url(tag.as_ref()))
}

fn parse_start(collection: &str, token: &str) -> Option<usize> {
    let (offset, tag) = token.split_once('.')?;
    let tag = util::base64url_decode(tag)?;
    hmac::verify(
        page_key(),
        format!("{collection}\n{offset}").as_bytes(),
        &tag,
    )
    .ok()?;
    offset.parse().ok()
}

/// The collection, whole or one page of it.
pub fn list(
    state: &State,
    request: &Request,
    collection: &Collection,
    params: &[(String, String)],
) -> Response {
    let fixture = state.fixture();
    let items = fixture.items(collection).unwrap_or_default();
    let key = collection.name;
    if !collection.paginated {
        return json_response(200, &Whole { key, items });
    }
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let limit = match param("limit") {
        None => PAGE_DEFAULT,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (PAGE_MIN..=PAGE_MAX).contains(&n) => n,
            _ => {
                return error(
                    400,
                    "invalid_value",
                    &format!("The `limit` value must be between `{PAGE_MIN}` and `{PAGE_MAX}`."),
                    Some(target("limit", Where::Parameter, Some(text))),
                );
            }
        },
    };
    let offset = match param("start") {
        None => 0,
        Some(text) => match parse_start(collection.name, text) {
            Some(n) if n <= items.len() => n,
            _ => {
                return error(
                    400,
                    "invalid_value",
                    "The `start` value is not valid: take it from a `next` href.",
                    Some(target("start", Where::Parameter, Some(text))),
                );
            }
        },
    };
    let base = format!(
        "{}://{}{}",
        state.scheme,
        host(state, request),
        request.path
    );
    let end = (offset + limit).min(items.len());
    let next = (end < items.len()).then(|| {
        format!(
            "{base}?limit={limit}&start={}",
            percent_encode(&start_token(collection.name, end))
        )
    });
    let page = Page {
        first: format!("{base}?limit={limit}"),
        limit,
        next,
        key,
        items: &items[offset..end],
        total_count: items.len(),
    };
    json_response(200, &page)
}

/// A collection that is not paginated: `{"<name>": [items]}`, the items not copied.
struct Whole<'a> {
    key: &'a str,
    items: &'a [Value],
}

impl Serialize for Whole<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.key, self.items)?;
        map.end()
    }
}

/// One page as the service writes it: `first`, `limit`, `next` (but on the last page), the
/// items under the collection's name, `total_count`, in that order. The items are written from
/// the fixture as they are, not copied.
struct Page<'a> {
    first: String,
    limit: usize,
    next: Option<String>,
    key: &'a str,
    items: &'a [Value],
    total_count: usize,
}

impl Serialize for Page<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("first", &Href(&self.first))?;
        map.serialize_entry("limit", &self.limit)?;
        if let Some(next) = &self.next {
            map.serialize_entry("next", &Href(next))?;
        }
        map.serialize_entry(self.key, self.items)?;
        map.serialize_entry("total_count", &self.total_count)?;
        map.end()
    }
}

/// `{"href": …}`.
struct Href<'a>(&'a str);

impl Serialize for Href<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("href", self.0)?;
        map.end()
    }
}

/// The authority the client used, for absolute hrefs; the listening address if it sent none.
fn host(state: &State, request: &Request) -> String {
    match request.header("host") {
        Some(h)
            if !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._:[]".contains(&b)) =>
        {
            h.to_string()
        }
        _ => state.authority.clone(),
    }
}
