//! The shape of the source tree: the three packages depend on each other in one direction only
//! (the library on neither the command line nor the emulator, the emulator not on the command
//! line), no package's module import graph has a cycle, `main.rs` stays thin, and no file or
//! function holds more code than one reader can hold. Code is what is left once comments are
//! taken out: the rules on size count lines of code, so a comment never pushes a file over.
//!
//! A package's graph has one node per source file under its `src/` (`client/pages.rs` is `client::pages`,
//! `client/mod.rs` is `client`) and an edge for every `crate::` path in its code, `use` lines and
//! inline paths alike, test modules included, and for every `super::` path outside its test
//! modules (in a test module, `super` is the module tested); comments are not code. A path names
//! the deepest file module it starts with (`crate::client::Target` is `client`).
//!
//! A child module does not name what its parent defines or passes on (`super::Check` in
//! `doctor/network.rs`, `crate::EXIT_USAGE` in a file beside `lib.rs`): what children share lives
//! in a module of its own, which the parent imports too, so arrows run from the parent down.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The most lines of code a source file may have outside its `#[cfg(test)]` module: lines that
/// are neither blank nor comments (doc comments included), so documenting a module costs nothing.
/// It was set a little above the largest file when lines were first counted this way
/// (`src/field.rs`, 409 lines of code).
const MAX_CODE_LINES: usize = 450;
/// The most lines a function may span outside test modules, from its `fn` line to its closing
/// brace, comments inside it included: beyond that a reader no longer sees it whole, and its
/// parts want names of their own.
const MAX_FN_LINES: usize = 80;
/// The most lines `main.rs` may have: it parses, runs and prints, nothing more.
const MAX_MAIN_LINES: usize = 60;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The packages of the workspace: the name code uses for each (its library crate's), its
/// directory, and the packages it may depend on.
const PACKAGES: [(&str, &str, &[&str]); 3] = [
    ("imds_client", "crates/imds-client", &[]),
    ("imds_mock", "crates/imds-mock", &["imds_client"]),
    ("imds", ".", &["imds_client", "imds_mock"]),
];

/// Every package's `src/`.
fn all_src() -> Vec<PathBuf> {
    PACKAGES
        .iter()
        .map(|(_, dir, _)| Path::new(env!("CARGO_MANIFEST_DIR")).join(dir).join("src"))
        .collect()
}

/// Every `.rs` file under `dir`, with its path relative to `src/`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The library module a file under `src/` is, or `None` for the binaries' roots.
fn module_of(relative: &Path) -> Option<String> {
    let parts: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    match parts.as_slice() {
        [only] if only == "main" || only == "lib" => None,
        [first, ..] if first == "bin" => None,
        [init @ .., last] if last == "mod" => Some(init.join("::")),
        all => Some(all.join("::")),
    }
}

/// The code of a file without its comments (line comments, doc comments, block comments, nested
/// ones too) and with its string and character literals emptied, so a `crate::` in prose or in a
/// message is not an edge and a brace in either opens no block. Every newline stays, so line *n*
/// of the result is line *n* of the file; each line a string literal spans keeps a `""`, since
/// it is code.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        // A letter before `r"` or `b"` makes it part of a name, not a literal's prefix.
        let in_word = text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            let len = block_comment_len(rest);
            out.extend(rest[..len].chars().filter(|&c| c == '\n'));
            i += len;
        } else if let Some(len) = string_len(rest).filter(|_| rest.starts_with('"') || !in_word) {
            out.push_str("\"\"");
            for _ in rest[..len].matches('\n') {
                out.push_str("\n\"\"");
            }
            i += len;
        } else if let Some(len) = char_len(rest) {
            out.push_str("' '");
            i += len;
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The length of the block comment at the start of `text`; comments nest.
fn block_comment_len(text: &str) -> usize {
    let mut depth = 0;
    let mut i = 0;
    while i < text.len() {
        if text[i..].starts_with("/*") {
            depth += 1;
            i += 2;
        } else if text[i..].starts_with("*/") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += text[i..].chars().next().unwrap().len_utf8();
        }
    }
    text.len()
}

