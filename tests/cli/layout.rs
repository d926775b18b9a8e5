//! The shape of the source tree: the three packages depend on each other in one direction only
//! (the library on neither the command line nor the emulator, the emulator not on the command
//! line), no package's module import graph has a cycle, `main.rs` stays thin, and no file grows
//! past what one reader can hold.
//!
//! A package's graph has one node per source file under its `src/` (`client/pages.rs` is `client::pages`,
//! `client/mod.rs` is `client`) and an edge for every `crate::` path in its code, `use` lines and
//! inline paths alike, test modules included; comments are not code. A path names the deepest
//! file module it starts with (`crate::client::Target` is `client`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The most lines a source file may have before its `#[cfg(test)]` module.
const MAX_LINES: usize = 500;
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

/// The code of a file without its comments (line comments, doc comments, block comments) and
/// without string literals, so a `crate::` in prose or in a message is not an edge.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if text[i..].starts_with("//") {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if text[i..].starts_with("/*") {
            let end = text[i + 2..]
                .find("*/")
                .map_or(bytes.len(), |e| i + 2 + e + 2);
            i = end;
        } else if bytes[i] == b'"' {
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if bytes[i] == b'\'' && i + 2 < bytes.len() && bytes[i + 2] == b'\'' {
            // A character literal like '"' (lifetimes have no closing quote).
            out.push_str("' '");
            i += 3;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Every path that `crate::` starts in `code`, with `use` groups expanded:
/// `crate::{a::{B, c}, d}` gives `a::B`, `a::c` and `d`.
fn crate_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `mycrate::`, not `crate::`
        }
        let (tree, _) = use_tree(rest);
        paths.extend(tree);
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
    let named: Vec<(String, PathBuf)> = files
        .into_iter()
        .filter_map(|f| module_of(f.strip_prefix(root).unwrap()).map(|m| (m, f)))
        .collect();
    let modules: BTreeSet<String> = named.iter().map(|(m, _)| m.clone()).collect();
    named
        .iter()
        .map(|(module, file)| {
            let code = code_only(&std::fs::read_to_string(file).unwrap());
            let edges = crate_paths(&code)
                .iter()
                .filter_map(|p| target_of(p, &modules))
                .filter(|t| t != module)
                .collect();
            (module.clone(), edges)
        })
        .collect()
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
}

#[test]
fn no_source_file_is_over_the_limit_before_its_tests() {
    let mut files = Vec::new();
    for root in all_src() {
        sources(&root, &mut files);
    }
    let mut long = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let lines = (0..lines.len())
            .find(|&i| {
                lines[i].trim() == "#[cfg(test)]"
                    && lines.get(i + 1).is_some_and(|l| l.starts_with("mod "))
            })
            .unwrap_or(lines.len());
        if lines > MAX_LINES {
            long.push(format!("{} ({lines} lines)", file.display()));
        }
    }
    assert!(long.is_empty(), "over {MAX_LINES} lines: {long:?}");
}

#[test]
fn main_is_thin() {
    let lines = std::fs::read_to_string(src().join("main.rs"))
        .unwrap()
        .lines()
        .count();
    assert!(lines <= MAX_MAIN_LINES, "main.rs has {lines} lines");
}
