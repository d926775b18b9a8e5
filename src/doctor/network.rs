//! Checks 2 and 3: name resolution and a TCP connection (std::net), each bounded by
//! `--timeout`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::check::{Check, Failure, Subject, fix_silence};
use crate::client;
use crate::error::Kind;
use crate::text::show_duration;

/// The service's address, which a Windows instance reaches only once a host route to its
/// default gateway is added (IBM's "Setting up Windows virtual servers for using the metadata
/// service").
const SERVICE_ADDRESS: Ipv4Addr = Ipv4Addr::new(169, 254, 169, 254);
/// The fix on Windows when the service's address cannot be reached, before any other.
const FIX_WINDOWS_ROUTE: &str = "on Windows, the service needs a host route to the default \
     gateway (once, as administrator): `route -p add 169.254.169.254 MASK 255.255.255.255 \
     <gateway>`, the gateway from `ipconfig`";

/// Runs `f` on a thread and waits at most `timeout` for its result, so a blocking system call
/// (name resolution has no timeout of its own) cannot hang doctor.
fn bounded<T: Send + 'static>(
    timeout: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(timeout).ok()
}

/// 2. Name resolution, when the host is a name (not an address, not `localhost`).
pub(super) fn resolve(target: &Subject) -> Check {
    let name = "name resolution";
    let (host, port) = (target.endpoint.host().to_string(), target.endpoint.port());
    if host.parse::<IpAddr>().is_ok() || host.eq_ignore_ascii_case("localhost") {
        return Check {
            name,
            result: Ok(format!("{host} needs none")),
        };
    }
    let lookup = host.clone();
    let result = match bounded(target.timeout, move || {
        (lookup.as_str(), port).to_socket_addrs()
    }) {
        Some(Ok(addrs)) => {
            let addrs: Vec<String> = addrs.map(|a| a.ip().to_string()).collect();
            if addrs.is_empty() {
                Err(no_address(&host, "no address"))
            } else {
                Ok(format!("{host} is {}", addrs.join(", ")))
            }
        }
        Some(Err(e)) => Err(no_address(&host, &client::describe_io(&e))),
        None => Err(no_address(
            &host,
            &format!("no answer within {}", show_duration(target.timeout)),
        )),
    };
    Check { name, result }
}

fn no_address(host: &str, why: &str) -> Failure {
    Failure::new(
        Kind::Unreachable,
        format!("cannot resolve {host}: {why}"),
        &[
            "on a VPC instance api.metadata.cloud.ibm.com resolves to 169.254.169.254 through \
             the VPC's DNS: check /etc/resolv.conf, or use --endpoint http://169.254.169.254 \
             (plain HTTP only)",
        ],
    )
}

/// 3. A TCP connection to the endpoint.
///
/// Each address the host resolves to is tried, in order, until one accepts, as the client's
/// transport does (ureq connects to the resolved addresses in turn): `localhost` may resolve to
/// `::1` before `127.0.0.1`, and a service that listens on only one of them still answers the
/// client.
pub(super) fn connect(target: &Subject) -> Check {
    let (host, port) = (target.endpoint.host().to_string(), target.endpoint.port());
    let addrs: Vec<SocketAddr> = match bounded(target.timeout, move || {
        (host.as_str(), port)
            .to_socket_addrs()
            .map(|a| a.collect::<Vec<_>>())
    }) {
        Some(Ok(addrs)) => addrs,
        _ => Vec::new(),
    };
    connect_any(target, &addrs)
}

/// The addresses tried in vain, each with why: `10.0.0.1:80: connection refused; …`.
fn tried(failed: &[(SocketAddr, std::io::Error)]) -> String {
    let tried: Vec<String> = failed
        .iter()
        .map(|(a, e)| format!("{a}: {}", client::describe_io(e)))
        .collect();
    tried.join("; ")
}

