//! DURATION values (`--timeout`, `--wait`): parsed, shown, and parsed back.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imds::fuzzing::duration(data));
