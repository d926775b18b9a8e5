//! The options of `imds token` and `imds exec` as clap sees them; what they do is in the
//! application layer. Apart from definitions.rs only to keep each file short.

use clap::{Args, ValueHint};

use crate::session::Profile;

use super::parsers::ShowsValue;

/// Options of `imds token`.
#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    /// Token lifetime in seconds (5-3600); an IAM token's lifetime is IAM's, so not with --iam
    #[arg(long, value_name = "SECONDS", default_value_t = 300, conflicts_with = "iam",
          value_parser = parse_token_seconds, value_hint = ValueHint::Other)]
    pub expires_in: u32,

    /// Print the whole token response as JSON
    #[arg(long, conflicts_with = "export")]
    pub json: bool,

    /// Print `export IMDS_TOKEN=…` for `eval`
    #[arg(long, conflicts_with = "iam")]
    pub export: bool,

    /// Print the token's claims (its JWT payload) as JSON: decoded, NOT verified
    ///
    /// The payload is decoded as the service sent it; its signature is not checked, so the
    /// claims are what the answer says, not proof of anything. An identity token names the
    /// instance, its account, zone, region, profile, resource group, addresses, subnets and VPC
    /// (iaas, ip_addresses, subnets, vpc) and carries the --nonce sent; with --iam, the IAM
    /// token's claims. A token that is not a JWT is exit 7.
    #[arg(long, conflicts_with_all = ["json", "export"])]
    pub claims: bool,

    /// Exchange the identity token for an IAM token of a trusted profile
    #[arg(long)]
    pub iam: bool,

    #[command(flatten)]
    pub profile: ProfileArgs,

    /// Send TEXT as the token's nonce; the answer must carry it back (else exit 7)
    #[arg(long, value_name = "TEXT", value_hint = ValueHint::Other, conflicts_with = "iam")]
    pub nonce: Option<String>,

    /// Keep -o FILE fresh until stopped (SIGTERM or SIGINT: exit 0, FILE left in place)
    ///
    /// Writes the token (or what --json, --export or --field make of it) to FILE at start, then
    /// again each time 80% of the current token's lifetime (less 1 s, as its expiry is stated
    /// in whole seconds) has passed, each time all at once with mode 0600. A refresh that fails
    /// is one stderr line and is tried again, 1 s later, then 2 s, up to 30 s apart; FILE keeps
    /// the old token while it is valid and is removed once 95% of that has passed, so no reader
    /// takes an expired token. With --wait, each refresh may retry for that long. A failure at
    /// start is the exit status, as without --refresh. Needs -o.
    #[arg(long, conflicts_with = "nonce")]
    pub refresh: bool,
}

/// Options of `imds exec`.
#[derive(Debug, Clone, Args)]
pub struct ExecArgs {
    /// Identity token lifetime in seconds (5-3600)
    #[arg(long, value_name = "SECONDS", default_value_t = 300,
          value_parser = parse_token_seconds, value_hint = ValueHint::Other)]
    pub expires_in: u32,

    /// Also put an IAM token of a trusted profile in IC_IAM_TOKEN and IBMCLOUD_IAM_TOKEN
    #[arg(long)]
    pub iam: bool,

    #[command(flatten)]
    pub profile: ProfileArgs,

    /// The command to run, and its arguments
    #[arg(value_name = "CMD", last = true, required = true, num_args = 1..,
          value_hint = ValueHint::CommandWithArguments)]
    pub command: Vec<std::ffi::OsString>,
}

/// Which trusted profile `--iam` exchanges for (`token` and `exec` share them).
#[derive(Debug, Clone, Args)]
pub struct ProfileArgs {
    /// Trusted profile id for --iam (default: the instance's default profile)
    #[arg(
        long,
        value_name = "ID",
        value_hint = ValueHint::Other,
        requires = "iam",
        conflicts_with_all = ["profile_crn", "profile_name"]
    )]
    pub profile_id: Option<String>,

    /// Trusted profile CRN for --iam (default: the instance's default profile)
    #[arg(
        long,
        value_name = "CRN",
        value_hint = ValueHint::Other,
        requires = "iam",
        conflicts_with = "profile_name"
    )]
    pub profile_crn: Option<String>,

    /// Trusted profile name for --iam (default: the instance's default profile)
    #[arg(long, value_name = "NAME", value_hint = ValueHint::Other, requires = "iam")]
    pub profile_name: Option<String>,
}

impl ProfileArgs {
    /// The profile named, or the instance's default one.
    pub fn profile(&self) -> Profile {
        match (&self.profile_id, &self.profile_crn, &self.profile_name) {
            (Some(id), _, _) => Profile::Id(id.clone()),
            (None, Some(crn), _) => Profile::Crn(crn.clone()),
            (None, None, Some(name)) => Profile::Name(name.clone()),
            (None, None, None) => Profile::Default,
        }
    }
}

/// A token lifetime: the whole seconds the service accepts, 5 to 3600.
fn parse_token_seconds(text: &str) -> Result<u32, ShowsValue> {
    match text.trim().parse::<u32>() {
        Ok(n) if (5..=3600).contains(&n) => Ok(n),
        _ => Err(ShowsValue(format!(
            "'{}' is not a token lifetime: give whole seconds from 5 to 3600, like 300",
            crate::text::clip(text)
        ))),
    }
}
