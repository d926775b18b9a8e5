//! The retry policy of the module table in [`crate::client`]: which failures another attempt may
//! cure, how long to wait between attempts, and the error for a failure that outlasted them.

use std::time::Duration;

use super::Client;
use super::answer::{Answer, service_detail};
use super::transport::{DNS_HINT, UNREACHABLE_HINT};
use crate::error::{Error, Kind};
use crate::values::show_duration;

/// Attempts in all for retryable failures without `--wait`.
pub(crate) const ATTEMPTS: u32 = 3;
/// First retry delay; doubles after each attempt.
pub(crate) const FIRST_BACKOFF: Duration = Duration::from_millis(100);
/// Longest delay between attempts with `--wait`.
pub(crate) const WAIT_BACKOFF_CAP: Duration = Duration::from_secs(2);
/// Longest `Retry-After` honoured.
pub(crate) const RETRY_AFTER_CAP: Duration = Duration::from_secs(10);
/// An attempt with less time than this left before the deadline is not started.
pub(crate) const MIN_ATTEMPT: Duration = Duration::from_millis(20);

/// Why an attempt got no usable answer.
#[derive(Debug)]
pub(crate) enum Failure {
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
    pub(crate) fn retryable(&self, waiting: bool) -> bool {
        match self {
            Failure::Status(..) | Failure::Dropped(_) => true,
            // A resolver that is not up yet at boot looks like a name that does not exist.
            Failure::Refused(_) | Failure::Timeout(_) | Failure::Dns => waiting,
            Failure::Fatal(_) => false,
        }
    }
}

impl Client {
    /// The error for a failure that outlasted the retries (or was not retried).
    pub(crate) fn give_up(&self, failure: Failure, attempts: u32) -> Error {
        let tries = match (self.wait, attempts) {
            (Some(w), n) => format!(
                " (still failing after --wait {}, {})",
                show_duration(w),
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
                show_duration(timeout)
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
                Some(w) => format!("the service failed for the whole --wait {}: try again later, or wait longer", show_duration(w)),
            }),
            Failure::Fatal(e) => e,
        }
    }
}

/// `1 attempt`, `3 attempts`.
fn attempts_text(n: u32) -> String {
    if n == 1 {
        "1 attempt".to_string()
    } else {
        format!("{n} attempts")
    }
}

/// `delay` plus up to half of it, from the clock's nanoseconds and the process id (no random
/// number crate for this).
pub(crate) fn jitter(delay: Duration) -> Duration {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_half() {
        for ms in [0, 1, 100, 2000] {
            let d = Duration::from_millis(ms);
            let j = jitter(d);
            assert!(j >= d && j <= d + d / 2, "{ms}: {j:?}");
        }
    }
}
