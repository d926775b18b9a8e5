//! What the checks of `imds doctor` are made of, shared by the module that runs them and the
//! modules that make them: a check's outcome ([`Check`], [`Failure`]), where doctor looks
//! ([`Subject`]), the requests it makes ([`Service`]), and the fixes more than one check gives.

use std::time::Duration;

use crate::error::{Error, Kind};
use crate::values::Endpoint;

/// What doctor needs from the HTTP layer: the two requests it makes.
pub trait Service {
    /// Mints an identity token (and keeps it for [`Service::instance`]).
    fn token(&mut self) -> Result<(), Error>;
    /// `GET /metadata/v1/instance` with that token.
    fn instance(&mut self) -> Result<serde_json::Value, Error>;
}

/// Where doctor looks, as the settings resolved it.
#[derive(Debug, Clone)]
pub struct Subject {
    /// Base URL, e.g. `http://169.254.169.254`.
    pub endpoint: Endpoint,
    /// The `version` date sent.
    pub api_version: String,
    /// Token path, e.g. `/identity/v1/token`, for the messages.
    pub token_path: String,
    /// Bound on each step.
    pub timeout: Duration,
}

/// The outcome of one check.
pub struct Check {
    pub name: &'static str,
    pub result: Result<String, Failure>,
}

/// A failed check: what happened, how to fix it, and the exit code it stands for.
#[derive(Debug)]
pub struct Failure {
    pub kind: Kind,
    pub what: String,
    pub fix: Vec<String>,
}

impl Failure {
    /// A failure whose fix is the lines `fix`.
    pub fn new(kind: Kind, what: impl Into<String>, fix: &[&str]) -> Failure {
        Failure {
            kind,
            what: what.into(),
            fix: fix.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// How to turn the service on for a bare metal server, which has its own command (IBM's
/// "Managing bare metal servers": `bare-metal-server-update … --metadata-service true`).
pub const FIX_BARE_METAL_ENABLE: &str = "on a bare metal server: `ibmcloud is \
     bare-metal-server-update SERVER --metadata-service true` (add \
     `--metadata-service-protocol https` for secure access)";

/// How to look at and change the instance's metadata settings (docs/SERVICE.md §1.2).
const FIX_SILENCE: &[&str] = &[
    "the service accepts connections but does not answer: it is disabled on this instance, or \
     the answer cannot reach you (response hop limit), or it expects the other protocol",
    "see the settings: `ibmcloud is instance INSTANCE` (Metadata service: Enabled, Protocol, \
     Response hop limit), or the console's instance details page, Metadata",
    "service disabled: `ibmcloud is instance-update INSTANCE --metadata-service true`, then stop \
     and start the instance",
    "in a container or nested VM (one hop away): `ibmcloud is instance-update INSTANCE \
     --metadata-service-response-hop-limit 2`",
    FIX_BARE_METAL_ENABLE,
];

/// The protocol part of the fix for silence: the other protocol than the one in use.
pub fn fix_protocol(endpoint: &Endpoint) -> String {
    if endpoint.is_https() {
        "protocol http: drop --secure (and IMDS_SECURE), or use an http:// --endpoint".to_string()
    } else {
        "protocol https (secure access): use `imds --secure`".to_string()
    }
}

/// The whole fix for silence after connect.
pub fn fix_silence(endpoint: &Endpoint) -> Vec<String> {
    FIX_SILENCE
        .iter()
        .map(|s| s.to_string())
        .chain(std::iter::once(fix_protocol(endpoint)))
        .collect()
}
