//! A client for the IBM Cloud VPC instance metadata service, and its emulator.
//!
//! A program on an instance builds a [`Session`] from [`Settings`] and reads documents,
//! collections with all their pages, identity tokens and IAM tokens. The session mints the
//! identity token the metadata API asks for on first use and a fresh one when the service
//! refuses it; it retries what another attempt may cure and bounds every attempt in time.
//!
//! ```no_run
//! use imds::{Kind, Session, Settings};
//!
//! fn main() -> Result<(), imds::Error> {
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
//! The `imds` binary is this library behind a command line; `imds-mock` is the emulator.

mod authorized_keys;
mod cert;
mod chain;
mod client;
mod credentials;
#[cfg(feature = "tls")]
mod csr;
mod disks;
mod doctor;
mod error;
mod exec;
mod field;
mod files;
mod jwt;
mod output;
mod plan;
mod refresh;
mod resource;
mod session;
mod settings;
mod shell;
mod signals;
mod snapshot;
mod text;
mod token;
mod tsv;
mod values;

// What the binaries and the test crate need that is not the library's API. Their doc comments
// are help text and notes written for the command line, not rustdoc: brackets and bare URLs
// there are what the user reads.
#[doc(hidden)]
pub mod app;
#[doc(hidden)]
#[allow(rustdoc::broken_intra_doc_links, rustdoc::bare_urls)]
pub mod cli;
#[doc(hidden)]
pub mod fuzzing;
#[cfg(feature = "mock")]
#[doc(hidden)]
#[allow(rustdoc::broken_intra_doc_links, rustdoc::bare_urls)]
pub mod mock;
#[doc(hidden)]
pub mod watch;

pub use error::{Attempts, Cause, Error, Kind, ServiceError, Transport, TransportError};
pub use session::{Profile, Session};
pub use settings::{CaCert, Settings, SettingsBuilder};
pub use token::Token;
pub use values::{ApiVersion, Endpoint};
