//! The one HTTP agent of a run: `version=` on every request, retries and `--wait`, timeouts,
//! the 1 MiB body cap, pagination, and turning answers (IBM error bodies included) into values
//! or [`Error`]s.
//!
//! Which token to send is [`crate::token`]'s business; what to fetch is [`crate::resource`]'s.
//!
//! # Retry policy (DESIGN.md §4)
//!
//! | what happened                        | without `--wait`         | with `--wait`      | in the end |
//! |--------------------------------------|--------------------------|--------------------|------------|
//! | 5xx or 429                           | 3 attempts in all        | until the deadline | exit 7     |
//! | connection closed before any answer  | 3 attempts in all        | until the deadline | exit 4     |
//! | connection refused                   | 1 attempt (fail fast)    | until the deadline | exit 4     |
//! | host name did not resolve            | 1 attempt (fail fast)    | until the deadline | exit 4     |
//! | no answer within `--timeout`         | 1 attempt (fail fast)    | until the deadline | exit 4     |
//! | 401                                  | one fresh token, 1 retry | same               | exit 5     |
//! | 403 / 404 / 400 / other 4xx / 3xx    | 1 attempt                | same               | 5/3/1-2/1/7|
//! | TLS failure, other transport errors  | 1 attempt                | same               | exit 4     |
//! | not JSON, cut short, over 1 MiB      | 1 attempt                | same               | exit 7     |
//!
//! Why: refused connections, names that do not resolve, and silence are what an instance without the service (or a machine
//! that is not an instance) gives, so without `--wait` they fail at once; a boot script that
//! runs before the network is up asks for `--wait`. 4xx answers will not change on a retry. A
//! 401 is a stale or expired token, which one fresh token cures or nothing does (`token::Auth`).
//! A 400 is exit 2 when the path came from the user (`imds get`), else 1.
//!
//! Delays: without `--wait`, 100 ms then 200 ms, or the `Retry-After` seconds when the service
//! sends them (capped at 10 s; the HTTP-date form is ignored). With `--wait`, 100 ms doubling up
//! to 2 s plus up to 50% jitter, or `Retry-After` (capped at 10 s); never past the deadline.
//! Every attempt's timeout is clipped to the time left, so the deadline bounds the whole run.

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::Read;
use std::time::{Duration, Instant};

use serde_json::Value;
use ureq::Agent;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::error::{Error, Kind};
use crate::settings::{ApiVersion, DEFAULT_API_VERSION, Settings};
use crate::token::{Auth, Token};

/// Largest response body accepted (DESIGN.md §4).
pub const BODY_CAP: u64 = 1024 * 1024;
/// Attempts in all for retryable failures without `--wait`.
pub const ATTEMPTS: u32 = 3;
/// First retry delay; doubles after each attempt.
pub const FIRST_BACKOFF: Duration = Duration::from_millis(100);
/// Longest delay between attempts with `--wait`.
pub const WAIT_BACKOFF_CAP: Duration = Duration::from_secs(2);
/// Longest `Retry-After` honoured.
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(10);
/// Page size asked for on paginated collections (spec §4: 1-100).
pub const PAGE_LIMIT: u32 = 100;
/// A bound on pages, in case a service invents fresh `start` tokens forever.
pub const MAX_PAGES: usize = 10_000;
/// An attempt with less time than this left before the deadline is not started.
const MIN_ATTEMPT: Duration = Duration::from_millis(20);

/// What starts every `-v` line.
pub const VERBOSE_PREFIX: &str = "* ";
/// The hint for every exit 4 (DESIGN.md §4): the three reasons a service does not answer.
pub const UNREACHABLE_HINT: &str = "the metadata service may be disabled on the instance (enable it, then stop and start the instance), the response hop limit may be too low for a container (metadata_service.response_hop_limit), or the protocol may be wrong (http vs https: --secure)";
/// The hint for a host name that did not resolve: the usual cause first, then the three of
/// every exit 4.
const DNS_HINT: &str = "check the host name and the resolver (/etc/resolv.conf; on an instance api.metadata.cloud.ibm.com resolves through the VPC's DNS), or use --endpoint http://169.254.169.254; else the metadata service may be disabled on the instance (enable it, then stop and start the instance), the response hop limit may be too low for a container (metadata_service.response_hop_limit), or the protocol may be wrong (http vs https: --secure)";
/// The hint for a 403 (spec §1.2).
const FORBIDDEN_HINT: &str = "enable the metadata service on the instance (metadata_service.enabled), then stop and start the instance";
/// The hint for a failed TLS handshake.
const TLS_HINT: &str = "pass the CA that signs the service's certificate with --cacert FILE, or check --secure and the endpoint's scheme";

