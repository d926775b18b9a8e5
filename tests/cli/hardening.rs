//! Hostile servers and hostile input: what a server, an environment or a command line could do
//! to `imds`, and what `imds` must do instead. Each test drives the real binary; the servers are
//! [`crate::hostile`]'s.

use std::ffi::OsString;
use std::io::Read;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use clap::CommandFactory;
use serde_json::{Value, json};

use crate::hostile::{Hostile, Reply, TOKEN, answer, json, token_answer};
use crate::support::{imds, ok, stderr, stdout, temp_path};

/// Runs `cmd` and kills it if it is still running after `limit`: the test then fails, since a
/// bound was not kept. Returns the output and how long the run took.
#[track_caller]
fn run_within(cmd: &mut Command, limit: Duration) -> (Output, Duration) {
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start imds");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err.read_to_end(&mut buf);
        buf
    });
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let elapsed = started.elapsed();
            let output = Output {
                status,
                stdout: reader.join().unwrap(),
                stderr: err_reader.join().unwrap(),
            };
            return (output, elapsed);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("imds still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Asserts a failure with `code`, nothing on stdout and one `imds:` line (and maybe a hint).
#[track_caller]
fn assert_fails(out: &Output, code: i32) -> String {
    let err = stderr(out);
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {}\nstderr: {err}",
        stdout(out)
    );
    assert!(out.stdout.is_empty(), "stdout on failure: {}", stdout(out));
    assert!(err.starts_with("imds: "), "stderr: {err}");
    assert!(
        err.lines().skip(1).all(|l| l.starts_with("hint: ")),
        "more than one error line: {err}"
    );
    err
}

/// A page of the keys collection with `ids`, and a `next` link when `next` is given.
fn keys_page(ids: &[&str], next: Option<&str>) -> String {
    let keys: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "name": format!("key-{id}"), "public_key": "ssh-ed25519 AAAA"}))
        .collect();
    let mut page = json!({"keys": keys, "limit": 100});
    if let Some(href) = next {
        page["next"] = json!({ "href": href });
    }
    page.to_string()
}

// ---- one sanitiser for everything that came from the service or the environment ----

/// Text that would retitle and clear a terminal, move the cursor to the start of the line to
/// forge a `✓` line, and reverse what follows.
const HOSTILE_TEXT: &str =
    "\u{1b}]0;owned\u{7}\u{1b}[2J\r✓ metadata: forged\n\u{202E}lave\u{200B}\u{9b}31m";

#[track_caller]
fn assert_clean(stream: &str, text: &str) {
    for bad in ['\u{1b}', '\r', '\u{7}', '\u{202E}', '\u{200B}', '\u{9b}'] {
        assert!(
            !text.contains(bad),
            "{stream} carries {bad:?} from the service: {text:?}"
        );
    }
    assert!(
        !text.lines().any(|l| l.starts_with("✓ metadata: forged")),
        "{stream} carries a forged line: {text}"
    );
}

#[test]
fn doctor_prints_no_control_characters_from_the_service_error() {
    let body = json!({
        "errors": [{"code": HOSTILE_TEXT, "message": HOSTILE_TEXT}],
        "trace": HOSTILE_TEXT
    })
    .to_string();
    let server = Hostile::start(move |_| {
        answer(
            "400 Bad Request",
            "Content-Type: application/json\r\n",
            body.as_bytes(),
        )
    });
    let (out, _) = run_within(server.imds().arg("doctor"), Duration::from_secs(20));
    assert_ne!(out.status.code(), Some(0));
    assert_clean("stdout", &stdout(&out));
    assert_clean("stderr", &stderr(&out));
}

#[test]
fn doctor_prints_no_control_characters_from_the_instance_document() {
    let doc = json!({"id": "x", "name": HOSTILE_TEXT, "zone": {"name": HOSTILE_TEXT}}).to_string();
    let server = Hostile::service(move |_| json(&doc));
    let (out, _) = run_within(server.imds().arg("doctor"), Duration::from_secs(20));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_clean("stdout", &stdout(&out));
}