/// The length of the string literal at the start of `text`, if one starts there: `"…"` with its
/// escapes, `b"…"`, and raw strings (`r"…"`, `r#"…"#`, `br#"…"#`).
fn string_len(text: &str) -> Option<usize> {
    let unprefixed = text.strip_prefix('b').unwrap_or(text);
    if let Some(raw) = unprefixed.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw[hashes..].strip_prefix('"')?;
        let close = format!("\"{}", "#".repeat(hashes));
        let end = body.find(&close).map_or(body.len(), |e| e + close.len());
        return Some(text.len() - body.len() + end);
    }
    let body = unprefixed.strip_prefix('"')?.as_bytes();
    let mut j = 0;
    while j < body.len() && body[j] != b'"' {
        j += if body[j] == b'\\' { 2 } else { 1 };
    }
    Some(text.len() - body.len() + (j + 1).min(body.len()))
}

/// The length of the character literal at the start of `text` (`'{'`, `'\''`, `'\u{7f}'`), if
/// one starts there: a lifetime (`'a`) has no closing quote.
fn char_len(text: &str) -> Option<usize> {
    let body = text.strip_prefix('\'')?;
    let mut chars = body.chars();
    let first = chars.next()?;
    if first == '\\' {
        let escaped = 1 + chars.next()?.len_utf8();
        let close = body[escaped..].find('\'')?;
        return Some(1 + escaped + close + 1);
    }
    (chars.next()? == '\'').then_some(1 + first.len_utf8() + 1)
}

/// `code` (from [`code_only`]) with every test module (`#[cfg(test)]`, `#[cfg(all(test, …))]`)
/// blanked, its newlines kept.
fn without_test_modules(code: &str) -> String {
    let mut out = code.to_string();
    let mut from = 0;
    while let Some(at) = out[from..].find("#[cfg(").map(|a| a + from) {
        from = at + 1;
        let attribute = &out[at..];
        let Some(end) = attribute.find(']').filter(|_| {
            attribute.starts_with("#[cfg(test)]") || attribute.starts_with("#[cfg(all(test,")
        }) else {
            continue;
        };
        let mut rest = attribute[end + 1..].trim_start();
        while rest.starts_with("#[") {
            rest = rest[rest.find(']').map_or(rest.len(), |e| e + 1)..].trim_start();
        }
        let Some(module) = rest
            .strip_prefix("pub ")
            .unwrap_or(rest)
            .strip_prefix("mod ")
        else {
            continue;
        };
        let Some(open) = module
            .find(['{', ';'])
            .filter(|&o| module[o..].starts_with('{'))
        else {
            continue;
        };
        let open = out.len() - module.len() + open;
        let end = block_end(&out, open);
        let blank: String = out[at..end].chars().filter(|&c| c == '\n').collect();
        out.replace_range(at..end, &blank);
    }
    out
}

/// Where the block that opens with the `{` at `open` ends: just after its closing brace.
fn block_end(code: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in code[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return open + i + 1;
                }
            }
            _ => {}
        }
    }
    code.len()
}

/// How many lines of `code` (from [`code_only`]) hold code.
fn code_lines(code: &str) -> usize {
    code.lines().filter(|l| !l.trim().is_empty()).count()
}

/// Every `fn` item of `code` (from [`code_only`]) that has a body: its name, the line its `fn`
/// is on (from 1) and the lines from there to its closing brace, both counted.
fn functions(code: &str) -> Vec<(String, usize, usize)> {
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("fn ").map(|a| a + from) {
        from = at + "fn ".len();
        if code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let signature = code[from..].trim_start();
        let name: String = signature
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue; // a function pointer type, `fn (u8)`
        }
        // The body is the first `{` outside parentheses and brackets; a `;` first means none.
        let mut depth = 0;
        let start = code.len() - signature.len();
        let open = code[start..].char_indices().find_map(|(i, c)| match c {
            '(' | '[' => {
                depth += 1;
                None
            }
            ')' | ']' => {
                depth -= 1;
                None
            }
            '{' | ';' if depth == 0 => Some((start + i, c)),
            _ => None,
        });
        if let Some((open, '{')) = open {
            let first = line_of(at);
            found.push((name, first, line_of(block_end(code, open) - 1) - first + 1));
        }
    }
    found
}

/// Every path that `crate::` starts in `code`, with `use` groups expanded:
/// `crate::{a::{B, c}, d}` gives `a::B`, `a::c` and `d`.
fn crate_paths(code: &str) -> Vec<String> {
    paths_after(code, "crate::")
}

