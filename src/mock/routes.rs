//! The service's behaviour, request in, answer out: version dates, identity tokens, the IAM
//! exchange and the metadata documents with pagination (spec §1.4, §2, §3, §4, §5). It does no
//! I/O and knows nothing of faults; the server applies those around it.
//!
//! Checks run in this order: path known (else 404), method allowed (else 405 with `Allow`),
//! `version` (400 missing/malformed/future, 400 `invalid_version_range` before 2022-03-01),
//! `/instance_identity/*` gone from 2025-08-26 (404), unknown query parameters (400
//! `unknown_field`), then the operation's own rules.

use super::errors::{Where, error, json_response, method_not_allowed, target, version_too_old};
use super::http::{Request, Response, percent_encode};
use super::state::State;
use super::util;
use crate::values::is_calendar_date;
use serde_json::{Map, Value, json};
use std::time::Duration;

/// The oldest `version` date the service accepts (spec §1.4, captured).
pub const MIN_VERSION: &str = "2022-03-01";
/// From this date on `/instance_identity/v1/*` answers 404 (spec §2.1).
pub const IDENTITY_SPLIT: &str = "2025-08-26";
/// Identity token lifetime bounds and default, seconds (spec §2.2).
pub const TOKEN_MIN_SECONDS: u64 = 5;
pub const TOKEN_MAX_SECONDS: u64 = 3600;
pub const TOKEN_DEFAULT_SECONDS: u64 = 300;
/// Lifetime of the IAM tokens the exchange returns (IAM's default, spec §2.4).
pub const IAM_TOKEN_SECONDS: u64 = 3600;
/// Page size bounds and default (spec §4).
pub const PAGE_MIN: usize = 1;
pub const PAGE_MAX: usize = 100;
pub const PAGE_DEFAULT: usize = 50;
/// Query parameters every operation accepts.
const COMMON_PARAMS: &[&str] = &["version", "maturity"];
/// The region the emulated instance lives in, for token claims.
const REGION: &str = "us-south";

/// What a path names.
#[derive(Debug, Clone, PartialEq)]
enum Route {
    Token,
    IamToken,
    /// `instance` or `instance/initialization`.
    Document(&'static str),
    /// A collection: `keys`, `instance/network_interfaces`, …
    List(String),
    /// One item of a collection.
    Item(String, String),
}

impl Route {
    fn allowed_method(&self) -> &'static str {
        match self {
            Route::Token => "PUT",
            Route::IamToken => "POST",
            _ => "GET",
        }
    }
}

/// Which path family a request came by.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Family {
    Identity,
    InstanceIdentity,
    Metadata,
}

fn route(path: &str) -> Option<(Family, Route)> {
    use super::fixture::{INSTANCE_COLLECTIONS, TOP_COLLECTIONS};
    match path {
        "/identity/v1/token" => return Some((Family::Identity, Route::Token)),
        "/identity/v1/iam_tokens" => return Some((Family::Identity, Route::IamToken)),
        "/instance_identity/v1/token" => return Some((Family::InstanceIdentity, Route::Token)),
        "/instance_identity/v1/iam_token" => {
            return Some((Family::InstanceIdentity, Route::IamToken));
        }
        _ => {}
    }
    let rest = path.strip_prefix("/metadata/v1/")?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let found = match rest {
        "instance" => Route::Document("instance"),
        "instance/initialization" => Route::Document("initialization"),
        _ => {
            let (collection, id) = match rest.strip_prefix("instance/") {
                Some(sub) => {
                    let (name, id) = split_id(sub);
                    if !INSTANCE_COLLECTIONS.contains(&name) {
                        return None;
                    }
                    (format!("instance/{name}"), id)
                }
                None => {
                    let (name, id) = split_id(rest);
                    if !TOP_COLLECTIONS.contains(&name) {
                        return None;
                    }
                    (name.to_string(), id)
                }
            };
            match id {
                None => Route::List(collection),
                Some(id) if !id.is_empty() && !id.contains('/') => {
                    Route::Item(collection, id.to_string())
                }
                Some(_) => return None,
            }
        }
    };
    Some((Family::Metadata, found))
}

