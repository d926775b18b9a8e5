//! IBM's own clients against the emulator: the `VpcInstanceAuthenticator`s of the Python and
//! Node `ibm-cloud-sdk-core` packages (tests/sdk/) get an IAM token with every trusted-profile
//! selector on both path families, and are refused cleanly for an unknown profile and an
//! out-of-range lifetime.
//!
//! Both SDKs pick the path family from their `service_version`/`serviceVersion`:
//! `2022-03-01` (their default) means `/instance_identity/v1/token` and `…/iam_token`,
//! `2025-08-26` means `/identity/v1/token` and `…/iam_tokens`; they accept no other date.
//!
//! `.ci/run` installs the packages under `target/sdk/` (a Python venv and `node_modules`);
//! without them a test installs them there itself, and is skipped, with a message saying so,
//! only when the package registry cannot be reached.

use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

const DEFAULT_PROFILE: &str = "Profile-8dd84246-7df4-4667-94e4-8cede51d5ac5";
const OTHER_PROFILE: &str = "Profile-2c4e6f80-1a3b-4c5d-8e9f-0a1b2c3d4e5f";
const OTHER_CRN: &str = "crn:v1:bluemix:public:iam-identity::a/aa2432b1fa4d4ace891e9b80fc104e34::profile:Profile-2c4e6f80-1a3b-4c5d-8e9f-0a1b2c3d4e5f";
const OTHER_NAME: &str = "my-other-profile";
/// One installer at a time: both write under target/sdk/.
static INSTALL: Mutex<()> = Mutex::new(());

/// `target/sdk/`, next to the binaries' profile directory.
fn sdk_dir() -> PathBuf {
    Path::new(IMDS)
        .parent()
        .and_then(Path::parent)
        .expect("target directory")
        .join("sdk")
}

fn script(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sdk")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Runs an installer step; `Err` with its output when it fails.
fn step(cmd: &mut Command) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Whether an installer's failure is the registry being out of reach.
fn unreachable_registry(output: &str) -> bool {
    [
        "Could not fetch",
        "Could not find a version",
        "NewConnectionError",
        "Max retries exceeded",
        "Temporary failure in name resolution",
        "Network is unreachable",
        "ENOTFOUND",
        "ECONNREFUSED",
        "ECONNRESET",
        "ETIMEDOUT",
        "EAI_AGAIN",
        "network",
    ]
    .iter()
    .any(|needle| output.contains(needle))
}

/// The SDK's runner, installing it first if needed; `None` (after saying why) to skip.
fn ready(install: fn(&Path) -> Result<(), String>, check: &Path, what: &str) -> Option<()> {
    let _guard = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    if check.exists() {
        return Some(());
    }
    let dir = sdk_dir();
    std::fs::create_dir_all(&dir).unwrap();
    match install(&dir) {
        Ok(()) => Some(()),
        Err(e) if unreachable_registry(&e) => {
            eprintln!("SKIPPED: {what} could not be installed: its registry is out of reach\n{e}");
            None
        }
        Err(e) => panic!("installing {what}: {e}"),
    }
}

fn python() -> Option<PathBuf> {
    let bin = sdk_dir().join("venv/bin/python");
    let marker = sdk_dir().join("venv/.ibm-cloud-sdk-core");
    ready(
        |dir| {
            step(
                Command::new("python3")
                    .args(["-m", "venv"])
                    .arg(dir.join("venv")),
            )?;
            step(Command::new(dir.join("venv/bin/pip")).args([
                "install",
                "--quiet",
                "ibm-cloud-sdk-core",
            ]))?;
            std::fs::write(dir.join("venv/.ibm-cloud-sdk-core"), "").map_err(|e| e.to_string())
        },
        &marker,
        "the Python ibm-cloud-sdk-core (PyPI)",
    )?;
    Some(bin)
}

fn node_modules() -> Option<PathBuf> {
    let modules = sdk_dir().join("node_modules");
    ready(
        |dir| {
            step(
                Command::new("npm")
                    .args(["install", "--silent", "--no-save", "--prefix"])
                    .arg(dir)
                    .arg("ibm-cloud-sdk-core"),
            )
        },
        &modules.join("ibm-cloud-sdk-core/package.json"),
        "the Node ibm-cloud-sdk-core (npm)",
    )?;
    Some(modules)
}

/// One run of an SDK driver: its JSON line.
fn drive(
    sdk: &Sdk,
    url: &str,
    version: &str,
    selector: &str,
    value: &str,
    lifetime: &str,
) -> Value {
    let mut cmd = match sdk {
        Sdk::Python(python) => {
            let mut c = Command::new(python);
            c.arg(script("vpc_token.py"));
            c
        }
        Sdk::Node(modules) => {
            let mut c = Command::new("node");
            c.env("NODE_PATH", modules).arg(script("vpc_token.js"));
            c
        }
    };
    // No proxy may carry the SDK's requests off the machine.
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_PROXY", "*");
    let out = cmd
        .args([url, version, selector, value, lifetime])
        .output()
        .expect("run the SDK driver");
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.trim()).unwrap_or_else(|_| {
        panic!(
            "{selector} {version}: not one JSON line: {text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

enum Sdk {
    Python(PathBuf),
    Node(PathBuf),
}

fn every_selector_on_both_families_and_clean_refusals(sdk: Sdk) {
    let mock = Mock::new();
    let selectors = [
        ("default", "", DEFAULT_PROFILE),
        ("id", OTHER_PROFILE, OTHER_PROFILE),
        ("crn", OTHER_CRN, OTHER_PROFILE),
        ("name", OTHER_NAME, OTHER_PROFILE),
    ];
    for version in ["2022-03-01", "2025-08-26"] {
        for (selector, value, profile) in selectors {
            let answer = drive(&sdk, &mock.url, version, selector, value, "300");
            assert_eq!(answer["ok"], true, "{selector} {version}: {answer}");
            assert_eq!(answer["claims"]["id"], profile, "{selector} {version}");
        }
    }
    // Each family served the four exchanges of its version date.
    assert_eq!(mock.count("PUT /instance_identity/v1/token"), 4);
    assert_eq!(mock.count("POST /instance_identity/v1/iam_token"), 4);
    assert_eq!(mock.count("PUT /identity/v1/token"), 4);
    assert_eq!(mock.count("POST /identity/v1/iam_tokens"), 4);
    for version in ["2022-03-01", "2025-08-26"] {
        let answer = drive(&sdk, &mock.url, version, "name", "no-such-profile", "300");
        assert_eq!(answer["ok"], false, "{answer}");
        assert_eq!(answer["status"], 400);
        assert!(
            answer["message"].as_str().unwrap().contains("not linked"),
            "{answer}"
        );
        let answer = drive(&sdk, &mock.url, version, "default", "", "7200");
        assert_eq!(answer["ok"], false, "{answer}");
        assert_eq!(answer["status"], 400);
        assert!(
            answer["message"].as_str().unwrap().contains("expires_in"),
            "{answer}"
        );
    }
}

#[test]
fn python_sdk_core_gets_iam_tokens_from_the_emulator() {
    let Some(python) = python() else { return };
    every_selector_on_both_families_and_clean_refusals(Sdk::Python(python));
}

#[test]
fn node_sdk_core_gets_iam_tokens_from_the_emulator() {
    let Some(modules) = node_modules() else {
        return;
    };
    every_selector_on_both_families_and_clean_refusals(Sdk::Node(modules));
}
