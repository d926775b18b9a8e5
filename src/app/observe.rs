//! One read of a watched command, apart from how `imds` runs a command once: what `watch`
//! polls, and the check that a command only reads.

use serde_json::Value;

use super::{fetch_document, no_items, no_resource, render, user_data};
use crate::cli::{Command, KeysArgs};
use crate::error::Error;
use crate::output::Shape;
use crate::plan::Plan;
use crate::resource::Resource;
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
            _ => render(plan, &self.value, self.shape(), out),
        }
    }
}

/// Whether `command` only reads the metadata service, so that `watch` may run it again and
/// again; a usage error names the ones that do more.
pub(crate) fn check_watchable(command: &Command) -> Result<(), Error> {
    let name = match command {
        Command::Token(_) => "token",
        Command::Cert(_) => "cert",
        Command::Doctor => "doctor",
        Command::Watch(_) => "watch",
        Command::Keys(KeysArgs {
            authorized_keys: Some(_),
            ..
        }) => "keys --authorized-keys",
        _ => return Ok(()),
    };
    Err(Error::usage(format!(
        "watch cannot run `{name}`: it is not a read command"
    ))
    .with_hint(
        "watch one of instance, init, keys, placement-groups, nics, volumes, get PATH or snapshot",
    ))
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
