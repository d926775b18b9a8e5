//! The secret [`Token`]: an identity or IAM access token that never shows in `Debug`, in
//! messages or in `-v` output, and the checks on where one comes from (`IMDS_TOKEN`, a token
//! response). Which token to send, and when to mint one, is [`crate::session`]'s business.

use std::fmt;

use serde_json::Value;

use crate::error::{Advice, Error};

/// An identity or IAM access token. `Debug` prints `[redacted]` and there is no `Display`:
/// the raw value is reached only through [`Token::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

/// Whether `text` can be a token: one or more JWT characters (base64url and the dot that joins
/// a JWT's parts, plus `~`, `+`, `/` and `=`, which RFC 6750 allows in a bearer token). Nothing
/// else: such a token is safe in a header, and in `export IMDS_TOKEN='…'` under sh, bash, zsh
/// and fish alike (no quote, `$`, backslash or blank to break out of the quotes).
pub fn is_token_text(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'+' | b'/' | b'=')
        })
}

impl Token {
    /// Wraps a token from `IMDS_TOKEN`; it must be token text (see `is_token_text`).
    pub fn from_env(text: &str) -> Result<Token, Error> {
        if is_token_text(text) {
            Ok(Token(text.to_string()))
        } else {
            Err(Error::usage(
                "IMDS_TOKEN holds characters a token cannot have (only A-Z a-z 0-9 - _ . ~ + / =)",
            )
            .with_advice(Advice::TokenVariable))
        }
    }

    /// The raw token, for the `Authorization` header and for `imds token`'s own output.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// `error` with every copy of this token in its message and hint replaced by `[redacted]`:
    /// the service's error text is shown to the user, and nothing says it cannot echo the token.
    pub fn redact(&self, error: Error) -> Error {
        error.redact(&self.0)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Reads `access_token` from a token response.
pub fn access_token(doc: &Value, what: &str) -> Result<Token, Error> {
    match doc.get("access_token").and_then(Value::as_str) {
        Some(t) if is_token_text(t) => Ok(Token(t.to_string())),
        // The token itself is not shown: it may be a real one the service mangled.
        Some(_) => Err(Error::decode(format!(
            "the {what} response's access_token holds characters a token cannot have (only A-Z a-z 0-9 - _ . ~ + / =)"
        ))),
        None => Err(Error::decode(format!(
            "the {what} response has no usable access_token"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let t = Token::from_env("secret-value").unwrap();
        assert_eq!(format!("{t:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&t)), "Some([redacted])");
        assert_eq!(t.expose(), "secret-value");
    }

    #[test]
    fn env_token_must_fit_a_header() {
        assert!(Token::from_env("a b").is_err());
        assert!(Token::from_env("a\nb").is_err());
    }

    #[test]
    fn tokens_are_jwt_characters_only() {
        assert!(is_token_text("eyJhbGciOi.J9-_.~+/="));
        for bad in [
            "", "a'b", "a$b", "a`b", "a\\b", "a;b", "a\"b", "a(b)", "a b", "a%b", "é",
        ] {
            assert!(!is_token_text(bad), "{bad:?}");
            assert!(Token::from_env(bad).is_err(), "{bad:?}");
            let doc = serde_json::json!({ "access_token": bad });
            let e = access_token(&doc, "token").unwrap_err();
            assert_eq!(e.kind(), crate::error::Kind::BadResponse);
            assert!(
                bad.is_empty() || !e.message().contains(bad),
                "{}",
                e.message()
            );
        }
    }
}
