//! Fault rules: what goes wrong, for which requests, and how many times. It decides; the server
//! carries the decision out on the wire.
//!
//! A rule is the JSON object `POST /_mock/faults` takes (and `--fault` at start):
//! `{"kind": K, "count": N, "path": "/prefix", …}`. `count` is how many matching requests it
//! applies to (absent: all), `path` a prefix of the request path (absent: every service path).
//! Rules apply in the order added: every matching `latency` rule adds its delay, then the first
//! matching rule of any other kind decides the answer. `token_ttl` rules are consulted only
//! when a token is minted.
//!
//! Kinds and their fields: `status` (`status`, `retry_after`), `drop`, `hang`, `latency` (`ms`),
//! `truncate`, `oversize` (`bytes`, default 64 MiB; `"chunked": true` streams it with
//! `Transfer-Encoding: chunked` and no `Content-Length`), `token_ttl` (`seconds`), `not_json`.

use serde_json::{Map, Value, json};
use std::time::Duration;

/// The default size of an `oversize` body: 64 MiB, far over any sane client cap.
pub const DEFAULT_OVERSIZE_BYTES: u64 = 64 * 1024 * 1024;

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
    /// Accept the request and never answer (the service when disabled, spec §1.2).
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

    /// Parses the control path's JSON form; the error names the bad field.
    pub fn from_json(value: &Value) -> Result<Rule, String> {
        let Some(object) = value.as_object() else {
            return Err("a fault rule must be a JSON object".to_string());
        };
        let kind = object
            .get("kind")
            .and_then(Value::as_str)
            .ok_or("field `kind` is missing or not a string")?;
        let allowed: &[&str] = match kind {
            "status" => &["status", "retry_after"],
            "latency" => &["ms"],
            "oversize" => &["bytes", "chunked"],
            "token_ttl" => &["seconds"],
            "drop" | "hang" | "truncate" | "not_json" => &[],
            other => {
                return Err(format!(
                    "field `kind`: unknown fault `{other}` (use status, drop, hang, latency, \
                     truncate, oversize, token_ttl or not_json)"
                ));
            }
        };
        for key in object.keys() {
            if !["kind", "count", "path"].contains(&key.as_str())
                && !allowed.contains(&key.as_str())
            {
                return Err(format!("field `{key}` is not known for kind `{kind}`"));
            }
        }
        let fault = match kind {
            "status" => {
                let status = uint(object, "status")?.ok_or("field `status` is required")?;
                if !(200..=599).contains(&status) {
                    return Err(format!(
                        "field `status`: {status} is not a final HTTP status (200-599)"
                    ));
                }
                Fault::Status {
                    status: status as u16,
                    retry_after: uint(object, "retry_after")?,
                }
            }
            "drop" => Fault::Drop,
            "hang" => Fault::Hang,
            "latency" => Fault::Latency(Duration::from_millis(
                uint(object, "ms")?.ok_or("field `ms` is required")?,
            )),
            "truncate" => Fault::Truncate,
            "oversize" => Fault::Oversize {
                bytes: uint(object, "bytes")?.unwrap_or(DEFAULT_OVERSIZE_BYTES),
                chunked: match object.get("chunked") {
                    None | Some(Value::Null) => false,
                    Some(Value::Bool(b)) => *b,
                    Some(_) => return Err("field `chunked` must be true or false".to_string()),
                },
            },
            "token_ttl" => {
                let seconds = match object.get("seconds") {
                    Some(v) => v
                        .as_f64()
                        .filter(|s| s.is_finite() && *s >= 0.0)
                        .ok_or("field `seconds` must be a number of seconds, 0 or more")?,
                    None => return Err("field `seconds` is required".to_string()),
                };
                Fault::TokenTtl(Duration::from_secs_f64(seconds))
            }
            _ => Fault::NotJson,
        };
        let path = match object.get("path") {
            None | Some(Value::Null) => None,
            Some(Value::String(p)) => Some(p.clone()),
            Some(_) => return Err("field `path` must be a string".to_string()),
        };
        Ok(Rule {
            fault,
            remaining: uint(object, "count")?,
            path,
        })
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

fn uint(object: &Map<String, Value>, key: &str) -> Result<Option<u64>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("field `{key}` must be a whole number, 0 or more")),
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
                    plan.latency += *d;
                    rule.consume();
                }
                Fault::TokenTtl(_) => {}
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
        ] {
            let err = Rule::from_json(&serde_json::from_str(text).unwrap()).unwrap_err();
            assert!(err.contains(field), "{text}: {err}");
        }
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
}
