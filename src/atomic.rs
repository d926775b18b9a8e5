//! Replacing a file all at once: the new content goes into a temporary file in the same
//! directory, is synced to disk, and is renamed over the target, so a reader sees the old
//! content or the new, never a part, and a failure leaves the old file as it was and no
//! temporary file behind. It decides nothing about what is written.
//!
//! The temporary file comes from the `tempfile` crate: an exclusive create (`O_EXCL`, so a link
//! planted under its name is never followed) with mode 0600 from the start, and removal on every
//! error path.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The mode of a file that did not exist before: readable by its owner only, since what imds
/// writes (user data, keys) may be secret.
pub const NEW_FILE_MODE: u32 = 0o600;
/// How much of the file's name its temporary file's name repeats.
const TEMP_NAME_CHARS: usize = 40;
/// The mode of a directory [`create_parent`] makes (OpenSSH's rule for `~/.ssh`).
pub const NEW_DIR_MODE: u32 = 0o700;

/// How the new file is owned and what mode it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// `Some(mode)`: always this mode; `None`: an existing file's mode, else [`NEW_FILE_MODE`].
    pub mode: Option<u32>,
    /// Who owns a file that did not exist before. An existing file always keeps its owner when
    /// the caller is root (a non-root caller cannot give a file away, and owns what it writes).
    pub new_owner: NewOwner,
}

impl Options {
    /// As a shell's `>` would leave the file, but private when new: an existing file keeps its
    /// mode and owner; a new one is 0600 and the caller's.
    pub const OUTPUT: Options = Options {
        mode: None,
        new_owner: NewOwner::Caller,
    };

    /// A private file of the directory's owner (`~/.ssh/authorized_keys`): always 0600; an
    /// existing file keeps its owner, a new one takes the directory's when run as root.
    pub const PRIVATE: Options = Options {
        mode: Some(NEW_FILE_MODE),
        new_owner: NewOwner::Directory,
    };
}

/// Who owns a file that did not exist before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewOwner {
    /// Whoever runs imds.
    Caller,
    /// When run as root, the owner of the directory the file goes into: a boot script running
    /// as root that writes `/home/alice/.ssh/authorized_keys` leaves it readable by alice's
    /// sshd session.
    Directory,
}

/// Why a file could not be written; the message names the file and is ready for `imds: …`.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {why}")]
pub struct WriteError {
    /// The file as the user named it.
    pub path: String,
    /// What went wrong, in words.
    pub why: String,
}

impl WriteError {
    fn new(path: &Path, why: impl Into<String>) -> WriteError {
        WriteError {
            path: path.display().to_string(),
            why: why.into(),
        }
    }

    fn io(path: &Path, what: &str, e: &io::Error) -> WriteError {
        WriteError::new(path, format!("{what}: {}", describe(e)))
    }
}

/// Replaces `path` with `contents`.
///
/// 1. An existing `path` must be a regular file: a symbolic link, a device or a directory is
///    refused (renaming over a link would drop it, and root following one could write anywhere).
///    Run as root, a directory on the way that is a symbolic link owned by another user is
///    refused too: it would let that user choose where root writes.
/// 2. The new file has the mode `options` says, and the existing file's owner when run as root
///    (for a new file, the owner `options` says).
/// 3. The content is written and synced before the rename, and the directory is synced after
///    it (best effort: the rename has happened by then).
pub fn write(path: &Path, contents: &[u8], options: Options) -> Result<(), WriteError> {
    let dir = parent_of(path);
    let existing = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_file() => Some(meta),
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(WriteError::new(
                path,
                "it is a symbolic link; give the path of the file it points to",
            ));
        }
        Ok(meta) if meta.is_dir() => return Err(WriteError::new(path, "it is a directory")),
        Ok(_) => return Err(WriteError::new(path, "it is not a regular file")),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(WriteError::io(path, "cannot look at it", &e)),
    };
    match fs::metadata(&dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            return Err(WriteError::new(
                path,
                format!("{} is not a directory", dir.display()),
            ));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(WriteError::new(
                path,
                format!("the directory {} does not exist", dir.display()),
            ));
        }
        Err(e) => return Err(WriteError::io(path, "cannot reach its directory", &e)),
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The temporary name is `.NAME.XXXXXX.tmp`, with NAME cut short so that a long file name
    // still leaves room under the usual 255-byte limit.
    let short: String = name.chars().take(TEMP_NAME_CHARS).collect();
    let prefix = format!(".{short}.");
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| WriteError::io(path, "cannot create a file next to it", &e))?;
    // From here on, returning early drops `temp`, which removes the temporary file.
    if let Some(link) = user_link_followed_by_root(temp.as_file(), &dir) {
        return Err(WriteError::new(
            path,
            format!(
                "{} is a symbolic link owned by another user, which root does not follow; give \
                 the real path",
                link.display()
            ),
        ));
    }
    let owner = match (&existing, options.new_owner) {
        (Some(meta), _) => Some(owner_of(meta)),
        (None, NewOwner::Directory) => fs::metadata(&dir).ok().map(|m| owner_of(&m)),
        (None, NewOwner::Caller) => None,
    };
    set_owner(temp.as_file(), owner)
        .map_err(|e| WriteError::io(path, "cannot keep its owner", &e))?;
    let wanted = options
        .mode
        .unwrap_or_else(|| existing.as_ref().map_or(NEW_FILE_MODE, mode_of));
    // Set the mode explicitly: the umask may have narrowed the create mode, and a chown above
    // may have cleared set-id bits.
    set_mode(temp.as_file(), wanted)
        .map_err(|e| WriteError::io(path, "cannot set its mode", &e))?;
    temp.write_all(contents)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| WriteError::io(path, "cannot write its content", &e))?;
    temp.persist(path)
        .map_err(|e| WriteError::io(path, "cannot replace it", &e.error))?;
    // Durability of the rename itself; the new content is in place whatever this returns.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Creates the directory `path` goes into when it is missing (one level: its own parent must
