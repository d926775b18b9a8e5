//! Tests for what boot scripts use: `--shell` (evaluated by real shells), `--default`, columns
//! and NUL, `-o` files, `keys --authorized-keys`, and `snapshot` round trips through the
//! emulator.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::support::{self, Mock};

/// A value for every kind of trouble a shell could get into.
const HOSTILE: &[(&str, &str)] = &[
    ("quotes", "it's \"double\" and 'single'' ''"),
    (
        "subst",
        "$(touch pwned) `touch pwned` ${HOME} $HOME $((1+1))",
    ),
    ("lines", "\nfirst\n\n  second\r\nthird\n\n"),
    (
        "binary",
        "\u{1}\u{2}\u{7}\u{8}\u{1b}[31mred\u{1b}[0m\u{7f}\u{80}\u{ff}\t\\x00\\0 \u{fffd}\u{10ffff}é😀",
    ),
    ("backslash", r"C:\new\table \\ \' \n"),
    ("dash", "-n"),
    ("glob", "* ? [a-z] ~ ~root !! %s %n"),
    ("empty", ""),
];

/// A fixture whose instance carries the [`HOSTILE`] values as the names of its volume
/// attachments, and strings with separators in them.
fn hostile_fixture(dir: &Path) -> PathBuf {
    let volumes: Vec<Value> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, (_, v))| json!({"id": format!("va-{i}"), "name": v}))
        .collect();
    let mut instance = json!({
        "id": "0717_hostile",
        "name": "tab\there",
        "crn": "line\nbreak",
        "status": "back\\slash and\rcr",
        "volume_attachments": volumes,
    });
    for (key, value) in HOSTILE {
        instance[format!("x_{key}")] = json!(value);
    }
    instance["x_nul"] = json!("before\u{0}after");
    let path = dir.join("hostile.json");
    fs::write(&path, json!({"instance": instance}).to_string()).unwrap();
    path
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// An emulator serving the fixture that `make` writes into a new temporary directory, and that
/// directory.
fn serve(make: fn(&Path) -> PathBuf) -> (tempfile::TempDir, Mock) {
    let dir = tempdir();
    let fixture = make(dir.path());
    let mock = Mock::start(&["--fixture", fixture.to_str().unwrap()]);
    (dir, mock)
}

/// An emulator serving `fixture`, written into a new temporary directory, and that directory.
fn serve_doc(fixture: &Value) -> (tempfile::TempDir, Mock) {
    let dir = tempdir();
    let path = dir.path().join("fixture.json");
    fs::write(&path, fixture.to_string()).unwrap();
    let mock = Mock::start(&["--fixture", path.to_str().unwrap()]);
    (dir, mock)
}

/// The shells to evaluate `--shell` output in: each that is installed of sh, dash, bash, zsh.
fn shells() -> Vec<&'static str> {
    let found: Vec<&str> = ["sh", "dash", "bash", "zsh"]
        .into_iter()
        .filter(|sh| {
            Command::new(sh)
                .args(["-c", "exit 0"])
                .status()
                .is_ok_and(|s| s.success())
        })
        .collect();
    assert!(found.contains(&"sh"), "no sh: {found:?}");
    found
}

/// The directory of the binaries, ahead of the caller's PATH, for `sh -c` scripts.
fn path_with_binaries() -> std::ffi::OsString {
    let bin_dir = Path::new(support::IMDS).parent().unwrap().to_path_buf();
    std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap()
}

/// Runs `script` with `shell -c` in `dir` against `mock`.
fn run_shell(shell: &str, script: &str, dir: &Path, mock: &Mock) -> std::process::Output {
    Command::new(shell)
        .args(["-c", script])
        .current_dir(dir)
        .env_clear()
        .env("PATH", path_with_binaries())
        .env("HOME", dir)
        .env("IMDS_ENDPOINT", &mock.url)
        .output()
        .unwrap()
}

// ---- --shell ----

#[test]
fn shell_prints_quoted_assignments() {
    let mock = Mock::new();
    let out = support::ok(mock.imds().args([
        "instance",
        "--shell",
        "zone=zone.name",
        "--shell",
        "profile=profile.name",
        "--shell",
        "cpus=vcpu.count",
        "--shell",
        "vcpu=vcpu",
    ]));
    assert_eq!(
        out,
        "zone='us-south-1'\nprofile='bx2d-2x8'\ncpus='2'\n\
         vcpu='{\"architecture\":\"amd64\",\"count\":2,\"manufacturer\":\"intel\"}'\n"
    );
}

