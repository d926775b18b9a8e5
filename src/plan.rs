//! What the command line asks of the output, resolved once: the `--field`, `--shell` and
//! `--default` plan with the colour decided, and `-o`. Where and how to ask the service is the
//! library's [`crate::settings::Settings`]; this is the other half of what the user typed.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::cli::{ColorWhen, GlobalArgs};
use crate::error::Error;
use crate::output::OutputOptions;

/// How this run prints, and where.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// `--field`, `--shell`, `--default`, `--compact`, `--null`, and the colour decision.
    pub output: OutputOptions,
    /// `-o FILE`: where the output goes instead of stdout.
    pub output_file: Option<PathBuf>,
}

impl Plan {
    /// The plan from the global options; `env` reads the environment (`NO_COLOR`, `TERM`) and
    /// `stdout_is_terminal` says whether stdout is one.
    pub fn resolve(
        args: &GlobalArgs,
        env: impl Fn(&str) -> Option<OsString>,
        stdout_is_terminal: bool,
    ) -> Result<Plan, Error> {
        // Colour: --color, then NO_COLOR (no-color.org: set and not empty) or a terminal that
        // says it cannot colour (TERM=dumb, as ls, grep and git read it), then whether stdout is
        // a terminal; writing to a file (-o) is not writing to one.
        let color = match args.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                env("NO_COLOR").is_none_or(|v| v.is_empty())
                    && env("TERM").is_none_or(|t| t != "dumb")
                    && stdout_is_terminal
                    && args.output.is_none()
            }
        };
        if args.default.is_some() && args.field.is_empty() && args.shell.is_empty() {
            return Err(Error::usage("--default needs --field or --shell")
                .with_hint("add the --field or --shell whose missing value --default stands for"));
        }
        Ok(Plan {
            output: OutputOptions {
                fields: args.field.clone(),
                compact: args.compact,
                null: args.null,
                color,
                shell: args.shell.clone(),
                default: args.default.clone(),
            },
            output_file: args.output.clone(),
        })
    }

    /// The plan for this process: its environment and its stdout. A Windows console shows
    /// colour in its virtual-terminal mode (Windows 10 and later), which yansi's `os_support`
    /// turns on (elsewhere it is always true); a console that cannot take it is no terminal
    /// to colour for `--color auto`.
    pub fn for_process(args: &GlobalArgs) -> Result<Plan, Error> {
        use std::io::IsTerminal;
        let terminal = std::io::stdout().is_terminal()
            && args.color != ColorWhen::Never
            && yansi::Condition::os_support();
        Plan::resolve(args, |name| std::env::var_os(name), terminal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    fn plan(args: &[&str], env: &[(&str, &str)], tty: bool) -> Result<Plan, Error> {
        let mut argv = vec!["imds"];
        argv.extend_from_slice(args);
        argv.push("instance");
        let cli = Cli::try_parse_from(argv).unwrap();
        Plan::resolve(
            &cli.global,
            |name| {
                env.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(v))
            },
            tty,
        )
    }

    fn colour(args: &[&str], env: &[(&str, &str)], tty: bool) -> bool {
        plan(args, env, tty).unwrap().output.color
    }

    #[test]
    fn colour_precedence() {
        assert!(colour(&[], &[], true));
        assert!(!colour(&[], &[], false));
        assert!(!colour(&[], &[("NO_COLOR", "1")], true));
        assert!(colour(&[], &[("NO_COLOR", "")], true));
        assert!(colour(&["--color", "always"], &[("NO_COLOR", "1")], false));
        assert!(!colour(&["--color", "never"], &[], true));
        assert!(!colour(&[], &[("TERM", "dumb")], true));
        assert!(colour(&[], &[("TERM", "xterm-256color")], true));
        assert!(colour(&["--color", "always"], &[("TERM", "dumb")], false));
        assert!(!colour(&["-o", "file"], &[], true));
    }

    #[test]
    fn default_needs_a_field_or_shell() {
        let e = plan(&["--default", "-"], &[], false).unwrap_err();
        assert!(e.message().contains("--default needs"), "{}", e.message());
        assert!(plan(&["--default", "-", "--field", "id"], &[], false).is_ok());
    }
}
