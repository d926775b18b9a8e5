//! The library API as a Rust program uses it, against the emulator on loopback.

use std::time::Duration;

use imds_client::{Cause, Kind, Profile, Session, Settings};

use crate::support::Mock;

fn session(mock: &Mock) -> Session {
    let settings = Settings::builder()
        .endpoint(&mock.url)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("the emulator's URL is an endpoint");
    Session::new(&settings).expect("a session over plain HTTP")
}

#[test]
fn a_session_reads_documents_and_every_page_of_a_collection() {
    let mock = Mock::paging();
    let imds = session(&mock);
    let instance = imds.document("instance").unwrap();
    assert!(instance["id"].is_string(), "{instance}");
    // Pages are followed: the paging preset has more placement groups than one page holds.
    let groups = imds.collection("placement_groups").unwrap();
    assert!(groups["placement_groups"].as_array().unwrap().len() > 100);
    assert!(groups.get("next").is_none());
    // One token minted for all of it.
    assert_eq!(mock.count("PUT /identity/v1/token"), 1);
}

#[test]
fn a_session_mints_identity_and_iam_tokens() {
    let mock = Mock::new();
    let imds = session(&mock);
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
    let imds = session(&mock);
    let e = imds.document("keys/r006-no-such-key").unwrap_err();
    assert_eq!(e.kind(), Kind::NotFound);
    let service = e.service().expect("the service answered");
    assert_eq!(service.status, 404);
    let e = imds.document("../identity/v1/token").unwrap_err();
    assert_eq!(e.kind(), Kind::Usage);
    assert!(matches!(e.cause(), Cause::Usage(_)), "{e:?}");
}

/// A program keeps one session for hours: every token the service ends early is replaced, on
/// every call that meets one, not once in the session's life.
#[test]
fn a_session_keeps_working_across_forced_token_expiries() {
    let mock = Mock::new();
    let imds = session(&mock);
    imds.document("instance").unwrap();
    for expiry in 1..=4 {
        let (status, _) = mock.http("POST", "/_mock/expire-tokens", None);
        assert_eq!(status, 200);
        let instance = imds
            .document("instance")
            .unwrap_or_else(|e| panic!("after expiry {expiry}: {e}"));
        assert!(instance["id"].is_string());
    }
    // One token at first, then one per expiry.
    assert_eq!(mock.count("PUT /identity/v1/token"), 5);
}

/// A wait is a window for each call, counted when the call starts: a session built with a 1 s
/// wait and used two seconds later still retries through it. An answer that never comes is
/// retried only while waiting (without a wait it fails at once), so a read that succeeds
/// after one silent attempt shows the window open.
#[test]
fn a_wait_is_a_window_per_call_not_a_deadline_from_the_start() {
    let mock = Mock::new();
    let settings = Settings::builder()
        .endpoint(&mock.url)
        .timeout(Duration::from_millis(200))
        .wait(Duration::from_secs(1))
        .build()
        .unwrap();
    let imds = Session::new(&settings).unwrap();
    std::thread::sleep(Duration::from_secs(2));
    for _ in 0..3 {
        mock.fault(r#"{"kind": "hang", "count": 1, "path": "/metadata/"}"#);
        let instance = imds.document("instance").unwrap();
        assert!(instance["id"].is_string());
    }
    assert_eq!(mock.count("GET /metadata/v1/instance"), 6);
}

/// Four threads share one session: one token is minted between them, and every read works.
#[test]
fn four_threads_share_one_session() {
    let mock = Mock::new();
    let imds = session(&mock);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..5 {
                    let keys = imds.collection("keys").unwrap();
                    assert!(keys["keys"].as_array().is_some_and(|k| !k.is_empty()));
                }
            });
        }
    });
    assert_eq!(mock.count("PUT /identity/v1/token"), 1);
    assert_eq!(mock.count("GET /metadata/v1/keys"), 20);
}