#[test]
fn shell_works_on_every_command_that_prints_a_document() {
    let mock = Mock::new();
    let out = support::ok(mock.imds().args(["token", "--shell", "ttl=expires_in"]));
    assert_eq!(out, "ttl='300'\n");
    let out = support::ok(
        mock.imds()
            .args(["get", "keys", "--shell", "n=$.keys[0].name"]),
    );
    assert_eq!(out, "n='my-key1'\n");
    let out = support::run(
        mock.imds()
            .args(["init", "--user-data", "--shell", "u=user_data"]),
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn shell_on_a_list_joins_the_items_with_newlines() {
    let mock = Mock::new();
    let out =
        support::ok(
            mock.imds()
                .args(["keys", "--shell", "names=name", "--shell", "n=length"]),
        );
    assert_eq!(
        out,
        "names='my-key1\nmy-key2\nmy-ed25519-key'\nn='4096\n2048\n256'\n"
    );
    let out = support::ok(mock.imds().args(["keys", "--shell", "ids=$[*].id"]));
    assert_eq!(out.matches('\n').count(), 3, "{out}");
}

#[test]
fn shell_values_survive_eval_in_every_shell() {
    let (dir, mock) = serve(hostile_fixture);
    let vars: Vec<String> = HOSTILE
        .iter()
        .map(|(k, _)| format!("--shell {k}=x_{k}"))
        .collect();
    let writes: Vec<String> = HOSTILE
        .iter()
        .map(|(k, _)| format!("printf %s \"${k}\" > out.{k}"))
        .collect();
    let script = format!(
        "vars=$(imds instance {}) && eval \"$vars\" && {}",
        vars.join(" "),
        writes.join(" && ")
    );
    for shell in shells() {
        let out = run_shell(shell, &script, dir.path(), &mock);
        assert!(
            out.status.success(),
            "{shell}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for (k, v) in HOSTILE {
            let got = fs::read(dir.path().join(format!("out.{k}"))).unwrap();
            assert_eq!(String::from_utf8_lossy(&got), *v, "{shell}: {k}");
        }
        assert!(!dir.path().join("pwned").exists(), "{shell} ran a command");
    }
}

/// The [`HOSTILE`] values a list's item may hold under `--shell`: all but those with a newline,
/// which separates the items.
fn hostile_list_values() -> Vec<&'static str> {
    HOSTILE
        .iter()
        .map(|(_, v)| *v)
        .filter(|v| !v.contains('\n'))
        .collect()
}

/// A fixture whose volume attachments are named with [`hostile_list_values`].
fn hostile_list_fixture(dir: &Path) -> PathBuf {
    let volumes: Vec<Value> = hostile_list_values()
        .iter()
        .enumerate()
        .map(|(i, v)| json!({"id": format!("va-{i}"), "name": v}))
        .collect();
    let path = dir.join("hostile-list.json");
    let instance = json!({"id": "0717_hostile", "volume_attachments": volumes});
    fs::write(&path, json!({"instance": instance}).to_string()).unwrap();
    path
}

#[test]
fn shell_list_values_survive_eval() {
    let (dir, mock) = serve(hostile_list_fixture);
    let script = "vars=$(imds volumes --shell names=name) && eval \"$vars\" && \
                  printf %s \"$names\" > out";
    let want = hostile_list_values();
    for shell in shells() {
        let out = run_shell(shell, script, dir.path(), &mock);
        assert!(out.status.success(), "{shell}: {out:?}");
        let got = fs::read_to_string(dir.path().join("out")).unwrap();
        assert_eq!(got, want.join("\n"), "{shell}");
    }
}

#[test]
fn shell_refuses_a_value_with_nul_naming_the_field() {
    let (_dir, mock) = serve(hostile_fixture);
    let out = support::run(mock.imds().args([
        "instance",
        "--shell",
        "zone=name",
        "--shell",
        "bad=x_nul",
    ]));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = support::stderr(&out);
    assert!(err.starts_with("imds: "), "{err}");
    assert!(
        err.contains("bad") && err.contains("x_nul") && err.contains("NUL"),
        "{err}"
    );
    // -0 cannot carry a NUL either, so the hint does not send the reader there.
    assert!(!err.contains("-0"), "{err}");
}

#[test]
fn shell_on_a_list_refuses_a_value_holding_a_newline() {
    let (_dir, mock) = serve(hostile_fixture);
    for args in [
        &["volumes", "--shell", "names=name"][..],
        &["volumes", "--shell", "names=$[*].name"],
        &["instance", "--shell", "names=$.volume_attachments[*].name"],
    ] {
        let err = support::fails(mock.imds().args(args), 1);
        assert!(
            err.contains("names") && err.contains("newline"),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().count(), 2, "{args:?}: {err}");
    }
    // One value of one document is one variable's whole value, newlines and all.
    let out = support::ok(mock.imds().args(["instance", "--shell", "v=x_lines"]));
    assert_eq!(out, "v='\nfirst\n\n  second\r\nthird\n\n'\n");
}

#[test]
fn shell_usage_errors_are_exit_2_before_any_request() {
    for args in [
        &["instance", "--shell", "1zone=zone.name"][..],
        &["instance", "--shell", "my-zone=zone.name"],
        &["instance", "--shell", "zone"],
        &["instance", "--shell", "zone="],
        &["instance", "--shell", "zone=a..b"],
        &["instance", "--shell", "zone=zone.name", "-0"],
        &["instance", "--shell", "zone=zone.name", "--field", "name"],
        &["instance", "--field", "name", "--shell", "zone=zone.name"],
    ] {
        let out = support::run(support::imds().args(args));
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            support::stderr(&out)
        );
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = support::stderr(&out);
        assert!(
            err.starts_with("imds: ") && !err.contains("error:"),
            "{args:?}: {err}"
        );
    }
}

