//! The command line's side of a failure: the library's [`Error`] as the one line `imds:` prints,
//! the hint under it (which names the flag to change: `--wait`, `--cacert`, `--secure`, …), and
//! the exit status (docs/ARCHITECTURE.md §4). The library's errors say nothing of flags or exit
//! codes; this room is where they are added.

use crate::error::{Advice, Cause, Error, Kind, Transport};
use crate::text::{sanitize, show_duration};

/// The hint for every exit 4 (docs/ARCHITECTURE.md §4): the three reasons a service does not
/// answer.
pub const UNREACHABLE_HINT: &str = "the metadata service may be disabled on the instance (enable it, then stop and start the instance), the response hop limit may be too low for a container (metadata_service.response_hop_limit), or the protocol may be wrong (http vs https: --secure)";
/// The hint for a host name that did not resolve: the usual cause first, then the three of
/// every exit 4.
const DNS_HINT: &str = "check the host name and the resolver (/etc/resolv.conf; on an instance api.metadata.cloud.ibm.com resolves through the VPC's DNS), or use --endpoint http://169.254.169.254; else the metadata service may be disabled on the instance (enable it, then stop and start the instance), the response hop limit may be too low for a container (metadata_service.response_hop_limit), or the protocol may be wrong (http vs https: --secure)";
/// The hint for a failed TLS handshake.
const TLS_HINT: &str = "pass the CA that signs the service's certificate with --cacert FILE, or check --secure and the endpoint's scheme";
/// The hint for plain HTTP sent to a service that speaks only HTTPS.
const NOT_HTTP_HINT: &str = "if the instance's metadata service protocol is https, use --secure (https://api.metadata.cloud.ibm.com) or an https:// --endpoint";
/// The hint for a 403 (docs/SERVICE.md §1.2).
const FORBIDDEN_HINT: &str = "enable the metadata service on the instance (metadata_service.enabled), then stop and start the instance";
/// The hint for a redirect.
const REDIRECT_HINT: &str = "point --endpoint at the metadata service itself";
/// The hint for a 401 that a fresh token did not cure.
const FRESH_TOKEN_HINT: &str =
    "check that --endpoint is the metadata service and --api-version a date it accepts";

/// The process exit status for a failure of this kind (docs/ARCHITECTURE.md §4).
pub fn exit_code(kind: Kind) -> u8 {
    match kind {
        Kind::Usage => 2,
        Kind::NotFound => 3,
        Kind::Unreachable => 4,
        Kind::Refused => 5,
        Kind::FieldNotFound => 6,
        Kind::BadResponse => 7,
        Kind::NotMet => 8,
        // Kind::Other, and any kind a later library adds before this table knows it.
        _ => 1,
    }
}

/// What to do about `error`: its advice in the command line's words, else the hint it was
/// given, else the one its cause always has here.
pub fn hint(error: &Error) -> Option<String> {
    error
        .advice()
        .and_then(advice_words)
        .or_else(|| error.hint().map(str::to_string))
        .or_else(|| cause_hint(error.cause()))
}

/// The library's advice, naming the flags that follow it (`None`: the library's own words do).
fn advice_words(advice: &Advice) -> Option<String> {
    Some(match advice {
        Advice::VersionTooNew { version, default } => format!(
            "the version date {version} may be later than the service knows: use the default {default} (leave out --api-version and IMDS_API_VERSION)"
        ),
        Advice::RetryAfterTooLong { asked, slept } => format!(
            "the service asked to retry after {}, and without --wait imds sleeps at most {} in all; add --wait 60s to keep retrying",
            show_duration(*asked),
            show_duration(*slept)
        ),
        Advice::NameAProfile => "the instance has no default trusted profile: name one with --profile-id, --profile-crn or --profile-name".to_string(),
        Advice::TimeoutZero => "give the time each attempt may take, like --timeout 2s".to_string(),
        Advice::WaitZero => {
            "leave --wait (and IMDS_WAIT) out to fail fast, or give a time like --wait 60s".to_string()
        }
        Advice::EndpointEmpty => "give --endpoint a base URL like http://169.254.169.254, or unset IMDS_ENDPOINT for the default".to_string(),
        Advice::SecureNeedsHttps => {
            "drop --secure (or IMDS_SECURE), or use https://api.metadata.cloud.ibm.com".to_string()
        }
        Advice::CaCertificates => "give --cacert a PEM file with the CA certificate(s) that sign the service's certificate".to_string(),
        Advice::TokenVariable => {
            "unset IMDS_TOKEN, or set it from `imds token --export`".to_string()
        }
        _ => return None,
    })
}

