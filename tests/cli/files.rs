//! The files imds reads and writes at a user's word, as root would meet them at boot: a user
//! swapping directories for links while root writes, other users' files in shared directories,
//! inputs that are FIFOs, devices or too large, and options that would overwrite each other.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::support::{self, Mock};

/// The user a test hands files to (`nobody`).
const USER: u32 = 65534;

fn tempdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

fn chown(path: &Path, uid: u32) {
    std::os::unix::fs::lchown(path, Some(uid), Some(uid)).unwrap();
}

/// Every entry under `dir`, as paths relative to it, sorted.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(base).unwrap().display().to_string());
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                walk(base, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Runs `cmd`, killing it if it has not ended in 10 s (a FIFO read would hang for ever).
fn run_bounded(cmd: &mut Command) -> std::process::Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(10) {
            child.kill().unwrap();
            panic!("still running after 10 s: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

/// Fails with exit `code`, nothing on stdout and one `imds:` line naming `words` on stderr.
fn refused(out: &std::process::Output, code: i32, words: &str) {
    let err = support::stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(out.stdout.is_empty(), "{}", support::stdout(out));
    assert!(err.starts_with("imds: "), "{err}");
    assert!(err.contains(words), "{words:?} not in {err}");
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

// ---- the race: a directory swapped for a link while root writes ----

/// While root merges keys into `home/.ssh/authorized_keys` (and writes `-o home/.ssh/out`),
/// the user who owns `home` swaps `.ssh` with a link of theirs to root's own directory, as
/// fast as the kernel lets them (`renameat2(RENAME_EXCHANGE)`). Whatever the timing, root
/// writes into the user's real directory or refuses: root's directory and file never change,
/// and no temporary file is left anywhere.
#[test]
fn a_directory_swapped_for_a_link_never_redirects_roots_writes() {
    if !support::root_or_skip("a_directory_swapped_for_a_link_never_redirects_roots_writes") {
        return;
    }
    const RUNS: usize = 300;
    let mock = Mock::new();
    let base = tempdir();
    let victim = base.path().join("victim");
    fs::create_dir(&victim).unwrap();
    fs::set_permissions(&victim, fs::Permissions::from_mode(0o700)).unwrap();
    let roots = victim.join("authorized_keys");
    fs::write(&roots, "# root's own key\n").unwrap();
    fs::set_permissions(&roots, fs::Permissions::from_mode(0o600)).unwrap();
    let before = fs::metadata(&roots).unwrap();

    let home = base.path().join("home");
    let ssh = home.join(".ssh");
    fs::create_dir_all(&ssh).unwrap();
    let theirs = ssh.join("authorized_keys");
    fs::write(&theirs, "# the user's own key\n").unwrap();
    let decoy = home.join("decoy");
    std::os::unix::fs::symlink(&victim, &decoy).unwrap();
    for path in [&home, &ssh, &theirs, &decoy] {
        chown(path, USER);
    }

    let stop = Arc::new(AtomicBool::new(false));
    let swaps = {
        let (stop, home) = (stop.clone(), home.clone());
        std::thread::spawn(move || {
            use rustix::fs::{CWD, RenameFlags, renameat_with};
            let (a, b) = (home.join(".ssh"), home.join("decoy"));
            let mut swaps = 0u64;
            while !stop.load(Ordering::Relaxed) {
                renameat_with(CWD, &a, CWD, &b, RenameFlags::EXCHANGE).unwrap();
                swaps += 1;
            }
            swaps
        })
    };
    let start = Instant::now();
    let (mut written, mut refused) = (0, 0);
    for run in 0..RUNS {
        let mut cmd = mock.imds();
        if run % 2 == 0 {
            cmd.args(["keys", "--authorized-keys"]).arg(&theirs);
        } else {
            cmd.args(["instance", "--field", "name", "-o"])
                .arg(ssh.join("out"));
        }
        let out = support::run(&mut cmd);
        match out.status.code() {
            Some(0) => written += 1,
            Some(1) => refused += 1,
            other => panic!("run {run}: {other:?} {}", support::stderr(&out)),
        }
    }
    stop.store(true, Ordering::Relaxed);
    let swaps = swaps.join().unwrap();
    eprintln!(
        "{RUNS} runs against {swaps} swaps in {:.1} s: {written} written, {refused} refused",
        start.elapsed().as_secs_f64()
    );
    // Put the real directory back under its name.
    if fs::symlink_metadata(&ssh).unwrap().file_type().is_symlink() {
        rustix::fs::renameat_with(
            rustix::fs::CWD,
            &ssh,
            rustix::fs::CWD,
            &decoy,
            rustix::fs::RenameFlags::EXCHANGE,
        )
        .unwrap();
    }

    let after = fs::metadata(&roots).unwrap();
    assert_eq!(fs::read_to_string(&roots).unwrap(), "# root's own key\n");
    assert_eq!(
        (after.ino(), after.uid(), after.mode()),
        (before.ino(), before.uid(), before.mode())
    );
    assert_eq!(tree(&victim), ["authorized_keys"]);
    assert_eq!(
        tree(base.path()),
        [
            "home",
            "home/.ssh",
            "home/.ssh/authorized_keys",
            "home/.ssh/out",
            "home/decoy",
            "victim",
            "victim/authorized_keys",
        ]
    );
    let merged = fs::read_to_string(&theirs).unwrap();
    assert!(merged.starts_with("# the user's own key\n"), "{merged}");
    assert_eq!(fs::metadata(&theirs).unwrap().uid(), USER);
    assert!(written > 0, "every run was refused");
}

// ---- root and other users' files in shared directories ----

/// As the kernel's `fs.protected_regular` does for `>`: in a sticky directory others may
/// write in, root does not write into a file another user owns (and may have made writable to
/// all, or linked elsewhere later); its own files there it replaces.
#[test]
fn as_root_another_users_file_in_a_sticky_shared_directory_is_refused() {
    if !support::root_or_skip("as_root_another_users_file_in_a_sticky_shared_directory_is_refused")
    {
        return;
    }
    let mock = Mock::new();
    let base = tempdir();
    let shared = base.path().join("tmp");
    fs::create_dir(&shared).unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o1777)).unwrap();
    let planted = shared.join("planted");
    fs::write(&planted, "theirs").unwrap();
    fs::set_permissions(&planted, fs::Permissions::from_mode(0o666)).unwrap();
    chown(&planted, USER);

    let out = support::run(mock.imds().args(["instance", "-o"]).arg(&planted));
    refused(&out, 1, "belongs to another user");
    let out = support::run(
        mock.imds()
            .args(["cert", "--key-type", "ec-p256", "--force", "--key-out"])
            .arg(&planted),
    );
    refused(&out, 1, "belongs to another user");
    assert_eq!(mock.count("POST /identity/v1/certificates"), 0);
    let out = Command::new(support::IMDS_MOCK)
        .args(["--port", "0", "--ca-out"])
        .arg(&planted)
        .env_clear()
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", support::stderr(&out));
    assert!(support::stderr(&out).contains("belongs to another user"));
    assert_eq!(fs::read_to_string(&planted).unwrap(), "theirs");
    assert_eq!(fs::metadata(&planted).unwrap().uid(), USER);
    assert_eq!(tree(&shared), ["planted"]);

    // Root's own file there, and a new one, it writes.
    let own = shared.join("own");
    fs::write(&own, "old").unwrap();
    support::ok(mock.imds().args(["instance", "-o"]).arg(&own));
    support::ok(mock.imds().args(["instance", "-o"]).arg(shared.join("new")));
    assert_eq!(tree(&shared), ["new", "own", "planted"]);
}

// ---- inputs: regular files of a bounded size, checked before they are read ----

#[test]
fn authorized_keys_that_are_a_fifo_a_device_or_too_large_are_refused() {
    let mock = Mock::new();
    let dir = tempdir();
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    let large = dir.path().join("large");
    fs::write(&large, "#".repeat((1 << 20) + 1)).unwrap();
    for (path, words) in [
        (fifo.as_path(), "not a regular file"),
        (Path::new("/dev/zero"), "not a regular file"),
        (large.as_path(), "larger than 1 MiB"),
    ] {
        let out = run_bounded(mock.imds().args(["keys", "--authorized-keys"]).arg(path));
        refused(&out, 1, words);
    }
    assert_eq!(fs::metadata(&large).unwrap().len(), (1 << 20) + 1);
}

/// A link is refused for reading as for writing: it was read, and refused only when a key had
/// to be written, so the same command succeeded or failed by what the link's target held.
#[test]
fn authorized_keys_through_a_link_are_refused_even_when_nothing_is_added() {
    let mock = Mock::new();
    let dir = tempdir();
    let real = dir.path().join("real");
    let keys = support::ok(mock.imds().args(["keys", "--field", "public_key"]));
    fs::write(&real, &keys).unwrap();
    let link = dir.path().join("authorized_keys");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = support::run(mock.imds().args(["keys", "--authorized-keys"]).arg(&link));
    refused(&out, 1, "symbolic link");
    assert_eq!(fs::read_to_string(&real).unwrap(), keys);
}

#[test]
fn cert_csr_that_is_a_fifo_a_device_or_too_large_is_refused_before_any_request() {
    let mock = Mock::new();
    let dir = tempdir();
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    let large = dir.path().join("large.csr");
    fs::write(&large, "x".repeat((64 << 10) + 1)).unwrap();
    for (path, words) in [
        (fifo.as_path(), "not a regular file"),
        (Path::new("/dev/zero"), "not a regular file"),
        (large.as_path(), "larger than 64 KiB"),
        (dir.path(), "is a directory"),
    ] {
        let out = run_bounded(mock.imds().args(["cert", "--csr"]).arg(path));
        refused(&out, 1, words);
    }
    assert_eq!(mock.count("PUT /identity/v1/token"), 0);
}

// ---- options that would overwrite each other ----

#[test]
fn output_with_authorized_keys_is_a_usage_error_and_the_file_stays() {
    let mock = Mock::new();
    let dir = tempdir();
    let path = dir.path().join("authorized_keys");
    fs::write(&path, "# mine\n").unwrap();
    for args in [
        vec!["-o", "FILE", "keys", "--authorized-keys", "FILE"],
        vec!["keys", "--authorized-keys", "FILE", "-o", "other"],
    ] {
        let args: Vec<PathBuf> = args
            .iter()
            .map(|a| match *a {
                "FILE" => path.clone(),
                "other" => dir.path().join("other"),
                a => PathBuf::from(a),
            })
            .collect();
        let out = support::run(mock.imds().args(&args));
        refused(&out, 2, "--authorized-keys");
    }
    assert_eq!(fs::read_to_string(&path).unwrap(), "# mine\n");
    assert_eq!(tree(dir.path()), ["authorized_keys"]);
    assert_eq!(mock.count("GET /metadata/v1/keys"), 0);
}

/// `-o` gets the chain and `--key-out` the new key: one file for both would lose the key.
#[test]
fn output_and_key_out_naming_one_file_is_a_usage_error() {
    let mock = Mock::new();
    let dir = tempdir();
    let key = dir.path().join("key.pem");
    let out = support::run(
        mock.imds()
            .args(["cert", "--key-type", "ec-p256", "--key-out"])
            .arg(&key)
            .arg("-o")
            .arg(dir.path().join(".").join("key.pem")),
    );
    refused(&out, 2, "same file");
    // Two names of one file (a hard link) are one file too.
    fs::write(&key, "old key").unwrap();
    let other = dir.path().join("chain.pem");
    fs::hard_link(&key, &other).unwrap();
    let out = support::run(
        mock.imds()
            .args(["cert", "--key-type", "ec-p256", "--force", "--key-out"])
            .arg(&key)
            .arg("-o")
            .arg(&other),
    );
    refused(&out, 2, "same file");
    assert_eq!(fs::read_to_string(&key).unwrap(), "old key");
    assert_eq!(tree(dir.path()), ["chain.pem", "key.pem"]);
    assert_eq!(mock.count("POST /identity/v1/certificates"), 0);
}

/// A key file that cannot be written is known before the request: no certificate is issued
/// for a key that is then thrown away.
#[test]
fn cert_key_out_that_cannot_be_written_costs_no_certificate() {
    let mock = Mock::new();
    let dir = tempdir();
    let not_a_dir = dir.path().join("file");
    fs::write(&not_a_dir, "").unwrap();
    for (path, words) in [
        (dir.path().join("missing").join("key.pem"), "does not exist"),
        (not_a_dir.join("key.pem"), "not a directory"),
        (dir.path().to_path_buf(), "is a directory"),
    ] {
        let out = support::run(
            mock.imds()
                .args(["cert", "--key-type", "ec-p256", "--force", "--key-out"])
                .arg(&path),
        );
        refused(&out, 1, words);
    }
    assert_eq!(mock.count("POST /identity/v1/certificates"), 0);
    assert_eq!(tree(dir.path()), ["file"]);
}
