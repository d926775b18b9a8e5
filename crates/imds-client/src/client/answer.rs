//! Turning a complete answer into a value or an error: JSON decoding, IBM error bodies
//! (docs/SERVICE.md §5) and what each status below 500 means for the exit code.

use serde_json::Value;
use ureq::http::HeaderMap;

use super::target::Target;
use crate::error::{Advice, Cause, Error, ServiceError};
use crate::values::{ApiVersion, DEFAULT_API_VERSION};

/// Largest response body accepted (docs/ARCHITECTURE.md §4).
pub const BODY_CAP: u64 = 1024 * 1024;

/// A complete answer (status below 500 and not 429, or the last one after the retries).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

/// A header's value as text, when it is text.
pub fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The `Retry-After` of an answer in whole seconds; the HTTP-date form is ignored.
pub fn retry_after_seconds(headers: &HeaderMap) -> Option<u64> {
    header(headers, "retry-after").and_then(|v| v.trim().parse::<u64>().ok())
}

pub fn too_large(status: u16) -> Error {
    Error::from_cause(Cause::TooLarge {
        status,
        cap: BODY_CAP,
    })
}

/// Turns an answer below 500 into a value or an error; `version` is the date sent, for the hint
/// on a 400.
pub fn interpret(target: &Target, answer: Answer, version: &ApiVersion) -> Result<Value, Error> {
    if (200..=299).contains(&answer.status) {
        return serde_json::from_slice(&answer.body)
            .map_err(|e| Error::decode(format!("the service's answer is not JSON: {e}")));
    }
    let status = answer.status;
    let error = Error::from(service_error(target, answer));
    // The service takes dates up to its own today (docs/SERVICE.md §1.4): a date later than the one
    // imds was built for may be one it does not know yet.
    Err(if status == 400 && version.is_newer_than_default() {
        error.with_advice(Advice::VersionTooNew {
            version: version.to_string(),
            default: DEFAULT_API_VERSION.to_string(),
        })
    } else {
        error
    })
}

/// The service's answer as a [`ServiceError`]: the status, what the IBM error body says
/// (docs/SERVICE.md §5: only `errors[0].code` and `message` are expected, everything else is
/// optional), and what was asked.
pub fn service_error(target: &Target, answer: Answer) -> ServiceError {
    let doc = serde_json::from_slice::<Value>(&answer.body).unwrap_or(Value::Null);
    let first = doc.get("errors").and_then(|e| e.get(0));
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    ServiceError {
        status: answer.status,
        code: text(first.and_then(|f| f.get("code"))),
        message: text(first.and_then(|f| f.get("message"))),
        target: text(
            first
                .and_then(|f| f.get("target"))
                .and_then(|t| t.get("name")),
        ),
        trace: text(doc.get("trace")),
        location: answer.location,
        not_found: target.not_found.clone(),
        user_path: target.user_path,
        ..ServiceError::default()
    }
}

/// `STATUS code: message, trace T` from an IBM error body.
#[cfg(test)]
fn service_detail(status: u16, body: &[u8]) -> String {
    let answer = Answer {
        status,
        location: None,
        body: body.to_vec(),
    };
    service_error(&Target::document("/", ""), answer).detail()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibm_error_bodies() {
        let body = br#"{"errors":[{"code":"invalid_version_range","message":"The `version` value cannot be before `2022-03-01`.","target":{"name":"2021-09-30","type":"parameter"}}],"trace":"182e21b1"}"#;
        assert_eq!(
            service_detail(400, body),
            "400 invalid_version_range: The `version` value cannot be before `2022-03-01`., trace 182e21b1"
        );
        assert_eq!(service_detail(502, b"<html>"), "502");
        assert_eq!(service_detail(404, br#"{"errors":[]}"#), "404");
    }
}
