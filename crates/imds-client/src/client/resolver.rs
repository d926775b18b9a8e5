//! Name resolution for the agent.

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// Resolves a host that is an IP address (the service's 169.254.169.254, a loopback emulator) in
/// place and hands names to ureq's resolver: with a timeout set, ureq's resolver starts a thread
/// per request to bound the lookup, even for an address that needs none.
#[derive(Debug, Default)]
pub(crate) struct LiteralResolver(DefaultResolver);

/// The socket address of a URI whose host is an IP address (IPv6 in brackets).
fn literal_addr(uri: &ureq::http::Uri) -> Option<std::net::SocketAddr> {
    let authority = uri.authority()?;
    let host = authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let ip: std::net::IpAddr = host.parse().ok()?;
    let port = authority.port_u16().or(match uri.scheme_str() {
        Some("http") => Some(80),
        Some("https") => Some(443),
        _ => None,
    })?;
    Some(std::net::SocketAddr::new(ip, port))
}

impl Resolver for LiteralResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        match literal_addr(uri) {
            Some(addr) => {
                let mut addrs = self.empty();
                addrs.push(addr);
                Ok(addrs)
            }
            None => self.0.resolve(uri, config, timeout),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_hosts_resolve_without_a_lookup_names_do_not() {
        let addr = |u: &str| literal_addr(&u.parse().unwrap()).map(|a| a.to_string());
        assert_eq!(
            addr("http://169.254.169.254/metadata/v1/instance").as_deref(),
            Some("169.254.169.254:80")
        );
        assert_eq!(
            addr("http://127.0.0.1:8080/x").as_deref(),
            Some("127.0.0.1:8080")
        );
        assert_eq!(addr("https://[::1]/x").as_deref(), Some("[::1]:443"));
        assert_eq!(addr("https://api.metadata.cloud.ibm.com/x"), None);
    }
}
