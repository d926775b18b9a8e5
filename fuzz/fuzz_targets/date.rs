//! Version dates (`--api-version`): parsed and checked against the calendar.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imds::fuzzing::date(data));