/// The one line (and hint) `imds` prints on stderr for `error`, cleaned of anything that could
/// break the line or drive the terminal.
pub fn render(error: &Error) -> String {
    let mut out = format!("imds: {}\n", sanitize(&error.message()));
    if let Some(hint) = hint(error) {
        out.push_str(&format!("hint: {}\n", sanitize(&hint)));
    }
    out
}

/// The hint a cause always has; the code that raises a failure adds or replaces hints that
/// depend on more.
fn cause_hint(cause: &Cause) -> Option<String> {
    let hint = match cause {
        Cause::Service(s) => match s.status {
            300..=399 => REDIRECT_HINT.to_string(),
            401 if s.fresh_token => FRESH_TOKEN_HINT.to_string(),
            403 => FORBIDDEN_HINT.to_string(),
            429 | 500.. => match s.attempts.wait {
                None => "the service may be busy or restarting: try again later, or add --wait 60s to keep retrying".to_string(),
                Some(w) => format!("the service failed for the whole --wait {}: try again later, or wait longer", show_duration(w)),
            },
            _ => return None,
        },
        Cause::Transport(t) => match t.transport {
            Transport::Lookup => DNS_HINT.to_string(),
            Transport::Tls(_) => TLS_HINT.to_string(),
            Transport::NotHttp(_) => NOT_HTTP_HINT.to_string(),
            Transport::Client(_) => return None,
            _ => UNREACHABLE_HINT.to_string(),
        },
        _ => return None,
    };
    Some(hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Attempts, ServiceError, TransportError};

    #[test]
    fn render_strips_control_characters() {
        let e = Error::other("bad\nline\x1b[31m").with_hint("do\tthis");
        assert_eq!(render(&e), "imds: bad line [31m\nhint: do this\n");
    }

    #[test]
    fn render_strips_bidi_overrides_and_zero_width_characters() {
        let e = Error::other("a\u{202E}b\u{200B}c\u{FEFF}d é");
        assert_eq!(render(&e), "imds: a b c d é\n");
    }

    #[test]
    fn every_kind_has_its_exit_code() {
        let codes: Vec<u8> = [
            Kind::Other,
            Kind::Usage,
            Kind::NotFound,
            Kind::Unreachable,
            Kind::Refused,
            Kind::FieldNotFound,
            Kind::BadResponse,
            Kind::NotMet,
        ]
        .into_iter()
        .map(exit_code)
        .collect();
        assert_eq!(codes, [1, 2, 3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn a_cause_brings_its_hint_unless_one_was_given() {
        let lookup = Error::from(TransportError {
            transport: Transport::Lookup,
            endpoint: "http://127.0.0.1:9".into(),
            attempts: Attempts::default(),
        });
        assert_eq!(hint(&lookup).as_deref(), Some(DNS_HINT));
        assert_eq!(hint(&lookup.with_hint("mine")).as_deref(), Some("mine"));
        let busy = Error::from(ServiceError {
            status: 503,
            ..ServiceError::default()
        });
        assert!(hint(&busy).unwrap().contains("--wait 60s"));
        assert_eq!(hint(&Error::other("x")), None);
    }

    #[test]
    fn the_librarys_advice_is_worded_with_the_flags() {
        let e = Error::usage("the timeout must be more than 0").with_advice(Advice::TimeoutZero);
        assert!(!e.hint().unwrap().contains("--"), "{e:?}");
        assert_eq!(
            hint(&e).as_deref(),
            Some("give the time each attempt may take, like --timeout 2s")
        );
        // A hint given later replaces the advice.
        assert_eq!(hint(&e.with_hint("mine")).as_deref(), Some("mine"));
    }
}
