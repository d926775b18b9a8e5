//! The emulator's request parser and its answers: bytes as they come off a connection.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imds::mock::fuzzing::requests(data));