/// exist), with mode 0700 and, when run as root, the owner of the directory above it. Returns
/// whether it created one.
pub fn create_parent(path: &Path) -> Result<bool, WriteError> {
    let dir = parent_of(path);
    match fs::symlink_metadata(&dir) {
        Ok(_) => return Ok(false),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(WriteError::io(path, "cannot reach its directory", &e)),
    }
    let above = parent_of(&dir);
    let created = create_dir(&dir).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            WriteError::new(
                path,
                format!("the directory {} does not exist", above.display()),
            )
        } else {
            WriteError::io(path, &format!("cannot create {}", dir.display()), &e)
        }
    })?;
    let owner = fs::metadata(&above).ok().map(|m| owner_of(&m));
    set_owner(&created, owner).map_err(|e| {
        WriteError::io(
            path,
            &format!("cannot give {} its owner", dir.display()),
            &e,
        )
    })?;
    set_mode(&created, NEW_DIR_MODE).map_err(|e| {
        WriteError::io(
            path,
            &format!("cannot set the mode of {}", dir.display()),
            &e,
        )
    })?;
    Ok(true)
}

/// The directory a path names a file in (`.` for a bare file name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
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

/// Modes and owners exist on Unix only; elsewhere the platform's defaults stand.
#[cfg(unix)]
mod sys {
    use std::fs::{self, File, Metadata, Permissions};
    use std::io;
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    use std::path::{Path, PathBuf};

    pub fn set_mode(file: &File, bits: u32) -> io::Result<()> {
        file.set_permissions(Permissions::from_mode(bits))
    }

    pub fn mode_of(meta: &Metadata) -> u32 {
        meta.mode() & 0o7777
    }

    pub fn owner_of(meta: &Metadata) -> (u32, u32) {
        (meta.uid(), meta.gid())
    }

    /// Gives `file` the owner `owner` when the caller is root (the file, just created by the
    /// caller, is owned by root) and it is not already so owned.
    pub fn set_owner(file: &File, owner: Option<(u32, u32)>) -> io::Result<()> {
        let Some((uid, gid)) = owner else {
            return Ok(());
        };
        let meta = file.metadata()?;
        if meta.uid() != 0 || (meta.uid(), meta.gid()) == (uid, gid) {
            return Ok(());
        }
        std::os::unix::fs::fchown(file, Some(uid), Some(gid))
    }

    /// Creates one directory (mode 0700 before the umask) and opens it.
    pub fn create_dir(dir: &Path) -> io::Result<File> {
        fs::DirBuilder::new()
            .mode(super::NEW_DIR_MODE)
            .create(dir)?;
        File::open(dir)
    }

