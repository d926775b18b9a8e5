//! The emulator's fault rules: any JSON as a `--fault` or `POST /_mock/faults` body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imds::mock::fuzzing::fault_rule(data));
