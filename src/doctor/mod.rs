//! `imds doctor`: checks, in order, what stands between this process and the metadata service,
//! prints one `✓`/`✗` line per check and, under each `✗`, how to fix it.
//!
//! It owns the checks and their wording, and the name-resolution and TCP probes (std::net). The
//! token and metadata requests go through the client's HTTP layer, behind [`Service`], so there is
//! one HTTP client in the program and the checks can be tested without a network.
//!
//! The order follows the path of a request (docs/SERVICE.md §1.2 lists the causes of no answer):
//!
//! 1. environment: proxy variables (which would have broken curl; imds ignores them) and the
//!    `IMDS_*` overrides in force; never fails
//! 2. name resolution of the endpoint's host, when it is a name other than `localhost`
//! 3. TCP connect to the endpoint
//! 4. the token request gets an answer (silence after connect: service disabled, hop limit too
//!    low, wrong protocol)
//! 5. the version date is accepted
//! 6. a metadata read (`GET /metadata/v1/instance`); a 404 there after a token was minted is a
//!    bare metal server, which serves the identity API only, and passes
//!
//! Each step is bounded by `--timeout`. The first failed check ends the run: the later ones
//! depend on it. The exit code is that check's (docs/ARCHITECTURE.md §4).

mod check;
mod network;
mod requests;

use std::io::Write;

use crate::client::Target;
use crate::error::Error;
use crate::resource::METADATA_PREFIX;
use crate::session::{self, Session};
use crate::settings::{Settings, VARIABLES};
use crate::text::sanitize;

use check::{Check, Service, Subject};
use network::{connect, resolve};
use requests::{metadata, token};

/// Proxy variables curl honours for metadata requests (curl ignores upper-case `HTTP_PROXY`, but
/// other tools read it, so it is reported too).
const PROXY_VARIABLES: &[&str] = &[
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
];

/// `imds doctor` with the run's settings: the checks against the configured endpoint, with the
/// token and metadata requests made by a session.
pub fn run_with_settings(settings: &Settings, out: &mut Vec<u8>) -> Result<(), Error> {
    // Each step is bounded by --timeout alone: under --wait (IMDS_WAIT) a disabled service
    // would turn the diagnosis into a long wait.
    let mut settings = settings.clone();
    settings.deadline = None;
    settings.wait = None;
    let subject = Subject {
        endpoint: settings.endpoint.clone(),
        api_version: settings.api_version.to_string(),
        token_path: session::token_path(&settings.api_version).to_string(),
        timeout: settings.timeout,
    };
    let mut service = SessionService {
        settings,
        session: None,
    };
    run(
        &subject,
        &|name| std::env::var(name).ok(),
        &mut service,
        out,
    )
}

/// [`Service`] over the run's one session: a freshly minted token (doctor checks the token
/// request even when `IMDS_TOKEN` is set), then the instance document read with it.
struct SessionService {
    settings: Settings,
    /// Made on first use, so a client that cannot be built (a bad `--cacert`) fails the token
    /// check rather than doctor as a whole.
    session: Option<Session>,
}

impl SessionService {
    fn session(&mut self) -> Result<&Session, Error> {
        let session = match self.session.take() {
            Some(session) => session,
            None => Session::new(&self.settings)?,
        };
        Ok(self.session.insert(session))
    }
}

impl Service for SessionService {
    fn token(&mut self) -> Result<(), Error> {
        self.session()?.mint_now()
    }

    fn instance(&mut self) -> Result<serde_json::Value, Error> {
        let path = format!("{METADATA_PREFIX}instance");
        self.session()?.call(
            &Target::document(&path, "the service has no instance document"),
            None,
        )
    }
}

/// Runs the checks, writes their lines into `out`, and returns the first failure as an error
/// whose kind gives the exit code.
pub fn run(
    target: &Subject,
    env: &dyn Fn(&str) -> Option<String>,
    service: &mut dyn Service,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    let mut emit = |check: Check| -> Result<(), Error> {
        write_check(out, &check);
        match check.result {
            Ok(_) => Ok(()),
            Err(failure) => Err(Error::check(check.name, failure.kind)),
        }
    };
    emit(environment(env))?;
    emit(resolve(target))?;
    emit(connect(target))?;
    let (token, version) = token(target, service);
    emit(token)?;
    emit(version)?;
    emit(metadata(target, service))
}

