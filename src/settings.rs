//! What the user typed, turned into what we will do: endpoint, version date, timeouts, colour,
//! output mode. Code below `Settings` never sees clap types.
//!
//! The rules for what a valid duration, date or endpoint is live in [`crate::values`].

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::cli::{ColorWhen, GlobalArgs};
use crate::error::Error;
use crate::output::OutputOptions;
use crate::text::clip;
use crate::token::Token;
use crate::values::{
    ApiVersion, DEFAULT_ENDPOINT, DEFAULT_SECURE_ENDPOINT, Endpoint, parse_duration,
};

/// Time allowed for each attempt unless `--timeout` or `IMDS_TIMEOUT` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// What this run will do, resolved once from the command line and the environment.
///
/// Precedence, for each value:
/// 1. a command-line flag (`--endpoint`, `--secure`, `--api-version`, `--timeout`, `--wait`,
///    `--color`);
/// 2. its environment variable (`IMDS_ENDPOINT`, `IMDS_SECURE`, `IMDS_API_VERSION`,
///    `IMDS_TIMEOUT`, `IMDS_WAIT`; `NO_COLOR` for `--color auto`; `IMDS_TOKEN`, which has no flag
///    so it never shows up in a process listing);
/// 3. the default: [`DEFAULT_ENDPOINT`] (or [`DEFAULT_SECURE_ENDPOINT`] with `--secure`),
///    version 2025-08-26, 2 s per attempt, no waiting, colour only on a terminal.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Base URL without a trailing slash: `scheme://host[:port]`.
    pub endpoint: Endpoint,
    /// The `version=` date, which also picks the token path family.
    pub api_version: ApiVersion,
    /// Time allowed for each attempt (connect, request, answer).
    pub timeout: Duration,
    /// With `--wait`: when the whole run must be over (measured from process start).
    pub deadline: Option<Instant>,
    /// The `--wait` duration itself, for messages.
    pub wait: Option<Duration>,
    /// Extra CA certificate for HTTPS.
    pub cacert: Option<PathBuf>,
    /// A token from `IMDS_TOKEN`, used instead of minting one.
    pub env_token: Option<Token>,
    /// One stderr line per HTTP attempt.
    pub verbose: bool,
    /// How to print: `--field`, `--compact`, `--null`, and the colour decision.
    pub output: OutputOptions,
}

impl Settings {
    /// Resolves the global options against the process environment; `start` is when the process
    /// started (the `--wait` deadline counts from it).
    pub fn from_args(args: &GlobalArgs, start: Instant) -> Result<Settings, Error> {
        Settings::resolve(
            args,
            start,
            |name| std::env::var(name).ok(),
            std::io::stdout().is_terminal(),
        )
    }