/// Every path that `start` (`crate::`, `super::`) starts in `code`, with `use` groups expanded.
fn paths_after(code: &str, start: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for (at, _) in code.match_indices(start) {
        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
            continue; // `mycrate::`, not `crate::`; `super::super::`, once
        }
        paths.extend(use_tree(&code[at + start.len()..]).0);
    }
    paths
}

/// Parses a use tree at the start of `text`: the paths it names and the text after it.
fn use_tree(text: &str) -> (Vec<String>, &str) {
    let text = text.trim_start();
    if let Some(inner) = text.strip_prefix('{') {
        let mut paths = Vec::new();
        let mut rest = inner;
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix('}') {
                return (paths, after);
            }
            if rest.is_empty() {
                return (paths, rest);
            }
            let (sub, after) = use_tree(rest);
            paths.extend(sub);
            rest = after.trim_start();
            rest = rest.strip_prefix(',').unwrap_or(rest);
        }
    }
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    let segment = &text[..end];
    let rest = &text[end..];
    if let Some(after) = rest.strip_prefix("::") {
        let (subs, rest) = use_tree(after);
        if subs.is_empty() {
            return (vec![segment.to_string()], rest);
        }
        let paths = subs
            .into_iter()
            .map(|s| {
                if s == "self" {
                    segment.to_string()
                } else {
                    format!("{segment}::{s}")
                }
            })
            .collect();
        return (paths, rest);
    }
    if segment.is_empty() {
        return (Vec::new(), rest);
    }
    (vec![segment.to_string()], rest)
}

/// The deepest module of `modules` that `path` starts with.
fn target_of(path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let segments: Vec<&str> = path.split("::").collect();
    (1..=segments.len())
        .rev()
        .map(|n| segments[..n].join("::"))
        .find(|candidate| modules.contains(candidate))
}

/// The import graph of the package whose sources are under `root`: module → the modules its
/// `crate::` paths name.
fn graph(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    sources(root, &mut files);
    let named: Vec<(String, PathBuf, String)> = files
        .into_iter()
        .filter_map(|f| {
            let module = module_of(f.strip_prefix(root).unwrap())?;
            let text = std::fs::read_to_string(&f).unwrap();
            Some((module, f, text))
        })
        .collect();
    // A file included under another name (`#[path = "portable.rs"] mod sys;`) is that module:
    // its imports are the module's on the system it is built for.
    let included: BTreeMap<PathBuf, String> = named
        .iter()
        .flat_map(|(module, file, text)| {
            let dir = file.parent().unwrap();
            path_modules(text)
                .into_iter()
                .map(move |(path, name)| (dir.join(path), join_module(module, &name)))
        })
        .collect();
    let named: Vec<(String, String)> = named
        .into_iter()
        .map(|(module, file, text)| (included.get(&file).cloned().unwrap_or(module), text))
        .collect();
    let modules: BTreeSet<String> = named.iter().map(|(m, _)| m.clone()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in &named {
        let code = code_only(text);
        // `super::` outside test modules, where it is the module above this file's.
        let parent = parent_module(module);
        let above = paths_after(&without_test_modules(&code), "super::")
            .into_iter()
            .map(|p| join_module(parent, &p));
        let edges = crate_paths(&code)
            .into_iter()
            .chain(above)
            .filter_map(|p| target_of(&p, &modules))
            .filter(|t| t != module);
        graph.entry(module.clone()).or_default().extend(edges);
    }
    graph
}

/// The modules a file declares with a `#[path]` attribute: the file named (relative to the
/// declaring file's folder) and the module's name.
fn path_modules(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("#[path = \"") {
        let rest = &text[at + 10..];
        let Some(end) = rest.find('"') else { continue };
        let after = rest[end..].split_once(']').map_or("", |(_, after)| after);
        // Other attributes may stand between `#[path]` and the `mod` line.
        let declaration = after
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty() && !line.starts_with("#["));
        if let Some(name) = declaration
            .and_then(|line| line.strip_prefix("mod "))
            .and_then(|line| line.strip_suffix(';'))
        {
            found.push((rest[..end].to_string(), name.trim().to_string()));
        }
    }
    found
}

/// The module `name` declared in `module` (`""` being the crate root).
fn join_module(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_string()
    } else {
        format!("{module}::{name}")
    }
}