fn split_id(text: &str) -> (&str, Option<&str>) {
    match text.split_once('/') {
        Some((name, id)) => (name, Some(id)),
        None => (text, None),
    }
}

/// Whether a collection is paginated (spec §4: placement groups [C], keys and VNIs [I]).
fn paginated(collection: &str) -> bool {
    matches!(
        collection,
        "keys"
            | "placement_groups"
            | "virtual_network_interfaces"
            | "instance/cluster_network_attachments"
    )
}

/// The noun in a collection's "not found" message.
fn noun(collection: &str) -> &'static str {
    match collection.trim_start_matches("instance/") {
        "keys" => "Key",
        "placement_groups" => "Placement group",
        "virtual_network_interfaces" => "Virtual network interface",
        "network_interfaces" => "Network interface",
        "volume_attachments" => "Volume attachment",
        "network_attachments" => "Network attachment",
        "cluster_network_attachments" => "Cluster network attachment",
        "software_attachments" => "Software attachment",
        _ => "Resource",
    }
}

/// Answers one service request. `host` is the request's `Host`, for page hrefs.
pub fn service(state: &State, request: &Request) -> Response {
    let Some((family, found)) = route(&request.path) else {
        return not_found_path();
    };
    let method = found.allowed_method();
    if request.method != method {
        return method_not_allowed(&request.method, method);
    }
    let params = request.query_pairs();
    let version = match check_version(&params) {
        Ok(v) => v,
        Err(response) => return response,
    };
    if family == Family::InstanceIdentity && version.as_str() >= IDENTITY_SPLIT {
        return not_found_path();
    }
    let mut known: Vec<&str> = COMMON_PARAMS.to_vec();
    if let Route::List(collection) = &found {
        if paginated(collection) {
            known.extend(["limit", "start"]);
        }
    }
    if let Some((name, _)) = params.iter().find(|(k, _)| !known.contains(&k.as_str())) {
        return error(
            400,
            "unknown_field",
            &format!("Unknown parameter `{name}`."),
            Some(target(name, Where::Parameter, None)),
        );
    }
    match found {
        Route::Token => mint_identity_token(state, request),
        Route::IamToken => {
            if let Err(response) = authenticate(state, request) {
                return response;
            }
            exchange_iam_token(state, request)
        }
        metadata => {
            if let Err(response) = authenticate(state, request) {
                return response;
            }
            match metadata {
                Route::Document("instance") => json_response(200, &state.fixture.instance),
                Route::Document(_) => json_response(200, &state.fixture.initialization),
                Route::List(collection) => list(state, request, &collection, &params),
                Route::Item(collection, id) => item(state, &collection, &id),
                Route::Token | Route::IamToken => unreachable!("handled above"),
            }
        }
    }
}

fn not_found_path() -> Response {
    error(404, "not_found", "The requested path was not found.", None)
}

/// The `version` date, or the error answer (spec §1.4).
fn check_version(params: &[(String, String)]) -> Result<String, Response> {
    let Some((_, value)) = params.iter().find(|(k, _)| k == "version") else {
        return Err(error(
            400,
            "missing_field",
            "The `version` parameter is required.",
            Some(target("version", Where::Parameter, None)),
        ));
    };
    let invalid = || {
        error(
            400,
            "invalid_value",
            &format!(
                "The `version` value must be a date `YYYY-MM-DD` between `{MIN_VERSION}` and today's date (UTC)."
            ),
            Some(target("version", Where::Parameter, Some(value))),
        )
    };
    if !is_calendar_date(value) {
        return Err(invalid());
    }
    if value.as_str() < MIN_VERSION {
        return Err(version_too_old(value, MIN_VERSION));
    }
    if *value > util::today() {
        return Err(invalid());
    }
    Ok(value.clone())
}

/// Checks the Bearer identity token (spec §2.3).
fn authenticate(state: &State, request: &Request) -> Result<(), Response> {
    let Some(value) = request.header("authorization") else {
        return Err(error(
            401,
            "missing_field",
            "The `Authorization` header is required.",
            Some(target("Authorization", Where::Header, None)),
        ));
    };
    let token = value
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim());
    match token {
        Some(t) if state.tokens().is_valid(t) => Ok(()),
        _ => Err(error(
            401,
            "unauthenticated",
            "The provided token is invalid or expired.",
            None,
        )),
    }
}

