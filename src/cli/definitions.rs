//! The command line as clap sees it: `imds`, its global options and its subcommands, with the
//! options of the commands that have few. The single source of `--help`, completions/ and man/.
//!
//! Only definitions live here. What the user typed becomes a [`crate::settings::Settings`]
//! elsewhere; values that can be checked without a request (durations, dates, `--field` paths)
//! are parsed here by value parsers, so a bad one is exit 2 before anything is sent.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};

use super::cert::CertArgs;
use super::disks::DisksArgs;
use super::get::GetArgs;
use super::parsers::{api_version, duration};
use super::token::{ExecArgs, TokenArgs};
use super::watch::WatchArgs;
use crate::field::FieldPath;
use crate::settings::Choices;
use crate::shell::ShellVar;
use crate::values::ApiVersion;

const AFTER_HELP: &str = "\
Examples:
  imds instance                                   the instance document, pretty JSON
  imds instance --field zone.name                 one value, raw
  imds keys --authorized-keys ~/.ssh/authorized_keys
  imds --wait 60s init --user-data -o ~/setup.sh
  vars=$(imds instance --shell zone=zone.name) && eval \"$vars\"
  eval \"$(imds token --export)\"                   reuse one token across calls

Environment: IMDS_ENDPOINT, IMDS_SECURE, IMDS_API_VERSION, IMDS_TIMEOUT, IMDS_WAIT as the options
above; IMDS_TOKEN, a token to use instead of minting one (a fresh one is minted once if it is
refused); NO_COLOR, or TERM=dumb, turns colour off.

Exit status: 0 ok, 1 other failure, 2 usage, 3 not found, 4 unreachable, 5 refused,
6 field not found, 7 bad response, 8 condition not met in time (watch). See imds(1).";

/// `imds --version`: still one line, with the target and the optional features built in (`-V`
/// prints the version alone).
const LONG_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("IMDS_BUILD"), ")");

