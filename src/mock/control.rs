//! The control path `/_mock/…`: fault rules, request counts and token expiry at run time. No
//! authentication, never counted, never faulted.
//!
//! | request | effect | answer |
//! |---|---|---|
//! | `GET /_mock/counts` | | `{"total": N, "requests": {"GET /metadata/v1/keys": 3, …}}` |
//! | `GET /_mock/faults` | | `{"rules": [...]}` |
//! | `POST /_mock/faults` + rule | adds the rule (see [`super::faults`]) | `{"rules": [...]}` |
//! | `DELETE /_mock/faults` | clears every rule | `{"rules": []}` |
//! | `POST /_mock/reset` | clears rules and counts | `{"reset": true}` |
//! | `POST /_mock/expire-tokens` | every token issued so far gets 401 | `{"expired": N}` |

use super::errors::{error, json_response, method_not_allowed};
use super::faults::Rule;
use super::http::Request;
use super::response::Response;
use super::state::State;
use serde_json::{Value, json};

/// The prefix of every control path.
pub const PREFIX: &str = "/_mock/";

/// Answers one control request.
pub fn handle(state: &State, request: &Request) -> Response {
    let path = request.path.as_str();
    let allowed = match path {
        "/_mock/counts" => "GET",
        "/_mock/faults" => "GET, POST, DELETE",
        "/_mock/reset" | "/_mock/expire-tokens" => "POST",
        _ => {
            return error(
                404,
                "not_found",
                "Unknown control path: use /_mock/counts, /_mock/faults, /_mock/reset or /_mock/expire-tokens.",
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
        _ => method_not_allowed(&request.method, allowed),
    }
}

fn rules(state: &State) -> Response {
    json_response(200, &json!({"rules": state.faults().to_json()}))
}