    /// [`Settings::from_args`] with the environment and the terminal test passed in (for tests).
    pub fn resolve(
        args: &GlobalArgs,
        start: Instant,
        env: impl Fn(&str) -> Option<String>,
        stdout_is_terminal: bool,
    ) -> Result<Settings, Error> {
        // A flag wins over its variable, which is then not even read, so a stale or bad variable
        // cannot break a command that says what it wants. An empty variable counts as unset,
        // except IMDS_ENDPOINT: a script whose endpoint came out empty must not silently reach
        // the real service instead of the one it meant.
        let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let secure = args.secure
            || var("IMDS_SECURE")
                .map(|v| parse_switch(&v))
                .transpose()?
                .unwrap_or(false);
        let given = args.endpoint.clone().or_else(|| env("IMDS_ENDPOINT"));
        let endpoint = resolve_endpoint(given.as_deref(), secure)?;
        let api_version = match &args.api_version {
            Some(date) => date.clone(),
            None => from_env(
                var("IMDS_API_VERSION"),
                "IMDS_API_VERSION",
                ApiVersion::parse,
            )?
            .unwrap_or_default(),
        };
        let timeout = match args.timeout {
            Some(t) => t,
            None => from_env(var("IMDS_TIMEOUT"), "IMDS_TIMEOUT", parse_duration)?
                .unwrap_or(DEFAULT_TIMEOUT),
        };
        let wait = match args.wait {
            Some(w) => Some(w),
            None => from_env(var("IMDS_WAIT"), "IMDS_WAIT", parse_duration)?,
        };
        let env_token = match env("IMDS_TOKEN") {
            Some(text) if !text.trim().is_empty() => Some(Token::from_env(text.trim())?),
            _ => None,
        };
        let color = match args.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => env("NO_COLOR").is_none_or(|v| v.is_empty()) && stdout_is_terminal,
        };
        if timeout.is_zero() {
            return Err(Error::usage("--timeout must be more than 0")
                .with_hint("give the time each attempt may take, like --timeout 2s"));
        }
        // A zero deadline would end the run before its first attempt; leaving --wait out is
        // how to say "do not wait".
        if wait.is_some_and(|w| w.is_zero()) {
            return Err(Error::usage("--wait must be more than 0").with_hint(
                "leave --wait (and IMDS_WAIT) out to fail fast, or give a time like --wait 60s",
            ));
        }
        Ok(Settings {
            endpoint,
            api_version,
            timeout,
            deadline: wait.map(|w| start + w),
            wait,
            cacert: args.cacert.clone(),
            env_token,
            verbose: args.verbose,
            output: OutputOptions {
                fields: args.field.clone(),
                compact: args.compact,
                null: args.null,
                color,
            },
        })
    }

    /// Whether the endpoint is reached over HTTPS.
    pub fn is_https(&self) -> bool {
        self.endpoint.is_https()
    }
}

/// Parses the value of the variable `name`, when set, with a flag's value parser.
fn from_env<T>(
    value: Option<String>,
    name: &str,
    parse: fn(&str) -> Result<T, String>,
) -> Result<Option<T>, Error> {
    value
        .map(|v| {
            parse(v.trim()).map_err(|why| {
                Error::usage(format!("bad {name}: {why}")).with_hint(format!("fix or unset {name}"))
            })
        })
        .transpose()
}

/// Reads an on/off variable such as `IMDS_SECURE`.
fn parse_switch(text: &str) -> Result<bool, Error> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(Error::usage(format!(
            "bad IMDS_SECURE '{}': use 1 or 0 (true/false, yes/no, on/off)",
            clip(text)
        ))
        .with_hint("fix or unset IMDS_SECURE")),
    }
}

