//! Text that messages echo: user input clipped to a readable length, and outside text cleaned of
//! what could break a line or drive a terminal, and the one way a duration is shown. Imports
//! nothing of the crate.

use std::time::Duration;

/// A duration as every message shows it, in a form `--timeout` accepts back: `300ms`, `2s`,
/// `1.5s`.
pub fn show_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{}s", d.as_secs())
    } else if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// The most characters of user input a message echoes.
pub const ECHO_LIMIT: usize = 80;

/// User input (a path, a value, an id) as a message echoes it: at most [`ECHO_LIMIT`]
/// characters, the rest replaced by `…`, so a huge argument cannot flood the terminal.
pub fn clip(text: &str) -> String {
    match text.char_indices().nth(ECHO_LIMIT - 1) {
        Some((at, _)) if text[at..].chars().nth(1).is_some() => format!("{}…", &text[..at]),
        _ => text.to_string(),
    }
}

/// Replaces control characters and the invisible formatting characters that reorder or hide
/// text (service-supplied text may carry any) so a message stays one line, reads as it is, and
/// cannot drive the terminal.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_invisible_format(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Bidirectional overrides and isolates, zero-width characters and the byte-order mark.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_input_is_clipped() {
        assert_eq!(clip("short"), "short");
        let exact = "é".repeat(ECHO_LIMIT);
        assert_eq!(clip(&exact), exact);
        let long = "é".repeat(ECHO_LIMIT + 1);
        let clipped = clip(&long);
        assert_eq!(clipped.chars().count(), ECHO_LIMIT);
        assert!(clipped.ends_with('…'));
    }

    #[test]
    fn durations_show_as_they_are_typed() {
        for (ms, shown) in [(300, "300ms"), (2000, "2s"), (1500, "1.5s"), (0, "0ms")] {
            assert_eq!(show_duration(Duration::from_millis(ms)), shown);
        }
    }
}
