//! The key pair and certificate signing request behind `imds cert` (docs/SERVICE.md §2.5): a
//! subject in openssl's `-subj` form, held to the fields the service allows; a new key; a CSR
//! signed with SHA-256. It does no I/O: writing the key and posting the CSR belong to the command.
//!
//! The defaults are those of IBM's documented recipe (`openssl req -sha256 -newkey rsa:4096
//! -subj '/C=US'`) and of IBM's VPC file-share mount helper, a production client of the
//! certificates endpoint (RSA 4096, subject C/ST/L/O/OU, SHA-256). Whether the service takes
//! other key types is not documented, so EC P-256 is offered but is not the default.

use rcgen::{
    CertificateParams, DistinguishedName, DnType, DnValue, KeyPair, PKCS_ECDSA_P256_SHA256,
    PKCS_RSA_SHA256, PrintableString,
};
use std::fmt;

/// RSA modulus size of the default key (IBM's recipe and mount helper).
pub const RSA_BITS: usize = 4096;
/// Longest values X.520 allows (RFC 5280 appendix A: ub-state-name, ub-locality-name,
/// ub-organization-name, ub-organizational-unit-name).
const MAX_PLACE_CHARS: usize = 128;
const MAX_ORGANIZATION_CHARS: usize = 64;

/// The kind of key to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyType {
    /// RSA with a 4096-bit modulus: what IBM documents and uses.
    #[default]
    Rsa4096,
    /// ECDSA on NIST P-256: faster to make; not documented as accepted by the service.
    EcP256,
}

/// A subject attribute the service allows in a CSR (docs/SERVICE.md §2.5); it sets the CN itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Country,
    State,
    Locality,
    Organization,
    OrganizationalUnit,
}

impl Field {
    /// Every allowed field, in the order openssl's examples write them.
    pub const ALL: [Field; 5] = [
        Field::Country,
        Field::State,
        Field::Locality,
        Field::Organization,
        Field::OrganizationalUnit,
    ];

    /// The short name used in `-subj` text.
    pub fn short_name(self) -> &'static str {
        match self {
            Field::Country => "C",
            Field::State => "ST",
            Field::Locality => "L",
            Field::Organization => "O",
            Field::OrganizationalUnit => "OU",
        }
    }

    fn from_short_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.short_name() == name)
    }

    fn dn_type(self) -> DnType {
        match self {
            Field::Country => DnType::CountryName,
            Field::State => DnType::StateOrProvinceName,
            Field::Locality => DnType::LocalityName,
            Field::Organization => DnType::OrganizationName,
            Field::OrganizationalUnit => DnType::OrganizationalUnitName,
        }
    }

    fn max_chars(self) -> usize {
        match self {
            Field::Country => 2,
            Field::State | Field::Locality => MAX_PLACE_CHARS,
            Field::Organization | Field::OrganizationalUnit => MAX_ORGANIZATION_CHARS,
        }
    }
}

/// Why a `--subject` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubjectError {
    #[error("a subject starts with `/`, as in `/C=US/O=Example`")]
    NoLeadingSlash,
    #[error("`{0}` is not `FIELD=VALUE`")]
    NotAssignment(String),
    #[error("the service sets the CN (to the instance id): leave CN out of the subject")]
    CommonName,
    #[error("`{0}` is not a field the service allows; use C, ST, L, O or OU")]
    UnknownField(String),
    #[error("{0} is given twice; give each field once")]
    Repeated(&'static str),
    #[error("{0} has no value")]
    Empty(&'static str),
    #[error("C must be a two-letter country code such as US, not `{0}`")]
    BadCountry(String),
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("the subject ends with a lone `\\`")]
    TrailingEscape,
}

/// A CSR subject: C, ST, L, O and OU only, each at most once, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    fields: Vec<(Field, String)>,
}

/// The subject of IBM's documented recipe, `/C=US`.
impl Default for Subject {
    fn default() -> Self {
        Subject {
            fields: vec![(Field::Country, "US".to_string())],
        }
    }
}

