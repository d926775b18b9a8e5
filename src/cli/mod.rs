//! The command line: clap's definitions of `imds` (`definitions`, and a file for each command
//! with many options), the value parsers they share (`parsers`), the parse itself (`parse`) and
//! clap's errors in our words (`usage`). It says what the user typed, not what it does.

mod cert;
mod definitions;
mod disks;
mod get;
mod parse;
mod parsers;
mod token;
mod usage;
mod watch;

pub use crate::shell::RESERVED_NAMES as SHELL_RESERVED_NAMES;
pub use cert::{CertArgs, KeyTypeArg};
pub use definitions::{
    Cli, ColorWhen, Command, GlobalArgs, IdArg, InitArgs, KeysArgs, SnapshotArgs,
};
pub use disks::DisksArgs;
pub use get::GetArgs;
pub use token::{ExecArgs, TokenArgs};
pub use usage::{is_help_or_version, usage_error};
pub use watch::{MIN_WATCH_INTERVAL, WatchArgs};
