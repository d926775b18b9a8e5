//! The emulator's certificate authority for instance identity certificates (docs/SERVICE.md §2.5):
//! a root and an intermediate made at start-up, and the rules of `POST …/certificates` for its
//! body: the CSR holds only C, ST, L, O and OU, no CN and no extensions; `expires_in` is 300–3600
//! seconds. It does no I/O: the route checks the token and turns a [`Rejection`] into the
//! service's error answer.
//!
//! The CA keys are EC P-256 so that start-up stays fast; the leaf carries the CSR's own key,
//! whatever its type.

use crate::faults::ChainDefect;
use crate::util;
use rcgen::{
    BasicConstraints, Certificate, CertificateParams, CertificateSigningRequestParams,
    DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
    PKCS_ECDSA_P256_SHA256, SerialNumber,
};
use serde_json::{Map, Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use time::OffsetDateTime;
use x509_parser::cri_attributes::ParsedCriAttribute;
use x509_parser::oid_registry::{
    OID_X509_COMMON_NAME, OID_X509_COUNTRY_NAME, OID_X509_LOCALITY_NAME,
    OID_X509_ORGANIZATION_NAME, OID_X509_ORGANIZATIONAL_UNIT, OID_X509_STATE_OR_PROVINCE_NAME,
};
use x509_parser::prelude::{FromDer, X509CertificationRequest};

/// Certificate lifetime bounds and default, seconds (docs/SERVICE.md §2.5; IBM's mount helper keeps
/// within 300–3600, and the service's default is 3600).
pub const CERT_MIN_SECONDS: u64 = 300;
pub const CERT_MAX_SECONDS: u64 = 3600;
pub const CERT_DEFAULT_SECONDS: u64 = 3600;
/// How long the emulator's own CA certificates are valid, from start-up.
const CA_LIFETIME: Duration = Duration::from_secs(10 * 365 * 24 * 3600);
/// How far back the CA certificates' validity starts, for clocks a little behind ours.
const CA_BACKDATE: Duration = Duration::from_secs(3600);
/// The body properties the operation takes.
const PROPERTIES: &[&str] = &["csr", "expires_in"];

/// Why a request was refused: the error item of a 400 answer (docs/SERVICE.md §5), on a body field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: &'static str,
    pub message: String,
    /// The body property at fault.
    pub field: String,
    pub value: Option<String>,
}

impl Rejection {
    fn invalid(field: &str, message: impl Into<String>, value: Option<String>) -> Rejection {
        Rejection {
            code: "invalid_value",
            message: message.into(),
            field: field.to_string(),
            value,
        }
    }

    fn csr(message: impl Into<String>) -> Rejection {
        Rejection::invalid("csr", message, None)
    }
}

/// A root CA and the intermediate that signs leaves, made at start-up.
pub struct Authority {
    root: Certificate,
    intermediate: Certificate,
    intermediate_key: KeyPair,
}

impl std::fmt::Debug for Authority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Authority { .. }")
    }
}

impl Authority {
    /// A new root and intermediate, both EC P-256, valid from an hour ago for ten years.
    pub fn new() -> Result<Authority, rcgen::Error> {
        let now = SystemTime::now();
        let root_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut root = ca_params(
            "imds-mock root CA",
            now,
            IsCa::Ca(BasicConstraints::Unconstrained),
        );
        root.use_authority_key_identifier_extension = false;
        let root = root.self_signed(&root_key)?;
        let intermediate_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut intermediate = ca_params(
            "imds-mock intermediate CA",
            now,
            IsCa::Ca(BasicConstraints::Constrained(0)),
        );
        intermediate.use_authority_key_identifier_extension = true;
        let intermediate = intermediate.signed_by(&intermediate_key, &root, &root_key)?;
        Ok(Authority {
            root,
            intermediate,
            intermediate_key,
        })
    }

    /// The root certificate in PEM, for clients to trust (`imds-mock --ca-out`).
    pub fn root_pem(&self) -> String {
        lf(self.root.pem())
    }

    /// The intermediate certificate in PEM, the second of every answer's chain.
    pub fn intermediate_pem(&self) -> String {
        lf(self.intermediate.pem())
    }

    /// Answers a certificates request body for the instance `instance_id` at `now`: the
    /// documented response body (docs/SERVICE.md §2.5), or why the request is refused.
    pub fn issue(
        &self,
        body: &Map<String, Value>,
        instance_id: &str,
        now: SystemTime,
    ) -> Result<Value, Rejection> {
        self.issue_spoilt(body, instance_id, now, None)
    }

