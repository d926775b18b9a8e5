//! A session with the metadata service: the token state over the one [`Client`], and the
//! identity API. It makes authorised calls: `IMDS_TOKEN` or a token minted on first use, minted
//! again before it expires, and replaced by a fresh one once per call when the service answers
//! 401 (a stale `IMDS_TOKEN`, or one that the service ended early); every token sent is
//! redacted from errors. One session may serve a program for hours, from several threads.
//!
//! The HTTP mechanics (retries, timeouts, error bodies, pages) belong to [`crate::client`]; this
//! module only decides which token request to make and when.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::client::{Client, Method, Target, collect_pages, for_each_page};
use crate::error::{Advice, Error, ServiceError};
use crate::resource::get_path;
use crate::settings::Settings;
use crate::token::{Token, access_token};
use crate::values::ApiVersion;

/// Lifetime asked for the token that a metadata command mints for itself (docs/SERVICE.md §2.2
/// default).
pub const METADATA_TOKEN_SECONDS: u32 = 300;

/// The token request path for this version date (docs/SERVICE.md §2.1).
#[doc(hidden)]
pub fn token_path(version: &ApiVersion) -> &'static str {
    if version.uses_identity_paths() {
        "/identity/v1/token"
    } else {
        "/instance_identity/v1/token"
    }
}

/// The IAM exchange path for this version date (docs/SERVICE.md §2.1: singular before 2025-08-26).
fn iam_path(version: &ApiVersion) -> &'static str {
    if version.uses_identity_paths() {
        "/identity/v1/iam_tokens"
    } else {
        "/instance_identity/v1/iam_token"
    }
}

/// The identity certificate path for this version date (docs/SERVICE.md §2.1, §2.5).
fn certificates_path(version: &ApiVersion) -> &'static str {
    if version.uses_identity_paths() {
        "/identity/v1/certificates"
    } else {
        "/instance_identity/v1/certificates"
    }
}

/// Which trusted profile an IAM token is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Profile {
    /// The instance's default trusted profile.
    Default,
    /// A trusted profile by its id (`Profile-…`).
    Id(String),
    /// A trusted profile by its CRN.
    Crn(String),
    /// A trusted profile by its name (the field IBM's SDK cores send, docs/SERVICE.md §2.4).
    Name(String),
}

/// The service names the two profile problems with its own codes (docs/SERVICE.md §2.4, §5): say
/// what to do.
fn with_profile_hint(error: Error, profile: &Profile) -> Error {
    let code = error.service().and_then(|s| s.code.as_deref());
    if code == Some("missing_field") && matches!(profile, Profile::Default) {
        error.with_advice(Advice::NameAProfile)
    } else if code == Some("profile_not_linked") {
        error.with_hint("link the trusted profile to this instance, or name another one")
    } else {
        error
    }
}

/// A client of the metadata service: the one HTTP agent of a program and the token in use.
///
/// Built from [`Settings`]; every call sends `version=`, retries as the settings say, and
/// answers with the JSON document or an [`Error`] whose [`Error::cause`] tells what failed.
/// A session is `Send + Sync` and its calls take `&self`: share one between threads (in an
/// `Arc`, or by reference in scoped threads), and keep it as long as the program runs.
///
/// ```no_run
/// let imds = imds_client::Session::new(&imds_client::Settings::default())?;
/// let instance = imds.document("instance")?;
/// println!("{} in {}", instance["name"], instance["zone"]["name"]);
/// # Ok::<(), imds_client::Error>(())
/// ```
pub struct Session {
    client: Client,
    /// The token in use and when it stops being usable; minted under this lock, so threads
    /// that find it stale at once mint one token between them.
    token: Mutex<Held>,
}

/// The token a session sends.
#[derive(Default)]
struct Held {
    /// `IMDS_TOKEN`, or the last token minted.
    token: Option<Token>,
    /// When a new one is minted instead: before the service would refuse it. `None` for
    /// `IMDS_TOKEN`, whose lifetime is not known (a 401 replaces it).
    renew_at: Option<Instant>,
}

/// How much of its lifetime a minted token is used for before a new one is minted, so that a
/// request never goes out with a token about to expire on the way (a 300 s token: 240 s).
const USE_FRACTION: (u32, u32) = (4, 5);

