//! `--shell NAME=PATH`: the option's value, and the `NAME='value'` lines it prints, quoted so
//! that `eval` in sh, dash, bash and zsh assigns the value exactly, whatever it holds. Picking
//! the value is the output stage's job.

use std::fmt;

use crate::field::FieldPath;
use crate::text::clip;

/// What a `--shell` value must look like, for messages.
const FORM: &str = "give NAME=PATH, like zone=zone.name";

/// The names `--shell` will not assign, because a value from the service there would change how
/// the rest of the script runs: variables sh, dash, bash or zsh read or set themselves (the
/// command search path, word splitting, start-up files, prompts, options, locale, history),
/// ones they make read-only or overwrite (`UID`, `status`, `RANDOM`, …), ones the dynamic
/// loader and the C library read in every program started later (`LD_*`, `GCONV_PATH`, …), and
/// `imds`'s own. An entry ending in `*` stands for every name that starts with what comes before
/// it. Names are compared as the shells do, case and all: zsh's `path` is special, `Path` is not.
#[rustfmt::skip]
pub const RESERVED_NAMES: &[&str] = &[
    // POSIX sh and dash.
    "PATH", "IFS", "ENV", "CDPATH", "HOME", "PWD", "OLDPWD", "PPID", "OPTIND", "OPTARG", "OPTERR",
    "PS0", "PS1", "PS2", "PS3", "PS4", "MAIL*", "HIST*", "SHELL", "TERM*", "TMPDIR", "FCEDIT",
    "COLUMNS", "LINES", "LANG", "LANGUAGE", "LC_*", "NLSPATH", "_",
    // bash.
    "BASH*", "SHELLOPTS", "POSIXLY_CORRECT", "PROMPT*", "GLOBIGNORE", "GLOBSORT", "EXECIGNORE",
    "FIGNORE", "HOSTFILE", "IGNOREEOF", "INPUTRC", "TMOUT", "TIMEFORMAT", "UID", "EUID",
    "GROUPS", "RANDOM", "SRANDOM", "SECONDS", "LINENO", "EPOCH*", "FUNCNAME", "FUNCNEST",
    "COMP_*", "COMPREPLY", "COPROC", "DIRSTACK", "PIPESTATUS", "READLINE_*", "REPLY", "SHLVL",
    "HOSTNAME", "HOSTTYPE", "MACHTYPE", "OSTYPE", "CHILD_MAX", "EMACS", "INSIDE_EMACS",
    "MAPFILE", "auto_resume", "histchars",
    // zsh, including the parameters of its zsh/parameter module and its hook arrays.
    "path", "fpath", "FPATH", "cdpath", "manpath", "MANPATH", "mailpath", "module_path",
    "MODULE_PATH", "psvar", "PSVAR", "fignore", "watch", "WATCH", "argv", "ARGC", "status",
    "pipestatus", "signals", "prompt", "EGID", "GID", "USERNAME", "ERRNO", "ZDOTDIR", "ZSH_*",
    "ZLE_*", "ZBEEP", "KEYTIMEOUT", "KEYBOARD_HACK", "NULLCMD", "READNULLCMD", "RPROMPT*",
    "RPS1", "RPS2", "SPROMPT", "POSTEDIT", "PERIOD", "REPORTTIME", "REPORTMEMORY", "SAVEHIST",
    "TIMEFMT", "TMPPREFIX", "TMPSUFFIX", "WORDCHARS", "LISTMAX", "LOGCHECK", "DIRSTACKSIZE",
    "CORRECT_IGNORE*", "TTY", "TTYIDLE", "HOST", "VENDOR", "CPUTYPE", "BAUD", "STTY",
    "TRY_BLOCK_*", "reply", "match", "mbegin", "mend", "MATCH", "MBEGIN", "MEND", "aliases",
    "builtins", "commands", "dirstack", "dis_*", "errnos", "epochtime", "funcfiletrace",
    "funcsourcetrace", "funcstack", "functions", "functions_source", "functrace", "galiases",
    "history", "historywords", "jobdirs", "jobstates", "jobtexts", "keymaps", "modules",
    "nameddirs", "options", "parameters", "patchars", "reswords", "saliases", "sysparams",
    "termcap", "terminfo", "userdirs", "usergroups", "widgets", "zsh_eval_context",
    "zsh_scheduled_events", "chpwd_functions", "periodic_functions", "precmd_functions",
    "preexec_functions", "zshaddhistory_functions", "zshexit_functions",
    "zsh_directory_name_functions",
    // The dynamic loader and the C library.
    "LD_*", "DYLD_*", "GCONV_PATH", "GLIBC_TUNABLES", "LOCPATH", "MALLOC_*", "HOSTALIASES",
    "LOCALDOMAIN", "RES_OPTIONS", "RESOLV_HOST_CONF", "TZDIR",
    // imds itself, for the commands after it.
    "IMDS_*",
];

