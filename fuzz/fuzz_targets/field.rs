//! `--field` paths: the shorthand and JSONPath parsers, and picking values with what they parse.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imds::fuzzing::field(data));