impl Held {
    fn usable(&self) -> Option<&Token> {
        let fresh = self.renew_at.is_none_or(|at| Instant::now() < at);
        self.token.as_ref().filter(|_| fresh)
    }
}

impl Session {
    /// A session over a new client; it starts from the settings' token when one is given
    /// (`IMDS_TOKEN`), else mints one on first use. Fails only on a bad `cacert`.
    pub fn new(settings: &Settings) -> Result<Session, Error> {
        Ok(Session {
            client: Client::new(settings)?,
            token: Mutex::new(Held {
                token: settings.env_token.clone(),
                renew_at: None,
            }),
        })
    }

    /// The token state; a thread that panicked while holding it left a usable value behind
    /// (a token or none), so the lock is taken back.
    fn held(&self) -> MutexGuard<'_, Held> {
        self.token.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The `version=` date in use.
    #[doc(hidden)]
    pub fn api_version(&self) -> &ApiVersion {
        self.client.api_version()
    }

    /// A document under `/metadata/v1/`: `path` is relative to it (`instance`,
    /// `instance/network_attachments`) or starts with it. A collection's first page only: see
    /// [`Session::collection`].
    ///
    /// ```no_run
    /// # let imds = imds_client::Session::new(&imds_client::Settings::default())?;
    /// let init = imds.document("instance/initialization")?;
    /// let user_data = init["user_data"].as_str().unwrap_or_default();
    /// # Ok::<(), imds_client::Error>(())
    /// ```
    pub fn document(&self, path: &str) -> Result<Value, Error> {
        let path = get_path(path)?;
        self.call(&Target::user_path(&path), None)
    }

    /// A document with all its pages: `next` links followed (only under `/metadata/v1/`), each
    /// page's arrays appended to the first page's, `next` dropped.
    ///
    /// ```no_run
    /// # let imds = imds_client::Session::new(&imds_client::Settings::default())?;
    /// let keys = imds.collection("keys")?;
    /// for key in keys["keys"].as_array().into_iter().flatten() {
    ///     println!("{}", key["name"]);
    /// }
    /// # Ok::<(), imds_client::Error>(())
    /// ```
    pub fn collection(&self, path: &str) -> Result<Value, Error> {
        let path = get_path(path)?;
        self.all_pages(Target::user_path(&path))
    }

    /// A new identity token living `expires_in` seconds (5 to 3600), for another program; the
    /// session's own token is left as it is.
    ///
    /// ```no_run
    /// # let imds = imds_client::Session::new(&imds_client::Settings::default())?;
    /// let token = imds.token(3600)?;
    /// let header = format!("Bearer {}", token.expose());
    /// # Ok::<(), imds_client::Error>(())
    /// ```
    pub fn token(&self, expires_in: u32) -> Result<Token, Error> {
        Ok(self.mint(expires_in)?.0)
    }

    /// An IAM access token for a trusted profile, exchanged for the session's identity token.
    ///
    /// ```no_run
    /// use imds_client::Profile;
    ///
    /// # let imds = imds_client::Session::new(&imds_client::Settings::default())?;
    /// let iam = imds.iam_token(&Profile::Id("Profile-8dd84246".into()))?;
    /// # let _ = imds.iam_token(&Profile::Default)?;
    /// # Ok::<(), imds_client::Error>(())
    /// ```
    pub fn iam_token(&self, profile: &Profile) -> Result<Token, Error> {
        let doc = self.iam_exchange(profile)?;
        access_token(&doc, "IAM token")
    }

    /// Mints an identity token living `expires_in` seconds (5 to 3600); returns the token and
    /// the whole answer (`access_token`, `created_at`, `expires_at`, `expires_in`). The
    /// session's own token is left as it is.
    pub fn mint(&self, expires_in: u32) -> Result<(Token, Value), Error> {
        self.mint_with_nonce(expires_in, None)
    }

