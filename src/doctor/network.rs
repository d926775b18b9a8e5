//! Checks 2 and 3: name resolution and a TCP connection (std::net), each bounded by
//! `--timeout`.

use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{Check, Failure, Subject, fix_silence};
use crate::client;
use crate::error::Kind;
use crate::text::show_duration;

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
pub(super) fn connect(target: &Subject) -> Check {
    let name = "connect";
    let (host, port) = (target.endpoint.host().to_string(), target.endpoint.port());
    let timeout = target.timeout;
    let addrs: Vec<SocketAddr> = match bounded(timeout, move || {
        (host.as_str(), port)
            .to_socket_addrs()
            .map(|a| a.collect::<Vec<_>>())
    }) {
        Some(Ok(addrs)) => addrs,
        _ => Vec::new(),
    };
    let Some(addr) = addrs.first().copied() else {
        return Check {
            name,
            result: Err(Failure::new(
                Kind::Unreachable,
                "no address to connect to",
                &["check --endpoint (or IMDS_ENDPOINT)"],
            )),
        };
    };
    let started = Instant::now();
    let result = match TcpStream::connect_timeout(&addr, timeout) {
        Ok(_) => Ok(format!(
            "{addr} accepted a connection in {} ms",
            started.elapsed().as_millis()
        )),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => Err(Failure::new(
            Kind::Unreachable,
            format!("{addr} refused the connection"),
            &[
                "nothing listens there: imds is not running on a VPC instance, or --endpoint \
                 (IMDS_ENDPOINT) names the wrong host or port",
            ],
        )),
        Err(e) if e.kind() == std::io::ErrorKind::TimedOut => Err(Failure {
            kind: Kind::Unreachable,
            what: format!("no answer from {addr} within {}", show_duration(timeout)),
            fix: std::iter::once(
                "not on a VPC instance (169.254.169.254 is only served there), or:".to_string(),
            )
            .chain(fix_silence(&target.endpoint).into_iter().skip(1))
            .collect(),
        }),
        Err(e) => Err(Failure::new(
            Kind::Unreachable,
            format!("cannot connect to {addr}: {}", client::describe_io(&e)),
            &["check the network, and --endpoint (IMDS_ENDPOINT)"],
        )),
    };
    Check { name, result }
}
