//! The system calls of [`super`] on Unix: directories opened once and then used as handles, so
//! that every later step (look, read, create, rename, remove) happens in the directory first
//! opened, whatever is renamed or swapped for a link meanwhile. The calls are rustix's.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStringExt;
use std::path::{Component, Path, PathBuf};

use rustix::fs::{AtFlags, FileType, Mode, OFlags};

use super::meta::{Kind, Meta};

/// The most symbolic links followed on the way to one directory (the kernel's own limit).
const MAX_LINKS: usize = 40;

/// How a directory on the way is opened: on Linux as a bare handle (`O_PATH`), which needs no
/// read permission and never opens a device or a FIFO; elsewhere for reading, without blocking.
#[cfg(any(target_os = "linux", target_os = "android"))]
const HANDLE: OFlags = OFlags::PATH.union(OFlags::CLOEXEC);
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const HANDLE: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NONBLOCK)
    .union(OFlags::CLOEXEC);

/// A directory held open: every file operation of this module is relative to one.
pub type Dir = OwnedFd;

// The field types of `stat` differ between systems; the casts are no-ops on some.
#[allow(clippy::unnecessary_cast)]
fn meta_of(st: &rustix::fs::Stat) -> Meta {
    let kind = match FileType::from_raw_mode(st.st_mode as _) {
        FileType::RegularFile => Kind::File,
        FileType::Directory => Kind::Dir,
        FileType::Symlink => Kind::Link,
        _ => Kind::Other,
    };
    Meta {
        kind,
        uid: st.st_uid as u32,
        gid: st.st_gid as u32,
        mode: st.st_mode as u32 & 0o7777,
        size: st.st_size as u64,
        dev: st.st_dev as u64,
        ino: st.st_ino as u64,
    }
}

/// Whether imds runs as root, the one caller that can write into other users' directories
/// and give files away.
pub fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// Why a directory could not be opened.
#[derive(Debug)]
pub enum DirError {
    /// This directory on the way does not exist; `true` when it is the last one to open.
    Missing(PathBuf, bool),
    /// This entry on the way is not a directory.
    NotDir(PathBuf),
    /// This symbolic link on the way belongs to a user other than root, and root is walking.
    UserLink(PathBuf),
    /// Anything else, at this point of the way.
    Io(PathBuf, io::Error),
}

/// One part of a path still to walk.
enum Part {
    Root,
    Parent,
    Name(OsString),
}

fn parts_of(path: &Path) -> Vec<Part> {
    path.components()
        .filter_map(|c| match c {
            Component::RootDir => Some(Part::Root),
            Component::ParentDir => Some(Part::Parent),
            Component::Normal(name) => Some(Part::Name(name.to_os_string())),
            Component::CurDir | Component::Prefix(_) => None,
        })
        .collect()
}

/// Opens the directory `path`, one component at a time, never letting the kernel follow a
/// link by itself. A symbolic link on the way is read through its own handle and followed by
/// this walk; when `root_rule` holds (imds runs as root), a link owned by anyone but root ends
/// the walk: that user could point it elsewhere at any moment and choose where root writes.
/// The kernel's `fs.protected_symlinks` applies the same rule in sticky directories only.
pub fn open_dir(path: &Path, root_rule: bool) -> Result<Dir, DirError> {
    // Where the walk is, for messages: the path as named while no link has been followed.
    let mut at = PathBuf::new();
    let io_at = |at: &Path, e: io::Error| DirError::Io(at.to_path_buf(), e);
    let start = if path.has_root() { "/" } else { "." };
    let mut dir = open_handle(rustix::fs::CWD, OsStr::new(start)).map_err(|e| io_at(&at, e))?;
    let mut todo = parts_of(path);
    todo.reverse();
    let mut links = 0;
    while let Some(part) = todo.pop() {
        let name = match part {
            Part::Root => {
                at = PathBuf::from("/");
                dir = open_handle(rustix::fs::CWD, OsStr::new("/")).map_err(|e| io_at(&at, e))?;
                continue;
            }
            Part::Parent => {
                at.push("..");
                dir = open_handle(&dir, OsStr::new("..")).map_err(|e| io_at(&at, e))?;
                continue;
            }
            Part::Name(name) => name,
        };
        at.push(&name);
        // On Linux a link opens as itself (`O_PATH | O_NOFOLLOW`) and is read through that
        // handle, so the link read is the link whose owner was checked. Elsewhere opening it
        // fails and it is looked at by name (a narrower guarantee).
        let (meta, entry) = match open_handle(&dir, &name) {
            Ok(fd) => (fstat(&fd).map_err(|e| io_at(&at, e))?, Some(fd)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(DirError::Missing(at, todo.is_empty()));
            }
            Err(e) => match stat_at(&dir, &name) {
                Ok(Some(meta)) if meta.kind != Kind::Dir => (meta, None),
                _ => return Err(io_at(&at, e)),
            },
        };
        match (meta.kind, entry) {
            (Kind::Dir, Some(fd)) => dir = fd,
            (Kind::Link, entry) => {
                let target = match &entry {
                    Some(link) => rustix::fs::readlinkat(link, "", Vec::new()),
                    None => rustix::fs::readlinkat(&dir, &name, Vec::new()),
                }
                .map_err(|e| io_at(&at, e.into()))?;
                let target = PathBuf::from(OsString::from_vec(target.into_bytes()));
                follow(&mut todo, &mut links, root_rule, meta.uid, &target, &at)?;
                at.pop();
            }
            _ => return Err(DirError::NotDir(at)),
        }
    }
    Ok(dir)
}