/// Read the IBM Cloud VPC instance metadata service from the command line.
///
/// imds gets an identity token, calls the metadata API with it and prints the answer: pretty
/// JSON, one field, or raw text. It replaces the curl + jq pipelines of IBM's documentation with
/// one process that never hangs and never prints half a result.
#[derive(Debug, Parser)]
// A repeated option takes its last value (as in rg, xh and curl), so aliases and wrappers can
// add options freely.
#[command(
    name = "imds",
    version,
    long_version = LONG_VERSION,
    after_help = AFTER_HELP,
    max_term_width = 100,
    args_override_self = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted before or after the subcommand.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Base URL of the metadata service [env: IMDS_ENDPOINT]
    ///
    /// Default: http://169.254.169.254, or https://api.metadata.cloud.ibm.com with --secure.
    #[arg(long, global = true, value_name = "URL", value_hint = ValueHint::Url)]
    pub endpoint: Option<String>,

    /// Use the service's HTTPS access (secure access must be on for the instance) [env: IMDS_SECURE=1]
    #[arg(long, global = true)]
    pub secure: bool,

    /// Extra CA certificate (PEM) to trust for HTTPS, besides the system's
    ///
    /// A regular file of at most 1 MiB holding at least one PEM certificate; it is checked
    /// before any request, whatever the endpoint's scheme.
    #[arg(long, global = true, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub cacert: Option<PathBuf>,

    /// API version date sent as version= (YYYY-MM-DD, 2022-03-01 or later) [env: IMDS_API_VERSION]
    ///
    /// Default: 2025-08-26. From 2025-08-26 on, tokens come from /identity/v1/; before it from
    /// /instance_identity/v1/.
    #[arg(long, global = true, value_name = "DATE", value_parser = api_version,
          value_hint = ValueHint::Other)]
    pub api_version: Option<ApiVersion>,

    /// Print only this field (repeatable: tab-separated columns)
    ///
    /// A path starting with `$` is a JSONPath (RFC 9535) over the whole document; anything else
    /// is a shorthand like `public_key`, `vcpu.count` or `network_interfaces[0].subnet.name`,
    /// applied to each item of a list. Strings print raw, other values as compact JSON. With
    /// several fields, a tab, newline, CR or backslash in a value is escaped as `\t`, `\n`,
    /// `\r`, `\\` (as jq's @tsv). A path may have at most 256 segments and 4096 bytes.
    #[arg(short, long, global = true, value_name = "PATH", value_hint = ValueHint::Other, value_parser = FieldPath::parse)]
    pub field: Vec<FieldPath>,

    /// Print NAME='value' lines for `eval` in sh, dash, bash and zsh (repeatable)
    ///
    /// NAME is a shell variable name; PATH is as for --field. Strings are assigned raw, other
    /// values as compact JSON; on a list, or with a `$` path, one value per line. A value
    /// holding a newline there, or a NUL anywhere, is exit 1. Safe to `eval` whatever the value
    /// holds: vars=$(imds instance --shell zone=zone.name) && eval "$vars"
    ///
    /// A NAME that the shell, or the programs it starts, use themselves is exit 2: IFS, PATH,
    /// ENV, HOME, PS1, LD_*, BASH_*, UID, zsh's path and status, IMDS_* and more (imds(1) lists
    /// them all).
    #[arg(long, global = true, value_name = "NAME=PATH", value_parser = ShellVar::parse,
          value_hint = ValueHint::Other, conflicts_with_all = ["field", "null"])]
    pub shell: Vec<ShellVar>,

    /// What a --field or --shell path that matches nothing gives, instead of exit 6
    ///
    /// On a list, per item: `imds nics --field floating_ips[0].address --default none`.
    #[arg(long, global = true, value_name = "TEXT", value_hint = ValueHint::Other)]
    pub default: Option<String>,

    /// Write the output to FILE instead of stdout, all at once
    ///
    /// FILE is replaced only when the command succeeds (through a temporary file in the same
    /// directory, synced and renamed): a new file gets mode 0600, an existing one keeps its
    /// mode; on failure it is left as it was. FILE is looked at before any request: a symbolic
    /// link, a directory or a device is refused (exit 1), and so, run as root, is a link
    /// another user owns on the way to it, or another user's file in a sticky directory such
    /// as /tmp. On Windows no mode is set: the file written takes its folder's ACL.
    #[arg(short, long, global = true, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub output: Option<PathBuf>,

    /// Print JSON on one line
    #[arg(short, long, global = true)]
    pub compact: bool,

    /// End every picked value with NUL, raw: no newlines, no tabs between columns
    ///
    /// A value that holds a NUL itself is exit 1, as with jq's --raw-output0.
    #[arg(short = '0', long, global = true)]
    pub null: bool,

    /// When to colour JSON output (NO_COLOR or TERM=dumb turns `auto` off)
    #[arg(long, global = true, value_enum, value_name = "WHEN", value_hint = ValueHint::Other, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    /// Time allowed for each attempt, connect and answer (default 2s) [env: IMDS_TIMEOUT]
    #[arg(long, global = true, value_name = "DURATION", value_parser = duration,
          value_hint = ValueHint::Other)]
    pub timeout: Option<Duration>,

    /// Boot mode: keep retrying until DURATION after start (e.g. 60s, 5m) [env: IMDS_WAIT]
    ///
    /// Retries refused connections, silences, dropped connections, 5xx and 429 until the deadline;
    /// each attempt's timeout is clipped to the time left.
    #[arg(long, global = true, value_name = "DURATION", value_parser = duration,
          value_hint = ValueHint::Other)]
    pub wait: Option<Duration>,

    /// Print one line per HTTP attempt on stderr (tokens are redacted)
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

