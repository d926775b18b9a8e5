//! Failures as values: what went wrong ([`Cause`]: the service's answer, the transport, an answer
//! that cannot be used, the command line, …), its exit code (docs/ARCHITECTURE.md §4), and the one
//! place that turns a cause into the one-line message. It owns no I/O, and imports only the text
//! helpers.
//!
//! Code that decides something about a failure (the exit code, a hint, `doctor`'s diagnosis)
//! matches on the cause, never on the message text.

use std::fmt;
use std::time::Duration;

use crate::text::sanitize;
use crate::text::show_duration;

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

/// What went wrong, as far as a script branching on the exit code cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// Anything else (exit 1).
    Other,
    /// Bad option, argument, path expression, duration or date (exit 2).
    Usage,
    /// The service answered 404 (exit 3).
    NotFound,
    /// No connection or no answer in time (exit 4).
    Unreachable,
    /// 401 after one fresh token, or 403 (exit 5).
    Refused,
    /// A `--field` path matched nothing (exit 6).
    FieldNotFound,
    /// Not JSON, truncated, over the size cap, or 5xx/429 that outlasted the retries (exit 7).
    BadResponse,
    /// A watched condition was not met in time: `watch --until` past `--max-time` (exit 8).
    NotMet,
}

impl Kind {
    /// The process exit code for this kind.
    pub fn exit_code(self) -> i32 {
        match self {
            Kind::Other => 1,
            Kind::Usage => 2,
            Kind::NotFound => 3,
            Kind::Unreachable => 4,
            Kind::Refused => 5,
            Kind::FieldNotFound => 6,
            Kind::BadResponse => 7,
            Kind::NotMet => 8,
        }
    }
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

/// Attempts made before giving up: the count, and the `--wait` duration when one was given.
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

/// A failure: its cause, and what to do about it when that is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    cause: Box<Cause>,
    hint: Option<String>,
}

impl std::error::Error for Error {}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// A file that could not be read or written: exit 1, its message as the file code words it.
impl From<crate::files::FileError> for Error {
    fn from(e: crate::files::FileError) -> Error {
        Error::other(e.to_string())
    }
}

impl Error {
    /// An error of `cause`, with the hint that cause always has (if any).
    pub fn from_cause(cause: Cause) -> Self {
        let hint = default_hint(&cause);
        Error {
            cause: Box::new(cause),
            hint,
        }
    }

    /// A usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Error::from_cause(Cause::Usage(message.into()))
    }

    /// An answer that cannot be used (exit 7).
    pub fn decode(message: impl Into<String>) -> Self {
        Error::from_cause(Cause::Decode(message.into()))
    }

    /// A `--field` that matched nothing (exit 6).
    pub fn field_not_found(message: impl Into<String>) -> Self {
        Error::from_cause(Cause::FieldNotFound(message.into()))
    }

    /// A watched condition not met in time (exit 8).
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
        self.hint = Some(hint.into());
        self
    }

    /// Why it failed.
    pub fn cause(&self) -> &Cause {
        &self.cause
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
        self.hint.as_deref()
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
        match self.cause.as_mut() {
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
        clean_opt(&mut self.hint);
        self
    }

    /// The text for stderr: `imds: <message>` and, when present, `hint: <hint>`, each line
    /// ending with a newline and free of control characters.
    pub fn render(&self) -> String {
        let mut out = format!("imds: {}\n", sanitize(&self.message()));
        if let Some(hint) = &self.hint {
            out.push_str(&format!("hint: {}\n", sanitize(hint)));
        }
        out
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
            (Some(w), _) => format!(" (still failing after --wait {}, {n})", show_duration(w)),
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

/// The hint a cause always has; callers add or replace hints that depend on more.
fn default_hint(cause: &Cause) -> Option<String> {
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
    use crate::error::Kind;

    #[test]
    fn render_strips_control_characters() {
        let e = Error::other("bad\nline\x1b[31m").with_hint("do\tthis");
        assert_eq!(e.render(), "imds: bad line [31m\nhint: do this\n");
    }

    #[test]
    fn render_strips_bidi_overrides_and_zero_width_characters() {
        let e = Error::other("a\u{202E}b\u{200B}c\u{FEFF}d é");
        assert_eq!(e.render(), "imds: a b c d é\n");
    }

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
        assert_eq!(e.hint(), Some(DNS_HINT));
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
}
