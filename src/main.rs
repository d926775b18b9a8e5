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
        let err = found.unwrap_or_else(|| Error::new(Kind::Other, format!("{err:#}")));
        eprint!("{}", err.render());
        return code(err.kind);
    }
    match write_stdout(&out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprint!(
                "{}",
                Error::new(Kind::Other, format!("cannot write to stdout: {e}")).render()
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
/// `imds:` line and a hint naming the help to read (exit 2), with nothing on stdout.
fn clap_failure(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind as K;
    if matches!(e.kind(), K::DisplayHelp | K::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let text = e.render().to_string();
    let first = if matches!(
        e.kind(),
        K::DisplayHelpOnMissingArgumentOrSubcommand | K::MissingSubcommand
    ) {
        // clap's text here is the whole help; one line says it better.
        let names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        format!("a command is required: {}", names.join(", "))
    } else {
        let line = text.lines().next().unwrap_or("bad command line");
        line.strip_prefix("error: ").unwrap_or(line).to_string()
    };
    let help = match subcommand_named_in_args() {
        Some(name) => format!("imds {name} --help"),
        None => "imds --help".to_string(),
    };
    let err = Error::usage(first).with_hint(format!("see '{help}'"));
    eprint!("{}", err.render());
    code(Kind::Usage)
}

/// The first argument that names a subcommand, for the hint.
fn subcommand_named_in_args() -> Option<String> {
    let cmd = Cli::command();
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    std::env::args()
        .skip(1)
        .find(|a| names.iter().any(|n| n == a))
}
