//! The files imds and imds-mock read and write at a user's word: `-o`, `keys
//! --authorized-keys`, `cert --key-out` and `--csr`, `--cacert`, the emulator's `--ca-out`.
//! What goes into them is the callers' business; how they are reached is this module's.
//!
//! Root writes into directories other users control (`/home/alice/.ssh`), and such a user can
//! swap a directory for a symbolic link at any moment. So a file is never reached by its path
//! twice: the directory it goes into is opened once, one component at a time (links followed
//! by this code, and as root only links root owns), and every later step (looking at the file,
//! reading it, creating the temporary file, renaming, removing) is relative to that handle.
//! `docs/ARCHITECTURE.md` ("Files") tells the rules.

mod error;
mod meta;
mod read;
mod replace;
#[cfg(unix)]
mod sys;
#[cfg(not(unix))]
#[path = "portable.rs"]
mod sys;

pub use error::FileError;
pub use read::read_input;
pub use replace::{Options, Target};
