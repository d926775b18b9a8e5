//! What the `imds` binary loads before it runs.

use crate::support::IMDS;

/// The shared libraries `imds` names as needed (`readelf --dynamic`).
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

/// The C library and nothing else: libgcc_s.so.1, which std asks for its unwinder, ran eleven
/// CPUID instructions in its constructor, each a trap to the hypervisor on a virtual machine;
/// build.rs links GCC's unwinder into the binary instead.
#[test]
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn imds_loads_only_the_c_library() {
    let needed = needed(IMDS);
    assert!(
        needed.iter().any(|n| n.starts_with("libc.so")),
        "{needed:?}"
    );
    assert!(
        needed
            .iter()
            .all(|n| n.starts_with("libc.so") || n.starts_with("ld-linux")),
        "{needed:?}"
    );
}

/// httparse is built without its run-time SIMD detection (.cargo/config.toml), which ran about
/// seven CPUID instructions on the first response, each a trap to the hypervisor on a virtual
/// machine.
#[test]
#[allow(clippy::assertions_on_constants)]
fn httparse_is_built_without_cpu_feature_detection() {
    assert!(
        cfg!(httparse_disable_simd = "1"),
        "build with .cargo/config.toml's rustflags (RUSTFLAGS in the environment replaces them)"
    );
}