/// Names `--shell` refuses: a sample of those sh, dash, bash or zsh give a meaning of their own.
#[rustfmt::skip]
const SHELL_NAMES: &[&str] = &[
    "PATH", "IFS", "ENV", "BASH_ENV", "CDPATH", "PS1", "PS2", "PS3", "PS4", "HOME", "SHELL",
    "LD_PRELOAD", "LD_LIBRARY_PATH", "DYLD_INSERT_LIBRARIES", "UID", "EUID", "PPID", "status",
    "path", "fpath", "cdpath", "argv", "SHELLOPTS", "BASHOPTS", "BASH_XTRACEFD", "BASH_COMPAT",
    "POSIXLY_CORRECT", "PROMPT_COMMAND", "OPTIND", "OPTARG", "GLOBIGNORE", "HISTFILE", "MAIL",
    "MAILPATH", "TMOUT", "ZDOTDIR", "FPATH", "MANPATH", "module_path", "pipestatus", "RANDOM",
    "SECONDS", "LINENO", "GROUPS", "PWD", "OLDPWD", "TERM", "LC_ALL", "LANG", "_",
];

#[test]
fn shell_refuses_names_the_shell_gives_a_meaning_before_any_request() {
    let mock = Mock::new();
    for name in SHELL_NAMES {
        let var = format!("{name}=zone.name");
        let err = support::fails(mock.imds().args(["instance", "--shell", &var]), 2);
        assert!(
            err.contains(&format!("'{name}'")) && !err.contains("error:"),
            "{name}: {err}"
        );
        assert_eq!(err.lines().count(), 2, "{name}: {err}");
    }
    assert_eq!(mock.counts()["total"], 0);
    // Names that merely look like them are the user's.
    let out = support::ok(mock.imds().args([
        "instance",
        "--shell",
        "zone_path=zone.name",
        "--shell",
        "Path=zone.name",
        "--shell",
        "home_dir=zone.name",
    ]));
    assert_eq!(out.lines().count(), 3, "{out}");
}

#[test]
fn shell_field_not_found_is_exit_6_and_default_fills_in() {
    let mock = Mock::new();
    let out = support::run(
        mock.imds()
            .args(["nics", "--shell", "fip=floating_ips[0].address"]),
    );
    assert_eq!(out.status.code(), Some(6), "{}", support::stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(
        support::stderr(&out).contains("\nhint: other items have it: give --default TEXT"),
        "{}",
        support::stderr(&out)
    );
    let out = support::ok(mock.imds().args([
        "nics",
        "--shell",
        "fip=floating_ips[0].address",
        "--shell",
        "name=name",
        "--default",
        "none",
    ]));
    assert_eq!(
        out,
        "fip='169.63.112.150\nnone'\nname='my-network-interface\nmy-second-network-interface'\n"
    );
}

// ---- --default ----

#[test]
fn default_replaces_a_missing_field_per_item() {
    let mock = Mock::new();
    let out = support::ok(mock.imds().args([
        "nics",
        "--field",
        "floating_ips[0].address",
        "--default",
        "",
    ]));
    assert_eq!(out, "169.63.112.150\n\n");
    let out = support::ok(mock.imds().args([
        "nics",
        "--field",
        "name",
        "--field",
        "floating_ips[0].address",
        "--default",
        "-",
    ]));
    assert_eq!(
        out,
        "my-network-interface\t169.63.112.150\nmy-second-network-interface\t-\n"
    );
    let out = support::ok(
        mock.imds()
            .args(["instance", "--field", "$.nope", "--default", "x y"]),
    );
    assert_eq!(out, "x y\n");
    // Without --default the same field is exit 6, as before.
    let out = support::run(
        mock.imds()
            .args(["nics", "--field", "floating_ips[0].address"]),
    );
    assert_eq!(out.status.code(), Some(6));
}

#[test]
fn default_does_not_hide_other_failures() {
    let mock = Mock::new();
    let out = support::run(
        mock.imds()
            .args(["keys", "nope", "--field", "name", "--default", "x"]),
    );
    assert_eq!(out.status.code(), Some(3));
    let out = support::run(support::imds().args(["instance", "--default", "x"]));
    assert_eq!(out.status.code(), Some(2), "{}", support::stderr(&out));
}

// ---- columns and NUL ----

#[test]
fn columns_escape_separators_as_jq_tsv() {
    let (_dir, mock) = serve(hostile_fixture);
    let out = support::ok(mock.imds().args([
        "instance", "--field", "name", "--field", "crn", "--field", "status", "--field", "id",
    ]));
    assert_eq!(
        out,
        "tab\\there\tline\\nbreak\tback\\\\slash and\\rcr\t0717_hostile\n"
    );
    // One field stays raw, as `jq -r`.
    let out = support::ok(mock.imds().args(["instance", "--field", "name"]));
    assert_eq!(out, "tab\there\n");
}

#[test]
fn null_ends_every_value_with_nul_and_leaves_it_raw() {
    let (_dir, mock) = serve(hostile_fixture);
    let out = support::run(mock.imds().args([
        "-0", "instance", "--field", "name", "--field", "crn", "--field", "status",
    ]));
    assert_eq!(out.stdout, b"tab\there\0line\nbreak\0back\\slash and\rcr\0");
    let out = support::run(
        Mock::new()
            .imds()
            .args(["-0", "keys", "--field", "name", "--field", "length"]),
    );
    assert_eq!(
        out.stdout,
        b"my-key1\x004096\0my-key2\x002048\0my-ed25519-key\x00256\0"
    );
}

#[test]
fn null_refuses_a_value_holding_nul() {
    let (_dir, mock) = serve(hostile_fixture);
    for args in [
        &["-0", "instance", "--field", "x_nul"][..],
        &["-0", "instance", "--field", "name", "--field", "x_nul"],
        &["instance", "--null", "--field", "$.x_nul"],
    ] {
        let err = support::fails(mock.imds().args(args), 1);
        assert!(
            err.contains("x_nul") && err.contains("NUL"),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().count(), 2, "{args:?}: {err}");
    }
    // Without -0 a NUL is only data.
    let out = support::run(mock.imds().args(["instance", "--field", "x_nul"]));
    assert_eq!(out.stdout, b"before\0after\n");
}

// ---- -o ----

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn output_writes_a_new_private_file_and_nothing_on_stdout() {
    let mock = Mock::new();
    let dir = tempdir();
    let path = dir.path().join("user-data");
    let out = support::run(mock.imds().args(["init", "--user-data", "-o"]).arg(&path));
    assert_eq!(out.status.code(), Some(0), "{}", support::stderr(&out));
    assert!(out.stdout.is_empty());
    let want = support::ok(mock.imds().args(["init", "--user-data"]));
    assert!(want.contains("#cloud-config"));
    assert_eq!(fs::read_to_string(&path).unwrap(), want);
    assert_eq!(mode(&path), 0o600);
    let out = support::ok(
        mock.imds()
            .args(["keys", "--field", "name", "--output"])
            .arg(&path),
    );
    assert!(out.is_empty());
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "my-key1\nmy-key2\nmy-ed25519-key\n"
    );
    assert_eq!(names(dir.path()), ["user-data"]);
}