/// Queues a link's target in place of the link.
fn follow(
    todo: &mut Vec<Part>,
    links: &mut usize,
    root_rule: bool,
    owner: u32,
    target: &Path,
    at: &Path,
) -> Result<(), DirError> {
    if root_rule && owner != 0 {
        return Err(DirError::UserLink(at.to_path_buf()));
    }
    *links += 1;
    if *links > MAX_LINKS {
        return Err(DirError::Io(
            at.to_path_buf(),
            io::Error::from(rustix::io::Errno::LOOP),
        ));
    }
    let mut more = parts_of(target);
    more.reverse();
    todo.extend(more);
    Ok(())
}

/// Opens one entry of `dir` without following it if it is a link.
fn open_handle<Fd: AsFd>(dir: Fd, name: &OsStr) -> io::Result<OwnedFd> {
    Ok(rustix::fs::openat(
        dir,
        name,
        HANDLE | OFlags::NOFOLLOW,
        Mode::empty(),
    )?)
}

pub fn fstat<Fd: AsFd>(fd: Fd) -> io::Result<Meta> {
    Ok(meta_of(&rustix::fs::fstat(fd)?))
}

/// What `name` in `dir` is, without following a link; `None` when there is nothing.
pub fn stat_at(dir: &Dir, name: &OsStr) -> io::Result<Option<Meta>> {
    match rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(st) => Ok(Some(meta_of(&st))),
        Err(rustix::io::Errno::NOENT) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Opens `name` in `dir` for reading: never through a link (`ELOOP`), never waiting for a
/// FIFO's writer, never becoming a terminal's controlling process.
pub fn open_read<Fd: AsFd>(dir: Fd, name: &OsStr, nofollow: bool) -> io::Result<File> {
    let mut flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    if nofollow {
        flags |= OFlags::NOFOLLOW;
    }
    Ok(File::from(rustix::fs::openat(
        dir,
        name,
        flags,
        Mode::empty(),
    )?))
}

/// Opens an input file by its path, following links, for reading as [`open_read`] does.
pub fn open_input(path: &Path) -> io::Result<File> {
    open_read(rustix::fs::CWD, path.as_os_str(), false)
}

/// Whether opening failed because the name is a symbolic link (`O_NOFOLLOW`).
pub fn is_link_error(e: &io::Error) -> bool {
    e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
}

/// Creates `name` in `dir`, exclusively (never through a link, never an existing file), for
/// writing, with `mode` before the umask.
pub fn create_new(dir: &Dir, name: &OsStr, mode: u32) -> io::Result<File> {
    let flags = OFlags::WRONLY
        | OFlags::CREATE
        | OFlags::EXCL
        | OFlags::NOFOLLOW
        | OFlags::NOCTTY
        | OFlags::CLOEXEC;
    Ok(File::from(rustix::fs::openat(
        dir,
        name,
        flags,
        Mode::from_raw_mode(mode as _),
    )?))
}

/// Makes the directory `name` in `dir` and opens it; it must then be a directory that this
/// process owns, or someone put something else in its place between the two calls.
pub fn make_dir(dir: &Dir, name: &OsStr, mode: u32) -> io::Result<Dir> {
    rustix::fs::mkdirat(dir, name, Mode::from_raw_mode(mode as _))?;
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let made = rustix::fs::openat(dir, name, flags, Mode::empty())?;
    let meta = fstat(&made)?;
    if meta.kind != Kind::Dir || meta.uid != rustix::process::geteuid().as_raw() {
        return Err(io::Error::other("it was replaced as it was made"));
    }
    Ok(made)
}

pub fn rename(dir: &Dir, from: &OsStr, to: &OsStr) -> io::Result<()> {
    Ok(rustix::fs::renameat(dir, from, dir, to)?)
}

pub fn remove(dir: &Dir, name: &OsStr) -> io::Result<()> {
    Ok(rustix::fs::unlinkat(dir, name, AtFlags::empty())?)
}

/// Syncs the directory itself (best effort: a handle opened for reading, since a bare `O_PATH`
/// handle cannot be synced).
pub fn sync_dir(dir: &Dir) {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    if let Ok(fd) = rustix::fs::openat(dir, ".", flags, Mode::empty()) {
        let _ = rustix::fs::fsync(fd);
    }
}

/// Gives an open file or directory this owner (only root can, and only root is asked to).
pub fn set_owner<Fd: AsFd>(fd: Fd, uid: u32, gid: u32) -> io::Result<()> {
    use rustix::fs::{Gid, Uid};
    Ok(rustix::fs::fchown(
        fd,
        Some(Uid::from_raw(uid)),
        Some(Gid::from_raw(gid)),
    )?)
}

pub fn set_mode<Fd: AsFd>(fd: Fd, mode: u32) -> io::Result<()> {
    Ok(rustix::fs::fchmod(fd, Mode::from_raw_mode(mode as _))?)
}
