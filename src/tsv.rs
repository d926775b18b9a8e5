//! Escaping a value for a column of tab-separated output, as jq's `@tsv` does, so that a tab,
//! line break or backslash inside a value cannot shift the columns after it.

use std::borrow::Cow;

/// `\` → `\\`, tab → `\t`, newline → `\n`, carriage return → `\r` (jq 1.6 on); everything else
/// as it is. Reading a column back is the reverse, which `\\` keeps unambiguous.
pub fn escape(value: &str) -> Cow<'_, str> {
    if !value.contains(['\\', '\t', '\n', '\r']) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            '\t' => out.push_str(r"\t"),
            '\n' => out.push_str(r"\n"),
            '\r' => out.push_str(r"\r"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_jq_tsv() {
        assert_eq!(escape("plain text"), "plain text");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(escape("a\tb"), r"a\tb");
        assert_eq!(escape("a\nb\r\n"), r"a\nb\r\n");
        assert_eq!(escape(r"C:\dir\t"), r"C:\\dir\\t");
        assert_eq!(escape("ünï\u{7}"), "ünï\u{7}");
    }

    /// The reverse of `escape`, as a reader of the columns would write it.
    fn unescape(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        }
        out
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn escaped_values_hold_no_separator_and_read_back(value in "[a\\\\\t\n\r\"é ]{0,16}") {
            let escaped = escape(&value);
            prop_assert!(!escaped.contains(['\t', '\n', '\r']));
            prop_assert_eq!(unescape(&escaped), value);
        }
    }
}
