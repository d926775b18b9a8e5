//! Fault rules: what goes wrong, for which requests, and how many times. It decides; the server
//! carries the decision out on the wire.
//!
//! A rule is the JSON object `POST /_mock/faults` takes (and `--fault` at start):
//! `{"kind": K, "count": N, "path": "/prefix", …}`. `count` is how many matching requests it
//! applies to (absent: all), `path` a prefix of the request path (absent: every service path).
//! Rules apply in the order added: every matching `latency` rule adds its delay, then the first
//! matching rule of any other kind decides the answer. `token_ttl` rules are consulted only
//! when a token is minted, `bad_chain` rules only when a certificate is asked for.
//!
//! Kinds and their fields: `status` (`status`, `retry_after`), `drop`, `hang`, `latency` (`ms`),
//! `truncate`, `oversize` (`bytes`, default 64 MiB; `"chunked": true` streams it with
//! `Transfer-Encoding: chunked` and no `Content-Length`), `token_ttl` (`seconds`), `not_json`,
//! `bad_chain` (`defect`: one of [`ChainDefect::NAMES`]).
//!
//! Every field is checked against its range, whether it came as JSON or from a flag: `status`
//! 200-599, `retry_after` at most a day, `ms` and `seconds` at most a week, `bytes` at most
//! 1 TiB, `count` any whole number, `path` starting with `/` (at most 1 KiB). Rules are read
//! with serde into a flat struct, which parses the same with or without serde_json's
//! `arbitrary_precision` (internally tagged enums would not hold numbers there).

use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;

/// The default size of an `oversize` body: 64 MiB, far over any sane client cap.
pub const DEFAULT_OVERSIZE_BYTES: u64 = 64 * 1024 * 1024;
/// The largest `oversize` body: 1 TiB, streamed, never held.
pub const MAX_OVERSIZE_BYTES: u64 = 1 << 40;
/// The longest `latency`, milliseconds: a week, the longest duration the command line takes.
pub const MAX_LATENCY_MS: u64 = 7 * 24 * 3600 * 1000;
/// The largest `retry_after`, seconds: a day.
pub const MAX_RETRY_AFTER: u64 = 86_400;
/// The largest `token_ttl`, seconds: a week, as for `latency` (a cap over the longest lifetime a
/// token can ask for, an hour, changes nothing).
pub const MAX_TOKEN_TTL: f64 = 7.0 * 24.0 * 3600.0;
/// The longest `path` prefix, bytes.
pub const MAX_PATH_BYTES: usize = 1024;

/// One way to misbehave.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer with this status and an IBM-shaped error body, with `Retry-After` when set.
    Status {
        status: u16,
        retry_after: Option<u64>,
    },
    /// Close the connection without an answer.
    Drop,
    /// Accept the request and never answer (the service when disabled, docs/SERVICE.md §1.2).
    Hang,
    /// Wait, then answer normally.
    Latency(Duration),
    /// Send the real answer's head and half its body, then close.
    Truncate,
    /// Answer 200 with a JSON-looking body `bytes` long, written piece by piece, never held
    /// whole. With `Content-Length` (a client can refuse it before reading), or with `chunked`
    /// transfer encoding and no length (a client must cap it while reading).
    Oversize { bytes: u64, chunked: bool },
    /// Tokens minted while this applies live at most this long.
    TokenTtl(Duration),
    /// Answer 200 with a body that is not JSON.
    NotJson,
    /// Issue certificates in a chain spoilt this way.
    BadChain(ChainDefect),
}

/// How a `bad_chain` fault spoils the certificate chain of a successful `…/certificates`
/// answer, for clients that must check what they are given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChainDefect {
    /// The leaf is a valid certificate from the emulator's CA, for a key of the emulator's own
    /// rather than the CSR's.
    WrongKey,
    /// The leaf and the intermediate in one entry: two PEM blocks in one string.
    Joined,
    /// The leaf is a PEM block labelled CERTIFICATE whose bytes are not a certificate.
    NotX509,
    /// The leaf is text with no PEM block at all.
    NotPem,
}

impl ChainDefect {
    /// The names rules use, as `defect`.
    pub const NAMES: [&'static str; 4] = ["wrong_key", "joined", "not_x509", "not_pem"];

    /// The rule's name for it.
    pub fn name(self) -> &'static str {
        match self {
            ChainDefect::WrongKey => Self::NAMES[0],
            ChainDefect::Joined => Self::NAMES[1],
            ChainDefect::NotX509 => Self::NAMES[2],
            ChainDefect::NotPem => Self::NAMES[3],
        }
    }
}

