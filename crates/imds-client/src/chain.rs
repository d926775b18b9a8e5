//! The certificate chain of an identity certificate answer (docs/SERVICE.md §2.5), checked before
//! anything is written or printed: every entry of `certificates` is one PEM certificate, alone but
//! for surrounding whitespace, that parses as X.509, and the first, the leaf, carries the public
//! key of the signing request that was sent. It does no I/O and does not verify signatures or
//! validity times: trusting the chain is for whoever uses the certificate.

use der::asn1::{AnyRef, BitStringRef};
use der::{Decode, Reader, SliceReader, Tag, TagNumber, Tagged};
use rustls_pki_types::pem::{PemObject, SectionKind};
use serde_json::Value;
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};

use crate::error::Error;

const BEGIN_CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----";
const END_CERTIFICATE: &str = "-----END CERTIFICATE-----";

/// Checks the `certificates` of `answer` against the CSR (PEM) the request carried; exit 7 with
/// what is wrong otherwise.
pub fn check(answer: &Value, csr_pem: &str) -> Result<(), Error> {
    let entries = match answer.get("certificates") {
        Some(Value::Array(entries)) if !entries.is_empty() => entries,
        _ => {
            return Err(Error::decode(
                "the service's answer has no `certificates` array of PEM certificates",
            ));
        }
    };
    let ders = entries
        .iter()
        .enumerate()
        .map(|(n, entry)| {
            entry
                .as_str()
                .ok_or_else(|| "is not a string".to_string())
                .and_then(one_certificate)
                .map_err(|why| {
                    Error::decode(format!(
                        "certificate {} of the service's answer {why}",
                        n + 1
                    ))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let leaf = certificate_key(&ders[0])
        .map_err(|e| Error::decode(format!("the leaf certificate does not parse: {e}")))?;
    let unreadable = |why: String| {
        Error::other(format!(
            "cannot read the certificate signing request sent, to check the certificate against it: {why}"
        ))
    };
    let sent = match pem_block(csr_pem) {
        Ok((SectionKind::Csr, der)) => der,
        Ok(_) => return Err(unreadable("no CERTIFICATE REQUEST block".into())),
        Err(e) => return Err(unreadable(e.to_string())),
    };
    let requested = request_key(&sent).map_err(|e| unreadable(e.to_string()))?;
    if !same_key(&leaf, &requested) {
        return Err(Error::decode(
            "the service's certificate is for another key than the one sent in the request",
        ));
    }
    Ok(())
}

/// The DER of the one certificate `text` holds, or why it is not exactly that (worded to follow
/// "certificate N of the service's answer").
fn one_certificate(text: &str) -> Result<Vec<u8>, String> {
    let block = text.trim();
    match block.matches("-----BEGIN ").count() {
        0 => return Err("is not PEM".into()),
        1 => {}
        n => return Err(format!("holds {n} PEM blocks, not one certificate")),
    }
    if !block.starts_with("-----BEGIN ") {
        return Err("has text around its PEM block".into());
    }
    if !block.starts_with(BEGIN_CERTIFICATE) {
        return Err("holds a PEM block that is not a CERTIFICATE".into());
    }
    if !block.ends_with(END_CERTIFICATE) {
        return Err(if block.contains(END_CERTIFICATE) {
            "has text around its PEM block".into()
        } else {
            format!("has no `{END_CERTIFICATE}` line")
        });
    }
    let der = match pem_block(block) {
        Ok((SectionKind::Certificate, der)) => der,
        Ok(_) => return Err("holds a PEM block that is not a CERTIFICATE".into()),
        Err(e) => return Err(format!("is not valid PEM: {e}")),
    };
    x509(&der)?;
    Ok(der)
}

/// Whether `der` is one X.509 certificate and nothing more.
fn x509(der: &[u8]) -> Result<(), String> {
    match certificate_key(der) {
        Ok(_) => Ok(()),
        Err(e) => match e.kind() {
            der::ErrorKind::TrailingData { remaining, .. } => Err(format!(
                "has {remaining} bytes after the certificate in its PEM block"
            )),
            _ => Err(format!("does not parse as an X.509 certificate: {e}")),
        },
    }
}

/// The public key of the X.509 certificate that is all of `der` (RFC 5280 §4.1):
/// `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }`, and in
/// `tbsCertificate`: `[0] version` (optional), serial number, signature algorithm, issuer,
/// validity, subject, then the key; what follows (unique ids, extensions) is read as DER.
fn certificate_key(der: &[u8]) -> der::Result<SubjectPublicKeyInfoRef<'_>> {
    AnyRef::from_der(der)?.sequence(|certificate: &mut SliceReader<'_>| {
        let tbs: AnyRef<'_> = certificate.decode()?;
        let _algorithm: AlgorithmIdentifierRef<'_> = certificate.decode()?;
        let _signature: BitStringRef<'_> = certificate.decode()?;
        tbs.sequence(|tbs: &mut SliceReader<'_>| {
            let version = Tag::ContextSpecific {
                constructed: true,
                number: TagNumber(0),
            };
            if Tag::peek(tbs)? == version {
                let _version: AnyRef<'_> = tbs.decode()?;
            }
            let serial: AnyRef<'_> = tbs.decode()?;
            serial.tag().assert_eq(Tag::Integer)?;
            let _algorithm: AlgorithmIdentifierRef<'_> = tbs.decode()?;
            for _issuer_validity_subject in 0..3 {
                let part: AnyRef<'_> = tbs.decode()?;
                part.tag().assert_eq(Tag::Sequence)?;
            }
            let key: SubjectPublicKeyInfoRef<'_> = tbs.decode()?;
            while !tbs.is_finished() {
                let _rest: AnyRef<'_> = tbs.decode()?;
            }
            Ok(key)
        })
    })
}

/// The public key of the PKCS #10 signing request that is all of `der` (RFC 2986 §4):
/// `CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm,
/// signature }`, the info holding version, subject, then the key, then attributes.
fn request_key(der: &[u8]) -> der::Result<SubjectPublicKeyInfoRef<'_>> {
    AnyRef::from_der(der)?.sequence(|request: &mut SliceReader<'_>| {
        let info: AnyRef<'_> = request.decode()?;
        let _algorithm: AlgorithmIdentifierRef<'_> = request.decode()?;
        let _signature: BitStringRef<'_> = request.decode()?;
        info.sequence(|info: &mut SliceReader<'_>| {
            let version: AnyRef<'_> = info.decode()?;
            version.tag().assert_eq(Tag::Integer)?;
            let subject: AnyRef<'_> = info.decode()?;
            subject.tag().assert_eq(Tag::Sequence)?;
            let key: SubjectPublicKeyInfoRef<'_> = info.decode()?;
            while !info.is_finished() {
                let _attributes: AnyRef<'_> = info.decode()?;
            }
            Ok(key)
        })
    })
}