#[test]
fn output_keeps_an_existing_files_mode() {
    let mock = Mock::new();
    let dir = tempdir();
    let path = dir.path().join("zone");
    fs::write(&path, "old").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    support::ok(
        mock.imds()
            .args(["instance", "--field", "zone.name", "-o"])
            .arg(&path),
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "us-south-1\n");
    assert_eq!(mode(&path), 0o644);
}

#[test]
fn output_leaves_the_old_file_untouched_when_the_command_fails() {
    let mock = Mock::new();
    let dir = tempdir();
    let path = dir.path().join("key");
    fs::write(&path, "old").unwrap();
    for (args, code) in [
        (&["keys", "nope"][..], 3),
        (&["instance", "--field", "nope"], 6),
    ] {
        let out = support::run(mock.imds().args(args).arg("-o").arg(&path));
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(names(dir.path()), ["key"]);
    }
}

#[test]
fn output_into_a_missing_directory_is_exit_1() {
    let mock = Mock::new();
    let dir = tempdir();
    let path = dir.path().join("missing").join("file");
    let out = support::run(mock.imds().args(["instance", "-o"]).arg(&path));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = support::stderr(&out);
    assert_eq!(
        err.lines().next().unwrap(),
        format!(
            "imds: cannot write {}: the directory {} does not exist",
            path.display(),
            dir.path().join("missing").display()
        )
    );
    assert!(names(dir.path()).is_empty());
}

/// `cmd` run as an unprivileged user: root would write into a read-only directory.
fn unprivileged(cmd: Command) -> Command {
    if !is_root() {
        return cmd;
    }
    let mut wrapped = Command::new("setpriv");
    wrapped
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .env_clear()
        .stdin(std::process::Stdio::null());
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            wrapped.env(k, v);
        }
    }
    wrapped
}

/// A directory `name` under `dir`, mode 0555, holding `file` with `content`. The file is writable
/// in place (0666), so only the directory stops an atomic replace. Returns both paths.
fn read_only_dir_with(
    dir: &tempfile::TempDir,
    name: &str,
    file: &str,
    content: &str,
) -> (std::path::PathBuf, std::path::PathBuf) {
    let ro = dir.path().join(name);
    fs::create_dir(&ro).unwrap();
    let path = ro.join(file);
    fs::write(&path, content).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o666)).unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
    (ro, path)
}

fn is_root() -> bool {
    let probe = tempdir();
    fs::metadata(probe.path()).unwrap().uid() == 0
}

#[test]
fn output_into_a_read_only_directory_is_exit_1_and_the_old_file_stays() {
    let mock = Mock::new();
    let dir = tempdir();
    let (ro, path) = read_only_dir_with(&dir, "ro", "file", "old");
    let mut cmd = mock.imds();
    cmd.args(["instance", "-o"]).arg(&path);
    let out = support::run(&mut unprivileged(cmd));
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", support::stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(
        support::stderr(&out).contains("permission denied"),
        "{}",
        support::stderr(&out)
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "old");
    assert_eq!(names(&ro), ["file"]);
}

