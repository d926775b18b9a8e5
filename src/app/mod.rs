//! The application layer: the one place that sees both the command line and the library. It
//! turns the global options into settings and a command into what to fetch, runs it over a
//! session, and hands the answer to the output stage, all into memory. `main` writes what this
//! returns; nothing here touches stdout.

use std::time::Instant;

use serde_json::Value;

use crate::cli::{CertArgs, Cli, Command, KeysArgs};
use crate::credentials;
use crate::error::Error;
use crate::files;
use crate::install_keys;
use crate::output::{self, Shape};
use crate::plan::Plan;
use crate::resource::{self, Resource};
use crate::session::Session;
use crate::settings::Settings;

mod observe;
pub(crate) use observe::{Observed, check_watchable, observe};
use observe::{fetch_document, first_target, no_items};

/// Runs one command line; output goes into `out`, written by the caller only on success, or
/// with `-o` into the file, which is then replaced and `out` left empty.
pub fn run(cli: Cli, start: Instant, out: &mut Vec<u8>) -> anyhow::Result<()> {
    let settings = Settings::from_choices(&cli.global.choices(), start)?;
    let plan = Plan::for_process(&cli.global)?;
    if let Command::Token(args) = &cli.command
        && args.refresh
    {
        return Ok(credentials::run_refresh(&settings, &plan, args)?);
    }
    if let (
        Command::Keys(KeysArgs {
            authorized_keys: Some(_),
            ..
        }),
        Some(_),
    ) = (&cli.command, &plan.output_file)
    {
        return Err(
            Error::usage("-o cannot be used with keys --authorized-keys")
                .with_hint(
                    "--authorized-keys FILE updates FILE in place and prints nothing; drop -o",
                )
                .into(),
        );
    }
    // -o's directory and file are looked at before any request, and held open until the
    // answer is written there.
    let output = match &plan.output_file {
        Some(path) => Some(files::Target::open(path, files::Options::OUTPUT).map_err(Error::from)?),
        None => None,
    };
    run_command(&cli, &settings, &plan, output.as_ref(), out)?;
    if let Some(target) = output {
        target
            .prepare()
            .and_then(|pending| pending.commit(out))
            .map_err(Error::from)?;
        out.clear();
    }
    Ok(())
}

/// `imds exec`: runs the command with a token; its exit status, or the status of the failure
/// that kept it from running, whose line this prints on stderr.
pub fn exec(cli: &Cli, start: Instant) -> u8 {
    credentials::exec(cli, start).unwrap_or_else(|(err, status)| {
        to_stderr(&crate::failure::render(&err));
        status
    })
}

/// The hint for a 404 on a path every virtual server instance has.
const BARE_METAL_HINT: &str = "bare metal servers serve only the identity API (tokens and certificates: imds token, imds token --iam, imds cert), not instance metadata; on a virtual server instance, check --endpoint";

fn run_command(
    cli: &Cli,
    settings: &Settings,
    plan: &Plan,
    output: Option<&files::Target>,
    out: &mut Vec<u8>,
) -> anyhow::Result<()> {
    dispatch(cli, settings, plan, output, out).map_err(|e| {
        let error = error_of(&e);
        // A snapshot begins with the instance document.
        let always_served = matches!(cli.command, Command::Snapshot(_))
            || resource_of(&cli.command)
                .ok()
                .flatten()
                .is_some_and(|r| r.always_served());
        if always_served && error.kind() == crate::error::Kind::NotFound {
            error.with_hint(BARE_METAL_HINT).into()
        } else {
            e
        }
    })
}

fn dispatch(
    cli: &Cli,
    settings: &Settings,
    plan: &Plan,
    output: Option<&files::Target>,
    out: &mut Vec<u8>,
) -> anyhow::Result<()> {
    match &cli.command {
        Command::Token(args) => credentials::run_token(settings, plan, args, out)?,
        Command::Cert(args) => run_cert(settings, plan, args, output, out)?,
        Command::Doctor => crate::doctor::run_with_settings(settings, out)?,
        Command::Exec(_) => {
            return Err(Error::other("internal error: exec runs through app::exec").into());
        }
        // `main` runs a watch, which prints as it goes; it never reaches here.
        Command::Watch(_) => {
            return Err(Error::other("internal error: watch runs through imds::watch").into());
        }
        Command::Keys(KeysArgs {
            id,
            authorized_keys: Some(path),
        }) => {
            let session = Session::new(settings)?;
            let resource = Resource::from_entry(&resource::KEYS, id.as_deref())?;
            let mut doc = fetch_document(&session, &resource)?;
            let keys = match (id, doc.get_mut("keys")) {
                (None, Some(Value::Array(items))) => std::mem::take(items),
                (None, _) => {
                    return Err(Error::decode("the service's answer has no `keys` array").into());
                }
                (Some(_), _) => vec![doc],
            };
            install_keys::install(settings, &keys, path)?;
        }
        // Everything else only reads: one read, printed, and lists streamed as they arrive where
        // the output allows.
        command => {
            let resource = resource_of(command)?;
            let session = Session::new(settings)?;
            match &resource {
                Some(resource @ Resource::List { key, .. }) if output::streams(&plan.output) => {
                    let first = first_target(resource);
                    output::render_list(&plan.output, out, |sink| {
                        // As when pages are merged: once a page has carried the array, every
                        // later page must, or the list would silently be cut short.
                        let mut found = false;
                        session.each_page(first, |page| match page_items(page, key)? {
                            Some(items) => {
                                found = true;
                                items.into_iter().try_for_each(&mut *sink)
                            }
                            None if found => Err(Error::decode(format!(
                                "a later page of the service's answer has no `{key}` array"
                            ))),
                            None => Ok(()),
                        })?;
                        if found { Ok(()) } else { Err(no_items(key)) }
                    })?;
                }
                _ => {
                    let observed = observe(command, resource.as_ref(), &session)?;
                    observed.render(plan, out)?;
                    keep_until_exit(observed.value);
                }
            }
        }
    }
    Ok(())
}

