//! `imds watch`: one read command run again and again over one session, its output printed at
//! the start and whenever it changes, until a condition, a count, a time limit, too many
//! failures in a row or a signal ends it. What is read and how it prints are the command's
//! own (`app::observe`); this module owns the loop, its timing and its ending.

use std::io::Write;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use crate::app::{self, Observed};
use crate::cli::{Cli, ColorWhen, Command, GlobalArgs, WatchArgs};
use crate::error::Error;
use crate::plan::Plan;
use crate::resource::Resource;
use crate::session::Session;
use crate::settings::Settings;
use crate::signals::Stop;
use crate::text::sanitize;

pub mod until;

pub use until::Condition;

/// How far each interval strays from `--interval`, either way, so that many instances started
/// together do not poll in step.
const JITTER: f64 = 0.10;

/// How a watch that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `--until` met, `--count` reached, `--max-time` passed without `--until`, or stdout
    /// closed: exit 0.
    Done,
    /// Ended by signal N: exit 128+N, as a shell reports a command that a signal ended.
    Signal(i32),
}

impl Ending {
    /// The process exit status.
    pub fn exit_code(self) -> u8 {
        match self {
            Ending::Done => 0,
            Ending::Signal(n) => u8::try_from(128 + n).unwrap_or(u8::MAX),
        }
    }
}

/// `imds watch …` for `main`: runs it and prints its failure; the exit status. A closed stdout
/// ends it quietly with 0, as it ends every command.
pub fn main(cli: Cli, start: Instant) -> u8 {
    match run(cli, start) {
        Ok(ending) => ending.exit_code(),
        Err(err) if app::is_broken_pipe(&err) => 0,
        Err(err) => match err.downcast_ref::<clap::Error>() {
            Some(e) if crate::cli::is_help_or_version(e) => {
                let _ = e.print();
                0
            }
            _ => {
                let error = app::error_of(&err);
                app::to_stderr(&crate::failure::render(&error));
                crate::failure::exit_code(error.kind())
            }
        },
    }
}

/// Runs `imds watch …`; `cli.command` is [`Command::Watch`]. Prints as it goes.
pub fn run(cli: Cli, start: Instant) -> anyhow::Result<Ending> {
    let Command::Watch(args) = &cli.command else {
        return Err(Error::other("internal error: not a watch").into());
    };
    let inner = inner_command(args)?;
    app::check_watchable(&inner.command)?;
    let resource = app::resource_of(&inner.command)?;
    let global = merged(&cli.global, &inner.global);
    if global.output.is_some() {
        return Err(Error::usage("-o cannot be used with watch: it prints until it ends")
            .with_hint("to keep the latest observation in a file, use --exec 'cat > FILE.tmp && mv FILE.tmp FILE'")
            .into());
    }
    let mut plan = Plan::for_process(&global)?;
    // One line per observation (NDJSON), so the stream can be read line by line.
    plan.output.compact = true;
    let mut settings = Settings::from_choices(&global.choices(), start)?;
    // --wait is a window for each poll, as for a program, not a moment counted from the start
    // after which every poll would fail. --max-time is not a deadline for the client either
    // (that would make every poll retry as under --wait): a poll under way when it passes is
    // finished, bounded by --timeout and its retries, and the watch ends after it.
    settings.deadline = None;
    let deadline = args.max_time.map(|d| start + d);
    let session = Session::new(&settings)?;
    let signals = Stop::install()
        .map_err(|e| Error::other(format!("cannot handle signals: {}", app::describe_io(&e))))?;
    Watch {
        args,
        command: &inner.command,
        resource,
        plan: &plan,
        session: &session,
        signals: &signals,
        deadline,
    }
    .run()
}

/// The COMMAND of a watch, parsed as a command line of its own.
fn inner_command(args: &WatchArgs) -> anyhow::Result<Cli> {
    let mut argv = vec![std::ffi::OsString::from("imds")];
    argv.extend(args.command.iter().cloned());
    match Cli::parse_once(&argv) {
        Ok(cli) => Ok(cli),
        Err(e) if crate::cli::is_help_or_version(&e) => Err(e.into()),
        Err(e) => Err(crate::cli::usage_error(&e, &argv).into()),
    }
}