/// A cycle in `graph`, as the modules along it, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(node.to_string(), Mark::Open);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match marks.get(next).copied().unwrap_or(Mark::New) {
                Mark::Open => {
                    let from = stack.iter().position(|n| n == next).unwrap();
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(cycle) = visit(next, graph, marks, stack) {
                        return Some(cycle);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if marks.get(node).copied().unwrap_or(Mark::New) == Mark::New {
            let mut stack = Vec::new();
            if let Some(cycle) = visit(node, graph, &mut marks, &mut stack) {
                return Some(cycle);
            }
        }
    }
    None
}

#[test]
fn no_package_has_an_import_cycle() {
    for root in all_src() {
        let graph = graph(&root);
        assert!(
            graph.len() > 10,
            "too few modules found in {}: {graph:?}",
            root.display()
        );
        if std::env::var_os("IMDS_SHOW_GRAPH").is_some() {
            for (module, edges) in &graph {
                let edges: Vec<&str> = edges.iter().map(String::as_str).collect();
                eprintln!("{}: {module} -> {}", root.display(), edges.join(", "));
            }
        }
        if let Some(cycle) = find_cycle(&graph) {
            panic!("import cycle in {}: {}", root.display(), cycle.join(" -> "));
        }
    }
}

/// Every module file under `root` with its module path, the crate root (`lib.rs`) as `""`; the
/// binaries' roots are left out.
fn module_files(root: &Path) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    sources(root, &mut files);
    files
        .into_iter()
        .filter_map(|f| {
            let relative = f.strip_prefix(root).unwrap();
            match module_of(relative) {
                Some(module) => Some((module, f)),
                None if relative == Path::new("lib.rs") => Some((String::new(), f)),
                None => None,
            }
        })
        .collect()
}

/// The module a module is declared in: `a` for `a::b`, the crate root (`""`) for `a`.
fn parent_module(module: &str) -> &str {
    module.rsplit_once("::").map_or("", |(parent, _)| parent)
}

/// The names a module's code (from [`code_only`], without its test modules) lets its children
/// reach through it: the items it defines at its top level, and what its `use` lines bring in
/// from the crate itself (a path from `crate`, `self`, `super` or one of `children`, its own
/// modules). What it brings in from other crates is theirs, and the modules it declares are
/// modules.
fn own_names(code: &str, children: &BTreeSet<String>) -> BTreeSet<String> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut names = BTreeSet::new();
    let mut depth = 0;
    for (at, c) in code.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth != 0 || !is_word(c) || code[..at].ends_with(is_word) {
            continue;
        }
        let mut words = code[at..].split(|c: char| !is_word(c) && c != '!');
        let (Some(keyword), Some(name)) = (words.next(), words.find(|w| !w.is_empty())) else {
            continue;
        };
        match keyword {
            "use" => {
                let statement = &code[at + 3..at + code[at..].find(';').unwrap_or(code.len() - at)];
                let from = statement
                    .trim_start()
                    .split("::")
                    .next()
                    .unwrap_or_default();
                if !["crate", "self", "super"].contains(&from) && !children.contains(from) {
                    continue;
                }
                for path in use_tree(statement).0 {
                    names.insert(path.rsplit("::").next().unwrap().to_string());
                }
                // A renamed import (`use a::B as C`) is reached as C.
                for (found, _) in statement.match_indices(" as ") {
                    let renamed = statement[found + 4..].trim_start().split(|c| !is_word(c));
                    names.extend(renamed.take(1).map(str::to_string));
                }
            }
            "fn" | "struct" | "enum" | "union" | "trait" | "type" | "const" | "static"
            | "macro_rules!"
                if name != "fn" =>
            {
                names.insert(name.to_string());
            }
            _ => {}
        }
    }
    names
}

