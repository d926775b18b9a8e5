//! The one HTTP agent of a run: `version=` on every request, retries and `--wait`, timeouts,
//! the 1 MiB body cap, following pages, and turning answers (IBM error bodies included) into
//! values or [`Error`]s.
//!
//! It sends the token it is given and knows nothing of minting or refreshing one: that is
//! [`crate::session`]'s business, over this client. What to fetch is [`crate::resource`]'s.
//!
//! # Retry policy (docs/ARCHITECTURE.md §4)
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
//! 401 is a stale or expired token, which one fresh token cures or nothing does (the session).
//! A 400 is exit 2 when the path came from the user (`imds get`), else 1.
//!
//! Delays: without `--wait`, 100 ms then 200 ms, lengthened (never shortened) by a
//! `Retry-After` in seconds (the HTTP-date form is ignored), and at most 1 s of sleeping in all:
//! a `Retry-After` that would take the run past that ends it at once with exit 7 and a hint to
//! use `--wait`. With `--wait`, 100 ms doubling up to 2 s plus up to 50% jitter, lengthened by
//! `Retry-After` (capped at 10 s); never past the deadline.
//! Every attempt's timeout is clipped to the time left, so the deadline bounds the whole run.

mod answer;
mod first_byte;
mod pages;
mod resolver;
mod retry;
mod target;
mod tls;
mod transport;

use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use ureq::Agent;
use ureq::unversioned::transport::{Connector, DefaultConnector};

use crate::error::{Attempts, Error, Transport, TransportError};
use crate::settings::Settings;
use crate::text::show_duration;
use crate::token::Token;
use crate::values::{ApiVersion, Endpoint};

use answer::too_large;
pub use answer::{Answer, BODY_CAP, header, interpret, retry_after_seconds, service_error};
use first_byte::{FirstByte, NoteFirstByte};
use resolver::LiteralResolver;
use retry::{FIRST_BACKOFF, Failure, Next, RETRY_AFTER_CAP, WAIT_BACKOFF_CAP, next_step};
use transport::describe;

pub use pages::{collect_pages, for_each_page};
pub use target::{Method, PAGE_LIMIT, Target};
pub use transport::describe_io;

/// What starts every `-v` line.
pub const VERBOSE_PREFIX: &str = "* ";

/// The connection's read buffer. ureq zero-fills its buffers when a connection opens: at the
/// default 128 KiB each, a seventh of the instructions of `imds instance` and 64 page faults.
/// The service's answer heads are well under 1 KiB and its pages under 64 KiB, which a smaller
/// buffer reads in a few more calls.
const INPUT_BUFFER: usize = 16 * 1024;
/// The connection's write buffer: holds a request head with its token, and a request body.
const OUTPUT_BUFFER: usize = 16 * 1024;
/// The largest answer head taken; below [`INPUT_BUFFER`], which must hold the whole head, so
/// that a larger one is reported as such.
const MAX_ANSWER_HEAD: usize = 8 * 1024;

