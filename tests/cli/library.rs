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

/// A collection page by page: each page handed over as it arrives, their items adding up to
/// what `collection` gathers, and the walk stopped by the first error the closure returns.
#[test]
fn a_collection_page_by_page() {
    let mock = Mock::paging();
    let imds = session(&mock);
    let mut pages = 0;
    let mut items = 0;
    imds.pages("placement_groups", |page| {
        pages += 1;
        items += page["placement_groups"].as_array().unwrap().len();
        Ok(())
    })
    .unwrap();
    let all = imds.collection("placement_groups").unwrap();
    assert!(pages > 1, "the paging preset needs more than one page");
    assert_eq!(items, all["placement_groups"].as_array().unwrap().len());
    let gets = mock.count("GET /metadata/v1/placement_groups");
    let mut seen = 0;
    let e = imds
        .pages("placement_groups", |_| {
            seen += 1;
            Err(imds_client::Error::other("enough"))
        })
        .unwrap_err();
    assert_eq!((seen, e.to_string().as_str()), (1, "enough"));
    assert_eq!(mock.count("GET /metadata/v1/placement_groups"), gets + 1);
}

/// An identity token with its whole answer (expiry) and a nonce the service must echo.
#[test]
fn a_token_with_its_expiry_and_a_nonce() {
    let mock = Mock::new();
    let imds = session(&mock);
    let (token, answer) = imds
        .mint_with_nonce(600, Some("b1946ac92492d2347c62"))
        .unwrap();
    assert!(!token.expose().is_empty());
    assert_eq!(answer["expires_in"], 600, "{answer}");
    assert!(answer["expires_at"].is_string(), "{answer}");
    assert_eq!(answer["nonce"], "b1946ac92492d2347c62", "{answer}");
    let (_, plain) = imds.mint(300).unwrap();
    assert!(plain.get("nonce").is_none(), "{plain}");
}

/// IAM tokens for the default profile and for one by id, crn and name; a profile the instance
/// is not linked to is the service's typed refusal.
#[test]
fn iam_tokens_for_each_kind_of_profile() {
    let mock = Mock::new();
    let imds = session(&mock);
    let id = "Profile-2c4e6f80-1a3b-4c5d-8e9f-0a1b2c3d4e5f";
    let crn = format!(
        "crn:v1:bluemix:public:iam-identity::a/aa2432b1fa4d4ace891e9b80fc104e34::profile:{id}"
    );
    for profile in [
        Profile::Default,
        Profile::Id(id.into()),
        Profile::Crn(crn),
        Profile::Name("my-other-profile".into()),
    ] {
        let answer = imds.iam_exchange(&profile).unwrap();
        assert!(answer["access_token"].is_string(), "{profile:?}: {answer}");
        assert!(!imds.iam_token(&profile).unwrap().expose().is_empty());
    }
    let e = imds
        .iam_token(&Profile::Name("not-linked".into()))
        .unwrap_err();
    let service = e.service().expect("the service answered");
    assert_eq!(
        (service.status, service.code.as_deref()),
        (400, Some("profile_not_linked"))
    );
}

/// An instance identity certificate for a signing request made with the library's own key
/// generation: the chain comes back checked, its first certificate for the request's key.
#[test]
fn an_instance_identity_certificate_from_a_csr() {
    use imds_client::csr::{KeyType, Subject, generate};
    let mock = Mock::new();
    let imds = session(&mock);
    let subject = Subject::parse("/O=example").unwrap();
    let request = generate(KeyType::EcP256, &subject).unwrap();
    let answer = imds.certificate(&request.csr_pem, 3600).unwrap();
    let chain = answer["certificates"].as_array().expect("a chain");
    assert!(!chain.is_empty(), "{answer}");
    assert!(
        chain[0]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    // What is not a signing request is the service's typed refusal.
    let e = imds.certificate("not a request", 3600).unwrap_err();
    let service = e
        .service()
        .unwrap_or_else(|| panic!("the service answered: {e:?}"));
    assert_eq!(service.status, 400, "{e:?}");
}

/// A failure keeps the error underneath: a refused connection is `Unreachable`, with ureq's
/// error as its source and the I/O error's kind; the message names no flag.
#[test]
fn a_transport_failure_keeps_the_error_underneath() {
    use std::error::Error as _;
    let settings = Settings::builder()
        .endpoint(crate::support::NOWHERE)
        .build()
        .unwrap();
    let e = Session::new(&settings)
        .unwrap()
        .document("instance")
        .unwrap_err();
    assert_eq!(e.kind(), Kind::Unreachable, "{e:?}");
    assert!(matches!(e.cause(), Cause::Transport(_)), "{e:?}");
    assert_eq!(
        e.io_kind(),
        Some(std::io::ErrorKind::ConnectionRefused),
        "{e:?}"
    );
    let source = e.source().expect("the error underneath");
    assert!(source.downcast_ref::<ureq::Error>().is_some(), "{source:?}");
    assert!(!e.to_string().contains("--"), "{e}");
    assert_eq!(e.hint(), None);
}
