//! The `imds` binary: parse the command line, run it, print the result or one error line.
//!
//! Errors are printed here, never by returning them from `main` (`RUST_BACKTRACE=1` would add a
//! stack trace to every user error). Output is written to stdout once, at the end.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, Parser};

use imds::cli::{Cli, Command};
use imds::error::{Error, Kind};
use imds::text::clip;

fn main() -> ExitCode {
    let start = Instant::now();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_failure(&e),
    };
    // `doctor` reports its checks on stdout even when one fails (DESIGN.md §4).
    let report_on_failure = matches!(cli.command, Command::Doctor);
    let mut out = Vec::new();
    if let Err(err) = imds::app::run(cli, start, &mut out) {
        if is_broken_pipe(&err) {
            return ExitCode::SUCCESS;
        }
        if report_on_failure && write_stdout(&out).is_err() {
            return ExitCode::SUCCESS;
        }
        let found = err.chain().find_map(|e| e.downcast_ref::<Error>()).cloned();
        let err = found.unwrap_or_else(|| Error::other(format!("{err:#}")));
        eprint!("{}", err.render());
        return code(err.kind());
    }
    match write_stdout(&out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprint!(
                "{}",
                Error::other(format!(
                    "cannot write to stdout: {}",
                    imds::client::describe_io(&e)
                ))
                .render()
            );
            code(Kind::Other)
        }
    }
}

/// Writes the whole output at once.
fn write_stdout(out: &[u8]) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out).and_then(|()| stdout.flush())
}

fn code(kind: Kind) -> ExitCode {
    ExitCode::from(kind.exit_code() as u8)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == ErrorKind::BrokenPipe)
    })
}