/// The request body as a JSON object; an empty body is `{}` (spec §2.2). Any Content-Type.
fn body_object(request: &Request) -> Result<Map<String, Value>, Response> {
    if request.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(&request.body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(error(
            400,
            "invalid_request",
            "The request body was malformed.",
            None,
        )),
    }
}

fn unknown_property(map: &Map<String, Value>, known: &[&str]) -> Option<Response> {
    let key = map.keys().find(|k| !known.contains(&k.as_str()))?;
    Some(error(
        400,
        "unknown_field",
        &format!("Unknown property `{key}` in the request body."),
        Some(target(key, Where::Field, None)),
    ))
}

/// `PUT …/token` (spec §2.2).
fn mint_identity_token(state: &State, request: &Request) -> Response {
    let flavor_ok = request
        .header("metadata-flavor")
        .is_some_and(|v| v.eq_ignore_ascii_case("ibm"));
    if !flavor_ok {
        return error(
            400,
            "missing_value",
            "A value such as `ibm` must be provided in the `Metadata-Flavor` header.",
            Some(target("Metadata-Flavor", Where::Header, None)),
        );
    }
    let body = match body_object(request) {
        Ok(b) => b,
        Err(response) => return response,
    };
    if let Some(response) = unknown_property(&body, &["expires_in", "nonce"]) {
        return response;
    }
    let expires_in = match body.get("expires_in") {
        None | Some(Value::Null) => TOKEN_DEFAULT_SECONDS,
        Some(v) => match v.as_u64() {
            Some(n) if (TOKEN_MIN_SECONDS..=TOKEN_MAX_SECONDS).contains(&n) => n,
            _ => {
                let shown = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                return error(
                    400,
                    "invalid_value",
                    &format!(
                        "The value provided for the `expires_in` field must be between `{TOKEN_MIN_SECONDS}` and `{TOKEN_MAX_SECONDS}`."
                    ),
                    Some(target("expires_in", Where::Field, Some(&shown))),
                );
            }
        },
    };
    let nonce = match body.get("nonce") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return error(
                400,
                "invalid_value",
                "The `nonce` field must be a string.",
                Some(target("nonce", Where::Field, None)),
            );
        }
    };
    let now = util::unix_now();
    let mut claims = json!({
        "aud": ["vpc"],
        "exp": now as u64 + expires_in,
        "iat": now as u64,
        "iss": format!("VSI-CR_{REGION}"),
        "iaas": {"instanceID": state.fixture.instance["id"], "region": REGION},
    });
    if let Some(n) = &nonce {
        claims["nonce"] = json!(n);
    }
    let token = jwt(&format!("VSI-CR_{REGION}_mock"), &claims);
    let mut lifetime = Duration::from_secs(expires_in);
    if let Some(cap) = state.faults().token_ttl(&request.path) {
        lifetime = lifetime.min(cap);
    }
    state.tokens().insert(token.clone(), lifetime);
    let mut answer = token_answer(token, now, expires_in);
    if let Some(n) = nonce {
        answer["nonce"] = json!(n);
    }
    json_response(200, &answer)
}