/// The agent and the run's settings that shape requests.
pub struct Client {
    agent: Agent,
    endpoint: Endpoint,
    version: ApiVersion,
    timeout: Duration,
    deadline: Option<Instant>,
    wait: Option<Duration>,
    verbose: bool,
    /// The first byte of the latest answer, to tell TLS from broken HTTP.
    first_byte: FirstByte,
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
            .accept("application/json")
            .input_buffer_size(INPUT_BUFFER)
            .output_buffer_size(OUTPUT_BUFFER)
            .max_response_header_size(MAX_ANSWER_HEAD);
        if settings.is_https() {
            config = tls::apply(config, settings.cacert.as_ref())?;
        }
        let first_byte = FirstByte::default();
        Ok(Client {
            agent: Agent::with_parts(
                config.build(),
                DefaultConnector::default().chain(NoteFirstByte(first_byte.clone())),
                LiteralResolver::default(),
            ),
            first_byte,
            endpoint: settings.endpoint.clone(),
            version: settings.api_version.clone(),
            timeout: settings.timeout,
            deadline: settings.deadline,
            wait: settings.wait,
            verbose: settings.verbose,
        })
    }

    /// The `version=` date in use.
    pub fn api_version(&self) -> &ApiVersion {
        &self.version
    }

    /// When a call starting now must be over: the wait window counted from now, and never past
    /// the settings' fixed deadline (the command line's, counted from the process start).
    fn call_deadline(&self) -> Option<Instant> {
        let window = self.wait.map(|wait| Instant::now() + wait);
        match (window, self.deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// A `-v` line on stderr. `* ` (as in curl's trace) sets these apart from the one `imds:`
    /// error line, so a script or a reader can tell the trace from the failure.
    pub fn note(&self, message: &str) {
        if self.verbose {
            crate::text::to_stderr(&format!(
                "{VERBOSE_PREFIX}{}\n",
                crate::text::sanitize(message)
            ));
        }
    }

    /// One request, with `token` as its bearer when given; the JSON answer or an error (a 401
    /// included: whether a fresh token may help is the caller's business).
    pub fn call(
        &self,
        target: &Target,
        token: Option<&Token>,
        body: Option<&Value>,
    ) -> Result<Value, Error> {
        self.call_sized(target, token, body).map(|(value, _)| value)
    }

    /// As [`Client::call`], with the size of the answer's body in bytes, as received.
    pub fn call_sized(
        &self,
        target: &Target,
        token: Option<&Token>,
        body: Option<&Value>,
    ) -> Result<(Value, u64), Error> {
        let answer = self.exchange(target, token, body)?;
        let size = answer.body.len() as u64;
        interpret(target, answer, &self.version).map(|value| (value, size))
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
        let mut slept = Duration::ZERO;
        let deadline = self.call_deadline();
        loop {
            attempt += 1;
            let timeout = self.attempt_timeout(deadline);
            let started = Instant::now();
            let result = self.attempt(target.method, &url, token, body.as_deref(), timeout);
            let ms = started.elapsed().as_millis();
            let outcome = self.outcome(&result);
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
            let retry_after = match &failure {
                Failure::Status(_, after) => *after,
                _ => None,
            };
            let left = deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
            let retryable = failure.retryable(deadline.is_some());
            let attempts = Attempts {
                count: attempt,
                wait: self.wait,
            };
            let delay = match next_step(retryable, attempt, backoff, retry_after, left, slept) {
                Next::Retry(delay) => delay,
                Next::GiveUp => {
                    self.note(&format!(
                        "{} {shown} → {outcome} ({ms} ms)",
                        target.method.as_str()
                    ));
                    return Err(failure.give_up(target, attempts, &self.endpoint));
                }
                Next::RetryAfterTooLong(asked) => {
                    self.note(&format!(
                        "{} {shown} → {outcome} ({ms} ms), Retry-After {}",
                        target.method.as_str(),
                        show_duration(asked)
                    ));
                    return Err(failure.retry_after_too_long(
                        target,
                        attempts,
                        &self.endpoint,
                        asked,
                    ));
                }
            };
            self.note(&format!(
                "{} {shown} → {outcome} ({ms} ms), retrying in {}",
                target.method.as_str(),
                show_duration(delay)
            ));
            std::thread::sleep(delay);
            slept += delay;
            backoff = if deadline.is_some() {
                (backoff * 2).min(WAIT_BACKOFF_CAP)
            } else {
                backoff * 2
            };
        }
    }

    /// The time an attempt starting now may take: the timeout, clipped to what is left before
    /// the call's deadline, and never under 1 ms.
    fn attempt_timeout(&self, deadline: Option<Instant>) -> Duration {
        match deadline {
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                self.timeout.min(left).max(Duration::from_millis(1))
            }
            None => self.timeout,
        }
    }

    /// What an attempt came to, as its `-v` line says it: the status, or why there was none.
    fn outcome(&self, result: &Result<Answer, Failure>) -> String {
        match result {
            Ok(a) => format!("{}", a.status),
            Err(Failure::Status(a, _)) => format!("{}", a.status),
            Err(Failure::Transport(Transport::Refused(why), _)) => why.clone(),
            Err(Failure::Transport(Transport::Timeout(t), _)) => {
                format!("no answer within {}", show_duration(*t))
            }
            Err(Failure::Transport(Transport::Lookup, _)) => "host name not found".to_string(),
            Err(Failure::Transport(Transport::Closed(why), _)) => {
                format!("{why} before any answer")
            }
            Err(Failure::Transport(other, _)) => Error::from(TransportError {
                transport: other.clone(),
                endpoint: self.endpoint.to_string(),
                attempts: Attempts::default(),
            })
            .message(),
            Err(Failure::Fatal(e)) => e.message(),
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
        let mut response = self
            .send(method, url, token, body, timeout)
            .map_err(|e| Failure::classify(e, timeout, &self.endpoint, &self.first_byte))?;
        let status = response.status().as_u16();
        let location = header(response.headers(), "location");
        let retry_after = retry_after_seconds(response.headers())
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
                ureq::Error::Timeout(_) if bytes.is_empty() => {
                    Failure::Transport(Transport::Timeout(timeout), Some(Arc::new(e)))
                }
                // A 5xx/429 is retried whatever its body; the body only adds detail.
                _ if status >= 500 || status == 429 => Failure::Status(
                    Answer {
                        status,
                        location,
                        body: Vec::new(),
                    },
                    retry_after,
                ),
                other => Failure::Fatal(
                    Error::decode(format!(
                        "the service's answer ({status}) was cut short: {}",
                        describe(&other)
                    ))
                    .with_source(Arc::new(other)),
                ),
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

    /// Sends the request: a PUT or POST carries `Metadata-Flavor: ibm` (docs/SERVICE.md §1.3)
    /// and its JSON body, if any; every request carries `token` as its bearer, if any.
    fn send(
        &self,
        method: Method,
        url: &str,
        token: Option<&Token>,
        body: Option<&str>,
        timeout: Duration,
    ) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        let bearer = token.map(|t| format!("Bearer {}", t.expose()));
        match method {
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
        }
    }
}