impl Subject {
    /// Reads openssl's `-subj` form: `/C=US/ST=Illinois/O=Example`, `\` escaping the next
    /// character (so `\/` is a slash in a value). `/` alone is the empty subject.
    pub fn parse(text: &str) -> Result<Subject, SubjectError> {
        let rest = text.strip_prefix('/').ok_or(SubjectError::NoLeadingSlash)?;
        let mut fields: Vec<(Field, String)> = Vec::new();
        for part in split_unescaped(rest)? {
            if part.is_empty() && rest.is_empty() {
                break;
            }
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| SubjectError::NotAssignment(part.clone()))?;
            if name.eq_ignore_ascii_case("CN") || name == "commonName" {
                return Err(SubjectError::CommonName);
            }
            let field = Field::from_short_name(name)
                .ok_or_else(|| SubjectError::UnknownField(name.to_string()))?;
            let short = field.short_name();
            if fields.iter().any(|(f, _)| *f == field) {
                return Err(SubjectError::Repeated(short));
            }
            if value.is_empty() {
                return Err(SubjectError::Empty(short));
            }
            if field == Field::Country
                && !(value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic()))
            {
                return Err(SubjectError::BadCountry(value.to_string()));
            }
            if value.chars().count() > field.max_chars() {
                return Err(SubjectError::TooLong {
                    field: short,
                    max: field.max_chars(),
                });
            }
            fields.push((field, value.to_string()));
        }
        Ok(Subject { fields })
    }

    /// The fields, in order.
    #[cfg(test)]
    pub fn fields(&self) -> &[(Field, String)] {
        &self.fields
    }

    fn distinguished_name(&self) -> DistinguishedName {
        let mut dn = DistinguishedName::new();
        for (field, value) in &self.fields {
            // countryName is a PrintableString (RFC 5280 appendix A), as openssl writes it;
            // the others UTF8String, openssl's default.
            let value = match field {
                Field::Country => PrintableString::try_from(value.as_str())
                    .map(DnValue::PrintableString)
                    .unwrap_or_else(|_| DnValue::from(value.as_str())),
                _ => DnValue::from(value.as_str()),
            };
            dn.push(field.dn_type(), value);
        }
        dn
    }
}

impl fmt::Display for Subject {
    /// Back to `-subj` form, escaping `/` and `\`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.fields.is_empty() {
            return f.write_str("/");
        }
        for (field, value) in &self.fields {
            write!(f, "/{}=", field.short_name())?;
            for c in value.chars() {
                if matches!(c, '/' | '\\') {
                    f.write_str("\\")?;
                }
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

/// Splits on `/` not preceded by `\`, removing the escapes.
fn split_unescaped(text: &str) -> Result<Vec<String>, SubjectError> {
    let mut parts = vec![String::new()];
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next().ok_or(SubjectError::TrailingEscape)?;
                parts.last_mut().expect("never empty").push(next);
            }
            '/' => parts.push(String::new()),
            _ => parts.last_mut().expect("never empty").push(c),
        }
    }
    Ok(parts)
}

/// A private key in PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`, as `openssl genpkey` writes).
/// Its `Debug` hides the key; [`PrivateKeyPem::expose`] is the one way to the text.
pub struct PrivateKeyPem(String);

impl PrivateKeyPem {
    /// The PEM text, to be written to the key file and nowhere else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PrivateKeyPem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKeyPem([redacted])")
    }
}

