//! `imds cert`: a key and a certificate signing request made (or a request read from a file),
//! an instance identity certificate asked for, its chain checked against the request's key,
//! and the key saved. Printing the answer is the application's.

use serde_json::Value;

use crate::cli::CertArgs;
use crate::error::Error;
use crate::files;
use crate::session::Session;
use crate::settings::Settings;
#[cfg(feature = "tls")]
use crate::text::clip;

/// The largest `cert --csr` file: what the emulator takes as a request body, and many times a
/// 4096-bit RSA request.
const CSR_MAX_BYTES: u64 = 64 << 10;

/// A new key and CSR (or the `--csr` file) sent, and the service's answer returned, its chain
/// checked by the session. Every local check comes before the request, the key file's temporary
/// file included, so a key file that cannot be written never costs a certificate; the key is
/// written only once the service has signed and the chain holds its key, so a refusal leaves
/// nothing behind.
pub fn issue(
    settings: &Settings,
    args: &CertArgs,
    output: Option<&files::Target>,
) -> Result<Value, Error> {
    let (csr_pem, key) = match &args.csr {
        Some(path) => {
            let bytes = files::read_input(path, CSR_MAX_BYTES).map_err(Error::from)?;
            let text = String::from_utf8(bytes).map_err(|_| {
                Error::other(format!(
                    "cannot read {}: it is not UTF-8 text",
                    path.display()
                ))
            })?;
            (text, None)
        }
        None => {
            let path = args.key_out.as_deref().ok_or_else(|| {
                Error::usage("cert needs --key-out FILE for the new key, or --csr FILE")
            })?;
            let target = files::Target::open(path, files::Options::PRIVATE).map_err(Error::from)?;
            if output.is_some_and(|output| output.is_same_file(&target)) {
                return Err(Error::usage("-o and --key-out name the same file")
                    .with_hint("the chain goes to -o (or stdout), the new key to --key-out: give two files"));
            }
            if !args.force && target.exists() {
                return Err(
                    Error::other(format!("{} exists: not replaced", path.display()))
                        .with_hint("give another --key-out, or add --force to replace it"),
                );
            }
            let pending = target.prepare().map_err(Error::from)?;
            let request = new_signing_request(args)?;
            (request.0, Some((pending, request.1)))
        }
    };
    let session = Session::new(settings)?;
    let doc = session.certificate(&csr_pem, args.expires_in)?;
    if let Some((pending, key)) = key {
        pending.commit(key.as_bytes()).map_err(Error::from)?;
    }
    Ok(doc)
}

/// The chain as PEM, each certificate ending with a newline.
pub fn write_chain(doc: &Value, out: &mut Vec<u8>) {
    for pem in doc["certificates"].as_array().into_iter().flatten() {
        let text = pem.as_str().unwrap_or_default();
        out.extend_from_slice(text.as_bytes());
        if !text.ends_with('\n') {
            out.push(b'\n');
        }
    }
}

/// A new key and its CSR as PEM texts (CSR, key), per `--key-type` and `--subject`; a bad
/// subject is a usage error.
#[cfg(feature = "tls")]
fn new_signing_request(args: &CertArgs) -> Result<(String, String), Error> {
    use crate::cli::KeyTypeArg;
    use crate::csr::{KeyType, Subject, generate};
    let subject = Subject::parse(&args.subject)
        .map_err(|e| Error::usage(format!("bad --subject '{}': {e}", clip(&args.subject))))?;
    let key_type = match args.key_type {
        KeyTypeArg::Rsa4096 => KeyType::Rsa4096,
        KeyTypeArg::EcP256 => KeyType::EcP256,
    };
    let request = generate(key_type, &subject).map_err(|e| Error::other(e.to_string()))?;
    Ok((request.csr_pem, request.key.expose().to_string()))
}

/// Without the `tls` feature there is no key generation: say which build has it.
#[cfg(not(feature = "tls"))]
fn new_signing_request(_args: &CertArgs) -> Result<(String, String), Error> {
    Err(Error::usage(
        "this imds was built without the `tls` feature, which `cert` needs to make keys",
    )
    .with_hint("send a CSR made elsewhere with --csr FILE, or use a build with default features"))
}