/// Where the code of module `module` (from [`code_only`], without its test modules) names an
/// item of its parent, whose own names (see [`own_names`]) are `parent_names`: a `super::X`, or
/// a `crate::` path through the parent, where `X` is one of those names and not a module of
/// `modules` (a sibling, which it may name). A child of the crate root also names its siblings
/// `crate::x`, never `super::x`.
fn parent_items_named(
    module: &str,
    code: &str,
    parent_names: &BTreeSet<String>,
    modules: &BTreeSet<String>,
) -> Vec<String> {
    let parent = parent_module(module);
    let through_parent = if parent.is_empty() {
        "crate::".to_string()
    } else {
        format!("crate::{parent}::")
    };
    let mut found = Vec::new();
    for prefix in ["super::", through_parent.as_str()] {
        for path in paths_after(code, prefix) {
            let first = path.split("::").next().unwrap_or_default();
            let sibling = join_module(parent, first);
            if prefix == "super::" && parent.is_empty() {
                found.push(format!("super::{path} (write crate::{path})"));
            } else if !modules.contains(&sibling) && parent_names.contains(first) {
                found.push(format!("{prefix}{path}"));
            }
        }
    }
    found
}

#[test]
fn no_child_module_names_its_parents_items() {
    let mut named = Vec::new();
    for root in all_src() {
        let files = module_files(&root);
        let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
        let code: BTreeMap<&str, String> = files
            .iter()
            .map(|(m, f)| {
                let text = std::fs::read_to_string(f).unwrap();
                (m.as_str(), without_test_modules(&code_only(&text)))
            })
            .collect();
        for (module, file) in &files {
            if module.is_empty() {
                continue;
            }
            let parent = parent_module(module);
            let children: BTreeSet<String> = modules
                .iter()
                .filter(|m| !m.is_empty() && parent_module(m) == parent)
                .map(|m| m.rsplit("::").next().unwrap().to_string())
                .collect();
            let parent_names = own_names(&code[parent], &children);
            for path in parent_items_named(module, &code[module.as_str()], &parent_names, &modules)
            {
                named.push(format!("{}: {path}", file.display()));
            }
        }
    }
    assert!(
        named.is_empty(),
        "modules that name their parent's items (move what the children share into a module \
         of its own, which the parent imports too): {named:#?}"
    );
}

#[test]
fn the_parent_rule_finds_items_named_through_the_parent() {
    let parent = code_only(
        "mod check;\nmod network;\npub use check::Check;\nuse std::io::Write;\n\
         use crate::shell::NAMES as SHELL_NAMES;\nconst LIMIT: u8 = 1;\n\
         pub fn run() { fn inner() {} }\nstruct Subject;\n",
    );
    let children = BTreeSet::from(["check".to_string(), "network".to_string()]);
    let names = own_names(&parent, &children);
    let expected = ["Check", "LIMIT", "NAMES", "SHELL_NAMES", "Subject", "run"];
    assert_eq!(names, expected.map(String::from).into());
    let modules = ["doctor", "doctor::check", "doctor::network"]
        .map(String::from)
        .into();
    let child = code_only(
        "use super::{Check, Subject};\nuse super::check::Check;\n\
         use crate::doctor::{LIMIT, network::probe};\n\
         fn f() { super::run(); crate::doctor::check::x(); }\n// super::Subject\n",
    );
    assert_eq!(
        parent_items_named("doctor::network", &child, &names, &modules),
        [
            "super::Check",
            "super::Subject",
            "super::run",
            "crate::doctor::LIMIT"
        ]
    );
    let modules = ["routes", "http"].map(String::from).into();
    let child =
        code_only("use super::http::Request;\nuse crate::EXIT_USAGE;\nuse crate::http::Conn;");
    let root_names = BTreeSet::from(["EXIT_USAGE".to_string()]);
    assert_eq!(
        parent_items_named("routes", &child, &root_names, &modules),
        [
            "super::http::Request (write crate::http::Request)",
            "crate::EXIT_USAGE"
        ]
    );
}