impl GlobalArgs {
    /// What these options ask of the settings.
    pub fn choices(&self) -> Choices {
        Choices {
            endpoint: self.endpoint.clone(),
            secure: self.secure,
            cacert: self.cacert.clone(),
            api_version: self.api_version.clone(),
            timeout: self.timeout,
            wait: self.wait,
            verbose: self.verbose,
        }
    }
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`
    Auto,
    /// Always colour
    Always,
    /// Never colour
    Never,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Mint an identity access token and print it
    ///
    /// With --refresh, imds keeps running and keeps -o FILE fresh: it writes the token at
    /// start, then again each time 80% of the current token's lifetime has passed (less 1 s).
    /// imds-token(1) shows a systemd unit that runs it, and how the ibmcloud CLI and the
    /// Terraform provider read the file.
    ///
    /// Examples:
    ///   imds token --expires-in 3600
    ///   eval "$(imds token --export)"; imds instance; imds keys
    ///   imds token --iam --profile-id Profile-8dd84246-7df4-4667-94e4-8cede51d5ac5
    ///   imds token --iam --profile-name my-trusted-profile
    ///   imds token --nonce "$(date +%s)-$$" --json
    ///   nohup imds token --refresh --expires-in 3600 -o ~/.imds-token &
    #[command(verbatim_doc_comment)]
    Token(TokenArgs),

    /// Get an instance identity certificate: a new key, a CSR, the signed chain
    ///
    /// Generates a key pair (RSA 4096 unless --key-type says otherwise), writes the private key
    /// to --key-out, sends a certificate signing request whose subject holds only C, ST, L, O
    /// and OU (the service sets the CN to the instance id), and prints the certificate chain
    /// the service returns, leaf first, as PEM. With --csr the request is sent as it is and no
    /// key is made. The version date picks the path, as for tokens. Making keys needs a build
    /// with the `tls` feature (the default); --csr works in every build.
    ///
    /// Examples:
    ///   imds cert --key-out instance-key.pem > instance-chain.pem
    ///   imds cert --key-out ec-key.pem --key-type ec-p256 --subject '/C=US/O=Example' --expires-in 600
    ///   imds cert --key-out instance-key.pem --force --field expires_at
    #[command(verbatim_doc_comment)]
    Cert(CertArgs),

    /// Print the instance document
    ///
    /// Examples:
    ///   imds instance
    ///   imds instance --field profile.name --field zone.name
    ///   imds instance --shell zone=zone.name --shell profile=profile.name
    #[command(verbatim_doc_comment)]
    Instance,

    /// Print the initialization data (keys, user_data, default_trusted_profile)
    ///
    /// Examples:
    ///   imds init --user-data -o ~/setup.sh
    ///   imds init --field '$.keys[*].name'
    #[command(verbatim_doc_comment)]
    Init(InitArgs),

    /// List the SSH keys of the instance, or show one
    ///
    /// Examples:
    ///   imds keys --authorized-keys ~/.ssh/authorized_keys
    ///   imds keys --field name --field fingerprint
    #[command(verbatim_doc_comment)]
    Keys(KeysArgs),

    /// List the placement groups, or show one
    ///
    /// Examples:
    ///   imds placement-groups --field name --field strategy
    #[command(verbatim_doc_comment)]
    PlacementGroups(IdArg),

    /// List the network interfaces, or show one
    ///
    /// Examples:
    ///   imds nics --field primary_ipv4_address
    ///   imds nics --field name --field 'floating_ips[0].address' --default none
    #[command(name = "nics", verbatim_doc_comment)]
    Nics(IdArg),

    /// List the volume attachments, or show one
    ///
    /// Examples:
    ///   imds volumes --field name --field device.id
    #[command(verbatim_doc_comment)]
    Volumes(IdArg),

    /// List the software attachments (vendor software and its licence keys), or show one
    ///
    /// Each item names the catalog offering and, for licensed software, its entitlement: the
    /// SKU and the licence key the vendor's agent needs. A key prints as the service sends it;
    /// `imds snapshot --redact` leaves keys out. Served from the 2026-06-23 API on; an older
    /// service answers 404 (exit 3).
    ///
    /// Examples:
    ///   imds software --field name --field lifecycle_state
    ///   imds software --field '$[*].entitlement.licensed_software[*].key' --default none
    ///   imds watch --until lifecycle_state=stable software
    #[command(verbatim_doc_comment)]
    Software(IdArg),

    /// List the network attachments (each with its virtual network interface), or show one
    ///
    /// An instance created with network attachments lists them here instead of under `nics`.
    ///
    /// Examples:
    ///   imds network-attachments --field name --field primary_ip.address
    ///   imds network-attachments --field virtual_network_interface.id
    #[command(verbatim_doc_comment)]
    NetworkAttachments(IdArg),

    /// List the cluster network attachments, or show one
    ///
    /// Examples:
    ///   imds cluster-network-attachments --field name --field lifecycle_state
    #[command(verbatim_doc_comment)]
    ClusterNetworkAttachments(IdArg),

    /// List the virtual network interfaces, or show one
    ///
    /// Examples:
    ///   imds vnis --field id --field primary_ip.address
    ///   imds vnis --field name --field protocol_state_filtering_mode
    #[command(name = "vnis", verbatim_doc_comment)]
    Vnis(IdArg),

    /// List the disks and the local block device each one is
    ///
    /// One item per volume attachment (kind `boot` or `data`) and per instance storage disk
    /// (`instance-storage`): name, id, volume, size (GB), and the block device (`/dev/vdX`) with
    /// its /dev/disk/by-id link, or null. A device matches as in IBM's documentation: its virtio
    /// serial number (ROOT/sys/block/*/serial) is the start of the disk's id.
    ///
    /// Examples:
    ///   imds disks --field name --field device
    ///   imds disks --field '$[?@.kind=="instance-storage"].device'
    #[command(verbatim_doc_comment)]
    Disks(DisksArgs),

    /// GET any path under /metadata/v1/ and print the document (all pages)
    ///
    /// The document prints as the service shapes it. On a collection (its items in an array
    /// named after the path's last segment, as keys or virtual_network_interfaces), a shorthand
    /// --field or --shell path applies to each item, as on the list commands; a `$` path sees
    /// the whole document, page fields such as total_count included.
    ///
    /// Examples:
    ///   imds get instance/network_attachments
    ///   imds get virtual_network_interfaces --field id
    ///   imds get placement_groups --field '$.total_count'
    #[command(verbatim_doc_comment)]
    Get(GetArgs),

    /// Print everything the service tells this instance, as an imds-mock fixture
    ///
    /// One JSON document: the instance, its initialization data, keys, placement groups and
    /// every instance sub-collection the service has (one it does not have, or an empty one, is
    /// left out). The service lists no trusted profiles, so there are none in it. `imds-mock
    /// --fixture FILE` serves it back, to test boot scripts against a copy of this instance.
    ///
    /// Examples:
    ///   imds snapshot --redact -o ~/my-instance.json
    ///   imds snapshot --field '$.instance.name'
    #[command(verbatim_doc_comment)]
    Snapshot(SnapshotArgs),

