//! One read of a read command: fetching its resource (a document, or a list with all its
//! pages), what the read saw and how that prints, and the check that a command only reads.
//! `imds` prints one read; `watch` polls them.

use clap::CommandFactory;
use serde_json::Value;

use crate::cli::{Cli, Command, KeysArgs};
use crate::client::Target;
use crate::error::Error;
use crate::output::{self, Shape};
use crate::plan::Plan;
use crate::resource::{ENTRIES, Resource};
use crate::session::Session;

/// What one read of a command saw, before it is rendered: the value, and how it prints.
pub(crate) struct Observed {
    /// The document, or the array of a list's items.
    pub value: Value,
    view: View,
}

/// How an [`Observed`] value prints.
enum View {
    Document,
    List,
    /// `get` on a collection: shorthands apply to each item of the array under this key.
    Collection(String),
    /// `init --user-data`: the raw user data.
    UserData,
}

impl Observed {
    /// Its shape for the output stage.
    pub(crate) fn shape(&self) -> Shape<'_> {
        match &self.view {
            View::List => Shape::List,
            View::Collection(key) => Shape::Collection { key },
            View::Document | View::UserData => Shape::Document,
        }
    }

    /// Renders as the command prints it, into `out`.
    pub(crate) fn render(&self, plan: &Plan, out: &mut Vec<u8>) -> Result<(), Error> {
        match self.view {
            View::UserData => user_data(&self.value, out),
            _ => output::render(&self.value, self.shape(), &plan.output, out),
        }
    }
}

/// Whether `command` only reads the metadata service, so that `watch` may run it again and
/// again; a usage error names the ones that do more.
pub(crate) fn check_watchable(command: &Command) -> Result<(), Error> {
    // Every command is placed here, so a new one does not compile until it is.
    let name = match command {
        Command::Instance
        | Command::Init(_)
        | Command::Keys(KeysArgs {
            authorized_keys: None,
            ..
        })
        | Command::PlacementGroups(_)
        | Command::Nics(_)
        | Command::Volumes(_)
        | Command::Software(_)
        | Command::NetworkAttachments(_)
        | Command::ClusterNetworkAttachments(_)
        | Command::Vnis(_)
        | Command::Disks(_)
        | Command::Get(_)
        | Command::Snapshot(_) => return Ok(()),
        Command::Token(_) => "token",
        Command::Cert(_) => "cert",
        Command::Doctor => "doctor",
        Command::Watch(_) => "watch",
        Command::Exec(_) => "exec",
        Command::Keys(KeysArgs {
            authorized_keys: Some(_),
            ..
        }) => "keys --authorized-keys",
    };
    // The read commands, in `imds --help`'s order: the commands of the resource table's rows,
    // then those that read several rows.
    let cli = Cli::command();
    let rows: Vec<&str> = cli
        .get_subcommands()
        .map(|c| c.get_name())
        .filter(|name| ENTRIES.iter().any(|e| e.command == *name))
        .collect();
    Err(Error::usage(format!(
        "watch cannot run `{name}`: it is not a read command"
    ))
    .with_hint(format!(
        "watch one of {}, disks, get PATH or snapshot",
        rows.join(", ")
    )))
}

