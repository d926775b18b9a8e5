//! The value parsers more than one file of definitions uses (durations, version dates), and
//! [`ShowsValue`], the error of a value parser whose message already shows the value, which
//! the usage message then does not repeat.

use std::fmt;
use std::time::Duration;

use crate::values::{ApiVersion, parse_duration};

/// A value parser's error whose message already shows the value, so the usage message does not
/// repeat it.
#[derive(Debug)]
pub struct ShowsValue(pub String);

impl fmt::Display for ShowsValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ShowsValue {}

/// A `version` date for `--api-version`.
pub(super) fn api_version(text: &str) -> Result<ApiVersion, ShowsValue> {
    ApiVersion::parse(text).map_err(ShowsValue)
}

/// A duration for `--timeout`, `--wait` and `--max-time`.
pub(super) fn duration(text: &str) -> Result<Duration, ShowsValue> {
    parse_duration(text).map_err(ShowsValue)
}
