//! Turning a complete answer into a value or an error: JSON decoding, IBM error bodies (spec §5)
//! and what each status below 500 means for the exit code.

use serde_json::Value;

use super::{BODY_CAP, Target};
use crate::error::{Error, Kind};
use crate::values::{ApiVersion, DEFAULT_API_VERSION};

/// A complete answer (status below 500 and not 429, or the last one after the retries).
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) location: Option<String>,
    pub(crate) body: Vec<u8>,
}

/// The hint for a 403 (spec §1.2).
const FORBIDDEN_HINT: &str = "enable the metadata service on the instance (metadata_service.enabled), then stop and start the instance";

pub(crate) fn too_large(status: u16) -> Error {
    Error::new(
        Kind::BadResponse,
        format!(
            "the service's answer ({status}) is larger than the {} MiB cap",
            BODY_CAP >> 20
        ),
    )
}

/// Turns an answer below 500 into a value or an error; `version` is the date sent, for the hint
/// on a 400.
pub(crate) fn interpret(
    target: &Target,
    answer: Answer,
    version: &ApiVersion,
) -> Result<Value, Error> {
    let status = answer.status;
    match status {
        200..=299 => serde_json::from_slice(&answer.body).map_err(|e| {
            Error::new(
                Kind::BadResponse,
                format!("the service's answer is not JSON: {e}"),
            )
        }),
        300..=399 => Err(Error::new(
            Kind::BadResponse,
            format!(
                "the service answered {status} (redirect to {}): imds does not follow redirects with a token",
                answer.location.as_deref().unwrap_or("nowhere")
            ),
        )
        .with_hint("point --endpoint at the metadata service itself")),
        401 => Err(Error::new(
            Kind::Refused,
            format!(
                "the service refused the request ({})",
                service_detail(status, &answer.body)
            ),
        )),
        403 => Err(Error::new(
            Kind::Refused,
            format!(
                "the service refused access ({})",
                service_detail(status, &answer.body)
            ),
        )
        .with_hint(FORBIDDEN_HINT)),
        404 => Err(Error::new(
            Kind::NotFound,
            format!(
                "{} ({})",
                target.not_found,
                service_detail(status, &answer.body)
            ),
        )),
        400 => {
            let error = Error::new(
                if target.user_path {
                    Kind::Usage
                } else {
                    Kind::Other
                },
                format!(
                    "the service rejected the request ({})",
                    service_detail(status, &answer.body)
                ),
            );
            // The service takes dates up to its own today (spec §1.4): a date later than the
            // one imds was built for may be one it does not know yet.
            Err(if version.as_str() > DEFAULT_API_VERSION {
                error.with_hint(format!(
                    "the version date {version} may be later than the service knows: use the default {DEFAULT_API_VERSION} (leave out --api-version and IMDS_API_VERSION)"
                ))
            } else {
                error
            })
        }
        _ => Err(Error::new(
            Kind::Other,
            format!(
                "the service answered {}",
                service_detail(status, &answer.body)
            ),
        )),
    }
}

/// `STATUS code: message, trace T` from an IBM error body (spec §5); only `errors[0].code` and
/// `message` are expected, everything else is optional.
pub(crate) fn service_detail(status: u16, body: &[u8]) -> String {
    let mut out = status.to_string();
    let Ok(doc) = serde_json::from_slice::<Value>(body) else {
        return out;
    };
    let first = doc.get("errors").and_then(|e| e.get(0));
    let text = |v: Option<&Value>, key: &str| {
        v.and_then(|v| v.get(key))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    if let Some(code) = text(first, "code") {
        out.push_str(&format!(" {code}"));
    }
    if let Some(message) = text(first, "message") {
        out.push_str(&format!(": {message}"));
    }
    if let Some(trace) = text(Some(&doc), "trace") {
        out.push_str(&format!(", trace {trace}"));
    }
    out
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
