//! What the user asked for ([`Choices`]), with the environment and the defaults, turned into what
//! we will do: endpoint, version date, timeouts, waiting, extra CA certificates, the token to
//! start from. No clap types here: the command line fills [`Choices`], and a program using the
//! library can too. How the answer is printed is the command line's business.
//!
//! The rules for what a valid duration, date or endpoint is live in [`crate::values`].

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::error::{Advice, Error};
use crate::text::clip;
use crate::token::Token;
use crate::values::{
    ApiVersion, DEFAULT_ENDPOINT, DEFAULT_SECURE_ENDPOINT, Endpoint, parse_duration,
};

/// Time allowed for each attempt unless `--timeout` or `IMDS_TIMEOUT` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);
/// The largest `--cacert` file read: a CA bundle is tens of KiB, so anything bigger is the
/// wrong file (or `/dev/zero`).
pub const CACERT_MAX_BYTES: u64 = 1024 * 1024;

/// The environment variables imds reads; `doctor` lists those that are set (the token redacted).
pub const VARIABLES: &[&str] = &[
    "IMDS_ENDPOINT",
    "IMDS_SECURE",
    "IMDS_API_VERSION",
    "IMDS_TIMEOUT",
    "IMDS_WAIT",
    "IMDS_TOKEN",
];

/// What the command line (or a program) asked for; `None` and `false` leave the choice to the
/// environment and the defaults.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// `--endpoint`.
    pub endpoint: Option<String>,
    /// `--secure`.
    pub secure: bool,
    /// `--cacert`.
    pub cacert: Option<PathBuf>,
    /// `--api-version`.
    pub api_version: Option<ApiVersion>,
    /// `--timeout`.
    pub timeout: Option<Duration>,
    /// `--wait`.
    pub wait: Option<Duration>,
    /// `--verbose`.
    pub verbose: bool,
}

/// What this run will do, resolved once from the command line and the environment.
///
/// A program builds one with [`Settings::default`] (the service's own address and imds's
/// defaults, nothing read from the environment) or [`Settings::from_env`] (the `IMDS_*`
/// variables as `imds` reads them), and may change any public field after.
///
/// ```
/// use std::time::Duration;
///
/// let mut settings = imds_client::Settings::default();
/// settings.endpoint = "http://127.0.0.1:8080".parse()?;
/// settings.timeout = Duration::from_millis(500);
/// assert_eq!(settings.endpoint.as_str(), "http://127.0.0.1:8080");
/// # Ok::<(), imds_client::Error>(())
/// ```
///
/// Precedence, for each value:
/// 1. a command-line flag (`--endpoint`, `--secure`, `--api-version`, `--timeout`, `--wait`);
/// 2. its environment variable (`IMDS_ENDPOINT`, `IMDS_SECURE`, `IMDS_API_VERSION`,
///    `IMDS_TIMEOUT`, `IMDS_WAIT`; `IMDS_TOKEN`, which has no flag so it never shows up in a
///    process listing);
/// 3. the default: `http://169.254.169.254` (or `https://api.metadata.cloud.ibm.com` with `--secure`),
///    version 2025-08-26, 2 s per attempt, no waiting.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Settings {
    /// Base URL without a trailing slash: `scheme://host[:port]`.
    pub endpoint: Endpoint,
    /// The `version=` date, which also picks the token path family.
    pub api_version: ApiVersion,
    /// Time allowed for each attempt (connect, request, answer).
    pub timeout: Duration,
    /// A moment no call may outlast, whatever `wait` says: the command line's `--wait`,
    /// counted from the process start, so that one command is bounded as a whole. `None` for
    /// a program: its calls are bounded by `wait` alone.
    pub deadline: Option<Instant>,
    /// How long each call may keep retrying (`IMDS_WAIT`, `--wait`): a window counted from the
    /// moment the call starts.
    pub wait: Option<Duration>,
    /// Extra CA certificates for HTTPS (`--cacert`), read and checked.
    pub cacert: Option<CaCert>,
    /// A token from `IMDS_TOKEN`, used instead of minting one.
    pub env_token: Option<Token>,
    /// One stderr line per HTTP attempt.
    pub verbose: bool,
}

impl Default for Settings {
    /// The service's plain-HTTP address, version 2025-08-26, 2 s per attempt, no waiting, no
    /// token given: one is minted on first use.
    fn default() -> Self {
        Settings {
            endpoint: Endpoint::default(),
            api_version: ApiVersion::default(),
            timeout: DEFAULT_TIMEOUT,
            deadline: None,
            wait: None,
            cacert: None,
            env_token: None,
            verbose: false,
        }
    }
}

