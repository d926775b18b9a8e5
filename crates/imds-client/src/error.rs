//! Failures as values: what went wrong ([`Cause`]: the service's answer, the transport, an answer
//! that cannot be used, a value given, …), how a program branches on it ([`Kind`]), the one place
//! that turns a cause into a message, and the error underneath when there is one
//! ([`std::error::Error::source`]). It says nothing of flags or exit codes: the command line
//! maps a failure to its line, its hint and its exit status in a room of its own. It owns no I/O,
//! and imports only the text helpers.
//!
//! Code that decides something about a failure (an exit status, a hint, `doctor`'s diagnosis)
//! matches on the cause, never on the message text.

use std::fmt;
use std::time::Duration;

use std::sync::Arc;

use crate::text::show_duration;

/// What went wrong, as far as a program branching on it cares. (The command line's exit statuses
/// follow these kinds one to one.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// Anything else.
    Other,
    /// A value given is wrong: a path, an id, a duration, a date, a setting.
    Usage,
    /// The service answered 404.
    NotFound,
    /// No connection, or no answer in time.
    Unreachable,
    /// 401 after one fresh token, or 403.
    Refused,
    /// A path into a document matched nothing (the command line's `--field`).
    FieldNotFound,
    /// Not JSON, truncated, over the size cap, or 5xx/429 that outlasted the retries.
    BadResponse,
    /// A watched condition was not met in time (the command line's `watch --until`).
    NotMet,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

/// Why a request or a command failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cause {
    /// The service answered with a status that is not success.
    Service(ServiceError),
    /// No usable connection or no answer.
    Transport(TransportError),
    /// The service answered, but the answer cannot be used (not JSON, cut short, too large, a
    /// page link out of bounds, a field missing); the text says what is wrong with it.
    Decode(String),
    /// The answer's body is larger than the per-answer cap of `cap` bytes; it was not read. (A
    /// collection asks for a smaller page when it gets this.)
    TooLarge { status: u16, cap: u64 },
    /// The command line, the environment or a value given is wrong; the text says what.
    Usage(String),
    /// A `--field` path matched nothing; the text says what is there instead.
    FieldNotFound(String),
    /// A watched condition was not met in time; the text says which and how long.
    NotMet(String),
    /// A `doctor` check failed: its name, and the kind of the failure, for the exit code.
    Check { name: String, kind: Kind },
    /// Anything else (writing the output, an internal error).
    Other(String),
}

/// An answer from the service with a status that is not success, and what was asked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceError {
    /// The HTTP status.
    pub status: u16,
    /// `errors[0].code` of an IBM error body (docs/SERVICE.md §5), like `invalid_version_range`.
    pub code: Option<String>,
    /// `errors[0].message`.
    pub message: Option<String>,
    /// `errors[0].target.name`: for a `version` rejection, often the parameter or the value.
    pub target: Option<String>,
    /// `trace`, the request id IBM support asks for.
    pub trace: Option<String>,
    /// The `Location` of a redirect.
    pub location: Option<String>,
    /// What a 404 means for this request ("no key with id …").
    pub not_found: String,
    /// The path came from the user (`imds get`): a 400 is a usage error.
    pub user_path: bool,
    /// A 401 came back for a freshly minted token, so a new token will not help.
    pub fresh_token: bool,
    /// How many attempts were made, for a 5xx or 429 that outlasted the retries.
    pub attempts: Attempts,
}

/// What the transport reported.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transport {
    /// The connection was refused or the route is down; the text says which.
    Refused(String),
    /// No answer within the time an attempt had.
    Timeout(Duration),
    /// The host name did not resolve.
    Lookup,
    /// The connection closed before any answer; the text says how.
    Closed(String),
    /// The TLS handshake failed; the text is the TLS library's.
    Tls(String),
    /// The endpoint did not answer in HTTP (plain HTTP sent to an HTTPS-only service).
    NotHttp(String),
    /// Another I/O error, described.
    Io(String),
    /// The HTTP library refused the request, described.
    Client(String),
}