/// `POST …/iam_token(s)` (spec §2.4): the default profile, or one by `id` or `crn`.
fn exchange_iam_token(state: &State, request: &Request) -> Response {
    let body = match body_object(request) {
        Ok(b) => b,
        Err(response) => return response,
    };
    if let Some(response) = unknown_property(&body, &["trusted_profile"]) {
        return response;
    }
    let profiles = &state.fixture.trusted_profiles;
    let chosen = match body.get("trusted_profile") {
        None | Some(Value::Null) => match state.fixture.default_profile() {
            Some(p) => p,
            None => {
                return error(
                    400,
                    "missing_field",
                    "A trusted profile ID was not passed in the request body.",
                    Some(target("trusted_profile", Where::Field, None)),
                );
            }
        },
        Some(Value::Object(selector)) => {
            if let Some(response) = unknown_property(selector, &["id", "crn"]) {
                return response;
            }
            let id = selector.get("id").and_then(Value::as_str);
            let crn = selector.get("crn").and_then(Value::as_str);
            let found = match (id, crn) {
                (Some(id), None) => profiles.iter().find(|p| p.id == id),
                (None, Some(crn)) => profiles.iter().find(|p| p.crn == crn),
                _ => {
                    return error(
                        400,
                        "invalid_value",
                        "Give the trusted profile's `id` or its `crn` (a string), not both.",
                        Some(target("trusted_profile", Where::Field, None)),
                    );
                }
            };
            match found {
                Some(p) => p,
                None => {
                    let shown = id.or(crn).unwrap_or_default();
                    return error(
                        400,
                        "profile_not_linked",
                        "The trusted profile is not linked to this instance.",
                        Some(target("trusted_profile", Where::Field, Some(shown))),
                    );
                }
            }
        }
        Some(_) => {
            return error(
                400,
                "invalid_value",
                "The `trusted_profile` field must be an object with an `id` or a `crn`.",
                Some(target("trusted_profile", Where::Field, None)),
            );
        }
    };
    let now = util::unix_now();
    let claims = json!({
        "iam_id": format!("iam-{}", chosen.id),
        "id": chosen.id,
        "sub": chosen.crn,
        "sub_type": "Profile",
        "iat": now as u64,
        "exp": now as u64 + IAM_TOKEN_SECONDS,
        "iss": "https://iam.cloud.ibm.com/identity",
    });
    // Not remembered: an IAM token is no credential for the metadata paths (spec §2.3).
    let token = jwt("20250101-mock", &claims);
    json_response(200, &token_answer(token, now, IAM_TOKEN_SECONDS))
}

fn token_answer(token: String, now: f64, expires_in: u64) -> Value {
    json!({
        "access_token": token,
        "created_at": util::rfc3339(now),
        "expires_at": util::rfc3339(now + expires_in as f64),
        "expires_in": expires_in,
    })
}

/// An RS256-looking JWT with a random signature; clients must treat it as opaque.
fn jwt(kid: &str, claims: &Value) -> String {
    let header = json!({"alg": "RS256", "kid": kid, "typ": "JWT"});
    format!(
        "{}.{}.{}",
        util::base64url(header.to_string().as_bytes()),
        util::base64url(claims.to_string().as_bytes()),
        util::base64url(&util::random_bytes(64))
    )
}

fn item(state: &State, collection: &str, id: &str) -> Response {
    let found = state
        .fixture
        .items(collection)
        .iter()
        .find(|i| i.get("id").and_then(Value::as_str) == Some(id));
    match found {
        Some(i) => json_response(200, i),
        None => error(
            404,
            "not_found",
            &format!("{} not found.", noun(collection)),
            Some(target("id", Where::Parameter, Some(id))),
        ),
    }
}

/// The `start` token for an offset: opaque to clients, never built by them (spec §4).
fn start_token(offset: usize) -> String {
    util::base64url(format!("offset:{offset}").as_bytes())
}

fn parse_start(token: &str) -> Option<usize> {
    let bytes = util::base64url_decode(token)?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("offset:")?
        .parse()
        .ok()
}