impl Settings {
    /// The settings the `IMDS_*` variables give (`IMDS_ENDPOINT`, `IMDS_SECURE`,
    /// `IMDS_API_VERSION`, `IMDS_TIMEOUT`, `IMDS_WAIT`, `IMDS_TOKEN`), as `imds` reads them;
    /// `IMDS_WAIT` is a window for each call, counted from the moment the call starts.
    ///
    /// ```no_run
    /// let settings = imds_client::Settings::from_env()?;
    /// println!("asking {}", settings.endpoint);
    /// # Ok::<(), imds_client::Error>(())
    /// ```
    pub fn from_env() -> Result<Settings, Error> {
        SettingsBuilder::from_env().build()
    }

    /// A builder that starts from imds's defaults, reading no variable.
    pub fn builder() -> SettingsBuilder {
        SettingsBuilder::default()
    }

    /// [`Settings::from_env`] with the environment passed in. A program lives longer than a
    /// command: `IMDS_WAIT` is a window for each call, not a moment after which every call
    /// fails at once.
    fn for_program(
        choices: &Choices,
        env: impl Fn(&str) -> Option<OsString>,
    ) -> Result<Settings, Error> {
        let mut settings = Settings::resolve(choices, Instant::now(), env)?;
        settings.deadline = None;
        Ok(settings)
    }

    /// Resolves the choices against the process environment; `start` is when the process
    /// started (the `--wait` deadline counts from it).
    pub fn from_choices(args: &Choices, start: Instant) -> Result<Settings, Error> {
        Settings::resolve(args, start, |name| std::env::var_os(name))
    }

    /// [`Settings::from_choices`] with the environment passed in (for tests).
    #[doc(hidden)]
    pub fn resolve(
        args: &Choices,
        start: Instant,
        env: impl Fn(&str) -> Option<OsString>,
    ) -> Result<Settings, Error> {
        // A flag wins over its variable, which is then not even read, so a stale or bad variable
        // cannot break a command that says what it wants. An empty variable counts as unset,
        // except IMDS_ENDPOINT: a script whose endpoint came out empty must not silently reach
        // the real service instead of the one it meant. A variable that is set but is not UTF-8
        // is an error, never "unset": an unreadable IMDS_ENDPOINT must not mean the default.
        let text = |name: &str| -> Result<Option<String>, Error> {
            env(name)
                .map(|value| {
                    value.into_string().map_err(|_| {
                        Error::usage(format!("{name} is set but is not UTF-8 text"))
                            .with_hint(format!("fix or unset {name}"))
                    })
                })
                .transpose()
        };
        let var = |name: &str| -> Result<Option<String>, Error> {
            Ok(text(name)?.filter(|v| !v.trim().is_empty()))
        };
        let secure = args.secure
            || var("IMDS_SECURE")?
                .map(|v| parse_switch(&v))
                .transpose()?
                .unwrap_or(false);
        let given = match &args.endpoint {
            Some(flag) => Some(flag.clone()),
            None => text("IMDS_ENDPOINT")?,
        };
        let endpoint = resolve_endpoint(given.as_deref(), secure)?;
        let api_version = match &args.api_version {
            Some(date) => date.clone(),
            None => from_env(
                var("IMDS_API_VERSION")?,
                "IMDS_API_VERSION",
                ApiVersion::parse,
            )?
            .unwrap_or_default(),
        };
        let timeout = match args.timeout {
            Some(t) => t,
            None => from_env(var("IMDS_TIMEOUT")?, "IMDS_TIMEOUT", parse_duration)?
                .unwrap_or(DEFAULT_TIMEOUT),
        };
        let wait = match args.wait {
            Some(w) => Some(w),
            None => from_env(var("IMDS_WAIT")?, "IMDS_WAIT", parse_duration)?,
        };
        let env_token = match text("IMDS_TOKEN")? {
            Some(text) if !text.trim().is_empty() => Some(Token::from_env(text.trim())?),
            _ => None,
        };
        let cacert = args.cacert.as_deref().map(CaCert::read).transpose()?;
        if timeout.is_zero() {
            return Err(
                Error::usage("the timeout must be more than 0").with_advice(Advice::TimeoutZero)
            );
        }
        // A zero deadline would end the run before its first attempt; leaving --wait out is
        // how to say "do not wait".
        if wait.is_some_and(|w| w.is_zero()) {
            return Err(Error::usage("the wait must be more than 0").with_advice(Advice::WaitZero));
        }
        Ok(Settings {
            endpoint,
            api_version,
            timeout,
            deadline: wait.map(|w| start + w),
            wait,
            cacert,
            env_token,
            verbose: args.verbose,
        })
    }

