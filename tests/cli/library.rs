//! The library API as a Rust program uses it, against the emulator on loopback.

use std::time::Duration;

use imds::{Cause, Kind, Profile, Session, Settings};

use crate::support::Mock;

fn session(mock: &Mock) -> Session {
    let mut settings = Settings::default();
    settings.endpoint = mock.url.parse().expect("the emulator's URL is an endpoint");
    settings.timeout = Duration::from_secs(5);
    Session::new(&settings).expect("a session over plain HTTP")
}

#[test]
fn a_session_reads_documents_and_every_page_of_a_collection() {
    let mock = Mock::new();
    let mut imds = session(&mock);
    let instance = imds.document("instance").unwrap();
    assert!(instance["id"].is_string(), "{instance}");
    // Pages are followed: the default fixture has more placement groups than one page holds.
    let groups = imds.collection("placement_groups").unwrap();
    assert!(groups["placement_groups"].as_array().unwrap().len() > 100);
    assert!(groups.get("next").is_none());
    // One token minted for all of it.
    assert_eq!(mock.count("PUT /identity/v1/token"), 1);
}

#[test]
fn a_session_mints_identity_and_iam_tokens() {
    let mock = Mock::new();
    let mut imds = session(&mock);
    let token = imds.token(600).unwrap();
    assert!(!token.expose().is_empty());
    assert_eq!(format!("{token:?}"), "[redacted]");
    let iam = imds.iam_token(&Profile::Default).unwrap();
    assert!(!iam.expose().is_empty());
    assert_ne!(iam.expose(), token.expose());
}

#[test]
fn failures_carry_their_cause() {
    let mock = Mock::new();
    let mut imds = session(&mock);
    let e = imds.document("keys/r006-no-such-key").unwrap_err();
    assert_eq!(e.kind(), Kind::NotFound);
    let service = e.service().expect("the service answered");
    assert_eq!(service.status, 404);
    let e = imds.document("../identity/v1/token").unwrap_err();
    assert_eq!(e.kind(), Kind::Usage);
    assert!(matches!(e.cause(), Cause::Usage(_)), "{e:?}");
}
