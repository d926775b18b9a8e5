//! Replacing a file all at once: the new content goes into a temporary file in the same
//! directory, is synced to disk, and is renamed over the target, so a reader sees the old
//! content or the new, never a part, and a failure leaves the old file as it was and no
//! temporary file behind. Every step is relative to the directory handle opened first.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::hash::{BuildHasher, RandomState};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::error::{FileError, describe};
use super::meta::{Kind, Meta, NEW_FILE_MODE};
use super::read::read_capped;
use super::sys::{self, Dir, DirError};

/// The mode of a directory [`Target::open_making_dir`] makes (OpenSSH's rule for `~/.ssh`).
pub const NEW_DIR_MODE: u32 = 0o700;
/// How much of the file's name its temporary file's name repeats.
const TEMP_NAME_CHARS: usize = 40;
/// Temporary names tried before giving up (each is random; a clash means someone else's file).
const TEMP_ATTEMPTS: usize = 16;

/// How the new file is owned and what mode it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// `Some(mode)`: always this mode; `None`: an existing file's mode, else `NEW_FILE_MODE`.
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

/// What [`Target::open_in`] does when the directory a file goes into is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Missing {
    Refuse,
    Absent,
    Make,
}

/// A file about to be replaced: its directory held open, what is there now looked at.
#[derive(Debug)]
pub struct Target {
    dir: Dir,
    dir_meta: Meta,
    name: OsString,
    path: PathBuf,
    existing: Option<Meta>,
    options: Options,
}

impl Target {
    /// Opens the directory `path` goes into and looks at `path` there. Refused:
    /// - an existing `path` that is not a regular file: a symbolic link (renaming over it would
    ///   drop it, and root following one could write anywhere), a directory, a device;
    /// - as root, a symbolic link owned by another user on the way (that user would choose
    ///   where root writes);
    /// - as root, another user's file in a sticky directory others may write in (`/tmp`): as
    ///   the kernel's `fs.protected_regular` refuses `O_CREAT` there, root does not hand its
    ///   output to a file another user owns and may have made writable to all.
    pub fn open(path: &Path, options: Options) -> Result<Target, FileError> {
        Target::open_in(path, options, Missing::Refuse).map(|t| t.expect("refused when missing"))
    }

    /// As [`Target::open`], but `None` when the directory `path` goes into is missing (and its
    /// own parent is there): a file that can be made later with [`Target::open_making_dir`].
    pub fn open_if_dir(path: &Path, options: Options) -> Result<Option<Target>, FileError> {
        Target::open_in(path, options, Missing::Absent)
    }

    /// As [`Target::open`], and makes the directory `path` goes into when it is missing (one
    /// level: its own parent must exist), mode 0700, owned (when run as root) by the owner of
    /// the directory above it.
    pub fn open_making_dir(path: &Path, options: Options) -> Result<Target, FileError> {
        Target::open_in(path, options, Missing::Make).map(|t| t.expect("made when missing"))
    }

    fn open_in(
        path: &Path,
        options: Options,
        missing: Missing,
    ) -> Result<Option<Target>, FileError> {
        let fail = |why: String| FileError::new("write", path, why);
        let name = match path.file_name() {
            Some(name) => name.to_os_string(),
            None => return Err(fail("it is a directory".to_string())),
        };
        let parent = parent_of(path);
        let root = sys::is_root();
        let dir = match sys::open_dir(&parent, root) {
            Ok(dir) => dir,
            Err(DirError::Missing(_, true)) if missing == Missing::Make => {
                make_dir(&parent, root).map_err(fail)?
            }
            Err(DirError::Missing(_, true)) if missing == Missing::Absent => return Ok(None),
            Err(e) => return Err(fail(dir_error(e))),
        };
        let dir_meta = sys::fstat(&dir).map_err(|e| fail(describe(&e)))?;
        let existing = sys::stat_at(&dir, &name)
            .map_err(|e| fail(format!("cannot look at it: {}", describe(&e))))?;
        let target = Target {
            dir,
            dir_meta,
            name,
            path: path.to_path_buf(),
            existing,
            options,
        };
        target.check(existing.as_ref()).map_err(fail)?;
        Ok(Some(target))
    }