    /// Whether the endpoint is reached over HTTPS.
    pub fn is_https(&self) -> bool {
        self.endpoint.is_https()
    }
}

/// The certificates of `--cacert FILE`, read once, before any request and whatever the
/// endpoint's scheme, so a wrong file is a usage error at once rather than a surprise on the
/// first HTTPS run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaCert {
    /// The file, for messages.
    pub path: PathBuf,
    /// Its contents: PEM text with at least one certificate.
    pub pem: Vec<u8>,
}

impl CaCert {
    /// Reads `path`: a regular file of at most `CACERT_MAX_BYTES` (1 MiB) holding one or more PEM
    /// certificates. A FIFO, a device (`/dev/zero`), a directory, a missing file, a larger
    /// file or one without a certificate is a usage error.
    pub fn read(path: &Path) -> Result<CaCert, Error> {
        let shown = clip(&path.display().to_string());
        let fail = |why: String| {
            Error::usage(format!("the CA certificate file {shown}: {why}"))
                .with_advice(Advice::CaCertificates)
        };
        let pem = crate::files::read_input(path, CACERT_MAX_BYTES).map_err(|e| fail(e.why))?;
        CaCert::check(path, pem).map_err(fail)
    }

    /// Extra CA certificates given as PEM text by a program (`shown` names them in messages):
    /// one or more certificates.
    pub fn from_pem(shown: &str, pem: impl Into<Vec<u8>>) -> Result<CaCert, Error> {
        CaCert::check(Path::new(shown), pem.into()).map_err(|why| {
            Error::usage(format!("the CA certificates {}: {why}", clip(shown)))
                .with_advice(Advice::CaCertificates)
        })
    }

    fn check(path: &Path, pem: Vec<u8>) -> Result<CaCert, String> {
        let mut certificates = 0;
        for item in CertificateDer::pem_slice_iter(&pem) {
            match item {
                Ok(_) => certificates += 1,
                Err(e) => return Err(format!("it is not a PEM file: {e}")),
            }
        }
        if certificates == 0 {
            return Err("it holds no PEM certificate".to_string());
        }
        Ok(CaCert {
            path: path.to_path_buf(),
            pem,
        })
    }
}

/// Builds [`Settings`] a field at a time, from imds's defaults ([`Settings::builder`]) or from
/// the `IMDS_*` variables ([`SettingsBuilder::from_env`]); a field added to the settings later
/// gets its default, so a program written against this builder keeps compiling. Values are
/// checked by [`SettingsBuilder::build`].
///
/// ```
/// use std::time::Duration;
///
/// let settings = imds_client::Settings::builder()
///     .endpoint("http://127.0.0.1:8080")
///     .timeout(Duration::from_millis(500))
///     .wait(Duration::from_secs(30))
///     .build()?;
/// assert_eq!(settings.endpoint.as_str(), "http://127.0.0.1:8080");
/// # Ok::<(), imds_client::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct SettingsBuilder {
    choices: Choices,
    api_version: Option<String>,
    cacert_pem: Option<Vec<u8>>,
    token: Option<String>,
    environment: bool,
}

impl SettingsBuilder {
    /// Starts from the `IMDS_*` variables, as [`Settings::from_env`] reads them; what the
    /// builder is told wins over them.
    pub fn from_env() -> SettingsBuilder {
        SettingsBuilder {
            environment: true,
            ..SettingsBuilder::default()
        }
    }

