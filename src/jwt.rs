//! A token's claims: the payload of a JWT (RFC 7519), decoded for `imds token --claims`. Nothing
//! here verifies a signature or judges a claim: the claims are shown as the service sent them.
//!
//! Errors never quote the token: it is a credential.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD_INDIFFERENT, URL_SAFE_NO_PAD_INDIFFERENT};
use serde_json::Value;

use crate::error::Error;

/// The claims of `token`, a JWS in compact form (`header.payload.signature`): its payload,
/// base64url-decoded, as a JSON object. Anything else is a bad response (exit 7), since the
/// token came from the service.
///
/// Padding is accepted though RFC 7515 leaves it out, and so is the standard base64 alphabet,
/// which IBM's own recipe (`cut -d . -f 2 | base64 --decode`) decodes.
pub fn claims(token: &str, what: &str) -> Result<Value, Error> {
    let not_jwt = |why: &str| {
        Error::decode(format!("the {what} is not a JWT: {why}"))
            .with_hint("its claims cannot be shown; `--json` prints the answer as it came")
    };
    let parts: Vec<&str> = token.split('.').collect();
    let [_, payload, _] = parts[..] else {
        return Err(not_jwt(&format!(
            "it has {} part{} where a JWT has 3 (header.payload.signature)",
            parts.len(),
            if parts.len() == 1 { "" } else { "s" }
        )));
    };
    let bytes = URL_SAFE_NO_PAD_INDIFFERENT
        .decode(payload)
        .or_else(|_| STANDARD_NO_PAD_INDIFFERENT.decode(payload))
        .map_err(|_| not_jwt("its payload is not base64url"))?;
    match serde_json::from_slice(&bytes) {
        Ok(claims @ Value::Object(_)) => Ok(claims),
        Ok(_) => Err(not_jwt("its payload is not a JSON object")),
        Err(_) => Err(not_jwt("its payload is not JSON")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;

    /// A JWT with `payload` as its encoded payload.
    fn token(payload: &str) -> String {
        format!("eyJhbGciOiJSUzI1NiJ9.{payload}.c2lnbmF0dXJl")
    }

    #[test]
    fn the_payload_is_decoded_with_its_keys_in_order_and_numbers_as_sent() {
        let payload = URL_SAFE_NO_PAD_INDIFFERENT.encode(
            r#"{"iss":"VSI-CR_us-south","exp":1741802544,"iaas":{"region":"us-south"},"n":1.50}"#,
        );
        let claims = claims(&token(&payload), "token").unwrap();
        assert_eq!(
            claims.to_string(),
            r#"{"iss":"VSI-CR_us-south","exp":1741802544,"iaas":{"region":"us-south"},"n":1.50}"#
        );
    }

    #[test]
    fn padding_and_the_standard_alphabet_are_accepted() {
        // The two alphabets encode this payload differently.
        let json = r#"{"a":"~~~?"}"#;
        for payload in [
            URL_SAFE_NO_PAD_INDIFFERENT.encode(json),
            base64::engine::general_purpose::URL_SAFE.encode(json),
            base64::engine::general_purpose::STANDARD.encode(json),
        ] {
            assert_eq!(
                claims(&token(&payload), "token").unwrap()["a"],
                "~~~?",
                "{payload}"
            );
        }
    }

    #[test]
    fn anything_but_a_signed_jwt_with_an_object_is_a_bad_response() {
        let object = URL_SAFE_NO_PAD_INDIFFERENT.encode("{}");
        for (bad, why) in [
            ("opaque-secret-token".to_string(), "it has 1 part where"),
            ("secret.token".to_string(), "it has 2 parts"),
            (format!("a.{object}.c.d.e"), "it has 5 parts"),
            (token("!!!"), "not base64url"),
            (
                token(&URL_SAFE_NO_PAD_INDIFFERENT.encode("[1]")),
                "not a JSON object",
            ),
            (token(&URL_SAFE_NO_PAD_INDIFFERENT.encode("{")), "not JSON"),
        ] {
            let e = claims(&bad, "IAM token").unwrap_err();
            assert_eq!(e.kind(), Kind::BadResponse, "{bad}");
            assert!(
                e.message().starts_with("the IAM token is not a JWT: "),
                "{}",
                e.message()
            );
            assert!(e.message().contains(why), "{bad}: {}", e.message());
            assert!(!e.message().contains("secret"), "{}", e.message());
        }
    }
}
