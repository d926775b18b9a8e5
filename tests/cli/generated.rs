//! Tests for the generated files and the examples: completions/ and man/ (regenerated from the
//! clap definitions and diffed against the committed copies), the man pages' sections and width,
//! fish and bash completing with the generated scripts, the deb package's assets, the README's
//! and `--help`'s examples run against the emulator, and the version line.
//!
//! `IMDS_REGENERATE=1 cargo test --test cli generated::` rewrites completions/ and man/.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;

use crate::support::{self, Mock};

/// Set to rewrite the committed generated files instead of comparing with them.
const REGENERATE: &str = "IMDS_REGENERATE";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every generated file: its path relative to the package root and its content.
fn generated() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for (bin, cmd) in [
        ("imds", imds::cli::Cli::command()),
        ("imds-mock", imds::mock::cli::MockCli::command()),
    ] {
        for (shell, name) in [
            (Shell::Bash, format!("{bin}.bash")),
            (Shell::Zsh, format!("_{bin}")),
            (Shell::Fish, format!("{bin}.fish")),
            (Shell::PowerShell, format!("_{bin}.ps1")),
            (Shell::Elvish, format!("{bin}.elv")),
        ] {
            let mut cmd = cmd.clone();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, bin, &mut buf);
            if shell == Shell::Fish {
                buf = fish_fixes(&cmd, bin, String::from_utf8(buf).unwrap()).into_bytes();
            }
            files.push((format!("completions/{name}"), buf));
        }
    }
    files.extend(man_pages());
    files
}

/// Two repairs to clap_complete's fish script, from the same clap definitions:
/// - `imds --color <TAB>` offers the colour values: the generated guard that decides "no
///   subcommand yet" runs fish's argparse over the words typed so far, and gives up (offering
///   nothing) while an option before the subcommand still waits for its value;
/// - positional arguments with known values (`imds get <TAB>`): the fish generator completes
///   named options only.
fn fish_fixes(cmd: &clap::Command, bin: &str, script: String) -> String {
    let fn_name = bin.replace('-', "_");
    let guard = format!(
        "    argparse -s (__fish_{fn_name}_global_optspecs) -- $cmd 2>/dev/null\n    or return\n"
    );
    let mut script = if cmd.has_subcommands() {
        assert!(
            script.contains(&guard),
            "clap_complete's fish guard changed: review fish_fixes"
        );
        script.replace(
            &guard,
            &format!(
                "    # A command line that does not parse yet (an option still waiting for its\n    \
                 # value) has no subcommand yet.\n    \
                 argparse -s (__fish_{fn_name}_global_optspecs) -- $cmd 2>/dev/null\n    \
                 or return 0\n"
            ),
        )
    } else {
        script
    };
    let mut scopes = vec![(None, cmd.clone())];
    scopes.extend(
        cmd.get_subcommands()
            .map(|s| (Some(s.get_name()), s.clone())),
    );
    for (sub, scope) in scopes {
        for pos in scope.get_positionals() {
            let values: Vec<String> = pos
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            if values.is_empty() {
                continue;
            }
            let condition = match sub {
                Some(sub) => format!("__fish_{fn_name}_using_subcommand {sub}"),
                None => format!("__fish_{fn_name}_needs_command"),
            };
            script.push_str(&format!(
                "complete -c {bin} -n \"{condition}\" -f -a \"{}\"\n",
                values.join(" ")
            ));
        }
    }
    script
}

/// imds.1 (generated sections plus the hand-written ones below), one page per subcommand, and
/// imds-mock.1. Every page of imds has EXIT STATUS, ENVIRONMENT, EXAMPLES and SEE ALSO.
fn man_pages() -> Vec<(String, Vec<u8>)> {
    let mut cmd = imds::cli::Cli::command().disable_help_subcommand(true);
    cmd.build();
    let source = format!("imds {}", env!("CARGO_PKG_VERSION"));
    let extra = [
        EXIT_STATUS,
        RETRIES_AND_LIMITS,
        &shell_variables(),
        ENVIRONMENT,
        IMDS_EXAMPLES,
        IMDS_SEE_ALSO,
    ]
    .concat();
    let mut pages = vec![(
        "man/imds.1".to_string(),
        man_page(&cmd, &source, &long_about(&cmd), &extra),
    )];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_display_name().unwrap_or(sub.get_name());
        let about = long_about(sub);
        let (description, examples) = about
            .split_once("\nExamples:\n")
            .unwrap_or_else(|| panic!("{name}'s long help has no \"Examples:\" block"));
        let extra = [
            page_sections(name),
            EXIT_STATUS,
            ENVIRONMENT,
            &format!(".SH EXAMPLES\n{}", roff_lines(examples)),
            &see_also(name),
        ]
        .concat();
        let mut page = man_page(sub, &source, description, &extra);
        if name == "imds-exec" {
            // clap_mangen shows the `last` argument without the `--` that has to come before it.
            let plain = "<\\fICMD\\fR>";
            let synopsis = String::from_utf8(page).unwrap();
            assert!(
                synopsis.contains(plain),
                "imds-exec's synopsis changed: check man_pages"
            );
            page = synopsis
                .replacen(plain, "\\fB\\-\\-\\fR \\fICMD\\fR [\\fIARGS\\fR]...", 1)
                .into_bytes();
        }
        pages.push((format!("man/{name}.1"), page));
    }
    let mock = imds::mock::cli::MockCli::command();
    let details = mock
        .get_after_long_help()
        .map(|h| format!(".SH DETAILS\n{}", roff_lines(&h.to_string())))
        .unwrap_or_default();
    let mut page = man_page(
        &mock,
        &source,
        &long_about(&mock),
        &(details + IMDS_MOCK_1_EXTRA),
    );
    // clap_mangen shows the `last` argument without the `--` that has to come before it.
    let plain = "[\\fICMD ARGS\\fR]";
    let synopsis = String::from_utf8(page).unwrap();
    assert!(
        synopsis.contains(plain),
        "imds-mock's synopsis changed: review man_pages"
    );
    page = synopsis
        .replacen(plain, "[\\fB\\-\\-\\fR \\fICMD\\fR [\\fIARGS\\fR]...]", 1)
        .into_bytes();
    pages.push(("man/imds-mock.1".to_string(), page));
    pages
}

