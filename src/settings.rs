//! What the user typed, turned into what we will do: endpoint, version date, timeouts, colour,
//! output mode. Code below `Settings` never sees clap types.
//!
//! This module also holds the value parsers for durations and version dates, so the rules for
//! what a valid value is live in one place.

use std::fmt;
use std::time::Duration;

/// The oldest `version` date the service accepts (spec §1.4).
pub const MIN_API_VERSION: &str = "2022-03-01";
/// From this date on the token paths are `/identity/v1/…` (spec §2.1).
pub const IDENTITY_PATHS_FROM: &str = "2025-08-26";

/// Parses a DURATION: a number with `ms`, `s`, `m` or `h`; a bare number is seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let bad =
        || format!("'{text}' is not a duration: use a number with ms, s, m or h, like 500ms or 2s");
    if number.is_empty() || number.starts_with('.') || number.ends_with('.') {
        return Err(bad());
    }
    let value: f64 = number.parse().map_err(|_| bad())?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        _ => return Err(bad()),
    };
    if !seconds.is_finite() || seconds > 7.0 * 24.0 * 3600.0 {
        return Err(format!("'{text}' is too long: the most is 168h"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// A `version` date, `YYYY-MM-DD`, checked to be a real date no earlier than 2022-03-01.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ApiVersion(String);

impl ApiVersion {
    /// Parses and checks a date; the error says what is wrong and what is accepted.
    pub fn parse(text: &str) -> Result<ApiVersion, String> {
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        let not_a_date = || format!("'{text}' is not a date: use YYYY-MM-DD, like 2025-08-26");
        if !shaped {
            return Err(not_a_date());
        }
        let year: u32 = text[0..4].parse().map_err(|_| not_a_date())?;
        let month: u32 = text[5..7].parse().map_err(|_| not_a_date())?;
        let day: u32 = text[8..10].parse().map_err(|_| not_a_date())?;
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(not_a_date()),
        };
        if day == 0 || day > days {
            return Err(not_a_date());
        }
        if text < MIN_API_VERSION {
            return Err(format!(
                "the service rejects version dates before {MIN_API_VERSION} (got {text})"
            ));
        }
        Ok(ApiVersion(text.to_string()))
    }

    /// The date as sent in `version=`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the token paths are `/identity/v1/…` (else `/instance_identity/v1/…`).
    pub fn uses_identity_paths(&self) -> bool {
        self.0.as_str() >= IDENTITY_PATHS_FROM
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        for bad in ["", "s", "2x", "-1s", "1.s", ".5s", "2 s", "1e3", "999h"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn version_dates() {
        assert!(
            ApiVersion::parse("2025-08-26")
                .unwrap()
                .uses_identity_paths()
        );
        assert!(
            !ApiVersion::parse("2025-08-25")
                .unwrap()
                .uses_identity_paths()
        );
        assert!(ApiVersion::parse("2022-03-01").is_ok());
        assert!(ApiVersion::parse("2024-02-29").is_ok());
        for bad in [
            "2022-02-28",
            "2021-10-12",
            "2023-02-29",
            "2025-13-01",
            "2025-8-26",
            "today",
        ] {
            assert!(ApiVersion::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
