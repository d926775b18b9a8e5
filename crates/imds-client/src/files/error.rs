//! Why a file could not be read or written, in words: [`FileError`], and the few lower-case
//! words an I/O error or a size limit is shown in.

use std::io;
use std::path::Path;

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
    pub(super) fn new(verb: &'static str, path: &Path, why: impl Into<String>) -> FileError {
        FileError {
            verb,
            path: path.display().to_string(),
            why: why.into(),
        }
    }
}

/// A size limit in words: `1 MiB`, `64 KiB`.
pub(super) fn size_words(bytes: u64) -> String {
    match bytes {
        b if b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// An io error in a few lower-case words, without the `(os error N)` tail.
pub(super) fn describe(e: &io::Error) -> String {
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
    fn sizes_read_as_people_write_them() {
        assert_eq!(size_words(1 << 20), "1 MiB");
        assert_eq!(size_words(64 << 10), "64 KiB");
        assert_eq!(size_words(1000), "1000 bytes");
    }
}
