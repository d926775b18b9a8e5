//! Tests for paginated lists: following `next` links (only on the same path, rebased onto the
//! endpoint, never in a loop), every item once, pages without their items array, and a list
//! printed as its pages arrive.

use std::sync::atomic::Ordering;

use crate::raw;
use crate::support::{Canned, Mock, fails, fixture_with_keys, json_out, ok};

#[test]
fn get_follows_pages_and_drops_next() {
    let mock = Mock::paging();
    let doc = json_out(mock.imds().args(["get", "placement_groups"]));
    assert_eq!(
        doc["placement_groups"].as_array().unwrap().len(),
        120,
        "{doc}"
    );
    assert!(doc.get("next").is_none(), "next kept: {doc}");
}

#[test]
fn keys_across_three_pages_each_once() {
    let fixture = fixture_with_keys(250);
    let mock = Mock::start(&["--fixture", fixture.to_str().unwrap()]);
    let out = ok(mock.imds().args(["keys", "--field", "public_key"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 250, "{out}");
    for i in 0..250 {
        let want = format!("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA{i:04} key-{i:04}");
        assert_eq!(lines.iter().filter(|l| **l == want).count(), 1, "{want}");
    }
    assert_eq!(mock.count("GET /metadata/v1/keys"), 3);
    assert_eq!(mock.count("PUT /identity/v1/token"), 1);
    let _ = std::fs::remove_file(fixture);
}

#[test]
fn next_href_to_other_paths_is_not_followed() {
    let body = br#"{"keys": [{"id": "a"}], "next": {"href": "http://169.254.169.254/identity/v1/token?start=x"}}"#;
    let server = Canned::start(move |_| raw::answer("200 OK", "", body));
    let err = fails(server.imds().arg("keys"), 7);
    assert!(err.contains("next page link"), "{err}");
    assert_eq!(server.hits.load(Ordering::SeqCst), 1);
}

#[test]
fn looping_pages_are_exit_7() {
    let body = br#"{"keys": [{"id": "a"}], "next": {"href": "http://169.254.169.254/metadata/v1/keys?limit=100&start=same"}}"#;
    let server = Canned::start(move |_| raw::answer("200 OK", "", body));
    let err = fails(server.imds().arg("keys"), 7);
    assert!(err.contains("loop"), "{err}");
    assert_eq!(server.hits.load(Ordering::SeqCst), 2);
}

#[test]
fn a_list_printed_as_its_pages_arrive_is_one_array_of_every_item() {
    // An empty page (the second) adds nothing; numbers stay as sent.
    let server = Canned::start(|n| {
        let body = match n % 3 {
            0 => {
                r#"{"keys": [{"id": "a", "length": 4096.0}], "next": {"href": "/metadata/v1/keys?limit=100&start=p2"}}"#
            }
            1 => r#"{"keys": [], "next": {"href": "/metadata/v1/keys?limit=100&start=p3"}}"#,
            _ => r#"{"keys": [{"id": "b"}, {"id": "c", "tags": []}], "total_count": 3}"#,
        };
        raw::answer("200 OK", "", body.as_bytes())
    });
    let out = ok(server.imds().arg("keys"));
    assert_eq!(
        out,
        "[\n  {\n    \"id\": \"a\",\n    \"length\": 4096.0\n  },\n  {\n    \"id\": \"b\"\n  },\n  \
         {\n    \"id\": \"c\",\n    \"tags\": []\n  }\n]\n"
    );
    assert_eq!(server.hits.load(Ordering::SeqCst), 3);
    // The next run starts again from the first page.
    let compact = ok(server.imds().args(["keys", "--compact"]));
    assert_eq!(
        compact,
        "[{\"id\":\"a\",\"length\":4096.0},{\"id\":\"b\"},{\"id\":\"c\",\"tags\":[]}]\n"
    );
}

#[test]
fn a_list_whose_pages_hold_no_items_array_is_exit_7() {
    let server = Canned::start(|_| raw::answer("200 OK", "", br#"{"keys": "none", "limit": 100}"#));
    let err = fails(server.imds().arg("keys"), 7);
    assert!(err.contains("no `keys` array"), "{err}");
    let server = Canned::start(|_| raw::answer("200 OK", "", b"[]"));
    let err = fails(server.imds().arg("keys"), 7);
    assert!(err.contains("not a JSON object"), "{err}");
}

#[test]
fn next_href_is_rebased_onto_the_endpoint() {
    let server = Canned::start(|n| {
        let body = if n == 0 {
            r#"{"keys": [{"id": "a"}], "next": {"href": "https://api.metadata.cloud.ibm.com/metadata/v1/keys?limit=100&start=p2"}}"#
        } else {
            r#"{"keys": [{"id": "b"}]}"#
        };
        raw::answer("200 OK", "", body.as_bytes())
    });
    let out = ok(server.imds().args(["keys", "--field", "id"]));
    assert_eq!(out, "a\nb\n");
    assert_eq!(server.hits.load(Ordering::SeqCst), 2);
}