/// A transport failure and where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    pub transport: Transport,
    /// The base URL tried.
    pub endpoint: String,
    pub attempts: Attempts,
}

/// Attempts made before giving up: the count, and the wait (the window for retries) when one
/// was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts {
    pub count: u32,
    pub wait: Option<Duration>,
}

impl Default for Attempts {
    fn default() -> Self {
        Attempts {
            count: 1,
            wait: None,
        }
    }
}

/// The error underneath a failure: an I/O error, the HTTP library's, a file's.
pub type Source = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// A failure: its cause, what to do about it when that is known, and the error underneath.
/// One pointer wide, so a `Result` that may hold one stays small.
#[derive(Debug, Clone)]
pub struct Error(Box<Inner>);

#[derive(Debug, Clone)]
struct Inner {
    cause: Cause,
    hint: Option<String>,
    advice: Option<Advice>,
    source: Option<Source>,
}

/// What to do about a failure where a program and the command line word it apart: a program
/// sets its settings, the command line names its flags. [`Error::hint`] gives a program's
/// words; the command line matches on this to give its own.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Advice {
    /// The service refused `version`, a date later than the library's default (`default`).
    VersionTooNew { version: String, default: String },
    /// The service asked to retry after `asked`, longer than a call without a wait sleeps in
    /// all (`slept`).
    RetryAfterTooLong { asked: Duration, slept: Duration },
    /// The instance has no default trusted profile: one must be named.
    NameAProfile,
    /// The time per attempt was zero.
    TimeoutZero,
    /// The wait was zero.
    WaitZero,
    /// The endpoint was empty.
    EndpointEmpty,
    /// HTTPS was asked for with an `http://` endpoint.
    SecureNeedsHttps,
    /// The extra CA certificates could not be used.
    CaCertificates,
    /// `IMDS_TOKEN` does not hold a token.
    TokenVariable,
}

impl fmt::Display for Advice {
    /// A program's words.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Advice::VersionTooNew { version, default } => write!(
                f,
                "the version date {version} may be later than the service knows: use the default {default}"
            ),
            Advice::RetryAfterTooLong { asked, slept } => write!(
                f,
                "the service asked to retry after {}, and a call without a wait sleeps at most {} in all; give the settings a wait to keep retrying",
                show_duration(*asked),
                show_duration(*slept)
            ),
            Advice::NameAProfile => f.write_str(
                "the instance has no default trusted profile: name one (by id, CRN or name)",
            ),
            Advice::TimeoutZero => {
                f.write_str("give the time each attempt may take, like 2s (IMDS_TIMEOUT)")
            }
            Advice::WaitZero => {
                f.write_str("leave the wait (and IMDS_WAIT) out to fail fast, or give one like 60s")
            }
            Advice::EndpointEmpty => f.write_str(
                "give a base URL like http://169.254.169.254, or unset IMDS_ENDPOINT for the default",
            ),
            Advice::SecureNeedsHttps => f.write_str(
                "ask for HTTPS (IMDS_SECURE) with an https:// endpoint only, like https://api.metadata.cloud.ibm.com",
            ),
            Advice::CaCertificates => f.write_str(
                "give PEM text with the CA certificate(s) that sign the service's certificate",
            ),
            Advice::TokenVariable => {
                f.write_str("unset IMDS_TOKEN, or set it to a token the service minted")
            }
        }
    }
}

/// Two failures are equal when their causes and hints are: the errors underneath are not
/// compared.
impl PartialEq for Error {
    fn eq(&self, other: &Error) -> bool {
        self.0.cause == other.0.cause
            && self.0.hint == other.0.hint
            && self.0.advice == other.0.advice
    }
}

