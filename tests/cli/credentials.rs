//! Credentials for other programs, end to end: `imds token --refresh -o FILE` keeping a token
//! file fresh while a reader takes it every 10 ms, through failed refreshes and signals; `imds
//! exec` handing its token to a command and its nested imds calls, and its exit statuses.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::support::{self, Mock, fails, ok, run, stderr, stdout};

/// PATH with the built `imds` first, for commands that call it.
fn path_with_imds() -> std::ffi::OsString {
    let bin = Path::new(support::IMDS).parent().unwrap().to_path_buf();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap()
}

/// A process a test started, killed when the test ends, passed or not: a refresher runs until
/// stopped, and a failed assertion must not leave it running.
struct Running(Child);

impl std::ops::Deref for Running {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Running {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Sends `signal` to the process.
fn signal(child: &Child, signal: libc::c_int) {
    // SAFETY: kill(2) on our own child.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
}

/// Waits for `child` to end, at most `limit`; its exit status (the test fails if it runs on).
fn wait_for(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let until = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > until {
            let _ = child.kill();
            panic!("the process did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Waits until `path` exists, at most `limit`.
#[track_caller]
fn wait_until_written(path: &Path, limit: Duration) {
    let until = Instant::now() + limit;
    while !path.exists() {
        assert!(Instant::now() < until, "{} was not written", path.display());
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `imds [ARGS] token --refresh -o FILE …` against `mock`, started, stderr to a file.
fn start_refresh(mock: &Mock, dir: &Path, args: &[&str]) -> (Running, PathBuf) {
    let file = dir.join("token");
    let child = mock
        .imds()
        .args(args)
        .arg("-o")
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(fs::File::create(dir.join("stderr")).unwrap())
        .spawn()
        .unwrap();
    (Running(child), file)
}

/// Whether the emulator takes `token` for a metadata read now.
fn accepted(mock: &Mock, token: &str) -> bool {
    let (status, _) = support::http(
        "GET",
        &format!("{}/metadata/v1/instance?version=2025-08-26", mock.url),
        None,
        &[("Authorization", &format!("Bearer {token}"))],
    );
    status == 200
}

/// The `exp` claim of a JWT, in seconds since the epoch.
fn exp(token: &str) -> f64 {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .expect("base64url");
    let claims: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    claims["exp"].as_f64().expect("an exp claim")
}

/// The wall clock, in seconds since the epoch.
fn unix_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

#[test]
fn token_refresh_without_output_is_a_usage_error() {
    let mock = Mock::new();
    let err = fails(mock.imds().args(["token", "--refresh"]), 2);
    assert!(err.contains("--refresh needs -o FILE"), "{err}");
    assert_eq!(mock.count("PUT /identity/v1/token"), 0);
    let err = fails(
        mock.imds()
            .args(["token", "--refresh", "--nonce", "n", "-o", "x"]),
        2,
    );
    assert!(err.contains("--nonce"), "{err}");
}

/// A reader takes the file every 10 ms for 9 s of 5 s tokens: it always finds a whole token,
/// never one older than its lifetime, and new tokens come before the old ones expire.
#[test]
fn token_refresh_file_read_every_10ms_is_never_empty_or_expired() {
    let mock = Mock::new();
    let dir = tempfile::tempdir().unwrap();
    let (mut child, file) = start_refresh(
        &mock,
        dir.path(),
        &["token", "--refresh", "--expires-in", "5"],
    );
    wait_until_written(&file, Duration::from_secs(5));
    let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // Each token read: when it was first and last seen.
    let mut seen: Vec<(String, Instant, Instant)> = Vec::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(9) {
        let text = fs::read_to_string(&file).expect("the token file is always there");
        let token = text.trim_end_matches('\n').to_string();
        assert!(
            !token.is_empty() && text.ends_with('\n'),
            "read {text:?} from the token file"
        );
        assert!(
            exp(&token) > unix_now(),
            "read a token past its exp ({}) at {}",
            exp(&token),
            unix_now()
        );
        let now = Instant::now();
        match seen.last_mut() {
            Some((last, _, until)) if *last == token => *until = now,
            _ => seen.push((token, now, now)),
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // 9 s of 5 s tokens renewed at 3.2 s: the first, and those of 3.2 s, 6.4 s.
    assert!(seen.len() >= 3, "{} tokens seen in 9 s", seen.len());
    for (token, first, last) in &seen {
        assert!(
            *last - *first < Duration::from_millis(4900),
            "a token was read {:?} after it was first seen",
            *last - *first
        );
        assert!(!token.contains(char::is_whitespace));
    }
    let current = fs::read_to_string(&file).unwrap();
    assert!(
        accepted(&mock, current.trim_end()),
        "the file's token is refused"
    );
    signal(&child, libc::SIGTERM);
    let status = wait_for(&mut child, Duration::from_secs(5));
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(file.exists(), "the file is left in place");
    let err = fs::read_to_string(dir.path().join("stderr")).unwrap();
    assert!(err.is_empty(), "{err}");
    assert_eq!(
        mock.count("PUT /identity/v1/token") as usize,
        seen.len(),
        "one mint per token"
    );
}

/// The service refuses new tokens: the file keeps the old one while it is valid, is removed
/// before it expires, and is back with the first refresh that works.
#[test]
fn token_refresh_failures_are_retried_and_an_expiring_token_is_removed() {
    let mock = Mock::new();
    let dir = tempfile::tempdir().unwrap();
    let (mut child, file) = start_refresh(
        &mock,
        dir.path(),
        &["token", "--refresh", "--expires-in", "5"],
    );
    wait_until_written(&file, Duration::from_secs(5));
    // Counted from the write itself (the file's time), not from when this test saw the file: a
    // busy machine may notice it late.
    let written = fs::metadata(&file).unwrap().modified().unwrap();
    let since_written = || {
        SystemTime::now()
            .duration_since(written)
            .unwrap_or_default()
    };
    let old = fs::read_to_string(&file).unwrap();
    mock.fault(r#"{"kind": "status", "status": 503, "path": "/identity/v1/token"}"#);
    // Kept while valid, gone before 5 s have passed.
    while file.exists() {
        let text = fs::read_to_string(&file).unwrap_or_else(|_| old.clone());
        assert_eq!(text, old, "no other token can have been written");
        assert!(
            since_written() < Duration::from_millis(4950),
            "the expiring token is still in the file after {:?}",
            since_written()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        since_written() > Duration::from_millis(3000),
        "removed while valid, after {:?}",
        since_written()
    );
    assert!(
        child.try_wait().unwrap().is_none(),
        "it goes on after failures"
    );
    let (status, _) = mock.http("DELETE", "/_mock/faults", None);
    assert!(status < 300);
    wait_until_written(&file, Duration::from_secs(10));
    let new = fs::read_to_string(&file).unwrap();
    assert_ne!(new, old);
    assert!(accepted(&mock, new.trim_end()));
    signal(&child, libc::SIGINT);
    let status = wait_for(&mut child, Duration::from_secs(5));
    assert_eq!(status.code(), Some(0), "{status:?}");
    let err = fs::read_to_string(dir.path().join("stderr")).unwrap();
    assert!(err.contains("imds: cannot refresh "), "{err}");
    assert!(err.contains("trying again in 1s"), "{err}");
    assert!(err.contains("imds: removed "), "{err}");
    assert!(
        !err.contains(old.trim_end()),
        "the token is never shown: {err}"
    );
}

/// `--wait` is a window for each refresh: once it has passed since the start, refreshes go on.
#[test]
fn token_refresh_with_wait_goes_on_after_the_wait() {
    // Answers that take 50 ms: more than what is left of a deadline that has passed.
    let mock = Mock::start(&["--latency", "50ms"]);
    let dir = tempfile::tempdir().unwrap();
    let (mut child, file) = start_refresh(
        &mock,
        dir.path(),
        &["--wait", "1s", "token", "--refresh", "--expires-in", "5"],
    );
    wait_until_written(&file, Duration::from_secs(5));
    let first = fs::read_to_string(&file).unwrap();
    let until = Instant::now() + Duration::from_secs(8);
    while fs::read_to_string(&file).unwrap_or_default() == first {
        assert!(Instant::now() < until, "no second token");
        std::thread::sleep(Duration::from_millis(20));
    }
    signal(&child, libc::SIGTERM);
    assert_eq!(wait_for(&mut child, Duration::from_secs(5)).code(), Some(0));
    let err = fs::read_to_string(dir.path().join("stderr")).unwrap();
    assert!(err.is_empty(), "{err}");
}

/// `--iam --json`: the file holds the whole IAM answer.
#[test]
fn token_refresh_iam_json_writes_the_iam_answer() {
    let mock = Mock::new();
    let dir = tempfile::tempdir().unwrap();
    let (mut child, file) = start_refresh(
        &mock,
        dir.path(),
        &["token", "--refresh", "--iam", "--json"],
    );
    wait_until_written(&file, Duration::from_secs(5));
    let doc: serde_json::Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    assert!(
        doc["access_token"].as_str().is_some_and(|t| !t.is_empty()),
        "{doc}"
    );
    assert_eq!(mock.count("POST /identity/v1/iam_tokens"), 1);
    signal(&child, libc::SIGTERM);
    assert_eq!(wait_for(&mut child, Duration::from_secs(5)).code(), Some(0));
    assert!(file.exists());
}

#[test]
fn token_refresh_failing_at_start_is_the_commands_exit_status() {
    let mock = Mock::new();
    mock.fault(r#"{"kind": "status", "status": 403, "path": "/identity/v1/token"}"#);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    fails(mock.imds().args(["token", "--refresh", "-o"]).arg(&file), 5);
    assert!(!file.exists());
}

#[test]
fn exec_nested_imds_reuses_the_token_and_mints_nothing() {
    let mock = Mock::new();
    let out = ok(mock.imds().env("PATH", path_with_imds()).args([
        "exec",
        "--",
        "sh",
        "-c",
        "imds instance --field name && imds keys --field name",
    ]));
    assert!(!out.is_empty());
    assert_eq!(mock.count("PUT /identity/v1/token"), 1, "one mint, by exec");
    assert_eq!(mock.count("GET /metadata/v1/instance"), 1);
}

#[test]
fn exec_token_is_in_the_environment_only_never_in_verbose_output() {
    let mock = Mock::new();
    let dir = tempfile::tempdir().unwrap();
    let out = run(mock.imds().current_dir(dir.path()).args([
        "-v",
        "exec",
        "--expires-in",
        "60",
        "--",
        "sh",
        "-c",
        "printf %s \"$IMDS_TOKEN\" > token; printf %s \"$IMDS_ENDPOINT\" > endpoint",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let token = fs::read_to_string(dir.path().join("token")).unwrap();
    assert!(token.len() > 20, "{token:?}");
    assert!(accepted(&mock, &token));
    assert_eq!(
        fs::read_to_string(dir.path().join("endpoint")).unwrap(),
        mock.url
    );
    let err = stderr(&out);
    assert!(err.contains("IMDS_TOKEN"), "{err}");
    assert!(!err.contains(&token), "the token shows in -v output: {err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn exec_iam_sets_the_variables_the_terraform_provider_reads() {
    let mock = Mock::new();
    let dir = tempfile::tempdir().unwrap();
    ok(mock.imds().current_dir(dir.path()).args([
        "exec",
        "--iam",
        "--",
        "sh",
        "-c",
        "printf %s \"$IC_IAM_TOKEN\" > ic; printf %s \"$IBMCLOUD_IAM_TOKEN\" > ibmcloud; \
         printf %s \"$IMDS_TOKEN\" > identity",
    ]));
    let read = |name: &str| fs::read_to_string(dir.path().join(name)).unwrap();
    assert!(!read("ic").is_empty());
    assert_eq!(read("ic"), read("ibmcloud"));
    assert_ne!(read("ic"), read("identity"));
    // One identity token, the one handed over, is what was exchanged.
    assert_eq!(mock.count("PUT /identity/v1/token"), 1);
    assert_eq!(mock.count("POST /identity/v1/iam_tokens"), 1);
}

#[test]
fn exec_exit_status_is_the_commands() {
    let mock = Mock::new();
    let status = |args: &[&str]| run(mock.imds().arg("exec").arg("--").args(args)).status;
    assert_eq!(status(&["sh", "-c", "exit 3"]).code(), Some(3));
    assert_eq!(status(&["true"]).code(), Some(0));
    // Ended by SIGTERM: 128+15, as a shell reports it.
    assert_eq!(status(&["sh", "-c", "kill -TERM $$"]).code(), Some(143));
    assert_eq!(status(&["sh", "-c", "kill -KILL $$"]).code(), Some(137));
}

#[test]
fn exec_command_not_found_is_127_and_not_executable_is_126() {
    let mock = Mock::new();
    let err = fails(
        mock.imds().args(["exec", "--", "no-such-command-here"]),
        127,
    );
    assert!(
        err.contains("cannot run no-such-command-here: not found"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("script");
    fs::write(&script, "#!/bin/sh\nexit 0\n").unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o644)).unwrap();
    let err = fails(mock.imds().args(["exec", "--"]).arg(&script), 126);
    assert!(err.contains("permission denied"), "{err}");
    assert!(err.contains("hint: "), "{err}");
}

#[test]
fn exec_passes_sigterm_on_to_the_command() {
    let mock = Mock::new();
    let mut child = Running(
        mock.imds()
            .args([
                "exec",
                "--",
                "sh",
                "-c",
                "trap 'exit 7' TERM; echo ready; i=0; while [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done",
            ])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    assert_eq!(line, "ready\n");
    signal(&child, libc::SIGTERM);
    let status = wait_for(&mut child, Duration::from_secs(5));
    assert_eq!(status.code(), Some(7), "{status:?}");
}

#[test]
fn exec_usage_errors_and_a_refused_mint_run_nothing() {
    let mock = Mock::new();
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("ran");
    let cmd = format!("touch {}", marker.display());
    let err = fails(
        mock.imds()
            .args(["exec", "-o", "x", "--", "sh", "-c", &cmd]),
        2,
    );
    assert!(err.contains("exec prints nothing of its own"), "{err}");
    fails(mock.imds().args(["exec"]), 2);
    fails(
        mock.imds()
            .args(["exec", "--expires-in", "4", "--", "true"]),
        2,
    );
    mock.fault(r#"{"kind": "status", "status": 403, "path": "/identity/v1/token"}"#);
    fails(mock.imds().args(["exec", "--", "sh", "-c", &cmd]), 5);
    assert!(!marker.exists(), "the command ran");
}
