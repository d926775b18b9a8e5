//! Hostile servers and hostile input: what a server, an environment or a command line could do
//! to `imds`, and what `imds` must do instead. Each test drives the real binary; the servers are
//! [`crate::hostile`]'s.

use crate::hostile::{Hostile, json};
use crate::support::ok;

// ---- 14. numbers print exactly as the service sent them ----

const NUMBERS: &str = r#"{"big":12345678901234567890123,"negative_zero":-0,"tiny":1e-400,"huge":1e400,"exact":0.1000000000000000055511151231257827,"length":2048}"#;

#[test]
fn numbers_print_exactly_as_sent() {
    let server = Hostile::service(|_| json(NUMBERS));
    // serde_json writes an exponent with its sign (`1e400` as `1e+400`); the digits stay.
    let out = ok(server.imds().args(["instance", "--compact"]));
    assert_eq!(out, format!("{}\n", NUMBERS.replace("1e400", "1e+400")));
    let out = ok(server.imds().arg("instance"));
    for literal in [
        "12345678901234567890123",
        ": -0,",
        "1e-400",
        "1e+400",
        "0.1000000000000000055511151231257827",
    ] {
        assert!(out.contains(literal), "{literal} lost: {out}");
    }
    let out = ok(server.imds().args([
        "instance",
        "--field",
        "big",
        "--field",
        "negative_zero",
        "--field",
        "huge",
    ]));
    assert_eq!(out, "12345678901234567890123\t-0\t1e+400\n");
    let out = ok(server
        .imds()
        .args(["instance", "--color", "always", "--compact"]));
    assert!(out.contains("12345678901234567890123"), "{out:?}");
    assert!(out.contains("1e-400"), "{out:?}");
}

#[test]
fn jsonpath_filters_still_compare_numbers() {
    let page = r#"{"keys": [
        {"id": "a", "length": 2048},
        {"id": "b", "length": 256},
        {"id": "c", "length": 4096.0},
        {"id": "d", "length": 12345678901234567890123}
    ]}"#;
    let server = Hostile::service(move |_| json(page));
    let out = ok(server
        .imds()
        .args(["keys", "--field", "$[?@.length > 1000].id"]));
    assert_eq!(out, "a\nc\nd\n");
    let out = ok(server
        .imds()
        .args(["keys", "--field", "$[?@.length == 4096].id"]));
    assert_eq!(out, "c\n");
    let out = ok(server
        .imds()
        .args(["keys", "--field", "$[?@.length <= 256].id"]));
    assert_eq!(out, "b\n");
}
