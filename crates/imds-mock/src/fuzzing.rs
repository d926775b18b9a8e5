//! Entry points for the fuzz targets in `fuzz/` (not an API): each takes arbitrary bytes and
//! must return without panicking, whatever they hold.

use crate::faults::Rule;
use crate::fixture::Fixture;
use crate::http::{Conn, Timed};
use crate::state::State;
use crate::{control, routes};
use std::io::{self, Read, Write};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// An in-memory connection: reads `data` in pieces of `step` bytes (so the parser meets
/// requests split anywhere), throws away what is written.
struct Pipe<'d> {
    data: &'d [u8],
    step: usize,
}

impl Read for Pipe<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

impl Write for Pipe<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Its bytes are all there at once: no deadline to keep.
impl Timed for Pipe<'_> {
    fn set_deadline(&mut self, _: Option<Instant>) {}
}

/// A small fixture with every collection and a trusted profile: cheap to copy for each input,
/// and pages of `limit=1` reach every page rule.
const FUZZ_FIXTURE: &str = r##"{
  "instance": {"id": "i", "name": "fuzz", "network_interfaces": [{"id": "n1"}]},
  "initialization": {"user_data": "#!/bin/sh\n"},
  "keys": [{"id": "k1"}, {"id": "k2"}],
  "placement_groups": [{"id": "p1"}, {"id": "p2"}, {"id": "p3"}],
  "volume_attachments": [{"id": "v1"}],
  "network_attachments": [{"id": "a1"}],
  "virtual_network_interfaces": [{"id": "vni1"}, {"id": "vni2"}],
  "cluster_network_attachments": [{"id": "c1"}, {"id": "c2"}],
  "software_attachments": [{"id": "s1"}],
  "trusted_profiles": [{"id": "tp1", "crn": "crn:tp1", "default": true}]
}"##;

/// Reads requests from `data` as a connection would (the first byte sets the read size) and
/// answers each with the service's rules or the control path, on a fresh emulator.
pub fn requests(data: &[u8]) {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    let Some((&first, data)) = data.split_first() else {
        return;
    };
    let fixture = FIXTURE
        .get_or_init(|| Fixture::parse(FUZZ_FIXTURE).expect("the fuzz fixture is valid"))
        .clone();
    let state = std::sync::Arc::new(State::new(
        fixture,
        Vec::new(),
        "http",
        "127.0.0.1:1".into(),
    ));
    // A token the fuzzer can write (`Authorization: Bearer t`), so it gets past the 401s.
    state.tokens().insert("t".into(), Duration::from_secs(3600));
    let mut conn = Conn::new(Pipe {
        data,
        step: usize::from(first) + 1,
    });
    while let Ok(request) = conn.read_request() {
        if request.path.starts_with(control::PREFIX) {
            control::handle(&state, &request);
        } else {
            routes::service(&state, &request);
        }
    }
}

/// Loads `data` as a fixture file's text.
pub fn fixture(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Fixture::parse(text);
    }
}

/// Reads `data` as a fault rule in the control path's JSON form.
pub fn fault_rule(data: &[u8]) {
    if let Ok(value) = serde_json::from_slice(data) {
        let _ = Rule::from_json(&value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_points_take_anything() {
        requests(b"");
        requests(b"\x00PUT /identity/v1/token?version=2025-08-26 HTTP/1.1\r\nMetadata-Flavor: ibm\r\nContent-Length: 2\r\n\r\n{}");
        requests(b"\x03POST /_mock/faults HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
        fixture(b"{\"instance\": {\"id\": \"i\"}}");
        fixture(b"\xff");
        fault_rule(b"{\"kind\":\"token_ttl\",\"seconds\":1e300}");
    }
}
