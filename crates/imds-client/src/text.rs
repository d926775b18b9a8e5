//! Text that messages echo: user input clipped to a readable length, outside text cleaned of
//! what could break a line or drive a terminal, the one way a duration is shown, and the one way
//! messages reach stderr. Imports nothing of the crate.

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
///
/// The one sanitiser for every piece of text from the service or the environment that is
/// printed as a message, on any stream: error and hint lines, `-v` lines, `doctor`'s report.
/// Output data (the JSON document, picked values, user data) never goes through it.
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

/// Bidirectional marks, overrides and isolates, zero-width characters, the line and paragraph
/// separators (at which some terminals and editors break lines) and the byte-order mark.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Writes `text` to stderr and ignores any failure: a closed, full or unread stderr must not
/// turn into a panic (as `eprint!` does) or change the exit code the run earned.
pub fn to_stderr(text: &str) {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
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

    #[test]
    fn sanitize_leaves_one_printable_line() {
        let hostile =
            "\u{1b}]0;t\u{7}\u{1b}[2J\r✓ x\n\u{9b}31m\u{2028}\u{2029}\u{61C}\u{2066}\u{202E}y";
        let clean = sanitize(hostile);
        assert!(
            clean
                .chars()
                .all(|c| !c.is_control() && !is_invisible_format(c)),
            "{clean:?}"
        );
        assert!(clean.contains("✓ x") && clean.ends_with('y'), "{clean:?}");
        assert_eq!(sanitize("zone us-south-1, é"), "zone us-south-1, é");
    }
}