/// The global options of `imds [OPTIONS] watch [OPTIONS] COMMAND [OPTIONS]`: those given
/// after COMMAND win over those given before it.
fn merged(outer: &GlobalArgs, inner: &GlobalArgs) -> GlobalArgs {
    GlobalArgs {
        endpoint: inner.endpoint.clone().or_else(|| outer.endpoint.clone()),
        secure: inner.secure || outer.secure,
        cacert: inner.cacert.clone().or_else(|| outer.cacert.clone()),
        api_version: inner
            .api_version
            .clone()
            .or_else(|| outer.api_version.clone()),
        field: either(&inner.field, &outer.field),
        shell: either(&inner.shell, &outer.shell),
        default: inner.default.clone().or_else(|| outer.default.clone()),
        output: inner.output.clone().or_else(|| outer.output.clone()),
        compact: inner.compact || outer.compact,
        null: inner.null || outer.null,
        color: match inner.color {
            ColorWhen::Auto => outer.color,
            given => given,
        },
        timeout: inner.timeout.or(outer.timeout),
        wait: inner.wait.or(outer.wait),
        verbose: inner.verbose || outer.verbose,
    }
}

/// The inner list when given, else the outer one.
fn either<T: Clone>(inner: &[T], outer: &[T]) -> Vec<T> {
    if inner.is_empty() { outer } else { inner }.to_vec()
}

/// One watch under way.
struct Watch<'a> {
    args: &'a WatchArgs,
    command: &'a Command,
    /// What the command fetches, worked out once for every poll.
    resource: Option<Resource>,
    plan: &'a Plan,
    session: &'a Session,
    signals: &'a Stop,
    deadline: Option<Instant>,
}

impl Watch<'_> {
    fn run(&self) -> anyhow::Result<Ending> {
        let mut last: Option<Vec<u8>> = None;
        let mut printed = 0u64;
        let mut failures = 0u32;
        let mut polls = 0u64;
        loop {
            let began = Instant::now();
            polls += 1;
            match self.observe() {
                Ok((out, met)) => {
                    failures = 0;
                    if met || last.as_ref() != Some(&out) {
                        if !self.emit(&out)? {
                            return Ok(Ending::Done);
                        }
                        printed += 1;
                        last = Some(out);
                    }
                    if met || self.args.count.is_some_and(|n| printed >= n) {
                        return Ok(Ending::Done);
                    }
                }
                Err(e) => {
                    if let Some(n) = self.signals.received() {
                        return Ok(Ending::Signal(n));
                    }
                    if self.past_deadline() {
                        return self.out_of_time();
                    }
                    failures += 1;
                    if failures >= self.args.max_failures {
                        return Err(e.into());
                    }
                    // One line: the hint is for the failure that ends the watch.
                    crate::text::to_stderr(&format!("imds: {}\n", sanitize(&e.message())));
                }
            }
            if let Some(n) = self.signals.received() {
                return Ok(Ending::Signal(n));
            }
            let next = began + jittered(self.args.interval, polls);
            let wake = self.deadline.map_or(next, |d| d.min(next));
            if let Some(n) = self
                .signals
                .wait(wake.saturating_duration_since(Instant::now()))
            {
                return Ok(Ending::Signal(n));
            }
            if self.past_deadline() {
                return self.out_of_time();
            }
        }
    }

    /// One poll: the rendered output, and whether `--until` holds.
    fn observe(&self) -> Result<(Vec<u8>, bool), Error> {
        let observed: Observed = app::observe(self.command, self.resource.as_ref(), self.session)?;
        let mut out = Vec::new();
        observed.render(self.plan, &mut out)?;
        let met = self
            .args
            .until
            .as_ref()
            .is_some_and(|c| c.holds(&observed.value, observed.shape()));
        Ok((out, met))
    }

    fn past_deadline(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// `--max-time` has passed: done, unless `--until` was waited for in vain (exit 8).
    fn out_of_time(&self) -> anyhow::Result<Ending> {
        match (&self.args.until, self.args.max_time) {
            (Some(until), Some(max)) => Err(Error::not_met(format!(
                "--until {} was not met within --max-time {}",
                crate::text::clip(&until.to_string()),
                crate::text::show_duration(max)
            ))
            .into()),
            _ => Ok(Ending::Done),
        }
    }

    /// Prints one observation, or hands it to `--exec`; false when stdout is closed.
    fn emit(&self, out: &[u8]) -> anyhow::Result<bool> {
        if let Some(cmd) = &self.args.exec {
            run_exec(cmd, out);
            return Ok(true);
        }
        let mut stdout = std::io::stdout().lock();
        match stdout.write_all(out).and_then(|()| stdout.flush()) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
            Err(e) => Err(Error::other(format!(
                "cannot write to stdout: {}",
                app::describe_io(&e)
            ))
            .into()),
        }
    }
}