impl Fault {
    /// The rule's `kind` name.
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::Status { .. } => "status",
            Fault::Drop => "drop",
            Fault::Hang => "hang",
            Fault::Latency(_) => "latency",
            Fault::Truncate => "truncate",
            Fault::Oversize { .. } => "oversize",
            Fault::TokenTtl(_) => "token_ttl",
            Fault::NotJson => "not_json",
            Fault::BadChain(_) => "bad_chain",
        }
    }
}

/// A fault with its scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub fault: Fault,
    /// Matching requests left; `None` = unlimited.
    pub remaining: Option<u64>,
    /// Path prefix; `None` = every service path.
    pub path: Option<String>,
}

impl Rule {
    /// A rule for every request.
    pub fn always(fault: Fault) -> Rule {
        Rule {
            fault,
            remaining: None,
            path: None,
        }
    }

    /// Reads the control path's JSON form, checking every field's type and range; the error
    /// names the bad field.
    pub fn from_json(value: &Value) -> Result<Rule, String> {
        if !value.is_object() {
            return Err("a fault rule must be a JSON object".to_string());
        }
        let spec: Spec = serde_path_to_error::deserialize(value).map_err(|e| {
            match e.path().to_string().as_str() {
                "." => e.inner().to_string(),
                field => format!("field `{field}`: {}", e.inner()),
            }
        })?;
        let kind = spec.kind.name();
        let allowed: &[&str] = match spec.kind {
            Kind::Status => &["status", "retry_after"],
            Kind::Latency => &["ms"],
            Kind::Oversize => &["bytes", "chunked"],
            Kind::TokenTtl => &["seconds"],
            Kind::BadChain => &["defect"],
            Kind::Drop | Kind::Hang | Kind::Truncate | Kind::NotJson => &[],
        };
        let present = value.as_object().into_iter().flat_map(|o| o.keys());
        for key in present {
            if !["kind", "count", "path"].contains(&key.as_str())
                && !allowed.contains(&key.as_str())
            {
                return Err(format!("field `{key}` is not known for kind `{kind}`"));
            }
        }
        let required = |field: Option<u64>, name: &str| {
            field.ok_or_else(|| format!("field `{name}` is required"))
        };
        let fault = match spec.kind {
            Kind::Status => Fault::Status {
                status: required(spec.status.map(u64::from), "status")? as u16,
                retry_after: spec.retry_after,
            },
            Kind::Drop => Fault::Drop,
            Kind::Hang => Fault::Hang,
            Kind::Latency => Fault::Latency(Duration::from_millis(required(spec.ms, "ms")?)),
            Kind::Truncate => Fault::Truncate,
            Kind::Oversize => Fault::Oversize {
                bytes: spec.bytes.unwrap_or(DEFAULT_OVERSIZE_BYTES),
                chunked: spec.chunked.unwrap_or(false),
            },
            Kind::TokenTtl => {
                let seconds = spec.seconds.ok_or("field `seconds` is required")?;
                Fault::TokenTtl(seconds_in_range(&seconds)?)
            }
            Kind::NotJson => Fault::NotJson,
            Kind::BadChain => Fault::BadChain(spec.defect.ok_or("field `defect` is required")?),
        };
        let rule = Rule {
            fault,
            remaining: spec.count,
            path: spec.path,
        };
        rule.check()?;
        Ok(rule)
    }

