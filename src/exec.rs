//! `imds exec`: running another program with tokens in its environment, and its exit status as
//! a shell reports it. Which tokens, and under which names, is the caller's choice; this module
//! only starts the program, passes signals on and waits.

use std::ffi::OsString;
use std::io::ErrorKind;
use std::process::Command;

use crate::error::Error;
use crate::text::{clip, sanitize};

/// The status when the command is not found, as sh, env(1) and POSIX give it.
pub const NOT_FOUND: u8 = 127;
/// The status when the command is there but cannot be run (not executable, a directory).
pub const CANNOT_RUN: u8 = 126;

/// What went wrong when the command could not be started, and the status for it.
pub struct NotRun {
    /// The `imds: …` error to print.
    pub error: Error,
    /// [`NOT_FOUND`] or [`CANNOT_RUN`].
    pub status: u8,
}

/// Runs `command` (program and arguments) with `env` added to imds's own environment; its exit
/// status, or 128+N when signal N ended it. SIGTERM and SIGHUP sent to imds meanwhile go to
/// the command. The values of `env` go only into the command's environment.
pub fn run(command: &[OsString], env: &[(&str, &str)]) -> Result<u8, NotRun> {
    let (program, args) = command.split_first().ok_or_else(|| NotRun {
        error: Error::usage("exec needs a command to run after --"),
        status: 2,
    })?;
    let mut cmd = Command::new(program);
    cmd.args(args);
    cmd.envs(env.iter().copied());
    crate::signals::hold_for_child();
    let mut child = cmd.spawn().map_err(|e| {
        let shown = clip(&program.to_string_lossy());
        let (status, why, hint) = match e.kind() {
            ErrorKind::NotFound => (
                NOT_FOUND,
                "not found",
                "check the command's name and PATH, or give its path",
            ),
            ErrorKind::PermissionDenied => (
                CANNOT_RUN,
                "permission denied",
                "make it executable (chmod +x), or run it through its interpreter: imds exec -- sh FILE",
            ),
            _ => (
                CANNOT_RUN,
                "it cannot be executed",
                "run it through its interpreter: imds exec -- sh FILE",
            ),
        };
        NotRun {
            error: Error::other(format!("cannot run {}: {why}", sanitize(&shown))).with_hint(hint),
            status,
        }
    })?;
    crate::signals::forward_to(child.id());
    let status = child.wait().map_err(|e| NotRun {
        error: Error::other(format!(
            "cannot wait for the command: {}",
            crate::client::describe_io(&e)
        )),
        status: 1,
    })?;
    Ok(crate::signals::shell_status(status).clamp(0, 255) as u8)
}
