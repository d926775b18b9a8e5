//! The service's behaviour, request in, answer out: version dates, identity tokens, the IAM
//! exchange and the metadata documents with pagination (docs/SERVICE.md §1.4, §2, §3, §4, §5). It
//! does no I/O and knows nothing of faults; the server applies those around it.
//!
//! Checks run in this order: `/instance_identity/*` with a `version` from 2025-08-26, or on a
//! bare metal server with any version, and `/metadata/v1/*` on a bare metal server (404,
//! before anything else), path known (else 404; so is a collection the fixture leaves out),
//! method allowed (else 405 with `Allow`),
//! `version` (400 missing/malformed/future, 400 `invalid_version_range` before 2022-03-01),
//! `/instance_identity/*` gone from 2025-08-26 (404), unknown query parameters (400
//! `unknown_field`), then the operation's own rules.

use crate::collections::{self, Collection};
use crate::errors::{Where, error, json_response, method_not_allowed, target, version_too_old};
use crate::http::Request;
use crate::response::Response;
use crate::state::State;
use crate::{pages, tokens, util};
use imds_client::values::is_calendar_date;

/// The oldest `version` date the service accepts (docs/SERVICE.md §1.4, captured).
pub const MIN_VERSION: &str = "2022-03-01";
/// From this date on `/instance_identity/v1/*` answers 404 (docs/SERVICE.md §2.1).
pub const IDENTITY_SPLIT: &str = "2025-08-26";
/// Query parameters every operation accepts.
const COMMON_PARAMS: &[&str] = &["version", "maturity"];

/// What a path names.
#[derive(Debug, Clone, PartialEq)]
enum Route {
    Token,
    IamToken,
    Certificates,
    /// `instance` or `instance/initialization`.
    Document(&'static str),
    /// A collection: `keys`, `instance/network_interfaces`, …
    List(&'static Collection),
    /// One item of a collection.
    Item(&'static Collection, String),
}

impl Route {
    fn allowed_method(&self) -> &'static str {
        match self {
            Route::Token => "PUT",
            Route::IamToken | Route::Certificates => "POST",
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
    match path {
        "/identity/v1/token" => return Some((Family::Identity, Route::Token)),
        "/identity/v1/iam_tokens" => return Some((Family::Identity, Route::IamToken)),
        "/identity/v1/certificates" => return Some((Family::Identity, Route::Certificates)),
        "/instance_identity/v1/token" => return Some((Family::InstanceIdentity, Route::Token)),
        "/instance_identity/v1/certificates" => {
            return Some((Family::InstanceIdentity, Route::Certificates));
        }
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
        _ => match collections::by_path(rest) {
            Some(collection) => Route::List(collection),
            None => {
                let (collection, id) = rest.rsplit_once('/')?;
                let collection = collections::by_path(collection)?;
                if id.is_empty() {
                    return None;
                }
                Route::Item(collection, id.to_string())
            }
        },
    };
    Some((Family::Metadata, found))
}

/// Answers one service request. `host` is the request's `Host`, for page hrefs.
pub fn service(state: &State, request: &Request) -> Response {
    // From 2025-08-26 the whole `/instance_identity` family is gone: 404 whatever the method,
    // and for a date in the future too (docs/SERVICE.md §2.1).
    if request.path.starts_with("/instance_identity/") {
        let params = request.query_pairs();
        let gone = params
            .iter()
            .any(|(k, v)| k == "version" && is_calendar_date(v) && v.as_str() >= IDENTITY_SPLIT);
        // A bare metal server answers the old family 404 for the dates that should still have
        // it (a fault IBM lists among its known problems), so it has none at all.
        if gone || state.fixture().bare_metal {
            return not_found_path();
        }
    }
    // A bare metal server serves the identity API only ("About IBM Cloud VPC Metadata on bare
    // metal servers").
    if state.fixture().bare_metal && request.path.starts_with("/metadata/") {
        return not_found_path();
    }
    let Some((_, found)) = route(&request.path) else {
        return not_found_path();
    };
    // A collection the fixture leaves out is one this service does not have.
    if let Route::List(c) | Route::Item(c, _) = &found {
        if state.fixture().items(c).is_none() {
            return not_found_path();
        }
    }
    let method = found.allowed_method();
    if request.method != method {
        return method_not_allowed(&request.method, method);
    }
    let params = request.query_pairs();
    if let Err(response) = check_version(&params) {
        return response;
    }
    let mut known: Vec<&str> = COMMON_PARAMS.to_vec();
    if let Route::List(collection) = &found {
        if collection.paginated {
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
        Route::Token => tokens::mint_identity_token(state, request),
        Route::IamToken => {
            if let Err(response) = authenticate(state, request) {
                return response;
            }
            tokens::exchange_iam_token(state, request)
        }
        Route::Certificates => {
            if let Err(response) = authenticate(state, request) {
                return response;
            }
            tokens::issue_certificate(state, request)
        }
        metadata => {
            if let Err(response) = authenticate(state, request) {
                return response;
            }
            match metadata {
                Route::Document("instance") => json_response(200, state.fixture().instance()),
                Route::Document(_) => json_response(200, &state.fixture().initialization),
                Route::List(collection) => pages::list(state, request, collection, &params),
                Route::Item(collection, id) => pages::item(state, collection, &id),
                Route::Token | Route::IamToken | Route::Certificates => {
                    unreachable!("handled above")
                }
            }
        }
    }
}

fn not_found_path() -> Response {
    error(404, "not_found", "The requested path was not found.", None)
}

/// The `version` date, or the error answer (docs/SERVICE.md §1.4).
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

/// Checks the Bearer identity token (docs/SERVICE.md §2.3).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collections::by_path;
    use crate::fixture::Fixture;
    use serde_json::Value;

    fn state() -> State {
        State::new(Fixture::builtin(), Vec::new(), "http", "127.0.0.1:1".into())
    }

    fn paging_state() -> State {
        let fixture = Fixture::preset(crate::fixture::Preset::Paging);
        State::new(fixture, Vec::new(), "http", "127.0.0.1:1".into())
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
                Route::Item(by_path("instance/volume_attachments").unwrap(), "x".into())
            ))
        );
        assert_eq!(route("/metadata/v1/instance/volume_attachment/x"), None);
        assert_eq!(route("/metadata/v1/keys/a/b"), None);
        assert_eq!(
            route("/metadata/v1/keys/"),
            Some((Family::Metadata, Route::List(by_path("keys").unwrap())))
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
        let s = paging_state();
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
