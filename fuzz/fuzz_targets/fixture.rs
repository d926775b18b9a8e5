//! The emulator's fixture loading: any text as a `--fixture` file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imds::mock::fuzzing::fixture(data));