impl Eq for Error {}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// A file that could not be read or written: [`Kind::Other`], its message as the file code words
/// it, and the file error as the source.
impl From<crate::files::FileError> for Error {
    fn from(e: crate::files::FileError) -> Error {
        Error::other(e.to_string()).with_source(Arc::new(e))
    }
}

impl Error {
    /// An error of `cause`, without a hint.
    pub fn from_cause(cause: Cause) -> Self {
        Error(Box::new(Inner {
            cause,
            hint: None,
            advice: None,
            source: None,
        }))
    }

    /// A value given is wrong ([`Kind::Usage`]).
    pub fn usage(message: impl Into<String>) -> Self {
        Error::from_cause(Cause::Usage(message.into()))
    }

    /// An answer that cannot be used ([`Kind::BadResponse`]).
    pub fn decode(message: impl Into<String>) -> Self {
        Error::from_cause(Cause::Decode(message.into()))
    }

    /// A path into a document that matched nothing ([`Kind::FieldNotFound`]).
    pub fn field_not_found(message: impl Into<String>) -> Self {
        Error::from_cause(Cause::FieldNotFound(message.into()))
    }

    /// A watched condition not met in time ([`Kind::NotMet`]).
    pub fn not_met(message: impl Into<String>) -> Self {
        Error::from_cause(Cause::NotMet(message.into()))
    }

    /// Any other failure (exit 1).
    pub fn other(message: impl Into<String>) -> Self {
        Error::from_cause(Cause::Other(message.into()))
    }

    /// A failed `doctor` check, exiting as the failure it found.
    pub fn check(name: &str, kind: Kind) -> Self {
        Error::from_cause(Cause::Check {
            name: name.to_string(),
            kind,
        })
    }

