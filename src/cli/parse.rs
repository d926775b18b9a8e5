//! Parsing a command line once, at the cost of what it uses.
//!
//! Before it parses, clap copies every global option into every subcommand of the tree and
//! checks the whole tree; with a dozen global options and a dozen subcommands that was a third
//! of the instructions of `imds instance`. A command line is therefore parsed first against a
//! tree that holds only the subcommands it names, and only when that fails (an error, `--help`,
//! `--version`) again against the whole tree, so that errors and help are clap's for the whole
//! command line as before.

use std::ffi::{OsStr, OsString};

use clap::{Args, CommandFactory, FromArgMatches};

use super::cert::CertArgs;
use super::definitions::{Cli, GlobalArgs, IdArg, InitArgs, KeysArgs, SnapshotArgs};
use super::disks::DisksArgs;
use super::get::GetArgs;
use super::token::{ExecArgs, TokenArgs};
use super::watch::WatchArgs;
use crate::resource::{ENTRIES, entry_of};

impl Cli {
    /// `Cli::try_parse_from`, with clap's command tree and matches left for the end of the
    /// process to reclaim: dropping them would be 7% of the instructions of `imds instance`.
    /// For a program that parses once.
    pub fn parse_once<A: AsRef<OsStr>>(argv: &[A]) -> Result<Cli, clap::Error> {
        let argv: Vec<&OsStr> = argv.iter().map(AsRef::as_ref).collect();
        if !asks_for_help(&argv) {
            let mut command = command_for(&argv);
            let parsed = command
                .try_get_matches_from_mut(owned(&argv))
                .and_then(|mut matches| {
                    let cli = Cli::from_arg_matches_mut(&mut matches);
                    std::mem::forget(matches);
                    cli
                });
            std::mem::forget(command);
            if parsed.is_ok() {
                return parsed;
            }
        }
        let mut command = Cli::command();
        let parsed = command
            .try_get_matches_from_mut(owned(&argv))
            .and_then(|mut matches| {
                let cli = Cli::from_arg_matches_mut(&mut matches);
                std::mem::forget(matches);
                cli.map_err(|e| e.format(&mut command))
            });
        std::mem::forget(command);
        parsed
    }
}

/// The command line as clap takes it.
fn owned(argv: &[&OsStr]) -> Vec<OsString> {
    argv.iter().map(|a| a.to_os_string()).collect()
}

/// Whether `argv` may ask for help or the version, which the pruned tree would only fail on.
fn asks_for_help(argv: &[&OsStr]) -> bool {
    argv.iter().skip(1).any(|a| {
        matches!(
            a.to_str(),
            Some("-h" | "--help" | "-V" | "--version" | "help")
        )
    })
}

/// The command tree less the subcommands that `argv` does not name anywhere, and less the help
/// texts. A command line that parses against the whole tree parses the same against this one:
/// a subcommand is only ever matched by its exact name (no aliases, no prefixes), and the
/// subcommands kept have the options they have in the whole tree (the tests hold both trees
/// to that).
fn command_for(argv: &[&OsStr]) -> clap::Command {
    let top = clap::Command::new("imds")
        .args_override_self(true)
        .subcommand_required(true)
        .arg_required_else_help(true);
    let mut top = GlobalArgs::augment_args(top);
    for name in subcommand_names() {
        if argv.iter().skip(1).any(|a| *a == name)
            && let Some(sub) = subcommand(name)
        {
            top = top.subcommand(sub);
        }
    }
    top
}

/// The names of [`Command`](super::definitions::Command)'s subcommands: one per row of the
/// resource table, and the others.
fn subcommand_names() -> impl Iterator<Item = &'static str> {
    ENTRIES.iter().map(|e| e.command).chain(OTHER_SUBCOMMANDS)
}

/// The subcommands that read no row of the resource table.
const OTHER_SUBCOMMANDS: [&str; 8] = [
    "token", "cert", "disks", "get", "snapshot", "watch", "doctor", "exec",
];

