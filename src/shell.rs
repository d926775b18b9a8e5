//! `--shell NAME=PATH`: the option's value, and the `NAME='value'` lines it prints, quoted so
//! that `eval` in sh, dash, bash and zsh assigns the value exactly, whatever it holds. Picking
//! the value is the output stage's job.

use std::fmt;

use crate::field::FieldPath;
use crate::text::clip;

/// What a `--shell` value must look like, for messages.
const FORM: &str = "give NAME=PATH, like zone=zone.name";

/// One `--shell NAME=PATH`: a shell variable and the field that gives its value.
#[derive(Debug, Clone)]
pub struct ShellVar {
    /// The variable: `[A-Za-z_][A-Za-z0-9_]*`.
    pub name: String,
    /// The field, as for `--field`.
    pub path: FieldPath,
}

impl ShellVar {
    /// Parses `NAME=PATH`; a bad name or path is a usage error that says which.
    pub fn parse(text: &str) -> Result<ShellVar, String> {
        let Some((name, path)) = text.split_once('=') else {
            return Err(format!("'{}' has no '=': {FORM}", clip(text)));
        };
        if !is_name(name) {
            return Err(format!(
                "'{}' is not a shell variable name: use letters, digits and '_', not starting \
                 with a digit",
                clip(name)
            ));
        }
        if path.is_empty() {
            return Err(format!("{name}= has no path: {FORM}"));
        }
        let path = FieldPath::parse(path).map_err(|why| format!("the path of {name}: {why}"))?;
        Ok(ShellVar {
            name: name.to_string(),
            path,
        })
    }
}

impl fmt::Display for ShellVar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.name, self.path)
    }
}

/// Whether `name` is a POSIX shell variable name (XBD 3.235 "Name").
pub fn is_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A value a shell variable cannot hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the value of {name} holds a NUL character, which a shell variable cannot hold")]
pub struct HoldsNul {
    /// The variable.
    pub name: String,
}

/// Appends `NAME='value'` and a newline to `out`.
///
/// Inside single quotes every byte is literal in every POSIX shell (XCU 2.2.2), so the only
/// byte to handle is `'` itself, written as `'\''` (close, escaped quote, reopen). Newlines,
/// `$`, backquotes, backslashes and any other UTF-8 text stay as they are. NUL is the one thing
/// a shell variable cannot hold (shells cut the value there or drop it).
pub fn assign(out: &mut Vec<u8>, name: &str, value: &str) -> Result<(), HoldsNul> {
    if value.contains('\0') {
        return Err(HoldsNul {
            name: name.to_string(),
        });
    }
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"='");
    out.extend_from_slice(value.replace('\'', r"'\''").as_bytes());
    out.extend_from_slice(b"'\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, value: &str) -> String {
        let mut out = Vec::new();
        assign(&mut out, name, value).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn values_are_single_quoted() {
        assert_eq!(line("zone", "us-south-1"), "zone='us-south-1'\n");
        assert_eq!(line("e", ""), "e=''\n");
        assert_eq!(line("q", "it's"), "q='it'\\''s'\n");
        assert_eq!(line("q", "''"), "q=''\\'''\\'''\n");
        assert_eq!(
            line("x", "$(rm -rf /) `id` \\ \"\n$HOME"),
            "x='$(rm -rf /) `id` \\ \"\n$HOME'\n"
        );
    }

    #[test]
    fn nul_cannot_be_assigned() {
        let mut out = Vec::new();
        let e = assign(&mut out, "ud", "a\0b").unwrap_err();
        assert_eq!(e.name, "ud");
        assert!(out.is_empty());
    }

    #[test]
    fn names() {
        for ok in ["a", "_", "_1", "zone", "ZONE_NAME", "a1b2"] {
            assert!(is_name(ok), "{ok}");
        }
        for bad in ["", "1a", "a-b", "a.b", "a b", "é", "a$", "-"] {
            assert!(!is_name(bad), "{bad}");
        }
    }

    #[test]
    fn parse_splits_at_the_first_equals_sign() {
        let v = ShellVar::parse("zone=zone.name").unwrap();
        assert_eq!(v.name, "zone");
        assert_eq!(v.path.to_string(), "zone.name");
        let v = ShellVar::parse("n=$[?@.a=='b'].c").unwrap();
        assert_eq!(v.path.to_string(), "$[?@.a=='b'].c");
        assert!(v.path.is_jsonpath());
        assert_eq!(v.to_string(), "n=$[?@.a=='b'].c");
    }

    #[test]
    fn parse_says_what_is_wrong() {
        for (text, want) in [
            ("zone", "'zone' has no '=': give NAME=PATH"),
            ("1zone=zone.name", "'1zone' is not a shell variable name"),
            (
                "my-zone=zone.name",
                "'my-zone' is not a shell variable name",
            ),
            ("=zone.name", "'' is not a shell variable name"),
            ("zone=", "zone= has no path"),
            ("zone=a..b", "the path of zone: empty key"),
        ] {
            let e = ShellVar::parse(text).unwrap_err();
            assert!(e.starts_with(want), "{text}: {e}");
        }
    }
}
