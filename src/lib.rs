//! The `imds` command line: its options ([`cli`]), the commands ([`app`] and a room per
//! command), the output stage (`output`, `field`, `shell`) and the files it writes. It reaches
//! the service through the library, `imds-client` (crates/imds-client); `imds-mock` is the
//! emulator (crates/imds-mock). Nothing here is an API for other programs: they use
//! `imds-client`.

mod authorized_keys;
mod cert;
mod credentials;
mod disks;
mod doctor;
mod exec;
#[doc(hidden)]
pub mod failure;
mod field;
mod install_keys;
mod jwt;
mod output;
mod plan;
mod refresh;
mod shell;
mod snapshot;
mod tsv;

// The library's rooms under the names the command line's code uses for them.
#[cfg(feature = "tls")]
use imds_client::csr;
use imds_client::{
    client, error, files, resource, session, settings, signals, text, token, values,
};

// What the binaries, the test crate and the fuzz targets need. Their doc comments are help text
// and notes written for the command line, not rustdoc: brackets and bare URLs there are what
// the user reads.
#[doc(hidden)]
pub mod app;
#[doc(hidden)]
#[allow(rustdoc::broken_intra_doc_links, rustdoc::bare_urls)]
pub mod cli;
#[doc(hidden)]
pub mod fuzzing;
/// The emulator, for the `imds-mock` binary this package installs.
#[cfg(feature = "mock")]
#[doc(hidden)]
pub use imds_mock as mock;
#[doc(hidden)]
pub mod watch;
