//! The options of `imds cert` as clap sees them (docs/SERVICE.md §2.5); what they do is in the
//! application layer. Apart from definitions.rs only to keep each file short.

use std::path::PathBuf;

use clap::{Args, ValueEnum, ValueHint};

use super::parsers::ShowsValue;

/// The key `imds cert` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyTypeArg {
    /// RSA with a 4096-bit modulus, as IBM documents and uses
    #[value(name = "rsa-4096")]
    Rsa4096,
    /// ECDSA on NIST P-256: quicker to make; that the service takes it is not documented
    #[value(name = "ec-p256")]
    EcP256,
}

/// Options of `imds cert`.
#[derive(Debug, Clone, Args)]
pub struct CertArgs {
    /// Write the new private key here (PKCS#8 PEM, mode 0600, all at once); required unless
    /// --csr is given
    ///
    /// FILE's directory is checked, and a temporary file made there, before the request: a
    /// key that cannot be saved costs no certificate. It must not be the -o file.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, required_unless_present = "csr")]
    pub key_out: Option<PathBuf>,

    /// Replace an existing --key-out file
    #[arg(long, requires = "key_out")]
    pub force: bool,

    /// Subject of the request in openssl's -subj form, with C, ST, L, O and OU only
    #[arg(
        long,
        value_name = "SUBJECT",
        value_hint = ValueHint::Other,
        default_value = "/C=US",
        conflicts_with = "csr"
    )]
    pub subject: String,

    /// Kind of key to make
    #[arg(long, value_name = "TYPE", value_enum, default_value_t = KeyTypeArg::Rsa4096,
          conflicts_with = "csr")]
    pub key_type: KeyTypeArg,

    /// Send this PEM certificate signing request as it is, instead of making a key
    ///
    /// FILE must be a regular file of at most 64 KiB (a FIFO or a device is refused).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, conflicts_with = "key_out")]
    pub csr: Option<PathBuf>,

    /// Certificate lifetime in seconds (300-3600)
    #[arg(long, value_name = "SECONDS", default_value_t = 3600,
          value_parser = parse_cert_seconds)]
    pub expires_in: u32,

    /// Print the whole response as JSON
    #[arg(long)]
    pub json: bool,
}

/// A certificate lifetime: whole seconds the service accepts (docs/SERVICE.md §2.5: 300-3600).
fn parse_cert_seconds(text: &str) -> Result<u32, ShowsValue> {
    match text.trim().parse::<u32>() {
        Ok(n) if (300..=3600).contains(&n) => Ok(n),
        _ => Err(ShowsValue(format!(
            "'{}' is not a certificate lifetime: give whole seconds from 300 to 3600, like 3600",
            crate::text::clip(text)
        ))),
    }
}
