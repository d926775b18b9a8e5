//! The output stage (DESIGN.md §3): the document as pretty, compact or coloured JSON, or the
//! values `--field` paths pick from it, as raw text in tab-separated columns.
//!
//! It renders into memory and owns no terminal logic: whether to colour is decided by the
//! settings and passed in. `--field` paths are parsed once, at argument parsing, so a bad path is
//! a usage error before any request; JSONPath (the large `jsonpath-rust`) is only touched for
//! paths that start with `$`.

use std::fmt;
use std::io::Write;

use colored_json::{ColorMode, ColoredFormatter, CompactFormatter, PrettyFormatter, Styler};
use jsonpath_rust::parser::errors::JsonPathError;
use jsonpath_rust::parser::model::JpQuery;
use jsonpath_rust::parser::parse_json_path;
use serde_json::Value;

use crate::error::{Error, Kind, clip};

/// Indentation of pretty-printed JSON.
const INDENT: &[u8] = b"  ";
/// Separates the columns of several `--field`s on one line.
const COLUMN_SEPARATOR: &[u8] = b"\t";
/// Ends a line of picked values.
const LINE_END: &[u8] = b"\n";
/// Ends a line of picked values with `--null`.
const NUL_END: &[u8] = b"\0";
/// What starts a JSONPath `--field`; anything else is a shorthand.
const JSONPATH_ROOT: char = '$';
/// How many keys a "no field" message lists before it cuts the list short.
const MAX_KEYS_LISTED: usize = 30;
/// The suggestion that ends every shorthand parse error.
const SHORTHAND_ADVICE: &str = "a shorthand is keys of letters, digits, '_' or '-' joined by '.', \
     each optionally followed by [INDEX]; for anything else write a JSONPath starting with '$', \
     e.g. $['odd key'][0]";
/// The hint of a "no field" error that lists keys.
const HINT_PICK_KEY: &str = "pick one of those, or see the whole document without --field";
/// The hint of a "no field" error that lists no keys.
const HINT_WHOLE_DOCUMENT: &str = "see the whole document without --field";

/// A parsed `--field` path: a `$` JSONPath over the whole document, or a shorthand applied to
/// each item of a list.
#[derive(Debug, Clone)]
pub struct FieldPath {
    /// The path as the user typed it.
    pub text: String,
    kind: PathKind,
}

#[derive(Debug, Clone)]
enum PathKind {
    /// `vcpu.count`, `network_interfaces[0].subnet.name`: one value per item.
    Shorthand(Vec<Step>),
    /// An RFC 9535 JSONPath, parsed once.
    Query(JpQuery),
}

/// One step of a shorthand path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    /// An array index; negative counts from the end (`-1` is the last item).
    Index(i64),
}

impl FieldPath {
    /// Parses a `--field` value; an invalid path is a usage error.
    pub fn parse(text: &str) -> Result<FieldPath, String> {
        let kind = if text.starts_with(JSONPATH_ROOT) {
            PathKind::Query(parse_json_path(text).map_err(|e| jsonpath_error(text, e))?)
        } else {
            PathKind::Shorthand(parse_shorthand(text)?)
        };
        Ok(FieldPath {
            text: text.to_string(),
            kind,
        })
    }

    /// Whether this is a `$` JSONPath (applies to the whole document) rather than a shorthand.
    pub fn is_jsonpath(&self) -> bool {
        matches!(self.kind, PathKind::Query(_))
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// How the output is to look, resolved from the command line.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    /// `--field` paths, in the order given; empty prints the whole document.
    pub fields: Vec<FieldPath>,
    /// `--compact`: JSON on one line.
    pub compact: bool,
    /// `--null`: end each line of picked values with NUL instead of a newline.
    pub null: bool,
    /// Colour the JSON document (never picked values).
    pub color: bool,
}

/// What the value passed to [`render`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One document (`imds instance`, `imds keys ID`).
    Document,
    /// A JSON array of the items from every page (`imds keys`); shorthands apply to each item.
    List,
}

/// Writes `value` as `opts` asks: the whole document as JSON, or the picked values.
///
/// Everything is worked out before the first byte is written, so on error `out` is untouched.
pub fn render(
    value: &Value,
    shape: Shape,
    opts: &OutputOptions,
    out: &mut impl Write,
) -> Result<(), Error> {
    if opts.fields.is_empty() {
        write_document(value, opts, out)
    } else {
        let columns = opts
            .fields
            .iter()
            .map(|field| pick(value, shape, field))
            .collect::<Result<Vec<_>, _>>()?;
        write_columns(&opts.fields, &columns, opts.null, out)
    }
}

/// The whole document: pretty (2-space indent) or compact, coloured only when asked.
fn write_document(value: &Value, opts: &OutputOptions, out: &mut impl Write) -> Result<(), Error> {
    let mut buf = Vec::new();
    // colored_json gets `On` or `Off` explicitly: its `Auto` looks at the real stdout (DESIGN
    // §7). With `Off` it serialises through the plain formatter, so both paths share the layout.
    let mode = if opts.color {
        ColorMode::On
    } else {
        ColorMode::Off
    };
    let result = if opts.compact {
        ColoredFormatter::with_styler(CompactFormatter, Styler::default())
            .write_colored_json(value, &mut buf, mode)
    } else {
        ColoredFormatter::with_styler(PrettyFormatter::with_indent(INDENT), Styler::default())
            .write_colored_json(value, &mut buf, mode)
    };
    result.map_err(|e| Error::new(Kind::Other, format!("cannot format the document: {e}")))?;
    buf.extend_from_slice(LINE_END);
    write_out(out, &buf)
}

