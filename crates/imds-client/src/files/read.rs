//! Reading a file a user names as input (`--csr`, `--cacert`, an `authorized_keys` file before
//! it is merged): a regular file only, opened without waiting (a FIFO would hang the run), its
//! size checked on the open file before a byte is read (`/dev/zero` never ends), and read no
//! further than the cap.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::error::{FileError, describe, size_words};
use super::meta::{Kind, Meta};
use super::sys;

/// Reads `path` (following links: an input file is only read) when it is a regular file of at
/// most `cap` bytes.
pub fn read_input(path: &Path, cap: u64) -> Result<Vec<u8>, FileError> {
    let fail = |why: String| FileError::new("read", path, why);
    let file = sys::open_input(path).map_err(|e| fail(describe(&e)))?;
    let meta = sys::fstat(&file).map_err(|e| fail(describe(&e)))?;
    read_capped(file, &meta, cap).map_err(fail)
}

/// The content of an open file, when it is a regular file of at most `cap` bytes.
pub(super) fn read_capped(file: File, meta: &Meta, cap: u64) -> Result<Vec<u8>, String> {
    match meta.kind {
        Kind::File => {}
        Kind::Dir => return Err("it is a directory".to_string()),
        _ => return Err("it is not a regular file".to_string()),
    }
    let too_large = || format!("it is larger than {}", size_words(cap));
    if meta.size > cap {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.size as usize);
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| describe(&e))?;
    if bytes.len() as u64 > cap {
        return Err(too_large());
    }
    Ok(bytes)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_a_device_and_a_directory_are_refused_at_once() {
        let d = tempfile::tempdir().unwrap();
        let fifo = d.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        for (path, why) in [
            (fifo.as_path(), "it is not a regular file"),
            (Path::new("/dev/zero"), "it is not a regular file"),
            (d.path(), "it is a directory"),
        ] {
            let e = read_input(path, 10).unwrap_err();
            assert_eq!(e.why, why, "{}", path.display());
        }
    }

    #[test]
    fn a_file_over_the_cap_is_refused_and_one_at_it_is_read() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("f");
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read_input(&path, 10).unwrap(), b"0123456789");
        let e = read_input(&path, 9).unwrap_err();
        assert_eq!(e.why, "it is larger than 9 bytes");
        assert!(e.to_string().starts_with("cannot read "), "{e}");
    }
}
