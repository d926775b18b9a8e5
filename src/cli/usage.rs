//! Parse errors in our words: clap's errors, read from their context rather than their rendered
//! text (whose first line often says only "the following … were not provided:"), become one
//! `imds:` line and a hint, as every other usage error is.

use std::ffi::{OsStr, OsString};

use clap::CommandFactory;

use super::definitions::Cli;
use super::parsers::ShowsValue;
use crate::error::Error;
use crate::text::{clip, sanitize};

/// Whether the "error" is `--help` or `--version`, which print as clap prints them (exit 0).
pub fn is_help_or_version(e: &clap::Error) -> bool {
    use clap::error::ErrorKind as K;
    matches!(e.kind(), K::DisplayHelp | K::DisplayVersion)
}

/// The one-line message and hint for a clap error, built from the error's context rather than
/// its rendered text (whose first line often says only "the following … were not provided:").
/// `argv` is the command line.
pub fn usage_error<A: AsRef<OsStr>>(e: &clap::Error, argv: &[A]) -> Error {
    use clap::error::ErrorKind as K;
    let text: Vec<String> = argv
        .iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect();
    let error = from_context(e, &text);
    if e.kind() != K::InvalidUtf8 {
        return error;
    }
    match refused_as_not_utf8(argv) {
        Some(arg) => Error::usage(format!("the argument '{}' is not UTF-8 text", escaped(arg)))
            .with_hint(NOT_UTF8_HINT),
        None => error,
    }
}

/// The argument clap refused for not being UTF-8, which its error does not name: the first one
/// that is still refused when every other argument that is not UTF-8 is made text (a file name
/// before it may be any bytes).
fn refused_as_not_utf8<A: AsRef<OsStr>>(argv: &[A]) -> Option<&OsStr> {
    let argv: Vec<&OsStr> = argv.iter().map(AsRef::as_ref).collect();
    let lossy = |a: &OsStr| OsString::from(a.to_string_lossy().into_owned());
    argv.iter()
        .enumerate()
        .filter(|(_, a)| a.to_str().is_none())
        .find(|&(i, _)| {
            let only_this: Vec<OsString> = argv
                .iter()
                .enumerate()
                .map(|(j, a)| if j == i { a.to_os_string() } else { lossy(a) })
                .collect();
            Cli::command()
                .try_get_matches_from(only_this)
                .is_err_and(|e| e.kind() == clap::error::ErrorKind::InvalidUtf8)
        })
        .map(|(_, a)| *a)
}

/// The hint for an argument that is not UTF-8.
const NOT_UTF8_HINT: &str = "give ids, paths under /metadata/v1/ and option values as UTF-8 text (file names may be any bytes)";

/// An argument that is not UTF-8, shown with each byte that is not part of a character as
/// `\xNN`, clipped and with control characters blanked.
fn escaped(arg: &OsStr) -> String {
    let mut shown = String::new();
    for chunk in arg.as_encoded_bytes().utf8_chunks() {
        shown.push_str(chunk.valid());
        for byte in chunk.invalid() {
            shown.push_str(&format!("\\x{byte:02x}"));
        }
    }
    sanitize(&clip(&shown))
}

/// [`usage_error`] for a command line read as text.
fn from_context(e: &clap::Error, argv: &[String]) -> Error {
    use clap::error::{ContextKind as C, ErrorKind as K};
    let text = |kind: C| context(e, kind);
    let one = |kind: C| first(e, kind);
    let given: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let mut hint = None;
    let message = match e.kind() {
        K::DisplayHelpOnMissingArgumentOrSubcommand | K::MissingSubcommand => {
            // clap's text here is the whole help; one line says it better.
            let names: Vec<String> = Cli::command()
                .get_subcommands()
                .map(|s| s.get_name().to_string())
                .collect();
            format!("a command is required: {}", names.join(", "))
        }
        K::InvalidValue | K::ValueValidation => bad_value(e),
        K::InvalidSubcommand => {
            // clap lists suggestions from the least to the most likely.
            hint = text(C::SuggestedSubcommand)
                .pop()
                .map(|s| format!("did you mean '{s}'?"));
            format!("unknown command '{}'", one(C::InvalidSubcommand))
        }
        K::UnknownArgument => {
            let arg = one(C::InvalidArg);
            hint = text(C::SuggestedArg)
                .pop()
                .map(|s| format!("did you mean '{s}'?"));
            if arg.starts_with('-') {
                format!("unknown option '{arg}'")
            } else {
                format!("unexpected argument '{arg}'")
            }
        }
        K::MissingRequiredArgument => {
            let missing: Vec<String> = text(C::InvalidArg).iter().map(|a| clip(&bare(a))).collect();
            let needed_by = missing.first().and_then(|m| needed_by(m, argv));
            match (needed_by, subcommand_named_in(&given)) {
                (Some(by), _) => format!("{by} needs {}", missing.join(" and ")),
                (None, Some(sub)) => format!("'imds {sub}' needs {}", missing.join(" and ")),
                (None, None) => format!("missing {}", missing.join(" and ")),
            }
        }
        K::ArgumentConflict => {
            let others: Vec<String> = text(C::PriorArg).iter().map(|a| clip(&bare(a))).collect();
            format!(
                "{} cannot be used with {}",
                bare(&one(C::InvalidArg)),
                others.join(" or ")
            )
        }
        _ => {
            let rendered = e.render().to_string();
            let line = rendered.lines().next().unwrap_or("bad command line");
            line.strip_prefix("error: ").unwrap_or(line).to_string()
        }
    };
    let hint = hint.unwrap_or_else(|| match subcommand_named_in(&given) {
        Some(name) => format!("see 'imds {name} --help'"),
        None => "see 'imds --help'".to_string(),
    });
    Error::usage(message).with_hint(hint)
}