#[test]
fn output_refuses_a_symbolic_link() {
    let mock = Mock::new();
    let dir = tempdir();
    let target = dir.path().join("target");
    fs::write(&target, "old").unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = support::run(mock.imds().args(["instance", "-o"]).arg(&link));
    assert_eq!(out.status.code(), Some(1));
    assert!(support::stderr(&out).contains("symbolic link"));
    assert_eq!(fs::read_to_string(&target).unwrap(), "old");
}

// ---- keys --authorized-keys ----

#[test]
fn authorized_keys_are_merged_once() {
    let mock = Mock::new();
    let home = tempdir();
    let path = home.path().join(".ssh").join("authorized_keys");
    let out = support::run(mock.imds().args(["keys", "--authorized-keys"]).arg(&path));
    assert_eq!(out.status.code(), Some(0), "{}", support::stderr(&out));
    assert!(out.stdout.is_empty());
    let keys = support::ok(mock.imds().args(["keys", "--field", "public_key"]));
    assert_eq!(fs::read_to_string(&path).unwrap(), keys);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&home.path().join(".ssh")), 0o700);
    let inode = fs::metadata(&path).unwrap().ino();

    let out = support::run(
        mock.imds()
            .args(["-v", "keys", "--authorized-keys"])
            .arg(&path),
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let err = support::stderr(&out);
    assert!(err.contains("not changed"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), keys);
    assert_eq!(fs::metadata(&path).unwrap().ino(), inode, "rewritten");
}

#[test]
fn authorized_keys_keep_existing_lines_and_add_what_is_missing() {
    let mock = Mock::new();
    let home = tempdir();
    let path = home.path().join("authorized_keys");
    let keys = support::ok(mock.imds().args(["keys", "--field", "public_key"]));
    let first = keys.lines().next().unwrap();
    let mut words = first.split(' ');
    let (kind, blob) = (words.next().unwrap(), words.next().unwrap());
    let old = format!(
        "# my own keys\n\nno-pty,command=\"echo hi there\" {kind} {blob} renamed@elsewhere\n\
         ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyThatStays me@laptop"
    );
    fs::write(&path, &old).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let out = support::run(
        mock.imds()
            .args(["-v", "keys", "--authorized-keys"])
            .arg(&path),
    );
    assert_eq!(out.status.code(), Some(0), "{}", support::stderr(&out));
    let rest: Vec<&str> = keys.lines().skip(1).collect();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        format!("{old}\n{}\n", rest.join("\n"))
    );
    assert_eq!(mode(&path), 0o600);
    assert!(
        support::stderr(&out).contains("added 2"),
        "{}",
        support::stderr(&out)
    );
}

#[test]
fn authorized_keys_as_root_keep_the_owner() {
    if !crate::support::root_or_skip("authorized_keys_as_root_keep_the_owner") {
        return;
    }
    let mock = Mock::new();
    let home = tempdir();
    std::os::unix::fs::chown(home.path(), Some(65534), Some(65534)).unwrap();
    let existing = home.path().join("existing");
    fs::write(&existing, "# theirs\n").unwrap();
    std::os::unix::fs::chown(&existing, Some(65534), Some(65534)).unwrap();
    let new = home.path().join(".ssh").join("authorized_keys");
    for path in [&existing, &new] {
        support::ok(mock.imds().args(["keys", "--authorized-keys"]).arg(path));
        let meta = fs::metadata(path).unwrap();
        assert_eq!(
            (meta.uid(), meta.gid()),
            (65534, 65534),
            "{}",
            path.display()
        );
    }
    let ssh = fs::metadata(home.path().join(".ssh")).unwrap();
    assert_eq!(
        (ssh.uid(), ssh.gid(), ssh.mode() & 0o777),
        (65534, 65534, 0o700)
    );
}

#[test]
fn authorized_keys_bad_cases() {
    let mock = Mock::new();
    let dir = tempdir();
    let deep = dir.path().join("a").join("b").join("authorized_keys");
    let out = support::run(mock.imds().args(["keys", "--authorized-keys"]).arg(&deep));
    assert_eq!(out.status.code(), Some(1));
    assert!(support::stderr(&out).contains("does not exist"));
    assert!(names(dir.path()).is_empty());
    for args in [
        &["keys", "--field", "name", "--authorized-keys", "x"][..],
        &["keys", "--authorized-keys", "x", "-o", "y"],
        &["instance", "--authorized-keys", "x"],
    ] {
        let out = support::run(support::imds().args(args));
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            support::stderr(&out)
        );
    }
}

