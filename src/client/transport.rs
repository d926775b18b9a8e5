//! Transport failures in the retry classes and in our words: what ureq and the system report
//! (refused, timed out, lookup failed, closed, TLS) sorted for [`super::retry`], and the text a
//! message shows for an I/O error.

use std::time::Duration;

use super::Client;
use super::retry::Failure;
use crate::error::{Error, Kind};

/// The hint for every exit 4 (DESIGN.md §4): the three reasons a service does not answer.
pub const UNREACHABLE_HINT: &str = "the metadata service may be disabled on the instance (enable it, then stop and start the instance), the response hop limit may be too low for a container (metadata_service.response_hop_limit), or the protocol may be wrong (http vs https: --secure)";
/// The hint for a host name that did not resolve: the usual cause first, then the three of
/// every exit 4.
pub(crate) const DNS_HINT: &str = "check the host name and the resolver (/etc/resolv.conf; on an instance api.metadata.cloud.ibm.com resolves through the VPC's DNS), or use --endpoint http://169.254.169.254; else the metadata service may be disabled on the instance (enable it, then stop and start the instance), the response hop limit may be too low for a container (metadata_service.response_hop_limit), or the protocol may be wrong (http vs https: --secure)";
/// The hint for a failed TLS handshake.
pub(crate) const TLS_HINT: &str = "pass the CA that signs the service's certificate with --cacert FILE, or check --secure and the endpoint's scheme";

impl Client {
    /// Sorts a transport error into the retry classes.
    pub(crate) fn classify(&self, e: ureq::Error, timeout: Duration) -> Failure {
        use std::io::ErrorKind as K;
        let tls = |detail: String| {
            Failure::Fatal(
                Error::new(
                    Kind::Unreachable,
                    format!("TLS handshake with {} failed: {detail}", self.endpoint),
                )
                .with_hint(TLS_HINT),
            )
        };
        match e {
            ureq::Error::Timeout(_) => Failure::Timeout(timeout),
            ureq::Error::HostNotFound => Failure::Dns,
            ureq::Error::ConnectionFailed => Failure::Refused("the connection failed".into()),
            ureq::Error::Io(io) => {
                if io.kind() == K::InvalidData && self.endpoint.is_https() {
                    return tls(io.to_string());
                }
                classify_io(&io, self.endpoint.as_str(), timeout)
            }
            ureq::Error::Tls(m) => tls(m.to_string()),
            #[cfg(feature = "tls")]
            ureq::Error::Rustls(r) => tls(r.to_string()),
            #[cfg(feature = "tls")]
            ureq::Error::Pem(p) => tls(p.to_string()),
            // A plain-HTTP request to an HTTPS-only service gets TLS bytes back: the wrong
            // protocol, which is "unreachable" with its hint, not a bad answer (DESIGN.md §4).
            ureq::Error::Protocol(p) if !self.endpoint.is_https() => Failure::Fatal(
                Error::new(
                    Kind::Unreachable,
                    format!(
                        "{} did not answer in HTTP ({p}): is it HTTPS only?",
                        self.endpoint
                    ),
                )
                .with_hint(
                    "if the instance's metadata service protocol is https, use --secure \
                         (https://api.metadata.cloud.ibm.com) or an https:// --endpoint",
                ),
            ),
            ureq::Error::Protocol(p) => Failure::Fatal(Error::new(
                Kind::BadResponse,
                format!("the service's answer is not valid HTTP: {p}"),
            )),
            ureq::Error::LargeResponseHeader(..) => Failure::Fatal(Error::new(
                Kind::BadResponse,
                "the service's answer headers are too large",
            )),
            other => Failure::Fatal(Error::new(
                Kind::Other,
                format!("request to {} failed: {}", self.endpoint, describe(&other)),
            )),
        }
    }
}