    /// Run a read command again and again; print its output at the start and when it changes
    ///
    /// COMMAND is a read command with its arguments, as after `imds` (instance, init, keys,
    /// placement-groups, nics, volumes, software, network-attachments,
    /// cluster-network-attachments, vnis, disks, get PATH, snapshot), and the output options
    /// (--field, --shell, --default, -0, --color) apply to each observation, given before or
    /// after COMMAND. A JSON document prints compact, one line per observation (NDJSON); picked
    /// values print as the command prints them. One token serves every poll and is minted
    /// again before it expires.
    ///
    /// A poll that fails (after its own retries and --timeout) is one stderr line and the watch
    /// goes on; --max-failures failures in a row end it with that failure's exit status.
    /// SIGINT and SIGTERM end it between observations, with status 130 and 143. With --until,
    /// --max-time ending it first is exit 8.
    ///
    /// Examples:
    ///   imds watch --count 1 instance --field status
    ///   imds watch --interval 10s --max-time 5m --until status=running instance
    ///   imds watch --count 1 --exec 'cat >> ~/volumes.log' volumes --field name
    #[command(verbatim_doc_comment)]
    Watch(WatchArgs),

    /// Diagnose access to the metadata service and print the fix
    ///
    /// Checks, in order: environment, name resolution, TCP connect, the token request, the
    /// version date and a metadata read. Prints one line per check on stdout (✓ or ✗, and a
    /// `fix:` under a failed one); exits 0 when all pass, else with the first failed check's
    /// exit code. Each step is bounded by --timeout; --wait does not apply. The connect check
    /// tries every address the host resolves to; on a bare metal server (identity API only) the
    /// instance document's 404 is a pass.
    ///
    /// Examples:
    ///   imds doctor
    ///   imds --secure doctor
    #[command(verbatim_doc_comment)]
    Doctor,