/// Keys whose fields are apart, or set off, by whitespace other than spaces and tabs, which
/// sshd does not split on: none is a key sshd would read.
const KEYS_WITH_ODD_BLANKS: &[(&str, &str)] = &[
    (
        "k-ff",
        "ssh-ed25519\u{c}AAAAC3NzaC1lZDI1NTE5AAAAIFormFeedKey ff",
    ),
    (
        "k-vt",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIVerticalTab\u{b}vt",
    ),
    (
        "k-lead",
        "\u{c}ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILeadingFormFeed lead",
    ),
    (
        "k-trail",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITrailingFormFeed\u{c}",
    ),
    (
        "k-nbsp",
        "ssh-ed25519\u{a0}AAAAC3NzaC1lZDI1NTE5AAAAINoBreakSpace nbsp",
    ),
    (
        "k-nel",
        "ssh-ed25519\u{85}AAAAC3NzaC1lZDI1NTE5AAAAINextLine nel",
    ),
];

#[test]
fn authorized_keys_refuse_a_key_split_by_other_whitespace_and_leave_the_file() {
    let keys: Vec<Value> = KEYS_WITH_ODD_BLANKS
        .iter()
        .map(|(id, key)| json!({"id": id, "name": id, "type": "ed25519", "public_key": key}))
        .collect();
    let (dir, mock) = serve_doc(&json!({"instance": {"id": "0717_keys"}, "keys": keys}));
    let path = dir.path().join("authorized_keys");
    let old = "# mine\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMine me\n";
    for (id, _) in KEYS_WITH_ODD_BLANKS {
        fs::write(&path, old).unwrap();
        for _ in 0..2 {
            let err = support::fails(
                mock.imds()
                    .args(["keys", id, "--authorized-keys"])
                    .arg(&path),
                7,
            );
            assert!(err.contains(id), "{id}: {err}");
            assert_eq!(fs::read_to_string(&path).unwrap(), old, "{id}");
        }
    }
}

// ---- snapshot ----

/// A fixture with every collection the service has: the instance document embeds references,
/// each collection holds full objects, as on the real service (docs/SERVICE.md §3.1, §3.3, §3.4,
/// §3.7).
fn full_fixture(dir: &Path) -> PathBuf {
    let reference = |id: &str, name: &str| json!({"id": id, "name": name});
    let fixture = json!({
        "instance": {
            "id": "0717_full",
            "name": "full",
            "zone": {"name": "eu-de-2"},
            "network_interfaces": [reference("nic-1", "eth0")],
            "volume_attachments": [
                {"id": "va-1", "name": "boot", "volume": {"crn": "crn:v:1", "id": "v-1", "name": "boot-vol"}}
            ],
            "network_attachments": [reference("na-1", "att0")],
            "cluster_network_attachments": [reference("cna-1", "clu0")],
            "software_attachments": [reference("sa-1", "sw0")],
        },
        "initialization": {"user_data": "#!/bin/sh\necho secret-password\n", "keys": [],
                           "password": {"encrypted_password": "RU5DUllQVEVELVBBU1NXT1JE",
                                        "encryption_key": {"crn": "crn:v1:key", "fingerprint": "SHA256:key"}}},
        "keys": [{"id": "k-1", "name": "deploy", "type": "ed25519",
                  "public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFullFixtureKey"}],
        "placement_groups": [{"id": "pg-1", "name": "spread", "strategy": "host_spread"}],
        "virtual_network_interfaces": [{"id": "vni-1", "name": "vni0", "protocol_state_filtering_mode": "auto"}],
        "network_interfaces": [{"id": "nic-1", "name": "eth0", "primary_ipv4_address": "10.0.0.5",
                                "floating_ips": [], "type": "primary", "status": "available"}],
        "volume_attachments": [{"id": "va-1", "name": "boot", "bandwidth": 1000,
                                "device": {"id": "dev-1"}, "status": "attached", "type": "boot",
                                "delete_volume_on_instance_delete": true,
                                "volume": {"crn": "crn:v:1", "id": "v-1", "name": "boot-vol"}}],
        "network_attachments": [{"id": "na-1", "name": "att0", "type": "primary",
                                 "primary_ip": {"address": "10.0.0.6"}}],
        "cluster_network_attachments": [{"id": "cna-1", "name": "clu0", "lifecycle_state": "stable"}],
        "software_attachments": [{"id": "sa-1", "name": "sw0", "lifecycle_state": "stable",
                                  "entitlement": {"licensed_software": [{"sku": "SKU-1", "key": "LICENCE-KEY-1"}]}}],
    });
    let path = dir.join("full.json");
    fs::write(&path, serde_json::to_string_pretty(&fixture).unwrap()).unwrap();
    path
}

/// What the commands a boot script uses answer: the same from an instance and from an emulator
/// serving its snapshot.
const ANSWERS: &[&[&str]] = &[
    &["instance"],
    &["init"],
    &["nics"],
    &["volumes"],
    &["keys"],
    &["placement-groups"],
];

/// The collections `imds get` reads that a snapshot keeps when they have items (an empty or
/// absent one is left out, so the copy may answer it with 404 where the original had `[]`).
const NEWER_COLLECTIONS: &[(&str, &str)] = &[
    ("instance/network_attachments", "network_attachments"),
    ("virtual_network_interfaces", "virtual_network_interfaces"),
    (
        "instance/cluster_network_attachments",
        "cluster_network_attachments",
    ),
    ("instance/software_attachments", "software_attachments"),
];