/// The values one field picks: one per item for a shorthand on a list, one for a shorthand on
/// a document, every match for a JSONPath.
fn pick<'a>(value: &'a Value, shape: Shape, field: &FieldPath) -> Result<Vec<&'a Value>, Error> {
    match &field.kind {
        PathKind::Shorthand(steps) => match (shape, value) {
            (Shape::List, Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| walk(item, steps).map_err(|miss| miss.error(field, Some(i))))
                .collect(),
            _ => walk(value, steps)
                .map(|v| vec![v])
                .map_err(|miss| miss.error(field, None)),
        },
        PathKind::Query(query) => {
            let matches = run_query(query, value, field)?;
            if matches.is_empty() {
                Err(query_miss(query, value, field))
            } else {
                Ok(matches)
            }
        }
    }
}

/// Evaluates a parsed JSONPath; the values it selects, in document order.
fn run_query<'a>(
    query: &JpQuery,
    value: &'a Value,
    field: &FieldPath,
) -> Result<Vec<&'a Value>, Error> {
    jsonpath_rust::query::js_path_process(query, value)
        .map(|refs| refs.into_iter().map(|r| r.val).collect())
        .map_err(|e| {
            Error::new(
                Kind::Other,
                format!(
                    "cannot evaluate the JSONPath '{}': {e}",
                    clip(&field.to_string())
                ),
            )
        })
}

/// Joins the i-th values of every column with a tab, one line per i.
fn write_columns(
    fields: &[FieldPath],
    columns: &[Vec<&Value>],
    null: bool,
    out: &mut impl Write,
) -> Result<(), Error> {
    let rows = columns.first().map_or(0, Vec::len);
    if columns.iter().any(|c| c.len() != rows) {
        let counts: Vec<String> = fields
            .iter()
            .zip(columns)
            .map(|(f, c)| format!("'{}' has {}", clip(&f.to_string()), c.len()))
            .collect();
        return Err(Error::new(
            Kind::Other,
            format!(
                "the fields give different numbers of values: {}",
                counts.join(", ")
            ),
        )
        .with_hint("give fields that pick one value each per line, or one --field at a time"));
    }
    let end = if null { NUL_END } else { LINE_END };
    let mut buf = Vec::new();
    for row in 0..rows {
        for (i, column) in columns.iter().enumerate() {
            if i > 0 {
                buf.extend_from_slice(COLUMN_SEPARATOR);
            }
            write_value(&mut buf, column[row]);
        }
        buf.extend_from_slice(end);
    }
    write_out(out, &buf)
}

/// A picked value: a string raw (like `jq -r`), anything else as compact JSON.
fn write_value(buf: &mut Vec<u8>, value: &Value) {
    match value {
        Value::String(s) => buf.extend_from_slice(s.as_bytes()),
        other => buf.extend_from_slice(other.to_string().as_bytes()),
    }
}

fn write_out(out: &mut impl Write, bytes: &[u8]) -> Result<(), Error> {
    out.write_all(bytes)
        .map_err(|e| Error::new(Kind::Other, format!("cannot write the output: {e}")))
}

// ---- shorthand paths ----

/// Parses `key(.key|[INDEX])*` where a key is `[A-Za-z0-9_-]+` and INDEX an integer.
fn parse_shorthand(text: &str) -> Result<Vec<Step>, String> {
    let advise = |what: String| format!("{what}; {SHORTHAND_ADVICE}");
    let fail = |what: String| -> Result<Vec<Step>, String> { Err(advise(what)) };
    if text.is_empty() {
        return fail("the path is empty".to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut steps = Vec::new();
    let mut i = 0;
    // After a key or `]`: `.` or `[` or the end. At the start: a key.
    let mut expect_key = true;
    while i < chars.len() {
        if expect_key {
            let start = i;
            while i < chars.len() && is_key_char(chars[i]) {
                i += 1;
            }
            if i == start {
                let at = start + 1;
                return match chars[start] {
                    '.' if start == 0 => fail("the path starts with '.'".to_string()),
                    '.' => fail(format!("empty key at character {at} ('..')")),
                    '[' if start == 0 => fail("the path starts with '['".to_string()),
                    '[' => fail(format!("empty key before '[' at character {at}")),
                    c => fail(format!("unexpected {c:?} at character {at}")),
                };
            }
            steps.push(Step::Key(chars[start..i].iter().collect()));
            expect_key = false;
            continue;
        }
        match chars[i] {
            '.' => {
                if i + 1 == chars.len() {
                    return fail("the path ends with '.'".to_string());
                }
                expect_key = true;
                i += 1;
            }
            '[' => {
                let open = i;
                let Some(close) = chars[open..].iter().position(|&c| c == ']') else {
                    return fail(format!("unclosed '[' at character {}", open + 1));
                };
                let inner: String = chars[open + 1..open + close].iter().collect();
                steps.push(Step::Index(parse_index(&inner, open + 1).map_err(advise)?));
                i = open + close + 1;
            }
            c => {
                return fail(format!(
                    "unexpected {c:?} at character {}, expected '.' or '['",
                    i + 1
                ));
            }
        }
    }
    Ok(steps)
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// An index between brackets: an optional `-` and decimal digits, nothing else.
fn parse_index(inner: &str, open_at: usize) -> Result<i64, String> {
    let digits = inner.strip_prefix('-').unwrap_or(inner);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "index {:?} at character {open_at} is not an integer",
            clip(inner)
        ));
    }
    inner
        .parse()
        .map_err(|_| format!("index {} at character {open_at} is too large", clip(inner)))
}