    /// Run a command with a fresh token in its environment
    ///
    /// Mints one identity token and runs CMD with it in IMDS_TOKEN, so that the imds calls CMD
    /// makes use it and mint nothing. With --iam, the token is also exchanged for an IAM token
    /// of a trusted profile, which goes into IC_IAM_TOKEN and IBMCLOUD_IAM_TOKEN, the variables
    /// the IBM Cloud Terraform provider reads its `iam_token` from. IMDS_ENDPOINT is set to the
    /// service imds used. Tokens go only into CMD's environment: never into its arguments, and
    /// never into -v output.
    ///
    /// The exit status is CMD's (128+N if signal N ended it); 127 if CMD is not found, 126 if
    /// it cannot be run. SIGTERM and SIGHUP sent to imds are passed on to CMD. The tokens are
    /// not renewed: pick --expires-in for how long CMD runs (an IAM token lives as long as IAM
    /// says, an hour at most).
    ///
    /// Examples:
    ///   imds exec -- sh -c 'imds instance --field name && imds keys --field name'
    ///   imds exec --expires-in 3600 -- sh -c 'imds volumes --field name'
    ///   imds exec --iam -- sh -c 'test -n "$IC_IAM_TOKEN"'
    #[command(verbatim_doc_comment)]
    Exec(ExecArgs),
}

/// Options of `imds init`.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Print the user data byte-exact, with nothing added (nothing when there is none)
    #[arg(long, conflicts_with_all = ["field", "shell"])]
    pub user_data: bool,
}

/// Options of `imds keys`.
#[derive(Debug, Clone, Args)]
pub struct KeysArgs {
    /// Show only the key with this id
    #[arg(value_name = "ID", value_hint = ValueHint::Other)]
    pub id: Option<String>,

    /// Add the keys to this authorized_keys file, unless there already
    ///
    /// Keeps every line of FILE and adds each key whose type and key material are not in it
    /// yet; writes it all at once with mode 0600, creating a missing parent directory (mode
    /// 0700). Run as root, FILE keeps its owner (a new one gets its directory's). Prints
    /// nothing; -v says what changed. Lines are read as sshd reads them, fields apart by spaces
    /// and tabs only: a key from the service whose fields are apart by anything else, or that
    /// holds a control character, is exit 7, and FILE is left as it was.
    ///
    /// Refused, with exit 1 and FILE unchanged: FILE a symbolic link, a FIFO, a device or over
    /// 1 MiB; run as root, a symbolic link owned by another user on the way to FILE (that user
    /// could point it at root's own directory). FILE's directory is opened once and every step
    /// happens in it, so a directory swapped for a link meanwhile changes nothing. With -o it
    /// is a usage error (exit 2): FILE is the output.
    ///
    /// On Windows, OpenSSH reads %ProgramData%\ssh\administrators_authorized_keys for members
    /// of the Administrators group and ~\.ssh\authorized_keys for other users; no mode or
    /// owner is set there: the file written takes its folder's ACL.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath,
          conflicts_with_all = ["field", "shell", "output", "null", "compact"])]
    pub authorized_keys: Option<PathBuf>,
}

/// Options of `imds snapshot`.
#[derive(Debug, Clone, Args)]
pub struct SnapshotArgs {
    /// Leave out the user data, the administrator password and any licence keys
    ///
    /// Removes exactly these: initialization.user_data, initialization.password (a Windows
    /// instance's encrypted administrator password, with the CRN and fingerprint of the key it
    /// is encrypted with) and the key of every licensed software item of the software attachments
    /// (entitlement.licensed_software[].key). It does not anonymise: ids, CRNs (which hold the
    /// account id), addresses, names, tags and SSH public keys stay as they are.
    #[arg(long)]
    pub redact: bool,
}

