//! One read of a watched command, apart from how `imds` runs a command once: what `watch`
//! polls, and the check that a command only reads.

use serde_json::Value;

use super::{fetch_document, metadata_resource, no_items, render, user_data};
use crate::cli::{Command, KeysArgs};
use crate::error::Error;
use crate::output::Shape;
use crate::plan::Plan;
use crate::resource::Resource;
use crate::session::Session;

/// What one read of a watched command saw, before it is rendered.
pub(crate) struct Observed {
    /// The document, or the array of a list's items.
    pub value: Value,
    pub shape: Shape<'static>,
    /// `get` on a collection: the array of its items, to which shorthands apply per item.
    collection: Option<String>,
    /// `init --user-data`: printed as the raw user data.
    user_data: bool,
}

impl Observed {
    /// Renders as the command itself would print it, into `out`.
    pub(crate) fn render(&self, plan: &Plan, out: &mut Vec<u8>) -> Result<(), Error> {
        if self.user_data {
            user_data(&self.value, out)
        } else {
            let shape = match &self.collection {
                Some(key) => Shape::Collection { key },
                None => self.shape,
            };
            render(plan, &self.value, shape, out)
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

/// One read of a watched command (see [`check_watchable`]) over `session`.
pub(crate) fn observe(command: &Command, session: &Session) -> Result<Observed, Error> {
    let document = |value| Observed {
        value,
        shape: Shape::Document,
        collection: None,
        user_data: false,
    };
    match command {
        Command::Snapshot(args) => {
            let mut doc = crate::snapshot::take(session)?;
            if args.redact {
                crate::snapshot::redact(&mut doc);
            }
            Ok(document(doc))
        }
        Command::Init(args) if args.user_data => Ok(Observed {
            user_data: true,
            ..document(fetch_document(session, &metadata_resource(command)?)?)
        }),
        command => {
            let resource = metadata_resource(command)?;
            let mut doc = fetch_document(session, &resource)?;
            match &resource {
                Resource::List { key, .. } => match doc.get_mut(*key) {
                    Some(items @ Value::Array(_)) => Ok(Observed {
                        value: items.take(),
                        shape: Shape::List,
                        collection: None,
                        user_data: false,
                    }),
                    _ => Err(no_items(key)),
                },
                Resource::Any { path } => {
                    let collection =
                        crate::resource::collection_key(path, &doc).map(str::to_string);
                    Ok(Observed {
                        collection,
                        ..document(doc)
                    })
                }
                _ => Ok(document(doc)),
            }
        }
    }
}