/// One check's lines. Details and fixes carry text from the service and the environment (an
/// instance name, an error message, a variable): each goes through [`sanitize`], so no escape
/// sequence, carriage return, newline or bidi control reaches the terminal or forges a `✓` line.
fn write_check(out: &mut Vec<u8>, check: &Check) {
    // Writing into a Vec cannot fail.
    let _ = match &check.result {
        Ok(detail) => writeln!(out, "✓ {}: {}", check.name, sanitize(detail)),
        Err(failure) => writeln!(out, "✗ {}: {}", check.name, sanitize(&failure.what)),
    };
    if let Err(failure) = &check.result {
        for (i, line) in failure.fix.iter().enumerate() {
            let lead = if i == 0 { "  fix: " } else { "       " };
            let _ = writeln!(out, "{lead}{}", sanitize(line));
        }
    }
}

/// 1. Proxy variables and `IMDS_*` overrides. Reports, never fails.
fn environment(env: &dyn Fn(&str) -> Option<String>) -> Check {
    let set = |names: &[&str]| -> Vec<String> {
        names
            .iter()
            .filter(|n| env(n).is_some_and(|v| !v.is_empty()))
            .map(|n| n.to_string())
            .collect()
    };
    let proxies = set(PROXY_VARIABLES);
    let overrides: Vec<String> = set(VARIABLES)
        .into_iter()
        .map(|name| {
            let value = if name == "IMDS_TOKEN" {
                "[redacted]".to_string()
            } else {
                // Sanitised with the rest of the line, in `write_check`.
                env(&name).unwrap_or_default()
            };
            format!("{name}={value}")
        })
        .collect();
    let proxy_text = if proxies.is_empty() {
        "no proxy variables".to_string()
    } else {
        format!(
            "{} set (curl would send metadata requests through the proxy unless no_proxy \
             names the host; imds ignores proxies)",
            proxies.join(", ")
        )
    };
    let override_text = if overrides.is_empty() {
        "no IMDS_* overrides".to_string()
    } else {
        format!("in force: {}", overrides.join(" "))
    };
    Check {
        name: "environment",
        result: Ok(format!("{proxy_text}; {override_text}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;
    use crate::values::Endpoint;
    use std::net::TcpListener;
    use std::time::Duration;

    /// A service whose answers are given in advance.
    struct Fake {
        token: Result<(), Error>,
        instance: Result<serde_json::Value, Error>,
    }

    impl Service for Fake {
        fn token(&mut self) -> Result<(), Error> {
            self.token.clone()
        }
        fn instance(&mut self) -> Result<serde_json::Value, Error> {
            self.instance.clone()
        }
    }

    fn healthy() -> Fake {
        Fake {
            token: Ok(()),
            instance: Ok(
                serde_json::json!({"name": "my-instance", "zone": {"name": "us-south-1"}}),
            ),
        }
    }

    fn target(endpoint: &str) -> Subject {
        Subject {
            endpoint: Endpoint::parse(endpoint).unwrap(),
            api_version: "2025-08-26".to_string(),
            token_path: "/identity/v1/token".to_string(),
            timeout: Duration::from_millis(500),
        }
    }

    fn doctor(
        endpoint: &str,
        env: &[(&str, &str)],
        fake: &mut Fake,
    ) -> (Result<(), Error>, String) {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let lookup = |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let mut out = Vec::new();
        let result = run(&target(endpoint), &lookup, fake, &mut out);
        (result, String::from_utf8(out).unwrap())
    }

    #[test]
    fn all_checks_pass_against_a_listening_port() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (result, out) = doctor(&url, &[], &mut healthy());
        assert!(result.is_ok(), "{out}");
        assert_eq!(
            out.lines().filter(|l| l.starts_with("✓ ")).count(),
            6,
            "{out}"
        );
        assert!(
            out.contains("instance my-instance, zone us-south-1"),
            "{out}"
        );
    }

    #[test]
    fn silence_after_connect_names_disabled_service_and_hop_limit() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mut fake = healthy();
        fake.token = Err(Error::from(crate::error::TransportError {
            transport: crate::error::Transport::Timeout(Duration::from_secs(2)),
            endpoint: url.clone(),
            attempts: Default::default(),
        }));
        let (result, out) = doctor(&url, &[], &mut fake);
        assert_eq!(result.unwrap_err().kind(), Kind::Unreachable);
        assert!(
            out.contains("✗ token: PUT /identity/v1/token: no answer"),
            "{out}"
        );
        assert!(out.contains("--metadata-service true"), "{out}");
        assert!(
            out.contains("--metadata-service-response-hop-limit 2"),
            "{out}"
        );
        assert!(out.contains("--secure"), "{out}");
        assert!(
            !out.contains("version date"),
            "stops at the first failure: {out}"
        );
    }

    #[test]
    fn rejected_version_fails_the_version_check() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mut fake = healthy();
        fake.token = Err(Error::from(crate::error::ServiceError {
            status: 400,
            code: Some("invalid_version_range".into()),
            message: Some("The `version` value cannot be before `2022-03-01`.".into()),
            ..Default::default()
        }));
        let (result, out) = doctor(&url, &[], &mut fake);
        assert_eq!(result.unwrap_err().kind(), Kind::Other);
        assert!(out.contains("✓ token"), "{out}");
        assert!(out.contains("✗ version date"), "{out}");
        assert!(out.contains("fix: use a date"), "{out}");
    }

    #[test]
    fn a_message_that_mentions_the_version_is_not_a_version_rejection() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mut fake = healthy();
        fake.token = Err(Error::from(crate::error::ServiceError {
            status: 400,
            code: Some("unknown_field".into()),
            message: Some("Unknown property `version_hint`".into()),
            ..Default::default()
        }));
        let (result, out) = doctor(&url, &[], &mut fake);
        assert_eq!(result.unwrap_err().kind(), Kind::Other);
        assert!(out.contains("✗ token: the token request failed"), "{out}");
        assert!(!out.contains("version date"), "{out}");
    }

    #[test]
    fn a_missing_token_path_is_a_version_rejection() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mut fake = healthy();
        fake.token = Err(Error::from(crate::error::ServiceError {
            status: 404,
            not_found: "the service has no token path /identity/v1/token for version 2025-08-26"
                .into(),
            ..Default::default()
        }));
        let (result, out) = doctor(&url, &[], &mut fake);
        assert_eq!(result.unwrap_err().kind(), Kind::NotFound);
        assert!(out.contains("✗ version date"), "{out}");
    }

    #[test]
    fn closed_port_fails_the_connect_check() {
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let (result, out) = doctor(&format!("http://127.0.0.1:{port}"), &[], &mut healthy());
        assert_eq!(result.unwrap_err().kind(), Kind::Unreachable);
        assert!(
            out.contains("✗ connect:") && out.contains("refused"),
            "{out}"
        );
        assert!(out.contains("  fix: "), "{out}");
    }

    #[test]
    fn environment_reports_proxies_and_redacts_the_token() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let env = [
            ("http_proxy", "http://proxy:3128"),
            ("IMDS_TOKEN", "secret-token"),
            ("IMDS_TIMEOUT", "1s"),
        ];
        let (_, out) = doctor(&url, &env, &mut healthy());
        let first = out.lines().next().unwrap();
        assert!(
            first.starts_with("✓ environment: http_proxy set"),
            "{first}"
        );
        assert!(first.contains("imds ignores proxies"), "{first}");
        assert!(first.contains("IMDS_TOKEN=[redacted]"), "{first}");
        assert!(first.contains("IMDS_TIMEOUT=1s"), "{first}");
        assert!(!out.contains("secret-token"), "{out}");
    }

    #[test]
    fn addresses_and_localhost_need_no_resolution() {
        for url in [
            "http://127.0.0.1:1",
            "http://[::1]:1",
            "https://localhost:1",
        ] {
            assert!(
                resolve(&target(url))
                    .result
                    .unwrap()
                    .ends_with("needs none")
            );
        }
    }
}