    /// Removes the file (already checked by [`Target::open`] to be a regular file, or
    /// nothing), in the directory opened then; nothing there is not a failure.
    pub fn remove(self) -> Result<(), FileError> {
        if self.existing.is_none() {
            return Ok(());
        }
        match sys::remove(&self.dir, &self.name) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                Err(FileError::new("remove", &self.path, describe(&e)))
            }
            _ => {
                sys::sync_dir(&self.dir);
                Ok(())
            }
        }
    }

    /// Whether something is there now.
    pub fn exists(&self) -> bool {
        self.existing.is_some()
    }

    /// Whether `other` names the same file: the same directory and name, or, when both exist,
    /// the same file under two names (a hard link).
    pub fn is_same_file(&self, other: &Target) -> bool {
        let same_dir =
            (self.dir_meta.dev, self.dir_meta.ino) == (other.dir_meta.dev, other.dir_meta.ino);
        match (&self.existing, &other.existing) {
            (Some(a), Some(b)) => (a.dev, a.ino) == (b.dev, b.ino),
            _ => same_dir && self.name == other.name,
        }
    }

    fn check(&self, existing: Option<&Meta>) -> Result<(), String> {
        let Some(meta) = existing else {
            return Ok(());
        };
        match meta.kind {
            Kind::File => {}
            Kind::Link => {
                return Err(
                    "it is a symbolic link; give the path of the file it points to".to_string(),
                );
            }
            Kind::Dir => return Err("it is a directory".to_string()),
            Kind::Other => return Err("it is not a regular file".to_string()),
        }
        if sys::is_root()
            && meta.uid != 0
            && meta.uid != self.dir_meta.uid
            && self.dir_meta.is_shared_dir()
        {
            return Err(
                "it belongs to another user and lies in a sticky directory others may \
                 write in, where root does not write into other users' files; remove it first \
                 or choose another path"
                    .to_string(),
            );
        }
        Ok(())
    }

    /// What the file holds now, read through the directory handle: `None` when there is no
    /// file, else a regular file (not a link: a link is refused for reading as for writing) of
    /// at most `cap` bytes.
    pub fn read(&mut self, cap: u64) -> Result<Option<Vec<u8>>, FileError> {
        let path = self.path.clone();
        let fail = |why: String| FileError::new("read", &path, why);
        let file = match sys::open_read(&self.dir, &self.name, true) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.existing = None;
                return Ok(None);
            }
            // `O_NOFOLLOW` on a link.
            Err(e) if sys::is_link_error(&e) => {
                return Err(fail(
                    "it is a symbolic link; give the path of the file it points to".to_string(),
                ));
            }
            Err(e) => return Err(fail(describe(&e))),
        };
        let meta = sys::fstat(&file).map_err(|e| fail(describe(&e)))?;
        self.check(Some(&meta)).map_err(fail)?;
        let bytes = read_capped(file, &meta, cap).map_err(fail)?;
        self.existing = Some(meta);
        Ok(Some(bytes))
    }

    /// Creates the temporary file beside the target now, with its final owner and mode, so
    /// that a directory that takes no file is known before anything costly is done.
    pub fn prepare(self) -> Result<Pending, FileError> {
        let fail = |what: &str, e: io::Error| {
            FileError::new("write", &self.path, format!("{what}: {}", describe(&e)))
        };
        let (temp_name, file) = create_temp(&self.dir, &self.name)
            .map_err(|e| fail("cannot create a file next to it", e))?;
        let pending = Pending {
            target: self,
            temp_name,
            file,
            done: false,
        };
        // From here on, returning early drops `pending`, which removes the temporary file.
        let target = &pending.target;
        let owner = match (&target.existing, target.options.new_owner) {
            (Some(meta), _) => Some((meta.uid, meta.gid)),
            (None, NewOwner::Directory) => Some((target.dir_meta.uid, target.dir_meta.gid)),
            (None, NewOwner::Caller) => None,
        };
        if let Some((uid, gid)) = owner.filter(|_| sys::is_root()) {
            sys::set_owner(&pending.file, uid, gid)
                .map_err(|e| fail_at(target, "cannot keep its owner", e))?;
        }
        let mode = target
            .options
            .mode
            .unwrap_or_else(|| target.existing.map_or(NEW_FILE_MODE, |m| m.mode));
        // Set the mode explicitly: the umask may have narrowed the create mode, and a chown
        // above may have cleared set-id bits.
        sys::set_mode(&pending.file, mode)
            .map_err(|e| fail_at(target, "cannot set its mode", e))?;
        Ok(pending)
    }
}

fn fail_at(target: &Target, what: &str, e: io::Error) -> FileError {
    FileError::new("write", &target.path, format!("{what}: {}", describe(&e)))
}

/// A temporary file beside its target, removed unless [`Pending::commit`] renames it.
#[derive(Debug)]
pub struct Pending {
    target: Target,
    temp_name: OsString,
    file: File,
    done: bool,
}

