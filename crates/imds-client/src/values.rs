//! Value types shared by the command line, the settings, the client and the emulator: durations
//! (parsing and the one way they are shown), `version` dates, and the service's base URL. Each
//! type checks what a valid value is in one place.
//!
//! It owns no I/O and imports only the error type and the text helpers.

use std::fmt;
use std::time::Duration;

use crate::error::Error;
use crate::text::clip;

/// The `version` date sent unless `--api-version` or `IMDS_API_VERSION` says otherwise.
pub const DEFAULT_API_VERSION: &str = "2025-08-26";
/// The oldest `version` date the service accepts (docs/SERVICE.md §1.4).
pub const MIN_API_VERSION: &str = "2022-03-01";
/// From this date on the token paths are `/identity/v1/…` (docs/SERVICE.md §2.1).
pub const IDENTITY_PATHS_FROM: &str = "2025-08-26";

/// The service's plain-HTTP address (docs/SERVICE.md §1.1).
pub const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
/// The service's HTTPS address; the host name is required over HTTPS (docs/SERVICE.md §1.1).
pub const DEFAULT_SECURE_ENDPOINT: &str = "https://api.metadata.cloud.ibm.com";

/// The longest duration accepted anywhere (a week).
const MAX_DURATION_SECONDS: f64 = 7.0 * 24.0 * 3600.0;

/// Parses a DURATION: a number with `ms`, `s`, `m` or `h`; a bare number is seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let bad = || {
        format!(
            "'{}' is not a duration: use a number with ms, s, m or h, like 500ms or 2s",
            clip(text)
        )
    };
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
    if !seconds.is_finite() || seconds > MAX_DURATION_SECONDS {
        return Err(format!("'{}' is too long: the most is 168h", clip(text)));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// Whether `text` is a real calendar date written `YYYY-MM-DD` (the service's `version` format).
pub fn is_calendar_date(text: &str) -> bool {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return false;
    }
    let num = |r: std::ops::Range<usize>| text[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// A `version` date, `YYYY-MM-DD`, checked to be a real date no earlier than 2022-03-01.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ApiVersion(String);

impl ApiVersion {
    /// Parses and checks a date; the error says what is wrong and what is accepted.
    pub fn parse(text: &str) -> Result<ApiVersion, String> {
        let not_a_date = || {
            format!(
                "'{}' is not a date: use YYYY-MM-DD, like 2025-08-26",
                clip(text)
            )
        };
        if !is_calendar_date(text) {
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

    /// Whether this date is later than the one imds was built for (2025-08-26).
    pub fn is_newer_than_default(&self) -> bool {
        self.0.as_str() > DEFAULT_API_VERSION
    }
}

impl Default for ApiVersion {
    fn default() -> Self {
        ApiVersion(DEFAULT_API_VERSION.to_string())
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The service's base URL, checked: `http` or `https`, a host, an optional port, nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `scheme://host[:port]`, the scheme lower-case, no trailing slash.
    url: String,
    /// The host without IPv6 brackets.
    host: String,
    port: u16,
    https: bool,
}

impl Endpoint {
    /// Parses a base URL; a trailing slash is dropped. The error says why it is not one.
    ///
    /// Accepted: `http://` or `https://` (any case), a host (a name, an IPv4 address or an IPv6
    /// address in brackets), an optional port of 1 to 65535 in decimal digits, and nothing
    /// after it but one `/`. Refused: user info (the token would go to a URL that carries a
    /// password), a query, a fragment, a path, and any port that is not a number in range,
    /// which a lenient parser would read as no port and send to 80 instead.
    pub fn parse(text: &str) -> Result<Endpoint, &'static str> {
        let lower = text.to_ascii_lowercase();
        let (scheme, rest) = if let Some(rest) = lower.strip_prefix("http://") {
            ("http", &text[text.len() - rest.len()..])
        } else if let Some(rest) = lower.strip_prefix("https://") {
            ("https", &text[text.len() - rest.len()..])
        } else {
            return Err("it must start with http:// or https://");
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty() || authority.starts_with(':') {
            return Err("it has no host");
        }
        if authority.contains('@') {
            return Err("it must not carry a user name or password");
        }
        if authority.contains(['/', '?', '#', '\\'])
            || authority
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err("it must be scheme://host[:port] with no path, query or fragment");
        }
        let https = scheme == "https";
        let (host, port) = split_host_port(authority)?;
        let port = match port {
            None => {
                if https {
                    443
                } else {
                    80
                }
            }
            Some(digits) => parse_port(digits)?,
        };
        let url = format!("{scheme}://{authority}");
        // The host must also be one the HTTP stack reads the same way.
        let uri: ureq::http::Uri = url.parse().map_err(|_| "it is not a valid URL")?;
        let seen = uri.host().unwrap_or_default();
        if seen.trim_start_matches('[').trim_end_matches(']') != host
            || uri.port_u16().unwrap_or(port) != port
        {
            return Err("it is not a valid URL");
        }
        Ok(Endpoint {
            url,
            host: host.to_string(),
            port,
            https,
        })
    }

    /// The base URL, `scheme://host[:port]`.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The host, without the brackets of an IPv6 address.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, given or the scheme's default.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether the endpoint is reached over HTTPS.
    pub fn is_https(&self) -> bool {
        self.https
    }
}

impl std::str::FromStr for Endpoint {
    type Err = Error;

    /// [`Endpoint::parse`], with a usage error that says what is wrong.
    fn from_str(text: &str) -> Result<Endpoint, Error> {
        Endpoint::parse(text).map_err(|why| {
            // A URL with user info may carry a password: it is not echoed.
            let shown = if text.contains('@') {
                "(with user info)".to_string()
            } else {
                format!("'{}'", clip(text))
            };
            Error::usage(format!("bad endpoint {shown}: {why}")).with_hint(
                "use a base URL like http://169.254.169.254 or https://api.metadata.cloud.ibm.com",
            )
        })
    }
}

/// Splits `host[:port]` (an IPv6 host in brackets); the host without brackets, and the port's
/// text when there is a `:`.
fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), &'static str> {
    if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or("its IPv6 address has no closing ']'")?;
        if host.parse::<std::net::Ipv6Addr>().is_err() {
            return Err("the address in brackets is not an IPv6 address");
        }
        match after {
            "" => Ok((host, None)),
            _ => match after.strip_prefix(':') {
                Some(port) => Ok((host, Some(port))),
                None => Err("it must be scheme://host[:port] with nothing else"),
            },
        }
    } else {
        match authority.split_once(':') {
            None => Ok((authority, None)),
            Some((host, port)) => Ok((host, Some(port))),
        }
    }
}

/// A port: 1 to 65535, decimal digits only (no sign, no second `:`).
fn parse_port(digits: &str) -> Result<u16, &'static str> {
    const BAD: &str = "its port must be a number from 1 to 65535";
    if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BAD);
    }
    match digits.parse::<u32>() {
        Ok(n @ 1..=65535) => Ok(n as u16),
        _ => Err(BAD),
    }
}