    /// As [`Authority::issue`], with the chain of a successful answer spoilt as `defect` says
    /// (the `bad_chain` fault); a request that is refused is refused all the same.
    pub fn issue_spoilt(
        &self,
        body: &Map<String, Value>,
        instance_id: &str,
        now: SystemTime,
        defect: Option<ChainDefect>,
    ) -> Result<Value, Rejection> {
        if let Some(key) = body.keys().find(|k| !PROPERTIES.contains(&k.as_str())) {
            return Err(Rejection {
                code: "unknown_field",
                message: format!("Unknown property `{key}` in the request body."),
                field: key.clone(),
                value: None,
            });
        }
        let csr = match body.get("csr") {
            None | Some(Value::Null) => {
                return Err(Rejection {
                    code: "missing_field",
                    message: "A certificate signing request was not passed in the `csr` field."
                        .into(),
                    field: "csr".into(),
                    value: None,
                });
            }
            Some(Value::String(s)) => s,
            Some(_) => return Err(Rejection::csr("The `csr` field must be a string.")),
        };
        let lifetime = lifetime(body.get("expires_in"))?;
        let mut request = check_csr(csr)?;
        let not_before = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let not_after = not_before + lifetime;
        let params = &mut request.params;
        // The service names the instance in the CN (docs/SERVICE.md §2.5).
        params
            .distinguished_name
            .push(DnType::CommonName, instance_id);
        params.not_before = offset_time(not_before);
        params.not_after = offset_time(not_after);
        params.serial_number = Some(serial());
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        params.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ClientAuth,
            ExtendedKeyUsagePurpose::ServerAuth,
        ];
        params.use_authority_key_identifier_extension = true;
        let signed = if defect == Some(ChainDefect::WrongKey) {
            KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).and_then(|other| {
                request
                    .params
                    .signed_by(&other, &self.intermediate, &self.intermediate_key)
            })
        } else {
            request.signed_by(&self.intermediate, &self.intermediate_key)
        };
        let leaf = signed.map_err(|e| {
            Rejection::csr(format!(
                "The certificate signing request cannot be signed: {e}."
            ))
        })?;
        let (leaf, intermediate) = (lf(leaf.pem()), self.intermediate_pem());
        let chain = match defect {
            None | Some(ChainDefect::WrongKey) => vec![leaf, intermediate],
            Some(ChainDefect::Joined) => vec![format!("{leaf}{intermediate}")],
            Some(ChainDefect::NotX509) => vec![not_x509_pem(), intermediate],
            Some(ChainDefect::NotPem) => vec![NOT_PEM.to_string(), intermediate],
        };
        Ok(json!({
            "certificates": chain,
            "created_at": util::rfc3339(not_before as f64),
            "expires_at": util::rfc3339(not_after as f64),
            "expires_in": lifetime,
            "id": util::uuid(),
        }))
    }
}

/// The requested lifetime: absent means the default; else an integer in range.
fn lifetime(value: Option<&Value>) -> Result<u64, Rejection> {
    match value {
        None | Some(Value::Null) => Ok(CERT_DEFAULT_SECONDS),
        Some(v) => match v.as_u64() {
            Some(n) if (CERT_MIN_SECONDS..=CERT_MAX_SECONDS).contains(&n) => Ok(n),
            _ => Err(Rejection::invalid(
                "expires_in",
                format!(
                    "The value provided for the `expires_in` field must be between `{CERT_MIN_SECONDS}` and `{CERT_MAX_SECONDS}`."
                ),
                Some(v.as_str().map_or_else(|| v.to_string(), str::to_string)),
            )),
        },
    }
}

