//! `imds token --claims` against the emulator's tokens, which carry every claim IBM documents
//! for an identity token, read from the fixture: an instance written here, so that the default
//! fixture's data can change freely.

use serde_json::{Value, json};

use crate::support::{Mock, fails, ok};

const ACCOUNT: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const INSTANCE_ID: &str = "02c7_6a3b1c2d-0e4f-4a5b-8c6d-7e8f9a0b1c2d";
const SUBNET_CRN: &str =
    "crn:v1:bluemix:public:is:eu-de-2:a/0a1b2c3d4e5f60718293a4b5c6d7e8f9::subnet:02c7-sn-1";

/// An instance in eu-de-2 with a network interface (with a floating IP), a second interface on
/// the same subnet, and a network attachment on another subnet; a default trusted profile.
fn fixture() -> Value {
    let subnet = json!({"crn": SUBNET_CRN, "id": "02c7-sn-1", "name": "subnet-one",
                        "resource_type": "subnet"});
    json!({
        "instance": {
            "crn": format!("crn:v1:bluemix:public:is:eu-de-2:a/{ACCOUNT}::instance:{INSTANCE_ID}"),
            "id": INSTANCE_ID,
            "name": "claims",
            "profile": {"name": "cx2-4x8"},
            "resource_group": {"id": "9f8e7d6c5b4a39281706f5e4d3c2b1a0", "name": "Default"},
            "vpc": {"crn": "crn:v1:bluemix:public:is:eu-de:a/0a1b::vpc:r010-vpc-1", "id": "r010-vpc-1",
                    "name": "my-vpc", "resource_type": "vpc"},
            "zone": {"name": "eu-de-2"}
        },
        "network_interfaces": [
            {"id": "02c7-nic-1", "name": "eth0", "primary_ipv4_address": "10.243.0.4",
             "floating_ips": [{"address": "158.177.1.2", "id": "fip-1"}], "subnet": subnet},
            {"id": "02c7-nic-2", "name": "eth1", "primary_ipv4_address": "10.243.0.5",
             "floating_ips": [], "subnet": subnet}
        ],
        "network_attachments": [
            {"id": "02c7-na-1", "name": "att0", "primary_ip": {"address": "10.243.64.6"},
             "subnet": {"crn": "crn:sn-2", "id": "02c7-sn-2", "name": "subnet-two"}}
        ],
        "trusted_profiles": [
            {"id": "Profile-claims", "crn": "crn:v1:bluemix:public:iam-identity::a/0a1b::profile:Profile-claims",
             "default": true}
        ]
    })
}

fn serve(fixture: &Value) -> (tempfile::TempDir, Mock) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.json");
    std::fs::write(&path, fixture.to_string()).unwrap();
    let mock = Mock::start(&["--fixture", path.to_str().unwrap()]);
    (dir, mock)
}

fn claims(mock: &Mock, args: &[&str]) -> Value {
    let out = ok(mock.imds().args(["token", "--claims"]).args(args));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn identity_token_claims_are_every_documented_claim_consistent_with_the_fixture() {
    let (_dir, mock) = serve(&fixture());
    let claims = claims(&mock, &["--expires-in", "600"]);
    let keys: Vec<&str> = claims
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    // IBM's example lists them in this order; there is no nonce when none was sent.
    assert_eq!(
        keys,
        [
            "aud",
            "exp",
            "iaas",
            "iat",
            "ip_addresses",
            "iss",
            "subnets",
            "vpc"
        ]
    );
    assert_eq!(
        claims["iaas"],
        json!({
            "crn": format!("crn:v1:bluemix:public:is:eu-de-2:a/{ACCOUNT}::instance:{INSTANCE_ID}"),
            "accountID": ACCOUNT,
            "instanceID": INSTANCE_ID,
            "zone": "eu-de-2",
            "region": "eu-de",
            "profile_name": "cx2-4x8",
            "resource_group_id": "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
        })
    );
    assert_eq!(claims["iss"], "VSI-CR_eu-de");
    assert_eq!(claims["aud"], json!(["VSI-CR_eu-de"]));
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        600
    );
    assert_eq!(
        claims["ip_addresses"],
        json!([{"address": "158.177.1.2"}, {"address": "10.243.0.4"},
               {"address": "10.243.0.5"}, {"address": "10.243.64.6"}])
    );
    assert_eq!(
        claims["subnets"],
        json!([{"crn": SUBNET_CRN, "name": "subnet-one", "id": "02c7-sn-1"},
               {"crn": "crn:sn-2", "name": "subnet-two", "id": "02c7-sn-2"}])
    );
    assert_eq!(
        claims["vpc"],
        json!({"crn": "crn:v1:bluemix:public:is:eu-de:a/0a1b::vpc:r010-vpc-1",
               "name": "my-vpc", "id": "r010-vpc-1"})
    );
}

#[test]
fn the_region_and_the_nonce_are_one_field_away() {
    let (_dir, mock) = serve(&fixture());
    assert_eq!(
        ok(mock
            .imds()
            .args(["token", "--claims", "--field", "iaas.region"])),
        "eu-de\n"
    );
    assert_eq!(
        ok(mock
            .imds()
            .args(["token", "--nonce", "n-0042", "--claims", "--field", "nonce"])),
        "n-0042\n"
    );
    // Without --nonce, the token has no nonce claim.
    let err = fails(
        mock.imds().args(["token", "--claims", "--field", "nonce"]),
        6,
    );
    assert!(err.contains("nonce"), "{err}");
    // The old token path gives the same claims.
    assert_eq!(
        ok(mock.imds().args([
            "--api-version",
            "2024-11-12",
            "token",
            "--claims",
            "--field",
            "iaas.instanceID"
        ])),
        format!("{INSTANCE_ID}\n")
    );
}

#[test]
fn iam_token_claims_are_the_iam_tokens() {
    let (_dir, mock) = serve(&fixture());
    assert_eq!(
        ok(mock.imds().args([
            "token", "--iam", "--claims", "--field", "id", "--field", "sub_type"
        ])),
        "Profile-claims\tProfile\n"
    );
}

#[test]
fn claims_print_no_token_and_refuse_json_and_export() {
    let (_dir, mock) = serve(&fixture());
    let out = ok(mock.imds().args(["token", "--claims", "--compact"]));
    assert!(out.starts_with("{\"aud\":"), "{out}");
    assert!(!out.contains("eyJ"), "a token in the claims output: {out}");
    for other in ["--json", "--export"] {
        let err = fails(mock.imds().args(["token", "--claims", other]), 2);
        assert!(err.contains("--claims"), "{err}");
    }
    assert_eq!(mock.count("PUT /identity/v1/token"), 1);
}

#[test]
fn a_fixture_without_crn_vpc_or_interfaces_gives_the_claims_it_can() {
    let (_dir, mock) = serve(&json!({"instance": {"id": "i-1", "zone": {"name": "jp-tok-3"}}}));
    let claims = claims(&mock, &[]);
    assert_eq!(
        claims["iaas"],
        json!({"instanceID": "i-1", "zone": "jp-tok-3", "region": "jp-tok"})
    );
    assert_eq!(claims["ip_addresses"], json!([]));
    assert_eq!(claims["subnets"], json!([]));
    assert!(claims.get("vpc").is_none(), "{claims}");
}
