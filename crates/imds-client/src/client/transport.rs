//! Transport failures in the retry classes and in our words: what ureq and the system report
//! (refused, timed out, lookup failed, closed, TLS) sorted for [`super::retry`], and the text a
//! message shows for an I/O error.

use std::sync::Arc;
use std::time::Duration;

use super::first_byte::FirstByte;
use super::retry::Failure;
use crate::error::{Error, Transport};
use crate::values::Endpoint;

impl Failure {
    /// Sorts a transport error into the retry classes, keeping it as the error underneath.
    /// `first_byte` is the latest answer's, from `endpoint`.
    pub(crate) fn classify(
        e: ureq::Error,
        timeout: Duration,
        endpoint: &Endpoint,
        first_byte: &FirstByte,
    ) -> Failure {
        match Failure::sort(&e, timeout, endpoint, first_byte) {
            Failure::Transport(transport, _) => Failure::Transport(transport, Some(Arc::new(e))),
            Failure::Fatal(error) => Failure::Fatal(error.with_source(Arc::new(e))),
            status @ Failure::Status(..) => status,
        }
    }

    /// [`Failure::classify`]'s table.
    fn sort(
        e: &ureq::Error,
        timeout: Duration,
        endpoint: &Endpoint,
        first_byte: &FirstByte,
    ) -> Failure {
        use std::io::ErrorKind as K;
        let tls = |detail: String| Failure::Transport(Transport::Tls(detail), None);
        match e {
            ureq::Error::Timeout(_) => Failure::Transport(Transport::Timeout(timeout), None),
            ureq::Error::HostNotFound => Failure::Transport(Transport::Lookup, None),
            ureq::Error::ConnectionFailed => {
                Failure::Transport(Transport::Refused("the connection failed".into()), None)
            }
            ureq::Error::Io(io) => {
                if io.kind() == K::InvalidData && endpoint.is_https() {
                    return tls(io.to_string());
                }
                classify_io(io, timeout)
            }
            ureq::Error::Tls(m) => tls(m.to_string()),
            #[cfg(feature = "tls")]
            ureq::Error::Rustls(r) => tls(r.to_string()),
            #[cfg(feature = "tls")]
            ureq::Error::Pem(p) => tls(p.to_string()),
            // A plain-HTTP request to an HTTPS-only service gets a TLS record back: the wrong
            // protocol, which is "unreachable" with its hint, not a bad answer
            // (docs/ARCHITECTURE.md §4).
            ureq::Error::Protocol(p) if !endpoint.is_https() && first_byte.looks_like_tls() => {
                Failure::Transport(Transport::NotHttp(p.to_string()), None)
            }
            // Any other answer that does not parse came over a working connection: the answer
            // is bad (exit 7), not the way to the service.
            ureq::Error::Protocol(p) => Failure::Fatal(Error::decode(format!(
                "the service's answer is not valid HTTP: {p}"
            ))),
            ureq::Error::LargeResponseHeader(..) => {
                Failure::Fatal(Error::decode("the service's answer headers are too large"))
            }
            other => Failure::Transport(Transport::Client(describe(other)), None),
        }
    }
}

/// Sorts an I/O error from connecting, sending or reading into the retry classes. Only a
/// connection closed (or reset) before any answer is a drop; an error this does not recognise
/// is not retried, since nothing says another attempt would fare better.
pub(crate) fn classify_io(io: &std::io::Error, timeout: Duration) -> Failure {
    use std::io::ErrorKind as K;
    let transport = match io.kind() {
        K::ConnectionRefused | K::HostUnreachable | K::NetworkUnreachable | K::AddrNotAvailable => {
            Transport::Refused(describe_io(io))
        }
        K::TimedOut | K::WouldBlock => Transport::Timeout(timeout),
        K::ConnectionReset | K::ConnectionAborted | K::UnexpectedEof | K::BrokenPipe => {
            Transport::Closed(describe_io(io))
        }
        _ if is_lookup_failure(io) => Transport::Lookup,
        _ => Transport::Io(describe_io(io)),
    };
    Failure::Transport(transport, None)
}

/// An I/O error in our words: the common kinds named plainly, anything else as the system
/// says it, lower-cased and without the `(os error N)` tail or the full stop Windows ends its
/// messages with.
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
            let text = text.strip_suffix('.').unwrap_or(text);
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
        let failure = classify_io(&io, Duration::from_secs(2));
        assert!(
            matches!(failure, Failure::Transport(Transport::Lookup, _)),
            "{failure:?}"
        );
        assert!(!failure.retryable(false));
        assert!(failure.retryable(true));
    }

    #[test]
    fn an_unrecognised_io_error_is_not_retried() {
        let io = std::io::Error::other("something else");
        let failure = classify_io(&io, Duration::from_secs(2));
        match &failure {
            Failure::Transport(t @ Transport::Io(_), _) => {
                let e = Error::from(crate::error::TransportError {
                    transport: t.clone(),
                    endpoint: "http://127.0.0.1:9".into(),
                    attempts: Default::default(),
                });
                assert_eq!(e.kind(), crate::error::Kind::Unreachable)
            }
            other => panic!("{other:?}"),
        }
        assert!(!failure.retryable(false));
        assert!(!failure.retryable(true));
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        let failure = classify_io(&reset, Duration::from_secs(2));
        assert!(
            matches!(failure, Failure::Transport(Transport::Closed(_), _)),
            "{failure:?}"
        );
        assert!(failure.retryable(false));
    }

    #[test]
    fn io_errors_are_described_in_lower_case_words() {
        use std::io::{Error as IoError, ErrorKind as K};
        // ECONNREFUSED on Linux, WSAECONNREFUSED on Windows.
        let refused = if cfg!(windows) { 10061 } else { 111 };
        assert_eq!(
            describe_io(&IoError::from_raw_os_error(refused)),
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
        #[cfg(unix)]
        assert_eq!(
            describe_io(&IoError::from_raw_os_error(13)),
            "permission denied"
        );
        // Windows's text for ERROR_ACCESS_DENIED, as std shows it.
        assert_eq!(
            describe_io(&IoError::other("Access is denied. (os error 5)")),
            "access is denied"
        );
    }
}
