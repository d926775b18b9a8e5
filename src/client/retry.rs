//! The retry policy of the module table in [`crate::client`]: which failures another attempt may
//! cure, how long to wait between attempts, and the error for a failure that outlasted them.

use std::time::Duration;

use super::answer::{Answer, service_error};
use super::{Client, Target};
use crate::error::{Attempts, Error, ServiceError, Transport, TransportError};

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
    /// The transport failed; its kind picks the retry class.
    Transport(Transport),
    /// The service answered 5xx or 429: retried.
    Status(Answer, Option<Duration>),
    /// Not worth retrying: bad HTTP, bodies cut short or over the cap.
    Fatal(Error),
}

impl Failure {
    /// Whether another attempt may help; `waiting` is true under `--wait` (the module's table).
    pub(crate) fn retryable(&self, waiting: bool) -> bool {
        match self {
            Failure::Status(..) | Failure::Transport(Transport::Closed(_)) => true,
            // A resolver that is not up yet at boot looks like a name that does not exist.
            Failure::Transport(
                Transport::Refused(_) | Transport::Timeout(_) | Transport::Lookup,
            ) => waiting,
            Failure::Transport(_) | Failure::Fatal(_) => false,
        }
    }
}

impl Client {
    /// The error for a failure that outlasted the retries (or was not retried).
    pub(crate) fn give_up(&self, failure: Failure, target: &Target, count: u32) -> Error {
        let attempts = Attempts {
            count,
            wait: self.wait,
        };
        match failure {
            Failure::Transport(transport) => Error::from(TransportError {
                transport,
                endpoint: self.endpoint.to_string(),
                attempts,
            }),
            Failure::Status(answer, _) => Error::from(ServiceError {
                attempts,
                ..service_error(target, answer)
            }),
            Failure::Fatal(e) => e,
        }
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
