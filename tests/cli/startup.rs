//! What the `imds` binary loads before it runs.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
use crate::support::IMDS;

/// The shared libraries `imds` names as needed (`readelf --dynamic`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn needed(binary: &str) -> Vec<String> {
    let out = std::process::Command::new("readelf")
        .args(["--dynamic", binary])
        .output()
        .expect("readelf (binutils, which links Rust programs here) runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("(NEEDED)"))
        .filter_map(|l| l.split('[').nth(1))
        .map(|name| name.trim_end_matches(']').to_string())
        .collect()
}

/// No libgcc_s.so.1: std asks for it for its unwinder, and loading it ran twelve CPUID
/// instructions in its constructor, each a trap to the hypervisor on a virtual machine. build.rs
/// links GCC's unwinder into the binary instead, when the toolchain has it.
#[test]
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn imds_does_not_load_libgcc_s() {
    if env!("IMDS_UNWINDER") != "static" {
        eprintln!("skipped: this toolchain has no libgcc_eh.a, so build.rs left the unwinder be");
        return;
    }
    let needed = needed(IMDS);
    assert!(
        needed.iter().any(|n| n.starts_with("libc.so")),
        "{needed:?}"
    );
    assert!(
        !needed.iter().any(|n| n.starts_with("libgcc_s")),
        "{needed:?}"
    );
}

/// httparse is built without its run-time SIMD detection (.cargo/config.toml), which ran about
/// seven CPUID instructions on the first response, each a trap to the hypervisor on a virtual
/// machine. RUSTFLAGS or CARGO_ENCODED_RUSTFLAGS in the environment replace the configuration's
/// flags; such a build is told so, not failed.
#[test]
#[allow(clippy::assertions_on_constants)]
fn httparse_is_built_without_cpu_feature_detection() {
    if option_env!("RUSTFLAGS").is_some() || option_env!("CARGO_ENCODED_RUSTFLAGS").is_some() {
        eprintln!("skipped: RUSTFLAGS replaces .cargo/config.toml's httparse_disable_simd");
        return;
    }
    assert!(
        cfg!(httparse_disable_simd = "1"),
        "build with .cargo/config.toml's rustflags"
    );
}
