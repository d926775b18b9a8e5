//! The identity API (spec §2): minting identity tokens and exchanging them for IAM tokens.
//! It checks the operation's own rules; `routes` has checked the path, method, version and
//! authorisation before.

use super::errors::{Where, error, json_response, target};
use super::http::Request;
use super::response::Response;
use super::state::State;
use super::util;
use serde_json::{Map, Value, json};
use std::time::Duration;

/// Identity token lifetime bounds and default, seconds (spec §2.2).
pub const TOKEN_MIN_SECONDS: u64 = 5;
pub const TOKEN_MAX_SECONDS: u64 = 3600;
pub const TOKEN_DEFAULT_SECONDS: u64 = 300;
/// Lifetime of the IAM tokens the exchange returns (IAM's default, spec §2.4).
pub const IAM_TOKEN_SECONDS: u64 = 3600;
/// The region the emulated instance lives in, for token claims.
const REGION: &str = "us-south";

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
    let mut claims = json!({
        "aud": ["vpc"],
        "exp": now as u64 + expires_in,
        "iat": now as u64,
        "iss": format!("VSI-CR_{REGION}"),
        "iaas": {"instanceID": state.fixture().instance["id"], "region": REGION},
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
pub fn exchange_iam_token(state: &State, request: &Request) -> Response {
    let body = match body_object(request) {
        Ok(b) => b,
        Err(response) => return response,
    };
    if let Some(response) = unknown_property(&body, &["trusted_profile"]) {
        return response;
    }
    let fixture = state.fixture();
    let profiles = &fixture.trusted_profiles;
    let chosen = match body.get("trusted_profile") {
        None | Some(Value::Null) => match fixture.default_profile() {
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
            if let Some(response) = unknown_property(selector, &["id", "crn", "name"]) {
                return response;
            }
            let id = selector.get("id").and_then(Value::as_str);
            let crn = selector.get("crn").and_then(Value::as_str);
            // By name: what IBM's SDK cores send since July 2026 (spec §2.4; the field name
            // is theirs).
            let name = selector.get("name").and_then(Value::as_str);
            let found = match (id, crn, name) {
                (Some(id), None, None) => profiles.iter().find(|p| p.id == id),
                (None, Some(crn), None) => profiles.iter().find(|p| p.crn == crn),
                (None, None, Some(name)) => {
                    profiles.iter().find(|p| p.name.as_deref() == Some(name))
                }
                _ => {
                    return error(
                        400,
                        "invalid_value",
                        "Give the trusted profile's `id`, `crn` or `name` (a string), only one.",
                        Some(target("trusted_profile", Where::Field, None)),
                    );
                }
            };
            match found {
                Some(p) => p,
                None => {
                    let shown = id.or(crn).or(name).unwrap_or_default();
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
                "The `trusted_profile` field must be an object with an `id`, a `crn` or a `name`.",
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

/// `POST …/certificates` (spec §2.5): the CA checks the body and signs a leaf for the instance.
pub fn issue_certificate(state: &State, request: &Request) -> Response {
    let body = match body_object(request) {
        Ok(b) => b,
        Err(response) => return response,
    };
    let fixture = state.fixture();
    let instance_id = fixture.instance["id"].as_str().unwrap_or("instance");
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
