//! TLS set-up for `https://` endpoints: the trusted roots, with `--cacert`.

pub(crate) use imp::apply;

#[cfg(feature = "tls")]
mod imp {
    use std::path::Path;

    use ureq::config::ConfigBuilder;
    use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};
    use ureq::typestate::AgentScope;

    use crate::error::Error;

    /// Sets the trusted roots on the agent's configuration.
    pub fn apply(
        config: ConfigBuilder<AgentScope>,
        cacert: Option<&Path>,
    ) -> Result<ConfigBuilder<AgentScope>, Error> {
        Ok(config.tls_config(roots(cacert)?))
    }

    /// Without `--cacert`: the platform's verifier (system roots). With it: the given CA plus the
    /// system's roots (read by rustls-native-certs), since ureq takes one root set.
    fn roots(cacert: Option<&Path>) -> Result<TlsConfig, Error> {
        let Some(path) = cacert else {
            return Ok(TlsConfig::builder()
                .root_certs(RootCerts::PlatformVerifier)
                .build());
        };
        let shown = path.display();
        let pem = std::fs::read(path).map_err(|e| {
            Error::usage(format!(
                "cannot read --cacert {shown}: {}",
                crate::client::describe_io(&e)
            ))
        })?;
        let mut roots: Vec<Certificate<'static>> = Vec::new();
        for item in ureq::tls::parse_pem(&pem) {
            match item {
                Ok(PemItem::Certificate(c)) => roots.push(c),
                Ok(_) => {}
                Err(e) => {
                    return Err(Error::usage(format!(
                        "--cacert {shown} is not a PEM certificate file: {e}"
                    )));
                }
            }
        }
        if roots.is_empty() {
            return Err(Error::usage(format!(
                "--cacert {shown} holds no PEM certificate"
            )));
        }
        for der in rustls_native_certs::load_native_certs().certs {
            roots.push(Certificate::from_der(&der).to_owned());
        }
        Ok(TlsConfig::builder()
            .root_certs(RootCerts::new_with_certs(&roots))
            .build())
    }
}

/// Without the `tls` feature settings refuse `https://`, so this is never reached.
#[cfg(not(feature = "tls"))]
mod imp {
    use std::path::Path;

    use ureq::config::ConfigBuilder;
    use ureq::typestate::AgentScope;

    use crate::error::Error;

    pub fn apply(
        _config: ConfigBuilder<AgentScope>,
        _cacert: Option<&Path>,
    ) -> Result<ConfigBuilder<AgentScope>, Error> {
        Err(Error::usage("imds was built without TLS support"))
    }
}
