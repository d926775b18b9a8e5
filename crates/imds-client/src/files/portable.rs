//! The operations of [`super`] where there are no directory handles to hold (Windows): by
//! path, with the platform's own rules for owners and permissions (a new file takes its
//! folder's ACL). The same names and shapes as the Unix version, so the callers are one.

use std::collections::hash_map::DefaultHasher;
use std::ffi::OsStr;
use std::fs::{self, File};
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};

/// A directory, by its path.
pub type Dir = PathBuf;

use super::meta::{Kind, Meta, NEW_FILE_MODE};

/// What the platform says of an entry; `ino` is a hash of the canonical path, which is what
/// tells two names of one file apart here.
fn meta_of(meta: &fs::Metadata, path: Option<&Path>) -> Meta {
    let kind = match meta.file_type() {
        t if t.is_symlink() => Kind::Link,
        t if t.is_file() => Kind::File,
        t if t.is_dir() => Kind::Dir,
        _ => Kind::Other,
    };
    let mut hasher = DefaultHasher::new();
    path.and_then(|p| fs::canonicalize(p).ok())
        .hash(&mut hasher);
    Meta {
        kind,
        uid: 0,
        gid: 0,
        mode: NEW_FILE_MODE,
        size: meta.len(),
        dev: 0,
        ino: hasher.finish(),
    }
}

pub fn is_root() -> bool {
    false
}

#[derive(Debug)]
pub enum DirError {
    Missing(PathBuf, bool),
    NotDir(PathBuf),
    #[allow(dead_code)]
    UserLink(PathBuf),
    Io(PathBuf, io::Error),
}

pub fn open_dir(path: &Path, _root_rule: bool) -> Result<Dir, DirError> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Ok(path.to_path_buf()),
        Ok(_) => Err(DirError::NotDir(path.to_path_buf())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            Err(DirError::Missing(path.to_path_buf(), true))
        }
        Err(e) => Err(DirError::Io(path.to_path_buf(), e)),
    }
}

/// What a file or directory is.
pub trait Statable {
    fn meta(&self) -> io::Result<Meta>;
}

impl Statable for File {
    fn meta(&self) -> io::Result<Meta> {
        Ok(meta_of(&self.metadata()?, None))
    }
}

impl Statable for PathBuf {
    fn meta(&self) -> io::Result<Meta> {
        Ok(meta_of(&fs::metadata(self)?, Some(self)))
    }
}

pub fn fstat<T: Statable>(it: &T) -> io::Result<Meta> {
    it.meta()
}

pub fn stat_at(dir: &Dir, name: &OsStr) -> io::Result<Option<Meta>> {
    let path = dir.join(name);
    match fs::symlink_metadata(&path) {
        Ok(meta) => Ok(Some(meta_of(&meta, Some(&path)))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn open_read(dir: &Dir, name: &OsStr, nofollow: bool) -> io::Result<File> {
    let path = dir.join(name);
    if nofollow && fs::symlink_metadata(&path)?.file_type().is_symlink() {
        return Err(io::Error::other(LINK));
    }
    File::open(path)
}

/// What [`open_read`] says of a link it does not follow.
const LINK: &str = "symbolic link";

pub fn is_link_error(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Other && e.to_string() == LINK
}

pub fn open_input(path: &Path) -> io::Result<File> {
    File::open(path)
}

pub fn create_new(dir: &Dir, name: &OsStr, _mode: u32) -> io::Result<File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dir.join(name))
}

pub fn make_dir(dir: &Dir, name: &OsStr, _mode: u32) -> io::Result<Dir> {
    let made = dir.join(name);
    fs::create_dir(&made)?;
    Ok(made)
}

pub fn rename(dir: &Dir, from: &OsStr, to: &OsStr) -> io::Result<()> {
    fs::rename(dir.join(from), dir.join(to))
}

pub fn remove(dir: &Dir, name: &OsStr) -> io::Result<()> {
    fs::remove_file(dir.join(name))
}

pub fn sync_dir(_dir: &Dir) {}

pub fn set_owner<T>(_it: &T, _uid: u32, _gid: u32) -> io::Result<()> {
    Ok(())
}

pub fn set_mode<T>(_it: &T, _mode: u32) -> io::Result<()> {
    Ok(())
}