    /// Replaces the hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.0.hint = Some(hint.into());
        self.0.advice = None;
        self
    }

    /// Replaces the hint with `advice`, in a program's words ([`Error::hint`]); the command line
    /// words it its own way ([`Error::advice`]).
    pub fn with_advice(mut self, advice: Advice) -> Self {
        self.0.hint = Some(advice.to_string());
        self.0.advice = Some(advice);
        self
    }

    /// This error with `source` as the error underneath it.
    pub fn with_source(mut self, source: Source) -> Self {
        self.0.source = Some(source);
        self
    }

    /// The kind of the I/O error underneath, when there is one: the first `std::io::Error` in
    /// the chain of sources (ureq's, a file's).
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        let mut next = std::error::Error::source(self);
        while let Some(e) = next {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                return Some(io.kind());
            }
            if let Some(ureq::Error::Io(io)) = e.downcast_ref::<ureq::Error>() {
                return Some(io.kind());
            }
            next = e.source();
        }
        None
    }

    /// Why it failed.
    pub fn cause(&self) -> &Cause {
        &self.0.cause
    }

    /// The service's answer, when the service answered with an error status.
    pub fn service(&self) -> Option<&ServiceError> {
        match self.cause() {
            Cause::Service(s) => Some(s),
            _ => None,
        }
    }

    /// What to do about it, when that is known.
    pub fn hint(&self) -> Option<&str> {
        self.0.hint.as_deref()
    }

    /// The hint as a value, when it is one the command line words its own way.
    pub fn advice(&self) -> Option<&Advice> {
        self.0.advice.as_ref()
    }

    /// The exit code's kind: the one table from cause to kind.
    pub fn kind(&self) -> Kind {
        match self.cause() {
            Cause::Service(s) => match s.status {
                300..=399 => Kind::BadResponse,
                401 | 403 => Kind::Refused,
                404 => Kind::NotFound,
                400 if s.user_path => Kind::Usage,
                429 | 500.. => Kind::BadResponse,
                _ => Kind::Other,
            },
            Cause::Transport(t) => match t.transport {
                Transport::Client(_) => Kind::Other,
                _ => Kind::Unreachable,
            },
            Cause::Decode(_) | Cause::TooLarge { .. } => Kind::BadResponse,
            Cause::Usage(_) => Kind::Usage,
            Cause::FieldNotFound(_) => Kind::FieldNotFound,
            Cause::NotMet(_) => Kind::NotMet,
            Cause::Check { kind, .. } => *kind,
            Cause::Other(_) => Kind::Other,
        }
    }

    /// The one-line message, lower-case, without a trailing period: the one place a cause
    /// becomes words.
    pub fn message(&self) -> String {
        match self.cause() {
            Cause::Service(s) => service_message(s),
            Cause::Transport(t) => transport_message(t),
            Cause::Decode(text)
            | Cause::Usage(text)
            | Cause::FieldNotFound(text)
            | Cause::NotMet(text)
            | Cause::Other(text) => text.clone(),
            Cause::Check { name, .. } => format!("doctor: the {name} check failed"),
            Cause::TooLarge { status, cap } => format!(
                "the service's answer ({status}) is larger than the {} MiB cap",
                cap >> 20
            ),
        }
    }

    /// This error with `secret` replaced by `[redacted]` wherever text from outside (the
    /// service's error body, a message, the hint) could carry it.
    pub fn redact(mut self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        let clean = |s: &mut String| {
            if s.contains(secret) {
                *s = s.replace(secret, "[redacted]");
            }
        };
        let clean_opt = |s: &mut Option<String>| {
            if let Some(s) = s {
                clean(s)
            }
        };
        match &mut self.0.cause {
            Cause::Service(s) => {
                clean_opt(&mut s.code);
                clean_opt(&mut s.message);
                clean_opt(&mut s.target);
                clean_opt(&mut s.trace);
                clean_opt(&mut s.location);
                clean(&mut s.not_found);
            }
            Cause::Transport(t) => match &mut t.transport {
                Transport::Refused(s)
                | Transport::Closed(s)
                | Transport::Tls(s)
                | Transport::NotHttp(s)
                | Transport::Io(s)
                | Transport::Client(s) => clean(s),
                Transport::Timeout(_) | Transport::Lookup => {}
            },
            Cause::Decode(s)
            | Cause::Usage(s)
            | Cause::FieldNotFound(s)
            | Cause::NotMet(s)
            | Cause::Other(s) => clean(s),
            Cause::Check { .. } | Cause::TooLarge { .. } => {}
        }
        clean_opt(&mut self.0.hint);
        self
    }
}

impl From<ServiceError> for Error {
    fn from(e: ServiceError) -> Self {
        Error::from_cause(Cause::Service(e))
    }
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        Error::from_cause(Cause::Transport(e))
    }
}

impl ServiceError {
    /// `STATUS code: message, trace T`: the status and what the error body said.
    pub fn detail(&self) -> String {
        let mut out = self.status.to_string();
        if let Some(code) = &self.code {
            out.push_str(&format!(" {code}"));
        }
        if let Some(message) = &self.message {
            out.push_str(&format!(": {message}"));
        }
        if let Some(trace) = &self.trace {
            out.push_str(&format!(", trace {trace}"));
        }
        out
    }
}

impl Attempts {
    /// ` (3 attempts)`, ` (still failing after --wait 5s, 4 attempts)`, or nothing for one
    /// attempt without `--wait`.
    fn suffix(&self) -> String {
        let n = match self.count {
            1 => "1 attempt".to_string(),
            n => format!("{n} attempts"),
        };
        match (self.wait, self.count) {
            (Some(w), _) => format!(" (still failing after a {} wait, {n})", show_duration(w)),
            (None, 1) => String::new(),
            (None, _) => format!(" ({n})"),
        }
    }
}

