//! The `--field` language: a shorthand (`vcpu.count`, `network_interfaces[0].subnet.name`)
//! applied to each item of a list, or an RFC 9535 JSONPath (`$…`) over the whole document.
//! Parsing (once, at argument parsing, so a bad path is a usage error before any request),
//! selecting values, and the "no field" messages that say what is there instead.
//!
//! It does not print: [`crate::output`] lays the selected values out. JSONPath (the large
//! `jsonpath-rust`) is only touched for paths that start with `$`.

use std::fmt;

use jsonpath_rust::parser::errors::JsonPathError;
use jsonpath_rust::parser::model::JpQuery;
use jsonpath_rust::parser::parse_json_path;
use serde_json::Value;

use crate::error::Error;
use crate::text::clip;

/// What starts a JSONPath `--field`; anything else is a shorthand.
const JSONPATH_ROOT: char = '$';
/// The longest `--field` path, in bytes: a huge one took seconds to match against nothing.
pub const MAX_PATH_BYTES: usize = 4096;
/// The most segments (`.key`, `[index]`, `[?filter]`, …) a `--field` path may have.
pub const MAX_PATH_SEGMENTS: usize = 256;
/// The deepest nesting of brackets and parentheses in a JSONPath: the parser recurses per level.
pub const MAX_PATH_NESTING: usize = 32;
/// How many keys a "no field" message lists before it cuts the list short.
pub(crate) const MAX_KEYS_LISTED: usize = 30;
/// The suggestion that ends every shorthand parse error.
const SHORTHAND_ADVICE: &str = "a shorthand is keys of letters, digits, '_' or '-' joined by '.', \
     each optionally followed by [INDEX]; for anything else write a JSONPath starting with '$', \
     e.g. $['odd key'][0]";
/// The hint of a "no field" error that lists keys.
pub(crate) const HINT_PICK_KEY: &str =
    "pick one of those, or see the whole document without --field";
/// The hint of a "no field" error in an item of a list whose other items have the field.
pub(crate) const HINT_DEFAULT: &str =
    "other items have it: give --default TEXT for the ones that do not";
/// The hint of a "no field" error that lists no keys.
pub(crate) const HINT_WHOLE_DOCUMENT: &str = "see the whole document without --field";

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
        if text.len() > MAX_PATH_BYTES {
            return Err(format!(
                "the path is {} bytes long; the most is {MAX_PATH_BYTES}",
                text.len()
            ));
        }
        let kind = if text.starts_with(JSONPATH_ROOT) {
            check_nesting(text)?;
            let query = parse_json_path(text).map_err(|e| jsonpath_error(text, e))?;
            check_segments(query.segments.len())?;
            PathKind::Query(query)
        } else {
            let steps = parse_shorthand(text)?;
            check_segments(steps.len())?;
            PathKind::Shorthand(steps)
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

/// At most [`MAX_PATH_SEGMENTS`] segments.
fn check_segments(count: usize) -> Result<(), String> {
    if count > MAX_PATH_SEGMENTS {
        Err(format!(
            "the path has {count} segments; the most is {MAX_PATH_SEGMENTS}"
        ))
    } else {
        Ok(())
    }
}

/// At most [`MAX_PATH_NESTING`] levels of `[` and `(` (quoted or not), counted before the
/// JSONPath parser, which recurses once per level, sees the path.
fn check_nesting(text: &str) -> Result<(), String> {
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '[' | '(' => {
                depth += 1;
                if depth > MAX_PATH_NESTING {
                    return Err(format!(
                        "the path nests brackets more than {MAX_PATH_NESTING} deep"
                    ));
                }
            }
            ']' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FieldPath {
    /// The values this path picks: one per item for a shorthand on a list (`each_item` and an
    /// array), one for a shorthand on a document, every match for a JSONPath. Matching nothing
    /// is a [`Kind::FieldNotFound`] error that says what is there.
    pub fn select<'a>(&self, value: &'a Value, each_item: bool) -> Result<Vec<&'a Value>, Error> {
        self.select_or(value, each_item, None)
    }

    /// [`FieldPath::select`], with `default` (`--default`) standing in where the path matches
    /// nothing: for each item that lacks a shorthand, or once for a JSONPath.
    pub fn select_or<'a>(
        &self,
        value: &'a Value,
        each_item: bool,
        default: Option<&'a Value>,
    ) -> Result<Vec<&'a Value>, Error> {
        let field = self;
        let or_default = |miss: Miss<'_, '_>, item| default.ok_or_else(|| miss.error(field, item));
        match &field.kind {
            PathKind::Shorthand(steps) => match (each_item, value) {
                (true, Value::Array(items)) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        walk(item, steps)
                            .or_else(|miss| or_default(miss, Some(i)))
                            .map_err(|e| {
                                // Some items have it: what is missing is a stand-in.
                                if items.iter().any(|other| walk(other, steps).is_ok()) {
                                    e.with_hint(HINT_DEFAULT)
                                } else {
                                    e
                                }
                            })
                    })
                    .collect(),
                _ => walk(value, steps)
                    .or_else(|miss| or_default(miss, None))
                    .map(|v| vec![v]),
            },
            PathKind::Query(query) => {
                let matches = run_query(query, value, field)?;
                match (matches.is_empty(), default) {
                    (false, _) => Ok(matches),
                    (true, Some(d)) => Ok(vec![d]),
                    (true, None) => Err(query_miss(query, value, field)),
                }
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
            Error::other(format!(
                "cannot evaluate the JSONPath '{}': {e}",
                clip(&field.to_string())
            ))
        })
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
    Error::field_not_found(message).with_hint(hint)
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

    fn parse_error(path: &str) -> String {
        FieldPath::parse(path).unwrap_err()
    }

    #[test]
    fn paths_over_the_limits_are_refused() {
        let at_limit = vec!["a"; MAX_PATH_SEGMENTS].join(".");
        assert!(FieldPath::parse(&at_limit).is_ok());
        let over = vec!["a"; MAX_PATH_SEGMENTS + 1].join(".");
        assert!(parse_error(&over).contains("segments"));
        let indexes = format!("a{}", "[0]".repeat(MAX_PATH_SEGMENTS));
        assert!(parse_error(&indexes).contains("segments"));
        let deep = format!("$.{}", vec!["a"; MAX_PATH_SEGMENTS + 1].join("."));
        assert!(parse_error(&deep).contains("segments"));
        let long = format!("$['{}']", "x".repeat(MAX_PATH_BYTES));
        assert!(parse_error(&long).contains("bytes"));
        let nested = format!("$[?{}@.a{}]", "(".repeat(40), ")".repeat(40));
        assert!(parse_error(&nested).contains("deep"));
        assert!(FieldPath::parse("$[?((@.a == 1))]").is_ok());
    }

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
}