/// The hand-written sections of one subcommand's page, in roff, before EXIT STATUS.
fn page_sections(name: &str) -> &'static str {
    match name {
        "imds-token" => TOKEN_FILE,
        "imds-exec" => EXEC_ENVIRONMENT,
        _ => "",
    }
}

/// The SHELL VARIABLES section of imds(1): the names `--shell` refuses, from the table the
/// option checks.
fn shell_variables() -> String {
    let names: Vec<String> = imds::cli::SHELL_RESERVED_NAMES
        .iter()
        .map(|n| format!("\\fB{n}\\fR"))
        .collect();
    format!(
        ".SH \"SHELL VARIABLES\"\n\
         \\fB\\-\\-shell\\fR \\fINAME\\fR=\\fIPATH\\fR refuses (exit 2, before any request) a\n\
         \\fINAME\\fR that sh, dash, bash or zsh, or the programs they start, use themselves,\n\
         since a value from the service there would change how the rest of the script runs.\n\
         A name ending in * stands for every name that starts so; case counts.\n\
         .PP\n.nh\n{}.\n.hy\n",
        names.join(",\n")
    )
}

/// A subcommand page's SEE ALSO: the main page and the emulator's.
fn see_also(name: &str) -> String {
    let mut refs = vec!["\\fBimds\\fR(1)".to_string()];
    if name != "imds-doctor" {
        refs.push("\\fBimds\\-doctor\\fR(1)".to_string());
    }
    refs.push("\\fBimds\\-mock\\fR(1)".to_string());
    format!(".SH \"SEE ALSO\"\n{}\n", refs.join(", "))
}

/// The long about text, or the short one.
fn long_about(cmd: &clap::Command) -> String {
    [cmd.get_long_about(), cmd.get_about()]
        .into_iter()
        .flatten()
        .map(|a| a.to_string())
        .find(|a| !a.trim().is_empty())
        .unwrap_or_default()
}

/// One page: clap_mangen's sections, except the description (rendered here so that indented
/// example lines stay lines), the after-help text (replaced by `extra`) and the version (the
/// version alone, not the build's target and features). No date, so the output is the same
/// on every run. Help text marks code with Markdown backticks; a page shows it in bold.
fn man_page(cmd: &clap::Command, source: &str, description: &str, extra: &str) -> Vec<u8> {
    let man = clap_mangen::Man::new(cmd.clone()).source(source);
    let mut page = Vec::new();
    man.render_title(&mut page).unwrap();
    man.render_name_section(&mut page).unwrap();
    man.render_synopsis_section(&mut page).unwrap();
    page.extend_from_slice(format!(".SH DESCRIPTION\n{}", roff_lines(description)).as_bytes());
    man.render_options_section(&mut page).unwrap();
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut page).unwrap();
    }
    page.extend_from_slice(extra.as_bytes());
    if let Some(version) = cmd.get_version() {
        page.extend_from_slice(format!(".SH VERSION\nv{version}\n").as_bytes());
    }
    backticks_to_bold(&String::from_utf8(page).unwrap()).into_bytes()
}

/// `code` in help text becomes bold code (a span may continue on the next line).
fn backticks_to_bold(page: &str) -> String {
    let parts: Vec<&str> = page.split('`').collect();
    assert!(parts.len() % 2 == 1, "unpaired backtick in help text");
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(if i % 2 == 1 { "\\fB" } else { "\\fR" });
        }
        out.push_str(part);
    }
    out
}

