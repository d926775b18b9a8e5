//! What the system says of a file or directory, in the one shape the Unix and the portable
//! system calls both give.

/// The mode of a file that did not exist before: readable by its owner only, since what imds
/// writes (user data, keys) may be secret. The portable system calls report it for every file.
pub(super) const NEW_FILE_MODE: u32 = 0o600;

/// What `fstat` or `fstatat` says of one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Meta {
    pub(super) kind: Kind,
    pub(super) uid: u32,
    pub(super) gid: u32,
    /// Permission bits with set-id and sticky (`0o7777`).
    pub(super) mode: u32,
    pub(super) size: u64,
    pub(super) dev: u64,
    pub(super) ino: u64,
}

/// What an entry is.
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
    pub(super) fn is_shared_dir(&self) -> bool {
        self.kind == Kind::Dir && self.mode & 0o1000 != 0 && self.mode & 0o022 != 0
    }
}
