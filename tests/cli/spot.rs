//! The README's spot-instance recipe: its enabling script, run against emulators serving a
//! spot instance, a standard one, one whose document has no `availability`, and none at all,
//! with a stand-in `systemctl` that records what it was asked.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

use crate::support::{self, Mock};

/// The README's `enable-spot-drain.sh` block.
fn readme_script() -> String {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let open = "```sh enable-spot-drain.sh\n";
    let start = readme.find(open).expect("an enable-spot-drain.sh block") + open.len();
    let len = readme[start..].find("```").unwrap();
    readme[start..start + len].to_string()
}

/// A directory with the script and a `systemctl` that appends its arguments to `calls`.
fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("enable-spot-drain.sh"), readme_script()).unwrap();
    let bin = dir.path().join("bin");
    fs::create_dir(&bin).unwrap();
    let systemctl = bin.join("systemctl");
    fs::write(
        &systemctl,
        format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\n",
            dir.path().join("calls").display()
        ),
    )
    .unwrap();
    fs::set_permissions(&systemctl, fs::Permissions::from_mode(0o755)).unwrap();
    (dir, bin)
}

/// Runs the script with `imds` and the stand-in `systemctl` on PATH.
fn run(dir: &Path, bin: &Path, endpoint: &str) -> Output {
    let imds_dir = Path::new(support::IMDS).parent().unwrap();
    let path = format!(
        "{}:{}:{}",
        bin.display(),
        imds_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("sh")
        .arg("./enable-spot-drain.sh")
        .current_dir(dir)
        .env_clear()
        .env("PATH", path)
        .env("IMDS_ENDPOINT", endpoint)
        .env("IMDS_WAIT", "1s")
        .output()
        .unwrap()
}

fn serve(dir: &Path, instance: Value) -> Mock {
    let path = dir.join("fixture.json");
    fs::write(&path, json!({ "instance": instance }).to_string()).unwrap();
    Mock::start(&["--fixture", path.to_str().unwrap()])
}

fn calls(dir: &Path) -> String {
    fs::read_to_string(dir.join("calls")).unwrap_or_default()
}

#[test]
fn the_spot_recipe_enables_the_unit_on_a_spot_instance_only() {
    for (instance, enabled) in [
        (
            json!({"id": "spot", "availability": {"class": "spot"},
                   "availability_policy": {"host_failure": "restart", "preemption": "stop"}}),
            true,
        ),
        (
            json!({"id": "standard", "availability": {"class": "standard"}}),
            false,
        ),
        (json!({"id": "older"}), false),
    ] {
        let (dir, bin) = setup();
        let mock = serve(dir.path(), instance.clone());
        let out = run(dir.path(), &bin, &mock.url);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{instance}: {}",
            support::stderr(&out)
        );
        let want = if enabled {
            "enable --now spot-drain.service\n"
        } else {
            ""
        };
        assert_eq!(calls(dir.path()), want, "{instance}");
    }
}

#[test]
fn the_spot_recipe_fails_and_enables_nothing_without_the_service() {
    let (dir, bin) = setup();
    let out = run(dir.path(), &bin, support::NOWHERE);
    assert_eq!(out.status.code(), Some(4), "{}", support::stderr(&out));
    assert_eq!(calls(dir.path()), "");
}
