//! The control path `/_mock/…`: fault rules, request counts, token expiry and the fixture at
//! run time. No authentication, never counted, never faulted.
//!
//! | request | effect | answer |
//! |---|---|---|
//! | `GET /_mock/counts` | | `{"total": N, "requests": {"GET /metadata/v1/keys": 3, …}}` |
//! | `GET /_mock/faults` | | `{"rules": [...]}` |
//! | `POST /_mock/faults` + rule | adds the rule (see [`crate::faults`]) | `{"rules": [...]}` |
//! | `DELETE /_mock/faults` | clears every rule | `{"rules": []}` |
//! | `POST /_mock/reset` | clears rules and counts | `{"reset": true}` |
//! | `POST /_mock/expire-tokens` | every token issued so far gets 401 | `{"expired": N}` |
//! | `GET /_mock/fixture` | | the fixture document served now |
//! | `POST /_mock/patch[?after=D]` + merge patch | patches the fixture (RFC 7396), at once or after `D` | `{"patched": true}` or `{"scheduled": "2s"}` |
//!
//! A patch that would leave an invalid fixture is 400 naming the field, and nothing changes; one
//! given with `after` is checked against the fixture of that moment.

use crate::errors::{error, json_response, method_not_allowed};
use crate::faults::Rule;
use crate::http::Request;
use crate::response::Response;
use crate::state::State;
use imds_client::values::parse_duration;
use serde_json::{Value, json};
use std::sync::Arc;

/// The prefix of every control path.
pub const PREFIX: &str = "/_mock/";

/// Answers one control request.
pub fn handle(state: &Arc<State>, request: &Request) -> Response {
    let path = request.path.as_str();
    let allowed = match path {
        "/_mock/counts" | "/_mock/fixture" => "GET",
        "/_mock/patch" => "POST",
        "/_mock/faults" => "GET, POST, DELETE",
        "/_mock/reset" | "/_mock/expire-tokens" => "POST",
        _ => {
            return error(
                404,
                "not_found",
                "Unknown control path: use /_mock/counts, /_mock/faults, /_mock/reset, /_mock/expire-tokens, /_mock/fixture or /_mock/patch.",
                None,
            );
        }
    };
    match (request.method.as_str(), path) {
        ("GET", "/_mock/counts") => json_response(200, &state.counts().to_json()),
        ("GET", "/_mock/faults") => rules(state),
        ("POST", "/_mock/faults") => {
            let rule = serde_json::from_slice::<Value>(&request.body)
                .map_err(|e| format!("the body is not JSON: {e}"))
                .and_then(|v| Rule::from_json(&v));
            match rule {
                Ok(rule) => {
                    state.faults().add(rule);
                    rules(state)
                }
                Err(message) => error(400, "invalid_value", &message, None),
            }
        }
        ("DELETE", "/_mock/faults") => {
            state.faults().clear();
            rules(state)
        }
        ("POST", "/_mock/reset") => {
            state.faults().clear();
            state.counts().clear();
            json_response(200, &json!({"reset": true}))
        }
        ("POST", "/_mock/expire-tokens") => {
            let expired = state.tokens().expire_all();
            json_response(200, &json!({ "expired": expired }))
        }
        ("GET", "/_mock/fixture") => json_response(200, state.fixture().source()),
        ("POST", "/_mock/patch") => patch(state, request),
        _ => method_not_allowed(&request.method, allowed),
    }
}

/// `POST /_mock/patch[?after=D]`: the body is a merge patch of the fixture document.
fn patch(state: &Arc<State>, request: &Request) -> Response {
    let mut after = None;
    for (name, value) in request.query_pairs() {
        match name.as_str() {
            "after" => match parse_duration(&value) {
                Ok(d) => after = Some((d, value)),
                Err(e) => return error(400, "invalid_value", &format!("after: {e}"), None),
            },
            _ => {
                return error(
                    400,
                    "unknown_field",
                    &format!("Unknown parameter `{name}`: only `after` is known."),
                    None,
                );
            }
        }
    }
    let patch = match serde_json::from_slice::<Value>(&request.body) {
        Ok(v) => v,
        Err(e) => {
            return error(
                400,
                "invalid_value",
                &format!("the body is not JSON: {e}"),
                None,
            );
        }
    };
    let result = match after {
        None => state.patch(&patch).map(|()| json!({"patched": true})),
        Some((delay, shown)) => state.fixture().patched(&patch).map(|_| {
            State::patch_after(state, patch, delay);
            json!({ "scheduled": shown })
        }),
    };
    match result {
        Ok(answer) => json_response(200, &answer),
        Err(message) => error(400, "invalid_value", &message, None),
    }
}

fn rules(state: &State) -> Response {
    json_response(200, &json!({"rules": state.faults().to_json()}))
}
