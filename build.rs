//! Build facts for `imds --version`: the target triple and the optional features built in, so a
//! build without HTTPS or without the emulator can be told apart from the release build.

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
}