/// Help and version print as clap prints them (exit 0); any other parse error becomes one
/// `imds:` line and a hint (exit 2), with nothing on stdout.
fn clap_failure(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind as K;
    if matches!(e.kind(), K::DisplayHelp | K::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let argv: Vec<String> = std::env::args().collect();
    let err = usage_error(e, &argv);
    eprint!("{}", err.render());
    code(Kind::Usage)
}

/// The one-line message and hint for a clap error, built from the error's context rather than
/// its rendered text (whose first line often says only "the following … were not provided:").
/// `argv` is the command line.
fn usage_error(e: &clap::Error, argv: &[String]) -> Error {
    use clap::error::{ContextKind as C, ContextValue as V, ErrorKind as K};
    let text = |kind: C| match e.get(kind) {
        Some(V::String(s)) => vec![s.clone()],
        Some(V::Strings(v)) => v.clone(),
        _ => Vec::new(),
    };
    // Every piece of the command line echoed is clipped: an argument may be huge.
    let raw = |kind: C| text(kind).into_iter().next().unwrap_or_default();
    let one = |kind: C| clip(&raw(kind));
    let given: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let source = std::error::Error::source(e).map(|s| s.to_string());
    let mut hint = None;
    let message = match e.kind() {
        K::DisplayHelpOnMissingArgumentOrSubcommand | K::MissingSubcommand => {
            // clap's text here is the whole help; one line says it better.
            let names: Vec<String> = Cli::command()
                .get_subcommands()
                .map(|s| s.get_name().to_string())
                .collect();
            format!("a command is required: {}", names.join(", "))
        }
        K::InvalidValue | K::ValueValidation => {
            let name = bare(&one(C::InvalidArg));
            let value = one(C::InvalidValue);
            let valid = text(C::ValidValue);
            match source {
                // Our value parsers quote the value; clap's and the JSONPath parser may not.
                Some(why) if why.contains(&value) => format!("bad {name}: {why}"),
                Some(why) => format!("bad {name} '{value}': {why}"),
                None if value.is_empty() && valid.is_empty() => format!("{name} needs a value"),
                None if value.is_empty() => format!("{name} needs a value: {}", or_list(&valid)),
                None if valid.is_empty() => format!("'{value}' is not a valid {name}"),
                None => format!("'{value}' is not a valid {name}: use {}", or_list(&valid)),
            }
        }
        K::InvalidSubcommand => {
            // clap lists suggestions from the least to the most likely.
            hint = text(C::SuggestedSubcommand)
                .pop()
                .map(|s| format!("did you mean '{s}'?"));
            format!("unknown command '{}'", one(C::InvalidSubcommand))
        }
        K::UnknownArgument => {
            let arg = one(C::InvalidArg);
            hint = text(C::SuggestedArg)
                .pop()
                .map(|s| format!("did you mean '{s}'?"));
            if arg.starts_with('-') {
                format!("unknown option '{arg}'")
            } else {
                format!("unexpected argument '{arg}'")
            }
        }
        K::MissingRequiredArgument => {
            let missing: Vec<String> = text(C::InvalidArg).iter().map(|a| clip(&bare(a))).collect();
            let needed_by = missing.first().and_then(|m| needed_by(m, argv));
            match (needed_by, subcommand_named_in(&given)) {
                (Some(by), _) => format!("{by} needs {}", missing.join(" and ")),
                (None, Some(sub)) => format!("'imds {sub}' needs {}", missing.join(" and ")),
                (None, None) => format!("missing {}", missing.join(" and ")),
            }
        }
        K::ArgumentConflict => {
            let others: Vec<String> = text(C::PriorArg).iter().map(|a| clip(&bare(a))).collect();
            format!(
                "{} cannot be used with {}",
                bare(&one(C::InvalidArg)),
                others.join(" or ")
            )
        }
        _ => {
            let rendered = e.render().to_string();
            let line = rendered.lines().next().unwrap_or("bad command line");
            line.strip_prefix("error: ").unwrap_or(line).to_string()
        }
    };
    let hint = hint.unwrap_or_else(|| match subcommand_named_in(&given) {
        Some(name) => format!("see 'imds {name} --help'"),
        None => "see 'imds --help'".to_string(),
    });
    Error::usage(message).with_hint(hint)
}

/// `--field <PATH>` → `--field`; `<PATH>` stays as it is.
fn bare(shown: &str) -> String {
    match shown.split_once(' ') {
        Some((flag, _)) if flag.starts_with('-') => flag.to_string(),
        _ => shown.to_string(),
    }
}

/// `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Which option on the command line needs the missing `flag` (clap says only what is missing):
/// the option whose removal makes the complaint go away.
fn needed_by(flag: &str, argv: &[String]) -> Option<String> {
    if !flag.starts_with("--") {
        return None;
    }
    (1..argv.len())
        .filter(|&i| argv[i].starts_with("--") && argv[i] != "--")
        .find_map(|i| {
            let option = argv[i].split('=').next().unwrap_or_default().to_string();
            let takes_value = !argv[i].contains('=')
                && Cli::command()
                    .get_subcommands()
                    .flat_map(|s| s.get_arguments())
                    .chain(Cli::command().get_arguments())
                    .find(|a| a.get_long() == Some(option.trim_start_matches('-')))
                    .is_some_and(|a| a.get_action().takes_values());
            let skip = if takes_value { 2 } else { 1 };
            let rest: Vec<&String> = argv[..i].iter().chain(argv.iter().skip(i + skip)).collect();
            let still = match Cli::command().try_get_matches_from(rest) {
                Err(e) if e.kind() == clap::error::ErrorKind::MissingRequiredArgument => {
                    matches!(e.get(clap::error::ContextKind::InvalidArg),
                        Some(clap::error::ContextValue::Strings(v)) if v.iter().any(|m| bare(m) == flag))
                }
                _ => false,
            };
            (!still).then_some(option)
        })
}

/// The first argument that names a subcommand, for the hint.
fn subcommand_named_in(given: &[&str]) -> Option<String> {
    let cmd = Cli::command();
    given
        .iter()
        .find(|a| cmd.get_subcommands().any(|s| s.get_name() == **a))
        .map(|a| a.to_string())
}
