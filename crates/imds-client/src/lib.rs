//! A client for the IBM Cloud VPC instance metadata service.
//!
//! A program on an instance builds a [`Session`] from [`Settings`] and reads documents,
//! collections with all their pages, identity tokens and IAM tokens. The session mints the
//! identity token the metadata API asks for on first use, renews it before it expires and mints a
//! fresh one when the service refuses it; it retries what another attempt may cure and bounds
//! every attempt in time. One session may be shared by threads: every read takes `&self`.
//!
//! ```no_run
//! use imds_client::{Kind, Session, Settings};
//!
//! fn main() -> Result<(), imds_client::Error> {
//!     let imds = Session::new(&Settings::from_env()?)?;
//!     let instance = imds.document("instance")?;
//!     println!("{}", instance["profile"]["name"]);
//!     match imds.document("keys/r006-no-such-key") {
//!         Err(e) if e.kind() == Kind::NotFound => println!("no such key"),
//!         other => println!("{other:?}"),
//!     }
//!     Ok(())
//! }
//! ```
//!
//! # What is where
//!
//! - [`Settings`]: where the service is and how to reach it: endpoint, version date, the time
//!   each attempt may take, how long to keep retrying, extra trusted CA certificates, a token to
//!   start from. Built with [`Settings::builder`], from the environment with
//!   [`Settings::from_env`], or [`Settings::default`].
//! - [`Session`]: the reads. [`Session::document`] (one document), [`Session::collection`] (all
//!   pages), [`Session::pages`] (page by page), [`Session::token`] and [`Session::mint_with_nonce`]
//!   (identity tokens, with their expiry), [`Session::iam_token`] and [`Session::iam_exchange`]
//!   (IAM tokens for a trusted [`Profile`]), [`Session::certificate`] (an instance identity
//!   certificate for a signing request, its chain checked).
//! - [`Error`]: every failure, with its [`Kind`] to branch on, its [`Cause`] (the service's
//!   answer as a [`ServiceError`] with IBM's error `code`, or a [`TransportError`]) and the error
//!   underneath ([`std::error::Error::source`], [`Error::io_kind`]).
//! - [`Token`]: a secret: never shown by `Debug` or in messages; [`Token::expose`] gives it.
//!
//! # How settings are resolved
//!
//! What a program sets on the builder wins; then, with [`SettingsBuilder::from_env`] or
//! [`Settings::from_env`], the variables below (an empty one counts as unset, except
//! `IMDS_ENDPOINT`: an endpoint that came out empty is an error, not the default); then the
//! defaults. A variable that is set but wrong is an error naming it, never ignored.
//!
//! | setting | variable | default |
//! |---|---|---|
//! | endpoint | `IMDS_ENDPOINT` | `http://169.254.169.254`; `https://api.metadata.cloud.ibm.com` with `IMDS_SECURE=1` |
//! | version date | `IMDS_API_VERSION` | `2025-08-26` |
//! | time per attempt | `IMDS_TIMEOUT` | 2 s |
//! | retry window per call | `IMDS_WAIT` | none: fail fast |
//! | token to start from | `IMDS_TOKEN` | none: minted on first use |
//!
//! The retry window counts from the start of each call, so a session may live for hours. Without
//! a window, a refused connection, an attempt out of time or a name that does not resolve fails at
//! once, and a 5xx, 429 or dropped connection is tried three times.
//!
//! The `imds` command line is this library behind a command line; `imds-mock` (its own package)
//! emulates the service on loopback. docs/ARCHITECTURE.md draws the rooms of all three.
//!
//! Features: `tls` (default) adds HTTPS (`https://` endpoints, extra trusted CA certificates),
//! instance identity certificates and the key generation they need. Without it the library
//! speaks plain HTTP only.

// The modules the command line and the emulator share with the library. Not the library's API
// (that is the names exported below): they may change in any release.
#[doc(hidden)]
pub mod chain;
#[doc(hidden)]
pub mod client;
#[cfg(feature = "tls")]
#[doc(hidden)]
pub mod csr;
#[doc(hidden)]
pub mod error;
#[doc(hidden)]
pub mod files;
#[doc(hidden)]
pub mod resource;
#[doc(hidden)]
pub mod session;
#[doc(hidden)]
pub mod settings;
#[doc(hidden)]
pub mod signals;
#[doc(hidden)]
pub mod text;
#[doc(hidden)]
pub mod token;
#[doc(hidden)]
pub mod values;

pub use error::{
    Advice, Attempts, Cause, Error, Kind, ServiceError, Source, Transport, TransportError,
};
pub use session::{Profile, Session};
pub use settings::{CaCert, Settings, SettingsBuilder};
pub use token::Token;
pub use values::{ApiVersion, Endpoint};
