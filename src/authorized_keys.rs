//! Merging public keys into an OpenSSH `authorized_keys` text: which lines are there already,
//! and what to append. It reads and writes no file.
//!
//! A key is the same key when its type and key material (the base64 blob) are the same,
//! whatever its options or comment say (sshd(8), "AUTHORIZED_KEYS FILE FORMAT": `[options]
//! keytype base64-key [comment]`). Every existing line is kept byte for byte, including
//! comments, blank lines and lines this module cannot read.
//!
//! Lines are read as sshd reads them: its fields are apart by spaces and tabs only, and no other
//! character counts as a blank. A key from the service that only another reading would split
//! (a form feed between its fields, say) is refused rather than written: sshd would not use it,
//! and this module would never find it again, so it would be appended on every run.

/// What separates the fields of an `authorized_keys` line, and what sshd skips before the
/// first (OpenSSH `auth2-pubkeyfile.c`, `sshkey.c`): nothing else.
const BLANKS: [char; 2] = [' ', '\t'];

/// The result of a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The whole new text: the old text, then one line per added key.
    pub text: String,
    /// The key lines added, in order.
    pub added: Vec<String>,
}

/// A key line the service gave that is not an OpenSSH public key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("key {index} is not an OpenSSH public key ({why})")]
pub struct BadKey {
    /// Its position among the keys given.
    pub index: usize,
    /// What is wrong with it.
    pub why: &'static str,
}

/// Appends to `existing` each of `keys` (public key lines, `type base64 [comment]`) whose type
/// and key material are not in it yet. A key given twice is added once. Nothing is added for a
/// bad key: the first one is the error.
pub fn merge(existing: &str, keys: &[&str]) -> Result<Merged, BadKey> {
    let mut present: Vec<(String, String)> = existing.lines().filter_map(key_of).collect();
    let mut added = Vec::new();
    for (index, key) in keys.iter().enumerate() {
        let line = key.trim_matches(BLANKS);
        if line.chars().any(|c| c.is_control() && c != '\t') {
            return Err(BadKey {
                index,
                why: "it holds a line break, NUL or other control character",
            });
        }
        let Some((kind, blob)) = split_key(line) else {
            return Err(BadKey {
                index,
                why: "it does not start with a key type and base64 key material",
            });
        };
        let id = (kind.to_string(), blob.to_string());
        if !present.contains(&id) {
            present.push(id);
            added.push(line.to_string());
        }
    }
    let mut text = existing.to_string();
    if !added.is_empty() && !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for line in &added {
        text.push_str(line);
        text.push('\n');
    }
    Ok(Merged { text, added })
}

/// The type and key material of an `authorized_keys` line, with or without leading options;
/// `None` for comments, blank lines and lines that hold no key.
fn key_of(line: &str) -> Option<(String, String)> {
    let line = line.trim_start_matches(BLANKS);
    if line.starts_with('#') {
        return None;
    }
    let words = words(line);
    // `type blob …`, else `options type blob …` (the options may hold quoted blanks).
    [0, 1].into_iter().find_map(|at| {
        let (kind, blob) = (words.get(at)?, words.get(at + 1)?);
        (is_key_type(kind) && is_blob(blob)).then(|| (kind.to_string(), blob.to_string()))
    })
}

/// The type and key material of a bare public key line (`type base64 [comment]`).
fn split_key(line: &str) -> Option<(&str, &str)> {
    let mut words = line.split(BLANKS).filter(|w| !w.is_empty());
    let (kind, blob) = (words.next()?, words.next()?);
    (is_key_type(kind) && is_blob(blob)).then_some((kind, blob))
}

/// Splits a line at blanks outside double quotes (an options field may hold
/// `command="echo a b"`); a backslash escapes a quote inside quotes.
fn words(line: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = None;
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ' ' | '\t' if !quoted => {
                if let Some(s) = start.take() {
                    words.push(&line[s..i]);
                }
                continue;
            }
            _ => {}
        }
        start.get_or_insert(i);
    }
    if let Some(s) = start {
        words.push(&line[s..]);
    }
    words
}

