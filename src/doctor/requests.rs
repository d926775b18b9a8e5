//! Checks 4 to 6: the token request, the version date it carries, and a metadata read, made
//! through [`Service`].

use std::time::Instant;

use super::check::{
    Check, FIX_BARE_METAL_ENABLE, Failure, Service, Subject, fix_protocol, fix_silence,
};
use crate::error::{Cause, Error, Kind, Transport, TransportError};

/// Whether the failure is the TLS handshake: the certificate or the protocol is the problem.
fn is_tls(e: &Error) -> bool {
    matches!(
        e.cause(),
        Cause::Transport(TransportError {
            transport: Transport::Tls(_),
            ..
        })
    )
}

/// Whether the service's answer to the token request rejects the version date: the code IBM
/// uses for a date before the first one (docs/SERVICE.md §1.4), an error aimed at the `version`
/// parameter, or a 404, since the date picks the token path family (docs/SERVICE.md §2.1) and a
/// service that lacks that family has no path for it.
fn rejects_the_version(e: &Error) -> bool {
    e.service().is_some_and(|s| {
        s.status == 404
            || s.code.as_deref() == Some("invalid_version_range")
            || s.target.as_deref() == Some("version")
    })
}

/// 4 and 5. The token request gets an answer, and that answer does not reject the version
/// date (the token request is the first to carry it).
pub(super) fn token(target: &Subject, service: &mut dyn Service) -> (Check, Check) {
    let started = Instant::now();
    let outcome = service.token();
    let answered = Check {
        name: "token",
        result: Ok(format!(
            "PUT {} answered in {} ms",
            target.token_path,
            started.elapsed().as_millis()
        )),
    };
    let accepted = Check {
        name: "version date",
        result: Ok(format!("{} accepted", target.api_version)),
    };
    match outcome {
        Ok(()) => (answered, accepted),
        // The service answered, and refused the date rather than the token request; a refusal
        // or no answer at all says nothing of the date.
        Err(e)
            if !matches!(e.kind(), Kind::Unreachable | Kind::Refused)
                && rejects_the_version(&e) =>
        {
            (answered, version_rejected(target, &e))
        }
        Err(e) => (token_failed(target, &e), accepted),
    }
}

/// Check 4 failed: the token request got no answer, was refused, or failed otherwise.
fn token_failed(target: &Subject, e: &Error) -> Check {
    let failed = |failure| Check {
        name: "token",
        result: Err(failure),
    };
    let message = e.message();
    match e.kind() {
        // A TLS failure is an answer of sorts: the certificate or the protocol is the problem.
        Kind::Unreachable if is_tls(e) => failed(Failure {
            kind: Kind::Unreachable,
            what: format!("PUT {}: {message}", target.token_path),
            fix: crate::failure::hint(e)
                .into_iter()
                .chain(std::iter::once(fix_protocol(&target.endpoint)))
                .collect(),
        }),
        Kind::Unreachable => failed(Failure {
            kind: Kind::Unreachable,
            what: format!("PUT {}: {message}", target.token_path),
            fix: fix_silence(&target.endpoint),
        }),
        Kind::Refused => failed(Failure::new(
            Kind::Refused,
            format!("the service refused the token request: {message}"),
            &[
                "the metadata service is not enabled for this instance: `ibmcloud is \
                 instance-update INSTANCE --metadata-service true`, then stop and start the \
                 instance",
                FIX_BARE_METAL_ENABLE,
            ],
        )),
        kind => failed(Failure {
            kind,
            what: format!("the token request failed: {message}"),
            fix: crate::failure::hint(e)
                .into_iter()
                .chain(std::iter::once(
                    "run `imds -v token` to see the exchange".to_string(),
                ))
                .collect(),
        }),
    }
}

/// Check 5 failed: the service rejected the version date the token request carried.
fn version_rejected(target: &Subject, e: &Error) -> Check {
    Check {
        name: "version date",
        result: Err(Failure::new(
            e.kind(),
            format!(
                "the service rejected version={}: {}",
                target.api_version,
                e.message()
            ),
            &[
                "use a date the service accepts: --api-version 2025-08-26 (or \
                 IMDS_API_VERSION), or 2022-03-01 for the older /instance_identity/v1/ \
                 paths",
                "on a bare metal server the /instance_identity/v1/ paths are 404 for \
                 every date up to 2025-08-25 (a known fault of the service): use \
                 --api-version 2025-08-26 or later",
            ],
        )),
    }
}

/// 6. `GET /metadata/v1/instance`.
///
/// A 404 there, after the token request worked, is how a bare metal server answers: it serves
/// the identity API only ("About IBM Cloud VPC Metadata on bare metal servers"), so that is a
/// pass.
pub(super) fn metadata(target: &Subject, service: &mut dyn Service) -> Check {
    let started = Instant::now();
    let result = match service.instance() {
        Err(e) if e.kind() == Kind::NotFound => Ok(format!(
            "bare metal server: identity API only (tokens, IAM tokens and certificates; GET \
             /metadata/v1/instance is 404 in {} ms)",
            started.elapsed().as_millis()
        )),
        Ok(doc) => {
            let ms = started.elapsed().as_millis();
            let name = doc["name"].as_str().unwrap_or("?");
            let zone = doc["zone"]["name"].as_str().unwrap_or("?");
            Ok(format!(
                "GET /metadata/v1/instance answered in {ms} ms (instance {name}, zone {zone})"
            ))
        }
        Err(e) => Err(Failure {
            kind: e.kind(),
            what: format!("GET /metadata/v1/instance: {}", e.message()),
            fix: match e.kind() {
                Kind::Refused => vec![
                    "the service refused the token it issued: enable the metadata service \
                     (`ibmcloud is instance-update INSTANCE --metadata-service true`) and stop \
                     and start the instance"
                        .to_string(),
                    FIX_BARE_METAL_ENABLE.to_string(),
                ],
                Kind::Unreachable => fix_silence(&target.endpoint),
                _ => vec!["run `imds -v instance` to see the exchange".to_string()],
            },
        }),
    };
    Check {
        name: "metadata",
        result,
    }
}