/// One read of a command that only reads (see [`check_watchable`]) over `session`: what
/// `imds` prints once, and what `watch` polls. `resource` is the command's ([`resource_of`]),
/// worked out once by the caller.
pub(crate) fn observe(
    command: &Command,
    resource: Option<&Resource>,
    session: &Session,
) -> Result<Observed, Error> {
    let fetch = |resource: Option<&Resource>| match resource {
        Some(resource) => fetch_document(session, resource),
        None => Err(no_resource(command)),
    };
    let seen = |value, view| Observed { value, view };
    match command {
        Command::Snapshot(args) => {
            let mut doc = crate::snapshot::take(session)?;
            if args.redact {
                crate::snapshot::redact(&mut doc);
            }
            Ok(seen(doc, View::Document))
        }
        Command::Disks(args) => {
            crate::disks::check_root(&args.root)?;
            let doc = fetch(resource)?;
            Ok(seen(crate::disks::list(&doc, &args.root)?, View::List))
        }
        Command::Init(args) if args.user_data => Ok(seen(fetch(resource)?, View::UserData)),
        _ => {
            let mut doc = fetch(resource)?;
            match resource.ok_or_else(|| no_resource(command))? {
                Resource::List { key, .. } => match doc.get_mut(*key) {
                    Some(items @ Value::Array(_)) => Ok(seen(items.take(), View::List)),
                    _ => Err(no_items(key)),
                },
                Resource::Any { path } => {
                    let view = match crate::resource::collection_key(path, &doc) {
                        Some(key) => View::Collection(key.to_string()),
                        None => View::Document,
                    };
                    Ok(seen(doc, view))
                }
                Resource::Document { .. } => Ok(seen(doc, View::Document)),
            }
        }
    }
}

/// Fetches a resource: one document, or a collection or `get` path with all its pages.
pub(super) fn fetch_document(session: &Session, resource: &Resource) -> Result<Value, Error> {
    let first = first_target(resource);
    match resource {
        Resource::Document { .. } => session.call(&first, None),
        Resource::List { .. } | Resource::Any { .. } => session.all_pages(first),
    }
}

/// The first request for a resource: a collection's first page, or the document.
pub(super) fn first_target(resource: &Resource) -> Target {
    match resource {
        Resource::Document { path, not_found } => Target::document(path, not_found),
        Resource::List {
            path,
            paginated: true,
            not_found,
            ..
        } => Target::first_page(path, not_found),
        Resource::List {
            path, not_found, ..
        } => Target::document(path, not_found),
        Resource::Any { path } => Target::user_path(path),
    }
}

/// A list whose pages hold no array of its items.
pub(super) fn no_items(key: &str) -> Error {
    Error::decode(format!("the service's answer has no `{key}` array"))
}

/// A command without a resource asked to fetch one (`token` and `doctor` are dispatched before
/// that): a mistake here, not the user's, and an error rather than a panic.
fn no_resource(command: &Command) -> Error {
    Error::other(format!(
        "internal error: no resource to fetch for {command:?}"
    ))
}

/// `imds init --user-data`: the string byte-exact, nothing added; nothing when absent.
fn user_data(doc: &Value, out: &mut Vec<u8>) -> Result<(), Error> {
    let Value::Object(doc) = doc else {
        return Err(Error::decode(
            "the service's initialization data is not a JSON object",
        ));
    };
    match doc.get("user_data") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(text)) => {
            out.extend_from_slice(text.as_bytes());
            Ok(())
        }
        Some(_) => Err(Error::decode("the service's user_data is not a string")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_data_needs_an_object() {
        for doc in [serde_json::json!([]), serde_json::json!("x"), Value::Null] {
            let mut out = Vec::new();
            let e = user_data(&doc, &mut out).unwrap_err();
            assert_eq!(e.kind(), crate::error::Kind::BadResponse);
            assert!(out.is_empty());
        }
        let mut out = Vec::new();
        user_data(&serde_json::json!({}), &mut out).unwrap();
        assert!(out.is_empty());
    }

    #[test]
    fn watch_takes_every_read_command_and_its_help_and_hint_name_them() {
        use clap::Parser;
        let words = |text: &str| -> Vec<String> {
            text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
                .map(str::to_string)
                .collect()
        };
        let help = Cli::command()
            .find_subcommand("watch")
            .and_then(|c| c.get_long_about())
            .map(|about| words(&about.to_string()))
            .unwrap();
        let error = check_watchable(&Command::Doctor).unwrap_err();
        let hint = words(error.hint().unwrap());
        for entry in ENTRIES {
            let name = entry.command.to_string();
            let cli = Cli::try_parse_from(["imds", entry.command]).unwrap();
            assert!(check_watchable(&cli.command).is_ok(), "{name}");
            assert!(help.contains(&name), "{name} is not in watch's help");
            assert!(hint.contains(&name), "{name} is not in watch's hint");
        }
    }
}
