//! The files imds and imds-mock read and write at a user's word: `-o`, `keys
//! --authorized-keys`, `cert --key-out` and `--csr`, `--cacert`, the emulator's `--ca-out`.
//! What goes into them is the callers' business; how they are reached is this module's.
//!
//! Root writes into directories other users control (`/home/alice/.ssh`), and such a user can
//! swap a directory for a symbolic link at any moment. So a file is never reached by its path
//! twice: the directory it goes into is opened once, one component at a time (links followed
//! by this code, and as root only links root owns), and every later step (looking at the file,
//! reading it, creating the temporary file, renaming, removing) is relative to that handle.
//! `docs/ARCHITECTURE.md` ("Files") tells the rules.

mod read;
mod replace;
#[cfg(unix)]
mod sys;
#[cfg(not(unix))]
#[path = "portable.rs"]
mod sys;

use std::io;
use std::path::{Path, PathBuf};

pub use read::read_input;
pub use replace::{Options, Target};

/// Why a file could not be read or written; the message names the file and is ready for
/// `imds: …`.
#[derive(Debug, thiserror::Error)]
#[error("cannot {verb} {path}: {why}")]
pub struct FileError {
    /// `read`, `write` or `remove`.
    pub verb: &'static str,
    /// The file as the user named it.
    pub path: String,
    /// What went wrong, in words.
    pub why: String,
}

impl FileError {
    fn new(verb: &'static str, path: &Path, why: impl Into<String>) -> FileError {
        FileError {
            verb,
            path: path.display().to_string(),
            why: why.into(),
        }
    }
}

/// What `fstat` or `fstatat` says of one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Meta {
    kind: Kind,
    uid: u32,
    gid: u32,
    /// Permission bits with set-id and sticky (`0o7777`).
    mode: u32,
    size: u64,
    dev: u64,
    ino: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    File,
    Dir,
    Link,
    Other,
}

impl Meta {
    /// A sticky directory others may write in (`/tmp`): the kernel's `fs.protected_regular`
    /// protects the files of such a directory from other users' `O_CREAT`.
    fn is_shared_dir(&self) -> bool {
        self.kind == Kind::Dir && self.mode & 0o1000 != 0 && self.mode & 0o022 != 0
    }
}

/// The directory a path names a file in (`.` for a bare file name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A size limit in words: `1 MiB`, `64 KiB`.
fn size_words(bytes: u64) -> String {
    match bytes {
        b if b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// An io error in a few lower-case words, without the `(os error N)` tail.
fn describe(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        _ => {
            let text = e.to_string();
            let text = match text.rfind(" (os error ") {
                Some(at) => text[..at].to_string(),
                None => text,
            };
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_file_name_goes_into_the_current_directory() {
        assert_eq!(parent_of(Path::new("x")), PathBuf::from("."));
        assert_eq!(parent_of(Path::new("a/x")), PathBuf::from("a"));
        assert_eq!(parent_of(Path::new("/x")), PathBuf::from("/"));
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size_words(1 << 20), "1 MiB");
        assert_eq!(size_words(64 << 10), "64 KiB");
        assert_eq!(size_words(1000), "1000 bytes");
    }
}
