//! Identity tokens: minting one, reusing `IMDS_TOKEN`, minting a fresh one once after a 401,
//! the IAM exchange for a trusted profile, and the redacting [`Token`] type.
//!
//! The HTTP mechanics (retries, timeouts, error bodies) belong to [`crate::client`]; this module
//! only decides which token request to make and when.

use std::fmt;

use serde_json::{Value, json};

use crate::client::{Client, Method, Target};
use crate::error::Error;
use crate::values::ApiVersion;

/// Lifetime asked for the token that a metadata command mints for itself (spec §2.2 default).
pub const METADATA_TOKEN_SECONDS: u32 = 300;

/// An identity or IAM access token. `Debug` prints `[redacted]` and there is no `Display`:
/// the raw value is reached only through [`Token::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token from `IMDS_TOKEN`; it must be usable in an HTTP header.
    pub fn from_env(text: &str) -> Result<Token, Error> {
        if text.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(Token(text.to_string()))
        } else {
            Err(Error::usage(
                "IMDS_TOKEN holds characters a token cannot have (spaces or control characters)",
            )
            .with_hint("unset IMDS_TOKEN, or set it from `imds token`"))
        }
    }

    /// The raw token, for the `Authorization` header and for `imds token`'s own output.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// `error` with every copy of this token in its message and hint replaced by `[redacted]`:
    /// the service's error text is shown to the user, and nothing says it cannot echo the token.
    pub fn redact(&self, error: Error) -> Error {
        error.redact(&self.0)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The token request path for this version date (spec §2.1).
pub fn token_path(version: &ApiVersion) -> &'static str {
    if version.uses_identity_paths() {
        "/identity/v1/token"
    } else {
        "/instance_identity/v1/token"
    }
}

/// The IAM exchange path for this version date (spec §2.1: singular before 2025-08-26).
fn iam_path(version: &ApiVersion) -> &'static str {
    if version.uses_identity_paths() {
        "/identity/v1/iam_tokens"
    } else {
        "/instance_identity/v1/iam_token"
    }
}

/// A request to the identity API, on the path family of the run's version date (spec §2.1).
fn identity_target(
    client: &Client,
    method: Method,
    path_for: fn(&ApiVersion) -> &'static str,
    what: &str,
) -> Target {
    let path = path_for(client.api_version());
    Target::new(
        method,
        path,
        &format!(
            "the service has no {what} path {path} for version {}",
            client.api_version()
        ),
    )
}

/// Mints an identity token living `expires_in` seconds; returns the token and the whole
/// response document.
pub fn mint(client: &Client, expires_in: u32) -> Result<(Token, Value), Error> {
    let target = identity_target(client, Method::Put, token_path, "token");
    let body = json!({ "expires_in": expires_in });
    let doc = client.call(&target, Some(&body))?;
    let token = access_token(&doc, "token")?;
    Ok((token, doc))
}

/// Which trusted profile `token --iam` asks for.
#[derive(Debug, Clone)]
pub enum Profile {
    /// The instance's default trusted profile: no body is sent (spec §2.4).
    Default,
    Id(String),
    Crn(String),
}

/// The service names the two profile problems with its own codes (spec §2.4, §5): say what to do.
fn with_profile_hint(error: Error, profile: &Profile) -> Error {
    let code = error.service().and_then(|s| s.code.as_deref());
    if code == Some("missing_field") && matches!(profile, Profile::Default) {
        error.with_hint(
            "the instance has no default trusted profile: name one with --profile-id or --profile-crn",
        )
    } else if code == Some("profile_not_linked") {
        error.with_hint("link the trusted profile to this instance, or name another one")
    } else {
        error
    }
}

/// Exchanges the identity token for an IAM token of a trusted profile; returns the IAM token and
/// the whole response document. Uses `IMDS_TOKEN` when set, with one fresh token after a 401.
pub fn iam_exchange(client: &Client, profile: &Profile) -> Result<Value, Error> {
    let target = identity_target(client, Method::Post, iam_path, "IAM token");
    let body = match profile {
        Profile::Default => None,
        Profile::Id(id) => Some(json!({ "trusted_profile": { "id": id } })),
        Profile::Crn(crn) => Some(json!({ "trusted_profile": { "crn": crn } })),
    };
    let doc = client
        .call_authorized(&target, body.as_ref())
        .map_err(|e| with_profile_hint(e, profile))?;
    access_token(&doc, "IAM token")?;
    Ok(doc)
}

/// Reads `access_token` from a token response.
pub fn access_token(doc: &Value, what: &str) -> Result<Token, Error> {
    match doc.get("access_token").and_then(Value::as_str) {
        Some(t) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Token(t.to_string()))
        }
        _ => Err(Error::decode(format!(
            "the {what} response has no usable access_token"
        ))),
    }
}

/// The token a metadata command uses: `IMDS_TOKEN` or one minted on first use, replaced by a
/// fresh one at most once per run when the service answers 401 (a stale `IMDS_TOKEN`, or one
/// that expired mid-run).
#[derive(Debug)]
pub struct Auth {
    token: Option<Token>,
    refreshed: bool,
}

impl Auth {
    /// Starts from `IMDS_TOKEN` when it is set, else mints on first use.
    pub fn new(env_token: Option<Token>) -> Auth {
        Auth {
            token: env_token,
            refreshed: false,
        }
    }

    /// The token to send, minting one if there is none yet.
    pub fn current(&mut self, client: &Client) -> Result<Token, Error> {
        if let Some(t) = &self.token {
            return Ok(t.clone());
        }
        let (t, _) = mint(client, METADATA_TOKEN_SECONDS)?;
        self.token = Some(t.clone());
        Ok(t)
    }

    /// Mints a token now, in place of `IMDS_TOKEN` or one minted before (`doctor` checks the
    /// token request itself).
    pub fn mint_now(&mut self, client: &Client) -> Result<(), Error> {
        let (t, _) = mint(client, METADATA_TOKEN_SECONDS)?;
        self.token = Some(t);
        Ok(())
    }

    /// After a 401: mints a fresh token and returns true, unless that was done already this run
    /// (then false: the caller gives up with exit 5).
    pub fn refresh(&mut self, client: &Client) -> Result<bool, Error> {
        if self.refreshed {
            return Ok(false);
        }
        self.refreshed = true;
        client.note("the token was refused (401): minting a fresh one");
        let (t, _) = mint(client, METADATA_TOKEN_SECONDS)?;
        self.token = Some(t);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let t = Token::from_env("secret-value").unwrap();
        assert_eq!(format!("{t:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&t)), "Some([redacted])");
        assert_eq!(t.expose(), "secret-value");
    }

    #[test]
    fn env_token_must_fit_a_header() {
        assert!(Token::from_env("a b").is_err());
        assert!(Token::from_env("a\nb").is_err());
    }

    #[test]
    fn paths_follow_the_version_date() {
        let new = ApiVersion::parse("2025-08-26").unwrap();
        let old = ApiVersion::parse("2025-08-25").unwrap();
        assert_eq!(token_path(&new), "/identity/v1/token");
        assert_eq!(token_path(&old), "/instance_identity/v1/token");
        assert_eq!(iam_path(&new), "/identity/v1/iam_tokens");
        assert_eq!(iam_path(&old), "/instance_identity/v1/iam_token");
    }
}