/// An optional resource id.
#[derive(Debug, Clone, Args)]
pub struct IdArg {
    /// Show only the item with this id
    #[arg(value_name = "ID", value_hint = ValueHint::Other)]
    pub id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, Kind};
    use crate::settings::Settings;
    use crate::values::{DEFAULT_ENDPOINT, DEFAULT_SECURE_ENDPOINT};
    use clap::CommandFactory;
    use std::time::Instant;

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    fn settings(args: &[&str], env: &[(&str, &str)], _tty: bool) -> Result<Settings, Error> {
        let mut argv = vec!["imds"];
        argv.extend_from_slice(args);
        argv.push("instance");
        let cli = Cli::try_parse_from(argv).unwrap();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::resolve(&cli.global.choices(), Instant::now(), |name| {
            env.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| std::ffi::OsString::from(v))
        })
    }

    #[test]
    fn endpoints() {
        let s = settings(&[], &[], false).unwrap();
        assert_eq!(s.endpoint.as_str(), DEFAULT_ENDPOINT);
        match settings(&["--secure"], &[], false) {
            Ok(s) => assert_eq!(s.endpoint.as_str(), DEFAULT_SECURE_ENDPOINT),
            // Without TLS support, an https:// endpoint is a usage error.
            Err(e) => assert!(!cfg!(feature = "tls") && e.kind() == Kind::Usage, "{e:?}"),
        }
        let s = settings(&["--endpoint", "http://127.0.0.1:8080/"], &[], false).unwrap();
        assert_eq!(s.endpoint.as_str(), "http://127.0.0.1:8080");
        let s = settings(&["--endpoint", "http://[::1]:8080"], &[], false).unwrap();
        assert_eq!(s.endpoint.as_str(), "http://[::1]:8080");
        for bad in [
            "ftp://x",
            "http://",
            "http:///x",
            "http://h/path",
            "http://h?x",
            "http://u@h",
            "169.254.169.254",
            "http://:80",
        ] {
            let e = settings(&["--endpoint", bad], &[], false).unwrap_err();
            assert_eq!(e.kind(), crate::error::Kind::Usage, "{bad}");
        }
        let e = settings(&["--secure", "--endpoint", "http://h"], &[], false).unwrap_err();
        let shown = crate::failure::render(&e);
        assert!(shown.contains("hint: drop --secure"), "{shown}");
    }

    #[test]
    fn an_empty_endpoint_is_refused_not_replaced_by_the_default() {
        for (args, env) in [
            (&["--endpoint", ""][..], &[][..]),
            (&["--endpoint", " "][..], &[][..]),
            (&[][..], &[("IMDS_ENDPOINT", "")][..]),
            (&["--secure"][..], &[("IMDS_ENDPOINT", " ")][..]),
        ] {
            let e = settings(args, env, false).unwrap_err();
            assert_eq!(e.kind(), crate::error::Kind::Usage, "{args:?} {env:?}");
            assert!(e.message().contains("empty"), "{}", e.message());
        }
    }

    #[test]
    fn env_token_and_wait() {
        let s = settings(&["--wait", "5s"], &[("IMDS_TOKEN", " abc ")], false).unwrap();
        assert_eq!(s.env_token.unwrap().expose(), "abc");
        assert!(s.deadline.is_some());
        assert!(
            settings(&[], &[("IMDS_TOKEN", "")], false)
                .unwrap()
                .env_token
                .is_none()
        );
        assert!(settings(&["--timeout", "0s"], &[], false).is_err());
        for zero in ["0", "0s", "0ms"] {
            let e = settings(&["--wait", zero], &[], false).unwrap_err();
            assert_eq!(e.kind(), crate::error::Kind::Usage, "{zero}");
            assert!(e.hint().is_some());
        }
    }
}