/// Picks and checks the base URL: an `http` or `https` URL with a host and nothing after it
/// (a trailing slash is dropped). `--secure` means HTTPS, so it refuses an `http://` URL.
fn resolve_endpoint(given: Option<&str>, secure: bool) -> Result<Endpoint, Error> {
    let given = given.map(str::trim);
    if given == Some("") {
        return Err(
            Error::usage("the endpoint is empty (--endpoint or IMDS_ENDPOINT)").with_hint(
                "give a base URL like http://169.254.169.254, or unset IMDS_ENDPOINT for the default",
            ),
        );
    }
    let text = given.unwrap_or(if secure {
        DEFAULT_SECURE_ENDPOINT
    } else {
        DEFAULT_ENDPOINT
    });
    let endpoint = Endpoint::parse(text).map_err(|why| {
        Error::usage(format!("bad endpoint '{}': {why}", clip(text))).with_hint(
            "use a base URL like http://169.254.169.254 or https://api.metadata.cloud.ibm.com",
        )
    })?;
    if secure && !endpoint.is_https() {
        return Err(Error::usage(format!(
            "--secure needs an https:// endpoint, not '{}'",
            clip(text)
        ))
        .with_hint("drop --secure (or IMDS_SECURE), or use https://api.metadata.cloud.ibm.com"));
    }
    if endpoint.is_https() && !cfg!(feature = "tls") {
        return Err(Error::usage(format!(
            "cannot reach '{}': imds was built without TLS support",
            clip(text)
        ))
        .with_hint("use an http:// endpoint, or a build with the `tls` feature"));
    }
    Ok(endpoint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn settings(args: &[&str], env: &[(&str, &str)], tty: bool) -> Result<Settings, Error> {
        let mut argv = vec!["imds"];
        argv.extend_from_slice(args);
        argv.push("instance");
        let cli = crate::cli::Cli::try_parse_from(argv).unwrap();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::resolve(
            &cli.global,
            Instant::now(),
            |name| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            tty,
        )
    }

    #[test]
    fn endpoints() {
        let s = settings(&[], &[], false).unwrap();
        assert_eq!(s.endpoint.as_str(), DEFAULT_ENDPOINT);
        let s = settings(&["--secure"], &[], false).unwrap();
        assert_eq!(s.endpoint.as_str(), DEFAULT_SECURE_ENDPOINT);
        let s = settings(&["--endpoint", "http://127.0.0.1:8080/"], &[], false).unwrap();
        assert_eq!(s.endpoint.as_str(), "http://127.0.0.1:8080");
        let s = settings(&["--endpoint", "http://[::1]:8080"], &[], false).unwrap();
        assert_eq!(s.endpoint.as_str(), "http://[::1]:8080");
        for bad in [
            "ftp://x",
            "http://",
            "http:///x",
            "http://h/path",
            "http://h?x",
            "http://u@h",
            "169.254.169.254",
            "http://:80",
        ] {
            let e = settings(&["--endpoint", bad], &[], false).unwrap_err();
            assert_eq!(e.kind(), crate::error::Kind::Usage, "{bad}");
        }
        let e = settings(&["--secure", "--endpoint", "http://h"], &[], false).unwrap_err();
        assert!(e.message().contains("--secure"), "{}", e.message());
    }

    #[test]
    fn an_empty_endpoint_is_refused_not_replaced_by_the_default() {
        for (args, env) in [
            (&["--endpoint", ""][..], &[][..]),
            (&["--endpoint", " "][..], &[][..]),
            (&[][..], &[("IMDS_ENDPOINT", "")][..]),
            (&["--secure"][..], &[("IMDS_ENDPOINT", " ")][..]),
        ] {
            let e = settings(args, env, false).unwrap_err();
            assert_eq!(e.kind(), crate::error::Kind::Usage, "{args:?} {env:?}");
            assert!(e.message().contains("empty"), "{}", e.message());
        }
    }

    #[test]
    fn colour_precedence() {
        assert!(settings(&[], &[], true).unwrap().output.color);
        assert!(!settings(&[], &[], false).unwrap().output.color);
        assert!(
            !settings(&[], &[("NO_COLOR", "1")], true)
                .unwrap()
                .output
                .color
        );
        assert!(
            settings(&[], &[("NO_COLOR", "")], true)
                .unwrap()
                .output
                .color
        );
        assert!(
            settings(&["--color", "always"], &[("NO_COLOR", "1")], false)
                .unwrap()
                .output
                .color
        );
        assert!(
            !settings(&["--color", "never"], &[], true)
                .unwrap()
                .output
                .color
        );
    }

    #[test]
    fn env_token_and_wait() {
        let s = settings(&["--wait", "5s"], &[("IMDS_TOKEN", " abc ")], false).unwrap();
        assert_eq!(s.env_token.unwrap().expose(), "abc");
        assert!(s.deadline.is_some());
        assert!(
            settings(&[], &[("IMDS_TOKEN", "")], false)
                .unwrap()
                .env_token
                .is_none()
        );
        assert!(settings(&["--timeout", "0s"], &[], false).is_err());
        for zero in ["0", "0s", "0ms"] {
            let e = settings(&["--wait", zero], &[], false).unwrap_err();
            assert_eq!(e.kind(), crate::error::Kind::Usage, "{zero}");
            assert!(e.hint().is_some());
        }
    }
}
