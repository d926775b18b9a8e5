//! The commands that hand credentials on: `token` (printed once, or kept fresh in a file with
//! `--refresh`) and `exec` (a command run with tokens in its environment). Part of the
//! application layer: it sees the command line's types and calls the library.

use std::io::Write;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cli::{Cli, Command, TokenArgs};
use crate::client::{VERBOSE_PREFIX, describe_io};
use crate::error::Error;
use crate::files;
use crate::output::{self, Shape};
use crate::plan::Plan;
use crate::session::Session;
use crate::settings::Settings;
use crate::token;

/// `imds token`: mint (or exchange for IAM) and print the token, the JSON, or an export line.
pub(crate) fn run_token(
    settings: &Settings,
    plan: &Plan,
    args: &TokenArgs,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    let session = Session::new(settings)?;
    let doc = token_answer(&session, args)?;
    token_output(plan, args, &doc, out)
}

/// The token answer `imds token` asks for: a new identity token, or an IAM token.
fn token_answer(session: &Session, args: &TokenArgs) -> Result<Value, Error> {
    if args.iam {
        let profile = args.profile.profile();
        session.iam_exchange(&profile)
    } else {
        Ok(session
            .mint_with_nonce(args.expires_in, args.nonce.as_deref())?
            .1)
    }
}

/// What `imds token` prints of a token answer: the token, the JSON, or an export line.
fn token_output(
    plan: &Plan,
    args: &TokenArgs,
    doc: &Value,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    let what = if args.iam { "IAM token" } else { "token" };
    if args.claims {
        let token = token::access_token(doc, what)?;
        let claims = crate::jwt::claims(token.expose(), what)?;
        return output::render(&claims, Shape::Document, &plan.output, out);
    }
    if args.json || !plan.output.fields.is_empty() || !plan.output.shell.is_empty() {
        return output::render(doc, Shape::Document, &plan.output, out);
    }
    let token = token::access_token(doc, what)?;
    if args.export {
        // A token is JWT characters only (`token::is_token_text`), none of which a shell treats
        // specially inside single quotes, so the line is safe in sh, bash, zsh and fish.
        let _ = writeln!(out, "export IMDS_TOKEN='{}'", token.expose());
    } else {
        let _ = writeln!(out, "{}", token.expose());
    }
    Ok(())
}

/// `imds token --refresh -o FILE`: the token written to FILE, and again before it expires,
/// until SIGTERM or SIGINT.
pub(crate) fn run_refresh(settings: &Settings, plan: &Plan, args: &TokenArgs) -> Result<(), Error> {
    let path = plan.output_file.as_deref().ok_or_else(|| {
        Error::usage("--refresh needs -o FILE, the file it keeps fresh")
            .with_hint("imds token --refresh -o /run/imds/token")
    })?;
    // Looked at before any request, as every -o is.
    files::Target::open(path, files::Options::PRIVATE)?;
    let stop = crate::signals::Stop::install()
        .map_err(|e| Error::other(format!("cannot handle signals: {}", describe_io(&e))))?;
    // It runs for hours: --wait is a window for each refresh, as for a program using the
    // library, not a moment after which every refresh fails at once.
    let mut settings = settings.clone();
    settings.deadline = None;
    let session = Session::new(&settings)?;
    crate::refresh::run(path, &stop, settings.verbose, || {
        let doc = token_answer(&session, args)?;
        let mut bytes = Vec::new();
        token_output(plan, args, &doc, &mut bytes)?;
        Ok(crate::refresh::Fresh {
            bytes,
            lifetime: token_lifetime(&doc, args),
        })
    })
}

/// How long a token from `doc` lives: the answer's `expires_in`, and for an identity token no
/// longer than was asked. An IAM answer without one is taken to live as long as a metadata
/// command's own token, which is shorter than any IAM token.
fn token_lifetime(doc: &Value, args: &TokenArgs) -> Duration {
    let answered = doc
        .get("expires_in")
        .and_then(Value::as_u64)
        .filter(|&s| s > 0);
    let seconds = match (args.iam, answered) {
        (true, Some(s)) => s,
        (true, None) => crate::session::METADATA_TOKEN_SECONDS.into(),
        (false, Some(s)) => s.min(args.expires_in.into()),
        (false, None) => args.expires_in.into(),
    };
    Duration::from_secs(seconds)
}

/// `imds exec`: one identity token minted (and with `--iam` exchanged for an IAM token), CMD
/// run with them in its environment; CMD's exit status. A failure before CMD runs is an error
/// with the exit status it calls for.
pub(crate) fn exec(cli: &Cli, start: Instant) -> Result<u8, (Error, u8)> {
    let fail = |e: Error| {
        let status = crate::failure::exit_code(e.kind());
        (e, status)
    };
    let Command::Exec(args) = &cli.command else {
        return Err(fail(Error::other(
            "internal error: not an exec command line",
        )));
    };
    let settings = Settings::from_choices(&cli.global.choices(), start).map_err(fail)?;
    let global = &cli.global;
    if global.output.is_some() || !global.field.is_empty() || !global.shell.is_empty() {
        return Err(fail(
            Error::usage("exec prints nothing of its own: -o, --field and --shell do not apply")
                .with_hint("give them to the imds commands CMD runs"),
        ));
    }
    let session = Session::new(&settings).map_err(fail)?;
    let identity = session.mint_shared(args.expires_in).map_err(fail)?;
    let iam = match args.iam {
        true => Some(session.iam_token(&args.profile.profile()).map_err(fail)?),
        false => None,
    };
    // CMD's own imds calls go to the service this token is for, with the token.
    let mut env = vec![
        ("IMDS_ENDPOINT", settings.endpoint.as_str()),
        ("IMDS_TOKEN", identity.expose()),
    ];
    if let Some(iam) = &iam {
        // The IBM Cloud Terraform provider reads `iam_token` from these two (IC_ first): its
        // provider documentation, "Argument reference".
        env.push(("IC_IAM_TOKEN", iam.expose()));
        env.push(("IBMCLOUD_IAM_TOKEN", iam.expose()));
    }
    if settings.verbose {
        let names: Vec<&str> = env.iter().map(|(name, _)| *name).collect();
        crate::text::to_stderr(&format!(
            "{VERBOSE_PREFIX}running the command with {} set\n",
            names.join(", ")
        ));
    }
    crate::exec::run(&args.command, &env).map_err(|not_run| (not_run.error, not_run.status))
}
