//! A session with the metadata service: the token state of a run over the one [`Client`], and
//! the identity API. It makes authorised calls: `IMDS_TOKEN` or a token minted on first use,
//! replaced by a fresh one at most once per run when the service answers 401 (a stale
//! `IMDS_TOKEN`, or one that expired mid-run), and every token sent redacted from errors.
//!
//! The HTTP mechanics (retries, timeouts, error bodies, pages) belong to [`crate::client`]; this
//! module only decides which token request to make and when.

use serde_json::{Value, json};

use crate::client::{Client, Method, Target, collect_pages};
use crate::error::{Error, ServiceError};
use crate::settings::Settings;
use crate::token::{Token, access_token};
use crate::values::ApiVersion;

/// Lifetime asked for the token that a metadata command mints for itself (spec §2.2 default).
pub const METADATA_TOKEN_SECONDS: u32 = 300;

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

/// The client and the token in use.
pub struct Session {
    client: Client,
    /// `IMDS_TOKEN`, or the last token minted.
    token: Option<Token>,
    /// Whether the one fresh token of the run after a 401 was minted already.
    refreshed: bool,
}

impl Session {
    /// A session over a new client; it starts from `IMDS_TOKEN` when that is set, else mints on
    /// first use.
    pub fn new(settings: &Settings) -> Result<Session, Error> {
        Ok(Session {
            client: Client::new(settings)?,
            token: settings.env_token.clone(),
            refreshed: false,
        })
    }

    /// The `version=` date in use.
    pub fn api_version(&self) -> &ApiVersion {
        self.client.api_version()
    }

    /// Mints an identity token living `expires_in` seconds; returns the token and the whole
    /// response document. The session's own token is left as it is.
    pub fn mint(&self, expires_in: u32) -> Result<(Token, Value), Error> {
        let target = self.identity_target(Method::Put, token_path, "token");
        let body = json!({ "expires_in": expires_in });
        let doc = self.client.call(&target, None, Some(&body))?;
        let token = access_token(&doc, "token")?;
        Ok((token, doc))
    }

    /// Mints the token the following calls use, even when `IMDS_TOKEN` is set (`doctor` checks
    /// the token request itself).
    pub fn mint_now(&mut self) -> Result<(), Error> {
        let (t, _) = self.mint(METADATA_TOKEN_SECONDS)?;
        self.token = Some(t);
        Ok(())
    }

    /// One request with the session's token; on a 401, one fresh token and one more try.
    pub fn call(&mut self, target: &Target, body: Option<&Value>) -> Result<Value, Error> {
        let mut sent: Vec<Token> = Vec::new();
        self.call_with_token(target, body, &mut sent)
            .map_err(|e| sent.iter().fold(e, |e, token| token.redact(e)))
    }

    /// Every page of a document, each fetched with [`Session::call`].
    pub fn all_pages(&mut self, first: Target) -> Result<Value, Error> {
        collect_pages(first, |target| self.call(target, None))
    }

    /// Exchanges the identity token for an IAM token of a trusted profile; returns the whole
    /// response document, checked to hold one. Uses `IMDS_TOKEN` when set, with one fresh token
    /// after a 401.
    pub fn iam_exchange(&mut self, profile: &Profile) -> Result<Value, Error> {
        let target = self.identity_target(Method::Post, iam_path, "IAM token");
        let body = match profile {
            Profile::Default => None,
            Profile::Id(id) => Some(json!({ "trusted_profile": { "id": id } })),
            Profile::Crn(crn) => Some(json!({ "trusted_profile": { "crn": crn } })),
        };
        let doc = self
            .call(&target, body.as_ref())
            .map_err(|e| with_profile_hint(e, profile))?;
        access_token(&doc, "IAM token")?;
        Ok(doc)
    }

    /// [`Session::call`]'s loop; `sent` collects every token sent, for redaction.
    fn call_with_token(
        &mut self,
        target: &Target,
        body: Option<&Value>,
        sent: &mut Vec<Token>,
    ) -> Result<Value, Error> {
        loop {
            let token = self.current()?;
            sent.push(token.clone());
            let error = match self.client.call(target, Some(&token), body) {
                Err(e) if e.service().is_some_and(|s| s.status == 401) => e,
                other => return other,
            };
            if self.refresh()? {
                continue;
            }
            // The token was fresh: another will not help.
            let answer = error.service().cloned().unwrap_or_default();
            return Err(Error::from(ServiceError {
                fresh_token: true,
                ..answer
            }));
        }
    }

    /// The token to send, minting one if there is none yet.
    fn current(&mut self) -> Result<Token, Error> {
        if let Some(t) = &self.token {
            return Ok(t.clone());
        }
        let (t, _) = self.mint(METADATA_TOKEN_SECONDS)?;
        self.token = Some(t.clone());
        Ok(t)
    }

    /// After a 401: mints a fresh token and returns true, unless that was done already this run
    /// (then false: the caller gives up with exit 5).
    fn refresh(&mut self) -> Result<bool, Error> {
        if self.refreshed {
            return Ok(false);
        }
        self.refreshed = true;
        self.client
            .note("the token was refused (401): minting a fresh one");
        self.mint_now()?;
        Ok(true)
    }

    /// A request to the identity API, on the path family of the run's version date (spec
    /// §2.1).
    fn identity_target(
        &self,
        method: Method,
        path_for: fn(&ApiVersion) -> &'static str,
        what: &str,
    ) -> Target {
        let version = self.api_version();
        let path = path_for(version);
        Target::new(
            method,
            path,
            &format!("the service has no {what} path {path} for version {version}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