    /// Checks every field against its range (the same for rules from flags and from JSON); the
    /// error names the field.
    pub fn check(&self) -> Result<(), String> {
        match &self.fault {
            Fault::Status {
                status,
                retry_after,
            } => {
                if !(200..=599).contains(status) {
                    return Err(format!(
                        "field `status`: {status} is not a final HTTP status (200-599)"
                    ));
                }
                if let Some(r) = retry_after.filter(|r| *r > MAX_RETRY_AFTER) {
                    return Err(format!(
                        "field `retry_after`: {r} is more than {MAX_RETRY_AFTER} seconds"
                    ));
                }
            }
            Fault::Latency(d) if d.as_millis() > u128::from(MAX_LATENCY_MS) => {
                return Err(format!(
                    "field `ms`: {} is more than {MAX_LATENCY_MS} milliseconds",
                    d.as_millis()
                ));
            }
            Fault::Oversize { bytes, .. } if *bytes > MAX_OVERSIZE_BYTES => {
                return Err(format!(
                    "field `bytes`: {bytes} is more than {MAX_OVERSIZE_BYTES} (1 TiB)"
                ));
            }
            Fault::TokenTtl(d) if d.as_secs_f64() > MAX_TOKEN_TTL => {
                return Err(format!(
                    "field `seconds`: {} is more than {MAX_TOKEN_TTL}",
                    d.as_secs_f64()
                ));
            }
            _ => {}
        }
        if let Some(path) = &self.path {
            if !path.starts_with('/') || path.len() > MAX_PATH_BYTES {
                return Err(format!(
                    "field `path`: a path prefix starts with / and has at most \
                     {MAX_PATH_BYTES} bytes"
                ));
            }
        }
        Ok(())
    }

    /// The rule as JSON, in the form [`Rule::from_json`] reads.
    pub fn to_json(&self) -> Value {
        let mut v = json!({"kind": self.fault.kind()});
        let o = v.as_object_mut().expect("object");
        match &self.fault {
            Fault::Status {
                status,
                retry_after,
            } => {
                o.insert("status".into(), json!(status));
                if let Some(r) = retry_after {
                    o.insert("retry_after".into(), json!(r));
                }
            }
            Fault::Latency(d) => {
                o.insert("ms".into(), json!(d.as_millis() as u64));
            }
            Fault::Oversize { bytes, chunked } => {
                o.insert("bytes".into(), json!(bytes));
                if *chunked {
                    o.insert("chunked".into(), json!(true));
                }
            }
            Fault::TokenTtl(d) => {
                o.insert("seconds".into(), json!(d.as_secs_f64()));
            }
            Fault::BadChain(defect) => {
                o.insert("defect".into(), json!(defect.name()));
            }
            Fault::Drop | Fault::Hang | Fault::Truncate | Fault::NotJson => {}
        }
        if let Some(n) = self.remaining {
            o.insert("count".into(), json!(n));
        }
        if let Some(p) = &self.path {
            o.insert("path".into(), json!(p));
        }
        v
    }

    fn matches(&self, path: &str) -> bool {
        self.remaining != Some(0) && self.path.as_deref().is_none_or(|p| path.starts_with(p))
    }

    fn consume(&mut self) {
        if let Some(n) = &mut self.remaining {
            *n = n.saturating_sub(1);
        }
    }
}

/// A rule as it is written, before its fields are checked against its kind.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    kind: Kind,
    count: Option<u64>,
    path: Option<String>,
    status: Option<u16>,
    retry_after: Option<u64>,
    ms: Option<u64>,
    bytes: Option<u64>,
    chunked: Option<bool>,
    /// A `Number` rather than an `f64`, so that any JSON number reaches the range check.
    seconds: Option<serde_json::Number>,
    defect: Option<ChainDefect>,
}

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Status,
    Drop,
    Hang,
    Latency,
    Truncate,
    Oversize,
    TokenTtl,
    NotJson,
    BadChain,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Status => "status",
            Kind::Drop => "drop",
            Kind::Hang => "hang",
            Kind::Latency => "latency",
            Kind::Truncate => "truncate",
            Kind::Oversize => "oversize",
            Kind::TokenTtl => "token_ttl",
            Kind::NotJson => "not_json",
            Kind::BadChain => "bad_chain",
        }
    }
}

/// A `token_ttl` in seconds: finite, 0 to [`MAX_TOKEN_TTL`].
fn seconds_in_range(number: &serde_json::Number) -> Result<Duration, String> {
    match number.as_f64() {
        Some(s) if s.is_finite() && (0.0..=MAX_TOKEN_TTL).contains(&s) => {
            Ok(Duration::from_secs_f64(s))
        }
        _ => Err(format!(
            "field `seconds`: {number} is not a number of seconds from 0 to {MAX_TOKEN_TTL}"
        )),
    }
}

/// What to do with one request.
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    /// Wait this long first.
    pub latency: Duration,
    /// Then misbehave this way, or answer normally when `None`.
    pub fault: Option<Fault>,
}

/// The active rules, in the order added.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<Rule>,
}

