//! The argument of `imds get` as clap sees it: a path under /metadata/v1/, with the documented
//! ones (the resource table's) offered as completions. Apart from definitions.rs only to keep
//! each file short.

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, ValueHint};

use crate::resource::ENTRIES;

/// The path for `imds get`.
#[derive(Debug, Clone, Args)]
pub struct GetArgs {
    /// Path relative to /metadata/v1/ (e.g. instance/network_attachments)
    #[arg(value_name = "PATH", value_parser = MetadataPath, hide_possible_values = true,
          value_hint = ValueHint::Other)]
    pub path: String,
}

/// Any path is accepted; the documented ones, the paths of the resource table, are offered as
/// completions (clap's completion generators read a parser's possible values, and accepting
/// every string keeps undocumented and future paths usable).
#[derive(Clone)]
struct MetadataPath;

impl TypedValueParser for MetadataPath {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(ENTRIES.iter().map(|e| PossibleValue::new(e.path))))
    }
}