/// The first PEM block of `text`: its kind and its bytes.
fn pem_block(text: &str) -> Result<(SectionKind, Vec<u8>), rustls_pki_types::pem::Error> {
    <(SectionKind, Vec<u8>)>::from_pem_slice(text.as_bytes())
}

/// Whether two public keys are the same key: the same algorithm and the same key bits. The
/// algorithm's parameters are left out because their encoding may differ for one key (an RSA
/// key's NULL, present or absent); for EC keys the point's length already tells the curves apart.
fn same_key(a: &SubjectPublicKeyInfoRef<'_>, b: &SubjectPublicKeyInfoRef<'_>) -> bool {
    a.algorithm.oid == b.algorithm.oid && a.subject_public_key == b.subject_public_key
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;
    use serde_json::json;

    /// A certificate: the emulator's test server certificate.
    const CERT: &str = include_str!("../../../tests/data/server.pem");
    /// Another: the test CA that signed it.
    const CA: &str = include_str!("../../../tests/data/ca.pem");

    #[test]
    fn one_certificate_alone_but_for_whitespace() {
        assert!(one_certificate(CERT).is_ok());
        assert!(one_certificate(&format!("\n\t {CERT}\n\n")).is_ok());
        assert!(one_certificate(&CERT.replace('\n', "\r\n")).is_ok());
        assert!(one_certificate(CERT.trim_end()).is_ok());
    }

    #[test]
    fn anything_but_one_certificate_is_refused_saying_why() {
        let body = CERT
            .trim()
            .strip_prefix(BEGIN_CERTIFICATE)
            .and_then(|b| b.strip_suffix(END_CERTIFICATE))
            .unwrap();
        let not_der = format!("{BEGIN_CERTIFICATE}\naGVsbG8gd29ybGQ=\n{END_CERTIFICATE}\n");
        let key = "-----BEGIN PRIVATE KEY-----\naGVsbG8=\n-----END PRIVATE KEY-----\n";
        for (text, says) in [
            ("", "is not PEM"),
            ("<html>It works!</html>", "is not PEM"),
            (&format!("{CERT}{CA}"), "holds 2 PEM blocks"),
            (&format!("{CERT}{CERT}{CERT}"), "holds 3 PEM blocks"),
            (&format!("subject=CN=x\n{CERT}"), "text around"),
            (&format!("{CERT}trailing words"), "text around"),
            (&format!("{CERT}-----"), "text around"),
            (key, "not a CERTIFICATE"),
            (
                &format!("{BEGIN_CERTIFICATE}{body}-----END PRIVATE KEY-----"),
                "has no `-----END CERTIFICATE-----` line",
            ),
            (
                &format!("{BEGIN_CERTIFICATE}\n!!!!\n{END_CERTIFICATE}"),
                "not valid PEM",
            ),
            (&not_der, "does not parse as an X.509 certificate"),
        ] {
            let why = one_certificate(text).unwrap_err();
            assert!(why.contains(says), "{text:?}: {why}");
        }
    }

    #[test]
    fn bytes_after_the_certificate_are_refused() {
        let mut der = one_certificate(CERT).unwrap();
        assert_eq!(x509(&der), Ok(()));
        der.extend_from_slice(&[0, 0]);
        let why = x509(&der).unwrap_err();
        assert!(why.contains("2 bytes after the certificate"), "{why}");
        let why = x509(&der[..40]).unwrap_err();
        assert!(why.contains("does not parse"), "{why}");
    }

    #[test]
    fn an_answer_without_a_chain_is_a_bad_response() {
        for answer in [
            json!({}),
            json!({"certificates": []}),
            json!({"certificates": CERT}),
            json!({"certificates": [CERT, 5]}),
            json!({"certificates": [CERT, format!("{CA}{CA}")]}),
        ] {
            let e = check(&answer, "no csr needed to fail").unwrap_err();
            assert_eq!(e.kind(), Kind::BadResponse, "{answer}: {e}");
        }
        let e = check(&json!({"certificates": [CERT, 5]}), "").unwrap_err();
        assert_eq!(
            e.to_string(),
            "certificate 2 of the service's answer is not a string"
        );
    }

    /// A chain whose leaf carries `key`'s public half, self-signed: the check leaves trust to
    /// the user of the certificate.
    #[cfg(feature = "tls")]
    fn chain_for(key: &rcgen::KeyPair) -> Value {
        let leaf = rcgen::CertificateParams::new(Vec::<String>::new())
            .unwrap()
            .self_signed(key)
            .unwrap();
        json!({"certificates": [leaf.pem(), CA]})
    }

    #[cfg(feature = "tls")]
    #[test]
    fn the_leaf_must_carry_the_key_of_the_request() {
        use crate::csr::{KeyType, Subject, generate};
        let request = generate(KeyType::EcP256, &Subject::default()).unwrap();
        let key = rcgen::KeyPair::from_pem(request.key.expose()).unwrap();
        assert_eq!(check(&chain_for(&key), &request.csr_pem), Ok(()));
        let other = rcgen::KeyPair::generate().unwrap();
        let e = check(&chain_for(&other), &request.csr_pem).unwrap_err();
        assert_eq!(e.kind(), Kind::BadResponse);
        assert!(e.to_string().contains("another key"), "{e}");
        // The request's key is read from the request itself, RSA too.
        let rsa = generate(KeyType::Rsa4096, &Subject::default()).unwrap();
        let rsa_key = rcgen::KeyPair::from_pem(rsa.key.expose()).unwrap();
        assert_eq!(check(&chain_for(&rsa_key), &rsa.csr_pem), Ok(()));
        assert!(check(&chain_for(&key), &rsa.csr_pem).is_err());
        // A request that cannot be read is no reason to trust the chain.
        let e = check(&chain_for(&key), "not a request").unwrap_err();
        assert_eq!(e.kind(), Kind::Other);
    }
}