/// The message for a value clap or one of our value parsers refused.
fn bad_value(e: &clap::Error) -> String {
    use clap::error::ContextKind as C;
    let name = bare(&first(e, C::InvalidArg));
    let value = first(e, C::InvalidValue);
    let valid = context(e, C::ValidValue);
    match std::error::Error::source(e) {
        // Some of our value parsers quote the value; clap's and the `--field` parser do
        // not, so the message does.
        Some(why) if why.downcast_ref::<ShowsValue>().is_some() => format!("bad {name}: {why}"),
        Some(why) => format!("bad {name} '{value}': {why}"),
        None if value.is_empty() && valid.is_empty() => format!("{name} needs a value"),
        None if value.is_empty() => format!("{name} needs a value: {}", or_list(&valid)),
        None if valid.is_empty() => format!("'{value}' is not a valid {name}"),
        None => format!("'{value}' is not a valid {name}: use {}", or_list(&valid)),
    }
}

/// The text clap's error holds under `kind`.
fn context(e: &clap::Error, kind: clap::error::ContextKind) -> Vec<String> {
    use clap::error::ContextValue as V;
    match e.get(kind) {
        Some(V::String(s)) => vec![s.clone()],
        Some(V::Strings(v)) => v.clone(),
        _ => Vec::new(),
    }
}

/// The first text clap's error holds under `kind`, clipped, as every piece of the command line
/// a message echoes is: an argument may be huge.
fn first(e: &clap::Error, kind: clap::error::ContextKind) -> String {
    clip(&context(e, kind).into_iter().next().unwrap_or_default())
}

/// `--field <PATH>` → `--field`; `<PATH>` stays as it is.
fn bare(shown: &str) -> String {
    match shown.split_once(' ') {
        Some((flag, _)) if flag.starts_with('-') => flag.to_string(),
        _ => shown.to_string(),
    }
}

/// `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Which option on the command line needs the missing `flag` (clap says only what is missing):
/// the option whose removal makes the complaint go away.
fn needed_by(flag: &str, argv: &[String]) -> Option<String> {
    if !flag.starts_with("--") {
        return None;
    }
    (1..argv.len())
        .filter(|&i| argv[i].starts_with("--") && argv[i] != "--")
        .find_map(|i| {
            let option = argv[i].split('=').next().unwrap_or_default().to_string();
            let takes_value = !argv[i].contains('=')
                && Cli::command()
                    .get_subcommands()
                    .flat_map(|s| s.get_arguments())
                    .chain(Cli::command().get_arguments())
                    .find(|a| a.get_long() == Some(option.trim_start_matches('-')))
                    .is_some_and(|a| a.get_action().takes_values());
            let skip = if takes_value { 2 } else { 1 };
            let rest: Vec<&String> = argv[..i].iter().chain(argv.iter().skip(i + skip)).collect();
            let still = match Cli::command().try_get_matches_from(rest) {
                Err(e) if e.kind() == clap::error::ErrorKind::MissingRequiredArgument => {
                    matches!(e.get(clap::error::ContextKind::InvalidArg),
                        Some(clap::error::ContextValue::Strings(v)) if v.iter().any(|m| bare(m) == flag))
                }
                _ => false,
            };
            (!still).then_some(option)
        })
}