/// Sorts an I/O error from connecting, sending or reading into the retry classes. Only a
/// connection closed (or reset) before any answer is a drop; an error this does not recognise
/// is not retried, since nothing says another attempt would fare better.
pub(crate) fn classify_io(io: &std::io::Error, endpoint: &str, timeout: Duration) -> Failure {
    use std::io::ErrorKind as K;
    match io.kind() {
        K::ConnectionRefused | K::HostUnreachable | K::NetworkUnreachable | K::AddrNotAvailable => {
            Failure::Refused(describe_io(io))
        }
        K::TimedOut | K::WouldBlock => Failure::Timeout(timeout),
        K::ConnectionReset | K::ConnectionAborted | K::UnexpectedEof | K::BrokenPipe => {
            Failure::Dropped(describe_io(io))
        }
        _ if is_lookup_failure(io) => Failure::Dns,
        _ => Failure::Fatal(
            Error::new(
                Kind::Unreachable,
                format!("the request to {endpoint} failed: {}", describe_io(io)),
            )
            .with_hint(UNREACHABLE_HINT),
        ),
    }
}

/// An I/O error in our words: the common kinds named plainly, anything else as the system
/// says it, lower-cased and without the `(os error N)` tail.
pub fn describe_io(io: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let words = match io.kind() {
        K::ConnectionRefused => "connection refused",
        K::ConnectionReset => "connection reset",
        K::ConnectionAborted => "connection aborted",
        K::UnexpectedEof | K::BrokenPipe => "connection closed",
        K::TimedOut | K::WouldBlock => "timed out",
        K::HostUnreachable => "host unreachable",
        K::NetworkUnreachable => "network unreachable",
        K::AddrNotAvailable => "address not available",
        _ => {
            let text = io.to_string();
            let text = text
                .strip_prefix("failed to lookup address information: ")
                .unwrap_or(&text);
            let text = match text.rfind(" (os error ") {
                Some(at) if text.ends_with(')') => &text[..at],
                _ => text,
            };
            let mut chars = text.chars();
            return match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => "input/output error".to_string(),
            };
        }
    };
    words.to_string()
}

/// A transport error from ureq in our words (its `Display` echoes the system's text).
pub(crate) fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Io(io) => describe_io(io),
        ureq::Error::Timeout(_) => "timed out".to_string(),
        other => other.to_string(),
    }
}

/// Whether an I/O error is a failed host name lookup. The standard library reports
/// `getaddrinfo` failures (other than `EAI_SYSTEM`) with an uncategorised kind that cannot be
/// matched on, so the text it always starts with is what tells them apart.
fn is_lookup_failure(io: &std::io::Error) -> bool {
    io.to_string()
        .starts_with("failed to lookup address information")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_name_lookup_is_not_a_drop() {
        // What std returns for getaddrinfo's EAI_NONAME (its kind cannot be built outside std).
        let io = std::io::Error::other(
            "failed to lookup address information: Name or service not known",
        );
        let failure = classify_io(&io, "http://imds.example", Duration::from_secs(2));
        assert!(matches!(failure, Failure::Dns), "{failure:?}");
        assert!(!failure.retryable(false));
        assert!(failure.retryable(true));
    }

    #[test]
    fn an_unrecognised_io_error_is_not_retried() {
        let io = std::io::Error::other("something else");
        let failure = classify_io(&io, "http://127.0.0.1:9", Duration::from_secs(2));
        match &failure {
            Failure::Fatal(e) => assert_eq!(e.kind, Kind::Unreachable),
            other => panic!("{other:?}"),
        }
        assert!(!failure.retryable(false));
        assert!(!failure.retryable(true));
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        let failure = classify_io(&reset, "http://127.0.0.1:9", Duration::from_secs(2));
        assert!(matches!(failure, Failure::Dropped(_)), "{failure:?}");
        assert!(failure.retryable(false));
    }

    #[test]
    fn io_errors_are_described_in_lower_case_words() {
        use std::io::{Error as IoError, ErrorKind as K};
        assert_eq!(
            describe_io(&IoError::from_raw_os_error(111)),
            "connection refused"
        );
        assert_eq!(
            describe_io(&IoError::new(K::UnexpectedEof, "Peer disconnected")),
            "connection closed"
        );
        assert_eq!(
            describe_io(&IoError::from(K::ConnectionReset)),
            "connection reset"
        );
        assert_eq!(
            describe_io(&IoError::other(
                "failed to lookup address information: Temporary failure in name resolution"
            )),
            "temporary failure in name resolution"
        );
        assert_eq!(
            describe_io(&IoError::from_raw_os_error(13)),
            "permission denied"
        );
    }
}
