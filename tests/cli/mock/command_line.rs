//! The command line: the URL line, exec mode, fixtures, help, durations.

use super::*;

#[test]
fn first_line_is_the_loopback_base_url() {
    let mock = Mock::new();
    let port = mock.url.strip_prefix("http://127.0.0.1:").expect(&mock.url);
    assert!(port.parse::<u16>().unwrap() > 0);
}

#[test]
fn exec_mode_exits_with_the_commands_status() {
    let out = Command::new(IMDS_MOCK)
        .args(["--", "sh", "-c", "test -n \"$IMDS_ENDPOINT\"; exit 3"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn exec_mode_endpoint_serves_while_the_command_runs() {
    // The command prints its IMDS_ENDPOINT and waits; meanwhile the test uses that endpoint.
    let mut child = Command::new(IMDS_MOCK)
        .args(["-q", "--", "sh", "-c", "echo \"$IMDS_ENDPOINT\"; sleep 1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
    let url = line.trim_end().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line:?}");
    let (status, body) = support::http(
        "PUT",
        &format!("{url}/identity/v1/token?{NEW}"),
        None,
        &[("Metadata-Flavor", "ibm")],
    );
    assert_eq!(status, 200, "{body}");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "", "imds-mock printed on stdout");
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn exec_mode_reports_death_by_signal_as_128_plus_n() {
    let status = Command::new(IMDS_MOCK)
        .args(["-q", "--", "sh", "-c", "kill -TERM $$"])
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(128 + 15));
}

#[test]
fn exec_mode_with_a_missing_command_is_127() {
    let out = Command::new(IMDS_MOCK)
        .args(["-q", "--", "/nonexistent/imds-mock-test-command"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(127));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot run"));
}

#[test]
fn malformed_fixture_is_exit_2_naming_the_field() {
    let path = write_temp(
        "bad.json",
        r#"{"instance": {"id": "i-1"}, "keys": [{"id": "k1"}, {"name": "no id"}]}"#,
    );
    let out = Command::new(IMDS_MOCK)
        .args(["--port", "0", "--fixture"])
        .arg(&path)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("imds-mock: "), "{err}");
    assert!(err.contains("keys[1].id"), "{err}");
}

#[test]
fn own_fixture_is_served() {
    let path = write_temp(
        "good.json",
        r##"{"instance": {"id": "i-own", "name": "mine", "volume_attachments": [{"id": "va-1"}]},
            "initialization": {"user_data": "#!/bin/sh\necho hi\n"},
            "keys": [{"id": "k1", "name": "only"}]}"##,
    );
    let mock = Mock::start(&["--fixture", path.to_str().unwrap()]);
    let t = token(&mock);
    assert_eq!(get(&mock, &t, "instance").json()["name"], "mine");
    assert_eq!(
        get(&mock, &t, "instance/initialization").json()["user_data"],
        "#!/bin/sh\necho hi\n"
    );
    assert_eq!(get(&mock, &t, "keys").json()["keys"][0]["name"], "only");
    assert_eq!(
        get(&mock, &t, "instance/volume_attachments/va-1").status,
        200
    );
    assert_eq!(get(&mock, &t, "placement_groups").json()["total_count"], 0);
}

#[test]
fn help_documents_the_fixture_and_control_path() {
    let out = Command::new(IMDS_MOCK).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "--fixture",
        "trusted_profiles",
        "/_mock/faults",
        "/_mock/counts",
        "--token-ttl",
    ] {
        assert!(help.contains(needle), "{needle} missing from --help");
    }
}

#[test]
fn help_lines_fit_80_and_100_columns() {
    for width in ["80", "100"] {
        let out = Command::new(IMDS_MOCK)
            .arg("--help")
            .env("COLUMNS", width)
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        let width: usize = width.parse().unwrap();
        for line in help.lines() {
            assert!(line.chars().count() <= width, "over {width}: {line:?}");
        }
        assert!(
            help.contains("`Metadata-Flavor: ibm`"),
            "header split at {width}:\n{help}"
        );
        assert!(help.contains("--oversize-chunked [<BYTES>]"), "{help}");
    }
    // The text after the options is laid out by hand to fit 80 columns: clap must not have
    // to wrap it again, so it reads the same at 80 as at 100.
    let after = |width: &str| {
        let out = Command::new(IMDS_MOCK)
            .arg("--help")
            .env("COLUMNS", width)
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&out.stdout).into_owned();
        help[help.find("The first line on stdout").unwrap()..].to_string()
    };
    assert_eq!(after("80"), after("100"));
}

#[test]
fn durations_follow_the_clients_rules() {
    for args in [
        ["--latency", ".5s"],
        ["--latency", "5."],
        ["--token-ttl", "169h"],
    ] {
        let mut child = Command::new(IMDS_MOCK)
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Accepted, it would serve for ever: give it 5 s to refuse.
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if started.elapsed() > Duration::from_secs(5) {
                child.kill().unwrap();
                child.wait().unwrap();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.and_then(|s| s.code()), Some(2), "{args:?} accepted");
    }
    Mock::start(&["--latency", "0.5s", "--token-ttl", "168h"]);
}

#[cfg(unix)]
#[test]
fn exec_mode_passes_sigterm_on_and_reports_it() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let marker = std::env::temp_dir().join(format!("imds-mock-term-{}", std::process::id()));
    let _ = std::fs::remove_file(&marker);
    // The command records that it got SIGTERM, then dies of it.
    let script = format!(
        "trap 'touch {m}; trap - TERM; kill -TERM $$' TERM; while :; do sleep 0.05; done",
        m = marker.display()
    );
    let mut child = Command::new(support::IMDS_MOCK)
        .args(["-q", "--", "sh", "-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "imds-mock did not end"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(marker.exists(), "the command never got SIGTERM");
    let _ = std::fs::remove_file(&marker);
    assert_eq!(status.code(), Some(128 + 15));
}

#[test]
fn exec_mode_honours_an_explicit_port() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let out = std::process::Command::new(support::IMDS_MOCK)
        .args([
            "-q",
            "--port",
            &port.to_string(),
            "--",
            "sh",
            "-c",
            "echo \"$IMDS_ENDPOINT\"",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("http://127.0.0.1:{port}")
    );
}

#[test]
fn preset_names_a_built_in_data_set_and_excludes_a_fixture() {
    for (args, code) in [
        (&["--preset", "huge"][..], 2),
        (&["--preset", "paging", "--fixture", "f.json"], 2),
    ] {
        let out = Command::new(IMDS_MOCK)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let count = |mock: &Mock| {
        let t = token(mock);
        get(mock, &t, "placement_groups?limit=1").json()["total_count"].clone()
    };
    assert_eq!(count(&Mock::start(&["--preset", "paging"])), 120);
    assert_eq!(count(&Mock::start(&["--preset", "default"])), 1);
}