    /// When the caller is root (`probe`, a file it just created, is root's): the first
    /// symbolic link on the way to `dir` that a user other than root owns, resolving root's own
    /// links as it goes. The kernel's `fs.protected_symlinks` applies the same rule in sticky
    /// directories only.
    pub fn user_link_followed_by_root(probe: &File, dir: &Path) -> Option<PathBuf> {
        if probe.metadata().ok()?.uid() != 0 {
            return None;
        }
        let mut resolved = PathBuf::new();
        for part in std::path::absolute(dir).ok()?.components() {
            resolved.push(part);
            let meta = fs::symlink_metadata(&resolved).ok()?;
            if meta.file_type().is_symlink() {
                if meta.uid() != 0 {
                    return Some(resolved);
                }
                resolved = fs::canonicalize(&resolved).ok()?;
            }
        }
        None
    }
}

#[cfg(not(unix))]
mod sys {
    use std::fs::{self, File, Metadata};
    use std::io;
    use std::path::{Path, PathBuf};

    pub fn set_mode(_file: &File, _bits: u32) -> io::Result<()> {
        Ok(())
    }

    pub fn mode_of(_meta: &Metadata) -> u32 {
        super::NEW_FILE_MODE
    }

    pub fn owner_of(_meta: &Metadata) -> (u32, u32) {
        (0, 0)
    }

    pub fn set_owner(_file: &File, _owner: Option<(u32, u32)>) -> io::Result<()> {
        Ok(())
    }

    pub fn create_dir(dir: &Path) -> io::Result<File> {
        fs::create_dir(dir)?;
        File::open(dir)
    }

    pub fn user_link_followed_by_root(_probe: &File, _dir: &Path) -> Option<PathBuf> {
        None
    }
}

use sys::{create_dir, mode_of, owner_of, set_mode, set_owner, user_link_followed_by_root};