/// Reads and checks a PEM CSR: well formed, self-signature valid, subject of C, ST, L, O and OU
/// only, no extensions.
fn check_csr(pem_text: &str) -> Result<CertificateSigningRequestParams, Rejection> {
    let malformed =
        || Rejection::csr("The `csr` field must hold a certificate signing request in PEM.");
    let (_, pem) = x509_parser::pem::parse_x509_pem(pem_text.trim_start().as_bytes())
        .map_err(|_| malformed())?;
    if pem.label != "CERTIFICATE REQUEST" && pem.label != "NEW CERTIFICATE REQUEST" {
        return Err(malformed());
    }
    let (_, csr) = X509CertificationRequest::from_der(&pem.contents).map_err(|_| malformed())?;
    if csr.verify_signature().is_err() {
        return Err(Rejection::csr(
            "The certificate signing request's signature does not verify.",
        ));
    }
    let allowed = [
        &OID_X509_COUNTRY_NAME,
        &OID_X509_STATE_OR_PROVINCE_NAME,
        &OID_X509_LOCALITY_NAME,
        &OID_X509_ORGANIZATION_NAME,
        &OID_X509_ORGANIZATIONAL_UNIT,
    ];
    for attribute in csr.certification_request_info.subject.iter_attributes() {
        let oid = attribute.attr_type();
        if *oid == OID_X509_COMMON_NAME {
            return Err(Rejection::csr(
                "The certificate signing request must not have a common name (CN): the CN is set to the instance ID.",
            ));
        }
        if !allowed.contains(&oid) {
            return Err(Rejection::csr(format!(
                "The certificate signing request's subject may only hold C, ST, L, O and OU, not `{oid}`."
            )));
        }
    }
    let extensions = csr.certification_request_info.iter_attributes().any(|a| {
        matches!(
            a.parsed_attribute(),
            ParsedCriAttribute::ExtensionRequest(_)
        )
    });
    if extensions {
        return Err(Rejection::csr(
            "The certificate signing request must not have extensions.",
        ));
    }
    // Checked above; rcgen reads the same request for its key and names.
    CertificateSigningRequestParams::from_der(&pem.contents.clone().into()).map_err(|e| {
        Rejection::csr(format!(
            "The certificate signing request is not supported: {e}."
        ))
    })
}

/// PEM with `\n` line ends on every system, as the service sends it: rcgen ends its lines
/// with `\r\n` on Windows.
fn lf(pem: String) -> String {
    pem.replace("\r\n", "\n")
}

/// The leaf of a `not_pem` chain: no PEM block, as from a server that is not the service.
const NOT_PEM: &str = "<html><body>It works!</body></html>\n";

/// The leaf of a `not_x509` chain: a well-formed PEM block labelled CERTIFICATE whose bytes are
/// not DER.
fn not_x509_pem() -> String {
    use base64::Engine;
    let text = base64::engine::general_purpose::STANDARD.encode(b"this is not a certificate");
    format!("-----BEGIN CERTIFICATE-----\n{text}\n-----END CERTIFICATE-----\n")
}

fn ca_params(name: &str, now: SystemTime, is_ca: IsCa) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "imds-mock");
    dn.push(DnType::CommonName, name);
    params.distinguished_name = dn;
    let start = now
        .checked_sub(CA_BACKDATE)
        .unwrap_or(now)
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    params.not_before = offset_time(start);
    params.not_after = offset_time(start + CA_LIFETIME.as_secs());
    params.serial_number = Some(serial());
    params.is_ca = is_ca;
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params
}