/// The metadata collections are one table in the client (crates/imds-client/src/resource.rs),
/// which the command line reads, and one in the emulator (crates/imds-mock/src/collections.rs),
/// kept apart on purpose (docs/ARCHITECTURE.md §6.3): every row of the client's has its command,
/// and the two tables hold the same collections, paged alike, from the same version dates.
#[test]
fn the_client_the_command_line_and_the_emulator_know_the_same_collections() {
    use clap::CommandFactory;
    use imds_client::resource::ENTRIES;
    use imds_mock::collections::COLLECTIONS;
    let cli = imds::cli::Cli::command();
    for entry in ENTRIES {
        let sub = cli
            .find_subcommand(entry.command)
            .unwrap_or_else(|| panic!("no `imds {}` for {}", entry.command, entry.path));
        // The command of a collection takes an id.
        let takes_id = sub.get_positionals().any(|a| a.get_id() == "id");
        assert_eq!(takes_id, entry.key.is_some(), "imds {}", entry.command);
    }
    let client: BTreeSet<(String, bool, Option<&str>)> = ENTRIES
        .iter()
        .filter(|e| e.key.is_some())
        .map(|e| (e.path.to_string(), e.paginated, e.since))
        .collect();
    let emulator: BTreeSet<(String, bool, Option<&str>)> = COLLECTIONS
        .iter()
        .map(|c| (c.path(), c.paginated, c.since))
        .collect();
    assert_eq!(client, emulator);
    // A snapshot keeps each one under the key the emulator's fixtures give it.
    for collection in COLLECTIONS {
        let entry = ENTRIES
            .iter()
            .find(|e| e.path == collection.path())
            .unwrap();
        assert_eq!(entry.fixture_key(), collection.name);
    }
}

/// The workspace packages a manifest's `[dependencies]` tables name (normal dependencies, any
/// target), as their crate names.
fn workspace_dependencies(manifest: &str) -> BTreeSet<String> {
    let mut in_dependencies = false;
    let mut found = BTreeSet::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]"
                || line.starts_with("[target.") && line.ends_with(".dependencies]");
            continue;
        }
        let name = line.split(['=', ' ']).next().unwrap_or_default();
        if in_dependencies && PACKAGES.iter().any(|(c, ..)| *c == name.replace('-', "_")) {
            found.insert(name.replace('-', "_"));
        }
    }
    found
}

#[test]
fn the_packages_depend_in_one_direction_only() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, dir, allowed) in PACKAGES {
        let manifest = std::fs::read_to_string(base.join(dir).join("Cargo.toml")).unwrap();
        for dependency in workspace_dependencies(&manifest) {
            assert!(
                allowed.contains(&dependency.as_str()),
                "{name} ({dir}/Cargo.toml) depends on {dependency}"
            );
        }
        // Nor through a path in the code (a dev-dependency would let tests do it).
        let mut files = Vec::new();
        sources(&base.join(dir).join("src"), &mut files);
        for file in files {
            let code = code_only(&std::fs::read_to_string(&file).unwrap());
            for (other, ..) in PACKAGES {
                if other == name || allowed.contains(&other) {
                    continue;
                }
                let named = code
                    .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .any(|word| word == other || word.starts_with(&format!("{other}::")));
                assert!(!named, "{} names {other}", file.display());
            }
        }
    }
    let client = std::fs::read_to_string(base.join("crates/imds-client/Cargo.toml")).unwrap();
    assert!(workspace_dependencies(&client).is_empty());
    assert_eq!(
        workspace_dependencies(
            "[dependencies]\nimds-client = { path = \"x\" }\n[dev-dependencies]\nimds-mock = \"1\"\n"
        ),
        BTreeSet::from(["imds_client".to_string()])
    );
}

#[test]
fn the_cycle_finder_finds_cycles_and_parses_use_groups() {
    let paths = crate_paths(&code_only(
        "use crate::{a::{B, c::{self, D}}, e};\nfn f() { crate::g::h(); } // crate::x\nlet s = \"crate::y\";",
    ));
    assert_eq!(paths, ["a::B", "a::c", "a::c::D", "e", "g::h"]);
    let above = paths_after(
        &code_only("use super::{b::C, d};\nfn f() { super::super::e(); } // super::x"),
        "super::",
    );
    assert_eq!(above, ["b::C", "d", "super::e"]);
    let modules: BTreeSet<String> = ["a", "a::c", "g"].iter().map(|s| s.to_string()).collect();
    assert_eq!(target_of("a::c::D", &modules).as_deref(), Some("a::c"));
    assert_eq!(target_of("a::B", &modules).as_deref(), Some("a"));
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.insert("a".into(), ["b".to_string()].into());
    g.insert("b".into(), ["c".to_string()].into());
    g.insert("c".into(), BTreeSet::new());
    assert_eq!(find_cycle(&g), None);
    g.get_mut("c").unwrap().insert("a".into());
    assert_eq!(find_cycle(&g).unwrap(), ["a", "b", "c", "a"]);
    let declared =
        "#[cfg(unix)]\nmod sys;\n#[cfg(not(unix))]\n#[path = \"portable.rs\"]\nmod sys;\n";
    assert_eq!(
        path_modules(declared),
        [("portable.rs".to_string(), "sys".to_string())]
    );
    assert_eq!(join_module("files", "sys"), "files::sys");
    assert_eq!(join_module("", "sys"), "sys");
}