/// The first argument that names a subcommand, for the hint.
fn subcommand_named_in(given: &[&str]) -> Option<String> {
    let cmd = Cli::command();
    given
        .iter()
        .find(|a| cmd.get_subcommands().any(|s| s.get_name() == **a))
        .map(|a| a.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    /// The usage error for a command line (without the leading `imds`), rendered.
    fn rendered(args: &[&str]) -> String {
        let argv: Vec<String> = std::iter::once("imds")
            .chain(args.iter().copied())
            .map(str::to_string)
            .collect();
        let e = Cli::try_parse_from(&argv).unwrap_err();
        assert!(!is_help_or_version(&e));
        let error = usage_error(&e, &argv);
        assert_eq!(error.kind(), crate::error::Kind::Usage);
        crate::failure::render(&error)
    }

    #[test]
    fn help_and_version_are_not_usage_errors() {
        for args in [["imds", "--help"], ["imds", "--version"]] {
            assert!(is_help_or_version(&Cli::try_parse_from(args).unwrap_err()));
        }
    }

    #[test]
    fn a_missing_command_lists_the_commands() {
        let text = rendered(&[]);
        assert!(
            text.starts_with("imds: a command is required: token, cert, instance"),
            "{text}"
        );
        assert!(text.ends_with("hint: see 'imds --help'\n"), "{text}");
    }

    #[test]
    fn unknown_commands_and_options_get_a_suggestion() {
        assert_eq!(
            rendered(&["instanc"]),
            "imds: unknown command 'instanc'\nhint: did you mean 'instance'?\n"
        );
        assert_eq!(
            rendered(&["instance", "--fild", "x"]),
            "imds: unknown option '--fild'\nhint: did you mean '--field'?\n"
        );
        assert!(rendered(&["instance", "extra"]).starts_with("imds: unexpected argument 'extra'"));
    }

    #[test]
    fn bad_values_say_what_is_accepted() {
        assert_eq!(
            rendered(&["--color", "sometimes", "instance"]),
            "imds: 'sometimes' is not a valid --color: use auto, always or never\nhint: see 'imds instance --help'\n"
        );
        // The parser's message shows the value: it is not repeated.
        let text = rendered(&["--api-version", "2021-01-01", "instance"]);
        assert!(
            text.starts_with(
                "imds: bad --api-version: the service rejects version dates before 2022-03-01 (got 2021-01-01)\n"
            ),
            "{text}"
        );
        // The --field parser's message does not: the value is quoted.
        let text = rendered(&["instance", "--field", "a..b"]);
        assert!(
            text.starts_with("imds: bad --field 'a..b': empty key at character 3"),
            "{text}"
        );
    }

    #[test]
    fn a_missing_argument_names_who_needs_it() {
        assert_eq!(
            rendered(&["token", "--profile-id", "x"]),
            "imds: --profile-id needs --iam\nhint: see 'imds token --help'\n"
        );
        assert!(rendered(&["get"]).starts_with("imds: 'imds get' needs <PATH>\n"));
    }

    #[test]
    fn conflicts_name_both_options() {
        let text = rendered(&["token", "--iam", "--export"]);
        assert!(
            text.starts_with("imds: --export cannot be used with --iam")
                || text.starts_with("imds: --iam cannot be used with --export"),
            "{text}"
        );
    }

    #[test]
    fn a_huge_argument_is_clipped() {
        let long = "x".repeat(500);
        let text = rendered(&[&long]);
        assert!(text.len() < 200, "{text}");
        assert!(text.contains('…'), "{text}");
    }

    #[cfg(unix)]
    #[test]
    fn an_argument_that_is_not_utf8_is_named_with_its_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let os = |b: &[u8]| OsStr::from_bytes(b).to_os_string();
        for (args, shown) in [
            (vec![os(b"keys"), os(b"r006-\xff\xfe")], "r006-\\xff\\xfe"),
            (vec![os(b"get"), os(b"\xff")], "\\xff"),
            (
                vec![os(b"token"), os(b"--nonce"), os(b"a\x1b\xff")],
                "a \\xff",
            ),
            // A file name may be any bytes: the argument refused is the one after it.
            (
                vec![os(b"keys"), os(b"-o"), os(b"f\xff"), os(b"id\xfe")],
                "id\\xfe",
            ),
        ] {
            let argv: Vec<OsString> = std::iter::once(os(b"imds")).chain(args).collect();
            let e = Cli::try_parse_from(&argv).unwrap_err();
            let error = usage_error(&e, &argv);
            assert_eq!(error.kind(), crate::error::Kind::Usage);
            assert_eq!(
                error.message(),
                format!("the argument '{shown}' is not UTF-8 text"),
                "{argv:?}"
            );
            assert_eq!(error.hint(), Some(NOT_UTF8_HINT));
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(bare("--field <PATH>"), "--field");
        assert_eq!(bare("<PATH>"), "<PATH>");
        let items: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(or_list(&items), "a, b or c");
        assert_eq!(or_list(&items[..1]), "a");
    }
}