/// Help text as roff: paragraphs are filled, indented lines (examples, tables) are kept as
/// they are, less their first two spaces of indentation, at the page's margin. A table row
/// too wide for an 80-column terminal is refilled under its second column, together with the
/// lines that continue it there.
fn roff_lines(text: &str) -> String {
    let mut out = String::new();
    let mut block: Vec<&str> = Vec::new();
    for line in text.trim_matches('\n').lines() {
        if line.starts_with(' ') && !line.trim().is_empty() {
            block.push(line.strip_prefix("  ").unwrap_or(line));
            continue;
        }
        out.push_str(&verbatim(&std::mem::take(&mut block)));
        if line.trim().is_empty() {
            out.push_str(".PP\n");
        } else {
            out.push_str(&roff_text(line));
            out.push('\n');
        }
    }
    out.push_str(&verbatim(&block));
    out
}

/// Columns a kept line may take: 80, less man's 7-column margin.
const VERBATIM_WIDTH: usize = 73;

/// The width of a line as a page shows it (backticks become bold).
fn shown_width(line: &str) -> usize {
    line.replace('`', "").chars().count()
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Where a table row's second column starts: after its first run of two or more spaces.
fn second_column(line: &str) -> Option<usize> {
    let lead = indent_of(line);
    let gap = line[lead..].find("  ")?;
    let rest = &line[lead + gap..];
    Some(lead + gap + indent_of(rest))
}

/// Indented lines, unfilled: each row with its continuation lines stays as it is if it fits,
/// else is refilled to [`VERBATIM_WIDTH`] under its second column.
fn verbatim(lines: &[&str]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut rows: Vec<Vec<&str>> = Vec::new();
    for &line in lines {
        let continues = rows
            .last()
            .is_some_and(|row| second_column(row[0]).is_some_and(|col| indent_of(line) == col));
        match rows.last_mut() {
            Some(row) if continues => row.push(line),
            _ => rows.push(vec![line]),
        }
    }
    let mut out = String::from(".PP\n.nf\n");
    for row in rows {
        let fits = row.iter().all(|l| shown_width(l) <= VERBATIM_WIDTH);
        let lines = if fits {
            row.iter().map(|l| l.to_string()).collect()
        } else {
            let joined = row
                .iter()
                .enumerate()
                .map(|(i, l)| if i == 0 { l.trim_end() } else { l.trim() })
                .collect::<Vec<_>>()
                .join(" ");
            match second_column(row[0]).filter(|&c| c < VERBATIM_WIDTH / 2) {
                Some(hang) => refill(&joined, hang, ""),
                // A command: its continuation lines are the shell's.
                None => refill(&joined, indent_of(row[0]) + 4, " \\"),
            }
        };
        for line in lines {
            out.push_str(&roff_text(&line));
            out.push('\n');
        }
    }
    out.push_str(".fi\n");
    out
}

/// Fills a row to [`VERBATIM_WIDTH`], continuation lines indented by `hang`; each line that
/// is continued ends with `mark`.
fn refill(line: &str, hang: usize, mark: &str) -> Vec<String> {
    let width = VERBATIM_WIDTH - mark.len();
    let lead = indent_of(line);
    let mut lines = Vec::new();
    let mut current = line[..lead].to_string();
    for (i, word) in line[lead..].split(' ').enumerate() {
        let candidate = if i == 0 {
            format!("{current}{word}")
        } else {
            format!("{current} {word}")
        };
        if i > 0 && !word.is_empty() && shown_width(&candidate) > width {
            lines.push(format!("{}{mark}", current.trim_end()));
            current = format!("{}{word}", " ".repeat(hang));
        } else {
            current = candidate;
        }
    }
    lines.push(current);
    lines
}

/// Escapes one line of text for roff.
fn roff_text(line: &str) -> String {
    let escaped = line
        .replace('\\', "\\e")
        .replace('-', "\\-")
        .replace('\'', "\\(aq");
    if escaped.starts_with('.') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

/// The EXIT STATUS section of every page of imds, in roff.
const EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
success
.TP
\fB1\fR
any other failure
.TP
\fB2\fR
usage: bad option, argument, path expression, duration or date
.TP
\fB3\fR
not found: the service answered 404 (unknown id or path)
.TP
\fB4\fR
unreachable: no connection or no answer in time (service disabled, not on a VPC instance,
response hop limit too low for containers, wrong protocol: a TLS answer to plain HTTP)
.TP
\fB5\fR
refused: 401 after one fresh token, or 403
.TP
\fB6\fR
field not found: a \fB\-\-field\fR or \fB\-\-shell\fR path matched nothing (and no
\fB\-\-default\fR was given)
.TP
\fB7\fR
bad response: not valid HTTP, not JSON, truncated, larger than the 1 MiB cap, pages larger than
16 MiB together, a page link to another path, a token with characters a token cannot have, or a
5xx/429 that outlasted the retries (without \fB\-\-wait\fR, one whose \fBRetry\-After\fR asks
for more than 1 s of waiting in all)
.TP
\fB8\fR
condition not met in time: \fBimds watch \-\-until\fR did not see its condition before
\fB\-\-max\-time\fR passed
.TP
\fB130\fR, \fB143\fR
\fBimds watch\fR ended by SIGINT or SIGTERM (128 + the signal's number, as a shell reports it)
.PP
Every failure prints one line on standard error, \fBimds: \fR\fIwhat happened\fR, and where
one helps a second line, \fBhint: \fR\fIwhat to do\fR. Nothing is printed on standard output
on failure, except by \fBimds doctor\fR, which always prints its checks.
"#;

/// The RETRIES AND LIMITS section of imds(1), in roff.
const RETRIES_AND_LIMITS: &str = r#".SH "RETRIES AND LIMITS"
Without \fB\-\-wait\fR, a 5xx or 429 answer, or a connection closed before any answer, is
tried 3 times in all, 100 ms then 200 ms apart; a \fBRetry\-After\fR only lengthens a pause,
never shortens it, and the pauses take at most 1 s in all: a longer \fBRetry\-After\fR ends
the run at once (exit 7, with a hint to use \fB\-\-wait\fR). With \fB\-\-wait\fR, the
pauses double from 100 ms up to 2 s, lengthened by \fBRetry\-After\fR (at most 10 s), until
the deadline.
.PP
Each answer is read up to 1 MiB, and a whole result, all its pages' bodies together, up to
16 MiB. A page over 1 MiB is asked for again with half the \fBlimit\fR before that is an error. A
\fBnext\fR page link must name the path of the first page exactly; only its \fBstart\fR and
\fBlimit\fR are used.
.PP
A \fB\-\-field\fR path has at most 256 segments and 4096 bytes. \fB\-\-cacert\fR names a
regular file of at most 1 MiB holding at least one PEM certificate, checked before any
request whatever the scheme. The endpoint is \fBhttp://\fR or \fBhttps://\fR, a host and
an optional port from 1 to 65535, with nothing after it but \fB/\fR.
.PP
Numbers print as the service sent them, digit for digit; an exponent is written with its sign.
"#;

/// The ENVIRONMENT section of every page of imds, in roff.
const ENVIRONMENT: &str = r#".SH ENVIRONMENT
.TP
\fBIMDS_ENDPOINT\fR
Base URL of the service, as \fB\-\-endpoint\fR. Default \fBhttp://169.254.169.254\fR, or
\fBhttps://api.metadata.cloud.ibm.com\fR with \fB\-\-secure\fR.
.TP
\fBIMDS_SECURE\fR
\fB1\fR, \fBtrue\fR, \fByes\fR or \fBon\fR: use the service's HTTPS access, as
\fB\-\-secure\fR; \fB0\fR, \fBfalse\fR, \fBno\fR or \fBoff\fR: do not.
.TP
\fBIMDS_API_VERSION\fR
The \fBversion\fR query date, as \fB\-\-api\-version\fR (default \fB2025\-08\-26\fR).
.TP
\fBIMDS_TIMEOUT\fR
Time allowed for each attempt, as \fB\-\-timeout\fR (default \fB2s\fR).
.TP
\fBIMDS_WAIT\fR
Boot mode deadline, as \fB\-\-wait\fR.
.TP
\fBIMDS_TOKEN\fR
An identity access token to use instead of minting one (see \fBimds token \-\-export\fR).
On a 401 a fresh token is minted once. A token holds only \fBA\-Z a\-z 0\-9 \- _ . ~ + / =\fR
(anything else is exit 2; a token from the service with anything else is exit 7), so the line
\fBimds token \-\-export\fR prints is safe to \fBeval\fR in sh, bash, zsh and fish.
.TP
\fBNO_COLOR\fR
When set and not empty, \fB\-\-color auto\fR does not colour.
.TP
\fBTERM\fR
When \fBdumb\fR, \fB\-\-color auto\fR does not colour.
.PP
A variable among these that is set but is not UTF-8 text is exit 2, naming it; nothing is
sent.
.PP
Proxy variables (\fBHTTP_PROXY\fR, \fBhttp_proxy\fR, \fBALL_PROXY\fR, ...) are ignored: the
service is link-local and never reached through a proxy.
"#;

/// The EXAMPLES section of imds(1), in roff.
const IMDS_EXAMPLES: &str = r#".SH EXAMPLES
Add the instance's SSH keys to authorized_keys, once (safe on every boot):
.PP
.RS 4
.nf
imds keys \-\-authorized\-keys ~/.ssh/authorized_keys
.fi
.RE
.PP
Save the user data, byte-exact, to a file only its owner can read:
.PP
.RS 4
.nf
imds init \-\-user\-data \-o ~/user\-data
.fi
.RE
.PP
Use one field in a script, or several as shell variables:
.PP
.RS 4
.nf
zone=$(imds instance \-\-field zone.name)
vars=$(imds instance \-\-shell zone=zone.name \e
    \-\-shell cpus=vcpu.count) && eval "$vars"
.fi
.RE
.PP
Columns, with a stand-in for an interface without a floating IP:
.PP
.RS 4
.nf
imds nics \-\-field name \-\-field \(aqfloating_ips[0].address\(aq \e
    \-\-default none
.fi
.RE
.PP
Wait for the service at boot, up to a minute:
.PP
.RS 4
.nf
imds \-\-wait 60s init \-\-user\-data \-o ~/setup.sh
.fi
.RE
.PP
Test a boot script against a copy of this instance: on the instance, then anywhere:
.PP
.RS 4
.nf
imds snapshot \-\-redact \-o snapshot.json
imds\-mock \-\-fixture snapshot.json \-\- sh ./setup.sh
.fi
.RE
.PP
Reuse one token across several calls:
.PP
.RS 4
.nf
eval "$(imds token \-\-export)"
imds instance; imds keys
.fi
.RE
.PP
Find out why the service does not answer:
.PP
.RS 4
.nf
imds doctor
.fi
.RE
"#;

/// The SEE ALSO section of imds(1), in roff.
const IMDS_SEE_ALSO: &str = r#".SH "SEE ALSO"
\fBimds\-token\fR(1), \fBimds\-instance\fR(1), \fBimds\-init\fR(1), \fBimds\-keys\fR(1),
\fBimds\-placement\-groups\fR(1), \fBimds\-nics\fR(1), \fBimds\-volumes\fR(1),
\fBimds\-disks\fR(1), \fBimds\-get\fR(1), \fBimds\-snapshot\fR(1), \fBimds\-doctor\fR(1),
\fBimds\-mock\fR(1),
\fBcurl\fR(1), \fBjq\fR(1)
.PP
IBM Cloud documentation, "Accessing the instance metadata service":
https://cloud.ibm.com/docs/vpc?topic=vpc\-imd\-about
"#;

/// imds-token(1): a token file kept fresh by systemd, and how IBM's tools read it.
const TOKEN_FILE: &str = r#".SH "A TOKEN FILE KEPT FRESH"
\fBimds token \-\-refresh \-o\fR \fIFILE\fR runs until stopped and keeps \fIFILE\fR
holding a valid token. A systemd unit that keeps an IAM token of a trusted
profile in /run/imds/iam\-token, readable by root only:
.PP
.RS 4
.nf
# /etc/systemd/system/imds\-iam\-token.service
[Unit]
Description=IAM token of the trusted profile, kept fresh
Wants=network\-online.target
After=network\-online.target

[Service]
ExecStart=/usr/bin/imds \-\-wait 60s token \-\-refresh \-\-iam \e
    \-\-profile\-name my\-trusted\-profile \-o /run/imds/iam\-token
RuntimeDirectory=imds
RuntimeDirectoryMode=0700
Restart=on\-failure
RestartSec=10s

[Install]
WantedBy=multi\-user.target
.fi
.RE
.PP
\fBsystemctl stop\fR sends SIGTERM: imds exits 0 and leaves the file; systemd
removes /run/imds with the unit. Without \fB\-\-iam\fR (and with
\fB\-o /run/imds/token\fR) the file holds an identity token instead, living
\fB\-\-expires\-in\fR seconds (up to 3600): what the ibmcloud CLI takes.
.PP
The ibmcloud CLI reads a compute resource token from a file named with
\fB@\fR, in \fBIBMCLOUD_CR_TOKEN\fR or \fBibmcloud login \-\-cr\-token\fR, and the trusted
profile (its ID or CRN, on a VPC instance) from \fBIBMCLOUD_CR_PROFILE\fR or
\fB\-\-profile\fR:
.PP
.RS 4
.nf
IBMCLOUD_CR_TOKEN=@/run/imds/token \e
    IBMCLOUD_CR_PROFILE=Profile\-8dd84246 ibmcloud login \-r us\-south
.fi
.RE
.PP
The IBM Cloud Terraform provider reads an IAM token from its \fBiam_token\fR
argument, or from \fBIC_IAM_TOKEN\fR or \fBIBMCLOUD_IAM_TOKEN\fR. It reads it once, when
it starts, so a run must end within the token's lifetime (an hour at most):
.PP
.RS 4
.nf
provider "ibm" {
  iam_token = trimspace(file("/run/imds/iam\-token"))
}
.fi
.RE
.PP
Sources: IBM Cloud CLI (ibmcloud) environment variables; the IBM Cloud
Terraform provider's documentation, Argument reference:
.PP
.RS 4
.nf
https://cloud.ibm.com/docs/cli?topic=cli\-ibmcloud_env_var
https://registry.terraform.io/providers/IBM\-Cloud/ibm/latest/docs
.fi
.RE
"#;

/// imds-exec(1): the variables the command gets, and where each is read.
const EXEC_ENVIRONMENT: &str = r#".SH "THE COMMAND'S ENVIRONMENT"
\fICMD\fR gets imds's own environment and these, which replace any of the
same name:
.TP
\fBIMDS_TOKEN\fR
The identity token, living \fB\-\-expires\-in\fR seconds. imds reads it instead of
minting a token (see \fBimds\fR(1)), so the imds commands \fICMD\fR runs mint
nothing until the service refuses it.
.TP
\fBIMDS_ENDPOINT\fR
The service the token is for, as imds used it.
.TP
\fBIC_IAM_TOKEN\fR, \fBIBMCLOUD_IAM_TOKEN\fR
With \fB\-\-iam\fR: the IAM token of the trusted profile. The IBM Cloud Terraform
provider reads its \fBiam_token\fR argument from these, \fBIC_IAM_TOKEN\fR first
(source 1 below).
.PP
The ibmcloud CLI takes no IAM token from its environment. It logs in with a
compute resource token, the identity token, from \fBIBMCLOUD_CR_TOKEN\fR and a
trusted profile ID or CRN from \fBIBMCLOUD_CR_PROFILE\fR (source 2 below):
.PP
.RS 4
.nf
imds exec \-\- sh \-c \(aqIBMCLOUD_CR_TOKEN="$IMDS_TOKEN" \e
    IBMCLOUD_CR_PROFILE=Profile\-8dd84246 ibmcloud login \-r us\-south\(aq
.fi
.RE
.PP
Terraform with an IAM token of the instance's default trusted profile:
.PP
.RS 4
.nf
imds exec \-\-iam \-\- terraform apply
.fi
.RE
.PP
Sources: 1. the IBM Cloud Terraform provider's documentation, Argument
reference; 2. IBM Cloud CLI (ibmcloud) environment variables:
.PP
.RS 4
.nf
https://registry.terraform.io/providers/IBM\-Cloud/ibm/latest/docs
https://cloud.ibm.com/docs/cli?topic=cli\-ibmcloud_env_var
.fi
.RE
"#;

/// The hand-written sections of imds-mock(1), in roff.
const IMDS_MOCK_1_EXTRA: &str = r#".SH "EXIT STATUS"
With \fB\-\-\fR \fICMD\fR, the status of \fICMD\fR (128+\fIN\fR if it died of signal \fIN\fR,
127 if it cannot be run). Otherwise 2 for a bad command line or fixture, 1 if the server cannot
start.
.SH EXAMPLES
Serve on a fixed port and read from it:
.PP
.RS 4
.nf
imds\-mock \-\-port 8080 &
IMDS_ENDPOINT=http://127.0.0.1:8080 imds instance
.fi
.RE
.PP
Test a boot script off\-instance, against your own instance description:
.PP
.RS 4
.nf
imds\-mock \-\-fixture my\-instance.json \-\- sh ./setup.sh
.fi
.RE
.PP
See how a script copes with a disabled service:
.PP
.RS 4
.nf
imds\-mock \-\-hang \-\- sh ./setup.sh
.fi
.RE
.SH "SEE ALSO"
\fBimds\fR(1)
"#;

#[test]
fn generated_files_match_the_command_line() {
    let regenerate = std::env::var_os(REGENERATE).is_some_and(|v| !v.is_empty() && v != "0");
    let mut stale = Vec::new();
    let mut expected = Vec::new();
    for (rel, content) in generated() {
        let path = root().join(&rel);
        if regenerate {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &content).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(&content[..]) {
            stale.push(rel.clone());
        }
        expected.push(rel);
    }
    // A page or completion file that nothing generates any more (a removed subcommand).
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let rel = format!("{dir}/{}", entry.unwrap().file_name().to_string_lossy());
            if !expected.contains(&rel) {
                stale.push(format!("{rel} (not generated: remove it)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated files differ from the command line: {}\n\
         rewrite them with: {REGENERATE}=1 cargo test --test cli generated::",
        stale.join(", ")
    );
}

/// A command line from one of the README's `sh` blocks, with the exit status it documents.
#[derive(Debug)]
struct Example {
    line: String,
    status: i32,
}

/// The README's examples: the lines of its ```` ```sh ```` blocks that start with `imds `, or
/// with `imds-mock ` and run a command (` -- `). A trailing `# exit N` documents a non-zero
/// status; a trailing `# not tested` skips the line. A block whose info string names a file
/// (```` ```sh setup.sh ````) is that file's content: it is returned in the second list, and
/// written into the examples' directory, not run.
fn readme_examples() -> (Vec<Example>, Vec<(String, String)>) {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut in_sh = false;
    let mut file: Option<(String, String)> = None;
    let mut examples = Vec::new();
    let mut files = Vec::new();
    for line in readme.lines() {
        if let Some(info) = line.strip_prefix("```") {
            if let Some(done) = file.take() {
                files.push(done);
            }
            let mut words = info.split_whitespace();
            let lang = words.next();
            match words.next() {
                Some(name) => file = Some((name.to_string(), String::new())),
                None => in_sh = lang == Some("sh"),
            }
            continue;
        }
        if let Some((_, content)) = &mut file {
            content.push_str(line);
            content.push('\n');
            continue;
        }
        let runs =
            line.starts_with("imds ") || (line.starts_with("imds-mock ") && line.contains(" -- "));
        if !in_sh || !runs || line.trim_end().ends_with("# not tested") {
            continue;
        }
        let status = line.rfind("# exit ").map_or(0, |at| {
            let rest = &line[at + "# exit ".len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().unwrap()
        });
        examples.push(Example {
            line: line.to_string(),
            status,
        });
    }
    (examples, files)
}

/// A fresh directory under the system's temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("imds-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The example lines of each subcommand's long help (`  imds …` under "Examples:"), with
/// `/tmp/` made relative so they write into the test's directory. `--secure` examples need the
/// real service's HTTPS and are left out.
fn help_examples() -> Vec<Example> {
    let cmd = imds::cli::Cli::command();
    let mut examples = Vec::new();
    for sub in cmd.get_subcommands() {
        let Some(about) = sub.get_long_about() else {
            continue;
        };
        for line in about.to_string().lines() {
            let Some(line) = line.strip_prefix("  ") else {
                continue;
            };
            // `software`'s help shows `imds watch`, which is built apart from it: its example
            // runs once both are in the command tree.
            if line.starts_with("imds watch ") && cmd.find_subcommand("watch").is_none() {
                continue;
            }
            if (line.starts_with("imds ") || line.starts_with("eval "))
                && !line.contains("--secure")
            {
                examples.push(Example {
                    line: line.replace("/tmp/", "./"),
                    status: 0,
                });
            }
        }
    }
    examples
}

#[test]
#[cfg_attr(windows, ignore = "the examples are sh command lines")]
fn help_examples_run_against_the_emulator() {
    let examples = help_examples();
    assert!(
        examples.len() >= 15,
        "only {} help examples found",
        examples.len()
    );
    run_examples("--help", &examples, &[]);
}

#[test]
#[cfg_attr(windows, ignore = "the examples are sh command lines")]
fn readme_examples_run_against_the_emulator() {
    let (examples, files) = readme_examples();
    assert!(
        files.iter().any(|(name, _)| name == "setup.sh"),
        "the README's setup.sh block is gone: {files:?}"
    );
    assert!(
        examples.len() >= 20,
        "only {} README examples found",
        examples.len()
    );
    run_examples("README", &examples, &files);
}

/// Runs each example with `sh -c` against a fresh emulator, in a temporary directory that is
/// also HOME and holds `files` and a link to tests/ (for the TLS test certificates), and fails
/// listing every example whose exit status is not the documented one.
fn run_examples(source: &str, examples: &[Example], files: &[(String, String)]) {
    let mock = Mock::new();
    // HOME is the temporary directory, so `>> ~/.ssh/authorized_keys` writes there.
    let home = TempDir::new(&source.replace('-', ""));
    std::fs::create_dir_all(home.0.join(".ssh")).unwrap();
    for (name, content) in files {
        std::fs::write(home.0.join(name), content).unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(root().join("tests"), home.0.join("tests")).unwrap();
    #[cfg(windows)]
    std::os::windows::fs::symlink_dir(root().join("tests"), home.0.join("tests")).unwrap();
    let bin_dir = Path::new(support::IMDS).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let mut failed = Vec::new();
    for example in examples {
        let out = std::process::Command::new("sh")
            .args(["-c", &example.line])
            .current_dir(&home.0)
            .env_clear()
            .env("PATH", &path)
            .env("HOME", &home.0)
            .env("IMDS_ENDPOINT", &mock.url)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        if out.status.code() != Some(example.status) {
            failed.push(format!(
                "{}\n  expected exit {}, got {:?}\n  stderr: {}",
                example.line,
                example.status,
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).trim_end()
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{source} examples that no longer run:\n{}",
        failed.join("\n")
    );
}

/// The files `cargo deb` packages exist under the names Cargo.toml gives them (the binaries are
/// built by `cargo deb` itself).
#[test]
fn deb_assets_exist() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let section = manifest
        .split("[package.metadata.deb]")
        .nth(1)
        .expect("a [package.metadata.deb] section");
    let sources: Vec<&str> = section
        .lines()
        .filter_map(|l| l.trim().strip_prefix("[\""))
        .filter_map(|l| l.split('"').next())
        .collect();
    assert!(sources.len() >= 5, "{sources:?}");
    for source in sources {
        if source.starts_with("target/") {
            continue;
        }
        match source.split_once('*') {
            Some((dir, ext)) => {
                let found = std::fs::read_dir(root().join(dir))
                    .unwrap()
                    .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(ext));
                assert!(found, "nothing matches {source}");
            }
            None => assert!(root().join(source).is_file(), "{source} is missing"),
        }
    }
}

/// Whether a program is on PATH. The checks that need one (fish, man) skip without it on a
/// developer's machine and fail in CI, which installs them.
fn have(program: &str) -> bool {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is needed in CI (.ci/run installs it)"
        );
        eprintln!("skipped: {program} is not installed");
    }
    found
}

#[test]
fn man_pages_have_the_sections_a_reader_looks_for() {
    for (rel, page) in man_pages() {
        let page = String::from_utf8(page).unwrap();
        assert!(!page.contains('`'), "{rel} shows a Markdown backtick");
        if rel == "man/imds-mock.1" {
            let synopsis = page.split(".SH SYNOPSIS").nth(1).unwrap();
            let synopsis = synopsis.split(".SH").next().unwrap();
            assert!(
                synopsis.contains("[\\fB\\-\\-\\fR \\fICMD\\fR"),
                "exec mode's -- is missing: {synopsis}"
            );
            continue;
        }
        for section in [
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH EXAMPLES",
            ".SH \"SEE ALSO\"",
        ] {
            assert!(page.contains(section), "{rel} has no {section}");
        }
    }
}

#[test]
fn man_pages_fit_an_80_column_terminal() {
    if !have("man") {
        return;
    }
    for (rel, _) in man_pages() {
        let out = std::process::Command::new("man")
            .args(["-l", "-E", "UTF-8"])
            .arg(root().join(&rel))
            .env("MANWIDTH", "80")
            .env("MAN_KEEP_FORMATTING", "")
            .env("LC_ALL", "C.UTF-8")
            .output()
            .unwrap();
        assert!(out.status.success(), "man {rel}: {:?}", out.status);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.lines().count() > 20, "{rel}: {text}");
        let wide: Vec<&str> = text.lines().filter(|l| l.chars().count() > 80).collect();
        assert!(
            wide.is_empty(),
            "{rel} is wider than 80 columns:\n{}",
            wide.join("\n")
        );
    }
}

/// What fish offers for a command line, with the generated script loaded and `dir` as the
/// current directory (it holds a file, so a completion of file names would show).
fn fish_complete(line: &str) -> Vec<String> {
    let dir = TempDir::new("fish");
    std::fs::write(dir.0.join("a-file-name"), "").unwrap();
    let script = format!(
        "source {}; source {}; complete -C '{line}'",
        root().join("completions/imds.fish").display(),
        root().join("completions/imds-mock.fish").display()
    );
    let out = std::process::Command::new("fish")
        .args(["--no-config", "-c", &script])
        .current_dir(&dir.0)
        .env("HOME", &dir.0)
        .output()
        .unwrap();
    assert!(out.status.success(), "fish: {out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

#[test]
fn fish_completes_option_values_and_metadata_paths() {
    if !have("fish") {
        return;
    }
    for line in ["imds --color ", "imds keys --color "] {
        let offered = fish_complete(line);
        assert_eq!(offered, ["always", "auto", "never"], "{line}");
    }
    let offered = fish_complete("imds get ");
    assert!(
        offered.contains(&"instance/initialization".to_string()),
        "{offered:?}"
    );
    assert!(!offered.contains(&"a-file-name".to_string()), "{offered:?}");
    let offered = fish_complete("imds --color never ");
    assert!(offered.contains(&"instance".to_string()), "{offered:?}");
    for line in [
        "imds --timeout ",
        "imds --field ",
        "imds --api-version ",
        "imds keys --wait ",
        "imds-mock --latency ",
        "imds-mock --port ",
    ] {
        let offered = fish_complete(line);
        assert!(
            !offered.contains(&"a-file-name".to_string()),
            "{line}: {offered:?}"
        );
    }
    for line in ["imds --cacert ", "imds-mock --fixture "] {
        let offered = fish_complete(line);
        assert!(
            offered.contains(&"a-file-name".to_string()),
            "{line}: {offered:?}"
        );
    }
}

/// What bash offers for the last word of a command line, with the generated script loaded.
fn bash_complete(script: &str, function: &str, words: &[&str]) -> Vec<String> {
    let dir = TempDir::new("bash");
    std::fs::write(dir.0.join("a-file-name"), "").unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let prev = if cword > 0 { words[cword - 1] } else { "" };
    let program = format!(
        "source {}; COMP_WORDS=({}); COMP_CWORD={cword}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; \
         {function} '{}' '{}' '{prev}' 2>/dev/null; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        root().join("completions").join(script).display(),
        quoted.join(" "),
        words.join(" "),
        words[0],
        words[cword],
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .current_dir(&dir.0)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_metadata_paths_and_no_file_names_for_values() {
    let offered = bash_complete("imds.bash", "_imds", &["imds", "get", "instance/"]);
    assert!(
        offered.contains(&"instance/volume_attachments".to_string()),
        "{offered:?}"
    );
    let offered = bash_complete("imds.bash", "_imds", &["imds", "--color", ""]);
    assert_eq!(offered, ["auto", "always", "never"]);
    for words in [
        &["imds", "--timeout", ""][..],
        &["imds", "keys", "--field", ""],
        &["imds", "--api-version", ""],
    ] {
        let offered = bash_complete("imds.bash", "_imds", words);
        assert!(
            !offered.contains(&"a-file-name".to_string()),
            "{words:?}: {offered:?}"
        );
    }
    let offered = bash_complete("imds.bash", "_imds", &["imds", "--cacert", "a-"]);
    assert_eq!(offered, ["a-file-name"]);
    let offered = bash_complete("imds-mock.bash", "_imds__mock", &["imds-mock", "--h"]);
    assert!(offered.contains(&"--hang".to_string()), "{offered:?}");
}

#[test]
fn version_names_the_target_and_features_on_one_line() {
    let long = support::ok(support::imds().arg("--version"));
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(long.lines().count(), 1, "{long}");
    assert!(long.starts_with(&format!("imds {version} (")), "{long}");
    assert!(long.contains("-linux-"), "the target: {long}");
    assert!(long.contains("features: tls, mock)"), "{long}");
    let short = support::ok(support::imds().arg("-V"));
    assert_eq!(short, format!("imds {version}\n"));
}