/// A key type name: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `sk-ssh-ed25519@openssh.com`, …
/// (letters, digits, `-`, `.`, `@`; never `=` or `,`, which options have).
fn is_key_type(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.@".contains(&b))
        && word.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Base64 key material. Every OpenSSH key blob starts with a 4-byte big-endian length of
/// under 2^24 (the type name's), which base64 writes as `AAAA`.
fn is_blob(word: &str) -> bool {
    word.starts_with("AAAA")
        && word
            .trim_end_matches('=')
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGm7Y2x1c3RlcmVkLWtleS1vbmUtZm9yLXRlc3Rz";
    const RSA: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDx7y9o+/Zk= alice@laptop";

    #[test]
    fn keys_are_appended_to_an_empty_file() {
        let m = merge("", &[ED, RSA]).unwrap();
        assert_eq!(m.text, format!("{ED}\n{RSA}\n"));
        assert_eq!(m.added, [ED, RSA]);
    }

    #[test]
    fn a_second_merge_changes_nothing() {
        let once = merge("# mine\n", &[ED, RSA]).unwrap();
        let twice = merge(&once.text, &[ED, RSA]).unwrap();
        assert_eq!(twice.text, once.text);
        assert!(twice.added.is_empty());
    }

    #[test]
    fn existing_lines_comments_and_unreadable_lines_are_kept_byte_for_byte() {
        let old = "# managed by hand\n\n  garbage line\r\nno-pty,command=\"echo a b\" ssh-rsa \
                   AAAAB3NzaC1yc2EAAAADAQABAAABAQDx7y9o+/Zk= old comment\n\tssh-dss AAAAB3Nz";
        let m = merge(old, &[RSA, ED]).unwrap();
        assert_eq!(m.text, format!("{old}\n{ED}\n"));
        assert_eq!(m.added, [ED]);
    }

    #[test]
    fn the_same_key_with_another_comment_or_options_is_present() {
        let old = "environment=\"A=b c\",no-agent-forwarding ssh-ed25519 \
                   AAAAC3NzaC1lZDI1NTE5AAAAIGm7Y2x1c3RlcmVkLWtleS1vbmUtZm9yLXRlc3Rz bob\n";
        assert!(merge(old, &[ED]).unwrap().added.is_empty());
        let with_comment = format!("{ED} someone-else");
        assert!(
            merge(&format!("{ED}\n"), &[&with_comment])
                .unwrap()
                .added
                .is_empty()
        );
    }

    #[test]
    fn another_type_with_the_same_material_is_another_key() {
        let other = ED.replace("ssh-ed25519", "sk-ssh-ed25519@openssh.com");
        let m = merge(&format!("{ED}\n"), &[&other]).unwrap();
        assert_eq!(m.added, [other]);
    }

    #[test]
    fn a_commented_out_key_does_not_count() {
        let m = merge(&format!("# {ED}\n"), &[ED]).unwrap();
        assert_eq!(m.added, [ED]);
    }

    #[test]
    fn a_key_given_twice_is_added_once() {
        let m = merge("", &[ED, ED, &format!("  {ED}  ")]).unwrap();
        assert_eq!(m.text, format!("{ED}\n"));
    }

    #[test]
    fn a_bad_key_adds_nothing_and_names_its_position() {
        let injected = format!("{ED}\nssh-rsa AAAAB3Nzevil");
        for (keys, index) in [
            (vec![ED, "not a key"], 1),
            (vec![""], 0),
            (vec![&injected[..]], 0),
            (vec![ED, RSA, "ssh-rsa notbase64"], 2),
            (vec!["no-pty ssh-rsa AAAAB3NzaC1yc2E"], 0),
        ] {
            let e = merge("x\n", &keys).unwrap_err();
            assert_eq!(e.index, index, "{keys:?}");
        }
        assert_eq!(
            merge("", &["x"]).unwrap_err().to_string(),
            "key 0 is not an OpenSSH public key (it does not start with a key type and base64 \
             key material)"
        );
    }

    #[test]
    fn only_spaces_and_tabs_part_the_fields_as_for_sshd() {
        let blob = "AAAAC3NzaC1lZDI1NTE5AAAAIGm7Y2x1c3RlcmVkLWtleS1vbmUtZm9yLXRlc3Rz";
        for (index, key) in [
            format!("ssh-ed25519\u{c}{blob}"),
            format!("ssh-ed25519\u{b}{blob} vt"),
            format!("\u{c}ssh-ed25519 {blob}"),
            format!("ssh-ed25519 {blob}\u{c}"),
            format!("ssh-ed25519 {blob} comment\u{85}"),
            format!("ssh-ed25519\u{a0}{blob}"),
            format!("ssh-ed25519\u{2003}{blob}"),
        ]
        .iter()
        .enumerate()
        {
            let keys = [ED, key.as_str()];
            let e = merge("", &keys).unwrap_err();
            assert_eq!(e.index, 1, "{index}: {key:?}");
        }
        // Tabs and runs of spaces are blanks to sshd too.
        let tabbed = format!("\t ssh-ed25519\t\t{blob}  \tcomment\t");
        let m = merge(&format!("{ED}\n"), &[&tabbed]).unwrap();
        assert!(m.added.is_empty(), "{m:?}");
        let m = merge("", &[&tabbed]).unwrap();
        assert_eq!(m.added, [format!("ssh-ed25519\t\t{blob}  \tcomment")]);
        assert!(merge(&m.text, &[&tabbed]).unwrap().added.is_empty());
    }

    #[test]
    fn an_existing_line_is_read_as_sshd_reads_it() {
        // sshd skips only spaces and tabs before a key; after a form feed it finds no key.
        let m = merge(&format!("\u{c}{ED}\n"), &[ED]).unwrap();
        assert_eq!(m.added, [ED]);
        let m = merge(&format!(" \t{ED}\n"), &[ED]).unwrap();
        assert!(m.added.is_empty());
    }

    #[test]
    fn words_keep_quoted_blanks_together() {
        assert_eq!(
            words(r#"command="a \" b",x  ssh-rsa  AAAA c d"#),
            [r#"command="a \" b",x"#, "ssh-rsa", "AAAA", "c", "d"]
        );
        assert!(words("   ").is_empty());
    }
}