/// Why no key or CSR could be made (the operating system's random source failing, in practice).
#[derive(Debug, thiserror::Error)]
pub enum CsrError {
    #[error("cannot generate an RSA key: {0}")]
    Rsa(String),
    #[error("cannot build the certificate signing request: {0}")]
    Request(#[from] rcgen::Error),
}

/// A new key and the CSR that carries its public half.
#[derive(Debug)]
pub struct SigningRequest {
    /// The CSR in PEM (`-----BEGIN CERTIFICATE REQUEST-----`).
    pub csr_pem: String,
    /// The private key that signed it.
    pub key: PrivateKeyPem,
}

/// Makes a new key of `key_type` and a SHA-256-signed CSR for `subject`, with no CN and no
/// extensions (docs/SERVICE.md §2.5: the service refuses both).
pub fn generate(key_type: KeyType, subject: &Subject) -> Result<SigningRequest, CsrError> {
    let key = match key_type {
        KeyType::Rsa4096 => rsa_key(RSA_BITS)?,
        KeyType::EcP256 => KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?,
    };
    signing_request(&key, subject)
}

/// A CSR for `subject` signed by `key`.
fn signing_request(key: &KeyPair, subject: &Subject) -> Result<SigningRequest, CsrError> {
    let mut params = CertificateParams::default();
    // The default names a CN, which the service refuses.
    params.distinguished_name = subject.distinguished_name();
    let csr = params.serialize_request(key)?;
    Ok(SigningRequest {
        csr_pem: lf(csr.pem()?),
        key: PrivateKeyPem(lf(key.serialize_pem())),
    })
}

/// PEM with `\n` line ends on every system: rcgen ends its lines with `\r\n` on Windows.
fn lf(pem: String) -> String {
    pem.replace("\r\n", "\n")
}

/// A new RSA key of `bits`, made by the `rsa` crate (ring cannot generate RSA keys) and handed
/// to rcgen as PKCS#8 to sign with RSA PKCS#1 v1.5 and SHA-256, as `openssl req -sha256` does.
fn rsa_key(bits: usize) -> Result<KeyPair, CsrError> {
    use rsa::pkcs8::EncodePrivateKey;
    let key = rsa::PrivateKey::new(&mut getrandom::SysRng, bits)
        .map_err(|e| CsrError::Rsa(e.to_string()))?;
    let der = key
        .to_pkcs8_der()
        .map_err(|e| CsrError::Rsa(e.to_string()))?;
    Ok(KeyPair::from_pkcs8_der_and_sign_algo(
        &der.as_bytes().into(),
        &PKCS_RSA_SHA256,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::prelude::*;

    fn parse(text: &str) -> Result<Subject, SubjectError> {
        Subject::parse(text)
    }

    #[test]
    fn subject_in_openssl_form() {
        let s = parse("/C=US/ST=IL/L=Chicago/O=IBM Corporation/OU=IBM Software Group").unwrap();
        assert_eq!(
            s.fields(),
            [
                (Field::Country, "US".into()),
                (Field::State, "IL".into()),
                (Field::Locality, "Chicago".into()),
                (Field::Organization, "IBM Corporation".into()),
                (Field::OrganizationalUnit, "IBM Software Group".into()),
            ]
        );
        assert_eq!(
            s.to_string(),
            "/C=US/ST=IL/L=Chicago/O=IBM Corporation/OU=IBM Software Group"
        );
    }

    #[test]
    fn subject_escapes_and_empty() {
        let s = parse(r"/O=A\/B \\ C/OU=x=y").unwrap();
        assert_eq!(s.fields()[0].1, r"A/B \ C");
        assert_eq!(s.fields()[1].1, "x=y");
        assert_eq!(s.to_string(), r"/O=A\/B \\ C/OU=x=y");
        assert_eq!(parse("/").unwrap().fields(), []);
        assert_eq!(parse("/").unwrap().to_string(), "/");
        assert_eq!(Subject::default().to_string(), "/C=US");
        assert_eq!(parse("/C=US").unwrap(), Subject::default());
    }

    #[test]
    fn subject_refusals() {
        assert_eq!(parse("C=US"), Err(SubjectError::NoLeadingSlash));
        assert_eq!(parse(""), Err(SubjectError::NoLeadingSlash));
        assert_eq!(parse("/C=US/CN=host"), Err(SubjectError::CommonName));
        assert_eq!(parse("/cn=host"), Err(SubjectError::CommonName));
        assert_eq!(
            parse("/emailAddress=a@b"),
            Err(SubjectError::UnknownField("emailAddress".into()))
        );
        assert_eq!(parse("/c=US"), Err(SubjectError::UnknownField("c".into())));
        assert_eq!(parse("/OU=a/OU=b"), Err(SubjectError::Repeated("OU")));
        assert_eq!(parse("/O="), Err(SubjectError::Empty("O")));
        assert_eq!(parse("/C=USA"), Err(SubjectError::BadCountry("USA".into())));
        assert_eq!(parse("/C=U1"), Err(SubjectError::BadCountry("U1".into())));
        assert_eq!(parse("/C=US/"), Err(SubjectError::NotAssignment("".into())));
        assert_eq!(parse("/O"), Err(SubjectError::NotAssignment("O".into())));
        assert_eq!(parse(r"/O=a\"), Err(SubjectError::TrailingEscape));
        assert_eq!(
            parse(&format!("/O={}", "x".repeat(65))),
            Err(SubjectError::TooLong {
                field: "O",
                max: 64
            })
        );
        assert!(parse(&format!("/L={}", "é".repeat(128))).is_ok());
    }

    /// The parsed CSR: signature checked, subject as (OID, text) pairs.
    fn check(csr_pem: &str) -> (Vec<(String, String)>, String, usize) {
        let (_, pem) = x509_parser::pem::parse_x509_pem(csr_pem.as_bytes()).unwrap();
        assert_eq!(pem.label, "CERTIFICATE REQUEST");
        let (_, csr) = X509CertificationRequest::from_der(&pem.contents).unwrap();
        csr.verify_signature().unwrap();
        assert!(csr.requested_extensions().is_none(), "no extensions");
        assert!(csr.certification_request_info.attributes().is_empty());
        let info = &csr.certification_request_info;
        let subject = info
            .subject
            .iter_attributes()
            .map(|a| {
                (
                    a.attr_type().to_id_string(),
                    a.as_str().unwrap().to_string(),
                )
            })
            .collect();
        let algorithm = csr.signature_algorithm.algorithm.to_id_string();
        let bits = match info.subject_pki.parsed().unwrap() {
            x509_parser::public_key::PublicKey::RSA(rsa) => rsa.key_size(),
            x509_parser::public_key::PublicKey::EC(ec) => ec.key_size(),
            other => panic!("unexpected key {other:?}"),
        };
        (subject, algorithm, bits)
    }

    const SHA256_WITH_RSA: &str = "1.2.840.113549.1.1.11";
    const ECDSA_WITH_SHA256: &str = "1.2.840.10045.4.3.2";

    #[test]
    fn ec_request_has_the_subject_and_nothing_else() {
        let subject = parse("/C=US/ST=IL/L=Chicago/O=Example/OU=Ops").unwrap();
        let request = generate(KeyType::EcP256, &subject).unwrap();
        let (names, algorithm, bits) = check(&request.csr_pem);
        assert_eq!(
            names,
            [
                ("2.5.4.6", "US"),
                ("2.5.4.8", "IL"),
                ("2.5.4.7", "Chicago"),
                ("2.5.4.10", "Example"),
                ("2.5.4.11", "Ops"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert_eq!(algorithm, ECDSA_WITH_SHA256);
        assert_eq!(bits, 256);
        assert!(
            request
                .key
                .expose()
                .starts_with("-----BEGIN PRIVATE KEY-----")
        );
        assert_eq!(format!("{:?}", request.key), "PrivateKeyPem([redacted])");
    }

    #[test]
    fn rsa_request_is_4096_bits_signed_with_sha256() {
        let request = generate(KeyType::Rsa4096, &Subject::default()).unwrap();
        let (names, algorithm, bits) = check(&request.csr_pem);
        assert_eq!(names, [("2.5.4.6".to_string(), "US".to_string())]);
        assert_eq!(algorithm, SHA256_WITH_RSA);
        assert_eq!(bits, 4096);
        let key = request.key.expose();
        assert!(key.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        // The key file holds the key of the CSR.
        let from_file = KeyPair::from_pem(key).unwrap();
        let (_, pem) = x509_parser::pem::parse_x509_pem(request.csr_pem.as_bytes()).unwrap();
        let (_, csr) = X509CertificationRequest::from_der(&pem.contents).unwrap();
        assert_eq!(
            from_file.public_key_der(),
            csr.certification_request_info.subject_pki.raw
        );
    }

    #[test]
    fn key_and_request_end_lines_with_lf_on_windows_too() {
        let request = generate(KeyType::EcP256, &Subject::default()).unwrap();
        for pem in [request.key.expose(), request.csr_pem.as_str()] {
            assert!(pem.ends_with("-----\n") && !pem.contains('\r'), "{pem:?}");
        }
    }

    #[test]
    fn empty_subject_makes_an_empty_name() {
        let request = generate(KeyType::EcP256, &parse("/").unwrap()).unwrap();
        assert!(check(&request.csr_pem).0.is_empty());
    }
}