fn answer(mock: &Mock, args: &[&str]) -> (Option<i32>, String) {
    let out = support::run(mock.imds().args(args));
    (out.status.code(), support::stdout(&out))
}

/// Snapshots what `mock` serves, serves the snapshot, and checks that a snapshot of that is
/// byte-identical and that every command answers the same. Returns the snapshot.
fn round_trip(mock: &Mock, dir: &Path) -> Value {
    let first = dir.join("snapshot.json");
    let out = support::run(mock.imds().args(["snapshot", "-o"]).arg(&first));
    assert_eq!(out.status.code(), Some(0), "{}", support::stderr(&out));
    let copy = Mock::start(&["--fixture", first.to_str().unwrap()]);
    let second = support::run(copy.imds().arg("snapshot"));
    assert_eq!(
        second.status.code(),
        Some(0),
        "{}",
        support::stderr(&second)
    );
    let first_bytes = fs::read(&first).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&second.stdout),
        String::from_utf8_lossy(&first_bytes),
        "a snapshot of the copy differs"
    );
    for args in ANSWERS {
        assert_eq!(
            answer(mock, args),
            answer(&copy, args),
            "imds {args:?} differs"
        );
    }
    for (path, key) in NEWER_COLLECTIONS {
        let items = format!("$.{key}");
        let want = answer(mock, &["get", path, "--field", &items]);
        if want.0 == Some(0) && want.1 != "[]\n" {
            assert_eq!(
                want,
                answer(&copy, &["get", path, "--field", &items]),
                "{path} differs"
            );
        }
    }
    serde_json::from_slice(&first_bytes).unwrap()
}

#[test]
fn snapshot_of_the_default_fixture_round_trips() {
    let dir = tempdir();
    let snap = round_trip(&Mock::new(), dir.path());
    assert!(snap["initialization"]["user_data"].is_string());
    assert_eq!(snap["keys"].as_array().unwrap().len(), 3);
    // A real instance is in at most one placement group, and names it.
    assert_eq!(snap["placement_groups"].as_array().unwrap().len(), 1);
    assert_eq!(
        snap["instance"]["placement_target"]["id"],
        snap["placement_groups"][0]["id"]
    );
    for name in ["software_attachments", "cluster_network_attachments"] {
        assert_eq!(snap[name].as_array().unwrap().len(), 1, "{name}: {snap}");
    }
    assert!(
        snap["software_attachments"][0]["entitlement"]["licensed_software"][0]["key"].is_string()
    );
}

#[test]
fn snapshot_of_every_collection_round_trips() {
    let (dir, mock) = serve(full_fixture);
    let snap = round_trip(&mock, dir.path());
    for name in [
        "network_interfaces",
        "volume_attachments",
        "network_attachments",
        "virtual_network_interfaces",
        "cluster_network_attachments",
        "software_attachments",
    ] {
        assert!(
            snap.get(name).is_some_and(Value::is_array),
            "{name}: {snap}"
        );
    }
    // The collections keep their full objects, the instance document its references.
    let volumes = support::ok(mock.imds().args(["volumes", "--field", "device.id"]));
    assert_eq!(volumes, "dev-1\n");
}

#[test]
fn snapshot_redact_removes_user_data_the_password_and_licence_keys() {
    let (dir, mock) = serve(full_fixture);
    let text = support::ok(mock.imds().args(["snapshot", "--redact"]));
    assert!(!text.contains("secret-password"), "{text}");
    assert!(!text.contains("LICENCE-KEY"), "{text}");
    let snap: Value = serde_json::from_str(&text).unwrap();
    assert!(snap["initialization"].get("user_data").is_none());
    assert!(!text.contains("RU5DUllQVEVELVBBU1NXT1JE"), "{text}");
    assert_eq!(snap["initialization"], json!({"keys": []}));
    // Not anonymised: ids, CRNs and names stay.
    assert_eq!(snap["instance"]["id"], "0717_full");
    assert_eq!(snap["volume_attachments"][0]["volume"]["crn"], "crn:v:1");
    let help = support::ok(support::imds().args(["snapshot", "--help"]));
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for words in [
        "user data",
        "administrator password",
        "licence keys",
        "does not anonymise",
    ] {
        assert!(help.contains(words), "{words}: {help}");
    }
    assert_eq!(
        snap["software_attachments"][0]["entitlement"]["licensed_software"],
        json!([{"sku": "SKU-1"}])
    );
    // Still a fixture the emulator serves.
    let path = dir.path().join("redacted.json");
    fs::write(&path, &text).unwrap();
    let copy = Mock::start(&["--fixture", path.to_str().unwrap()]);
    assert_eq!(support::ok(copy.imds().args(["init", "--user-data"])), "");
}