/// HTTP methods this client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
        }
    }
}

/// One request to make.
#[derive(Debug, Clone)]
pub struct Target {
    pub method: Method,
    /// Absolute path on the endpoint, already percent-encoded.
    pub path: String,
    /// Extra query (`limit=100`, or a `next` page's query); `version=` is added unless present.
    pub query: String,
    /// The message for a 404.
    pub not_found: String,
    /// The path came from the user (`imds get`): a 400 is a usage error.
    pub user_path: bool,
}

impl Target {
    /// A GET of `path` with `query`.
    pub fn get(path: &str, query: &str, not_found: &str, user_path: bool) -> Target {
        Target {
            method: Method::Get,
            path: path.to_string(),
            query: query.to_string(),
            not_found: not_found.to_string(),
            user_path,
        }
    }

    /// Path and query as sent: `version=` first unless the query already carries one.
    fn path_and_query(&self, version: &ApiVersion) -> String {
        let has_version = self.query.split('&').any(|p| p.starts_with("version="));
        match (has_version, self.query.is_empty()) {
            (true, _) => format!("{}?{}", self.path, self.query),
            (false, true) => format!("{}?version={version}", self.path),
            (false, false) => format!("{}?version={version}&{}", self.path, self.query),
        }
    }
}

/// A complete answer (status below 500 and not 429, or the last one after the retries).
#[derive(Debug)]
struct Answer {
    status: u16,
    location: Option<String>,
    body: Vec<u8>,
}

/// Why an attempt got no usable answer.
#[derive(Debug)]
enum Failure {
    /// Nobody listens (or the route is down): retried only with `--wait`.
    Refused(String),
    /// No answer within the attempt's time (the timeout it had): retried only with `--wait`.
    Timeout(Duration),
    /// The host name did not resolve: retried only with `--wait`.
    Dns,
    /// The connection closed before any answer: retried.
    Dropped(String),
    /// The service answered 5xx or 429: retried.
    Status(Answer, Option<Duration>),
    /// Not worth retrying: TLS failures, bad HTTP, bodies cut short or over the cap.
    Fatal(Error),
}

impl Failure {
    /// Whether another attempt may help; `waiting` is true under `--wait` (the module's table).
    fn retryable(&self, waiting: bool) -> bool {
        match self {
            Failure::Status(..) | Failure::Dropped(_) => true,
            // A resolver that is not up yet at boot looks like a name that does not exist.
            Failure::Refused(_) | Failure::Timeout(_) | Failure::Dns => waiting,
            Failure::Fatal(_) => false,
        }
    }
}

/// The agent, the run's settings that shape requests, and the token in use.
pub struct Client {
    agent: Agent,
    endpoint: String,
    version: ApiVersion,
    timeout: Duration,
    deadline: Option<Instant>,
    wait: Option<Duration>,
    verbose: bool,
    auth: RefCell<Auth>,
}