    /// The service's base URL, `scheme://host[:port]`.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.choices.endpoint = Some(url.into());
        self
    }

    /// HTTPS access: `https://api.metadata.cloud.ibm.com` unless an endpoint is given.
    pub fn secure(mut self, on: bool) -> Self {
        self.choices.secure = on;
        self
    }

    /// The `version=` date, `YYYY-MM-DD` (from 2022-03-01).
    pub fn api_version(mut self, date: impl Into<String>) -> Self {
        self.api_version = Some(date.into());
        self
    }

    /// Time allowed for each attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.choices.timeout = Some(timeout);
        self
    }

    /// How long each call may keep retrying, counted when the call starts.
    pub fn wait(mut self, wait: Duration) -> Self {
        self.choices.wait = Some(wait);
        self
    }

    /// Extra CA certificates for HTTPS, from a PEM file.
    pub fn cacert_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.choices.cacert = Some(path.into());
        self
    }

    /// Extra CA certificates for HTTPS, as PEM text.
    pub fn cacert_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.cacert_pem = Some(pem.into());
        self
    }

    /// An identity token to start from instead of minting one (a 401 mints a fresh one).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// One stderr line per HTTP attempt (tokens never shown).
    pub fn verbose(mut self, on: bool) -> Self {
        self.choices.verbose = on;
        self
    }

    /// The settings, every value checked.
    pub fn build(mut self) -> Result<Settings, Error> {
        if let Some(date) = &self.api_version {
            self.choices.api_version = Some(ApiVersion::parse(date.trim()).map_err(|why| {
                Error::usage(format!("bad API version date '{}': {why}", clip(date)))
            })?);
        }
        let env = |name: &str| {
            if self.environment {
                std::env::var_os(name)
            } else {
                None
            }
        };
        let mut settings = Settings::for_program(&self.choices, env)?;
        if let Some(pem) = self.cacert_pem.take() {
            settings.cacert = Some(CaCert::from_pem("given as PEM", pem)?);
        }
        if let Some(token) = &self.token {
            settings.env_token = Some(Token::from_env(token.trim())?);
        }
        Ok(settings)
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
        return Err(Error::usage("the endpoint is empty").with_advice(Advice::EndpointEmpty));
    }
    let text = given.unwrap_or(if secure {
        DEFAULT_SECURE_ENDPOINT
    } else {
        DEFAULT_ENDPOINT
    });
    let endpoint: Endpoint = text.parse()?;
    if secure && !endpoint.is_https() {
        return Err(Error::usage(format!(
            "HTTPS was asked for, but the endpoint is '{}'",
            clip(text)
        ))
        .with_advice(Advice::SecureNeedsHttps));
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

    /// A value that is not UTF-8: a byte no UTF-8 text holds.
    #[cfg(unix)]
    fn not_utf8() -> OsString {
        std::os::unix::ffi::OsStringExt::from_vec(b"1\xff".to_vec())
    }

    /// A value that is not UTF-8: on Windows, a lone surrogate.
    #[cfg(windows)]
    fn not_utf8() -> OsString {
        std::os::windows::ffi::OsStringExt::from_wide(&[0x31, 0xd800])
    }

    fn resolve(choices: &Choices, env: &[(&str, OsString)]) -> Result<Settings, Error> {
        Settings::resolve(choices, Instant::now(), |name| {
            env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone())
        })
    }

    /// A program that inherits `IMDS_WAIT=60s` from its boot environment is not cut off a
    /// minute after it read its settings.
    #[test]
    fn a_programs_wait_is_a_window_per_call() {
        let env = [("IMDS_WAIT", OsString::from("60s"))];
        let settings = Settings::for_program(&Choices::default(), |name| {
            env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone())
        })
        .unwrap();
        assert_eq!(settings.wait, Some(Duration::from_secs(60)));
        assert_eq!(settings.deadline, None);
        // The command line's --wait bounds the whole command.
        let command = resolve(&Choices::default(), &env).unwrap();
        assert!(command.deadline.is_some());
    }

    #[test]
    fn a_variable_that_is_not_utf8_is_an_error_naming_it() {
        for &name in VARIABLES {
            let e = resolve(&Choices::default(), &[(name, not_utf8())]).unwrap_err();
            assert_eq!(e.kind(), crate::error::Kind::Usage, "{name}");
            assert!(e.message().contains(name), "{}", e.message());
        }
        // A flag wins: its variable is not read.
        let flag = Choices {
            timeout: Some(Duration::from_secs(1)),
            ..Choices::default()
        };
        assert!(resolve(&flag, &[("IMDS_TIMEOUT", not_utf8())]).is_ok());
    }

    #[test]
    fn cacert_must_be_a_small_regular_pem_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data");
        assert!(CaCert::read(&root.join("ca.pem")).is_ok());
        for bad in [
            root.join("server.key"),
            root.join("no-such.pem"),
            root.clone(),
            PathBuf::from("/dev/zero"),
        ] {
            let e = CaCert::read(&bad).unwrap_err();
            assert_eq!(e.kind(), crate::error::Kind::Usage, "{}", bad.display());
            assert!(
                e.message().starts_with("the CA certificate file "),
                "{}",
                e.message()
            );
        }
    }

    #[test]
    fn an_endpoint_with_user_info_is_not_echoed() {
        let choices = Choices {
            endpoint: Some("http://user:secret@127.0.0.1:8080".to_string()),
            ..Choices::default()
        };
        let e = resolve(&choices, &[]).unwrap_err();
        assert!(!e.message().contains("secret"), "{}", e.message());
    }
}