fn list(
    state: &State,
    request: &Request,
    collection: &str,
    params: &[(String, String)],
) -> Response {
    let items = state.fixture.items(collection);
    let key = collection.trim_start_matches("instance/");
    if !paginated(collection) {
        let mut document = Map::new();
        document.insert(key.into(), Value::Array(items.to_vec()));
        return json_response(200, &Value::Object(document));
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
        Some(text) => match parse_start(text) {
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
    let mut page = Map::new();
    page.insert(
        "first".into(),
        json!({"href": format!("{base}?limit={limit}")}),
    );
    page.insert("limit".into(), json!(limit));
    if end < items.len() {
        let next = format!(
            "{base}?limit={limit}&start={}",
            percent_encode(&start_token(end))
        );
        page.insert("next".into(), json!({ "href": next }));
    }
    page.insert(key.into(), Value::Array(items[offset..end].to_vec()));
    page.insert("total_count".into(), json!(items.len()));
    json_response(200, &Value::Object(page))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::fixture::Fixture;

    fn state() -> State {
        State::new(Fixture::builtin(), Vec::new(), "http", "127.0.0.1:1".into())
    }

    fn req(method: &str, target: &str, headers: &[(&str, &str)], body: &str) -> Request {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        Request {
            method: method.into(),
            path: path.into(),
            query: query.into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
            keep_alive: true,
        }
    }

    fn json(r: &Response) -> Value {
        serde_json::from_slice(&r.body).unwrap()
    }

    fn code(r: &Response) -> String {
        json(r)["errors"][0]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn token(s: &State) -> String {
        let r = service(
            s,
            &req(
                "PUT",
                "/identity/v1/token?version=2025-08-26",
                &[("Metadata-Flavor", "ibm")],
                "",
            ),
        );
        assert_eq!(r.status, 200);
        json(&r)["access_token"].as_str().unwrap().to_string()
    }

    #[test]
    fn routes_cover_the_spec_paths() {
        assert_eq!(
            route("/identity/v1/token"),
            Some((Family::Identity, Route::Token))
        );
        assert_eq!(
            route("/metadata/v1/instance/volume_attachments/x"),
            Some((
                Family::Metadata,
                Route::Item("instance/volume_attachments".into(), "x".into())
            ))
        );
        assert_eq!(route("/metadata/v1/instance/volume_attachment/x"), None);
        assert_eq!(route("/metadata/v1/keys/a/b"), None);
        assert_eq!(
            route("/metadata/v1/keys/"),
            Some((Family::Metadata, Route::List("keys".into())))
        );
        assert_eq!(route("/metadata/v1/nope"), None);
    }

    #[test]
    fn dates_are_checked_as_dates() {
        assert!(is_calendar_date("2024-02-29"));
        assert!(!is_calendar_date("2023-02-29"));
        assert!(!is_calendar_date("2025-13-01"));
        assert!(!is_calendar_date("2025-8-26"));
        assert!(!is_calendar_date("2025-08-26x"));
    }

    #[test]
    fn token_then_metadata() {
        let s = state();
        let t = token(&s);
        let auth = format!("Bearer {t}");
        let r = service(
            &s,
            &req(
                "GET",
                "/metadata/v1/instance?version=2025-08-26",
                &[("Authorization", &auth)],
                "",
            ),
        );
        assert_eq!(r.status, 200);
        assert_eq!(json(&r)["name"], "my-instance");
        let r = service(
            &s,
            &req("GET", "/metadata/v1/instance?version=2025-08-26", &[], ""),
        );
        assert_eq!((r.status, code(&r).as_str()), (401, "missing_field"));
        let r = service(
            &s,
            &req(
                "GET",
                "/metadata/v1/instance?version=2025-08-26",
                &[("Authorization", "Bearer x")],
                "",
            ),
        );
        assert_eq!((r.status, code(&r).as_str()), (401, "unauthenticated"));
    }

    #[test]
    fn pages_walk_to_the_end() {
        let s = state();
        let auth = format!("Bearer {}", token(&s));
        let mut seen = Vec::new();
        let mut target = "/metadata/v1/placement_groups?version=2025-08-26&limit=50".to_string();
        loop {
            let r = service(
                &s,
                &req(
                    "GET",
                    &target,
                    &[("Authorization", &auth), ("Host", "h:1")],
                    "",
                ),
            );
            assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
            let page = json(&r);
            assert_eq!(page["total_count"], 120);
            assert_eq!(
                page["first"]["href"],
                "http://h:1/metadata/v1/placement_groups?limit=50"
            );
            for g in page["placement_groups"].as_array().unwrap() {
                seen.push(g["id"].as_str().unwrap().to_string());
            }
            match page.get("next") {
                Some(n) => {
                    let href = n["href"].as_str().unwrap();
                    target = format!(
                        "{}&version=2025-08-26",
                        href.strip_prefix("http://h:1").unwrap()
                    );
                }
                None => break,
            }
        }
        assert_eq!(seen.len(), 120);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 120);
    }
}