// Modes, owners and links are Unix's.
#[cfg(unix)]
#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::Permissions;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    fn dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn mode_bits(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn a_new_file_is_0600_and_holds_the_content() {
        let d = dir();
        let path = d.path().join("user-data");
        write(&path, b"#!/bin/sh\necho hi\n", Options::OUTPUT).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"#!/bin/sh\necho hi\n");
        assert_eq!(mode_bits(&path), 0o600);
        assert_eq!(entries(d.path()), ["user-data"]);
    }

    #[test]
    fn an_existing_file_keeps_its_mode_and_gets_the_new_content() {
        let d = dir();
        let path = d.path().join("conf");
        fs::write(&path, b"old content that is longer").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o640)).unwrap();
        write(&path, b"new", Options::OUTPUT).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(mode_bits(&path), 0o640);
        assert_eq!(entries(d.path()), ["conf"]);
    }

    #[test]
    fn a_missing_directory_is_named_and_nothing_is_created() {
        let d = dir();
        let path = d.path().join("nope").join("file");
        let e = write(&path, b"x", Options::OUTPUT).unwrap_err();
        assert_eq!(
            e.why,
            format!(
                "the directory {} does not exist",
                d.path().join("nope").display()
            )
        );
        assert!(e.to_string().starts_with("cannot write "), "{e}");
        assert!(entries(d.path()).is_empty());
    }

    #[test]
    fn a_symbolic_link_is_refused_and_left_alone() {
        let d = dir();
        let target = d.path().join("target");
        fs::write(&target, b"keep").unwrap();
        let link = d.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = write(&link, b"x", Options::OUTPUT).unwrap_err();
        assert!(e.why.contains("symbolic link"), "{e}");
        assert_eq!(fs::read(&target).unwrap(), b"keep");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(entries(d.path()), ["link", "target"]);
    }

    #[test]
    fn a_directory_or_a_device_is_refused() {
        let d = dir();
        let e = write(d.path(), b"x", Options::OUTPUT).unwrap_err();
        assert!(e.why.contains("directory"), "{e}");
        let e = write(Path::new("/dev/null"), b"x", Options::OUTPUT).unwrap_err();
        assert_eq!(e.why, "it is not a regular file");
    }

    #[test]
    fn a_read_only_directory_leaves_the_old_file_untouched() {
        let d = dir();
        let path = d.path().join("file");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(d.path(), Permissions::from_mode(0o500)).unwrap();
        let result = write(&path, b"new", Options::OUTPUT);
        fs::set_permissions(d.path(), Permissions::from_mode(0o700)).unwrap();
        if fs::metadata(&path).unwrap().uid() == 0 {
            // Root writes into read-only directories; nothing to check here.
            return;
        }
        let e = result.unwrap_err();
        assert_eq!(e.why, "cannot create a file next to it: permission denied");
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(entries(d.path()), ["file"]);
    }

    #[test]
    fn a_private_file_is_0600_even_when_it_was_not() {
        let d = dir();
        let path = d.path().join("authorized_keys");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o664)).unwrap();
        write(&path, b"new", Options::PRIVATE).unwrap();
        assert_eq!(mode_bits(&path), 0o600);
    }

    #[test]
    fn a_file_name_at_the_length_limit_can_be_replaced() {
        let d = dir();
        let path = d.path().join("x".repeat(255));
        write(&path, b"a", Options::OUTPUT).unwrap();
        write(&path, b"b", Options::OUTPUT).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"b");
    }

    #[test]
    fn a_bare_file_name_goes_into_the_current_directory() {
        assert_eq!(parent_of(Path::new("x")), PathBuf::from("."));
        assert_eq!(parent_of(Path::new("a/x")), PathBuf::from("a"));
        assert_eq!(parent_of(Path::new("/x")), PathBuf::from("/"));
    }

    #[test]
    fn create_parent_makes_one_private_directory() {
        let d = dir();
        let path = d.path().join(".ssh").join("authorized_keys");
        assert!(create_parent(&path).unwrap());
        assert_eq!(mode_bits(&d.path().join(".ssh")), 0o700);
        assert!(!create_parent(&path).unwrap());
        let deep = d.path().join("a").join("b").join("file");
        let e = create_parent(&deep).unwrap_err();
        assert!(e.why.contains("does not exist"), "{e}");
        assert!(!d.path().join("a").exists());
    }

    #[test]
    fn an_existing_file_owned_by_the_caller_keeps_its_owner() {
        let d = dir();
        let path = d.path().join("f");
        fs::write(&path, b"old").unwrap();
        let before = fs::metadata(&path).unwrap();
        write(&path, b"new", Options::PRIVATE).unwrap();
        let after = fs::metadata(&path).unwrap();
        assert_eq!((before.uid(), before.gid()), (after.uid(), after.gid()));
    }

    /// Root does not follow a link another user owns to a directory: that user would choose
    /// where root writes. Its own links it follows.
    #[test]
    fn as_root_a_link_another_user_owns_is_not_followed() {
        let d = dir();
        if fs::metadata(d.path()).unwrap().uid() != 0 {
            return;
        }
        let target = d.path().join("target");
        fs::create_dir(&target).unwrap();
        let theirs = d.path().join("theirs");
        std::os::unix::fs::symlink(&target, &theirs).unwrap();
        std::os::unix::fs::lchown(&theirs, Some(65534), Some(65534)).unwrap();
        let e = write(&theirs.join("f"), b"x", Options::PRIVATE).unwrap_err();
        assert!(e.why.contains("owned by another user"), "{e}");
        assert!(entries(&target).is_empty());
        let mine = d.path().join("mine");
        std::os::unix::fs::symlink(&target, &mine).unwrap();
        write(&mine.join("f"), b"x", Options::OUTPUT).unwrap();
        assert_eq!(entries(&target), ["f"]);
    }

    /// Root (the only caller that can give files away) keeps a file's owner, and gives a new
    /// private file and directory the owner of the directory they go into.
    #[test]
    fn as_root_owners_are_kept_and_inherited() {
        let d = dir();
        if fs::metadata(d.path()).unwrap().uid() != 0 {
            return;
        }
        let nobody = (65534, 65534);
        let home = d.path().join("home");
        fs::create_dir(&home).unwrap();
        std::os::unix::fs::chown(&home, Some(nobody.0), Some(nobody.1)).unwrap();
        let path = home.join(".ssh").join("authorized_keys");
        create_parent(&path).unwrap();
        write(&path, b"k\n", Options::PRIVATE).unwrap();
        for p in [home.join(".ssh"), path.clone()] {
            let m = fs::metadata(&p).unwrap();
            assert_eq!((m.uid(), m.gid()), nobody, "{}", p.display());
        }
        let other = d.path().join("theirs");
        fs::write(&other, b"old").unwrap();
        std::os::unix::fs::chown(&other, Some(nobody.0), Some(nobody.1)).unwrap();
        write(&other, b"new", Options::OUTPUT).unwrap();
        let m = fs::metadata(&other).unwrap();
        assert_eq!((m.uid(), m.gid()), nobody);
        let mine = d.path().join("mine");
        write(&mine, b"new", Options::PRIVATE).unwrap();
        assert_eq!(fs::metadata(&mine).unwrap().uid(), 0);
    }
}
