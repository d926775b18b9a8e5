//! Error kinds, their exit codes (DESIGN.md §4) and the one-line rendering on stderr.
//!
//! Every failure that reaches `main` is an [`Error`]: a [`Kind`] that picks the exit code, a
//! lower-case message without a trailing period, and an optional hint. It owns no I/O.

use std::fmt;

/// What went wrong, as far as a script branching on the exit code cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Anything else (exit 1).
    Other,
    /// Bad option, argument, path expression, duration or date (exit 2).
    Usage,
    /// The service answered 404 (exit 3).
    NotFound,
    /// No connection or no answer in time (exit 4).
    Unreachable,
    /// 401 after one fresh token, or 403 (exit 5).
    Refused,
    /// A `--field` path matched nothing (exit 6).
    FieldNotFound,
    /// Not JSON, truncated, over the size cap, or 5xx/429 that outlasted the retries (exit 7).
    BadResponse,
}

impl Kind {
    /// The process exit code for this kind.
    pub fn exit_code(self) -> i32 {
        match self {
            Kind::Other => 1,
            Kind::Usage => 2,
            Kind::NotFound => 3,
            Kind::Unreachable => 4,
            Kind::Refused => 5,
            Kind::FieldNotFound => 6,
            Kind::BadResponse => 7,
        }
    }
}

/// A failure with its kind, message and optional hint.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
}

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Error::new(Kind::Usage, message)
    }

    /// The text for stderr: `imds: <message>` and, when present, `hint: <hint>`, each line
    /// ending with a newline and free of control characters.
    pub fn render(&self) -> String {
        let mut out = format!("imds: {}\n", sanitize(&self.message));
        if let Some(hint) = &self.hint {
            out.push_str(&format!("hint: {}\n", sanitize(hint)));
        }
        out
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

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_strips_control_characters() {
        let e = Error::new(Kind::Other, "bad\nline\x1b[31m").with_hint("do\tthis");
        assert_eq!(e.render(), "imds: bad line [31m\nhint: do this\n");
    }

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
    fn render_strips_bidi_overrides_and_zero_width_characters() {
        let e = Error::new(Kind::Other, "a\u{202E}b\u{200B}c\u{FEFF}d é");
        assert_eq!(e.render(), "imds: a b c d é\n");
    }
}