/// Check 3 over the given addresses; each attempt is bounded by `--timeout`.
fn connect_any(target: &Subject, addrs: &[SocketAddr]) -> Check {
    let name = "connect";
    let timeout = target.timeout;
    let mut failed: Vec<(SocketAddr, std::io::Error)> = Vec::new();
    for &addr in addrs {
        let started = Instant::now();
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(_) => {
                let mut detail = format!(
                    "{addr} accepted a connection in {} ms",
                    started.elapsed().as_millis()
                );
                if !failed.is_empty() {
                    detail.push_str(&format!(" (after {})", tried(&failed)));
                }
                return Check {
                    name,
                    result: Ok(detail),
                };
            }
            Err(e) => failed.push((addr, e)),
        }
    }
    let Some((addr, e)) = failed.pop() else {
        return Check {
            name,
            result: Err(Failure::new(
                Kind::Unreachable,
                "no address to connect to",
                &["check --endpoint (or IMDS_ENDPOINT)"],
            )),
        };
    };
    // Every address failed: the last one's failure decides the fix, the others are named.
    let others = if failed.is_empty() {
        String::new()
    } else {
        format!(" (and {})", tried(&failed))
    };
    let result = match e.kind() {
        std::io::ErrorKind::ConnectionRefused => Err(Failure::new(
            Kind::Unreachable,
            format!("{addr} refused the connection{others}"),
            &[
                "nothing listens there: imds is not running on a VPC instance, or --endpoint \
                 (IMDS_ENDPOINT) names the wrong host or port",
            ],
        )),
        std::io::ErrorKind::TimedOut => Err(Failure {
            kind: Kind::Unreachable,
            what: format!(
                "no answer from {addr} within {}{others}",
                show_duration(timeout)
            ),
            fix: std::iter::once(
                "not on a VPC instance (169.254.169.254 is only served there), or:".to_string(),
            )
            .chain(fix_silence(&target.endpoint).into_iter().skip(1))
            .collect(),
        }),
        _ => Err(Failure::new(
            Kind::Unreachable,
            format!(
                "cannot connect to {addr}: {}{others}",
                client::describe_io(&e)
            ),
            &["check the network, and --endpoint (IMDS_ENDPOINT)"],
        )),
    };
    let result = result.map_err(|failure| with_route(addr, failure));
    Check { name, result }
}

/// A failure to connect to `addr`, with the Windows route as its first fix where it applies.
fn with_route(addr: SocketAddr, mut failure: Failure) -> Failure {
    if cfg!(windows) && addr.ip() == SERVICE_ADDRESS {
        failure.fix.insert(0, FIX_WINDOWS_ROUTE.to_string());
    }
    failure
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::Endpoint;
    use std::net::TcpListener;

    fn subject() -> Subject {
        Subject {
            endpoint: Endpoint::parse("http://localhost:1").unwrap(),
            api_version: "2025-08-26".to_string(),
            token_path: "/identity/v1/token".to_string(),
            timeout: Duration::from_millis(500),
        }
    }

    /// A loopback port nothing listens on.
    fn closed_port() -> SocketAddr {
        TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
    }

    #[test]
    fn an_address_that_refuses_is_passed_over_for_one_that_listens() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let open = listener.local_addr().unwrap();
        let closed = closed_port();
        let check = connect_any(&subject(), &[closed, open]);
        let detail = check.result.unwrap();
        assert!(detail.starts_with(&format!("{open} accepted")), "{detail}");
        assert!(detail.contains(&format!("after {closed}: ")), "{detail}");
    }

    #[test]
    fn every_address_refusing_names_them_all() {
        let (first, second) = (closed_port(), closed_port());
        let check = connect_any(&subject(), &[first, second]);
        let failure = check.result.unwrap_err();
        assert_eq!(failure.kind, Kind::Unreachable);
        assert!(
            failure.what.contains(&second.to_string()),
            "{}",
            failure.what
        );
        assert!(
            failure.what.contains(&first.to_string()),
            "{}",
            failure.what
        );
        assert!(connect_any(&subject(), &[]).result.is_err());
    }

    #[test]
    fn the_service_unreached_on_windows_needs_its_route() {
        let failure = || Failure::new(Kind::Unreachable, "no answer", &["other fix"]);
        let fix = with_route(SocketAddr::from((SERVICE_ADDRESS, 80)), failure()).fix;
        assert_eq!(fix.len(), if cfg!(windows) { 2 } else { 1 });
        assert_eq!(
            fix[0].contains("`route -p add 169.254.169.254 MASK 255.255.255.255 <gateway>`"),
            cfg!(windows),
            "{fix:?}"
        );
        assert_eq!(with_route(closed_port(), failure()).fix, ["other fix"]);
    }
}
