//! The `imds-mock` command line: clap definitions (the single source of its `--help`) and the
//! turning of fault flags into fault rules. It starts nothing.

use crate::faults::{DEFAULT_OVERSIZE_BYTES, Fault, Rule};
use crate::fixture::Preset;
use clap::{Parser, ValueEnum, ValueHint};
use imds_client::values::parse_duration;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The address bound unless `--bind` says otherwise: loopback only.
pub const DEFAULT_BIND: &str = "127.0.0.1";

/// Kept within 79 columns, so it reads the same in an 80-column terminal as in a wider one.
const AFTER_HELP: &str = "\
The first line on stdout is the base URL (http://127.0.0.1:PORT, or
https://localhost:PORT with --tls-cert); then one line per request on stderr
(method, path, status, ms; never a token). With `-- CMD ARGS…` it serves on a
free port (or --port), runs CMD with IMDS_ENDPOINT set to its URL, prints
nothing of its own on stdout, passes SIGTERM and SIGHUP on to CMD, and exits
with CMD's status (128+N if CMD died of signal N).

Service paths (spec: IBM Cloud VPC instance metadata):
  PUT  /identity/v1/token, /instance_identity/v1/token
       an identity token; the request needs the header `Metadata-Flavor: ibm`
  POST /identity/v1/iam_tokens, /instance_identity/v1/iam_token
       an IAM token for a trusted profile (by id, crn or name; default: the
       default profile)
  POST /identity/v1/certificates, /instance_identity/v1/certificates
       an instance identity certificate for {\"csr\": PEM,
       \"expires_in\": 300-3600}: no CN, no extensions, C/ST/L/O/OU only;
       signed by a CA made at start-up (--ca-out writes its root)
  GET  /metadata/v1/instance, instance/initialization,
       instance/network_interfaces[/ID], instance/volume_attachments[/ID],
       instance/network_attachments[/ID], keys[/ID], placement_groups[/ID],
       virtual_network_interfaces[/ID], …
Every request needs ?version=YYYY-MM-DD (2022-03-01 or later; from 2025-08-26
every /instance_identity/* request is 404, before any other check). Lists of
keys, placement groups and virtual network interfaces are paginated (limit
1-100, default 50; follow next.href; a start token is bound to its list).

Control path (no auth, not counted):
  GET    /_mock/counts         the request counts, e.g. {\"total\": 3,
                               \"requests\": {\"GET /metadata/v1/keys\": 3}}
  GET    /_mock/faults         the rules in force
  POST   /_mock/faults         add a rule, e.g. {\"kind\": \"status\",
                               \"status\": 503, \"count\": 2, \"retry_after\": 1,
                               \"path\": \"/metadata/\"}
  DELETE /_mock/faults         clear the rules
  POST   /_mock/reset          clear the rules and the counts
  POST   /_mock/expire-tokens  every token issued so far gets 401
  GET    /_mock/fixture        the fixture served now
  POST   /_mock/patch          a JSON merge patch (RFC 7396) of the fixture,
                               e.g. {\"instance\": {\"status\": \"stopping\"}};
                               ?after=2s applies it later (--patch-after
                               does it from the command line); a patch that
                               leaves a bad fixture is 400, nothing changes
Fault kinds and their fields: status (status, retry_after), drop, hang,
latency (ms), truncate, oversize (bytes; \"chunked\": true sends it chunked,
without Content-Length), token_ttl (seconds), not_json, bad_chain (defect:
wrong_key, a leaf for another key; joined, leaf and intermediate in one entry;
not_x509, a CERTIFICATE block that is no certificate; not_pem, no PEM at all).
Any rule takes `count` (how many matching requests; absent: all) and `path` (a
path prefix; absent: every service path). Rules apply in the order added:
latencies add up, then the first other matching rule decides; token_ttl
applies to token requests, bad_chain to certificate requests. Fault flags add
their rules in the order listed above. Fields are range-checked (status
200-599, retry_after <= 86400, ms and seconds <= a week, bytes <= 1 TiB, path
starting with /): out of range is 400 at the control path, exit 2 at start-up.

Limits: 128 connections (more get 503), 16 KiB of request head (431), 64 KiB
of body (413). Time limits, each a deadline however the bytes trickle in: 10 s
for a request to begin (else the connection is closed), then 10 s for its
head and 10 s for its body (else 408 and closed). A request that is not
HTTP/1.x is 400; the emulator never stops on what a client sends.

Fixture (--fixture FILE, or --preset NAME; --dump-fixture prints the
default), a JSON object with one key per document and collection, items in
the service's order:
  instance          required; the instance document, an object with a string
                    \"id\", embedding references as the service does
  initialization    the instance/initialization document (user_data: a string)
  keys, placement_groups, virtual_network_interfaces
                    the items of /metadata/v1/<key>
  network_interfaces, volume_attachments, network_attachments,
  cluster_network_attachments, software_attachments
                    the items of /metadata/v1/instance/<key>, whole
  trusted_profiles  [{\"id\": S, \"crn\": S, \"name\": S, \"default\": bool}]
                    (name optional), at most one default
Items are objects, each with a unique string \"id\". An instance collection
the fixture does not list is served from the instance document's array of that
name. Left out everywhere, keys, placement_groups, network_interfaces and
volume_attachments are served empty; the newer collections are 404, as on an
older service. Any other key is refused. A bad fixture is reported with the
field at fault, exit 2.";

/// Emulator of the IBM Cloud VPC instance metadata service, for tests and boot scripts.
#[derive(Debug, Parser)]
#[command(name = "imds-mock", version, after_long_help = AFTER_HELP)]
pub struct MockCli {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, value_name = "N", value_hint = ValueHint::Other, default_value_t = 0)]
    pub port: u16,

    /// Address to listen on.
    #[arg(long, value_name = "ADDR", value_hint = ValueHint::Other, default_value = DEFAULT_BIND)]
    pub bind: IpAddr,

    /// The instance to describe, as JSON (format below); default: IBM's documentation examples.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub fixture: Option<PathBuf>,

    /// A built-in data set instead of --fixture: `default` (one instance as IBM's examples
    /// describe it), or `paging` (the same instance with 120 placement groups and 120 virtual
    /// network interfaces, to test following pages).
    #[arg(long, value_name = "NAME", value_enum, conflicts_with = "fixture")]
    pub preset: Option<PresetArg>,

    /// Act as a bare metal server: tokens, IAM tokens and certificates under /identity/v1/;
    /// every /metadata/v1/ path is 404, and so is every /instance_identity/ path, whatever the
    /// version date (as IBM documents it for dates up to 2025-08-25).
    #[arg(long)]
    pub bare_metal: bool,

    /// Print the default fixture and exit: a start for your own.
    #[arg(long, exclusive = true)]
    pub dump_fixture: bool,

    /// Serve HTTPS with this PEM certificate chain (needs --tls-key).
    #[arg(long, value_name = "CERT.pem", value_hint = ValueHint::FilePath, requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The PEM private key for --tls-cert.
    #[arg(long, value_name = "KEY.pem", value_hint = ValueHint::FilePath, requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Write the root certificate of the emulator's instance identity CA to FILE (PEM), before
    /// the URL line is printed: what a client trusts to verify `…/certificates` chains.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub ca_out: Option<PathBuf>,

    /// Wait this long before answering each request (e.g. 300ms, 2s).
    #[arg(long, value_name = "DURATION", value_hint = ValueHint::Other, value_parser = parse_duration)]
    pub latency: Option<Duration>,

    /// Answer with STATUS and an IBM-shaped error, for COUNT requests (default: all).
    #[arg(long, value_name = "STATUS[:COUNT]", value_hint = ValueHint::Other, value_parser = parse_fail)]
    pub fail: Option<(u16, Option<u64>)>,

    /// With --fail: the Retry-After header, in seconds (a 429 gets 1 by default).
    #[arg(long, value_name = "SECONDS", value_hint = ValueHint::Other, requires = "fail")]
    pub retry_after: Option<u64>,

    /// Close the connection without an answer, for N requests ("all" for every one).
    #[arg(long, value_name = "N", value_hint = ValueHint::Other, value_parser = parse_count)]
    pub drop: Option<Count>,

    /// Accept every request and never answer, like the service when disabled.
    #[arg(long)]
    pub hang: bool,

    /// Send the answer's head and half its body, then close.
    #[arg(long)]
    pub truncate: bool,

    /// Answer 200 with a JSON-looking body of BYTES bytes (default 64 MiB), announced by
    /// Content-Length.
    #[arg(long, value_name = "BYTES", value_hint = ValueHint::Other, num_args = 0..=1, default_missing_value = "67108864")]
    pub oversize: Option<u64>,

    /// Like --oversize, but chunked: no Content-Length, so a client finds out only while
    /// reading.
    #[arg(
        long,
        value_name = "BYTES", value_hint = ValueHint::Other,
        num_args = 0..=1,
        default_missing_value = "67108864",
        conflicts_with = "oversize"
    )]
    pub oversize_chunked: Option<u64>,

    /// Answer 200 with a body that is not JSON.
    #[arg(long)]
    pub not_json: bool,

    /// Tokens live at most this long, whatever they say (e.g. 1s).
    #[arg(long, value_name = "DURATION", value_hint = ValueHint::Other, value_parser = parse_duration)]
    pub token_ttl: Option<Duration>,

    /// Apply the JSON merge patch in FILE to the fixture DURATION after start (repeatable)
    ///
    /// As `POST /_mock/patch?after=DURATION` does, for scripts run in exec mode, e.g.
    /// `--patch-after 2s:stable.json`. Each patch is checked at start-up, in the order of their
    /// times, each on top of the earlier ones: one that leaves an invalid fixture is exit 2.
    #[arg(long, value_name = "DURATION:FILE", value_hint = ValueHint::Other,
          value_parser = parse_patch_after)]
    pub patch_after: Vec<(Duration, PathBuf)>,

    /// Add a fault rule in the control path's JSON form (repeatable).
    #[arg(long, value_name = "JSON", value_hint = ValueHint::Other, value_parser = parse_rule)]
    pub fault: Vec<Rule>,

    /// No per-request log lines on stderr.
    #[arg(short, long)]
    pub quiet: bool,

    /// Run CMD against the emulator and exit with its status.
    #[arg(last = true, value_name = "CMD ARGS", value_hint = ValueHint::CommandWithArguments)]
    pub command: Vec<String>,
}

/// The names `--preset` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PresetArg {
    /// One instance as IBM's documentation examples describe it (the default).
    Default,
    /// The default instance with long lists, for clients that follow pages.
    Paging,
}

impl PresetArg {
    /// The data set it names.
    pub fn preset(self) -> Preset {
        match self {
            PresetArg::Default => Preset::Default,
            PresetArg::Paging => Preset::Paging,
        }
    }
}

impl MockCli {
    /// The fault rules the flags ask for, in the documented order.
    pub fn rules(&self) -> Vec<Rule> {
        let mut rules = Vec::new();
        if let Some(d) = self.latency {
            rules.push(Rule::always(Fault::Latency(d)));
        }
        if let Some((status, count)) = self.fail {
            rules.push(Rule {
                remaining: count,
                ..Rule::always(Fault::Status {
                    status,
                    retry_after: self.retry_after,
                })
            });
        }
        if let Some(Count(count)) = self.drop {
            rules.push(Rule {
                remaining: count,
                ..Rule::always(Fault::Drop)
            });
        }
        if self.hang {
            rules.push(Rule::always(Fault::Hang));
        }
        if self.truncate {
            rules.push(Rule::always(Fault::Truncate));
        }
        if let Some(bytes) = self.oversize {
            rules.push(Rule::always(Fault::Oversize {
                bytes,
                chunked: false,
            }));
        }
        if let Some(bytes) = self.oversize_chunked {
            rules.push(Rule::always(Fault::Oversize {
                bytes,
                chunked: true,
            }));
        }
        if self.not_json {
            rules.push(Rule::always(Fault::NotJson));
        }
        if let Some(d) = self.token_ttl {
            rules.push(Rule::always(Fault::TokenTtl(d)));
        }
        rules.extend(self.fault.iter().cloned());
        rules
    }
}

const _: () = assert!(
    DEFAULT_OVERSIZE_BYTES == 67_108_864,
    "keep --oversize's default in step"
);

/// `STATUS` or `STATUS:COUNT`.
fn parse_fail(text: &str) -> Result<(u16, Option<u64>), String> {
    let (status, count) = match text.split_once(':') {
        Some((s, c)) => (s, Some(c)),
        None => (text, None),
    };
    let status: u16 = status
        .parse()
        .ok()
        .filter(|s| (200..=599).contains(s))
        .ok_or_else(|| format!("'{text}': the status must be an HTTP status, like 503 or 503:2"))?;
    let count = count
        .map(|c| {
            c.parse::<u64>()
                .map_err(|_| format!("'{text}': the count must be a number"))
        })
        .transpose()?;
    Ok((status, count))
}

/// How many requests a fault flag applies to; `None` = all.
#[derive(Debug, Clone, Copy)]
pub struct Count(pub Option<u64>);

/// A count of requests, or `all`.
fn parse_count(text: &str) -> Result<Count, String> {
    if text == "all" {
        return Ok(Count(None));
    }
    text.parse()
        .map(|n| Count(Some(n)))
        .map_err(|_| format!("'{text}' is not a number of requests (or \"all\")"))
}

/// `DURATION:FILE`: the file name is what follows the first colon.
fn parse_patch_after(text: &str) -> Result<(Duration, PathBuf), String> {
    let (duration, file) = text
        .split_once(':')
        .filter(|(_, file)| !file.is_empty())
        .ok_or_else(|| format!("'{text}': write DURATION:FILE, like 2s:patch.json"))?;
    Ok((parse_duration(duration)?, PathBuf::from(file)))
}

fn parse_rule(text: &str) -> Result<Rule, String> {
    let value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    Rule::from_json(&value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn after_help_fits_80_columns() {
        for line in AFTER_HELP.lines() {
            assert!(line.chars().count() < 80, "{line:?}");
        }
    }

    #[test]
    fn definitions_are_consistent() {
        MockCli::command().debug_assert();
    }

    #[test]
    fn flags_become_rules_in_order() {
        let cli = MockCli::try_parse_from([
            "imds-mock",
            "--fail",
            "503:2",
            "--retry-after",
            "1",
            "--drop",
            "all",
            "--latency",
            "300ms",
            "--token-ttl",
            "1s",
            "--fault",
            r#"{"kind":"hang","path":"/x"}"#,
        ])
        .unwrap();
        let kinds: Vec<Value> = cli.rules().iter().map(Rule::to_json).collect();
        assert_eq!(
            kinds,
            vec![
                serde_json::json!({"kind": "latency", "ms": 300}),
                serde_json::json!({"kind": "status", "status": 503, "retry_after": 1, "count": 2}),
                serde_json::json!({"kind": "drop"}),
                serde_json::json!({"kind": "token_ttl", "seconds": 1.0}),
                serde_json::json!({"kind": "hang", "path": "/x"}),
            ]
        );
    }

    #[test]
    fn exec_command_comes_after_double_dash() {
        let cli =
            MockCli::try_parse_from(["imds-mock", "--hang", "--", "sh", "-c", "exit 3"]).unwrap();
        assert!(cli.hang);
        assert_eq!(cli.command, ["sh", "-c", "exit 3"]);
    }

    #[test]
    fn bad_values_are_refused() {
        for args in [
            &["--fail", "5000"][..],
            &["--fail", "503:x"],
            &["--latency", "3 parsecs"],
            &["--latency", ".5s"],
            &["--token-ttl", "200h"],
            &["--oversize", "--oversize-chunked"],
            &["--drop", "some"],
            &["--retry-after", "1"],
            &["--tls-cert", "a.pem"],
            &["--fault", r#"{"kind":"nope"}"#],
            &["--preset", "huge"],
            &["--preset", "paging", "--fixture", "f.json"],
            &["--patch-after", "2s"],
            &["--patch-after", "2s:"],
            &["--patch-after", "soon:p.json"],
        ] {
            let mut argv = vec!["imds-mock"];
            argv.extend_from_slice(args);
            assert!(MockCli::try_parse_from(&argv).is_err(), "{args:?}");
        }
    }

    use serde_json::Value;
}