/// Why a shorthand matched nothing: how many steps matched and what was there.
struct Miss<'v, 's> {
    /// Steps that matched before the failing one.
    depth: usize,
    steps: &'s [Step],
    /// The value the failing step was applied to.
    at: &'v Value,
}

/// Follows a shorthand path; the value it reaches, or where it stopped.
fn walk<'v, 's>(value: &'v Value, steps: &'s [Step]) -> Result<&'v Value, Miss<'v, 's>> {
    let mut current = value;
    for (depth, step) in steps.iter().enumerate() {
        let next = match (step, current) {
            (Step::Key(key), Value::Object(map)) => map.get(key),
            (Step::Index(index), Value::Array(items)) => {
                resolve_index(*index, items.len()).and_then(|i| items.get(i))
            }
            _ => None,
        };
        current = next.ok_or(Miss {
            depth,
            steps,
            at: current,
        })?;
    }
    Ok(current)
}

/// A possibly negative index into an array of `len` items.
fn resolve_index(index: i64, len: usize) -> Option<usize> {
    if index >= 0 {
        usize::try_from(index).ok()
    } else {
        len.checked_sub(usize::try_from(index.unsigned_abs()).ok()?)
    }
}

impl Miss<'_, '_> {
    /// The "no field" error: the path, the item, and what exists where the path stopped.
    fn error(&self, field: &FieldPath, item: Option<usize>) -> Error {
        let place = match item {
            Some(i) => format!(" in item {i}"),
            None => String::new(),
        };
        let reached = clip(&shorthand_text(&self.steps[..self.depth]));
        let (there, subject) = if reached.is_empty() {
            ("there".to_string(), "it".to_string())
        } else {
            (format!("at '{reached}'"), format!("'{reached}'"))
        };
        let step = &self.steps[self.depth];
        let (detail, listed) = match (step, self.at) {
            (Step::Key(_), Value::Object(map)) if map.is_empty() => {
                (format!("{subject} is an empty object"), false)
            }
            (Step::Key(_), Value::Object(map)) => {
                (format!("keys {there} are {}", list_keys(map.keys())), true)
            }
            (Step::Index(_), Value::Array(items)) => {
                (format!("{subject} has {}", items_count(items.len())), false)
            }
            (Step::Key(_), other) => (
                format!("{subject} is {}, not an object", type_name(other)),
                false,
            ),
            (Step::Index(_), other) => (
                format!("{subject} is {}, not an array", type_name(other)),
                false,
            ),
        };
        let field = clip(&field.to_string());
        field_not_found(format!("no field '{field}'{place}: {detail}"), listed)
    }
}

/// A shorthand path written back as text (`a.b[0]`).
fn shorthand_text(steps: &[Step]) -> String {
    let mut text = String::new();
    for step in steps {
        match step {
            Step::Key(key) => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(key);
            }
            Step::Index(i) => text.push_str(&format!("[{i}]")),
        }
    }
    text
}

// ---- JSONPath ----

/// A one-line message for a JSONPath that does not parse.
fn jsonpath_error(text: &str, err: JsonPathError) -> String {
    let detail = match err {
        JsonPathError::PestError(pest) => {
            // The input location is `Pos(byte)` or `Span((byte, byte))`; its type is pest's,
            // which is not ours to name, so read the first number off its Debug form.
            let location = format!("{:?}", pest.location);
            let byte: Option<usize> = location
                .split(|c: char| !c.is_ascii_digit())
                .find(|s| !s.is_empty())
                .and_then(|s| s.parse().ok());
            let message = (*pest)
                .renamed_rules(|rule| friendly_rule(&format!("{rule:?}")))
                .variant
                .message()
                .into_owned();
            match byte {
                Some(b) => format!(
                    "{message} at character {}",
                    text.get(..b).map_or(b, |s| s.chars().count()) + 1
                ),
                None => message,
            }
        }
        other => other.to_string(),
    };
    format!("not a valid JSONPath (RFC 9535): {detail}")
}

/// A grammar rule's name as a reader would say it.
fn friendly_rule(rule: &str) -> String {
    match rule {
        "EOI" => "the end of the path".to_string(),
        "ALPHA" | "member_name_shorthand" | "name_first" => "a name".to_string(),
        "wildcard_selector" => "'*'".to_string(),
        "segment" => "a segment (.name or [...])".to_string(),
        "selector" => "a selector ('name', an index, *, a slice or ?filter)".to_string(),
        "atom_expr" | "logical_expr" | "logical_expr_and" => "a filter expression".to_string(),
        "comparable" => "a value to compare with".to_string(),
        other => other.replace('_', " "),
    }
}

/// The "no match" error for a JSONPath: describes what the longest matching prefix reaches.
fn query_miss(query: &JpQuery, value: &Value, field: &FieldPath) -> Error {
    let segments = &query.segments;
    // Drop segments from the end until something matches; the root always does.
    for len in (0..segments.len()).rev() {
        let prefix = JpQuery::new(segments[..len].to_vec());
        let Ok(matches) = jsonpath_rust::query::js_path_process(&prefix, value) else {
            continue;
        };
        let Some(first) = matches.into_iter().next() else {
            continue;
        };
        // The normalized path of the first match (RFC 9535 §2.7), e.g. `$['vcpu']`.
        let reached = clip(&first.path);
        let first = first.val;
        let (detail, listed) = match first {
            Value::Object(map) if !map.is_empty() => (
                format!("keys at '{reached}' are {}", list_keys(map.keys())),
                true,
            ),
            Value::Array(items) => (
                format!("'{reached}' has {}", items_count(items.len())),
                false,
            ),
            other => (format!("'{reached}' is {}", type_name(other)), false),
        };
        let field = clip(&field.to_string());
        return field_not_found(format!("no match for '{field}': {detail}"), listed);
    }
    field_not_found(
        format!("no match for '{}'", clip(&field.to_string())),
        false,
    )
}

