//! The options of `imds disks` as clap sees them; what they do is in the application layer.
//! Apart from definitions.rs only to keep each file short.

use std::path::PathBuf;

use clap::{Args, ValueHint};

/// Options of `imds disks`.
#[derive(Debug, Clone, Args)]
pub struct DisksArgs {
    /// Read sys/block and dev/disk/by-id under DIR instead of / (to test with a made-up tree)
    #[arg(long, value_name = "DIR", default_value = "/", value_hint = ValueHint::DirPath)]
    pub root: PathBuf,
}
