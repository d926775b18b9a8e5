//! The identity API (docs/SERVICE.md §2): minting identity tokens and exchanging them for IAM
//! tokens. It checks the operation's own rules; `routes` has checked the path, method, version and
//! authorisation before.

use crate::collections::by_name;
use crate::errors::{Where, error, json_response, target};
use crate::fixture::{Fixture, Profile};
use crate::http::Request;
use crate::response::Response;
use crate::state::State;
use crate::util;
use serde_json::{Map, Value, json};
use std::time::Duration;

/// Identity token lifetime bounds and default, seconds (docs/SERVICE.md §2.2).
pub const TOKEN_MIN_SECONDS: u64 = 5;
pub const TOKEN_MAX_SECONDS: u64 = 3600;
pub const TOKEN_DEFAULT_SECONDS: u64 = 300;
/// Lifetime of the IAM tokens the exchange returns (IAM's default, docs/SERVICE.md §2.4).
pub const IAM_TOKEN_SECONDS: u64 = 3600;
/// The region of an instance whose fixture names no zone, for token claims.
const DEFAULT_REGION: &str = "us-south";

/// The request body as a JSON object; an empty body is `{}` (docs/SERVICE.md §2.2). Any
/// Content-Type.
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

/// `PUT …/token` (docs/SERVICE.md §2.2).
pub fn mint_identity_token(state: &State, request: &Request) -> Response {
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
    let claims = identity_claims(&state.fixture(), now as u64, expires_in, nonce.as_deref());
    let kid = format!("{}_mock", claims["iss"].as_str().unwrap_or_default());
    let token = jwt(&kid, &claims);
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

/// The claims of an identity token, as IBM's "Decoding the identity access token" shows them:
/// `aud`, `exp`, `iaas` (`crn`, `accountID`, `instanceID`, `zone`, `region`, `profile_name`,
/// `resource_group_id`), `iat`, `ip_addresses`, `iss`, `nonce` when one was sent, `subnets` and
/// `vpc`, in that order. Each is read from the fixture, so the token says what the metadata API
/// says; one the fixture cannot give (no CRN, no VPC) is left out rather than made up.
fn identity_claims(fixture: &Fixture, now: u64, expires_in: u64, nonce: Option<&str>) -> Value {
    let instance = fixture.instance();
    let text = |v: &Value| v.as_str().map(str::to_string);
    let crn = text(&instance["crn"]);
    let zone = text(&instance["zone"]["name"]).or_else(|| {
        // crn:v1:bluemix:public:is:us-south-1:a/ACCOUNT::instance:ID
        crn.as_deref()
            .and_then(|c| c.split(':').nth(5))
            .filter(|z| !z.is_empty())
            .map(str::to_string)
    });
    let region = zone
        .as_deref()
        .map_or(DEFAULT_REGION.to_string(), region_of);
    let account = crn.as_deref().and_then(|c| {
        c.split(':')
            .nth(6)
            .and_then(|scope| scope.strip_prefix("a/"))
            .map(str::to_string)
    });
    let iss = format!("VSI-CR_{region}");
    let mut iaas = Map::new();
    for (key, value) in [
        ("crn", crn.clone()),
        ("accountID", account),
        ("instanceID", text(&instance["id"])),
        ("zone", zone),
        ("region", Some(region.clone())),
        ("profile_name", text(&instance["profile"]["name"])),
        ("resource_group_id", text(&instance["resource_group"]["id"])),
    ] {
        if let Some(value) = value {
            iaas.insert(key.to_string(), Value::String(value));
        }
    }
    let (addresses, subnets) = addresses_and_subnets(fixture);
    let mut claims = Map::new();
    claims.insert("aud".into(), json!([iss]));
    claims.insert("exp".into(), json!(now + expires_in));
    claims.insert("iaas".into(), Value::Object(iaas));
    claims.insert("iat".into(), json!(now));
    claims.insert("ip_addresses".into(), json!(addresses));
    claims.insert("iss".into(), json!(iss));
    if let Some(nonce) = nonce {
        claims.insert("nonce".into(), json!(nonce));
    }
    claims.insert("subnets".into(), json!(subnets));
    if let Some(vpc) = instance["vpc"].as_object() {
        let mut out = Map::new();
        for key in ["crn", "name", "id"] {
            if let Some(v) = vpc.get(key) {
                out.insert(key.to_string(), v.clone());
            }
        }
        claims.insert("vpc".into(), Value::Object(out));
    }
    Value::Object(claims)
}

/// The region of a zone: `us-south-1` is in `us-south`.
fn region_of(zone: &str) -> String {
    match zone.rsplit_once('-') {
        Some((region, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            region.to_string()
        }
        _ => zone.to_string(),
    }
}

/// The addresses (`[{"address"}]`: floating IPs first, then the interfaces' own, as in IBM's
/// example) and subnets (`[{"crn", "name", "id"}]`) of the instance's network interfaces and
/// network attachments, each once.
fn addresses_and_subnets(fixture: &Fixture) -> (Vec<Value>, Vec<Value>) {
    let mut interfaces: Vec<&Value> = Vec::new();
    for name in ["network_interfaces", "network_attachments"] {
        let served = by_name(name).and_then(|c| fixture.items(c));
        match served {
            Some(items) => interfaces.extend(items),
            None => interfaces.extend(fixture.instance()[name].as_array().into_iter().flatten()),
        }
    }
    let mut floating = Vec::new();
    let mut own = Vec::new();
    let mut subnets: Vec<Value> = Vec::new();
    for nic in interfaces {
        for fip in nic["floating_ips"].as_array().into_iter().flatten() {
            floating.extend(fip["address"].as_str());
        }
        own.extend(
            nic["primary_ipv4_address"]
                .as_str()
                .or_else(|| nic["primary_ip"]["address"].as_str()),
        );
        let subnet = &nic["subnet"];
        if subnet["id"].is_string() && !subnets.iter().any(|s| s["id"] == subnet["id"]) {
            let mut out = Map::new();
            for key in ["crn", "name", "id"] {
                if let Some(v) = subnet.get(key) {
                    out.insert(key.to_string(), v.clone());
                }
            }
            subnets.push(Value::Object(out));
        }
    }
    let mut addresses: Vec<&str> = Vec::new();
    for address in floating.into_iter().chain(own) {
        if !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    let addresses = addresses
        .into_iter()
        .map(|a| json!({ "address": a }))
        .collect();
    (addresses, subnets)
}

/// `POST …/iam_token(s)` (docs/SERVICE.md §2.4): the default profile, or one by `id` or `crn`.
pub fn exchange_iam_token(state: &State, request: &Request) -> Response {
    let body = match body_object(request) {
        Ok(b) => b,
        Err(response) => return response,
    };
    if let Some(response) = unknown_property(&body, &["trusted_profile"]) {
        return response;
    }
    let fixture = state.fixture();
    let chosen = match profile_asked_for(&fixture, body.get("trusted_profile")) {
        Ok(p) => p,
        Err(response) => return response,
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
    // Not remembered: an IAM token is no credential for the metadata paths (docs/SERVICE.md §2.3).
    let token = jwt("20250101-mock", &claims);
    json_response(200, &token_answer(token, now, IAM_TOKEN_SECONDS))
}

/// The trusted profile an IAM token request asks for in its `trusted_profile` field: the
/// default one when the field is absent, else the one its `id`, `crn` or `name` names; or the
/// error answer.
fn profile_asked_for<'a>(
    fixture: &'a Fixture,
    selector: Option<&Value>,
) -> Result<&'a Profile, Response> {
    let field = || Some(target("trusted_profile", Where::Field, None));
    let selector = match selector {
        None | Some(Value::Null) => {
            return fixture.default_profile().ok_or_else(|| {
                error(
                    400,
                    "missing_field",
                    "A trusted profile ID was not passed in the request body.",
                    field(),
                )
            });
        }
        Some(Value::Object(selector)) => selector,
        Some(_) => {
            return Err(error(
                400,
                "invalid_value",
                "The `trusted_profile` field must be an object with an `id`, a `crn` or a `name`.",
                field(),
            ));
        }
    };
    if let Some(response) = unknown_property(selector, &["id", "crn", "name"]) {
        return Err(response);
    }
    let profiles = &fixture.trusted_profiles;
    let id = selector.get("id").and_then(Value::as_str);
    let crn = selector.get("crn").and_then(Value::as_str);
    // By name: what IBM's SDK cores send since July 2026 (docs/SERVICE.md §2.4; the field name is
    // theirs).
    let name = selector.get("name").and_then(Value::as_str);
    let found = match (id, crn, name) {
        (Some(id), None, None) => profiles.iter().find(|p| p.id == id),
        (None, Some(crn), None) => profiles.iter().find(|p| p.crn == crn),
        (None, None, Some(name)) => profiles.iter().find(|p| p.name.as_deref() == Some(name)),
        _ => {
            return Err(error(
                400,
                "invalid_value",
                "Give the trusted profile's `id`, `crn` or `name` (a string), only one.",
                field(),
            ));
        }
    };
    found.ok_or_else(|| {
        let shown = id.or(crn).or(name).unwrap_or_default();
        error(
            400,
            "profile_not_linked",
            "The trusted profile is not linked to this instance.",
            Some(target("trusted_profile", Where::Field, Some(shown))),
        )
    })
}

/// `POST …/certificates` (docs/SERVICE.md §2.5): the CA checks the body and signs a leaf for the
/// instance.
pub fn issue_certificate(state: &State, request: &Request) -> Response {
    let body = match body_object(request) {
        Ok(b) => b,
        Err(response) => return response,
    };
    let fixture = state.fixture();
    let instance_id = fixture.instance()["id"].as_str().unwrap_or("instance");
    let defect = state.faults().bad_chain(&request.path);
    match state
        .ca()
        .issue_spoilt(&body, instance_id, std::time::SystemTime::now(), defect)
    {
        Ok(answer) => json_response(200, &answer),
        Err(r) => error(
            400,
            r.code,
            &r.message,
            Some(target(&r.field, Where::Field, r.value.as_deref())),
        ),
    }
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
