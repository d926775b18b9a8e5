//! `imds keys --authorized-keys FILE`: the keys the service gave, merged into FILE (the
//! `authorized_keys` room decides which lines to add) and FILE replaced through the files room,
//! or left alone when it holds them all.

use std::path::Path;

use serde_json::Value;

use crate::authorized_keys;
use crate::client::VERBOSE_PREFIX;
use crate::error::Error;
use crate::files;
use crate::settings::Settings;
use crate::text::{clip, sanitize};

/// The largest `authorized_keys` file read before keys are merged into it.
const AUTHORIZED_KEYS_MAX_BYTES: u64 = 1 << 20;

/// `imds keys --authorized-keys FILE`: adds the keys FILE lacks; leaves it alone when it has
/// them all.
pub fn install(settings: &Settings, keys: &[Value], path: &Path) -> Result<(), Error> {
    let mut lines = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        match key.get("public_key") {
            Some(Value::String(line)) => lines.push(line.as_str()),
            _ => {
                return Err(Error::decode(format!(
                    "key {i} in the service's answer has no public_key string"
                )));
            }
        }
    }
    let shown = path.display();
    // Read and replaced through one handle on its directory; `None` when that directory
    // (`~/.ssh`) is missing, which is then made only if there is a key to write.
    let mut target =
        files::Target::open_if_dir(path, files::Options::PRIVATE).map_err(Error::from)?;
    let existing = match &mut target {
        Some(target) => target
            .read(AUTHORIZED_KEYS_MAX_BYTES)
            .map_err(Error::from)?
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let existing = String::from_utf8(existing)
        .map_err(|_| Error::other(format!("cannot read {shown}: it is not UTF-8 text")))?;
    let merged = authorized_keys::merge(&existing, &lines).map_err(|e| {
        let name = keys[e.index]["name"].as_str().unwrap_or("?");
        Error::decode(format!("the service's {e} (name '{}')", clip(name)))
    })?;
    let note = if merged.added.is_empty() {
        format!(
            "{shown} already holds all {} keys: not changed",
            lines.len()
        )
    } else {
        let target = match target {
            Some(target) => target,
            None => files::Target::open_making_dir(path, files::Options::PRIVATE)
                .map_err(Error::from)?,
        };
        target
            .prepare()
            .and_then(|pending| pending.commit(merged.text.as_bytes()))
            .map_err(Error::from)?;
        format!(
            "added {} of {} keys to {shown}",
            merged.added.len(),
            lines.len()
        )
    };
    if settings.verbose {
        eprintln!("{VERBOSE_PREFIX}{}", sanitize(&note));
    }
    Ok(())
}
