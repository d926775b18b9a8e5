//! `imds-mock`: the emulator's thin entry point; everything is in [`imds::mock`].

fn main() {
    std::process::exit(imds::mock::main());
}
