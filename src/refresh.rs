//! `imds token --refresh -o FILE`: a token file kept fresh until the process is stopped. This
//! module owns the schedule (when to renew, when to retry, when a token is too old to leave in
//! the file); what a token is and how it is rendered is the caller's, and how the file is
//! written is [`crate::files`]'.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::client::VERBOSE_PREFIX;
use crate::error::Error;
use crate::files;
use crate::signals::Stop;
use crate::text::{sanitize, show_duration, to_stderr};

/// How much of a token's lifetime passes before the next one is asked for: the library's rule
/// for its own tokens (80%), which leaves a fifth of the lifetime for retries before the file
/// goes stale.
const RENEW_FRACTION: (u32, u32) = (4, 5);
/// How much of a token's lifetime it may stay in the file while no new one comes: a reader that
/// takes it just before it is removed still has a twentieth of its lifetime to use it.
const KEEP_FRACTION: (u32, u32) = (19, 20);
/// How much sooner than its lifetime says a token may expire for its readers: a JWT's `exp` is
/// whole seconds (RFC 7519's NumericDate), so a token that lives 5 s from 12.9 s may say it
/// expires at 17 s. Measured (benches/refresh.sh): without this, 6 of 5,645 reads of 5 s
/// tokens found one past its `exp`.
const EXPIRY_GRAIN: Duration = Duration::from_secs(1);
/// The first wait after a failed refresh; each further failure doubles it.
const RETRY_FIRST: Duration = Duration::from_secs(1);
/// The longest wait between two tries.
const RETRY_MAX: Duration = Duration::from_secs(30);

/// What one refresh gives: the bytes for the file and how long the token in them lives.
pub struct Fresh {
    /// The file's whole content.
    pub bytes: Vec<u8>,
    /// The token's lifetime, counted from just before it was asked for.
    pub lifetime: Duration,
}

/// Writes a first token to `path`, then keeps it fresh until SIGTERM or SIGINT. A failure to
/// get or write the first token is returned (its exit status is the command's); later failures
/// are one stderr line each and are tried again with backoff. The token file is removed once
/// the token in it is too old to be used, and comes back with the next refresh that works.
pub fn run(
    path: &Path,
    stop: &Stop,
    verbose: bool,
    mut fetch: impl FnMut() -> Result<Fresh, Error>,
) -> Result<(), Error> {
    let mut asked = Instant::now();
    let first = fetch()?;
    write(path, &first.bytes)?;
    note(verbose, path, first.lifetime);
    let mut lifetime = first.lifetime;
    drop(first);
    let mut present = true;
    let mut backoff = RETRY_FIRST;
    let mut next_try = asked + part(lifetime, RENEW_FRACTION);
    loop {
        let remove_at = asked + part(lifetime, KEEP_FRACTION);
        let wake = if present {
            next_try.min(remove_at)
        } else {
            next_try
        };
        if stop
            .wait(wake.saturating_duration_since(Instant::now()))
            .is_some()
        {
            return Ok(());
        }
        if present && Instant::now() >= remove_at {
            present = !remove(path);
        }
        if Instant::now() < next_try {
            continue;
        }
        let attempt = Instant::now();
        match fetch().and_then(|fresh| write(path, &fresh.bytes).map(|()| fresh)) {
            Ok(fresh) => {
                note(verbose, path, fresh.lifetime);
                asked = attempt;
                lifetime = fresh.lifetime;
                present = true;
                backoff = RETRY_FIRST;
                next_try = asked + part(lifetime, RENEW_FRACTION);
            }
            Err(e) => {
                to_stderr(&format!(
                    "imds: cannot refresh {}: {}; trying again in {}\n",
                    sanitize(&path.display().to_string()),
                    sanitize(&e.message()),
                    show_duration(backoff)
                ));
                next_try = Instant::now() + backoff;
                backoff = (backoff * 2).min(RETRY_MAX);
            }
        }
    }
}

/// `fraction` of a token's `lifetime`, less the second its stated expiry may lose.
fn part(lifetime: Duration, (num, den): (u32, u32)) -> Duration {
    lifetime.saturating_sub(EXPIRY_GRAIN) * num / den
}

/// Replaces the file all at once, mode 0600, through its directory's handle.
fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    files::Target::open(path, files::Options::PRIVATE)
        .and_then(|target| target.prepare()?.commit(bytes))
        .map_err(Error::from)
}

/// Removes the file whose token is too old; whether it is gone.
fn remove(path: &Path) -> bool {
    let shown = sanitize(&path.display().to_string());
    match files::Target::open(path, files::Options::PRIVATE).and_then(|t| t.remove()) {
        Ok(()) => {
            to_stderr(&format!(
                "imds: removed {shown}: its token is about to expire and no new one came\n"
            ));
            true
        }
        Err(e) => {
            to_stderr(&format!("imds: {}\n", sanitize(&e.to_string())));
            false
        }
    }
}

/// With -v, one line per write.
fn note(verbose: bool, path: &Path, lifetime: Duration) {
    if verbose {
        to_stderr(&format!(
            "{VERBOSE_PREFIX}wrote {}: a token that lives {}\n",
            sanitize(&path.display().to_string()),
            show_duration(lifetime)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_renewed_before_it_leaves_the_file() {
        let life = Duration::from_secs(5);
        assert_eq!(part(life, RENEW_FRACTION), Duration::from_millis(3200));
        assert_eq!(part(life, KEEP_FRACTION), Duration::from_millis(3800));
        let life = Duration::from_secs(3600);
        assert!(part(life, RENEW_FRACTION) < part(life, KEEP_FRACTION));
    }
}
