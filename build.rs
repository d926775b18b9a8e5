//! Build facts for `imds --version`: the target triple and the optional features built in, so a
//! build without HTTPS or without the emulator can be told apart from the release build. And on
//! Linux with glibc, GCC's unwinder linked into the binaries.

fn main() {
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".to_string());
    let features: Vec<&str> = [("tls", "CARGO_FEATURE_TLS"), ("mock", "CARGO_FEATURE_MOCK")]
        .into_iter()
        .filter(|(_, var)| std::env::var_os(var).is_some())
        .map(|(name, _)| name)
        .collect();
    let features = if features.is_empty() {
        "none".to_string()
    } else {
        features.join(", ")
    };
    println!("cargo:rustc-env=IMDS_BUILD={target}; features: {features}");
    println!("cargo:rerun-if-changed=build.rs");
    // GCC's unwinder (std's backtraces) linked in from libgcc_eh.a, ahead of the libgcc_s.so.1
    // that std asks for, which is then not loaded at all: loading it ran its constructor's
    // twelve CPUID instructions, each a trap to the hypervisor on a virtual machine (10-24 us
    // each on the benchmark machine). Only when the linker (`cc`, rustc's default) has
    // libgcc_eh.a: a toolchain with LLVM's runtimes alone builds as before. cargo zigbuild
    // (dist/build.sh) links zig's own unwinder either way. IMDS_UNWINDER tells the tests which.
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let static_unwinder = var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && has_libgcc_eh();
    if static_unwinder {
        println!("cargo:rustc-link-lib=static:-bundle=gcc_eh");
    }
    let unwinder = if static_unwinder { "static" } else { "default" };
    println!("cargo:rustc-env=IMDS_UNWINDER={unwinder}");
}

/// Whether `cc` finds libgcc_eh.a: it prints the file's path when it does, the bare name when
/// it does not.
fn has_libgcc_eh() -> bool {
    std::process::Command::new("cc")
        .arg("-print-file-name=libgcc_eh.a")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .is_some_and(|path| {
            std::path::Path::new(&path).is_absolute() && std::path::Path::new(&path).is_file()
        })
}
