//! `imds-mock`: an emulator of the IBM Cloud VPC instance metadata service on loopback, with
//! fault injection and an exec mode (docs/ARCHITECTURE.md §5). It shares no code with the client's
//! HTTP path, so it can catch the client's mistakes.
//!
//! - [`routes`]: the service's rules (docs/SERVICE.md §1.4, §2, §3, §4, §5): paths, methods,
//!   version dates, authorisation; [`tokens`] mints identity tokens and does the IAM exchange,
//!   [`pages`] serves collections, pages and items; errors are IBM-shaped ([`errors`]).
//! - [`collections`]: the one table of collections, read by the routes and the fixture.
//! - [`ca`]: the certificate authority behind `…/certificates`: a root and an intermediate
//!   made at start-up, CSR checks, leaves named after the instance.
//! - [`fixture`]: the instance described; the default is built from IBM's documentation
//!   examples, `--fixture FILE` loads your own (its format is documented there and in
//!   `imds-mock --help`).
//! - [`faults`]: latency, status codes with `Retry-After`, dropped connections, never answering,
//!   truncated, oversized (with `Content-Length`, or chunked without one) or non-JSON
//!   bodies, short token lifetimes; [`wire`] carries each out on the socket.
//! - [`control`]: `/_mock/…`, to set faults, read request counts and patch the fixture at run
//!   time.
//! - [`server`], [`http`] (reading requests) and [`response`] (writing answers): the socket,
//!   one thread per connection, keep-alive, TLS, and the limits on connections, sizes and time.
//! - [`cli`]: the command line.
//!
//! Exit status: the command's in exec mode (128+N for signal N; 127 if it cannot be run),
//! 2 for a bad command line or fixture, 1 if the server cannot start.
//!
//! It stands on the library (`imds-client`) for what both sides of the wire must read alike
//! (durations, dates), for the safe file writer and for signals, never on the command line.

// The doc comments of `cli` are help text written for the command line, not rustdoc: brackets
// and bare URLs there are what the user reads.
#![allow(rustdoc::broken_intra_doc_links, rustdoc::bare_urls)]

pub mod ca;
pub mod cli;
pub mod collections;
pub mod control;
pub mod errors;
pub mod faults;
pub mod fixture;
#[doc(hidden)]
pub mod fuzzing;
pub mod http;
pub mod pages;
pub mod response;
pub mod routes;
pub mod server;
pub mod state;
pub mod tokens;
pub mod util;
pub mod wire;

use clap::Parser;
use imds_client::{files, signals};
use std::io::Write;
use std::net::SocketAddr;
use std::process::Command;

/// Exit status for a bad command line or fixture.
pub const EXIT_USAGE: i32 = 2;
/// Exit status when the server cannot start.
pub const EXIT_START: i32 = 1;
/// Exit status when the exec-mode command cannot be run (as shells do).
pub const EXIT_CANNOT_RUN: i32 = 127;
/// The variable the exec-mode command finds the emulator's URL in.
pub const ENDPOINT_VAR: &str = "IMDS_ENDPOINT";

/// Runs `imds-mock` with the process arguments; returns the exit status. Only returns in exec
/// mode or on a start-up error: otherwise it serves until killed.
pub fn main() -> i32 {
    let cli = match cli::MockCli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { 0 };
        }
    };
    if cli.dump_fixture {
        return dump_fixture();
    }
    let rules = cli.rules();
    if let Some(e) = rules.iter().find_map(|r| r.check().err()) {
        eprintln!("imds-mock: bad fault flag: {e}");
        return EXIT_USAGE;
    }
    let fixture = match fixture_of(&cli) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("imds-mock: {e}");
            return EXIT_USAGE;
        }
    };
    let patches = match read_patches(&cli.patch_after, &fixture) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("imds-mock: {e}");
            return EXIT_USAGE;
        }
    };
    let server = match bind(&cli, fixture, rules) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("imds-mock: {e}");
            return EXIT_START;
        }
    };
    if let Some(path) = &cli.ca_out {
        // Before the URL line: whoever reads the URL can trust the root at once.
        // The same writer as imds's -o: replaced all at once, never through a link.
        let pem = server.state.ca().root_pem();
        let written = crate::files::Target::open(path, crate::files::Options::OUTPUT)
            .and_then(|target| target.prepare()?.commit(pem.as_bytes()));
        if let Err(e) = written {
            eprintln!("imds-mock: {e}");
            return EXIT_START;
        }
    }
    for (delay, patch) in patches {
        state::State::patch_after(&server.state, patch, delay);
    }
    let url = server.url().to_string();
    if cli.command.is_empty() {
        let mut out = std::io::stdout().lock();
        if writeln!(out, "{url}").and_then(|()| out.flush()).is_err() {
            // Nobody reads our URL; serve anyway, the caller may know the port.
        }
        drop(out);
        server.run();
        return 0;
    }
    std::thread::spawn(move || server.run());
    exec(&cli.command, &url)
}