/// Whether `name` is one of [`RESERVED_NAMES`].
pub fn is_reserved(name: &str) -> bool {
    RESERVED_NAMES
        .iter()
        .any(|entry| match entry.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => name == *entry,
        })
}

/// One `--shell NAME=PATH`: a shell variable and the field that gives its value.
#[derive(Debug, Clone)]
pub struct ShellVar {
    /// The variable: `[A-Za-z_][A-Za-z0-9_]*`.
    pub name: String,
    /// The field, as for `--field`.
    pub path: FieldPath,
}

impl ShellVar {
    /// Parses `NAME=PATH`; a bad name or path is a usage error that says which.
    pub fn parse(text: &str) -> Result<ShellVar, String> {
        let Some((name, path)) = text.split_once('=') else {
            return Err(format!("'{}' has no '=': {FORM}", clip(text)));
        };
        if !is_name(name) {
            return Err(format!(
                "'{}' is not a shell variable name: use letters, digits and '_', not starting \
                 with a digit",
                clip(name)
            ));
        }
        if is_reserved(name) {
            return Err(format!(
                "'{name}' is a name that the shell, or the programs it starts, use themselves: \
                 choose another (imds(1) lists them all)"
            ));
        }
        if path.is_empty() {
            return Err(format!("{name}= has no path: {FORM}"));
        }
        let path = FieldPath::parse(path).map_err(|why| format!("the path of {name}: {why}"))?;
        Ok(ShellVar {
            name: name.to_string(),
            path,
        })
    }
}

impl fmt::Display for ShellVar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.name, self.path)
    }
}

/// Whether `name` is a POSIX shell variable name (XBD 3.235 "Name").
pub fn is_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A value a shell variable cannot hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the value of {name} holds a NUL character, which a shell variable cannot hold")]
pub struct HoldsNul {
    /// The variable.
    pub name: String,
}

