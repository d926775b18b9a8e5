//! The `imds` binary: parse the command line, run it, print the result or one error line. Errors
//! are printed here, never returned from `main` (`RUST_BACKTRACE=1` would add a stack trace to
//! every user error). Output is written to stdout once, at the end.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;
use std::time::Instant;

use imds::cli::{self, Cli, Command};
use imds_client::Error;

fn main() -> ExitCode {
    let start = Instant::now();
    // As given: clap refuses non-UTF-8 text (ids, paths, values) and keeps file names as they are.
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::parse_once(&argv) {
        Ok(cli) => cli,
        Err(e) if cli::is_help_or_version(&e) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => return fail(&cli::usage_error(&e, &argv)),
    };
    match cli.command {
        Command::Exec(_) => return ExitCode::from(imds::app::exec(&cli, start)),
        Command::Watch(_) => return ExitCode::from(imds::watch::main(cli, start)),
        _ => {}
    }
    // `doctor` reports its checks on stdout even when one fails (docs/ARCHITECTURE.md §4).
    let report_on_failure = matches!(cli.command, Command::Doctor);
    let mut out = Vec::new();
    let result = imds::app::run(cli, start, &mut out);
    if let Err(err) = &result
        && (imds::app::is_broken_pipe(err) || report_on_failure && write_stdout(&out).is_err())
    {
        return ExitCode::SUCCESS;
    }
    match result.map(|()| write_stdout(&out)) {
        Err(err) => fail(&imds::app::error_of(&err)),
        Ok(Err(e)) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Ok(Err(e)) => fail(&Error::other(format!(
            "cannot write to stdout: {}",
            imds::app::describe_io(&e)
        ))),
        Ok(Ok(())) => ExitCode::SUCCESS,
    }
}

/// Writes the whole output at once.
fn write_stdout(out: &[u8]) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out).and_then(|()| stdout.flush())
}

/// Prints the error's one line (and hint) on stderr; its kind is the exit code, whether or not
/// stderr took the line.
fn fail(err: &Error) -> ExitCode {
    imds::app::to_stderr(&imds::failure::render(err));
    ExitCode::from(imds::failure::exit_code(err.kind()))
}