impl Pending {
    /// Writes `contents`, syncs them, renames the temporary file over the target and syncs the
    /// directory (best effort: the rename has happened by then).
    pub fn commit(mut self, contents: &[u8]) -> Result<(), FileError> {
        let target = &self.target;
        self.file
            .write_all(contents)
            .and_then(|()| self.file.sync_all())
            .map_err(|e| fail_at(target, "cannot write its content", e))?;
        sys::rename(&target.dir, &self.temp_name, &target.name)
            .map_err(|e| fail_at(target, "cannot replace it", e))?;
        self.done = true;
        sys::sync_dir(&target.dir);
        Ok(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.done {
            let _ = sys::remove(&self.target.dir, &self.temp_name);
        }
    }
}

/// Creates `.NAME.XXXXXX.tmp` in `dir`, exclusively, mode 0600, with NAME cut short so that a
/// long file name still leaves room under the usual 255-byte limit.
fn create_temp(dir: &Dir, name: &OsStr) -> io::Result<(OsString, File)> {
    let short: String = name
        .to_string_lossy()
        .chars()
        .take(TEMP_NAME_CHARS)
        .collect();
    let mut last = io::Error::from(io::ErrorKind::AlreadyExists);
    for attempt in 0..TEMP_ATTEMPTS {
        let temp = OsString::from(format!(".{short}.{}.tmp", random_suffix(attempt)));
        match sys::create_new(dir, &temp, NEW_FILE_MODE) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// Six characters from `[a-z0-9]`, from std's per-process random hash keys.
fn random_suffix(attempt: usize) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut n = RandomState::new().hash_one((attempt, std::process::id()));
    (0..6)
        .map(|_| {
            let c = CHARS[(n % CHARS.len() as u64) as usize];
            n /= CHARS.len() as u64;
            c as char
        })
        .collect()
}

/// Makes the missing directory `dir`, in its parent opened as any directory is.
fn make_dir(dir: &Path, root: bool) -> Result<Dir, String> {
    let above = parent_of(dir);
    let Some(name) = dir.file_name() else {
        return Err(format!("the directory {} does not exist", dir.display()));
    };
    let parent = sys::open_dir(&above, root).map_err(dir_error)?;
    let made = match sys::make_dir(&parent, name, NEW_DIR_MODE) {
        Ok(made) => made,
        // Made by someone else meanwhile: open it as any directory is opened.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return sys::open_dir(dir, root).map_err(dir_error);
        }
        Err(e) => return Err(format!("cannot create {}: {}", dir.display(), describe(&e))),
    };
    let meta = sys::fstat(&parent).map_err(|e| describe(&e))?;
    if root {
        sys::set_owner(&made, meta.uid, meta.gid)
            .map_err(|e| format!("cannot give {} its owner: {}", dir.display(), describe(&e)))?;
    }
    sys::set_mode(&made, NEW_DIR_MODE)
        .map_err(|e| format!("cannot set the mode of {}: {}", dir.display(), describe(&e)))?;
    Ok(made)
}

/// Why the directory could not be opened, in words.
fn dir_error(e: DirError) -> String {
    match e {
        DirError::Missing(at, _) => format!("the directory {} does not exist", at.display()),
        DirError::NotDir(at) => format!("{} is not a directory", at.display()),
        DirError::UserLink(at) => format!(
            "{} is a symbolic link owned by another user, which root does not follow; give the \
             real path",
            at.display()
        ),
        DirError::Io(at, e) => format!("cannot reach {}: {}", at.display(), describe(&e)),
    }
}

/// The directory a path names a file in (`.` for a bare file name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

// Modes, owners and links are Unix's.
#[cfg(unix)]
#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::{self, Permissions};

    #[test]
    fn a_bare_file_name_goes_into_the_current_directory() {
        assert_eq!(parent_of(Path::new("x")), PathBuf::from("."));
        assert_eq!(parent_of(Path::new("a/x")), PathBuf::from("a"));
        assert_eq!(parent_of(Path::new("/x")), PathBuf::from("/"));
    }

    fn write(path: &Path, contents: &[u8], options: Options) -> Result<(), FileError> {
        Target::open(path, options)?.prepare()?.commit(contents)
    }
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
    fn create_parent_makes_one_private_directory() {
        let d = dir();
        let path = d.path().join(".ssh").join("authorized_keys");
        assert!(
            Target::open_if_dir(&path, Options::PRIVATE)
                .unwrap()
                .is_none()
        );
        Target::open_making_dir(&path, Options::PRIVATE).unwrap();
        assert_eq!(mode_bits(&d.path().join(".ssh")), 0o700);
        Target::open_making_dir(&path, Options::PRIVATE).unwrap();
        let deep = d.path().join("a").join("b").join("file");
        let e = Target::open_making_dir(&deep, Options::PRIVATE).unwrap_err();
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
        Target::open_making_dir(&path, Options::PRIVATE)
            .and_then(|t| t.prepare()?.commit(b"k\n"))
            .unwrap();
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
