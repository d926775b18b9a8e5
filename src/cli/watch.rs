//! The options of `imds watch`: clap definitions only, as in the rest of [`super`].

use std::time::Duration;

use clap::{Args, ValueHint};

use super::parsers::ShowsValue;
use super::parsers::duration;
use crate::watch::until::Condition;

/// The least `--interval`: every read is an audit event on the service's side, so a watch must
/// not turn into a flood of them.
pub const MIN_WATCH_INTERVAL: Duration = Duration::from_secs(1);

/// Options of `imds watch`.
#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// Time between polls, with 10% jitter either way (at least 1s)
    #[arg(long, value_name = "DURATION", value_parser = watch_interval, default_value = "30s",
          value_hint = ValueHint::Other)]
    pub interval: Duration,

    /// End (exit 0) after printing the first observation where COND holds
    ///
    /// COND is PATH (it matches something) or PATH=VALUE (a matched value's raw text is VALUE),
    /// PATH as for --field. A shorthand holds on a list if it holds on any item; on a `get`
    /// document whose one array member is a collection, on any of its items:
    /// `--until lifecycle_state=stable get instance/software_attachments`.
    #[arg(long, value_name = "COND", value_parser = Condition::parse,
          value_hint = ValueHint::Other)]
    pub until: Option<Condition>,

    /// End (exit 0) after N observations printed
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..),
          value_hint = ValueHint::Other)]
    pub count: Option<u64>,

    /// End after DURATION: exit 0, or with --until not met, exit 8
    #[arg(long, value_name = "DURATION", value_parser = duration, value_hint = ValueHint::Other)]
    pub max_time: Option<Duration>,

    /// End after N failed polls in a row, with the last one's exit status
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(1..), value_hint = ValueHint::Other)]
    pub max_failures: u32,

    /// Run `sh -c CMD` for each observation printed, with the output on its stdin
    ///
    /// imds itself then prints nothing on stdout; a CMD that fails is one stderr line and the
    /// watch goes on.
    #[arg(long, value_name = "CMD", value_hint = ValueHint::CommandString)]
    pub exec: Option<String>,

    /// The read command to watch, with its arguments and options
    #[arg(value_name = "COMMAND", required = true, num_args = 1.., trailing_var_arg = true,
          allow_hyphen_values = true, value_parser = clap::builder::OsStringValueParser::new(),
          value_hint = ValueHint::Other)]
    pub command: Vec<std::ffi::OsString>,
}

/// `--interval`: a duration of at least [`MIN_WATCH_INTERVAL`].
fn watch_interval(text: &str) -> Result<Duration, ShowsValue> {
    let d = duration(text)?;
    if d < MIN_WATCH_INTERVAL {
        return Err(ShowsValue(format!(
            "'{}' is too short an interval: the least is 1s",
            crate::text::clip(text)
        )));
    }
    Ok(d)
}