/// One subcommand with its options, as [`Command`](super::definitions::Command) defines it,
/// without its help.
fn subcommand(name: &'static str) -> Option<clap::Command> {
    let sub = clap::Command::new(name);
    Some(match name {
        "token" => TokenArgs::augment_args(sub),
        "cert" => CertArgs::augment_args(sub),
        "instance" | "doctor" => sub,
        "init" => InitArgs::augment_args(sub),
        "keys" => KeysArgs::augment_args(sub),
        "disks" => DisksArgs::augment_args(sub),
        "get" => GetArgs::augment_args(sub),
        "snapshot" => SnapshotArgs::augment_args(sub),
        "exec" => ExecArgs::augment_args(sub),
        "watch" => WatchArgs::augment_args(sub),
        // Every other collection: the list, or one item by id.
        _ if entry_of(name).is_some_and(|e| e.key.is_some()) => IdArg::augment_args(sub),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn each_subcommand_has_its_options() {
        let mut whole = Cli::command();
        // Every subcommand is here once, and every row of the resource table is a subcommand.
        let mut names: Vec<&str> = whole.get_subcommands().map(|s| s.get_name()).collect();
        let mut ours: Vec<&str> = subcommand_names().collect();
        names.sort_unstable();
        ours.sort_unstable();
        assert_eq!(names, ours);
        whole.build();
        let ids = |c: &clap::Command| -> Vec<String> {
            c.get_arguments().map(|a| format!("{a:?}")).collect()
        };
        for name in subcommand_names() {
            let mut pruned = command_for(&refs(&argv(&[name])));
            pruned.build();
            let pruned = pruned.find_subcommand(name).unwrap();
            let sub = whole.find_subcommand(name).unwrap();
            assert_eq!(ids(pruned), ids(sub), "{name}");
        }
    }

    /// A command line that parses against the pruned tree parses the same against the whole
    /// tree, and `parse_once` gives what clap gives with the whole tree.
    fn same_as_whole_tree(argv: &[String]) {
        let mut command = command_for(&refs(argv));
        let pruned = command
            .try_get_matches_from_mut(argv)
            .and_then(|mut m| Cli::from_arg_matches_mut(&mut m));
        let whole = Cli::try_parse_from(argv);
        if let Ok(pruned) = pruned {
            match whole {
                Ok(whole) => assert_eq!(format!("{pruned:?}"), format!("{whole:?}"), "{argv:?}"),
                Err(e) => panic!("{argv:?} parses only against the pruned tree: {e}"),
            }
        }
        assert_eq!(
            format!("{:?}", Cli::parse_once(argv).map_err(|e| e.to_string())),
            format!("{:?}", Cli::try_parse_from(argv).map_err(|e| e.to_string())),
            "{argv:?}"
        );
    }

    fn refs(argv: &[String]) -> Vec<&OsStr> {
        argv.iter().map(OsStr::new).collect()
    }

    fn argv(words: &[&str]) -> Vec<String> {
        std::iter::once("imds")
            .chain(words.iter().copied())
            .map(String::from)
            .collect()
    }

    #[test]
    fn a_pruned_tree_parses_as_the_whole_tree() {
        for line in [
            "instance",
            "--endpoint http://127.0.0.1:1 instance",
            "instance --endpoint http://127.0.0.1:1 --field zone.name -f name",
            "--field a instance --field b",
            "--endpoint keys instance",
            "--default keys keys",
            "keys instance",
            "instance keys",
            "keys r006-key --authorized-keys /tmp/k",
            "token --iam --profile-name p",
            "token --expires-in 60 --iam",
            "token --json --export",
            "--shell z=zone.name instance --field x",
            "init --user-data --field x",
            "init --user-data",
            "--color always instance --color never",
            "--endpoint a --endpoint b instance",
            "get instance/network_interfaces -c",
            "get",
            "nics -0 --field name",
            "placement-groups r006-x --wait 1m",
            "volumes a b",
            "help instance",
            "instance --help",
            "--version",
            "-V instance",
            "",
            "instanc",
            "snapshot --redact -o /tmp/x",
            "cert --key-out k.pem --key-type ec-p256",
            "cert --csr x.pem",
            "doctor --wait 5s --timeout 1s",
            "instance -- keys",
            "watch instance",
            "watch --interval 2s --field a keys --field b",
            "--field a watch --count 1 get instance -c",
            "watch",
            "watch --until x",
            "watch instance --until x",
            "watch -- instance",
            "watch watch instance",
        ] {
            let words: Vec<&str> = line.split_whitespace().collect();
            same_as_whole_tree(&argv(&words));
        }
    }

    #[cfg(unix)]
    #[test]
    fn text_must_be_utf8_and_file_names_may_be_any_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let os = |b: &[u8]| OsStr::from_bytes(b).to_os_string();
        for args in [
            &[&b"keys"[..], b"\xff"][..],
            &[b"get", b"instance/\xff"],
            &[b"nics", b"\xfe"],
            &[b"instance", b"--default", b"\xff"],
        ] {
            let argv: Vec<OsString> = std::iter::once(os(b"imds"))
                .chain(args.iter().map(|a| os(a)))
                .collect();
            let e = Cli::parse_once(&argv).unwrap_err();
            assert_eq!(e.kind(), clap::error::ErrorKind::InvalidUtf8, "{argv:?}");
        }
        let name = os(b"/tmp/x\xff");
        let argv = [os(b"imds"), os(b"instance"), os(b"-o"), name.clone()];
        let cli = Cli::parse_once(&argv).unwrap();
        assert_eq!(cli.global.output.unwrap().as_os_str(), name);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        #[test]
        fn any_command_line_parses_as_against_the_whole_tree(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "instance", "keys", "token", "init", "get", "nics", "volumes", "doctor",
                "snapshot", "cert", "placement-groups", "software", "network-attachments",
                "cluster-network-attachments", "vnis", "--claims", "help", "--endpoint", "--field", "-f",
                "--shell", "a=name", "--default", "--compact", "-c", "-0", "--null", "--color",
                "never", "always", "--iam", "--json", "--export", "--user-data", "--redact",
                "--timeout", "1s", "--wait", "-o", "--output", "x", "--profile-id", "--nonce",
                "--expires-in", "60", "--authorized-keys", "--api-version", "2025-08-26", "-v",
                "--secure", "--key-out", "--csr", "--", "-h", "--help", "-V", "watch", "--until",
                "--count", "--interval",
            ]), 0..8)
        ) {
            same_as_whole_tree(&argv(&words));
        }
    }
}