/// The [`Error`] an application failure carries (its kind picks the exit code); a failure from
/// elsewhere, with its context, as an error of kind `Other`.
pub fn error_of(err: &anyhow::Error) -> Error {
    err.chain()
        .find_map(|e| e.downcast_ref::<Error>())
        .cloned()
        .unwrap_or_else(|| Error::other(format!("{err:#}")))
}

/// Whether the failure is stdout closed under us (`imds keys | head -1`): not an error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

pub use crate::client::describe_io;

/// Writes to stderr whatever happens to stderr (for `main`).
pub use crate::text::to_stderr;

/// The resource of a metadata command; `None` for `token` and `doctor`.
pub(crate) fn resource_of(command: &Command) -> Result<Option<Resource>, Error> {
    let (entry, id) = match command {
        Command::Instance | Command::Disks(_) => (resource::INSTANCE, None),
        Command::Init(_) => (resource::INIT, None),
        Command::Keys(a) => (resource::KEYS, a.id.as_deref()),
        Command::PlacementGroups(a) => (resource::PLACEMENT_GROUPS, a.id.as_deref()),
        Command::Nics(a) => (resource::NICS, a.id.as_deref()),
        Command::Volumes(a) => (resource::VOLUMES, a.id.as_deref()),
        Command::Software(a) => (resource::SOFTWARE, a.id.as_deref()),
        Command::NetworkAttachments(a) => (resource::NETWORK_ATTACHMENTS, a.id.as_deref()),
        Command::ClusterNetworkAttachments(a) => {
            (resource::CLUSTER_NETWORK_ATTACHMENTS, a.id.as_deref())
        }
        Command::Vnis(a) => (resource::VNIS, a.id.as_deref()),
        Command::Get(a) => {
            return Ok(Some(Resource::Any {
                path: resource::get_path(&a.path)?,
            }));
        }
        Command::Token(_)
        | Command::Cert(_)
        | Command::Snapshot(_)
        | Command::Doctor
        | Command::Exec(_)
        | Command::Watch(_) => {
            return Ok(None);
        }
    };
    Ok(Some(Resource::from_entry(&entry, id)?))
}

/// The items of one page of a list: the array under `key`, if the page has one.
fn page_items(page: Value, key: &str) -> Result<Option<Vec<Value>>, Error> {
    match page {
        Value::Object(mut map) => match map.swap_remove(key) {
            Some(Value::Array(items)) => Ok(Some(items)),
            _ => Ok(None),
        },
        _ => Err(Error::decode("the service's page is not a JSON object")),
    }
}

/// Leaves a document for the end of the process to reclaim. `run` is the whole of a process,
/// which ends right after it: freeing a tree node by node would only add time (a fifth of the
/// instructions of `imds placement-groups --field name` on 10,000 items).
fn keep_until_exit(doc: Value) {
    std::mem::forget(doc);
}

/// `imds cert`: the chain as PEM, or the answer rendered as JSON or picked fields.
fn run_cert(
    settings: &Settings,
    plan: &Plan,
    args: &CertArgs,
    output: Option<&files::Target>,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    let doc = crate::cert::issue(settings, args, output)?;
    if args.json || !plan.output.fields.is_empty() || !plan.output.shell.is_empty() {
        return render(plan, &doc, Shape::Document, out);
    }
    crate::cert::write_chain(&doc, out);
    Ok(())
}

/// Renders through the output stage into `out`.
fn render(plan: &Plan, value: &Value, shape: Shape, out: &mut Vec<u8>) -> Result<(), Error> {
    output::render(value, shape, &plan.output, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;

    #[test]
    fn a_command_without_a_resource_is_an_error_not_a_panic() {
        // Nothing is sent: the resource is missing before any request (and the endpoint is a
        // closed loopback port).
        let settings = Settings::builder()
            .endpoint("http://127.0.0.1:9")
            .build()
            .unwrap();
        let session = Session::new(&settings).unwrap();
        let e = observe(&Command::Doctor, None, &session).err().unwrap();
        assert_eq!(e.kind(), Kind::Other);
        assert!(resource_of(&Command::Instance).unwrap().is_some());
    }

    #[test]
    fn every_row_of_the_resource_table_is_what_its_command_reads() {
        use clap::Parser;
        for entry in resource::ENTRIES {
            let cli = Cli::try_parse_from(["imds", entry.command]).unwrap();
            let want = Resource::from_entry(entry, None).unwrap();
            assert_eq!(resource_of(&cli.command).unwrap(), Some(want), "{entry:?}");
            if entry.key.is_some() {
                let cli = Cli::try_parse_from(["imds", entry.command, "r006-x"]).unwrap();
                let want = Resource::from_entry(entry, Some("r006-x")).unwrap();
                assert_eq!(resource_of(&cli.command).unwrap(), Some(want), "{entry:?}");
            }
        }
    }
}
