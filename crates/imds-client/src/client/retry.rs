//! The retry policy of the module table in [`crate::client`]: which failures another attempt may
//! cure, how long to wait between attempts, and the error for a failure that outlasted them.

use std::time::Duration;

use super::answer::{Answer, service_error};
use super::target::Target;
use crate::error::{Advice, Attempts, Error, ServiceError, Source, Transport, TransportError};
use crate::values::Endpoint;

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
/// Sleeping allowed in all between attempts without `--wait`, so that a run that fails fast
/// stays fast whatever `Retry-After` says.
pub(crate) const NO_WAIT_SLEEP: Duration = Duration::from_secs(1);

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Sleep this long, then try again.
    Retry(Duration),
    /// Give up with the failure as it is.
    GiveUp,
    /// Without `--wait`, the service asked for a longer pause than [`NO_WAIT_SLEEP`] leaves:
    /// give up at once rather than sleep.
    RetryAfterTooLong(Duration),
}

/// The pause before the next attempt (the table in [`crate::client`]).
///
/// - `backoff` is this attempt's step of the 100 ms doubling; `retry_after` the service's
///   `Retry-After`, if it sent one. A `Retry-After` only ever lengthens a pause: `0` does not
///   turn the retries into a tight loop.
/// - With `--wait` (`left`: the time to the deadline), the backoff gets up to 50% jitter and
///   the pause ends before the deadline.
/// - Without it, at most [`ATTEMPTS`] attempts and [`NO_WAIT_SLEEP`] of sleeping in all
///   (`slept` so far).
pub(crate) fn next_step(
    retryable: bool,
    attempt: u32,
    backoff: Duration,
    retry_after: Option<Duration>,
    left: Option<Duration>,
    slept: Duration,
) -> Next {
    if !retryable {
        return Next::GiveUp;
    }
    let asked = retry_after.unwrap_or_default();
    match left {
        Some(left) if left > MIN_ATTEMPT => {
            Next::Retry(jitter(backoff).max(asked).min(left - MIN_ATTEMPT))
        }
        Some(_) => Next::GiveUp,
        None if attempt >= ATTEMPTS => Next::GiveUp,
        None => {
            let wanted = backoff.max(asked);
            if slept + wanted <= NO_WAIT_SLEEP {
                Next::Retry(wanted)
            } else if retry_after.is_some() {
                Next::RetryAfterTooLong(asked)
            } else {
                Next::GiveUp
            }
        }
    }
}

/// Why an attempt got no usable answer.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The transport failed; its kind picks the retry class. With the error underneath, when
    /// there is one.
    Transport(Transport, Option<Source>),
    /// The service answered 5xx or 429: retried.
    Status(Answer, Option<Duration>),
    /// Not worth retrying: bad HTTP, bodies cut short or over the cap.
    Fatal(Error),
}

impl Failure {
    /// Whether another attempt may help; `waiting` is true under `--wait` (the module's table).
    pub(crate) fn retryable(&self, waiting: bool) -> bool {
        match self {
            Failure::Status(..) | Failure::Transport(Transport::Closed(_), _) => true,
            // A resolver that is not up yet at boot looks like a name that does not exist.
            Failure::Transport(
                Transport::Refused(_) | Transport::Timeout(_) | Transport::Lookup,
                _,
            ) => waiting,
            Failure::Transport(..) | Failure::Fatal(_) => false,
        }
    }
}

impl Failure {
    /// The error for a failure that outlasted the retries (or was not retried), after
    /// `attempts` at `endpoint`.
    pub(crate) fn give_up(self, target: &Target, attempts: Attempts, endpoint: &Endpoint) -> Error {
        match self {
            Failure::Transport(transport, source) => {
                let error = Error::from(TransportError {
                    transport,
                    endpoint: endpoint.to_string(),
                    attempts,
                });
                match source {
                    Some(source) => error.with_source(source),
                    None => error,
                }
            }
            Failure::Status(answer, _) => Error::from(ServiceError {
                attempts,
                ..service_error(target, answer)
            }),
            Failure::Fatal(e) => e,
        }
    }

    /// The error when, without `--wait`, the service asks for a longer pause than a run that
    /// fails fast may take: exit 7 at once (the service's answer, as after the retries), with
    /// the way to wait.
    pub(crate) fn retry_after_too_long(
        self,
        target: &Target,
        attempts: Attempts,
        endpoint: &Endpoint,
        asked: Duration,
    ) -> Error {
        self.give_up(target, attempts, endpoint)
            .with_advice(Advice::RetryAfterTooLong {
                asked,
                slept: NO_WAIT_SLEEP,
            })
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
    fn retry_after_only_lengthens_the_backoff() {
        let ms = Duration::from_millis;
        let wait = Some(Duration::from_secs(60));
        for after in [None, Some(ms(0)), Some(ms(50))] {
            match next_step(true, 1, ms(100), after, wait, ms(0)) {
                Next::Retry(d) => assert!(d >= ms(100) && d <= ms(150), "{d:?}"),
                other => panic!("{other:?}"),
            }
            assert_eq!(
                next_step(true, 1, ms(100), after, None, ms(0)),
                Next::Retry(ms(100))
            );
        }
        assert_eq!(
            next_step(true, 1, ms(100), Some(ms(700)), wait, ms(0)),
            Next::Retry(ms(700))
        );
        assert_eq!(
            next_step(true, 1, ms(100), Some(ms(700)), None, ms(0)),
            Next::Retry(ms(700))
        );
    }

    #[test]
    fn without_wait_sleeping_stops_at_one_second_in_all() {
        let ms = Duration::from_millis;
        assert_eq!(
            next_step(true, 1, ms(100), Some(ms(10_000)), None, ms(0)),
            Next::RetryAfterTooLong(ms(10_000))
        );
        assert_eq!(
            next_step(true, 1, ms(100), Some(ms(1000)), None, ms(0)),
            Next::Retry(ms(1000))
        );
        assert_eq!(
            next_step(true, 2, ms(200), Some(ms(1000)), None, ms(1000)),
            Next::RetryAfterTooLong(ms(1000))
        );
        assert_eq!(
            next_step(true, 2, ms(200), None, None, ms(100)),
            Next::Retry(ms(200))
        );
        assert_eq!(
            next_step(true, 3, ms(400), None, None, ms(300)),
            Next::GiveUp
        );
        assert_eq!(
            next_step(false, 1, ms(100), None, None, ms(0)),
            Next::GiveUp
        );
    }

    #[test]
    fn with_wait_the_pause_ends_before_the_deadline() {
        let ms = Duration::from_millis;
        assert_eq!(
            next_step(true, 9, ms(2000), Some(ms(10_000)), Some(ms(520)), ms(0)),
            Next::Retry(ms(500))
        );
        assert_eq!(
            next_step(true, 9, ms(2000), None, Some(ms(10)), ms(0)),
            Next::GiveUp
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