#[test]
fn snapshot_skips_a_collection_the_service_does_not_have() {
    let (_dir, mock) = serve(full_fixture);
    mock.fault(
        r#"{"kind":"status","status":404,"path":"/metadata/v1/instance/software_attachments"}"#,
    );
    let text = support::ok(mock.imds().arg("snapshot"));
    let snap: Value = serde_json::from_str(&text).unwrap();
    assert!(snap.get("software_attachments").is_none());
    assert!(snap.get("cluster_network_attachments").is_some());
    // Any other failure is the command's failure.
    mock.fault(
        r#"{"kind":"status","status":403,"path":"/metadata/v1/instance/network_attachments"}"#,
    );
    let out = support::run(mock.imds().arg("snapshot"));
    assert_eq!(out.status.code(), Some(5));
    assert!(out.stdout.is_empty());
}

// ---- the README's boot script ----

/// The README's `setup.sh` block.
fn readme_boot_script() -> String {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    let readme = readme.unwrap();
    let start = readme.find("```sh setup.sh\n").expect("a setup.sh block") + 15;
    let len = readme[start..].find("```").unwrap();
    readme[start..start + len].to_string()
}

#[test]
fn the_readme_boot_script_does_its_job_twice() {
    let script = readme_boot_script();
    assert!(script.lines().count() <= 10, "{script}");
    let home = tempdir();
    fs::write(home.path().join("setup.sh"), &script).unwrap();
    let mock = Mock::new();
    let keys = support::ok(mock.imds().args(["keys", "--field", "public_key"]));
    let user_data = support::ok(mock.imds().args(["init", "--user-data"]));
    for run in 0..2 {
        let out = run_shell("sh", "sh ./setup.sh", home.path(), &mock);
        assert_eq!(
            out.status.code(),
            Some(0),
            "run {run}: {}",
            support::stderr(&out)
        );
        assert_eq!(
            support::stdout(&out),
            "host name: my-instance, in us-south-1\n\
             my-network-interface: 10.0.0.32, floating IP 169.63.112.150\n\
             my-second-network-interface: 10.0.0.33, floating IP -\n",
            "run {run}"
        );
        let authorized = home.path().join(".ssh").join("authorized_keys");
        assert_eq!(fs::read_to_string(&authorized).unwrap(), keys, "run {run}");
        assert_eq!(mode(&authorized), 0o600);
        let saved = home.path().join("user-data");
        assert_eq!(fs::read_to_string(&saved).unwrap(), user_data);
        assert_eq!(mode(&saved), 0o600);
    }
}

#[test]
fn authorized_keys_with_an_id_add_that_key_only() {
    let mock = Mock::new();
    let dir = tempdir();
    let path = dir.path().join("authorized_keys");
    let id = support::ok(mock.imds().args(["keys", "--field", "id"]));
    let id = id.lines().nth(1).unwrap();
    support::ok(
        mock.imds()
            .args(["keys", id, "--authorized-keys"])
            .arg(&path),
    );
    let key = support::ok(mock.imds().args(["keys", id, "--field", "public_key"]));
    assert_eq!(fs::read_to_string(&path).unwrap(), key);
    let out = support::run(
        mock.imds()
            .args(["keys", "nope", "--authorized-keys"])
            .arg(&path),
    );
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(fs::read_to_string(&path).unwrap(), key);
}

#[test]
fn authorized_keys_in_a_read_only_directory_is_exit_1_and_the_file_stays() {
    let mock = Mock::new();
    let dir = tempdir();
    let (ssh, path) = read_only_dir_with(&dir, ".ssh", "authorized_keys", "# mine\n");
    let mut cmd = mock.imds();
    cmd.args(["keys", "--authorized-keys"]).arg(&path);
    let out = support::run(&mut unprivileged(cmd));
    fs::set_permissions(&ssh, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", support::stderr(&out));
    assert!(support::stderr(&out).contains("permission denied"));
    assert_eq!(fs::read_to_string(&path).unwrap(), "# mine\n");
    assert_eq!(names(&ssh), ["authorized_keys"]);
}

/// Root merging keys into a user's file does not follow that user's links: the user would
/// choose which authorized_keys root writes.
#[test]
fn authorized_keys_as_root_do_not_follow_a_users_link() {
    if !crate::support::root_or_skip("authorized_keys_as_root_do_not_follow_a_users_link") {
        return;
    }
    let mock = Mock::new();
    let dir = tempdir();
    let roots = dir.path().join("root-ssh");
    fs::create_dir(&roots).unwrap();
    fs::write(roots.join("authorized_keys"), "# root's\n").unwrap();
    let home = dir.path().join("home");
    fs::create_dir(&home).unwrap();
    std::os::unix::fs::chown(&home, Some(65534), Some(65534)).unwrap();
    let link = home.join(".ssh");
    std::os::unix::fs::symlink(&roots, &link).unwrap();
    std::os::unix::fs::lchown(&link, Some(65534), Some(65534)).unwrap();
    let out = support::run(
        mock.imds()
            .args(["keys", "--authorized-keys"])
            .arg(link.join("authorized_keys")),
    );
    assert_eq!(out.status.code(), Some(1), "{}", support::stderr(&out));
    assert!(support::stderr(&out).contains("owned by another user"));
    assert_eq!(
        fs::read_to_string(roots.join("authorized_keys")).unwrap(),
        "# root's\n"
    );
    assert_eq!(names(&roots), ["authorized_keys"]);
}