fn offset_time(unix_seconds: u64) -> OffsetDateTime {
    i64::try_from(unix_seconds)
        .ok()
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// A positive 128-bit serial number (RFC 5280 §4.1.2.2).
fn serial() -> SerialNumber {
    let mut bytes = util::random_bytes(16);
    bytes[0] &= 0x7f;
    bytes[0] |= 0x01;
    SerialNumber::from_slice(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::SanType;
    use x509_parser::prelude::{X509Certificate, parse_x509_certificate};

    const INSTANCE: &str = "0717_eb1b7391-2ca2-4ab5-84a8-b92157a633b0";

    fn authority() -> Authority {
        Authority::new().unwrap()
    }

    /// A CSR made by rcgen with `subject` and, optionally, a SAN extension.
    fn csr(subject: &[(DnType, &str)], san: bool) -> String {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
        let mut params = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        for (t, v) in subject {
            dn.push(t.clone(), *v);
        }
        params.distinguished_name = dn;
        if san {
            params.subject_alt_names = vec![SanType::DnsName("host".try_into().unwrap())];
        }
        params.serialize_request(&key).unwrap().pem().unwrap()
    }

    fn body(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn der(pem_text: &str) -> Vec<u8> {
        let (_, pem) = x509_parser::pem::parse_x509_pem(pem_text.as_bytes()).unwrap();
        pem.contents
    }

    fn parse(der: &[u8]) -> X509Certificate<'_> {
        parse_x509_certificate(der).unwrap().1
    }

    #[test]
    fn signs_a_leaf_named_after_the_instance() {
        let ca = authority();
        let request = csr(
            &[
                (DnType::CountryName, "US"),
                (DnType::OrganizationName, "Example"),
            ],
            false,
        );
        let now = SystemTime::now();
        let answer = ca
            .issue(
                &body(json!({"csr": request, "expires_in": 600})),
                INSTANCE,
                now,
            )
            .unwrap();
        assert_eq!(answer["expires_in"], 600);
        let chain = answer["certificates"].as_array().unwrap();
        assert_eq!(chain.len(), 2);
        assert_eq!(chain[1], ca.intermediate_pem());
        // PEM lines end with \n, as the service's do, on Windows too.
        for pem in [
            chain[0].as_str().unwrap(),
            &ca.intermediate_pem(),
            &ca.root_pem(),
        ] {
            assert!(pem.ends_with("-----\n") && !pem.contains('\r'), "{pem:?}");
        }
        let (leaf_der, inter_der, root_der) = (
            der(chain[0].as_str().unwrap()),
            der(&ca.intermediate_pem()),
            der(&ca.root_pem()),
        );
        let (leaf, inter, root) = (parse(&leaf_der), parse(&inter_der), parse(&root_der));
        let names: Vec<String> = leaf
            .subject()
            .iter_attributes()
            .map(|a| format!("{}={}", a.attr_type(), a.as_str().unwrap()))
            .collect();
        assert_eq!(
            names,
            [
                "2.5.4.6=US",
                "2.5.4.10=Example",
                &format!("2.5.4.3={INSTANCE}")
            ]
        );
        // The chain verifies: leaf by the intermediate, intermediate by the root.
        leaf.verify_signature(Some(inter.public_key())).unwrap();
        inter.verify_signature(Some(root.public_key())).unwrap();
        root.verify_signature(None).unwrap();
        assert_eq!(leaf.issuer(), inter.subject());
        assert!(!leaf.is_ca());
        assert!(inter.is_ca());
        // The requested lifetime, from now.
        let validity = leaf.validity();
        assert_eq!(
            validity.not_after.timestamp() - validity.not_before.timestamp(),
            600
        );
        let start = now.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
        assert_eq!(validity.not_before.timestamp(), start);
        assert_eq!(answer["created_at"], util::rfc3339(start as f64));
        assert_eq!(answer["expires_at"], util::rfc3339((start + 600) as f64));
        // The CSR's key.
        let (_, request_pem) = x509_parser::pem::parse_x509_pem(request.as_bytes()).unwrap();
        let (_, parsed) = X509CertificationRequest::from_der(&request_pem.contents).unwrap();
        assert_eq!(
            leaf.public_key().raw,
            parsed.certification_request_info.subject_pki.raw
        );
    }

    #[test]
    fn default_lifetime_and_bounds() {
        let ca = authority();
        let ok = |n: Value| {
            ca.issue(
                &body(json!({"csr": csr(&[], false), "expires_in": n})),
                INSTANCE,
                SystemTime::now(),
            )
        };
        assert_eq!(
            ca.issue(
                &body(json!({"csr": csr(&[], false)})),
                INSTANCE,
                SystemTime::now()
            )
            .unwrap()["expires_in"],
            3600
        );
        assert!(ok(json!(300)).is_ok());
        assert!(ok(json!(3600)).is_ok());
        for bad in [
            json!(299),
            json!(3601),
            json!(-1),
            json!("600"),
            json!(600.5),
        ] {
            let e = ok(bad.clone()).unwrap_err();
            assert_eq!(e.code, "invalid_value", "{bad}");
            assert_eq!(e.field, "expires_in");
            assert!(e.message.contains("`300` and `3600`"), "{}", e.message);
        }
        assert_eq!(ok(json!(299)).unwrap_err().value.as_deref(), Some("299"));
    }

    #[test]
    fn refuses_a_common_name_an_extension_or_other_names() {
        let ca = authority();
        let issue = |csr: String| ca.issue(&body(json!({"csr": csr})), INSTANCE, SystemTime::now());
        let e = issue(csr(&[(DnType::CommonName, "me")], false)).unwrap_err();
        assert_eq!((e.code, e.field.as_str()), ("invalid_value", "csr"));
        assert!(e.message.contains("common name (CN)"), "{}", e.message);
        let e = issue(csr(&[(DnType::CountryName, "US")], true)).unwrap_err();
        assert!(e.message.contains("extensions"), "{}", e.message);
        let e = issue(csr(
            &[(
                DnType::CustomDnType(vec![1, 2, 840, 113549, 1, 9, 1]),
                "a@b",
            )],
            false,
        ))
        .unwrap_err();
        assert!(
            e.message.contains("only hold C, ST, L, O and OU"),
            "{}",
            e.message
        );
    }

    #[test]
    fn refuses_malformed_bodies() {
        let ca = authority();
        let issue = |b: Value| ca.issue(&body(b), INSTANCE, SystemTime::now()).unwrap_err();
        let e = issue(json!({}));
        assert_eq!((e.code, e.field.as_str()), ("missing_field", "csr"));
        let e = issue(json!({"csr": 5}));
        assert_eq!((e.code, e.field.as_str()), ("invalid_value", "csr"));
        let e = issue(json!({"csr": "not a csr"}));
        assert!(e.message.contains("in PEM"), "{}", e.message);
        let e = issue(json!({"csr": csr(&[], false), "extra": 1}));
        assert_eq!((e.code, e.field.as_str()), ("unknown_field", "extra"));
        // A certificate is not a request.
        let e = issue(json!({"csr": ca.root_pem()}));
        assert!(e.message.contains("in PEM"), "{}", e.message);
    }

    #[test]
    fn spoils_the_chain_as_a_bad_chain_fault_says() {
        use x509_parser::prelude::X509CertificationRequest;
        let ca = authority();
        let request = csr(&[(DnType::CountryName, "US")], false);
        let (_, csr_der) = x509_parser::pem::parse_x509_pem(request.as_bytes()).unwrap();
        let (_, parsed) = X509CertificationRequest::from_der(&csr_der.contents).unwrap();
        let csr_key = parsed.certification_request_info.subject_pki.raw.to_vec();
        let chain = |defect| {
            let answer = ca
                .issue_spoilt(
                    &body(json!({"csr": request})),
                    INSTANCE,
                    SystemTime::now(),
                    Some(defect),
                )
                .unwrap();
            let chain: Vec<String> = answer["certificates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_string())
                .collect();
            chain
        };
        let wrong = chain(ChainDefect::WrongKey);
        assert_eq!(wrong.len(), 2);
        let leaf_der = der(&wrong[0]);
        let leaf = parse(&leaf_der);
        leaf.verify_signature(Some(parse(&der(&ca.intermediate_pem())).public_key()))
            .unwrap();
        assert_ne!(leaf.public_key().raw, csr_key);
        let joined = chain(ChainDefect::Joined);
        assert_eq!(joined.len(), 1);
        assert_eq!(joined[0].matches("-----BEGIN CERTIFICATE-----").count(), 2);
        let not_x509 = chain(ChainDefect::NotX509);
        assert!(parse_x509_certificate(&der(&not_x509[0])).is_err());
        let not_pem = chain(ChainDefect::NotPem);
        assert!(!not_pem[0].contains("-----BEGIN"));
        assert_eq!(not_pem[1], ca.intermediate_pem());
    }

    #[test]
    fn refuses_a_request_whose_signature_does_not_verify() {
        let ca = authority();
        let good = csr(&[(DnType::CountryName, "US")], false);
        // The last base64 characters encode the end of the signature.
        let mut lines: Vec<String> = good.lines().map(str::to_string).collect();
        let last_body = lines.len() - 2;
        let line = &mut lines[last_body];
        let at = line.trim_end_matches('=').len() - 2;
        let swapped = if &line[at..=at] == "A" { "B" } else { "A" };
        line.replace_range(at..=at, swapped);
        let e = ca
            .issue(
                &body(json!({"csr": lines.join("\n")})),
                INSTANCE,
                SystemTime::now(),
            )
            .unwrap_err();
        assert!(e.message.contains("signature"), "{}", e.message);
    }

    /// What `imds cert` sends is what the emulator signs, RSA included (the library with `tls`
    /// is a dev-dependency).
    #[test]
    fn signs_what_the_client_makes() {
        use imds_client::csr::{KeyType, Subject, generate};
        let ca = authority();
        let subject =
            Subject::parse("/C=US/ST=IL/L=Chicago/O=IBM Corporation/OU=IBM Software Group")
                .unwrap();
        for key_type in [KeyType::EcP256, KeyType::Rsa4096] {
            let request = generate(key_type, &subject).unwrap();
            let answer = ca
                .issue(
                    &body(json!({"csr": request.csr_pem})),
                    INSTANCE,
                    SystemTime::now(),
                )
                .unwrap();
            let leaf_der = der(answer["certificates"][0].as_str().unwrap());
            let key = KeyPair::from_pem(request.key.expose()).unwrap();
            assert_eq!(parse(&leaf_der).public_key().raw, key.public_key_der());
        }
    }
}