// ---- messages ----

fn field_not_found(message: String, listed_keys: bool) -> Error {
    let hint = if listed_keys {
        HINT_PICK_KEY
    } else {
        HINT_WHOLE_DOCUMENT
    };
    Error::new(Kind::FieldNotFound, message).with_hint(hint)
}

/// `a, b, c`, cut short after [`MAX_KEYS_LISTED`] keys.
fn list_keys<'a>(keys: impl ExactSizeIterator<Item = &'a String>) -> String {
    let total = keys.len();
    let mut listed: Vec<&str> = keys.take(MAX_KEYS_LISTED).map(String::as_str).collect();
    let more;
    if total > MAX_KEYS_LISTED {
        more = format!("and {} more", total - MAX_KEYS_LISTED);
        listed.push(&more);
    }
    listed.join(", ")
}

fn items_count(len: usize) -> String {
    match len {
        0 => "no items".to_string(),
        1 => "1 item".to_string(),
        n => format!("{n} items"),
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(map) if map.is_empty() => "an empty object",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn opts(fields: &[&str]) -> OutputOptions {
        OutputOptions {
            fields: fields
                .iter()
                .map(|f| FieldPath::parse(f).unwrap())
                .collect(),
            ..OutputOptions::default()
        }
    }

    fn render_with(value: &Value, shape: Shape, opts: &OutputOptions) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        let result = render(value, shape, opts, &mut out);
        if result.is_err() {
            assert!(out.is_empty(), "output written before an error");
        }
        result.map(|()| out)
    }

    fn text(value: &Value, shape: Shape, fields: &[&str]) -> String {
        String::from_utf8(render_with(value, shape, &opts(fields)).unwrap()).unwrap()
    }

    fn error(value: &Value, shape: Shape, fields: &[&str]) -> Error {
        render_with(value, shape, &opts(fields)).unwrap_err()
    }

    fn parse_error(path: &str) -> String {
        FieldPath::parse(path).unwrap_err()
    }

    fn keys() -> Value {
        json!([
            {"created_at": "2024-01-01T00:00:00Z", "crn": "crn:v1:a", "fingerprint": "SHA256:aa",
             "id": "r006-1", "length": 2048, "name": "alice", "public_key": "ssh-rsa AAAA alice",
             "type": "rsa"},
            {"created_at": "2024-01-02T00:00:00Z", "crn": "crn:v1:b", "fingerprint": "SHA256:bb",
             "id": "r006-2", "length": 256, "name": "bob", "public_key": "ssh-ed25519 BBBB bob",
             "type": "ed25519"},
            {"created_at": "2024-01-03T00:00:00Z", "crn": "crn:v1:c", "fingerprint": "SHA256:cc",
             "id": "r006-3", "length": 4096, "name": "carol", "public_key": "ssh-rsa CCCC carol",
             "type": "rsa"}
        ])
    }

    fn instance() -> Value {
        json!({
            "id": "0717_1e09281b",
            "name": "my-instance",
            "vcpu": {"architecture": "amd64", "count": 2, "manufacturer": "intel"},
            "zone": {"name": "us-south-1"},
            "network_interfaces": [
                {"id": "n1", "name": "eth0", "subnet": {"name": "subnet-a"}},
                {"id": "n2", "name": "eth1", "subnet": {"name": "subnet-b"}}
            ],
            "disks": [],
            "metadata_service": null,
            "tags": {}
        })
    }

    // ---- the whole document ----

    #[test]
    fn document_is_pretty_with_two_space_indent_and_newline() {
        let v = json!({"a": 1, "b": [true, null], "c": {"d": "x"}});
        assert_eq!(
            text(&v, Shape::Document, &[]),
            "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ],\n  \"c\": {\n    \"d\": \"x\"\n  }\n}\n"
        );
    }

    #[test]
    fn compact_is_one_line() {
        let v = json!({"a": 1, "b": [true, null], "c": {"d": "x y"}});
        let o = OutputOptions {
            compact: true,
            ..OutputOptions::default()
        };
        let out = render_with(&v, Shape::Document, &o).unwrap();
        assert_eq!(out, b"{\"a\":1,\"b\":[true,null],\"c\":{\"d\":\"x y\"}}\n");
    }

    #[test]
    fn list_prints_the_array() {
        let v = json!([{"id": "a"}, {"id": "b"}]);
        assert_eq!(
            text(&v, Shape::List, &[]),
            "[\n  {\n    \"id\": \"a\"\n  },\n  {\n    \"id\": \"b\"\n  }\n]\n"
        );
        assert_eq!(text(&json!([]), Shape::List, &[]), "[]\n");
    }

    #[test]
    fn colour_on_has_escapes_and_the_same_text_underneath() {
        let v = instance();
        for compact in [false, true] {
            let plain = OutputOptions {
                compact,
                ..OutputOptions::default()
            };
            let coloured = OutputOptions {
                color: true,
                ..plain.clone()
            };
            let p = String::from_utf8(render_with(&v, Shape::Document, &plain).unwrap()).unwrap();
            let c =
                String::from_utf8(render_with(&v, Shape::Document, &coloured).unwrap()).unwrap();
            assert!(!p.contains('\x1b'), "{p}");
            assert!(c.contains("\x1b["), "{c}");
            assert_eq!(strip_ansi(&c), p);
        }
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn key_order_is_the_documents() {
        let v: Value =
            serde_json::from_str(r#"{"zeta": 1, "alpha": {"y": 2, "b": 3}, "mid": 4}"#).unwrap();
        let o = OutputOptions {
            compact: true,
            ..OutputOptions::default()
        };
        assert_eq!(
            render_with(&v, Shape::Document, &o).unwrap(),
            br#"{"zeta":1,"alpha":{"y":2,"b":3},"mid":4}"#
                .iter()
                .chain(b"\n")
                .copied()
                .collect::<Vec<u8>>()
        );
        assert_eq!(text(&v, Shape::Document, &["alpha"]), "{\"y\":2,\"b\":3}\n");
        let e = error(&v, Shape::Document, &["nope"]);
        assert!(
            e.message.ends_with("keys there are zeta, alpha, mid"),
            "{}",
            e.message
        );
    }

    #[test]
    fn null_flag_does_not_change_the_document() {
        let o = OutputOptions {
            null: true,
            compact: true,
            ..OutputOptions::default()
        };
        assert_eq!(render_with(&json!([1]), Shape::List, &o).unwrap(), b"[1]\n");
    }

    // ---- picked values ----

    #[test]
    fn strings_print_raw() {
        let v = json!({"s": "line 1\nline\t2 \"quoted\" \\ ünïcødé ✓ \u{1F600}", "e": ""});
        assert_eq!(
            text(&v, Shape::Document, &["s"]),
            "line 1\nline\t2 \"quoted\" \\ ünïcødé ✓ \u{1F600}\n"
        );
        assert_eq!(text(&v, Shape::Document, &["e"]), "\n");
    }

    #[test]
    fn other_values_print_as_compact_json() {
        let v = json!({"n": 2, "f": 1.5, "neg": -3, "t": true, "z": null,
                       "o": {"k": "v w", "a": [1, "x\ny"]}, "a": [], "big": 18446744073709551615u64});
        assert_eq!(text(&v, Shape::Document, &["n"]), "2\n");
        assert_eq!(text(&v, Shape::Document, &["f"]), "1.5\n");
        assert_eq!(text(&v, Shape::Document, &["neg"]), "-3\n");
        assert_eq!(text(&v, Shape::Document, &["t"]), "true\n");
        assert_eq!(text(&v, Shape::Document, &["z"]), "null\n");
        assert_eq!(
            text(&v, Shape::Document, &["o"]),
            "{\"k\":\"v w\",\"a\":[1,\"x\\ny\"]}\n"
        );
        assert_eq!(text(&v, Shape::Document, &["a"]), "[]\n");
        assert_eq!(
            text(&v, Shape::Document, &["big"]),
            "18446744073709551615\n"
        );
    }

    #[test]
    fn picked_values_are_never_coloured() {
        let o = OutputOptions {
            color: true,
            ..opts(&["vcpu", "zone.name"])
        };
        assert_eq!(
            render_with(&instance(), Shape::Document, &o).unwrap(),
            b"{\"architecture\":\"amd64\",\"count\":2,\"manufacturer\":\"intel\"}\tus-south-1\n"
        );
    }

    #[test]
    fn shorthand_nested_keys_and_indexes() {
        let v = instance();
        assert_eq!(text(&v, Shape::Document, &["vcpu.count"]), "2\n");
        assert_eq!(
            text(&v, Shape::Document, &["network_interfaces[0].subnet.name"]),
            "subnet-a\n"
        );
        assert_eq!(
            text(&v, Shape::Document, &["network_interfaces[-1].name"]),
            "eth1\n"
        );
        assert_eq!(
            text(&v, Shape::Document, &["network_interfaces[-2].id"]),
            "n1\n"
        );
        let nested = json!({"m": [[1, 2], [3, [4, 5]]]});
        assert_eq!(text(&nested, Shape::Document, &["m[1][1][0]"]), "4\n");
        let odd = json!({"a-b": {"0": "zero", "_x": 1}});
        assert_eq!(text(&odd, Shape::Document, &["a-b.0"]), "zero\n");
        assert_eq!(text(&odd, Shape::Document, &["a-b._x"]), "1\n");
    }

    #[test]
    fn shorthand_applies_to_each_item_of_a_list() {
        assert_eq!(
            text(&keys(), Shape::List, &["public_key"]),
            "ssh-rsa AAAA alice\nssh-ed25519 BBBB bob\nssh-rsa CCCC carol\n"
        );
        assert_eq!(text(&keys(), Shape::List, &["length"]), "2048\n256\n4096\n");
    }

    #[test]
    fn shorthand_on_an_empty_list_prints_nothing() {
        assert_eq!(text(&json!([]), Shape::List, &["public_key"]), "");
        assert_eq!(text(&json!([]), Shape::List, &["a", "b.c"]), "");
    }

    #[test]
    fn jsonpath_applies_to_the_whole_list() {
        assert_eq!(
            text(&keys(), Shape::List, &["$[*].name"]),
            "alice\nbob\ncarol\n"
        );
        assert_eq!(text(&keys(), Shape::List, &["$[1].name"]), "bob\n");
        assert_eq!(text(&keys(), Shape::List, &["$[-1].id"]), "r006-3\n");
        assert_eq!(text(&keys(), Shape::List, &["$"]), format!("{}\n", keys()));
    }

    #[test]
    fn jsonpath_filters_wildcards_slices_and_descendants() {
        let k = keys();
        assert_eq!(
            text(&k, Shape::List, &["$[?@.type == 'rsa'].name"]),
            "alice\ncarol\n"
        );
        assert_eq!(
            text(&k, Shape::List, &["$[?@.length > 3000].name"]),
            "carol\n"
        );
        assert_eq!(text(&k, Shape::List, &["$[0:2].id"]), "r006-1\nr006-2\n");
        assert_eq!(
            text(&k, Shape::List, &["$[?search(@.name, '^b')].id"]),
            "r006-2\n"
        );
        let v = instance();
        assert_eq!(
            text(&v, Shape::Document, &["$..subnet.name"]),
            "subnet-a\nsubnet-b\n"
        );
        assert_eq!(
            text(&v, Shape::Document, &["$.vcpu.*"]),
            "amd64\n2\nintel\n"
        );
        assert_eq!(
            text(&v, Shape::Document, &["$['zone']['name']"]),
            "us-south-1\n"
        );
        assert_eq!(text(&v, Shape::Document, &["$.metadata_service"]), "null\n");
    }

    #[test]
    fn several_fields_make_tab_separated_columns_in_the_order_given() {
        assert_eq!(
            text(&keys(), Shape::List, &["name", "type", "length"]),
            "alice\trsa\t2048\nbob\ted25519\t256\ncarol\trsa\t4096\n"
        );
        assert_eq!(
            text(&instance(), Shape::Document, &["zone.name", "vcpu.count"]),
            "us-south-1\t2\n"
        );
        // A shorthand and a JSONPath with as many values line up too.
        assert_eq!(
            text(&keys(), Shape::List, &["id", "$[*].fingerprint"]),
            "r006-1\tSHA256:aa\nr006-2\tSHA256:bb\nr006-3\tSHA256:cc\n"
        );
        assert_eq!(
            text(
                &instance(),
                Shape::Document,
                &["$.network_interfaces[*].name", "$..subnet.name"]
            ),
            "eth0\tsubnet-a\neth1\tsubnet-b\n"
        );
    }

    #[test]
    fn null_flag_ends_each_line_with_nul() {
        let o = OutputOptions {
            null: true,
            ..opts(&["public_key"])
        };
        assert_eq!(
            render_with(&keys(), Shape::List, &o).unwrap(),
            b"ssh-rsa AAAA alice\0ssh-ed25519 BBBB bob\0ssh-rsa CCCC carol\0"
        );
        let o = OutputOptions {
            null: true,
            ..opts(&["name", "id"])
        };
        assert_eq!(
            render_with(&keys(), Shape::List, &o).unwrap(),
            b"alice\tr006-1\0bob\tr006-2\0carol\tr006-3\0"
        );
        let o = OutputOptions {
            null: true,
            ..opts(&["s"])
        };
        assert_eq!(
            render_with(&json!({"s": "a\nb"}), Shape::Document, &o).unwrap(),
            b"a\nb\0"
        );
    }

    #[test]
    fn columns_of_different_lengths_are_exit_1() {
        let e = error(&keys(), Shape::List, &["name", "$[0:2].id"]);
        assert_eq!(e.kind, Kind::Other);
        assert_eq!(e.kind.exit_code(), 1);
        assert_eq!(
            e.message,
            "the fields give different numbers of values: 'name' has 3, '$[0:2].id' has 2"
        );
        assert!(e.hint.is_some());
        let e = error(
            &instance(),
            Shape::Document,
            &["name", "$.network_interfaces[*].id"],
        );
        assert_eq!(e.kind, Kind::Other);
    }

    // ---- fields that match nothing ----

    #[test]
    fn missing_key_in_an_item_lists_the_keys_there() {
        let e = error(&keys(), Shape::List, &["publc_key"]);
        assert_eq!(e.kind, Kind::FieldNotFound);
        assert_eq!(e.kind.exit_code(), 6);
        assert_eq!(
            e.message,
            "no field 'publc_key' in item 0: keys there are created_at, crn, fingerprint, id, \
             length, name, public_key, type"
        );
        assert_eq!(e.hint.as_deref(), Some(HINT_PICK_KEY));
    }

    #[test]
    fn missing_key_in_a_later_item_names_that_item() {
        let v = json!([{"a": 1}, {"a": 2}, {"b": 3}]);
        let e = error(&v, Shape::List, &["a"]);
        assert_eq!(e.message, "no field 'a' in item 2: keys there are b");
    }

    #[test]
    fn missing_nested_key_names_where_the_path_stopped() {
        let v = instance();
        let e = error(&v, Shape::Document, &["vcpu.cnt"]);
        assert_eq!(e.kind, Kind::FieldNotFound);
        assert_eq!(
            e.message,
            "no field 'vcpu.cnt': keys at 'vcpu' are architecture, count, manufacturer"
        );
        let e = error(&v, Shape::Document, &["network_interfaces[5].name"]);
        assert_eq!(
            e.message,
            "no field 'network_interfaces[5].name': 'network_interfaces' has 2 items"
        );
        assert_eq!(e.hint.as_deref(), Some(HINT_WHOLE_DOCUMENT));
        let e = error(&v, Shape::Document, &["network_interfaces[-3]"]);
        assert_eq!(e.kind, Kind::FieldNotFound);
        let e = error(&v, Shape::Document, &["disks[0]"]);
        assert_eq!(e.message, "no field 'disks[0]': 'disks' has no items");
        let e = error(&v, Shape::Document, &["zone.name.x"]);
        assert_eq!(
            e.message,
            "no field 'zone.name.x': 'zone.name' is a string, not an object"
        );
        let e = error(&v, Shape::Document, &["vcpu[0]"]);
        assert_eq!(
            e.message,
            "no field 'vcpu[0]': 'vcpu' is an object, not an array"
        );
        let e = error(&v, Shape::Document, &["tags.x"]);
        assert_eq!(e.message, "no field 'tags.x': 'tags' is an empty object");
        let e = error(&v, Shape::Document, &["network_interfaces[0].subnet.id"]);
        assert_eq!(
            e.message,
            "no field 'network_interfaces[0].subnet.id': keys at 'network_interfaces[0].subnet' \
             are name"
        );
        let e = error(&v, Shape::Document, &["metadata_service.x"]);
        assert_eq!(
            e.message,
            "no field 'metadata_service.x': 'metadata_service' is null, not an object"
        );
    }

    #[test]
    fn long_key_lists_are_cut_short() {
        let mut map = serde_json::Map::new();
        for i in 0..(MAX_KEYS_LISTED + 5) {
            map.insert(format!("k{i:02}"), json!(i));
        }
        let e = error(&Value::Object(map), Shape::Document, &["nope"]);
        assert!(e.message.contains("k00, k01"), "{}", e.message);
        assert!(e.message.ends_with(", k29, and 5 more"), "{}", e.message);
    }

    #[test]
    fn jsonpath_matching_nothing_names_the_deepest_match() {
        let v = instance();
        let e = error(&v, Shape::Document, &["$.vcpu.cnt"]);
        assert_eq!(e.kind, Kind::FieldNotFound);
        assert_eq!(
            e.message,
            "no match for '$.vcpu.cnt': keys at '$['vcpu']' are architecture, count, manufacturer"
        );
        assert_eq!(e.hint.as_deref(), Some(HINT_PICK_KEY));
        let e = error(&keys(), Shape::List, &["$[?@.type == 'dsa'].name"]);
        assert_eq!(
            e.message,
            "no match for '$[?@.type == 'dsa'].name': '$' has 3 items"
        );
        let e = error(&v, Shape::Document, &["$.nope"]);
        assert!(
            e.message
                .starts_with("no match for '$.nope': keys at '$' are id, name, vcpu"),
            "{}",
            e.message
        );
        let e = error(&json!([]), Shape::List, &["$[*].id"]);
        assert_eq!(e.kind, Kind::FieldNotFound);
        assert_eq!(e.message, "no match for '$[*].id': '$' has no items");
        let e = error(&v, Shape::Document, &["$.zone.name.x"]);
        assert_eq!(
            e.message,
            "no match for '$.zone.name.x': '$['zone']['name']' is a string"
        );
    }

    #[test]
    fn a_missing_field_wins_over_mismatched_columns() {
        let e = error(&keys(), Shape::List, &["$[0].id", "nope"]);
        assert_eq!(e.kind, Kind::FieldNotFound);
    }

    // ---- parsing ----

    #[test]
    fn shorthand_parses_into_steps() {
        let p = FieldPath::parse("network_interfaces[0].subnet.name").unwrap();
        assert!(!p.is_jsonpath());
        assert_eq!(p.to_string(), "network_interfaces[0].subnet.name");
        let PathKind::Shorthand(steps) = p.kind else {
            panic!("not a shorthand")
        };
        assert_eq!(
            steps,
            vec![
                Step::Key("network_interfaces".into()),
                Step::Index(0),
                Step::Key("subnet".into()),
                Step::Key("name".into())
            ]
        );
        for ok in [
            "a",
            "a.b",
            "a[0]",
            "a[-1]",
            "a[0][1]",
            "a[1].b-c._d",
            "A9",
            "a.0",
            "-x",
        ] {
            assert!(FieldPath::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn malformed_shorthand_is_rejected_with_what_is_wrong() {
        let cases = [
            ("", "the path is empty"),
            (".a", "the path starts with '.'"),
            ("a.", "the path ends with '.'"),
            ("a..b", "empty key at character 3 ('..')"),
            ("a.[0]", "empty key before '[' at character 3"),
            ("[0]", "the path starts with '['"),
            ("a[0", "unclosed '[' at character 2"),
            ("a[", "unclosed '[' at character 2"),
            ("a[x]", "index \"x\" at character 2 is not an integer"),
            ("a[]", "index \"\" at character 2 is not an integer"),
            ("a[1.5]", "index \"1.5\" at character 2 is not an integer"),
            ("a[ 1]", "index \" 1\" at character 2 is not an integer"),
            ("a[+1]", "index \"+1\" at character 2 is not an integer"),
            ("a[-]", "index \"-\" at character 2 is not an integer"),
            ("a[*]", "index \"*\" at character 2 is not an integer"),
            (
                "a[99999999999999999999]",
                "index 99999999999999999999 at character 2 is too large",
            ),
            ("a b", "unexpected ' ' at character 2, expected '.' or '['"),
            ("a]", "unexpected ']' at character 2, expected '.' or '['"),
            (
                "a[0]b",
                "unexpected 'b' at character 5, expected '.' or '['",
            ),
            (
                "a.b c",
                "unexpected ' ' at character 4, expected '.' or '['",
            ),
            ("a.*", "unexpected '*' at character 3"),
            ("a.'b'", "unexpected '\\'' at character 3"),
            ("ключ", "unexpected 'к' at character 1"),
            ("a.ключ", "unexpected 'к' at character 3"),
            (" a", "unexpected ' ' at character 1"),
            ("@.a", "unexpected '@' at character 1"),
        ];
        for (path, want) in cases {
            let e = parse_error(path);
            assert!(
                e.starts_with(&format!("{want}; ")),
                "{path:?}: {e:?} does not start with {want:?}"
            );
            assert!(e.ends_with(SHORTHAND_ADVICE), "{path:?}: {e}");
            assert!(!e.contains('\n'), "{path:?}: {e}");
        }
    }

    #[test]
    fn jsonpath_parses_once_and_rejects_bad_paths() {
        for ok in [
            "$",
            "$.a",
            "$['odd key'][0]",
            "$..name",
            "$[*]",
            "$[0:2]",
            "$[?@.a == 1]",
            "$[?(@.a > 1 && @.b)]",
            "$.keys[?search(@.name, 'x')].id",
            "$[\"ключ\"]",
        ] {
            let p = FieldPath::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert!(p.is_jsonpath(), "{ok}");
        }
        for bad in [
            "$.",
            "$..",
            "$[",
            "$[0",
            "$]",
            "$.a[?]",
            "$a",
            "$.a]",
            "$[?@.a ==]",
            "$['a]",
            "$[1.5]",
            "$.a.[0]",
            "$$",
            "$[?foo(@)]",
        ] {
            let e = parse_error(bad);
            assert!(
                e.starts_with("not a valid JSONPath (RFC 9535): "),
                "{bad}: {e}"
            );
            assert!(!e.contains('\n'), "{bad}: {e:?}");
        }
        assert_eq!(
            parse_error("$.a]"),
            "not a valid JSONPath (RFC 9535): expected the end of the path, a segment (.name or \
             [...]), or a name at character 4"
        );
        assert_eq!(
            parse_error("$[?"),
            "not a valid JSONPath (RFC 9535): expected a filter expression at character 4"
        );
        assert_eq!(
            parse_error("$."),
            "not a valid JSONPath (RFC 9535): expected '*' or a name at character 3"
        );
    }

    // ---- properties ----

    use proptest::prelude::*;

    /// Cases per property: enough to find panics, few enough to keep `cargo test` quick.
    const PROPTEST_CASES: u32 = 64;

    /// Keys the generated documents and paths share, so paths often match.
    const KEYS: &[&str] = &["a", "b", "id", "name", "x-y", "0"];

    fn key() -> impl Strategy<Value = String> {
        prop::sample::select(KEYS).prop_map(str::to_string)
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            // Eighths print and parse back exactly (serde_json's default float parsing does not
            // round-trip every f64).
            (-1000i32..1000).prop_map(|n| Value::from(f64::from(n) / 8.0)),
            ".{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((key(), inner), 0..4)
                    .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
            ]
        })
    }

    fn shorthand() -> impl Strategy<Value = String> {
        let step = prop_oneof![
            key().prop_map(|k| format!(".{k}")),
            (-3i64..4).prop_map(|i| format!("[{i}]")),
        ];
        (key(), prop::collection::vec(step, 0..4))
            .prop_map(|(first, rest)| format!("{first}{}", rest.concat()))
    }

    fn jsonpath() -> impl Strategy<Value = String> {
        let segment = prop_oneof![
            key().prop_map(|k| format!("['{k}']")),
            key().prop_map(|k| format!("..['{k}']")),
            (-3i64..4).prop_map(|i| format!("[{i}]")),
            Just("[*]".to_string()),
            Just("..*".to_string()),
            Just("[0:2]".to_string()),
            Just("[::-1]".to_string()),
            key().prop_map(|k| format!("[?@['{k}']]")),
            key().prop_map(|k| format!("[?@['{k}'] == 1]")),
            Just("[?length(@) > 1]".to_string()),
            Just("[?match(@, 'a.*')]".to_string()),
        ];
        prop::collection::vec(segment, 0..4).prop_map(|s| format!("${}", s.concat()))
    }

    fn field() -> impl Strategy<Value = String> {
        prop_oneof![shorthand(), jsonpath()]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(PROPTEST_CASES))]

        #[test]
        fn parse_never_panics(text in ".{0,24}") {
            let _ = FieldPath::parse(&text);
        }

        #[test]
        fn parse_never_panics_on_path_like_text(text in "[$@a-z0-9_.\\[\\]?*:,'\" ()=<>!&|-]{0,24}") {
            if let Err(e) = FieldPath::parse(&text) {
                prop_assert!(!e.contains('\n'), "{e:?}");
            }
        }

        #[test]
        fn generated_paths_parse(path in field()) {
            prop_assert!(FieldPath::parse(&path).is_ok(), "{}", path);
        }

        #[test]
        fn render_never_panics(
            value in json_value(),
            paths in prop::collection::vec(field(), 0..3),
            list in any::<bool>(),
            compact in any::<bool>(),
            null in any::<bool>(),
            color in any::<bool>(),
        ) {
            let opts = OutputOptions {
                fields: paths.iter().map(|p| FieldPath::parse(p).unwrap()).collect(),
                compact,
                null,
                color,
            };
            let shape = if list { Shape::List } else { Shape::Document };
            let mut out = Vec::new();
            match render(&value, shape, &opts, &mut out) {
                Ok(()) => {
                    if opts.fields.is_empty() || !out.is_empty() {
                        let end = if null && !opts.fields.is_empty() { 0 } else { b'\n' };
                        prop_assert_eq!(out.last(), Some(&end));
                    }
                }
                Err(e) => {
                    prop_assert!(matches!(e.kind, Kind::FieldNotFound | Kind::Other), "{:?}", e);
                    prop_assert!(out.is_empty());
                }
            }
        }

        #[test]
        fn uncoloured_documents_round_trip(value in json_value(), compact in any::<bool>()) {
            let opts = OutputOptions { compact, ..OutputOptions::default() };
            let mut out = Vec::new();
            render(&value, Shape::Document, &opts, &mut out).unwrap();
            let back: Value = serde_json::from_slice(&out).unwrap();
            prop_assert_eq!(back, value);
        }
    }
}
