//! What the running emulator remembers between requests: the fixture (which a patch may
//! replace while it runs), the fault rules, the tokens it issued and the request counts. Each
//! part has its own lock, held briefly.

use crate::ca::Authority;
use crate::faults::{Faults, Rule};
use crate::fixture::Fixture;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock};
use std::time::{Duration, Instant};

/// The identity tokens issued and still in force, with their real deadlines.
#[derive(Debug, Default)]
pub struct Tokens {
    live: HashMap<String, Instant>,
}

impl Tokens {
    /// Remembers a token that is valid for `lifetime` from now.
    pub fn insert(&mut self, token: String, lifetime: Duration) {
        let now = Instant::now();
        self.live.retain(|_, deadline| *deadline > now);
        self.live.insert(token, now + lifetime);
    }

    /// Whether a token was issued here and has not expired.
    pub fn is_valid(&self, token: &str) -> bool {
        self.live
            .get(token)
            .is_some_and(|deadline| *deadline > Instant::now())
    }

    /// Makes every token issued so far invalid; returns how many were still live.
    pub fn expire_all(&mut self) -> usize {
        let now = Instant::now();
        let live = self.live.values().filter(|d| **d > now).count();
        self.live.clear();
        live
    }
}

/// Requests seen per `"METHOD /path"`.
#[derive(Debug, Default)]
pub struct Counts {
    total: u64,
    requests: BTreeMap<String, u64>,
}

impl Counts {
    pub fn record(&mut self, method: &str, path: &str) {
        self.total += 1;
        *self.requests.entry(format!("{method} {path}")).or_default() += 1;
    }

    pub fn clear(&mut self) {
        *self = Counts::default();
    }

    /// `{"total": N, "requests": {"GET /metadata/v1/keys": 3, …}}`.
    pub fn to_json(&self) -> Value {
        let requests: Map<String, Value> = self
            .requests
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        json!({"total": self.total, "requests": requests})
    }
}

/// The whole state, shared by every connection thread.
#[derive(Debug)]
pub struct State {
    /// The fixture served now; a request holds the one it started with to the end.
    fixture: RwLock<Arc<Fixture>>,
    /// `http` or `https`, for the page hrefs.
    pub scheme: &'static str,
    /// `host:port` for hrefs when a request carries no usable `Host` header.
    pub authority: String,
    /// The certificate authority that signs instance identity certificates, made on first use.
    ca: OnceLock<Authority>,
    faults: Mutex<Faults>,
    tokens: Mutex<Tokens>,
    counts: Mutex<Counts>,
}

impl State {
    pub fn new(
        fixture: Fixture,
        rules: Vec<Rule>,
        scheme: &'static str,
        authority: String,
    ) -> State {
        let mut faults = Faults::default();
        for rule in rules {
            faults.add(rule);
        }
        State {
            fixture: RwLock::new(Arc::new(fixture)),
            scheme,
            authority,
            ca: OnceLock::new(),
            faults: Mutex::new(faults),
            tokens: Mutex::new(Tokens::default()),
            counts: Mutex::new(Counts::default()),
        }
    }

    /// The certificate authority, made on first use so that only `--ca-out` and the
    /// certificates route pay for its keys. EC P-256 keys from the operating system's random
    /// source: this fails only without one.
    pub fn ca(&self) -> &Authority {
        self.ca
            .get_or_init(|| Authority::new().expect("cannot make the certificate authority's keys"))
    }

    /// The fixture served now.
    pub fn fixture(&self) -> Arc<Fixture> {
        let held = self.fixture.read().unwrap_or_else(|e| e.into_inner());
        Arc::clone(&held)
    }

    /// Applies a JSON merge patch to the fixture served now; a patch that leaves an invalid
    /// fixture changes nothing, and the error names the field at fault.
    pub fn patch(&self, patch: &Value) -> Result<(), String> {
        let mut held = self.fixture.write().unwrap_or_else(|e| e.into_inner());
        let patched = held.patched(patch)?;
        *held = Arc::new(patched);
        Ok(())
    }

    /// Applies `patch` once `delay` has passed, on a thread of its own. The patch was checked
    /// against the fixture of the moment it was given; should an earlier patch have made it
    /// invalid meanwhile, it is reported on stderr and dropped.
    pub fn patch_after(state: &Arc<State>, patch: Value, delay: Duration) {
        let state = Arc::clone(state);
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            if let Err(e) = state.patch(&patch) {
                eprintln!("imds-mock: a delayed patch was not applied: {e}");
            }
        });
    }

    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        lock(&self.faults)
    }

    pub fn tokens(&self) -> MutexGuard<'_, Tokens> {
        lock(&self.tokens)
    }

    pub fn counts(&self) -> MutexGuard<'_, Counts> {
        lock(&self.counts)
    }
}

/// Locks, ignoring poisoning: a panicked connection thread must not stop the others.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_expire_and_can_be_expired() {
        let mut t = Tokens::default();
        t.insert("a".into(), Duration::from_secs(60));
        t.insert("b".into(), Duration::ZERO);
        assert!(t.is_valid("a"));
        assert!(!t.is_valid("b"));
        assert!(!t.is_valid("c"));
        assert_eq!(t.expire_all(), 1);
        assert!(!t.is_valid("a"));
    }

    #[test]
    fn counts_by_method_and_path() {
        let mut c = Counts::default();
        c.record("GET", "/metadata/v1/keys");
        c.record("GET", "/metadata/v1/keys");
        c.record("PUT", "/identity/v1/token");
        assert_eq!(
            c.to_json(),
            json!({"total": 3, "requests": {"GET /metadata/v1/keys": 2, "PUT /identity/v1/token": 1}})
        );
    }
}
