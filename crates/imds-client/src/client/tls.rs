//! TLS set-up for `https://` endpoints: the trusted roots, with `--cacert`.

pub(crate) use imp::apply;

#[cfg(feature = "tls")]
mod imp {
    use ureq::config::ConfigBuilder;
    use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};
    use ureq::typestate::AgentScope;

    use crate::error::Error;
    use crate::settings::CaCert;

    /// Sets the trusted roots on the agent's configuration.
    pub fn apply(
        config: ConfigBuilder<AgentScope>,
        cacert: Option<&CaCert>,
    ) -> Result<ConfigBuilder<AgentScope>, Error> {
        Ok(config.tls_config(roots(cacert)))
    }

    /// Without `--cacert`: the platform's verifier (system roots). With it: the given CA plus the
    /// system's roots (read by rustls-native-certs), since ureq takes one root set. The file was
    /// read and checked with the settings ([`CaCert::read`]).
    fn roots(cacert: Option<&CaCert>) -> TlsConfig {
        let Some(cacert) = cacert else {
            return TlsConfig::builder()
                .root_certs(RootCerts::PlatformVerifier)
                .build();
        };
        let mut roots: Vec<Certificate<'static>> = ureq::tls::parse_pem(&cacert.pem)
            .filter_map(|item| match item {
                Ok(PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        for der in rustls_native_certs::load_native_certs().certs {
            roots.push(Certificate::from_der(&der).to_owned());
        }
        TlsConfig::builder()
            .root_certs(RootCerts::new_with_certs(&roots))
            .build()
    }
}

/// Without the `tls` feature settings refuse `https://`, so this is never reached.
#[cfg(not(feature = "tls"))]
mod imp {
    use ureq::config::ConfigBuilder;
    use ureq::typestate::AgentScope;

    use crate::error::Error;
    use crate::settings::CaCert;

    pub fn apply(
        _config: ConfigBuilder<AgentScope>,
        _cacert: Option<&CaCert>,
    ) -> Result<ConfigBuilder<AgentScope>, Error> {
        Err(Error::usage("imds was built without TLS support"))
    }
}