/// A file included by `#[path]` is a node under the module's name: an import circle through it
/// is found.
#[test]
fn the_cycle_finder_sees_a_file_included_under_another_name() {
    let root = std::env::temp_dir().join(format!("imds-layout-{}", std::process::id()));
    let files = [
        ("lib.rs", "mod files;\n"),
        (
            "files/mod.rs",
            "mod replace;\n#[cfg(unix)]\nmod sys;\n#[cfg(not(unix))]\n#[path = \"portable.rs\"]\nmod sys;\n",
        ),
        ("files/replace.rs", "use crate::files::sys::open;\n"),
        ("files/sys.rs", "pub fn open() {}\n"),
        ("files/portable.rs", "use crate::files::replace::MODE;\n"),
    ];
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let found = find_cycle(&graph(&root));
    std::fs::remove_dir_all(&root).unwrap();
    let cycle = found.expect("the circle through portable.rs");
    assert!(
        cycle.contains(&"files::sys".to_string()) && cycle.contains(&"files::replace".to_string()),
        "{cycle:?}"
    );
}

/// Every source file of every package with its code outside test modules (no comments, no
/// strings), as the size rules measure it.
fn production_code() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for root in all_src() {
        sources(&root, &mut files);
    }
    files
        .into_iter()
        .map(|file| {
            let code = without_test_modules(&code_only(&std::fs::read_to_string(&file).unwrap()));
            (file, code)
        })
        .collect()
}

#[test]
fn no_source_file_is_over_the_limit_before_its_tests() {
    let mut long = Vec::new();
    for (file, code) in production_code() {
        let lines = code_lines(&code);
        if lines > MAX_CODE_LINES {
            long.push(format!("{} ({lines} lines of code)", file.display()));
        }
    }
    assert!(
        long.is_empty(),
        "over {MAX_CODE_LINES} lines of code: {long:?}"
    );
}

#[test]
fn no_function_is_over_the_limit() {
    let mut long = Vec::new();
    for (file, code) in production_code() {
        for (name, line, lines) in functions(&code) {
            if lines > MAX_FN_LINES {
                long.push(format!("{}:{line} {name} ({lines} lines)", file.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines: {long:#?}"
    );
}

#[test]
fn code_lines_and_functions_are_measured_on_code_only() {
    let text = "//! A module.\n\
                \n\
                /// Says hello.\n\
                fn hello(x: [u8; 2]) -> char {\n\
                \x20   // a comment, with a brace: {\n\
                \x20   /* a block /* nested */ comment\n\
                \x20      over lines } */\n\
                \x20   let s = \"a string with a brace {\n\
                \x20            over two lines\";\n\
                \x20   let r = r#\"a \"raw\" { string\"#;\n\
                \x20   let c = '{';\n\
                \x20   let q = '\\'';\n\
                \x20   fn inner<'a>(s: &'a str) -> &'a str { s }\n\
                \x20   '}'\n\
                }\n\
                trait T { fn declared(&self); }\n\
                const F: fn(u8) -> u8 = |x| x;\n\
                #[cfg(test)]\n\
                mod tests {\n\
                \x20   fn a_test() {\n\
                \x20   }\n\
                }\n\
                #[cfg(all(test, unix))]\n\
                mod unix_tests {}\n";
    let code = without_test_modules(&code_only(text));
    assert_eq!(code.lines().count(), text.lines().count());
    assert_eq!(code_lines(&code), 11, "{code}");
    assert_eq!(
        functions(&code),
        [("hello".to_string(), 4, 12), ("inner".to_string(), 13, 1)]
    );
    // Its test module counts when it is not taken out.
    assert_eq!(code_lines(&code_only(text)), 18);
    assert_eq!(functions(&code_only(text)).len(), 3);
}

#[test]
fn main_is_thin() {
    let lines = std::fs::read_to_string(src().join("main.rs"))
        .unwrap()
        .lines()
        .count();
    assert!(lines <= MAX_MAIN_LINES, "main.rs has {lines} lines");
}