/// `sh -c CMD` with the observation on its stdin and imds's stdout and stderr; a CMD that
/// cannot start or fails is one stderr line.
fn run_exec(cmd: &str, input: &[u8]) {
    let child = Process::new("sh")
        .args(["-c", cmd])
        .stdin(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            crate::text::to_stderr(&format!(
                "imds: --exec: cannot run sh: {}\n",
                app::describe_io(&e)
            ));
            return;
        }
    };
    // Written from a thread: a CMD that reads nothing, or only part, must not stop the watch
    // on a full pipe; one that exits early just closes it.
    let stdin = child.stdin.take();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(&input);
        }
    });
    let status = child.wait();
    let _ = writer.join();
    let failed = match status {
        Ok(s) if s.success() => return,
        Ok(s) => match s.code() {
            Some(code) => format!("exited with status {code}"),
            None => format!("ended by {}", exit_signal(&s)),
        },
        Err(e) => format!("could not be waited for: {}", app::describe_io(&e)),
    };
    crate::text::to_stderr(&format!("imds: --exec command {failed}\n"));
}

#[cfg(unix)]
fn exit_signal(status: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    status
        .signal()
        .map_or_else(|| "a signal".to_string(), |n| format!("signal {n}"))
}

#[cfg(not(unix))]
fn exit_signal(_status: &std::process::ExitStatus) -> String {
    "a signal".to_string()
}

/// `interval` give or take [`JITTER`], different for each poll.
fn jittered(interval: Duration, poll: u64) -> Duration {
    use std::hash::{BuildHasher, RandomState};
    // std's hasher keys are random per process: enough to spread polls, no generator needed.
    let random = RandomState::new().hash_one((poll, std::process::id()));
    let unit = (random >> 11) as f64 / (1u64 << 53) as f64;
    interval.mul_f64(1.0 - JITTER + 2.0 * JITTER * unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_stay_within_the_jitter() {
        let base = Duration::from_secs(30);
        let all: Vec<Duration> = (0..200).map(|i| jittered(base, i)).collect();
        assert!(
            all.iter()
                .all(|d| *d >= base.mul_f64(0.9) && *d <= base.mul_f64(1.1))
        );
        assert!(all.iter().any(|d| *d != all[0]), "no jitter at all");
    }

    #[test]
    fn options_after_the_command_win() {
        use clap::Parser;
        let cli = Cli::try_parse_from([
            "imds", "--field", "a", "--color", "always", "watch", "instance", "--field", "b",
        ])
        .unwrap();
        let Command::Watch(args) = &cli.command else {
            panic!()
        };
        let inner = inner_command(args).unwrap();
        let g = merged(&cli.global, &inner.global);
        assert_eq!(g.field.len(), 1);
        assert_eq!(g.field[0].text, "b");
        assert_eq!(g.color, ColorWhen::Always);
    }
}