    /// [`Session::mint`] with a `nonce` the token and the answer must carry (docs/SERVICE.md §2.2:
    /// sent with any version date, as fields are added for all dates, docs/SERVICE.md §6). An
    /// answer with another nonce, or none, is a bad response.
    ///
    /// ```no_run
    /// # let imds = imds_client::Session::new(&imds_client::Settings::default())?;
    /// let (token, answer) = imds.mint_with_nonce(600, Some("b1946ac9"))?;
    /// println!("expires at {}", answer["expires_at"]);
    /// # Ok::<(), imds_client::Error>(())
    /// ```
    pub fn mint_with_nonce(
        &self,
        expires_in: u32,
        nonce: Option<&str>,
    ) -> Result<(Token, Value), Error> {
        let target = self.identity_target(Method::Put, token_path, "token");
        let mut body = json!({ "expires_in": expires_in });
        if let Some(n) = nonce {
            body["nonce"] = json!(n);
        }
        let doc = self.client.call(&target, None, Some(&body))?;
        let token = access_token(&doc, "token")?;
        if let Some(n) = nonce {
            if doc.get("nonce").and_then(Value::as_str) != Some(n) {
                let error = Error::decode(
                    "the token answer does not carry the nonce that was sent: it may be a replay",
                );
                return Err(token.redact(error));
            }
        }
        Ok((token, doc))
    }

    /// An instance identity certificate for a PEM certificate signing request, valid
    /// `expires_in` seconds (docs/SERVICE.md §2.5): the whole answer, its chain checked
    /// (one X.509 certificate per entry, the first for the request's key), else a bad response.
    pub fn certificate(&self, csr_pem: &str, expires_in: u32) -> Result<Value, Error> {
        let target = self.identity_target(Method::Post, certificates_path, "certificates");
        let body = json!({ "csr": csr_pem, "expires_in": expires_in });
        let doc = self.call(&target, Some(&body))?;
        crate::chain::check(&doc, csr_pem)?;
        Ok(doc)
    }

    /// Mints the token the following calls use, even when `IMDS_TOKEN` is set (`doctor` checks
    /// the token request itself).
    #[doc(hidden)]
    pub fn mint_now(&self) -> Result<(), Error> {
        let mut held = self.held();
        self.mint_into(&mut held)?;
        Ok(())
    }

    /// Mints a token living `expires_in` seconds that the following calls use too, and
    /// returns it: `exec` hands one token to its command and exchanges that same one for IAM.
    #[doc(hidden)]
    pub fn mint_shared(&self, expires_in: u32) -> Result<Token, Error> {
        let mut held = self.held();
        self.mint_living(&mut held, expires_in)
    }

    /// Mints a token for the session's own calls into `held`, and returns it.
    fn mint_into(&self, held: &mut Held) -> Result<Token, Error> {
        self.mint_living(held, METADATA_TOKEN_SECONDS)
    }

    /// [`Session::mint_into`] with the lifetime to ask for.
    fn mint_living(&self, held: &mut Held, expires_in: u32) -> Result<Token, Error> {
        let asked = Instant::now();
        let (token, _) = self.mint(expires_in)?;
        let (num, den) = USE_FRACTION;
        let lifetime = Duration::from_secs(expires_in.into());
        held.token = Some(token.clone());
        held.renew_at = Some(asked + lifetime * num / den);
        Ok(token)
    }

    /// One request with the session's token; on a 401, one fresh token and one more try.
    #[doc(hidden)]
    pub fn call(&self, target: &Target, body: Option<&Value>) -> Result<Value, Error> {
        self.call_sized(target, body).map(|(value, _)| value)
    }

    /// As [`Session::call`], with the size of the answer's body in bytes.
    fn call_sized(&self, target: &Target, body: Option<&Value>) -> Result<(Value, u64), Error> {
        let mut sent: Vec<Token> = Vec::new();
        self.call_with_token(target, body, &mut sent)
            .map_err(|e| sent.iter().fold(e, |e, token| token.redact(e)))
    }

    /// Every page of a document, each fetched with [`Session::call`].
    #[doc(hidden)]
    pub fn all_pages(&self, first: Target) -> Result<Value, Error> {
        collect_pages(first, |target| self.call_sized(target, None))
    }

