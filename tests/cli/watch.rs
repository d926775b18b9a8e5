//! `imds watch`: the real binary polling the emulator while its data changes under it
//! (`/_mock/patch`), its faults and forced token expiries; its endings and exit statuses.

use crate::support::{Mock, fails, ok, stderr, stdout};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const MINT: &str = "PUT /identity/v1/token";
const INSTANCE: &str = "GET /metadata/v1/instance";

/// A watch running in the background, its stdout read line by line.
struct Running {
    child: Child,
    lines: Receiver<String>,
}

impl Running {
    fn start(mut cmd: Command) -> Running {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start imds watch");
        let (tx, lines) = channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running { child, lines }
    }

    #[track_caller]
    fn line(&self) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(15))
            .expect("a line from the watch")
    }

    fn signal(&self, name: &str) {
        let sent = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// Waits for the end: exit code, the rest of stdout, stderr.
    fn end(mut self) -> (Option<i32>, Vec<String>, String) {
        let status = self.child.wait().unwrap();
        let rest: Vec<String> = self.lines.iter().collect();
        let mut err = String::new();
        std::io::Read::read_to_string(&mut self.child.stderr.take().unwrap(), &mut err).unwrap();
        (status.code(), rest, err)
    }
}

#[test]
fn a_watch_prints_the_old_value_then_the_new_one_after_a_patch() {
    let mock = Mock::new();
    let mut cmd = mock.imds();
    cmd.args(["watch", "--interval", "1s", "instance", "--field", "status"]);
    let watch = Running::start(cmd);
    assert_eq!(watch.line(), "running");
    mock.patch(r#"{"instance": {"status": "stopping"}}"#);
    assert_eq!(watch.line(), "stopping");
    // Unchanged observations print nothing.
    std::thread::sleep(Duration::from_millis(2500));
    assert!(mock.count(INSTANCE) >= 4, "{}", mock.count(INSTANCE));
    watch.signal("TERM");
    let (code, rest, err) = watch.end();
    assert_eq!(code, Some(143), "{err}");
    assert!(rest.is_empty(), "{rest:?}");
    assert!(err.is_empty(), "{err}");
    assert_eq!(mock.count(MINT), 1);
}

#[test]
fn a_json_document_prints_compact_one_line_per_observation() {
    let mock = Mock::new();
    let once = ok(mock.imds().args(["--compact", "instance"]));
    let watched = ok(mock.imds().args(["watch", "--count", "1", "instance"]));
    assert_eq!(watched, once);
    assert_eq!(watched.lines().count(), 1);
    let keys = ok(mock
        .imds()
        .args(["watch", "--count", "1", "keys", "--field", "name"]));
    assert_eq!(keys, ok(mock.imds().args(["keys", "--field", "name"])));
    // Options before the command apply as well.
    let before = ok(mock
        .imds()
        .args(["--field", "name", "watch", "--count", "1", "keys"]));
    assert_eq!(before, keys);
}

#[test]
fn until_ends_the_watch_on_a_patched_state() {
    let mock = Mock::new();
    mock.patch(r#"{"software_attachments": [{"id": "sa-1", "lifecycle_state": "pending"}]}"#);
    let (status, body) = mock.http(
        "POST",
        "/_mock/patch?after=2s",
        Some(r#"{"software_attachments": [{"id": "sa-1", "lifecycle_state": "stable"}]}"#),
    );
    assert_eq!(status, 200, "{body}");
    let started = Instant::now();
    let out = ok(mock.imds().args([
        "watch",
        "--interval",
        "1s",
        "--max-time",
        "20s",
        "--until",
        "lifecycle_state=stable",
        "get",
        "instance/software_attachments",
    ]));
    assert!(started.elapsed() >= Duration::from_millis(1500));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].contains(r#""lifecycle_state":"pending""#), "{out}");
    assert!(lines[1].contains(r#""lifecycle_state":"stable""#), "{out}");
}

#[test]
fn until_met_at_once_prints_one_observation() {
    let mock = Mock::new();
    let out = ok(mock.imds().args([
        "watch",
        "--until",
        "status=running",
        "instance",
        "--field",
        "name",
    ]));
    assert_eq!(out, "my-instance\n");
    assert_eq!(mock.count(INSTANCE), 1);
}

#[test]
fn max_time_with_until_not_met_is_exit_8() {
    let mock = Mock::new();
    let started = Instant::now();
    let out = mock
        .imds()
        .args([
            "watch",
            "--interval",
            "1s",
            "--max-time",
            "2s",
            "--until",
            "status=stopped",
            "instance",
            "--field",
            "status",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(started.elapsed() >= Duration::from_secs(2));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(stdout(&out), "running\n");
    assert_eq!(
        stderr(&out),
        "imds: --until status=stopped was not met within --max-time 2s\n"
    );
}

#[test]
fn max_time_without_until_is_exit_0() {
    let mock = Mock::new();
    let out = ok(mock.imds().args([
        "watch",
        "--interval",
        "1s",
        "--max-time",
        "1500ms",
        "instance",
        "--field",
        "status",
    ]));
    assert_eq!(out, "running\n");
    assert_eq!(mock.count(INSTANCE), 2);
}

#[test]
fn polls_survive_a_503_burst_and_three_forced_token_expiries() {
    let mock = Mock::new();
    let mut cmd = mock.imds();
    cmd.args([
        "watch",
        "--interval",
        "1s",
        "--max-time",
        "9s",
        "instance",
        "--field",
        "status",
    ]);
    let watch = Running::start(cmd);
    assert_eq!(watch.line(), "running");
    // Six 503s: two polls of three attempts each fail, the watch goes on.
    mock.fault(r#"{"kind": "status", "status": 503, "count": 6, "path": "/metadata/"}"#);
    std::thread::sleep(Duration::from_millis(2500));
    for _ in 0..3 {
        mock.http("POST", "/_mock/expire-tokens", None);
        std::thread::sleep(Duration::from_millis(1200));
    }
    mock.patch(r#"{"instance": {"status": "stopping"}}"#);
    assert_eq!(watch.line(), "stopping");
    let (code, rest, err) = watch.end();
    assert_eq!(code, Some(0), "{err}");
    assert!(rest.is_empty(), "{rest:?}");
    let failed: Vec<&str> = err.lines().collect();
    assert_eq!(failed.len(), 2, "{err}");
    assert!(
        failed
            .iter()
            .all(|l| l.starts_with("imds: ") && l.contains("503")),
        "{err}"
    );
    // One token at the start, one fresh one after each forced expiry.
    assert_eq!(mock.count(MINT), 4);
}

#[test]
fn max_failures_in_a_row_end_the_watch_with_the_failure_s_status() {
    let mock = Mock::start(&[
        "--fail",
        "503",
        "--fault",
        r#"{"kind":"status","status":503}"#,
    ]);
    let err = fails(
        mock.imds().args([
            "watch",
            "--interval",
            "1s",
            "--max-failures",
            "2",
            "instance",
        ]),
        7,
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].starts_with("imds: ") && lines[1].starts_with("imds: "),
        "{err}"
    );
    assert!(lines[2].starts_with("hint: "), "{err}");
}

#[test]
fn exec_gets_each_observation_on_stdin_and_imds_prints_nothing() {
    let mock = Mock::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seen");
    let cmd = format!("cat >> '{}'", file.display());
    let out = ok(mock.imds().args([
        "watch", "--count", "1", "--exec", &cmd, "instance", "--field", "status",
    ]));
    assert_eq!(out, "");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "running\n");
}

#[test]
fn a_failing_exec_command_is_one_stderr_line_and_the_watch_goes_on() {
    let mock = Mock::new();
    let mut cmd = mock.imds();
    cmd.args([
        "watch",
        "--interval",
        "1s",
        "--exec",
        "cat; exit 3",
        "instance",
        "--field",
        "status",
    ]);
    let watch = Running::start(cmd);
    assert_eq!(watch.line(), "running");
    mock.patch(r#"{"instance": {"status": "stopping"}}"#);
    assert_eq!(watch.line(), "stopping");
    watch.signal("INT");
    let (code, _, err) = watch.end();
    assert_eq!(code, Some(130), "{err}");
    assert_eq!(
        err,
        "imds: --exec command exited with status 3\nimds: --exec command exited with status 3\n"
    );
}

#[test]
fn sigint_ends_the_sleep_at_once_with_130() {
    let mock = Mock::new();
    let mut cmd = mock.imds();
    cmd.args([
        "watch",
        "--interval",
        "60s",
        "instance",
        "--field",
        "status",
    ]);
    let watch = Running::start(cmd);
    assert_eq!(watch.line(), "running");
    let sent = Instant::now();
    watch.signal("INT");
    let (code, _, err) = watch.end();
    assert_eq!(code, Some(130), "{err}");
    assert!(
        sent.elapsed() < Duration::from_secs(2),
        "{:?}",
        sent.elapsed()
    );
}

#[test]
fn polls_within_one_token_lifetime_mint_once() {
    let mock = Mock::new();
    ok(mock.imds().args([
        "watch",
        "--interval",
        "1s",
        "--max-time",
        "4500ms",
        "instance",
        "--field",
        "status",
    ]));
    assert!(mock.count(INSTANCE) >= 4, "{}", mock.count(INSTANCE));
    assert_eq!(mock.count(MINT), 1);
}

#[test]
fn bad_watch_command_lines_are_exit_2_before_any_request() {
    let mock = Mock::new();
    for args in [
        &["watch"][..],
        &["watch", "token"],
        &["watch", "cert", "--csr", "x.pem"],
        &["watch", "doctor"],
        &["watch", "watch", "instance"],
        &["watch", "exec", "--", "true"],
        &["watch", "keys", "--authorized-keys", "/tmp/never-written"],
        &["watch", "instance", "-o", "/tmp/never-written"],
        &["-o", "/tmp/never-written", "watch", "instance"],
        &["watch", "--interval", "500ms", "instance"],
        &["watch", "--interval", "soon", "instance"],
        &["watch", "--until", "a..b", "instance"],
        &["watch", "--until", "=x", "instance"],
        &["watch", "--count", "0", "instance"],
        &["watch", "--max-failures", "0", "instance"],
        &["watch", "instance", "--bogus"],
        &["watch", "nosuchcommand"],
    ] {
        let err = fails(mock.imds().args(args), 2);
        assert_eq!(
            err.lines().filter(|l| l.starts_with("imds: ")).count(),
            1,
            "{args:?}: {err}"
        );
    }
    assert_eq!(mock.counts()["total"], 0);
    assert!(!std::path::Path::new("/tmp/never-written").exists());
}