fn service_message(s: &ServiceError) -> String {
    let detail = s.detail();
    match s.status {
        300..=399 => format!(
            "the service answered {} (redirect to {}): imds does not follow redirects with a token",
            s.status,
            s.location.as_deref().unwrap_or("nowhere")
        ),
        401 if s.fresh_token => format!("the service refused a fresh token ({detail})"),
        401 => format!("the service refused the request ({detail})"),
        403 => format!("the service refused access ({detail})"),
        404 => format!("{} ({detail})", s.not_found),
        400 => format!("the service rejected the request ({detail})"),
        429 | 500.. => format!(
            "the service keeps failing ({detail}){}",
            s.attempts.suffix()
        ),
        _ => format!("the service answered {detail}"),
    }
}

fn transport_message(t: &TransportError) -> String {
    let (endpoint, tries) = (&t.endpoint, t.attempts.suffix());
    match &t.transport {
        Transport::Refused(why) => format!("cannot connect to {endpoint}: {why}{tries}"),
        Transport::Timeout(d) => {
            format!(
                "no answer from {endpoint} within {}{tries}",
                show_duration(*d)
            )
        }
        Transport::Lookup => format!("the host name of {endpoint} did not resolve{tries}"),
        Transport::Closed(why) => format!("{why} by {endpoint} before any answer{tries}"),
        Transport::Tls(detail) => format!("TLS handshake with {endpoint} failed: {detail}"),
        Transport::NotHttp(detail) => {
            format!("{endpoint} did not answer in HTTP ({detail}): is it HTTPS only?")
        }
        Transport::Io(why) => format!("the request to {endpoint} failed: {why}"),
        Transport::Client(why) => format!("request to {endpoint} failed: {why}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;

    #[test]
    fn kinds_come_from_the_cause() {
        let service = |status, user_path| {
            Error::from(ServiceError {
                status,
                user_path,
                ..ServiceError::default()
            })
            .kind()
        };
        assert_eq!(service(404, false), Kind::NotFound);
        assert_eq!(service(400, true), Kind::Usage);
        assert_eq!(service(400, false), Kind::Other);
        assert_eq!(service(403, false), Kind::Refused);
        assert_eq!(service(503, false), Kind::BadResponse);
        assert_eq!(service(302, false), Kind::BadResponse);
        let transport = |transport| {
            Error::from(TransportError {
                transport,
                endpoint: "http://127.0.0.1:9".into(),
                attempts: Attempts::default(),
            })
        };
        let e = transport(Transport::Lookup);
        assert_eq!(e.kind(), Kind::Unreachable);
        assert_eq!(
            e.hint(),
            None,
            "hints that name flags are the command line's"
        );
        assert_eq!(transport(Transport::Client("x".into())).kind(), Kind::Other);
    }

    #[test]
    fn redaction_reaches_the_service_text_and_the_hint() {
        let e = Error::from(ServiceError {
            status: 401,
            code: Some("unauthenticated".into()),
            message: Some("token s3cret is invalid".into()),
            ..ServiceError::default()
        })
        .with_hint("not s3cret");
        let e = e.redact("s3cret");
        assert_eq!(
            e.message(),
            "the service refused the request (401 unauthenticated: token [redacted] is invalid)"
        );
        assert_eq!(e.hint(), Some("not [redacted]"));
    }

    #[test]
    fn the_error_underneath_is_the_source_and_gives_its_io_kind() {
        use std::error::Error as _;
        let io = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let e = Error::other("cannot read").with_source(Arc::new(io));
        assert_eq!(e.io_kind(), Some(std::io::ErrorKind::PermissionDenied));
        assert!(e.source().is_some());
        let through_ureq = Error::other("x").with_source(Arc::new(ureq::Error::Io(
            std::io::Error::from(std::io::ErrorKind::ConnectionReset),
        )));
        assert_eq!(
            through_ureq.io_kind(),
            Some(std::io::ErrorKind::ConnectionReset)
        );
        assert_eq!(Error::other("y").io_kind(), None);
        assert!(Error::other("y").source().is_none());
        // Equality is the cause's and the hint's.
        assert_eq!(e, Error::other("cannot read"));
    }
}
