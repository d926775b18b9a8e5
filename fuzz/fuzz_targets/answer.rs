//! The client's answer decoding: a status, headers and a body into a value or an error, and the
//! pages that value links to.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imds::fuzzing::answer(data));
