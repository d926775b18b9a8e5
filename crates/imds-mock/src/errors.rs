//! Error answers in the service's shape (docs/SERVICE.md §5): `{"errors": [{code, message,
//! more_info, target}], "trace": UUID}` with `X-Request-Id` equal to `trace`. It decides no rules.

use crate::response::Response;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The content type of every JSON answer (docs/SERVICE.md §1.3, captured).
pub const JSON: &str = "application/json; charset=utf-8";
/// The `more_info` link the documented errors carry (docs/SERVICE.md §5).
pub const MORE_INFO: &str = "https://cloud.ibm.com/docs/vpc?topic=vpc-imd-configure-service";

/// Where in the request the error lies: `field` (body), `parameter` (query or path), `header`.
#[derive(Debug, Clone, Copy)]
pub enum Where {
    Field,
    Parameter,
    Header,
}

impl Where {
    fn name(self) -> &'static str {
        match self {
            Where::Field => "field",
            Where::Parameter => "parameter",
            Where::Header => "header",
        }
    }
}

/// An error's `target`.
pub fn target(name: &str, place: Where, value: Option<&str>) -> Value {
    let mut t = json!({"name": name, "type": place.name()});
    if let Some(v) = value {
        t["value"] = json!(v);
    }
    t
}

/// A JSON answer (compact), written straight from `value`: pages serialize borrowed items.
pub fn json_response(status: u16, value: &impl Serialize) -> Response {
    // Values and the page type have string keys only, so serializing them cannot fail.
    let body = serde_json::to_vec(value).unwrap_or_default();
    Response::new(status, JSON, body)
}

/// An error answer with one error item.
pub fn error(status: u16, code: &str, message: &str, target: Option<Value>) -> Response {
    let mut item = Map::new();
    item.insert("code".into(), json!(code));
    item.insert("message".into(), json!(message));
    item.insert("more_info".into(), json!(MORE_INFO));
    if let Some(t) = target {
        item.insert("target".into(), t);
    }
    with_trace(status, Value::Object(item))
}

/// The exact shape of the captured answer to a version date before the minimum (docs/SERVICE.md
/// §1.4): `target.name` holds the offending value, and there is no `more_info`.
/// 405 with `Allow` naming the methods the path takes (docs/SERVICE.md §5 [E]:
/// `method_not_allowed`).
pub fn method_not_allowed(method: &str, allowed: &str) -> Response {
    error(
        405,
        "method_not_allowed",
        &format!("The method `{method}` is not allowed on this path."),
        None,
    )
    .with_header("Allow", allowed)
}

pub fn version_too_old(value: &str, minimum: &str) -> Response {
    let item = json!({
        "code": "invalid_version_range",
        "message": format!("The `version` value cannot be before `{minimum}`."),
        "target": {"name": value, "type": "parameter"},
    });
    with_trace(400, item)
}

fn with_trace(status: u16, item: Value) -> Response {
    let trace = crate::util::uuid();
    let body = json!({"errors": [item], "trace": trace});
    json_response(status, &body).with_header("X-Request-Id", trace)
}

/// The code and message of a `status` fault's error (statuses 400-599), from the catalogue
/// (docs/SERVICE.md §5) where it has the status. Its choice where not: 405 `method_not_allowed` as
/// the emulator's own 405s, 429 `too_many_requests`, any other 4xx `invalid_request`, and every 5xx
/// `service_error`.
pub fn fault_error(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("invalid_request", "The request body was malformed."),
        401 => (
            "unauthenticated",
            "The provided token is invalid or expired.",
        ),
        403 => (
            "unauthorized",
            "The metadata service is not enabled on the provided instance.",
        ),
        404 => ("not_found", "The requested resource was not found."),
        405 => (
            "method_not_allowed",
            "The method is not allowed on this path.",
        ),
        429 => (
            "too_many_requests",
            "Too many requests were made. Try again later.",
        ),
        402 | 406..=428 | 430..=499 => ("invalid_request", "The request was refused."),
        _ => ("service_error", "An internal error occurred."),
    }
}

/// The answer of a `status` fault: an IBM-shaped error for that status, `Retry-After` if set.
pub fn fault_status(status: u16, retry_after: Option<u64>) -> Response {
    let (code, message) = fault_error(status);
    let mut response = match status {
        400.. => error(status, code, message, None),
        // These statuses carry no body (RFC 9110 §15.3.5, §15.4.5).
        204 | 304 => Response::new(status, JSON, Vec::new()),
        _ => json_response(status, &json!({})),
    };
    // A 429 without a delay would be a poor emulation of rate limiting.
    let retry_after = retry_after.or((status == 429).then_some(1));
    if let Some(seconds) = retry_after {
        response = response.with_header("Retry-After", seconds.to_string());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(r: &Response) -> Value {
        serde_json::from_slice(&r.body).unwrap()
    }

    #[test]
    fn error_has_ibm_shape_and_request_id() {
        let r = error(
            400,
            "invalid_value",
            "bad",
            Some(target("expires_in", Where::Field, Some("7200"))),
        );
        let b = body(&r);
        assert_eq!(r.status, 400);
        assert_eq!(r.header("content-type"), Some(JSON));
        assert_eq!(r.header("x-request-id"), b["trace"].as_str());
        assert_eq!(b["errors"][0]["code"], "invalid_value");
        assert_eq!(b["errors"][0]["more_info"], MORE_INFO);
        assert_eq!(
            b["errors"][0]["target"],
            json!({"name": "expires_in", "type": "field", "value": "7200"})
        );
    }

    #[test]
    fn version_too_old_matches_the_captured_answer() {
        let b = body(&version_too_old("2021-09-30", "2022-03-01"));
        let item = &b["errors"][0];
        assert_eq!(
            item.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["code", "message", "target"]
        );
        assert_eq!(
            item["message"],
            "The `version` value cannot be before `2022-03-01`."
        );
        assert_eq!(
            item["target"],
            json!({"name": "2021-09-30", "type": "parameter"})
        );
        assert!(b.get("status_code").is_none());
    }

    #[test]
    fn fault_statuses_use_the_catalogue_codes() {
        for (status, code) in [
            (400, "invalid_request"),
            (401, "unauthenticated"),
            (403, "unauthorized"),
            (404, "not_found"),
            (429, "too_many_requests"),
            (500, "service_error"),
            (503, "service_error"),
        ] {
            assert_eq!(body(&fault_status(status, None))["errors"][0]["code"], code);
        }
    }

    #[test]
    fn fault_429_always_says_when_to_retry() {
        assert_eq!(fault_status(429, None).header("retry-after"), Some("1"));
        assert_eq!(fault_status(503, Some(2)).header("retry-after"), Some("2"));
        assert_eq!(fault_status(503, None).header("retry-after"), None);
    }
}