impl Faults {
    pub fn add(&mut self, rule: Rule) {
        self.rules.push(rule);
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The rules still in force, as JSON.
    pub fn to_json(&self) -> Value {
        Value::Array(self.rules.iter().map(Rule::to_json).collect())
    }

    /// Decides what happens to a request for `path`, using up one count of each rule applied.
    pub fn plan(&mut self, path: &str) -> Plan {
        let mut plan = Plan::default();
        for rule in &mut self.rules {
            if !rule.matches(path) {
                continue;
            }
            match &rule.fault {
                Fault::Latency(d) => {
                    plan.latency = plan.latency.saturating_add(*d);
                    rule.consume();
                }
                Fault::TokenTtl(_) | Fault::BadChain(_) => {}
                fault => {
                    plan.fault = Some(fault.clone());
                    rule.consume();
                    break;
                }
            }
        }
        self.rules.retain(|r| r.remaining != Some(0));
        plan
    }

    /// The lifetime cap for a token minted through `path`, if a `token_ttl` rule applies.
    pub fn token_ttl(&mut self, path: &str) -> Option<Duration> {
        let mut cap: Option<Duration> = None;
        for rule in &mut self.rules {
            if let Fault::TokenTtl(d) = rule.fault {
                if rule.matches(path) {
                    cap = Some(cap.map_or(d, |c| c.min(d)));
                    rule.consume();
                }
            }
        }
        self.rules.retain(|r| r.remaining != Some(0));
        cap
    }

    /// How to spoil a certificate chain issued through `path`: the first `bad_chain` rule that
    /// applies, using up one of its count.
    pub fn bad_chain(&mut self, path: &str) -> Option<ChainDefect> {
        let rule = self
            .rules
            .iter_mut()
            .find(|r| matches!(r.fault, Fault::BadChain(_)) && r.matches(path))?;
        rule.consume();
        let Fault::BadChain(defect) = rule.fault else {
            unreachable!("found by its kind")
        };
        self.rules.retain(|r| r.remaining != Some(0));
        Some(defect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(text: &str) -> Rule {
        Rule::from_json(&serde_json::from_str(text).unwrap()).unwrap()
    }

    #[test]
    fn parses_and_prints_every_kind() {
        for text in [
            r#"{"kind":"status","status":503,"retry_after":1,"count":2,"path":"/metadata/"}"#,
            r#"{"kind":"drop","count":1}"#,
            r#"{"kind":"hang"}"#,
            r#"{"kind":"latency","ms":300}"#,
            r#"{"kind":"truncate"}"#,
            r#"{"kind":"oversize","bytes":100}"#,
            r#"{"kind":"oversize","bytes":100,"chunked":true}"#,
            r#"{"kind":"token_ttl","seconds":1.0}"#,
            r#"{"kind":"not_json"}"#,
            r#"{"kind":"bad_chain","defect":"wrong_key","count":1}"#,
            r#"{"kind":"bad_chain","defect":"joined"}"#,
            r#"{"kind":"bad_chain","defect":"not_x509"}"#,
            r#"{"kind":"bad_chain","defect":"not_pem"}"#,
        ] {
            let r = rule(text);
            let back: Value = serde_json::from_str(text).unwrap();
            assert_eq!(r.to_json(), back, "{text}");
        }
    }

    #[test]
    fn bad_rules_name_the_field() {
        for (text, field) in [
            (r#"{"kind":"nope"}"#, "`kind`"),
            (r#"{"status":500}"#, "`kind`"),
            (r#"{"kind":"status"}"#, "`status`"),
            (r#"{"kind":"status","status":1000}"#, "`status`"),
            (r#"{"kind":"latency","ms":-1}"#, "`ms`"),
            (r#"{"kind":"drop","count":"2"}"#, "`count`"),
            (r#"{"kind":"drop","ms":2}"#, "`ms`"),
            (r#"{"kind":"drop","path":3}"#, "`path`"),
            (r#"{"kind":"oversize","chunked":1}"#, "`chunked`"),
            (r#"{"kind":"bad_chain"}"#, "`defect`"),
            (r#"{"kind":"bad_chain","defect":"nope"}"#, "`defect`"),
            (r#"{"kind":"drop","defect":"joined"}"#, "`defect`"),
        ] {
            let err = Rule::from_json(&serde_json::from_str(text).unwrap()).unwrap_err();
            assert!(err.contains(field), "{text}: {err}");
        }
    }

    #[test]
    fn every_field_is_range_checked() {
        for (text, field) in [
            (r#"{"kind":"token_ttl","seconds":1e300}"#, "`seconds`"),
            (r#"{"kind":"token_ttl","seconds":-1}"#, "`seconds`"),
            (r#"{"kind":"token_ttl","seconds":"1"}"#, "`seconds`"),
            (r#"{"kind":"latency","ms":18446744073709551615}"#, "`ms`"),
            (r#"{"kind":"latency","ms":1.5}"#, "`ms`"),
            (r#"{"kind":"status","status":70000}"#, "`status`"),
            (r#"{"kind":"status","status":199}"#, "`status`"),
            (
                r#"{"kind":"status","status":503,"retry_after":1e9}"#,
                "`retry_after`",
            ),
            (
                r#"{"kind":"status","status":503,"retry_after":86401}"#,
                "`retry_after`",
            ),
            (
                r#"{"kind":"oversize","bytes":18446744073709551615}"#,
                "`bytes`",
            ),
            (r#"{"kind":"drop","count":-1}"#, "`count`"),
            (r#"{"kind":"drop","path":"metadata"}"#, "`path`"),
        ] {
            let err = Rule::from_json(&serde_json::from_str(text).unwrap()).unwrap_err();
            assert!(err.contains(field), "{text}: {err}");
        }
        let longest = format!(r#"{{"kind":"latency","ms":{MAX_LATENCY_MS}}}"#);
        assert!(Rule::from_json(&serde_json::from_str(&longest).unwrap()).is_ok());
    }

    #[test]
    fn counts_run_out_and_paths_scope() {
        let mut f = Faults::default();
        f.add(rule(
            r#"{"kind":"status","status":503,"count":2,"path":"/metadata/"}"#,
        ));
        assert_eq!(f.plan("/identity/v1/token").fault, None);
        assert!(matches!(
            f.plan("/metadata/v1/keys").fault,
            Some(Fault::Status { status: 503, .. })
        ));
        assert!(f.plan("/metadata/v1/keys").fault.is_some());
        assert_eq!(f.plan("/metadata/v1/keys").fault, None);
        assert_eq!(f.to_json(), json!([]));
    }

    #[test]
    fn latency_adds_up_and_first_terminal_rule_wins() {
        let mut f = Faults::default();
        f.add(rule(r#"{"kind":"latency","ms":100}"#));
        f.add(rule(r#"{"kind":"drop","count":1}"#));
        f.add(rule(r#"{"kind":"latency","ms":50}"#));
        f.add(rule(r#"{"kind":"hang"}"#));
        let first = f.plan("/x");
        assert_eq!(first.latency, Duration::from_millis(100));
        assert_eq!(first.fault, Some(Fault::Drop));
        let second = f.plan("/x");
        assert_eq!(second.latency, Duration::from_millis(150));
        assert_eq!(second.fault, Some(Fault::Hang));
    }

    #[test]
    fn token_ttl_only_applies_to_mints() {
        let mut f = Faults::default();
        f.add(rule(r#"{"kind":"token_ttl","seconds":1}"#));
        assert_eq!(f.plan("/identity/v1/token"), Plan::default());
        assert_eq!(
            f.token_ttl("/identity/v1/token"),
            Some(Duration::from_secs(1))
        );
        f.clear();
        assert_eq!(f.token_ttl("/identity/v1/token"), None);
    }

    #[test]
    fn bad_chain_only_applies_to_issued_certificates() {
        let mut f = Faults::default();
        f.add(rule(
            r#"{"kind":"bad_chain","defect":"joined","count":1,"path":"/identity/"}"#,
        ));
        f.add(rule(r#"{"kind":"bad_chain","defect":"not_pem"}"#));
        assert_eq!(f.plan("/identity/v1/certificates"), Plan::default());
        assert_eq!(
            f.bad_chain("/identity/v1/certificates"),
            Some(ChainDefect::Joined)
        );
        assert_eq!(
            f.bad_chain("/identity/v1/certificates"),
            Some(ChainDefect::NotPem)
        );
        assert_eq!(
            f.to_json(),
            json!([{"kind": "bad_chain", "defect": "not_pem"}])
        );
        for name in ChainDefect::NAMES {
            let text = format!(r#"{{"kind":"bad_chain","defect":"{name}"}}"#);
            let Fault::BadChain(defect) = rule(&text).fault else {
                panic!("{text}")
            };
            assert_eq!(defect.name(), name);
        }
    }
}