    /// A collection page by page: `path` as for [`Session::document`], each page handed to
    /// `each` as it arrives (`next` links followed as for [`Session::collection`]), so that no
    /// more than one page is held at a time. An error from `each` stops the walk and is
    /// returned.
    ///
    /// ```no_run
    /// # let imds = imds_client::Session::new(&imds_client::Settings::default())?;
    /// let mut count = 0;
    /// imds.pages("instance/volume_attachments", |page| {
    ///     count += page["volume_attachments"].as_array().map_or(0, Vec::len);
    ///     Ok(())
    /// })?;
    /// # Ok::<(), imds_client::Error>(())
    /// ```
    pub fn pages(
        &self,
        path: &str,
        each: impl FnMut(Value) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let path = get_path(path)?;
        self.each_page(Target::user_path(&path), each)
    }

    /// Every page of a document, each fetched with [`Session::call`] and handed to `each` as it
    /// arrives, so that no more than one page need be held at a time.
    #[doc(hidden)]
    pub fn each_page(
        &self,
        first: Target,
        each: impl FnMut(Value) -> Result<(), Error>,
    ) -> Result<(), Error> {
        for_each_page(first, |target| self.call_sized(target, None), each)
    }

    /// Exchanges the identity token for an IAM token of a trusted profile; returns the whole
    /// response document, checked to hold one. Uses `IMDS_TOKEN` when set, with one fresh token
    /// after a 401.
    pub fn iam_exchange(&self, profile: &Profile) -> Result<Value, Error> {
        let target = self.identity_target(Method::Post, iam_path, "IAM token");
        let body = match profile {
            Profile::Default => None,
            Profile::Id(id) => Some(json!({ "trusted_profile": { "id": id } })),
            Profile::Crn(crn) => Some(json!({ "trusted_profile": { "crn": crn } })),
            Profile::Name(name) => Some(json!({ "trusted_profile": { "name": name } })),
        };
        let doc = self
            .call(&target, body.as_ref())
            .map_err(|e| with_profile_hint(e, profile))?;
        access_token(&doc, "IAM token")?;
        Ok(doc)
    }

    /// [`Session::call`]'s loop; `sent` collects every token sent, for redaction. A 401 gets
    /// one fresh token per call: the service may end a token early (or `IMDS_TOKEN` may be
    /// stale), but a fresh token refused too will not be cured by another.
    fn call_with_token(
        &self,
        target: &Target,
        body: Option<&Value>,
        sent: &mut Vec<Token>,
    ) -> Result<(Value, u64), Error> {
        let mut refreshed = false;
        loop {
            let token = self.current()?;
            sent.push(token.clone());
            let error = match self.client.call_sized(target, Some(&token), body) {
                Err(e) if e.service().is_some_and(|s| s.status == 401) => e,
                other => return other,
            };
            if !refreshed {
                refreshed = true;
                self.replace(&token)?;
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

    /// The token to send, minting one if there is none yet or it is due for renewal.
    fn current(&self) -> Result<Token, Error> {
        let mut held = self.held();
        if let Some(token) = held.usable() {
            return Ok(token.clone());
        }
        self.mint_into(&mut held)
    }

    /// After a 401 for `refused`: a fresh token, unless another thread has replaced `refused`
    /// meanwhile (then the next try uses that one).
    fn replace(&self, refused: &Token) -> Result<(), Error> {
        let mut held = self.held();
        if held
            .token
            .as_ref()
            .is_some_and(|t| t.expose() != refused.expose())
        {
            return Ok(());
        }
        self.client
            .note("the token was refused (401): minting a fresh one");
        self.mint_into(&mut held)?;
        Ok(())
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

    /// One session serves every thread of a program.
    #[test]
    fn a_session_is_send_and_sync() {
        fn shared<T: Send + Sync>() {}
        shared::<Session>();
    }

    #[test]
    fn paths_follow_the_version_date() {
        let new = ApiVersion::parse("2025-08-26").unwrap();
        let old = ApiVersion::parse("2025-08-25").unwrap();
        assert_eq!(token_path(&new), "/identity/v1/token");
        assert_eq!(token_path(&old), "/instance_identity/v1/token");
        assert_eq!(iam_path(&new), "/identity/v1/iam_tokens");
        assert_eq!(iam_path(&old), "/instance_identity/v1/iam_token");
        assert_eq!(certificates_path(&new), "/identity/v1/certificates");
        assert_eq!(
            certificates_path(&old),
            "/instance_identity/v1/certificates"
        );
    }
}