/// Appends `NAME='value'` and a newline to `out`.
///
/// Inside single quotes every byte is literal in every POSIX shell (XCU 2.2.2), so the only
/// byte to handle is `'` itself, written as `'\''` (close, escaped quote, reopen). Newlines,
/// `$`, backquotes, backslashes and any other UTF-8 text stay as they are. NUL is the one thing
/// a shell variable cannot hold (shells cut the value there or drop it).
pub fn assign(out: &mut Vec<u8>, name: &str, value: &str) -> Result<(), HoldsNul> {
    if value.contains('\0') {
        return Err(HoldsNul {
            name: name.to_string(),
        });
    }
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"='");
    out.extend_from_slice(value.replace('\'', r"'\''").as_bytes());
    out.extend_from_slice(b"'\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, value: &str) -> String {
        let mut out = Vec::new();
        assign(&mut out, name, value).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn values_are_single_quoted() {
        assert_eq!(line("zone", "us-south-1"), "zone='us-south-1'\n");
        assert_eq!(line("e", ""), "e=''\n");
        assert_eq!(line("q", "it's"), "q='it'\\''s'\n");
        assert_eq!(line("q", "''"), "q=''\\'''\\'''\n");
        assert_eq!(
            line("x", "$(rm -rf /) `id` \\ \"\n$HOME"),
            "x='$(rm -rf /) `id` \\ \"\n$HOME'\n"
        );
    }

    #[test]
    fn nul_cannot_be_assigned() {
        let mut out = Vec::new();
        let e = assign(&mut out, "ud", "a\0b").unwrap_err();
        assert_eq!(e.name, "ud");
        assert!(out.is_empty());
    }

    #[test]
    fn names() {
        for ok in ["a", "_", "_1", "zone", "ZONE_NAME", "a1b2"] {
            assert!(is_name(ok), "{ok}");
        }
        for bad in ["", "1a", "a-b", "a.b", "a b", "é", "a$", "-"] {
            assert!(!is_name(bad), "{bad}");
        }
    }

    #[test]
    fn reserved_names() {
        for name in [
            "PATH",
            "IFS",
            "LD_PRELOAD",
            "LD_",
            "DYLD_LIBRARY_PATH",
            "BASH",
            "BASH_ENV",
            "BASHOPTS",
            "MAIL",
            "MAILCHECK",
            "HISTFILE",
            "path",
            "status",
            "_",
            "IMDS_TOKEN",
            "LC_ALL",
            "TERM",
            "TERMINFO",
            "PROMPT_COMMAND",
            "RPROMPT2",
        ] {
            assert!(is_reserved(name), "{name}");
        }
        for name in [
            "Path",
            "paths",
            "my_path",
            "zone",
            "PATH_",
            "XPATH",
            "ld_preload",
            "BAS",
            "_x",
            "imds_token",
            "home",
            "Status",
            "term",
            "TER",
        ] {
            assert!(!is_reserved(name), "{name}");
        }
    }

    #[test]
    fn every_reserved_entry_is_a_name_or_a_prefix_of_one() {
        for entry in RESERVED_NAMES {
            let name = entry.strip_suffix('*').unwrap_or(entry);
            assert!(is_name(name), "{entry}");
            assert!(!name.contains('*'), "{entry}");
        }
    }

    #[test]
    fn a_reserved_name_is_refused_before_its_path_is_read() {
        let e = ShellVar::parse("PATH=zone.name").unwrap_err();
        assert!(e.starts_with("'PATH' is a name that the shell"), "{e}");
        let e = ShellVar::parse("LD_PRELOAD=").unwrap_err();
        assert!(e.starts_with("'LD_PRELOAD' is a name"), "{e}");
    }

    #[test]
    fn parse_splits_at_the_first_equals_sign() {
        let v = ShellVar::parse("zone=zone.name").unwrap();
        assert_eq!(v.name, "zone");
        assert_eq!(v.path.to_string(), "zone.name");
        let v = ShellVar::parse("n=$[?@.a=='b'].c").unwrap();
        assert_eq!(v.path.to_string(), "$[?@.a=='b'].c");
        assert!(v.path.is_jsonpath());
        assert_eq!(v.to_string(), "n=$[?@.a=='b'].c");
    }

    #[test]
    fn parse_says_what_is_wrong() {
        for (text, want) in [
            ("zone", "'zone' has no '=': give NAME=PATH"),
            ("1zone=zone.name", "'1zone' is not a shell variable name"),
            (
                "my-zone=zone.name",
                "'my-zone' is not a shell variable name",
            ),
            ("=zone.name", "'' is not a shell variable name"),
            ("zone=", "zone= has no path"),
            ("zone=a..b", "the path of zone: empty key"),
        ] {
            let e = ShellVar::parse(text).unwrap_err();
            assert!(e.starts_with(want), "{text}: {e}");
        }
    }
}