#[test]
fn doctor_prints_no_control_characters_from_the_environment() {
    let server = Hostile::service(|_| json(r#"{"name":"i","zone":{"name":"z"}}"#));
    let (out, _) = run_within(
        server
            .imds()
            .env("IMDS_API_VERSION", "2025-08-26")
            .env("IMDS_TIMEOUT", "2s\u{1b}[2J")
            .arg("--timeout")
            .arg("2s")
            .arg("doctor"),
        Duration::from_secs(20),
    );
    assert_clean("stdout", &stdout(&out));
    assert_clean("stderr", &stderr(&out));
}

#[test]
fn verbose_lines_and_errors_carry_no_control_characters_from_the_service() {
    let body =
        json!({"errors": [{"code": HOSTILE_TEXT, "message": HOSTILE_TEXT}], "trace": HOSTILE_TEXT})
            .to_string();
    let location = format!("Location: /x{}\r\n", "\u{1b}[2J");
    let server = Hostile::service(move |req| {
        if req.path().ends_with("/keys") {
            answer("302 Found", &location, b"")
        } else {
            answer(
                "404 Not Found",
                "Content-Type: application/json\r\n",
                body.as_bytes(),
            )
        }
    });
    for (command, code) in [("instance", 3), ("keys", 7)] {
        let (out, _) = run_within(server.imds().args(["-v", command]), Duration::from_secs(20));
        assert_eq!(out.status.code(), Some(code), "{}", stderr(&out));
        assert_clean("stderr", &stderr(&out));
    }
}

#[test]
fn pretty_json_output_keeps_the_service_text_as_json_escapes() {
    let doc = json!({"name": HOSTILE_TEXT});
    let sent = doc.to_string();
    let server = Hostile::service(move |_| json(&sent));
    let out = ok(server.imds().arg("instance"));
    let back: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(back, doc);
    assert!(!out.contains('\u{1b}'), "{out:?}");
}

// ---- a set IMDS_* variable that is not UTF-8 is exit 2 naming it; nothing is sent ----

fn not_utf8(prefix: &str) -> OsString {
    let mut bytes = prefix.as_bytes().to_vec();
    bytes.extend_from_slice(b"\xff\xfe");
    raw_arg(&bytes)
}

#[test]
fn a_non_utf8_imds_variable_is_exit_2_naming_it_and_sends_nothing() {
    for (name, prefix) in [
        ("IMDS_TIMEOUT", "2s"),
        ("IMDS_WAIT", "5s"),
        ("IMDS_TOKEN", "abc"),
        ("IMDS_API_VERSION", "2025-08-26"),
        ("IMDS_SECURE", "0"),
    ] {
        let server = Hostile::unused();
        let out = server
            .imds()
            .env(name, not_utf8(prefix))
            .arg("instance")
            .output()
            .unwrap();
        let err = assert_fails(&out, 2);
        assert!(err.contains(name), "{name}: {err}");
    }
}

/// The endpoint variable itself: 0.1 fell back to the link-local service, so this runs without
/// a network (`unshare -n`) where that would go nowhere.
#[test]
fn a_non_utf8_endpoint_is_exit_2_not_the_default_endpoint() {
    if Command::new("unshare")
        .args(["-n", "true"])
        .status()
        .map_or(true, |s| !s.success())
    {
        eprintln!("skipped: unshare -n is not available");
        return;
    }
    let out = Command::new("unshare")
        .arg("-n")
        .arg(crate::support::IMDS)
        .args(["--timeout", "300ms", "instance"])
        .env_clear()
        .env("IMDS_ENDPOINT", not_utf8("http://127.0.0.1:9/"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = assert_fails(&out, 2);
    assert!(err.contains("IMDS_ENDPOINT"), "{err}");
}

// ---- delays never fall below the backoff; Retry-After only lengthens them ----

#[test]
fn retry_after_zero_under_wait_is_not_a_tight_loop() {
    let server =
        Hostile::service(|_| answer("503 Service Unavailable", "Retry-After: 0\r\n", b"{}"));
    let (out, _) = run_within(
        server.imds().args(["--wait", "1s", "instance"]),
        Duration::from_secs(10),
    );
    assert_fails(&out, 7);
    // 100 ms doubling (with up to 50% jitter) fits at most 5 attempts into a second (0.1.0 made
    // hundreds). A slow start on a loaded machine may leave room for only one.
    let n = server.reads().len();
    assert!((1..=6).contains(&n), "{n} attempts in 1 s");
}

#[test]
fn retry_after_zero_without_wait_keeps_the_backoff() {
    let server =
        Hostile::service(|_| answer("503 Service Unavailable", "Retry-After: 0\r\n", b"{}"));
    let (out, took) = run_within(server.imds().arg("instance"), Duration::from_secs(10));
    assert_fails(&out, 7);
    assert_eq!(server.reads().len(), 3);
    assert!(took >= Duration::from_millis(300), "{took:?}");
}

// ---- a cap on the whole result; an oversize page is fetched again with a smaller limit ----

/// A service whose `keys` pages never end: page N holds `item(N)` and links to page N + 1, its
/// body followed by `padding`. Runs `imds keys` against it and expects exit 7 at the 16 MiB cap
/// on the whole result after exactly `pages` pages.
fn ends_at_the_total_cap(
    item: impl Fn(u64) -> Value + Send + Sync + 'static,
    padding: String,
    pages: usize,
) {
    let server = Hostile::service(move |req| {
        let n: u64 = req.param("start").and_then(|s| s.parse().ok()).unwrap_or(0);
        let page = json!({
            "keys": [item(n)],
            "next": {"href": format!("/metadata/v1/keys?limit=100&start={}", n + 1)}
        });
        json(format!("{page}{padding}"))
    });
    let (out, _) = run_within(server.imds().arg("keys"), Duration::from_secs(60));
    let err = assert_fails(&out, 7);
    assert!(err.contains("16 MiB"), "{err}");
    assert_eq!(server.reads().len(), pages);
}

#[test]
fn endless_pages_end_at_the_total_cap_with_exit_7() {
    // Each page is under the per-answer cap; together they are not: 18 pages of 900 KiB are
    // under 16 MiB, 19 are over it.
    let filler = "A".repeat(900 * 1024);
    ends_at_the_total_cap(
        move |n| json!({"id": format!("k{n}"), "public_key": filler}),
        String::new(),
        19,
    );
}

#[test]
fn the_total_cap_counts_bodies_as_received_whitespace_included() {
    // Each page is a small document padded with 900 KiB of whitespace: what is read and held is
    // the body, so the 19th page (over 16 MiB in all) ends the run.
    ends_at_the_total_cap(
        |n| json!({"id": format!("k{n}")}),
        " ".repeat(900 * 1024),
        19,
    );
}

#[test]
fn an_oversize_page_is_fetched_again_with_a_smaller_limit() {
    // Over the 1 MiB cap at 100 keys a page, under it at 50.
    let big = "B".repeat(15 * 1024);
    let server = Hostile::service(move |req| {
        let limit: usize = req
            .param("limit")
            .and_then(|s| s.parse().ok())
            .unwrap_or(100);
        let start: usize = req.param("start").and_then(|s| s.parse().ok()).unwrap_or(0);
        let total = 120;
        let ids: Vec<usize> = (start..total.min(start + limit)).collect();
        let keys: Vec<Value> = ids
            .iter()
            .map(|i| json!({"id": format!("k{i}"), "public_key": big}))
            .collect();
        let mut page = json!({"keys": keys, "limit": limit});
        let end = start + ids.len();
        if end < total {
            page["next"] = json!({"href": format!("/metadata/v1/keys?limit={limit}&start={end}")});
        }
        json(page.to_string())
    });
    let (out, _) = run_within(
        server.imds().args(["keys", "--field", "id"]),
        Duration::from_secs(30),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let ids: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    let expected: Vec<String> = (0..120).map(|i| format!("k{i}")).collect();
    assert_eq!(ids, expected);
    let limits: Vec<String> = server
        .reads()
        .iter()
        .map(|r| r.param("limit").unwrap_or("-").to_string())
        .collect();
    assert_eq!(
        limits.first().map(String::as_str),
        Some("100"),
        "{limits:?}"
    );
    assert!(
        limits
            .iter()
            .skip(1)
            .all(|l| l.parse::<u32>().is_ok_and(|n| n < 100)),
        "{limits:?}"
    );
}

// ---- the endpoint is parsed once, into a typed value ----

#[test]
fn bad_endpoints_are_exit_2_before_any_request() {
    let server = Hostile::unused();
    let port = server.url.rsplit(':').next().unwrap().to_string();
    for bad in [
        "http://127.0.0.1:99999".to_string(),
        "http://127.0.0.1:65536".to_string(),
        "http://127.0.0.1:0".to_string(),
        format!("http://user:secret@127.0.0.1:{port}"),
        format!("http://127.0.0.1:{port}/?x=1"),
        format!("http://127.0.0.1:{port}/#top"),
        format!("http://127.0.0.1:{port}/metadata"),
        format!("http://127.0.0.1:{port}:{port}"),
        format!("http://127.0.0.1:+{port}"),
        format!("http://127.0.0.1:{port}\\@evil"),
        format!("ftp://127.0.0.1:{port}"),
    ] {
        let out = imds()
            .args(["--endpoint", &bad, "instance"])
            .output()
            .unwrap();
        let err = assert_fails(&out, 2);
        assert!(!err.contains("secret"), "{err}");
    }
}

#[test]
fn a_good_endpoint_with_a_trailing_slash_still_works() {
    let server = Hostile::service(|_| json(r#"{"id":"i"}"#));
    let out = ok(imds().args([
        "--endpoint",
        &format!("{}/", server.url),
        "instance",
        "--field",
        "id",
    ]));
    assert_eq!(out, "i\n");
}

// ---- a later page without the collection array ----

#[test]
fn a_later_page_without_the_collection_array_is_exit_7() {
    for later in ["{}", r#"{"keys":null}"#, r#"{"keys":{}}"#] {
        let server = Hostile::service(move |req| match req.param("start") {
            None => json(keys_page(
                &["a"],
                Some("/metadata/v1/keys?limit=100&start=2"),
            )),
            Some(_) => json(later),
        });
        let (out, _) = run_within(server.imds().arg("keys"), Duration::from_secs(20));
        assert_fails(&out, 7);
        let (out, _) = run_within(server.imds().args(["get", "keys"]), Duration::from_secs(20));
        assert_fails(&out, 7);
    }
}

// ---- a non-UTF-8 argument ----

#[test]
fn a_non_utf8_argument_is_exit_2_with_one_line() {
    for args in [
        vec![not_utf8("instance")],
        vec!["get".into(), not_utf8("keys")],
        vec!["--field".into(), not_utf8("id"), "instance".into()],
        vec![
            "--endpoint".into(),
            not_utf8("http://127.0.0.1:9"),
            "instance".into(),
        ],
    ] {
        let out = imds().args(&args).output().unwrap();
        let err = assert_fails(&out, 2);
        assert_eq!(
            err.lines().filter(|l| l.starts_with("imds: ")).count(),
            1,
            "{err}"
        );
    }
}

/// `bytes` as one command-line argument.
#[cfg(unix)]
fn raw_arg(bytes: &[u8]) -> OsString {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(bytes).into()
}

/// `bytes` as one command-line argument: on Windows, a byte above ASCII is a lone surrogate,
/// which no UTF-8 text holds either.
#[cfg(windows)]
fn raw_arg(bytes: &[u8]) -> OsString {
    let wide: Vec<u16> = bytes
        .iter()
        .map(|&b| if b.is_ascii() { u16::from(b) } else { 0xd800 })
        .collect();
    std::os::windows::ffi::OsStringExt::from_wide(&wide)
}

#[test]
fn a_non_utf8_positional_argument_is_exit_2_and_sends_nothing() {
    let mock = crate::support::Mock::new();
    let words =
        |list: &[&[u8]]| -> Vec<std::ffi::OsString> { list.iter().map(|w| raw_arg(w)).collect() };
    for args in [
        words(&[b"keys", b"\xff\xfe"]),
        words(&[b"keys", b"r006-\xff"]),
        words(&[b"get", b"\xff"]),
        words(&[b"get", b"instance/\xff"]),
        words(&[b"nics", b"\xff"]),
        words(&[b"volumes", b"\xff"]),
        words(&[b"placement-groups", b"\xff"]),
        words(&[
            b"keys",
            b"\xff",
            b"--authorized-keys",
            b"/nonexistent/authorized_keys",
        ]),
        words(&[b"-v", b"nics", b"--", b"\xfe"]),
        // Option values, the same way.
        words(&[b"token", b"--nonce", b"\xff"]),
        words(&[b"instance", b"--field", b"name", b"--default", b"\xff"]),
        words(&[b"token", b"--iam", b"--profile-name", b"\xff"]),
    ] {
        let out = mock.imds().args(&args).output().unwrap();
        let err = assert_fails(&out, 2);
        assert_eq!(
            err.lines().filter(|l| l.starts_with("imds: ")).count(),
            1,
            "{args:?}: {err}"
        );
        assert!(err.contains("UTF-8"), "{args:?}: {err}");
        assert!(!err.contains('\u{fffd}'), "{args:?}: {err}");
    }
    assert_eq!(mock.counts()["total"], 0);
}

#[test]
fn a_non_utf8_file_name_is_used_as_it_is() {
    let mock = crate::support::Mock::new();
    let dir = tempfile::tempdir().unwrap();
    let name = dir.path().join(raw_arg(b"zone-\xff"));
    let out = mock
        .imds()
        .args(["instance", "--field", "zone.name", "-o"])
        .arg(&name)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read(&name).unwrap().ends_with(b"\n"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

// ---- no panic on any I/O error; stderr failures are ignored ----

/// Runs `cmd` with its stderr a pipe nobody reads (the reading end is closed before `imds`
/// writes anything: its first write comes after a request at the earliest).
fn with_stderr_unread(cmd: &mut Command) -> Output {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = child;
    drop(child.stderr.take());
    child.wait_with_output().unwrap()
}

#[test]
fn an_unread_stderr_does_not_change_the_exit_code() {
    let server = Hostile::service(|req| {
        if req.path().ends_with("/instance") {
            json(r#"{"id":"i"}"#)
        } else {
            answer("404 Not Found", "", b"{}")
        }
    });
    let out = with_stderr_unread(server.imds().args(["-v", "instance", "--field", "id"]));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "i\n");
    let out = with_stderr_unread(server.imds().args(["-v", "get", "nothing"]));
    assert_eq!(out.status.code(), Some(3));
    let out = with_stderr_unread(imds().args(["-v", "instance"]));
    assert_eq!(out.status.code(), Some(4));
    let out = with_stderr_unread(imds().arg("--bogus"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_closed_stderr_does_not_change_the_exit_code() {
    let server = Hostile::service(|_| json(r#"{"id":"i"}"#));
    let closed = |endpoint: &str, args: &[&str]| {
        Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 2>&-"#)
            .arg(crate::support::IMDS)
            .args(args)
            .env_clear()
            .env("IMDS_ENDPOINT", endpoint)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let out = closed(&server.url, &["-v", "instance", "--field", "id"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "i\n");
    let out = closed(crate::support::NOWHERE, &["-v", "instance"]);
    assert_eq!(out.status.code(), Some(4));
}

/// `/dev/full`, opened for writing: every write to it fails with "no space left".
fn dev_full() -> std::fs::File {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
}

#[test]
fn a_full_stderr_does_not_change_the_exit_code() {
    let server = Hostile::service(|_| json(r#"{"id":"i"}"#));
    let out = server
        .imds()
        .args(["-v", "instance", "--field", "id"])
        .stderr(dev_full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "i\n");
    for (args, code) in [
        (&["-v", "instance"][..], 4),
        (&["--bogus"][..], 2),
        (&["--field", "$[", "instance"][..], 2),
    ] {
        let out = imds().args(args).stderr(dev_full()).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
    }
}

#[test]
fn a_full_stdout_is_exit_1_and_a_full_stderr_too_does_not_panic() {
    let server = Hostile::service(|_| json(r#"{"id":"i"}"#));
    let out = server
        .imds()
        .arg("instance")
        .stdout(dev_full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = server
        .imds()
        .arg("instance")
        .stdout(dev_full())
        .stderr(dev_full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = server
        .imds()
        .arg("doctor")
        .stdout(dev_full())
        .stderr(dev_full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

// ---- tokens must be JWT characters ----

#[test]
fn a_minted_token_with_shell_characters_is_exit_7() {
    for bad in [
        "abc'; touch /tmp/x; '",
        "abc$(id)",
        "abc`id`",
        "abc\\ndef",
        "abc;def",
        "a\"b",
        "a(b)",
    ] {
        let server = Hostile::start(move |req| {
            if req.is_token() {
                token_answer(bad)
            } else {
                json("{}")
            }
        });
        let (out, _) = run_within(
            server.imds().args(["token", "--export"]),
            Duration::from_secs(20),
        );
        let err = assert_fails(&out, 7);
        assert!(!err.contains(bad), "the token is echoed: {err}");
        let (out, _) = run_within(server.imds().arg("instance"), Duration::from_secs(20));
        assert_fails(&out, 7);
        assert!(server.reads().is_empty(), "{bad}: the token was sent");
    }
}

#[test]
fn an_iam_token_with_shell_characters_is_exit_7() {
    let server = Hostile::service(|_| {
        json(json!({"access_token": "iam$(id)", "expires_in": 3600}).to_string())
    });
    let (out, _) = run_within(
        server.imds().args(["token", "--iam"]),
        Duration::from_secs(20),
    );
    assert_fails(&out, 7);
}

#[test]
fn an_imds_token_with_shell_characters_is_exit_2() {
    for bad in ["abc;def", "abc$(id)", "a'b", "a|b", "a%b", "a{b}"] {
        let server = Hostile::unused();
        let out = server
            .imds()
            .env("IMDS_TOKEN", bad)
            .arg("instance")
            .output()
            .unwrap();
        let err = assert_fails(&out, 2);
        assert!(err.contains("IMDS_TOKEN"), "{err}");
        assert!(!err.contains(bad), "{err}");
    }
}

#[test]
fn a_jwt_token_still_works_and_exports() {
    let server = Hostile::service(|_| json("{}"));
    let out = ok(server.imds().args(["token", "--export"]));
    assert_eq!(out, format!("export IMDS_TOKEN='{TOKEN}'\n"));
    let out = ok(server
        .imds()
        .env("IMDS_TOKEN", "a-b_c.d~e+f/g=")
        .args(["instance", "--compact"]));
    assert_eq!(out, "{}\n");
}

// ---- an answer that cannot be parsed is exit 7; no answer stays exit 4 ----

#[test]
fn a_malformed_http_answer_is_exit_7() {
    let malformed: [&[u8]; 5] = [
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: two\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nX-Bad: a\0b\r\nContent-Length: 2\r\n\r\n{}",
        b"HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}",
    ];
    for raw in malformed {
        let server = Hostile::start(move |_| Reply::Raw(raw.to_vec()));
        let (out, _) = run_within(
            server.imds().env("IMDS_TOKEN", TOKEN).arg("instance"),
            Duration::from_secs(20),
        );
        let err = assert_fails(&out, 7);
        assert!(!err.contains("HTTPS only"), "{err}");
    }
}

#[test]
fn a_tls_record_answering_plain_http_stays_exit_4_with_the_secure_hint() {
    // A TLS alert record (handshake failure), as an HTTPS-only server sends to plain HTTP.
    let server = Hostile::start(|_| Reply::Raw(vec![0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]));
    let (out, _) = run_within(
        server.imds().env("IMDS_TOKEN", TOKEN).arg("instance"),
        Duration::from_secs(20),
    );
    let err = assert_fails(&out, 4);
    assert!(err.contains("--secure"), "{err}");
}

#[test]
fn no_answer_at_all_stays_exit_4() {
    let server = Hostile::start(|_| Reply::Close);
    let (out, _) = run_within(
        server.imds().env("IMDS_TOKEN", TOKEN).arg("instance"),
        Duration::from_secs(20),
    );
    assert_fails(&out, 4);
}

// ---- init --user-data on a document that is not an object ----

#[test]
fn user_data_from_a_document_that_is_not_an_object_is_exit_7() {
    for doc in ["[]", r#""text""#, "null", "42", r#"["user_data"]"#] {
        let server = Hostile::service(move |_| json(doc));
        let (out, _) = run_within(
            server.imds().args(["init", "--user-data"]),
            Duration::from_secs(20),
        );
        assert_fails(&out, 7);
    }
}

// ---- numbers print exactly as the service sent them ----

const NUMBERS: &str = r#"{"big":12345678901234567890123,"negative_zero":-0,"tiny":1e-400,"huge":1e400,"exact":0.1000000000000000055511151231257827,"length":2048}"#;

#[test]
fn numbers_print_exactly_as_sent() {
    let server = Hostile::service(|_| json(NUMBERS));
    // serde_json writes an exponent with its sign (`1e400` as `1e+400`); the digits stay.
    let out = ok(server.imds().args(["instance", "--compact"]));
    assert_eq!(out, format!("{}\n", NUMBERS.replace("1e400", "1e+400")));
    let out = ok(server.imds().arg("instance"));
    for literal in [
        "12345678901234567890123",
        ": -0,",
        "1e-400",
        "1e+400",
        "0.1000000000000000055511151231257827",
    ] {
        assert!(out.contains(literal), "{literal} lost: {out}");
    }
    let out = ok(server.imds().args([
        "instance",
        "--field",
        "big",
        "--field",
        "negative_zero",
        "--field",
        "huge",
    ]));
    assert_eq!(out, "12345678901234567890123\t-0\t1e+400\n");
    let out = ok(server
        .imds()
        .args(["instance", "--color", "always", "--compact"]));
    assert!(out.contains("12345678901234567890123"), "{out:?}");
    assert!(out.contains("1e-400"), "{out:?}");
}

#[test]
fn jsonpath_filters_still_compare_numbers() {
    let page = r#"{"keys": [
        {"id": "a", "length": 2048},
        {"id": "b", "length": 256},
        {"id": "c", "length": 4096.0},
        {"id": "d", "length": 12345678901234567890123}
    ]}"#;
    let server = Hostile::service(move |_| json(page));
    let out = ok(server
        .imds()
        .args(["keys", "--field", "$[?@.length > 1000].id"]));
    assert_eq!(out, "a\nc\nd\n");
    let out = ok(server
        .imds()
        .args(["keys", "--field", "$[?@.length == 4096].id"]));
    assert_eq!(out, "c\n");
    let out = ok(server
        .imds()
        .args(["keys", "--field", "$[?@.length <= 256].id"]));
    assert_eq!(out, "b\n");
}
// ---- without --wait, at most 1 s of sleeping in all ----

#[test]
fn a_long_retry_after_without_wait_ends_at_once_with_the_wait_hint() {
    let server =
        Hostile::service(|_| answer("503 Service Unavailable", "Retry-After: 10\r\n", b"{}"));
    let (out, took) = run_within(server.imds().arg("instance"), Duration::from_secs(30));
    let err = assert_fails(&out, 7);
    assert!(err.contains("--wait"), "{err}");
    assert!(took < Duration::from_secs(1), "{took:?}");
    assert_eq!(server.reads().len(), 1);
}

#[test]
fn retry_afters_without_wait_sleep_at_most_one_second_in_all() {
    let server = Hostile::service(|_| answer("429 Too Many Requests", "Retry-After: 1\r\n", b"{}"));
    let (out, took) = run_within(server.imds().arg("instance"), Duration::from_secs(30));
    let err = assert_fails(&out, 7);
    assert!(err.contains("--wait"), "{err}");
    assert!(took < Duration::from_millis(1800), "{took:?}");
}

// ---- --field paths have a length limit ----

#[test]
fn overlong_field_paths_are_exit_2_before_any_request() {
    let server = Hostile::unused();
    let many = vec!["a"; 20_000].join(".");
    let deep = format!("$.{}", vec!["a"; 300].join("."));
    let wide = format!("$['{}']", "x".repeat(5000));
    let indexed = format!("a{}", "[0]".repeat(300));
    for path in [&many, &deep, &wide, &indexed] {
        let (out, took) = run_within(
            server.imds().args(["instance", "--field", path]),
            Duration::from_secs(10),
        );
        let err = assert_fails(&out, 2);
        assert!(err.len() < 1000, "{err}");
        assert!(took < Duration::from_secs(2), "{took:?}");
    }
}

#[test]
fn field_paths_at_the_limit_still_work() {
    let server = Hostile::service(|_| json(r#"{"a":1}"#));
    let path = vec!["b"; 256].join(".");
    let out = crate::support::run(server.imds().args(["instance", "--field", &path]));
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
}

// ---- a next link must name exactly the path requested ----

#[test]
fn next_links_to_any_other_path_are_exit_7() {
    for href in [
        "/metadata/v1/keys/..;/identity/v1/token?start=2",
        "/metadata/v1/keys/..%3b/x?start=2",
        "/metadata/v1/keys\\..\\..\\identity/v1/token?start=2",
        "/metadata/v1/%252e%252e/identity/v1/token?start=2",
        "/metadata/v1/%2e%2e/identity/v1/token?start=2",
        "/metadata/v1/keys/?start=2",
        "/metadata/v1/keys/x?start=2",
        "/metadata/v1/placement_groups?start=2",
        "/metadata/v1/KEYS?start=2",
        "/metadata/v1/keys;x?start=2",
        "http://127.0.0.1:1/metadata/v1/keys@evil/?start=2",
    ] {
        let server = Hostile::service(move |req| {
            if req.path() == "/metadata/v1/keys" && req.param("start").is_none() {
                json(keys_page(&["a"], Some(href)))
            } else {
                json(keys_page(&["b"], None))
            }
        });
        let (out, _) = run_within(server.imds().arg("keys"), Duration::from_secs(20));
        assert_fails(&out, 7);
        assert_eq!(server.reads().len(), 1, "{href} was followed");
    }
}

#[test]
fn next_links_use_only_start_and_limit() {
    let server = Hostile::service(|req| match req.param("start") {
        None => json(keys_page(
            &["a"],
            Some(
                "https://elsewhere.example/metadata/v1/keys?limit=50&start=tok2&version=2019-01-01&x=1",
            ),
        )),
        Some(_) => json(keys_page(&["b"], None)),
    });
    let out = ok(server.imds().args(["keys", "--field", "id"]));
    assert_eq!(out, "a\nb\n");
    let reads = server.reads();
    let second = &reads[1];
    assert_eq!(second.path(), "/metadata/v1/keys");
    assert_eq!(second.param("start"), Some("tok2"));
    assert_eq!(second.param("limit"), Some("50"));
    assert_eq!(second.param("version"), Some("2025-08-26"));
    assert_eq!(second.param("x"), None);
}

#[test]
fn a_next_link_with_a_bad_start_or_limit_is_exit_7() {
    for href in [
        "/metadata/v1/keys?start=",
        "/metadata/v1/keys?limit=100",
        "/metadata/v1/keys?start=a&start=b",
        "/metadata/v1/keys?start=a%00b",
        "/metadata/v1/keys?start=a&limit=0",
        "/metadata/v1/keys?start=a&limit=-1",
        "/metadata/v1/keys?start=a&limit=99999999999",
    ] {
        let server = Hostile::service(move |req| match req.param("start") {
            None if req.query().contains("limit=100") && !req.query().contains("start") => {
                json(keys_page(&["a"], Some(href)))
            }
            _ => json(keys_page(&["b"], None)),
        });
        let (out, _) = run_within(server.imds().arg("keys"), Duration::from_secs(20));
        assert_fails(&out, 7);
        assert_eq!(server.reads().len(), 1, "{href} was followed");
    }
}

// ---- --cacert is checked before any request, whatever the scheme ----

#[test]
fn bad_cacert_files_are_exit_2_before_any_request() {
    let dir = temp_path("cacert");
    std::fs::create_dir_all(&dir).unwrap();
    let missing = dir.join("missing.pem");
    let empty = dir.join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    let not_pem = dir.join("key.pem");
    std::fs::copy("tests/data/server.key", &not_pem).unwrap();
    let huge = dir.join("huge.pem");
    let mut big = std::fs::read("tests/data/ca.pem").unwrap();
    while big.len() <= 1024 * 1024 {
        big.extend_from_slice(b"\n# padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&huge, &big).unwrap();
    let fifo = dir.join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success(),
        "mkfifo"
    );
    for path in [
        missing.as_path(),
        empty.as_path(),
        not_pem.as_path(),
        huge.as_path(),
        fifo.as_path(),
        dir.as_path(),
        std::path::Path::new("/dev/zero"),
    ] {
        let server = Hostile::unused();
        let (out, _) = run_within(
            server.imds().arg("--cacert").arg(path).arg("instance"),
            Duration::from_secs(10),
        );
        let err = assert_fails(&out, 2);
        assert!(err.contains("--cacert"), "{}: {err}", path.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_good_cacert_is_accepted_on_http_too() {
    let server = Hostile::service(|_| json(r#"{"id":"i"}"#));
    let out =
        ok(server
            .imds()
            .args(["--cacert", "tests/data/ca.pem", "instance", "--field", "id"]));
    assert_eq!(out, "i\n");
}

// ---- TERM=dumb; private paths in help examples ----

/// Runs `imds ARGS` on a pseudo-terminal (util-linux `script`) with `TERM` set; its output.
fn on_a_terminal(endpoint: &str, term: &str, args: &str) -> Option<String> {
    let command = format!("{} {args}", crate::support::IMDS);
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("IMDS_ENDPOINT", endpoint)
        .env("TERM", term)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then(|| stdout(&out))
}

#[test]
fn term_dumb_gets_no_colour_under_color_auto() {
    let server = Hostile::service(|_| json(r#"{"id":"i","n":1}"#));
    let Some(coloured) = on_a_terminal(&server.url, "xterm-256color", "instance") else {
        eprintln!("skipped: no pseudo-terminal (script)");
        return;
    };
    // The terminal is real: without TERM=dumb the document is coloured.
    assert!(coloured.contains('\u{1b}'), "{coloured:?}");
    let plain = on_a_terminal(&server.url, "dumb", "instance").unwrap();
    assert!(!plain.contains('\u{1b}'), "{plain:?}");
    assert!(plain.contains("\"id\""), "{plain:?}");
    let forced = on_a_terminal(&server.url, "dumb", "--color always instance").unwrap();
    assert!(forced.contains('\u{1b}'), "{forced:?}");
}

#[test]
fn help_examples_write_no_user_data_to_shared_directories() {
    let mut pages = vec![ok(imds().arg("--help"))];
    // Every subcommand's page, as the command tree lists them.
    for sub in imds::cli::Cli::command().get_subcommands() {
        let sub = sub.get_name();
        pages.push(ok(imds().args([sub, "--help"])));
    }
    for page in pages {
        for shared in ["/tmp/", "/var/tmp/", "/dev/shm/"] {
            assert!(!page.contains(shared), "{shared} in:\n{page}");
        }
    }
}
