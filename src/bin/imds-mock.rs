//! `imds-mock`: the emulator's thin entry point; everything is in the `imds-mock` package (crates/imds-mock).

fn main() {
    std::process::exit(imds::mock::main());
}