/// The server on its socket, with TLS when `--tls-cert` and `--tls-key` are given.
fn bind(
    cli: &cli::MockCli,
    fixture: fixture::Fixture,
    rules: Vec<faults::Rule>,
) -> Result<server::Server, String> {
    let tls = match (&cli.tls_cert, &cli.tls_key) {
        (Some(cert), Some(key)) => Some(server::TlsFiles {
            cert: cert.clone(),
            key: key.clone(),
        }),
        _ => None,
    };
    // The default port 0 is a free port, so parallel exec-mode runs never collide; an explicit
    // --port is honoured in both modes.
    let port = cli.port;
    server::Server::bind(
        SocketAddr::new(cli.bind, port),
        tls.as_ref(),
        fixture,
        rules,
        cli.quiet,
    )
}

/// `--dump-fixture`: the default fixture on stdout; a closed stdout is no failure.
fn dump_fixture() -> i32 {
    let mut out = std::io::stdout().lock();
    match out
        .write_all(fixture::DEFAULT_FIXTURE.as_bytes())
        .and_then(|()| out.flush())
    {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("imds-mock: cannot write the fixture: {e}");
            EXIT_START
        }
    }
}

/// The instance to serve: `--fixture FILE`, or a preset (the default one without `--preset`),
/// as a bare metal server with `--bare-metal`.
fn fixture_of(cli: &cli::MockCli) -> Result<fixture::Fixture, String> {
    let mut fixture = match &cli.fixture {
        None => {
            fixture::Fixture::preset(cli.preset.map_or(fixture::Preset::Default, |p| p.preset()))
        }
        Some(path) => fixture::Fixture::load(path)?,
    };
    fixture.bare_metal = cli.bare_metal;
    Ok(fixture)
}

/// The `--patch-after` files read, in the order of their times, each checked on top of the
/// fixture and the patches before it, so a bad one is found before the emulator serves.
fn read_patches(
    given: &[(std::time::Duration, std::path::PathBuf)],
    fixture: &fixture::Fixture,
) -> Result<Vec<(std::time::Duration, serde_json::Value)>, String> {
    let mut given = given.to_vec();
    given.sort_by_key(|(delay, _)| *delay);
    let mut current = fixture.clone();
    let mut out = Vec::new();
    for (delay, path) in given {
        let shown = path.display();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read patch {shown}: {e}"))?;
        let patch: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("bad patch {shown}: not valid JSON: {e}"))?;
        current = current
            .patched(&patch)
            .map_err(|e| format!("bad patch {shown}: {e}"))?;
        out.push((delay, patch));
    }
    Ok(out)
}

/// Runs the command with the endpoint in its environment; its exit status, shell-style.
/// SIGTERM and SIGHUP sent to the emulator are passed on to the command, so stopping the
/// emulator stops what it runs; SIGINT from a terminal reaches both already (one process group),
/// so the emulator ignores it and waits for the command.
fn exec(command: &[String], url: &str) -> i32 {
    crate::signals::hold_for_child();
    let status = Command::new(&command[0])
        .args(&command[1..])
        .env(ENDPOINT_VAR, url)
        .spawn()
        .and_then(|mut child| {
            crate::signals::forward_to(child.id());
            child.wait()
        });
    match status {
        Ok(status) => crate::signals::shell_status(status),
        Err(e) => {
            eprintln!("imds-mock: cannot run {}: {e}", command[0]);
            if e.kind() == std::io::ErrorKind::PermissionDenied {
                126
            } else {
                EXIT_CANNOT_RUN
            }
        }
    }
}
