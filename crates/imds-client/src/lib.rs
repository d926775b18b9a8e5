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
//! The `imds` command line is this library behind a command line; `imds-mock` (its own package)
//! emulates the service on loopback. docs/ARCHITECTURE.md draws the rooms of all three.
//!
//! Features: `tls` (default) adds HTTPS (`https://` endpoints, extra trusted CA certificates),
//! instance identity certificates and the key generation they need. Without it the library
//! speaks plain HTTP to the link-local address only.

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

pub use error::{Attempts, Cause, Error, Kind, ServiceError, Transport, TransportError};
pub use session::{Profile, Session};
pub use settings::{CaCert, Settings, SettingsBuilder};
pub use token::Token;
pub use values::{ApiVersion, Endpoint};