impl Client {
    /// Builds the one agent of the run: no proxy (ureq would read `HTTP_PROXY`/`ALL_PROXY`), no
    /// redirects (the token must not travel elsewhere), statuses as answers, a timeout on every
    /// attempt.
    pub fn new(settings: &Settings) -> Result<Client, Error> {
        let mut config = Agent::config_builder()
            .proxy(None)
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(settings.timeout))
            .user_agent(concat!("imds/", env!("CARGO_PKG_VERSION")))
            .accept("application/json");
        if settings.is_https() {
            config = tls::apply(config, settings.cacert.as_deref())?;
        }
        Ok(Client {
            agent: Agent::with_parts(
                config.build(),
                DefaultConnector::default(),
                LiteralResolver::default(),
            ),
            endpoint: settings.endpoint.clone(),
            version: settings.api_version.clone(),
            timeout: settings.timeout,
            deadline: settings.deadline,
            wait: settings.wait,
            verbose: settings.verbose,
            auth: RefCell::new(Auth::new(settings.env_token.clone())),
        })
    }

    /// The `version=` date in use.
    pub fn api_version(&self) -> &ApiVersion {
        &self.version
    }

    /// Mints the token the following authorized calls use, even when `IMDS_TOKEN` is set.
    pub fn mint_token(&self) -> Result<(), Error> {
        self.auth.borrow_mut().mint_now(self)
    }

    /// A `-v` line on stderr. `* ` (as in curl's trace) sets these apart from the one `imds:`
    /// error line, so a script or a reader can tell the trace from the failure.
    pub fn note(&self, message: &str) {
        if self.verbose {
            eprintln!("{VERBOSE_PREFIX}{}", crate::error::sanitize(message));
        }
    }

    /// One request without a token (the token PUT); the JSON answer or an error.
    pub fn call(&self, target: &Target, body: Option<&Value>) -> Result<Value, Error> {
        let answer = self.exchange(target, None, body)?;
        interpret(target, answer, &self.version)
    }

    /// One request with the run's token; on a 401, one fresh token and one more try.
    pub fn call_authorized(&self, target: &Target, body: Option<&Value>) -> Result<Value, Error> {
        let mut sent: Vec<Token> = Vec::new();
        self.call_with_token(target, body, &mut sent)
            .map_err(|e| sent.iter().fold(e, |e, token| token.redact(e)))
    }

    /// [`Client::call_authorized`]'s loop; `sent` collects every token sent, for redaction.
    fn call_with_token(
        &self,
        target: &Target,
        body: Option<&Value>,
        sent: &mut Vec<Token>,
    ) -> Result<Value, Error> {
        loop {
            let token = self.auth.borrow_mut().current(self)?;
            sent.push(token.clone());
            let answer = self.exchange(target, Some(&token), body)?;
            if answer.status == 401 {
                if self.auth.borrow_mut().refresh(self)? {
                    continue;
                }
                return Err(Error::new(
                    Kind::Refused,
                    format!(
                        "the service refused a fresh token ({})",
                        service_detail(answer.status, &answer.body)
                    ),
                )
                .with_hint("check that --endpoint is the metadata service and --api-version a date it accepts"));
            }
            return interpret(target, answer, &self.version);
        }
    }

    /// Every page of a document: following `next` (re-based onto the endpoint), appending each
    /// page's arrays to the first page's, and dropping `next`.
    pub fn get_all_pages(&self, first: Target) -> Result<Value, Error> {
        let mut doc = self.call_authorized(&first, None)?;
        let mut seen: HashSet<String> = HashSet::new();
        let mut pages = 1;
        while let Some(href) = next_href(&doc)? {
            let (path, query) = rebase_next(&href)?;
            let start = query_param(&query, "start").unwrap_or_default();
            if !seen.insert(start.clone()) {
                return Err(Error::new(
                    Kind::BadResponse,
                    format!("the service's pages loop: start={start} came back"),
                ));
            }
            pages += 1;
            if pages > MAX_PAGES {
                return Err(Error::new(
                    Kind::BadResponse,
                    format!("the service sent more than {MAX_PAGES} pages"),
                ));
            }
            let target = Target {
                path,
                query,
                ..first.clone()
            };
            let page = self.call_authorized(&target, None)?;
            merge_page(&mut doc, page)?;
        }
        if let Some(map) = doc.as_object_mut() {
            map.shift_remove("next");
        }
        Ok(doc)
    }

    /// Makes the request, retrying per the policy in the module docs; returns the answer (any
    /// status but 5xx/429, or those after the retries ran out as an error).
    fn exchange(
        &self,
        target: &Target,
        token: Option<&Token>,
        body: Option<&Value>,
    ) -> Result<Answer, Error> {
        let shown = target.path_and_query(&self.version);
        let url = format!("{}{shown}", self.endpoint);
        let body = body.map(|b| b.to_string());
        let mut attempt = 0u32;
        let mut backoff = FIRST_BACKOFF;
        loop {
            attempt += 1;
            let mut timeout = self.timeout;
            if let Some(deadline) = self.deadline {
                let left = deadline.saturating_duration_since(Instant::now());
                timeout = timeout.min(left).max(Duration::from_millis(1));
            }
            let started = Instant::now();
            let result = self.attempt(target.method, &url, token, body.as_deref(), timeout);
            let ms = started.elapsed().as_millis();
            let outcome = match &result {
                Ok(a) => format!("{}", a.status),
                Err(Failure::Status(a, _)) => format!("{}", a.status),
                Err(Failure::Refused(why)) => why.clone(),
                Err(Failure::Timeout(t)) => format!("no answer within {}", show(*t)),
                Err(Failure::Dns) => "host name not found".to_string(),
                Err(Failure::Dropped(why)) => format!("{why} before any answer"),
                Err(Failure::Fatal(e)) => e.message.clone(),
            };
            let failure = match result {
                Ok(answer) => {
                    self.note(&format!(
                        "{} {shown} → {outcome} ({ms} ms)",
                        target.method.as_str()
                    ));
                    return Ok(answer);
                }
                Err(f) => f,
            };
            let retryable = failure.retryable(self.deadline.is_some());
            let retry_after = match &failure {
                Failure::Status(_, after) => *after,
                _ => None,
            };
            let delay = if let Some(deadline) = self.deadline {
                let left = deadline.saturating_duration_since(Instant::now());
                // The last attempt may be short, but it happens: the run ends at the deadline.
                let wanted = retry_after.unwrap_or_else(|| jitter(backoff));
                (retryable && left > MIN_ATTEMPT).then(|| wanted.min(left - MIN_ATTEMPT))
            } else {
                (retryable && attempt < ATTEMPTS).then(|| retry_after.unwrap_or(backoff))
            };
            let Some(delay) = delay else {
                self.note(&format!(
                    "{} {shown} → {outcome} ({ms} ms)",
                    target.method.as_str()
                ));
                return Err(self.give_up(failure, attempt));
            };
            self.note(&format!(
                "{} {shown} → {outcome} ({ms} ms), retrying in {}",
                target.method.as_str(),
                show(delay)
            ));
            std::thread::sleep(delay);
            backoff = if self.deadline.is_some() {
                (backoff * 2).min(WAIT_BACKOFF_CAP)
            } else {
                backoff * 2
            };
        }
    }

    /// One attempt: send, then read the whole body under the cap.
    fn attempt(
        &self,
        method: Method,
        url: &str,
        token: Option<&Token>,
        body: Option<&str>,
        timeout: Duration,
    ) -> Result<Answer, Failure> {
        let bearer = token.map(|t| format!("Bearer {}", t.expose()));
        let sent = match method {
            Method::Get => {
                let mut req = self
                    .agent
                    .get(url)
                    .config()
                    .timeout_global(Some(timeout))
                    .build();
                if let Some(b) = &bearer {
                    req = req.header("Authorization", b);
                }
                req.call()
            }
            Method::Put | Method::Post => {
                let mut req = if method == Method::Put {
                    self.agent.put(url)
                } else {
                    self.agent.post(url)
                }
                .config()
                .timeout_global(Some(timeout))
                .build()
                .header("Metadata-Flavor", "ibm");
                if let Some(b) = &bearer {
                    req = req.header("Authorization", b);
                }
                match body {
                    Some(b) => req
                        .header("Content-Type", "application/json")
                        .send(b.as_bytes()),
                    None => req.send_empty(),
                }
            }
        };
        let mut response = sent.map_err(|e| self.classify(e, timeout))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let location = header("location");
        let retry_after = header("retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(|s| Duration::from_secs(s).min(RETRY_AFTER_CAP));
        if let Some(len) = response.body().content_length()
            && len > BODY_CAP
        {
            return Err(Failure::Fatal(too_large(status)));
        }
        let mut bytes = Vec::new();
        let read = response
            .body_mut()
            .with_config()
            .limit(BODY_CAP)
            .reader()
            .read_to_end(&mut bytes);
        if let Err(e) = read {
            let e = ureq::Error::from(e);
            return Err(match e {
                ureq::Error::BodyExceedsLimit(_) => Failure::Fatal(too_large(status)),
                ureq::Error::Timeout(_) if bytes.is_empty() => Failure::Timeout(timeout),
                // A 5xx/429 is retried whatever its body; the body only adds detail.
                _ if status >= 500 || status == 429 => Failure::Status(
                    Answer {
                        status,
                        location,
                        body: Vec::new(),
                    },
                    retry_after,
                ),
                other => Failure::Fatal(Error::new(
                    Kind::BadResponse,
                    format!(
                        "the service's answer ({status}) was cut short: {}",
                        describe(&other)
                    ),
                )),
            });
        }
        let answer = Answer {
            status,
            location,
            body: bytes,
        };
        if status >= 500 || status == 429 {
            return Err(Failure::Status(answer, retry_after));
        }
        Ok(answer)
    }

    /// Sorts a transport error into the retry classes.
    fn classify(&self, e: ureq::Error, timeout: Duration) -> Failure {
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
                if io.kind() == K::InvalidData && self.endpoint.starts_with("https://") {
                    return tls(io.to_string());
                }
                classify_io(&io, &self.endpoint, timeout)
            }
            ureq::Error::Tls(m) => tls(m.to_string()),
            #[cfg(feature = "tls")]
            ureq::Error::Rustls(r) => tls(r.to_string()),
            #[cfg(feature = "tls")]
            ureq::Error::Pem(p) => tls(p.to_string()),
            // A plain-HTTP request to an HTTPS-only service gets TLS bytes back: the wrong
            // protocol, which is "unreachable" with its hint, not a bad answer (DESIGN.md §4).
            ureq::Error::Protocol(p) if self.endpoint.starts_with("http://") => Failure::Fatal(
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

    /// The error for a failure that outlasted the retries (or was not retried).
    fn give_up(&self, failure: Failure, attempts: u32) -> Error {
        let tries = match (self.wait, attempts) {
            (Some(w), n) => format!(
                " (still failing after --wait {}, {})",
                show(w),
                attempts_text(n)
            ),
            (None, 1) => String::new(),
            (None, n) => format!(" ({})", attempts_text(n)),
        };
        let unreachable = |what: String| {
            Error::new(Kind::Unreachable, format!("{what}{tries}")).with_hint(UNREACHABLE_HINT)
        };
        match failure {
            Failure::Refused(why) => {
                unreachable(format!("cannot connect to {}: {why}", self.endpoint))
            }
            Failure::Timeout(timeout) => unreachable(format!(
                "no answer from {} within {}",
                self.endpoint,
                show(timeout)
            )),
            Failure::Dns => Error::new(
                Kind::Unreachable,
                format!("the host name of {} did not resolve{tries}", self.endpoint),
            )
            .with_hint(DNS_HINT),
            Failure::Dropped(why) => {
                unreachable(format!("{why} by {} before any answer", self.endpoint))
            }
            Failure::Status(answer, _) => Error::new(
                Kind::BadResponse,
                format!(
                    "the service keeps failing ({}){tries}",
                    service_detail(answer.status, &answer.body)
                ),
            )
            .with_hint(match self.wait {
                None => "the service may be busy or restarting: try again later, or add --wait 60s to keep retrying".to_string(),
                Some(w) => format!("the service failed for the whole --wait {}: try again later, or wait longer", show(w)),
            }),
            Failure::Fatal(e) => e,
        }
    }
}

/// Sorts an I/O error from connecting, sending or reading into the retry classes. Only a
/// connection closed (or reset) before any answer is a drop; an error this does not recognise
/// is not retried, since nothing says another attempt would fare better.
fn classify_io(io: &std::io::Error, endpoint: &str, timeout: Duration) -> Failure {
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
fn describe(e: &ureq::Error) -> String {
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

/// `1 attempt`, `3 attempts`.
fn attempts_text(n: u32) -> String {
    if n == 1 {
        "1 attempt".to_string()
    } else {
        format!("{n} attempts")
    }
}

fn too_large(status: u16) -> Error {
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
fn interpret(target: &Target, answer: Answer, version: &ApiVersion) -> Result<Value, Error> {
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
fn service_detail(status: u16, body: &[u8]) -> String {
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

/// The `next.href` of a page, if any.
fn next_href(doc: &Value) -> Result<Option<String>, Error> {
    match doc.get("next") {
        None | Some(Value::Null) => Ok(None),
        Some(next) => match next.get("href").and_then(Value::as_str) {
            Some(href) => Ok(Some(href.to_string())),
            None => Err(Error::new(
                Kind::BadResponse,
                "the service's page has a `next` without an href",
            )),
        },
    }
}

/// Re-bases a `next.href` onto the configured endpoint (spec §4): keeps path and query, drops
/// scheme, host and port (the href may name 169.254.169.254 while we talk to the FQDN, or to an
/// emulator). Refuses a path outside `/metadata/v1/`, so a page link cannot send the token
/// elsewhere on the service.
pub fn rebase_next(href: &str) -> Result<(String, String), Error> {
    let bad = || {
        Error::new(
            Kind::BadResponse,
            format!("the service's next page link is not under /metadata/v1/: {href}"),
        )
    };
    let lower = href.to_ascii_lowercase();
    let rest = if lower.starts_with("http://") || lower.starts_with("https://") {
        let after = &href[href.find("://").unwrap() + 3..];
        &after[after.find('/').ok_or_else(bad)?..]
    } else if href.starts_with('/') && !href.starts_with("//") {
        href
    } else {
        return Err(bad());
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if !path.starts_with(crate::resource::METADATA_PREFIX)
        || crate::resource::could_escape(path)
        || path
            .chars()
            .chain(query.chars())
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad());
    }
    Ok((path.to_string(), query.to_string()))
}

/// The value of `name` in a query string, as sent.
fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
        .map(str::to_string)
}

/// Appends a page's arrays to the first page's arrays with the same keys.
fn merge_page(doc: &mut Value, page: Value) -> Result<(), Error> {
    let (Some(first), Value::Object(page)) = (doc.as_object_mut(), page) else {
        return Err(Error::new(
            Kind::BadResponse,
            "the service's page is not a JSON object",
        ));
    };
    first.shift_remove("next");
    for (key, value) in page {
        match value {
            Value::Array(items) => match first.get_mut(&key) {
                Some(Value::Array(existing)) => existing.extend(items),
                _ => {
                    first.insert(key, Value::Array(items));
                }
            },
            other if key == "next" => {
                first.insert(key, other);
            }
            _ => {}
        }
    }
    Ok(())
}

/// `delay` plus up to half of it, from the clock's nanoseconds and the process id (no random
/// number crate for this).
fn jitter(delay: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mixed = (u64::from(nanos) ^ u64::from(std::process::id()).rotate_left(17))
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let half = delay.as_millis() as u64 / 2;
    if half == 0 {
        return delay;
    }
    delay + Duration::from_millis((mixed >> 33) % (half + 1))
}

/// A duration for messages: `300ms`, `2s`, `1.5s`.
fn show(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{}s", d.as_secs())
    } else if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// TLS set-up for `https://` endpoints.
/// Resolves a host that is an IP address (the service's 169.254.169.254, a loopback emulator) in
/// place and hands names to ureq's resolver: with a timeout set, ureq's resolver starts a thread
/// per request to bound the lookup, even for an address that needs none.
#[derive(Debug, Default)]
struct LiteralResolver(DefaultResolver);

/// The socket address of a URI whose host is an IP address (IPv6 in brackets).
fn literal_addr(uri: &ureq::http::Uri) -> Option<std::net::SocketAddr> {
    let authority = uri.authority()?;
    let host = authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let ip: std::net::IpAddr = host.parse().ok()?;
    let port = authority.port_u16().or(match uri.scheme_str() {
        Some("http") => Some(80),
        Some("https") => Some(443),
        _ => None,
    })?;
    Some(std::net::SocketAddr::new(ip, port))
}

impl Resolver for LiteralResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        match literal_addr(uri) {
            Some(addr) => {
                let mut addrs = self.empty();
                addrs.push(addr);
                Ok(addrs)
            }
            None => self.0.resolve(uri, config, timeout),
        }
    }
}

#[cfg(feature = "tls")]
mod tls {
    use std::path::Path;

    use ureq::config::ConfigBuilder;
    use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};
    use ureq::typestate::AgentScope;

    use crate::error::Error;

    /// Sets the trusted roots on the agent's configuration.
    pub fn apply(
        config: ConfigBuilder<AgentScope>,
        cacert: Option<&Path>,
    ) -> Result<ConfigBuilder<AgentScope>, Error> {
        Ok(config.tls_config(roots(cacert)?))
    }

    /// Without `--cacert`: the platform's verifier (system roots). With it: the given CA plus the
    /// system's roots (read by rustls-native-certs), since ureq takes one root set.
    fn roots(cacert: Option<&Path>) -> Result<TlsConfig, Error> {
        let Some(path) = cacert else {
            return Ok(TlsConfig::builder()
                .root_certs(RootCerts::PlatformVerifier)
                .build());
        };
        let shown = path.display();
        let pem = std::fs::read(path).map_err(|e| {
            Error::usage(format!(
                "cannot read --cacert {shown}: {}",
                crate::client::describe_io(&e)
            ))
        })?;
        let mut roots: Vec<Certificate<'static>> = Vec::new();
        for item in ureq::tls::parse_pem(&pem) {
            match item {
                Ok(PemItem::Certificate(c)) => roots.push(c),
                Ok(_) => {}
                Err(e) => {
                    return Err(Error::usage(format!(
                        "--cacert {shown} is not a PEM certificate file: {e}"
                    )));
                }
            }
        }
        if roots.is_empty() {
            return Err(Error::usage(format!(
                "--cacert {shown} holds no PEM certificate"
            )));
        }
        for der in rustls_native_certs::load_native_certs().certs {
            roots.push(Certificate::from_der(&der).to_owned());
        }
        Ok(TlsConfig::builder()
            .root_certs(RootCerts::new_with_certs(&roots))
            .build())
    }
}

/// Without the `tls` feature settings refuse `https://`, so this is never reached.
#[cfg(not(feature = "tls"))]
mod tls {
    use std::path::Path;

    use ureq::config::ConfigBuilder;
    use ureq::typestate::AgentScope;

    use crate::error::Error;

    pub fn apply(
        _config: ConfigBuilder<AgentScope>,
        _cacert: Option<&Path>,
    ) -> Result<ConfigBuilder<AgentScope>, Error> {
        Err(Error::usage("imds was built without TLS support"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_hosts_resolve_without_a_lookup_names_do_not() {
        let addr = |u: &str| literal_addr(&u.parse().unwrap()).map(|a| a.to_string());
        assert_eq!(
            addr("http://169.254.169.254/metadata/v1/instance").as_deref(),
            Some("169.254.169.254:80")
        );
        assert_eq!(
            addr("http://127.0.0.1:8080/x").as_deref(),
            Some("127.0.0.1:8080")
        );
        assert_eq!(addr("https://[::1]/x").as_deref(), Some("[::1]:443"));
        assert_eq!(addr("https://api.metadata.cloud.ibm.com/x"), None);
    }

    #[test]
    fn next_href_is_rebased_onto_the_endpoint() {
        let (p, q) =
            rebase_next("http://169.254.169.254/metadata/v1/keys?limit=100&start=abc").unwrap();
        assert_eq!(p, "/metadata/v1/keys");
        assert_eq!(q, "limit=100&start=abc");
        let (p, q) = rebase_next("/metadata/v1/placement_groups?start=x").unwrap();
        assert_eq!(
            (p.as_str(), q.as_str()),
            ("/metadata/v1/placement_groups", "start=x")
        );
    }

    #[test]
    fn next_href_to_other_paths_is_not_followed() {
        for bad in [
            "http://evil.example/identity/v1/token?start=1",
            "/metadata/v1/../../identity/v1/token",
            "//evil.example/metadata/v1/keys",
            "metadata/v1/keys",
            "http://evil.example",
            "/v1/placement_groups?limit=50",
        ] {
            assert!(rebase_next(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn version_is_added_unless_present() {
        let v = ApiVersion::parse("2025-08-26").unwrap();
        let t = Target::get("/metadata/v1/keys", "limit=100", "", false);
        assert_eq!(
            t.path_and_query(&v),
            "/metadata/v1/keys?version=2025-08-26&limit=100"
        );
        let t = Target::get("/metadata/v1/keys", "", "", false);
        assert_eq!(t.path_and_query(&v), "/metadata/v1/keys?version=2025-08-26");
        let t = Target::get("/metadata/v1/keys", "start=a&version=2024-11-12", "", false);
        assert_eq!(
            t.path_and_query(&v),
            "/metadata/v1/keys?start=a&version=2024-11-12"
        );
    }

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

    #[test]
    fn pages_merge() {
        let mut doc = serde_json::json!({"keys": [1], "limit": 1, "next": {"href": "x"}});
        merge_page(
            &mut doc,
            serde_json::json!({"keys": [2], "next": {"href": "y"}}),
        )
        .unwrap();
        assert_eq!(doc["keys"], serde_json::json!([1, 2]));
        assert_eq!(doc["next"]["href"], "y");
    }

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

    #[test]
    fn jitter_stays_within_half() {
        for ms in [0, 1, 100, 2000] {
            let d = Duration::from_millis(ms);
            let j = jitter(d);
            assert!(j >= d && j <= d + d / 2, "{ms}: {j:?}");
        }
    }
}
