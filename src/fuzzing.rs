//! Entry points for the client's fuzz targets in `fuzz/` (not an API): each takes arbitrary
//! bytes and must return without panicking, whatever they hold. Each calls the functions the
//! client itself calls, without a socket in between.

use std::time::Duration;

use serde_json::{Value, json};
use ureq::http::{HeaderMap, HeaderName, HeaderValue};

use crate::client::{Answer, Target, collect_pages, header, interpret, retry_after_seconds};
use crate::error::Error;
use crate::field::FieldPath;
use crate::text::show_duration;
use crate::values::{ApiVersion, is_calendar_date, parse_duration};

/// An answer as it comes off a connection, after the HTTP parser: two bytes of status, header
/// lines (`name: value`, lines the HTTP library would refuse are left out), an empty line, the
/// body. Decoded as the client decodes a page of a collection: the head's `Location` and
/// `Retry-After`, then the status and the body into a value or an error, then the pages that
/// value links to (each answered with the same document), and the error's message.
pub fn answer(data: &[u8]) {
    let Some((status, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let status = 100 + u16::from_be_bytes(*status) % 500;
    let (head, body) = match rest.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(at) => (&rest[..at], rest[at + 4..].to_vec()),
        None => (&[][..], rest.to_vec()),
    };
    let mut headers = HeaderMap::new();
    for line in head.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let value = line[colon + 1..].trim_ascii();
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(&line[..colon]),
            HeaderValue::from_bytes(value),
        ) {
            headers.append(name, value);
        }
    }
    let _ = retry_after_seconds(&headers);
    let size = body.len() as u64;
    let answer = Answer {
        status,
        location: header(&headers, "location"),
        body,
    };
    let first = Target::first_page("/metadata/v1/keys", "no keys");
    let result = if status >= 500 || status == 429 {
        Err(Error::from(crate::client::service_error(&first, answer)))
    } else {
        interpret(&first, answer, &ApiVersion::default())
    };
    match result {
        Ok(doc) => {
            let _ = collect_pages(first, |_| Ok((doc.clone(), size)))
                .map_err(|e| crate::failure::render(&e));
        }
        Err(e) => {
            let _ = crate::failure::render(&e);
        }
    }
}

/// A `--field` value, parsed as the command line parses it, then (when it parses) picked out of
/// a small instance document and a list, as the output stage picks.
pub fn field(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(path) = FieldPath::parse(&text) else {
        return;
    };
    let doc: Value = serde_json::from_str(
        r#"{"id": "0717_1e09281b", "name": "my-instance",
            "vcpu": {"count": 2, "architecture": "amd64"},
            "network_interfaces": [{"id": "a", "subnet": {"name": "s"}}, {"id": "b"}],
            "big": 12345678901234567890123, "odd key": [null, true, -0.5, "é"]}"#,
    )
    .unwrap_or_default();
    let list = Value::Array(vec![doc.clone(), json!({"id": "x"}), json!([1, 2])]);
    for (value, each_item) in [(&doc, false), (&list, true), (&list, false)] {
        if let Err(e) = path.select(value, each_item) {
            let _ = crate::failure::render(&e);
        }
    }
}

/// A DURATION (`--timeout`, `--wait`, `IMDS_TIMEOUT`) parsed, shown as messages show it, and the
/// shown form parsed back.
pub fn duration(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(d) = parse_duration(&text) {
        let shown = show_duration(d);
        if d > Duration::ZERO {
            assert!(
                parse_duration(&shown).is_ok(),
                "{text:?} shows as {shown:?}"
            );
        }
    }
}

/// A version date (`--api-version`, `IMDS_API_VERSION`), parsed.
pub fn date(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let calendar = is_calendar_date(&text);
    if let Ok(version) = ApiVersion::parse(&text) {
        assert!(calendar, "{text:?} accepted but not a calendar date");
        let _ = (
            version.uses_identity_paths(),
            version.is_newer_than_default(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_points_take_any_bytes() {
        let samples: [&[u8]; 7] = [
            b"",
            b"\x00",
            b"\x00\x64Retry-After: 3\r\nLocation: /x\r\n\r\n{\"keys\":[1],\"next\":{\"href\":\"/metadata/v1/keys?start=a\"}}",
            b"\x01\x90\r\n\r\n{\"errors\":[{\"code\":\"x\",\"message\":\"\\u001b[2J\"}]}",
            b"$[?(@.vcpu.count > 1)].name",
            b"network_interfaces[-1].subnet.name",
            b"1.5s",
        ];
        for data in samples {
            answer(data);
            field(data);
            duration(data);
            date(data);
        }
        date(b"2025-08-26");
    }
}