impl Default for Endpoint {
    fn default() -> Self {
        Endpoint::parse(DEFAULT_ENDPOINT).expect("the default endpoint is a valid URL")
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
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
    fn shown_durations_parse_back() {
        for ms in [300, 2000, 1500, 100, 60_000] {
            let d = Duration::from_millis(ms);
            assert_eq!(parse_duration(&crate::text::show_duration(d)), Ok(d));
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

    #[test]
    fn endpoint_host_and_port() {
        let hp = |url: &str| Endpoint::parse(url).map(|e| (e.host().to_string(), e.port()));
        assert_eq!(
            hp("http://169.254.169.254").unwrap(),
            ("169.254.169.254".to_string(), 80)
        );
        assert_eq!(
            hp("https://api.metadata.cloud.ibm.com").unwrap(),
            ("api.metadata.cloud.ibm.com".to_string(), 443)
        );
        assert_eq!(hp("http://[::1]:8080/").unwrap(), ("::1".to_string(), 8080));
        assert_eq!(
            Endpoint::parse("HTTP://[::1]:8080/").unwrap().as_str(),
            "http://[::1]:8080"
        );
        assert!(hp("ftp://x").is_err());
        assert_eq!(hp("http://h:65535").unwrap().1, 65535);
        assert_eq!(hp("http://h:1/").unwrap().1, 1);
    }

    #[test]
    fn endpoints_that_are_not_plain_base_urls_are_refused() {
        for bad in [
            "http://127.0.0.1:99999",
            "http://127.0.0.1:65536",
            "http://127.0.0.1:0",
            "http://127.0.0.1:",
            "http://127.0.0.1:+80",
            "http://127.0.0.1:80:80",
            "http://127.0.0.1:0080000",
            "http://user:secret@127.0.0.1",
            "http://@127.0.0.1",
            "http://127.0.0.1/?x=1",
            "http://127.0.0.1/#top",
            "http://127.0.0.1/metadata",
            "http://127.0.0.1//",
            "http://127.0.0.1\\@evil",
            "http://[::1",
            "http://[::1]x",
            "http://[not-v6]:80",
            "http://::1:80",
            "http://h st",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad} accepted");
        }
    }
}
